//! The missions list, the mission page and its export.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Datelike;
use giamsat_domain::codes::{Direction, FindingKind, SupervisionSystem, TargetKind};
use giamsat_domain::date::{Period, format_short};
use giamsat_domain::interchange;
use giamsat_domain::messages::{labels, pages as msg};
use giamsat_domain::mission::{Mission, Origin, Who};
use giamsat_domain::policy::Capacity;
use giamsat_domain::policy::{self, Action, MissionScope, Subject};
use giamsat_domain::recommendation::LinkKind;
use giamsat_domain::text::join_vi;
use giamsat_domain::workflow::{CancelReason, MissionState, Step, WorkflowError, check_transition};
use giamsat_store::accounts;
use giamsat_store::dashboard::{self, MissionFilter};
use giamsat_store::missions::{self, MissionSummary};
use serde::Deserialize;

use crate::auth::guard::{Authenticated, authorize, authorize_in};
use crate::auth::session::CurrentUser;
use crate::error::AppError;
use crate::forms::Checked;
use crate::pages::account::actor;
use crate::pages::items::Choice;
use crate::pages::{Chrome, page};
use crate::state::AppState;

const PAGE_SIZE: u64 = 50;

fn period_text(period: &Period) -> String {
    period.describe().unwrap_or_else(|| msg::PERIOD_UNSET.to_owned())
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
            title: m.name,
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
    /// The query string of the next page (filters kept), if there is one.
    next: Option<String>,
    can_create: bool,
    filter: Checked,
    states: Vec<Choice>,
    systems: Vec<Choice>,
    bodies: Vec<String>,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    /// The page cursor: the last id of the previous page (older ones follow, or newer ones when sorted oldest
    /// first).
    before: Option<String>,
    state: Option<String>,
    system: Option<String>,
    year: Option<String>,
    body: Option<String>,
    target: Option<String>,
    sort: Option<String>,
}

impl ListQuery {
    fn filter(&self) -> MissionFilter {
        let nonempty = |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
        MissionFilter {
            state: self.state.as_deref().and_then(MissionState::from_code),
            system: self.system.as_deref().and_then(SupervisionSystem::from_code),
            year: self.year.as_deref().and_then(|y| y.trim().parse().ok()),
            supervising_body: nonempty(&self.body),
            target: nonempty(&self.target).map(|t| giamsat_domain::text::fold(&t)),
            oldest_first: self.sort.as_deref() == Some("oldest"),
            decision_id: None,
        }
    }

    fn echo(&self) -> Checked {
        let mut form = Checked::default();
        for (name, value) in [
            ("state", &self.state),
            ("system", &self.system),
            ("year", &self.year),
            ("body", &self.body),
            ("target", &self.target),
            ("sort", &self.sort),
        ] {
            form.set(name, value.clone().unwrap_or_default());
        }
        form
    }

    fn next_page(&self, before: i64) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (name, value) in [
            ("state", &self.state),
            ("system", &self.system),
            ("year", &self.year),
            ("body", &self.body),
            ("target", &self.target),
            ("sort", &self.sort),
        ] {
            if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
                query.append_pair(name, v);
            }
        }
        query.append_pair("before", &before.to_string());
        query.finish()
    }
}

/// GET /missions: the missions the user may see, filtered, newest first, keyset pages of 50.
pub async fn list(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let visibility = policy::visibility(Some(&current.subject()));
    let before = query.before.as_deref().and_then(|b| b.parse().ok());
    let rows = dashboard::missions(&state.db, visibility, &query.filter(), before, PAGE_SIZE + 1).await?;
    let more = rows.len() > usize::try_from(PAGE_SIZE).unwrap_or(usize::MAX);
    let rows: Vec<SummaryRow> =
        rows.into_iter().take(usize::try_from(PAGE_SIZE).unwrap_or(usize::MAX)).map(SummaryRow::from).collect();
    let next = if more { rows.last().map(|r| query.next_page(r.id)) } else { None };
    let can_create = crate::auth::guard::may(&current, Action::Create);
    page(
        &ListPage {
            chrome: Chrome::of(&current),
            rows,
            next,
            can_create,
            filter: query.echo(),
            states: MissionState::ALL
                .iter()
                .map(|s| Choice { value: s.code().to_owned(), label: labels::mission_state(*s).to_owned() })
                .collect(),
            systems: SupervisionSystem::ALL
                .iter()
                .map(|s| Choice { value: s.code().to_owned(), label: labels::system(*s).to_owned() })
                .collect(),
            bodies: dashboard::supervising_bodies(&state.db, visibility).await?,
        },
        StatusCode::OK,
    )
}

pub struct StateCount {
    pub code: &'static str,
    pub label: &'static str,
    pub count: i64,
}

pub struct SessionLine {
    pub mission_id: i64,
    pub date: String,
    pub target: String,
    pub mission: String,
}

pub struct DueLine {
    /// The recommendation's ledger page.
    pub id: i64,
    pub text: String,
    pub due: String,
    pub status: &'static str,
    pub mission: String,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    chrome: Chrome,
    work: crate::pages::mywork::Work,
    month: String,
    states: Vec<StateCount>,
    sessions: Vec<SessionLine>,
    overdue: Vec<DueLine>,
    /// More are overdue than listed: the ledger lists them all.
    more_overdue: bool,
    due_soon: Vec<DueLine>,
    more_due_soon: bool,
    more_sessions: bool,
}

/// How far ahead "due soon" looks.
const DUE_SOON_DAYS: i64 = 7;

/// Lines per list of the dashboard; the ledger and the calendar feed have the rest.
const DASHBOARD_LINES: usize = 20;

/// The first [`DASHBOARD_LINES`] of `rows` (fetched one longer), and whether there were more.
fn first_lines<T>(mut rows: Vec<T>) -> (Vec<T>, bool) {
    let more = rows.len() > DASHBOARD_LINES;
    rows.truncate(DASHBOARD_LINES);
    (rows, more)
}

/// GET /: missions by workflow state, this month's sessions, recommendations due soon and overdue.
pub async fn dashboard(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
) -> Result<Response, AppError> {
    let visibility = policy::visibility(Some(&current.subject()));
    let today = giamsat_domain::date::vietnam_day(state.clock.now());
    let first = today.with_day(1).unwrap_or(today);
    let last = (first + chrono::Months::new(1)).pred_opt().unwrap_or(today);
    let read = giamsat_store::db::begin_read(&state.db).await.map_err(giamsat_store::StoreError::from)?;
    let states = dashboard::count_by_state(&read, visibility)
        .await?
        .into_iter()
        .map(|(s, count)| StateCount { code: s.code(), label: labels::mission_state(s), count })
        .collect();
    let fetch = (DASHBOARD_LINES + 1) as u64;
    let (sessions, more_sessions) =
        first_lines(dashboard::sessions_between(&read, visibility, first, last, fetch).await?);
    let yesterday = today.pred_opt().unwrap_or(today);
    let (overdue, more_overdue) = first_lines(dashboard::due_between(&read, visibility, None, yesterday, fetch).await?);
    let soon = today + chrono::Duration::days(DUE_SOON_DAYS);
    let (due_soon, more_due_soon) =
        first_lines(dashboard::due_between(&read, visibility, Some(today), soon, fetch).await?);
    let work = crate::pages::mywork::load(&state, &read, &current, crate::pages::mywork::DASHBOARD_LINES, 3).await?;
    drop(read);
    let line = |d: dashboard::DueItem| DueLine {
        id: d.id,
        text: giamsat_domain::text::capitalize_first(&d.text),
        due: format_short(d.due_on),
        status: labels::rec_status(d.status),
        mission: d.mission_name,
    };
    page(
        &DashboardPage {
            chrome: Chrome::of(&current),
            work,
            month: msg::month(first.month(), first.year()),
            states,
            sessions: sessions
                .into_iter()
                .map(|s| SessionLine {
                    mission_id: s.mission_id,
                    date: format_short(s.date),
                    target: TargetKind::from_code(&s.target_kind)
                        .map_or_else(|| s.target.clone(), |k| labels::target_with_kind(k, &s.target)),
                    mission: s.mission_name,
                })
                .collect(),
            more_sessions,
            overdue: overdue.into_iter().map(line).collect(),
            more_overdue,
            due_soon: due_soon.into_iter().map(line).collect(),
            more_due_soon,
        },
        StatusCode::OK,
    )
}

pub struct MemberRow {
    pub role: &'static str,
    pub name: String,
    pub position: String,
}

pub struct TargetRow {
    pub index: usize,
    pub label: String,
    /// Its unit's ledger (`/ledger/units/{id}`), when it names a known unit.
    pub unit: Option<i64>,
    pub sessions: Vec<SessionRow>,
}

pub struct SessionRow {
    pub index: usize,
    pub date: String,
    /// Dated outside the fieldwork period: shown with a warning beside it.
    pub outside_fieldwork: bool,
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
    /// Its ledger page (`/recommendations/{id}`).
    pub ledger_id: i64,
    /// "lùi hạn 2 lần", when its due date moved back.
    pub deferred: String,
    pub due: String,
    pub from: String,
    /// The addressees, each leading to its ledger when it names an organisation.
    pub to: Vec<crate::pages::ledger::Named>,
    pub text: String,
    pub status: &'static str,
    /// What its links say: it repeats an earlier recommendation, it was re-supervised.
    pub marks: Vec<&'static str>,
}

pub struct TransitionRow {
    pub to: &'static str,
    pub action: &'static str,
    /// What is missing (or why the step is impossible), one line each; `None` when the step may be taken.
    pub refusal: Option<Vec<String>>,
    /// A step back (reopening the fieldwork): offered as a secondary button, never as the main action.
    pub back: bool,
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
    /// Cancelling, offered apart from the steps (a danger control asking for a reason): `Some(allowed)` while the
    /// workflow still allows it.
    cancel: Option<bool>,
    /// The reason field of the cancel form and its error, when a cancellation was refused.
    cancel_form: Checked,
    /// "Đã hủy: <lý do>" for a cancelled mission whose reason was recorded.
    cancelled_reason: Option<String>,
    other_teams: Vec<SummaryRow>,
    /// Earlier missions' recommendations this mission was recorded as re-supervising.
    checked: Vec<CheckedRow>,
    /// The decision's own edit page, for those who may manage it.
    decision_link: Option<i64>,
    assigned: Vec<AssignedRow>,
    assignable: Vec<Choice>,
}

/// A recommendation of an earlier mission this one checked again.
pub struct CheckedRow {
    pub ledger_id: i64,
    pub text: String,
    /// "Đoàn Giám sát số 5 (2021)".
    pub mission: String,
    pub mission_id: i64,
}

pub struct AssignedRow {
    pub user_id: i64,
    pub name: String,
    pub capacity: &'static str,
}

fn decision_line(mission: &Mission) -> String {
    let d = &mission.decision;
    msg::decision_line(
        d.number.as_ref().map(ToString::to_string).as_deref(),
        d.issued_on,
        d.issuer.as_deref(),
        d.summary.as_deref(),
    )
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
            msg::ALL_UNITS.to_owned()
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
            unit: None,
            sessions: mission
                .sessions_by_date()
                .into_iter()
                .filter(|(_, s)| s.target == i)
                .map(|(index, s)| SessionRow {
                    index,
                    date: s.date.map_or_else(|| labels::UNDATED.to_owned(), format_short),
                    outside_fieldwork: mission.is_outside_fieldwork(s),
                    modality: s.modality.map_or(msg::MODALITY_UNKNOWN, labels::modality),
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
                ledger_id: 0,
                deferred: String::new(),
                due: r.follow_up.due_on.map(msg::due).unwrap_or_default(),
                from: match &r.origin {
                    Origin::Upward { raised_by } => target_names(raised_by),
                    Origin::Downward { issuer } => issuer.clone().unwrap_or_else(|| mission.supervising_body.clone()),
                },
                to: r.addressees.iter().map(|a| crate::pages::ledger::Named { name: a.clone(), href: None }).collect(),
                text: giamsat_domain::text::capitalize_first(&r.text),
                status: labels::rec_status(r.follow_up.status),
                marks: Vec::new(),
            })
            .collect()
    };
    let steps = mission.state.next_states();
    let transitions = steps
        .iter()
        .filter(|to| mission.state.step_to(**to) != Step::Cancel)
        .map(|to| TransitionRow {
            to: to.code(),
            allowed: allowed(Action::Transition(*to)),
            action: labels::transition_action(*to),
            refusal: match check_transition(mission, *to) {
                Ok(()) => None,
                Err(WorkflowError::Preconditions { missing, .. }) => {
                    Some(missing.iter().map(ToString::to_string).collect())
                }
                Err(e @ WorkflowError::NotAllowed { .. }) => Some(vec![e.to_string()]),
            },
            back: mission.state.step_to(*to) == Step::Back,
        })
        .collect();
    let cancel = steps.contains(&MissionState::Cancelled).then(|| allowed(Action::Transition(MissionState::Cancelled)));
    MissionPage {
        chrome: permissions.chrome.clone(),
        id,
        version,
        csrf: permissions.csrf.clone(),
        can_export: allowed(Action::Export),
        can_edit: allowed(Action::Edit),
        can_record: allowed(Action::RecordFieldwork),
        title: giamsat_domain::naming::name_of(mission),
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
        cancel,
        cancel_form: Checked::default(),
        cancelled_reason: None,
        other_teams: Vec::new(),
        checked: Vec::new(),
        decision_link: None,
        assigned: Vec::new(),
        assignable: Vec::new(),
    }
}

/// GET /missions/{id}: everything about one mission.
pub async fn show(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    mission_page(&state, &current, id, Checked::default(), StatusCode::OK).await
}

/// The mission page, with `cancel_form` in its cancel control (a refused cancellation's reason and error).
async fn mission_page(
    state: &AppState,
    current: &CurrentUser,
    id: i64,
    cancel_form: Checked,
    status: StatusCode,
) -> Result<Response, AppError> {
    let read = giamsat_store::db::begin_read(&state.db).await.map_err(giamsat_store::StoreError::from)?;
    let scope = authorize_in(&read, current, id, Action::View).await?;
    let stored = missions::load(&read, id).await?;
    let permissions = Permissions {
        chrome: Chrome::of(current),
        csrf: current.csrf.clone().unwrap_or_default(),
        subject: current.subject(),
        scope,
    };
    let mut view = page_of(stored.id, stored.version, &stored.mission, &permissions);
    view.cancel_form = cancel_form;
    if stored.mission.state == MissionState::Cancelled {
        view.cancelled_reason = missions::cancel_reason(&read, id).await?;
    }
    if view.can_edit {
        view.assigned = accounts::assignments(&read, id)
            .await?
            .into_iter()
            .map(|(user, capacity)| AssignedRow {
                user_id: user.id,
                name: format!("{} ({})", user.display_name, user.email),
                capacity: labels::capacity(capacity),
            })
            .collect();
        view.assignable = accounts::assignable(&read)
            .await?
            .into_iter()
            .map(|u| Choice { value: u.id.to_string(), label: format!("{} ({})", u.display_name, u.email) })
            .collect();
    }
    let due_changes = giamsat_store::ledger::due_changes_of_mission(&read, id).await?;
    let links = giamsat_store::links::of_mission(&read, id).await?;
    let subject = current.subject();
    view.checked = giamsat_store::links::checked_by(
        &read,
        id,
        policy::visibility(Some(&subject)),
        policy::addressee_org(Some(&subject)),
    )
    .await?
    .into_iter()
    .map(|o| CheckedRow { ledger_id: o.id, text: o.text, mission: o.mission_title, mission_id: o.mission_id })
    .collect();
    for (row, unit) in view.targets.iter_mut().zip(&stored.target_units) {
        row.unit = *unit;
    }
    for row in view.upward.iter_mut().chain(view.downward.iter_mut()) {
        row.ledger_id = stored.recommendation_ids.get(row.index).copied().unwrap_or_default();
        if let Some(orgs) = stored.addressee_orgs.get(row.index) {
            for (named, org) in row.to.iter_mut().zip(orgs) {
                named.href = org.map(|o| format!("/ledger/addressees/{o}"));
            }
        }
        for kind in LinkKind::ALL {
            if links.iter().any(|(rec, k)| *rec == row.ledger_id && k == kind) {
                row.marks.push(giamsat_domain::messages::ledger::link_mark(*kind));
            }
        }
        let log: Vec<_> =
            due_changes.iter().filter(|(rec, ..)| *rec == row.ledger_id).map(|(_, from, to)| (*from, *to)).collect();
        row.deferred = giamsat_domain::messages::ledger::deferred(giamsat_domain::recommendation::deferrals(&log));
    }
    if let Some(decision_id) = stored.decision_id {
        if crate::auth::guard::may_manage(current, stored.owner_org_id) {
            view.decision_link = Some(decision_id);
        }
        let visibility = policy::visibility(Some(&current.subject()));
        view.other_teams = missions::other_teams(&read, visibility, decision_id, id)
            .await?
            .into_iter()
            .map(SummaryRow::from)
            .collect();
    }
    drop(read);
    page(&view, status)
}

/// The value of `confirm` the cancel form's checkbox sends.
const CONFIRMED: &str = "yes";

#[derive(Deserialize)]
pub struct TransitionForm {
    to: String,
    version: i32,
    /// Cancelling only: why (required).
    #[serde(default)]
    reason: String,
    /// Cancelling only: the ticked confirmation box.
    #[serde(default)]
    confirm: String,
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
    let to = MissionState::from_code(&form.to).ok_or(AppError::Unprocessable(msg::NO_SUCH_STATE.to_owned()))?;
    authorize(&state, &current, id, Action::Transition(to)).await?;
    if to == MissionState::Cancelled {
        // A cancellation needs a reason and a ticked confirmation; refused, the page comes back with the reason
        // kept and the error beside the field.
        let mut checked = Checked::default();
        checked.set("reason", form.reason.clone());
        checked.set("confirm", form.confirm.clone());
        let reason = CancelReason::parse(&form.reason).map_err(|e| checked.fail("reason", e.to_string()));
        if form.confirm != CONFIRMED {
            let _ = checked.fail("confirm", labels::CANCEL_UNCONFIRMED);
        }
        return match reason {
            Ok(reason) if !checked.has_errors() => {
                missions::cancel(
                    &state.db,
                    id,
                    form.version,
                    &reason,
                    &actor(&current.user, &headers, state.clock.now()),
                )
                .await?;
                Ok(crate::pages::saved(&format!("/missions/{id}"), ""))
            }
            _ => mission_page(&state, &current, id, checked, StatusCode::UNPROCESSABLE_ENTITY).await,
        };
    }
    missions::transition(&state.db, id, form.version, to, &actor(&current.user, &headers, state.clock.now())).await?;
    Ok(crate::pages::saved(&format!("/missions/{id}"), ""))
}

/// POST /missions/{id}/assignments: assigns an account to the mission as its leader or a member.
pub async fn assign(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: crate::forms::FormData,
) -> Result<Response, AppError> {
    authorize(&state, &current, id, Action::Edit).await?;
    let capacity = Capacity::from_code(form.get("capacity"))
        .ok_or_else(|| AppError::Unprocessable(msg::CAPACITY_REQUIRED.to_owned()))?;
    let user_id: i64 =
        form.get("user_id").parse().map_err(|_| AppError::Unprocessable(msg::ACCOUNT_REQUIRED.to_owned()))?;
    let eligible = accounts::assignable(&state.db).await?.into_iter().any(|u| u.id == user_id);
    if !eligible {
        return Err(AppError::Unprocessable(msg::NOT_ASSIGNABLE.to_owned()));
    }
    accounts::assign(&state.db, id, user_id, capacity, &actor(&current.user, &headers, state.clock.now())).await?;
    Ok(crate::pages::saved(&format!("/missions/{id}"), "team"))
}

/// POST /missions/{id}/assignments/{user_id}/delete
pub async fn unassign(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    headers: HeaderMap,
    Path((id, user_id)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    authorize(&state, &current, id, Action::Edit).await?;
    accounts::unassign(&state.db, id, user_id, &actor(&current.user, &headers, state.clock.now())).await?;
    Ok(crate::pages::saved(&format!("/missions/{id}"), "team"))
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
