//! Small pieces shared by several pages.

mod connection_badge;
mod local_time;
mod order_lines;
mod settled;

pub use connection_badge::ConnectionBadge;
pub use local_time::{format_age, format_local_clock, LocalTime, PickupTime};
pub use order_lines::{LineDetails, OrderLines};
pub use settled::Settled;

use crate::api::AppError;
use leptos::prelude::*;

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
