//! A mission goes by one name wherever it is listed: its team, decision number and year, else its supervising
//! body and the year its fieldwork starts ("Đoàn Giám sát số 5 — 109-QĐ/QU, 2021"), never an internal id.

use std::sync::PoisonError;

use chrono::Duration;
use giamsat_domain::policy::Role;
use giamsat_domain::recommendation::DueChange;
use giamsat_store::audit::Actor;
use giamsat_store::ledger;
use giamsat_web::reminders::run_once;

use crate::reminders::{decoded, instance, smtp_sink};
use crate::support::{SEED, TestApp, spawn_app};

const WITH_DECISION: &str = "Đoàn Giám sát số 5 — 109-QĐ/QU, 2021";
const WITHOUT_DECISION: &str = "Ban Thường vụ Quận ủy — 2022";

/// The seed, and a mission of the same body with neither decision nor team name, whose fieldwork starts in
/// 2022 (a session on its first day); the first recommendation of each is due in a day or two.
async fn two_missions(app: &TestApp) -> (i64, i64) {
    let named = app.insert_seed().await;
    let mut value: serde_json::Value = serde_json::from_str(SEED).expect("the seed is JSON");
    value["decision"] = serde_json::json!({ "number": null, "issued_on": null, "issuer": null, "summary": null });
    value["team"] = serde_json::json!({ "name": null, "ordinal": null });
    value["fieldwork"] = serde_json::json!({ "from": "2022-05-10", "to": "2022-05-12" });
    value["sessions"][0]["date"] = "2022-05-10".into();
    let unnamed = app.insert_json(&value.to_string()).await;
    let db = &app.test_db.db;
    let today = app.state.clock.now().with_timezone(&giamsat_domain::date::vn_offset()).date_naive();
    for (mission, days) in [(named, 1), (unnamed, 2)] {
        let rec = ledger::ids_of_mission(db, mission).await.expect("reads")[0];
        let version = ledger::item(db, rec).await.expect("reads").version;
        let change =
            DueChange { to: Some(today + Duration::days(days)), approved_by: String::new(), reason: String::new() };
        ledger::write(db, rec, version, ledger::Write::Due(change), &Actor::system(chrono::Utc::now()))
            .await
            .expect("due set");
    }
    (named, unnamed)
}

/// The text of an iCalendar feed with its folded lines joined again.
fn unfolded(ics: &str) -> String {
    ics.replace("\r\n ", "")
}

#[tokio::test]
async fn both_missions_are_named_in_the_lists_ledger_csv_calendar_search_and_email() {
    // Arrange
    let app = spawn_app().await;
    let (named, _) = two_missions(&app).await;
    let org = app.owner_of(named).await;
    let staff = app.user(Role::Staff, Some(org), None).await;

    // Act
    let list = staff.get("/missions").await.text().await.expect("body");
    let dashboard = staff.get("/").await.text().await.expect("body");
    let ledger_page = staff.get("/ledger").await.text().await.expect("body");
    let csv = staff.get("/ledger.csv").await.text().await.expect("body");
    let search = staff.get("/search?q=h%C3%A0ng+b%E1%BA%A1c").await.text().await.expect("body");
    let created = staff.post("/account/calendar", &[]).await.text().await.expect("body");
    let feed_path = created
        .split("<code>")
        .nth(1)
        .and_then(|rest| rest.split("</code>").next())
        .and_then(|url| url.find("/calendar/").map(|at| url[at..].to_owned()))
        .expect("the feed's address");
    let feed = unfolded(&app.get(&feed_path).await.text().await.expect("body"));
    let (url, received) = smtp_sink().await;
    run_once(&instance(&app, &url), app.state.clock.now(), Duration::hours(1)).await.expect("a round");
    let mails = received.lock().unwrap_or_else(PoisonError::into_inner).clone();
    let mail = decoded(mails.iter().find(|m| m.contains(&format!("To: {}", staff.email))).expect("a reminder"));

    // Assert
    for name in [WITH_DECISION, WITHOUT_DECISION] {
        assert!(list.contains(&format!(">{name}</a>")), "missions list: {name}\n{list}");
        assert!(dashboard.contains(name), "dashboard: {name}\n{dashboard}");
        assert!(ledger_page.contains(name), "ledger: {name}\n{ledger_page}");
        assert!(csv.contains(name), "CSV: {name}\n{csv}");
        assert!(search.contains(name), "search: {name}\n{search}");
        assert!(mail.contains(name), "e-mail: {name}\n{mail}");
        // iCalendar escapes the comma before the year.
        let escaped = name.replace(',', "\\,");
        assert!(
            feed.lines().any(|l| l.starts_with("SUMMARY:Hạn:") && l.contains(&escaped)),
            "calendar due dates: {name}\n{feed}"
        );
    }
    assert!(
        feed.lines().any(|l| l.starts_with("SUMMARY:Làm việc tại") && l.contains(WITHOUT_DECISION)),
        "calendar sessions: {feed}"
    );
    assert!(!list.contains(">Đoàn giám sát</a>"), "no placeholder name: {list}");
    app.cleanup().await;
}

#[tokio::test]
async fn the_ledger_filter_offers_the_visible_missions_by_name() {
    // Arrange
    let app = spawn_app().await;
    let (named, unnamed) = two_missions(&app).await;
    let staff = app.user(Role::Staff, Some(app.owner_of(named).await), None).await;

    // Act
    let all = staff.get("/ledger").await.text().await.expect("body");
    let one = staff.get(&format!("/ledger?mission={unnamed}")).await.text().await.expect("body");

    // Assert
    assert!(all.contains(&format!("<option value=\"{named}\">{WITH_DECISION}</option>")), "{all}");
    assert!(all.contains(&format!("<option value=\"{unnamed}\">{WITHOUT_DECISION}</option>")), "{all}");
    assert!(!all.contains("Mã cuộc giám sát"), "no id box: {all}");
    assert!(one.contains(&format!("<option value=\"{unnamed}\" selected>{WITHOUT_DECISION}</option>")), "{one}");
    let rows = one.split("<tbody>").nth(1).unwrap_or_default();
    assert!(rows.contains(WITHOUT_DECISION) && !rows.contains(WITH_DECISION), "only that mission's items: {rows}");
    app.cleanup().await;
}
