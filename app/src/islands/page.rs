//! The page as the server renders it, fetched again from the browser: the
//! `LiveUpdates` island follows it, and the payment form checks it before
//! paying. Browser only.

use js_sys::{Object, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Document, Element, HtmlElement};

/// The page's document, when there is a window.
pub fn document() -> Option<Document> {
    web_sys::window()?.document()
}

/// Asks the server: a GET, or a POST of `form`, accepting `accept`. The
/// answer, when it is a success.
async fn request(
    url: &str,
    accept: &str,
    form: Option<web_sys::UrlSearchParams>,
) -> Option<web_sys::Response> {
    let window = web_sys::window()?;
    let init = web_sys::RequestInit::new();
    let headers = Object::new();
    let _ = Reflect::set(&headers, &"Accept".into(), &accept.into());
    init.set_headers(&headers);
    if let Some(form) = form {
        init.set_method("POST");
        init.set_body(&form);
    }
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .ok()?
        .dyn_into()
        .ok()?;
    response.ok().then_some(response)
}

/// GETs the current page, or POSTs a form to `url`, and parses the page
/// the server answers with.
pub async fn fetch_page(url: &str, form: Option<web_sys::UrlSearchParams>) -> Option<Document> {
    // A page, not data: server functions answer a plain form post with a redirect.
    let response = request(url, "text/html", form).await?;
    let html = JsFuture::from(response.text().ok()?)
        .await
        .ok()?
        .as_string()?;
    web_sys::DomParser::new()
        .ok()?
        .parse_from_string(&html, web_sys::SupportedType::TextHtml)
        .ok()
}

/// Posts `form` to a server function and reads its JSON answer (`None` when
/// it fails or answers an error).
pub async fn post_for_json(
    url: &str,
    form: web_sys::UrlSearchParams,
) -> Option<wasm_bindgen::JsValue> {
    let response = request(url, "application/json", Some(form)).await?;
    JsFuture::from(response.json().ok()?).await.ok()
}

/// Posts `form` to a server function: its JSON answer, or the JSON of the
/// error it answered (`UNDEFINED` when there was no answer to read).
pub async fn post_json(
    url: &str,
    form: web_sys::UrlSearchParams,
) -> Result<wasm_bindgen::JsValue, wasm_bindgen::JsValue> {
    let failed = wasm_bindgen::JsValue::UNDEFINED;
    let window = web_sys::window().ok_or(failed.clone())?;
    let init = web_sys::RequestInit::new();
    let headers = Object::new();
    let _ = Reflect::set(&headers, &"Accept".into(), &"application/json".into());
    init.set_headers(&headers);
    init.set_method("POST");
    init.set_body(&form);
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .ok()
        .and_then(|r| r.dyn_into().ok())
        .ok_or(failed.clone())?;
    let body = JsFuture::from(response.json().map_err(|_| failed.clone())?)
        .await
        .map_err(|_| failed)?;
    if response.ok() {
        Ok(body)
    } else {
        Err(body)
    }
}

/// Replaces each region of the page with the same region of `page`, and
/// keeps the focus on the control (by id) that had it.
pub fn swap_regions(page: &Document) {
    let Some(document) = document() else { return };
    let focused = document
        .active_element()
        .map(|e| e.id())
        .unwrap_or_default();
    let Ok(regions) = document.query_selector_all("[data-region]") else {
        return;
    };
    for index in 0..regions.length() {
        let Some(old) = regions
            .item(index)
            .and_then(|n| n.dyn_into::<Element>().ok())
        else {
            continue;
        };
        let Some(new) = page.get_element_by_id(&old.id()) else {
            continue;
        };
        if old.outer_html() == new.outer_html() {
            continue;
        }
        copy_attributes(&old, &new);
        if old.inner_html() != new.inner_html() {
            old.set_inner_html(&new.inner_html());
        }
    }
    if focused.is_empty() {
        return;
    }
    let lost = document.active_element().is_none_or(|e| e.id() != focused);
    if lost {
        if let Some(element) = document
            .get_element_by_id(&focused)
            .and_then(|e| e.dyn_into::<HtmlElement>().ok())
        {
            let _ = element.focus();
        }
    }
}

/// Makes `old`'s attributes those of `new` (a `data-follow` the server
/// no longer renders goes away).
fn copy_attributes(old: &Element, new: &Element) {
    let names = |e: &Element| {
        let list = e.get_attribute_names();
        (0..list.length())
            .filter_map(|i| list.get(i).as_string())
            .collect::<Vec<_>>()
    };
    for name in names(old) {
        if !new.has_attribute(&name) {
            let _ = old.remove_attribute(&name);
        }
    }
    for name in names(new) {
        let value = new.get_attribute(&name).unwrap_or_default();
        if old.get_attribute(&name).as_deref() != Some(value.as_str()) {
            let _ = old.set_attribute(&name, &value);
        }
    }
}
