//! The server crate's integration tests, one binary (each module was its own
//! binary once; linking the crate fourteen times cost more than the tests).

mod support;

mod behind_a_proxy;
mod customers;
mod embedded_emulator;
mod http;
mod instances;
mod outbox;
mod readiness;
mod refunds;
mod restart;
mod sign_in_burst;
mod sign_in_throttle;
mod streams;
mod transport;
mod webhooks;
