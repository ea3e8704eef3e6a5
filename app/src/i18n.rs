//! The page's language. A page's language is fixed for the page load: the server picks it (the
//! `pizzeria_lang` cookie, else `Accept-Language`, else English) and writes it into
//! `<html lang>`, where the browser reads it back. Switching language is a plain link to
//! `/lang/<code>`, which sets the cookie and comes back: it works without JavaScript, and
//! nothing needs to re-render. The texts themselves are in [`crate::locale`].

pub use crate::domain::money::Currency;
pub use crate::locale::{Arg, Lang, Text};

/// The language of the page being rendered: provided once, by [`provide_lang`].
pub fn use_lang() -> Lang {
    leptos::prelude::use_context::<Lang>().unwrap_or_default()
}

/// `t("menu-title")`, or with placeholders `t_with("orders-ahead", &[("count", 3.into())])`.
pub fn t(key: &str) -> String {
    use_lang().text(key)
}

pub fn t_with(key: &str, args: &[(&str, Arg)]) -> String {
    use_lang().text_with(key, args)
}

/// The words for domain values, in the page's language.
pub fn status_label(status: crate::domain::OrderStatus) -> String {
    t(&format!("status-{}", status.as_str()))
}

pub fn status_short_label(status: crate::domain::OrderStatus) -> String {
    t(&format!("status-short-{}", status.as_str()))
}

/// The words on the button that moves an order to `status`.
pub fn status_action_label(status: crate::domain::OrderStatus) -> String {
    t(&format!("status-action-{}", status.as_str()))
}

/// An amount in the pizzeria's currency, as the page's language writes it ("€18.00",
/// "18,00 €", "CHF 18.00").
pub fn money(amount: crate::domain::Cents) -> String {
    use_currency().show(amount, use_lang())
}

/// The currency of the pizzeria the page is about: provided once, by [`provide_currency`].
pub fn use_currency() -> Currency {
    leptos::prelude::use_context::<Currency>().unwrap_or_default()
}

/// The attribute of `<html>` that carries the page's currency to the browser.
pub const CURRENCY_ATTRIBUTE: &str = "data-currency";

/// Provides the page's currency to every component below: on the server, the one the request
/// carries (see the server's `http::currency`); in the browser, what the server wrote into
/// `<html data-currency>`.
pub fn provide_currency() -> Currency {
    #[cfg(feature = "ssr")]
    let currency = leptos::prelude::use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<Currency>().copied())
        .unwrap_or_default();
    #[cfg(feature = "hydrate")]
    let currency = leptos::prelude::document()
        .document_element()
        .and_then(|html| html.get_attribute(CURRENCY_ATTRIBUTE))
        .and_then(|code| Currency::parse(&code))
        .unwrap_or_default();
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    let currency = Currency::default();
    leptos::prelude::provide_context(currency);
    currency
}

pub fn size_label(size: crate::domain::Size) -> String {
    t(&format!("size-{}", size.code()))
}

/// "Medium · 30 cm": a size as customers choose it, the same name on every page.
pub fn size_with_diameter(size: crate::domain::Size) -> String {
    t_with("size-with-diameter", &[("size", size_label(size).into()), ("cm", size.diameter_cm().into())])
}

/// "Open 11:30-23:00 (Europe/Paris)", or "Open around the clock".
pub fn opening_hours_text(hours: crate::domain::OpeningHours, timezone: &str) -> String {
    if hours == crate::domain::OpeningHours::ALWAYS {
        t("checkout-open-always")
    } else {
        t_with("checkout-open-hours", &[("hours", hours.to_string().into()), ("timezone", timezone.into())])
    }
}

pub fn category_title(category: crate::domain::Category) -> String {
    t(&format!("category-{}", category.code()))
}

pub fn allergen_name(allergen: crate::domain::Allergen) -> String {
    t(&format!("allergen-{}", allergen.code()))
}

/// "gluten, milk" in the page's language.
pub fn allergen_list(allergens: &[crate::domain::Allergen]) -> String {
    allergens.iter().map(|allergen| allergen_name(*allergen)).collect::<Vec<_>>().join(", ")
}

/// "19:30", or "tomorrow 11:00".
pub fn slot_label(slot: &crate::domain::pickup::PickupSlot) -> String {
    match slot.tomorrow {
        true => t_with("pickup-slot-tomorrow", &[("time", slot.time.as_str().into())]),
        false => slot.time.clone(),
    }
}

/// An error as the page's language says it (see [`AppError::text_in`]).
pub fn error_text(err: &crate::api::AppError) -> String {
    err.text_in(use_lang())
}

/// Decides the page's language and provides it to every component below.
pub fn provide_lang() -> Lang {
    let lang = current_lang();
    leptos::prelude::provide_context(lang);
    lang
}

#[cfg(feature = "ssr")]
fn current_lang() -> Lang {
    leptos::prelude::use_context::<http::request::Parts>()
        .map(|parts| crate::api::request_lang(&parts.headers))
        .unwrap_or_default()
}

/// In the browser: what the server wrote into `<html lang>`.
#[cfg(not(feature = "ssr"))]
fn current_lang() -> Lang {
    #[cfg(feature = "hydrate")]
    {
        leptos::prelude::document()
            .document_element()
            .and_then(|html| html.get_attribute("lang"))
            .and_then(|code| Lang::parse(&code))
            .unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    Lang::default()
}
