//! Stripe webhooks: the signature check of docs/stripe.md ("Webhook signatures and delivery"), and
//! exactly-once processing of the events about our orders.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use sqlx::AnyPool;

use shop::orders::PaymentOutcome;
use shop::server::order_store;
pub use shop::server::stripe::{Event, EventKind};

/// How old a signature may be, in seconds (Stripe's default).
pub const TOLERANCE_SECS: i64 = 300;

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("no Stripe-Signature header")]
    Missing,
    #[error("malformed Stripe-Signature header")]
    Malformed,
    #[error("no v1 signature matches")]
    NoMatch,
    #[error("the signature's timestamp is outside the tolerance")]
    Stale,
}

/// Checks `Stripe-Signature: t=…,v1=…[,v1=…][,v0=…]` over the raw body:
/// HMAC-SHA256 keyed with the whole `whsec_…` string over `"{t}.{body}"`,
/// any `v1` may match (compared in constant time), `v0` is ignored, and the
/// timestamp must be within `tolerance` seconds of `now` (either way).
pub fn verify(
    header: Option<&str>,
    body: &[u8],
    secret: &str,
    now: i64,
    tolerance: i64,
) -> Result<(), SignatureError> {
    let header = header.ok_or(SignatureError::Missing)?;
    // An empty key is one anybody can sign with: nothing verifies against it.
    if secret.is_empty() {
        return Err(SignatureError::NoMatch);
    }
    let mut timestamp = None;
    let mut candidates = Vec::new();
    for item in header.split(',') {
        let (key, value) = item.split_once('=').ok_or(SignatureError::Malformed)?;
        match key.trim() {
            "t" => {
                timestamp = Some(
                    value
                        .trim()
                        .parse::<i64>()
                        .map_err(|_| SignatureError::Malformed)?,
                )
            }
            "v1" => {
                candidates.push(hex::decode(value.trim()).map_err(|_| SignatureError::Malformed)?)
            }
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or(SignatureError::Malformed)?;
    if candidates.is_empty() {
        return Err(SignatureError::NoMatch);
    }
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).map_err(|_| SignatureError::Malformed)?;
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    let matches = candidates
        .iter()
        .any(|candidate| mac.clone().verify_slice(candidate).is_ok());
    if !matches {
        return Err(SignatureError::NoMatch);
    }
    if (now - timestamp).abs() > tolerance {
        return Err(SignatureError::Stale);
    }
    Ok(())
}

/// The release trains whose PaymentIntent events this code was written and
/// tested against (docs/stripe.md, "API versions"). The shop pins `endive`; earlier
/// trains render the fields it reads (`id`, `last_payment_error.message`)
/// the same way.
pub const UNDERSTOOD_TRAINS: [&str; 5] = ["acacia", "basil", "clover", "dahlia", "endive"];

/// Whether the shop knows how to read events of this API version
/// (`YYYY-MM-DD.train`). Anything else is acknowledged and left alone,
/// rather than guessed at: the return page and the order page still settle
/// the order from the API, in the shop's own pinned version.
pub fn understands(api_version: Option<&str>) -> bool {
    api_version
        .and_then(|v| v.split_once('.'))
        .is_some_and(|(date, train)| date.len() == 10 && UNDERSTOOD_TRAINS.contains(&train))
}

/// The `api_version` of an event that did not parse as a whole.
pub fn api_version_of(body: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Envelope {
        api_version: Option<String>,
    }
    serde_json::from_slice::<Envelope>(body).ok()?.api_version
}

shop::coded_enum! {
    /// What became of an event; stored as `stripe_events.outcome` (all but
    /// `Duplicate`, which is the answer to an event already stored).
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Handled {
        Applied = "applied",
        Unchanged = "unchanged",
        Ignored = "ignored",
        /// Seen before: acknowledged, nothing done.
        Duplicate = "duplicate",
    }
}

/// What a payment event asks of its order: the outcome its PaymentIntent
/// stands for (the one mapping, `PaymentOutcome::from`), for the four kinds
/// that settle a payment; nothing for a failure Stripe has since moved past
/// (`stale`, see [`failure_is_stale`]), which is recorded, never applied.
fn outcome_of(event: &Event, stale: bool) -> Option<PaymentOutcome> {
    if stale || !event.kind.settles_a_payment() {
        return None;
    }
    event.payment_intent().map(PaymentOutcome::from)
}

/// Whether a `payment_intent.payment_failed` event is older than the
/// intent's state at Stripe: the shopper tried again on the same order (a
/// SEPA debit after a failed 3-D Secure check, say) and that attempt is
/// processing or done. Stripe does not promise events in order, and a
/// failure applied over that attempt would show "payment failed" and send
/// a failure notice while the money is on its way. Asked before the
/// event's transaction, so no lock waits on Stripe.
pub async fn failure_is_stale(
    stripe: &shop::server::stripe::StripeClient,
    event: &Event,
) -> Result<bool, shop::server::stripe::StripeError> {
    let Some(intent) = (event.kind == EventKind::PaymentIntentPaymentFailed)
        .then(|| event.payment_intent_id())
        .flatten()
    else {
        return Ok(false);
    };
    let current = match stripe.retrieve_payment_intent(intent).await {
        Ok(current) => current,
        // Not an intent of this account: it matches no order either.
        Err(err) if err.status() == Some(404) => return Ok(false),
        Err(err) => return Err(err),
    };
    Ok(current.status.went_past_a_failure())
}

/// Why an event whose effect is read from Stripe (a customer's details, a
/// payment's refunds) was not recorded; Stripe delivers it again.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error("reading Stripe's current state: {0}")]
    Stripe(#[from] shop::server::stripe::StripeError),
    #[error("recording the event: {0}")]
    Database(#[from] sqlx::Error),
}

/// Whether the event was recorded already (a redelivery): checked before
/// anything asks Stripe, so a duplicate costs one read.
pub async fn seen(pool: &AnyPool, event: &Event) -> Result<bool, sqlx::Error> {
    let seen: Option<i64> = sqlx::query_scalar("SELECT 1 FROM stripe_events WHERE id = $1")
        .bind(&event.id)
        .fetch_optional(pool)
        .await?;
    Ok(seen.is_some())
}

/// Claims the event in the caller's transaction, recorded as `recorded_as`
/// (how it will most often end) until [`record_outcome_in`] says
/// otherwise; `false` when another request or instance claimed it first
/// (then nothing else should happen).
pub async fn claim_in(
    tx: &mut sqlx::AnyConnection,
    event: &Event,
    payment_intent: Option<&str>,
    order: Option<i64>,
    recorded_as: Handled,
) -> Result<bool, sqlx::Error> {
    let claimed = sqlx::query(
        "INSERT INTO stripe_events (id, type, payment_intent_id, order_id, outcome, received_at)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING",
    )
    .bind(&event.id)
    .bind(event.kind.as_str())
    .bind(payment_intent)
    .bind(order)
    .bind(recorded_as.code())
    .bind(shop::server::now())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    Ok(claimed == 1)
}

/// Records what a claimed event did: `Applied` when it changed something,
/// else `Unchanged`.
pub async fn record_outcome_in(
    tx: &mut sqlx::AnyConnection,
    event: &Event,
    changed: bool,
) -> Result<Handled, sqlx::Error> {
    let handled = if changed {
        Handled::Applied
    } else {
        Handled::Unchanged
    };
    sqlx::query("UPDATE stripe_events SET outcome = $1 WHERE id = $2")
        .bind(handled.code())
        .bind(&event.id)
        .execute(&mut *tx)
        .await?;
    Ok(handled)
}

/// Records the event and applies it to its order, in one transaction.
/// `stale`: a failure Stripe has moved past, recorded but not applied.
pub async fn handle(pool: &AnyPool, event: &Event, stale: bool) -> Result<Handled, sqlx::Error> {
    let mut tx = shop::server::db::write_transaction(pool).await?;
    let handled = handle_in(&mut tx, event, stale).await?;
    tx.commit().await?;
    Ok(handled)
}

/// The same, in the caller's transaction (a batch of events shares one:
/// `event_writer`).
pub async fn handle_in(
    tx: &mut sqlx::AnyConnection,
    event: &Event,
    stale: bool,
) -> Result<Handled, sqlx::Error> {
    let understood = understands(event.api_version.as_deref());
    if !understood {
        tracing::warn!(
            event = %event.id,
            api_version = ?event.api_version,
            "webhook event in an API version this shop does not know; acknowledged and ignored (set the endpoint's api_version to {})",
            shop::server::stripe::API_VERSION
        );
    }
    let intent = understood.then(|| event.payment_intent()).flatten();
    // The order it is about, read and locked once.
    let locked = match intent {
        Some(intent) => order_store::lock_by_payment_intent_in(tx, &intent.id).await?,
        None => None,
    };
    let order = locked.as_ref().map(|locked| locked.id);
    let outcome = order.and(outcome_of(event, stale));
    // The event's id is claimed before anything changes. An instance
    // handling the same event at the same moment waits here (PostgreSQL)
    // until this transaction ends, then finds it taken; if this one fails,
    // it goes on instead. Recorded as it will most often end (applied, or
    // ignored), so only an event with nothing left to change costs an update.
    let expected = if outcome.is_some() {
        Handled::Applied
    } else {
        Handled::Ignored
    };
    let intent_id = intent.map(|intent| intent.id.as_str());
    if !claim_in(tx, event, intent_id, order, expected).await? {
        return Ok(Handled::Duplicate);
    }
    let handled = match (&locked, outcome) {
        (Some(locked), Some(outcome)) => {
            let order = locked.id;
            let changed = order_store::apply_outcome_to_in(tx, locked, &outcome).await?;
            // Named later (`checkout::describe_payment_method`), outside this transaction.
            if let Some(method) = intent.and_then(|intent| intent.payment_method.as_deref()) {
                order_store::record_payment_method_in(tx, order, method).await?;
            }
            match changed {
                Some(_) => Handled::Applied,
                None => record_outcome_in(tx, event, false).await?,
            }
        }
        _ => Handled::Ignored,
    };
    Ok(handled)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Computed independently with Python's hmac/hashlib:
    // hmac.new(SECRET.encode(), f"{T}.{BODY}".encode(), hashlib.sha256).hexdigest()
    const SECRET: &str = "whsec_test_vectors_0123456789abcdef";
    const BODY: &str = r#"{"id":"evt_test","object":"event","type":"payment_intent.succeeded"}"#;
    const T: i64 = 1795700000;
    const SIG: &str = "0554e9c9e3064e6857c16684ec71c2f8377127c85fdc00cfd7af1b060fe2c481";
    const SIG_OTHER_SECRET: &str =
        "cde47e7a80e2c382c08ba3be874ec5f86834627df07635b0519a95bdd1c0ae1f";

    fn check(header: &str) -> Result<(), SignatureError> {
        verify(
            Some(header),
            BODY.as_bytes(),
            SECRET,
            T + 10,
            TOLERANCE_SECS,
        )
    }

    #[test]
    fn accepts_a_valid_signature_among_several() {
        assert_eq!(check(&format!("t={T},v1={SIG}")), Ok(()));
        assert_eq!(
            check(&format!("t={T},v1={SIG_OTHER_SECRET},v1={SIG}")),
            Ok(()),
            "rolled secrets: any v1"
        );
        assert_eq!(
            check(&format!("t={T},v0={SIG_OTHER_SECRET},v1={SIG}")),
            Ok(()),
            "v0 ignored"
        );
    }

    #[test]
    fn refuses_wrong_secret_altered_body_and_v0_only() {
        assert_eq!(
            check(&format!("t={T},v1={SIG_OTHER_SECRET}")),
            Err(SignatureError::NoMatch)
        );
        assert_eq!(
            check(&format!("t={T},v0={SIG}")),
            Err(SignatureError::NoMatch)
        );
        let altered = BODY.replace("succeeded", "canceled");
        assert_eq!(
            verify(
                Some(&format!("t={T},v1={SIG}")),
                altered.as_bytes(),
                SECRET,
                T,
                TOLERANCE_SECS
            ),
            Err(SignatureError::NoMatch)
        );
        assert_eq!(
            check(&format!("t={},v1={SIG}", T + 1)),
            Err(SignatureError::NoMatch),
            "the timestamp is signed"
        );
    }

    #[test]
    fn an_empty_secret_verifies_nothing() {
        // hmac.new(b"", f"{T}.{BODY}".encode(), hashlib.sha256).hexdigest()
        let signed_with_empty_key =
            "63572155769d8be585693a6573292067fd4f77c1153911605176fadad727ee3c";
        let header = format!("t={T},v1={signed_with_empty_key}");
        assert_eq!(
            verify(Some(&header), BODY.as_bytes(), "", T, TOLERANCE_SECS),
            Err(SignatureError::NoMatch)
        );
    }

    #[test]
    fn refuses_stale_and_future_timestamps() {
        let header = format!("t={T},v1={SIG}");
        assert_eq!(
            verify(Some(&header), BODY.as_bytes(), SECRET, T + 301, 300),
            Err(SignatureError::Stale)
        );
        assert_eq!(
            verify(Some(&header), BODY.as_bytes(), SECRET, T - 301, 300),
            Err(SignatureError::Stale)
        );
        assert_eq!(
            verify(Some(&header), BODY.as_bytes(), SECRET, T + 300, 300),
            Ok(())
        );
    }

    #[test]
    fn knows_the_api_versions_it_was_written_for() {
        assert!(understands(Some(shop::server::stripe::API_VERSION)));
        assert!(understands(Some("2025-03-31.basil")));
        for unknown in [
            None,
            Some("2024-06-20"),
            Some("2027-01-01.fig"),
            Some("endive"),
        ] {
            assert!(!understands(unknown), "{unknown:?}");
        }
    }

    #[test]
    fn refuses_malformed_headers() {
        assert_eq!(
            verify(None, BODY.as_bytes(), SECRET, T, 300),
            Err(SignatureError::Missing)
        );
        for header in [
            "",
            "garbage",
            &format!("v1={SIG}"),
            &format!("t=yesterday,v1={SIG}"),
            &format!("t={T},v1=zz"),
        ] {
            assert_eq!(check(header), Err(SignatureError::Malformed), "{header:?}");
        }
        assert_eq!(check(&format!("t={T}")), Err(SignatureError::NoMatch));
    }
}
