//! `server customers import`: one account per Stripe customer with an
//! e-mail, for a merchant whose customers are already at Stripe.
//!
//! It pages through the account's customers (`limit=100`,
//! `starting_after`, newest first), then, for each e-mail address: the
//! account already linked to one of its customers follows that customer;
//! else the account with that e-mail is linked to it (if it has no Stripe
//! customer yet); else an account is created, linked, without a password
//! (its owner signs in by e-mailed code). Where several customers share an
//! address, one is picked by the rule of `stripe_accounts`. Running it again
//! changes nothing. Customers without a usable e-mail are skipped.
//!
//! Stripe's 429 and 5xx are retried by the client, as everywhere.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use sqlx::AnyPool;

use shop::email::EmailAddress;
use shop::i18n::Locale;
use shop::server::customers::{self, Customer, StripeDetails, StripeLink};
use shop::server::stripe::{self, StripeClient, StripeError};
use shop::server::{db, stripe_accounts};

/// Accounts written per transaction.
const BATCH: usize = 100;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("listing the customers at Stripe: {0}")]
    Stripe(#[from] StripeError),
    #[error("writing the accounts: {0}")]
    Database(#[from] sqlx::Error),
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// Stripe customers listed.
    pub listed: usize,
    pub pages: usize,
    pub created: usize,
    /// Accounts that changed: linked to their Stripe customer, or following
    /// its name, e-mail or language.
    pub updated: usize,
    pub unchanged: usize,
    /// Customers without an e-mail the shop can write to.
    pub skipped_without_email: usize,
    /// E-mail addresses that several Stripe customers share.
    pub shared_emails: usize,
    /// Accounts whose e-mail matched but which are linked to another Stripe
    /// customer already: left as they are.
    pub linked_elsewhere: usize,
}

/// Where the import stands, for a progress line.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Progress {
    /// Listing: customers so far, and whether Stripe has more.
    Listing { listed: usize, pages: usize },
    /// Writing accounts: done of total.
    Writing { done: usize, total: usize },
}

/// Lists every customer, then creates or updates the accounts (or, with
/// `dry_run`, only counts what it would do).
pub async fn import(
    stripe: &StripeClient,
    pool: &AnyPool,
    dry_run: bool,
    progress: &mut dyn FnMut(Progress),
) -> Result<ImportSummary, ImportError> {
    let mut summary = ImportSummary::default();
    let mut by_email: BTreeMap<String, Vec<stripe::Customer>> = BTreeMap::new();
    let mut after: Option<String> = None;
    loop {
        let page = stripe.list_customers(None, after.as_deref()).await?;
        summary.pages += 1;
        summary.listed += page.data.len();
        after = page.data.last().map(|c| c.id.clone());
        for customer in page.data.into_iter().filter(|c| !c.deleted) {
            match customer.email.as_deref().map(EmailAddress::parse) {
                Some(Ok(email)) => by_email
                    .entry(email.to_string())
                    .or_default()
                    .push(customer),
                _ => summary.skipped_without_email += 1,
            }
        }
        progress(Progress::Listing {
            listed: summary.listed,
            pages: summary.pages,
        });
        if !page.has_more || after.is_none() {
            break;
        }
    }
    summary.shared_emails = by_email.values().filter(|c| c.len() > 1).count();
    let total = by_email.len();
    let groups: Vec<(String, Vec<stripe::Customer>)> = by_email.into_iter().collect();
    for (n, chunk) in groups.chunks(BATCH).enumerate() {
        write_batch(stripe, pool, chunk, dry_run, &mut summary).await?;
        progress(Progress::Writing {
            done: (n * BATCH + chunk.len()).min(total),
            total,
        });
    }
    Ok(summary)
}

/// What one e-mail address's customers do to the accounts.
enum Plan {
    /// The account linked to one of them follows it.
    Follow(Customer, StripeDetails),
    Link(Customer, stripe_accounts::Match),
    Create(EmailAddress, stripe_accounts::Match),
    LinkedElsewhere,
    Unchanged,
}

async fn write_batch(
    stripe: &StripeClient,
    pool: &AnyPool,
    groups: &[(String, Vec<stripe::Customer>)],
    dry_run: bool,
    summary: &mut ImportSummary,
) -> Result<(), ImportError> {
    // What to do is decided first (asking Stripe which of several customers
    // has saved methods), then written in one transaction without a call
    // to Stripe inside it.
    let mut plans = Vec::with_capacity(groups.len());
    let mut conn = pool.acquire().await?;
    for (email, candidates) in groups {
        plans.push(plan(stripe, &mut conn, email, candidates).await?);
    }
    drop(conn);
    let mut tx = db::write_transaction(pool).await?;
    for plan in plans {
        match plan {
            Plan::Unchanged => summary.unchanged += 1,
            Plan::LinkedElsewhere => summary.linked_elsewhere += 1,
            Plan::Follow(account, details) => {
                let changed = dry_run
                    || customers::follow_stripe_in(&mut tx, account.id, &details)
                        .await?
                        .changed;
                if changed {
                    summary.updated += 1;
                } else {
                    summary.unchanged += 1;
                }
            }
            Plan::Link(account, found) => {
                if !dry_run {
                    customers::link_stripe_in(
                        &mut tx,
                        account.id,
                        &StripeLink {
                            customer_id: &found.customer.id,
                            linked_by: &found.linked_by,
                        },
                    )
                    .await?;
                }
                summary.updated += 1;
            }
            Plan::Create(email, found) => {
                if !dry_run {
                    create_in(&mut tx, &email, &found).await?;
                }
                summary.created += 1;
            }
        }
    }
    if dry_run {
        drop(tx);
    } else {
        tx.commit().await?;
    }
    Ok(())
}

async fn plan(
    stripe: &StripeClient,
    conn: &mut sqlx::AnyConnection,
    email: &str,
    candidates: &[stripe::Customer],
) -> Result<Plan, ImportError> {
    // An account already linked to one of them: it follows that one.
    for candidate in candidates {
        if let Some(account) = customers::find_by_stripe_id_in(conn, &candidate.id).await? {
            let current = StripeDetails {
                email: account.email.clone(),
                name: account.name.clone(),
                locale: account.locale,
            };
            return Ok(match stripe_accounts::followed(candidate, &current) {
                Some(details) if details != current => Plan::Follow(account, details),
                _ => Plan::Unchanged,
            });
        }
    }
    let Some(found) = stripe_accounts::pick(stripe, candidates.to_vec(), "import").await? else {
        return Ok(Plan::Unchanged);
    };
    let Ok(address) = EmailAddress::parse(email) else {
        return Ok(Plan::Unchanged);
    };
    Ok(match customers::find_by_email_in(conn, email).await? {
        Some(account) if account.stripe_customer_id.is_none() => Plan::Link(account, found),
        Some(_) => Plan::LinkedElsewhere,
        None => Plan::Create(address, found),
    })
}

async fn create_in(
    tx: &mut sqlx::AnyConnection,
    email: &EmailAddress,
    found: &stripe_accounts::Match,
) -> Result<(), sqlx::Error> {
    let details = stripe_accounts::details(&found.customer, Locale::En);
    let name = details
        .name
        .clone()
        .unwrap_or_else(|| email.local_part().to_owned());
    stripe_accounts::create_linked_in(tx, email, found, &name, &details).await?;
    Ok(())
}

/// A progress line for a terminal: where the import stands and its rate.
pub fn progress_line(progress: Progress, elapsed: Duration) -> String {
    let secs = elapsed.as_secs_f64().max(0.001);
    match progress {
        Progress::Listing { listed, pages } => format!(
            "listing Stripe customers: {listed} in {pages} pages ({:.0}/s; Stripe gives no total, more until the last page)",
            listed as f64 / secs
        ),
        Progress::Writing { done, total } => format!(
            "writing accounts: {done} of {total} e-mail addresses, {} left",
            total - done
        ),
    }
}

/// The closing summary, for people.
pub fn report(summary: &ImportSummary, elapsed: Duration, dry_run: bool) -> String {
    let mut lines = vec![format!(
        "{} {} Stripe customers ({} pages) in {:.1} s{}:",
        if dry_run {
            "Dry run, nothing written:"
        } else {
            "Imported"
        },
        summary.listed,
        summary.pages,
        elapsed.as_secs_f64(),
        if dry_run { " would give" } else { "" },
    )];
    lines.push(format!("  {} accounts created", summary.created));
    lines.push(format!("  {} accounts updated", summary.updated));
    lines.push(format!("  {} accounts unchanged", summary.unchanged));
    lines.push(format!(
        "  {} customers skipped without an e-mail address",
        summary.skipped_without_email
    ));
    lines.push(format!(
        "  {} e-mail addresses shared by several customers (each linked to one: the newest with saved payment methods, else the newest)",
        summary.shared_emails
    ));
    if summary.linked_elsewhere > 0 {
        lines.push(format!(
            "  {} accounts left as they are: linked to another Stripe customer already",
            summary.linked_elsewhere
        ));
    }
    lines.join("\n")
}

/// Runs the import, printing progress on a terminal (stderr) and the
/// summary (stdout).
pub async fn run(
    stripe: &StripeClient,
    pool: &AnyPool,
    dry_run: bool,
) -> Result<ImportSummary, ImportError> {
    use std::io::{IsTerminal, Write};
    let started = Instant::now();
    let terminal = std::io::stderr().is_terminal();
    let mut last = Instant::now();
    let mut show = |progress: Progress| {
        if terminal && last.elapsed() > Duration::from_millis(100) {
            last = Instant::now();
            let mut err = std::io::stderr();
            let _ = write!(
                err,
                "\r\x1b[2K{}",
                progress_line(progress, started.elapsed())
            );
            let _ = err.flush();
        }
    };
    let summary = import(stripe, pool, dry_run, &mut show).await?;
    if terminal {
        eprint!("\r\x1b[2K");
    }
    println!("{}", report(&summary, started.elapsed(), dry_run));
    Ok(summary)
}
