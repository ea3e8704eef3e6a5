use super::AppError;
use crate::domain::{KitchenSettings, Menu, Order, OrderRequest, OrderStatus, PlacedOrder, Snapshot, StatusChange};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
pub(super) mod adapter {
    use super::super::{AppError, SharedAccountService, SharedOrderService};
    use crate::domain::Principal;
    use leptos::prelude::*;

    pub fn orders() -> Result<SharedOrderService, AppError> {
        use_context::<SharedOrderService>().ok_or_else(AppError::internal)
    }

    pub fn accounts() -> Result<SharedAccountService, AppError> {
        use_context::<SharedAccountService>().ok_or_else(AppError::internal)
    }

    /// The caller, as the server's authentication middleware identified it.
    pub fn principal() -> Principal {
        use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<Principal>().cloned())
            .unwrap_or_default()
    }

    /// Where the request came from, as the server's middleware decided.
    pub fn client_address() -> Option<crate::domain::ClientAddress> {
        use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<crate::domain::ClientAddress>().copied())
    }

    /// The pizzeria this request is about, as the server's middleware decided.
    pub fn location() -> Result<crate::domain::LocationId, AppError> {
        use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<crate::domain::LocationId>().copied())
            .ok_or_else(AppError::internal)
    }

    /// Passes a result through, setting the HTTP status of the response when it failed.
    pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
        if let Err(err) = &result {
            if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                let status =
                    http::StatusCode::from_u16(err.status()).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
                response.set_status(status);
                if status == http::StatusCode::TOO_MANY_REQUESTS {
                    response.insert_header(
                        http::header::RETRY_AFTER,
                        http::HeaderValue::from_static(super::super::RETRY_AFTER_SECS),
                    );
                }
            }
        }
        result
    }
}

#[server(prefix = "/api", endpoint = "menu", input = Json)]
pub async fn get_menu() -> Result<Menu, AppError> {
    adapter::respond(async { adapter::orders()?.menu(adapter::location()?).await }.await)
}

/// Staff mark an item or topping sold out or back; admins change prices.
/// `{"edit": {"action": "item_availability", "item_id": 3, "available": false}}`.
#[server(prefix = "/api", endpoint = "edit_menu", input = Json)]
pub async fn edit_menu(edit: crate::domain::MenuEdit) -> Result<crate::domain::MenuChange, AppError> {
    adapter::respond(async { adapter::orders()?.edit_menu(&adapter::principal(), edit).await }.await)
}

#[server(prefix = "/api", endpoint = "pickup_options", input = Json)]
pub async fn get_pickup_options() -> Result<crate::domain::pickup::PickupOptions, AppError> {
    adapter::respond(async { adapter::orders()?.pickup_options(adapter::location()?).await }.await)
}

#[server(prefix = "/api", endpoint = "place_order", input = Json)]
pub async fn place_order(request: OrderRequest) -> Result<PlacedOrder, AppError> {
    adapter::respond(
        async {
            adapter::orders()?
                .place_order(&adapter::principal(), adapter::client_address(), adapter::location()?, request)
                .await
        }
        .await,
    )
}

/// The plain HTML order form (`/order-now`), which works without JavaScript. On success the
/// browser goes on to the new order's page; on a refusal, back to the form, which shows the
/// reason and keeps what was typed.
#[server(prefix = "/api", endpoint = "order_form")]
pub async fn place_order_form(form: std::collections::BTreeMap<String, String>) -> Result<(), AppError> {
    use crate::domain::order_form;
    let placed = async {
        let service = adapter::orders()?;
        let location = adapter::location()?;
        let request = order_form::to_request(&service.menu(location).await?, &form)?;
        service.place_order(&adapter::principal(), adapter::client_address(), location, request).await
    }
    .await;
    match placed {
        Ok(placed) => leptos_axum::redirect(&format!("/orders/{}", placed.token)),
        Err(refused) => {
            let lang = use_context::<http::request::Parts>()
                .map(|parts| crate::i18n::request_lang(&parts.headers))
                .unwrap_or_default();
            let message = crate::i18n::error_text_in(lang, &refused);
            let field = match &refused {
                AppError::Validation { field, .. } => field.as_str(),
                _ => "",
            };
            leptos_axum::redirect(&order_form::retry_path(&form, field, &message))
        }
    }
    Ok(())
}

/// A fresh idempotency key, for a checkout form the server renders.
#[server(prefix = "/api", endpoint = "checkout_key", input = Json)]
pub async fn new_checkout_key() -> Result<String, AppError> {
    adapter::respond(adapter::orders().map(|service| service.new_checkout_key()))
}

/// Moves an order to `status`. Cancelling needs a `reason`.
#[server(prefix = "/api", endpoint = "set_order_status", input = Json)]
pub async fn set_order_status(
    order_id: i64,
    status: OrderStatus,
    expected_version: Option<i64>,
    #[server(default)] reason: Option<String>,
) -> Result<Order, AppError> {
    let change = match status {
        OrderStatus::Cancelled => StatusChange::Cancel { reason: reason.unwrap_or_default() },
        status => StatusChange::MoveTo { status },
    };
    change_order_status(order_id, change, expected_version).await
}

/// Any staff change: move on, cancel with a reason, undo the last change, recall a collected
/// order. `{"order_id": 7, "change": {"action": "undo"}, "expected_version": 4}`.
#[server(prefix = "/api", endpoint = "change_order_status", input = Json)]
pub async fn change_order_status(
    order_id: i64,
    change: StatusChange,
    expected_version: Option<i64>,
) -> Result<Order, AppError> {
    adapter::respond(
        async { adapter::orders()?.change_status(&adapter::principal(), order_id, change, expected_version).await }
            .await,
    )
}

#[server(prefix = "/api", endpoint = "open_orders", input = Json)]
pub async fn list_open_orders() -> Result<Snapshot, AppError> {
    adapter::respond(async { adapter::orders()?.open_orders(&adapter::principal()).await }.await)
}

/// A customer's order, by the token in its URL.
#[server(prefix = "/api", endpoint = "order", input = Json)]
pub async fn get_order(token: String) -> Result<Snapshot, AppError> {
    adapter::respond(async { adapter::orders()?.order_by_token(&adapter::principal(), &token).await }.await)
}

#[server(prefix = "/api", endpoint = "kitchen_settings", input = Json)]
pub async fn get_kitchen_settings() -> Result<KitchenSettings, AppError> {
    adapter::respond(async { adapter::orders()?.kitchen_settings(&adapter::principal()).await }.await)
}
