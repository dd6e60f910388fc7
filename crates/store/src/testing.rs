//! A fresh, migrated database per test: a SQLite file in a temporary directory, or, when
//! `GIAMSAT_TEST_DATABASE_URL=postgres://…` is set, a new PostgreSQL database created for the test and
//! dropped afterwards. The same suites run on both backends this way.

use sea_orm::{ConnectionTrait, Database};

use crate::{Db, StoreError, connect, db::migrate};

/// The environment variable that selects PostgreSQL for the tests.
pub const TEST_DATABASE_ENV: &str = "GIAMSAT_TEST_DATABASE_URL";

/// A database that exists for one test.
pub struct TestDb {
    pub db: Db,
    pub url: String,
    postgres: Option<(String, String)>,
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
                let admin = Database::connect(&admin_url).await?;
                admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await?;
                admin.close().await?;
                let url = replace_database(&admin_url, &name);
                let db = connect(&url, 4).await?;
                migrate(&db).await?;
                Ok(TestDb { db, url, postgres: Some((admin_url, name)), _dir: None })
            }
            None => {
                let dir = tempfile::tempdir().map_err(|e| StoreError::Db(sea_orm::DbErr::Custom(e.to_string())))?;
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
    pub async fn cleanup(self) -> Result<(), StoreError> {
        self.db.close().await?;
        if let Some((admin_url, name)) = &self.postgres {
            let admin = Database::connect(admin_url).await?;
            admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await?;
            admin.close().await?;
        }
        Ok(())
    }
}

/// `postgres://user@host:port/db?x` with its database replaced by `name`.
fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[scheme_end..].find('/').map_or(base.len(), |i| scheme_end + i);
    let mut out = format!("{}/{name}", &base[..host_end]);
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
        assert_eq!(
            super::replace_database("postgres://postgres@127.0.0.1:5432/test", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            super::replace_database("postgres://p@h/test?sslmode=disable", "x"),
            "postgres://p@h/x?sslmode=disable"
        );
        assert_eq!(super::replace_database("postgres://p@h", "x"), "postgres://p@h/x");
    }
}
