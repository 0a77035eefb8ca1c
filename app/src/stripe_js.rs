//! Stripe.js from Rust, through wasm-bindgen.
//!
//! Compiled for the browser only (`hydrate`); on the server the Payment
//! Element is never mounted, so the server build has nothing here to call.
//! The same code loads the real Stripe.js or the emulator's stand-in: only
//! the script URL differs.

use serde::{Deserialize, Serialize};

/// An error as Stripe.js reports it (`result.error`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StripeJsError {
    #[serde(rename = "type", default)]
    pub kind: String,
    pub code: Option<String>,
    pub decline_code: Option<String>,
    pub message: Option<String>,
}

/// The part of a PaymentIntent the browser sees after confirming.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConfirmedIntent {
    pub id: String,
    pub status: String,
    pub client_secret: String,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ConfirmOutcome {
    /// Succeeded or processing (`redirect: 'if_required'` came back without redirecting).
    Confirmed(ConfirmedIntent),
    Failed(StripeJsError),
}

/// What to mount the Payment Element with.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ElementsOptions {
    pub client_secret: String,
    pub customer_session_client_secret: String,
    pub locale: String,
    pub appearance: Appearance,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Appearance {
    pub theme: &'static str,
    pub variables: AppearanceVariables,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppearanceVariables {
    pub color_primary: &'static str,
    pub border_radius: &'static str,
    pub font_family: &'static str,
}

#[cfg(feature = "hydrate")]
pub use browser::*;

#[cfg(feature = "hydrate")]
#[allow(unsafe_code)] // wasm-bindgen's extern blocks
mod browser {
    use std::cell::RefCell;

    use js_sys::{Function, Object, Promise, Reflect};
    use serde::Serialize;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    use super::*;

    #[wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(js_name = Stripe)]
        pub type StripeJs;
        #[wasm_bindgen(catch, js_name = Stripe)]
        fn new_stripe(key: &str, options: &JsValue) -> Result<StripeJs, JsValue>;
        #[wasm_bindgen(method, catch)]
        fn elements(this: &StripeJs, options: &JsValue) -> Result<Elements, JsValue>;
        #[wasm_bindgen(method, js_name = confirmPayment)]
        fn confirm_payment(this: &StripeJs, options: &JsValue) -> Promise;
        #[wasm_bindgen(method, js_name = retrievePaymentIntent)]
        fn retrieve_payment_intent(this: &StripeJs, client_secret: &str) -> Promise;

        pub type Elements;
        #[wasm_bindgen(method, catch)]
        fn create(
            this: &Elements,
            kind: &str,
            options: &JsValue,
        ) -> Result<PaymentElement, JsValue>;
        #[wasm_bindgen(method, js_name = submit)]
        fn submit_js(this: &Elements) -> Promise;

        pub type PaymentElement;
        #[wasm_bindgen(method, catch)]
        fn mount(this: &PaymentElement, target: &web_sys::HtmlElement) -> Result<(), JsValue>;
        #[wasm_bindgen(method)]
        fn destroy(this: &PaymentElement);
        #[wasm_bindgen(method)]
        fn on(this: &PaymentElement, event: &str, handler: &Function);
    }

    thread_local! {
        /// One load of the script per page, shared by every caller.
        static SCRIPT: RefCell<Option<(String, Promise)>> = const { RefCell::new(None) };
    }

    fn to_js<T: Serialize>(value: &T) -> JsValue {
        value
            .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
            .unwrap_or(JsValue::NULL)
    }

    fn message(value: &JsValue) -> String {
        Reflect::get(value, &"message".into())
            .ok()
            .and_then(|m| m.as_string())
            .unwrap_or_else(|| format!("{value:?}"))
    }

    /// Loads Stripe.js from `url` once; later calls wait for the same load.
    pub async fn load(url: &str) -> Result<(), String> {
        let promise = SCRIPT.with(|cell| {
            let mut slot = cell.borrow_mut();
            if let Some((loaded, promise)) = slot.as_ref() {
                if loaded == url {
                    return Ok(promise.clone());
                }
            }
            let document = web_sys::window()
                .and_then(|w| w.document())
                .ok_or("no document")?;
            let script: web_sys::HtmlScriptElement = document
                .create_element("script")
                .map_err(|e| message(&e))?
                .unchecked_into();
            script.set_src(url);
            let promise = Promise::new(&mut |resolve, reject| {
                script.set_onload(Some(&resolve));
                script.set_onerror(Some(&reject));
            });
            document
                .head()
                .ok_or("no head")?
                .append_child(&script)
                .map_err(|e| message(&e))?;
            *slot = Some((url.to_owned(), promise.clone()));
            Ok::<_, String>(promise)
        })?;
        JsFuture::from(promise).await.map(|_| ()).map_err(|_| {
            // Forget the failed load so that a retry tries again.
            SCRIPT.with(|cell| *cell.borrow_mut() = None);
            format!("Stripe.js could not be loaded from {url}")
        })
    }

    /// A mounted Payment Element and what keeps it alive.
    pub struct Mounted {
        stripe: StripeJs,
        elements: Elements,
        element: PaymentElement,
        _handlers: Vec<Closure<dyn FnMut(JsValue)>>,
    }

    pub struct Handlers {
        pub on_ready: Box<dyn Fn()>,
        /// `complete` of each change event.
        pub on_change: Box<dyn Fn(bool)>,
        pub on_load_error: Box<dyn Fn(String)>,
    }

    pub async fn mount(
        script_url: &str,
        publishable_key: &str,
        options: &ElementsOptions,
        target: &web_sys::HtmlElement,
        handlers: Handlers,
    ) -> Result<Mounted, String> {
        load(script_url).await?;
        let stripe_options = Object::new();
        let _ = Reflect::set(
            &stripe_options,
            &"locale".into(),
            &options.locale.clone().into(),
        );
        let stripe = new_stripe(publishable_key, &stripe_options).map_err(|e| message(&e))?;
        let elements = stripe.elements(&to_js(options)).map_err(|e| message(&e))?;
        let element_options = Object::new();
        let _ = Reflect::set(&element_options, &"layout".into(), &"tabs".into());
        let element = elements
            .create("payment", &element_options)
            .map_err(|e| message(&e))?;
        let Handlers {
            on_ready,
            on_change,
            on_load_error,
        } = handlers;
        let ready = Closure::<dyn FnMut(JsValue)>::new(move |_| on_ready());
        let change = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
            let complete = Reflect::get(&event, &"complete".into())
                .ok()
                .and_then(|c| c.as_bool())
                .unwrap_or(false);
            on_change(complete);
        });
        let load_error = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
            let error = Reflect::get(&event, &"error".into()).unwrap_or(JsValue::NULL);
            on_load_error(message(&error));
        });
        element.on("ready", ready.as_ref().unchecked_ref());
        element.on("change", change.as_ref().unchecked_ref());
        element.on("loaderror", load_error.as_ref().unchecked_ref());
        element.mount(target).map_err(|e| message(&e))?;
        Ok(Mounted {
            stripe,
            elements,
            element,
            _handlers: vec![ready, change, load_error],
        })
    }

    impl Mounted {
        /// `stripe.confirmPayment({elements, confirmParams: {return_url}, redirect: 'if_required'})`.
        pub async fn confirm(&self, return_url: &str) -> ConfirmOutcome {
            let options = Object::new();
            let params = Object::new();
            let _ = Reflect::set(&params, &"return_url".into(), &return_url.into());
            let _ = Reflect::set(&options, &"elements".into(), &self.elements);
            let _ = Reflect::set(&options, &"confirmParams".into(), &params);
            let _ = Reflect::set(&options, &"redirect".into(), &"if_required".into());
            let result = match JsFuture::from(self.stripe.confirm_payment(&options)).await {
                Ok(result) => result,
                Err(e) => {
                    return ConfirmOutcome::Failed(StripeJsError {
                        kind: "integration_error".into(),
                        message: Some(message(&e)),
                        ..Default::default()
                    })
                }
            };
            outcome(result)
        }

        /// `elements.submit()`: validates the form; `Ok(type)` of the chosen method.
        pub async fn submit(&self) -> Result<String, StripeJsError> {
            let result = JsFuture::from(self.elements.submit_js())
                .await
                .map_err(|e| StripeJsError {
                    kind: "integration_error".into(),
                    message: Some(message(&e)),
                    ..Default::default()
                })?;
            let error = Reflect::get(&result, &"error".into()).unwrap_or(JsValue::UNDEFINED);
            if !error.is_undefined() && !error.is_null() {
                return Err(serde_wasm_bindgen::from_value(error).unwrap_or_default());
            }
            Ok(Reflect::get(&result, &"selectedPaymentMethod".into())
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_default())
        }

        /// `stripe.retrievePaymentIntent(clientSecret)`.
        pub async fn retrieve_payment_intent(&self, client_secret: &str) -> ConfirmOutcome {
            match JsFuture::from(self.stripe.retrieve_payment_intent(client_secret)).await {
                Ok(result) => outcome(result),
                Err(e) => ConfirmOutcome::Failed(StripeJsError {
                    kind: "api_connection_error".into(),
                    message: Some(message(&e)),
                    ..Default::default()
                }),
            }
        }

        pub fn destroy(&self) {
            self.element.destroy();
        }
    }

    fn outcome(result: JsValue) -> ConfirmOutcome {
        let error = Reflect::get(&result, &"error".into()).unwrap_or(JsValue::UNDEFINED);
        if !error.is_undefined() && !error.is_null() {
            return ConfirmOutcome::Failed(
                serde_wasm_bindgen::from_value(error).unwrap_or_default(),
            );
        }
        let intent = Reflect::get(&result, &"paymentIntent".into()).unwrap_or(JsValue::UNDEFINED);
        match serde_wasm_bindgen::from_value::<ConfirmedIntent>(intent) {
            Ok(intent) => ConfirmOutcome::Confirmed(intent),
            Err(e) => ConfirmOutcome::Failed(StripeJsError {
                kind: "api_error".into(),
                message: Some(e.to_string()),
                ..Default::default()
            }),
        }
    }
}
