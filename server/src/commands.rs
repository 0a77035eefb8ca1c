//! What the `server` binary does, one function per command: serving the
//! shop, and importing the Stripe account's customers.

use std::process::ExitCode;

use shop::server::db;
use shop::server::stripe::{RetryPolicy, Secret, StripeClient, StripeError, StripeSettings};

use crate::{app, build_state, Config, Started, StripeMode};

/// `server` / `server serve`: the shop, until Ctrl-C or SIGTERM.
pub async fn serve(config: Config) -> ExitCode {
    let started = match build_state(&config).await {
        Ok(started) => started,
        Err(err) => {
            eprintln!("start-up failed: {err}");
            return ExitCode::FAILURE;
        }
    };
    // Delivers queued messages, and those a previous run left behind.
    let outbox = started.outbox.clone().spawn();
    // Stripe gives up redelivering after a while: ask it for what we missed.
    let catch_up = config.catch_up_every.map(|every| {
        crate::catch_up::spawn(
            started.state.stripe.clone(),
            started.state.pool.clone(),
            every,
        )
    });
    let listener = match tokio::net::TcpListener::bind(config.addr).await {
        Ok(listener) => listener,
        Err(err) => {
            eprintln!("cannot listen on {}: {err}", config.addr);
            return ExitCode::FAILURE;
        }
    };
    log_where_things_are(&config, &started);
    let limits = connection_limits(&config);
    // Each request carries its connection's address: sign-in throttling counts per client.
    crate::listener::serve(
        listener,
        app(started.state),
        limits,
        config.trusted_proxies.clone(),
        shutdown_signal(),
    )
    .await;
    if let Some(catch_up) = catch_up {
        catch_up.abort();
    }
    outbox.shutdown().await;
    if let Some(emulator) = started.emulator {
        emulator.stop().await;
    }
    ExitCode::SUCCESS
}

/// Tells the operator which Stripe, which mail and which address and
/// database the shop uses (secrets masked).
fn log_where_things_are(config: &Config, started: &Started) {
    match &started.emulator {
        Some(emulator) => {
            let key_file = match &config.stripe {
                StripeMode::Emulator {
                    state_file: Some(state),
                    ..
                } => format!(
                    " (its secret key, to look inside with curl or an SDK, is in {})",
                    crate::emulator_key_file(state).display()
                ),
                _ => String::new(),
            };
            tracing::info!(
                "no Stripe keys configured: embedded Stripe test-mode emulator at {}{key_file}",
                crate::embedded_emulator::base_url(emulator),
            )
        }
        None => tracing::info!(
            "using Stripe at {}",
            started.state.stripe.settings().api_base
        ),
    }
    match &config.mail.smtp_url {
        Some(_) => tracing::info!(
            "messages to customers are e-mailed from {}",
            config.mail.from
        ),
        None if started.state.settings.dev_mailbox => tracing::info!(
            "no SMTP_URL: e-mails (sign-in codes too) are shown on http://{}/dev/mailbox",
            config.addr
        ),
        None => tracing::info!("no SMTP_URL: messages to customers are shown on /messages"),
    }
    tracing::info!(
        "shop listening on http://{} (database {}, demo mode {})",
        config.addr,
        crate::config::masked_url(&config.database_url),
        config.demo_mode
    );
}

/// The configured connection limits, the cap lowered to what the process's
/// file limit (raised as far as allowed) can hold.
fn connection_limits(config: &Config) -> crate::listener::TransportLimits {
    let mut limits = config.transport.clone();
    let file_limit = crate::listener::raise_file_limit();
    limits.max_connections = crate::listener::connection_cap(limits.max_connections, file_limit);
    tracing::info!(
        max_connections = limits.max_connections,
        per_client = limits.max_connections_per_client,
        header_timeout_secs = limits.header_read_timeout.as_secs(),
        body_timeout_secs = limits.body_timeout.as_secs(),
        file_limit,
        "connection limits"
    );
    limits
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}

/// The Stripe a command talks to: the configured account, or, without keys,
/// the embedded emulator of the shop running on this data directory (its
/// address from `STRIPE_EMULATOR_ADDR`, its key from beside its state file).
/// A command never starts an emulator of its own: it would be another,
/// empty Stripe.
pub fn stripe_for_commands(config: &Config) -> Result<StripeClient, String> {
    let settings = match &config.stripe {
        StripeMode::Stripe {
            secret_key,
            publishable_key,
            api_base,
            js_url,
            ..
        } => StripeSettings {
            api_base: api_base.clone(),
            secret_key: secret_key.clone(),
            publishable_key: publishable_key.clone(),
            js_url: js_url.clone(),
            retry: RetryPolicy::default(),
        },
        StripeMode::Emulator { addr, state_file } => {
            let Some(state_file) = state_file else {
                return Err("the database is in memory, so no running shop's emulator can be found: set DATABASE_URL, or Stripe keys".into());
            };
            let key_file = crate::emulator_key_file(state_file);
            let key = std::fs::read_to_string(&key_file).map_err(|err| {
                format!(
                    "no emulator key at {} ({err}): start the shop once first (./scripts/run.sh), its embedded emulator holds the customers",
                    key_file.display()
                )
            })?;
            let base = format!("http://{addr}");
            StripeSettings {
                api_base: base.clone(),
                secret_key: Secret::new(key.trim()),
                publishable_key: String::new(),
                js_url: format!("{base}/v3/"),
                retry: RetryPolicy::default(),
            }
        }
    };
    Ok(StripeClient::new(settings))
}

/// The Stripe and the database a command works with.
async fn connect(config: &Config) -> Result<(StripeClient, sqlx::AnyPool), String> {
    let stripe = stripe_for_commands(config)?;
    let startup = db::StartupLock::acquire(&config.database_url)
        .await
        .map_err(|e| e.to_string())?;
    let pool = db::connect(&config.database_url)
        .await
        .map_err(|e| e.to_string())?;
    drop(startup);
    Ok((stripe, pool))
}

/// `12.50`, `12,50` or `12` as minor units (cents).
pub fn parse_amount(text: &str) -> Result<i64, String> {
    let text = text.trim().replace(',', ".");
    let (units, cents) = text.split_once('.').unwrap_or((&text, "0"));
    let cents = match cents.len() {
        1 => format!("{cents}0"),
        2 => cents.to_owned(),
        _ => return Err(format!("{text:?}: at most two decimals")),
    };
    let units: i64 = units
        .parse()
        .map_err(|_| format!("{text:?} is not an amount"))?;
    let cents: i64 = cents
        .parse()
        .map_err(|_| format!("{text:?} is not an amount"))?;
    units
        .checked_mul(100)
        .and_then(|u| u.checked_add(cents))
        .filter(|a| *a > 0 && !text.starts_with('-'))
        .ok_or_else(|| format!("{text:?}: the amount must be more than zero"))
}

/// `server orders refund <order> [--amount 12.50] [--reason …]`.
pub async fn refund_order(
    config: Config,
    order: i64,
    amount: Option<&str>,
    reason: Option<&str>,
) -> ExitCode {
    let amount = match amount.map(parse_amount).transpose() {
        Ok(amount) => amount,
        Err(err) => {
            eprintln!("orders refund: {err}");
            return ExitCode::from(2);
        }
    };
    let (stripe, pool) = match connect(&config).await {
        Ok(connected) => connected,
        Err(err) => {
            eprintln!("orders refund: {err}");
            return ExitCode::FAILURE;
        }
    };
    match shop::server::refunds::refund_order(&stripe, &pool, order, amount, reason).await {
        Ok(refund) => {
            let money = shop::money::Currency::from_code(&refund.currency).map_or_else(
                || format!("{} {}", refund.amount, refund.currency),
                |c| shop::money::Money::new(refund.amount, c).format(shop::i18n::Locale::En),
            );
            println!(
                "order #{order}: refund {} of {money}, {}",
                refund.id, refund.status
            );
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("orders refund: {err}");
            ExitCode::FAILURE
        }
    }
}

/// `server customers import [--dry-run]`.
pub async fn import_customers(config: Config, dry_run: bool) -> ExitCode {
    let (stripe, pool) = match connect(&config).await {
        Ok(connected) => connected,
        Err(err) => {
            eprintln!("customers import: {err}");
            return ExitCode::FAILURE;
        }
    };
    eprintln!(
        "customers import: from {} into {}",
        stripe.settings().api_base,
        crate::config::masked_url(&config.database_url)
    );
    match crate::import::run(&stripe, &pool, dry_run).await {
        Ok(_) => ExitCode::SUCCESS,
        Err(crate::import::ImportError::Stripe(StripeError::Connection(err))) => {
            eprintln!(
                "customers import: Stripe did not answer at {} ({err}). Without keys, the shop must be running: its embedded emulator holds the customers.",
                stripe.settings().api_base
            );
            ExitCode::FAILURE
        }
        Err(err) => {
            eprintln!("customers import: {err}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_amount;

    #[test]
    fn amounts_are_read_in_minor_units() {
        assert_eq!(parse_amount("12.50"), Ok(1250));
        assert_eq!(parse_amount("12,5"), Ok(1250));
        assert_eq!(parse_amount(" 7 "), Ok(700));
        for bad in [
            "",
            "abc",
            "1.234",
            "-3",
            "0",
            "0.00",
            "99999999999999999999",
        ] {
            assert!(parse_amount(bad).is_err(), "{bad}");
        }
    }
}
