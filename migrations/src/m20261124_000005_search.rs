//! Search: one row per searchable thing (a mission, a target, a finding, a recommendation, a person), with the
//! original text for showing and ranking and its folded form (lower case, no diacritics, đ→d, `-` and `/` as
//! separators) for matching. Each database's own full-text engine indexes the folded column: an FTS5 table
//! kept in step by triggers on SQLite, a GIN index on `to_tsvector('simple', folded)` on PostgreSQL. Both
//! tokenise the folded text the same way, so both give the same results.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{big_integer_null, big_pk_auto, string, text};
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

use crate::{create_indexes, drop_tables};

#[derive(DeriveMigrationName)]
pub struct Migration;

const SQLITE: &[&str] = &[
    "CREATE VIRTUAL TABLE search_fts USING fts5(folded, content='search_documents', content_rowid='id', \
     tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER search_documents_ai AFTER INSERT ON search_documents BEGIN \
     INSERT INTO search_fts(rowid, folded) VALUES (new.id, new.folded); END",
    "CREATE TRIGGER search_documents_ad AFTER DELETE ON search_documents BEGIN \
     INSERT INTO search_fts(search_fts, rowid, folded) VALUES ('delete', old.id, old.folded); END",
    "CREATE TRIGGER search_documents_au AFTER UPDATE ON search_documents BEGIN \
     INSERT INTO search_fts(search_fts, rowid, folded) VALUES ('delete', old.id, old.folded); \
     INSERT INTO search_fts(rowid, folded) VALUES (new.id, new.folded); END",
];

const POSTGRES: &[&str] =
    &["CREATE INDEX ix_search_documents_fts ON search_documents USING GIN (to_tsvector('simple', folded))"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Alias::new("search_documents"))
                    .col(big_pk_auto(Alias::new("id")))
                    // mission | target | finding | recommendation | person
                    .col(string(Alias::new("kind")))
                    // The mission for mission-scoped rows (visibility follows the mission); null for directories.
                    .col(big_integer_null(Alias::new("mission_id")))
                    .col(big_integer_null(Alias::new("ref_id")))
                    // Where in the mission the row points (the item's position), for links.
                    .col(big_integer_null(Alias::new("position")))
                    .col(text(Alias::new("title")))
                    .col(text(Alias::new("body")))
                    .col(text(Alias::new("folded")))
                    .to_owned(),
            )
            .await?;
        create_indexes(manager, "search_documents", &[&["mission_id"], &["kind", "ref_id"]]).await?;
        let statements = match manager.get_database_backend() {
            DatabaseBackend::Postgres => POSTGRES,
            _ => SQLITE,
        };
        for sql in statements {
            manager.get_connection().execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DatabaseBackend::Sqlite {
            manager.get_connection().execute_unprepared("DROP TABLE search_fts").await?;
        }
        drop_tables(manager, &["search_documents"]).await
    }
}
