//! The catalog, and in demo mode the demo customers, written once at start.
//! Running it again changes nothing.

use sqlx::AnyPool;

use super::stripe::{StripeClient, StripeError};
use super::{catalog, customers};
use crate::i18n::Locale;
use crate::money::Currency;

/// A customer the demo seeds, with the password the sign-in page shows.
pub struct DemoCustomer {
    pub name: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    pub locale: Locale,
    pub currency: Currency,
    pub country: &'static str,
    /// Whether the checkout seeds saved payment methods for this customer.
    pub has_saved_methods: bool,
    /// The shipping address saved at Stripe with them, if any.
    pub shipping: Option<DemoAddress>,
}

/// `(line1, city, state, postal_code)`; the name and country are the customer's.
pub type DemoAddress = (&'static str, &'static str, &'static str, &'static str);

pub const DEMO_CUSTOMERS: &[DemoCustomer] = &[
    DemoCustomer {
        name: "Camille Martin",
        email: "camille@example.fr",
        password: "camille-demo",
        locale: Locale::Fr,
        currency: Currency::Eur,
        country: "FR",
        has_saved_methods: true,
        shipping: Some(("12 rue des Lilas", "Lyon", "", "69003")),
    },
    DemoCustomer {
        name: "Jordan Smith",
        email: "jordan@example.com",
        password: "jordan-demo",
        locale: Locale::En,
        currency: Currency::Usd,
        country: "US",
        has_saved_methods: true,
        shipping: Some(("350 Fifth Avenue", "New York", "NY", "10118")),
    },
    DemoCustomer {
        name: "Aoife Byrne",
        email: "aoife@example.ie",
        password: "aoife-demo",
        locale: Locale::En,
        currency: Currency::Eur,
        country: "IE",
        has_saved_methods: false,
        shipping: None,
    },
];

fn demo(customer: &customers::Customer) -> Option<&'static DemoCustomer> {
    DEMO_CUSTOMERS
        .iter()
        .find(|d| d.email.eq_ignore_ascii_case(&customer.email))
}

/// Demo customers who have one arrive with a shipping address saved at
/// Stripe (`customer.shipping`), which the checkout prefills and prices.
pub async fn shipping(
    stripe: &StripeClient,
    customer: &customers::Customer,
    stripe_id: &str,
) -> Result<(), StripeError> {
    let Some((line1, city, state, postal_code)) = demo(customer).and_then(|d| d.shipping) else {
        return Ok(());
    };
    let address = crate::delivery::ShippingAddress {
        name: customer.name.clone(),
        line1: line1.into(),
        line2: String::new(),
        city: city.into(),
        state: state.into(),
        postal_code: postal_code.into(),
        country: customer.country.clone(),
    };
    stripe.set_customer_shipping(stripe_id, &address).await?;
    Ok(())
}

/// Demo customers arrive with saved methods, seeded through the API so the
/// same works in Stripe test mode: a card, plus a SEPA account in euros or a
/// US bank account in dollars. Once: a customer with methods gets no more.
pub async fn saved_methods(
    stripe: &StripeClient,
    customer: &customers::Customer,
    stripe_id: &str,
) -> Result<(), StripeError> {
    let Some(demo) = demo(customer) else {
        return Ok(());
    };
    if !demo.has_saved_methods
        || !stripe
            .list_payment_methods(stripe_id)
            .await?
            .data
            .is_empty()
    {
        return Ok(());
    }
    let mut methods = vec!["pm_card_visa".to_owned()];
    match customer.currency {
        Currency::Eur => methods.push("pm_success_de".into()),
        Currency::Usd => {
            let bank = stripe
                .create_us_bank_account(
                    stripe_id,
                    &customer.name,
                    &customer.email,
                    "110000000",
                    "000123456789",
                )
                .await?;
            methods.push(bank.id);
        }
        // No demo account pays in these: a merchant's own customers do.
        Currency::Cad | Currency::Gbp | Currency::Aud | Currency::Nzd => {}
    }
    let mut card = None;
    for method in &methods {
        let attached = stripe.attach_payment_method(method, stripe_id).await?;
        stripe
            .allow_redisplay(&attached.id, &customer.name, &customer.email)
            .await?;
        card.get_or_insert(attached.id);
    }
    // The card is the customer's default, as a merchant would set it: the
    // Payment Element pre-selects it rather than the slower bank debit.
    if let Some(card) = card {
        stripe.set_default_payment_method(stripe_id, &card).await?;
    }
    Ok(())
}

pub async fn catalog(pool: &AnyPool) -> Result<(), sqlx::Error> {
    for (position, product) in catalog::products().iter().enumerate() {
        catalog::upsert(pool, position as i64, product).await?;
    }
    Ok(())
}

/// Creates the demo customers that do not exist yet. Existing accounts are
/// left as they are (their locale, their Stripe customer id).
pub async fn demo_customers(pool: &AnyPool) -> Result<(), sqlx::Error> {
    for demo in DEMO_CUSTOMERS {
        if customers::find_by_email(pool, demo.email).await?.is_some() {
            continue;
        }
        customers::create(
            pool,
            &customers::NewCustomer {
                email: demo.email,
                name: demo.name,
                password: Some(demo.password),
                locale: demo.locale,
                currency: demo.currency,
                country: demo.country,
            },
        )
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::db;

    #[tokio::test]
    async fn seeding_twice_changes_nothing() {
        let pool = db::for_tests().await.unwrap();
        for _ in 0..2 {
            catalog(&pool).await.unwrap();
            demo_customers(&pool).await.unwrap();
        }
        let customers: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM customers")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(customers as usize, DEMO_CUSTOMERS.len());
        assert_eq!(
            crate::server::catalog::all(&pool).await.unwrap(),
            crate::server::catalog::products()
        );
    }

    #[tokio::test]
    async fn demo_passwords_sign_in_and_wrong_ones_do_not() {
        let pool = db::for_tests().await.unwrap();
        demo_customers(&pool).await.unwrap();
        let demo = &DEMO_CUSTOMERS[0];
        let found = customers::authenticate(&pool, demo.email, demo.password)
            .await
            .unwrap()
            .expect("demo password signs in");
        assert_eq!(found.locale, demo.locale);
        assert_eq!(found.currency, demo.currency);
        // E-mails are matched case-insensitively, passwords exactly.
        assert!(
            customers::authenticate(&pool, &demo.email.to_uppercase(), demo.password)
                .await
                .unwrap()
                .is_some()
        );
        assert!(customers::authenticate(&pool, demo.email, "wrong")
            .await
            .unwrap()
            .is_none());
        assert!(
            customers::authenticate(&pool, "nobody@example.com", demo.password)
                .await
                .unwrap()
                .is_none()
        );
    }
}
