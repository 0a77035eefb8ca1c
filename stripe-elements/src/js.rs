//! Stripe.js's objects as wasm-bindgen sees them, and `Reflect` helpers.
#![allow(unsafe_code)] // wasm-bindgen's extern blocks

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// What `Stripe(key, options)` returns.
    pub type StripeJs;
    #[wasm_bindgen(catch, js_name = Stripe)]
    pub fn new_stripe(key: &str, options: &JsValue) -> Result<StripeJs, JsValue>;
    #[wasm_bindgen(method, catch)]
    pub fn elements(this: &StripeJs, options: &JsValue) -> Result<Elements, JsValue>;
    #[wasm_bindgen(method, js_name = confirmPayment)]
    pub fn confirm_payment(this: &StripeJs, options: &JsValue) -> Promise;

    /// An Elements group.
    pub type Elements;
    #[wasm_bindgen(method, js_name = fetchUpdates)]
    pub fn fetch_updates(this: &Elements) -> Promise;
    #[wasm_bindgen(method)]
    pub fn submit(this: &Elements) -> Promise;
    #[wasm_bindgen(method, catch)]
    pub fn create(this: &Elements, kind: &str, options: &JsValue) -> Result<Element, JsValue>;

    /// A Payment or Address Element.
    pub type Element;
    #[wasm_bindgen(method, catch)]
    pub fn mount(this: &Element, target: &web_sys::HtmlElement) -> Result<(), JsValue>;
    #[wasm_bindgen(method)]
    pub fn destroy(this: &Element);
    #[wasm_bindgen(method)]
    pub fn on(this: &Element, event: &str, handler: &Function);
    /// The Address Element's `getValue()`.
    #[wasm_bindgen(method, js_name = getValue)]
    pub fn get_value(this: &Element) -> Promise;
}

pub fn get(object: &JsValue, key: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

pub fn set(object: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(object, &JsValue::from_str(key), value);
}

pub fn object(fields: &[(&str, JsValue)]) -> Object {
    let object = Object::new();
    for (key, value) in fields {
        set(&object, key, value);
    }
    object
}

/// `object.message`, when it is a string.
pub fn message(value: &JsValue) -> Option<String> {
    get(value, "message").as_string()
}
