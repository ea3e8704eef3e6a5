use crate::pages::{KitchenPage, LoginPage, MenuPage, NotFound, OrderPage, StaffPage};
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
