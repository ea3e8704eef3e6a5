//! Writes that finish whatever happens to the request that asked for them, and what follows
//! each: waking the hub, announcing a revocation.

use crate::realtime::{Hub, Revoked};
use crate::store::StoreError;
use app::api::AppError;
use std::sync::Arc;

/// Runs the services' writes (see each method).
#[derive(Clone)]
pub(super) struct WriteRunner {
    hub: Arc<Hub>,
}

impl WriteRunner {
    pub(super) fn new(hub: Arc<Hub>) -> WriteRunner {
        WriteRunner { hub }
    }

    /// Runs a write to completion even if the request that asked for it goes away, then wakes
    /// the hub: a committed change is always broadcast.
    pub(super) async fn write<T, F>(&self, write: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: std::future::Future<Output = Result<T, StoreError>> + Send + 'static,
    {
        self.complete(write, |hub, _| hub.committed()).await
    }

    /// Runs a revocation to completion even if the request goes away, then announces it when
    /// `revoked` names what it withdrew: a token withdrawn in the database is never left
    /// trusted by this instance's identity cache or live connections.
    pub(super) async fn revoke<T, F>(
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
