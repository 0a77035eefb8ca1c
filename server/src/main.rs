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
    /// Orders.
    #[command(subcommand)]
    Orders(OrdersCommand),
}

#[derive(Subcommand)]
enum OrdersCommand {
    /// Refund a paid order, in full or in part, at Stripe (the order, its
    /// history and the customer follow once Stripe confirms).
    Refund {
        /// The order's number (`#12` on its page: 12).
        order: i64,
        /// How much, in the order's currency (`12.50`); all that is left by default.
        #[arg(long)]
        amount: Option<String>,
        /// Why, as Stripe records it.
        #[arg(long, value_parser = ["requested_by_customer", "duplicate", "fraudulent"])]
        reason: Option<String>,
    },
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
        Command::Orders(OrdersCommand::Refund {
            order,
            amount,
            reason,
        }) => commands::refund_order(config, order, amount.as_deref(), reason.as_deref()).await,
    }
}
