//! `/signin`: an e-mail address to send a code to (anyone: new customers
//! too), a password for the accounts that have one, and in demo mode the
//! demo customers. No island: the forms post and the server answers with a
//! redirect.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::{DemoAccount, RequestSignInCode, SessionInfo, SignIn};
use crate::components::action_of;
use crate::error::ShopError;
use crate::page::Page;
use shop::i18n::Texts;

#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    view! {
        <Page content=move |session| {
            let q = query.read_untracked();
            let error = q.get("error");
            let refused = error.as_deref() == Some("credentials");
            let tries = q.get("tries").and_then(|t| t.parse().ok());
            // Why a step was refused, from its own redirect (an invalid
            // e-mail, too many attempts, a link from another browser…).
            let held_back = error
                .as_deref()
                .and_then(|code| refusal_message(code, tries, session.locale.texts()));
            let next = q.get("next").unwrap_or_else(|| "/".into());
            async move { sign_in(session, refused, held_back, next) }
        }/>
    }
}

/// What to tell about a refused step, by the `error` code of its redirect:
/// a `ShopError` code or a sign-in code's refusal; `tries` left after a
/// wrong code.
pub(crate) fn refusal_message(
    code: &str,
    tries: Option<i64>,
    texts: &'static Texts,
) -> Option<String> {
    let account = texts.account;
    Some(match code {
        "no_code" => account.refused_no_code.into(),
        "code_malformed" => account.refused_malformed.into(),
        "code_wrong" => account.wrong_code(tries.unwrap_or(0)),
        "code_replaced" => account.refused_replaced.into(),
        "code_dead" => account.refused_dead.into(),
        "code_expired" => account.refused_expired.into(),
        "code_used" => account.refused_used.into(),
        "other_browser" => account.refused_other_browser.into(),
        other => ShopError::from_code(other)?.message(texts).into(),
    })
}

fn sign_in(
    session: SessionInfo,
    refused: bool,
    held_back: Option<String>,
    next: String,
) -> AnyView {
    let texts = session.locale.texts();
    let account = texts.account;
    let demo = (!session.demo_accounts.is_empty())
        .then(|| view! { <DemoAccounts accounts=session.demo_accounts.clone() texts/> });
    let mailbox = session.dev_mailbox.then(|| {
        view! {
            <p class="hint" data-testid="mailbox-hint">
                {account.mailbox_hint}" "<a href="/dev/mailbox">{account.mailbox_link}</a>"."
            </p>
        }
    });
    view! {
        <Title text=texts.sign_in_title/>
        <div class="sign-in">
            <section class="card">
                <h1>{texts.sign_in_title}</h1>
                {refused.then(|| view! {
                    <p class="notice notice-error" role="alert" data-testid="sign-in-error">{texts.wrong_credentials}</p>
                })}
                {held_back.map(|message| view! {
                    <p class="notice notice-error" role="alert" data-testid="sign-in-error">{message}</p>
                })}
                <h2 class="form-title">{account.code_form_title}</h2>
                <p>{account.code_form_intro}</p>
                <form method="post" action={action_of::<RequestSignInCode>()} class="form" data-testid="code-request-form">
                    <input type="hidden" name="next" value=next.clone()/>
                    <label for="code-email">{texts.email}</label>
                    <input id="code-email" type="email" name="email" autocomplete="email" maxlength="254" required/>
                    <button type="submit" class="button">{account.send_code}</button>
                </form>
                {mailbox}
                <h2 class="form-title">{account.password_title}</h2>
                <p>{account.password_intro}</p>
                <form method="post" action={action_of::<SignIn>()} class="form" data-testid="sign-in-form">
                    <input type="hidden" name="next" value=next/>
                    <label for="email">{texts.email}</label>
                    <input id="email" type="email" name="email" autocomplete="username" required/>
                    <label for="password">{texts.password}</label>
                    <input id="password" type="password" name="password" autocomplete="current-password" required/>
                    <button type="submit" class="button button-secondary">{texts.sign_in}</button>
                </form>
            </section>
            {demo}
        </div>
    }
    .into_any()
}

#[component]
fn DemoAccounts(accounts: Vec<DemoAccount>, texts: &'static Texts) -> impl IntoView {
    let items = accounts
        .into_iter()
        .map(|account| {
            let mut details = format!(
                "{} · {}",
                account.locale.endonym(),
                account.currency.code().to_uppercase()
            );
            if !account.has_saved_methods {
                details = format!("{details} · {}", texts.demo_no_saved_method);
            }
            let first_name = account
                .name
                .split(' ')
                .next()
                .unwrap_or_default()
                .to_owned();
            view! {
                <li class="demo-account">
                    <div>
                        <strong>{account.name.clone()}</strong>
                        <span class="demo-details">{details}</span>
                        <dl>
                            <dt>{texts.email}</dt>
                            <dd><code>{account.email.clone()}</code></dd>
                            <dt>{texts.password}</dt>
                            <dd><code>{account.password.clone()}</code></dd>
                        </dl>
                    </div>
                    <form method="post" action={action_of::<SignIn>()} class="inline-form">
                        <input type="hidden" name="email" value=account.email/>
                        <input type="hidden" name="password" value=account.password/>
                        <button type="submit" class="button button-secondary">
                            {format!("{} {first_name}", texts.demo_use)}
                        </button>
                    </form>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="card demo-accounts" aria-labelledby="demo-title">
            <h2 id="demo-title">{texts.demo_accounts}</h2>
            <p>{texts.demo_accounts_intro}</p>
            <ul class="demo-list">{items}</ul>
        </section>
    }
}
