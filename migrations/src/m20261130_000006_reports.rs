//! The editorial workflow and the public portal.
//!
//! - `reports`: one working copy of a mission's news article: its state, the content generated last time
//!   (`base`, for the three-way merge when regenerating) and the writer's `draft`, both JSON. `slug` is fixed
//!   at the first publication so links stay valid through corrections.
//! - `report_versions`: immutable published versions. `content` is the article as published and `mission`
//!   the mission's interchange file at that moment, so a version renders the same forever and the formal
//!   report of a version can be rebuilt. `content_hash` is their SHA-256 (the ETag). Append-only: triggers
//!   refuse UPDATE and DELETE on both databases.
//! - `report_photos`: the stored photos a published version shows, which the portal may serve without a login.
//! - `report_views`: view counts, added in batches by the app, never on the request path.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer, big_integer_null, big_pk_auto, integer, string, string_null, text, text_null,
    timestamp_with_time_zone, timestamp_with_time_zone_null,
};
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

use crate::{create_indexes, drop_tables, fk};

#[derive(DeriveMigrationName)]
pub struct Migration;

const SQLITE_TRIGGERS: &[&str] = &[
    "CREATE TRIGGER report_versions_no_update BEFORE UPDATE ON report_versions \
     BEGIN SELECT RAISE(ABORT, 'report_versions is append-only'); END",
    "CREATE TRIGGER report_versions_no_delete BEFORE DELETE ON report_versions \
     BEGIN SELECT RAISE(ABORT, 'report_versions is append-only'); END",
];

const POSTGRES_TRIGGERS: &[&str] = &[
    "CREATE FUNCTION report_versions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ \
     BEGIN RAISE EXCEPTION 'report_versions is append-only'; END $$",
    "CREATE TRIGGER report_versions_no_update BEFORE UPDATE OR DELETE ON report_versions \
     FOR EACH ROW EXECUTE FUNCTION report_versions_append_only()",
    "CREATE TRIGGER report_versions_no_truncate BEFORE TRUNCATE ON report_versions \
     FOR EACH STATEMENT EXECUTE FUNCTION report_versions_append_only()",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("reports"))
                    .col(big_pk_auto(Alias::new("id")))
                    .col(big_integer(Alias::new("mission_id")).unique_key())
                    .col(string(Alias::new("state")))
                    .col(text(Alias::new("base")))
                    .col(text(Alias::new("draft")))
                    .col(text_null(Alias::new("comment")))
                    .col(big_integer_null(Alias::new("requested_by")))
                    .col(big_integer_null(Alias::new("approved_by")))
                    .col(string_null(Alias::new("slug")).unique_key())
                    .col(string_null(Alias::new("category")))
                    .col(string_null(Alias::new("category_slug")))
                    .col(big_integer_null(Alias::new("latest_version_id")))
                    .col(integer(Alias::new("published_versions")))
                    .col(timestamp_with_time_zone_null(Alias::new("first_published_at")))
                    .col(timestamp_with_time_zone(Alias::new("updated_at")))
                    .col(integer(Alias::new("version")))
                    .foreign_key(&mut fk("reports", "mission_id", "missions", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        create_indexes(
            manager,
            "reports",
            &[&["first_published_at", "id"], &["category_slug", "first_published_at", "id"]],
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("report_versions"))
                    .col(big_pk_auto(Alias::new("id")))
                    .col(big_integer(Alias::new("report_id")))
                    .col(big_integer(Alias::new("mission_id")))
                    .col(integer(Alias::new("number")))
                    .col(text(Alias::new("title")))
                    .col(string_null(Alias::new("category")))
                    .col(text(Alias::new("content")))
                    .col(text(Alias::new("mission")))
                    .col(string(Alias::new("content_hash")))
                    .col(text_null(Alias::new("corrects")))
                    .col(timestamp_with_time_zone(Alias::new("published_at")))
                    .col(big_integer_null(Alias::new("published_by")))
                    .foreign_key(&mut fk("report_versions", "report_id", "reports", ForeignKeyAction::Restrict))
                    .to_owned(),
            )
            .await?;
        let mut unique = Index::create();
        unique
            .name("ux_report_versions_report_id_number")
            .table(Alias::new("report_versions"))
            .col(Alias::new("report_id"))
            .col(Alias::new("number"))
            .unique();
        manager.create_index(unique.to_owned()).await?;
        create_indexes(manager, "report_versions", &[&["published_at", "id"]]).await?;
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("report_photos"))
                    .col(big_integer(Alias::new("version_id")))
                    .col(string(Alias::new("file")))
                    .primary_key(Index::create().col(Alias::new("version_id")).col(Alias::new("file")))
                    .foreign_key(&mut fk("report_photos", "version_id", "report_versions", ForeignKeyAction::Restrict))
                    .to_owned(),
            )
            .await?;
        create_indexes(manager, "report_photos", &[&["file"]]).await?;
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("report_views"))
                    .col(big_integer(Alias::new("report_id")).primary_key())
                    .col(big_integer(Alias::new("views")))
                    .foreign_key(&mut fk("report_views", "report_id", "reports", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        let triggers = match manager.get_database_backend() {
            DatabaseBackend::Postgres => POSTGRES_TRIGGERS,
            _ => SQLITE_TRIGGERS,
        };
        for sql in triggers {
            manager.get_connection().execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["report_views", "report_photos", "report_versions", "reports"]).await?;
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            manager.get_connection().execute_unprepared("DROP FUNCTION report_versions_append_only()").await?;
        }
        Ok(())
    }
}
