//! `search_index_state`: the form of the search rows a database holds. The store raises its form when what
//! it indexes changes (December 2026: session minutes, and each row indexed with its mission's name and
//! units so that a query's words may fall in different fields), and rebuilds an index of an older form once,
//! when the database is next opened. A database that has indexed no mission yet starts at the new form (2);
//! one that has is marked as holding the old (1).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("CREATE TABLE search_index_state (id INTEGER PRIMARY KEY, version BIGINT NOT NULL)")
            .await?;
        db.execute_unprepared(
            "INSERT INTO search_index_state (id, version) SELECT 1, CASE WHEN EXISTS \
             (SELECT 1 FROM search_documents WHERE mission_id IS NOT NULL) THEN 1 ELSE 2 END",
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::drop_tables(manager, &["search_index_state"]).await
    }
}
