//! How a confirmation ended, and Stripe's errors.

/// How `confirmPayment({…, redirect: 'if_required'})` ended when it did
/// not leave the page (a redirect leaves it for the bank's or 3-D Secure's
/// page, then comes back to the `return_url`).
#[derive(Clone, Debug, PartialEq)]
pub enum ConfirmOutcome {
    /// Succeeded or processing, without a redirect: the intent's id and
    /// client secret, for the page a redirect would have led to.
    Confirmed {
        intent: String,
        client_secret: String,
    },
    /// Stripe's error, when it gave one (`None` when Stripe.js could not answer).
    Failed(Option<StripeError>),
}

/// A Stripe.js `error`: what a page decides on.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StripeError {
    pub kind: ErrorKind,
    /// Stripe's `code` (`card_declined`, `incomplete_number`, …).
    pub code: Option<String>,
    /// The issuer's reason for a decline (`insufficient_funds`, …).
    pub decline_code: Option<String>,
    /// Stripe.js's message, in its `locale`.
    pub message: Option<String>,
}

/// Stripe's error `type`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum ErrorKind {
    /// The customer can fix it: a declined card, a wrong number.
    CardError,
    /// Details the element checked before sending them.
    ValidationError,
    InvalidRequestError,
    /// Stripe's fault, or one it could not explain.
    #[default]
    ApiError,
    /// A type this crate does not name.
    Other(String),
}

impl ErrorKind {
    /// Stripe's name for it (`card_error`, …).
    pub fn as_str(&self) -> &str {
        match self {
            ErrorKind::CardError => "card_error",
            ErrorKind::ValidationError => "validation_error",
            ErrorKind::InvalidRequestError => "invalid_request_error",
            ErrorKind::ApiError => "api_error",
            ErrorKind::Other(kind) => kind,
        }
    }
}

impl From<&str> for ErrorKind {
    fn from(kind: &str) -> Self {
        match kind {
            "card_error" => ErrorKind::CardError,
            "validation_error" => ErrorKind::ValidationError,
            "invalid_request_error" => ErrorKind::InvalidRequestError,
            "api_error" | "" => ErrorKind::ApiError,
            other => ErrorKind::Other(other.to_owned()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ErrorKind;

    #[test]
    fn error_kinds_keep_stripes_names() {
        for name in [
            "card_error",
            "validation_error",
            "invalid_request_error",
            "api_error",
            "rate_limit_error",
        ] {
            assert_eq!(ErrorKind::from(name).as_str(), name);
        }
        assert_eq!(ErrorKind::from(""), ErrorKind::ApiError);
    }
}
