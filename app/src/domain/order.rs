use super::menu::{Allergen, Category, ItemStation, Menu, Size};
use super::money::Cents;
use super::pickup::PickupRules;
use super::validation::ValidationError;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Where an order is in its life. The only moves allowed are those of [`OrderStatus::can_become`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OrderLine {
    pub item_id: i64,
    /// The name as it was on the menu when ordered: later menu edits don't rewrite history.
    pub item_name: String,
    pub size: Size,
    pub quantity: u32,
    /// The size price plus the added toppings, each.
    pub unit_price: Cents,
    #[serde(default)]
    pub category: Category,
    /// The station that makes it, as the menu said when ordered.
    #[serde(default)]
    pub station: ItemStation,
    /// Extra toppings, by name as they were when ordered.
    #[serde(default)]
    pub added: Vec<String>,
    /// Ingredients the customer asked to leave off.
    #[serde(default)]
    pub removed: Vec<String>,
    /// Of the pizza and its added toppings, for the customer.
    #[serde(default)]
    pub allergens: Vec<Allergen>,
    /// Those the added toppings bring that the recipe does not have: what the kitchen must
    /// not miss (it knows its recipes).
    #[serde(default)]
    pub added_allergens: Vec<Allergen>,
    #[serde(default)]
    pub notes: String,
}

impl OrderLine {
    pub fn total(&self) -> Cents {
        self.unit_price.times(self.quantity)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Order {
    pub id: i64,
    pub location_id: i64,
    pub customer_name: String,
    /// For the counter to call about the order. Never shown on kitchen screens.
    #[serde(default)]
    pub phone: Option<String>,
    /// `None` is as soon as possible.
    #[serde(default)]
    pub pickup_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub notes: String,
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
    /// For an order for a later pickup, when the kitchen should start it: decided by the server
    /// when the order is placed, so every screen fires it alike (see `KitchenSettings::fire_at`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fire_at: Option<DateTime<Utc>>,
}

impl Order {
    /// Whether a desk's search finds this order: by its number (`12` or `#12`, the whole
    /// number) or by any part of the customer's name, in any case. An empty search finds all.
    pub fn matches_search(&self, search: &str) -> bool {
        let search = search.trim();
        let number = search.strip_prefix('#').unwrap_or(search);
        if search.is_empty() {
            true
        } else if !number.is_empty() && number.bytes().all(|byte| byte.is_ascii_digit()) {
            number.parse::<i64>().is_ok_and(|id| id == self.id)
        } else {
            self.customer_name.to_lowercase().contains(&search.to_lowercase())
        }
    }
    /// The order as sent to someone who may not see the customer's contact details
    /// ([`super::Principal::sees_customer_contact`]).
    pub fn without_customer_contact(self) -> Order {
        Order { phone: None, ..self }
    }

    /// The order as `who` may see it: kitchen screens get no phone numbers, by any endpoint.
    pub fn shown_to(self, who: &super::Principal) -> Order {
        if who.sees_customer_contact() {
            self
        } else {
            self.without_customer_contact()
        }
    }

    pub fn pizza_count(&self) -> u32 {
        self.lines.iter().map(|line| line.quantity).sum()
    }

    /// Whether the kitchen and staff boards show this order: while it is open, and once
    /// collected, while it can still be recalled (changed after `collected_since`). The
    /// store's open-orders query selects the same orders.
    pub fn on_board(&self, collected_since: DateTime<Utc>) -> bool {
        self.status.is_open() || (self.status == OrderStatus::Collected && self.updated_at > collected_since)
    }
}

/// A freshly placed order and the customer's token for it: the only way to see it later
/// without an account (`/orders/<token>`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PlacedOrder {
    pub order: Order,
    pub token: String,
    /// The checkout's idempotency key had already placed this order: nothing new was created.
    #[serde(default)]
    pub repeated: bool,
}

/// What a customer asks for. Nothing in here is trusted: see [`price_order`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OrderRequest {
    pub customer_name: String,
    #[cfg_attr(feature = "ssr", schema(min_items = 1, max_items = 30))]
    pub lines: Vec<LineRequest>,
    #[serde(default)]
    pub phone: String,
    /// `None` (or absent) is as soon as possible.
    #[serde(default)]
    pub pickup_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub notes: String,
    /// The same key sent again gives back the order it created, never a second one. The
    /// document's limits are `MIN_IDEMPOTENCY_KEY_CHARS`, `MAX_IDEMPOTENCY_KEY_CHARS` and the
    /// characters `validate_idempotency_key` accepts (a test holds them together).
    #[serde(default)]
    #[cfg_attr(feature = "ssr", schema(min_length = 8, max_length = 64, pattern = "^[A-Za-z0-9_-]+$"))]
    pub idempotency_key: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LineRequest {
    pub item_id: i64,
    pub size: Size,
    pub quantity: u32,
    /// Topping ids to add.
    #[serde(default)]
    pub add: Vec<i64>,
    /// Ingredient names to leave off.
    #[serde(default)]
    pub remove: Vec<String>,
    #[serde(default)]
    pub notes: String,
}

impl LineRequest {
    pub fn plain(item_id: i64, size: Size, quantity: u32) -> LineRequest {
        LineRequest { item_id, size, quantity, add: vec![], remove: vec![], notes: String::new() }
    }

    /// Same pizza, same size, same changes: such lines merge in a cart.
    pub fn same_choice(&self, other: &LineRequest) -> bool {
        LineRequest { quantity: 0, ..self.clone() } == LineRequest { quantity: 0, ..other.clone() }
    }
}

pub const MAX_NAME_CHARS: usize = 60;
pub const MAX_QUANTITY_PER_LINE: u32 = 20;
pub const MAX_LINES: usize = 30;
pub const MAX_PIZZAS_PER_ORDER: u32 = 50;
pub const MAX_EXTRA_TOPPINGS: usize = 5;
pub const MAX_ORDER_NOTES_CHARS: usize = 300;
pub const MAX_LINE_NOTES_CHARS: usize = 120;
pub const MAX_PHONE_CHARS: usize = 20;
pub const MIN_PHONE_DIGITS: usize = 6;
pub const MAX_IDEMPOTENCY_KEY_CHARS: usize = 64;
pub const MIN_IDEMPOTENCY_KEY_CHARS: usize = 8;

/// An order that passed validation, with prices taken from the menu.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PricedOrder {
    pub customer_name: String,
    pub phone: Option<String>,
    pub pickup_at: Option<DateTime<Utc>>,
    pub notes: String,
    pub lines: Vec<OrderLine>,
    pub total: Cents,
}

/// Checks a customer's request against the menu and the opening hours, and prices it.
/// Prices come from the menu only.
pub fn price_order(menu: &Menu, pickup: &PickupRules, request: &OrderRequest) -> Result<PricedOrder, ValidationError> {
    let customer_name = validate_name(&request.customer_name)?;
    let phone = validate_phone(&request.phone)?;
    let notes = validate_notes("notes", &request.notes, MAX_ORDER_NOTES_CHARS)?;
    validate_idempotency_key(request.idempotency_key.as_deref())?;
    pickup.check(request.pickup_at)?;
    if request.lines.is_empty() {
        return Err(ValidationError::says("lines", "error-cart-empty", &[]));
    }
    if request.lines.len() > MAX_LINES {
        return Err(ValidationError::says("lines", "error-too-many-lines", &[("max", MAX_LINES.into())]));
    }
    let lines = request
        .lines
        .iter()
        .enumerate()
        .map(|(index, line)| price_line(menu, index, line))
        .collect::<Result<Vec<_>, _>>()?;
    let pizzas: u32 = lines.iter().map(|line| line.quantity).sum();
    if pizzas > MAX_PIZZAS_PER_ORDER {
        return Err(ValidationError::says("lines", "error-too-many-pizzas", &[("max", MAX_PIZZAS_PER_ORDER.into())]));
    }
    let total = lines.iter().map(OrderLine::total).sum();
    Ok(PricedOrder { customer_name, phone, pickup_at: request.pickup_at, notes, lines, total })
}

/// Checks one line of a request (the `index`th) against the menu and prices it.
pub fn price_line(menu: &Menu, index: usize, line: &LineRequest) -> Result<OrderLine, ValidationError> {
    let field = |name: &str| format!("lines[{index}].{name}");
    if line.quantity == 0 || line.quantity > MAX_QUANTITY_PER_LINE {
        return Err(ValidationError::says(
            field("quantity"),
            "error-quantity",
            &[("max", MAX_QUANTITY_PER_LINE.into())],
        ));
    }
    let item =
        menu.item(line.item_id).ok_or_else(|| ValidationError::says(field("item_id"), "error-item-unknown", &[]))?;
    if !item.available {
        return Err(ValidationError::says(field("item_id"), "error-sold-out", &[("name", (&item.name).into())]));
    }
    let size_price = item
        .price(line.size)
        .ok_or_else(|| ValidationError::says(field("size"), "error-one-size", &[("name", (&item.name).into())]))?;
    if !item.takes_toppings() && (!line.add.is_empty() || !line.remove.is_empty()) {
        return Err(ValidationError::says(field("add"), "error-no-toppings", &[("name", (&item.name).into())]));
    }
    if line.add.len() > MAX_EXTRA_TOPPINGS {
        return Err(ValidationError::says(
            field("add"),
            "error-too-many-toppings",
            &[("max", MAX_EXTRA_TOPPINGS.into())],
        ));
    }
    let mut unit_price = size_price;
    let mut added = Vec::with_capacity(line.add.len());
    let mut allergens = item.allergens.clone();
    for (n, topping_id) in line.add.iter().enumerate() {
        let topping = menu
            .topping(*topping_id)
            .ok_or_else(|| ValidationError::says(field("add"), "error-topping-unknown", &[]))?;
        if !topping.available {
            return Err(ValidationError::says(field("add"), "error-sold-out", &[("name", (&topping.name).into())]));
        }
        if line.add[..n].contains(topping_id) {
            return Err(ValidationError::says(field("add"), "error-listed-twice", &[("name", (&topping.name).into())]));
        }
        unit_price = unit_price + topping.price;
        added.push(topping.name.clone());
        allergens.extend(topping.allergens.iter().copied());
    }
    allergens.sort();
    allergens.dedup();
    let added_allergens: Vec<Allergen> = allergens.iter().copied().filter(|a| !item.allergens.contains(a)).collect();
    let mut removed = Vec::with_capacity(line.remove.len());
    for ingredient in &line.remove {
        if !item.ingredients.contains(ingredient) {
            return Err(ValidationError::says(
                field("remove"),
                "error-no-such-ingredient",
                &[("name", (&item.name).into()), ("ingredient", ingredient.into())],
            ));
        }
        if removed.contains(ingredient) {
            return Err(ValidationError::says(field("remove"), "error-listed-twice", &[("name", ingredient.into())]));
        }
        removed.push(ingredient.clone());
    }
    Ok(OrderLine {
        item_id: item.id,
        item_name: item.name.clone(),
        size: line.size,
        quantity: line.quantity,
        unit_price,
        category: item.category,
        station: item.station,
        added,
        removed,
        allergens,
        added_allergens,
        notes: validate_notes(&field("notes"), &line.notes, MAX_LINE_NOTES_CHARS)?,
    })
}

/// Free text for the kitchen: trimmed, bounded, printable (new lines allowed).
fn validate_notes(field: &str, raw: &str, max_chars: usize) -> Result<String, ValidationError> {
    let notes = raw.trim();
    if notes.chars().count() > max_chars {
        return Err(ValidationError::says(field, "error-notes-too-long", &[("max", max_chars.into())]));
    }
    if notes.chars().any(|c| super::text::is_unprintable(c) && c != '\n') {
        return Err(ValidationError::says(field, "error-notes-unprintable", &[]));
    }
    Ok(notes.to_string())
}

/// Optional. Digits with the usual separators, e.g. "+33 6 12 34 56 78".
pub(crate) fn validate_phone(raw: &str) -> Result<Option<String>, ValidationError> {
    let phone = raw.trim();
    if phone.is_empty() {
        return Ok(None);
    }
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let allowed = |c: char| c.is_ascii_digit() || " +-().".contains(c);
    if phone.chars().count() > MAX_PHONE_CHARS || digits < MIN_PHONE_DIGITS || !phone.chars().all(allowed) {
        return Err(ValidationError::says(
            "phone",
            "error-phone",
            &[("min", MIN_PHONE_DIGITS.into()), ("max", MAX_PHONE_CHARS.into())],
        ));
    }
    Ok(Some(phone.to_string()))
}

fn validate_idempotency_key(key: Option<&str>) -> Result<(), ValidationError> {
    let Some(key) = key else { return Ok(()) };
    let ok = (MIN_IDEMPOTENCY_KEY_CHARS..=MAX_IDEMPOTENCY_KEY_CHARS).contains(&key.len())
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(ValidationError::says(
            "idempotency_key",
            "error-idempotency-key",
            &[("min", MIN_IDEMPOTENCY_KEY_CHARS.into()), ("max", MAX_IDEMPOTENCY_KEY_CHARS.into())],
        ))
    }
}

fn validate_name(raw: &str) -> Result<String, ValidationError> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(ValidationError::says("customer_name", "error-name-missing", &[]));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(ValidationError::says("customer_name", "error-name-too-long", &[("max", MAX_NAME_CHARS.into())]));
    }
    if !super::text::is_printable(name) {
        return Err(ValidationError::says("customer_name", "error-name-unprintable", &[]));
    }
    Ok(name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::{always_open, menu, request};
    use crate::domain::menu::Allergen;

    fn price(req: &OrderRequest) -> Result<PricedOrder, ValidationError> {
        price_order(&menu(), &always_open(), req)
    }

    #[test]
    fn boards_show_open_orders_and_recently_collected_ones() {
        let now = Utc::now();
        let since = now - chrono::Duration::minutes(30);
        let order = |status, updated_at| Order { updated_at, ..crate::domain::fixtures::order(1, status, now) };
        for status in OrderStatus::ALL {
            let shown = order(status, now).on_board(since);
            assert_eq!(shown, status != OrderStatus::Cancelled, "{status} changed just now");
        }
        assert!(!order(OrderStatus::Collected, since).on_board(since), "collected as long ago as the window");
        assert!(order(OrderStatus::Ready, since - chrono::Duration::hours(5)).on_board(since), "open, however old");
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
        let priced = price(&request(vec![(1, Size::S, 2), (2, Size::L, 1)])).unwrap();
        assert_eq!(priced.lines[0].unit_price, Cents(800));
        assert_eq!(priced.lines[1].unit_price, Cents(1450));
        assert_eq!(priced.total, Cents(800 * 2 + 1450));
        assert_eq!(priced.lines[1].item_name, "Diavola");
    }

    #[test]
    fn every_size_has_its_own_price() {
        for (size, cents) in [(Size::S, 950), (Size::M, 1200), (Size::L, 1450)] {
            let priced = price(&request(vec![(2, size, 3)])).unwrap();
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
            (with_line(LineRequest { add: vec![99], ..margherita() }), "lines[0].add"),
            (with_line(LineRequest { add: vec![12], ..margherita() }), "lines[0].add"),
            (with_line(LineRequest { add: vec![10, 10], ..margherita() }), "lines[0].add"),
            (with_line(LineRequest { add: vec![10, 11, 13, 14, 15, 16], ..margherita() }), "lines[0].add"),
            (with_line(LineRequest { remove: vec!["ham".into()], ..margherita() }), "lines[0].remove"),
            (
                with_line(LineRequest { remove: vec!["basil".into(), "basil".into()], ..margherita() }),
                "lines[0].remove",
            ),
            (with_line(LineRequest { notes: "x".repeat(MAX_LINE_NOTES_CHARS + 1), ..margherita() }), "lines[0].notes"),
            (with_line(LineRequest::plain(4, Size::L, 1)), "lines[0].size"),
            (with_line(LineRequest { add: vec![10], ..LineRequest::plain(4, Size::M, 1) }), "lines[0].add"),
            (OrderRequest { phone: "call me".into(), ..request(vec![(1, Size::M, 1)]) }, "phone"),
            (OrderRequest { phone: "12345".into(), ..request(vec![(1, Size::M, 1)]) }, "phone"),
            (OrderRequest { phone: "1".repeat(21), ..request(vec![(1, Size::M, 1)]) }, "phone"),
            (OrderRequest { notes: "x".repeat(MAX_ORDER_NOTES_CHARS + 1), ..request(vec![(1, Size::M, 1)]) }, "notes"),
            (OrderRequest { notes: "bell\u{7}".into(), ..request(vec![(1, Size::M, 1)]) }, "notes"),
            (
                OrderRequest { idempotency_key: Some("short".into()), ..request(vec![(1, Size::M, 1)]) },
                "idempotency_key",
            ),
            (
                OrderRequest { idempotency_key: Some("not a key!".into()), ..request(vec![(1, Size::M, 1)]) },
                "idempotency_key",
            ),
            (
                OrderRequest { idempotency_key: Some("k".repeat(65)), ..request(vec![(1, Size::M, 1)]) },
                "idempotency_key",
            ),
        ];
        for (req, field) in cases {
            let err = price(&req).unwrap_err();
            assert_eq!(err.field, field, "{err}");
            assert!(!err.message.is_empty());
        }
    }

    fn margherita() -> LineRequest {
        LineRequest::plain(1, Size::M, 1)
    }

    fn with_line(line: LineRequest) -> OrderRequest {
        OrderRequest { lines: vec![line], ..request(vec![]) }
    }

    #[test]
    fn toppings_add_to_the_unit_price_and_bring_their_allergens() {
        let line = LineRequest {
            quantity: 2,
            add: vec![10, 11],
            remove: vec!["basil".into()],
            notes: "  well done  ".into(),
            ..LineRequest::plain(1, Size::L, 1)
        };
        let priced = price(&with_line(line)).unwrap();
        let line = &priced.lines[0];
        assert_eq!(line.unit_price, Cents(1300 + 150 + 200));
        assert_eq!(priced.total, Cents(2 * (1300 + 150 + 200)));
        assert_eq!(line.added, ["Olives", "Mozzarella"]);
        assert_eq!(line.removed, ["basil"]);
        assert_eq!(line.allergens, [Allergen::Gluten, Allergen::Milk]);
        assert_eq!(line.added_allergens, [Allergen::Milk], "gluten is the recipe's own");
        assert_eq!(line.notes, "well done");
    }

    #[test]
    fn drinks_come_in_one_size() {
        let priced = price(&with_line(LineRequest::plain(4, Size::M, 3))).unwrap();
        assert_eq!(priced.total, Cents(3 * 350));
        assert_eq!(priced.lines[0].category, crate::domain::Category::Drink);
    }

    #[test]
    fn checkout_details_are_kept_trimmed() {
        let req = OrderRequest {
            phone: " +33 6 12-34-56-78 ".into(),
            notes: "Ring twice\nplease".into(),
            idempotency_key: Some("0b6f4a9e-1c2d-4e5f-8a7b-9c0d1e2f3a4b".into()),
            ..request(vec![(1, Size::M, 1)])
        };
        let priced = price(&req).unwrap();
        assert_eq!(priced.phone.as_deref(), Some("+33 6 12-34-56-78"));
        assert_eq!(priced.notes, "Ring twice\nplease");
        assert_eq!(price(&request(vec![(1, Size::M, 1)])).unwrap().phone, None);
    }

    #[test]
    fn limits_are_inclusive() {
        let five = with_line(LineRequest { add: vec![10, 11, 13, 14, 15], ..margherita() });
        assert!(price(&five).is_ok());
        let at_limit = request(vec![(1, Size::M, MAX_QUANTITY_PER_LINE)]);
        assert!(price(&at_limit).is_ok());
        let name = OrderRequest { customer_name: "é".repeat(MAX_NAME_CHARS), ..at_limit };
        assert!(price(&name).is_ok());
    }

    #[test]
    fn trims_the_name() {
        let req = OrderRequest { customer_name: "  Ada  ".into(), ..request(vec![(1, Size::M, 1)]) };
        assert_eq!(price(&req).unwrap().customer_name, "Ada");
    }
}
