//! Failures injected into the next API requests (`POST /_emulator/faults`),
//! for testing clients' retries: what is pending, and the error Stripe
//! answers with for each status.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

/// Failures to answer the next API requests with, for testing clients' retries.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Faults {
    pub remaining: u32,
    pub status: u16,
    pub should_retry: Option<bool>,
    /// A slow Stripe rather than a failing one: wait this long, then answer
    /// normally (`status` is then unused).
    pub delay_ms: u64,
}

impl Faults {
    /// The fault for the next request, if one is pending (counted down).
    pub fn take_next(&mut self) -> Option<Faults> {
        if self.remaining == 0 {
            return None;
        }
        self.remaining -= 1;
        Some(self.clone())
    }

    /// Stripe's error for `status`, with `Stripe-Should-Retry` if asked for.
    pub fn response(&self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let (kind, code, message) = match self.status {
            409 => ("invalid_request_error", Some("lock_timeout"), "This object cannot be accessed right now because another API request or Stripe process is currently accessing it."),
            429 => ("invalid_request_error", Some("rate_limit"), "Too many requests hit the API too quickly."),
            _ => ("api_error", None, "An unknown error occurred (injected by the emulator)."),
        };
        let mut response = ApiError::new(status, kind, code, message).into_response();
        if let Some(retry) = self.should_retry {
            let value = HeaderValue::from_static(if retry { "true" } else { "false" });
            response.headers_mut().insert("stripe-should-retry", value);
        }
        response
    }
}
