//! The page cache (`giamsat_web::page_cache`): a kept page costs the session's one statement, and no change
//! committed before a request — through a page, through the store as another instance or the command line
//! would, or to who may see what — is ever missing from its answer.

use std::sync::atomic::Ordering;

use giamsat_domain::policy::{Capacity, Role};
use giamsat_store::audit::Actor;
use giamsat_store::entities::{findings, search_documents};
use giamsat_store::sea_orm::sea_query::Expr;
use giamsat_store::sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::support::{TestUser, csrf_of, spawn_app};

async fn body(user: &TestUser, path: &str) -> String {
    let response = user.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    response.text().await.expect("body")
}

#[tokio::test]
async fn a_kept_page_costs_one_statement_and_shows_any_committed_change_at_once() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let admin = app.user(Role::Admin, None, None).await;
    let path = format!("/missions/{id}");
    let first = body(&admin, &path).await;

    // Act: the same page again.
    app.queries.store(0, Ordering::SeqCst);
    let again = body(&admin, &path).await;

    // Assert: the same page, for the session's statement alone.
    assert_eq!(app.queries.swap(0, Ordering::SeqCst), 1, "a kept page costs the session lookup only");
    assert_eq!(first, again);

    // A change written straight to the database, as another instance or the command line would, is on the
    // next answer.
    findings::Entity::update_many()
        .col_expr(findings::Column::Text, Expr::value("Phát hiện sửa trực tiếp trong cơ sở dữ liệu"))
        .filter(findings::Column::MissionId.eq(id))
        .exec(&app.test_db.db)
        .await
        .expect("a direct update");
    assert!(body(&admin, &path).await.contains("Phát hiện sửa trực tiếp trong cơ sở dữ liệu"));
    app.cleanup().await;
}

#[tokio::test]
async fn a_kept_search_costs_one_statement_and_shows_a_change_of_the_index_at_once() {
    let app = spawn_app().await;
    app.insert_seed().await;
    let admin = app.user(Role::Admin, None, None).await;
    let path = "/search?q=hang+bac";
    let first = body(&admin, path).await;
    assert!(first.contains("<mark>Hàng</mark> <mark>Bạc</mark>"), "{first}");

    app.queries.store(0, Ordering::SeqCst);
    let again = body(&admin, path).await;

    assert_eq!(app.queries.swap(0, Ordering::SeqCst), 1, "a kept search costs the session lookup only");
    assert_eq!(first, again);
    search_documents::Entity::update_many()
        .col_expr(search_documents::Column::Title, Expr::value("phường Hàng Bạc (sửa trực tiếp)"))
        .filter(search_documents::Column::Title.eq("phường Hàng Bạc"))
        .exec(&app.test_db.db)
        .await
        .expect("a direct update");
    assert!(body(&admin, path).await.contains("(sửa trực tiếp)"), "the index changed: searched again");
    app.cleanup().await;
}

#[tokio::test]
async fn two_sessions_of_one_account_each_get_their_own_token_on_a_kept_page() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let (user_id, email) = app.account(Role::Admin, None).await;
    let sessions = [app.logged_in(user_id, email.clone(), None).await, app.logged_in(user_id, email, None).await];
    assert_ne!(sessions[0].csrf, sessions[1].csrf);
    let path = format!("/missions/{id}");
    for user in &sessions {
        let page = body(user, &path).await;
        let other = sessions.iter().find(|s| s.csrf != user.csrf).expect("the other session");
        assert!(page.contains(&user.csrf), "the page carries the asking session's token");
        assert!(!page.contains(&other.csrf), "and not the other session's");
        assert_eq!(csrf_of(&page).as_deref(), Some(user.csrf.as_str()));
    }
    // The token on the kept page works for a change.
    let saved = sessions[1].post(&format!("/missions/{id}/findings/none"), &[]).await;
    assert_ne!(saved.status(), 403, "the kept page's token is the session's own");
    app.cleanup().await;
}

#[tokio::test]
async fn an_assignment_withdrawn_is_denied_on_the_next_request_to_a_kept_page() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let org = app.owner_of(id).await;
    let leader = app.user(Role::TeamLeader, Some(org), Some((id, Capacity::Leader))).await;
    let path = format!("/missions/{id}");
    body(&leader, &path).await;
    body(&leader, &path).await;
    for list in ["/", "/missions", "/ledger"] {
        body(&leader, list).await;
    }

    giamsat_store::accounts::unassign(&app.test_db.db, id, leader.id, &Actor::system(chrono::Utc::now()))
        .await
        .expect("unassigned");

    assert_eq!(leader.get(&path).await.status(), 404, "denied on the first request after the withdrawal");
    let list = body(&leader, "/missions").await;
    assert!(!list.contains(&format!("href=\"/missions/{id}\"")), "and gone from the list");
    app.cleanup().await;
}
