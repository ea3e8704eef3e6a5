use crate::i18n::{t, Lang};
use crate::pages::{
    ApiKeysPage, DevicesPage, KitchenPage, LoginPage, MenuAdminPage, MenuPage, NotFound, OrderFormPage, OrderPage,
    PairPage, ScreenPairingPage, StaffAccountsPage, StaffPage,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::{path, SsrMode};

/// Identifies the running build. The server puts it in every page; a live page whose server
/// reports another build reloads itself, so open screens pick up a deployment by themselves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildId(pub String);

pub const BUILD_META_NAME: &str = "pizzeria-build";

/// Loads each island's wasm pieces in one response; runs before the hydration script.
const ISLAND_BUNDLES_JS: &str = include_str!("island_bundles.js");

pub fn shell(options: LeptosOptions) -> impl IntoView {
    let build_id = use_context::<BuildId>().map(|id| id.0).unwrap_or_default();
    // The browser reads the page's language back from here when it hydrates.
    let lang = crate::i18n::provide_lang();
    view! {
        <!DOCTYPE html>
        <html lang=lang.code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name=BUILD_META_NAME content=build_id/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <script nonce=leptos::nonce::use_nonce() inner_html=ISLAND_BUNDLES_JS></script>
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    crate::i18n::provide_lang();
    view! {
        <Stylesheet id="leptos" href="/pkg/pizzeria.css"/>
        <Title text="Pizzeria Live"/>
        <Router>
            <Routes fallback=NotFound>
                <Route path=path!("/") ssr=SsrMode::Async view=MenuPage/>
                <Route path=path!("/orders/:token") ssr=SsrMode::Async view=OrderPage/>
                <Route path=path!("/order-now") ssr=SsrMode::Async view=OrderFormPage/>
                <Route path=path!("/kitchen") ssr=SsrMode::Async view=KitchenPage/>
                <Route path=path!("/kitchen/pair") view=ScreenPairingPage/>
                <Route path=path!("/staff") ssr=SsrMode::Async view=StaffPage/>
                <Route path=path!("/login") view=LoginPage/>
                <Route path=path!("/pair/:code") view=PairPage/>
                <Route path=path!("/admin/devices") ssr=SsrMode::Async view=DevicesPage/>
                <Route path=path!("/admin/users") ssr=SsrMode::Async view=StaffAccountsPage/>
                <Route path=path!("/admin/menu") ssr=SsrMode::Async view=MenuAdminPage/>
                <Route path=path!("/admin/api-keys") ssr=SsrMode::Async view=ApiKeysPage/>
            </Routes>
        </Router>
    }
}

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
