//! The kitchen wall's layout in the browser: measure every ticket, let
//! `domain::wall_layout` decide, then place the tickets.
//!
//! Positions go through the CSSOM (`element.style`), which the strict CSP allows, unlike style
//! attributes. It all happens in one animation frame, so no half-laid-out wall is ever painted.

use crate::domain::wall_layout::{Lane, Measured, OffScreen, WallLayout};
use crate::domain::KitchenSettings;
use crate::live::LiveOrders;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

/// The narrowest a lane may be at each density, loosest first. The CSS sets each density's
/// type (`.kitchen-columns[data-density]`); the tightest keeps order numbers at 40 px and item
/// lines at 22 px, readable from across a kitchen.
const MIN_LANE_WIDTH: [f64; 3] = [380.0, 300.0, 250.0];

/// Space between lanes and between tickets, in px.
const GAP: f64 = 12.0;

/// A stage with no ticket keeps only its heading, this wide: its lanes go to the busy ones.
const EMPTY_STAGE_WIDTH: f64 = 220.0;

/// Lays the wall out now, again after every change of what it lists and every clock tick
/// (urgency, page turns), and whenever the window changes size.
pub fn keep_laid_out(
    columns: NodeRef<leptos::html::Div>,
    live: LiveOrders,
    settings: Signal<KitchenSettings>,
    off_screen: RwSignal<OffScreen>,
) {
    let turn = move || {
        let page_ms = settings.get().page_secs.max(1) as f64 * 1000.0;
        (live.now_ms.get() / page_ms) as usize
    };
    let schedule = move |turn: usize| {
        let run = move || {
            if let Some(element) = columns.get_untracked() {
                let found = lay_out(&element, turn);
                if off_screen.get_untracked() != found {
                    off_screen.set(found);
                }
            }
        };
        // On the next frame, once the listed tickets are in the page, so no frame shows them
        // unplaced; and soon after in any case, since a browser pauses frames for a page it
        // does not show. Laying out twice is harmless: the same turn gives the same places.
        request_animation_frame(run);
        set_timeout(run, std::time::Duration::from_millis(100));
    };
    Effect::new(move |_| {
        live.board.track();
        let _ = columns.get();
        schedule(turn());
    });
    let resized = window_event_listener(leptos::ev::resize, move |_| schedule(turn()));
    on_cleanup(move || resized.remove());
}

/// The elements under `parent` matching `selector`, in document order.
fn all(parent: &Element, selector: &str) -> Vec<HtmlElement> {
    let Ok(found) = parent.query_selector_all(selector) else { return Vec::new() };
    (0..found.length())
        .filter_map(|index| found.item(index))
        .filter_map(|node| node.dyn_into::<HtmlElement>().ok())
        .collect()
}

fn set_px(element: &HtmlElement, property: &str, value: f64) {
    let _ = element.style().set_property(property, &format!("{value}px"));
}

/// Measures and places every ticket under `columns` for page turn `turn`.
fn lay_out(columns: &HtmlElement, turn: usize) -> OffScreen {
    let stages = all(columns, ".kitchen-column");
    let tickets: Vec<Vec<HtmlElement>> = stages.iter().map(|stage| all(stage, ".ticket")).collect();
    let Some(area) = stages.first().and_then(|stage| all(stage, ".stage-tickets").into_iter().next()) else {
        return OffScreen::default();
    };
    let _ = columns.set_attribute("data-laid-out", "");
    set_px(columns, "column-gap", GAP);
    // Stages with tickets share the lanes; an empty one keeps only its heading (unless every
    // stage is empty: then they share the screen as usual).
    // Not on a screen so small that the busy stages would be left less than a lane each.
    let busy: Vec<bool> = tickets.iter().map(|stage| !stage.is_empty()).collect();
    let full_width = f64::from(columns.client_width());
    let empty = busy.iter().filter(|busy| !**busy).count();
    let room_left = full_width - empty as f64 * (EMPTY_STAGE_WIDTH + GAP);
    let tightest = MIN_LANE_WIDTH[MIN_LANE_WIDTH.len() - 1];
    let narrow =
        if empty < busy.len() && room_left >= (busy.len() - empty) as f64 * (tightest + GAP) { empty } else { 0 };
    let width = full_width - narrow as f64 * (EMPTY_STAGE_WIDTH + GAP);
    let sharing = stages.len() - narrow;

    // The loosest density at which everything fits, else the tightest, paged.
    let mut chosen = None;
    for (density, min_width) in MIN_LANE_WIDTH.iter().enumerate() {
        let _ = columns.set_attribute("data-density", &density.to_string());
        let lanes = (((width + GAP) / (min_width + GAP)).floor() as usize).max(sharing).max(1);
        let lane_width = ((width - GAP * (lanes as f64 - 1.0)) / lanes as f64).floor();
        for ticket in tickets.iter().flatten() {
            set_px(ticket, "width", lane_width);
        }
        // Reading sizes makes the browser lay the page out at this density.
        let lane = Lane { height: f64::from(area.client_height()), gap: GAP };
        let measured: Vec<Vec<Measured>> = tickets
            .iter()
            .zip(&busy)
            .filter(|(_, busy)| **busy || narrow == 0)
            .map(|(stage, _)| measure(stage))
            .collect();
        let layout = WallLayout::plan(&measured, lanes, lane);
        if layout.fits() || density + 1 == MIN_LANE_WIDTH.len() {
            chosen = Some((layout, lane_width));
            break;
        }
    }
    let Some((layout, lane_width)) = chosen else { return OffScreen::default() };

    let mut shared = layout.lanes.iter();
    let template: Vec<String> = busy
        .iter()
        .map(|busy| match (busy, narrow) {
            (false, 1..) => EMPTY_STAGE_WIDTH,
            _ => {
                let lanes = shared.next().copied().unwrap_or(1) as f64;
                lanes * lane_width + (lanes - 1.0).max(0.0) * GAP
            }
        })
        .map(|width| format!("{width}px"))
        .collect();
    let _ = columns.style().set_property("grid-template-columns", &template.join(" "));
    let mut shown = 0;
    let laid_out = tickets.iter().filter(|stage| !stage.is_empty() || narrow == 0);
    for (stage, pages) in laid_out.zip(&layout.stages) {
        let page = pages.page(turn);
        for ticket in stage {
            match page.iter().find(|placed| Some(placed.id) == ticket_id(ticket)) {
                Some(placed) => {
                    shown += 1;
                    let _ = ticket.set_attribute("data-placed", "");
                    set_px(ticket, "left", placed.lane as f64 * (lane_width + GAP));
                    set_px(ticket, "top", placed.top);
                }
                None => {
                    let _ = ticket.remove_attribute("data-placed");
                }
            }
        }
    }
    let total: usize = tickets.iter().map(Vec::len).sum();
    let pages = layout.page_count();
    OffScreen { hidden: total - shown, page: turn % pages + 1, pages }
}

fn ticket_id(ticket: &HtmlElement) -> Option<i64> {
    ticket.get_attribute("data-order")?.parse().ok()
}

/// A stage's tickets as laid out now. Pinned: its oldest, its late ones, and one that just
/// arrived (while it is highlighted, so the chime is never for a ticket on another page).
fn measure(stage: &[HtmlElement]) -> Vec<Measured> {
    stage
        .iter()
        .enumerate()
        .filter_map(|(index, ticket)| {
            let late = ticket.get_attribute("data-urgency").as_deref() == Some("late");
            let fresh = ticket.class_name().split_whitespace().any(|class| class == "ticket-fresh");
            Some(Measured {
                id: ticket_id(ticket)?,
                height: ticket.get_bounding_client_rect().height().ceil(),
                pin: if index == 0 {
                    Some(0)
                } else if fresh {
                    Some(1)
                } else if late {
                    Some(2)
                } else {
                    None
                },
            })
        })
        .collect()
}
