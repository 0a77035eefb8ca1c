//! One module per Stripe resource: its JSON shape and its endpoints.

pub mod customer_sessions;
pub mod customers;
pub mod events;
pub mod payment_intents;
pub mod payment_methods;
pub mod refunds;
pub mod webhook_endpoints;

use serde_json::{json, Map, Value};

/// A postal address in Stripe's shape, every field present.
pub fn address(value: Option<&Value>) -> Value {
    let field = |k: &str| value.and_then(|v| v.get(k)).cloned().unwrap_or(Value::Null);
    json!({
        "city": field("city"), "country": field("country"), "line1": field("line1"),
        "line2": field("line2"), "postal_code": field("postal_code"), "state": field("state"),
    })
}

/// Keeps only the known address keys of a request hash, rejecting others.
pub fn address_param(
    params: &crate::params::Params,
    key: &str,
) -> crate::error::ApiResult<Option<Value>> {
    match params.hash(key)? {
        None => Ok(None),
        Some(hash) => {
            hash.allow(&["city", "country", "line1", "line2", "postal_code", "state"])?;
            let mut map = Map::new();
            for k in ["city", "country", "line1", "line2", "postal_code", "state"] {
                if let Some(v) = hash.str(k)? {
                    map.insert(
                        k.into(),
                        if v.is_empty() {
                            Value::Null
                        } else {
                            Value::String(v)
                        },
                    );
                }
            }
            Ok(Some(Value::Object(map)))
        }
    }
}

pub fn opt(value: &Option<String>) -> Value {
    value.clone().map(Value::String).unwrap_or(Value::Null)
}

/// A customer that exists and is not deleted, or Stripe's "No such customer".
pub fn find_live<'s>(
    store: &'s crate::store::Store,
    id: &str,
    param: &str,
) -> crate::error::ApiResult<&'s crate::store::Customer> {
    match store.customer(id) {
        Some(c) if !c.deleted => Ok(c),
        _ => Err(crate::error::ApiError::no_such("customer", id, param)),
    }
}

/// The top-level fields whose values changed, with their old values.
pub fn previous_attributes(before: &Value, after: &Value) -> Value {
    let (Some(b), Some(a)) = (before.as_object(), after.as_object()) else {
        return json!({});
    };
    let changed: Map<String, Value> = b
        .iter()
        .filter(|(k, v)| a.get(*k) != Some(*v))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    Value::Object(changed)
}
