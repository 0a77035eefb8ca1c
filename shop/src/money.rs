//! Amounts of money in a currency's smallest unit, and how people read them.

use serde::{Deserialize, Serialize};

use crate::locale::Locale;

/// The currencies the shop sells in. Lower-case codes, as Stripe writes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
// Read from the database as is: an unknown code is an error, not a default.
pub enum Currency {
    Eur,
    Usd,
}

impl Currency {
    /// The ISO 4217 code in Stripe's lower-case form.
    pub fn code(self) -> &'static str {
        match self {
            Currency::Eur => "eur",
            Currency::Usd => "usd",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code.to_ascii_lowercase().as_str() {
            "eur" => Some(Currency::Eur),
            "usd" => Some(Currency::Usd),
            _ => None,
        }
    }

    /// Both currencies have two decimal places (cents).
    pub fn minor_units(self) -> u32 {
        2
    }
}

/// An amount in the smallest unit of its currency (cents), never a float.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Money {
    pub amount: i64,
    pub currency: Currency,
}

impl Money {
    pub fn new(amount: i64, currency: Currency) -> Self {
        Self { amount, currency }
    }

    pub fn zero(currency: Currency) -> Self {
        Self::new(0, currency)
    }

    /// Formats the amount the way a reader of `locale` expects:
    /// `€34.00` / `$36.00` in English, `34,00 €` / `36,00 $US` in French.
    pub fn format(self, locale: Locale) -> String {
        let scale = 10_i64.pow(self.currency.minor_units());
        let sign = if self.amount < 0 { "-" } else { "" };
        let abs = self.amount.unsigned_abs();
        let units = abs / scale as u64;
        let cents = abs % scale as u64;
        match locale {
            Locale::En => {
                let symbol = match self.currency {
                    Currency::Eur => "€",
                    Currency::Usd => "$",
                };
                format!("{sign}{symbol}{}.{cents:02}", group(units, ','))
            }
            Locale::Fr => {
                let symbol = match self.currency {
                    Currency::Eur => "€",
                    Currency::Usd => "$US",
                };
                // French typography: narrow no-break space between thousands,
                // no-break space before the currency sign.
                format!(
                    "{sign}{},{cents:02}\u{a0}{symbol}",
                    group(units, '\u{202f}')
                )
            }
        }
    }
}

/// Writes `units` with `separator` between groups of three digits.
fn group(units: u64, separator: char) -> String {
    let digits = units.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_english() {
        assert_eq!(Money::new(3600, Currency::Usd).format(Locale::En), "$36.00");
        assert_eq!(Money::new(1450, Currency::Eur).format(Locale::En), "€14.50");
        assert_eq!(Money::new(5, Currency::Usd).format(Locale::En), "$0.05");
        assert_eq!(
            Money::new(123_456_789, Currency::Usd).format(Locale::En),
            "$1,234,567.89"
        );
        assert_eq!(Money::new(-250, Currency::Usd).format(Locale::En), "-$2.50");
    }

    #[test]
    fn formats_french() {
        assert_eq!(
            Money::new(3400, Currency::Eur).format(Locale::Fr),
            "34,00\u{a0}€"
        );
        assert_eq!(
            Money::new(100_000, Currency::Eur).format(Locale::Fr),
            "1\u{202f}000,00\u{a0}€"
        );
        assert_eq!(
            Money::new(1390, Currency::Usd).format(Locale::Fr),
            "13,90\u{a0}$US"
        );
    }

    #[test]
    fn currency_codes_round_trip() {
        for c in [Currency::Eur, Currency::Usd] {
            assert_eq!(Currency::from_code(c.code()), Some(c));
        }
        assert_eq!(Currency::from_code("EUR"), Some(Currency::Eur));
        assert_eq!(Currency::from_code("gbp"), None);
    }
}
