//! The customer's saved payment methods at Stripe, kept free of look-alikes.
//!
//! A card saved again (the same number and expiry: the same `fingerprint`)
//! would show twice in the Payment Element as two identical "Visa •••• 4242"
//! rows. When Stripe tells us a method was attached (`payment_method.attached`),
//! older copies of the same card are detached: the customer keeps one, the
//! newest.

use std::collections::HashSet;

use super::stripe::{StripeClient, StripeError};

/// Detaches the older copies of every card saved more than once; returns how many.
pub async fn forget_duplicate_cards(
    stripe: &StripeClient,
    customer: &str,
) -> Result<usize, StripeError> {
    let mut methods = stripe.list_payment_methods(customer).await?.data;
    methods.sort_by(|a, b| b.created.cmp(&a.created).then_with(|| b.id.cmp(&a.id)));
    let mut seen = HashSet::new();
    let mut forgotten = 0;
    for method in methods {
        let Some(card) = &method.card else { continue };
        let Some(fingerprint) = &card.fingerprint else {
            continue;
        };
        if !seen.insert((fingerprint.clone(), card.exp_month, card.exp_year)) {
            match stripe.detach_payment_method(&method.id).await {
                // Already gone (another instance, another event): the same result.
                Ok(_) | Err(StripeError::Api { status: 404, .. }) => forgotten += 1,
                Err(err) => return Err(err),
            }
        }
    }
    Ok(forgotten)
}
