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

/// Why a status change was refused.
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
