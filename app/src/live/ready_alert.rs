//! Telling a customer their order is ready when they are not looking at the page (browser
//! only): the phone vibrates, and a system notification shows if they allowed it. The APIs are
//! reached through the objects, not fixed bindings, so a browser without them does nothing
//! and tests can stand in for them.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The rhythm of the buzz: two short pulses.
const VIBRATION_MS: [u32; 3] = [300, 150, 300];

fn get(target: &JsValue, name: &str) -> Option<JsValue> {
    js_sys::Reflect::get(target, &JsValue::from_str(name)).ok().filter(|value| !value.is_undefined())
}

/// Buzzes the phone, where it can.
pub fn vibrate() {
    let navigator: JsValue = window().navigator().into();
    if let Some(vibrate) = get(&navigator, "vibrate").and_then(|f| f.dyn_into::<js_sys::Function>().ok()) {
        let pattern: js_sys::Array = VIBRATION_MS.iter().map(|ms| JsValue::from(*ms)).collect();
        let _ = vibrate.call1(&navigator, &pattern);
    }
}

/// The browser's `Notification` constructor, if it has one.
fn notification_api() -> Option<js_sys::Function> {
    get(&window(), "Notification").and_then(|api| api.dyn_into().ok())
}

fn permission() -> Option<String> {
    notification_api().and_then(|api| get(&api, "permission")).and_then(|permission| permission.as_string())
}

/// Whether the customer has not yet said yes or no to notifications.
pub fn notifications_undecided() -> bool {
    permission().as_deref() == Some("default")
}

/// Asks the customer whether the page may notify them; `answered` runs once they have said.
pub fn ask_for_notifications(answered: impl Fn() + 'static) {
    let Some(api) = notification_api() else { return };
    let Some(request) = get(&api, "requestPermission").and_then(|f| f.dyn_into::<js_sys::Function>().ok()) else {
        return;
    };
    if let Ok(promise) = request.call0(&api).and_then(|promise| promise.dyn_into::<js_sys::Promise>()) {
        let then = Closure::once(move |_: JsValue| answered());
        let _ = promise.then(&then);
        // Runs once, when the customer answers; the page keeps it until then.
        then.forget();
    }
}

/// Shows a system notification, if the customer allowed them.
pub fn notify(title: &str, body: &str) {
    let Some(api) = notification_api() else { return };
    if permission().as_deref() != Some("granted") {
        return;
    }
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &JsValue::from_str("body"), &JsValue::from_str(body));
    let _ = js_sys::Reflect::set(&options, &JsValue::from_str("icon"), &JsValue::from_str("/favicon.svg"));
    let arguments: js_sys::Array = [JsValue::from_str(title), options.into()].into_iter().collect();
    let _ = js_sys::Reflect::construct(&api, &arguments);
}
