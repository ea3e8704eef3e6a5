use crate::shell::TopBar;
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <TopBar>""</TopBar>
        <main class="page">
            <h1>"Page not found"</h1>
            <p><a href="/">"Back to the menu"</a></p>
        </main>
    }
}
