//! `/cart`: the signed-in customer's cart, with quantities to change.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::{get_cart, SessionInfo, SetQuantity};
use crate::components::{action_of, ErrorNotice, SignInPrompt};
use crate::error::ShopError;
use crate::islands::{IslandScripts, LiveUpdates};
use crate::page::Page;
use shop::cart::{Cart, CartLine, MAX_QUANTITY};
use shop::i18n::Locale;

#[component]
pub fn CartPage() -> impl IntoView {
    let query = use_query_map();
    view! {
        <Page content=move |session| {
            let error = query.read_untracked().get("error").and_then(|c| ShopError::from_code(&c));
            async move { cart(session, error).await }
        }/>
    }
}

async fn cart(session: SessionInfo, error: Option<ShopError>) -> AnyView {
    let locale = session.locale;
    let texts = locale.texts();
    let cart = get_cart().await;
    // Quantities change in place where there is a cart to change.
    let interactive = matches!(&cart, Ok(Some(cart)) if !cart.is_empty());
    let content = match cart {
        Ok(None) => view! { <SignInPrompt message=texts.cart_sign_in next="/cart".into() texts/> }
            .into_any(),
        Ok(Some(cart)) if cart.is_empty() => view! { <EmptyCart locale/> }.into_any(),
        Ok(Some(cart)) => view! { <CartTable cart locale/> }.into_any(),
        Err(error) => view! { <ErrorNotice error texts/> }.into_any(),
    };
    view! {
        <Title text=texts.cart_title/>
        <h1>{texts.cart_title}</h1>
        // One region: a change of quantity brings back the whole cart, priced by the server.
        <div id="cart" data-region="">
            <div class="status" aria-live="polite">
                {error.map(|error| view! { <ErrorNotice error texts/> })}
            </div>
            {content}
        </div>
        {interactive.then(|| view! { <LiveUpdates/> <IslandScripts/> })}
    }
    .into_any()
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

/// A line with its quantity form. Controls carry ids, so that focus stays on
/// the same control when the region is brought back after a change.
#[component]
fn CartRow(line: CartLine, locale: Locale) -> impl IntoView {
    let texts = locale.texts();
    let name = line.name.get(locale).to_owned();
    let id = line.product_id.clone();
    let remove_label = format!("{} – {name}", texts.remove);
    view! {
        <tr data-product=id.clone()>
            <th scope="row">
                <span class="product-cell">
                    <img src=line.image.clone() alt="" width="48" height="36"/>
                    <span>{name.clone()}</span>
                </span>
            </th>
            // The labels head the cells when a phone shows the rows as cards.
            <td data-label=texts.unit_price>{line.unit_price.format(locale)}</td>
            <td>
                <form method="post" action={action_of::<SetQuantity>()} class="quantity-form" data-enhance="">
                    <input type="hidden" name="product_id" value=id.clone()/>
                    <label class="visually-hidden" for=format!("quantity-{id}")>
                        {format!("{} – {name}", texts.quantity)}
                    </label>
                    <input
                        id=format!("quantity-{id}")
                        type="number"
                        name="quantity"
                        inputmode="numeric"
                        min="0"
                        max=MAX_QUANTITY.to_string()
                        required
                        value=line.quantity.to_string()
                    />
                    <button type="submit" id=format!("update-{id}") class="button button-secondary">
                        {texts.update}
                    </button>
                </form>
                <form method="post" action={action_of::<SetQuantity>()} class="inline-form" data-enhance="">
                    <input type="hidden" name="product_id" value=id.clone()/>
                    <input type="hidden" name="quantity" value="0"/>
                    <button type="submit" id=format!("remove-{id}") class="link-button" aria-label=remove_label>
                        {texts.remove}
                    </button>
                </form>
            </td>
            <td class="amount" data-label=texts.line_total data-testid="line-total">{line.line_total.format(locale)}</td>
        </tr>
    }
}
