//! Security tests over every route of `giamsat_web::router::ROUTES`: who may do what (ASVS 4.1–4.2), IDOR
//! (4.2.1), the canary of an unpublished finding, CSRF on every state-changing route (test plan X1) and GETs
//! that change nothing (X2).
//!
//! The expectations are written out here from the rules of `giamsat_domain::policy` (its module doc and
//! `on_mission`) and of `workflow`, not computed by calling them: a change of policy has to change this file.

use std::sync::Arc;
use std::time::Instant;

use giamsat_domain::policy::{Capacity, Role};
use giamsat_domain::report::{ArticleContent, ReportEvent, ReportState};
use giamsat_domain::workflow::MissionState;
use giamsat_store::accounts::{self, LinkPurpose, NewUser};
use giamsat_store::audit::Actor;
use giamsat_store::entities::{
    api_tokens, audit_events, auth_sessions, login_attempts, missions, one_time_tokens, users,
};
use giamsat_store::formal_settings::{self, Scope};
use giamsat_store::reports::{self, StoredReport, Write};
use giamsat_store::sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use giamsat_web::auth::{hash_token, random_token};
use giamsat_web::pages::admin::password_link;
use giamsat_web::router::ROUTES;

use crate::support::{PASSWORD, SEED, TestApp, TestUser, cookie_client, csrf_of, spawn_app};

// ---------------------------------------------------------------------------------------------------------------
// The matrix: subjects, mission states, outcomes, and what the policy says.
// ---------------------------------------------------------------------------------------------------------------

/// Who asks, relative to the mission of the matrix (owned by organisation O).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Anonymous,
    /// A viewer of O.
    Viewer,
    /// Committee staff of O.
    StaffOwnOrg,
    /// Committee staff of another organisation.
    StaffOtherOrg,
    /// A team leader assigned as leader of this mission (from another organisation: assignment is what counts).
    LeaderOfThisMission,
    /// A team leader of O assigned as leader of a second mission of O, not of this one.
    LeaderOfOtherMission,
    /// A team member of O assigned as member of this mission.
    MemberOfThisMission,
    /// A report writer of O.
    Writer,
    Admin,
}

const EVERYONE: [Who; 9] = [
    Who::Anonymous,
    Who::Viewer,
    Who::StaffOwnOrg,
    Who::StaffOtherOrg,
    Who::LeaderOfThisMission,
    Who::LeaderOfOtherMission,
    Who::MemberOfThisMission,
    Who::Writer,
    Who::Admin,
];

/// The state of the matrix's mission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum State {
    /// The seed as imported.
    InProgress,
    /// The seed with a session at Đồng Xuân and "none recorded" shortcomings and causes: inferred concluded.
    Concluded,
    /// The seed with `"state": "cancelled"`.
    Cancelled,
    /// Concluded, and its news article published on the portal.
    Published,
}

const STATES: [State; 4] = [State::InProgress, State::Concluded, State::Cancelled, State::Published];

impl State {
    fn mission_state(self) -> MissionState {
        match self {
            State::InProgress => MissionState::InProgress,
            State::Concluded | State::Published => MissionState::Concluded,
            State::Cancelled => MissionState::Cancelled,
        }
    }

    /// The mission's file; its first session's photo is the stored file `photo` (for the photo route).
    fn json(self, photo: &str) -> String {
        seed_with(|v| {
            match self {
                State::InProgress => {}
                State::Concluded | State::Published => {
                    v["sessions"]
                        .as_array_mut()
                        .expect("sessions")
                        .push(serde_json::json!({"target": "Đồng Xuân", "date": "2021-03-24", "photos": []}));
                    v["findings_none_recorded"] = serde_json::json!(["shortcoming", "cause"]);
                }
                State::Cancelled => v["state"] = "cancelled".into(),
            }
            v["sessions"][0]["photos"][0]["file"] = photo.into();
        })
    }
}

/// How a request was answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// 2xx, or 303 anywhere but the login form's `?next=` (logging out lands on `/login` itself).
    Ok,
    /// 303 to `/login?next=…`.
    LoginRedirect,
    NotFound,
    Forbidden,
    /// 422: a refused workflow step, or a form refused whole.
    Unprocessable,
    /// 401: a failed login.
    Unauthorized,
}

/// May see the mission at all (`Action::View`): staff, writers and viewers of the owning organisation, the
/// leader and members assigned to it, administrators. Everyone else is answered as if it did not exist.
fn sees(who: Who) -> bool {
    match who {
        Who::Viewer
        | Who::StaffOwnOrg
        | Who::LeaderOfThisMission
        | Who::MemberOfThisMission
        | Who::Writer
        | Who::Admin => true,
        Who::Anonymous | Who::StaffOtherOrg | Who::LeaderOfOtherMission => false,
    }
}

/// May download it (`Action::Export`): staff and writers of the owning organisation, its leader, administrators;
/// not viewers, not team members.
fn exports(who: Who) -> bool {
    match who {
        Who::StaffOwnOrg | Who::LeaderOfThisMission | Who::Writer | Who::Admin => true,
        Who::Anonymous | Who::Viewer | Who::StaffOtherOrg | Who::LeaderOfOtherMission | Who::MemberOfThisMission => {
            false
        }
    }
}

/// Whether a mission in `state` is still open (neither closed nor cancelled).
fn open(state: MissionState) -> bool {
    !matches!(state, MissionState::Closed | MissionState::Cancelled)
}

/// Whether its fieldwork is open (notified, in progress, drafting).
fn fieldwork_open(state: MissionState) -> bool {
    matches!(state, MissionState::Notified | MissionState::InProgress | MissionState::Drafting)
}

/// May change the mission itself — its fields, team, targets (`Action::Edit`): administrators; staff of the
/// owning organisation while it is open. Not the team.
fn edits(who: Who, state: MissionState) -> bool {
    match who {
        Who::Admin => true,
        Who::StaffOwnOrg => open(state),
        _ => false,
    }
}

/// May record sessions, findings, recommendations (`Action::RecordFieldwork`): administrators; staff of the
/// owning organisation while it is open; its leader and members while fieldwork is open.
fn records(who: Who, state: MissionState) -> bool {
    match who {
        Who::Admin => true,
        Who::StaffOwnOrg => open(state),
        Who::LeaderOfThisMission | Who::MemberOfThisMission => fieldwork_open(state),
        _ => false,
    }
}

/// May move it from `from` to `to` (`Action::Transition`): administrators always; staff of the owning
/// organisation while it is open; its leader only into or back out of fieldwork (to `in_progress` or
/// `drafting`) while fieldwork is open. Nobody else.
fn moves(who: Who, from: MissionState, to: MissionState) -> bool {
    match who {
        Who::Admin => true,
        Who::StaffOwnOrg => open(from),
        Who::LeaderOfThisMission => {
            matches!(to, MissionState::InProgress | MissionState::Drafting) && fieldwork_open(from)
        }
        _ => false,
    }
}

/// May draft, edit, submit and publish its news article (`Action::WriteReport`): report writers of the owning
/// organisation unless it is cancelled; administrators.
fn writes_report(who: Who, state: MissionState) -> bool {
    match who {
        Who::Admin => true,
        Who::Writer => state != MissionState::Cancelled,
        _ => false,
    }
}

/// May approve the article or send it back (`Action::ApproveReport`): the mission's leader, administrators.
fn approves_report(who: Who) -> bool {
    matches!(who, Who::LeaderOfThisMission | Who::Admin)
}

/// An editorial step (the last segment of the route): the policy first, then the editorial workflow, which
/// approves and publishes only the article of a concluded mission. The matrix puts the report in the state
/// each step starts from (`ensure_report`).
fn report_outcome(who: Who, state: State, step: &str) -> Outcome {
    let allowed = match step {
        "approve" | "send-back" => approves_report(who),
        _ => writes_report(who, state.mission_state()),
    };
    let concluded = matches!(state, State::Concluded | State::Published);
    match on_mission(who, allowed) {
        Outcome::Ok if matches!(step, "approve" | "publish") && !concluded => Outcome::Unprocessable,
        outcome => outcome,
    }
}

/// A page of the public portal about the matrix's mission: there once its article is published, for everyone;
/// otherwise no such page, for everyone.
fn on_portal(state: State) -> Outcome {
    if state == State::Published { Outcome::Ok } else { Outcome::NotFound }
}

/// May create or import a mission (`Action::Create`): staff of an organisation, administrators.
fn creates(who: Who) -> bool {
    matches!(who, Who::StaffOwnOrg | Who::StaffOtherOrg | Who::Admin)
}

/// Whether the workflow takes the step with the matrix's missions: from `in_progress` only to `cancelled`
/// (`drafting` lacks a session at Đồng Xuân), from `concluded` only to `follow_up` (closing needs every
/// recommendation settled, and the seed's are all open), from `cancelled` nowhere.
fn workflow_accepts(state: State, to: MissionState) -> bool {
    matches!(
        (state, to),
        (State::InProgress, MissionState::Cancelled) | (State::Concluded | State::Published, MissionState::FollowUp)
    )
}

/// May change a recommendation's follow-up (`policy::can_follow_up` beyond `View`): the supervising side —
/// administrators and the owning organisation's staff — while the mission is neither closed nor cancelled. The
/// matrix's recommendation (the seed's first, addressed to "Quận ủy", the owner) has no other addressee
/// organisation; addressees' staff are tested in `ledger.rs`.
fn follows_up(who: Who, state: MissionState) -> bool {
    matches!(who, Who::Admin | Who::StaffOwnOrg) && open(state)
}

/// A mission action: login first, then "not found" for those who may not see it, then 403.
fn on_mission(who: Who, allowed: bool) -> Outcome {
    if who == Who::Anonymous {
        Outcome::LoginRedirect
    } else if !sees(who) {
        Outcome::NotFound
    } else if !allowed {
        Outcome::Forbidden
    } else {
        Outcome::Ok
    }
}

/// A workflow step: the policy decides first, the workflow then refuses with 422.
fn transition_outcome(who: Who, state: State, to: MissionState) -> Outcome {
    match on_mission(who, moves(who, state.mission_state(), to)) {
        Outcome::Ok if !workflow_accepts(state, to) => Outcome::Unprocessable,
        outcome => outcome,
    }
}

/// The step the matrix asks for in each state: the leader's own step (to drafting) while under way; the
/// committee's next step once concluded; a reopening once cancelled.
fn matrix_target(state: State) -> MissionState {
    match state {
        State::InProgress => MissionState::Drafting,
        State::Concluded | State::Published => MissionState::FollowUp,
        State::Cancelled => MissionState::InProgress,
    }
}

/// The item kind the matrix fills `{kind}` with (the others: `every_kind_of_item_is_guarded_by_its_action`).
const MATRIX_KIND: &str = "findings";

/// What an item kind's forms need: targets shape the mission (`Edit`); the rest is fieldwork.
fn item_allowed(kind: &str, who: Who, state: MissionState) -> bool {
    match kind {
        "targets" => edits(who, state),
        "sessions" | "findings" | "recommendations" => records(who, state),
        other => panic!("unknown item kind {other}"),
    }
}

/// What `who` must get for `method path` with the mission in `state`, with the requests `prepare` builds.
fn expected(method: &str, path: &str, who: Who, state: State) -> Outcome {
    let signed_in = |outcome| if who == Who::Anonymous { Outcome::LoginRedirect } else { outcome };
    let allowed_if = |allowed: bool| signed_in(if allowed { Outcome::Ok } else { Outcome::Forbidden });
    let at = state.mission_state();
    let api = |outcome| if who == Who::Anonymous { Outcome::Unauthorized } else { outcome };
    match (method, path) {
        // Public: probes and the stylesheet.
        ("get", "/healthz" | "/readyz" | "/static/app.css") => Outcome::Ok,
        // The login form; a signed-in user is sent on to `next`.
        ("get", "/login") => Outcome::Ok,
        // The matrix posts wrong credentials (right ones would replace the caller's session): 401 for everyone.
        ("post", "/login") => Outcome::Unauthorized,
        // One-time links are public; an unknown token is not found whoever asks.
        ("get" | "post", "/setup/{token}") => Outcome::NotFound,
        // A calendar feed answers to its secret token only; an unknown one is not found whoever asks.
        ("get", "/calendar/{token}") => Outcome::NotFound,
        // One's own account; the dashboard, list, search and directory (filtered by visibility): any signed-in user.
        (
            "get",
            "/" | "/my-work" | "/missions" | "/search" | "/directory" | "/account" | "/ledger" | "/ledger.csv" | "/ledger.xlsx"
            | "/ledger/charts"
            // A unit's and an addressee's ledger: lists restricted like the ledger.
            | "/ledger/units/{id}" | "/ledger/addressees/{id}",
        )
        | (
            "post",
            "/logout"
            | "/account/password"
            | "/account/tokens"
            | "/account/tokens/{id}/revoke"
            | "/account/calendar"
            | "/account/calendar/revoke",
        ) => signed_in(Outcome::Ok),
        // Importing progress updates: for the roles that change follow-up somewhere (staff and administrators);
        // each row is then authorised on its own; the matrix sends no file (422).
        ("get", "/ledger/import") => allowed_if(creates(who)),
        ("post", "/ledger/import") => signed_in(if creates(who) { Outcome::Unprocessable } else { Outcome::Forbidden }),
        // Creating and importing missions.
        ("get", "/missions/new" | "/import") | ("post", "/missions") => allowed_if(creates(who)),
        // The file imported is one of O's: staff of another organisation may import, but not O's missions.
        ("post", "/import") => match who {
            Who::StaffOtherOrg => Outcome::Unprocessable,
            _ => allowed_if(creates(who)),
        },
        // One mission.
        // Reading it: the page, its photos, the preview of its news article.
        ("get", "/missions/{id}" | "/missions/{id}/photos/{key}" | "/missions/{id}/article") => on_mission(who, true),
        // Exports, the formal report among them (an internal document, never public).
        (
            "get",
            "/missions/{id}/export"
            | "/missions/{id}/formal"
            | "/missions/{id}/formal.pdf"
            | "/missions/{id}/formal.docx",
        ) => on_mission(who, exports(who)),
        ("get" | "post", "/missions/{id}/edit" | "/missions/{id}/members")
        | ("post", "/missions/{id}/assignments" | "/missions/{id}/assignments/{user_id}/delete") => {
            on_mission(who, edits(who, at))
        }
        (
            "get" | "post",
            "/missions/{id}/items/{kind}/new"
            | "/missions/{id}/items/{kind}"
            | "/missions/{id}/items/{kind}/{index}"
            | "/missions/{id}/items/{kind}/{index}/delete",
        ) => on_mission(who, item_allowed(MATRIX_KIND, who, at)),
        ("post", "/missions/{id}/findings/none") => on_mission(who, records(who, at)),
        // "Ghi tại đơn vị": fieldwork, like the item forms of sessions, findings and recommendations. The matrix
        // sends no photo: refused beside its field (422) once permitted.
        (
            "get" | "post",
            "/missions/{id}/record"
            | "/missions/{id}/record/{index}"
            | "/missions/{id}/record/{index}/findings"
            | "/missions/{id}/record/{index}/recommendations",
        ) => on_mission(who, records(who, at)),
        ("post", "/missions/{id}/record/{index}/photos") => match on_mission(who, records(who, at)) {
            Outcome::Ok => Outcome::Unprocessable,
            outcome => outcome,
        },
        // The mission's decision, shared by its teams: the owning organisation's staff and administrators; to
        // anyone else it answers like a missing one.
        ("get" | "post", "/decisions/{id}/edit") => {
            signed_in(if matches!(who, Who::Admin | Who::StaffOwnOrg) { Outcome::Ok } else { Outcome::NotFound })
        }
        ("post", "/missions/{id}/transition") => transition_outcome(who, state, matrix_target(state)),
        // The formal report's own settings: its writers.
        ("get" | "post", "/missions/{id}/formal/settings") => on_mission(who, writes_report(who, at)),
        // An organisation's settings of its formal reports, like its decisions: its staff and administrators.
        ("get" | "post", "/organisations/{id}/formal-settings") => {
            signed_in(if matches!(who, Who::Admin | Who::StaffOwnOrg) { Outcome::Ok } else { Outcome::NotFound })
        }
        // The editorial workflow of its news article.
        ("get", "/missions/{id}/report") => on_mission(who, true),
        ("post", "/missions/{id}/report" | "/missions/{id}/report/regenerate") => report_outcome(who, state, "edit"),
        ("post", step) if step.starts_with("/missions/{id}/report/") => {
            report_outcome(who, state, step.trim_start_matches("/missions/{id}/report/"))
        }
        // The public portal: no login, published articles only.
        ("get", "/tin-tuc" | "/feed.atom") => Outcome::Ok,
        (
            "get",
            "/tin-tuc/chuyen-muc/{category}" | "/tin-tuc/{slug}" | "/tin-tuc/{slug}/ban/{number}" | "/anh/{key}",
        ) => on_portal(state),
        // The recommendation ledger ({id}: the matrix mission's first recommendation): those who may view the
        // mission read it; the supervising side changes it.
        ("get", "/recommendations/{id}" | "/recommendations/{id}/evidence/{key}") => on_mission(who, true),
        (
            "post",
            "/recommendations/{id}/status"
            | "/recommendations/{id}/progress"
            | "/recommendations/{id}/due"
            | "/recommendations/{id}/assign",
        ) => on_mission(who, follows_up(who, at)),
        // Linking: the supervising side, like its other changes. The matrix links the item to its own mission,
        // which the domain refuses (422) once the caller may link at all.
        ("post", "/recommendations/{id}/link") => match on_mission(who, follows_up(who, at)) {
            Outcome::Ok => Outcome::Unprocessable,
            outcome => outcome,
        },
        // The API: a token or a session; without either 401 (no login page), then the same policy.
        ("get", "/api/v1/openapi.json") => Outcome::Ok,
        ("get", "/api/v1/missions") => api(Outcome::Ok),
        ("post", "/api/v1/missions") => match who {
            // The document posted is one of O's missions.
            Who::StaffOtherOrg => Outcome::Unprocessable,
            _ => api(if creates(who) { Outcome::Ok } else { Outcome::Forbidden }),
        },
        ("get", "/api/v1/missions/{id}") => api(on_mission(who, true)),
        ("get", "/api/v1/missions/{id}/export") => api(on_mission(who, exports(who))),
        ("post", "/api/v1/missions/{id}/findings") => api(on_mission(who, records(who, at))),
        // The ledger in the API ({id}: the matrix mission's first recommendation): as on its pages.
        ("get", "/api/v1/recommendations") => api(Outcome::Ok),
        ("get", "/api/v1/recommendations/{id}") => api(on_mission(who, true)),
        (
            "post",
            "/api/v1/recommendations/{id}/status"
            | "/api/v1/recommendations/{id}/progress"
            | "/api/v1/recommendations/{id}/due",
        ) => api(on_mission(who, follows_up(who, at))),
        // Administration: administrators only.
        ("get", "/admin/users" | "/admin/audit" | "/admin/audit.csv" | "/admin/users/{id}/tokens")
        | (
            "post",
            "/admin/users"
            | "/admin/users/{id}/reset"
            | "/admin/users/{id}/role"
            | "/admin/users/{id}/disable"
            | "/admin/users/{id}/enable"
            | "/admin/users/{id}/tokens/{token_id}/revoke",
        ) => {
            allowed_if(who == Who::Admin)
        }
        _ => panic!("no matrix entry for {method} {path}"),
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Missions, requests and callers.
// ---------------------------------------------------------------------------------------------------------------

/// The seed mission with `edit` applied to its JSON.
fn seed_with(edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut value: serde_json::Value = serde_json::from_str(SEED).expect("the seed is JSON");
    edit(&mut value);
    serde_json::to_string_pretty(&value).expect("JSON serialises")
}

/// The seed owned by another organisation.
fn seed_of_another_org() -> String {
    seed_with(|v| {
        v["owner"]["name"] = "Quận ủy Ba Đình".into();
        v["owner"]["place"] = "Ba Đình".into();
    })
}

pub(crate) async fn stored_photo(app: &TestApp) -> String {
    app.state.files.put_image(&crate::support::png()).await.expect("photo stored").0
}

/// The values of a route's path parameters.
struct Params<'a> {
    id: i64,
    /// A stored photo of the mission.
    key: &'a str,
    kind: &'a str,
}

/// `pattern` with its parameters filled: an unknown one-time `{token}`, item `{index}` 0.
fn fill(pattern: &str, params: &Params<'_>) -> String {
    let mut path = pattern
        .replace("{id}", &params.id.to_string())
        .replace("{key}", params.key)
        .replace("{kind}", params.kind)
        .replace("{index}", "0")
        .replace("{token}", &random_token());
    // A parameter this file does not know (a route the matrix has no entry for yet): any value.
    while let (Some(start), Some(end)) = (path.find('{'), path.find('}')) {
        if end < start {
            break;
        }
        path.replace_range(start..=end, "1");
    }
    path
}

/// What a state-changing request sends: urlencoded fields, or a multipart form when it uploads a file.
#[derive(Debug, Clone, Default)]
pub(crate) struct Payload {
    pub(crate) fields: Vec<(String, String)>,
    /// Sent as the multipart part `file` (the import form's).
    pub(crate) file: Option<Vec<u8>>,
    /// Sent as the whole body, `application/json`, with the token in `X-CSRF-Token` (the API's).
    pub(crate) json: Option<Vec<u8>>,
}

fn pairs(fields: &[(&str, &str)]) -> Vec<(String, String)> {
    fields.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

fn form(fields: &[(&str, &str)]) -> Payload {
    Payload { fields: pairs(fields), ..Payload::default() }
}

fn text_of(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Number(n) => n.to_string(),
        _ => String::new(),
    }
}

/// The mission form filled with the seed's own fields.
fn header_fields() -> Vec<(String, String)> {
    let seed: serde_json::Value = serde_json::from_str(SEED).expect("the seed is JSON");
    [
        ("system", &seed["system"]),
        ("form", &seed["form"]),
        ("decision_number", &seed["decision"]["number"]),
        ("decision_date", &seed["decision"]["issued_on"]),
        ("decision_issuer", &seed["decision"]["issuer"]),
        ("decision_summary", &seed["decision"]["summary"]),
        ("supervising_body", &seed["supervising_body"]),
        ("team_name", &seed["team"]["name"]),
        ("team_ordinal", &seed["team"]["ordinal"]),
        ("subject", &seed["subject"]),
        ("fieldwork_from", &seed["fieldwork"]["from"]),
        ("fieldwork_to", &seed["fieldwork"]["to"]),
        ("conclusion_preamble", &seed["conclusion_preamble"]),
    ]
    .iter()
    .map(|(name, value)| ((*name).to_owned(), text_of(value)))
    .collect()
}

/// The team form filled with the seed's team, saved.
fn members_fields() -> Vec<(String, String)> {
    let seed: serde_json::Value = serde_json::from_str(SEED).expect("the seed is JSON");
    let mut fields = Vec::new();
    for member in seed["members"].as_array().expect("members") {
        for name in ["role", "name", "position", "description"] {
            fields.push((name.to_owned(), text_of(&member[name])));
        }
    }
    fields.push(("action".to_owned(), "save".to_owned()));
    fields
}

fn unique_email(prefix: &str) -> String {
    format!("{prefix}-{}@test.giamsat", random_token().get(..12).unwrap_or("x"))
}

/// A live API token of `user_id`; returns its id.
async fn live_token(app: &TestApp, user_id: i64) -> i64 {
    let token = random_token();
    accounts::create_api_token(
        &app.test_db.db,
        user_id,
        "thử",
        &hash_token(&token),
        "gs_thu",
        &Actor::system(chrono::Utc::now()),
    )
    .await
    .expect("token stored")
}

/// An account nobody uses (the target of a password reset); returns its id.
async fn bystander(app: &TestApp, organisation_id: i64) -> i64 {
    bystander_as(app, organisation_id, Role::Viewer).await
}

async fn bystander_as(app: &TestApp, organisation_id: i64, role: Role) -> i64 {
    let new = NewUser {
        email: unique_email("nguoi-ngoai"),
        display_name: "Người ngoài cuộc".to_owned(),
        role,
        organisation_id: Some(organisation_id),
        password_hash: None,
    };
    accounts::create(&app.test_db.db, &new, &Actor::system(chrono::Utc::now())).await.expect("account stored")
}

pub(crate) async fn version_of(app: &TestApp, mission_id: i64) -> Option<i32> {
    missions::Entity::find_by_id(mission_id).one(&app.test_db.db).await.expect("reads").map(|m| m.version)
}

/// Where a request is made.
pub(crate) struct Setting<'a> {
    /// The mission `{id}` names, and its stored photo.
    pub(crate) mission: i64,
    pub(crate) photo: &'a str,
    /// The item kind `{kind}` names.
    pub(crate) kind: &'a str,
    /// The account whose API token is revoked (the caller's own).
    pub(crate) account: i64,
    /// The organisation new accounts and missions belong to.
    pub(crate) organisation: i64,
    /// The workflow step asked for.
    pub(crate) to: MissionState,
}

/// The path and plausible, valid payload of a request: the mission's current version; a real token of the
/// caller's own to revoke; a real bystander to reset or re-role; an unknown one-time token; O's seed to import.
pub(crate) async fn prepare(app: &TestApp, method: &str, pattern: &str, at: &Setting<'_>) -> (String, Payload) {
    let mut path = fill(pattern, &Params { id: at.mission, key: at.photo, kind: at.kind });
    let version = version_of(app, at.mission).await.unwrap_or(1).to_string();
    let with_version = |mut fields: Vec<(String, String)>| {
        fields.push(("version".to_owned(), version.clone()));
        Payload { fields, ..Payload::default() }
    };
    let payload = match (method, pattern) {
        (_, "/login") => {
            form(&[("email", &unique_email("khong-co")), ("password", "không phải mật khẩu nào"), ("next", "/")])
        }
        (_, "/setup/{token}") => form(&[
            ("email", &unique_email("thiet-lap")),
            ("name", "Người thiết lập"),
            ("password", PASSWORD),
            ("confirm", PASSWORD),
        ]),
        (_, "/account/password") => form(&[("current", PASSWORD), ("new", PASSWORD), ("confirm", PASSWORD)]),
        (_, "/account/tokens") => form(&[("name", "máy chủ báo cáo")]),
        (_, "/account/tokens/{id}/revoke") => {
            path = pattern.replace("{id}", &live_token(app, at.account).await.to_string());
            Payload::default()
        }
        (_, "/admin/users") => form(&[
            ("email", &unique_email("moi")),
            ("name", "Cán bộ mới"),
            ("role", "viewer"),
            ("organisation_id", &at.organisation.to_string()),
        ]),
        (_, "/admin/users/{id}/reset") => {
            path = pattern.replace("{id}", &bystander(app, at.organisation).await.to_string());
            Payload::default()
        }
        (_, "/admin/users/{id}/role") => {
            path = pattern.replace("{id}", &bystander(app, at.organisation).await.to_string());
            form(&[("role", "writer"), ("organisation_id", &at.organisation.to_string())])
        }
        (_, "/admin/users/{id}/disable" | "/admin/users/{id}/enable" | "/admin/users/{id}/tokens") => {
            path = pattern.replace("{id}", &bystander(app, at.organisation).await.to_string());
            Payload::default()
        }
        (_, "/admin/users/{id}/tokens/{token_id}/revoke") => {
            let owner = bystander(app, at.organisation).await;
            path = pattern
                .replace("{id}", &owner.to_string())
                .replace("{token_id}", &live_token(app, owner).await.to_string());
            Payload::default()
        }
        ("post", "/missions") => {
            let mut fields = header_fields();
            fields.push(("organisation_id".to_owned(), at.organisation.to_string()));
            Payload { fields, ..Payload::default() }
        }
        ("post", "/import") => Payload { file: Some(SEED.as_bytes().to_vec()), ..Payload::default() },
        ("post", "/api/v1/missions") => Payload { json: Some(SEED.as_bytes().to_vec()), ..Payload::default() },
        ("post", "/api/v1/missions/{id}/findings") => {
            let finding = serde_json::json!({"version": version.parse::<i32>().unwrap_or(1), "kind": "strength",
                "targets": [0], "text": "các phường đã chuẩn bị chu đáo, đúng tiến độ"});
            Payload { json: Some(finding.to_string().into_bytes()), ..Payload::default() }
        }
        (_, "/missions/{id}/edit") => with_version(header_fields()),
        (_, "/missions/{id}/members") => with_version(members_fields()),
        (_, "/missions/{id}/items/{kind}" | "/missions/{id}/items/{kind}/{index}") => {
            with_version(pairs(&[("kind", "strength"), ("text", "các phường đã chuẩn bị chu đáo, đúng tiến độ")]))
        }
        (_, "/missions/{id}/assignments") => {
            let member = bystander_as(app, at.organisation, Role::TeamMember).await.to_string();
            form(&[("user_id", &member), ("capacity", "member")])
        }
        (_, "/missions/{id}/assignments/{user_id}/delete") => {
            // A team member of this mission, but none of the subjects the matrix relies on.
            let member = bystander_as(app, at.organisation, Role::TeamMember).await;
            if version_of(app, at.mission).await.is_some() {
                accounts::assign(
                    &app.test_db.db,
                    at.mission,
                    member,
                    Capacity::Member,
                    &Actor::system(chrono::Utc::now()),
                )
                .await
                .expect("assigned");
            }
            path = pattern.replace("{id}", &at.mission.to_string()).replace("{user_id}", &member.to_string());
            with_version(Vec::new())
        }
        (_, "/missions/{id}/findings/none") => with_version(pairs(&[("none", "shortcoming"), ("none", "cause")])),
        (_, "/missions/{id}/record/{index}/findings") => {
            form(&[("kind", "strength"), ("finding_text", "các phường đã chuẩn bị chu đáo, đúng tiến độ")])
        }
        (_, "/missions/{id}/record/{index}/recommendations") => {
            form(&[("direction", "downward"), ("addressees", "Đảng ủy phường"), ("rec_text", "tiếp tục rà soát")])
        }
        (_, "/decisions/{id}/edit") => {
            let decision = match giamsat_store::missions::load(&app.test_db.db, at.mission).await {
                Ok(stored) => stored.decision_id.unwrap_or(i64::MAX),
                Err(_) => i64::MAX,
            };
            path = pattern.replace("{id}", &decision.to_string());
            let version = match giamsat_store::missions::decision(&app.test_db.db, decision).await {
                Ok(stored) => stored.version.to_string(),
                Err(_) => "1".to_owned(),
            };
            form(&[
                ("number", "109-QĐ/QU"),
                ("issued_on", "2021-03-09"),
                ("issuer", "Quận ủy"),
                ("summary", "thành lập các đoàn giám sát của Ban Thường vụ Quận ủy"),
                ("version", &version),
            ])
        }
        // A cancellation is sent as its form sends it: with a reason and the confirmation ticked.
        (_, "/missions/{id}/transition") if at.to == MissionState::Cancelled => {
            with_version(pairs(&[("to", at.to.code()), ("reason", "đơn vị sáp nhập"), ("confirm", "yes")]))
        }
        (_, "/missions/{id}/transition") => with_version(pairs(&[("to", at.to.code())])),
        (_, "/missions/{id}/formal/settings") => {
            let stored = formal_settings::load(&app.test_db.db, Scope::Report { mission_id: at.mission }).await;
            let version = stored.map(|s| s.version).unwrap_or_default().to_string();
            form(&[("number", "12-BC/QU"), ("signer_name", "Nguyễn Văn An"), ("version", &version)])
        }
        (_, "/organisations/{id}/formal-settings") => {
            path = pattern.replace("{id}", &at.organisation.to_string());
            let stored = formal_settings::load(&app.test_db.db, Scope::Organisation(at.organisation)).await;
            let version = stored.map(|s| s.version).unwrap_or_default().to_string();
            form(&[("authority", "T/M Ban Thường vụ"), ("margin_left", "30"), ("version", &version)])
        }
        (_, "/missions/{id}/report" | "/missions/{id}/report/regenerate") => {
            report_fields(&ensure_report(app, at.mission, ReportState::Draft).await)
        }
        (_, "/missions/{id}/report/request") => {
            report_version(&ensure_report(app, at.mission, ReportState::Draft).await)
        }
        (_, "/missions/{id}/report/withdraw" | "/missions/{id}/report/approve") => {
            report_version(&ensure_report(app, at.mission, ReportState::AwaitingApproval).await)
        }
        (_, "/missions/{id}/report/send-back") => {
            let mut payload = report_version(&ensure_report(app, at.mission, ReportState::AwaitingApproval).await);
            payload.fields.push(("comment".to_owned(), "Đề nghị viết lại đoạn mở đầu".to_owned()));
            payload
        }
        (_, "/missions/{id}/report/publish") => {
            let report = ensure_report(app, at.mission, ReportState::Approved).await;
            let mut payload = report_version(&report);
            if report.as_ref().is_some_and(|r| r.published_versions > 0) {
                payload.fields.push(("corrects".to_owned(), "Sửa chức vụ của đồng chí Phó trưởng đoàn".to_owned()));
            }
            payload
        }
        (_, "/tin-tuc/{slug}" | "/tin-tuc/{slug}/ban/{number}" | "/tin-tuc/chuyen-muc/{category}") => {
            let report = reports::find(&app.test_db.db, at.mission).await.ok().flatten();
            let slug = report.as_ref().and_then(|r| r.slug.clone()).unwrap_or_else(|| "chua-dang-bai-nay".to_owned());
            let category = report
                .filter(|r| r.slug.is_some())
                .and_then(|r| r.draft.category.as_deref().map(giamsat_domain::report::slug))
                .unwrap_or_else(|| "chua-co-chuyen-muc".to_owned());
            path = pattern.replace("{slug}", &slug).replace("{number}", "1").replace("{category}", &category);
            Payload::default()
        }
        (_, "/anh/{key}") => {
            // The mission's published photo; otherwise a stored photo that no published article shows.
            let published = reports::published_of_mission(&app.test_db.db, at.mission, None).await.ok().flatten();
            let key = match published.and_then(|v| v.content.photos.into_iter().find(|p| p.included)?.file) {
                Some(key) => key,
                None => app.state.files.put_image(&crate::support::png()).await.expect("photo stored").0,
            };
            path = pattern.replace("{key}", &key);
            Payload::default()
        }
        (_, "/ledger/units/{id}") => {
            path = pattern.replace("{id}", &any_unit(app).await.to_string());
            Payload::default()
        }
        (_, "/ledger/addressees/{id}") => {
            path = pattern.replace("{id}", &at.organisation.to_string());
            Payload::default()
        }
        (_, pattern) if pattern.starts_with("/api/v1/recommendations/{id}") => {
            // The page's request, sent as JSON: numbers and booleans typed.
            let (rec, fields) = ledger_request(app, pattern.trim_start_matches("/api/v1"), at).await;
            path = pattern.replace("{id}", &rec.to_string());
            let body: serde_json::Map<String, serde_json::Value> = fields
                .into_iter()
                .map(|(k, v)| {
                    let value = match k.as_str() {
                        "version" => v.parse::<i64>().map_or_else(|_| v.clone().into(), Into::into),
                        "confirmed" => true.into(),
                        _ => v.into(),
                    };
                    (k, value)
                })
                .collect();
            Payload { json: Some(serde_json::Value::Object(body).to_string().into_bytes()), ..Payload::default() }
        }
        (_, pattern) if pattern.starts_with("/recommendations/{id}") => {
            let (rec, fields) = ledger_request(app, pattern, at).await;
            path = path.replacen(&format!("/recommendations/{}", at.mission), &format!("/recommendations/{rec}"), 1);
            Payload { fields, ..Payload::default() }
        }
        _ => with_version(Vec::new()),
    };
    (path, payload)
}

/// Drives the article of `mission` to `want` as far as the editorial workflow allows (approval needs a
/// concluded mission), as the system, whatever state earlier cells left it in.
async fn ensure_report(app: &TestApp, mission: i64, want: ReportState) -> Option<StoredReport> {
    let db = &app.test_db.db;
    let system = Actor::system(chrono::Utc::now());
    for _ in 0..6 {
        let current = reports::find(db, mission).await.ok()?;
        let write = match (&current, want) {
            (Some(r), want) if r.state == want => return current,
            (None, _) => {
                let content = ArticleContent::generate(&giamsat_store::missions::load(db, mission).await.ok()?.mission);
                Write::save(content.clone(), content)
            }
            (Some(r), ReportState::Draft) if r.state == ReportState::AwaitingApproval => {
                Write::Step(ReportEvent::Withdraw)
            }
            (Some(r), ReportState::Draft) => Write::save(r.base.clone(), r.draft.clone()),
            (Some(r), _) if r.state == ReportState::Draft => Write::Step(ReportEvent::RequestApproval),
            (Some(r), ReportState::Approved) if r.state == ReportState::AwaitingApproval => {
                Write::Step(ReportEvent::Approve)
            }
            (Some(r), _) if r.state == ReportState::AwaitingApproval => return current,
            (Some(r), _) => Write::save(r.base.clone(), r.draft.clone()),
        };
        let version = current.as_ref().map_or(0, |r| r.version);
        if reports::write(db, mission, version, write, &system, None).await.is_err() {
            return reports::find(db, mission).await.ok()?;
        }
    }
    reports::find(db, mission).await.ok()?
}

fn report_version(report: &Option<StoredReport>) -> Payload {
    form(&[("version", &report.as_ref().map_or(0, |r| r.version).to_string())])
}

/// The editor's form with the working copy as it is.
fn report_fields(report: &Option<StoredReport>) -> Payload {
    let mut payload = report_version(report);
    if let Some(r) = report {
        let d = &r.draft;
        for (name, value) in [
            ("title", d.title.clone()),
            ("lead", d.lead.clone()),
            ("body", d.paragraphs.join("\n\n")),
            ("byline", d.byline.clone().unwrap_or_default()),
            ("source", d.source.clone().unwrap_or_default()),
            ("category", d.category.clone().unwrap_or_default()),
        ] {
            payload.fields.push((name.to_owned(), value));
        }
        for (i, photo) in d.photos.iter().enumerate() {
            payload.fields.push(("caption".to_owned(), photo.caption.clone()));
            if photo.included {
                payload.fields.push(("included".to_owned(), i.to_string()));
            }
        }
    }
    payload
}

/// Publishes the article of `mission` as the system (the matrix's "published" state).
async fn publish_article(app: &TestApp, mission: i64) {
    let report = ensure_report(app, mission, ReportState::Approved).await.expect("an approved article");
    let write = Write::Step(ReportEvent::Publish { corrects: None });
    reports::write(&app.test_db.db, mission, report.version, write, &Actor::system(chrono::Utc::now()), None)
        .await
        .expect("published");
}

/// The matrix mission's first recommendation and a valid payload for a ledger route: the next status (with the
/// supervisor's confirmation, in case it is "implemented"), a progress note, a due date one day later than the
/// current one with approver and reason, the seed's own addressees. The evidence route gets a stored file of the
/// recommendation first.
async fn ledger_request(app: &TestApp, pattern: &str, at: &Setting<'_>) -> (i64, Vec<(String, String)>) {
    use giamsat_store::ledger;
    let db = &app.test_db.db;
    let Some(rec) = ledger::ids_of_mission(db, at.mission).await.expect("reads").first().copied() else {
        return (i64::MAX, pairs(&[("version", "1")]));
    };
    let item = ledger::item(db, rec).await.expect("reads");
    if pattern.ends_with("/evidence/{key}") && !ledger::has_evidence(db, rec, at.photo).await.expect("reads") {
        let evidence = vec![ledger::Evidence { file: at.photo.to_owned(), caption: "biên bản".to_owned() }];
        let change = ledger::Write::Progress { note: "đã họp triển khai".to_owned(), evidence };
        ledger::write(db, rec, item.version, change, &Actor::system(chrono::Utc::now()))
            .await
            .expect("evidence stored");
    }
    let version = ledger::item(db, rec).await.expect("reads").version.to_string();
    let next = item.follow_up.status.next_states().first().map_or("in_progress", |s| s.code());
    let due = item
        .follow_up
        .due_on
        .map_or_else(|| "2021-04-30".to_owned(), |d| (d + chrono::Duration::days(1)).format("%Y-%m-%d").to_string());
    let fields = match pattern {
        "/recommendations/{id}/status" => {
            pairs(&[("to", next), ("note", "đơn vị đã báo cáo"), ("confirmed", "1"), ("version", &version)])
        }
        "/recommendations/{id}/progress" => pairs(&[("note", "đã ban hành hướng dẫn"), ("version", &version)]),
        "/recommendations/{id}/due" => pairs(&[
            ("due_on", &due),
            ("approved_by", "Thường trực Quận ủy"),
            ("reason", "chờ hướng dẫn của Thành phố"),
            ("version", &version),
        ]),
        "/recommendations/{id}/link" => {
            pairs(&[("link", "resupervised_by"), ("mission", &at.mission.to_string()), ("version", &version)])
        }
        "/recommendations/{id}/assign" => pairs(&[
            ("owner", "Văn phòng Quận ủy"),
            ("addressees", &item.addressees.iter().map(|a| a.name.clone()).collect::<Vec<_>>().join("\n")),
            ("priority", "1"),
            ("version", &version),
        ]),
        _ => Vec::new(),
    };
    (rec, fields)
}

/// An administrative unit (one is stored the first time).
async fn any_unit(app: &TestApp) -> i64 {
    use giamsat_store::entities::admin_units;
    use giamsat_store::sea_orm::EntityTrait;
    if let Some(unit) = admin_units::Entity::find().one(&app.test_db.db).await.expect("reads") {
        return unit.id;
    }
    let (kind, valid) = (giamsat_domain::org::UnitKind::Ward, giamsat_domain::org::Validity::default());
    giamsat_store::units::create(&app.test_db.db, "Hàng Bạc", kind, None, valid).await.expect("stored")
}

/// A forged request: what it is, the token it carries, the headers it adds.
type Forgery<'a> = (&'a str, Csrf<'a>, &'a [(&'a str, &'a str)]);

/// Which token a state-changing request carries.
#[derive(Clone, Copy)]
pub(crate) enum Csrf<'a> {
    Own,
    Omitted,
    This(&'a str),
}

/// One browser: its cookies, the token its forms carry and the account behind it (none when anonymous; the
/// token is then the login form's pre-session one).
#[derive(Clone)]
pub(crate) struct Caller {
    pub(crate) user_id: Option<i64>,
    pub(crate) client: reqwest::Client,
    pub(crate) csrf: String,
}

impl Caller {
    /// A visitor who has opened the login form (and holds its pre-session token).
    pub(crate) async fn anonymous(app: &TestApp) -> Caller {
        let client = cookie_client();
        let page = client.get(app.url("/login")).send().await.expect("reaches").text().await.expect("body");
        Caller { user_id: None, client, csrf: csrf_of(&page).expect("the login form has a token") }
    }

    pub(crate) fn of(user: TestUser) -> Caller {
        Caller { user_id: Some(user.id), client: user.client, csrf: user.csrf }
    }

    /// A new session of account `user_id`, made directly in the database (no login, no throttling).
    pub(crate) async fn new_session(app: &TestApp, user_id: i64) -> Caller {
        let token = random_token();
        let csrf = random_token();
        accounts::create_session(&app.test_db.db, &hash_token(&token), user_id, &csrf, app.state.clock.now())
            .await
            .expect("session stored");
        let jar = reqwest::cookie::Jar::default();
        let url: reqwest::Url = app.base.parse().expect("base URL");
        jar.add_cookie_str(&format!("{}={token}; Path=/", app.state.sessions.cookie_name()), &url);
        let client = reqwest::Client::builder()
            .cookie_provider(Arc::new(jar))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        Caller { user_id: Some(user_id), client, csrf }
    }

    /// Sends `method path`; anything but GET carries `payload` with the token `csrf` says, and `headers`.
    pub(crate) async fn send(
        &self,
        app: &TestApp,
        method: &str,
        path: &str,
        payload: &Payload,
        csrf: Csrf<'_>,
        headers: &[(&str, &str)],
    ) -> reqwest::Response {
        let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).expect("an HTTP method");
        let mut request = self.client.request(method.clone(), app.url(path));
        if method != reqwest::Method::GET {
            let token = match csrf {
                Csrf::Own => Some(self.csrf.clone()),
                Csrf::This(token) => Some(token.to_owned()),
                Csrf::Omitted => None,
            };
            let mut fields: Vec<(String, String)> = token.iter().map(|t| ("_csrf".to_owned(), t.clone())).collect();
            fields.extend(payload.fields.iter().cloned());
            request = match (&payload.json, &payload.file) {
                (Some(json), _) => {
                    let request = request.header("content-type", "application/json").body(json.clone());
                    match token {
                        Some(token) => request.header("x-csrf-token", token),
                        None => request,
                    }
                }
                (None, None) => request.form(&fields),
                (None, Some(bytes)) => {
                    let mut multipart = reqwest::multipart::Form::new();
                    for (name, value) in fields {
                        multipart = multipart.text(name, value);
                    }
                    let part = reqwest::multipart::Part::bytes(bytes.clone())
                        .file_name("cuoc-giam-sat.json")
                        .mime_str("application/json")
                        .expect("a MIME type");
                    request.multipart(multipart.part("file", part))
                }
            };
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send().await.expect("request reaches the app")
    }
}

fn outcome_of(response: &reqwest::Response) -> Result<Outcome, String> {
    let location = response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default();
    match response.status().as_u16() {
        200..=299 => Ok(Outcome::Ok),
        303 if location.starts_with("/login?next=") => Ok(Outcome::LoginRedirect),
        303 => Ok(Outcome::Ok),
        401 => Ok(Outcome::Unauthorized),
        403 => Ok(Outcome::Forbidden),
        404 => Ok(Outcome::NotFound),
        422 => Ok(Outcome::Unprocessable),
        other => Err(format!("status {other} (location {location:?})")),
    }
}

fn describe(result: &Result<Outcome, String>) -> String {
    match result {
        Ok(outcome) => format!("{outcome:?}"),
        Err(other) => other.clone(),
    }
}

/// One cell: a route asked by one subject, with the mission in one state.
struct Cell<'a> {
    method: &'a str,
    pattern: &'a str,
    who: Who,
    state: State,
    to: MissionState,
    kind: &'a str,
}

/// One app with the callers of every `Who`, created once and reused by every cell.
struct World {
    app: TestApp,
    callers: Vec<Caller>,
    org: i64,
    admin_id: i64,
    photo: String,
}

impl World {
    async fn new() -> World {
        let app = spawn_app().await;
        let led_elsewhere = app.insert_seed().await;
        let org = app.owner_of(led_elsewhere).await;
        let other_org = app.owner_of(app.insert_json(&seed_of_another_org()).await).await;
        assert_ne!(org, other_org);
        let mut callers = Vec::new();
        for who in EVERYONE {
            let (role, organisation) = match who {
                Who::Anonymous => {
                    callers.push(Caller::anonymous(&app).await);
                    continue;
                }
                Who::Viewer => (Role::Viewer, Some(org)),
                Who::StaffOwnOrg => (Role::Staff, Some(org)),
                Who::StaffOtherOrg => (Role::Staff, Some(other_org)),
                Who::LeaderOfThisMission => (Role::TeamLeader, Some(other_org)),
                Who::LeaderOfOtherMission => (Role::TeamLeader, Some(org)),
                Who::MemberOfThisMission => (Role::TeamMember, Some(org)),
                Who::Writer => (Role::Writer, Some(org)),
                Who::Admin => (Role::Admin, None),
            };
            let assignment = (who == Who::LeaderOfOtherMission).then_some((led_elsewhere, Capacity::Leader));
            callers.push(Caller::of(app.user(role, organisation, assignment).await));
        }
        let admin_id = callers[index_of(Who::Admin)].user_id.expect("an account");
        let photo = stored_photo(&app).await;
        World { app, callers, org, admin_id, photo }
    }

    fn caller(&self, who: Who) -> &Caller {
        &self.callers[index_of(who)]
    }

    /// A new mission in `state`, with this mission's leader and member assigned.
    async fn mission_in(&self, state: State) -> i64 {
        let id = self.app.insert_json(&state.json(&self.photo)).await;
        for (who, capacity) in
            [(Who::LeaderOfThisMission, Capacity::Leader), (Who::MemberOfThisMission, Capacity::Member)]
        {
            let user = self.caller(who).user_id.expect("an account");
            accounts::assign(&self.app.test_db.db, id, user, capacity, &Actor::system(chrono::Utc::now()))
                .await
                .expect("assigned");
        }
        if state == State::Published {
            publish_article(&self.app, id).await;
        }
        id
    }

    /// Sends the cell's request. Requests that end sessions (logout, a password change) go through a second
    /// session of the same account; a mission the request changed is replaced by a fresh one in the same state.
    async fn run(&mut self, cell: &Cell<'_>, mission: &mut i64) -> Result<Outcome, String> {
        let caller = self.caller(cell.who).clone();
        let setting = Setting {
            mission: *mission,
            photo: &self.photo,
            kind: cell.kind,
            account: caller.user_id.unwrap_or(self.admin_id),
            organisation: self.org,
            to: cell.to,
        };
        let (path, payload) = prepare(&self.app, cell.method, cell.pattern, &setting).await;
        let via = match caller.user_id {
            Some(user) if matches!(cell.pattern, "/logout" | "/account/password") => {
                Caller::new_session(&self.app, user).await
            }
            _ => caller,
        };
        let version = version_of(&self.app, *mission).await;
        let response = via.send(&self.app, cell.method, &path, &payload, Csrf::Own, &[]).await;
        let outcome = outcome_of(&response);
        if cell.pattern == "/account/password"
            && let Some(user) = via.user_id
        {
            // A changed password ends every session of the account: give the caller a new one.
            self.callers[index_of(cell.who)] = Caller::new_session(&self.app, user).await;
        }
        if version_of(&self.app, *mission).await != version {
            *mission = self.mission_in(cell.state).await;
        }
        outcome
    }
}

fn index_of(who: Who) -> usize {
    EVERYONE.iter().position(|w| *w == who).expect("every Who is listed")
}

fn failure(cell: &Cell<'_>, detail: &str, want: Outcome, got: &Result<Outcome, String>) -> String {
    format!(
        "{} {}{detail} × {:?} × {:?}: expected {want:?}, got {}",
        cell.method.to_uppercase(),
        cell.pattern,
        cell.who,
        cell.state,
        describe(got)
    )
}

// ---------------------------------------------------------------------------------------------------------------
// 1. The authorization matrix.
// ---------------------------------------------------------------------------------------------------------------

#[test]
fn the_matrix_has_an_entry_for_every_route() {
    for (method, path) in ROUTES {
        for who in EVERYONE {
            for state in STATES {
                let _ = expected(method, path, who, state);
            }
        }
    }
}

#[tokio::test]
async fn every_route_answers_every_subject_in_every_state_as_the_policy_says() {
    let started = Instant::now();
    let mut world = World::new().await;
    let mut failures = Vec::new();
    let mut cells = 0;
    for state in STATES {
        // A new login-throttling window (5 min): each state posts one failed login per subject.
        world.app.advance_minutes(6);
        let mut mission = world.mission_in(state).await;
        for (method, pattern) in ROUTES {
            for who in EVERYONE {
                let want = expected(method, pattern, who, state);
                let cell = Cell { method, pattern, who, state, to: matrix_target(state), kind: MATRIX_KIND };
                let got = world.run(&cell, &mut mission).await;
                cells += 1;
                if got != Ok(want) {
                    failures.push(failure(&cell, "", want, &got));
                }
            }
        }
    }
    eprintln!("authorization matrix: {cells} cells in {:.1?}", started.elapsed());
    assert!(
        failures.is_empty(),
        "{} of {cells} cells differ from the policy:\n{}",
        failures.len(),
        failures.join("\n")
    );
    world.app.cleanup().await;
}

#[tokio::test]
async fn every_workflow_step_is_decided_by_the_policy_then_by_the_workflow() {
    let mut world = World::new().await;
    let mut failures = Vec::new();
    let mut cells = 0;
    for state in STATES {
        let mut mission = world.mission_in(state).await;
        for to in MissionState::ALL {
            for who in EVERYONE {
                let want = transition_outcome(who, state, *to);
                let cell = Cell {
                    method: "post",
                    pattern: "/missions/{id}/transition",
                    who,
                    state,
                    to: *to,
                    kind: MATRIX_KIND,
                };
                let got = world.run(&cell, &mut mission).await;
                cells += 1;
                if got != Ok(want) {
                    failures.push(failure(&cell, &format!(" to={}", to.code()), want, &got));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {cells} steps differ from the policy:\n{}",
        failures.len(),
        failures.join("\n")
    );
    world.app.cleanup().await;
}

#[tokio::test]
async fn every_kind_of_item_is_guarded_by_its_action() {
    let mut world = World::new().await;
    let mut failures = Vec::new();
    let mut cells = 0;
    for state in STATES {
        let mut mission = world.mission_in(state).await;
        for kind in ["targets", "sessions", "findings", "recommendations"] {
            for pattern in ["/missions/{id}/items/{kind}/new", "/missions/{id}/items/{kind}/{index}"] {
                for who in EVERYONE {
                    let want = on_mission(who, item_allowed(kind, who, state.mission_state()));
                    let cell = Cell { method: "get", pattern, who, state, to: matrix_target(state), kind };
                    let got = world.run(&cell, &mut mission).await;
                    cells += 1;
                    if got != Ok(want) {
                        failures.push(failure(&cell, &format!(" kind={kind}"), want, &got));
                    }
                }
            }
        }
        // An unknown kind is no page at all, for those who may see the mission too.
        for who in EVERYONE {
            let cell = Cell {
                method: "get",
                pattern: "/missions/{id}/items/{kind}/new",
                who,
                state,
                to: matrix_target(state),
                kind: "members",
            };
            let want = if who == Who::Anonymous { Outcome::LoginRedirect } else { Outcome::NotFound };
            let got = world.run(&cell, &mut mission).await;
            if got != Ok(want) {
                failures.push(failure(&cell, " kind=members", want, &got));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {cells} cells differ from the policy:\n{}",
        failures.len(),
        failures.join("\n")
    );
    world.app.cleanup().await;
}

// ---------------------------------------------------------------------------------------------------------------
// What the database holds, to prove a request changed nothing.
// ---------------------------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq)]
struct Snapshot {
    /// (id, version, state, owner) of every mission.
    missions: Vec<(i64, i32, String, i64)>,
    audit_events: u64,
    /// (id, version, password changed) of every account.
    users: Vec<(i64, i32, bool)>,
    /// (hash, used) of every one-time link.
    one_time_tokens: Vec<(String, bool)>,
    /// (id, revoked) of every API token.
    api_tokens: Vec<(i64, bool)>,
    /// Left out (zero) where reading may change them by design: sessions and login attempts.
    auth_sessions: u64,
    login_attempts: u64,
}

async fn snapshot(app: &TestApp, with_sessions: bool) -> Snapshot {
    let db = &app.test_db.db;
    let missions = missions::Entity::find()
        .order_by_asc(missions::Column::Id)
        .all(db)
        .await
        .expect("reads")
        .into_iter()
        .map(|m| (m.id, m.version, m.state, m.owner_org_id))
        .collect();
    let users = users::Entity::find()
        .order_by_asc(users::Column::Id)
        .all(db)
        .await
        .expect("reads")
        .into_iter()
        .map(|u| (u.id, u.version, u.password_changed_at.is_some()))
        .collect();
    let one_time_tokens = one_time_tokens::Entity::find()
        .order_by_asc(one_time_tokens::Column::Id)
        .all(db)
        .await
        .expect("reads")
        .into_iter()
        .map(|t| (t.id, t.used_at.is_some()))
        .collect();
    let api_tokens = api_tokens::Entity::find()
        .order_by_asc(api_tokens::Column::Id)
        .all(db)
        .await
        .expect("reads")
        .into_iter()
        .map(|t| (t.id, t.revoked_at.is_some()))
        .collect();
    let (auth_sessions, login_attempts) = if with_sessions {
        (
            auth_sessions::Entity::find().count(db).await.expect("counts"),
            login_attempts::Entity::find().count(db).await.expect("counts"),
        )
    } else {
        (0, 0)
    };
    Snapshot {
        missions,
        audit_events: audit_events::Entity::find().count(db).await.expect("counts"),
        users,
        one_time_tokens,
        api_tokens,
        auth_sessions,
        login_attempts,
    }
}

// ---------------------------------------------------------------------------------------------------------------
// 2. IDOR.
// ---------------------------------------------------------------------------------------------------------------

/// A response reduced to what a client can compare: status, headers but the request id and date, and the body
/// with the request id (`Mã yêu cầu: <code>…</code>`) blanked.
#[derive(Debug, PartialEq, Eq)]
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

async fn answer(response: reqwest::Response) -> Answer {
    let status = response.status().as_u16();
    let request_id =
        response.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let mut headers: Vec<(String, String)> = response
        .headers()
        .iter()
        .filter(|(name, _)| !matches!(name.as_str(), "x-request-id" | "date"))
        .map(|(name, value)| (name.to_string(), String::from_utf8_lossy(value.as_bytes()).into_owned()))
        .collect();
    headers.sort();
    let mut body = response.text().await.expect("body");
    if !request_id.is_empty() {
        body = body.replace(&request_id, "REQUEST-ID");
    }
    Answer { status, headers, body }
}

const KINDS: [&str; 4] = ["targets", "sessions", "findings", "recommendations"];

#[tokio::test]
async fn another_organisations_mission_answers_exactly_like_a_missing_one_and_stays_unchanged() {
    let app = spawn_app().await;
    let photo_a = stored_photo(&app).await;
    let photo_b = stored_photo(&app).await;
    let with_photo = |json: &str, key: &str| {
        let mut v: serde_json::Value = serde_json::from_str(json).expect("JSON");
        v["sessions"][0]["photos"][0]["file"] = key.into();
        v.to_string()
    };
    let a = app.insert_json(&with_photo(SEED, &photo_a)).await;
    let b = app.insert_json(&with_photo(&seed_of_another_org(), &photo_b)).await;
    let (org_a, org_b) = (app.owner_of(a).await, app.owner_of(b).await);
    assert_ne!(org_a, org_b, "two organisations");
    let leader_a = app.user(Role::TeamLeader, Some(org_a), Some((a, Capacity::Leader))).await;
    let leader_b = app.user(Role::TeamLeader, Some(org_b), Some((b, Capacity::Leader))).await;
    let staff_a = app.user(Role::Staff, Some(org_a), None).await;
    let token_of_b = live_token(&app, leader_b.id).await;
    // Controls: each side reaches its own mission and photo, so the refusals below are not vacuous.
    assert_eq!(leader_b.get(&format!("/missions/{b}")).await.status(), 200);
    assert_eq!(leader_b.get(&format!("/missions/{b}/photos/{photo_b}")).await.status(), 200);
    assert_eq!(leader_a.get(&format!("/missions/{a}/photos/{photo_a}")).await.status(), 200);
    assert_eq!(staff_a.get(&format!("/missions/{a}")).await.status(), 200);
    let missing = a.max(b) + 1000;
    let missing_token = token_of_b + 1000;
    let attackers = [("leader A", Caller::of(leader_a)), ("staff A", Caller::of(staff_a))];
    // Every mission route, with the payload B's own staff would send (B's version): built first, as some need
    // rows of their own (an assignment to remove), then sent once to B and once to no mission.
    let mut requests = Vec::new();
    for (name, attacker) in &attackers {
        let account = attacker.user_id.expect("an account");
        for (method, pattern) in ROUTES.iter().filter(|(_, p)| p.contains("/missions/{id}")) {
            let kinds: &[&str] = if pattern.contains("{kind}") { &KINDS } else { &["findings"] };
            let steps: &[MissionState] =
                if pattern.ends_with("/transition") { MissionState::ALL } else { &[MissionState::Cancelled] };
            for kind in kinds {
                for to in steps {
                    let at = Setting { mission: b, photo: &photo_b, kind, account, organisation: org_b, to: *to };
                    let (theirs, payload) = prepare(&app, method, pattern, &at).await;
                    let nothing = theirs.replacen(&format!("/missions/{b}"), &format!("/missions/{missing}"), 1);
                    let what = format!("{name}: {} {theirs} ({kind}, {})", method.to_uppercase(), to.code());
                    requests.push((attacker, *method, theirs, nothing, payload, what));
                }
            }
        }
    }
    let before = snapshot(&app, false).await;
    for (attacker, method, theirs_path, nothing_path, payload, what) in &requests {
        let theirs = answer(attacker.send(&app, method, theirs_path, payload, Csrf::Own, &[]).await).await;
        let nothing = answer(attacker.send(&app, method, nothing_path, payload, Csrf::Own, &[]).await).await;
        assert!(!(200..400).contains(&theirs.status), "{what}: {}", theirs.status);
        assert_eq!(theirs, nothing, "{what}: B answers unlike a missing mission");
    }
    assert!(requests.len() >= 2 * 20, "every mission route was tried ({})", requests.len());

    for (name, attacker) in &attackers {
        // B's photo through a mission A sees: photos belong to their mission.
        if *name == "leader A" {
            let through_a = answer(
                attacker
                    .send(&app, "get", &format!("/missions/{a}/photos/{photo_b}"), &Payload::default(), Csrf::Own, &[])
                    .await,
            )
            .await;
            let unknown = answer(
                attacker
                    .send(
                        &app,
                        "get",
                        &format!("/missions/{a}/photos/{}.png", random_token()),
                        &Payload::default(),
                        Csrf::Own,
                        &[],
                    )
                    .await,
            )
            .await;
            assert_eq!(through_a.status, 404, "{name}: B's photo through A");
            assert_eq!(through_a, unknown, "{name}: B's photo through A answers unlike an unknown photo");
        }
        // Another account's API token is not one's own to revoke.
        let revoke = |id: i64| format!("/account/tokens/{id}/revoke");
        let theirs =
            answer(attacker.send(&app, "post", &revoke(token_of_b), &Payload::default(), Csrf::Own, &[]).await).await;
        let nothing =
            answer(attacker.send(&app, "post", &revoke(missing_token), &Payload::default(), Csrf::Own, &[]).await)
                .await;
        assert_eq!(theirs.status, 404, "{name}: revoking B's token");
        assert_eq!(theirs, nothing, "{name}: B's token answers unlike a missing one");
    }
    assert_eq!(snapshot(&app, false).await, before, "nothing changed: versions, audit trail, tokens");
    app.cleanup().await;
}

#[tokio::test]
async fn staff_cannot_import_a_mission_into_another_organisation_of_the_same_name() {
    let app = spawn_app().await;
    let own = app.insert_seed().await;
    let org = app.owner_of(own).await;
    // The same name under another parent body is another organisation (names are not unique).
    let twin_file = seed_with(|v| v["owner"]["parent"] = "Đảng bộ tỉnh Hà Nam".into());
    let twin_org = app.owner_of(app.insert_json(&twin_file).await).await;
    assert_ne!(org, twin_org, "two organisations of the same name");
    let staff = Caller::of(app.user(Role::Staff, Some(org), None).await);
    let owned_by = |organisation: i64| {
        missions::Entity::find().filter(missions::Column::OwnerOrgId.eq(organisation)).count(&app.test_db.db)
    };
    let before = owned_by(twin_org).await.expect("counts");
    let upload = Payload { file: Some(twin_file.clone().into_bytes()), ..Payload::default() };
    let document = Payload { json: Some(twin_file.into_bytes()), ..Payload::default() };
    for (path, payload) in [("/import", upload), ("/api/v1/missions", document)] {
        let status = staff.send(&app, "post", path, &payload, Csrf::Own, &[]).await.status();
        assert_eq!(
            owned_by(twin_org).await.expect("counts"),
            before,
            "POST {path}: staff of organisation {org} created a mission of organisation {twin_org} ({status})"
        );
    }
    app.cleanup().await;
}

// ---------------------------------------------------------------------------------------------------------------
// 3. The canary: an unpublished finding never reaches those who may not view its mission.
// ---------------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn an_unpublished_finding_reaches_nobody_who_may_not_view_its_mission() {
    let app = spawn_app().await;
    let token = |prefix: &str| format!("{prefix}-{}", random_token().get(..24).unwrap_or_default());
    // The canary proper is in the first finding; two more sit where the dashboard looks (a session this month
    // at a target of its own, a recommendation due in two days). `needle`, in all three, is what the search and
    // filter probes below ask for: echoed back, it reveals nothing. (The team: the test after this one.)
    let (canary, target_canary, recommendation_canary) = (token("CANARY"), token("CANARYTARGET"), token("CANARYREC"));
    let needle = format!("kim{}", random_token().get(..16).unwrap_or_default());
    let canaries = [canary.as_str(), target_canary.as_str(), recommendation_canary.as_str()];
    let today = chrono::Utc::now().date_naive();
    let photo = stored_photo(&app).await;
    let id = app
        .insert_json(&seed_with(|v| {
            v["findings"][0]["text"] =
                format!("công tác chuẩn bị {canary} {needle} đã được các phường triển khai").into();
            let target = format!("{target_canary} {needle}");
            v["targets"].as_array_mut().expect("targets").push(serde_json::json!({"kind": "ward", "name": target}));
            v["sessions"]
                .as_array_mut()
                .expect("sessions")
                .push(serde_json::json!({"target": target, "date": today.to_string(), "photos": []}));
            v["recommendations"][0]["text"] = format!("sớm ban hành {recommendation_canary} {needle}").into();
            v["recommendations"][0]["due_on"] = (today + chrono::Duration::days(2)).to_string().into();
            v["sessions"][0]["photos"][0]["file"] = photo.clone().into();
        }))
        .await;
    let org = app.owner_of(id).await;
    let led_elsewhere = app.insert_seed().await;
    let other_org = app.owner_of(app.insert_json(&seed_of_another_org()).await).await;
    let missing = id.max(led_elsewhere) + 1000;

    // Those who may view it see the canary on the mission page: the test below cannot pass vacuously.
    let insiders = [
        ("admin", app.user(Role::Admin, None, None).await),
        ("staff", app.user(Role::Staff, Some(org), None).await),
        ("viewer", app.user(Role::Viewer, Some(org), None).await),
        ("writer", app.user(Role::Writer, Some(org), None).await),
        ("leader", app.user(Role::TeamLeader, Some(org), Some((id, Capacity::Leader))).await),
        ("member", app.user(Role::TeamMember, Some(org), Some((id, Capacity::Member))).await),
    ];
    for (name, user) in &insiders {
        let page = user.get(&format!("/missions/{id}")).await.text().await.expect("body");
        for canary in canaries {
            assert!(page.contains(canary), "{name} may view the mission and sees {canary}");
        }
        let found = user.get(&format!("/search?q={needle}")).await.text().await.expect("body");
        assert!(found.contains(&canary), "control: the search finds the finding for {name}");
    }

    let leader_elsewhere = app.user(Role::TeamLeader, Some(org), Some((led_elsewhere, Capacity::Leader))).await;
    let api_token = format!("gs_{}", random_token());
    accounts::create_api_token(
        &app.test_db.db,
        leader_elsewhere.id,
        "máy chủ",
        &hash_token(&api_token),
        "gs_",
        &Actor::system(chrono::Utc::now()),
    )
    .await
    .expect("token stored");
    let bearer = format!("Bearer {api_token}");
    let outsiders = [
        ("anonymous", Caller::anonymous(&app).await, None),
        ("staff of another organisation", Caller::of(app.user(Role::Staff, Some(other_org), None).await), None),
        ("viewer of another organisation", Caller::of(app.user(Role::Viewer, Some(other_org), None).await), None),
        ("leader of another mission", Caller::of(leader_elsewhere), None),
        ("leader of another mission, by API token", Caller::anonymous(&app).await, Some(bearer.as_str())),
    ];

    let mut requests: Vec<(&str, String)> = vec![
        ("get", format!("/missions?before={missing}")),
        ("get", "/login?next=%2Fmissions".to_owned()),
        ("get", format!("/admin/audit?mission={id}")),
        ("get", format!("/admin/audit.csv?mission={id}")),
    ];
    for (method, pattern) in ROUTES.iter().filter(|(m, _)| *m == "get") {
        for mission in [id, missing] {
            for kind in KINDS {
                let path = fill(pattern, &Params { id: mission, key: &photo, kind });
                if !requests.iter().any(|(_, p)| *p == path) {
                    requests.push((method, path));
                }
            }
        }
    }
    // The same pages searched and filtered for the needle.
    let query = format!("q={needle}&target={needle}&body={needle}&year={}", today.format("%Y"));
    for (method, path) in requests.clone() {
        let joined = if path.contains('?') { format!("{path}&{query}") } else { format!("{path}?{query}") };
        requests.push((method, joined));
    }
    for mission in [id, missing] {
        requests.push(("post", format!("/missions/{mission}/transition")));
        requests.push(("post", format!("/missions/{mission}/items/findings/0")));
    }
    let payload = form(&[("to", "drafting"), ("version", "1"), ("kind", "strength"), ("text", "x")]);
    let mut sent = 0;
    for (name, caller, bearer) in &outsiders {
        let headers: Vec<(&str, &str)> = bearer.iter().map(|b| ("authorization", *b)).collect();
        for (method, path) in &requests {
            let response = caller.send(&app, method, path, &payload, Csrf::Own, &headers).await;
            let status = response.status();
            let answered: Vec<(String, String)> = response
                .headers()
                .iter()
                .map(|(h, v)| (h.to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
                .collect();
            let body = response.bytes().await.expect("body");
            let body = String::from_utf8_lossy(&body);
            for canary in canaries {
                for (header, value) in &answered {
                    assert!(!value.contains(canary), "{name}: {method} {path} leaks {canary} in header {header}");
                }
                assert!(!body.contains(canary), "{name}: {method} {path} ({status}) leaks {canary}");
            }
            sent += 1;
        }
    }
    assert!(sent > 200, "{sent} requests");
    // The log lines of all those requests name missions and accounts, never a text.
    let logs = crate::support::logs();
    assert!(logs.contains("access denied: mission not visible"), "control: the refusals above are logged");
    for canary in canaries {
        assert!(!logs.contains(canary), "a log line carries {canary}");
    }
    app.cleanup().await;
}

#[tokio::test]
async fn the_team_of_a_mission_reaches_nobody_who_may_not_view_it() {
    let app = spawn_app().await;
    let canary = format!("CANARYMEMBER-{}", random_token().get(..24).unwrap_or_default());
    let needle = format!("kim{}", random_token().get(..16).unwrap_or_default());
    let id = app
        .insert_json(&seed_with(|v| {
            v["members"].as_array_mut().expect("members").push(serde_json::json!({
                "name": format!("Trần Văn {needle}"),
                "role": "member",
                "position": format!("{canary} {needle}"),
            }));
        }))
        .await;
    let org = app.owner_of(id).await;
    let other_org = app.owner_of(app.insert_json(&seed_of_another_org()).await).await;
    let staff = app.user(Role::Staff, Some(org), None).await;
    let page = staff.get(&format!("/missions/{id}")).await.text().await.expect("body");
    assert!(page.contains(&canary), "the owning organisation's staff see the team");
    let found = staff.get(&format!("/search?q={needle}")).await.text().await.expect("body");
    assert!(found.contains(&canary), "control: the search finds the member for those who may view the mission");
    let outsiders = [
        ("staff of another organisation", app.user(Role::Staff, Some(other_org), None).await),
        ("viewer of another organisation", app.user(Role::Viewer, Some(other_org), None).await),
        ("leader of no mission", app.user(Role::TeamLeader, Some(org), None).await),
    ];
    let mut leaks = Vec::new();
    let mut paths = Vec::new();
    for (_, pattern) in ROUTES.iter().filter(|(m, p)| *m == "get" && !p.contains('{')) {
        paths.push((*pattern).to_owned());
        paths.push(format!("{pattern}?q={needle}&target={needle}&body={needle}"));
    }
    for (name, user) in &outsiders {
        for path in &paths {
            let body = user.get(path).await.text().await.expect("body");
            if body.contains(&canary) {
                leaks.push(format!("{name}: GET {path}"));
            }
        }
    }
    assert!(leaks.is_empty(), "the team of mission {id} leaks:\n{}", leaks.join("\n"));
    app.cleanup().await;
}

// ---------------------------------------------------------------------------------------------------------------
// 4. CSRF on every state-changing route (X1).
// ---------------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn every_state_changing_route_refuses_forged_requests_and_changes_nothing() {
    let app = spawn_app().await;
    let photo = stored_photo(&app).await;
    let mission = app.insert_json(&State::InProgress.json(&photo)).await;
    let org = app.owner_of(mission).await;
    let admin_id = app.user(Role::Admin, None, None).await.id;
    let staff = Caller::of(app.user(Role::Staff, Some(org), None).await);

    let mut routes = 0;
    for (method, pattern) in ROUTES.iter().filter(|(m, p)| *m != "get" && !matches!(*p, "/login" | "/setup/{token}")) {
        // A session of its own for each route, so that the control request (which may log out, or end every
        // session with a new password) leaves the others alone; a mission of its own, so that an earlier route's
        // control (a cancellation) does not close the follow-up a later one changes.
        let mission = app.insert_json(&State::InProgress.json(&photo)).await;
        let me = Caller::new_session(&app, admin_id).await;
        let other_session = Caller::new_session(&app, admin_id).await;
        let at = Setting {
            mission,
            photo: &photo,
            kind: MATRIX_KIND,
            account: admin_id,
            organisation: org,
            to: MissionState::Cancelled,
        };
        let (path, payload) = prepare(&app, method, pattern, &at).await;
        let attempts: [Forgery<'_>; 5] = [
            ("no token", Csrf::Omitted, &[]),
            ("another session's token (same account)", Csrf::This(&other_session.csrf), &[]),
            ("another account's token", Csrf::This(&staff.csrf), &[]),
            ("a foreign Origin", Csrf::Own, &[("origin", "https://evil.example")]),
            ("a cross-site fetch", Csrf::Own, &[("sec-fetch-site", "cross-site")]),
        ];
        for (what, csrf, headers) in attempts {
            let before = snapshot(&app, true).await;
            let response = me.send(&app, method, &path, &payload, csrf, headers).await;
            assert_eq!(response.status(), 403, "{method} {pattern} with {what}");
            assert_eq!(snapshot(&app, true).await, before, "{method} {pattern} with {what} changed something");
        }
        // Control: the same request with the session's own token gets past the check.
        let control = me.send(&app, method, &path, &payload, Csrf::Own, &[]).await;
        assert_ne!(control.status(), 403, "{method} {pattern}: the control request was refused");
        routes += 1;
    }
    assert!(routes >= 7, "{routes} routes");

    // The login form: its token is the pre-session cookie's (double submit). Right credentials, so that a
    // request getting through would log in.
    let visitor = Caller::anonymous(&app).await;
    let other_visitor = Caller::anonymous(&app).await;
    let email = accounts::by_id(&app.test_db.db, admin_id).await.expect("reads").expect("exists").email;
    let login = form(&[("email", &email), ("password", PASSWORD), ("next", "/")]);
    let attempts: [Forgery<'_>; 4] = [
        ("no token", Csrf::Omitted, &[]),
        ("another browser's token", Csrf::This(&other_visitor.csrf), &[]),
        ("a foreign Origin", Csrf::Own, &[("origin", "https://evil.example")]),
        ("a cross-site fetch", Csrf::Own, &[("sec-fetch-site", "cross-site")]),
    ];
    for (what, csrf, headers) in attempts {
        let before = snapshot(&app, true).await;
        let response = visitor.send(&app, "post", "/login", &login, csrf, headers).await;
        assert_eq!(response.status(), 403, "POST /login with {what}");
        assert_eq!(snapshot(&app, true).await, before, "POST /login with {what} changed something");
    }
    let control = visitor.send(&app, "post", "/login", &login, Csrf::Own, &[]).await;
    assert_eq!(control.status(), 303, "the control login succeeds");
    app.cleanup().await;
}

// ---------------------------------------------------------------------------------------------------------------
// 5. GET never changes state (X2).
// ---------------------------------------------------------------------------------------------------------------

#[tokio::test]
async fn no_get_request_changes_anything() {
    let app = spawn_app().await;
    let photo = stored_photo(&app).await;
    let mission = app.insert_json(&State::InProgress.json(&photo)).await;
    let org = app.owner_of(mission).await;
    let missing = mission + 1000;
    let bystander = bystander(&app, org).await;
    let link = password_link(&app.state, Some(bystander), LinkPurpose::Password).await.expect("link");
    let link_token = link.rsplit('/').next().expect("a token").to_owned();
    let callers = [
        ("anonymous", Caller::anonymous(&app).await),
        ("staff", Caller::of(app.user(Role::Staff, Some(org), None).await)),
        ("admin", Caller::of(app.user(Role::Admin, None, None).await)),
    ];
    live_token(&app, callers[2].1.user_id.expect("an account")).await;

    let mut paths = vec![
        format!("/missions?before={missing}"),
        "/login?next=%2Fmissions".to_owned(),
        format!("/admin/audit?mission={mission}&actor=system"),
        format!("/admin/audit.csv?mission={mission}"),
        "/account?changed=1".to_owned(),
    ];
    for (_, pattern) in ROUTES.iter().filter(|(m, _)| *m == "get") {
        for id in [mission, missing] {
            for kind in KINDS {
                let path = fill(pattern, &Params { id, key: &photo, kind });
                if !paths.contains(&path) {
                    paths.push(path);
                }
            }
        }
        if pattern.contains("{token}") {
            // A real one-time link: looking at its form must not use it up.
            paths.push(pattern.replace("{token}", &link_token));
        }
    }
    for (name, caller) in &callers {
        for path in &paths {
            let before = snapshot(&app, false).await;
            let response = caller.send(&app, "get", path, &Payload::default(), Csrf::Own, &[]).await;
            assert!(response.status().as_u16() < 500, "{name}: GET {path}: {}", response.status());
            assert_eq!(snapshot(&app, false).await, before, "{name}: GET {path} changed the database");
        }
    }
    assert_eq!(app.get(&format!("/setup/{link_token}")).await.status(), 200, "the link is still unused");
    app.cleanup().await;
}

// ---------------------------------------------------------------------------------------------------------------
// Redirects after login stay on this site (ASVS 5.1.5).
// ---------------------------------------------------------------------------------------------------------------

/// Where a browser goes for `Location: location`: it strips ASCII tabs and newlines first (WHATWG URL parser).
fn leaves_the_site(location: &str) -> bool {
    let seen: String = location.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    !seen.starts_with('/') || seen.starts_with("//") || seen.starts_with("/\\")
}

#[tokio::test]
async fn the_login_redirect_never_leaves_the_site() {
    let app = spawn_app().await;
    let user = app.user(Role::Viewer, None, None).await;
    let payloads = [
        "/\t/evil.example",
        "/\n/evil.example",
        "/\r/evil.example",
        "//evil.example",
        "/\\evil.example",
        "https://evil.example",
    ];
    let mut problems = Vec::new();
    for next in payloads {
        let encoded: String = form_urlencoded::byte_serialize(next.as_bytes()).collect();
        // A signed-in user opening the login form is sent on to `next`.
        let response = user.get(&format!("/login?next={encoded}")).await;
        let location = response.headers().get("location").map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        match (response.status().as_u16(), location) {
            (303, Some(location)) if !leaves_the_site(&location) => {}
            (status, location) => problems.push(format!("GET /login?next={encoded}: {status} → {location:?}")),
        }
        // And so is one who has just logged in.
        let (_, email) = app.account(Role::Viewer, None).await;
        let client = cookie_client();
        let page = client.get(app.url("/login")).send().await.expect("reaches").text().await.expect("body");
        let csrf = csrf_of(&page).expect("token");
        let response = client
            .post(app.url("/login"))
            .form(&[("email", email.as_str()), ("password", PASSWORD), ("next", next), ("_csrf", csrf.as_str())])
            .send()
            .await
            .expect("reaches");
        let location = response.headers().get("location").map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        match (response.status().as_u16(), location) {
            (303, Some(location)) if !leaves_the_site(&location) => {}
            (status, location) => problems.push(format!("POST /login next={next:?}: {status} → {location:?}")),
        }
    }
    assert!(problems.is_empty(), "redirects off the site or failures:\n{}", problems.join("\n"));
    app.cleanup().await;
}
