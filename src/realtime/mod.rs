//! The realtime hub: committed events from the log to every subscribed screen.
//!
//! ```text
//! commit ─▶ Hub::committed() ─▶ pump reads events > head from the table ─▶ one broadcast
//!          channel per scope (location, order) ─▶ each connection's bounded queue ─▶ socket
//! ```
//! The pump reads from the table rather than trusting callers, so every committed event is
//! published exactly once and in seq order, even when a request is cancelled mid-flight.
//! With PostgreSQL, other instances' commits wake the pump through LISTEN/NOTIFY (`listen`).

pub mod connection;
mod connection_runtime;
mod encode;
mod feed;
mod hub;
mod listen;
mod screens;

pub use connection::ConnectionSettings;
pub use connection_runtime::{runtime, ConnectionRuntime};
pub use encode::{ContactDetails, EncodedEvent};
pub use hub::{spawn_pump, Credentials, Hub, Revoked};
pub use listen::spawn_commit_listener;
pub use screens::{spawn_screen_reports, ScreenLabel, REPORT_FRESH_FOR};
