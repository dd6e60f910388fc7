//! Row of `recommendation_evidence`. Mirrors the migration; no behaviour here (see the hand-written modules beside `entities`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "recommendation_evidence")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub recommendation_id: i64,
    pub event_id: i64,
    pub position: i32,
    pub file: String,
    pub caption: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
