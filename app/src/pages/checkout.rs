//! `/checkout`: the order summary and the Payment Element.

use leptos::prelude::*;
use leptos_meta::Title;

use super::cart::EmptyCart;
use super::payment_form::PaymentForm;
use crate::components::ErrorNotice;
use crate::i18n::Locale;
use crate::payments::{CheckoutView, OrderView};
use crate::root::{use_session, use_shop};

#[component]
pub fn CheckoutPage() -> impl IntoView {
    let checkout = use_shop().checkout;
    let locale = use_session().locale;
    let texts = locale.texts();
    view! {
        <Title text=texts.checkout_title/>
        <h1>{texts.checkout_title}</h1>
        <Transition fallback=move || view! { <p class="loading">{texts.loading}</p> }>
            {move || Suspend::new(async move {
                match checkout.await {
                    Ok(CheckoutView::SignedOut | CheckoutView::NotShown) => view! {
                        <p class="notice">
                            {texts.checkout_sign_in}" "
                            <a href="/signin?next=/checkout">{texts.sign_in}</a>
                        </p>
                    }
                    .into_any(),
                    Ok(CheckoutView::EmptyCart) => view! { <EmptyCart locale/> }.into_any(),
                    Ok(CheckoutView::Ready(setup)) => {
                        let order = setup.order.clone();
                        view! {
                            <div class="checkout-grid">
                                <OrderSummary order=order.clone() locale/>
                                <section class="payment" aria-labelledby="payment-title">
                                    <h2 id="payment-title">{texts.payment_title}</h2>
                                    {order.failure_message.clone().map(|reason| view! {
                                        <p class="notice notice-error" data-testid="previous-failure">
                                            {texts.previous_attempt_failed}" "{reason}
                                        </p>
                                    })}
                                    <PaymentForm setup=*setup locale/>
                                </section>
                            </div>
                        }
                        .into_any()
                    }
                    Err(error) => view! { <ErrorNotice error texts/> }.into_any(),
                }
            })}
        </Transition>
    }
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
        <section class="order-summary" aria-labelledby="summary-title" data-order=order.id>
            <h2 id="summary-title">{texts.order_summary}</h2>
            <ul class="summary-lines">{lines}</ul>
            <p class="summary-total">
                <span>{texts.total}</span>
                <span class="amount" data-testid="checkout-total">{order.total.format(locale)}</span>
            </p>
        </section>
    }
}
