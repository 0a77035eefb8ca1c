//! `/v1/payment_methods`: create (card, sepa_debit, us_bank_account, link,
//! ideal, bancontact, sofort), retrieve, update, attach, detach, list; and
//! the magic test ids such as `pm_card_visa`.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use super::{address, address_param};
use crate::auth::{require_secret, Role};
use crate::error::{ApiError, ApiResult};
use crate::http::{paginate, Ctx};
use crate::ids;
use crate::params::Params;
use crate::state::Shared;
use crate::store::FOUND;
use crate::store::{now, PaymentMethod, RequestMeta, Store};
use crate::test_values::{self, Outcome};

pub mod bank_debits;

pub const TYPES: &[&str] = &[
    "card",
    "sepa_debit",
    "us_bank_account",
    "acss_debit",
    "bacs_debit",
    "au_becs_debit",
    "nz_bank_account",
    "link",
    "ideal",
    "bancontact",
    "sofort",
];

pub fn render(pm: &PaymentMethod) -> Value {
    let mut value = json!({
        "id": pm.id,
        "object": "payment_method",
        "allow_redisplay": pm.allow_redisplay,
        "billing_details": with_tax_id(&pm.billing_details),
        "created": pm.created,
        "customer": pm.customer,
        // Accounts v2 customers are not emulated: the v1 `customer` is set.
        "customer_account": null,
        "livemode": false,
        "metadata": pm.metadata,
        "type": pm.kind,
    });
    let mut details = pm.details.clone();
    if pm.kind == "card" && details.get("regulated_status").is_none() {
        // Saved before the field existed: test cards are not regulated debit cards.
        details["regulated_status"] = json!("unregulated");
    }
    value[pm.kind.as_str()] = details;
    value
}

/// `billing_details` with `tax_id` (null unless given), also for methods
/// saved before the field existed.
pub fn with_tax_id(billing_details: &Value) -> Value {
    let mut billing = billing_details.clone();
    if billing.is_object() && billing.get("tax_id").is_none() {
        billing["tax_id"] = Value::Null;
    }
    billing
}

fn fingerprint(seed: &str) -> String {
    let digest = hex::encode(Sha256::digest(seed.as_bytes()));
    digest
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(16)
        .collect()
}

pub fn billing_details(params: &Params) -> ApiResult<Value> {
    let Some(b) = params.hash("billing_details")? else {
        return Ok(
            json!({ "address": address(None), "email": null, "name": null, "phone": null, "tax_id": null }),
        );
    };
    b.allow(&["address", "email", "name", "phone", "tax_id"])?;
    let text = |k: &str| -> ApiResult<Value> {
        Ok(b.str(k)?
            .filter(|s| !s.is_empty())
            .map(Value::String)
            .unwrap_or(Value::Null))
    };
    Ok(json!({
        "address": address(address_param(&b, "address")?.as_ref()),
        "email": text("email")?,
        "name": text("name")?,
        "phone": text("phone")?,
        "tax_id": text("tax_id")?,
    }))
}

fn card_error(code: &str, message: &str, param: &str) -> ApiError {
    ApiError::card_error(code, None, message).with_param(param)
}

/// Whether refunds of this method fail after succeeding: the refund-failure
/// test card (4000000000005126), known by its fingerprint.
pub fn refunds_fail(method: &crate::store::PaymentMethod) -> bool {
    method.kind == "card"
        && method.details["fingerprint"].as_str()
            == Some(fingerprint(test_values::REFUND_FAILS).as_str())
}

/// The `card` hash and behaviour of a card from its number.
pub fn card_details(number: &str, exp_month: i64, exp_year: i64) -> (Value, Outcome) {
    let card = test_values::card(number);
    let details = json!({
        "brand": card.brand,
        "checks": { "address_line1_check": null, "address_postal_code_check": null, "cvc_check": "unchecked" },
        "country": card.country,
        "display_brand": card.brand,
        "exp_month": exp_month,
        "exp_year": exp_year,
        "fingerprint": fingerprint(number),
        "funding": card.funding,
        "generated_from": null,
        "last4": &number[number.len() - 4..],
        "networks": { "available": [card.brand], "preferred": null },
        "regulated_status": "unregulated",
        "three_d_secure_usage": { "supported": true },
        "wallet": null,
    });
    (details, card.outcome)
}

fn card_from_params(p: &Params) -> ApiResult<Details> {
    p.allow(&["number", "exp_month", "exp_year", "cvc", "networks"])?;
    let number: String = p
        .required("number")?
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if !test_values::luhn_valid(&number) {
        return Err(card_error(
            "incorrect_number",
            "Your card number is incorrect.",
            "card[number]",
        ));
    }
    let exp_month = p
        .int("exp_month")?
        .ok_or_else(|| ApiError::missing("card[exp_month]"))?;
    if !(1..=12).contains(&exp_month) {
        return Err(card_error(
            "invalid_expiry_month",
            "Your card's expiration month is invalid.",
            "card[exp_month]",
        ));
    }
    let mut exp_year = p
        .int("exp_year")?
        .ok_or_else(|| ApiError::missing("card[exp_year]"))?;
    if exp_year < 100 {
        exp_year += 2000;
    }
    let (year, month) = current_year_month();
    if exp_year < year || (exp_year == year && exp_month < month) || exp_year > year + 50 {
        return Err(card_error(
            "invalid_expiry_year",
            "Your card's expiration year is invalid.",
            "card[exp_year]",
        ));
    }
    if let Some(cvc) = p.str("cvc")? {
        let want = if test_values::brand(&number) == "amex" {
            4
        } else {
            3
        };
        if cvc.len() != want || !cvc.chars().all(|c| c.is_ascii_digit()) {
            return Err(card_error(
                "invalid_cvc",
                "Your card's security code is invalid.",
                "card[cvc]",
            ));
        }
    }
    Ok(card_details(&number, exp_month, exp_year))
}

fn current_year_month() -> (i64, i64) {
    // Civil date from days since the epoch (Howard Hinnant's algorithm).
    let days = now().div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + if month <= 2 { 1 } else { 0 };
    (year, month)
}

/// ISO 13616 check: the IBAN's mod-97 remainder is 1.
pub fn iban_valid(iban: &str) -> bool {
    if iban.len() < 15 || iban.len() > 34 || !iban.chars().all(|c| c.is_ascii_alphanumeric()) {
        return false;
    }
    let rearranged = format!("{}{}", &iban[4..], &iban[..4]);
    let mut remainder: u32 = 0;
    for c in rearranged.chars() {
        let digits = if c.is_ascii_digit() {
            c.to_string()
        } else {
            (c as u32 - 'A' as u32 + 10).to_string()
        };
        for d in digits.chars() {
            remainder = (remainder * 10 + d.to_digit(10).unwrap_or(0)) % 97;
        }
    }
    iban[..2].chars().all(|c| c.is_ascii_uppercase()) && remainder == 1
}

pub fn sepa_details(iban: &str, generated_from: Option<&str>) -> Value {
    let country = &iban[..2];
    json!({
        "bank_code": if country == "DE" { iban.get(4..12).unwrap_or("") } else { iban.get(4..8).unwrap_or("") },
        "branch_code": "",
        "country": country,
        "fingerprint": fingerprint(iban),
        "generated_from": { "charge": generated_from, "setup_attempt": null },
        "last4": &iban[iban.len() - 4..],
    })
}

/// Builds a new (unattached) payment method from creation parameters.
pub fn build(p: &Params) -> ApiResult<PaymentMethod> {
    let kind = method_type(p)?;
    let billing = billing_details(p)?;
    let (details, outcome) = match kind.as_str() {
        "card" => card_from_params(&p.hash("card")?.ok_or_else(|| ApiError::missing("card"))?)?,
        "sepa_debit" => sepa_debit_from_params(p, &billing)?,
        "us_bank_account" => us_bank_account_from_params(p, &billing)?,
        "link" => link_from_params(p, &billing)?,
        "ideal" => ideal_from_params(p, &billing)?,
        "bancontact" => bancontact_from_params(p, &billing)?,
        "sofort" => sofort_from_params(p, &billing)?,
        debit if bank_debits::covers(debit) => bank_debits::from_params(debit, p, &billing)?,
        _ => unreachable!("checked against TYPES"),
    };
    let allow_redisplay = p
        .one_of("allow_redisplay", &["always", "limited", "unspecified"])?
        .unwrap_or_else(|| "unspecified".into());
    let mut metadata = Map::new();
    p.apply_metadata(&mut metadata)?;
    Ok(PaymentMethod {
        id: ids::new_id("pm"),
        created: now(),
        kind,
        details,
        billing_details: billing,
        customer: None,
        allow_redisplay,
        metadata,
        outcome,
        detached: false,
        consumed: false,
    })
}

/// `type`, one of [`TYPES`], with no other type's details beside it.
fn method_type(p: &Params) -> ApiResult<String> {
    let kind = p.required("type")?;
    if !TYPES.contains(&kind.as_str()) {
        return Err(ApiError::invalid_enum("type", &kind, TYPES));
    }
    for other in TYPES.iter().filter(|t| **t != kind) {
        if p.contains(other) {
            return Err(ApiError::invalid_request(
                format!("You passed `{other}` details, but `type` is `{kind}`."),
                Some((*other).into()),
            ));
        }
    }
    Ok(kind)
}

/// A type's details (as Stripe renders them) and what paying with it does.
type Details = (Value, Outcome);

fn sepa_debit_from_params(p: &Params, billing: &Value) -> ApiResult<Details> {
    let h = p
        .hash("sepa_debit")?
        .ok_or_else(|| ApiError::missing("sepa_debit[iban]"))?;
    h.allow(&["iban"])?;
    let iban: String = h
        .required("iban")?
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    if !iban_valid(&iban) {
        return Err(ApiError::invalid_request(
            "The IBAN you provided is invalid.",
            Some("sepa_debit[iban]".into()),
        )
        .with_code("invalid_bank_account_iban"));
    }
    if billing["name"].is_null() || billing["email"].is_null() {
        return Err(ApiError::invalid_request(
            "Missing required billing details: SEPA Direct Debit needs billing_details[name] and billing_details[email].",
            Some(if billing["name"].is_null() { "billing_details[name]" } else { "billing_details[email]" }.into()),
        ).with_code("parameter_missing"));
    }
    Ok((sepa_details(&iban, None), test_values::iban(&iban)))
}

fn us_bank_account_from_params(p: &Params, billing: &Value) -> ApiResult<Details> {
    let h = p
        .hash("us_bank_account")?
        .ok_or_else(|| ApiError::missing("us_bank_account[account_number]"))?;
    h.allow(&[
        "account_number",
        "routing_number",
        "account_holder_type",
        "account_type",
        "financial_connections_account",
    ])?;
    let routing = h.required("routing_number")?;
    if routing.len() != 9 || !routing.chars().all(|c| c.is_ascii_digit()) {
        return Err(ApiError::invalid_request(
            "Routing number must have 9 digits.",
            Some("us_bank_account[routing_number]".into()),
        )
        .with_code("routing_number_invalid"));
    }
    let account = h.required("account_number")?;
    if !(4..=17).contains(&account.len()) || !account.chars().all(|c| c.is_ascii_digit()) {
        return Err(ApiError::invalid_request(
            "Account number must have 4 to 17 digits.",
            Some("us_bank_account[account_number]".into()),
        )
        .with_code("account_number_invalid"));
    }
    let holder = h
        .one_of("account_holder_type", &["individual", "company"])?
        .unwrap_or_else(|| "individual".into());
    let account_type = h
        .one_of("account_type", &["checking", "savings"])?
        .unwrap_or_else(|| "checking".into());
    if billing["name"].is_null() {
        return Err(ApiError::missing("billing_details[name]"));
    }
    let details = json!({
        "account_holder_type": holder,
        "account_type": account_type,
        "bank_name": "STRIPE TEST BANK",
        "financial_connections_account": null,
        "fingerprint": fingerprint(&format!("{routing}{account}")),
        "last4": &account[account.len() - 4..],
        "networks": { "preferred": "ach", "supported": ["ach"] },
        "routing_number": routing,
        "status_details": null,
    });
    Ok((details, test_values::us_bank_account(&account)))
}

fn link_from_params(p: &Params, billing: &Value) -> ApiResult<Details> {
    let email = match p.hash("link")? {
        Some(h) => {
            h.allow(&["email"])?;
            h.str("email")?
        }
        None => None,
    }
    .or_else(|| billing["email"].as_str().map(str::to_owned))
    .ok_or_else(|| ApiError::missing("billing_details[email]"))?;
    Ok((json!({ "email": email }), Outcome::Succeed))
}

fn ideal_from_params(p: &Params, billing: &Value) -> ApiResult<Details> {
    let bank = match p.hash("ideal")? {
        Some(h) => {
            h.allow(&["bank"])?;
            h.one_of("bank", test_values::IDEAL_BANKS)?
        }
        None => None,
    };
    let bic = bank.as_deref().and_then(test_values::ideal_bic);
    Ok((
        json!({ "bank": bank, "bic": bic }),
        generated_outcome(billing),
    ))
}

fn bancontact_from_params(p: &Params, billing: &Value) -> ApiResult<Details> {
    if let Some(h) = p.hash("bancontact")? {
        h.allow(&[])?;
    }
    if billing["name"].is_null() {
        return Err(ApiError::missing("billing_details[name]"));
    }
    Ok((json!({}), generated_outcome(billing)))
}

fn sofort_from_params(p: &Params, billing: &Value) -> ApiResult<Details> {
    let h = p
        .hash("sofort")?
        .ok_or_else(|| ApiError::missing("sofort[country]"))?;
    h.allow(&["country"])?;
    let country = h.required("country")?.to_uppercase();
    if !test_values::SOFORT_COUNTRIES.contains(&country.as_str()) {
        return Err(ApiError::invalid_enum(
            "sofort[country]",
            &country,
            test_values::SOFORT_COUNTRIES,
        ));
    }
    Ok((json!({ "country": country }), generated_outcome(billing)))
}

/// Bank redirects authorise on the bank's page; what follows (for the SEPA
/// method they generate) depends on the test e-mail.
fn generated_outcome(billing: &Value) -> Outcome {
    test_values::generated_sepa(billing["email"].as_str())
}

/// A fresh payment method for a magic test id (`pm_card_visa`, `pm_success_de`, …).
pub fn from_magic_id(id: &str) -> Option<PaymentMethod> {
    let (kind, details, outcome, billing) = if let Some(number) = test_values::magic_card(id) {
        let (year, _) = current_year_month();
        let (details, outcome) = card_details(number, 12, year + 3);
        (
            "card",
            details,
            outcome,
            json!({ "address": address(None), "email": null, "name": null, "phone": null }),
        )
    } else if let Some(iban) = test_values::magic_iban(id) {
        (
            "sepa_debit",
            sepa_details(iban, None),
            test_values::iban(iban),
            json!({ "address": address(None), "email": "jenny@example.com", "name": "Jenny Rosen", "phone": null }),
        )
    } else {
        return None;
    };
    Some(PaymentMethod {
        id: ids::new_id("pm"),
        created: now(),
        kind: kind.into(),
        details,
        billing_details: billing,
        customer: None,
        allow_redisplay: "unspecified".into(),
        metadata: Map::new(),
        outcome,
        detached: false,
        consumed: false,
    })
}

/// The id of an existing payment method, or of a new one for a magic id.
pub fn resolve(store: &mut Store, id: &str, param: &str) -> ApiResult<String> {
    if store.payment_method(id).is_some() {
        return Ok(id.to_owned());
    }
    match from_magic_id(id) {
        Some(pm) => {
            let new_id = pm.id.clone();
            store.payment_methods.push(pm);
            Ok(new_id)
        }
        None => Err(ApiError::no_such("PaymentMethod", id, param)),
    }
}

/// Attaches with Stripe's card check: declining test cards fail here with a 402.
pub fn attach_to(
    store: &mut Store,
    pm_id: &str,
    customer: &str,
    meta: &RequestMeta,
    param: &str,
) -> ApiResult<String> {
    let pm_id = resolve(store, pm_id, param)?;
    super::find_live(store, customer, "customer")?;
    let pm = store.payment_method(&pm_id).expect(FOUND).clone();
    if pm.detached || pm.consumed {
        return Err(ApiError::invalid_request(
            "This PaymentMethod was previously used without being attached to a Customer or was detached from a Customer, and may not be used again.",
            Some(param.into()),
        ));
    }
    match pm.customer.as_deref() {
        Some(c) if c == customer => return Ok(pm_id),
        Some(_) => {
            return Err(ApiError::invalid_request(
                "The payment method you provided has already been attached to a customer.",
                Some(param.into()),
            ))
        }
        None => {}
    }
    if !matches!(
        pm.kind.as_str(),
        "card" | "sepa_debit" | "us_bank_account" | "link"
    ) && !bank_debits::covers(&pm.kind)
    {
        return Err(ApiError::invalid_request(
            format!("PaymentMethods of type `{}` cannot be attached to customers; save them through a payment with setup_future_usage, which generates a reusable sepa_debit PaymentMethod.", pm.kind),
            Some(param.into()),
        ));
    }
    if let Outcome::Decline(d) = &pm.outcome {
        let mut e =
            ApiError::card_error(&d.code, d.decline_code.as_deref(), &d.message).with_param(param);
        e.status = StatusCode::PAYMENT_REQUIRED;
        return Err(e);
    }
    let previous = json!({ "customer": null });
    let m = store.payment_method_mut(&pm_id).expect(FOUND);
    m.customer = Some(customer.to_owned());
    let rendered = render(m);
    store.emit("payment_method.attached", rendered, Some(previous), meta);
    Ok(pm_id)
}

pub fn detach(store: &mut Store, pm_id: &str, meta: &RequestMeta) -> ApiResult<Value> {
    let pm = store
        .payment_method(pm_id)
        .ok_or_else(|| ApiError::no_such("PaymentMethod", pm_id, "payment_method"))?;
    let Some(customer) = pm.customer.clone() else {
        return Err(ApiError::invalid_request(
            "The payment method you provided is not attached to a customer so detachment is impossible.",
            None,
        ));
    };
    let m = store.payment_method_mut(pm_id).expect(FOUND);
    m.customer = None;
    m.detached = true;
    let rendered = render(m);
    if let Some(c) = store.customer_mut(&customer) {
        if c.default_payment_method.as_deref() == Some(pm_id) {
            c.default_payment_method = None;
        }
    }
    store.emit(
        "payment_method.detached",
        rendered.clone(),
        Some(json!({ "customer": customer })),
        meta,
    );
    Ok(rendered)
}

/// A customer's attached methods, newest first, optionally filtered.
pub fn of_customer(
    store: &Store,
    customer: &str,
    kind: Option<&str>,
    redisplay: Option<&str>,
) -> Vec<(String, Value)> {
    store
        .payment_methods
        .iter()
        .rev()
        .filter(|m| m.customer.as_deref() == Some(customer))
        .filter(|m| kind.is_none_or(|k| m.kind == k))
        .filter(|m| redisplay.is_none_or(|r| m.allow_redisplay == r))
        .map(|m| (m.id.clone(), render(m)))
        .collect()
}

const CREATE_PARAMS: &[&str] = &[
    "type",
    "card",
    "sepa_debit",
    "us_bank_account",
    "acss_debit",
    "bacs_debit",
    "au_becs_debit",
    "nz_bank_account",
    "link",
    "ideal",
    "bancontact",
    "sofort",
    "billing_details",
    "allow_redisplay",
    "metadata",
    "expand",
    "customer",
    "payment_method",
];

pub async fn create(State(state): State<Arc<Shared>>, ctx: Ctx) -> ApiResult<Json<Value>> {
    ctx.params.allow(CREATE_PARAMS)?;
    if ctx.params.contains("customer") || ctx.params.contains("payment_method") {
        // Cloning a method to a connected account: Connect only.
        return Err(ApiError::invalid_request(
            "Cloning PaymentMethods (customer, payment_method) is only available to Connect platforms.",
            Some("customer".into()),
        ));
    }
    let pm = build(&ctx.params)?;
    let rendered = render(&pm);
    state.store().payment_methods.push(pm);
    Ok(Json(rendered))
}

pub async fn retrieve(
    State(state): State<Arc<Shared>>,
    Path(id): Path<String>,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    ctx.params.allow(&["expand"])?;
    let mut store = state.store();
    // Magic ids resolve to a fresh method, as in Stripe test mode.
    let id = match ctx.role {
        Role::Secret => resolve(&mut store, &id, "payment_method")?,
        Role::Publishable => id,
    };
    let pm = store
        .payment_method(&id)
        .ok_or_else(|| ApiError::no_such("PaymentMethod", &id, "payment_method"))?;
    Ok(Json(render(pm)))
}

pub async fn update(
    State(state): State<Arc<Shared>>,
    Path(id): Path<String>,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    require_secret(ctx.role)?;
    ctx.params.allow(&[
        "billing_details",
        "metadata",
        "allow_redisplay",
        "card",
        "us_bank_account",
        "link",
        "expand",
    ])?;
    let mut store = state.store();
    let mut pm = store
        .payment_method(&id)
        .ok_or_else(|| ApiError::no_such("PaymentMethod", &id, "payment_method"))?
        .clone();
    if pm.customer.is_none() {
        return Err(ApiError::invalid_request(
            "You must save this PaymentMethod to a customer before you can update it.",
            None,
        ));
    }
    let before = render(&pm);
    if ctx.params.contains("billing_details") {
        let mut merged = pm.billing_details.clone();
        let update = billing_details(&ctx.params)?;
        let given = ctx.params.hash("billing_details")?.unwrap_or_default();
        for key in ["address", "email", "name", "phone"] {
            if given.contains(key) {
                merged[key] = update[key].clone();
            }
        }
        pm.billing_details = merged;
    }
    if let Some(r) = ctx
        .params
        .one_of("allow_redisplay", &["always", "limited", "unspecified"])?
    {
        pm.allow_redisplay = r;
    }
    if let Some(card) = ctx.params.hash("card")? {
        card.allow(&["exp_month", "exp_year", "networks"])?;
        if pm.kind != "card" {
            return Err(ApiError::invalid_request(
                "card can only be updated on card PaymentMethods.",
                Some("card".into()),
            ));
        }
        if let Some(m) = card.int("exp_month")? {
            if !(1..=12).contains(&m) {
                return Err(card_error(
                    "invalid_expiry_month",
                    "Your card's expiration month is invalid.",
                    "card[exp_month]",
                ));
            }
            pm.details["exp_month"] = json!(m);
        }
        if let Some(y) = card.int("exp_year")? {
            pm.details["exp_year"] = json!(if y < 100 { y + 2000 } else { y });
        }
    }
    ctx.params.apply_metadata(&mut pm.metadata)?;
    let after = render(&pm);
    *store.payment_method_mut(&id).expect(FOUND) = pm;
    let previous = super::previous_attributes(&before, &after);
    store.emit(
        "payment_method.updated",
        after.clone(),
        Some(previous),
        &ctx.meta,
    );
    Ok(Json(after))
}

pub async fn attach(
    State(state): State<Arc<Shared>>,
    Path(id): Path<String>,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    require_secret(ctx.role)?;
    ctx.params.allow(&["customer", "expand"])?;
    let customer = ctx.params.required("customer")?;
    let mut store = state.store();
    let pm_id = attach_to(&mut store, &id, &customer, &ctx.meta, "payment_method")?;
    Ok(Json(render(store.payment_method(&pm_id).expect(FOUND))))
}

pub async fn detach_handler(
    State(state): State<Arc<Shared>>,
    Path(id): Path<String>,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    require_secret(ctx.role)?;
    ctx.params.allow(&["expand"])?;
    let mut store = state.store();
    Ok(Json(detach(&mut store, &id, &ctx.meta)?))
}

pub async fn list(State(state): State<Arc<Shared>>, ctx: Ctx) -> ApiResult<Json<Value>> {
    require_secret(ctx.role)?;
    ctx.params
        .allow_list(&["customer", "type", "allow_redisplay"])?;
    let customer = ctx.params.required("customer")?;
    let kind = ctx.params.non_empty("type")?;
    let redisplay = ctx
        .params
        .one_of("allow_redisplay", &["always", "limited", "unspecified"])?;
    let store = state.store();
    super::find_live(&store, &customer, "customer")?;
    let items = of_customer(&store, &customer, kind.as_deref(), redisplay.as_deref());
    Ok(Json(paginate(&ctx.params, items, "/v1/payment_methods")?))
}

/// `/v1/payment_methods`.
pub fn router() -> axum::Router<std::sync::Arc<crate::state::Shared>> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/payment_methods", post(create).get(list))
        .route("/payment_methods/{id}", get(retrieve).post(update))
        .route("/payment_methods/{id}/attach", post(attach))
        .route("/payment_methods/{id}/detach", post(detach_handler))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ibans() {
        assert!(iban_valid("DE89370400440532013000"));
        assert!(iban_valid("FR1420041010050500013M02606"));
        assert!(iban_valid("NL39RABO0300065264"));
        assert!(!iban_valid("DE89370400440532013001"));
        assert!(!iban_valid("DE8937"));
    }

    #[test]
    fn today_is_sane() {
        let (y, m) = current_year_month();
        assert!(y >= 2025 && (1..=12).contains(&m));
    }
}
