//! English and French: every string the UI shows.
//!
//! Strings live in one typed table per language, so a missing translation is
//! a compile error rather than a blank on the page.

use serde::{Deserialize, Serialize};

use crate::money::Money;

pub use crate::locale::Locale;

mod account;
mod delivery;
mod shopper;
pub use account::AccountTexts;
pub use delivery::DeliveryTexts;
pub use shopper::ShopperTexts;

/// Each language's strings (the rest of `Locale` is in `crate::locale`).
impl Locale {
    pub fn texts(self) -> &'static Texts {
        match self {
            Locale::En => &EN,
            Locale::Fr => &FR,
        }
    }

    /// The strings of sign-in by code and the account pages.
    pub fn account_texts(self) -> &'static AccountTexts {
        AccountTexts::of(self)
    }
}

/// A text the catalog stores in both languages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalizedText {
    pub en: String,
    pub fr: String,
}

impl LocalizedText {
    pub fn get(&self, locale: Locale) -> &str {
        match locale {
            Locale::En => &self.en,
            Locale::Fr => &self.fr,
        }
    }
}

/// Every fixed string of the UI.
pub struct Texts {
    item: &'static str,
    items: &'static str,
    /// The language's plural rule for counts.
    is_plural: fn(u32) -> bool,
    pub shop_name: &'static str,
    pub tagline: &'static str,
    pub skip_to_content: &'static str,
    pub nav_catalog: &'static str,
    pub nav_cart: &'static str,
    pub nav_checkout: &'static str,
    pub sign_in: &'static str,
    pub sign_out: &'static str,
    pub signed_in_as: &'static str,
    pub language: &'static str,
    pub loading: &'static str,
    pub add_to_cart: &'static str,
    pub sign_in_to_buy: &'static str,
    pub added_to_cart: &'static str,
    pub cart_title: &'static str,
    pub cart_empty: &'static str,
    pub browse_catalog: &'static str,
    pub product: &'static str,
    pub unit_price: &'static str,
    pub quantity: &'static str,
    pub line_total: &'static str,
    pub update: &'static str,
    pub remove: &'static str,
    pub total: &'static str,
    pub proceed_to_checkout: &'static str,
    pub checkout_title: &'static str,
    pub order_summary: &'static str,
    pub checkout_sign_in: &'static str,
    pub cart_sign_in: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    pub sign_in_title: &'static str,
    pub wrong_credentials: &'static str,
    pub demo_accounts: &'static str,
    pub demo_accounts_intro: &'static str,
    pub demo_use: &'static str,
    pub demo_no_saved_method: &'static str,
    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub back_home: &'static str,
    pub error_title: &'static str,
    pub error_not_signed_in: &'static str,
    pub error_unknown_product: &'static str,
    pub error_invalid_quantity: &'static str,
    pub error_unavailable: &'static str,
    pub error_too_many_attempts: &'static str,
    pub payment_needs_javascript: &'static str,
    pub complete_sign_in: &'static str,
    /// `{total}` is replaced by the new total.
    pub cart_changed: &'static str,
    pub paid_elsewhere: &'static str,
    /// Why a payment failed, for each `FailureReason`.
    failure_reasons: fn(crate::orders::FailureReason) -> &'static str,
    pub error_busy: &'static str,
    pub error_database_unavailable: &'static str,
    pub error_request: &'static str,
    pub nav_orders: &'static str,
    pub error_payment_unavailable: &'static str,
    pub payment_title: &'static str,
    /// Before an order's number: "#", or "n° ".
    number_sign: &'static str,
    pub payment_loading: &'static str,
    pub payment_load_failed: &'static str,
    pub pay: &'static str,
    pub paying: &'static str,
    pub secure_note: &'static str,
    pub previous_attempt_failed: &'static str,
    pub complete_title: &'static str,
    pub checking_payment: &'static str,
    pub paid_title: &'static str,
    pub paid_body: &'static str,
    pub processing_title: &'static str,
    pub processing_body: &'static str,
    pub failed_title: &'static str,
    pub try_again: &'static str,
    pub canceled_title: &'static str,
    pub awaiting_title: &'static str,
    pub payment_not_found: &'static str,
    pub orders_title: &'static str,
    pub no_orders: &'static str,
    pub orders_sign_in: &'static str,
    pub order: &'static str,
    pub status: &'static str,
    pub date: &'static str,
    pub status_awaiting_payment: &'static str,
    pub status_processing: &'static str,
    pub status_paid: &'static str,
    pub status_payment_failed: &'static str,
    pub status_canceled: &'static str,
    pub nav_messages: &'static str,
    pub messages_title: &'static str,
    pub messages_intro: &'static str,
    pub no_messages: &'static str,
    pub messages_sign_in: &'static str,
    pub emailed: &'static str,
    pub see_orders: &'static str,
    pub see_messages: &'static str,
    pub order_placed: &'static str,
    pub payment_method: &'static str,
    pub history: &'static str,
    pub print_receipt: &'static str,
    pub all_orders: &'static str,
    pub order_not_found: &'static str,
    pub order_sign_in: &'static str,
    pub receipt_note: &'static str,
    pub downloads: &'static str,
    pub download: &'static str,
    pub downloads_ready: &'static str,
    pub downloads_when_paid: &'static str,
    pub downloads_revoked: &'static str,
    /// Between a label and what follows: ": " / " : " (French spaces it).
    pub colon: &'static str,
    /// Abbreviated month names, January first.
    months: [&'static str; 12],
    /// "Card", "SEPA Direct Debit"… by Stripe's payment method `type`.
    method_kinds: fn(&str) -> Option<&'static str>,
    /// Sign-in by code, new accounts, the account page.
    pub account: &'static AccountTexts,
    /// The address step and delivery prices.
    pub delivery: &'static DeliveryTexts,
    /// The confirmation, next steps, messages and the phone layout.
    pub shopper: &'static ShopperTexts,
    pub refunded: &'static str,
    pub status_refunded: &'static str,
    pub status_partially_refunded: &'static str,
    /// `{amount}` is replaced.
    pub refund_line: &'static str,
    pub refund_failed_line: &'static str,
    pub cancel_order: &'static str,
    pub order_canceled: &'static str,
}

impl Texts {
    /// "3 items" / "3 articles" (French uses the singular for 0 and 1).
    pub fn items_in_cart(&self, count: u32) -> String {
        let word = if (self.is_plural)(count) {
            self.items
        } else {
            self.item
        };
        format!("{count} {word}")
    }

    /// A delivery price as shown: "Free" for nothing, else the amount.
    pub fn delivery_price(&self, price: Money, locale: Locale) -> String {
        match price.amount {
            0 => self.delivery.free.to_owned(),
            _ => price.format(locale),
        }
    }

    pub fn pay_amount(&self, total: Money, locale: Locale) -> String {
        format!("{} {}", self.pay, total.format(locale))
    }

    pub fn failure_reason(&self, reason: crate::orders::FailureReason) -> &'static str {
        (self.failure_reasons)(reason)
    }

    /// The reason a payment was refused and what the shopper can do next,
    /// as the checkout shows it.
    pub fn failure_with_next_step(&self, reason: crate::orders::FailureReason) -> String {
        match self.shopper.next_step(reason) {
            Some(next) => format!("{} {next}", self.failure_reason(reason)),
            None => self.failure_reason(reason).to_owned(),
        }
    }

    /// "Order #5", "Commande n° 5": as the messages write it too.
    pub fn order_number(&self, id: i64) -> String {
        format!("{} {}{id}", self.order, self.number_sign)
    }

    /// "27 Nov 2026, 05:20 UTC", "27 nov. 2026, 05:20 UTC". The browser
    /// rewrites it in the shopper's own time zone when it runs the page's
    /// script (`<time data-local>`).
    pub fn date_time(&self, unix: i64) -> String {
        let (year, month, day, hour, minute) = crate::orders::utc_date_time(unix);
        let month = self.months[(month as usize - 1) % 12];
        format!("{day} {month} {year}, {hour:02}:{minute:02} UTC")
    }

    /// "Visa •••• 4242", "SEPA Direct Debit •••• 3000", "iDEAL · ING".
    pub fn payment_method_line(&self, method: &crate::orders::PaymentMethodSummary) -> String {
        let kind = (self.method_kinds)(&method.kind).unwrap_or(method.kind.as_str());
        let name = match (method.kind.as_str(), &method.label) {
            ("card", Some(brand)) => card_brand(brand),
            (_, Some(label)) => format!("{kind} · {label}"),
            (_, None) => kind.to_owned(),
        };
        match &method.last4 {
            Some(last4) => format!("{name} •••• {last4}"),
            None => name,
        }
    }

    pub fn order_status(&self, status: crate::orders::OrderStatus) -> &'static str {
        use crate::orders::OrderStatus::*;
        match status {
            AwaitingPayment => self.status_awaiting_payment,
            Processing => self.status_processing,
            Paid => self.status_paid,
            PaymentFailed => self.status_payment_failed,
            Canceled => self.status_canceled,
        }
    }
}

pub static EN: Texts = Texts {
    item: "item",
    items: "items",
    is_plural: |n| n != 1,
    shop_name: "Rustic Roast",
    tagline: "Small-batch coffee, roasted to order.",
    skip_to_content: "Skip to content",
    nav_catalog: "Catalog",
    nav_cart: "Cart",
    nav_checkout: "Checkout",
    sign_in: "Sign in",
    sign_out: "Sign out",
    signed_in_as: "Signed in as",
    language: "Language",
    loading: "Loading…",
    add_to_cart: "Add to cart",
    sign_in_to_buy: "Sign in to buy",
    added_to_cart: "Added to your cart.",
    cart_title: "Your cart",
    cart_empty: "Your cart is empty.",
    browse_catalog: "Browse the catalog",
    product: "Product",
    unit_price: "Unit price",
    quantity: "Quantity",
    line_total: "Subtotal",
    update: "Update",
    remove: "Remove",
    total: "Total",
    proceed_to_checkout: "Proceed to checkout",
    checkout_title: "Checkout",
    order_summary: "Order summary",
    checkout_sign_in: "Sign in to check out.",
    cart_sign_in: "Sign in to see your cart.",
    email: "E-mail",
    password: "Password",
    sign_in_title: "Sign in",
    wrong_credentials: "Wrong e-mail or password.",
    demo_accounts: "Demo customers",
    demo_accounts_intro: "This shop runs in demo mode. Sign in as one of these existing customers:",
    demo_use: "Sign in as",
    demo_no_saved_method: "no saved payment method yet",
    not_found_title: "Page not found",
    not_found_body: "There is nothing at this address.",
    back_home: "Back to the catalog",
    error_title: "Something went wrong",
    error_not_signed_in: "Your session has ended. Please sign in again.",
    error_unknown_product: "This product is no longer in the catalog.",
    error_invalid_quantity: "Choose a quantity between 0 and 99.",
    error_unavailable: "The shop could not complete this request. Please try again in a moment.",
    error_too_many_attempts:
        "Too many failed sign-ins. For your security, please wait before trying again.",
    failure_reasons: en_failure_reason,
    cart_changed: "Your order changed in another window: the new total is {total}. Check it, then press Pay again.",
    paid_elsewhere: "This order was paid in another window.",
    complete_sign_in: "Your session ended while you were away. Sign in to see how your payment went:",
    payment_needs_javascript: "Paying needs JavaScript: card and bank details go into Stripe's secure form, which runs in your browser. Turn JavaScript on to pay for the order above.",
    error_busy: "Many people are signing in right now. Please try again in a few seconds.",
    error_database_unavailable: "The shop cannot reach its records right now. Please try again in a minute: nothing was changed.",
    error_request: "The request could not be sent. Check your connection and try again.",
    nav_orders: "Orders",
    error_payment_unavailable: "Payments are unavailable right now. Please try again in a moment.",
    payment_title: "Payment",
    number_sign: "#",
    payment_loading: "Loading the secure payment form…",
    payment_load_failed: "The payment form could not be loaded. Reload the page to try again.",
    pay: "Pay",
    paying: "Processing…",
    secure_note: "Payments are processed by Stripe. Your card details never reach our servers.",
    previous_attempt_failed: "Your last payment attempt failed:",
    complete_title: "Your order",
    checking_payment: "Checking your payment…",
    paid_title: "Thank you! Your order is confirmed.",
    paid_body: "We have received your payment.",
    processing_title: "Payment processing",
    processing_body:
        "Your bank is processing the payment. This page updates by itself; we will also e-mail you.",
    failed_title: "Your payment did not go through",
    try_again: "Try again",
    canceled_title: "This order was canceled.",
    awaiting_title: "Awaiting payment",
    payment_not_found: "We could not find this payment.",
    orders_title: "Your orders",
    no_orders: "You have no orders yet.",
    orders_sign_in: "Sign in to see your orders.",
    order: "Order",
    status: "Status",
    date: "Date",
    status_awaiting_payment: "Awaiting payment",
    status_processing: "Payment pending",
    status_paid: "Paid",
    status_payment_failed: "Payment failed",
    status_canceled: "Canceled",
    nav_messages: "Messages",
    messages_title: "Your messages",
    messages_intro:
        "What we told you about your orders: confirmations, pending payments and failed payments.",
    no_messages: "No messages yet. You will find here the confirmation of your next order.",
    messages_sign_in: "Sign in to see your messages.",
    emailed: "Also sent by e-mail",
    see_orders: "See your orders",
    see_messages: "Your messages about this order",
    order_placed: "Order placed",
    payment_method: "Payment method",
    history: "History",
    print_receipt: "Print receipt",
    all_orders: "All your orders",
    order_not_found: "We could not find this order among yours.",
    order_sign_in: "Sign in to see this order.",
    receipt_note: "Stripe also e-mails a receipt of each payment to the address of your account.",
    downloads: "Downloads",
    download: "Download",
    downloads_ready: "Your downloads are ready.",
    downloads_when_paid: "Your downloads open as soon as your payment is under way (for an order with downloads only) or confirmed.",
    downloads_revoked: "The download was withdrawn: the payment failed.",
    colon: ": ",
    months: ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    method_kinds: |kind| {
        Some(match kind {
            "card" => "Card",
            "sepa_debit" => "SEPA Direct Debit",
            "us_bank_account" => "US bank account",
            "acss_debit" => "Canadian pre-authorized debit",
            "bacs_debit" => "Bacs Direct Debit",
            "au_becs_debit" => "BECS Direct Debit",
            "nz_bank_account" => "New Zealand bank account",
            "link" => "Link",
            "ideal" => "iDEAL",
            "sofort" => "Sofort",
            "bancontact" => "Bancontact",
            _ => return None,
        })
    },
    account: &account::EN,
    delivery: &delivery::EN,
    shopper: &shopper::EN,
    refunded: "Refunded",
    status_refunded: "Refunded",
    status_partially_refunded: "Partly refunded",
    refund_line: "Refund of {amount}",
    refund_failed_line: "The refund of {amount} did not go through",
    cancel_order: "Cancel this order",
    order_canceled: "The order is canceled: it can no longer be paid.",
};

pub static FR: Texts = Texts {
    item: "article",
    items: "articles",
    is_plural: |n| n >= 2,
    shop_name: "Rustic Roast",
    tagline: "Du café en petits lots, torréfié à la commande.",
    skip_to_content: "Aller au contenu",
    nav_catalog: "Catalogue",
    nav_cart: "Panier",
    nav_checkout: "Commander",
    sign_in: "Se connecter",
    sign_out: "Se déconnecter",
    signed_in_as: "Connecté·e en tant que",
    language: "Langue",
    loading: "Chargement…",
    add_to_cart: "Ajouter au panier",
    sign_in_to_buy: "Se connecter pour acheter",
    added_to_cart: "Ajouté à votre panier.",
    cart_title: "Votre panier",
    cart_empty: "Votre panier est vide.",
    browse_catalog: "Parcourir le catalogue",
    product: "Produit",
    unit_price: "Prix unitaire",
    quantity: "Quantité",
    line_total: "Sous-total",
    update: "Mettre à jour",
    remove: "Retirer",
    total: "Total",
    proceed_to_checkout: "Passer au paiement",
    checkout_title: "Finaliser la commande",
    order_summary: "Récapitulatif de la commande",
    checkout_sign_in: "Connectez-vous pour payer.",
    cart_sign_in: "Connectez-vous pour voir votre panier.",
    email: "Adresse e-mail",
    password: "Mot de passe",
    sign_in_title: "Connexion",
    wrong_credentials: "Adresse e-mail ou mot de passe incorrect.",
    demo_accounts: "Clients de démonstration",
    demo_accounts_intro: "Cette boutique fonctionne en mode démonstration. Connectez-vous avec l’un de ces clients existants :",
    demo_use: "Se connecter en tant que",
    demo_no_saved_method: "aucun moyen de paiement enregistré",
    not_found_title: "Page introuvable",
    not_found_body: "Il n’y a rien à cette adresse.",
    back_home: "Retour au catalogue",
    error_title: "Un problème est survenu",
    error_not_signed_in: "Votre session a expiré. Veuillez vous reconnecter.",
    error_unknown_product: "Ce produit n’est plus au catalogue.",
    error_invalid_quantity: "Choisissez une quantité entre 0 et 99.",
    error_unavailable: "La boutique n’a pas pu traiter cette demande. Réessayez dans un instant.",
    error_too_many_attempts: "Trop de tentatives de connexion échouées. Par sécurité, patientez avant de réessayer.",
    failure_reasons: fr_failure_reason,
    cart_changed: "Votre commande a changé dans une autre fenêtre : le nouveau total est de {total}. Vérifiez-le, puis appuyez de nouveau sur Payer.",
    paid_elsewhere: "Cette commande a été payée dans une autre fenêtre.",
    complete_sign_in: "Votre session a pris fin pendant votre absence. Connectez-vous pour voir où en est votre paiement :",
    payment_needs_javascript: "Le paiement nécessite JavaScript : les coordonnées de carte ou de compte sont saisies dans le formulaire sécurisé de Stripe, qui s’exécute dans votre navigateur. Activez JavaScript pour régler la commande ci-dessus.",
    error_busy: "Beaucoup de personnes se connectent en ce moment. Réessayez dans quelques secondes.",
    error_database_unavailable: "La boutique ne peut pas joindre ses données pour le moment. Réessayez dans une minute : rien n’a été modifié.",
    error_request: "La demande n’a pas pu être envoyée. Vérifiez votre connexion et réessayez.",
    nav_orders: "Commandes",
    error_payment_unavailable: "Le paiement est indisponible pour le moment. Réessayez dans un instant.",
    payment_title: "Paiement",
    number_sign: "n° ",
    payment_loading: "Chargement du formulaire de paiement sécurisé…",
    payment_load_failed: "Le formulaire de paiement n’a pas pu être chargé. Rechargez la page pour réessayer.",
    pay: "Payer",
    paying: "Traitement…",
    secure_note: "Les paiements sont traités par Stripe. Vos données de carte ne passent jamais par nos serveurs.",
    previous_attempt_failed: "Votre dernière tentative de paiement a échoué :",
    complete_title: "Votre commande",
    checking_payment: "Vérification de votre paiement…",
    paid_title: "Merci ! Votre commande est confirmée.",
    paid_body: "Nous avons bien reçu votre paiement.",
    processing_title: "Paiement en cours de traitement",
    processing_body: "Votre banque traite le paiement. Cette page se met à jour toute seule ; nous vous écrirons aussi.",
    failed_title: "Votre paiement n’a pas abouti",
    try_again: "Réessayer",
    canceled_title: "Cette commande a été annulée.",
    awaiting_title: "En attente de paiement",
    payment_not_found: "Nous n’avons pas trouvé ce paiement.",
    orders_title: "Vos commandes",
    no_orders: "Vous n’avez pas encore de commande.",
    orders_sign_in: "Connectez-vous pour voir vos commandes.",
    order: "Commande",
    status: "Statut",
    date: "Date",
    status_awaiting_payment: "En attente de paiement",
    status_processing: "Paiement en attente",
    status_paid: "Payée",
    status_payment_failed: "Paiement échoué",
    status_canceled: "Annulée",
    nav_messages: "Messages",
    messages_title: "Vos messages",
    messages_intro: "Ce que nous vous avons écrit sur vos commandes : confirmations, paiements en cours et paiements échoués.",
    no_messages: "Aucun message pour l’instant. Vous trouverez ici la confirmation de votre prochaine commande.",
    messages_sign_in: "Connectez-vous pour voir vos messages.",
    emailed: "Également envoyé par e-mail",
    see_orders: "Voir vos commandes",
    see_messages: "Vos messages sur cette commande",
    order_placed: "Commande passée",
    payment_method: "Moyen de paiement",
    history: "Historique",
    print_receipt: "Imprimer le reçu",
    all_orders: "Toutes vos commandes",
    order_not_found: "Nous n’avons pas trouvé cette commande parmi les vôtres.",
    order_sign_in: "Connectez-vous pour voir cette commande.",
    receipt_note: "Stripe envoie aussi un reçu de chaque paiement par e-mail, à l’adresse de votre compte.",
    downloads: "Téléchargements",
    download: "Télécharger",
    downloads_ready: "Vos téléchargements sont prêts.",
    downloads_when_paid: "Vos téléchargements s’ouvrent dès que votre paiement est en cours (pour une commande de téléchargements uniquement) ou confirmé.",
    downloads_revoked: "Le téléchargement a été retiré : le paiement a échoué.",
    colon: "\u{a0}: ",
    months: ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."],
    method_kinds: |kind| {
        Some(match kind {
            "card" => "Carte",
            "sepa_debit" => "Prélèvement SEPA",
            "us_bank_account" => "Compte bancaire américain",
            "acss_debit" => "Prélèvement préautorisé canadien",
            "bacs_debit" => "Prélèvement Bacs",
            "au_becs_debit" => "Prélèvement BECS",
            "nz_bank_account" => "Compte bancaire néo-zélandais",
            "link" => "Link",
            "ideal" => "iDEAL",
            "sofort" => "Sofort",
            "bancontact" => "Bancontact",
            _ => return None,
        })
    },
    account: &account::FR,
    delivery: &delivery::FR,
    shopper: &shopper::FR,
    refunded: "Remboursé",
    status_refunded: "Remboursée",
    status_partially_refunded: "Remboursée en partie",
    refund_line: "Remboursement de {amount}",
    refund_failed_line: "Le remboursement de {amount} n'a pas abouti",
    cancel_order: "Annuler cette commande",
    order_canceled: "La commande est annulée : elle ne peut plus être payée.",
};

/// A card brand as Stripe spells it (`visa`, `amex`…), as people read it.
fn card_brand(brand: &str) -> String {
    match brand {
        "amex" => "American Express".into(),
        "diners" => "Diners Club".into(),
        "jcb" => "JCB".into(),
        "unionpay" => "UnionPay".into(),
        "cartes_bancaires" => "Cartes Bancaires".into(),
        other => {
            let mut chars = other.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        }
    }
}

fn en_failure_reason(reason: crate::orders::FailureReason) -> &'static str {
    use crate::orders::FailureReason as R;
    match reason {
        R::CardDeclined => "Your card was declined.",
        R::InsufficientFunds => "Your card has insufficient funds.",
        R::ExpiredCard => "Your card has expired.",
        R::IncorrectCvc => "Your card's security code is incorrect.",
        R::IncorrectNumber => "Your card number is incorrect.",
        R::ProcessingError => "An error occurred while processing your card. Please try again in a moment.",
        R::AuthenticationFailed => "We are unable to authenticate your payment method. Please choose a different payment method and try again.",
        R::NotAuthorisedAtBank => "The payment was not authorised at the bank. Please choose a different payment method and try again.",
        R::BankAccountClosed => "The bank account is closed.",
        R::BankAccountNotFound => "The bank account could not be found.",
        R::BankInsufficientFunds => "The bank account has insufficient funds.",
        R::DebitNotAuthorized => "The account holder did not authorise the debit.",
        R::BankDeclined => "The bank declined the payment.",
        R::CardLimitExceeded => "Your card's limit has been reached.",
        R::BankLimitExceeded => "The payment is over the bank account's limit.",
        R::BankCurrencyUnsupported => "The bank account does not accept this currency.",
        R::Other => "The payment was not accepted. Please choose a different payment method and try again.",
    }
}

fn fr_failure_reason(reason: crate::orders::FailureReason) -> &'static str {
    use crate::orders::FailureReason as R;
    match reason {
        R::CardDeclined => "Votre carte a été refusée.",
        R::InsufficientFunds => "Le solde de votre carte est insuffisant.",
        R::ExpiredCard => "Votre carte a expiré.",
        R::IncorrectCvc => "Le code de sécurité de votre carte est incorrect.",
        R::IncorrectNumber => "Le numéro de votre carte est incorrect.",
        R::ProcessingError => "Une erreur est survenue lors du traitement de votre carte. Réessayez dans un instant.",
        R::AuthenticationFailed => "Nous n’avons pas pu authentifier votre moyen de paiement. Choisissez-en un autre et réessayez.",
        R::NotAuthorisedAtBank => "Le paiement n’a pas été autorisé par la banque. Choisissez un autre moyen de paiement et réessayez.",
        R::BankAccountClosed => "Le compte bancaire est clôturé.",
        R::BankAccountNotFound => "Le compte bancaire est introuvable.",
        R::BankInsufficientFunds => "Le solde du compte bancaire est insuffisant.",
        R::DebitNotAuthorized => "Le titulaire du compte n’a pas autorisé le prélèvement.",
        R::BankDeclined => "La banque a refusé le paiement.",
        R::CardLimitExceeded => "Le plafond de votre carte est atteint.",
        R::BankLimitExceeded => "Le paiement dépasse le plafond du compte bancaire.",
        R::BankCurrencyUnsupported => "Le compte bancaire n’accepte pas cette devise.",
        R::Other => "Le paiement n’a pas été accepté. Choisissez un autre moyen de paiement et réessayez.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_numbers_read_as_each_language_writes_them() {
        assert_eq!(EN.order_number(5), "Order #5");
        assert_eq!(FR.order_number(5), "Commande n° 5");
        // The French checkout does not say "Paiement" three times over.
        assert_ne!(FR.checkout_title, FR.payment_title);
        assert_ne!(FR.nav_checkout, FR.payment_title);
    }

    #[test]
    fn dates_and_payment_methods_read_in_each_language() {
        assert_eq!(EN.date_time(1_795_700_000), "26 Nov 2026, 13:33 UTC");
        assert_eq!(FR.date_time(1_795_700_000), "26 nov. 2026, 13:33 UTC");
        let method = |kind: &str, label: Option<&str>, last4: Option<&str>| {
            crate::orders::PaymentMethodSummary {
                kind: kind.into(),
                label: label.map(Into::into),
                last4: last4.map(Into::into),
            }
        };
        let visa = method("card", Some("visa"), Some("4242"));
        assert_eq!(EN.payment_method_line(&visa), "Visa •••• 4242");
        let sepa = method("sepa_debit", None, Some("3000"));
        assert_eq!(FR.payment_method_line(&sepa), "Prélèvement SEPA •••• 3000");
        let ideal = method("ideal", Some("ING"), None);
        assert_eq!(EN.payment_method_line(&ideal), "iDEAL · ING");
        let unknown = method("klarna", None, None);
        assert_eq!(FR.payment_method_line(&unknown), "klarna");
    }

    #[test]
    fn parses_codes_and_accept_language() {
        assert_eq!(Locale::from_code("fr-FR"), Some(Locale::Fr));
        assert_eq!(Locale::from_code("EN_us"), Some(Locale::En));
        assert_eq!(Locale::from_code("de"), None);
        assert_eq!(
            Locale::from_accept_language("de-DE,fr;q=0.8,en;q=0.5"),
            Some(Locale::Fr)
        );
        assert_eq!(Locale::from_accept_language("fr;q=0,en"), Some(Locale::En));
        assert_eq!(Locale::from_accept_language("de, it"), None);
    }

    #[test]
    fn counts_items_in_each_language() {
        assert_eq!(EN.items_in_cart(0), "0 items");
        assert_eq!(EN.items_in_cart(1), "1 item");
        assert_eq!(EN.items_in_cart(3), "3 items");
        assert_eq!(FR.items_in_cart(0), "0 article");
        assert_eq!(FR.items_in_cart(1), "1 article");
        assert_eq!(FR.items_in_cart(2), "2 articles");
    }
}
