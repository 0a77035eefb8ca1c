//! `/account`: the customer's details, the payment methods the checkout
//! offers them (each removable, at Stripe), and signing out everywhere.
//! `/dev/mailbox`: the e-mails the shop would send, when it has no SMTP and
//! runs the demo or the embedded emulator (a 404 otherwise).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::{
    get_account, get_mailbox, AccountView, MailboxMessage, RemoveSavedMethod, SessionInfo,
    SignOutEverywhere,
};
use crate::components::{action_of, ErrorNotice, SignInPrompt};
use crate::page::Page;
use crate::pages::LocalTime;
use shop::i18n::Texts;

#[component]
pub fn AccountPage() -> impl IntoView {
    view! { <Page content=account_page/> }
}

async fn account_page(session: SessionInfo) -> AnyView {
    let locale = session.locale;
    let texts = locale.texts();
    let strings = texts.account;
    let query = use_query_map();
    let (removed, error) = {
        let q = query.read_untracked();
        (
            q.get("removed").is_some(),
            q.get("error")
                .and_then(|code| crate::error::ShopError::from_code(&code)),
        )
    };
    let view = match get_account().await {
        Ok(Some(view)) => view,
        Ok(None) => {
            return view! {
                <Title text=strings.account_title/>
                <h1>{strings.account_title}</h1>
                <SignInPrompt message=strings.account_sign_in next="/account".into() texts/>
            }
            .into_any()
        }
        Err(error) => return view! { <ErrorNotice error texts/> }.into_any(),
    };
    let country = shop::countries::find(&view.country)
        .map_or_else(|| view.country.clone(), |c| c.name(locale).to_owned());
    view! {
        <Title text=strings.account_title/>
        <h1>{strings.account_title}</h1>
        {removed.then(|| view! { <p class="notice notice-ok" role="status">{strings.method_removed}</p> })}
        {error.map(|error| view! { <ErrorNotice error texts/> })}
        <section class="card account-section" aria-labelledby="details-title">
            <h2 id="details-title">{strings.details_title}</h2>
            <dl class="details" data-testid="account-details">
                <dt>{strings.name}</dt><dd data-testid="account-name">{view.name.clone()}</dd>
                <dt>{texts.email}</dt><dd data-testid="account-email">{view.email.clone()}</dd>
                <dt>{texts.language}</dt><dd>{view.locale.endonym()}</dd>
                <dt>{strings.country}</dt><dd>{country}</dd>
                <dt>{strings.currency}</dt><dd>{view.currency.code().to_uppercase()}</dd>
            </dl>
        </section>
        <SavedMethods view texts/>
        <section class="card account-section" aria-labelledby="sessions-title">
            <h2 id="sessions-title">{strings.sessions_title}</h2>
            <p>{strings.sign_out_everywhere_note}</p>
            <form method="post" action={action_of::<SignOutEverywhere>()} class="inline-form">
                <button type="submit" class="button button-secondary" data-testid="sign-out-everywhere">
                    {strings.sign_out_everywhere}
                </button>
            </form>
        </section>
    }
    .into_any()
}

#[component]
fn SavedMethods(view: AccountView, texts: &'static Texts) -> impl IntoView {
    let strings = texts.account;
    let list = if view.methods.is_empty() {
        view! { <p class="notice" data-testid="no-saved-methods">{strings.no_saved_methods}</p> }
            .into_any()
    } else {
        let items = view
            .methods
            .into_iter()
            .map(|method| {
                let line = texts.payment_method_line(&method.summary);
                let expires = method
                    .expires
                    .map(|e| format!(" · {} {e}", strings.expires));
                view! {
                    <li class="saved-method" data-type=method.summary.kind.clone()>
                        <span>{line}{expires}</span>
                        <form method="post" action={action_of::<RemoveSavedMethod>()} class="inline-form">
                            <input type="hidden" name="payment_method" value=method.id/>
                            <button type="submit" class="link-button">{strings.remove_method}</button>
                        </form>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="saved-methods" data-testid="saved-methods">{items}</ul> }.into_any()
    };
    view! {
        <section class="card account-section" aria-labelledby="methods-title">
            <h2 id="methods-title">{strings.saved_methods_title}</h2>
            <p>{strings.saved_methods_intro}</p>
            {list}
        </section>
    }
}

#[component]
pub fn MailboxPage() -> impl IntoView {
    view! { <Page content=mailbox_page/> }
}

async fn mailbox_page(session: SessionInfo) -> AnyView {
    let texts = session.locale.texts();
    let strings = texts.account;
    let messages = match get_mailbox().await {
        Ok(Some(messages)) => messages,
        Ok(None) => {
            #[cfg(feature = "ssr")]
            if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                response.set_status(http::StatusCode::NOT_FOUND);
            }
            return view! {
                <Title text=texts.not_found_title/>
                <h1>{texts.not_found_title}</h1>
                <p>{texts.not_found_body}</p>
            }
            .into_any();
        }
        Err(error) => return view! { <ErrorNotice error texts/> }.into_any(),
    };
    let list = if messages.is_empty() {
        view! { <p class="notice">{strings.mailbox_empty}</p> }.into_any()
    } else {
        let items = messages
            .into_iter()
            .map(|m| mail(m, session.locale))
            .collect_view();
        view! { <ol class="messages" data-testid="mailbox">{items}</ol> }.into_any()
    };
    view! {
        <Title text=strings.mailbox_title/>
        <h1>{strings.mailbox_title}</h1>
        <p class="intro">{strings.mailbox_intro}</p>
        {list}
    }
    .into_any()
}

fn mail(message: MailboxMessage, locale: shop::i18n::Locale) -> impl IntoView {
    let texts = locale.texts();
    let strings = texts.account;
    let (to, link) = (message.to.clone(), message.link.clone());
    view! {
        <li class="message" data-to=to data-id=message.id data-kind=message.kind>
            <h2 class="message-subject">{message.subject}</h2>
            <p class="message-meta">
                {strings.mailbox_to}{texts.colon}<span data-testid="mail-to">{message.to}</span>
                " · "<LocalTime at=message.created_at locale/>
            </p>
            <p class="message-body">{message.body}</p>
            <p class="message-footer"><a href=link data-testid="mail-link">{message.link}</a></p>
        </li>
    }
}
