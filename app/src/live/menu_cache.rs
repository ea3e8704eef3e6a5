//! The menu page's browser side: the menu stays current from the live channel, and the cart
//! is kept in local storage, so a reload loses nothing. On the server these do nothing.

use crate::domain::{Cart, Menu};
use leptos::prelude::*;

#[cfg(feature = "hydrate")]
const CART_KEY: &str = "pizzeria.cart.v1";

/// Follows the live menu channel: sold out, back on, new prices. No copy is kept: the page
/// always arrives with the current menu (it is rendered once the menu has loaded).
pub fn keep_current(menu: RwSignal<Menu>) {
    #[cfg(feature = "hydrate")]
    super::use_live_menu(menu);
    #[cfg(not(feature = "hydrate"))]
    let _ = menu;
}

/// Restores the cart once the page is live (the server renders it empty, and hydration must
/// see the same), then saves every change.
pub fn persist_cart(cart: RwSignal<Cart>) {
    #[cfg(feature = "hydrate")]
    {
        let restored = StoredValue::new(false);
        Effect::new(move |_| {
            if !restored.get_value() {
                restored.set_value(true);
                if let Some(saved) = storage::load::<Cart>(CART_KEY) {
                    cart.set(saved);
                }
            }
            cart.with(|cart| storage::save(CART_KEY, cart));
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = cart;
}

/// A fresh idempotency key for a checkout (a random UUID).
pub fn new_idempotency_key() -> String {
    #[cfg(feature = "hydrate")]
    {
        if let Some(uuid) = window().crypto().ok().map(|crypto| crypto.random_uuid()) {
            return uuid;
        }
        format!("k{:x}{:x}", js_sys::Date::now() as u64, (js_sys::Math::random() * 1e15) as u64)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        format!("k{:x}", chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default())
    }
}

#[cfg(feature = "hydrate")]
mod storage {
    use leptos::prelude::window;
    use serde::{de::DeserializeOwned, Serialize};

    pub fn load<T: DeserializeOwned>(key: &str) -> Option<T> {
        let text = window().local_storage().ok()??.get_item(key).ok()??;
        serde_json::from_str(&text).ok()
    }

    /// Best effort: private browsing or a full disk only cost the convenience.
    pub fn save<T: Serialize>(key: &str, value: &T) {
        if let (Some(storage), Ok(text)) = (window().local_storage().ok().flatten(), serde_json::to_string(value)) {
            let _ = storage.set_item(key, &text);
        }
    }
}
