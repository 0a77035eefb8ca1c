//! Two shop instances on one PostgreSQL behind nginx, as deployed
//! (README, "Several instances"): orders are placed through either instance,
//! a standalone emulator (one Stripe account) delivers their webhooks
//! duplicated and shuffled to the proxy, and one instance is killed in the
//! middle of the burst and started again. Every order must end paid once,
//! fulfilled once, with one confirmation, no message sent twice and none
//! left `sending`.
//!
//! Runs on the test command's PostgreSQL pass (`SHOP_TEST_DATABASE_URL`),
//! where it needs nginx (the test command installs it); on the SQLite pass
//! it has nothing to test.

use crate::support;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use shop::i18n::Locale;
use shop::money::Currency;
use shop::server::customers::{self, NewCustomer};
use shop::server::{db, sessions};
use support::burst::{self, count, PAID, UNSENT};
use support::eventually;

const ORDERS: usize = 200;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// nginx in the foreground with a configuration of our own, in `folder`.
struct Proxy {
    child: Child,
}

impl Proxy {
    fn start(folder: &Path, port: u16, upstreams: &[u16]) -> Self {
        let nginx = ["/usr/sbin/nginx", "/usr/local/sbin/nginx"]
            .into_iter()
            .find(|p| Path::new(p).exists())
            .expect("nginx is not installed (the test command installs it: scripts/lib.sh)");
        // The deployment's own file, with this test's ports and folder, and
        // a header naming the instance that answered.
        let template = include_str!("../../../deploy/nginx.conf");
        let config = template
            .replace("127.0.0.1:3001", &format!("127.0.0.1:{}", upstreams[0]))
            .replace("127.0.0.1:3002", &format!("127.0.0.1:{}", upstreams[1]))
            .replace(
                "listen 127.0.0.1:8080;",
                &format!("listen 127.0.0.1:{port};"),
            )
            .replace(
                "location / {",
                "location / {\n            add_header X-Shop-Upstream $upstream_addr always;",
            )
            .replace("/var/log/nginx/", &format!("{}/", folder.display()))
            .replace(
                "/run/shop-nginx.pid",
                &format!("{}/nginx.pid", folder.display()),
            )
            .replace("/var/lib/shop-nginx", &folder.display().to_string());
        let conf = folder.join("nginx.conf");
        std::fs::write(&conf, config).unwrap();
        let child = Command::new(nginx)
            .arg("-e")
            .arg(folder.join("error.log"))
            .arg("-p")
            .arg(folder)
            .arg("-c")
            .arg(&conf)
            .args(["-g", "daemon off;"])
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        Self { child }
    }
}

impl Drop for Proxy {
    /// SIGTERM, which the master passes on to its workers (a SIGKILL would
    /// leave them listening).
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

/// One shop server process.
struct Instance {
    name: &'static str,
    port: u16,
    vars: Vec<(&'static str, String)>,
    child: Option<Child>,
}

impl Instance {
    fn start(&mut self) {
        let child = Command::new(env!("CARGO_BIN_EXE_server"))
            .envs(self.vars.iter().cloned())
            .env("SHOP_ADDR", format!("127.0.0.1:{}", self.port))
            .env("SHOP_INSTANCE", self.name)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        self.child = Some(child);
    }

    fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().unwrap();
            child.wait().unwrap();
        }
    }

    async fn wait_ready(&self) {
        let url = format!("http://127.0.0.1:{}/readyz", self.port);
        let up = support::answers_within(60, &url).await;
        assert!(up, "instance {} did not come up", self.name);
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        self.kill();
    }
}

fn scratch(name: &str) -> PathBuf {
    let folder = std::env::temp_dir().join(format!("shop-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).unwrap();
    // nginx's workers run as an unprivileged user when started by root.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o777)).unwrap();
    }
    folder
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_behind_nginx_pay_every_order_once_while_one_is_killed() {
    let database_url = db::test_database_url().await.unwrap();
    if db::Backend::of_url(&database_url) != Some(db::Backend::Postgres) {
        eprintln!("SQLite pass: several instances share a PostgreSQL database; nothing to test");
        return;
    }
    let folder = scratch("proxy");

    // One Stripe account for both instances, retrying quickly.
    let emulator = burst::standalone_emulator().await;
    let proxy_port = free_port();
    let public = format!("http://127.0.0.1:{proxy_port}");
    let http = reqwest::Client::new();
    let webhook_secret =
        burst::webhook_secret_for(&emulator, &format!("{public}/webhooks/stripe")).await;
    let vars = vec![
        ("DATABASE_URL", database_url.clone()),
        ("STRIPE_SECRET_KEY", emulator.secret_key.clone()),
        ("STRIPE_PUBLISHABLE_KEY", emulator.publishable_key.clone()),
        ("STRIPE_WEBHOOK_SECRET", webhook_secret),
        ("STRIPE_API_BASE", emulator.base_url.clone()),
        ("STRIPE_JS_URL", format!("{}/v3/", emulator.base_url)),
        ("SHOP_PUBLIC_URL", public.clone()),
        ("SHOP_TRUSTED_PROXIES", "127.0.0.1".into()),
        ("SHOP_DEMO", "false".into()),
        // Stripe's redelivery alone must suffice (the catch-up is tested elsewhere).
        ("SHOP_CATCH_UP_EVERY_SECS", "0".into()),
        ("RUST_LOG", "error".into()),
    ];
    let mut instances = [
        Instance {
            name: "a",
            port: free_port(),
            vars: vars.clone(),
            child: None,
        },
        Instance {
            name: "b",
            port: free_port(),
            vars,
            child: None,
        },
    ];
    // Started at the same moment on a new database: they take turns to migrate.
    for instance in &mut instances {
        instance.start();
    }
    for instance in &instances {
        instance.wait_ready().await;
    }
    let _proxy = Proxy::start(&folder, proxy_port, &[instances[0].port, instances[1].port]);
    let up = support::answers_within(20, &format!("{public}/readyz")).await;
    assert!(up, "nginx did not come up");

    // Customers, each signed in (a session row, as sign-in makes: the
    // password hash is not what this test is about).
    let pool = db::connect(&database_url).await.unwrap();
    let mut cookies = Vec::new();
    for i in 0..ORDERS {
        let id = customers::create(
            &pool,
            &NewCustomer {
                email: &format!("proxy{i}@example.com"),
                name: "Proxy",
                password: Some("not used here"),
                locale: Locale::En,
                currency: Currency::Usd,
                country: "US",
            },
        )
        .await
        .unwrap();
        let token = sessions::create(&pool, id, 3600).await.unwrap();
        cookies.push(format!("shop_session={}", token.as_str()));
    }

    // Each puts a product in the cart and starts the checkout, through the
    // proxy: the requests land on either instance.
    let mut intents = Vec::new();
    let mut served_by = std::collections::BTreeMap::<String, usize>::new();
    for cookie in &cookies {
        let call = |path: &str, body: String| {
            http.post(format!("{public}/api/{path}"))
                .header("Cookie", cookie)
                .header("Origin", &public)
                .header("Accept", "application/json")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(body)
                .send()
        };
        let mut note_upstream = |reply: &reqwest::Response| {
            let upstream = reply
                .headers()
                .get("x-shop-upstream")
                .map(|v| v.to_str().unwrap().to_owned())
                .unwrap_or_default();
            *served_by.entry(upstream).or_default() += 1;
        };
        let added = call("cart/add", "product_id=mug".into()).await.unwrap();
        assert!(added.status().is_success(), "{}", added.status());
        note_upstream(&added);
        // A mug to ship: the address first (no intent secret before it).
        let step: serde_json::Value = call("checkout/start", String::new())
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let order = &step["Ready"]["order"]["id"];
        let address = format!(
            "order_id={order}&name=Pat&line1=1+Main+St&city=Springfield&state=IL&postal_code=62701&country=US"
        );
        let priced = call("checkout/address", address).await.unwrap();
        assert!(priced.status().is_success(), "{}", priced.status());
        note_upstream(&priced);
        let started = call("checkout/start", String::new()).await.unwrap();
        assert!(started.status().is_success(), "{}", started.status());
        note_upstream(&started);
        let view: serde_json::Value = started.json().await.unwrap();
        let secret = view["Ready"]["client_secret"]
            .as_str()
            .unwrap_or_else(|| panic!("not ready to pay: {view}"));
        let intent = secret.split("_secret_").next().unwrap().to_owned();
        intents.push(intent);
    }
    // Round robin: a cart filled on one instance is often paid on the other.
    assert_eq!(served_by.len(), 2, "both instances serve: {served_by:?}");
    assert!(
        served_by.values().all(|&n| n >= ORDERS / 4),
        "{served_by:?}"
    );

    // The shoppers pay; Stripe's events arrive twice each, out of order.
    burst::duplicate_and_shuffle_webhooks(&emulator).await;
    let payer = burst::pay_one_after_another(&emulator, intents, Duration::from_millis(10));

    // Instance a dies in the middle of the burst; nginx sends what follows
    // to b, and Stripe redelivers what a never acknowledged.
    let some_paid = eventually(60, || async { count(&pool, PAID).await >= 20 }).await;
    assert!(some_paid, "payments did not start arriving");
    instances[0].kill();
    let paid_at_kill = count(&pool, PAID).await;
    assert!(
        (paid_at_kill as usize) < ORDERS,
        "the kill came after the burst ({paid_at_kill} paid)"
    );
    eprintln!("instance a killed with {paid_at_kill} of {ORDERS} orders paid");
    tokio::time::sleep(Duration::from_millis(500)).await;
    instances[0].start();
    instances[0].wait_ready().await;
    payer.await.unwrap();

    let settled = eventually(120, || burst::settled(&pool, ORDERS)).await;
    assert!(
        settled,
        "{} of {ORDERS} orders paid; {} messages pending or sending",
        count(&pool, PAID).await,
        count(&pool, UNSENT).await
    );
    burst::assert_each_order_paid_once(&pool, ORDERS).await;
    pool.close().await;
    drop(instances);
    emulator.stop().await;
    let _ = std::fs::remove_dir_all(&folder);
}
