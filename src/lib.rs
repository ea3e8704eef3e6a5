//! Pizzeria Live's server: configuration, storage, the realtime hub and the HTTP surface.
//! The pages, server functions and domain rules live in the `app` crate.

// Leptos views are deeply nested types: without erased components (a plain `cargo build`) they
// need more than the default recursion limit.
#![recursion_limit = "512"]

pub mod auth;
pub mod config;
pub mod demo;
pub mod digest;
pub mod http;
pub mod locations;
pub mod metrics;
pub mod realtime;
pub mod service;
pub mod startup;
pub mod store;
