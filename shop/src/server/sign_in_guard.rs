//! Password sign-in under attack: delays after repeated failures, counted
//! so that guessing is slowed down however it is spread, and so that
//! strangers cannot lock a customer out (the bound on password checks at
//! once is `passwords`'s).
//!
//! - Per e-mail **and** client address (`pair`): 5 failures free, then a
//!   delay of 30 s doubling up to an hour: the guesser's address waits, the
//!   owner's elsewhere does not.
//! - Per client address (`addr`): 20 free, then the same delays.
//! - Per e-mail, from everywhere (`email`): past 20 failures, **passwords**
//!   for that e-mail pause for 15 minutes after the last one. Its owner
//!   still gets in by e-mailed code, and with their password from a browser
//!   they signed in from before: a pause, never a lock-out.
//!
//! Failures are counted in the database (a restart forgets nothing), under
//! SHA-256 keys of the normalised e-mail and the address, so a row has the
//! same small size whatever was typed; a key unused for a day is deleted.
//! The same rules apply whether the e-mail belongs to a customer or not, so
//! the answers never tell which addresses exist.

use sha2::{Digest, Sha256};
use sqlx::AnyPool;

use crate::email::EmailAddress;

/// Failures allowed per e-mail and address before a delay starts.
pub const FREE_FAILURES: i64 = 5;
/// An address, which many people may share behind one router, gets more.
const FREE_FAILURES_PER_ADDRESS: i64 = 4 * FREE_FAILURES;
/// Failures for one e-mail, from all addresses, before its passwords pause.
pub const FREE_FAILURES_PER_EMAIL: i64 = 20;
/// The first delay, doubled at each further failure, up to the cap.
pub const FIRST_DELAY_SECS: i64 = 30;
const MAX_DELAY_SECS: i64 = 3600;
/// How long an e-mail's passwords pause after its last failure past the limit.
pub const PASSWORD_PAUSE_SECS: i64 = 15 * 60;
/// A key with no failure for this long starts again from zero, and is deleted.
const FORGET_AFTER_SECS: i64 = 24 * 3600;

/// Why an attempt is refused before its password is even looked at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Too many failures from this client lately: wait this long.
    Throttled { retry_after_secs: u64 },
    /// Too many wrong passwords for this e-mail from everywhere: its
    /// passwords pause this long; a code by e-mail still signs in.
    PasswordsPaused { retry_after_secs: u64 },
    /// Too many sign-ins at this moment: retry shortly.
    Busy { retry_after_secs: u64 },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Pair,
    Address,
    Email,
}

/// The keys an attempt counts against.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Keys {
    keys: Vec<(Kind, String)>,
}

fn hashed(kind: &str, parts: &[&str]) -> String {
    let mut hash = Sha256::new();
    for part in parts {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    let digest: String = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
    format!("{kind}:{digest}")
}

/// The keys of an attempt at `email` from `client` (unknown without a
/// socket address, as in tests that call the app directly).
pub fn keys(email: &EmailAddress, client: Option<std::net::IpAddr>) -> Keys {
    let address = client.map_or_else(|| "unknown".to_owned(), |ip| ip.to_string());
    let mut keys = vec![
        (Kind::Pair, hashed("pair", &[email.as_str(), &address])),
        (Kind::Email, hashed("email", &[email.as_str()])),
    ];
    if client.is_some() {
        keys.push((Kind::Address, hashed("addr", &[&address])));
    }
    Keys { keys }
}

/// The delay after `failures` failures under a key of `kind` (0 while still free).
fn delay_after(kind: Kind, failures: i64) -> i64 {
    let free = match kind {
        Kind::Pair => FREE_FAILURES,
        Kind::Address => FREE_FAILURES_PER_ADDRESS,
        Kind::Email => FREE_FAILURES_PER_EMAIL,
    };
    let beyond = failures - free;
    if beyond < 0 {
        return 0;
    }
    match kind {
        Kind::Email => PASSWORD_PAUSE_SECS,
        Kind::Pair | Kind::Address => FIRST_DELAY_SECS
            .saturating_mul(1i64 << beyond.min(20))
            .min(MAX_DELAY_SECS),
    }
}

/// Refused now? `known_browser`: the attempt comes from a browser that has
/// signed in to this e-mail's account before, which an e-mail-wide pause
/// does not hold back.
pub async fn check(
    pool: &AnyPool,
    keys: &Keys,
    now: i64,
    known_browser: bool,
) -> Result<Option<Refusal>, sqlx::Error> {
    let (mut throttled, mut paused) = (0, 0);
    for (kind, key) in &keys.keys {
        let blocked: Option<i64> =
            sqlx::query_scalar("SELECT blocked_until FROM sign_in_failures WHERE key = $1")
                .bind(key)
                .fetch_optional(pool)
                .await?;
        let wait = blocked.unwrap_or(0) - now;
        match kind {
            Kind::Email if known_browser => {}
            Kind::Email => paused = paused.max(wait),
            Kind::Pair | Kind::Address => throttled = throttled.max(wait),
        }
    }
    Ok(if throttled > 0 {
        Some(Refusal::Throttled {
            retry_after_secs: throttled as u64,
        })
    } else if paused > 0 {
        Some(Refusal::PasswordsPaused {
            retry_after_secs: paused as u64,
        })
    } else {
        None
    })
}

/// Counts a failure under each key, starts or lengthens its delay, and
/// forgets keys unused for a day.
pub async fn record_failure(pool: &AnyPool, keys: &Keys, now: i64) -> Result<(), sqlx::Error> {
    let mut tx = super::db::write_transaction(pool).await?;
    for (kind, key) in &keys.keys {
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
        let delay = delay_after(*kind, failures);
        sqlx::query("UPDATE sign_in_failures SET blocked_until = $1 WHERE key = $2")
            .bind(if delay > 0 { now + delay } else { 0 })
            .bind(key)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("DELETE FROM sign_in_failures WHERE updated_at < $1 AND blocked_until < $2")
        .bind(now - FORGET_AFTER_SECS)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

/// A success clears the e-mail's counts (the address keeps its own).
pub async fn record_success(pool: &AnyPool, keys: &Keys) -> Result<(), sqlx::Error> {
    for (kind, key) in &keys.keys {
        if matches!(kind, Kind::Pair | Kind::Email) {
            sqlx::query("DELETE FROM sign_in_failures WHERE key = $1")
                .bind(key)
                .execute(pool)
                .await?;
        }
    }
    Ok(())
}

/// Rows in the throttle's table (for the tests of its size).
pub async fn rows(pool: &AnyPool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM sign_in_failures")
        .fetch_one(pool)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::db;

    fn email(s: &str) -> EmailAddress {
        EmailAddress::parse(s).unwrap()
    }

    #[test]
    fn delays_start_after_the_free_failures_and_double_and_the_email_pause_is_bounded() {
        assert_eq!(delay_after(Kind::Pair, 4), 0);
        assert_eq!(delay_after(Kind::Pair, 5), 30);
        assert_eq!(delay_after(Kind::Pair, 6), 60);
        assert_eq!(delay_after(Kind::Pair, 8), 240);
        assert_eq!(delay_after(Kind::Pair, 60), MAX_DELAY_SECS);
        assert_eq!(delay_after(Kind::Address, 19), 0);
        assert_eq!(delay_after(Kind::Address, 20), 30);
        assert_eq!(delay_after(Kind::Email, 19), 0);
        assert_eq!(
            delay_after(Kind::Email, 500),
            PASSWORD_PAUSE_SECS,
            "never more"
        );
    }

    #[test]
    fn keys_are_fixed_size_hashes_of_the_normalised_email() {
        let ip = Some("192.0.2.1".parse().unwrap());
        let a = keys(&email(" Jordan@Example.com "), ip);
        assert_eq!(a, keys(&email("jordan@example.com"), ip));
        for (_, key) in &a.keys {
            assert!(
                !key.contains("jordan") && !key.contains("192.0.2.1"),
                "{key}"
            );
            assert!(key.len() <= 70, "{key}");
        }
    }

    #[tokio::test]
    async fn a_guesser_waits_where_it_guesses_and_the_owner_elsewhere_does_not() {
        let pool = db::for_tests().await.unwrap();
        let camille = email("camille@example.fr");
        let guesser = keys(&camille, Some("203.0.113.9".parse().unwrap()));
        let owner = keys(&camille, Some("198.51.100.4".parse().unwrap()));
        let now = 1_000_000;
        for _ in 0..FREE_FAILURES {
            assert_eq!(check(&pool, &guesser, now, false).await.unwrap(), None);
            record_failure(&pool, &guesser, now).await.unwrap();
        }
        assert_eq!(
            check(&pool, &guesser, now + 1, false).await.unwrap(),
            Some(Refusal::Throttled {
                retry_after_secs: 29
            })
        );
        assert_eq!(check(&pool, &owner, now + 1, false).await.unwrap(), None);
        assert_eq!(check(&pool, &guesser, now + 30, false).await.unwrap(), None);
        record_success(&pool, &guesser).await.unwrap();
        record_failure(&pool, &guesser, now + 31).await.unwrap();
        assert_eq!(
            check(&pool, &guesser, now + 31, false).await.unwrap(),
            None,
            "counted from zero again"
        );
    }

    #[tokio::test]
    async fn guesses_from_everywhere_pause_passwords_but_not_a_known_browser() {
        let pool = db::for_tests().await.unwrap();
        let camille = email("camille@example.fr");
        let now = 2_000_000;
        for i in 0..FREE_FAILURES_PER_EMAIL {
            let from = keys(&camille, Some(format!("203.0.113.{i}").parse().unwrap()));
            record_failure(&pool, &from, now).await.unwrap();
        }
        let owner = keys(&camille, Some("198.51.100.4".parse().unwrap()));
        assert_eq!(
            check(&pool, &owner, now + 60, false).await.unwrap(),
            Some(Refusal::PasswordsPaused {
                retry_after_secs: (PASSWORD_PAUSE_SECS - 60) as u64
            })
        );
        assert_eq!(check(&pool, &owner, now + 60, true).await.unwrap(), None);
        assert_eq!(
            check(&pool, &owner, now + PASSWORD_PAUSE_SECS, false)
                .await
                .unwrap(),
            None,
            "a pause, never a lock-out"
        );
    }

    #[tokio::test]
    async fn keys_unused_for_a_day_are_forgotten() {
        let pool = db::for_tests().await.unwrap();
        let now = 3_000_000;
        for i in 0..50 {
            let k = keys(
                &email(&format!("x{i}@example.com")),
                Some("203.0.113.1".parse().unwrap()),
            );
            record_failure(&pool, &k, now).await.unwrap();
        }
        assert!(rows(&pool).await.unwrap() > 50);
        let later = keys(
            &email("late@example.com"),
            Some("203.0.113.2".parse().unwrap()),
        );
        // The address key was blocked for an hour at most: a day later all go.
        record_failure(&pool, &later, now + FORGET_AFTER_SECS + 1)
            .await
            .unwrap();
        assert_eq!(rows(&pool).await.unwrap(), 3, "only the new attempt's keys");
    }
}
