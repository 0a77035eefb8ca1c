//! Cart arithmetic: turns the stored quantities into priced lines and a total.
//!
//! Pure and shared by server and browser, so the rules live in one place and
//! are unit-tested without a database. The server is the only one that prices
//! a cart for real: the amount charged later comes from here, never from the
//! browser.

use serde::{Deserialize, Serialize};

use crate::i18n::LocalizedText;
use crate::money::{Currency, Money, PerCurrency};

/// The most of one product a cart may hold.
pub const MAX_QUANTITY: u32 = 99;

/// A product as the catalog offers it, with a price in every currency.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Product {
    pub id: String,
    pub name: LocalizedText,
    pub description: LocalizedText,
    pub image: String,
    pub price: PerCurrency,
    /// A download rather than something shipped (see `crate::orders::Fulfilment`).
    pub digital: bool,
}

impl Product {
    pub fn price(&self, currency: Currency) -> Money {
        self.price.in_currency(currency)
    }
}

/// One stored cart row: which product, how many.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CartItem {
    pub product_id: String,
    pub quantity: u32,
}

/// A priced cart line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CartLine {
    pub product_id: String,
    pub name: LocalizedText,
    pub image: String,
    pub quantity: u32,
    pub unit_price: Money,
    pub line_total: Money,
    /// A download: nothing to ship.
    pub digital: bool,
}

/// A priced cart in one currency.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cart {
    pub currency: Currency,
    pub lines: Vec<CartLine>,
    pub total: Money,
}

impl Cart {
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Has something to ship (not only downloads).
    pub fn needs_shipping(&self) -> bool {
        self.lines.iter().any(|l| !l.digital)
    }

    /// How many items in all, for the header badge.
    pub fn item_count(&self) -> u32 {
        self.lines.iter().map(|l| l.quantity).sum()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CartError {
    #[error("no product {0}")]
    UnknownProduct(String),
    #[error("quantity {0} is outside 1..={MAX_QUANTITY}")]
    InvalidQuantity(u32),
    #[error("the total does not fit in an amount")]
    Overflow,
}

/// Checks a quantity a person asked for. Zero is handled by the caller
/// (it removes the line), so here it is as invalid as 100.
pub fn validate_quantity(quantity: u32) -> Result<u32, CartError> {
    if (1..=MAX_QUANTITY).contains(&quantity) {
        Ok(quantity)
    } else {
        Err(CartError::InvalidQuantity(quantity))
    }
}

/// Prices `items` from `catalog` in `currency`. Lines keep the catalog's order
/// so the page does not reshuffle as quantities change.
pub fn price_cart(
    items: &[CartItem],
    catalog: &[Product],
    currency: Currency,
) -> Result<Cart, CartError> {
    for item in items {
        if !catalog.iter().any(|p| p.id == item.product_id) {
            return Err(CartError::UnknownProduct(item.product_id.clone()));
        }
    }
    let mut lines = Vec::new();
    let mut total: i64 = 0;
    for product in catalog {
        let Some(item) = items.iter().find(|i| i.product_id == product.id) else {
            continue;
        };
        let quantity = validate_quantity(item.quantity)?;
        let unit_price = product.price(currency);
        let line_amount = unit_price
            .amount
            .checked_mul(i64::from(quantity))
            .ok_or(CartError::Overflow)?;
        total = total.checked_add(line_amount).ok_or(CartError::Overflow)?;
        lines.push(CartLine {
            product_id: product.id.clone(),
            name: product.name.clone(),
            image: product.image.clone(),
            quantity,
            unit_price,
            line_total: Money::new(line_amount, currency),
            digital: product.digital,
        });
    }
    Ok(Cart {
        currency,
        lines,
        total: Money::new(total, currency),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> LocalizedText {
        LocalizedText {
            en: s.into(),
            fr: s.into(),
        }
    }

    fn catalog() -> Vec<Product> {
        vec![
            Product {
                id: "mug".into(),
                name: text("Mug"),
                description: text(""),
                image: "/images/mug.svg".into(),
                price: PerCurrency {
                    eur: 1450,
                    usd: 1550,
                    cad: 1450,
                    gbp: 1450,
                    aud: 1450,
                    nzd: 1450,
                },
                digital: false,
            },
            Product {
                id: "beans".into(),
                name: text("Beans"),
                description: text(""),
                image: "/images/beans.svg".into(),
                price: PerCurrency {
                    eur: 1290,
                    usd: 1390,
                    cad: 1290,
                    gbp: 1290,
                    aud: 1290,
                    nzd: 1290,
                },
                digital: false,
            },
        ]
    }

    fn item(id: &str, quantity: u32) -> CartItem {
        CartItem {
            product_id: id.into(),
            quantity,
        }
    }

    #[test]
    fn empty_cart_totals_zero_in_its_currency() {
        let cart = price_cart(&[], &catalog(), Currency::Eur).unwrap();
        assert!(cart.is_empty());
        assert_eq!(cart.total, Money::zero(Currency::Eur));
        assert_eq!(cart.item_count(), 0);
    }

    #[test]
    fn totals_follow_quantities_and_currency() {
        let items = [item("beans", 2), item("mug", 3)];
        let eur = price_cart(&items, &catalog(), Currency::Eur).unwrap();
        assert_eq!(eur.total, Money::new(3 * 1450 + 2 * 1290, Currency::Eur));
        assert_eq!(eur.item_count(), 5);
        let usd = price_cart(&items, &catalog(), Currency::Usd).unwrap();
        assert_eq!(usd.total, Money::new(3 * 1550 + 2 * 1390, Currency::Usd));
        assert_eq!(usd.lines[0].line_total, Money::new(4650, Currency::Usd));
    }

    #[test]
    fn lines_follow_catalog_order() {
        let items = [item("beans", 1), item("mug", 1)];
        let cart = price_cart(&items, &catalog(), Currency::Eur).unwrap();
        let ids: Vec<_> = cart.lines.iter().map(|l| l.product_id.as_str()).collect();
        assert_eq!(ids, ["mug", "beans"]);
    }

    #[test]
    fn rejects_unknown_products_and_bad_quantities() {
        assert_eq!(
            price_cart(&[item("tea", 1)], &catalog(), Currency::Eur),
            Err(CartError::UnknownProduct("tea".into()))
        );
        assert_eq!(
            price_cart(&[item("mug", 0)], &catalog(), Currency::Eur),
            Err(CartError::InvalidQuantity(0))
        );
        assert_eq!(validate_quantity(MAX_QUANTITY), Ok(MAX_QUANTITY));
        assert_eq!(
            validate_quantity(MAX_QUANTITY + 1),
            Err(CartError::InvalidQuantity(MAX_QUANTITY + 1))
        );
    }

    #[test]
    fn overflow_is_an_error_not_a_wrap() {
        let mut products = catalog();
        products[0].price.eur = i64::MAX / 2;
        assert_eq!(
            price_cart(&[item("mug", 3)], &products, Currency::Eur),
            Err(CartError::Overflow)
        );
    }
}
