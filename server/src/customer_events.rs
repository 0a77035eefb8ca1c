//! Stripe is the source of truth for who a customer is: an account follows
//! its Stripe customer's name, e-mail and language (`customer.updated`),
//! and closes when the customer is deleted (`customer.deleted`): its
//! sessions end, its orders stay.
//!
//! The event says which customer changed; what it is now is read from the
//! API, not from the event's payload. Events come late, twice and out of
//! order: each is recorded once (`stripe_events`, in the transaction that
//! changes the account), and every one of them leaves the account as
//! Stripe has it now, so the last to arrive never undoes a newer change.

use sqlx::AnyPool;

use shop::server::customers::{self, Customer, StripeDetails};
use shop::server::stripe::StripeClient;
use shop::server::{db, stripe_accounts};

use crate::webhook::{self, CopyError, Event, EventKind, Handled};

/// Records `event` and makes its customer's account what Stripe says now.
pub async fn handle(
    stripe: &StripeClient,
    pool: &AnyPool,
    event: &Event,
) -> Result<Handled, CopyError> {
    // A redelivery costs one read, not a call to Stripe.
    if webhook::seen(pool, event).await? {
        return Ok(Handled::Duplicate);
    }
    let stripe_id = event.customer_id().unwrap_or_default();
    let account = match stripe_id {
        "" => None,
        id => customers::find_by_stripe_id(pool, id).await?,
    };
    // Asked before the transaction: no lock waits on Stripe.
    let now_at_stripe = match &account {
        Some(_) if event.kind == EventKind::CustomerUpdated => {
            Some(stripe.retrieve_customer(stripe_id).await?)
        }
        _ => None,
    };
    let mut tx = db::write_transaction(pool).await?;
    if !webhook::claim_in(&mut tx, event, None, None, Handled::Ignored).await? {
        return Ok(Handled::Duplicate);
    }
    let Some(account) = account else {
        tx.commit().await?;
        return Ok(Handled::Ignored);
    };
    let changed = apply_in(&mut tx, &account, now_at_stripe.as_ref()).await?;
    let handled = webhook::record_outcome_in(&mut tx, event, changed).await?;
    tx.commit().await?;
    tracing::info!(event = %event.id, kind = %event.kind, customer = account.id.0, changed, "account follows its Stripe customer");
    Ok(handled)
}

/// Closes the account (no customer, or a deleted one) or makes it follow
/// the customer. Whether anything changed.
async fn apply_in(
    tx: &mut sqlx::AnyConnection,
    account: &Customer,
    now_at_stripe: Option<&shop::server::stripe::Customer>,
) -> Result<bool, sqlx::Error> {
    let current = StripeDetails {
        email: account.email.clone(),
        name: account.name.clone(),
        locale: account.locale,
    };
    match now_at_stripe {
        None => customers::close_in(tx, account.id).await,
        Some(customer) if customer.deleted => customers::close_in(tx, account.id).await,
        Some(customer) => {
            match stripe_accounts::followed(customer, &current) {
                // No usable e-mail at Stripe: the account keeps its own.
                None => Ok(false),
                Some(details) => {
                    let followed = customers::follow_stripe_in(tx, account.id, &details).await?;
                    if followed.email_taken {
                        tracing::warn!(customer = account.id.0, "the Stripe customer's new e-mail is another account's; kept the old one");
                    }
                    Ok(followed.changed)
                }
            }
        }
    }
}
