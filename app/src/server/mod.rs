//! Server-only code of the UI crate. The backend is the `shop` crate's
//! `server` module, re-exported here so server functions write
//! `crate::server::checkout`; what binds it to Leptos stays here: the
//! request's context (`request`) and the page's Content-Security-Policy
//! (`security`).

pub use shop::server::*;

pub mod request;
pub mod security;
