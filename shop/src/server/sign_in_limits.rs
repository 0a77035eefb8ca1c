//! How often codes may be asked for and guessed: counters per key in fixed
//! windows, in the database (so every instance and a restart see them).
//!
//! Keys are SHA-256 hashes of what they count, never an e-mail address, and
//! a row is deleted once its window is over: a flood of distinct addresses
//! leaves at most one small row per address per window.
//!
//! The per-e-mail limits are the ones strangers could fill to hold an
//! address's owner back, so a browser the account has signed in from before
//! (`known_browsers`) is not held by them; everyone else still is, so the
//! owner of an address gets at most a few unasked-for e-mails an hour.

use sha2::{Digest, Sha256};
use sqlx::AnyConnection;

use crate::email::EmailAddress;

/// At most `max` counted events per `window_secs` under one key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    /// Part of the key, so two limits never share a counter.
    pub name: &'static str,
    pub max: i64,
    pub window_secs: i64,
}

const HOUR: i64 = 3600;

/// Codes e-mailed to one address at the request of one client address.
pub const CODES_PER_EMAIL_AND_CLIENT: Limit = Limit {
    name: "codes:email+client",
    max: 5,
    window_secs: HOUR,
};
/// Codes e-mailed to one address, whoever asked (known browsers aside).
pub const CODES_PER_EMAIL: Limit = Limit {
    name: "codes:email",
    max: 10,
    window_secs: HOUR,
};
/// Codes asked for from one client address, to any addresses.
pub const CODES_PER_CLIENT: Limit = Limit {
    name: "codes:client",
    max: 30,
    window_secs: HOUR,
};
/// Wrong codes typed for one address from one client address.
pub const WRONG_CODES_PER_EMAIL_AND_CLIENT: Limit = Limit {
    name: "wrong:email+client",
    max: 10,
    window_secs: HOUR,
};
/// Wrong codes typed for one address, from anywhere (known browsers aside).
pub const WRONG_CODES_PER_EMAIL: Limit = Limit {
    name: "wrong:email",
    max: 30,
    window_secs: HOUR,
};

/// One counter: a limit and the hash of what it counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Counter {
    pub limit: Limit,
    key: Vec<u8>,
}

impl Counter {
    fn new(limit: Limit, parts: &[&str]) -> Self {
        let mut hash = Sha256::new();
        hash.update(limit.name.as_bytes());
        for part in parts {
            // Length-prefixed: ("ab", "c") and ("a", "bc") never collide.
            hash.update((part.len() as u64).to_be_bytes());
            hash.update(part.as_bytes());
        }
        Self {
            limit,
            key: hash.finalize().to_vec(),
        }
    }
}

fn client_text(client: Option<std::net::IpAddr>) -> String {
    client.map_or_else(|| "unknown".to_owned(), |ip| ip.to_string())
}

/// The counters a request for a code counts against. `known_browser`: the
/// asking browser has signed in to this address's account before.
pub fn code_requests(
    email: &EmailAddress,
    client: Option<std::net::IpAddr>,
    known_browser: bool,
) -> Vec<Counter> {
    let client = client_text(client);
    let mut counters = vec![
        Counter::new(CODES_PER_EMAIL_AND_CLIENT, &[email.as_str(), &client]),
        Counter::new(CODES_PER_CLIENT, &[&client]),
    ];
    if !known_browser {
        counters.push(Counter::new(CODES_PER_EMAIL, &[email.as_str()]));
    }
    counters
}

/// The counters a wrong code counts against.
pub fn wrong_codes(
    email: &EmailAddress,
    client: Option<std::net::IpAddr>,
    known_browser: bool,
) -> Vec<Counter> {
    let client = client_text(client);
    let mut counters = vec![Counter::new(
        WRONG_CODES_PER_EMAIL_AND_CLIENT,
        &[email.as_str(), &client],
    )];
    if !known_browser {
        counters.push(Counter::new(WRONG_CODES_PER_EMAIL, &[email.as_str()]));
    }
    counters
}

/// Seconds until every counter is under its limit again; `None` if all are
/// already. Counts nothing.
pub async fn blocked(
    conn: &mut AnyConnection,
    counters: &[Counter],
    now: i64,
) -> Result<Option<u64>, sqlx::Error> {
    let mut wait = 0;
    for counter in counters {
        let row: Option<(i64, i64)> = sqlx::query_as(
            "SELECT count, window_ends_at FROM sign_in_limits WHERE key = $1 AND window_ends_at > $2",
        )
        .bind(&counter.key)
        .bind(now)
        .fetch_optional(&mut *conn)
        .await?;
        if let Some((count, ends)) = row {
            if count >= counter.limit.max {
                wait = wait.max(ends - now);
            }
        }
    }
    Ok((wait > 0).then_some(wait as u64))
}

/// Counts one event under each counter (a window starts at its first
/// event), forgetting windows that are over. Returns, like [`blocked`],
/// the wait if this event went over a limit.
pub async fn count(
    conn: &mut AnyConnection,
    counters: &[Counter],
    now: i64,
) -> Result<Option<u64>, sqlx::Error> {
    sqlx::query("DELETE FROM sign_in_limits WHERE window_ends_at <= $1")
        .bind(now)
        .execute(&mut *conn)
        .await?;
    let mut wait = 0;
    for counter in counters {
        // One statement: counts from several instances at once all count.
        let (count, ends): (i64, i64) = sqlx::query_as(
            "INSERT INTO sign_in_limits (key, count, window_ends_at) VALUES ($1, 1, $2)
             ON CONFLICT (key) DO UPDATE SET count = sign_in_limits.count + 1
             RETURNING count, window_ends_at",
        )
        .bind(&counter.key)
        .bind(now + counter.limit.window_secs)
        .fetch_one(&mut *conn)
        .await?;
        if count > counter.limit.max {
            wait = wait.max(ends - now);
        }
    }
    Ok((wait > 0).then_some(wait as u64))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::db;

    fn email(s: &str) -> EmailAddress {
        EmailAddress::parse(s).unwrap()
    }

    #[tokio::test]
    async fn a_limit_holds_for_its_window_then_forgets() {
        let pool = db::for_tests().await.unwrap();
        let mut conn = pool.acquire().await.unwrap();
        let ip = Some("192.0.2.1".parse().unwrap());
        let counters = code_requests(&email("a@example.com"), ip, false);
        let now = 1_000_000;
        for _ in 0..CODES_PER_EMAIL_AND_CLIENT.max {
            assert_eq!(count(&mut conn, &counters, now).await.unwrap(), None);
        }
        assert_eq!(
            blocked(&mut conn, &counters, now + 10).await.unwrap(),
            Some(3590)
        );
        assert_eq!(
            count(&mut conn, &counters, now + 10).await.unwrap(),
            Some(3590)
        );
        // Another client address is not held by this one's count.
        let other = code_requests(
            &email("a@example.com"),
            Some("192.0.2.2".parse().unwrap()),
            false,
        );
        assert_eq!(blocked(&mut conn, &other, now + 10).await.unwrap(), None);
        // The window over, the rows are gone.
        assert_eq!(
            blocked(&mut conn, &counters, now + 3600).await.unwrap(),
            None
        );
        count(&mut conn, &other, now + 3600).await.unwrap();
        let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sign_in_limits")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        assert_eq!(rows, 3, "only the new window's counters remain");
    }

    #[tokio::test]
    async fn keys_are_hashes_and_known_browsers_skip_the_per_address_limit() {
        let pool = db::for_tests().await.unwrap();
        let mut conn = pool.acquire().await.unwrap();
        let address = email("owner@example.com");
        let strangers = code_requests(&address, None, false);
        count(&mut conn, &strangers, 10).await.unwrap();
        let keys: Vec<Vec<u8>> = sqlx::query_scalar("SELECT key FROM sign_in_limits")
            .fetch_all(&mut *conn)
            .await
            .unwrap();
        assert!(keys.iter().all(|k| k.len() == 32));
        assert!(!keys
            .iter()
            .any(|k| String::from_utf8_lossy(k).contains("owner")));
        let owner = code_requests(&address, None, true);
        assert_eq!(owner.len(), strangers.len() - 1);
        assert!(!owner.iter().any(|c| c.limit == CODES_PER_EMAIL));
    }
}
