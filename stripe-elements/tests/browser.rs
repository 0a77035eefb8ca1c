//! The bindings in Chromium (wasm-bindgen-test), against the Stripe.js
//! stand-in of a running `stripe-emulator` (`STRIPE_EMULATOR_URL` when
//! compiled; the test command starts one): a customer with a saved card
//! pays through the Payment Element, and a declined one comes back typed.
#![cfg(target_arch = "wasm32")]

use js_sys::{Promise, Reflect};
use std::cell::Cell;
use std::rc::Rc;
use stripe_elements::{
    ConfirmOutcome, ElementsOptions, ErrorKind, PaymentElementOptions, PaymentHandlers,
    StripeElements,
};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const EMULATOR: &str = match option_env!("STRIPE_EMULATOR_URL") {
    Some(url) => url,
    None => "http://127.0.0.1:12111",
};

fn window() -> web_sys::Window {
    web_sys::window().expect("a browser window")
}

async fn sleep(ms: i32) {
    let promise = Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = JsFuture::from(promise).await;
}

fn field(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

fn text(value: &JsValue, key: &str) -> String {
    field(value, key).as_string().unwrap_or_default()
}

/// The emulator's API with the secret key, as the app's server would call it.
async fn api(path: &str, form: &[(&str, &str)]) -> JsValue {
    let body = form
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                js_sys::encode_uri_component(k),
                js_sys::encode_uri_component(v)
            )
        })
        .collect::<Vec<_>>()
        .join("&");
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&JsValue::from_str(&body));
    let headers = web_sys::Headers::new().unwrap();
    headers
        .set("authorization", "Bearer sk_test_emulator")
        .unwrap();
    headers
        .set("content-type", "application/x-www-form-urlencoded")
        .unwrap();
    init.set_headers(&headers);
    let request =
        web_sys::Request::new_with_str_and_init(&format!("{EMULATOR}{path}"), &init).unwrap();
    let response: web_sys::Response = JsFuture::from(window().fetch_with_request(&request))
        .await
        .unwrap()
        .unchecked_into();
    JsFuture::from(response.json().unwrap()).await.unwrap()
}

/// A customer whose card (a test card's magic id) is saved and shown, an
/// intent and a CustomerSession.
async fn checkout(card: &str) -> ElementsOptions {
    let customer = text(
        &api("/v1/customers", &[("email", "wasm@example.com")]).await,
        "id",
    );
    let attach = format!("/v1/payment_methods/{card}/attach");
    let card = text(&api(&attach, &[("customer", &customer)]).await, "id");
    api(
        &format!("/v1/payment_methods/{card}"),
        &[("allow_redisplay", "always")],
    )
    .await;
    let intent = api(
        "/v1/payment_intents",
        &[
            ("amount", "1000"),
            ("currency", "eur"),
            ("customer", &customer),
            ("automatic_payment_methods[enabled]", "true"),
        ],
    )
    .await;
    let session = api(
        "/v1/customer_sessions",
        &[
            ("customer", &customer),
            ("components[payment_element][enabled]", "true"),
            (
                "components[payment_element][features][payment_method_redisplay]",
                "enabled",
            ),
        ],
    )
    .await;
    ElementsOptions {
        publishable_key: "pk_test_emulator".into(),
        client_secret: Some(text(&intent, "client_secret")),
        customer_session_client_secret: Some(text(&session, "client_secret")),
        locale: "en".into(),
        appearance: r#"{"theme":"stripe"}"#.into(),
    }
}

/// A new `<div>` in the page's body.
fn new_div() -> web_sys::HtmlElement {
    let document = window().document().unwrap();
    let target: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&target).unwrap();
    target
}

/// Waits (10 s at most) until `done`.
async fn until(what: &str, done: impl Fn() -> bool) {
    for _ in 0..200 {
        if done() {
            return;
        }
        sleep(50).await;
    }
    panic!("{what} never happened");
}

/// Mounts the Payment Element in a new `<div>` and waits for `ready`.
async fn mounted(options: &ElementsOptions) -> StripeElements {
    let target = new_div();
    let ready = Rc::new(Cell::new(false));
    let handlers = PaymentHandlers::new(
        {
            let ready = ready.clone();
            move || ready.set(true)
        },
        |_| {},
        |message| panic!("loaderror: {message}"),
    );
    let element = PaymentElementOptions {
        layout: "tabs".into(),
        ..Default::default()
    };
    let group = StripeElements::load(&format!("{EMULATOR}/v3/"), options)
        .await
        .unwrap_or_else(|message| panic!("not loaded: {message}"));
    group
        .mount_payment(&target, &element, handlers)
        .unwrap_or_else(|message| panic!("not mounted: {message}"));
    until("the Payment Element's ready", || ready.get()).await;
    group
}

#[wasm_bindgen_test]
async fn a_saved_card_pays_without_leaving_the_page() {
    let options = checkout("pm_card_visa").await;
    let mounted = mounted(&options).await;
    // The saved card is selected: nothing is missing.
    assert_eq!(mounted.submit().await, Ok(()));
    match mounted.confirm("http://127.0.0.1/complete").await {
        ConfirmOutcome::Confirmed {
            intent,
            client_secret,
        } => {
            assert!(intent.starts_with("pi_"));
            assert_eq!(Some(client_secret), options.client_secret);
        }
        ConfirmOutcome::Failed(error) => panic!("refused: {error:?}"),
    }
    mounted.destroy();
}

#[wasm_bindgen_test]
async fn a_decline_comes_back_as_a_typed_error() {
    // Attaches, then every charge is declined (4000000000000341).
    let options = checkout("pm_card_chargeCustomerFail").await;
    let mounted = mounted(&options).await;
    match mounted.confirm("http://127.0.0.1/complete").await {
        ConfirmOutcome::Failed(Some(error)) => {
            assert_eq!(error.kind, ErrorKind::CardError);
            assert_eq!(error.code.as_deref(), Some("card_declined"));
            assert_eq!(error.decline_code.as_deref(), Some("generic_decline"));
        }
        other => panic!("expected a decline, got {other:?}"),
    }
    mounted.destroy();
}

/// The Leptos components (feature `leptos`), client-side rendered.
#[cfg(feature = "leptos")]
mod components {
    use super::*;
    use leptos::prelude::*;
    use stripe_elements::{use_stripe_elements, Elements, ElementsSignal, PaymentElement};

    #[wasm_bindgen_test]
    async fn elements_and_payment_element_mount_and_confirm_through_the_group() {
        let options = checkout("pm_card_visa").await;
        // Signals, not Rc: a view's children are Send.
        let ready = RwSignal::new(false);
        let grabbed = StoredValue::new(None::<ElementsSignal>);
        let view = move || {
            view! {
                <Elements script_url=format!("{EMULATOR}/v3/") options=options>
                    <PaymentElement on_ready=move |_| ready.set(true) />
                    {
                        grabbed.set_value(Some(use_stripe_elements()));
                    }
                </Elements>
            }
        };
        let target = new_div();
        let handle = leptos::mount::mount_to(target.clone(), view);
        until("the component's ready", || ready.get_untracked()).await;
        // The element is inside the component's <div>.
        assert!(target.query_selector("iframe").unwrap().is_some());

        let signal = grabbed.get_value().expect("rendered inside <Elements>");
        let group = signal.get_untracked().expect("the group is loaded");
        assert_eq!(group.submit().await, Ok(()));
        match group.confirm("http://127.0.0.1/complete").await {
            ConfirmOutcome::Confirmed { intent, .. } => assert!(intent.starts_with("pi_")),
            ConfirmOutcome::Failed(error) => panic!("refused: {error:?}"),
        }
        drop(handle);
        // Unmounting <Elements> destroyed its element: the group (kept
        // alive here) may have a Payment Element again, which Stripe.js
        // refuses while one exists.
        let again = PaymentHandlers::new(|| {}, |_| {}, |_| {});
        let element = PaymentElementOptions::default();
        assert_eq!(group.mount_payment(&new_div(), &element, again), Ok(()));
        group.destroy();
    }
}
