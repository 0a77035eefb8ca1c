//! The shop's HTTP server: builds the state and the axum router.
//!
//! `main.rs` only reads the configuration and serves `app(state)`; tests call
//! `app` directly with `tower::ServiceExt::oneshot`.
#![deny(unsafe_code)]

pub mod catch_up;
pub mod commands;
pub mod config;
pub mod customer_events;
mod downloads;
pub mod embedded_emulator;
pub mod event_writer;
pub mod events;
pub mod import;
pub mod listener;
mod order_stream;
pub mod outbox;
pub mod protection;
pub mod refund_events;
pub mod webhook;

use std::sync::Arc;

use crate::outbox::{Outbox, OutboxError, OutboxSettings, SmtpMailer, Transport};
use app::{shell, App};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{extract::State, Router};
use leptos::config::LeptosOptions;
use leptos_axum::{generate_route_list, LeptosRoutes};
use shop::assets::{Assets, MANIFEST};
use shop::server::stripe::{RetryPolicy, Secret, StripeClient, StripeError, StripeSettings};
use shop::server::{db, seed, AppState, ShopSettings};
use tower_http::compression::{CompressionLayer, CompressionLevel};

pub use config::{Config, ConfigError, StripeMode};
pub use embedded_emulator::emulator_key_file;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Database(#[from] db::DbError),
    #[error("could not seed the database: {0}")]
    Seed(#[from] sqlx::Error),
    #[error(transparent)]
    Emulator(#[from] embedded_emulator::EmulatorError),
    #[error("could not register the webhook endpoint with the emulator: {0}")]
    Webhook(#[from] StripeError),
    #[error("could not set up e-mail: {0}")]
    Mail(#[from] OutboxError),
}

/// The shop's state, the outbox (for the caller to spawn or drive) and the
/// embedded emulator when there is one (kept alive as long as the server runs).
pub struct Started {
    pub state: AppState,
    pub outbox: Outbox,
    pub emulator: Option<embedded_emulator::Handle>,
}

/// Opens the database, applies migrations, seeds, starts the embedded Stripe
/// emulator if no keys are configured, and assembles the state.
pub async fn build_state(config: &Config) -> Result<Started, StartError> {
    // Where the shop's pages come from: the one origin its forms and the
    // embedded emulator accept.
    let public_origin = protection::origin_of(&config.mail.public_url)
        .unwrap_or_else(|| format!("http://{}", config.addr));
    let pool = open_database(config).await?;
    let (stripe, webhook_secret, emulator) = connect_stripe(config, &public_origin).await?;
    let outbox = Outbox::new(
        pool.clone(),
        mail_transport(config)?,
        outbox_settings(config),
    )
    .with_stripe(stripe.clone());
    // The hashed names of the built assets; without a build, the plain ones.
    let assets = std::fs::read_to_string(config.site_root.join(MANIFEST))
        .map(|text| Assets::from_manifest(&text))
        .unwrap_or_default();
    let state = AppState {
        leptos_options: leptos_options(config),
        assets,
        pool,
        settings: Arc::new(shop_settings(config, public_origin)),
        stripe,
        webhook_secret,
    };
    Ok(Started {
        state,
        outbox,
        emulator,
    })
}

/// The database, migrated and seeded. Instances started together on a new
/// database take turns here.
async fn open_database(config: &Config) -> Result<sqlx::AnyPool, StartError> {
    let startup = db::StartupLock::acquire(&config.database_url).await?;
    let pool = db::connect(&config.database_url).await?;
    seed::catalog(&pool).await?;
    if config.demo_mode {
        seed::demo_customers(&pool).await?;
    }
    drop(startup);
    Ok(pool)
}

/// Built here rather than with `get_configuration`: the binary runs where
/// no Cargo.toml is, and these are the only settings it needs.
fn leptos_options(config: &Config) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name(shop::assets::BUNDLE)
        .site_root(config.site_root.to_string_lossy().as_ref())
        .site_pkg_dir("pkg")
        .site_addr(config.addr)
        .build()
}

/// The Stripe client, the webhooks' signing secret and, without keys, the
/// embedded emulator they both point at (kept alive by the caller).
async fn connect_stripe(
    config: &Config,
    public_origin: &str,
) -> Result<(StripeClient, Secret, Option<embedded_emulator::Handle>), StartError> {
    match &config.stripe {
        StripeMode::Emulator { addr, state_file } => {
            let (settings, emulator) =
                embedded_emulator::start(*addr, state_file.as_deref(), public_origin).await?;
            let client = StripeClient::new(settings);
            let webhook_secret = embedded_emulator::register_webhook(
                &client,
                &format!("http://{}/webhooks/stripe", config.addr),
            )
            .await?;
            Ok((client, webhook_secret, Some(emulator)))
        }
        StripeMode::Stripe {
            secret_key,
            publishable_key,
            api_base,
            js_url,
            webhook_secret,
        } => {
            let client = StripeClient::new(StripeSettings {
                api_base: api_base.clone(),
                secret_key: secret_key.clone(),
                publishable_key: publishable_key.clone(),
                js_url: js_url.clone(),
                retry: RetryPolicy::default(),
            });
            Ok((client, webhook_secret.clone(), None))
        }
    }
}

/// SMTP when `SMTP_URL` is set; otherwise messages are kept for the page.
fn mail_transport(config: &Config) -> Result<Transport, OutboxError> {
    Ok(match &config.mail.smtp_url {
        Some(url) => Transport::Smtp(Arc::new(SmtpMailer::new(
            url.expose(),
            &config.mail.from,
            &config.mail.public_url,
        )?)),
        None => Transport::Inbox,
    })
}

fn outbox_settings(config: &Config) -> OutboxSettings {
    OutboxSettings {
        failure_notice_delay: config.mail.failure_notice_delay,
        instance: config.instance.clone(),
        ..OutboxSettings::default()
    }
}

fn shop_settings(config: &Config, public_origin: String) -> ShopSettings {
    ShopSettings {
        demo_mode: config.demo_mode,
        secure_cookies: config.secure_cookies,
        public_origin,
        trusted_proxies: config.trusted_proxies.clone(),
        // A page of everyone's e-mails: for a demo or a developer's
        // machine only, never beside real SMTP or real Stripe keys.
        dev_mailbox: config.mail.smtp_url.is_none()
            && (config.demo_mode || matches!(config.stripe, StripeMode::Emulator { .. })),
        ..ShopSettings::default()
    }
}

/// The whole HTTP surface of the shop.
pub fn app(state: AppState) -> Router {
    // Generated once per process: while it runs, Leptos suppresses resource
    // loading process-wide, which would freeze a page rendering concurrently
    // (leptos-rs/leptos#4773) — as happens when tests build apps in parallel.
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    let routes = ROUTES.get_or_init(|| generate_route_list(App)).clone();
    let shell_options = state.leptos_options.clone();
    let context_state = state.clone();
    let fallback_state = state.clone();
    Router::new()
        .route("/healthz", get(live))
        .route("/readyz", get(ready))
        .route("/orders/{id}/downloads/{product}", get(downloads::download))
        .route(
            "/orders/{id}/events",
            get(order_stream::events).layer(axum::Extension(order_stream::Streams::default())),
        )
        .route(
            "/webhooks/stripe",
            axum::routing::post(stripe_webhook).layer((
                axum::extract::DefaultBodyLimit::max(WEBHOOK_MAX_BYTES),
                axum::Extension(event_writer::EventWriter::new(state.pool.clone())),
            )),
        )
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_page_context(&context_state),
            move || shell(shell_options.clone()),
        )
        // Files of the built site (served precompressed when the build wrote
        // `.br`/`.gz` beside them), else the not-found page.
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(
            move || provide_page_context(&fallback_state), shell
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.settings.public_origin.clone(),
            protection::refuse_cross_site,
        ))
        .layer(axum::middleware::from_fn_with_state(
            protection::SecurityHeaders::new(
                &state.stripe.settings().js_url,
                state.settings.secure_cookies,
            ),
            protection::security_headers,
        ))
        .layer(axum::middleware::from_fn(error_status))
        // No form of the shop comes near this; webhooks have their own limit.
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            WEBHOOK_MAX_BYTES,
        ))
        .layer(axum::middleware::from_fn(cache_control))
        // Pages and server-function answers, compressed for browsers that
        // accept it; precompressed files pass through as they are.
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(4)))
        // Every log line of a request carries its method and path (never the
        // query: the return page's carries a client secret).
        .layer(
            tower_http::trace::TraceLayer::new_for_http().make_span_with(
                |request: &axum::http::Request<axum::body::Body>| {
                    tracing::info_span!("request", method = %request.method(), path = %request.uri().path())
                },
            ),
        )
        .with_state(state)
}

/// What every page rendering reads from context.
fn provide_page_context(state: &AppState) {
    leptos::prelude::provide_context(state.clone());
    leptos::prelude::provide_context(state.assets.clone());
}

/// Server functions answer every error with 500 (server_fn's rule); this
/// gives each `ShopError` its own status, in one place: 4xx when the request
/// was at fault (bad arguments, not signed in, too many attempts), 5xx when
/// the server or Stripe was.
async fn error_status(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    if !api || response.status() != axum::http::StatusCode::INTERNAL_SERVER_ERROR {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return (axum::http::StatusCode::INTERNAL_SERVER_ERROR, "").into_response();
    };
    if let Ok(error) = serde_json::from_slice::<app::error::ShopError>(&bytes) {
        if let Ok(status) = axum::http::StatusCode::from_u16(error.status()) {
            parts.status = status;
        }
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// The built files under `/pkg/` carry a hash of their content in their
/// name, so a browser keeps them for a year and never asks again. Other
/// files of the site (images, icon) are kept a day. Pages and server
/// functions are never stored: they carry the shopper's data and secrets.
async fn cache_control(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let hashed = request.uri().path().starts_with("/pkg/");
    let mut response = next.run(request).await;
    if response.headers().contains_key(header::CACHE_CONTROL) {
        return response;
    }
    // Files come from the disk with a date; pages and server functions without.
    let is_file = response.headers().contains_key(header::LAST_MODIFIED);
    let policy = match (is_file, hashed) {
        (true, true) => "public, max-age=31536000, immutable",
        (true, false) => "public, max-age=86400",
        (false, _) => "no-store",
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
    // A file may be sent brotli, gzip or plain, by what the browser accepts:
    // caches must keep those apart.
    if is_file && !headers.contains_key(header::VARY) {
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    response
}

/// Liveness (`/healthz`): the process answers. A load balancer restarts an
/// instance that stops answering this, and only that.
async fn live() -> &'static str {
    "ok"
}

/// How long `/readyz` waits for the database before saying it is not ready.
const READY_TIMEOUT: std::time::Duration = std::time::Duration::from_millis(800);

/// Readiness (`/readyz`): the database answers, so requests can be served.
/// A load balancer sends no traffic to an instance that is not ready. The
/// check has its own short deadline, never the pool's acquire wait: during a
/// database outage it answers 503 within a second, and 200 again as soon as
/// a connection can be made.
async fn ready(State(state): State<AppState>) -> impl IntoResponse {
    let check = sqlx::query_scalar::<_, i64>("SELECT 1").fetch_one(&state.pool);
    let failure = match tokio::time::timeout(READY_TIMEOUT, check).await {
        Ok(Ok(_)) => return (axum::http::StatusCode::OK, "ok"),
        Ok(Err(err)) => err.to_string(),
        Err(_) => format!("no answer within {} ms", READY_TIMEOUT.as_millis()),
    };
    tracing::error!(error = %failure, "readiness check failed");
    (
        axum::http::StatusCode::SERVICE_UNAVAILABLE,
        "database unavailable",
    )
}

/// Events are small; anything bigger is not from Stripe.
const WEBHOOK_MAX_BYTES: usize = 256 * 1024;

/// `POST /webhooks/stripe`: verifies the signature over the raw body, then
/// records the event and its effect in one transaction. 2xx only once the
/// event is durably recorded, so Stripe redelivers anything not recorded.
async fn stripe_webhook(
    State(state): State<AppState>,
    axum::Extension(writer): axum::Extension<event_writer::EventWriter>,
    headers: axum::http::HeaderMap,
    body: axum::body::Bytes,
) -> impl IntoResponse {
    use axum::http::StatusCode;
    let signature = headers
        .get("stripe-signature")
        .and_then(|v| v.to_str().ok());
    if let Err(err) = webhook::verify(
        signature,
        &body,
        state.webhook_secret.expose(),
        shop::server::now(),
        webhook::TOLERANCE_SECS,
    ) {
        tracing::warn!(%err, "webhook refused");
        return (StatusCode::BAD_REQUEST, err.to_string());
    }
    let event: webhook::Event = match serde_json::from_slice(&body) {
        Ok(event) => event,
        // Signed by Stripe, but rendered in an API version whose objects
        // this shop does not know: acknowledged, so Stripe stops resending.
        Err(err)
            if webhook::api_version_of(&body)
                .is_some_and(|version| !webhook::understands(Some(&version))) =>
        {
            tracing::warn!(%err, "webhook event in an unknown API version did not parse; acknowledged and ignored");
            return (StatusCode::OK, format!("{:?}", webhook::Handled::Ignored));
        }
        Err(err) => {
            tracing::warn!(%err, "webhook with a malformed event");
            return (StatusCode::BAD_REQUEST, "malformed event".to_owned());
        }
    };
    let (id, kind) = (event.id.clone(), event.kind.clone());
    match events::process(&state, &writer, event).await {
        Ok(handled) => {
            tracing::info!(event = %id, %kind, ?handled, "webhook");
            (StatusCode::OK, format!("{handled:?}"))
        }
        Err(err) => {
            tracing::error!(%err, event = %id, "webhook not recorded; Stripe will retry");
            (StatusCode::INTERNAL_SERVER_ERROR, "not recorded".to_owned())
        }
    }
}
