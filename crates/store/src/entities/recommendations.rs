//! Row of `recommendations`. Mirrors the migration; no behaviour here (see the hand-written modules beside `entities`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "recommendations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub mission_id: i64,
    pub position: i32,
    pub direction: String,
    pub issuer: Option<String>,
    pub text: String,
    pub status: String,
    pub owner: Option<String>,
    pub owner_user_id: Option<i64>,
    pub due_on: Option<Date>,
    pub original_due_on: Option<Date>,
    pub priority: bool,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
