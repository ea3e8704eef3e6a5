//! The server's side of the app's services: authorization, storage, the event log and the
//! hub, behind the interfaces the server functions and JSON routes call.

use crate::auth;
use crate::realtime::{Hub, Revoked};
use crate::store::now as store_clock;
use crate::store::{
    DeviceRow, MenuEditRefused, NewOrder, PlaceRefused, ScreenCodeState, StatusChangeRefused, Store, StoreError,
    UsernameTaken,
};
use app::api::{AccountService, AppError, OrderService, SignedIn};
use app::domain::auth::{
    normalize_screen_code, printable_label, screen_code_from, validate_new_account, ScreenCode, PAIRING_CODE_MINUTES,
    SCREEN_CODE_MINUTES,
};
use app::domain::eta::estimate_ready;
use app::domain::pickup::{PickupOptions, PickupSlot};
use app::domain::status_change::RECALL_WINDOW_SECS;
use app::domain::{
    ApiKey, ClientAddress, Device, KitchenSettings, LocationId, Menu, MenuChange, MenuEdit, NewApiKey, NewDevice,
    Order, OrderRequest, OrderStatus, PickupRules, PlacedOrder, Principal, Role, ScreenOptions, Snapshot, StaffAccount,
    StatusChange, ValidationError,
};
use std::sync::Arc;

/// How far back stage times are measured for ready estimates.
const ETA_HISTORY: chrono::TimeDelta = chrono::TimeDelta::hours(2);

mod board_cache;
mod order_limit;

pub use board_cache::{AsOf, BoardCache};
pub use order_limit::{network_of, OrderLimit};

pub struct LiveOrderService {
    pub store: Store,
    pub hub: Arc<Hub>,
    /// Each pizzeria's open orders as last read, while nothing has happened since.
    pub boards: BoardCache,
    /// This instance's name (`PIZZERIA_INSTANCE`).
    pub instance: String,
    /// How long a staff sign-in lasts.
    pub session_secs: i64,
    pub kitchen: KitchenSettings,
    /// One limit on placing orders, however they come.
    pub order_limit: Arc<OrderLimit>,
}

/// Lets `who` through if `allowed` says so, returning the pizzeria they may act on (their
/// own): otherwise 401 for nobody signed in, 403 for a signed-in principal without the right.
fn require(who: &Principal, allowed: fn(&Principal) -> bool) -> Result<i64, AppError> {
    match who.location_id() {
        Some(location_id) if allowed(who) => Ok(location_id),
        _ if matches!(who, Principal::Anonymous) => Err(AppError::unauthorized()),
        _ => Err(AppError::forbidden()),
    }
}

/// Kitchen screens, staff and admins only: returns their pizzeria.
pub fn require_kitchen_access(who: &Principal) -> Result<i64, AppError> {
    require(who, Principal::can_watch_kitchen)
}

/// Staff and admins only: returns their pizzeria.
pub fn require_staff(who: &Principal) -> Result<i64, AppError> {
    require(who, Principal::can_change_orders)
}

impl LiveOrderService {
    /// How long the kitchen takes to make an order now: what orders of the last two hours
    /// took from New to Ready, once every stage has been timed often enough; until then the
    /// pizzeria's own setting, else the server's. The measurement is kept within half and twice
    /// that setting: an order held for hours before its fire time, or a rush bumped through in
    /// seconds, must not make orders for later fire hours early or at their pickup.
    async fn preparation_secs(&self, location_id: i64) -> Result<i64, AppError> {
        let own = self.store.location_prep_secs(location_id).await.map_err(AppError::from)?;
        let setting = own.unwrap_or(self.kitchen.prep_secs);
        let since = store_clock() - ETA_HISTORY;
        let measured = self.store.stage_times(location_id, since).await.map_err(AppError::from)?.preparation_secs();
        Ok(measured.map_or(setting, |measured| measured.clamp(setting / 2, setting.saturating_mul(2))))
    }

    /// The open orders of a pizzeria, and those collected after `collected_since`: from memory
    /// while the hub has published nothing and this instance committed nothing since the last
    /// read (see [`BoardCache`]).
    async fn board(
        &self,
        location_id: i64,
        collected_since: chrono::DateTime<chrono::Utc>,
    ) -> Result<Snapshot, StoreError> {
        let as_of = AsOf { head: self.hub.head(), commits: self.hub.commits() };
        if let Some(board) = self.boards.get(location_id, as_of, collected_since, chrono::Utc::now()) {
            return Ok(board);
        }
        let board = self.store.open_orders(location_id, collected_since).await?;
        self.boards.put(location_id, &board, as_of.commits, collected_since);
        Ok(board)
    }

    /// Runs a write to completion even if the request that asked for it goes away, then wakes
    /// the hub: a committed change is always broadcast.
    async fn write<T, F>(&self, write: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: std::future::Future<Output = Result<T, StoreError>> + Send + 'static,
    {
        self.complete(write, |hub, _| hub.committed()).await
    }

    /// Runs a revocation to completion even if the request goes away, then announces it when
    /// `revoked` names what it withdrew: a token withdrawn in the database is never left
    /// trusted by this instance's identity cache or live connections.
    async fn revoke<T, F>(
        &self,
        write: F,
        revoked: impl FnOnce(&T) -> Option<Revoked> + Send + 'static,
    ) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: std::future::Future<Output = Result<T, StoreError>> + Send + 'static,
    {
        self.complete(write, move |hub, outcome| {
            if let Some(revoked) = outcome.as_ref().ok().and_then(revoked) {
                hub.revoke(revoked);
            }
        })
        .await
    }

    /// Runs `write`, then `then`, in a task of its own, so that neither is cut short by the
    /// request being dropped (a client gone, a time-out) between the two.
    async fn complete<T, F>(
        &self,
        write: F,
        then: impl FnOnce(&Hub, &Result<T, StoreError>) + Send + 'static,
    ) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: std::future::Future<Output = Result<T, StoreError>> + Send + 'static,
    {
        let hub = self.hub.clone();
        let outcome = tokio::spawn(async move {
            let outcome = write.await;
            then(&hub, &outcome);
            outcome
        })
        .await
        .map_err(|err| {
            tracing::error!(error = %err, "a write task failed");
            AppError::internal()
        })?;
        outcome.map_err(AppError::from)
    }
}

#[async_trait::async_trait]
impl OrderService for LiveOrderService {
    async fn menu(&self, location: LocationId) -> Result<Menu, AppError> {
        self.store.menu(location.0).await.map_err(AppError::from)
    }

    async fn place_order(
        &self,
        who: &Principal,
        from: Option<ClientAddress>,
        location: LocationId,
        request: OrderRequest,
    ) -> Result<PlacedOrder, AppError> {
        self.order_limit.check(who, from)?;
        let store = self.store.clone();
        // Staff and API clients order for their own pizzeria, whatever host they called.
        let location_id = who.location_id().unwrap_or(location.0);
        // An order for later fires as long before its pickup as orders take to make now: decided
        // here, once, so every screen fires it alike. Only such orders need the measurement.
        let prep_secs = match request.pickup_at {
            Some(_) => self.preparation_secs(location_id).await?,
            None => 0,
        };
        let token = auth::new_order_token();
        let actor = who.actor();
        let placed = {
            let token = token.clone();
            self.write(async move {
                store.place_order(NewOrder { location_id, request, token, actor, prep_secs, now: store_clock() }).await
            })
            .await?
        };
        let placed = match placed {
            Ok(placed) => placed,
            Err(PlaceRefused::Invalid(refused)) => return Err(refused.into()),
            Err(PlaceRefused::KeyReused) => {
                return Err(AppError::Conflict {
                    message:
                        "this checkout was already placed with other details: reload the page to start a new order"
                            .into(),
                    current: None,
                })
            }
        };
        match placed.seq {
            Some(seq) => tracing::info!(order = placed.order.id, seq, total = %placed.order.total, "order placed"),
            None => tracing::info!(order = placed.order.id, "repeated checkout: the order it placed is returned"),
        }
        Ok(PlacedOrder { repeated: placed.seq.is_none(), order: placed.order.shown_to(who), token: placed.token })
    }

    async fn edit_menu(&self, who: &Principal, edit: MenuEdit) -> Result<MenuChange, AppError> {
        let location_id =
            if edit.needs_admin() { require_admin(who)? } else { require(who, Principal::can_mark_sold_out)? };
        edit.validate()?;
        let edit = edit.normalized();
        let store = self.store.clone();
        let actor = who.actor();
        let edited =
            self.write(async move { store.edit_menu(location_id, &edit, &actor, store_clock()).await }).await?;
        let (change, seq) = edited.map_err(|refused| match refused {
            MenuEditRefused::NotFound => AppError::not_found("that menu entry"),
            MenuEditRefused::NameTaken => ValidationError::says("name", "error-name-taken", &[]).into(),
        })?;
        tracing::info!(seq, actor = %who.actor(), "menu edited");
        Ok(change)
    }

    async fn pickup_options(&self, location: LocationId) -> Result<PickupOptions, AppError> {
        let hours = self.store.location_hours(location.0).await.map_err(AppError::from)?;
        let now = store_clock();
        let rules = PickupRules::new(hours.opening_hours, &hours.timezone, now);
        Ok(PickupOptions {
            open_now: rules.is_open_now(),
            slots: rules.slots().into_iter().map(|at| PickupSlot::new(at, &hours.timezone, now)).collect(),
            opening_hours: hours.opening_hours,
            timezone: hours.timezone.name().to_string(),
        })
    }

    async fn change_status(
        &self,
        who: &Principal,
        order_id: i64,
        change: StatusChange,
        expected_version: Option<i64>,
    ) -> Result<Order, AppError> {
        let location_id = match who {
            // A screen's bump bar moves a ticket one step along, and nothing else.
            Principal::Device { device_id, location_id, .. } => {
                let options = self.store.screen_options(*device_id).await.map_err(AppError::from)?.unwrap_or_default();
                let bump = matches!(change, StatusChange::MoveTo { status } if status != OrderStatus::Cancelled);
                if !(options.bump_bar && bump) {
                    return Err(AppError::forbidden());
                }
                *location_id
            }
            _ => require_staff(who)?,
        };
        let store = self.store.clone();
        let actor = who.actor();
        let changed = self
            .write(async move {
                store.change_status(location_id, order_id, &change, expected_version, &actor, store_clock()).await
            })
            .await?;
        match changed {
            Ok((order, seq)) => {
                tracing::info!(order = order.id, seq, status = %order.status, actor = %who.actor(), "order status changed");
                Ok(order.shown_to(who))
            }
            Err(StatusChangeRefused::NotFound) => Err(AppError::not_found(format!("order {order_id}"))),
            Err(StatusChangeRefused::Refused(refused)) => Err(refused.into()),
            Err(StatusChangeRefused::Stale(current)) => Err(AppError::Conflict {
                message: format!(
                    "order #{order_id} was changed by someone else: it is now {}",
                    current.status.label().to_lowercase()
                ),
                current: Some(Box::new(current.shown_to(who))),
            }),
        }
    }

    async fn open_orders(&self, who: &Principal) -> Result<Snapshot, AppError> {
        let location_id = require_kitchen_access(who)?;
        let recallable_since = store_clock() - chrono::Duration::seconds(RECALL_WINDOW_SECS);
        Ok(self.board(location_id, recallable_since).await.map_err(AppError::from)?.shown_to(who))
    }

    async fn kitchen_settings(&self, who: &Principal) -> Result<KitchenSettings, AppError> {
        let location_id = require_kitchen_access(who)?;
        let screen = match who {
            Principal::Device { device_id, .. } => {
                self.store.screen_options(*device_id).await.map_err(AppError::from)?.unwrap_or_default()
            }
            _ => ScreenOptions::default(),
        };
        Ok(KitchenSettings { screen, prep_secs: self.preparation_secs(location_id).await?, ..self.kitchen })
    }

    async fn order(&self, who: &Principal, order_id: i64) -> Result<Snapshot, AppError> {
        let location_id = require_kitchen_access(who)?;
        self.store
            .order_snapshot(order_id)
            .await
            .map_err(AppError::from)?
            // Another pizzeria's order does not exist, as far as this caller can tell.
            .filter(|snapshot| snapshot.orders.iter().all(|order| order.location_id == location_id))
            .map(|snapshot| snapshot.shown_to(who))
            .ok_or_else(|| AppError::not_found(format!("order {order_id}")))
    }

    async fn order_by_token(&self, who: &Principal, token: &str) -> Result<Snapshot, AppError> {
        let not_found = || AppError::not_found("this order");
        let order_id = self.store.order_id_by_token(token).await.map_err(AppError::from)?.ok_or_else(not_found)?;
        let mut snapshot = self.store.order_snapshot(order_id).await.map_err(AppError::from)?.ok_or_else(not_found)?;
        if let Some(order) = snapshot.orders.first().filter(|order| order.status.is_open()) {
            let now = snapshot.taken_at;
            let queue = self.board(order.location_id, now).await.map_err(AppError::from)?;
            let times = self.store.stage_times(order.location_id, now - ETA_HISTORY).await.map_err(AppError::from)?;
            snapshot.estimate = estimate_ready(order, &queue.orders, times, now);
        }
        Ok(snapshot.shown_to(who))
    }

    fn new_checkout_key(&self) -> String {
        auth::new_order_token()
    }
}

#[async_trait::async_trait]
impl AccountService for LiveOrderService {
    async fn sign_in(&self, username: &str, password: &str) -> Result<SignedIn, AppError> {
        let refused = || AppError::Unauthorized { message: "wrong username or password".into() };
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
        self.revoke(async move { store.revoke_session(&hash, store_clock()).await }, move |ended: &bool| {
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
        let location_id = require_admin(who)?;
        let store = self.store.clone();
        let found = self
            .revoke(
                async move { store.revoke_device(location_id, device_id, store_clock()).await },
                move |found: &bool| found.then_some(Revoked::Device(device_id)),
            )
            .await?;
        if !found {
            return Err(AppError::not_found(format!("device {device_id}")));
        }
        tracing::info!(device = device_id, by = %who.actor(), "kitchen device revoked");
        Ok(())
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
        let account = self.create_account(location_id, username, password, role).await?;
        tracing::info!(user = account.id, by = %who.actor(), "staff account created");
        Ok(account)
    }

    async fn disable_staff_account(&self, who: &Principal, user_id: i64) -> Result<(), AppError> {
        let location_id = require_admin(who)?;
        if matches!(who, Principal::User { user_id: me, .. } if *me == user_id) {
            return Err(AppError::validation("user_id", "you cannot disable your own account"));
        }
        let store = self.store.clone();
        let found = self
            .revoke(
                async move { store.disable_user(location_id, user_id, store_clock()).await },
                move |found: &bool| found.then_some(Revoked::User(user_id)),
            )
            .await?;
        if !found {
            return Err(AppError::not_found(format!("account {user_id}")));
        }
        tracing::info!(user = user_id, by = %who.actor(), "staff account disabled");
        Ok(())
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
            return Err(AppError::Unauthorized {
                message: "this pairing link is unknown, used or expired: ask an admin for a new one".into(),
            });
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
            }),
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
        Ok(self.hub.screens.list(&self.instance, location_id, self.hub.head(), elsewhere))
    }
}

/// How often a TV showing its screen code asks whether it was approved.
const SCREEN_CODE_POLL_SECS: u32 = 3;

impl LiveOrderService {
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

impl LiveOrderService {
    pub async fn create_account(
        &self,
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
        match self.store.create_user(location_id, username, &hash, role, now).await.map_err(AppError::from)? {
            Ok(id) => Ok(StaffAccount { id, username: username.to_string(), role, created_at: now, disabled_at: None }),
            Err(UsernameTaken) => Err(AppError::validation("username", format!("the username {username:?} is taken"))),
        }
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

/// Admins only: returns their pizzeria.
pub fn require_admin(who: &Principal) -> Result<i64, AppError> {
    require(who, Principal::is_admin)
}
