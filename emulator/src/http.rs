//! The plumbing every `/v1` request goes through: authentication, API
//! version, parameter decoding, `Request-Id`, idempotency, pagination.

use std::sync::Arc;

use axum::body::{to_bytes, Body, Bytes};
use axum::extract::{FromRequest, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::auth::{self, authenticate, Role};
use crate::error::{ApiError, ApiResult};
use crate::form;
use crate::params::Params;
use crate::state::Shared;
use crate::store::{IdempotencyRecord, RequestMeta};

/// Bodies larger than this are refused.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// The pinned version of stripe-node 23 and Stripe.js `endive`.
pub const DEFAULT_API_VERSION: &str = "2026-10-28.endive";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiVersion(pub String);

impl ApiVersion {
    /// Whether this version is `date` (`YYYY-MM-DD`) or later.
    pub fn at_least(&self, date: &str) -> bool {
        self.0.get(..10).unwrap_or("") >= date
    }
}

fn parse_version(value: &str) -> Result<ApiVersion, ApiError> {
    let date = value.get(..10).unwrap_or("");
    let well_formed = date.len() == 10
        && date.chars().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        })
        && value[10..]
            .chars()
            .all(|c| c == '.' || c.is_ascii_alphabetic());
    if well_formed {
        Ok(ApiVersion(value.to_owned()))
    } else {
        Err(
            ApiError::invalid_request(format!("Invalid Stripe API version: {value}"), None)
                .with_code("invalid_api_version"),
        )
    }
}

/// Request ids, added by [`request_id`] and read by handlers for events.
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

/// Everything a handler needs from a request.
pub struct Ctx {
    pub role: Role,
    pub version: ApiVersion,
    pub params: Params,
    pub meta: RequestMeta,
}

impl FromRequest<Arc<Shared>> for Ctx {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &Arc<Shared>) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let role = auth::authenticate(&state.keys(), &parts.headers)?;
        let version = match parts
            .headers
            .get("stripe-version")
            .and_then(|v| v.to_str().ok())
        {
            Some(v) => parse_version(v.trim())?,
            None => ApiVersion(DEFAULT_API_VERSION.to_owned()),
        };
        let bytes = to_bytes(body, MAX_BODY_BYTES).await.map_err(|_| {
            ApiError::invalid_request(
                format!("Request body too large: the limit is {MAX_BODY_BYTES} bytes."),
                None,
            )
            .tap_status(StatusCode::PAYLOAD_TOO_LARGE)
        })?;
        let mut query = parts.uri.query().unwrap_or("").to_owned();
        if !bytes.is_empty() {
            let content_type = parts
                .headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if !content_type.is_empty()
                && !content_type.starts_with("application/x-www-form-urlencoded")
            {
                return Err(ApiError::invalid_request(
                    format!("Invalid request: unsupported Content-Type {content_type}. If error persists and you need assistance, please contact support@stripe.com."),
                    None,
                ));
            }
            let body = std::str::from_utf8(&bytes).map_err(|_| {
                ApiError::invalid_request("Invalid request: the body is not valid UTF-8.", None)
            })?;
            if !query.is_empty() {
                query.push('&');
            }
            query.push_str(body);
        }
        let params = Params::new(form::parse(&query)?);
        let request_id = parts.extensions.get::<RequestId>().map(|r| r.0.clone());
        let idempotency_key = parts
            .headers
            .get("idempotency-key")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        Ok(Ctx {
            role,
            meta: RequestMeta {
                request_id,
                idempotency_key,
                api_version: version.0.clone(),
            },
            version,
            params,
        })
    }
}

impl ApiError {
    pub fn tap_status(mut self, status: StatusCode) -> Self {
        self.status = status;
        self
    }
}

/// Adds `Request-Id` to every response, as Stripe does.
pub async fn request_id(mut req: Request, next: Next) -> Response {
    let id = crate::ids::request_id();
    req.extensions_mut().insert(RequestId(id.clone()));
    let mut response = next.run(req).await;
    if !response.headers().contains_key("request-id") {
        if let Ok(value) = HeaderValue::from_str(&id) {
            response.headers_mut().insert("request-id", value);
        }
    }
    response
}

/// Idempotency for POSTs: the first response is stored and replayed for a
/// retry with the same key and parameters. Nothing is stored for requests
/// refused before execution (authentication, validation, conflicts).
pub async fn idempotency(State(state): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let key = req
        .headers()
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let (Some(key), true) = (key, req.method() == Method::POST) else {
        return next.run(req).await;
    };
    if key.len() > 255 {
        return ApiError::invalid_request(
            "Invalid Idempotency-Key: it may be at most 255 characters long.",
            None,
        )
        .into_response();
    }
    let (parts, body) = req.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY_BYTES).await else {
        return ApiError::invalid_request("Request body too large.", None)
            .tap_status(StatusCode::PAYLOAD_TOO_LARGE)
            .into_response();
    };
    let fingerprint = request_fingerprint(&parts, &bytes);
    if let Some(answer) = claim_key(&state, &key, &fingerprint) {
        return answer;
    }
    let request_id = parts
        .extensions
        .get::<RequestId>()
        .map(|r| r.0.clone())
        .unwrap_or_default();
    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    let status = response.status();
    let (res_parts, res_body) = response.into_parts();
    let body: Bytes = to_bytes(res_body, usize::MAX).await.unwrap_or_default();
    // Executed (2xx, 402 declines, 5xx) is stored; refused before execution is not.
    let executed = !matches!(status.as_u16(), 400 | 401 | 403 | 404 | 409 | 413 | 429);
    let mut store = state.store();
    if executed {
        let record = IdempotencyRecord::Done {
            fingerprint,
            status: status.as_u16(),
            body: String::from_utf8_lossy(&body).into_owned(),
            request_id,
            at: crate::store::now(),
        };
        store.idempotency.insert(key, record);
    } else {
        store.idempotency.remove(&key);
    }
    drop(store);
    // Persisted with the request's own change, by `persist_after`.
    Response::from_parts(res_parts, Body::from(body))
}

/// What makes two requests with one key the same request: path, key and body.
/// Scoped by key: one account here, so the key alone identifies the request.
fn request_fingerprint(parts: &axum::http::request::Parts, body: &[u8]) -> String {
    let presented = auth::presented_key(&parts.headers).unwrap_or_default();
    hex::encode(Sha256::digest(
        [
            parts.uri.path().as_bytes(),
            b"\n",
            presented.as_bytes(),
            b"\n",
            body,
        ]
        .concat(),
    ))
}

/// Marks `key` in flight for this request (`None`), or the answer to give
/// instead of running it: the stored response (a retry), or Stripe's error
/// for a key in use or reused with other parameters.
fn claim_key(state: &Shared, key: &str, fingerprint: &str) -> Option<Response> {
    let mut store = state.store();
    store.prune_idempotency();
    match store.idempotency.get(key) {
        Some(IdempotencyRecord::InFlight { .. }) => {
            Some(ApiError::idempotency_in_use(key).into_response())
        }
        Some(IdempotencyRecord::Done {
            fingerprint: stored,
            ..
        }) if stored != fingerprint => Some(ApiError::idempotency_mismatch(key).into_response()),
        Some(IdempotencyRecord::Done {
            status,
            body,
            request_id,
            ..
        }) => Some(replay(*status, body, request_id)),
        None => {
            let record = IdempotencyRecord::InFlight {
                fingerprint: fingerprint.to_owned(),
            };
            store.idempotency.insert(key.to_owned(), record);
            None
        }
    }
}

/// The stored response again, marked as Stripe marks a replay.
fn replay(status: u16, body: &str, request_id: &str) -> Response {
    let mut response = (
        StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
        [(header::CONTENT_TYPE, "application/json")],
        body.to_owned(),
    )
        .into_response();
    let headers = response.headers_mut();
    headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
    headers.insert(
        "original-request",
        HeaderValue::from_str(request_id).unwrap_or(HeaderValue::from_static("")),
    );
    if let Ok(v) = HeaderValue::from_str(request_id) {
        headers.insert("request-id", v);
    }
    response
}

/// Fallback for unknown `/v1` paths.
pub async fn unknown_route(uri: axum::extract::OriginalUri, method: Method) -> ApiError {
    ApiError::not_found_route(method.as_str(), uri.0.path())
}

/// A list response, newest first, with `limit`, `starting_after` and `ending_before`.
pub fn paginate(params: &Params, items: Vec<(String, Value)>, url: &str) -> ApiResult<Value> {
    let limit = params.int("limit")?.unwrap_or(10);
    if !(1..=100).contains(&limit) {
        return Err(ApiError::invalid_request(
            "Invalid limit: must be between 1 and 100",
            Some("limit".into()),
        ));
    }
    let limit = limit as usize;
    let position = |id: &str, param: &str| {
        items.iter().position(|(i, _)| i == id).ok_or_else(|| {
            ApiError::invalid_request(format!("No such object: '{id}'"), Some(param.to_owned()))
                .with_code("resource_missing")
                .tap_status(StatusCode::NOT_FOUND)
        })
    };
    let (page, has_more) = if let Some(after) = params.non_empty("starting_after")? {
        let start = position(&after, "starting_after")? + 1;
        let rest = &items[start.min(items.len())..];
        (
            rest.iter().take(limit).cloned().collect::<Vec<_>>(),
            rest.len() > limit,
        )
    } else if let Some(before) = params.non_empty("ending_before")? {
        let end = position(&before, "ending_before")?;
        let head = &items[..end];
        let from = head.len().saturating_sub(limit);
        (head[from..].to_vec(), from > 0)
    } else {
        (
            items.iter().take(limit).cloned().collect(),
            items.len() > limit,
        )
    };
    Ok(json!({
        "object": "list",
        "data": page.into_iter().map(|(_, v)| v).collect::<Vec<_>>(),
        "has_more": has_more,
        "url": url,
    }))
}

/// The pagination and expansion parameters every list accepts.
pub use crate::params::LIST_PARAMS;

/// Middleware around `/v1`: records each request once it is answered.
pub async fn log_request(State(shared): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let method = req.method().to_string();
    // Inside the `/v1` router the URI has lost its prefix; the original has it.
    let path = req
        .extensions()
        .get::<axum::extract::OriginalUri>()
        .map_or_else(|| req.uri().path().to_owned(), |uri| uri.path().to_owned());
    let key = match authenticate(&shared.keys(), req.headers()) {
        Ok(Role::Secret) => "secret",
        Ok(Role::Publishable) => "publishable",
        Err(_) => "none",
    };
    let response = next.run(req).await;
    let status = response.status().as_u16();
    shared.requests().push(method, path, key, status);
    response
}
