//! Storage: the database is the single source of truth.
//!
//! Every change commits together with its entry in the `events` table, whose `seq` is
//! gap-free and in commit order: screens resume from it, and the hub publishes from it.
//!
//! Two backends, chosen by `DATABASE_URL`: SQLite (`sqlite://…`, the default: one machine) and
//! PostgreSQL (`postgres://…`: several instances, see `postgres.rs`). Their queries are written
//! once, in `sql/`, and compiled once per backend; the few statements that differ are defined
//! by each backend module. [`Store`] hands every call to the backend in use.

mod accounts;
mod api_keys;
mod events;
mod locations;
mod menu;
mod order_batcher;
mod orders;
mod postgres;
mod revocations;
mod screens;
mod seed;
mod sqlite;

pub use accounts::{DeviceRow, LoginRecord, ScreenCodeState, SessionHolder, SessionOwner, UserRow, UsernameTaken};
pub use events::{OrderKey, Replay, Scope, StoredEvent};
pub use locations::{Location, LocationContact, LocationTaken, NewLocation};
pub use menu::{LocationHours, MenuEditRefused};
pub use orders::{NewOrder, PlaceOutcome, PlaceRefused, Placed, StatusChangeRefused};
pub use postgres::{CommitListener, Notice};
pub use revocations::Revoked;
pub use screens::ScreenRow;
pub use seed::DemoLocation;

use app::domain::eta::StageTimes;
use app::domain::reports::ReportOrder;
use app::domain::{ApiKey, Menu, MenuChange, MenuEdit, Order, Principal, Role, ScreenOptions, Snapshot, StatusChange};
use chrono::{DateTime, Utc};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("a stored row could not be read: {0}")]
    Corrupt(String),
    #[error("unsupported DATABASE_URL {0:?}: use sqlite://… or postgres://…")]
    UnsupportedUrl(String),
    /// The commit of a batch of orders failed, so whether they were written is not known.
    #[error("committing orders failed: {0}")]
    CommitFailed(String),
    #[error("the order writer stopped")]
    WriterStopped,
    #[error("{0}")]
    Unsupported(&'static str),
}

/// What a client may see of a storage failure, which is logged here: "busy, try again" for a
/// database that is unreachable for now, a generic failure for anything else.
impl From<StoreError> for app::api::AppError {
    fn from(err: StoreError) -> Self {
        if err.is_unavailable() {
            tracing::warn!(error = %err, "database unavailable");
            app::api::AppError::unavailable()
        } else {
            tracing::error!(error = %err, "storage failure");
            app::api::AppError::internal()
        }
    }
}

impl StoreError {
    pub(crate) fn corrupt(what: impl std::fmt::Display) -> Self {
        StoreError::Corrupt(what.to_string())
    }

    /// The database is there but busy or unreachable right now, as opposed to a bug.
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::Database(sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed) => true,
            // PostgreSQL shutting down or restarting ends sessions with these codes.
            StoreError::Database(sqlx::Error::Database(err)) => {
                err.code().is_some_and(|code| code.starts_with("57P") || code.starts_with("08"))
            }
            _ => false,
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The time now, to the microsecond: what both databases keep. A change's event, its answer
/// and what is read back later then carry the very same timestamps.
pub fn now() -> DateTime<Utc> {
    use chrono::SubsecRound;
    Utc::now().trunc_subsecs(6)
}

#[derive(Clone)]
pub struct Store {
    backend: Backend,
    orders: order_batcher::OrderBatcher,
}

// One per process, cloned only when a store is opened: the size of its variants does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Clone)]
enum Backend {
    Sqlite(sqlite::Pools),
    Postgres(postgres::Pools),
}

impl Store {
    /// Opens (creating it if needed) and migrates the database, and seeds the demo pizzeria on
    /// the very first start.
    pub async fn open(database_url: &str, demo: &DemoLocation) -> Result<Store> {
        let store = Store::connect(database_url).await?;
        store.migrate_schema().await?;
        store.seed(demo).await?;
        Ok(store)
    }

    /// A fresh SQLite store in a folder of its own (gone with the returned guard), for tests.
    #[cfg(test)]
    pub(crate) async fn temporary() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let url = format!("sqlite://{}", dir.path().join("pizzeria.db").display());
        let demo = DemoLocation { timezone: "Europe/Paris".into(), opening_hours: "always".into() };
        let store = Store::open(&url, &demo).await.expect("a fresh database opens");
        (dir, store)
    }

    /// Applies the migrations and nothing else.
    pub async fn migrate(database_url: &str) -> Result<()> {
        let store = Store::connect(database_url).await?;
        store.migrate_schema().await?;
        store.close().await;
        Ok(())
    }

    /// The pizzeria with this slug, or, when none is named, the first one (the demo's).
    pub async fn find_location(&self, slug: Option<&str>) -> Result<Option<Location>> {
        let mut locations = self.locations().await?;
        Ok(match slug {
            None => (!locations.is_empty()).then(|| locations.swap_remove(0)),
            Some(slug) => locations.into_iter().find(|known| known.slug == slug),
        })
    }

    /// Closes the connections, waiting for those in use to be given back.
    pub async fn close(&self) {
        match &self.backend {
            Backend::Sqlite(db) => db.close().await,
            Backend::Postgres(db) => db.close().await,
        }
    }

    /// The database as it is, for a one-off command: no migration, no seeding.
    pub async fn connect_existing(database_url: &str) -> Result<Store> {
        Store::connect(database_url).await
    }

    /// Writes a consistent copy of a SQLite database to `file` while it keeps serving. A
    /// PostgreSQL database is backed up with its own tools.
    pub async fn backup_to(&self, file: &std::path::Path) -> Result<()> {
        match &self.backend {
            Backend::Sqlite(db) => db.backup_to(file).await,
            Backend::Postgres(_) => Err(StoreError::Unsupported(
                "back up PostgreSQL with pg_dump or continuous archiving (docs/deployment.md)",
            )),
        }
    }

    async fn connect(database_url: &str) -> Result<Store> {
        let backend = if database_url.starts_with("sqlite:") {
            Backend::Sqlite(sqlite::Pools::connect(database_url).await?)
        } else if database_url.starts_with("postgres://") || database_url.starts_with("postgresql://") {
            Backend::Postgres(postgres::Pools::connect(database_url).await?)
        } else {
            return Err(StoreError::UnsupportedUrl(database_url.to_string()));
        };
        Ok(Store { orders: order_batcher::OrderBatcher::new(backend.clone()), backend })
    }

    /// Prices and records an order with its `order.created` event (idempotent by key),
    /// together with whatever other orders are waiting to be written.
    pub async fn place_order(&self, order: NewOrder) -> PlaceOutcome {
        self.orders.place(order).await
    }

    async fn migrate_schema(&self) -> Result<()> {
        match &self.backend {
            Backend::Sqlite(db) => db.migrate().await,
            Backend::Postgres(db) => db.migrate().await,
        }
    }

    /// Which backend this is, as `DATABASE_URL` names it.
    pub fn backend_name(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    /// Whether several instances may share this database (PostgreSQL).
    pub fn is_shared(&self) -> bool {
        matches!(self.backend, Backend::Postgres(_))
    }

    /// A listener for commits made by any instance, when instances share the database
    /// (PostgreSQL); `None` for SQLite, whose only instance knows its own commits.
    pub async fn listen_for_commits(&self, instance: &str) -> Option<Result<CommitListener>> {
        match &self.backend {
            Backend::Sqlite(_) => None,
            Backend::Postgres(db) => Some(db.listen_for_commits(instance).await),
        }
    }
}

impl Backend {
    /// Places a batch of orders in one transaction where it can (see `order_batcher`).
    async fn place_orders(&self, batch: &[NewOrder]) -> Vec<PlaceOutcome> {
        match self {
            Backend::Sqlite(db) => db.place_orders(batch).await,
            Backend::Postgres(db) => db.place_orders(batch).await,
        }
    }
}

/// Defines each `Store` method as a call to the same method of the backend in use.
macro_rules! delegate_to_backend {
    ($( $(#[$doc:meta])* $vis:vis async fn $name:ident(&self $(, $arg:ident: $ty:ty)* $(,)?) -> $ret:ty; )*) => {
        impl Store {
            $(
                $(#[$doc])*
                $vis async fn $name(&self $(, $arg: $ty)*) -> $ret {
                    match &self.backend {
                        Backend::Sqlite(db) => db.$name($($arg),*).await,
                        Backend::Postgres(db) => db.$name($($arg),*).await,
                    }
                }
            )*
        }
    };
}

delegate_to_backend! {
    /// Seeds the demo pizzeria when the database has no location yet.
    async fn seed(&self, demo: &DemoLocation) -> Result<()>;
    /// Every location, oldest first.
    pub async fn locations(&self) -> Result<Vec<Location>>;
    /// Adds a pizzeria, starting with the demo menu.
    pub async fn create_location(&self, new: &NewLocation) -> Result<Result<i64, LocationTaken>>;
    /// A pizzeria's name, address and phone.
    pub async fn location_contact(&self, location_id: i64) -> Result<LocationContact>;
    /// Sets a pizzeria's address and phone.
    pub async fn set_location_contact(&self, location_id: i64, address: &str, phone: &str) -> Result<()>;
    /// A pizzeria's currency code, if it exists.
    pub async fn location_currency(&self, location_id: i64) -> Result<Option<String>>;
    /// Sets the currency a pizzeria prices in.
    pub async fn set_location_currency(&self, location_id: i64, code: &str) -> Result<()>;
    /// Every pizzeria's newest committed seq (0 before its first event).
    pub async fn heads(&self) -> Result<Vec<(i64, i64)>>;
    /// Whether the database answers and every migration this build knows is applied.
    pub async fn is_ready(&self) -> Result<bool>;
    /// A pizzeria's events after `after`, in order, at most `limit` of them: what the hub
    /// publishes.
    pub async fn events_after(&self, location_id: i64, after: i64, limit: i64) -> Result<Vec<StoredEvent>>;
    /// The events of `scope` after its pizzeria's seq `since`, if the log still holds all of
    /// them and there are at most `limit`.
    pub async fn replay(&self, scope: Scope, since: i64, limit: i64) -> Result<Replay>;
    /// Forgets events older than `before` (seqs never restart).
    pub async fn prune_events(&self, before: DateTime<Utc>) -> Result<u64>;

    /// Applies a staff change to an order's status if the caller's version is current.
    pub async fn change_status(&self, location_id: i64, order_id: i64, change: &StatusChange, expected_version: Option<i64>, actor: &str, now: DateTime<Utc>)
        -> Result<Result<(Order, i64), StatusChangeRefused>>;
    /// A location's open (and recently collected) orders and the seq they are current at.
    pub async fn open_orders(&self, location_id: i64, collected_since: DateTime<Utc>) -> Result<Snapshot>;
    /// How many orders each location has in each status (for metrics).
    pub async fn order_counts(&self) -> Result<Vec<(i64, String, i64)>>;
    /// How long orders at a location recently spent in each stage.
    pub async fn stage_times(&self, location_id: i64, since: DateTime<Utc>) -> Result<StageTimes>;
    /// A location's orders placed since `since`, with their stages and lines: the owner's report.
    pub async fn report_orders(&self, location_id: i64, since: DateTime<Utc>) -> Result<Vec<ReportOrder>>;
    /// The order a customer token belongs to.
    pub async fn order_key_by_token(&self, token: &str) -> Result<Option<OrderKey>>;
    /// One order and the seq it is current at.
    pub async fn order_snapshot(&self, order_id: i64) -> Result<Option<Snapshot>>;

    /// A location's menu and the seq it is current at.
    pub async fn menu(&self, location_id: i64) -> Result<Menu>;
    pub async fn location_hours(&self, location_id: i64) -> Result<LocationHours>;
    /// A pizzeria's own preparation time, if it has one (else the server's applies).
    pub async fn location_prep_secs(&self, location_id: i64) -> Result<Option<i64>>;
    /// Applies a menu edit and records its event.
    pub async fn edit_menu(&self, location_id: i64, edit: &MenuEdit, actor: &str, now: DateTime<Utc>)
        -> Result<Result<(MenuChange, i64), MenuEditRefused>>;

    pub async fn create_user(&self, location_id: i64, username: &str, password_hash: &str, role: Role, now: DateTime<Utc>)
        -> Result<Result<i64, UsernameTaken>>;
    pub async fn login_record(&self, username: &str) -> Result<Option<LoginRecord>>;
    pub async fn open_user_session(&self, token_hash: &str, user_id: i64, now: DateTime<Utc>, expires_at: DateTime<Utc>) -> Result<()>;
    /// Ends a session; returns whether it was current.
    pub async fn revoke_session(&self, token_hash: &str, now: DateTime<Utc>) -> Result<bool>;
    /// Who holds this session, if it is current (not expired, not revoked, account active).
    pub async fn session_holder(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<SessionHolder>>;
    /// Registers a kitchen screen and a one-time pairing code for it.
    pub async fn create_device(&self, location_id: i64, name: &str, code_hash: &str, now: DateTime<Utc>, code_expires_at: DateTime<Utc>)
        -> Result<DeviceRow>;
    /// Uses a pairing code once: opens a device session.
    pub async fn pair_device(&self, code_hash: &str, session_hash: &str, now: DateTime<Utc>, session_expires_at: DateTime<Utc>)
        -> Result<Option<i64>>;
    /// Records a screen code a TV asked for; `false` if the code is taken.
    pub async fn create_screen_code(&self, location_id: i64, user_code: &str, poll_hash: &str, expires_at: DateTime<Utc>) -> Result<bool>;
    /// Approves a waiting screen code of this location, creating its device.
    pub async fn approve_screen_code(&self, location_id: i64, user_code: &str, name: &str, now: DateTime<Utc>) -> Result<Option<DeviceRow>>;
    /// The TV asks whether its code was approved; opens its session once.
    pub async fn claim_screen_code(&self, poll_hash: &str, session_hash: &str, now: DateTime<Utc>, session_expires_at: DateTime<Utc>)
        -> Result<ScreenCodeState>;
    pub async fn devices(&self, location_id: i64) -> Result<Vec<DeviceRow>>;
    /// Sets a screen's extras; whether it is a current device of this location.
    pub async fn set_screen_options(&self, location_id: i64, device_id: i64, options: ScreenOptions) -> Result<bool>;
    /// A current device's extras.
    pub async fn screen_options(&self, device_id: i64) -> Result<Option<ScreenOptions>>;
    pub async fn users(&self, location_id: i64) -> Result<Vec<UserRow>>;
    /// Disables a staff account or revokes a device of this location, and ends its sessions.
    pub async fn withdraw(&self, location_id: i64, owner: SessionOwner, now: DateTime<Utc>) -> Result<bool>;

    pub async fn create_api_key(&self, location_id: i64, name: &str, key_hash: &str, key_prefix: &str, marks_sold_out: bool, now: DateTime<Utc>)
        -> Result<ApiKey>;
    pub async fn api_keys(&self, location_id: i64) -> Result<Vec<ApiKey>>;
    /// Revokes a key; returns its hash when it exists at this location.
    pub async fn revoke_api_key(&self, location_id: i64, key_id: i64, now: DateTime<Utc>) -> Result<Option<String>>;
    /// The revocations recorded after `after`, oldest first, with their ids.
    pub async fn revocations_after(&self, after: i64) -> Result<Vec<(i64, Revoked)>>;
    /// The id of the newest revocation recorded (0 when none is).
    pub async fn last_revocation_id(&self) -> Result<i64>;
    /// Who holds the key with this hash, unless it is unknown or revoked.
    pub async fn principal_for_api_key(&self, key_hash: &str) -> Result<Option<Principal>>;

    /// Replaces what `instance` reported before with its kitchen-feed connections now.
    pub async fn report_screens(&self, instance: &str, screens: &[ScreenRow], now: DateTime<Utc>) -> Result<()>;
    /// Marks `instance`'s report as still current.
    pub async fn touch_screens(&self, instance: &str, now: DateTime<Utc>) -> Result<()>;
    /// The connections at a location that other instances reported since `fresh_since`.
    pub async fn screens_elsewhere(&self, location_id: i64, instance: &str, fresh_since: DateTime<Utc>) -> Result<Vec<ScreenRow>>;
}
