//! Keeps a server-rendered page current without reloading it.
//!
//! Pages stay server components; what changes on them is marked up by the
//! server, and this island only carries it across:
//!
//! - a form marked `data-enhance` is posted in the background, as the
//!   browser would post it (the server function answers a plain form post
//!   with a redirect to the page, which `fetch` follows);
//! - a region (`[data-region]` with an `id`) takes the content and attributes
//!   of the same region of the page the server sent back, so totals, badges
//!   and notices come from the server, in the shopper's language, with no
//!   client-side copy of the rendering. The region element itself stays, so
//!   an `aria-live` region announces what changed;
//! - a region with `data-stream="<url>"` (and `data-status`) follows the
//!   server-sent events at that address (the order's status): when the
//!   status changes, the page is fetched again and its regions brought over;
//!   the stream closes once the status is settled, and reopens with back-off
//!   if the connection drops (after repeated failures, polling takes over);
//! - while some region carries `data-follow="<ms>"` (and no stream runs), the
//!   page is fetched again after that delay and its regions brought over,
//!   until the server renders them without it (a payment has settled, say);
//! - `data-canonical-url` replaces the address in the history (the return
//!   page drops Stripe's client secret from it);
//! - dates (`<time data-local datetime>`, written in UTC by the server) are
//!   rewritten in the shopper's time zone, in the page's language;
//! - a `data-print` button (hidden without JavaScript) prints the page.
//!
//! Without JavaScript the same forms post and the page reloads.

use leptos::prelude::*;

/// Renders nothing; in the browser, starts the work above once per page.
#[island]
pub fn LiveUpdates() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    browser::start();
}

#[cfg(feature = "hydrate")]
mod browser {
    use std::cell::{Cell, RefCell};
    use std::future::Future;

    use js_sys::Promise;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::{future_to_promise, JsFuture};
    use web_sys::{Element, HtmlFormElement, SubmitEvent};

    use crate::islands::page::{document, fetch_page, swap_regions};

    thread_local! {
        static STARTED: Cell<bool> = const { Cell::new(false) };
        /// Updates run one after another: a poll never overtakes a post.
        static LAST: RefCell<Option<Promise>> = const { RefCell::new(None) };
        static FOLLOWING: Cell<bool> = const { Cell::new(false) };
        /// A status stream is open: it, not polling, says when to refresh.
        static STREAMING: Cell<bool> = const { Cell::new(false) };
    }

    pub fn start() {
        if STARTED.replace(true) {
            return;
        }
        let Some(document) = document() else { return };
        if let Some(url) = document
            .query_selector("[data-canonical-url]")
            .ok()
            .flatten()
            .and_then(|e| e.get_attribute("data-canonical-url"))
        {
            if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
                let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
            }
        }
        let on_submit = Closure::<dyn FnMut(SubmitEvent)>::new(on_submit);
        let _ =
            document.add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref());
        // Lives as long as the page.
        on_submit.forget();
        show_local_times(&document);
        enable_print(&document);
        match stream_target(&document) {
            Some((url, status)) => wasm_bindgen_futures::spawn_local(follow_stream(url, status)),
            None => follow_later(),
        }
    }

    fn stream_target(document: &web_sys::Document) -> Option<(String, String)> {
        let region = document.query_selector("[data-stream]").ok().flatten()?;
        Some((
            region.get_attribute("data-stream")?,
            region.get_attribute("data-status").unwrap_or_default(),
        ))
    }

    /// Follows the order's status events from `url`, starting from the
    /// `status` the page shows.
    async fn follow_stream(url: String, mut shown: String) {
        use futures_util::StreamExt;
        use gloo_net::eventsource::futures::EventSource;
        let mut failures: u32 = 0;
        STREAMING.set(true);
        loop {
            let Ok(mut source) = EventSource::new(&url) else {
                break;
            };
            let Ok(mut events) = source.subscribe("message") else {
                break;
            };
            let mut settled = false;
            while let Some(Ok((_, event))) = events.next().await {
                failures = 0;
                let status = event.data().as_string().unwrap_or_default();
                if status == "stop" {
                    settled = true;
                    break;
                }
                if status != shown {
                    shown = status.clone();
                    enqueue(refresh());
                }
                if !matches!(status.as_str(), "processing" | "awaiting_payment") {
                    settled = true;
                    break;
                }
            }
            source.close();
            if settled {
                STREAMING.set(false);
                return;
            }
            failures += 1;
            if failures > 5 {
                break;
            }
            sleep(1_000 * 2_i32.pow(failures.min(5))).await;
        }
        // No stream to be had: ask again now and then instead.
        STREAMING.set(false);
        follow_later();
    }

    /// Fetches this page again and brings its regions over.
    async fn refresh() {
        let here = web_sys::window()
            .and_then(|w| w.location().href().ok())
            .unwrap_or_default();
        if let Some(page) = fetch_page(&here, None).await {
            swap_regions(&page);
            if let Some(document) = document() {
                show_local_times(&document);
            }
        }
    }

    async fn sleep(ms: i32) {
        let promise = Promise::new(&mut |resolve, _| {
            if let Some(window) = web_sys::window() {
                let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
            }
        });
        let _ = JsFuture::from(promise).await;
    }

    /// Each `<time data-local>` in the shopper's own time zone.
    fn show_local_times(document: &web_sys::Document) {
        let Ok(times) = document.query_selector_all("time[data-local]") else {
            return;
        };
        let lang = document
            .document_element()
            .map(|html| html.get_attribute("lang").unwrap_or_default())
            .unwrap_or_default();
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
        let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
        let locales = js_sys::Array::of1(&lang.into());
        let format = js_sys::Intl::DateTimeFormat::new(&locales, &options).format();
        for i in 0..times.length() {
            let Some(time) = times.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
                continue;
            };
            let Some(iso) = time.get_attribute("datetime") else {
                continue;
            };
            let date = js_sys::Date::new(&iso.into());
            if date.get_time().is_nan() {
                continue;
            }
            if let Ok(text) = format.call1(&JsValue::NULL, &date) {
                time.set_text_content(text.as_string().as_deref());
            }
        }
    }

    fn enable_print(document: &web_sys::Document) {
        let Ok(buttons) = document.query_selector_all("[data-print]") else {
            return;
        };
        for i in 0..buttons.length() {
            let Some(button) = buttons.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
                continue;
            };
            let _ = button.remove_attribute("hidden");
            let print = Closure::<dyn FnMut()>::new(|| {
                if let Some(window) = web_sys::window() {
                    let _ = window.print();
                }
            });
            let _ =
                button.add_event_listener_with_callback("click", print.as_ref().unchecked_ref());
            print.forget();
        }
    }

    fn on_submit(event: SubmitEvent) {
        let Some(form) = event
            .target()
            .and_then(|t| t.dyn_into::<HtmlFormElement>().ok())
        else {
            return;
        };
        if !form.has_attribute("data-enhance") {
            return;
        }
        event.prevent_default();
        let body = web_sys::FormData::new_with_form(&form)
            .and_then(|data| web_sys::UrlSearchParams::new_with_str_sequence_sequence(&data));
        let Ok(body) = body else { return };
        let action = form.action();
        enqueue(async move {
            let page = fetch_page(&action, Some(body)).await;
            if let Some(page) = page {
                swap_regions(&page);
                if let Some(document) = document() {
                    show_local_times(&document);
                }
            }
            follow_later();
        });
    }

    /// Runs `update` after every update queued before it.
    fn enqueue(update: impl Future<Output = ()> + 'static) {
        let previous = LAST.with(|last| last.borrow_mut().take());
        let next = future_to_promise(async move {
            if let Some(previous) = previous {
                let _ = JsFuture::from(previous).await;
            }
            update.await;
            Ok(JsValue::UNDEFINED)
        });
        LAST.with(|last| *last.borrow_mut() = Some(next));
    }

    /// While a region asks to be followed, fetches the page again after the
    /// shortest delay any region asks for.
    fn follow_later() {
        if FOLLOWING.get() || STREAMING.get() {
            return;
        }
        let Some(document) = document() else { return };
        let Ok(regions) = document.query_selector_all("[data-follow]") else {
            return;
        };
        let delay = (0..regions.length())
            .filter_map(|i| regions.item(i)?.dyn_into::<Element>().ok())
            .filter_map(|e| e.get_attribute("data-follow")?.parse::<i32>().ok())
            .min();
        let Some(delay) = delay else { return };
        let Some(window) = web_sys::window() else {
            return;
        };
        FOLLOWING.set(true);
        let poll = Closure::once_into_js(move || {
            FOLLOWING.set(false);
            enqueue(async {
                refresh().await;
                follow_later();
            });
        });
        if window
            .set_timeout_with_callback_and_timeout_and_arguments_0(poll.unchecked_ref(), delay)
            .is_err()
        {
            FOLLOWING.set(false);
        }
    }
}
