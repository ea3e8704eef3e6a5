use crate::build::{BuildId, BUILD_META_NAME};
use crate::pages::{
    ApiKeysPage, DevicesPage, KitchenPage, LoginPage, MenuAdminPage, MenuPage, NotFound, OrderFormPage, OrderPage,
    PairPage, ReportsPage, ScreenPairingPage, StaffAccountsPage, StaffPage,
};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

/// Loads each island's wasm pieces in one response; runs before the hydration script.
const ISLAND_BUNDLES_JS: &str = include_str!("island_bundles.js");

pub fn shell(options: LeptosOptions) -> impl IntoView {
    let build_id = use_context::<BuildId>().map(|id| id.0).unwrap_or_default();
    // The browser reads the page's language back from here when it hydrates.
    let lang = crate::i18n::provide_lang();
    let currency = crate::i18n::provide_currency();
    view! {
        <!DOCTYPE html>
        <html lang=lang.code() data-currency=currency.code()>
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
    crate::i18n::provide_currency();
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
                <Route path=path!("/admin/reports") ssr=SsrMode::Async view=ReportsPage/>
            </Routes>
        </Router>
    }
}
