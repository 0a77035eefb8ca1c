//! The thin axum handlers of `/v1/payment_intents`: read the parameters,
//! take the store, ask the status machine, answer.

use super::*;
use crate::store::FOUND;

pub async fn create(State(state): State<Arc<Shared>>, ctx: Ctx) -> ApiResult<Json<Value>> {
    require_secret(ctx.role)?;
    let mut known = CREATE_PARAMS.to_vec();
    known.extend(type_params(&ctx.version));
    ctx.params.allow(&known)?;
    let p = &ctx.params;
    let currency = currency(p)?.ok_or_else(|| ApiError::missing("currency"))?;
    let amount = amount(p, &currency)?.ok_or_else(|| ApiError::missing("amount"))?;
    let (types, automatic) = resolve_types(p, &ctx.version, &currency, None)?;
    let mut store = state.store();
    let customer = match p.non_empty("customer")? {
        Some(id) => Some(crate::api::find_live(&store, &id, "customer")?.id.clone()),
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
pub(super) fn check_client_secret(pi: &PaymentIntent, p: &Params) -> ApiResult<()> {
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
    let store = state.store();
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
    let mut store = state.store();
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
                crate::api::find_live(&store, new, "customer")?;
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
    *store.payment_intent_mut(&id).expect(FOUND) = pi;
    let previous = crate::api::previous_attributes(&before, &after);
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
    let mut store = state.store();
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
    let mut store = state.store();
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
    let mut store = state.store();
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
        let pi = store.payment_intent_mut(&id).expect(FOUND);
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
    let store = state.store();
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
