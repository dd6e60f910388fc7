//! The filtered ledger as a file: CSV (with a BOM, formulas neutralised) and XLSX, in the same columns, the
//! last one left for a progress update to import.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use giamsat_domain::messages::{labels, ledger as msg};
use giamsat_store::ledger;

use super::{EXPORT_MAX, ListQuery, rows_of, today};
use crate::auth::guard::Authenticated;
use crate::error::AppError;
use crate::state::AppState;

/// The cells of one exported row, in [`msg::EXPORT_HEADER`]'s order; the last (a progress update to import) is
/// left empty.
fn export_cells(row: &ledger::Row) -> [String; 11] {
    let item = &row.item;
    [
        item.id.to_string(),
        row.mission_title.clone(),
        giamsat_domain::messages::labels::direction(item.direction).to_owned(),
        item.text.clone(),
        item.addressees.iter().map(|a| a.name.clone()).collect::<Vec<_>>().join("; "),
        item.follow_up.owner.clone().unwrap_or_default(),
        giamsat_domain::date::iso(item.follow_up.due_on),
        giamsat_domain::date::iso(item.original_due_on),
        labels::rec_status(item.follow_up.status).to_owned(),
        if item.follow_up.priority { "x".to_owned() } else { String::new() },
        String::new(),
    ]
}

/// GET /ledger.csv: the filtered ledger (every page), UTF-8 with a BOM so Excel shows Vietnamese; cells a
/// spreadsheet would read as formulas are neutralised.
pub async fn export_csv(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    axum::extract::Query(query): axum::extract::Query<ListQuery>,
) -> Result<Response, AppError> {
    let (filter, _) = query.filter(today(&state));
    let rows = rows_of(&state, &current, &filter, None, EXPORT_MAX).await?;
    let mut out = String::from("\u{feff}");
    let line = |cells: &[&str]| cells.iter().map(|c| crate::pages::admin::csv_cell(c)).collect::<Vec<_>>().join(",");
    out.push_str(&line(&msg::EXPORT_HEADER));
    out.push_str("\r\n");
    for row in &rows {
        let cells = export_cells(row);
        out.push_str(&line(&cells.iter().map(String::as_str).collect::<Vec<_>>()));
        out.push_str("\r\n");
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}.csv\"", msg::EXPORT_FILE)),
        ],
        out,
    )
        .into_response())
}

/// GET /ledger.xlsx: the same filtered rows and columns as the CSV, as a workbook: the header row bold, ids as
/// numbers and due dates as real dates, so Excel sorts and filters them. Cells are written as strings, never
/// formulas, so nothing needs neutralising.
pub async fn export_xlsx(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    axum::extract::Query(query): axum::extract::Query<ListQuery>,
) -> Result<Response, AppError> {
    let (filter, _) = query.filter(today(&state));
    let rows = rows_of(&state, &current, &filter, None, EXPORT_MAX).await?;
    let bytes = workbook(&rows).map_err(|e| AppError::Internal(format!("xlsx: {e}")))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}.xlsx\"", msg::EXPORT_FILE)),
        ],
        bytes,
    )
        .into_response())
}

fn workbook(rows: &[ledger::Row]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, FormatAlign, Workbook};
    // The columns of `export_cells` that hold numbers and dates, and those of running text, which wrap.
    const NUMBERS: [u16; 1] = [0];
    const DATES: [u16; 2] = [6, 7];
    const TEXTS: [u16; 5] = [1, 3, 4, 5, 10];
    // Widths in characters, so a printed or opened sheet reads without resizing a column by hand.
    const WIDTHS: [f64; 11] = [8.0, 34.0, 18.0, 60.0, 30.0, 24.0, 12.0, 12.0, 18.0, 8.0, 48.0];
    let mut book = Workbook::new();
    let bold = Format::new().set_bold().set_text_wrap().set_align(FormatAlign::Top);
    let date = Format::new().set_num_format("dd/mm/yyyy").set_align(FormatAlign::Top);
    let wrapped = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let top = Format::new().set_align(FormatAlign::Top);
    let sheet = book.add_worksheet();
    sheet.set_name(msg::EXPORT_SHEET)?;
    for (col, width) in (0u16..).zip(WIDTHS) {
        sheet.set_column_width(col, width)?;
    }
    for (col, title) in (0u16..).zip(msg::EXPORT_HEADER) {
        sheet.write_string_with_format(0, col, title, &bold)?;
    }
    for (line, row) in (1u32..).zip(rows) {
        let dates = [row.item.follow_up.due_on, row.item.original_due_on];
        for (col, cell) in (0u16..).zip(export_cells(row)) {
            if let Some(at) = DATES.iter().position(|c| *c == col) {
                match dates.get(at).copied().flatten().and_then(excel_date) {
                    Some(day) => sheet.write_datetime_with_format(line, col, &day, &date)?,
                    // A date Excel cannot hold (before 1900) stays readable as text.
                    None if !cell.is_empty() => sheet.write_string_with_format(line, col, &cell, &top)?,
                    None => sheet,
                };
            } else if let (true, Ok(number)) = (NUMBERS.contains(&col), cell.parse::<f64>()) {
                sheet.write_number_with_format(line, col, number, &top)?;
            } else if !cell.is_empty() {
                let format = if TEXTS.contains(&col) { &wrapped } else { &top };
                sheet.write_string_with_format(line, col, &cell, format)?;
            }
        }
    }
    sheet.autofilter(0, 0, u32::try_from(rows.len()).unwrap_or(u32::MAX), 10)?;
    sheet.set_freeze_panes(1, 0)?;
    book.save_to_buffer()
}

fn excel_date(day: chrono::NaiveDate) -> Option<rust_xlsxwriter::ExcelDateTime> {
    use chrono::Datelike;
    let (year, month, day) =
        (u16::try_from(day.year()).ok()?, u8::try_from(day.month()).ok()?, u8::try_from(day.day()).ok()?);
    rust_xlsxwriter::ExcelDateTime::from_ymd(year, month, day).ok()
}
