//! The shop's user interface and server functions.
//!
//! Compiled twice: with `ssr` into the server binary (rendering HTML and
//! running the `#[server]` functions against the database), and with
//! `hydrate` into the browser's WebAssembly bundle (making that HTML
//! interactive and calling the server functions over HTTP).
#![deny(unsafe_code)]
// Leptos views are deeply nested types; the default limit (128) is too low for the release build.
#![recursion_limit = "256"]

pub mod api;
pub mod cart;
pub mod components;
pub mod error;
pub mod i18n;
pub mod messages;
pub mod money;
pub mod orders;
pub mod pages;
pub mod payments;
pub mod root;
pub mod stripe_js;

#[cfg(feature = "ssr")]
pub mod server;

pub use root::{shell, App};
