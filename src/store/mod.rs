//! Storage: SQLite, the database being the single source of truth.
//!
//! Every change commits together with its entry in the `events` table. Writes go through a
//! single connection, so commits happen one at a time and `seq` is handed out gap-free and in
//! commit order; reads use a separate pool and never wait for writers (WAL mode).

mod accounts;
mod api_keys;
mod events;
mod menu;
mod orders;
mod seed;

pub use accounts::{DeviceRow, LoginRecord, UserRow, UsernameTaken};
pub use events::{Replay, Scope, StoredEvent};
pub use menu::{LocationHours, MenuEditRefused};
pub use seed::DemoLocation;
pub use orders::{PlaceRefused, Placed, StatusChangeRefused};

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use std::str::FromStr;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("a stored row could not be read: {0}")]
    Corrupt(String),
}

impl StoreError {
    pub(crate) fn corrupt(what: impl std::fmt::Display) -> Self {
        StoreError::Corrupt(what.to_string())
    }

    /// The database is there but busy or unreachable right now, as opposed to a bug.
    pub fn is_unavailable(&self) -> bool {
        matches!(
            self,
            StoreError::Database(sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed)
        )
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[derive(Clone)]
pub struct Store {
    reader: SqlitePool,
    writer: SqlitePool,
}

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

impl Store {
    /// Opens (creating it if needed) and migrates the database, and seeds the demo pizzeria on
    /// the very first start.
    pub async fn open(database_url: &str, demo: &DemoLocation) -> Result<Store> {
        let store = Store::connect(database_url).await?;
        MIGRATOR.run(&store.writer).await?;
        seed::seed_demo_if_new(&store.writer, demo).await?;
        Ok(store)
    }

    /// Applies the migrations and nothing else.
    pub async fn migrate(database_url: &str) -> Result<()> {
        let store = Store::connect(database_url).await?;
        MIGRATOR.run(&store.writer).await?;
        store.writer.close().await;
        store.reader.close().await;
        Ok(())
    }

    async fn connect(database_url: &str) -> Result<Store> {
        let options = SqliteConnectOptions::from_str(database_url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        // One writer: commits are serialised here rather than fought over with SQLITE_BUSY.
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options.clone())
            .await?;
        let reader = SqlitePoolOptions::new()
            .max_connections(4)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        Ok(Store { reader, writer })
    }

    /// The newest committed seq (0 for an empty log).
    pub async fn head_seq(&self) -> Result<i64> {
        let head: Option<i64> = sqlx::query_scalar("SELECT MAX(seq) FROM events").fetch_one(&self.reader).await?;
        Ok(head.unwrap_or(0))
    }

    /// Whether the database answers and every migration this build knows is applied.
    pub async fn is_ready(&self) -> Result<bool> {
        let applied: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations WHERE success")
            .fetch_one(&self.reader)
            .await?;
        Ok(applied >= MIGRATOR.iter().count() as i64)
    }
}
