//! `/checkout`: the order summary of the signed-in customer's cart.

use leptos::prelude::*;
use leptos_meta::Title;

use super::cart::EmptyCart;
use crate::cart::Cart;
use crate::components::ErrorNotice;
use crate::i18n::Locale;
use crate::root::{use_session, use_shop};

#[component]
pub fn CheckoutPage() -> impl IntoView {
    let shop = use_shop();
    let locale = use_session().locale;
    let texts = locale.texts();
    view! {
        <Title text=texts.checkout_title/>
        <h1>{texts.checkout_title}</h1>
        <Transition fallback=move || view! { <p class="loading">{texts.loading}</p> }>
            {move || Suspend::new(async move {
                match shop.cart.await {
                    Ok(None) => view! {
                        <p class="notice">
                            {texts.checkout_sign_in}" "
                            <a href="/signin?next=/checkout">{texts.sign_in}</a>
                        </p>
                    }
                    .into_any(),
                    Ok(Some(cart)) if cart.is_empty() => view! { <EmptyCart locale/> }.into_any(),
                    Ok(Some(cart)) => view! { <OrderSummary cart locale/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error texts/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn OrderSummary(cart: Cart, locale: Locale) -> impl IntoView {
    let texts = locale.texts();
    let lines = cart
        .lines
        .into_iter()
        .map(|line| {
            view! {
                <li data-product=line.product_id.clone()>
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
        <section class="order-summary" aria-labelledby="summary-title">
            <h2 id="summary-title">{texts.order_summary}</h2>
            <ul class="summary-lines">{lines}</ul>
            <p class="summary-total">
                <span>{texts.total}</span>
                <span class="amount" data-testid="checkout-total">{cart.total.format(locale)}</span>
            </p>
        </section>
    }
}
