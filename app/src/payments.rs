//! Paying for the cart: the server functions of the checkout, the return
//! page and the order history, and the types they share with the browser.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::ShopError;
use shop::delivery::ShippingAddress;
use shop::i18n::LocalizedText;
use shop::money::Money;
use shop::orders::{FailureReason, Fulfilment, OrderEvent, OrderStatus, PaymentMethodSummary};

#[cfg(feature = "ssr")]
use crate::request;
#[cfg(feature = "ssr")]
use shop::server::{checkout, order_store};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderLineView {
    pub product_id: String,
    pub name: LocalizedText,
    pub quantity: u32,
    pub line_total: Money,
    pub digital: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderView {
    pub id: i64,
    pub status: OrderStatus,
    /// What is charged: the lines plus delivery.
    pub total: Money,
    /// What delivery costs (zero when free, or before an address is known).
    pub delivery: Money,
    /// Where it is shipped; `None` for downloads and before it is known.
    pub shipping: Option<ShippingAddress>,
    pub lines: Vec<OrderLineView>,
    /// Why the last payment attempt failed (pages say it in the shopper's language).
    pub failure: Option<FailureReason>,
    pub created_at: i64,
    /// Changes with the order's lines and amount: what the checkout page
    /// shows is checked against it before paying.
    pub version: i64,
    /// How it was paid, once Stripe has said.
    pub payment_method: Option<PaymentMethodSummary>,
    pub fulfilment: Fulfilment,
    /// What was refunded of it (pending and succeeded refunds).
    pub refunded: Money,
}

impl OrderView {
    /// Parcels, downloads, or both.
    pub fn contents(&self) -> shop::orders::OrderContents {
        shop::orders::OrderContents::of(self.lines.iter().map(|l| l.digital))
    }

    /// Has something to ship (not only downloads).
    pub fn needs_shipping(&self) -> bool {
        self.lines.iter().any(|l| !l.digital)
    }

    /// The delivery line's price: "Free", the amount, or, before an
    /// address is known, that one is needed.
    pub fn delivery_text(&self, locale: shop::i18n::Locale) -> String {
        let texts = locale.texts();
        match &self.shipping {
            None => texts.delivery.delivery_pending.to_owned(),
            Some(_) => texts.delivery_price(self.delivery, locale),
        }
    }

    /// The lines added up, without delivery.
    pub fn subtotal(&self) -> Money {
        Money::new(
            self.total.amount - self.delivery.amount,
            self.total.currency,
        )
    }
}

/// A refund of the order, as its page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RefundView {
    pub amount: Money,
    pub at: i64,
    /// When it failed, if it did.
    pub failed_at: Option<i64>,
}

/// One order as its detail page and receipt show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum OrderDetailView {
    SignedOut,
    /// Unknown, or another customer's: the same answer for both.
    NotFound,
    Found {
        // Boxed: an order is large, the other answers are nothing.
        order: Box<OrderView>,
        history: Vec<OrderEvent>,
        refunds: Vec<RefundView>,
    },
}

/// What the browser needs to mount the Payment Element for an order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PaymentSetup {
    pub order: OrderView,
    pub publishable_key: String,
    pub stripe_js_url: String,
    pub client_secret: String,
    pub customer_session_client_secret: String,
    /// Prefilled in the element's form (`defaultValues.billingDetails`), so
    /// an Irish customer starts on Ireland.
    pub billing: BillingDefaults,
    /// The address step, for an order with something to ship.
    pub address: Option<AddressForm>,
}

impl PaymentSetup {
    /// The address comes first: no PaymentIntent secret is handed out
    /// before the order has an address and its delivery price.
    pub fn address_first(&self) -> bool {
        self.client_secret.is_empty()
    }
}

/// The address step of an order with something to ship.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AddressForm {
    /// What the fields start with: the order's address, else the
    /// customer's name and country.
    pub prefill: ShippingAddress,
    /// The countries the shop delivers to (ISO codes).
    pub countries: Vec<String>,
    /// The customer's saved address at Stripe is in a country the shop
    /// does not deliver to.
    pub saved_refused: bool,
}

/// What setting the address did (see `checkout::AddressOutcome`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AddressAnswer {
    /// Already the order's: what the page shows is what is charged.
    Unchanged,
    /// The order changed (delivery, total, version): show it again.
    Updated,
    /// The order is not the one the page shows: nothing was written.
    Stale,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BillingDefaults {
    pub name: String,
    pub email: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum CheckoutView {
    SignedOut,
    EmptyCart,
    Ready(Box<PaymentSetup>),
}

#[cfg(feature = "ssr")]
impl From<order_store::Order> for OrderView {
    fn from(order: order_store::Order) -> Self {
        let currency = order.total.currency;
        OrderView {
            id: order.id,
            status: order.status,
            total: order.total,
            delivery: order.delivery,
            shipping: order.shipping,
            lines: order
                .lines
                .into_iter()
                .map(|l| OrderLineView {
                    line_total: Money::new(l.unit_amount * i64::from(l.quantity), currency),
                    product_id: l.product_id,
                    name: l.name,
                    quantity: l.quantity,
                    digital: l.digital,
                })
                .collect(),
            failure: order.failure_reason,
            created_at: order.created_at,
            version: order.version,
            payment_method: order.payment_method,
            fulfilment: order.fulfilment,
            refunded: Money::new(order.refunded, currency),
        }
    }
}

/// Starts (or resumes) paying for the cart: the customer from the session,
/// the amount from the server's cart.
#[server(endpoint = "checkout/start")]
pub async fn start_checkout() -> Result<CheckoutView, ShopError> {
    let state = request::state()?;
    let Some(customer) = request::current_customer(&state).await? else {
        return Ok(CheckoutView::SignedOut);
    };
    let setup = |order: order_store::Order, secrets: Option<(String, String)>, saved_refused| {
        let settings = state.stripe.settings();
        let address = order.needs_shipping().then(|| AddressForm {
            prefill: order.shipping.clone().unwrap_or_else(|| ShippingAddress {
                name: customer.name.clone(),
                country: customer.country.clone(),
                ..Default::default()
            }),
            countries: shop::server::catalog::delivery_rates()
                .countries()
                .map(str::to_owned)
                .collect(),
            saved_refused,
        });
        let (client_secret, customer_session_client_secret) = secrets.unwrap_or_default();
        CheckoutView::Ready(Box::new(PaymentSetup {
            order: order.into(),
            publishable_key: settings.publishable_key.clone(),
            stripe_js_url: settings.js_url.clone(),
            client_secret,
            customer_session_client_secret,
            billing: BillingDefaults {
                name: customer.name.clone(),
                email: customer.email.clone(),
                country: customer.country.clone(),
            },
            address,
        }))
    };
    Ok(match checkout::start(&state, &customer).await? {
        checkout::Checkout::EmptyCart => CheckoutView::EmptyCart,
        checkout::Checkout::NeedsAddress(step) => {
            setup(step.order, None, step.saved_refused.is_some())
        }
        checkout::Checkout::Ready(started) => setup(
            started.order,
            Some((
                started.client_secret,
                started.customer_session_client_secret,
            )),
            false,
        ),
    })
}

/// Sets where the open order is shipped; the server prices delivery and
/// updates the order and its PaymentIntent. With `version` (the page's),
/// nothing is written unless the order is still that version: before
/// paying, the page asks this with what it shows, and pays only on
/// `Unchanged`. `save` (a checkbox: present when ticked) also saves the
/// address at Stripe for the next checkout. A plain form post comes back
/// to the checkout.
#[server(endpoint = "checkout/address")]
pub async fn set_delivery_address(
    order_id: i64,
    version: Option<i64>,
    // The form's fields: name, line1, line2, city, state, postal_code, country.
    #[server(flatten)] address: ShippingAddress,
    save: Option<String>,
) -> Result<AddressAnswer, ShopError> {
    let shop = request::state()?;
    let answer = async {
        let customer = request::require_customer(&shop).await?;
        let outcome =
            checkout::set_address(&shop, &customer, order_id, version, address, save.is_some())
                .await?;
        Ok(match outcome {
            checkout::AddressOutcome::Unchanged(_) => AddressAnswer::Unchanged,
            checkout::AddressOutcome::Updated(_) => AddressAnswer::Updated,
            checkout::AddressOutcome::Stale => AddressAnswer::Stale,
        })
    }
    .await;
    if request::wants_html() {
        // The checkout page shows the order as it now is, or why not.
        request::form_outcome(answer.map(|_| ()), None)?;
        return Ok(AddressAnswer::Updated);
    }
    answer
}

/// The return page: the order a PaymentIntent pays, if it is this
/// customer's and the client secret matches. Unknown, foreign and
/// mismatched all answer `None` alike.
#[server(endpoint = "checkout/return")]
pub async fn resolve_return(
    payment_intent: String,
    payment_intent_client_secret: String,
) -> Result<Option<OrderView>, ShopError> {
    let state = request::state()?;
    let customer = request::require_customer(&state).await?;
    let order = checkout::resolve_return(
        &state,
        &customer,
        &payment_intent,
        &payment_intent_client_secret,
    )
    .await?;
    Ok(order.map(OrderView::from))
}

/// One of the customer's orders, as the database has it (webhooks keep it
/// current); while its payment is undecided, Stripe is asked too, at most
/// once per order every 30 seconds (`checkout::refresh_from_stripe`).
#[server(endpoint = "orders/status")]
pub async fn get_order(order_id: i64) -> Result<Option<OrderView>, ShopError> {
    let state = request::state()?;
    let customer = request::require_customer(&state).await?;
    let Some(order) = order_store::find(&state.pool, customer.id, order_id).await? else {
        return Ok(None);
    };
    checkout::refresh_from_stripe(&state, &order).await?;
    let order = order_store::find(&state.pool, customer.id, order_id).await?;
    Ok(order.map(OrderView::from))
}

#[server(endpoint = "orders")]
pub async fn list_orders() -> Result<Option<Vec<OrderView>>, ShopError> {
    let state = request::state()?;
    let Some(customer) = request::current_customer(&state).await? else {
        return Ok(None);
    };
    let orders = order_store::list(&state.pool, customer.id).await?;
    Ok(Some(orders.into_iter().map(OrderView::from).collect()))
}

/// One of the customer's orders with its history. The payment method is
/// asked of Stripe here if no webhook has named it yet.
#[server(endpoint = "orders/detail")]
pub async fn order_detail(id: i64) -> Result<OrderDetailView, ShopError> {
    let state = request::state()?;
    let Some(customer) = request::current_customer(&state).await? else {
        return Ok(OrderDetailView::SignedOut);
    };
    let find = || order_store::find(&state.pool, customer.id, id);
    let Some(mut order) = find().await? else {
        return Ok(OrderDetailView::NotFound);
    };
    if order.payment_method.is_none() && order.payment_method_id.is_some() {
        match checkout::describe_payment_method(&state, order.id).await {
            Ok(()) => order = find().await?.unwrap_or(order),
            Err(err) => {
                tracing::warn!(order = order.id, error = %err, "could not name the payment method")
            }
        }
    }
    let history = order_store::history(&state.pool, order.id).await?;
    let currency = order.total.currency;
    let refunds = shop::server::refunds::of_order(&state.pool, order.id)
        .await?
        .into_iter()
        .map(|r| RefundView {
            amount: Money::new(r.amount, currency),
            at: r.created_at,
            failed_at: r.failed_at,
        })
        .collect();
    Ok(OrderDetailView::Found {
        order: Box::new(order.into()),
        history,
        refunds,
    })
}

/// Cancels one of the customer's unpaid orders (and its PaymentIntent at
/// Stripe: it can never be paid after). A form post comes back to the
/// order's page; another customer's order, or one already paid, is a 400
/// that changes nothing.
#[server(endpoint = "orders/cancel")]
pub async fn cancel_order(order_id: i64) -> Result<(), ShopError> {
    let state = request::state()?;
    let canceled = async {
        let customer = request::require_customer(&state).await?;
        match checkout::cancel_order(&state, &customer, order_id).await? {
            true => Ok(()),
            false => Err(ShopError::BadRequest(
                "this order cannot be canceled".into(),
            )),
        }
    }
    .await;
    request::form_outcome(canceled, Some("canceled=1".into()))
}
