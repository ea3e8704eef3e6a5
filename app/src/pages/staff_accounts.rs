use crate::api::{list_staff_accounts, AddStaffAccount, DisableStaffAccount};
use crate::components::{ErrorNotice, LocalTime};
use crate::shell::TopBar;
use leptos::prelude::*;

/// `/admin/users`: staff accounts. Disabling one signs it out everywhere at once.
#[component]
pub fn StaffAccountsPage() -> impl IntoView {
    let add = ServerAction::<AddStaffAccount>::new();
    let disable = ServerAction::<DisableStaffAccount>::new();
    let accounts = Resource::new(move || (add.version().get(), disable.version().get()), |_| list_staff_accounts());
    let add_error = Signal::derive(move || add.value().get().and_then(Result::err));
    let disable_error = Signal::derive(move || disable.value().get().and_then(Result::err));
    view! {
        <TopBar><a href="/admin/devices">"Kitchen screens"</a><a href="/staff">"Staff"</a><super::SignOutButton/></TopBar>
        <main class="page accounts-page">
            <h1>"Staff accounts"</h1>
            <ActionForm action=add attr:class="inline-form">
                <label for="new-username">"Username"</label>
                <input id="new-username" name="username" required maxlength="60" autocomplete="off"/>
                <label for="new-password">"Password"</label>
                <input id="new-password" name="password" type="password" required minlength="10" autocomplete="new-password"/>
                <label for="new-role">"Role"</label>
                <select id="new-role" name="role">
                    <option value="staff" selected>"Staff"</option>
                    <option value="admin">"Admin"</option>
                </select>
                <button class="primary" type="submit">"Add account"</button>
            </ActionForm>
            <ErrorNotice error=add_error/>
            <ErrorNotice error=disable_error/>
            <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || accounts.get().map(|result| super::loaded_or_refused(result, |accounts| view! {
                        <ul class="device-list">
                            {accounts.into_iter().map(|account| view! {
                                <li class="device" data-user=account.id>
                                    <strong>{account.username.clone()}</strong>
                                    <span>{account.role.as_str()}</span>
                                    " since "<LocalTime at=account.created_at/>
                                    <super::RetireControl retired=account.disabled_at.is_some().then_some("disabled")>
                                        <ActionForm action=disable attr:class="inline-form">
                                            <input type="hidden" name="user_id" value=account.id/>
                                            <button type="submit">"Disable"</button>
                                        </ActionForm>
                                    </super::RetireControl>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()))}
            </Suspense>
        </main>
    }
}
