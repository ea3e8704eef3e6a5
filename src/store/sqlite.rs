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
        let reader = SqlitePoolOptions::new()
            .max_connections(4)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
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
}

/// A read transaction sees one snapshot of the database from its first read (WAL).
async fn begin_snapshot(pool: &sqlx::SqlitePool) -> Result<sqlx::Transaction<'static, Db>> {
    Ok(pool.begin().await?)
}

/// Nothing to do: the single writer connection already serialises appends.
async fn lock_event_log(_conn: &mut Conn) -> Result<()> {
    Ok(())
}

/// Nothing to do: one SQLite file has one instance, whose pump the service wakes itself.
async fn announce(_conn: &mut Conn, _seq: i64) -> Result<()> {
    Ok(())
}

/// Nothing to do: the single writer connection runs one transaction at a time.
async fn lock_name(_conn: &mut Conn, _name: &str) -> Result<()> {
    Ok(())
}

const ORDER_STATUS_IN_PAYLOAD: &str = "json_extract(payload, '$.order.status')";

include!("sql/queries.rs");
