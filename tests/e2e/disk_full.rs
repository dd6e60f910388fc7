//! Disk full (test plan F2), simulated with SQLite's `PRAGMA max_page_count` on every connection of the app's
//! pool: the database file may not grow past a few pages more than it has, which SQLite reports exactly as a
//! full disk (`SQLITE_FULL`). Writes then fail with the 507 page, everything acknowledged before is kept and the
//! file stays sound. (SQLite on its own file whatever the backend of the suite: the pragma is SQLite's.)

use std::net::SocketAddr;

use giamsat_domain::policy::Role;
use giamsat_store::accounts::{self, NewUser};
use giamsat_store::audit::Actor;
use giamsat_store::entities::findings;
use giamsat_store::sea_orm::{ConnectOptions, ConnectionTrait, EntityTrait, Statement};
use giamsat_web::auth::{hash_token, random_token};
use giamsat_web::{AppState, build_router};

use crate::support::SEED;

async fn serve(db: giamsat_store::Db, files: &std::path::Path) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a free port");
    let base = format!("http://{}", listener.local_addr().expect("bound"));
    let app = build_router(AppState::new(db, &base, false, files)).into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, app).await });
    base
}

async fn pragma(db: &giamsat_store::Db, sql: &str) -> String {
    let row =
        db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await.expect("runs").expect("a row");
    row.try_get_by_index::<String>(0)
        .or_else(|_| row.try_get_by_index::<i64>(0).map(|n| n.to_string()))
        .expect("a value")
}

#[tokio::test]
async fn a_full_disk_refuses_writes_with_a_clear_page_and_loses_nothing_saved() {
    let dir = tempfile::tempdir().expect("a directory");
    let url = format!("sqlite://{}/full.db?mode=rwc", dir.path().display());
    let setup = giamsat_store::connect(&url, 2).await.expect("connects");
    giamsat_store::migrate(&setup).await.expect("migrates");
    let mission = giamsat_domain::interchange::parse(SEED.as_bytes()).expect("the seed parses");
    let id =
        giamsat_store::missions::insert(&setup, &mission, &Actor::system(chrono::Utc::now())).await.expect("stored");
    let new = NewUser {
        email: "day@test.giamsat".to_owned(),
        display_name: "Người ghi".to_owned(),
        role: Role::Admin,
        organisation_id: None,
        password_hash: None,
    };
    let admin = accounts::create(&setup, &new, &Actor::system(chrono::Utc::now())).await.expect("account");
    let token = format!("gs_{}", random_token());
    accounts::create_api_token(&setup, admin, "thử", &hash_token(&token), "gs_thu", &Actor::system(chrono::Utc::now()))
        .await
        .expect("token");
    let pages: i64 = pragma(&setup, "PRAGMA page_count").await.parse().expect("a number");
    setup.close().await.expect("closes");

    let mut options = ConnectOptions::new(url.clone());
    options.max_connections(1).sqlx_logging(false).map_sqlx_sqlite_opts(move |o| {
        o.busy_timeout(std::time::Duration::from_secs(5)).pragma("max_page_count", (pages + 24).to_string())
    });
    giamsat_store::db::leave_no_transaction_open(&mut options);
    let small = giamsat_store::sea_orm::Database::connect(options).await.expect("connects with a page limit");
    let files = tempfile::tempdir().expect("a files directory");
    let base = serve(small.clone(), files.path()).await;
    let client = reqwest::Client::new();
    let add = |version: i64, text: String| {
        client
            .post(format!("{base}/api/v1/missions/{id}/findings"))
            .bearer_auth(&token)
            .json(&serde_json::json!({"version": version, "kind": "strength", "text": text}))
            .send()
    };
    let mut version = 1;
    let mut acknowledged = Vec::new();
    let mut refused = None;
    for n in 0..400 {
        let text = format!("kết quả {n}: {}", "các phường đã chuẩn bị chu đáo. ".repeat(20).trim_end());
        let response = add(version, text.clone()).await.expect("answers");
        match response.status().as_u16() {
            201 => {
                let body: serde_json::Value = response.json().await.expect("JSON");
                version = body["version"].as_i64().expect("a version");
                acknowledged.push(text);
            }
            507 => {
                refused = Some(response.json::<serde_json::Value>().await.expect("a JSON error"));
                break;
            }
            other => panic!("write {n}: {other} {}", response.text().await.unwrap_or_default()),
        }
    }
    let refused = refused.expect("the page limit was reached");
    assert!(refused["message"].as_str().is_some_and(|m| m.contains("hết chỗ lưu")), "{refused}");
    assert!(!acknowledged.is_empty(), "some writes fitted before the disk was full");
    // Still full: a second attempt is refused the same way, not with a 500.
    assert_eq!(add(version, "thêm một ý".to_owned()).await.expect("answers").status(), 507);

    // Everything acknowledged before is stored and visible to any other connection; the file is sound.
    let db = giamsat_store::connect(&url, 2).await.expect("connects");
    assert_eq!(pragma(&db, "PRAGMA integrity_check").await, "ok");
    let stored: Vec<String> =
        findings::Entity::find().all(&db).await.expect("reads").into_iter().map(|f| f.text).collect();
    for text in &acknowledged {
        assert!(stored.contains(text), "an acknowledged finding was lost");
    }
    // Space is freed: writes resume without a restart, and what is acknowledged is committed (visible to
    // another connection), not left in a transaction the failed COMMIT kept open.
    small.execute_unprepared("PRAGMA max_page_count = 1000000").await.expect("room again");
    let after = "sau khi giải phóng dung lượng, các phường tiếp tục báo cáo".to_owned();
    let resumed = add(version, after.clone()).await.expect("answers");
    assert_eq!(resumed.status(), 201, "writes resume once there is room");
    let stored: Vec<String> =
        findings::Entity::find().all(&db).await.expect("reads").into_iter().map(|f| f.text).collect();
    assert!(stored.contains(&after), "the write after the disk was freed is committed");
}
