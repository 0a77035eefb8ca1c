//! `/v1/refunds`: create, retrieve, update, list, with Stripe's status
//! machine and events.
//!
//! A refund names a PaymentIntent (its successful charge) or a charge, and
//! an amount (by default what is left to refund). A card refund is
//! `succeeded` at once in test mode; a bank debit's (SEPA, US bank account,
//! and the redirect methods, which Stripe refunds by SEPA transfer) is
//! `pending` until it settles, then `succeeded`. The refund-failure test
//! card (4000000000005126, `pm_card_refundFail`) refunds as `succeeded`,
//! then fails later (`failure_reason: expired_or_canceled_card`), giving the
//! amount back to the charge. Events: `refund.created` and
//! `charge.refunded` at creation, `refund.updated` at each later change
//! (with `refund.failed` when it fails).

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Map, Value};

use crate::auth::require_secret;
use crate::error::{ApiError, ApiResult};
use crate::http::{paginate, Ctx};
use crate::ids;
use crate::state::Shared;
use crate::store::{now, now_ms, Charge, Refund, RequestMeta, Store, FOUND};

use super::payment_intents::render_charge;

const REASONS: &[&str] = &["duplicate", "fraudulent", "requested_by_customer"];

pub fn render(refund: &Refund) -> Value {
    let mut rendered = json!({
        "id": refund.id,
        "object": "refund",
        "amount": refund.amount,
        "balance_transaction": null,
        "charge": refund.charge,
        "created": refund.created,
        "currency": refund.currency,
        "customer": refund.customer,
        // Accounts v2 customers are not emulated: the v1 `customer` is set.
        "customer_account": null,
        "metadata": refund.metadata,
        "payment_intent": refund.payment_intent,
        "payment_method": refund.payment_method,
        "reason": refund.reason,
        "receipt_number": null,
        "source_transfer_reversal": null,
        "status": refund.status,
        "transfer_reversal": null,
    });
    // A card refund says where the money goes (the acquirer's reference
    // comes days later, if ever: not in test mode); the schema of the bank
    // debits' is not published, so they have none.
    if refund.kind == "card" {
        rendered["destination_details"] = json!({ "type": "card", "card": { "type": "refund" } });
    }
    // Present once the refund failed, as at Stripe (never null).
    if let Some(reason) = &refund.failure_reason {
        rendered["failure_reason"] = json!(reason);
    }
    rendered
}

/// "$12.50", "€12,50"… as Stripe writes amounts in its refund errors.
fn money(amount: i64, currency: &str) -> String {
    let units = format!("{}.{:02}", amount / 100, amount % 100);
    match currency {
        "usd" => format!("${units}"),
        "eur" => format!("€{units}"),
        other => format!("{units} {}", other.to_uppercase()),
    }
}

/// The charge a refund request names: `charge`, or the successful charge of
/// `payment_intent`.
fn charge_to_refund(store: &Store, ctx: &Ctx) -> ApiResult<String> {
    let p = &ctx.params;
    match (p.non_empty("charge")?, p.non_empty("payment_intent")?) {
        (Some(_), Some(_)) => Err(ApiError::invalid_request(
            "You may only specify one of these parameters: charge, payment_intent.",
            Some("charge".into()),
        )),
        (None, None) => Err(ApiError::invalid_request(
            "One of the following params should be provided for this request: payment_intent or charge.",
            None,
        )),
        (Some(charge), None) => match store.charge(&charge) {
            Some(c) if c.status == "succeeded" => Ok(c.id.clone()),
            Some(c) => Err(ApiError::invalid_request(
                format!("Charge {} has not succeeded and cannot be refunded.", c.id),
                Some("charge".into()),
            )
            .with_code("charge_not_refundable")),
            None => Err(ApiError::no_such("charge", &charge, "charge")),
        },
        (None, Some(intent)) => {
            let pi = store
                .payment_intent(&intent)
                .ok_or_else(|| ApiError::no_such("payment_intent", &intent, "payment_intent"))?;
            let succeeded = pi
                .latest_charge
                .as_deref()
                .and_then(|c| store.charge(c))
                .filter(|c| c.status == "succeeded");
            match succeeded {
                Some(c) => Ok(c.id.clone()),
                None => Err(ApiError::invalid_request(
                    format!("This PaymentIntent ({intent}) does not have a successful charge to refund."),
                    Some("payment_intent".into()),
                )
                .with_code("charge_not_refundable")),
            }
        }
    }
}

/// The amount asked for (what is left when none), at most what is left.
fn refund_amount(ctx: &Ctx, charge: &Charge, left: i64) -> ApiResult<i64> {
    match ctx.params.int("amount")? {
        None => Ok(left),
        Some(a) if a <= 0 => Err(ApiError::invalid_request(
            "Invalid positive integer",
            Some("amount".into()),
        )
        .with_code("parameter_invalid_integer")),
        Some(a) if a > left => Err(ApiError::invalid_request(
            format!(
                "Refund amount ({}) is greater than unrefunded amount on charge ({})",
                money(a, &charge.currency),
                money(left, &charge.currency)
            ),
            Some("amount".into()),
        )
        .with_code("amount_too_large")),
        Some(a) => Ok(a),
    }
}

pub async fn create(State(state): State<Arc<Shared>>, ctx: Ctx) -> ApiResult<Json<Value>> {
    require_secret(ctx.role)?;
    ctx.params.allow(&[
        "charge",
        "payment_intent",
        "amount",
        "reason",
        "metadata",
        "expand",
    ])?;
    let reason = ctx.params.one_of("reason", REASONS)?;
    let mut store = state.store();
    let charge_id = charge_to_refund(&store, &ctx)?;
    let charge = store.charge(&charge_id).expect(FOUND).clone();
    let left = charge.amount - charge.amount_refunded;
    if left <= 0 {
        return Err(ApiError::invalid_request(
            format!("Charge {charge_id} has already been refunded."),
            None,
        )
        .with_code("charge_already_refunded"));
    }
    let amount = refund_amount(&ctx, &charge, left)?;
    let method = store.payment_method(&charge.payment_method);
    let kind = method.map_or_else(|| "card".to_owned(), |m| m.kind.clone());
    let fails = method.is_some_and(super::payment_methods::refunds_fail);
    let card = kind == "card";
    let delay = state.config.settle_after.as_millis() as i64;
    let mut metadata = Map::new();
    ctx.params.apply_metadata(&mut metadata)?;
    let refund = Refund {
        id: ids::new_id("re"),
        created: now(),
        amount,
        currency: charge.currency.clone(),
        charge: charge_id.clone(),
        payment_intent: Some(charge.payment_intent.clone()),
        customer: charge.customer.clone(),
        payment_method: Some(charge.payment_method.clone()),
        reason,
        status: if card { "succeeded" } else { "pending" }.into(),
        failure_reason: None,
        metadata,
        kind,
        settle_at_ms: (!card || fails).then(|| now_ms() + delay),
        fails,
    };
    let rendered = render(&refund);
    store.refunds.push(refund);
    let before = render_charge(&charge);
    let charge_now = {
        let c = store.charge_mut(&charge_id).expect(FOUND);
        c.amount_refunded += amount;
        render_charge(c)
    };
    store.emit("refund.created", rendered.clone(), None, &ctx.meta);
    let previous = super::previous_attributes(&before, &charge_now);
    store.emit("charge.refunded", charge_now, Some(previous), &ctx.meta);
    Ok(Json(rendered))
}

fn find<'s>(store: &'s Store, id: &str) -> ApiResult<&'s Refund> {
    store
        .refunds
        .iter()
        .find(|r| r.id == id)
        .ok_or_else(|| ApiError::no_such("refund", id, "id"))
}

pub async fn retrieve(
    State(state): State<Arc<Shared>>,
    Path(id): Path<String>,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    require_secret(ctx.role)?;
    ctx.params.allow(&["expand"])?;
    let store = state.store();
    Ok(Json(render(find(&store, &id)?)))
}

/// Only `metadata` changes, as at Stripe.
pub async fn update(
    State(state): State<Arc<Shared>>,
    Path(id): Path<String>,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    require_secret(ctx.role)?;
    ctx.params.allow(&["metadata", "expand"])?;
    let mut store = state.store();
    let before = render(find(&store, &id)?);
    let refund = store.refunds.iter_mut().find(|r| r.id == id).expect(FOUND);
    ctx.params.apply_metadata(&mut refund.metadata)?;
    let after = render(refund);
    let previous = super::previous_attributes(&before, &after);
    if previous.as_object().is_some_and(|m| !m.is_empty()) {
        store.emit("refund.updated", after.clone(), Some(previous), &ctx.meta);
    }
    Ok(Json(after))
}

pub async fn list(State(state): State<Arc<Shared>>, ctx: Ctx) -> ApiResult<Json<Value>> {
    require_secret(ctx.role)?;
    ctx.params
        .allow_list(&["charge", "payment_intent", "created"])?;
    let charge = ctx.params.non_empty("charge")?;
    let intent = ctx.params.non_empty("payment_intent")?;
    let created = ctx.params.created()?;
    let store = state.store();
    let items = store
        .refunds
        .iter()
        .rev()
        .filter(|r| created.contains(r.created))
        .filter(|r| charge.as_ref().is_none_or(|c| &r.charge == c))
        .filter(|r| {
            intent
                .as_ref()
                .is_none_or(|i| r.payment_intent.as_ref() == Some(i))
        })
        .map(|r| (r.id.clone(), render(r)))
        .collect();
    Ok(Json(paginate(&ctx.params, items, "/v1/refunds")?))
}

/// Settles the refunds whose time has come: a pending one succeeds, or
/// fails for the refund-failure card; a card refund of that card fails.
/// Returns how many changed.
pub fn settle_due(store: &mut Store) -> usize {
    let now = now_ms();
    let due: Vec<String> = store
        .refunds
        .iter()
        .filter(|r| r.settle_at_ms.is_some_and(|at| at <= now))
        .map(|r| r.id.clone())
        .collect();
    let meta = RequestMeta {
        api_version: crate::http::DEFAULT_API_VERSION.into(),
        ..Default::default()
    };
    for id in &due {
        let refund = store.refunds.iter_mut().find(|r| &r.id == id).expect(FOUND);
        let before = render(refund);
        refund.settle_at_ms = None;
        let failed = refund.fails;
        if failed {
            refund.status = "failed".into();
            refund.failure_reason = Some("expired_or_canceled_card".into());
        } else {
            refund.status = "succeeded".into();
        }
        let (after, charge, amount) = (render(refund), refund.charge.clone(), refund.amount);
        let previous = super::previous_attributes(&before, &after);
        if failed {
            // The money was never returned: the charge has it again.
            if let Some(c) = store.charge_mut(&charge) {
                c.amount_refunded -= amount;
            }
            store.emit(
                "refund.failed",
                after.clone(),
                Some(previous.clone()),
                &meta,
            );
        }
        store.emit("refund.updated", after, Some(previous), &meta);
    }
    due.len()
}

/// `/v1/refunds`.
pub fn router() -> axum::Router<Arc<Shared>> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/refunds", post(create).get(list))
        .route("/refunds/{id}", get(retrieve).post(update))
}
