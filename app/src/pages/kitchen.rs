use super::LiveSnapshot;
use crate::api::{get_kitchen_settings, AppError};
use crate::components::{
    format_local_clock, utc, ConnectionBadge, LocalTime, OrderAge, OrderClock, OrderLines, PickupTime, Settled,
};
use crate::domain::kitchen::{all_day, due_in, held_for_later, Station};
use crate::domain::wall_layout::OffScreen;
use crate::domain::{KitchenSettings, Order};
use crate::i18n::{status_label, t, use_lang};
use crate::live::{Feed, LiveOrders};
use leptos::prelude::*;

/// `/kitchen`: the wall screen. Nobody touches it: it updates itself, heals its own link,
/// chimes for new orders, keeps the screen awake, and fits every ticket on the screen or says
/// how many are on the next page.
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
fn KitchenBoard(
    live: LiveOrders,
    settings: Resource<Result<KitchenSettings, AppError>>,
    station: Station,
) -> impl IntoView {
    // The board is `Settled`: the server does not look inside it for loads to wait for. This
    // read makes it wait for the settings, so the first paint already shows each ticket's urgency.
    let _ = settings.get_untracked();
    // A memo, so the tickets' urgency (a few reads per ticket) does not read the resource each time.
    let settings: Signal<KitchenSettings> =
        Memo::new(move |_| settings.get().and_then(Result::ok).unwrap_or_default()).into();
    let off_screen = RwSignal::new(OffScreen::default());
    let board_ref = NodeRef::<leptos::html::Div>::new();
    #[cfg(feature = "hydrate")]
    {
        crate::live::kiosk::keep_screen_awake();
        chime_when_due(live, settings, station);
        bump_with_keys(live, settings, station);
        crate::live::wall::keep_laid_out(board_ref, live, settings, off_screen);
    }
    let lang = use_lang();
    // Shown after about two missed heartbeats, so a blip of a reconnect does not flash it.
    let started_ms = live.now_ms.get_untracked();
    let stale_since = Memo::new(move |_| {
        let heard = live.last_heard_ms.get().unwrap_or(started_ms);
        (live.now_ms.get() - heard >= 2.0 * live.heartbeat_ms.get()).then_some(heard)
    });
    // Settled, or the server would build every ticket again on each of its passes over the page.
    Settled(view! {
        <div class="kitchen-wall" class:stale=move || stale_since.get().is_some()>
            {move || stale_since.get().map(|since| view! {
                <p class="wall-stale" role="alert">
                    {lang.text_with("kitchen-stale", &[("time", format_local_clock(since).into())])}
                </p>
            })}
            <header class="kitchen-head">
                <h1>{station_title(station)}</h1>
                <OffScreenCounter off_screen/>
                <ConnectionBadge live show_age=true/>
            </header>
            <div class="kitchen-layout">
                <StatusColumns live settings station board_ref/>
                <aside class="kitchen-side">
                    <AllDay live settings station/>
                    <LaterLane live settings station/>
                </aside>
            </div>
        </div>
    })
}

/// "+15 more · page 2/3", large, whenever some tickets are not on the screen.
#[component]
fn OffScreenCounter(off_screen: RwSignal<OffScreen>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <p class="wall-more" role="status" data-hidden=move || off_screen.get().hidden>
            {move || {
                let OffScreen { hidden, page, pages } = off_screen.get();
                (hidden > 0).then(|| {
                    lang.text_with(
                        "kitchen-more",
                        &[("count", hidden.into()), ("page", page.into()), ("pages", pages.into())],
                    )
                })
            }}
        </p>
    }
}

/// The chime for each of this station's tickets that becomes due while the screen is open: a new order, or an
/// order for later reaching its fire time. Not for what the screen loaded with, nor again for
/// an order sent back to New.
#[cfg(feature = "hydrate")]
fn chime_when_due(live: LiveOrders, settings: Signal<KitchenSettings>, station: Station) {
    use crate::domain::OrderStatus;
    use std::collections::BTreeSet;
    let lang = use_lang();
    let due = Memo::new(move |_| {
        let now = utc(live.now_ms.get());
        let settings = settings.get();
        live.board.with(|board| {
            due_in(board, station, OrderStatus::Received, &settings, now)
                .into_iter()
                .map(|order| order.id)
                .collect::<BTreeSet<i64>>()
        })
    });
    Effect::new(move |seen: Option<BTreeSet<i64>>| {
        let due = due.get();
        let Some(mut seen) = seen else { return due };
        let fresh: Vec<i64> = due.difference(&seen).copied().collect();
        if !fresh.is_empty() {
            crate::live::kiosk::play_chime();
            if settings.get_untracked().screen.announce {
                live.board.with_untracked(|board| {
                    for order in fresh.iter().filter_map(|id| board.get(*id)).filter_map(|order| station.ticket(order))
                    {
                        crate::live::kiosk::speak(&announcement(lang, &order), lang.code());
                    }
                });
            }
            let now = live.now_ms.get_untracked();
            live.arrivals.update(|arrivals| {
                for id in &fresh {
                    if !arrivals.iter().any(|(arrived, _)| arrived == id) {
                        arrivals.push((*id, now));
                    }
                }
            });
        }
        seen.extend(fresh);
        seen
    });
}

/// What the screen says aloud for a new order: "Order 42: 2 Large Diavola, 1 Medium Margherita".
#[cfg(any(feature = "hydrate", test))]
fn announcement(lang: crate::locale::Lang, order: &Order) -> String {
    use crate::domain::Category;
    let items: Vec<String> = order
        .lines
        .iter()
        .map(|line| {
            let count = ("count", line.quantity.into());
            let name = ("name", line.item_name.clone().into());
            if line.category == Category::Pizza {
                let size = lang.text(&format!("size-{}", line.size.code()));
                lang.text_with("kitchen-announce-sized", &[count, ("size", size.into()), name])
            } else {
                lang.text_with("kitchen-announce-item", &[count, name])
            }
        })
        .collect();
    lang.text_with("kitchen-announce", &[("number", order.id.into()), ("items", items.join(", ").into())])
}

/// A bump bar or foot pedal, when an admin turned it on for this screen: each key moves the
/// oldest ticket of one column a step along (`bump_column` has the key map). The screen itself
/// is still never touched.
#[cfg(feature = "hydrate")]
fn bump_with_keys(live: LiveOrders, settings: Signal<KitchenSettings>, station: Station) {
    use crate::domain::kitchen::bump_column;
    let handle = window_event_listener(leptos::ev::keydown, move |event| {
        let settings = settings.get_untracked();
        if !settings.screen.bump_bar || event.repeat() {
            return;
        }
        let Some(status) = bump_column(station, &event.key()) else { return };
        event.prevent_default();
        let now = utc(live.now_ms.get_untracked());
        let oldest =
            live.board.with_untracked(|board| due_in(board, station, status, &settings, now).into_iter().next());
        let Some((order, next)) = oldest.and_then(|order| order.status.next().map(|next| (order, next))) else {
            return;
        };
        leptos::task::spawn_local(async move {
            // A refusal (someone moved it first) changes nothing: the live channel shows what is.
            if let Ok(moved) = crate::api::set_order_status(order.id, next, Some(order.version), None).await {
                live.board.update(|board| {
                    board.apply(moved);
                });
            }
        });
    });
    on_cleanup(move || handle.remove());
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

/// New / Preparing / In the oven / Ready, the longest due first in each. Where each ticket
/// goes on the screen is the layout's business (`live::wall`): here they are only listed.
#[component]
fn StatusColumns(
    live: LiveOrders,
    settings: Signal<KitchenSettings>,
    station: Station,
    board_ref: NodeRef<leptos::html::Div>,
) -> impl IntoView {
    view! {
        <div class="kitchen-columns" data-columns=station.columns().len() node_ref=board_ref>
            {station.columns()
                .iter()
                .copied()
                .map(|status| {
                    let orders = move || {
                        let now = utc(live.now_ms.get());
                        live.board.with(|board| due_in(board, station, status, &settings.get(), now))
                    };
                    let count = move || orders().len();
                    view! {
                        <section class="kitchen-column" data-column=status.as_str() aria-label=status_label(status)>
                            <h2>{status_label(status)}<span class="count">{count}</span></h2>
                            <div class="stage-tickets">
                                <For each=orders key=|order| (order.id, order.version) let:order>
                                    <Ticket order live settings/>
                                </For>
                            </div>
                        </section>
                    }
                })
                .collect_view()}
        </div>
    }
}

#[component]
fn Ticket(order: Order, live: LiveOrders, settings: Signal<KitchenSettings>) -> impl IntoView {
    let (id, version, status) = (order.id, order.version, order.status);
    // Its clock: due since its fire time, which the server's settings decide.
    let clock = OrderClock::new(&order, live, settings);
    let urgency = move || clock.urgency();
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
                    <span class="ticket-name">{first_name(&order.customer_name)}</span>
                    <PickupTime at=order.pickup_at/>
                </span>
                <OrderAge clock/>
            </header>
            <OrderLines order/>
        </article>
    }
}

/// The kitchen calls out first names only.
fn first_name(name: &str) -> String {
    name.split_whitespace().next().unwrap_or(name).to_string()
}

/// The pizzas to make now, by pizza and size, across the station's open orders.
#[component]
fn AllDay(live: LiveOrders, settings: Signal<KitchenSettings>, station: Station) -> impl IntoView {
    let lang = use_lang();
    let counts = move || {
        let now = utc(live.now_ms.get());
        live.board.with(|board| all_day(board, station, &settings.get(), now))
    };
    view! {
        <section class="all-day" aria-labelledby="all-day-title">
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
                                <span class="all-day-name">{name}" "<span class="line-size">{size.code()}</span></span>
                            </li>
                        }})
                        .collect_view()}
                </ul>
            </Show>
        </section>
    }
}

/// At most this many orders for later are listed; the lane's count covers the rest.
const LATER_LISTED: usize = 6;

/// Orders for a later pickup, waiting for their fire time: number, name, pickup, items.
#[component]
fn LaterLane(live: LiveOrders, settings: Signal<KitchenSettings>, station: Station) -> impl IntoView {
    let lang = use_lang();
    let orders = Memo::new(move |_| {
        let now = utc(live.now_ms.get());
        live.board.with(|board| held_for_later(board, station, &settings.get(), now))
    });
    view! {
        <section class="later" aria-labelledby="later-title" data-count=move || orders.with(Vec::len)>
            <h2 id="later-title">{t("kitchen-later")}<span class="count">{move || orders.with(Vec::len)}</span></h2>
            <ul>
                {move || orders.get()
                    .into_iter()
                    .take(LATER_LISTED)
                    .map(|order| {
                        let items: u32 = order.lines.iter().map(|line| line.quantity).sum();
                        view! {
                            <li class="later-order" data-order=order.id>
                                <span class="later-number">"#"{order.id}</span>
                                <span class="later-name">{first_name(&order.customer_name)}</span>
                                {order.pickup_at.map(|at| view! { <span class="later-pickup"><LocalTime at/></span> })}
                                <span class="later-items">{lang.text_with("kitchen-later-items", &[("count", items.into())])}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            {move || {
                let more = orders.with(Vec::len).saturating_sub(LATER_LISTED);
                (more > 0).then(|| view! { <p class="later-more">{lang.text_with("kitchen-later-more", &[("count", more.into())])}</p> })
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::{self, line};
    use crate::domain::{Category, OrderLine, OrderStatus, Size};
    use crate::locale::Lang;
    use chrono::Utc;

    #[test]
    fn a_new_order_is_announced_with_quantities_sizes_and_names() {
        let order = Order {
            lines: vec![
                line("Diavola", Size::L, 2),
                line("Margherita", Size::M, 1),
                OrderLine { category: Category::Drink, ..line("Lemonade", Size::M, 1) },
            ],
            ..fixtures::order(42, OrderStatus::Received, Utc::now())
        };
        assert_eq!(announcement(Lang::En, &order), "Order 42: 2 Large Diavola, 1 Medium Margherita, 1 Lemonade");
        assert_eq!(announcement(Lang::Fr, &order), "Commande 42 : 2 Diavola Grande, 1 Margherita Moyenne, 1 Lemonade");
    }
}
