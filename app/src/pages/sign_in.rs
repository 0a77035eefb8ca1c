//! `/signin`: e-mail and password, and in demo mode the demo customers.
//! No island: the forms post and the server answers with a redirect.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::{DemoAccount, SessionInfo, SignIn};
use crate::components::action_of;
use crate::error::ShopError;
use crate::i18n::Texts;
use crate::root::Page;

#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    view! {
        <Page content=move |session| {
            let q = query.read_untracked();
            let error = q.get("error");
            let refused = error.as_deref() == Some("credentials");
            // Throttled or busy: the reason, from the sign-in's own redirect.
            let held_back = error.as_deref().and_then(crate::error::ShopError::from_code);
            let next = q.get("next").unwrap_or_else(|| "/".into());
            async move { sign_in(session, refused, held_back, next) }
        }/>
    }
}

fn sign_in(
    session: SessionInfo,
    refused: bool,
    held_back: Option<ShopError>,
    next: String,
) -> AnyView {
    let texts = session.locale.texts();
    let demo = (!session.demo_accounts.is_empty())
        .then(|| view! { <DemoAccounts accounts=session.demo_accounts.clone() texts/> });
    view! {
        <Title text=texts.sign_in_title/>
        <div class="sign-in">
            <section class="card">
                <h1>{texts.sign_in_title}</h1>
                <p>{texts.sign_in_intro}</p>
                {refused.then(|| view! {
                    <p class="notice notice-error" role="alert" data-testid="sign-in-error">{texts.wrong_credentials}</p>
                })}
                {held_back.map(|error| view! {
                    <p class="notice notice-error" role="alert" data-testid="sign-in-error">{error.message(texts)}</p>
                })}
                <form method="post" action={action_of::<SignIn>()} class="form" data-testid="sign-in-form">
                    <input type="hidden" name="next" value=next/>
                    <label for="email">{texts.email}</label>
                    <input id="email" type="email" name="email" autocomplete="username" required/>
                    <label for="password">{texts.password}</label>
                    <input id="password" type="password" name="password" autocomplete="current-password" required/>
                    <button type="submit" class="button">{texts.sign_in}</button>
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
