//! Accounts as stored: staff users, kitchen devices and their sessions. The queries are in
//! `sql/accounts.rs`.

use app::domain::{Principal, Role};
use chrono::{DateTime, Utc};

/// What signing in needs to know about a username.
pub struct LoginRecord {
    pub user_id: i64,
    pub username: String,
    pub password_hash: String,
    pub role: Role,
    pub location_id: i64,
}

#[derive(Debug, PartialEq, Eq)]
pub struct UsernameTaken;

/// A current session: who holds it, and until when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionHolder {
    pub principal: Principal,
    pub expires_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
pub(super) struct SessionRow {
    expires_at: DateTime<Utc>,
    user_id: Option<i64>,
    username: Option<String>,
    role: Option<String>,
    user_location: Option<i64>,
    device_id: Option<i64>,
    device_name: Option<String>,
    device_location: Option<i64>,
}

/// A kitchen screen as admins see it.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow, serde::Serialize, serde::Deserialize)]
pub struct DeviceRow {
    pub id: i64,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub announce: bool,
    pub bump_bar: bool,
}

/// Where a TV's screen code stands, as the TV asks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScreenCodeState {
    /// Nobody approved it yet.
    Waiting,
    /// Approved: this device's session was just opened for the TV.
    Paired(i64),
    /// Unknown, expired, or already used.
    Gone,
}

/// A staff account as admins see it.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub role: String,
    pub created_at: DateTime<Utc>,
    pub disabled_at: Option<DateTime<Utc>>,
}

/// Whose sessions to end: a staff account or a kitchen device.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionOwner {
    User(i64),
    Device(i64),
}

impl From<SessionOwner> for super::Revoked {
    fn from(owner: SessionOwner) -> super::Revoked {
        match owner {
            SessionOwner::User(id) => super::Revoked::User(id),
            SessionOwner::Device(id) => super::Revoked::Device(id),
        }
    }
}

impl SessionRow {
    /// Who holds the session, if its user or device is still active.
    pub(super) fn holder(self) -> Option<SessionHolder> {
        let expires_at = self.expires_at;
        let principal = match self {
            SessionRow {
                user_id: Some(user_id),
                username: Some(username),
                role: Some(role),
                user_location: Some(location_id),
                ..
            } => Some(Principal::User { user_id, username, role: Role::parse(&role)?, location_id }),
            SessionRow {
                device_id: Some(device_id),
                device_name: Some(name),
                device_location: Some(location_id),
                ..
            } => Some(Principal::Device { device_id, name, location_id }),
            _ => None,
        };
        principal.map(|principal| SessionHolder { principal, expires_at })
    }
}
