//! The document shell, the routes, and what every page shares: the session
//! and the header.
//!
//! Islands architecture: every page is rendered on the server only, and only
//! the `#[island]` components (`crate::islands`) run in the browser. A page
//! without an island loads no WebAssembly at all.

use std::future::Future;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Html, Link, Meta, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{ParamSegment, SsrMode, StaticSegment};

use crate::api::{get_cart, get_session, SessionInfo};
use crate::components::{ErrorNotice, Header};
use crate::pages::{
    AccountPage, CartPage, CatalogPage, CheckoutPage, CompletePage, MailboxPage, MessagesPage,
    NotFound, OrderPage, OrdersPage, SignInCodePage, SignInLinkPage, SignInPage, WelcomePage,
};
use shop::assets::Assets;
use shop::i18n::Locale;

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let assets = use_context::<Assets>().unwrap_or_default();
    // Async: each page is complete before its first byte, so it reads whole
    // without JavaScript (and needs none to show what it loaded).
    view! {
        <Stylesheet id="leptos" href=assets.css/>
        <Link rel="icon" type_="image/svg+xml" href="/favicon.svg"/>
        <Meta name="description" content="Rustic Roast: a Leptos checkout demo."/>
        <Router>
            <Routes fallback=NotFound>
                <Route path=StaticSegment("") view=CatalogPage ssr=SsrMode::Async/>
                <Route path=StaticSegment("cart") view=CartPage ssr=SsrMode::Async/>
                <Route path=StaticSegment("checkout") view=CheckoutPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("checkout"), StaticSegment("complete")) view=CompletePage ssr=SsrMode::Async/>
                <Route path=StaticSegment("orders") view=OrdersPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("orders"), ParamSegment("id")) view=OrderPage ssr=SsrMode::Async/>
                <Route path=StaticSegment("messages") view=MessagesPage ssr=SsrMode::Async/>
                <Route path=StaticSegment("signin") view=SignInPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("signin"), StaticSegment("code")) view=SignInCodePage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("signin"), StaticSegment("link")) view=SignInLinkPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("signin"), StaticSegment("welcome")) view=WelcomePage ssr=SsrMode::Async/>
                <Route path=StaticSegment("account") view=AccountPage ssr=SsrMode::Async/>
                <Route path=(StaticSegment("dev"), StaticSegment("mailbox")) view=MailboxPage ssr=SsrMode::Async/>
            </Routes>
        </Router>
    }
}

/// The session of the page being rendered (provided by [`Page`]).
pub fn use_session() -> SessionInfo {
    expect_context::<SessionInfo>()
}

/// One page of the shop, around the page's own `content`. The session is read
/// first; then the content loads its own data (which may change the cart, as
/// a payment does); then the header, so its cart count is the one after.
///
/// The `Suspend` is the `Suspense`'s child itself, not built by a closure:
/// the server polls it in place until it is done, so the page's work (a call
/// to Stripe, say) runs once per request and is never started, dropped and
/// started again.
#[component]
pub fn Page<F, Fut>(content: F) -> impl IntoView
where
    F: FnOnce(SessionInfo) -> Fut + Send + 'static,
    Fut: Future<Output = AnyView> + Send + 'static,
{
    let page = Suspend::new(async move {
        let session = match get_session().await {
            Ok(session) => session,
            Err(error) => {
                return view! {
                    <main id="main" class="page">
                        <ErrorNotice error texts=Locale::default().texts()/>
                    </main>
                }
                .into_any();
            }
        };
        provide_context(session.clone());
        let body = content(session.clone()).await;
        let cart_count = match get_cart().await {
            Ok(Some(cart)) => cart.item_count(),
            _ => 0,
        };
        view! {
            <Chrome session cart_count/>
            <main id="main" class="page">{body}</main>
        }
        .into_any()
    });
    view! { <Suspense>{page}</Suspense> }
}

/// What surrounds every page: document language, title, skip link, header.
#[component]
fn Chrome(session: SessionInfo, cart_count: u32) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::security::content_security_policy();
    let locale = session.locale;
    let texts = locale.texts();
    view! {
        <Html attr:lang=locale.code()/>
        <Title formatter=move |page: String| {
            if page.is_empty() { texts.shop_name.to_string() } else { format!("{page} · {}", texts.shop_name) }
        }/>
        <a class="skip-link" href="#main">{texts.skip_to_content}</a>
        <Header session cart_count/>
    }
}
