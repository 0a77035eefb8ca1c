//! The API requests the emulator answered, oldest first, as Stripe's
//! Dashboard lists them under Developers → Logs: which key called what, and
//! what it was told. Tests read it to prove how often a server talks to
//! Stripe: `GET /_emulator/requests?after=<seq>` with the secret key.
//! Not persisted; the last `KEEP` requests are kept.

use std::collections::VecDeque;

use serde::Serialize;

const KEEP: usize = 5_000;

#[derive(Clone, Debug, Serialize)]
pub struct LoggedRequest {
    /// Increases by one per request, from 1.
    pub seq: u64,
    pub method: String,
    /// The path only: a query may carry a client secret.
    pub path: String,
    /// `secret`, `publishable`, or `none` (no or an unknown key).
    pub key: &'static str,
    pub status: u16,
    pub created: i64,
}

#[derive(Debug, Default)]
pub struct RequestLog {
    last_seq: u64,
    entries: VecDeque<LoggedRequest>,
}

impl RequestLog {
    pub fn push(&mut self, method: String, path: String, key: &'static str, status: u16) {
        self.last_seq += 1;
        if self.entries.len() == KEEP {
            self.entries.pop_front();
        }
        self.entries.push_back(LoggedRequest {
            seq: self.last_seq,
            method,
            path,
            key,
            status,
            created: crate::store::now(),
        });
    }

    /// The requests after `seq`, oldest first.
    pub fn after(&self, seq: u64) -> impl Iterator<Item = &LoggedRequest> {
        self.entries.iter().filter(move |r| r.seq > seq)
    }

    /// The newest request's `seq` (0 before the first).
    pub fn last_seq(&self) -> u64 {
        self.last_seq
    }
}
