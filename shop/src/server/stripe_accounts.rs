//! Accounts that come from Stripe: which Stripe customer an e-mail address
//! is, and the account details a Stripe customer gives.
//!
//! **The rule when several Stripe customers share an address**: the most
//! recently created one that has a saved payment method; if none has one,
//! the most recently created. The account records the rule's outcome in
//! `stripe_linked_by` (for example "sign-in: newest of 3 with saved methods").
//!
//! Stripe's `email` filter is case-sensitive: the shop asks with the address
//! as it normalises it (lower case). A customer stored at Stripe with capitals
//! is found by the import (`server customers import`), which lists them all.

use super::customers::StripeDetails;
use super::stripe::{Customer, StripeClient, StripeError};
use crate::countries::{self, Country};
use crate::email::EmailAddress;
use crate::i18n::Locale;
use crate::money::Currency;

/// Pages of 100 read at most when looking an address up (10,000 customers
/// with one address is not a shop's customer list).
const MAX_PAGES: usize = 100;

/// The Stripe customer an address is, and why that one.
#[derive(Clone, Debug, PartialEq)]
pub struct Match {
    pub customer: Customer,
    pub linked_by: String,
}

/// Every live Stripe customer whose e-mail is `email`, newest first.
pub async fn with_email(
    stripe: &StripeClient,
    email: &EmailAddress,
) -> Result<Vec<Customer>, StripeError> {
    let mut found = Vec::new();
    let mut after: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let page = stripe
            .list_customers(Some(email.as_str()), after.as_deref())
            .await?;
        after = page.data.last().map(|c| c.id.clone());
        found.extend(page.data.into_iter().filter(|c| !c.deleted));
        if !page.has_more || after.is_none() {
            break;
        }
    }
    found.sort_by_key(|c| std::cmp::Reverse(c.created));
    Ok(found)
}

/// Picks one of `candidates` (newest first) by the rule of this module;
/// `context` starts the recorded reason ("sign-in", "import").
pub async fn pick(
    stripe: &StripeClient,
    mut candidates: Vec<Customer>,
    context: &str,
) -> Result<Option<Match>, StripeError> {
    candidates.sort_by_key(|c| std::cmp::Reverse(c.created));
    let total = candidates.len();
    if total <= 1 {
        return Ok(candidates.pop().map(|customer| Match {
            customer,
            linked_by: format!("{context}: the only Stripe customer with this e-mail"),
        }));
    }
    for candidate in &candidates {
        if stripe.has_payment_methods(&candidate.id).await? {
            return Ok(Some(Match {
                customer: candidate.clone(),
                linked_by: format!("{context}: newest of {total} with saved payment methods"),
            }));
        }
    }
    Ok(candidates.into_iter().next().map(|customer| Match {
        customer,
        linked_by: format!("{context}: newest of {total}, none with saved payment methods"),
    }))
}

/// The Stripe customer `email` is, if any.
pub async fn find(
    stripe: &StripeClient,
    email: &EmailAddress,
    context: &str,
) -> Result<Option<Match>, StripeError> {
    let candidates = with_email(stripe, email).await?;
    pick(stripe, candidates, context).await
}

/// The language of a Stripe customer's first preferred locale the shop speaks.
pub fn locale_of(customer: &Customer) -> Option<Locale> {
    customer
        .preferred_locales
        .iter()
        .find_map(|tag| Locale::from_code(tag))
}

/// The country of a Stripe customer's address (or shipping address), if the
/// shop sells there.
pub fn country_of(customer: &Customer) -> Option<&'static Country> {
    let address = customer
        .address
        .as_ref()
        .and_then(|a| a.country.as_deref())
        .or_else(|| {
            customer
                .shipping
                .as_ref()
                .and_then(|s| s.address.as_ref())
                .and_then(|a| a.country.as_deref())
        })?;
    countries::find(address)
}

/// A new account's details from its Stripe customer: its name (if it has
/// one), language (else `fallback`), country (else the language's usual one)
/// and currency (Stripe's if it billed in one the shop prices in, else the
/// country's).
pub struct AccountDetails {
    pub name: Option<String>,
    pub locale: Locale,
    pub country: &'static Country,
    pub currency: Currency,
}

pub fn details(customer: &Customer, fallback: Locale) -> AccountDetails {
    let locale = locale_of(customer).unwrap_or(fallback);
    let country = country_of(customer).unwrap_or_else(|| countries::for_locale(locale));
    let currency = customer
        .currency
        .as_deref()
        .and_then(Currency::from_code)
        .unwrap_or(country.currency);
    AccountDetails {
        name: customer
            .name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned),
        locale,
        country,
        currency,
    }
}

/// Creates the account of `email`, linked to the Stripe customer `found`,
/// with that customer's details and `name`, inside the caller's transaction.
pub async fn create_linked_in(
    tx: &mut sqlx::AnyConnection,
    email: &EmailAddress,
    found: &Match,
    name: &str,
    details: &AccountDetails,
) -> Result<super::customers::CustomerId, sqlx::Error> {
    super::customers::create_in(
        tx,
        &super::customers::NewCustomer {
            email: email.as_str(),
            name,
            password: None,
            locale: details.locale,
            currency: details.currency,
            country: details.country.code,
        },
        Some(&super::customers::StripeLink {
            customer_id: &found.customer.id,
            linked_by: &found.linked_by,
        }),
    )
    .await
}

/// What an account follows of its Stripe customer (`customer.updated`,
/// the import): `None` when Stripe has no usable e-mail for it, or the
/// customer is deleted.
pub fn followed(customer: &Customer, current: &StripeDetails) -> Option<StripeDetails> {
    if customer.deleted {
        return None;
    }
    let email = EmailAddress::parse(customer.email.as_deref()?).ok()?;
    Some(StripeDetails {
        email: email.to_string(),
        name: customer
            .name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map_or_else(|| current.name.clone(), str::to_owned),
        locale: locale_of(customer).unwrap_or(current.locale),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn customer(json: serde_json::Value) -> Customer {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn details_come_from_the_stripe_customer_with_sensible_fallbacks() {
        let camille = customer(serde_json::json!({
            "id": "cus_1", "name": " Camille ", "preferred_locales": ["de-DE", "fr-FR"],
            "address": { "country": "BE" }, "created": 1,
        }));
        let d = details(&camille, Locale::En);
        assert_eq!(d.name.as_deref(), Some("Camille"));
        assert_eq!(d.locale, Locale::Fr);
        assert_eq!(d.country.code, "BE");
        assert_eq!(d.currency, Currency::Eur);
        let bare = customer(serde_json::json!({ "id": "cus_2", "name": "", "created": 1 }));
        let d = details(&bare, Locale::En);
        assert_eq!(d.name, None);
        assert_eq!(
            (d.locale, d.country.code, d.currency),
            (Locale::En, "US", Currency::Usd)
        );
        let billed = customer(serde_json::json!({
            "id": "cus_3", "currency": "usd", "shipping": { "address": { "country": "FR" } }, "created": 1,
        }));
        let d = details(&billed, Locale::Fr);
        assert_eq!((d.country.code, d.currency), ("FR", Currency::Usd));
    }

    #[test]
    fn an_account_follows_a_usable_email_name_and_language() {
        let current = StripeDetails {
            email: "old@example.com".into(),
            name: "Old".into(),
            locale: Locale::En,
        };
        let updated = customer(serde_json::json!({
            "id": "cus_1", "email": "New@Example.com", "name": null, "preferred_locales": ["fr"], "created": 1,
        }));
        assert_eq!(
            followed(&updated, &current),
            Some(StripeDetails {
                email: "new@example.com".into(),
                name: "Old".into(),
                locale: Locale::Fr,
            })
        );
        let no_email = customer(serde_json::json!({ "id": "cus_1", "email": null, "created": 1 }));
        assert_eq!(followed(&no_email, &current), None);
        let deleted = customer(serde_json::json!({ "id": "cus_1", "deleted": true }));
        assert_eq!(followed(&deleted, &current), None);
    }
}
