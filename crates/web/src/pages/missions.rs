//! The missions list, the mission page and its export.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use giamsat_domain::codes::{Direction, FindingKind};
use giamsat_domain::date::{Period, format_short};
use giamsat_domain::interchange;
use giamsat_domain::messages::labels;
use giamsat_domain::mission::{Mission, Origin, Who};
use giamsat_domain::policy::{self, Action, MissionScope, Subject};
use giamsat_domain::text::join_vi;
use giamsat_domain::workflow::{MissionState, WorkflowError, check_transition};
use giamsat_store::missions::{self, MissionSummary};
use serde::Deserialize;

use crate::auth::guard::{Authenticated, authorize};
use crate::error::AppError;
use crate::pages::Chrome;
use crate::pages::account::actor;
use crate::state::AppState;

const PAGE_SIZE: u64 = 50;

fn render(template: &impl Template) -> Result<Response, AppError> {
    template.render().map(|html| Html(html).into_response()).map_err(|e| AppError::Internal(e.to_string()))
}

fn period_text(period: &Period) -> String {
    period.describe().unwrap_or_else(|| "chưa xác định".to_owned())
}

pub struct SummaryRow {
    pub id: i64,
    pub title: String,
    pub subject: String,
    pub supervising_body: String,
    pub state: &'static str,
    pub period: String,
}

impl From<MissionSummary> for SummaryRow {
    fn from(m: MissionSummary) -> Self {
        let period = Period::new(m.fieldwork_from, m.fieldwork_to).map(|p| period_text(&p)).unwrap_or_default();
        SummaryRow {
            id: m.id,
            title: m.team_name.unwrap_or_else(|| "Đoàn giám sát".to_owned()),
            subject: m.subject,
            supervising_body: m.supervising_body,
            state: labels::mission_state(m.state),
            period,
        }
    }
}

#[derive(Template)]
#[template(path = "missions.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<SummaryRow>,
    next: Option<i64>,
    can_create: bool,
}

#[derive(Deserialize)]
pub struct ListQuery {
    before: Option<i64>,
}

/// GET /missions: the missions the user may see, newest first, keyset pages of 50.
pub async fn list(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let visibility = policy::visibility(Some(&current.subject()));
    let rows = missions::list(&state.db, visibility, query.before, PAGE_SIZE + 1).await?;
    let more = rows.len() > usize::try_from(PAGE_SIZE).unwrap_or(usize::MAX);
    let rows: Vec<SummaryRow> =
        rows.into_iter().take(usize::try_from(PAGE_SIZE).unwrap_or(usize::MAX)).map(SummaryRow::from).collect();
    let next = if more { rows.last().map(|r| r.id) } else { None };
    let can_create = policy::can(Some(&current.subject()), Action::Create, None);
    render(&ListPage { chrome: Chrome::of(&current), rows, next, can_create })
}

pub struct MemberRow {
    pub role: &'static str,
    pub name: String,
    pub position: String,
}

pub struct TargetRow {
    pub index: usize,
    pub label: String,
    pub sessions: Vec<SessionRow>,
}

pub struct SessionRow {
    pub index: usize,
    pub date: String,
    pub modality: &'static str,
    pub photos: Vec<PhotoView>,
}

pub struct PhotoView {
    pub caption: String,
    pub url: Option<String>,
}

pub struct FindingItem {
    pub index: usize,
    pub text: String,
}

pub struct FindingGroup {
    pub code: &'static str,
    pub kind: &'static str,
    pub items: Vec<FindingItem>,
    pub none_recorded: bool,
}

pub struct RecommendationRow {
    pub index: usize,
    pub due: String,
    pub from: String,
    pub to: String,
    pub text: String,
    pub status: &'static str,
}

pub struct TransitionRow {
    pub to: &'static str,
    pub action: &'static str,
    pub refusal: Option<String>,
    /// The policy allows this user to take this step.
    pub allowed: bool,
}

#[derive(Template)]
#[template(path = "mission.html")]
struct MissionPage {
    chrome: Chrome,
    id: i64,
    version: i32,
    csrf: String,
    can_export: bool,
    can_edit: bool,
    can_record: bool,
    title: String,
    subject: String,
    system: &'static str,
    form: &'static str,
    state: &'static str,
    owner: String,
    supervising_body: String,
    decision: String,
    fieldwork: String,
    members: Vec<MemberRow>,
    targets: Vec<TargetRow>,
    findings: Vec<FindingGroup>,
    upward: Vec<RecommendationRow>,
    downward: Vec<RecommendationRow>,
    transitions: Vec<TransitionRow>,
    other_teams: Vec<SummaryRow>,
}

fn decision_line(mission: &Mission) -> String {
    let d = &mission.decision;
    let mut line = match &d.number {
        Some(number) => format!("Số {number}"),
        None => "Chưa có số".to_owned(),
    };
    if let Some(on) = d.issued_on {
        line.push_str(&format!(", ngày {}", format_short(on)));
    }
    if let Some(issuer) = &d.issuer {
        line.push_str(&format!(" của {issuer}"));
    }
    if let Some(summary) = &d.summary {
        line.push_str(&format!(" về việc {summary}"));
    }
    line
}

/// What the mission page lets this user do.
struct Permissions {
    chrome: Chrome,
    csrf: String,
    subject: Subject,
    scope: MissionScope,
}

fn page_of(id: i64, version: i32, mission: &Mission, permissions: &Permissions) -> MissionPage {
    let allowed = |action| policy::can(Some(&permissions.subject), action, Some(&permissions.scope));
    let working_group = mission.team.is_working_group();
    let target_names = |indices: &[usize]| {
        if indices.is_empty() {
            "Tất cả đơn vị".to_owned()
        } else {
            join_vi(&indices.iter().filter_map(|i| mission.targets.get(*i).map(|t| t.name.clone())).collect::<Vec<_>>())
        }
    };
    let members = mission
        .members
        .iter()
        .map(|m| {
            let (name, position) = match &m.who {
                Who::Person { name, position } => (name.clone(), position.clone().unwrap_or_default()),
                Who::Group { description } => (description.clone(), String::new()),
            };
            MemberRow { role: labels::role(m.role, working_group), name, position }
        })
        .collect();
    let targets = mission
        .targets
        .iter()
        .enumerate()
        .map(|(i, t)| TargetRow {
            index: i,
            label: labels::target_with_kind(t.kind, &t.name),
            sessions: mission
                .sessions
                .iter()
                .enumerate()
                .filter(|(_, s)| s.target == i)
                .map(|(index, s)| SessionRow {
                    index,
                    date: s.date.map_or_else(|| "chưa rõ ngày".to_owned(), format_short),
                    modality: s.modality.map_or("Chưa rõ hình thức", labels::modality),
                    photos: s
                        .photos
                        .iter()
                        .map(|p| PhotoView {
                            caption: p.caption.clone(),
                            url: p.file.as_ref().map(|f| format!("/missions/{id}/photos/{f}")),
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    let findings = FindingKind::ALL
        .iter()
        .map(|kind| FindingGroup {
            code: kind.code(),
            kind: labels::finding_kind(*kind),
            items: mission
                .findings
                .iter()
                .enumerate()
                .filter(|(_, f)| f.kind == *kind)
                .map(|(index, f)| {
                    let scope =
                        if f.targets.is_empty() { String::new() } else { format!(" ({})", target_names(&f.targets)) };
                    FindingItem { index, text: format!("{}{scope}", giamsat_domain::text::capitalize_first(&f.text)) }
                })
                .collect(),
            none_recorded: mission.findings_none_recorded.contains(kind),
        })
        .collect();
    let recommendations = |direction: Direction| {
        mission
            .recommendations
            .iter()
            .enumerate()
            .filter(|(_, r)| r.direction() == direction)
            .map(|(index, r)| RecommendationRow {
                index,
                due: r.follow_up.due_on.map(|d| format!("hạn {}", format_short(d))).unwrap_or_default(),
                from: match &r.origin {
                    Origin::Upward { raised_by } => target_names(raised_by),
                    Origin::Downward { issuer } => issuer.clone().unwrap_or_else(|| mission.supervising_body.clone()),
                },
                to: r.addressees.join(", "),
                text: giamsat_domain::text::capitalize_first(&r.text),
                status: labels::rec_status(r.follow_up.status),
            })
            .collect()
    };
    let transitions = mission
        .state
        .next_states()
        .iter()
        .map(|to| TransitionRow {
            to: to.code(),
            allowed: allowed(Action::Transition(*to)),
            action: labels::transition_action(*to),
            refusal: match check_transition(mission, *to) {
                Ok(()) => None,
                Err(WorkflowError::Preconditions { missing, .. }) => {
                    Some(missing.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))
                }
                Err(e @ WorkflowError::NotAllowed { .. }) => Some(e.to_string()),
            },
        })
        .collect();
    MissionPage {
        chrome: permissions.chrome.clone(),
        id,
        version,
        csrf: permissions.csrf.clone(),
        can_export: allowed(Action::Export),
        can_edit: allowed(Action::Edit),
        can_record: allowed(Action::RecordFieldwork),
        title: mission.team.name.clone().unwrap_or_else(|| "Đoàn giám sát".to_owned()),
        subject: mission.subject.clone(),
        system: labels::system(mission.system),
        form: labels::form(mission.form),
        state: labels::mission_state(mission.state),
        owner: mission.owner.name.clone(),
        supervising_body: mission.supervising_body.clone(),
        decision: decision_line(mission),
        fieldwork: period_text(&mission.fieldwork),
        members,
        targets,
        findings,
        upward: recommendations(Direction::Upward),
        downward: recommendations(Direction::Downward),
        transitions,
        other_teams: Vec::new(),
    }
}

/// GET /missions/{id}: everything about one mission.
pub async fn show(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let scope = authorize(&state, &current, id, Action::View).await?;
    let stored = missions::load(&state.db, id).await?;
    let permissions = Permissions {
        chrome: Chrome::of(&current),
        csrf: current.csrf.clone().unwrap_or_default(),
        subject: current.subject(),
        scope,
    };
    let mut page = page_of(stored.id, stored.version, &stored.mission, &permissions);
    if let Some(decision_id) = stored.decision_id {
        let visibility = policy::visibility(Some(&current.subject()));
        page.other_teams = missions::other_teams(&state.db, visibility, decision_id, id)
            .await?
            .into_iter()
            .map(SummaryRow::from)
            .collect();
    }
    render(&page)
}

#[derive(Deserialize)]
pub struct TransitionForm {
    to: String,
    version: i32,
}

/// POST /missions/{id}/transition: one workflow step, if the policy and the workflow allow it and nobody
/// changed the mission since the page was shown.
pub async fn transition(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<TransitionForm>,
) -> Result<Response, AppError> {
    let to = MissionState::from_code(&form.to).ok_or(AppError::Unprocessable("trạng thái không hợp lệ".to_owned()))?;
    authorize(&state, &current, id, Action::Transition(to)).await?;
    missions::transition(&state.db, id, form.version, to, &actor(&current.user, &headers)).await?;
    Ok(Redirect::to(&format!("/missions/{id}")).into_response())
}

/// GET /missions/{id}/export: the mission as a `giamsat.mission/1` file.
pub async fn export(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    authorize(&state, &current, id, Action::Export).await?;
    let stored = missions::load(&state.db, id).await?;
    let disposition = format!("attachment; filename=\"mission-{id}.json\"");
    Ok((
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        interchange::to_json(&stored.mission),
    )
        .into_response())
}
