//! `/messages`: what the shop told the customer about their orders. With
//! no SMTP configured this is where a demo shopper reads them; with SMTP,
//! the same messages also went out by e-mail.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::list_messages;
use crate::api::SessionInfo;
use crate::components::{ErrorNotice, SignInPrompt};
use crate::islands::{IslandScripts, LiveUpdates};
use crate::messages::{MessageKind, MessageView};
use crate::root::Page;

/// Messages arrive with webhooks, whenever Stripe sends them: the page keeps looking.
const FOLLOW_EVERY_MS: u32 = 3000;

#[component]
pub fn MessagesPage() -> impl IntoView {
    view! { <Page content=messages/> }
}

async fn messages(session: SessionInfo) -> AnyView {
    let texts = session.locale.texts();
    let list = match list_messages().await {
        Ok(Some(list)) => list,
        Ok(None) => {
            return view! {
                <Title text=texts.messages_title/>
                <h1>{texts.messages_title}</h1>
                <SignInPrompt message=texts.messages_sign_in next="/messages".into() texts/>
            }
            .into_any()
        }
        Err(error) => return view! { <ErrorNotice error texts/> }.into_any(),
    };
    let content = if list.is_empty() {
        view! { <p class="notice">{texts.no_messages}</p> }.into_any()
    } else {
        view! {
            <p class="intro">{texts.messages_intro}</p>
            <MessageList list texts/>
        }
        .into_any()
    };
    view! {
        <Title text=texts.messages_title/>
        <h1>{texts.messages_title}</h1>
        <div id="messages" data-region="" data-follow=FOLLOW_EVERY_MS>{content}</div>
        <LiveUpdates/>
        <IslandScripts/>
    }
    .into_any()
}

#[component]
fn MessageList(list: Vec<MessageView>, texts: &'static crate::i18n::Texts) -> impl IntoView {
    let items = list
        .into_iter()
        .map(|m| {
            let action = match m.kind {
                MessageKind::PaymentFailed => texts.try_again,
                _ => texts.see_orders,
            };
            view! {
                <li class="message" data-kind=m.kind.code() data-order=m.order_id>
                    <h2 class="message-subject">{m.subject}</h2>
                    <p class="message-body">{m.body}</p>
                    <p class="message-footer">
                        <a href=m.link>{action}</a>
                        {m.emailed.then(|| view! { <span class="message-emailed">{texts.emailed}</span> })}
                    </p>
                </li>
            }
        })
        .collect_view();
    view! { <ol class="messages" data-testid="messages">{items}</ol> }
}
