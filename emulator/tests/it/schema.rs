//! Every object the emulator returns is checked against its schema:
//! required fields present, types right, and no field the schema does not
//! know. At the current API version against `openapi-current.json` (the
//! schemas stripe-node 23 generates from Stripe's spec, 2026-10-28.endive);
//! at 2024-04-10 against that version's OpenAPI subset, so the fields that
//! changed in between are checked both ways.

use crate::support;

use serde_json::Value;
use support::{emulator, Api, PK, SK};

/// The older version checked, and its spec.
const OLDER: &str = "2024-04-10";

/// Fields (and enum values, `path=value`) Stripe added after 2024-04-10
/// without a new version: every version returns them, so the older spec may
/// not know them (matched by the end of their path).
const ADDED_TO_EVERY_VERSION: &[&str] = &[
    "payment_intent.customer_account",
    "payment_intent.managed_payments",
    "payment_intent.payment_record",
    "payment_intent.source",
    "charge.source",
    "payment_method.customer_account",
    "billing_details.tax_id",
    "card.regulated_status",
    "card.authorization_code",
    "card.electronic_commerce_indicator",
    "card.network_transaction_id",
    "card.transaction_link_id",
    "ideal.transaction_id",
    // New Zealand BECS (2025): a new type, and the field named after it.
    "payment_method.nz_bank_account",
    "payment_method.type=nz_bank_account",
    "payment_method_details.nz_bank_account",
    "payment_method_details.type=nz_bank_account",
    "us_bank_account.payment_reference",
    "refund.customer",
    "refund.customer_account",
    "refund.payment_method",
    "components.active_entitlements",
    "components.customer_portal",
];

struct Spec {
    schemas: Value,
    /// Unknown fields that are not errors (the older spec's additions).
    tolerated: &'static [&'static str],
}

impl Spec {
    fn load(file: &str, tolerated: &'static [&'static str]) -> Self {
        let path = format!("{}/tests/data/{file}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(path).unwrap();
        Spec {
            schemas: serde_json::from_str(&text).unwrap(),
            tolerated,
        }
    }

    fn current() -> Self {
        Self::load("openapi-current.json", &[])
    }

    fn older() -> Self {
        Self::load("openapi-subset.json", ADDED_TO_EVERY_VERSION)
    }

    fn schema(&self, name: &str) -> &Value {
        &self.schemas["components"]["schemas"][name]
    }

    fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(r) => self.resolve(self.schema(r.trim_start_matches("#/components/schemas/"))),
            None => schema,
        }
    }

    /// Collects every way `value` breaks `schema`.
    fn check(&self, schema: &Value, value: &Value, path: &str, errors: &mut Vec<String>) {
        let schema = self.resolve(schema);
        if value.is_null() {
            if schema.get("nullable") != Some(&Value::Bool(true))
                && !schema.as_object().is_some_and(|o| o.is_empty())
            {
                let any_nullable = schema
                    .get("anyOf")
                    .and_then(Value::as_array)
                    .is_some_and(|v| {
                        v.iter()
                            .any(|s| self.resolve(s).get("nullable") == Some(&Value::Bool(true)))
                    });
                if !any_nullable {
                    errors.push(format!("{path}: null but not nullable"));
                }
            }
            return;
        }
        for key in ["anyOf", "oneOf"] {
            if let Some(options) = schema.get(key).and_then(Value::as_array) {
                let fits = options.iter().any(|o| {
                    let mut e = Vec::new();
                    self.check(o, value, path, &mut e);
                    e.is_empty()
                });
                if !fits {
                    let mut detail = Vec::new();
                    for o in options {
                        self.check(o, value, path, &mut detail);
                    }
                    errors.push(format!(
                        "{path}: fits none of {key} ({})",
                        detail.join("; ")
                    ));
                }
                return;
            }
        }
        match schema.get("type").and_then(Value::as_str) {
            Some("object") => {
                let Some(object) = value.as_object() else {
                    errors.push(format!("{path}: expected an object, got {value}"));
                    return;
                };
                let properties = schema.get("properties").and_then(Value::as_object);
                for required in schema
                    .get("required")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let r = required.as_str().unwrap();
                    if !object.contains_key(r) {
                        errors.push(format!("{path}: missing required field {r}"));
                    }
                }
                for (k, v) in object {
                    match properties.and_then(|p| p.get(k)) {
                        Some(s) => self.check(s, v, &format!("{path}.{k}"), errors),
                        // A schema without `properties` is free-form (e.g. `use_stripe_sdk`).
                        None if properties.is_none() => {}
                        None => match schema.get("additionalProperties") {
                            Some(Value::Bool(true)) => {}
                            Some(extra) if extra.is_object() => {
                                self.check(extra, v, &format!("{path}.{k}"), errors)
                            }
                            _ if self
                                .tolerated
                                .iter()
                                .any(|t| format!("{path}.{k}").ends_with(t)) => {}
                            _ => errors.push(format!("{path}: field {k} is not in the schema")),
                        },
                    }
                }
            }
            Some("array") => match value.as_array() {
                Some(items) => {
                    for (i, item) in items.iter().enumerate() {
                        self.check(&schema["items"], item, &format!("{path}[{i}]"), errors);
                    }
                }
                None => errors.push(format!("{path}: expected an array")),
            },
            Some("string") => match value.as_str() {
                Some(s) => {
                    if let Some(options) = schema.get("enum").and_then(Value::as_array) {
                        let added = format!("{path}={s}");
                        if !options.iter().any(|o| o == s)
                            && !self.tolerated.iter().any(|t| added.ends_with(t))
                        {
                            errors.push(format!("{path}: {s:?} is not one of {options:?}"));
                        }
                    }
                }
                None => errors.push(format!("{path}: expected a string, got {value}")),
            },
            Some("integer") if !value.is_i64() => {
                errors.push(format!("{path}: expected an integer, got {value}"))
            }
            Some("number") if !value.is_number() => {
                errors.push(format!("{path}: expected a number"))
            }
            Some("boolean") if !value.is_boolean() => {
                errors.push(format!("{path}: expected a boolean, got {value}"))
            }
            _ => {}
        }
    }

    /// As [`Spec::assert_fits`], but fields may be missing.
    #[track_caller]
    fn assert_subset_fits(&self, name: &str, value: &Value) {
        let mut errors = Vec::new();
        self.check(self.schema(name), value, name, &mut errors);
        errors.retain(|e| !e.contains(": missing required field "));
        assert!(
            errors.is_empty(),
            "{name} does not fit its schema:\n{}\n{value:#}",
            errors.join("\n")
        );
    }

    #[track_caller]
    fn assert_fits(&self, name: &str, value: &Value) {
        let mut errors = Vec::new();
        self.check(self.schema(name), value, name, &mut errors);
        assert!(
            errors.is_empty(),
            "{name} does not fit its schema:\n{}\n{value:#}",
            errors.join("\n")
        );
    }
}

#[tokio::test]
async fn every_object_fits_the_current_versions_schema() {
    let current = Spec::current();
    every_object_fits(None, &current, &current).await;
}

#[tokio::test]
async fn every_object_fits_the_schema_of_an_older_version_it_is_asked_for() {
    // Events keep the version they were made at: the account's, the current one.
    every_object_fits(Some(OLDER), &Spec::older(), &Spec::current()).await;
}

/// Requests every kind of object, in `version` (the default when `None`),
/// and checks each against `spec`, and the events' objects against `events`.
async fn every_object_fits(version: Option<&str>, spec: &Spec, events: &Spec) {
    let emu = emulator().await;
    let api = Api::new(&emu, SK).at_version(version);
    let public = Api::new(&emu, PK).at_version(version);
    let mut checked = std::collections::BTreeMap::<&str, usize>::new();
    let mut fits = |name: &'static str, value: &Value| {
        spec.assert_fits(name, value);
        *checked.entry(name).or_default() += 1;
    };

    let customer = api
        .post(
            "/v1/customers",
            &[
                ("email", "s@example.com"),
                ("name", "Schema"),
                ("address[country]", "FR"),
                ("shipping[name]", "S"),
                ("shipping[address][city]", "Lyon"),
                ("metadata[a]", "b"),
            ],
        )
        .await
        .ok()
        .clone();
    fits("customer", &customer);
    let c = customer["id"].as_str().unwrap();

    for (kind, params) in [
        (
            "card",
            vec![
                ("card[number]", "4242424242424242"),
                ("card[exp_month]", "1"),
                ("card[exp_year]", "2033"),
            ],
        ),
        (
            "sepa_debit",
            vec![
                ("sepa_debit[iban]", "DE89370400440532013000"),
                ("billing_details[name]", "S"),
                ("billing_details[email]", "s@example.com"),
            ],
        ),
        (
            "us_bank_account",
            vec![
                ("us_bank_account[routing_number]", "110000000"),
                ("us_bank_account[account_number]", "000123456789"),
                ("billing_details[name]", "S"),
            ],
        ),
        (
            "acss_debit",
            vec![
                ("acss_debit[institution_number]", "000"),
                ("acss_debit[transit_number]", "11000"),
                ("acss_debit[account_number]", "000123456789"),
                ("billing_details[name]", "S"),
                ("billing_details[email]", "s@example.com"),
            ],
        ),
        (
            "bacs_debit",
            vec![
                ("bacs_debit[sort_code]", "108800"),
                ("bacs_debit[account_number]", "00012345"),
                ("billing_details[name]", "S"),
                ("billing_details[email]", "s@example.com"),
                ("billing_details[address][line1]", "1 High St"),
            ],
        ),
        (
            "au_becs_debit",
            vec![
                ("au_becs_debit[bsb_number]", "000000"),
                ("au_becs_debit[account_number]", "000123456"),
                ("billing_details[name]", "S"),
                ("billing_details[email]", "s@example.com"),
            ],
        ),
        (
            "nz_bank_account",
            vec![
                ("nz_bank_account[bank_code]", "11"),
                ("nz_bank_account[branch_code]", "1111"),
                ("nz_bank_account[account_number]", "0012345"),
                ("nz_bank_account[suffix]", "000"),
                ("billing_details[name]", "S"),
                ("billing_details[email]", "s@example.com"),
            ],
        ),
        ("link", vec![("billing_details[email]", "s@example.com")]),
        ("ideal", vec![("ideal[bank]", "ing")]),
        ("bancontact", vec![("billing_details[name]", "S")]),
        ("sofort", vec![("sofort[country]", "DE")]),
    ] {
        let mut pairs = vec![("type", kind)];
        pairs.extend(params);
        fits(
            "payment_method",
            public.post("/v1/payment_methods", &pairs).await.ok(),
        );
    }
    let attached = api
        .post(
            "/v1/payment_methods/pm_card_visa/attach",
            &[("customer", c)],
        )
        .await
        .ok()
        .clone();
    fits("payment_method", &attached);

    // Payment intents in each state, with charges and errors.
    let pi = api.intent("1000", "eur", Some(c)).await;
    fits("payment_intent", &pi);
    let id = |v: &Value| v["id"].as_str().unwrap().to_owned();
    let declined = api
        .post(
            &format!("/v1/payment_intents/{}/confirm", id(&pi)),
            &[
                ("payment_method", "pm_card_visa_chargeDeclined"),
                ("return_url", "https://x.test/"),
            ],
        )
        .await;
    fits("api_errors", declined.error());
    fits("payment_intent", &declined.error()["payment_intent"]);
    let three_ds = api
        .post(
            &format!("/v1/payment_intents/{}/confirm", id(&pi)),
            &[
                ("payment_method", "pm_card_threeDSecure2Required"),
                ("return_url", "https://x.test/"),
            ],
        )
        .await;
    fits("payment_intent", three_ds.ok());
    let sdk_pi = api.intent("1000", "eur", Some(c)).await;
    let sdk = api
        .post(
            &format!("/v1/payment_intents/{}/confirm", id(&sdk_pi)),
            &[
                ("payment_method", "pm_card_threeDSecure2Required"),
                ("use_stripe_sdk", "true"),
                ("return_url", "https://x.test/"),
            ],
        )
        .await;
    fits("payment_intent", sdk.ok());
    let paid = api
        .post(
            &format!("/v1/payment_intents/{}/confirm", id(&pi)),
            &[
                ("payment_method", "pm_card_visa"),
                ("return_url", "https://x.test/"),
            ],
        )
        .await;
    fits("payment_intent", paid.ok());
    let expanded = api.get(&format!("/v1/payment_intents/{}?expand[]=latest_charge&expand[]=customer&expand[]=payment_method", id(&pi))).await;
    fits("payment_intent", expanded.ok());
    fits("charge", &expanded.json["latest_charge"]);
    let sepa_pi = api.intent("1000", "eur", Some(c)).await;
    let processing = api
        .post(
            &format!("/v1/payment_intents/{}/confirm", id(&sepa_pi)),
            &[
                ("payment_method", "pm_success_de"),
                ("return_url", "https://x.test/"),
            ],
        )
        .await;
    fits("payment_intent", processing.ok());
    let ideal_pi = api.intent("1000", "eur", Some(c)).await;
    api.post(
        &format!("/v1/payment_intents/{}/confirm", id(&ideal_pi)),
        &[
            ("payment_method_data[type]", "ideal"),
            ("setup_future_usage", "off_session"),
            ("return_url", "https://x.test/"),
        ],
    )
    .await
    .ok();
    api.post(
        &format!("/_emulator/payment_intents/{}/next_action", id(&ideal_pi)),
        &[],
    )
    .await
    .ok();
    let ideal = api
        .get(&format!(
            "/v1/payment_intents/{}?expand[]=latest_charge",
            id(&ideal_pi)
        ))
        .await;
    fits("charge", &ideal.ok()["latest_charge"]);
    let generated = api
        .get(&format!(
            "/v1/customers/{c}/payment_methods?type=sepa_debit"
        ))
        .await;
    fits("payment_method", &generated.ok()["data"][0]);
    let ach_pi = api.intent("1000", "usd", Some(c)).await;
    api.post(
        &format!("/v1/payment_intents/{}/confirm", id(&ach_pi)),
        &[
            ("payment_method_data[type]", "us_bank_account"),
            (
                "payment_method_data[us_bank_account][routing_number]",
                "110000000",
            ),
            (
                "payment_method_data[us_bank_account][account_number]",
                "000111111113",
            ),
            ("payment_method_data[billing_details][name]", "S"),
            ("return_url", "https://x.test/"),
        ],
    )
    .await
    .ok();
    let failed = api
        .wait_status(&id(&ach_pi), "requires_payment_method")
        .await;
    fits("payment_intent", &failed);
    // The other bank debits' charges, settled.
    for (currency, kind) in [
        ("cad", "acss_debit"),
        ("gbp", "bacs_debit"),
        ("aud", "au_becs_debit"),
        ("nzd", "nz_bank_account"),
    ] {
        let details: &[(&str, &str)] = match kind {
            "acss_debit" => &[
                ("institution_number", "000"),
                ("transit_number", "11000"),
                ("account_number", "000123456789"),
            ],
            "bacs_debit" => &[("sort_code", "108800"), ("account_number", "00012345")],
            "au_becs_debit" => &[("bsb_number", "000000"), ("account_number", "000123456")],
            _ => &[
                ("bank_code", "11"),
                ("branch_code", "1111"),
                ("account_number", "0012345"),
                ("suffix", "000"),
            ],
        };
        let mut form: Vec<(String, String)> = vec![
            ("payment_method_data[type]".into(), kind.into()),
            (
                "payment_method_data[billing_details][name]".into(),
                "S".into(),
            ),
            (
                "payment_method_data[billing_details][email]".into(),
                "s@example.com".into(),
            ),
            (
                "payment_method_data[billing_details][address][line1]".into(),
                "1 High St".into(),
            ),
            ("return_url".into(), "https://x.test/".into()),
        ];
        form.extend(
            details
                .iter()
                .map(|(k, v)| (format!("payment_method_data[{kind}][{k}]"), (*v).to_owned())),
        );
        let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let debit_pi = api.intent("1000", currency, Some(c)).await;
        api.post(
            &format!("/v1/payment_intents/{}/confirm", id(&debit_pi)),
            &pairs,
        )
        .await
        .ok();
        api.wait_status(&id(&debit_pi), "succeeded").await;
        let settled = api
            .get(&format!(
                "/v1/payment_intents/{}?expand[]=latest_charge",
                id(&debit_pi)
            ))
            .await;
        fits("charge", &settled.ok()["latest_charge"]);
    }
    let canceled = api
        .post(&format!("/v1/payment_intents/{}/cancel", id(&sdk_pi)), &[])
        .await;
    fits("payment_intent", canceled.ok());
    // The publishable-key view is a subset of the same schema: what it has
    // fits, what it leaves out is not required of it.
    let client = public
        .get(&format!(
            "/v1/payment_intents/{}?client_secret={}",
            id(&pi),
            pi["client_secret"].as_str().unwrap()
        ))
        .await;
    spec.assert_subset_fits("payment_intent", client.ok());

    let session = api
        .post(
            "/v1/customer_sessions",
            &[
                ("customer", c),
                ("components[payment_element][enabled]", "true"),
                (
                    "components[payment_element][features][payment_method_redisplay]",
                    "enabled",
                ),
            ],
        )
        .await;
    fits("customer_session", session.ok());
    let endpoint = api
        .post(
            "/v1/webhook_endpoints",
            &[("url", "http://127.0.0.1:9/x"), ("enabled_events[]", "*")],
        )
        .await;
    fits("webhook_endpoint", endpoint.ok());
    fits(
        "deleted_webhook_endpoint",
        api.delete(&format!("/v1/webhook_endpoints/{}", id(endpoint.ok())))
            .await
            .ok(),
    );
    // Refunds: a card's (succeeded), listed.
    let refunded = api
        .intent(
            "3000",
            "usd",
            Some(&api.customer("refund@example.com").await),
        )
        .await;
    let refunded = id(&refunded);
    api.post(
        &format!("/v1/payment_intents/{refunded}/confirm"),
        &[
            ("payment_method", "pm_card_visa"),
            ("return_url", "https://shop.test/r"),
        ],
    )
    .await
    .ok();
    let refund = api
        .post(
            "/v1/refunds",
            &[("payment_intent", refunded.as_str()), ("amount", "1000")],
        )
        .await;
    fits("refund", refund.ok());
    for r in api.get("/v1/refunds").await.ok()["data"]
        .as_array()
        .unwrap()
    {
        fits("refund", r);
    }
    let listed = api.get("/v1/events?limit=100").await;
    for e in listed.ok()["data"].as_array().unwrap() {
        events.assert_fits("event", e);
        let object = &e["data"]["object"];
        let name = match object["object"].as_str().unwrap() {
            "payment_intent" => "payment_intent",
            "charge" => "charge",
            "payment_method" => "payment_method",
            "customer" => "customer",
            "refund" => "refund",
            other => panic!("unexpected event object {other}"),
        };
        events.assert_fits(name, object);
    }
    let other = api.customer("gone@example.com").await;
    fits(
        "deleted_customer",
        api.delete(&format!("/v1/customers/{other}")).await.ok(),
    );
    for error in [
        api.get("/v1/customers/cus_x").await,
        api.post("/v1/customers", &[("x", "1")]).await,
        api.post("/v1/payment_intents", &[]).await,
    ] {
        fits("api_errors", error.error());
    }
    println!("checked: {checked:?}");
}
