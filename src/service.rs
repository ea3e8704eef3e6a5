//! The server's side of the app's services: authorization, storage, the event log and the
//! hub, behind the interfaces the server functions and JSON routes call.

use crate::auth;
use crate::realtime::Hub;
use crate::store::{StatusChangeRefused, Store, StoreError};
use app::api::{AccountService, AppError, OrderService, SignedIn};
use app::domain::{Menu, Order, OrderRequest, OrderStatus, PlacedOrder, Principal, Snapshot};
use chrono::Utc;
use std::sync::Arc;

pub struct LiveOrderService {
    pub store: Store,
    pub hub: Arc<Hub>,
    pub location_id: i64,
    /// How long a staff sign-in lasts.
    pub session_secs: i64,
}

/// Logs a storage failure and turns it into what a client may see.
pub fn internal(err: StoreError) -> AppError {
    if err.is_unavailable() {
        tracing::warn!(error = %err, "database unavailable");
        AppError::unavailable()
    } else {
        tracing::error!(error = %err, "storage failure");
        AppError::internal()
    }
}

/// Kitchen screens, staff and admins only.
pub fn require_kitchen_access(who: &Principal) -> Result<(), AppError> {
    match who {
        Principal::Anonymous => Err(AppError::unauthorized()),
        _ if who.can_watch_kitchen() => Ok(()),
        _ => Err(AppError::forbidden()),
    }
}

/// Staff and admins only.
pub fn require_staff(who: &Principal) -> Result<(), AppError> {
    match who {
        Principal::Anonymous => Err(AppError::unauthorized()),
        _ if who.can_change_orders() => Ok(()),
        _ => Err(AppError::forbidden()),
    }
}

impl LiveOrderService {
    /// Runs a write to completion even if the request that asked for it goes away, then wakes
    /// the hub: a committed change is always broadcast.
    async fn write<T, F>(&self, write: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: std::future::Future<Output = Result<T, StoreError>> + Send + 'static,
    {
        let hub = self.hub.clone();
        let outcome = tokio::spawn(async move {
            let outcome = write.await;
            hub.committed();
            outcome
        })
        .await
        .map_err(|err| {
            tracing::error!(error = %err, "a write task failed");
            AppError::internal()
        })?;
        outcome.map_err(internal)
    }
}

#[async_trait::async_trait]
impl OrderService for LiveOrderService {
    async fn menu(&self) -> Result<Menu, AppError> {
        self.store.menu(self.location_id).await.map_err(internal)
    }

    async fn place_order(&self, who: &Principal, request: OrderRequest) -> Result<PlacedOrder, AppError> {
        let store = self.store.clone();
        let location_id = self.location_id;
        let token = auth::new_order_token();
        let actor = who.actor();
        let placed = {
            let token = token.clone();
            self.write(async move { store.place_order(location_id, &request, &token, &actor, Utc::now()).await }).await?
        };
        let (order, seq) = placed?;
        tracing::info!(order = order.id, seq, total = %order.total, "order placed");
        Ok(PlacedOrder { order, token })
    }

    async fn set_status(
        &self,
        who: &Principal,
        order_id: i64,
        to: OrderStatus,
        expected_version: Option<i64>,
    ) -> Result<Order, AppError> {
        require_staff(who)?;
        let store = self.store.clone();
        let actor = who.actor();
        let changed =
            self.write(async move { store.set_status(order_id, to, expected_version, &actor, Utc::now()).await }).await?;
        match changed {
            Ok((order, seq)) => {
                tracing::info!(order = order.id, seq, status = %order.status, actor = %who.actor(), "order status changed");
                Ok(order)
            }
            Err(StatusChangeRefused::NotFound) => Err(AppError::not_found(format!("order {order_id}"))),
            Err(StatusChangeRefused::Transition(refused)) => Err(refused.into()),
            Err(StatusChangeRefused::Stale(current)) => Err(AppError::Conflict {
                message: format!(
                    "order #{order_id} was changed by someone else: it is now {}",
                    current.status.label().to_lowercase()
                ),
                current: Some(current),
            }),
        }
    }

    async fn open_orders(&self, who: &Principal) -> Result<Snapshot, AppError> {
        require_kitchen_access(who)?;
        self.store.open_orders(self.location_id).await.map_err(internal)
    }

    async fn order(&self, who: &Principal, order_id: i64) -> Result<Snapshot, AppError> {
        require_kitchen_access(who)?;
        self.store
            .order_snapshot(order_id)
            .await
            .map_err(internal)?
            .ok_or_else(|| AppError::not_found(format!("order {order_id}")))
    }

    async fn order_by_token(&self, token: &str) -> Result<Snapshot, AppError> {
        let not_found = || AppError::not_found("this order");
        let order_id = self.store.order_id_by_token(token).await.map_err(internal)?.ok_or_else(not_found)?;
        self.store.order_snapshot(order_id).await.map_err(internal)?.ok_or_else(not_found)
    }
}

#[async_trait::async_trait]
impl AccountService for LiveOrderService {
    async fn sign_in(&self, username: &str, password: &str) -> Result<SignedIn, AppError> {
        let refused = || AppError::Unauthorized { message: "wrong username or password".into() };
        let record = self.store.login_record(username.trim()).await.map_err(internal)?;
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
        let now = Utc::now();
        let expires = now + chrono::Duration::seconds(self.session_secs);
        self.store.open_user_session(&auth::token_hash(&token), record.user_id, now, expires).await.map_err(internal)?;
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
        self.store.revoke_session(&auth::token_hash(session_token), Utc::now()).await.map_err(internal)
    }
}
