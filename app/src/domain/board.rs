use super::order::{Order, OrderStatus};
use std::collections::BTreeMap;

/// A client's picture of the orders it watches, kept fresh by applying events by version.
///
/// Applying is idempotent and order-insensitive: an older or duplicate copy of an order never
/// overwrites a newer one. Finished orders stay as tombstones so a late, stale event can't
/// bring them back.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OrderBoard {
    orders: BTreeMap<i64, Order>,
}

impl OrderBoard {
    pub fn from_orders(orders: impl IntoIterator<Item = Order>) -> Self {
        let mut board = OrderBoard::default();
        for order in orders {
            board.apply(order);
        }
        board
    }

    /// Keeps `order` if it is newer than the copy held. Returns whether anything changed.
    pub fn apply(&mut self, order: Order) -> bool {
        match self.orders.get(&order.id) {
            Some(held) if held.version >= order.version => false,
            _ => {
                self.orders.insert(order.id, order);
                true
            }
        }
    }

    /// Replaces everything with a fresh snapshot (after a resync).
    pub fn replace(&mut self, orders: impl IntoIterator<Item = Order>) {
        *self = OrderBoard::from_orders(orders);
    }

    pub fn get(&self, id: i64) -> Option<&Order> {
        self.orders.get(&id)
    }

    /// Every order held, open or not, by id.
    pub fn orders(&self) -> impl Iterator<Item = &Order> {
        self.orders.values()
    }

    pub fn len(&self) -> usize {
        self.orders.len()
    }

    pub fn is_empty(&self) -> bool {
        self.orders.is_empty()
    }

    /// Orders in `status`, oldest first: the kitchen works first-in, first-out.
    pub fn in_status(&self, status: OrderStatus) -> Vec<Order> {
        self.oldest_first(|order| order.status == status)
    }

    /// How many orders are in any of `statuses`, without copying them.
    pub fn count_in(&self, statuses: &[OrderStatus]) -> usize {
        self.orders.values().filter(|order| in_any_of(order, statuses)).count()
    }

    /// Orders in any of `statuses`, oldest first.
    pub fn in_any(&self, statuses: &[OrderStatus]) -> Vec<Order> {
        self.oldest_first(|order| in_any_of(order, statuses))
    }

    /// Whether any order is open, without copying them.
    pub fn has_open(&self) -> bool {
        self.orders.values().any(|order| order.status.is_open())
    }

    /// Open orders, oldest first.
    pub fn open(&self) -> Vec<Order> {
        self.oldest_first(|order| order.status.is_open())
    }

    /// The open orders a desk asks for: in `stage` (every stage if none) and matching `search`
    /// (see [`Order::matches_search`]), oldest first.
    pub fn open_matching(&self, stage: Option<OrderStatus>, search: &str) -> Vec<Order> {
        self.oldest_first(|order| {
            order.status.is_open() && stage.is_none_or(|stage| order.status == stage) && order.matches_search(search)
        })
    }

    /// Copies of the orders `wanted` picks, oldest first (ties by id, so the order is stable).
    fn oldest_first(&self, wanted: impl Fn(&Order) -> bool) -> Vec<Order> {
        let mut orders: Vec<Order> = self.orders.values().filter(|order| wanted(order)).cloned().collect();
        orders.sort_by_key(|order| (order.created_at, order.id));
        orders
    }
}

fn in_any_of(order: &Order, statuses: &[OrderStatus]) -> bool {
    statuses.contains(&order.status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_desk_finds_orders_by_stage_and_by_number_or_name() {
        let mut board = OrderBoard::default();
        let at = chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let mut order = |id: i64, name: &str, status: OrderStatus| {
            let mut order = crate::domain::fixtures::order(id, status, at);
            order.customer_name = name.into();
            board.apply(order);
        };
        order(12, "Marco Rossi", OrderStatus::Received);
        order(13, "Giulia", OrderStatus::Preparing);
        order(112, "Anna", OrderStatus::Received);
        order(14, "Maria", OrderStatus::Collected);
        let ids = |orders: Vec<Order>| orders.iter().map(|order| order.id).collect::<Vec<_>>();
        assert_eq!(ids(board.open_matching(None, "")), [12, 13, 112]);
        assert_eq!(ids(board.open_matching(Some(OrderStatus::Received), "")), [12, 112]);
        assert_eq!(ids(board.open_matching(None, "#12")), [12], "a number finds that order, not 112");
        assert_eq!(ids(board.open_matching(None, " 13 ")), [13]);
        assert_eq!(ids(board.open_matching(None, "ros")), [12], "any part of the name, in any case");
        assert_eq!(ids(board.open_matching(None, "mar")), [12], "collected orders are not open");
        assert_eq!(ids(board.open_matching(Some(OrderStatus::Preparing), "marco")), Vec::<i64>::new());
    }
    use chrono::{TimeZone, Utc};
    use proptest::prelude::*;

    fn order(id: i64, version: i64, status: OrderStatus) -> Order {
        let at = Utc.timestamp_opt(1_700_000_000 + id, 0).unwrap();
        Order { version, ..crate::domain::fixtures::order(id, status, at) }
    }

    #[test]
    fn an_older_version_never_overwrites_a_newer_one() {
        let mut board = OrderBoard::default();
        assert!(board.apply(order(1, 2, OrderStatus::Preparing)));
        assert!(!board.apply(order(1, 1, OrderStatus::Received)));
        assert!(!board.apply(order(1, 2, OrderStatus::Preparing)));
        assert_eq!(board.get(1).unwrap().status, OrderStatus::Preparing);
        assert!(board.apply(order(1, 3, OrderStatus::Baking)));
        assert_eq!(board.get(1).unwrap().version, 3);
    }

    #[test]
    fn finished_orders_leave_the_open_list_and_stay_gone() {
        let mut board = OrderBoard::default();
        board.apply(order(1, 5, OrderStatus::Collected));
        board.apply(order(1, 4, OrderStatus::Ready));
        assert!(board.open().is_empty());
    }

    #[test]
    fn counts_match_the_lists_they_stand_for() {
        let board = OrderBoard::from_orders([
            order(1, 1, OrderStatus::Received),
            order(2, 1, OrderStatus::Preparing),
            order(3, 1, OrderStatus::Received),
            order(4, 1, OrderStatus::Collected),
        ]);
        let columns = [OrderStatus::Received, OrderStatus::Preparing];
        assert_eq!(board.count_in(&columns), board.in_any(&columns).len());
        assert_eq!(board.count_in(&columns), 3);
        assert_eq!(board.count_in(&[OrderStatus::Received]), board.in_status(OrderStatus::Received).len());
        assert_eq!(board.count_in(&[]), 0);
        assert_eq!(board.has_open(), !board.open().is_empty());
    }

    #[test]
    fn a_board_of_finished_orders_has_none_open() {
        let mut board =
            OrderBoard::from_orders([order(1, 1, OrderStatus::Collected), order(2, 1, OrderStatus::Cancelled)]);
        assert!(!board.has_open());
        board.apply(order(3, 1, OrderStatus::Ready));
        assert!(board.has_open());
    }

    #[test]
    fn columns_are_oldest_first() {
        let board = OrderBoard::from_orders([
            order(3, 1, OrderStatus::Received),
            order(1, 1, OrderStatus::Received),
            order(2, 2, OrderStatus::Preparing),
        ]);
        let ids: Vec<i64> = board.in_status(OrderStatus::Received).iter().map(|o| o.id).collect();
        assert_eq!(ids, vec![1, 3]);
    }

    /// The database's history: each order walks its stages, one version per change.
    fn histories() -> impl Strategy<Value = Vec<Vec<Order>>> {
        prop::collection::vec(1usize..=6, 1..12).prop_map(|lengths| {
            lengths
                .into_iter()
                .enumerate()
                .map(|(index, length)| {
                    let id = index as i64 + 1;
                    let mut status = OrderStatus::Received;
                    (1..=length as i64)
                        .map(|version| {
                            let copy = order(id, version, status);
                            status = status.next().unwrap_or(OrderStatus::Collected);
                            copy
                        })
                        .collect()
                })
                .collect()
        })
    }

    proptest! {
        /// Any reordering or duplication of the event stream ends in the database's state.
        #[test]
        fn any_order_and_any_duplicates_converge(
            history in histories(),
            duplicates in prop::collection::vec(any::<prop::sample::Index>(), 0..40),
            shuffle_seed in any::<u64>(),
        ) {
            let mut stream: Vec<Order> = history.iter().flatten().cloned().collect();
            for index in &duplicates {
                let copy = stream[index.index(stream.len())].clone();
                stream.push(copy);
            }
            // A deterministic Fisher-Yates shuffle driven by the generated seed.
            let mut state = shuffle_seed | 1;
            for i in (1..stream.len()).rev() {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                stream.swap(i, (state % (i as u64 + 1)) as usize);
            }
            let mut board = OrderBoard::default();
            for event in stream {
                board.apply(event);
            }
            let database = OrderBoard::from_orders(history.iter().map(|h| h.last().unwrap().clone()));
            prop_assert_eq!(board, database);
        }
    }
}
