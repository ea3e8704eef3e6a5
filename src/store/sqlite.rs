//! The SQLite backend: one file, one machine, nothing to install.
//!
//! Writes go through a single connection, so commits happen one at a time and seqs are handed
//! out in commit order without any lock; reads use a separate pool and never wait for the
//! writer (WAL mode).

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::str::FromStr;
use std::time::Duration;

type Db = sqlx::Sqlite;
type Conn = sqlx::SqliteConnection;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

/// Rows a read connection's thread may get ahead of the task reading them.
const READ_ROW_BUFFER: usize = 1024;

#[derive(Clone)]
pub struct Pools {
    reader: sqlx::SqlitePool,
    writer: sqlx::SqlitePool,
}

impl Pools {
    pub async fn connect(database_url: &str) -> Result<Pools> {
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
        // SQLite runs on a thread per connection, which hands rows over through a channel of
        // 50 by default: a snapshot of 200 orders and their lines would stop and wait for the
        // reader a dozen times. A deeper channel lets the query run through in one go.
        let reader = SqlitePoolOptions::new()
            .max_connections(4)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options.row_buffer_size(READ_ROW_BUFFER))
            .await?;
        Ok(Pools { reader, writer })
    }

    pub async fn migrate(&self) -> Result<()> {
        MIGRATOR.run(&self.writer).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.writer.close().await;
        self.reader.close().await;
    }

    /// Copies the database into `file` from one read snapshot: what was committed when it
    /// began, whole, while writers go on (WAL readers do not block them).
    pub async fn backup_to(&self, file: &std::path::Path) -> Result<()> {
        let path =
            file.to_str().ok_or_else(|| StoreError::Unsupported("the backup file's name must be valid UTF-8"))?;
        sqlx::query("VACUUM INTO $1").bind(path).execute(&self.reader).await?;
        Ok(())
    }
}

/// A read transaction sees one snapshot of the database from its first read (WAL).
async fn begin_snapshot(pool: &sqlx::SqlitePool) -> Result<sqlx::Transaction<'static, Db>> {
    Ok(pool.begin().await?)
}

/// Nothing to do: one SQLite file has one instance, whose pump the service wakes itself.
async fn announce(_conn: &mut Conn, _location_id: i64, _seq: i64) -> Result<()> {
    Ok(())
}

/// Nothing to do: one SQLite file has one instance, which hears of its own revocations.
async fn announce_revocation(_conn: &mut Conn) -> Result<()> {
    Ok(())
}

/// Nothing to do: the single writer connection runs one transaction at a time.
async fn lock_name(_conn: &mut Conn, _name: &str) -> Result<()> {
    Ok(())
}

const ORDER_STATUS_IN_PAYLOAD: &str = "json_extract(payload, '$.order.status')";

include!("sql/queries.rs");
