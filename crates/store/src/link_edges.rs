//! The recorded links as the ledger's link rules read them (the edges, their kinds and ends), apart from the
//! lists of `links`, which are restricted to what a reader may see.

use std::collections::HashMap;

use giamsat_domain::recommendation::LinkEnd;
pub use giamsat_domain::recommendation::LinkKind;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::StoreError;
use crate::entities::{missions, recommendation_links, recommendations, targets};
use crate::mapping::code;

pub(crate) fn kind_of(row: &recommendation_links::Model) -> Result<LinkKind, StoreError> {
    code("recommendation_links", row.id, &row.kind, LinkKind::from_code)
}

/// What links `ids` record: their kind and the other end (the earlier item's id or the mission's id).
pub(crate) async fn by_ids(
    conn: &impl ConnectionTrait,
    ids: Vec<i64>,
) -> Result<HashMap<i64, (LinkKind, i64)>, StoreError> {
    recommendation_links::Entity::find()
        .filter(recommendation_links::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|row| {
            let other = row.earlier_id.or(row.mission_id).ok_or_else(|| {
                StoreError::corrupt("recommendation_links", row.id, "neither an earlier item nor a mission")
            })?;
            Ok((row.id, (kind_of(&row)?, other)))
        })
        .collect()
}

/// What the link rules need about recommendation `id`: its mission's units count with those they became and
/// those that became them, so an item of the merged phường Hoàn Kiếm (2026) repeats one of phường Hàng Bạc (2021).
pub(crate) async fn link_end(conn: &impl ConnectionTrait, id: i64) -> Result<LinkEnd, StoreError> {
    let row = recommendations::Entity::find_by_id(id).one(conn).await?.ok_or(StoreError::NotFound)?;
    let mission = missions::Entity::find_by_id(row.mission_id).one(conn).await?.ok_or(StoreError::NotFound)?;
    let units = units_of(conn, row.mission_id).await?;
    Ok(LinkEnd { id, mission_id: row.mission_id, on: mission.fieldwork_from, units })
}

/// The units `mission_id` supervised, with their lineage ([`crate::units::lineage_of`]).
pub(crate) async fn units_of(conn: &impl ConnectionTrait, mission_id: i64) -> Result<Vec<i64>, StoreError> {
    let units = targets::Entity::find()
        .select_only()
        .column(targets::Column::AdminUnitId)
        .filter(targets::Column::MissionId.eq(mission_id))
        .filter(targets::Column::AdminUnitId.is_not_null())
        .into_tuple::<i64>()
        .all(conn)
        .await?;
    crate::units::lineage_of(conn, &units).await
}

/// Every recorded repeat link as `(later, earlier)`: a loop can run through items of any unit, and the links
/// are few (one table row per link an editor made).
pub(crate) async fn repeat_edges(conn: &impl ConnectionTrait) -> Result<Vec<(i64, i64)>, StoreError> {
    Ok(recommendation_links::Entity::find()
        .select_only()
        .column(recommendation_links::Column::RecommendationId)
        .column(recommendation_links::Column::EarlierId)
        .filter(recommendation_links::Column::Kind.eq(LinkKind::Repeats.code()))
        .into_tuple::<(i64, Option<i64>)>()
        .all(conn)
        .await?
        .into_iter()
        .filter_map(|(later, earlier)| Some((later, earlier?)))
        .collect())
}

/// The missions recorded as having re-supervised recommendation `id`.
pub(crate) async fn resupervisions_of(conn: &impl ConnectionTrait, id: i64) -> Result<Vec<i64>, StoreError> {
    Ok(recommendation_links::Entity::find()
        .select_only()
        .column(recommendation_links::Column::MissionId)
        .filter(recommendation_links::Column::RecommendationId.eq(id))
        .filter(recommendation_links::Column::Kind.eq(LinkKind::ResupervisedBy.code()))
        .into_tuple::<Option<i64>>()
        .all(conn)
        .await?
        .into_iter()
        .flatten()
        .collect())
}
