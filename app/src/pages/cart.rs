//! `/cart`: the signed-in customer's cart, with quantities to change.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::cart::{Cart, CartLine, MAX_QUANTITY};
use crate::components::ErrorNotice;
use crate::i18n::Locale;
use crate::root::{use_session, use_shop};

#[component]
pub fn CartPage() -> impl IntoView {
    let shop = use_shop();
    let locale = use_session().locale;
    let texts = locale.texts();
    let changed = shop.set_quantity.value();

    view! {
        <Title text=texts.cart_title/>
        <h1>{texts.cart_title}</h1>
        <div class="status" aria-live="polite">
            {move || changed.get().and_then(Result::err).map(|error| view! { <ErrorNotice error texts/> })}
        </div>
        <Transition fallback=move || view! { <p class="loading">{texts.loading}</p> }>
            {move || Suspend::new(async move {
                match shop.cart.await {
                    Ok(None) => view! {
                        <p class="notice">
                            {texts.cart_sign_in}" "
                            <a href="/signin?next=/cart">{texts.sign_in}</a>
                        </p>
                    }
                    .into_any(),
                    Ok(Some(cart)) if cart.is_empty() => view! { <EmptyCart locale/> }.into_any(),
                    Ok(Some(cart)) => view! { <CartTable cart locale/> }.into_any(),
                    Err(error) => view! { <ErrorNotice error texts/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
pub fn EmptyCart(locale: Locale) -> impl IntoView {
    let texts = locale.texts();
    view! {
        <div class="empty-cart" data-testid="empty-cart">
            <p>{texts.cart_empty}</p>
            <a class="button" href="/">{texts.browse_catalog}</a>
        </div>
    }
}

#[component]
fn CartTable(cart: Cart, locale: Locale) -> impl IntoView {
    let texts = locale.texts();
    let rows = cart
        .lines
        .into_iter()
        .map(|line| view! { <CartRow line locale/> })
        .collect_view();
    view! {
        <table class="cart-table">
            <thead>
                <tr>
                    <th scope="col">{texts.product}</th>
                    <th scope="col">{texts.unit_price}</th>
                    <th scope="col">{texts.quantity}</th>
                    <th scope="col" class="amount">{texts.line_total}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
            <tfoot>
                <tr>
                    <th scope="row" colspan="3">{texts.total}</th>
                    <td class="amount" data-testid="cart-total">{cart.total.format(locale)}</td>
                </tr>
            </tfoot>
        </table>
        <p class="actions">
            <a class="button" href="/checkout">{texts.proceed_to_checkout}</a>
        </p>
    }
}

#[component]
fn CartRow(line: CartLine, locale: Locale) -> impl IntoView {
    let shop = use_shop();
    let texts = locale.texts();
    let name = line.name.get(locale).to_owned();
    let input_id = format!("quantity-{}", line.product_id);
    let remove_label = format!("{} – {name}", texts.remove);
    let pending = shop.set_quantity.pending();
    let product_id = line.product_id.clone();
    let remove_id = line.product_id.clone();
    view! {
        <tr data-product=line.product_id>
            <th scope="row">
                <span class="product-cell">
                    <img src=line.image.clone() alt="" width="48" height="36"/>
                    <span>{name.clone()}</span>
                </span>
            </th>
            <td>{line.unit_price.format(locale)}</td>
            <td>
                <ActionForm action=shop.set_quantity attr:class="quantity-form">
                    <input type="hidden" name="product_id" value=product_id/>
                    <label class="visually-hidden" for=input_id.clone()>
                        {format!("{} – {name}", texts.quantity)}
                    </label>
                    <input
                        id=input_id
                        type="number"
                        name="quantity"
                        inputmode="numeric"
                        min="0"
                        max=MAX_QUANTITY.to_string()
                        required
                        value=line.quantity.to_string()
                    />
                    <button type="submit" class="button button-secondary" disabled=move || pending.get()>
                        {texts.update}
                    </button>
                </ActionForm>
                <ActionForm action=shop.set_quantity attr:class="inline-form">
                    <input type="hidden" name="product_id" value=remove_id/>
                    <input type="hidden" name="quantity" value="0"/>
                    <button type="submit" class="link-button" aria-label=remove_label disabled=move || pending.get()>
                        {texts.remove}
                    </button>
                </ActionForm>
            </td>
            <td class="amount" data-testid="line-total">{line.line_total.format(locale)}</td>
        </tr>
    }
}
