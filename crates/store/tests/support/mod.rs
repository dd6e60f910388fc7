//! The harness of the store tests: a fresh, migrated database per test, either a SQLite file in a temporary
//! directory or, when `GIAMSAT_TEST_DATABASE_URL=postgres://…` is set, a new PostgreSQL database created for
//! the test and dropped afterwards. The same tests run on both backends this way.

use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicUsize, Ordering};

use giamsat_domain::interchange;
use giamsat_domain::mission::Mission;
use giamsat_store::entities::audit_events;
use sea_orm::{
    ColumnTrait, ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbErr, EntityTrait, QueryFilter,
    QueryOrder,
};

/// The environment variable that selects PostgreSQL (an admin URL such as `postgres://postgres@127.0.0.1/test`).
pub const TEST_DATABASE_ENV: &str = "GIAMSAT_TEST_DATABASE_URL";

/// The seed mission, in the canonical interchange form.
pub const SEED: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/seed-mission.json"));

/// Whether the tests were asked to run on PostgreSQL.
pub fn postgres_requested() -> bool {
    std::env::var(TEST_DATABASE_ENV).is_ok_and(|u| !u.is_empty())
}

/// The PostgreSQL database created for one test, to be dropped after it.
struct PgDatabase {
    admin_url: String,
    name: String,
}

/// A database that exists for one test. Call [`TestDb::cleanup`] at the end of the test; if the test panics
/// first, `Drop` still drops the PostgreSQL database (best effort).
pub struct TestDb {
    pub db: DatabaseConnection,
    postgres: Option<PgDatabase>,
    _dir: Option<tempfile::TempDir>,
}

/// A new, migrated database for one test.
pub async fn fresh_db() -> TestDb {
    match std::env::var(TEST_DATABASE_ENV).ok().filter(|u| !u.is_empty()) {
        Some(admin_url) => {
            let name = format!("giamsat_t_{}", random_hex());
            let admin = admin_connection(&admin_url).await.expect("connects to the admin database");
            admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("creates the test database");
            admin.close().await.expect("closes the admin connection");
            // From here on `Drop` drops the database, even if connecting or migrating fails.
            let url = with_database(&admin_url, &name);
            let mut test = TestDb {
                db: DatabaseConnection::default(),
                postgres: Some(PgDatabase { admin_url, name }),
                _dir: None,
            };
            test.db = giamsat_store::connect(&url, 4).await.expect("connects to the test database");
            giamsat_store::db::migrate(&test.db).await.expect("migrates");
            test
        }
        None => {
            let dir = tempfile::tempdir().expect("temporary directory");
            let url = format!("sqlite://{}/t.db?mode=rwc", dir.path().display());
            let db = giamsat_store::connect(&url, 4).await.expect("opens the SQLite file");
            giamsat_store::db::migrate(&db).await.expect("migrates");
            TestDb { db, postgres: None, _dir: Some(dir) }
        }
    }
}

impl TestDb {
    /// Whether this test runs on PostgreSQL.
    pub fn is_postgres(&self) -> bool {
        self.postgres.is_some()
    }

    /// Closes the pool and drops the PostgreSQL database (the SQLite directory goes with `self`).
    pub async fn cleanup(mut self) {
        let db = std::mem::take(&mut self.db);
        db.close().await.expect("closes the pool");
        if let Some(pg) = self.postgres.take() {
            drop_database(&pg).await.expect("drops the test database");
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some(pg) = self.postgres.take() else {
            return;
        };
        // We may be inside the test's runtime (or unwinding from a panic in it): run the cleanup on a runtime of
        // its own, on a thread of its own, and wait for it. `WITH (FORCE)` ends the pool's open connections.
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

/// `postgres://user@host:port/db?options` with the database replaced by `name` (options kept).
fn with_database(url: &str, name: &str) -> String {
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

/// 16 random hex digits (std's randomly keyed hasher, fed the time, the process and a counter).
fn random_hex() -> String {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    hasher.write_u128(nanos);
    hasher.write_u32(std::process::id());
    hasher.write_usize(COUNTER.fetch_add(1, Ordering::Relaxed));
    format!("{:016x}", hasher.finish())
}

/// The seed fixture as a JSON value, to edit into variants.
pub fn seed_value() -> serde_json::Value {
    serde_json::from_str(SEED).expect("the seed is JSON")
}

/// The seed mission.
pub fn seed() -> Mission {
    interchange::parse(SEED.as_bytes()).expect("the seed is valid")
}

/// The seed edited by `edit`, parsed.
pub fn seed_with(edit: impl FnOnce(&mut serde_json::Value)) -> Mission {
    let mut value = seed_value();
    edit(&mut value);
    let bytes = serde_json::to_vec(&value).expect("serialises");
    interchange::parse(&bytes).expect("the edited seed is valid")
}

/// The audit rows of `action` about the mission `id`, oldest first.
pub async fn audit_rows(db: &DatabaseConnection, action: &str, id: i64) -> Vec<audit_events::Model> {
    audit_events::Entity::find()
        .filter(audit_events::Column::Action.eq(action))
        .filter(audit_events::Column::EntityId.eq(id))
        .order_by_asc(audit_events::Column::Id)
        .all(db)
        .await
        .expect("reads audit_events")
}

#[test]
fn the_database_of_an_admin_url_is_replaced() {
    assert_eq!(with_database("postgres://postgres@127.0.0.1:5432/test", "x"), "postgres://postgres@127.0.0.1:5432/x");
    assert_eq!(with_database("postgres://p@h/test?sslmode=disable", "x"), "postgres://p@h/x?sslmode=disable");
    assert_eq!(with_database("postgres://p@h", "x"), "postgres://p@h/x");
    assert_ne!(random_hex(), random_hex());
}
