//! Turning parameters into an intent: a new one (`create`), or the changes
//! an update may make given the intent's status.

use super::*;

/// Parameters Stripe accepts only together with `confirm=true`.
pub(super) fn check_confirm_only_params(p: &Params, confirm: bool) -> ApiResult<()> {
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
    Ok(())
}

/// A new intent from `POST /v1/payment_intents` (its method, if given, is
/// created or resolved in the store; the intent itself is not stored).
pub(super) fn new_intent(
    store: &mut Store,
    p: &Params,
    version: &ApiVersion,
) -> ApiResult<PaymentIntent> {
    let currency = currency(p)?.ok_or_else(|| ApiError::missing("currency"))?;
    let amount = amount(p, &currency)?.ok_or_else(|| ApiError::missing("amount"))?;
    let (types, automatic) = resolve_types(p, version, &currency, None)?;
    let customer = match p.non_empty("customer")? {
        Some(id) => Some(crate::api::find_live(store, &id, "customer")?.id.clone()),
        None => None,
    };
    let mut metadata = Map::new();
    p.apply_metadata(&mut metadata)?;
    let id = ids::new_id("pi");
    let mut pi = PaymentIntent {
        client_secret: ids::client_secret(&id),
        id,
        created: now(),
        amount,
        currency,
        customer,
        description: p.nullable_str("description")?.flatten(),
        metadata,
        status: IntentStatus::RequiresPaymentMethod,
        payment_method: None,
        payment_method_types: types,
        excluded_payment_method_types: excluded_types(p)?,
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
        pi.payment_method = Some(payment_methods::resolve(store, &pm, "payment_method")?);
        pi.status = IntentStatus::RequiresConfirmation;
    }
    if let Some(data) = p.hash("payment_method_data")? {
        let pm = payment_methods::build(&data)?;
        pi.payment_method = Some(pm.id.clone());
        pi.status = IntentStatus::RequiresConfirmation;
        store.payment_methods.push(pm);
    }
    Ok(pi)
}

/// What `POST /v1/payment_intents/{id}` accepts (besides the version's
/// type parameters).
pub(super) const UPDATE_PARAMS: &[&str] = &[
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

/// Parameters an intent takes in any status.
const ALWAYS_UPDATABLE: &[&str] = &[
    "metadata",
    "description",
    "receipt_email",
    "shipping",
    "expand",
];

/// Whether the update changes the payment, refused (with Stripe's message)
/// when the intent's status no longer allows that.
pub(super) fn check_updatable(store: &Store, pi: &PaymentIntent, p: &Params) -> ApiResult<bool> {
    let Some(first) = p.keys().find(|k| !ALWAYS_UPDATABLE.contains(&k.as_str())) else {
        return Ok(false);
    };
    if intent_status::next(pi.status, Step::UpdatePayment { has_method: true }).is_none() {
        return Err(ApiError::unexpected_state(format!(
            "This PaymentIntent's {first} could not be updated because it has a status of {}. You may only update the {first} of a PaymentIntent with one of the following statuses: requires_payment_method, requires_confirmation, requires_action.",
            pi.status,
        ))
        .with_payment_intent(render(store, pi, View::Secret, &[])));
    }
    Ok(true)
}

/// Applies every given parameter to `pi` (a copy; the caller stores it).
pub(super) fn apply_update(
    store: &mut Store,
    pi: &mut PaymentIntent,
    p: &Params,
    version: &ApiVersion,
) -> ApiResult<()> {
    apply_amount_and_types(pi, p, version)?;
    apply_customer(store, pi, p)?;
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
            Some(pm) => Some(payment_methods::resolve(store, &pm, "payment_method")?),
            None => None,
        };
    }
    if let Some(data) = p.hash("payment_method_data")? {
        let pm = payment_methods::build(&data)?;
        pi.payment_method = Some(pm.id.clone());
        store.payment_methods.push(pm);
    }
    Ok(())
}

/// A new currency or amount; the method types follow a new currency.
fn apply_amount_and_types(
    pi: &mut PaymentIntent,
    p: &Params,
    version: &ApiVersion,
) -> ApiResult<()> {
    let new_currency = currency(p)?;
    if let Some(c) = &new_currency {
        pi.currency = c.clone();
    }
    if let Some(a) = amount(p, &pi.currency)? {
        pi.amount = a;
    }
    let types_given = type_params(version).iter().any(|t| p.contains(t))
        || p.contains("automatic_payment_methods");
    if types_given || new_currency.is_some() {
        let (types, automatic) = resolve_types(p, version, &pi.currency, Some(pi))?;
        pi.payment_method_types = types;
        if p.contains("excluded_payment_method_types") {
            pi.excluded_payment_method_types = excluded_types(p)?;
        }
        if automatic.is_some() || types_given {
            pi.automatic_payment_methods = automatic;
        }
    }
    Ok(())
}

/// `excluded_payment_method_types` as the intent shows it (an empty list
/// clears it).
fn excluded_types(p: &Params) -> ApiResult<Option<Vec<String>>> {
    Ok(p.list("excluded_payment_method_types")?
        .filter(|types| !types.is_empty()))
}

/// A customer may be set or removed, not swapped for another.
fn apply_customer(store: &Store, pi: &mut PaymentIntent, p: &Params) -> ApiResult<()> {
    let Some(c) = p.nullable_str("customer")? else {
        return Ok(());
    };
    match (&pi.customer, c) {
        (Some(old), Some(new)) if *old != new => Err(ApiError::invalid_request(
            "You cannot change the customer of a PaymentIntent that already has one.",
            Some("customer".into()),
        )),
        (_, Some(new)) => {
            crate::api::find_live(store, &new, "customer")?;
            pi.customer = Some(new);
            Ok(())
        }
        (_, None) => {
            pi.customer = None;
            Ok(())
        }
    }
}

/// Any change to the payment clears the last error and the pending action,
/// drops a method the types no longer allow, and moves the status.
pub(super) fn reset_payment(store: &Store, pi: &mut PaymentIntent) {
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
    // Checked by `check_updatable`: the status allows a change of the payment.
    pi.status = intent_status::next(pi.status, step).unwrap_or(pi.status);
}
