//! The emulator crate's integration tests, one binary (each module was its own
//! binary once; linking the crate six times cost more than the tests).

mod support;

mod bank_debits;
mod cli;
mod payments;
mod refunds;
mod resources;
mod scenarios;
mod schema;
mod transport;
mod webhooks;
