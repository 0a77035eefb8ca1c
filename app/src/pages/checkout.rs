//! `/checkout`: the order summary and the Payment Element.

use leptos::prelude::*;
use leptos_meta::{Script, Title};

use super::cart::EmptyCart;
use crate::api::SessionInfo;
use crate::components::{ErrorNotice, SignInPrompt};
use crate::i18n::Locale;
use crate::islands::{IslandScripts, PaymentForm, PaymentFormConfig};
use crate::payments::{start_checkout, CheckoutView, OrderView};
use crate::root::Page;

#[component]
pub fn CheckoutPage() -> impl IntoView {
    view! { <Page content=checkout/> }
}

async fn checkout(session: SessionInfo) -> AnyView {
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
            // What the island mounts the element with (read from context here, from the page in the browser).
            provide_context(PaymentFormConfig::new(*setup, locale));
            view! {
                // Requested by the HTML itself, so it loads while the page parses,
                // not after the island has started.
                <Script id="stripe-js" src=stripe_js async_=""/>
                <div class="checkout-grid">
                    <OrderSummary order=order.clone() locale/>
                    <section class="payment" aria-labelledby="payment-title">
                        <h2 id="payment-title">{texts.payment_title}</h2>
                        {order.failure.map(|reason| view! {
                            <p class="notice notice-error" data-testid="previous-failure">
                                {texts.previous_attempt_failed}" "{texts.failure_reason(reason)}
                            </p>
                        })}
                        <PaymentForm/>
                        // Without JavaScript there is no element to pay with: say so
                        // instead of a loading line that never ends.
                        <noscript>
                            <p class="notice" data-testid="needs-javascript">{texts.payment_needs_javascript}</p>
                            <style>".payment-form { display: none; }"</style>
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

#[component]
pub fn OrderSummary(order: OrderView, locale: Locale) -> impl IntoView {
    let texts = locale.texts();
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
            <p class="summary-total">
                <span>{texts.total}</span>
                <span class="amount" data-testid="checkout-total">{order.total.format(locale)}</span>
            </p>
        </section>
    }
}
