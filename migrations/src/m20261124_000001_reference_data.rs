//! Organisations, administrative units with lineage, people and the positions they held.
//!
//! Party bodies and State bodies share `organisations` (one tree through `parent_id`, any depth, its kind
//! telling which side), while administrative units are a separate tree: an organisation may point at its
//! locality. Units are time-versioned (`valid_from`/`valid_to`, the last day inclusive) and linked by lineage
//! edges, so the 2021 wards and the 2025 units coexist. `*_folded` columns hold the search folding
//! (lower case, no diacritics, đ→d) so lookups can use an index on both backends.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, big_integer_null, big_pk_auto, boolean, date, date_null, string, string_null, text, text_null,
    timestamp_with_time_zone,
};
use sea_orm_migration::sea_orm::ConnectionTrait;

use crate::{create_indexes, drop_tables, fk};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("admin_units"))
                    .col(big_pk_auto(Alias::new("id")))
                    .col(text(Alias::new("name")))
                    .col(text(Alias::new("name_folded")))
                    .col(string(Alias::new("kind")))
                    .col(big_integer_null(Alias::new("parent_id")))
                    .col(date_null(Alias::new("valid_from")))
                    .col(date_null(Alias::new("valid_to")))
                    .foreign_key(&mut fk("admin_units", "parent_id", "admin_units", ForeignKeyAction::Restrict))
                    .to_owned(),
            )
            .await?;
        create_indexes(manager, "admin_units", &[&["name_folded"], &["parent_id"]]).await?;

        manager
            .create_table(
                Table::create()
                    .table(Alias::new("unit_lineage"))
                    .col(big_pk_auto(Alias::new("id")))
                    .col(big_integer(Alias::new("from_unit_id")))
                    .col(big_integer(Alias::new("to_unit_id")))
                    // merged_into | split_into | renamed_to
                    .col(string(Alias::new("kind")))
                    // Only part of the old unit went into the new one (Tràng Tiền → Hoàn Kiếm and Cửa Nam).
                    .col(boolean(Alias::new("partial")))
                    .col(date(Alias::new("effective_on")))
                    .foreign_key(&mut fk("unit_lineage", "from_unit_id", "admin_units", ForeignKeyAction::Cascade))
                    .foreign_key(&mut fk("unit_lineage", "to_unit_id", "admin_units", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        create_indexes(manager, "unit_lineage", &[&["from_unit_id"], &["to_unit_id"]]).await?;

        manager
            .create_table(
                Table::create()
                    .table(Alias::new("organisations"))
                    .col(big_pk_auto(Alias::new("id")))
                    .col(text(Alias::new("name")))
                    .col(text(Alias::new("name_folded")))
                    // How its own texts call it ("Quận ủy").
                    .col(text_null(Alias::new("short_name")))
                    .col(string(Alias::new("kind")))
                    .col(big_integer_null(Alias::new("parent_id")))
                    // The place name of its documents' date line ("Hoàn Kiếm, ngày …").
                    .col(text_null(Alias::new("place")))
                    .col(big_integer_null(Alias::new("locality_unit_id")))
                    .col(date_null(Alias::new("valid_from")))
                    .col(date_null(Alias::new("valid_to")))
                    .col(timestamp_with_time_zone(Alias::new("created_at")))
                    .foreign_key(&mut fk("organisations", "parent_id", "organisations", ForeignKeyAction::Restrict))
                    .foreign_key(&mut fk("organisations", "locality_unit_id", "admin_units", ForeignKeyAction::SetNull))
                    .to_owned(),
            )
            .await?;
        create_indexes(manager, "organisations", &[&["name"], &["name_folded"], &["parent_id"]]).await?;

        manager
            .create_table(
                Table::create()
                    .table(Alias::new("people"))
                    .col(big_pk_auto(Alias::new("id")))
                    .col(text(Alias::new("full_name")))
                    .col(text(Alias::new("name_folded")))
                    // Vietnamese directory order: given name first (see domain::text::person_sort_key).
                    .col(text(Alias::new("sort_key")))
                    .to_owned(),
            )
            .await?;
        create_indexes(manager, "people", &[&["full_name"], &["sort_key"], &["name_folded"]]).await?;

        manager
            .create_table(
                Table::create()
                    .table(Alias::new("position_assignments"))
                    .col(big_pk_auto(Alias::new("id")))
                    .col(big_integer(Alias::new("person_id")))
                    .col(big_integer_null(Alias::new("organisation_id")))
                    // The position as written at the time; people hold Party and State posts at once.
                    .col(text(Alias::new("title")))
                    .col(date_null(Alias::new("valid_from")))
                    .col(date_null(Alias::new("valid_to")))
                    .col(string_null(Alias::new("source")))
                    .foreign_key(&mut fk("position_assignments", "person_id", "people", ForeignKeyAction::Cascade))
                    .foreign_key(&mut fk(
                        "position_assignments",
                        "organisation_id",
                        "organisations",
                        ForeignKeyAction::SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        create_indexes(manager, "position_assignments", &[&["person_id"]]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite deletes the rows of a dropped table one by one, checking foreign keys as it goes: a parent row
        // deleted before its child trips the self-referencing RESTRICT. Cut the self-references first.
        let conn = manager.get_connection();
        conn.execute_unprepared("UPDATE organisations SET parent_id = NULL").await?;
        conn.execute_unprepared("UPDATE admin_units SET parent_id = NULL").await?;
        drop_tables(manager, &["position_assignments", "people", "organisations", "unit_lineage", "admin_units"]).await
    }
}
