//! `/admin/reports`: how the pizzeria did today and over the last seven days.
//!
//! The charts are SVG written by these components on the server: the page has no island, so
//! no chart code reaches the browser, and their words are translated like any other. Each
//! chart has its numbers in a table beside it, for screen readers and for anyone who wants
//! them exactly.

use crate::api::get_report;
use crate::domain::reports::{PeriodTotals, Report, ORDERS_CSV_PATH, REPORT_DAYS};
use crate::domain::OrderStatus;
use crate::i18n::{t, use_lang};
use crate::locale::Lang;
use leptos::prelude::*;

#[component]
pub fn ReportsPage() -> impl IntoView {
    let report = Resource::new(|| (), |_| get_report());
    view! {
        <super::AdminTopBar/>
        <main class="page reports-page">
            <h1>{t("report-title")}</h1>
            // A resource fetches it (a task of its own: see `OrderPage`), the `Suspend` awaits it.
            <Suspense fallback=super::loading_notice()>
                {Suspend::new(async move {
                    super::loaded_or_refused(report.await, |report| view! { <ReportView report/> })
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn ReportView(report: Report) -> impl IntoView {
    let lang = use_lang();
    view! {
        <p class="hint">{lang.text_with("report-explain", &[("days", REPORT_DAYS.into()), ("timezone", report.timezone.clone().into())])}</p>
        <section class="report-totals" aria-label=t("report-totals")>
            <Totals heading=t("report-today") totals=report.today.clone()/>
            <Totals heading=lang.text_with("report-week", &[("days", REPORT_DAYS.into())]) totals=report.week.clone()/>
        </section>
        <HourChart report=report.clone()/>
        <BarChart
            id="stages-title"
            title=lang.text_with("report-stages-title", &[("days", REPORT_DAYS.into())])
            column=t("report-stages-column")
            rows=report
                .stages
                .iter()
                .map(|stage| BarRow {
                    label: stage_words(stage.stage, lang),
                    value: stage.average_secs as f64,
                    shown: duration_words(stage.average_secs, lang),
                })
                .collect()
        />
        <BarChart
            id="sellers-title"
            title=lang.text_with("report-sellers-title", &[("days", REPORT_DAYS.into())])
            column=t("report-sellers-column")
            rows=report
                .best_sellers
                .iter()
                .map(|item| BarRow { label: item.name.clone(), value: f64::from(item.quantity), shown: item.quantity.to_string() })
                .collect()
        />
        <p class="report-export">
            <a class="button" href=ORDERS_CSV_PATH download="orders.csv">
                {lang.text_with("report-export", &[("days", REPORT_DAYS.into())])}
            </a>
        </p>
    }
}

/// A period's orders, takings and late tickets.
#[component]
fn Totals(heading: String, totals: PeriodTotals) -> impl IntoView {
    let lang = use_lang();
    let currency = crate::i18n::use_currency();
    let late = match totals.late_percent() {
        Some(percent) => view! {
            {lang.text_with("report-late-share", &[("percent", percent.into())])}
            " "
            <span class="report-detail">
                {lang.text_with("report-late-count", &[("late", totals.late.into()), ("finished", totals.finished.into())])}
            </span>
        }
        .into_any(),
        None => view! { <span class="report-detail">{lang.text("report-late-none")}</span> }.into_any(),
    };
    view! {
        <div class="report-period">
            <h2>{heading}</h2>
            <dl>
                <div><dt>{t("report-orders")}</dt><dd class="report-orders">{totals.orders}</dd></div>
                <div><dt>{t("report-takings")}</dt><dd>{currency.show(totals.revenue, lang)}</dd></div>
                <div><dt>{t("report-late")}</dt><dd class="report-late">{late}</dd></div>
                <div><dt>{t("report-cancelled")}</dt><dd>{totals.cancelled}</dd></div>
            </dl>
        </div>
    }
}

// The charts are as wide as the page and a fixed height: positions across are percentages,
// heights are pixels, so their words are the page's size on a phone and on a wall alike.
const HOUR_CHART_HEIGHT: f64 = 220.0;
const AXIS_BOTTOM: f64 = 26.0;
const TOP_ROOM: f64 = 12.0;
/// Where the plot starts across, leaving room for the count axis's numbers.
const PLOT_LEFT_PERCENT: f64 = 7.0;

/// Today's orders per hour as bars, the average day of the last seven as a dashed line with
/// a dot per hour over them.
#[component]
fn HourChart(report: Report) -> impl IntoView {
    let lang = use_lang();
    let hours: Vec<usize> = report.busy_hours().collect();
    let peak = hours
        .iter()
        .map(|hour| f64::from(report.today_per_hour[*hour]).max(f64::from(report.week_average_per_hour[*hour])))
        .fold(1.0_f64, f64::max)
        .ceil();
    let plot_height = HOUR_CHART_HEIGHT - AXIS_BOTTOM - TOP_ROOM;
    let slot = (100.0 - PLOT_LEFT_PERCENT) / hours.len() as f64;
    let y = move |value: f64| TOP_ROOM + plot_height * (1.0 - value / peak);
    let middle = move |index: usize| PLOT_LEFT_PERCENT + slot * (index as f64 + 0.5);
    // Every hour's number while they fit on a phone; past twelve hours, every third.
    let labelled = |hour: usize| hours.len() <= 12 || hour.is_multiple_of(3);
    let bars = hours
        .iter()
        .enumerate()
        .map(|(index, hour)| {
            let top = y(f64::from(report.today_per_hour[*hour]));
            view! {
                <rect class="bar-today" x=percent(middle(index) - slot * 0.35) y=n(top)
                    width=percent(slot * 0.7) height=n(TOP_ROOM + plot_height - top)/>
                {labelled(*hour).then(|| view! {
                    <text class="axis-label" x=percent(middle(index)) y=n(HOUR_CHART_HEIGHT - 6.0) text-anchor="middle">{hour.to_string()}</text>
                })}
            }
        })
        .collect_view();
    let average = |index: usize| y(f64::from(report.week_average_per_hour[hours[index]]));
    let line = (1..hours.len())
        .map(|index| {
            view! {
                <line class="line-average" x1=percent(middle(index - 1)) y1=n(average(index - 1))
                    x2=percent(middle(index)) y2=n(average(index))/>
            }
        })
        .collect_view();
    let dots = (0..hours.len())
        .map(|index| view! { <circle class="dot-average" cx=percent(middle(index)) cy=n(average(index)) r="3.5"/> })
        .collect_view();
    let rows = hours
        .iter()
        .map(|hour| {
            view! {
                <tr>
                    <th scope="row">{lang.text_with("report-hour", &[("hour", (*hour as i64).into())])}</th>
                    <td>{report.today_per_hour[*hour]}</td>
                    <td>{format!("{:.1}", report.week_average_per_hour[*hour])}</td>
                </tr>
            }
        })
        .collect_view();
    let plot_bottom = TOP_ROOM + plot_height;
    view! {
        <section class="report-chart" aria-labelledby="hours-title">
            <h2 id="hours-title">{t("report-hours-title")}</h2>
            <p class="chart-legend" aria-hidden="true">
                <span class="key-today"></span>{t("report-hours-today")}
                <span class="key-average"></span>{lang.text_with("report-hours-average", &[("days", REPORT_DAYS.into())])}
            </p>
            <svg class="chart hour-chart" width="100%" height=n(HOUR_CHART_HEIGHT) role="img" aria-labelledby="hours-title">
                <line class="axis" x1=percent(PLOT_LEFT_PERCENT) y1=n(TOP_ROOM) x2=percent(PLOT_LEFT_PERCENT) y2=n(plot_bottom)/>
                <line class="axis" x1=percent(PLOT_LEFT_PERCENT) y1=n(plot_bottom) x2="100%" y2=n(plot_bottom)/>
                <text class="axis-label" x=percent(PLOT_LEFT_PERCENT - 1.0) y=n(TOP_ROOM + 5.0) text-anchor="end">{format!("{peak}")}</text>
                <text class="axis-label" x=percent(PLOT_LEFT_PERCENT - 1.0) y=n(plot_bottom) text-anchor="end">"0"</text>
                {bars}
                {line}
                {dots}
            </svg>
            <details>
                <summary>{t("report-show-numbers")}</summary>
                <table class="report-table hour-table">
                    <thead><tr>
                        <th scope="col">{t("report-hour-column")}</th>
                        <th scope="col">{t("report-hours-today")}</th>
                        <th scope="col">{lang.text_with("report-hours-average", &[("days", REPORT_DAYS.into())])}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </details>
        </section>
    }
}

/// One bar of a [`BarChart`]: its label, its length, and the words written at its end.
struct BarRow {
    label: String,
    value: f64,
    shown: String,
}

/// A row of a bar chart: its label above, the bar below.
const ROW_HEIGHT: f64 = 48.0;
const BAR_THICKNESS: f64 = 18.0;
/// The longest bar's share of the width.
const LONGEST_BAR_PERCENT: f64 = 100.0;
/// A bar longer than this holds its number inside; a shorter one has room after it.
const INSIDE_FROM_PERCENT: f64 = 55.0;

/// A chart of labelled horizontal bars under its heading (`id` names it for screen readers),
/// the longest value the longest, with their numbers in a table; or a line saying there is
/// nothing yet.
#[component]
fn BarChart(id: &'static str, title: String, column: String, rows: Vec<BarRow>) -> impl IntoView {
    if rows.is_empty() {
        return view! {
            <section class="report-chart" aria-labelledby=id>
                <h2 id=id>{title}</h2>
                <p class="hint">{t("report-nothing-yet")}</p>
            </section>
        }
        .into_any();
    }
    let peak = rows.iter().map(|row| row.value).fold(f64::MIN_POSITIVE, f64::max);
    let height = ROW_HEIGHT * rows.len() as f64;
    let bars = rows
        .iter()
        .enumerate()
        .map(|(index, row)| {
            let top = ROW_HEIGHT * index as f64;
            let length = (LONGEST_BAR_PERCENT * row.value / peak).max(0.5);
            let bar_top = top + ROW_HEIGHT - BAR_THICKNESS - 6.0;
            view! {
                <text class="bar-label" x="0" y=n(top + 18.0)>{row.label.clone()}</text>
                <rect class="bar-today" x="0" y=n(bar_top) width=percent(length) height=n(BAR_THICKNESS)/>
                // A long bar carries its number inside its end; a short one after it.
                {if length > INSIDE_FROM_PERCENT {
                    view! { <text class="bar-value inside" x=percent(length - 1.0) y=n(bar_top + BAR_THICKNESS - 4.5) text-anchor="end">{row.shown.clone()}</text> }
                } else {
                    view! { <text class="bar-value" x=percent(length + 1.0) y=n(bar_top + BAR_THICKNESS - 4.5) text-anchor="start">{row.shown.clone()}</text> }
                }}
            }
        })
        .collect_view();
    let table = rows
        .into_iter()
        .map(|row| view! { <tr><th scope="row">{row.label}</th><td>{row.shown}</td></tr> })
        .collect_view();
    view! {
        <section class="report-chart" aria-labelledby=id>
            <h2 id=id>{title}</h2>
            <svg class="chart bar-chart" width="100%" height=n(height) role="img" aria-labelledby=id>
                {bars}
            </svg>
            <details>
                <summary>{t("report-show-numbers")}</summary>
                <table class="report-table"><thead><tr><th scope="col"></th><th scope="col">{column}</th></tr></thead><tbody>{table}</tbody></table>
            </details>
        </section>
    }
    .into_any()
}

/// A length in pixels, as an SVG attribute writes it.
fn n(value: f64) -> String {
    format!("{value:.1}")
}

/// A position across the chart.
fn percent(value: f64) -> String {
    format!("{value:.2}%")
}

/// What the report calls the time an order spends in `stage`: in the "received" stage it is
/// waiting for the kitchen, in "ready" waiting for its customer.
fn stage_words(stage: OrderStatus, lang: Lang) -> String {
    lang.text(&format!("report-stage-{}", stage.as_str()))
}

/// "4 min 30 s", "45 s", "1 h 05 min".
fn duration_words(secs: i64, lang: Lang) -> String {
    let (hours, minutes, seconds) = (secs / 3600, secs % 3600 / 60, secs % 60);
    let key = match (hours, minutes) {
        (0, 0) => "report-duration-s",
        (0, _) => "report-duration-min-s",
        _ => "report-duration-h-min",
    };
    lang.text_with(key, &[("h", hours.into()), ("min", minutes.into()), ("s", seconds.into())])
}
