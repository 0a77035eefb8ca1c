//! `/`: the products, with their price in the reader's currency.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::cart::Product;
use crate::components::ErrorNotice;
use crate::i18n::Locale;
use crate::money::Currency;
use crate::root::{use_session, use_shop};

#[component]
pub fn CatalogPage() -> impl IntoView {
    let shop = use_shop();
    let session = use_session();
    let locale = session.locale;
    let texts = locale.texts();
    let currency = session.currency;
    let signed_in = session.customer.is_some();
    let products = shop.products;
    let added = shop.add_to_cart.value();

    view! {
        <Title text=texts.nav_catalog/>
        <section class="hero">
            <h1>{texts.shop_name}</h1>
            <p>{texts.tagline}</p>
        </section>
        <div class="status" aria-live="polite">
            {move || match added.get() {
                Some(Ok(())) => Some(view! { <p class="notice notice-ok">{texts.added_to_cart}</p> }.into_any()),
                Some(Err(error)) => Some(view! { <ErrorNotice error texts/> }.into_any()),
                None => None,
            }}
        </div>
        <Suspense fallback=move || view! { <p class="loading">{texts.loading}</p> }>
            {move || Suspend::new(async move {
                match products.await {
                    Ok(products) => view! {
                        <ul class="product-grid" data-testid="catalog">
                            {products
                                .into_iter()
                                .map(|product| view! { <ProductCard product locale currency signed_in/> })
                                .collect_view()}
                        </ul>
                    }
                    .into_any(),
                    Err(error) => view! { <ErrorNotice error texts/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ProductCard(
    product: Product,
    locale: Locale,
    currency: Currency,
    signed_in: bool,
) -> impl IntoView {
    let shop = use_shop();
    let texts = locale.texts();
    let name = product.name.get(locale).to_owned();
    let buy = if signed_in {
        let label = format!("{} – {name}", texts.add_to_cart);
        let product_id = product.id.clone();
        view! {
            <ActionForm action=shop.add_to_cart attr:class="buy-form">
                <input type="hidden" name="product_id" value=product_id/>
                <button type="submit" class="button" aria-label=label>{texts.add_to_cart}</button>
            </ActionForm>
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
