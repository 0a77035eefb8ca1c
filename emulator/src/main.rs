//! `stripe-emulator`: the emulator as a program.
#![deny(unsafe_code)]

use std::process::ExitCode;
use std::time::Duration;

use stripe_emulator::{start, Config};

const HELP: &str = "\
stripe-emulator: a stateful Stripe test-mode emulator

USAGE:
    stripe-emulator [OPTIONS]

OPTIONS:
    --addr ADDR                   Address to listen on [default: 127.0.0.1:12111]
    --secret-key KEY              Secret key to accept [default: sk_test_emulator]
    --publishable-key KEY         Publishable key to accept [default: pk_test_emulator]
    --forward-to URL              Deliver every event to URL, like `stripe listen --forward-to`;
                                  prints the endpoint's signing secret (whsec_...)
    --state FILE                  Keep all state in FILE, so it survives a restart
    --settle-after SECONDS        How long bank debits stay `processing` [default: 3]
    --delayed-settle-after SECONDS
                                  The same for the \"delayed\" test values [default: 30]
    --display-name NAME           The merchant's name on 3-D Secure and bank pages
                                  [default: Stripe emulator test merchant]
    -h, --help                    Print this help

Any other API key gets Stripe's 401. Test controls (settle, deliver webhooks now,
webhook chaos, reset) are under /_emulator/ with the secret key; see the README.";

fn parse(args: impl Iterator<Item = String>) -> Result<Option<Config>, String> {
    let mut config = Config::default();
    let mut args = args.peekable();
    while let Some(flag) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match flag.as_str() {
            "-h" | "--help" => return Ok(None),
            "--addr" => {
                let v = value("--addr")?;
                config.addr = v.parse().map_err(|e| format!("--addr {v}: {e}"))?;
            }
            "--secret-key" => {
                let v = value("--secret-key")?;
                if !v.starts_with("sk_test_") {
                    return Err("--secret-key must start with sk_test_".into());
                }
                config.secret_key = v;
            }
            "--publishable-key" => {
                let v = value("--publishable-key")?;
                if !v.starts_with("pk_test_") {
                    return Err("--publishable-key must start with pk_test_".into());
                }
                config.publishable_key = v;
            }
            "--forward-to" => config.forward_to = Some(value("--forward-to")?),
            "--state" => config.state_file = Some(value("--state")?.into()),
            "--display-name" => config.display_name = value("--display-name")?,
            "--settle-after" | "--delayed-settle-after" => {
                let v = value(&flag)?;
                let secs: f64 = v
                    .parse()
                    .map_err(|_| format!("{flag} {v}: not a number of seconds"))?;
                if !(0.0..=86_400.0).contains(&secs) {
                    return Err(format!("{flag} must be between 0 and 86400 seconds"));
                }
                let d = Duration::from_secs_f64(secs);
                if flag == "--settle-after" {
                    config.settle_after = d
                } else {
                    config.delayed_settle_after = d
                }
            }
            other => return Err(format!("unknown option {other} (see --help)")),
        }
    }
    Ok(Some(config))
}

#[tokio::main]
async fn main() -> ExitCode {
    // The log (each delivery, as `stripe listen` prints it) on stderr; the
    // banner with the keys on stdout.
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let config = match parse(std::env::args().skip(1)) {
        Ok(Some(config)) => config,
        Ok(None) => {
            println!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("stripe-emulator: {message}");
            return ExitCode::from(2);
        }
    };
    let emulator = match start(config).await {
        Ok(e) => e,
        Err(err) => {
            eprintln!("stripe-emulator: {err}");
            return ExitCode::FAILURE;
        }
    };
    let mut banner = format!(
        "Stripe emulator listening on {0}\n  API base URL:     {0}/v1\n  secret key:       {1}\n  publishable key:  {2}\n",
        emulator.base_url, emulator.secret_key, emulator.publishable_key
    );
    if let Some(secret) = &emulator.forward_secret {
        banner.push_str(&format!(
            "  forwarding every event; webhook signing secret: {secret}\n"
        ));
    }
    // A closed stdout (a supervisor that stopped reading) is no reason to stop serving.
    let mut out = std::io::stdout();
    let _ = std::io::Write::write_all(&mut out, banner.as_bytes());
    let _ = std::io::Write::flush(&mut out);
    let _ = tokio::signal::ctrl_c().await;
    emulator.stop().await;
    ExitCode::SUCCESS
}
