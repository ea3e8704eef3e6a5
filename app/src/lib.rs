//! Pizzeria Live's Leptos app: domain rules, server functions, pages and the client side of
//! the live channel. Compiled twice: with `ssr` into the server, with `hydrate` into wasm.

#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod domain;
pub mod i18n;
pub mod live;
pub mod pages;
mod shell;

pub use shell::{shell, App, BuildId};

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
    // Lets tests (and curious people) tell a live page from a merely rendered one.
    if let Some(body) = leptos::prelude::document().body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}
