//! The formal report's routes: the print page, the PDF and the DOCX downloads, behind `Action::Export`; the
//! settings of the organisation and of the report, and the settings frozen with each published version.

use giamsat_domain::policy::Role;
use giamsat_domain::report::{ArticleContent, ReportEvent};
use giamsat_store::audit::Actor;
use giamsat_store::entities::audit_events;
use giamsat_store::formal_settings::{self, Scope};
use giamsat_store::missions;
use giamsat_store::reports::{self, Write};
use giamsat_store::sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::support::{SEED, TestApp, TestUser, spawn_app};

#[tokio::test]
async fn the_formal_report_downloads_as_print_html_pdf_and_docx() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let staff = app.user(Role::Staff, Some(app.owner_of(id).await), None).await;

    let mission_page = staff.get(&format!("/missions/{id}")).await.text().await.expect("body");
    for link in ["formal\"", "formal.pdf\"", "formal.docx\""] {
        assert!(mission_page.contains(&format!("/missions/{id}/{link}")), "the mission page links {link}");
    }

    let page = staff.get(&format!("/missions/{id}/formal")).await;
    assert_eq!(page.status(), 200);
    assert!(page.headers()["content-type"].to_str().expect("ascii").starts_with("text/html"));
    let csp = page.headers()["content-security-policy"].to_str().expect("ascii").to_owned();
    assert!(csp.contains("default-src 'none'") && !csp.contains("script"), "{csp}");
    let html = page.text().await.expect("body");
    for expected in ["ĐẢNG CỘNG SẢN VIỆT NAM", "QUẬN ỦY HOÀN KIẾM", "Số      -BC/QU", "I. KẾT QUẢ GIÁM SÁT", "@page"]
    {
        assert!(html.contains(expected), "{expected:?} missing from the print page");
    }

    let pdf = staff.get(&format!("/missions/{id}/formal.pdf")).await;
    assert_eq!(pdf.status(), 200);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let disposition = pdf.headers()["content-disposition"].to_str().expect("ascii").to_owned();
    assert_eq!(disposition, format!("attachment; filename=\"giamsat-{id}-bao-cao-ket-qua-giam-sat.pdf\""));
    assert!(pdf.bytes().await.expect("body").starts_with(b"%PDF"));

    let docx = staff.get(&format!("/missions/{id}/formal.docx")).await;
    assert_eq!(docx.status(), 200);
    assert_eq!(
        docx.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    assert!(docx.headers()["content-disposition"].to_str().expect("ascii").ends_with(".docx\""));
    assert!(docx.bytes().await.expect("body").starts_with(b"PK"));
    app.cleanup().await;
}

#[tokio::test]
async fn the_formal_report_is_never_public_nor_for_a_viewer() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let viewer = app.user(Role::Viewer, Some(app.owner_of(id).await), None).await;
    for suffix in ["formal", "formal.pdf", "formal.docx"] {
        let path = format!("/missions/{id}/{suffix}");
        assert_eq!(viewer.get(&path).await.status(), 403, "{path}: a viewer may read, not export");
        let anonymous = app.get(&path).await;
        assert_ne!(anonymous.status(), 200, "{path} is never public");
    }
    let viewer_page = viewer.get(&format!("/missions/{id}")).await.text().await.expect("body");
    assert!(!viewer_page.contains("formal.pdf"), "no download button without the right to export");
    app.cleanup().await;
}

/// The seed, concluded (a session at its third ward, "none recorded" shortcomings and causes), so its article
/// may be published.
fn concluded_seed() -> String {
    let mut v: serde_json::Value = serde_json::from_str(SEED).expect("the seed is JSON");
    v["sessions"]
        .as_array_mut()
        .expect("sessions")
        .push(serde_json::json!({"target": "Đồng Xuân", "date": "2021-03-24", "photos": []}));
    v["findings_none_recorded"] = serde_json::json!(["shortcoming", "cause"]);
    serde_json::to_string(&v).expect("JSON")
}

async fn version_of(app: &TestApp, scope: Scope) -> String {
    formal_settings::load(&app.test_db.db, scope).await.expect("reads").version.to_string()
}

async fn save(user: &TestUser, path: &str, version: String, fields: &[(&str, &str)]) -> reqwest::Response {
    let mut all = vec![("version", version.as_str())];
    all.extend_from_slice(fields);
    user.post(path, &all).await
}

async fn text(response: reqwest::Response) -> String {
    response.text().await.expect("body")
}

#[tokio::test]
async fn the_organisations_and_the_reports_settings_shape_the_formal_report() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let org = app.owner_of(id).await;
    let staff = app.user(Role::Staff, Some(org), None).await;
    let writer = app.user(Role::Writer, Some(org), None).await;

    let directory = text(staff.get("/directory").await).await;
    assert!(directory.contains(&format!("/organisations/{org}/formal-settings")), "staff find their settings");
    let organisation_path = format!("/organisations/{org}/formal-settings");
    let saved = save(
        &staff,
        &organisation_path,
        version_of(&app, Scope::Organisation(org)).await,
        &[
            ("authority", "T/M Ban Thường vụ"),
            ("signer_title", "Phó Bí thư"),
            ("signer_name", "Nguyễn Văn An"),
            ("standing_recipients", "- Thường trực Thành ủy (để báo cáo),\n- Các đồng chí Ủy viên BTV Quận ủy,"),
            ("margin_left", "35"),
        ],
    )
    .await;
    assert_eq!(saved.status(), 303);
    let location = saved.headers()["location"].to_str().expect("ascii").to_owned();
    assert_eq!(location, format!("{organisation_path}?done=saved"));
    let again = text(staff.get(&location).await).await;
    assert!(again.contains("Đã lưu.") && again.contains("value=\"Nguyễn Văn An\""), "saved and shown");

    let report_path = format!("/missions/{id}/formal/settings");
    let form = text(writer.get(&report_path).await).await;
    assert!(form.contains("placeholder=\"Nguyễn Văn An\""), "the report's form shows what it inherits");
    assert!(!form.contains(&organisation_path), "a writer does not manage the organisation");
    let saved = save(
        &writer,
        &report_path,
        version_of(&app, Scope::Report { mission_id: id }).await,
        &[("number", "12-BC/QU"), ("date", "02/4/2021"), ("signer_name", "Trần Thị Bình")],
    )
    .await;
    assert_eq!(saved.status(), 303);

    let html = text(writer.get(&format!("/missions/{id}/formal")).await).await;
    for expected in [
        "Số 12-BC/QU",
        "Hoàn Kiếm, ngày 02 tháng 4 năm 2021",
        "T/M BAN THƯỜNG VỤ",
        "PHÓ BÍ THƯ",
        "Trần Thị Bình",
        "- Thường trực Thành ủy (để báo cáo),",
        "- Các đồng chí Ủy viên BTV Quận ủy,",
        "- Đảng ủy các phường: Đồng Xuân, Hàng Bạc, Tràng Tiền,",
        "margin: 20mm 15mm 20mm 35mm",
    ] {
        assert!(html.contains(expected), "{expected:?} missing from the print page");
    }
    assert!(!html.contains("Nguyễn Văn An"), "the report's own signatory wins");
    let docx = writer.get(&format!("/missions/{id}/formal.docx")).await;
    let disposition = docx.headers()["content-disposition"].to_str().expect("ascii").to_owned();
    assert_eq!(disposition, format!("attachment; filename=\"giamsat-{id}-bao-cao-12-bc-qu.docx\""));

    let audit = audit_events::Entity::find()
        .filter(audit_events::Column::Action.eq("formal_settings.save"))
        .count(&app.test_db.db)
        .await
        .expect("counts");
    assert_eq!(audit, 2, "every save is audited");
    app.cleanup().await;
}

#[tokio::test]
async fn bad_settings_are_refused_next_to_their_field_and_nothing_saved_is_lost() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let writer = app.user(Role::Writer, Some(app.owner_of(id).await), None).await;
    let path = format!("/missions/{id}/formal/settings");
    let scope = Scope::Report { mission_id: id };
    assert_eq!(
        save(&writer, &path, version_of(&app, scope).await, &[("signer_name", "Trần Thị Bình")]).await.status(),
        303
    );
    let before = formal_settings::load(&app.test_db.db, scope).await.expect("reads");

    let refused = save(
        &writer,
        &path,
        before.version.to_string(),
        &[
            ("number", "15/BC-HĐND"),
            ("date", "31/2/2021"),
            ("margin_top", "3"),
            ("type_code", "QĐ"),
            ("signer_name", "Lê Văn Cường"),
        ],
    )
    .await;
    assert_eq!(refused.status(), 422);
    let page = text(refused).await;
    for (field, message) in [
        ("number", "mẫu 12-BC/QU"),
        ("date", ""),
        ("margin_top", "từ 5 đến 60"),
        ("type_code", "Chọn báo cáo hoặc thông báo"),
    ] {
        assert!(page.contains(&format!("id=\"{field}-error\"")), "{field} has its error");
        assert!(page.contains(message), "{message:?}");
    }
    assert!(page.contains("value=\"15/BC-HĐND\"") && page.contains("value=\"Lê Văn Cường\""), "the input is kept");

    let kinds = save(&writer, &path, before.version.to_string(), &[("number", "12-BC/QU"), ("type_code", "TB")]).await;
    assert_eq!(kinds.status(), 422);
    assert!(text(kinds).await.contains("Số này là của một báo cáo, nhưng loại văn bản đã chọn là thông báo"));

    let stale = save(&writer, &path, "0".to_owned(), &[("signer_name", "Lê Văn Cường")]).await;
    assert_eq!(stale.status(), 409);
    assert!(text(stale).await.contains("value=\"Lê Văn Cường\""), "a conflict keeps the input too");
    assert_eq!(formal_settings::load(&app.test_db.db, scope).await.expect("reads"), before, "nothing changed");
    app.cleanup().await;
}

#[tokio::test]
async fn settings_pages_answer_only_to_those_who_may_change_them() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let org = app.owner_of(id).await;
    let viewer = app.user(Role::Viewer, Some(org), None).await;
    let writer = app.user(Role::Writer, Some(org), None).await;
    let mut elsewhere: serde_json::Value = serde_json::from_str(SEED).expect("the seed is JSON");
    elsewhere["owner"]["name"] = "Quận ủy Ba Đình".into();
    let other_org = app.owner_of(app.insert_json(&elsewhere.to_string()).await).await;
    let other = app.user(Role::Staff, Some(other_org), None).await;
    assert_eq!(viewer.get(&format!("/missions/{id}/formal/settings")).await.status(), 403);
    assert_eq!(other.get(&format!("/missions/{id}/formal/settings")).await.status(), 404);
    for user in [&writer, &other] {
        assert_eq!(user.get(&format!("/organisations/{org}/formal-settings")).await.status(), 404);
    }
    assert_eq!(app.get(&format!("/organisations/{org}/formal-settings")).await.status(), 303, "to the login");
    app.cleanup().await;
}

#[tokio::test]
async fn a_published_version_keeps_the_settings_it_was_published_with() {
    let app = spawn_app().await;
    let id = app.insert_json(&concluded_seed()).await;
    let org = app.owner_of(id).await;
    let writer = app.user(Role::Writer, Some(org), None).await;
    let staff = app.user(Role::Staff, Some(org), None).await;
    let path = format!("/missions/{id}/formal/settings");
    let scope = Scope::Report { mission_id: id };
    assert_eq!(save(&writer, &path, version_of(&app, scope).await, &[("number", "12-BC/QU")]).await.status(), 303);

    let db = &app.test_db.db;
    let content = ArticleContent::generate(&missions::load(db, id).await.expect("loads").mission);
    let mut version =
        reports::write(db, id, 0, Write::save(content.clone(), content), &Actor::system(chrono::Utc::now()), None)
            .await
            .expect("drafted")
            .version;
    for event in [ReportEvent::RequestApproval, ReportEvent::Approve, ReportEvent::Publish { corrects: None }] {
        version = reports::write(db, id, version, Write::Step(event), &Actor::system(chrono::Utc::now()), None)
            .await
            .expect("steps")
            .version;
    }
    let published = text(writer.get(&format!("/missions/{id}/formal?version=1")).await).await;
    assert!(published.contains("Số 12-BC/QU"));

    assert_eq!(save(&writer, &path, version_of(&app, scope).await, &[("number", "13-BC/QU")]).await.status(), 303);
    let organisation = Scope::Organisation(org);
    let changed = save(
        &staff,
        &format!("/organisations/{org}/formal-settings"),
        version_of(&app, organisation).await,
        &[("signer_name", "Người ký mới"), ("margin_top", "25")],
    )
    .await;
    assert_eq!(changed.status(), 303);
    let latest = text(writer.get(&format!("/missions/{id}/formal")).await).await;
    assert!(
        latest.contains("Số 13-BC/QU") && latest.contains("margin: 25mm"),
        "the latest data takes the new settings"
    );
    let again = text(writer.get(&format!("/missions/{id}/formal?version=1")).await).await;
    assert_eq!(again, published, "a published version's formal report never changes");
    let report_page = text(writer.get(&format!("/missions/{id}/report")).await).await;
    assert!(report_page.contains(&format!("/missions/{id}/formal.pdf?version=1")), "each version has its downloads");
    for bad in ["2", "0", "abc", "99999999999"] {
        assert_eq!(writer.get(&format!("/missions/{id}/formal?version={bad}")).await.status(), 404, "{bad}");
    }

    let cli = std::process::Command::new(env!("CARGO_BIN_EXE_giamsat"))
        .args(["render", &id.to_string(), "--kind", "formal", "--format", "html", "--version", "1"])
        .env("DATABASE_URL", &app.test_db.url)
        .env("GIAMSAT_LOG", "error")
        .output()
        .expect("the binary runs");
    assert!(cli.status.success(), "{}", String::from_utf8_lossy(&cli.stderr));
    assert_eq!(String::from_utf8_lossy(&cli.stdout), published, "the CLI renders the same frozen report");
    app.cleanup().await;
}
