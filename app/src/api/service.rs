use super::AppError;
use crate::domain::pizzeria::PizzeriaCard;
use crate::domain::{
    ApiKey, Device, KitchenSettings, LocationId, Menu, NewApiKey, NewDevice, Order, OrderRequest, PlacedOrder,
    Principal, Role, Snapshot, StaffAccount, StatusChange,
};
use std::sync::Arc;

/// What the server functions need from the server. The server crate implements it
/// (authorization, storage, event log, broadcast) and hands it to Leptos through context.
/// Every method that needs permission takes the caller's [`Principal`] and checks it; staff
/// methods work on the caller's own pizzeria, customer methods on the request's [`LocationId`].
#[async_trait::async_trait]
pub trait OrderService: Send + Sync + 'static {
    async fn menu(&self, location: LocationId) -> Result<Menu, AppError>;
    /// Places an order; the same idempotency key sent again by the same caller returns the
    /// order it placed (a customer's keys are its browser's). Every way of ordering shares one
    /// rate limit, counted by caller (a customer by address).
    async fn place_order(
        &self,
        who: &Principal,
        origin: crate::domain::RequestOrigin,
        location: LocationId,
        request: OrderRequest,
    ) -> Result<PlacedOrder, AppError>;
    /// Marks an item or topping sold out or back (staff), or changes a price (admins). Every
    /// open menu page sees it at once.
    async fn edit_menu(
        &self,
        who: &Principal,
        edit: crate::domain::MenuEdit,
    ) -> Result<crate::domain::MenuChange, AppError>;
    /// When a customer can pick up: now, or which slots.
    async fn pickup_options(&self, location: LocationId) -> Result<crate::domain::pickup::PickupOptions, AppError>;
    /// The pizzeria an order is at, as its tracker shows it; whoever holds the order's token
    /// may see it.
    async fn pizzeria_of_order(&self, token: &str) -> Result<PizzeriaCard, AppError>;
    /// The owner's report on the caller's pizzeria: today and the last seven days, in its
    /// own time zone. Admins only.
    async fn report(&self, who: &Principal) -> Result<crate::domain::reports::Report, AppError>;
    /// The orders of the report's seven days, one row each: the CSV export. Admins only.
    async fn export_orders(&self, who: &Principal) -> Result<crate::domain::reports::OrdersExport, AppError>;
    /// Sets the currency the caller's pizzeria prices in (no price is converted). Admins only.
    async fn set_pizzeria_currency(&self, who: &Principal, code: &str) -> Result<PizzeriaCard, AppError>;
    /// The currency a pizzeria prices in; anyone may know it.
    async fn currency(&self, location: LocationId) -> Result<crate::domain::money::Currency, AppError>;
    /// The caller's pizzeria, as customers see it. Admins only.
    async fn pizzeria(&self, who: &Principal) -> Result<PizzeriaCard, AppError>;
    /// Sets the caller's pizzeria's address and phone. Admins only.
    async fn set_pizzeria_contact(&self, who: &Principal, address: &str, phone: &str)
        -> Result<PizzeriaCard, AppError>;
    /// Applies a staff change to an order's status, if the rules allow it and, when
    /// `expected_version` is given, if nobody changed the order since the caller last saw it.
    /// Staff only.
    async fn change_status(
        &self,
        who: &Principal,
        order_id: i64,
        change: StatusChange,
        expected_version: Option<i64>,
    ) -> Result<Order, AppError>;
    /// Moves an order one stage along from where it is (received → preparing → baking →
    /// ready → collected), if it is still at `expected_version` when given. Staff only.
    async fn advance(&self, who: &Principal, order_id: i64, expected_version: Option<i64>) -> Result<Order, AppError>;
    /// The kitchen's snapshot. Staff and kitchen devices only.
    async fn open_orders(&self, who: &Principal) -> Result<Snapshot, AppError>;
    /// Ticket thresholds and other settings shared by every kitchen screen.
    async fn kitchen_settings(&self, who: &Principal) -> Result<KitchenSettings, AppError>;
    /// One order by id. Staff and kitchen devices only.
    async fn order(&self, who: &Principal, order_id: i64) -> Result<Snapshot, AppError>;
    /// One order by its customer token: whoever holds the token may see that order (a kitchen
    /// screen without the phone number).
    async fn order_by_token(&self, who: &Principal, token: &str) -> Result<Snapshot, AppError>;
    /// A fresh idempotency key for a checkout form rendered by the server.
    fn new_checkout_key(&self) -> String;
}

/// Signing staff in and out.
#[async_trait::async_trait]
pub trait AccountService: Send + Sync + 'static {
    /// Checks the password and opens a session; returns the session token for the cookie.
    async fn sign_in(&self, username: &str, password: &str) -> Result<SignedIn, AppError>;
    /// Ends the session with this token (if it exists), closing its live connections.
    async fn sign_out(&self, session_token: &str) -> Result<(), AppError>;
    /// Kitchen screens of the admin's pizzeria. Admins only.
    async fn devices(&self, who: &Principal) -> Result<Vec<Device>, AppError>;
    /// Registers a kitchen screen and returns its one-time pairing link. Admins only.
    async fn add_device(&self, who: &Principal, name: &str) -> Result<NewDevice, AppError>;
    /// Turns a screen's hands-free extras on or off. Admins only.
    async fn set_screen_options(
        &self,
        who: &Principal,
        device_id: i64,
        options: crate::domain::ScreenOptions,
    ) -> Result<(), AppError>;
    /// Signs a screen out for good and closes its live connections. Admins only.
    async fn revoke_device(&self, who: &Principal, device_id: i64) -> Result<(), AppError>;
    /// Staff accounts of the admin's pizzeria. Admins only.
    async fn staff_accounts(&self, who: &Principal) -> Result<Vec<StaffAccount>, AppError>;
    /// Creates a staff or admin account. Admins only.
    async fn add_staff_account(
        &self,
        who: &Principal,
        username: &str,
        password: &str,
        role: Role,
    ) -> Result<StaffAccount, AppError>;
    /// Disables an account, ending its sessions and closing its live connections. Admins only,
    /// and never their own account.
    async fn disable_staff_account(&self, who: &Principal, user_id: i64) -> Result<(), AppError>;
    /// Exchanges a pairing code for a long-lived device session; returns its token.
    async fn pair_device(&self, code: &str) -> Result<SignedIn, AppError>;
    /// A short code for a TV to show, so an admin can pair it without typing a link.
    async fn request_screen_code(&self, location: LocationId) -> Result<crate::domain::auth::ScreenCode, AppError>;
    /// An admin approves the code a TV shows: the TV becomes a device of their pizzeria.
    async fn approve_screen_code(&self, who: &Principal, code: &str, name: &str) -> Result<Device, AppError>;
    /// The TV asks whether its code was approved: its device session the first time it was,
    /// `None` while it waits.
    async fn poll_screen_code(&self, poll_token: &str) -> Result<Option<SignedIn>, AppError>;
    /// API keys of the admin's pizzeria. Admins only.
    async fn api_keys(&self, who: &Principal) -> Result<Vec<ApiKey>, AppError>;
    /// Creates an API key; its secret is in the answer and nowhere else. Admins only.
    /// A new key for an outside system: orders always, marking items sold out if asked.
    async fn add_api_key(&self, who: &Principal, name: &str, marks_sold_out: bool) -> Result<NewApiKey, AppError>;
    /// Revokes a key and closes the live connections opened with it. Admins only.
    async fn revoke_api_key(&self, who: &Principal, key_id: i64) -> Result<(), AppError>;
    /// The connections on the kitchen feed now, and how far behind each one's last
    /// acknowledgement is. Admins only.
    async fn connected_screens(&self, who: &Principal) -> Result<Vec<crate::domain::ConnectedScreen>, AppError>;
}

pub struct SignedIn {
    pub principal: Principal,
    pub session_token: String,
    pub max_age_secs: i64,
}

pub type SharedOrderService = Arc<dyn OrderService>;
pub type SharedAccountService = Arc<dyn AccountService>;
