//! The server's side of [`OrderService`]: storage, the event log and the hub, behind the
//! interface the server functions and JSON routes call.

use crate::realtime::Hub;
use crate::store::{StatusChangeRefused, Store, StoreError};
use app::api::{AppError, OrderService};
use app::domain::{Menu, Order, OrderRequest, OrderStatus, Snapshot};
use chrono::Utc;
use std::sync::Arc;

pub struct LiveOrderService {
    pub store: Store,
    pub hub: Arc<Hub>,
    pub location_id: i64,
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

    async fn place_order(&self, request: OrderRequest) -> Result<Order, AppError> {
        let store = self.store.clone();
        let location_id = self.location_id;
        let placed = self.write(async move { store.place_order(location_id, &request, Utc::now()).await }).await?;
        let (order, seq) = placed?;
        tracing::info!(order = order.id, seq, total = %order.total, "order placed");
        Ok(order)
    }

    async fn set_status(&self, order_id: i64, to: OrderStatus, expected_version: Option<i64>) -> Result<Order, AppError> {
        let store = self.store.clone();
        let changed = self.write(async move { store.set_status(order_id, to, expected_version, Utc::now()).await }).await?;
        match changed {
            Ok((order, seq)) => {
                tracing::info!(order = order.id, seq, status = %order.status, "order status changed");
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

    async fn open_orders(&self) -> Result<Snapshot, AppError> {
        self.store.open_orders(self.location_id).await.map_err(internal)
    }

    async fn order(&self, order_id: i64) -> Result<Snapshot, AppError> {
        self.store
            .order_snapshot(order_id)
            .await
            .map_err(internal)?
            .ok_or_else(|| AppError::not_found(format!("order {order_id}")))
    }
}
