use crate::api::SignIn;
use crate::components::ErrorNotice;
use crate::components::TopBar;
use crate::i18n::t;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// `/login`: staff sign-in. A plain form, so it also works before (or without) the wasm.
#[component]
pub fn LoginPage() -> impl IntoView {
    let next = use_query_map().read_untracked().get("next").unwrap_or_default();
    view! {
        <TopBar>""</TopBar>
        <main class="page login-page">
            <h1>{t("login-title")}</h1>
            <SignInForm next/>
        </main>
    }
}

/// The form, live so that a refusal shows without a page load; `next` is where to go after.
#[island(lazy)]
fn SignInForm(next: String) -> impl IntoView {
    super::enter_island();
    let action = ServerAction::<SignIn>::new();
    let error = Signal::derive(move || action.value().get().and_then(Result::err));
    view! {
        <ActionForm action attr:class="login-form">
            <input type="hidden" name="next" value=next/>
            <label for="username">{t("login-username")}</label>
            <input id="username" name="username" autocomplete="username" required/>
            <label for="password">{t("login-password")}</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required/>
            <ErrorNotice error/>
            <button class="primary" type="submit">{t("login-submit")}</button>
        </ActionForm>
    }
}

/// A sign-out button for pages used by staff.
#[component]
pub fn SignOutButton() -> impl IntoView {
    let action = ServerAction::<crate::api::SignOut>::new();
    view! {
        <ActionForm action attr:class="sign-out">
            <button type="submit">{t("login-sign-out")}</button>
        </ActionForm>
    }
}
