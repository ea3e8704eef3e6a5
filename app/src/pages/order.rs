use super::LiveSnapshot;
use crate::api::get_order_pizzeria;
use crate::components::TopBar;
use crate::components::{ConnectionBadge, LocalTime, OrderLines, PickupTime};
use crate::domain::eta::TIMED_STAGES;
use crate::domain::pizzeria::PizzeriaCard;
use crate::domain::OrderStatus;
use crate::i18n::{opening_hours_text, status_label, t, use_lang};
use crate::live::{Feed, LiveOrders};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// `/orders/:token`: the customer's own order, moving live through its stages. The token in
/// the URL is the customer's only key to it.
#[component]
pub fn OrderPage() -> impl IntoView {
    let token = use_params_map().read_untracked().get("token").unwrap_or_default();
    // Drawn on the server only (outside the island): it does not change while the page is
    // open. Fetched by a resource, which runs as a task of its own, and awaited in a `Suspend`.
    // A `Suspend` that read the database itself would be polled once and then left waiting
    // until the island's suspense resolved, holding a connection: a few pages opened at once
    // then took every connection and waited on each other. And a resource read reactively
    // (`.get()`) beside the island's suspense now and then left a response unfinished.
    let pizzeria = Resource::new(
        {
            let token = token.clone();
            move || token.clone()
        },
        get_order_pizzeria,
    );
    view! {
        <TopBar>""</TopBar>
        <main class="page order-page">
            <OrderTracker token/>
            <Suspense fallback=|| ()>
                {Suspend::new(async move { pizzeria.await.ok().map(|card| view! { <PizzeriaContact card/> }) })}
            </Suspense>
        </main>
    }
}

/// Where to collect the order, whom to call, and when the pizzeria is open: what a customer
/// looks for on the way. What the admin has not set is left out.
#[component]
fn PizzeriaContact(card: PizzeriaCard) -> impl IntoView {
    let lang = use_lang();
    let dial: String = card.phone.chars().filter(|c| c.is_ascii_digit() || *c == '+').collect();
    view! {
        <section class="pizzeria-card" aria-labelledby="pizzeria-name">
            <h2 id="pizzeria-name">{card.name}</h2>
            {(!card.address.is_empty()).then(|| view! { <p class="pizzeria-address">{card.address}</p> })}
            {(!card.phone.is_empty()).then(|| view! {
                <p><a class="pizzeria-phone" href=format!("tel:{dial}")>{lang.text("order-call")}" "{card.phone}</a></p>
            })}
            <p class="pizzeria-hours">{opening_hours_text(card.opening_hours, &card.timezone)}</p>
        </section>
    }
}

/// The page's live part: the order, by the customer's token.
#[island(lazy)]
fn OrderTracker(token: String) -> impl IntoView {
    super::enter_island();
    let feed = Feed::Order(token.clone());
    let token = StoredValue::new(token);
    view! { <LiveSnapshot feed render=move |live| view! { <OrderStatusView live token=token.get_value()/> }/> }
}

#[component]
fn OrderStatusView(live: LiveOrders, token: String) -> impl IntoView {
    refresh_estimate_on_change(live, token);
    let order = move || live.board.with(|board| board.orders().next().cloned());
    let lang = use_lang();
    let currency = crate::i18n::use_currency();
    #[cfg(feature = "hydrate")]
    announce_when_ready(live, lang);
    view! {
        <div class="order-head">
            <h1>{move || lang.text_with("order-title", &[("id", order().map(|order| order.id.to_string()).unwrap_or_default().into())])}</h1>
            <ConnectionBadge live/>
        </div>
        {move || {
            order()
                .map(|order| {
                    let status = order.status;
                    view! {
                        <p class="order-status" data-status=status.as_str() class:ready=status == OrderStatus::Ready>
                            {status_label(status)}
                        </p>
                        // A cancelled order has no progress to show: why it was cancelled instead.
                        {match (status, order.cancel_reason.clone()) {
                            (OrderStatus::Cancelled, Some(reason)) => view! {
                                <p class="cancelled-note">{lang.text_with("order-cancel-reason", &[("reason", reason.into())])}</p>
                            }.into_any(),
                            (OrderStatus::Cancelled, None) => view! { <p class="cancelled-note">{lang.text("order-cancelled")}</p> }.into_any(),
                            _ => view! { <Timeline status/> }.into_any(),
                        }}
                        <ReadyEstimateView live/>
                        <div class="order-actions">
                            {(status.is_open() && status != OrderStatus::Ready).then(|| view! { <NotifyMe/> })}
                            <KeepLink id=order.id/>
                        </div>
                        <section class="order-summary" aria-label=lang.text("order-summary")>
                            <p>{lang.text("order-for")}" "<strong>{order.customer_name.clone()}</strong>{lang.text("order-ordered-at")}" "<LocalTime at=order.created_at/>
                                " · "<PickupTime at=order.pickup_at/></p>
                            <OrderLines order=order.clone() with_prices=true/>
                            <p class="order-total">{lang.text("cart-total")}" "<strong>{currency.show(order.total, lang)}</strong></p>
                        </section>
                    }
                })
        }}
    }
}

/// When the order becomes ready while the page is open, the customer hears of it even if they
/// are looking elsewhere: the tab's title says so, the chime plays, the phone vibrates, and a
/// system notification shows if they allowed it. Not for an order already ready at load.
#[cfg(feature = "hydrate")]
fn announce_when_ready(live: LiveOrders, lang: crate::i18n::Lang) {
    use crate::live::{kiosk, ready_alert};
    let plain_title = document().title();
    Effect::new(move |previous: Option<Option<OrderStatus>>| {
        let order = live.board.with(|board| board.orders().next().map(|order| (order.id, order.status)));
        match order {
            Some((id, OrderStatus::Ready)) => {
                let title = lang.text_with("order-ready-title", &[("id", id.into())]);
                document().set_title(&title);
                let became_ready = matches!(previous, Some(Some(before)) if before != OrderStatus::Ready);
                if became_ready {
                    kiosk::play_chime();
                    ready_alert::vibrate();
                    ready_alert::notify(&title, &lang.text("order-ready-notification"));
                }
            }
            _ => document().set_title(&plain_title),
        }
        order.map(|(_, status)| status)
    });
}

/// "Tell me when it's ready": asks for permission to notify, where the browser can and the
/// customer has not yet been asked. Shown only in the browser, once the page is live.
#[component]
fn NotifyMe() -> impl IntoView {
    let undecided = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| undecided.set(crate::live::ready_alert::notifications_undecided()));
    let ask = move |_| {
        #[cfg(feature = "hydrate")]
        crate::live::ready_alert::ask_for_notifications(move || {
            undecided.set(crate::live::ready_alert::notifications_undecided())
        });
    };
    move || {
        undecided.get().then(|| {
            view! { <button type="button" class="notify-me" on:click=ask>{t("order-notify-me")}</button> }
        })
    }
}

/// "Keep this link": the page's address is the customer's only way back to their order, so it
/// is offered to the phone's share sheet (a message to oneself, say), or copied where there is
/// none. What happened is said next to the button.
#[component]
fn KeepLink(id: i64) -> impl IntoView {
    let said = RwSignal::new(None::<String>);
    let lang = use_lang();
    let keep = move |_| {
        #[cfg(feature = "hydrate")]
        {
            use crate::live::share::{share_or_copy, Kept};
            let url = window().location().href().unwrap_or_default();
            leptos::task::spawn_local(async move {
                let title = lang.text_with("order-title", &[("id", id.into())]);
                let outcome = match share_or_copy(&title, &url).await {
                    Kept::Shared => None,
                    Kept::Copied => Some(lang.text("order-link-copied")),
                    Kept::Unavailable => Some(lang.text("order-link-copy-yourself")),
                };
                said.set(outcome);
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (id, said, lang);
    };
    view! {
        <button type="button" class="keep-link" on:click=keep>{t("order-keep-link")}</button>
        <span class="keep-link-said" role="status">{move || said.get()}</span>
    }
}

/// Each change to the order (its version) asks the server for a fresh estimate from the queue
/// as it is now.
fn refresh_estimate_on_change(live: LiveOrders, token: String) {
    Effect::new(move |previous: Option<Option<i64>>| {
        let version = live.board.with(|board| board.orders().next().map(|order| order.version));
        if previous.is_some_and(|previous| previous != version) {
            let token = token.clone();
            leptos::task::spawn_local(async move {
                if let Ok(snapshot) = crate::api::get_order(token).await {
                    live.estimate.set(snapshot.estimate);
                }
            });
        }
        version
    });
}

/// "Ready at about 19:42, in about 12 min · 2 orders ahead of yours".
#[component]
fn ReadyEstimateView(live: LiveOrders) -> impl IntoView {
    let lang = use_lang();
    let still_to_make = move || {
        live.board.with(|board| board.orders().next().is_some_and(|order| TIMED_STAGES.contains(&order.status)))
    };
    move || {
        live.estimate.get().filter(|_| still_to_make()).map(|estimate| {
            let minutes =
                ((estimate.ready_at.timestamp_millis() as f64 - live.now_ms.get()) / 60_000.0).ceil().max(0.0) as i64;
            let soon = if minutes <= 1 {
                lang.text("order-soon")
            } else {
                lang.text_with("order-in-minutes", &[("minutes", minutes.into())])
            };
            let ahead = lang.text_with("order-ahead", &[("count", estimate.ahead.into())]);
            view! {
                <p class="ready-estimate" role="status" data-ahead=estimate.ahead>
                    {lang.text("order-ready-at")}" "<strong><LocalTime at=estimate.ready_at/></strong>", "{soon}
                    <span class="queue-position">" · "{ahead}</span>
                </p>
            }
        })
    }
}

/// The stages as a row of steps: done, current, to come.
#[component]
fn Timeline(status: OrderStatus) -> impl IntoView {
    let current = OrderStatus::PIPELINE.iter().position(|stage| *stage == status);
    view! {
        <ol class="timeline" aria-label=t("order-progress")>
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
                        // The status is written once, big, above: here each stage is a segment of
                        // the bar, named for screen readers only.
                        <li class=format!("step step-{state}") data-stage=stage.as_str() aria-current=aria_current>
                            <span class="visually-hidden">{status_label(stage)}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}
