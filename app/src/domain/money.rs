use serde::{Deserialize, Serialize};
use std::fmt;
use std::iter::Sum;
use std::ops::Add;

/// An amount of money in integer cents: floating point never touches a price.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Cents(pub i64);

impl Cents {
    pub fn times(self, quantity: u32) -> Cents {
        Cents(self.0 * i64::from(quantity))
    }

    /// "12.50", for a form field.
    pub fn euros(self) -> String {
        self.to_string().replacen('€', "", 1)
    }

    /// Reads what a person types for a price: "12", "12.5", "12,50", "€12.50". Never negative,
    /// at most two decimals.
    pub fn parse_euros(text: &str) -> Option<Cents> {
        let text = text.trim().trim_start_matches('€').trim().replace(',', ".");
        let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
        if whole.is_empty() || whole.len() > 7 || fraction.len() > 2 {
            return None;
        }
        if !whole.chars().chain(fraction.chars()).all(|c| c.is_ascii_digit()) {
            return None;
        }
        let cents = format!("{fraction:0<2}").parse::<i64>().ok()?;
        Some(Cents(whole.parse::<i64>().ok()? * 100 + cents))
    }
}

impl Add for Cents {
    type Output = Cents;
    fn add(self, other: Cents) -> Cents {
        Cents(self.0 + other.0)
    }
}

impl Sum for Cents {
    fn sum<I: Iterator<Item = Cents>>(iter: I) -> Cents {
        iter.fold(Cents(0), Add::add)
    }
}

impl fmt::Display for Cents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}€{}.{:02}", abs / 100, abs % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_euros_and_cents() {
        assert_eq!(Cents(1250).to_string(), "€12.50");
        assert_eq!(Cents(5).to_string(), "€0.05");
        assert_eq!(Cents(-199).to_string(), "-€1.99");
    }

    #[test]
    fn reads_prices_as_people_type_them() {
        assert_eq!(Cents::parse_euros("12"), Some(Cents(1200)));
        assert_eq!(Cents::parse_euros(" 12.5 "), Some(Cents(1250)));
        assert_eq!(Cents::parse_euros("12,05"), Some(Cents(1205)));
        assert_eq!(Cents::parse_euros("€0.99"), Some(Cents(99)));
        for bad in ["", "-1", "1.234", "abc", "1.2.3", ".5", "99999999"] {
            assert_eq!(Cents::parse_euros(bad), None, "{bad}");
        }
        assert_eq!(Cents(1250).euros(), "12.50");
    }

    #[test]
    fn multiplies_and_sums() {
        assert_eq!(Cents(850).times(3), Cents(2550));
        assert_eq!([Cents(1), Cents(2), Cents(3)].into_iter().sum::<Cents>(), Cents(6));
    }
}
