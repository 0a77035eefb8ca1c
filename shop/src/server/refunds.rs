//! Refunds of paid orders: made at Stripe (the `server orders refund`
//! command, or the merchant's Stripe dashboard), and copied into the order
//! whenever Stripe says one changed.
//!
//! The copy is Stripe's list of the PaymentIntent's refunds, read when an
//! event arrives: events come late, twice and out of order, but the list is
//! the truth now. Each refund is recorded once (`order_refunds`, keyed by
//! Stripe's id) with one history line and one message; a refund that fails
//! later gets one more of each. The order keeps what is refunded of it
//! (pending and succeeded refunds); a download-only order refunded in full
//! loses its downloads, and gets them back if that refund fails.

use sqlx::AnyPool;

use super::order_store::{self, Order};
use super::stripe::{Refund, StripeClient, StripeError};
use super::{db, message_store};
use crate::messages::MessageKind;
use crate::orders::OrderStatus;

#[derive(Debug, thiserror::Error)]
pub enum RefundError {
    #[error(transparent)]
    Stripe(#[from] StripeError),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error("order #{0} does not exist")]
    NoSuchOrder(i64),
    #[error("order #{order} is {status:?}: only a paid order can be refunded")]
    NotPaid { order: i64, status: OrderStatus },
    #[error("order #{order}: at most {left} can be refunded ({paid} paid, {refunded} refunded)")]
    TooMuch {
        order: i64,
        left: String,
        paid: String,
        refunded: String,
    },
    #[error("the amount must be more than zero")]
    NotPositive,
}

/// A refund as the order's page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderRefund {
    pub id: String,
    pub amount: i64,
    pub status: String,
    pub created_at: i64,
    pub failed_at: Option<i64>,
}

/// What a copy of Stripe's refunds changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Synced {
    /// Refunds seen for the first time.
    pub new: usize,
    /// Refunds that failed since last seen.
    pub failed: usize,
}

impl Synced {
    pub fn changed(self) -> bool {
        self.new > 0 || self.failed > 0
    }
}

/// Whether a refund in this status counts as money going back.
fn counts(status: &str) -> bool {
    matches!(status, "pending" | "requires_action" | "succeeded")
}

/// Refunds `amount` (minor units; all that is left when `None`) of a paid
/// order at Stripe, then copies the result into the order. Asking twice for
/// the same refund before it is recorded refunds once (the idempotency key
/// names the order, what was refunded of it so far, and the amount).
pub async fn refund_order(
    stripe: &StripeClient,
    pool: &AnyPool,
    order_id: i64,
    amount: Option<i64>,
    reason: Option<&str>,
) -> Result<Refund, RefundError> {
    let order = order_store::find_any(pool, order_id)
        .await?
        .ok_or(RefundError::NoSuchOrder(order_id))?;
    let Some(intent) = order
        .payment_intent_id
        .clone()
        .filter(|_| order.status == OrderStatus::Paid)
    else {
        return Err(RefundError::NotPaid {
            order: order_id,
            status: order.status,
        });
    };
    let left = order.total.amount - order.refunded;
    let amount = amount.unwrap_or(left);
    if amount <= 0 && left > 0 {
        return Err(RefundError::NotPositive);
    }
    if amount > left || left <= 0 {
        let money =
            |a| crate::money::Money::new(a, order.total.currency).format(crate::i18n::Locale::En);
        return Err(RefundError::TooMuch {
            order: order_id,
            left: money(left),
            paid: money(order.total.amount),
            refunded: money(order.refunded),
        });
    }
    let key = format!(
        "order-{order_id}-refunded-{}-refund-{amount}",
        order.refunded
    );
    let refund = stripe.create_refund(&intent, amount, reason, &key).await?;
    sync(stripe, pool, &intent).await?;
    Ok(refund)
}

/// Copies Stripe's refunds of `payment_intent` into its order (none: not one
/// of the shop's orders). Asks Stripe first, then writes in one transaction.
pub async fn sync(
    stripe: &StripeClient,
    pool: &AnyPool,
    payment_intent: &str,
) -> Result<Synced, RefundError> {
    let Some(order) = order_store::by_payment_intent(pool, payment_intent).await? else {
        return Ok(Synced::default());
    };
    let refunds = stripe.list_refunds(payment_intent).await?;
    let mut tx = db::write_transaction(pool).await?;
    let synced = apply_in(&mut tx, &order, &refunds).await?;
    tx.commit().await?;
    Ok(synced)
}

/// Records `refunds` (Stripe's list, in any order) for `order`, inside the
/// caller's transaction.
pub async fn apply_in(
    tx: &mut sqlx::AnyConnection,
    order: &Order,
    refunds: &[Refund],
) -> Result<Synced, sqlx::Error> {
    // The order is read locked, so two copies at once take turns.
    let lock = db::for_update(tx);
    sqlx::query(&format!("SELECT id FROM orders WHERE id = $1{lock}"))
        .bind(order.id)
        .fetch_optional(&mut *tx)
        .await?;
    let now = super::now();
    let mut synced = Synced::default();
    let mut oldest_first: Vec<&Refund> = refunds.iter().collect();
    oldest_first.sort_by_key(|r| (r.created, r.id.clone()));
    for refund in oldest_first {
        copy_refund_in(tx, order.id, refund, now, &mut synced).await?;
    }
    let refunded = total_refunded_in(tx, order.id).await?;
    // Downloads are what a download-only order sold: refunded in full, they
    // go; if that refund fails, they come back.
    if order.is_digital() && order.status == OrderStatus::Paid {
        set_downloads_open_in(tx, order.id, refunded < order.total.amount, now).await?;
    }
    Ok(synced)
}

/// One of Stripe's refunds: written when new, its status followed when it
/// changed; the customer is told of a new refund and of one that failed.
async fn copy_refund_in(
    tx: &mut sqlx::AnyConnection,
    order: i64,
    refund: &Refund,
    now: i64,
    synced: &mut Synced,
) -> Result<(), sqlx::Error> {
    let known: Option<String> =
        sqlx::query_scalar("SELECT status FROM order_refunds WHERE id = $1")
            .bind(&refund.id)
            .fetch_optional(&mut *tx)
            .await?;
    let failed_now = refund.status == "failed";
    match known {
        None => {
            sqlx::query(
                "INSERT INTO order_refunds (id, order_id, amount, status, reason, failure_reason, created_at, failed_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(&refund.id)
            .bind(order)
            .bind(refund.amount)
            .bind(&refund.status)
            .bind(&refund.reason)
            .bind(&refund.failure_reason)
            .bind(refund.created)
            .bind(failed_now.then_some(now))
            .execute(&mut *tx)
            .await?;
            synced.new += 1;
            let kind = if failed_now {
                MessageKind::RefundFailed
            } else {
                MessageKind::RefundIssued
            };
            message_store::enqueue_refund_in(tx, order, kind, refund.amount).await?;
        }
        Some(status) if status != refund.status => {
            sqlx::query(
                "UPDATE order_refunds SET status = $1, failure_reason = $2,
                 failed_at = CASE WHEN $3 = 1 THEN $4 ELSE failed_at END WHERE id = $5",
            )
            .bind(&refund.status)
            .bind(&refund.failure_reason)
            .bind(i64::from(failed_now))
            .bind(now)
            .bind(&refund.id)
            .execute(&mut *tx)
            .await?;
            if failed_now && counts(&status) {
                synced.failed += 1;
                message_store::enqueue_refund_in(
                    tx,
                    order,
                    MessageKind::RefundFailed,
                    refund.amount,
                )
                .await?;
            }
        }
        Some(_) => {}
    }
    Ok(())
}

/// What the refunds that count (pending or done) add up to, written on the
/// order.
async fn total_refunded_in(tx: &mut sqlx::AnyConnection, order: i64) -> Result<i64, sqlx::Error> {
    let refunded: i64 = sqlx::query_scalar(
        // PostgreSQL sums BIGINTs as NUMERIC, which `Any` does not read: cast back.
        "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM order_refunds
         WHERE order_id = $1 AND status IN ('pending', 'requires_action', 'succeeded')",
    )
    .bind(order)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query("UPDATE orders SET refunded_amount = $1 WHERE id = $2")
        .bind(refunded)
        .bind(order)
        .execute(&mut *tx)
        .await?;
    Ok(refunded)
}

/// Opens (`open`) or withdraws a download-only order's downloads.
async fn set_downloads_open_in(
    tx: &mut sqlx::AnyConnection,
    order: i64,
    open: bool,
    now: i64,
) -> Result<(), sqlx::Error> {
    let withdraw_or_reopen = if open {
        sqlx::query(
            "UPDATE fulfilments SET revoked_at = NULL WHERE order_id = $1 AND revoked_at IS NOT NULL",
        )
        .bind(order)
    } else {
        sqlx::query(
            "UPDATE fulfilments SET revoked_at = $1 WHERE order_id = $2 AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(order)
    };
    withdraw_or_reopen.execute(&mut *tx).await?;
    Ok(())
}

/// The order's refunds, oldest first.
pub async fn of_order(pool: &AnyPool, order: i64) -> Result<Vec<OrderRefund>, sqlx::Error> {
    let rows: Vec<(String, i64, String, i64, Option<i64>)> = sqlx::query_as(
        "SELECT id, amount, status, created_at, failed_at FROM order_refunds WHERE order_id = $1 ORDER BY created_at, id",
    )
    .bind(order)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, amount, status, created_at, failed_at)| OrderRefund {
            id,
            amount,
            status,
            created_at,
            failed_at,
        })
        .collect())
}
