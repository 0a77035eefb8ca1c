//! The password throttle from outside, through a proxy that names each
//! client (`X-Forwarded-For` from a trusted address): a guesser waits where
//! it guesses, the owner elsewhere does not; guesses from everywhere pause
//! passwords but not the owner's own browser; and a flood of distinct,
//! maximal e-mails leaves the throttle's table small.

use crate::support;

use std::time::{Duration, Instant};

use support::{shop_with, Shop};

struct Attempt {
    status: u16,
    session: bool,
    browser_cookie: Option<String>,
}

async fn sign_in(
    shop: &Shop,
    client: &str,
    email: &str,
    password: &str,
    browser: Option<&str>,
) -> Attempt {
    let mut request = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(format!("{}/api/sign_in", shop.base))
        .header("x-forwarded-for", client)
        .form(&[("email", email), ("password", password)]);
    if let Some(browser) = browser {
        request = request.header("Cookie", format!("shop_browser={browser}"));
    }
    let reply = request.send().await.unwrap();
    let cookies: Vec<String> = reply
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    let value = |name: &str| {
        cookies
            .iter()
            .find(|c| c.starts_with(&format!("{name}=")) && !c.starts_with(&format!("{name}=;")))
            .map(|c| c.split(';').next().unwrap()[name.len() + 1..].to_owned())
    };
    Attempt {
        status: reply.status().as_u16(),
        session: value("shop_session").is_some(),
        browser_cookie: value("shop_browser"),
    }
}

async fn shop() -> Shop {
    shop_with(&[("SHOP_TRUSTED_PROXIES", "127.0.0.1")]).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn six_wrong_guesses_from_one_address_do_not_stop_the_owner_from_another() {
    let shop = shop().await;
    for _ in 0..5 {
        let guess = sign_in(&shop, "203.0.113.9", "camille@example.fr", "guess", None).await;
        assert_eq!((guess.status, guess.session), (200, false));
    }
    let sixth = sign_in(&shop, "203.0.113.9", "camille@example.fr", "guess", None).await;
    assert_eq!(sixth.status, 429, "the guesser's address waits");
    let right_there = sign_in(
        &shop,
        "203.0.113.9",
        "camille@example.fr",
        "camille-demo",
        None,
    )
    .await;
    assert_eq!(
        right_there.status, 429,
        "even with the right password, from there"
    );
    let owner = sign_in(
        &shop,
        "198.51.100.4",
        "camille@example.fr",
        "camille-demo",
        None,
    )
    .await;
    assert_eq!(
        (owner.status, owner.session),
        (200, true),
        "the owner elsewhere gets in"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guesses_from_everywhere_pause_passwords_but_not_the_owners_own_browser() {
    let shop = shop().await;
    // Jordan signs in once from his browser, which the shop then knows.
    let first = sign_in(
        &shop,
        "198.51.100.4",
        "jordan@example.com",
        "jordan-demo",
        None,
    )
    .await;
    assert!(first.session);
    let browser = first.browser_cookie.expect("a browser cookie");
    // Strangers guess from twenty addresses, one guess each.
    for i in 0..20 {
        let guess = sign_in(
            &shop,
            &format!("203.0.113.{i}"),
            "jordan@example.com",
            "guess",
            None,
        )
        .await;
        assert_eq!(guess.status, 200);
    }
    // From a new place, passwords pause for this e-mail (a code still works)…
    let elsewhere = sign_in(
        &shop,
        "192.0.2.77",
        "jordan@example.com",
        "jordan-demo",
        None,
    )
    .await;
    assert_eq!((elsewhere.status, elsewhere.session), (429, false));
    // …but his own browser still signs in with his password.
    let own = sign_in(
        &shop,
        "192.0.2.78",
        "jordan@example.com",
        "jordan-demo",
        Some(&browser),
    )
    .await;
    assert_eq!((own.status, own.session), (200, true));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_distinct_maximal_emails_leave_the_table_small() {
    let shop = shop().await;
    let started = Instant::now();
    let http = reqwest::Client::new();
    let mut refused = 0;
    for i in 0..10_000 {
        // 254 bytes: the longest address the shop accepts.
        let local = format!("{:a<64}", format!("x{i}"));
        let email = format!(
            "{local}@{}.{}.{}.com",
            "d".repeat(63),
            "d".repeat(63),
            "d".repeat(57)
        );
        assert_eq!(email.len(), 254);
        let reply = http
            .post(format!("{}/api/sign_in", shop.base))
            .header("x-forwarded-for", "203.0.113.50")
            .form(&[("email", email.as_str()), ("password", "guess")])
            .timeout(Duration::from_secs(30))
            .send()
            .await
            .unwrap();
        if reply.status() == 429 {
            refused += 1;
        }
    }
    let rows = shop::server::sign_in_guard::rows(&shop.state().pool)
        .await
        .unwrap();
    eprintln!(
        "10,000 distinct 254-byte e-mails from one address in {:?}: {refused} refused, {rows} rows in the throttle's table",
        started.elapsed()
    );
    assert!(refused >= 9_970, "{refused}");
    assert!(rows <= 3 * 21, "{rows} rows");
    // One over 254 bytes is refused before anything is stored.
    let too_long = format!("{}@example.com", "a".repeat(250));
    let reply = http
        .post(format!("{}/api/sign_in", shop.base))
        .header("x-forwarded-for", "203.0.113.51")
        .form(&[("email", too_long.as_str()), ("password", "guess")])
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 400);
    assert_eq!(
        shop::server::sign_in_guard::rows(&shop.state().pool)
            .await
            .unwrap(),
        rows
    );
}
