//! Query counts per page: each page sends a fixed number of statements, whatever the amount of data (no N+1).
//! Timings are the benchmark's business (`bench/run.sh`), not the tests'.

use std::sync::atomic::Ordering;

use giamsat_domain::policy::Role;
use giamsat_store::sea_orm::DatabaseBackend;
use giamsat_store::synthetic;

use crate::support::{TestUser, spawn_app, spawn_app_with};

/// The statements the app sends for one GET of `path` (asked twice: the first request may touch the session).
async fn statements_for(app: &crate::support::TestApp, user: &TestUser, path: &str) -> usize {
    let first = user.get(path).await;
    assert_eq!(first.status(), 200, "{path}");
    app.queries.store(0, Ordering::SeqCst);
    let second = user.get(path).await;
    assert_eq!(second.status(), 200, "{path}");
    app.queries.swap(0, Ordering::SeqCst)
}

#[tokio::test]
async fn every_page_sends_a_fixed_number_of_queries_whatever_the_data() {
    // Arrange: an administrator sees every mission; the pages are measured on 30 missions, then on 150, each
    // rendered (no page kept: the kept page's one statement is `page_cache`'s test).
    let app = spawn_app_with(|state| *state = state.clone().with_page_cache(0)).await;
    synthetic::seed(&app.test_db.db, 30, 5, chrono::Utc::now(), |_| {}).await.expect("seeds");
    let admin = app.user(Role::Admin, None, None).await;
    let pages = [
        "/",
        "/missions",
        "/missions?before=20",
        "/missions/15",
        "/search?q=hang+bac",
        "/search?q=c%C3%B4ng+t%C3%A1c",
        "/my-work",
        "/ledger",
        "/ledger?status=in_progress",
        "/recommendations/1",
    ];
    let mut small = Vec::new();
    for path in pages {
        small.push(statements_for(&app, &admin, path).await);
    }

    // Act
    synthetic::seed(&app.test_db.db, 120, 6, chrono::Utc::now(), |_| {}).await.expect("seeds more");
    let mut large = Vec::new();
    for path in pages {
        large.push(statements_for(&app, &admin, path).await);
    }

    // Assert: the same counts, and small ones (session lookup included).
    assert_eq!(small, large, "queries per page for {pages:?} grew with the data");
    // The mission page: the access check (1), its load (11: the mission with its decision, the owner with its
    // parent, nine child tables; it also gives the ledger ids), the decision's other teams, assignments, the
    // ledger's follow-up summary, the items' links and the earlier items it re-supervised.
    // Search: the session, the vocabulary, (on PostgreSQL, the newest document's id,) the engine.
    let search = match app.test_db.db.get_database_backend() {
        DatabaseBackend::Postgres => 4,
        _ => 3,
    };
    // The dashboard: the session, the counts by state, three lists, and the four lists of "Việc của tôi" (each
    // joined to its missions' names), which alone make that page with the session.
    // The ledger: the session, its items with their missions, the filters' choices (missions, units,
    // addressees), the count. A recommendation: the session, the item with its mission and decision, its
    // history, addressees, units, links, evidence, the forms' choices (the units' lineage read once for both link
    // lists) and the mission's other items.
    let limits = [9, 4, 4, 21, search, search, 5, 6, 6, 21];
    for ((path, count), limit) in pages.iter().zip(&large).zip(limits) {
        assert!(*count <= limit, "{path}: {count} queries, at most {limit} expected");
    }
    app.cleanup().await;
}

#[tokio::test]
async fn pages_are_gzipped_on_request_and_the_stylesheet_is_cached_for_good() {
    // Arrange
    let app = spawn_app().await;

    // Act
    let plain = app.get("/login").await;
    let gzipped = app
        .client
        .get(app.url("/login"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .expect("request reaches the app");
    let page = plain.text().await.expect("body");
    let link = page.split("href=\"/static/app.css").nth(1).and_then(|rest| rest.split('"').next()).unwrap_or_default();
    let css = app.get(&format!("/static/app.css{link}")).await;

    // Assert
    assert_eq!(gzipped.status(), 200);
    assert_eq!(gzipped.headers().get("content-encoding").map(|v| v.to_str().unwrap_or_default()), Some("gzip"));
    assert!(link.starts_with("?v=") && link.len() > 4, "the stylesheet's URL carries its version: {link:?}");
    assert_eq!(css.status(), 200);
    let cache = css.headers().get("cache-control").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert!(cache.contains("immutable") && cache.contains("max-age=31536000"), "{cache}");
    app.cleanup().await;
}
