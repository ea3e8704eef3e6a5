use super::menu::{Menu, Size};
use super::money::Cents;
use super::order::{price_line, LineRequest, OrderRequest, MAX_QUANTITY_PER_LINE};
use serde::{Deserialize, Serialize};

/// The customer's cart and checkout details before ordering: the order request being written.
/// Prices shown from it are a preview: the server prices the order again from its own menu.
/// The browser keeps it across reloads.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Cart {
    /// Its idempotency key is set on the first attempt to check out and kept until the order
    /// is placed, so a retry (double click, timeout, reload) sends the same key and gets the
    /// same order back; any change to the cart drops it.
    pub request: OrderRequest,
}

impl Cart {
    /// Adds one of `line`, merging with a line of the same choice.
    pub fn add(&mut self, line: LineRequest) {
        self.request.idempotency_key = None;
        match self.request.lines.iter_mut().find(|old| old.same_choice(&line)) {
            Some(old) => old.quantity = (old.quantity + line.quantity).min(MAX_QUANTITY_PER_LINE),
            None => self.request.lines.push(line),
        }
    }

    pub fn add_plain(&mut self, item_id: i64, size: Size) {
        self.add(LineRequest::plain(item_id, size, 1));
    }

    /// Changes a line's quantity by `delta`; a line that reaches zero leaves the cart.
    pub fn change_quantity(&mut self, index: usize, delta: i32) {
        self.request.idempotency_key = None;
        if let Some(line) = self.request.lines.get_mut(index) {
            let quantity = (i64::from(line.quantity) + i64::from(delta)).clamp(0, i64::from(MAX_QUANTITY_PER_LINE));
            line.quantity = quantity as u32;
            if line.quantity == 0 {
                self.request.lines.remove(index);
            }
        }
    }

    pub fn item_count(&self) -> u32 {
        self.request.lines.iter().map(|line| line.quantity).sum()
    }

    /// The preview price of one line, or why the server would refuse it (e.g. sold out).
    pub fn line_price(&self, menu: &Menu, index: usize) -> Option<Result<Cents, String>> {
        let line = self.request.lines.get(index)?;
        Some(price_line(menu, index, line).map(|priced| priced.total()).map_err(|refused| refused.message))
    }

    /// The total of the lines that can be ordered.
    pub fn total(&self, menu: &Menu) -> Cents {
        (0..self.request.lines.len()).filter_map(|index| self.line_price(menu, index)?.ok()).sum()
    }

    /// Whether every line can be ordered from this copy of the menu.
    pub fn is_orderable(&self, menu: &Menu) -> bool {
        !self.request.lines.is_empty()
            && (0..self.request.lines.len()).all(|index| matches!(self.line_price(menu, index), Some(Ok(_))))
    }

    /// The request to send, taking a new idempotency key from `new_key` unless a previous
    /// attempt already set one.
    pub fn to_request(&mut self, new_key: impl FnOnce() -> String) -> OrderRequest {
        self.request.idempotency_key.get_or_insert_with(new_key);
        self.request.clone()
    }

    /// After a successful order: empty lines, but keep who the customer is for next time.
    pub fn ordered(&mut self) {
        let OrderRequest { customer_name, phone, .. } = std::mem::take(&mut self.request);
        self.request = OrderRequest { customer_name, phone, ..OrderRequest::default() };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::menu;

    #[test]
    fn merges_same_choice_only() {
        let mut cart = Cart::default();
        cart.add_plain(1, Size::M);
        cart.add_plain(1, Size::M);
        cart.add_plain(1, Size::L);
        cart.add(LineRequest { add: vec![10], ..LineRequest::plain(1, Size::L, 1) });
        assert_eq!(cart.request.lines.len(), 3);
        assert_eq!(cart.item_count(), 4);
        assert_eq!(cart.total(&menu()), Cents(1050 * 2 + 1300 + 1300 + 150));
    }

    #[test]
    fn quantity_stays_within_limits_and_zero_removes() {
        let mut cart = Cart::default();
        cart.add_plain(1, Size::S);
        cart.change_quantity(0, 100);
        assert_eq!(cart.request.lines[0].quantity, MAX_QUANTITY_PER_LINE);
        cart.change_quantity(0, -100);
        assert!(cart.request.lines.is_empty());
        cart.change_quantity(5, 1);
    }

    #[test]
    fn flags_what_is_sold_out() {
        let mut cart = Cart::default();
        cart.add_plain(1, Size::M);
        cart.add_plain(3, Size::M);
        let menu = menu();
        assert_eq!(cart.line_price(&menu, 0), Some(Ok(Cents(1050))));
        assert!(cart.line_price(&menu, 1).unwrap().unwrap_err().contains("sold out"));
        assert_eq!(cart.total(&menu), Cents(1050));
        assert!(!cart.is_orderable(&menu));
    }

    #[test]
    fn a_retry_reuses_the_key_and_a_change_makes_a_new_one() {
        let mut cart = Cart::default();
        cart.add_plain(1, Size::M);
        let first = cart.to_request(|| "key-one-1".into()).idempotency_key;
        let retry = cart.to_request(|| "key-two-2".into()).idempotency_key;
        assert_eq!(first, retry);
        cart.change_quantity(0, 1);
        assert_eq!(cart.to_request(|| "key-three".into()).idempotency_key.as_deref(), Some("key-three"));
        cart.request.customer_name = "Ada".into();
        cart.ordered();
        assert!(cart.request.lines.is_empty() && cart.request.idempotency_key.is_none());
        assert_eq!(cart.request.customer_name, "Ada");
    }
}
