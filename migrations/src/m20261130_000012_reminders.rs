//! `job_leases`: one row per background job (the reminder round). An instance runs a round only while it holds the
//! job's unexpired lease, so several app instances on one database send each reminder once.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{string, text, timestamp_with_time_zone};

use crate::drop_tables;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("job_leases"))
                    .col(string(Alias::new("name")).primary_key())
                    .col(text(Alias::new("holder")))
                    .col(timestamp_with_time_zone(Alias::new("expires_at")))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["job_leases"]).await
    }
}
