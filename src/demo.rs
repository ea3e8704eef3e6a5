//! The demo's steady trickle of simulated customers and staff, so that a newcomer who runs
//! `scripts/demo.sh` sees `/`, `/kitchen` and `/staff` move at once. Off unless
//! `--demo-trickle-secs` is set; only the demo script sets it.
//!
//! It goes through the same service as real callers: every order is validated, priced, logged
//! and broadcast like any other.

use app::api::SharedOrderService;
use app::domain::{
    Category, LineRequest, LocationId, Menu, OrderRequest, OrderStatus, Principal, Role, Size, StatusChange,
};
use rand::seq::IndexedRandom;
use rand::Rng;
use std::time::Duration;
use tokio::sync::watch;

/// The kitchen in the demo keeps about this many orders open: new ones come while fewer are.
const BUSY_AT: usize = 14;

const NAMES: &[&str] =
    &["Giulia", "Marco", "Ada", "Grace", "Linus", "Sofia", "Luca", "Emma", "Noah", "Chiara", "Hugo", "Léa"];
const NOTES: &[&str] = &["Well done, please", "Cut in 8", "Extra crispy", "No rush"];

/// Starts the trickle: one step every `every` (with jitter), until shutdown.
pub fn spawn_trickle(
    service: SharedOrderService,
    location: LocationId,
    every: Duration,
    mut shutdown: watch::Receiver<bool>,
) {
    let staff =
        Principal::User { user_id: 0, username: "demo".to_string(), role: Role::Staff, location_id: location.0 };
    tokio::spawn(async move {
        tracing::info!(every_secs = every.as_secs_f64(), "demo trickle on: simulated orders and staff steps");
        loop {
            let pause = every.mul_f64(rand::rng().random_range(0.5..1.5));
            tokio::select! {
                _ = tokio::time::sleep(pause) => {}
                _ = shutdown.changed() => return,
            }
            if let Err(err) = step(&service, location, &staff).await {
                tracing::warn!(%err, "demo trickle step failed");
            }
        }
    });
}

/// One step: a new order while the kitchen is not busy, then one order moved along.
async fn step(service: &SharedOrderService, location: LocationId, staff: &Principal) -> Result<(), app::api::AppError> {
    let open = service.open_orders(staff).await?.orders;
    let busy = open.iter().filter(|order| order.status.is_open()).count() >= BUSY_AT;
    if !busy || rand::rng().random_bool(0.3) {
        let menu = service.menu(location).await?;
        if let Some(request) = random_order(&menu) {
            service.place_order(&Principal::Anonymous, Default::default(), location, request).await?;
        }
    }
    // The oldest orders move first, as in a real kitchen, with some randomness.
    let mut movable: Vec<_> = open.iter().filter(|order| order.status.next().is_some()).collect();
    movable.sort_by_key(|order| order.updated_at);
    let pick = movable.len().min(3);
    if pick > 0 {
        let order = movable[rand::rng().random_range(0..pick)];
        if let Some(status) = order.status.next() {
            // Ready orders are collected a little later than the rest move.
            if status != OrderStatus::Collected || rand::rng().random_bool(0.5) {
                service.change_status(staff, order.id, StatusChange::MoveTo { status }, Some(order.version)).await?;
            }
        }
    }
    Ok(())
}

fn random_order(menu: &Menu) -> Option<OrderRequest> {
    let mut rng = rand::rng();
    let available: Vec<_> = menu.items.iter().filter(|item| item.available).collect();
    let pizzas: Vec<_> = available.iter().filter(|item| item.category == Category::Pizza).collect();
    let toppings: Vec<_> = menu.toppings.iter().filter(|topping| topping.available).collect();
    let mut lines = Vec::new();
    for _ in 0..rng.random_range(1..=3) {
        let pizza = pizzas.choose(&mut rng)?;
        let add = if rng.random_bool(0.3) {
            toppings.choose(&mut rng).map(|topping| vec![topping.id]).unwrap_or_default()
        } else {
            vec![]
        };
        let remove = if rng.random_bool(0.2) {
            pizza.ingredients.choose(&mut rng).cloned().into_iter().collect()
        } else {
            vec![]
        };
        let notes = if rng.random_bool(0.15) {
            NOTES.choose(&mut rng).map(|note| note.to_string()).unwrap_or_default()
        } else {
            String::new()
        };
        lines.push(LineRequest {
            item_id: pizza.id,
            size: *Size::ALL.choose(&mut rng)?,
            quantity: rng.random_range(1..=2),
            add,
            remove,
            notes,
        });
    }
    if let Some(other) =
        available.iter().filter(|item| item.category != Category::Pizza).collect::<Vec<_>>().choose(&mut rng)
    {
        if rng.random_bool(0.5) {
            lines.push(LineRequest {
                item_id: other.id,
                size: Size::M,
                quantity: 1,
                add: vec![],
                remove: vec![],
                notes: String::new(),
            });
        }
    }
    // Merge repeated lines: the same pizza twice is one line of two.
    lines.dedup_by(|a, b| {
        a.item_id == b.item_id && a.size == b.size && a.add == b.add && a.remove == b.remove && a.notes == b.notes
    });
    let name = NAMES.choose(&mut rng)?.to_string();
    Some(OrderRequest {
        customer_name: name,
        lines,
        phone: String::new(),
        pickup_at: None,
        notes: String::new(),
        idempotency_key: None,
    })
}
