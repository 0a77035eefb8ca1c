//! What the Stripe.js stand-in needs from the emulator: the script itself,
//! the Payment Element's iframe, the element's session (the intent, the
//! methods it allows and the customer's redisplayable saved methods), the
//! removal of a saved method, and a demo page.
//!
//! Real Stripe.js talks to private endpoints too; these are the emulator's
//! own, under `/v1/elements/`, authenticated like Stripe.js's calls: the
//! publishable key plus the client secrets.

use std::sync::Arc;

use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::api::{customers, payment_intents, payment_methods};
use crate::error::{ApiError, ApiResult};
use crate::http::Ctx;
use crate::state::Shared;
use crate::store::{now, CustomerSession, PaymentIntent, Store};

const STRIPE_JS_SOURCE: &str = include_str!("../assets/stripe.js");
const ELEMENT_HTML: &str = include_str!("../assets/payment-element.html");
const ELEMENT_JS: &str = include_str!("../assets/payment-element.js");
const ELEMENT_CSS: &str = include_str!("../assets/payment-element.css");
const ADDRESS_HTML: &str = include_str!("../assets/address-element.html");
const ADDRESS_JS: &str = include_str!("../assets/address-element.js");
const DEMO_HTML: &str = include_str!("../assets/demo.html");
const COMPLETE_HTML: &str = include_str!("../assets/complete.html");

/// Saved methods the Payment Element can show (iDEAL, Bancontact and Sofort
/// appear as the SEPA method they generated).
const REDISPLAYABLE: &[&str] = &["card", "link", "us_bank_account", "sepa_debit"];

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
        Some(cuss) => {
            let session = customer_session(&store, &cuss)?;
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
            let filters: Vec<String> = features["payment_method_allow_redisplay_filters"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            let limit = features["payment_method_redisplay_limit"]
                .as_u64()
                .unwrap_or(3) as usize;
            let saved: Vec<Value> = if features["payment_method_redisplay"] == "enabled" {
                let mut methods: Vec<_> = store
                    .payment_methods
                    .iter()
                    .rev()
                    .filter(|m| m.customer.as_deref() == Some(session.customer.as_str()))
                    .filter(|m| {
                        REDISPLAYABLE.contains(&m.kind.as_str())
                            && pi.payment_method_types.contains(&m.kind)
                    })
                    .filter(|m| filters.contains(&m.allow_redisplay))
                    .collect();
                // As Stripe lists them: the customer's default first, then
                // the most recently used, then the newest (the element
                // pre-selects the first).
                let default = customers::find(&store, &session.customer, "customer")
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
            } else {
                Vec::new()
            };
            let email = customers::find(&store, &session.customer, "customer")
                .ok()
                .and_then(|c| c.email.clone());
            json!({ "email": email, "features": features, "saved_payment_methods": saved })
        }
    };
    Ok(Json(json!({
        "object": "elements_session",
        "livemode": false,
        "payment_intent": payment_intents::render(&store, pi, payment_intents::View::Client, &[]),
        "payment_method_types": pi.payment_method_types,
        "customer": customer,
    })))
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

/// A test customer for the demo page.
struct Persona {
    email: &'static str,
    name: &'static str,
    currency: &'static str,
    saved: &'static [&'static str],
}

fn persona(name: &str) -> Persona {
    match name {
        "jordan" => Persona {
            email: "jordan@example.com",
            name: "Jordan Smith",
            currency: "usd",
            saved: &["pm_card_visa", "us_bank_account"],
        },
        "new" => Persona {
            email: "new@example.com",
            name: "Nova Newman",
            currency: "eur",
            saved: &[],
        },
        _ => Persona {
            email: "camille@example.fr",
            name: "Camille Martin",
            currency: "eur",
            saved: &["pm_card_visa", "pm_success_de"],
        },
    }
}

/// `GET /demo?persona=camille|jordan|new&locale=en|fr`: a Payment Element for a
/// test customer, built through the emulator's own API.
pub async fn demo(
    State(shared): State<Arc<Shared>>,
    Query(q): Query<std::collections::HashMap<String, String>>,
) -> Response {
    let p = persona(q.get("persona").map(String::as_str).unwrap_or("camille"));
    let base = shared.base_url.clone();
    let client = reqwest::Client::new();
    let key = shared.config.secret_key.clone();
    let post = |path: String, form: Vec<(&'static str, String)>| {
        let client = client.clone();
        let key = key.clone();
        let base = base.clone();
        async move {
            let r = client
                .post(format!("{base}{path}"))
                .bearer_auth(key)
                .form(&form)
                .send()
                .await
                .map_err(|e| e.to_string())?;
            let v: Value = r.json().await.map_err(|e| e.to_string())?;
            if v.get("error").is_some() {
                Err(v["error"]["message"].to_string())
            } else {
                Ok(v)
            }
        }
    };
    let built: Result<(Value, Value, String), String> = async {
        // `customer=cus_…` comes back to an existing customer (to see what a
        // previous payment saved); otherwise a fresh one with the persona's methods.
        let existing = q.get("customer").filter(|c| c.starts_with("cus_")).cloned();
        let cid = match &existing {
            Some(id) => id.clone(),
            None => post("/v1/customers".into(), vec![("email", p.email.into()), ("name", p.name.into())]).await?["id"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        };
        let saved_methods: &[&str] = if existing.is_some() { &[] } else { p.saved };
        for saved in saved_methods {
            let pm = if *saved == "us_bank_account" {
                post(
                    "/v1/payment_methods".into(),
                    vec![
                        ("type", "us_bank_account".into()),
                        ("us_bank_account[routing_number]", "110000000".into()),
                        ("us_bank_account[account_number]", "000123456789".into()),
                        ("billing_details[name]", p.name.into()),
                    ],
                )
                .await?["id"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned()
            } else {
                (*saved).to_owned()
            };
            let attached = post(format!("/v1/payment_methods/{pm}/attach"), vec![("customer", cid.clone())]).await?;
            post(format!("/v1/payment_methods/{}", attached["id"].as_str().unwrap_or_default()), vec![("allow_redisplay", "always".into())]).await?;
        }
        let amount = q.get("amount").cloned().unwrap_or_else(|| "2500".into());
        let pi = post(
            "/v1/payment_intents".into(),
            vec![("amount", amount), ("currency", p.currency.into()), ("customer", cid.clone()), ("automatic_payment_methods[enabled]", "true".into())],
        )
        .await?;
        let mut features = vec![
            ("customer", cid.clone()),
            ("components[payment_element][enabled]", "true".into()),
            ("components[payment_element][features][payment_method_redisplay]", "enabled".into()),
            ("components[payment_element][features][payment_method_save]", "enabled".into()),
            ("components[payment_element][features][payment_method_save_usage]", "off_session".into()),
            ("components[payment_element][features][payment_method_remove]", "enabled".into()),
        ];
        if let Some(limit) = q.get("limit") {
            features.push(("components[payment_element][features][payment_method_redisplay_limit]", limit.clone()));
        }
        if let Some(filters) = q.get("filters") {
            for f in filters.split(',') {
                features.push(("components[payment_element][features][payment_method_allow_redisplay_filters][]", f.to_owned()));
            }
        }
        let cuss = post("/v1/customer_sessions".into(), features).await?;
        Ok((pi, cuss, cid))
    }
    .await;
    match built {
        Ok((pi, cuss, customer)) => {
            // `bad_secret=1` mounts with a client secret that matches nothing, to show `loaderror`.
            let client_secret = if q.contains_key("bad_secret") {
                json!("pi_unknown_secret_unknown")
            } else {
                pi["client_secret"].clone()
            };
            let config = json!({
                "publishableKey": shared.config.publishable_key,
                "customer": customer,
                "paymentIntent": pi["id"],
                "clientSecret": client_secret,
                "customerSessionClientSecret": cuss["client_secret"],
                "locale": q.get("locale").cloned().unwrap_or_else(|| "auto".into()),
                "layout": q.get("layout").cloned().unwrap_or_else(|| "tabs".into()),
                "amount": pi["amount"],
                "currency": pi["currency"],
                // `address=shipping`: a shipping Address Element beside the
                // Payment Element (`countries=US,FR` narrows it).
                "address": q.get("address").filter(|m| *m == "shipping" || *m == "billing"),
                "allowedCountries": q.get("countries").map(|c| c.split(',').collect::<Vec<_>>()),
            });
            // The configuration is JSON inside a <script>: escape what could end it.
            let config = config.to_string().replace('<', "\\u003c");
            Html(DEMO_HTML.replace("/*CONFIG*/{}", &config)).into_response()
        }
        Err(message) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("could not build the demo: {message}"),
        )
            .into_response(),
    }
}

/// `GET /demo/complete`: the demo's return page.
pub async fn demo_complete(State(shared): State<Arc<Shared>>) -> Html<String> {
    let key = serde_json::to_string(&shared.config.publishable_key).unwrap_or_default();
    Html(COMPLETE_HTML.replace("/*PK*/''", &key))
}
