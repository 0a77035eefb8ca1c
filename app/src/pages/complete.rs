//! `/checkout/complete`: where Stripe returns the customer. The verdict
//! comes from the server's view of the intent, never from `redirect_status`.

use leptos::prelude::*;
use leptos_meta::Title;

use super::checkout::OrderSummary;
use crate::components::ErrorNotice;
use crate::orders::OrderStatus;
use crate::root::{use_session, use_shop};

#[component]
pub fn CompletePage() -> impl IntoView {
    let order = use_shop().returned;
    let locale = use_session().locale;
    let texts = locale.texts();

    // In the browser: drop the client secret from the address bar, and follow
    // an undecided payment until it settles.
    #[cfg(feature = "hydrate")]
    {
        let navigate = leptos_router::hooks::use_navigate();
        let query = leptos_router::hooks::use_query_map();
        let cart = use_shop().cart;
        Effect::new(move |_| {
            let Some(Ok(Some(found))) = order.get() else {
                return;
            };
            if !found.status.is_open() {
                // The server took the ordered items out of the cart.
                cart.refetch();
            }
            if query
                .read_untracked()
                .get("payment_intent_client_secret")
                .is_some()
            {
                navigate(
                    &format!("/checkout/complete?order={}", found.id),
                    leptos_router::NavigateOptions {
                        replace: true,
                        scroll: false,
                        ..Default::default()
                    },
                );
            } else if matches!(
                found.status,
                OrderStatus::Processing | OrderStatus::AwaitingPayment
            ) {
                set_timeout(
                    move || order.refetch(),
                    std::time::Duration::from_millis(1500),
                );
            }
        });
    }

    view! {
        <Title text=texts.complete_title/>
        <Transition fallback=move || view! { <p class="loading">{texts.checking_payment}</p> }>
            {move || Suspend::new(async move {
                match order.await {
                    Ok(Some(found)) => {
                        let (title, body) = match found.status {
                            OrderStatus::Paid => (texts.paid_title, Some(texts.paid_body.to_string())),
                            OrderStatus::Processing => (texts.processing_title, Some(texts.processing_body.to_string())),
                            OrderStatus::PaymentFailed => (texts.failed_title, found.failure_message.clone()),
                            OrderStatus::Canceled => (texts.canceled_title, None),
                            OrderStatus::AwaitingPayment => (texts.awaiting_title, None),
                        };
                        let retry = found.status.is_open();
                        // The confirmation (or "payment pending") message is on its way.
                        let told = matches!(found.status, OrderStatus::Paid | OrderStatus::Processing);
                        let status = found.status.code();
                        let number = texts.order_number(found.id);
                        view! {
                            <section class="order-result" data-status=status data-testid="order-result">
                                <p class="order-number">{number}</p>
                                <h1>{title}</h1>
                                {body.map(|b| view! { <p class="result-body" data-testid="result-body">{b}</p> })}
                                {retry.then(|| view! { <p><a class="button" href="/checkout">{texts.try_again}</a></p> })}
                                {told.then(|| view! { <p><a href="/messages">{texts.see_messages}</a></p> })}
                                <OrderSummary order=found locale/>
                            </section>
                        }
                        .into_any()
                    }
                    Ok(None) => view! {
                        <h1>{texts.complete_title}</h1>
                        <p class="notice" data-testid="payment-not-found">{texts.payment_not_found}</p>
                    }
                    .into_any(),
                    Err(error) => view! { <ErrorNotice error texts/> }.into_any(),
                }
            })}
        </Transition>
    }
}
