//! Body limits per route (issue 15.4), each tested on both sides: what the README promises is accepted, one byte
//! more is refused — the file's own limit next to its field, the route's limit with 413 — and a body that cannot
//! be read at all is a 400, never a 413.

use giamsat_domain::interchange::MAX_FILE_BYTES;
use giamsat_domain::policy::Role;
use giamsat_store::missions;
use giamsat_store::sea_orm::EntityTrait;
use giamsat_web::csrf::MAX_BODY;
use giamsat_web::router::FORM_BODY_MAX;
use giamsat_web::storage::MAX_PHOTO_BYTES;

use crate::support::{SEED, TestApp, TestUser, jpeg_of_size, spawn_app};

async fn version(app: &TestApp, id: i64) -> i32 {
    missions::load(&app.test_db.db, id).await.expect("loads").version
}

async fn session_with_photo(user: &TestUser, id: i64, version: i32, photo: Vec<u8>) -> reqwest::Response {
    let form = reqwest::multipart::Form::new()
        .text("_csrf", user.csrf.clone())
        .text("version", version.to_string())
        .text("target", "0")
        .text("date", "2021-03-20")
        .text("modality", "direct")
        .text("minutes", "Biên bản buổi làm việc giữ nguyên")
        .part("photo", reqwest::multipart::Part::bytes(photo).file_name("IMG_0001.JPG"));
    user.client.post(user.url(&format!("/missions/{id}/items/sessions"))).multipart(form).send().await.expect("reaches")
}

#[tokio::test]
async fn a_photo_of_10_mib_is_stored_and_one_byte_more_is_refused_next_to_the_field() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let staff = app.user(Role::Staff, Some(app.owner_of(id).await), None).await;

    let v = version(&app, id).await;
    let over = session_with_photo(&staff, id, v, jpeg_of_size(MAX_PHOTO_BYTES + 1)).await;
    assert_eq!(over.status(), 422);
    let page = over.text().await.expect("body");
    assert!(page.contains("Ảnh lớn quá 10 MB"), "the form says why");
    assert!(page.contains("Biên bản buổi làm việc giữ nguyên"), "the input is kept");
    assert_eq!(version(&app, id).await, v, "nothing saved");

    let at = session_with_photo(&staff, id, v, jpeg_of_size(MAX_PHOTO_BYTES)).await;
    assert_eq!(at.status(), 303, "10 MiB, as the form says");
    let stored = missions::load(&app.test_db.db, id).await.expect("loads");
    assert!(stored.mission.sessions.iter().flat_map(|s| &s.photos).any(|p| p.file.is_some()));
    app.cleanup().await;
}

#[tokio::test]
async fn a_mission_document_up_to_its_limit_is_accepted_and_one_byte_more_is_refused_with_a_message() {
    let app = spawn_app().await;
    let owner = app.owner_of(app.insert_seed().await).await;
    let staff = app.user(Role::Staff, Some(owner), None).await;
    let post = |body: Vec<u8>| {
        staff
            .client
            .post(staff.url("/api/v1/missions"))
            .header("content-type", "application/json")
            .header("x-csrf-token", staff.csrf.as_str())
            .body(body)
            .send()
    };
    let padded = |len: usize| {
        let mut body = SEED.as_bytes().to_vec();
        body.resize(len, b' ');
        body
    };
    let at = post(padded(MAX_FILE_BYTES)).await.expect("reaches");
    assert_eq!(at.status(), 201, "an 8 MiB document (the JSON body limit is not 2 MiB)");
    let over = post(padded(MAX_FILE_BYTES + 1)).await.expect("reaches");
    assert_eq!(over.status(), 422);
    let body: serde_json::Value = over.json().await.expect("JSON");
    assert!(body["errors"][0].as_str().is_some_and(|e| e.contains("tệp quá lớn")), "{body}");
    let body_limit = post(padded(MAX_BODY)).await.expect("reaches");
    assert_eq!(body_limit.status(), 422, "32 MiB is read, then refused as a document");
    let over_body = post(padded(MAX_BODY + 1)).await.expect("reaches");
    assert_eq!(over_body.status(), 413);
    app.cleanup().await;
}

#[tokio::test]
async fn an_ordinary_form_reads_2_mib_and_refuses_more_with_413() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let staff = app.user(Role::Staff, Some(app.owner_of(id).await), None).await;
    let v = version(&app, id).await;
    let form = |len: usize| {
        let start = format!("_csrf={}&version={v}&system=party&form=thematic&subject=", staff.csrf);
        let mut body = start.into_bytes();
        body.resize(len, b'a');
        body
    };
    let post = |body: Vec<u8>| {
        staff
            .client
            .post(staff.url(&format!("/missions/{id}/edit")))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };
    let at = post(form(FORM_BODY_MAX)).await.expect("reaches");
    assert_eq!(at.status(), 422, "read, and refused next to the field");
    assert!(at.text().await.expect("body").contains("field-error"));
    let over = post(form(FORM_BODY_MAX + 1)).await.expect("reaches");
    assert_eq!(over.status(), 413);
    assert!(over.text().await.expect("body").contains("quá lớn"));
    assert_eq!(version(&app, id).await, v);
    app.cleanup().await;
}

#[tokio::test]
async fn a_malformed_multipart_body_is_a_400_with_a_message_and_saves_nothing() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let admin = app.user(Role::Admin, None, None).await;
    let item = giamsat_store::entities::recommendations::Entity::find()
        .one(&app.test_db.db)
        .await
        .expect("reads")
        .expect("the seed has recommendations")
        .id;
    let v = version(&app, id).await;
    // A part that never ends: no closing boundary.
    let broken = format!(
        "--X\r\nContent-Disposition: form-data; name=\"version\"\r\n\r\n{v}\r\n--X\r\nContent-Disposition: \
         form-data; name=\"photo\"; filename=\"a.jpg\"\r\n\r\n\u{ff}\u{d8}"
    );
    for path in [
        "/import".to_owned(),
        "/ledger/import".to_owned(),
        format!("/missions/{id}/items/sessions"),
        format!("/recommendations/{item}/progress"),
    ] {
        let response = admin
            .client
            .post(admin.url(&path))
            .header("content-type", "multipart/form-data; boundary=X")
            .header("x-csrf-token", admin.csrf.as_str())
            .body(broken.clone())
            .send()
            .await
            .expect("reaches");
        assert_eq!(response.status(), 400, "POST {path}");
        assert!(response.text().await.expect("body").contains("không đọc được"), "POST {path}: the page says why");
    }
    assert_eq!(version(&app, id).await, v);
    app.cleanup().await;
}
