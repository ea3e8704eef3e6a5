use super::AppError;
use crate::domain::{Device, NewDevice};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[server(prefix = "/api", endpoint = "devices", input = Json)]
pub async fn list_devices() -> Result<Vec<Device>, AppError> {
    use super::orders::adapter;
    adapter::respond(async { adapter::accounts()?.devices(&adapter::principal()).await }.await)
}

/// The live connections on the kitchen feed, most behind first.
#[server(prefix = "/api", endpoint = "connected_screens", input = Json)]
pub async fn list_connected_screens() -> Result<Vec<crate::domain::ConnectedScreen>, AppError> {
    use super::orders::adapter;
    adapter::respond(async { adapter::accounts()?.connected_screens(&adapter::principal()).await }.await)
}

#[server(prefix = "/api", endpoint = "add_device")]
pub async fn add_device(name: String) -> Result<NewDevice, AppError> {
    use super::orders::adapter;
    adapter::respond(async { adapter::accounts()?.add_device(&adapter::principal(), &name).await }.await)
}

#[server(prefix = "/api", endpoint = "revoke_device")]
pub async fn revoke_device(device_id: i64) -> Result<(), AppError> {
    use super::orders::adapter;
    adapter::respond(async { adapter::accounts()?.revoke_device(&adapter::principal(), device_id).await }.await)
}

/// Pairs the screen this request comes from, then sends it to the kitchen view. The answer
/// also carries the device token, for screens that are not browsers (`Authorization: Bearer`).
#[server(prefix = "/api", endpoint = "pair_device")]
pub async fn pair_device(code: String) -> Result<String, AppError> {
    use super::orders::adapter;
    adapter::respond(
        async {
            let paired = adapter::accounts()?.pair_device(&code).await?;
            super::accounts::set_session_cookie(&paired.session_token, paired.max_age_secs);
            leptos_axum::redirect("/kitchen");
            Ok(paired.session_token)
        }
        .await,
    )
}
