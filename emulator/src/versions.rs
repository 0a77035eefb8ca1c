//! Objects as each API version shows them (docs/stripe.md, "API versions").
//!
//! Handlers render the current version's shape. For a request, or a webhook
//! endpoint, pinned to an older `Stripe-Version`, each change newer than it
//! is undone, newest first, as Stripe's own version changes are written.
//! Fields Stripe adds without a new version (`customer_account`,
//! `billing_details.tax_id`…) are in every version, as on Stripe.

use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;
use serde_json::{Map, Value};

use crate::http::{ApiVersion, DEFAULT_API_VERSION};

/// One breaking change: the version that made it, and how to show an object
/// as it was before.
struct Change {
    /// `YYYY-MM-DD`: versions from this date on have the change.
    since: &'static str,
    /// How an object of this kind (`payment_intent`, `charge`…) looked before.
    undo: fn(kind: &str, object: &mut Map<String, Value>),
}

/// Newest first.
const CHANGES: &[Change] = &[
    // 2026-07-29.dahlia: a PaymentIntent says which types it was limited to,
    // or kept from, in the request's new terms.
    Change {
        since: "2026-07-29",
        undo: |kind, object| {
            if kind == "payment_intent" {
                object.remove("allowed_payment_method_types");
                object.remove("excluded_payment_method_types");
            }
        },
    },
    // 2025-03-31.basil: invoices pay through InvoicePayments, so PaymentIntents
    // and Charges no longer name an invoice.
    Change {
        since: "2025-03-31",
        undo: |kind, object| {
            if matches!(kind, "payment_intent" | "charge") {
                object.insert("invoice".into(), Value::Null);
            }
        },
    },
];

/// The changes made after `version`, newest first (none for the current one).
fn changes_after(version: &str) -> Vec<&'static Change> {
    let version = ApiVersion(version.to_owned());
    CHANGES
        .iter()
        .take_while(|c| !version.at_least(c.since))
        .collect()
}

/// Whether objects need changing for `version` at all.
fn is_current(version: &str) -> bool {
    changes_after(version).is_empty()
}

/// `value` (an object, a list, an error…) as `version` shows it. Events keep
/// the version they were rendered at, so their `data.object` is not touched.
pub fn render_as(version: &str, value: &mut Value) {
    let changes = changes_after(version);
    if !changes.is_empty() {
        undo(&changes, value);
    }
}

fn undo(changes: &[&Change], value: &mut Value) {
    match value {
        Value::Object(object) => {
            let kind = object
                .get("object")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned();
            if kind == "event" {
                return;
            }
            for nested in object.values_mut() {
                undo(changes, nested);
            }
            for change in changes {
                (change.undo)(&kind, object);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| undo(changes, item)),
        _ => {}
    }
}

/// An event as a webhook endpoint pinned to `version` receives it: its
/// `api_version` and `data.object` in that version.
pub fn event_for_endpoint(mut event: Value, version: Option<&str>) -> Value {
    let Some(version) = version.filter(|v| !is_current(v)) else {
        return event;
    };
    if let Some(object) = event.pointer_mut("/data/object") {
        render_as(version, object);
    }
    event["api_version"] = Value::String(version.to_owned());
    event
}

/// The API's responses in the request's `Stripe-Version` (an invalid one is
/// refused by the handler's own parsing, so it passes through here).
pub async fn render_in_request_version(req: Request, next: Next) -> Response {
    let version = req
        .headers()
        .get("stripe-version")
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_owned())
        .unwrap_or_else(|| DEFAULT_API_VERSION.to_owned());
    let response = next.run(req).await;
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if is_current(&version) || !is_json {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, usize::MAX).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let body = match serde_json::from_slice::<Value>(&bytes) {
        Ok(mut value) => {
            render_as(&version, &mut value);
            parts.headers.remove(header::CONTENT_LENGTH);
            Body::from(value.to_string())
        }
        Err(_) => Body::from(bytes),
    };
    Response::from_parts(parts, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn intent() -> Value {
        json!({
            "object": "payment_intent",
            "allowed_payment_method_types": ["card"],
            "excluded_payment_method_types": null,
            "latest_charge": {"object": "charge", "id": "ch_1"},
        })
    }

    #[test]
    fn the_current_version_is_left_as_rendered() {
        let mut value = intent();
        render_as(DEFAULT_API_VERSION, &mut value);
        assert_eq!(value, intent());
    }

    #[test]
    fn dahlia_before_july_has_no_allowed_types_and_basil_had_no_invoice() {
        let mut value = intent();
        render_as("2026-03-25.dahlia", &mut value);
        assert_eq!(
            value,
            json!({"object": "payment_intent", "latest_charge": {"object": "charge", "id": "ch_1"}})
        );
    }

    #[test]
    fn before_basil_intents_and_their_charges_name_an_invoice() {
        let mut value = json!({"object": "list", "data": [intent()]});
        render_as("2024-06-20", &mut value);
        let pi = &value["data"][0];
        assert_eq!(pi["invoice"], Value::Null);
        assert!(pi.as_object().unwrap().contains_key("invoice"));
        assert!(pi["latest_charge"]
            .as_object()
            .unwrap()
            .contains_key("invoice"));
        assert!(pi.get("allowed_payment_method_types").is_none());
    }

    #[test]
    fn an_event_keeps_its_own_version_but_an_older_endpoint_gets_its_own() {
        let event = json!({"object": "event", "api_version": DEFAULT_API_VERSION, "data": {"object": intent()}});
        let mut listed = json!({"object": "list", "data": [event.clone()]});
        render_as("2024-06-20", &mut listed);
        assert_eq!(listed["data"][0], event);

        let delivered = event_for_endpoint(event, Some("2024-06-20"));
        assert_eq!(delivered["api_version"], "2024-06-20");
        assert!(delivered["data"]["object"]
            .as_object()
            .unwrap()
            .contains_key("invoice"));
    }
}
