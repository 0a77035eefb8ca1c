//! E-mail addresses as the shop accepts them: what a sign-in code can be
//! sent to and an account is keyed by.
//!
//! The rule is narrow on purpose. An address is trimmed and lower-cased,
//! at most 254 bytes (RFC 5321's limit for a path), and plain ASCII: a
//! local part of letters, digits and `.!#$%&'*+/=?^_`{|}~-`, and a domain of
//! dot-separated labels of letters, digits and inner hyphens, with a dot.
//! International domains are accepted in their `xn--` form only, so that a
//! look-alike (a Cyrillic `о` for a Latin `o`) can never name a second
//! account that reads like the first.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The longest address accepted, in bytes.
pub const MAX_LEN: usize = 254;
const MAX_LOCAL_LEN: usize = 64;
const MAX_LABEL_LEN: usize = 63;

/// A valid, normalised e-mail address.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EmailAddress(String);

/// Why an address was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    #[error("no e-mail address")]
    Empty,
    #[error("longer than {MAX_LEN} bytes")]
    TooLong,
    #[error("not plain ASCII (international domains in their xn-- form)")]
    NotAscii,
    #[error("not an e-mail address")]
    Malformed,
}

impl EmailAddress {
    /// Checks and normalises `input` (surrounding spaces, letter case).
    pub fn parse(input: &str) -> Result<Self, EmailError> {
        // Length first, before any other work on an oversized input.
        if input.len() > 4 * MAX_LEN {
            return Err(EmailError::TooLong);
        }
        let address = input.trim();
        if address.is_empty() {
            return Err(EmailError::Empty);
        }
        if address.len() > MAX_LEN {
            return Err(EmailError::TooLong);
        }
        if !address.is_ascii() {
            return Err(EmailError::NotAscii);
        }
        let address = address.to_ascii_lowercase();
        let (local, domain) = address.rsplit_once('@').ok_or(EmailError::Malformed)?;
        let local_ok = !local.is_empty()
            && local.len() <= MAX_LOCAL_LEN
            && !local.starts_with('.')
            && !local.ends_with('.')
            && !local.contains("..")
            && local
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|label| {
                !label.is_empty()
                    && label.len() <= MAX_LABEL_LEN
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            })
            && labels
                .last()
                .is_some_and(|tld| !tld.chars().all(|c| c.is_ascii_digit()));
        if !local_ok || !domain_ok {
            return Err(EmailError::Malformed);
        }
        Ok(Self(address))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part before `@`, for a greeting when no name is known.
    pub fn local_part(&self) -> &str {
        self.0.split('@').next().unwrap_or_default()
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_trimmed_and_lower_cased() {
        let address = EmailAddress::parse("  Jordan.Smith+shop@Example.COM ").unwrap();
        assert_eq!(address.as_str(), "jordan.smith+shop@example.com");
        assert_eq!(address.local_part(), "jordan.smith+shop");
        assert!(EmailAddress::parse("a@xn--bcher-kva.example").is_ok());
    }

    #[test]
    fn look_alikes_and_non_ascii_are_refused() {
        // A Cyrillic "о" in place of a Latin "o".
        assert_eq!(
            EmailAddress::parse("j\u{43e}rdan@example.com"),
            Err(EmailError::NotAscii)
        );
        assert_eq!(
            EmailAddress::parse("a@bücher.example"),
            Err(EmailError::NotAscii)
        );
        // A zero-width space hidden in the address.
        assert_eq!(
            EmailAddress::parse("jordan\u{200b}@example.com"),
            Err(EmailError::NotAscii)
        );
    }

    #[test]
    fn malformed_and_oversized_addresses_are_refused() {
        for bad in [
            "plainaddress",
            "@example.com",
            "a@",
            "a@b",
            "a@.example.com",
            "a@example..com",
            "a..b@example.com",
            ".a@example.com",
            "a b@example.com",
            "a@-example.com",
            "a@example.123",
            "a\"b@example.com",
            "a@b@example.com",
            "<a@example.com>",
        ] {
            assert_eq!(
                EmailAddress::parse(bad),
                Err(EmailError::Malformed),
                "{bad}"
            );
        }
        assert_eq!(EmailAddress::parse("   "), Err(EmailError::Empty));
        let long_local = format!("{}@example.com", "a".repeat(65));
        assert_eq!(EmailAddress::parse(&long_local), Err(EmailError::Malformed));
        let at_limit = format!("{}@{}.com", "a".repeat(64), "b".repeat(63))
            + &".c".repeat((MAX_LEN - 64 - 1 - 63 - 4) / 2);
        assert!(at_limit.len() <= MAX_LEN);
        assert!(EmailAddress::parse(&at_limit).is_ok(), "{}", at_limit.len());
        let over = format!("{}@example.com", "a".repeat(250));
        assert_eq!(EmailAddress::parse(&over), Err(EmailError::TooLong));
        let ten_kb = "a".repeat(10_000) + "@example.com";
        assert_eq!(EmailAddress::parse(&ten_kb), Err(EmailError::TooLong));
    }
}
