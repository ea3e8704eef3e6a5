//! The order API, `/api/v1`: what outside systems (a phone-order till, a delivery platform)
//! call with an API key, and the JSON reads that live events point to. It goes through the
//! same service as the web pages: the same validation, event log and broadcast.
//!
//! The OpenAPI document at `/api/v1/openapi.json` is generated from these handlers and the
//! domain types, so it cannot drift from them.

use super::ApiError;
use super::AppState;
use crate::service::require_staff;
use app::api::AppError;
use app::domain::protocol::MENU_URL;
use app::domain::{
    ClientAddress, LocationId, Menu, Order, OrderRequest, PlacedOrder, Principal, RequestOrigin, Snapshot, StatusChange,
};
use axum::extract::{FromRequest, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use serde::Deserialize;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoParams, IntoResponses, Modify, OpenApi, ToSchema};

pub const OPENAPI_URL: &str = "/api/v1/openapi.json";

pub fn router() -> Router<AppState> {
    Router::new()
        .route(OPENAPI_URL, get(openapi))
        .route(MENU_URL, get(menu))
        .route("/api/v1/orders", get(open_orders).post(place_order))
        .route("/api/v1/orders/{id}", get(order))
        .route("/api/v1/orders/{id}/status", post(change_status))
        .route("/api/v1/orders/{id}/advance", post(advance))
        // Where the events of earlier builds point; the same handlers.
        .route("/api/orders", get(open_orders))
        .route("/api/orders/{id}", get(order))
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Pizzeria Live order API",
        version = "1",
        description = "Place, read and move along orders from outside the browser. \
                       Authenticate with an API key an admin creates on /admin/api-keys: \
                       `Authorization: Bearer pzk_…`. Every error is JSON: \
                       `{\"error\": kind, \"message\": …}`, with `field` on validation errors."
    ),
    paths(menu, open_orders, place_order, order, change_status, advance),
    components(schemas(AppError, StatusChangeRequest, AdvanceRequest)),
    modifiers(&BearerApiKey),
    security(("api_key" = []))
)]
pub struct ApiDoc;

// What several operations share in the document. These types only describe: the handlers
// answer with `ApiError`, so none is ever built (hence `dead_code`).

/// The order number in the path.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
struct OrderNumber {
    /// Order number
    #[param(minimum = 1)]
    id: i64,
}

/// No or unknown API key
#[derive(IntoResponses)]
#[response(status = 401)]
#[allow(dead_code)]
struct Unauthenticated(AppError);

/// Why an order may not be moved, whatever the move.
#[derive(IntoResponses)]
#[allow(dead_code)]
enum OrderChangeRefused {
    /// The order number or the body could not be read
    #[response(status = 400)]
    Unreadable(AppError),
    /// No or unknown API key
    #[response(status = 401)]
    Unauthenticated(AppError),
    /// This key or account may not move orders
    #[response(status = 403)]
    Forbidden(AppError),
    /// No such order
    #[response(status = 404)]
    NotFound(AppError),
    /// Changed by someone else first: `current` is the order now
    #[response(status = 409)]
    Conflict(AppError),
}

struct BearerApiKey;

impl Modify for BearerApiKey {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("pzk_…").build()),
        );
    }
}

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

/// A JSON body whose refusal is an [`ApiError`] like every other, not axum's plain text.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        let essence = |value: &str| value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
        let is_json = request
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .map(essence)
            .is_some_and(|mime| mime == "application/json" || mime.ends_with("+json"));
        if !is_json {
            return Err(ApiError::bad_request("send the body as JSON, with Content-Type: application/json"));
        }
        let bytes = axum::body::Bytes::from_request(request, state)
            .await
            .map_err(|rejection| ApiError::bad_request(rejection.body_text()))?;
        super::require_object(&bytes)?;
        Json::<T>::from_bytes(&bytes)
            .map(|Json(value)| ApiJson(value))
            .map_err(|rejection| ApiError::bad_request(rejection.body_text()))
    }
}

fn order_id(raw: &str) -> Result<i64, ApiError> {
    raw.parse().ok().filter(|id| *id > 0).ok_or_else(|| ApiError::bad_request(ORDER_ID_REFUSED))
}

const ORDER_ID_REFUSED: &str = "an order number is a whole number from 1 to 9223372036854775807";

/// The caller, who must be signed-in staff or hold an API key. An extractor, so that it is
/// decided before the body is read: an anonymous caller is told 401, whatever it sent.
pub struct Staff(Principal);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Staff {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, _: &S) -> Result<Self, Self::Rejection> {
        let who = parts.extensions.get::<Principal>().cloned().unwrap_or_default();
        require_staff(&who)?;
        Ok(Staff(who))
    }
}

/// The menu and the seq it is current at: where every menu event points.
#[utoipa::path(get, path = "/api/v1/menu", tag = "menu", security(()),
    responses((status = 200, description = "The menu, with availability and prices", body = Menu)))]
async fn menu(
    State(state): State<AppState>,
    Extension(location): Extension<LocationId>,
) -> Result<Json<Menu>, ApiError> {
    Ok(Json(state.service.menu(location).await?))
}

/// The open orders and the seq they are current at: a snapshot to follow live from.
#[utoipa::path(get, path = "/api/v1/orders", tag = "orders",
    responses(
        (status = 200, description = "Open orders, oldest first", body = Snapshot),
        Unauthenticated,
    ))]
async fn open_orders(
    State(state): State<AppState>,
    Extension(who): Extension<Principal>,
) -> Result<Json<Snapshot>, ApiError> {
    Ok(Json(state.service.open_orders(&who).await?))
}

/// Places an order, priced and checked by the server. Send an `Idempotency-Key` (or
/// `idempotency_key` in the body): the same key again returns the same order, never a second.
#[utoipa::path(post, path = "/api/v1/orders", tag = "orders", request_body = OrderRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes retries safe: 8 to 64 letters, digits, `_` or `-`", min_length = 8, max_length = 64, pattern = "^[A-Za-z0-9_-]+$")),
    responses(
        (status = 201, description = "Placed", body = PlacedOrder),
        (status = 200, description = "Already placed with this idempotency key: the same order", body = PlacedOrder),
        (status = 400, description = "The body could not be read", body = AppError),
        Unauthenticated,
        (status = 403, description = "This key or account may not place orders", body = AppError),
        (status = 409, description = "The idempotency key was used for another order", body = AppError),
        (status = 422, description = "Refused: `field` says which and `message` why", body = AppError),
    ))]
async fn place_order(
    State(state): State<AppState>,
    Staff(who): Staff,
    Extension(location): Extension<LocationId>,
    from: Option<Extension<ClientAddress>>,
    headers: HeaderMap,
    ApiJson(mut request): ApiJson<OrderRequest>,
) -> Result<Response, ApiError> {
    if let Some(header) = headers.get("idempotency-key") {
        let header = header.to_str().map_err(|_| ApiError::bad_request("Idempotency-Key must be plain text"))?;
        match &request.idempotency_key {
            Some(body_key) if body_key != header => {
                return Err(ApiError::bad_request("the Idempotency-Key header and the body's idempotency_key differ"))
            }
            _ => request.idempotency_key = Some(header.to_string()),
        }
    }
    let placed = state
        .service
        .place_order(
            &who,
            RequestOrigin { address: from.map(|Extension(from)| from), browser: None },
            location,
            request,
        )
        .await?;
    let status = if placed.repeated { StatusCode::OK } else { StatusCode::CREATED };
    Ok((status, Json(placed)).into_response())
}

/// One order as it is now: the URL every event about it points to.
#[utoipa::path(get, path = "/api/v1/orders/{id}", tag = "orders",
    params(OrderNumber),
    responses(
        (status = 200, description = "The order", body = Order),
        (status = 400, description = "The order number is not a whole number from 1 to 2⁶³−1", body = AppError),
        Unauthenticated,
        (status = 404, description = "No such order", body = AppError),
    ))]
async fn order(
    State(state): State<AppState>,
    Extension(who): Extension<Principal>,
    Path(id): Path<String>,
) -> Result<Json<Order>, ApiError> {
    let id = order_id(&id)?;
    let mut snapshot = state.service.order(&who, id).await?;
    snapshot.orders.pop().map(Json).ok_or_else(|| ApiError(AppError::not_found(format!("order {id}"))))
}

/// Any status change: move to a stage, cancel with a reason, undo, recall.
#[derive(Debug, Deserialize, ToSchema)]
pub struct StatusChangeRequest {
    pub change: StatusChange,
    /// The version the caller last saw: if the order has changed since, nothing happens and
    /// the answer is 409 with the order as it is now.
    #[serde(default)]
    pub expected_version: Option<i64>,
}

#[utoipa::path(post, path = "/api/v1/orders/{id}/status", tag = "orders", request_body = StatusChangeRequest,
    params(OrderNumber),
    responses(
        (status = 200, description = "Changed: the order as it is now", body = Order),
        OrderChangeRefused,
        (status = 422, description = "Not allowed from the order's current status", body = AppError),
    ))]
async fn change_status(
    State(state): State<AppState>,
    Staff(who): Staff,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<StatusChangeRequest>,
) -> Result<Json<Order>, ApiError> {
    let id = order_id(&id)?;
    Ok(Json(state.service.change_status(&who, id, request.change, request.expected_version).await?))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct AdvanceRequest {
    /// As for a status change. Without it, the order moves on from the stage it is in when
    /// the request arrives.
    #[serde(default)]
    pub expected_version: Option<i64>,
}

/// Moves an order one stage along: received → preparing → baking → ready → collected.
#[utoipa::path(post, path = "/api/v1/orders/{id}/advance", tag = "orders", request_body = Option<AdvanceRequest>,
    params(OrderNumber),
    responses(
        (status = 200, description = "Moved on: the order as it is now", body = Order),
        OrderChangeRefused,
        (status = 422, description = "Collected or cancelled: there is no next stage", body = AppError),
    ))]
async fn advance(
    State(state): State<AppState>,
    Staff(who): Staff,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<Json<Order>, ApiError> {
    let id = order_id(&id)?;
    super::require_object(&body)?;
    let request: AdvanceRequest = if body.iter().all(u8::is_ascii_whitespace) {
        AdvanceRequest::default()
    } else {
        serde_json::from_slice(&body)
            .map_err(|err| ApiError::bad_request(format!("the body could not be read: {err}")))?
    };
    Ok(Json(state.service.advance(&who, id, request.expected_version).await?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_document_describes_every_route_and_the_key() {
        let doc = serde_json::to_value(ApiDoc::openapi()).unwrap();
        for path in [
            "/api/v1/menu",
            "/api/v1/orders",
            "/api/v1/orders/{id}",
            "/api/v1/orders/{id}/status",
            "/api/v1/orders/{id}/advance",
        ] {
            assert!(doc["paths"][path].is_object(), "{path} is documented");
        }
        assert_eq!(doc["components"]["securitySchemes"]["api_key"]["scheme"], "bearer");
        for schema in
            ["Order", "OrderRequest", "LineRequest", "PlacedOrder", "Menu", "Snapshot", "AppError", "StatusChange"]
        {
            assert!(doc["components"]["schemas"][schema].is_object(), "{schema} is in the components");
        }
    }
}
