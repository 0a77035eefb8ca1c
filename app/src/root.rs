//! The document shell and the routes. What every page shares (the
//! session, the header) is `crate::page`.
//!
//! Islands architecture: every page is rendered on the server only, and only
//! the `#[island]` components (`crate::islands`) run in the browser. A page
//! without an island loads no WebAssembly at all.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Stylesheet};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{ParamSegment, SsrMode, StaticSegment};

use crate::pages::{
    AccountPage, CartPage, CatalogPage, CheckoutPage, CompletePage, MailboxPage, MessagesPage,
    NotFound, OrderPage, OrdersPage, SignInCodePage, SignInLinkPage, SignInPage, WelcomePage,
};
use shop::assets::Assets;

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
