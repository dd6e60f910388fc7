//! Settings of the formal report, and their frozen copy in each published version.
//!
//! - `organisation_formal_settings`: what an organisation sets for all its reports (signatory, standing
//!   recipients, place, margins).
//! - `report_formal_settings`: what one mission's report sets for itself (number, date, signatory, recipients).
//!
//! Both hold the domain's `formal::Overrides` as JSON: the fields are optional and read together, never queried
//! one by one, and the domain parses them again on every read. `version` is the optimistic-concurrency check of
//! their forms.
//!
//! `report_versions.formal_settings` freezes the settings a published version's formal report was set with
//! (resolved, not the overrides), beside its mission snapshot, so later changes of either level change no
//! published version. Versions published before this migration have none: their mission snapshot's defaults
//! stand in. The append-only triggers concern rows, not this column's addition.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{big_integer, big_integer_null, integer, text, text_null, timestamp_with_time_zone};

use crate::{drop_tables, fk};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, key, parent) in [
            ("organisation_formal_settings", "organisation_id", "organisations"),
            ("report_formal_settings", "mission_id", "missions"),
        ] {
            manager
                .create_table(
                    Table::create()
                        .table(Alias::new(table))
                        .col(big_integer(Alias::new(key)).primary_key())
                        .col(text(Alias::new("settings")))
                        .col(integer(Alias::new("version")))
                        .col(timestamp_with_time_zone(Alias::new("updated_at")))
                        .col(big_integer_null(Alias::new("updated_by")))
                        .foreign_key(&mut fk(table, key, parent, ForeignKeyAction::Cascade))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("report_versions"))
                    .add_column(text_null(Alias::new("formal_settings")))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("report_versions"))
                    .drop_column(Alias::new("formal_settings"))
                    .to_owned(),
            )
            .await?;
        drop_tables(manager, &["report_formal_settings", "organisation_formal_settings"]).await
    }
}
