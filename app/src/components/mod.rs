//! Small pieces shared by several pages.

mod connection_badge;
mod local_time;
mod order_age;
mod order_lines;
mod settled;
mod top_bar;

pub use connection_badge::ConnectionBadge;
pub use local_time::{format_age, format_local_clock, LocalTime, PickupTime};
pub use order_age::{utc, OrderAge, OrderClock};
pub use order_lines::{LineDetails, OrderLines};
pub use settled::Settled;
pub use top_bar::TopBar;

use crate::api::AppError;
use leptos::prelude::*;

/// The text to put inside a `<textarea>`. Leptos writes a textarea's children into the
/// server's HTML as they are, like a `<script>`'s, so on the server the text is escaped (or
/// `</textarea><h1>` in a link would become markup); in the browser it is a text node and
/// stays as it is.
#[cfg(feature = "ssr")]
pub fn textarea_text(text: &str) -> String {
    html_escape::encode_text(text).into_owned()
}

#[cfg(not(feature = "ssr"))]
pub fn textarea_text(text: &str) -> String {
    text.to_string()
}

/// A refusal or failure, shown where the user is looking and announced to screen readers.
#[component]
pub fn ErrorNotice(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    move || {
        error.get().map(|err| {
            let field = match &err {
                AppError::Validation { field, .. } => Some(field.clone()),
                _ => None,
            };
            view! {
                <p class="error-notice" role="alert" data-field=field>{crate::i18n::error_text(&err)}</p>
            }
        })
    }
}
