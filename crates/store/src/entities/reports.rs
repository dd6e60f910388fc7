//! Row of `reports`. Mirrors the migration; no behaviour here (see the hand-written modules beside `entities`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub mission_id: i64,
    pub state: String,
    pub base: String,
    pub draft: String,
    pub comment: Option<String>,
    pub requested_by: Option<i64>,
    pub approved_by: Option<i64>,
    pub slug: Option<String>,
    pub category: Option<String>,
    pub category_slug: Option<String>,
    pub latest_version_id: Option<i64>,
    pub published_versions: i32,
    pub first_published_at: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
