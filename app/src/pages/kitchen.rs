use super::LiveSnapshot;
use crate::components::{format_age, ConnectionBadge, OrderLines};
use crate::domain::{Order, OrderStatus};
use crate::live::{Feed, LiveOrders};
use leptos::prelude::*;

/// The kitchen's columns, left to right.
pub const KITCHEN_COLUMNS: [OrderStatus; 4] =
    [OrderStatus::Received, OrderStatus::Preparing, OrderStatus::Baking, OrderStatus::Ready];

/// `/kitchen`: the wall screen. Nobody touches it: it updates itself and heals its own link.
#[component]
pub fn KitchenPage() -> impl IntoView {
    view! {
        <main class="kitchen">
            <LiveSnapshot feed=Feed::Kitchen render=move |live| view! { <KitchenBoard live/> }/>
        </main>
    }
}

#[component]
fn KitchenBoard(live: LiveOrders) -> impl IntoView {
    view! {
        <header class="kitchen-head">
            <h1>"Kitchen"</h1>
            <ConnectionBadge live show_age=true/>
        </header>
        <div class="kitchen-columns">
            {KITCHEN_COLUMNS
                .into_iter()
                .map(|status| {
                    let orders = move || live.board.with(|board| board.in_status(status));
                    view! {
                        <section class="kitchen-column" data-column=status.as_str() aria-label=status.label()>
                            <h2>{status.label()}<span class="count">{move || orders().len()}</span></h2>
                            <For each=orders key=|order| (order.id, order.version) let:order>
                                <Ticket order now_ms=live.now_ms/>
                            </For>
                        </section>
                    }
                })
                .collect_view()}
        </div>
    }
}

#[component]
fn Ticket(order: Order, now_ms: RwSignal<f64>) -> impl IntoView {
    let created_ms = order.created_at.timestamp_millis() as f64;
    let (id, version) = (order.id, order.version);
    view! {
        <article class="ticket" data-order=id data-version=version>
            <header class="ticket-head">
                <span class="ticket-number">"#"{id}</span>
                <span class="ticket-name">{order.customer_name.clone()}</span>
                <span class="ticket-age">{move || format_age(now_ms.get() - created_ms)}</span>
            </header>
            <OrderLines order/>
        </article>
    }
}
