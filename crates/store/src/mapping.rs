//! Rows → domain types. Every code and date read back is parsed again, so a corrupt row surfaces as
//! [`StoreError::Corrupt`] naming the table and id instead of being shown or exported.

use std::collections::HashMap;

use chrono::DateTime;
use giamsat_domain::codes::{
    Direction, FindingKind, MemberRole, SessionModality, SupervisionForm, SupervisionSystem, TargetKind,
};
use giamsat_domain::date::Period;
use giamsat_domain::docnum::DocumentNumber;
use giamsat_domain::mission::{
    Decision, Finding, Member, Mission, MissionParts, Origin, Owner, Photo, Publication, Recommendation, Session,
    Target, Team, Who,
};
use giamsat_domain::recommendation::{FollowUp, RecStatus};
use giamsat_domain::workflow::MissionState;

use crate::StoreError;
use crate::entities::{
    decisions, finding_targets, findings, mission_members, missions, organisations, photos, recommendation_addressees,
    recommendation_raised_by, recommendations, sessions, targets,
};

/// Every row of one mission, as loaded.
pub(crate) struct MissionRows {
    pub mission: missions::Model,
    pub owner: organisations::Model,
    pub owner_parent: Option<organisations::Model>,
    pub decision: Option<decisions::Model>,
    pub members: Vec<mission_members::Model>,
    pub targets: Vec<targets::Model>,
    pub sessions: Vec<sessions::Model>,
    pub photos: Vec<photos::Model>,
    pub findings: Vec<findings::Model>,
    pub finding_targets: Vec<finding_targets::Model>,
    pub recommendations: Vec<recommendations::Model>,
    pub addressees: Vec<recommendation_addressees::Model>,
    pub raised_by: Vec<recommendation_raised_by::Model>,
}

pub(crate) fn code<T>(
    table: &'static str,
    id: i64,
    value: &str,
    parse: fn(&str) -> Option<T>,
) -> Result<T, StoreError> {
    parse(value).ok_or_else(|| StoreError::corrupt(table, id, format!("unknown code {value:?}")))
}

/// Builds the domain mission from its rows (children sorted by `position`).
pub(crate) fn mission_from_rows(rows: MissionRows) -> Result<Mission, StoreError> {
    let m = &rows.mission;
    let id = m.id;
    let table = "missions";
    let target_index: HashMap<i64, usize> = rows.targets.iter().enumerate().map(|(i, t)| (t.id, i)).collect();
    let index_of = |table: &'static str, row: i64, target_id: i64| {
        target_index
            .get(&target_id)
            .copied()
            .ok_or_else(|| StoreError::corrupt(table, row, "target of another mission"))
    };

    let decision = match &rows.decision {
        None => Decision::default(),
        Some(d) => Decision {
            number: d
                .number_raw
                .as_deref()
                .map(DocumentNumber::parse)
                .transpose()
                .map_err(|e| StoreError::corrupt("decisions", d.id, e))?,
            issued_on: d.issued_on,
            issuer: d.issuer.clone(),
            summary: d.summary.clone(),
        },
    };

    let members = rows
        .members
        .iter()
        .map(|row| {
            let role = code("mission_members", row.id, &row.role, MemberRole::from_code)?;
            let who = match (&row.name, &row.description) {
                (Some(name), _) => Who::Person { name: name.clone(), position: row.position_text.clone() },
                (None, Some(description)) => Who::Group { description: description.clone() },
                (None, None) => {
                    return Err(StoreError::corrupt("mission_members", row.id, "neither name nor description"));
                }
            };
            Ok(Member { role, who })
        })
        .collect::<Result<Vec<_>, _>>()?;

    let target_list = rows
        .targets
        .iter()
        .map(|row| {
            Ok(Target { kind: code("targets", row.id, &row.kind, TargetKind::from_code)?, name: row.name.clone() })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;

    let mut photos_by_session: HashMap<i64, Vec<Photo>> = HashMap::new();
    for p in &rows.photos {
        photos_by_session
            .entry(p.session_id)
            .or_default()
            .push(Photo { caption: p.caption.clone(), file: p.file_key.clone() });
    }
    let session_list = rows
        .sessions
        .iter()
        .map(|row| {
            Ok(Session {
                target: index_of("sessions", row.id, row.target_id)?,
                date: row.held_on,
                modality: row
                    .modality
                    .as_deref()
                    .map(|c| code("sessions", row.id, c, SessionModality::from_code))
                    .transpose()?,
                minutes: row.minutes.clone(),
                photos: photos_by_session.remove(&row.id).unwrap_or_default(),
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;

    let mut targets_by_finding: HashMap<i64, Vec<usize>> = HashMap::new();
    for ft in &rows.finding_targets {
        targets_by_finding.entry(ft.finding_id).or_default().push(index_of("finding_targets", ft.id, ft.target_id)?);
    }
    let finding_list = rows
        .findings
        .iter()
        .map(|row| {
            Ok(Finding {
                kind: code("findings", row.id, &row.kind, FindingKind::from_code)?,
                targets: targets_by_finding.remove(&row.id).unwrap_or_default(),
                text: row.text.clone(),
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;

    let mut addressees: HashMap<i64, Vec<&recommendation_addressees::Model>> = HashMap::new();
    for a in &rows.addressees {
        addressees.entry(a.recommendation_id).or_default().push(a);
    }
    let mut raised: HashMap<i64, Vec<usize>> = HashMap::new();
    for r in &rows.raised_by {
        raised.entry(r.recommendation_id).or_default().push(index_of("recommendation_raised_by", r.id, r.target_id)?);
    }
    let recommendation_list = rows
        .recommendations
        .iter()
        .map(|row| {
            let origin = match code("recommendations", row.id, &row.direction, Direction::from_code)? {
                Direction::Upward => Origin::Upward { raised_by: raised.remove(&row.id).unwrap_or_default() },
                Direction::Downward => Origin::Downward { issuer: row.issuer.clone() },
            };
            let mut to = addressees.remove(&row.id).unwrap_or_default();
            to.sort_by_key(|a| a.position);
            Ok(Recommendation {
                origin,
                addressees: to.into_iter().map(|a| a.addressee.clone()).collect(),
                text: row.text.clone(),
                follow_up: FollowUp {
                    status: code("recommendations", row.id, &row.status, RecStatus::from_code)?,
                    owner: row.owner.clone(),
                    due_on: row.due_on,
                    priority: row.priority,
                },
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;

    let findings_none_recorded = m
        .findings_none_recorded
        .split(',')
        .filter(|c| !c.is_empty())
        .map(|c| code(table, id, c, FindingKind::from_code))
        .collect::<Result<Vec<_>, _>>()?;

    let publication = if m.has_publication {
        Some(Publication {
            category: m.pub_category.clone(),
            published_at: m
                .pub_published_at
                .as_deref()
                .map(DateTime::parse_from_rfc3339)
                .transpose()
                .map_err(|e| StoreError::corrupt(table, id, e))?,
            byline: m.pub_byline.clone(),
            source: m.pub_source.clone(),
        })
    } else {
        None
    };

    let period = |from, to| Period::new(from, to).map_err(|e| StoreError::corrupt(table, id, format!("{e:?}")));
    let parts = MissionParts {
        owner: Owner {
            name: rows.owner.name.clone(),
            short_name: rows.owner.short_name.clone().unwrap_or_default(),
            parent: rows.owner_parent.as_ref().map(|p| p.name.clone()),
            place: rows.owner.place.clone().unwrap_or_default(),
        },
        system: code(table, id, &m.system, SupervisionSystem::from_code)?,
        form: code(table, id, &m.form, SupervisionForm::from_code)?,
        basis: m.basis.clone(),
        decision,
        supervising_body: m.supervising_body.clone(),
        team: Team {
            name: m.team_name.clone(),
            ordinal: m
                .team_ordinal
                .map(|o| u32::try_from(o).map_err(|e| StoreError::corrupt(table, id, e)))
                .transpose()?,
        },
        subject: m.subject.clone(),
        fieldwork: period(m.fieldwork_from, m.fieldwork_to)?,
        reference_period: period(m.reference_from, m.reference_to)?,
        members,
        targets: target_list,
        sessions: session_list,
        findings: finding_list,
        findings_none_recorded,
        recommendations: recommendation_list,
        conclusion_preamble: m.conclusion_preamble.clone(),
        publication,
        state: code(table, id, &m.state, MissionState::from_code)?,
    };
    Mission::new(parts).map_err(|e| StoreError::corrupt(table, id, e))
}
