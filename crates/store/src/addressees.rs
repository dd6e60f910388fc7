//! A recommendation's addressees, linked to organisations by name when they are written (by the ledger and by
//! the mission forms alike).

use giamsat_domain::text::fold;
use sea_orm::sea_query::ExprTrait;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, NotSet, QueryFilter};

use crate::StoreError;
use crate::entities::{missions, organisations, recommendation_addressees};
use crate::rows::position;

/// The organisation each addressee names (two queries): an organisation whose full name it is (when only one
/// has it), else the mission's owner when it is the owner's short name ("Quận ủy" in a mission of Quận ủy Hoàn
/// Kiếm). Other names (collective ones: "Đảng ủy các phường") name no organisation.
///
/// # Errors
/// [`StoreError::Db`], [`StoreError::NotFound`] for an unknown mission.
pub async fn addressee_orgs(
    conn: &impl ConnectionTrait,
    mission_id: i64,
    names: &[String],
) -> Result<Vec<Option<i64>>, StoreError> {
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let owner_id = missions::Entity::find_by_id(mission_id).one(conn).await?.ok_or(StoreError::NotFound)?.owner_org_id;
    let folded: Vec<String> = names.iter().map(|n| fold(n)).collect();
    let candidates = organisations::Entity::find()
        .filter(organisations::Column::NameFolded.is_in(folded.clone()).or(organisations::Column::Id.eq(owner_id)))
        .all(conn)
        .await?;
    let owner = candidates.iter().find(|o| o.id == owner_id);
    Ok(folded
        .iter()
        .map(|name| {
            let mut by_name = candidates.iter().filter(|o| &o.name_folded == name);
            match (by_name.next(), by_name.next()) {
                (Some(only), None) => Some(only.id),
                (Some(_), Some(_)) => None,
                (None, _) => owner.filter(|o| o.short_name.as_deref().is_some_and(|s| &fold(s) == name)).map(|o| o.id),
            }
        })
        .collect())
}

/// Writes the addressee rows of recommendation `id` (resolved to organisations).
pub(crate) async fn insert(
    conn: &impl ConnectionTrait,
    mission_id: i64,
    id: i64,
    addressees: &[String],
) -> Result<(), StoreError> {
    if addressees.is_empty() {
        return Ok(());
    }
    let orgs = addressee_orgs(conn, mission_id, addressees).await?;
    recommendation_addressees::Entity::insert_many(addressees.iter().zip(orgs).enumerate().map(|(j, (a, org))| {
        recommendation_addressees::ActiveModel {
            id: NotSet,
            mission_id: Set(mission_id),
            recommendation_id: Set(id),
            position: Set(position(j)),
            addressee: Set(a.clone()),
            organisation_id: Set(org),
        }
    }))
    .exec(conn)
    .await?;
    Ok(())
}
