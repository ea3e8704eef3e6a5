//! One module per page.

mod kitchen;
mod menu;
mod not_found;
mod order;
mod staff;

pub use kitchen::KitchenPage;
pub use menu::MenuPage;
pub use not_found::NotFound;
pub use order::OrderPage;
pub use staff::StaffPage;

use crate::api::AppError;
use crate::domain::Snapshot;
use crate::live::{use_live_orders, Feed, LiveOrders};
use leptos::prelude::*;

/// Loads a feed's snapshot (on the server, for the first paint), then hands a live view of it
/// to `render`. Shared by the kitchen, staff and order pages.
#[component]
fn LiveSnapshot<V, R>(feed: Feed, render: R) -> impl IntoView
where
    V: IntoView + 'static,
    R: Fn(LiveOrders) -> V + Send + Sync + Copy + 'static,
{
    let snapshot = Resource::new(move || feed, |feed| feed.snapshot());
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || {
                snapshot
                    .get()
                    .map(|result: Result<Snapshot, AppError>| match result {
                        Ok(snapshot) => render(use_live_orders(feed, snapshot)).into_any(),
                        Err(err) => {
                            view! { <p class="error-notice" role="alert">{err.to_string()}</p> }.into_any()
                        }
                    })
            }}
        </Suspense>
    }
}
