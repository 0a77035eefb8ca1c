//! The outbox's side of the `messages` table: the next due message,
//! claiming it, and recording how its delivery went.
//!
//! Delivery states (see migration 0004): `pending` → `sending` (claimed, in
//! its own committed transaction) → `sent` | `kept`; a transient error puts
//! it back to `pending` later, a permanent one or too many attempts make it
//! `failed`. A process that dies while `sending` leaves a message that may
//! or may not have gone out: it becomes `interrupted` instead of being sent
//! a second time.

use sqlx::AnyPool;

use crate::messages::{MessageDelivery, MessageKind};
use crate::server::db::{write_transaction, Backend};

/// The next message due: pending, its retry time come, and (for a failure
/// notice) its delay over; the longest due first. Read in the order of the
/// `messages_due` index, so a backlog is never sorted (migration 0011).
///
/// `'pending'` here and `'sending'` in [`ABANDONED`] stay literals: a
/// partial index (`WHERE delivery = 'pending'`) serves only a query that
/// says the same. A test checks each literal is `MessageDelivery`'s code.
const DUE: &str =
    "SELECT d.id FROM messages d WHERE d.delivery = 'pending' AND d.next_attempt_at <= $1
     AND (d.kind <> 'payment_failed' OR d.created_at <= $2) ORDER BY d.next_attempt_at, d.id LIMIT 1";

/// Claims abandoned while sending (see [`interrupt_abandoned`]).
const ABANDONED: &str =
    "UPDATE messages SET delivery = $3, last_error = 'the shop stopped while sending; not retried, so never sent twice'
     WHERE delivery = 'sending' AND (claimed_by IS NULL OR claimed_by = $1 OR NOT EXISTS (
        SELECT 1 FROM leases WHERE name = 'outbox:' || messages.claimed_by AND expires_at > $2))";

/// A message claimed for delivery.
#[derive(sqlx::FromRow)]
pub struct Claimed {
    pub id: i64,
    /// None for a sign-in code's e-mail.
    pub order_id: Option<i64>,
    pub kind: String,
    pub subject: String,
    pub body: String,
    pub link: String,
    /// Attempts so far, this one included once claimed.
    pub attempts: i64,
    /// The message's own recipient, else its customer's address.
    pub email: Option<String>,
    /// The customer's name, when the message is to a customer.
    pub name: Option<String>,
    /// The order's status now.
    pub status: Option<String>,
    /// The order's PaymentIntent, for a message about an order.
    pub payment_intent: Option<String>,
}

impl Claimed {
    pub fn is_failure_notice(&self) -> bool {
        self.kind == MessageKind::PaymentFailed.code()
    }
}

/// What a claim found.
pub enum Claim {
    /// Nothing is due.
    Nothing,
    /// A message, now `sending` under this instance's name.
    Message(Claimed),
    /// A failure notice whose order has moved on: dropped, never sent.
    Superseded { id: i64, order_id: Option<i64> },
}

/// Takes the next due message for `instance`, committing the claim before
/// anything is sent (`failure_notice_due`: notices created before this
/// are due). Failure notices whose order has moved on are dropped instead.
pub async fn claim_next(
    pool: &AnyPool,
    instance: &str,
    now: i64,
    failure_notice_due: i64,
) -> Result<Claim, sqlx::Error> {
    // A plain read first: most polls find nothing, and need not take
    // the write lock the webhook wants.
    let due: Option<i64> = sqlx::query_scalar(DUE)
        .bind(now)
        .bind(failure_notice_due)
        .fetch_optional(pool)
        .await?;
    if due.is_none() {
        return Ok(Claim::Nothing);
    }
    // On PostgreSQL each instance locks the message it claims and
    // skips those another instance is claiming; on SQLite the write
    // transaction is the only writer.
    let lock = match Backend::of(pool) {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let mut tx = write_transaction(pool).await?;
    let claimed: Option<Claimed> = sqlx::query_as(&format!(
        "SELECT m.id, m.order_id, m.kind, m.subject, m.body, m.link, m.attempts,
         COALESCE(m.recipient, c.email) AS email, c.name, o.status, o.payment_intent_id AS payment_intent
         FROM messages m LEFT JOIN customers c ON c.id = m.customer_id LEFT JOIN orders o ON o.id = m.order_id
         WHERE m.id = ({DUE}{lock})"
    ))
    .bind(now)
    .bind(failure_notice_due)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(mut message) = claimed else {
        return Ok(Claim::Nothing);
    };
    if message.is_failure_notice() && message.status.as_deref() != Some("payment_failed") {
        supersede(&mut *tx, message.id).await?;
        tx.commit().await?;
        return Ok(Claim::Superseded {
            id: message.id,
            order_id: message.order_id,
        });
    }
    sqlx::query(
        "UPDATE messages SET delivery = $3, attempts = attempts + 1, claimed_by = $1 WHERE id = $2",
    )
    .bind(instance)
    .bind(message.id)
    .bind(MessageDelivery::Sending)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    message.attempts += 1;
    Ok(Claim::Message(message))
}

/// Drops a failure notice the order no longer needs: never sent, and not
/// on the messages page.
pub async fn supersede<'e>(
    db: impl sqlx::Executor<'e, Database = sqlx::Any>,
    message: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE messages SET delivery = $1 WHERE id = $2")
        .bind(MessageDelivery::Superseded)
        .bind(message)
        .execute(db)
        .await?;
    Ok(())
}

/// Messages left `sending` by a process that died may have gone out:
/// marking them `interrupted` keeps "at most once". That is `instance`'s
/// own earlier claims (its previous run died with them), and another
/// instance's once its lease has lapsed; a live instance's are left alone.
pub async fn interrupt_abandoned(
    pool: &AnyPool,
    instance: &str,
    now: i64,
) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query(ABANDONED)
        .bind(instance)
        .bind(now)
        .bind(MessageDelivery::Interrupted)
        .execute(pool)
        .await?
        .rows_affected())
}

/// How a delivery went, as stored.
pub struct Outcome {
    pub delivery: MessageDelivery,
    /// When to try again (for `pending`).
    pub next_attempt_at: i64,
    pub error: Option<String>,
}

/// Records a delivery's outcome. A sign-in code is a secret: once its
/// e-mail went out (or never will), its text is not kept; kept for the
/// development mailbox (no SMTP), it stays.
pub async fn record(
    pool: &AnyPool,
    message: &Claimed,
    outcome: &Outcome,
    now: i64,
) -> Result<(), sqlx::Error> {
    let delivery = outcome.delivery;
    if message.kind == super::SIGN_IN_CODE
        && !matches!(delivery, MessageDelivery::Kept | MessageDelivery::Pending)
    {
        sqlx::query("UPDATE messages SET body = '', link = '' WHERE id = $1")
            .bind(message.id)
            .execute(pool)
            .await?;
    }
    let delivered = matches!(delivery, MessageDelivery::Sent | MessageDelivery::Kept);
    sqlx::query(
        "UPDATE messages SET delivery = $1, next_attempt_at = $2, last_error = $3,
         delivered_at = CASE WHEN $4 = 1 THEN $5 END WHERE id = $6",
    )
    .bind(delivery)
    .bind(outcome.next_attempt_at)
    .bind(outcome.error.as_deref())
    .bind(i64::from(delivered))
    .bind(now)
    .bind(message.id)
    .execute(pool)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The delivery states written as literals (for the partial indexes)
    /// are the enum's codes.
    #[test]
    fn literal_delivery_states_are_codes() {
        for (sql, state) in [
            (DUE, MessageDelivery::Pending),
            (ABANDONED, MessageDelivery::Sending),
        ] {
            assert!(sql.contains(&format!("delivery = '{}'", state.code())));
        }
        assert!(DUE.contains(&format!("kind <> '{}'", MessageKind::PaymentFailed.code())));
        assert_eq!(
            MessageDelivery::from_code("sending"),
            Some(MessageDelivery::Sending)
        );
    }

    /// The claim reads the index in order and stops at the first due
    /// message: no sort of the whole backlog (SQLite's `USE TEMP B-TREE`,
    /// PostgreSQL's `Sort`).
    #[tokio::test]
    async fn the_claim_never_sorts_the_backlog() {
        let pool = crate::server::db::for_tests().await.unwrap();
        if Backend::of(&pool) == Backend::Postgres {
            let plan: Vec<String> = sqlx::query_scalar(&format!("EXPLAIN {DUE}"))
                .bind(0_i64)
                .bind(0_i64)
                .fetch_all(&pool)
                .await
                .unwrap();
            assert!(
                plan.iter()
                    .any(|step| step.contains("Index Scan using messages_due")),
                "{plan:?}"
            );
            assert!(!plan.iter().any(|step| step.contains("Sort")), "{plan:?}");
            return;
        }
        let plan: Vec<(i64, i64, i64, String)> =
            sqlx::query_as(&format!("EXPLAIN QUERY PLAN {DUE}"))
                .bind(0)
                .bind(0)
                .fetch_all(&pool)
                .await
                .unwrap();
        let plan: Vec<&str> = plan.iter().map(|row| row.3.as_str()).collect();
        assert!(
            plan.iter()
                .any(|step| step.contains("USING INDEX messages_due")),
            "{plan:?}"
        );
        assert!(
            !plan.iter().any(|step| step.contains("TEMP B-TREE")),
            "{plan:?}"
        );
    }
}
