//! Editing a stored mission, one form at a time: load, check what the form was built from ([`Basis`]), apply
//! the domain edit (which checks every invariant), write only the rows the edit touches, bump the version and
//! append the audit row with the mission before and after — all in one transaction, which holds the mission's
//! write lock from its first statement (SQLite `BEGIN IMMEDIATE`, PostgreSQL `SELECT … FOR UPDATE` of the
//! mission row), so two writers never both read version N and both write N + 1.

use chrono::{DateTime, Utc};
use giamsat_domain::interchange;
use giamsat_domain::mission::{Edit, Mission};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::audit::{self, Actor, Change};
use crate::db::begin_write;
use crate::decisions::decision_id;
use crate::entities::{
    finding_targets, findings, mission_members, missions, photos, position_assignments, recommendation_addressees,
    recommendation_raised_by, recommendations, sessions, targets,
};
use crate::missions::{
    StoredMission, insert_finding, insert_finding_targets, insert_members, insert_photos, insert_recommendation,
    insert_recommendation_links, insert_session, insert_target, load, none_recorded_column,
};
use crate::rows::position;
use crate::{Db, StoreError};

/// Row ids of one child table of a mission, in position order.
macro_rules! ids {
    ($conn:expr, $entity:ident, $mission_id:expr) => {
        $entity::Entity::find()
            .filter($entity::Column::MissionId.eq($mission_id))
            .order_by_asc($entity::Column::Position)
            .all($conn)
            .await?
            .into_iter()
            .map(|row| row.id)
            .collect::<Vec<i64>>()
    };
}

/// Deletes the row at `index` and closes the gap in the positions after it.
macro_rules! remove_row {
    ($conn:expr, $entity:ident, $mission_id:expr, $index:expr) => {{
        let ids = ids!($conn, $entity, $mission_id);
        let id = *ids.get($index).ok_or(StoreError::NotFound)?;
        $entity::Entity::delete_by_id(id).exec($conn).await?;
        $entity::Entity::update_many()
            .col_expr($entity::Column::Position, Expr::col($entity::Column::Position).sub(1))
            .filter($entity::Column::MissionId.eq($mission_id))
            .filter($entity::Column::Position.gt(position($index)))
            .exec($conn)
            .await?;
    }};
}

fn row_at(ids: &[i64], index: usize) -> Result<i64, StoreError> {
    ids.get(index).copied().ok_or(StoreError::NotFound)
}

/// The item an addition just appended, with its position.
fn appended<T>(items: &[T]) -> Result<(usize, &T), StoreError> {
    items.len().checked_sub(1).and_then(|i| items.get(i).map(|item| (i, item))).ok_or(StoreError::NotFound)
}

/// What the form asking for an edit was built from, which decides when the edit is a conflict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Basis {
    /// The whole mission at this version (the mission form, the team list, the API): any change made since is
    /// a conflict.
    Version(i32),
    /// One item form. `targets` is the list of targets it offered ([`Mission::targets_seen`]): its target
    /// references hold only while those are still the first targets. `item` is, for an edit of an existing
    /// item, its fingerprint as the form showed it ([`Mission::fingerprint`]; for photos added to a session,
    /// [`Mission::session_anchor`]): the edit applies to that item wherever it now is, and is a conflict only if
    /// it changed or was removed. An addition (no `item`) applies to the mission as it is now.
    Item { targets: Option<String>, item: Option<String> },
}

/// Applies `edit` to mission `id` if it is still at `expected_version`.
///
/// # Errors
/// [`StoreError::Conflict`] if someone else changed the mission meanwhile (nothing is written);
/// [`StoreError::Edit`] if the edit breaks an invariant; [`StoreError::NotFound`].
pub async fn edit(
    db: &Db,
    id: i64,
    expected_version: i32,
    edit: Edit,
    actor: &Actor,
) -> Result<StoredMission, StoreError> {
    apply(db, id, &Basis::Version(expected_version), edit, actor).await
}

/// Applies `edit` to mission `id` as `basis` allows (see [`Basis`]).
///
/// # Errors
/// [`StoreError::Conflict`] if what the form was built from changed meanwhile (nothing is written; with an
/// item basis `expected` is the current version: the item, not the version, is what differs);
/// [`StoreError::Edit`] if the edit breaks an invariant; [`StoreError::NotFound`].
pub async fn apply(db: &Db, id: i64, basis: &Basis, edit: Edit, actor: &Actor) -> Result<StoredMission, StoreError> {
    let txn = begin_write(db).await?;
    let mut query = missions::Entity::find_by_id(id);
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        query = query.lock_exclusive();
    }
    // One cheap query settles a stale write before the whole mission is loaded.
    let current = query.one(&txn).await?.ok_or(StoreError::NotFound)?.version;
    if let Basis::Version(expected) = basis
        && current != *expected
    {
        return Err(StoreError::Conflict { expected: *expected, current });
    }
    let stored = load(&txn, id).await?;
    let edit = match basis {
        Basis::Version(_) => edit,
        Basis::Item { targets, item } => {
            let conflict = StoreError::Conflict { expected: current, current };
            if targets.as_deref().is_some_and(|seen| !stored.mission.targets_still(seen)) {
                return Err(conflict);
            }
            match (item, edit.item()) {
                (Some(print), Some((kind, index))) => {
                    let found = if matches!(edit, Edit::AddPhotos(..)) {
                        stored.mission.locate(kind, index, print, |m, i| m.session_anchor(i))
                    } else {
                        stored.mission.locate(kind, index, print, |m, i| m.fingerprint(kind, i))
                    };
                    edit.at(found.ok_or(conflict)?)
                }
                (None, None) => edit,
                // An edit of an existing item needs the item as the form saw it; an addition has none.
                _ => return Err(conflict),
            }
        }
    };
    let before = interchange::to_json(&stored.mission);
    let action = edit.action();
    let mission = stored.mission.apply(edit.clone())?;
    write(&txn, id, &mission, edit, actor.at).await?;
    crate::search::index_mission(&txn, id, &mission).await?;
    crate::missions::bump_version(&txn, id, current, actor.at).await?;
    audit::record(
        &txn,
        actor,
        Change {
            action,
            entity: "mission",
            entity_id: Some(id),
            mission_id: Some(id),
            before: Some(before),
            after: Some(interchange::to_json(&mission)),
        },
    )
    .await?;
    let saved = load(&txn, id).await?;
    txn.commit().await?;
    Ok(saved)
}

/// Writes the rows one edit changes; `mission` is the mission after the edit.
async fn write(
    conn: &impl ConnectionTrait,
    id: i64,
    mission: &Mission,
    edit: Edit,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    match edit {
        Edit::Header(_) => {
            let owner_org_id =
                missions::Entity::find_by_id(id).one(conn).await?.ok_or(StoreError::NotFound)?.owner_org_id;
            let decision_id = decision_id(conn, owner_org_id, mission, now).await?;
            let mut row = crate::missions::header_columns(mission, decision_id);
            row.id = Set(id);
            missions::Entity::update(row).exec(conn).await?;
        }
        Edit::FindingsNoneRecorded(_) => {
            missions::Entity::update_many()
                .col_expr(missions::Column::FindingsNoneRecorded, Expr::value(none_recorded_column(mission)))
                .filter(missions::Column::Id.eq(id))
                .exec(conn)
                .await?;
        }
        Edit::Members(_) => {
            mission_members::Entity::delete_many().filter(mission_members::Column::MissionId.eq(id)).exec(conn).await?;
            position_assignments::Entity::delete_many()
                .filter(position_assignments::Column::Source.eq(format!("mission:{id}")))
                .exec(conn)
                .await?;
            insert_members(conn, id, mission).await?;
        }
        Edit::AddTarget(_) => {
            let (i, target) = appended(&mission.targets)?;
            insert_target(conn, id, i, target, crate::missions::mission_date(mission)).await?;
        }
        Edit::UpdateTarget(i, target) => {
            let row = row_at(&ids!(conn, targets, id), i)?;
            targets::Entity::update_many()
                .col_expr(targets::Column::Kind, Expr::value(target.kind.code()))
                .col_expr(targets::Column::Name, Expr::value(target.name.clone()))
                .col_expr(targets::Column::NameFolded, Expr::value(giamsat_domain::text::fold(&target.name)))
                .filter(targets::Column::Id.eq(row))
                .exec(conn)
                .await?;
        }
        Edit::RemoveTarget(i) => remove_row!(conn, targets, id, i),
        Edit::AddSession(_) => {
            let (i, session) = appended(&mission.sessions)?;
            insert_session(conn, id, i, session, &ids!(conn, targets, id)).await?;
        }
        Edit::UpdateSession(i, session) => {
            let row = row_at(&ids!(conn, sessions, id), i)?;
            let target = row_at(&ids!(conn, targets, id), session.target)?;
            sessions::Entity::update_many()
                .col_expr(sessions::Column::TargetId, Expr::value(target))
                .col_expr(sessions::Column::HeldOn, Expr::value(session.date))
                .col_expr(sessions::Column::Modality, Expr::value(session.modality.map(|m| m.code().to_owned())))
                .col_expr(sessions::Column::Minutes, Expr::value(session.minutes.clone()))
                .filter(sessions::Column::Id.eq(row))
                .exec(conn)
                .await?;
            photos::Entity::delete_many().filter(photos::Column::SessionId.eq(row)).exec(conn).await?;
            insert_photos(conn, id, row, &session).await?;
        }
        Edit::RemoveSession(i) => remove_row!(conn, sessions, id, i),
        Edit::AddPhotos(i, _) => {
            let row = row_at(&ids!(conn, sessions, id), i)?;
            let session = mission.sessions.get(i).ok_or(StoreError::NotFound)?;
            photos::Entity::delete_many().filter(photos::Column::SessionId.eq(row)).exec(conn).await?;
            insert_photos(conn, id, row, session).await?;
        }
        Edit::AddFinding(_) => {
            let (i, finding) = appended(&mission.findings)?;
            insert_finding(conn, id, i, finding, &ids!(conn, targets, id), now).await?;
        }
        Edit::UpdateFinding(i, finding) => {
            let row = row_at(&ids!(conn, findings, id), i)?;
            findings::Entity::update_many()
                .col_expr(findings::Column::Kind, Expr::value(finding.kind.code()))
                .col_expr(findings::Column::Text, Expr::value(finding.text.clone()))
                .filter(findings::Column::Id.eq(row))
                .exec(conn)
                .await?;
            finding_targets::Entity::delete_many()
                .filter(finding_targets::Column::FindingId.eq(row))
                .exec(conn)
                .await?;
            insert_finding_targets(conn, id, row, &finding, &ids!(conn, targets, id)).await?;
        }
        Edit::RemoveFinding(i) => remove_row!(conn, findings, id, i),
        Edit::AddRecommendation(_) => {
            let (i, rec) = appended(&mission.recommendations)?;
            insert_recommendation(conn, id, i, rec, &ids!(conn, targets, id)).await?;
        }
        // The follow-up (status, owner, due date, priority) belongs to the ledger, which logs every change of it.
        Edit::UpdateRecommendation(i, rec) => {
            let row = row_at(&ids!(conn, recommendations, id), i)?;
            let issuer = match &rec.origin {
                giamsat_domain::mission::Origin::Downward { issuer } => issuer.clone(),
                giamsat_domain::mission::Origin::Upward { .. } => None,
            };
            recommendations::Entity::update_many()
                .col_expr(recommendations::Column::Direction, Expr::value(rec.direction().code()))
                .col_expr(recommendations::Column::Issuer, Expr::value(issuer))
                .col_expr(recommendations::Column::Text, Expr::value(rec.text.clone()))
                .filter(recommendations::Column::Id.eq(row))
                .exec(conn)
                .await?;
            recommendation_addressees::Entity::delete_many()
                .filter(recommendation_addressees::Column::RecommendationId.eq(row))
                .exec(conn)
                .await?;
            recommendation_raised_by::Entity::delete_many()
                .filter(recommendation_raised_by::Column::RecommendationId.eq(row))
                .exec(conn)
                .await?;
            insert_recommendation_links(conn, id, row, &rec, &ids!(conn, targets, id)).await?;
        }
        Edit::RemoveRecommendation(i) => remove_row!(conn, recommendations, id, i),
    }
    Ok(())
}
