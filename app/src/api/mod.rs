//! Server functions: thin adapters between the pages and the server's [`OrderService`].

mod accounts;
mod api_keys;
#[cfg(feature = "ssr")]
mod context;
mod devices;
mod error;
mod orders;
#[cfg(feature = "ssr")]
mod service;
mod staff_accounts;

pub use accounts::*;
pub use api_keys::*;
pub use devices::*;
pub use error::{AppError, RETRY_AFTER_SECS};
pub use orders::*;
#[cfg(feature = "ssr")]
pub use service::{AccountService, OrderService, SharedAccountService, SharedOrderService, SignedIn};
pub use staff_accounts::*;
