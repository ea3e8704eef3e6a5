//! What a customer is told of the pizzeria their order is at: where to collect it, whom to
//! call, and when it is open.

use super::money::Currency;
use super::order::validate_phone;
use super::pickup::OpeningHours;
use super::text::is_unprintable;
use super::ValidationError;
use serde::{Deserialize, Serialize};

pub const MAX_ADDRESS_CHARS: usize = 200;

/// A pizzeria as its customers see it. The address and phone are empty until an admin sets
/// them, and the tracker leaves out what is empty.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PizzeriaCard {
    pub name: String,
    pub address: String,
    pub phone: String,
    pub opening_hours: OpeningHours,
    /// The pizzeria's IANA time zone, e.g. "Europe/Paris": its hours are in it.
    pub timezone: String,
    /// The currency it prices in.
    #[serde(default)]
    pub currency: Currency,
}

/// An admin's choice of currency, by its code.
pub fn validate_currency(code: &str) -> Result<Currency, ValidationError> {
    Currency::parse(code).ok_or_else(|| {
        let known = Currency::ALL.map(Currency::code).join(", ");
        ValidationError::says("currency", "error-currency", &[("known", known.into())])
    })
}

/// An admin's new address and phone, trimmed; either may be empty.
pub fn validate_contact(address: &str, phone: &str) -> Result<(String, String), ValidationError> {
    let address = address.trim();
    let unprintable = address.chars().any(|c| is_unprintable(c) && c != '\n');
    if address.chars().count() > MAX_ADDRESS_CHARS || unprintable {
        return Err(ValidationError::says("address", "error-address", &[("max", MAX_ADDRESS_CHARS.into())]));
    }
    let phone = validate_phone(phone)?.unwrap_or_default();
    Ok((address.to_string(), phone))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_and_phone_are_trimmed_and_may_be_empty() {
        let (address, phone) = validate_contact("  Via Roma 1\n00100 Roma ", " +39 06 1234 5678 ").unwrap();
        assert_eq!((address.as_str(), phone.as_str()), ("Via Roma 1\n00100 Roma", "+39 06 1234 5678"));
        assert_eq!(validate_contact("", "").unwrap(), (String::new(), String::new()));
    }

    #[test]
    fn a_long_or_unprintable_address_or_a_wrong_phone_is_refused() {
        assert_eq!(validate_contact(&"a".repeat(MAX_ADDRESS_CHARS + 1), "").unwrap_err().field, "address");
        assert_eq!(validate_contact("Via\u{202e}Roma", "").unwrap_err().field, "address");
        assert_eq!(validate_contact("Via Roma 1", "call us").unwrap_err().field, "phone");
    }
}
