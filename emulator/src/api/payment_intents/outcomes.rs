//! What follows an outcome: charges, saved methods, events, and the intent
//! paid, failed, processing, settled, its action completed, or canceled.

use super::*;
use crate::store::FOUND;

pub(super) fn new_charge(store: &mut Store, id: &str, status: &str) -> String {
    let pi = store.payment_intent(id).expect(FOUND).clone();
    let pm = store
        .payment_method(pi.payment_method.as_deref().unwrap_or_default())
        .cloned();
    let (kind, details) = pm
        .as_ref()
        .map(|m| (m.kind.clone(), charge_details(m, pi.amount)))
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
        amount_refunded: 0,
    };
    let charge_id = charge.id.clone();
    store.charges.push(charge);
    store.payment_intent_mut(id).expect(FOUND).latest_charge = Some(charge_id.clone());
    charge_id
}

/// The charge's `payment_method_details` for `amount` paid with `pm`.
pub(super) fn charge_details(pm: &PaymentMethod, amount: i64) -> Value {
    let d = &pm.details;
    match pm.kind.as_str() {
        "card" => json!({
            "amount_authorized": amount, "authorization_code": null, "brand": d["brand"], "checks": d["checks"],
            "country": d["country"], "electronic_commerce_indicator": null, "exp_month": d["exp_month"],
            "exp_year": d["exp_year"], "fingerprint": d["fingerprint"], "funding": d["funding"], "installments": null,
            "last4": d["last4"], "mandate": null, "network": d["brand"], "network_transaction_id": null,
            "regulated_status": "unregulated", "three_d_secure": null, "transaction_link_id": null, "wallet": null,
        }),
        "sepa_debit" => json!({
            "bank_code": d["bank_code"], "branch_code": d["branch_code"], "country": d["country"],
            "fingerprint": d["fingerprint"], "last4": d["last4"], "mandate": format!("mandate_{}", &pm.id[3..]),
        }),
        "us_bank_account" => json!({
            "account_holder_type": d["account_holder_type"], "account_type": d["account_type"], "bank_name": d["bank_name"],
            "fingerprint": d["fingerprint"], "last4": d["last4"], "payment_reference": null,
            "routing_number": d["routing_number"],
        }),
        "ideal" => {
            json!({ "bank": d["bank"], "bic": d["bic"], "generated_sepa_debit": null, "generated_sepa_debit_mandate": null, "iban_last4": "5264", "transaction_id": null, "verified_name": pm.billing_details["name"] })
        }
        "bancontact" => {
            json!({ "bank_code": "VAPE", "bank_name": "VAN DE PUT & CO", "bic": "VAPEBE22", "generated_sepa_debit": null, "generated_sepa_debit_mandate": null, "iban_last4": "7061", "preferred_language": "en", "verified_name": pm.billing_details["name"] })
        }
        "sofort" => {
            json!({ "bank_code": "DEUT", "bank_name": "Deutsche Bank", "bic": "DEUTDE2H", "country": d["country"], "generated_sepa_debit": null, "generated_sepa_debit_mandate": null, "iban_last4": "3000", "preferred_language": "de", "verified_name": pm.billing_details["name"] })
        }
        debit if payment_methods::bank_debits::covers(debit) => {
            payment_methods::bank_debits::charge_details(
                debit,
                d,
                &format!("mandate_{}", &pm.id[3..]),
            )
        }
        _ => json!({}),
    }
}

pub(super) fn emit_charge(store: &mut Store, charge_id: &str, kind: &str, meta: &RequestMeta) {
    if let Some(charge) = store.charge(charge_id) {
        let rendered = render_charge(charge);
        store.emit(kind, rendered, None, meta);
    }
}

pub(super) fn emit_intent(store: &mut Store, id: &str, kind: &str, meta: &RequestMeta) {
    let rendered = render(
        store,
        store.payment_intent(id).expect(FOUND),
        View::Secret,
        &[],
    );
    store.emit(kind, rendered, None, meta);
}

/// Saves the method to the intent's customer after a payment that asked to.
pub(super) fn save_method(store: &mut Store, id: &str, charge_id: &str, meta: &RequestMeta) {
    let pi = store.payment_intent(id).expect(FOUND).clone();
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
        let m = store.payment_method_mut(&pm_id).expect(FOUND);
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

pub(super) fn succeed(store: &mut Store, id: &str, meta: &RequestMeta) {
    let charge_id = match store.payment_intent(id).expect(FOUND).latest_charge.clone() {
        Some(c) if store.charge(&c).is_some_and(|ch| ch.status == "pending") => c,
        _ => new_charge(store, id, "succeeded"),
    };
    if let Some(charge) = store.charges.iter_mut().find(|c| c.id == charge_id) {
        charge.status = "succeeded".into();
    }
    {
        let pi = store.payment_intent_mut(id).expect(FOUND);
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
    let status = store.payment_intent(id).expect(FOUND).status;
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
pub(super) const MAX_FAILED_ATTEMPTS: u32 = 10;

/// A failed attempt: the intent goes back to `requires_payment_method` with
/// `last_payment_error`. With `respond`, the caller also gets Stripe's 402.
pub(super) fn fail_attempt(
    store: &mut Store,
    id: &str,
    d: &Decline,
    meta: &RequestMeta,
    respond: bool,
    view: View,
) -> ApiResult<()> {
    let charge_id = match store.payment_intent(id).expect(FOUND).latest_charge.clone() {
        Some(c) if store.charge(&c).is_some_and(|ch| ch.status == "pending") => c,
        _ => new_charge(store, id, "failed"),
    };
    if let Some(charge) = store.charges.iter_mut().find(|c| c.id == charge_id) {
        charge.status = "failed".into();
        charge.failure_code = Some(d.decline_code.clone().unwrap_or_else(|| d.code.clone()));
        charge.failure_message = Some(d.message.clone());
    }
    let pm = store
        .payment_intent(id)
        .expect(FOUND)
        .payment_method
        .clone();
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
        let pi = store.payment_intent_mut(id).expect(FOUND);
        pi.status = IntentStatus::RequiresPaymentMethod;
        pi.last_payment_error = Some(error_json);
        pi.next_action = None;
        pi.pending = None;
        pi.failed_attempts += 1;
    }
    emit_charge(store, &charge_id, "charge.failed", meta);
    emit_intent(store, id, "payment_intent.payment_failed", meta);
    if store.payment_intent(id).expect(FOUND).failed_attempts >= MAX_FAILED_ATTEMPTS {
        cancel_now(store, id, Some("automatic"), meta);
    }
    if respond {
        let pi = render(store, store.payment_intent(id).expect(FOUND), view, &[]);
        Err(error.with_payment_intent(pi))
    } else {
        Ok(())
    }
}

pub(super) fn start_processing(
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
        let pi = store.payment_intent_mut(id).expect(FOUND);
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
    let Some(Pending::Action {
        redirect,
        then,
        scripted,
    }) = pi.pending.clone()
    else {
        return Err(ApiError::unexpected_state(format!(
            "This PaymentIntent has a status of {} and no action to complete.",
            pi.status
        )));
    };
    if !authorized || then == Outcome::FailAuthentication {
        return fail_authentication(store, id, redirect, meta);
    }
    if scripted {
        return run_after_action(store, shared, id, &then, meta);
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
        // A decline after authentication is reported on the intent, not as an HTTP error.
        _ => run_after_action(store, shared, id, &then, meta),
    }
}

/// The customer failed 3-D Secure (or the bank refused on its page): the
/// attempt fails with Stripe's `invalid_request_error`.
pub(super) fn fail_authentication(
    store: &mut Store,
    id: &str,
    redirect: bool,
    meta: &RequestMeta,
) -> ApiResult<()> {
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
        .expect(FOUND)
        .last_payment_error
        .as_mut()
    {
        e.insert("type".into(), json!("invalid_request_error"));
    }
    Ok(())
}

/// The outcome once the customer is back from 3-D Secure or the bank: a
/// decline is reported on the intent, not as an HTTP error.
fn run_after_action(
    store: &mut Store,
    shared: &Shared,
    id: &str,
    then: &Outcome,
    meta: &RequestMeta,
) -> ApiResult<()> {
    run_outcome(store, shared, id, then, meta, View::Secret).or_else(|e| {
        if e.status == axum::http::StatusCode::PAYMENT_REQUIRED {
            Ok(())
        } else {
            Err(e)
        }
    })
}

pub(super) fn cancel_now(store: &mut Store, id: &str, reason: Option<&str>, meta: &RequestMeta) {
    {
        let pi = store.payment_intent_mut(id).expect(FOUND);
        pi.status = IntentStatus::Canceled;
        pi.canceled_at = Some(now());
        pi.cancellation_reason = reason.map(str::to_owned);
        pi.next_action = None;
        pi.pending = None;
    }
    emit_intent(store, id, "payment_intent.canceled", meta);
}
