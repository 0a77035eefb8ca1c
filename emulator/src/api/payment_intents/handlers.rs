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
    let confirm = p.bool("confirm")?.unwrap_or(false);
    check_confirm_only_params(p, confirm)?;
    let mut store = state.store();
    let pi = new_intent(&mut store, p, &ctx.version)?;
    let id = pi.id.clone();
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
    let mut known = UPDATE_PARAMS.to_vec();
    known.extend(type_params(&ctx.version));
    ctx.params.allow(&known)?;
    let p = &ctx.params;
    let mut store = state.store();
    let mut pi = find(&store, &id)?.clone();
    let changes_payment = check_updatable(&store, &pi, p)?;
    let before = render(&store, &pi, View::Secret, &[]);
    apply_update(&mut store, &mut pi, p, &ctx.version)?;
    if changes_payment {
        reset_payment(&store, &mut pi);
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
