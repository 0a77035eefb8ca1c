//! The strings of what a shopper reads after choosing to pay: the
//! confirmation, what happens next, the next step after a refusal, the
//! messages page and the phone layout's controls, in each language.

use crate::orders::FailureReason;

/// Every fixed string of the shopper's side of an order.
pub struct ShopperTexts {
    /// What happens next, by what the order holds (paid).
    pub next_shipping: &'static str,
    pub next_downloads: &'static str,
    pub next_both: &'static str,
    /// What happens next while a bank debit is processing (downloads alone
    /// open at once, as Stripe allows for digital goods).
    pub next_processing_shipping: &'static str,
    pub next_processing_downloads: &'static str,
    pub view_receipt: &'static str,
    pub continue_shopping: &'static str,
    /// The heading of [`ShopperTexts::what_next`]'s sentence.
    pub what_next_title: &'static str,
    /// After `confirmPayment` refused details the element marks itself.
    pub check_details: &'static str,
    /// The next step after a refusal, by kind of reason.
    pub next_other_card: &'static str,
    pub next_check_card: &'static str,
    pub next_other_account: &'static str,
    /// The messages page: each message's link to its order, and its date.
    pub open_order: &'static str,
    pub received: &'static str,
    /// The phone's summary bar ("Order summary · €26.90") and the cart's note.
    pub show_summary: &'static str,
    pub view_cart: &'static str,
}

impl ShopperTexts {
    /// What happens after paying, by what the order holds; `None` while the
    /// payment is neither done nor processing.
    pub fn what_next(
        &self,
        status: crate::orders::OrderStatus,
        contents: crate::orders::OrderContents,
    ) -> Option<&'static str> {
        use crate::orders::{OrderContents as C, OrderStatus as S};
        Some(match (status, contents) {
            (S::Paid, C::Shipped) => self.next_shipping,
            (S::Paid, C::Downloads) => self.next_downloads,
            (S::Paid, C::Both) => self.next_both,
            (S::Processing, C::Downloads) => self.next_processing_downloads,
            (S::Processing, C::Shipped | C::Both) => self.next_processing_shipping,
            _ => return None,
        })
    }

    /// What a shopper can do about a refusal, when the reason's sentence
    /// does not say it already.
    pub fn next_step(&self, reason: FailureReason) -> Option<&'static str> {
        use FailureReason as R;
        match reason {
            R::CardDeclined | R::InsufficientFunds | R::CardLimitExceeded => {
                Some(self.next_other_card)
            }
            R::ExpiredCard | R::IncorrectCvc | R::IncorrectNumber => Some(self.next_check_card),
            R::BankAccountClosed
            | R::BankAccountNotFound
            | R::BankInsufficientFunds
            | R::DebitNotAuthorized
            | R::BankDeclined
            | R::BankLimitExceeded
            | R::BankCurrencyUnsupported => Some(self.next_other_account),
            R::ProcessingError | R::AuthenticationFailed | R::NotAuthorisedAtBank | R::Other => {
                None
            }
        }
    }
}

pub static EN: ShopperTexts = ShopperTexts {
    next_shipping: "We are preparing your order and will send it to the address below. You will get a message when it ships.",
    next_downloads: "Your downloads are open now, below and on the order's page whenever you need them again.",
    next_both: "Your downloads are open now. We are preparing the rest of your order and will send it to the address below.",
    next_processing_shipping: "We will send your order as soon as your bank confirms the payment, and write to you then.",
    next_processing_downloads: "Your downloads are open now, below and on the order's page, while your bank confirms the payment.",
    view_receipt: "View the receipt",
    continue_shopping: "Continue shopping",
    what_next_title: "What happens next",
    check_details: "Please check the payment details above.",
    next_other_card: "Try another card or another payment method.",
    next_check_card: "Check the card's details and try again, or use another card.",
    next_other_account: "Pay with another account or another payment method.",
    open_order: "Open the order",
    received: "Received",
    show_summary: "Order summary",
    view_cart: "View cart",
};

pub static FR: ShopperTexts = ShopperTexts {
    next_shipping: "Nous préparons votre commande et l’enverrons à l’adresse ci-dessous. Vous recevrez un message à son expédition.",
    next_downloads: "Vos téléchargements sont ouverts : ci-dessous, et sur la page de la commande chaque fois que vous en aurez besoin.",
    next_both: "Vos téléchargements sont ouverts. Nous préparons le reste de votre commande et l’enverrons à l’adresse ci-dessous.",
    next_processing_shipping: "Nous enverrons votre commande dès que votre banque aura confirmé le paiement, et vous écrirons à ce moment-là.",
    next_processing_downloads: "Vos téléchargements sont ouverts dès maintenant, ci-dessous et sur la page de la commande, pendant que votre banque confirme le paiement.",
    view_receipt: "Voir le reçu",
    continue_shopping: "Continuer mes achats",
    what_next_title: "Et maintenant",
    check_details: "Vérifiez les informations de paiement ci-dessus.",
    next_other_card: "Essayez une autre carte ou un autre moyen de paiement.",
    next_check_card: "Vérifiez les informations de la carte et réessayez, ou utilisez-en une autre.",
    next_other_account: "Payez avec un autre compte ou un autre moyen de paiement.",
    open_order: "Ouvrir la commande",
    received: "Reçu le",
    show_summary: "Récapitulatif",
    view_cart: "Voir le panier",
};
