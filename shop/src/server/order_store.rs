//! Orders in the database: created from the cart, tied to a PaymentIntent,
//! moved only through `crate::orders::next_status`.

use sqlx::AnyPool;

use super::customers::CustomerId;
use super::message_store;
use crate::cart::Cart;
use crate::delivery::ShippingAddress;
use crate::i18n::LocalizedText;
use crate::messages::MessageKind;
use crate::money::{Currency, Money};
use crate::orders::{
    next_status, FailureReason, Fulfilment, OrderEvent, OrderStatus, PaymentMethodSummary,
    PaymentOutcome,
};

/// The open statuses (`OrderStatus::is_open`) as SQL: literally the
/// predicate of the partial unique index `orders_one_open` (migration
/// 0002), so the planner matches it; a test checks it names exactly the
/// open statuses' codes.
macro_rules! open_status {
    () => {
        "status IN ('awaiting_payment', 'payment_failed')"
    };
}

#[derive(Clone, Debug, PartialEq)]
pub struct OrderLine {
    pub product_id: String,
    pub name: LocalizedText,
    pub unit_amount: i64,
    pub quantity: u32,
    /// A download (see `Fulfilment`).
    pub digital: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Order {
    pub id: i64,
    pub customer: CustomerId,
    pub status: OrderStatus,
    /// What is charged: the lines plus delivery.
    pub total: Money,
    /// What delivery adds to the lines (zero for downloads, before an
    /// address is known, and when delivery is free).
    pub delivery: Money,
    /// Where it is shipped: the order's own copy.
    pub shipping: Option<ShippingAddress>,
    pub payment_intent_id: Option<String>,
    pub failure_message: Option<String>,
    /// Why the last attempt failed, for the shopper (any language).
    pub failure_reason: Option<FailureReason>,
    pub created_at: i64,
    pub paid_at: Option<i64>,
    pub lines: Vec<OrderLine>,
    /// Bumped by every change of lines or amount (optimistic concurrency).
    pub version: i64,
    /// What was refunded of it (minor units; pending and succeeded refunds).
    pub refunded: i64,
    /// The PaymentIntent's payment method, as Stripe last named it.
    pub payment_method_id: Option<String>,
    /// What it is, once fetched from Stripe (`describe_payment_method`).
    pub payment_method: Option<PaymentMethodSummary>,
    pub fulfilment: Fulfilment,
}

impl Order {
    /// Made only of downloads: fulfilled as soon as the payment is processing.
    pub fn is_digital(&self) -> bool {
        !self.lines.is_empty() && self.lines.iter().all(|l| l.digital)
    }

    /// Has something to ship, hence needs an address before it is paid.
    pub fn needs_shipping(&self) -> bool {
        self.lines.iter().any(|l| !l.digital)
    }

    /// The lines added up, without delivery.
    pub fn subtotal(&self) -> Money {
        Money::new(
            self.total.amount - self.delivery.amount,
            self.total.currency,
        )
    }

    /// Whether the order still matches the cart (same lines, same subtotal).
    pub fn matches(&self, cart: &Cart) -> bool {
        self.subtotal() == cart.total
            && self.lines.len() == cart.lines.len()
            && self.lines.iter().zip(&cart.lines).all(|(o, c)| {
                o.product_id == c.product_id
                    && o.quantity == c.quantity
                    && o.unit_amount == c.unit_price.amount
            })
    }
}

#[derive(sqlx::FromRow)]
struct OrderRow {
    id: i64,
    customer_id: i64,
    status: OrderStatus,
    currency: Currency,
    amount: i64,
    payment_intent_id: Option<String>,
    failure_message: Option<String>,
    failure_reason: Option<String>,
    created_at: i64,
    paid_at: Option<i64>,
    version: i64,
    payment_method_id: Option<String>,
    method_type: Option<String>,
    method_label: Option<String>,
    method_last4: Option<String>,
    refunded_amount: i64,
    delivery_amount: i64,
    shipping_address: Option<String>,
}

const COLUMNS: &str = "id, customer_id, status, currency, amount, payment_intent_id, failure_message, failure_reason, created_at, paid_at, version, payment_method_id, method_type, method_label, method_last4, refunded_amount, delivery_amount, shipping_address";

/// The address column: JSON of a [`ShippingAddress`]. One that does not
/// parse (written by hand?) reads as none, so the shopper is asked again.
fn read_shipping(column: Option<&str>) -> Option<ShippingAddress> {
    serde_json::from_str(column?).ok()
}

fn write_shipping(address: Option<&ShippingAddress>) -> Option<String> {
    // A struct of strings always serializes.
    address.and_then(|a| serde_json::to_string(a).ok())
}

async fn load(pool: &AnyPool, row: Option<OrderRow>) -> Result<Option<Order>, sqlx::Error> {
    let Some(row) = row else { return Ok(None) };
    let lines: Vec<(String, String, String, i64, i64, i64)> = sqlx::query_as(
        "SELECT product_id, name_en, name_fr, unit_amount, quantity, digital FROM order_lines WHERE order_id = $1 ORDER BY position",
    )
    .bind(row.id)
    .fetch_all(pool)
    .await?;
    let fulfilment: Option<Option<i64>> =
        sqlx::query_scalar("SELECT revoked_at FROM fulfilments WHERE order_id = $1")
            .bind(row.id)
            .fetch_optional(pool)
            .await?;
    Ok(Some(Order {
        id: row.id,
        customer: CustomerId(row.customer_id),
        status: row.status,
        total: Money::new(row.amount, row.currency),
        delivery: Money::new(row.delivery_amount, row.currency),
        shipping: read_shipping(row.shipping_address.as_deref()),
        payment_intent_id: row.payment_intent_id,
        // Orders that failed before reasons were recorded get the general one.
        failure_reason: match (row.failure_reason.as_deref(), &row.failure_message) {
            (Some(code), _) => FailureReason::from_code(code).or(Some(FailureReason::Other)),
            (None, Some(_)) => Some(FailureReason::Other),
            (None, None) => None,
        },
        fulfilment: match fulfilment {
            None => Fulfilment::NotYet,
            Some(None) => Fulfilment::Fulfilled,
            Some(Some(_)) => Fulfilment::Revoked,
        },
        failure_message: row.failure_message,
        refunded: row.refunded_amount,
        created_at: row.created_at,
        paid_at: row.paid_at,
        version: row.version,
        payment_method_id: row.payment_method_id,
        payment_method: row.method_type.map(|kind| PaymentMethodSummary {
            kind,
            label: row.method_label,
            last4: row.method_last4,
        }),
        lines: lines
            .into_iter()
            .map(|(product_id, en, fr, unit_amount, quantity, digital)| {
                Ok(OrderLine {
                    product_id,
                    name: LocalizedText { en, fr },
                    unit_amount,
                    quantity: super::db::narrow(quantity, "quantity")?,
                    digital: digital != 0,
                })
            })
            .collect::<Result<_, sqlx::Error>>()?,
    }))
}

/// The customer's order that can still be paid, if any.
pub async fn open_order(
    pool: &AnyPool,
    customer: CustomerId,
) -> Result<Option<Order>, sqlx::Error> {
    let row = sqlx::query_as(&format!(
        concat!(
            "SELECT {COLUMNS} FROM orders WHERE customer_id = $1 AND ",
            open_status!()
        ),
        COLUMNS = COLUMNS
    ))
    .bind(customer.0)
    .fetch_optional(pool)
    .await?;
    load(pool, row).await
}

/// One of the customer's orders; another customer's order is `None`.
pub async fn find(
    pool: &AnyPool,
    customer: CustomerId,
    id: i64,
) -> Result<Option<Order>, sqlx::Error> {
    let row = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM orders WHERE id = $1 AND customer_id = $2"
    ))
    .bind(id)
    .bind(customer.0)
    .fetch_optional(pool)
    .await?;
    load(pool, row).await
}

/// An order, whoever it belongs to (for the merchant's commands).
pub async fn find_any(pool: &AnyPool, order: i64) -> Result<Option<Order>, sqlx::Error> {
    let row = sqlx::query_as(&format!("SELECT {COLUMNS} FROM orders WHERE id = $1"))
        .bind(order)
        .fetch_optional(pool)
        .await?;
    load(pool, row).await
}

/// The order a PaymentIntent pays, whoever it belongs to (for webhooks).
pub async fn by_payment_intent(
    pool: &AnyPool,
    payment_intent: &str,
) -> Result<Option<Order>, sqlx::Error> {
    let row = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM orders WHERE payment_intent_id = $1"
    ))
    .bind(payment_intent)
    .fetch_optional(pool)
    .await?;
    load(pool, row).await
}

pub async fn list(pool: &AnyPool, customer: CustomerId) -> Result<Vec<Order>, sqlx::Error> {
    let rows: Vec<OrderRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM orders WHERE customer_id = $1 ORDER BY created_at DESC, id DESC"
    ))
    .bind(customer.0)
    .fetch_all(pool)
    .await?;
    let mut orders = Vec::with_capacity(rows.len());
    for row in rows {
        if let Some(order) = load(pool, Some(row)).await? {
            orders.push(order);
        }
    }
    Ok(orders)
}

async fn write_lines(
    conn: &mut sqlx::AnyConnection,
    order: i64,
    cart: &Cart,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM order_lines WHERE order_id = $1")
        .bind(order)
        .execute(&mut *conn)
        .await?;
    for (position, line) in (1_i64..).zip(&cart.lines) {
        sqlx::query(
            "INSERT INTO order_lines (order_id, product_id, name_en, name_fr, unit_amount, quantity, position, digital)
             VALUES ($1, $2, $3, $4, $5, $6, $7, COALESCE((SELECT digital FROM products WHERE id = $2), 0))",
        )
        .bind(order)
        .bind(&line.product_id)
        .bind(&line.name.en)
        .bind(&line.name.fr)
        .bind(line.unit_price.amount)
        .bind(i64::from(line.quantity))
        .bind(position)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// A new order for the cart, awaiting payment.
pub async fn create(
    pool: &AnyPool,
    customer: CustomerId,
    cart: &Cart,
) -> Result<Order, sqlx::Error> {
    let now = super::now();
    let mut tx = super::db::write_transaction(pool).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO orders (customer_id, status, currency, amount, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(customer.0)
    .bind(OrderStatus::AwaitingPayment)
    .bind(cart.currency.code())
    .bind(cart.total.amount)
    .bind(now)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    write_lines(&mut tx, id, cart).await?;
    record_event_in(&mut tx, id, OrderStatus::AwaitingPayment, None, now).await?;
    tx.commit().await?;
    Ok(find(pool, customer, id)
        .await?
        .expect("the order just written"))
}

/// What an order is to charge for delivery, and where to: an address
/// (with its price) or none yet.
#[derive(Clone, Debug, PartialEq)]
pub struct Delivery {
    pub address: Option<ShippingAddress>,
    pub price: i64,
}

/// Makes an open order match the cart again, with `delivery` priced for the
/// new lines, in one short transaction, if it is still at `version`.
/// `false` (and nothing written) when it is not: a payment settled it, or
/// another request changed it first.
pub async fn replace_lines(
    pool: &AnyPool,
    order: i64,
    version: i64,
    cart: &Cart,
    delivery: &Delivery,
) -> Result<bool, sqlx::Error> {
    let mut tx = super::db::write_transaction(pool).await?;
    let updated = sqlx::query(concat!(
        "UPDATE orders SET amount = $1, delivery_amount = $2, shipping_address = $3, updated_at = $4, version = version + 1
         WHERE id = $5 AND version = $6 AND ",
        open_status!()
    ))
    .bind(cart.total.amount + delivery.price)
    .bind(delivery.price)
    .bind(write_shipping(delivery.address.as_ref()))
    .bind(super::now())
    .bind(order)
    .bind(version)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if updated == 0 {
        return Ok(false);
    }
    // Downloads withdrawn after an earlier failed debit were for the old
    // lines: the order now pays for others.
    sqlx::query("DELETE FROM fulfilments WHERE order_id = $1 AND revoked_at IS NOT NULL")
        .bind(order)
        .execute(&mut *tx)
        .await?;
    write_lines(&mut tx, order, cart).await?;
    tx.commit().await?;
    Ok(true)
}

/// Sets where an open order is shipped and what that costs (its lines
/// unchanged), if it is still at `version`; `false` and nothing written
/// otherwise.
pub async fn set_delivery(
    pool: &AnyPool,
    order: i64,
    version: i64,
    address: &ShippingAddress,
    price: i64,
) -> Result<bool, sqlx::Error> {
    let updated = sqlx::query(concat!(
        "UPDATE orders SET amount = amount - delivery_amount + $1, delivery_amount = $1, shipping_address = $2,
            updated_at = $3, version = version + 1
         WHERE id = $4 AND version = $5 AND ",
        open_status!()
    ))
    .bind(price)
    .bind(write_shipping(Some(address)))
    .bind(super::now())
    .bind(order)
    .bind(version)
    .execute(pool)
    .await?
    .rows_affected();
    Ok(updated == 1)
}

/// Records that Stripe was asked about `order` at `now` (in the caller's transaction).
pub async fn mark_stripe_checked_in(
    conn: &mut sqlx::AnyConnection,
    order: i64,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE orders SET stripe_checked_at = CASE WHEN stripe_checked_at > $1 THEN stripe_checked_at ELSE $1 END WHERE id = $2",
    )
    .bind(now)
    .bind(order)
    .execute(conn)
    .await?;
    Ok(())
}

/// Takes the right to ask Stripe about `order` now, if nobody did in the
/// last `every_secs` seconds (an atomic update, so two requests or two
/// instances never both ask).
pub async fn claim_stripe_check(
    pool: &AnyPool,
    order: i64,
    now: i64,
    every_secs: i64,
) -> Result<bool, sqlx::Error> {
    let claimed = sqlx::query(
        "UPDATE orders SET stripe_checked_at = $1 WHERE id = $2 AND (stripe_checked_at IS NULL OR stripe_checked_at <= $3)",
    )
    .bind(now)
    .bind(order)
    .bind(now - every_secs)
    .execute(pool)
    .await?
    .rows_affected();
    Ok(claimed == 1)
}

pub async fn set_payment_intent(
    pool: &AnyPool,
    order: i64,
    payment_intent: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE orders SET payment_intent_id = $1, updated_at = $2 WHERE id = $3")
        .bind(payment_intent)
        .bind(super::now())
        .bind(order)
        .execute(pool)
        .await?;
    Ok(())
}

/// Puts an order's lines back into its customer's cart (quantities added to
/// what is there, up to the cart's limit of 99).
async fn restore_to_cart_in(tx: &mut sqlx::AnyConnection, order: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO cart_items (customer_id, product_id, quantity, added_at)
         SELECT o.customer_id, l.product_id, CASE WHEN l.quantity < 99 THEN l.quantity ELSE 99 END, $1 FROM orders o
         JOIN order_lines l ON l.order_id = o.id WHERE o.id = $2 AND true
         ON CONFLICT (customer_id, product_id) DO UPDATE SET quantity = CASE WHEN cart_items.quantity + excluded.quantity < 99 THEN cart_items.quantity + excluded.quantity ELSE 99 END",
    )
    .bind(super::now())
    .bind(order)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Records what to ship (or open for download) for an order. A plain INSERT
/// on purpose: the order id is the key, so fulfilling an order twice is an
/// error, never a second shipment. Only a revoked download (its debit failed,
/// and the order is being paid again) is opened again instead.
async fn fulfil_in(tx: &mut sqlx::AnyConnection, order: i64, now: i64) -> Result<(), sqlx::Error> {
    let reopened = sqlx::query(
        "UPDATE fulfilments SET revoked_at = NULL, created_at = $1 WHERE order_id = $2 AND revoked_at IS NOT NULL",
    )
    .bind(now)
    .bind(order)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if reopened > 0 {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO fulfilments (order_id, items, created_at) SELECT $1, SUM(quantity), $2 FROM order_lines WHERE order_id = $3",
    )
    .bind(order)
    .bind(now)
    .bind(order)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Applies what Stripe says about the order's payment, in one transaction.
/// When the order stops being open (processing or paid), its items leave the
/// cart. Returns the new status when it changed.
pub async fn apply_outcome(
    pool: &AnyPool,
    order: i64,
    outcome: &PaymentOutcome,
) -> Result<Option<OrderStatus>, sqlx::Error> {
    let mut tx = super::db::write_transaction(pool).await?;
    let changed = apply_outcome_in(&mut tx, order, outcome).await?;
    tx.commit().await?;
    Ok(changed)
}

/// An order as read, and locked, before news of its payment is applied.
#[derive(sqlx::FromRow)]
pub struct LockedOrder {
    pub id: i64,
    status: String,
    failure_reason: Option<String>,
    /// 1 when every line is a download (it decides fulfilment).
    digital_only: i64,
}

/// Reads the order and locks its row until the commit (PostgreSQL: two
/// instances applying news of one order take turns, and the second sees
/// what the first wrote; SQLite's write transaction already excludes them).
async fn lock_where(
    tx: &mut sqlx::AnyConnection,
    condition: &str,
    value: impl for<'q> sqlx::Encode<'q, sqlx::Any> + sqlx::Type<sqlx::Any> + Send,
) -> Result<Option<LockedOrder>, sqlx::Error> {
    let lock = super::db::for_update(tx);
    sqlx::query_as(&format!(
        "SELECT id, status, failure_reason,
                (SELECT COALESCE(MIN(digital), 0) FROM order_lines WHERE order_id = orders.id) AS digital_only
         FROM orders WHERE {condition} = $1{lock}"
    ))
    .bind(value)
    .fetch_optional(tx)
    .await
}

/// The order `payment_intent` pays, locked (the webhook's one read of it).
pub async fn lock_by_payment_intent_in(
    tx: &mut sqlx::AnyConnection,
    payment_intent: &str,
) -> Result<Option<LockedOrder>, sqlx::Error> {
    lock_where(tx, "payment_intent_id", payment_intent.to_owned()).await
}

/// The same, inside the caller's transaction.
pub async fn apply_outcome_in(
    tx: &mut sqlx::AnyConnection,
    order: i64,
    outcome: &PaymentOutcome,
) -> Result<Option<OrderStatus>, sqlx::Error> {
    match lock_where(tx, "id", order).await? {
        Some(locked) => apply_outcome_to_in(tx, &locked, outcome).await,
        None => Ok(None),
    }
}

/// Applies the outcome to an order read with [`lock_by_payment_intent_in`]
/// in this transaction (the webhook records the event in it too): the
/// state machine's next status, the order's history, and what the change
/// means for the shopper and the warehouse, all in one transaction.
pub async fn apply_outcome_to_in(
    tx: &mut sqlx::AnyConnection,
    locked: &LockedOrder,
    outcome: &PaymentOutcome,
) -> Result<Option<OrderStatus>, sqlx::Error> {
    let order = locked.id;
    let Some(current) = OrderStatus::from_code(&locked.status) else {
        return Ok(None);
    };
    let Some(mut next) = next_status(current, outcome) else {
        return Ok(None);
    };
    let debit_failed = current == OrderStatus::Processing && next == OrderStatus::PaymentFailed;
    if debit_failed && undo_debit_in(tx, order).await? {
        next = OrderStatus::Canceled;
    }
    let reason = match outcome {
        PaymentOutcome::Failed { reason, .. } => Some(*reason),
        _ => None,
    };
    let now = super::now();
    write_status_in(tx, order, next, outcome, now).await?;
    // The return page and the webhook may both report one failed attempt:
    // the history gets one line per status reached, and per new reason.
    let same_failure =
        current == next && locked.failure_reason.as_deref() == reason.map(FailureReason::code);
    if !same_failure {
        record_event_in(tx, order, next, reason, now).await?;
    }
    let change = StatusChange {
        order,
        current,
        next,
        reason,
        digital: locked.digital_only != 0,
        debit_failed,
    };
    fulfil_and_tell_in(tx, &change, now).await?;
    if current.is_open() && !next.is_open() && next != OrderStatus::Canceled {
        release_cart_in(tx, order).await?;
    }
    Ok((next != current || matches!(outcome, PaymentOutcome::Failed { .. })).then_some(next))
}

/// A bank debit that failed after `processing`: its items had left the
/// cart then, and downloads had opened. The downloads close and the items
/// come back, so that "pay again" finds them. `true` when the customer has
/// opened another order meanwhile (one open order each): this one cannot
/// reopen, it ends canceled and its items join that order's cart.
async fn undo_debit_in(tx: &mut sqlx::AnyConnection, order: i64) -> Result<bool, sqlx::Error> {
    sqlx::query(
        "UPDATE fulfilments SET revoked_at = $1 WHERE order_id = $2 AND revoked_at IS NULL",
    )
    .bind(super::now())
    .bind(order)
    .execute(&mut *tx)
    .await?;
    restore_to_cart_in(tx, order).await?;
    let other_open: Option<i64> = sqlx::query_scalar(concat!(
        "SELECT id FROM orders WHERE customer_id = (SELECT customer_id FROM orders WHERE id = $1)
         AND id != $2 AND ",
        open_status!()
    ))
    .bind(order)
    .bind(order)
    .fetch_optional(&mut *tx)
    .await?;
    Ok(other_open.is_some())
}

/// Writes the order's new status, with the failure's message and reason
/// (cleared by any other outcome) and, once paid, when.
async fn write_status_in(
    tx: &mut sqlx::AnyConnection,
    order: i64,
    next: OrderStatus,
    outcome: &PaymentOutcome,
    now: i64,
) -> Result<(), sqlx::Error> {
    let (message, reason) = match outcome {
        PaymentOutcome::Failed { message, reason } => (Some(message.as_str()), Some(*reason)),
        _ => (None, None),
    };
    sqlx::query(
        "UPDATE orders SET status = $1, failure_message = $2, failure_reason = $3, updated_at = $4, paid_at = CASE WHEN $5 = 1 THEN $6 ELSE paid_at END WHERE id = $7",
    )
    .bind(next)
    .bind(message)
    .bind(reason.map(FailureReason::code))
    .bind(now)
    .bind(i64::from(next == OrderStatus::Paid))
    .bind(now)
    .bind(order)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// An order's move from one status to the next, as its consequences need it.
struct StatusChange {
    order: i64,
    current: OrderStatus,
    next: OrderStatus,
    reason: Option<FailureReason>,
    /// Only downloads: fulfilled as soon as the payment is processing.
    digital: bool,
    /// A bank debit failed after processing.
    debit_failed: bool,
}

/// What the change means for the shopper and the warehouse, decided here
/// once: the fulfilment and the message, in the change's transaction.
async fn fulfil_and_tell_in(
    tx: &mut sqlx::AnyConnection,
    change: &StatusChange,
    now: i64,
) -> Result<(), sqlx::Error> {
    let StatusChange {
        order,
        current,
        next,
        reason,
        digital,
        debit_failed,
    } = *change;
    match next {
        OrderStatus::Paid => {
            // Downloads opened when the payment went processing.
            if !(digital && current == OrderStatus::Processing) {
                fulfil_in(tx, order, now).await?;
            }
            message_store::enqueue_in(tx, order, MessageKind::OrderConfirmed, None).await?;
        }
        OrderStatus::Processing if current != OrderStatus::Processing => {
            if digital {
                fulfil_in(tx, order, now).await?;
            }
            message_store::enqueue_in(tx, order, MessageKind::PaymentPending, None).await?;
        }
        // One notice per failure episode: a second decline while the order
        // is already failed updates the reason but sends nothing more.
        OrderStatus::PaymentFailed if current != OrderStatus::PaymentFailed => {
            message_store::enqueue_in(tx, order, MessageKind::PaymentFailed, reason).await?;
        }
        // A failed debit whose order could not reopen is still told.
        OrderStatus::Canceled if debit_failed => {
            message_store::enqueue_in(tx, order, MessageKind::PaymentFailed, reason).await?;
        }
        _ => {}
    }
    Ok(())
}

/// The ordered quantities leave the cart once the order is paid or
/// processing; anything added since stays.
async fn release_cart_in(tx: &mut sqlx::AnyConnection, order: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "DELETE FROM cart_items WHERE (customer_id, product_id) IN (
            SELECT o.customer_id, l.product_id FROM orders o JOIN order_lines l ON l.order_id = o.id
            WHERE o.id = $1 AND l.quantity >= cart_items.quantity)",
    )
    .bind(order)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Adds a step to the order's history (in the caller's transaction).
async fn record_event_in(
    conn: &mut sqlx::AnyConnection,
    order: i64,
    status: OrderStatus,
    reason: Option<FailureReason>,
    at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO order_events (order_id, status, reason, at) VALUES ($1, $2, $3, $4)")
        .bind(order)
        .bind(status.code())
        .bind(reason.map(FailureReason::code))
        .bind(at)
        .execute(conn)
        .await?;
    Ok(())
}

/// The order's history, oldest first.
pub async fn history(pool: &AnyPool, order: i64) -> Result<Vec<OrderEvent>, sqlx::Error> {
    let rows: Vec<(String, Option<String>, i64)> = sqlx::query_as(
        "SELECT status, reason, at FROM order_events WHERE order_id = $1 ORDER BY id",
    )
    .bind(order)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(status, reason, at)| {
            Some(OrderEvent {
                status: OrderStatus::from_code(&status)?,
                reason: reason.as_deref().and_then(FailureReason::from_code),
                at,
            })
        })
        .collect())
}

/// Remembers the PaymentIntent's payment method (in the caller's
/// transaction). A different method than before forgets the old summary.
pub async fn record_payment_method_in(
    conn: &mut sqlx::AnyConnection,
    order: i64,
    payment_method: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE orders SET payment_method_id = $1, method_type = NULL, method_label = NULL, method_last4 = NULL
         WHERE id = $2 AND payment_method_id IS DISTINCT FROM $1",
    )
    .bind(payment_method)
    .bind(order)
    .execute(conn)
    .await?;
    Ok(())
}

/// Stores what Stripe said `payment_method` is, if it is still the order's.
pub async fn describe_payment_method(
    pool: &AnyPool,
    order: i64,
    payment_method: &str,
    summary: &PaymentMethodSummary,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE orders SET method_type = $1, method_label = $2, method_last4 = $3 WHERE id = $4 AND payment_method_id = $5",
    )
    .bind(&summary.kind)
    .bind(&summary.label)
    .bind(&summary.last4)
    .bind(order)
    .bind(payment_method)
    .execute(pool)
    .await?;
    Ok(())
}

/// Whether `customer` may download `product` of `order` now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DownloadAccess {
    Granted,
    /// The debit failed after the download opened.
    Revoked,
    /// Not this customer's order, not a download of it, or not paid for yet.
    NotFound,
}

pub async fn download_access(
    pool: &AnyPool,
    customer: CustomerId,
    order: i64,
    product: &str,
) -> Result<DownloadAccess, sqlx::Error> {
    let row: Option<Option<i64>> = sqlx::query_scalar(
        "SELECT f.revoked_at FROM orders o
         JOIN order_lines l ON l.order_id = o.id AND l.product_id = $1 AND l.digital = 1
         JOIN fulfilments f ON f.order_id = o.id
         WHERE o.id = $2 AND o.customer_id = $3",
    )
    .bind(product)
    .bind(order)
    .bind(customer.0)
    .fetch_optional(pool)
    .await?;
    Ok(match row {
        Some(None) => DownloadAccess::Granted,
        Some(Some(_)) => DownloadAccess::Revoked,
        None => DownloadAccess::NotFound,
    })
}

#[cfg(test)]
mod tests {
    use crate::money::Currency;
    use crate::orders::OrderStatus;

    #[test]
    fn the_open_statuses_in_sql_are_the_open_ones() {
        let open: Vec<String> = OrderStatus::ALL
            .iter()
            .filter(|status| status.is_open())
            .map(|status| format!("'{}'", status.code()))
            .collect();
        assert_eq!(open_status!(), format!("status IN ({})", open.join(", ")));
    }

    /// A value the code does not know is an error when read, never a default.
    #[tokio::test]
    async fn unknown_values_in_a_row_are_errors() {
        let pool = super::super::db::for_tests().await.unwrap();
        let status: OrderStatus = sqlx::query_scalar("SELECT 'payment_failed'")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(status, OrderStatus::PaymentFailed);
        let shipped = sqlx::query_scalar::<_, OrderStatus>("SELECT 'shipped'")
            .fetch_one(&pool)
            .await;
        assert!(shipped.is_err());
        let yen = sqlx::query_scalar::<_, Currency>("SELECT 'jpy'")
            .fetch_one(&pool)
            .await;
        assert!(yen.is_err());
        let negative: i64 = sqlx::query_scalar("SELECT -1")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert!(
            super::super::db::narrow::<u32>(negative, "quantity").is_err(),
            "a quantity below zero is not read as 0"
        );
    }
}
