//! Opening the SQLite database and bringing its schema up to date.

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("invalid database URL {url:?}: {source}")]
    Url { url: String, source: sqlx::Error },
    #[error("could not create the database folder {path:?}: {source}")]
    Folder {
        path: String,
        source: std::io::Error,
    },
    #[error("could not open the database: {0}")]
    Open(sqlx::Error),
    #[error("could not apply migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("could not take the start-up lock {path:?}: {source}")]
    Lock {
        path: String,
        source: std::io::Error,
    },
}

/// Held while an instance opens, migrates and seeds the database, so that
/// several instances started at once on a new database take turns: the
/// first creates and migrates it, the others find it done (without it they
/// fail with "table already exists", "database is locked" or a duplicate
/// demo customer). An advisory lock on a file beside the database, released
/// when dropped; an in-memory database has nothing to share.
pub struct StartupLock {
    /// Unlocked when closed, on drop.
    _held: Option<std::fs::File>,
}

impl StartupLock {
    pub async fn acquire(url: &str) -> Result<Self, DbError> {
        let path = match SqliteConnectOptions::from_str(url) {
            Ok(options) if !url.contains(":memory:") && !url.contains("mode=memory") => {
                let mut path = options.get_filename().as_os_str().to_owned();
                path.push(".startup-lock");
                std::path::PathBuf::from(path)
            }
            _ => return Ok(Self { _held: None }),
        };
        let failed = |source| DbError::Lock {
            path: path.display().to_string(),
            source,
        };
        let file = tokio::task::spawn_blocking({
            let path = path.clone();
            move || {
                if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                    std::fs::create_dir_all(parent)?;
                }
                let file = std::fs::OpenOptions::new()
                    .create(true)
                    .truncate(false)
                    .write(true)
                    .open(&path)?;
                // Waits for an instance that is migrating or seeding.
                file.lock()?;
                Ok(file)
            }
        })
        .await
        .map_err(|join| failed(std::io::Error::other(join)))?
        .map_err(failed)?;
        Ok(Self { _held: Some(file) })
    }
}

/// Opens (creating if missing) the database at `url` and applies migrations.
pub async fn connect(url: &str) -> Result<SqlitePool, DbError> {
    // `sqlite::memory:` names no database: give each pool its own named one.
    let shared;
    let url = if url == "sqlite::memory:" || url == "sqlite://:memory:" {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        shared = format!(
            "sqlite:file:shop-memory-{}-{n}?mode=memory&cache=shared",
            std::process::id()
        );
        shared.as_str()
    } else {
        url
    };
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|source| DbError::Url {
            url: url.to_owned(),
            source,
        })?
        .create_if_missing(true)
        .foreign_keys(true)
        // WAL + FULL: a commit is on disk before it returns. The webhook
        // acknowledges an event only after its commit, and Stripe will not
        // resend an acknowledged event, so a commit lost to a power cut
        // (possible with NORMAL) would be a payment lost.
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .busy_timeout(Duration::from_secs(5));
    let in_memory = url.contains(":memory:") || url.contains("mode=memory");
    if !in_memory {
        let path = options.get_filename();
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| DbError::Folder {
                path: parent.display().to_string(),
                source,
            })?;
        }
    }
    let pool = SqlitePoolOptions::new()
        // In memory, one connection serialises everything: a shared-cache database
        // answers concurrent writers with SQLITE_LOCKED, which no busy timeout waits out.
        .max_connections(if in_memory { 1 } else { 8 })
        // An in-memory database lives as long as a connection to it: keep one open.
        .min_connections(if in_memory { 1 } else { 0 })
        .idle_timeout(if in_memory {
            None
        } else {
            Some(Duration::from_secs(600))
        })
        .max_lifetime(if in_memory {
            None
        } else {
            Some(Duration::from_secs(3600))
        })
        .connect_with(options)
        .await
        .map_err(DbError::Open)?;
    migrate(&pool).await?;
    Ok(pool)
}

pub async fn migrate(pool: &SqlitePool) -> Result<(), DbError> {
    sqlx::migrate!("./migrations").run(pool).await?;
    Ok(())
}

/// A fresh, migrated in-memory database, for tests.
pub async fn in_memory() -> Result<SqlitePool, DbError> {
    connect("sqlite::memory:").await
}

/// Begins a transaction that will write. `BEGIN IMMEDIATE` takes the write
/// lock at the start, so concurrent writers wait (busy timeout) instead of
/// failing: a deferred transaction that reads, then writes after another
/// writer committed, gets SQLITE_BUSY at once in WAL mode.
///
/// Writers of this process first queue, in arrival order, for the one write
/// lock SQLite has: one that found it taken would otherwise sleep in the busy
/// handler (for up to 100 ms at a time) and wake to find it taken again, which
/// made the slowest webhooks of a burst wait a second (docs/benchmarks.md,
/// "Webhooks under load"). Other processes still meet the busy handler.
pub async fn write_transaction(pool: &SqlitePool) -> Result<WriteTransaction, sqlx::Error> {
    static GATE: std::sync::OnceLock<std::sync::Arc<tokio::sync::Mutex<()>>> =
        std::sync::OnceLock::new();
    let gate = GATE
        .get_or_init(Default::default)
        .clone()
        .lock_owned()
        .await;
    let tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    Ok(WriteTransaction { tx, _turn: gate })
}

/// A write transaction holding this process's turn to write until it is
/// committed or dropped. Derefs to the connection, like sqlx's `Transaction`.
pub struct WriteTransaction {
    tx: sqlx::Transaction<'static, sqlx::Sqlite>,
    _turn: tokio::sync::OwnedMutexGuard<()>,
}

impl WriteTransaction {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }
}

impl std::ops::Deref for WriteTransaction {
    type Target = sqlx::SqliteConnection;

    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl std::ops::DerefMut for WriteTransaction {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}
