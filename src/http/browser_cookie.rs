use app::api::cookie_value;
use app::domain::BrowserId;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;

/// A year: the id only scopes a customer's checkout retries, and a new one costs nothing.
const MAX_AGE_SECS: u32 = 365 * 24 * 3600;

/// Puts the browser's [`BrowserId`] into the request, and gives a browser that has none its
/// cookie with the first page it loads, so that its checkouts' idempotency keys are its own.
/// The cookie is HttpOnly and names nobody: it is a random number that only scopes retries.
pub async fn know_the_browser(mut request: Request, next: Next) -> Response {
    let known = cookie_value(request.headers(), BrowserId::COOKIE).and_then(|raw| BrowserId::parse(&raw));
    let page_load = request.method() == Method::GET;
    let secure = request.uri().scheme_str() == Some("https")
        || request.headers().get("x-forwarded-proto").and_then(|value| value.to_str().ok()) == Some("https");
    if let Some(browser) = known.clone() {
        request.extensions_mut().insert(browser);
    }
    let mut response = next.run(request).await;
    if known.is_none() && page_load && super::page_policy::is_page(&response) {
        let cookie = format!(
            "{}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age={MAX_AGE_SECS}{}",
            BrowserId::COOKIE,
            crate::auth::new_order_token(),
            if secure { "; Secure" } else { "" }
        );
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}
