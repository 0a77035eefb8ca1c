//! Stripe.js from Rust, through wasm-bindgen.
//!
//! The only code that calls Stripe.js. Compiled for the browser only
//! (`hydrate`), where the payment form island uses it. The same code drives the real
//! Stripe.js or the emulator's stand-in: only the script URL differs.
//!
//! JavaScript objects are built and read field by field with `Reflect`
//! rather than through serde: the bundle stays smaller, and the few fields
//! Stripe's answers have for us are named here, once.

/// What to mount the Payment Element with.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ElementsOptions {
    pub publishable_key: String,
    /// Empty for a group with the Address Element alone (no intent yet).
    pub client_secret: String,
    pub customer_session_client_secret: String,
    pub locale: String,
    /// `defaultValues.billingDetails` of the Payment Element.
    pub billing_name: String,
    pub billing_email: String,
    pub billing_country: String,
    /// Stripe's `appearance` for a light and a dark page, as JSON
    /// (`{"light": {...}, "dark": {...}}`): the one matching the shopper's
    /// `prefers-color-scheme` is given to `elements()`.
    pub appearance: String,
}

/// What the island hears from the element.
pub struct Handlers {
    /// The element is ready (with Stripe's answer, hence the saved methods, shown).
    pub on_ready: Box<dyn Fn()>,
    /// `complete` of each change event.
    pub on_change: Box<dyn Fn(bool)>,
    pub on_load_error: Box<dyn Fn(String)>,
}

/// The Address Element (shipping mode) to mount in the same group.
pub struct AddressMount {
    pub target: web_sys::HtmlElement,
    /// `elements.create('address', options)`: `mode`, `allowedCountries`,
    /// `defaultValues`, as the server wrote them (JSON).
    pub options: wasm_bindgen::JsValue,
    pub on_ready: Box<dyn Fn()>,
    /// `complete` and `value` of each change event.
    pub on_change: Box<dyn Fn(bool, shop::delivery::ShippingAddress)>,
}

/// How `confirmPayment` ended when it did not leave the page.
#[derive(Clone, Debug, PartialEq)]
pub enum ConfirmOutcome {
    /// Succeeded or processing: back on the shop with the intent's id and secret.
    Confirmed {
        intent: String,
        client_secret: String,
    },
    /// Stripe's error, when it gave one (none when Stripe.js could not answer).
    Failed(Option<StripeError>),
}

/// The fields of a Stripe.js `error` a page decides on: Stripe's `type`
/// (`card_error`, `validation_error`, …), `code`, `decline_code` and its
/// (English, or Stripe.js's locale) `message`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StripeError {
    pub kind: String,
    pub code: Option<String>,
    pub decline_code: Option<String>,
    pub message: Option<String>,
}

pub use browser::{mount, shipping_address, Mounted};

#[allow(unsafe_code)] // wasm-bindgen's extern blocks
mod browser {
    use js_sys::{Function, Object, Promise, Reflect};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    use super::{AddressMount, ConfirmOutcome, ElementsOptions, Handlers, StripeError};
    use shop::delivery::ShippingAddress;

    #[wasm_bindgen]
    extern "C" {
        pub type StripeJs;
        #[wasm_bindgen(catch, js_name = Stripe)]
        fn new_stripe(key: &str, options: &JsValue) -> Result<StripeJs, JsValue>;
        #[wasm_bindgen(method, catch)]
        fn elements(this: &StripeJs, options: &JsValue) -> Result<Elements, JsValue>;
        #[wasm_bindgen(method, js_name = confirmPayment)]
        fn confirm_payment(this: &StripeJs, options: &JsValue) -> Promise;

        pub type Elements;
        #[wasm_bindgen(method, js_name = fetchUpdates)]
        fn fetch_updates_js(this: &Elements) -> Promise;
        #[wasm_bindgen(method, catch)]
        fn create(
            this: &Elements,
            kind: &str,
            options: &JsValue,
        ) -> Result<PaymentElement, JsValue>;

        pub type PaymentElement;
        #[wasm_bindgen(method, catch)]
        fn mount(this: &PaymentElement, target: &web_sys::HtmlElement) -> Result<(), JsValue>;
        #[wasm_bindgen(method)]
        fn destroy(this: &PaymentElement);
        #[wasm_bindgen(method)]
        fn on(this: &PaymentElement, event: &str, handler: &Function);
        /// The Address Element's `getValue()` (the other methods are the Payment Element's).
        #[wasm_bindgen(method, js_name = getValue)]
        fn get_value(this: &PaymentElement) -> Promise;
    }

    fn get(object: &JsValue, key: &str) -> JsValue {
        Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    }

    fn set(object: &Object, key: &str, value: &JsValue) {
        let _ = Reflect::set(object, &JsValue::from_str(key), value);
    }

    fn object(fields: &[(&str, JsValue)]) -> Object {
        let object = Object::new();
        for (key, value) in fields {
            set(&object, key, value);
        }
        object
    }

    /// Whether `window.Stripe` is there yet (read each time: the script loads async).
    fn stripe_loaded() -> bool {
        get(&js_sys::global(), "Stripe").is_function()
    }

    fn message(value: &JsValue) -> Option<String> {
        get(value, "message").as_string()
    }

    /// The `dark` appearance when the page is dark, else the `light` one.
    fn appearance_for_scheme(json: &str) -> JsValue {
        let both = js_sys::JSON::parse(json).unwrap_or_else(|_| Object::new().into());
        let dark = web_sys::window()
            .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
            .is_some_and(|m| m.matches());
        get(&both, if dark { "dark" } else { "light" })
    }

    fn stripe_error(value: &JsValue) -> Option<StripeError> {
        value.is_object().then(|| StripeError {
            kind: get(value, "type").as_string().unwrap_or_default(),
            code: get(value, "code").as_string(),
            decline_code: get(value, "decline_code").as_string(),
            message: get(value, "message").as_string(),
        })
    }

    /// Stripe.js is requested by the page's `<head>` (async), so it is
    /// usually there before the island runs; otherwise wait for that
    /// script, or load it if the page has none.
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

    /// A mounted Payment Element and what keeps it alive.
    pub struct Mounted {
        stripe: StripeJs,
        elements: Elements,
        /// `None` in the address step, before the order has its intent's secret.
        payment: Option<PaymentElement>,
        address: Option<PaymentElement>,
        _handlers: Vec<Closure<dyn FnMut(JsValue)>>,
    }

    fn error_text(e: JsValue) -> String {
        message(&e).unwrap_or_default()
    }

    /// Stripe's `{name, address: {line1, …}}` in the shop's form.
    pub fn shipping_address(value: &JsValue) -> ShippingAddress {
        let address = get(value, "address");
        let text = |object: &JsValue, key: &str| get(object, key).as_string().unwrap_or_default();
        ShippingAddress {
            name: text(value, "name"),
            line1: text(&address, "line1"),
            line2: text(&address, "line2"),
            city: text(&address, "city"),
            state: text(&address, "state"),
            postal_code: text(&address, "postal_code"),
            country: text(&address, "country"),
        }
    }

    /// Loads Stripe.js, creates one Elements group (with both client
    /// secrets, when there are) and mounts, into their targets, the Address
    /// Element when the order is shipped and the Payment Element (tabs
    /// layout) when it can be paid.
    pub async fn mount(
        script_url: &str,
        options: &ElementsOptions,
        payment: Option<(&web_sys::HtmlElement, Handlers)>,
        address: Option<AddressMount>,
    ) -> Result<Mounted, String> {
        load(script_url).await?;
        let locale = JsValue::from_str(&options.locale);
        let stripe = new_stripe(
            &options.publishable_key,
            &object(&[("locale", locale.clone())]),
        )
        .map_err(error_text)?;
        let appearance = appearance_for_scheme(&options.appearance);
        let group = object(&[("locale", locale), ("appearance", appearance)]);
        if !options.client_secret.is_empty() {
            set(
                &group,
                "clientSecret",
                &options.client_secret.as_str().into(),
            );
            set(
                &group,
                "customerSessionClientSecret",
                &options.customer_session_client_secret.as_str().into(),
            );
        }
        let elements = stripe.elements(&group).map_err(error_text)?;
        let mut closures = Vec::new();
        let address = match address {
            Some(mount) => Some(mount_address(&elements, mount, &mut closures)?),
            None => None,
        };
        let payment = match payment {
            Some((target, handlers)) => Some(mount_payment(
                &elements,
                options,
                target,
                handlers,
                &mut closures,
            )?),
            None => None,
        };
        Ok(Mounted {
            stripe,
            elements,
            payment,
            address,
            _handlers: closures,
        })
    }

    type Handler = Closure<dyn FnMut(JsValue)>;

    /// The Address Element, its `ready` and `change` (complete, and the
    /// address in the shop's form) handed to the island.
    fn mount_address(
        elements: &Elements,
        mount: AddressMount,
        closures: &mut Vec<Handler>,
    ) -> Result<PaymentElement, String> {
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
            on_change(complete, shipping_address(&get(&event, "value")));
        });
        element.on("ready", ready.as_ref().unchecked_ref());
        element.on("change", change.as_ref().unchecked_ref());
        element.mount(&target).map_err(error_text)?;
        closures.extend([ready, change]);
        Ok(element)
    }

    /// The Payment Element (tabs, the customer's billing details filled
    /// in), its `ready`, `change` and `loaderror` handed to the island.
    fn mount_payment(
        elements: &Elements,
        options: &ElementsOptions,
        target: &web_sys::HtmlElement,
        handlers: Handlers,
        closures: &mut Vec<Handler>,
    ) -> Result<PaymentElement, String> {
        let billing = object(&[
            ("name", options.billing_name.as_str().into()),
            ("email", options.billing_email.as_str().into()),
            (
                "address",
                object(&[("country", options.billing_country.as_str().into())]).into(),
            ),
        ]);
        let element_options = object(&[
            ("layout", "tabs".into()),
            (
                "defaultValues",
                object(&[("billingDetails", billing.into())]).into(),
            ),
        ]);
        let element = elements
            .create("payment", &element_options)
            .map_err(error_text)?;
        let Handlers {
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

    impl Mounted {
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
            let _ = JsFuture::from(self.elements.fetch_updates_js()).await;
        }

        /// The Address Element's `getValue()`: whether it is complete (it
        /// shows what is missing otherwise) and the address.
        pub async fn address_value(&self) -> Option<(bool, ShippingAddress)> {
            let value = JsFuture::from(self.address.as_ref()?.get_value())
                .await
                .ok()?;
            Some((
                get(&value, "complete").as_bool().unwrap_or(false),
                shipping_address(&get(&value, "value")),
            ))
        }

        pub fn destroy(&self) {
            for element in self.payment.iter().chain(&self.address) {
                element.destroy();
            }
        }
    }
}
