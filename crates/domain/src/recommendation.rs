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

/// Where an item stands on a given day: what the ledger's lists, charts and exports sort it into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Standing {
    /// Implemented, not implemented or superseded: no longer followed up.
    Settled,
    Open,
    /// Open past its due date.
    Overdue,
}

impl FollowUp {
    /// Where the item stands on `today` (a date in Asia/Ho_Chi_Minh).
    #[must_use]
    pub fn standing(&self, today: NaiveDate) -> Standing {
        if !self.status.is_open() {
            Standing::Settled
        } else if self.is_overdue(today) {
            Standing::Overdue
        } else {
            Standing::Open
        }
    }
}

coded_enum! {
    /// A field of a follow-up change, by the name the forms and the API give it.
    pub enum LedgerField {
        Status => "to",
        Note => "note",
        Confirmation => "confirmed",
        DueOn => "due_on",
        ApprovedBy => "approved_by",
        Reason => "reason",
        Addressees => "addressees",
    }
}

/// Why a change of the follow-up was refused; each belongs to one field ([`LedgerError::field`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LedgerError {
    NotAllowed {
        from: RecStatus,
        to: RecStatus,
    },
    /// Every status change carries a note.
    NoteRequired,
    /// A progress update says what was done.
    ProgressRequired,
    /// Closing as implemented needs the supervising side's confirmation of the addressee's report.
    ConfirmationRequired,
    /// A due date that was already set moves only with who approved it …
    ApproverRequired,
    /// … and why.
    ReasonRequired,
    /// The "new" due date is the current one.
    SameDueDate,
    /// A settled item (implemented, not implemented, superseded) keeps its due date.
    Settled,
    /// An item is addressed to at least one body.
    AddresseeRequired,
}

impl LedgerError {
    /// The field the problem is shown beside.
    #[must_use]
    pub const fn field(&self) -> LedgerField {
        match self {
            Self::NotAllowed { .. } => LedgerField::Status,
            Self::NoteRequired | Self::ProgressRequired => LedgerField::Note,
            Self::ConfirmationRequired => LedgerField::Confirmation,
            Self::ApproverRequired => LedgerField::ApprovedBy,
            Self::ReasonRequired => LedgerField::Reason,
            Self::SameDueDate | Self::Settled => LedgerField::DueOn,
            Self::AddresseeRequired => LedgerField::Addressees,
        }
    }
}

/// Every problem of one refused change (not just the first), each knowing its field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct InvalidChange {
    pub problems: Vec<LedgerError>,
}

impl InvalidChange {
    fn check(problems: Vec<LedgerError>) -> Result<(), InvalidChange> {
        if problems.is_empty() { Ok(()) } else { Err(InvalidChange { problems }) }
    }
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
    /// [`InvalidChange`] with every problem: the edge does not exist, the note is blank, `implemented` is not
    /// confirmed.
    pub fn change_status(&mut self, change: &StatusChange) -> Result<(), InvalidChange> {
        let mut problems = Vec::new();
        if !self.status.next_states().contains(&change.to) {
            problems.push(LedgerError::NotAllowed { from: self.status, to: change.to });
        }
        if change.note.trim().is_empty() {
            problems.push(LedgerError::NoteRequired);
        }
        if change.to == RecStatus::Implemented && !change.confirmed_by_supervisor {
            problems.push(LedgerError::ConfirmationRequired);
        }
        InvalidChange::check(problems)?;
        self.status = change.to;
        Ok(())
    }
}

/// Checks a progress update: it says what was done.
///
/// # Errors
/// [`LedgerError::ProgressRequired`] for a blank note.
pub fn check_progress(note: &str) -> Result<(), InvalidChange> {
    InvalidChange::check(if note.trim().is_empty() { vec![LedgerError::ProgressRequired] } else { Vec::new() })
}

/// Checks the bodies an item is addressed to: at least one, none blank.
///
/// # Errors
/// [`LedgerError::AddresseeRequired`] when no addressee is named.
pub fn check_addressees<S: AsRef<str>>(addressees: &[S]) -> Result<(), InvalidChange> {
    let named = !addressees.is_empty() && addressees.iter().all(|a| !a.as_ref().trim().is_empty());
    InvalidChange::check(if named { Vec::new() } else { vec![LedgerError::AddresseeRequired] })
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
    /// [`InvalidChange`]: [`LedgerError::Settled`] once the item is settled, [`LedgerError::SameDueDate`] when
    /// nothing moves, [`LedgerError::ApproverRequired`] and [`LedgerError::ReasonRequired`] when a set date
    /// moves without them.
    pub fn change_due(&mut self, change: &DueChange) -> Result<(), InvalidChange> {
        if !self.status.is_open() {
            return InvalidChange::check(vec![LedgerError::Settled]);
        }
        let mut problems = Vec::new();
        if change.to == self.due_on {
            problems.push(LedgerError::SameDueDate);
        }
        if self.due_on.is_some() {
            if change.approved_by.trim().is_empty() {
                problems.push(LedgerError::ApproverRequired);
            }
            if change.reason.trim().is_empty() {
                problems.push(LedgerError::ReasonRequired);
            }
        }
        InvalidChange::check(problems)?;
        self.due_on = change.to;
        Ok(())
    }
}

/// The original due date after `change`: the first date ever set stays the original; later changes never move
/// it (deferrals are measured against it).
#[must_use]
pub fn original_due(original: Option<NaiveDate>, change: &DueChange) -> Option<NaiveDate> {
    original.or(change.to)
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

    fn on_day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2021, m, d).expect("valid")
    }

    #[test]
    fn a_status_change_lists_every_problem_with_its_field() {
        let mut follow_up = FollowUp::default();
        let change = StatusChange { to: RecStatus::Implemented, note: " ".to_owned(), confirmed_by_supervisor: false };
        let problems = follow_up.change_status(&change).unwrap_err().problems;
        assert_eq!(
            problems,
            [
                LedgerError::NotAllowed { from: RecStatus::Issued, to: RecStatus::Implemented },
                LedgerError::NoteRequired,
                LedgerError::ConfirmationRequired,
            ]
        );
        let fields: Vec<_> = problems.iter().map(LedgerError::field).collect();
        assert_eq!(fields, [LedgerField::Status, LedgerField::Note, LedgerField::Confirmation]);
        assert_eq!(follow_up.status, RecStatus::Issued, "a refused change changes nothing");
        let ok =
            StatusChange { to: RecStatus::InProgress, note: "Đã giao".to_owned(), confirmed_by_supervisor: false };
        assert_eq!(follow_up.change_status(&ok), Ok(()));
        assert_eq!(follow_up.status, RecStatus::InProgress);
        let done = StatusChange { to: RecStatus::Implemented, note: "Xong".to_owned(), confirmed_by_supervisor: true };
        assert_eq!(follow_up.change_status(&done), Ok(()));
    }

    #[test]
    fn a_set_due_date_moves_only_with_approver_and_reason_and_the_first_stays_the_original() {
        let mut follow_up = FollowUp::default();
        let first = DueChange { to: Some(on_day(5, 15)), approved_by: String::new(), reason: String::new() };
        assert_eq!(follow_up.change_due(&first), Ok(()));
        assert_eq!(original_due(None, &first), Some(on_day(5, 15)));
        let later = DueChange { to: Some(on_day(6, 30)), approved_by: String::new(), reason: " ".to_owned() };
        assert_eq!(
            follow_up.change_due(&later).unwrap_err().problems,
            [LedgerError::ApproverRequired, LedgerError::ReasonRequired]
        );
        let same = DueChange { to: Some(on_day(5, 15)), approved_by: "TT".to_owned(), reason: "x".to_owned() };
        assert_eq!(follow_up.change_due(&same).unwrap_err().problems, [LedgerError::SameDueDate]);
        let approved = DueChange { to: Some(on_day(6, 30)), ..same };
        assert_eq!(follow_up.change_due(&approved), Ok(()));
        assert_eq!(follow_up.due_on, Some(on_day(6, 30)));
        assert_eq!(original_due(Some(on_day(5, 15)), &approved), Some(on_day(5, 15)));
        follow_up.status = RecStatus::Superseded;
        assert_eq!(follow_up.change_due(&first).unwrap_err().problems, [LedgerError::Settled]);
    }

    #[test]
    fn progress_needs_a_note_and_an_item_an_addressee() {
        assert_eq!(check_progress("Đã sửa"), Ok(()));
        assert_eq!(check_progress("  ").unwrap_err().problems, [LedgerError::ProgressRequired]);
        assert_eq!(check_addressees(&["Quận ủy"]), Ok(()));
        assert_eq!(check_addressees::<&str>(&[]).unwrap_err().problems, [LedgerError::AddresseeRequired]);
        assert_eq!(check_addressees(&["Quận ủy", " "]).unwrap_err().problems, [LedgerError::AddresseeRequired]);
    }

    #[test]
    fn items_stand_settled_open_or_overdue() {
        let mut follow_up = FollowUp { due_on: Some(on_day(5, 15)), ..FollowUp::default() };
        assert_eq!(follow_up.standing(on_day(5, 15)), Standing::Open);
        assert_eq!(follow_up.standing(on_day(5, 16)), Standing::Overdue);
        follow_up.status = RecStatus::Implemented;
        assert_eq!(follow_up.standing(on_day(5, 16)), Standing::Settled);
        assert_eq!(FollowUp::default().standing(on_day(5, 16)), Standing::Open);
    }

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

    fn refused(problem: LedgerError) -> Result<(), InvalidChange> {
        Err(InvalidChange { problems: vec![problem] })
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
                    assert_eq!(result, refused(LedgerError::NotAllowed { from: *from, to: *to }));
                    assert_eq!(follow_up.status, *from);
                }
            }
        }
    }

    #[test]
    fn a_status_change_needs_a_note() {
        let mut follow_up = FollowUp::default();
        let blank = StatusChange { note: "  ".to_owned(), ..change(RecStatus::Acknowledged) };
        assert_eq!(follow_up.change_status(&blank), refused(LedgerError::NoteRequired));
    }

    #[test]
    fn implemented_needs_the_supervising_sides_confirmation() {
        let mut follow_up = FollowUp { status: RecStatus::InProgress, ..FollowUp::default() };
        let unconfirmed = StatusChange { confirmed_by_supervisor: false, ..change(RecStatus::Implemented) };
        assert_eq!(follow_up.change_status(&unconfirmed), refused(LedgerError::ConfirmationRequired));
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
        assert_eq!(follow_up.change_due(&due(Some(day(20)), "", "dịch bệnh")), refused(LedgerError::ApproverRequired));
        assert_eq!(follow_up.change_due(&due(Some(day(20)), "Thường trực", " ")), refused(LedgerError::ReasonRequired));
        assert_eq!(follow_up.due_on, Some(day(10)), "a refused change moves nothing");
        assert_eq!(follow_up.change_due(&due(Some(day(20)), "Thường trực", "dịch bệnh")), Ok(()));
        assert_eq!(follow_up.due_on, Some(day(20)));
    }

    #[test]
    fn a_due_change_must_change_something_and_settled_items_keep_theirs() {
        let mut follow_up = FollowUp { due_on: Some(day(10)), ..FollowUp::default() };
        assert_eq!(follow_up.change_due(&due(Some(day(10)), "A", "B")), refused(LedgerError::SameDueDate));
        let mut settled = FollowUp { status: RecStatus::Implemented, ..follow_up.clone() };
        assert_eq!(settled.change_due(&due(Some(day(20)), "A", "B")), refused(LedgerError::Settled));
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
