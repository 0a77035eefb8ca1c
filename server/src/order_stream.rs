//! `GET /orders/{id}/events`: where one of the signed-in customer's orders
//! stands, as server-sent events, for the pages that follow a payment (the
//! return page, the order's page). Each event's data is the order's status
//! code; one is sent at once, then one per change, and the stream ends after
//! a settled status, or an hour after the order was placed (a bank debit can
//! take days; the shopper gets a message then).
//!
//! Fed by the database, which webhooks keep current, so any instance serves
//! any stream. While the payment is undecided, Stripe is asked too, at most
//! once per order every 30 s whoever asks (`checkout::refresh_from_stripe`),
//! in case a webhook is late or lost.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream;

use app::orders::{unix_now, OrderStatus};
use app::server::customers::CustomerId;
use app::server::{checkout, orders, sessions, AppState};

/// How often a stream reads the order again.
const CHECK_EVERY: Duration = Duration::from_secs(1);
/// How long after the order was placed streams are still served.
const FOLLOW_FOR_SECS: i64 = 3_600;

pub async fn events(
    State(state): State<AppState>,
    Path(order): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Ok(order) = order.parse::<i64>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let customer = match sessions::customer_from_headers(&state.pool, &headers).await {
        Ok(Some(customer)) => customer,
        Ok(None) => return StatusCode::UNAUTHORIZED.into_response(),
        Err(err) => {
            tracing::error!(%err, "order stream: session");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    match orders::find(&state.pool, customer, order).await {
        Ok(Some(_)) => {}
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(err) => {
            tracing::error!(%err, order, "order stream");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    }
    let follow = Follow {
        state,
        customer,
        order,
        sent: None,
        done: false,
    };
    Sse::new(stream::unfold(follow, next_event))
        .keep_alive(KeepAlive::default())
        .into_response()
}

struct Follow {
    state: AppState,
    customer: CustomerId,
    order: i64,
    /// The status last sent.
    sent: Option<OrderStatus>,
    done: bool,
}

/// Waits for the order's next status (the current one first) and sends it.
async fn next_event(mut follow: Follow) -> Option<(Result<Event, Infallible>, Follow)> {
    if follow.done {
        return None;
    }
    loop {
        if follow.sent.is_some() {
            tokio::time::sleep(CHECK_EVERY).await;
        }
        let order = match orders::find(&follow.state.pool, follow.customer, follow.order).await {
            Ok(Some(order)) => order,
            _ => return None,
        };
        let order = match checkout::refresh_from_stripe(&follow.state, &order).await {
            Ok(true) => orders::find(&follow.state.pool, follow.customer, follow.order)
                .await
                .ok()
                .flatten()
                .unwrap_or(order),
            Ok(false) => order,
            Err(err) => {
                tracing::warn!(%err, order = order.id, "order stream: could not ask Stripe");
                order
            }
        };
        if follow.sent != Some(order.status) {
            follow.sent = Some(order.status);
            follow.done = !matches!(
                order.status,
                OrderStatus::Processing | OrderStatus::AwaitingPayment
            );
            let event = Event::default().data(order.status.code());
            return Some((Ok(event), follow));
        }
        if unix_now() - order.created_at > FOLLOW_FOR_SECS {
            follow.done = true;
            return Some((Ok(Event::default().data("stop")), follow));
        }
    }
}
