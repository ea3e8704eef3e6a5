use super::AppError;
use crate::domain::StaffAccount;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[server(prefix = "/api", endpoint = "staff_accounts", input = Json)]
pub async fn list_staff_accounts() -> Result<Vec<StaffAccount>, AppError> {
    use super::orders::adapter;
    adapter::respond(async { adapter::accounts()?.staff_accounts(&adapter::principal()).await }.await)
}

#[server(prefix = "/api", endpoint = "add_staff_account")]
pub async fn add_staff_account(username: String, password: String, role: String) -> Result<StaffAccount, AppError> {
    use super::orders::adapter;
    adapter::respond(
        async {
            let role = crate::domain::Role::parse(&role)
                .ok_or_else(|| AppError::validation("role", "choose staff or admin"))?;
            adapter::accounts()?.add_staff_account(&adapter::principal(), &username, &password, role).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "disable_staff_account")]
pub async fn disable_staff_account(user_id: i64) -> Result<(), AppError> {
    use super::orders::adapter;
    adapter::respond(async { adapter::accounts()?.disable_staff_account(&adapter::principal(), user_id).await }.await)
}
