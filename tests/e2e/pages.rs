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
    let page = admin.get("/missions").await.text().await.expect("body");
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

/// Issue 15.5: HSTS when cookies are secure (behind HTTPS), on every answer, errors included; never on plain HTTP.
#[tokio::test]
async fn hsts_is_sent_on_every_response_when_cookies_are_secure_and_never_otherwise() {
    use tower::ServiceExt;

    let app = spawn_app().await;
    for path in ["/healthz", "/login", "/missions/424242"] {
        assert!(!app.get(path).await.headers().contains_key("strict-transport-security"), "plain HTTP: {path}");
    }
    let mut state = app.state.clone();
    state.sessions = std::sync::Arc::new(giamsat_web::auth::session::SessionSettings {
        secure: true,
        ..giamsat_web::auth::session::SessionSettings::default()
    });
    for path in ["/healthz", "/login", "/missions", "/missions/424242", "/api/v1/missions", "/static/app.css"] {
        let request = axum::http::Request::get(path).body(axum::body::Body::empty()).expect("a request");
        let response = giamsat_web::build_router(state.clone()).oneshot(request).await.expect("answers");
        assert_eq!(response.headers()["strict-transport-security"], "max-age=31536000", "{path}");
    }
    app.cleanup().await;
}

#[tokio::test]
async fn the_dashboard_counts_missions_by_state_and_lists_what_is_due() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let today = chrono::Utc::now().with_timezone(&giamsat_domain::date::vn_offset()).date_naive();
    let soon = (today + chrono::Duration::days(3)).format("%Y-%m-%d").to_string();
    let late = (today - chrono::Duration::days(2)).format("%Y-%m-%d").to_string();
    let json = crate::support::SEED
        .replacen("\"text\": \"tiếp tục bám sát", &format!("\"due_on\": \"{soon}\", \"text\": \"tiếp tục bám sát"), 1)
        .replacen(
            "\"text\": \"tăng cường sự lãnh đạo",
            &format!("\"due_on\": \"{late}\", \"text\": \"tăng cường sự lãnh đạo"),
            1,
        );
    app.insert_json(&json).await;
    let staff = app.user(Role::Staff, Some(app.owner_of(id).await), None).await;
    let page = staff.get("/").await.text().await.expect("body");
    assert!(page.contains("href=\"/missions?state=in_progress\"><strong>2</strong> Đang giám sát"), "{page}");
    let overdue = page.split("id=\"overdue\"").nth(1).and_then(|s| s.split("</section>").next()).expect("section");
    assert!(overdue.contains("Tăng cường sự lãnh đạo"));
    let soon_section = page.split("id=\"soon\"").nth(1).and_then(|s| s.split("</section>").next()).expect("section");
    assert!(soon_section.contains("Tiếp tục bám sát"));
    let elsewhere = app.insert_json(&crate::support::SEED.replace("Quận ủy Hoàn Kiếm", "Quận ủy Ba Đình")).await;
    let outsider = app.user(Role::Staff, Some(app.owner_of(elsewhere).await), None).await;
    let other = outsider.get("/").await.text().await.expect("body");
    assert!(!other.contains("Tăng cường sự lãnh đạo"), "nothing of another organisation");
    assert!(other.contains("<strong>1</strong> Đang giám sát"), "only its own mission counted");
    app.cleanup().await;
}

#[tokio::test]
async fn the_dashboard_lists_twenty_lines_each_and_sends_the_rest_to_the_ledger() {
    // Arrange: hundreds of synthetic items long overdue, and one item due in three days.
    let app = spawn_app().await;
    giamsat_store::synthetic::seed(&app.test_db.db, 60, 3, chrono::Utc::now(), |_| {}).await.expect("seeds");
    let today = chrono::Utc::now().with_timezone(&giamsat_domain::date::vn_offset()).date_naive();
    let soon = (today + chrono::Duration::days(3)).format("%Y-%m-%d").to_string();
    app.insert_json(&crate::support::SEED.replacen(
        "\"text\": \"tiếp tục bám sát",
        &format!("\"due_on\": \"{soon}\", \"text\": \"tiếp tục bám sát"),
        1,
    ))
    .await;
    let admin = app.user(Role::Admin, None, None).await;

    // Act
    let page = admin.get("/").await.text().await.expect("body");

    // Assert
    let section = |id: &str| {
        page.split(&format!("id=\"{id}\"")).nth(1).and_then(|s| s.split("</section>").next()).expect("section")
    };
    let overdue = section("overdue");
    assert_eq!(overdue.matches("<li>").count(), 20, "{overdue}");
    assert!(overdue.contains("href=\"/ledger?overdue=1\""), "the ledger has the rest: {overdue}");
    let soon_section = section("soon");
    assert!(soon_section.contains("Tiếp tục bám sát"), "overdue items do not crowd out those due soon");
    assert!(!soon_section.contains("/ledger"), "nothing more is due soon: {soon_section}");
    app.cleanup().await;
}

#[tokio::test]
async fn the_missions_list_filters_and_keeps_its_filters_across_pages() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let council = crate::support::SEED
        .replace("\"system\": \"party\"", "\"system\": \"council\"")
        .replace("\"name\": \"Hàng Bạc\"", "\"name\": \"Hàng Đào\"")
        .replace("\"target\": \"Hàng Bạc\"", "\"target\": \"Hàng Đào\"");
    app.insert_json(&council).await;
    let admin = app.user(Role::Admin, None, None).await;
    let party = admin.get("/missions?system=party").await.text().await.expect("body");
    assert!(party.contains(&format!("href=\"/missions/{id}\"")));
    assert_eq!(party.matches("<tr>").count(), 2, "header and one mission");
    let by_target = admin.get("/missions?target=hang%20dao").await.text().await.expect("body");
    assert_eq!(by_target.matches("<tr>").count(), 2, "diacritic-insensitive target filter");
    let year = admin.get("/missions?year=2021&state=in_progress").await.text().await.expect("body");
    assert_eq!(year.matches("<tr>").count(), 3);
    let none = admin.get("/missions?year=2019").await.text().await.expect("body");
    assert!(none.contains("Chưa có cuộc giám sát nào"));
    app.cleanup().await;
}

#[tokio::test]
async fn search_finds_folded_abbreviated_and_exact_text_highlighted_and_only_what_the_user_may_see() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let staff = app.user(Role::Staff, Some(app.owner_of(id).await), None).await;
    let folded = staff.get("/search?q=hang%20bac").await.text().await.expect("body");
    assert!(folded.contains("<mark>Hàng</mark> <mark>Bạc</mark>"), "highlighted in the original spelling");
    assert!(folded.contains(&format!("href=\"/missions/{id}#targets\"")));
    let abbreviated =
        staff.get("/search?q=h%E1%BB%99i%20%C4%91%E1%BB%93ng%20nh%C3%A2n%20d%C3%A2n").await.text().await.expect("body");
    assert!(abbreviated.contains("<mark>HĐND</mark>"), "Hội đồng nhân dân finds HĐND");
    let nothing = staff.get("/search?q=zzzkhongco").await.text().await.expect("body");
    assert!(nothing.contains("Không tìm thấy kết quả"));
    let elsewhere = app.insert_json(&crate::support::SEED.replace("Quận ủy Hoàn Kiếm", "Quận ủy Ba Đình")).await;
    let outsider = app.user(Role::Staff, Some(app.owner_of(elsewhere).await), None).await;
    let theirs = outsider.get("/search?q=hang%20bac").await.text().await.expect("body");
    assert!(!theirs.contains(&format!("/missions/{id}#")), "another organisation's mission is not found");
    assert!(theirs.contains(&format!("/missions/{elsewhere}#")));
    app.cleanup().await;
}

/// Issue 14: "QU" is the abbreviation of 109-QĐ/QU, highlighted only there and ranked first; words from
/// different fields find the row that holds them together, named by its mission and year; minutes are found
/// and link to the mission's sessions.
#[tokio::test]
async fn search_reads_capitals_as_abbreviations_joins_fields_and_finds_session_minutes() {
    let app = spawn_app().await;
    let minutes = "Biên bản làm việc: phường đã rà soát danh sách cử tri tạm trú.";
    let id = app
        .insert_json(&crate::support::SEED.replacen(
            "\"photos\"",
            &format!("\"minutes\": \"{minutes}\", \"photos\""),
            1,
        ))
        .await;
    let staff = app.user(Role::Staff, Some(app.owner_of(id).await), None).await;

    let qu = staff.get("/search?q=QU").await.text().await.expect("body");
    let first = qu.split("<li>").nth(1).expect("a result");
    assert!(first.contains("109-QĐ/<mark>QU</mark>"), "the whole word, first: {first}");
    assert!(!qu.contains("<mark>Qu</mark>"), "not the qu of «Quận»");

    let across = staff.get("/search?q=109%20t%E1%BA%A1m%20tr%C3%BA").await.text().await.expect("body");
    assert!(across.contains("Biên bản buổi làm việc"), "{across}");
    assert!(across.contains(&format!("href=\"/missions/{id}#sessions\"")));
    assert!(across.contains("Đoàn Giám sát số 5 — 109-QĐ/QU, 2021"), "named by its mission and year");
    assert!(across.contains("<mark>tạm</mark> <mark>trú</mark>"));
    app.cleanup().await;
}

#[tokio::test]
async fn an_oversized_body_gets_413_and_the_error_page() {
    let app = spawn_app().await;
    let admin = app.user(Role::Admin, None, None).await;
    let huge = vec![b'a'; giamsat_web::csrf::MAX_BODY + 1];
    let response = admin
        .client
        .post(admin.url("/import"))
        .header("x-csrf-token", admin.csrf.as_str())
        .header("content-type", "application/x-www-form-urlencoded")
        .body(huge)
        .send()
        .await
        .expect("reaches");
    assert_eq!(response.status(), 413);
    assert!(response.text().await.expect("body").contains("Dữ liệu gửi lên quá lớn"));
    app.cleanup().await;
}

#[tokio::test]
async fn the_directory_shows_units_with_their_history_and_only_visible_people() {
    let app = spawn_app().await;
    giamsat_store::synthetic::load_demo_units(&app.test_db.db).await.expect("reference data");
    let id = app.insert_seed().await;
    let staff = app.user(Role::Staff, Some(app.owner_of(id).await), None).await;
    let page = staff.get("/directory").await.text().await.expect("body");
    assert!(page.contains("nhập vào phường Hoàn Kiếm từ 01/7/2025"), "lineage shown");
    assert!(page.contains("một phần nhập vào phường Cửa Nam"), "a split ward");
    assert!(page.contains("Nguyễn Thị Phương Chung"));
    assert!(page.contains("Quận ủy Hoàn Kiếm"), "organisations");
    let elsewhere = app
        .insert_json(
            &crate::support::SEED
                .replace("Quận ủy Hoàn Kiếm", "Quận ủy Ba Đình")
                .replace("Nguyễn Thị Phương Chung", "Lê Thị Bí Mật"),
        )
        .await;
    let outsider = app.user(Role::Staff, Some(app.owner_of(elsewhere).await), None).await;
    assert!(!outsider.get("/directory").await.text().await.expect("body").contains("Nguyễn Thị Phương Chung"));
    assert!(!staff.get("/directory").await.text().await.expect("body").contains("Lê Thị Bí Mật"));
    app.cleanup().await;
}

#[tokio::test]
async fn the_missions_list_sorts_oldest_first_across_keyset_pages() {
    let app = spawn_app().await;
    let mut ids = Vec::new();
    for _ in 0..3 {
        ids.push(app.insert_seed().await);
    }
    let admin = app.user(Role::Admin, None, None).await;
    let page = admin.get("/missions?sort=oldest").await.text().await.expect("body");
    let positions: Vec<usize> =
        ids.iter().map(|id| page.find(&format!("href=\"/missions/{id}\"")).expect("listed")).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "oldest first");
    let after_first = admin.get(&format!("/missions?sort=oldest&before={}", ids[0])).await.text().await.expect("body");
    assert!(!after_first.contains(&format!("href=\"/missions/{}\"", ids[0])));
    assert!(after_first.contains(&format!("href=\"/missions/{}\"", ids[2])));
    assert!(page.contains("role=\"search\""), "a search box on the list");
    app.cleanup().await;
}

/// The seed with its sessions at Hàng Bạc replaced by `sessions` (date, modality).
fn seed_with_sessions(sessions: &[(Option<&str>, &str)]) -> String {
    let mut seed: serde_json::Value = serde_json::from_str(crate::support::SEED).expect("seed parses");
    seed["sessions"] = sessions
        .iter()
        .map(|(date, modality)| serde_json::json!({ "target": "Hàng Bạc", "date": date, "modality": modality }))
        .collect();
    seed.to_string()
}

#[tokio::test]
async fn the_mission_page_lists_sessions_by_date_undated_last_and_equals_in_recorded_order() {
    let app = spawn_app().await;
    let id = app
        .insert_json(&seed_with_sessions(&[
            (None, "direct"),
            (Some("2021-03-25"), "reports"),
            (Some("2021-03-24"), "direct"),
            (Some("2021-03-25"), "direct"),
            (Some("2021-03-26"), "direct"),
        ]))
        .await;
    let staff = app.user(Role::Staff, Some(app.owner_of(id).await), None).await;
    let page = staff.get(&format!("/missions/{id}")).await.text().await.expect("body");
    let at = |text: &str| page.find(text).unwrap_or_else(|| panic!("{text} shown"));
    let order = [
        at("24/3/2021 · Trực tiếp"),
        at("25/3/2021 · Qua báo cáo"),
        at("25/3/2021 · Trực tiếp"),
        at("26/3/2021 · Trực tiếp"),
        at("chưa rõ ngày · Trực tiếp"),
    ];
    assert!(order.is_sorted(), "by date, equals in recorded order, undated last: {order:?}");
    app.cleanup().await;
}

#[tokio::test]
async fn a_session_dated_outside_the_fieldwork_is_saved_and_flagged_beside_it_on_the_mission_page() {
    let app = spawn_app().await;
    let id = app
        .insert_json(&seed_with_sessions(&[
            (Some("2021-03-30"), "direct"),
            (Some("2021-03-24"), "reports"),
            (None, "reports"),
        ]))
        .await;
    let staff = app.user(Role::Staff, Some(app.owner_of(id).await), None).await;
    let page = staff.get(&format!("/missions/{id}")).await.text().await.expect("body");
    assert_eq!(page.matches("class=\"refusal session-warning\"").count(), 1, "only the session of 30/3 is flagged");
    let line = page.split("30/3/2021 · Trực tiếp").nth(1).and_then(|s| s.split("</li>").next()).expect("its line");
    assert!(line.contains("nằm ngoài thời gian giám sát"), "{line}");
    app.cleanup().await;
}

#[tokio::test]
async fn cancelling_a_mission_needs_a_confirmation_and_a_reason_which_is_recorded_and_shown() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let staff = app.user(Role::Staff, Some(app.owner_of(id).await), None).await;
    let page = staff.get(&format!("/missions/{id}")).await.text().await.expect("body");
    // The blocked forward step lists what is missing; cancelling is a danger control apart, never the main button.
    assert!(page.contains("<li>phường Đồng Xuân chưa có buổi làm việc</li>"), "missing items listed one by one");
    assert!(page.contains("<button type=\"submit\" class=\"danger\">Hủy cuộc giám sát</button>"));
    assert!(
        !page.contains("<input type=\"hidden\" name=\"to\" value=\"cancelled\">\n        <button type=\"submit\">")
    );
    let version = giamsat_store::missions::load(&app.test_db.db, id).await.expect("loads").version.to_string();
    let cancel = |reason: &'static str, confirm: &'static str| {
        let version = version.clone();
        let staff = &staff;
        async move {
            staff
                .post(
                    &format!("/missions/{id}/transition"),
                    &[("to", "cancelled"), ("version", version.as_str()), ("reason", reason), ("confirm", confirm)],
                )
                .await
        }
    };

    let no_reason = cancel("   ", "yes").await;
    assert_eq!(no_reason.status(), 422);
    let body = no_reason.text().await.expect("body");
    assert!(body.contains("id=\"reason-error\""), "error next to the reason");
    assert!(body.contains("Vui lòng ghi lý do hủy cuộc giám sát."));
    assert!(body.contains("value=\"yes\" required checked>"), "the ticked confirmation is kept");

    let unconfirmed = cancel("Đơn vị sáp nhập, giám sát lại sau", "").await;
    assert_eq!(unconfirmed.status(), 422);
    let body = unconfirmed.text().await.expect("body");
    assert!(body.contains("id=\"confirm-error\""), "error next to the confirmation");
    assert!(body.contains(">Đơn vị sáp nhập, giám sát lại sau</textarea>"), "the reason typed is kept");
    assert!(body.contains("value=\"yes\" required>"), "an unticked box stays unticked");
    let unchanged = giamsat_store::missions::load(&app.test_db.db, id).await.expect("loads");
    assert_eq!(unchanged.mission.state, giamsat_domain::workflow::MissionState::InProgress, "nothing cancelled");

    assert_eq!(cancel("Đơn vị sáp nhập, giám sát lại sau", "yes").await.status(), 303);
    let cancelled = giamsat_store::missions::load(&app.test_db.db, id).await.expect("loads");
    assert_eq!(cancelled.mission.state, giamsat_domain::workflow::MissionState::Cancelled);
    assert_eq!(
        giamsat_store::missions::cancel_reason(&app.test_db.db, id).await.expect("reads").as_deref(),
        Some("Đơn vị sáp nhập, giám sát lại sau"),
        "the reason is in the audit trail"
    );
    let page = staff.get(&format!("/missions/{id}")).await.text().await.expect("body");
    assert!(page.contains("Đã hủy: Đơn vị sáp nhập, giám sát lại sau"));
    app.cleanup().await;
}
