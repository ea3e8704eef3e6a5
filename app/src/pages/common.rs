//! What the pages share: the admin top bar, sign-in redirects, loading and refusals, and
//! the live snapshot every live page starts from.

use crate::api::AppError;
use crate::i18n::{t, use_lang};
use crate::live::snapshot_in_page::{self, PageSnapshot};
use crate::live::{use_live_orders, Feed, LiveOrders};
use leptos::either::EitherOf3;
use leptos::prelude::*;

/// The top bar of the admin pages: every admin page, one click away.
#[component]
pub(super) fn AdminTopBar() -> impl IntoView {
    view! {
        <crate::components::TopBar>
            <a href="/admin/menu">{t("admin-nav-menu")}</a>
            <a href="/admin/users">{t("admin-nav-accounts")}</a>
            <a href="/admin/devices">{t("admin-nav-devices")}</a>
            <a href="/admin/api-keys">{t("admin-nav-apikeys")}</a>
            <a href="/admin/reports">{t("admin-nav-reports")}</a>
            <a href="/staff">{t("admin-nav-staff")}</a>
            <super::SignOutButton/>
        </crate::components::TopBar>
    }
}

/// Sends someone who is not signed in to the sign-in page, and back here afterwards. Plain
/// navigation, not the router's: it may be asked for inside an island, where no router runs.
#[component]
pub(super) fn SignInRedirect() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        let here = use_context::<http::request::Parts>().map(|parts| parts.uri.path().to_string()).unwrap_or_default();
        leptos_axum::redirect(&sign_in_path(&here));
    }
    #[cfg(feature = "hydrate")]
    load_page(&sign_in_path(&window().location().pathname().unwrap_or_default()));
}

/// Opens `path` as a new page load: each page has its own islands, and no client-side router
/// runs between them. Only the browser navigates.
pub(super) fn load_page(path: &str) {
    #[cfg(feature = "hydrate")]
    let _ = window().location().assign(path);
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}

/// The sign-in page, coming back to `here` (one of our paths) afterwards. An unpaired kitchen
/// wall shows a code to pair it by instead: nobody types a password on a TV.
pub(super) fn sign_in_path(here: &str) -> String {
    if here == "/kitchen" {
        return super::devices::SCREEN_PAIRING_PATH.to_string();
    }
    format!("/login?next={here}")
}

/// What every page's island does first. The app's root (router, language) runs only on the
/// server, so the island provides the page's language itself (in the browser, from
/// `<html lang>`) and currency, and once it is hydrated marks the page, so tests (and curious people) can
/// tell a live page from a merely rendered one.
pub(super) fn enter_island() {
    crate::i18n::provide_lang();
    crate::i18n::provide_currency();
    #[cfg(feature = "hydrate")]
    Effect::new(|_| mark_hydrated());
}

/// Marks the page as live (`<body data-hydrated>`): tests wait for it before they click.
#[cfg(feature = "hydrate")]
pub(crate) fn mark_hydrated() {
    if let Some(body) = document().body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}

/// Shows what a page loaded, or why it could not: someone not signed in is sent to sign in,
/// any other refusal is shown as it is.
///
/// An `Either`, not an `AnyView`: erasing a view links its asynchronous hydration too, which
/// an island never runs (it hydrates synchronously). For a live board that was the board's
/// code a second time in the browser's bundle.
pub(super) fn loaded_or_refused<T, V: IntoView>(
    result: Result<T, AppError>,
    render: impl FnOnce(T) -> V,
) -> impl IntoView {
    match result {
        Ok(value) => EitherOf3::A(render(value)),
        Err(AppError::Unauthorized { .. }) => EitherOf3::B(view! { <SignInRedirect/> }),
        Err(err) => EitherOf3::C(view! { <crate::components::ErrorNotice error=Signal::stored(Some(err))/> }),
    }
}

/// On admin lists: the word saying an item is retired (revoked, disabled), or else the form
/// that retires it.
#[component]
pub(super) fn RetireControl(retired: Option<String>, children: Children) -> impl IntoView {
    match retired {
        Some(label) => view! { <span class="revoked">" "{label}</span> }.into_any(),
        None => children().into_any(),
    }
}

/// Waits for `resource` (loaded on the server for the first paint), then shows it with
/// `render`, or why it could not be loaded.
#[component]
pub(super) fn Loaded<T, R, V>(resource: Resource<Result<T, AppError>>, render: R) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    R: Fn(T) -> V + Send + Sync + Copy + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense fallback=loading_notice()>
            {move || resource.get().map(|result| loaded_or_refused(result, render))}
        </Suspense>
    }
}

/// As [`Loaded`], for a list that loads again by itself: what it shows stays until the new
/// answer arrives (a `Transition`), so it never flashes "Loading…" between refreshes.
#[component]
pub(super) fn Reloaded<T, R, V>(resource: Resource<Result<T, AppError>>, render: R) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    R: Fn(T) -> V + Send + Sync + Copy + 'static,
    V: IntoView + 'static,
{
    view! {
        <Transition fallback=loading_notice()>
            {move || resource.get().map(|result| loaded_or_refused(result, render))}
        </Transition>
    }
}

/// What a page shows while its data loads.
pub(super) fn loading_notice() -> impl Fn() -> AnyView + Send + Sync + 'static {
    let lang = use_lang();
    move || view! { <p class="loading">{lang.text("loading")}</p> }.into_any()
}

/// An admin page's list (accounts, screens, keys), one `row` per entry.
#[component]
pub(super) fn AdminList<T, R, V>(items: Resource<Result<Vec<T>, AppError>>, row: R) -> impl IntoView
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
/// staff and order pages. The snapshot goes into the page as JSON of its own, which the island
/// reads back as it hydrates (`snapshot_in_page`), not as Leptos's hydration data.
#[component]
pub(super) fn LiveSnapshot<V, R>(feed: Feed, render: R) -> impl IntoView
where
    V: IntoView + 'static,
    R: Fn(LiveOrders) -> V + Send + Sync + Copy + 'static,
{
    // A live page's snapshot is loaded once (the feed keeps it current), so one `Suspend`
    // serves: the server builds the page once it has arrived (a reactive closure, as in
    // `Loaded`, would be built again for each of the server's passes over the view), and in
    // the browser it is ready at once, so the island hydrates in one pass.
    view! {
        <Suspense fallback=loading_notice()>
            {Suspend::new(async move {
                let PageSnapshot { result, json } = snapshot_in_page::load(feed.clone()).await;
                view! {
                    <script type="application/json" id=snapshot_in_page::ELEMENT_ID inner_html=json></script>
                    {loaded_or_refused(result, move |snapshot| render(use_live_orders(feed, snapshot)))}
                }
            })}
        </Suspense>
    }
}
