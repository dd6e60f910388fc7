//! Logging a whole mission in the browser's forms, as committee staff and team leaders do.

use giamsat_domain::policy::{Capacity, Role};
use giamsat_domain::workflow::MissionState;
use giamsat_store::missions;

use crate::support::{SEED, TestUser, spawn_app};

async fn version(app: &crate::support::TestApp, id: i64) -> String {
    missions::load(&app.test_db.db, id).await.expect("loads").version.to_string()
}

fn location(response: &reqwest::Response) -> String {
    response.headers().get("location").map(|v| v.to_str().expect("ascii").to_owned()).unwrap_or_default()
}

async fn post_ok(user: &TestUser, path: &str, fields: &[(&str, &str)]) {
    let response = user.post(path, fields).await;
    let status = response.status();
    let body = response.text().await.unwrap_or_default();
    assert_eq!(status, 303, "POST {path}: {}", body.chars().take(600).collect::<String>());
}

#[tokio::test]
async fn staff_log_a_mission_from_decision_to_concluded_through_the_forms() {
    let app = spawn_app().await;
    let seed_id = app.insert_seed().await;
    let org = app.owner_of(seed_id).await;
    let staff = app.user(Role::Staff, Some(org), None).await;

    // Create: a new team under a new decision.
    let created = staff
        .post(
            "/missions",
            &[
                ("system", "council"),
                ("form", "thematic"),
                ("decision_number", "45/QĐ-HĐND"),
                ("decision_date", "2023-09-07"),
                ("decision_issuer", "Thường trực HĐND quận"),
                ("decision_summary", "thành lập Đoàn giám sát việc giải quyết kiến nghị cử tri"),
                ("supervising_body", "Thường trực HĐND quận"),
                ("team_name", "Đoàn giám sát số 2"),
                ("team_ordinal", "2"),
                ("subject", "việc giải quyết kiến nghị cử tri"),
                ("fieldwork_from", "2023-10-02"),
                ("fieldwork_to", "2023-10-06"),
            ],
        )
        .await;
    assert_eq!(created.status(), 303);
    let id: i64 = location(&created)
        .split('?')
        .next()
        .and_then(|p| p.rsplit('/').next())
        .expect("id")
        .parse()
        .expect("numeric id");
    let stored = missions::load(&app.test_db.db, id).await.expect("stored");
    assert_eq!(stored.mission.state, MissionState::Decided, "a decision with number and date");

    // Team, in protocol order, with an unnamed group; moved and saved.
    let v = version(&app, id).await;
    post_ok(
        &staff,
        &format!("/missions/{id}/members"),
        &[
            ("version", v.as_str()),
            ("role", "deputy_leader"),
            ("name", "Lê Văn Bình"),
            ("position", "Phó Trưởng ban Pháp chế HĐND quận"),
            ("description", ""),
            ("role", "leader"),
            ("name", "Trần Thị Hà"),
            ("position", "Phó Chủ tịch HĐND quận"),
            ("description", ""),
            ("role", "member"),
            ("name", ""),
            ("position", ""),
            ("description", "đại diện các ban HĐND quận"),
            ("action", "up:1"),
        ],
    )
    .await;
    let members = missions::load(&app.test_db.db, id).await.expect("loads").mission.members.clone();
    assert_eq!(members.len(), 3);
    assert_eq!(members[0].role, giamsat_domain::codes::MemberRole::Leader, "moved up");

    // Targets.
    for name in ["Phúc Tân", "Hàng Mã"] {
        let v = version(&app, id).await;
        post_ok(
            &staff,
            &format!("/missions/{id}/items/targets"),
            &[("version", v.as_str()), ("kind", "ward"), ("name", name)],
        )
        .await;
    }

    // The leader cannot record before the units are notified; staff notify them.
    let leader = app.user(Role::TeamLeader, Some(org), Some((id, Capacity::Leader))).await;
    let v = version(&app, id).await;
    let early = leader
        .post(
            &format!("/missions/{id}/items/findings"),
            &[("version", v.as_str()), ("kind", "strength"), ("text", "sớm")],
        )
        .await;
    assert_eq!(early.status(), 403);
    post_ok(&staff, &format!("/missions/{id}/transition"), &[("to", "notified"), ("version", v.as_str())]).await;

    // The leader records sessions (one with a photo), starts the fieldwork, records findings and a
    // recommendation.
    for (target, date) in [("0", "2023-10-02"), ("1", "2023-10-04")] {
        let v = version(&app, id).await;
        let form = reqwest::multipart::Form::new()
            .text("_csrf", leader.csrf.clone())
            .text("version", v)
            .text("target", target)
            .text("date", date)
            .text("modality", "direct")
            .text("minutes", "Làm việc với UBND phường")
            .text("new_caption", "Đoàn làm việc tại phường")
            .part("photo", reqwest::multipart::Part::bytes(crate::support::jpeg()).file_name("IMG_0001.JPG"));
        let response = leader
            .client
            .post(leader.url(&format!("/missions/{id}/items/sessions")))
            .multipart(form)
            .send()
            .await
            .expect("reaches");
        let status = response.status();
        let body = response.text().await.unwrap_or_default();
        assert_eq!(
            status,
            303,
            "{}",
            body.split("<main").nth(1).unwrap_or_default().chars().take(1500).collect::<String>()
        );
    }
    let v = version(&app, id).await;
    post_ok(&leader, &format!("/missions/{id}/transition"), &[("to", "in_progress"), ("version", v.as_str())]).await;
    let v = version(&app, id).await;
    post_ok(
        &leader,
        &format!("/missions/{id}/items/findings"),
        &[
            ("version", v.as_str()),
            ("kind", "strength"),
            ("text", "UBND các phường đã trả lời đầy đủ kiến nghị cử tri"),
        ],
    )
    .await;
    let v = version(&app, id).await;
    post_ok(
        &leader,
        &format!("/missions/{id}/items/findings"),
        &[
            ("version", v.as_str()),
            ("kind", "shortcoming"),
            ("targets", "1"),
            ("text", "một số kiến nghị trả lời chậm"),
        ],
    )
    .await;
    let v = version(&app, id).await;
    post_ok(&leader, &format!("/missions/{id}/findings/none"), &[("version", v.as_str()), ("none", "cause")]).await;
    let v = version(&app, id).await;
    post_ok(
        &leader,
        &format!("/missions/{id}/items/recommendations"),
        &[
            ("version", v.as_str()),
            ("direction", "downward"),
            ("issuer", "Thường trực HĐND quận"),
            ("addressees", "UBND phường Hàng Mã\nUBND quận"),
            ("text", "trả lời kiến nghị cử tri đúng hạn"),
            ("due_on", "2023-12-31"),
        ],
    )
    .await;

    // The page shows it all, including the photo, which is served only to those who may see the mission.
    let page = leader.get(&format!("/missions/{id}")).await.text().await.expect("body");
    assert!(
        page.contains("Trần Thị Hà")
            && page.contains("phường Phúc Tân")
            && page.contains("Một số kiến nghị trả lời chậm (Hàng Mã)")
    );
    let photo = page.split("src=\"").nth(1).and_then(|s| s.split('"').next()).expect("an img").to_owned();
    let image = leader.get(&photo).await;
    assert_eq!(image.status(), 200);
    assert_eq!(image.headers()["content-type"], "image/jpeg");
    assert_eq!(app.get(&photo).await.status(), 303, "anonymous visitors get the login page");

    // The leader ends the fieldwork; concluding is the committee's act.
    let v = version(&app, id).await;
    post_ok(&leader, &format!("/missions/{id}/transition"), &[("to", "drafting"), ("version", v.as_str())]).await;
    let v = version(&app, id).await;
    let conclude =
        leader.post(&format!("/missions/{id}/transition"), &[("to", "concluded"), ("version", v.as_str())]).await;
    assert_eq!(conclude.status(), 403);
    for to in ["concluded"] {
        let state = missions::load(&app.test_db.db, id).await.expect("loads").mission.state;
        if state.code() == to {
            continue;
        }
        let v = version(&app, id).await;
        post_ok(&staff, &format!("/missions/{id}/transition"), &[("to", to), ("version", v.as_str())]).await;
    }
    assert_eq!(missions::load(&app.test_db.db, id).await.expect("loads").mission.state, MissionState::Concluded);
    let export = staff.get(&format!("/missions/{id}/export")).await.text().await.expect("body");
    assert!(export.contains("\"due_on\": \"2023-12-31\""));
    app.cleanup().await;
}

#[tokio::test]
async fn invalid_input_is_shown_next_to_the_field_with_the_input_kept_and_nothing_saved() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let staff = app.user(Role::Staff, Some(app.owner_of(id).await), None).await;
    let before = version(&app, id).await;
    let response = staff
        .post(
            &format!("/missions/{id}/edit"),
            &[
                ("version", before.as_str()),
                ("system", "party"),
                ("form", "thematic"),
                ("decision_number", "QĐ một trăm"),
                ("supervising_body", "Ban Thường vụ Quận ủy"),
                ("subject", "công tác bầu cử"),
                ("fieldwork_from", "2021-03-26"),
                ("fieldwork_to", "2021-03-23"),
                ("team_ordinal", "năm"),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    let body = response.text().await.expect("body");
    assert!(body.contains("id=\"decision_number-error\""), "error next to the number");
    assert!(body.contains("id=\"fieldwork_to-error\""), "error next to the end date");
    assert!(body.contains("id=\"team_ordinal-error\""));
    assert!(body.contains("value=\"QĐ một trăm\""), "input kept");
    assert_eq!(version(&app, id).await, before, "nothing saved");

    let empty = staff
        .post(
            &format!("/missions/{id}/items/findings"),
            &[("version", before.as_str()), ("kind", "strength"), ("text", "  ")],
        )
        .await;
    assert_eq!(empty.status(), 422);
    assert!(empty.text().await.expect("body").contains("id=\"text-error\""));
    let bidi = staff
        .post(
            &format!("/missions/{id}/items/targets"),
            &[("version", before.as_str()), ("kind", "ward"), ("name", "\u{202e}Hàng Đào")],
        )
        .await;
    assert_eq!(bidi.status(), 422);
    let duplicate = staff
        .post(
            &format!("/missions/{id}/items/targets"),
            &[("version", before.as_str()), ("kind", "ward"), ("name", "Hàng Bạc")],
        )
        .await;
    assert_eq!(duplicate.status(), 422);
    assert!(duplicate.text().await.expect("body").contains("trùng tên đơn vị"));
    assert_eq!(version(&app, id).await, before, "still nothing saved");
    app.cleanup().await;
}

#[tokio::test]
async fn a_stale_form_gets_the_conflict_page_with_both_versions_and_never_overwrites_silently() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let org = app.owner_of(id).await;
    let first = app.user(Role::Staff, Some(org), None).await;
    let second = app.user(Role::Staff, Some(org), None).await;
    let v = version(&app, id).await;
    post_ok(
        &first,
        &format!("/missions/{id}/items/findings/0"),
        &[("version", v.as_str()), ("kind", "strength"), ("text", "bản của người thứ nhất")],
    )
    .await;
    let stale = second
        .post(
            &format!("/missions/{id}/items/findings/0"),
            &[("version", v.as_str()), ("kind", "strength"), ("text", "bản của người thứ hai")],
        )
        .await;
    assert_eq!(stale.status(), 409);
    let body = stale.text().await.expect("body");
    assert!(body.contains("bản của người thứ nhất"), "the saved version is shown");
    assert!(body.contains("bản của người thứ hai"), "the user's input is kept");
    let saved = missions::load(&app.test_db.db, id).await.expect("loads");
    assert_eq!(saved.mission.findings[0].text, "bản của người thứ nhất");
    app.cleanup().await;
}

#[tokio::test]
async fn a_target_still_in_use_cannot_be_removed() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let staff = app.user(Role::Staff, Some(app.owner_of(id).await), None).await;
    let v = version(&app, id).await;
    let response = staff
        .post(&format!("/missions/{id}/items/targets/1/delete"), &[("version", v.as_str()), ("confirm", "yes")])
        .await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.expect("body").contains("không thể xóa đơn vị «Hàng Bạc»"));
    post_ok(&staff, &format!("/missions/{id}/items/targets/0/delete"), &[("version", v.as_str()), ("confirm", "yes")])
        .await;
    let saved = missions::load(&app.test_db.db, id).await.expect("loads");
    assert_eq!(
        saved.mission.targets.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
        vec!["Hàng Bạc", "Tràng Tiền"]
    );
    assert_eq!(saved.mission.sessions[0].target, 0, "references shift with the list");
    app.cleanup().await;
}

#[tokio::test]
async fn uploads_are_checked_by_content_not_by_name() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let staff = app.user(Role::Staff, Some(app.owner_of(id).await), None).await;
    let v = version(&app, id).await;
    let form = reqwest::multipart::Form::new()
        .text("_csrf", staff.csrf.clone())
        .text("version", v.clone())
        .text("target", "0")
        .part(
            "photo",
            reqwest::multipart::Part::bytes(b"<html><script>alert(1)</script></html>".to_vec()).file_name("anh.jpg"),
        );
    let response = staff
        .client
        .post(staff.url(&format!("/missions/{id}/items/sessions")))
        .multipart(form)
        .send()
        .await
        .expect("reaches");
    assert_eq!(response.status(), 422);
    assert!(response.text().await.expect("body").contains("JPEG, PNG hoặc WebP"));
    assert_eq!(version(&app, id).await, v);
    app.cleanup().await;
}

#[tokio::test]
async fn an_interchange_file_uploaded_in_the_browser_is_checked_like_the_cli() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let staff = app.user(Role::Staff, Some(app.owner_of(id).await), None).await;
    let upload = |bytes: Vec<u8>| {
        let form = reqwest::multipart::Form::new()
            .text("_csrf", staff.csrf.clone())
            .part("file", reqwest::multipart::Part::bytes(bytes).file_name("mission.json"));
        staff.client.post(staff.url("/import")).multipart(form).send()
    };
    let bad = upload(SEED.replace("\"role\": \"leader\"", "\"role\": \"chief\"").into_bytes()).await.expect("reaches");
    assert_eq!(bad.status(), 422);
    let body = bad.text().await.expect("body");
    assert!(body.contains("members[0].role: giá trị không hợp lệ «chief»"), "the CLI's message");
    let foreign = upload(SEED.replace("Quận ủy Hoàn Kiếm", "Quận ủy Ba Đình").into_bytes()).await.expect("reaches");
    assert_eq!(foreign.status(), 422, "staff import only their own organisation's missions");
    let good = upload(SEED.as_bytes().to_vec()).await.expect("reaches");
    assert_eq!(good.status(), 303);
    let new_id: i64 =
        location(&good).split('?').next().and_then(|p| p.rsplit('/').next()).expect("id").parse().expect("numeric");
    let page = staff.get(&format!("/missions/{new_id}")).await.text().await.expect("body");
    assert!(page.contains("Các đoàn khác cùng quyết định"), "one decision, two teams");
    app.cleanup().await;
}

#[tokio::test]
async fn staff_assign_and_unassign_team_accounts_on_the_mission_page() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let org = app.owner_of(id).await;
    let staff = app.user(Role::Staff, Some(org), None).await;
    let leader = app.user(Role::TeamLeader, Some(org), None).await;
    assert_eq!(leader.get(&format!("/missions/{id}")).await.status(), 404, "not assigned yet");
    let page = staff.get(&format!("/missions/{id}")).await.text().await.expect("body");
    assert!(page.contains(&leader.email), "offered for assignment");
    let leader_id = leader.id.to_string();
    post_ok(&staff, &format!("/missions/{id}/assignments"), &[("user_id", leader_id.as_str()), ("capacity", "leader")])
        .await;
    assert_eq!(leader.get(&format!("/missions/{id}")).await.status(), 200);
    post_ok(&staff, &format!("/missions/{id}/assignments/{leader_id}/delete"), &[]).await;
    assert_eq!(leader.get(&format!("/missions/{id}")).await.status(), 404, "denied at once");
    let viewer = app.user(Role::Viewer, Some(org), None).await;
    let viewer_id = viewer.id.to_string();
    let refused = staff
        .post(&format!("/missions/{id}/assignments"), &[("user_id", viewer_id.as_str()), ("capacity", "member")])
        .await;
    assert_eq!(refused.status(), 422);
    let audit = giamsat_store::audit::list(
        &app.test_db.db,
        &giamsat_store::audit::Filter { mission_id: Some(id), actor: None },
        50,
    )
    .await
    .expect("audit");
    assert!(audit.iter().any(|e| e.action == "mission.assign") && audit.iter().any(|e| e.action == "mission.unassign"));
    app.cleanup().await;
}

#[tokio::test]
async fn a_decision_is_edited_once_for_every_team_it_set_up() {
    let app = spawn_app().await;
    let first = app.insert_seed().await;
    let second = app
        .insert_json(
            &SEED.replace("Đoàn Giám sát số 5", "Đoàn Giám sát số 6").replace("\"ordinal\": 5", "\"ordinal\": 6"),
        )
        .await;
    let org = app.owner_of(first).await;
    let staff = app.user(Role::Staff, Some(org), None).await;
    let stored = missions::load(&app.test_db.db, first).await.expect("loads");
    let decision = stored.decision_id.expect("a decision");
    assert_eq!(missions::load(&app.test_db.db, second).await.expect("loads").decision_id, Some(decision), "shared");
    let page = staff.get(&format!("/missions/{first}")).await.text().await.expect("body");
    assert!(page.contains(&format!("/decisions/{decision}/edit")));
    let form = staff.get(&format!("/decisions/{decision}/edit")).await.text().await.expect("body");
    assert!(form.contains("thành lập 2 đoàn"));
    let bad = staff
        .post(
            &format!("/decisions/{decision}/edit"),
            &[("version", "1"), ("number", "109/QĐ/QU/x"), ("issued_on", "2021-03-09")],
        )
        .await;
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.expect("body").contains("id=\"number-error\""));
    post_ok(
        &staff,
        &format!("/decisions/{decision}/edit"),
        &[
            ("version", "1"),
            ("number", "110-QĐ/QU"),
            ("issued_on", "2021-03-10"),
            ("issuer", "Quận ủy"),
            ("summary", "thành lập các đoàn giám sát"),
        ],
    )
    .await;
    for id in [first, second] {
        let mission = missions::load(&app.test_db.db, id).await.expect("loads").mission;
        assert_eq!(
            mission.decision.number.as_ref().map(|n| n.raw().to_owned()).as_deref(),
            Some("110-QĐ/QU"),
            "every team"
        );
    }
    let stale = staff.post(&format!("/decisions/{decision}/edit"), &[("version", "1"), ("number", "111-QĐ/QU")]).await;
    assert_eq!(stale.status(), 409);
    let found = staff.get("/search?q=110-QĐ/QU").await.text().await.expect("body");
    assert!(found.contains(&format!("/missions/{second}")), "re-indexed");
    app.cleanup().await;
}

#[tokio::test]
async fn a_target_is_picked_among_the_units_valid_on_the_mission_date_or_typed() {
    let app = spawn_app().await;
    giamsat_store::synthetic::load_demo_units(&app.test_db.db).await.expect("reference data");
    let id = app.insert_seed().await;
    let staff = app.user(Role::Staff, Some(app.owner_of(id).await), None).await;
    let form = staff.get(&format!("/missions/{id}/items/targets/new")).await.text().await.expect("body");
    assert!(form.contains(">phường Hàng Đào<"), "a 2021 ward is offered for a 2021 mission");
    assert!(!form.contains(">phường Cửa Nam<"), "a 2025 ward is not");
    let value = form
        .split("value=\"unit:")
        .find(|s| s.contains(">phường Hàng Đào<"))
        .and_then(|s| s.split('"').next())
        .expect("the option")
        .to_owned();
    let v = version(&app, id).await;
    post_ok(
        &staff,
        &format!("/missions/{id}/items/targets"),
        &[("version", v.as_str()), ("pick", &format!("unit:{value}")), ("kind", "unknown"), ("name", "")],
    )
    .await;
    let v = version(&app, id).await;
    post_ok(
        &staff,
        &format!("/missions/{id}/items/targets"),
        &[("version", v.as_str()), ("pick", ""), ("kind", "agency"), ("name", "Phòng Nội vụ quận")],
    )
    .await;
    let targets = missions::load(&app.test_db.db, id).await.expect("loads").mission.targets.clone();
    let added: Vec<(&str, &str)> = targets.iter().skip(3).map(|t| (t.kind.code(), t.name.as_str())).collect();
    assert_eq!(added, vec![("ward", "Hàng Đào"), ("agency", "Phòng Nội vụ quận")]);
    app.cleanup().await;
}

/// Issue 15.7: a phone's photo carries its GPS position in EXIF; the store keeps the picture only (turned as the
/// EXIF said), so neither the team's page nor the portal ever serves the metadata.
#[tokio::test]
async fn a_photos_metadata_is_dropped_when_it_is_stored_and_the_picture_kept_upright() {
    use image::GenericImageView;

    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let staff = app.user(Role::Staff, Some(app.owner_of(id).await), None).await;
    let original = crate::support::jpeg_with_gps();
    let canary = crate::support::EXIF_CANARY.as_bytes();
    assert!(original.windows(canary.len()).any(|w| w == canary), "control: the upload carries the EXIF block");
    let form = reqwest::multipart::Form::new()
        .text("_csrf", staff.csrf.clone())
        .text("version", version(&app, id).await)
        .text("target", "0")
        .text("date", "2021-03-20")
        .text("modality", "direct")
        .text("new_caption", "Đoàn làm việc tại phường")
        .part("photo", reqwest::multipart::Part::bytes(original).file_name("IMG_0002.JPG"));
    let response = staff
        .client
        .post(staff.url(&format!("/missions/{id}/items/sessions")))
        .multipart(form)
        .send()
        .await
        .expect("reaches");
    assert_eq!(response.status(), 303);
    let stored = missions::load(&app.test_db.db, id).await.expect("loads");
    let key = stored.mission.sessions.iter().flat_map(|s| &s.photos).find_map(|p| p.file.clone()).expect("a photo");
    let served = staff.get(&format!("/missions/{id}/photos/{key}")).await.bytes().await.expect("body");
    let (on_disk, _) = app.state.files.get(&key).await.expect("stored");
    for bytes in [served.as_ref(), on_disk.as_slice()] {
        assert!(!bytes.windows(canary.len()).any(|w| w == canary), "no camera make");
        assert!(!bytes.windows(6).any(|w| w == b"Exif\0\0"), "no EXIF block at all");
        let picture = image::load_from_memory(bytes).expect("a picture");
        assert_eq!(picture.dimensions(), (12, 16), "turned as the EXIF orientation said");
    }
    app.cleanup().await;
}

#[tokio::test]
async fn a_decision_number_typed_without_the_letter_d_stroke_is_shown_and_saved_corrected() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let staff = app.user(Role::Staff, Some(app.owner_of(id).await), None).await;
    let before = version(&app, id).await;
    let mut fields = vec![
        ("version", before.as_str()),
        ("system", "party"),
        ("form", "thematic"),
        ("decision_number", "15-QD/HU"),
        ("supervising_body", "Ban Thường vụ Quận ủy"),
        ("subject", "công tác bầu cử"),
        ("fieldwork_from", "2021-03-26"),
        ("fieldwork_to", "2021-03-23"),
    ];

    // Another field is wrong: the form comes back with the corrected number and a note beside it.
    let refused = staff.post(&format!("/missions/{id}/edit"), &fields).await;
    assert_eq!(refused.status(), 422);
    let body = refused.text().await.expect("body");
    assert!(body.contains("value=\"15-QĐ/HU\""), "the corrected number is shown back");
    assert!(body.contains("id=\"decision_number-note\""), "a note says it was corrected");
    assert!(!body.contains("id=\"decision_number-error\""), "a correction is no error");

    // Saved: the corrected number is what is stored.
    fields[7] = ("fieldwork_to", "2021-03-30");
    post_ok(&staff, &format!("/missions/{id}/edit"), &fields).await;
    let saved = missions::load(&app.test_db.db, id).await.expect("loads");
    assert_eq!(saved.mission.decision.number.as_ref().map(|n| n.raw().to_owned()).as_deref(), Some("15-QĐ/HU"));
    app.cleanup().await;
}

#[tokio::test]
async fn a_member_added_on_the_team_form_starts_as_a_plain_member_never_leader() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let staff = app.user(Role::Staff, Some(app.owner_of(id).await), None).await;
    let body = staff.get(&format!("/missions/{id}/members")).await.text().await.expect("body");
    let new_row = body.split("id=\"role-new\"").nth(1).and_then(|s| s.split("</select>").next()).expect("new row");
    assert!(new_row.contains("<option value=\"member\" selected>"), "{new_row}");
    assert!(!new_row.contains("value=\"leader\" selected"), "{new_row}");
    app.cleanup().await;
}

#[tokio::test]
async fn deleting_a_session_or_an_item_asks_for_confirmation_first() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let staff = app.user(Role::Staff, Some(app.owner_of(id).await), None).await;
    let before = missions::load(&app.test_db.db, id).await.expect("loads");
    let v = before.version.to_string();

    // The item's form offers deletion as a danger step, which posts without confirming.
    let form = staff.get(&format!("/missions/{id}/items/sessions/0")).await.text().await.expect("body");
    let delete_form =
        form.split(&format!("action=\"/missions/{id}/items/sessions/0/delete\"")).nth(1).expect("delete form");
    assert!(!delete_form.split("</form>").next().expect("its end").contains("name=\"confirm\""));

    for (kind, what) in [("sessions", "Xóa buổi làm việc này?"), ("findings", "Xóa nội dung đánh giá này?")]
    {
        let asked = staff.post(&format!("/missions/{id}/items/{kind}/0/delete"), &[("version", v.as_str())]).await;
        assert_eq!(asked.status(), 200, "{kind}: a confirmation page, not a deletion");
        let body = asked.text().await.expect("body");
        assert!(body.contains(what), "{kind}");
        assert!(body.contains("name=\"confirm\" value=\"yes\""), "{kind}: the confirming form");
        assert!(body.contains(&format!("name=\"version\" value=\"{v}\"")), "{kind}: the version of the user's form");
    }
    let unchanged = missions::load(&app.test_db.db, id).await.expect("loads");
    assert_eq!(unchanged.version, before.version, "nothing deleted before confirming");
    assert_eq!(unchanged.mission.sessions.len(), before.mission.sessions.len());

    post_ok(&staff, &format!("/missions/{id}/items/sessions/0/delete"), &[("version", v.as_str()), ("confirm", "yes")])
        .await;
    let after = missions::load(&app.test_db.db, id).await.expect("loads");
    assert_eq!(after.mission.sessions.len(), before.mission.sessions.len() - 1, "deleted once confirmed");

    let missing = staff.post(&format!("/missions/{id}/items/sessions/99/delete"), &[("version", v.as_str())]).await;
    assert_eq!(missing.status(), 404, "no confirmation page for an item that is not there");
    app.cleanup().await;
}

/// The text as askama writes it into a page.
fn html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&#34;").replace('\'', "&#39;")
}

#[tokio::test]
async fn the_audit_log_names_the_account_the_action_and_the_mission_and_lists_the_changed_fields() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let staff = app.named_user(Role::Staff, Some(app.owner_of(id).await), "Trần Thị Kiểm Tra").await;
    let before = missions::load(&app.test_db.db, id).await.expect("loads").mission;
    let v = version(&app, id).await;
    post_ok(
        &staff,
        &format!("/missions/{id}/edit"),
        &[
            ("version", v.as_str()),
            ("system", "party"),
            ("form", "thematic"),
            ("decision_number", "15-QĐ/HU"),
            ("supervising_body", "Ban Thường vụ Quận ủy"),
            ("subject", "công tác phòng, chống thiên tai"),
            ("fieldwork_from", "2021-03-26"),
            ("fieldwork_to", "2021-03-30"),
        ],
    )
    .await;
    let after = missions::load(&app.test_db.db, id).await.expect("loads").mission;
    let name = giamsat_domain::naming::name_of(&after);

    let admin = app.user(Role::Admin, None, None).await;
    let page = admin.get(&format!("/admin/audit?mission={id}")).await.text().await.expect("body");
    let table = page.split("<table").nth(1).and_then(|t| t.split("</table>").next()).expect("the table");
    let row = table.split("<tr>").find(|r| r.contains("mission.edit")).expect("the edit's row");
    assert!(row.contains("Trần Thị Kiểm Tra"), "the account's name: {row}");
    assert!(row.contains(&html(&staff.email)), "and its e-mail: {row}");
    assert!(row.contains("Sửa thông tin chung của cuộc giám sát"), "the action in Vietnamese: {row}");
    assert!(row.contains(&format!("<a href=\"/missions/{id}\">{}</a>", html(&name))), "the mission's name: {row}");
    let old_start: String = before.subject.chars().take(40).collect();
    let subject_line = row.split("<li>").find(|l| l.contains(">subject</span>")).expect("a line for the subject");
    assert!(subject_line.contains(&html(&old_start)), "the old value: {subject_line}");
    assert!(subject_line.contains(" → công tác phòng, chống thiên tai</li>"), "then the new one: {subject_line}");
    assert!(!table.contains('{') && !table.contains('}'), "no JSON in the table: {table}");
    assert!(!row.contains(">supervising_body<"), "unchanged fields are left out: {row}");
    assert!(row.contains(">team.name</span>: bỏ: Đoàn Giám sát số 5</li>"), "a field emptied: {row}");

    // The actor filter takes the e-mail or a fragment of the name (without diacritics too).
    for actor in [staff.email.clone(), "kiem tra".to_owned(), format!("user:{}", staff.id)] {
        let filtered =
            admin.get(&format!("/admin/audit?actor={}", urlencode(&actor))).await.text().await.expect("body");
        assert!(filtered.contains("Sửa thông tin chung của cuộc giám sát"), "{actor}");
    }
    let system = admin.get("/admin/audit?actor=H%E1%BB%87%20th%E1%BB%91ng").await.text().await.expect("body");
    assert!(system.contains("Tạo cuộc giám sát") && !system.contains("Trần Thị Kiểm Tra"), "the system's words");
    let nobody = admin.get("/admin/audit?actor=kh%C3%B4ng%20ai").await.text().await.expect("body");
    assert!(!nobody.contains("Trần Thị Kiểm Tra"));

    let csv = admin.get(&format!("/admin/audit.csv?mission={id}")).await.text().await.expect("body");
    let header = csv.lines().next().expect("a header");
    assert!(header.ends_with("before,after,actor_name,action_label"), "{header}");
    assert!(csv.contains("\"Trần Thị Kiểm Tra\",\"Sửa thông tin chung của cuộc giám sát\""));
    assert!(csv.contains("\"Hệ thống\",\"Tạo cuộc giám sát\""), "the seed's import by the system");
    app.cleanup().await;
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }
        })
        .collect()
}

#[tokio::test]
async fn the_team_form_offers_the_people_directory_and_fills_a_blank_position_from_it() {
    use giamsat_domain::mission::{Edit, Who};
    let app = spawn_app().await;
    let earlier = app.insert_seed().await;
    let id = app.insert_seed().await;
    let staff = app.user(Role::Staff, Some(app.owner_of(id).await), None).await;
    // The second mission's team without Nguyễn Quốc Hoàn, whom the first mission's list names.
    let stored = missions::load(&app.test_db.db, id).await.expect("loads");
    let person = |m: &giamsat_domain::mission::Member| match &m.who {
        Who::Person { name, position } => Some((name.clone(), position.clone().unwrap_or_default())),
        Who::Group { .. } => None,
    };
    let (name, position) = stored.mission.members.iter().filter_map(person).nth(1).expect("a second person");
    assert_eq!(name, "Nguyễn Quốc Hoàn");
    let others: Vec<_> =
        stored.mission.members.iter().filter(|m| person(m).is_none_or(|(n, _)| n != name)).cloned().collect();
    giamsat_store::edits::edit(
        &app.test_db.db,
        id,
        stored.version,
        Edit::Members(others.clone()),
        &giamsat_store::audit::Actor::system(chrono::Utc::now()),
    )
    .await
    .expect("removed");
    assert!(missions::load(&app.test_db.db, earlier).await.expect("loads").mission.members.len() > others.len());

    let form = staff.get(&format!("/missions/{id}/members")).await.text().await.expect("body");
    assert!(form.contains("id=\"name-new\" name=\"name\" list=\"people\""), "the name field offers the directory");
    assert!(
        form.contains(&format!("<option value=\"{}\" label=\"{}\">", html(&name), html(&position))),
        "the directory person with their latest position"
    );

    // The fields of the list as it stands, and a new row naming the directory person with no position.
    let mut rows: Vec<(String, String, String, String)> = others
        .iter()
        .map(|m| {
            let (name, position, description) = match &m.who {
                Who::Person { name, position } => (name.clone(), position.clone().unwrap_or_default(), String::new()),
                Who::Group { description } => (String::new(), String::new(), description.clone()),
            };
            (m.role.code().to_owned(), name, position, description)
        })
        .collect();
    rows.push(("member".to_owned(), name.clone(), String::new(), String::new()));
    let fields = |version: &str, action: &'static str, extra: Option<(&'static str, &'static str)>| {
        let mut fields: Vec<(String, String)> = vec![("version".to_owned(), version.to_owned())];
        for (role, name, position, description) in &rows {
            fields.push(("role".to_owned(), role.clone()));
            fields.push(("name".to_owned(), name.clone()));
            fields.push(("position".to_owned(), position.clone()));
            fields.push(("description".to_owned(), description.clone()));
        }
        fields.push(("action".to_owned(), action.to_owned()));
        fields.extend(extra.map(|(k, v)| (k.to_owned(), v.to_owned())));
        fields
    };
    let v = version(&app, id).await;

    // Saving the whole list: it comes back with the position filled, unsaved, for the user to check.
    let shown = staff.post(&format!("/missions/{id}/members"), &pairs(&fields(&v, "save", None))).await;
    assert_eq!(shown.status(), 200);
    let body = shown.text().await.expect("body");
    assert!(body.contains(&format!("value=\"{}\" aria-describedby", html(&position))), "filled and marked");
    assert!(body.contains("name=\"directory_offered\""));
    assert_eq!(version(&app, id).await, v, "not saved yet");

    // Sent again as shown back with the position left blank: the user's choice is kept.
    post_ok(&staff, &format!("/missions/{id}/members"), &pairs(&fields(&v, "save", Some(("directory_offered", "1")))))
        .await;
    let kept = missions::load(&app.test_db.db, id).await.expect("loads");
    assert_eq!(kept.mission.members.last().and_then(person), Some((name.clone(), String::new())));

    // Adding the row (to the list without them): saved with the position, which the form then shows.
    giamsat_store::edits::edit(
        &app.test_db.db,
        id,
        kept.version,
        Edit::Members(others),
        &giamsat_store::audit::Actor::system(chrono::Utc::now()),
    )
    .await
    .expect("removed again");
    let v = version(&app, id).await;
    post_ok(&staff, &format!("/missions/{id}/members"), &pairs(&fields(&v, "add", None))).await;
    let saved = missions::load(&app.test_db.db, id).await.expect("loads");
    assert_eq!(saved.mission.members.last().and_then(person), Some((name.clone(), position.clone())));
    let form = staff.get(&format!("/missions/{id}/members")).await.text().await.expect("body");
    assert!(form.contains(&format!("value=\"{}\">", html(&position))));
    app.cleanup().await;
}

fn pairs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}
