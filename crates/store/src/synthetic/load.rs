//! The write side of `seed synthetic`: one transaction that sets aside the secondary indexes and the
//! per-row triggers of the tables written, writes every batch, does the triggers' work in one statement each,
//! and creates the indexes and triggers again from their own definitions, read from the catalogue (nothing of
//! the schema is repeated here: the result is the schema the migrations made). Both databases change their
//! schema inside a transaction, so a failure or a crash leaves the database as it was, indexes included.
//!
//! Indexes maintained row by row are updated at random places across the whole table; built once at the end
//! they are sorted in one pass. On PostgreSQL the rows go out with `COPY … FROM STDIN` in the binary format,
//! which skips parsing and planning an INSERT for each of them and, unlike the text format, parsing each value:
//! the load's one backend spent a third of its time reading COPY's text and the tsvectors' text form.

use chrono::Datelike as _;
use sea_orm::sqlx::{self, Postgres};
use sea_orm::{
    ActiveModelTrait, ActiveValue, ConnectionTrait, DatabaseBackend, DatabaseTransaction, DbErr, EntityName,
    EntityTrait, IdenStatic, Iterable, RuntimeErr, Statement, Value,
};
use std::collections::HashMap;
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

/// What a batch is built for: SQLite, or PostgreSQL with the types of the loaded tables' columns.
pub(super) enum Target {
    Sqlite,
    Postgres(Arc<Columns>),
}

/// The type of each column of the loaded tables, by table and column, as the catalogue has them: the binary
/// format is each type's own, and a value sent for another type is rejected or, worse, read as something else.
pub(super) struct Columns(HashMap<String, HashMap<String, PgType>>);

/// The column types the load writes, by their `regtype` names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PgType {
    Bool,
    Int2,
    Int4,
    Int8,
    /// `text` and `varchar`: the bytes.
    Text,
    Json,
    Jsonb,
    Date,
    Timestamptz,
    Tsvector,
    Other,
}

impl PgType {
    fn of(regtype: &str) -> PgType {
        match regtype {
            "boolean" => PgType::Bool,
            "smallint" => PgType::Int2,
            "integer" => PgType::Int4,
            "bigint" => PgType::Int8,
            "text" | "character varying" => PgType::Text,
            "json" => PgType::Json,
            "jsonb" => PgType::Jsonb,
            "date" => PgType::Date,
            "timestamp with time zone" => PgType::Timestamptz,
            "tsvector" => PgType::Tsvector,
            _ => PgType::Other,
        }
    }
}

impl Columns {
    fn of(&self, table: &str, column: &str) -> Result<PgType, StoreError> {
        let missing = || StoreError::Db(DbErr::Custom(format!("{table}.{column}: no such column")));
        self.0.get(table).and_then(|columns| columns.get(column)).copied().ok_or_else(missing)
    }
}

/// A batch's rows as each database takes them fastest.
pub(super) enum Writes {
    /// SQLite: multi-row INSERTs.
    Statements(Vec<Statement>),
    /// PostgreSQL: one `COPY` per table with its data, and the batch's words for the vocabulary.
    Copy { columns: Arc<Columns>, tables: Vec<Copy>, terms: Vec<String> },
}

impl Writes {
    pub(super) fn new(target: &Target) -> Writes {
        match target {
            Target::Postgres(columns) => {
                Writes::Copy { columns: Arc::clone(columns), tables: Vec::new(), terms: Vec::new() }
            }
            Target::Sqlite => Writes::Statements(Vec::new()),
        }
    }

    pub(super) fn add<A>(&mut self, rows: Vec<A>) -> Result<(), StoreError>
    where
        A: ActiveModelTrait,
    {
        match self {
            Writes::Statements(out) => super::statements(out, DatabaseBackend::Sqlite, rows),
            Writes::Copy { columns, tables, .. } => tables.extend(copy(columns, rows, None)?),
        }
        Ok(())
    }

    /// Search rows; on PostgreSQL with the words its trigger would have computed, which PostgreSQL's regular
    /// expression and parser made the slowest part of the load.
    pub(super) fn add_search(&mut self, rows: Vec<search_documents::ActiveModel>) -> Result<(), StoreError> {
        match self {
            Writes::Statements(out) => super::statements(out, DatabaseBackend::Sqlite, rows),
            Writes::Copy { columns, tables, .. } => {
                let words = |row: &search_documents::ActiveModel, out: &mut Vec<u8>| match &row.folded {
                    ActiveValue::Set(folded) | ActiveValue::Unchanged(folded) => {
                        tsvector(out, &crate::search::tsvector_words(folded))
                    }
                    ActiveValue::NotSet => tsvector(out, &[]),
                };
                tables.extend(copy(columns, rows, Some(("words", PgType::Tsvector, &words)))?);
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

/// A `COPY table (columns) FROM STDIN (FORMAT binary)` and its rows.
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
    /// Returns what the batches are to be built for.
    pub(super) async fn begin(db: &Db, tables: &[&str]) -> Result<(Load, Target), StoreError> {
        let (mut txn, catalogue, target) = match db.get_database_backend() {
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
                let types: Vec<(String, String, String)> = sqlx::query_as(
                    "SELECT c.relname::text, a.attname::text, a.atttypid::regtype::text \
                     FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid \
                     WHERE c.relnamespace = current_schema()::regnamespace AND c.relname = ANY($1) \
                     AND a.attnum > 0 AND NOT a.attisdropped",
                )
                .bind(&tables)
                .fetch_all(&mut *txn)
                .await
                .map_err(sqlx_error)?;
                let mut columns: HashMap<String, HashMap<String, PgType>> = HashMap::new();
                for (table, column, regtype) in types {
                    columns.entry(table).or_default().insert(column, PgType::of(&regtype));
                }
                (Txn::Postgres(txn), catalogue, Target::Postgres(Arc::new(Columns(columns))))
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
                (Txn::Sqlite(txn), catalogue, Target::Sqlite)
            }
        };
        let mut recreate = Vec::with_capacity(catalogue.len());
        for (drop, create) in catalogue {
            txn.execute(&drop).await?;
            recreate.push(create);
        }
        Ok((Load { txn, recreate }, target))
    }

    /// Writes one batch.
    pub(super) async fn write(&mut self, writes: Writes) -> Result<(), StoreError> {
        match (&mut self.txn, writes) {
            (Txn::Sqlite(txn), Writes::Statements(statements)) => {
                for statement in statements {
                    txn.execute_raw(statement).await?;
                }
            }
            (Txn::Postgres(txn), Writes::Copy { tables, terms, .. }) => {
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

/// A column the rows' model does not have: its name, its type and what writes its value for a row.
type Extra<'a, A> = (&'a str, PgType, &'a dyn Fn(&A, &mut Vec<u8>) -> Result<(), ()>);

/// The binary format's header: signature, flags (no OIDs) and the length of an extension area (none).
const BINARY_HEADER: &[u8] = b"PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0";

/// PostgreSQL's dates count days from 2000-01-01 (day 730 120 of the common era), its timestamps
/// microseconds from its midnight in UTC (946 684 800 s after the Unix epoch).
const POSTGRES_EPOCH_DAYS_FROM_CE: i32 = 730_120;
const POSTGRES_EPOCH_MICROS: i64 = 946_684_800_000_000;

/// `rows` as one `COPY` in PostgreSQL's binary format (per row the number of fields, then each field's length
/// and bytes, -1 for NULL), with every column the first row sets and `extra` last; `None` when there are no rows.
fn copy<A>(columns: &Columns, rows: Vec<A>, extra: Option<Extra<'_, A>>) -> Result<Option<Copy>, StoreError>
where
    A: ActiveModelTrait,
{
    let Some(first) = rows.first() else { return Ok(None) };
    let set: Vec<_> =
        <<A::Entity as EntityTrait>::Column as Iterable>::iter().filter(|c| !first.is_not_set(*c)).collect();
    let table = A::Entity::default().table_name();
    let names: Vec<&str> = set.iter().map(IdenStatic::as_str).collect();
    let types = names.iter().map(|name| columns.of(table, name)).collect::<Result<Vec<_>, _>>()?;
    if let Some((name, expected, _)) = extra {
        let found = columns.of(table, name)?;
        if found != expected {
            return Err(StoreError::Db(DbErr::Custom(format!("{table}.{name}: {found:?}, not {expected:?}"))));
        }
    }
    let all: Vec<&str> = names.iter().copied().chain(extra.map(|(name, ..)| name)).collect();
    let fields = i16::try_from(all.len())
        .map_err(|_| StoreError::Db(DbErr::Custom(format!("{table}: too many columns for one COPY"))))?;
    let statement = format!("COPY {table} ({}) FROM STDIN (FORMAT binary)", all.join(", "));
    let mut data = Vec::with_capacity(rows.len() * 32 * all.len());
    data.extend_from_slice(BINARY_HEADER);
    for row in &rows {
        data.extend_from_slice(&fields.to_be_bytes());
        for ((column, name), pg_type) in set.iter().zip(&names).zip(&types) {
            let value = row.get(*column).into_value().ok_or_else(|| {
                StoreError::Db(DbErr::Custom(format!("{table}.{name}: set in one row, not in another")))
            })?;
            binary_field(&mut data, *pg_type, &value).map_err(|()| {
                StoreError::Db(DbErr::Custom(format!(
                    "{table}.{name}: no binary COPY form as {pg_type:?} for {value:?}"
                )))
            })?;
        }
        if let Some((_, _, write)) = extra {
            field(&mut data, |out| write(row, out))
                .map_err(|()| StoreError::Db(DbErr::Custom(format!("{table}: a value too long for one COPY field"))))?;
        }
    }
    data.extend_from_slice(&(-1i16).to_be_bytes());
    Ok(Some(Copy { statement, data }))
}

/// A field: its length, then what `write` puts in it; `Err` when that is too long for a field.
fn field(out: &mut Vec<u8>, write: impl FnOnce(&mut Vec<u8>) -> Result<(), ()>) -> Result<(), ()> {
    let at = out.len();
    out.extend_from_slice(&[0; 4]);
    write(out)?;
    let length = i32::try_from(out.len() - at - 4).map_err(|_| ())?;
    out.get_mut(at..at + 4).ok_or(())?.copy_from_slice(&length.to_be_bytes());
    Ok(())
}

/// A field of `bytes`.
fn put(out: &mut Vec<u8>, bytes: &[u8]) -> Result<(), ()> {
    out.extend_from_slice(&i32::try_from(bytes.len()).map_err(|_| ())?.to_be_bytes());
    out.extend_from_slice(bytes);
    Ok(())
}

/// One value as a field of a column of type `pg_type`; timestamps to the microsecond, truncated, as sqlx binds
/// them. `Err` when the value has no form for that type (a number out of its range among them).
fn binary_field(out: &mut Vec<u8>, pg_type: PgType, value: &Value) -> Result<(), ()> {
    let integer = match value {
        Value::Int(Some(n)) => Some(i64::from(*n)),
        Value::BigInt(Some(n)) => Some(*n),
        _ => None,
    };
    match (pg_type, value, integer) {
        (
            _,
            Value::Bool(None)
            | Value::Int(None)
            | Value::BigInt(None)
            | Value::String(None)
            | Value::ChronoDate(None)
            | Value::ChronoDateTimeUtc(None),
            _,
        ) => out.extend_from_slice(&(-1i32).to_be_bytes()),
        (PgType::Bool, Value::Bool(Some(b)), _) => put(out, &[u8::from(*b)])?,
        (PgType::Int2, _, Some(n)) => put(out, &i16::try_from(n).map_err(|_| ())?.to_be_bytes())?,
        (PgType::Int4, _, Some(n)) => put(out, &i32::try_from(n).map_err(|_| ())?.to_be_bytes())?,
        (PgType::Int8, _, Some(n)) => put(out, &n.to_be_bytes())?,
        (PgType::Text | PgType::Json, Value::String(Some(s)), _) => put(out, s.as_bytes())?,
        // jsonb's binary form is a version number, 1, and the JSON text.
        (PgType::Jsonb, Value::String(Some(s)), _) => field(out, |out| {
            out.push(1);
            out.extend_from_slice(s.as_bytes());
            Ok(())
        })?,
        (PgType::Date, Value::ChronoDate(Some(d)), _) => {
            put(out, &(d.num_days_from_ce() - POSTGRES_EPOCH_DAYS_FROM_CE).to_be_bytes())?;
        }
        (PgType::Timestamptz, Value::ChronoDateTimeUtc(Some(t)), _) => {
            put(out, &(t.timestamp_micros() - POSTGRES_EPOCH_MICROS).to_be_bytes())?;
        }
        _ => return Err(()),
    }
    Ok(())
}

/// A tsvector's binary form without positions: the number of words, then each word, NUL-terminated, and its
/// number of positions (none). `words` sorted and each once, as PostgreSQL keeps them.
fn tsvector(out: &mut Vec<u8>, words: &[&str]) -> Result<(), ()> {
    out.extend_from_slice(&i32::try_from(words.len()).map_err(|_| ())?.to_be_bytes());
    for word in words {
        out.extend_from_slice(word.as_bytes());
        out.extend_from_slice(&[0, 0, 0]);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_take_the_binary_forms_of_their_columns_types() {
        let at = chrono::DateTime::parse_from_rfc3339("2026-12-05T13:04:05.123456789Z").expect("time");
        let day = chrono::NaiveDate::from_ymd_opt(2025, 7, 1).expect("day");
        let cases: [(PgType, Value, &[u8]); 10] = [
            (PgType::Bool, Value::Bool(Some(true)), &[0, 0, 0, 1, 1]),
            (PgType::Int8, Value::BigInt(None), &[255, 255, 255, 255]),
            (PgType::Int4, Value::Int(Some(-3)), &[0, 0, 0, 4, 255, 255, 255, 253]),
            (PgType::Int8, Value::Int(Some(258)), &[0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 1, 2]),
            (PgType::Int2, Value::BigInt(Some(-2)), &[0, 0, 0, 2, 255, 254]),
            (PgType::Text, Value::String(Some("đ\t".to_owned())), &[0, 0, 0, 3, 0xc4, 0x91, b'\t']),
            (PgType::Jsonb, Value::String(Some("{}".to_owned())), &[0, 0, 0, 3, 1, b'{', b'}']),
            // SELECT '2025-07-01'::date - '2000-01-01'::date → 9313 = 0x2461.
            (PgType::Date, Value::ChronoDate(Some(day)), &[0, 0, 0, 4, 0, 0, 0x24, 0x61]),
            (
                PgType::Date,
                Value::ChronoDate(chrono::NaiveDate::from_ymd_opt(1999, 12, 31)),
                &[0, 0, 0, 4, 255, 255, 255, 255],
            ),
            // SELECT (extract(epoch FROM '2026-12-05 13:04:05.123456+00'::timestamptz) - 946684800) * 1000000
            // → 849 791 045 123 456 = 0x0003_04E1_6560_BD80.
            (
                PgType::Timestamptz,
                Value::ChronoDateTimeUtc(Some(at.to_utc())),
                &[0, 0, 0, 8, 0x00, 0x03, 0x04, 0xe1, 0x65, 0x60, 0xbd, 0x80],
            ),
        ];
        for (pg_type, value, expected) in cases {
            let mut out = Vec::new();
            binary_field(&mut out, pg_type, &value).expect("a binary form");
            assert_eq!(out, expected, "{value:?} as {pg_type:?}");
        }
    }

    #[test]
    fn values_without_a_form_for_their_column_are_refused() {
        for (pg_type, value) in [
            (PgType::Int2, Value::Int(Some(40_000))),
            (PgType::Int4, Value::BigInt(Some(1 << 40))),
            (PgType::Text, Value::Int(Some(1))),
            (PgType::Other, Value::String(Some("x".to_owned()))),
        ] {
            assert_eq!(binary_field(&mut Vec::new(), pg_type, &value), Err(()), "{value:?} as {pg_type:?}");
        }
    }

    #[test]
    fn a_tsvector_is_its_word_count_then_each_word_ended_by_nul_and_no_positions() {
        let mut out = Vec::new();
        tsvector(&mut out, &["ab", "c"]).expect("short");
        assert_eq!(out, [0, 0, 0, 2, b'a', b'b', 0, 0, 0, b'c', 0, 0, 0]);
    }
}
