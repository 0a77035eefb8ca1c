//! The API requests the emulator answered, oldest first, as Stripe's
//! Dashboard lists them under Developers → Logs: which key called what, and
//! what it was told. Tests read it to prove how often a server talks to
//! Stripe: `GET /_emulator/requests?after=<seq>` with the secret key.
//! Not persisted; the last `KEEP` requests are kept.

use std::collections::VecDeque;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use axum::Json;
use serde::Serialize;
use serde_json::{json, Value};

use crate::auth::{authenticate, require_secret, Role};
use crate::error::ApiResult;
use crate::http::Ctx;
use crate::Shared;

const KEEP: usize = 5_000;

#[derive(Clone, Debug, Serialize)]
pub struct LoggedRequest {
    /// Increases by one per request, from 1.
    pub seq: u64,
    pub method: String,
    /// The path only: a query may carry a client secret.
    pub path: String,
    /// `secret`, `publishable`, or `none` (no or an unknown key).
    pub key: &'static str,
    pub status: u16,
    pub created: i64,
}

#[derive(Debug, Default)]
pub struct RequestLog {
    last_seq: u64,
    entries: VecDeque<LoggedRequest>,
}

impl RequestLog {
    fn push(&mut self, method: String, path: String, key: &'static str, status: u16) {
        self.last_seq += 1;
        if self.entries.len() == KEEP {
            self.entries.pop_front();
        }
        self.entries.push_back(LoggedRequest {
            seq: self.last_seq,
            method,
            path,
            key,
            status,
            created: crate::store::now(),
        });
    }
}

/// Middleware around `/v1`: records each request once it is answered.
pub async fn record(State(shared): State<Arc<Shared>>, req: Request, next: Next) -> Response {
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

/// `GET /_emulator/requests[?after=<seq>]`: the requests after `seq`, and the
/// newest `seq` (pass it as `after` next time to see only what follows).
pub async fn list(State(shared): State<Arc<Shared>>, ctx: Ctx) -> ApiResult<Json<Value>> {
    require_secret(ctx.role)?;
    ctx.params.allow(&["after"])?;
    let after = u64::try_from(ctx.params.int("after")?.unwrap_or(0)).unwrap_or(0);
    let log = shared.requests();
    let data: Vec<&LoggedRequest> = log.entries.iter().filter(|r| r.seq > after).collect();
    Ok(Json(json!({
        "object": "list",
        "data": data,
        "last_seq": log.last_seq,
    })))
}
