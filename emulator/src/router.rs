//! Every route the emulator serves: Stripe's API under `/v1` (each resource
//! module owns its routes), Stripe.js and its elements, the 3-D Secure and
//! bank pages, and the `/_emulator` control API.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::{self, Next};
use axum::response::{Html, Response};
use axum::routing::{get, post};
use axum::Router;

use crate::api::{
    customer_sessions, customers, events, payment_intents, payment_methods, refunds,
    webhook_endpoints,
};
use crate::state::Shared;
use crate::{control, demo, elements, http, pages, versions};

/// Persists after every request that may have changed something.
async fn persist_after(State(shared): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    let mutating = req.method() != Method::GET;
    let response = next.run(req).await;
    if mutating {
        shared.wake.notify_one();
        shared.persist().await;
    }
    response
}

async fn index(State(shared): State<Arc<Shared>>) -> Html<String> {
    Html(format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Stripe emulator</title></head><body>\
         <h1>Stripe test-mode emulator</h1><p>API: <code>{0}/v1</code>. Publishable key: <code>{1}</code>. \
         The secret key was printed at start.</p></body></html>",
        shared.base_url, shared.config.publishable_key
    ))
}

/// Stripe's API: each resource module owns its routes; the Payment
/// Element's own calls (publishable key) are the elements module's.
fn api_routes(shared: &Arc<Shared>) -> Router<Arc<Shared>> {
    Router::new()
        .merge(customers::router())
        .merge(payment_methods::router())
        .merge(payment_intents::router())
        .merge(refunds::router())
        .merge(customer_sessions::router())
        .merge(events::router())
        .merge(webhook_endpoints::router())
        .route("/elements/sessions", get(elements::session))
        .route(
            "/elements/saved_payment_methods/{pm}/detach",
            post(elements::remove_saved),
        )
        .fallback(http::unknown_route)
        .layer(middleware::from_fn(versions::render_in_request_version))
        .layer(middleware::from_fn_with_state(
            shared.clone(),
            http::idempotency,
        ))
        .layer(middleware::from_fn_with_state(
            shared.clone(),
            control::inject_faults,
        ))
        .layer(middleware::from_fn_with_state(
            shared.clone(),
            elements::cors,
        ))
        .layer(middleware::from_fn_with_state(
            shared.clone(),
            http::log_request,
        ))
}

/// The test controls and the hosted 3-D Secure and bank pages.
fn control_routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/requests", get(control::requests))
        .route("/payment_intents/{id}/settle", post(control::settle))
        .route(
            "/payment_intents/{id}/next_action",
            post(control::next_action),
        )
        .route("/webhooks/deliver", post(control::deliver))
        .route("/webhooks/chaos", get(control::chaos).post(control::chaos))
        .route("/reset", post(control::reset))
        .route(
            "/scenarios",
            get(control::scenarios).post(control::scenarios),
        )
        .route("/faults", post(control::faults))
        .route(
            "/3ds/{id}",
            get(pages::three_ds_page).post(pages::three_ds_submit),
        )
        .route(
            "/authorize/{id}",
            get(pages::bank_page).post(pages::bank_submit),
        )
}

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/", get(index))
        .route(
            "/favicon.ico",
            get(|| async { axum::http::StatusCode::NO_CONTENT }),
        )
        .route("/v3", get(elements::stripe_js))
        .route("/v3/", get(elements::stripe_js))
        .route("/endive/stripe.js", get(elements::stripe_js))
        .route("/elements/frame.js", get(elements::frame_js))
        .route("/elements/payment", get(elements::element_html))
        .route("/elements/payment-element.js", get(elements::element_js))
        .route("/elements/payment-element.css", get(elements::element_css))
        .route("/elements/address", get(elements::address_html))
        .route("/elements/address-element.js", get(elements::address_js))
        .route(
            "/elements/link-authentication",
            get(elements::link_authentication_html),
        )
        .route(
            "/elements/link-authentication.js",
            get(elements::link_authentication_js),
        )
        .route("/demo", get(demo::demo))
        .route("/demo/complete", get(demo::demo_complete))
        .nest("/v1", api_routes(&shared))
        .nest("/_emulator", control_routes())
        .layer(middleware::from_fn_with_state(
            shared.clone(),
            persist_after,
        ))
        .layer(middleware::from_fn(http::request_id))
        .with_state(shared)
}
