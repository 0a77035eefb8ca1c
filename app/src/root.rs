//! The document shell, the router and the state every page shares.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Html, Link, Meta, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{SsrMode, StaticSegment};

use crate::api::{
    get_cart, get_session, list_products, AddToCart, SessionInfo, SetLocale, SetQuantity, SignIn,
    SignOut,
};
use crate::cart::{Cart, Product};
use crate::components::{ErrorNotice, Header};
use crate::error::ShopError;
use crate::i18n::{Locale, Texts};
use crate::messages::{list_messages, MessageView};
use crate::pages::{
    CartPage, CatalogPage, CheckoutPage, CompletePage, MessagesPage, NotFound, OrdersPage,
    SignInPage,
};
use crate::payments::{
    get_order, list_orders, resolve_return, start_checkout, CheckoutView, OrderView,
};
use leptos_router::hooks::{use_location, use_query_map};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The server actions and resources every page shares. `Copy`, so any
/// component takes it from context.
///
/// Resources are created here, once, and never inside a `Suspend`: the server
/// may run a suspended closure several times while it waits, and a resource
/// created there would get a different id on the server than in the browser,
/// which breaks hydration.
#[derive(Clone, Copy)]
pub struct Shop {
    pub session: Resource<Result<SessionInfo, ShopError>>,
    pub products: Resource<Result<Vec<Product>, ShopError>>,
    /// The checkout of the cart, fetched only on `/checkout`.
    pub checkout: Resource<Result<CheckoutView, ShopError>>,
    /// The order the return page shows, fetched only on `/checkout/complete`.
    pub returned: Resource<Result<Option<OrderView>, ShopError>>,
    /// The order history, fetched only on `/orders`.
    pub orders: Resource<Result<Option<Vec<OrderView>>, ShopError>>,
    /// The customer's messages, fetched only on `/messages`.
    pub messages: Resource<Result<Option<Vec<MessageView>>, ShopError>>,
    pub cart: Resource<Result<Option<Cart>, ShopError>>,
    pub sign_in: ServerAction<SignIn>,
    pub sign_out: ServerAction<SignOut>,
    pub set_locale: ServerAction<SetLocale>,
    pub add_to_cart: ServerAction<AddToCart>,
    pub set_quantity: ServerAction<SetQuantity>,
}

impl Shop {
    fn new() -> Self {
        let sign_in = ServerAction::<SignIn>::new();
        let sign_out = ServerAction::<SignOut>::new();
        let set_locale = ServerAction::<SetLocale>::new();
        let add_to_cart = ServerAction::<AddToCart>::new();
        let set_quantity = ServerAction::<SetQuantity>::new();
        // Refetch whenever an action that changes them has completed.
        let session = Resource::new(
            move || {
                (
                    sign_in.version().get(),
                    sign_out.version().get(),
                    set_locale.version().get(),
                )
            },
            |_| get_session(),
        );
        let products = Resource::new(|| (), |_| list_products());
        let cart = Resource::new(
            move || {
                (
                    sign_in.version().get(),
                    sign_out.version().get(),
                    add_to_cart.version().get(),
                    set_quantity.version().get(),
                )
            },
            |_| get_cart(),
        );
        // Page resources follow the location, and do nothing elsewhere.
        let location = use_location();
        let path = location.pathname;
        let query = use_query_map();
        let checkout = Resource::new(
            move || {
                (
                    path.get() == "/checkout",
                    add_to_cart.version().get(),
                    set_quantity.version().get(),
                    sign_in.version().get(),
                )
            },
            |(here, ..)| async move {
                if here {
                    start_checkout().await
                } else {
                    Ok(CheckoutView::NotShown)
                }
            },
        );
        let returned = Resource::new(
            move || {
                let q = query.read();
                (
                    path.get() == "/checkout/complete",
                    q.get("payment_intent"),
                    q.get("payment_intent_client_secret"),
                    q.get("order"),
                )
            },
            |(here, intent, secret, order)| async move {
                match (here, intent, secret, order) {
                    (false, ..) => Ok(None),
                    (true, Some(intent), Some(secret), _) => resolve_return(intent, secret).await,
                    (true, _, _, Some(id)) => match id.parse::<i64>() {
                        Ok(id) => get_order(id).await,
                        Err(_) => Ok(None),
                    },
                    _ => Ok(None),
                }
            },
        );
        let orders = Resource::new(
            move || path.get() == "/orders",
            |here| async move {
                if here {
                    list_orders().await
                } else {
                    Ok(None)
                }
            },
        );
        let messages = Resource::new(
            move || path.get() == "/messages",
            |here| async move {
                if here {
                    list_messages().await
                } else {
                    Ok(None)
                }
            },
        );
        Self {
            session,
            products,
            checkout,
            returned,
            orders,
            messages,
            cart,
            sign_in,
            sign_out,
            set_locale,
            add_to_cart,
            set_quantity,
        }
    }
}

pub fn use_shop() -> Shop {
    expect_context::<Shop>()
}

/// The session of the page being shown, provided once it has loaded.
pub fn use_session() -> SessionInfo {
    expect_context::<SessionInfo>()
}

pub fn use_locale() -> Locale {
    use_session().locale
}

pub fn use_texts() -> &'static Texts {
    use_locale().texts()
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href="/pkg/shop.css"/>
        <Link rel="icon" type_="image/svg+xml" href="/favicon.svg"/>
        <Meta name="description" content="Rustic Roast: a Leptos checkout demo."/>
        <Router>
            <ShopScope/>
        </Router>
    }
}

/// Everything inside the router: the shared state (whose page resources
/// follow the location) and the pages.
#[component]
fn ShopScope() -> impl IntoView {
    provide_context(Shop::new());
    view! {
        <WithSession page=Chrome/>
        <main id="main" class="page">
            // Async: the whole page is rendered before the first byte, so
            // it reads complete without JavaScript.
            <Routes fallback=|| view! { <WithSession page=NotFound/> }>
                <Route path=StaticSegment("") view=|| view! { <WithSession page=CatalogPage/> } ssr=SsrMode::Async/>
                <Route path=StaticSegment("cart") view=|| view! { <WithSession page=CartPage/> } ssr=SsrMode::Async/>
                <Route path=StaticSegment("checkout") view=|| view! { <WithSession page=CheckoutPage/> } ssr=SsrMode::Async/>
                <Route path=(StaticSegment("checkout"), StaticSegment("complete")) view=|| view! { <WithSession page=CompletePage/> } ssr=SsrMode::Async/>
                <Route path=StaticSegment("orders") view=|| view! { <WithSession page=OrdersPage/> } ssr=SsrMode::Async/>
                <Route path=StaticSegment("messages") view=|| view! { <WithSession page=MessagesPage/> } ssr=SsrMode::Async/>
                <Route path=StaticSegment("signin") view=|| view! { <WithSession page=SignInPage/> } ssr=SsrMode::Async/>
            </Routes>
        </main>
    }
}

/// Renders `page` once the session (who is signed in, which language) has
/// loaded, with the session in context. A transition keeps the current page
/// on screen while the session reloads, instead of flashing a fallback.
#[component]
pub fn WithSession<F, V>(page: F) -> impl IntoView
where
    F: Fn() -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let shop = use_shop();
    view! {
        <Transition fallback=|| view! { <p class="loading">"…"</p> }>
            {move || {
                let page = page.clone();
                Suspend::new(async move {
                match shop.session.await {
                    Ok(session) => {
                        provide_context(session);
                        page().into_any()
                    }
                    Err(error) => view! {
                        <ErrorNotice error texts=Locale::default().texts()/>
                    }
                    .into_any(),
                }
            })}}
        </Transition>
    }
}

/// What surrounds every page: document language, title, skip link, header.
#[component]
fn Chrome() -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::server::security::content_security_policy();
    let locale = use_locale();
    let texts = locale.texts();
    view! {
        <Html attr:lang=locale.code()/>
        <Title formatter=move |page: String| {
            if page.is_empty() { texts.shop_name.to_string() } else { format!("{page} · {}", texts.shop_name) }
        }/>
        <a class="skip-link" href="#main">{texts.skip_to_content}</a>
        <Header/>
    }
}
