use crate::api::{list_devices, AddDevice, PairDevice, RevokeDevice};
use crate::components::{ErrorNotice, LocalTime};
use crate::shell::TopBar;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// `/admin/devices`: the kitchen screens. Add one to get its pairing link; revoke one to sign
/// it out for good (its open connections close at once).
#[component]
pub fn DevicesPage() -> impl IntoView {
    let add = ServerAction::<AddDevice>::new();
    let revoke = ServerAction::<RevokeDevice>::new();
    let devices = Resource::new(move || (add.version().get(), revoke.version().get()), |_| list_devices());
    let add_error = Signal::derive(move || add.value().get().and_then(Result::err));
    let revoke_error = Signal::derive(move || revoke.value().get().and_then(Result::err));
    let new_link = move || add.value().get().and_then(Result::ok).map(|new| new.pairing_path);
    view! {
        <TopBar><a href="/admin/users">"Staff accounts"</a><a href="/staff">"Staff"</a><super::SignOutButton/></TopBar>
        <main class="page devices-page">
            <h1>"Kitchen screens"</h1>
            <ActionForm action=add attr:class="inline-form">
                <label for="device-name">"Name of the new screen"</label>
                <input id="device-name" name="name" required maxlength="60" placeholder="Oven wall"/>
                <button class="primary" type="submit">"Add a screen"</button>
            </ActionForm>
            <ErrorNotice error=add_error/>
            {move || new_link().map(|path| view! {
                <p class="pairing-link" role="status">
                    "Open this link once on the new screen (valid 30 minutes): "
                    <a href=path.clone()><code>{path.clone()}</code></a>
                </p>
            })}
            <ErrorNotice error=revoke_error/>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || devices.get().map(|result| super::loaded_or_refused(result, |devices| view! {
                        <ul class="device-list">
                            {devices.into_iter().map(|device| {
                                let revoked = device.revoked_at.is_some();
                                view! {
                                    <li class="device" data-device=device.id>
                                        <strong>{device.name.clone()}</strong>
                                        " added "<LocalTime at=device.created_at/>
                                        <super::RetireControl retired=revoked.then_some("revoked")>
                                            <ActionForm action=revoke attr:class="inline-form">
                                                <input type="hidden" name="device_id" value=device.id/>
                                                <button type="submit">"Revoke"</button>
                                            </ActionForm>
                                        </super::RetireControl>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()))}
            </Suspense>
        </main>
    }
}

/// `/pair/:code`: signs this screen in as a kitchen device. Someone setting up the screen
/// confirms once; from then on it stays signed in across restarts and power cuts.
#[component]
pub fn PairPage() -> impl IntoView {
    let params = use_params_map();
    let code = move || params.read().get("code").unwrap_or_default();
    let pair = ServerAction::<PairDevice>::new();
    let error = Signal::derive(move || pair.value().get().and_then(Result::err));
    view! {
        <TopBar>""</TopBar>
        <main class="page pair-page">
            <h1>"Pair this screen"</h1>
            <p>"This screen will show the kitchen's orders and stay signed in until an admin revokes it."</p>
            <ActionForm action=pair>
                <input type="hidden" name="code" prop:value=code/>
                <ErrorNotice error/>
                <button class="primary" type="submit">"Pair this screen"</button>
            </ActionForm>
        </main>
    }
}
