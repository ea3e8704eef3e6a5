use crate::api::{list_connected_screens, list_devices, AddDevice, PairDevice, RevokeDevice};
use crate::components::{ErrorNotice, LocalTime};
use crate::domain::{ConnectedScreen, Device};
use crate::i18n::{t, use_lang};
use crate::shell::TopBar;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// `/admin/devices`: the kitchen screens. Add one to get its pairing link; revoke one to sign
/// it out for good (its open connections close at once).
#[component]
pub fn DevicesPage() -> impl IntoView {
    view! {
        <super::AdminTopBar/>
        <DevicesDesk/>
    }
}

/// The page's live part: the form, the list and the connected screens.
#[island(lazy)]
fn DevicesDesk() -> impl IntoView {
    super::enter_island();
    let lang = use_lang();
    let add = ServerAction::<AddDevice>::new();
    let revoke = ServerAction::<RevokeDevice>::new();
    let devices = Resource::new(move || (add.version().get(), revoke.version().get()), |_| list_devices());
    let add_error = Signal::derive(move || add.value().get().and_then(Result::err));
    let revoke_error = Signal::derive(move || revoke.value().get().and_then(Result::err));
    let new_link = move || add.value().get().and_then(Result::ok).map(|new| new.pairing_path);
    view! {
        <main class="page devices-page">
            <h1>{t("devices-title")}</h1>
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
            <super::AdminList items=devices row=move |device: Device| {
                let revoked = device.revoked_at.is_some();
                view! {
                    <li class="device" data-device=device.id>
                        <strong>{device.name.clone()}</strong>
                        " "{lang.text("devices-added")}" "<LocalTime at=device.created_at/>
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

/// Every connection on the kitchen feed now: where it is, the last seq it reported showing,
/// and how many events it is behind. What to look at when a cook says "the screen didn't
/// show it".
#[component]
fn ConnectedScreens(changed: Signal<usize>) -> impl IntoView {
    let lang = use_lang();
    let refreshed = RwSignal::new(0u32);
    let screens = Resource::new(move || (changed.get(), refreshed.get()), |_| list_connected_screens());
    view! {
        <section class="connected-screens" aria-labelledby="connected-title">
            <h2 id="connected-title">{t("devices-connected-title")}</h2>
            <button type="button" on:click=move |_| refreshed.update(|n| *n += 1)>{t("devices-connected-refresh")}</button>
            <super::Loaded resource=screens render={move |screens: Vec<ConnectedScreen>| {
                if screens.is_empty() {
                    return view! { <p class="hint">{lang.text("devices-connected-none")}</p> }.into_any();
                }
                view! {
                    <table class="connected-table">
                        <thead><tr>
                            <th scope="col">{lang.text("devices-connected-name")}</th>
                            <th scope="col">{lang.text("devices-connected-address")}</th>
                            <th scope="col">{lang.text("devices-connected-since")}</th>
                            <th scope="col">{lang.text("devices-connected-acked")}</th>
                            <th scope="col">{lang.text("devices-connected-behind")}</th>
                        </tr></thead>
                        <tbody>
                            {screens.into_iter().map(|screen| view! {
                                <tr data-connection=screen.connection_id data-behind=screen.behind class:behind={screen.behind > 0}>
                                    <th scope="row">{screen.name.clone()}" "<span class="hint">{format!("({}, {}, {})", screen.kind, screen.transport, screen.instance)}</span></th>
                                    <td>{screen.address.clone()}</td>
                                    <td><LocalTime at=screen.connected_at/></td>
                                    <td>{match (screen.acked_seq, screen.acked_at) {
                                        (Some(seq), Some(at)) => view! { "#"{seq}" · "<LocalTime at/> }.into_any(),
                                        _ => lang.text("devices-connected-never").into_any(),
                                    }}</td>
                                    <td class="behind-count">{screen.behind}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }
                .into_any()
            }}/>
        </section>
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
