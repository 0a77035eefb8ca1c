//! Where an order goes and what delivering it costs.
//!
//! A shipping address, checked the same way whether it comes from the
//! Address Element, the plain form or a customer's saved address at Stripe;
//! and the shop's delivery rates: zones of countries, each with a price per
//! currency and, optionally, an order subtotal from which delivery is free.
//! The rates themselves are data (`shop/catalog.toml`, with the products).

use serde::{Deserialize, Serialize};

use crate::money::{Money, PerCurrency};

/// Where to send an order, as Stripe's `shipping` has it (`name` and
/// `address`). Optional lines are empty strings, not `None`, so that two
/// addresses compare equal however they were written.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ShippingAddress {
    pub name: String,
    pub line1: String,
    #[serde(default)]
    pub line2: String,
    pub city: String,
    /// State or province (required in the United States).
    #[serde(default)]
    pub state: String,
    pub postal_code: String,
    /// ISO 3166-1 alpha-2, upper case.
    pub country: String,
}

/// A field of the address, to say which one is wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AddressField {
    Name,
    Line1,
    Line2,
    City,
    State,
    PostalCode,
    Country,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AddressError {
    #[error("the address has no {0:?}")]
    Missing(AddressField),
    #[error("the address's {0:?} is too long or holds control characters")]
    Invalid(AddressField),
    /// A well-formed address in a country the shop does not deliver to.
    #[error("the shop does not deliver to {0}")]
    NotDelivered(String),
}

/// The longest field kept (Stripe allows more; no real address needs it).
const MAX_FIELD_CHARS: usize = 200;

/// Countries whose addresses name a state.
const STATE_REQUIRED: &[&str] = &["US"];

impl ShippingAddress {
    /// The address trimmed, its country in upper case, and checked: the
    /// fields a parcel needs are there, none is absurdly long or holds
    /// control characters. Whether the shop delivers there is the rates'
    /// business ([`DeliveryRates::quote_for`]).
    pub fn cleaned(self) -> Result<Self, AddressError> {
        let field = |value: String, which: AddressField, required: bool| {
            let value = value.trim().to_owned();
            if value.chars().count() > MAX_FIELD_CHARS || value.chars().any(char::is_control) {
                return Err(AddressError::Invalid(which));
            }
            if required && value.is_empty() {
                return Err(AddressError::Missing(which));
            }
            Ok(value)
        };
        let country = field(self.country, AddressField::Country, true)?.to_ascii_uppercase();
        if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(AddressError::Invalid(AddressField::Country));
        }
        let needs_state = STATE_REQUIRED.contains(&country.as_str());
        Ok(Self {
            name: field(self.name, AddressField::Name, true)?,
            line1: field(self.line1, AddressField::Line1, true)?,
            line2: field(self.line2, AddressField::Line2, false)?,
            city: field(self.city, AddressField::City, true)?,
            state: field(self.state, AddressField::State, needs_state)?,
            postal_code: field(self.postal_code, AddressField::PostalCode, true)?,
            country,
        })
    }

    /// A made-up, complete address in `country` (with a state in the United
    /// States), for tests and examples.
    pub fn example_in(country: &str) -> Self {
        Self {
            name: "Pat Doe".into(),
            line1: "1 Main Street".into(),
            line2: String::new(),
            city: "Springfield".into(),
            state: if country == "US" {
                "IL".into()
            } else {
                String::new()
            },
            postal_code: "62701".into(),
            country: country.into(),
        }
    }

    /// The lines of a label as a reader of `locale` expects them: the
    /// country by its name.
    pub fn label(&self, locale: crate::locale::Locale) -> Vec<String> {
        let mut lines = self.label_lines();
        if let (Some(last), Some(country)) =
            (lines.last_mut(), crate::countries::find(&self.country))
        {
            *last = country.name(locale).to_owned();
        }
        lines
    }

    /// The lines of a label, in the usual order, without empty ones (the
    /// country as its code).
    pub fn label_lines(&self) -> Vec<String> {
        let town = match (self.postal_code.as_str(), self.state.as_str()) {
            // American order: "New York, NY 10118".
            (postal, state) if !state.is_empty() => {
                format!("{}, {state} {postal}", self.city)
            }
            (postal, _) => format!("{postal} {}", self.city),
        };
        [
            self.name.clone(),
            self.line1.clone(),
            self.line2.clone(),
            town.trim().to_owned(),
            self.country.clone(),
        ]
        .into_iter()
        .filter(|line| !line.is_empty())
        .collect()
    }
}

/// Countries that cost the same to deliver to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryZone {
    pub name: String,
    /// ISO 3166-1 alpha-2 codes.
    pub countries: Vec<String>,
    pub price: PerCurrency,
    /// Orders whose lines add up to at least this are delivered free.
    #[serde(default)]
    pub free_from: Option<PerCurrency>,
}

/// The shop's delivery rates.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryRates {
    #[serde(rename = "zone", default)]
    pub zones: Vec<DeliveryZone>,
}

impl DeliveryRates {
    pub fn zone_of(&self, country: &str) -> Option<&DeliveryZone> {
        self.zones
            .iter()
            .find(|zone| zone.countries.iter().any(|c| c == country))
    }

    /// Every country delivered to, in the order the zones list them.
    pub fn countries(&self) -> impl Iterator<Item = &str> {
        self.zones
            .iter()
            .flat_map(|zone| zone.countries.iter().map(String::as_str))
    }

    /// What delivering an order whose lines add up to `subtotal` to
    /// `country` costs, or `None` when the shop does not deliver there.
    pub fn quote(&self, country: &str, subtotal: Money) -> Option<Money> {
        let zone = self.zone_of(country)?;
        let free = zone
            .free_from
            .is_some_and(|from| subtotal.amount >= from.in_currency(subtotal.currency).amount);
        Some(if free {
            Money::zero(subtotal.currency)
        } else {
            zone.price.in_currency(subtotal.currency)
        })
    }

    /// The delivery price of `address` (already [`ShippingAddress::cleaned`]).
    pub fn quote_for(
        &self,
        address: &ShippingAddress,
        subtotal: Money,
    ) -> Result<Money, AddressError> {
        self.quote(&address.country, subtotal)
            .ok_or_else(|| AddressError::NotDelivered(address.country.clone()))
    }

    /// Rates a shop can run with: each country in one zone only, written as
    /// two upper-case letters, and no negative amounts.
    pub fn check(&self) -> Result<(), String> {
        let mut seen = std::collections::HashSet::new();
        for zone in &self.zones {
            for country in &zone.countries {
                if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
                    return Err(format!(
                        "zone {}: {country:?} is not an ISO country code",
                        zone.name
                    ));
                }
                if !seen.insert(country.as_str()) {
                    return Err(format!("{country} is in more than one delivery zone"));
                }
            }
            let amounts = [Some(zone.price), zone.free_from].into_iter().flatten();
            if amounts.flat_map(PerCurrency::amounts).any(|a| a < 0) {
                return Err(format!("zone {}: a negative amount", zone.name));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Currency;

    /// A rate in euros and dollars, the same figure as euros elsewhere.
    fn rate(eur: i64, usd: i64) -> PerCurrency {
        PerCurrency {
            eur,
            usd,
            cad: eur,
            gbp: eur,
            aud: eur,
            nzd: eur,
        }
    }

    fn jordan() -> ShippingAddress {
        ShippingAddress {
            name: " Jordan Smith ".into(),
            line1: "350 Fifth Avenue".into(),
            line2: String::new(),
            city: "New York".into(),
            state: "NY".into(),
            postal_code: "10118".into(),
            country: "us".into(),
        }
    }

    fn rates() -> DeliveryRates {
        DeliveryRates {
            zones: vec![
                DeliveryZone {
                    name: "France".into(),
                    countries: vec!["FR".into()],
                    price: rate(490, 550),
                    free_from: Some(rate(5000, 5500)),
                },
                DeliveryZone {
                    name: "United States".into(),
                    countries: vec!["US".into()],
                    price: rate(650, 699),
                    free_from: None,
                },
            ],
        }
    }

    #[test]
    fn an_address_is_trimmed_and_its_country_upper_cased() {
        let clean = jordan().cleaned().unwrap();
        assert_eq!(clean.name, "Jordan Smith");
        assert_eq!(clean.country, "US");
        assert_eq!(
            clean.label_lines(),
            [
                "Jordan Smith",
                "350 Fifth Avenue",
                "New York, NY 10118",
                "US"
            ]
        );
    }

    #[test]
    fn what_a_parcel_needs_is_required() {
        let no_state = ShippingAddress {
            state: " ".into(),
            ..jordan()
        };
        assert_eq!(
            no_state.cleaned(),
            Err(AddressError::Missing(AddressField::State))
        );
        let french = ShippingAddress {
            state: String::new(),
            country: "FR".into(),
            ..jordan()
        };
        assert!(french.cleaned().is_ok(), "no state in France");
        let no_street = ShippingAddress {
            line1: String::new(),
            ..jordan()
        };
        assert_eq!(
            no_street.cleaned(),
            Err(AddressError::Missing(AddressField::Line1))
        );
        let control = ShippingAddress {
            city: "New\u{0}York".into(),
            ..jordan()
        };
        assert_eq!(
            control.cleaned(),
            Err(AddressError::Invalid(AddressField::City))
        );
        let long = ShippingAddress {
            line2: "x".repeat(201),
            ..jordan()
        };
        assert_eq!(
            long.cleaned(),
            Err(AddressError::Invalid(AddressField::Line2))
        );
        let country = ShippingAddress {
            country: "USA".into(),
            ..jordan()
        };
        assert_eq!(
            country.cleaned(),
            Err(AddressError::Invalid(AddressField::Country))
        );
    }

    #[test]
    fn delivery_is_priced_by_zone_and_free_from_a_subtotal() {
        let rates = rates();
        let eur = |amount| Money::new(amount, Currency::Eur);
        let usd = |amount| Money::new(amount, Currency::Usd);
        assert_eq!(rates.quote("FR", eur(3400)), Some(eur(490)));
        assert_eq!(rates.quote("FR", usd(3600)), Some(usd(550)));
        assert_eq!(rates.quote("FR", eur(5000)), Some(eur(0)), "free from €50");
        assert_eq!(rates.quote("US", usd(50_000)), Some(usd(699)), "never free");
        assert_eq!(rates.quote("JP", eur(100)), None);
        let canada = ShippingAddress {
            country: "CA".into(),
            ..jordan()
        };
        assert_eq!(
            rates.quote_for(&canada, usd(100)),
            Err(AddressError::NotDelivered("CA".into()))
        );
        assert_eq!(rates.countries().collect::<Vec<_>>(), ["FR", "US"]);
    }

    #[test]
    fn rates_with_a_country_twice_or_a_bad_code_are_refused() {
        let mut twice = rates();
        twice.zones[1].countries.push("FR".into());
        assert!(twice.check().unwrap_err().contains("FR"));
        let mut bad = rates();
        bad.zones[0].countries.push("fr".into());
        assert!(bad.check().is_err());
        assert!(rates().check().is_ok());
    }
}
