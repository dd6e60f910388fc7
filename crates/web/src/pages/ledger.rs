//! One recommendation's follow-up: its page (status, owner, addressees, due date and how often it moved, the
//! append-only history with evidence) and the four forms that change it. Every write names the version the page
//! was built from; a refused form comes back with the user's input and the error next to its field.

use askama::Template;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use giamsat_domain::codes::Direction;
use giamsat_domain::messages::{labels, ledger as msg};
use giamsat_domain::policy::{FollowUpAction, MissionScope, can_follow_up};
use giamsat_domain::recommendation::{
    DueChange, InvalidChange, LinkEnd, LinkKind, RecStatus, StatusChange, check_progress, deferrals,
};
use giamsat_domain::text::{LONG_TEXT_MAX, SHORT_TEXT_MAX};
use giamsat_store::ledger::{self, Event, EventKind, Evidence, Item, LedgerWriteError, LinkTo, Write};
use giamsat_store::links::{self, Linked};
use giamsat_store::{StoreError, accounts, missions, units};

use crate::auth::guard::{Authenticated, allow_follow_up_import};
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

/// A name that leads to its page (a unit's or an addressee's ledger), or plain when it has none.
pub struct Named {
    pub name: String,
    pub href: Option<String>,
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

pub(crate) fn today(state: &AppState) -> chrono::NaiveDate {
    state.clock.now().with_timezone(&giamsat_domain::date::vn_offset()).date_naive()
}

pub(crate) fn who_can(current: &CurrentUser, scope: &MissionScope, item: &Item, action: FollowUpAction) -> bool {
    can_follow_up(Some(&current.subject()), action, scope, &item.addressed_to())
}

/// Loads the item and checks `action` on it: 404 when the user may not even view it, 403 when they may view it
/// but not do this.
pub(crate) async fn authorize(
    state: &AppState,
    current: &CurrentUser,
    id: i64,
    action: FollowUpAction,
) -> Result<(MissionScope, Item), AppError> {
    let (scope, item) = ledger::scope(&state.db, id, current.user.id).await?;
    if !who_can(current, &scope, &item, FollowUpAction::View) {
        tracing::warn!(user_id = current.user.id, recommendation_id = id, "access denied: recommendation not visible");
        return Err(AppError::NotFound);
    }
    if !who_can(current, &scope, &item, action) {
        tracing::warn!(user_id = current.user.id, recommendation_id = id, ?action, "access denied");
        return Err(AppError::Forbidden);
    }
    Ok((scope, item))
}

fn history_row(id: i64, event: Event) -> HistoryRow {
    let what = match &event.kind {
        EventKind::Status { from, to } => {
            format!("Chuyển trạng thái: {} → {}", labels::rec_status(*from), labels::rec_status(*to))
        }
        EventKind::Progress => "Báo cáo tiến độ".to_owned(),
        EventKind::Due { from, to, approved_by } => msg::due_change(*from, *to, approved_by.as_deref()),
        EventKind::Assignment => "Phân công theo dõi, nơi nhận, mức ưu tiên".to_owned(),
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
    let stored = missions::load(&state.db, item.mission_id).await?;
    let history = ledger::history(&state.db, item.id).await?;
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
    let linked = links::of_item(&state.db, item.id, visibility, addressee_org).await?;
    let can_manage = allowed(FollowUpAction::Manage);
    let this =
        LinkEnd { id: item.id, mission_id: item.mission_id, on: stored.mission.fieldwork.from(), units: Vec::new() };
    let candidates = if can_manage {
        links::candidates(&state.db, &item, visibility, addressee_org)
            .await?
            .into_iter()
            .filter(|c| {
                LinkEnd { id: c.id, mission_id: c.mission_id, on: c.on, units: Vec::new() }.is_before(&this)
                    && !linked.iter().any(|l| matches!(l, Linked::RepeatsFrom(o) if o.id == c.id))
            })
            .map(|c| Choice {
                value: c.id.to_string(),
                label: format!("{} — {}", giamsat_domain::text::capitalize_first(&c.text), c.mission_title),
            })
            .collect()
    } else {
        Vec::new()
    };
    let missions_offered: Vec<Choice> = if can_manage {
        links::mission_candidates(&state.db, &item, visibility)
            .await?
            .into_iter()
            .filter(|(mission_id, _, on)| {
                this.is_before(&LinkEnd { id: 0, mission_id: *mission_id, on: *on, units: Vec::new() })
                    && !linked
                        .iter()
                        .any(|l| matches!(l, Linked::ResupervisedBy { mission_id: m, .. } if m == mission_id))
            })
            .map(|(id, title, _)| Choice { value: id.to_string(), label: title })
            .collect()
    } else {
        Vec::new()
    };
    let owner_choices: Vec<Choice> = if can_manage {
        owner_accounts(state, stored.owner_org_id, &item)
            .await?
            .into_iter()
            .map(|u| Choice { value: u.id.to_string(), label: format!("{} ({})", u.display_name, u.email) })
            .collect()
    } else {
        Vec::new()
    };
    let owner_account = match item.owner_user_id {
        Some(user) => accounts::by_id(&state.db, user).await?.map(|u| u.display_name).unwrap_or_default(),
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
    due_form.set("due_on", item.follow_up.due_on.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default());
    let mut page = RecommendationPage {
        chrome: Chrome::of(current),
        csrf: current.csrf.clone().unwrap_or_default(),
        id: item.id,
        version: item.version,
        mission_id: item.mission_id,
        mission_title: giamsat_domain::naming::name_of(&stored.mission),
        can_see_mission: giamsat_domain::policy::can(Some(&subject), giamsat_domain::policy::Action::View, Some(scope)),
        direction: match item.direction {
            Direction::Upward => "Kiến nghị của đơn vị được giám sát",
            Direction::Downward => "Đề nghị, kết luận của bên giám sát",
        },
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
async fn owner_accounts(state: &AppState, owner_org_id: i64, item: &Item) -> Result<Vec<accounts::User>, AppError> {
    let mut organisations = item.addressed_to();
    organisations.push(owner_org_id);
    Ok(accounts::of_organisations(&state.db, organisations).await?)
}

fn addressee_links(item: &Item) -> Vec<Named> {
    item.addressees
        .iter()
        .map(|a| Named { name: a.name.clone(), href: a.organisation_id.map(|o| format!("/ledger/addressees/{o}")) })
        .collect()
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
            let offered = owner_accounts(&state, scope.owner_org_id, &item).await?;
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

/// The ledger's filters as a query string carries them (the list, its pages, its exports and the API share them).
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// A status code (issued, acknowledged, in_progress, implemented, not_implemented, superseded,
    /// escalated_inspection, escalated_resupervision).
    status: Option<String>,
    /// upward or downward.
    direction: Option<String>,
    /// An addressee, as written.
    addressee: Option<String>,
    /// A supervised unit's name (folded: case and diacritics ignored).
    target: Option<String>,
    /// Due on or after this ISO date.
    due_from: Option<String>,
    /// Due on or before this ISO date.
    due_to: Option<String>,
    /// A mission's id.
    mission: Option<String>,
    /// The year its mission's fieldwork starts.
    year: Option<String>,
    /// Any value: priority items only.
    priority: Option<String>,
    /// Any value: overdue items only (in Asia/Ho_Chi_Minh).
    overdue: Option<String>,
    /// An administrative unit's id (its page sets it from the path).
    unit: Option<String>,
    /// An addressee organisation's id (its page sets it from the path).
    org: Option<String>,
    /// The page cursor: the last id of the previous page.
    pub(crate) after: Option<String>,
}

impl ListQuery {
    fn pairs(&self) -> [(&'static str, &Option<String>); 12] {
        [
            ("status", &self.status),
            ("direction", &self.direction),
            ("addressee", &self.addressee),
            ("target", &self.target),
            ("due_from", &self.due_from),
            ("due_to", &self.due_to),
            ("mission", &self.mission),
            ("year", &self.year),
            ("priority", &self.priority),
            ("overdue", &self.overdue),
            ("unit", &self.unit),
            ("org", &self.org),
        ]
    }

    /// The filter, and the form echoing the query with an error next to each value that does not parse.
    pub(crate) fn filter(&self, today: chrono::NaiveDate) -> (ledger::Filter, Checked) {
        let mut form = Checked::default();
        for (name, value) in self.pairs() {
            form.set(name, value.clone().unwrap_or_default());
        }
        let nonempty = |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
        let status = nonempty(&self.status).and_then(|s| {
            RecStatus::from_code(&s).or_else(|| {
                let _ = form.fail("status", msg::NOT_IN_LIST);
                None
            })
        });
        let direction = nonempty(&self.direction).and_then(|d| {
            Direction::from_code(&d).or_else(|| {
                let _ = form.fail("direction", msg::NOT_IN_LIST);
                None
            })
        });
        let number = |form: &mut Checked, name: &str, value: &Option<String>| {
            nonempty(value).and_then(|v| {
                v.parse::<i64>().ok().or_else(|| {
                    let _ = form.fail(name, msg::NOT_A_NUMBER);
                    None
                })
            })
        };
        let mission_id = number(&mut form, "mission", &self.mission);
        let year = number(&mut form, "year", &self.year).and_then(|y| i32::try_from(y).ok());
        let unit = number(&mut form, "unit", &self.unit);
        let addressee_org = number(&mut form, "org", &self.org);
        let due_from = form.date("due_from").ok().flatten();
        let due_to = form.date("due_to").ok().flatten();
        let filter = ledger::Filter {
            status,
            direction,
            addressee: nonempty(&self.addressee),
            target: nonempty(&self.target).map(|t| giamsat_domain::text::fold(&t)),
            due_from,
            due_to,
            mission_id,
            year,
            priority: nonempty(&self.priority).is_some(),
            overdue_on: nonempty(&self.overdue).map(|_| today),
            unit,
            addressee_org,
        };
        (filter, form)
    }

    fn query_string(&self, after: Option<i64>) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (name, value) in self.pairs() {
            if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
                query.append_pair(name, v);
            }
        }
        if let Some(after) = after {
            query.append_pair("after", &after.to_string());
        }
        query.finish()
    }
}

pub struct LedgerRow {
    pub id: i64,
    pub mission_id: i64,
    pub mission: String,
    pub direction: &'static str,
    pub text: String,
    pub addressees: Vec<Named>,
    pub units: Vec<Named>,
    pub owner: String,
    pub due: String,
    pub overdue: bool,
    pub status: &'static str,
    pub priority: bool,
}

#[derive(Template)]
#[template(path = "ledger.html")]
struct LedgerPage {
    chrome: Chrome,
    /// The page's path: `/ledger`, or a unit's or an addressee's ledger.
    base: String,
    /// A unit's or an addressee's page: its name, the summary sentence and its chart.
    heading: Option<Heading>,
    rows: Vec<LedgerRow>,
    filter: Checked,
    statuses: Vec<Choice>,
    /// The missions the filter offers, by name (the newest visible ones, and the one chosen).
    missions: Vec<Choice>,
    /// The query of the current filters (for the exports).
    query: String,
    next: Option<String>,
    /// The import of progress is offered to those who may use it.
    can_import: bool,
}

pub struct Heading {
    pub title: String,
    pub summary: String,
    pub chart: String,
}

const PAGE_SIZE: u64 = 50;
/// Most missions the filter offers by name: the newest visible ones.
const MISSION_CHOICES: u64 = 300;

/// The missions the ledger's filter offers by name: the newest visible ones, and `chosen` if it is visible but
/// older (a mission's page links to its ledger by id).
async fn mission_choices(
    state: &AppState,
    current: &CurrentUser,
    chosen: Option<i64>,
) -> Result<Vec<Choice>, AppError> {
    use giamsat_store::dashboard::{self, MissionFilter};
    let visibility = giamsat_domain::policy::visibility(Some(&current.subject()));
    let filter = MissionFilter::default();
    let mut missions = dashboard::missions(&state.db, visibility, &filter, None, MISSION_CHOICES).await?;
    if let Some(id) = chosen.filter(|id| !missions.iter().any(|m| m.id == *id)) {
        let at = dashboard::missions(&state.db, visibility, &filter, id.checked_add(1), 1).await?;
        missions.extend(at.into_iter().filter(|m| m.id == id));
    }
    Ok(missions.into_iter().map(|m| Choice { value: m.id.to_string(), label: m.name }).collect())
}

/// Most rows one export holds.
const EXPORT_MAX: u64 = 20_000;

pub(crate) async fn rows_of(
    state: &AppState,
    current: &CurrentUser,
    filter: &ledger::Filter,
    after: Option<i64>,
    limit: u64,
) -> Result<Vec<ledger::Row>, AppError> {
    let subject = current.subject();
    let visibility = giamsat_domain::policy::visibility(Some(&subject));
    let addressee = giamsat_domain::policy::addressee_org(Some(&subject));
    Ok(ledger::list(&state.db, visibility, addressee, filter, after, limit).await?)
}

/// GET /ledger: every recommendation the user may follow, across missions, filtered, in keyset pages.
pub async fn list(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    axum::extract::Query(query): axum::extract::Query<ListQuery>,
) -> Result<Response, AppError> {
    ledger_page(&state, &current, &query, "/ledger".to_owned(), None).await
}

/// The ledger list under `base` (the filters, keyset pages, rows leading to units and addressees), with the
/// heading of a unit's or an addressee's page when given.
async fn ledger_page(
    state: &AppState,
    current: &CurrentUser,
    query: &ListQuery,
    base: String,
    heading: Option<Heading>,
) -> Result<Response, AppError> {
    let today = today(state);
    let (filter, form) = query.filter(today);
    let after = query.after.as_deref().and_then(|a| a.parse().ok());
    let rows = rows_of(state, current, &filter, after, PAGE_SIZE + 1).await?;
    let page_size = usize::try_from(PAGE_SIZE).unwrap_or(usize::MAX);
    let next = (rows.len() > page_size).then(|| rows.get(page_size - 1).map(|r| query.query_string(Some(r.item.id))));
    let rows: Vec<ledger::Row> = rows.into_iter().take(page_size).collect();
    let targets = ledger::targets_of(&state.db, rows.iter().map(|r| r.item.mission_id).collect()).await?;
    let rows = rows
        .into_iter()
        .map(|r| LedgerRow {
            id: r.item.id,
            mission_id: r.item.mission_id,
            mission: r.mission_title,
            direction: msg::direction(r.item.direction),
            text: giamsat_domain::text::capitalize_first(&r.item.text),
            addressees: addressee_links(&r.item),
            units: targets
                .iter()
                .filter(|t| t.mission_id == r.item.mission_id)
                .filter_map(|t| {
                    let unit = t.unit?;
                    let name = giamsat_domain::codes::TargetKind::from_code(&t.kind)
                        .map_or_else(|| t.name.clone(), |k| labels::target_with_kind(k, &t.name));
                    Some(Named { name, href: Some(format!("/ledger/units/{unit}")) })
                })
                .collect(),
            owner: r.item.follow_up.owner.clone().unwrap_or_default(),
            due: r.item.follow_up.due_on.map(giamsat_domain::date::format_short).unwrap_or_default(),
            overdue: r.item.follow_up.is_overdue(today),
            status: labels::rec_status(r.item.follow_up.status),
            priority: r.item.follow_up.priority,
        })
        .collect();
    let status = if form.has_errors() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    crate::pages::page(
        &LedgerPage {
            chrome: Chrome::of(current),
            base,
            heading,
            rows,
            filter: form,
            statuses: RecStatus::ALL
                .iter()
                .map(|s| Choice { value: s.code().to_owned(), label: labels::rec_status(*s).to_owned() })
                .collect(),
            missions: mission_choices(state, current, filter.mission_id).await?,
            query: query.query_string(None),
            next: next.flatten(),
            can_import: giamsat_domain::policy::changes_follow_up(Some(&current.subject())),
        },
        status,
    )
}

/// The heading of a unit's or an addressee's ledger: the summary sentence of its open items (SQL aggregates) and
/// the chart of all its items by mission.
async fn heading(
    state: &AppState,
    current: &CurrentUser,
    title: String,
    filter: &ledger::Filter,
) -> Result<Heading, AppError> {
    let subject = current.subject();
    let visibility = giamsat_domain::policy::visibility(Some(&subject));
    let addressee = giamsat_domain::policy::addressee_org(Some(&subject));
    let figures = ledger::summary(&state.db, visibility, addressee, filter).await?;
    let rows = rows_of(state, current, filter, None, EXPORT_MAX).await?;
    let by_mission = bars_by_mission(&rows, today(state));
    Ok(Heading {
        summary: msg::summary(&title, figures.open, figures.missions, figures.repeated),
        chart: giamsat_domain::chart::bars(msg::CHART_BY_MISSION, &by_mission),
        title,
    })
}

/// GET /ledger/units/{id}: the ledger of one administrative unit — the items of the missions that supervised it.
pub async fn unit(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    Path(id): Path<i64>,
    axum::extract::Query(mut query): axum::extract::Query<ListQuery>,
) -> Result<Response, AppError> {
    let unit = units::get(&state.db, id).await?;
    let title = giamsat_domain::text::capitalize_first(&format!(
        "{} {}",
        giamsat_domain::messages::labels::unit_kind(unit.kind),
        unit.name
    ));
    query.unit = Some(id.to_string());
    let filter = ledger::Filter { unit: Some(id), ..ledger::Filter::default() };
    let heading = heading(&state, &current, title, &filter).await?;
    ledger_page(&state, &current, &query, format!("/ledger/units/{id}"), Some(heading)).await
}

/// GET /ledger/addressees/{id}: the ledger of one addressee organisation — the items addressed to it.
pub async fn addressee(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    Path(id): Path<i64>,
    axum::extract::Query(mut query): axum::extract::Query<ListQuery>,
) -> Result<Response, AppError> {
    let title = giamsat_store::orgs::owner_of(&state.db, id).await?.name;
    query.org = Some(id.to_string());
    let filter = ledger::Filter { addressee_org: Some(id), ..ledger::Filter::default() };
    let heading = heading(&state, &current, title, &filter).await?;
    ledger_page(&state, &current, &query, format!("/ledger/addressees/{id}"), Some(heading)).await
}

/// The cells of one exported row, in [`msg::EXPORT_HEADER`]'s order; the last (a progress update to import) is
/// left empty.
fn export_cells(row: &ledger::Row) -> [String; 11] {
    let item = &row.item;
    [
        item.id.to_string(),
        row.mission_title.clone(),
        msg::direction(item.direction).to_owned(),
        item.text.clone(),
        item.addressees.iter().map(|a| a.name.clone()).collect::<Vec<_>>().join("; "),
        item.follow_up.owner.clone().unwrap_or_default(),
        item.follow_up.due_on.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
        item.original_due_on.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
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
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"so-theo-doi-kien-nghi.csv\""),
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
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"so-theo-doi-kien-nghi.xlsx\""),
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

#[derive(Template)]
#[template(path = "ledger_charts.html")]
struct ChartsPage {
    chrome: Chrome,
    by_mission: String,
    by_unit: String,
}

/// GET /ledger/charts: progress by mission and by supervised unit, as SVG drawn here.
pub async fn charts(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
) -> Result<Response, AppError> {
    use giamsat_domain::chart::{Bar, bars};
    let today = today(&state);
    let rows = rows_of(&state, &current, &ledger::Filter::default(), None, EXPORT_MAX).await?;
    let mut units: Vec<(String, Bar)> = Vec::new();
    let mission_ids: Vec<i64> = rows.iter().map(|r| r.item.mission_id).collect();
    let targets = ledger::targets_of(&state.db, mission_ids).await?;
    for row in &rows {
        for target in targets.iter().filter(|t| t.mission_id == row.item.mission_id) {
            let label = giamsat_domain::codes::TargetKind::from_code(&target.kind)
                .map_or_else(|| target.name.clone(), |k| labels::target_with_kind(k, &target.name));
            let index = match units.iter().position(|(l, _)| *l == label) {
                Some(i) => i,
                None => {
                    units.push((label.clone(), Bar { label, settled: 0, open: 0, overdue: 0 }));
                    units.len() - 1
                }
            };
            if let Some((_, bar)) = units.get_mut(index) {
                bar.count(row.item.follow_up.standing(today));
            }
        }
    }
    let missions = bars_by_mission(&rows, today);
    let units: Vec<Bar> = units.into_iter().map(|(_, b)| b).collect();
    crate::pages::page(
        &ChartsPage {
            chrome: Chrome::of(&current),
            by_mission: bars(msg::CHART_BY_MISSION, &missions),
            by_unit: bars(msg::CHART_BY_UNIT, &units),
        },
        StatusCode::OK,
    )
}

/// One bar per mission, in the order the rows first name them.
fn bars_by_mission(rows: &[ledger::Row], today: chrono::NaiveDate) -> Vec<giamsat_domain::chart::Bar> {
    use giamsat_domain::chart::Bar;
    let mut missions: Vec<(i64, Bar)> = Vec::new();
    for row in rows {
        let index = match missions.iter().position(|(id, _)| *id == row.item.mission_id) {
            Some(i) => i,
            None => {
                let bar = Bar { label: row.mission_title.clone(), settled: 0, open: 0, overdue: 0 };
                missions.push((row.item.mission_id, bar));
                missions.len() - 1
            }
        };
        if let Some((_, bar)) = missions.get_mut(index) {
            bar.count(row.item.follow_up.standing(today));
        }
    }
    missions.into_iter().map(|(_, b)| b).collect()
}
