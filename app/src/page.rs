//! The frame every page renders in: the session, read first; then the
//! page's own content, which loads its own data; then the header, with the
//! cart count as the content left it.

use std::future::Future;

use leptos::prelude::*;
use leptos_meta::{Html, Title};

use crate::api::{get_cart, get_session, SessionInfo};
use crate::components::{ErrorNotice, Header};
use shop::i18n::Locale;

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
