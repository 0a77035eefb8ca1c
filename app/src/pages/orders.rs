//! `/orders`: the customer's orders and where each stands.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::SessionInfo;
use crate::components::{ErrorNotice, SignInPrompt};
use crate::islands::{IslandScripts, LiveUpdates};
use crate::page::Page;
use crate::pages::LocalTime;
use crate::payments::{list_orders, OrderView};
use shop::orders::OrderStatus;

/// How often the page looks again while a payment is processing.
const FOLLOW_EVERY_MS: u32 = 2000;

#[component]
pub fn OrdersPage() -> impl IntoView {
    view! { <Page content=orders/> }
}

async fn orders(session: SessionInfo) -> AnyView {
    let locale = session.locale;
    let texts = locale.texts();
    let list = match list_orders().await {
        Ok(Some(list)) => list,
        Ok(None) => {
            return view! {
                <Title text=texts.orders_title/>
                <h1>{texts.orders_title}</h1>
                <SignInPrompt message=texts.orders_sign_in next="/orders".into() texts/>
            }
            .into_any()
        }
        Err(error) => return view! { <ErrorNotice error texts/> }.into_any(),
    };
    // Orders whose payment is undecided are followed until it is.
    let follow = list
        .iter()
        .any(|o| o.status == OrderStatus::Processing)
        .then_some(FOLLOW_EVERY_MS);
    let content = if list.is_empty() {
        view! { <p class="notice">{texts.no_orders}</p> }.into_any()
    } else {
        view! { <OrderTable list locale/> }.into_any()
    };
    view! {
        <Title text=texts.orders_title/>
        <h1>{texts.orders_title}</h1>
        <div id="orders" data-region="" data-follow=follow>{content}</div>
        // Also writes the dates in the shopper's own time zone.
        <LiveUpdates/>
        <IslandScripts/>
    }
    .into_any()
}

#[component]
fn OrderTable(list: Vec<OrderView>, locale: shop::i18n::Locale) -> impl IntoView {
    let texts = locale.texts();
    let rows = list
        .into_iter()
        .map(|o| {
            let open = o.status.is_open();
            let status = o.status;
            let items = o
                .lines
                .iter()
                .map(|l| format!("{} × {}", l.quantity, l.name.get(locale)))
                .collect::<Vec<_>>()
                .join(", ");
            let reason = (status == OrderStatus::PaymentFailed)
                .then_some(o.failure)
                .flatten()
                .map(|reason| texts.failure_reason(reason));
            view! {
                <tr data-order=o.id data-status=status.code()>
                    <th scope="row"><a href=format!("/orders/{}", o.id)>{texts.order_number(o.id)}</a></th>
                    <td data-label=texts.date><LocalTime at=o.created_at locale/></td>
                    <td data-label=texts.product>
                        {items}
                        {o.payment_method.as_ref().map(|m| view! { <span class="order-method">{texts.payment_method_line(m)}</span> })}
                    </td>
                    <td class="amount">{o.total.format(locale)}</td>
                    <td>
                        <span class=format!("status status-{}", status.code())>{texts.order_status(status)}</span>
                        {reason.map(|m| view! { <span class="status-reason">" — "{m}</span> })}
                        {open.then(|| view! { " " <a href="/checkout">{texts.try_again}</a> })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="cart-table orders-table">
            <thead>
                <tr>
                    <th scope="col">{texts.order}</th>
                    <th scope="col">{texts.date}</th>
                    <th scope="col">{texts.product}</th>
                    <th scope="col" class="amount">{texts.total}</th>
                    <th scope="col">{texts.status}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}
