//! Customer accounts: lookup and password checks.

use sqlx::AnyPool;

use super::passwords;
pub use super::passwords::{hash_password, verify_password};

use crate::i18n::Locale;
use crate::money::Currency;

/// A customer's primary key. Only the server ever holds one: the browser is
/// identified by its session cookie, never by an id it could change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CustomerId(pub i64);

#[derive(Clone, Debug, PartialEq)]
pub struct Customer {
    pub id: CustomerId,
    pub email: String,
    pub name: String,
    pub locale: Locale,
    pub currency: Currency,
    pub country: String,
    pub stripe_customer_id: Option<String>,
}

#[derive(sqlx::FromRow)]
struct CustomerRow {
    id: i64,
    email: String,
    name: String,
    locale: Locale,
    currency: Currency,
    country: String,
    stripe_customer_id: Option<String>,
}

impl From<CustomerRow> for Customer {
    fn from(row: CustomerRow) -> Self {
        Customer {
            id: CustomerId(row.id),
            email: row.email,
            name: row.name,
            locale: row.locale,
            currency: row.currency,
            country: row.country,
            stripe_customer_id: row.stripe_customer_id,
        }
    }
}

const COLUMNS: &str = "id, email, name, locale, currency, country, stripe_customer_id";

pub async fn find(pool: &AnyPool, id: CustomerId) -> Result<Option<Customer>, sqlx::Error> {
    let row: Option<CustomerRow> =
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM customers WHERE id = $1"))
            .bind(id.0)
            .fetch_optional(pool)
            .await?;
    Ok(row.map(Customer::from))
}

pub async fn find_by_email(pool: &AnyPool, email: &str) -> Result<Option<Customer>, sqlx::Error> {
    let row: Option<CustomerRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM customers WHERE lower(email) = lower($1)"
    ))
    .bind(email.trim())
    .fetch_optional(pool)
    .await?;
    Ok(row.map(Customer::from))
}

/// New details of a customer account.
pub struct NewCustomer<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub password: &'a str,
    pub locale: Locale,
    pub currency: Currency,
    pub country: &'a str,
}

pub async fn create(pool: &AnyPool, new: &NewCustomer<'_>) -> Result<CustomerId, sqlx::Error> {
    let hash = hash_password(new.password);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO customers (email, name, password_hash, locale, currency, country, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(new.email)
    .bind(new.name)
    .bind(hash)
    .bind(new.locale.code())
    .bind(new.currency.code())
    .bind(new.country)
    .bind(super::now())
    .fetch_one(pool)
    .await?;
    Ok(CustomerId(id))
}

/// Remembers the customer's Stripe customer, unless one is already set (two
/// first checkouts at once get the same one from Stripe anyway).
pub async fn set_stripe_customer_id(
    pool: &AnyPool,
    customer: CustomerId,
    stripe_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE customers SET stripe_customer_id = $1 WHERE id = $2 AND stripe_customer_id IS NULL",
    )
    .bind(stripe_id)
    .bind(customer.0)
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn set_locale(pool: &AnyPool, id: CustomerId, locale: Locale) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE customers SET locale = $1 WHERE id = $2")
        .bind(locale.code())
        .bind(id.0)
        .execute(pool)
        .await?;
    Ok(())
}

/// Why a sign-in could not be decided.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Busy(#[from] passwords::Busy),
}

/// The customer whose e-mail and password these are, if any.
///
/// An unknown e-mail costs the same hash verification as a wrong password, so
/// timing does not reveal which e-mails have accounts.
pub async fn authenticate(
    pool: &AnyPool,
    email: &str,
    password: &str,
) -> Result<Option<Customer>, AuthError> {
    let row: Option<(i64, String)> =
        sqlx::query_as("SELECT id, password_hash FROM customers WHERE lower(email) = lower($1)")
            .bind(email.trim())
            .fetch_optional(pool)
            .await?;
    let (id, hash) = match row {
        Some((id, hash)) => (Some(id), hash),
        None => (None, passwords::decoy_hash().to_owned()),
    };
    let matches = passwords::check(hash, password.to_owned()).await?;
    match (id, matches) {
        (Some(id), true) => Ok(find(pool, CustomerId(id)).await?),
        _ => Ok(None),
    }
}
