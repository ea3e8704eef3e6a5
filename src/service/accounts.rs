//! Accounts: signing in and out, staff accounts, kitchen screens and API keys.

use super::require_admin;
use super::writes::WriteRunner;
use crate::auth;
use crate::realtime::{Hub, Revoked};
use crate::store::now as store_clock;
use crate::store::{DeviceRow, ScreenCodeState, SessionOwner, Store, UsernameTaken};
use app::api::{AccountService, AppError, SignedIn};
use app::domain::auth::{
    normalize_screen_code, printable_label, screen_code_from, validate_new_account, ScreenCode, PAIRING_CODE_MINUTES,
    SCREEN_CODE_MINUTES,
};
use app::domain::{
    ApiKey, Device, LocationId, NewApiKey, NewDevice, Principal, Role, ScreenOptions, StaffAccount, ValidationError,
};
use std::sync::Arc;

pub struct LiveAccountService {
    store: Store,
    hub: Arc<Hub>,
    writes: WriteRunner,
    /// This instance's name (`PIZZERIA_INSTANCE`), for the connected screens it lists.
    instance: String,
    /// How long a staff sign-in lasts.
    session_secs: i64,
}

impl LiveAccountService {
    pub fn new(store: Store, hub: Arc<Hub>, instance: String, session_secs: i64) -> Self {
        LiveAccountService { store, writes: WriteRunner::new(hub.clone()), hub, instance, session_secs }
    }
}

#[async_trait::async_trait]
impl AccountService for LiveAccountService {
    async fn sign_in(&self, username: &str, password: &str) -> Result<SignedIn, AppError> {
        let refused = || {
            AppError::Unauthorized { message: "wrong username or password".into(), text: None }
                .says("error-sign-in-refused", &[])
        };
        let record = self.store.login_record(username.trim()).await.map_err(AppError::from)?;
        // Hashing is slow on purpose: keep it off the async workers.
        let (hash, password) = (
            record.as_ref().map_or_else(|| auth::dummy_password_hash().to_string(), |r| r.password_hash.clone()),
            password.to_string(),
        );
        let matches = tokio::task::spawn_blocking(move || auth::verify_password(&password, &hash))
            .await
            .map_err(|_| AppError::internal())?;
        let record = match record {
            Some(record) if matches => record,
            _ => return Err(refused()),
        };
        let token = auth::new_session_token();
        let now = store_clock();
        let expires = now + chrono::Duration::seconds(self.session_secs);
        self.store
            .open_user_session(&auth::token_hash(&token), record.user_id, now, expires)
            .await
            .map_err(AppError::from)?;
        tracing::info!(user = record.user_id, "signed in");
        Ok(SignedIn {
            principal: Principal::User {
                user_id: record.user_id,
                username: record.username,
                role: record.role,
                location_id: record.location_id,
            },
            session_token: token,
            max_age_secs: self.session_secs,
        })
    }

    async fn sign_out(&self, session_token: &str) -> Result<(), AppError> {
        let hash = auth::token_hash(session_token);
        let store = self.store.clone();
        let revoked = Revoked::Session(hash.clone());
        // Only a session that was current is announced: signing out with any other cookie
        // must not disturb everyone else's connections.
        self.writes
            .revoke(async move { store.revoke_session(&hash, store_clock()).await }, move |ended: &bool| {
                ended.then_some(revoked)
            })
            .await?;
        Ok(())
    }

    async fn devices(&self, who: &Principal) -> Result<Vec<Device>, AppError> {
        let location_id = require_admin(who)?;
        let rows = self.store.devices(location_id).await.map_err(AppError::from)?;
        Ok(rows.into_iter().map(device_from_row).collect())
    }

    async fn add_device(&self, who: &Principal, name: &str) -> Result<NewDevice, AppError> {
        let location_id = require_admin(who)?;
        let name = printable_label("name", name, "error-device-name")?;
        let code = auth::new_session_token();
        let now = store_clock();
        let expires = now + chrono::Duration::minutes(PAIRING_CODE_MINUTES);
        let row = self
            .store
            .create_device(location_id, &name, &auth::token_hash(&code), now, expires)
            .await
            .map_err(AppError::from)?;
        tracing::info!(device = row.id, by = %who.actor(), "kitchen device added");
        Ok(NewDevice { device: device_from_row(row), pairing_path: format!("/pair/{code}") })
    }

    async fn set_screen_options(
        &self,
        who: &Principal,
        device_id: i64,
        options: ScreenOptions,
    ) -> Result<(), AppError> {
        let location_id = require_admin(who)?;
        if !self.store.set_screen_options(location_id, device_id, options).await.map_err(AppError::from)? {
            return Err(AppError::not_found(format!("device {device_id}")));
        }
        tracing::info!(device = device_id, announce = options.announce, bump_bar = options.bump_bar, by = %who.actor(), "screen options set");
        Ok(())
    }

    async fn revoke_device(&self, who: &Principal, device_id: i64) -> Result<(), AppError> {
        self.withdraw(who, SessionOwner::Device(device_id)).await
    }

    async fn staff_accounts(&self, who: &Principal) -> Result<Vec<StaffAccount>, AppError> {
        let location_id = require_admin(who)?;
        let rows = self.store.users(location_id).await.map_err(AppError::from)?;
        Ok(rows
            .into_iter()
            .filter_map(|row| {
                Some(StaffAccount {
                    id: row.id,
                    username: row.username,
                    role: Role::parse(&row.role)?,
                    created_at: row.created_at,
                    disabled_at: row.disabled_at,
                })
            })
            .collect())
    }

    async fn add_staff_account(
        &self,
        who: &Principal,
        username: &str,
        password: &str,
        role: Role,
    ) -> Result<StaffAccount, AppError> {
        let location_id = require_admin(who)?;
        let account = create_account(&self.store, location_id, username, password, role).await?;
        tracing::info!(user = account.id, by = %who.actor(), "staff account created");
        Ok(account)
    }

    async fn disable_staff_account(&self, who: &Principal, user_id: i64) -> Result<(), AppError> {
        require_admin(who)?;
        if matches!(who, Principal::User { user_id: me, .. } if *me == user_id) {
            return Err(
                AppError::validation("user_id", "you cannot disable your own account").says("error-disable-self", &[])
            );
        }
        self.withdraw(who, SessionOwner::User(user_id)).await
    }

    async fn pair_device(&self, code: &str) -> Result<SignedIn, AppError> {
        let token = auth::new_session_token();
        let now = store_clock();
        let expires = now + chrono::Duration::days(DEVICE_SESSION_DAYS);
        let paired = self
            .store
            .pair_device(&auth::token_hash(code.trim()), &auth::token_hash(&token), now, expires)
            .await
            .map_err(AppError::from)?;
        let Some(device_id) = paired else {
            let message = "this pairing link is unknown, used or expired: ask an admin for a new one";
            return Err(AppError::Unauthorized { message: message.into(), text: None }.says("error-pairing-link", &[]));
        };
        tracing::info!(device = device_id, "kitchen device paired");
        self.device_signed_in(token, now).await
    }

    async fn request_screen_code(&self, location: LocationId) -> Result<ScreenCode, AppError> {
        let poll_token = auth::new_session_token();
        let expires_at = store_clock() + chrono::Duration::minutes(SCREEN_CODE_MINUTES);
        // A code is about 36 bits: a clash with a waiting one is rare; try a few.
        for _ in 0..5 {
            let user_code = screen_code_from(rand::random());
            if self
                .store
                .create_screen_code(location.0, &user_code, &auth::token_hash(&poll_token), expires_at)
                .await
                .map_err(AppError::from)?
            {
                return Ok(ScreenCode {
                    user_code,
                    poll_token,
                    expires_at,
                    interval_secs: SCREEN_CODE_POLL_SECS,
                    qr_svg: String::new(),
                });
            }
        }
        Err(AppError::internal())
    }

    async fn approve_screen_code(&self, who: &Principal, code: &str, name: &str) -> Result<Device, AppError> {
        let location_id = require_admin(who)?;
        let name = printable_label("name", name, "error-device-name")?;
        let unknown = || AppError::from(ValidationError::says("code", "error-screen-code", &[]));
        let code = normalize_screen_code(code).ok_or_else(unknown)?;
        let row = self
            .store
            .approve_screen_code(location_id, &code, &name, store_clock())
            .await
            .map_err(AppError::from)?
            .ok_or_else(unknown)?;
        tracing::info!(device = row.id, by = %who.actor(), "kitchen screen approved by its code");
        Ok(device_from_row(row))
    }

    async fn poll_screen_code(&self, poll_token: &str) -> Result<Option<SignedIn>, AppError> {
        let token = auth::new_session_token();
        let now = store_clock();
        let expires = now + chrono::Duration::days(DEVICE_SESSION_DAYS);
        let state = self
            .store
            .claim_screen_code(&auth::token_hash(poll_token), &auth::token_hash(&token), now, expires)
            .await
            .map_err(AppError::from)?;
        match state {
            ScreenCodeState::Waiting => Ok(None),
            ScreenCodeState::Paired(device_id) => {
                tracing::info!(device = device_id, "kitchen screen paired by its code");
                self.device_signed_in(token, now).await.map(Some)
            }
            ScreenCodeState::Gone => Err(AppError::Unauthorized {
                message: "this screen code expired: the screen asks for a new one".into(),
                text: None,
            }
            .says("error-screen-code-expired", &[])),
        }
    }

    async fn api_keys(&self, who: &Principal) -> Result<Vec<ApiKey>, AppError> {
        let location_id = require_admin(who)?;
        self.store.api_keys(location_id).await.map_err(AppError::from)
    }

    async fn add_api_key(&self, who: &Principal, name: &str, marks_sold_out: bool) -> Result<NewApiKey, AppError> {
        let location_id = require_admin(who)?;
        let name = printable_label("name", name, "error-api-key-name")?;
        let secret = auth::new_api_key();
        let prefix: String = secret.chars().take(API_KEY_SHOWN_CHARS).collect();
        let key = self
            .store
            .create_api_key(location_id, &name, &auth::token_hash(&secret), &prefix, marks_sold_out, store_clock())
            .await
            .map_err(AppError::from)?;
        tracing::info!(api_key = key.id, by = %who.actor(), "API key created");
        Ok(NewApiKey { key, secret })
    }

    async fn revoke_api_key(&self, who: &Principal, key_id: i64) -> Result<(), AppError> {
        let location_id = require_admin(who)?;
        let store = self.store.clone();
        let revoked = self
            .writes
            .revoke(
                async move { store.revoke_api_key(location_id, key_id, store_clock()).await },
                |key_hash: &Option<String>| key_hash.clone().map(Revoked::Session),
            )
            .await?;
        if revoked.is_none() {
            return Err(AppError::not_found(format!("API key {key_id}")));
        }
        tracing::info!(api_key = key_id, by = %who.actor(), "API key revoked");
        Ok(())
    }

    async fn connected_screens(&self, who: &Principal) -> Result<Vec<app::domain::ConnectedScreen>, AppError> {
        let location_id = require_admin(who)?;
        let fresh_since = store_clock() - crate::realtime::REPORT_FRESH_FOR;
        let elsewhere =
            self.store.screens_elsewhere(location_id, &self.instance, fresh_since).await.map_err(AppError::from)?;
        Ok(self.hub.screens.list(&self.instance, location_id, self.hub.head(location_id), elsewhere))
    }
}

/// How often a TV showing its screen code asks whether it was approved.
const SCREEN_CODE_POLL_SECS: u32 = 3;

impl LiveAccountService {
    /// Withdraws one of this pizzeria's staff accounts or kitchen devices: it can no longer
    /// sign in, its sessions end, and every instance closes the live connections opened with it.
    async fn withdraw(&self, who: &Principal, owner: SessionOwner) -> Result<(), AppError> {
        let location_id = require_admin(who)?;
        let store = self.store.clone();
        let found = self
            .writes
            .revoke(async move { store.withdraw(location_id, owner, store_clock()).await }, move |found: &bool| {
                found.then(|| owner.into())
            })
            .await?;
        let (what, id) = match owner {
            SessionOwner::User(id) => ("account", id),
            SessionOwner::Device(id) => ("device", id),
        };
        if !found {
            return Err(AppError::not_found(format!("{what} {id}")));
        }
        tracing::info!(what, id, by = %who.actor(), "withdrawn");
        Ok(())
    }

    /// The answer for a screen whose device session `token` was just opened.
    async fn device_signed_in(&self, token: String, now: chrono::DateTime<chrono::Utc>) -> Result<SignedIn, AppError> {
        let principal = self
            .store
            .session_holder(&auth::token_hash(&token), now)
            .await
            .map_err(AppError::from)?
            .ok_or_else(AppError::internal)?
            .principal;
        Ok(SignedIn { principal, session_token: token, max_age_secs: DEVICE_SESSION_DAYS * 24 * 3600 })
    }
}

/// How much of a key the admin list shows: the prefix and 8 hex digits.
const API_KEY_SHOWN_CHARS: usize = 12;

/// Creates a staff account: all it needs is the store, so the command line uses it too.
pub async fn create_account(
    store: &Store,
    location_id: i64,
    username: &str,
    password: &str,
    role: Role,
) -> Result<StaffAccount, AppError> {
    validate_new_account(username, password)?;
    let password = password.to_string();
    let hash = tokio::task::spawn_blocking(move || auth::hash_password(&password))
        .await
        .map_err(|_| AppError::internal())?
        .map_err(|_| AppError::internal())?;
    let username = username.trim();
    let now = store_clock();
    match store.create_user(location_id, username, &hash, role, now).await.map_err(AppError::from)? {
        Ok(id) => Ok(StaffAccount { id, username: username.to_string(), role, created_at: now, disabled_at: None }),
        Err(UsernameTaken) => Err(AppError::validation("username", format!("the username {username:?} is taken"))
            .says("error-username-taken", &[("username", username.into())])),
    }
}

/// A paired screen stays signed in this long (until revoked): through restarts and power cuts.
const DEVICE_SESSION_DAYS: i64 = 3650;

fn device_from_row(row: DeviceRow) -> Device {
    Device {
        id: row.id,
        name: row.name,
        created_at: row.created_at,
        revoked_at: row.revoked_at,
        options: ScreenOptions { announce: row.announce, bump_bar: row.bump_bar },
    }
}
