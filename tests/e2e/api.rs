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
    for path in [
        "/api/v1/missions",
        "/api/v1/missions/{id}",
        "/api/v1/missions/{id}/export",
        "/api/v1/recommendations",
        "/api/v1/recommendations/{id}",
        "/api/v1/recommendations/{id}/status",
        "/api/v1/recommendations/{id}/progress",
        "/api/v1/recommendations/{id}/due",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} documented");
    }
    let filters = doc["paths"]["/api/v1/recommendations"]["get"]["parameters"].to_string();
    assert!(filters.contains("\"addressee\"") && filters.contains("\"overdue\""), "the ledger's filters: {filters}");
    assert!(doc["components"]["schemas"]["RecommendationDetail"].is_object());
    assert!(doc["components"]["schemas"]["ApiError"]["properties"]["request_id"].is_object());
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

fn json_post(app: &TestApp, path: &str, token: &str, body: serde_json::Value) -> reqwest::RequestBuilder {
    api(app, reqwest::Method::POST, path, token).header("content-type", "application/json").body(body.to_string())
}

async fn json_of(response: reqwest::Response) -> serde_json::Value {
    response.json().await.expect("a JSON body")
}

/// Issue 15.9: the ledger in the API — its list with the ledger's filters, one item with its history.
#[tokio::test]
async fn the_api_lists_the_ledger_with_its_filters_and_reads_an_item_with_its_history() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let org = app.owner_of(id).await;
    let staff = app.user(Role::Staff, Some(org), None).await;
    let token = token_of(&staff).await;
    let list = json_of(
        api(&app, reqwest::Method::GET, &format!("/api/v1/recommendations?mission={id}"), &token)
            .send()
            .await
            .expect("reaches"),
    )
    .await;
    let items = list["recommendations"].as_array().expect("a list");
    assert_eq!(items.len(), 14, "the seed's recommendations");
    assert_eq!(list["next"], serde_json::Value::Null);
    let first = items[0]["id"].as_i64().expect("an id");
    assert_eq!(items[0]["mission_id"], id);
    assert_eq!(items[0]["status"], "issued");

    let filtered = json_of(
        api(&app, reqwest::Method::GET, "/api/v1/recommendations?status=implemented", &token)
            .send()
            .await
            .expect("reaches"),
    )
    .await;
    assert_eq!(filtered["recommendations"].as_array().map(Vec::len), Some(0));
    let bad = api(&app, reqwest::Method::GET, "/api/v1/recommendations?status=done&mission=x", &token)
        .send()
        .await
        .expect("reaches");
    assert_eq!(bad.status(), 422);
    let body = json_of(bad).await;
    let errors = body["errors"].to_string();
    assert!(errors.contains("status: ") && errors.contains("mission: "), "{body}");

    let progress = json_post(
        &app,
        &format!("/api/v1/recommendations/{first}/progress"),
        &token,
        serde_json::json!({"version": items[0]["version"], "note": "Đã họp triển khai"}),
    )
    .send()
    .await
    .expect("reaches");
    assert_eq!(progress.status(), 200);
    let detail = json_of(
        api(&app, reqwest::Method::GET, &format!("/api/v1/recommendations/{first}"), &token)
            .send()
            .await
            .expect("reaches"),
    )
    .await;
    assert_eq!(detail["recommendation"]["id"], first);
    assert_eq!(detail["history"][0]["kind"], "progress");
    assert_eq!(detail["history"][0]["note"], "Đã họp triển khai");

    let other = app.owner_of(app.insert_json(&SEED.replace("Quận ủy Hoàn Kiếm", "Quận ủy Ba Đình")).await).await;
    let outsider = token_of(&app.user(Role::Staff, Some(other), None).await).await;
    let hidden = api(&app, reqwest::Method::GET, &format!("/api/v1/recommendations/{first}"), &outsider)
        .send()
        .await
        .expect("reaches");
    assert_eq!(hidden.status(), 404, "another organisation's item is not there");
    let theirs = json_of(
        api(&app, reqwest::Method::GET, &format!("/api/v1/recommendations?mission={id}"), &outsider)
            .send()
            .await
            .expect("reaches"),
    )
    .await;
    assert_eq!(theirs["recommendations"].as_array().map(Vec::len), Some(0));
    app.cleanup().await;
}

/// Issue 15.9: status, progress and due date through the API, under the pages' rules: a note for every change,
/// confirmation for "implemented", approver and reason to move a date, the version read (409 when stale), the
/// supervising side only for what is its own.
#[tokio::test]
async fn the_api_changes_the_follow_up_under_the_same_rules_as_the_pages() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let org = app.owner_of(id).await;
    let staff = app.user(Role::Staff, Some(org), None).await;
    let token = token_of(&staff).await;
    let rec = giamsat_store::ledger::ids_of_mission(&app.test_db.db, id).await.expect("reads")[0];
    let version = || async { giamsat_store::ledger::item(&app.test_db.db, rec).await.expect("reads").version };
    let path = |what: &str| format!("/api/v1/recommendations/{rec}/{what}");

    let v = version().await;
    let no_note =
        json_post(&app, &path("status"), &token, serde_json::json!({"version": v, "to": "acknowledged", "note": " "}))
            .send()
            .await
            .expect("reaches");
    assert_eq!(no_note.status(), 422);
    assert!(json_of(no_note).await["errors"][0].as_str().is_some_and(|e| e.starts_with("note: ")));
    let unconfirmed = json_post(
        &app,
        &path("status"),
        &token,
        serde_json::json!({"version": v, "to": "implemented", "note": "xong"}),
    )
    .send()
    .await
    .expect("reaches");
    assert_eq!(unconfirmed.status(), 422);
    assert!(json_of(unconfirmed).await["errors"].to_string().contains("confirmed: "));
    let acknowledged = json_post(
        &app,
        &path("status"),
        &token,
        serde_json::json!({"version": v, "to": "acknowledged", "note": "đã nhận"}),
    )
    .send()
    .await
    .expect("reaches");
    assert_eq!(acknowledged.status(), 200);
    let changed = json_of(acknowledged).await;
    assert_eq!(changed["status"], "acknowledged");
    assert_eq!(changed["version"], v + 1);

    let stale = json_post(&app, &path("progress"), &token, serde_json::json!({"version": v, "note": "cũ"}))
        .send()
        .await
        .expect("reaches");
    assert_eq!(stale.status(), 409, "the version read is stale");
    let body = json_of(stale).await;
    assert_eq!(body["status"], 409);
    assert!(body["request_id"].as_str().is_some_and(|r| !r.is_empty()));

    let v = version().await;
    let set = json_post(&app, &path("due"), &token, serde_json::json!({"version": v, "due_on": "2021-06-30"}))
        .send()
        .await
        .expect("reaches");
    assert_eq!(set.status(), 200, "a first due date needs no approval");
    let moved = json_post(&app, &path("due"), &token, serde_json::json!({"version": v + 1, "due_on": "2021-07-31"}))
        .send()
        .await
        .expect("reaches");
    assert_eq!(moved.status(), 422);
    let errors = json_of(moved).await["errors"].to_string();
    assert!(errors.contains("approved_by: ") && errors.contains("reason: "), "{errors}");
    let bad_date = json_post(&app, &path("due"), &token, serde_json::json!({"version": v + 1, "due_on": "31/02/2021"}))
        .send()
        .await
        .expect("reaches");
    assert_eq!(bad_date.status(), 422);
    let unknown_field = json_post(
        &app,
        &path("progress"),
        &token,
        serde_json::json!({"version": v + 1, "note": "x", "status": "closed"}),
    )
    .send()
    .await
    .expect("reaches");
    assert_eq!(unknown_field.status(), 422, "no mass assignment");

    let viewer = token_of(&app.user(Role::Viewer, Some(org), None).await).await;
    let v = version().await;
    for what in ["status", "progress", "due"] {
        let refused = json_post(
            &app,
            &path(what),
            &viewer,
            serde_json::json!({"version": v, "note": "x", "to": "acknowledged", "due_on": "2021-08-01"}),
        )
        .send()
        .await
        .expect("reaches");
        assert_eq!(refused.status(), 403, "a viewer reads but does not change: {what}");
    }
    assert_eq!(version().await, v, "nothing changed");
    let history = giamsat_store::ledger::history(&app.test_db.db, rec).await.expect("reads");
    assert_eq!(history.len(), 2, "one event per accepted change: status, due");
    app.cleanup().await;
}

/// Issue 15.9: every API error has one JSON shape — status, message, field errors when there are any, and the
/// request id of the answer — whoever answers it.
#[tokio::test]
async fn every_api_error_has_one_json_shape_with_the_request_id() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let staff = app.user(Role::Staff, Some(app.owner_of(id).await), None).await;
    let token = token_of(&staff).await;
    let answers = vec![
        (401, app.client.get(app.url("/api/v1/recommendations")).send().await.expect("reaches")),
        (404, api(&app, reqwest::Method::GET, "/api/v1/recommendations/424242", &token).send().await.expect("reaches")),
        (404, api(&app, reqwest::Method::GET, "/api/v1/nowhere", &token).send().await.expect("reaches")),
        (
            422,
            json_post(&app, &format!("/api/v1/missions/{id}/findings"), &token, serde_json::json!({"version": 1}))
                .send()
                .await
                .expect("reaches"),
        ),
        (422, api(&app, reqwest::Method::GET, "/api/v1/recommendations?year=x", &token).send().await.expect("reaches")),
        (
            409,
            json_post(
                &app,
                &format!("/api/v1/missions/{id}/findings"),
                &token,
                serde_json::json!({"version": 99, "kind": "strength", "text": "x"}),
            )
            .send()
            .await
            .expect("reaches"),
        ),
    ];
    for (status, response) in answers {
        assert_eq!(response.status(), status);
        let header = response.headers()["x-request-id"].to_str().expect("ascii").to_owned();
        assert!(response.headers()["content-type"].to_str().expect("ascii").starts_with("application/json"));
        let body = json_of(response).await;
        assert_eq!(body["status"], status, "{body}");
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()), "{body}");
        assert_eq!(body["request_id"], header.as_str(), "{body}");
        if status == 422 {
            assert!(body["errors"].as_array().is_some_and(|e| !e.is_empty()), "{body}");
        }
    }
    app.cleanup().await;
}
