//! The server-side cart of each customer.
//!
//! Every function takes the `CustomerId` of the signed-in session: there is no
//! way to name another customer's cart from the browser.

use sqlx::AnyPool;

use super::catalog;
use super::customers::CustomerId;
use crate::cart::{self, Cart, CartError, CartItem};
use crate::money::Currency;

#[derive(Debug, thiserror::Error)]
pub enum CartStoreError {
    #[error(transparent)]
    Cart(#[from] CartError),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}

pub async fn items(pool: &AnyPool, customer: CustomerId) -> Result<Vec<CartItem>, sqlx::Error> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT product_id, quantity FROM cart_items WHERE customer_id = $1 ORDER BY added_at, product_id",
    )
    .bind(customer.0)
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|(product_id, quantity)| {
            Ok(CartItem {
                product_id,
                quantity: super::db::narrow(quantity, "quantity")?,
            })
        })
        .collect()
}

/// The customer's cart priced in `currency`: the amount a payment will be for.
pub async fn priced(
    pool: &AnyPool,
    customer: CustomerId,
    currency: Currency,
) -> Result<Cart, CartStoreError> {
    let items = items(pool, customer).await?;
    let products = catalog::all(pool).await?;
    Ok(cart::price_cart(&items, &products, currency)?)
}

async fn product_exists(
    conn: &mut sqlx::AnyConnection,
    product_id: &str,
) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar("SELECT 1 FROM products WHERE id = $1")
        .bind(product_id)
        .fetch_optional(conn)
        .await?;
    Ok(found.is_some())
}

/// Adds `quantity` of a product to the cart.
pub async fn add(
    pool: &AnyPool,
    customer: CustomerId,
    product_id: &str,
    quantity: u32,
) -> Result<(), CartStoreError> {
    let mut tx = super::db::write_transaction(pool).await?;
    if !product_exists(&mut tx, product_id).await? {
        return Err(CartError::UnknownProduct(product_id.to_owned()).into());
    }
    // On PostgreSQL, two adds for one customer from two instances take
    // turns on the customer's row (the cart's owner), so neither is lost,
    // even for a line that is not there yet.
    let lock = super::db::for_update(&tx);
    if !lock.is_empty() {
        sqlx::query(&format!("SELECT id FROM customers WHERE id = $1{lock}"))
            .bind(customer.0)
            .execute(&mut *tx)
            .await?;
    }
    let current: Option<i64> = sqlx::query_scalar(
        "SELECT quantity FROM cart_items WHERE customer_id = $1 AND product_id = $2",
    )
    .bind(customer.0)
    .bind(product_id)
    .fetch_optional(&mut *tx)
    .await?;
    let current: u32 = super::db::narrow(current.unwrap_or(0), "quantity")?;
    let wanted = cart::validate_quantity(current.saturating_add(quantity))?;
    upsert(&mut tx, customer, product_id, wanted).await?;
    tx.commit().await?;
    Ok(())
}

/// Sets how many of a product the cart holds; zero removes the line.
pub async fn set_quantity(
    pool: &AnyPool,
    customer: CustomerId,
    product_id: &str,
    quantity: u32,
) -> Result<(), CartStoreError> {
    let mut tx = super::db::write_transaction(pool).await?;
    if !product_exists(&mut tx, product_id).await? {
        return Err(CartError::UnknownProduct(product_id.to_owned()).into());
    }
    if quantity == 0 {
        sqlx::query("DELETE FROM cart_items WHERE customer_id = $1 AND product_id = $2")
            .bind(customer.0)
            .bind(product_id)
            .execute(&mut *tx)
            .await?;
    } else {
        let quantity = cart::validate_quantity(quantity)?;
        upsert(&mut tx, customer, product_id, quantity).await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn upsert(
    conn: &mut sqlx::AnyConnection,
    customer: CustomerId,
    product_id: &str,
    quantity: u32,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO cart_items (customer_id, product_id, quantity, added_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (customer_id, product_id) DO UPDATE SET quantity = excluded.quantity",
    )
    .bind(customer.0)
    .bind(product_id)
    .bind(i64::from(quantity))
    .bind(super::now())
    .execute(conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Money;
    use crate::server::{customers, db, seed};

    async fn shop() -> (AnyPool, CustomerId, CustomerId) {
        let pool = db::for_tests().await.unwrap();
        seed::catalog(&pool).await.unwrap();
        let mut ids = Vec::new();
        for email in ["a@example.com", "b@example.com"] {
            ids.push(
                customers::create(
                    &pool,
                    &customers::NewCustomer {
                        email,
                        name: email,
                        password: Some("pw"),
                        locale: crate::i18n::Locale::En,
                        currency: Currency::Eur,
                        country: "FR",
                    },
                )
                .await
                .unwrap(),
            );
        }
        (pool, ids[0], ids[1])
    }

    #[tokio::test]
    async fn adding_accumulates_and_prices_on_the_server() {
        let (pool, a, _) = shop().await;
        add(&pool, a, "mug", 1).await.unwrap();
        add(&pool, a, "mug", 2).await.unwrap();
        let cart = priced(&pool, a, Currency::Eur).await.unwrap();
        assert_eq!(cart.lines.len(), 1);
        assert_eq!(cart.lines[0].quantity, 3);
        assert_eq!(
            cart.total,
            Money::new(3 * cart.lines[0].unit_price.amount, Currency::Eur)
        );
    }

    #[tokio::test]
    async fn one_customer_never_touches_another_customers_cart() {
        let (pool, a, b) = shop().await;
        add(&pool, a, "mug", 2).await.unwrap();
        add(&pool, b, "beans", 1).await.unwrap();
        // B setting a quantity for the product in A's cart changes only B's cart.
        set_quantity(&pool, b, "mug", 5).await.unwrap();
        set_quantity(&pool, b, "beans", 0).await.unwrap();
        let a_items = items(&pool, a).await.unwrap();
        assert_eq!(
            a_items,
            vec![CartItem {
                product_id: "mug".into(),
                quantity: 2
            }]
        );
        let b_items = items(&pool, b).await.unwrap();
        assert_eq!(
            b_items,
            vec![CartItem {
                product_id: "mug".into(),
                quantity: 5
            }]
        );
    }

    #[tokio::test]
    async fn zero_removes_and_bad_input_changes_nothing() {
        let (pool, a, _) = shop().await;
        add(&pool, a, "mug", 2).await.unwrap();
        assert!(matches!(
            set_quantity(&pool, a, "mug", 100).await,
            Err(CartStoreError::Cart(CartError::InvalidQuantity(100)))
        ));
        assert!(matches!(
            add(&pool, a, "mug", 98).await,
            Err(CartStoreError::Cart(CartError::InvalidQuantity(100)))
        ));
        assert!(matches!(
            add(&pool, a, "no-such-thing", 1).await,
            Err(CartStoreError::Cart(CartError::UnknownProduct(_)))
        ));
        assert_eq!(items(&pool, a).await.unwrap()[0].quantity, 2);
        set_quantity(&pool, a, "mug", 0).await.unwrap();
        assert!(priced(&pool, a, Currency::Usd).await.unwrap().is_empty());
    }
}
