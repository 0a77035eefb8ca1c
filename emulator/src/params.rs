//! Typed access to a request's parameters, with Stripe's errors for a
//! missing, malformed or unknown one.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::error::{ApiError, ApiResult};
use crate::form::Param;

/// The parameters every list endpoint takes (pagination and `expand`).
pub const LIST_PARAMS: &[&str] = &["limit", "starting_after", "ending_before", "expand"];

/// The `created` filter of a list: every bound given must hold.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CreatedRange {
    pub gt: Option<i64>,
    pub gte: Option<i64>,
    pub lt: Option<i64>,
    pub lte: Option<i64>,
}

impl CreatedRange {
    pub fn contains(&self, created: i64) -> bool {
        self.gt.is_none_or(|b| created > b)
            && self.gte.is_none_or(|b| created >= b)
            && self.lt.is_none_or(|b| created < b)
            && self.lte.is_none_or(|b| created <= b)
    }
}

#[derive(Clone, Debug, Default)]
pub struct Params {
    map: BTreeMap<String, Param>,
    /// `card` for the hash under `card[...]`: error messages name `card[number]`.
    prefix: String,
}

impl Params {
    pub fn new(map: BTreeMap<String, Param>) -> Self {
        Self {
            map,
            prefix: String::new(),
        }
    }

    pub fn name(&self, key: &str) -> String {
        if self.prefix.is_empty() {
            key.to_owned()
        } else {
            format!("{}[{key}]", self.prefix)
        }
    }

    pub fn contains(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.map.keys()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Rejects any parameter not in `known`, as Stripe does.
    pub fn allow(&self, known: &[&str]) -> ApiResult<()> {
        match self.map.keys().find(|k| !known.contains(&k.as_str())) {
            Some(unknown) => Err(ApiError::unknown_param(&self.name(unknown))),
            None => Ok(()),
        }
    }

    /// [`Params::allow`] for a list endpoint: the pagination and expansion
    /// parameters every list takes, plus its own filters.
    pub fn allow_list(&self, filters: &[&str]) -> ApiResult<()> {
        let mut known = LIST_PARAMS.to_vec();
        known.extend_from_slice(filters);
        self.allow(&known)
    }

    pub fn str(&self, key: &str) -> ApiResult<Option<String>> {
        match self.map.get(key) {
            None => Ok(None),
            Some(Param::Str(s)) => Ok(Some(s.clone())),
            Some(_) => Err(ApiError::invalid_request(
                format!("Invalid string: {}", self.name(key)),
                Some(self.name(key)),
            )),
        }
    }

    /// A string that, when given, must not be empty.
    pub fn non_empty(&self, key: &str) -> ApiResult<Option<String>> {
        match self.str(key)? {
            Some(s) if s.is_empty() => Err(ApiError::invalid_request(
                format!("You passed an empty string for '{}'. We assume empty values are an attempt to unset a parameter; however '{}' cannot be unset. You should remove '{}' from your request or supply a non-empty value.", self.name(key), self.name(key), self.name(key)),
                Some(self.name(key)),
            ).with_code("parameter_invalid_empty")),
            other => Ok(other),
        }
    }

    pub fn required(&self, key: &str) -> ApiResult<String> {
        self.non_empty(key)?
            .ok_or_else(|| ApiError::missing(&self.name(key)))
    }

    /// Unset (empty string) is `Some(None)`.
    pub fn nullable_str(&self, key: &str) -> ApiResult<Option<Option<String>>> {
        Ok(self
            .str(key)?
            .map(|s| if s.is_empty() { None } else { Some(s) }))
    }

    pub fn int(&self, key: &str) -> ApiResult<Option<i64>> {
        match self.non_empty(key)? {
            None => Ok(None),
            Some(s) => s
                .parse::<i64>()
                .map(Some)
                .map_err(|_| ApiError::invalid_integer(&self.name(key), &s)),
        }
    }

    pub fn bool(&self, key: &str) -> ApiResult<Option<bool>> {
        match self.non_empty(key)?.as_deref() {
            None => Ok(None),
            Some("true") => Ok(Some(true)),
            Some("false") => Ok(Some(false)),
            Some(other) => Err(ApiError::invalid_request(
                format!("Invalid boolean: {other}"),
                Some(self.name(key)),
            )
            .with_code("parameter_invalid_boolean")),
        }
    }

    pub fn one_of(&self, key: &str, allowed: &[&str]) -> ApiResult<Option<String>> {
        match self.str(key)? {
            None => Ok(None),
            Some(v) if allowed.contains(&v.as_str()) => Ok(Some(v)),
            Some(v) => Err(ApiError::invalid_enum(&self.name(key), &v, allowed)),
        }
    }

    pub fn list(&self, key: &str) -> ApiResult<Option<Vec<String>>> {
        match self.map.get(key) {
            None => Ok(None),
            // `types=` unsets; a single value where a list is expected is an error.
            Some(Param::Str(s)) if s.is_empty() => Ok(Some(Vec::new())),
            Some(Param::List(items)) => items
                .iter()
                .map(|item| {
                    item.as_str().map(str::to_owned).ok_or_else(|| {
                        ApiError::invalid_request(
                            format!("Invalid array: {}", self.name(key)),
                            Some(self.name(key)),
                        )
                    })
                })
                .collect::<ApiResult<Vec<_>>>()
                .map(Some),
            Some(_) => Err(ApiError::invalid_request(
                format!("Invalid array: {}", self.name(key)),
                Some(self.name(key)),
            )
            .with_code("parameter_invalid_array")),
        }
    }

    /// The nested hash `key[...]`, if given. An empty string (unset) is `None`.
    pub fn hash(&self, key: &str) -> ApiResult<Option<Params>> {
        match self.map.get(key) {
            None => Ok(None),
            Some(Param::Str(s)) if s.is_empty() => Ok(None),
            Some(Param::Map(map)) => Ok(Some(Params {
                map: map.clone(),
                prefix: self.name(key),
            })),
            Some(_) => Err(ApiError::invalid_request(
                format!("Invalid hash: {}", self.name(key)),
                Some(self.name(key)),
            )
            .with_code("parameter_invalid_hash")),
        }
    }

    /// `created` on list endpoints: a timestamp, or a range
    /// `created[gt|gte|lt|lte]=…` (any combination).
    pub fn created(&self) -> ApiResult<CreatedRange> {
        let mut range = CreatedRange::default();
        if let Some(Param::Map(_)) = self.map.get("created") {
            let bounds = self.hash("created")?.unwrap_or_default();
            bounds.allow(&["gt", "gte", "lt", "lte"])?;
            range.gt = bounds.int("gt")?;
            range.gte = bounds.int("gte")?;
            range.lt = bounds.int("lt")?;
            range.lte = bounds.int("lte")?;
        } else if let Some(exact) = self.int("created")? {
            range.gte = Some(exact);
            range.lte = Some(exact);
        }
        Ok(range)
    }

    /// `expand[]`: the paths to expand.
    pub fn expand(&self) -> ApiResult<Vec<String>> {
        Ok(self.list("expand")?.unwrap_or_default())
    }

    /// Applies a `metadata` update to `current`: `metadata=` clears all,
    /// `metadata[k]=` removes one key. Checks Stripe's limits.
    pub fn apply_metadata(&self, current: &mut Map<String, Value>) -> ApiResult<()> {
        match self.map.get("metadata") {
            None => Ok(()),
            Some(Param::Str(s)) if s.is_empty() => {
                current.clear();
                Ok(())
            }
            Some(Param::Map(map)) => {
                for (key, value) in map {
                    let Param::Str(value) = value else {
                        return Err(ApiError::invalid_request(
                            format!("Invalid value for metadata[{key}]: metadata values must be strings."),
                            Some(format!("metadata[{key}]")),
                        ));
                    };
                    if key.chars().count() > 40 {
                        return Err(ApiError::invalid_request(
                            format!(
                                "Metadata keys can have up to 40 characters. '{key}' is too long."
                            ),
                            Some(format!("metadata[{key}]")),
                        ));
                    }
                    if value.chars().count() > 500 {
                        return Err(ApiError::invalid_request(
                            format!("Metadata values can have up to 500 characters, but you passed in a value that is {} characters. Invalid value: {value}", value.chars().count()),
                            Some(format!("metadata[{key}]")),
                        ));
                    }
                    if value.is_empty() {
                        current.remove(key);
                    } else {
                        current.insert(key.clone(), Value::String(value.clone()));
                    }
                }
                if current.len() > 50 {
                    return Err(ApiError::invalid_request(
                        "You can have up to 50 metadata keys.".to_string(),
                        Some("metadata".into()),
                    ));
                }
                Ok(())
            }
            Some(_) => Err(ApiError::invalid_request(
                "Invalid hash: metadata",
                Some("metadata".into()),
            )),
        }
    }

    /// The whole hash as JSON (for free-form objects such as `shipping`).
    pub fn json(&self, key: &str) -> Option<Value> {
        self.map.get(key).map(Param::to_json)
    }
}

impl ApiError {
    pub fn with_code(mut self, code: &str) -> Self {
        self.body.code = Some(code.to_owned());
        self
    }
}
