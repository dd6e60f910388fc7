//! The matrix's expectations: subjects, mission states, outcomes, and what the policy says each gets.

use giamsat_domain::workflow::MissionState;

use super::world::*;

/// Who asks, relative to the mission of the matrix (owned by organisation O).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Who {
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

pub(super) const EVERYONE: [Who; 9] = [
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

pub(super) const STATES: [State; 4] = [State::InProgress, State::Concluded, State::Cancelled, State::Published];

impl State {
    pub(super) fn mission_state(self) -> MissionState {
        match self {
            State::InProgress => MissionState::InProgress,
            State::Concluded | State::Published => MissionState::Concluded,
            State::Cancelled => MissionState::Cancelled,
        }
    }

    /// The mission's file; its first session's photo is the stored file `photo` (for the photo route).
    pub(super) fn json(self, photo: &str) -> String {
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
pub(super) enum Outcome {
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
pub(super) fn sees(who: Who) -> bool {
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
pub(super) fn exports(who: Who) -> bool {
    match who {
        Who::StaffOwnOrg | Who::LeaderOfThisMission | Who::Writer | Who::Admin => true,
        Who::Anonymous | Who::Viewer | Who::StaffOtherOrg | Who::LeaderOfOtherMission | Who::MemberOfThisMission => {
            false
        }
    }
}

/// Whether a mission in `state` is still open (neither closed nor cancelled).
pub(super) fn open(state: MissionState) -> bool {
    !matches!(state, MissionState::Closed | MissionState::Cancelled)
}

/// Whether its fieldwork is open (notified, in progress, drafting).
pub(super) fn fieldwork_open(state: MissionState) -> bool {
    matches!(state, MissionState::Notified | MissionState::InProgress | MissionState::Drafting)
}

/// May change the mission itself — its fields, team, targets (`Action::Edit`): administrators; staff of the
/// owning organisation while it is open. Not the team.
pub(super) fn edits(who: Who, state: MissionState) -> bool {
    match who {
        Who::Admin => true,
        Who::StaffOwnOrg => open(state),
        _ => false,
    }
}

/// May record sessions, findings, recommendations (`Action::RecordFieldwork`): administrators; staff of the
/// owning organisation while it is open; its leader and members while fieldwork is open.
pub(super) fn records(who: Who, state: MissionState) -> bool {
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
pub(super) fn moves(who: Who, from: MissionState, to: MissionState) -> bool {
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
pub(super) fn writes_report(who: Who, state: MissionState) -> bool {
    match who {
        Who::Admin => true,
        Who::Writer => state != MissionState::Cancelled,
        _ => false,
    }
}

/// May approve the article or send it back (`Action::ApproveReport`): the mission's leader, administrators.
pub(super) fn approves_report(who: Who) -> bool {
    matches!(who, Who::LeaderOfThisMission | Who::Admin)
}

/// An editorial step (the last segment of the route): the policy first, then the editorial workflow, which
/// approves and publishes only the article of a concluded mission. The matrix puts the report in the state
/// each step starts from (`ensure_report`).
pub(super) fn report_outcome(who: Who, state: State, step: &str) -> Outcome {
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
pub(super) fn on_portal(state: State) -> Outcome {
    if state == State::Published { Outcome::Ok } else { Outcome::NotFound }
}

/// May create or import a mission (`Action::Create`): staff of an organisation, administrators.
pub(super) fn creates(who: Who) -> bool {
    matches!(who, Who::StaffOwnOrg | Who::StaffOtherOrg | Who::Admin)
}

/// Whether the workflow takes the step with the matrix's missions: from `in_progress` only to `cancelled`
/// (`drafting` lacks a session at Đồng Xuân), from `concluded` only to `follow_up` (closing needs every
/// recommendation settled, and the seed's are all open), from `cancelled` nowhere.
pub(super) fn workflow_accepts(state: State, to: MissionState) -> bool {
    matches!(
        (state, to),
        (State::InProgress, MissionState::Cancelled) | (State::Concluded | State::Published, MissionState::FollowUp)
    )
}

/// May change a recommendation's follow-up (`policy::can_follow_up` beyond `View`): the supervising side —
/// administrators and the owning organisation's staff — while the mission is neither closed nor cancelled. The
/// matrix's recommendation (the seed's first, addressed to "Quận ủy", the owner) has no other addressee
/// organisation; addressees' staff are tested in `ledger.rs`.
pub(super) fn follows_up(who: Who, state: MissionState) -> bool {
    matches!(who, Who::Admin | Who::StaffOwnOrg) && open(state)
}

/// A mission action: login first, then "not found" for those who may not see it, then 403.
pub(super) fn on_mission(who: Who, allowed: bool) -> Outcome {
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
pub(super) fn transition_outcome(who: Who, state: State, to: MissionState) -> Outcome {
    match on_mission(who, moves(who, state.mission_state(), to)) {
        Outcome::Ok if !workflow_accepts(state, to) => Outcome::Unprocessable,
        outcome => outcome,
    }
}

/// The step the matrix asks for in each state: the leader's own step (to drafting) while under way; the
/// committee's next step once concluded; a reopening once cancelled.
pub(super) fn matrix_target(state: State) -> MissionState {
    match state {
        State::InProgress => MissionState::Drafting,
        State::Concluded | State::Published => MissionState::FollowUp,
        State::Cancelled => MissionState::InProgress,
    }
}

/// The item kind the matrix fills `{kind}` with (the others: `every_kind_of_item_is_guarded_by_its_action`).
pub(super) const MATRIX_KIND: &str = "findings";

pub(super) const KINDS: [&str; 4] = ["targets", "sessions", "findings", "recommendations"];

/// What an item kind's forms need: targets shape the mission (`Edit`); the rest is fieldwork.
pub(super) fn item_allowed(kind: &str, who: Who, state: MissionState) -> bool {
    match kind {
        "targets" => edits(who, state),
        "sessions" | "findings" | "recommendations" => records(who, state),
        other => panic!("unknown item kind {other}"),
    }
}

/// What `who` must get for `method path` with the mission in `state`, with the requests `prepare` builds.
pub(super) fn expected(method: &str, path: &str, who: Who, state: State) -> Outcome {
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
