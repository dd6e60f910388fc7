//! Connecting, with the durability settings checked: the app refuses to start if one did not take.

use std::time::Duration;

use giamsat_migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, DatabaseBackend, DatabaseConnection, DatabaseTransaction, DbErr,
    SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait,
};

use crate::StoreError;

/// The database of the app: a sea-orm pool (cheap to clone).
pub type Db = DatabaseConnection;

/// How long a request waits for a pooled connection before the app answers 503 (sqlx's default is 30 s).
pub const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(4);
/// How long SQLite waits on a lock held by another connection before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// A pooled connection unused this long is pinged before it is handed out again.
pub const PING_IF_IDLE_FOR: Duration = Duration::from_secs(30);

/// The default database: a SQLite file under `./data/`, created on first run.
pub const DEFAULT_URL: &str = "sqlite://data/giamsat.db?mode=rwc";

/// Opens a pool on `url` (sqlite:… or postgres://…) and checks the durability settings.
///
/// # Errors
/// [`StoreError::Db`] if the database cannot be reached, [`StoreError::Setting`] if a setting did not take.
pub async fn connect(url: &str, max_connections: u32) -> Result<Db, StoreError> {
    if let Some(dir) =
        sqlite_path(url).and_then(|path| std::path::Path::new(path).parent()).filter(|d| !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::Db(DbErr::Custom(format!("{}: {e}", dir.display()))))?;
    }
    let mut options = ConnectOptions::new(url);
    options
        .max_connections(max_connections)
        .min_connections(1)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .connect_timeout(ACQUIRE_TIMEOUT)
        // sqlx pings a connection on every acquire by default: one more round trip per statement (each
        // statement acquires), a fifth of a page's cost. A connection idle this long is still pinged (a
        // PostgreSQL server may have dropped it, a SQLite connection's thread may have died).
        .test_before_acquire(false)
        .test_before_acquire_if_idle_for(PING_IF_IDLE_FOR)
        // SQL text may hold finding texts; it stays out of the logs.
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(BUSY_TIMEOUT)
        });
    leave_no_transaction_open(&mut options);
    let db = sea_orm::Database::connect(options).await?;
    verify_settings(&db).await?;
    Ok(db)
}

/// Opens the one connection a bulk load (`seed synthetic`) writes through, with durability relaxed for its
/// session: SQLite `synchronous=OFF`, PostgreSQL `synchronous_commit=off`, so a commit does not wait for the
/// disk. A crash during the load may lose (SQLite: or damage) what it wrote, and the load is then simply run
/// again on a new database; nothing else writes through this connection. The app's own connections keep
/// [`connect`]'s settings.
///
/// # Errors
/// [`StoreError::Db`] if the database cannot be reached.
pub async fn connect_bulk(url: &str) -> Result<Db, StoreError> {
    let mut options = ConnectOptions::new(url);
    options
        .max_connections(1)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .connect_timeout(ACQUIRE_TIMEOUT)
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|o| {
            // A rollback journal rather than the write-ahead log: a load's pages go straight into the file (new
            // pages need no journal), whereas through the log they were written twice and every page read or
            // spilled was first looked up in a log of gigabytes (that lookup alone was a tenth of the load's CPU;
            // 100 000 missions took a third less time without the log). The load sets the write-ahead log again
            // at its end (`synthetic::seed`); the app's connections set it too.
            o.journal_mode(SqliteJournalMode::Delete)
                .synchronous(SqliteSynchronous::Off)
                .foreign_keys(true)
                .busy_timeout(BUSY_TIMEOUT)
                // 256 MiB of page cache (the default is 2 MiB): the indexes of a large load stay in memory.
                .pragma("cache_size", "-262144")
        })
        .map_sqlx_postgres_opts(|o| o.options([("synchronous_commit", "off")]));
    leave_no_transaction_open(&mut options);
    Ok(sea_orm::Database::connect(options).await?)
}

/// Makes sure no SQLite connection is handed out inside a transaction. When a COMMIT fails (a full disk:
/// `SQLITE_FULL`), the transaction stays open on that connection, and the next write on it would be
/// acknowledged but never committed. sea-orm then sends a `ROLLBACK` as the transaction is dropped, before the
/// connection is back in the pool, and sqlx counts the connection's open transactions: one still counted here
/// is one whose `ROLLBACK` failed too, and it is discarded (closing it ends its transaction). A healthy
/// connection is handed out without a word to its thread; the `ROLLBACK` this hook used to send before every
/// statement cost a round trip to that thread each.
pub fn leave_no_transaction_open(options: &mut ConnectOptions) {
    options.map_sqlx_sqlite_before_acquire(|conn, _| {
        Box::pin(async move {
            use sea_orm::sqlx::Connection;
            Ok(!conn.is_in_transaction())
        })
    });
}

/// The file path of a SQLite URL, if it is one (and not in memory).
#[must_use]
pub fn sqlite_path(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && path != ":memory:").then_some(path)
}

/// Applies every pending migration (the schema only: [`crate::migrate`] also brings the data up to date).
///
/// # Errors
/// [`StoreError::Db`] if a migration fails (it is rolled back on PostgreSQL).
pub async fn migrate_schema(db: &Db) -> Result<(), StoreError> {
    Migrator::up(db, None).await?;
    Ok(())
}

/// Begins a write transaction. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`): a deferred
/// transaction that reads and then writes can fail with "database is locked" without waiting, whereas an
/// immediate one waits for the busy timeout like any other writer.
///
/// # Errors
/// [`DbErr`] if the transaction cannot begin (lock not obtained within the busy timeout, database down).
pub async fn begin_write(db: &Db) -> Result<DatabaseTransaction, DbErr> {
    let options = TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    };
    db.begin_with_options(options).await
}

/// Begins a read of several statements: a page that reads many tables (the mission page reads about twenty)
/// runs them on one pooled connection and sees one snapshot. Each statement on the pool itself takes a
/// connection and gives it back, and sqlx pings a connection given back: a round trip to the connection's thread
/// (SQLite), which cost more than the statement. Nothing is written in it: dropping it ends it.
///
/// # Errors
/// [`DbErr`] if no connection is free within the acquire timeout or the transaction cannot begin.
pub async fn begin_read(db: &Db) -> Result<DatabaseTransaction, DbErr> {
    db.begin().await
}

/// Writes a consistent copy of a SQLite database to `path` while it stays in use (`VACUUM INTO`).
///
/// # Errors
/// [`StoreError::Db`] if the copy cannot be written.
pub async fn backup_into(db: &Db, path: &str) -> Result<(), StoreError> {
    db.execute_raw(Statement::from_sql_and_values(DatabaseBackend::Sqlite, "VACUUM INTO ?", [path.into()])).await?;
    Ok(())
}

/// Checks that the SQLite file at `path` is a sound giamsat database — `PRAGMA integrity_check` is ok and
/// migrations have run — opening it read-only, without the app's settings (they would write).
///
/// # Errors
/// [`StoreError::Db`] if it cannot be opened, [`StoreError::Setting`] naming what is wrong.
pub async fn check_backup(path: &str) -> Result<(), StoreError> {
    let mut options = ConnectOptions::new(format!("sqlite://{path}?mode=ro"));
    options.max_connections(1).sqlx_logging(false);
    let db = sea_orm::Database::connect(options).await?;
    let checked = check_database(&db).await;
    db.close().await?;
    checked
}

async fn check_database(db: &Db) -> Result<(), StoreError> {
    let integrity = setting(db, "PRAGMA integrity_check").await?;
    if integrity != "ok" {
        return Err(StoreError::Setting { setting: "integrity_check", expected: "ok".to_owned(), found: integrity });
    }
    let migrations = setting(db, "SELECT count(*) FROM seaql_migrations").await?;
    if migrations == "0" {
        return Err(StoreError::Setting {
            setting: "seaql_migrations",
            expected: "rows".to_owned(),
            found: migrations,
        });
    }
    Ok(())
}

async fn setting(db: &Db, sql: &str) -> Result<String, StoreError> {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await?
        .ok_or_else(|| StoreError::Db(DbErr::RecordNotFound(sql.to_owned())))?;
    row.try_get_by_index::<String>(0)
        .or_else(|_| row.try_get_by_index::<i64>(0).map(|v| v.to_string()))
        .map_err(Into::into)
}

/// SQLite: WAL, synchronous=FULL, foreign keys on, a busy timeout. PostgreSQL: fsync, synchronous_commit and
/// full_page_writes on.
async fn verify_settings(db: &Db) -> Result<(), StoreError> {
    let checks: &[(&'static str, &str, &str)] = match db.get_database_backend() {
        DatabaseBackend::Sqlite => &[
            ("journal_mode", "PRAGMA journal_mode", "wal"),
            ("synchronous", "PRAGMA synchronous", "2"),
            ("foreign_keys", "PRAGMA foreign_keys", "1"),
            ("busy_timeout", "PRAGMA busy_timeout", "5000"),
        ],
        DatabaseBackend::Postgres => &[
            ("fsync", "SHOW fsync", "on"),
            ("synchronous_commit", "SHOW synchronous_commit", "on"),
            ("full_page_writes", "SHOW full_page_writes", "on"),
        ],
        _ => &[],
    };
    for (name, sql, expected) in checks {
        let found = setting(db, sql).await?;
        if !found.eq_ignore_ascii_case(expected) {
            return Err(StoreError::Setting { setting: name, expected: (*expected).to_owned(), found });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_give_their_file_path() {
        assert_eq!(sqlite_path(DEFAULT_URL), Some("data/giamsat.db"));
        assert_eq!(sqlite_path("sqlite:/tmp/x.db"), Some("/tmp/x.db"));
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://postgres@127.0.0.1/giamsat"), None);
    }

    #[tokio::test]
    async fn a_new_sqlite_database_has_every_durability_setting() {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}/nested/t.db?mode=rwc", dir.path().display());
        let db = connect(&url, 2).await.expect("connects with WAL, FULL, foreign keys");
        assert_eq!(setting(&db, "PRAGMA journal_mode").await.expect("pragma"), "wal");
        migrate_schema(&db).await.expect("migrates");
    }
}
