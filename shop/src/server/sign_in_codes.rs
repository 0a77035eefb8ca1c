//! Sign-in by e-mailed code: issuing a code, and checking the code or the
//! link that carries it.
//!
//! A code is 6 random digits, valid [`CODE_TTL_SECS`], accepted once, dead
//! after [`MAX_WRONG_CODES`] wrong tries, and replaced by a newer request
//! from the same browser. It belongs to the browser that asked for it (the
//! `shop_browser` cookie): typed or followed in another browser, it is
//! refused. Every address gets the same answer and the same work, known or
//! not: whether an account exists is only looked at once a code is right.
//!
//! The database keeps the code as an Argon2id hash and the link's 256-bit
//! token as a SHA-256; the e-mail carrying them is queued in the same
//! transaction (`message_store::enqueue_sign_in_code_in`).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::{Rng, RngCore};
use sha2::{Digest, Sha256};
use sqlx::AnyPool;

use super::{message_store, passwords};
use crate::email::EmailAddress;
use crate::i18n::Locale;

/// How long a code and its link are valid.
pub const CODE_TTL_SECS: i64 = 600;
/// Wrong tries after which a code is dead.
pub const MAX_WRONG_CODES: i64 = 5;
/// The cookie naming this browser (an HttpOnly random token, kept a year).
pub const BROWSER_COOKIE: &str = "shop_browser";
pub const BROWSER_COOKIE_MAX_AGE: i64 = 365 * 24 * 3600;

/// What the database knows a browser by: the SHA-256 of its cookie.
#[derive(Clone, PartialEq, Eq)]
pub struct BrowserId(Vec<u8>);

impl BrowserId {
    /// A new browser's cookie value, and its id.
    pub fn new_token() -> (String, Self) {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let token = URL_SAFE_NO_PAD.encode(bytes);
        let id = Self::of(&token);
        (token, id)
    }

    /// The id of a cookie value (any string: a forged one simply matches nothing).
    pub fn of(token: &str) -> Self {
        Self(Sha256::digest(token.as_bytes()).to_vec())
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl std::fmt::Debug for BrowserId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BrowserId(..)")
    }
}

/// A code just issued, and the link token e-mailed with it. Never printed.
pub struct Issued {
    pub code: String,
    pub link_token: String,
}

impl std::fmt::Debug for Issued {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Issued(..)")
    }
}

/// Why a code or a link was not accepted. Each has its own message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// This browser has no code waiting (never asked, or already signed up with it).
    NoCode,
    /// Not 6 digits.
    Malformed,
    /// Wrong: this many tries are left.
    Wrong {
        tries_left: i64,
    },
    /// The code of an e-mail this browser's newer request replaced.
    Replaced,
    /// Too many wrong tries: ask for a new code.
    Dead,
    Expired,
    /// Already used to sign in.
    Used,
    /// A link asked for from another browser.
    OtherBrowser,
}

impl Refusal {
    /// The short name a page address carries (`/signin/code?error=…`).
    pub fn code(self) -> &'static str {
        match self {
            Refusal::NoCode => "no_code",
            Refusal::Malformed => "code_malformed",
            Refusal::Wrong { .. } => "code_wrong",
            Refusal::Replaced => "code_replaced",
            Refusal::Dead => "code_dead",
            Refusal::Expired => "code_expired",
            Refusal::Used => "code_used",
            Refusal::OtherBrowser => "other_browser",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Some(match code {
            "no_code" => Refusal::NoCode,
            "code_malformed" => Refusal::Malformed,
            "code_wrong" => Refusal::Wrong { tries_left: 0 },
            "code_replaced" => Refusal::Replaced,
            "code_dead" => Refusal::Dead,
            "code_expired" => Refusal::Expired,
            "code_used" => Refusal::Used,
            "other_browser" => Refusal::OtherBrowser,
            _ => return None,
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CodeError {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Busy(#[from] passwords::Busy),
    #[error("hashing the code failed: {0}")]
    Hash(String),
}

fn sha256(text: &str) -> Vec<u8> {
    Sha256::digest(text.as_bytes()).to_vec()
}

/// Six digits, uniformly drawn (leading zeros kept).
fn new_code() -> String {
    format!("{:06}", rand::rngs::OsRng.gen_range(0..1_000_000u32))
}

/// The digits of what was typed (spaces and dashes dropped), if 6 of them.
pub fn normalise_code(typed: &str) -> Option<String> {
    if typed.len() > 32 {
        return None;
    }
    let digits: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    (digits.len() == 6 && digits.chars().all(|c| c.is_ascii_digit())).then_some(digits)
}

/// Issues a code for `email` to `browser`, replacing the browser's earlier
/// one, and queues the e-mail that carries it, in one transaction.
pub async fn issue(
    pool: &AnyPool,
    browser: &BrowserId,
    email: &EmailAddress,
    locale: Locale,
    now: i64,
) -> Result<Issued, CodeError> {
    let code = new_code();
    let mut token = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut token);
    let link_token = URL_SAFE_NO_PAD.encode(token);
    // Argon2 takes tens of milliseconds: off the request's thread.
    let to_hash = code.clone();
    let code_hash = tokio::task::spawn_blocking(move || passwords::hash_password(&to_hash))
        .await
        .map_err(|e| CodeError::Hash(e.to_string()))?;
    let mut tx = super::db::write_transaction(pool).await?;
    // Codes long dead are of no use to anyone.
    sqlx::query("DELETE FROM sign_in_codes WHERE expires_at <= $1")
        .bind(now - CODE_TTL_SECS)
        .execute(&mut *tx)
        .await?;
    let replaced: Option<String> = sqlx::query_scalar(
        "SELECT code_hash FROM sign_in_codes WHERE browser_hash = $1 AND email = $2 AND used_at IS NULL",
    )
    .bind(browser.as_bytes())
    .bind(email.as_str())
    .fetch_optional(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM sign_in_codes WHERE browser_hash = $1")
        .bind(browser.as_bytes())
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO sign_in_codes (browser_hash, email, code_hash, replaced_code_hash, link_hash, locale, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(browser.as_bytes())
    .bind(email.as_str())
    .bind(&code_hash)
    .bind(replaced)
    .bind(sha256(&link_token))
    .bind(locale.code())
    .bind(now)
    .bind(now + CODE_TTL_SECS)
    .execute(&mut *tx)
    .await?;
    message_store::enqueue_sign_in_code_in(
        &mut tx,
        email,
        locale,
        &code,
        &link_token,
        CODE_TTL_SECS,
    )
    .await?;
    tx.commit().await?;
    Ok(Issued { code, link_token })
}

/// The code waiting in a browser.
#[derive(sqlx::FromRow)]
struct Row {
    email: String,
    code_hash: String,
    replaced_code_hash: Option<String>,
    failures: i64,
    expires_at: i64,
    used_at: Option<i64>,
}

/// A code found by its link, with the browser it belongs to.
#[derive(sqlx::FromRow)]
struct LinkRow {
    browser_hash: Vec<u8>,
    #[sqlx(flatten)]
    row: Row,
}

const ROW: &str =
    "SELECT email, code_hash, replaced_code_hash, failures, expires_at, used_at FROM sign_in_codes";

/// What a browser's sign-in page shows: the address a code was sent to,
/// while it can still be typed.
pub async fn pending(
    pool: &AnyPool,
    browser: &BrowserId,
    now: i64,
) -> Result<Option<EmailAddress>, sqlx::Error> {
    let row: Option<Row> = sqlx::query_as(&format!(
        "{ROW} WHERE browser_hash = $1 AND used_at IS NULL AND expires_at > $2 AND failures < $3"
    ))
    .bind(browser.as_bytes())
    .bind(now)
    .bind(MAX_WRONG_CODES)
    .fetch_optional(pool)
    .await?;
    Ok(row.and_then(|r| EmailAddress::parse(&r.email).ok()))
}

/// The address of the code waiting in `browser`, whatever its state, to
/// count a wrong try against.
pub async fn email_of(
    pool: &AnyPool,
    browser: &BrowserId,
) -> Result<Option<EmailAddress>, sqlx::Error> {
    let email: Option<String> =
        sqlx::query_scalar("SELECT email FROM sign_in_codes WHERE browser_hash = $1")
            .bind(browser.as_bytes())
            .fetch_optional(pool)
            .await?;
    Ok(email.and_then(|e| EmailAddress::parse(&e).ok()))
}

fn state_refusal(row: &Row, now: i64) -> Option<Refusal> {
    if row.used_at.is_some() {
        Some(Refusal::Used)
    } else if row.failures >= MAX_WRONG_CODES {
        Some(Refusal::Dead)
    } else if row.expires_at <= now {
        Some(Refusal::Expired)
    } else {
        None
    }
}

/// Checks a typed code against the browser's. A right code is not used up
/// yet: [`consume_in`] does that, in the transaction that signs in.
pub async fn check_code(
    pool: &AnyPool,
    browser: &BrowserId,
    typed: &str,
    now: i64,
) -> Result<Result<EmailAddress, Refusal>, CodeError> {
    let Some(code) = normalise_code(typed) else {
        return Ok(Err(Refusal::Malformed));
    };
    let row: Option<Row> = sqlx::query_as(&format!("{ROW} WHERE browser_hash = $1"))
        .bind(browser.as_bytes())
        .fetch_optional(pool)
        .await?;
    let Some(row) = row else {
        return Ok(Err(Refusal::NoCode));
    };
    if let Some(refusal) = state_refusal(&row, now) {
        return Ok(Err(refusal));
    }
    if passwords::check(row.code_hash.clone(), code.clone()).await? {
        return Ok(EmailAddress::parse(&row.email).map_err(|_| Refusal::NoCode));
    }
    // Counted against this very code: a replacement meanwhile starts afresh.
    let failures: Option<i64> = sqlx::query_scalar(
        "UPDATE sign_in_codes SET failures = failures + 1 WHERE browser_hash = $1 AND code_hash = $2 RETURNING failures",
    )
    .bind(browser.as_bytes())
    .bind(&row.code_hash)
    .fetch_optional(pool)
    .await?;
    let failures = failures.unwrap_or(MAX_WRONG_CODES);
    if let Some(replaced) = row.replaced_code_hash {
        if passwords::check(replaced, code).await? {
            return Ok(Err(Refusal::Replaced));
        }
    }
    Ok(Err(if failures >= MAX_WRONG_CODES {
        Refusal::Dead
    } else {
        Refusal::Wrong {
            tries_left: MAX_WRONG_CODES - failures,
        }
    }))
}

/// The address of a followed link, if it is this browser's and live. A
/// link of another browser is refused without saying whose it is.
pub async fn check_link(
    pool: &AnyPool,
    browser: Option<&BrowserId>,
    token: &str,
    now: i64,
) -> Result<Result<EmailAddress, Refusal>, sqlx::Error> {
    if token.len() > 64 {
        return Ok(Err(Refusal::NoCode));
    }
    let row: Option<LinkRow> = sqlx::query_as(&format!(
        "SELECT browser_hash, {} FROM sign_in_codes WHERE link_hash = $1",
        ROW.trim_start_matches("SELECT ")
            .trim_end_matches(" FROM sign_in_codes")
    ))
    .bind(sha256(token))
    .fetch_optional(pool)
    .await?;
    let Some(LinkRow { browser_hash, row }) = row else {
        return Ok(Err(Refusal::NoCode));
    };
    if browser.is_none_or(|b| b.as_bytes() != browser_hash.as_slice()) {
        return Ok(Err(Refusal::OtherBrowser));
    }
    if let Some(refusal) = state_refusal(&row, now) {
        return Ok(Err(refusal));
    }
    Ok(EmailAddress::parse(&row.email).map_err(|_| Refusal::NoCode))
}

/// Uses up the browser's code for `email`, inside the caller's transaction.
/// `false` if it was used meanwhile (a double submit): then nothing else in
/// that transaction should happen.
pub async fn consume_in(
    tx: &mut sqlx::AnyConnection,
    browser: &BrowserId,
    email: &EmailAddress,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE sign_in_codes SET used_at = $1 WHERE browser_hash = $2 AND email = $3 AND used_at IS NULL AND expires_at > $1",
    )
    .bind(now)
    .bind(browser.as_bytes())
    .bind(email.as_str())
    .execute(&mut *tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The address this browser proved it owns in the last [`CODE_TTL_SECS`]
/// without an account yet: what the "new account" page completes.
pub async fn verified_without_account(
    pool: &AnyPool,
    browser: &BrowserId,
    now: i64,
) -> Result<Option<EmailAddress>, sqlx::Error> {
    let email: Option<String> = sqlx::query_scalar(
        "SELECT s.email FROM sign_in_codes s WHERE s.browser_hash = $1 AND s.used_at > $2
         AND NOT EXISTS (SELECT 1 FROM customers c WHERE lower(c.email) = s.email)",
    )
    .bind(browser.as_bytes())
    .bind(now - CODE_TTL_SECS)
    .fetch_optional(pool)
    .await?;
    Ok(email.and_then(|e| EmailAddress::parse(&e).ok()))
}

/// Forgets the browser's code once its account exists (the proof is spent).
pub async fn forget_in(
    tx: &mut sqlx::AnyConnection,
    browser: &BrowserId,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sign_in_codes WHERE browser_hash = $1")
        .bind(browser.as_bytes())
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// Whether `browser` has signed in to the account of `email` before.
pub async fn is_known_browser(
    pool: &AnyPool,
    browser: &BrowserId,
    email: &EmailAddress,
) -> Result<bool, sqlx::Error> {
    let known: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM known_browsers k JOIN customers c ON c.id = k.customer_id
         WHERE k.browser_hash = $1 AND lower(c.email) = $2",
    )
    .bind(browser.as_bytes())
    .bind(email.as_str())
    .fetch_optional(pool)
    .await?;
    Ok(known.is_some())
}

/// Remembers that `browser` signed in to `customer`.
pub async fn remember_browser(
    pool: &AnyPool,
    browser: &BrowserId,
    customer: super::customers::CustomerId,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO known_browsers (browser_hash, customer_id, last_seen_at) VALUES ($1, $2, $3)
         ON CONFLICT (browser_hash, customer_id) DO UPDATE SET last_seen_at = excluded.last_seen_at",
    )
    .bind(browser.as_bytes())
    .bind(customer.0)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::db;

    fn email(s: &str) -> EmailAddress {
        EmailAddress::parse(s).unwrap()
    }

    async fn consume(
        pool: &AnyPool,
        browser: &BrowserId,
        address: &EmailAddress,
        now: i64,
    ) -> bool {
        let mut tx = db::write_transaction(pool).await.unwrap();
        let done = consume_in(&mut tx, browser, address, now).await.unwrap();
        tx.commit().await.unwrap();
        done
    }

    #[test]
    fn codes_are_six_digits_typed_with_or_without_spaces() {
        for _ in 0..200 {
            let code = new_code();
            assert_eq!(code.len(), 6);
            assert!(code.chars().all(|c| c.is_ascii_digit()));
        }
        assert_eq!(normalise_code(" 123 456 ").as_deref(), Some("123456"));
        assert_eq!(normalise_code("123-456").as_deref(), Some("123456"));
        assert_eq!(normalise_code("12345"), None);
        assert_eq!(normalise_code("12345x"), None);
        assert_eq!(normalise_code("１２３４５６"), None, "full-width digits");
        for refusal in [
            Refusal::NoCode,
            Refusal::Malformed,
            Refusal::Replaced,
            Refusal::Dead,
            Refusal::Expired,
            Refusal::Used,
            Refusal::OtherBrowser,
        ] {
            assert_eq!(Refusal::from_code(refusal.code()), Some(refusal));
        }
    }

    #[tokio::test]
    async fn a_code_is_hashed_single_use_and_bound_to_its_browser() {
        let pool = db::for_tests().await.unwrap();
        let (_, browser) = BrowserId::new_token();
        let (_, stranger) = BrowserId::new_token();
        let address = email("new@example.com");
        let now = 1_000_000;
        let issued = issue(&pool, &browser, &address, Locale::En, now)
            .await
            .unwrap();
        assert_eq!(format!("{issued:?}"), "Issued(..)");
        let stored: (String, Vec<u8>) =
            sqlx::query_as("SELECT code_hash, link_hash FROM sign_in_codes")
                .fetch_one(&pool)
                .await
                .unwrap();
        assert!(stored.0.starts_with("$argon2id$"), "{}", stored.0);
        assert!(!stored.0.contains(&issued.code));
        assert_eq!(stored.1.len(), 32);
        assert_eq!(
            pending(&pool, &browser, now).await.unwrap(),
            Some(address.clone())
        );
        assert_eq!(pending(&pool, &stranger, now).await.unwrap(), None);
        // The right code from another browser: there is none waiting there.
        assert_eq!(
            check_code(&pool, &stranger, &issued.code, now)
                .await
                .unwrap(),
            Err(Refusal::NoCode)
        );
        assert_eq!(
            check_link(&pool, Some(&stranger), &issued.link_token, now)
                .await
                .unwrap(),
            Err(Refusal::OtherBrowser)
        );
        assert_eq!(
            check_code(&pool, &browser, &issued.code, now)
                .await
                .unwrap(),
            Ok(address.clone())
        );
        assert_eq!(
            check_link(&pool, Some(&browser), &issued.link_token, now)
                .await
                .unwrap(),
            Ok(address.clone())
        );
        assert!(consume(&pool, &browser, &address, now).await);
        assert!(!consume(&pool, &browser, &address, now).await, "once");
        assert_eq!(
            check_code(&pool, &browser, &issued.code, now)
                .await
                .unwrap(),
            Err(Refusal::Used)
        );
        assert_eq!(
            verified_without_account(&pool, &browser, now + 60)
                .await
                .unwrap(),
            Some(address.clone())
        );
        assert_eq!(
            verified_without_account(&pool, &browser, now + CODE_TTL_SECS + 1)
                .await
                .unwrap(),
            None,
            "the proof lasts as long as a code"
        );
        // The e-mail was queued with the code, to the address, no account needed.
        let (recipient, body, link): (String, String, String) = sqlx::query_as(
            "SELECT recipient, body, link FROM messages WHERE kind = 'sign_in_code'",
        )
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(recipient, "new@example.com");
        assert!(body.contains(&issued.code));
        assert_eq!(link, format!("/signin/link?token={}", issued.link_token));
    }

    #[tokio::test]
    async fn wrong_expired_replaced_and_dead_codes_are_refused() {
        let pool = db::for_tests().await.unwrap();
        let (_, browser) = BrowserId::new_token();
        let address = email("someone@example.com");
        let now = 1_000_000;
        let first = issue(&pool, &browser, &address, Locale::Fr, now)
            .await
            .unwrap();
        let wrong = if first.code == "000000" {
            "000001"
        } else {
            "000000"
        };
        assert_eq!(
            check_code(&pool, &browser, "12", now).await.unwrap(),
            Err(Refusal::Malformed)
        );
        assert_eq!(
            check_code(&pool, &browser, &first.code, now + CODE_TTL_SECS)
                .await
                .unwrap(),
            Err(Refusal::Expired)
        );
        let second = issue(&pool, &browser, &address, Locale::Fr, now + 1)
            .await
            .unwrap();
        if second.code != first.code {
            assert_eq!(
                check_code(&pool, &browser, &first.code, now + 2)
                    .await
                    .unwrap(),
                Err(Refusal::Replaced)
            );
        }
        assert_eq!(
            check_link(&pool, Some(&browser), &first.link_token, now + 2)
                .await
                .unwrap(),
            Err(Refusal::NoCode),
            "the old link went with the old code"
        );
        let third = issue(&pool, &browser, &address, Locale::Fr, now + 3)
            .await
            .unwrap();
        let wrong = if wrong == third.code { "999999" } else { wrong };
        for tries_left in (1..MAX_WRONG_CODES).rev() {
            assert_eq!(
                check_code(&pool, &browser, wrong, now + 4).await.unwrap(),
                Err(Refusal::Wrong { tries_left })
            );
        }
        assert_eq!(
            check_code(&pool, &browser, wrong, now + 4).await.unwrap(),
            Err(Refusal::Dead)
        );
        assert_eq!(
            check_code(&pool, &browser, &third.code, now + 4)
                .await
                .unwrap(),
            Err(Refusal::Dead),
            "even the right code, after five wrong ones"
        );
        assert_eq!(pending(&pool, &browser, now + 4).await.unwrap(), None);
    }
}
