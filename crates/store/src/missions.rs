//! Missions: insert a whole mission, load one in a fixed number of queries, list them by keyset, and move
//! them through the workflow under optimistic concurrency.

use chrono::Utc;
use giamsat_domain::interchange;
use giamsat_domain::mission::{Mission, Origin, Who};
use giamsat_domain::policy::Visibility;
use giamsat_domain::text::{fold, person_sort_key};
use giamsat_domain::workflow::MissionState;
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, NotSet, QueryFilter, QueryOrder, QuerySelect,
};

use crate::audit::{self, Actor, Change};
use crate::db::begin_write;
use crate::entities::{
    decisions, finding_targets, findings, mission_assignments, mission_members, missions, organisations, people,
    photos, position_assignments, recommendation_addressees, recommendation_raised_by, recommendations, sessions,
    targets,
};
use crate::mapping::{MissionRows, mission_from_rows};
use crate::{Db, StoreError, orgs};

/// A mission as stored: its id, the version a later write must name, and the mission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMission {
    pub id: i64,
    pub version: i32,
    pub mission: Mission,
}

fn position(i: usize) -> i32 {
    i32::try_from(i).unwrap_or(i32::MAX)
}

/// Stores a new mission with its audit row, in one transaction: nothing is stored if anything fails.
///
/// # Errors
/// [`StoreError::Db`] on database failure (the transaction is rolled back).
pub async fn insert(db: &Db, mission: &Mission, actor: &Actor) -> Result<i64, StoreError> {
    let txn = begin_write(db).await?;
    let id = insert_in(&txn, mission).await?;
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

async fn decision_id(
    conn: &impl ConnectionTrait,
    owner_org_id: i64,
    mission: &Mission,
) -> Result<Option<i64>, StoreError> {
    let d = &mission.decision;
    let Some(number) = &d.number else {
        return Ok(None);
    };
    // One decision sets up several teams: reuse the row when owner, number, date, issuer and summary agree.
    let existing = decisions::Entity::find()
        .filter(decisions::Column::OwnerOrgId.eq(owner_org_id))
        .filter(decisions::Column::NumberRaw.eq(number.raw()))
        .all(conn)
        .await?
        .into_iter()
        .find(|row| row.issued_on == d.issued_on && row.issuer == d.issuer && row.summary == d.summary);
    if let Some(row) = existing {
        return Ok(Some(row.id));
    }
    let inserted = decisions::Entity::insert(decisions::ActiveModel {
        id: NotSet,
        owner_org_id: Set(owner_org_id),
        number_raw: Set(Some(number.raw().to_owned())),
        doc_system: Set(Some(format!("{:?}", number.system()).to_lowercase())),
        type_code: Set(number.type_code().map(|c| c.as_str().to_owned())),
        sequence: Set(i32::try_from(number.sequence()).ok()),
        doc_year: Set(number.year()),
        issuer_code: Set(Some(number.issuer().to_owned())),
        issued_on: Set(d.issued_on),
        issuer: Set(d.issuer.clone()),
        summary: Set(d.summary.clone()),
        version: Set(1),
        created_at: Set(Utc::now()),
    })
    .exec(conn)
    .await?;
    Ok(Some(inserted.last_insert_id))
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

pub(crate) async fn insert_in(conn: &impl ConnectionTrait, mission: &Mission) -> Result<i64, StoreError> {
    let now = Utc::now();
    let owner_org_id = orgs::owner_id(conn, &mission.owner, mission.system).await?;
    let decision_id = decision_id(conn, owner_org_id, mission).await?;
    let publication = mission.publication.clone().unwrap_or_default();
    let mission_id = missions::Entity::insert(missions::ActiveModel {
        id: NotSet,
        version: Set(1),
        state: Set(mission.state.code().to_owned()),
        owner_org_id: Set(owner_org_id),
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
        findings_none_recorded: Set(mission
            .findings_none_recorded
            .iter()
            .map(|k| k.code())
            .collect::<Vec<_>>()
            .join(",")),
        conclusion_preamble: Set(mission.conclusion_preamble.clone()),
        has_publication: Set(mission.publication.is_some()),
        pub_category: Set(publication.category),
        pub_published_at: Set(publication.published_at.map(|t| t.to_rfc3339())),
        pub_byline: Set(publication.byline),
        pub_source: Set(publication.source),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .exec(conn)
    .await?
    .last_insert_id;

    let person_ids = person_ids(conn, mission).await?;
    for (i, (member, person_id)) in mission.members.iter().zip(person_ids).enumerate() {
        let (name, position_text, description) = match &member.who {
            Who::Person { name, position } => (Some(name.clone()), position.clone(), None),
            Who::Group { description } => (None, None, Some(description.clone())),
        };
        if let (Some(person_id), Some(title)) = (person_id, &position_text) {
            position_assignments::Entity::insert(position_assignments::ActiveModel {
                id: NotSet,
                person_id: Set(person_id),
                organisation_id: Set(None),
                title: Set(title.clone()),
                valid_from: Set(mission.fieldwork.from().or(mission.decision.issued_on)),
                valid_to: Set(None),
                source: Set(Some(format!("mission:{mission_id}"))),
            })
            .exec(conn)
            .await?;
        }
        mission_members::Entity::insert(mission_members::ActiveModel {
            id: NotSet,
            mission_id: Set(mission_id),
            position: Set(position(i)),
            role: Set(member.role.code().to_owned()),
            person_id: Set(person_id),
            name: Set(name),
            position_text: Set(position_text),
            description: Set(description),
        })
        .exec(conn)
        .await?;
    }

    let mut target_ids = Vec::with_capacity(mission.targets.len());
    for (i, target) in mission.targets.iter().enumerate() {
        let id = targets::Entity::insert(targets::ActiveModel {
            id: NotSet,
            mission_id: Set(mission_id),
            position: Set(position(i)),
            kind: Set(target.kind.code().to_owned()),
            name: Set(target.name.clone()),
            name_folded: Set(fold(&target.name)),
            admin_unit_id: Set(None),
            organisation_id: Set(None),
        })
        .exec(conn)
        .await?
        .last_insert_id;
        target_ids.push(id);
    }

    for (i, session) in mission.sessions.iter().enumerate() {
        let session_id = sessions::Entity::insert(sessions::ActiveModel {
            id: NotSet,
            mission_id: Set(mission_id),
            target_id: Set(target_ids[session.target]),
            position: Set(position(i)),
            held_on: Set(session.date),
            modality: Set(session.modality.map(|m| m.code().to_owned())),
            minutes: Set(session.minutes.clone()),
        })
        .exec(conn)
        .await?
        .last_insert_id;
        if !session.photos.is_empty() {
            photos::Entity::insert_many(session.photos.iter().enumerate().map(|(j, p)| photos::ActiveModel {
                id: NotSet,
                mission_id: Set(mission_id),
                session_id: Set(session_id),
                position: Set(position(j)),
                caption: Set(p.caption.clone()),
                file_key: Set(p.file.clone()),
                content_type: Set(None),
            }))
            .exec(conn)
            .await?;
        }
    }

    for (i, finding) in mission.findings.iter().enumerate() {
        let finding_id = findings::Entity::insert(findings::ActiveModel {
            id: NotSet,
            mission_id: Set(mission_id),
            position: Set(position(i)),
            kind: Set(finding.kind.code().to_owned()),
            text: Set(finding.text.clone()),
            created_at: Set(now),
        })
        .exec(conn)
        .await?
        .last_insert_id;
        if !finding.targets.is_empty() {
            finding_targets::Entity::insert_many(finding.targets.iter().map(|&t| finding_targets::ActiveModel {
                id: NotSet,
                mission_id: Set(mission_id),
                finding_id: Set(finding_id),
                target_id: Set(target_ids[t]),
            }))
            .exec(conn)
            .await?;
        }
    }

    for (i, rec) in mission.recommendations.iter().enumerate() {
        let (issuer, raised_by) = match &rec.origin {
            Origin::Upward { raised_by } => (None, raised_by.as_slice()),
            Origin::Downward { issuer } => (issuer.clone(), [].as_slice()),
        };
        let rec_id = recommendations::Entity::insert(recommendations::ActiveModel {
            id: NotSet,
            mission_id: Set(mission_id),
            position: Set(position(i)),
            direction: Set(rec.direction().code().to_owned()),
            issuer: Set(issuer),
            text: Set(rec.text.clone()),
            status: Set(rec.follow_up.status.code().to_owned()),
            owner: Set(rec.follow_up.owner.clone()),
            due_on: Set(rec.follow_up.due_on),
            original_due_on: Set(rec.follow_up.due_on),
            priority: Set(rec.follow_up.priority),
            version: Set(1),
        })
        .exec(conn)
        .await?
        .last_insert_id;
        if !rec.addressees.is_empty() {
            recommendation_addressees::Entity::insert_many(rec.addressees.iter().enumerate().map(|(j, a)| {
                recommendation_addressees::ActiveModel {
                    id: NotSet,
                    mission_id: Set(mission_id),
                    recommendation_id: Set(rec_id),
                    position: Set(position(j)),
                    addressee: Set(a.clone()),
                    organisation_id: Set(None),
                }
            }))
            .exec(conn)
            .await?;
        }
        if !raised_by.is_empty() {
            recommendation_raised_by::Entity::insert_many(raised_by.iter().map(|&t| {
                recommendation_raised_by::ActiveModel {
                    id: NotSet,
                    mission_id: Set(mission_id),
                    recommendation_id: Set(rec_id),
                    target_id: Set(target_ids[t]),
                }
            }))
            .exec(conn)
            .await?;
        }
    }
    Ok(mission_id)
}

/// Loads a whole mission in a fixed number of queries (13 at most), whatever its size.
///
/// # Errors
/// [`StoreError::NotFound`] if there is no such mission; [`StoreError::Corrupt`] if a row does not parse.
pub async fn load(conn: &impl ConnectionTrait, id: i64) -> Result<StoredMission, StoreError> {
    let mission = missions::Entity::find_by_id(id).one(conn).await?.ok_or(StoreError::NotFound)?;
    let owner = organisations::Entity::find_by_id(mission.owner_org_id)
        .one(conn)
        .await?
        .ok_or_else(|| StoreError::corrupt("missions", id, "owner organisation missing"))?;
    let owner_parent = match owner.parent_id {
        Some(parent) => organisations::Entity::find_by_id(parent).one(conn).await?,
        None => None,
    };
    let decision = match mission.decision_id {
        Some(d) => decisions::Entity::find_by_id(d).one(conn).await?,
        None => None,
    };
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
    let version = rows.mission.version;
    Ok(StoredMission { id, version, mission: mission_from_rows(rows)? })
}

/// One line of the missions list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissionSummary {
    pub id: i64,
    pub state: MissionState,
    pub team_name: Option<String>,
    pub subject: String,
    pub supervising_body: String,
    pub fieldwork_from: Option<chrono::NaiveDate>,
    pub fieldwork_to: Option<chrono::NaiveDate>,
}

/// Missions visible under `visibility`, newest first, `limit` at a time after the id `before` (keyset: page
/// 1000 costs what page 1 does).
///
/// # Errors
/// [`StoreError::Db`] on database failure, [`StoreError::Corrupt`] for an unknown state code.
pub async fn list(
    conn: &impl ConnectionTrait,
    visibility: Visibility,
    before: Option<i64>,
    limit: u64,
) -> Result<Vec<MissionSummary>, StoreError> {
    let mut query = missions::Entity::find().order_by_desc(missions::Column::Id).limit(limit);
    query = match visibility {
        Visibility::All => query,
        Visibility::Organisation(org) => query.filter(missions::Column::OwnerOrgId.eq(org)),
        Visibility::AssignedTo(user) => query.filter(
            missions::Column::Id.in_subquery(
                Query::select()
                    .column(mission_assignments::Column::MissionId)
                    .from(mission_assignments::Entity)
                    .and_where(mission_assignments::Column::UserId.eq(user))
                    .to_owned(),
            ),
        ),
        Visibility::Nothing => return Ok(Vec::new()),
    };
    if let Some(before) = before {
        query = query.filter(missions::Column::Id.lt(before));
    }
    query
        .all(conn)
        .await?
        .into_iter()
        .map(|m| {
            Ok(MissionSummary {
                id: m.id,
                state: crate::mapping::code("missions", m.id, &m.state, MissionState::from_code)?,
                team_name: m.team_name,
                subject: m.subject,
                supervising_body: m.supervising_body,
                fieldwork_from: m.fieldwork_from,
                fieldwork_to: m.fieldwork_to,
            })
        })
        .collect()
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
    let txn = begin_write(db).await?;
    let mut stored = load(&txn, id).await?;
    if stored.version != expected_version {
        return Err(StoreError::Conflict { expected: expected_version, current: stored.version });
    }
    let from = stored.mission.state;
    stored.mission.transition(to)?;
    let updated = missions::Entity::update_many()
        .col_expr(missions::Column::State, Expr::value(to.code()))
        .col_expr(missions::Column::Version, Expr::value(expected_version + 1))
        .col_expr(missions::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(missions::Column::Id.eq(id))
        .filter(missions::Column::Version.eq(expected_version))
        .exec(&txn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(StoreError::Conflict { expected: expected_version, current: expected_version + 1 });
    }
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
    txn.commit().await?;
    stored.version = expected_version + 1;
    Ok(stored)
}
