//! The server-side cart of each customer.
//!
//! Every function takes the `CustomerId` of the signed-in session: there is no
//! way to name another customer's cart from the browser.

use sqlx::SqlitePool;

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

pub async fn items(pool: &SqlitePool, customer: CustomerId) -> Result<Vec<CartItem>, sqlx::Error> {
    let rows: Vec<(String, u32)> = sqlx::query_as(
        "SELECT product_id, quantity FROM cart_items WHERE customer_id = ? ORDER BY added_at, product_id",
    )
    .bind(customer.0)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(product_id, quantity)| CartItem {
            product_id,
            quantity,
        })
        .collect())
}

/// The customer's cart priced in `currency`: the amount a payment will be for.
pub async fn priced(
    pool: &SqlitePool,
    customer: CustomerId,
    currency: Currency,
) -> Result<Cart, CartStoreError> {
    let items = items(pool, customer).await?;
    let products = catalog::all(pool).await?;
    Ok(cart::price_cart(&items, &products, currency)?)
}

async fn product_exists(
    conn: &mut sqlx::SqliteConnection,
    product_id: &str,
) -> Result<bool, sqlx::Error> {
    let found: Option<i64> = sqlx::query_scalar("SELECT 1 FROM products WHERE id = ?")
        .bind(product_id)
        .fetch_optional(conn)
        .await?;
    Ok(found.is_some())
}

/// Adds `quantity` of a product to the cart.
pub async fn add(
    pool: &SqlitePool,
    customer: CustomerId,
    product_id: &str,
    quantity: u32,
) -> Result<(), CartStoreError> {
    let mut tx = super::db::write_transaction(pool).await?;
    if !product_exists(&mut tx, product_id).await? {
        return Err(CartError::UnknownProduct(product_id.to_owned()).into());
    }
    let current: Option<u32> = sqlx::query_scalar(
        "SELECT quantity FROM cart_items WHERE customer_id = ? AND product_id = ?",
    )
    .bind(customer.0)
    .bind(product_id)
    .fetch_optional(&mut *tx)
    .await?;
    let current = current.unwrap_or(0);
    let wanted = cart::validate_quantity(current.saturating_add(quantity))?;
    upsert(&mut tx, customer, product_id, wanted).await?;
    tx.commit().await?;
    Ok(())
}

/// Sets how many of a product the cart holds; zero removes the line.
pub async fn set_quantity(
    pool: &SqlitePool,
    customer: CustomerId,
    product_id: &str,
    quantity: u32,
) -> Result<(), CartStoreError> {
    let mut tx = super::db::write_transaction(pool).await?;
    if !product_exists(&mut tx, product_id).await? {
        return Err(CartError::UnknownProduct(product_id.to_owned()).into());
    }
    if quantity == 0 {
        sqlx::query("DELETE FROM cart_items WHERE customer_id = ? AND product_id = ?")
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
    conn: &mut sqlx::SqliteConnection,
    customer: CustomerId,
    product_id: &str,
    quantity: u32,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO cart_items (customer_id, product_id, quantity, added_at) VALUES (?, ?, ?, ?)
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

    async fn shop() -> (SqlitePool, CustomerId, CustomerId) {
        let pool = db::in_memory().await.unwrap();
        seed::catalog(&pool).await.unwrap();
        let mut ids = Vec::new();
        for email in ["a@example.com", "b@example.com"] {
            ids.push(
                customers::create(
                    &pool,
                    &customers::NewCustomer {
                        email,
                        name: email,
                        password: "pw",
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
