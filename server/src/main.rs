#![deny(unsafe_code)]

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use server::{commands, Config};
use tracing_subscriber::EnvFilter;

/// Rustic Roast: the shop's web server, and the commands that look after it.
///
/// Every setting comes from the environment (README, "Configuration"):
/// DATABASE_URL, SHOP_ADDR, STRIPE_SECRET_KEY and the others. Without
/// Stripe keys, the shop runs its embedded Stripe test-mode emulator, and
/// the commands reach that emulator inside the running shop.
#[derive(Parser)]
#[command(name = "server", version, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the shop (what `server` alone does).
    Serve,
    /// Customer accounts.
    #[command(subcommand)]
    Customers(CustomersCommand),
}

#[derive(Subcommand)]
enum CustomersCommand {
    /// Create or update one account per Stripe customer with an e-mail
    /// (matched by Stripe id, then e-mail). Running it again changes nothing.
    Import {
        /// Count what would change, write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    // Before anything else: `--help` and `--version` start nothing and
    // write no file.
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(err) => {
            eprintln!("configuration error: {err}");
            return ExitCode::from(2);
        }
    };
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => commands::serve(config).await,
        Command::Customers(CustomersCommand::Import { dry_run }) => {
            commands::import_customers(config, dry_run).await
        }
    }
}
