//! The JSON API, `/api/v1`: list and get missions, create one from a `giamsat.mission/1` document, export.
//! Authenticated by an API token (`Authorization: Bearer gs_…`, see /account) or a session; the same policy
//! decides. The OpenAPI document is generated from these handlers and types.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use giamsat_domain::codes::FindingKind;
use giamsat_domain::interchange::{self, ShapeDetail};
use giamsat_domain::messages::pages as msg;
use giamsat_domain::mission::{Edit, Finding};
use giamsat_domain::policy::{self, Action};
use giamsat_domain::text::{self, LONG_TEXT_MAX};
use giamsat_store::dashboard::{self, MissionFilter};
use giamsat_store::{StoreError, edits, missions};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use crate::auth::guard::{allow, authorize};
use crate::auth::session::{CurrentUser, MaybeUser};
use crate::error::AppError;
use crate::pages::account::actor;
use crate::pages::mission_form::{import_owner, unreadable_files};
use crate::state::AppState;

/// An API caller: a token or a session; anonymous callers get 401 (never a redirect).
pub struct ApiUser(pub CurrentUser);

impl<S: Send + Sync> FromRequestParts<S> for ApiUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, AppError> {
        match parts.extensions.get::<MaybeUser>() {
            Some(MaybeUser(Some(user))) => Ok(ApiUser(user.clone())),
            _ => Err(AppError::Unauthorized),
        }
    }
}

/// A mission in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct MissionSummary {
    pub id: i64,
    /// Workflow state code (planned, decided, notified, in_progress, drafting, concluded, follow_up, closed,
    /// cancelled).
    pub state: String,
    /// The name the mission goes by in lists: team, decision number and year ("Đoàn Giám sát số 5 — 109-QĐ/QU,
    /// 2021").
    pub name: String,
    pub team_name: Option<String>,
    pub subject: String,
    pub supervising_body: String,
    /// ISO date.
    pub fieldwork_from: Option<String>,
    pub fieldwork_to: Option<String>,
}

/// A page of missions, newest first; pass `next` as `before` for the following page.
#[derive(Debug, Serialize, ToSchema)]
pub struct MissionPage {
    pub missions: Vec<MissionSummary>,
    pub next: Option<i64>,
}

/// A mission with its version (name it when changing the mission) and its `giamsat.mission/1` document.
#[derive(Debug, Serialize, ToSchema)]
pub struct MissionDetail {
    pub id: i64,
    pub version: i32,
    pub state: String,
    /// The mission as a `giamsat.mission/1` document.
    #[schema(value_type = Object)]
    pub document: serde_json::Value,
}

/// The id of a created mission.
#[derive(Debug, Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

/// Why a request failed: the one shape of every API error, whoever answers it (a handler, the policy, a limit,
/// axum's own rejections). `errors` lists every problem of a refused request (`field.path: message`);
/// `request_id` is the `x-request-id` of the answer, also in the log.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiError {
    pub status: u16,
    pub message: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<String>,
    /// Filled in by the router's error middleware.
    pub request_id: String,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ListParams {
    /// Only missions older than this id (keyset pagination).
    before: Option<i64>,
    /// At most this many (1–200, default 50).
    limit: Option<u64>,
    /// A workflow state code.
    state: Option<String>,
}

/// List the missions the caller may see.
#[utoipa::path(get, path = "/api/v1/missions", params(ListParams),
    responses((status = 200, body = MissionPage), (status = 401, body = ApiError)))]
pub async fn list(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(params): Query<ListParams>,
) -> Result<Response, AppError> {
    let visibility = policy::visibility(Some(&user.subject()));
    let limit = params.limit.unwrap_or(50).clamp(1, 200);
    let filter = MissionFilter {
        state: params.state.as_deref().and_then(giamsat_domain::workflow::MissionState::from_code),
        ..MissionFilter::default()
    };
    let mut rows = dashboard::missions(&state.db, visibility, &filter, params.before, limit + 1).await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(50));
    let iso = |d: Option<chrono::NaiveDate>| d.is_some().then(|| giamsat_domain::date::iso(d));
    let missions: Vec<MissionSummary> = rows
        .into_iter()
        .map(|m| MissionSummary {
            id: m.id,
            state: m.state.code().to_owned(),
            name: m.name,
            team_name: m.team_name,
            subject: m.subject,
            supervising_body: m.supervising_body,
            fieldwork_from: iso(m.fieldwork_from),
            fieldwork_to: iso(m.fieldwork_to),
        })
        .collect();
    let next = if more { missions.last().map(|m| m.id) } else { None };
    Ok(Json(MissionPage { missions, next }).into_response())
}

/// Get one mission.
#[utoipa::path(get, path = "/api/v1/missions/{id}", params(("id" = i64, Path, description = "Mission id")),
    responses((status = 200, body = MissionDetail), (status = 404, body = ApiError)))]
pub async fn get(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    authorize(&state, &user, id, Action::View).await?;
    let stored = missions::load(&state.db, id).await?;
    let document =
        serde_json::from_str(&interchange::to_json(&stored.mission)).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(Json(MissionDetail { id, version: stored.version, state: stored.mission.state.code().to_owned(), document })
        .into_response())
}

/// Export one mission as a `giamsat.mission/1` file (the exact bytes `giamsat export` writes).
#[utoipa::path(get, path = "/api/v1/missions/{id}/export", params(("id" = i64, Path, description = "Mission id")),
    responses((status = 200, description = "The giamsat.mission/1 document", content_type = "application/json"),
        (status = 404, body = ApiError)))]
pub async fn export(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    authorize(&state, &user, id, Action::Export).await?;
    let stored = missions::load(&state.db, id).await?;
    Ok(([(header::CONTENT_TYPE, "application/json; charset=utf-8")], interchange::to_json(&stored.mission))
        .into_response())
}

/// Create a mission from a `giamsat.mission/1` document, checked exactly as `giamsat import` checks it.
#[utoipa::path(post, path = "/api/v1/missions", request_body(content = Object, description = "A giamsat.mission/1 document", content_type = "application/json"),
    responses((status = 201, body = Created), (status = 422, body = ApiError), (status = 403, body = ApiError)))]
pub async fn create(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    allow(&user, Action::Create)?;
    let refused = |errors: Vec<String>| {
        let message = msg::API_MISSION_REFUSED.to_owned();
        (StatusCode::UNPROCESSABLE_ENTITY, Json(ApiError { status: 422, message, errors, request_id: String::new() }))
            .into_response()
    };
    let mission = match interchange::parse(&body) {
        Ok(mission) => mission,
        Err(e) => return Ok(refused(e.to_string().lines().map(str::to_owned).collect())),
    };
    let owner = match import_owner(&state, &user, &mission).await? {
        Ok(owner) => owner,
        Err(refusal) => return Ok(refused(vec![refusal])),
    };
    let foreign = unreadable_files(&state, &user, &mission).await?;
    if !foreign.is_empty() {
        return Ok(refused(foreign));
    }
    let id =
        missions::insert_owned(&state.db, &mission, owner, &actor(&user.user, &headers, state.clock.now())).await?;
    Ok((StatusCode::CREATED, [(header::LOCATION, format!("/api/v1/missions/{id}"))], Json(Created { id }))
        .into_response())
}

/// A finding to add to a mission. `version` is the mission's version the caller last saw (from `GET`); a stale
/// one is answered 409 and nothing is saved.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewFinding {
    pub version: i32,
    /// strength, shortcoming, cause or other.
    pub kind: String,
    /// The targets it concerns, by their position in the mission's list (0-based); none: the whole mission.
    #[serde(default)]
    pub targets: Vec<usize>,
    pub text: String,
}

/// Where the new finding landed and the mission's version after it.
#[derive(Debug, Serialize, ToSchema)]
pub struct AddedFinding {
    pub index: usize,
    pub version: i32,
}

/// Add a finding to a mission: one transaction with its audit row; acknowledged only once committed.
#[utoipa::path(post, path = "/api/v1/missions/{id}/findings", params(("id" = i64, Path, description = "Mission id")),
    request_body = NewFinding,
    responses((status = 201, body = AddedFinding), (status = 409, body = ApiError), (status = 422, body = ApiError),
        (status = 404, body = ApiError)))]
pub async fn add_finding(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    authorize(&state, &user, id, Action::RecordFieldwork).await?;
    let refused = |errors: Vec<String>| {
        let message = msg::API_FINDING_REFUSED.to_owned();
        (StatusCode::UNPROCESSABLE_ENTITY, Json(ApiError { status: 422, message, errors, request_id: String::new() }))
            .into_response()
    };
    let request: NewFinding = match interchange::parse_json(&body) {
        Ok(request) => request,
        Err(e) => return Ok(refused(vec![e.to_string()])),
    };
    let mut errors = Vec::new();
    let kind = FindingKind::from_code(&request.kind);
    if kind.is_none() {
        errors
            .push(format!("kind: {}", ShapeDetail::UnknownVariant { value: request.kind.chars().take(60).collect() }));
    }
    let text = text::clean(&request.text, LONG_TEXT_MAX).map_err(|e| errors.push(format!("text: {e}"))).ok();
    let (Some(kind), Some(text)) = (kind, text) else { return Ok(refused(errors)) };
    let finding = Finding { kind, targets: request.targets, text };
    match edits::edit(
        &state.db,
        id,
        request.version,
        Edit::AddFinding(finding),
        &actor(&user.user, &headers, state.clock.now()),
    )
    .await
    {
        Ok(saved) => {
            let added = AddedFinding { index: saved.mission.findings.len() - 1, version: saved.version };
            Ok((StatusCode::CREATED, Json(added)).into_response())
        }
        Err(StoreError::Edit(e)) => Ok(refused(vec![e.to_string()])),
        Err(e) => Err(e.into()),
    }
}

/// The OpenAPI description of this API.
#[derive(OpenApi)]
#[openapi(
    info(title = "giamsat API"),
    paths(
        list,
        get,
        export,
        create,
        add_finding,
        crate::pages::api_ledger::list,
        crate::pages::api_ledger::get,
        crate::pages::api_ledger::change_status,
        crate::pages::api_ledger::report,
        crate::pages::api_ledger::change_due
    ),
    components(schemas(
        MissionSummary,
        MissionPage,
        MissionDetail,
        Created,
        ApiError,
        NewFinding,
        AddedFinding,
        crate::pages::api_ledger::RecommendationSummary,
        crate::pages::api_ledger::RecommendationPage,
        crate::pages::api_ledger::RecommendationDetail,
        crate::pages::api_ledger::HistoryEntry,
        crate::pages::api_ledger::StatusRequest,
        crate::pages::api_ledger::ProgressRequest,
        crate::pages::api_ledger::DueRequest,
        crate::pages::api_ledger::Changed
    ))
)]
pub struct ApiDoc;

/// GET /api/v1/openapi.json
pub async fn openapi() -> Response {
    let mut document = ApiDoc::openapi();
    document.info.description = Some(msg::API_DESCRIPTION.to_owned());
    Json(document).into_response()
}
