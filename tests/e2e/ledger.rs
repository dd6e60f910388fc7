//! The recommendation ledger through the pages: the supervising side assigns and dates an item, the
//! addressee's staff report progress with evidence, the supervising side confirms and closes; every change is
//! logged, dates moved back are counted, refused forms keep their input.

use giamsat_domain::codes::SupervisionSystem;
use giamsat_domain::mission::Owner;
use giamsat_domain::org::UnitKind;
use giamsat_domain::policy::Role;
use giamsat_store::entities::{audit_events, recommendation_events};
use giamsat_store::ledger;
use giamsat_store::sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::support::{TestApp, TestUser, spawn_app};

const WARD: &str = "Đảng ủy phường Hàng Bạc";

/// The seed, an organisation for the ward's Party committee and the id of the seed's fourth recommendation
/// (the first downward one).
async fn setting(app: &TestApp) -> (i64, i64, i64) {
    let mission = app.insert_seed().await;
    let ward = giamsat_store::orgs::owner_id(
        &app.test_db.db,
        &Owner {
            name: WARD.to_owned(),
            short_name: "Đảng ủy phường".to_owned(),
            place: "Hàng Bạc".to_owned(),
            parent: None,
        },
        SupervisionSystem::Party,
        chrono::Utc::now(),
    )
    .await
    .expect("organisation stored");
    let rec = ledger::ids_of_mission(&app.test_db.db, mission).await.expect("reads")[3];
    (mission, ward, rec)
}

async fn version(app: &TestApp, rec: i64) -> String {
    ledger::item(&app.test_db.db, rec).await.expect("reads").version.to_string()
}

async fn events(app: &TestApp, rec: i64) -> Vec<recommendation_events::Model> {
    recommendation_events::Entity::find()
        .filter(recommendation_events::Column::RecommendationId.eq(rec))
        .all(&app.test_db.db)
        .await
        .expect("reads")
}

async fn post(app: &TestApp, user: &TestUser, rec: i64, form: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let version = version(app, rec).await;
    let mut fields = fields.to_vec();
    fields.push(("version", &version));
    user.post(&format!("/recommendations/{rec}/{form}"), &fields).await
}

#[tokio::test]
async fn an_item_is_assigned_reported_by_its_addressee_confirmed_and_closed() {
    let app = spawn_app().await;
    let (mission, ward, rec) = setting(&app).await;
    let staff = app.user(Role::Staff, Some(app.owner_of(mission).await), None).await;
    let ward_staff = app.user(Role::Staff, Some(ward), None).await;

    // Before it is addressed to the ward, the ward's staff cannot even see it.
    assert_eq!(ward_staff.get(&format!("/recommendations/{rec}")).await.status(), 404);

    let assigned = post(
        &app,
        &staff,
        rec,
        "assign",
        &[
            ("owner", "Văn phòng Quận ủy"),
            ("addressees", &format!("{WARD}\nBan Chỉ đạo bầu cử phường Hàng Bạc")),
            ("priority", "1"),
        ],
    )
    .await;
    assert_eq!(assigned.status(), 303);
    let item = ledger::item(&app.test_db.db, rec).await.expect("reads");
    assert_eq!(item.addressed_to(), vec![ward], "the ward's Party committee is an organisation, the board is not");
    assert_eq!(post(&app, &staff, rec, "due", &[("due_on", "2021-04-30")]).await.status(), 303);

    // The addressee sees the item (not the mission), reports with evidence and marks it under way.
    let page = ward_staff.get(&format!("/recommendations/{rec}")).await.text().await.expect("body");
    assert!(page.contains("Văn phòng Quận ủy") && page.contains("30/4/2021"), "{page}");
    assert!(!page.contains("/due\""), "no due-date form for the addressee");
    assert_eq!(ward_staff.get(&format!("/missions/{mission}")).await.status(), 404);
    let version_now = version(&app, rec).await;
    let form = reqwest::multipart::Form::new()
        .text("_csrf", ward_staff.csrf.clone())
        .text("version", version_now)
        .text("note", "Đã rà soát danh sách cử tri tại 6 khu vực bỏ phiếu")
        .text("caption", "Biên bản rà soát")
        .part("photo", reqwest::multipart::Part::bytes(crate::support::jpeg_with_gps()).file_name("bien-ban.jpg"));
    let reported = ward_staff
        .client
        .post(ward_staff.url(&format!("/recommendations/{rec}/progress")))
        .multipart(form)
        .send()
        .await
        .expect("reaches");
    assert_eq!(reported.status(), 303);
    assert_eq!(
        post(&app, &ward_staff, rec, "status", &[("to", "in_progress"), ("note", "đang triển khai")]).await.status(),
        303
    );
    let closing =
        post(&app, &ward_staff, rec, "status", &[("to", "implemented"), ("note", "xong"), ("confirmed", "1")]).await;
    assert_eq!(closing.status(), 422, "only the supervising side closes");
    let page = closing.text().await.expect("body");
    assert!(page.contains("Bạn không thể chuyển sang trạng thái này.") && page.contains(">xong</textarea>"), "{page}");
    assert_eq!(post(&app, &ward_staff, rec, "due", &[("due_on", "2021-06-30")]).await.status(), 403);

    // The evidence is served to those who may see the item.
    let page = staff.get(&format!("/recommendations/{rec}")).await.text().await.expect("body");
    let at = page.find("/evidence/").expect("the evidence is shown");
    let url = format!("/recommendations/{rec}{}", page[at..].split('"').next().expect("a link"));
    let served = staff.get(&url).await.bytes().await.expect("body");
    assert!(served.starts_with(&[0xFF, 0xD8, 0xFF]), "the evidence, as a JPEG");
    let canary = crate::support::EXIF_CANARY.as_bytes();
    assert!(!served.windows(canary.len()).any(|w| w == canary), "without the phone's EXIF block");

    // The supervising side closes it only with its confirmation.
    let unconfirmed =
        post(&app, &staff, rec, "status", &[("to", "implemented"), ("note", "đã kiểm tra biên bản")]).await;
    assert_eq!(unconfirmed.status(), 422);
    let page = unconfirmed.text().await.expect("body");
    assert!(
        page.contains("confirmed-error") && page.contains("đã kiểm tra biên bản"),
        "error next to the field, input kept"
    );
    let confirmed = post(
        &app,
        &staff,
        rec,
        "status",
        &[("to", "implemented"), ("note", "đã kiểm tra biên bản"), ("confirmed", "1")],
    )
    .await;
    assert_eq!(confirmed.status(), 303);

    let item = ledger::item(&app.test_db.db, rec).await.expect("reads");
    assert_eq!(item.follow_up.status.code(), "implemented");
    let kinds: Vec<String> = events(&app, rec).await.into_iter().map(|e| e.kind).collect();
    assert_eq!(kinds, ["assignment", "due_date_change", "progress", "status_change", "status_change"]);
    let audited = audit_events::Entity::find()
        .filter(audit_events::Column::Entity.eq("recommendation"))
        .filter(audit_events::Column::EntityId.eq(rec))
        .count(&app.test_db.db)
        .await
        .expect("reads");
    assert_eq!(audited, 5, "one audit row per change");
    app.cleanup().await;
}

#[tokio::test]
async fn moving_a_due_date_needs_an_approver_and_a_reason_and_is_counted() {
    let app = spawn_app().await;
    let (mission, _, rec) = setting(&app).await;
    let staff = app.user(Role::Staff, Some(app.owner_of(mission).await), None).await;
    assert_eq!(post(&app, &staff, rec, "due", &[("due_on", "2021-04-30")]).await.status(), 303);

    let refused = post(&app, &staff, rec, "due", &[("due_on", "2021-05-15"), ("reason", "chờ hướng dẫn")]).await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.expect("body");
    assert!(
        page.contains("approved_by-error") && page.contains("chờ hướng dẫn") && page.contains("2021-05-15"),
        "{page}"
    );
    let bad_date =
        post(&app, &staff, rec, "due", &[("due_on", "31/02/2021"), ("approved_by", "A"), ("reason", "B")]).await;
    assert_eq!(bad_date.status(), 422);
    assert!(bad_date.text().await.expect("body").contains("due_on-error"));

    for (to, reason) in [("2021-05-15", "dịch bệnh"), ("2021-06-30", "chờ hướng dẫn của Thành phố")] {
        let moved = post(
            &app,
            &staff,
            rec,
            "due",
            &[("due_on", to), ("approved_by", "Thường trực Quận ủy"), ("reason", reason)],
        )
        .await;
        assert_eq!(moved.status(), 303);
    }
    let page = staff.get(&format!("/recommendations/{rec}")).await.text().await.expect("body");
    assert!(page.contains("hạn ban đầu 30/4/2021, lùi hạn 2 lần"), "{page}");
    assert!(page.contains("Đổi hạn từ 15/5/2021 sang 30/6/2021 (phê duyệt: Thường trực Quận ủy)"), "{page}");
    let mission_page = staff.get(&format!("/missions/{mission}")).await.text().await.expect("body");
    assert!(mission_page.contains("lùi hạn 2 lần") && mission_page.contains(&format!("/recommendations/{rec}\"")));

    // The log keeps every change: nothing was overwritten.
    let log: Vec<_> = events(&app, rec).await.into_iter().map(|e| (e.due_from, e.due_to, e.approved_by)).collect();
    assert_eq!(log.len(), 3);
    assert_eq!(log[0].0, None);
    assert_eq!(log[2].2.as_deref(), Some("Thường trực Quận ủy"));
    app.cleanup().await;
}

#[tokio::test]
async fn a_change_made_from_a_stale_page_is_refused_with_the_input_kept() {
    let app = spawn_app().await;
    let (mission, _, rec) = setting(&app).await;
    let staff = app.user(Role::Staff, Some(app.owner_of(mission).await), None).await;
    let stale = version(&app, rec).await;
    assert_eq!(post(&app, &staff, rec, "progress", &[("note", "họp triển khai")]).await.status(), 303);
    let response = staff
        .post(
            &format!("/recommendations/{rec}/status"),
            &[("to", "acknowledged"), ("note", "đã nhận văn bản"), ("version", &stale)],
        )
        .await;
    assert_eq!(response.status(), 409);
    assert!(response.text().await.expect("body").contains("đã nhận văn bản"));
    assert_eq!(events(&app, rec).await.len(), 1, "nothing was half-applied");
    app.cleanup().await;
}

#[tokio::test]
async fn editing_a_recommendation_of_the_mission_leaves_its_follow_up_alone() {
    let app = spawn_app().await;
    let (mission, _, rec) = setting(&app).await;
    let staff = app.user(Role::Staff, Some(app.owner_of(mission).await), None).await;
    assert_eq!(post(&app, &staff, rec, "due", &[("due_on", "2021-04-30")]).await.status(), 303);
    assert_eq!(post(&app, &staff, rec, "status", &[("to", "acknowledged"), ("note", "đã nhận")]).await.status(), 303);
    let mission_version =
        giamsat_store::missions::load(&app.test_db.db, mission).await.expect("reads").version.to_string();
    let edited = staff
        .post(
            &format!("/missions/{mission}/items/recommendations/3"),
            &[
                ("direction", "downward"),
                ("issuer", "Ban Thường vụ Quận ủy"),
                ("addressees", "Đảng ủy các phường"),
                ("text", "tiếp tục bám sát kế hoạch của Ủy ban Bầu cử quận"),
                ("version", &mission_version),
            ],
        )
        .await;
    assert_eq!(edited.status(), 303);
    let item = ledger::item(&app.test_db.db, rec).await.expect("reads");
    assert_eq!(item.follow_up.status.code(), "acknowledged");
    assert_eq!(item.follow_up.due_on, chrono::NaiveDate::from_ymd_opt(2021, 4, 30));
    app.cleanup().await;
}

fn rows_in(page: &str) -> usize {
    page.matches("<a href=\"/recommendations/").count()
}

#[tokio::test]
async fn the_ledger_lists_what_each_user_may_follow_with_filters_and_keyset_pages() {
    let app = spawn_app().await;
    let (mission, ward, rec) = setting(&app).await;
    for _ in 0..3 {
        app.insert_seed().await;
    }
    let org = app.owner_of(mission).await;
    let staff = app.user(Role::Staff, Some(org), None).await;
    let ward_staff = app.user(Role::Staff, Some(ward), None).await;
    let admin = app.user(Role::Admin, None, None).await;

    // 4 missions × 14 items: a first page of 50, then the other 6.
    let first = staff.get("/ledger").await.text().await.expect("body");
    assert_eq!(rows_in(&first), 50);
    let at = first.find("rel=\"next\" href=\"").expect("a next page") + "rel=\"next\" href=\"".len();
    let next = first[at..].split('"').next().expect("a link").replace("&amp;", "&");
    assert_eq!(rows_in(&staff.get(&next).await.text().await.expect("body")), 6);

    let upward = staff.get(&format!("/ledger?direction=upward&mission={mission}")).await.text().await.expect("body");
    assert_eq!(rows_in(&upward), 3);
    // The filter offers the missions by name, the one filtered on chosen.
    assert!(upward.contains(&format!("<option value=\"{mission}\" selected>Đoàn Giám sát số 5")), "{upward}");
    let downward =
        admin.get(&format!("/ledger?direction=downward&mission={mission}")).await.text().await.expect("body");
    assert_eq!(rows_in(&downward), 11);
    assert_eq!(
        rows_in(&staff.get("/ledger?target=hang%20bac&year=2021&direction=upward").await.text().await.expect("body")),
        12
    );
    assert_eq!(rows_in(&staff.get("/ledger?year=2020").await.text().await.expect("body")), 0);

    // The ward's staff see nothing until an item is addressed to the ward; then that item only.
    assert_eq!(rows_in(&ward_staff.get("/ledger").await.text().await.expect("body")), 0);
    post(&app, &staff, rec, "assign", &[("owner", "Văn phòng Quận ủy"), ("addressees", WARD), ("priority", "1")]).await;
    let theirs = ward_staff.get("/ledger").await.text().await.expect("body");
    assert_eq!(rows_in(&theirs), 1);
    assert!(theirs.contains(&format!("/recommendations/{rec}\"")));
    assert_eq!(rows_in(&staff.get(&format!("/ledger?addressee={WARD}")).await.text().await.expect("body")), 1);
    assert_eq!(rows_in(&staff.get("/ledger?priority=1").await.text().await.expect("body")), 1);

    let refused = staff.get("/ledger?due_from=31/02/2021&year=hai").await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.expect("body");
    assert!(page.contains("due_from-error") && page.contains("year-error") && page.contains("value=\"hai\""));
    app.cleanup().await;
}

#[tokio::test]
async fn an_item_becomes_overdue_at_midnight_in_vietnam() {
    let app = spawn_app().await;
    let (mission, _, rec) = setting(&app).await;
    // Put the app's clock at 23:58 in Hanoi (16:58 UTC) on some day D, with the item due on D.
    let now = chrono::Utc::now();
    let day = now.with_timezone(&giamsat_domain::date::vn_offset()).date_naive();
    let evening = day.and_hms_opt(16, 58, 0).expect("a time").and_utc();
    app.clock_offset.store((evening - now).num_seconds(), std::sync::atomic::Ordering::SeqCst);
    let staff = app.user(Role::Staff, Some(app.owner_of(mission).await), None).await;
    let due = day.format("%Y-%m-%d").to_string();
    assert_eq!(post(&app, &staff, rec, "due", &[("due_on", &due)]).await.status(), 303);

    assert_eq!(rows_in(&staff.get("/ledger?overdue=1").await.text().await.expect("body")), 0, "due today");
    let dashboard = staff.get("/").await.text().await.expect("body");
    let soon = dashboard.find("id=\"soon\"").expect("the due-soon section");
    assert!(dashboard[soon..].contains(&format!("/recommendations/{rec}\"")), "due within 7 days");

    app.advance_minutes(3);
    assert_eq!(rows_in(&staff.get("/ledger?overdue=1").await.text().await.expect("body")), 1, "overdue after midnight");
    let dashboard = staff.get("/").await.text().await.expect("body");
    let overdue = dashboard.find("id=\"overdue\"").expect("the overdue section");
    let soon = dashboard.find("id=\"soon\"").expect("the due-soon section");
    assert!(dashboard[overdue..soon].contains(&format!("/recommendations/{rec}\"")));
    assert!(staff.get(&format!("/recommendations/{rec}")).await.text().await.expect("body").contains("quá hạn"));
    app.cleanup().await;
}

#[tokio::test]
async fn the_csv_export_keeps_vietnamese_and_neutralises_formulas() {
    let app = spawn_app().await;
    let (mission, _, rec) = setting(&app).await;
    let staff = app.user(Role::Staff, Some(app.owner_of(mission).await), None).await;
    post(&app, &staff, rec, "assign", &[("owner", "=HYPERLINK(\"http://x\")"), ("addressees", "Đảng ủy các phường")])
        .await;
    let response = staff.get(&format!("/ledger.csv?mission={mission}")).await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().expect("ascii").starts_with("text/csv"));
    let bytes = response.bytes().await.expect("body");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "a BOM so Excel reads UTF-8");
    let text = String::from_utf8(bytes[3..].to_vec()).expect("UTF-8");
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.len(), 15, "a header and 14 items");
    assert!(lines[0].starts_with("\"Mã\",\"Cuộc giám sát\",\"Chiều\""), "no technical version column");
    assert!(text.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{text}");
    assert!(text.contains("rà soát, bảo đảm chu đáo các điều kiện về kinh phí"));
    let other = app.insert_json(&crate::support::SEED.replace("Quận ủy Hoàn Kiếm", "Quận ủy Ba Đình")).await;
    assert_ne!(app.owner_of(other).await, app.owner_of(mission).await);
    let theirs = staff.get(&format!("/ledger.csv?mission={other}")).await.text().await.expect("body");
    assert_eq!(theirs.split("\r\n").filter(|l| !l.is_empty()).count(), 1, "another organisation's items stay out");
    app.cleanup().await;
}

#[tokio::test]
async fn the_xlsx_export_reads_back_with_vietnamese_a_bold_header_and_real_dates() {
    use calamine::{Data, Reader, Xlsx};
    let app = spawn_app().await;
    let (mission, _, rec) = setting(&app).await;
    let staff = app.user(Role::Staff, Some(app.owner_of(mission).await), None).await;
    post(&app, &staff, rec, "assign", &[("owner", "=HYPERLINK(\"http://x\")"), ("addressees", WARD)]).await;
    assert_eq!(post(&app, &staff, rec, "due", &[("due_on", "2021-04-30")]).await.status(), 303);
    let response = staff.get(&format!("/ledger.xlsx?mission={mission}")).await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().expect("ascii").contains("spreadsheetml.sheet"));
    let bytes = response.bytes().await.expect("body").to_vec();
    // Every column has a width set, so nothing needs resizing by hand.
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).expect("a zip");
    let mut sheet_xml = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("xl/worksheets/sheet1.xml").expect("the sheet"), &mut sheet_xml)
        .expect("utf-8");
    let widths = sheet_xml.split("<cols>").nth(1).and_then(|c| c.split("</cols>").next()).expect("widths");
    assert!(widths.contains("<col min=\"4\" max=\"4\" width=\"60.") && widths.contains("max=\"11\""), "{widths}");
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("a workbook");
    let sheet = giamsat_domain::messages::ledger::EXPORT_SHEET;
    let range = book.worksheet_range(sheet).expect("the ledger sheet");
    let rows: Vec<&[Data]> = range.rows().collect();
    assert_eq!(rows.len(), 15, "a header and 14 items");
    let header: Vec<String> = rows[0].iter().map(ToString::to_string).collect();
    assert_eq!(header, giamsat_domain::messages::ledger::EXPORT_HEADER.map(str::to_owned));
    let styles = book.worksheet_style(sheet).expect("styles");
    let bold = |col| styles.get((0, col)).and_then(|s| s.font.as_ref()).is_some_and(calamine::Font::is_bold);
    assert!((0..11).all(bold), "the header row is bold");
    assert!(!styles.get((1, 0)).and_then(|s| s.font.as_ref()).is_some_and(calamine::Font::is_bold));
    let wraps = |col| styles.get((1, col)).and_then(|s| s.alignment.as_ref()).is_some_and(|a| a.wrap_text);
    assert!([1, 3, 4].into_iter().all(wraps), "running text wraps in its cell");
    assert!(!wraps(0), "an id does not");

    let row = rows.iter().find(|r| r[0] == Data::Float(rec as f64)).expect("the assigned item");
    assert_eq!(row[4], Data::String(WARD.to_owned()));
    assert_eq!(row[5], Data::String("=HYPERLINK(\"http://x\")".to_owned()), "a string, not a formula");
    let Data::DateTime(due) = &row[6] else { panic!("the due date is a date: {:?}", row[6]) };
    assert_eq!(due.to_ymd_hms_milli(), (2021, 4, 30, 0, 0, 0, 0));
    assert_eq!(
        row[8],
        Data::String(
            giamsat_domain::messages::labels::rec_status(
                ledger::item(&app.test_db.db, rec).await.expect("reads").follow_up.status
            )
            .to_owned()
        )
    );
    let texts: Vec<String> = rows.iter().map(|r| r[3].to_string()).collect();
    assert!(texts.iter().any(|t| t.contains("rà soát, bảo đảm chu đáo các điều kiện về kinh phí")));
    assert!(book.worksheet_formula(sheet).expect("formulas").used_cells().next().is_none(), "no formulas");
    app.cleanup().await;
}

/// The events of an iCalendar feed, each as its unfolded `NAME:value` properties.
fn parse_ics(feed: &str) -> Vec<Vec<(String, String)>> {
    assert!(feed.starts_with("BEGIN:VCALENDAR\r\n") && feed.ends_with("END:VCALENDAR\r\n"), "{feed}");
    let unfolded = feed.replace("\r\n ", "");
    let mut events = Vec::new();
    let mut current: Option<Vec<(String, String)>> = None;
    for line in unfolded.split("\r\n").filter(|l| !l.is_empty()) {
        let (name, value) = line.split_once(':').expect("every line is NAME:value");
        match (name, value) {
            ("BEGIN", "VEVENT") => current = Some(Vec::new()),
            ("END", "VEVENT") => events.push(current.take().expect("an open event")),
            _ => {
                if let Some(event) = current.as_mut() {
                    let unescaped =
                        value.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\");
                    event.push((name.to_owned(), unescaped));
                }
            }
        }
    }
    events
}

fn property<'a>(event: &'a [(String, String)], name: &str) -> Option<&'a str> {
    event.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
}

#[tokio::test]
async fn a_calendar_feed_lists_sessions_and_due_dates_until_it_is_revoked() {
    let app = spawn_app().await;
    let (mission, _, rec) = setting(&app).await;
    let mut dated: serde_json::Value = serde_json::from_str(crate::support::SEED).expect("JSON");
    dated["sessions"][0]["date"] = "2021-03-24".into();
    app.insert_json(&dated.to_string()).await;
    let staff = app.user(Role::Staff, Some(app.owner_of(mission).await), None).await;
    assert_eq!(post(&app, &staff, rec, "due", &[("due_on", "2021-04-30")]).await.status(), 303);

    let created = staff.post("/account/calendar", &[]).await.text().await.expect("body");
    let at = created.find("<code>").expect("the URL is shown") + "<code>".len();
    let url = created[at..].split('<').next().expect("a URL").to_owned();
    let path = url.strip_prefix(&app.base).expect("on this site").to_owned();
    assert!(staff.get("/account").await.text().await.expect("body").contains("Thu hồi địa chỉ lịch"));

    let response = app.get(&path).await;
    assert_eq!(response.status(), 200, "no session needed: the token is the credential");
    assert!(response.headers()["content-type"].to_str().expect("ascii").starts_with("text/calendar"));
    let events = parse_ics(&response.text().await.expect("body"));
    let due = events
        .iter()
        .find(|e| property(e, "UID") == Some(&format!("rec-{rec}@giamsat")))
        .expect("the due date is in the feed");
    assert_eq!(property(due, "DTSTART;VALUE=DATE"), Some("20210430"));
    assert_eq!(
        property(due, "SUMMARY"),
        Some(
            "Hạn: Tiếp tục bám sát kế hoạch của Ủy ban Bầu cử quận, xây dựng kế hoạch chi tiết những công việc, tiến độ thời gian từ nay đến kết thúc bầu cử (Đoàn Giám sát số 5 — 109-QĐ/QU, 2021)"
        )
    );
    let sessions: Vec<_> =
        events.iter().filter(|e| property(e, "UID").is_some_and(|u| u.starts_with("session-"))).collect();
    assert_eq!(sessions.len(), 1, "the dated working session is in the feed");
    assert_eq!(
        property(sessions[0], "SUMMARY"),
        Some("Làm việc tại phường Hàng Bạc (Đoàn Giám sát số 5 — 109-QĐ/QU, 2021)")
    );
    assert_eq!(property(sessions[0], "DTSTART;VALUE=DATE"), Some("20210324"));

    // A new feed replaces the old one; revoking ends it.
    let renewed = staff.post("/account/calendar", &[]).await.text().await.expect("body");
    assert_eq!(app.get(&path).await.status(), 404, "the old address is dead");
    let at = renewed.find("<code>").expect("the URL is shown") + "<code>".len();
    let new_path = renewed[at..].split('<').next().expect("a URL").strip_prefix(&app.base).expect("here").to_owned();
    assert_eq!(app.get(&new_path).await.status(), 200);
    assert_eq!(staff.post("/account/calendar/revoke", &[]).await.status(), 303);
    assert_eq!(app.get(&new_path).await.status(), 404);
    app.cleanup().await;
}

async fn import(user: &TestUser, csv: &str) -> reqwest::Response {
    let form = reqwest::multipart::Form::new()
        .text("_csrf", user.csrf.clone())
        .part("photo", reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("so-theo-doi.csv"));
    user.client.post(user.url("/ledger/import")).multipart(form).send().await.expect("reaches")
}

/// The CSV with `progress` written in the last cell of the rows of the given ids (as a spreadsheet would).
fn fill_progress(csv: &str, progress: &[(i64, &str)]) -> String {
    csv.split("\r\n")
        .map(|line| match progress.iter().find(|(id, _)| line.starts_with(&format!("\"{id}\","))) {
            Some((_, text)) => format!("{}\"{}\"", line.strip_suffix("\"\"").expect("an empty last cell"), text),
            None => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\r\n")
}

#[tokio::test]
async fn exported_csv_edited_and_imported_appends_progress_all_or_nothing() {
    let app = spawn_app().await;
    let (mission, _, rec) = setting(&app).await;
    let staff = app.user(Role::Staff, Some(app.owner_of(mission).await), None).await;
    let ids = ledger::ids_of_mission(&app.test_db.db, mission).await.expect("reads");
    let exported = staff.get(&format!("/ledger.csv?mission={mission}")).await.text().await.expect("body");

    // A bad row (an unknown id) refuses the whole file, reported by line and column.
    let bad = fill_progress(&exported, &[(rec, "Đã họp triển khai, phân công cụ thể"), (ids[5], "=xong")]).replacen(
        &format!("\"{}\",", ids[5]),
        "\"999999\",",
        1,
    );
    let refused = import(&staff, &bad).await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.expect("body");
    assert!(page.contains("Dòng 7, cột «Mã»: không có kiến nghị này"), "{page}");
    assert!(events(&app, rec).await.is_empty(), "nothing was half-applied");

    // The same edit without the bad row: both updates land, the neutralised formula comes back as typed.
    let good = fill_progress(&exported, &[(rec, "Đã họp triển khai, phân công cụ thể"), (ids[5], "'=xong")]);
    let imported = import(&staff, &good).await;
    assert_eq!(imported.status(), 200);
    assert!(imported.text().await.expect("body").contains("Đã ghi 2 cập nhật tiến độ."));
    let notes: Vec<String> = events(&app, rec).await.into_iter().map(|e| e.note).collect();
    assert_eq!(notes, ["Đã họp triển khai, phân công cụ thể"]);
    assert_eq!(events(&app, ids[5]).await[0].note, "=xong");

    // Importing the same file again adds nothing twice: the recorded notes are skipped, and said so.
    let again = import(&staff, &good).await;
    assert_eq!(again.status(), 200);
    assert!(again.text().await.expect("body").contains("Đã ghi 0 cập nhật tiến độ. Bỏ qua 2 dòng"));
    assert_eq!(events(&app, rec).await.len(), 1);
    app.cleanup().await;
}

/// A progress update is an addition: a file exported before a colleague changed the item still imports, and a
/// file exported before the version column was dropped (12 columns) is still read.
#[tokio::test]
async fn progress_imports_after_a_colleagues_change_and_from_files_with_the_old_version_column() {
    let app = spawn_app().await;
    let (mission, _, rec) = setting(&app).await;
    let staff = app.user(Role::Staff, Some(app.owner_of(mission).await), None).await;
    let exported = staff.get(&format!("/ledger.csv?mission={mission}")).await.text().await.expect("body");
    assert!(!exported.contains("Phiên bản"), "no technical column");
    assert_eq!(
        post(&app, &staff, rec, "status", &[("to", "acknowledged"), ("note", "đã nhận văn bản")]).await.status(),
        303
    );
    let imported = import(&staff, &fill_progress(&exported, &[(rec, "Đã họp triển khai")])).await;
    assert_eq!(imported.status(), 200);
    assert!(imported.text().await.expect("body").contains("Đã ghi 1 cập nhật tiến độ."));

    // The same rows as an older export wrote them: the version after the id, whatever its value.
    let old = exported
        .split("\r\n")
        .map(|line| match line.split_once(',') {
            Some((first, rest)) if first == "\u{feff}\"Mã\"" || first == "\"Mã\"" => {
                format!("{first},\"Phiên bản\",{rest}")
            }
            Some((first, rest)) => format!("{first},\"1\",{rest}"),
            None => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\r\n");
    let imported = import(&staff, &fill_progress(&old, &[(rec, "Đã phân công cán bộ theo dõi")])).await;
    let page = imported.text().await.expect("body");
    assert!(page.contains("Đã ghi 1 cập nhật tiến độ."), "{page}");
    let notes: Vec<String> = events(&app, rec).await.into_iter().map(|e| e.note).collect();
    assert!(notes.ends_with(&["Đã họp triển khai".to_owned(), "Đã phân công cán bộ theo dõi".to_owned()]), "{notes:?}");
    app.cleanup().await;
}

#[tokio::test]
async fn progress_charts_are_svg_drawn_on_the_server_per_mission_and_per_unit() {
    let app = spawn_app().await;
    let (mission, _, rec) = setting(&app).await;
    let staff = app.user(Role::Staff, Some(app.owner_of(mission).await), None).await;
    assert_eq!(
        post(&app, &staff, rec, "status", &[("to", "superseded"), ("note", "đã bầu cử xong")]).await.status(),
        303
    );
    let page = staff.get("/ledger/charts").await.text().await.expect("body");
    assert_eq!(page.matches("<svg").count(), 2);
    assert!(!page.contains("<script"));
    // The seed's 14 items: one settled, 13 open, none dated; each of its three wards carries all 14.
    assert!(page.contains(">Đoàn Giám sát số 5 — 109-QĐ/QU, 2021</tspan>") && page.contains(">1/13/0<"), "{page}");
    assert!(page.contains(">phường Hàng Bạc</tspan>") && page.matches(">1/13/0<").count() == 4, "{page}");
    app.cleanup().await;
}

/// The seed as another mission: its team, fieldwork and decision dates moved to `year`, its targets renamed
/// (`renames`: old name → new name), owned by `owner` when given.
fn seed_as(team: &str, year: i32, renames: &[(&str, &str)], owner: Option<&str>) -> String {
    fn rename(value: &mut serde_json::Value, renames: &[(&str, &str)]) {
        match value {
            serde_json::Value::String(s) => {
                if let Some((_, new)) = renames.iter().find(|(old, _)| old == s) {
                    *s = (*new).to_owned();
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(|v| rename(v, renames)),
            serde_json::Value::Object(fields) => fields.values_mut().for_each(|v| rename(v, renames)),
            _ => {}
        }
    }
    let mut seed: serde_json::Value = serde_json::from_str(crate::support::SEED).expect("the seed is JSON");
    seed["team"]["name"] = team.into();
    seed["fieldwork"] = serde_json::json!({"from": format!("{year}-05-10"), "to": format!("{year}-05-12")});
    seed["decision"]["issued_on"] = format!("{year}-05-01").into();
    for key in ["targets", "sessions", "findings", "recommendations"] {
        rename(&mut seed[key], renames);
    }
    if let Some(owner) = owner {
        seed["owner"]["name"] = owner.into();
        seed["owner"]["place"] = "Ba Đình".into();
    }
    seed.as_object_mut().expect("an object").remove("publication");
    seed.to_string()
}

async fn link(app: &TestApp, user: &TestUser, rec: i64, fields: &[(&str, &str)]) -> (u16, String) {
    let response = post(app, user, rec, "link", fields).await;
    (response.status().as_u16(), response.text().await.expect("body"))
}

#[tokio::test]
async fn repeated_item_links_are_checked_shown_both_ways_and_never_leak() {
    let app = spawn_app().await;
    giamsat_store::synthetic::load_demo_units(&app.test_db.db).await.expect("reference data");
    let (first, ward, earlier) = setting(&app).await;
    let again = app.insert_json(&seed_as("Đoàn Giám sát số 7", 2023, &[], None)).await;
    let elsewhere = app
        .insert_json(&seed_as(
            "Đoàn Giám sát số 2",
            2019,
            &[("Hàng Bạc", "Phúc Tân"), ("Đồng Xuân", "Hàng Mã"), ("Tràng Tiền", "Chương Dương")],
            None,
        ))
        .await;
    let db = &app.test_db.db;
    let later = ledger::ids_of_mission(db, again).await.expect("reads")[3];
    let sibling = ledger::ids_of_mission(db, again).await.expect("reads")[4];
    let other_unit = ledger::ids_of_mission(db, elsewhere).await.expect("reads")[3];
    let staff = app.user(Role::Staff, Some(app.owner_of(first).await), None).await;

    // The page offers the earlier mission's items of the same wards, not its own mission's nor another ward's.
    let page = staff.get(&format!("/recommendations/{later}")).await.text().await.expect("body");
    assert!(page.contains(&format!("<option value=\"{earlier}\">")), "{page}");
    assert!(page.contains("Đoàn Giám sát số 5 — 109-QĐ/QU, 2021"), "{page}");
    assert!(
        !page.contains(&format!("<option value=\"{sibling}\">"))
            && !page.contains(&format!("<option value=\"{other_unit}\">"))
    );

    // The earlier item's page suggests the later mission of the same wards as its re-supervision.
    let page = staff.get(&format!("/recommendations/{earlier}")).await.text().await.expect("body");
    assert!(
        page.contains(&format!("<option value=\"{again}\">Đoàn Giám sát số 7 — 109-QĐ/QU, 2023</option>")),
        "{page}"
    );
    assert!(!page.contains(&format!("<option value=\"{elsewhere}\">")), "another ward's, earlier mission");

    // Every refusal comes back next to the field with the choice kept.
    for (rec, repeats, error) in [
        (later, later, "Một kiến nghị không thể lặp lại chính nó."),
        (later, sibling, "thuộc cùng cuộc giám sát"),
        (earlier, later, "thuộc một cuộc giám sát sau cuộc giám sát này"),
        (later, other_unit, "thuộc một đơn vị được giám sát khác"),
        (later, i64::MAX, "Không có kiến nghị này"),
    ] {
        let (status, page) = link(&app, &staff, rec, &[("link", "repeats"), ("repeats", &repeats.to_string())]).await;
        assert_eq!(status, 422, "{repeats}: {page}");
        assert!(page.contains("repeats-error") && page.contains(error), "{repeats}: {page}");
    }
    let (status, _) = link(&app, &staff, later, &[("link", "repeats"), ("repeats", &earlier.to_string())]).await;
    assert_eq!(status, 303);
    let (status, page) = link(&app, &staff, later, &[("link", "repeats"), ("repeats", &earlier.to_string())]).await;
    assert!(status == 422 && page.contains("Liên kết này đã được ghi."), "{page}");
    // A loop is refused even where dates would not show it: the earlier item cannot repeat the later one.
    let (status, page) = link(&app, &staff, earlier, &[("link", "repeats"), ("repeats", &later.to_string())]).await;
    assert!(status == 422 && page.contains("repeats-error"), "{page}");

    // The re-supervision: another, later mission the user may see.
    let resupervised = |mission: i64| [("link", "resupervised_by".to_owned()), ("mission", mission.to_string())];
    for (mission, error) in [
        (first, "Đây là chính cuộc giám sát đã đưa ra kiến nghị."),
        (elsewhere, "phải diễn ra sau"),
        (i64::MAX, "Không có cuộc giám sát này"),
    ] {
        let fields = resupervised(mission);
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (status, page) = link(&app, &staff, earlier, &fields).await;
        assert!(status == 422 && page.contains("mission-error") && page.contains(error), "{mission}: {page}");
        assert!(page.contains(&format!("value=\"{mission}\"")), "the input is kept");
    }
    let (status, page) = link(&app, &staff, earlier, &[("link", "resupervised_by"), ("mission", "mười")]).await;
    assert!(status == 422 && page.contains("mission-error") && page.contains("value=\"mười\""), "{page}");
    let fields = resupervised(again);
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(link(&app, &staff, earlier, &fields).await.0, 303);
    let page = staff.get(&format!("/missions/{again}")).await.text().await.expect("body");
    assert!(
        page.contains("Kiểm tra lại kiến nghị, đề nghị của các cuộc giám sát trước")
            && page.contains(&format!("href=\"/recommendations/{earlier}\""))
            && page.contains("Đoàn Giám sát số 5 — 109-QĐ/QU, 2021"),
        "the re-supervising mission lists what it checked: {page}"
    );

    // Both pages show the links, the history records them, the audit trail too.
    let page = staff.get(&format!("/recommendations/{later}")).await.text().await.expect("body");
    assert!(page.contains("Lặp lại từ") && page.contains(&format!("href=\"/recommendations/{earlier}\"")), "{page}");
    assert!(page.contains(&format!("Ghi liên kết: lặp lại kiến nghị số {earlier}")), "{page}");
    let page = staff.get(&format!("/recommendations/{earlier}")).await.text().await.expect("body");
    assert!(page.contains("Được nhắc lại ở") && page.contains(&format!("href=\"/recommendations/{later}\"")), "{page}");
    assert!(page.contains("Được kiểm tra lại bởi") && page.contains(&format!("href=\"/missions/{again}\"")), "{page}");
    assert!(page.contains("Đoàn Giám sát số 7 — 109-QĐ/QU, 2023"), "{page}");
    let links = audit_events::Entity::find()
        .filter(audit_events::Column::Action.eq("recommendation.link"))
        .count(db)
        .await
        .expect("reads");
    assert_eq!(links, 2);

    // The mission pages mark the items.
    let page = staff.get(&format!("/missions/{again}")).await.text().await.expect("body");
    assert_eq!(page.matches("lặp lại kiến nghị của cuộc giám sát trước").count(), 1, "{page}");
    let page = staff.get(&format!("/missions/{first}")).await.text().await.expect("body");
    assert_eq!(page.matches("đã được giám sát lại").count(), 1, "{page}");

    // The ward's staff see the earlier item once it is addressed to them, but not what they may not see.
    let ward_staff = app.user(Role::Staff, Some(ward), None).await;
    post(&app, &staff, earlier, "assign", &[("owner", ""), ("addressees", WARD)]).await;
    let page = ward_staff.get(&format!("/recommendations/{earlier}")).await.text().await.expect("body");
    assert!(!page.contains(&format!("/recommendations/{later}")) && !page.contains(&format!("/missions/{again}")));
    assert!(!page.contains("Được nhắc lại ở") && !page.contains("Được kiểm tra lại bởi"), "{page}");
    // Nor may they link: that is the supervising side's.
    assert_eq!(link(&app, &ward_staff, earlier, &[("link", "repeats"), ("repeats", "1")]).await.0, 403);
    app.cleanup().await;
}

#[tokio::test]
async fn a_unit_and_an_addressee_have_their_ledger_with_a_summary_restricted_to_what_one_may_see() {
    let app = spawn_app().await;
    giamsat_store::synthetic::load_demo_units(&app.test_db.db).await.expect("reference data");
    let (first, ward, earlier) = setting(&app).await;
    let again = app.insert_json(&seed_as("Đoàn Giám sát số 7", 2023, &[], None)).await;
    let theirs = app.insert_json(&seed_as("Đoàn Giám sát số 1", 2022, &[], Some("Quận ủy Ba Đình"))).await;
    let db = &app.test_db.db;
    let day = chrono::NaiveDate::from_ymd_opt(2021, 3, 23).expect("valid");
    let hang_bac = giamsat_store::units::on(db, "Hàng Bạc", giamsat_domain::org::UnitKind::Ward, day)
        .await
        .expect("reads")
        .expect("the demo ward")
        .id;
    let staff = app.user(Role::Staff, Some(app.owner_of(first).await), None).await;
    let other_staff = app.user(Role::Staff, Some(app.owner_of(theirs).await), None).await;
    let later = ledger::ids_of_mission(db, again).await.expect("reads")[3];
    assert_eq!(link(&app, &staff, later, &[("link", "repeats"), ("repeats", &earlier.to_string())]).await.0, 303);
    assert_eq!(
        post(&app, &staff, later, "status", &[("to", "superseded"), ("note", "đã thay bằng kết luận mới")])
            .await
            .status(),
        303
    );

    let page = staff.get(&format!("/ledger/units/{hang_bac}")).await.text().await.expect("body");
    assert!(
        page.contains("Phường Hàng Bạc: 27 kiến nghị, đề nghị đang theo dõi từ 2 cuộc giám sát.")
            && page.contains("<h1>Phường Hàng Bạc</h1>")
            && page.contains("<svg"),
        "{page}"
    );
    assert_eq!(rows_in(&page), 28, "the list shows settled items too");
    let other = other_staff.get(&format!("/ledger/units/{hang_bac}")).await.text().await.expect("body");
    assert!(other.contains("Phường Hàng Bạc: 14 kiến nghị, đề nghị đang theo dõi từ một cuộc giám sát."), "{other}");
    assert_eq!(rows_in(&other), 14);
    assert!(!other.contains(&format!("/recommendations/{earlier}\"")), "nothing of a mission they may not see");
    // The list's filters and pages work under the unit's path.
    let upward = staff.get(&format!("/ledger/units/{hang_bac}?direction=upward")).await.text().await.expect("body");
    assert_eq!(rows_in(&upward), 6);
    assert!(upward.contains(&format!("action=\"/ledger/units/{hang_bac}\"")));
    assert_eq!(staff.get("/ledger/units/999999").await.status(), 404);
    assert_eq!(staff.get("/ledger/addressees/999999").await.status(), 404);
    let refused = staff.get("/ledger?unit=hai").await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.expect("body").contains("unit-error"));
    let filtered = staff.get(&format!("/ledger?unit={hang_bac}&direction=upward")).await.text().await.expect("body");
    assert_eq!(rows_in(&filtered), 6, "the unit is a filter of the ledger too");

    // A settled item that repeats an earlier one is not counted (above); an open one is.
    let sibling = ledger::ids_of_mission(db, again).await.expect("reads")[4];
    assert_eq!(link(&app, &staff, sibling, &[("link", "repeats"), ("repeats", &earlier.to_string())]).await.0, 303);
    let page = staff.get(&format!("/ledger/units/{hang_bac}")).await.text().await.expect("body");
    assert!(
        page.contains("27 kiến nghị, đề nghị đang theo dõi từ 2 cuộc giám sát, 1 lặp lại kiến nghị trước."),
        "{page}"
    );

    // An addressee's ledger: the items addressed to it, for whoever may see them.
    post(&app, &staff, earlier, "assign", &[("owner", ""), ("addressees", WARD)]).await;
    let page = staff.get(&format!("/ledger/addressees/{ward}")).await.text().await.expect("body");
    assert!(page.contains(&format!("{WARD}: một kiến nghị, đề nghị đang theo dõi, từ một cuộc giám sát.")), "{page}");
    assert_eq!(rows_in(&page), 1);
    let ward_staff = app.user(Role::Staff, Some(ward), None).await;
    assert_eq!(rows_in(&ward_staff.get(&format!("/ledger/addressees/{ward}")).await.text().await.expect("body")), 1);
    let other = other_staff.get(&format!("/ledger/addressees/{ward}")).await.text().await.expect("body");
    assert!(other.contains(&format!("{WARD}: không có kiến nghị, đề nghị nào đang theo dõi.")), "{other}");
    assert_eq!(rows_in(&other), 0);

    // The ledger's rows, the recommendation page and the mission page lead to them.
    let list = staff.get(&format!("/ledger?mission={first}")).await.text().await.expect("body");
    assert!(list.contains(&format!("href=\"/ledger/units/{hang_bac}\"")));
    assert!(list.contains(&format!("href=\"/ledger/addressees/{ward}\"")));
    let page = staff.get(&format!("/recommendations/{earlier}")).await.text().await.expect("body");
    assert!(page.contains(&format!("href=\"/ledger/units/{hang_bac}\"")));
    assert!(page.contains(&format!("href=\"/ledger/addressees/{ward}\"")));
    let page = staff.get(&format!("/missions/{first}")).await.text().await.expect("body");
    assert!(page.contains(&format!("href=\"/ledger/units/{hang_bac}\"")));
    assert!(page.contains(&format!("href=\"/ledger/addressees/{ward}\"")));
    app.cleanup().await;
}

#[tokio::test]
async fn the_owner_account_is_chosen_from_the_addressees_and_the_supervising_organisation() {
    let app = spawn_app().await;
    let (mission, ward, rec) = setting(&app).await;
    let staff = app.user(Role::Staff, Some(app.owner_of(mission).await), None).await;
    let (ward_user, _) = app.account(Role::Staff, Some(ward)).await;
    let (stranger, _) = app.account(Role::Staff, None).await;
    assert_eq!(post(&app, &staff, rec, "assign", &[("owner", ""), ("addressees", WARD)]).await.status(), 303);
    let page = staff.get(&format!("/recommendations/{rec}")).await.text().await.expect("body");
    assert!(page.contains(&format!("<option value=\"{ward_user}\">")), "{page}");
    assert!(!page.contains(&format!("<option value=\"{stranger}\">")));

    let refused = post(
        &app,
        &staff,
        rec,
        "assign",
        &[("owner", "Văn phòng"), ("owner_user", &stranger.to_string()), ("addressees", WARD)],
    )
    .await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.expect("body");
    assert!(page.contains("owner_user-error") && page.contains("value=\"Văn phòng\""), "{page}");
    let chosen = post(
        &app,
        &staff,
        rec,
        "assign",
        &[("owner", "Văn phòng"), ("owner_user", &ward_user.to_string()), ("addressees", WARD)],
    )
    .await;
    assert_eq!(chosen.status(), 303);
    assert_eq!(ledger::item(&app.test_db.db, rec).await.expect("reads").owner_user_id, Some(ward_user));
    let page = staff.get(&format!("/recommendations/{rec}")).await.text().await.expect("body");
    assert!(page.contains("Văn phòng · tài khoản "), "{page}");
    app.cleanup().await;
}

#[tokio::test]
async fn an_item_of_a_ward_formed_in_the_2025_reform_repeats_one_of_the_wards_it_was_formed_from() {
    let app = spawn_app().await;
    giamsat_store::synthetic::load_demo_units(&app.test_db.db).await.expect("reference data");
    let (first, _, earlier) = setting(&app).await;
    // 2026: the seed's wards are gone; the merged phường Hoàn Kiếm and phường Cửa Nam are supervised instead.
    let merged = app
        .insert_json(&seed_as(
            "Đoàn Giám sát số 9",
            2026,
            &[("Hàng Bạc", "Hoàn Kiếm"), ("Đồng Xuân", "Cửa Nam"), ("Tràng Tiền", "Phúc Xá")],
            None,
        ))
        .await;
    let db = &app.test_db.db;
    let later = ledger::ids_of_mission(db, merged).await.expect("reads")[3];
    let staff = app.user(Role::Staff, Some(app.owner_of(first).await), None).await;

    let page = staff.get(&format!("/recommendations/{later}")).await.text().await.expect("body");
    assert!(page.contains(&format!("<option value=\"{earlier}\">")), "the 2021 item of Hàng Bạc is offered: {page}");
    let page = staff.get(&format!("/recommendations/{earlier}")).await.text().await.expect("body");
    assert!(page.contains(&format!("<option value=\"{merged}\">")), "the 2026 mission is offered: {page}");
    let (status, page) = link(&app, &staff, later, &[("link", "repeats"), ("repeats", &earlier.to_string())]).await;
    assert_eq!(status, 303, "{page}");

    // The lineage runs forward and backward, never sideways: Hàng Bạc became Hoàn Kiếm together with Đồng
    // Xuân, which is not thereby the same ward as Hàng Bạc.
    let (units, _) = giamsat_store::units::all(db).await.expect("reads");
    let id_of = |name: &str, kind: UnitKind| units.iter().find(|u| u.name == name && u.kind == kind).expect(name).id;
    let hang_bac = id_of("Hàng Bạc", UnitKind::Ward);
    let lineage = giamsat_store::units::lineage_of(db, &[hang_bac]).await.expect("reads");
    assert!(lineage.contains(&id_of("Hoàn Kiếm", UnitKind::Ward)));
    assert!(
        !lineage.contains(&id_of("Đồng Xuân", UnitKind::Ward)) && !lineage.contains(&id_of("Cửa Nam", UnitKind::Ward))
    );
    let back = giamsat_store::units::lineage_of(db, &[id_of("Cửa Nam", UnitKind::Ward)]).await.expect("reads");
    assert!(
        back.contains(&id_of("Tràng Tiền", UnitKind::Ward)) && !back.contains(&hang_bac),
        "split in part: {back:?}"
    );

    // One lineage rule: the merged ward's page inherits the open items of the wards it was formed from, and
    // theirs show what the merged ward was asked later; a sibling ward (Đồng Xuân) is not the same place.
    let merged_ward = id_of("Hoàn Kiếm", UnitKind::Ward);
    let page = staff.get(&format!("/ledger/units/{merged_ward}")).await.text().await.expect("body");
    assert!(page.contains("Phường Hoàn Kiếm: 28 kiến nghị, đề nghị đang theo dõi từ 2 cuộc giám sát"), "{page}");
    assert!(page.contains(&format!("/recommendations/{earlier}\"")), "the 2021 item of Hàng Bạc is listed");
    let page = staff.get(&format!("/ledger/units/{hang_bac}")).await.text().await.expect("body");
    assert!(page.contains("Phường Hàng Bạc: 28 kiến nghị, đề nghị đang theo dõi từ 2 cuộc giám sát"), "{page}");
    app.cleanup().await;
}

/// Issue 15.6: a file of 90 000 rows ran until the request's timeout, one lookup per row. Now a file over
/// `IMPORT_MAX_ROWS` is refused at once with the reason, the rows of a file at the limit are looked up in one
/// batch of queries, and the import is offered only to the roles that change follow-up.
#[tokio::test]
async fn a_ledger_import_is_capped_looked_up_in_one_batch_and_offered_only_to_staff() {
    use giamsat_web::pages::ledger::IMPORT_MAX_ROWS;
    use std::sync::atomic::Ordering;

    let app = spawn_app().await;
    let (mission, _, rec) = setting(&app).await;
    let org = app.owner_of(mission).await;
    let staff = app.user(Role::Staff, Some(org), None).await;
    let exported = staff.get(&format!("/ledger.csv?mission={mission}")).await.text().await.expect("body");
    let filled = fill_progress(&exported, &[(rec, "Đã họp triển khai")]);
    let header = filled.split("\r\n").next().expect("a header");
    let row = filled.split("\r\n").find(|l| l.starts_with(&format!("\"{rec}\","))).expect("the item's row");
    let file = |rows: usize| format!("{header}\r\n{}", vec![row; rows].join("\r\n"));

    let before = app.queries.load(Ordering::SeqCst);
    let over = import(&staff, &file(IMPORT_MAX_ROWS + 1)).await;
    assert_eq!(over.status(), 422);
    let page = over.text().await.expect("body");
    assert!(
        page.contains(&format!(
            "Tệp có {} dòng dữ liệu; mỗi lần chỉ nhập được tối đa {IMPORT_MAX_ROWS} dòng",
            IMPORT_MAX_ROWS + 1
        )),
        "{page}"
    );
    assert!(app.queries.load(Ordering::SeqCst) - before < 5, "refused before any row is looked up");

    let before = app.queries.load(Ordering::SeqCst);
    let at = import(&staff, &file(IMPORT_MAX_ROWS)).await;
    let used = app.queries.load(Ordering::SeqCst) - before;
    // The same row 2 000 times: one note, the repeats skipped.
    assert_eq!(at.status(), 200);
    assert!(
        at.text()
            .await
            .expect("body")
            .contains(&format!("Đã ghi 1 cập nhật tiến độ. Bỏ qua {} dòng", IMPORT_MAX_ROWS - 1))
    );
    assert!(used < 40, "{used} statements for {IMPORT_MAX_ROWS} rows: looked up in one batch");
    assert_eq!(events(&app, rec).await.len(), 1, "one note, not two thousand");

    assert!(staff.get("/ledger").await.text().await.expect("body").contains("href=\"/ledger/import\""));
    for role in [Role::Viewer, Role::Writer] {
        let user = app.user(role, Some(org), None).await;
        let ledger = user.get("/ledger").await.text().await.expect("body");
        assert!(!ledger.contains("href=\"/ledger/import\""), "{role:?}: not offered");
        assert_eq!(user.get("/ledger/import").await.status(), 403, "{role:?}");
        assert_eq!(import(&user, &file(1)).await.status(), 403, "{role:?}");
    }
    let leader = app.user(Role::TeamLeader, Some(org), Some((mission, giamsat_domain::policy::Capacity::Leader))).await;
    assert_eq!(import(&leader, &file(1)).await.status(), 403);
    assert_eq!(events(&app, rec).await.len(), 1, "the refused imports added nothing");
    app.cleanup().await;
}

#[tokio::test]
async fn a_refused_change_shows_every_rule_it_breaks_beside_its_field_and_changes_nothing() {
    let app = spawn_app().await;
    let (mission, _, rec) = setting(&app).await;
    let staff = app.user(Role::Staff, Some(app.owner_of(mission).await), None).await;
    let before = ledger::item(&app.test_db.db, rec).await.expect("reads");

    // The domain lists both problems of one change, not just the first.
    let refused = post(&app, &staff, rec, "status", &[("to", "implemented"), ("note", "  ")]).await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.expect("body");
    assert!(page.contains("note-error") && page.contains("to-error") && page.contains("confirmed-error"), "{page}");

    let refused = post(&app, &staff, rec, "assign", &[("owner", "Văn phòng Quận ủy"), ("addressees", " \n ")]).await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.expect("body");
    assert!(page.contains("addressees-error") && page.contains("Văn phòng Quận ủy"), "{page}");

    let after = ledger::item(&app.test_db.db, rec).await.expect("reads");
    assert_eq!(
        (after.version, after.follow_up, after.addressees.len()),
        (before.version, before.follow_up, before.addressees.len())
    );
    assert!(events(&app, rec).await.is_empty(), "no event for a refused change");
    app.cleanup().await;
}
