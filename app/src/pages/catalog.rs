//! `/`: the products, with their price in the reader's currency.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::{list_products, AddToCart, SessionInfo};
use crate::components::{action_of, ErrorNotice};
use crate::error::ShopError;
use crate::islands::{IslandScripts, LiveUpdates};
use crate::page::Page;
use shop::cart::Product;
use shop::i18n::Locale;
use shop::money::Currency;

#[component]
pub fn CatalogPage() -> impl IntoView {
    let query = use_query_map();
    view! {
        <Page content=move |session| {
            let added = query.read_untracked().get("added").is_some();
            let error = query.read_untracked().get("error").and_then(|c| ShopError::from_code(&c));
            async move { catalog(session, added, error).await }
        }/>
    }
}

async fn catalog(session: SessionInfo, added: bool, error: Option<ShopError>) -> AnyView {
    let locale = session.locale;
    let texts = locale.texts();
    let currency = session.currency;
    let signed_in = session.customer.is_some();
    let products = match list_products().await {
        Ok(products) => products,
        Err(error) => return view! { <ErrorNotice error texts/> }.into_any(),
    };
    view! {
        <Title text=texts.nav_catalog/>
        <section class="hero">
            <h1>{texts.shop_name}</h1>
            <p>{texts.tagline}</p>
        </section>
        // Floats over the page's foot: saying "added" moves nothing.
        <div class="status toast" id="catalog-status" data-region="" role="status">
            {added.then(|| view! {
                <p class="notice notice-ok" data-testid="added">
                    {texts.added_to_cart}" "<a href="/cart">{texts.shopper.view_cart}</a>
                </p>
            })}
            {error.map(|error| view! { <ErrorNotice error texts/> })}
        </div>
        <ul class="product-grid" data-testid="catalog">
            {products
                .into_iter()
                .map(|product| view! { <ProductCard product locale currency signed_in/> })
                .collect_view()}
        </ul>
        // Adding to the cart without leaving the page (and a plain post without JavaScript).
        {signed_in.then(|| view! { <LiveUpdates/> <IslandScripts/> })}
    }
    .into_any()
}

#[component]
fn ProductCard(
    product: Product,
    locale: Locale,
    currency: Currency,
    signed_in: bool,
) -> impl IntoView {
    let texts = locale.texts();
    let name = product.name.get(locale).to_owned();
    let buy = if signed_in {
        let label = format!("{} – {name}", texts.add_to_cart);
        let product_id = product.id.clone();
        view! {
            <form method="post" action={action_of::<AddToCart>()} class="buy-form" data-enhance="">
                <input type="hidden" name="product_id" value=product_id/>
                <button type="submit" class="button" aria-label=label>{texts.add_to_cart}</button>
            </form>
        }
        .into_any()
    } else {
        view! { <a class="button button-secondary" href="/signin">{texts.sign_in_to_buy}</a> }
            .into_any()
    };
    view! {
        <li class="product-card" data-product=product.id.clone()>
            <img src=product.image.clone() alt="" width="240" height="180" loading="lazy"/>
            <h2>{name}</h2>
            <p class="description">{product.description.get(locale).to_owned()}</p>
            <p class="price" data-testid="price">{product.price(currency).format(locale)}</p>
            {buy}
        </li>
    }
}
