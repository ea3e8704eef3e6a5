#[cfg(feature = "ssr")]
use super::context;
use super::AppError;
use crate::domain::pizzeria::PizzeriaCard;
use crate::domain::{KitchenSettings, Menu, Order, OrderRequest, OrderStatus, PlacedOrder, Snapshot, StatusChange};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[server(prefix = "/api", endpoint = "menu", input = Json)]
pub async fn get_menu() -> Result<Menu, AppError> {
    context::respond(async { context::orders()?.menu(context::location()?).await }.await)
}

/// Staff mark an item or topping sold out or back; admins change prices.
/// `{"edit": {"action": "item_availability", "item_id": 3, "available": false}}`.
#[server(prefix = "/api", endpoint = "edit_menu", input = Json)]
pub async fn edit_menu(edit: crate::domain::MenuEdit) -> Result<crate::domain::MenuChange, AppError> {
    context::respond(async { context::orders()?.edit_menu(&context::principal(), edit).await }.await)
}

#[server(prefix = "/api", endpoint = "pickup_options", input = Json)]
pub async fn get_pickup_options() -> Result<crate::domain::pickup::PickupOptions, AppError> {
    context::respond(async { context::orders()?.pickup_options(context::location()?).await }.await)
}

#[server(prefix = "/api", endpoint = "place_order", input = Json)]
pub async fn place_order(request: OrderRequest) -> Result<PlacedOrder, AppError> {
    context::respond(
        async {
            context::orders()?
                .place_order(&context::principal(), context::origin(), context::location()?, request)
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
        let service = context::orders()?;
        let location = context::location()?;
        let request = order_form::to_request(&service.menu(location).await?, &form)?;
        service.place_order(&context::principal(), context::origin(), location, request).await
    }
    .await;
    match placed {
        Ok(placed) => leptos_axum::redirect(&format!("/orders/{}", placed.token)),
        Err(refused) => {
            let lang = use_context::<http::request::Parts>()
                .map(|parts| super::request_lang(&parts.headers))
                .unwrap_or_default();
            let message = refused.text_in(lang);
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
    context::respond(context::orders().map(|service| service.new_checkout_key()))
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
    context::respond(
        async { context::orders()?.change_status(&context::principal(), order_id, change, expected_version).await }
            .await,
    )
}

#[server(prefix = "/api", endpoint = "open_orders", input = Json)]
pub async fn list_open_orders() -> Result<Snapshot, AppError> {
    context::respond(async { context::orders()?.open_orders(&context::principal()).await }.await)
}

/// A customer's order, by the token in its URL.
#[server(prefix = "/api", endpoint = "order", input = Json)]
pub async fn get_order(token: String) -> Result<Snapshot, AppError> {
    context::respond(async { context::orders()?.order_by_token(&context::principal(), &token).await }.await)
}

#[server(prefix = "/api", endpoint = "kitchen_settings", input = Json)]
pub async fn get_kitchen_settings() -> Result<KitchenSettings, AppError> {
    context::respond(async { context::orders()?.kitchen_settings(&context::principal()).await }.await)
}

/// The pizzeria an order is at (name, address, phone, hours), by the customer's token.
#[server(prefix = "/api", endpoint = "order_pizzeria", input = Json)]
pub async fn get_order_pizzeria(token: String) -> Result<PizzeriaCard, AppError> {
    context::respond(async { context::orders()?.pizzeria_of_order(&token).await }.await)
}

/// The owner's report on the admin's pizzeria (`/admin/reports`).
#[server(prefix = "/api", endpoint = "report", input = Json)]
pub async fn get_report() -> Result<crate::domain::reports::Report, AppError> {
    context::respond(async { context::orders()?.report(&context::principal()).await }.await)
}

/// The admin's own pizzeria, as customers see it.
#[server(prefix = "/api", endpoint = "pizzeria", input = Json)]
pub async fn get_pizzeria() -> Result<PizzeriaCard, AppError> {
    context::respond(async { context::orders()?.pizzeria(&context::principal()).await }.await)
}

/// An admin sets the currency the pizzeria prices in (a form).
#[server(prefix = "/api", endpoint = "set_pizzeria_currency")]
pub async fn set_pizzeria_currency(currency: String) -> Result<PizzeriaCard, AppError> {
    context::respond(async { context::orders()?.set_pizzeria_currency(&context::principal(), &currency).await }.await)
}

/// An admin sets the pizzeria's address and phone (a form).
#[server(prefix = "/api", endpoint = "set_pizzeria_contact")]
pub async fn set_pizzeria_contact(address: String, phone: String) -> Result<PizzeriaCard, AppError> {
    context::respond(
        async { context::orders()?.set_pizzeria_contact(&context::principal(), &address, &phone).await }.await,
    )
}
