use super::local_time::{format_age, format_local_clock};
use crate::live::LiveOrders;
use leptos::prelude::*;

/// Live / reconnecting… / offline since hh:mm:ss, on every live page.
/// With `show_age`, also how long ago the server was last heard from (the kitchen screen).
#[component]
pub fn ConnectionBadge(live: LiveOrders, #[prop(optional)] show_age: bool) -> impl IntoView {
    let state = move || live.connection.get();
    let code = move || state().code(live.now_ms.get());
    let text = move || match (state(), code()) {
        (_, "live") => "Live".to_string(),
        (_, "connecting") => "Connecting…".to_string(),
        (_, "reconnecting") => "Reconnecting…".to_string(),
        (state, _) => match state.lost_since_ms() {
            Some(since) => format!("Offline since {}", format_local_clock(since)),
            None => "Offline".to_string(),
        },
    };
    let age = move || {
        show_age.then(|| {
            let heard = live.last_heard_ms.get();
            let now = live.now_ms.get();
            match heard {
                Some(heard) => format!("updated {} ago", format_age(now - heard)),
                None => "waiting for the server".to_string(),
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


