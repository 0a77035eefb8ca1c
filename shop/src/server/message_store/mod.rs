//! Messages to customers: composed and queued inside the transaction that
//! changes the order (the outbox's write side), and listed for the
//! messages page. Every statement on the `messages` table is in this module;
//! the delivery worker (`server::outbox`) claims and records through
//! [`delivery`].

pub mod delivery;

use sqlx::{AnyConnection, AnyPool};

use super::customers::CustomerId;
use crate::i18n::{Locale, LocalizedText};
use crate::messages::{MessageDelivery, MessageKind, MessageView};
use crate::money::{Currency, Money};

/// What a message says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Composed {
    pub subject: String,
    pub body: String,
    pub link: String,
}

/// The facts about an order a message reports.
pub struct OrderFacts {
    pub order_id: i64,
    pub customer_name: String,
    pub total: Money,
    /// "2 × Stoneware mug" in the customer's language.
    pub lines: Vec<String>,
    /// Why the payment failed (told in the customer's language).
    pub failure_reason: Option<crate::orders::FailureReason>,
    /// The amount of the refund a message reports.
    pub refund: Option<Money>,
    /// What delivery cost and where the order goes, when it is shipped.
    pub shipping: Option<(Money, crate::delivery::ShippingAddress)>,
    /// Parcels, downloads or both: what "next" means.
    pub contents: crate::orders::OrderContents,
}

/// The last sentence of a confirmation or "payment pending" message: what
/// happens next, for what the order holds.
fn what_next(
    kind: MessageKind,
    locale: Locale,
    contents: crate::orders::OrderContents,
) -> &'static str {
    use crate::orders::OrderContents as C;
    match (kind, locale, contents) {
        (MessageKind::PaymentPending, Locale::En, C::Downloads) => "Your bank is processing the payment, which can take a few business days. Your downloads are open now, on the order's page.",
        (MessageKind::PaymentPending, Locale::En, _) => "Your bank is processing the payment, which can take a few business days. We will ship your order as soon as the payment is confirmed, and let you know.",
        (MessageKind::PaymentPending, Locale::Fr, C::Downloads) => "Votre banque traite le paiement, ce qui peut prendre quelques jours ouvrés. Vos téléchargements sont ouverts dès maintenant, sur la page de la commande.",
        (MessageKind::PaymentPending, Locale::Fr, _) => "Votre banque traite le paiement, ce qui peut prendre quelques jours ouvrés. Nous expédierons votre commande dès que le paiement sera confirmé, et vous en informerons.",
        (_, Locale::En, C::Shipped) => "We are preparing it for shipment.",
        (_, Locale::En, C::Downloads) => "Your downloads are open now, on the order's page.",
        (_, Locale::En, C::Both) => "Your downloads are open now, on the order's page, and we are preparing the rest for shipment.",
        (_, Locale::Fr, C::Shipped) => "Nous la préparons pour l'expédition.",
        (_, Locale::Fr, C::Downloads) => "Vos téléchargements sont ouverts dès maintenant, sur la page de la commande.",
        (_, Locale::Fr, C::Both) => "Vos téléchargements sont ouverts dès maintenant, sur la page de la commande, et nous préparons le reste pour l'expédition.",
    }
}

/// "Delivery: …" and the address, after an order's lines, for the messages
/// that confirm an order; nothing for one that is not shipped.
fn shipping_paragraph(locale: Locale, facts: &OrderFacts) -> String {
    let Some((price, address)) = &facts.shipping else {
        return String::new();
    };
    let texts = locale.texts();
    let price = texts.delivery_price(*price, locale);
    let (delivery, ship_to) = (texts.delivery.delivery, texts.delivery.address_title);
    let colon = texts.colon;
    format!(
        "\n  {delivery}{colon}{price}\n\n{ship_to}{}\n  {}",
        colon.trim_end(),
        address.label(locale).join("\n  ")
    )
}

/// Writes a message in the customer's language. Plain text: it is both the
/// e-mail body and what the messages page shows.
pub fn compose(kind: MessageKind, locale: Locale, facts: &OrderFacts) -> Composed {
    let n = facts.order_id;
    let total = facts.total.format(locale);
    let items = facts.lines.join("\n  ");
    let name = &facts.customer_name;
    let reason = locale.texts().failure_reason(
        facts
            .failure_reason
            .unwrap_or(crate::orders::FailureReason::Other),
    );
    let refunded = facts.refund.map(|m| m.format(locale)).unwrap_or_default();
    let ship = shipping_paragraph(locale, facts);
    let order_page = format!("/orders/{n}");
    let next = what_next(kind, locale, facts.contents);
    let (subject, body, link) = match (kind, locale) {
        (MessageKind::OrderConfirmed, Locale::En) => (
            format!("Order #{n} confirmed"),
            format!("Hello {name},\n\nThank you! We received your payment of {total} for order #{n}:\n  {items}{ship}\n\n{next}"),
            order_page.as_str(),
        ),
        (MessageKind::OrderConfirmed, Locale::Fr) => (
            format!("Commande n° {n} confirmée"),
            format!("Bonjour {name},\n\nMerci ! Nous avons reçu votre paiement de {total} pour la commande n° {n} :\n  {items}{ship}\n\n{next}"),
            order_page.as_str(),
        ),
        (MessageKind::PaymentPending, Locale::En) => (
            format!("Order #{n} received, payment pending"),
            format!("Hello {name},\n\nWe received your order #{n} of {total}:\n  {items}{ship}\n\n{next}"),
            order_page.as_str(),
        ),
        (MessageKind::PaymentPending, Locale::Fr) => (
            format!("Commande n° {n} reçue, paiement en cours"),
            format!("Bonjour {name},\n\nNous avons bien reçu votre commande n° {n} de {total} :\n  {items}{ship}\n\n{next}"),
            order_page.as_str(),
        ),
        (MessageKind::PaymentFailed, Locale::En) => (
            format!("Payment for order #{n} failed"),
            format!("Hello {name},\n\nYour payment of {total} for order #{n} did not go through: {reason}\n\nYour order is kept. You can pay it with another payment method at the checkout."),
            "/checkout",
        ),
        (MessageKind::PaymentFailed, Locale::Fr) => (
            format!("Le paiement de la commande n° {n} a échoué"),
            format!("Bonjour {name},\n\nVotre paiement de {total} pour la commande n° {n} n'a pas abouti : {reason}\n\nVotre commande est conservée. Vous pouvez la régler avec un autre moyen de paiement depuis la page de paiement."),
            "/checkout",
        ),
        (MessageKind::RefundIssued, Locale::En) => (
            format!("Refund for order #{n}"),
            format!("Hello {name},\n\nWe have refunded {refunded} of your payment of {total} for order #{n}. It reaches your account within 5 to 10 business days, depending on your bank.\n\nThe order's page shows its refunds."),
            order_page.as_str(),
        ),
        (MessageKind::RefundIssued, Locale::Fr) => (
            format!("Remboursement de la commande n° {n}"),
            format!("Bonjour {name},\n\nNous avons remboursé {refunded} sur votre paiement de {total} pour la commande n° {n}. La somme arrive sur votre compte sous 5 à 10 jours ouvrés, selon votre banque.\n\nLa page de la commande en montre les remboursements."),
            order_page.as_str(),
        ),
        (MessageKind::RefundFailed, Locale::En) => (
            format!("The refund for order #{n} did not go through"),
            format!("Hello {name},\n\nThe refund of {refunded} for order #{n} could not reach your payment method (the card may have expired or been closed). We will contact you to return the money another way."),
            order_page.as_str(),
        ),
        (MessageKind::RefundFailed, Locale::Fr) => (
            format!("Le remboursement de la commande n° {n} n'a pas abouti"),
            format!("Bonjour {name},\n\nLe remboursement de {refunded} pour la commande n° {n} n'a pas pu atteindre votre moyen de paiement (la carte a peut-être expiré ou été résiliée). Nous vous contacterons pour vous rendre cette somme autrement."),
            order_page.as_str(),
        ),
    };
    Composed {
        subject,
        body,
        link: link.to_owned(),
    }
}

#[derive(sqlx::FromRow)]
struct OrderLineFacts {
    customer_id: i64,
    name: String,
    locale: Locale,
    currency: Currency,
    amount: i64,
    delivery_amount: i64,
    shipping_address: Option<String>,
    name_en: Option<String>,
    name_fr: Option<String>,
    quantity: Option<i64>,
    digital: Option<i64>,
}

/// Queues a message about `order`, inside the caller's transaction, so it
/// exists if and only if the order change it reports was committed.
pub async fn enqueue_in(
    tx: &mut AnyConnection,
    order: i64,
    kind: MessageKind,
    failure_reason: Option<crate::orders::FailureReason>,
) -> Result<(), sqlx::Error> {
    enqueue_about_in(tx, order, kind, failure_reason, None).await
}

/// Queues a message about a refund of `amount` (minor units, in the
/// order's currency) of `order`, inside the caller's transaction.
pub async fn enqueue_refund_in(
    tx: &mut AnyConnection,
    order: i64,
    kind: MessageKind,
    amount: i64,
) -> Result<(), sqlx::Error> {
    enqueue_about_in(tx, order, kind, None, Some(amount)).await
}

async fn enqueue_about_in(
    tx: &mut AnyConnection,
    order: i64,
    kind: MessageKind,
    failure_reason: Option<crate::orders::FailureReason>,
    refund: Option<i64>,
) -> Result<(), sqlx::Error> {
    // The order, its customer and its lines in one query: one row per line
    // (or one without a line).
    let rows: Vec<OrderLineFacts> = sqlx::query_as(
        "SELECT c.id AS customer_id, c.name, c.locale, o.currency, o.amount, o.delivery_amount, o.shipping_address, l.name_en, l.name_fr, l.quantity, l.digital
         FROM orders o JOIN customers c ON c.id = o.customer_id LEFT JOIN order_lines l ON l.order_id = o.id
         WHERE o.id = $1 ORDER BY l.position",
    )
    .bind(order)
    .fetch_all(&mut *tx)
    .await?;
    let Some(first) = rows.first() else {
        return Err(sqlx::Error::RowNotFound);
    };
    let (customer_id, locale) = (first.customer_id, first.locale);
    let facts = OrderFacts {
        order_id: order,
        customer_name: first.name.clone(),
        total: Money::new(first.amount, first.currency),
        refund: refund.map(|amount| Money::new(amount, first.currency)),
        shipping: first
            .shipping_address
            .as_deref()
            .and_then(|json| serde_json::from_str(json).ok())
            .map(|address| (Money::new(first.delivery_amount, first.currency), address)),
        contents: crate::orders::OrderContents::of(
            rows.iter().filter_map(|row| row.digital).map(|d| d != 0),
        ),
        lines: rows
            .into_iter()
            .filter_map(|row| {
                let name = LocalizedText {
                    en: row.name_en?,
                    fr: row.name_fr?,
                };
                Some(format!("{} × {}", row.quantity?, name.get(locale)))
            })
            .collect(),
        failure_reason,
    };
    let message = compose(kind, locale, &facts);
    let now = super::now();
    sqlx::query(
        "INSERT INTO messages (customer_id, order_id, kind, subject, body, link, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(customer_id)
    .bind(order)
    .bind(kind.code())
    .bind(&message.subject)
    .bind(&message.body)
    .bind(&message.link)
    .bind(now)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The `kind` of a sign-in code's e-mail: not about an order, and never on
/// the messages page (it is in the customer's mailbox, or the development
/// mailbox).
pub const SIGN_IN_CODE: &str = "sign_in_code";

/// Writes a sign-in code's e-mail, for a code that works `valid_secs`. The
/// outbox appends the shop's address to `link`, the line the body ends on.
pub fn compose_sign_in_code(
    locale: Locale,
    code: &str,
    link_token: &str,
    valid_secs: i64,
) -> Composed {
    let minutes = valid_secs / 60;
    let (subject, body) = match locale {
        Locale::En => (
            format!("{code} is your Rustic Roast sign-in code"),
            format!("Hello,\n\nYour sign-in code is:\n\n    {code}\n\nType it on the page where you asked for it. It works once, for {minutes} minutes, in that browser only.\n\nIf you did not ask for it, ignore this e-mail: nobody can sign in without the code.\n\nOr follow this link, in the same browser:"),
        ),
        Locale::Fr => (
            format!("{code} est votre code de connexion Rustic Roast"),
            format!("Bonjour,\n\nVotre code de connexion est :\n\n    {code}\n\nSaisissez-le sur la page où vous l'avez demandé. Il sert une fois, pendant {minutes} minutes, dans ce navigateur seulement.\n\nSi vous ne l'avez pas demandé, ignorez cet e-mail : personne ne peut se connecter sans le code.\n\nOu suivez ce lien, dans le même navigateur :"),
        ),
    };
    Composed {
        subject,
        body,
        link: format!("/signin/link?token={link_token}"),
    }
}

/// Queues a sign-in code's e-mail to `email`, inside the caller's
/// transaction (the one that stores the code). Addressed to the e-mail, not
/// to an account: the address may have none yet.
pub async fn enqueue_sign_in_code_in(
    tx: &mut AnyConnection,
    email: &crate::email::EmailAddress,
    locale: Locale,
    code: &str,
    link_token: &str,
    valid_secs: i64,
) -> Result<(), sqlx::Error> {
    let message = compose_sign_in_code(locale, code, link_token, valid_secs);
    let now = super::now();
    sqlx::query(
        "INSERT INTO messages (recipient, kind, subject, body, link, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(email.as_str())
    .bind(SIGN_IN_CODE)
    .bind(&message.subject)
    .bind(&message.body)
    .bind(&message.link)
    .bind(now)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// One e-mail of the development mailbox.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct MailboxEntry {
    pub id: i64,
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub link: String,
    pub created_at: i64,
}

/// The last `limit` messages delivered without SMTP, newest first, with
/// whom they went to: the development mailbox (only served when the shop
/// has no SMTP and runs the demo or the embedded emulator).
pub async fn mailbox(pool: &AnyPool, limit: i64) -> Result<Vec<MailboxEntry>, sqlx::Error> {
    sqlx::query_as(
        "SELECT m.id, m.kind, COALESCE(m.recipient, c.email) AS recipient, m.subject, m.body, m.link, m.created_at
         FROM messages m LEFT JOIN customers c ON c.id = m.customer_id
         WHERE m.delivery = 'kept' ORDER BY m.id DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// The messages the customer has been told, newest first. Those still
/// waiting in the outbox, or dropped as no longer needed, are not shown.
pub async fn for_customer(
    pool: &AnyPool,
    customer: CustomerId,
) -> Result<Vec<MessageView>, sqlx::Error> {
    let rows: Vec<MessageRow> = sqlx::query_as(
        "SELECT id, order_id, kind, subject, body, link, delivery, created_at FROM messages
         WHERE customer_id = $1 AND order_id IS NOT NULL AND delivery NOT IN ('pending', 'superseded')
         ORDER BY created_at DESC, id DESC",
    )
    .bind(customer.0)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            Some(MessageView {
                id: row.id,
                order_id: row.order_id,
                kind: MessageKind::from_code(&row.kind)?,
                subject: row.subject,
                body: row.body,
                link: row.link,
                emailed: row.delivery == MessageDelivery::Sent,
                created_at: row.created_at,
            })
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct MessageRow {
    id: i64,
    order_id: i64,
    kind: String,
    subject: String,
    body: String,
    link: String,
    delivery: MessageDelivery,
    created_at: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> OrderFacts {
        OrderFacts {
            order_id: 42,
            customer_name: "Camille".into(),
            total: Money::new(3400, Currency::Eur),
            lines: vec!["2 × Tasse en grès".into()],
            failure_reason: Some(crate::orders::FailureReason::CardDeclined),
            refund: Some(Money::new(1200, Currency::Eur)),
            shipping: None,
            contents: crate::orders::OrderContents::Shipped,
        }
    }

    #[test]
    fn what_comes_next_follows_what_the_order_holds() {
        use crate::orders::OrderContents as C;
        let guide = OrderFacts {
            contents: C::Downloads,
            ..facts()
        };
        for locale in [Locale::En, Locale::Fr] {
            for kind in [MessageKind::OrderConfirmed, MessageKind::PaymentPending] {
                let body = compose(kind, locale, &guide).body;
                for shipping_word in ["ship", "expédi"] {
                    assert!(!body.contains(shipping_word), "{body}");
                }
                assert!(
                    body.contains("/orders/42") || body.contains("page"),
                    "{body}"
                );
            }
        }
        let both = compose(
            MessageKind::OrderConfirmed,
            Locale::Fr,
            &OrderFacts {
                contents: C::Both,
                ..facts()
            },
        );
        assert!(
            both.body.contains("téléchargements") && both.body.contains("expédition"),
            "{}",
            both.body
        );
        let parcel = compose(MessageKind::OrderConfirmed, Locale::En, &facts());
        assert!(
            parcel.body.ends_with("We are preparing it for shipment."),
            "{}",
            parcel.body
        );
    }

    #[test]
    fn a_shipped_order_is_confirmed_with_its_delivery_and_address() {
        let shipped = OrderFacts {
            shipping: Some((
                Money::new(490, Currency::Eur),
                crate::delivery::ShippingAddress {
                    name: "Camille Martin".into(),
                    line1: "12 rue des Lilas".into(),
                    city: "Lyon".into(),
                    postal_code: "69003".into(),
                    country: "FR".into(),
                    ..Default::default()
                },
            )),
            ..facts()
        };
        let confirmed = compose(MessageKind::OrderConfirmed, Locale::Fr, &shipped);
        assert!(
            confirmed.body.contains(
                "Livraison\u{a0}: 4,90\u{a0}€\n\nAdresse de livraison\u{a0}:\n  Camille Martin\n  12 rue des Lilas\n  69003 Lyon\n  France"
            ),
            "{}",
            confirmed.body
        );
        let pending = compose(MessageKind::PaymentPending, Locale::En, &shipped);
        assert!(pending.body.contains("Delivery: €4.90"), "{}", pending.body);
        let not_shipped = compose(MessageKind::OrderConfirmed, Locale::En, &facts());
        assert!(!not_shipped.body.contains("Delivery"));
    }

    #[test]
    fn messages_speak_the_customers_language_and_link_where_to_act() {
        let confirmed = compose(MessageKind::OrderConfirmed, Locale::Fr, &facts());
        assert_eq!(confirmed.subject, "Commande n° 42 confirmée");
        assert!(
            confirmed.body.contains("34,00\u{a0}€"),
            "{}",
            confirmed.body
        );
        assert!(confirmed.body.contains("2 × Tasse en grès"));
        assert_eq!(confirmed.link, "/orders/42", "the order itself");

        let failed = compose(MessageKind::PaymentFailed, Locale::En, &facts());
        assert_eq!(failed.subject, "Payment for order #42 failed");
        assert!(failed.body.contains("Your card was declined."));
        let échec = compose(MessageKind::PaymentFailed, Locale::Fr, &facts());
        assert!(
            échec.body.contains("Votre carte a été refusée."),
            "{}",
            échec.body
        );
        assert_eq!(failed.link, "/checkout", "a retry of the same order");

        let pending = compose(MessageKind::PaymentPending, Locale::En, &facts());
        assert!(pending.subject.contains("payment pending"));

        let refunded = compose(MessageKind::RefundIssued, Locale::Fr, &facts());
        assert!(
            refunded
                .body
                .contains("remboursé 12,00\u{a0}€ sur votre paiement de 34,00\u{a0}€"),
            "{}",
            refunded.body
        );
        assert_eq!(refunded.link, "/orders/42");
        let failed = compose(MessageKind::RefundFailed, Locale::En, &facts());
        assert!(
            failed.body.contains("The refund of €12.00"),
            "{}",
            failed.body
        );
    }
}
