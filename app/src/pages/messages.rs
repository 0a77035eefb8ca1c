//! `/messages`: what the shop told the customer about their orders. With
//! no SMTP configured this is where a demo shopper reads them; with SMTP,
//! the same messages also went out by e-mail.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::ErrorNotice;
use crate::messages::MessageKind;
use crate::root::{use_session, use_shop};

#[component]
pub fn MessagesPage() -> impl IntoView {
    let messages = use_shop().messages;
    let texts = use_session().locale.texts();
    // Messages arrive with webhooks, whenever Stripe sends them: keep looking.
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(Ok(Some(_))) = messages.get() {
            set_timeout(
                move || messages.refetch(),
                std::time::Duration::from_millis(3000),
            );
        }
    });
    view! {
        <Title text=texts.messages_title/>
        <h1>{texts.messages_title}</h1>
        <Transition fallback=move || view! { <p class="loading">{texts.loading}</p> }>
            {move || Suspend::new(async move {
                match messages.await {
                    Ok(None) => view! {
                        <p class="notice">{texts.messages_sign_in}" "<a href="/signin?next=/messages">{texts.sign_in}</a></p>
                    }
                    .into_any(),
                    Ok(Some(list)) if list.is_empty() => view! { <p class="notice">{texts.no_messages}</p> }.into_any(),
                    Ok(Some(list)) => {
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
                        view! {
                            <p class="intro">{texts.messages_intro}</p>
                            <ol class="messages" data-testid="messages">{items}</ol>
                        }
                        .into_any()
                    }
                    Err(error) => view! { <ErrorNotice error texts/> }.into_any(),
                }
            })}
        </Transition>
    }
}
