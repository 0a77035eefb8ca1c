//! HTTP to Stripe with the official SDKs' retry rules: connection errors,
//! 409, 429 and 5xx are retried with exponential backoff and jitter, unless
//! Stripe says `Stripe-Should-Retry: false` (and always when it says `true`).
//! A POST keeps its `Idempotency-Key` across retries, so a retry can never
//! charge twice.

use std::sync::Arc;
use std::time::Duration;

use rand::Rng;
use serde::de::DeserializeOwned;

use super::error::{ApiErrorBody, StripeError};
use super::form::Form;
use super::types::*;
use super::{Secret, API_VERSION};
use crate::delivery::ShippingAddress;

/// A PaymentIntent to create for an order.
pub struct NewPaymentIntent<'a> {
    pub order_id: i64,
    pub amount: i64,
    pub currency: &'a str,
    /// The Stripe customer.
    pub customer: &'a str,
    pub receipt_email: &'a str,
    pub description: String,
    /// Where the order is shipped, when it is known.
    pub shipping: Option<&'a ShippingAddress>,
}

/// The `shipping[…]` fields of `address`. Empty optional lines are sent
/// empty, which Stripe stores as null.
fn shipping_fields(form: Form, address: &ShippingAddress) -> Form {
    form.field("shipping[name]", &address.name)
        .field("shipping[address][line1]", &address.line1)
        .field("shipping[address][line2]", &address.line2)
        .field("shipping[address][city]", &address.city)
        .field("shipping[address][state]", &address.state)
        .field("shipping[address][postal_code]", &address.postal_code)
        .field("shipping[address][country]", &address.country)
}

/// A short digest of an address, so that idempotency keys differ with it.
fn address_digest(address: Option<&ShippingAddress>) -> String {
    use sha2::{Digest, Sha256};
    let Some(address) = address else {
        return "none".into();
    };
    let mut hash = Sha256::new();
    for part in [
        &address.name,
        &address.line1,
        &address.line2,
        &address.city,
        &address.state,
        &address.postal_code,
        &address.country,
    ] {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    hash.finalize()[..6]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[derive(Clone, Debug)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    pub initial_delay: Duration,
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 2,
            initial_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(5),
        }
    }
}

impl RetryPolicy {
    /// Exponential, capped, with jitter so that many clients do not retry in step.
    pub fn delay(&self, retry: u32) -> Duration {
        let base = self
            .initial_delay
            .saturating_mul(2u32.saturating_pow(retry))
            .min(self.max_delay);
        base.mul_f64(rand::thread_rng().gen_range(0.75..=1.0))
    }
}

/// Where Stripe is and how to talk to it.
#[derive(Clone, Debug)]
pub struct StripeSettings {
    /// `https://api.stripe.com`, or the emulator's base URL.
    pub api_base: String,
    pub secret_key: Secret,
    pub publishable_key: String,
    /// Where the browser loads Stripe.js from.
    pub js_url: String,
    pub retry: RetryPolicy,
}

impl StripeSettings {
    /// Whether the secret key is a live one (`sk_live_`, `rk_live_`); test
    /// keys and the emulator's are test mode.
    pub fn livemode(&self) -> bool {
        let key = self.secret_key.expose();
        key.starts_with("sk_live_") || key.starts_with("rk_live_")
    }
}

#[derive(Clone)]
pub struct StripeClient {
    http: reqwest::Client,
    settings: Arc<StripeSettings>,
}

fn should_retry(status: Option<u16>, stripe_says: Option<bool>) -> bool {
    if let Some(decision) = stripe_says {
        return decision;
    }
    match status {
        None => true,
        Some(409) | Some(429) => true,
        Some(s) => s >= 500,
    }
}

/// A request as sent on every try: a GET's form is its query string.
struct Prepared<'a> {
    method: reqwest::Method,
    path: &'a str,
    url: String,
    body: Option<String>,
    idempotency_key: Option<&'a str>,
}

impl<'a> Prepared<'a> {
    fn new(
        api_base: &str,
        method: reqwest::Method,
        path: &'a str,
        form: &Form,
        idempotency_key: Option<&'a str>,
    ) -> Self {
        let base = format!("{}{path}", api_base.trim_end_matches('/'));
        let encoded = form.encode();
        let (url, body) = match method {
            reqwest::Method::GET if encoded.is_empty() => (base, None),
            reqwest::Method::GET => (format!("{base}?{encoded}"), None),
            _ => (base, Some(encoded)),
        };
        Self {
            method,
            path,
            url,
            body,
            idempotency_key,
        }
    }
}

/// A try that did not end in a 2xx: with what Stripe said about retrying.
struct Failure {
    status: Option<u16>,
    stripe_says: Option<bool>,
    error: StripeError,
}

impl StripeClient {
    pub fn new(settings: StripeSettings) -> Self {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(40))
            .user_agent(concat!("rustic-roast/", env!("CARGO_PKG_VERSION")))
            .build()
            .expect("an HTTP client with default settings");
        Self {
            http,
            settings: Arc::new(settings),
        }
    }

    pub fn settings(&self) -> &StripeSettings {
        &self.settings
    }

    /// Sends a request, retrying what Stripe's guidance says to retry (with
    /// the same idempotency key), and decodes the answer.
    async fn send<T: DeserializeOwned>(
        &self,
        method: reqwest::Method,
        path: &str,
        form: &Form,
        idempotency_key: Option<&str>,
    ) -> Result<T, StripeError> {
        let request = Prepared::new(&self.settings.api_base, method, path, form, idempotency_key);
        let mut retry = 0;
        loop {
            let failure = match self.try_once(&request, retry).await {
                Ok(text) => {
                    return serde_json::from_str(&text)
                        .map_err(|e| StripeError::Decode(format!("{path}: {e}")))
                }
                Err(failure) => failure,
            };
            if retry >= self.settings.retry.max_retries
                || !should_retry(failure.status, failure.stripe_says)
            {
                if failure.status.is_none_or(|s| s >= 500) {
                    let method = &request.method;
                    tracing::warn!(%method, path, retry, error = %failure.error, "stripe request failed");
                }
                return Err(failure.error);
            }
            tokio::time::sleep(self.settings.retry.delay(retry)).await;
            retry += 1;
        }
    }

    /// One try: the body of a 2xx answer, or what went wrong.
    async fn try_once(&self, request: &Prepared<'_>, retry: u32) -> Result<String, Failure> {
        let mut builder = self
            .http
            .request(request.method.clone(), &request.url)
            .bearer_auth(self.settings.secret_key.expose())
            .header("Stripe-Version", API_VERSION);
        if let Some(body) = &request.body {
            builder = builder
                .header("Content-Type", "application/x-www-form-urlencoded")
                .body(body.clone());
        }
        if let Some(key) = request.idempotency_key {
            builder = builder.header("Idempotency-Key", key);
        }
        let response = builder.send().await.map_err(|err| Failure {
            status: None,
            stripe_says: None,
            error: StripeError::Connection(err.without_url().to_string()),
        })?;
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let request_id = header("request-id");
        let stripe_says = header("stripe-should-retry").map(|v| v == "true");
        let text = response.text().await.map_err(|e| Failure {
            status: Some(status),
            stripe_says: Some(false),
            error: StripeError::Decode(e.to_string()),
        })?;
        let (method, path) = (&request.method, request.path);
        tracing::debug!(%method, path, status, request_id = request_id.as_deref().unwrap_or(""), retry, "stripe");
        if (200..300).contains(&status) {
            return Ok(text);
        }
        Err(Failure {
            status: Some(status),
            stripe_says,
            error: StripeError::Api {
                status,
                body: ApiErrorBody::from_response(status, &text),
                request_id,
            },
        })
    }

    pub async fn post<T: DeserializeOwned>(
        &self,
        path: &str,
        form: &Form,
        idempotency_key: &str,
    ) -> Result<T, StripeError> {
        self.send(reqwest::Method::POST, path, form, Some(idempotency_key))
            .await
    }

    pub async fn delete<T: DeserializeOwned>(&self, path: &str) -> Result<T, StripeError> {
        self.send(reqwest::Method::DELETE, path, &Form::new(), None)
            .await
    }

    pub async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &Form,
    ) -> Result<T, StripeError> {
        self.send(reqwest::Method::GET, path, query, None).await
    }

    // The typed requests below each own their idempotency key: the same
    // logical request (a retry, a second tab, another instance) gets the same
    // key, so Stripe does it once.

    /// The Stripe customer of shop customer `shop_customer_id`: two first
    /// checkouts at once create one. `locale` becomes its first
    /// `preferred_locales` (Stripe's own e-mails, receipts, in that language).
    pub async fn create_customer(
        &self,
        email: &str,
        name: &str,
        locale: &str,
        shop_customer_id: i64,
    ) -> Result<Customer, StripeError> {
        let form = Form::new()
            .field("email", email)
            .field("name", name)
            .field("preferred_locales[0]", locale)
            .field("metadata[shop_customer_id]", shop_customer_id);
        let key = format!("shop-customer-{shop_customer_id}");
        self.post("/v1/customers", &form, &key).await
    }

    /// The PaymentIntent of an order, for its amount: one per order and
    /// amount, however many pages start the checkout at once.
    pub async fn create_payment_intent(
        &self,
        intent: &NewPaymentIntent<'_>,
    ) -> Result<PaymentIntent, StripeError> {
        let form = Form::new()
            .field("amount", intent.amount)
            .field("currency", intent.currency)
            .field("customer", intent.customer)
            // Real Stripe e-mails its own receipt of the payment there.
            .field("receipt_email", intent.receipt_email)
            .field("automatic_payment_methods[enabled]", "true")
            .field("metadata[order_id]", intent.order_id)
            .field("description", &intent.description);
        let form = match intent.shipping {
            Some(address) => shipping_fields(form, address),
            None => form,
        };
        let key = format!(
            "order-{}-intent-{}-ship-{}",
            intent.order_id,
            intent.amount,
            address_digest(intent.shipping)
        );
        self.post("/v1/payment_intents", &form, &key).await
    }

    /// Sets the amount and the shipping address of an order's intent to
    /// follow version `version` of the order. A payment already made
    /// refuses it (the intent is final).
    pub async fn update_payment_intent(
        &self,
        id: &str,
        order_id: i64,
        version: i64,
        amount: i64,
        shipping: Option<&ShippingAddress>,
    ) -> Result<PaymentIntent, StripeError> {
        let key = format!(
            "order-{order_id}-v{version}-amount-{amount}-ship-{}",
            address_digest(shipping)
        );
        let form = Form::new().field("amount", amount);
        let form = match shipping {
            Some(address) => shipping_fields(form, address),
            None => form.field("shipping", ""),
        };
        self.post(&format!("/v1/payment_intents/{id}"), &form, &key)
            .await
    }

    /// Saves `address` as the customer's shipping address (the Address
    /// Element's prefill next time). Each call is its own change: the key
    /// only makes this call's retries safe.
    pub async fn set_customer_shipping(
        &self,
        customer: &str,
        address: &ShippingAddress,
    ) -> Result<Customer, StripeError> {
        let key = format!(
            "customer-{customer}-shipping-{}-{}",
            address_digest(Some(address)),
            rand::thread_rng().gen::<u32>()
        );
        self.post(
            &format!("/v1/customers/{customer}"),
            &shipping_fields(Form::new(), address),
            &key,
        )
        .await
    }

    /// `invoice_settings[default_payment_method]`: the method the Payment
    /// Element lists first for this customer.
    pub async fn set_default_payment_method(
        &self,
        customer: &str,
        method: &str,
    ) -> Result<Customer, StripeError> {
        self.post(
            &format!("/v1/customers/{customer}"),
            &Form::new().field("invoice_settings[default_payment_method]", method),
            &format!("customer-{customer}-default-{method}"),
        )
        .await
    }

    pub async fn retrieve_customer(&self, id: &str) -> Result<Customer, StripeError> {
        self.get(&format!("/v1/customers/{id}"), &Form::new()).await
    }

    /// One page of the account's customers, newest first: those whose
    /// e-mail is exactly `email` (Stripe's filter is case-sensitive), or all.
    pub async fn list_customers(
        &self,
        email: Option<&str>,
        starting_after: Option<&str>,
    ) -> Result<List<Customer>, StripeError> {
        let query = Form::new()
            .field("limit", 100)
            .optional("email", email)
            .optional("starting_after", starting_after);
        self.get("/v1/customers", &query).await
    }

    /// Refunds `amount` of a PaymentIntent's payment. `key` makes a retry of
    /// the same refund (a timeout, the command run again) refund once.
    pub async fn create_refund(
        &self,
        payment_intent: &str,
        amount: i64,
        reason: Option<&str>,
        key: &str,
    ) -> Result<Refund, StripeError> {
        let form = Form::new()
            .field("payment_intent", payment_intent)
            .field("amount", amount)
            .optional("reason", reason);
        self.post("/v1/refunds", &form, key).await
    }

    /// Every refund of a PaymentIntent, newest first.
    pub async fn list_refunds(&self, payment_intent: &str) -> Result<Vec<Refund>, StripeError> {
        let mut refunds = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let page: List<Refund> = self
                .get(
                    "/v1/refunds",
                    &Form::new()
                        .field("payment_intent", payment_intent)
                        .field("limit", 100)
                        .optional("starting_after", after.as_deref()),
                )
                .await?;
            after = page.data.last().map(|r| r.id.clone());
            refunds.extend(page.data);
            if !page.has_more || after.is_none() {
                return Ok(refunds);
            }
        }
    }

    /// Cancels a PaymentIntent that was not paid (it can never be paid after).
    pub async fn cancel_payment_intent(&self, id: &str) -> Result<PaymentIntent, StripeError> {
        self.post(
            &format!("/v1/payment_intents/{id}/cancel"),
            &Form::new().field("cancellation_reason", "requested_by_customer"),
            &format!("cancel-{id}"),
        )
        .await
    }

    /// Whether the customer has any saved payment method.
    pub async fn has_payment_methods(&self, customer: &str) -> Result<bool, StripeError> {
        let page: List<PaymentMethod> = self
            .get(
                &format!("/v1/customers/{customer}/payment_methods"),
                &Form::new().field("limit", 1),
            )
            .await?;
        Ok(!page.data.is_empty())
    }

    pub async fn retrieve_payment_intent(&self, id: &str) -> Result<PaymentIntent, StripeError> {
        self.get(&format!("/v1/payment_intents/{id}"), &Form::new())
            .await
    }

    pub async fn retrieve_payment_method(&self, id: &str) -> Result<PaymentMethod, StripeError> {
        self.get(&format!("/v1/payment_methods/{id}"), &Form::new())
            .await
    }

    /// Detaches a payment method from its customer (it can no longer be used).
    pub async fn detach_payment_method(&self, id: &str) -> Result<PaymentMethod, StripeError> {
        self.post(
            &format!("/v1/payment_methods/{id}/detach"),
            &Form::new(),
            &format!("detach-{id}"),
        )
        .await
    }

    pub async fn list_payment_methods(
        &self,
        customer: &str,
    ) -> Result<List<PaymentMethod>, StripeError> {
        self.get(
            &format!("/v1/customers/{customer}/payment_methods"),
            &Form::new().field("limit", 100),
        )
        .await
    }

    /// A fresh CustomerSession for the Payment Element (its secret is
    /// short-lived: one per page, never replayed).
    pub async fn create_customer_session(
        &self,
        customer: &str,
    ) -> Result<CustomerSession, StripeError> {
        let features = "components[payment_element][features]";
        let form = Form::new()
            .field("customer", customer)
            .field("components[payment_element][enabled]", "true")
            .field(format!("{features}[payment_method_redisplay]"), "enabled")
            .field(format!("{features}[payment_method_save]"), "enabled")
            .field(
                format!("{features}[payment_method_save_usage]"),
                "off_session",
            )
            .field(format!("{features}[payment_method_remove]"), "enabled");
        let key = format!(
            "cuss-{customer}-{}-{}",
            crate::orders::unix_now(),
            rand::thread_rng().gen::<u32>()
        );
        self.post("/v1/customer_sessions", &form, &key).await
    }

    /// Attaches a payment method (or a test one, `pm_card_visa`) to a customer.
    pub async fn attach_payment_method(
        &self,
        payment_method: &str,
        customer: &str,
    ) -> Result<PaymentMethod, StripeError> {
        self.post(
            &format!("/v1/payment_methods/{payment_method}/attach"),
            &Form::new().field("customer", customer),
            &format!("attach-{payment_method}-{customer}"),
        )
        .await
    }

    /// Lets the Payment Element show a saved method again, with its owner's name.
    pub async fn allow_redisplay(
        &self,
        payment_method: &str,
        name: &str,
        email: &str,
    ) -> Result<PaymentMethod, StripeError> {
        let form = Form::new()
            .field("allow_redisplay", "always")
            .field("billing_details[name]", name)
            .field("billing_details[email]", email);
        let key = format!("redisplay-{payment_method}");
        self.post(
            &format!("/v1/payment_methods/{payment_method}"),
            &form,
            &key,
        )
        .await
    }

    /// A US bank account entered by hand (test routing and account numbers),
    /// one per `owner` (the Stripe customer it is for).
    pub async fn create_us_bank_account(
        &self,
        owner: &str,
        name: &str,
        email: &str,
        routing_number: &str,
        account_number: &str,
    ) -> Result<PaymentMethod, StripeError> {
        let form = Form::new()
            .field("type", "us_bank_account")
            .field("us_bank_account[routing_number]", routing_number)
            .field("us_bank_account[account_number]", account_number)
            .field("us_bank_account[account_holder_type]", "individual")
            .field("billing_details[name]", name)
            .field("billing_details[email]", email);
        let key = format!("us-bank-account-{owner}");
        self.post("/v1/payment_methods", &form, &key).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;
    use stripe_emulator::{start, Config, Emulator};

    async fn emulator() -> Emulator {
        start(Config {
            addr: "127.0.0.1:0".parse().unwrap(),
            ..Config::default()
        })
        .await
        .unwrap()
    }

    fn client(base: &str, key: &str, max_retries: u32) -> StripeClient {
        StripeClient::new(StripeSettings {
            api_base: base.into(),
            secret_key: Secret::new(key),
            publishable_key: "pk_test_emulator".into(),
            js_url: format!("{base}/v3/"),
            retry: RetryPolicy {
                max_retries,
                initial_delay: Duration::from_millis(5),
                max_delay: Duration::from_millis(20),
            },
        })
    }

    async fn inject(emu: &Emulator, form: &[(&str, &str)]) {
        reqwest::Client::new()
            .post(format!("{}/_emulator/faults", emu.base_url))
            .bearer_auth(&emu.secret_key)
            .form(form)
            .send()
            .await
            .unwrap()
            .error_for_status()
            .unwrap();
    }

    fn customer_count(emu: &Emulator) -> usize {
        emu.shared.store.lock().unwrap().customers.len()
    }

    #[tokio::test]
    async fn retries_server_errors_with_the_same_idempotency_key() {
        let emu = emulator().await;
        let stripe = client(&emu.base_url, &emu.secret_key, 2);
        inject(&emu, &[("status", "503"), ("count", "2")]).await;
        let customer = stripe
            .create_customer("a@example.com", "A", "en", 1)
            .await
            .unwrap();
        assert!(customer.id.starts_with("cus_"));
        assert_eq!(customer_count(&emu), 1);
        // A later retry of the same logical request replays instead of creating another.
        let again = stripe
            .create_customer("a@example.com", "A", "en", 1)
            .await
            .unwrap();
        assert_eq!(again.id, customer.id);
        assert_eq!(customer_count(&emu), 1);
        assert_eq!(emu.shared.store.lock().unwrap().idempotency.len(), 1);
    }

    #[tokio::test]
    async fn retries_409_and_429_but_gives_up_after_the_limit() {
        let emu = emulator().await;
        let stripe = client(&emu.base_url, &emu.secret_key, 2);
        for (id, status) in [(2, "409"), (3, "429")] {
            inject(&emu, &[("status", status), ("count", "1")]).await;
            stripe
                .create_customer("b@example.com", "B", "en", id)
                .await
                .unwrap();
        }
        inject(&emu, &[("status", "500"), ("count", "5")]).await;
        let err = stripe
            .create_customer("c@example.com", "C", "en", 4)
            .await
            .unwrap_err();
        assert_eq!(err.status(), Some(500));
        // Three attempts were made (one plus two retries); two faults remain.
        assert_eq!(emu.shared.faults.lock().unwrap().remaining, 2);
        assert_eq!(customer_count(&emu), 2);
    }

    #[tokio::test]
    async fn honours_stripe_should_retry() {
        let emu = emulator().await;
        let stripe = client(&emu.base_url, &emu.secret_key, 3);
        inject(
            &emu,
            &[("status", "503"), ("count", "2"), ("should_retry", "false")],
        )
        .await;
        let err = stripe
            .create_customer("d@example.com", "D", "en", 5)
            .await
            .unwrap_err();
        assert_eq!(err.status(), Some(503));
        assert_eq!(
            emu.shared.faults.lock().unwrap().remaining,
            1,
            "no retry when Stripe says no"
        );
    }

    #[tokio::test]
    async fn does_not_retry_what_a_retry_cannot_fix() {
        let emu = emulator().await;
        let stripe = client(&emu.base_url, &emu.secret_key, 3);
        let err = stripe
            .post::<Customer>(
                "/v1/customers",
                &Form::new().field("colour", "blue"),
                "k-bad",
            )
            .await
            .unwrap_err();
        assert_eq!(
            (err.status(), err.code()),
            (Some(400), Some("parameter_unknown"))
        );
        let wrong_key = client(&emu.base_url, "sk_test_wrong", 3);
        assert_eq!(
            wrong_key
                .create_customer("e@example.com", "E", "en", 6)
                .await
                .unwrap_err()
                .status(),
            Some(401)
        );
    }

    #[tokio::test]
    async fn an_unreachable_stripe_is_a_connection_error() {
        // A port nothing listens on.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        drop(listener);
        let stripe = client(&base, "sk_test_x", 1);
        let err = stripe.retrieve_payment_intent("pi_x").await.unwrap_err();
        assert!(matches!(err, StripeError::Connection(_)), "{err:?}");
        assert!(!err.to_string().contains("sk_test_x"));
    }

    #[tokio::test]
    async fn declines_are_errors_a_shopper_can_act_on() {
        let emu = emulator().await;
        let stripe = client(&emu.base_url, &emu.secret_key, 0);
        let form = Form::new()
            .field("amount", 1000)
            .field("currency", "eur")
            .field(
                "payment_method",
                "pm_card_visa_chargeDeclinedInsufficientFunds",
            )
            .field("confirm", "true")
            .field("automatic_payment_methods[enabled]", "true")
            .field("automatic_payment_methods[allow_redirects]", "never");
        let err = stripe
            .post::<PaymentIntent>("/v1/payment_intents", &form, "k-decline")
            .await
            .unwrap_err();
        assert!(err.is_shopper_actionable());
        let StripeError::Api {
            status,
            body,
            request_id,
        } = err
        else {
            panic!()
        };
        assert_eq!(status, 402);
        assert_eq!(body.decline_code.as_deref(), Some("insufficient_funds"));
        assert_eq!(
            body.message.as_deref(),
            Some("Your card has insufficient funds.")
        );
        assert!(request_id.unwrap().starts_with("req_"));
    }

    #[test]
    fn secrets_do_not_print() {
        let s = Secret::new("sk_test_verysecretvalue");
        assert_eq!(format!("{s:?}"), "Secret(sk_test_…)");
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let p = RetryPolicy {
            max_retries: 5,
            initial_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(300),
        };
        assert!(
            p.delay(0) <= Duration::from_millis(100) && p.delay(0) >= Duration::from_millis(75)
        );
        assert!(p.delay(5) <= Duration::from_millis(300));
    }
}
