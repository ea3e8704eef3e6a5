//! Pizzeria Live's server: configuration, storage, the realtime hub and the HTTP surface.
//! The pages, server functions and domain rules live in the `app` crate.

// Leptos views are deeply nested types: without erased components (a plain `cargo build`) they
// need more than the default recursion limit.
#![recursion_limit = "512"]

// The request paths: what a client sends reaches these, so none of them may panic on it.
#[cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]
pub mod auth;
pub mod config;
pub mod demo;
pub mod digest;
#[cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]
pub mod http;
#[cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]
pub mod locations;
pub mod metrics;
#[cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]
pub mod realtime;
#[cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]
pub mod service;
pub mod startup;
pub mod store;

#[cfg(test)]
mod architecture_tests;
