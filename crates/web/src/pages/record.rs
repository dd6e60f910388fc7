//! "Ghi tại đơn vị": recording at one session's unit from a phone. The team member picks the session (unit and
//! date), then adds several photos with their captions in one save, and findings and recommendations tied to
//! that unit, each saved on its own; every save comes back to the same page with "Đã lưu" and what was recorded
//! there so far. Every save is an addition (`edits::Basis::Item`): colleagues recording at the same time never
//! block each other. The session is found by its anchor (unit and date), so a session removed or added by
//! someone else meanwhile never sends a photo to the wrong one.

use askama::Template;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use giamsat_domain::codes::{Direction, FindingKind};
use giamsat_domain::messages::labels;
use giamsat_domain::mission::{Edit, Finding, ItemKind, Mission, Origin, Photo, Recommendation};
use giamsat_domain::policy::Action;
use giamsat_domain::recommendation::FollowUp;
use giamsat_domain::text::LONG_TEXT_MAX;
use giamsat_store::StoreError;
use giamsat_store::edits::{self, Basis};
use giamsat_store::missions::{self, StoredMission};

use crate::auth::guard::{Authenticated, authorize};
use crate::auth::session::CurrentUser;
use crate::error::AppError;
use crate::forms::{Checked, FormData};
use crate::pages::account::actor;
use crate::pages::items::{Choice, edit_problem, photo_problem};
use crate::pages::{Chrome, page};
use crate::state::AppState;
use crate::storage::{MAX_PHOTO_BYTES, image_type};

/// Photo rows of the recording form: enough for a visit, short enough for a phone's screen.
const PHOTO_ROWS: usize = 5;

pub struct SessionLine {
    pub index: usize,
    pub unit: String,
    pub date: String,
}

#[derive(Template)]
#[template(path = "record_pick.html")]
struct PickPage {
    chrome: Chrome,
    mission_id: i64,
    mission_title: String,
    sessions: Vec<SessionLine>,
}

pub struct PhotoRow {
    pub file_field: String,
    pub caption_field: String,
    pub number: usize,
}

pub struct Recorded {
    pub url: Option<String>,
    pub caption: String,
}

#[derive(Template)]
#[template(path = "record.html")]
struct RecordPage {
    chrome: Chrome,
    csrf: String,
    mission_id: i64,
    mission_title: String,
    index: usize,
    unit: String,
    date: String,
    /// The session as the page showed it (see `Mission::session_anchor`) and the targets it offered.
    anchor: String,
    targets_seen: String,
    photo_rows: Vec<PhotoRow>,
    photos_form: Checked,
    finding_form: Checked,
    rec_form: Checked,
    finding_kinds: Vec<Choice>,
    /// A problem of a whole save (not of one field), with the form it belongs to.
    problem: Option<String>,
    photos: Vec<Recorded>,
    findings: Vec<String>,
    recommendations: Vec<String>,
}

fn unit_of(mission: &Mission, target: usize) -> String {
    mission.targets.get(target).map(|t| labels::target_with_kind(t.kind, &t.name)).unwrap_or_default()
}

fn date_of(session: &giamsat_domain::mission::Session) -> String {
    session.date.map_or_else(|| labels::UNDATED.to_owned(), giamsat_domain::date::format_short)
}

impl RecordPage {
    fn new(current: &CurrentUser, stored: &StoredMission, index: usize) -> Option<RecordPage> {
        let mission = &stored.mission;
        let session = mission.sessions.get(index)?;
        let target = session.target;
        let unit = unit_of(mission, target);
        let mut rec_form = Checked::default();
        rec_form.set("direction", Direction::Downward.code());
        rec_form.set("addressees", unit.clone());
        let mut finding_form = Checked::default();
        finding_form.set("kind", FindingKind::Strength.code());
        Some(RecordPage {
            chrome: Chrome::of(current),
            csrf: current.csrf.clone().unwrap_or_default(),
            mission_id: stored.id,
            mission_title: giamsat_domain::naming::name_of(mission),
            index,
            date: date_of(session),
            anchor: mission.session_anchor(index).unwrap_or_default(),
            targets_seen: mission.targets_seen(),
            photo_rows: (0..PHOTO_ROWS)
                .map(|i| PhotoRow {
                    file_field: format!("photo_{i}"),
                    caption_field: format!("caption_{i}"),
                    number: i + 1,
                })
                .collect(),
            photos_form: Checked::default(),
            finding_form,
            rec_form,
            finding_kinds: FindingKind::ALL
                .iter()
                .map(|k| Choice { value: k.code().to_owned(), label: labels::finding_kind(*k).to_owned() })
                .collect(),
            problem: None,
            photos: session
                .photos
                .iter()
                .map(|p| Recorded {
                    url: p.file.as_ref().map(|f| format!("/missions/{}/photos/{f}", stored.id)),
                    caption: p.caption.clone(),
                })
                .collect(),
            findings: mission
                .findings
                .iter()
                .filter(|f| f.targets.contains(&target))
                .map(|f| format!("{}: {}", labels::finding_kind(f.kind), f.text))
                .collect(),
            recommendations: mission
                .recommendations
                .iter()
                .filter(|r| match &r.origin {
                    Origin::Upward { raised_by } => raised_by.contains(&target),
                    Origin::Downward { .. } => r.addressees.contains(&unit),
                })
                .map(|r| format!("{}: {}", labels::direction(r.direction()), r.text))
                .collect(),
            unit,
        })
    }

    /// Keeps what the user's page was built from, so the page shown again for a correction still finds the
    /// session it was opened for.
    fn built_from(mut self, data: &FormData) -> RecordPage {
        if !data.get("anchor").is_empty() {
            data.get("anchor").clone_into(&mut self.anchor);
        }
        if !data.get("targets_seen").is_empty() {
            data.get("targets_seen").clone_into(&mut self.targets_seen);
        }
        self
    }
}

fn index_of(raw: &str) -> Result<usize, AppError> {
    raw.parse().map_err(|_| AppError::NotFound)
}

/// GET /missions/{id}/record: the sessions to record at, by date.
pub async fn pick(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    authorize(&state, &current, id, Action::RecordFieldwork).await?;
    let stored = missions::load(&state.db, id).await?;
    let mission = &stored.mission;
    let view = PickPage {
        chrome: Chrome::of(&current),
        mission_id: id,
        mission_title: giamsat_domain::naming::name_of(mission),
        sessions: mission
            .sessions_by_date()
            .into_iter()
            .map(|(index, s)| SessionLine { index, unit: unit_of(mission, s.target), date: date_of(s) })
            .collect(),
    };
    page(&view, StatusCode::OK)
}

/// GET /missions/{id}/record/{index}: the recording page of one session.
pub async fn show(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    Path((id, index)): Path<(i64, String)>,
) -> Result<Response, AppError> {
    let index = index_of(&index)?;
    authorize(&state, &current, id, Action::RecordFieldwork).await?;
    let stored = missions::load(&state.db, id).await?;
    let view = RecordPage::new(&current, &stored, index).ok_or(AppError::NotFound)?;
    page(&view, StatusCode::OK)
}

/// Where a save at session `index` comes back to.
fn back(id: i64, index: usize) -> Response {
    crate::pages::saved(&format!("/missions/{id}/record/{index}"), "recorded")
}

/// The session the page was opened for, where it is now (others may have added or removed sessions); without
/// an anchor (a script), the session at `index`.
fn session_now(stored: &StoredMission, index: usize, anchor: &str) -> Option<usize> {
    if anchor.is_empty() {
        return (index < stored.mission.sessions.len()).then_some(index);
    }
    stored.mission.locate(ItemKind::Session, index, anchor, |m, i| m.session_anchor(i))
}

/// Saves an edit, or shows the page again with the user's input and what went wrong.
async fn save(
    state: &AppState,
    current: &CurrentUser,
    headers: &HeaderMap,
    (id, index): (i64, usize),
    basis: Basis,
    edit: Edit,
    again: RecordPage,
) -> Result<Response, AppError> {
    match edits::apply(&state.db, id, &basis, edit, &actor(&current.user, headers, state.clock.now())).await {
        Ok(_) => Ok(back(id, index)),
        Err(StoreError::Conflict { .. }) => {
            let mut again = again;
            again.problem = Some(labels::SESSION_CHANGED.to_owned());
            page(&again, StatusCode::CONFLICT)
        }
        Err(StoreError::Edit(e)) => {
            let mut again = again;
            again.problem = Some(edit_problem(&e));
            page(&again, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => Err(e.into()),
    }
}

/// The page to come back to when the session is gone: the same page of the session now at `index`, if any.
async fn loaded(
    state: &AppState,
    current: &CurrentUser,
    id: i64,
    index: usize,
) -> Result<(StoredMission, RecordPage), AppError> {
    authorize(state, current, id, Action::RecordFieldwork).await?;
    let stored = missions::load(&state.db, id).await?;
    let view = RecordPage::new(current, &stored, index).ok_or(AppError::NotFound)?;
    Ok((stored, view))
}

/// The fields and the photos (by row) of a photo save. A body that is not multipart (a script) has no photos.
async fn read_photos(state: &AppState, request: Request) -> Result<(FormData, Vec<(usize, Vec<u8>)>), AppError> {
    let is_multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !is_multipart {
        return Ok((FormData::from_request(request, state).await?, Vec::new()));
    }
    let mut multipart = Multipart::from_request(request, state).await?;
    let mut pairs = Vec::new();
    let mut files = Vec::new();
    while let Some(field) = multipart.next_field().await? {
        let name = field.name().unwrap_or_default().to_owned();
        let row = name.strip_prefix("photo_").and_then(|r| r.parse::<usize>().ok()).filter(|r| *r < PHOTO_ROWS);
        if let Some(row) = row {
            let bytes = field.bytes().await?;
            if !bytes.is_empty() {
                files.push((row, bytes.to_vec()));
            }
        } else {
            let value = field.text().await.unwrap_or_else(|_| "\u{fffd}".to_owned());
            pairs.push((name, value));
        }
    }
    Ok((FormData(pairs), files))
}

/// POST /missions/{id}/record/{index}/photos: several photos, each with its caption, in one save.
pub async fn photos(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    headers: HeaderMap,
    Path((id, index)): Path<(i64, String)>,
    request: Request,
) -> Result<Response, AppError> {
    let index = index_of(&index)?;
    let (stored, view) = loaded(&state, &current, id, index).await?;
    let (data, files) = read_photos(&state, request).await?;
    let mut view = view.built_from(&data);
    view.photos_form = Checked::from(&data);
    let form = &mut view.photos_form;
    if files.is_empty() {
        let _ = form.fail("photo_0", labels::NO_PHOTO);
    }
    let mut captions = Vec::new();
    for (row, bytes) in &files {
        let field = format!("photo_{row}");
        if bytes.len() > MAX_PHOTO_BYTES {
            let _ = form.fail(&field, photo_problem(&crate::storage::StorageError::TooLarge));
        } else if image_type(bytes).is_none() {
            let _ = form.fail(&field, photo_problem(&crate::storage::StorageError::NotAnImage));
        }
        captions.push(form.opt_text(&format!("caption_{row}"), LONG_TEXT_MAX).unwrap_or_default());
    }
    let Some(at) = session_now(&stored, index, &view.anchor) else {
        view.problem = Some(labels::SESSION_CHANGED.to_owned());
        return page(&view, StatusCode::CONFLICT);
    };
    if view.photos_form.has_errors() {
        return page(&view, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let mut photos = Vec::new();
    for ((row, bytes), caption) in files.iter().zip(captions) {
        match state.files.put_image(bytes).await {
            Ok((key, _)) => photos.push(Photo { caption, file: Some(key) }),
            Err(e) => {
                let _ = view.photos_form.fail(&format!("photo_{row}"), photo_problem(&e));
                return page(&view, StatusCode::UNPROCESSABLE_ENTITY);
            }
        }
    }
    let basis = Basis::Item { targets: None, item: Some(view.anchor.clone()) };
    save(&state, &current, &headers, (id, at), basis, Edit::AddPhotos(at, photos), view).await
}

/// POST /missions/{id}/record/{index}/findings: a finding about the session's unit.
pub async fn finding(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    headers: HeaderMap,
    Path((id, index)): Path<(i64, String)>,
    data: FormData,
) -> Result<Response, AppError> {
    let index = index_of(&index)?;
    let (stored, view) = loaded(&state, &current, id, index).await?;
    let mut view = view.built_from(&data);
    view.finding_form = Checked::from(&data);
    let kind = view.finding_form.code("kind", FindingKind::from_code);
    let text = view.finding_form.text("finding_text", LONG_TEXT_MAX);
    let Some(at) = session_now(&stored, index, &view.anchor) else {
        view.problem = Some(labels::SESSION_CHANGED.to_owned());
        return page(&view, StatusCode::CONFLICT);
    };
    let (Some(kind), Some(text), false) = (kind, text, view.finding_form.has_errors()) else {
        return page(&view, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let target = stored.mission.sessions.get(at).map(|s| s.target).ok_or(AppError::NotFound)?;
    let finding = Finding { kind, targets: vec![target], text };
    let basis = Basis::Item { targets: Some(view.targets_seen.clone()), item: None };
    save(&state, &current, &headers, (id, at), basis, Edit::AddFinding(finding), view).await
}

/// POST /missions/{id}/record/{index}/recommendations: a recommendation of the session's unit (upward) or to it
/// (downward).
pub async fn recommendation(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    headers: HeaderMap,
    Path((id, index)): Path<(i64, String)>,
    data: FormData,
) -> Result<Response, AppError> {
    let index = index_of(&index)?;
    let (stored, view) = loaded(&state, &current, id, index).await?;
    let mut view = view.built_from(&data);
    view.rec_form = Checked::from(&data);
    let form = &mut view.rec_form;
    let direction = form.code("direction", Direction::from_code);
    let addressees = form.addressees("addressees");
    let text = form.text("rec_text", LONG_TEXT_MAX);
    let Some(at) = session_now(&stored, index, &view.anchor) else {
        view.problem = Some(labels::SESSION_CHANGED.to_owned());
        return page(&view, StatusCode::CONFLICT);
    };
    let (Some(direction), Some(text), false) = (direction, text, view.rec_form.has_errors()) else {
        return page(&view, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let target = stored.mission.sessions.get(at).map(|s| s.target).ok_or(AppError::NotFound)?;
    let origin = match direction {
        Direction::Upward => Origin::Upward { raised_by: vec![target] },
        Direction::Downward => Origin::Downward { issuer: Some(stored.mission.supervising_body.clone()) },
    };
    let rec = Recommendation { origin, addressees, text, follow_up: FollowUp::default() };
    let basis = Basis::Item { targets: Some(view.targets_seen.clone()), item: None };
    save(&state, &current, &headers, (id, at), basis, Edit::AddRecommendation(rec), view).await
}
