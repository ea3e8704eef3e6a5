//! The pizzerias (locations) of one deployment. The queries are in `sql/locations.rs`.

/// A pizzeria as the server routes requests to it.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Location {
    pub id: i64,
    pub slug: String,
    pub name: String,
    /// The host name its customers use; `None` for a location only reached as the default.
    pub host: Option<String>,
}

/// What customers are told of a pizzeria besides its hours (address and phone empty until an
/// admin sets them).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct LocationContact {
    pub name: String,
    pub address: String,
    pub phone: String,
    /// The currency it prices in (ISO 4217).
    pub currency: String,
}

/// A pizzeria about to be created.
#[derive(Clone, Debug)]
pub struct NewLocation {
    /// Short unique name, used on the command line (`--location north`).
    pub slug: String,
    pub name: String,
    pub host: Option<String>,
    /// An IANA time zone name, e.g. "Europe/Paris".
    pub timezone: String,
    /// "HH:MM-HH:MM" or "always".
    pub opening_hours: String,
    /// Its preparation time until it has a history of its own; `None` for the server's.
    pub prep_secs: Option<i64>,
}

/// Another location already has that slug or host.
#[derive(Debug, PartialEq, Eq)]
pub struct LocationTaken;
