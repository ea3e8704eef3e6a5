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

    /// "12.50": the amount without a currency, for a form field or a spreadsheet.
    pub fn plain(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }

    /// The number as a reader of `lang` writes it: "1,234.50" in English, "1 234,50" in French
    /// (no-break spaces, so a price never wraps), without a sign or currency.
    fn number_in(self, lang: Lang) -> String {
        let abs = self.0.unsigned_abs();
        let (group, decimal) = match lang {
            Lang::En => (",", "."),
            Lang::Fr => ("\u{202F}", ","),
        };
        let digits = (abs / 100).to_string();
        let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 * 3);
        for (position, digit) in digits.chars().enumerate() {
            if position > 0 && (digits.len() - position).is_multiple_of(3) {
                grouped.push_str(group);
            }
            grouped.push(digit);
        }
        format!("{grouped}{decimal}{:02}", abs % 100)
    }

    /// Reads what a person types for a price: "12", "12.5", "12,50", "€12.50", "CHF 12.50",
    /// "12,50 €". Never negative, at most two decimals.
    pub fn parse(text: &str) -> Option<Cents> {
        let text = text.trim().trim_matches(|c: char| !(c.is_ascii_digit() || c == '.' || c == ',' || c == '-'));
        let text = text.replace(',', ".");
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

/// The currency a pizzeria prices in (a setting of each pizzeria). Each of these counts in
/// hundredths, as [`Cents`] do; changing it converts no price.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Currency {
    #[default]
    Eur,
    Gbp,
    Usd,
    Chf,
    Cad,
}

impl Currency {
    pub const ALL: [Currency; 5] = [Currency::Eur, Currency::Gbp, Currency::Usd, Currency::Chf, Currency::Cad];

    /// Its ISO 4217 code: "EUR".
    pub fn code(self) -> &'static str {
        match self {
            Currency::Eur => "EUR",
            Currency::Gbp => "GBP",
            Currency::Usd => "USD",
            Currency::Chf => "CHF",
            Currency::Cad => "CAD",
        }
    }

    /// The currency of an ISO 4217 code, in any case.
    pub fn parse(code: &str) -> Option<Currency> {
        Currency::ALL.into_iter().find(|currency| currency.code().eq_ignore_ascii_case(code.trim()))
    }

    /// The amount as a reader of `lang` writes it in this currency: "€1,234.50", "£8.00",
    /// "CHF 8.00" in English; "1 234,50 €", "8,00 $US" in French.
    pub fn show(self, amount: Cents, lang: Lang) -> String {
        let sign = if amount.0 < 0 { "-" } else { "" };
        let number = amount.number_in(lang);
        match lang {
            Lang::En => {
                let symbol = match self {
                    Currency::Eur => "€",
                    Currency::Gbp => "£",
                    Currency::Usd => "$",
                    Currency::Chf => "CHF\u{A0}",
                    Currency::Cad => "CA$",
                };
                format!("{sign}{symbol}{number}")
            }
            Lang::Fr => {
                let symbol = match self {
                    Currency::Eur => "€",
                    Currency::Gbp => "£",
                    Currency::Usd => "$\u{A0}US",
                    Currency::Chf => "CHF",
                    Currency::Cad => "$\u{A0}CA",
                };
                format!("{sign}{number}\u{A0}{symbol}")
            }
        }
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
    /// "12.50": see [`Cents::plain`]. A page shows money through [`Currency::show`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.plain())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_amounts_have_two_decimals_and_no_currency() {
        assert_eq!(Cents(1250).plain(), "12.50");
        assert_eq!(Cents(5).plain(), "0.05");
        assert_eq!(Cents(-199).to_string(), "-1.99");
    }

    #[test]
    fn shows_money_as_each_language_writes_it() {
        let euro = Currency::Eur;
        assert_eq!(euro.show(Cents(1800), Lang::En), "€18.00");
        assert_eq!(euro.show(Cents(1800), Lang::Fr), "18,00\u{A0}€");
        assert_eq!(euro.show(Cents(123_456), Lang::En), "€1,234.56");
        assert_eq!(euro.show(Cents(123_456_789), Lang::Fr), "1\u{202F}234\u{202F}567,89\u{A0}€");
        assert_eq!(euro.show(Cents(5), Lang::Fr), "0,05\u{A0}€");
        assert_eq!(euro.show(Cents(-199), Lang::En), "-€1.99");
        assert_eq!(euro.show(Cents(-199), Lang::Fr), "-1,99\u{A0}€");
        assert_eq!(euro.show(Cents(99_900), Lang::En), "€999.00", "no separator below a thousand");
    }

    #[test]
    fn each_currency_is_written_where_its_readers_expect_it() {
        let shown: Vec<(String, String)> = Currency::ALL
            .into_iter()
            .map(|currency| (currency.show(Cents(800), Lang::En), currency.show(Cents(800), Lang::Fr)))
            .collect();
        let expected = [
            ("€8.00", "8,00\u{A0}€"),
            ("£8.00", "8,00\u{A0}£"),
            ("$8.00", "8,00\u{A0}$\u{A0}US"),
            ("CHF\u{A0}8.00", "8,00\u{A0}CHF"),
            ("CA$8.00", "8,00\u{A0}$\u{A0}CA"),
        ];
        let expected: Vec<(String, String)> =
            expected.iter().map(|(en, fr)| (en.to_string(), fr.to_string())).collect();
        assert_eq!(shown, expected);
        for currency in Currency::ALL {
            assert_eq!(Currency::parse(&currency.code().to_lowercase()), Some(currency));
        }
        assert_eq!(Currency::parse("XYZ"), None);
        assert_eq!(Currency::parse(""), None);
        assert_eq!(Currency::default(), Currency::Eur);
    }

    #[test]
    fn reads_prices_as_people_type_them() {
        assert_eq!(Cents::parse("12"), Some(Cents(1200)));
        assert_eq!(Cents::parse(" 12.5 "), Some(Cents(1250)));
        assert_eq!(Cents::parse("12,05"), Some(Cents(1205)));
        assert_eq!(Cents::parse("€0.99"), Some(Cents(99)));
        assert_eq!(Cents::parse("CHF 8.50"), Some(Cents(850)));
        assert_eq!(Cents::parse("8,50\u{A0}€"), Some(Cents(850)));
        for bad in ["", "-1", "1.234", "abc", "1.2.3", ".5", "99999999", "€"] {
            assert_eq!(Cents::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn multiplies_and_sums() {
        assert_eq!(Cents(850).times(3), Cents(2550));
        assert_eq!([Cents(1), Cents(2), Cents(3)].into_iter().sum::<Cents>(), Cents(6));
    }
}
