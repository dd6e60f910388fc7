//! Missions' names as lists show them ([`giamsat_domain::naming::mission_name`]), read with the decision they
//! need in the same query as the missions themselves.

use std::collections::HashMap;

use chrono::NaiveDate;
use giamsat_domain::docnum::DocumentNumber;
use giamsat_domain::naming::{NameParts, mission_name};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QuerySelect, Select};

use crate::StoreError;
use crate::entities::{decisions, missions};

/// The name of the mission in row `m` with its decision `d`.
///
/// # Errors
/// [`StoreError::Corrupt`] when the decision's number no longer parses.
pub(crate) fn name_of(m: &missions::Model, d: Option<&decisions::Model>) -> Result<String, StoreError> {
    name_from(
        m.id,
        m.team_name.as_deref(),
        &m.supervising_body,
        m.fieldwork_from,
        d.and_then(|d| d.number_raw.as_deref()),
        d.and_then(|d| d.issued_on),
    )
}

/// The name of mission `id` from the columns it is made of, for queries that select columns rather than rows.
///
/// # Errors
/// [`StoreError::Corrupt`] when the decision's number no longer parses.
pub(crate) fn name_from(
    id: i64,
    team_name: Option<&str>,
    supervising_body: &str,
    fieldwork_from: Option<NaiveDate>,
    decision_number: Option<&str>,
    decision_date: Option<NaiveDate>,
) -> Result<String, StoreError> {
    let number = decision_number
        .map(|raw| DocumentNumber::parse(raw).map_err(|e| StoreError::corrupt("missions", id, e)))
        .transpose()?;
    Ok(mission_name(NameParts {
        team_name,
        supervising_body,
        decision_number: number.as_ref(),
        decision_date,
        fieldwork_from,
    }))
}

/// The names of the missions `ids` (one query, the decisions joined, only the columns of a name).
///
/// # Errors
/// [`StoreError::Db`], [`StoreError::Corrupt`].
pub(crate) async fn names_of(
    conn: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, String>, StoreError> {
    let ids: Vec<i64> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<IdAndName> =
        select_name(missions::Entity::find().filter(missions::Column::Id.is_in(ids))).into_tuple().all(conn).await?;
    rows.into_iter().map(id_and_name).collect()
}

/// The columns [`join_name`] adds, in its order: team, body, start of fieldwork, decision number and date.
pub(crate) type NameColumns = (Option<String>, String, Option<NaiveDate>, Option<String>, Option<NaiveDate>);

/// Joins the mission of each row (by `mission_id`) and its decision, and selects the columns of its name last
/// ([`NameColumns`]), so a list names its missions in the query that reads it.
pub(crate) fn join_name<E: EntityTrait>(select: Select<E>, mission_id: E::Column) -> Select<E> {
    let mission = E::belongs_to(missions::Entity).from(mission_id).to(missions::Column::Id).into();
    let decision =
        missions::Entity::belongs_to(decisions::Entity).from(missions::Column::DecisionId).to(decisions::Column::Id);
    select
        .join(JoinType::InnerJoin, mission)
        .join(JoinType::LeftJoin, decision.into())
        .column_as(missions::Column::TeamName, "name_team")
        .column_as(missions::Column::SupervisingBody, "name_body")
        .column_as(missions::Column::FieldworkFrom, "name_from")
        .column_as(decisions::Column::NumberRaw, "name_number")
        .column_as(decisions::Column::IssuedOn, "name_date")
}

/// A mission's id, then the columns of its name ([`NameColumns`]), as [`select_name`] selects them.
pub(crate) type IdAndName = (i64, Option<String>, String, Option<NaiveDate>, Option<String>, Option<NaiveDate>);

/// Selects only the missions' ids and the columns of their names, their decisions joined ([`IdAndName`]), for
/// lists that show missions by name alone.
pub(crate) fn select_name(select: Select<missions::Entity>) -> Select<missions::Entity> {
    let decision =
        missions::Entity::belongs_to(decisions::Entity).from(missions::Column::DecisionId).to(decisions::Column::Id);
    select
        .select_only()
        .column(missions::Column::Id)
        .column(missions::Column::TeamName)
        .column(missions::Column::SupervisingBody)
        .column(missions::Column::FieldworkFrom)
        .column(decisions::Column::NumberRaw)
        .column(decisions::Column::IssuedOn)
        .join(JoinType::LeftJoin, decision.into())
}

/// The id and the name of a mission from a row [`select_name`] selected.
///
/// # Errors
/// [`StoreError::Corrupt`] when the decision's number no longer parses.
pub(crate) fn id_and_name((id, team, body, from, number, date): IdAndName) -> Result<(i64, String), StoreError> {
    Ok((id, name_of_columns(id, (team, body, from, number, date))?))
}

/// The name of mission `id` from the [`NameColumns`] of a row.
///
/// # Errors
/// [`StoreError::Corrupt`] when the decision's number no longer parses.
pub(crate) fn name_of_columns(id: i64, (team, body, from, number, date): NameColumns) -> Result<String, StoreError> {
    name_from(id, team.as_deref(), &body, from, number.as_deref(), date)
}
