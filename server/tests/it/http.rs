//! The shop's HTTP surface, driven through `app()` with `tower::ServiceExt::oneshot`:
//! rendering, sign-in by plain form post, the session rules and the cart.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use server::{app, build_state, Config};
use tower::ServiceExt;

use crate::support;

async fn shop() -> Router {
    shop_and_stripe().await.0
}

/// The shop, and what keeps its embedded Stripe emulator running (for the
/// tests that reach the checkout).
async fn shop_and_stripe() -> (Router, server::Started) {
    let _ = tracing_subscriber::fmt().with_test_writer().try_init();
    let database = support::test_database().await;
    let config = Config::from_lookup(|name| match name {
        "DATABASE_URL" => Some(database.url.clone()),
        "STRIPE_EMULATOR_STATE" => database.emulator_state.clone(),
        "STRIPE_EMULATOR_ADDR" => Some("127.0.0.1:0".into()),
        _ => None,
    })
    .unwrap();
    let started = build_state(&config).await.unwrap();
    (app(started.state.clone()), started)
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Reply {
    fn header(&self, name: header::HeaderName) -> &str {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap())
            .unwrap_or("")
    }

    /// The nonce the page's Content-Security-Policy allows scripts by.
    fn nonce(&self) -> String {
        self.header(header::CONTENT_SECURITY_POLICY)
            .split("'nonce-")
            .nth(1)
            .and_then(|r| r.split('\'').next())
            .expect("a nonce")
            .to_owned()
    }

    /// The `name=value` of the session cookie this reply sets, if any.
    fn session_cookie(&self) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap())
            .find(|c| c.starts_with("shop_session=") && !c.starts_with("shop_session=;"))
            .map(|c| c.split(';').next().unwrap().to_owned())
    }
}

async fn send(app: &Router, request: Request<Body>) -> Reply {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Reply {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

fn get(path: &str, cookie: Option<&str>) -> Request<Body> {
    let mut builder = Request::get(path).header(header::ACCEPT, "text/html");
    if let Some(cookie) = cookie {
        builder = builder.header(header::COOKIE, cookie);
    }
    builder.body(Body::empty()).unwrap()
}

/// A plain HTML form post, as a browser without JavaScript sends it.
fn form_post(path: &str, body: &str, cookie: Option<&str>) -> Request<Body> {
    let mut builder = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header(header::REFERER, "http://127.0.0.1:3000/cart");
    if let Some(cookie) = cookie {
        builder = builder.header(header::COOKIE, cookie);
    }
    builder.body(Body::from(body.to_owned())).unwrap()
}

async fn sign_in(app: &Router, email: &str, password: &str) -> String {
    let reply = send(
        app,
        form_post(
            "/api/sign_in",
            &format!("email={email}&password={password}&next=/cart"),
            None,
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::FOUND);
    assert_eq!(reply.header(header::LOCATION), "/cart");
    reply.session_cookie().expect("a session cookie")
}

#[tokio::test]
async fn the_catalog_is_rendered_on_the_server_with_security_headers() {
    let app = shop().await;
    let reply = send(&app, get("/", None)).await;
    assert_eq!(reply.status, StatusCode::OK);
    for name in ["Pour-over kit", "Stoneware mug", "Hand grinder", "$36.00"] {
        assert!(reply.body.contains(name), "missing {name}");
    }
    assert!(reply.body.contains("<html lang=\"en\">"));
    // Nothing to do in the browser for a visitor: no island, no WebAssembly.
    assert!(!reply.body.contains("leptos-island"));
    assert!(!reply.body.contains(".wasm"), "no islands' bundle");
    assert_eq!(reply.header(header::X_CONTENT_TYPE_OPTIONS), "nosniff");
    assert_eq!(reply.header(header::CACHE_CONTROL), "no-store");
    // The policy names the nonce the page's own scripts carry, and the emulator as Stripe.
    let csp = reply.header(header::CONTENT_SECURITY_POLICY);
    let nonce = reply.nonce();
    assert_eq!(
        reply.body.matches("<script").count(),
        reply
            .body
            .matches(&format!("<script nonce=\"{nonce}\""))
            .count(),
        "every script carries the nonce"
    );
    assert!(csp.contains("frame-ancestors 'none'"));
    assert!(csp.contains("frame-src http://127.0.0.1:"));
    assert_eq!(reply.header(header::X_FRAME_OPTIONS), "DENY");
    assert_eq!(reply.header(header::REFERRER_POLICY), "same-origin");
}

#[tokio::test]
async fn a_signed_in_catalog_loads_its_island_with_the_pages_nonce() {
    let app = shop().await;
    let jordan = sign_in(&app, "jordan@example.com", "jordan-demo").await;
    let reply = send(&app, get("/", Some(&jordan))).await;
    let nonce = reply.nonce();
    assert!(reply.body.contains("<leptos-island"));
    // Without a build, the bundle keeps its plain names.
    assert!(reply.body.contains(&format!(
        "<script async=\"\" nonce=\"{nonce}\" type=\"module\">import init,*as islands from'/pkg/shop.js'"
    )));
    assert!(
        reply.body.contains("data-enhance"),
        "forms the island sends"
    );
}

#[tokio::test]
async fn a_french_browser_gets_french_and_euros() {
    let app = shop().await;
    let request = Request::get("/")
        .header(header::ACCEPT_LANGUAGE, "fr-FR,fr;q=0.9,en;q=0.5")
        .body(Body::empty())
        .unwrap();
    let reply = send(&app, request).await;
    assert!(reply.body.contains("<html lang=\"fr\">"));
    assert!(reply.body.contains("Kit café filtre"), "{}", reply.body);
    assert!(reply.body.contains("34,00\u{a0}€"));
}

#[tokio::test]
async fn health_and_not_found() {
    let (app, started) = shop_and_stripe().await;
    let reply = send(&app, get("/healthz", None)).await;
    assert_eq!((reply.status, reply.body.as_str()), (StatusCode::OK, "ok"));
    let reply = send(&app, get("/readyz", None)).await;
    assert_eq!((reply.status, reply.body.as_str()), (StatusCode::OK, "ok"));
    let reply = send(&app, get("/no/such/page", None)).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(reply.body.contains("Page not found"));
    // Without its database the instance is alive but not ready.
    started.state.pool.close().await;
    assert_eq!(
        send(&app, get("/healthz", None)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        send(&app, get("/readyz", None)).await.status,
        StatusCode::SERVICE_UNAVAILABLE
    );
}

#[tokio::test]
async fn signing_in_sets_an_http_only_lax_cookie() {
    let app = shop().await;
    let reply = send(
        &app,
        form_post(
            "/api/sign_in",
            "email=jordan@example.com&password=jordan-demo&next=/",
            None,
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::FOUND);
    let cookie = reply
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("shop_session="))
        .unwrap();
    assert!(cookie.contains("HttpOnly"));
    assert!(cookie.contains("SameSite=Lax"));
    assert!(cookie.contains("Path=/"));
    let session = reply.session_cookie().unwrap();
    let page = send(&app, get("/", Some(&session))).await;
    assert!(page.body.contains("Jordan Smith"));
}

#[tokio::test]
async fn a_wrong_password_goes_back_to_the_sign_in_page_without_a_session() {
    let app = shop().await;
    let reply = send(
        &app,
        form_post(
            "/api/sign_in",
            "email=jordan@example.com&password=nope&next=/checkout",
            None,
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::FOUND);
    assert_eq!(
        reply.header(header::LOCATION),
        "/signin?error=credentials&next=/checkout"
    );
    assert_eq!(reply.session_cookie(), None);
    let page = send(&app, get("/signin?error=credentials", None)).await;
    assert!(page.body.contains("Wrong e-mail or password."));
}

#[tokio::test]
async fn an_offsite_next_is_replaced_by_the_home_page() {
    let app = shop().await;
    let reply = send(
        &app,
        form_post(
            "/api/sign_in",
            "email=jordan@example.com&password=jordan-demo&next=//evil.example/",
            None,
        ),
    )
    .await;
    assert_eq!(reply.header(header::LOCATION), "/");
}

#[tokio::test]
async fn carts_belong_to_the_session_and_nobody_else() {
    let app = shop().await;
    let jordan = sign_in(&app, "jordan@example.com", "jordan-demo").await;
    let aoife = sign_in(&app, "aoife@example.ie", "aoife-demo").await;

    let added = send(
        &app,
        form_post("/api/cart/add", "product_id=grinder", Some(&jordan)),
    )
    .await;
    assert_eq!(added.status, StatusCode::FOUND, "{}", added.body);
    assert_eq!(added.header(header::LOCATION), "/cart?added=grinder");

    let jordans = send(&app, get("/cart", Some(&jordan))).await;
    assert!(jordans.body.contains("data-product=\"grinder\""));
    assert!(jordans.body.contains("$64.00"));
    let aoifes = send(&app, get("/cart", Some(&aoife))).await;
    assert!(!aoifes.body.contains("data-product=\"grinder\""));
    assert!(aoifes.body.contains("Your cart is empty."));
}

#[tokio::test]
async fn cart_changes_need_a_session() {
    let app = shop().await;
    let request = Request::post("/api/cart/add")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("product_id=mug"))
        .unwrap();
    let reply = send(&app, request).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.body, "\"NotSignedIn\"");

    let forged = send(
        &app,
        form_post(
            "/api/cart/add",
            "product_id=mug",
            Some("shop_session=forged"),
        ),
    )
    .await;
    // A form post is sent back where it came from, with the error for the page to show.
    assert_eq!(forged.status, StatusCode::FOUND);
    assert_eq!(forged.header(header::LOCATION), "/cart?error=not_signed_in");
}

#[tokio::test]
async fn bad_quantities_and_unknown_products_change_nothing() {
    let app = shop().await;
    let jordan = sign_in(&app, "jordan@example.com", "jordan-demo").await;
    let post = |body: &'static str| {
        Request::post("/api/cart/quantity")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, jordan.clone())
            .body(Body::from(body))
            .unwrap()
    };
    assert_eq!(
        send(&app, post("product_id=mug&quantity=2")).await.status,
        StatusCode::OK
    );
    // The client's mistakes are 4xx, never the server's 500.
    let too_many = send(&app, post("product_id=mug&quantity=100")).await;
    assert_eq!(too_many.status, StatusCode::BAD_REQUEST);
    assert_eq!(too_many.body, "{\"InvalidQuantity\":100}");
    let unknown = send(&app, post("product_id=teapot&quantity=1")).await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    assert_eq!(unknown.body, "{\"UnknownProduct\":\"teapot\"}");
    for malformed in [
        "product_id=mug&quantity=-3",
        "product_id=mug&quantity=abc",
        "product_id=mug",
    ] {
        let reply = send(&app, post(malformed)).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{malformed}");
        assert!(reply.body.starts_with("{\"BadRequest\""), "{}", reply.body);
    }
    let oversized = format!("product_id=mug&quantity=1&pad={}", "x".repeat(300 * 1024));
    let reply = send(
        &app,
        Request::post("/api/cart/quantity")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::CONTENT_LENGTH, oversized.len())
            .header(header::COOKIE, &jordan)
            .body(Body::from(oversized))
            .unwrap(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);

    let cart = send(&app, get("/cart", Some(&jordan))).await;
    assert!(cart.body.contains("value=\"2\""));
    assert!(!cart.body.contains("teapot"));
}

#[tokio::test]
async fn signing_out_ends_the_session_on_the_server() {
    let app = shop().await;
    let jordan = sign_in(&app, "jordan@example.com", "jordan-demo").await;
    let out = send(&app, form_post("/api/sign_out", "", Some(&jordan))).await;
    assert_eq!(out.status, StatusCode::FOUND);
    assert!(out.headers.get_all(header::SET_COOKIE).iter().any(|v| v
        .to_str()
        .unwrap()
        .starts_with("shop_session=; Path=/; Max-Age=0")));
    // The old cookie, replayed, no longer signs anyone in.
    let page = send(&app, get("/cart", Some(&jordan))).await;
    assert!(page.body.contains("Sign in to see your cart."));
}

/// A form post as a browser sends it from a page of `site` ("same-origin",
/// "same-site" for another port of the host, "cross-site").
fn browser_post(
    path: &str,
    body: &str,
    cookie: Option<&str>,
    site: &str,
    origin: &str,
) -> Request<Body> {
    let mut builder = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "text/html")
        .header("sec-fetch-site", site)
        .header(header::ORIGIN, origin);
    if let Some(cookie) = cookie {
        builder = builder.header(header::COOKIE, cookie);
    }
    builder.body(Body::from(body.to_owned())).unwrap()
}

#[tokio::test]
async fn posts_from_other_sites_are_refused_and_change_nothing() {
    let app = shop().await;
    let jordan = sign_in(&app, "jordan@example.com", "jordan-demo").await;
    for (site, origin) in [
        ("cross-site", "https://evil.example"),
        // Another port of the same host is the same site, not this shop.
        ("same-site", "http://127.0.0.1:8081"),
    ] {
        let reply = send(
            &app,
            browser_post(
                "/api/cart/add",
                "product_id=grinder",
                Some(&jordan),
                site,
                origin,
            ),
        )
        .await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{site}");
        // Login CSRF: no session is created for the attacker's account.
        let login = send(
            &app,
            browser_post(
                "/api/sign_in",
                "email=aoife@example.ie&password=aoife-demo",
                None,
                site,
                origin,
            ),
        )
        .await;
        assert_eq!(login.status, StatusCode::FORBIDDEN, "{site}");
        assert_eq!(login.session_cookie(), None);
        let out = send(
            &app,
            browser_post("/api/sign_out", "", Some(&jordan), site, origin),
        )
        .await;
        assert_eq!(out.status, StatusCode::FORBIDDEN);
    }
    // A browser without Sec-Fetch-Site: its Origin must be the shop's.
    let mut old_browser = form_post("/api/cart/add", "product_id=grinder", Some(&jordan));
    old_browser
        .headers_mut()
        .insert(header::ORIGIN, "https://evil.example".parse().unwrap());
    assert_eq!(send(&app, old_browser).await.status, StatusCode::FORBIDDEN);
    let cart = send(&app, get("/cart", Some(&jordan))).await;
    assert!(
        !cart.body.contains("data-product=\"grinder\""),
        "nothing was added"
    );
    assert!(cart.body.contains("Jordan Smith"), "still signed in");

    // The shop's own pages pass.
    let own = send(
        &app,
        browser_post(
            "/api/cart/add",
            "product_id=grinder",
            Some(&jordan),
            "same-origin",
            "http://127.0.0.1:3000",
        ),
    )
    .await;
    assert_eq!(own.status, StatusCode::FOUND);
    let cart = send(&app, get("/cart", Some(&jordan))).await;
    assert!(cart.body.contains("data-product=\"grinder\""));
}

#[tokio::test]
async fn a_crafted_next_goes_home_and_never_breaks_the_answer() {
    let app = shop().await;
    for next in [
        "%2F%09%2Fevil.example%2F",
        "%2F%0A%2Fevil.example",
        "%2F%0D%0ALocation%3A%20x",
        "%2F%7F",
        "%2F%5Cevil.example",
        "%2F%2Fevil.example",
        "%2F%252F%2Fevil.example",
        "https%3A%2F%2Fevil.example",
    ] {
        let reply = send(
            &app,
            form_post(
                "/api/sign_in",
                &format!("email=jordan@example.com&password=jordan-demo&next={next}"),
                None,
            ),
        )
        .await;
        assert_eq!(reply.status, StatusCode::FOUND, "{next}");
        assert_eq!(reply.header(header::LOCATION), "/", "{next}");
    }
}

#[tokio::test]
async fn responses_with_personal_data_are_never_stored_and_carry_the_security_headers() {
    let app = shop().await;
    let jordan = sign_in(&app, "jordan@example.com", "jordan-demo").await;
    for path in [
        "/",
        "/cart",
        "/checkout",
        "/checkout/complete?order=1",
        "/orders",
        "/messages",
        "/signin",
    ] {
        let reply = send(&app, get(path, Some(&jordan))).await;
        assert_eq!(reply.header(header::CACHE_CONTROL), "no-store", "{path}");
        assert_eq!(
            reply.header(header::REFERRER_POLICY),
            "same-origin",
            "{path}"
        );
        assert_eq!(
            reply.header("cross-origin-opener-policy".parse().unwrap()),
            "same-origin-allow-popups"
        );
        assert!(reply
            .header("permissions-policy".parse().unwrap())
            .starts_with("payment=(self \"http://127.0.0.1:"));
    }
    for path in [
        "/api/session",
        "/api/cart",
        "/api/checkout/start",
        "/api/orders",
        "/api/messages",
    ] {
        let request = Request::post(path)
            .header(header::COOKIE, &jordan)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::empty())
            .unwrap();
        let reply = send(&app, request).await;
        assert_eq!(reply.header(header::CACHE_CONTROL), "no-store", "{path}");
    }
}

#[tokio::test]
async fn guessing_a_password_is_slowed_down_and_the_delay_survives_a_restart() {
    let dir = std::env::temp_dir().join(format!("shop-throttle-{}", std::process::id()));
    let url = support::durable_database_url(&dir).await;
    let state = dir.join("emulator.json").display().to_string();
    let shop_at = |url: String| {
        let state = state.clone();
        async move {
            let config = Config::from_lookup(|name| match name {
                "DATABASE_URL" => Some(url.clone()),
                "STRIPE_EMULATOR_ADDR" => Some("127.0.0.1:0".into()),
                "STRIPE_EMULATOR_STATE" => Some(state.clone()),
                _ => None,
            })
            .unwrap();
            app(build_state(&config).await.unwrap().state)
        }
    };
    let attempt = |password: &str| {
        Request::post("/api/sign_in")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!(
                "email=camille@example.fr&password={password}"
            )))
            .unwrap()
    };
    let app = shop_at(url.clone()).await;
    for _ in 0..5 {
        let reply = send(&app, attempt("guess")).await;
        assert_eq!(
            reply.status,
            StatusCode::OK,
            "free attempts are answered normally"
        );
    }
    let refused = send(&app, attempt("guess")).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = refused.header(header::RETRY_AFTER).parse().unwrap();
    assert!((25..=30).contains(&wait), "{wait}");
    // The right password too, until the delay passes.
    let right = send(&app, attempt("camille-demo")).await;
    assert_eq!(right.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(right.session_cookie(), None);
    // A browser's form post gets the sign-in page, saying why.
    let form = send(
        &app,
        form_post(
            "/api/sign_in",
            "email=camille@example.fr&password=camille-demo",
            None,
        ),
    )
    .await;
    assert_eq!(
        form.header(header::LOCATION),
        "/signin?error=too_many_attempts&next=/"
    );
    let page = send(&app, get("/signin?error=too_many_attempts&next=/", None)).await;
    assert!(page.body.contains("Too many failed sign-ins"));

    // A restart remembers.
    drop(app);
    let app = shop_at(url).await;
    assert_eq!(
        send(&app, attempt("camille-demo")).await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn an_orders_status_stream_and_downloads_are_for_its_customer_only() {
    let (app, _stripe) = shop_and_stripe().await;
    let jordan = sign_in(&app, "jordan@example.com", "jordan-demo").await;
    send(
        &app,
        form_post("/api/cart/add", "product_id=mug", Some(&jordan)),
    )
    .await;
    let checkout = send(&app, get("/checkout", Some(&jordan))).await;
    let order = checkout
        .body
        .split("data-order=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the checkout's order")
        .to_owned();
    let events = format!("/orders/{order}/events");

    // The customer's stream starts with where the order stands.
    let response = app
        .clone()
        .oneshot(get(&events, Some(&jordan)))
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        "text/event-stream"
    );
    let mut body = response.into_body();
    let first = tokio::time::timeout(std::time::Duration::from_secs(5), body.frame())
        .await
        .expect("an event at once")
        .unwrap()
        .unwrap()
        .into_data()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&first),
        "data: awaiting_payment\n\n"
    );

    // Nobody else's, signed out, or no such order.
    let aoife = sign_in(&app, "aoife@example.ie", "aoife-demo").await;
    assert_eq!(
        send(&app, get(&events, Some(&aoife))).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        send(&app, get(&events, None)).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        send(&app, get("/orders/x/events", Some(&jordan)))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // A mug is no download, and the order is not paid anyway.
    for path in [
        format!("/orders/{order}/downloads/brewing-guide"),
        format!("/orders/{order}/downloads/mug"),
    ] {
        assert_eq!(
            send(&app, get(&path, Some(&jordan))).await.status,
            StatusCode::NOT_FOUND
        );
    }
}
