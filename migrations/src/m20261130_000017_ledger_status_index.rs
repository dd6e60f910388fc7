//! `recommendations (status, id)`: the ledger filtered by status lists in id order (its keyset). Without it the
//! engines either sorted every item of that status or walked the ids from the first: at 100 000 missions the
//! recent "in progress" items sit behind a million settled ones (126 requests/s, p99 352 ms on SQLite).

use sea_orm_migration::prelude::*;

use crate::create_indexes;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        create_indexes(manager, "recommendations", &[&["status", "id"]]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop().name("ix_recommendations_status_id").table(Alias::new("recommendations")).to_owned(),
            )
            .await
    }
}
