//! `search_terms`: every word the search index holds, in the folded form the engines index. A query word
//! matches the words it begins ("cu" → cu, cua, cuc, cung …); expanding it through this table into an OR of whole
//! words keeps the engines' iterators lazy, whereas a prefix query (`"hang"*` on FTS5, `'hang':*` on
//! PostgreSQL) first merges the posting lists of every matching word, which for a common word at 100 000
//! missions is a million entries per search. Words are added with the documents and never removed: a word no
//! document holds any more expands to nothing. Filled here from what is already indexed.
//!
//! On PostgreSQL the documents' words become a stored column, indexed by GIN in place of the expression
//! index: split on every character that is not a letter or a digit, as FTS5 and the vocabulary split them
//! (PostgreSQL's parser keeps "tp.hcm" or "45.3" whole, which no word of the vocabulary would then match),
//! and stored, so that checking a row costs no parsing.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

// Byte order ("C") on PostgreSQL, as on SQLite: the prefix ranges (`term >= 'hang' AND term < 'hanh'`) rely
// on it, whatever the database's collation.
const POSTGRES: &[&str] = &[
    "ALTER TABLE search_documents ADD COLUMN words tsvector GENERATED ALWAYS AS \
     (to_tsvector('simple', regexp_replace(folded, '[^[:alnum:]]+', ' ', 'g'))) STORED",
    "CREATE INDEX ix_search_documents_words ON search_documents USING GIN (words)",
    "DROP INDEX ix_search_documents_fts",
    "CREATE TABLE search_terms (term TEXT COLLATE \"C\" PRIMARY KEY)",
    "INSERT INTO search_terms (term) SELECT word FROM ts_stat('SELECT words FROM search_documents') \
     WHERE word ~ '^[[:alnum:]]+$'",
];

const POSTGRES_DOWN: &[&str] = &[
    "DROP TABLE search_terms",
    "CREATE INDEX ix_search_documents_fts ON search_documents USING GIN (to_tsvector('simple', folded))",
    "ALTER TABLE search_documents DROP COLUMN words",
];

const SQLITE: &[&str] = &[
    "CREATE TABLE search_terms (term TEXT PRIMARY KEY) WITHOUT ROWID",
    "CREATE VIRTUAL TABLE search_vocabulary USING fts5vocab(search_fts, row)",
    "INSERT INTO search_terms (term) SELECT term FROM search_vocabulary",
    "DROP TABLE search_vocabulary",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
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
        let statements = match manager.get_database_backend() {
            DatabaseBackend::Postgres => POSTGRES_DOWN,
            _ => &["DROP TABLE search_terms"],
        };
        for sql in statements {
            manager.get_connection().execute_unprepared(sql).await?;
        }
        Ok(())
    }
}
