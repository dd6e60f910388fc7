//! The formal report's settings: what an organisation sets for all its reports and what one mission's report
//! sets for itself, both `formal::Overrides` stored as JSON and parsed again on every read. Publishing freezes
//! the resolved settings in the version (`reports::write`), so neither level changes a published report.

use giamsat_domain::codes::SupervisionSystem;
use giamsat_domain::formal::{FormalSettings, Layout, Overrides};
use sea_orm::{ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait, SqlErr};

use crate::StoreError;
use crate::audit::{self, Actor, Change};
use crate::db::{Db, begin_write};
use crate::entities::{missions, organisation_formal_settings as org_rows, report_formal_settings as report_rows};
use crate::missions::StoredMission;

/// Whose settings: an organisation's (for all its reports) or one mission's report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Organisation(i64),
    Report { mission_id: i64 },
}

/// Settings as stored, with the version their form must send back (`0`: nothing saved yet).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stored {
    pub overrides: Overrides,
    pub version: i32,
}

fn parse(table: &'static str, id: i64, json: &str) -> Result<Overrides, StoreError> {
    serde_json::from_str(json).map_err(|e| StoreError::corrupt(table, id, e))
}

/// The settings of `scope`; the defaults (nothing overridden) when none were saved.
///
/// # Errors
/// [`StoreError::Db`], [`StoreError::Corrupt`].
pub async fn load(conn: &impl ConnectionTrait, scope: Scope) -> Result<Stored, StoreError> {
    let row = match scope {
        Scope::Organisation(id) => org_rows::Entity::find_by_id(id).one(conn).await?.map(|r| (r.settings, r.version)),
        Scope::Report { mission_id } => {
            report_rows::Entity::find_by_id(mission_id).one(conn).await?.map(|r| (r.settings, r.version))
        }
    };
    match row {
        None => Ok(Stored::default()),
        Some((json, version)) => {
            let (table, id) = table_of(scope);
            Ok(Stored { overrides: parse(table, id, &json)?, version })
        }
    }
}

/// The settings `stored`'s formal report is set with now: the mission's defaults, its organisation's settings
/// and the report's own (two queries).
///
/// # Errors
/// [`StoreError::Db`], [`StoreError::Corrupt`].
pub async fn resolve(conn: &impl ConnectionTrait, stored: &StoredMission) -> Result<FormalSettings, StoreError> {
    let organisation = load(conn, Scope::Organisation(stored.owner_org_id)).await?;
    let report = load(conn, Scope::Report { mission_id: stored.id }).await?;
    Ok(FormalSettings::resolve(&stored.mission, &organisation.overrides, &report.overrides))
}

/// Two first saves at once: the second finds the row taken, which is a conflict like any other.
fn raced(e: DbErr) -> StoreError {
    match e.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => StoreError::Conflict { expected: 0, current: 1 },
        _ => StoreError::Db(e),
    }
}

const fn table_of(scope: Scope) -> (&'static str, i64) {
    match scope {
        Scope::Organisation(id) => ("organisation_formal_settings", id),
        Scope::Report { mission_id } => ("report_formal_settings", mission_id),
    }
}

/// Saves the settings of `scope` if they are still at `expected_version`, with an audit row, in one
/// transaction; returns the new version. A report's settings are checked against its mission's layout.
///
/// # Errors
/// [`StoreError::Conflict`] if someone saved meanwhile; [`StoreError::Settings`] if the domain refuses them;
/// [`StoreError::NotFound`] for a mission or organisation that does not exist; [`StoreError::Db`].
pub async fn save(
    db: &Db,
    scope: Scope,
    expected_version: i32,
    overrides: &Overrides,
    actor: &Actor,
    user_id: Option<i64>,
) -> Result<i32, StoreError> {
    let txn = begin_write(db).await?;
    let (layout, mission_id) = match scope {
        Scope::Organisation(id) => {
            crate::entities::organisations::Entity::find_by_id(id).one(&txn).await?.ok_or(StoreError::NotFound)?;
            (None, None)
        }
        Scope::Report { mission_id } => {
            let row = missions::Entity::find_by_id(mission_id).one(&txn).await?.ok_or(StoreError::NotFound)?;
            let system = SupervisionSystem::from_code(&row.system)
                .ok_or_else(|| StoreError::corrupt("missions", mission_id, format!("system {}", row.system)))?;
            (Some(Layout::of(system)), Some(mission_id))
        }
    };
    let problems = overrides.check(layout);
    if !problems.is_empty() {
        return Err(StoreError::Settings(problems));
    }
    let current = load(&txn, scope).await?;
    if current.version != expected_version {
        return Err(StoreError::Conflict { expected: expected_version, current: current.version });
    }
    let json = serde_json::to_string(overrides).map_err(|e| StoreError::corrupt(table_of(scope).0, 0, e))?;
    let (now, version) = (actor.at, expected_version + 1);
    let fresh = expected_version == 0;
    match scope {
        Scope::Organisation(id) => {
            let row = org_rows::ActiveModel {
                organisation_id: Set(id),
                settings: Set(json.clone()),
                version: Set(version),
                updated_at: Set(now),
                updated_by: Set(user_id),
            };
            if fresh {
                org_rows::Entity::insert(row).exec_without_returning(&txn).await.map_err(raced)?;
            } else {
                org_rows::Entity::update(row).exec(&txn).await?;
            }
        }
        Scope::Report { mission_id } => {
            let row = report_rows::ActiveModel {
                mission_id: Set(mission_id),
                settings: Set(json.clone()),
                version: Set(version),
                updated_at: Set(now),
                updated_by: Set(user_id),
            };
            if fresh {
                report_rows::Entity::insert(row).exec_without_returning(&txn).await.map_err(raced)?;
            } else {
                report_rows::Entity::update(row).exec(&txn).await?;
            }
        }
    }
    let before = (!fresh).then(|| serde_json::to_string(&current.overrides).unwrap_or_default());
    let (entity, entity_id) = match scope {
        Scope::Organisation(id) => ("organisation", id),
        Scope::Report { mission_id } => ("mission", mission_id),
    };
    audit::record(
        &txn,
        actor,
        Change {
            action: "formal_settings.save",
            entity,
            entity_id: Some(entity_id),
            mission_id,
            before,
            after: Some(json),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(version)
}
