//! `/checkout/complete`: where Stripe returns the customer. The verdict
//! comes from the server's view of the intent, never from `redirect_status`.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::order::{Downloads, OrderFacts, OrderLines};
use crate::api::SessionInfo;
use crate::components::{ErrorNotice, SignInPrompt};
use crate::islands::{IslandScripts, LiveUpdates};
use crate::page::Page;
use crate::payments::{get_order, resolve_return, OrderView};
use shop::orders::{follow_delay_ms, unix_now, OrderStatus};

/// Which order the address names: Stripe's return (intent and client
/// secret), or the page's own address once that has been tidied (`order`).
#[derive(Clone)]
enum Returned {
    FromStripe { intent: String, secret: String },
    Order(i64),
    Nothing,
}

#[component]
pub fn CompletePage() -> impl IntoView {
    let query = use_query_map();
    let location = leptos_router::hooks::use_location();
    view! {
        <Page content=move |session| {
            // Back from the bank with the session ended: sign in, then come
            // back to this very address (Stripe's query included) to see the result.
            let here = match location.search.get_untracked() {
                search if search.is_empty() => "/checkout/complete".to_owned(),
                search => format!("/checkout/complete?{search}"),
            };
            let returned = {
                let q = query.read_untracked();
                match (q.get("payment_intent"), q.get("payment_intent_client_secret"), q.get("order")) {
                    (Some(intent), Some(secret), _) => Returned::FromStripe { intent, secret },
                    (_, _, Some(id)) => id.parse().map_or(Returned::Nothing, Returned::Order),
                    _ => Returned::Nothing,
                }
            };
            async move { complete(session, returned, here).await }
        }/>
    }
}

async fn complete(session: SessionInfo, returned: Returned, here: String) -> AnyView {
    let locale = session.locale;
    let texts = locale.texts();
    if session.customer.is_none() {
        return view! {
            <Title text=texts.complete_title/>
            <h1>{texts.complete_title}</h1>
            <SignInPrompt message=texts.complete_sign_in next=here texts attr:data-testid="complete-sign-in"/>
        }
        .into_any();
    }
    let from_stripe = matches!(returned, Returned::FromStripe { .. });
    let order = match returned {
        Returned::FromStripe { intent, secret } => resolve_return(intent, secret).await,
        Returned::Order(id) => get_order(id).await,
        Returned::Nothing => Ok(None),
    };
    let found = match order {
        Ok(Some(found)) => found,
        Ok(None) => {
            return view! {
                <Title text=texts.complete_title/>
                <h1>{texts.complete_title}</h1>
                <p class="notice" data-testid="payment-not-found">{texts.payment_not_found}</p>
            }
            .into_any()
        }
        Err(error) => return view! { <ErrorNotice error texts/> }.into_any(),
    };
    // The address with the client secret is replaced by this one in the
    // browser's history, and the page looks again while the payment is undecided.
    let canonical = from_stripe.then(|| format!("/checkout/complete?order={}", found.id));
    let follow = matches!(
        found.status,
        OrderStatus::Processing | OrderStatus::AwaitingPayment
    )
    .then(|| follow_delay_ms(unix_now() - found.created_at))
    .flatten();
    view! {
        <Title text=texts.complete_title/>
        <OrderResult found locale=session.locale canonical follow/>
        <LiveUpdates/>
        <IslandScripts/>
    }
    .into_any()
}

/// The verdict, then the order as its receipt shows it: what happens
/// next, the downloads, how it was paid, where it goes, its lines, and
/// the ways on (receipt, orders, catalog, messages).
#[component]
fn OrderResult(
    found: OrderView,
    locale: shop::i18n::Locale,
    canonical: Option<String>,
    follow: Option<u32>,
) -> impl IntoView {
    let texts = locale.texts();
    let (title, body) = match found.status {
        OrderStatus::Paid => (texts.paid_title, Some(texts.paid_body.to_string())),
        OrderStatus::Processing => (
            texts.processing_title,
            Some(texts.processing_body.to_string()),
        ),
        OrderStatus::PaymentFailed => (
            texts.failed_title,
            found
                .failure
                .map(|reason| texts.failure_with_next_step(reason)),
        ),
        OrderStatus::Canceled => (texts.canceled_title, None),
        OrderStatus::AwaitingPayment => (texts.awaiting_title, None),
    };
    let retry = found.status.is_open();
    // The confirmation (or "payment pending") message is on its way.
    let told = matches!(found.status, OrderStatus::Paid | OrderStatus::Processing);
    let next = texts.shopper.what_next(found.status, found.contents());
    let status = found.status.code();
    // Followed through the order's status events (polling if they fail).
    let stream = follow.map(|_| format!("/orders/{}/events", found.id));
    let receipt = format!("/orders/{}", found.id);
    let messages = format!("/messages#order-{}-messages", found.id);
    view! {
        <section
            class="order-result"
            id="order-result"
            data-region=""
            data-follow=follow
            data-stream=stream
            data-canonical-url=canonical
            data-status=status
            data-testid="order-result"
            // "Processing" becoming "paid" is told to screen readers.
            aria-live="polite"
        >
            <p class="order-number">{texts.order_number(found.id)}</p>
            // Focused on arrival, so a screen reader starts at the verdict;
            // a programmatic focus draws no box (style/main.scss).
            <h1 tabindex="-1" autofocus="" class="result-title">{title}</h1>
            {body.map(|b| view! { <p class="result-body" data-testid="result-body">{b}</p> })}
            {retry.then(|| view! { <p><a class="button" href="/checkout">{texts.try_again}</a></p> })}
            {next.map(|next| view! {
                <section class="what-next" aria-labelledby="what-next-title">
                    <h2 id="what-next-title">{texts.shopper.what_next_title}</h2>
                    <p data-testid="what-next">{next}</p>
                </section>
            })}
            <Downloads order=found.clone() locale/>
            <OrderFacts order=found.clone() locale no_retry_link=true/>
            <OrderLines order=found locale/>
            <nav class="result-links no-print" aria-label=texts.shopper.what_next_title data-testid="result-links">
                <a class="button" href=receipt data-testid="receipt-link">{texts.shopper.view_receipt}</a>
                <a href="/orders">{texts.all_orders}</a>
                {told.then(|| {
                    view! { <a href=messages>{texts.see_messages}</a> }
                })}
                <a href="/">{texts.shopper.continue_shopping}</a>
            </nav>
        </section>
    }
}
