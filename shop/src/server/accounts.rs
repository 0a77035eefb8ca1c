//! Getting in with a proven e-mail address: the account it already has,
//! one made from its Stripe customer, or a new one.
//!
//! Called once a sign-in code or link is right (`sign_in_codes`). Nothing is
//! locked while Stripe is asked: the code is used up in the transaction
//! that then writes the account, so a double submit signs in once.

use super::customers::{self, CustomerId, NewCustomer, StripeLink};
use super::sign_in_codes::{self, BrowserId, Refusal};
use super::stripe::StripeError;
use super::{checkout, db, stripe_accounts, AppState};
use crate::countries::Country;
use crate::email::EmailAddress;
use crate::i18n::Locale;

/// Where a proven address leads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    /// Into this account (it existed, or was made from its Stripe customer).
    SignedIn(CustomerId),
    /// A new customer: their name is asked once (`complete_sign_up`).
    NeedsName,
    /// The account was closed (its Stripe customer deleted).
    Closed,
}

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error("looking the customer up at Stripe: {0}")]
    Stripe(#[from] StripeError),
}

/// The longest name kept, in characters.
pub const MAX_NAME_CHARS: usize = 100;

/// A name as typed, if it is one: trimmed, 1 to 100 characters, no control
/// characters.
pub fn valid_name(typed: &str) -> Option<String> {
    let name = typed.trim();
    let chars = name.chars().count();
    ((1..=MAX_NAME_CHARS).contains(&chars) && !name.chars().any(char::is_control))
        .then(|| name.to_owned())
}

/// Takes the browser that proved `email` in, once.
pub async fn enter(
    state: &AppState,
    browser: &BrowserId,
    email: &EmailAddress,
    page_locale: Locale,
    now: i64,
) -> Result<Result<Entry, Refusal>, AccountError> {
    let pool = &state.pool;
    if let Some(account) = customers::find_by_email(pool, email.as_str()).await? {
        if account.closed {
            return Ok(Ok(Entry::Closed));
        }
        let mut tx = db::write_transaction(pool).await?;
        if !sign_in_codes::consume_in(&mut tx, browser, email, now).await? {
            return Ok(Err(Refusal::Used));
        }
        tx.commit().await?;
        return Ok(Ok(Entry::SignedIn(account.id)));
    }
    // No account yet: is this address a customer of the merchant's at Stripe?
    let found = stripe_accounts::find(&state.stripe, email, "sign-in").await?;
    let mut tx = db::write_transaction(pool).await?;
    if !sign_in_codes::consume_in(&mut tx, browser, email, now).await? {
        return Ok(Err(Refusal::Used));
    }
    let Some(found) = found else {
        tx.commit().await?;
        return Ok(Ok(Entry::NeedsName));
    };
    let details = stripe_accounts::details(&found.customer, page_locale);
    let Some(name) = details.name.as_deref() else {
        // Their Stripe customer has no name: asked, then linked (`complete_sign_up`).
        tx.commit().await?;
        return Ok(Ok(Entry::NeedsName));
    };
    let created = stripe_accounts::create_linked_in(&mut tx, email, &found, name, &details).await;
    let id = match created {
        Ok(id) => {
            tx.commit().await?;
            tracing::info!(customer = id.0, linked_by = %found.linked_by, "account made from its Stripe customer");
            id
        }
        // Made meanwhile (another tab, another instance): that one.
        Err(err) => {
            drop(tx);
            match customers::find_by_email(pool, email.as_str()).await? {
                Some(account) => account.id,
                None => return Err(err.into()),
            }
        }
    };
    Ok(Ok(Entry::SignedIn(id)))
}

/// Makes the account of the address `browser` proved in the last minutes,
/// named `name`, in `country`: linked to its Stripe customer if one appeared
/// meanwhile (or had no name), else with a new Stripe customer. `Refusal::NoCode`
/// when there is no such proof (it lapsed, or was used).
pub async fn complete_sign_up(
    state: &AppState,
    browser: &BrowserId,
    name: &str,
    country: &Country,
    locale: Locale,
    now: i64,
) -> Result<Result<CustomerId, Refusal>, AccountError> {
    let pool = &state.pool;
    let Some(email) = sign_in_codes::verified_without_account(pool, browser, now).await? else {
        return Ok(Err(Refusal::NoCode));
    };
    let found = stripe_accounts::find(&state.stripe, &email, "sign-up").await?;
    let mut tx = db::write_transaction(pool).await?;
    sign_in_codes::forget_in(&mut tx, browser).await?;
    let link = found.as_ref().map(|m| StripeLink {
        customer_id: &m.customer.id,
        linked_by: &m.linked_by,
    });
    let (locale, currency) = match &found {
        Some(m) => {
            let details = stripe_accounts::details(&m.customer, locale);
            (details.locale, details.currency)
        }
        None => (locale, country.currency),
    };
    let id = customers::create_in(
        &mut tx,
        &NewCustomer {
            email: email.as_str(),
            name,
            password: None,
            locale,
            currency,
            country: country.code,
        },
        link.as_ref(),
    )
    .await?;
    tx.commit().await?;
    tracing::info!(customer = id.0, linked = found.is_some(), "new account");
    if found.is_none() {
        // Its Stripe customer now, with its language; should Stripe not
        // answer, the first checkout makes it.
        if let Some(customer) = customers::find(pool, id).await? {
            if let Err(err) = checkout::stripe_customer(state, &customer).await {
                tracing::warn!(%err, customer = id.0, "Stripe customer not made yet; the checkout will");
            }
        }
    }
    Ok(Ok(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(
            valid_name("  Ada Lovelace ").as_deref(),
            Some("Ada Lovelace")
        );
        assert_eq!(valid_name("Zoë Ñúñez").as_deref(), Some("Zoë Ñúñez"));
        assert_eq!(valid_name("   "), None);
        assert_eq!(valid_name("a\u{0}b"), None);
        assert_eq!(valid_name(&"x".repeat(101)), None);
        assert!(valid_name(&"é".repeat(100)).is_some());
    }
}
