//! Creating a mission (and its decision, or reusing one: one decision sets up several teams), editing its own
//! fields, editing the team list in protocol order, and uploading interchange files.

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use giamsat_domain::codes::{MemberRole, SupervisionForm, SupervisionSystem};
use giamsat_domain::date::Period;
use giamsat_domain::docnum::DocumentNumber;
use giamsat_domain::interchange;
use giamsat_domain::messages::{labels, pages as msg, security};
use giamsat_domain::mission::{Decision, Edit, EditError, Header, Member, Mission, MissionParts, Team, Who};
use giamsat_domain::policy::{self, Action};
use giamsat_domain::text::{self, LONG_TEXT_MAX, SHORT_TEXT_MAX};
use giamsat_domain::workflow::{MissionState, infer_state};
use giamsat_store::audit::Actor;
use giamsat_store::missions::{self, DecisionChoice, StoredMission};
use giamsat_store::{StoreError, dashboard, edits, orgs};

use crate::auth::guard::{Authenticated, allow, authorize, may};
use crate::auth::session::CurrentUser;
use crate::error::AppError;
use crate::forms::{Checked, FormData, Refused};
use crate::pages::account::actor;
use crate::pages::items::Choice;
use crate::pages::{Chrome, page};
use crate::state::AppState;
use crate::storage::FileStore;

#[derive(Template)]
#[template(path = "mission_form.html")]
struct MissionFormPage {
    chrome: Chrome,
    csrf: String,
    /// `None` when creating.
    mission_id: Option<i64>,
    version: i32,
    form: Checked,
    conflict: bool,
    systems: Vec<Choice>,
    forms: Vec<Choice>,
    decisions: Vec<Choice>,
    organisations: Vec<Choice>,
}

fn choices<T: Copy>(all: &[T], code: fn(T) -> &'static str, label: fn(T) -> &'static str) -> Vec<Choice> {
    all.iter().map(|v| Choice { value: code(*v).to_owned(), label: label(*v).to_owned() }).collect()
}

fn decision_label(d: &DecisionChoice) -> String {
    msg::decision_choice(d.number.as_deref(), d.issued_on, d.summary.as_deref())
}

async fn form_page(
    state: &AppState,
    current: &CurrentUser,
    mission_id: Option<i64>,
    version: i32,
    form: Checked,
) -> Result<MissionFormPage, AppError> {
    let org = current.user.organisation_id;
    let decisions = match org {
        Some(org) if mission_id.is_none() => missions::decisions_of(&state.db, org).await?,
        _ => Vec::new(),
    };
    let organisations = if may(current, Action::ChooseOwner) && mission_id.is_none() {
        orgs::list(&state.db).await?.into_iter().map(|o| Choice { value: o.id.to_string(), label: o.name }).collect()
    } else {
        Vec::new()
    };
    Ok(MissionFormPage {
        chrome: Chrome::of(current),
        csrf: current.csrf.clone().unwrap_or_default(),
        mission_id,
        version,
        form,
        conflict: false,
        systems: choices(SupervisionSystem::ALL, SupervisionSystem::code, labels::system),
        forms: choices(SupervisionForm::ALL, SupervisionForm::code, labels::form),
        decisions: decisions.iter().map(|d| Choice { value: d.id.to_string(), label: decision_label(d) }).collect(),
        organisations,
    })
}

fn iso(date: Option<chrono::NaiveDate>) -> String {
    giamsat_domain::date::iso(date)
}

fn values_of(mission: &Mission) -> Checked {
    let mut form = Checked::default();
    form.set("system", mission.system.code());
    form.set("form", mission.form.code());
    form.set("basis", mission.basis.clone().unwrap_or_default());
    form.set("decision_number", mission.decision.number.as_ref().map(|n| n.raw().to_owned()).unwrap_or_default());
    form.set("decision_date", iso(mission.decision.issued_on));
    form.set("decision_issuer", mission.decision.issuer.clone().unwrap_or_default());
    form.set("decision_summary", mission.decision.summary.clone().unwrap_or_default());
    form.set("supervising_body", mission.supervising_body.clone());
    form.set("team_name", mission.team.name.clone().unwrap_or_default());
    form.set("team_ordinal", mission.team.ordinal.map(|o| o.to_string()).unwrap_or_default());
    form.set("subject", mission.subject.clone());
    form.set("fieldwork_from", iso(mission.fieldwork.from()));
    form.set("fieldwork_to", iso(mission.fieldwork.to()));
    form.set("reference_from", iso(mission.reference_period.from()));
    form.set("reference_to", iso(mission.reference_period.to()));
    form.set("conclusion_preamble", mission.conclusion_preamble.clone().unwrap_or_default());
    form
}

/// Reads a decision from four fields of a form (number, date, issuer, summary), recording their errors.
///
/// # Errors
/// [`Refused`] when any of them is invalid; the messages are in `form`.
pub(crate) fn decision_fields(
    form: &mut Checked,
    [number, date, issuer, summary]: [&str; 4],
) -> Result<Decision, Refused> {
    let raw = form.value(number).trim().to_owned();
    let parsed = if raw.is_empty() {
        Ok(None)
    } else {
        DocumentNumber::parse(&raw).map(Some).map_err(|e| form.fail(number, e.to_string()))
    };
    if let Ok(Some(parsed)) = &parsed
        && parsed.corrects(&raw)
    {
        form.correct(number, parsed.raw());
    }
    let issued_on = form.date(date);
    let issuer = form.opt_text_checked(issuer, SHORT_TEXT_MAX);
    let summary = form.opt_text_checked(summary, LONG_TEXT_MAX);
    Ok(Decision { number: parsed?, issued_on: issued_on?, issuer: issuer?, summary: summary? })
}

/// Reads the mission form; a chosen existing decision supplies the decision fields.
fn header_of(form: &mut Checked, reused: Option<&DecisionChoice>) -> Option<Header> {
    let system = form.code("system", SupervisionSystem::from_code);
    let supervision_form = form.code("form", SupervisionForm::from_code);
    let basis = form.opt_text_checked("basis", LONG_TEXT_MAX);
    let decision = match reused {
        Some(d) => Ok(Decision {
            number: d.number.as_deref().and_then(|n| DocumentNumber::parse(n).ok()),
            issued_on: d.issued_on,
            issuer: d.issuer.clone(),
            summary: d.summary.clone(),
        }),
        None => decision_fields(form, ["decision_number", "decision_date", "decision_issuer", "decision_summary"]),
    };
    let supervising_body = form.text("supervising_body", SHORT_TEXT_MAX);
    let team_name = form.opt_text_checked("team_name", SHORT_TEXT_MAX);
    let ordinal = form.number("team_ordinal", 1..=9999);
    let subject = form.text("subject", LONG_TEXT_MAX);
    let period = |form: &mut Checked, from: &str, to: &str| {
        let (start, end) = (form.date(from), form.date(to));
        match (start, end) {
            (Ok(start), Ok(end)) => Period::new(start, end).map_err(|e| form.fail(to, e.to_string())),
            _ => Err(Refused),
        }
    };
    let fieldwork = period(form, "fieldwork_from", "fieldwork_to");
    let reference_period = period(form, "reference_from", "reference_to");
    let conclusion_preamble = form.opt_text_checked("conclusion_preamble", LONG_TEXT_MAX);
    Some(Header {
        system: system?,
        form: supervision_form?,
        basis: basis.ok()?,
        decision: decision.ok()?,
        supervising_body: supervising_body?,
        team: Team { name: team_name.ok()?, ordinal: ordinal.ok()? },
        subject: subject?,
        fieldwork: fieldwork.ok()?,
        reference_period: reference_period.ok()?,
        conclusion_preamble: conclusion_preamble.ok()?,
    })
}

/// GET /missions/new
pub async fn new_form(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
) -> Result<Response, AppError> {
    allow(&current, Action::Create)?;
    let mut form = Checked::default();
    form.set("system", SupervisionSystem::Party.code());
    form.set("form", SupervisionForm::Thematic.code());
    page(&form_page(&state, &current, None, 0, form).await?, StatusCode::OK)
}

/// POST /missions: creates a planned mission (or further along if its data already allows).
pub async fn create(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    headers: HeaderMap,
    data: FormData,
) -> Result<Response, AppError> {
    allow(&current, Action::Create)?;
    let mut form = Checked::from(&data);
    let owner_org = match current.user.organisation_id {
        Some(org) if !may(&current, Action::ChooseOwner) => Some(org),
        _ => data.get("organisation_id").parse::<i64>().ok(),
    };
    // An id from a stale page or a forged form is treated like no choice at all.
    let owner = match owner_org {
        Some(id) => match orgs::owner_of(&state.db, id).await {
            Ok(owner) => Some((id, owner)),
            Err(StoreError::NotFound) => None,
            Err(e) => return Err(e.into()),
        },
        None => None,
    };
    let Some((owner_org, owner)) = owner else {
        form.fail("organisation_id", msg::OWNER_REQUIRED);
        return page(&form_page(&state, &current, None, 0, form).await?, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let reused = match data.get("decision_id").parse::<i64>() {
        Ok(id) => missions::decisions_of(&state.db, owner_org).await?.into_iter().find(|d| d.id == id),
        Err(_) => None,
    };
    let header = header_of(&mut form, reused.as_ref());
    let Some(header) = header.filter(|_| !form.has_errors()) else {
        return page(&form_page(&state, &current, None, 0, form).await?, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let mut parts = MissionParts {
        owner,
        system: header.system,
        form: header.form,
        basis: header.basis,
        decision: header.decision,
        supervising_body: header.supervising_body,
        team: header.team,
        subject: header.subject,
        fieldwork: header.fieldwork,
        reference_period: header.reference_period,
        members: Vec::new(),
        targets: Vec::new(),
        sessions: Vec::new(),
        findings: Vec::new(),
        findings_none_recorded: Vec::new(),
        recommendations: Vec::new(),
        conclusion_preamble: header.conclusion_preamble,
        publication: None,
        state: MissionState::Planned,
    };
    parts.state = infer_state(&parts);
    let mission = Mission::new(parts).map_err(|e| AppError::Unprocessable(e.to_string()))?;
    let id = missions::insert_owned(
        &state.db,
        &mission,
        Some(owner_org),
        &actor(&current.user, &headers, state.clock.now()),
    )
    .await?;
    Ok(crate::pages::saved(&format!("/missions/{id}"), ""))
}

/// GET /missions/{id}/edit
pub async fn edit_form(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    authorize(&state, &current, id, Action::Edit).await?;
    let stored = missions::load(&state.db, id).await?;
    page(&form_page(&state, &current, Some(id), stored.version, values_of(&stored.mission)).await?, StatusCode::OK)
}

/// POST /missions/{id}/edit
pub async fn update(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    headers: HeaderMap,
    Path(id): Path<i64>,
    data: FormData,
) -> Result<Response, AppError> {
    authorize(&state, &current, id, Action::Edit).await?;
    let mut form = Checked::from(&data);
    let version: i32 = data.get("version").parse().unwrap_or(-1);
    let header = header_of(&mut form, None);
    let Some(header) = header.filter(|_| !form.has_errors()) else {
        return page(&form_page(&state, &current, Some(id), version, form).await?, StatusCode::UNPROCESSABLE_ENTITY);
    };
    match edits::edit(
        &state.db,
        id,
        version,
        Edit::Header(Box::new(header)),
        &actor(&current.user, &headers, state.clock.now()),
    )
    .await
    {
        Ok(_) => Ok(crate::pages::saved(&format!("/missions/{id}"), "")),
        Err(StoreError::Conflict { current: now, .. }) => {
            let mut conflict = form_page(&state, &current, Some(id), now, form).await?;
            conflict.conflict = true;
            page(&conflict, StatusCode::CONFLICT)
        }
        Err(e) => Err(e.into()),
    }
}

pub struct MemberRowView {
    pub n: usize,
    pub role: String,
    pub name: String,
    pub position: String,
    pub description: String,
    pub error: Option<String>,
    pub last: bool,
    /// The position was filled from the people directory on this submission (the form says so beside it).
    pub from_directory: bool,
}

/// One person of the directory as the team form offers them: the name, and the latest position they held.
pub struct DirectoryOption {
    pub name: String,
    pub position: String,
}

#[derive(Template)]
#[template(path = "members_form.html")]
struct MembersPage {
    chrome: Chrome,
    csrf: String,
    mission_id: i64,
    mission_title: String,
    version: i32,
    rows: Vec<MemberRowView>,
    roles: Vec<Choice>,
    /// The role preselected for a member being added ([`MemberRole::NEW`]).
    new_role: &'static str,
    problem: Option<String>,
    conflict: bool,
    /// The people directory, offered on every name field (`<datalist id="people">`).
    directory: Vec<DirectoryOption>,
    /// Positions were filled from the directory: the list is shown again instead of saved, and the next
    /// submission leaves the positions as the user sends them.
    filled: bool,
}

/// The position `name` held by the start of fieldwork `on` (their position on the latest mission that started
/// by then), else their latest one; `None` when the name is not exactly one person of the directory, or they
/// never had a position written.
fn directory_position(people: &[dashboard::PersonEntry], name: &str, on: Option<chrono::NaiveDate>) -> Option<String> {
    let name = text::normalize(name);
    if name.is_empty() {
        return None;
    }
    let mut found = people.iter().filter(|p| text::normalize(&p.name) == name);
    let person = found.next()?;
    if found.next().is_some() {
        // Two people of that name: guessing would give one the other's position.
        return None;
    }
    let held = person.positions.iter().filter(|(position, _, _)| !position.trim().is_empty());
    let by_then = on.and_then(|on| held.clone().rfind(|(_, date, _)| date.is_some_and(|d| d <= on)));
    by_then.or_else(|| held.clone().next_back()).map(|(position, _, _)| position.clone())
}

fn directory_options(people: &[dashboard::PersonEntry]) -> Vec<DirectoryOption> {
    people
        .iter()
        .map(|p| DirectoryOption {
            name: p.name.clone(),
            position: p
                .positions
                .iter()
                .rev()
                .map(|(position, _, _)| position.trim())
                .find(|position| !position.is_empty())
                .unwrap_or_default()
                .to_owned(),
        })
        .collect()
}

fn member_rows(members: &[Member]) -> Vec<MemberRowView> {
    let count = members.len();
    members
        .iter()
        .enumerate()
        .map(|(n, m)| {
            let (name, position, description) = match &m.who {
                Who::Person { name, position } => (name.clone(), position.clone().unwrap_or_default(), String::new()),
                Who::Group { description } => (String::new(), String::new(), description.clone()),
            };
            MemberRowView {
                n,
                role: m.role.code().to_owned(),
                name,
                position,
                description,
                error: None,
                last: n + 1 == count,
                from_directory: false,
            }
        })
        .collect()
}

fn members_page(
    current: &CurrentUser,
    stored: &StoredMission,
    rows: Vec<MemberRowView>,
    people: &[dashboard::PersonEntry],
) -> MembersPage {
    MembersPage {
        chrome: Chrome::of(current),
        csrf: current.csrf.clone().unwrap_or_default(),
        mission_id: stored.id,
        mission_title: giamsat_domain::naming::name_of(&stored.mission),
        version: stored.version,
        rows,
        roles: choices(MemberRole::ALL, MemberRole::code, |r| labels::role(r, false)),
        new_role: MemberRole::NEW.code(),
        problem: None,
        conflict: false,
        directory: directory_options(people),
        filled: false,
    }
}

/// The people directory as `current` may see it.
async fn directory(state: &AppState, current: &CurrentUser) -> Result<Vec<dashboard::PersonEntry>, AppError> {
    Ok(dashboard::people(&state.db, policy::visibility(Some(&current.subject()))).await?)
}

/// `read`, or the directory read now.
async fn or_directory(
    read: Option<Vec<dashboard::PersonEntry>>,
    state: &AppState,
    current: &CurrentUser,
) -> Result<Vec<dashboard::PersonEntry>, AppError> {
    match read {
        Some(people) => Ok(people),
        None => directory(state, current).await,
    }
}

/// GET /missions/{id}/members: the team list, in protocol order.
pub async fn members_form(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    authorize(&state, &current, id, Action::Edit).await?;
    let stored = missions::load(&state.db, id).await?;
    let rows = member_rows(&stored.mission.members);
    let people = directory(&state, &current).await?;
    page(&members_page(&current, &stored, rows, &people), StatusCode::OK)
}

/// POST /missions/{id}/members: saves the list; `action` may also move a row up or down, or remove it.
pub async fn save_members(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    headers: HeaderMap,
    Path(id): Path<i64>,
    data: FormData,
) -> Result<Response, AppError> {
    authorize(&state, &current, id, Action::Edit).await?;
    let stored = missions::load(&state.db, id).await?;
    let version: i32 = data.get("version").parse().unwrap_or(-1);
    let count = data.all("role").len();
    let mut rows = Vec::new();
    for n in 0..count {
        let field = |name: &str| data.all(name).get(n).map(|v| (*v).to_owned()).unwrap_or_default();
        let row = MemberRowView {
            n,
            role: field("role"),
            name: field("name"),
            position: field("position"),
            description: field("description"),
            error: None,
            last: false,
            from_directory: false,
        };
        let blank = row.name.trim().is_empty() && row.position.trim().is_empty() && row.description.trim().is_empty();
        if !blank {
            rows.push(row);
        }
    }
    let action = data.get("action");
    if let Some((verb, index)) = action.split_once(':') {
        let i: usize = index.parse().unwrap_or(usize::MAX);
        match verb {
            "up" if i > 0 && i < rows.len() => rows.swap(i - 1, i),
            "down" if i + 1 < rows.len() => rows.swap(i, i + 1),
            "remove" if i < rows.len() => {
                rows.remove(i);
            }
            _ => {}
        }
    }
    // A person newly named on the team with no position gets the one the directory knows; an existing member
    // left without one stays so, and after the list was shown back with filled positions what the user sends
    // is kept.
    let on_team: Vec<String> = stored
        .mission
        .members
        .iter()
        .filter_map(|m| match &m.who {
            Who::Person { name, .. } => Some(text::normalize(name)),
            Who::Group { .. } => None,
        })
        .collect();
    let newly_named = |row: &MemberRowView| {
        row.position.trim().is_empty() && !row.name.trim().is_empty() && !on_team.contains(&text::normalize(&row.name))
    };
    // The directory is read only when a row may take a position from it, or when the form is shown again.
    let mut people = None;
    let mut filled = false;
    if data.get("directory_offered").is_empty() && rows.iter().any(newly_named) {
        let directory = directory(&state, &current).await?;
        for row in &mut rows {
            if newly_named(row)
                && let Some(position) = directory_position(&directory, &row.name, stored.mission.fieldwork.from())
            {
                row.position = position;
                row.from_directory = true;
                filled = true;
            }
        }
        people = Some(directory);
    }
    let mut members = Vec::new();
    for row in &mut rows {
        let mut check = Checked::default();
        check.set("name", row.name.clone());
        check.set("position", row.position.clone());
        check.set("description", row.description.clone());
        let role = MemberRole::from_code(&row.role);
        let name = check.opt_text_checked("name", SHORT_TEXT_MAX);
        let position = check.opt_text_checked("position", SHORT_TEXT_MAX);
        let description = check.opt_text_checked("description", SHORT_TEXT_MAX);
        let who = match (name, position, description) {
            (Ok(Some(name)), Ok(position), Ok(_)) => Some(Who::Person { name, position }),
            (Ok(None), Ok(_), Ok(Some(description))) => Some(Who::Group { description }),
            (Ok(None), Ok(_), Ok(None)) => {
                let _ = check.fail("name", msg::MEMBER_NAME_REQUIRED);
                None
            }
            _ => None,
        };
        match (role, who) {
            (Some(role), Some(who)) => members.push(Member { role, who }),
            _ => {
                row.error = Some(
                    check.errors().map(|(_, m)| m.to_owned()).next().unwrap_or_else(|| msg::ROLE_REQUIRED.to_owned()),
                )
            }
        }
    }
    let n_rows = rows.len();
    for (n, row) in rows.iter_mut().enumerate() {
        row.n = n;
        row.last = n + 1 == n_rows;
    }
    if rows.iter().any(|r| r.error.is_some()) {
        let people = or_directory(people, &state, &current).await?;
        let mut again = members_page(&current, &stored, rows, &people);
        again.version = version;
        again.filled = filled;
        return page(&again, StatusCode::UNPROCESSABLE_ENTITY);
    }
    if filled && action == "save" {
        // The user sees the positions the directory gave before the list is saved.
        let people = or_directory(people, &state, &current).await?;
        let mut again = members_page(&current, &stored, rows, &people);
        again.version = version;
        again.filled = true;
        return page(&again, StatusCode::OK);
    }
    match edits::edit(
        &state.db,
        id,
        version,
        Edit::Members(members),
        &actor(&current.user, &headers, state.clock.now()),
    )
    .await
    {
        Ok(_) if action == "save" => Ok(crate::pages::saved(&format!("/missions/{id}"), "team")),
        Ok(_) => Ok(crate::pages::saved(&format!("/missions/{id}/members"), "")),
        Err(StoreError::Conflict { .. }) => {
            let people = or_directory(people, &state, &current).await?;
            let mut again = members_page(&current, &stored, rows, &people);
            again.conflict = true;
            again.filled = filled;
            page(&again, StatusCode::CONFLICT)
        }
        Err(StoreError::Edit(EditError::Invalid(e))) => {
            let people = or_directory(people, &state, &current).await?;
            let mut again = members_page(&current, &stored, rows, &people);
            again.filled = filled;
            again.version = version;
            again.problem = Some(e.problems.iter().map(|(_, p)| p.to_string()).collect::<Vec<_>>().join("; "));
            page(&again, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => Err(e.into()),
    }
}

/// Where an imported mission is stored: administrators store it under the file's owner; staff only import
/// their own organisation's missions, and the mission is stored under their organisation's row (not under
/// another organisation that shares the name). `Err` holds the refusal, in Vietnamese.
///
/// # Errors
/// [`AppError`] if the organisation cannot be read.
pub(crate) async fn import_owner(
    state: &AppState,
    current: &CurrentUser,
    mission: &Mission,
) -> Result<Result<Option<i64>, String>, AppError> {
    if may(current, Action::ChooseOwner) {
        return Ok(Ok(None));
    }
    let refusal = || msg::not_your_organisation(&mission.owner.name);
    let Some(org) = current.user.organisation_id else {
        return Ok(Err(refusal()));
    };
    let own = orgs::owner_of(&state.db, org).await?;
    Ok(if own.name == mission.owner.name { Ok(Some(org)) } else { Err(refusal()) })
}

/// The photo files `mission` names, each with its field path.
pub(crate) fn named_files(mission: &Mission) -> Vec<(String, &str)> {
    mission
        .sessions
        .iter()
        .enumerate()
        .flat_map(|(i, s)| {
            s.photos
                .iter()
                .enumerate()
                .filter_map(move |(j, p)| p.file.as_deref().map(|f| (format!("sessions[{i}].photos[{j}].file"), f)))
        })
        .collect()
}

/// The photo files an imported mission names that `current` may not name, as `field.path: message` lines: an
/// import may reference only files its author can already open (a photo of a mission they may view). Any other
/// key — another organisation's private photo, or no key of the file store at all (`../s.db`) — would become
/// readable through the new mission, and publishable.
///
/// # Errors
/// [`AppError`] if the photos cannot be read.
pub(crate) async fn unreadable_files(
    state: &AppState,
    current: &CurrentUser,
    mission: &Mission,
) -> Result<Vec<String>, AppError> {
    let named = named_files(mission);
    if named.is_empty() {
        return Ok(Vec::new());
    }
    let keys: Vec<String> = named.iter().filter(|(_, f)| FileStore::is_key(f)).map(|(_, f)| (*f).to_owned()).collect();
    let visibility = policy::visibility(Some(&current.subject()));
    let readable = dashboard::readable_photo_files(&state.db, keys, visibility).await?;
    Ok(named
        .into_iter()
        .filter(|(_, f)| !readable.iter().any(|r| r == f))
        .map(|(path, _)| format!("{path}: {}", security::FILE_NOT_READABLE))
        .collect())
}

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    chrome: Chrome,
    csrf: String,
    errors: Vec<String>,
    file_name: String,
}

/// GET /import
pub async fn import_form(Authenticated(current): Authenticated) -> Result<Response, AppError> {
    allow(&current, Action::Create)?;
    page(
        &ImportPage {
            chrome: Chrome::of(&current),
            csrf: current.csrf.clone().unwrap_or_default(),
            errors: Vec::new(),
            file_name: String::new(),
        },
        StatusCode::OK,
    )
}

/// POST /import: one `giamsat.mission/1` file, checked exactly as the CLI checks it. Staff may only import
/// missions of their own organisation.
pub async fn import(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    allow(&current, Action::Create)?;
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = multipart.next_field().await? {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or(msg::UNNAMED_FILE).to_owned();
            let bytes = field.bytes().await?;
            file = Some((name, bytes.to_vec()));
        }
    }
    let again = |errors: Vec<String>, file_name: String| {
        page(
            &ImportPage {
                chrome: Chrome::of(&current),
                csrf: current.csrf.clone().unwrap_or_default(),
                errors,
                file_name,
            },
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return again(vec![msg::NO_FILE.to_owned()], String::new());
    };
    let mission = match interchange::parse(&bytes) {
        Ok(mission) => mission,
        Err(e) => return again(e.to_string().lines().map(str::to_owned).collect(), name),
    };
    let owner = match import_owner(&state, &current, &mission).await? {
        Ok(owner) => owner,
        Err(refusal) => return again(vec![refusal], name),
    };
    let foreign = unreadable_files(&state, &current, &mission).await?;
    if !foreign.is_empty() {
        return again(foreign, name);
    }
    let actor: Actor = actor(&current.user, &headers, state.clock.now());
    let id = missions::insert_owned(&state.db, &mission, owner, &actor).await?;
    Ok(crate::pages::saved(&format!("/missions/{id}"), ""))
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use giamsat_store::dashboard::PersonEntry;

    use super::directory_position;

    fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    fn person(name: &str, positions: &[(&str, Option<NaiveDate>)]) -> PersonEntry {
        PersonEntry {
            name: name.to_owned(),
            positions: positions.iter().enumerate().map(|(i, (p, d))| ((*p).to_owned(), *d, i as i64)).collect(),
        }
    }

    #[test]
    fn the_position_held_at_the_start_of_fieldwork_else_the_latest() {
        let people = [person(
            "Nguyễn Văn An",
            &[("Phó Trưởng ban", day(2019, 5, 1)), ("", day(2020, 1, 1)), ("Trưởng ban", day(2022, 3, 1))],
        )];
        assert_eq!(directory_position(&people, "Nguyễn Văn An", day(2021, 1, 1)).as_deref(), Some("Phó Trưởng ban"));
        assert_eq!(directory_position(&people, " Nguyễn Văn An ", day(2023, 1, 1)).as_deref(), Some("Trưởng ban"));
        assert_eq!(directory_position(&people, "Nguyễn Văn An", None).as_deref(), Some("Trưởng ban"));
        // Before anything they held: their latest.
        assert_eq!(directory_position(&people, "Nguyễn Văn An", day(2010, 1, 1)).as_deref(), Some("Trưởng ban"));
    }

    #[test]
    fn only_an_exact_name_of_one_person_after_nfc() {
        // "Nguyễn" typed decomposed (e + circumflex + tilde as combining marks) is the same name.
        let decomposed = "Nguye\u{302}\u{303}n Văn An";
        let people = [person("Nguyễn Văn An", &[("Ủy viên", day(2020, 1, 1))])];
        assert_eq!(directory_position(&people, decomposed, None).as_deref(), Some("Ủy viên"));
        assert_eq!(directory_position(&people, "Nguyễn Văn", None), None, "a fragment is not a match");
        assert_eq!(directory_position(&people, "nguyễn văn an", None), None, "exactly, case included");
        assert_eq!(directory_position(&people, "", None), None);
        let twice = [person("Lê Thị Bình", &[("A", None)]), person("Lê Thị Bình", &[("B", None)])];
        assert_eq!(directory_position(&twice, "Lê Thị Bình", None), None, "two people of that name: no guess");
        let never = [person("Trần C", &[("", None)])];
        assert_eq!(directory_position(&never, "Trần C", None), None);
    }
}
