//! Pizzeria Live's server: configuration, storage, the realtime hub and the HTTP surface.
//! The pages, server functions and domain rules live in the `app` crate.

pub mod auth;
pub mod config;
pub mod http;
pub mod metrics;
pub mod realtime;
pub mod service;
pub mod startup;
pub mod store;
