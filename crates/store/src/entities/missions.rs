//! Row of `missions`. Mirrors the migration; no behaviour here (see the hand-written modules beside `entities`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "missions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub version: i32,
    pub state: String,
    pub owner_org_id: i64,
    pub system: String,
    pub form: String,
    pub basis: Option<String>,
    pub decision_id: Option<i64>,
    pub supervising_body: String,
    pub team_name: Option<String>,
    pub team_ordinal: Option<i32>,
    pub subject: String,
    pub fieldwork_from: Option<Date>,
    pub fieldwork_to: Option<Date>,
    pub reference_from: Option<Date>,
    pub reference_to: Option<Date>,
    pub findings_none_recorded: String,
    pub conclusion_preamble: Option<String>,
    pub has_publication: bool,
    pub pub_category: Option<String>,
    pub pub_published_at: Option<String>,
    pub pub_byline: Option<String>,
    pub pub_source: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::decisions::Entity",
        from = "Column::DecisionId",
        to = "super::decisions::Column::Id"
    )]
    Decision,
}

impl Related<super::decisions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Decision.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
