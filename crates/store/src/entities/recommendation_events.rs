//! Row of `recommendation_events`. Mirrors the migration; no behaviour here (see the hand-written modules beside `entities`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "recommendation_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub recommendation_id: i64,
    pub at: DateTimeUtc,
    pub actor: String,
    pub kind: String,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    pub due_from: Option<Date>,
    pub due_to: Option<Date>,
    pub note: String,
    pub approved_by: Option<String>,
    pub link_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
