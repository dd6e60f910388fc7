//! Row of `recommendation_links`. Mirrors the migration; no behaviour here (see the hand-written modules beside `entities`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "recommendation_links")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub recommendation_id: i64,
    pub kind: String,
    pub earlier_id: Option<i64>,
    pub mission_id: Option<i64>,
    pub created_at: DateTimeUtc,
    pub actor: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
