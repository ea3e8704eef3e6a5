//! What every request handler shares: the application's state, built by `startup`.

use super::Limits;
use crate::auth::IdentityCache;
use crate::locations::Locations;
use crate::realtime::{ConnectionRuntime, ConnectionSettings, Hub};
use crate::store::Store;
use app::api::SharedOrderService;
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use std::sync::Arc;
use tokio::sync::watch;

/// What every request handler shares. Cloned for each request (each middleware with state
/// takes its own copy), so it is one reference count, not a copy of every field.
#[derive(Clone)]
pub struct AppState(pub Arc<SharedState>);

impl std::ops::Deref for AppState {
    type Target = SharedState;

    fn deref(&self) -> &SharedState {
        &self.0
    }
}

/// leptos_axum reads the site's options from the router's state.
impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> LeptosOptions {
        state.leptos_options.clone()
    }
}

pub struct SharedState {
    pub leptos_options: LeptosOptions,
    pub store: Store,
    pub hub: Arc<Hub>,
    pub service: SharedOrderService,
    pub settings: Arc<ConnectionSettings>,
    pub shutdown: watch::Receiver<bool>,
    /// Where live connections run, and which are open (so shutdown can wait for their goodbyes).
    pub connections: ConnectionRuntime,
    pub limits: Arc<Limits>,
    /// Which pizzeria each request is about.
    pub locations: Arc<Locations>,
    /// Who holds recently presented tokens.
    pub identities: Arc<IdentityCache>,
}
