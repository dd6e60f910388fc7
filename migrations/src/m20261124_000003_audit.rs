//! The audit trail: who changed what, when, before → after, written in the same transaction as the change.
//! Append-only: the application has no update or delete path, and triggers refuse both at the database on
//! SQLite and PostgreSQL, so even a bug or a hand-typed SQL statement cannot rewrite history.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    big_integer_null, big_pk_auto, string, string_null, text, text_null, timestamp_with_time_zone,
};
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

use crate::{create_indexes, drop_tables};

#[derive(DeriveMigrationName)]
pub struct Migration;

const SQLITE_TRIGGERS: &[&str] = &[
    "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events \
     BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END",
    "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events \
     BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END",
];

const POSTGRES_TRIGGERS: &[&str] = &[
    "CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ \
     BEGIN RAISE EXCEPTION 'audit_events is append-only'; END $$",
    "CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events \
     FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()",
    "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events \
     FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("audit_events"))
                    .col(big_pk_auto(Alias::new("id")))
                    .col(timestamp_with_time_zone(Alias::new("at")))
                    // "user:12", "cli", "system"
                    .col(text(Alias::new("actor")))
                    .col(string(Alias::new("action")))
                    .col(string(Alias::new("entity")))
                    .col(big_integer_null(Alias::new("entity_id")))
                    .col(big_integer_null(Alias::new("mission_id")))
                    .col(text_null(Alias::new("before")))
                    .col(text_null(Alias::new("after")))
                    .col(string_null(Alias::new("request_id")))
                    .to_owned(),
            )
            .await?;
        create_indexes(manager, "audit_events", &[&["mission_id", "id"], &["actor", "id"], &["entity", "entity_id"]])
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
        drop_tables(manager, &["audit_events"]).await?;
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            manager.get_connection().execute_unprepared("DROP FUNCTION audit_events_append_only()").await?;
        }
        Ok(())
    }
}
