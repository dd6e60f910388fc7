//! The `giamsat` binary, run as a user would.

use std::process::{Command, Output};

use crate::support::{SEED, spawn_app};

fn giamsat(database_url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_giamsat"))
        .arg("--database-url")
        .arg(database_url)
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("utf-8")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("utf-8")
}

#[tokio::test]
async fn import_then_export_round_trips_the_seed_byte_for_byte() {
    let app = spawn_app().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let seed = dir.path().join("mission.json");
    std::fs::write(&seed, SEED).expect("written");

    let imported = giamsat(&app.test_db.url, &["import", seed.to_str().expect("utf-8 path")]);
    assert!(imported.status.success(), "{}", stderr(&imported));
    let id = stdout(&imported).split('\t').next().expect("an id").trim().to_owned();

    let exported = giamsat(&app.test_db.url, &["export", &id]);
    assert!(exported.status.success(), "{}", stderr(&exported));
    assert_eq!(stdout(&exported), SEED);

    let out = dir.path().join("again.json");
    let to_file = giamsat(&app.test_db.url, &["export", &id, "--out", out.to_str().expect("utf-8 path")]);
    assert!(to_file.status.success());
    let reimported = giamsat(&app.test_db.url, &["import", out.to_str().expect("utf-8 path")]);
    let id2 = stdout(&reimported).split('\t').next().expect("an id").trim().to_owned();
    assert_ne!(id, id2, "a new mission each import");
    assert_eq!(stdout(&giamsat(&app.test_db.url, &["export", &id2])), SEED);
    app.cleanup().await;
}

#[tokio::test]
async fn a_bad_file_is_refused_with_its_name_and_field_and_nothing_is_stored() {
    let app = spawn_app().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let good = dir.path().join("good.json");
    std::fs::write(&good, SEED).expect("written");
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, SEED.replace("\"to\": \"2021-03-26\"", "\"to\": \"2021-03-01\"")).expect("written");
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{ \"format\": ").expect("written");

    let output = giamsat(
        &app.test_db.url,
        &["import", good.to_str().expect("path"), bad.to_str().expect("path"), broken.to_str().expect("path")],
    );
    assert_eq!(output.status.code(), Some(1));
    let errors = stderr(&output);
    assert!(errors.contains("bad.json: fieldwork.to: "), "{errors}");
    assert!(errors.contains("broken.json: không phải JSON hợp lệ"), "{errors}");
    assert_eq!(stdout(&output).lines().count(), 1, "only the good file was stored");
    let listed = giamsat_store::missions::list(&app.test_db.db, giamsat_domain::policy::Visibility::All, None, 10)
        .await
        .expect("listed");
    assert_eq!(listed.len(), 1);
    app.cleanup().await;
}

/// Issue 15.1: a photo `file` that is no key of the file store (`../s.db`) was stored; the CLI refuses it too.
#[tokio::test]
async fn an_import_naming_a_file_outside_the_store_is_refused() {
    let app = spawn_app().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let mut value: serde_json::Value = serde_json::from_str(SEED).expect("the seed is JSON");
    value["sessions"][0]["photos"][0]["file"] = "../s.db".into();
    let file = dir.path().join("escape.json");
    std::fs::write(&file, value.to_string()).expect("written");
    let output = giamsat(&app.test_db.url, &["import", file.to_str().expect("path")]);
    assert_eq!(output.status.code(), Some(1));
    let errors = stderr(&output);
    assert!(
        errors.contains("escape.json: sessions[0].photos[0].file: không phải tên một tệp trong kho ảnh"),
        "{errors}"
    );
    let listed = giamsat_store::missions::list(&app.test_db.db, giamsat_domain::policy::Visibility::All, None, 10)
        .await
        .expect("listed");
    assert!(listed.is_empty(), "nothing stored");
    app.cleanup().await;
}

#[tokio::test]
async fn exporting_a_missing_mission_says_so() {
    let app = spawn_app().await;
    let output = giamsat(&app.test_db.url, &["export", "4242"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("không có cuộc giám sát #4242"));
    app.cleanup().await;
}

#[tokio::test]
async fn a_backup_taken_while_the_database_is_in_use_restores_with_every_row() {
    let app = spawn_app().await;
    if app.test_db.is_postgres() {
        // PostgreSQL is backed up with pg_dump; the command says so instead of copying a file.
        let output = giamsat(&app.test_db.url, &["backup", "/tmp/never-written.db"]);
        assert_eq!(output.status.code(), Some(2));
        assert!(stderr(&output).contains("pg_dump"));
        app.cleanup().await;
        return;
    }
    app.insert_seed().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let copy = dir.path().join("backup.db");
    let backup = giamsat(&app.test_db.url, &["backup", copy.to_str().expect("path")]);
    assert!(backup.status.success(), "{}", stderr(&backup));
    app.insert_seed().await;
    let restored_url = format!("sqlite://{}/restored.db?mode=rwc", dir.path().display());
    let restore = giamsat(&restored_url, &["restore", copy.to_str().expect("path")]);
    assert!(restore.status.success(), "{}", stderr(&restore));
    let exported = giamsat(&restored_url, &["export", "1"]);
    assert_eq!(stdout(&exported), SEED, "the backed-up mission is there byte for byte");
    assert_eq!(giamsat(&restored_url, &["export", "2"]).status.code(), Some(1), "the later one is not");
    let again = giamsat(&app.test_db.url, &["backup", copy.to_str().expect("path")]);
    assert_eq!(again.status.code(), Some(2), "an existing file is never overwritten");
    let garbage = dir.path().join("garbage.db");
    std::fs::write(&garbage, b"not a database").expect("written");
    let refused = giamsat(&restored_url, &["restore", garbage.to_str().expect("path")]);
    assert_eq!(refused.status.code(), Some(2));
    assert_eq!(stdout(&giamsat(&restored_url, &["export", "1"])), SEED, "a refused restore changes nothing");
    app.cleanup().await;
}

#[tokio::test]
async fn render_writes_the_article_whose_lead_is_the_published_one() {
    let app = spawn_app().await;
    let id = app.insert_seed().await.to_string();
    let text = giamsat(&app.test_db.url, &["render", &id, "--kind", "article", "--format", "txt"]);
    assert!(text.status.success(), "{}", stderr(&text));
    let published = include_str!("../fixtures/seed-article.txt");
    let lead = published.lines().find(|l| l.starts_with("Thực hiện Quyết định số 109-QĐ/QU")).expect("the lead");
    assert!(stdout(&text).contains(lead), "the generated lead is the published lead");
    let html = giamsat(&app.test_db.url, &["render", &id, "--format", "html"]);
    assert!(stdout(&html).contains("<h1>Đoàn Giám sát số 5 giám sát"));
    assert!(!stdout(&html).contains("20216"), "the seed title's typo cannot happen");
    app.cleanup().await;
}

#[tokio::test]
async fn render_writes_the_formal_report_and_refuses_a_format_its_kind_lacks() {
    let app = spawn_app().await;
    let id = app.insert_seed().await.to_string();
    let dir = tempfile::tempdir().expect("tempdir");
    let pdf = dir.path().join("report.pdf");
    let to_file = giamsat(
        &app.test_db.url,
        &["render", &id, "--kind", "formal", "--format", "pdf", "--out", pdf.to_str().expect("path")],
    );
    assert!(to_file.status.success(), "{}", stderr(&to_file));
    assert!(std::fs::read(&pdf).expect("written").starts_with(b"%PDF"));
    let docx = giamsat(&app.test_db.url, &["render", &id, "--kind", "formal", "--format", "docx"]);
    assert!(docx.status.success(), "{}", stderr(&docx));
    assert!(docx.stdout.starts_with(b"PK"));
    let html = giamsat(&app.test_db.url, &["render", &id, "--kind", "formal", "--format", "html"]);
    assert!(stdout(&html).contains("ĐẢNG CỘNG SẢN VIỆT NAM"));

    let wrong = giamsat(&app.test_db.url, &["render", &id, "--kind", "formal", "--format", "md"]);
    assert_eq!(wrong.status.code(), Some(2));
    assert!(stderr(&wrong).contains("html, pdf, docx"), "{}", stderr(&wrong));
    let wrong = giamsat(&app.test_db.url, &["render", &id, "--kind", "article", "--format", "pdf"]);
    assert_eq!(wrong.status.code(), Some(2));
    assert!(stderr(&wrong).contains("html, md, txt"), "{}", stderr(&wrong));
    let fontless = Command::new(env!("CARGO_BIN_EXE_giamsat"))
        .args(["--database-url", &app.test_db.url, "render", &id, "--kind", "formal", "--format", "pdf"])
        .env("GIAMSAT_FONT_DIR", dir.path())
        .output()
        .expect("the binary runs");
    assert_eq!(fontless.status.code(), Some(1));
    assert!(stderr(&fontless).contains("fonts-liberation2"), "{}", stderr(&fontless));
    app.cleanup().await;
}
