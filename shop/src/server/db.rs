//! Opening the database (SQLite by default, or PostgreSQL), bringing its
//! schema up to date, and the one way to begin a transaction that writes.
//!
//! Both backends are reached through sqlx's `Any` driver, so every query in
//! the shop is written once, in the SQL the two share: `$1` placeholders,
//! `CASE` instead of two-argument `MIN`/`MAX`, `IS DISTINCT FROM`, flags as
//! 0/1 integers, no `rowid`. The few statements that must differ (the
//! outbox's claim, a query plan in a test) ask [`Backend::of`].

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::AnyPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};
use sqlx::{AnyPool, Connection, Executor};

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("invalid database URL {url:?}: {source}")]
    Url { url: String, source: sqlx::Error },
    #[error("unsupported database URL {0:?}: expected sqlite://path/to/file.db or postgres://user@host/db")]
    Scheme(String),
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
    #[error("could not take the start-up lock in PostgreSQL: {0}")]
    PgLock(sqlx::Error),
}

/// Which database a pool talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> Option<Self> {
        if url.starts_with("sqlite:") {
            Some(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Some(Self::Postgres)
        } else {
            None
        }
    }

    /// Read from the pool's own URL (no allocation: asked on every write).
    pub fn of(pool: &AnyPool) -> Self {
        match pool.connect_options().database_url.scheme() {
            "postgres" | "postgresql" => Self::Postgres,
            // Invariant: `connect` accepts only URLs `of_url` knows.
            _ => Self::Sqlite,
        }
    }
}

/// The key of the PostgreSQL advisory lock held while migrating and seeding
/// (an arbitrary constant: "shop" in ASCII).
const STARTUP_LOCK_KEY: i64 = 0x73686f70;

/// Held while an instance opens, migrates and seeds the database, so that
/// several instances started at once on a new database take turns: the
/// first creates and migrates it, the others find it done (without it they
/// fail with "table already exists", "database is locked" or a duplicate
/// demo customer). On SQLite an advisory lock on a file beside the
/// database; on PostgreSQL a session advisory lock, held by a connection of
/// its own. Released when dropped; an in-memory database has nothing to share.
pub struct StartupLock {
    /// Unlocked when closed, on drop.
    _file: Option<std::fs::File>,
    /// Its session ends, and the lock with it, when dropped.
    _pg: Option<sqlx::PgConnection>,
}

impl StartupLock {
    pub async fn acquire(url: &str) -> Result<Self, DbError> {
        match Backend::of_url(url) {
            Some(Backend::Postgres) => Self::acquire_postgres(url).await,
            Some(Backend::Sqlite) => Self::acquire_file(url).await,
            None => Err(DbError::Scheme(url.to_owned())),
        }
    }

    async fn acquire_postgres(url: &str) -> Result<Self, DbError> {
        let mut conn = sqlx::PgConnection::connect(url)
            .await
            .map_err(DbError::PgLock)?;
        sqlx::query("SELECT pg_advisory_lock($1)")
            .bind(STARTUP_LOCK_KEY)
            .execute(&mut conn)
            .await
            .map_err(DbError::PgLock)?;
        Ok(Self {
            _file: None,
            _pg: Some(conn),
        })
    }

    async fn acquire_file(url: &str) -> Result<Self, DbError> {
        let path = match SqliteConnectOptions::from_str(url) {
            Ok(options) if !is_in_memory(url) => {
                let mut path = options.get_filename().as_os_str().to_owned();
                path.push(".startup-lock");
                std::path::PathBuf::from(path)
            }
            _ => {
                return Ok(Self {
                    _file: None,
                    _pg: None,
                })
            }
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
        Ok(Self {
            _file: Some(file),
            _pg: None,
        })
    }
}

/// Whether a SQLite URL names an in-memory database (nothing on disk).
pub fn is_in_memory(url: &str) -> bool {
    url.contains(":memory:") || url.contains("mode=memory")
}

/// Opens the database at `url` (`sqlite://…`, created if missing, or
/// `postgres://…`) and applies migrations.
pub async fn connect(url: &str) -> Result<AnyPool, DbError> {
    static DRIVERS: std::sync::Once = std::sync::Once::new();
    DRIVERS.call_once(sqlx::any::install_default_drivers);
    let pool = match Backend::of_url(url) {
        Some(Backend::Sqlite) => open_sqlite(url).await?,
        Some(Backend::Postgres) => AnyPoolOptions::new()
            .max_connections(16)
            // A request waits this long for a connection, then fails with a
            // 503 (`ShopError::Unavailable`… see app/src/error.rs) rather
            // than hanging while the database is down.
            .acquire_timeout(Duration::from_secs(3))
            .connect(url)
            .await
            .map_err(DbError::Open)?,
        None => return Err(DbError::Scheme(url.to_owned())),
    };
    migrate(&pool).await?;
    Ok(pool)
}

async fn open_sqlite(url: &str) -> Result<AnyPool, DbError> {
    // `sqlite::memory:` names no database: give each pool its own named one.
    let url = if url == "sqlite::memory:" || url == "sqlite://:memory:" {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        format!(
            "sqlite:file:shop-memory-{}-{n}?mode=memory&cache=shared",
            std::process::id()
        )
    } else {
        url.to_owned()
    };
    let in_memory = is_in_memory(&url);
    if !in_memory {
        // The file is created, in WAL mode (which the file remembers), with
        // a connection of SQLite's own driver: `Any` takes only what a URL says.
        let options = SqliteConnectOptions::from_str(&url)
            .map_err(|source| DbError::Url {
                url: url.clone(),
                source,
            })?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal);
        let path = options.get_filename();
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| DbError::Folder {
                path: parent.display().to_string(),
                source,
            })?;
        }
        sqlx::SqliteConnection::connect_with(&options)
            .await
            .map_err(DbError::Open)?
            .close()
            .await
            .map_err(DbError::Open)?;
    }
    AnyPoolOptions::new()
        // In memory, one connection serialises everything: a shared-cache database
        // answers concurrent writers with SQLITE_LOCKED, which no busy timeout waits out.
        .max_connections(if in_memory { 1 } else { 8 })
        // An in-memory database lives as long as a connection to it: keep one open.
        .min_connections(if in_memory { 1 } else { 0 })
        .idle_timeout((!in_memory).then_some(Duration::from_secs(600)))
        .max_lifetime((!in_memory).then_some(Duration::from_secs(3600)))
        .after_connect(|conn, _| {
            Box::pin(async move {
                // sqlx's defaults for SQLite are foreign keys on and a 5 s busy
                // timeout. FULL: a commit is on disk before it returns. The
                // webhook acknowledges an event only after its commit, and Stripe
                // will not resend an acknowledged event, so a commit lost to a
                // power cut (possible with NORMAL) would be a payment lost.
                conn.execute("PRAGMA synchronous = FULL").await?;
                Ok(())
            })
        })
        .connect(&url)
        .await
        .map_err(DbError::Open)
}

pub async fn migrate(pool: &AnyPool) -> Result<(), DbError> {
    match Backend::of(pool) {
        Backend::Sqlite => sqlx::migrate!("./migrations/sqlite").run(pool).await?,
        Backend::Postgres => sqlx::migrate!("./migrations/postgres").run(pool).await?,
    }
    Ok(())
}

/// A fresh, migrated, empty database, for tests: in memory on SQLite, or,
/// when `SHOP_TEST_DATABASE_URL` names a PostgreSQL database, a new schema
/// of its own there (`test_<process>_<n>`), so the same tests run on both.
pub async fn for_tests() -> Result<AnyPool, DbError> {
    connect(&test_database_url().await?).await
}

/// The URL [`for_tests`] connects to: a new, empty database each call.
pub async fn test_database_url() -> Result<String, DbError> {
    let Some(base) = std::env::var("SHOP_TEST_DATABASE_URL")
        .ok()
        .filter(|url| Backend::of_url(url) == Some(Backend::Postgres))
    else {
        return Ok("sqlite::memory:".into());
    };
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let schema = format!("test_{}_{n}", std::process::id());
    let mut conn = sqlx::PgConnection::connect(&base)
        .await
        .map_err(DbError::Open)?;
    conn.execute(format!("CREATE SCHEMA {schema}").as_str())
        .await
        .map_err(DbError::Open)?;
    conn.close().await.map_err(DbError::Open)?;
    let separator = if base.contains('?') { '&' } else { '?' };
    // Every connection of the pool starts in that schema (libpq's `options`).
    Ok(format!(
        "{base}{separator}options=-c%20search_path%3D{schema}"
    ))
}

/// Begins a transaction that will write.
///
/// On SQLite, `BEGIN IMMEDIATE` takes the write lock at the start, so
/// concurrent writers wait (busy timeout) instead of failing: a deferred
/// transaction that reads, then writes after another writer committed, gets
/// SQLITE_BUSY at once in WAL mode. Writers of this process first queue, in
/// arrival order, for the one write lock SQLite has: one that found it taken
/// would otherwise sleep in the busy handler (for up to 100 ms at a time) and
/// wake to find it taken again, which made the slowest webhooks of a burst
/// wait a second (docs/benchmarks.md, "Webhooks under load"). Other
/// processes still meet the busy handler.
///
/// On PostgreSQL, a plain `BEGIN` (read committed): writers of any instance
/// run side by side, and each statement that must see the latest row takes
/// its lock (`UPDATE … WHERE`, `INSERT … ON CONFLICT`, or
/// [`lock_order`](super::order_store::lock)).
pub async fn write_transaction(pool: &AnyPool) -> Result<WriteTransaction, sqlx::Error> {
    if Backend::of(pool) == Backend::Postgres {
        return Ok(WriteTransaction {
            tx: pool.begin().await?,
            _turn: None,
        });
    }
    static GATE: std::sync::OnceLock<std::sync::Arc<tokio::sync::Mutex<()>>> =
        std::sync::OnceLock::new();
    let gate = GATE
        .get_or_init(Default::default)
        .clone()
        .lock_owned()
        .await;
    let tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    Ok(WriteTransaction {
        tx,
        _turn: Some(gate),
    })
}

/// What a read inside a write transaction adds to lock the rows it will
/// change until the commit: ` FOR UPDATE` on PostgreSQL, where other
/// instances' transactions run alongside; nothing on SQLite, whose write
/// transaction already shuts every other writer out.
pub fn for_update(conn: &sqlx::AnyConnection) -> &'static str {
    if conn.backend_name() == <sqlx::Postgres as sqlx::Database>::NAME {
        " FOR UPDATE"
    } else {
        ""
    }
}

/// A write transaction holding this process's turn to write until it is
/// committed or dropped. Derefs to the connection, like sqlx's `Transaction`.
pub struct WriteTransaction {
    tx: sqlx::Transaction<'static, sqlx::Any>,
    /// SQLite only: this process's turn at the write lock.
    _turn: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl WriteTransaction {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }
}

impl std::ops::Deref for WriteTransaction {
    type Target = sqlx::AnyConnection;

    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl std::ops::DerefMut for WriteTransaction {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}

/// Stores an enum with `code()` and `from_code()` as its code, in a TEXT
/// column of either database (sqlx's derive does not cover `Any`). Reading
/// is strict: a code that `code()` would not write is an error, not a guess.
macro_rules! text_column {
    ($ty:ty) => {
        impl sqlx::Type<sqlx::Any> for $ty {
            fn type_info() -> sqlx::any::AnyTypeInfo {
                <&str as sqlx::Type<sqlx::Any>>::type_info()
            }
        }

        impl<'q> sqlx::Encode<'q, sqlx::Any> for $ty {
            fn encode_by_ref(
                &self,
                buf: &mut <sqlx::Any as sqlx::Database>::ArgumentBuffer<'q>,
            ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
                <&str as sqlx::Encode<'q, sqlx::Any>>::encode(self.code(), buf)
            }
        }

        impl<'r> sqlx::Decode<'r, sqlx::Any> for $ty {
            fn decode(
                value: <sqlx::Any as sqlx::Database>::ValueRef<'r>,
            ) -> Result<Self, sqlx::error::BoxDynError> {
                let code = <&str as sqlx::Decode<'r, sqlx::Any>>::decode(value)?;
                <$ty>::from_code(code)
                    .filter(|parsed| parsed.code() == code)
                    .ok_or_else(|| format!("unknown {} {code:?}", stringify!($ty)).into())
            }
        }
    };
}

// The domain's enums stored as their codes: the database's concern, kept
// here so the domain modules know nothing of sqlx.
text_column!(crate::locale::Locale);
text_column!(crate::money::Currency);
text_column!(crate::orders::OrderStatus);
text_column!(crate::messages::MessageKind);
text_column!(crate::messages::MessageDelivery);

/// A whole number from an INTEGER (SQLite) or BIGINT (PostgreSQL) column,
/// narrowed to the type the domain uses; out of range is a decoding error
/// (the schema's CHECKs keep it in range). `Any` reads integers as `i64`.
pub fn narrow<T: TryFrom<i64>>(value: i64, column: &'static str) -> Result<T, sqlx::Error> {
    T::try_from(value).map_err(|_| sqlx::Error::ColumnDecode {
        index: column.to_owned(),
        source: format!("{value} is out of range").into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both sets of migrations have the same steps, by number and name.
    #[test]
    fn the_two_sets_of_migrations_are_in_step() {
        let steps = |migrator: sqlx::migrate::Migrator| -> Vec<(i64, String)> {
            migrator
                .iter()
                .map(|m| (m.version, m.description.to_string()))
                .collect()
        };
        let sqlite = steps(sqlx::migrate!("./migrations/sqlite"));
        let postgres = steps(sqlx::migrate!("./migrations/postgres"));
        assert!(!sqlite.is_empty());
        assert_eq!(sqlite, postgres);
    }

    /// Both trees migrated: SQLite in memory, and a new PostgreSQL schema
    /// when the tests have a PostgreSQL (`SHOP_TEST_DATABASE_URL`; the test
    /// command gives them one). `None` without one.
    async fn both_databases() -> Option<(AnyPool, AnyPool)> {
        let Ok(base) = std::env::var("SHOP_TEST_DATABASE_URL") else {
            eprintln!("no SHOP_TEST_DATABASE_URL: compared on SQLite alone");
            return None;
        };
        let postgres = for_tests().await.unwrap();
        assert_eq!(Backend::of(&postgres), Backend::Postgres, "{base}");
        let sqlite = connect("sqlite::memory:").await.unwrap();
        Some((sqlite, postgres))
    }

    /// Each table ends with the same columns, each as nullable, on both
    /// databases. Runs when the tests have a PostgreSQL
    /// (`SHOP_TEST_DATABASE_URL`); the test command gives them one.
    #[tokio::test]
    async fn both_databases_end_with_the_same_tables_and_columns() {
        let Some((sqlite, postgres)) = both_databases().await else {
            return;
        };
        let sqlite_columns: Vec<(String, String, i64)> = sqlx::query_as(
            "SELECT m.name, p.name, p.\"notnull\" + p.pk FROM sqlite_master m, pragma_table_info(m.name) p
             WHERE m.type = 'table' AND m.name NOT LIKE '\\_%' ESCAPE '\\' AND m.name NOT LIKE 'sqlite%'
             ORDER BY m.name, p.name",
        )
        .fetch_all(&sqlite)
        .await
        .unwrap();
        let postgres_columns: Vec<(String, String, i64)> = sqlx::query_as(
            "SELECT table_name::text, column_name::text, CASE WHEN is_nullable = 'NO' THEN 1 ELSE 0 END
             FROM information_schema.columns WHERE table_schema = current_schema()
             AND table_name NOT LIKE '\\_%' ORDER BY table_name::text COLLATE \"C\", column_name::text COLLATE \"C\"",
        )
        .fetch_all(&postgres)
        .await
        .unwrap();
        let normalise = |columns: Vec<(String, String, i64)>| -> Vec<(String, String, bool)> {
            columns
                .into_iter()
                .map(|(table, column, required)| (table, column, required > 0))
                .collect()
        };
        assert!(sqlite_columns.len() > 50, "{sqlite_columns:?}");
        assert_eq!(normalise(sqlite_columns), normalise(postgres_columns));
    }

    /// Each database ends with the same named indexes, on the same tables,
    /// unique or not (those a UNIQUE or PRIMARY KEY constraint makes by
    /// itself are named by each database its own way, and left out).
    #[tokio::test]
    async fn both_databases_end_with_the_same_indexes() {
        let Some((sqlite, postgres)) = both_databases().await else {
            return;
        };
        let sqlite_indexes: Vec<(String, String, i64)> = sqlx::query_as(
            "SELECT m.name, m.tbl_name, l.\"unique\" FROM sqlite_master m
             JOIN pragma_index_list(m.tbl_name) l ON l.name = m.name
             WHERE m.type = 'index' AND l.origin = 'c' AND m.tbl_name NOT LIKE '\\_%' ESCAPE '\\'
             ORDER BY m.name",
        )
        .fetch_all(&sqlite)
        .await
        .unwrap();
        let postgres_indexes: Vec<(String, String, i64)> = sqlx::query_as(
            "SELECT i.relname::text, t.relname::text, CASE WHEN x.indisunique THEN 1 ELSE 0 END
             FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
             JOIN pg_namespace n ON n.oid = t.relnamespace
             WHERE n.nspname = current_schema() AND t.relname NOT LIKE '\\_%'
             AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
             ORDER BY i.relname::text COLLATE \"C\"",
        )
        .fetch_all(&postgres)
        .await
        .unwrap();
        assert!(sqlite_indexes.len() > 10, "{sqlite_indexes:?}");
        assert_eq!(sqlite_indexes, postgres_indexes);
    }
}
