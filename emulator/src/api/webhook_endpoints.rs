//! `/v1/webhook_endpoints`: where events are delivered. The signing secret
//! is returned only when the endpoint is created.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::Json;
use serde_json::{json, Map, Value};

use crate::auth::require_secret;
use crate::error::{ApiError, ApiResult};
use crate::http::{paginate, Ctx};
use crate::ids;
use crate::state::Shared;
use crate::store::{now, WebhookEndpoint};

pub fn render(endpoint: &WebhookEndpoint, with_secret: bool) -> Value {
    let mut value = json!({
        "id": endpoint.id,
        "object": "webhook_endpoint",
        "api_version": endpoint.api_version,
        "application": null,
        "created": endpoint.created,
        "description": endpoint.description,
        "enabled_events": endpoint.enabled_events,
        "livemode": false,
        "metadata": endpoint.metadata,
        "status": endpoint.status,
        "url": endpoint.url,
    });
    if with_secret {
        value["secret"] = json!(endpoint.secret);
    }
    value
}

fn url(value: String) -> ApiResult<String> {
    if value.starts_with("http://") || value.starts_with("https://") {
        Ok(value)
    } else {
        Err(ApiError::invalid_request(
            "Invalid URL: URL must be publicly accessible and use http or https.",
            Some("url".into()),
        )
        .with_code("url_invalid"))
    }
}

fn events(value: Vec<String>) -> ApiResult<Vec<String>> {
    if value.is_empty() {
        return Err(ApiError::missing("enabled_events"));
    }
    for e in &value {
        let well_formed = e == "*"
            || (e.contains('.')
                && e.chars()
                    .all(|c| c.is_ascii_lowercase() || c == '.' || c == '_' || c == '*'));
        if !well_formed {
            return Err(ApiError::invalid_request(
                format!("Invalid enabled_events: {e} is not a known event type."),
                Some("enabled_events".into()),
            ));
        }
    }
    Ok(value)
}

/// Registers an endpoint (also used by `--forward-to`).
pub fn register(
    store: &mut crate::store::Store,
    url: String,
    enabled_events: Vec<String>,
    description: Option<String>,
) -> WebhookEndpoint {
    let endpoint = WebhookEndpoint {
        id: ids::new_id("we"),
        created: now(),
        url,
        enabled_events,
        secret: ids::webhook_secret(),
        status: "enabled".into(),
        description,
        metadata: Map::new(),
        api_version: None,
    };
    store.webhook_endpoints.push(endpoint.clone());
    endpoint
}

pub async fn create(State(state): State<Arc<Shared>>, ctx: Ctx) -> ApiResult<Json<Value>> {
    require_secret(ctx.role)?;
    ctx.params.allow(&[
        "url",
        "enabled_events",
        "description",
        "metadata",
        "api_version",
        "connect",
        "expand",
    ])?;
    let url = url(ctx.params.required("url")?)?;
    let enabled = events(
        ctx.params
            .list("enabled_events")?
            .ok_or_else(|| ApiError::missing("enabled_events"))?,
    )?;
    let mut store = state.store();
    let mut endpoint = register(
        &mut store,
        url,
        enabled,
        ctx.params.nullable_str("description")?.flatten(),
    );
    ctx.params.apply_metadata(&mut endpoint.metadata)?;
    endpoint.api_version = ctx.params.non_empty("api_version")?;
    if let Some(last) = store.webhook_endpoints.last_mut() {
        *last = endpoint.clone();
    }
    Ok(Json(render(&endpoint, true)))
}

fn find<'s>(store: &'s crate::store::Store, id: &str) -> ApiResult<&'s WebhookEndpoint> {
    store
        .endpoint(id)
        .ok_or_else(|| ApiError::no_such("webhook_endpoint", id, "webhook_endpoint"))
}

pub async fn retrieve(
    State(state): State<Arc<Shared>>,
    Path(id): Path<String>,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    require_secret(ctx.role)?;
    ctx.params.allow(&["expand"])?;
    let store = state.store();
    Ok(Json(render(find(&store, &id)?, false)))
}

pub async fn update(
    State(state): State<Arc<Shared>>,
    Path(id): Path<String>,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    require_secret(ctx.role)?;
    ctx.params.allow(&[
        "url",
        "enabled_events",
        "description",
        "metadata",
        "disabled",
        "expand",
    ])?;
    let mut store = state.store();
    let mut endpoint = find(&store, &id)?.clone();
    if let Some(u) = ctx.params.non_empty("url")? {
        endpoint.url = url(u)?;
    }
    if let Some(e) = ctx.params.list("enabled_events")? {
        endpoint.enabled_events = events(e)?;
    }
    if let Some(d) = ctx.params.nullable_str("description")? {
        endpoint.description = d;
    }
    if let Some(disabled) = ctx.params.bool("disabled")? {
        endpoint.status = if disabled { "disabled" } else { "enabled" }.into();
    }
    ctx.params.apply_metadata(&mut endpoint.metadata)?;
    let rendered = render(&endpoint, false);
    if let Some(stored) = store.webhook_endpoints.iter_mut().find(|e| e.id == id) {
        *stored = endpoint;
    }
    Ok(Json(rendered))
}

pub async fn delete(
    State(state): State<Arc<Shared>>,
    Path(id): Path<String>,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    require_secret(ctx.role)?;
    ctx.params.allow(&[])?;
    let mut store = state.store();
    find(&store, &id)?;
    store.webhook_endpoints.retain(|e| e.id != id);
    store.deliveries.retain(|d| d.endpoint_id != id);
    Ok(Json(
        json!({ "id": id, "object": "webhook_endpoint", "deleted": true }),
    ))
}

pub async fn list(State(state): State<Arc<Shared>>, ctx: Ctx) -> ApiResult<Json<Value>> {
    require_secret(ctx.role)?;
    ctx.params.allow_list(&[])?;
    let store = state.store();
    let items = store
        .webhook_endpoints
        .iter()
        .rev()
        .map(|e| (e.id.clone(), render(e, false)))
        .collect();
    Ok(Json(paginate(&ctx.params, items, "/v1/webhook_endpoints")?))
}

/// `/v1/webhook_endpoints`.
pub fn router() -> axum::Router<std::sync::Arc<crate::state::Shared>> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/webhook_endpoints", post(create).get(list))
        .route(
            "/webhook_endpoints/{id}",
            get(retrieve).post(update).delete(delete),
        )
}
