//! `/v1/events`: every state change, as Stripe records it.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Value};

use crate::auth::require_secret;
use crate::error::{ApiError, ApiResult};
use crate::http::{paginate, Ctx};
use crate::state::Shared;
use crate::store::Event;

pub fn render(event: &Event) -> Value {
    let mut data = json!({ "object": event.object });
    if let Some(previous) = &event.previous_attributes {
        data["previous_attributes"] = previous.clone();
    }
    json!({
        "id": event.id,
        "object": "event",
        "api_version": event.api_version,
        "created": event.created,
        "data": data,
        "livemode": false,
        "pending_webhooks": event.pending_webhooks,
        "request": { "id": event.request_id, "idempotency_key": event.idempotency_key },
        "type": event.kind,
    })
}

/// `payment_intent.*` matches every payment_intent event.
fn type_matches(pattern: &str, kind: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => kind.starts_with(prefix),
        None => pattern == kind,
    }
}

pub async fn retrieve(
    State(state): State<Arc<Shared>>,
    Path(id): Path<String>,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    require_secret(ctx.role)?;
    ctx.params.allow(&["expand"])?;
    let store = state.store();
    let event = store
        .event(&id)
        .ok_or_else(|| ApiError::no_such("event", &id, "id"))?;
    Ok(Json(render(event)))
}

pub async fn list(State(state): State<Arc<Shared>>, ctx: Ctx) -> ApiResult<Json<Value>> {
    require_secret(ctx.role)?;
    ctx.params
        .allow_list(&["type", "types", "created", "delivery_success"])?;
    let single = ctx.params.non_empty("type")?;
    let many = ctx.params.list("types")?;
    if single.is_some() && many.is_some() {
        return Err(ApiError::invalid_request(
            "You may only specify one of these parameters: type, types.",
            Some("types".into()),
        ));
    }
    if many.as_ref().is_some_and(|t| t.len() > 20) {
        return Err(ApiError::invalid_request(
            "You may pass at most 20 types.",
            Some("types".into()),
        ));
    }
    let patterns: Vec<String> = single.into_iter().chain(many.unwrap_or_default()).collect();
    let delivery_success = ctx.params.bool("delivery_success")?;
    let created = ctx.params.created()?;
    let store = state.store();
    let mut events: Vec<&Event> = store
        .events
        .iter()
        .filter(|e| created.contains(e.created))
        .filter(|e| patterns.is_empty() || patterns.iter().any(|p| type_matches(p, &e.kind)))
        .filter(|e| delivery_success.is_none_or(|ok| (e.pending_webhooks == 0) == ok))
        .collect();
    events.sort_by(|a, b| b.created.cmp(&a.created).then(b.seq.cmp(&a.seq)));
    let items = events
        .into_iter()
        .map(|e| (e.id.clone(), render(e)))
        .collect();
    Ok(Json(paginate(&ctx.params, items, "/v1/events")?))
}

/// `/v1/events`.
pub fn router() -> axum::Router<std::sync::Arc<crate::state::Shared>> {
    use axum::routing::get;
    axum::Router::new()
        .route("/events", get(list))
        .route("/events/{id}", get(retrieve))
}
