use super::LiveSnapshot;
use crate::api::{get_kitchen_settings, AppError};
use crate::components::{format_age, ConnectionBadge, OrderLines};
use crate::domain::kitchen::{all_day, Station};
use crate::domain::{KitchenSettings, Order, Urgency};
use crate::live::{Feed, LiveOrders};
use leptos::prelude::*;

/// `/kitchen`: the wall screen. Nobody touches it: it updates itself, heals its own link,
/// chimes for new orders and keeps the screen awake.
/// `?station=prep|oven|pass` shows only that station's columns.
#[component]
pub fn KitchenPage() -> impl IntoView {
    let settings = Resource::new(|| (), |_| get_kitchen_settings());
    let query = leptos_router::hooks::use_query_map();
    let station = Station::parse(query.read_untracked().get("station").as_deref());
    view! {
        <main class="kitchen" data-station=format!("{station:?}").to_lowercase()>
            <LiveSnapshot feed=Feed::Kitchen render=move |live| view! { <KitchenBoard live settings station/> }/>
        </main>
    }
}

#[component]
fn KitchenBoard(live: LiveOrders, settings: Resource<Result<KitchenSettings, AppError>>, station: Station) -> impl IntoView {
    let settings = Signal::derive(move || settings.get().and_then(Result::ok).unwrap_or_default());
    #[cfg(feature = "hydrate")]
    {
        crate::live::kiosk::keep_screen_awake();
        // A chime for each order that arrives while the screen is open (not for the first load).
        Effect::new(move |previous: Option<Option<i64>>| {
            let latest = live.arrivals.with(|arrivals| arrivals.last().map(|(id, _)| *id));
            if previous.is_some() && latest.is_some() && previous != Some(latest) {
                crate::live::kiosk::play_chime();
            }
            latest
        });
    }
    view! {
        <header class="kitchen-head">
            <h1>{station.title()}</h1>
            <ConnectionBadge live show_age=true/>
        </header>
        <div class="kitchen-layout">
            <div class="kitchen-columns" style=format!("--columns: {}", station.columns().len())>
                {station.columns()
                    .iter()
                    .copied()
                    .map(|status| {
                        let orders = move || live.board.with(|board| board.in_status(status));
                        view! {
                            <section class="kitchen-column" data-column=status.as_str() aria-label=status.label()>
                                <h2>{status.label()}<span class="count">{move || orders().len()}</span></h2>
                                <For each=orders key=|order| (order.id, order.version) let:order>
                                    <Ticket order live settings/>
                                </For>
                            </section>
                        }
                    })
                    .collect_view()}
            </div>
            <AllDay live/>
        </div>
    }
}

#[component]
fn Ticket(order: Order, live: LiveOrders, settings: Signal<KitchenSettings>) -> impl IntoView {
    let created_ms = order.created_at.timestamp_millis() as f64;
    let (id, version) = (order.id, order.version);
    let age_ms = move || live.now_ms.get() - created_ms;
    let urgency = move || Urgency::of((age_ms() / 1000.0) as i64, settings.get());
    view! {
        <article
            class=move || format!("ticket urgency-{}", urgency().code())
            class:ticket-fresh=move || live.just_arrived(id)
            data-order=id
            data-version=version
            data-urgency=move || urgency().code()
        >
            <header class="ticket-head">
                <span class="ticket-number">"#"{id}</span>
                <span class="ticket-name">{order.customer_name.clone()}</span>
                <span class="ticket-age">
                    {move || urgency().label().map(|label| view! { <span class="urgency-label">{label}" "</span> })}
                    {move || format_age(age_ms())}
                </span>
            </header>
            <OrderLines order/>
        </article>
    }
}

/// The pizzas still to make, by pizza and size, across all open orders.
#[component]
fn AllDay(live: LiveOrders) -> impl IntoView {
    let counts = move || live.board.with(all_day);
    view! {
        <aside class="all-day" aria-labelledby="all-day-title">
            <h2 id="all-day-title">"All day"</h2>
            <Show when=move || !counts().is_empty() fallback=|| view! { <p class="all-day-empty">"Nothing to make"</p> }>
                <ul>
                    {move || counts()
                        .into_iter()
                        .map(|(name, size, count)| {
                            let item = format!("{name} {}", size.code());
                            view! {
                            <li data-item=item>
                                <span class="all-day-count">{count}</span>
                                " "{name}" "
                                <span class="line-size">{size.code()}</span>
                            </li>
                        }})
                        .collect_view()}
                </ul>
            </Show>
        </aside>
    }
}
