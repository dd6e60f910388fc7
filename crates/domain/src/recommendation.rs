//! Follow-up of recommendations (kiến nghị upward, đề nghị / kết luận downward). They outlive the mission: a
//! board may re-supervise in 2020 what it recommended in 2017.

use chrono::NaiveDate;

use crate::codes::coded_enum;

coded_enum! {
    /// Where a recommendation stands in its follow-up.
    pub enum RecStatus {
        Issued => "issued",
        Acknowledged => "acknowledged",
        InProgress => "in_progress",
        Implemented => "implemented",
        NotImplemented => "not_implemented",
        Superseded => "superseded",
        /// Signs of violation: handed to inspection (kiểm tra).
        EscalatedInspection => "escalated_inspection",
        /// To be checked again by a re-supervision (tái giám sát).
        EscalatedResupervision => "escalated_resupervision",
    }
}

impl RecStatus {
    /// Whether the item still needs following up.
    #[must_use]
    pub const fn is_open(self) -> bool {
        !matches!(self, Self::Implemented | Self::NotImplemented | Self::Superseded)
    }

    /// The statuses this one may move to.
    #[must_use]
    pub const fn next_states(self) -> &'static [RecStatus] {
        use RecStatus::{
            Acknowledged, EscalatedInspection, EscalatedResupervision, Implemented, InProgress, Issued, NotImplemented,
            Superseded,
        };
        match self {
            Issued => {
                &[Acknowledged, InProgress, NotImplemented, Superseded, EscalatedInspection, EscalatedResupervision]
            }
            Acknowledged => &[InProgress, NotImplemented, Superseded, EscalatedInspection, EscalatedResupervision],
            InProgress => &[Implemented, NotImplemented, Superseded, EscalatedInspection, EscalatedResupervision],
            EscalatedInspection | EscalatedResupervision => &[InProgress, Implemented, NotImplemented, Superseded],
            Implemented | NotImplemented | Superseded => &[],
        }
    }
}

/// The follow-up data carried by a recommendation. History (who, when, what) is kept as append-only entries
/// by the store; this is the current state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    pub status: RecStatus,
    /// Who follows it up (a person or a unit, as written).
    pub owner: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub priority: bool,
}

impl Default for FollowUp {
    fn default() -> Self {
        Self { status: RecStatus::Issued, owner: None, due_on: None, priority: false }
    }
}

impl FollowUp {
    /// Overdue on `today` (a date in Asia/Ho_Chi_Minh): open, with a due date strictly before today.
    #[must_use]
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status.is_open() && self.due_on.is_some_and(|due| due < today)
    }
}

/// Why a change of the follow-up was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LedgerError {
    NotAllowed {
        from: RecStatus,
        to: RecStatus,
    },
    /// Every status change carries a note.
    NoteRequired,
    /// Closing as implemented needs the supervising side's confirmation of the addressee's report.
    ConfirmationRequired,
    /// A due date that was already set moves only with who approved it and why.
    ApprovalRequired,
    /// The "new" due date is the current one.
    SameDueDate,
    /// A settled item (implemented, not implemented, superseded) keeps its due date.
    Settled,
}

/// A requested status change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    pub to: RecStatus,
    pub note: String,
    /// The supervising side confirms the addressee's report (needed for `implemented`).
    pub confirmed_by_supervisor: bool,
}

impl FollowUp {
    /// Applies a status change.
    ///
    /// # Errors
    /// [`LedgerError`] when the edge does not exist, the note is blank, or `implemented` is not confirmed.
    pub fn change_status(&mut self, change: &StatusChange) -> Result<(), LedgerError> {
        if !self.status.next_states().contains(&change.to) {
            return Err(LedgerError::NotAllowed { from: self.status, to: change.to });
        }
        if change.note.trim().is_empty() {
            return Err(LedgerError::NoteRequired);
        }
        if change.to == RecStatus::Implemented && !change.confirmed_by_supervisor {
            return Err(LedgerError::ConfirmationRequired);
        }
        self.status = change.to;
        Ok(())
    }
}

/// A requested change of the due date (gia hạn, lùi hạn). Setting the first due date needs no approval; moving
/// one that is set needs who approved it (`approved_by`) and why (`reason`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueChange {
    pub to: Option<NaiveDate>,
    pub approved_by: String,
    pub reason: String,
}

impl FollowUp {
    /// Moves the due date.
    ///
    /// # Errors
    /// [`LedgerError::Settled`] once the item is settled, [`LedgerError::SameDueDate`] when nothing moves,
    /// [`LedgerError::ApprovalRequired`] when a set date moves without approver and reason.
    pub fn change_due(&mut self, change: &DueChange) -> Result<(), LedgerError> {
        if !self.status.is_open() {
            return Err(LedgerError::Settled);
        }
        if change.to == self.due_on {
            return Err(LedgerError::SameDueDate);
        }
        if self.due_on.is_some() && (change.approved_by.trim().is_empty() || change.reason.trim().is_empty()) {
            return Err(LedgerError::ApprovalRequired);
        }
        self.due_on = change.to;
        Ok(())
    }
}

/// How many times a due date was pushed back, from the log of its changes `(from, to)`: a change counts when it
/// moves a set date later (or removes it); setting the first date or bringing one forward does not.
#[must_use]
pub fn deferrals(changes: &[(Option<NaiveDate>, Option<NaiveDate>)]) -> usize {
    changes
        .iter()
        .filter(|(from, to)| match (from, to) {
            (Some(from), Some(to)) => to > from,
            (Some(_), None) => true,
            (None, _) => false,
        })
        .count()
}

coded_enum! {
    /// How one recommendation points to what came after or before it.
    pub enum LinkKind {
        /// It repeats an earlier recommendation of the same unit ("lặp lại từ").
        Repeats => "repeats",
        /// A later mission checked it again ("được kiểm tra lại bởi").
        ResupervisedBy => "resupervised_by",
    }
}

/// A recommendation as linking sees it: its mission, the day that mission went to the field (when known) and
/// the administrative units its mission supervised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkEnd {
    pub id: i64,
    pub mission_id: i64,
    pub on: Option<NaiveDate>,
    pub units: Vec<i64>,
}

impl LinkEnd {
    /// Whether this item's mission came before `other`'s: by the start of fieldwork, else (a date missing, or two
    /// missions starting the same day) by the order the missions were entered.
    #[must_use]
    pub fn is_before(&self, other: &LinkEnd) -> bool {
        if self.mission_id == other.mission_id {
            return false;
        }
        match (self.on, other.on) {
            (Some(a), Some(b)) if a != b => a < b,
            _ => self.mission_id < other.mission_id,
        }
    }
}

/// Why a link between recommendations was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    /// An item cannot repeat itself.
    Itself,
    /// Both items come from the same mission.
    SameMission,
    /// The other item's mission is not earlier than this one's.
    NotEarlier,
    /// The two missions supervised no unit in common.
    OtherUnit,
    /// The link is already recorded.
    AlreadyLinked,
    /// The earlier item already repeats this one, directly or through others.
    Cycle,
    /// An item's own mission is not its re-supervision.
    OwnMission,
    /// The re-supervision started before the item's mission.
    MissionNotLater,
}

/// Checks that `item` may be recorded as repeating `earlier`, given the repeat links recorded so far as
/// `(later, earlier)` pairs.
///
/// # Errors
/// The first [`LinkError`] that applies.
pub fn check_repeat(item: &LinkEnd, earlier: &LinkEnd, repeats: &[(i64, i64)]) -> Result<(), LinkError> {
    if item.id == earlier.id {
        return Err(LinkError::Itself);
    }
    if item.mission_id == earlier.mission_id {
        return Err(LinkError::SameMission);
    }
    if !earlier.is_before(item) {
        return Err(LinkError::NotEarlier);
    }
    if !item.units.iter().any(|u| earlier.units.contains(u)) {
        return Err(LinkError::OtherUnit);
    }
    if repeats.contains(&(item.id, earlier.id)) {
        return Err(LinkError::AlreadyLinked);
    }
    // Walk back from the earlier item: reaching this one means the new link would close a loop.
    let mut seen = vec![earlier.id];
    let mut next = vec![earlier.id];
    while let Some(at) = next.pop() {
        for (_, back) in repeats.iter().filter(|(later, _)| *later == at) {
            if *back == item.id {
                return Err(LinkError::Cycle);
            }
            if !seen.contains(back) {
                seen.push(*back);
                next.push(*back);
            }
        }
    }
    Ok(())
}

/// Checks that `item` may be recorded as checked again by the mission `mission` (its id and start of
/// fieldwork), given the missions already recorded for it.
///
/// # Errors
/// [`LinkError::OwnMission`], [`LinkError::MissionNotLater`], [`LinkError::AlreadyLinked`].
pub fn check_resupervision(
    item: &LinkEnd,
    mission: (i64, Option<NaiveDate>),
    recorded: &[i64],
) -> Result<(), LinkError> {
    let (mission_id, on) = mission;
    if mission_id == item.mission_id {
        return Err(LinkError::OwnMission);
    }
    let resupervision = LinkEnd { id: 0, mission_id, on, units: Vec::new() };
    if !item.is_before(&resupervision) {
        return Err(LinkError::MissionNotLater);
    }
    if recorded.contains(&mission_id) {
        return Err(LinkError::AlreadyLinked);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn end(id: i64, mission_id: i64, on: Option<u32>, units: &[i64]) -> LinkEnd {
        LinkEnd {
            id,
            mission_id,
            on: on.map(|m| NaiveDate::from_ymd_opt(2020 + i32::try_from(m).expect("small"), 1, 1).expect("valid")),
            units: units.to_vec(),
        }
    }

    #[test]
    fn an_item_repeats_an_earlier_one_of_the_same_unit() {
        let item = end(10, 2, Some(3), &[7, 8]);
        assert_eq!(check_repeat(&item, &end(1, 1, Some(1), &[8]), &[]), Ok(()));
        assert_eq!(check_repeat(&item, &item, &[]), Err(LinkError::Itself));
        assert_eq!(check_repeat(&item, &end(11, 2, Some(3), &[7]), &[]), Err(LinkError::SameMission));
        assert_eq!(check_repeat(&item, &end(20, 3, Some(5), &[7]), &[]), Err(LinkError::NotEarlier));
        assert_eq!(check_repeat(&item, &end(1, 1, Some(1), &[9]), &[]), Err(LinkError::OtherUnit));
        assert_eq!(check_repeat(&item, &end(1, 1, Some(1), &[8]), &[(10, 1)]), Err(LinkError::AlreadyLinked));
    }

    #[test]
    fn without_dates_the_mission_entered_first_is_the_earlier() {
        let item = end(10, 2, None, &[7]);
        assert_eq!(check_repeat(&item, &end(1, 1, Some(4), &[7]), &[]), Ok(()));
        assert_eq!(check_repeat(&item, &end(30, 3, None, &[7]), &[]), Err(LinkError::NotEarlier));
        let same_day = end(10, 2, Some(1), &[7]);
        assert_eq!(check_repeat(&same_day, &end(1, 1, Some(1), &[7]), &[]), Ok(()));
        assert_eq!(check_repeat(&end(1, 1, Some(1), &[7]), &same_day, &[]), Err(LinkError::NotEarlier));
    }

    #[test]
    fn a_link_that_closes_a_loop_is_refused() {
        // Dates missing on one side let the order of entry decide, which can disagree with the dates elsewhere.
        let item = end(10, 2, None, &[7]);
        let earlier = end(1, 1, None, &[7]);
        assert_eq!(check_repeat(&item, &earlier, &[(1, 5), (5, 10)]), Err(LinkError::Cycle));
        assert_eq!(check_repeat(&item, &earlier, &[(1, 5), (5, 6)]), Ok(()));
    }

    #[test]
    fn a_resupervision_is_another_later_mission_recorded_once() {
        let item = end(10, 2, Some(3), &[7]);
        let on = |m: i32| NaiveDate::from_ymd_opt(2020 + m, 1, 1);
        assert_eq!(check_resupervision(&item, (5, on(5)), &[]), Ok(()));
        assert_eq!(check_resupervision(&item, (2, on(3)), &[]), Err(LinkError::OwnMission));
        assert_eq!(check_resupervision(&item, (1, on(1)), &[]), Err(LinkError::MissionNotLater));
        assert_eq!(check_resupervision(&item, (5, on(5)), &[5]), Err(LinkError::AlreadyLinked));
    }

    fn change(to: RecStatus) -> StatusChange {
        StatusChange { to, note: "đã báo cáo".to_owned(), confirmed_by_supervisor: true }
    }

    #[test]
    fn every_edge_is_allowed_and_every_other_refused() {
        for from in RecStatus::ALL {
            for to in RecStatus::ALL {
                let mut follow_up = FollowUp { status: *from, ..FollowUp::default() };
                let result = follow_up.change_status(&change(*to));
                if from.next_states().contains(to) {
                    assert_eq!(result, Ok(()), "{from} → {to}");
                    assert_eq!(follow_up.status, *to);
                } else {
                    assert_eq!(result, Err(LedgerError::NotAllowed { from: *from, to: *to }));
                    assert_eq!(follow_up.status, *from);
                }
            }
        }
    }

    #[test]
    fn a_status_change_needs_a_note() {
        let mut follow_up = FollowUp::default();
        let blank = StatusChange { note: "  ".to_owned(), ..change(RecStatus::Acknowledged) };
        assert_eq!(follow_up.change_status(&blank), Err(LedgerError::NoteRequired));
    }

    #[test]
    fn implemented_needs_the_supervising_sides_confirmation() {
        let mut follow_up = FollowUp { status: RecStatus::InProgress, ..FollowUp::default() };
        let unconfirmed = StatusChange { confirmed_by_supervisor: false, ..change(RecStatus::Implemented) };
        assert_eq!(follow_up.change_status(&unconfirmed), Err(LedgerError::ConfirmationRequired));
        assert_eq!(follow_up.change_status(&change(RecStatus::Implemented)), Ok(()));
    }

    #[test]
    fn overdue_means_open_and_due_before_today() {
        let day = |d| NaiveDate::from_ymd_opt(2021, 4, d).expect("valid");
        let open = FollowUp { due_on: Some(day(10)), ..FollowUp::default() };
        assert!(!open.is_overdue(day(10)), "due today is not yet overdue");
        assert!(open.is_overdue(day(11)));
        let done = FollowUp { status: RecStatus::Implemented, ..open };
        assert!(!done.is_overdue(day(11)));
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2021, 4, d).expect("valid")
    }

    fn due(to: Option<NaiveDate>, approved_by: &str, reason: &str) -> DueChange {
        DueChange { to, approved_by: approved_by.to_owned(), reason: reason.to_owned() }
    }

    #[test]
    fn the_first_due_date_needs_no_approval() {
        let mut follow_up = FollowUp::default();
        assert_eq!(follow_up.change_due(&due(Some(day(30)), "", "")), Ok(()));
        assert_eq!(follow_up.due_on, Some(day(30)));
    }

    #[test]
    fn moving_a_set_due_date_needs_who_approved_it_and_why() {
        let mut follow_up = FollowUp { due_on: Some(day(10)), ..FollowUp::default() };
        assert_eq!(follow_up.change_due(&due(Some(day(20)), "", "dịch bệnh")), Err(LedgerError::ApprovalRequired));
        assert_eq!(follow_up.change_due(&due(Some(day(20)), "Thường trực", " ")), Err(LedgerError::ApprovalRequired));
        assert_eq!(follow_up.due_on, Some(day(10)), "a refused change moves nothing");
        assert_eq!(follow_up.change_due(&due(Some(day(20)), "Thường trực", "dịch bệnh")), Ok(()));
        assert_eq!(follow_up.due_on, Some(day(20)));
    }

    #[test]
    fn a_due_change_must_change_something_and_settled_items_keep_theirs() {
        let mut follow_up = FollowUp { due_on: Some(day(10)), ..FollowUp::default() };
        assert_eq!(follow_up.change_due(&due(Some(day(10)), "A", "B")), Err(LedgerError::SameDueDate));
        let mut settled = FollowUp { status: RecStatus::Implemented, ..follow_up.clone() };
        assert_eq!(settled.change_due(&due(Some(day(20)), "A", "B")), Err(LedgerError::Settled));
    }

    #[test]
    fn deferrals_count_only_dates_pushed_back() {
        let log = [
            (None, Some(day(10))),
            (Some(day(10)), Some(day(20))),
            (Some(day(20)), Some(day(15))),
            (Some(day(15)), Some(day(25))),
            (Some(day(25)), None),
        ];
        assert_eq!(deferrals(&log), 3);
        assert_eq!(deferrals(&[]), 0);
    }

    #[test]
    fn statuses_are_open_until_settled() {
        for status in RecStatus::ALL {
            let settled = matches!(status, RecStatus::Implemented | RecStatus::NotImplemented | RecStatus::Superseded);
            assert_eq!(status.is_open(), !settled, "{status}");
            assert_eq!(status.next_states().is_empty(), settled, "{status}");
        }
    }
}
