//! Keeping a link (browser only): the system's share sheet where the browser has one (phones),
//! else the clipboard. Reached through the objects, like `ready_alert`, so a browser without
//! them says so instead of failing, and tests can stand in for them.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// How keeping the link went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kept {
    Shared,
    Copied,
    /// Neither a share sheet nor the clipboard: the customer copies the address themselves.
    Unavailable,
}

fn get(target: &JsValue, name: &str) -> Option<JsValue> {
    js_sys::Reflect::get(target, &JsValue::from_str(name)).ok().filter(|value| !value.is_undefined())
}

fn method(target: &JsValue, name: &str) -> Option<js_sys::Function> {
    get(target, name).and_then(|f| f.dyn_into().ok())
}

/// Waits for a promise the browser returned; whether it was fulfilled.
async fn settled(promise: JsValue) -> bool {
    match promise.dyn_into::<js_sys::Promise>() {
        Ok(promise) => wasm_bindgen_futures::JsFuture::from(promise).await.is_ok(),
        Err(_) => false,
    }
}

/// Offers `url` to the share sheet, else copies it. A share the customer dismissed is not
/// copied behind their back: it counts as done.
pub async fn share_or_copy(title: &str, url: &str) -> Kept {
    let navigator: JsValue = window().navigator().into();
    if let Some(share) = method(&navigator, "share") {
        let data = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&data, &JsValue::from_str("title"), &JsValue::from_str(title));
        let _ = js_sys::Reflect::set(&data, &JsValue::from_str("url"), &JsValue::from_str(url));
        if let Ok(promise) = share.call1(&navigator, &data) {
            settled(promise).await;
            return Kept::Shared;
        }
    }
    let Some(clipboard) = get(&navigator, "clipboard") else { return Kept::Unavailable };
    let Some(write) = method(&clipboard, "writeText") else { return Kept::Unavailable };
    let copied = match write.call1(&clipboard, &JsValue::from_str(url)) {
        Ok(promise) => settled(promise).await,
        Err(_) => false,
    };
    if copied {
        Kept::Copied
    } else {
        Kept::Unavailable
    }
}
