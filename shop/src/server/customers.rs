//! Customer accounts: lookup, creation, password checks, and the changes
//! Stripe tells of (a customer updated or deleted there).

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
    /// Closed when its Stripe customer was deleted: nobody signs in to it,
    /// its orders stay for the merchant.
    pub closed: bool,
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
    closed_at: Option<i64>,
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
            closed: row.closed_at.is_some(),
        }
    }
}

const COLUMNS: &str = "id, email, name, locale, currency, country, stripe_customer_id, closed_at";

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

pub async fn find_by_stripe_id(
    pool: &AnyPool,
    stripe_id: &str,
) -> Result<Option<Customer>, sqlx::Error> {
    let row: Option<CustomerRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM customers WHERE stripe_customer_id = $1"
    ))
    .bind(stripe_id)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(Customer::from))
}

/// [`find_by_stripe_id`] and [`find_by_email`] inside a transaction.
pub async fn find_by_stripe_id_in(
    conn: &mut sqlx::AnyConnection,
    stripe_id: &str,
) -> Result<Option<Customer>, sqlx::Error> {
    let row: Option<CustomerRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM customers WHERE stripe_customer_id = $1"
    ))
    .bind(stripe_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(Customer::from))
}

pub async fn find_by_email_in(
    conn: &mut sqlx::AnyConnection,
    email: &str,
) -> Result<Option<Customer>, sqlx::Error> {
    let row: Option<CustomerRow> = sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM customers WHERE lower(email) = lower($1)"
    ))
    .bind(email.trim())
    .fetch_optional(&mut *conn)
    .await?;
    Ok(row.map(Customer::from))
}

/// Links an account that has no Stripe customer yet to `link`'s.
/// `false` if it had one meanwhile.
pub async fn link_stripe_in(
    conn: &mut sqlx::AnyConnection,
    id: CustomerId,
    link: &StripeLink<'_>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE customers SET stripe_customer_id = $1, stripe_linked_by = $2
         WHERE id = $3 AND stripe_customer_id IS NULL",
    )
    .bind(link.customer_id)
    .bind(link.linked_by)
    .bind(id.0)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// New details of a customer account.
pub struct NewCustomer<'a> {
    pub email: &'a str,
    pub name: &'a str,
    /// `None`: the account signs in by e-mailed code only.
    pub password: Option<&'a str>,
    pub locale: Locale,
    pub currency: Currency,
    pub country: &'a str,
}

/// The Stripe customer a new account is linked to, and why that one.
pub struct StripeLink<'a> {
    pub customer_id: &'a str,
    /// How it was picked, kept on the account (`sign-in: 1 of 2 …`).
    pub linked_by: &'a str,
}

/// The stored form of "no password": no Argon2 hash is empty, so no
/// password ever matches it.
const NO_PASSWORD: &str = "";

pub async fn create(pool: &AnyPool, new: &NewCustomer<'_>) -> Result<CustomerId, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    create_in(&mut conn, new, None).await
}

/// Creates an account inside the caller's transaction, linked to a Stripe
/// customer when `link` says which.
pub async fn create_in(
    conn: &mut sqlx::AnyConnection,
    new: &NewCustomer<'_>,
    link: Option<&StripeLink<'_>>,
) -> Result<CustomerId, sqlx::Error> {
    let hash = new
        .password
        .map_or_else(|| NO_PASSWORD.to_owned(), hash_password);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO customers (email, name, password_hash, locale, currency, country, created_at, stripe_customer_id, stripe_linked_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(new.email)
    .bind(new.name)
    .bind(hash)
    .bind(new.locale.code())
    .bind(new.currency.code())
    .bind(new.country)
    .bind(super::now())
    .bind(link.map(|l| l.customer_id))
    .bind(link.map(|l| l.linked_by))
    .fetch_one(&mut *conn)
    .await?;
    Ok(CustomerId(id))
}

/// What Stripe says of a customer now, as the account keeps it.
#[derive(Clone, Debug, PartialEq)]
pub struct StripeDetails {
    pub email: String,
    pub name: String,
    pub locale: Locale,
}

/// How an account changed to follow Stripe.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Followed {
    /// Anything changed (else it was already as Stripe says).
    pub changed: bool,
    /// Its new e-mail is another account's: name and language followed, the
    /// e-mail did not.
    pub email_taken: bool,
}

/// Makes the account follow its Stripe customer's name, e-mail and language.
pub async fn follow_stripe_in(
    conn: &mut sqlx::AnyConnection,
    id: CustomerId,
    details: &StripeDetails,
) -> Result<Followed, sqlx::Error> {
    let taken: Option<i64> =
        sqlx::query_scalar("SELECT id FROM customers WHERE lower(email) = lower($1) AND id <> $2")
            .bind(&details.email)
            .bind(id.0)
            .fetch_optional(&mut *conn)
            .await?;
    // The e-mail follows only where no other account has it.
    let email = match taken {
        Some(_) => None,
        None => Some(details.email.as_str()),
    };
    let changed = sqlx::query(
        "UPDATE customers SET name = $1, locale = $2, email = COALESCE($3, email)
         WHERE id = $4 AND (name <> $1 OR locale <> $2 OR email <> COALESCE($3, email))",
    )
    .bind(&details.name)
    .bind(details.locale.code())
    .bind(email)
    .bind(id.0)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    Ok(Followed {
        changed: changed > 0,
        email_taken: taken.is_some(),
    })
}

/// Closes the account of a deleted Stripe customer: its sessions end at
/// once, its orders stay. `false` if it was already closed.
pub async fn close_in(conn: &mut sqlx::AnyConnection, id: CustomerId) -> Result<bool, sqlx::Error> {
    let closed =
        sqlx::query("UPDATE customers SET closed_at = $1 WHERE id = $2 AND closed_at IS NULL")
            .bind(super::now())
            .bind(id.0)
            .execute(&mut *conn)
            .await?
            .rows_affected();
    sqlx::query("DELETE FROM sessions WHERE customer_id = $1")
        .bind(id.0)
        .execute(&mut *conn)
        .await?;
    Ok(closed == 1)
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
    let row: Option<(i64, String)> = sqlx::query_as(
        "SELECT id, password_hash FROM customers WHERE lower(email) = lower($1) AND closed_at IS NULL",
    )
    .bind(email.trim())
    .fetch_optional(pool)
    .await?;
    // An account without a password costs the same check as anyone else.
    let (id, hash) = match row {
        Some((id, hash)) if hash != NO_PASSWORD => (Some(id), hash),
        _ => (None, passwords::decoy_hash().to_owned()),
    };
    let matches = passwords::check(hash, password.to_owned()).await?;
    match (id, matches) {
        (Some(id), true) => Ok(find(pool, CustomerId(id)).await?),
        _ => Ok(None),
    }
}
