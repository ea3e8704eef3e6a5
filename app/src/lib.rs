//! Pizzeria Live's Leptos app: domain rules, server functions, pages and the client side of
//! the live channel. Compiled twice: with `ssr` into the server, with `hydrate` into wasm.

#![recursion_limit = "256"]

pub mod api;
mod build;
pub mod components;
pub mod domain;
pub mod i18n;
pub mod live;
pub mod locale;
pub mod pages;
mod shell;

pub use build::BuildId;
pub use shell::{shell, App};

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Only the pages' islands hydrate (see `pages`); the rest of each page is plain HTML.
    leptos::mount::hydrate_islands();
    // A page with no island (the plain order form) is as live as it gets once this has run;
    // pages with islands are marked by their island once it is hydrated.
    let document = leptos::prelude::document();
    if document.query_selector("leptos-island").ok().flatten().is_none() {
        pages::mark_hydrated();
    }
}
