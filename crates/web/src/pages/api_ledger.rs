//! The recommendation ledger in the JSON API (`/api/v1/recommendations`): the list with the ledger's filters,
//! one item with its history, and the three follow-up changes a script makes — status, progress, due date.
//! Every request is checked by the same policy as the ledger's pages (`policy::can_follow_up`, through
//! `pages::ledger::authorize`), every change names the version read (409 when stale) and is one transaction
//! with its event and audit rows, as the pages' forms are.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use giamsat_domain::interchange;
use giamsat_domain::messages::ledger as msg;
use giamsat_domain::policy::FollowUpAction;
use giamsat_domain::recommendation::{DueChange, RecStatus, StatusChange};
use giamsat_domain::text::{self, LONG_TEXT_MAX, SHORT_TEXT_MAX};
use giamsat_store::StoreError;
use giamsat_store::ledger::{self, EventKind, Item, LedgerWriteError, Write};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::AppError;
use crate::pages::account::actor;
use crate::pages::api::{ApiError, ApiUser};
use crate::pages::ledger::{ListQuery, authorize, rows_of, today, who_can};
use crate::state::AppState;

/// A page of the ledger's list.
const PAGE_SIZE: u64 = 50;

/// A recommendation as the ledger lists it.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecommendationSummary {
    pub id: i64,
    pub mission_id: i64,
    /// The mission's title as the ledger shows it.
    pub mission: String,
    /// upward or downward.
    pub direction: String,
    pub text: String,
    /// Its addressees, as written.
    pub addressees: Vec<String>,
    pub owner: Option<String>,
    /// ISO date.
    pub due_on: Option<String>,
    /// Status code.
    pub status: String,
    pub priority: bool,
    /// Past its due date and not settled (Asia/Ho_Chi_Minh).
    pub overdue: bool,
    /// Name it when changing the item.
    pub version: i32,
}

/// A page of recommendations in entry order; pass `next` as `after` for the following page.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecommendationPage {
    pub recommendations: Vec<RecommendationSummary>,
    pub next: Option<i64>,
}

/// One change of an item's follow-up.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryEntry {
    /// RFC 3339.
    pub at: String,
    pub who: String,
    /// status, progress, due, assignment or link.
    pub kind: String,
    /// The status or due date before (status and due changes).
    pub from: Option<String>,
    /// The status or due date after (status and due changes).
    pub to: Option<String>,
    pub note: String,
    /// Addresses of the evidence images (readable with the same rights).
    pub evidence: Vec<String>,
}

/// A recommendation with its whole history, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecommendationDetail {
    pub recommendation: RecommendationSummary,
    pub issuer: Option<String>,
    /// The first due date ever set (ISO).
    pub original_due_on: Option<String>,
    pub history: Vec<HistoryEntry>,
}

/// A status change. `implemented` needs `confirmed` (the supervising side checked the addressee's report).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusRequest {
    pub version: i32,
    /// The new status code.
    pub to: String,
    pub note: String,
    #[serde(default)]
    pub confirmed: bool,
}

/// A progress report: what was done (evidence images are added on the item's page).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProgressRequest {
    pub version: i32,
    pub note: String,
}

/// A new due date (ISO; empty clears it). Moving a date already set needs who approved it and why.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DueRequest {
    pub version: i32,
    pub due_on: String,
    #[serde(default)]
    pub approved_by: String,
    #[serde(default)]
    pub reason: String,
}

/// The item after a change, with its new version.
#[derive(Debug, Serialize, ToSchema)]
pub struct Changed {
    pub id: i64,
    pub version: i32,
    pub status: String,
}

fn iso(d: Option<chrono::NaiveDate>) -> Option<String> {
    d.is_some().then(|| giamsat_domain::date::iso(d))
}

fn summary(item: &Item, mission: String, today: chrono::NaiveDate) -> RecommendationSummary {
    RecommendationSummary {
        id: item.id,
        mission_id: item.mission_id,
        mission,
        direction: item.direction.code().to_owned(),
        text: item.text.clone(),
        addressees: item.addressees.iter().map(|a| a.name.clone()).collect(),
        owner: item.follow_up.owner.clone(),
        due_on: iso(item.follow_up.due_on),
        status: item.follow_up.status.code().to_owned(),
        priority: item.follow_up.priority,
        overdue: item.follow_up.is_overdue(today),
        version: item.version,
    }
}

/// 422 with every problem as `field: message`; nothing was saved.
fn refused(errors: Vec<String>) -> Response {
    let message = msg::API_REFUSED.to_owned();
    (StatusCode::UNPROCESSABLE_ENTITY, Json(ApiError { status: 422, message, errors, request_id: String::new() }))
        .into_response()
}

/// List the recommendations the caller may follow, with the ledger's filters.
#[utoipa::path(get, path = "/api/v1/recommendations", params(ListQuery),
    responses((status = 200, body = RecommendationPage), (status = 401, body = ApiError),
        (status = 422, body = ApiError)))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let today = today(&state);
    let (filter, form) = query.filter(today);
    if form.has_errors() {
        return Ok(refused(form.errors().map(|(field, e)| format!("{field}: {e}")).collect()));
    }
    let after = query.after.as_deref().and_then(|a| a.trim().parse().ok());
    let mut rows = rows_of(&state, &user, &filter, after, PAGE_SIZE + 1).await?;
    let more = rows.len() as u64 > PAGE_SIZE;
    rows.truncate(usize::try_from(PAGE_SIZE).unwrap_or(50));
    let recommendations: Vec<RecommendationSummary> =
        rows.into_iter().map(|r| summary(&r.item, r.mission_title, today)).collect();
    let next = if more { recommendations.last().map(|r| r.id) } else { None };
    Ok(Json(RecommendationPage { recommendations, next }).into_response())
}

/// Get one recommendation with its history.
#[utoipa::path(get, path = "/api/v1/recommendations/{id}",
    params(("id" = i64, Path, description = "Recommendation id")),
    responses((status = 200, body = RecommendationDetail), (status = 404, body = ApiError)))]
pub async fn get(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (_, item) = authorize(&state, &user, id, FollowUpAction::View).await?;
    let mission = giamsat_store::missions::load(&state.db, item.mission_id).await?;
    let title = giamsat_domain::naming::name_of(&mission.mission);
    let history = ledger::history(&state.db, id)
        .await?
        .into_iter()
        .map(|event| {
            let (kind, from, to) = match event.kind {
                EventKind::Status { from, to } => ("status", Some(from.code().to_owned()), Some(to.code().to_owned())),
                EventKind::Progress => ("progress", None, None),
                EventKind::Due { from, to, .. } => ("due", iso(from), iso(to)),
                EventKind::Assignment => ("assignment", None, None),
                EventKind::Link { .. } => ("link", None, None),
            };
            HistoryEntry {
                at: event.at.to_rfc3339(),
                who: event.who,
                kind: kind.to_owned(),
                from,
                to,
                note: event.note,
                evidence: event
                    .evidence
                    .into_iter()
                    .map(|e| format!("/recommendations/{id}/evidence/{}", e.file))
                    .collect(),
            }
        })
        .collect();
    Ok(Json(RecommendationDetail {
        issuer: item.issuer.clone(),
        original_due_on: iso(item.original_due_on),
        recommendation: summary(&item, title, today(&state)),
        history,
    })
    .into_response())
}

/// Writes `change`: the item's new version, 409 when the version named is stale, 422 with the domain's reason.
async fn commit(
    state: &AppState,
    user: &crate::auth::session::CurrentUser,
    headers: &HeaderMap,
    id: i64,
    version: i32,
    change: Write,
) -> Result<Response, AppError> {
    match ledger::write(&state.db, id, version, change, &actor(&user.user, headers, state.clock.now())).await {
        Ok(item) => Ok(Json(Changed { id, version: item.version, status: item.follow_up.status.code().to_owned() })
            .into_response()),
        Err(LedgerWriteError::Refused(e)) => {
            Ok(refused(e.problems.iter().map(|p| format!("{}: {p}", p.field().code())).collect()))
        }
        Err(LedgerWriteError::LinkRefused(e)) => Ok(refused(vec![e.to_string()])),
        Err(LedgerWriteError::Store(StoreError::Conflict { .. })) => Err(AppError::Conflict),
        Err(LedgerWriteError::Store(e)) => Err(e.into()),
    }
}

/// A JSON body of shape `T`, or what is wrong with it, line by line.
fn body_of<T: serde::de::DeserializeOwned>(body: &Bytes) -> Result<T, Vec<String>> {
    interchange::parse_json(body).map_err(|e| e.to_string().lines().map(str::to_owned).collect())
}

/// Change a recommendation's status: the supervising side any step; an addressee organisation's staff only
/// acknowledge it or mark it under way.
#[utoipa::path(post, path = "/api/v1/recommendations/{id}/status",
    params(("id" = i64, Path, description = "Recommendation id")), request_body = StatusRequest,
    responses((status = 200, body = Changed), (status = 403, body = ApiError), (status = 404, body = ApiError),
        (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn change_status(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let (scope, item) = authorize(&state, &user, id, FollowUpAction::View).await?;
    if !who_can(&user, &scope, &item, FollowUpAction::Report) {
        return Err(AppError::Forbidden);
    }
    let request: StatusRequest = match body_of(&body) {
        Ok(request) => request,
        Err(errors) => return Ok(refused(errors)),
    };
    let mut errors = Vec::new();
    let to = RecStatus::from_code(request.to.trim());
    match to {
        None => errors.push(format!("to: {}", msg::NOT_IN_LIST)),
        Some(to) if !who_can(&user, &scope, &item, FollowUpAction::SetStatus(to)) => {
            errors.push(format!("to: {}", msg::STATUS_NOT_OFFERED));
        }
        Some(_) => {}
    }
    let note = text::clean_optional(&request.note, LONG_TEXT_MAX)
        .map_err(|e| errors.push(format!("note: {e}")))
        .ok()
        .flatten()
        .unwrap_or_default();
    let (Some(to), true) = (to, errors.is_empty()) else {
        return Ok(refused(errors));
    };
    let change = StatusChange { to, note, confirmed_by_supervisor: request.confirmed };
    commit(&state, &user, &headers, id, request.version, Write::Status(change)).await
}

/// Report progress on a recommendation: the supervising side and the addressee organisations' staff.
#[utoipa::path(post, path = "/api/v1/recommendations/{id}/progress",
    params(("id" = i64, Path, description = "Recommendation id")), request_body = ProgressRequest,
    responses((status = 200, body = Changed), (status = 403, body = ApiError), (status = 404, body = ApiError),
        (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn report(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    authorize(&state, &user, id, FollowUpAction::Report).await?;
    let request: ProgressRequest = match body_of(&body) {
        Ok(request) => request,
        Err(errors) => return Ok(refused(errors)),
    };
    let note = match text::clean_optional(&request.note, LONG_TEXT_MAX) {
        Ok(note) => note.unwrap_or_default(),
        Err(e) => return Ok(refused(vec![format!("note: {e}")])),
    };
    commit(&state, &user, &headers, id, request.version, Write::Progress { note, evidence: Vec::new() }).await
}

/// Set or move a recommendation's due date: the supervising side only.
#[utoipa::path(post, path = "/api/v1/recommendations/{id}/due",
    params(("id" = i64, Path, description = "Recommendation id")), request_body = DueRequest,
    responses((status = 200, body = Changed), (status = 403, body = ApiError), (status = 404, body = ApiError),
        (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn change_due(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    authorize(&state, &user, id, FollowUpAction::Manage).await?;
    let request: DueRequest = match body_of(&body) {
        Ok(request) => request,
        Err(errors) => return Ok(refused(errors)),
    };
    let mut errors = Vec::new();
    // An empty date clears it, as on the item's page.
    let to = match request.due_on.trim() {
        "" => Ok(None),
        raw => giamsat_domain::date::parse_date(raw).map(Some).map_err(|e| errors.push(format!("due_on: {e}"))),
    };
    let approved_by = text::clean_optional(&request.approved_by, SHORT_TEXT_MAX)
        .map_err(|e| errors.push(format!("approved_by: {e}")))
        .ok()
        .flatten()
        .unwrap_or_default();
    let reason = text::clean_optional(&request.reason, LONG_TEXT_MAX)
        .map_err(|e| errors.push(format!("reason: {e}")))
        .ok()
        .flatten()
        .unwrap_or_default();
    let (Ok(to), true) = (to, errors.is_empty()) else {
        return Ok(refused(errors));
    };
    let change = DueChange { to, approved_by, reason };
    commit(&state, &user, &headers, id, request.version, Write::Due(change)).await
}
