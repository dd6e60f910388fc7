//! Who may do what: every permission decision of the app is made by [`can`], nowhere else.
//!
//! Roles are scoped to an organisation. Administrators may do everything. Committee staff manage the missions
//! their organisation owns. Team leaders and members work on the missions they are assigned to, and only while
//! fieldwork is open. Report writers read their organisation's missions and export them; viewers only read.
//! Anyone else — anonymous visitors included — may do nothing here (the public portal serves only published
//! versions). A mission a subject may not view must answer exactly like a missing one; [`can`] gives the
//! caller what it needs to do so ([`Action::View`] first).

use crate::codes::coded_enum;
use crate::workflow::MissionState;

coded_enum! {
    /// An account's role.
    pub enum Role {
        Admin => "admin",
        Staff => "staff",
        TeamLeader => "team_leader",
        TeamMember => "team_member",
        Writer => "writer",
        Viewer => "viewer",
    }
}

coded_enum! {
    /// How an account serves on one mission.
    pub enum Capacity {
        Leader => "leader",
        Member => "member",
    }
}

/// Who asks: the account, its role and its organisation (none for administrators).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    pub user_id: i64,
    pub role: Role,
    pub organisation_id: Option<i64>,
}

/// What the policy needs to know about one mission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissionScope {
    pub owner_org_id: i64,
    pub state: MissionState,
    /// The subject's capacity on this mission, if assigned.
    pub capacity: Option<Capacity>,
}

/// What is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Read a mission and everything in it (unpublished findings included).
    View,
    /// Create a mission or import one, for the subject's own organisation.
    Create,
    /// Choose the organisation a new mission belongs to, or import a file of another organisation's mission:
    /// administrators only (staff create for their own).
    ChooseOwner,
    /// Import progress updates into the ledger from its spreadsheet: the roles that change some item's
    /// follow-up ([`changes_follow_up`]); each row is then checked on its item.
    ImportFollowUp,
    /// Change the mission itself: decision, team, targets, members.
    Edit,
    /// Record sessions, photos, findings and recommendations.
    RecordFieldwork,
    /// Move the workflow to the given state.
    Transition(MissionState),
    /// Download the mission as an interchange file.
    Export,
    /// Draft, edit and publish the mission's news article (publishing also needs the approval).
    WriteReport,
    /// Approve the article or send it back: the mission's leader.
    ApproveReport,
    /// Manage accounts, read the audit trail.
    Administer,
}

/// Whether `subject` may do `action` on `scope` (the mission, for mission actions; `None` for the others).
#[must_use]
pub fn can(subject: Option<&Subject>, action: Action, scope: Option<&MissionScope>) -> bool {
    let Some(subject) = subject else {
        return false;
    };
    if subject.role == Role::Admin {
        return true;
    }
    match (action, scope) {
        (Action::Administer | Action::ChooseOwner, _) => false,
        (Action::Create, _) => subject.role == Role::Staff && subject.organisation_id.is_some(),
        (Action::ImportFollowUp, _) => changes_follow_up(Some(subject)),
        (_, None) => false,
        (action, Some(scope)) => on_mission(subject, action, scope),
    }
}

/// Whether `subject` may change what an organisation owns beyond one mission — its decisions, shared by
/// several teams: its staff and administrators.
#[must_use]
pub fn can_manage(subject: Option<&Subject>, organisation_id: i64) -> bool {
    subject
        .is_some_and(|s| s.role == Role::Admin || (s.role == Role::Staff && s.organisation_id == Some(organisation_id)))
}

/// Which missions a subject's lists may show; the same rule as [`Action::View`], in a form a query can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    All,
    /// The missions owned by this organisation.
    Organisation(i64),
    /// The missions this account is assigned to.
    AssignedTo(i64),
    Nothing,
}

/// The missions `subject` may list.
#[must_use]
pub fn visibility(subject: Option<&Subject>) -> Visibility {
    match subject {
        None => Visibility::Nothing,
        Some(s) => match (s.role, s.organisation_id) {
            (Role::Admin, _) => Visibility::All,
            (Role::TeamLeader | Role::TeamMember, _) => Visibility::AssignedTo(s.user_id),
            (Role::Staff | Role::Writer | Role::Viewer, Some(org)) => Visibility::Organisation(org),
            (Role::Staff | Role::Writer | Role::Viewer, None) => Visibility::Nothing,
        },
    }
}

/// Whose news articles wait for a subject's approval, in a form a query can use: the same rule as
/// [`Action::ApproveReport`] (administrators approve every article; a team leader those of the missions it leads).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Approvals {
    All,
    /// The missions this account is assigned to as leader.
    LeaderOf(i64),
    Nothing,
}

/// The articles `subject` may approve.
#[must_use]
pub fn approvals(subject: Option<&Subject>) -> Approvals {
    match subject.map(|s| (s.role, s.user_id)) {
        Some((Role::Admin, _)) => Approvals::All,
        Some((Role::TeamLeader, user)) => Approvals::LeaderOf(user),
        _ => Approvals::Nothing,
    }
}

/// What is asked of one recommendation's follow-up (the ledger).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowUpAction {
    /// Read the recommendation and its history.
    View,
    /// Append a progress update (what was done, with evidence).
    Report,
    /// Move the status to the given one.
    SetStatus(crate::recommendation::RecStatus),
    /// Set the owner, the addressees, the priority, the due date; link to other recommendations.
    Manage,
}

/// Whether `subject` may do `action` on a recommendation of the mission `scope`, addressed to the
/// organisations `addressed_to`.
///
/// The supervising side — administrators and the owning organisation's staff — does everything. The staff of an
/// addressee organisation see the item (not the rest of the mission), report progress and acknowledge it or mark
/// it under way; confirming, closing, escalating and moving dates stay with the supervising side. The team
/// leader is not part of it: the team dissolves once its report is in, and the follow-up is the committee's.
/// Whoever may view the mission reads its recommendations. Nothing changes once the mission is closed or
/// cancelled.
#[must_use]
pub fn can_follow_up(
    subject: Option<&Subject>,
    action: FollowUpAction,
    scope: &MissionScope,
    addressed_to: &[i64],
) -> bool {
    use crate::recommendation::RecStatus;
    let Some(subject) = subject else {
        return false;
    };
    let supervising = subject.role == Role::Admin
        || (subject.role == Role::Staff && subject.organisation_id == Some(scope.owner_org_id));
    let addressee =
        subject.role == Role::Staff && subject.organisation_id.is_some_and(|org| addressed_to.contains(&org));
    let open = !matches!(scope.state, MissionState::Closed | MissionState::Cancelled);
    match action {
        FollowUpAction::View => supervising || addressee || can(Some(subject), Action::View, Some(scope)),
        FollowUpAction::Report => open && (supervising || addressee),
        FollowUpAction::SetStatus(RecStatus::Acknowledged | RecStatus::InProgress) => {
            open && (supervising || addressee)
        }
        FollowUpAction::SetStatus(_) | FollowUpAction::Manage => open && supervising,
    }
}

/// Whether `subject` may report progress on some recommendation at all — the roles [`can_follow_up`] lets
/// change an item: administrators and staff of an organisation. The ledger's import is offered to them only;
/// each row is then checked with [`can_follow_up`].
#[must_use]
pub fn changes_follow_up(subject: Option<&Subject>) -> bool {
    subject.is_some_and(|s| s.role == Role::Admin || (s.role == Role::Staff && s.organisation_id.is_some()))
}

/// The organisation whose addressed items a subject's ledger lists show beside the missions it may list: its
/// staff report on them ([`can_follow_up`]).
#[must_use]
pub fn addressee_org(subject: Option<&Subject>) -> Option<i64> {
    subject.filter(|s| s.role == Role::Staff).and_then(|s| s.organisation_id)
}

fn on_mission(subject: &Subject, action: Action, scope: &MissionScope) -> bool {
    let own_org = subject.organisation_id == Some(scope.owner_org_id);
    let assigned = scope.capacity.is_some();
    let leads = scope.capacity == Some(Capacity::Leader);
    let open = !matches!(scope.state, MissionState::Closed | MissionState::Cancelled);
    let fieldwork_open =
        matches!(scope.state, MissionState::Notified | MissionState::InProgress | MissionState::Drafting);
    match (subject.role, action) {
        (Role::Admin, _) => true,
        (Role::Staff, Action::View | Action::Export) => own_org,
        (Role::Staff, Action::Edit | Action::RecordFieldwork | Action::Transition(_)) => own_org && open,
        (Role::TeamLeader | Role::TeamMember, Action::View) => assigned,
        (Role::TeamLeader, Action::Export) => leads,
        (Role::TeamLeader | Role::TeamMember, Action::RecordFieldwork) => assigned && fieldwork_open,
        // A leader runs the fieldwork: starts it, ends it, reopens it. Deciding and concluding are the
        // committee's acts.
        (Role::TeamLeader, Action::Transition(to)) => {
            leads && matches!(to, MissionState::InProgress | MissionState::Drafting) && fieldwork_open
        }
        (Role::Writer, Action::View | Action::Export) | (Role::Viewer, Action::View) => own_org,
        (Role::Writer, Action::WriteReport) => own_org && scope.state != MissionState::Cancelled,
        (Role::TeamLeader, Action::ApproveReport) => leads,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_roles_that_change_follow_up_somewhere_may_import_progress() {
        use super::*;
        let scope = |owner| MissionScope { owner_org_id: owner, state: MissionState::FollowUp, capacity: None };
        for role in Role::ALL {
            for org in [None, Some(ORG)] {
                let subject = Subject { user_id: 1, role: *role, organisation_id: org };
                let somewhere = [scope(ORG), scope(ORG + 1)].iter().any(|s| {
                    can_follow_up(Some(&subject), FollowUpAction::Report, s, &[ORG])
                        || can_follow_up(Some(&subject), FollowUpAction::Manage, s, &[ORG])
                });
                assert_eq!(changes_follow_up(Some(&subject)), somewhere, "{role:?} {org:?}");
            }
        }
        assert!(!changes_follow_up(None));
    }

    use super::*;

    const ORG: i64 = 10;
    const OTHER_ORG: i64 = 20;

    fn subject(role: Role, organisation_id: Option<i64>) -> Subject {
        Subject { user_id: 1, role, organisation_id }
    }

    fn scope(state: MissionState, capacity: Option<Capacity>) -> MissionScope {
        MissionScope { owner_org_id: ORG, state, capacity }
    }

    #[test]
    fn the_approvals_a_list_shows_are_exactly_those_the_policy_allows() {
        for role in Role::ALL {
            for org in [None, Some(ORG)] {
                let who = subject(*role, org);
                for capacity in [None, Some(Capacity::Member), Some(Capacity::Leader)] {
                    for state in MissionState::ALL {
                        let allowed = can(Some(&who), Action::ApproveReport, Some(&scope(*state, capacity)));
                        let listed = match approvals(Some(&who)) {
                            Approvals::All => true,
                            Approvals::LeaderOf(user) => user == who.user_id && capacity == Some(Capacity::Leader),
                            Approvals::Nothing => false,
                        };
                        assert_eq!(listed, allowed, "{role:?} {org:?} {capacity:?} {state:?}");
                    }
                }
            }
        }
        assert_eq!(approvals(None), Approvals::Nothing);
    }

    #[test]
    fn nobody_anonymous_may_do_anything() {
        for action in [Action::View, Action::Create, Action::Edit, Action::Export, Action::Administer] {
            assert!(!can(None, action, Some(&scope(MissionState::Concluded, None))));
        }
    }

    #[test]
    fn writers_write_reports_and_the_missions_leader_approves_them() {
        let writer = subject(Role::Writer, Some(ORG));
        let concluded = scope(MissionState::Concluded, None);
        assert!(can(Some(&writer), Action::WriteReport, Some(&concluded)));
        assert!(!can(Some(&writer), Action::ApproveReport, Some(&concluded)));
        assert!(!can(Some(&writer), Action::WriteReport, Some(&scope(MissionState::Cancelled, None))));
        assert!(!can(Some(&subject(Role::Writer, Some(OTHER_ORG))), Action::WriteReport, Some(&concluded)));
        let leader = subject(Role::TeamLeader, Some(OTHER_ORG));
        assert!(can(
            Some(&leader),
            Action::ApproveReport,
            Some(&scope(MissionState::Concluded, Some(Capacity::Leader)))
        ));
        assert!(!can(
            Some(&leader),
            Action::ApproveReport,
            Some(&scope(MissionState::Concluded, Some(Capacity::Member)))
        ));
        assert!(!can(
            Some(&leader),
            Action::WriteReport,
            Some(&scope(MissionState::Concluded, Some(Capacity::Leader)))
        ));
        for role in [Role::Staff, Role::Viewer, Role::TeamMember] {
            let s = subject(role, Some(ORG));
            let member = scope(MissionState::Concluded, Some(Capacity::Member));
            assert!(!can(Some(&s), Action::WriteReport, Some(&member)), "{role:?}");
            assert!(!can(Some(&s), Action::ApproveReport, Some(&member)), "{role:?}");
        }
        assert!(can(Some(&subject(Role::Admin, None)), Action::ApproveReport, Some(&concluded)));
    }

    #[test]
    fn only_administrators_choose_a_new_missions_organisation_and_follow_up_importers_are_staff() {
        for role in Role::ALL {
            for org in [None, Some(ORG)] {
                let s = subject(*role, org);
                assert_eq!(can(Some(&s), Action::ChooseOwner, None), *role == Role::Admin, "{role:?} {org:?}");
                assert_eq!(
                    can(Some(&s), Action::ImportFollowUp, None),
                    changes_follow_up(Some(&s)),
                    "{role:?} {org:?}"
                );
            }
        }
        assert!(can(Some(&subject(Role::Staff, Some(ORG))), Action::ImportFollowUp, None));
        assert!(!can(Some(&subject(Role::Writer, Some(ORG))), Action::ImportFollowUp, None));
        assert!(!can(None, Action::ChooseOwner, None));
    }

    #[test]
    fn administrators_may_do_everything() {
        let admin = subject(Role::Admin, None);
        assert!(can(Some(&admin), Action::Administer, None));
        assert!(can(Some(&admin), Action::Edit, Some(&scope(MissionState::Closed, None))));
    }

    #[test]
    fn staff_manage_only_their_own_organisations_open_missions() {
        let staff = subject(Role::Staff, Some(ORG));
        let other = subject(Role::Staff, Some(OTHER_ORG));
        let open = scope(MissionState::InProgress, None);
        for action in [
            Action::View,
            Action::Edit,
            Action::RecordFieldwork,
            Action::Export,
            Action::Transition(MissionState::Drafting),
        ] {
            assert!(can(Some(&staff), action, Some(&open)), "{action:?}");
            assert!(!can(Some(&other), action, Some(&open)), "{action:?} of another organisation");
        }
        assert!(can(Some(&staff), Action::Create, None));
        assert!(!can(Some(&staff), Action::Administer, None));
        let closed = scope(MissionState::Closed, None);
        assert!(can(Some(&staff), Action::View, Some(&closed)));
        assert!(!can(Some(&staff), Action::Edit, Some(&closed)), "closed missions are frozen");
    }

    #[test]
    fn team_members_work_only_on_their_own_missions_while_fieldwork_is_open() {
        let member = subject(Role::TeamMember, Some(ORG));
        let assigned = scope(MissionState::InProgress, Some(Capacity::Member));
        let not_assigned = scope(MissionState::InProgress, None);
        assert!(can(Some(&member), Action::View, Some(&assigned)));
        assert!(can(Some(&member), Action::RecordFieldwork, Some(&assigned)));
        assert!(!can(Some(&member), Action::View, Some(&not_assigned)), "same organisation is not enough");
        assert!(!can(Some(&member), Action::Edit, Some(&assigned)));
        assert!(!can(Some(&member), Action::Export, Some(&assigned)));
        assert!(!can(Some(&member), Action::Transition(MissionState::Drafting), Some(&assigned)));
        let concluded = scope(MissionState::Concluded, Some(Capacity::Member));
        assert!(!can(Some(&member), Action::RecordFieldwork, Some(&concluded)), "the result is frozen");
    }

    #[test]
    fn a_leader_runs_the_fieldwork_of_the_mission_they_lead() {
        let leader = subject(Role::TeamLeader, Some(OTHER_ORG));
        let leads = scope(MissionState::InProgress, Some(Capacity::Leader));
        assert!(can(Some(&leader), Action::Transition(MissionState::Drafting), Some(&leads)));
        assert!(can(Some(&leader), Action::RecordFieldwork, Some(&leads)));
        assert!(can(Some(&leader), Action::Export, Some(&leads)));
        let drafting = scope(MissionState::Drafting, Some(Capacity::Leader));
        assert!(!can(Some(&leader), Action::Transition(MissionState::Concluded), Some(&drafting)));
        let serves = scope(MissionState::InProgress, Some(Capacity::Member));
        assert!(!can(Some(&leader), Action::Transition(MissionState::Drafting), Some(&serves)));
        assert!(!can(Some(&leader), Action::View, Some(&scope(MissionState::InProgress, None))));
        assert!(!can(Some(&leader), Action::Create, None));
    }

    #[test]
    fn writers_and_viewers_read_their_organisations_missions() {
        let writer = subject(Role::Writer, Some(ORG));
        let viewer = subject(Role::Viewer, Some(ORG));
        let concluded = scope(MissionState::Concluded, None);
        assert!(can(Some(&writer), Action::View, Some(&concluded)));
        assert!(can(Some(&writer), Action::Export, Some(&concluded)));
        assert!(!can(Some(&writer), Action::Edit, Some(&concluded)));
        assert!(can(Some(&viewer), Action::View, Some(&concluded)));
        assert!(!can(Some(&viewer), Action::Export, Some(&concluded)));
        let elsewhere = MissionScope { owner_org_id: OTHER_ORG, ..concluded };
        assert!(!can(Some(&writer), Action::View, Some(&elsewhere)));
    }

    #[test]
    fn only_the_organisations_staff_and_administrators_manage_its_decisions() {
        assert!(can_manage(Some(&subject(Role::Staff, Some(ORG))), ORG));
        assert!(can_manage(Some(&subject(Role::Admin, None)), ORG));
        assert!(!can_manage(Some(&subject(Role::Staff, Some(OTHER_ORG))), ORG));
        assert!(!can_manage(Some(&subject(Role::TeamLeader, Some(ORG))), ORG));
        assert!(!can_manage(Some(&subject(Role::Writer, Some(ORG))), ORG));
        assert!(!can_manage(None, ORG));
    }

    #[test]
    fn lists_show_what_view_allows() {
        assert_eq!(visibility(None), Visibility::Nothing);
        assert_eq!(visibility(Some(&subject(Role::Admin, None))), Visibility::All);
        assert_eq!(visibility(Some(&subject(Role::Writer, Some(ORG)))), Visibility::Organisation(ORG));
        assert_eq!(visibility(Some(&subject(Role::TeamLeader, Some(ORG)))), Visibility::AssignedTo(1));
        assert_eq!(visibility(Some(&subject(Role::Viewer, None))), Visibility::Nothing);
    }

    #[test]
    fn nobody_but_administrators_administers() {
        for role in Role::ALL.iter().filter(|r| **r != Role::Admin) {
            assert!(!can(Some(&subject(*role, Some(ORG))), Action::Administer, None), "{role}");
        }
    }

    #[test]
    fn the_supervising_side_follows_up_everything_addressees_report_readers_read() {
        use crate::recommendation::RecStatus;
        const ADDRESSEE: i64 = 30;
        let concluded = scope(MissionState::Concluded, None);
        let addressed = [ADDRESSEE];
        let all_actions = || {
            [FollowUpAction::View, FollowUpAction::Report, FollowUpAction::Manage]
                .into_iter()
                .chain(RecStatus::ALL.iter().map(|s| FollowUpAction::SetStatus(*s)))
        };
        for supervisor in [subject(Role::Staff, Some(ORG)), subject(Role::Admin, None)] {
            for action in all_actions() {
                assert!(can_follow_up(Some(&supervisor), action, &concluded, &addressed), "{action:?}");
            }
        }
        let addressee = subject(Role::Staff, Some(ADDRESSEE));
        for action in all_actions() {
            let allowed = matches!(
                action,
                FollowUpAction::View
                    | FollowUpAction::Report
                    | FollowUpAction::SetStatus(RecStatus::Acknowledged | RecStatus::InProgress)
            );
            assert_eq!(can_follow_up(Some(&addressee), action, &concluded, &addressed), allowed, "{action:?}");
        }
        let viewer_of_addressee = subject(Role::Viewer, Some(ADDRESSEE));
        assert!(!can_follow_up(Some(&viewer_of_addressee), FollowUpAction::View, &concluded, &addressed));
        let writer = subject(Role::Writer, Some(ORG));
        let leader = subject(Role::TeamLeader, Some(ORG));
        let leads = scope(MissionState::Concluded, Some(Capacity::Leader));
        for (who, at) in [(&writer, &concluded), (&leader, &leads)] {
            assert!(can_follow_up(Some(who), FollowUpAction::View, at, &addressed));
            for action in all_actions().filter(|a| *a != FollowUpAction::View) {
                assert!(!can_follow_up(Some(who), action, at, &addressed), "{:?} {action:?}", who.role);
            }
        }
        let stranger = subject(Role::Staff, Some(OTHER_ORG));
        for action in all_actions() {
            assert!(!can_follow_up(Some(&stranger), action, &concluded, &addressed), "{action:?}");
            assert!(!can_follow_up(None, action, &concluded, &addressed), "{action:?}");
        }
    }

    #[test]
    fn ledger_lists_add_the_items_addressed_to_a_staff_members_organisation() {
        assert_eq!(addressee_org(Some(&subject(Role::Staff, Some(ORG)))), Some(ORG));
        assert_eq!(addressee_org(Some(&subject(Role::Viewer, Some(ORG)))), None);
        assert_eq!(addressee_org(Some(&subject(Role::Admin, None))), None);
        assert_eq!(addressee_org(None), None);
    }

    #[test]
    fn nothing_changes_in_the_ledger_of_a_closed_or_cancelled_mission() {
        let staff = subject(Role::Staff, Some(ORG));
        for state in [MissionState::Closed, MissionState::Cancelled] {
            let frozen = scope(state, None);
            assert!(can_follow_up(Some(&staff), FollowUpAction::View, &frozen, &[]));
            assert!(!can_follow_up(Some(&staff), FollowUpAction::Report, &frozen, &[]));
            assert!(!can_follow_up(Some(&staff), FollowUpAction::Manage, &frozen, &[]));
        }
    }
}
