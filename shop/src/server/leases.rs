//! Leases: a named piece of work that one instance at a time does (the
//! events catch-up), whichever instances share the database. A lease is
//! taken, or renewed by its holder, in one statement; it lapses on its own
//! if its holder dies.

use sqlx::AnyPool;

/// Takes (or renews) lease `name` for `holder` until `now + ttl_secs`, if
/// nobody else holds it. `true` when `holder` has it now.
pub async fn take(
    pool: &AnyPool,
    name: &str,
    holder: &str,
    ttl_secs: i64,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let taken = sqlx::query(
        "INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
         WHERE leases.expires_at <= $4 OR leases.holder = excluded.holder",
    )
    .bind(name)
    .bind(holder)
    .bind(now + ttl_secs)
    .bind(now)
    .execute(pool)
    .await?
    .rows_affected();
    Ok(taken == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn one_holder_at_a_time_until_the_lease_lapses() {
        let pool = super::super::db::for_tests().await.unwrap();
        assert!(take(&pool, "catch_up", "a", 300, 1_000).await.unwrap());
        assert!(
            !take(&pool, "catch_up", "b", 300, 1_100).await.unwrap(),
            "a holds it"
        );
        assert!(
            take(&pool, "catch_up", "a", 300, 1_200).await.unwrap(),
            "a renews it"
        );
        assert!(
            !take(&pool, "catch_up", "b", 300, 1_499).await.unwrap(),
            "renewed until 1,500"
        );
        assert!(
            take(&pool, "catch_up", "b", 300, 1_500).await.unwrap(),
            "lapsed: b takes it"
        );
        assert!(!take(&pool, "catch_up", "a", 300, 1_600).await.unwrap());
        // Another lease is another matter.
        assert!(take(&pool, "other", "a", 300, 1_600).await.unwrap());
    }
}
