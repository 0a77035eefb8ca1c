//! Loading Stripe.js, mounting the elements, and what a page does with them.

use std::cell::RefCell;

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::error::{ConfirmOutcome, ErrorKind, StripeError};
use crate::js::{get, message, new_stripe, object, set, Element, Elements, StripeJs};
use crate::options::{
    Address, AddressMount, ElementsOptions, PaymentElementOptions, PaymentHandlers,
};

/// Whether `window.Stripe` is there yet (read each time: the script loads async).
fn stripe_loaded() -> bool {
    get(&js_sys::global(), "Stripe").is_function()
}

/// Whether the page's reader prefers a dark theme (`prefers-color-scheme`),
/// to choose the `appearance` to give.
pub fn prefers_dark() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches())
}

fn stripe_error(value: &JsValue) -> Option<StripeError> {
    value.is_object().then(|| StripeError {
        kind: ErrorKind::from(get(value, "type").as_string().unwrap_or_default().as_str()),
        code: get(value, "code").as_string(),
        decline_code: get(value, "decline_code").as_string(),
        message: get(value, "message").as_string(),
    })
}

/// Stripe.js is best requested by the page's `<head>` (`<script
/// id="stripe-js" async>`), so it is usually there before the page's code
/// runs; otherwise wait for that script, or load it if the page has none.
async fn load(url: &str) -> Result<(), String> {
    if stripe_loaded() {
        return Ok(());
    }
    let failed = || format!("Stripe.js could not be loaded from {url}");
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(failed)?;
    let script: web_sys::HtmlScriptElement =
        match document.query_selector("script#stripe-js").ok().flatten() {
            Some(existing) => existing.unchecked_into(),
            None => {
                let script: web_sys::HtmlScriptElement = document
                    .create_element("script")
                    .map_err(|_| failed())?
                    .unchecked_into();
                script.set_src(url);
                document
                    .head()
                    .ok_or_else(failed)?
                    .append_child(&script)
                    .map_err(|_| failed())?;
                script
            }
        };
    let loaded = Promise::new(&mut |resolve, reject| {
        let _ = script.add_event_listener_with_callback("load", &resolve);
        let _ = script.add_event_listener_with_callback("error", &reject);
    });
    // It may have loaded between the first check and the listeners.
    if stripe_loaded() {
        return Ok(());
    }
    JsFuture::from(loaded).await.map_err(|_| failed())?;
    Ok(())
}

/// One Elements group (`stripe.elements(…)`), the elements mounted in it
/// and what keeps their handlers alive: keep it as long as they are shown,
/// then [`StripeElements::destroy`].
pub struct StripeElements {
    stripe: StripeJs,
    elements: Elements,
    payment: RefCell<Option<Element>>,
    address: RefCell<Option<Element>>,
    handlers: RefCell<Vec<Handler>>,
}

fn error_text(e: JsValue) -> String {
    message(&e).unwrap_or_default()
}

impl Address {
    /// Reads Stripe's `{name, address: {line1, …}}` (an Address Element's
    /// value, or one of its `contacts` or `defaultValues`); what is missing
    /// is empty.
    pub fn from_js_value(value: &JsValue) -> Self {
        let address = get(value, "address");
        let text = |object: &JsValue, key: &str| get(object, key).as_string().unwrap_or_default();
        Address {
            name: text(value, "name"),
            line1: text(&address, "line1"),
            line2: text(&address, "line2"),
            city: text(&address, "city"),
            state: text(&address, "state"),
            postal_code: text(&address, "postal_code"),
            country: text(&address, "country"),
        }
    }
}

impl StripeElements {
    /// Loads Stripe.js from `script_url` (once per page) and creates one
    /// Elements group with the client secrets, locale and appearance given.
    /// Nothing is mounted yet: see [`StripeElements::mount_payment`] and
    /// [`StripeElements::mount_address`].
    pub async fn load(script_url: &str, options: &ElementsOptions) -> Result<Self, String> {
        load(script_url).await?;
        let locale = JsValue::from_str(&options.locale);
        let stripe = new_stripe(
            &options.publishable_key,
            &object(&[("locale", locale.clone())]),
        )
        .map_err(error_text)?;
        let group = object(&[("locale", locale)]);
        if !options.appearance.is_empty() {
            let appearance = js_sys::JSON::parse(&options.appearance)
                .map_err(|_| "the appearance is not JSON".to_owned())?;
            set(&group, "appearance", &appearance);
        }
        if let Some(secret) = &options.client_secret {
            set(&group, "clientSecret", &secret.as_str().into());
        }
        if let Some(secret) = &options.customer_session_client_secret {
            set(
                &group,
                "customerSessionClientSecret",
                &secret.as_str().into(),
            );
        }
        let elements = stripe.elements(&group).map_err(error_text)?;
        Ok(Self {
            stripe,
            elements,
            payment: RefCell::default(),
            address: RefCell::default(),
            handlers: RefCell::default(),
        })
    }

    /// Mounts the Payment Element in `target` (the group needs a client
    /// secret), with its `ready`, `change` and `loaderror` handlers.
    pub fn mount_payment(
        &self,
        target: &web_sys::HtmlElement,
        options: &PaymentElementOptions,
        handlers: PaymentHandlers,
    ) -> Result<(), String> {
        let element = create_payment(
            &self.elements,
            options,
            target,
            handlers,
            &mut self.handlers.borrow_mut(),
        )?;
        self.payment.replace(Some(element));
        Ok(())
    }

    /// Mounts the Address Element (shipping or billing, as its options say).
    pub fn mount_address(&self, mount: AddressMount) -> Result<(), String> {
        let element = create_address(&self.elements, mount, &mut self.handlers.borrow_mut())?;
        self.address.replace(Some(element));
        Ok(())
    }
}

type Handler = Closure<dyn FnMut(JsValue)>;

/// The Address Element, its `ready` and `change` (complete, and the
/// address in the shop's form) handed to the island.
fn create_address(
    elements: &Elements,
    mount: AddressMount,
    closures: &mut Vec<Handler>,
) -> Result<Element, String> {
    let AddressMount {
        target,
        options,
        on_ready,
        on_change,
    } = mount;
    let element = elements.create("address", &options).map_err(error_text)?;
    let ready = Handler::new(move |_| on_ready());
    let change = Handler::new(move |event: JsValue| {
        let complete = get(&event, "complete").as_bool().unwrap_or(false);
        on_change(complete, Address::from_js_value(&get(&event, "value")));
    });
    element.on("ready", ready.as_ref().unchecked_ref());
    element.on("change", change.as_ref().unchecked_ref());
    element.mount(&target).map_err(error_text)?;
    closures.extend([ready, change]);
    Ok(element)
}

/// The Payment Element (tabs, the customer's billing details filled
/// in), its `ready`, `change` and `loaderror` handed to the island.
fn create_payment(
    elements: &Elements,
    options: &PaymentElementOptions,
    target: &web_sys::HtmlElement,
    handlers: PaymentHandlers,
    closures: &mut Vec<Handler>,
) -> Result<Element, String> {
    let details = &options.billing_details;
    let billing = object(&[
        ("name", details.name.as_str().into()),
        ("email", details.email.as_str().into()),
        (
            "address",
            object(&[("country", details.country.as_str().into())]).into(),
        ),
    ]);
    let element_options = object(&[(
        "defaultValues",
        object(&[("billingDetails", billing.into())]).into(),
    )]);
    if !options.layout.is_empty() {
        set(&element_options, "layout", &options.layout.as_str().into());
    }
    let element = elements
        .create("payment", &element_options)
        .map_err(error_text)?;
    let PaymentHandlers {
        on_ready,
        on_change,
        on_load_error,
    } = handlers;
    let ready = Handler::new(move |_| on_ready());
    let change = Handler::new(move |event: JsValue| {
        on_change(get(&event, "complete").as_bool().unwrap_or(false));
    });
    let load_error = Handler::new(move |event: JsValue| {
        on_load_error(message(&get(&event, "error")).unwrap_or_default());
    });
    element.on("ready", ready.as_ref().unchecked_ref());
    element.on("change", change.as_ref().unchecked_ref());
    element.on("loaderror", load_error.as_ref().unchecked_ref());
    element.mount(target).map_err(error_text)?;
    closures.extend([ready, change, load_error]);
    Ok(element)
}

impl StripeElements {
    /// `elements.submit()`: the elements check what was entered (and show
    /// what is missing) before anything is sent. Stripe asks for it before
    /// `createPaymentMethod`, and before `confirmPayment` when the intent is
    /// made after the page (its deferred flow).
    pub async fn submit(&self) -> Result<(), Option<StripeError>> {
        let result = match JsFuture::from(self.elements.submit()).await {
            Ok(result) => result,
            Err(e) => return Err(stripe_error(&e)),
        };
        match stripe_error(&get(&result, "error")) {
            Some(error) => Err(Some(error)),
            None => Ok(()),
        }
    }

    /// `stripe.confirmPayment({elements, confirmParams: {return_url}, redirect: 'if_required'})`.
    pub async fn confirm(&self, return_url: &str) -> ConfirmOutcome {
        let options = object(&[
            ("elements", self.elements.clone()),
            (
                "confirmParams",
                object(&[("return_url", return_url.into())]).into(),
            ),
            ("redirect", "if_required".into()),
        ]);
        let result = match JsFuture::from(self.stripe.confirm_payment(&options)).await {
            Ok(result) => result,
            Err(e) => return ConfirmOutcome::Failed(stripe_error(&e)),
        };
        let error = get(&result, "error");
        if error.is_object() {
            return ConfirmOutcome::Failed(stripe_error(&error));
        }
        let intent = get(&result, "paymentIntent");
        match (
            get(&intent, "id").as_string(),
            get(&intent, "client_secret").as_string(),
        ) {
            (Some(intent), Some(client_secret)) => ConfirmOutcome::Confirmed {
                intent,
                client_secret,
            },
            _ => ConfirmOutcome::Failed(None),
        }
    }

    /// `elements.fetchUpdates()`: the element takes the PaymentIntent's
    /// new amount (after the cart changed).
    pub async fn fetch_updates(&self) {
        let _ = JsFuture::from(self.elements.fetch_updates()).await;
    }

    /// The Address Element's `getValue()`: whether it is complete (it
    /// shows what is missing otherwise) and the address.
    pub async fn address_value(&self) -> Option<(bool, Address)> {
        let promise = self.address.borrow().as_ref()?.get_value();
        let value = JsFuture::from(promise).await.ok()?;
        Some((
            get(&value, "complete").as_bool().unwrap_or(false),
            Address::from_js_value(&get(&value, "value")),
        ))
    }

    /// Unmounts and destroys the elements; the handlers go with `self`.
    pub fn destroy(&self) {
        for slot in [&self.payment, &self.address] {
            if let Some(element) = slot.take() {
                element.destroy();
            }
        }
    }
}
