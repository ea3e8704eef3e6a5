use super::menu::{Menu, Size};
use super::money::Cents;
use super::order::{LineRequest, OrderRequest, MAX_QUANTITY_PER_LINE};
use serde::{Deserialize, Serialize};

/// The customer's cart before checkout. Prices shown from it are a preview: the server prices
/// the order again from its own menu.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cart {
    pub lines: Vec<LineRequest>,
}

impl Cart {
    /// Adds one pizza, merging with a line of the same pizza and size.
    pub fn add(&mut self, item_id: i64, size: Size) {
        match self.lines.iter_mut().find(|line| line.item_id == item_id && line.size == size) {
            Some(line) => line.quantity = (line.quantity + 1).min(MAX_QUANTITY_PER_LINE),
            None => self.lines.push(LineRequest { item_id, size, quantity: 1 }),
        }
    }

    /// Changes a line's quantity by `delta`; a line that reaches zero leaves the cart.
    pub fn change_quantity(&mut self, index: usize, delta: i32) {
        if let Some(line) = self.lines.get_mut(index) {
            let quantity = (i64::from(line.quantity) + i64::from(delta)).clamp(0, i64::from(MAX_QUANTITY_PER_LINE));
            line.quantity = quantity as u32;
            if line.quantity == 0 {
                self.lines.remove(index);
            }
        }
    }

    pub fn pizza_count(&self) -> u32 {
        self.lines.iter().map(|line| line.quantity).sum()
    }

    /// The preview price of one line, if its pizza is still on the menu.
    pub fn line_price(&self, menu: &Menu, index: usize) -> Option<Cents> {
        let line = self.lines.get(index)?;
        Some(menu.item(line.item_id)?.prices.get(line.size).times(line.quantity))
    }

    pub fn total(&self, menu: &Menu) -> Cents {
        (0..self.lines.len()).filter_map(|index| self.line_price(menu, index)).sum()
    }

    pub fn to_request(&self, customer_name: &str) -> OrderRequest {
        OrderRequest { customer_name: customer_name.to_string(), lines: self.lines.clone() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::menu::{MenuItem, SizePrices};

    fn menu() -> Menu {
        Menu {
            location_id: 1,
            items: vec![MenuItem {
                id: 1,
                name: "Margherita".into(),
                description: String::new(),
                prices: SizePrices { s: Cents(800), m: Cents(1050), l: Cents(1300) },
                available: true,
                version: 1,
            }],
        }
    }

    #[test]
    fn merges_same_pizza_and_size() {
        let mut cart = Cart::default();
        cart.add(1, Size::M);
        cart.add(1, Size::M);
        cart.add(1, Size::L);
        assert_eq!(cart.lines.len(), 2);
        assert_eq!(cart.pizza_count(), 3);
        assert_eq!(cart.total(&menu()), Cents(1050 * 2 + 1300));
    }

    #[test]
    fn quantity_stays_within_limits_and_zero_removes() {
        let mut cart = Cart::default();
        cart.add(1, Size::S);
        cart.change_quantity(0, 100);
        assert_eq!(cart.lines[0].quantity, MAX_QUANTITY_PER_LINE);
        cart.change_quantity(0, -100);
        assert!(cart.lines.is_empty());
        cart.change_quantity(5, 1);
    }
}
