//! Opening hours and pickup times. Pure: the server hands in the location's time zone.

use super::clock::hh_mm;
use super::validation::ValidationError;
use chrono::{DateTime, Days, NaiveTime, TimeDelta, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Pickup slots start on these minute boundaries.
pub const SLOT_MINUTES: i64 = 15;
/// The soonest a scheduled pickup can be: the time to make a pizza.
pub const MIN_LEAD_MINUTES: i64 = 20;
/// How far ahead a customer can schedule.
pub const MAX_AHEAD_HOURS: i64 = 24;

/// When a pizzeria is open each day, in its own local time. A closing time at or before the
/// opening time means it closes after midnight; equal times mean open around the clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpeningHours {
    pub opens: NaiveTime,
    pub closes: NaiveTime,
}

impl OpeningHours {
    pub const ALWAYS: OpeningHours = OpeningHours { opens: NaiveTime::MIN, closes: NaiveTime::MIN };

    /// The open periods, as UTC instants, that overlap the day before `now` to two days after.
    pub fn periods_around<Tz: TimeZone>(&self, tz: &Tz, now: DateTime<Utc>) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        if self.opens == self.closes {
            return vec![(now - TimeDelta::days(1), now + TimeDelta::days(2))];
        }
        let today = now.with_timezone(tz).date_naive();
        let mut periods = Vec::new();
        for offset in 0..4 {
            let Some(day) = today.checked_sub_days(Days::new(1)).and_then(|d| d.checked_add_days(Days::new(offset)))
            else {
                continue;
            };
            let close_day = if self.closes <= self.opens { day.succ_opt().unwrap_or(day) } else { day };
            // A time skipped by a DST change has no instant: that day's period is dropped.
            let local = |date: chrono::NaiveDate, time| tz.from_local_datetime(&date.and_time(time)).earliest();
            if let (Some(open), Some(close)) = (local(day, self.opens), local(close_day, self.closes)) {
                periods.push((open.with_timezone(&Utc), close.with_timezone(&Utc)));
            }
        }
        periods
    }
}

impl fmt::Display for OpeningHours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", hh_mm(&self.opens), hh_mm(&self.closes))
    }
}

impl FromStr for OpeningHours {
    type Err = String;
    /// "11:30-23:00", or "always".
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.trim().eq_ignore_ascii_case("always") {
            return Ok(OpeningHours::ALWAYS);
        }
        let (opens, closes) = s.split_once('-').ok_or_else(|| format!("expected HH:MM-HH:MM, got {s:?}"))?;
        let time = |t: &str| NaiveTime::parse_from_str(t.trim(), "%H:%M").map_err(|e| format!("{t:?}: {e}"));
        Ok(OpeningHours { opens: time(opens)?, closes: time(closes)? })
    }
}

/// What the checkout form offers: ASAP if open now, and the slots to choose from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PickupOptions {
    pub open_now: bool,
    pub slots: Vec<PickupSlot>,
    pub opening_hours: OpeningHours,
    /// The pizzeria's IANA time zone, e.g. "Europe/Paris".
    pub timezone: String,
}

/// A time a customer can choose, and how the pizzeria's clock reads it ("19:30", and whether
/// that is tomorrow).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PickupSlot {
    pub at: DateTime<Utc>,
    pub time: String,
    pub tomorrow: bool,
}

impl PickupSlot {
    pub fn new<Tz: TimeZone>(at: DateTime<Utc>, tz: &Tz, now: DateTime<Utc>) -> PickupSlot
    where
        Tz::Offset: fmt::Display,
    {
        let local = at.with_timezone(tz);
        let today = now.with_timezone(tz).date_naive();
        PickupSlot { at, time: hh_mm(&local), tomorrow: local.date_naive() != today }
    }
}

/// What a checkout needs to know about time: now, and when the shop is open.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PickupRules {
    pub now: DateTime<Utc>,
    pub open_periods: Vec<(DateTime<Utc>, DateTime<Utc>)>,
}

impl PickupRules {
    pub fn new<Tz: TimeZone>(hours: OpeningHours, tz: &Tz, now: DateTime<Utc>) -> PickupRules {
        PickupRules { now, open_periods: hours.periods_around(tz, now) }
    }

    fn is_open_at(&self, at: DateTime<Utc>) -> bool {
        self.open_periods.iter().any(|(open, close)| *open <= at && at < *close)
    }

    pub fn is_open_now(&self) -> bool {
        self.is_open_at(self.now)
    }

    /// The pickup times a customer can choose: every slot boundary from the minimum lead time
    /// on, within opening hours, for the next day.
    pub fn slots(&self) -> Vec<DateTime<Utc>> {
        let slot = SLOT_MINUTES * 60;
        let earliest = (self.now + TimeDelta::minutes(MIN_LEAD_MINUTES)).timestamp();
        let first = earliest.div_euclid(slot) * slot + if earliest.rem_euclid(slot) == 0 { 0 } else { slot };
        let last = (self.now + TimeDelta::hours(MAX_AHEAD_HOURS)).timestamp();
        (first..=last)
            .step_by(slot as usize)
            .filter_map(|t| DateTime::from_timestamp(t, 0))
            .filter(|t| self.is_open_at(*t))
            .collect()
    }

    /// `None` asks for as soon as possible, which needs the shop to be open now.
    pub fn check(&self, pickup_at: Option<DateTime<Utc>>) -> Result<(), ValidationError> {
        let refuse =
            |key: &str, args: &[(&str, crate::locale::Arg)]| Err(ValidationError::says("pickup_at", key, args));
        match pickup_at {
            None if self.is_open_now() => Ok(()),
            None => refuse("error-closed-now", &[]),
            Some(at) if at < self.now + TimeDelta::minutes(MIN_LEAD_MINUTES) => {
                refuse("error-pickup-too-soon", &[("minutes", MIN_LEAD_MINUTES.into())])
            }
            Some(at) if at > self.now + TimeDelta::hours(MAX_AHEAD_HOURS) => {
                refuse("error-pickup-too-late", &[("hours", MAX_AHEAD_HOURS.into())])
            }
            Some(at) if !self.is_open_at(at) => refuse("error-closed-then", &[]),
            Some(_) => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::FixedOffset;

    fn at(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    fn lunch_and_dinner() -> OpeningHours {
        "11:00-23:00".parse().unwrap()
    }

    #[test]
    fn parses_and_prints_hours() {
        assert_eq!(lunch_and_dinner().to_string(), "11:00-23:00");
        assert_eq!("always".parse::<OpeningHours>(), Ok(OpeningHours::ALWAYS));
        assert!("11-23".parse::<OpeningHours>().is_err());
        assert!("25:00-23:00".parse::<OpeningHours>().is_err());
    }

    #[test]
    fn asap_needs_the_shop_open() {
        let tz = FixedOffset::east_opt(3600).unwrap(); // 11:00 local is 10:00 UTC
        let open = PickupRules::new(lunch_and_dinner(), &tz, at("2026-11-22T12:00:00Z"));
        assert!(open.check(None).is_ok());
        let closed = PickupRules::new(lunch_and_dinner(), &tz, at("2026-11-22T09:30:00Z"));
        assert_eq!(closed.check(None).unwrap_err().field, "pickup_at");
    }

    #[test]
    fn scheduled_pickup_is_within_hours_and_lead_time() {
        let tz = FixedOffset::east_opt(0).unwrap();
        let rules = PickupRules::new(lunch_and_dinner(), &tz, at("2026-11-22T20:00:00Z"));
        assert!(rules.check(Some(at("2026-11-22T20:30:00Z"))).is_ok());
        assert!(rules.check(Some(at("2026-11-22T20:10:00Z"))).is_err(), "too soon");
        assert!(rules.check(Some(at("2026-11-22T23:30:00Z"))).is_err(), "after closing");
        assert!(rules.check(Some(at("2026-11-23T08:00:00Z"))).is_err(), "before opening");
        assert!(rules.check(Some(at("2026-11-23T11:30:00Z"))).is_ok(), "tomorrow lunch");
        assert!(rules.check(Some(at("2026-11-23T21:00:00Z"))).is_err(), "more than a day ahead");
    }

    #[test]
    fn slots_start_after_the_lead_time_on_boundaries_and_only_when_open() {
        let tz = FixedOffset::east_opt(0).unwrap();
        let rules = PickupRules::new(lunch_and_dinner(), &tz, at("2026-11-22T10:52:00Z"));
        let slots = rules.slots();
        assert_eq!(slots.first(), Some(&at("2026-11-22T11:15:00Z")));
        assert!(slots.iter().all(|s| s.timestamp() % (SLOT_MINUTES * 60) == 0));
        assert!(slots.iter().all(|s| rules.check(Some(*s)).is_ok()));
        assert!(!slots.contains(&at("2026-11-22T23:00:00Z")), "closing time itself is not a slot");
        assert_eq!(slots.len(), 47, "11:15 to 22:45 today; tomorrow opens after the 24 hours");
    }

    #[test]
    fn late_night_hours_cross_midnight() {
        let tz = FixedOffset::east_opt(0).unwrap();
        let hours: OpeningHours = "18:00-02:00".parse().unwrap();
        let rules = PickupRules::new(hours, &tz, at("2026-11-23T01:00:00Z"));
        assert!(rules.is_open_now());
        assert!(rules.check(Some(at("2026-11-23T01:45:00Z"))).is_ok());
        assert!(rules.check(Some(at("2026-11-23T03:00:00Z"))).is_err());
    }

    #[test]
    fn slot_labels_read_the_pizzeria_clock() {
        let paris = FixedOffset::east_opt(3600).unwrap();
        let now = at("2026-11-22T20:00:00Z");
        let tonight = PickupSlot::new(at("2026-11-22T21:30:00Z"), &paris, now);
        assert_eq!((tonight.time.as_str(), tonight.tomorrow), ("22:30", false));
        let tomorrow = PickupSlot::new(at("2026-11-23T10:00:00Z"), &paris, now);
        assert_eq!((tomorrow.time.as_str(), tomorrow.tomorrow), ("11:00", true));
    }

    #[test]
    fn always_open_takes_every_slot() {
        let rules = PickupRules::new(OpeningHours::ALWAYS, &Utc, at("2026-11-22T03:00:00Z"));
        assert!(rules.check(None).is_ok());
        assert_eq!(rules.slots().len(), 24 * 4 - 1);
    }
}
