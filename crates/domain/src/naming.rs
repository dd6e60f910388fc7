//! The one name a mission goes by wherever it is listed (lists, ledger, charts, exports, search results,
//! calendar, e-mails): the team as written, then its decision number and year —
//! "Đoàn Giám sát số 5 — 109-QĐ/QU, 2021". Never an internal id.

use chrono::{Datelike, NaiveDate};

use crate::docnum::DocumentNumber;
use crate::messages::naming as wording;
use crate::mission::MissionParts;

/// What a mission's name is made of; every part but the supervising body may be missing.
#[derive(Debug, Clone, Copy)]
pub struct NameParts<'a> {
    pub team_name: Option<&'a str>,
    pub supervising_body: &'a str,
    pub decision_number: Option<&'a DocumentNumber>,
    pub decision_date: Option<NaiveDate>,
    /// The first day of fieldwork, the year's last resort when the decision is unknown.
    pub fieldwork_from: Option<NaiveDate>,
}

/// "Đoàn Giám sát số 5 — 109-QĐ/QU, 2021". Without a team name the supervising body itself is named (a council
/// board supervises as a board); a mission with no body either is "Đoàn giám sát". The year is the decision's
/// (its date, else the year its number carries), else the year fieldwork starts; parts unknown are left out.
#[must_use]
pub fn mission_name(parts: NameParts<'_>) -> String {
    let lead = [parts.team_name, Some(parts.supervising_body)]
        .into_iter()
        .flatten()
        .map(str::trim)
        .find(|s| !s.is_empty())
        .unwrap_or(wording::UNNAMED_TEAM);
    let number = parts.decision_number.map(DocumentNumber::to_string);
    let year = parts
        .decision_date
        .map(|d| d.year())
        .or_else(|| parts.decision_number.and_then(DocumentNumber::year))
        .or_else(|| parts.fieldwork_from.map(|d| d.year()));
    match (number, year) {
        (Some(number), Some(year)) => format!("{lead}{}{number}, {year}", wording::SEPARATOR),
        (Some(number), None) => format!("{lead}{}{number}", wording::SEPARATOR),
        (None, Some(year)) => format!("{lead}{}{year}", wording::SEPARATOR),
        (None, None) => lead.to_owned(),
    }
}

impl<'a> NameParts<'a> {
    /// The parts of a whole mission.
    #[must_use]
    pub fn of(mission: &'a MissionParts) -> NameParts<'a> {
        NameParts {
            team_name: mission.team.name.as_deref(),
            supervising_body: &mission.supervising_body,
            decision_number: mission.decision.number.as_ref(),
            decision_date: mission.decision.issued_on,
            fieldwork_from: mission.fieldwork.from(),
        }
    }
}

/// The name of a whole mission: [`mission_name`] of its [`NameParts::of`].
#[must_use]
pub fn name_of(mission: &MissionParts) -> String {
    mission_name(NameParts::of(mission))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn the_seed_is_named_by_team_decision_and_year() {
        let number = DocumentNumber::parse("109-QĐ/QU").unwrap();
        let parts = NameParts {
            team_name: Some("Đoàn Giám sát số 5"),
            supervising_body: "Quận ủy Hoàn Kiếm",
            decision_number: Some(&number),
            decision_date: date(2021, 3, 9),
            fieldwork_from: date(2021, 3, 23),
        };
        assert_eq!(mission_name(parts), "Đoàn Giám sát số 5 — 109-QĐ/QU, 2021");
    }

    #[test]
    fn missing_parts_are_left_out_and_the_body_stands_for_a_missing_team() {
        let base = NameParts {
            team_name: None,
            supervising_body: "Ban Pháp chế HĐND tỉnh",
            decision_number: None,
            decision_date: None,
            fieldwork_from: None,
        };
        assert_eq!(mission_name(base), "Ban Pháp chế HĐND tỉnh");
        assert_eq!(
            mission_name(NameParts { fieldwork_from: date(2025, 10, 1), ..base }),
            "Ban Pháp chế HĐND tỉnh — 2025"
        );
        let number = DocumentNumber::parse("45/QĐ-HĐND").unwrap();
        assert_eq!(
            mission_name(NameParts { decision_number: Some(&number), ..base }),
            "Ban Pháp chế HĐND tỉnh — 45/QĐ-HĐND"
        );
        let dated = DocumentNumber::parse("24/2016/NQ-HĐND").unwrap();
        assert_eq!(
            mission_name(NameParts { decision_number: Some(&dated), team_name: Some("  "), ..base }),
            "Ban Pháp chế HĐND tỉnh — 24/2016/NQ-HĐND, 2016"
        );
        assert_eq!(mission_name(NameParts { supervising_body: " ", ..base }), "Đoàn giám sát");
    }
}
