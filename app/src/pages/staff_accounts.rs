use crate::api::{list_staff_accounts, AddStaffAccount, DisableStaffAccount};
use crate::components::{ErrorNotice, LocalTime};
use crate::domain::StaffAccount;
use crate::i18n::{t, use_lang};
use leptos::prelude::*;

/// `/admin/users`: staff accounts. Disabling one signs it out everywhere at once.
#[component]
pub fn StaffAccountsPage() -> impl IntoView {
    view! {
        <super::AdminTopBar/>
        <StaffAccountsDesk/>
    }
}

/// The page's live part: the form and the accounts.
#[island(lazy)]
fn StaffAccountsDesk() -> impl IntoView {
    super::enter_island();
    let lang = use_lang();
    let add = ServerAction::<AddStaffAccount>::new();
    let disable = ServerAction::<DisableStaffAccount>::new();
    let accounts = Resource::new(move || (add.version().get(), disable.version().get()), |_| list_staff_accounts());
    let add_error = Signal::derive(move || add.value().get().and_then(Result::err));
    let disable_error = Signal::derive(move || disable.value().get().and_then(Result::err));
    view! {
        <main class="page accounts-page">
            <h1>{t("accounts-title")}</h1>
            <ActionForm action=add attr:class="inline-form">
                <label for="new-username">{t("accounts-username")}</label>
                <input id="new-username" name="username" required maxlength="60" autocomplete="off"/>
                <label for="new-password">{t("accounts-password")}</label>
                <input id="new-password" name="password" type="password" required minlength="10" autocomplete="new-password"/>
                <label for="new-role">{t("accounts-role")}</label>
                <select id="new-role" name="role">
                    <option value="staff" selected>{t("accounts-role-staff")}</option>
                    <option value="admin">{t("accounts-role-admin")}</option>
                </select>
                <button class="primary" type="submit">{t("accounts-add")}</button>
            </ActionForm>
            <ErrorNotice error=add_error/>
            <ErrorNotice error=disable_error/>
            <super::AdminList items=accounts row=move |account: StaffAccount| view! {
                <li class="device" data-user=account.id>
                    <strong>{account.username.clone()}</strong>
                    <span>{lang.text(&format!("accounts-role-name-{}", account.role.as_str()))}</span>
                    " "{lang.text("accounts-since")}" "<LocalTime at=account.created_at/>
                    <super::RetireControl retired=account.disabled_at.is_some().then(|| lang.text("accounts-disabled"))>
                        <ActionForm action=disable attr:class="inline-form">
                            <input type="hidden" name="user_id" value=account.id/>
                            <button type="submit">{lang.text("accounts-disable")}</button>
                        </ActionForm>
                    </super::RetireControl>
                </li>
            }/>
        </main>
    }
}
