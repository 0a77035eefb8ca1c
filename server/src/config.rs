//! The server's configuration, read once from the environment at start-up.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use shop::server::stripe::Secret;

/// Which Stripe the shop talks to.
/// Where the embedded emulator listens by default: beside, not on, the
/// standalone `stripe-emulator`'s 12111 (stripe-mock's port), so both can
/// run at once.
pub const DEFAULT_EMULATOR_ADDR: SocketAddr = SocketAddr::V4(std::net::SocketAddrV4::new(
    std::net::Ipv4Addr::LOCALHOST,
    12110,
));

#[derive(Clone, Debug, PartialEq)]
pub enum StripeMode {
    /// No keys configured: the embedded test-mode emulator.
    Emulator {
        /// `STRIPE_EMULATOR_ADDR`, default [`DEFAULT_EMULATOR_ADDR`].
        addr: SocketAddr,
        /// `STRIPE_EMULATOR_STATE`: its state file, by default beside the
        /// database (none for an in-memory database).
        state_file: Option<PathBuf>,
    },
    /// `STRIPE_SECRET_KEY`, `STRIPE_PUBLISHABLE_KEY`, `STRIPE_WEBHOOK_SECRET`.
    Stripe {
        secret_key: Secret,
        publishable_key: String,
        webhook_secret: Secret,
        /// `STRIPE_API_BASE`, default `https://api.stripe.com`.
        api_base: String,
        /// `STRIPE_JS_URL`, default `https://js.stripe.com/endive/stripe.js`.
        js_url: String,
    },
}

/// A whole number from `name` (at least 1), or `default` when unset.
fn whole_number(
    var: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: u64,
) -> Result<u64, ConfigError> {
    match var(name) {
        None => Ok(default),
        Some(value) => match value.trim().parse::<u64>() {
            Ok(n) if n > 0 => Ok(n),
            _ => Err(ConfigError {
                name,
                value,
                reason: "expected a whole number above 0".into(),
            }),
        },
    }
}

fn transport_limits(
    var: &impl Fn(&str) -> Option<String>,
) -> Result<crate::listener::TransportLimits, ConfigError> {
    let defaults = crate::listener::TransportLimits::default();
    let count = |name, default: usize| {
        whole_number(var, name, default as u64).map(|n| usize::try_from(n).unwrap_or(usize::MAX))
    };
    let secs = |name, default: Duration| {
        whole_number(var, name, default.as_secs()).map(Duration::from_secs)
    };
    Ok(crate::listener::TransportLimits {
        max_connections: count("SHOP_MAX_CONNECTIONS", defaults.max_connections)?,
        max_connections_per_client: count(
            "SHOP_MAX_CONNECTIONS_PER_CLIENT",
            defaults.max_connections_per_client,
        )?,
        header_read_timeout: secs("SHOP_HEADER_TIMEOUT_SECS", defaults.header_read_timeout)?,
        body_timeout: secs("SHOP_BODY_TIMEOUT_SECS", defaults.body_timeout)?,
        shutdown_grace: defaults.shutdown_grace,
    })
}

/// Every setting, with its environment variable and default.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// `SHOP_ADDR`: where to listen. Default `127.0.0.1:3000`.
    pub addr: SocketAddr,
    /// `DATABASE_URL`: `sqlite://path/to/file.db` (created if missing) or
    /// `postgres://user:password@host/db`. Default `sqlite://data/shop.db`.
    pub database_url: String,
    /// `SHOP_SITE_ROOT`: the built site (wasm, js, css, public files).
    /// Default `target/site` (or `LEPTOS_SITE_ROOT` as set by cargo-leptos).
    pub site_root: PathBuf,
    /// `SHOP_DEMO`: seed demo customers and list them on the sign-in page. Default `true`.
    pub demo_mode: bool,
    /// `SHOP_SECURE_COOKIES`: mark cookies `Secure` (serve over HTTPS). Default `false`.
    pub secure_cookies: bool,
    pub stripe: StripeMode,
    pub mail: MailConfig,
    /// `SHOP_CATCH_UP_EVERY_SECS`: how often to ask Stripe for payment events
    /// whose delivery failed (and once at start-up). Default 300; 0 turns it off.
    pub catch_up_every: Option<Duration>,
    /// `SHOP_TRUSTED_PROXIES`: comma-separated addresses of the reverse
    /// proxies in front of the shop, whose `X-Forwarded-For` names the
    /// client (sign-in throttling counts per client address). Default none.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// `SHOP_INSTANCE`: this instance's name among those sharing the
    /// database, stable across its restarts. Default: the host name and
    /// `SHOP_ADDR`.
    pub instance: String,
    /// The listener's limits: `SHOP_MAX_CONNECTIONS` (default 4096, and
    /// never closer than 128 to the process's file limit),
    /// `SHOP_MAX_CONNECTIONS_PER_CLIENT` (64), `SHOP_HEADER_TIMEOUT_SECS`
    /// (10: to send a request head, also the keep-alive idle time) and
    /// `SHOP_BODY_TIMEOUT_SECS` (30: for a request body to arrive).
    pub transport: crate::listener::TransportLimits,
}

/// How the shop tells customers about their orders.
#[derive(Clone, Debug, PartialEq)]
pub struct MailConfig {
    /// `SMTP_URL` (`smtp://user:pass@host:587?tls=required`, `smtps://…`,
    /// `smtp://localhost:1025`). Unset: messages are only shown on the
    /// customer's messages page. A secret: it may hold a password.
    pub smtp_url: Option<Secret>,
    /// `SMTP_FROM`. Default `Rustic Roast <orders@rustic-roast.test>`.
    pub from: String,
    /// `SHOP_PUBLIC_URL`: the shop's address in e-mail links. Default `http://{SHOP_ADDR}`.
    pub public_url: String,
    /// `SHOP_FAILURE_NOTICE_DELAY_SECS`: how long a "payment failed" notice
    /// waits (dropped if the order is paid meanwhile). Default 60.
    pub failure_notice_delay: Duration,
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
        let addr = listen_addr(&var)?;
        let database_url = database_url(&var)?;
        let site_root = var("SHOP_SITE_ROOT")
            .or_else(|| var("LEPTOS_SITE_ROOT"))
            .unwrap_or_else(|| "target/site".into())
            .into();
        let stripe = stripe_mode(&var, &database_url)?;
        let mail = MailConfig {
            smtp_url: var("SMTP_URL").map(Secret::new),
            from: var("SMTP_FROM")
                .unwrap_or_else(|| "Rustic Roast <orders@rustic-roast.test>".into()),
            public_url: var("SHOP_PUBLIC_URL").unwrap_or_else(|| format!("http://{addr}")),
            failure_notice_delay: failure_notice_delay(&var)?,
        };
        let demo_mode = flag(&var, "SHOP_DEMO", true)?;
        refuse_an_open_demo(&var, addr, demo_mode, &stripe)?;
        Ok(Config {
            addr,
            database_url,
            site_root,
            demo_mode,
            secure_cookies: flag(&var, "SHOP_SECURE_COOKIES", false)?,
            stripe,
            mail,
            catch_up_every: catch_up_every(&var)?,
            trusted_proxies: trusted_proxies(&var)?,
            instance: var("SHOP_INSTANCE").unwrap_or_else(|| {
                let host = std::fs::read_to_string("/etc/hostname")
                    .map(|h| h.trim().to_owned())
                    .unwrap_or_default();
                format!("{host}@{addr}")
            }),
            transport: transport_limits(&var)?,
        })
    }
}

fn listen_addr(var: &impl Fn(&str) -> Option<String>) -> Result<SocketAddr, ConfigError> {
    match var("SHOP_ADDR").or_else(|| var("LEPTOS_SITE_ADDR")) {
        Some(value) => value
            .trim()
            .parse()
            .map_err(|e: std::net::AddrParseError| ConfigError {
                name: "SHOP_ADDR",
                value,
                reason: format!("{e}; expected an address such as 127.0.0.1:3000"),
            }),
        None => Ok(SocketAddr::from(([127, 0, 0, 1], 3000))),
    }
}

fn database_url(var: &impl Fn(&str) -> Option<String>) -> Result<String, ConfigError> {
    let database_url = var("DATABASE_URL").unwrap_or_else(|| "sqlite://data/shop.db".into());
    if shop::server::db::Backend::of_url(&database_url).is_none() {
        return Err(ConfigError {
            name: "DATABASE_URL",
            value: masked_url(&database_url),
            reason: "expected sqlite://path/to/file.db or postgres://user@host/database".into(),
        });
    }
    Ok(database_url)
}

fn failure_notice_delay(var: &impl Fn(&str) -> Option<String>) -> Result<Duration, ConfigError> {
    match var("SHOP_FAILURE_NOTICE_DELAY_SECS") {
        None => Ok(Duration::from_secs(60)),
        Some(value) => value
            .trim()
            .parse()
            .map(Duration::from_secs)
            .map_err(|_| ConfigError {
                name: "SHOP_FAILURE_NOTICE_DELAY_SECS",
                value,
                reason: "expected a whole number of seconds".into(),
            }),
    }
}

/// How often missed events are asked for; `None` (0) turns it off.
fn catch_up_every(var: &impl Fn(&str) -> Option<String>) -> Result<Option<Duration>, ConfigError> {
    match var("SHOP_CATCH_UP_EVERY_SECS") {
        None => Ok(Some(Duration::from_secs(300))),
        Some(value) => match value.trim().parse::<u64>() {
            Ok(0) => Ok(None),
            Ok(secs) => Ok(Some(Duration::from_secs(secs))),
            Err(_) => Err(ConfigError {
                name: "SHOP_CATCH_UP_EVERY_SECS",
                value,
                reason: "expected a whole number of seconds (0 turns it off)".into(),
            }),
        },
    }
}

/// The demo accounts' passwords are on the sign-in page, and the embedded
/// emulator is a Stripe anyone can drive: on an address other machines
/// reach, that takes saying so (`SHOP_DEMO=true`).
fn refuse_an_open_demo(
    var: &impl Fn(&str) -> Option<String>,
    addr: SocketAddr,
    demo_mode: bool,
    stripe: &StripeMode,
) -> Result<(), ConfigError> {
    let demo_said_out_loud = demo_mode && var("SHOP_DEMO").is_some();
    let emulator = matches!(stripe, StripeMode::Emulator { .. });
    if !addr.ip().is_loopback() && (demo_mode || emulator) && !demo_said_out_loud {
        return Err(ConfigError {
            name: "SHOP_ADDR",
            value: addr.to_string(),
            reason: "this address is reachable from other machines, and the demo accounts or the embedded Stripe emulator are on; \
                     set SHOP_DEMO=false and STRIPE_SECRET_KEY, STRIPE_PUBLISHABLE_KEY and STRIPE_WEBHOOK_SECRET, \
                     or SHOP_DEMO=true to serve the demo there on purpose"
                .into(),
        });
    }
    Ok(())
}

fn trusted_proxies(
    var: &impl Fn(&str) -> Option<String>,
) -> Result<Vec<std::net::IpAddr>, ConfigError> {
    let Some(list) = var("SHOP_TRUSTED_PROXIES") else {
        return Ok(Vec::new());
    };
    list.split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| {
            item.parse()
                .map_err(|e: std::net::AddrParseError| ConfigError {
                    name: "SHOP_TRUSTED_PROXIES",
                    value: list.clone(),
                    reason: e.to_string(),
                })
        })
        .collect()
}

fn stripe_mode(
    var: &impl Fn(&str) -> Option<String>,
    database_url: &str,
) -> Result<StripeMode, ConfigError> {
    let keys = [
        var("STRIPE_SECRET_KEY"),
        var("STRIPE_PUBLISHABLE_KEY"),
        var("STRIPE_WEBHOOK_SECRET"),
    ];
    match keys {
        [None, None, None] => {
            let addr = match var("STRIPE_EMULATOR_ADDR") {
                Some(v) => v.trim().parse().map_err(|e: std::net::AddrParseError| ConfigError {
                    name: "STRIPE_EMULATOR_ADDR",
                    value: v,
                    reason: e.to_string(),
                })?,
                None => DEFAULT_EMULATOR_ADDR,
            };
            // Beside the SQLite file; in data/ with PostgreSQL; none in memory.
            let state_file = var("STRIPE_EMULATOR_STATE").map(PathBuf::from).or_else(|| {
                if !database_url.starts_with("sqlite:") {
                    return Some(PathBuf::from("data/stripe-emulator.json"));
                }
                let path = database_url.trim_start_matches("sqlite:").trim_start_matches("//");
                (!shop::server::db::is_in_memory(database_url))
                    .then(|| PathBuf::from(path).with_file_name("stripe-emulator.json"))
            });
            Ok(StripeMode::Emulator { addr, state_file })
        }
        [Some(secret), Some(publishable), Some(webhook)] => {
            let check = |name: &'static str, value: &str, prefix: &str| {
                if value.starts_with(prefix) {
                    Ok(())
                } else {
                    Err(ConfigError {
                        name,
                        // Never echo a secret back, even a wrong one.
                        value: format!("{}…", value.chars().take(3).collect::<String>()),
                        reason: format!("expected a value starting with {prefix}"),
                    })
                }
            };
            check("STRIPE_SECRET_KEY", &secret, "sk_")?;
            check("STRIPE_PUBLISHABLE_KEY", &publishable, "pk_")?;
            check("STRIPE_WEBHOOK_SECRET", &webhook, "whsec_")?;
            Ok(StripeMode::Stripe {
                secret_key: Secret::new(secret),
                publishable_key: publishable,
                webhook_secret: Secret::new(webhook),
                api_base: var("STRIPE_API_BASE").unwrap_or_else(|| "https://api.stripe.com".into()),
                js_url: var("STRIPE_JS_URL").unwrap_or_else(|| "https://js.stripe.com/endive/stripe.js".into()),
            })
        }
        _ => Err(ConfigError {
            name: "STRIPE_SECRET_KEY",
            value: "(partly set)".into(),
            reason: "set STRIPE_SECRET_KEY, STRIPE_PUBLISHABLE_KEY and STRIPE_WEBHOOK_SECRET together, or none of them to use the embedded emulator".into(),
        }),
    }
}

/// A URL fit for a log or an error message: any password in it is masked
/// (`postgres://shop:****@db/shop`).
pub fn masked_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or_default();
            let masked = if userinfo.contains(':') {
                format!("{user}:****")
            } else {
                user.to_owned()
            };
            format!("{scheme}://{masked}@{host}{tail}")
        }
        None => url.to_owned(),
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
        assert!(c.mail.smtp_url.is_none(), "messages page only");
        assert_eq!(c.catch_up_every, Some(Duration::from_secs(300)));
        assert_eq!(c.mail.public_url, "http://127.0.0.1:3000");
        assert_eq!(c.mail.failure_notice_delay, Duration::from_secs(60));
        assert_eq!(
            c.stripe,
            StripeMode::Emulator {
                addr: "127.0.0.1:12110".parse().unwrap(),
                state_file: Some(PathBuf::from("data/stripe-emulator.json")),
            }
        );
    }

    #[test]
    fn trusted_proxies_and_the_instance_name() {
        let c = config(&[
            ("SHOP_TRUSTED_PROXIES", "10.0.0.2, ::1"),
            ("SHOP_INSTANCE", "web-1"),
        ])
        .unwrap();
        assert_eq!(
            c.trusted_proxies,
            vec![
                "10.0.0.2".parse::<std::net::IpAddr>().unwrap(),
                "::1".parse().unwrap()
            ]
        );
        assert_eq!(c.instance, "web-1");
        assert!(config(&[]).unwrap().trusted_proxies.is_empty());
        let limits = config(&[
            ("SHOP_MAX_CONNECTIONS", "500"),
            ("SHOP_HEADER_TIMEOUT_SECS", "3"),
        ])
        .unwrap()
        .transport;
        assert_eq!(limits.max_connections, 500);
        assert_eq!(limits.header_read_timeout, Duration::from_secs(3));
        assert_eq!(limits.max_connections_per_client, 64);
        let err = config(&[("SHOP_BODY_TIMEOUT_SECS", "0")]).unwrap_err();
        assert_eq!(err.name, "SHOP_BODY_TIMEOUT_SECS");
        assert!(config(&[]).unwrap().instance.ends_with("@127.0.0.1:3000"));
        let err = config(&[("SHOP_TRUSTED_PROXIES", "10.0.0.2, nginx")]).unwrap_err();
        assert_eq!(err.name, "SHOP_TRUSTED_PROXIES");
    }

    #[test]
    fn stripe_keys_all_or_none() {
        let c = config(&[
            ("STRIPE_SECRET_KEY", "sk_test_abc"),
            ("STRIPE_PUBLISHABLE_KEY", "pk_test_abc"),
            ("STRIPE_WEBHOOK_SECRET", "whsec_abc"),
        ])
        .unwrap();
        let StripeMode::Stripe {
            api_base,
            js_url,
            secret_key,
            ..
        } = c.stripe
        else {
            panic!()
        };
        assert_eq!(api_base, "https://api.stripe.com");
        assert_eq!(js_url, "https://js.stripe.com/endive/stripe.js");
        assert!(!format!("{secret_key:?}").contains("abc"));
        let partial = config(&[("STRIPE_SECRET_KEY", "sk_test_abc")]).unwrap_err();
        assert!(partial.reason.contains("together"));
        let swapped = config(&[
            ("STRIPE_SECRET_KEY", "pk_test_oops"),
            ("STRIPE_PUBLISHABLE_KEY", "pk_test_abc"),
            ("STRIPE_WEBHOOK_SECRET", "whsec_abc"),
        ])
        .unwrap_err();
        assert_eq!(swapped.name, "STRIPE_SECRET_KEY");
        assert!(!swapped.to_string().contains("oops"));
        let memory = config(&[
            ("DATABASE_URL", "sqlite::memory:"),
            ("STRIPE_EMULATOR_ADDR", "127.0.0.1:0"),
        ])
        .unwrap();
        assert_eq!(
            memory.stripe,
            StripeMode::Emulator {
                addr: "127.0.0.1:0".parse().unwrap(),
                state_file: None
            }
        );
    }

    #[test]
    fn reads_every_variable() {
        let c = config(&[
            ("SHOP_ADDR", "0.0.0.0:8080"),
            ("STRIPE_SECRET_KEY", "sk_test_abc"),
            ("STRIPE_PUBLISHABLE_KEY", "pk_test_abc"),
            ("STRIPE_WEBHOOK_SECRET", "whsec_abc"),
            ("DATABASE_URL", "sqlite::memory:"),
            ("SHOP_SITE_ROOT", "/srv/site"),
            ("SHOP_DEMO", "false"),
            ("SHOP_SECURE_COOKIES", "yes"),
            (
                "SMTP_URL",
                "smtp://user:hunter2@mail.example:587?tls=required",
            ),
            ("SMTP_FROM", "Shop <shop@example.com>"),
            ("SHOP_PUBLIC_URL", "https://shop.example"),
            ("SHOP_FAILURE_NOTICE_DELAY_SECS", "5"),
            ("SHOP_CATCH_UP_EVERY_SECS", "0"),
        ])
        .unwrap();
        assert_eq!(c.catch_up_every, None, "0 turns it off");
        let smtp = c.mail.smtp_url.clone().unwrap();
        assert!(smtp.expose().starts_with("smtp://user:hunter2@"));
        assert!(
            !format!("{c:?}").contains("hunter2"),
            "the password stays out of logs"
        );
        assert_eq!(c.mail.from, "Shop <shop@example.com>");
        assert_eq!(c.mail.public_url, "https://shop.example");
        assert_eq!(c.mail.failure_notice_delay, Duration::from_secs(5));
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
        let err = config(&[("DATABASE_URL", "mysql://x")]).unwrap_err();
        assert_eq!(err.name, "DATABASE_URL");
        let err = config(&[("DATABASE_URL", "mysql://shop:s3cret@db:3306/shop")]).unwrap_err();
        assert!(!err.to_string().contains("s3cret"), "{err}");
        assert!(err.to_string().contains("mysql://shop:****@db:3306/shop"));
        let postgres = config(&[("DATABASE_URL", "postgres://shop:s3cret@db:5432/shop")]).unwrap();
        assert_eq!(postgres.database_url, "postgres://shop:s3cret@db:5432/shop");
    }

    #[test]
    fn urls_lose_their_passwords_in_messages() {
        assert_eq!(
            masked_url("smtp://user:hunter2@mail.example:587?tls=required"),
            "smtp://user:****@mail.example:587?tls=required"
        );
        assert_eq!(
            masked_url("smtps://user@mail.example"),
            "smtps://user@mail.example"
        );
        assert_eq!(masked_url("sqlite://data/shop.db"), "sqlite://data/shop.db");
        assert_eq!(
            masked_url("postgres://a:b:c@h/d?x=@"),
            "postgres://a:****@h/d?x=@"
        );
    }

    #[test]
    fn the_demo_stays_on_loopback_unless_said_out_loud() {
        let err = config(&[("SHOP_ADDR", "0.0.0.0:8080")]).unwrap_err();
        assert_eq!(err.name, "SHOP_ADDR");
        for name in ["SHOP_DEMO", "STRIPE_SECRET_KEY"] {
            assert!(err.reason.contains(name), "{}", err.reason);
        }
        // Demo off but the emulator on: still refused.
        assert!(config(&[("SHOP_ADDR", "0.0.0.0:8080"), ("SHOP_DEMO", "false")]).is_err());
        // Said out loud.
        assert!(config(&[("SHOP_ADDR", "0.0.0.0:8080"), ("SHOP_DEMO", "true")]).is_ok());
        // A real shop: no demo, Stripe keys.
        assert!(config(&[
            ("SHOP_ADDR", "0.0.0.0:8080"),
            ("SHOP_DEMO", "false"),
            ("STRIPE_SECRET_KEY", "sk_test_abc"),
            ("STRIPE_PUBLISHABLE_KEY", "pk_test_abc"),
            ("STRIPE_WEBHOOK_SECRET", "whsec_abc"),
        ])
        .is_ok());
        assert!(
            config(&[("SHOP_ADDR", "[::1]:3000")]).is_ok(),
            "IPv6 loopback"
        );
    }
}
