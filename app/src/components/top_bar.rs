use crate::i18n::{t, Lang};
use leptos::prelude::*;
use leptos_router::components::A;

/// The top bar of the customer and staff pages (the kitchen screen has none).
#[component]
pub fn TopBar(children: Children) -> impl IntoView {
    view! {
        <header class="topbar">
            <A href="/" attr:class="brand"><img src="/favicon.svg" alt="" width="28" height="28"/>{t("brand")}</A>
            <nav class="topbar-extra">{children()}<LanguageSwitch/></nav>
        </header>
    }
}

/// Links to the page in the other languages. A plain link to the server, which remembers the
/// choice in a cookie and comes back here: it works without JavaScript.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let location = leptos_router::hooks::use_location();
    let here = move || {
        let query = location.search.get();
        let query = query.trim_start_matches('?');
        if query.is_empty() {
            location.pathname.get()
        } else {
            format!("{}?{query}", location.pathname.get())
        }
    };
    let current = crate::i18n::use_lang();
    view! {
        <span class="language-switch" role="group" aria-label=t("switch-language")>
            {Lang::ALL
                .into_iter()
                .filter(|lang| *lang != current)
                .map(|lang| {
                    let href = move || format!("/lang/{}?{}", lang.code(), serde_urlencoded::to_string([("next", here())]).unwrap_or_default());
                    view! { <a href=href rel="external" hreflang=lang.code() lang=lang.code()>{lang.native_name()}</a> }
                })
                .collect_view()}
        </span>
    }
}
