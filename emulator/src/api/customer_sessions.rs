//! `POST /v1/customer_sessions`: the client secret that lets a Payment
//! Element show (and save, and remove) a customer's payment methods.

use std::sync::Arc;

use axum::extract::State;
use axum::Json;
use serde_json::{json, Value};

use crate::auth::require_secret;
use crate::error::{ApiError, ApiResult};
use crate::http::Ctx;
use crate::ids;
use crate::params::Params;
use crate::state::Shared;
use crate::store::{now, CustomerSession};

/// How long a customer session lives.
pub const LIFETIME_SECS: i64 = 30 * 60;

pub fn render(session: &CustomerSession, customer: Value) -> Value {
    let mut components = session.components.clone();
    // Components the emulator does not serve are off.
    for off in ["active_entitlements", "customer_portal"] {
        if components.get(off).is_none() {
            components[off] = json!({ "enabled": false });
        }
    }
    json!({
        "object": "customer_session",
        "client_secret": session.client_secret,
        "components": components,
        "created": session.created,
        "customer": customer,
        "customer_account": null,
        "expires_at": session.expires_at,
        "livemode": false,
    })
}

fn enabled_flag(p: &Params) -> ApiResult<bool> {
    p.bool("enabled")?
        .ok_or_else(|| ApiError::missing(&p.name("enabled")))
}

fn feature(p: &Params, key: &str) -> ApiResult<Value> {
    Ok(json!(p
        .one_of(key, &["enabled", "disabled"])?
        .unwrap_or_else(|| "disabled".into())))
}

fn payment_element(p: Option<Params>) -> ApiResult<Value> {
    let Some(p) = p else {
        return Ok(json!({ "enabled": false, "features": null }));
    };
    p.allow(&["enabled", "features"])?;
    let enabled = enabled_flag(&p)?;
    let f = p.hash("features")?.unwrap_or_default();
    f.allow(&[
        "payment_method_allow_redisplay_filters",
        "payment_method_redisplay",
        "payment_method_redisplay_limit",
        "payment_method_remove",
        "payment_method_save",
        "payment_method_save_usage",
    ])?;
    let filters = f
        .list("payment_method_allow_redisplay_filters")?
        .unwrap_or_else(|| vec!["always".into()]);
    for v in &filters {
        if !["always", "limited", "unspecified"].contains(&v.as_str()) {
            return Err(ApiError::invalid_enum(
                &f.name("payment_method_allow_redisplay_filters"),
                v,
                &["always", "limited", "unspecified"],
            ));
        }
    }
    let limit = f.int("payment_method_redisplay_limit")?.unwrap_or(3);
    if !(1..=10).contains(&limit) {
        return Err(ApiError::invalid_request(
            "Invalid payment_method_redisplay_limit: must be between 1 and 10.",
            Some(f.name("payment_method_redisplay_limit")),
        ));
    }
    let save_usage = f.one_of("payment_method_save_usage", &["off_session", "on_session"])?;
    Ok(json!({
        "enabled": enabled,
        "features": if enabled { json!({
            "payment_method_allow_redisplay_filters": filters,
            "payment_method_redisplay": feature(&f, "payment_method_redisplay")?,
            "payment_method_redisplay_limit": limit,
            "payment_method_remove": feature(&f, "payment_method_remove")?,
            "payment_method_save": feature(&f, "payment_method_save")?,
            "payment_method_save_usage": save_usage,
        }) } else { Value::Null },
    }))
}

fn simple(p: Option<Params>) -> ApiResult<bool> {
    match p {
        None => Ok(false),
        Some(p) => {
            p.allow(&["enabled", "features"])?;
            enabled_flag(&p)
        }
    }
}

pub async fn create(State(state): State<Arc<Shared>>, ctx: Ctx) -> ApiResult<Json<Value>> {
    require_secret(ctx.role)?;
    ctx.params.allow(&["customer", "components", "expand"])?;
    let customer_id = ctx.params.required("customer")?;
    let components = ctx
        .params
        .hash("components")?
        .ok_or_else(|| ApiError::missing("components"))?;
    components.allow(&[
        "payment_element",
        "buy_button",
        "pricing_table",
        "customer_sheet",
        "mobile_payment_element",
    ])?;
    let payment_element = payment_element(components.hash("payment_element")?)?;
    let flags = [
        ("buy_button", simple(components.hash("buy_button")?)?),
        ("pricing_table", simple(components.hash("pricing_table")?)?),
        (
            "customer_sheet",
            simple(components.hash("customer_sheet")?)?,
        ),
        (
            "mobile_payment_element",
            simple(components.hash("mobile_payment_element")?)?,
        ),
    ];
    if payment_element["enabled"] != true && flags.iter().all(|(_, on)| !on) {
        return Err(ApiError::invalid_request(
            "At least one component must be enabled.",
            Some("components".into()),
        ));
    }
    let expand = ctx.params.expand()?;
    if let Some(e) = expand.iter().find(|e| *e != "customer") {
        return Err(ApiError::invalid_request(
            format!("This property cannot be expanded ({e})."),
            Some("expand".into()),
        ));
    }
    let mut store = state.store();
    let customer = super::find_live(&store, &customer_id, "customer")?.clone();
    let created = now();
    let session = CustomerSession {
        client_secret: ids::customer_session_secret(),
        created,
        customer: customer_id.clone(),
        expires_at: created + LIFETIME_SECS,
        components: json!({
            "buy_button": { "enabled": flags[0].1 },
            "customer_sheet": { "enabled": flags[2].1, "features": null },
            "mobile_payment_element": { "enabled": flags[3].1, "features": null },
            "payment_element": payment_element,
            "pricing_table": { "enabled": flags[1].1 },
        }),
    };
    let customer_json = if expand.is_empty() {
        json!(customer_id)
    } else {
        super::customers::render(&customer)
    };
    let rendered = render(&session, customer_json);
    store.customer_sessions.push(session);
    Ok(Json(rendered))
}

/// `/v1/customer_sessions`.
pub fn router() -> axum::Router<std::sync::Arc<crate::state::Shared>> {
    axum::Router::new().route("/customer_sessions", axum::routing::post(create))
}
