//! Pure domain types and rules, shared by the server and the browser. No I/O here.

pub mod auth;
pub mod backoff;
pub mod board;
pub mod cart;
pub mod clock;
pub mod eta;
#[cfg(any(test, feature = "test-fixtures"))]
pub mod fixtures;
pub mod kitchen;
pub mod menu;
pub mod money;
pub mod order;
pub mod order_form;
pub mod pickup;
pub mod pizzeria;
pub mod protocol;
pub mod reports;
pub mod status_change;
pub mod tagged_json;
pub mod text;
pub mod validation;
pub mod wall_layout;

pub use auth::{
    ApiKey, BrowserId, ClientAddress, Device, LocationId, NewApiKey, NewDevice, Principal, RequestOrigin, Role,
    ScreenOptions, StaffAccount,
};
pub use board::OrderBoard;
pub use cart::Cart;
pub use kitchen::{KitchenSettings, Urgency};
pub use menu::{Allergen, Category, ItemStation, Menu, MenuChange, MenuEdit, MenuItem, Size, SizePrices, Topping};
pub use money::Cents;
pub use order::{
    price_order, LineRequest, Order, OrderLine, OrderRequest, OrderStatus, PlacedOrder, PricedOrder, TransitionError,
    MAX_LINES,
};
pub use pickup::{OpeningHours, PickupRules};
pub use protocol::{
    ClientMessage, ConnectedScreen, EventKind, LiveEvent, Payload, ResyncReason, ScreenHealth, ServerMessage, Snapshot,
};
pub use status_change::{apply_change, ChangeRefused, StatusChange};
pub use validation::ValidationError;
