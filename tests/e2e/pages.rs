use giamsat_domain::policy::Role;

use crate::support::spawn_app;

#[tokio::test]
async fn health_and_readiness_answer() {
    let app = spawn_app().await;
    assert_eq!(app.get("/healthz").await.text().await.expect("body"), "ok");
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status(), 200);
    app.cleanup().await;
}

#[tokio::test]
async fn the_missions_list_shows_an_imported_mission() {
    let app = spawn_app().await;
    let admin = app.user(Role::Admin, None, None).await;
    let empty = admin.get("/missions").await.text().await.expect("body");
    assert!(empty.contains("Chưa có cuộc giám sát nào"));
    let id = app.insert_seed().await;
    let page = admin.get("/").await.text().await.expect("body");
    assert!(page.contains(&format!("href=\"/missions/{id}\"")));
    assert!(page.contains("Đoàn Giám sát số 5"));
    assert!(page.contains("từ ngày 23 đến ngày 26/3/2021"));
    assert!(page.contains("Đang giám sát"));
    app.cleanup().await;
}

#[tokio::test]
async fn the_mission_page_shows_the_team_in_protocol_order_and_what_is_missing() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let staff = app.user(Role::Staff, Some(app.owner_of(id).await), None).await;
    let response = staff.get(&format!("/missions/{id}")).await;
    assert_eq!(response.status(), 200);
    let page = response.text().await.expect("body");
    let leader = page.find("Nguyễn Thị Phương Chung").expect("leader shown");
    let deputy = page.find("Nguyễn Quốc Hoàn").expect("deputy shown");
    let group = page.find("đại diện lãnh đạo một số phòng, ban quận").expect("unnamed group shown");
    assert!(leader < deputy && deputy < group, "protocol order kept");
    assert!(page.contains("Số 109-QĐ/QU, ngày 09/3/2021 của Quận ủy"));
    assert!(page.contains("phường Đồng Xuân chưa có buổi làm việc"));
    assert!(page.contains("Công tác phổ biến, quán triệt Chỉ thị 45-CT/TW"), "findings capitalised as sentences");
    assert!(page.contains("Sớm khôi phục hệ thống loa truyền thanh"));
    app.cleanup().await;
}

#[tokio::test]
async fn the_export_button_downloads_the_interchange_file() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let staff = app.user(Role::Staff, Some(app.owner_of(id).await), None).await;
    let response = staff.get(&format!("/missions/{id}/export")).await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-disposition"].to_str().expect("ascii").contains(&format!("mission-{id}.json")));
    assert_eq!(response.text().await.expect("body"), crate::support::SEED);
    app.cleanup().await;
}

#[tokio::test]
async fn unknown_pages_and_records_get_the_error_page_with_a_request_id() {
    let app = spawn_app().await;
    let admin = app.user(Role::Admin, None, None).await;
    for path in ["/missions/999999", "/no-such-page", "/missions/not-a-number"] {
        let response = admin.get(path).await;
        assert!(response.status().is_client_error(), "{path}");
        let id = response.headers()["x-request-id"].to_str().expect("ascii").to_owned();
        let body = response.text().await.expect("body");
        assert!(body.contains(&id), "{path}: the page shows the request id");
        assert!(body.contains("<html lang=\"vi\">"), "{path}: an HTML page");
    }
    let delete = admin
        .client
        .delete(admin.url("/missions"))
        .header("x-csrf-token", admin.csrf.as_str())
        .send()
        .await
        .expect("reaches");
    assert_eq!(delete.status(), 405);
    app.cleanup().await;
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = spawn_app().await;
    let admin = app.user(Role::Admin, None, None).await;
    for path in ["/", "/missions/424242", "/healthz", "/static/app.css", "/login"] {
        let response = admin.get(path).await;
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().expect("ascii");
        assert!(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"), "{path}");
        assert!(!csp.contains("unsafe-inline"), "{path}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert!(headers.contains_key("referrer-policy"), "{path}");
    }
    let page = admin.get("/").await;
    assert_eq!(page.headers()["cache-control"], "no-store");
    let anonymous = app.get("/missions").await;
    assert!(anonymous.headers().contains_key("content-security-policy"), "redirects too");
    app.cleanup().await;
}
