//! One module per page.

mod api_keys;
mod common;
mod devices;
mod kitchen;
mod login;
mod menu;
mod menu_admin;
mod not_found;
mod order;
mod order_form;
mod reports;
mod staff;
mod staff_accounts;

pub use api_keys::ApiKeysPage;
pub use devices::{DevicesPage, PairPage, ScreenPairingPage};
pub use kitchen::KitchenPage;
pub use login::{LoginPage, SignOutButton};
pub use menu::MenuPage;
pub use menu_admin::MenuAdminPage;
pub use not_found::NotFound;
pub use order::OrderPage;
pub use order_form::OrderFormPage;
pub use reports::ReportsPage;
pub use staff::StaffPage;
pub use staff_accounts::StaffAccountsPage;

#[cfg(feature = "hydrate")]
pub(crate) use common::mark_hydrated;
use common::{
    enter_island, load_page, loaded_or_refused, loading_notice, AdminList, AdminTopBar, LiveSnapshot, Reloaded,
    RetireControl,
};
