//! Missions: insert a whole mission, load one in a fixed number of queries, and move them through the workflow
//! under optimistic concurrency. Their list is `mission_lists`, their decisions' rows and reads `decisions`.

use chrono::{DateTime, Utc};
use giamsat_domain::interchange;
use giamsat_domain::mission::{Finding, Mission, Origin, Recommendation, Session, Target, Who};
use giamsat_domain::text::{fold, person_sort_key};
use giamsat_domain::workflow::{CancelReason, MissionState};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, NotSet, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::audit::{self, Actor, Change};
use crate::db::begin_write;
use crate::decisions::decision_id;
pub use crate::decisions::{DecisionChoice, StoredDecision, decision, decisions_of};
use crate::entities::{
    audit_events, decisions, finding_targets, findings, mission_members, missions, organisations, people, photos,
    position_assignments, recommendation_addressees, recommendation_raised_by, recommendations, sessions, targets,
};
use crate::mapping::{MissionRows, mission_from_rows};
pub use crate::mission_lists::{MissionSummary, list, other_teams};
use crate::rows::position;
use crate::{Db, StoreError, orgs};

/// A mission as stored: its id, the version a later write must name, and the mission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMission {
    pub id: i64,
    pub version: i32,
    pub mission: Mission,
    pub owner_org_id: i64,
    pub decision_id: Option<i64>,
    /// The administrative unit of each target (by index), when it names a known one.
    pub target_units: Vec<Option<i64>>,
    /// The row id of each recommendation (by index): its ledger page.
    pub recommendation_ids: Vec<i64>,
    /// The organisation each addressee of each recommendation names, when it names one (by index).
    pub addressee_orgs: Vec<Vec<Option<i64>>>,
}

/// Stores a new mission with its audit row, in one transaction: nothing is stored if anything fails. The owner
/// organisation is found (or created) from the mission's owner block.
///
/// # Errors
/// [`StoreError::Db`] on database failure (the transaction is rolled back).
pub async fn insert(db: &Db, mission: &Mission, actor: &Actor) -> Result<i64, StoreError> {
    insert_owned(db, mission, None, actor).await
}

/// Like [`insert`], but owned by the organisation `owner_org_id` when given: a staff member's import lands in
/// their own organisation, never in another that merely shares its name.
///
/// # Errors
/// [`StoreError::Db`] on database failure (the transaction is rolled back).
pub async fn insert_owned(
    db: &Db,
    mission: &Mission,
    owner_org_id: Option<i64>,
    actor: &Actor,
) -> Result<i64, StoreError> {
    let txn = begin_write(db).await?;
    let id = insert_in(&txn, mission, owner_org_id, actor.at).await?;
    audit::record(
        &txn,
        actor,
        Change {
            action: "mission.create",
            entity: "mission",
            entity_id: Some(id),
            mission_id: Some(id),
            before: None,
            after: Some(interchange::to_json(mission)),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}

/// The person row of each named member, created when new (one query to find, one insert per new name).
async fn person_ids(conn: &impl ConnectionTrait, mission: &Mission) -> Result<Vec<Option<i64>>, StoreError> {
    let names: Vec<&str> = mission
        .members
        .iter()
        .filter_map(|m| match &m.who {
            Who::Person { name, .. } => Some(name.as_str()),
            Who::Group { .. } => None,
        })
        .collect();
    let mut known: std::collections::HashMap<String, i64> = if names.is_empty() {
        std::collections::HashMap::new()
    } else {
        people::Entity::find()
            .filter(people::Column::FullName.is_in(names.iter().copied()))
            .all(conn)
            .await?
            .into_iter()
            .map(|p| (p.full_name, p.id))
            .collect()
    };
    let mut ids = Vec::with_capacity(mission.members.len());
    for member in &mission.members {
        let Who::Person { name, .. } = &member.who else {
            ids.push(None);
            continue;
        };
        let id = match known.get(name) {
            Some(id) => *id,
            None => {
                let id = people::Entity::insert(people::ActiveModel {
                    id: NotSet,
                    full_name: Set(name.clone()),
                    name_folded: Set(fold(name)),
                    sort_key: Set(person_sort_key(name)),
                })
                .exec(conn)
                .await?
                .last_insert_id;
                known.insert(name.clone(), id);
                id
            }
        };
        ids.push(Some(id));
    }
    Ok(ids)
}

/// The mission row's columns that a header edit changes, and the publication columns.
pub(crate) fn header_columns(mission: &Mission, decision_id: Option<i64>) -> missions::ActiveModel {
    let publication = mission.publication.clone().unwrap_or_default();
    missions::ActiveModel {
        system: Set(mission.system.code().to_owned()),
        form: Set(mission.form.code().to_owned()),
        basis: Set(mission.basis.clone()),
        decision_id: Set(decision_id),
        supervising_body: Set(mission.supervising_body.clone()),
        team_name: Set(mission.team.name.clone()),
        team_ordinal: Set(mission.team.ordinal.and_then(|o| i32::try_from(o).ok())),
        subject: Set(mission.subject.clone()),
        fieldwork_from: Set(mission.fieldwork.from()),
        fieldwork_to: Set(mission.fieldwork.to()),
        reference_from: Set(mission.reference_period.from()),
        reference_to: Set(mission.reference_period.to()),
        findings_none_recorded: Set(none_recorded_column(mission)),
        conclusion_preamble: Set(mission.conclusion_preamble.clone()),
        has_publication: Set(mission.publication.is_some()),
        pub_category: Set(publication.category),
        pub_published_at: Set(publication.published_at.map(|t| t.to_rfc3339())),
        pub_byline: Set(publication.byline),
        pub_source: Set(publication.source),
        ..Default::default()
    }
}

/// The new row of a mission.
pub(crate) fn mission_row(
    mission: &Mission,
    owner_org_id: i64,
    decision_id: Option<i64>,
    now: chrono::DateTime<Utc>,
) -> missions::ActiveModel {
    let mut row = header_columns(mission, decision_id);
    row.id = NotSet;
    row.version = Set(1);
    row.state = Set(mission.state.code().to_owned());
    row.owner_org_id = Set(owner_org_id);
    row.created_at = Set(now);
    row.updated_at = Set(now);
    row
}

pub(crate) fn none_recorded_column(mission: &Mission) -> String {
    mission.findings_none_recorded.iter().map(|k| k.code()).collect::<Vec<_>>().join(",")
}

pub(crate) async fn insert_in(
    conn: &impl ConnectionTrait,
    mission: &Mission,
    owner_org_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let owner_org_id = match owner_org_id {
        Some(id) => id,
        None => orgs::owner_id(conn, &mission.owner, mission.system, now).await?,
    };
    let decision_id = decision_id(conn, owner_org_id, mission, now).await?;
    let row = mission_row(mission, owner_org_id, decision_id, now);
    let mission_id = missions::Entity::insert(row).exec(conn).await?.last_insert_id;

    insert_members(conn, mission_id, mission).await?;
    let mut target_ids = Vec::with_capacity(mission.targets.len());
    for (i, target) in mission.targets.iter().enumerate() {
        target_ids.push(insert_target(conn, mission_id, i, target, mission_date(mission)).await?);
    }
    for (i, session) in mission.sessions.iter().enumerate() {
        insert_session(conn, mission_id, i, session, &target_ids).await?;
    }
    for (i, finding) in mission.findings.iter().enumerate() {
        insert_finding(conn, mission_id, i, finding, &target_ids, now).await?;
    }
    for (i, rec) in mission.recommendations.iter().enumerate() {
        insert_recommendation(conn, mission_id, i, rec, &target_ids).await?;
    }
    crate::search::index_mission(conn, mission_id, mission).await?;
    Ok(mission_id)
}

/// Writes the team list (and, for named members, the people directory and the positions they held).
pub(crate) async fn insert_members(
    conn: &impl ConnectionTrait,
    mission_id: i64,
    mission: &Mission,
) -> Result<(), StoreError> {
    let person_ids = person_ids(conn, mission).await?;
    let (positions, members) = member_rows(mission_id, mission, &person_ids);
    if !positions.is_empty() {
        position_assignments::Entity::insert_many(positions).exec_without_returning(conn).await?;
    }
    if !members.is_empty() {
        mission_members::Entity::insert_many(members).exec_without_returning(conn).await?;
    }
    Ok(())
}

/// The rows of the team list and of the positions its named members held (`person_ids` beside the members).
pub(crate) fn member_rows(
    mission_id: i64,
    mission: &Mission,
    person_ids: &[Option<i64>],
) -> (Vec<position_assignments::ActiveModel>, Vec<mission_members::ActiveModel>) {
    let mut positions = Vec::new();
    let mut members = Vec::with_capacity(mission.members.len());
    for (i, (member, person_id)) in mission.members.iter().zip(person_ids.iter().copied()).enumerate() {
        let (name, position_text, description) = match &member.who {
            Who::Person { name, position } => (Some(name.clone()), position.clone(), None),
            Who::Group { description } => (None, None, Some(description.clone())),
        };
        if let (Some(person_id), Some(title)) = (person_id, &position_text) {
            positions.push(position_assignments::ActiveModel {
                id: NotSet,
                person_id: Set(person_id),
                organisation_id: Set(None),
                title: Set(title.clone()),
                valid_from: Set(mission.fieldwork.from().or(mission.decision.issued_on)),
                valid_to: Set(None),
                source: Set(Some(format!("mission:{mission_id}"))),
            });
        }
        members.push(mission_members::ActiveModel {
            id: NotSet,
            mission_id: Set(mission_id),
            position: Set(position(i)),
            role: Set(member.role.code().to_owned()),
            person_id: Set(person_id),
            name: Set(name),
            position_text: Set(position_text),
            description: Set(description),
        });
    }
    (positions, members)
}

/// The date a mission's targets are looked up on: the start of fieldwork, else the decision's date.
pub(crate) fn mission_date(mission: &Mission) -> Option<chrono::NaiveDate> {
    mission.fieldwork.from().or(mission.decision.issued_on)
}

/// The administrative unit a target names, as it was on the mission date (wards, communes, special zones).
async fn unit_of_target(
    conn: &impl ConnectionTrait,
    target: &Target,
    on: Option<chrono::NaiveDate>,
) -> Result<Option<i64>, StoreError> {
    use giamsat_domain::codes::TargetKind;
    use giamsat_domain::org::UnitKind;
    let kind = match target.kind {
        TargetKind::Ward => UnitKind::Ward,
        TargetKind::Commune => UnitKind::Commune,
        TargetKind::SpecialZone => UnitKind::SpecialZone,
        _ => return Ok(None),
    };
    let Some(day) = on else {
        return Ok(None);
    };
    Ok(crate::units::on(conn, &target.name, kind, day).await?.map(|u| u.id))
}

pub(crate) async fn insert_target(
    conn: &impl ConnectionTrait,
    mission_id: i64,
    i: usize,
    target: &Target,
    on: Option<chrono::NaiveDate>,
) -> Result<i64, StoreError> {
    let admin_unit_id = unit_of_target(conn, target, on).await?;
    Ok(targets::Entity::insert(target_row(mission_id, i, target, admin_unit_id)).exec(conn).await?.last_insert_id)
}

pub(crate) fn target_row(
    mission_id: i64,
    i: usize,
    target: &Target,
    admin_unit_id: Option<i64>,
) -> targets::ActiveModel {
    targets::ActiveModel {
        id: NotSet,
        mission_id: Set(mission_id),
        position: Set(position(i)),
        kind: Set(target.kind.code().to_owned()),
        name: Set(target.name.clone()),
        name_folded: Set(fold(&target.name)),
        admin_unit_id: Set(admin_unit_id),
        organisation_id: Set(None),
    }
}

fn target_id(target_ids: &[i64], index: usize) -> Result<i64, StoreError> {
    target_ids.get(index).copied().ok_or_else(|| StoreError::corrupt("targets", 0, format!("no target at {index}")))
}

pub(crate) async fn insert_session(
    conn: &impl ConnectionTrait,
    mission_id: i64,
    i: usize,
    session: &Session,
    target_ids: &[i64],
) -> Result<i64, StoreError> {
    let session_id =
        sessions::Entity::insert(session_row(mission_id, i, session, target_ids)?).exec(conn).await?.last_insert_id;
    insert_photos(conn, mission_id, session_id, session).await?;
    Ok(session_id)
}

pub(crate) fn session_row(
    mission_id: i64,
    i: usize,
    session: &Session,
    target_ids: &[i64],
) -> Result<sessions::ActiveModel, StoreError> {
    Ok(sessions::ActiveModel {
        id: NotSet,
        mission_id: Set(mission_id),
        target_id: Set(target_id(target_ids, session.target)?),
        position: Set(position(i)),
        held_on: Set(session.date),
        modality: Set(session.modality.map(|m| m.code().to_owned())),
        minutes: Set(session.minutes.clone()),
    })
}

pub(crate) async fn insert_photos(
    conn: &impl ConnectionTrait,
    mission_id: i64,
    session_id: i64,
    session: &Session,
) -> Result<(), StoreError> {
    if !session.photos.is_empty() {
        photos::Entity::insert_many(photo_rows(mission_id, session_id, session)).exec(conn).await?;
    }
    Ok(())
}

pub(crate) fn photo_rows(mission_id: i64, session_id: i64, session: &Session) -> Vec<photos::ActiveModel> {
    session
        .photos
        .iter()
        .enumerate()
        .map(|(j, p)| photos::ActiveModel {
            id: NotSet,
            mission_id: Set(mission_id),
            session_id: Set(session_id),
            position: Set(position(j)),
            caption: Set(p.caption.clone()),
            file_key: Set(p.file.clone()),
            content_type: Set(None),
        })
        .collect()
}

pub(crate) async fn insert_finding(
    conn: &impl ConnectionTrait,
    mission_id: i64,
    i: usize,
    finding: &Finding,
    target_ids: &[i64],
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let finding_id =
        findings::Entity::insert(finding_row(mission_id, i, finding, now)).exec(conn).await?.last_insert_id;
    insert_finding_targets(conn, mission_id, finding_id, finding, target_ids).await?;
    Ok(finding_id)
}

pub(crate) fn finding_row(mission_id: i64, i: usize, finding: &Finding, now: DateTime<Utc>) -> findings::ActiveModel {
    findings::ActiveModel {
        id: NotSet,
        mission_id: Set(mission_id),
        position: Set(position(i)),
        kind: Set(finding.kind.code().to_owned()),
        text: Set(finding.text.clone()),
        created_at: Set(now),
    }
}

pub(crate) async fn insert_finding_targets(
    conn: &impl ConnectionTrait,
    mission_id: i64,
    finding_id: i64,
    finding: &Finding,
    target_ids: &[i64],
) -> Result<(), StoreError> {
    if finding.targets.is_empty() {
        return Ok(());
    }
    finding_targets::Entity::insert_many(finding_target_rows(mission_id, finding_id, finding, target_ids)?)
        .exec(conn)
        .await?;
    Ok(())
}

pub(crate) fn finding_target_rows(
    mission_id: i64,
    finding_id: i64,
    finding: &Finding,
    target_ids: &[i64],
) -> Result<Vec<finding_targets::ActiveModel>, StoreError> {
    finding
        .targets
        .iter()
        .map(|&t| {
            Ok(finding_targets::ActiveModel {
                id: NotSet,
                mission_id: Set(mission_id),
                finding_id: Set(finding_id),
                target_id: Set(target_id(target_ids, t)?),
            })
        })
        .collect()
}

pub(crate) async fn insert_recommendation(
    conn: &impl ConnectionTrait,
    mission_id: i64,
    i: usize,
    rec: &Recommendation,
    target_ids: &[i64],
) -> Result<i64, StoreError> {
    let rec_id =
        recommendations::Entity::insert(recommendation_row(mission_id, i, rec)).exec(conn).await?.last_insert_id;
    insert_recommendation_links(conn, mission_id, rec_id, rec, target_ids).await?;
    Ok(rec_id)
}

pub(crate) fn recommendation_row(mission_id: i64, i: usize, rec: &Recommendation) -> recommendations::ActiveModel {
    let issuer = match &rec.origin {
        Origin::Upward { .. } => None,
        Origin::Downward { issuer } => issuer.clone(),
    };
    recommendations::ActiveModel {
        id: NotSet,
        mission_id: Set(mission_id),
        position: Set(position(i)),
        direction: Set(rec.direction().code().to_owned()),
        issuer: Set(issuer),
        text: Set(rec.text.clone()),
        status: Set(rec.follow_up.status.code().to_owned()),
        owner: Set(rec.follow_up.owner.clone()),
        owner_user_id: Set(None),
        due_on: Set(rec.follow_up.due_on),
        original_due_on: Set(rec.follow_up.due_on),
        priority: Set(rec.follow_up.priority),
        version: Set(1),
    }
}

/// Addressees and the targets that raised an upward recommendation.
pub(crate) async fn insert_recommendation_links(
    conn: &impl ConnectionTrait,
    mission_id: i64,
    rec_id: i64,
    rec: &Recommendation,
    target_ids: &[i64],
) -> Result<(), StoreError> {
    // Addressees are linked to organisations by name (the ledger's rule); synthetic data skips that lookup.
    crate::addressees::insert(conn, mission_id, rec_id, &rec.addressees).await?;
    let (_, raised_by) = recommendation_link_rows(mission_id, rec_id, rec, target_ids)?;
    if !raised_by.is_empty() {
        recommendation_raised_by::Entity::insert_many(raised_by).exec(conn).await?;
    }
    Ok(())
}

/// The rows of a recommendation's addressees and of the targets that raised it.
pub(crate) fn recommendation_link_rows(
    mission_id: i64,
    rec_id: i64,
    rec: &Recommendation,
    target_ids: &[i64],
) -> Result<(Vec<recommendation_addressees::ActiveModel>, Vec<recommendation_raised_by::ActiveModel>), StoreError> {
    let addressees = rec
        .addressees
        .iter()
        .enumerate()
        .map(|(j, a)| recommendation_addressees::ActiveModel {
            id: NotSet,
            mission_id: Set(mission_id),
            recommendation_id: Set(rec_id),
            position: Set(position(j)),
            addressee: Set(a.clone()),
            organisation_id: Set(None),
        })
        .collect();
    let raised_by = match &rec.origin {
        Origin::Upward { raised_by } => raised_by
            .iter()
            .map(|&t| {
                Ok(recommendation_raised_by::ActiveModel {
                    id: NotSet,
                    mission_id: Set(mission_id),
                    recommendation_id: Set(rec_id),
                    target_id: Set(target_id(target_ids, t)?),
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?,
        Origin::Downward { .. } => Vec::new(),
    };
    Ok((addressees, raised_by))
}

/// Loads a whole mission in a fixed number of queries (13 at most), whatever its size.
///
/// # Errors
/// [`StoreError::NotFound`] if there is no such mission; [`StoreError::Corrupt`] if a row does not parse.
pub async fn load(conn: &impl ConnectionTrait, id: i64) -> Result<StoredMission, StoreError> {
    let (mission, decision) = missions::Entity::find_by_id(id)
        .find_also_related(decisions::Entity)
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound)?;
    // The owner and its parent in one statement.
    let parent_of_owner = Query::select()
        .column(organisations::Column::ParentId)
        .from(organisations::Entity)
        .and_where(organisations::Column::Id.eq(mission.owner_org_id))
        .to_owned();
    let orgs = organisations::Entity::find()
        .filter(
            Condition::any()
                .add(organisations::Column::Id.eq(mission.owner_org_id))
                .add(organisations::Column::Id.in_subquery(parent_of_owner)),
        )
        .all(conn)
        .await?;
    let owner = orgs
        .iter()
        .find(|o| o.id == mission.owner_org_id)
        .cloned()
        .ok_or_else(|| StoreError::corrupt("missions", id, "owner organisation missing"))?;
    let owner_parent = owner.parent_id.and_then(|parent| orgs.into_iter().find(|o| o.id == parent));
    macro_rules! children {
        ($entity:ident) => {
            $entity::Entity::find()
                .filter($entity::Column::MissionId.eq(id))
                .order_by_asc($entity::Column::Id)
                .all(conn)
                .await?
        };
        ($entity:ident, by_position) => {
            $entity::Entity::find()
                .filter($entity::Column::MissionId.eq(id))
                .order_by_asc($entity::Column::Position)
                .order_by_asc($entity::Column::Id)
                .all(conn)
                .await?
        };
    }
    let rows = MissionRows {
        members: children!(mission_members, by_position),
        targets: children!(targets, by_position),
        sessions: children!(sessions, by_position),
        photos: children!(photos, by_position),
        findings: children!(findings, by_position),
        finding_targets: children!(finding_targets),
        recommendations: children!(recommendations, by_position),
        addressees: children!(recommendation_addressees, by_position),
        raised_by: children!(recommendation_raised_by),
        owner,
        owner_parent,
        decision,
        mission,
    };
    let (version, owner_org_id, decision_id) =
        (rows.mission.version, rows.mission.owner_org_id, rows.mission.decision_id);
    let target_units = rows.targets.iter().map(|t| t.admin_unit_id).collect();
    let recommendation_ids: Vec<i64> = rows.recommendations.iter().map(|r| r.id).collect();
    let addressee_orgs = recommendation_ids
        .iter()
        .map(|r| rows.addressees.iter().filter(|a| a.recommendation_id == *r).map(|a| a.organisation_id).collect())
        .collect();
    Ok(StoredMission {
        id,
        version,
        mission: mission_from_rows(rows)?,
        owner_org_id,
        decision_id,
        target_units,
        recommendation_ids,
        addressee_orgs,
    })
}

/// Moves the mission from `expected_version` to the next, or reports the conflict if another write came first
/// (the check that makes every write of the aggregate optimistic).
///
/// # Errors
/// [`StoreError::Conflict`] when the mission is no longer at `expected_version`.
pub(crate) async fn bump_version(
    conn: &impl ConnectionTrait,
    id: i64,
    expected_version: i32,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let updated = missions::Entity::update_many()
        .col_expr(missions::Column::Version, Expr::value(expected_version + 1))
        .col_expr(missions::Column::UpdatedAt, Expr::value(now))
        .filter(missions::Column::Id.eq(id))
        .filter(missions::Column::Version.eq(expected_version))
        .exec(conn)
        .await?;
    if updated.rows_affected == 1 {
        Ok(())
    } else {
        Err(StoreError::Conflict { expected: expected_version, current: expected_version + 1 })
    }
}

/// Moves a mission to `to`, if it is still at `expected_version` and the workflow allows it.
///
/// # Errors
/// [`StoreError::Conflict`] if someone changed it meanwhile; [`StoreError::Workflow`] naming what is missing;
/// [`StoreError::NotFound`]. Nothing is written on error.
pub async fn transition(
    db: &Db,
    id: i64,
    expected_version: i32,
    to: MissionState,
    actor: &Actor,
) -> Result<StoredMission, StoreError> {
    step(db, id, expected_version, to, None, actor).await
}

/// The audit action that records why a mission was cancelled; its `after` holds the reason.
const CANCEL_REASON: &str = "mission.cancel_reason";

/// Cancels a mission for `reason`, recorded in the audit trail in the same transaction (and shown on its page,
/// see [`cancel_reason`]), if it is still at `expected_version` and the workflow allows it.
///
/// # Errors
/// As [`transition`]. Nothing is written on error.
pub async fn cancel(
    db: &Db,
    id: i64,
    expected_version: i32,
    reason: &CancelReason,
    actor: &Actor,
) -> Result<StoredMission, StoreError> {
    step(db, id, expected_version, MissionState::Cancelled, Some(reason), actor).await
}

/// Why mission `id` was cancelled, as recorded by [`cancel`] (the latest, should there be more).
///
/// # Errors
/// [`StoreError::Db`].
pub async fn cancel_reason(conn: &impl ConnectionTrait, id: i64) -> Result<Option<String>, StoreError> {
    let row = audit_events::Entity::find()
        .filter(audit_events::Column::MissionId.eq(id))
        .filter(audit_events::Column::Action.eq(CANCEL_REASON))
        .order_by_desc(audit_events::Column::Id)
        .one(conn)
        .await?;
    Ok(row.and_then(|r| r.after))
}

async fn step(
    db: &Db,
    id: i64,
    expected_version: i32,
    to: MissionState,
    reason: Option<&CancelReason>,
    actor: &Actor,
) -> Result<StoredMission, StoreError> {
    let txn = begin_write(db).await?;
    let mut stored = load(&txn, id).await?;
    if stored.version != expected_version {
        return Err(StoreError::Conflict { expected: expected_version, current: stored.version });
    }
    let from = stored.mission.state;
    stored.mission.transition(to)?;
    missions::Entity::update_many()
        .col_expr(missions::Column::State, Expr::value(to.code()))
        .filter(missions::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    bump_version(&txn, id, expected_version, actor.at).await?;
    audit::record(
        &txn,
        actor,
        Change {
            action: "mission.transition",
            entity: "mission",
            entity_id: Some(id),
            mission_id: Some(id),
            before: Some(from.code().to_owned()),
            after: Some(to.code().to_owned()),
        },
    )
    .await?;
    if let Some(reason) = reason {
        let change = Change {
            action: CANCEL_REASON,
            entity: "mission",
            entity_id: Some(id),
            mission_id: Some(id),
            before: None,
            after: Some(reason.as_str().to_owned()),
        };
        audit::record(&txn, actor, change).await?;
    }
    txn.commit().await?;
    stored.version = expected_version + 1;
    Ok(stored)
}

/// Changes a decision for every team it set up, if it is still at `expected_version`; every such mission is
/// re-indexed and audited, in one transaction.
///
/// # Errors
/// [`StoreError::Conflict`] if the decision changed meanwhile; [`StoreError::NotFound`].
pub async fn update_decision(
    db: &Db,
    id: i64,
    expected_version: i32,
    decision: &giamsat_domain::mission::Decision,
    actor: &Actor,
) -> Result<(), StoreError> {
    let txn = begin_write(db).await?;
    let current = crate::decisions::decision(&txn, id).await?;
    if current.version != expected_version {
        return Err(StoreError::Conflict { expected: expected_version, current: current.version });
    }
    let number = decision.number.as_ref();
    let updated = decisions::Entity::update_many()
        .col_expr(decisions::Column::NumberRaw, Expr::value(number.map(|n| n.raw().to_owned())))
        .col_expr(decisions::Column::DocSystem, Expr::value(number.map(|n| format!("{:?}", n.system()).to_lowercase())))
        .col_expr(
            decisions::Column::TypeCode,
            Expr::value(number.and_then(|n| n.type_code()).map(|c| c.as_str().to_owned())),
        )
        .col_expr(decisions::Column::Sequence, Expr::value(number.and_then(|n| i32::try_from(n.sequence()).ok())))
        .col_expr(decisions::Column::DocYear, Expr::value(number.and_then(|n| n.year())))
        .col_expr(decisions::Column::IssuerCode, Expr::value(number.map(|n| n.issuer().to_owned())))
        .col_expr(decisions::Column::IssuedOn, Expr::value(decision.issued_on))
        .col_expr(decisions::Column::Issuer, Expr::value(decision.issuer.clone()))
        .col_expr(decisions::Column::Summary, Expr::value(decision.summary.clone()))
        .col_expr(decisions::Column::Version, Expr::value(expected_version + 1))
        .filter(decisions::Column::Id.eq(id))
        .filter(decisions::Column::Version.eq(expected_version))
        .exec(&txn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(StoreError::Conflict { expected: expected_version, current: expected_version + 1 });
    }
    for mission_id in &current.missions {
        let stored = load(&txn, *mission_id).await?;
        crate::search::index_mission(&txn, *mission_id, &stored.mission).await?;
        audit::record(
            &txn,
            actor,
            Change {
                action: "decision.update",
                entity: "decision",
                entity_id: Some(id),
                mission_id: Some(*mission_id),
                before: Some(format!("{:?}", current.decision)),
                after: Some(interchange::to_json(&stored.mission)),
            },
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Rebuilds the search rows of every mission if the database holds an older form of them
/// ([`crate::search::INDEX_FORM`]), one mission per transaction, and then records the form; returns how many
/// missions were indexed again (0 when the index was current: one query). Rebuilding is idempotent, so two
/// instances opening one database at once, or a rebuild cut off and started again, leave the same index. A
/// mission that cannot be read is left as it was and logged; the others are rebuilt.
///
/// # Errors
/// [`StoreError::Db`].
pub async fn rebuild_search_index(db: &Db) -> Result<usize, StoreError> {
    let from = crate::search::stored_form(db).await?;
    if from >= crate::search::INDEX_FORM {
        return Ok(0);
    }
    let ids: Vec<i64> =
        missions::Entity::find().select_only().column(missions::Column::Id).into_tuple().all(db).await?;
    tracing::info!(missions = ids.len(), from, to = crate::search::INDEX_FORM, "rebuilding the search index");
    let mut rebuilt = 0;
    for id in ids {
        let txn = begin_write(db).await?;
        match load(&txn, id).await {
            Ok(stored) => {
                crate::search::index_mission(&txn, id, &stored.mission).await?;
                txn.commit().await?;
                rebuilt += 1;
            }
            Err(StoreError::Db(e)) => return Err(StoreError::Db(e)),
            Err(e) => tracing::warn!(mission = id, error = %e, "mission not indexed again: it cannot be read"),
        }
    }
    crate::search::record_current_form(db).await?;
    Ok(rebuilt)
}
