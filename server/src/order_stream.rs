//! `GET /orders/{id}/events`: where one of the signed-in customer's orders
//! stands, as server-sent events, for the pages that follow a payment (the
//! return page, the order's page). Each event's data is the order's status
//! code; one is sent at once, then one per change, and the stream ends after
//! a settled status, or an hour after the order was placed (a bank debit can
//! take days; the shopper gets a message then).
//!
//! Fed by the database, which webhooks keep current, so any instance serves
//! any stream. The streams of one order on an instance share one watch of
//! it (one read a second, whatever the number of tabs), started by its
//! first stream and stopped after its last. Each instance serves at most `PER_SESSION` streams to one
//! session and `PER_ORDER` for one order at once (more are refused with 429
//! and `Retry-After`: the page then polls), and a stream ends within
//! `SESSION_CHECK_EVERY` of its session ending (sign-out, expiry, a closed
//! account). While the payment is undecided, Stripe is asked too, at most
//! once per order every 30 s whoever asks (`checkout::refresh_from_stripe`),
//! in case a webhook is late or lost.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};

use std::time::{Duration, Instant};
use tokio::sync::watch;

use axum::extract::{Extension, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream;

use shop::orders::{unix_now, OrderStatus};
use shop::server::customers::CustomerId;
use shop::server::{checkout, order_store, sessions, AppState};

/// How often a stream reads the order again.
const CHECK_EVERY: Duration = Duration::from_secs(1);
/// How long after the order was placed streams are still served.
const FOLLOW_FOR_SECS: i64 = 3_600;
/// Streams one session may hold open at once (a shopper has a few tabs).
pub const PER_SESSION: usize = 4;
/// Streams open at once for one order (its customer's tabs and devices).
pub const PER_ORDER: usize = 8;
/// How often a stream checks that its session still exists.
const SESSION_CHECK_EVERY: Duration = Duration::from_secs(2);

/// The streams open on this instance, by session and by order, and the
/// shared watch of each order followed.
#[derive(Clone, Default)]
pub struct Streams {
    open: Arc<Mutex<HashMap<String, usize>>>,
    watches: Arc<Mutex<HashMap<i64, Arc<watch::Sender<Seen>>>>>,
}

/// What an order's shared watch last read.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Seen {
    NotYet,
    /// No longer readable (deleted, or not this customer's).
    Gone,
    Order {
        status: OrderStatus,
        created_at: i64,
    },
}

/// A stream's places in [`Streams`], given back when it ends.
struct StreamSlots {
    streams: Streams,
    keys: [String; 2],
}

impl Streams {
    fn take(&self, session: &str, order: i64) -> Option<StreamSlots> {
        // Keyed by a digest: the token itself stays out of memory dumps' maps.
        let keys = [
            format!("session:{}", hex::encode(sessions::digest(session))),
            format!("order:{order}"),
        ];
        // A poisoned lock only means a stream's task panicked while counting.
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let full = |key: &String, max| open.get(key).copied().unwrap_or(0) >= max;
        if full(&keys[0], PER_SESSION) || full(&keys[1], PER_ORDER) {
            return None;
        }
        for key in &keys {
            *open.entry(key.clone()).or_default() += 1;
        }
        Some(StreamSlots {
            streams: self.clone(),
            keys,
        })
    }
}

impl Streams {
    /// A view of `order`'s shared watch, started if this is its first.
    fn watch(&self, state: &AppState, customer: CustomerId, order: i64) -> watch::Receiver<Seen> {
        let mut watches = self.watches.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(sender) = watches.get(&order) {
            return sender.subscribe();
        }
        let (sender, receiver) = watch::channel(Seen::NotYet);
        let sender = Arc::new(sender);
        watches.insert(order, sender.clone());
        tokio::spawn(watch_order(
            state.clone(),
            self.clone(),
            customer,
            order,
            sender,
        ));
        receiver
    }
}

/// Reads `order` every `CHECK_EVERY` (asking Stripe too while the payment
/// is undecided, at most every 30 s) for as long as a stream follows it.
async fn watch_order(
    state: AppState,
    streams: Streams,
    customer: CustomerId,
    order: i64,
    sender: Arc<watch::Sender<Seen>>,
) {
    loop {
        let seen = read_order(&state, customer, order).await;
        sender.send_if_modified(|last| {
            let changed = *last != seen;
            *last = seen;
            changed
        });
        tokio::time::sleep(CHECK_EVERY).await;
        // Checked under the lock new streams subscribe under: none is lost.
        let mut watches = streams.watches.lock().unwrap_or_else(|e| e.into_inner());
        if sender.receiver_count() == 0 {
            watches.remove(&order);
            return;
        }
    }
}

async fn read_order(state: &AppState, customer: CustomerId, order: i64) -> Seen {
    let found = match order_store::find(&state.pool, customer, order).await {
        Ok(Some(found)) => found,
        Ok(None) => return Seen::Gone,
        // A database hiccup: the streams keep what they showed.
        Err(err) => {
            tracing::warn!(%err, order, "order stream: could not read the order");
            return Seen::NotYet;
        }
    };
    let found = match checkout::refresh_from_stripe(state, &found).await {
        Ok(true) => order_store::find(&state.pool, customer, order)
            .await
            .ok()
            .flatten()
            .unwrap_or(found),
        Ok(false) => found,
        Err(err) => {
            tracing::warn!(%err, order, "order stream: could not ask Stripe");
            found
        }
    };
    Seen::Order {
        status: found.status,
        created_at: found.created_at,
    }
}

impl Drop for StreamSlots {
    fn drop(&mut self) {
        let mut open = self.streams.open.lock().unwrap_or_else(|e| e.into_inner());
        for key in &self.keys {
            if let Some(count) = open.get_mut(key) {
                *count -= 1;
                if *count == 0 {
                    open.remove(key);
                }
            }
        }
    }
}

pub async fn events(
    State(state): State<AppState>,
    Extension(streams): Extension<Streams>,
    Path(order): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Ok(order) = order.parse::<i64>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Some(token) = sessions::cookie(&headers, sessions::SESSION_COOKIE)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
    else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let customer = match sessions::customer_for(&state.pool, &token).await {
        Ok(Some(customer)) => customer,
        Ok(None) => return StatusCode::UNAUTHORIZED.into_response(),
        Err(err) => {
            tracing::error!(%err, "order stream: session");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    match order_store::find(&state.pool, customer, order).await {
        Ok(Some(_)) => {}
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(err) => {
            tracing::error!(%err, order, "order stream");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    }
    let Some(slots) = streams.take(&token, order) else {
        return (
            StatusCode::TOO_MANY_REQUESTS,
            [(axum::http::header::RETRY_AFTER, "5")],
            "too many open streams",
        )
            .into_response();
    };
    let follow = Follow {
        watch: streams.watch(&state, customer, order),
        state,
        customer,
        sent: None,
        done: false,
        token,
        session_checked: Instant::now(),
        _slots: slots,
    };
    Sse::new(stream::unfold(follow, next_event))
        .keep_alive(KeepAlive::default())
        .into_response()
}

struct Follow {
    state: AppState,
    customer: CustomerId,
    /// The order's shared watch.
    watch: watch::Receiver<Seen>,
    /// The status last sent.
    sent: Option<OrderStatus>,
    done: bool,
    /// The session the stream was opened in, checked again every
    /// `SESSION_CHECK_EVERY`.
    token: String,
    session_checked: Instant,
    _slots: StreamSlots,
}

impl Follow {
    /// Whether the stream's session is still its customer's.
    async fn session_lives(&mut self) -> bool {
        if self.session_checked.elapsed() < SESSION_CHECK_EVERY {
            return true;
        }
        self.session_checked = Instant::now();
        matches!(
            sessions::customer_for(&self.state.pool, &self.token).await,
            Ok(Some(customer)) if customer == self.customer
        )
    }
}

/// Waits for the order's next status (the current one first) and sends it.
async fn next_event(mut follow: Follow) -> Option<(Result<Event, Infallible>, Follow)> {
    if follow.done {
        return None;
    }
    loop {
        if !follow.session_lives().await {
            return None;
        }
        let seen = *follow.watch.borrow_and_update();
        match seen {
            Seen::Gone => return None,
            Seen::NotYet => {}
            Seen::Order { status, created_at } => {
                if follow.sent != Some(status) {
                    follow.sent = Some(status);
                    follow.done = !matches!(
                        status,
                        OrderStatus::Processing | OrderStatus::AwaitingPayment
                    );
                    let event = Event::default().data(status.code());
                    return Some((Ok(event), follow));
                }
                if unix_now() - created_at > FOLLOW_FOR_SECS {
                    follow.done = true;
                    return Some((Ok(Event::default().data("stop")), follow));
                }
            }
        }
        // The next change, or the next look at the session, whichever first.
        if let Ok(Err(_)) = tokio::time::timeout(SESSION_CHECK_EVERY, follow.watch.changed()).await
        {
            return None; // the watch ended
        }
    }
}
