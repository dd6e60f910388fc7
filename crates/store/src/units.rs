//! Administrative units and their lineage: stored, looked up as they were on a date, and their history.

use chrono::NaiveDate;
use giamsat_domain::messages::labels;
use giamsat_domain::org::{AdminUnit, Lineage, LineageKind, UnitKind, Validity};
use giamsat_domain::text::fold;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, NotSet, QueryFilter, QueryOrder, QuerySelect,
};

use crate::StoreError;
use crate::entities::{admin_units, unit_lineage};
use crate::mapping::code;

fn unit_of(row: admin_units::Model) -> Result<AdminUnit, StoreError> {
    Ok(AdminUnit {
        kind: code("admin_units", row.id, &row.kind, UnitKind::from_code)?,
        id: row.id,
        name: row.name,
        parent: row.parent_id,
        valid: Validity { from: row.valid_from, to: row.valid_to },
    })
}

/// Stores a unit and returns its id.
///
/// # Errors
/// [`StoreError::Db`].
pub async fn create(
    conn: &impl ConnectionTrait,
    name: &str,
    kind: UnitKind,
    parent: Option<i64>,
    valid: Validity,
) -> Result<i64, StoreError> {
    let id = admin_units::Entity::insert(admin_units::ActiveModel {
        id: NotSet,
        name: Set(name.to_owned()),
        name_folded: Set(fold(name)),
        kind: Set(kind.code().to_owned()),
        parent_id: Set(parent),
        valid_from: Set(valid.from),
        valid_to: Set(valid.to),
    })
    .exec(conn)
    .await?
    .last_insert_id;
    let validity = labels::validity(valid.from, valid.to);
    crate::search::index_unit(conn, id, format!("{} {name}", labels::unit_kind_word(kind)), validity).await?;
    Ok(id)
}

/// Records that `from` became (part of) `to`.
///
/// # Errors
/// [`StoreError::Db`].
pub async fn link(
    conn: &impl ConnectionTrait,
    from: i64,
    to: i64,
    kind: LineageKind,
    partial: bool,
    effective_on: NaiveDate,
) -> Result<(), StoreError> {
    unit_lineage::Entity::insert(unit_lineage::ActiveModel {
        id: NotSet,
        from_unit_id: Set(from),
        to_unit_id: Set(to),
        kind: Set(kind.code().to_owned()),
        partial: Set(partial),
        effective_on: Set(effective_on),
    })
    .exec(conn)
    .await?;
    Ok(())
}

/// Every unit, by name in Vietnamese order, and every lineage edge.
///
/// # Errors
/// [`StoreError::Db`], [`StoreError::Corrupt`].
pub async fn all(conn: &impl ConnectionTrait) -> Result<(Vec<AdminUnit>, Vec<Lineage>), StoreError> {
    let mut units =
        admin_units::Entity::find().all(conn).await?.into_iter().map(unit_of).collect::<Result<Vec<_>, _>>()?;
    units.sort_by(|a, b| giamsat_domain::text::cmp_vi(&a.name, &b.name));
    let lineage = unit_lineage::Entity::find()
        .order_by_asc(unit_lineage::Column::EffectiveOn)
        .all(conn)
        .await?
        .into_iter()
        .map(|e| {
            Ok(Lineage {
                kind: code("unit_lineage", e.id, &e.kind, LineageKind::from_code)?,
                from: e.from_unit_id,
                to: e.to_unit_id,
                partial: e.partial,
                effective_on: e.effective_on,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok((units, lineage))
}

/// The unit named `name` of `kind` as it existed on `day`, when exactly one matches.
///
/// # Errors
/// [`StoreError::Db`], [`StoreError::Corrupt`].
pub async fn on(
    conn: &impl ConnectionTrait,
    name: &str,
    kind: UnitKind,
    day: NaiveDate,
) -> Result<Option<AdminUnit>, StoreError> {
    let candidates = admin_units::Entity::find()
        .filter(admin_units::Column::NameFolded.eq(fold(name)))
        .filter(admin_units::Column::Kind.eq(kind.code()))
        .all(conn)
        .await?
        .into_iter()
        .map(unit_of)
        .collect::<Result<Vec<_>, _>>()?;
    let mut matching = candidates.into_iter().filter(|u| u.name == name && u.valid.contains(day));
    Ok(match (matching.next(), matching.next()) {
        (Some(unit), None) => Some(unit),
        _ => None,
    })
}

/// One unit.
///
/// # Errors
/// [`StoreError::NotFound`], [`StoreError::Corrupt`], [`StoreError::Db`].
pub async fn get(conn: &impl ConnectionTrait, id: i64) -> Result<AdminUnit, StoreError> {
    unit_of(admin_units::Entity::find_by_id(id).one(conn).await?.ok_or(StoreError::NotFound)?)
}

/// `units` with their lineage by [`giamsat_domain::org::lineage`], the one rule: one query for the edges
/// (reforms are few: a national reform is some thousands of rows).
///
/// # Errors
/// [`StoreError::Db`].
pub async fn lineage_of(conn: &impl ConnectionTrait, units: &[i64]) -> Result<Vec<i64>, StoreError> {
    let rows: Vec<(i64, i64)> = unit_lineage::Entity::find()
        .select_only()
        .column(unit_lineage::Column::FromUnitId)
        .column(unit_lineage::Column::ToUnitId)
        .into_tuple()
        .all(conn)
        .await?;
    Ok(giamsat_domain::org::lineage(units, &rows))
}
