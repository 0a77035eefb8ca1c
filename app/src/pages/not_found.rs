//! Any path the router does not know.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::SessionInfo;
use crate::page::Page;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! { <Page content=not_found/> }
}

async fn not_found(session: SessionInfo) -> AnyView {
    let texts = session.locale.texts();
    view! {
        <Title text=texts.not_found_title/>
        <h1>{texts.not_found_title}</h1>
        <p>{texts.not_found_body}</p>
        <p><a class="button" href="/">{texts.back_home}</a></p>
    }
    .into_any()
}
