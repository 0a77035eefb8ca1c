//! `/messages`: what the shop told the customer about their orders. With
//! no SMTP configured this is where a demo shopper reads them; with SMTP,
//! the same messages also went out by e-mail.

use leptos::prelude::*;
use leptos_meta::Title;

use super::order::LocalTime;
use crate::api::list_messages;
use crate::api::SessionInfo;
use crate::components::{ErrorNotice, SignInPrompt};
use crate::islands::{IslandScripts, LiveUpdates};
use crate::page::Page;
use shop::i18n::Locale;
use shop::messages::{MessageKind, MessageView};

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
            <MessageList list locale=session.locale/>
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

/// The messages under their orders: the order with the newest message
/// first, each order's messages newest first, each dated in the shopper's
/// time zone, with a link to act (pay again) or to see the order.
#[component]
fn MessageList(list: Vec<MessageView>, locale: Locale) -> impl IntoView {
    let texts = locale.texts();
    let mut groups: Vec<(i64, Vec<MessageView>)> = Vec::new();
    for message in list {
        match groups
            .iter_mut()
            .find(|(order, _)| *order == message.order_id)
        {
            Some((_, messages)) => messages.push(message),
            None => groups.push((message.order_id, vec![message])),
        }
    }
    let groups = groups
        .into_iter()
        .map(|(order, messages)| {
            let href = format!("/orders/{order}");
            let (title_id, labelled_by) = (format!("order-{order}-messages"), format!("order-{order}-messages"));
            let items = messages
                .into_iter()
                .map(|m| {
                    let action = match m.kind {
                        MessageKind::PaymentFailed => texts.try_again,
                        _ => texts.shopper.open_order,
                    };
                    view! {
                        <li class="message" data-kind=m.kind.code() data-order=m.order_id>
                            <h3 class="message-subject">{m.subject}</h3>
                            <p class="message-meta" data-testid="message-date">
                                {texts.shopper.received}" "<LocalTime at=m.created_at locale/>
                                {m.emailed.then(|| view! { " · "<span class="message-emailed">{texts.emailed}</span> })}
                            </p>
                            <p class="message-body">{m.body}</p>
                            <p class="message-footer"><a href=m.link>{action}</a></p>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <section class="message-group" data-order=order aria-labelledby=labelled_by data-testid="message-group">
                    <h2 id=title_id>
                        <a href=href>{texts.order_number(order)}</a>
                    </h2>
                    <ol class="messages">{items}</ol>
                </section>
            }
        })
        .collect_view();
    view! { <div class="message-groups" data-testid="messages">{groups}</div> }
}
