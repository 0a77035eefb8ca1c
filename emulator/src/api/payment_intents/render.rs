//! A PaymentIntent (and its charge) as JSON, for the secret key or for a
//! publishable key with the client secret (docs/stripe.md, "PaymentIntent statuses").

use super::*;

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
        "amount_refunded": charge.amount_refunded,
        "application": null,
        "application_fee": null,
        "application_fee_amount": null,
        "balance_transaction": null,
        "billing_details": payment_methods::with_tax_id(&charge.billing_details),
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
        "refunded": charge.amount_refunded > 0 && charge.amount_refunded == charge.amount,
        "review": null,
        "shipping": null,
        "source": null,
        "source_transfer": null,
        "statement_descriptor": null,
        "statement_descriptor_suffix": null,
        "status": charge.status,
        "transfer_data": null,
        "transfer_group": null,
    })
}

pub(super) const SECRET_EXPANDABLE: &[&str] = &["customer", "payment_method", "latest_charge"];

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
        // What the request limited it to; null with automatic payment methods.
        "allowed_payment_method_types": match pi.automatic_payment_methods {
            None => json!(pi.payment_method_types),
            Some(_) => Value::Null,
        },
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
    let extra = secret_fields(store, pi, expand);
    if let (Some(map), Some(extra)) = (value.as_object_mut(), extra.as_object()) {
        map.extend(extra.clone());
    }
    value
}

/// What only the secret key sees of an intent.
fn secret_fields(store: &Store, pi: &PaymentIntent, expand: &[String]) -> Value {
    let expanded = |field: &str| expand.iter().any(|e| e == field);
    let customer = match (&pi.customer, expanded("customer")) {
        (Some(id), true) => store
            .customer(id)
            .map(crate::api::customers::render)
            .unwrap_or(Value::Null),
        (id, _) => opt(id),
    };
    let latest_charge = match (&pi.latest_charge, expanded("latest_charge")) {
        (Some(id), true) => store.charge(id).map(render_charge).unwrap_or(Value::Null),
        (id, _) => opt(id),
    };
    json!({
        "amount_capturable": if pi.status == IntentStatus::RequiresCapture { pi.amount } else { 0 },
        "amount_details": { "tip": {} },
        "amount_received": pi.amount_received,
        "application": null,
        "application_fee_amount": null,
        "automatic_payment_methods": pi.automatic_payment_methods,
        "customer": customer,
        // Accounts v2 customers are not emulated: the v1 `customer` is set.
        "customer_account": null,
        "excluded_payment_method_types": pi.excluded_payment_method_types,
        "latest_charge": latest_charge,
        "managed_payments": null,
        "metadata": pi.metadata,
        "on_behalf_of": null,
        "payment_method_configuration_details": null,
        "payment_method_options": {},
        "payment_record": null,
        "processing": null,
        "review": null,
        "source": null,
        "statement_descriptor": pi.statement_descriptor,
        "statement_descriptor_suffix": pi.statement_descriptor_suffix,
        "transfer_data": null,
        "transfer_group": null,
    })
}
