use super::LiveSnapshot;
use crate::components::{ConnectionBadge, LocalTime, OrderLines};
use crate::domain::OrderStatus;
use crate::live::{Feed, LiveOrders};
use crate::shell::TopBar;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// `/orders/:token`: the customer's own order, moving live through its stages. The token in
/// the URL is the customer's only key to it.
#[component]
pub fn OrderPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    view! {
        <TopBar>""</TopBar>
        <main class="page order-page">
            {move || view! { <LiveSnapshot feed=Feed::Order(token()) render=move |live| view! { <OrderStatusView live/> }/> }}
        </main>
    }
}

#[component]
fn OrderStatusView(live: LiveOrders) -> impl IntoView {
    let order = move || live.board.with(|board| board.orders().next().cloned());
    view! {
        <div class="order-head">
            <h1>"Order #"{move || order().map(|order| order.id)}</h1>
            <ConnectionBadge live/>
        </div>
        {move || {
            order()
                .map(|order| {
                    let status = order.status;
                    view! {
                        <p class="order-status" data-status=status.as_str() class:ready=status == OrderStatus::Ready>
                            {status.label()}
                        </p>
                        <Timeline status/>
                        {order.cancel_reason.clone().map(|reason| view! { <p class="cancelled-note">"Reason: "{reason}</p> })}
                        <section class="order-summary" aria-label="Your pizzas">
                            <p>"For "<strong>{order.customer_name.clone()}</strong>", ordered at "<LocalTime at=order.created_at/></p>
                            <OrderLines order=order.clone() with_prices=true/>
                            <p class="order-total">"Total "<strong>{order.total.to_string()}</strong></p>
                        </section>
                    }
                })
        }}
    }
}

/// The stages as a row of steps: done, current, to come.
#[component]
fn Timeline(status: OrderStatus) -> impl IntoView {
    let current = OrderStatus::PIPELINE.iter().position(|stage| *stage == status);
    view! {
        <ol class="timeline" aria-label="Progress">
            {OrderStatus::PIPELINE
                .into_iter()
                .enumerate()
                .map(|(index, stage)| {
                    let state = match current {
                        Some(current) if index < current => "done",
                        Some(current) if index == current => "current",
                        _ => "todo",
                    };
                    let aria_current = (state == "current").then_some("step");
                    view! {
                        <li class=format!("step step-{state}") data-stage=stage.as_str() aria-current=aria_current>
                            {stage.label()}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
        {(status == OrderStatus::Cancelled).then(|| view! { <p class="cancelled-note">"This order was cancelled."</p> })}
    }
}
