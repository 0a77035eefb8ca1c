//! `/signin`: e-mail and password, and in demo mode the demo customers.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::DemoAccount;
use crate::i18n::Texts;
use crate::root::{use_session, use_shop};

#[component]
pub fn SignInPage() -> impl IntoView {
    let shop = use_shop();
    let session = use_session();
    let texts = session.locale.texts();
    let query = use_query_map();
    let refused = move || query.read().get("error").as_deref() == Some("credentials");
    let next = move || query.read().get("next").unwrap_or_else(|| "/".into());
    let pending = shop.sign_in.pending();

    let demo = (!session.demo_accounts.is_empty())
        .then(|| view! { <DemoAccounts accounts=session.demo_accounts.clone() texts/> });

    view! {
        <Title text=texts.sign_in_title/>
        <div class="sign-in">
            <section class="card">
                <h1>{texts.sign_in_title}</h1>
                <p>{texts.sign_in_intro}</p>
                {move || refused().then(|| view! {
                    <p class="notice notice-error" role="alert" data-testid="sign-in-error">{texts.wrong_credentials}</p>
                })}
                <ActionForm action=shop.sign_in attr:class="form" attr:data-testid="sign-in-form">
                    <input type="hidden" name="next" value=next/>
                    <label for="email">{texts.email}</label>
                    <input id="email" type="email" name="email" autocomplete="username" required/>
                    <label for="password">{texts.password}</label>
                    <input id="password" type="password" name="password" autocomplete="current-password" required/>
                    <button type="submit" class="button" disabled=move || pending.get()>{texts.sign_in}</button>
                </ActionForm>
            </section>
            {demo}
        </div>
    }
}

#[component]
fn DemoAccounts(accounts: Vec<DemoAccount>, texts: &'static Texts) -> impl IntoView {
    let shop = use_shop();
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
                    <ActionForm action=shop.sign_in attr:class="inline-form">
                        <input type="hidden" name="email" value=account.email/>
                        <input type="hidden" name="password" value=account.password/>
                        <button type="submit" class="button button-secondary">
                            {format!("{} {first_name}", texts.demo_use)}
                        </button>
                    </ActionForm>
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
