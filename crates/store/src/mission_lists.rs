//! The missions list (filters, keyset pages) and its lines, shared by the dashboard, the mission pages and the
//! decision's teams.

use chrono::NaiveDate;
use giamsat_domain::codes::SupervisionSystem;
use giamsat_domain::policy::Visibility;
use giamsat_domain::workflow::MissionState;
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::StoreError;
use crate::entities::{decisions, missions, targets};
use crate::mapping::code;
use crate::visibility::restrict;

/// One line of the missions list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissionSummary {
    pub id: i64,
    pub state: MissionState,
    /// As [`giamsat_domain::naming::mission_name`] names it (team, decision number, year).
    pub name: String,
    pub team_name: Option<String>,
    pub subject: String,
    pub supervising_body: String,
    pub fieldwork_from: Option<chrono::NaiveDate>,
    pub fieldwork_to: Option<chrono::NaiveDate>,
}

/// Missions visible under `visibility`, newest first, `limit` at a time after the id `before` (keyset: page
/// 1000 costs what page 1 does). The unfiltered case of [`missions`].
///
/// # Errors
/// [`StoreError::Db`] on database failure, [`StoreError::Corrupt`] for an unknown state code.
pub async fn list(
    conn: &impl ConnectionTrait,
    visibility: Visibility,
    before: Option<i64>,
    limit: u64,
) -> Result<Vec<MissionSummary>, StoreError> {
    missions(conn, visibility, &MissionFilter::default(), before, limit).await
}

/// The ids and names of the missions visible under `visibility`, newest first, `limit` before the id `before`:
/// a choice of missions by name (the ledger's filter), reading only the columns of a name.
///
/// # Errors
/// [`StoreError::Db`], [`StoreError::Corrupt`] when a decision's number no longer parses.
pub async fn mission_names(
    conn: &impl ConnectionTrait,
    visibility: Visibility,
    before: Option<i64>,
    limit: u64,
) -> Result<Vec<(i64, String)>, StoreError> {
    let mut query = crate::names::select_name(restrict(missions::Entity::find(), missions::Column::Id, visibility))
        .order_by_desc(missions::Column::Id)
        .limit(limit);
    if let Some(before) = before {
        query = query.filter(missions::Column::Id.lt(before));
    }
    let rows: Vec<crate::names::IdAndName> = query.into_tuple().all(conn).await?;
    rows.into_iter().map(crate::names::id_and_name).collect()
}

/// Filters of the missions list.
#[derive(Debug, Clone, Default)]
pub struct MissionFilter {
    pub state: Option<MissionState>,
    pub system: Option<SupervisionSystem>,
    /// Missions whose fieldwork starts in this year.
    pub year: Option<i32>,
    /// The supervising body, exactly as written.
    pub supervising_body: Option<String>,
    /// Missions with a target whose folded name starts with this (folded) text.
    pub target: Option<String>,
    /// Oldest first instead of newest first; the cursor then means "after this id".
    pub oldest_first: bool,
    /// The teams set up by this decision.
    pub decision_id: Option<i64>,
}

/// Missions matching `filter` within `visibility`, newest (or oldest) first, `limit` past the id `cursor`
/// (keyset: any page costs what the first does).
///
/// # Errors
/// [`StoreError::Db`], [`StoreError::Corrupt`].
pub async fn missions(
    conn: &impl ConnectionTrait,
    visibility: Visibility,
    filter: &MissionFilter,
    cursor: Option<i64>,
    limit: u64,
) -> Result<Vec<MissionSummary>, StoreError> {
    let mut query = restrict(missions::Entity::find(), missions::Column::Id, visibility).limit(limit);
    query = if filter.oldest_first {
        query.order_by_asc(missions::Column::Id)
    } else {
        query.order_by_desc(missions::Column::Id)
    };
    if let Some(cursor) = cursor {
        query = if filter.oldest_first {
            query.filter(missions::Column::Id.gt(cursor))
        } else {
            query.filter(missions::Column::Id.lt(cursor))
        };
    }
    if let Some(state) = filter.state {
        query = query.filter(missions::Column::State.eq(state.code()));
    }
    if let Some(decision_id) = filter.decision_id {
        query = query.filter(missions::Column::DecisionId.eq(decision_id));
    }
    if let Some(system) = filter.system {
        query = query.filter(missions::Column::System.eq(system.code()));
    }
    if let Some(year) = filter.year {
        let (start, end) = (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31));
        if let (Some(start), Some(end)) = (start, end) {
            query = query.filter(missions::Column::FieldworkFrom.between(start, end));
        }
    }
    if let Some(body) = &filter.supervising_body {
        query = query.filter(missions::Column::SupervisingBody.eq(body.as_str()));
    }
    if let Some(target) = filter.target.as_deref().filter(|t| !t.is_empty()) {
        let escaped = target.replace(['%', '_', '\\'], "");
        query = query.filter(
            missions::Column::Id.in_subquery(
                Query::select()
                    .column(targets::Column::MissionId)
                    .from(targets::Entity)
                    .and_where(targets::Column::NameFolded.like(format!("{escaped}%")))
                    .to_owned(),
            ),
        );
    }
    query
        .find_also_related(decisions::Entity)
        .all(conn)
        .await?
        .into_iter()
        .map(|(m, decision)| {
            Ok(MissionSummary {
                id: m.id,
                state: code("missions", m.id, &m.state, MissionState::from_code)?,
                name: crate::names::name_of(&m, decision.as_ref())?,
                team_name: m.team_name,
                subject: m.subject,
                supervising_body: m.supervising_body,
                fieldwork_from: m.fieldwork_from,
                fieldwork_to: m.fieldwork_to,
            })
        })
        .collect()
}

/// The other teams set up by the same decision, among the missions `visibility` allows (one query).
///
/// # Errors
/// [`StoreError::Db`], [`StoreError::Corrupt`].
pub async fn other_teams(
    conn: &impl ConnectionTrait,
    visibility: Visibility,
    decision_id: i64,
    except: i64,
) -> Result<Vec<MissionSummary>, StoreError> {
    let filter = MissionFilter { decision_id: Some(decision_id), ..Default::default() };
    let teams = missions(conn, visibility, &filter, None, 500).await?;
    Ok(teams.into_iter().filter(|t| t.id != except).collect())
}
