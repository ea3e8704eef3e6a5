use super::{LiveSnapshot, SignOutButton};
use crate::api::{change_order_status, get_kitchen_settings, AppError};
use crate::components::TopBar;
use crate::components::{
    ConnectionBadge, ErrorNotice, LocalTime, OrderAge, OrderClock, OrderLines, PickupTime, Settled,
};
use crate::domain::status_change::{MAX_REASON_CHARS, RECALL_WINDOW_SECS, UNDO_WINDOW_SECS};
use crate::domain::{KitchenSettings, Order, OrderBoard, OrderStatus, StatusChange};
use crate::i18n::{status_action_label, status_label, status_short_label, t, use_lang, Lang};
use crate::live::{Feed, LiveOrders};
use leptos::prelude::*;

/// `/staff`: every open order with one button to move it on, cancelling with a reason, undo
/// for a few seconds after each action, and recall of recently collected orders.
#[component]
pub fn StaffPage() -> impl IntoView {
    view! {
        <TopBar><a href="/kitchen">{t("staff-nav-kitchen")}</a><a href="/admin/menu">{t("staff-nav-availability")}</a><SignOutButton/></TopBar>
        <main class="page staff-page">
            <StaffDesk/>
        </main>
    }
}

/// The page's live part: the board and its buttons.
#[island(lazy)]
fn StaffDesk() -> impl IntoView {
    super::enter_island();
    // The kitchen's thresholds: an order is late here when it is late on the wall.
    let settings = Resource::new(|| (), |_| get_kitchen_settings());
    view! { <LiveSnapshot feed=Feed::Kitchen render=move |live| view! { <StaffBoard live settings/> }/> }
}

/// The last thing this member of staff did, which they may undo for a few seconds.
#[derive(Clone, Debug, PartialEq)]
struct LastAction {
    order_id: i64,
    description: String,
    version: i64,
    at_ms: f64,
}

/// The board's shared state: what was done last, what went wrong, which cancel form is open.
#[derive(Clone, Copy)]
struct Desk {
    live: LiveOrders,
    error: RwSignal<Option<AppError>>,
    last_action: RwSignal<Option<LastAction>>,
    cancelling: RwSignal<Option<i64>>,
    busy: RwSignal<bool>,
    /// The page's language, for words made after the page is drawn.
    lang: Lang,
    settings: Signal<KitchenSettings>,
}

impl Desk {
    /// Sends a change; applies the answer (or, on a conflict, the current order) to the board.
    fn act(self, order: &Order, change: StatusChange) {
        let (order_id, version) = (order.id, order.version);
        self.busy.set(true);
        self.error.set(None);
        leptos::task::spawn_local(async move {
            let undoing = change == StatusChange::Undo;
            match change_order_status(order_id, change, Some(version)).await {
                Ok(changed) => {
                    // The translation words the status for the sentence (`staff-now-status`).
                    let status = changed.status.as_str();
                    let description = self.lang.text_with(
                        "staff-now-status",
                        &[("id", order_id.to_string().into()), ("status", status.into())],
                    );
                    self.last_action.set((!undoing).then(|| LastAction {
                        order_id,
                        description,
                        version: changed.version,
                        at_ms: self.live.now_ms.get_untracked(),
                    }));
                    self.cancelling.set(None);
                    self.live.board.update(|board| {
                        board.apply(changed);
                    });
                }
                Err(err) => {
                    if let AppError::Conflict { current: Some(current), .. } = &err {
                        let current = (**current).clone();
                        self.live.board.update(|board| {
                            board.apply(current);
                        });
                    }
                    self.error.set(Some(err));
                }
            }
            self.busy.set(false);
        });
    }
}

#[component]
fn StaffBoard(live: LiveOrders, settings: Resource<Result<KitchenSettings, AppError>>) -> impl IntoView {
    // The board is `Settled`: this read makes the server wait for the settings, so the first
    // paint already shows each order's urgency.
    let _ = settings.get_untracked();
    let settings: Signal<KitchenSettings> =
        Memo::new(move |_| settings.get().and_then(Result::ok).unwrap_or_default()).into();
    let desk = Desk {
        settings,
        live,
        error: RwSignal::new(None),
        last_action: RwSignal::new(None),
        cancelling: RwSignal::new(None),
        busy: RwSignal::new(false),
        lang: use_lang(),
    };
    let lang = desk.lang;
    // What the desk shows: one stage or all, and a search by number or name.
    let stage = RwSignal::new(None::<OrderStatus>);
    let search = RwSignal::new(String::new());
    let orders = move || search.with(|search| live.board.with(|board| board.open_matching(stage.get(), search)));
    let recent = move || {
        let now = live.now_ms.get();
        let mut collected = live.board.with(|board| board.in_status(OrderStatus::Collected));
        collected
            .retain(|order| now - (order.updated_at.timestamp_millis() as f64) < RECALL_WINDOW_SECS as f64 * 1000.0);
        collected.reverse();
        collected
    };
    // Settled (nothing in it loads), or the server would build every order again on each of
    // its passes over the page: the `Show`s below are closures it calls on every pass.
    Settled(view! {
        <div class="staff-head">
            <h1>{t("staff-open-orders")}</h1>
            <ConnectionBadge live/>
        </div>
        <UndoBar desk/>
        <ErrorNotice error=desk.error/>
        <StageFilter live stage search/>
        // Near the top, folded: a collected order to bring back is found without scrolling.
        <Show when=move || !recent().is_empty()>
            <details class="recent">
                <summary id="recent-title">{move || lang.text_with("staff-recent-title", &[("count", recent().len().into())])}</summary>
                <ul class="staff-orders">
                    <For each=recent key=|order| (order.id, order.version) let:order>
                        <li class="staff-order collected" data-order=order.id data-status="collected">
                            <div class="staff-order-info">
                                <span class="ticket-number">"#"{order.id}</span>
                                <span class="staff-order-name">{order.customer_name.clone()}</span>
                                <span class="staff-order-time">{lang.text("staff-collected-at")}" "<LocalTime at=order.updated_at/></span>
                            </div>
                            <button type="button" disabled=move || desk.busy.get()
                                on:click={
                                    let order = order.clone();
                                    move |_| desk.act(&order, StatusChange::Recall)
                                }>{lang.text("staff-recall")}</button>
                        </li>
                    </For>
                </ul>
            </details>
        </Show>
        <Show when=move || live.board.with(OrderBoard::has_open) fallback=move || view! { <p class="empty">{lang.text("staff-no-open-orders")}</p> }>
            <ul class="staff-orders">
                <For each=orders key=|order| (order.id, order.version) let:order>
                    <StaffOrder order desk/>
                </For>
            </ul>
            <Show when=move || orders().is_empty()>
                <p class="empty">{lang.text("staff-none-match")}</p>
            </Show>
        </Show>
    })
}

/// The stages as buttons with their counts ("New 3"), and a search by number or name: in a
/// rush, the one order someone asks about is two taps away.
#[component]
fn StageFilter(live: LiveOrders, stage: RwSignal<Option<OrderStatus>>, search: RwSignal<String>) -> impl IntoView {
    let lang = use_lang();
    let choices = [
        None,
        Some(OrderStatus::Received),
        Some(OrderStatus::Preparing),
        Some(OrderStatus::Baking),
        Some(OrderStatus::Ready),
    ];
    view! {
        <div class="staff-filters">
            <div class="stage-filter" role="group" aria-label=lang.text("staff-filter-label")>
                {choices
                    .into_iter()
                    .map(|choice| {
                        let label = match choice {
                            Some(status) => status_short_label(status),
                            None => lang.text("staff-filter-all"),
                        };
                        let count = move || {
                            live.board.with(|board| match choice {
                                Some(status) => board.count_in(&[status]),
                                None => board.open().len(),
                            })
                        };
                        view! {
                            <button type="button" class="stage-choice" data-stage=choice.map(|status| status.as_str()).unwrap_or("all")
                                aria-pressed=move || (stage.get() == choice).to_string()
                                on:click=move |_| stage.set(choice)>
                                {label}" "<span class="stage-count">{count}</span>
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
            <input type="search" class="staff-search" aria-label=lang.text("staff-search-label")
                placeholder=lang.text("staff-search-placeholder")
                prop:value=move || search.get()
                on:input=move |ev| search.set(event_target_value(&ev))/>
        </div>
    }
}

/// "#12 is now preparing. Undo" for a few seconds after each action.
#[component]
fn UndoBar(desk: Desk) -> impl IntoView {
    let visible = move || {
        desk.last_action.get().filter(|action| desk.live.now_ms.get() - action.at_ms < UNDO_WINDOW_SECS as f64 * 1000.0)
    };
    move || {
        visible().map(|action| {
            let undo = move |_| {
                let current = desk.live.board.with_untracked(|board| board.get(action.order_id).cloned());
                match current {
                    Some(order) if order.version == action.version => desk.act(&order, StatusChange::Undo),
                    _ => desk.error.set(Some(
                        AppError::InvalidTransition { message: "stale undo".into(), text: None }
                            .says("staff-undo-stale", &[]),
                    )),
                }
                desk.last_action.set(None);
            };
            view! {
                <div class="undo-bar" role="status">
                    <span>{action.description.clone()}</span>
                    <button type="button" class="undo" on:click=undo>{desk.lang.text("staff-undo")}</button>
                </div>
            }
        })
    }
}

#[component]
fn StaffOrder(order: Order, desk: Desk) -> impl IntoView {
    let (id, status) = (order.id, order.status);
    let reason = RwSignal::new(String::new());
    let order = StoredValue::new(order);
    let next = status.next();
    let cancelling = move || desk.cancelling.get() == Some(id);
    let lang = desk.lang;
    // Until it is ready, an order ages as its ticket does on the wall.
    let clock = matches!(status, OrderStatus::Received | OrderStatus::Preparing | OrderStatus::Baking)
        .then(|| order.with_value(|o| OrderClock::new(o, desk.live, desk.settings)));
    let urgency = move || clock.map_or("none", |clock| clock.urgency().code());
    view! {
        <li class=move || format!("staff-order urgency-{}", urgency()) data-order=id data-status=status.as_str() data-urgency=urgency>
            <div class="staff-order-info">
                <span class="ticket-number">"#"{id}</span>
                <span class="staff-order-name">{order.with_value(|o| o.customer_name.clone())}</span>
                <span class="staff-order-status">{status_label(status)}</span>
                {clock.map(|clock| view! { <OrderAge clock/> })}
                <span class="staff-order-time">{t("staff-ordered-at")}" "<LocalTime at=order.with_value(|o| o.created_at)/></span>
                <PickupTime at=order.with_value(|o| o.pickup_at)/>
                {order.with_value(|o| o.phone.clone()).map(|phone| view! {
                    <a class="staff-order-phone" href=format!("tel:{}", phone.replace(' ', ""))>{phone.clone()}</a>
                })}
                <OrderLines order=order.get_value()/>
            </div>
            <div class="staff-order-actions">
                {next.map(|to| view! {
                    <button class="primary advance" type="button" data-to=to.as_str() disabled=move || desk.busy.get()
                        on:click=move |_| order.with_value(|o| desk.act(o, StatusChange::MoveTo { status: to }))>
                        {status_action_label(to)}
                    </button>
                })}
                <button type="button" class="cancel" aria-expanded=move || cancelling().to_string()
                    on:click=move |_| desk.cancelling.set(if cancelling() { None } else { Some(id) })>
                    {t("staff-cancel-open")}
                </button>
            </div>
            <Show when=cancelling>
                <form class="cancel-form" on:submit=move |ev: leptos::ev::SubmitEvent| {
                    ev.prevent_default();
                    order.with_value(|o| desk.act(o, StatusChange::Cancel { reason: reason.get_untracked() }));
                }>
                    <label for=format!("reason-{id}")>{lang.text_with("staff-cancel-why", &[("id", id.to_string().into())])}</label>
                    <input id=format!("reason-{id}") required maxlength=MAX_REASON_CHARS
                        prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/>
                    <button type="submit" class="danger">{lang.text("staff-cancel-submit")}</button>
                </form>
            </Show>
        </li>
    }
}
