//! Server functions of signing in by e-mailed code, and of opening an
//! account (the backend's `sign_in_codes`, `sign_in_limits` and `accounts`).
//!
//! Every one of them is a plain form's action: a form post gets a redirect
//! (to the next step, or back to its page with `?error=<code>`), any other
//! client the result itself (`ShopError` with its status: 400, 401, 403,
//! 429 with `Retry-After`).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::ShopError;

#[cfg(feature = "ssr")]
use crate::api::encode_query;
#[cfg(feature = "ssr")]
use crate::request;
#[cfg(feature = "ssr")]
use shop::email::EmailAddress;
#[cfg(feature = "ssr")]
use shop::server::{accounts, sign_in_codes, sign_in_limits};

/// Ends a step that failed: a form post goes to `page` saying why
/// (`error=<code>`, and `extra` query pairs), any other client gets `error`.
#[cfg(feature = "ssr")]
fn refuse(
    page: &str,
    code: &str,
    extra: &str,
    next: &str,
    error: ShopError,
) -> Result<(), ShopError> {
    if let ShopError::TooManyAttempts(secs) = error {
        request::retry_after(secs);
    }
    if request::wants_html() {
        let join = if page.contains('?') { '&' } else { '?' };
        request::redirect(&format!(
            "{page}{join}error={code}{extra}&next={}",
            encode_query(next)
        ));
        return Ok(());
    }
    Err(error)
}

#[cfg(feature = "ssr")]
fn refusal_error(refusal: sign_in_codes::Refusal) -> ShopError {
    ShopError::CodeRefused(refusal.code().to_owned())
}

/// E-mails a sign-in code (and a link carrying it) to `email`, for this
/// browser, and goes on to the page where it is typed. The same answer for
/// every address, with or without an account: nobody learns which have one.
#[server(endpoint = "sign_in/code")]
pub async fn request_sign_in_code(email: String, next: Option<String>) -> Result<(), ShopError> {
    let state = request::state()?;
    let next = request::local_path(next.as_deref()).to_owned();
    let Ok(email) = EmailAddress::parse(&email) else {
        return refuse(
            "/signin",
            "invalid_email",
            "",
            &next,
            ShopError::InvalidEmail,
        );
    };
    let browser = request::browser_or_new(&state);
    let known = sign_in_codes::is_known_browser(&state.pool, &browser, &email).await?;
    let counters = sign_in_limits::code_requests(&email, request::client_ip(), known);
    let now = shop::server::now();
    // Counted only if every limit allows it: a refused request (rolled
    // back) uses up nothing, so strangers refused cannot eat into what the
    // address's owner may still ask for.
    let mut tx = shop::server::db::write_transaction(&state.pool).await?;
    let over = sign_in_limits::count(&mut tx, &counters, now).await?;
    if over.is_none() {
        tx.commit().await?;
    }
    if let Some(wait) = over {
        tracing::info!(wait, "sign-in code refused: too many asked for");
        let error = ShopError::TooManyAttempts(wait);
        return refuse("/signin", error.code(), "", &next, error);
    }
    let locale = request::locale_for(None);
    sign_in_codes::issue(&state.pool, &browser, &email, locale, now).await?;
    tracing::info!("sign-in code e-mailed");
    request::redirect(&format!("/signin/code?next={}", encode_query(&next)));
    Ok(())
}

/// Checks the code typed in this browser and signs in: to the address's
/// account, to one made from its Stripe customer, or on to naming a new one.
#[server(endpoint = "sign_in/verify")]
pub async fn verify_sign_in_code(code: String, next: Option<String>) -> Result<(), ShopError> {
    use sign_in_codes::Refusal;
    let state = request::state()?;
    let next = request::local_path(next.as_deref()).to_owned();
    let page = "/signin/code";
    let no_code = Refusal::NoCode;
    let Some(browser) = request::browser() else {
        return refuse(page, no_code.code(), "", &next, refusal_error(no_code));
    };
    let Some(email) = sign_in_codes::email_of(&state.pool, &browser).await? else {
        return refuse(page, no_code.code(), "", &next, refusal_error(no_code));
    };
    let known = sign_in_codes::is_known_browser(&state.pool, &browser, &email).await?;
    let counters = sign_in_limits::wrong_codes(&email, request::client_ip(), known);
    let now = shop::server::now();
    let mut conn = state.pool.acquire().await?;
    if let Some(wait) = sign_in_limits::blocked(&mut conn, &counters, now).await? {
        drop(conn);
        let error = ShopError::TooManyAttempts(wait);
        return refuse(page, error.code(), "", &next, error);
    }
    drop(conn);
    let email = match sign_in_codes::check_code(&state.pool, &browser, &code, now).await? {
        Ok(email) => email,
        Err(refusal) => {
            if matches!(
                refusal,
                Refusal::Wrong { .. } | Refusal::Dead | Refusal::Replaced
            ) {
                let mut tx = shop::server::db::write_transaction(&state.pool).await?;
                sign_in_limits::count(&mut tx, &counters, now).await?;
                tx.commit().await?;
            }
            tracing::info!(refusal = refusal.code(), "sign-in code refused");
            let extra = match refusal {
                Refusal::Wrong { tries_left } => format!("&tries={tries_left}"),
                _ => String::new(),
            };
            return refuse(page, refusal.code(), &extra, &next, refusal_error(refusal));
        }
    };
    enter(&state, &browser, &email, page, &next, now).await
}

/// Signs in from the link of the e-mail, in the browser that asked for it.
#[server(endpoint = "sign_in/link")]
pub async fn follow_sign_in_link(token: String, next: Option<String>) -> Result<(), ShopError> {
    let state = request::state()?;
    let next = request::local_path(next.as_deref()).to_owned();
    let now = shop::server::now();
    // Bounded before it goes into an address.
    let page = match token.len() {
        1..=64 => format!("/signin/link?token={}", encode_query(&token)),
        _ => "/signin/link".to_owned(),
    };
    let refused = |refusal: sign_in_codes::Refusal| {
        tracing::info!(refusal = refusal.code(), "sign-in link refused");
        refuse(&page, refusal.code(), "", &next, refusal_error(refusal))
    };
    // Without this browser's cookie, the link was asked for elsewhere.
    let Some(browser) = request::browser() else {
        return refused(sign_in_codes::Refusal::OtherBrowser);
    };
    match sign_in_codes::check_link(&state.pool, Some(&browser), &token, now).await? {
        Ok(email) => enter(&state, &browser, &email, &page, &next, now).await,
        Err(refusal) => refused(refusal),
    }
}

/// The proven address goes in (`accounts::enter`).
#[cfg(feature = "ssr")]
async fn enter(
    state: &shop::server::AppState,
    browser: &sign_in_codes::BrowserId,
    email: &EmailAddress,
    page: &str,
    next: &str,
    now: i64,
) -> Result<(), ShopError> {
    let locale = request::locale_for(None);
    match accounts::enter(state, browser, email, locale, now).await? {
        Ok(accounts::Entry::SignedIn(customer)) => {
            request::start_session(state, customer).await?;
            request::redirect(next);
            Ok(())
        }
        Ok(accounts::Entry::NeedsName) => {
            request::redirect(&format!("/signin/welcome?next={}", encode_query(next)));
            Ok(())
        }
        Ok(accounts::Entry::Closed) => {
            tracing::info!("sign-in to a closed account refused");
            refuse(page, "account_closed", "", next, ShopError::AccountClosed)
        }
        Err(refusal) => refuse(page, refusal.code(), "", next, refusal_error(refusal)),
    }
}

/// Opens the account of the address this browser just proved, with the
/// name and country given, and signs in.
#[server(endpoint = "sign_in/open_account")]
pub async fn open_account(
    name: String,
    country: String,
    next: Option<String>,
) -> Result<(), ShopError> {
    let state = request::state()?;
    let next = request::local_path(next.as_deref()).to_owned();
    let page = "/signin/welcome";
    let Some(name) = accounts::valid_name(&name) else {
        return refuse(page, "invalid_name", "", &next, ShopError::InvalidName);
    };
    let Some(country) = shop::countries::find(&country) else {
        return refuse(
            page,
            "invalid_country",
            "",
            &next,
            ShopError::InvalidCountry,
        );
    };
    let no_code = sign_in_codes::Refusal::NoCode;
    let Some(browser) = request::browser() else {
        return refuse("/signin", no_code.code(), "", &next, refusal_error(no_code));
    };
    let locale = request::locale_for(None);
    let now = shop::server::now();
    match accounts::complete_sign_up(&state, &browser, &name, country, locale, now).await? {
        Ok(customer) => {
            request::start_session(&state, customer).await?;
            request::redirect(&next);
            Ok(())
        }
        Err(refusal) => refuse("/signin", refusal.code(), "", &next, refusal_error(refusal)),
    }
}

/// What the code page shows: the address a code was sent to, while this
/// browser has one waiting.
#[server(endpoint = "sign_in/pending")]
pub async fn get_pending_sign_in() -> Result<Option<String>, ShopError> {
    let state = request::state()?;
    let Some(browser) = request::browser() else {
        return Ok(None);
    };
    let email = sign_in_codes::pending(&state.pool, &browser, shop::server::now()).await?;
    Ok(email.map(|e| e.to_string()))
}

/// What the new-account page needs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SignUp {
    /// The address this browser proved.
    pub email: String,
    /// The country to propose, from the browser's language.
    pub country: String,
}

#[server(endpoint = "sign_in/sign_up")]
pub async fn get_sign_up() -> Result<Option<SignUp>, ShopError> {
    let state = request::state()?;
    let Some(browser) = request::browser() else {
        return Ok(None);
    };
    let now = shop::server::now();
    let Some(email) = sign_in_codes::verified_without_account(&state.pool, &browser, now).await?
    else {
        return Ok(None);
    };
    let locale = request::locale_for(None);
    let country = request::accept_language()
        .and_then(|header| shop::countries::from_accept_language(&header))
        .unwrap_or_else(|| shop::countries::for_locale(locale));
    Ok(Some(SignUp {
        email: email.to_string(),
        country: country.code.to_owned(),
    }))
}

/// What the link page shows before the visitor confirms: the address, if
/// the link is this browser's and live, else why not.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SignInLink {
    pub email: Option<String>,
    /// A `sign_in_codes::Refusal` code.
    pub refusal: Option<String>,
}

#[server(endpoint = "sign_in/link_info")]
pub async fn get_sign_in_link(token: String) -> Result<SignInLink, ShopError> {
    let state = request::state()?;
    let browser = request::browser();
    let now = shop::server::now();
    Ok(
        match sign_in_codes::check_link(&state.pool, browser.as_ref(), &token, now).await? {
            Ok(email) => SignInLink {
                email: Some(email.to_string()),
                refusal: None,
            },
            Err(refusal) => SignInLink {
                email: None,
                refusal: Some(refusal.code().to_owned()),
            },
        },
    )
}
