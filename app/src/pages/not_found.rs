use crate::components::TopBar;
use crate::i18n::t;
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
            <h1>{t("notfound-title")}</h1>
            <p><a href="/">{t("notfound-back")}</a></p>
        </main>
    }
}
