//! The server's side of the app's services: every authorization decision, then storage, the
//! event log and the hub, behind the interfaces the server functions and JSON routes call.
//! Orders and accounts are separate services (`orders`, `accounts`); both decide who may do
//! what with the functions below, and nothing outside this module decides it.

mod accounts;
mod board_cache;
mod order_limit;
mod orders;
mod writes;

pub use accounts::{create_account, LiveAccountService};
pub use board_cache::{AsOf, BoardCache};
pub use order_limit::{network_of, OrderLimit};
pub use orders::LiveOrderService;

use app::api::AppError;
use app::domain::Principal;

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

/// Admins only: returns their pizzeria.
pub fn require_admin(who: &Principal) -> Result<i64, AppError> {
    require(who, Principal::is_admin)
}
