//! The Content-Security-Policy of every page, set here, on the response itself: one nonce per
//! request, which the page's scripts carry (the render takes it from the request) and the
//! header names. A page never depends on the render remembering to set its own header.

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use leptos::nonce::Nonce;

/// Gives the request its nonce and an HTML response the policy that allows it.
pub async fn page_policy(mut request: Request, next: Next) -> Response {
    let nonce = Nonce::new();
    request.extensions_mut().insert(nonce.clone());
    let mut response = next.run(request).await;
    if is_page(&response) {
        if let Ok(value) = HeaderValue::from_str(&policy(&nonce)) {
            response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, value);
        }
    }
    response
}

/// Whether a response is a page (HTML), as opposed to JSON, a file or an error of the API.
pub(super) fn is_page(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"))
}

/// The strictest policy Leptos allows: only our own files, the hydration scripts by their
/// nonce, and wasm compilation. No inline style, no framing (the kitchen screen cannot be
/// clickjacked).
fn policy(nonce: &Nonce) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:; connect-src 'self'; media-src 'self'; font-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// For the render: the nonce this request's policy allows, so the page's scripts carry it.
pub fn provide_request_nonce() {
    use leptos::prelude::{provide_context, use_context};
    if let Some(nonce) =
        use_context::<axum::http::request::Parts>().and_then(|parts| parts.extensions.get::<Nonce>().cloned())
    {
        provide_context(nonce);
    }
}
