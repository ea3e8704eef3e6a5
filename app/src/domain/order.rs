use super::menu::{Menu, Size};
use super::money::Cents;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Where an order is in its life. The only moves allowed are those of [`OrderStatus::can_become`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    Received,
    Preparing,
    Baking,
    Ready,
    Collected,
    Cancelled,
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 6] = [
        OrderStatus::Received,
        OrderStatus::Preparing,
        OrderStatus::Baking,
        OrderStatus::Ready,
        OrderStatus::Collected,
        OrderStatus::Cancelled,
    ];
    /// The stages an order goes through when all goes well, in order.
    pub const PIPELINE: [OrderStatus; 5] = [
        OrderStatus::Received,
        OrderStatus::Preparing,
        OrderStatus::Baking,
        OrderStatus::Ready,
        OrderStatus::Collected,
    ];

    /// The next stage on the happy path, if any.
    pub fn next(self) -> Option<OrderStatus> {
        match self {
            OrderStatus::Received => Some(OrderStatus::Preparing),
            OrderStatus::Preparing => Some(OrderStatus::Baking),
            OrderStatus::Baking => Some(OrderStatus::Ready),
            OrderStatus::Ready => Some(OrderStatus::Collected),
            OrderStatus::Collected | OrderStatus::Cancelled => None,
        }
    }

    /// One step forward, or cancellation from any stage before collection.
    pub fn can_become(self, to: OrderStatus) -> bool {
        self.next() == Some(to) || (to == OrderStatus::Cancelled && self.is_open())
    }

    /// Open orders are the ones the kitchen and the counter still have to deal with.
    pub fn is_open(self) -> bool {
        !matches!(self, OrderStatus::Collected | OrderStatus::Cancelled)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Received => "received",
            OrderStatus::Preparing => "preparing",
            OrderStatus::Baking => "baking",
            OrderStatus::Ready => "ready",
            OrderStatus::Collected => "collected",
            OrderStatus::Cancelled => "cancelled",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            OrderStatus::Received => "Received",
            OrderStatus::Preparing => "Preparing",
            OrderStatus::Baking => "In the oven",
            OrderStatus::Ready => "Ready for pickup",
            OrderStatus::Collected => "Collected",
            OrderStatus::Cancelled => "Cancelled",
        }
    }

    /// The words on the button that moves an order to this stage.
    pub fn action_label(self) -> &'static str {
        match self {
            OrderStatus::Received => "Receive",
            OrderStatus::Preparing => "Start preparing",
            OrderStatus::Baking => "Into the oven",
            OrderStatus::Ready => "Mark ready",
            OrderStatus::Collected => "Hand over",
            OrderStatus::Cancelled => "Cancel",
        }
    }
}

impl fmt::Display for OrderStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for OrderStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        OrderStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == s)
            .ok_or_else(|| format!("unknown order status {s:?}"))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("an order that is {from} cannot become {to}")]
pub struct TransitionError {
    pub from: OrderStatus,
    pub to: OrderStatus,
}

impl OrderStatus {
    pub fn transition_to(self, to: OrderStatus) -> Result<OrderStatus, TransitionError> {
        if self.can_become(to) {
            Ok(to)
        } else {
            Err(TransitionError { from: self, to })
        }
    }
}

/// One line of a placed order, priced by the server at the time of ordering.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderLine {
    pub item_id: i64,
    /// The name as it was on the menu when ordered: later menu edits don't rewrite history.
    pub item_name: String,
    pub size: Size,
    pub quantity: u32,
    pub unit_price: Cents,
}

impl OrderLine {
    pub fn total(&self) -> Cents {
        self.unit_price.times(self.quantity)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    pub id: i64,
    pub location_id: i64,
    pub customer_name: String,
    pub status: OrderStatus,
    /// Goes up by one on every change. Clients keep the highest version they have seen.
    pub version: i64,
    pub lines: Vec<OrderLine>,
    pub total: Cents,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The status before the last change, while that change can still be undone or recalled.
    #[serde(default)]
    pub previous_status: Option<OrderStatus>,
    /// Why the order was cancelled, shown to the customer.
    #[serde(default)]
    pub cancel_reason: Option<String>,
}

impl Order {
    pub fn pizza_count(&self) -> u32 {
        self.lines.iter().map(|line| line.quantity).sum()
    }
}

/// A freshly placed order and the customer's token for it: the only way to see it later
/// without an account (`/orders/<token>`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlacedOrder {
    pub order: Order,
    pub token: String,
}

/// What a customer asks for. Nothing in here is trusted: see [`price_order`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderRequest {
    pub customer_name: String,
    pub lines: Vec<LineRequest>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineRequest {
    pub item_id: i64,
    pub size: Size,
    pub quantity: u32,
}

/// A refused input: which field, and why, in words a customer understands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{field}: {message}")]
pub struct ValidationError {
    pub field: String,
    pub message: String,
}

impl ValidationError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        ValidationError { field: field.into(), message: message.into() }
    }
}

pub const MAX_NAME_CHARS: usize = 60;
pub const MAX_QUANTITY_PER_LINE: u32 = 20;
pub const MAX_LINES: usize = 30;
pub const MAX_PIZZAS_PER_ORDER: u32 = 50;

/// An order that passed validation, with prices taken from the menu.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PricedOrder {
    pub customer_name: String,
    pub lines: Vec<OrderLine>,
    pub total: Cents,
}

/// Checks a customer's request against the menu and prices it. Prices come from the menu only.
pub fn price_order(menu: &Menu, request: &OrderRequest) -> Result<PricedOrder, ValidationError> {
    let customer_name = validate_name(&request.customer_name)?;
    if request.lines.is_empty() {
        return Err(ValidationError::new("lines", "the cart is empty: add at least one pizza"));
    }
    if request.lines.len() > MAX_LINES {
        return Err(ValidationError::new(
            "lines",
            format!("an order can have at most {MAX_LINES} lines"),
        ));
    }
    let mut lines = Vec::with_capacity(request.lines.len());
    for (index, line) in request.lines.iter().enumerate() {
        let field = |name: &str| format!("lines[{index}].{name}");
        if line.quantity == 0 || line.quantity > MAX_QUANTITY_PER_LINE {
            return Err(ValidationError::new(
                field("quantity"),
                format!("quantity must be between 1 and {MAX_QUANTITY_PER_LINE}"),
            ));
        }
        let item = menu
            .item(line.item_id)
            .ok_or_else(|| ValidationError::new(field("item_id"), "this pizza is not on the menu"))?;
        if !item.available {
            return Err(ValidationError::new(
                field("item_id"),
                format!("{} is sold out", item.name),
            ));
        }
        lines.push(OrderLine {
            item_id: item.id,
            item_name: item.name.clone(),
            size: line.size,
            quantity: line.quantity,
            unit_price: item.prices.get(line.size),
        });
    }
    let pizzas: u32 = lines.iter().map(|line| line.quantity).sum();
    if pizzas > MAX_PIZZAS_PER_ORDER {
        return Err(ValidationError::new(
            "lines",
            format!("an order can have at most {MAX_PIZZAS_PER_ORDER} pizzas: call us for a bigger one"),
        ));
    }
    let total = lines.iter().map(OrderLine::total).sum();
    Ok(PricedOrder { customer_name, lines, total })
}

fn validate_name(raw: &str) -> Result<String, ValidationError> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(ValidationError::new("customer_name", "please tell us your name"));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(ValidationError::new(
            "customer_name",
            format!("the name can have at most {MAX_NAME_CHARS} characters"),
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(ValidationError::new("customer_name", "the name has characters we can't print"));
    }
    Ok(name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::menu::{MenuItem, SizePrices};

    fn menu() -> Menu {
        let item = |id, name: &str, s, m, l, available| MenuItem {
            id,
            name: name.into(),
            description: String::new(),
            prices: SizePrices { s: Cents(s), m: Cents(m), l: Cents(l) },
            available,
            version: 1,
        };
        Menu {
            location_id: 1,
            items: vec![
                item(1, "Margherita", 800, 1050, 1300, true),
                item(2, "Diavola", 950, 1200, 1450, true),
                item(3, "Tartufo", 1500, 1800, 2100, false),
            ],
        }
    }

    fn request(lines: Vec<(i64, Size, u32)>) -> OrderRequest {
        OrderRequest {
            customer_name: "Ada".into(),
            lines: lines
                .into_iter()
                .map(|(item_id, size, quantity)| LineRequest { item_id, size, quantity })
                .collect(),
        }
    }

    #[test]
    fn happy_path_walks_every_stage_in_order() {
        let mut status = OrderStatus::Received;
        let mut seen = vec![status];
        while let Some(next) = status.next() {
            status = status.transition_to(next).unwrap();
            seen.push(status);
        }
        assert_eq!(seen, OrderStatus::PIPELINE);
    }

    #[test]
    fn only_one_step_forward_or_cancel_is_allowed() {
        for from in OrderStatus::ALL {
            for to in OrderStatus::ALL {
                let expected = from.next() == Some(to) || (to == OrderStatus::Cancelled && from.is_open());
                assert_eq!(from.can_become(to), expected, "{from} -> {to}");
            }
        }
        assert!(!OrderStatus::Received.can_become(OrderStatus::Ready));
        assert!(!OrderStatus::Baking.can_become(OrderStatus::Preparing));
        assert!(!OrderStatus::Collected.can_become(OrderStatus::Cancelled));
        assert!(!OrderStatus::Cancelled.can_become(OrderStatus::Received));
        assert_eq!(
            OrderStatus::Ready.transition_to(OrderStatus::Received),
            Err(TransitionError { from: OrderStatus::Ready, to: OrderStatus::Received })
        );
    }

    #[test]
    fn status_round_trips_through_its_name() {
        for status in OrderStatus::ALL {
            assert_eq!(status.as_str().parse::<OrderStatus>(), Ok(status));
        }
        assert!("burnt".parse::<OrderStatus>().is_err());
    }

    #[test]
    fn prices_come_from_the_menu_by_size() {
        let priced = price_order(&menu(), &request(vec![(1, Size::S, 2), (2, Size::L, 1)])).unwrap();
        assert_eq!(priced.lines[0].unit_price, Cents(800));
        assert_eq!(priced.lines[1].unit_price, Cents(1450));
        assert_eq!(priced.total, Cents(800 * 2 + 1450));
        assert_eq!(priced.lines[1].item_name, "Diavola");
    }

    #[test]
    fn every_size_has_its_own_price() {
        for (size, cents) in [(Size::S, 950), (Size::M, 1200), (Size::L, 1450)] {
            let priced = price_order(&menu(), &request(vec![(2, size, 3)])).unwrap();
            assert_eq!(priced.total, Cents(cents * 3));
        }
    }

    #[test]
    fn refuses_bad_input_naming_the_field() {
        let cases = [
            (request(vec![]), "lines"),
            (request(vec![(99, Size::M, 1)]), "lines[0].item_id"),
            (request(vec![(1, Size::M, 0)]), "lines[0].quantity"),
            (request(vec![(1, Size::M, 1000)]), "lines[0].quantity"),
            (request(vec![(1, Size::M, 1), (3, Size::M, 1)]), "lines[1].item_id"),
            (request(vec![(1, Size::M, 20), (1, Size::S, 20), (1, Size::L, 20)]), "lines"),
            (request((0..31).map(|_| (1, Size::M, 1)).collect()), "lines"),
            (OrderRequest { customer_name: "  ".into(), ..request(vec![(1, Size::M, 1)]) }, "customer_name"),
            (OrderRequest { customer_name: "x".repeat(10_000), ..request(vec![(1, Size::M, 1)]) }, "customer_name"),
            (OrderRequest { customer_name: "a\u{0}b".into(), ..request(vec![(1, Size::M, 1)]) }, "customer_name"),
        ];
        for (req, field) in cases {
            let err = price_order(&menu(), &req).unwrap_err();
            assert_eq!(err.field, field, "{err}");
            assert!(!err.message.is_empty());
        }
    }

    #[test]
    fn limits_are_inclusive() {
        let at_limit = request(vec![(1, Size::M, MAX_QUANTITY_PER_LINE)]);
        assert!(price_order(&menu(), &at_limit).is_ok());
        let name = OrderRequest { customer_name: "é".repeat(MAX_NAME_CHARS), ..at_limit };
        assert!(price_order(&menu(), &name).is_ok());
    }

    #[test]
    fn trims_the_name() {
        let req = OrderRequest { customer_name: "  Ada  ".into(), ..request(vec![(1, Size::M, 1)]) };
        assert_eq!(price_order(&menu(), &req).unwrap().customer_name, "Ada");
    }
}
