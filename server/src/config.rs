//! The server's configuration, read once from the environment at start-up.

use std::net::SocketAddr;
use std::path::PathBuf;

/// Every setting, with its environment variable and default.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// `SHOP_ADDR`: where to listen. Default `127.0.0.1:3000`.
    pub addr: SocketAddr,
    /// `DATABASE_URL`: the SQLite database. Default `sqlite://data/shop.db`.
    pub database_url: String,
    /// `SHOP_SITE_ROOT`: the built site (wasm, js, css, public files).
    /// Default `target/site` (or `LEPTOS_SITE_ROOT` as set by cargo-leptos).
    pub site_root: PathBuf,
    /// `SHOP_DEMO`: seed demo customers and list them on the sign-in page. Default `true`.
    pub demo_mode: bool,
    /// `SHOP_SECURE_COOKIES`: mark cookies `Secure` (serve over HTTPS). Default `false`.
    pub secure_cookies: bool,
}

#[derive(Debug, thiserror::Error, PartialEq)]
#[error("{name}={value:?} is not valid: {reason}")]
pub struct ConfigError {
    pub name: &'static str,
    pub value: String,
    pub reason: String,
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `lookup`, so tests need not touch the process environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let var = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let addr = match var("SHOP_ADDR").or_else(|| var("LEPTOS_SITE_ADDR")) {
            Some(value) => value
                .trim()
                .parse()
                .map_err(|e: std::net::AddrParseError| ConfigError {
                    name: "SHOP_ADDR",
                    value,
                    reason: format!("{e}; expected an address such as 127.0.0.1:3000"),
                })?,
            None => SocketAddr::from(([127, 0, 0, 1], 3000)),
        };
        let database_url = var("DATABASE_URL").unwrap_or_else(|| "sqlite://data/shop.db".into());
        if !database_url.starts_with("sqlite:") {
            return Err(ConfigError {
                name: "DATABASE_URL",
                value: database_url,
                reason: "only SQLite is supported; expected sqlite://path/to/file.db".into(),
            });
        }
        let site_root = var("SHOP_SITE_ROOT")
            .or_else(|| var("LEPTOS_SITE_ROOT"))
            .unwrap_or_else(|| "target/site".into())
            .into();
        Ok(Config {
            addr,
            database_url,
            site_root,
            demo_mode: flag(&var, "SHOP_DEMO", true)?,
            secure_cookies: flag(&var, "SHOP_SECURE_COOKIES", false)?,
        })
    }
}

fn flag(
    var: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: bool,
) -> Result<bool, ConfigError> {
    match var(name) {
        None => Ok(default),
        Some(value) => match value.trim().to_ascii_lowercase().as_str() {
            "1" | "true" | "yes" | "on" => Ok(true),
            "0" | "false" | "no" | "off" => Ok(false),
            _ => Err(ConfigError {
                name,
                value,
                reason: "expected true or false".into(),
            }),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|name| vars.get(name).cloned())
    }

    #[test]
    fn defaults_run_the_demo_locally() {
        let c = config(&[]).unwrap();
        assert_eq!(c.addr, "127.0.0.1:3000".parse().unwrap());
        assert_eq!(c.database_url, "sqlite://data/shop.db");
        assert_eq!(c.site_root, PathBuf::from("target/site"));
        assert!(c.demo_mode);
        assert!(!c.secure_cookies);
    }

    #[test]
    fn reads_every_variable() {
        let c = config(&[
            ("SHOP_ADDR", "0.0.0.0:8080"),
            ("DATABASE_URL", "sqlite::memory:"),
            ("SHOP_SITE_ROOT", "/srv/site"),
            ("SHOP_DEMO", "false"),
            ("SHOP_SECURE_COOKIES", "yes"),
        ])
        .unwrap();
        assert_eq!(c.addr.port(), 8080);
        assert_eq!(c.database_url, "sqlite::memory:");
        assert_eq!(c.site_root, PathBuf::from("/srv/site"));
        assert!(!c.demo_mode);
        assert!(c.secure_cookies);
    }

    #[test]
    fn bad_values_say_what_is_wrong() {
        let err = config(&[("SHOP_ADDR", "localhost")]).unwrap_err();
        assert_eq!(err.name, "SHOP_ADDR");
        let err = config(&[("SHOP_DEMO", "maybe")]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "SHOP_DEMO=\"maybe\" is not valid: expected true or false"
        );
        let err = config(&[("DATABASE_URL", "postgres://x")]).unwrap_err();
        assert_eq!(err.name, "DATABASE_URL");
    }
}
