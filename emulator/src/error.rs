//! Stripe's error responses: an HTTP status and `{"error": {...}}` with
//! `type`, `code`, `decline_code`, `message`, `param` and, on PaymentIntent
//! errors, the PaymentIntent itself.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decline_code: Option<String>,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub param: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub charge: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment_intent: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment_method: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payment_method_type: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ApiError {
    pub status: StatusCode,
    /// Boxed: errors travel in every `Result`, and the body is large.
    pub body: Box<ErrorBody>,
}

impl ApiError {
    pub fn new(
        status: StatusCode,
        kind: &str,
        code: Option<&str>,
        message: impl Into<String>,
    ) -> Self {
        let code = code.map(str::to_owned);
        Self {
            status,
            body: Box::new(ErrorBody {
                kind: kind.to_owned(),
                doc_url: code.as_ref().map(|c| {
                    format!(
                        "https://stripe.com/docs/error-codes/{}",
                        c.replace('_', "-")
                    )
                }),
                code,
                decline_code: None,
                message: message.into(),
                param: None,
                charge: None,
                payment_intent: None,
                payment_method: None,
                payment_method_type: None,
            }),
        }
    }

    pub fn with_param(mut self, param: impl Into<String>) -> Self {
        self.body.param = Some(param.into());
        self
    }

    pub fn with_payment_intent(mut self, pi: Value) -> Self {
        self.body.payment_intent = Some(pi);
        self
    }

    /// A 400 `invalid_request_error` without a code.
    pub fn invalid_request(message: impl Into<String>, param: Option<String>) -> Self {
        let mut e = Self::new(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            None,
            message,
        );
        e.body.param = param;
        e
    }

    pub fn missing(param: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            Some("parameter_missing"),
            format!("Missing required param: {param}."),
        )
        .with_param(param)
    }

    pub fn unknown_param(param: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            Some("parameter_unknown"),
            format!("Received unknown parameter: {param}"),
        )
        .with_param(param)
    }

    pub fn invalid_integer(param: &str, value: &str) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            Some("parameter_invalid_integer"),
            format!("Invalid integer: {value}"),
        )
        .with_param(param)
    }

    pub fn invalid_enum(param: &str, value: &str, allowed: &[&str]) -> Self {
        Self::invalid_request(
            format!("Invalid {param}: must be one of {}", allowed.join(", ")),
            Some(param.to_owned()),
        )
        .tap(|e| {
            if value.is_empty() {
                e.body.code = Some("parameter_invalid_empty".into());
            }
        })
    }

    fn tap(mut self, f: impl FnOnce(&mut Self)) -> Self {
        f(&mut self);
        self
    }

    /// 404 for an id that does not exist (or is not visible to this key).
    pub fn no_such(object: &str, id: &str, param: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "invalid_request_error",
            Some("resource_missing"),
            format!("No such {object}: '{id}'"),
        )
        .with_param(param)
    }

    pub fn unexpected_state(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "invalid_request_error",
            Some("payment_intent_unexpected_state"),
            message,
        )
    }

    /// A decline: HTTP 402 `card_error`.
    pub fn card_error(code: &str, decline_code: Option<&str>, message: &str) -> Self {
        let mut e = Self::new(
            StatusCode::PAYMENT_REQUIRED,
            "card_error",
            Some(code),
            message,
        );
        e.body.decline_code = decline_code.map(str::to_owned);
        e
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        let mut e = Self::new(
            StatusCode::UNAUTHORIZED,
            "invalid_request_error",
            None,
            message,
        );
        e.body.doc_url = None;
        e
    }

    pub fn not_found_route(method: &str, path: &str) -> Self {
        Self::invalid_request(
            format!("Unrecognized request URL ({method}: {path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/."),
            None,
        )
        .tap(|e| e.status = StatusCode::NOT_FOUND)
    }

    pub fn idempotency_mismatch(key: &str) -> Self {
        let mut e = Self::new(
            StatusCode::BAD_REQUEST,
            "idempotency_error",
            None,
            format!(
                "Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '{key}' if you meant to execute a different request."
            ),
        );
        e.body.doc_url = None;
        e
    }

    pub fn idempotency_in_use(key: &str) -> Self {
        Self::new(
            StatusCode::CONFLICT,
            "invalid_request_error",
            Some("idempotency_key_in_use"),
            format!(
                "There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): {key}. Please try again later."
            ),
        )
    }

    pub fn to_json(&self) -> Value {
        json!({ "error": self.body })
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.to_json())).into_response()
    }
}

pub type ApiResult<T = Value> = Result<T, ApiError>;
