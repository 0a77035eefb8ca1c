//! The backend: storage, authentication, the Stripe client, the checkout,
//! and the state the server functions run with. Compiled with the `server`
//! feature only (the UI crate's `ssr` turns it on).

pub mod accounts;
pub mod cart_store;
pub mod catalog;
pub mod checkout;
pub mod customers;
pub mod db;
pub mod leases;
pub mod message_store;
pub mod order_store;
pub mod passwords;
pub mod refunds;
pub mod saved_methods;
pub mod seed;
pub mod sessions;
pub mod sign_in_codes;
pub mod sign_in_guard;
pub mod sign_in_limits;
pub mod stripe;
pub mod stripe_accounts;

use std::sync::Arc;

use axum::extract::FromRef;
use leptos_config::LeptosOptions;
use sqlx::AnyPool;

/// Settings of the shop that server functions need, read once at start-up.
#[derive(Clone, Debug)]
pub struct ShopSettings {
    /// Seed demo customers and list them on the sign-in page.
    pub demo_mode: bool,
    /// Mark cookies `Secure` (when the shop is served over HTTPS).
    pub secure_cookies: bool,
    /// How long a sign-in lasts.
    pub session_ttl_secs: i64,
    /// `scheme://host[:port]` the shop is served at (from `SHOP_PUBLIC_URL`):
    /// the only `Origin` a browser's state-changing request may carry.
    pub public_origin: String,
    /// Reverse proxies (`SHOP_TRUSTED_PROXIES`) whose `X-Forwarded-For` says
    /// who the client is; anyone else's is ignored.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Serve `/dev/mailbox`: the e-mails the shop would send, shown on a
    /// page. Only without SMTP, in demo or embedded-emulator mode.
    pub dev_mailbox: bool,
}

impl Default for ShopSettings {
    fn default() -> Self {
        Self {
            demo_mode: true,
            secure_cookies: false,
            session_ttl_secs: 30 * 24 * 3600,
            public_origin: "http://127.0.0.1:3000".into(),
            trusted_proxies: Vec::new(),
            dev_mailbox: false,
        }
    }
}

/// Everything a request handler or server function needs. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    /// Where the build put the stylesheet and the islands' bundle.
    pub assets: crate::assets::Assets,
    pub pool: AnyPool,
    pub settings: Arc<ShopSettings>,
    pub stripe: stripe::StripeClient,
    /// Verifies the `Stripe-Signature` of incoming webhooks.
    pub webhook_secret: stripe::Secret,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// Seconds since the Unix epoch.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}
