//! A fresh, migrated database per test: a SQLite file in a temporary directory, or, when
//! `GIAMSAT_TEST_DATABASE_URL=postgres://…` is set, a new PostgreSQL database created for the test and
//! dropped afterwards — by [`TestDb::cleanup`], or by `Drop` if the test panicked first. The same suites run on
//! both backends this way.

use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbErr};

use crate::{Db, StoreError, connect, migrate};

/// The environment variable that selects PostgreSQL for the tests.
pub const TEST_DATABASE_ENV: &str = "GIAMSAT_TEST_DATABASE_URL";

/// Whether the tests were asked to run on PostgreSQL.
#[must_use]
pub fn postgres_requested() -> bool {
    std::env::var(TEST_DATABASE_ENV).is_ok_and(|u| u.starts_with("postgres"))
}

struct PgDatabase {
    admin_url: String,
    name: String,
}

/// A database that exists for one test.
pub struct TestDb {
    pub db: Db,
    pub url: String,
    postgres: Option<PgDatabase>,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    /// Creates and migrates a new database.
    ///
    /// # Errors
    /// [`StoreError`] if the server cannot be reached or the migration fails.
    pub async fn new() -> Result<TestDb, StoreError> {
        match std::env::var(TEST_DATABASE_ENV).ok().filter(|u| u.starts_with("postgres")) {
            Some(admin_url) => {
                let name = format!("giamsat_t_{}", uuid::Uuid::new_v4().simple());
                let admin = admin_connection(&admin_url).await?;
                admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await?;
                admin.close().await?;
                let url = replace_database(&admin_url, &name);
                // From here on `Drop` drops the database, even if connecting or migrating fails.
                let mut test = TestDb {
                    db: DatabaseConnection::default(),
                    url: url.clone(),
                    postgres: Some(PgDatabase { admin_url, name }),
                    _dir: None,
                };
                test.db = connect(&url, 4).await?;
                migrate(&test.db).await?;
                Ok(test)
            }
            None => {
                let dir = tempfile::tempdir().map_err(|e| StoreError::Db(DbErr::Custom(e.to_string())))?;
                let url = format!("sqlite://{}/test.db?mode=rwc", dir.path().display());
                let db = connect(&url, 4).await?;
                migrate(&db).await?;
                Ok(TestDb { db, url, postgres: None, _dir: Some(dir) })
            }
        }
    }

    /// Whether this test runs on PostgreSQL.
    #[must_use]
    pub fn is_postgres(&self) -> bool {
        self.postgres.is_some()
    }

    /// Closes the pool and drops the PostgreSQL database (the SQLite directory goes with `self`).
    ///
    /// # Errors
    /// [`StoreError`] if the database cannot be dropped.
    pub async fn cleanup(mut self) -> Result<(), StoreError> {
        std::mem::take(&mut self.db).close().await?;
        if let Some(pg) = self.postgres.take() {
            drop_database(&pg).await?;
        }
        Ok(())
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some(pg) = self.postgres.take() else {
            return;
        };
        // We may be inside the test's runtime, or unwinding from a panic in it: clean up on a runtime and a
        // thread of our own, and wait. `WITH (FORCE)` ends the pool's open connections.
        let name = pg.name.clone();
        let cleanup = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
            runtime.block_on(drop_database(&pg)).map_err(std::io::Error::other)
        });
        match cleanup.join() {
            Ok(Ok(())) => {}
            Ok(Err(e)) => eprintln!("could not drop test database {name}: {e}"),
            Err(_) => eprintln!("could not drop test database {name}: the cleanup thread panicked"),
        }
    }
}

async fn admin_connection(admin_url: &str) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(admin_url);
    options.max_connections(1).min_connections(0).sqlx_logging(false);
    Database::connect(options).await
}

async fn drop_database(pg: &PgDatabase) -> Result<(), DbErr> {
    let admin = admin_connection(&pg.admin_url).await?;
    let dropped = admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", pg.name)).await;
    admin.close().await?;
    dropped.map(|_| ())
}

/// `postgres://user@host:port/db?x` with its database replaced by `name` (options kept).
fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[authority_start..].find('/').map_or(base.len(), |i| authority_start + i);
    let mut out = format!("{}/{name}", &base[..path_start]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_database_name_is_replaced() {
        let replace = super::replace_database;
        assert_eq!(replace("postgres://postgres@127.0.0.1:5432/test", "x"), "postgres://postgres@127.0.0.1:5432/x");
        assert_eq!(replace("postgres://p@h/test?sslmode=disable", "x"), "postgres://p@h/x?sslmode=disable");
        assert_eq!(replace("postgres://p@h", "x"), "postgres://p@h/x");
    }
}
