//! The demo's reference data: Hà Nội's Hoàn Kiếm before and after the 2025 reform (its wards merged or split
//! into the new Hoàn Kiếm and Cửa Nam wards), the units `giamsat serve --demo` and the tests load.

use chrono::NaiveDate;
use giamsat_domain::org::{LineageKind, UnitKind, Validity};
use sea_orm::{ConnectionTrait, EntityTrait};

use crate::entities::admin_units;
use crate::{StoreError, units};

/// Hà Nội's Hoàn Kiếm before and after the 2025 reform: the demo's reference data (a real deployment imports
/// its own). The 2021 wards are those the seed mission visited and their neighbours; from 1/7/2025 the district
/// is gone and the wards were merged into phường Hoàn Kiếm, Tràng Tiền partly into phường Cửa Nam.
///
/// # Errors
/// [`StoreError::Db`].
pub async fn load_demo_units(conn: &impl ConnectionTrait) -> Result<(), StoreError> {
    if admin_units::Entity::find().one(conn).await?.is_some() {
        return Ok(());
    }
    let reform = NaiveDate::from_ymd_opt(2025, 7, 1).ok_or(StoreError::NotFound)?;
    let until = Validity { from: None, to: reform.pred_opt() };
    let since = Validity { from: Some(reform), to: None };
    let ha_noi = units::create(conn, "Hà Nội", UnitKind::Municipality, None, Validity::default()).await?;
    let hoan_kiem = units::create(conn, "Hoàn Kiếm", UnitKind::UrbanDistrict, Some(ha_noi), until).await?;
    let new_hoan_kiem = units::create(conn, "Hoàn Kiếm", UnitKind::Ward, Some(ha_noi), since).await?;
    let cua_nam = units::create(conn, "Cửa Nam", UnitKind::Ward, Some(ha_noi), since).await?;
    for (name, whole) in
        [("Đồng Xuân", true), ("Hàng Bạc", true), ("Tràng Tiền", false), ("Hàng Đào", true), ("Lý Thái Tổ", true)]
    {
        let ward = units::create(conn, name, UnitKind::Ward, Some(hoan_kiem), until).await?;
        let kind = if whole { LineageKind::MergedInto } else { LineageKind::SplitInto };
        units::link(conn, ward, new_hoan_kiem, kind, !whole, reform).await?;
        if !whole {
            units::link(conn, ward, cua_nam, kind, true, reform).await?;
        }
    }
    Ok(())
}
