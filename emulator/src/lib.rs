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
pub mod config;
pub mod control;
pub mod demo;
pub mod elements;
pub mod error;
pub mod faults;
pub mod form;
pub mod http;
pub mod ids;
pub mod intent_status;
pub mod pages;
pub mod params;
pub mod request_log;
pub mod router;
pub mod scenarios;
pub mod state;
pub mod store;
pub mod test_values;
pub mod versions;
pub mod webhooks;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{oneshot, Notify};

use crate::api::{payment_intents, refunds, webhook_endpoints};
use crate::state::Persistence;
use crate::store::Store;

pub use config::RetryPolicy;
pub use config::{Config, DEFAULT_ADDR, DEFAULT_PUBLISHABLE_KEY, DEFAULT_SECRET_KEY};
pub use router::router;
pub use state::Shared;
pub use webhooks::{sign, signature_header};

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
    let mut store = load_store(&config)?;
    let forward_secret = config
        .forward_to
        .as_ref()
        .map(|url| forward_endpoint_secret(&mut store, url));
    let shared = Arc::new(Shared {
        faults: Mutex::new(faults::Faults::default()),
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
    let settler = tokio::spawn(settle_debits_and_refunds(shared.clone()));
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

/// The state file's store (or an empty one), with the deliveries that were
/// in flight when the process stopped due again.
fn load_store(config: &Config) -> Result<Store, StartError> {
    let mut store = match &config.state_file {
        Some(path) => Store::load(path)
            .map_err(|source| StartError::State {
                path: path.clone(),
                source,
            })?
            .unwrap_or_default(),
        None => Store::default(),
    };
    let now = store::now_ms();
    for d in store.deliveries.iter_mut().filter(|d| d.due_ms == i64::MAX) {
        d.due_ms = now;
    }
    Ok(store)
}

/// The signing secret of `--forward-to`'s endpoint: the one registered by
/// an earlier start for the same URL, so a receiver's secret survives
/// restarts, or a new one.
fn forward_endpoint_secret(store: &mut Store, url: &str) -> String {
    let existing = store
        .webhook_endpoints
        .iter()
        .find(|e| e.url == url && e.enabled_events == ["*"]);
    match existing {
        Some(endpoint) => endpoint.secret.clone(),
        None => {
            webhook_endpoints::register(
                store,
                url.to_owned(),
                vec!["*".into()],
                Some("stripe-emulator --forward-to".into()),
            )
            .secret
        }
    }
}

/// Moves the debits and refunds whose time has come out of `processing`.
async fn settle_debits_and_refunds(shared: Arc<Shared>) {
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
}
