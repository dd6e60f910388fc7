//! Row of `report_formal_settings`. Mirrors the migration; no behaviour here (see `crate::formal_settings`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "report_formal_settings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub mission_id: i64,
    pub settings: String,
    pub version: i32,
    pub updated_at: DateTimeUtc,
    pub updated_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
