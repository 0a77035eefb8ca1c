//! Shared by the emulator's integration tests: a running emulator on a free
//! port, a small form-encoding client, and a webhook receiver.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use percent_encoding::{utf8_percent_encode, NON_ALPHANUMERIC};
use serde_json::Value;
use stripe_emulator::{start, Config, Emulator, RetryPolicy};

pub const SK: &str = "sk_test_emulator";
pub const PK: &str = "pk_test_emulator";

/// An emulator with short delays, so tests settle in well under a second.
pub async fn emulator() -> Emulator {
    emulator_with(|_| {}).await
}

pub async fn emulator_with(configure: impl FnOnce(&mut Config)) -> Emulator {
    let mut config = Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        settle_after: Duration::from_millis(300),
        delayed_settle_after: Duration::from_millis(1200),
        webhook_retry: RetryPolicy {
            first_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(400),
            max_attempts: 4,
        },
        webhook_timeout: Duration::from_secs(2),
        ..Config::default()
    };
    configure(&mut config);
    start(config).await.expect("emulator starts")
}

pub struct Reply {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub json: Value,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The error object of an error reply.
    pub fn error(&self) -> &Value {
        &self.json["error"]
    }

    #[track_caller]
    pub fn ok(&self) -> &Value {
        assert!(
            self.status == 200,
            "expected 200, got {}: {}",
            self.status,
            self.json
        );
        &self.json
    }
}

pub fn encode(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", utf8_percent_encode(v, NON_ALPHANUMERIC)))
        .collect::<Vec<_>>()
        .join("&")
}

#[derive(Clone)]
pub struct Api {
    pub base: String,
    pub key: String,
    pub client: reqwest::Client,
    /// `Stripe-Version` sent with every request (the account's default when `None`).
    pub version: Option<String>,
}

impl Api {
    pub fn new(emulator: &Emulator, key: &str) -> Self {
        Self {
            base: emulator.base_url.clone(),
            key: key.into(),
            client: reqwest::Client::new(),
            version: None,
        }
    }

    pub fn at_version(mut self, version: Option<&str>) -> Self {
        self.version = version.map(str::to_owned);
        self
    }

    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: String,
        headers: &[(&str, &str)],
    ) -> Reply {
        let mut req = self
            .client
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.key);
        if !body.is_empty() {
            req = req
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body);
        }
        if let Some(version) = &self.version {
            req = req.header("stripe-version", version);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let response = req.send().await.expect("request reaches the emulator");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap();
        let json = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Reply {
            status,
            headers,
            json,
        }
    }

    pub async fn post(&self, path: &str, pairs: &[(&str, &str)]) -> Reply {
        self.send(reqwest::Method::POST, path, encode(pairs), &[])
            .await
    }

    pub async fn post_with(
        &self,
        path: &str,
        pairs: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Reply {
        self.send(reqwest::Method::POST, path, encode(pairs), headers)
            .await
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(reqwest::Method::GET, path, String::new(), &[])
            .await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        self.send(reqwest::Method::DELETE, path, String::new(), &[])
            .await
    }

    /// Creates a customer and returns its id.
    pub async fn customer(&self, email: &str) -> String {
        let c = self
            .post(
                "/v1/customers",
                &[("email", email), ("name", "Test Customer")],
            )
            .await;
        c.ok()["id"].as_str().unwrap().to_owned()
    }

    /// A PaymentIntent with automatic payment methods.
    pub async fn intent(&self, amount: &str, currency: &str, customer: Option<&str>) -> Value {
        let mut pairs = vec![
            ("amount", amount),
            ("currency", currency),
            ("automatic_payment_methods[enabled]", "true"),
        ];
        if let Some(c) = customer {
            pairs.push(("customer", c));
        }
        self.post("/v1/payment_intents", &pairs).await.ok().clone()
    }

    /// Polls a PaymentIntent until its status is `want` (or fails after 5 s).
    pub async fn wait_status(&self, id: &str, want: &str) -> Value {
        for _ in 0..100 {
            let pi = self
                .get(&format!("/v1/payment_intents/{id}"))
                .await
                .ok()
                .clone();
            if pi["status"] == want {
                return pi;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("{id} never reached {want}");
    }
}

/// One webhook POST as the receiver saw it.
#[derive(Clone, Debug)]
pub struct Received {
    pub signature: String,
    pub body: String,
}

/// A local HTTP server that records webhook POSTs and answers with the next
/// status of `script` (then 200).
pub struct Receiver {
    pub url: String,
    pub received: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    pub async fn start(script: Vec<u16>) -> Self {
        let received = Arc::new(Mutex::new(Vec::new()));
        let script = Arc::new(Mutex::new(script));
        let log = received.clone();
        let app = axum::Router::new().route(
            "/hook",
            post(move |headers: HeaderMap, body: Bytes| {
                let log = log.clone();
                let script = script.clone();
                async move {
                    log.lock().unwrap().push(Received {
                        signature: headers
                            .get("stripe-signature")
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or("")
                            .to_owned(),
                        body: String::from_utf8_lossy(&body).into_owned(),
                    });
                    let mut script = script.lock().unwrap();
                    let code = if script.is_empty() {
                        200
                    } else {
                        script.remove(0)
                    };
                    StatusCode::from_u16(code).unwrap()
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Self { url, received }
    }

    pub fn events(&self) -> Vec<Value> {
        self.received
            .lock()
            .unwrap()
            .iter()
            .map(|r| serde_json::from_str(&r.body).unwrap())
            .collect()
    }

    /// Waits until `count` POSTs arrived (or fails after 5 s).
    pub async fn wait_for(&self, count: usize) -> Vec<Received> {
        for _ in 0..100 {
            if self.received.lock().unwrap().len() >= count {
                return self.received.lock().unwrap().clone();
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "expected {count} webhook deliveries, got {}",
            self.received.lock().unwrap().len()
        );
    }
}

/// Verifies a `Stripe-Signature` header as docs/stripe.md describes ("Webhook signatures and delivery"),
/// written from that description alone: split on `,` then `=`; `t` is the
/// timestamp; every `v1` is a candidate; the expected value is the
/// lower-case hex HMAC-SHA256, keyed with the whole secret string, of
/// `"{t}.{body}"`; accept if one matches and the timestamp is within
/// `tolerance` seconds.
pub fn verify_signature(
    header: &str,
    body: &str,
    secret: &str,
    now: i64,
    tolerance: i64,
) -> Result<(), String> {
    use hmac::{Hmac, Mac};
    let mut timestamp = None;
    let mut candidates = Vec::new();
    for item in header.split(',') {
        let (k, v) = item.split_once('=').ok_or("malformed item")?;
        match k.trim() {
            "t" => timestamp = Some(v.trim().parse::<i64>().map_err(|_| "bad timestamp")?),
            "v1" => candidates.push(v.trim().to_owned()),
            _ => {}
        }
    }
    let t = timestamp.ok_or("no timestamp")?;
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(t.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    let expected: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    if !candidates.iter().any(|c| c == &expected) {
        return Err("no matching v1 signature".into());
    }
    if now - t > tolerance {
        return Err("timestamp outside the tolerance".into());
    }
    Ok(())
}
