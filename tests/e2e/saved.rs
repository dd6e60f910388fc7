//! Every form that saves and redirects lands on a page that says "Đã lưu" (issue 14).

use giamsat_domain::policy::{Capacity, Role};
use giamsat_store::missions;

use crate::support::{TestUser, spawn_app};

/// One save of the table: who posts, where, and what.
type Row<'a> = (&'a TestUser, String, Vec<(&'a str, &'a str)>);

/// Posts `fields` to `path` and checks that the save redirects to a page confirming it.
async fn saves(user: &TestUser, path: &str, fields: &[(&str, &str)]) {
    let response = user.post(path, fields).await;
    let status = response.status();
    let location = response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let body = response.text().await.unwrap_or_default();
    assert_eq!(status, 303, "POST {path}: {}", body.chars().take(400).collect::<String>());
    assert!(location.contains("done=saved"), "POST {path} → {location}");
    let landing = user.get(&location).await.text().await.expect("landing page");
    assert!(
        landing.contains(r#"<p class="success" role="status" id="saved">Đã lưu.</p>"#),
        "POST {path} → {location} says nothing was saved"
    );
}

#[tokio::test]
async fn every_form_that_saves_lands_on_a_page_that_says_it_was_saved() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let org = app.owner_of(id).await;
    let staff = app.user(Role::Staff, Some(org), None).await;
    let version = || async { missions::load(&app.test_db.db, id).await.expect("loads").version.to_string() };
    let stored = missions::load(&app.test_db.db, id).await.expect("loads");
    let rec = stored.recommendation_ids[0];
    let member = app.user(Role::TeamMember, Some(org), Some((id, Capacity::Member))).await;

    let mission_fields = [
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
    ];
    saves(&staff, "/missions", &mission_fields).await;

    let items = format!("/missions/{id}/items");
    // Each row: who, where, what (the version is read just before, as a fresh form would carry it).
    let rows: Vec<Row> = vec![
        // The seed lacks a session at its first unit, the one thing between it and drafting.
        (&member, format!("{items}/sessions"), vec![("target", "0"), ("date", "2021-03-24")]),
        (&staff, format!("/missions/{id}/transition"), vec![("to", "drafting")]),
        (&staff, format!("{items}/targets"), vec![("kind", "ward"), ("name", "Phúc Tân")]),
        (&member, format!("{items}/findings"), vec![("kind", "strength"), ("text", "một ưu điểm")]),
        (&member, format!("{items}/findings/0"), vec![("kind", "strength"), ("text", "ưu điểm đã sửa")]),
        (
            &member,
            format!("{items}/recommendations"),
            vec![("direction", "downward"), ("addressees", "Đảng ủy phường"), ("text", "đề nghị mới")],
        ),
        (&member, format!("{items}/findings/1/delete"), vec![("confirm", "yes")]),
        (&member, format!("/missions/{id}/findings/none"), vec![("none", "cause")]),
        (
            &staff,
            format!("/missions/{id}/members"),
            vec![
                ("role", "leader"),
                ("name", "Trần Thị Hà"),
                ("position", ""),
                ("description", ""),
                ("action", "save"),
            ],
        ),
        (&staff, format!("/missions/{id}/assignments"), vec![("capacity", "member"), ("user_id", "0")]),
    ];
    let assignable = member.id.to_string();
    for (user, path, mut fields) in rows {
        let v = version().await;
        for field in &mut fields {
            if field.0 == "user_id" {
                field.1 = &assignable;
            }
        }
        fields.push(("version", &v));
        saves(user, &path, &fields).await;
    }

    let rec_version = giamsat_store::ledger::item(&app.test_db.db, rec).await.expect("reads").version.to_string();
    saves(&staff, &format!("/recommendations/{rec}/due"), &[("due_on", "2021-04-30"), ("version", &rec_version)]).await;

    let formal = format!("/organisations/{org}/formal-settings");
    let form = staff.get(&formal).await.text().await.expect("settings page");
    let settings_version =
        form.split("name=\"version\" value=\"").nth(1).and_then(|s| s.split('"').next()).expect("a version").to_owned();
    saves(&staff, &formal, &[("signer_name", "Nguyễn Văn An"), ("version", &settings_version)]).await;

    // A page without a save says nothing.
    let plain = staff.get(&format!("/missions/{id}")).await.text().await.expect("page");
    assert!(!plain.contains("id=\"saved\""));
    app.cleanup().await;
}
