//! Kitchen-screen rules: when a ticket fires, its urgency, and the all-day counts.

use super::auth::ScreenOptions;
use super::board::OrderBoard;
use super::menu::{ItemStation, Size};
use super::order::{Order, OrderStatus};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Settings every kitchen screen takes from the server, so all screens agree.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KitchenSettings {
    /// A ticket older than this turns amber.
    pub warn_after_secs: i64,
    /// A ticket older than this turns red.
    pub late_after_secs: i64,
    /// How long making an order takes: an order for a later pickup fires this long before it.
    pub prep_secs: i64,
    /// When the tickets do not all fit, the wall turns to its next page this often.
    pub page_secs: i64,
    /// The asking screen's own extras (a paired screen's, as its admin set them).
    #[serde(default)]
    pub screen: ScreenOptions,
}

impl Default for KitchenSettings {
    fn default() -> Self {
        KitchenSettings {
            warn_after_secs: 5 * 60,
            late_after_secs: 8 * 60,
            prep_secs: 15 * 60,
            page_secs: 10,
            screen: ScreenOptions::default(),
        }
    }
}

impl KitchenSettings {
    /// When the kitchen should start `order`: at once, or, for a later pickup, the preparation
    /// time before it. Tickets age from here, so a pre-order is not late before it is due.
    pub fn fire_at(&self, order: &Order) -> DateTime<Utc> {
        self.fire_time(order.fire_at, order.pickup_at, order.created_at)
    }

    /// [`KitchenSettings::fire_at`] from an order's stored times: the fire time decided when
    /// it was placed, else (orders placed before that was stored) reckoned from its pickup.
    pub fn fire_time(
        &self,
        decided: Option<DateTime<Utc>>,
        pickup_at: Option<DateTime<Utc>>,
        placed_at: DateTime<Utc>,
    ) -> DateTime<Utc> {
        if let Some(decided) = decided {
            return decided;
        }
        match pickup_at {
            Some(pickup) => (pickup - Duration::seconds(self.prep_secs)).max(placed_at),
            None => placed_at,
        }
    }

    /// Whether `order` waits in the "Later" lane: not started and not yet due.
    pub fn is_held(&self, order: &Order, now: DateTime<Utc>) -> bool {
        order.status == OrderStatus::Received && self.fire_at(order) > now
    }

    /// How long `order` has been due, in seconds (negative before its fire time).
    pub fn age_secs(&self, order: &Order, now: DateTime<Utc>) -> i64 {
        (now - self.fire_at(order)).num_seconds()
    }

    pub fn urgency(&self, order: &Order, now: DateTime<Utc>) -> Urgency {
        Urgency::of(self.age_secs(order, now), *self)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Urgency {
    OnTime,
    Warn,
    Late,
}

impl Urgency {
    pub fn of(age_secs: i64, settings: KitchenSettings) -> Urgency {
        if age_secs >= settings.late_after_secs {
            Urgency::Late
        } else if age_secs >= settings.warn_after_secs {
            Urgency::Warn
        } else {
            Urgency::OnTime
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Urgency::OnTime => "on-time",
            Urgency::Warn => "warn",
            Urgency::Late => "late",
        }
    }
}

/// A part of the kitchen that only needs some of the columns: `/kitchen?station=oven`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Station {
    /// Everything (the default).
    All,
    /// Making pizzas: new and preparing.
    Prep,
    /// The oven: in the oven, then ready.
    Oven,
    /// The counter: ready for pickup.
    Pass,
}

impl Station {
    pub const ALL: [Station; 4] = [Station::All, Station::Prep, Station::Oven, Station::Pass];

    /// Its name in the address (`?station=oven`) and on the page.
    pub fn code(self) -> &'static str {
        match self {
            Station::All => "all",
            Station::Prep => "prep",
            Station::Oven => "oven",
            Station::Pass => "pass",
        }
    }

    /// The station an address names; every column when it names none we know.
    pub fn parse(name: Option<&str>) -> Station {
        Station::ALL.into_iter().find(|station| Some(station.code()) == name).unwrap_or(Station::All)
    }

    pub fn columns(self) -> &'static [OrderStatus] {
        const ALL: [OrderStatus; 4] =
            [OrderStatus::Received, OrderStatus::Preparing, OrderStatus::Baking, OrderStatus::Ready];
        match self {
            Station::All => &ALL,
            Station::Prep => &ALL[..2],
            Station::Oven => &ALL[2..],
            Station::Pass => &ALL[3..],
        }
    }
}

impl Station {
    /// Whether this station's screen shows an item routed to `item`: the whole kitchen shows
    /// everything, the prep line and the oven what the oven line makes, the pass what it adds.
    pub fn makes(self, item: ItemStation) -> bool {
        match self {
            Station::All => true,
            Station::Prep | Station::Oven => item == ItemStation::Oven,
            Station::Pass => item == ItemStation::Pass,
        }
    }

    /// An order as this station's screen shows it: only the lines it makes. `None` on the oven
    /// when it makes none of them. The prep line keeps such an order (drinks only, say), with
    /// nothing listed, so that it is moved along; the pass keeps it to hand it over.
    pub fn ticket(self, order: &Order) -> Option<Order> {
        if self == Station::All {
            return Some(order.clone());
        }
        let lines: Vec<_> = order.lines.iter().filter(|line| self.makes(line.station)).cloned().collect();
        (!lines.is_empty() || self != Station::Oven).then(|| Order { lines, ..order.clone() })
    }

    /// Whether this station makes anything of `order`.
    fn has_work_in(self, order: &Order) -> bool {
        self == Station::All || order.lines.iter().any(|line| self.makes(line.station))
    }

    /// The items whose count the All-day panel keeps: what the oven line makes, on every
    /// screen but the pass's, which counts what it adds.
    fn counts(self) -> ItemStation {
        match self {
            Station::All | Station::Prep | Station::Oven => ItemStation::Oven,
            Station::Pass => ItemStation::Pass,
        }
    }
}

/// A stage's tickets as `station`'s screen shows them: due now, the longest due first.
pub fn due_in(
    board: &OrderBoard,
    station: Station,
    status: OrderStatus,
    settings: &KitchenSettings,
    now: DateTime<Utc>,
) -> Vec<Order> {
    let due = board.in_status(status).into_iter().filter(|order| !settings.is_held(order, now));
    by_fire_time(due.filter_map(|order| station.ticket(&order)).collect(), settings)
}

/// Orders for a later pickup, not yet due, as `station` shows them: the Later lane, the soonest
/// first.
pub fn held_for_later(
    board: &OrderBoard,
    station: Station,
    settings: &KitchenSettings,
    now: DateTime<Utc>,
) -> Vec<Order> {
    let held = board.in_status(OrderStatus::Received).into_iter().filter(|order| settings.is_held(order, now));
    by_fire_time(
        held.filter(|order| station.has_work_in(order)).filter_map(|order| station.ticket(&order)).collect(),
        settings,
    )
}

fn by_fire_time(mut orders: Vec<Order>, settings: &KitchenSettings) -> Vec<Order> {
    orders.sort_by_key(|order| (settings.fire_at(order), order.id));
    orders
}

/// What a bump bar or foot pedal (a USB keypad that types) does on a station's screen: the
/// n-th key advances the oldest ticket of the station's n-th column. `1`–`4` (top row or
/// keypad) and `F1`–`F4` name the columns; a single pedal's `Enter`, `Space` or `PageDown`
/// bumps the first column's oldest ticket.
pub fn bump_column(station: Station, key: &str) -> Option<OrderStatus> {
    let index = match key {
        "1" | "F1" | "Enter" | " " | "PageDown" => 0,
        "2" | "F2" => 1,
        "3" | "F3" => 2,
        "4" | "F4" => 3,
        _ => return None,
    };
    station.columns().get(index).copied()
}

impl Station {
    /// The stages whose items are this station's work still to do: the whole kitchen and the
    /// prep line count what is still to make, the oven what is in it, the pass what it adds
    /// to the orders that are ready.
    pub fn work_to_do(self) -> &'static [OrderStatus] {
        const TO_MAKE: [OrderStatus; 2] = [OrderStatus::Received, OrderStatus::Preparing];
        match self {
            Station::All | Station::Prep => &TO_MAKE,
            Station::Oven => &[OrderStatus::Baking],
            Station::Pass => &[OrderStatus::Ready],
        }
    }
}

/// How many of each item and size `station` has to do now, across the open orders: the
/// cook's "all day" count. Orders held for later are not counted. Sorted by name, then size.
/// The pass counts the drinks and desserts it adds; every other screen what the oven line makes.
pub fn all_day(
    board: &OrderBoard,
    station: Station,
    settings: &KitchenSettings,
    now: DateTime<Utc>,
) -> Vec<(String, Size, u32)> {
    let mut counts: BTreeMap<(String, Size), u32> = BTreeMap::new();
    let to_make = |order: &&Order| station.work_to_do().contains(&order.status) && !settings.is_held(order, now);
    for order in board.orders().filter(to_make) {
        for line in order.lines.iter().filter(|line| line.station == station.counts()) {
            *counts.entry((line.item_name.clone(), line.size)).or_default() += line.quantity;
        }
    }
    counts.into_iter().map(|((name, size), count)| (name, size, count)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::{self, line};
    use crate::domain::menu::Category;
    use crate::domain::order::{Order, OrderLine};
    use chrono::Utc;

    #[test]
    fn stations_show_their_own_columns() {
        assert_eq!(Station::parse(None).columns().len(), 4);
        assert_eq!(Station::parse(Some("oven")).columns(), &[OrderStatus::Baking, OrderStatus::Ready]);
        assert_eq!(Station::parse(Some("prep")).columns(), &[OrderStatus::Received, OrderStatus::Preparing]);
        assert_eq!(Station::parse(Some("pass")).columns(), &[OrderStatus::Ready]);
        assert_eq!(Station::parse(Some("nonsense")), Station::All);
        for station in Station::ALL {
            assert_eq!(Station::parse(Some(station.code())), station, "its code names it");
        }
    }

    #[test]
    fn a_stage_lists_what_is_due_the_longest_due_first_and_holds_orders_for_later() {
        let settings = KitchenSettings { prep_secs: 600, ..KitchenSettings::default() };
        let now = Utc::now();
        let placed_early_for_later = Order {
            pickup_at: Some(now + chrono::Duration::hours(1)),
            ..fixtures::order(1, OrderStatus::Received, now - chrono::Duration::minutes(30))
        };
        let due_soon = Order {
            pickup_at: Some(now + chrono::Duration::minutes(5)),
            ..fixtures::order(2, OrderStatus::Received, now - chrono::Duration::minutes(20))
        };
        let asap = fixtures::order(3, OrderStatus::Received, now - chrono::Duration::minutes(2));
        let board = OrderBoard::from_orders([placed_early_for_later, due_soon, asap]);
        let ids = |orders: Vec<Order>| orders.into_iter().map(|order| order.id).collect::<Vec<_>>();
        // Order 2 fired 5 minutes ago (pickup in 5, 10 to make), before order 3 came in.
        assert_eq!(ids(due_in(&board, Station::All, OrderStatus::Received, &settings, now)), vec![2, 3]);
        assert_eq!(ids(held_for_later(&board, Station::All, &settings, now)), vec![1]);
    }

    #[test]
    fn bump_keys_name_the_stations_own_columns() {
        assert_eq!(bump_column(Station::All, "1"), Some(OrderStatus::Received));
        assert_eq!(bump_column(Station::All, "F4"), Some(OrderStatus::Ready));
        assert_eq!(bump_column(Station::All, "Enter"), Some(OrderStatus::Received));
        assert_eq!(bump_column(Station::Oven, "1"), Some(OrderStatus::Baking));
        assert_eq!(bump_column(Station::Oven, "2"), Some(OrderStatus::Ready));
        assert_eq!(bump_column(Station::Oven, "3"), None);
        assert_eq!(bump_column(Station::Pass, " "), Some(OrderStatus::Ready));
        assert_eq!(bump_column(Station::All, "a"), None);
    }

    #[test]
    fn urgency_follows_the_server_thresholds() {
        let settings = KitchenSettings { warn_after_secs: 300, late_after_secs: 480, ..KitchenSettings::default() };
        assert_eq!(Urgency::of(0, settings), Urgency::OnTime);
        assert_eq!(Urgency::of(299, settings), Urgency::OnTime);
        assert_eq!(Urgency::of(300, settings), Urgency::Warn);
        assert_eq!(Urgency::of(480, settings), Urgency::Late);
    }

    #[test]
    fn all_day_counts_only_what_is_still_to_make() {
        let order = |id, status, lines: Vec<(&str, Size, u32)>| Order {
            lines: lines.into_iter().map(|(name, size, quantity)| line(name, size, quantity)).collect(),
            ..fixtures::order(id, status, Utc::now())
        };
        let board = OrderBoard::from_orders([
            order(1, OrderStatus::Received, vec![("Margherita", Size::M, 2), ("Diavola", Size::L, 1)]),
            order(2, OrderStatus::Preparing, vec![("Margherita", Size::M, 1)]),
            order(3, OrderStatus::Baking, vec![("Margherita", Size::M, 5)]),
            order(4, OrderStatus::Cancelled, vec![("Diavola", Size::L, 9)]),
            Order {
                lines: vec![OrderLine {
                    category: Category::Drink,
                    station: ItemStation::Pass,
                    ..line("Lemonade", Size::M, 4)
                }],
                ..fixtures::order(5, OrderStatus::Received, Utc::now())
            },
            Order {
                lines: vec![
                    line("Diavola", Size::S, 1),
                    OrderLine {
                        category: Category::Dessert,
                        station: ItemStation::Pass,
                        ..line("Tiramisu", Size::M, 2)
                    },
                ],
                ..fixtures::order(6, OrderStatus::Ready, Utc::now())
            },
        ]);
        let settings = KitchenSettings::default();
        assert_eq!(
            all_day(&board, Station::All, &settings, Utc::now()),
            vec![("Diavola".to_string(), Size::L, 1), ("Margherita".to_string(), Size::M, 3)]
        );
        assert_eq!(
            all_day(&board, Station::Prep, &settings, Utc::now()),
            all_day(&board, Station::All, &settings, Utc::now())
        );
        // The oven's own count: what is in it.
        assert_eq!(all_day(&board, Station::Oven, &settings, Utc::now()), vec![("Margherita".to_string(), Size::M, 5)]);
        // The pass counts what it adds to the orders that are ready.
        assert_eq!(all_day(&board, Station::Pass, &settings, Utc::now()), vec![("Tiramisu".to_string(), Size::M, 2)]);
    }

    #[test]
    fn a_station_shows_only_the_items_routed_to_it() {
        let drink = OrderLine { category: Category::Drink, station: ItemStation::Pass, ..line("Lemonade", Size::M, 1) };
        let mixed = Order {
            lines: vec![line("Margherita", Size::M, 1), drink.clone()],
            ..fixtures::order(1, OrderStatus::Ready, Utc::now())
        };
        let pizza_only =
            Order { lines: vec![line("Diavola", Size::L, 1)], ..fixtures::order(2, OrderStatus::Ready, Utc::now()) };
        let drinks_only = Order { lines: vec![drink.clone()], ..fixtures::order(3, OrderStatus::Ready, Utc::now()) };
        let names = |order: Option<Order>| {
            order.map(|order| order.lines.into_iter().map(|line| line.item_name).collect::<Vec<_>>())
        };
        assert_eq!(names(Station::All.ticket(&mixed)), Some(vec!["Margherita".to_string(), "Lemonade".to_string()]));
        assert_eq!(names(Station::Oven.ticket(&mixed)), Some(vec!["Margherita".to_string()]));
        assert_eq!(names(Station::Prep.ticket(&mixed)), Some(vec!["Margherita".to_string()]));
        assert_eq!(names(Station::Pass.ticket(&mixed)), Some(vec!["Lemonade".to_string()]));
        assert_eq!(names(Station::Oven.ticket(&drinks_only)), None, "the oven has nothing to bake");
        assert_eq!(names(Station::Prep.ticket(&drinks_only)), Some(vec![]), "prep moves it along");
        assert_eq!(names(Station::Pass.ticket(&pizza_only)), Some(vec![]), "the pass still hands it over");
        let board = OrderBoard::from_orders([mixed, pizza_only, drinks_only]);
        let settings = KitchenSettings::default();
        let ids = |station| {
            due_in(&board, station, OrderStatus::Ready, &settings, Utc::now())
                .into_iter()
                .map(|order| order.id)
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(Station::Oven), vec![1, 2]);
        assert_eq!(ids(Station::Pass), vec![1, 2, 3]);
    }

    #[test]
    fn a_pre_order_is_held_until_its_fire_time_and_ages_from_then() {
        let settings = KitchenSettings { prep_secs: 15 * 60, ..KitchenSettings::default() };
        let placed = Utc::now();
        let pickup = placed + Duration::hours(2);
        let order = Order { pickup_at: Some(pickup), ..fixtures::order(1, OrderStatus::Received, placed) };
        let fire = pickup - Duration::minutes(15);
        assert_eq!(settings.fire_at(&order), fire);
        assert!(settings.is_held(&order, placed + Duration::minutes(10)));
        assert_eq!(settings.urgency(&order, placed + Duration::minutes(10)), Urgency::OnTime);
        assert!(!settings.is_held(&order, fire));
        assert_eq!(settings.age_secs(&order, fire + Duration::minutes(3)), 180);
        assert_eq!(settings.urgency(&order, fire + Duration::minutes(8)), Urgency::Late);
        // Started early by hand: it is no longer held.
        let started = Order { status: OrderStatus::Preparing, ..order.clone() };
        assert!(!settings.is_held(&started, placed));
        // Held orders are not in the all-day count until they fire.
        let board = OrderBoard::from_orders([Order { lines: vec![line("Margherita", Size::M, 2)], ..order }]);
        assert!(all_day(&board, Station::All, &settings, placed).is_empty());
        assert_eq!(all_day(&board, Station::All, &settings, fire).len(), 1);
    }

    #[test]
    fn a_pickup_sooner_than_the_preparation_time_fires_at_once() {
        let settings = KitchenSettings::default();
        let placed = Utc::now();
        let order = Order {
            pickup_at: Some(placed + Duration::minutes(5)),
            ..fixtures::order(1, OrderStatus::Received, placed)
        };
        assert_eq!(settings.fire_at(&order), placed);
        assert!(!settings.is_held(&order, placed));
    }
}
