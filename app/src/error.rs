//! The one error type of the server functions.
//!
//! Ordinary outcomes (a wrong password, an empty cart) are not errors: they
//! are states of the page. A `ShopError` reaches the browser as an HTTP 500
//! from the server-function endpoint, so it is kept for requests the UI would
//! never send, a session that ended, and failures of the server itself.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use shop::i18n::Texts;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ShopError {
    #[error("not signed in")]
    NotSignedIn,
    #[error("unknown product {0}")]
    UnknownProduct(String),
    #[error("invalid quantity {0}")]
    InvalidQuantity(u32),
    /// Stripe could not be reached or refused the shop's request.
    #[error("payments are unavailable")]
    PaymentUnavailable,
    /// A failure inside the server. The details stay in the server's log.
    #[error("the server could not complete the request")]
    Unavailable,
    /// The database cannot be reached now (an outage): try again shortly.
    #[error("the database cannot be reached")]
    DatabaseUnavailable,
    /// Too many failed sign-ins for this e-mail or from this address lately.
    #[error("too many attempts; retry in {0} s")]
    TooManyAttempts(u64),
    /// Too many wrong passwords for this e-mail from everywhere: its
    /// passwords pause (an e-mailed code still signs in).
    #[error("passwords paused for this e-mail; retry in {0} s or sign in by code")]
    PasswordsPaused(u64),
    /// Too many sign-ins at this very moment.
    #[error("busy; retry in {0} s")]
    Busy(u64),
    /// The request did not reach the server function, or its answer could not be read.
    #[error("request failed: {0}")]
    Request(String),
    /// The request's arguments were missing or malformed (a quantity that is
    /// not a number, say): the client's mistake.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// Not an e-mail address the shop can write to (malformed, over 254
    /// bytes, not ASCII).
    #[error("invalid e-mail address")]
    InvalidEmail,
    /// A sign-in code or link was not accepted; the detail is the
    /// `sign_in_codes::Refusal` code (`code_wrong`, `code_expired`, …).
    #[error("sign-in code refused: {0}")]
    CodeRefused(String),
    /// The account was closed (its Stripe customer deleted).
    #[error("account closed")]
    AccountClosed,
    #[error("invalid name")]
    InvalidName,
    #[error("invalid country")]
    InvalidCountry,
    /// A shipping address with a field missing or unusable.
    #[error("incomplete shipping address")]
    InvalidAddress,
    /// A shipping address in a country the shop does not deliver to.
    #[error("no delivery to that country")]
    NotDelivered,
}

impl ShopError {
    /// What to tell the person, in their language.
    pub fn message(&self, texts: &Texts) -> &'static str {
        match self {
            ShopError::NotSignedIn => texts.error_not_signed_in,
            ShopError::UnknownProduct(_) => texts.error_unknown_product,
            ShopError::InvalidQuantity(_) => texts.error_invalid_quantity,
            ShopError::Unavailable => texts.error_unavailable,
            ShopError::DatabaseUnavailable => texts.error_database_unavailable,
            ShopError::TooManyAttempts(_) => texts.error_too_many_attempts,
            ShopError::PasswordsPaused(_) => texts.account.passwords_paused,
            ShopError::Busy(_) => texts.error_busy,
            ShopError::PaymentUnavailable => texts.error_payment_unavailable,
            ShopError::Request(_) => texts.error_request,
            ShopError::BadRequest(_) => texts.error_request,
            ShopError::InvalidEmail => texts.account.invalid_email,
            ShopError::CodeRefused(_) => texts.account.refused_no_code,
            ShopError::AccountClosed => texts.account.account_closed,
            ShopError::InvalidName => texts.account.invalid_name,
            ShopError::InvalidCountry => texts.account.invalid_country,
            ShopError::InvalidAddress => texts.delivery.invalid_address,
            ShopError::NotDelivered => texts.delivery.not_delivered,
        }
    }

    /// The HTTP status the error answers with: 4xx when the request was at
    /// fault, 5xx when the server or Stripe was.
    pub fn status(&self) -> u16 {
        match self {
            ShopError::NotSignedIn => 401,
            ShopError::UnknownProduct(_)
            | ShopError::InvalidQuantity(_)
            | ShopError::BadRequest(_)
            | ShopError::InvalidEmail
            | ShopError::InvalidName
            | ShopError::InvalidCountry
            | ShopError::InvalidAddress
            | ShopError::NotDelivered => 400,
            ShopError::CodeRefused(_) => 401,
            ShopError::AccountClosed => 403,
            ShopError::TooManyAttempts(_) | ShopError::PasswordsPaused(_) => 429,
            ShopError::Unavailable | ShopError::Request(_) => 500,
            ShopError::PaymentUnavailable | ShopError::Busy(_) | ShopError::DatabaseUnavailable => {
                503
            }
        }
    }
}

impl ShopError {
    /// A short name for the error, for a page address (`?error=…`): a plain
    /// form post that failed is sent back to its page, which shows why.
    pub fn code(&self) -> &'static str {
        match self {
            ShopError::NotSignedIn => "not_signed_in",
            ShopError::UnknownProduct(_) => "unknown_product",
            ShopError::InvalidQuantity(_) => "invalid_quantity",
            ShopError::PaymentUnavailable => "payment_unavailable",
            ShopError::Unavailable => "unavailable",
            ShopError::DatabaseUnavailable => "database_unavailable",
            ShopError::TooManyAttempts(_) => "too_many_attempts",
            ShopError::PasswordsPaused(_) => "passwords_paused",
            ShopError::Busy(_) => "busy",
            ShopError::Request(_) => "request",
            ShopError::BadRequest(_) => "bad_request",
            ShopError::InvalidEmail => "invalid_email",
            ShopError::CodeRefused(_) => "code_refused",
            ShopError::AccountClosed => "account_closed",
            ShopError::InvalidName => "invalid_name",
            ShopError::InvalidCountry => "invalid_country",
            ShopError::InvalidAddress => "invalid_address",
            ShopError::NotDelivered => "not_delivered",
        }
    }

    /// The error a `code` names (without its details).
    pub fn from_code(code: &str) -> Option<Self> {
        Some(match code {
            "not_signed_in" => ShopError::NotSignedIn,
            "unknown_product" => ShopError::UnknownProduct(String::new()),
            "invalid_quantity" => ShopError::InvalidQuantity(0),
            "payment_unavailable" => ShopError::PaymentUnavailable,
            "unavailable" => ShopError::Unavailable,
            "database_unavailable" => ShopError::DatabaseUnavailable,
            "too_many_attempts" => ShopError::TooManyAttempts(0),
            "passwords_paused" => ShopError::PasswordsPaused(0),
            "busy" => ShopError::Busy(0),
            "request" => ShopError::Request(String::new()),
            "bad_request" => ShopError::BadRequest(String::new()),
            "invalid_email" => ShopError::InvalidEmail,
            "code_refused" => ShopError::CodeRefused(String::new()),
            "account_closed" => ShopError::AccountClosed,
            "invalid_name" => ShopError::InvalidName,
            "invalid_country" => ShopError::InvalidCountry,
            "invalid_address" => ShopError::InvalidAddress,
            "not_delivered" => ShopError::NotDelivered,
            _ => return None,
        })
    }
}

impl FromServerFnError for ShopError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(_)
            | ServerFnErrorErr::MissingArg(_)
            | ServerFnErrorErr::Deserialization(_)
            | ServerFnErrorErr::UnsupportedRequestMethod(_) => {
                ShopError::BadRequest(value.to_string())
            }
            _ => ShopError::Request(value.to_string()),
        }
    }
}

impl From<shop::cart::CartError> for ShopError {
    fn from(err: shop::cart::CartError) -> Self {
        use shop::cart::CartError;
        match err {
            CartError::UnknownProduct(id) => ShopError::UnknownProduct(id),
            CartError::InvalidQuantity(q) => ShopError::InvalidQuantity(q),
            CartError::Overflow => ShopError::Unavailable,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ShopError;

    #[test]
    fn codes_name_each_error_and_read_back() {
        let all = [
            ShopError::NotSignedIn,
            ShopError::UnknownProduct(String::new()),
            ShopError::InvalidQuantity(0),
            ShopError::PaymentUnavailable,
            ShopError::Unavailable,
            ShopError::DatabaseUnavailable,
            ShopError::TooManyAttempts(0),
            ShopError::PasswordsPaused(0),
            ShopError::Busy(0),
            ShopError::Request(String::new()),
            ShopError::BadRequest(String::new()),
            ShopError::InvalidEmail,
            ShopError::CodeRefused(String::new()),
            ShopError::AccountClosed,
            ShopError::InvalidName,
            ShopError::InvalidCountry,
            ShopError::InvalidAddress,
            ShopError::NotDelivered,
        ];
        for error in all {
            assert_eq!(ShopError::from_code(error.code()), Some(error));
        }
        assert_eq!(ShopError::from_code("nonsense"), None);
    }
}

/// Failures inside the server become the error the browser sees, which
/// carries no detail. The detail is logged here, once, in the request's span
/// (method and path, `server::app`), so server functions just use `?`.
#[cfg(feature = "ssr")]
mod from_server {
    use super::ShopError;
    use shop::server::checkout::CheckoutError;

    impl From<sqlx::Error> for ShopError {
        fn from(err: sqlx::Error) -> Self {
            tracing::error!(%err, "database");
            match err {
                // No connection within the pool's short wait, or none can be
                // made: an outage, answered 503 at once rather than hanging.
                sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
                    ShopError::DatabaseUnavailable
                }
                _ => ShopError::Unavailable,
            }
        }
    }

    impl From<shop::server::accounts::AccountError> for ShopError {
        fn from(err: shop::server::accounts::AccountError) -> Self {
            use shop::server::accounts::AccountError;
            tracing::error!(%err, "account");
            match err {
                AccountError::Db(_) => ShopError::Unavailable,
                AccountError::Stripe(_) => ShopError::PaymentUnavailable,
            }
        }
    }

    impl From<shop::server::sign_in_codes::CodeError> for ShopError {
        fn from(err: shop::server::sign_in_codes::CodeError) -> Self {
            use shop::server::sign_in_codes::CodeError;
            match err {
                CodeError::Busy(_) => ShopError::Busy(1),
                other => {
                    tracing::error!(err = %other, "sign-in code");
                    ShopError::Unavailable
                }
            }
        }
    }

    impl From<CheckoutError> for ShopError {
        fn from(err: CheckoutError) -> Self {
            use shop::delivery::AddressError;
            match err {
                // The shopper's to fix, not the server's failure.
                CheckoutError::Address(AddressError::NotDelivered(_)) => ShopError::NotDelivered,
                CheckoutError::Address(_) => ShopError::InvalidAddress,
                CheckoutError::UnknownOrder => ShopError::BadRequest("no such order".into()),
                err => {
                    tracing::error!(%err, "checkout");
                    ShopError::PaymentUnavailable
                }
            }
        }
    }
}
