//! The strings of the address step, delivery prices and shipping
//! addresses, in each language.

/// Every fixed string about delivery.
pub struct DeliveryTexts {
    pub address_title: &'static str,
    pub address_intro: &'static str,
    pub subtotal: &'static str,
    pub delivery: &'static str,
    /// The delivery price when it is zero.
    pub free: &'static str,
    /// The delivery line before an address is known.
    pub delivery_pending: &'static str,
    pub save_address: &'static str,
    pub continue_to_payment: &'static str,
    pub invalid_address: &'static str,
    pub not_delivered: &'static str,
    pub saved_not_delivered: &'static str,
    /// `{total}` is replaced by the new total.
    pub delivery_changed: &'static str,
    pub field_name: &'static str,
    pub field_line1: &'static str,
    pub field_line2: &'static str,
    pub field_city: &'static str,
    pub field_state: &'static str,
    pub field_postal_code: &'static str,
    pub field_country: &'static str,
}

pub static EN: DeliveryTexts = DeliveryTexts {
    address_title: "Delivery address",
    address_intro: "Where should we send your order? Its delivery price is shown before you pay.",
    subtotal: "Subtotal",
    delivery: "Delivery",
    free: "Free",
    delivery_pending: "Needs an address",
    save_address: "Save this address for my next orders",
    continue_to_payment: "Continue to payment",
    invalid_address:
        "Please fill in your name, street, city and postal code (and state in the United States).",
    not_delivered: "We do not deliver to this country yet. Please choose one from the list.",
    saved_not_delivered:
        "Your saved address is in a country we do not deliver to yet. Please enter another address.",
    delivery_changed:
        "Your delivery details changed: the total is now {total}. Please check it and pay again.",
    field_name: "Full name",
    field_line1: "Address line 1",
    field_line2: "Address line 2 (optional)",
    field_city: "City",
    field_state: "State (United States)",
    field_postal_code: "Postal code",
    field_country: "Country",
};

pub static FR: DeliveryTexts = DeliveryTexts {
    address_title: "Adresse de livraison",
    address_intro: "Où devons-nous envoyer votre commande ? Le prix de la livraison s’affiche avant le paiement.",
    subtotal: "Sous-total",
    delivery: "Livraison",
    free: "Offerte",
    delivery_pending: "Adresse requise",
    save_address: "Enregistrer cette adresse pour mes prochaines commandes",
    continue_to_payment: "Continuer vers le paiement",
    invalid_address: "Indiquez votre nom, votre rue, votre ville et votre code postal (et l’État aux États-Unis).",
    not_delivered: "Nous ne livrons pas encore dans ce pays. Choisissez-en un dans la liste.",
    saved_not_delivered: "Votre adresse enregistrée est dans un pays où nous ne livrons pas encore. Indiquez une autre adresse.",
    delivery_changed: "Votre livraison a changé : le total est maintenant de {total}. Vérifiez-le et payez à nouveau.",
    field_name: "Nom complet",
    field_line1: "Adresse",
    field_line2: "Complément d’adresse (facultatif)",
    field_city: "Ville",
    field_state: "État (États-Unis)",
    field_postal_code: "Code postal",
    field_country: "Pays",
};
