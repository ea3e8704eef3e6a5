use super::AppError;
use crate::domain::{ApiKey, NewApiKey};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[server(prefix = "/api", endpoint = "api_keys", input = Json)]
pub async fn list_api_keys() -> Result<Vec<ApiKey>, AppError> {
    use super::orders::adapter;
    adapter::respond(async { adapter::accounts()?.api_keys(&adapter::principal()).await }.await)
}

#[server(prefix = "/api", endpoint = "add_api_key")]
pub async fn add_api_key(name: String) -> Result<NewApiKey, AppError> {
    use super::orders::adapter;
    adapter::respond(async { adapter::accounts()?.add_api_key(&adapter::principal(), &name).await }.await)
}

#[server(prefix = "/api", endpoint = "revoke_api_key")]
pub async fn revoke_api_key(key_id: i64) -> Result<(), AppError> {
    use super::orders::adapter;
    adapter::respond(async { adapter::accounts()?.revoke_api_key(&adapter::principal(), key_id).await }.await)
}
