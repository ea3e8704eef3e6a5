//! One module per page.

mod api_keys;
mod devices;
mod kitchen;
mod login;
mod menu;
mod menu_admin;
mod not_found;
mod order;
mod order_form;
mod staff;
mod staff_accounts;

pub use api_keys::ApiKeysPage;
pub use devices::{DevicesPage, PairPage};
pub use kitchen::KitchenPage;
pub use login::{LoginPage, SignOutButton};
pub use menu::MenuPage;
pub use menu_admin::MenuAdminPage;
pub use not_found::NotFound;
pub use order::OrderPage;
pub use order_form::OrderFormPage;
pub use staff::StaffPage;
pub use staff_accounts::StaffAccountsPage;

use crate::api::AppError;
use crate::i18n::{t, use_lang};
use crate::live::{use_live_orders, Feed, LiveOrders};
use leptos::prelude::*;

/// The top bar of the admin pages: every admin page, one click away.
#[component]
fn AdminTopBar() -> impl IntoView {
    view! {
        <crate::shell::TopBar>
            <a href="/admin/menu">{t("admin-nav-menu")}</a>
            <a href="/admin/users">{t("admin-nav-accounts")}</a>
            <a href="/admin/devices">{t("admin-nav-devices")}</a>
            <a href="/admin/api-keys">{t("admin-nav-apikeys")}</a>
            <a href="/staff">{t("admin-nav-staff")}</a>
            <SignOutButton/>
        </crate::shell::TopBar>
    }
}

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
        Err(err) => view! { <crate::components::ErrorNotice error=Signal::stored(Some(err))/> }.into_any(),
    }
}

/// On admin lists: the word saying an item is retired (revoked, disabled), or else the form
/// that retires it.
#[component]
fn RetireControl(retired: Option<String>, children: Children) -> impl IntoView {
    match retired {
        Some(label) => view! { <span class="revoked">" "{label}</span> }.into_any(),
        None => children().into_any(),
    }
}

/// Waits for `resource` (loaded on the server for the first paint), then shows it with
/// `render`, or why it could not be loaded.
#[component]
fn Loaded<T, R, V>(resource: Resource<Result<T, AppError>>, render: R) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    R: Fn(T) -> V + Send + Sync + Copy + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense fallback=loading_notice()>
            {move || resource.get().map(|result| loaded_or_refused(result, |value| render(value).into_any()))}
        </Suspense>
    }
}

/// What a page shows while its data loads.
fn loading_notice() -> impl Fn() -> AnyView + Send + Sync + 'static {
    let lang = use_lang();
    move || view! { <p class="loading">{lang.text("loading")}</p> }.into_any()
}

/// An admin page's list (accounts, screens, keys), one `row` per entry.
#[component]
fn AdminList<T, R, V>(items: Resource<Result<Vec<T>, AppError>>, row: R) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    R: Fn(T) -> V + Send + Sync + Copy + 'static,
    V: IntoView + 'static,
{
    view! {
        <Loaded resource=items render={move |entries: Vec<T>| view! {
            <ul class="device-list">{entries.into_iter().map(row).collect_view()}</ul>
        }}/>
    }
}

/// Loads a feed's snapshot, then hands a live view of it to `render`. Shared by the kitchen,
/// staff and order pages.
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
    // A live page's snapshot is loaded once (the feed keeps it current), so one `Suspend`
    // serves: the server builds the page once it has arrived. A reactive closure, as in
    // `Loaded`, would be built again for each of the server's passes over the view.
    view! {
        <Suspense fallback=loading_notice()>
            {Suspend::new(async move {
                loaded_or_refused(snapshot.await, |snapshot| render(use_live_orders(feed, snapshot)).into_any())
            })}
        </Suspense>
    }
}
