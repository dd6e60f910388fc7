//! The import of progress updates: the ledger's CSV with its last column filled in a spreadsheet, checked whole
//! and written in one transaction.

use askama::Template;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use giamsat_domain::messages::ledger as msg;
use giamsat_domain::policy::FollowUpAction;
use giamsat_domain::text::LONG_TEXT_MAX;
use giamsat_store::StoreError;
use giamsat_store::ledger::{self, LedgerWriteError, Write};

use super::who_can;
use crate::auth::guard::{Authenticated, allow_follow_up_import};
use crate::auth::session::CurrentUser;
use crate::error::AppError;
use crate::pages::Chrome;
use crate::pages::account::actor;
use crate::pages::items::read_submission;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "ledger_import.html")]
struct ImportPage {
    chrome: Chrome,
    csrf: String,
    problems: Vec<String>,
    applied: Option<Applied>,
}

/// What an import wrote: new notes, and rows skipped because their note was already recorded.
struct Applied {
    new: usize,
    repeated: usize,
}

/// GET /ledger/import
pub async fn import_form(Authenticated(current): Authenticated) -> Result<Response, AppError> {
    allow_follow_up_import(&current)?;
    let csrf = current.csrf.clone().unwrap_or_default();
    crate::pages::page(
        &ImportPage { chrome: Chrome::of(&current), csrf, problems: Vec::new(), applied: None },
        StatusCode::OK,
    )
}

/// The most data rows one import of progress takes (the README says so): a larger file is refused before any
/// row is looked up, so it cannot hold the server until the request's timeout.
pub const IMPORT_MAX_ROWS: usize = 2_000;

/// What an import of progress updates will write.
struct Updates {
    /// `(line, id, version, note)` for every new note, with the version the item will be at when it is written
    /// (an item given two notes is written twice).
    new: Vec<(usize, i64, i32, String)>,
    /// Rows whose note the item's history (or an earlier row of the file) already holds.
    repeated: usize,
}

/// The progress updates of an exported file edited in a spreadsheet, or every problem found, by line and column.
/// A progress update is an addition: it is written at whatever version the item is at, so a file exported
/// before someone else's change still imports; a note already recorded is skipped rather than added twice.
async fn updates_of(
    state: &AppState,
    current: &CurrentUser,
    text: &str,
) -> Result<Result<Updates, Vec<String>>, AppError> {
    use giamsat_domain::csv;
    let records = match csv::parse(text) {
        Ok(records) => records,
        Err(e) => return Ok(Err(vec![msg::import_problem(e.line, None, &e.to_string())])),
    };
    let mut problems = Vec::new();
    let mut rows = records.into_iter();
    // Files exported before the version column was dropped still import: their columns are counted from the end.
    let columns = rows.next().and_then(|(_, header)| {
        let header: Vec<String> = header.iter().map(|h| csv::restore(h.trim()).to_owned()).collect();
        if header.iter().eq(msg::EXPORT_HEADER.iter()) {
            Some(msg::EXPORT_HEADER.len())
        } else if header.iter().eq(msg::EXPORT_HEADER_WITH_VERSION.iter()) {
            Some(msg::EXPORT_HEADER_WITH_VERSION.len())
        } else {
            None
        }
    });
    let Some(columns) = columns else {
        return Ok(Err(vec![msg::import_problem(1, None, msg::IMPORT_HEADER)]));
    };
    let rows: Vec<_> = rows.collect();
    if rows.len() > IMPORT_MAX_ROWS {
        return Ok(Err(vec![msg::import_too_many_rows(rows.len(), IMPORT_MAX_ROWS)]));
    }
    let [id_column, .., progress_column] = msg::EXPORT_HEADER;
    let mut filled = Vec::new();
    for (line, cells) in rows {
        if cells.len() != columns {
            problems.push(msg::import_problem(line, None, msg::IMPORT_COLUMNS));
            continue;
        }
        let cell = |i: usize| cells.get(i).map_or("", |c| c.trim());
        let note = csv::restore(cell(columns - 1)).to_owned();
        if note.is_empty() {
            continue;
        }
        let Ok(id) = cell(0).parse::<i64>() else {
            problems.push(msg::import_problem(line, Some(id_column), msg::IMPORT_NOT_AN_ID));
            continue;
        };
        filled.push((line, id, note));
    }
    // Every row's item and its recorded notes in one batch of queries, not one lookup per row.
    let ids: Vec<i64> = filled.iter().map(|(_, id, _)| *id).collect();
    let scopes = ledger::scopes(&state.db, ids.clone(), current.user.id).await?;
    let mut recorded = ledger::progress_notes(&state.db, ids).await?;
    let mut versions: std::collections::HashMap<i64, i32> = std::collections::HashMap::new();
    let mut updates = Updates { new: Vec::new(), repeated: 0 };
    for (line, id, note) in filled {
        let item = match scopes.get(&id) {
            Some((scope, item)) if who_can(current, scope, item, FollowUpAction::Report) => item,
            _ => {
                problems.push(msg::import_problem(line, Some(id_column), msg::IMPORT_UNKNOWN));
                continue;
            }
        };
        let note = match giamsat_domain::text::clean(&note, LONG_TEXT_MAX) {
            Ok(note) => note.trim().to_owned(),
            Err(e) => {
                problems.push(msg::import_problem(line, Some(progress_column), &e.to_string()));
                continue;
            }
        };
        if !recorded.entry(id).or_default().insert(note.clone()) {
            updates.repeated += 1;
            continue;
        }
        let version = versions.entry(id).or_insert(item.version);
        updates.new.push((line, id, *version, note));
        *version += 1;
    }
    if problems.is_empty() && updates.new.is_empty() && updates.repeated == 0 {
        problems.push(msg::IMPORT_NOTHING.to_owned());
    }
    Ok(if problems.is_empty() { Ok(updates) } else { Err(problems) })
}

/// POST /ledger/import: progress updates from the ledger's CSV (the last column, filled in a spreadsheet), all
/// applied in one transaction or none; problems are listed by line and column.
pub async fn import(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    headers: HeaderMap,
    request: Request,
) -> Result<Response, AppError> {
    allow_follow_up_import(&current)?;
    let submission = read_submission(&state, request).await?;
    let csrf = current.csrf.clone().unwrap_or_default();
    let refuse = |problems: Vec<String>| {
        crate::pages::page(
            &ImportPage { chrome: Chrome::of(&current), csrf: csrf.clone(), problems, applied: None },
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    let Some(bytes) = submission.photo else {
        return refuse(vec![msg::IMPORT_NO_FILE.to_owned()]);
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return refuse(vec![msg::import_problem(1, None, msg::IMPORT_NOT_UTF8)]);
    };
    let updates = match updates_of(&state, &current, &text).await? {
        Ok(updates) => updates,
        Err(problems) => return refuse(problems),
    };
    let lines: Vec<usize> = updates.new.iter().map(|(line, ..)| *line).collect();
    let applied = Some(Applied { new: lines.len(), repeated: updates.repeated });
    let changes = updates
        .new
        .into_iter()
        .map(|(_, id, version, note)| (id, version, Write::Progress { note, evidence: Vec::new() }))
        .collect();
    match ledger::write_all(&state.db, changes, &actor(&current.user, &headers, state.clock.now())).await {
        Ok(()) => crate::pages::page(
            &ImportPage { chrome: Chrome::of(&current), csrf, problems: Vec::new(), applied },
            StatusCode::OK,
        ),
        Err((i, LedgerWriteError::Store(StoreError::Conflict { .. }))) => {
            refuse(vec![msg::import_problem(lines.get(i).copied().unwrap_or(1), None, msg::IMPORT_STALE)])
        }
        Err((i, LedgerWriteError::Refused(e))) => {
            refuse(vec![msg::import_problem(lines.get(i).copied().unwrap_or(1), None, &e.to_string())])
        }
        Err((i, LedgerWriteError::LinkRefused(e))) => {
            refuse(vec![msg::import_problem(lines.get(i).copied().unwrap_or(1), None, &e.to_string())])
        }
        Err((_, LedgerWriteError::Store(e))) => Err(e.into()),
    }
}
