//! PostgreSQL backup drill (test plan D5): `pg_dump -Fc` of a database in use, `pg_restore` into a new one, and
//! the same rows in every table and the same exported missions. On SQLite the drill is `giamsat backup` /
//! `restore` (cli.rs); this test needs `GIAMSAT_TEST_DATABASE_URL` and the PostgreSQL client tools.

use giamsat_store::sea_orm::{ConnectionTrait, Statement};

use crate::support::spawn_app;

/// Row counts of every table of the public schema, by name.
async fn counts(db: &giamsat_store::Db) -> Vec<(String, i64)> {
    let backend = db.get_database_backend();
    let tables = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' \
             AND table_type = 'BASE TABLE' ORDER BY table_name",
        ))
        .await
        .expect("tables listed");
    let mut out = Vec::new();
    for row in tables {
        let table: String = row.try_get_by_index(0).expect("a name");
        let sql = format!("SELECT count(*) FROM \"{table}\"");
        let row = db.query_one_raw(Statement::from_string(backend, sql)).await.expect("counted").expect("a row");
        out.push((table, row.try_get_by_index::<i64>(0).expect("a count")));
    }
    out
}

async fn exports(db: &giamsat_store::Db, ids: &[i64]) -> Vec<String> {
    let mut out = Vec::new();
    for id in ids {
        let stored = giamsat_store::missions::load(db, *id).await.expect("loads");
        out.push(giamsat_domain::interchange::to_json(&stored.mission));
    }
    out
}

fn run(program: &str, args: &[&str]) {
    let output = std::process::Command::new(program).args(args).output().unwrap_or_else(|e| panic!("{program}: {e}"));
    assert!(output.status.success(), "{program} {args:?}: {}", String::from_utf8_lossy(&output.stderr));
}

#[tokio::test]
async fn a_pg_dump_restores_into_a_new_database_with_the_same_rows() {
    let app = spawn_app().await;
    if !app.test_db.is_postgres() {
        app.cleanup().await;
        return;
    }
    let ids = [app.insert_seed().await, app.insert_seed().await];
    let (url, _) = app.test_db.url.split_once('?').unwrap_or((app.test_db.url.as_str(), ""));
    let (server, name) = url.rsplit_once('/').expect("a database URL");
    let restored_name = format!("{name}_restored");
    let dump = tempfile::NamedTempFile::new().expect("a dump file");
    let dump_path = dump.path().to_str().expect("a UTF-8 path");
    run("pg_dump", &["-Fc", "-f", dump_path, "-d", url]);
    let admin = format!("{server}/postgres");
    run("psql", &["-q", "-d", &admin, "-c", &format!("CREATE DATABASE \"{restored_name}\"")]);
    let restored_url = format!("{server}/{restored_name}");
    run("pg_restore", &["--no-owner", "--exit-on-error", "-d", &restored_url, dump_path]);
    let restored = giamsat_store::connect(&restored_url, 2).await.expect("the restored database opens");
    let before = counts(&app.test_db.db).await;
    assert!(before.iter().any(|(t, n)| t == "audit_events" && *n > 0), "the drill has audit rows to compare");
    assert_eq!(counts(&restored).await, before, "the same rows in every table");
    assert_eq!(exports(&restored, &ids).await, exports(&app.test_db.db, &ids).await, "the same missions");
    restored.close().await.expect("closes");
    run("psql", &["-q", "-d", &admin, "-c", &format!("DROP DATABASE \"{restored_name}\"")]);
    app.cleanup().await;
}
