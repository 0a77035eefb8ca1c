//! The Content-Security-Policy of every page: scripts only from this site
//! (the hydration scripts by their per-request nonce) and from the configured
//! Stripe.js origin; frames and API calls only to Stripe's.

use leptos::prelude::*;

use shop::server::AppState;

/// `scheme://host[:port]` of a URL.
fn origin(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let host = rest.split('/').next().unwrap_or(rest);
    format!("{scheme}://{host}")
}

/// The policy for Stripe.js at `js_url` talking to the API at `api_base`.
pub fn policy(nonce: &str, js_url: &str, api_base: &str) -> String {
    let js = origin(js_url);
    let api = origin(api_base);
    // What Stripe documents for Stripe.js: scripts and frames from
    // js.stripe.com and its subdomains, 3-D Secure frames from
    // hooks.stripe.com, calls to api.stripe.com (and m.stripe.network, its
    // fraud signals). See docs/stripe.md.
    let (scripts, frames, connect) = if js.contains("stripe.com") {
        (
            format!("{js} https://*.js.stripe.com"),
            format!("{js} https://*.js.stripe.com https://hooks.stripe.com"),
            format!("{api} https://m.stripe.network"),
        )
    } else {
        (js.clone(), js.clone(), api)
    };
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval' {scripts}; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data:; frame-src {frames}; connect-src 'self' {connect}; form-action 'self'; \
         frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
    )
}

/// Sets the header on the page being rendered. Called from inside the
/// page (the app state is not yet in context when the root renders).
pub fn content_security_policy() {
    let (Some(nonce), Some(response), Some(state)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
        use_context::<AppState>(),
    ) else {
        return;
    };
    let settings = state.stripe.settings();
    if let Ok(value) = http::HeaderValue::from_str(&policy(
        &nonce.to_string(),
        &settings.js_url,
        &settings.api_base,
    )) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

#[cfg(test)]
mod tests {
    use super::policy;

    #[test]
    fn allows_exactly_the_configured_stripe() {
        let emulator = policy(
            "abc",
            "http://127.0.0.1:12111/v3/",
            "http://127.0.0.1:12111",
        );
        assert!(emulator
            .contains("script-src 'self' 'nonce-abc' 'wasm-unsafe-eval' http://127.0.0.1:12111;"));
        assert!(emulator.contains("frame-src http://127.0.0.1:12111;"));
        assert!(emulator.contains("connect-src 'self' http://127.0.0.1:12111;"));
        assert!(!emulator.contains("stripe.com"));
        let stripe = policy(
            "n",
            "https://js.stripe.com/endive/stripe.js",
            "https://api.stripe.com",
        );
        assert!(stripe.contains(
            "script-src 'self' 'nonce-n' 'wasm-unsafe-eval' https://js.stripe.com https://*.js.stripe.com;"
        ));
        assert!(stripe.contains(
            "frame-src https://js.stripe.com https://*.js.stripe.com https://hooks.stripe.com;"
        ));
        assert!(
            stripe.contains("connect-src 'self' https://api.stripe.com https://m.stripe.network;")
        );
        assert!(!stripe.contains("127.0.0.1"));
        // One line, as a header must be.
        for p in [&emulator, &stripe] {
            assert!(http::HeaderValue::from_str(p).is_ok(), "{p:?}");
            assert!(!p.contains('\\') && !p.contains('\n'));
        }
    }
}
