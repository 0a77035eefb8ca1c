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
    /// Canadian dollars: pre-authorized debits.
    Cad,
    /// Pounds sterling: Bacs Direct Debit.
    Gbp,
    /// Australian dollars: BECS Direct Debit.
    Aud,
    /// New Zealand dollars: New Zealand bank accounts.
    Nzd,
}

impl Currency {
    pub const ALL: [Currency; 6] = [
        Currency::Eur,
        Currency::Usd,
        Currency::Cad,
        Currency::Gbp,
        Currency::Aud,
        Currency::Nzd,
    ];

    /// The ISO 4217 code in Stripe's lower-case form.
    pub fn code(self) -> &'static str {
        match self {
            Currency::Eur => "eur",
            Currency::Usd => "usd",
            Currency::Cad => "cad",
            Currency::Gbp => "gbp",
            Currency::Aud => "aud",
            Currency::Nzd => "nzd",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        let code = code.to_ascii_lowercase();
        Self::ALL.into_iter().find(|c| c.code() == code)
    }

    /// Every currency the shop sells in has two decimal places (cents).
    pub fn minor_units(self) -> u32 {
        2
    }

    /// How a reader of `locale` marks an amount in it: before the amount
    /// in English (`CA$`), after it in French (`$CA`).
    fn symbol(self, locale: Locale) -> &'static str {
        match (self, locale) {
            (Currency::Eur, _) => "€",
            (Currency::Gbp, _) => "£",
            (Currency::Usd, Locale::En) => "$",
            (Currency::Usd, Locale::Fr) => "$US",
            (Currency::Cad, Locale::En) => "CA$",
            (Currency::Cad, Locale::Fr) => "$CA",
            (Currency::Aud, Locale::En) => "A$",
            (Currency::Aud, Locale::Fr) => "$AU",
            (Currency::Nzd, Locale::En) => "NZ$",
            (Currency::Nzd, Locale::Fr) => "$NZ",
        }
    }
}

/// An amount in each currency the shop sells in: a product's price, a
/// delivery zone's rate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PerCurrency {
    pub eur: i64,
    pub usd: i64,
    pub cad: i64,
    pub gbp: i64,
    pub aud: i64,
    pub nzd: i64,
}

impl PerCurrency {
    pub fn in_currency(self, currency: Currency) -> Money {
        Money::new(self.amount(currency), currency)
    }

    pub fn amount(self, currency: Currency) -> i64 {
        match currency {
            Currency::Eur => self.eur,
            Currency::Usd => self.usd,
            Currency::Cad => self.cad,
            Currency::Gbp => self.gbp,
            Currency::Aud => self.aud,
            Currency::Nzd => self.nzd,
        }
    }

    /// Every amount, for checks that hold in all currencies.
    pub fn amounts(self) -> [i64; 6] {
        Currency::ALL.map(|c| self.amount(c))
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
    /// `€34.00` / `$36.00` / `£29.00` in English, `34,00 €` / `36,00 $US` /
    /// `29,00 £` in French.
    pub fn format(self, locale: Locale) -> String {
        let scale = 10_i64.pow(self.currency.minor_units());
        let sign = if self.amount < 0 { "-" } else { "" };
        let abs = self.amount.unsigned_abs();
        let units = abs / scale as u64;
        let cents = abs % scale as u64;
        match locale {
            Locale::En => {
                let symbol = self.currency.symbol(locale);
                format!("{sign}{symbol}{}.{cents:02}", group(units, ','))
            }
            Locale::Fr => {
                let symbol = self.currency.symbol(locale);
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
        assert_eq!(Money::new(2900, Currency::Gbp).format(Locale::En), "£29.00");
        assert_eq!(
            Money::new(4900, Currency::Cad).format(Locale::En),
            "CA$49.00"
        );
        assert_eq!(
            Money::new(5500, Currency::Aud).format(Locale::En),
            "A$55.00"
        );
        assert_eq!(
            Money::new(5900, Currency::Nzd).format(Locale::En),
            "NZ$59.00"
        );
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
        assert_eq!(
            Money::new(4900, Currency::Cad).format(Locale::Fr),
            "49,00\u{a0}$CA"
        );
        assert_eq!(
            Money::new(2900, Currency::Gbp).format(Locale::Fr),
            "29,00\u{a0}£"
        );
    }

    #[test]
    fn currency_codes_round_trip() {
        for c in Currency::ALL {
            assert_eq!(Currency::from_code(c.code()), Some(c));
        }
        assert_eq!(Currency::from_code("EUR"), Some(Currency::Eur));
        assert_eq!(Currency::from_code("jpy"), None);
    }
}
