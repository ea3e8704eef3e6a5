use crate::api::{list_api_keys, AddApiKey, RevokeApiKey};
use crate::components::{ErrorNotice, LocalTime};
use crate::domain::ApiKey;
use crate::i18n::{t, use_lang};
use leptos::prelude::*;

/// `/admin/api-keys`: keys for outside systems (a phone-order till, a delivery platform) that
/// call the order API. A new key is shown once; revoking one shuts it out at once.
#[component]
pub fn ApiKeysPage() -> impl IntoView {
    view! {
        <super::AdminTopBar/>
        <ApiKeysDesk/>
    }
}

/// The page's live part: the form and the keys.
#[island(lazy)]
fn ApiKeysDesk() -> impl IntoView {
    super::enter_island();
    let lang = use_lang();
    let add = ServerAction::<AddApiKey>::new();
    let revoke = ServerAction::<RevokeApiKey>::new();
    let keys = Resource::new(move || (add.version().get(), revoke.version().get()), |_| list_api_keys());
    let add_error = Signal::derive(move || add.value().get().and_then(Result::err));
    let revoke_error = Signal::derive(move || revoke.value().get().and_then(Result::err));
    let new_secret = move || add.value().get().and_then(Result::ok).map(|new| new.secret);
    // The form starts over once a key is made: the next key is not given the last one's name
    // or, unasked, its scope.
    let (name, marks_sold_out) = (RwSignal::new(String::new()), RwSignal::new(false));
    Effect::new(move |_| {
        if add.value().with(|made| matches!(made, Some(Ok(_)))) {
            name.set(String::new());
            marks_sold_out.set(false);
        }
    });
    view! {
        <main class="page devices-page">
            <h1>{t("apikeys-title")}</h1>
            <p>
                {t("apikeys-intro-before")}" "
                <a href="/api/v1/openapi.json">{t("apikeys-intro-link")}</a>
                " "{t("apikeys-intro-after")}" "<code>"Authorization: Bearer <key>"</code>"."
            </p>
            <ActionForm action=add attr:class="inline-form">
                <label for="key-name">{t("apikeys-name-label")}</label>
                <input id="key-name" name="name" required maxlength="60" placeholder=t("apikeys-name-placeholder")
                    prop:value=name on:input=move |ev| name.set(event_target_value(&ev))/>
                <label class="checkbox">
                    <input type="checkbox" name="marks_sold_out" value="on"
                        prop:checked=marks_sold_out on:change=move |ev| marks_sold_out.set(event_target_checked(&ev))/>
                    {t("apikeys-scope-sold-out")}
                </label>
                <button class="primary" type="submit">{t("apikeys-create")}</button>
            </ActionForm>
            <ErrorNotice error=add_error/>
            {move || new_secret().map(|secret| view! {
                <p class="pairing-link" role="status">
                    {lang.text("apikeys-copy-now")}" "
                    <code class="new-api-key">{secret}</code>
                </p>
            })}
            <ErrorNotice error=revoke_error/>
            <super::AdminList items=keys row=move |key: ApiKey| view! {
                <li class="device" data-api-key=key.id>
                    <strong>{key.name.clone()}</strong>
                    <code>{format!("{}…", key.prefix)}</code>
                    " "<span class="api-key-scope">{lang.text(if key.marks_sold_out { "apikeys-scope-orders-sold-out" } else { "apikeys-scope-orders" })}</span>
                    " "{lang.text("apikeys-created")}" "<LocalTime at=key.created_at/>
                    <super::RetireControl retired=key.revoked_at.is_some().then(|| lang.text("apikeys-revoked"))>
                        <ActionForm action=revoke attr:class="inline-form">
                            <input type="hidden" name="key_id" value=key.id/>
                            <button type="submit">{lang.text("apikeys-revoke")}</button>
                        </ActionForm>
                    </super::RetireControl>
                </li>
            }/>
        </main>
    }
}
