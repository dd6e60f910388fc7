//! The write side of `seed synthetic`: one transaction that sets aside the secondary indexes and the
//! per-row triggers of the tables written, writes every batch, does the triggers' work in one statement each,
//! and creates the indexes and triggers again from their own definitions, read from the catalogue (nothing of
//! the schema is repeated here: the result is the schema the migrations made). Both databases change their
//! schema inside a transaction, so a failure or a crash leaves the database as it was, indexes included.
//!
//! Indexes maintained row by row are updated at random places across the whole table; built once at the end
//! they are sorted in one pass. On PostgreSQL the rows go out with `COPY … FROM STDIN` (text format), which
//! skips parsing and planning an INSERT for each of them.

use sea_orm::sqlx::{self, Postgres};
use sea_orm::{
    ActiveModelTrait, ActiveValue, ConnectionTrait, DatabaseBackend, DatabaseTransaction, DbErr, EntityName,
    EntityTrait, IdenStatic, Iterable, RuntimeErr, Statement, Value,
};
use std::fmt::Write as _;
use std::sync::Arc;

use crate::db::begin_write;
use crate::entities::search_documents;
use crate::{Db, StoreError};

/// The triggers whose work is done once after the load, by name (the catalogue holds their SQL): FTS5's copy
/// of each new search row (SQLite) and the count of missions per owner and state (both databases). On
/// PostgreSQL the search rows' words (migration 20) come with the rows instead ([`Writes::add_search`]). Any
/// other trigger fires as usual.
const SET_ASIDE_TRIGGERS: &[&str] =
    &["search_documents_ai", "search_documents_words", "missions_count_insert", "missions_count"];

/// The triggers that raise `data_version` (migration 19) are set aside too, by this name pattern (SQL `LIKE`):
/// one raise at the end does what a raise per row would (on PostgreSQL a deferred call per row at the commit).
const DATA_VERSION_TRIGGERS: &str = "%\\_data\\_version%";

/// Sets an FTS5 configuration option of the search index (`hashsize` and `automerge` default to 1 MiB and 4).
const FTS5_SET: &str = "INSERT INTO search_fts (search_fts, rank) VALUES ('{option}', {value})";

/// A batch's rows as each database takes them fastest.
pub(super) enum Writes {
    /// SQLite: multi-row INSERTs.
    Statements(Vec<Statement>),
    /// PostgreSQL: one `COPY` per table with its data, and the batch's words for the vocabulary.
    Copy { tables: Vec<Copy>, terms: Vec<String> },
}

impl Writes {
    pub(super) fn new(backend: DatabaseBackend) -> Writes {
        match backend {
            DatabaseBackend::Postgres => Writes::Copy { tables: Vec::new(), terms: Vec::new() },
            _ => Writes::Statements(Vec::new()),
        }
    }

    pub(super) fn add<A>(&mut self, rows: Vec<A>) -> Result<(), StoreError>
    where
        A: ActiveModelTrait,
    {
        match self {
            Writes::Statements(out) => super::statements(out, DatabaseBackend::Sqlite, rows),
            Writes::Copy { tables, .. } => tables.extend(copy(rows, None)?),
        }
        Ok(())
    }

    /// Search rows; on PostgreSQL with the words its trigger would have computed, which PostgreSQL's regular
    /// expression and parser made the slowest part of the load (a tsvector's text form is read ten times faster).
    pub(super) fn add_search(&mut self, rows: Vec<search_documents::ActiveModel>) -> Result<(), StoreError> {
        match self {
            Writes::Statements(out) => super::statements(out, DatabaseBackend::Sqlite, rows),
            Writes::Copy { tables, .. } => {
                let words = |row: &search_documents::ActiveModel| match &row.folded {
                    ActiveValue::Set(folded) | ActiveValue::Unchanged(folded) => crate::search::tsvector_text(folded),
                    ActiveValue::NotSet => String::new(),
                };
                tables.extend(copy(rows, Some(("words", &words)))?);
            }
        }
        Ok(())
    }

    /// The words of the batch's search rows, added to the vocabulary where new.
    pub(super) fn add_terms(&mut self, words: std::collections::BTreeSet<String>) {
        match self {
            Writes::Statements(out) => out.extend(crate::search::term_statements(DatabaseBackend::Sqlite, words)),
            Writes::Copy { terms, .. } => terms.extend(words),
        }
    }
}

/// A `COPY table (columns) FROM STDIN` and its rows in text format.
pub(super) struct Copy {
    statement: String,
    data: Vec<u8>,
}

/// Where the new rows start: the triggers' work covers these and nothing before.
pub(super) struct FirstIds {
    pub mission: i64,
    pub search: i64,
}

/// An open load: its transaction and what it set aside.
pub(super) struct Load {
    txn: Txn,
    /// The statements that create what was dropped, in the order it was dropped, from the catalogue.
    recreate: Vec<String>,
}

enum Txn {
    Sqlite(DatabaseTransaction),
    Postgres(sqlx::Transaction<'static, Postgres>),
}

fn sqlx_error(e: sqlx::Error) -> StoreError {
    StoreError::Db(DbErr::Exec(RuntimeErr::SqlxError(Arc::new(e))))
}

impl Load {
    /// Opens the load's transaction and drops the non-unique indexes of `tables` (unique ones keep checking
    /// as rows arrive), the triggers of [`SET_ASIDE_TRIGGERS`] and, on PostgreSQL, the foreign keys of `tables`.
    pub(super) async fn begin(db: &Db, tables: &[&str]) -> Result<Load, StoreError> {
        let (mut txn, catalogue) = match db.get_database_backend() {
            DatabaseBackend::Postgres => {
                let mut txn = db.get_postgres_connection_pool().begin().await.map_err(sqlx_error)?;
                let tables: Vec<String> = tables.iter().map(|t| (*t).to_owned()).collect();
                // Foreign keys too: PostgreSQL checks each row's with a query of its own, whereas a constraint
                // added afterwards checks all rows in one join.
                let catalogue: Vec<(String, String)> = sqlx::query_as(
                    "SELECT 'DROP INDEX ' || quote_ident(indexname), indexdef FROM pg_indexes \
                     WHERE schemaname = current_schema() AND tablename = ANY($1) \
                     AND indexdef NOT LIKE 'CREATE UNIQUE %' \
                     UNION ALL \
                     SELECT 'ALTER TABLE ' || conrelid::regclass || ' DROP CONSTRAINT ' || quote_ident(conname), \
                     'ALTER TABLE ' || conrelid::regclass || ' ADD CONSTRAINT ' || quote_ident(conname) || ' ' \
                     || pg_get_constraintdef(oid) FROM pg_constraint \
                     WHERE contype = 'f' AND conrelid::regclass::text = ANY($1) \
                     UNION ALL \
                     SELECT 'DROP TRIGGER ' || quote_ident(tgname) || ' ON ' || tgrelid::regclass, \
                     pg_get_triggerdef(oid) FROM pg_trigger \
                     WHERE tgrelid::regclass::text = ANY($1) AND (NOT tgisinternal AND tgname = ANY($2) \
                     OR tgname LIKE $3)",
                )
                .bind(&tables)
                .bind(SET_ASIDE_TRIGGERS)
                .bind(DATA_VERSION_TRIGGERS)
                .fetch_all(&mut *txn)
                .await
                .map_err(sqlx_error)?;
                // The missions' and audit rows' JSON is compressed as it is stored; lz4 does it several times
                // faster than the default pglz, on which the one backend of the load spent a seventh of its
                // time. Values of either method are read alike; a server built without lz4 keeps pglz.
                sqlx::raw_sql(
                    "DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' \
                     AND 'lz4' = ANY(enumvals)) THEN SET LOCAL default_toast_compression = 'lz4'; END IF; END $$",
                )
                .execute(&mut *txn)
                .await
                .map_err(sqlx_error)?;
                (Txn::Postgres(txn), catalogue)
            }
            _ => {
                let txn = begin_write(db).await?;
                let list = |names: &[&str]| names.iter().map(|n| format!("'{n}'")).collect::<Vec<_>>().join(", ");
                let sql = format!(
                    "SELECT 'DROP ' || upper(type) || ' \"' || name || '\"', sql FROM sqlite_master \
                     WHERE tbl_name IN ({}) AND sql IS NOT NULL AND \
                     ((type = 'index' AND sql NOT LIKE 'CREATE UNIQUE %') OR (type = 'trigger' AND (name IN ({}) \
                     OR name LIKE '{DATA_VERSION_TRIGGERS}' ESCAPE '\\'))) \
                     ORDER BY type, name",
                    list(tables),
                    list(SET_ASIDE_TRIGGERS)
                );
                let rows = txn.query_all_raw(Statement::from_string(DatabaseBackend::Sqlite, sql)).await?;
                let catalogue = rows
                    .iter()
                    .map(|r| Ok((r.try_get_by_index(0)?, r.try_get_by_index(1)?)))
                    .collect::<Result<Vec<(String, String)>, DbErr>>()?;
                (Txn::Sqlite(txn), catalogue)
            }
        };
        let mut recreate = Vec::with_capacity(catalogue.len());
        for (drop, create) in catalogue {
            txn.execute(&drop).await?;
            recreate.push(create);
        }
        Ok(Load { txn, recreate })
    }

    /// Writes one batch.
    pub(super) async fn write(&mut self, writes: Writes) -> Result<(), StoreError> {
        match (&mut self.txn, writes) {
            (Txn::Sqlite(txn), Writes::Statements(statements)) => {
                for statement in statements {
                    txn.execute_raw(statement).await?;
                }
            }
            (Txn::Postgres(txn), Writes::Copy { tables, terms }) => {
                for table in tables {
                    let mut copy = txn.copy_in_raw(&table.statement).await.map_err(sqlx_error)?;
                    copy.send(table.data).await.map_err(sqlx_error)?;
                    copy.finish().await.map_err(sqlx_error)?;
                }
                sqlx::query("INSERT INTO search_terms (term) SELECT unnest($1::text[]) ON CONFLICT (term) DO NOTHING")
                    .bind(terms)
                    .execute(&mut **txn)
                    .await
                    .map_err(sqlx_error)?;
            }
            _ => return Err(StoreError::Db(DbErr::Custom("a batch built for the other database".to_owned()))),
        }
        Ok(())
    }

    /// Does what the set-aside triggers would have done for the rows from `first` on, creates the indexes and
    /// triggers again and commits.
    pub(super) async fn finish(mut self, first: FirstIds) -> Result<(), StoreError> {
        let mut catch_up = vec![
            "UPDATE data_version SET version = version + 1 WHERE id = 1".to_owned(),
            format!(
                "INSERT INTO mission_counts (owner_org_id, state, n) \
             SELECT owner_org_id, state, COUNT(*) FROM missions WHERE id >= {} GROUP BY owner_org_id, state \
             ON CONFLICT (owner_org_id, state) DO UPDATE SET n = mission_counts.n + excluded.n",
                first.mission
            ),
        ];
        if matches!(self.txn, Txn::Sqlite(_)) {
            // FTS5 flushes its in-memory index to a new segment every megabyte and merges segments as it goes;
            // here it keeps 256 MB before a flush and leaves the merging to the one `optimize` after the commit
            // (see `seed`), then returns to its defaults for the app's writes. Half the time of this statement.
            catch_up.extend([
                FTS5_SET.replace("{option}", "hashsize").replace("{value}", "268435456"),
                FTS5_SET.replace("{option}", "automerge").replace("{value}", "0"),
                format!(
                    "INSERT INTO search_fts (rowid, folded) SELECT id, folded FROM search_documents WHERE id >= {} \
                     ORDER BY id",
                    first.search
                ),
                FTS5_SET.replace("{option}", "hashsize").replace("{value}", "1048576"),
                FTS5_SET.replace("{option}", "automerge").replace("{value}", "4"),
            ]);
        }
        for sql in catch_up.iter().chain(&self.recreate) {
            self.txn.execute(sql).await?;
        }
        match self.txn {
            Txn::Sqlite(txn) => txn.commit().await?,
            Txn::Postgres(txn) => txn.commit().await.map_err(sqlx_error)?,
        }
        Ok(())
    }
}

impl Txn {
    async fn execute(&mut self, sql: &str) -> Result<(), StoreError> {
        match self {
            Txn::Sqlite(txn) => {
                txn.execute_unprepared(sql).await?;
            }
            Txn::Postgres(txn) => {
                sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(&mut **txn).await.map_err(sqlx_error)?;
            }
        }
        Ok(())
    }
}

/// A column the rows' model does not have, named, and its text for each row.
type Extra<'a, A> = (&'a str, &'a dyn Fn(&A) -> String);

/// `rows` as one `COPY` in PostgreSQL's text format (tab-separated, `\N` for NULL, backslash escapes), with
/// every column the first row sets and `extra` last; `None` when there are no rows.
fn copy<A>(rows: Vec<A>, extra: Option<Extra<'_, A>>) -> Result<Option<Copy>, StoreError>
where
    A: ActiveModelTrait,
{
    let Some(first) = rows.first() else { return Ok(None) };
    let columns: Vec<_> =
        <<A::Entity as EntityTrait>::Column as Iterable>::iter().filter(|c| !first.is_not_set(*c)).collect();
    let table = A::Entity::default().table_name();
    let names: Vec<&str> = columns.iter().map(IdenStatic::as_str).collect();
    let all: Vec<&str> = names.iter().copied().chain(extra.map(|(name, _)| name)).collect();
    let statement = format!("COPY {table} ({}) FROM STDIN", all.join(", "));
    let mut data = String::with_capacity(rows.len() * 64 * columns.len());
    for row in &rows {
        for (i, (column, name)) in columns.iter().zip(&names).enumerate() {
            if i > 0 {
                data.push('\t');
            }
            let value = row.get(*column).into_value().ok_or_else(|| {
                StoreError::Db(DbErr::Custom(format!("{table}.{name}: set in one row, not in another")))
            })?;
            copy_value(&mut data, value)
                .map_err(|v| StoreError::Db(DbErr::Custom(format!("{table}.{name}: no COPY text form for {v:?}"))))?;
        }
        if let Some((_, text)) = extra {
            data.push('\t');
            escape(&mut data, &text(row));
        }
        data.push('\n');
    }
    Ok(Some(Copy { statement, data: data.into_bytes() }))
}

/// One value as PostgreSQL's text format reads it; timestamps to the microsecond, truncated, as sqlx binds them.
fn copy_value(out: &mut String, value: Value) -> Result<(), Value> {
    match value {
        Value::Bool(None)
        | Value::Int(None)
        | Value::BigInt(None)
        | Value::String(None)
        | Value::ChronoDate(None)
        | Value::ChronoDateTimeUtc(None) => out.push_str("\\N"),
        Value::Bool(Some(b)) => out.push(if b { 't' } else { 'f' }),
        Value::Int(Some(n)) => {
            let _ = write!(out, "{n}");
        }
        Value::BigInt(Some(n)) => {
            let _ = write!(out, "{n}");
        }
        Value::String(Some(s)) => escape(out, &s),
        Value::ChronoDate(Some(d)) => {
            let _ = write!(out, "{}", d.format("%Y-%m-%d"));
        }
        Value::ChronoDateTimeUtc(Some(t)) => {
            let _ = write!(out, "{}", t.format("%Y-%m-%d %H:%M:%S%.6f+00"));
        }
        other => return Err(other),
    }
    Ok(())
}

/// Text with the characters the format gives a meaning escaped: backslash, tab, newline, carriage return.
/// The text goes in by runs between those bytes (all ASCII, so never inside a character): pushed character by
/// character it was a seventh of the load's own CPU.
fn escape(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(at) = rest.bytes().position(|b| matches!(b, b'\\' | b'\t' | b'\n' | b'\r')) {
        let (run, tail) = rest.split_at(at);
        out.push_str(run);
        let mut tail = tail.chars();
        out.push_str(match tail.next() {
            Some('\\') => "\\\\",
            Some('\t') => "\\t",
            Some('\n') => "\\n",
            _ => "\\r",
        });
        rest = tail.as_str();
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_would_break_a_copy_line_is_escaped() {
        let mut out = String::new();
        escape(&mut out, "a\tb\nc\r\\N ữ");
        assert_eq!(out, "a\\tb\\nc\\r\\\\N ữ");
        escape(&mut out, "\\ữ\n\nđ");
        assert_eq!(out, "a\\tb\\nc\\r\\\\N ữ\\\\ữ\\n\\nđ");
    }

    #[test]
    fn values_take_the_forms_postgresql_reads() {
        let at = chrono::DateTime::parse_from_rfc3339("2026-12-05T13:04:05.123456789Z").expect("time");
        let day = chrono::NaiveDate::from_ymd_opt(2025, 7, 1).expect("day");
        let cases = [
            (Value::Bool(Some(true)), "t"),
            (Value::BigInt(None), "\\N"),
            (Value::Int(Some(-3)), "-3"),
            (Value::ChronoDate(Some(day)), "2025-07-01"),
            (Value::ChronoDateTimeUtc(Some(at.to_utc())), "2026-12-05 13:04:05.123456+00"),
        ];
        for (value, expected) in cases {
            let mut out = String::new();
            copy_value(&mut out, value).expect("a text form");
            assert_eq!(out, expected);
        }
    }
}
