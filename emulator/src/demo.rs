//! `GET /demo`: a Payment Element for a test customer, built through the
//! emulator's own API, as a shop's server would build it, and its return page.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde_json::{json, Value};

use crate::state::Shared;

const DEMO_HTML: &str = include_str!("../assets/demo.html");
const COMPLETE_HTML: &str = include_str!("../assets/complete.html");

/// A test customer for the demo page.
struct Persona {
    email: &'static str,
    name: &'static str,
    currency: &'static str,
    saved: &'static [&'static str],
}

fn persona(name: &str) -> Persona {
    match name {
        "jordan" => Persona {
            email: "jordan@example.com",
            name: "Jordan Smith",
            currency: "usd",
            saved: &["pm_card_visa", "us_bank_account"],
        },
        // One customer per bank debit of Canada, the UK, Australia and New
        // Zealand, in its currency, the debit saved.
        "priya" => Persona {
            email: "priya@example.ca",
            name: "Priya Patel",
            currency: "cad",
            saved: &["acss_debit"],
        },
        "oliver" => Persona {
            email: "oliver@example.co.uk",
            name: "Oliver Jones",
            currency: "gbp",
            saved: &["bacs_debit"],
        },
        "mia" => Persona {
            email: "mia@example.com.au",
            name: "Mia Wilson",
            currency: "aud",
            saved: &["au_becs_debit"],
        },
        "aroha" => Persona {
            email: "aroha@example.co.nz",
            name: "Aroha Ngata",
            currency: "nzd",
            saved: &["nz_bank_account"],
        },
        "new" => Persona {
            email: "new@example.com",
            name: "Nova Newman",
            currency: "eur",
            saved: &[],
        },
        _ => Persona {
            email: "camille@example.fr",
            name: "Camille Martin",
            currency: "eur",
            saved: &["pm_card_visa", "pm_success_de"],
        },
    }
}

/// The emulator's API with its secret key, as the demo's "server".
struct Api {
    client: reqwest::Client,
    base: String,
    key: String,
}

impl Api {
    async fn post(&self, path: &str, form: Vec<(&'static str, String)>) -> Result<Value, String> {
        let response = self
            .client
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.key)
            .form(&form)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let v: Value = response.json().await.map_err(|e| e.to_string())?;
        match v.get("error") {
            Some(error) => Err(error["message"].to_string()),
            None => Ok(v),
        }
    }

    async fn post_for_id(
        &self,
        path: &str,
        form: Vec<(&'static str, String)>,
    ) -> Result<String, String> {
        let v = self.post(path, form).await?;
        Ok(v["id"].as_str().unwrap_or_default().to_owned())
    }
}

type Q = HashMap<String, String>;

/// `GET /demo?persona=camille|jordan|priya|oliver|mia|aroha|new&locale=en|fr[&currency=…]`: a Payment Element for a
/// test customer, built through the emulator's own API.
pub async fn demo(State(shared): State<Arc<Shared>>, Query(q): Query<Q>) -> Response {
    let api = Api {
        client: reqwest::Client::new(),
        base: shared.base_url.clone(),
        key: shared.config.secret_key.clone(),
    };
    let p = persona(q.get("persona").map(String::as_str).unwrap_or("camille"));
    match build(&api, &p, &q).await {
        Ok((pi, cuss, customer)) => {
            let config = page_config(&shared, &q, &pi, &cuss, &customer);
            // The configuration is JSON inside a <script>: escape what could end it.
            let config = config.to_string().replace('<', "\\u003c");
            Html(DEMO_HTML.replace("/*CONFIG*/{}", &config)).into_response()
        }
        Err(message) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("could not build the demo: {message}"),
        )
            .into_response(),
    }
}

/// The customer, an intent and a CustomerSession.
async fn build(api: &Api, p: &Persona, q: &Q) -> Result<(Value, Value, String), String> {
    let customer = customer(api, p, q).await?;
    let amount = q.get("amount").cloned().unwrap_or_else(|| "2500".into());
    // `currency=gbp`…: the persona's own otherwise.
    let currency = q
        .get("currency")
        .cloned()
        .unwrap_or_else(|| p.currency.into());
    let pi = api
        .post(
            "/v1/payment_intents",
            vec![
                ("amount", amount),
                ("currency", currency),
                ("customer", customer.clone()),
                ("automatic_payment_methods[enabled]", "true".into()),
            ],
        )
        .await?;
    let cuss = api
        .post("/v1/customer_sessions", session_form(&customer, q))
        .await?;
    Ok((pi, cuss, customer))
}

/// `customer=cus_…` comes back to an existing customer (to see what a
/// previous payment saved); otherwise a fresh one with the persona's methods.
async fn customer(api: &Api, p: &Persona, q: &Q) -> Result<String, String> {
    if let Some(existing) = q.get("customer").filter(|c| c.starts_with("cus_")) {
        return Ok(existing.clone());
    }
    let form = vec![("email", p.email.into()), ("name", p.name.into())];
    let customer = api.post_for_id("/v1/customers", form).await?;
    for saved in p.saved {
        let pm = match bank_account(saved, p) {
            Some(form) => api.post_for_id("/v1/payment_methods", form).await?,
            // A magic id (`pm_card_visa`, `pm_success_de`).
            None => (*saved).to_owned(),
        };
        let attach = vec![("customer", customer.clone())];
        let attached = api
            .post_for_id(&format!("/v1/payment_methods/{pm}/attach"), attach)
            .await?;
        let redisplay = vec![("allow_redisplay", "always".into())];
        api.post(&format!("/v1/payment_methods/{attached}"), redisplay)
            .await?;
    }
    Ok(customer)
}

/// The creation form of a bank account of type `kind` on its succeeding
/// test account, or `None` for a magic id.
fn bank_account(kind: &str, p: &Persona) -> Option<Vec<(&'static str, String)>> {
    let bank: &[(&'static str, &'static str)] = match kind {
        "us_bank_account" => &[
            ("us_bank_account[routing_number]", "110000000"),
            ("us_bank_account[account_number]", "000123456789"),
        ],
        "acss_debit" => &[
            ("acss_debit[institution_number]", "000"),
            ("acss_debit[transit_number]", "11000"),
            ("acss_debit[account_number]", "000123456789"),
        ],
        "bacs_debit" => &[
            ("bacs_debit[sort_code]", "108800"),
            ("bacs_debit[account_number]", "00012345"),
            ("billing_details[address][line1]", "10 Downing Street"),
            ("billing_details[address][city]", "London"),
            ("billing_details[address][postal_code]", "SW1A 2AA"),
            ("billing_details[address][country]", "GB"),
        ],
        "au_becs_debit" => &[
            ("au_becs_debit[bsb_number]", "000000"),
            ("au_becs_debit[account_number]", "000123456"),
        ],
        "nz_bank_account" => &[
            ("nz_bank_account[bank_code]", "11"),
            ("nz_bank_account[branch_code]", "1111"),
            ("nz_bank_account[account_number]", "0012345"),
            ("nz_bank_account[suffix]", "000"),
        ],
        _ => return None,
    };
    let mut form = vec![
        ("type", kind.to_owned()),
        ("billing_details[name]", p.name.to_owned()),
        ("billing_details[email]", p.email.to_owned()),
    ];
    form.extend(bank.iter().map(|(k, v)| (*k, (*v).to_owned())));
    Some(form)
}

/// The CustomerSession's features: everything on, with the query's
/// `limit` and `filters`.
fn session_form(customer: &str, q: &Q) -> Vec<(&'static str, String)> {
    let mut form = vec![
        ("customer", customer.to_owned()),
        ("components[payment_element][enabled]", "true".into()),
        (
            "components[payment_element][features][payment_method_redisplay]",
            "enabled".into(),
        ),
        (
            "components[payment_element][features][payment_method_save]",
            "enabled".into(),
        ),
        (
            "components[payment_element][features][payment_method_save_usage]",
            "off_session".into(),
        ),
        (
            "components[payment_element][features][payment_method_remove]",
            "enabled".into(),
        ),
    ];
    if let Some(limit) = q.get("limit") {
        form.push((
            "components[payment_element][features][payment_method_redisplay_limit]",
            limit.clone(),
        ));
    }
    if let Some(filters) = q.get("filters") {
        for f in filters.split(',') {
            form.push((
                "components[payment_element][features][payment_method_allow_redisplay_filters][]",
                f.to_owned(),
            ));
        }
    }
    form
}

/// What the demo page's script mounts.
fn page_config(shared: &Shared, q: &Q, pi: &Value, cuss: &Value, customer: &str) -> Value {
    // `bad_secret=1` mounts with a client secret that matches nothing, to show `loaderror`.
    let client_secret = if q.contains_key("bad_secret") {
        json!("pi_unknown_secret_unknown")
    } else {
        pi["client_secret"].clone()
    };
    json!({
        "publishableKey": shared.config.publishable_key,
        "customer": customer,
        "paymentIntent": pi["id"],
        "clientSecret": client_secret,
        "customerSessionClientSecret": cuss["client_secret"],
        "locale": q.get("locale").cloned().unwrap_or_else(|| "auto".into()),
        "layout": q.get("layout").cloned().unwrap_or_else(|| "tabs".into()),
        "amount": pi["amount"],
        "currency": pi["currency"],
        // `address=shipping`: a shipping Address Element beside the
        // Payment Element (`countries=US,FR` narrows it).
        "address": q.get("address").filter(|m| *m == "shipping" || *m == "billing"),
        "allowedCountries": q.get("countries").map(|c| c.split(',').collect::<Vec<_>>()),
    })
}

/// `GET /demo/complete`: the demo's return page.
pub async fn demo_complete(State(shared): State<Arc<Shared>>) -> Html<String> {
    let key = serde_json::to_string(&shared.config.publishable_key).unwrap_or_default();
    Html(COMPLETE_HTML.replace("/*PK*/''", &key))
}
