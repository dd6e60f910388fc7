//! On PostgreSQL `search_documents.words` stops being a generated column and is kept by a trigger instead.
//! A generated column is computed on every write, COPY included, and there its regular expression and parser
//! took more than half of a 100 000-mission load; a trigger can be set aside by the load, which writes the
//! words itself (`synthetic::load`). The words are now stored without their positions (`strip`): no query
//! reads them (matching is by whole words, `@@`, never by phrase or rank), and a tsvector without them is read
//! from text ten times faster and stored smaller. Rows indexed before keep their positions until indexed again;
//! `@@` treats both alike. The app's own writes are unchanged. SQLite has no such column: nothing to do there.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: &[&str] = &[
    "ALTER TABLE search_documents ALTER COLUMN words DROP EXPRESSION",
    "CREATE FUNCTION search_documents_words() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
     NEW.words := strip(to_tsvector('simple', regexp_replace(NEW.folded, '[^[:alnum:]]+', ' ', 'g'))); \
     RETURN NEW; END $$",
    "CREATE TRIGGER search_documents_words BEFORE INSERT OR UPDATE OF folded ON search_documents \
     FOR EACH ROW EXECUTE FUNCTION search_documents_words()",
];

const DOWN: &[&str] = &[
    "DROP TRIGGER search_documents_words ON search_documents",
    "DROP FUNCTION search_documents_words()",
    "ALTER TABLE search_documents DROP COLUMN words",
    "ALTER TABLE search_documents ADD COLUMN words tsvector GENERATED ALWAYS AS \
     (to_tsvector('simple', regexp_replace(folded, '[^[:alnum:]]+', ' ', 'g'))) STORED",
    "CREATE INDEX ix_search_documents_words ON search_documents USING GIN (words)",
];

async fn run(manager: &SchemaManager<'_>, statements: &[&str]) -> Result<(), DbErr> {
    let db = manager.get_connection();
    if db.get_database_backend() == DatabaseBackend::Postgres {
        for statement in statements {
            db.execute_unprepared(statement).await?;
        }
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run(manager, UP).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run(manager, DOWN).await
    }
}
