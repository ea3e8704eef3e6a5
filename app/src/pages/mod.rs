//! One module per page.

mod devices;
mod kitchen;
mod login;
mod menu;
mod menu_admin;
mod not_found;
mod order;
mod staff;
mod staff_accounts;

pub use devices::{DevicesPage, PairPage};
pub use kitchen::KitchenPage;
pub use login::{LoginPage, SignOutButton};
pub use menu::MenuPage;
pub use menu_admin::MenuAdminPage;
pub use not_found::NotFound;
pub use order::OrderPage;
pub use staff::StaffPage;
pub use staff_accounts::StaffAccountsPage;

use crate::api::AppError;
use crate::domain::Snapshot;
use crate::live::{use_live_orders, Feed, LiveOrders};
use leptos::prelude::*;

/// Sends someone who is not signed in to the sign-in page, and back here afterwards.
#[component]
fn SignInRedirect() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let next = location.pathname.get_untracked();
    view! { <leptos_router::components::Redirect path=format!("/login?next={next}")/> }
}

/// Shows what a page loaded, or why it could not: someone not signed in is sent to sign in,
/// any other refusal is shown as it is.
fn loaded_or_refused<T>(result: Result<T, AppError>, render: impl FnOnce(T) -> AnyView) -> AnyView {
    match result {
        Ok(value) => render(value),
        Err(AppError::Unauthorized { .. }) => view! { <SignInRedirect/> }.into_any(),
        Err(err) => view! { <p class="error-notice" role="alert">{err.to_string()}</p> }.into_any(),
    }
}

/// On admin lists: the word saying an item is retired (revoked, disabled), or else the form
/// that retires it.
#[component]
fn RetireControl(retired: Option<&'static str>, children: Children) -> impl IntoView {
    match retired {
        Some(label) => view! { <span class="revoked">" "{label}</span> }.into_any(),
        None => children().into_any(),
    }
}

/// Loads a feed's snapshot (on the server, for the first paint), then hands a live view of it
/// to `render`. Shared by the kitchen, staff and order pages.
#[component]
fn LiveSnapshot<V, R>(feed: Feed, render: R) -> impl IntoView
where
    V: IntoView + 'static,
    R: Fn(LiveOrders) -> V + Send + Sync + Copy + 'static,
{
    let snapshot = Resource::new({
        let feed = feed.clone();
        move || feed.clone()
    }, |feed| feed.snapshot());
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || {
                snapshot
                    .get()
                    .map(|result: Result<Snapshot, AppError>| {
                        loaded_or_refused(result, |snapshot| render(use_live_orders(feed.clone(), snapshot)).into_any())
                    })
            }}
        </Suspense>
    }
}
