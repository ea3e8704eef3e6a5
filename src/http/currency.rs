//! The currency of the pizzeria a page is about, read for each page load and put into the
//! request, where the page's render finds it (`app::i18n::provide_currency`). Read from the
//! database every time, so a change made on another instance shows on the next page load.

use super::AppState;
use app::domain::LocationId;
use axum::extract::{Request, State};
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::Response;

pub async fn page_currency(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let location = request.extensions().get::<LocationId>().copied();
    if let (true, Some(location)) = (is_page_load(&request), location) {
        match state.service.currency(location).await {
            Ok(currency) => {
                request.extensions_mut().insert(currency);
            }
            // The page still renders, in the default currency: better than no page.
            Err(err) => tracing::warn!(error = %err, "could not read the pizzeria's currency"),
        }
    }
    next.run(request).await
}

/// A browser asking for a page (not a server function, a live connection or a file).
fn is_page_load(request: &Request) -> bool {
    request.method() == Method::GET
        && request
            .headers()
            .get(header::ACCEPT)
            .and_then(|accept| accept.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"))
}
