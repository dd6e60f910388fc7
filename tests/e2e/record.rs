//! "Ghi tại đơn vị" (issue 14): recording at one session's unit from a phone — several photos with captions in
//! one save, findings and recommendations tied to the unit, each save back on the same page with "Đã lưu".

use giamsat_domain::mission::Origin;
use giamsat_domain::policy::{Capacity, Role};
use giamsat_store::missions;

use crate::support::{TestApp, TestUser, png, spawn_app};

async fn team(app: &TestApp, id: i64) -> (TestUser, TestUser) {
    let org = app.owner_of(id).await;
    let leader = app.user(Role::TeamLeader, Some(org), Some((id, Capacity::Leader))).await;
    let member = app.user(Role::TeamMember, Some(org), Some((id, Capacity::Member))).await;
    (leader, member)
}

/// The value of hidden field `name` on the recording page.
fn hidden(page: &str, name: &str) -> String {
    page.split(&format!("name=\"{name}\" value=\""))
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or_default()
        .to_owned()
}

async fn photos(user: &TestUser, id: i64, index: usize, rows: Vec<(Vec<u8>, &str)>) -> reqwest::Response {
    let page = user.get(&format!("/missions/{id}/record/{index}")).await.text().await.expect("page");
    let mut form = reqwest::multipart::Form::new()
        .text("_csrf", user.csrf.clone())
        .text("anchor", hidden(&page, "anchor"))
        .text("targets_seen", hidden(&page, "targets_seen"));
    for (i, (bytes, caption)) in rows.into_iter().enumerate() {
        form = form
            .part(format!("photo_{i}"), reqwest::multipart::Part::bytes(bytes).file_name(format!("IMG_{i}.PNG")))
            .text(format!("caption_{i}"), caption.to_owned());
    }
    user.client
        .post(user.url(&format!("/missions/{id}/record/{index}/photos")))
        .multipart(form)
        .send()
        .await
        .expect("reaches the app")
}

async fn landing(user: &TestUser, response: reqwest::Response, index: usize) -> String {
    assert_eq!(
        response.status(),
        303,
        "{}",
        response.text().await.unwrap_or_default().chars().take(500).collect::<String>()
    );
    let location = response.headers().get("location").and_then(|v| v.to_str().ok()).expect("location").to_owned();
    assert!(location.contains(&format!("/record/{index}?done=saved")), "back on the same page: {location}");
    let page = user.get(&location).await.text().await.expect("page");
    assert!(page.contains("Đã lưu."), "the save is confirmed");
    page
}

#[tokio::test]
async fn the_mission_page_leads_to_the_sessions_by_date_and_each_sessions_recording_page() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let (leader, _) = team(&app, id).await;
    let mission = leader.get(&format!("/missions/{id}")).await.text().await.expect("page");
    assert!(mission.contains(&format!("href=\"/missions/{id}/record/0\">Ghi tại đơn vị</a>")));
    assert!(mission.contains(&format!("href=\"/missions/{id}/record\">Ghi tại đơn vị</a>")));
    let pick = leader.get(&format!("/missions/{id}/record")).await.text().await.expect("pick");
    let (hang_bac, trang_tien) =
        (pick.find("phường Hàng Bạc").expect("first"), pick.find("phường Tràng Tiền").expect("second"));
    assert!(hang_bac < trang_tien, "in date order, then as recorded");
    let page = leader.get(&format!("/missions/{id}/record/1")).await.text().await.expect("page");
    assert!(page.contains("<h1>Ghi tại phường Tràng Tiền</h1>"));
    app.cleanup().await;
}

#[tokio::test]
async fn three_photos_with_their_captions_are_saved_in_one_save() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let (leader, _) = team(&app, id).await;
    let before = missions::load(&app.test_db.db, id).await.expect("loads").mission.sessions[0].photos.len();
    let response = photos(
        &leader,
        id,
        0,
        vec![(png(), "Toàn cảnh buổi làm việc"), (png(), "Đồng chí Bí thư phát biểu"), (png(), "Kiểm tra hồ sơ")],
    )
    .await;
    let page = landing(&leader, response, 0).await;
    let session = missions::load(&app.test_db.db, id).await.expect("loads").mission.sessions[0].clone();
    let captions: Vec<&str> = session.photos.iter().skip(before).map(|p| p.caption.as_str()).collect();
    assert_eq!(captions, ["Toàn cảnh buổi làm việc", "Đồng chí Bí thư phát biểu", "Kiểm tra hồ sơ"]);
    assert!(session.photos.iter().skip(before).all(|p| p.file.is_some()), "each with its file");
    assert!(page.contains("Đồng chí Bí thư phát biểu"), "listed among what was recorded");
    app.cleanup().await;
}

#[tokio::test]
async fn a_finding_and_a_recommendation_from_the_page_are_tied_to_the_sessions_unit() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let (_, member) = team(&app, id).await;
    let target = missions::load(&app.test_db.db, id).await.expect("loads").mission.sessions[1].target;
    let page = member.get(&format!("/missions/{id}/record/1")).await.text().await.expect("page");
    let (anchor, seen) = (hidden(&page, "anchor"), hidden(&page, "targets_seen"));
    let finding = member
        .post(
            &format!("/missions/{id}/record/1/findings"),
            &[
                ("anchor", &anchor),
                ("targets_seen", &seen),
                ("kind", "shortcoming"),
                ("finding_text", "sổ sách chưa đầy đủ"),
            ],
        )
        .await;
    let page = landing(&member, finding, 1).await;
    assert!(page.contains("sổ sách chưa đầy đủ"));
    let rec = member
        .post(
            &format!("/missions/{id}/record/1/recommendations"),
            &[
                ("anchor", &anchor),
                ("targets_seen", &seen),
                ("direction", "upward"),
                ("addressees", "Quận ủy"),
                ("rec_text", "bổ sung kinh phí in tài liệu"),
            ],
        )
        .await;
    let page = landing(&member, rec, 1).await;
    assert!(page.contains("bổ sung kinh phí in tài liệu"));
    let mission = missions::load(&app.test_db.db, id).await.expect("loads").mission;
    let f = mission.findings.last().expect("a finding");
    assert_eq!((f.text.as_str(), f.targets.clone()), ("sổ sách chưa đầy đủ", vec![target]));
    let r = mission.recommendations.last().expect("a recommendation");
    assert_eq!(r.origin, Origin::Upward { raised_by: vec![target] });
    assert_eq!(r.addressees, ["Quận ủy"]);
    app.cleanup().await;
}

#[tokio::test]
async fn bad_input_on_the_recording_page_is_refused_beside_its_field_with_the_input_kept() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let (leader, _) = team(&app, id).await;
    let before = missions::load(&app.test_db.db, id).await.expect("loads");

    let not_a_picture =
        photos(&leader, id, 0, vec![(b"<html>not a picture</html>".to_vec(), "chú thích giữ lại")]).await;
    assert_eq!(not_a_picture.status(), 422);
    let body = not_a_picture.text().await.expect("body");
    assert!(body.contains("id=\"photo_0-error\" class=\"field-error\">Tệp ảnh phải là JPEG, PNG hoặc WebP."), "{body}");
    assert!(body.contains("value=\"chú thích giữ lại\""), "the caption is kept");

    let empty = leader
        .post(&format!("/missions/{id}/record/0/findings"), &[("kind", "strength"), ("finding_text", "  ")])
        .await;
    assert_eq!(empty.status(), 422);
    assert!(empty.text().await.expect("body").contains("id=\"finding_text-error\""));

    let no_addressee = leader
        .post(
            &format!("/missions/{id}/record/0/recommendations"),
            &[("direction", "downward"), ("addressees", ""), ("rec_text", "nội dung giữ lại")],
        )
        .await;
    assert_eq!(no_addressee.status(), 422);
    let body = no_addressee.text().await.expect("body");
    assert!(body.contains("id=\"addressees-error\" class=\"field-error\">Cần ít nhất một nơi nhận"));
    assert!(body.contains(">nội dung giữ lại</textarea>"), "the text is kept");
    assert_eq!(missions::load(&app.test_db.db, id).await.expect("loads").version, before.version, "nothing saved");
    app.cleanup().await;
}

#[tokio::test]
async fn an_account_that_may_not_record_fieldwork_is_refused() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let org = app.owner_of(id).await;
    let viewer = app.user(Role::Viewer, Some(org), None).await;
    let outsider = app.user(Role::TeamMember, Some(org), None).await;
    for user in [&viewer, &outsider] {
        for path in [format!("/missions/{id}/record"), format!("/missions/{id}/record/0")] {
            let status = user.get(&path).await.status();
            assert!(matches!(status.as_u16(), 403 | 404), "{path}: {status}");
        }
        let status = user
            .post(
                &format!("/missions/{id}/record/0/findings"),
                &[("kind", "strength"), ("finding_text", "không được ghi")],
            )
            .await
            .status();
        assert!(matches!(status.as_u16(), 403 | 404), "{status}");
    }
    assert_eq!(viewer.get(&format!("/missions/{id}/record/0")).await.status(), 403, "seen, not recorded");
    let mission = missions::load(&app.test_db.db, id).await.expect("loads").mission;
    assert!(mission.findings.iter().all(|f| f.text != "không được ghi"));
    app.cleanup().await;
}

#[tokio::test]
async fn two_members_adding_photos_to_one_session_and_recording_at_two_units_at_once_all_succeed() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let (leader, member) = team(&app, id).await;
    let before = missions::load(&app.test_db.db, id).await.expect("loads").mission;
    for round in 0..3 {
        let (a, b) = tokio::join!(
            photos(&leader, id, 0, vec![(png(), "ảnh của trưởng đoàn")]),
            photos(&member, id, 0, vec![(png(), "ảnh của thành viên"), (png(), "ảnh thứ hai của thành viên")]),
        );
        assert_eq!((a.status().as_u16(), b.status().as_u16()), (303, 303), "round {round}: same session");
        let (a, b) = tokio::join!(
            photos(&leader, id, 0, vec![(png(), "tại Hàng Bạc")]),
            photos(&member, id, 1, vec![(png(), "tại Tràng Tiền")]),
        );
        assert_eq!((a.status().as_u16(), b.status().as_u16()), (303, 303), "round {round}: two units");
    }
    let after = missions::load(&app.test_db.db, id).await.expect("loads").mission;
    assert_eq!(after.sessions[0].photos.len(), before.sessions[0].photos.len() + 3 * 4);
    assert_eq!(after.sessions[1].photos.len(), before.sessions[1].photos.len() + 3);
    app.cleanup().await;
}
