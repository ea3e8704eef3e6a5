use crate::pages::{DevicesPage, KitchenPage, LoginPage, MenuAdminPage, MenuPage, NotFound, OrderPage, PairPage, StaffAccountsPage, StaffPage};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::{path, SsrMode};

/// Identifies the running build. The server puts it in every page; a live page whose server
/// reports another build reloads itself, so open screens pick up a deployment by themselves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildId(pub String);

pub const BUILD_META_NAME: &str = "pizzeria-build";

pub fn shell(options: LeptosOptions) -> impl IntoView {
    let build_id = use_context::<BuildId>().map(|id| id.0).unwrap_or_default();
    #[cfg(feature = "ssr")]
    set_content_security_policy();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name=BUILD_META_NAME content=build_id/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
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
    view! {
        <Stylesheet id="leptos" href="/pkg/pizzeria.css"/>
        <Title text="Pizzeria Live"/>
        <Router>
            <Routes fallback=NotFound>
                <Route path=path!("/") ssr=SsrMode::Async view=MenuPage/>
                <Route path=path!("/orders/:token") ssr=SsrMode::Async view=OrderPage/>
                <Route path=path!("/kitchen") ssr=SsrMode::Async view=KitchenPage/>
                <Route path=path!("/staff") ssr=SsrMode::Async view=StaffPage/>
                <Route path=path!("/login") view=LoginPage/>
                <Route path=path!("/pair/:code") view=PairPage/>
                <Route path=path!("/admin/devices") ssr=SsrMode::Async view=DevicesPage/>
                <Route path=path!("/admin/users") ssr=SsrMode::Async view=StaffAccountsPage/>
                <Route path=path!("/admin/menu") ssr=SsrMode::Async view=MenuAdminPage/>
            </Routes>
        </Router>
    }
}

/// The top bar of the customer and staff pages (the kitchen screen has none).
#[component]
pub fn TopBar(children: Children) -> impl IntoView {
    view! {
        <header class="topbar">
            <A href="/" attr:class="brand"><img src="/favicon.svg" alt="" width="28" height="28"/>"Pizzeria Live"</A>
            <nav class="topbar-extra">{children()}</nav>
        </header>
    }
}

/// The strictest policy Leptos allows: only our own files, the hydration script by its nonce,
/// and wasm compilation. No framing (the kitchen screen cannot be clickjacked).
#[cfg(feature = "ssr")]
fn set_content_security_policy() {
    let (Some(nonce), Some(response)) =
        (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>())
    else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; media-src 'self'; font-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    );
    if let Ok(value) = http::HeaderValue::from_str(&policy) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}
