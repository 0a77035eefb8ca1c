//! Protections every response or request goes through, as axum layers:
//! cross-site request refusal, and the security headers the pages need.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The path Stripe posts to: authenticated by its signature, never by a
/// browser's cookies, so cross-site checks do not apply.
const WEBHOOK_PATH: &str = "/webhooks/stripe";

/// `scheme://host[:port]` of a URL, lower-cased; `None` if it has no scheme.
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    (!host.is_empty()).then(|| format!("{}://{}", scheme, host).to_ascii_lowercase())
}

/// Refuses (403) a state-changing request a browser sent on behalf of
/// another site, whatever cookies it carries: login CSRF, a cart changed by
/// a form on another port of the host, a sign-out forced from elsewhere.
///
/// Browsers say where a request comes from in `Sec-Fetch-Site`; only
/// `same-origin` (and `none`, a request the person made themselves) pass:
/// `same-site` covers other ports and sibling subdomains, which are not this
/// shop. Browsers without that header still send `Origin` on a POST, which
/// must then be the shop's own. A request with neither is not from a
/// browser's page (curl, Stripe's SDKs, tests) and carries no ambient
/// cookie to abuse, so it passes.
pub async fn refuse_cross_site(
    State(own_origin): State<String>,
    request: Request,
    next: Next,
) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if safe || request.uri().path() == WEBHOOK_PATH {
        return next.run(request).await;
    }
    let headers = request.headers();
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    let allowed = match (fetch_site, origin) {
        (Some(site), _) => matches!(site, "same-origin" | "none"),
        (None, Some(origin)) => origin.eq_ignore_ascii_case(&own_origin),
        (None, None) => true,
    };
    if allowed {
        return next.run(request).await;
    }
    tracing::warn!(
        method = %request.method(),
        path = request.uri().path(),
        fetch_site,
        origin,
        "cross-site request refused"
    );
    (
        StatusCode::FORBIDDEN,
        "This request came from another site and was refused.",
    )
        .into_response()
}

/// Headers the shop's answers carry, besides the Content-Security-Policy that
/// each page sets with its own nonce.
#[derive(Clone, Debug)]
pub struct SecurityHeaders {
    /// `Permissions-Policy`: the Payment Request API for this page and the
    /// Stripe.js origin only (its frames ask for it with `allow="payment"`).
    pub permissions_policy: HeaderValue,
    /// `Strict-Transport-Security`, when the shop is served over HTTPS.
    pub hsts: Option<HeaderValue>,
}

impl SecurityHeaders {
    pub fn new(stripe_js_url: &str, https: bool) -> Self {
        let stripe = origin_of(stripe_js_url).unwrap_or_default();
        let policy =
            format!("payment=(self \"{stripe}\"), camera=(), microphone=(), geolocation=()");
        Self {
            permissions_policy: HeaderValue::from_str(&policy)
                .unwrap_or_else(|_| HeaderValue::from_static("payment=(self)")),
            hsts: https.then(|| HeaderValue::from_static("max-age=31536000; includeSubDomains")),
        }
    }
}

pub async fn security_headers(
    State(config): State<SecurityHeaders>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let mut set = |name, value: HeaderValue| {
        if !headers.contains_key(&name) {
            headers.insert(name, value);
        }
    };
    set(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // No path or query of ours (the return page's carries a client secret) leaves the site.
    set(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    set(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // No other site's window keeps a handle on ours, but the popups that
    // Stripe.js opens for some methods (Link, wallets) keep theirs on us: the
    // value Stripe supports (it does not support `same-origin` isolation).
    // It also spares a fresh tab the browsing-context-group swap that
    // `same-origin` costs its first navigation (docs/benchmarks.md).
    set(
        header::HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin-allow-popups"),
    );
    set(
        header::HeaderName::from_static("permissions-policy"),
        config.permissions_policy.clone(),
    );
    if let Some(hsts) = &config.hsts {
        set(header::STRICT_TRANSPORT_SECURITY, hsts.clone());
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_scheme_and_authority() {
        assert_eq!(
            origin_of("https://Shop.example/path?q").as_deref(),
            Some("https://shop.example")
        );
        assert_eq!(
            origin_of("http://127.0.0.1:3000").as_deref(),
            Some("http://127.0.0.1:3000")
        );
        assert_eq!(origin_of("/relative"), None);
    }

    #[test]
    fn payment_is_allowed_to_the_stripe_origin_only() {
        let h = SecurityHeaders::new("https://js.stripe.com/endive/stripe.js", true);
        assert_eq!(
            h.permissions_policy.to_str().unwrap(),
            "payment=(self \"https://js.stripe.com\"), camera=(), microphone=(), geolocation=()"
        );
        assert!(h.hsts.is_some());
        assert!(SecurityHeaders::new("http://127.0.0.1:12111/v3/", false)
            .hsts
            .is_none());
    }
}
