//! Kitchen-screen rules: ticket urgency and the all-day counts.

use super::board::OrderBoard;
use super::menu::{Category, Size};
use super::order::OrderStatus;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Settings every kitchen screen takes from the server, so all screens agree.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KitchenSettings {
    /// A ticket older than this turns amber.
    pub warn_after_secs: i64,
    /// A ticket older than this turns red.
    pub late_after_secs: i64,
}

impl Default for KitchenSettings {
    fn default() -> Self {
        KitchenSettings { warn_after_secs: 5 * 60, late_after_secs: 8 * 60 }
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
        const ALL: [OrderStatus; 4] = [OrderStatus::Received, OrderStatus::Preparing, OrderStatus::Baking, OrderStatus::Ready];
        match self {
            Station::All => &ALL,
            Station::Prep => &ALL[..2],
            Station::Oven => &ALL[2..],
            Station::Pass => &ALL[3..],
        }
    }
}

/// Stages whose pizzas are still to be made.
pub const TO_MAKE: [OrderStatus; 2] = [OrderStatus::Received, OrderStatus::Preparing];

/// How many of each pizza and size are still to make, across every open order: the cook's
/// "all day" count. Sorted by pizza name, then size. Drinks and desserts are not made.
pub fn all_day(board: &OrderBoard) -> Vec<(String, Size, u32)> {
    let mut counts: BTreeMap<(String, Size), u32> = BTreeMap::new();
    for order in board.orders().filter(|order| TO_MAKE.contains(&order.status)) {
        for line in order.lines.iter().filter(|line| line.category == Category::Pizza) {
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
    fn urgency_follows_the_server_thresholds() {
        let settings = KitchenSettings { warn_after_secs: 300, late_after_secs: 480 };
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
                lines: vec![OrderLine { category: Category::Drink, ..line("Lemonade", Size::M, 4) }],
                ..fixtures::order(5, OrderStatus::Received, Utc::now())
            },
        ]);
        assert_eq!(
            all_day(&board),
            vec![("Diavola".to_string(), Size::L, 1), ("Margherita".to_string(), Size::M, 3)]
        );
    }
}
