//! Organisations: found or created by name under their parent, so repeated imports share one row.

use chrono::{DateTime, Utc};
use giamsat_domain::codes::SupervisionSystem;
use giamsat_domain::mission::Owner;
use giamsat_domain::org::OrgKind;
use giamsat_domain::text::fold;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, NotSet, QueryFilter};

use crate::StoreError;
use crate::entities::organisations;

/// The kind of body that owns missions of `system`.
fn owner_kind(system: SupervisionSystem) -> OrgKind {
    match system {
        SupervisionSystem::Party => OrgKind::PartyCommittee,
        SupervisionSystem::Council => OrgKind::PeoplesCouncil,
        SupervisionSystem::Front => OrgKind::FatherlandFront,
    }
}

async fn find_or_create(
    conn: &impl ConnectionTrait,
    name: &str,
    parent_id: Option<i64>,
    kind: OrgKind,
    short_name: Option<&str>,
    place: Option<&str>,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let mut query = organisations::Entity::find().filter(organisations::Column::Name.eq(name));
    query = match parent_id {
        Some(p) => query.filter(organisations::Column::ParentId.eq(p)),
        None => query.filter(organisations::Column::ParentId.is_null()),
    };
    let candidates = query.all(conn).await?;
    let same = candidates.iter().find(|o| {
        short_name.is_none_or(|s| o.short_name.as_deref() == Some(s))
            && place.is_none_or(|p| o.place.as_deref() == Some(p))
    });
    if let Some(existing) = same {
        return Ok(existing.id);
    }
    let inserted = organisations::Entity::insert(organisations::ActiveModel {
        id: NotSet,
        name: Set(name.to_owned()),
        name_folded: Set(fold(name)),
        short_name: Set(short_name.map(str::to_owned)),
        kind: Set(kind.code().to_owned()),
        parent_id: Set(parent_id),
        place: Set(place.map(str::to_owned)),
        locality_unit_id: Set(None),
        valid_from: Set(None),
        valid_to: Set(None),
        created_at: Set(now),
    })
    .exec(conn)
    .await?;
    Ok(inserted.last_insert_id)
}

/// The organisation row of a mission's owner (and of its parent body), created if new.
///
/// # Errors
/// [`StoreError::Db`] on database failure.
pub async fn owner_id(
    conn: &impl ConnectionTrait,
    owner: &Owner,
    system: SupervisionSystem,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let kind = owner_kind(system);
    let parent_id = match &owner.parent {
        Some(parent) => Some(find_or_create(conn, parent, None, kind, None, None, now).await?),
        None => None,
    };
    find_or_create(conn, &owner.name, parent_id, kind, Some(&owner.short_name), Some(&owner.place), now).await
}

/// An organisation as lists and pickers show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgSummary {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub parent_id: Option<i64>,
}

/// Every organisation, by name.
///
/// # Errors
/// [`StoreError::Db`].
pub async fn list(conn: &impl ConnectionTrait) -> Result<Vec<OrgSummary>, StoreError> {
    use sea_orm::QueryOrder;
    Ok(organisations::Entity::find()
        .order_by_asc(organisations::Column::Name)
        .all(conn)
        .await?
        .into_iter()
        .map(|o| OrgSummary { id: o.id, name: o.name, kind: o.kind, parent_id: o.parent_id })
        .collect())
}

/// The organisation named exactly `name` (the first, if several share it), or with this id.
///
/// # Errors
/// [`StoreError::Db`].
pub async fn find(conn: &impl ConnectionTrait, name_or_id: &str) -> Result<Option<i64>, StoreError> {
    if let Ok(id) = name_or_id.parse::<i64>() {
        return Ok(organisations::Entity::find_by_id(id).one(conn).await?.map(|o| o.id));
    }
    Ok(organisations::Entity::find().filter(organisations::Column::Name.eq(name_or_id)).one(conn).await?.map(|o| o.id))
}

/// The owner block of missions created for organisation `id`.
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown organisation.
pub async fn owner_of(conn: &impl ConnectionTrait, id: i64) -> Result<Owner, StoreError> {
    let org = organisations::Entity::find_by_id(id).one(conn).await?.ok_or(StoreError::NotFound)?;
    let parent = match org.parent_id {
        Some(p) => organisations::Entity::find_by_id(p).one(conn).await?.map(|p| p.name),
        None => None,
    };
    Ok(Owner {
        short_name: org.short_name.clone().unwrap_or_else(|| org.name.clone()),
        place: org.place.clone().unwrap_or_default(),
        name: org.name,
        parent,
    })
}
