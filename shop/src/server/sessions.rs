//! Sign-in sessions and the cookies that carry them.
//!
//! The cookie holds 256 random bits; the database holds only their SHA-256.
//! Cookies are HttpOnly (no script reads them) and SameSite=Lax (other sites
//! cannot post forms with them).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use http::HeaderMap;
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::AnyPool;

use super::customers::CustomerId;

pub const SESSION_COOKIE: &str = "shop_session";
pub const LOCALE_COOKIE: &str = "shop_locale";

/// The secret a browser presents to prove who it is.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionToken(String);

impl SessionToken {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for SessionToken {
    // Never print a live credential into a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionToken(..)")
    }
}

/// What the database keeps of a token (its SHA-256), never the token.
pub fn digest(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Starts a session for `customer` lasting `ttl_secs`.
pub async fn create(
    pool: &AnyPool,
    customer: CustomerId,
    ttl_secs: i64,
) -> Result<SessionToken, sqlx::Error> {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let now = super::now();
    // Housekeeping while we are here: expired sessions are useless.
    sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(pool)
        .await?;
    sqlx::query(
        "INSERT INTO sessions (token_hash, customer_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(digest(&token))
    .bind(customer.0)
    .bind(now)
    .bind(now + ttl_secs)
    .execute(pool)
    .await?;
    Ok(SessionToken(token))
}

/// The customer a token belongs to, if the session exists and has not expired.
pub async fn customer_for(pool: &AnyPool, token: &str) -> Result<Option<CustomerId>, sqlx::Error> {
    let id: Option<i64> = sqlx::query_scalar(
        "SELECT customer_id FROM sessions WHERE token_hash = $1 AND expires_at > $2",
    )
    .bind(digest(token))
    .bind(super::now())
    .fetch_optional(pool)
    .await?;
    Ok(id.map(CustomerId))
}

pub async fn delete(pool: &AnyPool, token: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(digest(token))
        .execute(pool)
        .await?;
    Ok(())
}

/// Ends every session of `customer` ("sign out everywhere"); returns how many.
pub async fn delete_all_of(pool: &AnyPool, customer: CustomerId) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM sessions WHERE customer_id = $1")
        .bind(customer.0)
        .execute(pool)
        .await?;
    Ok(done.rows_affected())
}

/// The signed-in customer of a request outside Leptos (plain axum routes).
pub async fn customer_from_headers(
    pool: &AnyPool,
    headers: &HeaderMap,
) -> Result<Option<CustomerId>, sqlx::Error> {
    match cookie(headers, SESSION_COOKIE).filter(|t| !t.is_empty()) {
        Some(token) => customer_for(pool, token).await,
        None => Ok(None),
    }
}

/// The value of cookie `name` in a request's headers.
pub fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim_matches('"'))
}

/// A `Set-Cookie` value for an HttpOnly, SameSite=Lax cookie on the whole site.
/// `max_age_secs == 0` deletes the cookie.
pub fn set_cookie(name: &str, value: &str, max_age_secs: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; Max-Age={max_age_secs}; HttpOnly; SameSite=Lax{secure}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::customers::{self, NewCustomer};
    use crate::server::db;
    use crate::{i18n::Locale, money::Currency};

    async fn customer(pool: &AnyPool, email: &str) -> CustomerId {
        customers::create(
            pool,
            &NewCustomer {
                email,
                name: "Test",
                password: Some("secret"),
                locale: Locale::En,
                currency: Currency::Usd,
                country: "US",
            },
        )
        .await
        .unwrap()
    }

    #[tokio::test]
    async fn a_token_identifies_its_customer_until_deleted() {
        let pool = db::for_tests().await.unwrap();
        let alice = customer(&pool, "alice@example.com").await;
        let token = create(&pool, alice, 60).await.unwrap();
        assert_eq!(
            customer_for(&pool, token.as_str()).await.unwrap(),
            Some(alice)
        );
        delete(&pool, token.as_str()).await.unwrap();
        assert_eq!(customer_for(&pool, token.as_str()).await.unwrap(), None);
    }

    #[tokio::test]
    async fn expired_and_forged_tokens_identify_nobody() {
        let pool = db::for_tests().await.unwrap();
        let alice = customer(&pool, "alice@example.com").await;
        let expired = create(&pool, alice, -1).await.unwrap();
        assert_eq!(customer_for(&pool, expired.as_str()).await.unwrap(), None);
        assert_eq!(customer_for(&pool, "forged").await.unwrap(), None);
        assert_eq!(customer_for(&pool, "").await.unwrap(), None);
    }

    #[tokio::test]
    async fn the_database_never_holds_the_token_itself() {
        let pool = db::for_tests().await.unwrap();
        let alice = customer(&pool, "alice@example.com").await;
        let token = create(&pool, alice, 60).await.unwrap();
        let stored: Vec<u8> = sqlx::query_scalar("SELECT token_hash FROM sessions")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_ne!(stored, token.as_str().as_bytes());
        assert_eq!(stored.len(), 32);
        assert_eq!(format!("{token:?}"), "SessionToken(..)");
    }

    #[test]
    fn reads_cookies_from_headers() {
        let mut headers = HeaderMap::new();
        headers.insert(
            http::header::COOKIE,
            "a=1; shop_session=abc; shop_locale=fr".parse().unwrap(),
        );
        assert_eq!(cookie(&headers, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie(&headers, LOCALE_COOKIE), Some("fr"));
        assert_eq!(cookie(&headers, "missing"), None);
    }

    #[test]
    fn cookies_are_http_only_and_lax() {
        let c = set_cookie(SESSION_COOKIE, "tok", 60, true);
        assert_eq!(
            c,
            "shop_session=tok; Path=/; Max-Age=60; HttpOnly; SameSite=Lax; Secure"
        );
        assert!(!set_cookie(SESSION_COOKIE, "", 0, false).contains("Secure"));
    }
}
