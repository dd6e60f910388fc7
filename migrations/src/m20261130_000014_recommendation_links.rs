//! Links between recommendations across missions, and an owner account.
//!
//! - `recommendation_links`: a recommendation (`recommendation_id`, the later item) repeats an earlier one of the
//!   same unit (`kind = 'repeats'`, `earlier_id`) or was checked again by a re-supervision (`kind =
//!   'resupervised_by'`, `mission_id`). Rows are appended, never updated or removed, each with its
//!   `recommendation_events` row (`kind = 'link'`, `link_id`) and audit row; deleting one of the two linked items
//!   or the mission removes the link with it. Unique per (item, earlier item) and (item, mission), so a double submit cannot link twice.
//! - `recommendations.owner_user_id`: the account that follows the item up, when the owner has one (the free-text
//!   `owner` stays for people without accounts); reminders go to it. No foreign key: SQLite cannot add one to an
//!   existing table, and accounts are disabled, never deleted.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{big_integer, big_integer_null, big_pk_auto, string, text, timestamp_with_time_zone};

use crate::{create_indexes, drop_tables, fk};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let cascade = ForeignKeyAction::Cascade;
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("recommendation_links"))
                    .col(big_pk_auto(Alias::new("id")))
                    .col(big_integer(Alias::new("recommendation_id")))
                    .col(string(Alias::new("kind")))
                    .col(big_integer_null(Alias::new("earlier_id")))
                    .col(big_integer_null(Alias::new("mission_id")))
                    .col(timestamp_with_time_zone(Alias::new("created_at")))
                    .col(text(Alias::new("actor")))
                    .foreign_key(&mut fk("recommendation_links", "recommendation_id", "recommendations", cascade))
                    .foreign_key(&mut fk("recommendation_links", "earlier_id", "recommendations", cascade))
                    .foreign_key(&mut fk("recommendation_links", "mission_id", "missions", cascade))
                    .to_owned(),
            )
            .await?;
        for (name, column) in [("earlier", "earlier_id"), ("mission", "mission_id")] {
            // NULLs are distinct on both engines: each index holds one kind of link only.
            manager
                .create_index(
                    Index::create()
                        .name(format!("ux_recommendation_links_item_{name}"))
                        .table(Alias::new("recommendation_links"))
                        .col(Alias::new("recommendation_id"))
                        .col(Alias::new(column))
                        .unique()
                        .to_owned(),
                )
                .await?;
        }
        create_indexes(manager, "recommendation_links", &[&["earlier_id"], &["mission_id"]]).await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("recommendation_events"))
                    .add_column(big_integer_null(Alias::new("link_id")))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("recommendations"))
                    .add_column(big_integer_null(Alias::new("owner_user_id")))
                    .to_owned(),
            )
            .await?;
        create_indexes(manager, "recommendations", &[&["owner_user_id"]]).await?;
        // An addressee's ledger, and every addressee's staff's ledger, select by organisation.
        create_indexes(manager, "recommendation_addressees", &[&["organisation_id"]]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_recommendation_addressees_organisation_id")
                    .table(Alias::new("recommendation_addressees"))
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop().name("ix_recommendations_owner_user_id").table(Alias::new("recommendations")).to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter().table(Alias::new("recommendations")).drop_column(Alias::new("owner_user_id")).to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter().table(Alias::new("recommendation_events")).drop_column(Alias::new("link_id")).to_owned(),
            )
            .await?;
        drop_tables(manager, &["recommendation_links"]).await
    }
}
