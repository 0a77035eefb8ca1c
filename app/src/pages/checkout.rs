//! `/checkout`: the order summary, the address step of an order with
//! something to ship, and the Payment Element.

use leptos::prelude::*;
use leptos_meta::{Script, Title};
use leptos_router::hooks::use_query_map;

use super::cart::EmptyCart;
use crate::api::SessionInfo;
use crate::components::{action_of, ErrorNotice, SignInPrompt};
use crate::error::ShopError;
use crate::islands::{ConfiguredPaymentForm, IslandScripts, PaymentFormConfig};
use crate::page::Page;
use crate::payments::{start_checkout, AddressForm, CheckoutView, OrderView, SetDeliveryAddress};
use shop::i18n::Locale;

#[component]
pub fn CheckoutPage() -> impl IntoView {
    let query = use_query_map();
    view! {
        <Page content=move |session| {
            // A plain address form that was refused comes back here with why.
            let error = query.read_untracked().get("error").and_then(|c| ShopError::from_code(&c));
            async move { checkout(session, error).await }
        }/>
    }
}

async fn checkout(session: SessionInfo, form_error: Option<ShopError>) -> AnyView {
    let locale = session.locale;
    let texts = locale.texts();
    let content = match start_checkout().await {
        Ok(CheckoutView::SignedOut) => {
            view! { <SignInPrompt message=texts.checkout_sign_in next="/checkout".into() texts/> }
                .into_any()
        }
        Ok(CheckoutView::EmptyCart) => view! { <EmptyCart locale/> }.into_any(),
        Ok(CheckoutView::Ready(setup)) => {
            let order = setup.order.clone();
            let stripe_js = setup.stripe_js_url.clone();
            let address = setup.address.clone();
            let address_first = setup.address_first();
            // An address the order has shows as a saved address card: "save"
            // waits until the shopper edits it or adds another.
            let has_address = order.shipping.is_some();
            let step = address.clone().map(|form| {
                view! { <AddressStep form first=address_first has_address locale/> }
            });
            // In the address step, the payment comes after it.
            let heading = (!address_first)
                .then(|| view! { <h2 id="payment-title">{texts.payment_title}</h2> });
            let payment_form = PaymentFormConfig::new(*setup, locale);
            view! {
                // Requested by the HTML itself, so it loads while the page parses,
                // not after the island has started.
                <Script id="stripe-js" src=stripe_js async_=""/>
                <div class="checkout-grid">
                    <SummaryFold order=order.clone() locale/>
                    <section class="payment">
                        // Without JavaScript the address is a plain form, first.
                        <noscript>
                            {address.map(|form| view! {
                                <PlainAddressForm form order=order.id error=form_error.clone() locale/>
                            })}
                        </noscript>
                        {step}
                        {heading}
                        {order.failure.map(|reason| view! {
                            <p class="notice notice-error" data-testid="previous-failure">
                                {texts.previous_attempt_failed}" "{texts.failure_reason(reason)}
                            </p>
                        })}
                        <ConfiguredPaymentForm config=payment_form/>
                        // Without JavaScript there is no element to pay with: say so
                        // instead of a loading line that never ends.
                        <noscript>
                            <p class="notice" data-testid="needs-javascript">{texts.payment_needs_javascript}</p>
                            <style>".payment-form, .address-step { display: none; }"</style>
                        </noscript>
                    </section>
                </div>
                <IslandScripts/>
            }
            .into_any()
        }
        Err(error) => view! { <ErrorNotice error texts/> }.into_any(),
    };
    view! {
        <Title text=texts.checkout_title/>
        <h1>{texts.checkout_title}</h1>
        {content}
    }
    .into_any()
}

/// The order summary behind a bar saying "Order summary · total": folded
/// on a phone, so the payment form and Pay are in view; opened at once on
/// a wider screen, by a line of script that runs as the page parses (no
/// flash, no WebAssembly). The bar's total is a region of its own, so a
/// changed delivery price updates it with the summary.
#[component]
fn SummaryFold(order: OrderView, locale: Locale) -> impl IntoView {
    let texts = locale.texts();
    let nonce = leptos::nonce::use_nonce();
    let total = order.total.format(locale);
    view! {
        <details class="summary-fold" id="summary-fold" data-testid="summary-fold">
            <summary>
                <span>{texts.shopper.show_summary}</span>
                <span class="amount" id="summary-bar-total" data-region="">{total}</span>
            </summary>
            <OrderSummary order locale/>
        </details>
        <script nonce=nonce>
            "if(matchMedia('(min-width: 801px)').matches)document.getElementById('summary-fold').open=true"
        </script>
    }
}

#[component]
pub fn OrderSummary(order: OrderView, locale: Locale) -> impl IntoView {
    let texts = locale.texts();
    let delivery = order.needs_shipping().then(|| {
        let price = order.delivery_text(locale);
        view! {
            <p class="summary-row">
                <span>{texts.delivery.subtotal}</span>
                <span class="amount" data-testid="checkout-subtotal">{order.subtotal().format(locale)}</span>
            </p>
            <p class="summary-row">
                <span>{texts.delivery.delivery}</span>
                <span class="amount" data-testid="checkout-delivery">{price}</span>
            </p>
        }
    });
    let lines = order
        .lines
        .into_iter()
        .map(|line| {
            view! {
                <li>
                    <span class="summary-item">
                        <span class="summary-quantity">{line.quantity}" × "</span>
                        {line.name.get(locale).to_owned()}
                    </span>
                    <span class="amount">{line.line_total.format(locale)}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <section
            class="order-summary"
            id="order-summary"
            aria-labelledby="summary-title"
            data-region=""
            data-order=order.id
            data-version=order.version
        >
            <h2 id="summary-title">{texts.order_summary}</h2>
            <ul class="summary-lines">{lines}</ul>
            {delivery}
            <p class="summary-total">
                <span>{texts.total}</span>
                <span class="amount" data-testid="checkout-total">{order.total.format(locale)}</span>
            </p>
        </section>
    }
}

/// Where the island mounts the Address Element, with the parts around it
/// (its message and "save"): plain markup the island finds by id.
#[component]
fn AddressStep(form: AddressForm, first: bool, has_address: bool, locale: Locale) -> impl IntoView {
    let texts = locale.texts().delivery;
    view! {
        // `data-first`: the address comes before the payment (tests read it too).
        <div class="address-step" data-first=first.to_string()>
            <h2 id="address-title">{texts.address_title}</h2>
            <div id="address-element" class="address-element" data-testid="address-element"></div>
            <p
                id="address-error"
                class="notice notice-error"
                role="alert"
                data-testid="address-error"
                hidden=!form.saved_refused
            >
                {form.saved_refused.then_some(texts.saved_not_delivered)}
            </p>
            <label class="checkbox save-address" id="save-address-label" hidden=has_address>
                <input type="checkbox" id="save-address" data-testid="save-address"/>
                {texts.save_address}
            </label>
        </div>
    }
}

/// The address step without JavaScript: a plain form posting to the same
/// server function as the Address Element's page, answered with a redirect
/// back here.
#[component]
fn PlainAddressForm(
    form: AddressForm,
    order: i64,
    error: Option<ShopError>,
    locale: Locale,
) -> impl IntoView {
    let texts = locale.texts().delivery;
    let AddressForm {
        prefill,
        countries,
        saved_refused,
    } = form;
    let error = error
        .map(|e| e.message(locale.texts()))
        .or(saved_refused.then_some(texts.saved_not_delivered));
    let options = countries
        .into_iter()
        .map(|code| {
            let name =
                shop::countries::find(&code).map_or(code.clone(), |c| c.name(locale).to_owned());
            let selected = code == prefill.country;
            view! { <option value=code selected=selected>{name}</option> }
        })
        .collect_view();
    let field = |name: &'static str,
                 label: &'static str,
                 value: String,
                 autocomplete: &'static str,
                 required: bool| {
        let id = format!("plain-{name}");
        view! {
            <label for=id.clone()>{label}</label>
            <input id=id name=name value=value autocomplete=autocomplete required=required maxlength="200"/>
        }
    };
    let action = action_of::<SetDeliveryAddress>();
    view! {
        <form method="post" action=action class="form address-form" data-testid="plain-address-form">
            <h2>{texts.address_title}</h2>
            {error.map(|message| view! { <p class="notice notice-error" role="alert" data-testid="plain-address-error">{message}</p> })}
            <input type="hidden" name="order_id" value=order/>
            {field("name", texts.field_name, prefill.name, "shipping name", true)}
            {field("line1", texts.field_line1, prefill.line1, "shipping address-line1", true)}
            {field("line2", texts.field_line2, prefill.line2, "shipping address-line2", false)}
            {field("city", texts.field_city, prefill.city, "shipping address-level2", true)}
            {field("state", texts.field_state, prefill.state, "shipping address-level1", false)}
            {field("postal_code", texts.field_postal_code, prefill.postal_code, "shipping postal-code", true)}
            <label for="plain-country">{texts.field_country}</label>
            <select id="plain-country" name="country" autocomplete="shipping country">{options}</select>
            <label class="checkbox">
                <input type="checkbox" name="save" value="1"/>
                {texts.save_address}
            </label>
            <button type="submit" class="button">{texts.continue_to_payment}</button>
        </form>
    }
}
