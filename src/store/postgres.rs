//! The PostgreSQL backend: several instances share one database.
//!
//! An append to the event log holds its pizzeria's head until commit, so each pizzeria's seqs
//! stay gap-free and become visible in order whichever instance commits, while pizzerias never
//! wait for each other. Each append NOTIFYs `pizzeria_events` with its pizzeria and seq inside
//! the committing transaction, so every instance hears of it exactly when it is readable; each
//! instance then reads the events from the table (see `realtime/listen.rs`).

use sqlx::postgres::{PgConnectOptions, PgListener, PgPoolOptions};
use std::str::FromStr;
use std::time::Duration;

type Db = sqlx::Postgres;
type Conn = sqlx::PgConnection;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// The channel commits are announced on; the payload is `<pizzeria id>:<seq>`.
const EVENTS_CHANNEL: &str = "pizzeria_events";
/// Where a revoking transaction tells every instance to read the `revocations` table.
const REVOCATIONS_CHANNEL: &str = "pizzeria_revocations";
/// Connections per instance. Requests hold one for a transaction's length only.
const MAX_CONNECTIONS: u32 = 16;
/// How long a request waits for a connection before it is told the database is unavailable.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);

#[derive(Clone)]
pub struct Pools {
    /// One pool serves reads and writes: PostgreSQL handles concurrent writers itself.
    reader: sqlx::PgPool,
    writer: sqlx::PgPool,
    options: PgConnectOptions,
}

impl Pools {
    pub async fn connect(database_url: &str) -> Result<Pools> {
        let options = PgConnectOptions::from_str(database_url)?.application_name("pizzeria");
        let pool = PgPoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_with(options.clone())
            .await?;
        Ok(Pools { reader: pool.clone(), writer: pool, options })
    }

    pub async fn migrate(&self) -> Result<()> {
        // sqlx holds an advisory lock while migrating: instances starting together take turns.
        MIGRATOR.run(&self.writer).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.writer.close().await;
    }

    /// A connection that LISTENs for commits, named `pizzeria-listen <instance>` in
    /// `pg_stat_activity` so an operator can tell it apart.
    pub async fn listen_for_commits(&self, instance: &str) -> Result<CommitListener> {
        let options = self.options.clone().application_name(&format!("pizzeria-listen {instance}"));
        let pool =
            PgPoolOptions::new().max_connections(1).acquire_timeout(ACQUIRE_TIMEOUT).connect_with(options).await?;
        let mut listener = PgListener::connect_with(&pool).await?;
        listener.listen_all([EVENTS_CHANNEL, REVOCATIONS_CHANNEL]).await?;
        Ok(CommitListener { listener, _pool: pool })
    }
}

/// What a listener hears from another instance's commit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notice {
    /// A pizzeria's events up to this seq were committed.
    Commit { location_id: i64, seq: i64 },
    /// A credential was withdrawn: read the `revocations` table.
    Revocation,
}

/// Hears of every commit made by any instance, while its connection lasts.
pub struct CommitListener {
    listener: PgListener,
    _pool: sqlx::PgPool,
}

impl CommitListener {
    /// The next notice, or `None` once the connection is lost (what is committed from then
    /// on is not heard of: read it from the tables).
    pub async fn next_notice(&mut self) -> Result<Option<Notice>> {
        loop {
            match self.listener.try_recv().await? {
                None => return Ok(None),
                Some(notification) if notification.channel() == REVOCATIONS_CHANNEL => {
                    return Ok(Some(Notice::Revocation))
                }
                Some(notification) => match parse_commit(notification.payload()) {
                    Some((location_id, seq)) => return Ok(Some(Notice::Commit { location_id, seq })),
                    None => tracing::warn!(payload = notification.payload(), "ignoring a malformed commit notice"),
                },
            }
        }
    }
}

/// Reads a commit notice's `<pizzeria id>:<seq>`.
fn parse_commit(payload: &str) -> Option<(i64, i64)> {
    let (location_id, seq) = payload.split_once(':')?;
    Some((location_id.parse().ok()?, seq.parse().ok()?))
}

/// A read transaction that sees one snapshot, not each statement's own.
async fn begin_snapshot(pool: &sqlx::PgPool) -> Result<sqlx::Transaction<'static, Db>> {
    let mut tx = pool.begin().await?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute(&mut *tx).await?;
    Ok(tx)
}

/// Tells every instance's listener about a pizzeria's `seq` when (and only if) the
/// transaction commits.
async fn announce(conn: &mut Conn, location_id: i64, seq: i64) -> Result<()> {
    sqlx::query("SELECT pg_notify($1, $2)")
        .bind(EVENTS_CHANNEL)
        .bind(format!("{location_id}:{seq}"))
        .execute(conn)
        .await?;
    Ok(())
}

/// Tells every instance's listener to read the revocations, when the transaction commits.
async fn announce_revocation(conn: &mut Conn) -> Result<()> {
    sqlx::query("SELECT pg_notify($1, '')").bind(REVOCATIONS_CHANNEL).execute(conn).await?;
    Ok(())
}

/// Makes transactions that lock the same name wait for each other until commit.
async fn lock_name(conn: &mut Conn, name: &str) -> Result<()> {
    sqlx::query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))").bind(name).execute(conn).await?;
    Ok(())
}

const ORDER_STATUS_IN_PAYLOAD: &str = "(payload::jsonb #>> '{order,status}')";

include!("sql/queries.rs");

#[cfg(test)]
mod tests {
    #[test]
    fn a_commit_notice_names_its_pizzeria_and_seq() {
        assert_eq!(super::parse_commit("3:41"), Some((3, 41)));
        for malformed in ["41", "3:", ":41", "a:1", "3:4:1", ""] {
            assert_eq!(super::parse_commit(malformed), None, "{malformed:?}");
        }
    }
}
