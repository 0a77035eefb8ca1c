//! What every handler and background task shares: the store, the
//! configuration, the injected faults, the request log and the state file's
//! writes.

use std::sync::Mutex;

use tokio::sync::Notify;

use crate::auth::Keys;
use crate::config::Config;
use crate::faults::Faults;
use crate::request_log::RequestLog;
use crate::store::Store;

/// State shared by handlers and background tasks.
pub struct Shared {
    pub store: Mutex<Store>,
    pub config: Config,
    pub base_url: String,
    /// Wakes the webhook worker when deliveries are queued.
    pub wake: Notify,
    /// Injected failures for the next API requests (not persisted).
    pub faults: Mutex<Faults>,
    /// The API requests answered lately (`/_emulator/requests`).
    pub requests: Mutex<RequestLog>,
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

    pub fn faults(&self) -> std::sync::MutexGuard<'_, Faults> {
        self.faults
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub fn requests(&self) -> std::sync::MutexGuard<'_, RequestLog> {
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
