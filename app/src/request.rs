//! What a server function knows about the request it serves: the shop's
//! state, the signed-in customer (from the session cookie only) and the
//! reader's locale.

use http::request::Parts;
use leptos::prelude::*;

use crate::error::ShopError;
use shop::i18n::Locale;
use shop::server::customers::{self, Customer, CustomerId};
use shop::server::sessions::{self, LOCALE_COOKIE, SESSION_COOKIE};
use shop::server::sign_in_codes::{self, BrowserId, BROWSER_COOKIE, BROWSER_COOKIE_MAX_AGE};
use shop::server::AppState;

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

/// The client's address: the TCP peer (when the server was started with
/// connection info), or, when the peer is a trusted reverse proxy, the
/// address its `X-Forwarded-For` gives.
pub fn client_ip() -> Option<std::net::IpAddr> {
    let parts = parts()?;
    let peer = parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()?
        .0
        .ip();
    let trusted = use_context::<AppState>()
        .map(|state| state.settings.trusted_proxies.clone())
        .unwrap_or_default();
    let forwarded = parts
        .headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .collect::<Vec<_>>()
        .join(",");
    Some(client_address(peer, &forwarded, &trusted))
}

/// Who sent a request that reached us from `peer`: walking `X-Forwarded-For`
/// from the right (each proxy appends the address it heard from), the first
/// address that is not a trusted proxy. Only a trusted peer's header counts:
/// anyone can send one.
pub fn client_address(
    peer: std::net::IpAddr,
    forwarded_for: &str,
    trusted: &[std::net::IpAddr],
) -> std::net::IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    let mut client = peer;
    for hop in forwarded_for.rsplit(',').map(str::trim) {
        match hop.parse::<std::net::IpAddr>() {
            Ok(address) if trusted.contains(&address) => client = address,
            Ok(address) => return address,
            // A garbled entry: stop at the last address we can trust.
            Err(_) => break,
        }
    }
    client
}

/// Adds `Retry-After: retry_after_secs` to the answer (its status comes
/// from the error, as for every `ShopError`).
pub fn retry_after(retry_after_secs: u64) {
    if let Some(options) = use_context::<leptos_axum::ResponseOptions>() {
        options.insert_header(
            http::header::RETRY_AFTER,
            http::HeaderValue::from(retry_after_secs),
        );
    }
}

/// The signed-in customer, if the browser holds a live session.
pub async fn current_customer(state: &AppState) -> Result<Option<Customer>, ShopError> {
    let Some(token) = session_token() else {
        return Ok(None);
    };
    // A database outage is a 503 (`ShopError::from`), like any query's.
    let Some(id) = sessions::customer_for(&state.pool, &token).await? else {
        return Ok(None);
    };
    let customer = customers::find(&state.pool, id).await?;
    // A closed account's sessions are deleted as it closes; this covers a
    // request already past that point.
    Ok(customer.filter(|c| !c.closed))
}

/// This browser's id (its `shop_browser` cookie), if it has one.
pub fn browser() -> Option<BrowserId> {
    let parts = parts()?;
    sessions::cookie(&parts.headers, BROWSER_COOKIE)
        .filter(|t| !t.is_empty() && t.len() <= 64)
        .map(BrowserId::of)
}

/// This browser's id, given a new cookie first if it has none.
pub fn browser_or_new(state: &AppState) -> BrowserId {
    if let Some(browser) = browser() {
        return browser;
    }
    let (token, browser) = BrowserId::new_token();
    set_cookie(
        BROWSER_COOKIE,
        &token,
        BROWSER_COOKIE_MAX_AGE,
        state.settings.secure_cookies,
    );
    browser
}

/// Signs this browser in to `customer`: a fresh session token (one planted
/// before sign-in is worthless), and the browser remembered as the
/// account's (`sign_in_limits`).
pub async fn start_session(state: &AppState, customer: CustomerId) -> Result<(), ShopError> {
    if let Some(old) = session_token() {
        sessions::delete(&state.pool, &old).await?;
    }
    let token = sessions::create(&state.pool, customer, state.settings.session_ttl_secs).await?;
    set_cookie(
        SESSION_COOKIE,
        token.as_str(),
        state.settings.session_ttl_secs,
        state.settings.secure_cookies,
    );
    let browser = browser_or_new(state);
    sign_in_codes::remember_browser(&state.pool, &browser, customer, shop::server::now()).await?;
    tracing::info!(customer = customer.0, "signed in");
    Ok(())
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

/// The request's `Accept-Language` header, if any.
pub fn accept_language() -> Option<String> {
    parts()?
        .headers
        .get(http::header::ACCEPT_LANGUAGE)?
        .to_str()
        .ok()
        .map(str::to_owned)
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
    redirect(&back);
    Ok(())
}

/// Sends the browser to `path` (a path on this site, already checked) once
/// the server function returns. Never panics on input: a path that cannot be
/// a header value goes to `/` instead.
pub fn redirect(path: &str) {
    let target = if http::HeaderValue::from_str(path).is_ok() {
        path
    } else {
        "/"
    };
    leptos_axum::redirect(target);
}

/// Accepts only an absolute path on this site as a place to go after signing
/// in, so a crafted link cannot send a customer elsewhere: it must start with
/// one `/` (not `//`, which browsers read as another host), and neither it
/// nor its percent-decoded form may hold a backslash (read as `/`), a control
/// character or white space (browsers drop a tab or a newline, and
/// `/<TAB>/evil.example` becomes `//evil.example`).
pub fn local_path(next: Option<&str>) -> &str {
    match next {
        Some(path) if is_local_path(path) && is_local_path(&percent_decoded(path)) => path,
        _ => "/",
    }
}

fn is_local_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains('\\')
        && !path.chars().any(|c| c.is_control() || c.is_whitespace())
}

/// `%XX` sequences decoded (bytes that do not form UTF-8 become U+FFFD).
fn percent_decoded(path: &str) -> std::borrow::Cow<'_, str> {
    percent_encoding::percent_decode_str(path).decode_utf8_lossy()
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(local_path(Some("/checkout")), "/checkout");
        assert_eq!(local_path(Some("/cart?x=1")), "/cart?x=1");
        assert_eq!(
            local_path(Some("/search?u=https://example.com")),
            "/search?u=https://example.com"
        );
        assert_eq!(local_path(Some("/caf%C3%A9")), "/caf%C3%A9");
        for crafted in [
            "//evil.example",
            "/\\evil.example",
            "https://evil.example",
            "/\t/evil.example/",
            "/\n/evil.example",
            "/\r\nLocation: x",
            "/\u{7f}",
            "/ /evil.example",
            "/%2F/evil.example",
            "/%2f%2fevil.example",
            "/%5Cevil.example",
            "/%09/evil.example",
            "/%0d%0aSet-Cookie:x",
            "\\evil.example",
            "evil.example",
            "",
        ] {
            assert_eq!(local_path(Some(crafted)), "/", "{crafted:?}");
        }
        assert_eq!(local_path(None), "/");
    }
}

#[cfg(test)]
mod client_address_tests {
    use super::client_address;

    #[test]
    fn only_a_trusted_proxys_forwarded_for_names_the_client() {
        let proxy: std::net::IpAddr = "10.0.0.2".parse().unwrap();
        let client: std::net::IpAddr = "203.0.113.7".parse().unwrap();
        let trusted = [proxy];
        // Straight from the client: its own header is ignored.
        assert_eq!(client_address(client, "198.51.100.1", &trusted), client);
        // Through the proxy: the address the proxy heard from.
        assert_eq!(client_address(proxy, "203.0.113.7", &trusted), client);
        // A forged left part is not believed: the rightmost untrusted hop is.
        assert_eq!(
            client_address(proxy, "198.51.100.1, 203.0.113.7", &trusted),
            client
        );
        // Nothing usable: the proxy itself.
        assert_eq!(client_address(proxy, "", &trusted), proxy);
        assert_eq!(client_address(proxy, "garbage", &trusted), proxy);
        // No trusted proxies configured: always the peer.
        assert_eq!(client_address(proxy, "203.0.113.7", &[]), proxy);
    }
}
