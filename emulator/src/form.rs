//! Stripe's request encoding: `application/x-www-form-urlencoded` with
//! brackets for nesting (`metadata[order_id]=42`) and two array forms
//! (`expand[]=a` and `expand[0]=a`, the latter being what stripe-node sends).

use std::collections::BTreeMap;

use percent_encoding::percent_decode_str;
use serde_json::{Map, Value};

use crate::error::ApiError;

/// A decoded parameter tree. Leaves are strings, as on the wire; an empty
/// string means "unset" (`metadata[key]=`).
#[derive(Clone, Debug, PartialEq)]
pub enum Param {
    Str(String),
    List(Vec<Param>),
    Map(BTreeMap<String, Param>),
}

impl Param {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Param::Str(s) => Some(s),
            _ => None,
        }
    }

    /// As JSON, for echoing `metadata` and similar free-form hashes.
    pub fn to_json(&self) -> Value {
        match self {
            Param::Str(s) => Value::String(s.clone()),
            Param::List(items) => Value::Array(items.iter().map(Param::to_json).collect()),
            Param::Map(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), v.to_json()))
                    .collect::<Map<_, _>>(),
            ),
        }
    }
}

fn decode(raw: &str) -> Result<String, ApiError> {
    let spaced = raw.replace('+', " ");
    percent_decode_str(&spaced)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| {
            ApiError::invalid_request(
                "Invalid request: the body is not valid UTF-8 form data.",
                None,
            )
        })
}

/// Splits `a[b][]` into `["a", "b", ""]`.
fn key_path(key: &str) -> Result<Vec<String>, ApiError> {
    let malformed = || {
        ApiError::invalid_request(
            format!("Invalid parameter name: {key}. Nested parameters use brackets, such as metadata[key]."),
            Some(key.to_owned()),
        )
    };
    let (head, mut rest) = match key.find('[') {
        Some(i) => (&key[..i], &key[i..]),
        None => (key, ""),
    };
    if head.is_empty() {
        return Err(malformed());
    }
    let mut path = vec![head.to_owned()];
    while !rest.is_empty() {
        let Some(stripped) = rest.strip_prefix('[') else {
            return Err(malformed());
        };
        let Some(end) = stripped.find(']') else {
            return Err(malformed());
        };
        path.push(stripped[..end].to_owned());
        rest = &stripped[end + 1..];
    }
    Ok(path)
}

/// Builds with maps only; `[]` appends under the next free index. Maps whose
/// keys are all indices become lists afterwards.
fn insert(
    map: &mut BTreeMap<String, Param>,
    path: &[String],
    value: String,
    key: &str,
) -> Result<(), ApiError> {
    let conflict = || {
        ApiError::invalid_request(
            format!("Invalid parameter: {key} is given both as a value and as a hash."),
            Some(key.to_owned()),
        )
    };
    let segment = if path[0].is_empty() {
        // `[]`: next index among numeric keys.
        let next = map
            .keys()
            .filter_map(|k| k.parse::<usize>().ok())
            .max()
            .map_or(0, |n| n + 1);
        next.to_string()
    } else {
        path[0].clone()
    };
    if path.len() == 1 {
        if map.contains_key(&segment) && path[0].is_empty() {
            return Err(conflict());
        }
        match map.get(&segment) {
            Some(Param::Map(_)) => return Err(conflict()),
            _ => {
                map.insert(segment, Param::Str(value));
            }
        }
        return Ok(());
    }
    let child = map
        .entry(segment)
        .or_insert_with(|| Param::Map(BTreeMap::new()));
    match child {
        Param::Map(inner) => insert(inner, &path[1..], value, key),
        // `metadata=` followed by `metadata[a]=b`: the empty value clears, the hash wins.
        Param::Str(s) if s.is_empty() => {
            *child = Param::Map(BTreeMap::new());
            let Param::Map(inner) = child else {
                unreachable!()
            };
            insert(inner, &path[1..], value, key)
        }
        _ => Err(conflict()),
    }
}

fn listify(param: Param) -> Param {
    match param {
        Param::Map(map) => {
            let all_indices = !map.is_empty() && map.keys().all(|k| k.parse::<usize>().is_ok());
            if all_indices {
                let mut items: Vec<(usize, Param)> = map
                    .into_iter()
                    .map(|(k, v)| (k.parse().unwrap_or(0), listify(v)))
                    .collect();
                items.sort_by_key(|(i, _)| *i);
                Param::List(items.into_iter().map(|(_, v)| v).collect())
            } else {
                Param::Map(map.into_iter().map(|(k, v)| (k, listify(v))).collect())
            }
        }
        other => other,
    }
}

/// Decodes a form body or query string into a parameter tree.
pub fn parse(input: &str) -> Result<BTreeMap<String, Param>, ApiError> {
    let mut root = BTreeMap::new();
    for pair in input.split('&').filter(|p| !p.is_empty()) {
        let (raw_key, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
        let key = decode(raw_key)?;
        let value = decode(raw_value)?;
        let path = key_path(&key)?;
        insert(&mut root, &path, value, &key)?;
    }
    match listify(Param::Map(root)) {
        Param::Map(map) => Ok(map),
        _ => Ok(BTreeMap::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Param {
        Param::Str(v.into())
    }

    #[test]
    fn nests_brackets_and_both_array_forms() {
        let p = parse("amount=2000&metadata[order_id]=42&expand[]=a&expand[]=b&payment_method_types[0]=card&payment_method_types[1]=sepa_debit&components%5Bpayment_element%5D%5Benabled%5D=true").unwrap();
        assert_eq!(p["amount"], s("2000"));
        assert_eq!(
            p["metadata"],
            Param::Map([("order_id".into(), s("42"))].into())
        );
        assert_eq!(p["expand"], Param::List(vec![s("a"), s("b")]));
        assert_eq!(
            p["payment_method_types"],
            Param::List(vec![s("card"), s("sepa_debit")])
        );
        assert_eq!(
            p["components"],
            Param::Map(
                [(
                    "payment_element".into(),
                    Param::Map([("enabled".into(), s("true"))].into())
                )]
                .into()
            )
        );
    }

    #[test]
    fn decodes_plus_and_percent() {
        let p = parse("name=Jenny+Rosen&email=jenny%40example.com").unwrap();
        assert_eq!(p["name"], s("Jenny Rosen"));
        assert_eq!(p["email"], s("jenny@example.com"));
    }

    #[test]
    fn empty_values_unset() {
        let p = parse("metadata=").unwrap();
        assert_eq!(p["metadata"], s(""));
    }

    #[test]
    fn rejects_malformed_names() {
        assert!(parse("a[b=1").is_err());
        assert!(parse("[x]=1").is_err());
        assert!(parse("a=1&a[b]=2").is_err());
        assert!(parse("a=%ff").is_err());
    }
}
