// Every query, written once and compiled once per backend: `store/sqlite.rs` and
// `store/postgres.rs` each include this file after defining
// - `Db` (their sqlx database) and `Conn` (its connection),
// - `Pools` (a reader and a writer pool) and `MIGRATOR`,
// - the few statements whose SQL differs: `begin_snapshot`, `announce`,
//   `lock_name` and `ORDER_STATUS_IN_PAYLOAD`.
// Placeholders are `$1, $2, …`, which both SQLite and PostgreSQL read.

use super::accounts::{DeviceRow, LoginRecord, ScreenCodeState, SessionHolder, SessionOwner, SessionRow, UserRow, UsernameTaken};
use super::api_keys::{ApiKeyRow, API_KEY_COLUMNS};
use super::events::{NewEvent, OrderKey, Replay, Scope, StoredEvent, EVENT_COLUMNS};
use super::locations::{Location, LocationContact, LocationTaken, NewLocation};
use super::menu::{LocationHours, MenuEditRefused, MenuItemRow, ToppingRow};
use super::orders::{
    assemble_orders, repeats_an_idempotency_key, request_hash, BatchFailed, LineDetails, LineRow, NewOrder, OrderRow, PlaceOutcome,
    PlaceRefused, Placed, StatusChangeRefused,
};
use super::revocations::Revoked;
use super::screens::ScreenRow;
use super::seed::{DemoLocation, DEMO_MENU, DEMO_TOPPINGS};
use super::{Result, StoreError};
use app::domain::eta::StageTimes;
use app::domain::reports::ReportOrder;
use app::domain::protocol::{order_url, MENU_URL};
use app::domain::{
    apply_change, price_order, ApiKey, Cents, EventKind, ItemStation, Menu, MenuChange, MenuEdit, MenuItem, Order, OrderLine, OrderStatus, Payload,
    PickupRules, PricedOrder, Principal, Role, ScreenOptions, Snapshot, StatusChange, Topping,
};
use chrono::{DateTime, Utc};
use std::collections::hash_map::{Entry, HashMap};

include!("events.rs");
include!("orders.rs");
include!("menu.rs");
include!("accounts.rs");
include!("api_keys.rs");
include!("locations.rs");
include!("screens.rs");
