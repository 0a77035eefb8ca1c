//! The four bank debits the Payment Element can show saved besides SEPA and
//! ACH (docs/stripe.md, "Bank debits"): Canadian pre-authorized debits
//! (`acss_debit`), Bacs in the UK (`bacs_debit`), BECS in Australia
//! (`au_becs_debit`) and in New Zealand (`nz_bank_account`). Each is
//! created from its bank's numbers, needs the holder's name and e-mail (Bacs
//! also the address) for its mandate, and settles like the other debits:
//! `processing`, then succeeded or failed as its test account says.

use serde_json::{json, Value};

use super::{fingerprint, Details};
use crate::error::{ApiError, ApiResult};
use crate::params::Params;
use crate::test_values;

/// The bank debit types this module builds.
pub const TYPES: &[&str] = &[
    "acss_debit",
    "bacs_debit",
    "au_becs_debit",
    "nz_bank_account",
];

/// Whether `kind` is one of them.
pub fn covers(kind: &str) -> bool {
    TYPES.contains(&kind)
}

/// `kind`'s details and outcome from its creation parameters.
pub fn from_params(kind: &str, p: &Params, billing: &Value) -> ApiResult<Details> {
    let h = p
        .hash(kind)?
        .ok_or_else(|| ApiError::missing(&format!("{kind}[account_number]")))?;
    require_billing(kind, billing)?;
    match kind {
        "acss_debit" => acss_debit(&h),
        "bacs_debit" => bacs_debit(&h),
        "au_becs_debit" => au_becs_debit(&h),
        "nz_bank_account" => nz_bank_account(&h, billing),
        _ => unreachable!("one of TYPES"),
    }
}

/// The mandate each scheme asks for names the account holder and where to
/// send its notice (Bacs also needs their address).
fn require_billing(kind: &str, billing: &Value) -> ApiResult<()> {
    let mut needed = vec!["name", "email"];
    if kind == "bacs_debit" {
        needed.push("address");
    }
    for field in needed {
        let missing = match field {
            "address" => billing["address"]["line1"].is_null(),
            _ => billing[field].is_null(),
        };
        if missing {
            let param = if field == "address" {
                "billing_details[address][line1]".to_owned()
            } else {
                format!("billing_details[{field}]")
            };
            return Err(ApiError::invalid_request(
                format!("Missing required billing details for {kind}: {param}."),
                Some(param),
            )
            .with_code("parameter_missing"));
        }
    }
    Ok(())
}

/// `digits` of `param` (spaces and dashes ignored), of an allowed length.
fn digits(h: &Params, param: &str, lengths: std::ops::RangeInclusive<usize>) -> ApiResult<String> {
    let value: String = h
        .required(param)?
        .chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .collect();
    if !lengths.contains(&value.len()) || !value.chars().all(|c| c.is_ascii_digit()) {
        let name = h.name(param);
        let (min, max) = (lengths.start(), lengths.end());
        let length = if min == max {
            format!("{min}")
        } else {
            format!("{min} to {max}")
        };
        return Err(ApiError::invalid_request(
            format!("Invalid {name}: it must have {length} digits."),
            Some(name),
        )
        .with_code("invalid_bank_account_number"));
    }
    Ok(value)
}

fn last4(account: &str) -> &str {
    &account[account.len().saturating_sub(4)..]
}

fn acss_debit(h: &Params) -> ApiResult<Details> {
    h.allow(&["account_number", "institution_number", "transit_number"])?;
    let institution = digits(h, "institution_number", 3..=3)?;
    let transit = digits(h, "transit_number", 5..=5)?;
    let account = digits(h, "account_number", 7..=12)?;
    let details = json!({
        "bank_name": "STRIPE TEST BANK",
        "fingerprint": fingerprint(&format!("acss{institution}{transit}{account}")),
        "institution_number": institution,
        "last4": last4(&account),
        "transit_number": transit,
    });
    Ok((details, test_values::acss_debit(&account)))
}

fn bacs_debit(h: &Params) -> ApiResult<Details> {
    h.allow(&["account_number", "sort_code"])?;
    let sort_code = digits(h, "sort_code", 6..=6)?;
    let account = digits(h, "account_number", 8..=8)?;
    let details = json!({
        "fingerprint": fingerprint(&format!("bacs{sort_code}{account}")),
        "last4": last4(&account),
        "sort_code": sort_code,
    });
    Ok((details, test_values::bacs_debit(&account)))
}

fn au_becs_debit(h: &Params) -> ApiResult<Details> {
    h.allow(&["account_number", "bsb_number"])?;
    let bsb = digits(h, "bsb_number", 6..=6)?;
    let account = digits(h, "account_number", 5..=9)?;
    let details = json!({
        "bsb_number": bsb,
        "fingerprint": fingerprint(&format!("becs{bsb}{account}")),
        "last4": last4(&account),
    });
    Ok((details, test_values::au_becs_debit(&account)))
}

fn nz_bank_account(h: &Params, billing: &Value) -> ApiResult<Details> {
    h.allow(&[
        "account_holder_name",
        "account_number",
        "bank_code",
        "branch_code",
        "reference",
        "suffix",
    ])?;
    let bank = digits(h, "bank_code", 2..=2)?;
    let branch = digits(h, "branch_code", 4..=4)?;
    let account = digits(h, "account_number", 7..=8)?;
    let suffix = digits(h, "suffix", 2..=4)?;
    let holder = h
        .str("account_holder_name")?
        .map(Value::String)
        .unwrap_or_else(|| billing["name"].clone());
    let details = json!({
        "account_holder_name": holder,
        "bank_code": bank,
        "bank_name": "STRIPE TEST BANK",
        "branch_code": branch,
        "last4": last4(&account),
        "suffix": suffix,
    });
    Ok((details, test_values::nz_bank_account(&account)))
}

/// The charge's `payment_method_details` for a debit from `details`, under
/// the mandate the payment created.
pub fn charge_details(kind: &str, details: &Value, mandate: &str) -> Value {
    let mut charge = details.clone();
    if kind != "nz_bank_account" {
        charge["mandate"] = json!(mandate);
    }
    charge
}
