//! The owner's report: orders per hour, time per stage, late tickets and best sellers, for
//! today and the last seven days, in the pizzeria's own time zone.

use super::kitchen::KitchenSettings;
use super::money::{Cents, Currency};
use super::order::OrderStatus;
use chrono::{DateTime, Duration, NaiveTime, TimeZone, Timelike, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// How many days the report looks back over, today included.
pub const REPORT_DAYS: i64 = 7;
/// Where an admin downloads the report's orders as CSV.
pub const ORDERS_CSV_PATH: &str = "/admin/reports/orders.csv";
/// How many best sellers the report lists.
pub const BEST_SELLERS: usize = 8;

/// One order as the report reads it: when it was placed and due, the stages it went
/// through, and what was in it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportOrder {
    pub id: i64,
    pub customer_name: String,
    pub placed_at: DateTime<Utc>,
    pub pickup_at: Option<DateTime<Utc>>,
    /// The fire time decided when it was placed, if one was (see [`KitchenSettings::fire_time`]).
    pub fire_at: Option<DateTime<Utc>>,
    pub status: OrderStatus,
    pub total: Cents,
    /// Each stage it entered, and when, oldest first (an undone change shows as a move back).
    pub stages: Vec<(OrderStatus, DateTime<Utc>)>,
    /// Item name and quantity, per line, in the words the order was placed with.
    pub lines: Vec<(String, u32)>,
}

impl ReportOrder {
    /// When it first became ready, if it did.
    pub fn ready_at(&self) -> Option<DateTime<Utc>> {
        self.entered(OrderStatus::Ready)
    }

    /// When it was collected, if it was (and not recalled since).
    pub fn collected_at(&self) -> Option<DateTime<Utc>> {
        (self.status == OrderStatus::Collected).then(|| self.entered(OrderStatus::Collected)).flatten()
    }

    fn entered(&self, stage: OrderStatus) -> Option<DateTime<Utc>> {
        self.stages.iter().find(|(status, _)| *status == stage).map(|(_, at)| *at)
    }

    /// When the kitchen was to start it: a pre-order is not waiting before.
    pub fn due_at(&self, settings: &KitchenSettings) -> DateTime<Utc> {
        settings.fire_time(self.fire_at, self.pickup_at, self.placed_at)
    }

    /// Whether its ticket turned red on the wall before it was ready: ready `late_after_secs`
    /// or more after it was due. `None` while it is not ready (or was cancelled first).
    pub fn was_late(&self, settings: &KitchenSettings) -> Option<bool> {
        let ready = self.ready_at()?;
        Some((ready - self.due_at(settings)).num_seconds() >= settings.late_after_secs)
    }

    /// Seconds spent in each stage it left, waiting counted from when it was due.
    fn stage_secs<'a>(&'a self, settings: &KitchenSettings) -> impl Iterator<Item = (OrderStatus, i64)> + 'a {
        let due = self.due_at(settings);
        self.stages.windows(2).map(move |pair| {
            let ((stage, entered), (_, left)) = (pair[0], pair[1]);
            let from = if stage == OrderStatus::Received { entered.max(due) } else { entered };
            (stage, (left - from).num_seconds().max(0))
        })
    }
}

/// The CSV export: its rows and the currency of their totals.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrdersExport {
    pub currency: Currency,
    pub rows: Vec<ExportRow>,
}

/// One order as a row of the CSV export, its times in the pizzeria's zone
/// ("2026-12-07 19:04"): what an owner's spreadsheet or accountant reads.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExportRow {
    pub order: i64,
    pub placed: String,
    pub pickup: String,
    pub status: OrderStatus,
    pub customer: String,
    /// "2 × Margherita; 1 × Diavola".
    pub items: String,
    pub total: Cents,
    pub ready: String,
    pub collected: String,
    /// Minutes from when it was due to when it was ready.
    pub minutes_to_ready: Option<i64>,
    pub late: Option<bool>,
}

impl ReportOrder {
    pub fn export_row<Tz: TimeZone>(&self, settings: &KitchenSettings, tz: &Tz) -> ExportRow
    where
        Tz::Offset: std::fmt::Display,
    {
        let local = |at: Option<DateTime<Utc>>| {
            at.map(|at| at.with_timezone(tz).format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default()
        };
        ExportRow {
            order: self.id,
            placed: local(Some(self.placed_at)),
            pickup: local(self.pickup_at),
            status: self.status,
            customer: self.customer_name.clone(),
            items: self
                .lines
                .iter()
                .map(|(name, quantity)| format!("{quantity} × {name}"))
                .collect::<Vec<_>>()
                .join("; "),
            total: self.total,
            ready: local(self.ready_at()),
            collected: local(self.collected_at()),
            minutes_to_ready: self.ready_at().map(|ready| (ready - self.due_at(settings)).num_minutes()),
            late: self.was_late(settings),
        }
    }
}

/// Counts over one period.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PeriodTotals {
    /// Orders placed, cancelled ones included.
    pub orders: u32,
    pub cancelled: u32,
    /// Takings of the orders not cancelled.
    pub revenue: Cents,
    /// Tickets that became ready, and how many of them turned red first.
    pub finished: u32,
    pub late: u32,
}

impl PeriodTotals {
    /// The share of finished tickets that were late, in whole percent.
    pub fn late_percent(&self) -> Option<u32> {
        (self.finished > 0).then(|| (f64::from(self.late) * 100.0 / f64::from(self.finished)).round() as u32)
    }
}

/// How long orders spent in one stage, on average, over the last seven days.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StageAverage {
    pub stage: OrderStatus,
    pub average_secs: i64,
    pub orders: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BestSeller {
    pub name: String,
    pub quantity: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The pizzeria's time zone, whose hours and days the report counts in.
    pub timezone: String,
    pub today: PeriodTotals,
    pub week: PeriodTotals,
    /// Orders placed today in each hour of the day, 0 to 23.
    pub today_per_hour: [u32; 24],
    /// Orders placed in each hour of the day over the last seven days, divided by seven.
    pub week_average_per_hour: [f32; 24],
    /// Waiting, preparing, baking and ready-for-pickup, in that order.
    pub stages: Vec<StageAverage>,
    /// The most ordered items over the last seven days (cancelled orders left out).
    pub best_sellers: Vec<BestSeller>,
}

/// The stages whose time the report averages: every stage an order leaves on its way.
const TIMED: [OrderStatus; 4] =
    [OrderStatus::Received, OrderStatus::Preparing, OrderStatus::Baking, OrderStatus::Ready];

/// Local midnight of `now`'s day in `tz`, as an instant.
pub fn start_of_day<Tz: TimeZone>(tz: &Tz, now: DateTime<Utc>) -> DateTime<Utc> {
    let day = now.with_timezone(tz).date_naive();
    // A day that begins in a gap (a DST change at midnight) begins at the gap's end.
    (0..4)
        .find_map(|hour| tz.from_local_datetime(&day.and_time(NaiveTime::from_hms_opt(hour, 0, 0)?)).earliest())
        .map(|start| start.with_timezone(&Utc))
        .unwrap_or(now - Duration::hours(i64::from(now.with_timezone(tz).hour())))
}

/// Where the report's seven days begin: local midnight six days before today.
pub fn report_start<Tz: TimeZone>(tz: &Tz, now: DateTime<Utc>) -> DateTime<Utc> {
    start_of_day(tz, start_of_day(tz, now) - Duration::days(REPORT_DAYS - 1) + Duration::hours(12))
}

impl Report {
    /// The report over `orders` (those placed since [`report_start`]), as of `now`.
    pub fn build<Tz: TimeZone>(
        orders: &[ReportOrder],
        settings: &KitchenSettings,
        tz: &Tz,
        timezone: &str,
        now: DateTime<Utc>,
    ) -> Report {
        let today_starts = start_of_day(tz, now);
        let week_starts = report_start(tz, now);
        let mut report = Report {
            timezone: timezone.to_string(),
            today: PeriodTotals::default(),
            week: PeriodTotals::default(),
            today_per_hour: [0; 24],
            week_average_per_hour: [0.0; 24],
            stages: Vec::new(),
            best_sellers: Vec::new(),
        };
        let mut week_per_hour = [0u32; 24];
        let mut stage_sums: HashMap<OrderStatus, (i64, u32)> = HashMap::new();
        let mut sold: HashMap<&str, u32> = HashMap::new();
        for order in orders.iter().filter(|order| order.placed_at >= week_starts && order.placed_at <= now) {
            let hour = order.placed_at.with_timezone(tz).hour() as usize;
            week_per_hour[hour] += 1;
            let today = order.placed_at >= today_starts;
            if today {
                report.today_per_hour[hour] += 1;
            }
            let periods: &mut [&mut PeriodTotals] =
                if today { &mut [&mut report.today, &mut report.week] } else { &mut [&mut report.week] };
            for totals in periods.iter_mut() {
                totals.orders += 1;
                if order.status == OrderStatus::Cancelled {
                    totals.cancelled += 1;
                } else {
                    totals.revenue = totals.revenue + order.total;
                }
                if let Some(late) = order.was_late(settings) {
                    totals.finished += 1;
                    totals.late += u32::from(late);
                }
            }
            for (stage, secs) in order.stage_secs(settings) {
                let sum = stage_sums.entry(stage).or_default();
                sum.0 += secs;
                sum.1 += 1;
            }
            if order.status != OrderStatus::Cancelled {
                for (name, quantity) in &order.lines {
                    *sold.entry(name.as_str()).or_default() += quantity;
                }
            }
        }
        for (hour, count) in week_per_hour.iter().enumerate() {
            report.week_average_per_hour[hour] = *count as f32 / REPORT_DAYS as f32;
        }
        report.stages = TIMED
            .iter()
            .filter_map(|stage| {
                let (total, orders) = stage_sums.get(stage).copied()?;
                Some(StageAverage { stage: *stage, average_secs: total / i64::from(orders.max(1)), orders })
            })
            .collect();
        let mut best: Vec<BestSeller> =
            sold.into_iter().map(|(name, quantity)| BestSeller { name: name.to_string(), quantity }).collect();
        best.sort_by(|a, b| b.quantity.cmp(&a.quantity).then_with(|| a.name.cmp(&b.name)));
        best.truncate(BEST_SELLERS);
        report.best_sellers = best;
        report
    }

    /// The hours worth drawing: from the first to the last hour with any order in the seven
    /// days (a pizzeria open from 11 to 23 gets no empty night), widened to at least
    /// [`MIN_HOURS_SHOWN`] so a quiet day is not one bar across the chart; the whole day when
    /// there were no orders.
    pub fn busy_hours(&self) -> std::ops::RangeInclusive<usize> {
        let busy = |hour: &usize| self.week_average_per_hour[*hour] > 0.0;
        let (Some(mut first), Some(mut last)) = ((0..24).find(busy), (0..24).rev().find(busy)) else {
            return 0..=23;
        };
        while last - first + 1 < MIN_HOURS_SHOWN {
            first = first.saturating_sub(1);
            if last - first + 1 < MIN_HOURS_SHOWN && last < 23 {
                last += 1;
            }
        }
        first..=last
    }
}

/// The fewest hours the orders-per-hour chart spans.
pub const MIN_HOURS_SHOWN: usize = 12;

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::FixedOffset;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    fn order(id: i64, placed: &str, stages: &[(OrderStatus, &str)], lines: &[(&str, u32)]) -> ReportOrder {
        let status = stages.last().map(|(status, _)| *status).unwrap_or(OrderStatus::Received);
        ReportOrder {
            id,
            customer_name: format!("Guest {id}"),
            placed_at: at(placed),
            pickup_at: None,
            fire_at: None,
            status,
            total: Cents(1000),
            stages: std::iter::once((OrderStatus::Received, at(placed)))
                .chain(stages.iter().map(|(status, when)| (*status, at(when))))
                .collect(),
            lines: lines.iter().map(|(name, quantity)| (name.to_string(), *quantity)).collect(),
        }
    }

    const NOW: &str = "2026-12-07T20:00:00Z";

    #[test]
    fn orders_are_counted_in_the_pizzerias_hours_and_days() {
        // Paris is UTC+1 in December: 22:30 UTC on the 6th is 23:30 there, still the 6th;
        // 23:30 UTC on the 6th is 00:30 on the 7th, so today.
        let paris = FixedOffset::east_opt(3600).unwrap();
        let orders = [
            order(1, "2026-12-06T22:30:00Z", &[], &[]),
            order(2, "2026-12-06T23:30:00Z", &[], &[]),
            order(3, "2026-12-07T18:10:00Z", &[], &[]),
            order(4, "2026-11-30T22:59:00Z", &[], &[]), // the 30th at 23:59 in Paris: too old
            order(5, "2026-11-30T23:00:00Z", &[], &[]), // the 1st at 00:00: the first day counted
        ];
        let report = Report::build(&orders, &KitchenSettings::default(), &paris, "Europe/Paris", at(NOW));
        assert_eq!(report.today.orders, 2);
        assert_eq!(report.week.orders, 4);
        assert_eq!(report.today_per_hour[0], 1);
        assert_eq!(report.today_per_hour[19], 1);
        assert_eq!(report.today_per_hour[23], 0);
        assert!((report.week_average_per_hour[23] - 1.0 / 7.0).abs() < 1e-6);
        assert!((report.week_average_per_hour[0] - 2.0 / 7.0).abs() < 1e-6);
        assert_eq!(report.busy_hours(), 0..=23);
    }

    #[test]
    fn a_ticket_is_late_when_it_was_ready_after_the_walls_red_threshold() {
        let settings = KitchenSettings { late_after_secs: 600, ..KitchenSettings::default() };
        let ready = |placed: &str, ready: &str| order(1, placed, &[(OrderStatus::Ready, ready)], &[]);
        assert_eq!(ready("2026-12-07T19:00:00Z", "2026-12-07T19:09:59Z").was_late(&settings), Some(false));
        assert_eq!(ready("2026-12-07T19:00:00Z", "2026-12-07T19:10:00Z").was_late(&settings), Some(true));
        // A pre-order is measured from when it was due, not from when it was placed.
        let mut early = ready("2026-12-07T12:00:00Z", "2026-12-07T19:05:00Z");
        early.fire_at = Some(at("2026-12-07T19:00:00Z"));
        assert_eq!(early.was_late(&settings), Some(false));
        // Not ready yet: neither late nor on time.
        assert_eq!(order(2, "2026-12-07T19:00:00Z", &[], &[]).was_late(&settings), None);

        let orders = [
            ready("2026-12-07T19:00:00Z", "2026-12-07T19:20:00Z"),
            ready("2026-12-07T19:00:00Z", "2026-12-07T19:05:00Z"),
            ready("2026-12-07T19:00:00Z", "2026-12-07T19:06:00Z"),
            ready("2026-12-07T19:00:00Z", "2026-12-07T19:07:00Z"),
            order(5, "2026-12-07T19:30:00Z", &[], &[]),
        ];
        let report = Report::build(&orders, &settings, &Utc, "UTC", at(NOW));
        assert_eq!((report.today.finished, report.today.late), (4, 1));
        assert_eq!(report.today.late_percent(), Some(25));
        assert_eq!(PeriodTotals::default().late_percent(), None);
    }

    #[test]
    fn stage_times_average_what_each_order_spent_waiting_from_when_it_was_due() {
        let mut pre_order = order(
            1,
            "2026-12-07T12:00:00Z",
            &[(OrderStatus::Preparing, "2026-12-07T19:02:00Z"), (OrderStatus::Baking, "2026-12-07T19:08:00Z")],
            &[],
        );
        pre_order.fire_at = Some(at("2026-12-07T19:00:00Z"));
        let now_order = order(
            2,
            "2026-12-07T19:00:00Z",
            &[
                (OrderStatus::Preparing, "2026-12-07T19:04:00Z"),
                (OrderStatus::Baking, "2026-12-07T19:14:00Z"),
                (OrderStatus::Ready, "2026-12-07T19:24:00Z"),
                (OrderStatus::Collected, "2026-12-07T19:30:00Z"),
            ],
            &[],
        );
        let report = Report::build(&[pre_order, now_order], &KitchenSettings::default(), &Utc, "UTC", at(NOW));
        let average =
            |stage| report.stages.iter().find(|average| average.stage == stage).map(|a| (a.average_secs, a.orders));
        assert_eq!(average(OrderStatus::Received), Some((180, 2)));
        assert_eq!(average(OrderStatus::Preparing), Some((480, 2)));
        assert_eq!(average(OrderStatus::Baking), Some((600, 1)));
        assert_eq!(average(OrderStatus::Ready), Some((360, 1)));
        assert_eq!(report.stages.len(), 4);
    }

    #[test]
    fn best_sellers_add_up_quantities_and_leave_out_cancelled_orders() {
        let mut cancelled =
            order(3, "2026-12-07T18:00:00Z", &[(OrderStatus::Cancelled, "2026-12-07T18:01:00Z")], &[("Diavola", 9)]);
        cancelled.total = Cents(9000);
        let orders = [
            order(1, "2026-12-07T18:00:00Z", &[], &[("Margherita", 2), ("Diavola", 1)]),
            order(2, "2026-12-05T18:00:00Z", &[], &[("Diavola", 2), ("Marinara", 3)]),
            cancelled,
        ];
        let report = Report::build(&orders, &KitchenSettings::default(), &Utc, "UTC", at(NOW));
        let best: Vec<(&str, u32)> =
            report.best_sellers.iter().map(|best| (best.name.as_str(), best.quantity)).collect();
        assert_eq!(best, vec![("Diavola", 3), ("Marinara", 3), ("Margherita", 2)]);
        assert_eq!((report.week.orders, report.week.cancelled, report.week.revenue), (3, 1, Cents(2000)));
        assert_eq!((report.today.orders, report.today.revenue), (2, Cents(1000)));
    }

    #[test]
    fn an_export_row_shows_the_order_in_the_pizzerias_time() {
        let paris = FixedOffset::east_opt(3600).unwrap();
        let mut collected = order(
            7,
            "2026-12-07T18:00:00Z",
            &[(OrderStatus::Ready, "2026-12-07T18:12:00Z"), (OrderStatus::Collected, "2026-12-07T18:20:00Z")],
            &[("Margherita", 2), ("Diavola", 1)],
        );
        collected.pickup_at = Some(at("2026-12-07T18:15:00Z"));
        collected.fire_at = Some(at("2026-12-07T18:00:00Z"));
        let row = collected.export_row(&KitchenSettings { late_after_secs: 600, ..KitchenSettings::default() }, &paris);
        assert_eq!(row.placed, "2026-12-07 19:00");
        assert_eq!(row.pickup, "2026-12-07 19:15");
        assert_eq!((row.ready.as_str(), row.collected.as_str()), ("2026-12-07 19:12", "2026-12-07 19:20"));
        assert_eq!(row.items, "2 × Margherita; 1 × Diavola");
        assert_eq!((row.minutes_to_ready, row.late), (Some(12), Some(true)));
        let open = order(8, "2026-12-07T18:00:00Z", &[], &[]).export_row(&KitchenSettings::default(), &paris);
        assert_eq!((open.ready.as_str(), open.collected.as_str(), open.late), ("", "", None));
    }

    #[test]
    fn the_chart_skips_the_hours_nobody_ordered_in() {
        let orders = [order(1, "2026-12-07T11:10:00Z", &[], &[]), order(2, "2026-12-05T22:10:00Z", &[], &[])];
        let report = Report::build(&orders, &KitchenSettings::default(), &Utc, "UTC", at(NOW));
        assert_eq!(report.busy_hours(), 11..=22);
        // One busy hour is widened to twelve around it, and kept inside the day.
        let one =
            |placed| Report::build(&[order(1, placed, &[], &[])], &KitchenSettings::default(), &Utc, "UTC", at(NOW));
        assert_eq!(one("2026-12-07T19:10:00Z").busy_hours(), 12..=23);
        assert_eq!(one("2026-12-07T01:10:00Z").busy_hours(), 0..=11);
        assert_eq!(one("2026-12-07T12:10:00Z").busy_hours(), 6..=17);
    }

    #[test]
    fn a_day_that_starts_in_a_clock_change_starts_when_the_clock_resumes() {
        // Chile's clocks jump from 00:00 to 01:00 on 6 September 2026: that day has no
        // local midnight, and begins at 01:00 (04:00 UTC).
        let santiago = chrono_tz::America::Santiago;
        assert_eq!(start_of_day(&santiago, at("2026-09-06T15:00:00Z")), at("2026-09-06T04:00:00Z"));
        assert_eq!(start_of_day(&santiago, at("2026-09-05T15:00:00Z")), at("2026-09-05T04:00:00Z"));
        // The seven days reach back across the change to a midnight that did exist.
        assert_eq!(report_start(&santiago, at("2026-09-08T15:00:00Z")), at("2026-09-02T04:00:00Z"));
        assert_eq!(report_start(&Utc, at(NOW)), at("2026-12-01T00:00:00Z"));
    }
}
