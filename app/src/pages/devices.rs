use crate::api::{
    list_connected_screens, list_devices, AddDevice, ApproveScreenCode, PairDevice, RevokeDevice, SetScreenOptions,
};
use crate::components::TopBar;
use crate::components::{ErrorNotice, LocalTime};
use crate::domain::{ConnectedScreen, Device, ScreenHealth};
use crate::i18n::{t, use_lang};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// `/admin/devices`: the kitchen screens. Add one to get its pairing link; revoke one to sign
/// it out for good (its open connections close at once).
#[component]
pub fn DevicesPage() -> impl IntoView {
    // The QR code on an unpaired screen opens this page with its code filled in.
    let shown_code = leptos_router::hooks::use_query_map().read_untracked().get("code").unwrap_or_default();
    view! {
        <super::AdminTopBar/>
        <DevicesDesk shown_code/>
    }
}

/// The page's live part: the form, the list and the connected screens.
#[island(lazy)]
fn DevicesDesk(shown_code: String) -> impl IntoView {
    super::enter_island();
    let lang = use_lang();
    let add = ServerAction::<AddDevice>::new();
    let revoke = ServerAction::<RevokeDevice>::new();
    let set_options = ServerAction::<SetScreenOptions>::new();
    let approve = ServerAction::<ApproveScreenCode>::new();
    let devices = Resource::new(
        move || (add.version().get(), revoke.version().get(), set_options.version().get(), approve.version().get()),
        |_| list_devices(),
    );
    let approve_error = Signal::derive(move || approve.value().get().and_then(Result::err));
    let approved = move || approve.value().get().and_then(Result::ok).map(|device| device.name);
    let options_error = Signal::derive(move || set_options.value().get().and_then(Result::err));
    let add_error = Signal::derive(move || add.value().get().and_then(Result::err));
    let revoke_error = Signal::derive(move || revoke.value().get().and_then(Result::err));
    let new_link = move || add.value().get().and_then(Result::ok).map(|new| new.pairing_path);
    view! {
        <main class="page devices-page">
            <h1>{t("devices-title")}</h1>
            <section class="approve-screen" aria-labelledby="approve-title">
                <h2 id="approve-title">{t("devices-approve-title")}</h2>
                <p class="hint">{t("devices-approve-explain")}</p>
                <ActionForm action=approve attr:class="inline-form">
                    <label for="screen-code">{t("devices-approve-code")}</label>
                    <input id="screen-code" name="code" required maxlength="12" autocomplete="off" autocapitalize="characters" value=shown_code class="screen-code-input"/>
                    <label for="screen-name">{t("devices-approve-name")}</label>
                    <input id="screen-name" name="name" required maxlength="60" placeholder=t("devices-name-placeholder")/>
                    <button class="primary" type="submit">{t("devices-approve-submit")}</button>
                </ActionForm>
                <ErrorNotice error=approve_error/>
                {move || approved().map(|name| view! {
                    <p class="pairing-link" role="status">{lang.text_with("devices-approved", &[("name", name.into())])}</p>
                })}
            </section>
            <h2>{t("devices-link-title")}</h2>
            <ActionForm action=add attr:class="inline-form">
                <label for="device-name">{t("devices-name-label")}</label>
                <input id="device-name" name="name" required maxlength="60" placeholder=t("devices-name-placeholder")/>
                <button class="primary" type="submit">{t("devices-add")}</button>
            </ActionForm>
            <ErrorNotice error=add_error/>
            {move || new_link().map(|path| view! {
                <p class="pairing-link" role="status">
                    {lang.text("devices-pairing-link")}" "
                    <a href=path.clone()><code>{path.clone()}</code></a>
                </p>
            })}
            <ErrorNotice error=revoke_error/>
            <ErrorNotice error=options_error/>
            <super::AdminList items=devices row=move |device: Device| {
                let revoked = device.revoked_at.is_some();
                view! {
                    <li class="device" data-device=device.id>
                        <strong>{device.name.clone()}</strong>
                        " "{lang.text("devices-added")}" "<LocalTime at=device.created_at/>
                        {(!revoked).then(|| view! {
                            <ActionForm action=set_options attr:class="inline-form screen-options">
                                <input type="hidden" name="device_id" value=device.id/>
                                <label><input type="checkbox" name="announce" value="on" checked=device.options.announce/>" "{lang.text("devices-announce")}</label>
                                <label><input type="checkbox" name="bump_bar" value="on" checked=device.options.bump_bar/>" "{lang.text("devices-bump-bar")}</label>
                                <button type="submit">{lang.text("devices-options-save")}</button>
                            </ActionForm>
                        })}
                        <super::RetireControl retired=revoked.then(|| lang.text("devices-revoked"))>
                            <ActionForm action=revoke attr:class="inline-form">
                                <input type="hidden" name="device_id" value=device.id/>
                                <button type="submit">{lang.text("devices-revoke")}</button>
                            </ActionForm>
                        </super::RetireControl>
                    </li>
                }
            }/>
            <ConnectedScreens changed=Signal::derive(move || revoke.version().get())/>
        </main>
    }
}

/// How often the list of connected screens updates itself.
const SCREENS_REFRESH_SECS: u64 = 5;

/// Every connection on the kitchen feed now: where it is, and in plain words whether it shows
/// everything ("Up to date") or how long it has been behind. What to look at when a cook says
/// "the screen didn't show it". It updates itself every few seconds.
#[component]
fn ConnectedScreens(changed: Signal<usize>) -> impl IntoView {
    let lang = use_lang();
    let refreshed = RwSignal::new(0u32);
    #[cfg(feature = "hydrate")]
    {
        let tick = set_interval_with_handle(
            move || refreshed.update(|n| *n += 1),
            std::time::Duration::from_secs(SCREENS_REFRESH_SECS),
        );
        if let Ok(tick) = tick {
            on_cleanup(move || tick.clear());
        }
    }
    let screens = Resource::new(move || (changed.get(), refreshed.get()), |_| list_connected_screens());
    view! {
        <section class="connected-screens" aria-labelledby="connected-title">
            <h2 id="connected-title">{t("devices-connected-title")}</h2>
            <p class="hint">{lang.text_with("devices-connected-updates", &[("secs", SCREENS_REFRESH_SECS.into())])}</p>
            <super::Reloaded resource=screens render={move |screens: Vec<ConnectedScreen>| {
                if screens.is_empty() {
                    return view! { <p class="hint">{lang.text("devices-connected-none")}</p> }.into_any();
                }
                view! {
                    <table class="connected-table">
                        <thead><tr>
                            <th scope="col">{lang.text("devices-connected-name")}</th>
                            <th scope="col">{lang.text("devices-connected-address")}</th>
                            <th scope="col">{lang.text("devices-connected-since")}</th>
                            <th scope="col">{lang.text("devices-connected-status")}</th>
                        </tr></thead>
                        <tbody>
                            {screens.into_iter().map(|screen| {
                                let now = chrono::DateTime::from_timestamp_millis(crate::live::now_ms() as i64).unwrap_or_default();
                                let health = screen.health(now);
                                let status = match health {
                                    ScreenHealth::UpToDate => lang.text("devices-connected-up-to-date"),
                                    ScreenHealth::Behind { secs } => lang.text_with(
                                        "devices-connected-behind-for",
                                        &[("age", crate::components::format_age(secs as f64 * 1000.0).into())],
                                    ),
                                };
                                view! {
                                <tr data-connection=screen.connection_id data-behind=screen.behind data-health=if health == ScreenHealth::UpToDate { "up-to-date" } else { "behind" } class:behind={health != ScreenHealth::UpToDate}>
                                    <th scope="row">{screen.name.clone()}" "<span class="hint">{format!("({}, {}, {})", screen.kind, screen.transport, screen.instance)}</span></th>
                                    <td>{screen.address.clone()}</td>
                                    <td><LocalTime at=screen.connected_at/></td>
                                    <td class="screen-health">{status}</td>
                                </tr>
                            }}).collect_view()}
                        </tbody>
                    </table>
                }
                .into_any()
            }}/>
        </section>
    }
}

/// Where an unpaired kitchen wall goes to show its code.
pub const SCREEN_PAIRING_PATH: &str = "/kitchen/pair";

/// `/kitchen/pair`: an unpaired wall screen shows a short code and a QR code; an admin types
/// the code on `/admin/devices` (or scans the QR code), and the screen signs itself in.
#[component]
pub fn ScreenPairingPage() -> impl IntoView {
    view! {
        <main class="kitchen screen-pairing">
            <ScreenCodeShown/>
        </main>
    }
}

/// The code, asked for by the screen itself (each screen its own), renewed as it expires;
/// the screen asks every few seconds whether an admin approved it, then opens the kitchen.
#[island(lazy)]
fn ScreenCodeShown() -> impl IntoView {
    super::enter_island();
    let lang = use_lang();
    let code = RwSignal::new(None::<crate::domain::auth::ScreenCode>);
    #[cfg(feature = "hydrate")]
    {
        use std::time::Duration;
        let fetch_code = move || {
            leptos::task::spawn_local(async move {
                if let Ok(fresh) = crate::api::request_screen_code().await {
                    code.set(Some(fresh));
                }
            })
        };
        fetch_code();
        let asking = std::rc::Rc::new(std::cell::Cell::new(false));
        let ask = move || {
            let Some(shown) = code.get_untracked() else { return fetch_code() };
            if asking.replace(true) {
                return;
            }
            let asking = asking.clone();
            leptos::task::spawn_local(async move {
                match crate::api::poll_screen_code(shown.poll_token).await {
                    Ok(true) => super::load_page("/kitchen"),
                    Ok(false) if shown.expires_at.timestamp_millis() as f64 > crate::live::now_ms() => {}
                    // Expired or gone: show a new one.
                    _ => fetch_code(),
                }
                asking.set(false);
            });
        };
        if let Ok(handle) = set_interval_with_handle(ask, Duration::from_secs(3)) {
            on_cleanup(move || handle.clear());
        }
    }
    view! {
        <div class="screen-code-panel">
            <h1>{t("devices-screen-title")}</h1>
            {move || match code.get() {
                Some(shown) => {
                    let svg = shown.qr_svg.find("<svg").map(|start| shown.qr_svg[start..].to_string()).unwrap_or_default();
                    view! {
                        <p class="screen-code" data-code=shown.user_code.clone() aria-label=lang.text("devices-screen-code-label")>{shown.user_code.clone()}</p>
                        <div class="screen-code-qr" inner_html=svg></div>
                        <p class="screen-code-how">{lang.text("devices-screen-how")}</p>
                    }
                    .into_any()
                }
                None => view! { <p class="loading">{lang.text("loading")}</p> }.into_any(),
            }}
            <p class="screen-code-staff"><a href="/login?next=/kitchen">{t("devices-screen-staff")}</a></p>
        </div>
    }
}

/// `/pair/:code`: signs this screen in as a kitchen device. Someone setting up the screen
/// confirms once; from then on it stays signed in across restarts and power cuts.
#[component]
pub fn PairPage() -> impl IntoView {
    let code = use_params_map().read_untracked().get("code").unwrap_or_default();
    view! {
        <TopBar>""</TopBar>
        <main class="page pair-page">
            <h1>{t("devices-pair-title")}</h1>
            <p>{t("devices-pair-explain")}</p>
            <PairForm code/>
        </main>
    }
}

/// The confirmation, live so that a used or expired link is said without a page load.
#[island(lazy)]
fn PairForm(code: String) -> impl IntoView {
    super::enter_island();
    let pair = ServerAction::<PairDevice>::new();
    let error = Signal::derive(move || pair.value().get().and_then(Result::err));
    view! {
        <ActionForm action=pair>
            <input type="hidden" name="code" value=code/>
            <ErrorNotice error/>
            <button class="primary" type="submit">{t("devices-pair-submit")}</button>
        </ActionForm>
    }
}
