//! `mission_counts`: the number of missions per (owner, workflow state), kept by triggers on `missions` in the
//! same transaction as the change, so the dashboard's figures cost a few rows whatever the number of missions
//! (counting hundreds of thousands of rows on every dashboard view does not scale). Filled from the missions
//! already stored; a row that falls to zero stays (the dashboard skips it).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{big_integer, string};
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

use crate::drop_tables;

#[derive(DeriveMigrationName)]
pub struct Migration;

const SQLITE_TRIGGERS: &[&str] = &[
    "CREATE TRIGGER missions_count_insert AFTER INSERT ON missions BEGIN \
     INSERT INTO mission_counts (owner_org_id, state, n) VALUES (new.owner_org_id, new.state, 1) \
     ON CONFLICT (owner_org_id, state) DO UPDATE SET n = mission_counts.n + 1; END",
    "CREATE TRIGGER missions_count_delete AFTER DELETE ON missions BEGIN \
     UPDATE mission_counts SET n = n - 1 WHERE owner_org_id = old.owner_org_id AND state = old.state; END",
    "CREATE TRIGGER missions_count_update AFTER UPDATE OF state, owner_org_id ON missions BEGIN \
     UPDATE mission_counts SET n = n - 1 WHERE owner_org_id = old.owner_org_id AND state = old.state; \
     INSERT INTO mission_counts (owner_org_id, state, n) VALUES (new.owner_org_id, new.state, 1) \
     ON CONFLICT (owner_org_id, state) DO UPDATE SET n = mission_counts.n + 1; END",
];

const POSTGRES_TRIGGERS: &[&str] = &[
    "CREATE FUNCTION mission_counts_follow() RETURNS trigger LANGUAGE plpgsql AS $$ \
     BEGIN \
     IF TG_OP IN ('UPDATE', 'DELETE') THEN \
     UPDATE mission_counts SET n = n - 1 WHERE owner_org_id = OLD.owner_org_id AND state = OLD.state; \
     END IF; \
     IF TG_OP IN ('INSERT', 'UPDATE') THEN \
     INSERT INTO mission_counts (owner_org_id, state, n) VALUES (NEW.owner_org_id, NEW.state, 1) \
     ON CONFLICT (owner_org_id, state) DO UPDATE SET n = mission_counts.n + 1; \
     END IF; \
     RETURN NULL; \
     END $$",
    "CREATE TRIGGER missions_count AFTER INSERT OR DELETE OR UPDATE OF state, owner_org_id ON missions \
     FOR EACH ROW EXECUTE FUNCTION mission_counts_follow()",
];

const FILL: &str = "INSERT INTO mission_counts (owner_org_id, state, n) \
                    SELECT owner_org_id, state, COUNT(*) FROM missions GROUP BY owner_org_id, state";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("mission_counts"))
                    .col(big_integer(Alias::new("owner_org_id")))
                    .col(string(Alias::new("state")))
                    .col(big_integer(Alias::new("n")))
                    .primary_key(Index::create().col(Alias::new("owner_org_id")).col(Alias::new("state")))
                    .to_owned(),
            )
            .await?;
        let triggers = match manager.get_database_backend() {
            DatabaseBackend::Postgres => POSTGRES_TRIGGERS,
            _ => SQLITE_TRIGGERS,
        };
        let conn = manager.get_connection();
        conn.execute_unprepared(FILL).await?;
        for sql in triggers {
            conn.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            conn.execute_unprepared("DROP TRIGGER missions_count ON missions").await?;
            conn.execute_unprepared("DROP FUNCTION mission_counts_follow()").await?;
        } else {
            for name in ["missions_count_insert", "missions_count_delete", "missions_count_update"] {
                conn.execute_unprepared(&format!("DROP TRIGGER {name}")).await?;
            }
        }
        drop_tables(manager, &["mission_counts"]).await
    }
}
