//! Test controls, under `/_emulator/` with the secret key: settle a
//! processing payment, finish a pending action, deliver webhooks now, set
//! webhook chaos, reset.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use axum::Json;
use serde_json::{json, Value};

use crate::api::payment_intents;
use crate::auth::require_secret;
use crate::error::ApiResult;
use crate::faults::Faults;
use crate::http::Ctx;
use crate::request_log::LoggedRequest;
use crate::state::Shared;
use crate::store::{Chaos, Store};
use crate::webhooks;

/// `POST /_emulator/payment_intents/:id/settle` (`outcome=succeeded|failed`,
/// default: what the test value would do).
pub async fn settle(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    require_secret(ctx.role)?;
    ctx.params.allow(&["outcome"])?;
    let force = ctx
        .params
        .one_of("outcome", &["succeeded", "failed"])?
        .map(|o| o == "succeeded");
    let mut store = shared.store();
    payment_intents::settle(&mut store, &id, force, &ctx.meta)?;
    shared.wake.notify_one();
    Ok(Json(payment_intents::render_current(
        &store,
        &id,
        payment_intents::View::Secret,
        &[],
    )))
}

/// `POST /_emulator/payment_intents/:id/next_action` (`outcome=authorize|fail`):
/// what the hosted 3-D Secure or bank page does, without a browser.
pub async fn next_action(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    require_secret(ctx.role)?;
    ctx.params.allow(&["outcome"])?;
    let authorized = ctx
        .params
        .one_of("outcome", &["authorize", "fail"])?
        .as_deref()
        != Some("fail");
    let mut store = shared.store();
    payment_intents::complete_action(&mut store, &shared, &id, authorized, &ctx.meta)?;
    shared.wake.notify_one();
    Ok(Json(payment_intents::render_current(
        &store,
        &id,
        payment_intents::View::Secret,
        &[],
    )))
}

/// `POST /_emulator/scenarios` `outcome=<name>[&payment_intent=pi_…|payment_method=pm_…|customer=cus_…][&count=N]`:
/// the next `count` (default 1) confirmations of that intent, method or
/// customer's payments (of any, without a target) do what `outcome` names,
/// whatever the test value would. `GET` lists those waiting.
pub async fn scenarios(
    State(shared): State<Arc<Shared>>,
    method: axum::http::Method,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    require_secret(ctx.role)?;
    if method == axum::http::Method::POST {
        add_scenario(&shared, &ctx)?;
    }
    let store = shared.store();
    let data: Vec<Value> = store
        .scenarios
        .iter()
        .map(|s| {
            json!({
                "object": "emulator.scenario",
                "outcome": s.name,
                "target": s.target,
                "remaining": s.remaining,
            })
        })
        .collect();
    Ok(Json(json!({ "object": "list", "data": data })))
}

fn add_scenario(shared: &Shared, ctx: &Ctx) -> ApiResult<()> {
    let p = &ctx.params;
    p.allow(&[
        "outcome",
        "payment_intent",
        "payment_method",
        "customer",
        "count",
    ])?;
    let name = p.required("outcome")?;
    let outcome = crate::scenarios::outcome_named(&name).ok_or_else(|| {
        crate::error::ApiError::invalid_request(
            format!(
                "Unknown scenario {name}: one of {} (decline also as decline:<decline_code>, one of {}).",
                crate::scenarios::NAMES.join(", "),
                crate::test_values::DECLINE_CODES.join(", ")
            ),
            Some("outcome".into()),
        )
    })?;
    let mut targets = Vec::new();
    for (param, prefix) in [
        ("payment_intent", "pi_"),
        ("payment_method", "pm_"),
        ("customer", "cus_"),
    ] {
        if let Some(id) = p.non_empty(param)? {
            if !id.starts_with(prefix) {
                return Err(crate::error::ApiError::invalid_request(
                    format!("{param} must be an id starting with {prefix}."),
                    Some(param.into()),
                ));
            }
            targets.push(id);
        }
    }
    if targets.len() > 1 {
        return Err(crate::error::ApiError::invalid_request(
            "Give at most one of payment_intent, payment_method and customer.",
            None,
        ));
    }
    let count = p.int("count")?.unwrap_or(1).clamp(1, 100) as u32;
    shared.store().scenarios.push(crate::scenarios::Scenario {
        name,
        target: targets.pop(),
        outcome,
        remaining: count,
    });
    Ok(())
}

/// `POST /_emulator/webhooks/deliver`: delivers every pending webhook now and
/// waits for the attempts (up to `timeout_ms`, default 10 s).
pub async fn deliver(State(shared): State<Arc<Shared>>, ctx: Ctx) -> ApiResult<Json<Value>> {
    require_secret(ctx.role)?;
    ctx.params.allow(&["timeout_ms"])?;
    let timeout = Duration::from_millis(
        ctx.params
            .int("timeout_ms")?
            .unwrap_or(10_000)
            .clamp(0, 60_000) as u64,
    );
    let remaining = webhooks::flush(&shared, timeout).await;
    Ok(Json(
        json!({ "object": "emulator.webhook_delivery", "pending": remaining }),
    ))
}

/// `GET|POST /_emulator/webhooks/chaos`: `duplicate`, `shuffle`, `delay_ms`,
/// `fail_first`. A POST replaces the whole setting (omitted means off).
pub async fn chaos(
    State(shared): State<Arc<Shared>>,
    method: axum::http::Method,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    require_secret(ctx.role)?;
    ctx.params
        .allow(&["duplicate", "shuffle", "delay_ms", "fail_first"])?;
    let mut store = shared.store();
    if method == axum::http::Method::POST {
        let delay = ctx.params.int("delay_ms")?.unwrap_or(0);
        if !(0..=600_000).contains(&delay) {
            return Err(crate::error::ApiError::invalid_request(
                "delay_ms must be between 0 and 600000.",
                Some("delay_ms".into()),
            ));
        }
        store.chaos = Chaos {
            duplicate: ctx.params.bool("duplicate")?.unwrap_or(false),
            shuffle: ctx.params.bool("shuffle")?.unwrap_or(false),
            delay_ms: delay as u64,
            fail_first: ctx.params.bool("fail_first")?.unwrap_or(false),
        };
    }
    Ok(Json(
        json!({ "object": "emulator.webhook_chaos", "chaos": store.chaos }),
    ))
}

/// `POST /_emulator/reset`: forgets every object, event and pending delivery.
/// Webhook endpoints stay (so a receiver's secret stays valid) unless
/// `webhook_endpoints=true`.
pub async fn reset(State(shared): State<Arc<Shared>>, ctx: Ctx) -> ApiResult<Json<Value>> {
    require_secret(ctx.role)?;
    ctx.params.allow(&["webhook_endpoints"])?;
    let drop_endpoints = ctx.params.bool("webhook_endpoints")?.unwrap_or(false);
    let mut store = shared.store();
    let endpoints = if drop_endpoints {
        Vec::new()
    } else {
        std::mem::take(&mut store.webhook_endpoints)
    };
    *store = Store {
        webhook_endpoints: endpoints,
        ..Store::default()
    };
    Ok(Json(json!({ "object": "emulator.reset", "reset": true })))
}

/// `POST /_emulator/faults` `status=503&count=2[&should_retry=true|false]`: the
/// next `count` API requests fail with `status` before anything runs.
/// `delay_ms=7000&count=3` instead makes them slow: each waits, then runs.
pub async fn faults(State(shared): State<Arc<Shared>>, ctx: Ctx) -> ApiResult<Json<Value>> {
    require_secret(ctx.role)?;
    ctx.params
        .allow(&["status", "count", "should_retry", "delay_ms"])?;
    let status = ctx.params.int("status")?.unwrap_or(500);
    if !matches!(status, 409 | 429 | 500 | 502 | 503 | 504) {
        return Err(crate::error::ApiError::invalid_request(
            "status must be one of 409, 429, 500, 502, 503, 504.",
            Some("status".into()),
        ));
    }
    let count = ctx.params.int("count")?.unwrap_or(1).clamp(0, 100) as u32;
    let faults = Faults {
        remaining: count,
        status: status as u16,
        should_retry: ctx.params.bool("should_retry")?,
        delay_ms: ctx.params.int("delay_ms")?.unwrap_or(0).clamp(0, 60_000) as u64,
    };
    *shared.faults() = faults.clone();
    Ok(Json(
        json!({ "object": "emulator.faults", "remaining": faults.remaining, "status": faults.status }),
    ))
}

/// Answers with the injected failure, if one is pending.
pub async fn inject_faults(
    State(shared): State<Arc<Shared>>,
    req: Request,
    next: Next,
) -> Response {
    let fault = shared.faults().take_next();
    match fault {
        None => next.run(req).await,
        Some(fault) if fault.delay_ms > 0 => {
            tokio::time::sleep(Duration::from_millis(fault.delay_ms)).await;
            next.run(req).await
        }
        Some(fault) => fault.response(),
    }
}

/// `GET /_emulator/requests[?after=<seq>]`: the requests after `seq`, and the
/// newest `seq` (pass it as `after` next time to see only what follows).
pub async fn requests(State(shared): State<Arc<Shared>>, ctx: Ctx) -> ApiResult<Json<Value>> {
    require_secret(ctx.role)?;
    ctx.params.allow(&["after"])?;
    let after = u64::try_from(ctx.params.int("after")?.unwrap_or(0)).unwrap_or(0);
    let log = shared.requests();
    let data: Vec<&LoggedRequest> = log.after(after).collect();
    Ok(Json(json!({
        "object": "list",
        "data": data,
        "last_seq": log.last_seq(),
    })))
}
