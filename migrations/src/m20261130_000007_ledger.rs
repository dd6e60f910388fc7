//! The recommendation ledger: what the follow-up of a recommendation needs beyond the columns of
//! `recommendations` and the log `recommendation_events` (one row per status change, progress update or due-date
//! change, never updated).
//!
//! - `recommendation_events.approved_by`: who approved a due-date change (the reason is the event's note).
//! - `recommendation_evidence`: files attached to a progress update (stored like session photos, by key).
//! - `calendar_feeds`: one secret feed per account (sessions and due dates as iCalendar); only the SHA-256 of
//!   its token is stored, and a new feed replaces the old one, so rotating is revoking.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{big_integer, big_pk_auto, integer, string, text, text_null, timestamp_with_time_zone};

use crate::{create_indexes, drop_tables, fk};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let cascade = ForeignKeyAction::Cascade;
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("recommendation_events"))
                    .add_column(text_null(Alias::new("approved_by")))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("recommendation_evidence"))
                    .col(big_pk_auto(Alias::new("id")))
                    .col(big_integer(Alias::new("recommendation_id")))
                    .col(big_integer(Alias::new("event_id")))
                    .col(integer(Alias::new("position")))
                    // The file store's key (random name); the file itself lives in GIAMSAT_FILES_DIR.
                    .col(text(Alias::new("file")))
                    .col(text(Alias::new("caption")))
                    .foreign_key(&mut fk("recommendation_evidence", "recommendation_id", "recommendations", cascade))
                    .foreign_key(&mut fk("recommendation_evidence", "event_id", "recommendation_events", cascade))
                    .to_owned(),
            )
            .await?;
        create_indexes(manager, "recommendation_evidence", &[&["recommendation_id"], &["event_id"]]).await?;
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("calendar_feeds"))
                    .col(big_pk_auto(Alias::new("id")))
                    .col(big_integer(Alias::new("user_id")))
                    .col(string(Alias::new("token_hash")))
                    .col(timestamp_with_time_zone(Alias::new("created_at")))
                    .foreign_key(&mut fk("calendar_feeds", "user_id", "users", cascade))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_calendar_feeds_token_hash")
                    .table(Alias::new("calendar_feeds"))
                    .col(Alias::new("token_hash"))
                    .unique()
                    .to_owned(),
            )
            .await?;
        create_indexes(manager, "calendar_feeds", &[&["user_id"]]).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        drop_tables(manager, &["calendar_feeds", "recommendation_evidence"]).await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Alias::new("recommendation_events"))
                    .drop_column(Alias::new("approved_by"))
                    .to_owned(),
            )
            .await
    }
}
