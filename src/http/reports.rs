//! `/admin/reports/orders.csv`: the orders of the owner's report, for a spreadsheet.

use super::{ApiError, AppState};
use app::api::{request_lang, AppError};
use app::domain::reports::{OrdersExport, ORDERS_CSV_PATH};
use app::domain::Principal;
use app::locale::Lang;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};

pub fn router() -> Router<AppState> {
    Router::new().route(ORDERS_CSV_PATH, get(orders_csv))
}

/// The columns, by the key of their translated heading.
const COLUMNS: [&str; 11] = [
    "report-csv-order",
    "report-csv-placed",
    "report-csv-pickup",
    "report-csv-status",
    "report-csv-customer",
    "report-csv-items",
    "report-csv-total",
    "report-csv-ready",
    "report-csv-collected",
    "report-csv-minutes",
    "report-csv-late",
];

async fn orders_csv(
    State(state): State<AppState>,
    Extension(who): Extension<Principal>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let export = state.service.export_orders(&who).await?;
    let lang = request_lang(&headers);
    let body = write_csv(&export, lang).map_err(|err| {
        tracing::error!(error = %err, "could not write the orders' CSV");
        ApiError(AppError::internal())
    })?;
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    headers.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"orders.csv\""));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

fn write_csv(export: &OrdersExport, lang: Lang) -> Result<Vec<u8>, csv::Error> {
    // The byte-order mark tells spreadsheet programs the file is UTF-8 (accents, "×").
    let mut writer = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let currency = export.currency.code();
    writer.write_record(COLUMNS.iter().map(|key| lang.text_with(key, &[("currency", currency.into())])))?;
    let yes_no = |late: bool| lang.text(if late { "report-csv-yes" } else { "report-csv-no" });
    for row in &export.rows {
        writer.write_record([
            row.order.to_string(),
            row.placed.clone(),
            row.pickup.clone(),
            lang.text(&format!("status-{}", row.status.as_str())),
            inert(&row.customer),
            inert(&row.items),
            row.total.plain(),
            row.ready.clone(),
            row.collected.clone(),
            row.minutes_to_ready.map(|minutes| minutes.to_string()).unwrap_or_default(),
            row.late.map(yes_no).unwrap_or_default(),
        ])?;
    }
    writer.into_inner().map_err(|err| csv::Error::from(err.into_error()))
}

/// Text a customer typed, kept from being read as a formula by a spreadsheet ("=HYPERLINK(…)"):
/// a leading `=`, `+`, `-`, `@`, tab or carriage return is quoted with an apostrophe.
fn inert(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::reports::ExportRow;
    use app::domain::{Cents, OrderStatus};

    fn row(customer: &str) -> ExportRow {
        ExportRow {
            order: 42,
            placed: "2026-12-07 19:00".into(),
            pickup: String::new(),
            status: OrderStatus::Collected,
            customer: customer.into(),
            items: "2 × Margherita; 1 × Diavola".into(),
            total: Cents(2650),
            ready: "2026-12-07 19:12".into(),
            collected: "2026-12-07 19:20".into(),
            minutes_to_ready: Some(12),
            late: Some(true),
        }
    }

    fn export(rows: Vec<ExportRow>) -> OrdersExport {
        OrdersExport { currency: app::domain::money::Currency::Chf, rows }
    }

    #[test]
    fn a_row_reads_back_as_the_order_it_was() {
        let bytes = write_csv(&export(vec![row("Ann, \"the\" baker")]), Lang::En).unwrap();
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        let mut reader = csv::Reader::from_reader(&bytes[3..]);
        assert_eq!(reader.headers().unwrap().get(0), Some("Order"));
        assert_eq!(reader.headers().unwrap().get(6), Some("Total (CHF)"), "the totals' currency is said once");
        let record = reader.records().next().unwrap().unwrap();
        let cells: Vec<&str> = record.iter().collect();
        assert_eq!(
            cells,
            [
                "42",
                "2026-12-07 19:00",
                "",
                "Collected",
                "Ann, \"the\" baker",
                "2 × Margherita; 1 × Diavola",
                "26.50",
                "2026-12-07 19:12",
                "2026-12-07 19:20",
                "12",
                "yes"
            ]
        );
    }

    #[test]
    fn a_customer_name_is_never_read_as_a_formula() {
        let bytes =
            write_csv(&export(vec![row("=HYPERLINK(\"http://evil.example\")"), row("-2+3")]), Lang::En).unwrap();
        let mut reader = csv::Reader::from_reader(&bytes[3..]);
        let names: Vec<String> = reader.records().map(|record| record.unwrap()[4].to_string()).collect();
        assert_eq!(names, ["'=HYPERLINK(\"http://evil.example\")", "'-2+3"]);
    }

    #[test]
    fn headings_and_words_follow_the_language() {
        let bytes = write_csv(&export(vec![row("Ann")]), Lang::Fr).unwrap();
        let mut reader = csv::Reader::from_reader(&bytes[3..]);
        assert_eq!(reader.headers().unwrap().get(0), Some("Commande"));
        let record = reader.records().next().unwrap().unwrap();
        assert_eq!((&record[3], &record[10]), ("Récupérée", "oui"));
    }
}
