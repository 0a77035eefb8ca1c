//! Server functions: the only way the browser reads or changes shop data.
//!
//! Each runs on the server. The customer comes from the session cookie, never
//! from an argument, and prices come from the database.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::ShopError;
use shop::cart::{Cart, Product};
use shop::i18n::Locale;
use shop::messages::MessageView;
use shop::money::Currency;

#[cfg(feature = "ssr")]
use crate::request;
#[cfg(feature = "ssr")]
use shop::server::{cart_store, catalog, customers, message_store, seed, sessions};

mod account;
mod sign_in;

pub use account::*;
pub use sign_in::*;

/// Who is browsing, and how to speak to them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub customer: Option<CustomerSummary>,
    pub locale: Locale,
    /// The currency prices are shown in: the customer's own, else the usual
    /// one for the visitor's language.
    pub currency: Currency,
    /// Listed on the sign-in page in demo mode; empty otherwise.
    pub demo_accounts: Vec<DemoAccount>,
    /// E-mails land in the development mailbox (`/dev/mailbox`).
    pub dev_mailbox: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerSummary {
    pub name: String,
    pub email: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DemoAccount {
    pub name: String,
    pub email: String,
    pub password: String,
    pub locale: Locale,
    pub currency: Currency,
    pub has_saved_methods: bool,
}

/// The currency shown to visitors who are not signed in.
pub fn default_currency(locale: Locale) -> Currency {
    match locale {
        Locale::Fr => Currency::Eur,
        Locale::En => Currency::Usd,
    }
}

#[server(endpoint = "session")]
pub async fn get_session() -> Result<SessionInfo, ShopError> {
    let state = request::state()?;
    let customer = request::current_customer(&state).await?;
    let locale = request::locale_for(customer.as_ref());
    let currency = customer
        .as_ref()
        .map(|c| c.currency)
        .unwrap_or_else(|| default_currency(locale));
    let demo_accounts = if state.settings.demo_mode {
        seed::DEMO_CUSTOMERS
            .iter()
            .map(|d| DemoAccount {
                name: d.name.into(),
                email: d.email.into(),
                password: d.password.into(),
                locale: d.locale,
                currency: d.currency,
                has_saved_methods: d.has_saved_methods,
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(SessionInfo {
        customer: customer.map(|c| CustomerSummary {
            name: c.name,
            email: c.email,
        }),
        locale,
        currency,
        demo_accounts,
        dev_mailbox: state.settings.dev_mailbox,
    })
}

#[server(endpoint = "products")]
pub async fn list_products() -> Result<Vec<Product>, ShopError> {
    let state = request::state()?;
    Ok(catalog::all(&state.pool).await?)
}

/// The signed-in customer's cart, priced in their currency; `None` when
/// nobody is signed in.
#[server(endpoint = "cart")]
pub async fn get_cart() -> Result<Option<Cart>, ShopError> {
    let state = request::state()?;
    let Some(customer) = request::current_customer(&state).await? else {
        return Ok(None);
    };
    let cart = cart_store::priced(&state.pool, customer.id, customer.currency)
        .await
        .map_err(cart_error)?;
    Ok(Some(cart))
}

/// Adds one of a product; a form post comes back to its page with
/// `?added=<product>`, which the catalog announces.
#[server(endpoint = "cart/add")]
pub async fn add_to_cart(product_id: String) -> Result<(), ShopError> {
    let state = request::state()?;
    let added = async {
        let customer = request::require_customer(&state).await?;
        cart_store::add(&state.pool, customer.id, &product_id, 1)
            .await
            .map_err(cart_error)
    }
    .await;
    request::form_outcome(added, Some(format!("added={}", encode_query(&product_id))))
}

/// Sets a line's quantity; zero removes it.
#[server(endpoint = "cart/quantity")]
pub async fn set_quantity(product_id: String, quantity: u32) -> Result<(), ShopError> {
    let state = request::state()?;
    let changed = async {
        let customer = request::require_customer(&state).await?;
        cart_store::set_quantity(&state.pool, customer.id, &product_id, quantity)
            .await
            .map_err(cart_error)
    }
    .await;
    request::form_outcome(changed, None)
}

#[cfg(feature = "ssr")]
fn cart_error(err: cart_store::CartStoreError) -> ShopError {
    match err {
        cart_store::CartStoreError::Cart(e) => e.into(),
        cart_store::CartStoreError::Db(e) => e.into(),
    }
}

/// Signs in and goes to `next` (a path on this site). A wrong e-mail or
/// password is not an error of the server: it sends the visitor back to the
/// sign-in page, which says so, with or without JavaScript. Repeated
/// failures, and bursts, are refused before any password is checked
/// (`server::sign_in_guard`): 429 or 503 with `Retry-After`, or for a form
/// post, the sign-in page saying why.
#[server(endpoint = "sign_in")]
pub async fn sign_in(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<(), ShopError> {
    use shop::server::sign_in_guard::{self, Refusal};
    let state = request::state()?;
    let next = request::local_path(next.as_deref()).to_owned();
    // Not an address (or over 254 bytes): refused before anything is stored.
    let Ok(email) = shop::email::EmailAddress::parse(&email) else {
        if request::wants_html() {
            let back = format!("/signin?error=invalid_email&next={}", encode_query(&next));
            request::redirect(&back);
            return Ok(());
        }
        return Err(ShopError::InvalidEmail);
    };
    let keys = sign_in_guard::keys(&email, request::client_ip());
    let now = shop::server::now();
    // A browser that signed in to this account before is not held back by
    // guesses made elsewhere.
    let known_browser = match request::browser() {
        Some(browser) => {
            shop::server::sign_in_codes::is_known_browser(&state.pool, &browser, &email).await?
        }
        None => false,
    };
    let mut refusal = sign_in_guard::check(&state.pool, &keys, now, known_browser).await?;
    let mut customer = None;
    if refusal.is_none() {
        match customers::authenticate(&state.pool, email.as_str(), &password).await {
            Ok(found) => customer = found,
            Err(customers::AuthError::Busy(_)) => {
                refusal = Some(Refusal::Busy {
                    retry_after_secs: 1,
                })
            }
            Err(customers::AuthError::Db(e)) => return Err(e.into()),
        }
    }
    if let Some(refusal) = refusal {
        let (error, retry) = match refusal {
            Refusal::Throttled { retry_after_secs } => (
                ShopError::TooManyAttempts(retry_after_secs),
                retry_after_secs,
            ),
            Refusal::PasswordsPaused { retry_after_secs } => (
                ShopError::PasswordsPaused(retry_after_secs),
                retry_after_secs,
            ),
            Refusal::Busy { retry_after_secs } => {
                (ShopError::Busy(retry_after_secs), retry_after_secs)
            }
        };
        tracing::info!(?refusal, "sign-in refused before checking the password");
        if request::wants_html() {
            request::redirect(&format!(
                "/signin?error={}&next={}",
                error.code(),
                encode_query(&next)
            ));
            return Ok(());
        }
        // 429 or 503, as `ShopError::status` says.
        request::retry_after(retry);
        return Err(error);
    }
    let Some(customer) = customer else {
        tracing::info!("sign-in refused");
        sign_in_guard::record_failure(&state.pool, &keys, now).await?;
        let back = format!("/signin?error=credentials&next={}", encode_query(&next));
        request::redirect(&back);
        return Ok(());
    };
    sign_in_guard::record_success(&state.pool, &keys).await?;
    request::start_session(&state, customer.id).await?;
    request::redirect(&next);
    Ok(())
}

/// Percent-encodes `value` for a query string (`/` kept, for readable paths).
pub fn encode_query(value: &str) -> String {
    use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
    /// RFC 3986's unreserved characters, and `/`, stay as they are.
    const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~')
        .remove(b'/');
    utf8_percent_encode(value, QUERY_VALUE).to_string()
}

#[server(endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), ShopError> {
    let state = request::state()?;
    if let Some(token) = request::session_token() {
        sessions::delete(&state.pool, &token).await?;
    }
    request::set_cookie(
        sessions::SESSION_COOKIE,
        "",
        0,
        state.settings.secure_cookies,
    );
    request::redirect("/");
    Ok(())
}

/// Switches the UI language. A signed-in customer's choice is remembered on
/// their account; a visitor's in a cookie.
#[server(endpoint = "locale")]
pub async fn set_locale(locale: Locale) -> Result<(), ShopError> {
    let state = request::state()?;
    if let Some(customer) = request::current_customer(&state).await? {
        customers::set_locale(&state.pool, customer.id, locale).await?;
    }
    request::set_cookie(
        sessions::LOCALE_COOKIE,
        locale.code(),
        365 * 24 * 3600,
        state.settings.secure_cookies,
    );
    Ok(())
}

/// The signed-in customer's messages, newest first; `None` when signed out.
#[server(endpoint = "messages")]
pub async fn list_messages() -> Result<Option<Vec<MessageView>>, ShopError> {
    let state = request::state()?;
    let Some(customer) = request::current_customer(&state).await? else {
        return Ok(None);
    };
    Ok(Some(
        message_store::for_customer(&state.pool, customer.id).await?,
    ))
}
