//! `data_version`: one number that every committed change of what the pages show raises, kept by triggers in
//! the same transaction as the change. An instance keeps rendered pages for as long as the number it reads
//! with the request's session is the one the page was rendered at, so several instances on one database never
//! serve a page older than the data another instance committed (the web crate's `page_cache`).
//!
//! Every table has the trigger but those whose writes no page shows: sessions (a touch per minute of use),
//! login attempts, job leases and article view counts (flushed every few seconds). `mission_counts` follows
//! `missions` through its own triggers and `search_*` follow the tables they index: they carry it too, so the
//! rule is "every table but four" (the store's `every_table_raises_the_data_version` test holds it).
//!
//! On SQLite a trigger per row raises the number (SQLite takes one writer at a time, so the row lock is no
//! contention). On PostgreSQL a row trigger raising it at once would take the number's row lock in the middle of
//! a transaction that holds other rows' locks, and two such transactions could deadlock; the trigger is
//! therefore a constraint trigger deferred to the commit, which raises the number once per transaction (a
//! transaction-local setting remembers that it did).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tables whose changes raise the number.
const TABLES: &[&str] = &[
    "admin_units",
    "api_tokens",
    "audit_events",
    "calendar_feeds",
    "decisions",
    "finding_targets",
    "findings",
    "mission_assignments",
    "mission_counts",
    "mission_members",
    "missions",
    "one_time_tokens",
    "organisation_formal_settings",
    "organisations",
    "people",
    "photos",
    "position_assignments",
    "recommendation_addressees",
    "recommendation_events",
    "recommendation_evidence",
    "recommendation_links",
    "recommendation_raised_by",
    "recommendations",
    "report_formal_settings",
    "report_photos",
    "report_versions",
    "reports",
    "search_documents",
    "search_index_state",
    "search_terms",
    "sessions",
    "targets",
    "unit_lineage",
    "users",
];

const POSTGRES_FUNCTION: &str = "CREATE FUNCTION data_version_raise() RETURNS trigger LANGUAGE plpgsql AS $$ \
     BEGIN \
     IF current_setting('giamsat.data_version_raised', true) IS DISTINCT FROM 'y' THEN \
     UPDATE data_version SET version = version + 1 WHERE id = 1; \
     PERFORM set_config('giamsat.data_version_raised', 'y', true); \
     END IF; \
     RETURN NULL; \
     END $$";

fn sqlite_triggers(table: &str) -> [String; 3] {
    ["insert", "update", "delete"].map(|op| {
        format!(
            "CREATE TRIGGER {table}_data_version_{op} AFTER {} ON {table} BEGIN \
             UPDATE data_version SET version = version + 1 WHERE id = 1; END",
            op.to_uppercase()
        )
    })
}

fn postgres_trigger(table: &str) -> String {
    format!(
        "CREATE CONSTRAINT TRIGGER {table}_data_version AFTER INSERT OR UPDATE OR DELETE ON {table} \
         DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION data_version_raise()"
    )
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("CREATE TABLE data_version (id INTEGER PRIMARY KEY, version BIGINT NOT NULL)").await?;
        db.execute_unprepared("INSERT INTO data_version (id, version) VALUES (1, 1)").await?;
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            db.execute_unprepared(POSTGRES_FUNCTION).await?;
            for table in TABLES {
                db.execute_unprepared(&postgres_trigger(table)).await?;
            }
        } else {
            for table in TABLES {
                for sql in sqlite_triggers(table) {
                    db.execute_unprepared(&sql).await?;
                }
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            for table in TABLES {
                db.execute_unprepared(&format!("DROP TRIGGER {table}_data_version ON {table}")).await?;
            }
            db.execute_unprepared("DROP FUNCTION data_version_raise()").await?;
        } else {
            for table in TABLES {
                for op in ["insert", "update", "delete"] {
                    db.execute_unprepared(&format!("DROP TRIGGER {table}_data_version_{op}")).await?;
                }
            }
        }
        crate::drop_tables(manager, &["data_version"]).await
    }
}
