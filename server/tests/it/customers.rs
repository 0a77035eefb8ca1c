//! A merchant's own Stripe customers getting in: sign-in by e-mailed code
//! over real HTTP (the browser's cookies, the forms' redirects), accounts
//! made from Stripe customers, the import, the customer events, and the
//! `server` binary's commands.

use crate::support;

use std::collections::BTreeMap;

use reqwest::header;
use serde_json::Value;
use shop::orders::OrderStatus;
use shop::server::customers;
use shop::server::stripe::Form;
use support::{eventually, shop_with, Shop};

/// A browser without JavaScript: keeps its cookies, follows no redirect
/// (the test reads where it leads), posts forms as a same-origin page does.
struct Browser {
    http: reqwest::Client,
    base: String,
    cookies: BTreeMap<String, String>,
    /// The client address a trusted proxy names (`X-Forwarded-For`).
    client: Option<&'static str>,
}

struct Answer {
    status: u16,
    location: String,
    body: String,
    retry_after: Option<String>,
}

impl Browser {
    fn new(shop: &Shop) -> Self {
        Self {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            base: shop.base.clone(),
            cookies: BTreeMap::new(),
            client: None,
        }
    }

    /// A browser at `client`, behind the shop's trusted proxy.
    fn at(shop: &Shop, client: &'static str) -> Self {
        Self {
            client: Some(client),
            ..Self::new(shop)
        }
    }

    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header(header::COOKIE, self.cookie_header());
        if let Some(client) = self.client {
            request = request.header("x-forwarded-for", client);
        }
        request
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn answer(&mut self, response: reqwest::Response) -> Answer {
        for value in response.headers().get_all(header::SET_COOKIE) {
            let pair = value.to_str().unwrap().split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            if value.is_empty() {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.into(), value.into());
            }
        }
        let header = |name: header::HeaderName| {
            response
                .headers()
                .get(name)
                .map(|v| v.to_str().unwrap().to_owned())
        };
        let (location, retry_after) = (header(header::LOCATION), header(header::RETRY_AFTER));
        Answer {
            status: response.status().as_u16(),
            location: location.unwrap_or_default(),
            retry_after,
            body: response.text().await.unwrap(),
        }
    }

    async fn get(&mut self, path: &str) -> Answer {
        let response = self
            .request(reqwest::Method::GET, path)
            .header(header::ACCEPT, "text/html")
            .send()
            .await
            .unwrap();
        self.answer(response).await
    }

    /// A plain HTML form post from one of the shop's pages.
    async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Answer {
        let response = self
            .request(reqwest::Method::POST, path)
            .header(header::ACCEPT, "text/html")
            .header("sec-fetch-site", "same-origin")
            .form(form)
            .send()
            .await
            .unwrap();
        self.answer(response).await
    }

    /// The same server function called by a program (no `Accept: text/html`):
    /// it answers with a status, not a page.
    async fn call(&mut self, path: &str, form: &[(&str, &str)]) -> Answer {
        let response = self
            .request(reqwest::Method::POST, path)
            .form(form)
            .send()
            .await
            .unwrap();
        self.answer(response).await
    }

    async fn ask_code(&mut self, email: &str) -> Answer {
        self.post(
            "/api/sign_in/code",
            &[("email", email), ("next", "/checkout")],
        )
        .await
    }

    async fn type_code(&mut self, code: &str) -> Answer {
        self.post(
            "/api/sign_in/verify",
            &[("code", code), ("next", "/checkout")],
        )
        .await
    }

    fn signed_in(&self) -> bool {
        self.cookies.contains_key("shop_session")
    }
}

/// The code and link of the last sign-in e-mail to `email`, as the
/// development mailbox shows them.
async fn last_code(shop: &Shop, email: &str) -> (String, String) {
    let (body, link): (String, String) = sqlx::query_as(
        "SELECT body, link FROM messages WHERE recipient = $1 AND kind = 'sign_in_code' ORDER BY id DESC LIMIT 1",
    )
    .bind(email)
    .fetch_one(&shop.state().pool)
    .await
    .unwrap();
    let code = body
        .split_whitespace()
        .find(|word| word.len() == 6 && word.chars().all(|c| c.is_ascii_digit()))
        .unwrap()
        .to_owned();
    (code, link)
}

/// Calls the shop's Stripe (its embedded emulator) with its secret key.
async fn stripe_post(shop: &Shop, path: &str, form: Form) -> Value {
    let key = format!("test-{path}-{}", rand_suffix());
    shop.state().stripe.post(path, &form, &key).await.unwrap()
}

fn rand_suffix() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed) ^ u64::from(std::process::id()) << 32
}

/// A customer made at Stripe by API calls, as a merchant's customers are:
/// with a saved card and a SEPA Direct Debit mandate.
async fn stripe_customer_with_methods(shop: &Shop, email: &str, name: &str) -> String {
    let customer = stripe_post(
        shop,
        "/v1/customers",
        Form::new()
            .field("email", email)
            .field("name", name)
            .field("preferred_locales[0]", "fr-FR")
            .field("address[country]", "FR"),
    )
    .await;
    let id = customer["id"].as_str().unwrap().to_owned();
    for method in ["pm_card_visa", "pm_success_de"] {
        let attached = stripe_post(
            shop,
            &format!("/v1/payment_methods/{method}/attach"),
            Form::new().field("customer", &id),
        )
        .await;
        let pm = attached["id"].as_str().unwrap();
        stripe_post(
            shop,
            &format!("/v1/payment_methods/{pm}"),
            Form::new()
                .field("allow_redisplay", "always")
                .field("billing_details[name]", name)
                .field("billing_details[email]", email),
        )
        .await;
    }
    id
}

async fn no_demo_shop() -> Shop {
    shop_with(&[("SHOP_DEMO", "false")]).await
}

#[tokio::test]
async fn a_stripe_customer_signs_in_by_code_and_finds_their_saved_methods() {
    let shop = no_demo_shop().await;
    let stripe_id = stripe_customer_with_methods(&shop, "claire@example.fr", "Claire Dubois").await;
    let mut browser = Browser::new(&shop);
    let asked = browser.ask_code("Claire@Example.fr ").await;
    assert_eq!(asked.status, 302, "{}", asked.body);
    assert_eq!(asked.location, "/signin/code?next=/checkout");
    assert!(browser.cookies.contains_key("shop_browser"));
    let page = browser.get("/signin/code").await;
    assert!(page.body.contains("claire@example.fr"), "{}", page.body);
    let (code, _) = last_code(&shop, "claire@example.fr").await;
    let entered = browser.type_code(&code).await;
    assert_eq!(entered.location, "/checkout", "{}", entered.body);
    assert!(browser.signed_in());
    // The account is the Stripe customer's, in their language and country.
    let account = customers::find_by_email(&shop.state().pool, "claire@example.fr")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        account.stripe_customer_id.as_deref(),
        Some(stripe_id.as_str())
    );
    assert_eq!(account.name, "Claire Dubois");
    assert_eq!(account.locale, shop::i18n::Locale::Fr);
    assert_eq!(
        (account.country.as_str(), account.currency),
        ("FR", shop::money::Currency::Eur)
    );
    let linked_by: String =
        sqlx::query_scalar("SELECT stripe_linked_by FROM customers WHERE id = $1")
            .bind(account.id.0)
            .fetch_one(&shop.state().pool)
            .await
            .unwrap();
    assert_eq!(
        linked_by,
        "sign-in: the only Stripe customer with this e-mail"
    );
    // Their methods saved elsewhere are on the account page, as the Payment
    // Element shows them.
    let page = browser.get("/account").await;
    assert!(page.body.contains("Visa •••• 4242"), "{}", page.body);
    assert!(page.body.contains("•••• 3000"), "{}", page.body);
    // And the checkout's CustomerSession is for that customer.
    let (_, intent) = support::order_of(shop.state(), "claire@example.fr").await;
    let intent = shop
        .state()
        .stripe
        .retrieve_payment_intent(&intent)
        .await
        .unwrap();
    assert_eq!(intent.customer.as_deref(), Some(stripe_id.as_str()));
}

#[tokio::test]
async fn a_new_address_opens_an_account_with_its_own_stripe_customer() {
    let shop = no_demo_shop().await;
    let mut browser = Browser::new(&shop);
    browser.ask_code("newcomer@example.com").await;
    let (code, _) = last_code(&shop, "newcomer@example.com").await;
    let entered = browser.type_code(&code).await;
    assert_eq!(entered.location, "/signin/welcome?next=/checkout");
    assert!(!browser.signed_in(), "not before the account exists");
    let welcome = browser.get("/signin/welcome").await;
    assert!(welcome.body.contains("newcomer@example.com"));
    let refused = browser
        .post(
            "/api/sign_in/open_account",
            &[("name", "  "), ("country", "BE"), ("next", "/")],
        )
        .await;
    assert_eq!(
        refused.location,
        "/signin/welcome?error=invalid_name&next=/"
    );
    let refused = browser
        .post(
            "/api/sign_in/open_account",
            &[("name", "Noor"), ("country", "JP"), ("next", "/")],
        )
        .await;
    assert_eq!(
        refused.location,
        "/signin/welcome?error=invalid_country&next=/"
    );
    let opened = browser
        .post(
            "/api/sign_in/open_account",
            &[
                ("name", " Noor Haddad "),
                ("country", "BE"),
                ("next", "/cart"),
            ],
        )
        .await;
    assert_eq!(opened.location, "/cart");
    assert!(browser.signed_in());
    let account = customers::find_by_email(&shop.state().pool, "newcomer@example.com")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(account.name, "Noor Haddad");
    assert_eq!(
        (account.country.as_str(), account.currency),
        ("BE", shop::money::Currency::Eur)
    );
    let stripe_id = account
        .stripe_customer_id
        .expect("a Stripe customer of its own");
    let at_stripe = shop
        .state()
        .stripe
        .retrieve_customer(&stripe_id)
        .await
        .unwrap();
    assert_eq!(at_stripe.email.as_deref(), Some("newcomer@example.com"));
    assert_eq!(at_stripe.preferred_locales, ["en"]);
    // The proof is spent: the account is opened once.
    let again = browser
        .post(
            "/api/sign_in/open_account",
            &[("name", "Other"), ("country", "BE"), ("next", "/")],
        )
        .await;
    assert_eq!(again.location, "/signin?error=no_code&next=/");
    // Signed out, the same address signs in again by code, to the same account.
    browser.post("/api/sign_out", &[]).await;
    browser.ask_code("newcomer@example.com").await;
    let (code, _) = last_code(&shop, "newcomer@example.com").await;
    assert_eq!(browser.type_code(&code).await.location, "/checkout");
    assert!(browser.signed_in());
    let accounts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM customers")
        .fetch_one(&shop.state().pool)
        .await
        .unwrap();
    assert_eq!(accounts, 1);
}

#[tokio::test]
async fn codes_are_refused_when_wrong_expired_used_replaced_or_from_another_browser() {
    let shop = shop_with(&[]).await;
    let pool = &shop.state().pool;
    let email = "jordan@example.com";
    let mut browser = Browser::new(&shop);
    // Wrong five times: the code is dead, even typed right afterwards.
    browser.ask_code(email).await;
    let (code, _) = last_code(&shop, email).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for tries in (1..=4).rev() {
        let refused = browser.type_code(wrong).await;
        assert_eq!(
            refused.location,
            format!("/signin/code?error=code_wrong&tries={tries}&next=/checkout")
        );
        let page = browser.get(&refused.location).await;
        assert!(
            page.body.contains(&format!("{tries} tries left")),
            "{}",
            page.body
        );
    }
    assert_eq!(
        browser.type_code(wrong).await.location,
        "/signin/code?error=code_dead&next=/checkout"
    );
    assert_eq!(
        browser.type_code(&code).await.location,
        "/signin/code?error=code_dead&next=/checkout"
    );
    // A program gets the statuses: malformed and wrong codes are 401s.
    let called = browser
        .call("/api/sign_in/verify", &[("code", &code)])
        .await;
    assert_eq!(called.status, 401);
    assert!(called.body.contains("code_dead"), "{}", called.body);
    // Expired.
    browser.ask_code(email).await;
    let (code, _) = last_code(&shop, email).await;
    sqlx::query("UPDATE sign_in_codes SET expires_at = 1")
        .execute(pool)
        .await
        .unwrap();
    assert_eq!(
        browser.type_code(&code).await.location,
        "/signin/code?error=code_expired&next=/checkout"
    );
    // Replaced by a newer one.
    browser.ask_code(email).await;
    let (first, first_link) = last_code(&shop, email).await;
    browser.ask_code(email).await;
    let (second, _) = last_code(&shop, email).await;
    if first != second {
        assert_eq!(
            browser.type_code(&first).await.location,
            "/signin/code?error=code_replaced&next=/checkout"
        );
    }
    let old_link = browser.get(&first_link).await;
    assert!(
        old_link.body.contains("No code is waiting in this browser"),
        "{}",
        old_link.body
    );
    // From another browser: neither the code nor the link works there.
    let mut other = Browser::new(&shop);
    assert_eq!(
        other.type_code(&second).await.location,
        "/signin/code?error=no_code&next=/checkout"
    );
    let (_, link) = last_code(&shop, email).await;
    let elsewhere = other.get(&link).await;
    assert!(
        elsewhere
            .body
            .contains("belongs to the browser where the code was asked for"),
        "{}",
        elsewhere.body
    );
    assert!(
        !elsewhere.body.contains(email),
        "another browser is not told whose link it is"
    );
    let token = link.split("token=").nth(1).unwrap();
    let followed = other
        .post("/api/sign_in/link", &[("token", token), ("next", "/")])
        .await;
    assert!(
        followed.location.contains("error=other_browser"),
        "{}",
        followed.location
    );
    assert!(!other.signed_in());
    // Right, in the right browser: by the link this time. Then used up.
    let confirm = browser.get(&link).await;
    assert!(confirm.body.contains(email), "{}", confirm.body);
    let followed = browser
        .post(
            "/api/sign_in/link",
            &[("token", token), ("next", "/orders")],
        )
        .await;
    assert_eq!(followed.location, "/orders");
    assert!(browser.signed_in());
    assert_eq!(
        browser.type_code(&second).await.location,
        "/signin/code?error=code_used&next=/checkout"
    );
}

#[tokio::test]
async fn known_and_unknown_addresses_get_the_same_answer() {
    let shop = shop_with(&[]).await;
    let mut answers = Vec::new();
    for email in ["jordan@example.com", "nobody-here@example.com"] {
        let mut browser = Browser::new(&shop);
        let asked = browser.ask_code(email).await;
        let page = browser.get("/signin/code").await;
        answers.push((
            asked.status,
            asked.location,
            page.body.replace(email, "EMAIL"),
        ));
    }
    assert_eq!(answers[0].0, answers[1].0);
    assert_eq!(answers[0].1, answers[1].1);
    // The pages differ only by the address (and the page's per-request nonce).
    let strip_nonce = |page: &str| {
        let mut out = String::new();
        let mut rest = page;
        while let Some(at) = rest.find("nonce=\"") {
            out.push_str(&rest[..at]);
            let after = &rest[at + 7..];
            rest = after.split_once('"').map_or("", |(_, tail)| tail);
        }
        out + rest
    };
    assert_eq!(strip_nonce(&answers[0].2), strip_nonce(&answers[1].2));
}

#[tokio::test]
async fn bad_addresses_are_refused_and_nothing_is_stored() {
    let shop = shop_with(&[]).await;
    let ten_kb = format!("{}@example.com", "a".repeat(10_000));
    for bad in [
        "not-an-address",
        "j\u{43e}rdan@example.com",
        ten_kb.as_str(),
        "a@b",
    ] {
        let mut browser = Browser::new(&shop);
        let called = browser.call("/api/sign_in/code", &[("email", bad)]).await;
        assert_eq!(called.status, 400, "{bad:.40}: {}", called.body);
        let posted = browser.ask_code(bad).await;
        assert_eq!(
            posted.location,
            "/signin?error=invalid_email&next=/checkout"
        );
        let page = browser.get(&posted.location).await;
        assert!(page.body.contains("not an e-mail address we can write to"));
    }
    for table in ["sign_in_codes", "messages", "sign_in_limits"] {
        let rows: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&shop.state().pool)
            .await
            .unwrap();
        assert_eq!(rows, 0, "{table}");
    }
}

#[tokio::test]
async fn strangers_can_send_an_address_a_few_codes_an_hour_and_never_hold_its_owner_back() {
    let shop = shop_with(&[("SHOP_TRUSTED_PROXIES", "127.0.0.1")]).await;
    let email = "aoife@example.ie";
    // Its owner signed in from this browser before.
    let mut owner = Browser::at(&shop, "198.51.100.1");
    owner.ask_code(email).await;
    let (code, _) = last_code(&shop, email).await;
    owner.type_code(&code).await;
    assert!(owner.signed_in());
    // Stranger A asks again and again: 5 an hour from one client address.
    let mut a = Browser::at(&shop, "203.0.113.1");
    assert_eq!(codes_until_refused(&mut a, email).await, 5);
    // Stranger B, from elsewhere: the address-wide limit (10 an hour, the
    // owner's first one included) stops the flood.
    let mut b = Browser::at(&shop, "203.0.113.2");
    assert_eq!(codes_until_refused(&mut b, email).await, 4);
    let mut c = Browser::at(&shop, "203.0.113.3");
    let refused = c.ask_code(email).await;
    assert!(
        refused
            .location
            .starts_with("/signin?error=too_many_attempts"),
        "{}",
        refused.location
    );
    assert!(refused
        .retry_after
        .is_some_and(|s| s.parse::<u64>().unwrap() > 3000));
    assert_eq!(
        c.call("/api/sign_in/code", &[("email", email)])
            .await
            .status,
        429
    );
    let e_mails: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM messages WHERE recipient = $1")
        .bind(email)
        .fetch_one(&shop.state().pool)
        .await
        .unwrap();
    assert_eq!(e_mails, 10, "at most 10 codes an hour reach the address");
    // Its owner, in the browser the account knows, still gets a code.
    let asked = owner.ask_code(email).await;
    assert_eq!(
        asked.location, "/signin/code?next=/checkout",
        "the owner is never held back"
    );
    let (code, _) = last_code(&shop, email).await;
    assert_eq!(owner.type_code(&code).await.location, "/checkout");
    // Another address's owner is not held back by this flood.
    let mut someone = Browser::at(&shop, "203.0.113.9");
    assert_eq!(
        someone.ask_code("someone@example.com").await.location,
        "/signin/code?next=/checkout"
    );
}

/// Asks for codes until refused; how many were sent.
async fn codes_until_refused(browser: &mut Browser, email: &str) -> usize {
    for sent in 0..20 {
        if !browser
            .ask_code(email)
            .await
            .location
            .starts_with("/signin/code")
        {
            return sent;
        }
    }
    panic!("never refused");
}

/// The events Stripe sent about `customer` of `kind`, oldest first.
async fn events_about(shop: &Shop, customer: &str, kind: &str) -> Vec<Value> {
    let list: Value = shop
        .state()
        .stripe
        .get(
            "/v1/events",
            &Form::new().field("type", kind).field("limit", 100),
        )
        .await
        .unwrap();
    let mut events: Vec<Value> = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["data"]["object"]["id"] == customer)
        .cloned()
        .collect();
    events.reverse();
    events
}

async fn post_signed(shop: &Shop, event: &Value) -> u16 {
    let body = event.to_string();
    let signature = stripe_emulator::signature_header(
        shop.state().webhook_secret.expose(),
        shop::server::now(),
        &body,
    );
    reqwest::Client::new()
        .post(format!("{}/webhooks/stripe", shop.base))
        .header("stripe-signature", signature)
        .body(body)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn the_account_follows_its_stripe_customer_once_whatever_the_order_of_events() {
    let shop = no_demo_shop().await;
    let stripe_id = stripe_customer_with_methods(&shop, "before@example.com", "Sam Before").await;
    let mut browser = Browser::new(&shop);
    browser.ask_code("before@example.com").await;
    let (code, _) = last_code(&shop, "before@example.com").await;
    browser.type_code(&code).await;
    assert!(browser.signed_in());
    let pool = &shop.state().pool;
    // Two changes at Stripe, in quick succession.
    for (email, name) in [
        ("middle@example.com", "Sam Middle"),
        ("after@example.com", "Sam After"),
    ] {
        stripe_post(
            &shop,
            &format!("/v1/customers/{stripe_id}"),
            Form::new()
                .field("email", email)
                .field("name", name)
                .field("preferred_locales[0]", "en"),
        )
        .await;
    }
    // The emulator delivers both; the account ends as Stripe has it.
    let followed = eventually(10, || async {
        customers::find_by_stripe_id(pool, &stripe_id)
            .await
            .unwrap()
            .is_some_and(|c| c.email == "after@example.com")
    })
    .await;
    assert!(followed, "the account did not follow its Stripe customer");
    let updates = events_about(&shop, &stripe_id, "customer.updated").await;
    assert_eq!(updates.len(), 2);
    // Delivered again, and the older one late with a new id: nothing moves back.
    for event in updates.iter().rev() {
        assert_eq!(post_signed(&shop, event).await, 200);
    }
    let mut late = updates[0].clone();
    late["id"] = Value::from("evt_late_replay_of_the_first_update");
    assert_eq!(post_signed(&shop, &late).await, 200);
    let account = customers::find_by_stripe_id(pool, &stripe_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (account.email.as_str(), account.name.as_str()),
        ("after@example.com", "Sam After")
    );
    assert_eq!(account.locale, shop::i18n::Locale::En);
    let outcomes: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, outcome FROM stripe_events WHERE type = 'customer.updated' ORDER BY received_at, id",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    assert_eq!(outcomes.len(), 3, "{outcomes:?}");
    let applied = outcomes.iter().filter(|(_, o)| o == "applied").count();
    assert!((1..=2).contains(&applied), "{outcomes:?}");
    assert!(outcomes
        .iter()
        .any(|(id, o)| id == "evt_late_replay_of_the_first_update" && o == "unchanged"));
    // Deleted at Stripe: the account closes, its sessions end, its code is refused.
    let _: Value = shop
        .state()
        .stripe
        .delete(&format!("/v1/customers/{stripe_id}"))
        .await
        .unwrap();
    let closed = eventually(10, || async {
        customers::find_by_stripe_id(pool, &stripe_id)
            .await
            .unwrap()
            .is_some_and(|c| c.closed)
    })
    .await;
    assert!(closed, "the account was not closed");
    let page = browser.get("/account").await;
    assert!(
        page.body.contains("Sign in to see your account."),
        "the session ended"
    );
    let sessions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!(sessions, 0);
    browser.ask_code("after@example.com").await;
    let (code, _) = last_code(&shop, "after@example.com").await;
    assert_eq!(
        browser.type_code(&code).await.location,
        "/signin/code?error=account_closed&next=/checkout"
    );
    let deletes = events_about(&shop, &stripe_id, "customer.deleted").await;
    assert_eq!(post_signed(&shop, &deletes[0]).await, 200, "a redelivery");
}

#[tokio::test]
async fn the_account_page_removes_only_ones_own_methods_and_signs_out_everywhere() {
    let shop = no_demo_shop().await;
    stripe_customer_with_methods(&shop, "owner@example.com", "Owner").await;
    let mut owner = Browser::new(&shop);
    owner.ask_code("owner@example.com").await;
    let (code, _) = last_code(&shop, "owner@example.com").await;
    owner.type_code(&code).await;
    let mut second_session = Browser::new(&shop);
    second_session.ask_code("owner@example.com").await;
    let (code, _) = last_code(&shop, "owner@example.com").await;
    second_session.type_code(&code).await;
    assert!(owner.signed_in() && second_session.signed_in());
    // Someone else's method: refused, nothing removed.
    let other = stripe_customer_with_methods(&shop, "other@example.com", "Other").await;
    let theirs = shop
        .state()
        .stripe
        .list_payment_methods(&other)
        .await
        .unwrap()
        .data;
    let refused = owner
        .call(
            "/api/account/remove_method",
            &[("payment_method", &theirs[0].id)],
        )
        .await;
    assert_eq!(refused.status, 400);
    assert_eq!(
        owner
            .call(
                "/api/account/remove_method",
                &[("payment_method", "pm_<script>")]
            )
            .await
            .status,
        400
    );
    assert_eq!(
        shop.state()
            .stripe
            .list_payment_methods(&other)
            .await
            .unwrap()
            .data
            .len(),
        2
    );
    // One's own: removed at Stripe.
    let page = owner.get("/account").await;
    let id = page
        .body
        .split("name=\"payment_method\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let removed = owner
        .post("/api/account/remove_method", &[("payment_method", &id)])
        .await;
    assert!(
        removed.location.ends_with("removed=1"),
        "{}",
        removed.location
    );
    let page = owner.get("/account?removed=1").await;
    // In the customer's language (their Stripe customer's: French).
    assert!(
        page.body.contains("Le moyen de paiement a été supprimé."),
        "{}",
        page.body
    );
    assert!(!page.body.contains(&id));
    // Sign out everywhere: both sessions end.
    let out = owner.post("/api/account/sign_out_everywhere", &[]).await;
    assert_eq!(out.location, "/signin");
    assert!(second_session
        .get("/account")
        .await
        .body
        .contains("Sign in to see your account."));
}

#[tokio::test]
async fn the_development_mailbox_is_served_only_without_smtp_in_demo_or_emulator_mode() {
    let shop = shop_with(&[]).await;
    let mut browser = Browser::new(&shop);
    browser.ask_code("mailbox@example.com").await;
    // The outbox keeps it for the page (no SMTP here).
    shop.started.outbox.deliver_due().await.unwrap();
    let page = browser.get("/dev/mailbox").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("mailbox@example.com"));
    assert!(page.body.contains("is your Rustic Roast sign-in code"));
    let with_smtp = shop_with(&[("SMTP_URL", "smtp://127.0.0.1:1")]).await;
    let mut browser = Browser::new(&with_smtp);
    assert_eq!(browser.get("/dev/mailbox").await.status, 404);
}

/// 2,500 customers at Stripe (25 pages): 3 without an e-mail, 2 sharing
/// one (the older with a saved card, which wins), one written with capitals.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn importing_2500_customers_creates_their_accounts_once_and_one_of_them_pays() {
    let shop = no_demo_shop().await;
    let total = 2500;
    let started = std::time::Instant::now();
    for chunk in (0..total).collect::<Vec<_>>().chunks(50) {
        futures_util::future::join_all(chunk.iter().map(|n| {
            let shop = &shop;
            async move {
                let form = match n {
                    0..=2 => Form::new().field("name", format!("No E-mail {n}")),
                    3 => Form::new()
                        .field("email", "Mixed.Case@Example.com")
                        .field("name", "Mixed Case"),
                    _ => Form::new()
                        .field("email", format!("customer{n}@example.com"))
                        .field("name", format!("Customer {n}")),
                };
                stripe_post(shop, "/v1/customers", form).await;
            }
        }))
        .await;
    }
    let older =
        stripe_customer_with_methods(&shop, "shared@example.com", "Shared, with a card").await;
    stripe_post(
        &shop,
        "/v1/customers",
        Form::new()
            .field("email", "shared@example.com")
            .field("name", "Shared, no card"),
    )
    .await;
    eprintln!(
        "2,502 customers made at the emulator in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let pool = &shop.state().pool;
    let stripe = &shop.state().stripe;
    let mut pages = Vec::new();
    let dry = server::import::import(stripe, pool, true, &mut |p| pages.push(p))
        .await
        .unwrap();
    assert_eq!(dry.created, total - 3 + 1);
    let accounts = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM customers")
            .fetch_one(pool)
            .await
            .unwrap()
    };
    assert_eq!(accounts().await, 0, "a dry run writes nothing");
    let timed = std::time::Instant::now();
    let first = server::import::import(stripe, pool, false, &mut |_| {})
        .await
        .unwrap();
    let first_secs = timed.elapsed().as_secs_f64();
    assert_eq!(first.listed, total + 2);
    assert_eq!(first.pages, 26);
    assert_eq!(first.created, total - 3 + 1);
    assert_eq!((first.updated, first.unchanged), (0, 0));
    assert_eq!(first.skipped_without_email, 3);
    assert_eq!(first.shared_emails, 1);
    assert_eq!(accounts().await as usize, total - 3 + 1);
    let timed = std::time::Instant::now();
    let second = server::import::import(stripe, pool, false, &mut |_| {})
        .await
        .unwrap();
    let second_secs = timed.elapsed().as_secs_f64();
    assert_eq!(
        (second.created, second.updated),
        (0, 0),
        "a second run changes nothing"
    );
    assert_eq!(second.unchanged, total - 3 + 1);
    eprintln!(
        "import of {} customers: first run {first_secs:.2} s, second run {second_secs:.2} s",
        total + 2
    );
    let shared = customers::find_by_email(pool, "shared@example.com")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(shared.stripe_customer_id.as_deref(), Some(older.as_str()));
    assert!(customers::find_by_email(pool, "mixed.case@example.com")
        .await
        .unwrap()
        .is_some());
    // One of them signs in by code and pays with a card.
    let mut browser = Browser::new(&shop);
    browser.ask_code("customer1234@example.com").await;
    let (code, _) = last_code(&shop, "customer1234@example.com").await;
    assert_eq!(browser.type_code(&code).await.location, "/checkout");
    let (order, intent) = support::order_of(shop.state(), "customer1234@example.com").await;
    let _: Value = stripe
        .post(
            &format!("/v1/payment_intents/{intent}/confirm"),
            &Form::new()
                .field("payment_method", "pm_card_visa")
                .field("return_url", "https://shop.test/r"),
            "confirm-imported",
        )
        .await
        .unwrap();
    let state = shop.state();
    assert!(
        eventually(10, || async {
            support::status(state, order).await == OrderStatus::Paid
        })
        .await
    );
    assert_eq!(support::messages(state, order, "order_confirmed").await, 1);
}

#[test]
fn help_and_version_print_and_start_nothing() {
    let folder = std::env::temp_dir().join(format!("shop-help-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).unwrap();
    for (args, expected) in [
        (vec!["--help"], "customers"),
        (vec!["customers", "--help"], "import"),
        (vec!["customers", "import", "--help"], "--dry-run"),
        (vec!["orders", "refund", "--help"], "--amount"),
        (vec!["--version"], env!("CARGO_PKG_VERSION")),
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
            .args(&args)
            .current_dir(&folder)
            .env_remove("DATABASE_URL")
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains(expected), "{args:?}: {text}");
    }
    let unknown = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("--no-such-flag")
        .current_dir(&folder)
        .output()
        .unwrap();
    assert_eq!(unknown.status.code(), Some(2));
    let files: Vec<_> = std::fs::read_dir(&folder).unwrap().collect();
    assert!(files.is_empty(), "{files:?}");
    std::fs::remove_dir_all(&folder).unwrap();
}

/// The command reaches the embedded emulator of the shop running on the
/// same data directory (its address and key from there), never one of its
/// own; with no shop running it says so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_import_command_uses_the_running_shops_emulator() {
    let folder = std::env::temp_dir().join(format!("shop-import-{}", std::process::id()));
    let database = support::durable_database_url(&folder).await;
    if database.starts_with("postgres") {
        return; // the key file lives beside a SQLite database
    }
    let state_file = folder.join("stripe-emulator.json").display().to_string();
    let shop = shop_with(&[
        ("DATABASE_URL", &database),
        ("STRIPE_EMULATOR_STATE", &state_file),
        ("SHOP_DEMO", "false"),
    ])
    .await;
    for n in 0..3 {
        stripe_post(
            &shop,
            "/v1/customers",
            Form::new()
                .field("email", format!("cli{n}@example.com"))
                .field("name", format!("Cli {n}")),
        )
        .await;
    }
    let emulator_addr = shop
        .state()
        .stripe
        .settings()
        .api_base
        .trim_start_matches("http://")
        .to_owned();
    let run = {
        let (database, state_file) = (database.clone(), state_file.clone());
        move |addr: String| {
            std::process::Command::new(env!("CARGO_BIN_EXE_server"))
                .args(["customers", "import"])
                .env("DATABASE_URL", &database)
                .env("STRIPE_EMULATOR_STATE", &state_file)
                .env("STRIPE_EMULATOR_ADDR", addr)
                .env_remove("STRIPE_SECRET_KEY")
                .output()
                .unwrap()
        }
    };
    let out = tokio::task::spawn_blocking({
        let (run, addr) = (run.clone(), emulator_addr.clone());
        move || run(addr)
    })
    .await
    .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("3 accounts created"), "{stdout}");
    assert!(
        customers::find_by_email(&shop.state().pool, "cli2@example.com")
            .await
            .unwrap()
            .is_some()
    );
    // No shop answering there: a clear message, no emulator of its own.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let nobody = listener.local_addr().unwrap().to_string();
    drop(listener);
    let out = tokio::task::spawn_blocking(move || run(nobody))
        .await
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("the shop must be running"), "{stderr}");
    let _ = std::fs::remove_dir_all(&folder);
}

/// Guessing codes is held back per address and client (10 wrong codes an
/// hour, across codes: each dies after 5), with 429 and `Retry-After`.
#[tokio::test]
async fn guessing_codes_is_throttled_with_429() {
    let shop = shop_with(&[("SHOP_TRUSTED_PROXIES", "127.0.0.1")]).await;
    let email = "guessed@example.com";
    let mut guesser = Browser::at(&shop, "203.0.113.50");
    for _ in 0..2 {
        guesser.ask_code(email).await;
        let (code, _) = last_code(&shop, email).await;
        let wrong = if code == "000000" { "111111" } else { "000000" };
        for _ in 0..5 {
            let refused = guesser.type_code(wrong).await;
            assert!(
                refused.location.contains("error=code_"),
                "{}",
                refused.location
            );
        }
    }
    guesser.ask_code(email).await;
    let (code, _) = last_code(&shop, email).await;
    let held = guesser.type_code(&code).await;
    assert!(
        held.location
            .starts_with("/signin/code?error=too_many_attempts"),
        "{}",
        held.location
    );
    assert!(held
        .retry_after
        .is_some_and(|s| s.parse::<u64>().unwrap() > 3000));
    let called = guesser
        .call("/api/sign_in/verify", &[("code", &code)])
        .await;
    assert_eq!(called.status, 429);
    assert!(!guesser.signed_in());
    // The address's owner, elsewhere, is not held by this client's guesses
    // (a new address: on to naming the account).
    let mut owner = Browser::at(&shop, "198.51.100.7");
    owner.ask_code(email).await;
    let (code, _) = last_code(&shop, email).await;
    assert_eq!(
        owner.type_code(&code).await.location,
        "/signin/welcome?next=/checkout"
    );
}
