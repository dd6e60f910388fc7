//! One recommendation's follow-up: its page (status, owner, addressees, due date and how often it moved, the
//! append-only history with evidence) and the four forms that change it. Every write names the version the page
//! was built from; a refused form comes back with the user's input and the error next to its field.

use askama::Template;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use giamsat_domain::messages::{labels, ledger as msg};
use giamsat_domain::policy::{FollowUpAction, MissionScope, can_follow_up};
use giamsat_domain::recommendation::{
    DueChange, InvalidChange, LinkEnd, LinkKind, RecStatus, StatusChange, check_progress, deferrals,
};
use giamsat_domain::text::{LONG_TEXT_MAX, SHORT_TEXT_MAX};
use giamsat_store::ledger::{self, Event, EventKind, Evidence, Item, LedgerWriteError, LinkTo, Write};
use giamsat_store::links::{self, Linked};
use giamsat_store::sea_orm::ConnectionTrait;
use giamsat_store::{StoreError, accounts, missions};

use super::{Named, addressee_links, authorize, today, who_can};
use crate::auth::guard::Authenticated;
use crate::auth::session::CurrentUser;
use crate::error::AppError;
use crate::forms::{Checked, FormData};
use crate::pages::Chrome;
use crate::pages::account::actor;
use crate::pages::items::{Choice, read_submission};
use crate::state::AppState;
use crate::storage::StorageError;

/// Which of the page's forms was sent (its errors and input are shown in it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Which {
    Status,
    Progress,
    Due,
    Assign,
    Repeat,
    Resupervision,
}

pub struct HistoryRow {
    pub at: String,
    pub who: String,
    pub what: String,
    pub note: String,
    pub evidence: Vec<(String, String)>,
}

/// A link of the recommendation page: what it is to this item, and the other item or mission.
pub struct LinkRow {
    pub relation: &'static str,
    pub href: String,
    pub text: String,
    pub context: String,
}

#[derive(Template)]
#[template(path = "recommendation.html")]
struct RecommendationPage {
    chrome: Chrome,
    csrf: String,
    id: i64,
    version: i32,
    mission_id: i64,
    mission_title: String,
    /// The mission page is offered only to those who may see it (addressees see just this item).
    can_see_mission: bool,
    direction: &'static str,
    text: String,
    status: &'static str,
    owner: String,
    /// The owner's account, when one is set.
    owner_account: String,
    addressees: Vec<Named>,
    /// The supervised units of its mission, each leading to the unit's ledger.
    units: Vec<Named>,
    links: Vec<LinkRow>,
    /// Earlier recommendations of the same units, offered to link as "repeated from".
    candidates: Vec<Choice>,
    /// Later missions of the same units, suggested as the re-supervision.
    missions_offered: Vec<Choice>,
    /// Accounts of the addressees and of the supervising organisation, offered as the owner account.
    owner_choices: Vec<Choice>,
    priority: bool,
    due: String,
    original_due: String,
    deferred: String,
    overdue: bool,
    history: Vec<HistoryRow>,
    statuses: Vec<Choice>,
    can_report: bool,
    can_manage: bool,
    /// The supervising side may confirm the addressee's report (needed for "implemented").
    can_confirm: bool,
    which: &'static str,
    conflict: bool,
    status_form: Checked,
    progress_form: Checked,
    due_form: Checked,
    assign_form: Checked,
    repeat_form: Checked,
    resupervision_form: Checked,
}

fn history_row(id: i64, event: Event) -> HistoryRow {
    let what = match &event.kind {
        EventKind::Status { from, to } => msg::status_change(*from, *to),
        EventKind::Progress => msg::PROGRESS_EVENT.to_owned(),
        EventKind::Due { from, to, approved_by } => msg::due_change(*from, *to, approved_by.as_deref()),
        EventKind::Assignment => msg::ASSIGNMENT_EVENT.to_owned(),
        EventKind::Link { kind, other } => msg::link_event(*kind, *other),
    };
    HistoryRow {
        at: event.at.with_timezone(&giamsat_domain::date::vn_offset()).format("%H:%M %d/%m/%Y").to_string(),
        who: event.who,
        what,
        note: event.note,
        evidence: event
            .evidence
            .into_iter()
            .map(|e| (format!("/recommendations/{id}/evidence/{}", e.file), e.caption))
            .collect(),
    }
}

async fn page(
    state: &AppState,
    current: &CurrentUser,
    scope: &MissionScope,
    item: Item,
    which: Option<(Which, Checked)>,
) -> Result<RecommendationPage, AppError> {
    // About twenty statements: on one connection and one snapshot (see `db::begin_read`).
    let read = giamsat_store::db::begin_read(&state.db).await.map_err(StoreError::from)?;
    let stored = missions::load(&read, item.mission_id).await?;
    let history = ledger::history(&read, item.id).await?;
    let due_log: Vec<_> = history
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::Due { from, to, .. } => Some((from, to)),
            _ => None,
        })
        .collect();
    let subject = current.subject();
    let addressed = item.addressed_to();
    let allowed = |action| can_follow_up(Some(&subject), action, scope, &addressed);
    let statuses = item
        .follow_up
        .status
        .next_states()
        .iter()
        .filter(|to| allowed(FollowUpAction::SetStatus(**to)))
        .map(|to| Choice { value: to.code().to_owned(), label: labels::rec_status(*to).to_owned() })
        .collect();
    let visibility = giamsat_domain::policy::visibility(Some(&subject));
    let addressee_org = giamsat_domain::policy::addressee_org(Some(&subject));
    let linked = links::of_item(&read, item.id, visibility, addressee_org).await?;
    let can_manage = allowed(FollowUpAction::Manage);
    let this =
        LinkEnd { id: item.id, mission_id: item.mission_id, on: stored.mission.fieldwork.from(), units: Vec::new() };
    let offered = if can_manage {
        links::candidates(&read, &item, this.on, visibility, addressee_org).await?
    } else {
        links::Candidates::default()
    };
    let candidates = offered
        .items
        .into_iter()
        .filter(|c| {
            LinkEnd { id: c.id, mission_id: c.mission_id, on: c.on, units: Vec::new() }.is_before(&this)
                && !linked.iter().any(|l| matches!(l, Linked::RepeatsFrom(o) if o.id == c.id))
        })
        .map(|c| Choice {
            value: c.id.to_string(),
            label: format!("{} — {}", giamsat_domain::text::capitalize_first(&c.text), c.mission_title),
        })
        .collect();
    let missions_offered: Vec<Choice> = offered
        .missions
        .into_iter()
        .filter(|(mission_id, _, on)| {
            this.is_before(&LinkEnd { id: 0, mission_id: *mission_id, on: *on, units: Vec::new() })
                && !linked.iter().any(|l| matches!(l, Linked::ResupervisedBy { mission_id: m, .. } if m == mission_id))
        })
        .map(|(id, title, _)| Choice { value: id.to_string(), label: title })
        .collect();
    let owner_choices: Vec<Choice> = if can_manage {
        owner_accounts(&read, stored.owner_org_id, &item)
            .await?
            .into_iter()
            .map(|u| Choice { value: u.id.to_string(), label: format!("{} ({})", u.display_name, u.email) })
            .collect()
    } else {
        Vec::new()
    };
    let owner_account = match item.owner_user_id {
        Some(user) => accounts::by_id(&read, user).await?.map(|u| u.display_name).unwrap_or_default(),
        None => String::new(),
    };
    let mut units: Vec<Named> = Vec::new();
    for (target, unit) in stored.mission.targets.iter().zip(&stored.target_units) {
        if let Some(unit) = unit {
            let href = Some(format!("/ledger/units/{unit}"));
            if !units.iter().any(|u| u.href == href) {
                units.push(Named { name: labels::target_with_kind(target.kind, &target.name), href });
            }
        }
    }
    let mut assign_form = Checked::default();
    assign_form.set("owner", item.follow_up.owner.clone().unwrap_or_default());
    assign_form.set("owner_user", item.owner_user_id.map(|u| u.to_string()).unwrap_or_default());
    assign_form.set("addressees", item.addressees.iter().map(|a| a.name.clone()).collect::<Vec<_>>().join("\n"));
    if item.follow_up.priority {
        assign_form.set("priority", "1");
    }
    let mut due_form = Checked::default();
    due_form.set("due_on", giamsat_domain::date::iso(item.follow_up.due_on));
    let mut page = RecommendationPage {
        chrome: Chrome::of(current),
        csrf: current.csrf.clone().unwrap_or_default(),
        id: item.id,
        version: item.version,
        mission_id: item.mission_id,
        mission_title: giamsat_domain::naming::name_of(&stored.mission),
        can_see_mission: giamsat_domain::policy::can(Some(&subject), giamsat_domain::policy::Action::View, Some(scope)),
        direction: giamsat_domain::messages::labels::direction_in_full(item.direction),
        text: giamsat_domain::text::capitalize_first(&item.text),
        status: labels::rec_status(item.follow_up.status),
        owner: item.follow_up.owner.clone().unwrap_or_default(),
        owner_account,
        addressees: addressee_links(&item),
        units,
        links: linked.into_iter().map(link_row).collect(),
        candidates,
        missions_offered,
        owner_choices,
        priority: item.follow_up.priority,
        due: item.follow_up.due_on.map(giamsat_domain::date::format_short).unwrap_or_default(),
        original_due: item
            .original_due_on
            .filter(|o| Some(*o) != item.follow_up.due_on)
            .map(giamsat_domain::date::format_short)
            .unwrap_or_default(),
        deferred: msg::deferred(deferrals(&due_log)),
        overdue: item.follow_up.is_overdue(today(state)),
        history: history.into_iter().map(|e| history_row(item.id, e)).collect(),
        statuses,
        can_report: allowed(FollowUpAction::Report),
        can_manage,
        can_confirm: allowed(FollowUpAction::SetStatus(RecStatus::Implemented)),
        which: "",
        conflict: false,
        status_form: Checked::default(),
        progress_form: Checked::default(),
        due_form,
        assign_form,
        repeat_form: Checked::default(),
        resupervision_form: Checked::default(),
    };
    if let Some((which, form)) = which {
        page.which = match which {
            Which::Status => "status",
            Which::Progress => "progress",
            Which::Due => "due",
            Which::Assign => "assign",
            Which::Repeat => "repeat",
            Which::Resupervision => "resupervision",
        };
        match which {
            Which::Status => page.status_form = form,
            Which::Progress => page.progress_form = form,
            Which::Due => page.due_form = form,
            Which::Assign => page.assign_form = form,
            Which::Repeat => page.repeat_form = form,
            Which::Resupervision => page.resupervision_form = form,
        }
    }
    Ok(page)
}

/// The accounts that may be named the item's owner: those of its addressee organisations and of the
/// supervising organisation.
async fn owner_accounts(
    conn: &impl ConnectionTrait,
    owner_org_id: i64,
    item: &Item,
) -> Result<Vec<accounts::User>, AppError> {
    let mut organisations = item.addressed_to();
    organisations.push(owner_org_id);
    Ok(accounts::of_organisations(conn, organisations).await?)
}

fn link_row(link: Linked) -> LinkRow {
    let (relation, other) = match link {
        Linked::RepeatsFrom(other) => (msg::REPEATS_FROM, other),
        Linked::RepeatedIn(other) => (msg::REPEATED_IN, other),
        Linked::ResupervisedBy { mission_id, mission_title, .. } => {
            return LinkRow {
                relation: msg::RESUPERVISED_BY,
                href: format!("/missions/{mission_id}"),
                text: mission_title,
                context: String::new(),
            };
        }
    };
    LinkRow {
        relation,
        href: format!("/recommendations/{}", other.id),
        text: giamsat_domain::text::capitalize_first(&other.text),
        context: other.mission_title,
    }
}

/// GET /recommendations/{id}
pub async fn show(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (scope, item) = authorize(&state, &current, id, FollowUpAction::View).await?;
    crate::pages::page(&page(&state, &current, &scope, item, None).await?, StatusCode::OK)
}

/// Shows the page again with the sent form's input and errors.
async fn refused(
    state: &AppState,
    current: &CurrentUser,
    id: i64,
    which: Which,
    form: Checked,
    status: StatusCode,
) -> Result<Response, AppError> {
    let (scope, item) = ledger::scope(&state.db, id, current.user.id).await?;
    let mut page = page(state, current, &scope, item, Some((which, form))).await?;
    if status == StatusCode::CONFLICT {
        page.conflict = true;
    }
    crate::pages::page(&page, status)
}

/// Writes `change` and answers: back to the page, or the form again with the reason.
async fn commit(
    state: &AppState,
    current: &CurrentUser,
    headers: &HeaderMap,
    id: i64,
    (which, mut form): (Which, Checked),
    version: i32,
    change: Write,
) -> Result<Response, AppError> {
    match ledger::write(&state.db, id, version, change, &actor(&current.user, headers, state.clock.now())).await {
        Ok(_) => Ok(crate::pages::saved(&format!("/recommendations/{id}"), "")),
        Err(LedgerWriteError::Store(StoreError::Conflict { .. })) => {
            refused(state, current, id, which, form, StatusCode::CONFLICT).await
        }
        Err(LedgerWriteError::Refused(e)) => {
            fail_all(&mut form, &e);
            refused(state, current, id, which, form, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(LedgerWriteError::LinkRefused(e)) => {
            let field = if which == Which::Repeat { "repeats" } else { "mission" };
            let _ = form.fail(field, giamsat_domain::text::capitalize_first(&e.to_string()) + ".");
            refused(state, current, id, which, form, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(LedgerWriteError::Store(e)) => Err(e.into()),
    }
}

/// Shows each of the domain's problems beside its field.
fn fail_all(form: &mut Checked, e: &InvalidChange) {
    for problem in &e.problems {
        let _ = form.fail(problem.field().code(), problem.to_string());
    }
}

fn version_of(data: &FormData) -> i32 {
    data.get("version").parse().unwrap_or(-1)
}

/// POST /recommendations/{id}/status
pub async fn change_status(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    headers: HeaderMap,
    Path(id): Path<i64>,
    data: FormData,
) -> Result<Response, AppError> {
    let (scope, item) = authorize(&state, &current, id, FollowUpAction::View).await?;
    let mut form = Checked::from(&data);
    let to = form.code("to", RecStatus::from_code);
    if let Some(to) = to
        && !who_can(&current, &scope, &item, FollowUpAction::SetStatus(to))
    {
        if !who_can(&current, &scope, &item, FollowUpAction::Report) {
            return Err(AppError::Forbidden);
        }
        let _ = form.fail("to", msg::STATUS_NOT_OFFERED);
    }
    let note = form.opt_text("note", LONG_TEXT_MAX).unwrap_or_default();
    let confirmed = !form.value("confirmed").is_empty();
    let (Some(to), false) = (to, form.has_errors()) else {
        if !who_can(&current, &scope, &item, FollowUpAction::Report) {
            return Err(AppError::Forbidden);
        }
        return refused(&state, &current, id, Which::Status, form, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let change = StatusChange { to, note, confirmed_by_supervisor: confirmed };
    commit(&state, &current, &headers, id, (Which::Status, form), version_of(&data), Write::Status(change)).await
}

/// POST /recommendations/{id}/progress (a form with an optional evidence image)
pub async fn report(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    headers: HeaderMap,
    Path(id): Path<i64>,
    request: Request,
) -> Result<Response, AppError> {
    authorize(&state, &current, id, FollowUpAction::Report).await?;
    let submission = read_submission(&state, request).await?;
    let mut form = Checked::from(&submission.data);
    let note = form.opt_text("note", LONG_TEXT_MAX).unwrap_or_default();
    // Checked before the evidence is stored, so a refused update leaves no file behind.
    if let Err(e) = check_progress(&note) {
        fail_all(&mut form, &e);
    }
    let caption = form.opt_text("caption", LONG_TEXT_MAX).unwrap_or_default();
    if form.has_errors() {
        return refused(&state, &current, id, Which::Progress, form, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let mut evidence = Vec::new();
    if let Some(bytes) = submission.photo {
        match state.files.put_image(&bytes).await {
            Ok((file, _)) => evidence.push(Evidence { file, caption }),
            Err(e) => {
                let message = match e {
                    StorageError::NotAnImage => msg::EVIDENCE_NOT_AN_IMAGE,
                    StorageError::TooLarge => msg::EVIDENCE_TOO_LARGE,
                    StorageError::Io(_) => msg::EVIDENCE_NOT_STORED,
                };
                let _ = form.fail("photo", message);
                return refused(&state, &current, id, Which::Progress, form, StatusCode::UNPROCESSABLE_ENTITY).await;
            }
        }
    }
    let version = version_of(&submission.data);
    commit(&state, &current, &headers, id, (Which::Progress, form), version, Write::Progress { note, evidence }).await
}

/// POST /recommendations/{id}/due
pub async fn change_due(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    headers: HeaderMap,
    Path(id): Path<i64>,
    data: FormData,
) -> Result<Response, AppError> {
    authorize(&state, &current, id, FollowUpAction::Manage).await?;
    let mut form = Checked::from(&data);
    let to = form.date("due_on");
    let approved_by = form.opt_text("approved_by", SHORT_TEXT_MAX).unwrap_or_default();
    let reason = form.opt_text("reason", LONG_TEXT_MAX).unwrap_or_default();
    let (Ok(to), false) = (to, form.has_errors()) else {
        return refused(&state, &current, id, Which::Due, form, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let change = DueChange { to, approved_by, reason };
    commit(&state, &current, &headers, id, (Which::Due, form), version_of(&data), Write::Due(change)).await
}

/// POST /recommendations/{id}/assign
pub async fn assign(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    headers: HeaderMap,
    Path(id): Path<i64>,
    data: FormData,
) -> Result<Response, AppError> {
    let (scope, item) = authorize(&state, &current, id, FollowUpAction::Manage).await?;
    let mut form = Checked::from(&data);
    let owner = form.opt_text_checked("owner", SHORT_TEXT_MAX);
    let owner_user = match form.value("owner_user").trim() {
        "" => None,
        chosen => {
            let offered = owner_accounts(&state.db, scope.owner_org_id, &item).await?;
            let user = chosen.parse::<i64>().ok().filter(|u| offered.iter().any(|o| o.id == *u));
            if user.is_none() {
                let _ = form.fail("owner_user", msg::NOT_IN_LIST);
            }
            user
        }
    };
    let addressees = form.addressees("addressees");
    let priority = !form.value("priority").is_empty();
    let (Ok(owner), false) = (owner, form.has_errors()) else {
        return refused(&state, &current, id, Which::Assign, form, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let change = Write::Assign { owner, owner_user, addressees, priority };
    commit(&state, &current, &headers, id, (Which::Assign, form), version_of(&data), change).await
}

/// POST /recommendations/{id}/link: records that the item repeats an earlier recommendation (`link=repeats`,
/// `repeats` = its id) or was checked again by a mission (`link=resupervised_by`, `mission` = its id). The other
/// end must be one the user may see; the rules are the domain's, checked again in the write's transaction.
pub async fn link(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    headers: HeaderMap,
    Path(id): Path<i64>,
    data: FormData,
) -> Result<Response, AppError> {
    authorize(&state, &current, id, FollowUpAction::Manage).await?;
    let mut form = Checked::from(&data);
    let kind = LinkKind::from_code(form.value("link"));
    let which = if kind == Some(LinkKind::ResupervisedBy) { Which::Resupervision } else { Which::Repeat };
    let field = if which == Which::Repeat { "repeats" } else { "mission" };
    let other = form.value(field).trim().parse::<i64>().ok();
    let to = match (kind, other) {
        (None, _) => {
            let _ = form.fail("repeats", msg::LINK_KIND_UNKNOWN);
            None
        }
        (Some(_), None) => {
            let _ = form.fail(field, if which == Which::Repeat { msg::NOT_IN_LIST } else { msg::NOT_A_NUMBER });
            None
        }
        (Some(LinkKind::Repeats), Some(earlier)) => {
            let visible = match ledger::scope(&state.db, earlier, current.user.id).await {
                Ok((scope, item)) => who_can(&current, &scope, &item, FollowUpAction::View),
                Err(StoreError::NotFound) => false,
                Err(e) => return Err(e.into()),
            };
            if !visible {
                let _ = form.fail(field, msg::LINK_ITEM_UNKNOWN);
            }
            visible.then_some(LinkTo::Repeats(earlier))
        }
        (Some(LinkKind::ResupervisedBy), Some(mission)) => {
            let visible = match accounts::mission_scope(&state.db, mission, current.user.id).await {
                Ok(scope) => giamsat_domain::policy::can(
                    Some(&current.subject()),
                    giamsat_domain::policy::Action::View,
                    Some(&scope),
                ),
                Err(StoreError::NotFound) => false,
                Err(e) => return Err(e.into()),
            };
            if !visible {
                let _ = form.fail(field, msg::LINK_MISSION_UNKNOWN);
            }
            visible.then_some(LinkTo::ResupervisedBy(mission))
        }
    };
    let Some(to) = to else {
        return refused(&state, &current, id, which, form, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    commit(&state, &current, &headers, id, (which, form), version_of(&data), Write::Link(to)).await
}

/// GET /recommendations/{id}/evidence/{key}
pub async fn evidence(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    Path((id, key)): Path<(i64, String)>,
) -> Result<Response, AppError> {
    authorize(&state, &current, id, FollowUpAction::View).await?;
    if !ledger::has_evidence(&state.db, id, &key).await? {
        return Err(AppError::NotFound);
    }
    let (bytes, content_type) = state.files.get(&key).await.ok_or(AppError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "no-store"),
            (header::CONTENT_DISPOSITION, "inline"),
        ],
        bytes,
    )
        .into_response())
}
