//! What the Stripe.js stand-in needs from the emulator: the script itself,
//! the Payment Element's iframe, the element's session (the intent, the
//! methods it allows and the customer's redisplayable saved methods), the
//! removal of a saved method (the demo page is `crate::demo`).
//!
//! Real Stripe.js talks to private endpoints too; these are the emulator's
//! own, under `/v1/elements/`, authenticated like Stripe.js's calls: the
//! publishable key plus the client secrets.

use std::sync::Arc;

use axum::extract::{Path, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::api::{customers, payment_intents, payment_methods};
use crate::error::{ApiError, ApiResult};
use crate::http::Ctx;
use crate::state::Shared;
use crate::store::{now, CustomerSession, PaymentIntent, Store};

const STRIPE_JS_SOURCE: &str = include_str!("../assets/stripe.js");
const FRAME_JS: &str = include_str!("../assets/frame.js");
const ELEMENT_HTML: &str = include_str!("../assets/payment-element.html");
const ELEMENT_JS: &str = include_str!("../assets/payment-element.js");
const ELEMENT_CSS: &str = include_str!("../assets/payment-element.css");
const ADDRESS_HTML: &str = include_str!("../assets/address-element.html");
const ADDRESS_JS: &str = include_str!("../assets/address-element.js");
const LINK_AUTHENTICATION_HTML: &str = include_str!("../assets/link-authentication.html");
const LINK_AUTHENTICATION_JS: &str = include_str!("../assets/link-authentication.js");

/// Saved methods the Payment Element can show (iDEAL, Bancontact and Sofort
/// appear as the SEPA method they generated).
const REDISPLAYABLE: &[&str] = &[
    "card",
    "link",
    "us_bank_account",
    "acss_debit",
    "sepa_debit",
    "bacs_debit",
    "au_becs_debit",
    "nz_bank_account",
];

/// Stripe's API answers browsers from any origin (publishable keys are
/// public); an embedding app may limit that to its own origins
/// (`Config::allowed_origins`): other origins get no CORS headers, so their
/// pages cannot read the answers, and their preflights are refused.
pub async fn cors(State(shared): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let preflight = req.method() == Method::OPTIONS;
    let origin = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let allowed = match (&shared.config.allowed_origins, &origin) {
        (None, _) => Some(HeaderValue::from_static("*")),
        (Some(list), Some(origin)) if list.iter().any(|o| o.eq_ignore_ascii_case(origin)) => {
            HeaderValue::from_str(origin).ok()
        }
        _ => None,
    };
    let Some(allowed) = allowed else {
        if preflight {
            return StatusCode::FORBIDDEN.into_response();
        }
        return next.run(req).await;
    };
    let mut response = if preflight {
        StatusCode::NO_CONTENT.into_response()
    } else {
        next.run(req).await
    };
    let h = response.headers_mut();
    if shared.config.allowed_origins.is_some() {
        h.insert(header::VARY, HeaderValue::from_static("origin"));
    }
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, allowed);
    h.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static("authorization, content-type, stripe-version, idempotency-key"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, POST, DELETE, OPTIONS"),
    );
    h.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("request-id"),
    );
    h.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("600"),
    );
    response
}

/// The Stripe.js stand-in, with the emulator's default API version written in.
pub fn stripe_js_source() -> &'static str {
    static SOURCE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SOURCE.get_or_init(|| {
        STRIPE_JS_SOURCE.replace("__API_VERSION__", crate::http::DEFAULT_API_VERSION)
    })
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

pub async fn stripe_js() -> Response {
    asset("application/javascript; charset=utf-8", stripe_js_source())
}
/// What the element frames share (their channel, appearance and height).
pub async fn frame_js() -> Response {
    asset("application/javascript; charset=utf-8", FRAME_JS)
}
pub async fn element_html() -> Response {
    asset("text/html; charset=utf-8", ELEMENT_HTML)
}
pub async fn element_js() -> Response {
    asset("application/javascript; charset=utf-8", ELEMENT_JS)
}
pub async fn element_css() -> Response {
    asset("text/css; charset=utf-8", ELEMENT_CSS)
}
/// The Address Element's frame (`elements.create('address', …)`).
pub async fn address_html() -> Response {
    asset("text/html; charset=utf-8", ADDRESS_HTML)
}
pub async fn address_js() -> Response {
    asset("application/javascript; charset=utf-8", ADDRESS_JS)
}

pub async fn link_authentication_html() -> Response {
    asset("text/html; charset=utf-8", LINK_AUTHENTICATION_HTML)
}

pub async fn link_authentication_js() -> Response {
    asset(
        "application/javascript; charset=utf-8",
        LINK_AUTHENTICATION_JS,
    )
}

/// The intent a client secret (`pi_…_secret_…`) belongs to, if it matches.
fn intent_for_secret<'s>(store: &'s Store, secret: &str) -> ApiResult<&'s PaymentIntent> {
    let id = secret.split("_secret_").next().unwrap_or_default();
    match store.payment_intent(id) {
        Some(pi) if pi.client_secret == secret => Ok(pi),
        _ => Err(ApiError::invalid_request(
            "The client_secret provided does not match any associated PaymentIntent on this account. Ensure the publishable key used belongs to the same account that created the PaymentIntent.",
            Some("client_secret".into()),
        )
        .with_code("resource_missing")
        .tap_status(StatusCode::NOT_FOUND)),
    }
}

fn customer_session<'s>(store: &'s Store, secret: &str) -> ApiResult<&'s CustomerSession> {
    let session = store
        .customer_sessions
        .iter()
        .find(|s| s.client_secret == secret)
        .ok_or_else(|| {
            ApiError::invalid_request(
                "No such customer session client secret.",
                Some("customer_session_client_secret".into()),
            )
            .with_code("resource_missing")
            .tap_status(StatusCode::NOT_FOUND)
        })?;
    if session.expires_at <= now() {
        return Err(ApiError::invalid_request(
            "The customer session has expired. Create a new one.",
            Some("customer_session_client_secret".into()),
        )
        .with_code("customer_session_expired"));
    }
    Ok(session)
}

/// A saved method as the element shows it: no customer id, no metadata.
fn client_method(pm: &crate::store::PaymentMethod) -> Value {
    let mut v = payment_methods::render(pm);
    if let Some(map) = v.as_object_mut() {
        map.remove("customer");
        map.remove("metadata");
    }
    v
}

/// `GET /v1/elements/sessions?client_secret=…[&customer_session_client_secret=…]`
pub async fn session(State(shared): State<Arc<Shared>>, ctx: Ctx) -> ApiResult<Json<Value>> {
    ctx.params
        .allow(&["client_secret", "customer_session_client_secret", "locale"])?;
    let secret = ctx.params.required("client_secret")?;
    let store = shared.store();
    let pi = intent_for_secret(&store, &secret)?;
    let customer = match ctx.params.non_empty("customer_session_client_secret")? {
        None => Value::Null,
        Some(cuss) => session_customer(&store, pi, &cuss)?,
    };
    Ok(Json(json!({
        "object": "elements_session",
        "livemode": false,
        "payment_intent": payment_intents::render(&store, pi, payment_intents::View::Client, &[]),
        "payment_method_types": pi.payment_method_types,
        "customer": customer,
    })))
}

/// The customer part of an elements session: the CustomerSession's
/// features and the saved methods it lets the element show.
fn session_customer(store: &Store, pi: &PaymentIntent, cuss: &str) -> ApiResult<Value> {
    let session = customer_session(store, cuss)?;
    if pi.customer.as_deref() != Some(session.customer.as_str()) {
        return Err(ApiError::invalid_request(
            "The PaymentIntent's customer does not match the CustomerSession's customer.",
            Some("customer_session_client_secret".into()),
        ));
    }
    let element = &session.components["payment_element"];
    if element["enabled"] != true {
        return Err(ApiError::invalid_request(
            "The CustomerSession does not enable the payment_element component.",
            Some("customer_session_client_secret".into()),
        ));
    }
    let features = element["features"].clone();
    let saved: Vec<Value> = if features["payment_method_redisplay"] == "enabled" {
        saved_methods_shown(store, pi, &session.customer, &features)
    } else {
        Vec::new()
    };
    let email = customers::find(store, &session.customer, "customer")
        .ok()
        .and_then(|c| c.email.clone());
    Ok(json!({ "email": email, "features": features, "saved_payment_methods": saved }))
}

/// The customer's methods the element shows: of a redisplayable type the
/// intent allows, passing the session's `allow_redisplay` filters, in
/// Stripe's order (the customer's default first, then the most recently
/// used, then the newest; the element pre-selects the first), up to the limit.
fn saved_methods_shown(
    store: &Store,
    pi: &PaymentIntent,
    customer: &str,
    features: &Value,
) -> Vec<Value> {
    let filters: Vec<&str> = features["payment_method_allow_redisplay_filters"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let limit = features["payment_method_redisplay_limit"]
        .as_u64()
        .unwrap_or(3) as usize;
    let mut methods: Vec<_> = store
        .payment_methods
        .iter()
        .rev()
        .filter(|m| m.customer.as_deref() == Some(customer))
        .filter(|m| {
            REDISPLAYABLE.contains(&m.kind.as_str()) && pi.payment_method_types.contains(&m.kind)
        })
        .filter(|m| filters.contains(&m.allow_redisplay.as_str()))
        .collect();
    let default = customers::find(store, customer, "customer")
        .ok()
        .and_then(|c| c.default_payment_method.clone());
    let last_used = |pm: &str| {
        store
            .charges
            .iter()
            .filter(|c| c.payment_method == pm && c.status != "failed")
            .map(|c| c.created)
            .max()
    };
    methods.sort_by_key(|m| {
        (
            default.as_deref() != Some(m.id.as_str()),
            std::cmp::Reverse(last_used(&m.id)),
        )
    });
    methods.into_iter().take(limit).map(client_method).collect()
}

/// `POST /v1/elements/saved_payment_methods/:pm/detach` with the customer
/// session's client secret, when `payment_method_remove` is enabled.
pub async fn remove_saved(
    State(shared): State<Arc<Shared>>,
    Path(pm): Path<String>,
    ctx: Ctx,
) -> ApiResult<Json<Value>> {
    ctx.params.allow(&["customer_session_client_secret"])?;
    let cuss = ctx.params.required("customer_session_client_secret")?;
    let mut store = shared.store();
    let session = customer_session(&store, &cuss)?.clone();
    if session.components["payment_element"]["features"]["payment_method_remove"] != "enabled" {
        return Err(ApiError::invalid_request(
            "This CustomerSession does not allow removing payment methods.",
            None,
        ));
    }
    match store.payment_method(&pm) {
        Some(m) if m.customer.as_deref() == Some(session.customer.as_str()) => {}
        _ => return Err(ApiError::no_such("PaymentMethod", &pm, "payment_method")),
    }
    let detached = payment_methods::detach(&mut store, &pm, &ctx.meta)?;
    Ok(Json(detached))
}
