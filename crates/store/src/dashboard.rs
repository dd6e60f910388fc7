//! Lists with filters and the dashboard's figures, always within what the policy lets the user see.

use chrono::NaiveDate;
use giamsat_domain::policy::Visibility;
use giamsat_domain::recommendation::RecStatus;
use giamsat_domain::workflow::MissionState;
use sea_orm::sea_query::{Alias, Asterisk, Order, Query, UnionType};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Select,
};

use crate::StoreError;
use crate::entities::{missions, photos, recommendations, sessions, targets};
use crate::mapping::code;
pub use crate::mission_lists::{MissionFilter, mission_names, missions};
use crate::visibility::{restrict, visible_ids};

/// The photo files among `keys` that a photo of a mission `visibility` allows already names: the files that
/// reader can open.
///
/// # Errors
/// [`StoreError::Db`].
pub async fn readable_photo_files(
    conn: &impl ConnectionTrait,
    keys: Vec<String>,
    visibility: Visibility,
) -> Result<Vec<String>, StoreError> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let select = photos::Entity::find()
        .select_only()
        .column(photos::Column::FileKey)
        .filter(photos::Column::FileKey.is_in(keys))
        .distinct();
    let found: Vec<Option<String>> =
        restrict(select, photos::Column::MissionId, visibility).into_tuple().all(conn).await?;
    Ok(found.into_iter().flatten().collect())
}

/// The number of visible missions in each workflow state (states with none omitted). Every mission, or an
/// organisation's, is read from `mission_counts` (a few rows, kept by triggers); the missions assigned to a
/// user are few and counted.
///
/// # Errors
/// [`StoreError::Db`], [`StoreError::Corrupt`].
pub async fn count_by_state(
    conn: &impl ConnectionTrait,
    visibility: Visibility,
) -> Result<Vec<(MissionState, i64)>, StoreError> {
    let owner = match visibility {
        Visibility::All => Some(None),
        Visibility::Organisation(org) => Some(Some(org)),
        Visibility::AssignedTo(_) | Visibility::Nothing => None,
    };
    let rows: Vec<(String, i64)> = if let Some(owner) = owner {
        let (scope, values): (&str, Vec<sea_orm::Value>) = match owner {
            Some(org) => ("WHERE owner_org_id = $1 ", vec![org.into()]),
            None => ("", vec![]),
        };
        let sql = format!(
            "SELECT state, CAST(SUM(n) AS BIGINT) AS n FROM mission_counts {scope}GROUP BY state HAVING SUM(n) > 0"
        );
        conn.query_all_raw(sea_orm::Statement::from_sql_and_values(conn.get_database_backend(), sql, values))
            .await?
            .into_iter()
            .map(|row| Ok((row.try_get_by_index::<String>(0)?, row.try_get_by_index::<i64>(1)?)))
            .collect::<Result<_, sea_orm::DbErr>>()?
    } else {
        restrict(missions::Entity::find(), missions::Column::Id, visibility)
            .select_only()
            .column(missions::Column::State)
            .column_as(missions::Column::Id.count(), "n")
            .group_by(missions::Column::State)
            .into_tuple()
            .all(conn)
            .await?
    };
    let mut counts = rows
        .into_iter()
        .map(|(state, n)| Ok((code("missions", 0, &state, MissionState::from_code)?, n)))
        .collect::<Result<Vec<_>, StoreError>>()?;
    counts.sort_by_key(|(state, _)| MissionState::ALL.iter().position(|s| s == state));
    Ok(counts)
}

/// A working session on the calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionDay {
    pub mission_id: i64,
    pub date: NaiveDate,
    pub target: String,
    pub target_kind: String,
    /// Its mission's name ([`giamsat_domain::naming::mission_name`]).
    pub mission_name: String,
}

/// A session's mission, date and target, then its mission's name's columns ([`crate::names::NameColumns`]).
type SessionRow = (
    i64,
    Option<NaiveDate>,
    String,
    String,
    Option<String>,
    String,
    Option<NaiveDate>,
    Option<String>,
    Option<NaiveDate>,
);

/// The first `limit` visible sessions held from `from` to `to` (inclusive), by date.
///
/// # Errors
/// [`StoreError::Db`].
pub async fn sessions_between(
    conn: &impl ConnectionTrait,
    visibility: Visibility,
    from: NaiveDate,
    to: NaiveDate,
    limit: u64,
) -> Result<Vec<SessionDay>, StoreError> {
    let target =
        sessions::Entity::belongs_to(targets::Entity).from(sessions::Column::TargetId).to(targets::Column::Id).into();
    let select = restrict(sessions::Entity::find(), sessions::Column::MissionId, visibility)
        .select_only()
        .column(sessions::Column::MissionId)
        .column(sessions::Column::HeldOn)
        .column_as(targets::Column::Name, "target")
        .column_as(targets::Column::Kind, "target_kind")
        .join(JoinType::InnerJoin, target);
    let rows: Vec<SessionRow> = crate::names::join_name(select, sessions::Column::MissionId)
        .filter(sessions::Column::HeldOn.between(from, to))
        .order_by_asc(sessions::Column::HeldOn)
        .limit(limit)
        .into_tuple()
        .all(conn)
        .await?;
    rows.into_iter()
        .filter_map(|(mission_id, date, target, target_kind, team, body, start, number, decided)| {
            let date = date?;
            let name = crate::names::name_of_columns(mission_id, (team, body, start, number, decided));
            Some(name.map(|mission_name| SessionDay { mission_id, date, target, target_kind, mission_name }))
        })
        .collect()
}

/// An open recommendation with a due date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueItem {
    /// The recommendation's id (its ledger page).
    pub id: i64,
    pub mission_id: i64,
    /// Its position in the mission's list (the index the item forms use).
    pub index: i32,
    pub text: String,
    pub due_on: NaiveDate,
    pub status: RecStatus,
    /// Its mission's name ([`giamsat_domain::naming::mission_name`]).
    pub mission_name: String,
}

/// The first `limit` visible open recommendations due from `from` (or any time before) to `until`, soonest
/// first.
///
/// # Errors
/// [`StoreError::Db`], [`StoreError::Corrupt`].
pub async fn due_between(
    conn: &impl ConnectionTrait,
    visibility: Visibility,
    from: Option<NaiveDate>,
    until: NaiveDate,
    limit: u64,
) -> Result<Vec<DueItem>, StoreError> {
    let mut select = restrict(recommendations::Entity::find(), recommendations::Column::MissionId, visibility);
    if let Some(from) = from {
        select = select.filter(recommendations::Column::DueOn.gte(from));
    }
    due_items(conn, select, until, limit).await
}

/// What account `user_id` is reminded of: the open items due on or before `until` whose owner account it is,
/// and the visible ones that have no owner account (whoever may see them is reminded), soonest first.
///
/// # Errors
/// [`StoreError::Db`], [`StoreError::Corrupt`].
pub async fn reminders_for(
    conn: &impl ConnectionTrait,
    visibility: Visibility,
    user_id: i64,
    until: NaiveDate,
) -> Result<Vec<DueItem>, StoreError> {
    use sea_orm::sea_query::Condition;
    let mut unowned = Condition::all().add(recommendations::Column::OwnerUserId.is_null());
    if let Some(ids) = visible_ids(visibility) {
        unowned = unowned.add(recommendations::Column::MissionId.in_subquery(ids));
    }
    let mine = Condition::any().add(recommendations::Column::OwnerUserId.eq(user_id)).add(unowned);
    due_items(conn, recommendations::Entity::find().filter(mine), until, 200).await
}

/// A due item's columns, then its mission's name's ([`crate::names::NameColumns`]).
type DueRow = (
    i64,
    i64,
    i32,
    String,
    Option<NaiveDate>,
    String,
    Option<String>,
    String,
    Option<NaiveDate>,
    Option<String>,
    Option<NaiveDate>,
);

/// The ids of the first `limit` open items of `select` due on or before `until`, as a subquery in no order
/// (sort what it selects); `None` if no status is open. The open statuses are several, so no index gives
/// their items in due order: collecting every open item due so far, joining each to its mission and sorting
/// them took 10 ms at 1 000 missions. Each status's first `limit` come from the `(status, due_on)` index
/// instead, in order, and are merged by due date before anything is joined: joining every status's first
/// `limit` read three times the rows the page shows (SQLite at 100 000 missions: the dashboard's CPU per request
/// 3.0 → 1.0–1.4 ms).
pub(crate) fn soonest_open(
    select: &Select<recommendations::Entity>,
    until: NaiveDate,
    limit: u64,
) -> Option<sea_orm::sea_query::SelectStatement> {
    let mut firsts = RecStatus::ALL.iter().filter(|s| s.is_open()).enumerate().map(|(i, status)| {
        let first = select
            .clone()
            .select_only()
            .column(recommendations::Column::Id)
            .column(recommendations::Column::DueOn)
            .filter(recommendations::Column::Status.eq(status.code()))
            .filter(recommendations::Column::DueOn.lte(until))
            .order_by_asc(recommendations::Column::DueOn)
            .order_by_asc(recommendations::Column::Id)
            .limit(limit)
            .into_query();
        Query::select().column(Asterisk).from_subquery(first, Alias::new(format!("s{i}"))).to_owned()
    });
    let mut merged = firsts.next()?;
    for more in firsts {
        merged.union(UnionType::All, more);
    }
    let (id, due_on) = (Alias::new("id"), Alias::new("due_on"));
    Some(
        Query::select()
            .column(id.clone())
            .from_subquery(merged, Alias::new("soonest"))
            .order_by(due_on, Order::Asc)
            .order_by(id, Order::Asc)
            .limit(limit)
            .to_owned(),
    )
}

/// The first `limit` open items of `select` due on or before `until`, soonest first ([`soonest_open`]).
async fn due_items(
    conn: &impl ConnectionTrait,
    select: Select<recommendations::Entity>,
    until: NaiveDate,
    limit: u64,
) -> Result<Vec<DueItem>, StoreError> {
    let Some(ids) = soonest_open(&select, until, limit) else { return Ok(Vec::new()) };
    let select = recommendations::Entity::find()
        .select_only()
        .column(recommendations::Column::Id)
        .column(recommendations::Column::MissionId)
        .column(recommendations::Column::Position)
        .column(recommendations::Column::Text)
        .column(recommendations::Column::DueOn)
        .column(recommendations::Column::Status);
    let rows: Vec<DueRow> = crate::names::join_name(select, recommendations::Column::MissionId)
        .filter(recommendations::Column::Id.in_subquery(ids))
        .order_by_asc(recommendations::Column::DueOn)
        .order_by_asc(recommendations::Column::Id)
        .limit(limit)
        .into_tuple()
        .all(conn)
        .await?;
    rows.into_iter()
        .filter_map(|(id, mission_id, index, text, due_on, status, team, body, start, number, decided)| {
            let due_on = due_on?;
            let item = code("recommendations", id, &status, RecStatus::from_code).and_then(|status| {
                let mission_name = crate::names::name_of_columns(mission_id, (team, body, start, number, decided))?;
                Ok(DueItem { id, mission_id, index, text, due_on, status, mission_name })
            });
            Some(item)
        })
        .collect()
}

/// The distinct supervising bodies of visible missions, for the list's filter.
///
/// # Errors
/// [`StoreError::Db`].
pub async fn supervising_bodies(
    conn: &impl ConnectionTrait,
    visibility: Visibility,
) -> Result<Vec<String>, StoreError> {
    // A loose index scan: each step jumps to the next distinct body in the index, so the cost follows the
    // number of bodies (hundreds), not of missions (hundreds of thousands). Neither engine does this for
    // `SELECT DISTINCT` by itself.
    let owner = match visibility {
        Visibility::All => Some(None),
        Visibility::Organisation(org) => Some(Some(org)),
        Visibility::AssignedTo(_) | Visibility::Nothing => None,
    };
    let mut bodies: Vec<String> = if let Some(owner) = owner {
        let backend = conn.get_database_backend();
        let (scope, values): (&str, Vec<sea_orm::Value>) = match owner {
            Some(org) => ("owner_org_id = $1 AND ", vec![org.into()]),
            None => ("", vec![]),
        };
        let sql = format!(
            "WITH RECURSIVE b(v) AS (\
             SELECT (SELECT MIN(supervising_body) FROM missions WHERE {scope}supervising_body IS NOT NULL) \
             UNION ALL \
             SELECT (SELECT MIN(supervising_body) FROM missions WHERE {scope}supervising_body > b.v) FROM b \
             WHERE b.v IS NOT NULL) \
             SELECT v FROM b WHERE v IS NOT NULL"
        );
        conn.query_all_raw(sea_orm::Statement::from_sql_and_values(backend, sql, values))
            .await?
            .into_iter()
            .map(|row| row.try_get_by_index::<String>(0))
            .collect::<Result<_, _>>()?
    } else {
        restrict(missions::Entity::find(), missions::Column::Id, visibility)
            .select_only()
            .column(missions::Column::SupervisingBody)
            .distinct()
            .into_tuple()
            .all(conn)
            .await?
    };
    bodies.sort_by(|a, b| giamsat_domain::text::cmp_vi(a, b));
    Ok(bodies)
}

/// One person of the directory, with the positions they held on the missions the user may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonEntry {
    pub name: String,
    /// (position as written, the mission's date, the mission's id), oldest first.
    pub positions: Vec<(String, Option<NaiveDate>, i64)>,
}

/// The people directory within `visibility`, in Vietnamese directory order (given name first).
///
/// # Errors
/// [`StoreError::Db`].
pub async fn people(conn: &impl ConnectionTrait, visibility: Visibility) -> Result<Vec<PersonEntry>, StoreError> {
    use crate::entities::{mission_members, people};
    let memberships = restrict(mission_members::Entity::find(), mission_members::Column::MissionId, visibility)
        .filter(mission_members::Column::PersonId.is_not_null())
        .all(conn)
        .await?;
    let person_ids: Vec<i64> = memberships.iter().filter_map(|m| m.person_id).collect();
    let mission_ids: Vec<i64> = memberships.iter().map(|m| m.mission_id).collect();
    if person_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut persons = people::Entity::find().filter(people::Column::Id.is_in(person_ids)).all(conn).await?;
    persons.sort_by(|a, b| a.sort_key.cmp(&b.sort_key));
    let dates: std::collections::HashMap<i64, Option<NaiveDate>> = missions::Entity::find()
        .filter(missions::Column::Id.is_in(mission_ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|m| (m.id, m.fieldwork_from))
        .collect();
    Ok(persons
        .into_iter()
        .map(|p| {
            let mut positions: Vec<(String, Option<NaiveDate>, i64)> = memberships
                .iter()
                .filter(|m| m.person_id == Some(p.id))
                .map(|m| {
                    (
                        m.position_text.clone().unwrap_or_default(),
                        dates.get(&m.mission_id).copied().flatten(),
                        m.mission_id,
                    )
                })
                .collect();
            positions.sort_by_key(|(_, date, id)| (*date, *id));
            PersonEntry { name: p.full_name, positions }
        })
        .collect())
}
