//! Kiosk-screen helpers (browser only): keep the screen awake, chime for new orders.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

pub const CHIME_PATH: &str = "/sounds/new-order.wav";

/// Asks for a screen wake lock (Screen Wake Lock API), and asks again whenever the page becomes
/// visible, since browsers drop the lock when a page is hidden.
pub fn keep_screen_awake() {
    request_wake_lock();
    let handle = window_event_listener_untyped("visibilitychange", move |_| {
        if !document().hidden() {
            request_wake_lock();
        }
    });
    on_cleanup(move || handle.remove());
}

fn request_wake_lock() {
    let navigator = window().navigator();
    let Ok(wake_lock) = js_sys::Reflect::get(&navigator, &JsValue::from_str("wakeLock")) else {
        return;
    };
    if wake_lock.is_undefined() {
        return;
    }
    let Ok(request) = js_sys::Reflect::get(&wake_lock, &JsValue::from_str("request")) else {
        return;
    };
    if let Some(request) = request.dyn_ref::<js_sys::Function>() {
        if let Ok(promise) = request.call1(&wake_lock, &JsValue::from_str("screen")) {
            ignore_rejection(promise);
        }
    }
}

/// Plays the new-order chime. Kiosk Chromium runs with `--autoplay-policy=no-user-gesture-required`,
/// so no tap is needed; elsewhere the browser may refuse, and that is fine.
pub fn play_chime() {
    if let Ok(audio) = web_sys::HtmlAudioElement::new_with_src(CHIME_PATH) {
        if let Ok(promise) = audio.play() {
            ignore_rejection(promise.into());
        }
    }
}

/// Says `text` aloud in `lang` (speech synthesis). Where the browser has no voice, nothing
/// happens. Called through the object, not a fixed binding, so a page can replace it (tests do).
pub fn speak(text: &str, lang: &str) {
    let Ok(synthesis) = js_sys::Reflect::get(&window(), &JsValue::from_str("speechSynthesis")) else { return };
    let Ok(speak) = js_sys::Reflect::get(&synthesis, &JsValue::from_str("speak")) else { return };
    let Some(speak) = speak.dyn_ref::<js_sys::Function>() else { return };
    if let Ok(utterance) = web_sys::SpeechSynthesisUtterance::new_with_text(text) {
        utterance.set_lang(lang);
        let _ = speak.call1(&synthesis, &utterance);
    }
}

thread_local! {
    /// One shared no-op handler, so a refused promise is not reported as unhandled.
    static IGNORE: Closure<dyn FnMut(JsValue)> = Closure::new(|_: JsValue| {});
}

pub(crate) fn ignore_rejection(promise: JsValue) {
    if let Ok(promise) = promise.dyn_into::<js_sys::Promise>() {
        IGNORE.with(|ignore| {
            let _ = promise.catch(ignore);
        });
    }
}
