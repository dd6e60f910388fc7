//! Row of `report_versions`. Mirrors the migration; no behaviour here (see the hand-written modules beside
//! `entities`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "report_versions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub report_id: i64,
    pub mission_id: i64,
    pub number: i32,
    pub title: String,
    pub category: Option<String>,
    pub content: String,
    pub mission: String,
    pub content_hash: String,
    pub corrects: Option<String>,
    pub published_at: DateTimeUtc,
    pub published_by: Option<i64>,
    pub formal_settings: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
