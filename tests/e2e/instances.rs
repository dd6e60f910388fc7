//! Two app instances on one database (PostgreSQL with `GIAMSAT_TEST_DATABASE_URL`, else one SQLite file), each
//! with its own pool, as behind a load balancer: a session opened on one works on the other, and concurrent
//! edits through both keep every invariant.

use std::net::SocketAddr;
use std::sync::Arc;

use giamsat_domain::policy::Role;
use giamsat_store::entities::{audit_events, findings};
use giamsat_store::sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use giamsat_web::{AppState, build_router};

use crate::support::{PASSWORD, csrf_of, spawn_app};

/// A second server on the same database, with a pool of its own; returns its base URL.
async fn second_instance(url: &str, files: &std::path::Path) -> String {
    let db = giamsat_store::connect(url, 4).await.expect("a second pool on the same database");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a free port");
    let base = format!("http://{}", listener.local_addr().expect("bound"));
    let state = AppState::new(db, &base, false, files);
    let app = build_router(state).into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, app).await });
    base
}

#[tokio::test]
async fn a_session_from_one_instance_works_on_the_other_and_concurrent_edits_through_both_lose_nothing() {
    let app = spawn_app().await;
    let files = tempfile::tempdir().expect("a files directory");
    let other = second_instance(&app.test_db.url, files.path()).await;
    let mission = app.insert_seed().await;
    let org = app.owner_of(mission).await;
    let (_, email) = app.account(Role::Staff, Some(org)).await;

    // Log in on the first instance; carry the session cookie to the second.
    let (response, _) = app.login(&email, PASSWORD).await;
    assert_eq!(response.status(), 303);
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(app.state.sessions.cookie_name()))
        .and_then(|v| v.split(';').next())
        .expect("a session cookie")
        .to_owned();
    let jar = reqwest::cookie::Jar::default();
    for base in [&app.base, &other] {
        jar.add_cookie_str(&format!("{cookie}; Path=/"), &base.parse().expect("a URL"));
    }
    let client = reqwest::Client::builder()
        .cookie_provider(Arc::new(jar))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let account = client.get(format!("{other}/account")).send().await.expect("answers");
    assert_eq!(account.status(), 200, "the second instance knows the session");
    let page = account.text().await.expect("body");
    assert!(page.contains(&email), "as the same account");
    let csrf = csrf_of(&page).expect("a token");

    // Six writers, half through each instance, add findings with retries on conflict.
    let before = findings::Entity::find()
        .filter(findings::Column::MissionId.eq(mission))
        .count(&app.test_db.db)
        .await
        .expect("count");
    let writers: Vec<_> = (0..6)
        .map(|w| {
            let client = client.clone();
            let csrf = csrf.clone();
            let base = if w % 2 == 0 { app.base.clone() } else { other.clone() };
            tokio::spawn(async move {
                let mut added = 0;
                let mut statuses = Vec::new();
                while added < 4 {
                    let current: serde_json::Value = client
                        .get(format!("{base}/api/v1/missions/{mission}"))
                        .send()
                        .await
                        .expect("answers")
                        .json()
                        .await
                        .expect("JSON");
                    let body = serde_json::json!({"version": current["version"], "kind": "strength",
                        "text": format!("ý kiến {w}-{added}")});
                    let response = client
                        .post(format!("{base}/api/v1/missions/{mission}/findings"))
                        .header("x-csrf-token", &csrf)
                        .json(&body)
                        .send()
                        .await
                        .expect("answers");
                    statuses.push(response.status().as_u16());
                    match response.status().as_u16() {
                        201 => added += 1,
                        409 => {}
                        // Anything else would repeat forever: stop and let the assertion below report it.
                        _ => break,
                    }
                }
                statuses
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for writer in writers {
        statuses.extend(writer.await.expect("a writer finished"));
    }
    assert!(statuses.iter().all(|s| matches!(s, 201 | 409)), "only successes and conflicts: {statuses:?}");
    let db = &app.test_db.db;
    let after =
        findings::Entity::find().filter(findings::Column::MissionId.eq(mission)).count(db).await.expect("count");
    assert_eq!(after, before + 24, "every acknowledged finding is stored, once");
    let audited = audit_events::Entity::find()
        .filter(audit_events::Column::MissionId.eq(mission))
        .filter(audit_events::Column::Action.eq("finding.add"))
        .count(db)
        .await
        .expect("count");
    assert_eq!(audited, 24, "one audit row per finding");
    let version = crate::authz::version_of(&app, mission).await.expect("stored");
    let stored = giamsat_store::missions::load(db, mission).await.expect("loads");
    assert_eq!(version, stored.version);
    assert_eq!(u64::try_from(stored.mission.findings.len()).expect("small"), after, "positions are dense");
    app.cleanup().await;
}
