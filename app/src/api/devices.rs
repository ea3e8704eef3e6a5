use super::AppError;
use crate::domain::auth::ScreenCode;
use crate::domain::{Device, NewDevice};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[server(prefix = "/api", endpoint = "devices", input = Json)]
pub async fn list_devices() -> Result<Vec<Device>, AppError> {
    use super::context;
    context::respond(async { context::accounts()?.devices(&context::principal()).await }.await)
}

/// The live connections on the kitchen feed, most behind first.
#[server(prefix = "/api", endpoint = "connected_screens", input = Json)]
pub async fn list_connected_screens() -> Result<Vec<crate::domain::ConnectedScreen>, AppError> {
    use super::context;
    context::respond(async { context::accounts()?.connected_screens(&context::principal()).await }.await)
}

#[server(prefix = "/api", endpoint = "add_device")]
pub async fn add_device(name: String) -> Result<NewDevice, AppError> {
    use super::context;
    context::respond(async { context::accounts()?.add_device(&context::principal(), &name).await }.await)
}

/// Turns a screen's extras on or off: new orders read aloud, and a bump bar.
#[server(prefix = "/api", endpoint = "set_screen_options")]
pub async fn set_screen_options(
    device_id: i64,
    announce: Option<String>,
    bump_bar: Option<String>,
) -> Result<(), AppError> {
    use super::context;
    // Checkboxes: present when ticked.
    let options = crate::domain::ScreenOptions { announce: announce.is_some(), bump_bar: bump_bar.is_some() };
    context::respond(
        async { context::accounts()?.set_screen_options(&context::principal(), device_id, options).await }.await,
    )
}

#[server(prefix = "/api", endpoint = "revoke_device")]
pub async fn revoke_device(device_id: i64) -> Result<(), AppError> {
    use super::context;
    context::respond(async { context::accounts()?.revoke_device(&context::principal(), device_id).await }.await)
}

/// A short code for the TV this request comes from to show, and a QR code of the admin's page
/// that approves it (for a phone to scan).
#[server(prefix = "/api", endpoint = "request_screen_code", input = Json)]
pub async fn request_screen_code() -> Result<ScreenCode, AppError> {
    use super::context;
    context::respond(
        async {
            let mut code = context::accounts()?.request_screen_code(context::location()?).await?;
            let parts = use_context::<http::request::Parts>();
            let host = parts
                .as_ref()
                .and_then(|parts| parts.headers.get(http::header::HOST))
                .and_then(|host| host.to_str().ok())
                .unwrap_or("localhost");
            code.qr_svg = qr_svg(&format!("http://{host}/admin/devices?code={}", code.user_code));
            Ok(code)
        }
        .await,
    )
}

/// `text` as a QR code, in SVG.
#[cfg(feature = "ssr")]
fn qr_svg(text: &str) -> String {
    use qrcode::render::svg;
    match qrcode::QrCode::new(text.as_bytes()) {
        Ok(code) => code
            .render::<svg::Color>()
            .min_dimensions(240, 240)
            .dark_color(svg::Color("#000000"))
            .light_color(svg::Color("#ffffff"))
            .build(),
        Err(_) => String::new(),
    }
}

/// An admin approves the code a TV shows: the TV becomes one of the pizzeria's screens.
#[server(prefix = "/api", endpoint = "approve_screen_code")]
pub async fn approve_screen_code(code: String, name: String) -> Result<Device, AppError> {
    use super::context;
    context::respond(
        async { context::accounts()?.approve_screen_code(&context::principal(), &code, &name).await }.await,
    )
}

/// The TV asks whether its code was approved. Once it was, the answer signs it in (the
/// session cookie) and is `true`, once; `false` while it waits.
#[server(prefix = "/api", endpoint = "poll_screen_code", input = Json)]
pub async fn poll_screen_code(poll_token: String) -> Result<bool, AppError> {
    use super::context;
    context::respond(
        async {
            let Some(paired) = context::accounts()?.poll_screen_code(&poll_token).await? else { return Ok(false) };
            super::accounts::set_session_cookie(&paired.session_token, paired.max_age_secs);
            Ok(true)
        }
        .await,
    )
}

/// Pairs the screen this request comes from, then sends it to the kitchen view. The answer
/// also carries the device token, for screens that are not browsers (`Authorization: Bearer`).
#[server(prefix = "/api", endpoint = "pair_device")]
pub async fn pair_device(code: String) -> Result<String, AppError> {
    use super::context;
    context::respond(
        async {
            let paired = context::accounts()?.pair_device(&code).await?;
            super::accounts::set_session_cookie(&paired.session_token, paired.max_age_secs);
            leptos_axum::redirect("/kitchen");
            Ok(paired.session_token)
        }
        .await,
    )
}
