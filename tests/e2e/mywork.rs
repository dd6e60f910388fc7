//! "Việc của tôi": what waits for one account, on its page and the dashboard's block, and only for it; the
//! e-mail an approver gets when an article is sent for approval.

use std::sync::{Arc, PoisonError};
use std::time::Duration as Wait;

use chrono::Duration;
use giamsat_domain::policy::{Capacity, Role};
use giamsat_domain::recommendation::DueChange;
use giamsat_store::audit::Actor;
use giamsat_store::ledger;
use giamsat_web::reminders::Mailer;

use crate::reminders::{decoded, smtp_sink};
use crate::reports::{concluded_seed, editor_form, post, step};
use crate::support::{TestApp, TestUser, spawn_app, spawn_app_with};

const SEED_NAME: &str = "Đoàn Giám sát số 5 — 109-QĐ/QU, 2021";

async fn text(user: &TestUser, path: &str) -> String {
    let response = user.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    response.text().await.expect("body")
}

async fn organisation(app: &TestApp, name: &str, place: &str) -> i64 {
    giamsat_store::orgs::owner_id(
        &app.test_db.db,
        &giamsat_domain::mission::Owner {
            name: name.to_owned(),
            short_name: "Đảng ủy phường".to_owned(),
            place: place.to_owned(),
            parent: None,
        },
        giamsat_domain::codes::SupervisionSystem::Party,
        chrono::Utc::now(),
    )
    .await
    .expect("organisation stored")
}

/// The messages the sink holds once `count` have arrived (the e-mail leaves after the response).
async fn wait_for(received: &Arc<std::sync::Mutex<Vec<String>>>, count: usize) -> Vec<String> {
    for _ in 0..100 {
        let mails = received.lock().unwrap_or_else(PoisonError::into_inner).clone();
        if mails.len() >= count {
            return mails;
        }
        tokio::time::sleep(Wait::from_millis(50)).await;
    }
    received.lock().unwrap_or_else(PoisonError::into_inner).clone()
}

#[tokio::test]
async fn an_article_sent_for_approval_waits_for_its_leader_only_who_is_emailed_and_a_returned_draft_for_its_writer() {
    // Arrange: the concluded seed, its writer, its leader, a member and a leader of nothing here; mail to a sink.
    let (url, received) = smtp_sink().await;
    let app = spawn_app_with(|state| {
        state.mailer = Some(Arc::new(Mailer::new(&url, "Giám sát <giamsat@localhost>").expect("a mailer")));
    })
    .await;
    let id = app.insert_json(&concluded_seed()).await;
    let org = app.owner_of(id).await;
    let writer = app.user(Role::Writer, Some(org), None).await;
    let leader = app.user(Role::TeamLeader, Some(org), Some((id, Capacity::Leader))).await;
    let member = app.user(Role::TeamMember, Some(org), Some((id, Capacity::Member))).await;
    let stranger = app.user(Role::TeamLeader, Some(org), None).await;
    let before = text(&leader, "/my-work").await;
    assert!(before.contains("Không có việc nào đang chờ bạn."), "{before}");

    // Act: the writer drafts the article and asks for approval.
    let saved = post(&writer, &format!("/missions/{id}/report"), &editor_form(&app, id, &[]).await).await;
    assert_eq!(saved.status(), 303);
    assert_eq!(step(&app, &writer, id, "request", &[]).await.status(), 303);

    // Assert: on the leader's page and dashboard, by the mission's name, linked to the article.
    let link = format!("/missions/{id}/report");
    for path in ["/my-work", "/"] {
        let page = text(&leader, path).await;
        let block = page.split("Bài viết chờ bạn duyệt").nth(1).expect("the approvals list");
        assert!(block.contains(&link) && block.contains(SEED_NAME), "{path}: {page}");
    }
    for other in [&member, &stranger, &writer] {
        for path in ["/my-work", "/"] {
            let page = text(other, path).await;
            let approvals = page.split("Bài viết chờ bạn duyệt").nth(1).unwrap_or_default();
            assert!(!approvals.contains(&format!("href=\"{link}\"")), "{path}: {page}");
        }
    }
    let mails = wait_for(&received, 1).await;
    assert_eq!(mails.len(), 1, "the leader only: {mails:?}");
    let raw = &mails[0];
    assert!(raw.contains(&format!("To: {}", leader.email)), "{raw}");
    let mail = decoded(raw);
    assert!(mail.contains(SEED_NAME) && mail.contains(&format!("{}{link}", app.base)), "{mail}");
    assert!(mail.contains("Người dùng writer đã gửi bài viết"), "{mail}");

    // The leader sends it back: it waits for its writer, with the reason, and no longer for the leader.
    let reason = "Bổ sung tên phường trong tiêu đề";
    assert_eq!(step(&app, &leader, id, "send-back", &[("comment", reason)]).await.status(), 303);
    let writers = text(&writer, "/my-work").await;
    let block = writers.split("Bản nháp bị trả lại cho bạn").nth(1).expect("the sent-back list");
    assert!(block.contains(&link) && block.contains(reason) && block.contains(SEED_NAME), "{writers}");
    assert!(text(&leader, "/my-work").await.contains("Không có việc nào đang chờ bạn."));
    assert!(!text(&member, "/my-work").await.contains(reason), "another account's draft");
    app.cleanup().await;
}

#[tokio::test]
async fn items_assigned_to_me_addressed_to_my_organisation_or_due_this_week_are_mine_and_nobody_elses() {
    // Arrange: the seed's first item due this week and assigned to a ward's staff member, addressed to the ward.
    let app = spawn_app().await;
    let mission = app.insert_seed().await;
    let db = &app.test_db.db;
    let org = app.owner_of(mission).await;
    let ward = organisation(&app, "Đảng ủy phường Hàng Bạc", "Hàng Bạc").await;
    let other_ward = organisation(&app, "Đảng ủy phường Lý Thái Tổ", "Lý Thái Tổ").await;
    let owner = app.user(Role::Staff, Some(ward), None).await;
    let colleague = app.user(Role::Staff, Some(ward), None).await;
    let committee = app.user(Role::Staff, Some(org), None).await;
    let elsewhere = app.user(Role::Staff, Some(other_ward), None).await;
    let today = app.state.clock.now().with_timezone(&giamsat_domain::date::vn_offset()).date_naive();
    let (monday, sunday) = giamsat_domain::date::week_of(today);
    let ids = ledger::ids_of_mission(db, mission).await.expect("reads");
    let system = Actor::system(chrono::Utc::now());
    for (rec, due) in [(ids[0], sunday), (ids[1], sunday + Duration::days(1)), (ids[2], monday - Duration::days(1))] {
        let version = ledger::item(db, rec).await.expect("reads").version;
        let change = DueChange { to: Some(due), approved_by: String::new(), reason: String::new() };
        ledger::write(db, rec, version, ledger::Write::Due(change), &system).await.expect("due date set");
    }
    let version = ledger::item(db, ids[0]).await.expect("reads").version;
    let assign = ledger::Write::Assign {
        owner: Some("Văn phòng Đảng ủy phường".to_owned()),
        owner_user: Some(owner.id),
        addressees: vec!["Đảng ủy phường Hàng Bạc".to_owned()],
        priority: false,
    };
    ledger::write(db, ids[0], version, assign, &system).await.expect("assigned");
    let first = format!("/recommendations/{}\"", ids[0]);

    // Act, Assert: the owner has it assigned and due this week, named by its mission.
    let page = text(&owner, "/my-work").await;
    let (assigned, week) = page.split_once("Đến hạn trong tuần này").expect("both lists");
    assert!(assigned.contains(&first) && assigned.contains(SEED_NAME), "{page}");
    assert!(week.contains(&first) && week.contains(&giamsat_domain::date::format_short(sunday)), "{page}");
    assert!(!week.contains(&format!("/recommendations/{}\"", ids[1])), "next week is not this week: {page}");
    assert!(!week.contains(&format!("/recommendations/{}\"", ids[2])), "last week is not this week: {page}");
    // A colleague of the ward: addressed to their organisation.
    let theirs = text(&colleague, "/my-work").await;
    assert!(theirs.split_once("Đến hạn trong tuần này").expect("lists").0.contains(&first), "{theirs}");
    // The committee sees the item but it is the owner's: not in its assigned list, nor due for it.
    let committees = text(&committee, "/my-work").await;
    assert!(!committees.contains(&first), "{committees}");
    // Another organisation sees nothing of it.
    let others = text(&elsewhere, "/my-work").await;
    assert!(others.contains("Không có việc nào đang chờ bạn.") && !others.contains(&first), "{others}");
    assert!(!text(&elsewhere, "/").await.contains(&first));
    app.cleanup().await;
}
