use super::AppError;
use crate::domain::StaffAccount;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[server(prefix = "/api", endpoint = "staff_accounts", input = Json)]
pub async fn list_staff_accounts() -> Result<Vec<StaffAccount>, AppError> {
    use super::context;
    context::respond(async { context::accounts()?.staff_accounts(&context::principal()).await }.await)
}

#[server(prefix = "/api", endpoint = "add_staff_account")]
pub async fn add_staff_account(username: String, password: String, role: String) -> Result<StaffAccount, AppError> {
    use super::context;
    context::respond(
        async {
            let role = crate::domain::Role::parse(&role)
                .ok_or_else(|| AppError::validation("role", "choose staff or admin").says("error-role", &[]))?;
            context::accounts()?.add_staff_account(&context::principal(), &username, &password, role).await
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "disable_staff_account")]
pub async fn disable_staff_account(user_id: i64) -> Result<(), AppError> {
    use super::context;
    context::respond(async { context::accounts()?.disable_staff_account(&context::principal(), user_id).await }.await)
}
