use crate::domain::clock::{hh_mm, hh_mm_ss};
use crate::i18n::t;
use chrono::{DateTime, Local, Utc};
use leptos::either::Either;
use leptos::prelude::*;

/// A time of day in the viewer's own time zone. The server renders UTC (it cannot know the
/// browser's zone); once hydrated, the browser replaces it with local time.
#[component]
pub fn LocalTime(at: DateTime<Utc>) -> impl IntoView {
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let text = move || {
        if hydrated.get() {
            hh_mm(&at.with_timezone(&Local))
        } else {
            format!("{} UTC", hh_mm(&at))
        }
    };
    view! { <time datetime=at.to_rfc3339()>{text}</time> }
}

/// "ASAP" or "Pickup 19:30": when the customer comes for the order.
#[component]
pub fn PickupTime(at: Option<DateTime<Utc>>) -> impl IntoView {
    match at {
        Some(at) => {
            Either::Left(view! { <span class="pickup pickup-scheduled">{t("lines-pickup")}" "<LocalTime at/></span> })
        }
        None => Either::Right(view! { <span class="pickup pickup-asap">{t("pickup-asap")}</span> }),
    }
}

/// hh:mm:ss in local time, for a moment given in ms since the epoch.
pub fn format_local_clock(ms: f64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms as i64).map(|at| hh_mm_ss(&at.with_timezone(&Local))).unwrap_or_default()
}

/// A short human duration: "12 s", "4 min", "1 h 05".
pub fn format_age(ms: f64) -> String {
    let seconds = (ms / 1000.0).max(0.0) as i64;
    match seconds {
        s if s < 60 => format!("{s} s"),
        s if s < 3600 => format!("{} min", s / 60),
        s => format!("{} h {:02}", s / 3600, (s % 3600) / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_naturally() {
        assert_eq!(format_age(-5.0), "0 s");
        assert_eq!(format_age(12_400.0), "12 s");
        assert_eq!(format_age(4.0 * 60_000.0 + 30_000.0), "4 min");
        assert_eq!(format_age(3_900_000.0), "1 h 05");
    }
}
