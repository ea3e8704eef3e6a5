use super::{LiveSnapshot, SignOutButton};
use crate::api::{set_order_status, AppError};
use crate::components::{ConnectionBadge, ErrorNotice, LocalTime, OrderLines};
use crate::domain::{Order, OrderStatus};
use crate::live::{Feed, LiveOrders};
use crate::shell::TopBar;
use leptos::prelude::*;

/// `/staff`: every open order with a button that moves it to its next stage.
#[component]
pub fn StaffPage() -> impl IntoView {
    view! {
        <TopBar><a href="/kitchen">"Kitchen"</a><SignOutButton/></TopBar>
        <main class="page staff-page">
            <LiveSnapshot feed=Feed::Kitchen render=move |live| view! { <StaffBoard live/> }/>
        </main>
    }
}

#[component]
fn StaffBoard(live: LiveOrders) -> impl IntoView {
    let error = RwSignal::new(None::<AppError>);
    let orders = move || live.board.with(|board| board.open());
    view! {
        <div class="staff-head">
            <h1>"Open orders"</h1>
            <ConnectionBadge live/>
        </div>
        <ErrorNotice error/>
        <Show when=move || !orders().is_empty() fallback=|| view! { <p class="empty">"No open orders."</p> }>
            <ul class="staff-orders">
                <For each=orders key=|order| (order.id, order.version) let:order>
                    <StaffOrder order live error/>
                </For>
            </ul>
        </Show>
    }
}

#[component]
fn StaffOrder(order: Order, live: LiveOrders, error: RwSignal<Option<AppError>>) -> impl IntoView {
    let (id, version, status) = (order.id, order.version, order.status);
    let busy = RwSignal::new(false);
    let move_to = move |to: OrderStatus| {
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match set_order_status(id, to, Some(version)).await {
                Ok(order) => live.board.update(|board| {
                    board.apply(order);
                }),
                Err(err) => {
                    if let AppError::Conflict { current: Some(current), .. } = &err {
                        let current = (**current).clone();
                        live.board.update(|board| {
                            board.apply(current);
                        });
                    }
                    error.set(Some(err));
                }
            }
            busy.set(false);
        });
    };
    let next = status.next();
    view! {
        <li class="staff-order" data-order=id data-status=status.as_str()>
            <div class="staff-order-info">
                <span class="ticket-number">"#"{id}</span>
                <span class="staff-order-name">{order.customer_name.clone()}</span>
                <span class="staff-order-status">{status.label()}</span>
                <span class="staff-order-time">"ordered "<LocalTime at=order.created_at/></span>
                <OrderLines order=order.clone()/>
            </div>
            <div class="staff-order-actions">
                {next.map(|to| view! {
                    <button class="primary advance" type="button" data-to=to.as_str() disabled=move || busy.get()
                        on:click=move |_| move_to(to)>
                        {to.action_label()}
                    </button>
                })}
            </div>
        </li>
    }
}
