//! Parameters of the PaymentIntent endpoints: which method types a currency
//! allows, amounts and currencies, and the lists of accepted parameters.

use super::*;

pub(super) const REDIRECT_TYPES: &[&str] = &["ideal", "bancontact", "sofort"];

/// Which methods each currency allows.
pub(super) fn currencies_of(kind: &str) -> Option<&'static [&'static str]> {
    match kind {
        "sepa_debit" | "ideal" | "bancontact" | "sofort" => Some(&["eur"]),
        "us_bank_account" => Some(&["usd"]),
        "acss_debit" => Some(&["cad", "usd"]),
        "bacs_debit" => Some(&["gbp"]),
        "au_becs_debit" => Some(&["aud"]),
        "nz_bank_account" => Some(&["nzd"]),
        _ => None,
    }
}

pub(super) fn supports(kind: &str, currency: &str) -> bool {
    currencies_of(kind).is_none_or(|c| c.contains(&currency))
}

/// The methods automatic payment methods turn on for a currency, in the
/// Payment Element's default order.
pub(super) fn automatic_types(currency: &str, allow_redirects: bool) -> Vec<String> {
    payment_methods::TYPES
        .iter()
        .filter(|t| supports(t, currency))
        // Pre-authorized debits in USD are for Canadian accounts in US
        // dollars: only when asked for by name.
        .filter(|t| **t != "acss_debit" || currency == "cad")
        .filter(|t| allow_redirects || !REDIRECT_TYPES.contains(t))
        .map(|t| (*t).to_owned())
        .collect()
}

/// Which `payment_method_types` request parameters this API version knows (§0).
pub(super) fn type_params(version: &ApiVersion) -> &'static [&'static str] {
    if version.at_least("2026-09-30") {
        &[
            "allowed_payment_method_types",
            "excluded_payment_method_types",
        ]
    } else if version.at_least("2026-07-29") {
        &[
            "payment_method_types",
            "allowed_payment_method_types",
            "excluded_payment_method_types",
        ]
    } else {
        &["payment_method_types"]
    }
}

/// Resolves the methods an intent allows from its parameters.
pub(super) fn resolve_types(
    p: &Params,
    version: &ApiVersion,
    currency: &str,
    pi: Option<&PaymentIntent>,
) -> ApiResult<(Vec<String>, Option<Value>)> {
    let explicit = explicit_types(p)?;
    let param = if version.at_least("2026-09-30") {
        "allowed_payment_method_types"
    } else {
        "payment_method_types"
    };
    let excluded = p.list("excluded_payment_method_types")?.unwrap_or_default();
    let automatic = automatic_param(p)?;
    if explicit.is_some() && automatic.as_ref().is_some_and(|(enabled, _)| *enabled) {
        return Err(ApiError::invalid_request(
            format!(
                "You may only specify one of these parameters: automatic_payment_methods, {param}."
            ),
            Some("automatic_payment_methods".into()),
        ));
    }
    if let Some(types) = explicit {
        check_explicit_types(&types, param, currency)?;
        let kept = types
            .into_iter()
            .filter(|t| !excluded.contains(t))
            .collect();
        return Ok((kept, None));
    }
    // Neither given: automatic payment methods (the default since 2023-08-16),
    // or what the intent already has when only the currency changes.
    let (enabled_json, redirects) = match automatic {
        Some((true, r)) => (
            json!({ "allow_redirects": r, "enabled": true }),
            r == "always",
        ),
        Some((false, _)) => {
            return Err(ApiError::invalid_request(
                format!("automatic_payment_methods[enabled] is false, so {param} is required."),
                Some(param.into()),
            ))
        }
        None => match pi {
            Some(pi) => match pi.automatic_payment_methods.clone() {
                Some(existing) => {
                    let r = existing["allow_redirects"] != "never";
                    (existing, r)
                }
                // Explicit types kept: only drop those the new currency cannot take.
                None => return Ok((types_for_currency(&pi.payment_method_types, currency), None)),
            },
            None => (
                json!({ "allow_redirects": "always", "enabled": true }),
                true,
            ),
        },
    };
    let types = automatic_types(currency, redirects)
        .into_iter()
        .filter(|t| !excluded.contains(t))
        .collect();
    Ok((types, Some(enabled_json)))
}

/// `payment_method_types` or its newer name, `allowed_payment_method_types`
/// (never both).
fn explicit_types(p: &Params) -> ApiResult<Option<Vec<String>>> {
    match (p.list("payment_method_types")?, p.list("allowed_payment_method_types")?) {
        (Some(_), Some(_)) => Err(ApiError::invalid_request(
            "You may only specify one of these parameters: allowed_payment_method_types, payment_method_types.",
            Some("allowed_payment_method_types".into()),
        )),
        (a, b) => Ok(a.or(b)),
    }
}

/// `automatic_payment_methods[enabled]` and `[allow_redirects]` (default `always`).
fn automatic_param(p: &Params) -> ApiResult<Option<(bool, String)>> {
    let Some(h) = p.hash("automatic_payment_methods")? else {
        return Ok(None);
    };
    h.allow(&["enabled", "allow_redirects"])?;
    let enabled = h
        .bool("enabled")?
        .ok_or_else(|| ApiError::missing("automatic_payment_methods[enabled]"))?;
    let redirects = h
        .one_of("allow_redirects", &["always", "never"])?
        .unwrap_or_else(|| "always".into());
    Ok(Some((enabled, redirects)))
}

/// Every listed type exists and takes the currency.
fn check_explicit_types(types: &[String], param: &str, currency: &str) -> ApiResult<()> {
    if types.is_empty() {
        return Err(ApiError::invalid_request(
            format!("Invalid array: {param} must not be empty."),
            Some(param.into()),
        ));
    }
    for t in types {
        if !payment_methods::TYPES.contains(&t.as_str()) {
            return Err(ApiError::invalid_request(
                format!("The payment method type provided: {t} is invalid. Please ensure the provided type is activated in your dashboard (https://dashboard.stripe.com/account/payments/settings) and your account is enabled for any preview features that you are trying to use."),
                Some(param.into()),
            ));
        }
        if !supports(t, currency) {
            return Err(ApiError::invalid_request(
                format!(
                    "The currency provided ({currency}) is invalid. Payments with {t} support the following currencies: {}.",
                    currencies_of(t).unwrap_or(&[]).join(", ")
                ),
                Some("currency".into()),
            ));
        }
    }
    Ok(())
}

/// The types of `types` that take `currency`.
fn types_for_currency(types: &[String], currency: &str) -> Vec<String> {
    types
        .iter()
        .filter(|t| supports(t, currency))
        .cloned()
        .collect()
}

pub(super) fn amount(p: &Params, currency: &str) -> ApiResult<Option<i64>> {
    let Some(amount) = p.int("amount")? else {
        return Ok(None);
    };
    // Stripe's minimum is about USD 0.50; both currencies here use 50 minor units.
    if amount < 50 {
        return Err(ApiError::invalid_request(
            format!(
                "Amount must be at least 50 cents ({} 0.50).",
                currency.to_uppercase()
            ),
            Some("amount".into()),
        )
        .with_code("amount_too_small"));
    }
    if amount > 99_999_999 {
        return Err(ApiError::invalid_request(
            "Amount must be no more than 999,999.99.",
            Some("amount".into()),
        )
        .with_code("amount_too_large"));
    }
    Ok(Some(amount))
}

pub(super) fn currency(p: &Params) -> ApiResult<Option<String>> {
    match p.non_empty("currency")? {
        None => Ok(None),
        Some(c) if c.len() == 3 && c.chars().all(|ch| ch.is_ascii_alphabetic()) => {
            Ok(Some(c.to_lowercase()))
        }
        Some(c) => Err(ApiError::invalid_request(
            format!("Invalid currency: {c}."),
            Some("currency".into()),
        )),
    }
}

pub(super) const CREATE_PARAMS: &[&str] = &[
    "amount",
    "currency",
    "customer",
    "description",
    "metadata",
    "automatic_payment_methods",
    "setup_future_usage",
    "capture_method",
    "confirmation_method",
    "payment_method",
    "payment_method_data",
    "payment_method_options",
    "confirm",
    "return_url",
    "off_session",
    "error_on_requires_action",
    "mandate",
    "mandate_data",
    "use_stripe_sdk",
    "receipt_email",
    "shipping",
    "statement_descriptor",
    "statement_descriptor_suffix",
    "expand",
    "payment_method_configuration",
];

pub(super) const CONFIRM_PARAMS: &[&str] = &[
    "payment_method",
    "payment_method_data",
    "payment_method_options",
    "return_url",
    "setup_future_usage",
    "mandate",
    "mandate_data",
    "off_session",
    "error_on_requires_action",
    "use_stripe_sdk",
    "receipt_email",
    "shipping",
    "capture_method",
    "expand",
    "client_secret",
    "save_payment_method",
];

pub(super) fn sfu_param(p: &Params) -> ApiResult<Option<Option<String>>> {
    match p.str("setup_future_usage")? {
        None => Ok(None),
        Some(s) if s.is_empty() => Ok(Some(None)),
        Some(s) if s == "on_session" || s == "off_session" => Ok(Some(Some(s))),
        Some(s) => Err(ApiError::invalid_enum(
            "setup_future_usage",
            &s,
            &["off_session", "on_session"],
        )),
    }
}

pub(super) fn shipping_param(p: &Params) -> ApiResult<Option<Option<Value>>> {
    if !p.contains("shipping") {
        return Ok(None);
    }
    match p.hash("shipping")? {
        None => Ok(Some(None)),
        Some(h) => {
            h.allow(&["address", "name", "phone", "carrier", "tracking_number"])?;
            Ok(Some(Some(json!({
                "address": crate::api::address(crate::api::address_param(&h, "address")?.as_ref()),
                "carrier": h.str("carrier")?,
                "name": h.required("name")?,
                "phone": h.str("phone")?,
                "tracking_number": h.str("tracking_number")?,
            }))))
        }
    }
}

pub(super) fn receipt_email(p: &Params) -> ApiResult<Option<Option<String>>> {
    let v = p.nullable_str("receipt_email")?;
    if let Some(Some(email)) = &v {
        if !email.contains('@') {
            return Err(ApiError::invalid_request(
                format!("Invalid email address: {email}"),
                Some("receipt_email".into()),
            )
            .with_code("email_invalid"));
        }
    }
    Ok(v)
}

/// The parameters of a confirmation, from create (`confirm=true`) or confirm.
pub(super) struct Confirmation<'p> {
    pub(super) params: &'p Params,
    pub(super) role: Role,
}
