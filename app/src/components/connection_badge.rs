use super::local_time::{format_age, format_local_clock};
use crate::i18n::use_lang;
use crate::live::LiveOrders;
use leptos::prelude::*;

/// Live / reconnecting… / offline since hh:mm:ss, on every live page.
/// With `show_age`, also how long ago the server was last heard from (the kitchen screen).
#[component]
pub fn ConnectionBadge(live: LiveOrders, #[prop(optional)] show_age: bool) -> impl IntoView {
    let lang = use_lang();
    let state = move || live.connection.get();
    let code = move || state().code(live.now_ms.get());
    let text = move || match (state(), code()) {
        (_, "live") => lang.text("conn-live"),
        (_, "connecting") => lang.text("conn-connecting"),
        (_, "reconnecting") => lang.text("conn-reconnecting"),
        (state, _) => match state.lost_since_ms() {
            Some(since) => lang.text_with("conn-offline-since", &[("time", format_local_clock(since).into())]),
            None => lang.text("conn-offline"),
        },
    };
    let age = move || {
        show_age.then(|| {
            let heard = live.last_heard_ms.get();
            let now = live.now_ms.get();
            match heard {
                Some(heard) => lang.text_with("conn-updated-ago", &[("age", format_age(now - heard).into())]),
                None => lang.text("conn-waiting"),
            }
        })
    };
    view! {
        <div class="connection" data-state=code role="status" aria-live="polite">
            <span class="connection-dot" aria-hidden="true"></span>
            <span class="connection-text">{text}</span>
            {move || age().map(|age| view! { <span class="connection-age">{age}</span> })}
        </div>
    }
}
