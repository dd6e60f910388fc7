//! Indexes for the pages at national scale (hundreds of thousands of missions, millions of recommendations),
//! chosen from the benchmark (`bench/run.sh`) and held by the EXPLAIN tests:
//!
//! - `recommendations (due_on, status)`: the dashboard's "due within 7 days / overdue" walks due dates in order
//!   and stops after 200, checking the status in the index instead of sorting every open recommendation.
//! - `missions (supervising_body)` and `missions (owner_org_id, supervising_body)`: the list's filter of
//!   supervising bodies jumps from one distinct value to the next (a loose index scan) instead of reading
//!   every mission.

use sea_orm_migration::prelude::*;

use crate::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: &[(&str, &[&str])] = &[
    ("recommendations", &["due_on", "status"]),
    ("missions", &["supervising_body"]),
    ("missions", &["owner_org_id", "supervising_body"]),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, columns) in INDEXES {
            manager.create_index(index(table, columns)).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, columns) in INDEXES {
            manager
                .drop_index(
                    Index::drop()
                        .name(format!("ix_{table}_{}", columns.join("_")))
                        .table(Alias::new(*table))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
