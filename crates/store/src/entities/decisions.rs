//! Row of `decisions`. Mirrors the migration; no behaviour here (see the hand-written modules beside `entities`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "decisions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub owner_org_id: i64,
    pub number_raw: Option<String>,
    pub doc_system: Option<String>,
    pub type_code: Option<String>,
    pub sequence: Option<i32>,
    pub doc_year: Option<i32>,
    pub issuer_code: Option<String>,
    pub issued_on: Option<Date>,
    pub issuer: Option<String>,
    pub summary: Option<String>,
    pub version: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
