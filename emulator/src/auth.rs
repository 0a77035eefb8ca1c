//! Who is calling: the secret key (everything) or the publishable key (only
//! what Stripe.js may do). Keys come as `Bearer` or as HTTP Basic username.

use axum::http::HeaderMap;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use crate::error::ApiError;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Secret,
    Publishable,
}

#[derive(Clone, Debug)]
pub struct Keys {
    pub secret: String,
    pub publishable: String,
}

/// The API key a request carries, if any.
pub fn presented_key(headers: &HeaderMap) -> Option<String> {
    let value = headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .trim();
    if let Some(token) = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))
    {
        return Some(token.trim().to_owned());
    }
    let encoded = value
        .strip_prefix("Basic ")
        .or_else(|| value.strip_prefix("basic "))?;
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    Some(decoded.split(':').next().unwrap_or_default().to_owned())
}

/// Masks a key the way Stripe's error messages do: `sk_test_****abcd`.
pub fn mask(key: &str) -> String {
    let prefix: String = key.chars().take(8).collect();
    let tail: String = key
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("{prefix}****{tail}")
}

pub fn authenticate(keys: &Keys, headers: &HeaderMap) -> Result<Role, ApiError> {
    let Some(key) = presented_key(headers) else {
        return Err(ApiError::unauthorized(
            "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
        ));
    };
    if key == keys.secret {
        Ok(Role::Secret)
    } else if key == keys.publishable {
        Ok(Role::Publishable)
    } else {
        Err(ApiError::unauthorized(format!(
            "Invalid API Key provided: {}",
            mask(&key)
        )))
    }
}

/// For endpoints that need the secret key.
pub fn require_secret(role: Role) -> Result<(), ApiError> {
    match role {
        Role::Secret => Ok(()),
        Role::Publishable => Err(ApiError::unauthorized(
            "This API call cannot be made with a publishable API key. Please use a secret API key. You can find a list of your API keys at https://dashboard.stripe.com/account/apikeys.",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_bearer_and_basic() {
        let mut h = HeaderMap::new();
        h.insert("authorization", "Bearer sk_test_x".parse().unwrap());
        assert_eq!(presented_key(&h).as_deref(), Some("sk_test_x"));
        h.insert(
            "authorization",
            format!("Basic {}", STANDARD.encode("sk_test_y:"))
                .parse()
                .unwrap(),
        );
        assert_eq!(presented_key(&h).as_deref(), Some("sk_test_y"));
    }

    #[test]
    fn masks_keys() {
        assert_eq!(mask("sk_test_abcdefgh1234"), "sk_test_****1234");
    }
}
