//! `/v1/payment_intents` and the status machine of stripe-surface.md §2.6:
//! synchronous cards, 3-D Secure and bank redirects (`requires_action`),
//! asynchronous debits (`processing` → settled later), declines (HTTP 402
//! with the intent back in `requires_payment_method`).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Map, Value};

use super::{opt, payment_methods};
use crate::auth::{require_secret, Role};
use crate::error::{ApiError, ApiResult};
use crate::http::{paginate, ApiVersion, Ctx};
use crate::ids;
use crate::intent_status::{self, IntentStatus, Step};
use crate::params::Params;
use crate::store::{
    now, now_ms, Charge, PaymentIntent, PaymentMethod, Pending, RequestMeta, Store,
};
use crate::test_values::{Decline, Outcome, ThreeDsMode};
use crate::Shared;

const REDIRECT_TYPES: &[&str] = &["ideal", "bancontact", "sofort"];

/// Which methods each currency allows.
fn currencies_of(kind: &str) -> Option<&'static [&'static str]> {
    match kind {
        "sepa_debit" | "ideal" | "bancontact" | "sofort" => Some(&["eur"]),
        "us_bank_account" => Some(&["usd"]),
        _ => None,
    }
}

fn supports(kind: &str, currency: &str) -> bool {
    currencies_of(kind).is_none_or(|c| c.contains(&currency))
}

/// The methods automatic payment methods turn on for a currency, in the
/// Payment Element's default order.
fn automatic_types(currency: &str, allow_redirects: bool) -> Vec<String> {
    payment_methods::TYPES
        .iter()
        .filter(|t| supports(t, currency))
        .filter(|t| allow_redirects || !REDIRECT_TYPES.contains(t))
        .map(|t| (*t).to_owned())
        .collect()
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum View {
    Secret,
    /// What a publishable key with the client secret sees (§2.5).
    Client,
}

pub fn render_charge(charge: &Charge) -> Value {
    let succeeded = charge.status == "succeeded";
    json!({
        "id": charge.id,
        "object": "charge",
        "amount": charge.amount,
        "amount_captured": if succeeded { charge.amount } else { 0 },
        "amount_refunded": 0,
        "application": null,
        "application_fee": null,
        "application_fee_amount": null,
        "balance_transaction": null,
        "billing_details": charge.billing_details,
        "calculated_statement_descriptor": "STRIPE EMULATOR",
        "captured": succeeded,
        "created": charge.created,
        "currency": charge.currency,
        "customer": charge.customer,
        "description": null,
        "disputed": false,
        "failure_balance_transaction": null,
        "failure_code": charge.failure_code,
        "failure_message": charge.failure_message,
        "fraud_details": {},
        "invoice": null,
        "livemode": false,
        "metadata": {},
        "on_behalf_of": null,
        "outcome": null,
        "paid": succeeded,
        "payment_intent": charge.payment_intent,
        "payment_method": charge.payment_method,
        "payment_method_details": charge.payment_method_details,
        "receipt_email": null,
        "receipt_number": null,
        "receipt_url": null,
        "refunded": false,
        "review": null,
        "shipping": null,
        "source_transfer": null,
        "statement_descriptor": null,
        "statement_descriptor_suffix": null,
        "status": charge.status,
        "transfer_data": null,
        "transfer_group": null,
    })
}

const SECRET_EXPANDABLE: &[&str] = &["customer", "payment_method", "latest_charge"];

pub fn check_expand(expand: &[String], view: View) -> ApiResult<()> {
    let allowed: &[&str] = match view {
        View::Secret => SECRET_EXPANDABLE,
        View::Client => &["payment_method"],
    };
    match expand.iter().find(|e| !allowed.contains(&e.as_str())) {
        Some(e) => Err(ApiError::invalid_request(
            format!("This property cannot be expanded ({e})."),
            Some("expand".into()),
        )),
        None => Ok(()),
    }
}

/// The stored intent `id` as it is now, for the answer to a call that just
/// changed it.
pub fn render_current(store: &Store, id: &str, view: View, expand: &[String]) -> Value {
    let pi = store
        .payment_intent(id)
        .expect("the intent this request just found or changed");
    render(store, pi, view, expand)
}

pub fn render(store: &Store, pi: &PaymentIntent, view: View, expand: &[String]) -> Value {
    let expanded = |field: &str| expand.iter().any(|e| e == field);
    let payment_method = match (&pi.payment_method, expanded("payment_method")) {
        (Some(id), true) => store
            .payment_method(id)
            .map(payment_methods::render)
            .unwrap_or(Value::Null),
        (id, _) => opt(id),
    };
    let mut value = json!({
        "id": pi.id,
        "object": "payment_intent",
        "amount": pi.amount,
        "canceled_at": pi.canceled_at,
        "cancellation_reason": pi.cancellation_reason,
        "capture_method": pi.capture_method,
        "client_secret": pi.client_secret,
        "confirmation_method": pi.confirmation_method,
        "created": pi.created,
        "currency": pi.currency,
        "description": pi.description,
        "last_payment_error": pi.last_payment_error,
        "livemode": false,
        "next_action": pi.next_action,
        "payment_method": payment_method,
        "payment_method_types": pi.payment_method_types,
        "receipt_email": pi.receipt_email,
        "setup_future_usage": pi.setup_future_usage,
        "shipping": pi.shipping,
        "status": pi.status,
    });
    if view == View::Client {
        return value;
    }
    let customer = match (&pi.customer, expanded("customer")) {
        (Some(id), true) => store
            .customer(id)
            .map(super::customers::render)
            .unwrap_or(Value::Null),
        (id, _) => opt(id),
    };
    let latest_charge = match (&pi.latest_charge, expanded("latest_charge")) {
        (Some(id), true) => store.charge(id).map(render_charge).unwrap_or(Value::Null),
        (id, _) => opt(id),
    };
    let extra = json!({
        "amount_capturable": if pi.status == IntentStatus::RequiresCapture { pi.amount } else { 0 },
        "amount_details": { "tip": {} },
        "amount_received": pi.amount_received,
        "application": null,
        "application_fee_amount": null,
        "automatic_payment_methods": pi.automatic_payment_methods,
        "customer": customer,
        "invoice": null,
        "latest_charge": latest_charge,
        "metadata": pi.metadata,
        "on_behalf_of": null,
        "payment_method_configuration_details": null,
        "payment_method_options": {},
        "processing": null,
        "review": null,
        "statement_descriptor": pi.statement_descriptor,
        "statement_descriptor_suffix": pi.statement_descriptor_suffix,
        "transfer_data": null,
        "transfer_group": null,
    });
    if let (Some(map), Some(extra)) = (value.as_object_mut(), extra.as_object()) {
        map.extend(extra.clone());
    }
    value
}

fn find<'s>(store: &'s Store, id: &str) -> ApiResult<&'s PaymentIntent> {
    store
        .payment_intent(id)
        .ok_or_else(|| ApiError::no_such("payment_intent", id, "intent"))
}

/// The intent as the caller may see it, for embedding in errors.
fn view_for(role: Role) -> View {
    match role {
        Role::Secret => View::Secret,
        Role::Publishable => View::Client,
    }
}

/// Which `payment_method_types` request parameters this API version knows (§0).
fn type_params(version: &ApiVersion) -> &'static [&'static str] {
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
fn resolve_types(
    p: &Params,
    version: &ApiVersion,
    currency: &str,
    pi: Option<&PaymentIntent>,
) -> ApiResult<(Vec<String>, Option<Value>)> {
    let explicit = match (p.list("payment_method_types")?, p.list("allowed_payment_method_types")?) {
        (Some(_), Some(_)) => {
            return Err(ApiError::invalid_request(
                "You may only specify one of these parameters: allowed_payment_method_types, payment_method_types.",
                Some("allowed_payment_method_types".into()),
            ))
        }
        (a, b) => a.or(b),
    };
    let param = if version.at_least("2026-09-30") {
        "allowed_payment_method_types"
    } else {
        "payment_method_types"
    };
    let excluded = p.list("excluded_payment_method_types")?.unwrap_or_default();
    let automatic = match p.hash("automatic_payment_methods")? {
        Some(h) => {
            h.allow(&["enabled", "allow_redirects"])?;
            let enabled = h
                .bool("enabled")?
                .ok_or_else(|| ApiError::missing("automatic_payment_methods[enabled]"))?;
            let redirects = h
                .one_of("allow_redirects", &["always", "never"])?
                .unwrap_or_else(|| "always".into());
            Some((enabled, redirects))
        }
        None => None,
    };
    if explicit.is_some() && automatic.as_ref().is_some_and(|(enabled, _)| *enabled) {
        return Err(ApiError::invalid_request(
            format!(
                "You may only specify one of these parameters: automatic_payment_methods, {param}."
            ),
            Some("automatic_payment_methods".into()),
        ));
    }
    if let Some(types) = explicit {
        if types.is_empty() {
            return Err(ApiError::invalid_request(
                format!("Invalid array: {param} must not be empty."),
                Some(param.into()),
            ));
        }
        for t in &types {
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
        return Ok((
            types
                .into_iter()
                .filter(|t| !excluded.contains(t))
                .collect(),
            None,
        ));
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
        None => match pi.and_then(|p| p.automatic_payment_methods.clone()) {
            Some(existing) => {
                let r = existing["allow_redirects"] != "never";
                (existing, r)
            }
            None if pi.is_some() => {
                // Explicit types kept: only drop those the new currency cannot take.
                let kept: Vec<String> = pi
                    .unwrap()
                    .payment_method_types
                    .iter()
                    .filter(|t| supports(t, currency))
                    .cloned()
                    .collect();
                return Ok((kept, None));
            }
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

fn amount(p: &Params, currency: &str) -> ApiResult<Option<i64>> {
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

fn currency(p: &Params) -> ApiResult<Option<String>> {
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

const CREATE_PARAMS: &[&str] = &[
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

const CONFIRM_PARAMS: &[&str] = &[
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

fn sfu_param(p: &Params) -> ApiResult<Option<Option<String>>> {
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

fn shipping_param(p: &Params) -> ApiResult<Option<Option<Value>>> {
    if !p.contains("shipping") {
        return Ok(None);
    }
    match p.hash("shipping")? {
        None => Ok(Some(None)),
        Some(h) => {
            h.allow(&["address", "name", "phone", "carrier", "tracking_number"])?;
            Ok(Some(Some(json!({
                "address": super::address(super::address_param(&h, "address")?.as_ref()),
                "carrier": h.str("carrier")?,
                "name": h.required("name")?,
                "phone": h.str("phone")?,
                "tracking_number": h.str("tracking_number")?,
            }))))
        }
    }
}

fn receipt_email(p: &Params) -> ApiResult<Option<Option<String>>> {
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
struct Confirmation<'p> {
    params: &'p Params,
    role: Role,
}

pub async fn create(State(state): State<Arc<Shared>>, ctx: Ctx) -> ApiResult<Json<Value>> {
    require_secret(ctx.role)?;
    let mut known = CREATE_PARAMS.to_vec();
    known.extend(type_params(&ctx.version));
    ctx.params.allow(&known)?;
    let p = &ctx.params;
    let currency = currency(p)?.ok_or_else(|| ApiError::missing("currency"))?;
    let amount = amount(p, &currency)?.ok_or_else(|| ApiError::missing("amount"))?;
    let (types, automatic) = resolve_types(p, &ctx.version, &currency, None)?;
    let mut store = state.store.lock().unwrap();
    let customer = match p.non_empty("customer")? {
        Some(id) => Some(
            super::customers::find_live(&store, &id, "customer")?
                .id
                .clone(),
        ),
        None => None,
    };
    let mut metadata = Map::new();
    p.apply_metadata(&mut metadata)?;
    let id = ids::new_id("pi");
    let mut pi = PaymentIntent {
        client_secret: ids::client_secret(&id),
        id: id.clone(),
        created: now(),
        amount,
        currency,
        customer,
        description: p.nullable_str("description")?.flatten(),
        metadata,
        status: IntentStatus::RequiresPaymentMethod,
        payment_method: None,
        payment_method_types: types,
        automatic_payment_methods: automatic,
        setup_future_usage: sfu_param(p)?.flatten(),
        capture_method: p
            .one_of(
                "capture_method",
                &["automatic", "automatic_async", "manual"],
            )?
            .unwrap_or_else(|| "automatic_async".into()),
        confirmation_method: p
            .one_of("confirmation_method", &["automatic", "manual"])?
            .unwrap_or_else(|| "automatic".into()),
        last_payment_error: None,
        next_action: None,
        latest_charge: None,
        canceled_at: None,
        cancellation_reason: None,
        receipt_email: receipt_email(p)?.flatten(),
        shipping: shipping_param(p)?.flatten(),
        statement_descriptor: p.nullable_str("statement_descriptor")?.flatten(),
        statement_descriptor_suffix: p.nullable_str("statement_descriptor_suffix")?.flatten(),
        amount_received: 0,
        return_url: p.nullable_str("return_url")?.flatten(),
        pending: None,
        save_allow_redisplay: None,
        off_session: false,
        failed_attempts: 0,
    };
    if let Some(pm) = p.non_empty("payment_method")? {
        let pm_id = payment_methods::resolve(&mut store, &pm, "payment_method")?;
        pi.payment_method = Some(pm_id);
        pi.status = IntentStatus::RequiresConfirmation;
    }
    let confirm = p.bool("confirm")?.unwrap_or(false);
    for param in [
        "return_url",
        "off_session",
        "error_on_requires_action",
        "mandate",
        "mandate_data",
        "use_stripe_sdk",
    ] {
        if !confirm && p.contains(param) {
            return Err(ApiError::invalid_request(
                format!("You can only pass {param} when confirm=true."),
                Some(param.into()),
            ));
        }
    }
    if let Some(data) = p.hash("payment_method_data")? {
        let pm = payment_methods::build(&data)?;
        pi.payment_method = Some(pm.id.clone());
        pi.status = IntentStatus::RequiresConfirmation;
        store.payment_methods.push(pm);
    }
    let rendered = render(&store, &pi, View::Secret, &[]);
    store.payment_intents.push(pi);
    store.emit("payment_intent.created", rendered, None, &ctx.meta);
    let expand = p.expand()?;
    check_expand(&expand, View::Secret)?;
    if confirm {
        confirm_intent(
            &mut store,
            &state,
            &id,
            Confirmation {
                params: p,
                role: ctx.role,
            },
            &ctx.meta,
        )?;
    }
    Ok(Json(render_current(&store, &id, View::Secret, &expand)))
}

/// Checks the client secret a publishable-key caller must present.
fn check_client_secret(pi: &PaymentIntent, p: &Params) -> ApiResult<()> {
    let given = p.required("client_secret")?;
    if given != pi.client_secret {
        return Err(ApiError::invalid_request(
            "The client_secret provided does not match the client_secret associated with the PaymentIntent.",
            Some("client_secret".into()),
        ));
    }
    Ok(())
}

pub async fn retrieve(
    State(state): State<Arc<Shared>>,
    Path(id): Path<String>,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    ctx.params.allow(&["expand", "client_secret"])?;
    let expand = ctx.params.expand()?;
    let view = view_for(ctx.role);
    check_expand(&expand, view)?;
    let store = state.store.lock().unwrap();
    let pi = find(&store, &id)?;
    if ctx.role == Role::Publishable {
        check_client_secret(pi, &ctx.params)?;
    }
    Ok(Json(render(&store, pi, view, &expand)))
}

pub async fn update(
    State(state): State<Arc<Shared>>,
    Path(id): Path<String>,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    require_secret(ctx.role)?;
    let mut known = vec![
        "amount",
        "currency",
        "customer",
        "description",
        "metadata",
        "payment_method",
        "payment_method_data",
        "payment_method_options",
        "receipt_email",
        "setup_future_usage",
        "shipping",
        "statement_descriptor",
        "statement_descriptor_suffix",
        "capture_method",
        "expand",
        "payment_method_configuration",
    ];
    known.extend(type_params(&ctx.version));
    ctx.params.allow(&known)?;
    let p = &ctx.params;
    let mut store = state.store.lock().unwrap();
    let mut pi = find(&store, &id)?.clone();
    let always_updatable = [
        "metadata",
        "description",
        "receipt_email",
        "shipping",
        "expand",
    ];
    let changes_payment = p.keys().any(|k| !always_updatable.contains(&k.as_str()));
    if changes_payment
        && intent_status::next(pi.status, Step::UpdatePayment { has_method: true }).is_none()
    {
        return Err(ApiError::unexpected_state(format!(
            "This PaymentIntent's {} could not be updated because it has a status of {}. You may only update the {} of a PaymentIntent with one of the following statuses: requires_payment_method, requires_confirmation, requires_action.",
            p.keys().find(|k| !always_updatable.contains(&k.as_str())).map(String::as_str).unwrap_or("amount"),
            pi.status,
            p.keys().find(|k| !always_updatable.contains(&k.as_str())).map(String::as_str).unwrap_or("amount"),
        ))
        .with_payment_intent(render(&store, &pi, View::Secret, &[])));
    }
    let before = render(&store, &pi, View::Secret, &[]);
    let new_currency = currency(p)?;
    if let Some(c) = &new_currency {
        pi.currency = c.clone();
    }
    if let Some(a) = amount(p, &pi.currency)? {
        pi.amount = a;
    }
    let types_given = type_params(&ctx.version).iter().any(|t| p.contains(t))
        || p.contains("automatic_payment_methods");
    if types_given || new_currency.is_some() {
        let (types, automatic) = resolve_types(p, &ctx.version, &pi.currency, Some(&pi))?;
        pi.payment_method_types = types;
        if automatic.is_some() || types_given {
            pi.automatic_payment_methods = automatic;
        }
    }
    if let Some(c) = p.nullable_str("customer")? {
        match (&pi.customer, &c) {
            (Some(old), Some(new)) if old != new => {
                return Err(ApiError::invalid_request(
                    "You cannot change the customer of a PaymentIntent that already has one.",
                    Some("customer".into()),
                ))
            }
            (_, Some(new)) => {
                super::customers::find_live(&store, new, "customer")?;
                pi.customer = Some(new.clone());
            }
            (_, None) => pi.customer = None,
        }
    }
    if let Some(v) = p.nullable_str("description")? {
        pi.description = v;
    }
    if let Some(v) = receipt_email(p)? {
        pi.receipt_email = v;
    }
    if let Some(v) = shipping_param(p)? {
        pi.shipping = v;
    }
    if let Some(v) = sfu_param(p)? {
        pi.setup_future_usage = v;
    }
    if let Some(v) = p.one_of(
        "capture_method",
        &["automatic", "automatic_async", "manual"],
    )? {
        pi.capture_method = v;
    }
    if let Some(v) = p.nullable_str("statement_descriptor")? {
        pi.statement_descriptor = v;
    }
    if let Some(v) = p.nullable_str("statement_descriptor_suffix")? {
        pi.statement_descriptor_suffix = v;
    }
    p.apply_metadata(&mut pi.metadata)?;
    if let Some(pm) = p.nullable_str("payment_method")? {
        pi.payment_method = match pm {
            Some(pm) => Some(payment_methods::resolve(&mut store, &pm, "payment_method")?),
            None => None,
        };
    }
    if let Some(data) = p.hash("payment_method_data")? {
        let pm = payment_methods::build(&data)?;
        pi.payment_method = Some(pm.id.clone());
        store.payment_methods.push(pm);
    }
    if changes_payment {
        // Any change to the payment clears the last error and the pending action.
        pi.last_payment_error = None;
        pi.next_action = None;
        pi.pending = None;
        if let Some(pm) = &pi.payment_method {
            if store
                .payment_method(pm)
                .is_some_and(|m| !pi.payment_method_types.contains(&m.kind))
            {
                pi.payment_method = None;
            }
        }
        let step = Step::UpdatePayment {
            has_method: pi.payment_method.is_some(),
        };
        // Checked above: the status allows a change of the payment.
        pi.status = intent_status::next(pi.status, step).unwrap_or(pi.status);
    }
    let expand = p.expand()?;
    check_expand(&expand, View::Secret)?;
    let after = render(&store, &pi, View::Secret, &[]);
    *store.payment_intent_mut(&id).unwrap() = pi;
    let previous = super::customers::previous_attributes(&before, &after);
    if previous.as_object().is_some_and(|m| !m.is_empty()) {
        store.emit("payment_intent.updated", after, Some(previous), &ctx.meta);
    }
    Ok(Json(render_current(&store, &id, View::Secret, &expand)))
}

pub async fn confirm(
    State(state): State<Arc<Shared>>,
    Path(id): Path<String>,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    ctx.params.allow(CONFIRM_PARAMS)?;
    let view = view_for(ctx.role);
    let mut store = state.store.lock().unwrap();
    let pi = find(&store, &id)?;
    match ctx.role {
        Role::Publishable => check_client_secret(pi, &ctx.params)?,
        Role::Secret => {
            if ctx.params.contains("client_secret") || ctx.params.contains("save_payment_method") {
                return Err(ApiError::unknown_param(
                    if ctx.params.contains("client_secret") {
                        "client_secret"
                    } else {
                        "save_payment_method"
                    },
                ));
            }
        }
    }
    let expand = ctx.params.expand()?;
    check_expand(&expand, view)?;
    confirm_intent(
        &mut store,
        &state,
        &id,
        Confirmation {
            params: &ctx.params,
            role: ctx.role,
        },
        &ctx.meta,
    )?;
    Ok(Json(render_current(&store, &id, view, &expand)))
}

fn incompatible(pi: &PaymentIntent, kind: &str) -> ApiError {
    ApiError::invalid_request(
        format!(
            "The PaymentMethod provided ({kind}) is not allowed for this PaymentIntent. Please attach a PaymentMethod of one of the following types: {}. Alternatively, update the allowed payment_method_types for this PaymentIntent to include \"{kind}\".",
            pi.payment_method_types.join(", ")
        ),
        Some("payment_method".into()),
    )
    .with_code("payment_intent_incompatible_payment_method")
}

/// Confirms an intent and runs it as far as it goes without the customer.
fn confirm_intent(
    store: &mut Store,
    shared: &Shared,
    id: &str,
    c: Confirmation<'_>,
    meta: &RequestMeta,
) -> ApiResult<()> {
    let p = c.params;
    let view = view_for(c.role);
    let pi = find(store, id)?.clone();
    if !pi.status.is_confirmable() {
        return Err(ApiError::unexpected_state(format!(
            "You cannot confirm this PaymentIntent because it has a status of {}. Only a PaymentIntent with one of the following statuses may be confirmed: requires_confirmation, requires_payment_method, requires_action.",
            pi.status
        ))
        .with_payment_intent(render(store, &pi, view, &[])));
    }
    // Which method.
    let pm_id = if let Some(data) = p.hash("payment_method_data")? {
        let pm = payment_methods::build(&data)?;
        let id = pm.id.clone();
        store.payment_methods.push(pm);
        Some(id)
    } else if let Some(pm) = p.non_empty("payment_method")? {
        Some(match c.role {
            Role::Secret => payment_methods::resolve(store, &pm, "payment_method")?,
            Role::Publishable => store
                .payment_method(&pm)
                .map(|m| m.id.clone())
                .ok_or_else(|| ApiError::no_such("PaymentMethod", &pm, "payment_method"))?,
        })
    } else {
        pi.payment_method.clone()
    };
    let Some(pm_id) = pm_id else {
        return Err(ApiError::invalid_request(
            "You cannot confirm this PaymentIntent because it's missing a payment method. You can either update the PaymentIntent with a payment method and then confirm it again, or confirm it again directly with a payment method.",
            Some("payment_method".into()),
        )
        .with_code("payment_intent_unexpected_state")
        .with_payment_intent(render(store, &pi, view, &[])));
    };
    let pm = store.payment_method(&pm_id).unwrap().clone();
    if pm.detached || pm.consumed {
        return Err(ApiError::invalid_request(
            "The provided PaymentMethod was previously used with a PaymentIntent without Customer attachment, shared with a connected account without Customer attachment, or was detached from a Customer. It may not be used again. To use a PaymentMethod multiple times, you must attach it to a Customer first.",
            Some("payment_method".into()),
        ));
    }
    if let Some(owner) = &pm.customer {
        if pi.customer.as_deref() != Some(owner.as_str()) {
            return Err(ApiError::invalid_request(
                format!("The provided PaymentMethod belongs to a Customer ({owner}), but this PaymentIntent is for {}. Use a PaymentMethod of the PaymentIntent's Customer.", pi.customer.as_deref().unwrap_or("no Customer")),
                Some("payment_method".into()),
            ));
        }
    }
    if !pi.payment_method_types.contains(&pm.kind) {
        return Err(incompatible(&pi, &pm.kind).with_payment_intent(render(store, &pi, view, &[])));
    }
    let off_session = match p.str("off_session")?.as_deref() {
        None | Some("false") | Some("") => false,
        Some("true") | Some("one_off") | Some("recurring") => true,
        Some(other) => {
            return Err(ApiError::invalid_enum(
                "off_session",
                other,
                &["true", "false", "one_off", "recurring"],
            ))
        }
    };
    if off_session && c.role == Role::Publishable {
        return Err(ApiError::unknown_param("off_session"));
    }
    let return_url = match p.nullable_str("return_url")? {
        Some(v) => v,
        None => pi.return_url.clone(),
    };
    if let Some(url) = &return_url {
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(
                ApiError::invalid_request("Not a valid URL", Some("return_url".into()))
                    .with_code("url_invalid"),
            );
        }
    }
    let redirect_method = REDIRECT_TYPES.contains(&pm.kind.as_str());
    let automatic_with_redirects = pi
        .automatic_payment_methods
        .as_ref()
        .is_some_and(|a| a["allow_redirects"] == "always");
    if return_url.is_none()
        && (redirect_method || (c.role == Role::Secret && automatic_with_redirects && !off_session))
    {
        return Err(ApiError::invalid_request(
            "A return_url must be specified because this Payment Intent is configured to automatically accept the payment methods enabled in the Dashboard, some of which may require a full page redirect to succeed. If you do not want to accept redirect-based payment methods, set `automatic_payment_methods[enabled]` to `true` and `automatic_payment_methods[allow_redirects]` to `never` when creating Setup Intents and Payment Intents.",
            Some("return_url".into()),
        ));
    }
    let sfu = match sfu_param(p)? {
        Some(v) => v,
        None => pi.setup_future_usage.clone(),
    };
    // Stripe.js's save_payment_method: keep the method, off-session unless said otherwise.
    let sfu = if c.role == Role::Publishable && p.bool("save_payment_method")? == Some(true) {
        Some(sfu.unwrap_or_else(|| "off_session".into()))
    } else {
        sfu
    };
    if (pm.kind == "sepa_debit" || pm.kind == "us_bank_account") && p.contains("mandate_data") {
        p.hash("mandate_data")?;
    }
    let error_on_action = p.bool("error_on_requires_action")?.unwrap_or(false);
    let use_stripe_sdk = p
        .bool("use_stripe_sdk")?
        .unwrap_or(c.role == Role::Publishable);
    let new_receipt = receipt_email(p)?;
    let new_shipping = shipping_param(p)?;
    {
        let pi = store.payment_intent_mut(id).unwrap();
        pi.payment_method = Some(pm_id.clone());
        pi.return_url = return_url.clone();
        pi.setup_future_usage = sfu.clone();
        pi.last_payment_error = None;
        pi.next_action = None;
        pi.pending = None;
        pi.off_session = off_session;
        if let Some(v) = new_receipt {
            pi.receipt_email = v;
        }
        if let Some(v) = new_shipping {
            pi.shipping = v;
        }
        if pm.allow_redisplay == "always" {
            pi.save_allow_redisplay = Some("always".into());
        }
    }
    // A method used without a customer to keep it is spent.
    if pm.customer.is_none() && (pi.customer.is_none() || sfu.is_none()) {
        store.payment_method_mut(&pm_id).unwrap().consumed = true;
    }

    if redirect_method {
        let url = format!(
            "{}/_emulator/authorize/{}?client_secret={}",
            shared.base_url, id, pi.client_secret
        );
        return require_action(
            store,
            id,
            json!({
                "type": "redirect_to_url",
                "redirect_to_url": { "return_url": return_url, "url": url },
            }),
            Pending::Action {
                redirect: true,
                then: pm.outcome.clone(),
            },
            meta,
        );
    }
    let saved_for_customer = pm.customer.is_some() && pm.customer == pi.customer;
    match pm.outcome.clone() {
        Outcome::ThreeDs { mode, then } => {
            let passes_off_session = mode == ThreeDsMode::RequiredUnlessSetUp && saved_for_customer;
            if off_session && passes_off_session {
                run_outcome(store, shared, id, &then, meta, view)
            } else if off_session || error_on_action {
                let d = Decline {
                    code: "authentication_required".into(),
                    decline_code: Some("authentication_required".into()),
                    message: "Your card was declined. This transaction requires authentication."
                        .into(),
                };
                fail_attempt(store, id, &d, meta, true, view)
            } else {
                let url = format!(
                    "{}/_emulator/3ds/{}?client_secret={}",
                    shared.base_url, id, pi.client_secret
                );
                let next_action = if use_stripe_sdk {
                    json!({
                        "type": "use_stripe_sdk",
                        "use_stripe_sdk": { "type": "three_d_secure_redirect", "stripe_js": url, "source": pm_id },
                    })
                } else {
                    json!({ "type": "redirect_to_url", "redirect_to_url": { "return_url": return_url, "url": url } })
                };
                require_action(
                    store,
                    id,
                    next_action,
                    Pending::Action {
                        redirect: false,
                        then: *then,
                    },
                    meta,
                )
            }
        }
        outcome => run_outcome(store, shared, id, &outcome, meta, view),
    }
}

fn require_action(
    store: &mut Store,
    id: &str,
    next_action: Value,
    pending: Pending,
    meta: &RequestMeta,
) -> ApiResult<()> {
    let pi = store.payment_intent_mut(id).unwrap();
    pi.status = IntentStatus::RequiresAction;
    pi.next_action = Some(next_action);
    pi.pending = Some(pending);
    let rendered = render(store, store.payment_intent(id).unwrap(), View::Secret, &[]);
    store.emit("payment_intent.requires_action", rendered, None, meta);
    Ok(())
}

/// Runs a method's outcome once nothing more is needed from the customer.
fn run_outcome(
    store: &mut Store,
    shared: &Shared,
    id: &str,
    outcome: &Outcome,
    meta: &RequestMeta,
    view: View,
) -> ApiResult<()> {
    match outcome {
        Outcome::Succeed => {
            succeed(store, id, meta);
            Ok(())
        }
        Outcome::Decline(d) => fail_attempt(store, id, d, meta, true, view),
        Outcome::AttachOkChargeFails => {
            fail_attempt(store, id, &Decline::generic(), meta, true, view)
        }
        Outcome::ThreeDs { then, .. } => run_outcome(store, shared, id, then, meta, view),
        Outcome::Async {
            succeed: ok,
            delayed,
            failure,
        } => {
            start_processing(store, shared, id, *ok, *delayed, failure.clone(), meta);
            Ok(())
        }
    }
}

fn new_charge(store: &mut Store, id: &str, status: &str) -> String {
    let pi = store.payment_intent(id).unwrap().clone();
    let pm = store
        .payment_method(pi.payment_method.as_deref().unwrap_or_default())
        .cloned();
    let (kind, details) = pm
        .as_ref()
        .map(|m| (m.kind.clone(), charge_details(m)))
        .unwrap_or_else(|| ("card".into(), json!({})));
    let charge = Charge {
        id: ids::new_id("ch"),
        created: now(),
        amount: pi.amount,
        currency: pi.currency.clone(),
        customer: pi.customer.clone(),
        payment_intent: pi.id.clone(),
        payment_method: pi.payment_method.clone().unwrap_or_default(),
        status: status.into(),
        failure_code: None,
        failure_message: None,
        billing_details: pm
            .as_ref()
            .map(|m| m.billing_details.clone())
            .unwrap_or(Value::Null),
        payment_method_details: json!({ "type": kind, kind.clone(): details }),
    };
    let charge_id = charge.id.clone();
    store.charges.push(charge);
    store.payment_intent_mut(id).unwrap().latest_charge = Some(charge_id.clone());
    charge_id
}

fn charge_details(pm: &PaymentMethod) -> Value {
    let d = &pm.details;
    match pm.kind.as_str() {
        "card" => json!({
            "brand": d["brand"], "checks": d["checks"], "country": d["country"], "exp_month": d["exp_month"],
            "exp_year": d["exp_year"], "fingerprint": d["fingerprint"], "funding": d["funding"], "last4": d["last4"],
            "network": d["brand"], "three_d_secure": null, "wallet": null,
        }),
        "sepa_debit" => json!({
            "bank_code": d["bank_code"], "branch_code": d["branch_code"], "country": d["country"],
            "fingerprint": d["fingerprint"], "last4": d["last4"], "mandate": format!("mandate_{}", &pm.id[3..]),
        }),
        "us_bank_account" => json!({
            "account_holder_type": d["account_holder_type"], "account_type": d["account_type"], "bank_name": d["bank_name"],
            "fingerprint": d["fingerprint"], "last4": d["last4"], "routing_number": d["routing_number"],
        }),
        "ideal" => {
            json!({ "bank": d["bank"], "bic": d["bic"], "generated_sepa_debit": null, "generated_sepa_debit_mandate": null, "iban_last4": "5264", "verified_name": pm.billing_details["name"] })
        }
        "bancontact" => {
            json!({ "bank_code": "VAPE", "bank_name": "VAN DE PUT & CO", "bic": "VAPEBE22", "generated_sepa_debit": null, "generated_sepa_debit_mandate": null, "iban_last4": "7061", "preferred_language": "en", "verified_name": pm.billing_details["name"] })
        }
        "sofort" => {
            json!({ "bank_code": "DEUT", "bank_name": "Deutsche Bank", "bic": "DEUTDE2H", "country": d["country"], "generated_sepa_debit": null, "generated_sepa_debit_mandate": null, "iban_last4": "3000", "preferred_language": "de", "verified_name": pm.billing_details["name"] })
        }
        _ => json!({}),
    }
}

fn emit_charge(store: &mut Store, charge_id: &str, kind: &str, meta: &RequestMeta) {
    if let Some(charge) = store.charge(charge_id) {
        let rendered = render_charge(charge);
        store.emit(kind, rendered, None, meta);
    }
}

fn emit_intent(store: &mut Store, id: &str, kind: &str, meta: &RequestMeta) {
    let rendered = render(store, store.payment_intent(id).unwrap(), View::Secret, &[]);
    store.emit(kind, rendered, None, meta);
}

/// Saves the method to the intent's customer after a payment that asked to.
fn save_method(store: &mut Store, id: &str, charge_id: &str, meta: &RequestMeta) {
    let pi = store.payment_intent(id).unwrap().clone();
    let (Some(customer), Some(_), Some(pm_id)) = (
        pi.customer.clone(),
        pi.setup_future_usage.clone(),
        pi.payment_method.clone(),
    ) else {
        return;
    };
    let Some(pm) = store.payment_method(&pm_id).cloned() else {
        return;
    };
    // Saved through the Payment Element's box: `always`; otherwise `limited`.
    let redisplay =
        if pi.save_allow_redisplay.as_deref() == Some("always") || pm.allow_redisplay == "always" {
            "always"
        } else {
            "limited"
        };
    if REDIRECT_TYPES.contains(&pm.kind.as_str()) {
        // iDEAL, Bancontact and Sofort are not reusable: a SEPA Direct Debit
        // method is generated from the payment and saved instead (§9.4).
        let iban = match pm.kind.as_str() {
            "ideal" => "NL39RABO0300065264",
            "bancontact" => "BE62510007547061",
            _ => "DE89370400440532013000",
        };
        let generated = PaymentMethod {
            id: ids::new_id("pm"),
            created: now(),
            kind: "sepa_debit".into(),
            details: payment_methods::sepa_details(iban, Some(charge_id)),
            billing_details: pm.billing_details.clone(),
            customer: Some(customer),
            allow_redisplay: redisplay.into(),
            metadata: Map::new(),
            outcome: pm.outcome.clone(),
            detached: false,
            consumed: false,
        };
        let generated_id = generated.id.clone();
        let rendered = payment_methods::render(&generated);
        store.payment_methods.push(generated);
        if let Some(charge) = store.charges.iter_mut().find(|c| c.id == charge_id) {
            let details = &mut charge.payment_method_details[pm.kind.as_str()];
            details["generated_sepa_debit"] = json!(generated_id);
            details["generated_sepa_debit_mandate"] =
                json!(format!("mandate_{}", &generated_id[3..]));
        }
        store.emit(
            "payment_method.attached",
            rendered,
            Some(json!({ "customer": null })),
            meta,
        );
        return;
    }
    if pm.customer.is_none() && !pm.detached {
        let m = store.payment_method_mut(&pm_id).unwrap();
        m.customer = Some(customer);
        if m.allow_redisplay == "unspecified" {
            m.allow_redisplay = redisplay.into();
        }
        m.consumed = false;
        let rendered = payment_methods::render(m);
        store.emit(
            "payment_method.attached",
            rendered,
            Some(json!({ "customer": null })),
            meta,
        );
    }
}

fn succeed(store: &mut Store, id: &str, meta: &RequestMeta) {
    let charge_id = match store.payment_intent(id).unwrap().latest_charge.clone() {
        Some(c) if store.charge(&c).is_some_and(|ch| ch.status == "pending") => c,
        _ => new_charge(store, id, "succeeded"),
    };
    if let Some(charge) = store.charges.iter_mut().find(|c| c.id == charge_id) {
        charge.status = "succeeded".into();
    }
    {
        let pi = store.payment_intent_mut(id).unwrap();
        pi.status = if pi.capture_method == "manual" {
            IntentStatus::RequiresCapture
        } else {
            IntentStatus::Succeeded
        };
        pi.amount_received = if pi.status == IntentStatus::Succeeded {
            pi.amount
        } else {
            0
        };
        pi.next_action = None;
        pi.pending = None;
        pi.last_payment_error = None;
    }
    save_method(store, id, &charge_id, meta);
    emit_charge(store, &charge_id, "charge.succeeded", meta);
    let status = store.payment_intent(id).unwrap().status;
    emit_intent(
        store,
        id,
        if status == IntentStatus::RequiresCapture {
            "payment_intent.amount_capturable_updated"
        } else {
            "payment_intent.succeeded"
        },
        meta,
    );
}

/// How many failed confirmations an intent takes before Stripe gives up on it.
const MAX_FAILED_ATTEMPTS: u32 = 10;

/// A failed attempt: the intent goes back to `requires_payment_method` with
/// `last_payment_error`. With `respond`, the caller also gets Stripe's 402.
fn fail_attempt(
    store: &mut Store,
    id: &str,
    d: &Decline,
    meta: &RequestMeta,
    respond: bool,
    view: View,
) -> ApiResult<()> {
    let charge_id = match store.payment_intent(id).unwrap().latest_charge.clone() {
        Some(c) if store.charge(&c).is_some_and(|ch| ch.status == "pending") => c,
        _ => new_charge(store, id, "failed"),
    };
    if let Some(charge) = store.charges.iter_mut().find(|c| c.id == charge_id) {
        charge.status = "failed".into();
        charge.failure_code = Some(d.decline_code.clone().unwrap_or_else(|| d.code.clone()));
        charge.failure_message = Some(d.message.clone());
    }
    let pm = store.payment_intent(id).unwrap().payment_method.clone();
    let pm_json = pm
        .as_deref()
        .and_then(|p| store.payment_method(p))
        .map(payment_methods::render);
    let kind = pm_json
        .as_ref()
        .and_then(|p| p["type"].as_str())
        .unwrap_or("card")
        .to_owned();
    let error_type = if kind == "card" {
        "card_error"
    } else {
        "invalid_request_error"
    };
    let mut error = ApiError::card_error(&d.code, d.decline_code.as_deref(), &d.message);
    error.body.kind = error_type.into();
    error.body.charge = Some(charge_id.clone());
    error.body.payment_method = pm_json;
    error.body.payment_method_type = Some(kind);
    let error_json = serde_json::to_value(&error.body).unwrap_or(Value::Null);
    {
        let pi = store.payment_intent_mut(id).unwrap();
        pi.status = IntentStatus::RequiresPaymentMethod;
        pi.last_payment_error = Some(error_json);
        pi.next_action = None;
        pi.pending = None;
        pi.failed_attempts += 1;
    }
    emit_charge(store, &charge_id, "charge.failed", meta);
    emit_intent(store, id, "payment_intent.payment_failed", meta);
    if store.payment_intent(id).unwrap().failed_attempts >= MAX_FAILED_ATTEMPTS {
        cancel_now(store, id, Some("automatic"), meta);
    }
    if respond {
        let pi = render(store, store.payment_intent(id).unwrap(), view, &[]);
        Err(error.with_payment_intent(pi))
    } else {
        Ok(())
    }
}

fn start_processing(
    store: &mut Store,
    shared: &Shared,
    id: &str,
    ok: bool,
    delayed: bool,
    failure: Option<Decline>,
    meta: &RequestMeta,
) {
    let charge_id = new_charge(store, id, "pending");
    let delay = if delayed {
        shared.config.delayed_settle_after
    } else {
        shared.config.settle_after
    };
    {
        let pi = store.payment_intent_mut(id).unwrap();
        pi.status = IntentStatus::Processing;
        pi.next_action = None;
        pi.pending = Some(Pending::Settle {
            at_ms: now_ms() + delay.as_millis() as i64,
            succeed: ok,
            failure,
        });
    }
    // Debits save their method (with its mandate) as soon as they are accepted.
    let kind = store
        .payment_intent(id)
        .and_then(|p| p.payment_method.as_deref())
        .and_then(|p| store.payment_method(p))
        .map(|m| m.kind.clone())
        .unwrap_or_default();
    if !REDIRECT_TYPES.contains(&kind.as_str()) {
        save_method(store, id, &charge_id, meta);
    }
    emit_charge(store, &charge_id, "charge.pending", meta);
    emit_intent(store, id, "payment_intent.processing", meta);
}

/// Settles a `processing` intent: now, with its natural outcome or the one given.
pub fn settle(
    store: &mut Store,
    id: &str,
    force: Option<bool>,
    meta: &RequestMeta,
) -> ApiResult<()> {
    let pi = find(store, id)?.clone();
    let Some(Pending::Settle {
        succeed: natural,
        failure,
        ..
    }) = pi.pending.clone()
    else {
        return Err(ApiError::unexpected_state(format!(
            "This PaymentIntent has a status of {}; only a processing PaymentIntent can be settled.",
            pi.status
        )));
    };
    if force.unwrap_or(natural) {
        // (For Sofort, `succeed` also saves the SEPA method it generates.)
        succeed(store, id, meta);
        Ok(())
    } else {
        let d = failure.unwrap_or_else(|| Decline {
            code: "payment_method_provider_decline".into(),
            decline_code: Some("generic_decline".into()),
            message: "The payment could not be completed: the bank refused the debit.".into(),
        });
        fail_attempt(store, id, &d, meta, false, View::Secret)
    }
}

/// Settles every processing intent whose time has come. Returns how many.
pub fn settle_due(store: &mut Store) -> usize {
    let due: Vec<String> = store
        .payment_intents
        .iter()
        .filter(|p| matches!(p.pending, Some(Pending::Settle { at_ms, .. }) if at_ms <= now_ms()))
        .map(|p| p.id.clone())
        .collect();
    let meta = RequestMeta {
        api_version: crate::http::DEFAULT_API_VERSION.into(),
        ..Default::default()
    };
    for id in &due {
        let _ = settle(store, id, None, &meta);
    }
    due.len()
}

/// Finishes a `requires_action` intent: the customer completed or failed
/// 3-D Secure or the bank's authorisation.
pub fn complete_action(
    store: &mut Store,
    shared: &Shared,
    id: &str,
    authorized: bool,
    meta: &RequestMeta,
) -> ApiResult<()> {
    let pi = find(store, id)?.clone();
    let Some(Pending::Action { redirect, then }) = pi.pending.clone() else {
        return Err(ApiError::unexpected_state(format!(
            "This PaymentIntent has a status of {} and no action to complete.",
            pi.status
        )));
    };
    if !authorized {
        let d = if redirect {
            Decline {
                code: "payment_intent_payment_attempt_failed".into(),
                decline_code: None,
                message: "The payment was not authorised at the bank. Please choose a different payment method and try again.".into(),
            }
        } else {
            Decline {
                code: "payment_intent_authentication_failure".into(),
                decline_code: None,
                message: "We are unable to authenticate your payment method. Please choose a different payment method and try again.".into(),
            }
        };
        fail_attempt(store, id, &d, meta, false, View::Secret)?;
        if let Some(Value::Object(e)) = store
            .payment_intent_mut(id)
            .unwrap()
            .last_payment_error
            .as_mut()
        {
            e.insert("type".into(), json!("invalid_request_error"));
        }
        return Ok(());
    }
    let kind = pi
        .payment_method
        .as_deref()
        .and_then(|p| store.payment_method(p))
        .map(|m| m.kind.clone())
        .unwrap_or_default();
    match kind.as_str() {
        // Immediate notification: paid on return from the bank.
        "ideal" | "bancontact" => {
            succeed(store, id, meta);
            Ok(())
        }
        // Delayed notification: processing, then settles.
        "sofort" => {
            start_processing(store, shared, id, true, false, None, meta);
            Ok(())
        }
        _ => run_outcome(store, shared, id, &then, meta, View::Secret).or_else(|e| {
            // A decline after authentication is reported on the intent, not as an HTTP error.
            if e.status == axum::http::StatusCode::PAYMENT_REQUIRED {
                Ok(())
            } else {
                Err(e)
            }
        }),
    }
}

fn cancel_now(store: &mut Store, id: &str, reason: Option<&str>, meta: &RequestMeta) {
    {
        let pi = store.payment_intent_mut(id).unwrap();
        pi.status = IntentStatus::Canceled;
        pi.canceled_at = Some(now());
        pi.cancellation_reason = reason.map(str::to_owned);
        pi.next_action = None;
        pi.pending = None;
    }
    emit_intent(store, id, "payment_intent.canceled", meta);
}

pub async fn cancel(
    State(state): State<Arc<Shared>>,
    Path(id): Path<String>,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    require_secret(ctx.role)?;
    ctx.params.allow(&["cancellation_reason", "expand"])?;
    let reason = ctx.params.one_of(
        "cancellation_reason",
        &[
            "abandoned",
            "duplicate",
            "fraudulent",
            "requested_by_customer",
        ],
    )?;
    let expand = ctx.params.expand()?;
    check_expand(&expand, View::Secret)?;
    let mut store = state.store.lock().unwrap();
    let pi = find(&store, &id)?.clone();
    if intent_status::next(pi.status, Step::Cancel).is_none() {
        return Err(ApiError::unexpected_state(format!(
            "You cannot cancel this PaymentIntent because it has a status of {}. Only a PaymentIntent with one of the following statuses may be canceled: requires_payment_method, requires_capture, requires_confirmation, requires_action.",
            pi.status
        ))
        .with_payment_intent(render(&store, &pi, View::Secret, &[])));
    }
    cancel_now(&mut store, &id, reason.as_deref(), &ctx.meta);
    Ok(Json(render_current(&store, &id, View::Secret, &expand)))
}

pub async fn capture(
    State(state): State<Arc<Shared>>,
    Path(id): Path<String>,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    require_secret(ctx.role)?;
    ctx.params.allow(&["amount_to_capture", "expand"])?;
    let mut store = state.store.lock().unwrap();
    let pi = find(&store, &id)?.clone();
    if intent_status::next(pi.status, Step::Capture).is_none() {
        return Err(ApiError::unexpected_state(format!(
            "This PaymentIntent could not be captured because it has a status of {}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.",
            pi.status
        ))
        .with_payment_intent(render(&store, &pi, View::Secret, &[])));
    }
    let amount = ctx.params.int("amount_to_capture")?.unwrap_or(pi.amount);
    if amount <= 0 || amount > pi.amount {
        return Err(ApiError::invalid_request(
            "The amount to capture must be positive and at most the authorized amount.",
            Some("amount_to_capture".into()),
        ));
    }
    {
        let pi = store.payment_intent_mut(&id).unwrap();
        pi.status = IntentStatus::Succeeded;
        pi.amount_received = amount;
    }
    emit_intent(&mut store, &id, "payment_intent.succeeded", &ctx.meta);
    Ok(Json(render_current(
        &store,
        &id,
        View::Secret,
        &ctx.params.expand()?,
    )))
}

pub async fn list(State(state): State<Arc<Shared>>, ctx: Ctx) -> ApiResult<Json<Value>> {
    require_secret(ctx.role)?;
    ctx.params.allow_list(&["customer", "created"])?;
    let customer = ctx.params.non_empty("customer")?;
    let created = ctx.params.created()?;
    let store = state.store.lock().unwrap();
    let items = store
        .payment_intents
        .iter()
        .rev()
        .filter(|p| created.contains(p.created))
        .filter(|p| {
            customer
                .as_ref()
                .is_none_or(|c| p.customer.as_deref() == Some(c.as_str()))
        })
        .map(|p| (p.id.clone(), render(&store, p, View::Secret, &[])))
        .collect();
    Ok(Json(paginate(&ctx.params, items, "/v1/payment_intents")?))
}
