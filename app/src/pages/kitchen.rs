use super::LiveSnapshot;
use crate::api::{get_kitchen_settings, AppError};
use crate::components::{format_age, ConnectionBadge, OrderLines, PickupTime, Settled};
use crate::domain::kitchen::{all_day, Station};
use crate::domain::{KitchenSettings, Order, Urgency};
use crate::i18n::{status_label, status_short_label, t, use_lang, Lang};
use crate::live::{Feed, LiveOrders};
use leptos::either::Either;
use leptos::prelude::*;

/// `/kitchen`: the wall screen. Nobody touches it: it updates itself, heals its own link,
/// chimes for new orders and keeps the screen awake.
/// `?station=prep|oven|pass` shows only that station's columns.
#[component]
pub fn KitchenPage() -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    let station = Station::parse(query.read_untracked().get("station").as_deref());
    view! {
        <main class="kitchen" data-station=station.code()>
            <KitchenScreen station/>
        </main>
    }
}

/// The screen's live part: everything below the page's frame.
#[island(lazy)]
fn KitchenScreen(station: Station) -> impl IntoView {
    super::enter_island();
    let settings = Resource::new(|| (), |_| get_kitchen_settings());
    view! { <LiveSnapshot feed=Feed::Kitchen render=move |live| view! { <KitchenBoard live settings station/> }/> }
}

#[component]
fn KitchenBoard(live: LiveOrders, settings: Resource<Result<KitchenSettings, AppError>>, station: Station) -> impl IntoView {
    // The board is `Settled`: the server does not look inside it for loads to wait for. This
    // read makes it wait for the settings, so the first paint already shows each ticket's urgency.
    let _ = settings.get_untracked();
    // A memo, so the tickets' urgency (a few reads per ticket) does not read the resource each time.
    let settings: Signal<KitchenSettings> = Memo::new(move |_| settings.get().and_then(Result::ok).unwrap_or_default()).into();
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
    let crowded = Memo::new(move |_| live.board.with(|board| board.count_in(station.columns()) > CROWDED_AT));
    // Settled, or the server would build every ticket again on each of its passes over the
    // page (the `Show` below is a closure it calls on every pass).
    Settled(view! {
        <header class="kitchen-head">
            <h1>{station_title(station)}</h1>
            <ConnectionBadge live show_age=true/>
        </header>
        <div class="kitchen-layout" class:crowded=move || crowded.get()>
            // Not `<Show>`: its fallback is an erased view, which would link the columns'
            // asynchronous hydration into the bundle (see `loaded_or_refused`).
            {move || if crowded.get() {
                Either::Left(view! { <TileBoard live settings station/> })
            } else {
                Either::Right(view! { <StatusColumns live settings station/> })
            }}
            <AllDay live/>
        </div>
    })
}

/// The station's heading, in the page's language.
fn station_title(station: Station) -> String {
    t(match station {
        Station::All => "kitchen-title-all",
        Station::Prep => "kitchen-title-prep",
        Station::Oven => "kitchen-title-oven",
        Station::Pass => "kitchen-title-pass",
    })
}

/// "▲ waiting" or "■ LATE": said in words too, never by colour alone.
fn urgency_label(lang: Lang, urgency: Urgency) -> Option<String> {
    (urgency != Urgency::OnTime).then(|| lang.text(&format!("kitchen-urgency-{}", urgency.code())))
}

/// Above this many tickets the columns would overflow a 1080p screen: the board switches to
/// compact tiles in one grid, oldest first, each saying its stage.
pub const CROWDED_AT: usize = 16;

/// New / Preparing / In the oven / Ready, oldest first in each.
#[component]
fn StatusColumns(live: LiveOrders, settings: Signal<KitchenSettings>, station: Station) -> impl IntoView {
    view! {
        <div class="kitchen-columns" style=format!("--columns: {}", station.columns().len())>
            {station.columns()
                .iter()
                .copied()
                .map(|status| {
                    let orders = move || live.board.with(|board| board.in_status(status));
                    view! {
                        <section class="kitchen-column" data-column=status.as_str() aria-label=status_label(status)>
                            <h2>{status_label(status)}<span class="count">{move || live.board.with(|board| board.count_in(&[status]))}</span></h2>
                            <For each=orders key=|order| (order.id, order.version) let:order>
                                <Ticket order live settings show_status=false/>
                            </For>
                        </section>
                    }
                })
                .collect_view()}
        </div>
    }
}

/// Every ticket of the station in one grid, oldest first, with the counts per stage on top.
#[component]
fn TileBoard(live: LiveOrders, settings: Signal<KitchenSettings>, station: Station) -> impl IntoView {
    let orders = move || live.board.with(|board| board.in_any(station.columns()));
    view! {
        <section class="kitchen-tiles" aria-label=t("kitchen-tiles-label")>
            <p class="tile-counts">
                {station.columns()
                    .iter()
                    .copied()
                    .map(|status| {
                        let count = move || live.board.with(|board| board.count_in(&[status]));
                        view! { <span class=format!("tile-count status-{}", status.as_str())>{status_label(status)}" "<strong>{count}</strong></span> }
                    })
                    .collect_view()}
            </p>
            <div class="tile-grid">
                <For each=orders key=|order| (order.id, order.version) let:order>
                    <Ticket order live settings show_status=true/>
                </For>
            </div>
        </section>
    }
}

#[component]
fn Ticket(order: Order, live: LiveOrders, settings: Signal<KitchenSettings>, show_status: bool) -> impl IntoView {
    let created_ms = order.created_at.timestamp_millis() as f64;
    let (id, version, status) = (order.id, order.version, order.status);
    let lang = use_lang();
    let age_ms = move || live.now_ms.get() - created_ms;
    let urgency = move || Urgency::of((age_ms() / 1000.0) as i64, settings.get());
    view! {
        <article
            class=move || format!("ticket urgency-{}", urgency().code())
            class:ticket-fresh=move || live.just_arrived(id)
            data-order=id
            data-version=version
            data-status=status.as_str()
            data-urgency=move || urgency().code()
        >
            <header class="ticket-head">
                <span class="ticket-number">"#"{id}</span>
                <span class="ticket-who">
                    {show_status.then(|| view! { <span class=format!("ticket-status status-{}", status.as_str())>{status_short_label(status)}</span> })}
                    <span class="ticket-name">{first_name(&order.customer_name)}</span>
                    <PickupTime at=order.pickup_at/>
                </span>
                <span class="ticket-age">
                    {move || urgency_label(lang, urgency()).map(|label| view! { <span class="urgency-label">{label}" "</span> })}
                    {move || format_age(age_ms())}
                </span>
            </header>
            <OrderLines order/>
        </article>
    }
}

/// The kitchen calls out first names only.
fn first_name(name: &str) -> String {
    name.split_whitespace().next().unwrap_or(name).to_string()
}

/// The pizzas still to make, by pizza and size, across all open orders.
#[component]
fn AllDay(live: LiveOrders) -> impl IntoView {
    let lang = use_lang();
    let counts = move || live.board.with(all_day);
    view! {
        <aside class="all-day" aria-labelledby="all-day-title">
            <h2 id="all-day-title">{t("kitchen-all-day")}</h2>
            <Show when=move || !counts().is_empty() fallback=move || view! { <p class="all-day-empty">{lang.text("kitchen-nothing-to-make")}</p> }>
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
