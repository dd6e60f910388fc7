//! The formal report (báo cáo kết quả giám sát) of a mission in the official layout: print-ready HTML, PDF and
//! DOCX. It is an internal document: every route needs `Action::Export` on the mission, none is public.

use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use giamsat_domain::formal::{self, FormalReport, FormalSettings};
use giamsat_domain::policy::Action;
use giamsat_store::missions::{self, StoredMission};

use crate::auth::guard::{Authenticated, authorize};
use crate::error::AppError;
use crate::state::AppState;

/// The print page styles itself inline (its margins are settings), so it carries its own policy: inline style,
/// and nothing else — no script, no frame, no form.
const PRINT_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; \
                         form-action 'none'; frame-ancestors 'none'";

/// The settings of a mission's formal report: the defaults the mission implies. The report-level overrides
/// (number, date, signatory) are fields of the result, for the caller to set.
///
/// # Errors
/// None yet; the signature leaves room for settings read from the database.
pub async fn formal_settings(_state: &AppState, stored: &StoredMission) -> Result<FormalSettings, AppError> {
    Ok(FormalSettings::for_mission(&stored.mission))
}

async fn report_of(
    state: &AppState,
    current: &crate::auth::session::CurrentUser,
    id: i64,
) -> Result<FormalReport, AppError> {
    authorize(state, current, id, Action::Export).await?;
    let stored = missions::load(&state.db, id).await?;
    let settings = formal_settings(state, &stored).await?;
    Ok(formal::build(&stored.mission, &settings))
}

fn attachment(content_type: &'static str, name: String, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
                    .unwrap_or_else(|_| HeaderValue::from_static("attachment")),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// ASCII file name of a mission's report: "giamsat-12-bao-cao-ket-qua-giam-sat.pdf".
fn file_name(id: i64, report: &FormalReport, extension: &str) -> String {
    format!("giamsat-{id}-{}.{extension}", report.file_stem(None))
}

/// GET /missions/{id}/formal: the report as a print-ready page.
pub async fn html(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let report = report_of(&state, &current, id).await?;
    Ok(([(header::CONTENT_SECURITY_POLICY, PRINT_CSP)], Html(giamsat_render::html(&report))).into_response())
}

/// GET /missions/{id}/formal.pdf: typeset off the async threads (Typst is CPU-bound).
pub async fn pdf(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let report = report_of(&state, &current, id).await?;
    let fonts = state.fonts.clone();
    let name = file_name(id, &report, "pdf");
    let bytes = tokio::task::spawn_blocking(move || {
        giamsat_render::pdf(&report, fonts.get()?).map_err(|e| AppError::Internal(e.to_string()))
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))??;
    Ok(attachment("application/pdf", name, bytes))
}

/// GET /missions/{id}/formal.docx.
pub async fn docx(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let report = report_of(&state, &current, id).await?;
    let bytes = giamsat_render::docx(&report).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(attachment(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        file_name(id, &report, "docx"),
        bytes,
    ))
}
