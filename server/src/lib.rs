//! The shop's HTTP server: builds the state and the axum router.
//!
//! `main.rs` only reads the configuration and serves `app(state)`; tests call
//! `app` directly with `tower::ServiceExt::oneshot`.
#![deny(unsafe_code)]

pub mod config;

use std::sync::Arc;

use app::server::stripe::{RetryPolicy, Secret, StripeClient, StripeSettings};
use app::server::{db, seed, AppState, ShopSettings};
use app::{shell, App};
use axum::http::{header, HeaderValue};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{extract::State, Router};
use leptos::config::LeptosOptions;
use leptos_axum::{generate_route_list, LeptosRoutes};
use tower_http::set_header::SetResponseHeaderLayer;

pub use config::{Config, ConfigError, StripeMode};

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Database(#[from] db::DbError),
    #[error("could not seed the database: {0}")]
    Seed(#[from] sqlx::Error),
    #[error("could not start the embedded Stripe emulator: {0}")]
    Emulator(#[from] stripe_emulator::StartError),
}

/// The shop's state, and the embedded emulator when there is one (kept
/// alive as long as the server runs).
pub struct Started {
    pub state: AppState,
    pub emulator: Option<stripe_emulator::Emulator>,
}

/// Opens the database, applies migrations, seeds, starts the embedded Stripe
/// emulator if no keys are configured, and assembles the state.
pub async fn build_state(config: &Config) -> Result<Started, StartError> {
    let pool = db::connect(&config.database_url).await?;
    seed::catalog(&pool).await?;
    if config.demo_mode {
        seed::demo_customers(&pool).await?;
    }
    let leptos_options = LeptosOptions::builder()
        .output_name("shop")
        .site_root(config.site_root.to_string_lossy().as_ref())
        .site_pkg_dir("pkg")
        .site_addr(config.addr)
        .build();
    let (stripe, emulator) = match &config.stripe {
        StripeMode::Emulator { addr, state_file } => {
            let emulator = stripe_emulator::start(stripe_emulator::Config {
                addr: *addr,
                state_file: state_file.clone(),
                ..stripe_emulator::Config::default()
            })
            .await?;
            let settings = StripeSettings {
                api_base: emulator.base_url.clone(),
                secret_key: Secret::new(emulator.secret_key.clone()),
                publishable_key: emulator.publishable_key.clone(),
                js_url: format!("{}/v3/", emulator.base_url),
                retry: RetryPolicy::default(),
            };
            (settings, Some(emulator))
        }
        StripeMode::Stripe {
            secret_key,
            publishable_key,
            api_base,
            js_url,
            ..
        } => (
            StripeSettings {
                api_base: api_base.clone(),
                secret_key: secret_key.clone(),
                publishable_key: publishable_key.clone(),
                js_url: js_url.clone(),
                retry: RetryPolicy::default(),
            },
            None,
        ),
    };
    let state = AppState {
        leptos_options,
        pool,
        settings: Arc::new(ShopSettings {
            demo_mode: config.demo_mode,
            secure_cookies: config.secure_cookies,
            ..ShopSettings::default()
        }),
        stripe: StripeClient::new(stripe),
    };
    Ok(Started { state, emulator })
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
    Router::new()
        .route("/healthz", get(health))
        .leptos_routes_with_context(
            &state,
            routes,
            move || leptos::prelude::provide_context(context_state.clone()),
            move || shell(shell_options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .with_state(state)
}

/// Readiness: answers once the database does.
async fn health(State(state): State<AppState>) -> impl IntoResponse {
    match sqlx::query_scalar::<_, i64>("SELECT 1")
        .fetch_one(&state.pool)
        .await
    {
        Ok(_) => (axum::http::StatusCode::OK, "ok"),
        Err(err) => {
            tracing::error!(%err, "health check failed");
            (
                axum::http::StatusCode::SERVICE_UNAVAILABLE,
                "database unavailable",
            )
        }
    }
}
