//! One clock: every time a change writes comes from the app's `state.clock`, never from the system clock the
//! store might read on its own, so a fixed clock fixes the ledger's event, the audit row and the mission's
//! update time alike.

use chrono::{DateTime, TimeZone, Utc};
use giamsat_domain::policy::Role;
use giamsat_store::entities::{audit_events, missions, recommendation_events};
use giamsat_store::ledger;
use giamsat_store::sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use giamsat_web::auth::session::Clock;

use crate::support::spawn_app_with;

fn fixed() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 1, 30, 15).single().expect("a valid time")
}

#[tokio::test]
async fn a_change_is_stamped_with_the_app_clock() {
    let app = spawn_app_with(|state| state.clock = Clock::from_fn(fixed)).await;
    let mission = app.insert_seed().await;
    let rec = ledger::ids_of_mission(&app.test_db.db, mission).await.expect("reads")[0];
    let staff = app.user(Role::Staff, Some(app.owner_of(mission).await), None).await;
    let version = ledger::item(&app.test_db.db, rec).await.expect("reads").version.to_string();
    let changed = staff
        .post(
            &format!("/recommendations/{rec}/status"),
            &[("to", "in_progress"), ("note", "đang triển khai"), ("version", &version)],
        )
        .await;
    assert_eq!(changed.status(), 303);

    let events = recommendation_events::Entity::find()
        .filter(recommendation_events::Column::RecommendationId.eq(rec))
        .all(&app.test_db.db)
        .await
        .expect("reads");
    let event = events.last().expect("the change is an event");
    assert_eq!(event.at, fixed(), "the ledger's event");
    let audited = audit_events::Entity::find()
        .filter(audit_events::Column::Actor.eq(format!("user:{}", staff.id)))
        .all(&app.test_db.db)
        .await
        .expect("reads");
    assert!(!audited.is_empty(), "the change is audited");
    assert!(audited.iter().all(|row| row.at == fixed()), "the audit rows: {audited:?}");

    // A mission's step stamps the mission row too (`updated_at`, through `Actor::at`).
    let stored = giamsat_store::missions::load(&app.test_db.db, mission).await.expect("loads");
    let moved = staff
        .post(
            &format!("/missions/{mission}/transition"),
            &[
                ("to", "cancelled"),
                ("version", &stored.version.to_string()),
                ("reason", "Trùng lịch với đoàn kiểm tra của Thành ủy"),
                ("confirm", "yes"),
            ],
        )
        .await;
    assert_eq!(moved.status(), 303, "{}", moved.text().await.unwrap_or_default());
    let row = missions::Entity::find_by_id(mission).one(&app.test_db.db).await.expect("reads").expect("exists");
    assert_eq!(row.updated_at, fixed(), "the mission's update time");
    app.cleanup().await;
}
