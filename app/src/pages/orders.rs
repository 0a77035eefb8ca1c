//! `/orders`: the customer's orders and where each stands.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::ErrorNotice;
use crate::orders::OrderStatus;
use crate::root::{use_session, use_shop};

#[component]
pub fn OrdersPage() -> impl IntoView {
    let orders = use_shop().orders;
    let locale = use_session().locale;
    let texts = locale.texts();
    // Follow orders whose payment is still undecided.
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(Ok(Some(list))) = orders.get() {
            if list.iter().any(|o| o.status == OrderStatus::Processing) {
                set_timeout(
                    move || orders.refetch(),
                    std::time::Duration::from_millis(2000),
                );
            }
        }
    });
    view! {
        <Title text=texts.orders_title/>
        <h1>{texts.orders_title}</h1>
        <Transition fallback=move || view! { <p class="loading">{texts.loading}</p> }>
            {move || Suspend::new(async move {
                match orders.await {
                    Ok(None) => view! {
                        <p class="notice">{texts.orders_sign_in}" "<a href="/signin?next=/orders">{texts.sign_in}</a></p>
                    }
                    .into_any(),
                    Ok(Some(list)) if list.is_empty() => view! { <p class="notice">{texts.no_orders}</p> }.into_any(),
                    Ok(Some(list)) => {
                        let rows = list
                            .into_iter()
                            .map(|o| {
                                let open = o.status.is_open();
                                let status = o.status;
                                view! {
                                    <tr data-order=o.id data-status=status.code()>
                                        <th scope="row">{texts.order_number(o.id)}</th>
                                        <td>{o.lines.iter().map(|l| format!("{} × {}", l.quantity, l.name.get(locale))).collect::<Vec<_>>().join(", ")}</td>
                                        <td class="amount">{o.total.format(locale)}</td>
                                        <td>
                                            <span class=format!("status status-{}", status.code())>{texts.order_status(status)}</span>
                                            {(status == OrderStatus::PaymentFailed).then(|| o.failure_message.clone()).flatten().map(|m| view! { <span class="status-reason">" — "{m}</span> })}
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
                                        <th scope="col">{texts.product}</th>
                                        <th scope="col" class="amount">{texts.total}</th>
                                        <th scope="col">{texts.status}</th>
                                    </tr>
                                </thead>
                                <tbody>{rows}</tbody>
                            </table>
                        }
                        .into_any()
                    }
                    Err(error) => view! { <ErrorNotice error texts/> }.into_any(),
                }
            })}
        </Transition>
    }
}
