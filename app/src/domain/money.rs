use crate::locale::Lang;
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

    /// The amount as a reader of `lang` writes it: "€1,234.50" in English, "1 234,50 €" in
    /// French (no-break spaces, so a price never wraps).
    pub fn shown_in(self, lang: Lang) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let (group, decimal) = match lang {
            Lang::En => (",", "."),
            Lang::Fr => ("\u{202F}", ","),
        };
        let whole = abs / 100;
        let digits = whole.to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 * 3);
        for (position, digit) in digits.chars().enumerate() {
            if position > 0 && (digits.len() - position).is_multiple_of(3) {
                grouped.push_str(group);
            }
            grouped.push(digit);
        }
        let number = format!("{grouped}{decimal}{:02}", abs % 100);
        match lang {
            Lang::En => format!("{sign}€{number}"),
            Lang::Fr => format!("{sign}{number}\u{A0}€"),
        }
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
    fn shows_money_as_each_language_writes_it() {
        assert_eq!(Cents(1800).shown_in(Lang::En), "€18.00");
        assert_eq!(Cents(1800).shown_in(Lang::Fr), "18,00\u{A0}€");
        assert_eq!(Cents(123_456).shown_in(Lang::En), "€1,234.56");
        assert_eq!(Cents(123_456_789).shown_in(Lang::Fr), "1\u{202F}234\u{202F}567,89\u{A0}€");
        assert_eq!(Cents(5).shown_in(Lang::Fr), "0,05\u{A0}€");
        assert_eq!(Cents(-199).shown_in(Lang::En), "-€1.99");
        assert_eq!(Cents(-199).shown_in(Lang::Fr), "-1,99\u{A0}€");
        assert_eq!(Cents(99_900).shown_in(Lang::En), "€999.00", "no separator below a thousand");
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
