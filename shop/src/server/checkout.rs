//! The checkout on the server: the customer's Stripe customer, the order
//! and its PaymentIntent, a fresh CustomerSession, and the return page's
//! verdict, always from Stripe's own view of the intent.

use super::customers::{self, Customer};
use super::order_store::{self, Delivery, Order};
use super::stripe::{NewPaymentIntent, PaymentIntent, StripeError};
use super::{cart_store, catalog, seed, AppState};
use crate::cart::Cart;
use crate::delivery::{AddressError, ShippingAddress};
use crate::orders::PaymentOutcome;

#[derive(Debug, thiserror::Error)]
pub enum CheckoutError {
    #[error(transparent)]
    Stripe(#[from] StripeError),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Cart(#[from] cart_store::CartStoreError),
    #[error("a Stripe request task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
    /// Other requests kept changing the same order: try again in a moment.
    #[error("the order kept changing under the checkout")]
    Contended,
    /// Stripe answered a secret-key read of the intent without its client
    /// secret: the page could not mount the element with it.
    #[error("Stripe returned PaymentIntent {0} without a client secret")]
    NoClientSecret(String),
    /// A shipping address that cannot be used (the shopper's to fix).
    #[error(transparent)]
    Address(#[from] AddressError),
    /// No order of this customer's has that id.
    #[error("no such order")]
    UnknownOrder,
}

/// What the browser needs to show the Payment Element for an order.
#[derive(Clone, Debug, PartialEq)]
pub struct Started {
    pub order: Order,
    pub client_secret: String,
    pub customer_session_client_secret: String,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Checkout {
    EmptyCart,
    /// Something to ship and no address yet: the shopper gives one first.
    /// The PaymentIntent's client secret is not handed out before, so no
    /// payment can be made without the address and its delivery price.
    NeedsAddress(Box<AddressStep>),
    Ready(Box<Started>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct AddressStep {
    pub order: Order,
    /// Why the customer's saved address at Stripe was not used (a country
    /// the shop does not deliver to), to say so at the field.
    pub saved_refused: Option<AddressError>,
}

/// What setting an order's address did.
#[derive(Clone, Debug, PartialEq)]
pub enum AddressOutcome {
    /// The order already had this address and price: what the shopper
    /// sees is what will be charged.
    Unchanged(Order),
    /// The address or its price changed the order (a new version).
    Updated(Order),
    /// The order is not the one the shopper saw (another tab changed it,
    /// or it is no longer open): nothing was written; show it again.
    Stale,
}

/// How often a page following an undecided payment may make the shop ask
/// Stripe; between those, the database (kept current by webhooks) answers.
pub const STRIPE_CHECK_EVERY_SECS: i64 = 30;

/// Brings an undecided order up to date from Stripe, at most once per order
/// every `STRIPE_CHECK_EVERY_SECS`. `true` when Stripe was asked.
pub async fn refresh_from_stripe(state: &AppState, order: &Order) -> Result<bool, CheckoutError> {
    let (false, Some(intent)) = (order.status.is_final(), order.payment_intent_id.as_deref())
    else {
        return Ok(false);
    };
    if !order_store::claim_stripe_check(
        &state.pool,
        order.id,
        super::now(),
        STRIPE_CHECK_EVERY_SECS,
    )
    .await?
    {
        return Ok(false);
    }
    let intent = state.stripe.retrieve_payment_intent(intent).await?;
    apply_intent(state, order.id, &intent).await?;
    Ok(true)
}

/// Applies what a PaymentIntent read from Stripe says to its order, and
/// remembers its payment method, in one transaction; then names the method.
async fn apply_intent(
    state: &AppState,
    order: i64,
    intent: &PaymentIntent,
) -> Result<(), CheckoutError> {
    let mut tx = super::db::write_transaction(&state.pool).await?;
    order_store::apply_outcome_in(&mut tx, order, &PaymentOutcome::from(intent)).await?;
    if let Some(method) = &intent.payment_method {
        order_store::record_payment_method_in(&mut tx, order, method).await?;
    }
    // Stripe was just asked: pages following the order read the database
    // for the next STRIPE_CHECK_EVERY_SECS.
    order_store::mark_stripe_checked_in(&mut tx, order, super::now()).await?;
    tx.commit().await?;
    // The order is settled whatever Stripe answers here; the detail page
    // asks again when it is shown.
    if let Err(err) = describe_payment_method(state, order).await {
        tracing::warn!(order, error = %err, "could not name the payment method of the order");
    }
    Ok(())
}

/// The same for the order of `payment_intent` (after a webhook).
pub async fn describe_intent_payment_method(
    state: &AppState,
    payment_intent: &str,
) -> Result<(), CheckoutError> {
    match order_store::by_payment_intent(&state.pool, payment_intent).await? {
        Some(order) => describe_payment_method(state, order.id).await,
        None => Ok(()),
    }
}

/// Asks Stripe what the order's payment method is (card brand and last 4,
/// bank…) unless the order already knows. Outside any transaction: the
/// answer is stored only if the method is still the order's.
pub async fn describe_payment_method(state: &AppState, order: i64) -> Result<(), CheckoutError> {
    let method: Option<(Option<String>, Option<String>)> =
        sqlx::query_as("SELECT payment_method_id, method_type FROM orders WHERE id = $1")
            .bind(order)
            .fetch_optional(&state.pool)
            .await?;
    let Some((Some(method), None)) = method else {
        return Ok(());
    };
    let summary = state
        .stripe
        .retrieve_payment_method(&method)
        .await?
        .summary();
    order_store::describe_payment_method(&state.pool, order, &method, &summary).await?;
    Ok(())
}

/// Cancels the customer's unpaid order: its PaymentIntent at Stripe first,
/// so that it can never be paid, then the order. `false` (and nothing
/// changed) for an order that is not theirs or not open; one that Stripe
/// says was paid meanwhile is brought up to date instead.
pub async fn cancel_order(
    state: &AppState,
    customer: &Customer,
    order_id: i64,
) -> Result<bool, CheckoutError> {
    let Some(order) = order_store::find(&state.pool, customer.id, order_id).await? else {
        return Ok(false);
    };
    if !order.status.is_open() {
        return Ok(false);
    }
    if let Some(intent) = &order.payment_intent_id {
        match state.stripe.cancel_payment_intent(intent).await {
            Ok(_) => {}
            Err(err) if err.status() == Some(400) => {
                settled_elsewhere(state, order.id, intent).await?;
                return Ok(false);
            }
            Err(err) => return Err(err.into()),
        }
    }
    order_store::apply_outcome(&state.pool, order.id, &PaymentOutcome::Canceled).await?;
    tracing::info!(order = order.id, "order canceled by its customer");
    Ok(true)
}

/// Stripe refused to change an order's intent (400): it was paid, or is
/// processing, meanwhile (another tab). Stripe's word wins: the order is
/// brought up to date from the intent.
async fn settled_elsewhere(
    state: &AppState,
    order: i64,
    intent: &str,
) -> Result<(), CheckoutError> {
    let now = state.stripe.retrieve_payment_intent(intent).await?;
    order_store::apply_outcome(&state.pool, order, &PaymentOutcome::from(&now)).await?;
    Ok(())
}

/// The customer's Stripe customer, created the first time.
pub async fn stripe_customer(
    state: &AppState,
    customer: &Customer,
) -> Result<String, CheckoutError> {
    if let Some(id) = &customer.stripe_customer_id {
        return Ok(id.clone());
    }
    // Two first visits at once create (through the idempotency key) the same customer.
    let created = state
        .stripe
        .create_customer(
            &customer.email,
            &customer.name,
            customer.locale.code(),
            customer.id.0,
        )
        .await?;
    customers::set_stripe_customer_id(&state.pool, customer.id, &created.id).await?;
    if state.settings.demo_mode {
        seed::saved_methods(&state.stripe, customer, &created.id).await?;
        seed::shipping(&state.stripe, customer, &created.id).await?;
    }
    Ok(created.id)
}

/// Starts or resumes the checkout of the customer's cart.
pub async fn start(state: &AppState, customer: &Customer) -> Result<Checkout, CheckoutError> {
    let mut cart: Cart = cart_store::priced(&state.pool, customer.id, customer.currency).await?;
    if cart.is_empty() {
        return Ok(Checkout::EmptyCart);
    }
    let stripe_customer = stripe_customer(state, customer).await?;
    // A fresh CustomerSession on every load (its secret is short-lived). It
    // needs only the customer: Stripe makes it while the order and its intent
    // are brought up to date, so the page waits for one call less. Made once,
    // whatever the attempts below.
    let session = tokio::spawn({
        let stripe = state.stripe.clone();
        let stripe_customer = stripe_customer.clone();
        async move { stripe.create_customer_session(&stripe_customer).await }
    });
    for _ in 0..ATTEMPTS {
        match sync_order(state, customer, &stripe_customer, &cart).await? {
            Some((order, _)) if order.needs_shipping() && order.shipping.is_none() => {
                // The customer's saved address at Stripe, when it has one the
                // shop delivers to, is priced at once: paying is one click.
                let saved = saved_address(state, &stripe_customer).await?;
                let saved_refused = match saved.map(|address| {
                    let price = catalog::delivery_rates().quote_for(&address, order.subtotal());
                    (address, price)
                }) {
                    Some((address, Ok(price))) => {
                        // Applied or not (another request was quicker), the next
                        // round reads the order again.
                        apply_address(state, &order, &address, price.amount).await?;
                        continue;
                    }
                    Some((_, Err(refused))) => Some(refused),
                    None => None,
                };
                session.abort();
                return Ok(Checkout::NeedsAddress(Box::new(AddressStep {
                    order,
                    saved_refused,
                })));
            }
            Some((order, intent)) => {
                let session = session.await??;
                let client_secret = intent
                    .client_secret
                    .filter(|secret| !secret.is_empty())
                    .ok_or_else(|| CheckoutError::NoClientSecret(intent.id.clone()))?;
                return Ok(Checkout::Ready(Box::new(Started {
                    order,
                    client_secret,
                    customer_session_client_secret: session.client_secret,
                })));
            }
            None => {
                cart = cart_store::priced(&state.pool, customer.id, customer.currency).await?;
                if cart.is_empty() {
                    session.abort();
                    return Ok(Checkout::EmptyCart);
                }
            }
        }
    }
    session.abort();
    Err(CheckoutError::Contended)
}

/// How many times a checkout start tries again when another request changed
/// the same order between its read and its write.
const ATTEMPTS: u32 = 4;

fn unique_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(db) if db.is_unique_violation())
}

/// One attempt at making the customer's open order and its intent match the
/// cart: the order and its intent, or `None` when something changed under
/// this attempt (read the cart again and retry).
async fn sync_order(
    state: &AppState,
    customer: &Customer,
    stripe_customer: &str,
    cart: &Cart,
) -> Result<Option<(Order, PaymentIntent)>, CheckoutError> {
    let Some(mut order) = open_order_for(state, customer, cart).await? else {
        return Ok(None);
    };
    match order.payment_intent_id.clone() {
        Some(intent) => bring_up_to_date(state, customer, order, cart, &intent).await,
        None => {
            let created = create_intent(state, customer, stripe_customer, &order).await?;
            order.payment_intent_id = Some(created.id.clone());
            Ok(Some((order, created)))
        }
    }
}

/// The customer's open order in the cart's currency, created when there is
/// none; `None` when this attempt must start over.
async fn open_order_for(
    state: &AppState,
    customer: &Customer,
    cart: &Cart,
) -> Result<Option<Order>, CheckoutError> {
    match order_store::open_order(&state.pool, customer.id).await? {
        Some(order) if order.total.currency == cart.currency => Ok(Some(order)),
        Some(stale) => {
            // The currency cannot change under an intent: that order is abandoned.
            order_store::apply_outcome(&state.pool, stale.id, &PaymentOutcome::Canceled).await?;
            Ok(None)
        }
        None => match order_store::create(&state.pool, customer.id, cart).await {
            Ok(order) => Ok(Some(order)),
            // Another start of the same checkout created it first (one open
            // order per customer): use that one.
            Err(err) if unique_violation(&err) => Ok(None),
            Err(err) => Err(err.into()),
        },
    }
}

/// The order's intent as Stripe has it, brought in line with the cart
/// (lines, delivery, amount, shipping) when they differ; `None` when this
/// attempt must start over (the intent is unknown or paid, or another
/// request changed the order meanwhile).
async fn bring_up_to_date(
    state: &AppState,
    customer: &Customer,
    mut order: Order,
    cart: &Cart,
    intent: &str,
) -> Result<Option<(Order, PaymentIntent)>, CheckoutError> {
    let existing = match state.stripe.retrieve_payment_intent(intent).await {
        Ok(existing) => existing,
        // Stripe does not know it (another account, a test-mode reset):
        // that order can never be paid. It is abandoned and the next
        // attempt opens another for the cart.
        Err(StripeError::Api { status: 404, .. }) => {
            tracing::warn!(
                order = order.id,
                intent,
                "Stripe does not know the order's PaymentIntent; the order is abandoned"
            );
            order_store::apply_outcome(&state.pool, order.id, &PaymentOutcome::Canceled).await?;
            return Ok(None);
        }
        Err(err) => return Err(err.into()),
    };
    let outcome = PaymentOutcome::from(&existing);
    if matches!(
        outcome,
        PaymentOutcome::Processing | PaymentOutcome::Succeeded
    ) {
        // Paid while we were away (the webhook has not arrived yet): settle
        // that order and start a new one for what is in the cart now.
        order_store::apply_outcome(&state.pool, order.id, &outcome).await?;
        return Ok(None);
    }
    let delivery = delivery_for(&order, cart);
    let amount = cart.total.amount + delivery.price;
    let agrees = order.matches(cart)
        && order.delivery.amount == delivery.price
        && order.shipping == delivery.address
        && existing.amount == amount
        && stripe_shipping(&existing) == delivery.address;
    if agrees {
        return Ok(Some((order, existing)));
    }
    // The order's lines and the intent's amount change together. Stripe is
    // asked first, outside any transaction (a slow Stripe holds no lock),
    // then the new lines are written in a short transaction, only if the
    // order is still the version read above. If another request changed it
    // meanwhile, start over: its amount or ours is then set again, so Stripe
    // and the order end up agreeing. A payment made in another tab at the
    // old amount makes Stripe refuse the update, so the lines it paid for stay.
    let updated = state
        .stripe
        .update_payment_intent(
            intent,
            order.id,
            order.version,
            amount,
            delivery.address.as_ref(),
        )
        .await?;
    if !order_store::replace_lines(&state.pool, order.id, order.version, cart, &delivery).await? {
        return Ok(None);
    }
    order = order_store::find(&state.pool, customer.id, order.id)
        .await?
        .ok_or(CheckoutError::Contended)?;
    Ok(Some((order, updated)))
}

/// The order's first PaymentIntent, for its total, written on the order.
async fn create_intent(
    state: &AppState,
    customer: &Customer,
    stripe_customer: &str,
    order: &Order,
) -> Result<PaymentIntent, CheckoutError> {
    let created = state
        .stripe
        .create_payment_intent(&NewPaymentIntent {
            order_id: order.id,
            amount: order.total.amount,
            currency: order.total.currency.code(),
            customer: stripe_customer,
            receipt_email: &customer.email,
            description: format!("Rustic Roast order {}", order.id),
            shipping: order.shipping.as_ref(),
        })
        .await?;
    order_store::set_payment_intent(&state.pool, order.id, &created.id).await?;
    Ok(created)
}

/// What delivering `cart` costs for `order`: its address priced for these
/// lines; none for downloads. An address the rates no longer cover is
/// dropped, so the shopper is asked for another.
fn delivery_for(order: &Order, cart: &Cart) -> Delivery {
    let priced = order
        .shipping
        .as_ref()
        .filter(|_| cart.needs_shipping())
        .and_then(|address| {
            let price = catalog::delivery_rates().quote(&address.country, cart.total)?;
            Some((address.clone(), price.amount))
        });
    let (address, price) = priced.map_or((None, 0), |(address, price)| (Some(address), price));
    Delivery { address, price }
}

/// The shipping address a PaymentIntent carries, as the shop writes them.
fn stripe_shipping(intent: &PaymentIntent) -> Option<ShippingAddress> {
    intent
        .shipping
        .as_ref()
        .and_then(|s| s.to_address().cleaned().ok())
}

/// The customer's saved shipping address at Stripe; `None` when there is
/// none, or it is incomplete (the shopper then writes it in full). Whether
/// the shop delivers there is the rates' question.
async fn saved_address(
    state: &AppState,
    stripe_customer: &str,
) -> Result<Option<ShippingAddress>, CheckoutError> {
    let customer = state.stripe.retrieve_customer(stripe_customer).await?;
    Ok(customer
        .shipping
        .and_then(|s| s.to_address().cleaned().ok()))
}

/// Gives the order `address`, delivered for `price`: the PaymentIntent's
/// amount and shipping at Stripe first, outside any transaction, then the
/// order, only if it is still the version read. `None` (nothing written to
/// the order) when it changed meanwhile; the next read puts Stripe right.
async fn apply_address(
    state: &AppState,
    order: &Order,
    address: &ShippingAddress,
    price: i64,
) -> Result<Option<Order>, CheckoutError> {
    if let Some(intent) = &order.payment_intent_id {
        let amount = order.subtotal().amount + price;
        match state
            .stripe
            .update_payment_intent(intent, order.id, order.version, amount, Some(address))
            .await
        {
            Ok(_) => {}
            Err(err) if err.status() == Some(400) => {
                settled_elsewhere(state, order.id, intent).await?;
                return Ok(None);
            }
            Err(err) => return Err(err.into()),
        }
    }
    if !order_store::set_delivery(&state.pool, order.id, order.version, address, price).await? {
        return Ok(None);
    }
    Ok(order_store::find(&state.pool, order.customer, order.id).await?)
}

/// Sets where the customer's open order `order_id` is shipped, priced by
/// the shop's rates. With `shown_version`, the order must still be the
/// version the shopper's page shows, or nothing is written (`Stale`): a
/// payment is made only when the address, delivery and total the shopper
/// saw are the ones to be charged. With `save`, the address also becomes
/// the customer's shipping address at Stripe (the next checkout's prefill).
pub async fn set_address(
    state: &AppState,
    customer: &Customer,
    order_id: i64,
    shown_version: Option<i64>,
    address: ShippingAddress,
    save: bool,
) -> Result<AddressOutcome, CheckoutError> {
    let address = address.cleaned()?;
    let order = order_store::find(&state.pool, customer.id, order_id)
        .await?
        .ok_or(CheckoutError::UnknownOrder)?;
    if !order.status.is_open() || !order.needs_shipping() {
        return Ok(AddressOutcome::Stale);
    }
    let price = catalog::delivery_rates()
        .quote_for(&address, order.subtotal())?
        .amount;
    if shown_version.is_some_and(|shown| shown != order.version) {
        return Ok(AddressOutcome::Stale);
    }
    if save {
        remember_address(state, customer, &address).await;
    }
    if order.shipping.as_ref() == Some(&address) && order.delivery.amount == price {
        return Ok(AddressOutcome::Unchanged(order));
    }
    Ok(match apply_address(state, &order, &address, price).await? {
        Some(order) => AddressOutcome::Updated(order),
        None => AddressOutcome::Stale,
    })
}

/// Saves the address as the customer's at Stripe. A failure is logged, not
/// the shopper's problem: the order has its own copy, only the next
/// checkout's prefill is missed.
async fn remember_address(state: &AppState, customer: &Customer, address: &ShippingAddress) {
    let Some(stripe_customer) = &customer.stripe_customer_id else {
        return;
    };
    if let Err(err) = state
        .stripe
        .set_customer_shipping(stripe_customer, address)
        .await
    {
        tracing::warn!(customer = customer.id.0, error = %err, "could not save the shipping address at Stripe");
    }
}

/// The return page: the order this intent pays, if it is the signed-in
/// customer's and the client secret matches; updated from Stripe's view.
/// Anything else (unknown, foreign, mismatched) is `None`, and changes nothing.
pub async fn resolve_return(
    state: &AppState,
    customer: &Customer,
    payment_intent: &str,
    client_secret: &str,
) -> Result<Option<Order>, CheckoutError> {
    let Some(order) = order_store::by_payment_intent(&state.pool, payment_intent).await? else {
        return Ok(None);
    };
    if order.customer != customer.id {
        return Ok(None);
    }
    let intent = match state.stripe.retrieve_payment_intent(payment_intent).await {
        Ok(pi) => pi,
        Err(StripeError::Api { status: 404, .. }) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    if intent.client_secret.as_deref() != Some(client_secret) {
        return Ok(None);
    }
    apply_intent(state, order.id, &intent).await?;
    Ok(order_store::find(&state.pool, customer.id, order.id).await?)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::time::Duration;

    use super::*;
    use crate::orders::OrderStatus;
    use crate::server::stripe::{Form, RetryPolicy, Secret, StripeClient, StripeSettings};
    use crate::server::{customers, db, seed, ShopSettings};

    struct Shop {
        state: AppState,
        _emulator: stripe_emulator::Emulator,
    }

    async fn shop() -> Shop {
        let emulator = stripe_emulator::start(stripe_emulator::Config {
            addr: "127.0.0.1:0".parse().unwrap(),
            settle_after: Duration::from_millis(200),
            ..Default::default()
        })
        .await
        .unwrap();
        let pool = db::for_tests().await.unwrap();
        seed::catalog(&pool).await.unwrap();
        seed::demo_customers(&pool).await.unwrap();
        let state = AppState {
            leptos_options: leptos_config::LeptosOptions::builder()
                .output_name("test")
                .build(),
            assets: Default::default(),
            pool,
            settings: Arc::new(ShopSettings::default()),
            stripe: StripeClient::new(StripeSettings {
                api_base: emulator.base_url.clone(),
                secret_key: Secret::new(emulator.secret_key.clone()),
                publishable_key: emulator.publishable_key.clone(),
                js_url: format!("{}/v3/", emulator.base_url),
                retry: RetryPolicy {
                    max_retries: 1,
                    initial_delay: Duration::from_millis(5),
                    max_delay: Duration::from_millis(10),
                },
            }),
            webhook_secret: Secret::new("whsec_unused_in_these_tests"),
        };
        Shop {
            state,
            _emulator: emulator,
        }
    }

    async fn customer(state: &AppState, email: &str) -> Customer {
        customers::find_by_email(&state.pool, email)
            .await
            .unwrap()
            .unwrap()
    }

    fn address_in(country: &str) -> ShippingAddress {
        ShippingAddress::example_in(country)
    }

    /// The checkout, ready to pay: a customer without a saved address
    /// gives one in their own country first.
    async fn ready(state: &AppState, c: &Customer) -> Started {
        let c = customers::find(&state.pool, c.id).await.unwrap().unwrap();
        match start(state, &c).await.unwrap() {
            Checkout::Ready(started) => *started,
            Checkout::NeedsAddress(step) => {
                let address = address_in(&c.country);
                set_address(state, &c, step.order.id, None, address, false)
                    .await
                    .unwrap();
                match start(state, &c).await.unwrap() {
                    Checkout::Ready(started) => *started,
                    other => panic!("still not ready: {other:?}"),
                }
            }
            Checkout::EmptyCart => panic!("the cart is not empty"),
        }
    }

    async fn confirm(state: &AppState, pi: &str, pm: &str) -> PaymentIntent {
        state
            .stripe
            .post(
                &format!("/v1/payment_intents/{pi}/confirm"),
                &Form::new()
                    .field("payment_method", pm)
                    .field("return_url", "https://shop.test/checkout/complete"),
                &format!("confirm-{pi}-{pm}"),
            )
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn an_amount_stripe_refuses_leaves_the_order_as_stripe_has_it() {
        let shop = shop().await;
        let s = &shop.state;
        let c = customer(s, "aoife@example.ie").await;
        cart_store::add(&s.pool, c.id, "mug", 1).await.unwrap();
        let first = ready(s, &c).await;
        let pi = first.order.payment_intent_id.clone().unwrap();
        // Stripe will refuse to change this intent's amount (as it does once
        // another tab has paid it, or it was canceled in the Dashboard).
        let _: serde_json::Value = s
            .stripe
            .post(
                &format!("/v1/payment_intents/{pi}/cancel"),
                &Form::new(),
                "cancel-under-the-checkout",
            )
            .await
            .unwrap();
        cart_store::add(&s.pool, c.id, "beans", 1).await.unwrap();
        assert!(start(s, &c).await.is_err());
        let order = order_store::find(&s.pool, c.id, first.order.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(order.total, first.order.total, "the amount Stripe has");
        assert_eq!(order.lines, first.order.lines, "the lines it pays for");
    }

    #[tokio::test]
    async fn concurrent_starts_of_one_checkout_share_one_order_and_one_intent() {
        let shop = shop().await;
        let s = &shop.state;
        let c = customer(s, "jordan@example.com").await;
        cart_store::add(&s.pool, c.id, "mug", 1).await.unwrap();
        // Eight at once on a new order, then eight at once after the cart changed.
        for round in 0..2 {
            if round == 1 {
                cart_store::add(&s.pool, c.id, "beans", 2).await.unwrap();
            }
            let mut starts = tokio::task::JoinSet::new();
            for _ in 0..8 {
                let (s, c) = (s.clone(), c.clone());
                starts.spawn(async move { start(&s, &c).await });
            }
            let mut seen = std::collections::BTreeSet::new();
            while let Some(started) = starts.join_next().await {
                let Checkout::Ready(started) = started.unwrap().unwrap() else {
                    panic!("a cart to pay")
                };
                seen.insert((started.order.id, started.order.payment_intent_id.clone()));
            }
            assert_eq!(seen.len(), 1, "round {round}: {seen:?}");
            let (order, intent) = seen.pop_first().unwrap();
            let order = order_store::find(&s.pool, c.id, order)
                .await
                .unwrap()
                .unwrap();
            let cart = cart_store::priced(&s.pool, c.id, c.currency).await.unwrap();
            assert!(order.matches(&cart), "round {round}");
            let pi = s
                .stripe
                .retrieve_payment_intent(&intent.unwrap())
                .await
                .unwrap();
            assert_eq!(pi.amount, order.total.amount, "Stripe and the order agree");
        }
    }

    #[tokio::test]
    async fn a_slow_stripe_holds_no_lock_other_customers_write_meanwhile() {
        let shop = shop().await;
        let s = &shop.state;
        let aoife = customer(s, "aoife@example.ie").await;
        cart_store::add(&s.pool, aoife.id, "mug", 1).await.unwrap();
        ready(s, &aoife).await;
        // The amount will change: the checkout asks Stripe to update its intent.
        cart_store::add(&s.pool, aoife.id, "beans", 1)
            .await
            .unwrap();
        let _: serde_json::Value = s
            .stripe
            .post(
                "/_emulator/faults",
                &Form::new().field("delay_ms", 2000).field("count", 3),
                "slow-stripe",
            )
            .await
            .unwrap();
        let slow = tokio::spawn({
            let (s, aoife) = (s.clone(), aoife.clone());
            async move { start(&s, &aoife).await }
        });
        // Well inside the amount update, the last of the slow calls.
        tokio::time::sleep(Duration::from_millis(2500)).await;
        let jordan = customer(s, "jordan@example.com").await;
        cart_store::add(&s.pool, jordan.id, "grinder", 1)
            .await
            .unwrap();
        // And a sign-in (a new session row) goes through too.
        crate::server::sessions::create(&s.pool, jordan.id, 3600)
            .await
            .unwrap();
        assert!(
            !slow.is_finished(),
            "another customer's cart was written while Stripe was still answering"
        );
        assert!(matches!(slow.await.unwrap().unwrap(), Checkout::Ready(_)));
    }

    #[tokio::test]
    async fn following_a_payment_asks_stripe_at_most_once_per_order_every_30_seconds() {
        let shop = shop().await;
        let s = &shop.state;
        let c = customer(s, "jordan@example.com").await;
        cart_store::add(&s.pool, c.id, "mug", 1).await.unwrap();
        let order = ready(s, &c).await.order;
        assert!(
            refresh_from_stripe(s, &order).await.unwrap(),
            "the first look asks Stripe"
        );
        for _ in 0..5 {
            assert!(
                !refresh_from_stripe(s, &order).await.unwrap(),
                "then the database answers"
            );
        }
        // Thirty seconds later, one more question.
        sqlx::query("UPDATE orders SET stripe_checked_at = stripe_checked_at - 30 WHERE id = $1")
            .bind(order.id)
            .execute(&s.pool)
            .await
            .unwrap();
        assert!(refresh_from_stripe(s, &order).await.unwrap());
        assert!(!refresh_from_stripe(s, &order).await.unwrap());
    }

    #[tokio::test]
    async fn an_order_whose_intent_stripe_does_not_know_is_replaced() {
        let shop = shop().await;
        let s = &shop.state;
        let c = customer(s, "aoife@example.ie").await;
        cart_store::add(&s.pool, c.id, "mug", 1).await.unwrap();
        let first = ready(s, &c).await;
        // As after a reset of a test-mode account.
        sqlx::query("UPDATE orders SET payment_intent_id = 'pi_unknown' WHERE id = $1")
            .bind(first.order.id)
            .execute(&s.pool)
            .await
            .unwrap();
        let again = ready(s, &c).await;
        assert_ne!(again.order.id, first.order.id);
        assert_eq!(again.order.total, first.order.total);
        assert!(again.client_secret.contains("_secret_"));
        let old = order_store::find(&s.pool, c.id, first.order.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(old.status, crate::orders::OrderStatus::Canceled);
    }

    async fn stripe_shipping_of(s: &AppState, order: &Order) -> (i64, Option<ShippingAddress>) {
        let pi = s
            .stripe
            .retrieve_payment_intent(order.payment_intent_id.as_deref().unwrap())
            .await
            .unwrap();
        (pi.amount, stripe_shipping(&pi))
    }

    #[tokio::test]
    async fn a_saved_address_at_stripe_is_priced_at_once() {
        let shop = shop().await;
        let s = &shop.state;
        let jordan = customer(s, "jordan@example.com").await;
        cart_store::add(&s.pool, jordan.id, "mug", 1).await.unwrap();
        let Checkout::Ready(started) = start(s, &jordan).await.unwrap() else {
            panic!("Jordan's saved address is used at once")
        };
        let order = started.order;
        let address = order.shipping.clone().unwrap();
        assert_eq!(
            (address.city.as_str(), address.state.as_str()),
            ("New York", "NY")
        );
        assert_eq!(order.delivery.amount, 699, "the United States, in dollars");
        assert_eq!(order.total.amount, 1550 + 699);
        assert_eq!(
            stripe_shipping_of(s, &order).await,
            (1550 + 699, Some(address)),
            "the intent charges the delivery and ships there"
        );
    }

    #[tokio::test]
    async fn without_an_address_no_intent_secret_is_handed_out() {
        let shop = shop().await;
        let s = &shop.state;
        let aoife = customer(s, "aoife@example.ie").await;
        cart_store::add(&s.pool, aoife.id, "mug", 1).await.unwrap();
        let Checkout::NeedsAddress(step) = start(s, &aoife).await.unwrap() else {
            panic!("Aoife has no saved address")
        };
        assert_eq!(step.saved_refused, None);
        assert_eq!(step.order.shipping, None);
        let aoife = customers::find(&s.pool, aoife.id).await.unwrap().unwrap();
        let outcome = set_address(
            s,
            &aoife,
            step.order.id,
            Some(step.order.version),
            address_in("IE"),
            false,
        )
        .await
        .unwrap();
        let AddressOutcome::Updated(order) = outcome else {
            panic!("{outcome:?}")
        };
        assert_eq!(order.delivery.amount, 790, "Europe");
        assert_eq!(order.version, step.order.version + 1);
        let Checkout::Ready(started) = start(s, &aoife).await.unwrap() else {
            panic!("now payable")
        };
        assert_eq!(started.order.total.amount, 1450 + 790);
        assert_eq!(
            stripe_shipping_of(s, &started.order).await,
            (1450 + 790, Some(address_in("IE")))
        );
        // Not asked to save: Stripe's customer has no address.
        let at_stripe = s
            .stripe
            .retrieve_customer(aoife.stripe_customer_id.as_deref().unwrap())
            .await
            .unwrap();
        assert_eq!(at_stripe.shipping, None);
    }

    #[tokio::test]
    async fn another_country_reprices_and_a_stale_page_changes_nothing() {
        let shop = shop().await;
        let s = &shop.state;
        let jordan = customer(s, "jordan@example.com").await;
        cart_store::add(&s.pool, jordan.id, "mug", 1).await.unwrap();
        let shown = ready(s, &jordan).await.order;
        let jordan = customers::find(&s.pool, jordan.id).await.unwrap().unwrap();
        // Another tab ships to France.
        let AddressOutcome::Updated(france) =
            set_address(s, &jordan, shown.id, None, address_in("FR"), false)
                .await
                .unwrap()
        else {
            panic!("a new address")
        };
        assert_eq!(france.delivery.amount, 550, "France, in dollars");
        assert_eq!(stripe_shipping_of(s, &france).await.0, 1550 + 550);
        // The first tab pays with what it shows: refused, nothing written.
        let home = shown.shipping.clone().unwrap();
        assert_eq!(
            set_address(
                s,
                &jordan,
                shown.id,
                Some(shown.version),
                home.clone(),
                false
            )
            .await
            .unwrap(),
            AddressOutcome::Stale
        );
        let now = order_store::find(&s.pool, jordan.id, shown.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(now, france);
        // At the version it now shows, the same address is what is charged.
        assert!(matches!(
            set_address(
                s,
                &jordan,
                shown.id,
                Some(france.version),
                address_in("fr"),
                false
            )
            .await
            .unwrap(),
            AddressOutcome::Unchanged(_)
        ));
        // And back home: the intent follows.
        let AddressOutcome::Updated(back) = set_address(
            s,
            &jordan,
            shown.id,
            Some(france.version),
            home.clone(),
            false,
        )
        .await
        .unwrap() else {
            panic!("changed")
        };
        assert_eq!(stripe_shipping_of(s, &back).await, (1550 + 699, Some(home)));
    }

    #[tokio::test]
    async fn an_address_the_shop_cannot_use_is_refused_and_changes_nothing() {
        let shop = shop().await;
        let s = &shop.state;
        let jordan = customer(s, "jordan@example.com").await;
        cart_store::add(&s.pool, jordan.id, "mug", 1).await.unwrap();
        let order = ready(s, &jordan).await.order;
        let canada = address_in("JP");
        assert!(matches!(
            set_address(s, &jordan, order.id, None, canada, false).await,
            Err(CheckoutError::Address(AddressError::NotDelivered(c))) if c == "JP"
        ));
        let no_street = ShippingAddress {
            line1: " ".into(),
            ..address_in("US")
        };
        assert!(matches!(
            set_address(s, &jordan, order.id, None, no_street, false).await,
            Err(CheckoutError::Address(AddressError::Missing(_)))
        ));
        let aoife = customer(s, "aoife@example.ie").await;
        assert!(
            matches!(
                set_address(s, &aoife, order.id, None, address_in("IE"), false).await,
                Err(CheckoutError::UnknownOrder)
            ),
            "another customer's order"
        );
        assert_eq!(
            order_store::find(&s.pool, jordan.id, order.id)
                .await
                .unwrap()
                .unwrap(),
            order
        );
        assert_eq!(stripe_shipping_of(s, &order).await.0, order.total.amount);
    }

    #[tokio::test]
    async fn a_saved_address_abroad_is_not_used_and_the_page_says_why() {
        let shop = shop().await;
        let s = &shop.state;
        let aoife = customer(s, "aoife@example.ie").await;
        cart_store::add(&s.pool, aoife.id, "mug", 1).await.unwrap();
        let stripe_id = stripe_customer(s, &aoife).await.unwrap();
        s.stripe
            .set_customer_shipping(&stripe_id, &address_in("JP"))
            .await
            .unwrap();
        let aoife = customers::find(&s.pool, aoife.id).await.unwrap().unwrap();
        let Checkout::NeedsAddress(step) = start(s, &aoife).await.unwrap() else {
            panic!("not delivered there")
        };
        assert_eq!(
            step.saved_refused,
            Some(AddressError::NotDelivered("JP".into()))
        );
    }

    #[tokio::test]
    async fn saving_an_address_prefills_the_next_checkout() {
        let shop = shop().await;
        let s = &shop.state;
        let aoife = customer(s, "aoife@example.ie").await;
        cart_store::add(&s.pool, aoife.id, "mug", 1).await.unwrap();
        let Checkout::NeedsAddress(step) = start(s, &aoife).await.unwrap() else {
            panic!("no address yet")
        };
        let aoife = customers::find(&s.pool, aoife.id).await.unwrap().unwrap();
        set_address(s, &aoife, step.order.id, None, address_in("IE"), true)
            .await
            .unwrap();
        let paid = ready(s, &aoife).await;
        confirm(
            s,
            paid.order.payment_intent_id.as_deref().unwrap(),
            "pm_card_visa",
        )
        .await;
        refresh_from_stripe(s, &paid.order).await.unwrap();
        cart_store::add(&s.pool, aoife.id, "beans", 1)
            .await
            .unwrap();
        let Checkout::Ready(next) = start(s, &aoife).await.unwrap() else {
            panic!("the saved address is used")
        };
        assert_ne!(next.order.id, paid.order.id);
        assert_eq!(next.order.shipping, Some(address_in("IE")));
        assert_eq!(next.order.total.amount, 1290 + 790);
    }

    #[tokio::test]
    async fn delivery_follows_the_lines_free_from_a_subtotal_and_downloads_have_none() {
        let shop = shop().await;
        let s = &shop.state;
        let camille = customer(s, "camille@example.fr").await;
        cart_store::add(&s.pool, camille.id, "brewing-guide", 1)
            .await
            .unwrap();
        let guide = ready(s, &camille).await.order;
        assert_eq!((guide.shipping.clone(), guide.delivery.amount), (None, 0));
        assert_eq!(stripe_shipping_of(s, &guide).await, (600, None));
        // A mug to ship: the saved address in France, at its price.
        cart_store::add(&s.pool, camille.id, "mug", 1)
            .await
            .unwrap();
        let mug = ready(s, &camille).await.order;
        assert_eq!(mug.id, guide.id);
        assert_eq!(mug.delivery.amount, 490);
        assert_eq!(stripe_shipping_of(s, &mug).await.0, 600 + 1450 + 490);
        // A grinder takes the lines past €50: delivery is free.
        cart_store::add(&s.pool, camille.id, "grinder", 1)
            .await
            .unwrap();
        let free = ready(s, &camille).await.order;
        assert_eq!(free.delivery.amount, 0);
        assert_eq!(free.total.amount, 600 + 1450 + 5900);
        assert!(free.shipping.is_some());
        assert_eq!(stripe_shipping_of(s, &free).await.0, free.total.amount);
    }

    #[tokio::test]
    async fn an_empty_cart_has_nothing_to_pay() {
        let shop = shop().await;
        let c = customer(&shop.state, "aoife@example.ie").await;
        assert_eq!(start(&shop.state, &c).await.unwrap(), Checkout::EmptyCart);
    }

    #[tokio::test]
    async fn one_order_and_one_intent_whose_amount_follows_the_cart() {
        let shop = shop().await;
        let s = &shop.state;
        let c = customer(s, "camille@example.fr").await;
        cart_store::add(&s.pool, c.id, "mug", 2).await.unwrap();
        let first = ready(s, &c).await;
        // Two mugs, delivered to Camille's saved address in France.
        assert_eq!(first.order.total.amount, 2900 + 490);
        assert_eq!(first.order.delivery.amount, 490);
        assert_eq!(first.order.shipping.as_ref().unwrap().city, "Lyon");
        assert!(first.client_secret.contains("_secret_"));
        assert!(first
            .customer_session_client_secret
            .starts_with("cuss_secret_"));
        let pi_id = first.order.payment_intent_id.clone().unwrap();
        let pi = s.stripe.retrieve_payment_intent(&pi_id).await.unwrap();
        assert_eq!((pi.amount, pi.currency.as_str()), (3390, "eur"));
        assert_eq!(
            stripe_shipping(&pi),
            first.order.shipping,
            "the intent ships there too"
        );
        assert_eq!(
            pi.metadata.get("order_id"),
            Some(&first.order.id.to_string())
        );
        // The Stripe customer was created once and seeded with a card and a SEPA account.
        let c = customers::find(&s.pool, c.id).await.unwrap().unwrap();
        let stripe_id = c.stripe_customer_id.clone().unwrap();
        assert_eq!(pi.customer.as_deref(), Some(stripe_id.as_str()));
        let saved = s.stripe.list_payment_methods(&stripe_id).await.unwrap();
        let mut kinds: Vec<_> = saved.data.iter().map(|m| m.kind.as_str()).collect();
        kinds.sort();
        assert_eq!(kinds, ["card", "sepa_debit"]);
        assert!(saved
            .data
            .iter()
            .all(|m| m.allow_redisplay.as_deref() == Some("always")));

        // Loading again: same order, same intent, a fresh customer session.
        let again = ready(s, &c).await;
        assert_eq!(again.order.id, first.order.id);
        assert_eq!(
            again.order.payment_intent_id.as_deref(),
            Some(pi_id.as_str())
        );
        assert_ne!(
            again.customer_session_client_secret,
            first.customer_session_client_secret
        );
        assert_eq!(
            s.stripe
                .list_payment_methods(&stripe_id)
                .await
                .unwrap()
                .data
                .len(),
            2,
            "seeded once"
        );

        // The cart changes: the same intent now asks for the new amount.
        cart_store::add(&s.pool, c.id, "beans", 1).await.unwrap();
        let changed = ready(s, &c).await;
        assert_eq!(changed.order.id, first.order.id);
        assert_eq!(changed.order.total.amount, 2900 + 1290 + 490);
        assert_eq!(changed.order.lines.len(), 2);
        assert_eq!(
            s.stripe
                .retrieve_payment_intent(&pi_id)
                .await
                .unwrap()
                .amount,
            4680
        );
    }

    #[tokio::test]
    async fn the_return_page_trusts_only_stripe_and_the_session() {
        let shop = shop().await;
        let s = &shop.state;
        let jordan = customer(s, "jordan@example.com").await;
        let aoife = customer(s, "aoife@example.ie").await;
        cart_store::add(&s.pool, jordan.id, "grinder", 1)
            .await
            .unwrap();
        let started = ready(s, &jordan).await;
        let pi = started.order.payment_intent_id.clone().unwrap();
        let secret = started.client_secret.clone();
        // Unknown, foreign, or with the wrong secret: nothing, and nothing changes.
        assert_eq!(
            resolve_return(s, &jordan, "pi_unknown", &secret)
                .await
                .unwrap(),
            None
        );
        assert_eq!(resolve_return(s, &aoife, &pi, &secret).await.unwrap(), None);
        assert_eq!(
            resolve_return(s, &jordan, &pi, "pi_x_secret_forged")
                .await
                .unwrap(),
            None
        );
        assert_eq!(
            order_store::find(&s.pool, jordan.id, started.order.id)
                .await
                .unwrap()
                .unwrap()
                .status,
            OrderStatus::AwaitingPayment
        );
        // Not paid yet: still awaiting payment, whatever the address bar says.
        let pending = resolve_return(s, &jordan, &pi, &secret)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(pending.status, OrderStatus::AwaitingPayment);
        // A decline: the order shows why, and stays payable.
        let declined = s
            .stripe
            .post::<PaymentIntent>(
                &format!("/v1/payment_intents/{pi}/confirm"),
                &Form::new()
                    .field("payment_method", "pm_card_visa_chargeDeclined")
                    .field("return_url", "https://shop.test/r"),
                "decline-1",
            )
            .await;
        assert!(declined.is_err());
        let failed = resolve_return(s, &jordan, &pi, &secret)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(failed.status, OrderStatus::PaymentFailed);
        assert_eq!(
            failed.failure_message.as_deref(),
            Some("Your card was declined.")
        );
        assert_eq!(
            failed.failure_reason,
            Some(crate::orders::FailureReason::CardDeclined)
        );
        // Paid with another card: the same order is paid and leaves the cart.
        confirm(s, &pi, "pm_card_visa").await;
        let paid = resolve_return(s, &jordan, &pi, &secret)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(paid.id, started.order.id);
        assert_eq!(paid.status, OrderStatus::Paid);
        assert!(paid.paid_at.is_some());
        assert!(cart_store::items(&s.pool, jordan.id)
            .await
            .unwrap()
            .is_empty());
        // Paying twice is impossible; resolving twice changes nothing.
        assert_eq!(
            resolve_return(s, &jordan, &pi, &secret)
                .await
                .unwrap()
                .unwrap()
                .status,
            OrderStatus::Paid
        );
    }

    /// Camille checks out a pour-over kit and confirms with the SEPA test
    /// payment method `pm` (processing, then succeeding or failing).
    async fn camille_pays_by_debit(s: &AppState, pm: &str) -> (Customer, Started, PaymentIntent) {
        let camille = customer(s, "camille@example.fr").await;
        cart_store::add(&s.pool, camille.id, "pour-over-kit", 1)
            .await
            .unwrap();
        let started = ready(s, &camille).await;
        let pi = started.order.payment_intent_id.clone().unwrap();
        let confirmed = confirm(s, &pi, pm).await;
        (camille, started, confirmed)
    }

    #[tokio::test]
    async fn a_failed_debit_brings_its_items_back_and_the_same_order_can_be_paid() {
        let shop = shop().await;
        let s = &shop.state;
        let (camille, started, _) = camille_pays_by_debit(s, "pm_failed_de").await;
        let order = order_store::find(&s.pool, camille.id, started.order.id)
            .await
            .unwrap()
            .unwrap();
        refresh_from_stripe(s, &order).await.unwrap();
        assert!(
            cart_store::priced(&s.pool, camille.id, camille.currency)
                .await
                .unwrap()
                .is_empty(),
            "left with processing"
        );
        tokio::time::sleep(Duration::from_millis(600)).await;
        sqlx::query("UPDATE orders SET stripe_checked_at = NULL")
            .execute(&s.pool)
            .await
            .unwrap();
        refresh_from_stripe(s, &order).await.unwrap();
        let failed = order_store::find(&s.pool, camille.id, order.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(failed.status, OrderStatus::PaymentFailed);
        // "Pay again" finds the items, and pays the same order.
        let again = ready(s, &camille).await;
        assert_eq!(again.order.id, order.id);
        assert_eq!(again.order.total.amount, 3400 + 490);
    }

    #[tokio::test]
    async fn a_debit_failing_after_a_new_order_opened_cancels_and_hands_its_items_over() {
        let shop = shop().await;
        let s = &shop.state;
        let (camille, started, _) = camille_pays_by_debit(s, "pm_failed_de").await;
        cart_store::add(&s.pool, camille.id, "mug", 1)
            .await
            .unwrap();
        let next = ready(s, &camille).await;
        assert_ne!(next.order.id, started.order.id);
        tokio::time::sleep(Duration::from_millis(600)).await;
        let first = order_store::find(&s.pool, camille.id, started.order.id)
            .await
            .unwrap()
            .unwrap();
        // Before, this failed on the one-open-order rule, for ever (webhooks too).
        refresh_from_stripe(s, &first).await.unwrap();
        let first = order_store::find(&s.pool, camille.id, started.order.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(first.status, OrderStatus::Canceled);
        assert_eq!(
            first.failure_reason,
            Some(crate::orders::FailureReason::BankDeclined)
        );
        let failure_notices: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM messages WHERE order_id = $1 AND kind = 'payment_failed'",
        )
        .bind(first.id)
        .fetch_one(&s.pool)
        .await
        .unwrap();
        assert_eq!(failure_notices, 1, "the customer is told");
        let merged = ready(s, &camille).await;
        assert_eq!(merged.order.id, next.order.id);
        assert_eq!(
            merged.order.total.amount,
            3400 + 1450 + 490,
            "its items joined the open order (delivered in France)"
        );
    }

    #[tokio::test]
    async fn a_debit_processes_then_a_new_cart_gets_a_new_order() {
        let shop = shop().await;
        let s = &shop.state;
        let (camille, started, confirmed) = camille_pays_by_debit(s, "pm_success_de").await;
        assert_eq!(
            confirmed.status,
            crate::server::stripe::PaymentIntentStatus::Processing
        );
        // The customer comes back to shop before the webhook: the processing
        // order is settled as such, and the new cart is a new order.
        cart_store::add(&s.pool, camille.id, "mug", 1)
            .await
            .unwrap();
        let next = ready(s, &camille).await;
        assert_ne!(next.order.id, started.order.id);
        assert_eq!(
            next.order.total.amount,
            1450 + 490,
            "a mug, delivered in France"
        );
        let first = order_store::find(&s.pool, camille.id, started.order.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(first.status, OrderStatus::Processing);
        assert_eq!(
            order_store::list(&s.pool, camille.id).await.unwrap().len(),
            2
        );
    }
}
