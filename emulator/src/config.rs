//! The emulator's settings: what `start` and the `stripe-emulator` binary
//! take, with the defaults the README documents.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

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

/// When the emulator tries a failed webhook delivery again: Stripe's
/// exponential back-off, shortened so tests can watch it.
#[derive(Clone, Debug)]
pub struct RetryPolicy {
    pub first_delay: Duration,
    pub max_delay: Duration,
    /// Attempts in all, the first included.
    pub max_attempts: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            first_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
            max_attempts: 10,
        }
    }
}

impl RetryPolicy {
    pub fn delay(&self, attempt: u32) -> Duration {
        self.first_delay
            .saturating_mul(2u32.saturating_pow(attempt))
            .min(self.max_delay)
    }
}
