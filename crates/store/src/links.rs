//! Links between recommendations across missions: an item repeats an earlier one of the same unit, or was
//! checked again by a re-supervision. Written by `ledger::write` (one link per change, with its event and audit
//! row); read here, always restricted to what the reader may see.

use std::collections::HashMap;

use chrono::NaiveDate;
use giamsat_domain::policy::Visibility;
pub use giamsat_domain::recommendation::LinkKind;
use sea_orm::sea_query::{Condition, ExprTrait, JoinType, Order, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::StoreError;
use crate::entities::{decisions, missions, recommendation_links, recommendations, targets};
use crate::ledger::{Filter, Item, filtered};
use crate::link_edges::{kind_of, units_of};

/// A recommendation of another mission, as a link or a candidate shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Other {
    pub id: i64,
    pub text: String,
    pub mission_id: i64,
    pub mission_title: String,
    /// The start of its mission's fieldwork.
    pub on: Option<NaiveDate>,
}

/// An item with the columns of its mission's name: id, text, mission id, team, body, start of fieldwork,
/// decision number and date.
type OtherRow = (i64, String, i64, Option<String>, String, Option<NaiveDate>, Option<String>, Option<NaiveDate>);

/// Visible recommendations with their mission's name and date, one query (a join on missions and their
/// decisions).
async fn others(
    conn: &impl ConnectionTrait,
    query: sea_orm::Select<recommendations::Entity>,
    visibility: Visibility,
    addressee_org: Option<i64>,
) -> Result<Vec<Other>, StoreError> {
    let mission = recommendations::Entity::belongs_to(missions::Entity)
        .from(recommendations::Column::MissionId)
        .to(missions::Column::Id)
        .into();
    let decision = missions::Entity::belongs_to(decisions::Entity)
        .from(missions::Column::DecisionId)
        .to(decisions::Column::Id)
        .into();
    let rows = filtered(query, visibility, addressee_org, &Filter::default(), None)
        .join(JoinType::InnerJoin, mission)
        .join(JoinType::LeftJoin, decision)
        .select_only()
        .column(recommendations::Column::Id)
        .column(recommendations::Column::Text)
        .column(recommendations::Column::MissionId)
        .column(missions::Column::TeamName)
        .column(missions::Column::SupervisingBody)
        .column(missions::Column::FieldworkFrom)
        .column(decisions::Column::NumberRaw)
        .column(decisions::Column::IssuedOn)
        .into_tuple::<OtherRow>()
        .all(conn)
        .await?;
    // The items of one mission share its name: composed once per mission (parsing the decision's number for each
    // of the candidates' 200 rows was a twentieth of the recommendation page).
    let mut names: HashMap<i64, String> = HashMap::new();
    rows.into_iter()
        .map(|(id, text, mission_id, team, body, on, number, date)| {
            let mission_title = match names.get(&mission_id) {
                Some(name) => name.clone(),
                None => {
                    let name =
                        crate::names::name_from(mission_id, team.as_deref(), &body, on, number.as_deref(), date)?;
                    names.insert(mission_id, name.clone());
                    name
                }
            };
            Ok(Other { id, text, mission_id, mission_title, on })
        })
        .collect()
}

/// A link as the recommendation page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Linked {
    /// This item repeats `Other` (an earlier one).
    RepeatsFrom(Other),
    /// `Other` (a later one) repeats this item.
    RepeatedIn(Other),
    /// A mission checked this item again: its id, title and start of fieldwork.
    ResupervisedBy { mission_id: i64, mission_title: String, on: Option<NaiveDate> },
}

/// The links of recommendation `id` in both directions, leaving out the items and missions the reader may not
/// see (three queries).
///
/// # Errors
/// [`StoreError::Db`], [`StoreError::Corrupt`].
pub async fn of_item(
    conn: &impl ConnectionTrait,
    id: i64,
    visibility: Visibility,
    addressee_org: Option<i64>,
) -> Result<Vec<Linked>, StoreError> {
    let rows = recommendation_links::Entity::find()
        .filter(
            recommendation_links::Column::RecommendationId.eq(id).or(recommendation_links::Column::EarlierId.eq(id)),
        )
        .order_by_asc(recommendation_links::Column::Id)
        .all(conn)
        .await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let mut item_ids = Vec::new();
    let mut mission_ids = Vec::new();
    for row in &rows {
        match (kind_of(row)?, row.earlier_id, row.mission_id) {
            (LinkKind::Repeats, Some(earlier), _) if row.recommendation_id == id => item_ids.push(earlier),
            (LinkKind::Repeats, Some(_), _) => item_ids.push(row.recommendation_id),
            (LinkKind::ResupervisedBy, _, Some(mission)) => mission_ids.push(mission),
            _ => return Err(StoreError::corrupt("recommendation_links", row.id, "its other end is missing")),
        }
    }
    let items: HashMap<i64, Other> = if item_ids.is_empty() {
        HashMap::new()
    } else {
        let query = recommendations::Entity::find().filter(recommendations::Column::Id.is_in(item_ids));
        others(conn, query, visibility, addressee_org).await?.into_iter().map(|o| (o.id, o)).collect()
    };
    let missions: HashMap<i64, (missions::Model, Option<decisions::Model>)> = if mission_ids.is_empty() {
        HashMap::new()
    } else {
        let mut query = missions::Entity::find().filter(missions::Column::Id.is_in(mission_ids));
        if let Some(visible) = crate::visibility::visible_ids(visibility) {
            query = query.filter(missions::Column::Id.in_subquery(visible));
        }
        query.find_also_related(decisions::Entity).all(conn).await?.into_iter().map(|(m, d)| (m.id, (m, d))).collect()
    };
    rows.into_iter()
        .filter_map(|row| match (row.earlier_id, row.mission_id) {
            (Some(earlier), _) if row.recommendation_id == id => {
                items.get(&earlier).cloned().map(Linked::RepeatsFrom).map(Ok)
            }
            (Some(_), _) => items.get(&row.recommendation_id).cloned().map(Linked::RepeatedIn).map(Ok),
            (None, Some(mission)) => missions.get(&mission).map(|(m, d)| {
                Ok(Linked::ResupervisedBy {
                    mission_id: m.id,
                    mission_title: crate::names::name_of(m, d.as_ref())?,
                    on: m.fieldwork_from,
                })
            }),
            (None, None) => None,
        })
        .collect()
}

/// Most missions whose items [`candidates`] offers: the newest earlier ones that share a unit.
const CANDIDATE_MISSIONS: u64 = 50;

/// Which side of a mission the other end of a link must lie on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Earlier,
    Later,
}

/// The missions that came before (`Earlier`) or after (`Later`) mission `id`, which went to the field `on`, in
/// the order [`giamsat_domain::recommendation::LinkEnd::is_before`] defines: by the start of fieldwork when both
/// are known and differ, else by id. It narrows in SQL what the page then checks with that rule, so the bounded
/// lists hold only missions the rule can accept (the newest sharing missions of an old item are all later ones).
/// The store test `link_candidates_are_the_missions_of_the_same_units_before_and_after_as_the_domain_orders_them`
/// checks it against the rule on both databases.
fn ordered(side: Side, id: i64, on: Option<NaiveDate>) -> Condition {
    let by_id = match side {
        Side::Earlier => missions::Column::Id.lt(id),
        Side::Later => missions::Column::Id.gt(id),
    };
    let Some(day) = on else { return Condition::all().add(by_id) };
    let by_date = match side {
        Side::Earlier => missions::Column::FieldworkFrom.lt(day),
        Side::Later => missions::Column::FieldworkFrom.gt(day),
    };
    let undated_or_same_day = missions::Column::FieldworkFrom.is_null().or(missions::Column::FieldworkFrom.eq(day));
    Condition::any().add(by_date).add(undated_or_same_day.and(by_id))
}

/// What the recommendation page offers to link an item to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Candidates {
    /// Visible recommendations of the [`CANDIDATE_MISSIONS`] newest earlier missions that supervised one of the
    /// units the item's mission supervised (or one in their lineage), newest mission first (at most 200): what
    /// it may repeat.
    pub items: Vec<Other>,
    /// Visible later missions that supervised one of those units, newest first, as `(id, title, start of
    /// fieldwork)` (at most 100): what may have re-supervised it.
    pub missions: Vec<(i64, String, Option<NaiveDate>)>,
}

/// The link candidates of `item`, whose mission went to the field `on` (four queries: the mission's units, their
/// lineage, the items, the missions). Earlier and later are narrowed in SQL ([`ordered`]); the domain's rule
/// stays the judge of each.
///
/// # Errors
/// [`StoreError::Db`], [`StoreError::Corrupt`].
pub async fn candidates(
    conn: &impl ConnectionTrait,
    item: &Item,
    on: Option<NaiveDate>,
    visibility: Visibility,
    addressee_org: Option<i64>,
) -> Result<Candidates, StoreError> {
    let units = units_of(conn, item.mission_id).await?;
    if units.is_empty() {
        return Ok(Candidates::default());
    }
    let visiting = Query::select()
        .column(targets::Column::MissionId)
        .from(targets::Entity)
        .and_where(targets::Column::AdminUnitId.is_in(units))
        .to_owned();
    let visible = crate::visibility::visible_ids(visibility);
    // The newest earlier missions the user may see, not the newest of all, which could be none of theirs.
    let mut earlier = Query::select()
        .column(missions::Column::Id)
        .from(missions::Entity)
        .and_where(missions::Column::Id.in_subquery(visiting.clone()))
        .cond_where(ordered(Side::Earlier, item.mission_id, on))
        .order_by(missions::Column::Id, Order::Desc)
        .limit(CANDIDATE_MISSIONS)
        .to_owned();
    if let Some(visible) = visible.clone() {
        earlier.and_where(missions::Column::Id.in_subquery(visible));
    }
    let query = recommendations::Entity::find()
        .filter(recommendations::Column::MissionId.in_subquery(earlier))
        .order_by_desc(recommendations::Column::MissionId)
        .order_by_asc(recommendations::Column::Position)
        .limit(200);
    let items = others(conn, query, visibility, addressee_org).await?;
    let mut query = missions::Entity::find()
        .filter(missions::Column::Id.in_subquery(visiting))
        .filter(ordered(Side::Later, item.mission_id, on))
        .order_by_desc(missions::Column::Id)
        .limit(100);
    if let Some(visible) = visible {
        query = query.filter(missions::Column::Id.in_subquery(visible));
    }
    let rows: Vec<crate::names::IdAndName> = crate::names::select_name(query).into_tuple().all(conn).await?;
    let missions = rows
        .into_iter()
        .map(|row| {
            let from = row.3;
            crate::names::id_and_name(row).map(|(id, name)| (id, name, from))
        })
        .collect::<Result<_, StoreError>>()?;
    Ok(Candidates { items, missions })
}

/// The outgoing links of a mission's recommendations as `(recommendation id, kind)` (one query): the mission page
/// marks the items that repeat an earlier one or were re-supervised.
///
/// # Errors
/// [`StoreError::Db`], [`StoreError::Corrupt`].
pub async fn of_mission(conn: &impl ConnectionTrait, mission_id: i64) -> Result<Vec<(i64, LinkKind)>, StoreError> {
    let ids = Query::select()
        .column(recommendations::Column::Id)
        .from(recommendations::Entity)
        .and_where(recommendations::Column::MissionId.eq(mission_id))
        .to_owned();
    recommendation_links::Entity::find()
        .filter(recommendation_links::Column::RecommendationId.in_subquery(ids))
        .order_by_asc(recommendation_links::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(|row| Ok((row.recommendation_id, kind_of(&row)?)))
        .collect()
}

/// The recommendations of other missions recorded as re-supervised by mission `mission_id`, those the reader may
/// see (one query): the re-supervising mission's page lists what it checked.
///
/// # Errors
/// [`StoreError::Db`].
pub async fn checked_by(
    conn: &impl ConnectionTrait,
    mission_id: i64,
    visibility: Visibility,
    addressee_org: Option<i64>,
) -> Result<Vec<Other>, StoreError> {
    let ids = Query::select()
        .column(recommendation_links::Column::RecommendationId)
        .from(recommendation_links::Entity)
        .and_where(recommendation_links::Column::MissionId.eq(mission_id))
        .and_where(recommendation_links::Column::Kind.eq(LinkKind::ResupervisedBy.code()))
        .to_owned();
    let query = recommendations::Entity::find()
        .filter(recommendations::Column::Id.in_subquery(ids))
        .order_by_asc(recommendations::Column::MissionId)
        .order_by_asc(recommendations::Column::Position);
    others(conn, query, visibility, addressee_org).await
}
