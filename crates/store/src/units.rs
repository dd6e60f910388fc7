//! Administrative units and their lineage: stored, looked up as they were on a date, and their history.

use chrono::NaiveDate;
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
    let validity = match (valid.from, valid.to) {
        (Some(from), _) => format!("từ {}", giamsat_domain::date::format_short(from)),
        (None, Some(to)) => format!("đến hết {}", giamsat_domain::date::format_short(to)),
        (None, None) => String::new(),
    };
    crate::search::index_unit(conn, id, format!("{} {name}", kind_word(kind)), validity).await?;
    Ok(id)
}

/// The word that names a unit of `kind` in running text.
const fn kind_word(kind: UnitKind) -> &'static str {
    match kind {
        UnitKind::Province => "tỉnh",
        UnitKind::Municipality | UnitKind::ProvincialCity => "thành phố",
        UnitKind::UrbanDistrict => "quận",
        UnitKind::RuralDistrict => "huyện",
        UnitKind::Town => "thị xã",
        UnitKind::Ward => "phường",
        UnitKind::Commune => "xã",
        UnitKind::Township => "thị trấn",
        UnitKind::SpecialZone => "đặc khu",
    }
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

/// Hà Nội's Hoàn Kiếm before and after the 2025 reform: the demo's reference data (a real deployment imports
/// its own). The 2021 wards are those the seed mission visited and their neighbours; from 1/7/2025 the district
/// is gone and the wards were merged into phường Hoàn Kiếm, Tràng Tiền partly into phường Cửa Nam.
///
/// # Errors
/// [`StoreError::Db`].
pub async fn load_demo(conn: &impl ConnectionTrait) -> Result<(), StoreError> {
    if admin_units::Entity::find().one(conn).await?.is_some() {
        return Ok(());
    }
    let reform = NaiveDate::from_ymd_opt(2025, 7, 1).ok_or(StoreError::NotFound)?;
    let until = Validity { from: None, to: reform.pred_opt() };
    let since = Validity { from: Some(reform), to: None };
    let ha_noi = create(conn, "Hà Nội", UnitKind::Municipality, None, Validity::default()).await?;
    let hoan_kiem = create(conn, "Hoàn Kiếm", UnitKind::UrbanDistrict, Some(ha_noi), until).await?;
    let new_hoan_kiem = create(conn, "Hoàn Kiếm", UnitKind::Ward, Some(ha_noi), since).await?;
    let cua_nam = create(conn, "Cửa Nam", UnitKind::Ward, Some(ha_noi), since).await?;
    for (name, whole) in
        [("Đồng Xuân", true), ("Hàng Bạc", true), ("Tràng Tiền", false), ("Hàng Đào", true), ("Lý Thái Tổ", true)]
    {
        let ward = create(conn, name, UnitKind::Ward, Some(hoan_kiem), until).await?;
        let kind = if whole { LineageKind::MergedInto } else { LineageKind::SplitInto };
        link(conn, ward, new_hoan_kiem, kind, !whole, reform).await?;
        if !whole {
            link(conn, ward, cua_nam, kind, true, reform).await?;
        }
    }
    Ok(())
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
