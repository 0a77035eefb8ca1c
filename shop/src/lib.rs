//! The shop's domain and backend.
//!
//! The domain (carts and prices, money, languages and strings, the order
//! state machine, messages) is plain Rust, compiled for the server and for
//! the browser alike. With the `server` feature, `server` adds the backend:
//! the database (sqlx), the Stripe client, the checkout, orders, sessions
//! and sign-in. The UI crate (`app`) uses both; the server binary (`server`)
//! adds the workers that only it runs (webhooks, outbox, catch-up).
#![deny(unsafe_code)]

pub mod assets;
pub mod cart;
pub mod codes;
pub mod countries;
pub mod delivery;
pub mod email;
pub mod i18n;
pub mod locale;
pub mod messages;
pub mod money;
pub mod orders;

#[cfg(feature = "server")]
pub mod server;
