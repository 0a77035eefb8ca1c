//! `/signin/code`: where the e-mailed code is typed, in the browser that
//! asked for it. `/signin/link?token=…`: where the e-mail's link leads, a
//! button that signs in (a link alone never does: mail scanners follow
//! links). `/signin/welcome`: a new customer's name and country, asked once.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::{
    get_pending_sign_in, get_sign_in_link, get_sign_up, FollowSignInLink, OpenAccount,
    RequestSignInCode, SessionInfo, VerifySignInCode,
};
use crate::components::{action_of, ErrorNotice};
use crate::page::Page;
use crate::pages::sign_in::refusal_message;

/// The `next` and `error` of the page's address, and the message for the error.
fn query_state(texts: &'static shop::i18n::Texts) -> (String, Option<String>) {
    let query = use_query_map();
    let q = query.read_untracked();
    let tries = q.get("tries").and_then(|t| t.parse().ok());
    let error = q
        .get("error")
        .and_then(|code| refusal_message(&code, tries, texts));
    (q.get("next").unwrap_or_else(|| "/".into()), error)
}

fn error_notice(message: Option<String>) -> impl IntoView {
    message.map(|message| {
        view! { <p class="notice notice-error" role="alert" data-testid="sign-in-error">{message}</p> }
    })
}

#[component]
pub fn SignInCodePage() -> impl IntoView {
    view! { <Page content=code_page/> }
}

async fn code_page(session: SessionInfo) -> AnyView {
    let texts = session.locale.texts();
    let account = texts.account;
    let (next, error) = query_state(texts);
    let pending = match get_pending_sign_in().await {
        Ok(pending) => pending,
        Err(error) => return view! { <ErrorNotice error texts/> }.into_any(),
    };
    let body = match pending {
        None => view! {
            {error_notice(error)}
            <p class="notice" data-testid="no-code">{account.no_code_pending}</p>
            <p><a class="button" href=format!("/signin?next={}", crate::api::encode_query(&next))>{account.ask_for_code}</a></p>
        }
        .into_any(),
        Some(email) => view! {
            <p>{account.code_sent_to}" "<strong data-testid="code-email">{email.clone()}</strong>"."</p>
            <p>{account.code_instructions}</p>
            {error_notice(error)}
            <form method="post" action={action_of::<VerifySignInCode>()} class="form" data-testid="code-form">
                <input type="hidden" name="next" value=next.clone()/>
                <label for="code">{account.code_label}</label>
                <input id="code" name="code" class="code-input" inputmode="numeric" autocomplete="one-time-code"
                    pattern="[0-9 ]{6,7}" maxlength="7" required autofocus/>
                <button type="submit" class="button">{account.code_submit}</button>
            </form>
            <div class="code-actions">
                <form method="post" action={action_of::<RequestSignInCode>()} class="inline-form" data-testid="resend-form">
                    <input type="hidden" name="email" value=email/>
                    <input type="hidden" name="next" value=next.clone()/>
                    <button type="submit" class="link-button">{account.send_again}</button>
                </form>
                <a href=format!("/signin?next={}", crate::api::encode_query(&next))>{account.other_email}</a>
            </div>
        }
        .into_any(),
    };
    view! {
        <Title text=account.code_title/>
        <div class="sign-in">
            <section class="card">
                <h1>{account.code_title}</h1>
                {body}
            </section>
        </div>
    }
    .into_any()
}

#[component]
pub fn SignInLinkPage() -> impl IntoView {
    view! { <Page content=link_page/> }
}

async fn link_page(session: SessionInfo) -> AnyView {
    let texts = session.locale.texts();
    let account = texts.account;
    let (next, error) = query_state(texts);
    let token = use_query_map()
        .read_untracked()
        .get("token")
        .unwrap_or_default();
    let link = match get_sign_in_link(token.clone()).await {
        Ok(link) => link,
        Err(error) => return view! { <ErrorNotice error texts/> }.into_any(),
    };
    // An error of the confirmation itself first; else why the link cannot be used.
    let error = error.or_else(|| {
        link.refusal
            .as_deref()
            .and_then(|code| refusal_message(code, None, texts))
    });
    let confirm = link.email.map(|email| {
        view! {
            <p>{account.link_intro}" "<strong data-testid="link-email">{email}</strong>"."</p>
            <form method="post" action={action_of::<FollowSignInLink>()} class="form" data-testid="link-form">
                <input type="hidden" name="token" value=token/>
                <input type="hidden" name="next" value=next.clone()/>
                <button type="submit" class="button">{account.link_continue}</button>
            </form>
        }
    });
    view! {
        <Title text=account.link_title/>
        <div class="sign-in">
            <section class="card">
                <h1>{account.link_title}</h1>
                {error_notice(error)}
                {confirm}
                <p><a href="/signin">{account.ask_for_code}</a></p>
            </section>
        </div>
    }
    .into_any()
}

#[component]
pub fn WelcomePage() -> impl IntoView {
    view! { <Page content=welcome_page/> }
}

async fn welcome_page(session: SessionInfo) -> AnyView {
    let locale = session.locale;
    let texts = locale.texts();
    let account = texts.account;
    let (next, error) = query_state(texts);
    let sign_up = match get_sign_up().await {
        Ok(sign_up) => sign_up,
        Err(error) => return view! { <ErrorNotice error texts/> }.into_any(),
    };
    let body = match sign_up {
        None => view! {
            <p class="notice" data-testid="no-code">{account.refused_no_code}</p>
            <p><a class="button" href="/signin">{account.ask_for_code}</a></p>
        }
        .into_any(),
        Some(sign_up) => {
            let options = shop::countries::COUNTRIES
                .iter()
                .map(|country| {
                    view! {
                        <option value=country.code selected=country.code == sign_up.country>
                            {country.name(locale)}
                        </option>
                    }
                })
                .collect_view();
            view! {
                <p>{account.welcome_intro}</p>
                <p><strong data-testid="welcome-email">{sign_up.email}</strong></p>
                {error_notice(error)}
                <form method="post" action={action_of::<OpenAccount>()} class="form" data-testid="welcome-form">
                    <input type="hidden" name="next" value=next/>
                    <label for="name">{account.name}</label>
                    <input id="name" name="name" autocomplete="name" maxlength="100" required autofocus/>
                    <label for="country">{account.country}</label>
                    <select id="country" name="country" autocomplete="country">{options}</select>
                    <p class="hint">{account.country_note}</p>
                    <button type="submit" class="button">{account.open_account}</button>
                </form>
            }
            .into_any()
        }
    };
    view! {
        <Title text=account.welcome_title/>
        <div class="sign-in">
            <section class="card">
                <h1>{account.welcome_title}</h1>
                {body}
            </section>
        </div>
    }
    .into_any()
}
