//! Server functions of the account page (details, saved payment methods,
//! signing out everywhere) and of the development mailbox.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::ShopError;
use shop::i18n::Locale;
use shop::money::Currency;

#[cfg(feature = "ssr")]
use crate::request;
#[cfg(feature = "ssr")]
use shop::server::{message_store, sessions};

/// The signed-in customer's account, as its page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccountView {
    pub name: String,
    pub email: String,
    pub locale: Locale,
    pub currency: Currency,
    /// ISO code (`FR`).
    pub country: String,
    /// What the Payment Element offers them: their methods that Stripe may
    /// show again (`allow_redisplay: always`).
    pub methods: Vec<SavedMethod>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedMethod {
    /// Stripe's id (`pm_…`): what "Remove" names.
    pub id: String,
    pub summary: shop::orders::PaymentMethodSummary,
    /// `MM/YYYY`, for a card.
    pub expires: Option<String>,
}

/// `None` when nobody is signed in.
#[server(endpoint = "account")]
pub async fn get_account() -> Result<Option<AccountView>, ShopError> {
    let state = request::state()?;
    let Some(customer) = request::current_customer(&state).await? else {
        return Ok(None);
    };
    let methods = match &customer.stripe_customer_id {
        None => Vec::new(),
        Some(stripe_id) => state
            .stripe
            .list_payment_methods(stripe_id)
            .await
            .map_err(|err| {
                tracing::error!(%err, "listing saved payment methods");
                ShopError::PaymentUnavailable
            })?
            .data
            .into_iter()
            .filter(|m| m.allow_redisplay.as_deref() == Some("always"))
            .map(|m| SavedMethod {
                expires: m
                    .card
                    .as_ref()
                    .and_then(|card| Some(format!("{:02}/{}", card.exp_month?, card.exp_year?))),
                summary: m.summary(),
                id: m.id,
            })
            .collect(),
    };
    Ok(Some(AccountView {
        name: customer.name,
        email: customer.email,
        locale: customer.locale,
        currency: customer.currency,
        country: customer.country,
        methods,
    }))
}

/// Removes one of the signed-in customer's saved payment methods at Stripe
/// (detached: the Payment Element no longer offers it). Someone else's, or
/// an unknown id, is a 400 that changes nothing.
#[server(endpoint = "account/remove_method")]
pub async fn remove_saved_method(payment_method: String) -> Result<(), ShopError> {
    let state = request::state()?;
    let removed = async {
        let customer = request::require_customer(&state).await?;
        let refused = || ShopError::BadRequest("not one of your payment methods".into());
        let well_formed = payment_method.starts_with("pm_")
            && payment_method.len() <= 255
            && payment_method
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_');
        let Some(owner) = customer.stripe_customer_id.filter(|_| well_formed) else {
            return Err(refused());
        };
        let method = match state.stripe.retrieve_payment_method(&payment_method).await {
            Ok(method) => method,
            Err(err) if err.status() == Some(404) => return Err(refused()),
            Err(err) => {
                tracing::error!(%err, "reading a payment method to remove");
                return Err(ShopError::PaymentUnavailable);
            }
        };
        if method.customer.as_deref() != Some(owner.as_str()) {
            tracing::warn!("removal of a payment method of another customer refused");
            return Err(refused());
        }
        state
            .stripe
            .detach_payment_method(&payment_method)
            .await
            .map_err(|err| {
                tracing::error!(%err, "removing a payment method");
                ShopError::PaymentUnavailable
            })?;
        Ok(())
    }
    .await;
    request::form_outcome(removed, Some("removed=1".into()))
}

/// Ends every session of the signed-in customer, this one included.
#[server(endpoint = "account/sign_out_everywhere")]
pub async fn sign_out_everywhere() -> Result<(), ShopError> {
    let state = request::state()?;
    let customer = request::require_customer(&state).await?;
    let ended = sessions::delete_all_of(&state.pool, customer.id).await?;
    tracing::info!(customer = customer.id.0, ended, "signed out everywhere");
    request::set_cookie(
        sessions::SESSION_COOKIE,
        "",
        0,
        state.settings.secure_cookies,
    );
    request::redirect("/signin");
    Ok(())
}

/// One e-mail of the development mailbox.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MailboxMessage {
    pub id: i64,
    /// `sign_in_code`, `order_confirmed`, …
    pub kind: String,
    pub to: String,
    pub subject: String,
    pub body: String,
    /// A path on this shop, as the e-mail's last line links to.
    pub link: String,
    pub created_at: i64,
}

/// The last 50 e-mails the shop would have sent, when it has no SMTP and
/// runs the demo or the embedded emulator; `None` otherwise (the page is
/// then a 404).
#[server(endpoint = "dev/mailbox")]
pub async fn get_mailbox() -> Result<Option<Vec<MailboxMessage>>, ShopError> {
    let state = request::state()?;
    if !state.settings.dev_mailbox {
        return Ok(None);
    }
    let entries = message_store::mailbox(&state.pool, 50).await?;
    Ok(Some(
        entries
            .into_iter()
            .map(|e| MailboxMessage {
                id: e.id,
                kind: e.kind,
                to: e.recipient,
                subject: e.subject,
                body: e.body,
                link: e.link,
                created_at: e.created_at,
            })
            .collect(),
    ))
}
