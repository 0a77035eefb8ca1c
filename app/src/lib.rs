//! The shop's user interface and server functions.
//!
//! Compiled twice: with `ssr` into the server binary (rendering every page
//! and running the `#[server]` functions against the database), and with
//! `hydrate` into the browser's WebAssembly bundle, which holds only the
//! islands (`islands`): the rest of the UI never leaves the server.
#![deny(unsafe_code)]
// Leptos views are deeply nested types; the default limit (128) is too low for the release build.
#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod error;
pub mod islands;
pub mod page;
pub mod pages;
pub mod payments;
pub mod root;

// Server-only glue between Leptos and the backend (`shop::server`): the
// request's context (state, session, customer) and the page's
// Content-Security-Policy.
#[cfg(feature = "ssr")]
pub mod request;
#[cfg(feature = "ssr")]
pub mod security;

pub use root::{shell, App};
