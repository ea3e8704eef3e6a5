//! The plain HTML order form (`/order-now`): what works with JavaScript off. Its fields arrive
//! as text, named as the form names them, and become an [`OrderRequest`] here, so the form
//! goes through exactly the checks and pricing of every other order.

use super::menu::{Menu, Size};
use super::order::{LineRequest, OrderRequest};
use super::validation::ValidationError;
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

/// The quantity field of one item in one size: `qty_3_M`.
pub fn quantity_field(item_id: i64, size: Size) -> String {
    format!("qty_{item_id}_{}", size.code())
}

/// The value of the pickup field for "as soon as possible".
pub const PICKUP_ASAP: &str = "asap";

/// Reads the submitted form. Empty or zero quantities are items not wanted. Only malformed
/// fields are refused here; the order's own rules are checked where every order's are.
pub fn to_request(menu: &Menu, fields: &BTreeMap<String, String>) -> Result<OrderRequest, ValidationError> {
    let text = |name: &str| fields.get(name).map(|value| value.trim().to_string()).unwrap_or_default();
    let mut lines = Vec::new();
    for item in &menu.items {
        for size in item.category.sizes() {
            let field = quantity_field(item.id, *size);
            let raw = text(&field);
            if raw.is_empty() {
                continue;
            }
            let quantity: u32 =
                raw.parse().map_err(|_| ValidationError::says(field.clone(), "error-quantity-not-number", &[]))?;
            if quantity > 0 {
                lines.push(LineRequest::plain(item.id, *size, quantity));
            }
        }
    }
    let pickup = text("pickup");
    let pickup_at = match pickup.as_str() {
        "" | PICKUP_ASAP => None,
        at => Some(
            DateTime::parse_from_rfc3339(at)
                .map_err(|_| ValidationError::says("pickup_at", "error-pickup-not-listed", &[]))?
                .with_timezone(&Utc),
        ),
    };
    let key = text("idempotency_key");
    Ok(OrderRequest {
        customer_name: text("customer_name"),
        lines,
        phone: text("phone"),
        pickup_at,
        notes: text("notes"),
        idempotency_key: (!key.is_empty()).then_some(key),
    })
}

/// Where a refused form goes back to: the form, with what was typed and why it was refused
/// (`error`, worded in the page's language, and `field`).
pub fn retry_path(fields: &BTreeMap<String, String>, field: &str, message: &str) -> String {
    let mut query: Vec<(&str, &str)> = fields
        .iter()
        .filter(|(name, _)| !matches!(name.as_str(), "error" | "field"))
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    query.push(("error", message));
    query.push(("field", field));
    format!("{FORM_PATH}?{}", serde_urlencoded::to_string(&query).unwrap_or_default())
}

pub const FORM_PATH: &str = "/order-now";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::menu;

    fn form(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn quantities_become_plain_lines_and_blanks_are_skipped() {
        let request = to_request(
            &menu(),
            &form(&[
                ("customer_name", " Ada "),
                ("qty_1_M", "2"),
                ("qty_1_L", ""),
                ("qty_2_S", "0"),
                ("pickup", "asap"),
                ("idempotency_key", "k-12345678"),
            ]),
        )
        .unwrap();
        assert_eq!(request.customer_name, "Ada");
        assert_eq!(request.lines, vec![LineRequest::plain(1, Size::M, 2)]);
        assert_eq!((request.pickup_at, request.idempotency_key.as_deref()), (None, Some("k-12345678")));
    }

    #[test]
    fn malformed_fields_are_named() {
        assert_eq!(to_request(&menu(), &form(&[("qty_1_M", "two")])).unwrap_err().field, "qty_1_M");
        assert_eq!(to_request(&menu(), &form(&[("qty_1_M", "-1")])).unwrap_err().field, "qty_1_M");
        assert_eq!(to_request(&menu(), &form(&[("pickup", "tomorrow")])).unwrap_err().field, "pickup_at");
        let at = to_request(&menu(), &form(&[("pickup", "2026-11-22T18:30:00Z")])).unwrap().pickup_at;
        assert_eq!(at.unwrap().to_rfc3339(), "2026-11-22T18:30:00+00:00");
    }

    #[test]
    fn a_refusal_goes_back_to_the_form_with_what_was_typed() {
        let path = retry_path(
            &form(&[("customer_name", ""), ("qty_1_M", "2"), ("error", "old")]),
            "customer_name",
            "give a name & more",
        );
        assert_eq!(path, "/order-now?customer_name=&qty_1_M=2&error=give+a+name+%26+more&field=customer_name");
    }

    #[test]
    fn fields_for_sizes_an_item_is_not_sold_in_are_ignored() {
        let lemonade = quantity_field(4, Size::L);
        assert!(to_request(&menu(), &form(&[(&lemonade, "3")])).unwrap().lines.is_empty());
        let request = to_request(&menu(), &form(&[(&quantity_field(4, Size::M), "3")])).unwrap();
        assert_eq!(request.lines, vec![LineRequest::plain(4, Size::M, 3)]);
    }
}
