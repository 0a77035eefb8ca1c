//! `/orders/:id`: one order whole — its lines, how it was paid, what
//! happened to it and when — laid out to be printed as its receipt.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::SessionInfo;
use crate::components::action_of;
use crate::components::{AddressLines, ErrorNotice, SignInPrompt};
use crate::islands::{IslandScripts, LiveUpdates};
use crate::page::Page;
use crate::payments::{order_detail, CancelOrder, OrderDetailView, OrderView, RefundView};
use shop::i18n::Locale;
use shop::orders::{follow_delay_ms, unix_now, Fulfilment, OrderEvent, OrderStatus};

#[component]
pub fn OrderPage() -> impl IntoView {
    let params = use_params_map();
    view! {
        <Page content=move |session| {
            let id = params.read_untracked().get("id").and_then(|id| id.parse::<i64>().ok());
            async move { order_page(session, id).await }
        }/>
    }
}

async fn order_page(session: SessionInfo, id: Option<i64>) -> AnyView {
    let locale = session.locale;
    let texts = locale.texts();
    let detail = match id {
        Some(id) => order_detail(id).await,
        None => Ok(OrderDetailView::NotFound),
    };
    let canceled = leptos_router::hooks::use_query_map()
        .read_untracked()
        .get("canceled")
        .is_some();
    let (order, history, refunds) = match detail {
        Ok(OrderDetailView::Found {
            order,
            history,
            refunds,
        }) => (*order, history, refunds),
        Ok(OrderDetailView::SignedOut) => {
            let here = id.map_or("/orders".to_owned(), |id| format!("/orders/{id}"));
            return view! {
                <Title text=texts.orders_title/>
                <h1>{texts.orders_title}</h1>
                <SignInPrompt message=texts.order_sign_in next=here texts/>
            }
            .into_any();
        }
        Ok(OrderDetailView::NotFound) => {
            #[cfg(feature = "ssr")]
            if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                response.set_status(http::StatusCode::NOT_FOUND);
            }
            return view! {
                <Title text=texts.orders_title/>
                <h1>{texts.orders_title}</h1>
                <p class="notice" data-testid="order-not-found">{texts.order_not_found}</p>
                <p><a href="/orders">{texts.all_orders}</a></p>
            }
            .into_any();
        }
        Err(error) => return view! { <ErrorNotice error texts/> }.into_any(),
    };
    // Followed like the return page while the bank decides.
    let follow = (order.status == OrderStatus::Processing)
        .then(|| follow_delay_ms(unix_now() - order.created_at))
        .flatten();
    let title = texts.order_number(order.id);
    let status = order.status.code();
    let (open, order_id) = (order.status.is_open(), order.id);
    let stream = follow.map(|_| format!("/orders/{}/events", order.id));
    view! {
        <Title text=title.clone()/>
        <p class="no-print"><a href="/orders">"← "{texts.all_orders}</a></p>
        <article class="receipt" id="order-detail" data-region="" data-follow=follow
            data-stream=stream
            data-status=status data-testid="order-detail" aria-live="polite">
            <h1>{title}</h1>
            {(canceled && order.status == OrderStatus::Canceled).then(|| view! {
                <p class="notice notice-ok no-print" role="status">{texts.order_canceled}</p>
            })}
            <OrderFacts order=order.clone() locale/>
            <Downloads order=order.clone() locale/>
            <OrderLines order locale/>
            <History history refunds locale/>
            <p class="receipt-note">{texts.receipt_note}</p>
        </article>
        // Shown by the island: printing needs the browser's script.
        {open.then(|| view! { <CancelButton order=order_id locale/> })}
        <p class="no-print"><button type="button" class="button" data-print="" hidden="">{texts.print_receipt}</button></p>
        <LiveUpdates/>
        <IslandScripts/>
    }
    .into_any()
}

/// A date the browser rewrites in the shopper's own time zone.
#[component]
pub fn LocalTime(at: i64, locale: Locale) -> impl IntoView {
    let (year, month, day, hour, minute) = shop::orders::utc_date_time(at);
    let iso = format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}Z");
    view! { <time datetime=iso data-local="">{locale.texts().date_time(at)}</time> }
}

#[component]
pub(crate) fn OrderFacts(
    order: OrderView,
    locale: Locale,
    /// Leaves out "Try again" beside the status (a page that has its own button).
    #[prop(optional)]
    no_retry_link: bool,
) -> impl IntoView {
    let texts = locale.texts();
    let status = order.status;
    view! {
        <dl class="order-facts">
            <dt>{texts.date}</dt>
            <dd data-testid="order-date"><LocalTime at=order.created_at locale/></dd>
            <dt>{texts.status}</dt>
            <dd>
                <span class=format!("status status-{}", status.code()) data-testid="order-status">
                    {texts.order_status(status)}
                </span>
                {(status == OrderStatus::PaymentFailed).then_some(order.failure).flatten().map(|reason| {
                    view! { <span class="status-reason">" — "{texts.failure_reason(reason)}</span> }
                })}
                {(order.refunded.amount > 0).then(|| {
                    let label = if order.refunded.amount >= order.total.amount {
                        texts.status_refunded
                    } else {
                        texts.status_partially_refunded
                    };
                    view! { " · "<span class="status status-refunded" data-testid="order-refund-status">{label}</span> }
                })}
                {(status.is_open() && !no_retry_link).then(|| view! { " " <a href="/checkout" class="no-print">{texts.try_again}</a> })}
            </dd>
            {(order.refunded.amount > 0).then(|| view! {
                <dt>{texts.refunded}</dt>
                <dd data-testid="order-refunded">{order.refunded.format(locale)}</dd>
            })}
            {order.payment_method.map(|method| view! {
                <dt>{texts.payment_method}</dt>
                <dd data-testid="order-method">{texts.payment_method_line(&method)}</dd>
            })}
            {order.shipping.map(|address| view! {
                <dt>{texts.delivery.address_title}</dt>
                <dd><AddressLines address locale/></dd>
            })}
        </dl>
    }
}

/// The order's downloads, when it has any: links once fulfilled.
#[component]
pub(crate) fn Downloads(order: OrderView, locale: Locale) -> impl IntoView {
    let texts = locale.texts();
    let digital: Vec<_> = order.lines.iter().filter(|l| l.digital).cloned().collect();
    if digital.is_empty() {
        return ().into_any();
    }
    let content = match order.fulfilment {
        Fulfilment::Fulfilled => {
            let links = digital
                .into_iter()
                .map(|line| {
                    let href = format!("/orders/{}/downloads/{}", order.id, line.product_id);
                    view! {
                        <li><a href=href download="" data-testid="download">{texts.download}" — "{line.name.get(locale).to_owned()}</a></li>
                    }
                })
                .collect_view();
            view! { <p>{texts.downloads_ready}</p> <ul>{links}</ul> }.into_any()
        }
        Fulfilment::Revoked => view! {
            <p class="notice notice-error" data-testid="downloads-revoked">{texts.downloads_revoked}</p>
        }
        .into_any(),
        Fulfilment::NotYet => view! {
            <p class="notice" data-testid="downloads-pending">{texts.downloads_when_paid}</p>
        }
        .into_any(),
    };
    view! {
        <section class="downloads no-print" id="downloads" aria-labelledby="downloads-title">
            <h2 id="downloads-title">{texts.downloads}</h2>
            {content}
        </section>
    }
    .into_any()
}

#[component]
pub(crate) fn OrderLines(order: OrderView, locale: Locale) -> impl IntoView {
    let texts = locale.texts();
    let subtotal = order.subtotal();
    // Read before the lines are taken below.
    let delivery = order.needs_shipping().then(|| order.delivery_text(locale));
    let lines = order
        .lines
        .into_iter()
        .map(|line| {
            view! {
                <tr>
                    <td>{line.name.get(locale).to_owned()}</td>
                    <td class="quantity">{line.quantity}</td>
                    <td class="amount">{line.line_total.format(locale)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="cart-table receipt-lines">
            <thead>
                <tr>
                    <th scope="col">{texts.product}</th>
                    <th scope="col" class="quantity">{texts.quantity}</th>
                    <th scope="col" class="amount">{texts.total}</th>
                </tr>
            </thead>
            <tbody>{lines}</tbody>
            <tfoot>
                {delivery.map(|delivery| {
                    view! {
                        <tr>
                            <th scope="row" colspan="2">{texts.delivery.subtotal}</th>
                            <td class="amount" data-testid="order-subtotal">{subtotal.format(locale)}</td>
                        </tr>
                        <tr>
                            <th scope="row" colspan="2">{texts.delivery.delivery}</th>
                            <td class="amount" data-testid="order-delivery">{delivery}</td>
                        </tr>
                    }
                })}
                <tr>
                    <th scope="row" colspan="2">{texts.total}</th>
                    <td class="amount" data-testid="order-total">{order.total.format(locale)}</td>
                </tr>
            </tfoot>
        </table>
    }
}

/// One line of an order's history: a status it reached, or a refund.
enum Step {
    Status(OrderEvent),
    Refund { amount: String, failed: bool },
}

#[component]
fn History(history: Vec<OrderEvent>, refunds: Vec<RefundView>, locale: Locale) -> impl IntoView {
    let texts = locale.texts();
    let mut steps: Vec<(i64, Step)> = history
        .into_iter()
        .map(|event| (event.at, Step::Status(event)))
        .collect();
    for refund in refunds {
        let amount = refund.amount.format(locale);
        steps.push((
            refund.at,
            Step::Refund {
                amount: amount.clone(),
                failed: false,
            },
        ));
        if let Some(at) = refund.failed_at {
            steps.push((
                at,
                Step::Refund {
                    amount,
                    failed: true,
                },
            ));
        }
    }
    // Stable: a status and a refund of the same second keep their order.
    steps.sort_by_key(|(at, _)| *at);
    let steps = steps
        .into_iter()
        .map(|(at, step)| match step {
            Step::Status(event) => {
                let what = match event.status {
                    OrderStatus::AwaitingPayment => texts.order_placed,
                    status => texts.order_status(status),
                };
                view! {
                    <li data-status=event.status.code()>
                        <LocalTime at locale/>
                        " — "{what}
                        {event.reason.map(|reason| view! { <span class="status-reason">{texts.colon}{texts.failure_reason(reason)}</span> })}
                    </li>
                }
                .into_any()
            }
            Step::Refund { amount, failed } => {
                let (kind, text) = if failed {
                    ("refund_failed", texts.refund_failed_line)
                } else {
                    ("refund", texts.refund_line)
                };
                view! {
                    <li data-status=kind><LocalTime at locale/>" — "{text.replace("{amount}", &amount)}</li>
                }
                .into_any()
            }
        })
        .collect_view();
    view! {
        <section class="history" aria-labelledby="history-title">
            <h2 id="history-title">{texts.history}</h2>
            <ol data-testid="order-history">{steps}</ol>
        </section>
    }
}

/// Cancels an unpaid order (a plain form: the page comes back).
#[component]
fn CancelButton(order: i64, locale: Locale) -> impl IntoView {
    view! {
        <form method="post" action={action_of::<CancelOrder>()} class="inline-form no-print" data-testid="cancel-order">
            <input type="hidden" name="order_id" value=order/>
            <button type="submit" class="button button-secondary">{locale.texts().cancel_order}</button>
        </form>
    }
}
