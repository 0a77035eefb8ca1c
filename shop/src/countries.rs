//! The countries a new account can name, and the currency each pays in.
//!
//! The catalog is priced in euros, US, Canadian, Australian and New Zealand
//! dollars and pounds sterling: these are the euro area and the countries of
//! those currencies (where the Payment Element offers their bank debits). The
//! country a new account starts with comes from
//! its Stripe customer's address when there is one, else from the region of
//! the browser's language (`fr-BE` → Belgium), else from the language.

use crate::locale::Locale;
use crate::money::Currency;

/// A country the shop sells to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Country {
    /// ISO 3166-1 alpha-2, as Stripe writes it.
    pub code: &'static str,
    pub name_en: &'static str,
    pub name_fr: &'static str,
    pub currency: Currency,
}

impl Country {
    pub fn name(&self, locale: Locale) -> &'static str {
        match locale {
            Locale::En => self.name_en,
            Locale::Fr => self.name_fr,
        }
    }
}

const fn euro(code: &'static str, name_en: &'static str, name_fr: &'static str) -> Country {
    paying(code, name_en, name_fr, Currency::Eur)
}

const fn paying(
    code: &'static str,
    name_en: &'static str,
    name_fr: &'static str,
    currency: Currency,
) -> Country {
    Country {
        code,
        name_en,
        name_fr,
        currency,
    }
}

/// Sorted by English name.
pub const COUNTRIES: &[Country] = &[
    paying("AU", "Australia", "Australie", Currency::Aud),
    euro("AT", "Austria", "Autriche"),
    euro("BE", "Belgium", "Belgique"),
    paying("CA", "Canada", "Canada", Currency::Cad),
    euro("FI", "Finland", "Finlande"),
    euro("FR", "France", "France"),
    euro("DE", "Germany", "Allemagne"),
    euro("IE", "Ireland", "Irlande"),
    euro("IT", "Italy", "Italie"),
    euro("LU", "Luxembourg", "Luxembourg"),
    euro("NL", "Netherlands", "Pays-Bas"),
    paying("NZ", "New Zealand", "Nouvelle-Zélande", Currency::Nzd),
    euro("PT", "Portugal", "Portugal"),
    euro("ES", "Spain", "Espagne"),
    paying("GB", "United Kingdom", "Royaume-Uni", Currency::Gbp),
    paying("US", "United States", "États-Unis", Currency::Usd),
];

/// The country of `code` (any case), if the shop sells there.
pub fn find(code: &str) -> Option<&'static Country> {
    COUNTRIES
        .iter()
        .find(|c| c.code.eq_ignore_ascii_case(code.trim()))
}

/// The usual country for a language alone.
pub fn for_locale(locale: Locale) -> &'static Country {
    let code = match locale {
        Locale::Fr => "FR",
        Locale::En => "US",
    };
    find(code).unwrap_or(&COUNTRIES[0])
}

/// The first supported region named in an `Accept-Language` header
/// (`fr-BE,fr;q=0.9` → Belgium).
pub fn from_accept_language(header: &str) -> Option<&'static Country> {
    header.split(',').find_map(|part| {
        let tag = part.split(';').next()?.trim();
        let region = tag.split(['-', '_']).nth(1)?;
        (region.len() == 2).then(|| find(region)).flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_of_the_browser_language_pick_a_country() {
        assert_eq!(from_accept_language("fr-BE,fr;q=0.9").unwrap().code, "BE");
        assert_eq!(
            from_accept_language("en-US,en;q=0.8").unwrap().currency,
            Currency::Usd
        );
        assert_eq!(
            from_accept_language("en-GB,en;q=0.8").unwrap().currency,
            Currency::Gbp
        );
        assert!(
            from_accept_language("en-ZA,en;q=0.8").is_none(),
            "not sold there"
        );
        assert!(from_accept_language("fr").is_none());
        assert_eq!(for_locale(Locale::Fr).code, "FR");
        assert_eq!(find("ie").unwrap().name(Locale::Fr), "Irlande");
    }
}
