//! A stateful Stripe test-mode emulator.
//!
//! It serves the subset of Stripe's API a checkout for existing customers
//! uses (customers, payment methods, payment intents, customer sessions,
//! events, webhook endpoints) with Stripe's shapes, status machines, errors
//! and test numbers; signs and delivers webhooks; and hosts the 3-D Secure
//! and bank pages `next_action` points to. Start it inside a tokio runtime
//! with [`start`], or run the `stripe-emulator` binary.
#![deny(unsafe_code)]
// Stripe objects are large `json!` literals.
#![recursion_limit = "256"]

pub mod api;
pub mod auth;
pub mod control;
pub mod elements;
pub mod error;
pub mod form;
pub mod http;
pub mod ids;
pub mod intent_status;
pub mod pages;
pub mod params;
pub mod request_log;
pub mod store;
pub mod test_values;
pub mod webhooks;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::{self, Next};
use axum::response::{Html, Response};
use axum::routing::{get, post};
use axum::Router;
use tokio::sync::{oneshot, Notify};

use crate::api::{
    customer_sessions, customers, events, payment_intents, payment_methods, refunds,
    webhook_endpoints,
};
use crate::auth::Keys;
use crate::store::Store;

pub use webhooks::{sign, signature_header, RetryPolicy};

pub const DEFAULT_ADDR: &str = "127.0.0.1:12111";
pub const DEFAULT_SECRET_KEY: &str = "sk_test_emulator";
pub const DEFAULT_PUBLISHABLE_KEY: &str = "pk_test_emulator";

#[derive(Clone, Debug)]
pub struct Config {
    pub addr: SocketAddr,
    pub secret_key: String,
    pub publishable_key: String,
    /// Like `stripe listen --forward-to`: an endpoint for every event.
    pub forward_to: Option<String>,
    /// Keep state in this file across restarts.
    pub state_file: Option<PathBuf>,
    /// How long a debit stays `processing`.
    pub settle_after: Duration,
    /// The same, for the "delayed" test values.
    pub delayed_settle_after: Duration,
    pub webhook_retry: RetryPolicy,
    pub webhook_timeout: Duration,
    /// Origins whose pages may call the API (CORS). `None`: any, as Stripe's
    /// API does. An app that embeds the emulator names its own, so that other
    /// pages in the developer's browser cannot read its data.
    pub allowed_origins: Option<Vec<String>>,
    /// The account's display name (Stripe's `settings.dashboard.display_name`):
    /// the merchant a shopper sees on the 3-D Secure and bank pages.
    pub display_name: String,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            addr: DEFAULT_ADDR.parse().expect("a valid default address"),
            secret_key: DEFAULT_SECRET_KEY.into(),
            publishable_key: DEFAULT_PUBLISHABLE_KEY.into(),
            forward_to: None,
            state_file: None,
            settle_after: Duration::from_secs(3),
            delayed_settle_after: Duration::from_secs(30),
            webhook_retry: RetryPolicy::default(),
            webhook_timeout: Duration::from_secs(10),
            allowed_origins: None,
            display_name: "Stripe emulator test merchant".into(),
        }
    }
}

/// State shared by handlers and background tasks.
pub struct Shared {
    pub store: Mutex<Store>,
    pub config: Config,
    pub base_url: String,
    /// Wakes the webhook worker when deliveries are queued.
    pub wake: Notify,
    /// Injected failures for the next API requests (not persisted).
    pub faults: Mutex<control::Faults>,
    /// The API requests answered lately (`/_emulator/requests`).
    pub requests: Mutex<request_log::RequestLog>,
    /// Writes of the state file, shared by the changes waiting for them.
    pub persistence: Persistence,
}

/// Group commit for the state file. Every change waits until the file holds
/// it, but changes that wait together share one write: the file is the
/// whole state, so writing it once per request cost O(n) each (2,500
/// customers created in a row rewrote it 2,500 times, O(n²) in all).
#[derive(Default)]
pub struct Persistence {
    /// Changes made so far (numbered once each is in the store).
    changes: std::sync::atomic::AtomicU64,
    /// The number of the last change the file is known to hold.
    written: std::sync::atomic::AtomicU64,
    /// One writer at a time; the others wait, and most find their change written.
    writer: tokio::sync::Mutex<()>,
}

impl Shared {
    pub fn keys(&self) -> Keys {
        Keys {
            secret: self.config.secret_key.clone(),
            publishable: self.config.publishable_key.clone(),
        }
    }

    /// The store, locked. Every lock of the emulator's state goes through
    /// these three: a handler that panicked while holding one (a bug) leaves
    /// plain data behind, so the next request takes the lock over rather than
    /// failing every request after it.
    pub fn store(&self) -> std::sync::MutexGuard<'_, Store> {
        self.store
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub fn faults(&self) -> std::sync::MutexGuard<'_, control::Faults> {
        self.faults
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub fn requests(&self) -> std::sync::MutexGuard<'_, request_log::RequestLog> {
        self.requests
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Writes the state file, if there is one, with every change made so
    /// far; returns once the file holds the caller's change (written by this
    /// call, or by one that started after the change).
    pub async fn persist(&self) {
        use std::sync::atomic::Ordering::SeqCst;
        let Some(path) = &self.config.state_file else {
            return;
        };
        let persistence = &self.persistence;
        // Numbered after the change is in the store: a snapshot taken once
        // this number is counted holds the change.
        let mine = persistence.changes.fetch_add(1, SeqCst) + 1;
        let _turn = persistence.writer.lock().await;
        if persistence.written.load(SeqCst) >= mine {
            return;
        }
        let upto = persistence.changes.load(SeqCst);
        let saved = self.store().save(path);
        match saved {
            Ok(()) => persistence.written.store(upto, SeqCst),
            Err(err) => {
                tracing::error!(%err, path = %path.display(), "could not save the emulator state")
            }
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot read the state file {path}: {source}")]
    State {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// A running emulator. Dropping it leaves it running; call [`Emulator::stop`].
pub struct Emulator {
    pub base_url: String,
    pub secret_key: String,
    pub publishable_key: String,
    /// The signing secret of the `--forward-to` endpoint.
    pub forward_secret: Option<String>,
    pub shared: Arc<Shared>,
    shutdown: Option<oneshot::Sender<()>>,
    server: tokio::task::JoinHandle<()>,
    workers: Vec<tokio::task::JoinHandle<()>>,
}

impl Emulator {
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let _ = (&mut self.server).await;
        for worker in &self.workers {
            worker.abort();
        }
        self.shared.persist().await;
    }
}

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

pub fn router(shared: Arc<Shared>) -> Router {
    // Each resource module owns its routes; the Payment Element's own calls
    // (publishable key) are the elements module's.
    let v1 = Router::new()
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
            request_log::record,
        ));
    let control = Router::new()
        .route("/requests", get(request_log::list))
        .route("/payment_intents/{id}/settle", post(control::settle))
        .route(
            "/payment_intents/{id}/next_action",
            post(control::next_action),
        )
        .route("/webhooks/deliver", post(control::deliver))
        .route("/webhooks/chaos", get(control::chaos).post(control::chaos))
        .route("/reset", post(control::reset))
        .route("/faults", post(control::faults))
        .route(
            "/3ds/{id}",
            get(pages::three_ds_page).post(pages::three_ds_submit),
        )
        .route(
            "/authorize/{id}",
            get(pages::bank_page).post(pages::bank_submit),
        );
    Router::new()
        .route("/", get(index))
        .route(
            "/favicon.ico",
            get(|| async { axum::http::StatusCode::NO_CONTENT }),
        )
        .route("/v3", get(elements::stripe_js))
        .route("/v3/", get(elements::stripe_js))
        .route("/endive/stripe.js", get(elements::stripe_js))
        .route("/elements/payment", get(elements::element_html))
        .route("/elements/payment-element.js", get(elements::element_js))
        .route("/elements/payment-element.css", get(elements::element_css))
        .route("/elements/address", get(elements::address_html))
        .route("/elements/address-element.js", get(elements::address_js))
        .route("/demo", get(elements::demo))
        .route("/demo/complete", get(elements::demo_complete))
        .nest("/v1", v1)
        .nest("/_emulator", control)
        .layer(middleware::from_fn_with_state(
            shared.clone(),
            persist_after,
        ))
        .layer(middleware::from_fn(http::request_id))
        .with_state(shared)
}

/// Starts the emulator on `config.addr` (port 0 picks a free one) inside the
/// current tokio runtime.
pub async fn start(config: Config) -> Result<Emulator, StartError> {
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|source| StartError::Bind {
            addr: config.addr,
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| StartError::Bind {
        addr: config.addr,
        source,
    })?;
    let base_url = format!("http://{addr}");
    let mut store = match &config.state_file {
        Some(path) => Store::load(path)
            .map_err(|source| StartError::State {
                path: path.clone(),
                source,
            })?
            .unwrap_or_default(),
        None => Store::default(),
    };
    // Deliveries in flight when the process stopped are due again.
    let now = store::now_ms();
    for d in store.deliveries.iter_mut().filter(|d| d.due_ms == i64::MAX) {
        d.due_ms = now;
    }
    let forward_secret = config.forward_to.as_ref().map(|url| {
        match store
            .webhook_endpoints
            .iter()
            .find(|e| &e.url == url && e.enabled_events == ["*"])
        {
            Some(existing) => existing.secret.clone(),
            None => {
                webhook_endpoints::register(
                    &mut store,
                    url.clone(),
                    vec!["*".into()],
                    Some("stripe-emulator --forward-to".into()),
                )
                .secret
            }
        }
    });
    let shared = Arc::new(Shared {
        faults: Mutex::new(control::Faults::default()),
        requests: Mutex::new(request_log::RequestLog::default()),
        persistence: Persistence::default(),
        store: Mutex::new(store),
        config: config.clone(),
        base_url: base_url.clone(),
        wake: Notify::new(),
    });
    shared.persist().await;
    let (tx, rx) = oneshot::channel::<()>();
    let app = router(shared.clone());
    let server = tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = rx.await;
            })
            .await;
    });
    let settler = {
        let shared = shared.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_millis(200)).await;
                let settled = {
                    let mut store = shared.store();
                    payment_intents::settle_due(&mut store) + refunds::settle_due(&mut store)
                };
                if settled > 0 {
                    shared.wake.notify_one();
                    shared.persist().await;
                }
            }
        })
    };
    let deliverer = tokio::spawn(webhooks::run(shared.clone()));
    Ok(Emulator {
        base_url,
        secret_key: config.secret_key,
        publishable_key: config.publishable_key,
        forward_secret,
        shared,
        shutdown: Some(tx),
        server,
        workers: vec![settler, deliverer],
    })
}
