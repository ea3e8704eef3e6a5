use super::AppError;
use crate::domain::{ApiKey, NewApiKey};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[server(prefix = "/api", endpoint = "api_keys", input = Json)]
pub async fn list_api_keys() -> Result<Vec<ApiKey>, AppError> {
    use super::context;
    context::respond(async { context::accounts()?.api_keys(&context::principal()).await }.await)
}

/// A new key: orders always; marking items sold out when `marks_sold_out` (a checkbox,
/// present when ticked) is sent.
#[server(prefix = "/api", endpoint = "add_api_key")]
pub async fn add_api_key(name: String, marks_sold_out: Option<String>) -> Result<NewApiKey, AppError> {
    use super::context;
    context::respond(
        async { context::accounts()?.add_api_key(&context::principal(), &name, marks_sold_out.is_some()).await }.await,
    )
}

#[server(prefix = "/api", endpoint = "revoke_api_key")]
pub async fn revoke_api_key(key_id: i64) -> Result<(), AppError> {
    use super::context;
    context::respond(async { context::accounts()?.revoke_api_key(&context::principal(), key_id).await }.await)
}
