//! Pieces shared by several pages: the header, the language switch, error
//! notices.

use leptos::form::ActionForm;
use leptos::prelude::*;

use crate::error::ShopError;
use crate::i18n::{Locale, Texts};
use crate::root::{use_session, use_shop};

#[component]
pub fn Header() -> impl IntoView {
    let shop = use_shop();
    let session = use_session();
    let texts = session.locale.texts();
    let account = match session.customer.clone() {
        Some(customer) => view! {
            <div class="account">
                <span class="account-name">
                    <span class="visually-hidden">{texts.signed_in_as}" "</span>
                    {customer.name}
                </span>
                <ActionForm action=shop.sign_out attr:class="inline-form">
                    <button type="submit" class="link-button">{texts.sign_out}</button>
                </ActionForm>
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
                <a href="/cart" data-testid="cart-link">
                    {texts.nav_cart}
                    <CartBadge/>
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

/// The number of items in the cart, next to the cart link.
#[component]
fn CartBadge() -> impl IntoView {
    let shop = use_shop();
    let texts = use_session().locale.texts();
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match shop.cart.await {
                    Ok(Some(cart)) if !cart.is_empty() => {
                        let count = cart.item_count();
                        Some(view! {
                            <span class="badge" data-testid="cart-count" aria-label=texts.items_in_cart(count)>
                                {count}
                            </span>
                        })
                    }
                    _ => None,
                }
            })}
        </Transition>
    }
}

#[component]
fn LanguageSwitch(current: Locale) -> impl IntoView {
    let shop = use_shop();
    let texts = current.texts();
    let choices = Locale::ALL
        .into_iter()
        .map(|locale| {
            view! {
                <ActionForm action=shop.set_locale attr:class="inline-form">
                    <input type="hidden" name="locale" value=locale.code()/>
                    <button
                        type="submit"
                        lang=locale.code()
                        aria-pressed=if locale == current { "true" } else { "false" }
                        title=locale.endonym()
                    >
                        {locale.code().to_uppercase()}
                    </button>
                </ActionForm>
            }
        })
        .collect_view();
    view! {
        <div class="language-switch" role="group" aria-label=texts.language>
            {choices}
        </div>
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
