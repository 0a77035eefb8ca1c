//! Pieces shared by several pages: the header, the language switch, error
//! notices, and the plain HTML forms that post to server functions.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::api::{SessionInfo, SetLocale, SignOut};
use crate::error::ShopError;
use shop::i18n::{Locale, Texts};

/// Where a form posts to run the server function `F`. Every form of the shop
/// is a plain HTML form, answered with a redirect, so it works without
/// JavaScript; `data-enhance` on a form lets the page's `LiveUpdates` island
/// send it in the background instead.
pub fn action_of<F: ServerFn>() -> &'static str {
    F::url()
}

#[component]
pub fn Header(session: SessionInfo, cart_count: u32) -> impl IntoView {
    let texts = session.locale.texts();
    let account = match session.customer.clone() {
        Some(customer) => view! {
            <div class="account">
                <a href="/account" class="account-name" title=texts.account.nav_account>
                    <span class="visually-hidden">{texts.signed_in_as}" "</span>
                    {customer.name}
                </a>
                <form method="post" action={action_of::<SignOut>()} class="inline-form">
                    <button type="submit" class="link-button">{texts.sign_out}</button>
                </form>
            </div>
        }
        .into_any(),
        None => view! {
            <div class="account">
                <a href="/signin" class="button button-secondary">{texts.sign_in}</a>
            </div>
        }
        .into_any(),
    };
    view! {
        <header class="site-header">
            <a href="/" class="brand">
                <img src="/images/logo.svg" alt="" width="32" height="32"/>
                <span>{texts.shop_name}</span>
            </a>
            <nav aria-label="Main">
                <a href="/">{texts.nav_catalog}</a>
                // A region: kept current by the LiveUpdates island, where there is one.
                <a href="/cart" id="cart-link" data-region="" data-testid="cart-link">
                    {texts.nav_cart}
                    {(cart_count > 0).then(|| view! {
                        <span class="badge" data-testid="cart-count" aria-label=texts.items_in_cart(cart_count)>
                            {cart_count}
                        </span>
                    })}
                </a>
                <a href="/checkout">{texts.nav_checkout}</a>
                {session.customer.is_some().then(|| view! {
                    <a href="/orders">{texts.nav_orders}</a>
                    <a href="/messages">{texts.nav_messages}</a>
                })}
            </nav>
            <LanguageSwitch current=session.locale/>
            {account}
        </header>
    }
}

#[component]
fn LanguageSwitch(current: Locale) -> impl IntoView {
    let texts = current.texts();
    let choices = Locale::ALL
        .into_iter()
        .map(|locale| {
            view! {
                <form method="post" action={action_of::<SetLocale>()} class="inline-form">
                    <input type="hidden" name="locale" value=locale.code()/>
                    <button
                        type="submit"
                        lang=locale.code()
                        aria-pressed=if locale == current { "true" } else { "false" }
                        title=locale.endonym()
                    >
                        {locale.code().to_uppercase()}
                    </button>
                </form>
            }
        })
        .collect_view();
    view! {
        <div class="language-switch" role="group" aria-label=texts.language>
            {choices}
        </div>
    }
}

/// "Sign in to …", with a link that comes back to `next` (a path on this
/// site) once signed in.
#[component]
pub fn SignInPrompt(message: &'static str, next: String, texts: &'static Texts) -> impl IntoView {
    let href = format!("/signin?next={}", crate::api::encode_query(&next));
    view! {
        <p class="notice">{message}" "<a href=href>{texts.sign_in}</a></p>
    }
}

/// A failure of a server function, told in words a person can act on.
#[component]
pub fn ErrorNotice(error: ShopError, texts: &'static Texts) -> impl IntoView {
    view! {
        <div class="notice notice-error" role="alert">
            <strong>{texts.error_title}</strong>
            " "
            <span>{error.message(texts)}</span>
        </div>
    }
}

/// A shipping address as a label: one line each, the country by name.
#[component]
pub fn AddressLines(address: shop::delivery::ShippingAddress, locale: Locale) -> impl IntoView {
    let lines = address
        .label(locale)
        .into_iter()
        .map(|line| view! { <span class="address-line">{line}</span> })
        .collect_view();
    view! { <address class="shipping-address" data-testid="shipping-address">{lines}</address> }
}
