//! The editorial workflow and the public portal, end to end: a writer drafts the demo mission's article, the
//! mission's leader sends it back and then approves it, the writer publishes it; readers find it on the portal;
//! published versions never change, whatever happens to the mission afterwards.

use giamsat_domain::policy::{Capacity, Role};
use giamsat_store::entities::{audit_events, report_versions};
use giamsat_store::reports;
use giamsat_store::sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::support::{SEED, TestApp, TestUser, spawn_app};

/// The seed, concluded: a session at its third ward and "none recorded" shortcomings and causes.
pub(crate) fn concluded_seed() -> String {
    let mut v: serde_json::Value = serde_json::from_str(SEED).expect("the seed is JSON");
    v["sessions"]
        .as_array_mut()
        .expect("sessions")
        .push(serde_json::json!({"target": "Đồng Xuân", "date": "2021-03-24", "photos": []}));
    v["findings_none_recorded"] = serde_json::json!(["shortcoming", "cause"]);
    serde_json::to_string(&v).expect("JSON")
}

/// The editor's form as the page holds it, with `changes` applied.
pub(crate) async fn editor_form(app: &TestApp, mission: i64, changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let report = reports::find(&app.test_db.db, mission).await.expect("reads");
    let draft = match &report {
        Some(r) => r.draft.clone(),
        None => giamsat_domain::report::ArticleContent::generate(
            &giamsat_store::missions::load(&app.test_db.db, mission).await.expect("loads").mission,
        ),
    };
    let mut fields: Vec<(String, String)> = vec![
        ("version".into(), report.as_ref().map_or(0, |r| r.version).to_string()),
        ("title".into(), draft.title.clone()),
        ("lead".into(), draft.lead.clone()),
        ("body".into(), draft.paragraphs.join("\n\n")),
        ("byline".into(), draft.byline.clone().unwrap_or_default()),
        ("source".into(), draft.source.clone().unwrap_or_default()),
        ("category".into(), draft.category.clone().unwrap_or_default()),
    ];
    for (i, p) in draft.photos.iter().enumerate() {
        fields.push(("caption".into(), p.caption.clone()));
        if p.included {
            fields.push(("included".into(), i.to_string()));
        }
    }
    for (name, value) in changes {
        if let Some(field) = fields.iter_mut().find(|(k, _)| k == name) {
            field.1 = (*value).to_owned();
        }
    }
    fields
}

pub(crate) async fn post(user: &TestUser, path: &str, fields: &[(String, String)]) -> reqwest::Response {
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    user.post(path, &borrowed).await
}

async fn version_field(app: &TestApp, mission: i64) -> Vec<(String, String)> {
    let version = reports::find(&app.test_db.db, mission).await.expect("reads").map_or(0, |r| r.version);
    vec![("version".into(), version.to_string())]
}

pub(crate) async fn step(
    app: &TestApp,
    user: &TestUser,
    mission: i64,
    name: &str,
    extra: &[(&str, &str)],
) -> reqwest::Response {
    let mut fields = version_field(app, mission).await;
    fields.extend(extra.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
    post(user, &format!("/missions/{mission}/report/{name}"), &fields).await
}

async fn body(response: reqwest::Response) -> String {
    response.text().await.expect("body")
}

#[tokio::test]
async fn a_writer_publishes_the_demo_missions_article_after_the_leaders_approval() {
    let app = spawn_app().await;
    let id = app.insert_json(&concluded_seed()).await;
    let org = app.owner_of(id).await;
    let writer = app.user(Role::Writer, Some(org), None).await;
    let leader = app.user(Role::TeamLeader, Some(org), Some((id, Capacity::Leader))).await;

    // Nothing drafted yet: the page shows what the data gives; the portal knows nothing.
    let page = body(writer.get(&format!("/missions/{id}/report")).await).await;
    assert!(page.contains("Chưa có bản nháp"), "{page}");
    assert!(page.contains("Đoàn Giám sát số 5"));
    assert_eq!(app.get("/tin-tuc").await.status(), 200);
    assert!(!body(app.get("/tin-tuc").await).await.contains("Đoàn Giám sát số 5"));

    // A bad edit is refused next to its field, the typed text kept, nothing saved.
    let typed_lead = "Đoạn mở đầu người viết vừa gõ";
    let bad = editor_form(&app, id, &[("title", "   "), ("lead", typed_lead)]).await;
    let refused = post(&writer, &format!("/missions/{id}/report"), &bad).await;
    assert_eq!(refused.status(), 422);
    let refused = body(refused).await;
    assert!(refused.contains("Bài viết cần có tiêu đề."), "{refused}");
    assert!(refused.contains(typed_lead), "the input is kept");
    assert!(reports::find(&app.test_db.db, id).await.expect("reads").is_none(), "nothing saved");

    // The writer edits the title and saves the draft.
    let title = "Đoàn Giám sát số 5 của Quận ủy giám sát công tác bầu cử tại 3 phường";
    let saved =
        post(&writer, &format!("/missions/{id}/report"), &editor_form(&app, id, &[("title", title)]).await).await;
    assert_eq!(saved.status(), 303);
    assert_eq!(reports::find(&app.test_db.db, id).await.expect("reads").expect("a draft").draft.title, title);

    // Asked for approval; the writer may not approve their own article; the leader sends it back with a reason.
    assert_eq!(step(&app, &writer, id, "request", &[]).await.status(), 303);
    assert_eq!(step(&app, &writer, id, "approve", &[]).await.status(), 403);
    let locked = post(&writer, &format!("/missions/{id}/report"), &editor_form(&app, id, &[]).await).await;
    assert_eq!(locked.status(), 422, "no edits while the leader reads it");
    assert!(body(locked).await.contains("Rút lại"));
    let no_reason = step(&app, &leader, id, "send-back", &[("comment", " ")]).await;
    assert_eq!(no_reason.status(), 422);
    assert!(body(no_reason).await.contains("Hãy ghi lý do trả lại"));
    let reason = "Bổ sung tên phường trong tiêu đề";
    assert_eq!(step(&app, &leader, id, "send-back", &[("comment", reason)]).await.status(), 303);
    let page = body(writer.get(&format!("/missions/{id}/report")).await).await;
    assert!(page.contains(reason) && page.contains("Bản nháp"));

    // Asked again, approved, published.
    assert_eq!(step(&app, &writer, id, "request", &[]).await.status(), 303);
    assert_eq!(step(&app, &leader, id, "approve", &[]).await.status(), 303);
    assert_eq!(step(&app, &leader, id, "publish", &[]).await.status(), 403, "publishing is the writer's");
    assert_eq!(step(&app, &writer, id, "publish", &[]).await.status(), 303);
    let report = reports::find(&app.test_db.db, id).await.expect("reads").expect("the report");
    let slug = report.slug.clone().expect("a slug at publication");
    assert_eq!(slug, "doan-giam-sat-so-5-cua-quan-uy-giam-sat-cong-tac-bau-cu-tai-3-phuong");

    // The portal: the list, the category, the article page as portals show it.
    let list = body(app.get("/tin-tuc").await).await;
    assert!(list.contains(title) && list.contains(&format!("/tin-tuc/{slug}")));
    let category = body(app.get("/tin-tuc/chuyen-muc/thong-tin-hoat-dong-hdnd").await).await;
    assert!(category.contains(title), "{category}");
    let article = app
        .client
        .get(app.url(&format!("/tin-tuc/{slug}")))
        .header("user-agent", "reader-1")
        .send()
        .await
        .expect("reaches");
    assert_eq!(article.status(), 200);
    let article = body(article).await;
    let meta = regex_like_meta(&article).expect("the date line");
    assert!(meta.ends_with("Lượt xem: 1"), "{meta}");
    for expected in [
        title,
        "Tin: Trần Quỳnh",
        "(Ban Tuyên giáo Quận ủy)",
        "og:title",
        "og:description",
        "Thực hiện Quyết định số 109-QĐ/QU",
    ] {
        assert!(article.contains(expected), "the article page shows {expected}");
    }
    assert!(!article.contains("null") && !article.contains("{{"), "no placeholders");

    // Views: a reader reloading counts once; another reader counts; nothing is written until the batch.
    for agent in ["reader-1", "reader-1", "reader-2"] {
        app.client.get(app.url(&format!("/tin-tuc/{slug}"))).header("user-agent", agent).send().await.expect("reaches");
    }
    assert_eq!(reports::views(&app.test_db.db, report.id).await.expect("reads"), 0, "no write on the request path");
    app.state.views.flush(&app.test_db.db).await.expect("flushed");
    assert_eq!(reports::views(&app.test_db.db, report.id).await.expect("reads"), 2);
    let after = app.client.get(app.url(&format!("/tin-tuc/{slug}"))).header("user-agent", "reader-3").send().await;
    let after = body(after.expect("reaches")).await;
    let meta = regex_like_meta(&after).expect("the date line");
    assert!(meta.ends_with("Lượt xem: 3"), "the flushed views stay counted, with the new reader's: {meta}");

    // A published version: byte for byte the same on every request, a strong ETag, 304 on revalidation.
    let path = format!("/tin-tuc/{slug}/ban/1");
    let first = app.get(&path).await;
    assert_eq!(first.status(), 200);
    let etag = first.headers()["etag"].to_str().expect("ASCII").to_owned();
    assert_eq!(etag, format!("\"{}\"", published_hash(&app, id, 1).await));
    assert!(first.headers()["cache-control"].to_str().expect("ASCII").contains("immutable"));
    let first = first.bytes().await.expect("body");
    let again = app.client.get(app.url(&path)).header("if-none-match", &etag).send().await.expect("reaches");
    assert_eq!(again.status(), 304);
    assert!(again.bytes().await.expect("body").is_empty());

    // Editing the mission afterwards changes no published version; regenerating shows what changed and keeps
    // the writer's title.
    let admin = app.user(Role::Admin, None, None).await;
    let version = giamsat_store::missions::load(&app.test_db.db, id).await.expect("loads").version.to_string();
    let added = admin
        .post(
            &format!("/missions/{id}/items/findings"),
            &[
                ("kind", "strength"),
                ("text", "các phường đã niêm yết danh sách cử tri đúng thời hạn"),
                ("version", &version),
            ],
        )
        .await;
    assert_eq!(added.status(), 303);
    assert_eq!(app.get(&path).await.bytes().await.expect("body"), first, "the published version is unchanged");
    let regenerated = post(&writer, &format!("/missions/{id}/report/regenerate"), &version_field(&app, id).await).await;
    assert_eq!(regenerated.status(), 200);
    let regenerated = body(regenerated).await;
    assert!(regenerated.contains("Thay đổi từ dữ liệu"));
    assert!(regenerated.contains("niêm yết danh sách cử tri"), "the change is shown");
    let draft = reports::find(&app.test_db.db, id).await.expect("reads").expect("the report").draft;
    assert_eq!(draft.title, title, "the writer's title is kept");
    assert!(
        draft.paragraphs.iter().any(|p| p.contains("niêm yết danh sách cử tri")),
        "untouched parts follow the data"
    );

    // A correction must say what it corrects; it becomes version 2; version 1 is served unchanged.
    assert_eq!(step(&app, &writer, id, "request", &[]).await.status(), 303);
    assert_eq!(step(&app, &admin, id, "approve", &[]).await.status(), 303);
    let unexplained = step(&app, &writer, id, "publish", &[]).await;
    assert_eq!(unexplained.status(), 422);
    assert!(body(unexplained).await.contains("bản đính chính này sửa nội dung gì"));
    let note = "Bổ sung kết quả niêm yết danh sách cử tri";
    assert_eq!(step(&app, &writer, id, "publish", &[("corrects", note)]).await.status(), 303);
    let latest = body(app.get(&format!("/tin-tuc/{slug}")).await).await;
    assert!(latest.contains(note) && latest.contains(&format!("/tin-tuc/{slug}/ban/1")));
    assert_eq!(app.get(&path).await.bytes().await.expect("body"), first);
    assert_eq!(app.get(&format!("/tin-tuc/{slug}/ban/2")).await.status(), 200);
    assert_eq!(app.get(&format!("/tin-tuc/{slug}/ban/3")).await.status(), 404);

    // The feed lists it; a client that has it gets 304.
    let feed = app.get("/feed.atom").await;
    assert!(feed.headers()["content-type"].to_str().expect("ASCII").starts_with("application/atom+xml"));
    let feed_tag = feed.headers()["etag"].to_str().expect("ASCII").to_owned();
    let feed = body(feed).await;
    assert!(feed.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\"") && feed.contains(title));
    assert!(feed.contains(&format!("{}/tin-tuc/{slug}", app.base)));
    let again = app.client.get(app.url("/feed.atom")).header("if-none-match", &feed_tag).send().await.expect("reaches");
    assert_eq!(again.status(), 304);

    // The portal's kept pages go out gzipped (compressed once, when kept) to clients that ask: the same pages.
    for path in [format!("/tin-tuc/{slug}"), path.clone(), "/tin-tuc".to_owned(), "/feed.atom".to_owned()] {
        let ask = |gzip: bool| {
            let request = app.client.get(app.url(&path)).header("user-agent", "reader-3");
            if gzip { request.header("accept-encoding", "gzip") } else { request }
        };
        let plain = ask(false).send().await.expect("reaches");
        assert!(plain.headers().get("content-encoding").is_none(), "{path}");
        let plain = plain.bytes().await.expect("body");
        let gzipped = ask(true).send().await.expect("reaches");
        assert_eq!(gzipped.headers().get("content-encoding").map(|v| v.as_bytes()), Some(&b"gzip"[..]), "{path}");
        let mut unpacked = Vec::new();
        let packed = gzipped.bytes().await.expect("body");
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&packed[..]), &mut unpacked).expect("gzip");
        assert_eq!(unpacked, plain, "{path}");
    }

    // Every step is in the audit trail; the versions table refuses changes.
    let audited = audit_events::Entity::find()
        .filter(audit_events::Column::MissionId.eq(id))
        .filter(audit_events::Column::Entity.eq("report"))
        .count(&app.test_db.db)
        .await
        .expect("counts");
    assert_eq!(audited, 10, "one audit row per step taken, none for refused ones");
    let tampered = app.test_db.db.execute_unprepared("UPDATE report_versions SET title = 'sửa lén'").await;
    assert!(tampered.is_err(), "published versions are append-only");
    let deleted = app.test_db.db.execute_unprepared("DELETE FROM report_versions").await;
    assert!(deleted.is_err(), "published versions are never deleted");
    app.cleanup().await;
}

/// The portal's date line ("23/04/2021 | 08:08 | Lượt xem: 60"), if the page has one in that form.
fn regex_like_meta(page: &str) -> Option<String> {
    let start = page.find("<p class=\"meta\">")? + "<p class=\"meta\">".len();
    let line = page[start..].split("</p>").next()?.to_owned();
    let parts: Vec<&str> = line.split(" | ").collect();
    let [date, time, views] = parts.as_slice() else {
        return None;
    };
    let date_ok = date.len() == 10 && date.as_bytes()[2] == b'/' && date.as_bytes()[5] == b'/';
    let time_ok = time.len() == 5 && time.as_bytes()[2] == b':';
    (date_ok && time_ok && views.starts_with("Lượt xem: ")).then_some(line)
}

async fn published_hash(app: &TestApp, mission: i64, number: i32) -> String {
    report_versions::Entity::find()
        .filter(report_versions::Column::MissionId.eq(mission))
        .filter(report_versions::Column::Number.eq(number))
        .one(&app.test_db.db)
        .await
        .expect("reads")
        .expect("the version")
        .content_hash
}

#[tokio::test]
async fn an_unconcluded_missions_article_is_neither_approved_nor_on_the_portal() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let org = app.owner_of(id).await;
    let writer = app.user(Role::Writer, Some(org), None).await;
    let leader = app.user(Role::TeamLeader, Some(org), Some((id, Capacity::Leader))).await;
    assert_eq!(
        post(&writer, &format!("/missions/{id}/report/regenerate"), &version_field(&app, id).await).await.status(),
        200
    );
    assert_eq!(step(&app, &writer, id, "request", &[]).await.status(), 303);
    let refused = step(&app, &leader, id, "approve", &[]).await;
    assert_eq!(refused.status(), 422);
    assert!(body(refused).await.contains("chỉ duyệt và đăng bài khi đã có kết luận"));
    assert!(!body(app.get("/tin-tuc").await).await.contains("Đoàn Giám sát số 5"));
    assert_eq!(app.get("/feed.atom").await.status(), 200);
    app.cleanup().await;
}

#[tokio::test]
async fn render_reads_a_published_version_as_it_was() {
    let app = spawn_app().await;
    let id = app.insert_json(&concluded_seed()).await;
    let org = app.owner_of(id).await;
    let writer = app.user(Role::Writer, Some(org), None).await;
    let admin = app.user(Role::Admin, None, None).await;
    let title = "Tiêu đề của bản đã đăng";
    post(&writer, &format!("/missions/{id}/report"), &editor_form(&app, id, &[("title", title)]).await).await;
    step(&app, &writer, id, "request", &[]).await;
    step(&app, &admin, id, "approve", &[]).await;
    assert_eq!(step(&app, &writer, id, "publish", &[]).await.status(), 303);
    post(&writer, &format!("/missions/{id}/report"), &editor_form(&app, id, &[("title", "Tiêu đề nháp mới")]).await)
        .await;
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_giamsat"))
            .args(args)
            .env("DATABASE_URL", &app.test_db.url)
            .env("GIAMSAT_LOG", "error")
            .output()
            .expect("the binary runs")
    };
    let id_arg = id.to_string();
    let published = run(&["render", &id_arg, "--format", "html", "--version", "1"]);
    assert!(published.status.success(), "{}", String::from_utf8_lossy(&published.stderr));
    assert!(String::from_utf8_lossy(&published.stdout).contains(title));
    // The mission changes; the published version renders to the same bytes.
    giamsat_store::missions::transition(
        &app.test_db.db,
        id,
        giamsat_store::missions::load(&app.test_db.db, id).await.expect("loads").version,
        giamsat_domain::workflow::MissionState::FollowUp,
        &giamsat_store::audit::Actor::system(chrono::Utc::now()),
    )
    .await
    .expect("moved to follow-up");
    let again = run(&["render", &id_arg, "--format", "html", "--version", "1"]);
    assert_eq!(again.stdout, published.stdout, "a published version renders byte for byte the same");
    let text = run(&["render", &id_arg, "--format", "txt", "--version", "1"]);
    assert!(String::from_utf8_lossy(&text.stdout).starts_with(title));
    let latest = run(&["render", &id_arg, "--format", "txt"]);
    assert!(String::from_utf8_lossy(&latest.stdout).starts_with("Tiêu đề nháp mới"), "without --version: the draft");
    let missing = run(&["render", &id_arg, "--format", "txt", "--version", "7"]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("không có bản đã đăng số 7"));
    app.cleanup().await;
}

#[tokio::test]
async fn the_preview_shows_the_photos_in_place_and_in_the_order_the_portal_will_publish() {
    let app = spawn_app().await;
    let (one, two) = (format!("{}.jpeg", "a".repeat(64)), format!("{}.png", "b".repeat(64)));
    let mut v: serde_json::Value = serde_json::from_str(&concluded_seed()).expect("JSON");
    v["sessions"][0]["photos"] = serde_json::json!([
        {"caption": "Ảnh một tại phường Hàng Bạc", "file": one},
        {"caption": "Ảnh hai, chưa có tệp", "file": null},
    ]);
    v["sessions"][1]["photos"] = serde_json::json!([{"caption": "Ảnh ba tại phường Tràng Tiền", "file": two}]);
    let id = app.insert_json(&v.to_string()).await;
    let org = app.owner_of(id).await;
    let writer = app.user(Role::Writer, Some(org), None).await;

    // From the data: every photo, each image with its caption under it, in the order of the sessions.
    let preview = body(writer.get(&format!("/missions/{id}/article")).await).await;
    let at = |needle: &str| preview.find(needle).unwrap_or_else(|| panic!("{needle} missing from:\n{preview}"));
    let first_image = at(&format!("<img src=\"/missions/{id}/photos/{one}\""));
    assert!(first_image < at("<figcaption>Ảnh một tại phường Hàng Bạc</figcaption>"));
    assert!(at("Ảnh một") < at("<figcaption>Ảnh hai, chưa có tệp</figcaption>"));
    assert!(at("Ảnh hai") < at(&format!("<img src=\"/missions/{id}/photos/{two}\"")));
    assert!(at("Đoàn Giám sát số 5") < first_image, "the photos follow the text, as on the portal");

    // The writer leaves the second photo out and rewords the third: the preview shows what will be published.
    let mut fields = editor_form(&app, id, &[]).await;
    fields.retain(|(k, v)| !(k == "included" && v == "1"));
    if let Some(caption) = fields.iter_mut().filter(|(k, _)| k == "caption").nth(2) {
        caption.1 = "Ảnh ba, chú thích đã biên tập".to_owned();
    }
    assert_eq!(post(&writer, &format!("/missions/{id}/report"), &fields).await.status(), 303);
    let preview = body(writer.get(&format!("/missions/{id}/article")).await).await;
    assert!(!preview.contains("Ảnh hai"), "a photo left out is not previewed");
    assert!(preview.contains("<figcaption>Ảnh ba, chú thích đã biên tập</figcaption>"));
    assert_eq!(preview.matches("<figure>").count(), 2);
    app.cleanup().await;
}
