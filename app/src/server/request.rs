//! What a server function knows about the request it serves: the shop's
//! state, the signed-in customer (from the session cookie only) and the
//! reader's locale.

use http::request::Parts;
use leptos::prelude::*;

use super::customers::{self, Customer};
use super::sessions::{self, LOCALE_COOKIE, SESSION_COOKIE};
use super::AppState;
use crate::error::ShopError;
use crate::i18n::Locale;

/// Logs a server-side failure and turns it into the error the browser sees,
/// which carries no internal detail.
pub fn internal(context: &str, err: impl std::fmt::Display) -> ShopError {
    tracing::error!(%err, "{context}");
    ShopError::Unavailable
}

pub fn state() -> Result<AppState, ShopError> {
    use_context::<AppState>().ok_or_else(|| internal("state", "AppState missing from context"))
}

fn parts() -> Option<Parts> {
    use_context::<Parts>()
}

/// The session token the browser presented, if any.
pub fn session_token() -> Option<String> {
    let parts = parts()?;
    sessions::cookie(&parts.headers, SESSION_COOKIE)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

/// The signed-in customer, if the browser holds a live session.
pub async fn current_customer(state: &AppState) -> Result<Option<Customer>, ShopError> {
    let Some(token) = session_token() else {
        return Ok(None);
    };
    let Some(id) = sessions::customer_for(&state.pool, &token)
        .await
        .map_err(|e| internal("session lookup", e))?
    else {
        return Ok(None);
    };
    customers::find(&state.pool, id)
        .await
        .map_err(|e| internal("customer lookup", e))
}

pub async fn require_customer(state: &AppState) -> Result<Customer, ShopError> {
    current_customer(state).await?.ok_or(ShopError::NotSignedIn)
}

/// The locale to render in: the signed-in customer's own, else the one the
/// visitor picked, else their browser's preference, else English.
pub fn locale_for(customer: Option<&Customer>) -> Locale {
    if let Some(customer) = customer {
        return customer.locale;
    }
    let Some(parts) = parts() else {
        return Locale::default();
    };
    sessions::cookie(&parts.headers, LOCALE_COOKIE)
        .and_then(Locale::from_code)
        .or_else(|| {
            parts
                .headers
                .get(http::header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(Locale::from_accept_language)
        })
        .unwrap_or_default()
}

/// Adds a `Set-Cookie` header to the response.
pub fn set_cookie(name: &str, value: &str, max_age_secs: i64, secure: bool) {
    let cookie = sessions::set_cookie(name, value, max_age_secs, secure);
    if let (Some(options), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(&cookie),
    ) {
        options.append_header(http::header::SET_COOKIE, value);
    }
}

/// Whether the request is a plain HTML form post (no JavaScript, or the
/// page's `LiveUpdates` island sending one): it wants a page back, not data.
pub fn wants_html() -> bool {
    parts()
        .and_then(|p| {
            p.headers
                .get(http::header::ACCEPT)?
                .to_str()
                .ok()
                .map(str::to_owned)
        })
        .is_some_and(|accept| accept.contains("text/html"))
}

/// The path (without query) of the page a form was posted from, if that page
/// is on this site; `/` otherwise.
fn referring_path() -> String {
    let referer = parts().and_then(|p| {
        p.headers
            .get(http::header::REFERER)?
            .to_str()
            .ok()
            .map(str::to_owned)
    });
    let Some(referer) = referer else {
        return "/".into();
    };
    // `http://host:port/path?query` → `/path`; the host is this site's, since
    // browsers send a cross-origin Referer as an origin alone (no path).
    let path = match referer.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => referer.as_str(),
    };
    let path = path.split(['?', '#']).next().unwrap_or("/");
    local_path(Some(path)).to_owned()
}

/// Ends a server function that plain forms post to. A form post goes back to
/// the page it came from: on success with `success_query` (`added=mug`, say),
/// on failure with `error=<code>`, which that page shows. Other clients get
/// the result itself.
pub fn form_outcome(
    result: Result<(), ShopError>,
    success_query: Option<String>,
) -> Result<(), ShopError> {
    if !wants_html() {
        return result;
    }
    let query = match &result {
        Ok(()) => success_query,
        Err(error) => Some(format!("error={}", error.code())),
    };
    let back = match query {
        Some(query) => format!("{}?{query}", referring_path()),
        None => referring_path(),
    };
    leptos_axum::redirect(&back);
    Ok(())
}

/// Accepts only a path on this site as a place to go after signing in, so a
/// crafted link cannot send a customer elsewhere.
pub fn local_path(next: Option<&str>) -> &str {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && !path.contains("://") =>
        {
            path
        }
        _ => "/",
    }
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(local_path(Some("/checkout")), "/checkout");
        assert_eq!(local_path(Some("/cart?x=1")), "/cart?x=1");
        assert_eq!(local_path(Some("//evil.example")), "/");
        assert_eq!(local_path(Some("/\\evil.example")), "/");
        assert_eq!(local_path(Some("https://evil.example")), "/");
        assert_eq!(local_path(Some("")), "/");
        assert_eq!(local_path(None), "/");
    }
}
