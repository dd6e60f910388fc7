//! The JSON API with an API token, as a script or another system would use it.

use giamsat_domain::policy::{Capacity, Role};
use giamsat_store::sea_orm::{EntityTrait, PaginatorTrait};

use crate::support::{SEED, TestApp, TestUser, spawn_app};

async fn token_of(user: &TestUser) -> String {
    let page = user.post("/account/tokens", &[("name", "kịch bản")]).await.text().await.expect("body");
    page.split("<code>").nth(1).and_then(|s| s.split("</code>").next()).expect("token").to_owned()
}

fn api(app: &TestApp, method: reqwest::Method, path: &str, token: &str) -> reqwest::RequestBuilder {
    app.client.request(method, app.url(path)).bearer_auth(token)
}

#[tokio::test]
async fn a_token_lists_gets_creates_and_exports_missions_within_the_policy() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let org = app.owner_of(id).await;
    let staff = app.user(Role::Staff, Some(org), None).await;
    let token = token_of(&staff).await;

    let list: serde_json::Value = api(&app, reqwest::Method::GET, "/api/v1/missions", &token)
        .send()
        .await
        .expect("reaches")
        .json()
        .await
        .expect("json");
    assert_eq!(list["missions"][0]["id"], id);
    assert_eq!(list["missions"][0]["state"], "in_progress");

    let detail: serde_json::Value = api(&app, reqwest::Method::GET, &format!("/api/v1/missions/{id}"), &token)
        .send()
        .await
        .expect("reaches")
        .json()
        .await
        .expect("json");
    assert_eq!(detail["version"], 1);
    assert_eq!(detail["document"]["team"]["name"], "Đoàn Giám sát số 5");

    let exported = api(&app, reqwest::Method::GET, &format!("/api/v1/missions/{id}/export"), &token)
        .send()
        .await
        .expect("reaches")
        .text()
        .await
        .expect("body");
    assert_eq!(exported, SEED);

    let created = api(&app, reqwest::Method::POST, "/api/v1/missions", &token)
        .header("content-type", "application/json")
        .body(SEED)
        .send()
        .await
        .expect("reaches");
    assert_eq!(created.status(), 201);
    let new_id = created.json::<serde_json::Value>().await.expect("json")["id"].as_i64().expect("id");
    assert_ne!(new_id, id);

    let refused = api(&app, reqwest::Method::POST, "/api/v1/missions", &token)
        .body(SEED.replace("\"kind\": \"ward\"", "\"kind\": \"hamlet\""))
        .send()
        .await
        .expect("reaches");
    assert_eq!(refused.status(), 422);
    let body: serde_json::Value = refused.json().await.expect("json");
    assert!(body["errors"][0].as_str().expect("text").starts_with("targets[0].kind: giá trị không hợp lệ «hamlet»"));
    app.cleanup().await;
}

#[tokio::test]
async fn the_api_answers_in_json_and_never_redirects() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let anonymous = app.get("/api/v1/missions").await;
    assert_eq!(anonymous.status(), 401);
    assert_eq!(anonymous.headers()["content-type"], "application/json");
    let body: serde_json::Value = anonymous.json().await.expect("json");
    assert_eq!(body["status"], 401);
    assert!(body["request_id"].is_string());

    let leader = app.user(Role::TeamLeader, Some(app.owner_of(id).await), Some((id, Capacity::Member))).await;
    let token = token_of(&leader).await;
    let forbidden =
        api(&app, reqwest::Method::POST, "/api/v1/missions", &token).body(SEED).send().await.expect("reaches");
    assert_eq!(forbidden.status(), 403, "team members do not create missions");
    let missing = api(&app, reqwest::Method::GET, "/api/v1/missions/424242", &token).send().await.expect("reaches");
    assert_eq!(missing.status(), 404);
    assert!(missing.json::<serde_json::Value>().await.is_ok());
    let export = api(&app, reqwest::Method::GET, &format!("/api/v1/missions/{id}/export"), &token)
        .send()
        .await
        .expect("reaches");
    assert_eq!(export.status(), 403, "a member may view but not export");
    app.cleanup().await;
}

#[tokio::test]
async fn the_openapi_document_is_generated_from_the_handlers() {
    let app = spawn_app().await;
    let doc: serde_json::Value = app.get("/api/v1/openapi.json").await.json().await.expect("json");
    assert!(doc["openapi"].as_str().expect("version").starts_with("3."));
    for path in ["/api/v1/missions", "/api/v1/missions/{id}", "/api/v1/missions/{id}/export"] {
        assert!(doc["paths"][path].is_object(), "{path} documented");
    }
    assert!(doc["paths"]["/api/v1/missions"]["post"].is_object());
    assert!(doc["components"]["schemas"]["MissionSummary"].is_object());
    app.cleanup().await;
}

/// Issue 15.8: the largest integer as a target wrapped to "đơn vị thứ 0"; a target named twice was stored.
#[tokio::test]
async fn a_finding_naming_a_target_out_of_range_or_twice_is_refused_with_the_reason() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let staff = app.user(Role::Staff, Some(app.owner_of(id).await), None).await;
    let token = token_of(&staff).await;
    let path = format!("/api/v1/missions/{id}/findings");
    let version = giamsat_store::missions::load(&app.test_db.db, id).await.expect("loads").version;
    for (targets, reason) in [
        ("[18446744073709551615]", "tham chiếu tới một đơn vị không có trong danh sách"),
        ("[3]", "tham chiếu tới đơn vị thứ 4 không có trong danh sách"),
        ("[0, 1, 0]", "đơn vị thứ 1 được nêu hai lần"),
    ] {
        let body = format!(r#"{{"version": {version}, "kind": "strength", "targets": {targets}, "text": "chu đáo"}}"#);
        let response = api(&app, reqwest::Method::POST, &path, &token)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .expect("reaches");
        assert_eq!(response.status(), 422, "{targets}");
        let body: serde_json::Value = response.json().await.expect("json");
        let errors = body["errors"].to_string();
        assert!(errors.contains(reason), "{targets}: {errors}");
        assert!(!errors.contains("thứ 0"), "{targets}: {errors}");
    }
    let stored = giamsat_store::missions::load(&app.test_db.db, id).await.expect("loads");
    assert_eq!(stored.version, version, "nothing saved");

    let twice = SEED.replacen("\"targets\": [],", "\"targets\": [\"Đồng Xuân\", \"Đồng Xuân\"],", 1);
    let refused =
        api(&app, reqwest::Method::POST, "/api/v1/missions", &token).body(twice).send().await.expect("reaches");
    assert_eq!(refused.status(), 422);
    let body: serde_json::Value = refused.json().await.expect("json");
    assert!(body["errors"].to_string().contains("được nêu hai lần"), "{body}");
    app.cleanup().await;
}

/// The seed, owned by `owner` (and its place) when given, with its first photo naming `file`.
fn seed_naming(file: &str, owner: Option<(&str, &str)>) -> String {
    let mut value: serde_json::Value = serde_json::from_str(SEED).expect("the seed is JSON");
    value["sessions"][0]["photos"][0]["file"] = file.into();
    if let Some((name, place)) = owner {
        value["owner"]["name"] = name.into();
        value["owner"]["place"] = place.into();
    }
    serde_json::to_string_pretty(&value).expect("JSON")
}

/// Issue 15.1: an import naming another organisation's private photo made it readable by the importer (and
/// publishable); a key that is no key of the file store was stored too. An import names only files its author
/// can already open.
#[tokio::test]
async fn an_import_may_name_only_photo_files_its_author_can_already_open() {
    let app = spawn_app().await;
    let key = crate::authz::stored_photo(&app).await;
    let own_mission = app.insert_json(&seed_naming(&key, None)).await;
    let own_org = app.owner_of(own_mission).await;
    let other = ("Quận ủy Ba Đình", "Ba Đình");
    let mut other_seed: serde_json::Value = serde_json::from_str(SEED).expect("the seed is JSON");
    other_seed["owner"]["name"] = other.0.into();
    other_seed["owner"]["place"] = other.1.into();
    let other_org = app.owner_of(app.insert_json(&other_seed.to_string()).await).await;
    assert_ne!(own_org, other_org);
    let outsider = app.user(Role::Staff, Some(other_org), None).await;
    let token = token_of(&outsider).await;
    let count =
        || async { giamsat_store::entities::missions::Entity::find().count(&app.test_db.db).await.expect("counts") };
    let before = count().await;

    for file in [key.as_str(), "../s.db", "../../data/giamsat.db", &"0".repeat(64), &format!("{}.png", "a".repeat(64))]
    {
        let refused = api(&app, reqwest::Method::POST, "/api/v1/missions", &token)
            .header("content-type", "application/json")
            .body(seed_naming(file, Some(other)))
            .send()
            .await
            .expect("reaches");
        assert_eq!(refused.status(), 422, "{file}");
        let body: serde_json::Value = refused.json().await.expect("json");
        assert!(
            body["errors"][0].as_str().is_some_and(|e| e.starts_with("sessions[0].photos[0].file: tệp ảnh không có")),
            "{file}: {body}"
        );
        let form = reqwest::multipart::Form::new().text("_csrf", outsider.csrf.clone()).part(
            "file",
            reqwest::multipart::Part::bytes(seed_naming(file, Some(other)).into_bytes()).file_name("mission.json"),
        );
        let upload = outsider.client.post(outsider.url("/import")).multipart(form).send().await.expect("reaches");
        assert_eq!(upload.status(), 422, "{file}");
        assert!(upload.text().await.expect("body").contains("sessions[0].photos[0].file: tệp ảnh không có"));
    }
    assert_eq!(count().await, before, "nothing stored");

    let owner = app.user(Role::Staff, Some(own_org), None).await;
    let created = api(&app, reqwest::Method::POST, "/api/v1/missions", &token_of(&owner).await)
        .header("content-type", "application/json")
        .body(seed_naming(&key, None))
        .send()
        .await
        .expect("reaches");
    assert_eq!(created.status(), 201, "a photo its author can open may be named again");
    app.cleanup().await;
}
