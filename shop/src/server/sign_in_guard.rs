//! Sign-in under attack: a growing delay after repeated failures, per e-mail
//! address tried and per client address (the bound on password checks at
//! once is `passwords`'s).
//!
//! Failures are counted in the database, so a restart forgets nothing. The
//! same rule applies whether the e-mail belongs to a customer or not, so the
//! answers never tell which addresses exist.

use sqlx::AnyPool;

/// Failures allowed before a delay starts (per e-mail; an address, which
/// many people may share behind one router, gets four times as many).
pub const FREE_FAILURES: i64 = 5;
const FREE_FAILURES_PER_ADDRESS: i64 = 4 * FREE_FAILURES;
/// The first delay, doubled at each further failure, up to the cap.
pub const FIRST_DELAY_SECS: i64 = 30;
const MAX_DELAY_SECS: i64 = 3600;
/// A key with no failure for this long starts again from zero.
const FORGET_AFTER_SECS: i64 = 24 * 3600;

/// Why an attempt is refused before its password is even looked at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Too many failures lately: wait this long.
    Throttled { retry_after_secs: u64 },
    /// Too many sign-ins at this moment: retry shortly.
    Busy { retry_after_secs: u64 },
}

/// The keys an attempt counts against.
pub fn keys(email: &str, client: Option<std::net::IpAddr>) -> Vec<String> {
    let mut keys = vec![format!("email:{}", email.trim().to_lowercase())];
    if let Some(ip) = client {
        keys.push(format!("addr:{ip}"));
    }
    keys
}

fn free_failures(key: &str) -> i64 {
    if key.starts_with("addr:") {
        FREE_FAILURES_PER_ADDRESS
    } else {
        FREE_FAILURES
    }
}

/// The delay after `failures` failures under `key` (0 while still free).
pub fn delay_after(key: &str, failures: i64) -> i64 {
    let beyond = failures - free_failures(key);
    if beyond < 0 {
        return 0;
    }
    FIRST_DELAY_SECS
        .saturating_mul(1i64 << beyond.min(20))
        .min(MAX_DELAY_SECS)
}

/// Refused now, under any of `keys`?
pub async fn check(
    pool: &AnyPool,
    keys: &[String],
    now: i64,
) -> Result<Option<Refusal>, sqlx::Error> {
    let mut wait = 0;
    for key in keys {
        let blocked: Option<i64> =
            sqlx::query_scalar("SELECT blocked_until FROM sign_in_failures WHERE key = $1")
                .bind(key)
                .fetch_optional(pool)
                .await?;
        wait = wait.max(blocked.unwrap_or(0) - now);
    }
    Ok((wait > 0).then_some(Refusal::Throttled {
        retry_after_secs: wait as u64,
    }))
}

/// Counts a failure under each key, and starts or lengthens its delay.
pub async fn record_failure(pool: &AnyPool, keys: &[String], now: i64) -> Result<(), sqlx::Error> {
    let mut tx = super::db::write_transaction(pool).await?;
    for key in keys {
        // Counted in one statement, which holds the row until the commit:
        // failures from several instances at once all count.
        let failures: i64 = sqlx::query_scalar(
            "INSERT INTO sign_in_failures (key, failures, blocked_until, updated_at) VALUES ($1, 1, 0, $2)
             ON CONFLICT (key) DO UPDATE SET updated_at = excluded.updated_at,
                failures = CASE WHEN excluded.updated_at - sign_in_failures.updated_at < $3
                                THEN sign_in_failures.failures + 1 ELSE 1 END
             RETURNING failures",
        )
        .bind(key)
        .bind(now)
        .bind(FORGET_AFTER_SECS)
        .fetch_one(&mut *tx)
        .await?;
        let delay = delay_after(key, failures);
        sqlx::query("UPDATE sign_in_failures SET blocked_until = $1 WHERE key = $2")
            .bind(if delay > 0 { now + delay } else { 0 })
            .bind(key)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await
}

/// A success clears the e-mail's count (the address keeps its own).
pub async fn record_success(pool: &AnyPool, email_key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sign_in_failures WHERE key = $1")
        .bind(email_key)
        .execute(pool)
        .await
        .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::db;

    #[test]
    fn delays_start_after_the_free_failures_and_double() {
        let email = "email:a@b.c";
        assert_eq!(delay_after(email, 4), 0);
        assert_eq!(delay_after(email, 5), 30);
        assert_eq!(delay_after(email, 6), 60);
        assert_eq!(delay_after(email, 8), 240);
        assert_eq!(delay_after(email, 60), MAX_DELAY_SECS);
        assert_eq!(delay_after("addr:10.0.0.1", 19), 0);
        assert_eq!(delay_after("addr:10.0.0.1", 20), 30);
    }

    #[tokio::test]
    async fn failures_throttle_the_email_until_the_delay_passes_and_a_success_clears_it() {
        let pool = db::for_tests().await.unwrap();
        let keys = keys(" Jordan@Example.com ", None);
        assert_eq!(keys, vec!["email:jordan@example.com".to_string()]);
        let now = 1_000_000;
        for _ in 0..FREE_FAILURES - 1 {
            record_failure(&pool, &keys, now).await.unwrap();
            assert_eq!(check(&pool, &keys, now).await.unwrap(), None);
        }
        record_failure(&pool, &keys, now).await.unwrap();
        assert_eq!(
            check(&pool, &keys, now + 1).await.unwrap(),
            Some(Refusal::Throttled {
                retry_after_secs: 29
            })
        );
        assert_eq!(check(&pool, &keys, now + 30).await.unwrap(), None);
        record_success(&pool, &keys[0]).await.unwrap();
        record_failure(&pool, &keys, now + 31).await.unwrap();
        assert_eq!(
            check(&pool, &keys, now + 31).await.unwrap(),
            None,
            "counted from zero again"
        );
    }
}
