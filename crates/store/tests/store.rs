//! Integration tests of the store against a real database: SQLite by default, PostgreSQL when
//! `GIAMSAT_TEST_DATABASE_URL` is set (see `support`). Every test gets a database of its own.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test: a panic is a failed test"
)]

mod support;

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use giamsat_domain::interchange;
use giamsat_domain::policy::Visibility;
use giamsat_domain::workflow::{MissionState, WorkflowError};
use giamsat_migration::{Migrator, MigratorTrait};
use giamsat_store::audit::Actor;
use giamsat_store::entities::{audit_events, decisions, missions as mission_rows};
use giamsat_store::{StoreError, missions};
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait, PaginatorTrait, Statement};
use serde_json::json;

use support::{SEED, audit_rows, fresh_db, postgres_requested, seed, seed_with};

/// Every table the migrations create (besides sea-orm's own `seaql_migrations`).
const TABLES: &[&str] = &[
    "users",
    "mission_assignments",
    "auth_sessions",
    "login_attempts",
    "one_time_tokens",
    "api_tokens",
    "admin_units",
    "unit_lineage",
    "organisations",
    "people",
    "position_assignments",
    "decisions",
    "missions",
    "mission_members",
    "targets",
    "sessions",
    "photos",
    "findings",
    "finding_targets",
    "recommendations",
    "recommendation_addressees",
    "recommendation_raised_by",
    "recommendation_events",
    "audit_events",
];

async fn table_exists(db: &DatabaseConnection, table: &str) -> bool {
    let backend = db.get_database_backend();
    let sql = match backend {
        DatabaseBackend::Postgres => format!(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = '{table}'"
        ),
        _ => format!("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}'"),
    };
    let row =
        db.query_one_raw(Statement::from_string(backend, sql)).await.expect("reads the catalogue").expect("one row");
    row.try_get_by_index::<i64>(0).expect("a count") == 1
}

async fn mission_row(db: &DatabaseConnection, id: i64) -> mission_rows::Model {
    mission_rows::Entity::find_by_id(id).one(db).await.expect("reads missions").expect("the mission exists")
}

/// The seed grown large: 150 targets, a session with two photos at each, 40 findings each about two targets
/// and 40 recommendations with three addressees each (every other one upward, raised by one target).
fn large_mission() -> giamsat_domain::mission::Mission {
    seed_with(|v| {
        let name = |i: usize| format!("Xã số {i}");
        v["targets"] = (1..=150).map(|i| json!({"kind": "commune", "name": name(i)})).collect();
        v["sessions"] = (1..=150)
            .map(|i| {
                json!({
                    "target": name(i),
                    "date": format!("2021-03-{}", 23 + i % 4),
                    "photos": [
                        {"caption": format!("Đoàn làm việc tại xã số {i}")},
                        {"caption": format!("Toàn cảnh buổi làm việc tại xã số {i}"), "file": format!("photos/{i}-2.jpg")}
                    ]
                })
            })
            .collect();
        v["findings"] = (1..=40)
            .map(|i| json!({"kind": "shortcoming", "targets": [name(i), name(i + 40)], "text": format!("hạn chế số {i}")}))
            .collect();
        v["recommendations"] = (1..=40)
            .map(|i| {
                let addressees = json!(["UBND huyện", "Phòng Tài chính – Kế hoạch", format!("UBND xã số {i}")]);
                if i % 2 == 0 {
                    json!({"direction": "upward", "raised_by": [name(i)], "addressees": addressees, "text": format!("kiến nghị số {i}")})
                } else {
                    json!({"direction": "downward", "issuer": "Ban Thường vụ Huyện ủy", "addressees": addressees, "text": format!("đề nghị số {i}")})
                }
            })
            .collect();
    })
}

#[tokio::test]
async fn the_seed_mission_round_trips_through_the_database() {
    // Arrange
    let t = fresh_db().await;
    let mission = seed();

    // Act
    let id = missions::insert(&t.db, &mission, &Actor::cli(chrono::Utc::now())).await.expect("inserts");
    let loaded = missions::load(&t.db, id).await.expect("loads");

    // Assert
    assert_eq!(loaded.id, id);
    assert_eq!(loaded.version, 1);
    assert_eq!(loaded.mission, mission);
    assert_eq!(interchange::to_json(&loaded.mission), SEED, "exports byte for byte as the fixture");
    t.cleanup().await.expect("test database dropped");
}

#[tokio::test]
async fn loading_a_mission_takes_a_bounded_number_of_queries_whatever_its_size() {
    // Arrange
    let t = fresh_db().await;
    let big = large_mission();
    assert_eq!(
        (big.targets.len(), big.sessions.len(), big.findings.len(), big.recommendations.len()),
        (150, 150, 40, 40)
    );
    let small_id = missions::insert(&t.db, &seed(), &Actor::cli(chrono::Utc::now())).await.expect("inserts the seed");
    let big_id =
        missions::insert(&t.db, &big, &Actor::cli(chrono::Utc::now())).await.expect("inserts the large mission");
    let queries = Arc::new(AtomicUsize::new(0));
    let mut counted = t.db.clone();
    let counter = Arc::clone(&queries);
    counted.set_metric_callback(move |_| {
        counter.fetch_add(1, Ordering::SeqCst);
    });
    // The callback belongs to this clone only: statements through the test's own handle are not counted.
    missions::list(&t.db, Visibility::All, None, 1).await.expect("lists");
    assert_eq!(queries.load(Ordering::SeqCst), 0, "the metric callback is per clone");

    // Act
    let small = missions::load(&counted, small_id).await.expect("loads the seed");
    let small_queries = queries.swap(0, Ordering::SeqCst);
    let large = missions::load(&counted, big_id).await.expect("loads the large mission");
    let large_queries = queries.swap(0, Ordering::SeqCst);

    // Assert
    assert_eq!(small.mission, seed());
    assert_eq!(interchange::to_json(&large.mission), interchange::to_json(&big));
    assert_eq!(large.mission.sessions.iter().map(|s| s.photos.len()).sum::<usize>(), 300);
    assert!(small_queries > 0, "the callback saw the queries");
    assert_eq!(small_queries, large_queries, "the same number of queries whatever the size");
    assert!(large_queries <= 13, "{large_queries} queries");
    drop(counted);
    t.cleanup().await.expect("test database dropped");
}

#[tokio::test]
async fn a_stale_version_is_refused_and_nothing_is_written() {
    // Arrange: the seed stops at "in progress" (Đồng Xuân has no session); its variant has a session at every
    // ward inside the fieldwork window and is explicitly still in progress, so it may move on to drafting.
    let t = fresh_db().await;
    let actor = Actor::cli(chrono::Utc::now());
    let seed_id = missions::insert(&t.db, &seed(), &actor).await.expect("inserts the seed");
    let ready = seed_with(|v| {
        v["sessions"]
            .as_array_mut()
            .expect("sessions")
            .push(json!({"target": "Đồng Xuân", "date": "2021-03-24", "photos": []}));
        v["state"] = "in_progress".into();
    });
    assert_eq!(ready.state, MissionState::InProgress);
    let id = missions::insert(&t.db, &ready, &actor).await.expect("inserts the ready mission");

    // Act
    let first = missions::transition(&t.db, id, 1, MissionState::Drafting, &actor).await;
    let second = missions::transition(&t.db, id, 1, MissionState::Drafting, &actor).await;

    // Assert
    let first = first.expect("the first transition goes through");
    assert_eq!((first.version, first.mission.state), (2, MissionState::Drafting));
    assert!(matches!(second, Err(StoreError::Conflict { expected: 1, current: 2 })), "{second:?}");
    let stored = missions::load(&t.db, id).await.expect("loads");
    assert_eq!((stored.version, stored.mission.state), (2, MissionState::Drafting));
    let transitions = audit_rows(&t.db, "mission.transition", id).await;
    assert_eq!(transitions.len(), 1);
    assert_eq!(transitions[0].before.as_deref(), Some("in_progress"));
    assert_eq!(transitions[0].after.as_deref(), Some("drafting"));
    assert_eq!(transitions[0].actor, "cli");
    let untouched = missions::load(&t.db, seed_id).await.expect("loads the seed");
    assert_eq!((untouched.version, untouched.mission.state), (1, MissionState::InProgress));
    t.cleanup().await.expect("test database dropped");
}

#[tokio::test]
async fn a_refused_transition_names_what_is_missing_and_changes_nothing() {
    // Arrange
    let t = fresh_db().await;
    let actor = Actor::cli(chrono::Utc::now());
    let id = missions::insert(&t.db, &seed(), &actor).await.expect("inserts");
    let before = mission_row(&t.db, id).await;

    // Act
    let refused = missions::transition(&t.db, id, 1, MissionState::Drafting, &actor).await;

    // Assert
    match refused {
        Err(StoreError::Workflow(err @ WorkflowError::Preconditions { to: MissionState::Drafting, .. })) => {
            let message = err.to_string();
            assert!(message.contains("phường Đồng Xuân chưa có buổi làm việc"), "{message}");
        }
        other => panic!("expected missing preconditions, got {other:?}"),
    }
    assert_eq!(mission_row(&t.db, id).await, before, "the row is unchanged, version and updated_at included");
    let stored = missions::load(&t.db, id).await.expect("loads");
    assert_eq!((stored.version, stored.mission.state), (1, MissionState::InProgress));
    assert!(audit_rows(&t.db, "mission.transition", id).await.is_empty());
    t.cleanup().await.expect("test database dropped");
}

#[tokio::test]
async fn every_insert_writes_exactly_one_audit_row_in_the_same_transaction() {
    // Arrange
    let t = fresh_db().await;
    let mission = seed();

    // Act
    let id = missions::insert(&t.db, &mission, &Actor::system(chrono::Utc::now())).await.expect("inserts");

    // Assert
    let rows = audit_rows(&t.db, "mission.create", id).await;
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!((row.entity.as_str(), row.mission_id, row.actor.as_str()), ("mission", Some(id), "system"));
    assert_eq!(row.before, None);
    assert_eq!(row.after.as_deref(), Some(interchange::to_json(&mission).as_str()));
    assert_eq!(row.after.as_deref(), Some(SEED));
    assert_eq!(audit_events::Entity::find().count(&t.db).await.expect("counts"), 1, "no other audit row");
    t.cleanup().await.expect("test database dropped");
}

#[tokio::test]
async fn the_audit_trail_is_append_only_at_the_database() {
    // Arrange
    let t = fresh_db().await;
    missions::insert(&t.db, &seed(), &Actor::cli(chrono::Utc::now())).await.expect("inserts");
    missions::insert(&t.db, &seed(), &Actor::system(chrono::Utc::now())).await.expect("inserts");
    let before = audit_events::Entity::find().all(&t.db).await.expect("reads");
    assert_eq!(before.len(), 2);
    let mut statements = vec!["UPDATE audit_events SET actor = 'x'", "DELETE FROM audit_events"];
    if t.is_postgres() {
        statements.push("TRUNCATE audit_events");
    }

    for sql in statements {
        // Act
        let result = t.db.execute_unprepared(sql).await;

        // Assert
        let err = result.expect_err(sql);
        assert!(err.to_string().contains("audit_events is append-only"), "{sql}: {err}");
        assert_eq!(audit_events::Entity::find().all(&t.db).await.expect("reads"), before, "{sql} changed nothing");
    }
    t.cleanup().await.expect("test database dropped");
}

#[tokio::test]
async fn one_decision_with_several_teams_shares_its_row() {
    // Arrange
    let t = fresh_db().await;
    let actor = Actor::cli(chrono::Utc::now());
    let team_5 = seed();
    let team_6 = seed_with(|v| v["team"] = json!({"name": "Đoàn Giám sát số 6", "ordinal": 6}));
    let other_district = seed_with(|v| {
        v["owner"]["name"] = "Quận ủy Ba Đình".into();
        v["owner"]["place"] = "Ba Đình".into();
    });

    // Act
    let id_5 = missions::insert(&t.db, &team_5, &actor).await.expect("inserts team 5");
    let id_6 = missions::insert(&t.db, &team_6, &actor).await.expect("inserts team 6");
    let id_other = missions::insert(&t.db, &other_district, &actor).await.expect("inserts the other district");

    // Assert
    let decision_5 = mission_row(&t.db, id_5).await.decision_id.expect("team 5 has a decision");
    let decision_6 = mission_row(&t.db, id_6).await.decision_id.expect("team 6 has a decision");
    let decision_other = mission_row(&t.db, id_other).await.decision_id.expect("the other district has a decision");
    assert_eq!(decision_5, decision_6, "one decision, two teams");
    assert_ne!(decision_5, decision_other, "numbers are not unique across owners");
    let rows = decisions::Entity::find().all(&t.db).await.expect("reads decisions");
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|d| d.number_raw.as_deref() == Some("109-QĐ/QU")));
    let loaded_6 = missions::load(&t.db, id_6).await.expect("loads team 6");
    assert_eq!(loaded_6.mission, team_6);
    t.cleanup().await.expect("test database dropped");
}

#[tokio::test]
async fn list_pages_by_keyset() {
    // Arrange
    let t = fresh_db().await;
    let mut ids = Vec::new();
    for ordinal in 1..=5 {
        let mission =
            seed_with(|v| v["team"] = json!({"name": format!("Đoàn Giám sát số {ordinal}"), "ordinal": ordinal}));
        ids.push(missions::insert(&t.db, &mission, &Actor::cli(chrono::Utc::now())).await.expect("inserts"));
    }

    // Act
    let page_1 = missions::list(&t.db, Visibility::All, None, 2).await.expect("page 1");
    let page_2 = missions::list(&t.db, Visibility::All, page_1.last().map(|m| m.id), 2).await.expect("page 2");
    let page_3 = missions::list(&t.db, Visibility::All, page_2.last().map(|m| m.id), 2).await.expect("page 3");
    let page_4 = missions::list(&t.db, Visibility::All, page_3.last().map(|m| m.id), 2).await.expect("page 4");

    // Assert
    let page_ids = |page: &[missions::MissionSummary]| page.iter().map(|m| m.id).collect::<Vec<_>>();
    assert_eq!(page_ids(&page_1), vec![ids[4], ids[3]], "the two newest first");
    assert_eq!(page_ids(&page_2), vec![ids[2], ids[1]]);
    assert_eq!(page_ids(&page_3), vec![ids[0]]);
    assert!(page_4.is_empty());
    let seen: HashSet<i64> = [&page_1, &page_2, &page_3].into_iter().flat_map(|p| page_ids(p)).collect();
    assert_eq!(seen.len(), 5, "no overlap");
    assert_eq!(seen, ids.iter().copied().collect::<HashSet<_>>(), "all five");
    assert_eq!(page_1[0].team_name.as_deref(), Some("Đoàn Giám sát số 5"));
    assert_eq!(page_1[0].state, MissionState::InProgress);
    // The choice of missions by name reads the same missions and names them as the list does.
    let names = giamsat_store::dashboard::mission_names(&t.db, Visibility::All, Some(ids[4]), 3).await.expect("names");
    let listed = missions::list(&t.db, Visibility::All, Some(ids[4]), 3).await.expect("lines");
    assert_eq!(names, listed.into_iter().map(|m| (m.id, m.name)).collect::<Vec<_>>());
    assert_eq!(names.len(), 3);
    t.cleanup().await.expect("test database dropped");
}

#[tokio::test]
async fn a_corrupt_row_is_reported_not_shown() {
    // Arrange
    let t = fresh_db().await;
    let id = missions::insert(&t.db, &seed(), &Actor::cli(chrono::Utc::now())).await.expect("inserts");
    t.db.execute_unprepared(&format!("UPDATE missions SET state = 'bogus' WHERE id = {id}")).await.expect("corrupts");

    // Act
    let loaded = missions::load(&t.db, id).await;
    let listed = missions::list(&t.db, Visibility::All, None, 10).await;

    // Assert
    match loaded {
        Err(StoreError::Corrupt { table: "missions", id: row, detail }) => {
            assert_eq!(row, id);
            assert!(detail.contains("bogus"), "{detail}");
        }
        other => panic!("expected a corrupt row, got {other:?}"),
    }
    assert!(matches!(listed, Err(StoreError::Corrupt { table: "missions", .. })), "{listed:?}");
    t.cleanup().await.expect("test database dropped");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writers_on_sqlite_do_not_see_database_is_locked() {
    if postgres_requested() {
        eprintln!("skipped: SQLite only");
        return;
    }
    // Arrange
    let t = fresh_db().await;
    let mission = Arc::new(seed());

    // Act: 8 writers, 5 inserts each, through one pool of 4 connections.
    let writers: Vec<_> = (0..8)
        .map(|_| {
            let db = t.db.clone();
            let mission = Arc::clone(&mission);
            tokio::spawn(async move {
                let mut ids = Vec::new();
                for _ in 0..5 {
                    ids.push(missions::insert(&db, &mission, &Actor::cli(chrono::Utc::now())).await?);
                }
                Ok::<_, StoreError>(ids)
            })
        })
        .collect();
    let mut ids = HashSet::new();
    for writer in writers {
        ids.extend(writer.await.expect("the writer does not panic").expect("every insert succeeds"));
    }

    // Assert
    assert_eq!(ids.len(), 40);
    assert_eq!(mission_rows::Entity::find().count(&t.db).await.expect("counts"), 40);
    assert_eq!(audit_events::Entity::find().count(&t.db).await.expect("counts"), 40);
    t.cleanup().await.expect("test database dropped");
}

#[tokio::test]
async fn migrations_go_down_and_up_again() {
    // Arrange: rows in every mission table, with an owner stored under its parent body (a self-reference
    // that SQLite checks row by row while dropping).
    let t = fresh_db().await;
    missions::insert(&t.db, &seed(), &Actor::cli(chrono::Utc::now())).await.expect("inserts before going down");
    for table in TABLES {
        assert!(table_exists(&t.db, table).await, "{table} exists after migrating");
    }

    // Act
    Migrator::down(&t.db, None).await.expect("goes down");

    // Assert
    for table in TABLES {
        assert!(!table_exists(&t.db, table).await, "{table} is gone");
    }

    // Act
    Migrator::up(&t.db, None).await.expect("goes up again");

    // Assert
    for table in TABLES {
        assert!(table_exists(&t.db, table).await, "{table} is back");
    }
    assert!(Migrator::get_pending_migrations(&t.db).await.expect("reads the status").is_empty());
    assert_eq!(mission_rows::Entity::find().count(&t.db).await.expect("counts"), 0, "the data went with the tables");
    let id = missions::insert(&t.db, &seed(), &Actor::cli(chrono::Utc::now())).await.expect("inserts after going up");
    let loaded = missions::load(&t.db, id).await.expect("loads");
    assert_eq!(interchange::to_json(&loaded.mission), SEED);
    assert_eq!(audit_rows(&t.db, "mission.create", id).await.len(), 1);
    assert!(t.db.execute_unprepared("DELETE FROM audit_events").await.is_err(), "the triggers are back too");
    t.cleanup().await.expect("test database dropped");
}

#[tokio::test]
async fn search_finds_a_rare_word_in_old_documents_and_a_common_word_among_the_newest() {
    use giamsat_store::search;
    use giamsat_store::synthetic;
    // Arrange: a word of one old finding, then thousands of newer documents (the engine walks back through the
    // newest two thousand before it turns to the full-text index).
    let t = fresh_db().await;
    let old = seed_with(|v| v["findings"][0]["text"] = json!("Đã số hoá hồ sơ bằng phần mềm Xylograph"));
    let old_id = missions::insert(&t.db, &old, &Actor::cli(chrono::Utc::now())).await.expect("inserts");
    synthetic::seed(&t.db, 100, 7, chrono::Utc::now(), |_| {}).await.expect("seeds newer missions");
    let documents = t
        .db
        .query_one_raw(Statement::from_string(t.db.get_database_backend(), "SELECT COUNT(*) FROM search_documents"))
        .await
        .expect("counts")
        .expect("a row")
        .try_get_by_index::<i64>(0)
        .expect("a count");
    assert!(documents > 3_000, "{documents} documents");

    // Act
    let rare = search::search(&t.db, Visibility::All, "xylograph", 30).await.expect("searches");
    let common = search::search(&t.db, Visibility::All, "phuong", 30).await.expect("searches");

    // Assert
    assert_eq!(rare.len(), 1, "{rare:?}");
    assert_eq!((rare[0].kind.as_str(), rare[0].mission_id), ("finding", Some(old_id)));
    assert_eq!(common.len(), 30, "a word of every mission fills the page");
    assert!(common.iter().all(|h| h.mission_id != Some(old_id)), "from the newest documents only");
    t.cleanup().await.expect("test database dropped");
}

/// What names a search hit's document: its kind, mission, referenced row and position.
type HitKey = (String, Option<i64>, Option<i64>, Option<i64>);

#[tokio::test]
async fn each_step_of_the_postgresql_search_gives_the_newest_matches() {
    use giamsat_store::search::{self, Windows};
    use giamsat_store::synthetic;
    // Arrange: a rare word in the oldest mission, a hundred synthetic missions after it, and windows small enough
    // that the queries below end in each of PostgreSQL's steps. Walking the whole index back from the newest
    // document is the reference: the newest matches by definition.
    let t = fresh_db().await;
    let old = seed_with(|v| v["findings"][0]["text"] = json!("Đã số hoá hồ sơ bằng phần mềm Xylograph"));
    missions::insert(&t.db, &old, &Actor::cli(chrono::Utc::now())).await.expect("inserts");
    synthetic::seed(&t.db, 100, 7, chrono::Utc::now(), |_| {}).await.expect("seeds newer missions");
    let backend = t.db.get_database_backend();
    let top: i64 =
        t.db.query_one_raw(Statement::from_string(backend, "SELECT MAX(id) FROM search_documents"))
            .await
            .expect("reads")
            .expect("a row")
            .try_get_by_index(0)
            .expect("an id");
    // Each document's id by what a hit names, read once.
    let rows =
        t.db.query_all_raw(Statement::from_string(
            backend,
            "SELECT kind, mission_id, ref_id, position, id FROM search_documents",
        ))
        .await
        .expect("reads");
    let ids: std::collections::HashMap<HitKey, i64> = rows
        .iter()
        .map(|row| {
            let key = (
                row.try_get_by_index(0).expect("a kind"),
                row.try_get_by_index(1).expect("a mission"),
                row.try_get_by_index(2).expect("a reference"),
                row.try_get_by_index(3).expect("a position"),
            );
            (key, row.try_get_by_index(4).expect("an id"))
        })
        .collect();
    assert_eq!(ids.len(), rows.len(), "a hit names one document");
    let small = Windows { walked: 150, recent: 1_500 };
    let whole = Windows { walked: i64::MAX, recent: 1 };
    let mut steps = std::collections::BTreeSet::new();
    let queries = [
        "phường",
        "hạn chế",
        "ưu điểm",
        "đảng",
        "trưởng đoàn",
        "kiến nghị UBND",
        "thành viên",
        "tài chính",
        "Xylograph",
    ];
    for query in queries {
        // Act
        let found = search::search_in(&t.db, Visibility::All, query, 100, small).await.expect("searches");

        // Assert
        let newest = search::search_in(&t.db, Visibility::All, query, 100, whole).await.expect("searches");
        assert!(!newest.is_empty(), "{query}: found at all");
        assert_eq!(found, newest, "{query}");
        // How far back from the newest document each of them is.
        let back: Vec<i64> =
            newest.iter().map(|hit| top - ids[&(hit.kind.clone(), hit.mission_id, hit.ref_id, hit.position)]).collect();
        let walked = back.iter().filter(|&&b| b < small.walked).count();
        let all_near = newest.len() == 100 && back.iter().all(|&b| b < small.walked + small.recent);
        steps.insert(match i64::try_from(walked).expect("small") {
            100 => "the walk",
            w if w >= small.dense() && all_near => "the walk, then the recent window",
            w if w >= small.dense() => "the walk, the recent window, then GIN",
            _ => "the walk, then GIN",
        });
    }
    assert_eq!(steps.len(), 4, "the queries end in each step: {steps:?}");
    t.cleanup().await.expect("test database dropped");
}

#[tokio::test]
async fn search_is_diacritic_and_abbreviation_insensitive_and_ranks_exact_matches_first() {
    use giamsat_store::search;
    let t = fresh_db().await;
    let id = missions::insert(&t.db, &seed(), &Actor::cli(chrono::Utc::now())).await.expect("inserts");
    let other = seed_with(|v| {
        v["owner"]["name"] = json!("Quận ủy Ba Đình");
        v["findings"][0]["text"] = json!("hang bac được nhắc không dấu trong văn bản này");
    });
    let other_id = missions::insert(&t.db, &other, &Actor::cli(chrono::Utc::now())).await.expect("inserts");

    let hits = search::search(&t.db, Visibility::All, "hang bac", 50).await.expect("searches");
    assert!(hits.iter().any(|h| h.kind == "target" && h.title == "phường Hàng Bạc" && h.mission_id == Some(id)));
    let exact = search::search(&t.db, Visibility::All, "Hàng Bạc", 50).await.expect("searches");
    assert_eq!(exact[0].exactness, 4, "the exact spelling ranks first");
    assert!(exact.iter().any(|h| h.mission_id == Some(other_id) && h.exactness == 2), "folded matches follow");

    let dong_xuan = search::search(&t.db, Visibility::All, "dong xuan", 50).await.expect("searches");
    assert!(dong_xuan.iter().any(|h| h.title == "phường Đồng Xuân"), "đ folds to d");
    let council = search::search(&t.db, Visibility::All, "hội đồng nhân dân", 50).await.expect("searches");
    assert!(council.iter().any(|h| h.body.contains("HĐND")), "expanded abbreviations match HĐND");
    let prefix = search::search(&t.db, Visibility::All, "cu tri", 50).await.expect("searches");
    assert!(prefix.iter().any(|h| h.kind == "finding"));
    let person = search::search(&t.db, Visibility::All, "phuong chung", 50).await.expect("searches");
    assert!(person.iter().any(|h| h.kind == "person" && h.title == "Nguyễn Thị Phương Chung"));

    giamsat_store::synthetic::load_demo_units(&t.db).await.expect("reference data");
    let units = search::search(&t.db, Visibility::Organisation(-1), "cua nam", 50).await.expect("searches");
    assert!(units.iter().any(|h| h.kind == "unit" && h.title == "phường Cửa Nam"), "units are public reference data");
    let scoped = search::search(&t.db, Visibility::Organisation(-1), "hang bac", 50).await.expect("searches");
    assert!(
        scoped.iter().all(|h| h.mission_id.is_none() && h.kind == "unit"),
        "other organisations' missions are not searched, only the public units"
    );
    assert!(search::search(&t.db, Visibility::All, "  ", 50).await.expect("searches").is_empty());
    assert!(search::search(&t.db, Visibility::All, "\" OR 1=1 --", 50).await.is_ok(), "no injection into the engine");
    t.cleanup().await.expect("test database dropped");
}

/// Issue 14's search: an abbreviation typed in capitals matches a whole word ("QU" is the QU of 109-QĐ/QU, not
/// the "qu" of every "quận"), a query's words may fall in different fields of one mission, session minutes are
/// searched, and an index of an older form is rebuilt when the database is opened.
#[tokio::test]
async fn search_matches_abbreviations_whole_words_across_fields_and_minutes_and_rebuilds_an_old_index() {
    use giamsat_store::search;
    use sea_orm::{ColumnTrait, QueryFilter};
    let t = fresh_db().await;
    let ours = missions::insert(
        &t.db,
        &seed_with(|v| v["sessions"][0]["minutes"] = json!("Phường đã khắc phục tồn tại về lưu trữ hồ sơ cử tri.")),
        &Actor::cli(chrono::Utc::now()),
    )
    .await
    .expect("inserts");
    let theirs = missions::insert(
        &t.db,
        &seed_with(|v| {
            v["decision"]["number"] = json!("15-QĐ/HU");
            v["owner"]["name"] = json!("Huyện ủy Gia Lâm");
        }),
        &Actor::cli(chrono::Utc::now()),
    )
    .await
    .expect("inserts");

    let qu = search::search(&t.db, Visibility::All, "QU", 100).await.expect("searches");
    assert!(!qu.is_empty());
    assert!(qu.iter().all(|h| h.mission_id == Some(ours)), "«quận» of the other mission is not «QU»: {qu:?}");
    assert_eq!(qu[0].exactness, 4, "the abbreviation as a whole word comes first");
    assert!(format!("{} {}", qu[0].title, qu[0].body).contains("109-QĐ/QU"), "{:?}", qu[0]);
    let lower = search::search(&t.db, Visibility::All, "qu", 100).await.expect("searches");
    assert!(lower.iter().any(|h| h.mission_id == Some(theirs)), "typed in lower case, a word still begins others");

    // "15-QĐ/HU" is in the mission's row, "cử tri" in its findings: found together in the findings.
    let across = search::search(&t.db, Visibility::All, "HU cử tri", 100).await.expect("searches");
    assert!(across.iter().any(|h| h.kind == "finding" && h.mission_id == Some(theirs)), "{across:?}");
    assert!(across.iter().all(|h| h.mission_id == Some(theirs)), "{across:?}");
    let named = &across[0];
    assert_eq!(named.mission_name.as_deref(), Some("Đoàn Giám sát số 5 — 15-QĐ/HU, 2021"), "the mission and year");

    let minutes = search::search(&t.db, Visibility::All, "lưu trữ hồ sơ", 100).await.expect("searches");
    let session = minutes.iter().find(|h| h.kind == "session").expect("the minutes are searched");
    assert_eq!((session.mission_id, session.position), (Some(ours), Some(0)));
    assert_eq!(session.title, "Buổi làm việc với phường Hàng Bạc (chưa rõ ngày)");
    assert!(session.body.contains("khắc phục tồn tại"));

    // A database indexed in the older form: rebuilt once when opened, then left alone.
    t.db.execute_unprepared("DELETE FROM search_documents WHERE kind = 'session'").await.expect("deletes");
    t.db.execute_unprepared("UPDATE search_index_state SET version = 1").await.expect("updates");
    assert!(
        search::search(&t.db, Visibility::All, "lưu trữ hồ sơ", 100)
            .await
            .expect("searches")
            .iter()
            .all(|h| h.kind != "session")
    );
    giamsat_store::migrate(&t.db).await.expect("migrates and rebuilds");
    let again = search::search(&t.db, Visibility::All, "lưu trữ hồ sơ", 100).await.expect("searches");
    assert_eq!(again.iter().filter(|h| h.kind == "session").count(), 1, "rebuilt, once");
    assert_eq!(missions::rebuild_search_index(&t.db).await.expect("checks"), 0, "current: nothing to do");
    t.db.execute_unprepared("UPDATE search_index_state SET version = 1").await.expect("updates");
    assert_eq!(missions::rebuild_search_index(&t.db).await.expect("rebuilds"), 2, "both missions");
    let rows = |kind: &'static str| {
        let db = &t.db;
        async move {
            giamsat_store::entities::search_documents::Entity::find()
                .filter(giamsat_store::entities::search_documents::Column::Kind.eq(kind))
                .count(db)
                .await
                .expect("counts")
        }
    };
    assert_eq!(rows("session").await, 1, "idempotent: no row twice");
    assert_eq!(rows("mission").await, 2);
    t.cleanup().await.expect("test database dropped");
}

#[tokio::test]
async fn targets_link_to_the_administrative_unit_as_it_was_on_the_mission_date() {
    use giamsat_store::entities::{admin_units, targets};
    use giamsat_store::sea_orm::{ColumnTrait, QueryFilter};
    let t = fresh_db().await;
    giamsat_store::synthetic::load_demo_units(&t.db).await.expect("reference data");
    let id = missions::insert(&t.db, &seed(), &Actor::cli(chrono::Utc::now())).await.expect("inserts");
    let after_reform = seed_with(|v| {
        v["fieldwork"] = json!({"from": "2026-03-02", "to": "2026-03-05"});
        v["targets"] = json!([{"kind": "ward", "name": "Hoàn Kiếm"}]);
        v["sessions"] = json!([]);
    });
    let later = missions::insert(&t.db, &after_reform, &Actor::cli(chrono::Utc::now())).await.expect("inserts");

    let unit_of = |mission: i64, name: &'static str| {
        let db = t.db.clone();
        async move {
            let target = targets::Entity::find()
                .filter(targets::Column::MissionId.eq(mission))
                .filter(targets::Column::Name.eq(name))
                .one(&db)
                .await
                .expect("reads")
                .expect("the target");
            let unit =
                admin_units::Entity::find_by_id(target.admin_unit_id.expect("linked")).one(&db).await.expect("reads");
            unit.expect("the unit")
        }
    };
    let hang_bac = unit_of(id, "Hàng Bạc").await;
    assert_eq!(
        (hang_bac.kind.as_str(), hang_bac.valid_to.map(|d| d.to_string())),
        ("ward", Some("2025-06-30".to_owned()))
    );
    let hoan_kiem = unit_of(later, "Hoàn Kiếm").await;
    assert_eq!(
        hoan_kiem.valid_from.map(|d| d.to_string()),
        Some("2025-07-01".to_owned()),
        "the ward of 2025, not the district"
    );
    let (units, lineage) = giamsat_store::units::all(&t.db).await.expect("lists");
    let edges: Vec<(i64, i64)> = lineage.iter().map(|e| (e.from, e.to)).collect();
    let same_place = giamsat_domain::org::lineage(&[hang_bac.id], &edges);
    let mut expected = vec![hang_bac.id, hoan_kiem.id];
    expected.sort_unstable();
    assert_eq!(same_place, expected);
    assert!(units.iter().any(|u| u.name == "Cửa Nam"));
    t.cleanup().await.expect("test database dropped");
}

/// The team ordinal as a counter: a header edit that reads it and writes it plus one.
fn bumped_header(mission: &giamsat_domain::mission::Mission) -> giamsat_domain::mission::Edit {
    giamsat_domain::mission::Edit::Header(Box::new(giamsat_domain::mission::Header {
        system: mission.system,
        form: mission.form,
        basis: mission.basis.clone(),
        decision: mission.decision.clone(),
        supervising_body: mission.supervising_body.clone(),
        team: giamsat_domain::mission::Team {
            name: mission.team.name.clone(),
            ordinal: Some(mission.team.ordinal.unwrap_or(0) + 1),
        },
        subject: mission.subject.clone(),
        fieldwork: mission.fieldwork,
        reference_period: mission.reference_period,
        conclusion_preamble: mission.conclusion_preamble.clone(),
    }))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn of_two_editors_of_one_version_exactly_one_wins_500_times() {
    use giamsat_store::edits;
    let t = fresh_db().await;
    let id = missions::insert(&t.db, &seed(), &Actor::cli(chrono::Utc::now())).await.expect("inserts");
    for round in 0..500 {
        let stored = missions::load(&t.db, id).await.expect("loads");
        let (a, b) = (t.db.clone(), t.db.clone());
        let (edit_a, edit_b) = (bumped_header(&stored.mission), bumped_header(&stored.mission));
        let version = stored.version;
        let first =
            tokio::spawn(async move { edits::edit(&a, id, version, edit_a, &Actor::cli(chrono::Utc::now())).await });
        let second =
            tokio::spawn(async move { edits::edit(&b, id, version, edit_b, &Actor::cli(chrono::Utc::now())).await });
        let results = [first.await.expect("joins"), second.await.expect("joins")];
        let won = results.iter().filter(|r| r.is_ok()).count();
        let conflicts = results.iter().filter(|r| matches!(r, Err(StoreError::Conflict { .. }))).count();
        assert_eq!((won, conflicts), (1, 1), "round {round}: {results:?}");
    }
    let last = missions::load(&t.db, id).await.expect("loads");
    assert_eq!(last.version, 501);
    assert_eq!(last.mission.team.ordinal, Some(5 + 500), "every winner's edit, and only the winners'");
    t.cleanup().await.expect("test database dropped");
}

/// Twenty clients × this many updates each; `GIAMSAT_STRESS_UPDATES=50` runs the full 20 × 50 (about 2 min on
/// SQLite and 4 min on PostgreSQL here), the default keeps the suite quick.
fn updates_per_client() -> u64 {
    std::env::var("GIAMSAT_STRESS_UPDATES").ok().and_then(|v| v.parse().ok()).unwrap_or(10)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_clients_updating_one_record_with_retries_lose_no_update() {
    use giamsat_store::edits;
    let per_client = updates_per_client();
    let t = fresh_db().await;
    let id = missions::insert(&t.db, &seed(), &Actor::cli(chrono::Utc::now())).await.expect("inserts");
    let mut clients = Vec::new();
    for client in 0..20u64 {
        let db = t.db.clone();
        clients.push(tokio::spawn(async move {
            let mut retries = 0u64;
            for _ in 0..per_client {
                loop {
                    let stored = missions::load(&db, id).await.expect("loads (never 'database is locked')");
                    match edits::edit(
                        &db,
                        id,
                        stored.version,
                        bumped_header(&stored.mission),
                        &Actor::cli(chrono::Utc::now()),
                    )
                    .await
                    {
                        Ok(_) => break,
                        Err(StoreError::Conflict { .. }) => {
                            // Back off as a real client does, with a jitter so the twenty do not retry in step.
                            retries += 1;
                            let wait = 1 + (client * 7 + retries * 13) % 20;
                            tokio::time::sleep(std::time::Duration::from_millis(wait)).await;
                        }
                        Err(e) => panic!("an update failed instead of conflicting: {e}"),
                    }
                }
            }
            retries
        }));
    }
    let mut retries = 0;
    for client in clients {
        retries += client.await.expect("joins");
    }
    let last = missions::load(&t.db, id).await.expect("loads");
    let total = u32::try_from(20 * per_client).expect("small");
    assert_eq!(last.mission.team.ordinal, Some(5 + total), "{total} increments, none lost ({retries} retries)");
    assert_eq!(last.version, i32::try_from(total).expect("small") + 1);
    t.cleanup().await.expect("test database dropped");
}

/// Every mission of the database, loaded back through the store, by id.
async fn all_missions(db: &DatabaseConnection) -> Vec<missions::StoredMission> {
    let ids: Vec<i64> = mission_rows::Entity::find().all(db).await.expect("lists").into_iter().map(|m| m.id).collect();
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.push(missions::load(db, id).await.expect("a synthetic mission loads back"));
    }
    out
}

#[tokio::test]
async fn synthetic_missions_load_back_hold_the_invariants_and_depend_only_on_the_seed() {
    use giamsat_domain::mission::Mission;
    use giamsat_domain::workflow::infer_state;
    use giamsat_store::entities::{recommendation_events, search_documents};
    use giamsat_store::synthetic;

    // Arrange
    let (a, b, c) = (fresh_db().await, fresh_db().await, fresh_db().await);

    // Act
    let seeded = synthetic::seed(&a.db, 60, 42, chrono::Utc::now(), |_| {}).await.expect("seeds");
    synthetic::seed(&b.db, 60, 42, chrono::Utc::now(), |_| {}).await.expect("seeds again");
    synthetic::seed(&c.db, 60, 43, chrono::Utc::now(), |_| {}).await.expect("seeds with another seed");
    let (from_a, from_b, from_c) = (all_missions(&a.db).await, all_missions(&b.db).await, all_missions(&c.db).await);

    // Assert
    assert_eq!(seeded.missions, 60);
    assert_eq!(from_a.len(), 60);
    let parts = |v: &[missions::StoredMission]| v.iter().map(|s| s.mission.clone()).collect::<Vec<_>>();
    assert_eq!(parts(&from_a), parts(&from_b), "the same seed gives the same data");
    assert_ne!(parts(&from_a), parts(&from_c), "another seed gives other data");
    assert!(from_a.iter().any(|s| s.decision_id.is_some()), "decisions are linked");
    for stored in &from_a {
        let m = &stored.mission;
        assert!((1..=30).contains(&m.targets.len()), "{} targets", m.targets.len());
        assert!((5..=30).contains(&m.findings.len()));
        assert!((3..=20).contains(&m.recommendations.len()));
        assert!(!m.sessions.is_empty() && m.sessions.iter().all(|s| m.fieldwork.contains(s.date.expect("dated"))));
        Mission::new(m.clone().into_parts()).expect("the invariants hold");
        let reachable = infer_state(m).min(MissionState::Concluded);
        assert!(reachable >= m.state.min(MissionState::Concluded), "{:?} is not supported by its data", m.state);
        if m.state == MissionState::Closed {
            assert!(m.recommendations.iter().all(|r| !r.follow_up.status.is_open()));
        }
    }
    let audits = audit_events::Entity::find().all(&a.db).await.expect("audit");
    assert_eq!(audits.iter().filter(|e| e.action == "mission.create").count(), 60, "one audit row per mission");
    let events = recommendation_events::Entity::find().count(&a.db).await.expect("events");
    assert!(events > 0, "follow-up history is written");
    let documents = search_documents::Entity::find().count(&a.db).await.expect("search rows");
    assert!(documents > 60 * 10);
    let published = giamsat_store::entities::report_versions::Entity::find().all(&a.db).await.expect("versions");
    assert!(!published.is_empty(), "some missions have a published article");
    for version in &published {
        let shown = giamsat_store::reports::published_of_mission(&a.db, version.mission_id, None)
            .await
            .expect("reads the published article");
        assert_eq!(shown.map(|v| v.content_hash), Some(version.content_hash.clone()));
    }
    let hits = giamsat_store::search::search(&a.db, Visibility::All, "công tác", 10).await.expect("searches");
    assert!(!hits.is_empty(), "the search index covers the synthetic rows");
    // Ids continue after seeding: an ordinary insert still works (PostgreSQL's sequences were moved on).
    missions::insert(&a.db, &seed(), &Actor::cli(chrono::Utc::now())).await.expect("an import after seeding");
    for t in [a, b, c] {
        t.cleanup().await.expect("test database dropped");
    }
}

/// The indexes and triggers (and on PostgreSQL the constraints) of the database with their definitions, by name.
async fn schema_objects(db: &DatabaseConnection) -> Vec<(String, String)> {
    let sql = match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() UNION ALL \
             SELECT conname, conrelid::regclass || ' ' || pg_get_constraintdef(oid) FROM pg_constraint \
             WHERE connamespace = current_schema()::regnamespace UNION ALL \
             SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1, 2"
        }
        _ => "SELECT name, COALESCE(sql, '') FROM sqlite_master WHERE type IN ('index', 'trigger') ORDER BY 1, 2",
    };
    let rows = db.query_all_raw(Statement::from_string(db.get_database_backend(), sql)).await.expect("catalogue");
    rows.iter().map(|r| (r.try_get_by_index(0).expect("name"), r.try_get_by_index(1).expect("definition"))).collect()
}

/// `(owner, state, n)` of `sql`, sorted.
async fn counts(db: &DatabaseConnection, sql: &str) -> Vec<(i64, String, i64)> {
    let rows = db.query_all_raw(Statement::from_string(db.get_database_backend(), sql)).await.expect("counts");
    let mut out: Vec<(i64, String, i64)> = rows
        .iter()
        .map(|r| {
            (
                r.try_get_by_index(0).expect("owner"),
                r.try_get_by_index(1).expect("state"),
                r.try_get_by_index(2).expect("n"),
            )
        })
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn seeding_sets_indexes_and_triggers_aside_and_leaves_what_the_triggers_would_have() {
    use giamsat_store::synthetic;

    // Arrange: a mission written the ordinary way (through the triggers) before and after two loads, the
    // second on top of the first.
    let t = fresh_db().await;
    let before = schema_objects(&t.db).await;
    assert!(before.iter().any(|(name, _)| name == "ix_missions_supervising_body"), "{before:?}");
    missions::insert(&t.db, &seed(), &Actor::cli(chrono::Utc::now())).await.expect("an import");

    // Act
    synthetic::seed(&t.db, 40, 1, chrono::Utc::now(), |_| {}).await.expect("seeds");
    let first_load = mission_rows::Entity::find().count(&t.db).await.expect("counts");
    synthetic::seed(&t.db, 30, 2, chrono::Utc::now(), |_| {}).await.expect("seeds again");
    let after_import = missions::insert(&t.db, &seed(), &Actor::cli(chrono::Utc::now())).await.expect("an import");

    // Assert: the same indexes and triggers, as the migrations defined them.
    assert_eq!(schema_objects(&t.db).await, before, "indexes and triggers are back as they were");
    // The counts the triggers keep are those of the missions stored.
    let kept = counts(&t.db, "SELECT owner_org_id, state, n FROM mission_counts WHERE n > 0").await;
    let counted =
        counts(&t.db, "SELECT owner_org_id, state, COUNT(*) FROM missions GROUP BY owner_org_id, state").await;
    assert_eq!(kept, counted);
    assert_eq!(kept.iter().map(|(_, _, n)| n).sum::<i64>(), 72);
    if t.is_postgres() {
        // The words the load wrote are those the trigger computes.
        let differ = counts(
            &t.db,
            "SELECT 0::bigint, 'words differ'::text, COUNT(*) FROM search_documents \
             WHERE words IS DISTINCT FROM strip(to_tsvector('simple', regexp_replace(folded, '[^[:alnum:]]+', ' ', 'g')))",
        )
        .await;
        assert_eq!(differ, vec![(0, "words differ".to_owned(), 0)]);
    } else {
        // FTS5 checks its index against every row of `search_documents`.
        t.db.execute_unprepared("INSERT INTO search_fts (search_fts, rank) VALUES ('integrity-check', 1)")
            .await
            .expect("the full-text index holds exactly the search rows");
    }
    let hits = giamsat_store::search::search(&t.db, Visibility::All, "công tác", 100).await.expect("searches");
    let of_second_load =
        |id: &Option<i64>| id.is_some_and(|id| id > i64::try_from(first_load).expect("small") && id < after_import);
    assert!(hits.iter().any(|h| of_second_load(&h.mission_id)), "the second load's rows are found");
    t.cleanup().await.expect("test database dropped");
}

/// The statements `action` sends to the database, captured from a counted clone of `db`.
async fn statements_of<F, Fut>(db: &DatabaseConnection, action: F) -> Vec<Statement>
where
    F: FnOnce(DatabaseConnection) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    let mut counted = db.clone();
    counted.set_metric_callback(move |info| {
        sink.lock().expect("not poisoned").push(info.statement.clone());
    });
    action(counted).await;
    let statements = seen.lock().expect("not poisoned");
    statements.clone()
}

/// The engine's plan of `statement`, one line per step. PostgreSQL is told to avoid sequential scans, so
/// a plan that still has one has no index to use.
async fn plan_of(db: &DatabaseConnection, statement: &Statement) -> String {
    use sea_orm::TransactionTrait;
    let backend = db.get_database_backend();
    let values = statement.values.clone().map(|v| v.0).unwrap_or_default();
    let txn = db.begin().await.expect("begins");
    let sql = match backend {
        DatabaseBackend::Postgres => {
            txn.execute_unprepared("SET LOCAL enable_seqscan = off").await.expect("sets");
            format!("EXPLAIN {}", statement.sql)
        }
        _ => format!("EXPLAIN QUERY PLAN {}", statement.sql),
    };
    let rows = txn.query_all_raw(Statement::from_sql_and_values(backend, sql, values)).await.expect("explains");
    txn.rollback().await.expect("rolls back");
    rows.iter()
        .map(|row| match backend {
            DatabaseBackend::Postgres => row.try_get_by_index::<String>(0).expect("a plan line"),
            _ => row.try_get::<String>("", "detail").expect("a plan line"),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The plan of `statement` on PostgreSQL under `settings` (`SET LOCAL …`), as the app runs it.
async fn plan_with(db: &DatabaseConnection, settings: &str, statement: &Statement) -> String {
    use sea_orm::TransactionTrait;
    let values = statement.values.clone().map(|v| v.0).unwrap_or_default();
    let txn = db.begin().await.expect("begins");
    txn.execute_unprepared(settings).await.expect("sets");
    let sql = format!("EXPLAIN {}", statement.sql);
    let rows = txn
        .query_all_raw(Statement::from_sql_and_values(DatabaseBackend::Postgres, sql, values))
        .await
        .expect("explains");
    txn.rollback().await.expect("rolls back");
    rows.iter().map(|row| row.try_get_by_index::<String>(0).expect("a plan line")).collect::<Vec<_>>().join("\n")
}

/// Asserts that the plan reads `table` through an index and sorts nothing for ORDER BY.
fn assert_indexed(plan: &str, what: &str, postgres: bool) {
    if postgres {
        assert!(!plan.contains("Seq Scan"), "{what} scans a whole table:\n{plan}");
        assert!(plan.contains("Index"), "{what} uses no index:\n{plan}");
    } else {
        let full_scan = plan.lines().any(|l| {
            let l = l.trim_start_matches(['|', '-', '`', ' ']);
            // "SCAN table" without an index; CTEs and constant rows are no tables ("d" is search's alias).
            let scanned = l.strip_prefix("SCAN ").and_then(|rest| rest.split_whitespace().next());
            scanned.is_some_and(|name| TABLES.contains(&name) || name == "d") && !l.contains("USING")
        });
        assert!(!full_scan, "{what} scans a whole table:\n{plan}");
        assert!(!plan.contains("TEMP B-TREE FOR ORDER BY"), "{what} sorts its rows:\n{plan}");
    }
}

#[tokio::test]
async fn the_list_search_and_dashboard_queries_use_their_indexes() {
    use giamsat_domain::recommendation::RecStatus;
    use giamsat_store::{dashboard, ledger, search, synthetic};

    // Arrange: enough rows that the planners have something to choose between.
    let t = fresh_db().await;
    synthetic::seed(&t.db, 300, 9, chrono::Utc::now(), |_| {}).await.expect("seeds");
    t.db.execute_unprepared("ANALYZE").await.expect("analyses");
    let pg = t.is_postgres();
    let filter = dashboard::MissionFilter::default();
    let day = chrono::NaiveDate::from_ymd_opt(2024, 6, 1).expect("a date");

    // Act
    let list = statements_of(&t.db, |db| async move {
        dashboard::missions(&db, Visibility::All, &filter, Some(200), 51).await.expect("lists");
    })
    .await;
    let own = statements_of(&t.db, |db| async move {
        dashboard::missions(&db, Visibility::Organisation(1), &dashboard::MissionFilter::default(), Some(200), 51)
            .await
            .expect("lists");
    })
    .await;
    let found = statements_of(&t.db, |db| async move {
        search::search(&db, Visibility::All, "hàng bạc", 20).await.expect("searches");
    })
    .await;
    let due = statements_of(&t.db, |db| async move {
        dashboard::due_between(&db, Visibility::All, None, day, 20).await.expect("due items");
    })
    .await;
    let my_work = statements_of(&t.db, |db| async move {
        let whose = giamsat_store::mywork::Whose {
            user_id: 1,
            visibility: Visibility::All,
            addressee_org: None,
            approvals: giamsat_domain::policy::Approvals::All,
        };
        giamsat_store::mywork::load(&db, whose, (day, day), 5).await.expect("my work");
    })
    .await;
    let org_work = statements_of(&t.db, |db| async move {
        let whose = giamsat_store::mywork::Whose {
            user_id: 1,
            visibility: Visibility::Organisation(2),
            addressee_org: Some(2),
            approvals: giamsat_domain::policy::Approvals::Nothing,
        };
        giamsat_store::mywork::load(&db, whose, (day, day), 5).await.expect("my work");
    })
    .await;
    let bodies = statements_of(&t.db, |db| async move {
        dashboard::supervising_bodies(&db, Visibility::All).await.expect("bodies");
    })
    .await;
    let categories = statements_of(&t.db, |db| async move {
        let found = giamsat_store::reports::categories(&db).await.expect("categories");
        assert!(!found.is_empty(), "the synthetic missions publish articles");
    })
    .await;
    let ledger_of = |filter: ledger::Filter| {
        let db = t.db.clone();
        async move {
            statements_of(&db, |db| async move {
                ledger::list(&db, Visibility::All, None, &filter, Some(10), 51).await.expect("ledger");
            })
            .await
        }
    };
    let ledger_all = ledger_of(ledger::Filter::default()).await;
    let ledger_status =
        ledger_of(ledger::Filter { status: Some(RecStatus::InProgress), ..ledger::Filter::default() }).await;

    // Assert
    // "Việc của tôi": the reports awaiting approval, then the drafts sent back to the user, through the indexes
    // of migration 21 (which one PostgreSQL takes for so few rows is its choice), never by reading every report.
    for statement in &my_work[..2] {
        let plan = plan_of(&t.db, statement).await;
        assert!(plan.contains("_state_updated_at"), "{plan}");
        assert!(!plan.contains("Seq Scan on reports") && !plan.contains("SCAN reports"), "{plan}");
    }
    // Then the items assigned to the user, and those due this week, each open status's from an index range of
    // its own as the dashboard's due items are (PostgreSQL takes the week's range of `(due_on, status)` while
    // the table is small).
    assert_eq!(my_work.len(), 4, "two report lists, two item lists");
    let plan = plan_of(&t.db, &my_work[3]).await;
    let ranges = ["ix_recommendations_status_due_on", "ix_recommendations_due_on_status"]
        .iter()
        .map(|index| plan.matches(index).count())
        .sum::<usize>();
    assert_eq!(ranges, 5, "{plan}");
    assert!(!plan.contains("Seq Scan on recommendations") && !plan.contains("SCAN recommendations"), "{plan}");
    // An organisation's assigned items: its own and those addressed to it, each from its index in id order,
    // never a walk of every item testing both.
    let assigned = org_work.iter().find(|s| s.sql.contains("to_org")).expect("the assigned list");
    let plan = plan_of(&t.db, assigned).await;
    assert!(plan.contains("ix_recommendation_addressees_organisation_id_recommendation_id"), "{plan}");
    assert!(plan.contains("ix_recommendations_owner_user_id"), "{plan}");
    assert!(!plan.contains("Seq Scan on recommendations") && !plan.contains("SCAN recommendations"), "{plan}");
    assert!(!plan.contains("ix_recommendations_status"), "not started from every open item: {plan}");
    // The portal's categories: one jump per category through `reports (category_slug, first_published_at, id)`,
    // never a read of every published article.
    assert_eq!(categories.len(), 1, "one statement");
    let plan = plan_of(&t.db, &categories[0]).await;
    assert!(plan.contains("ix_reports_category_slug_first_published_at_id"), "{plan}");
    assert!(
        !plan.contains("Seq Scan on reports") && !plan.contains("SCAN reports") && !plan.contains("SCAN r "),
        "{plan}"
    );
    assert!(
        !["DISTINCT", "HashAggregate", "Unique"].iter().any(|d| plan.contains(d)),
        "no distinct of every row:\n{plan}"
    );
    for (what, statements) in [
        ("the missions list", &list),
        ("an organisation's list", &own),
        ("search", &found),
        ("the due items", &due),
        ("the bodies filter", &bodies),
        ("the ledger", &ledger_all),
        ("the ledger by status", &ledger_status),
    ] {
        let mut statements: &[Statement] = statements;
        if what.starts_with("the ledger") {
            // The page's items; their addressees and missions follow by id.
            assert_eq!(statements.len(), 3, "{what}: the items, their addressees, their missions");
            statements = &statements[..1];
        }
        if what == "search" {
            let vocabulary = statements.first().expect("the vocabulary first");
            let plan = plan_of(&t.db, vocabulary).await;
            let range =
                if pg { "search_terms_pkey" } else { "SEARCH search_terms USING PRIMARY KEY (term>? AND term<?)" };
            assert!(plan.contains(range), "query words expand through a range of the vocabulary's key:\n{plan}");
            statements = &statements[1..];
        }
        if what == "search" && pg {
            // Under its settings (sorts where the key gives the order, and sequential scans, forbidden; a generic
            // plan): the newest documents by a backward walk of the key from the top, stopping at the last
            // candidate, then the older ones through GIN behind a gate on the walk's count.
            let engine = statements.iter().find(|s| s.sql.contains("IS TRUE")).expect("the engine");
            let plan = plan_with(&t.db, &search::postgres_settings(), engine).await;
            assert!(!plan.contains("Seq Scan"), "{plan}");
            assert!(
                plan.contains("Index Scan Backward using search_documents_pkey on search_documents"),
                "the newest by the key, walked back:\n{plan}"
            );
            // The hits' mission names are looked up by key afterwards (missions and decisions joined).
            assert_eq!(plan.matches("Bitmap Heap Scan on search_documents").count(), 1, "the older by GIN:\n{plan}");
            assert!(plan.contains("Bitmap Index Scan on ix_search_documents_words"), "the older by GIN:\n{plan}");
            assert!(plan.contains("One-Time Filter"), "behind the gate:\n{plan}");
            continue;
        }
        assert_eq!(statements.len(), 1, "{what}: one statement");
        let plan = plan_of(&t.db, &statements[0]).await;
        if what != "the due items" {
            assert_indexed(&plan, what, pg);
        }
        if what == "search" {
            assert!(
                plan.contains("search_fts VIRTUAL TABLE INDEX"),
                "search goes through the full-text index:\n{plan}"
            );
        }
        if what == "the due items" {
            // Each open status's first items in due order from its index; only those few are sorted together.
            assert_eq!(plan.matches("ix_recommendations_status_due_on").count(), 5, "{plan}");
            assert!(!plan.contains("Seq Scan") && !plan.contains("SCAN recommendations"), "{plan}");
            continue;
        }
        if what == "the bodies filter" {
            assert!(plan.contains("ix_missions_supervising_body"), "{plan}");
        }
        if what == "the ledger by status" {
            assert!(plan.contains("ix_recommendations_status_id"), "the items of a status in id order:\n{plan}");
        }
    }
    t.cleanup().await.expect("test database dropped");
}

#[tokio::test]
async fn due_items_are_the_soonest_open_ones_of_every_status() {
    use giamsat_domain::recommendation::RecStatus;
    use giamsat_store::entities::recommendations;
    use giamsat_store::{dashboard, synthetic};

    // Arrange: items of every status with due dates over years.
    let t = fresh_db().await;
    synthetic::seed(&t.db, 120, 4, chrono::Utc::now(), |_| {}).await.expect("seeds");
    let day = chrono::NaiveDate::from_ymd_opt(2024, 6, 1).expect("a date");
    let all = recommendations::Entity::find().all(&t.db).await.expect("reads");
    let open = |r: &&recommendations::Model| RecStatus::from_code(&r.status).is_some_and(|s| s.is_open());
    let mut expected: Vec<(chrono::NaiveDate, i64)> =
        all.iter().filter(open).filter_map(|r| r.due_on.filter(|d| *d <= day).map(|d| (d, r.id))).collect();
    expected.sort_unstable();
    expected.truncate(20);

    // Act
    let due = dashboard::due_between(&t.db, Visibility::All, None, day, 20).await.expect("due items");

    // Assert
    let statuses: HashSet<RecStatus> = due.iter().map(|d| d.status).collect();
    assert!(statuses.len() > 1, "several open statuses among them: {statuses:?}");
    assert_eq!(due.iter().map(|d| (d.due_on, d.id)).collect::<Vec<_>>(), expected);
    t.cleanup().await.expect("test database dropped");
}

/// The recommendation page's link candidates are narrowed in SQL; the domain's "came before" rule
/// (`LinkEnd::is_before`: by start of fieldwork when both are known and differ, else by order of entry) must
/// accept exactly what that narrowing lets through, with dates missing on either side and on the same day.
#[tokio::test]
async fn link_candidates_are_the_missions_of_the_same_units_before_and_after_as_the_domain_orders_them() {
    use giamsat_domain::recommendation::LinkEnd;
    use giamsat_store::{ledger, links};

    // Arrange: missions on one ward, in an entry order that disagrees with their dates, some undated, two on one
    // day; and an earlier one elsewhere, which no item of the ward may be linked to.
    let t = fresh_db().await;
    giamsat_store::synthetic::load_demo_units(&t.db).await.expect("reference data");
    let on_ward = |day: Option<&str>, ward: &str| {
        seed_with(|v| {
            v["fieldwork"] = json!({"from": day, "to": day});
            v["targets"] = json!([{"kind": "ward", "name": ward}]);
            v["sessions"] = json!([]);
            v["findings"] = json!([]);
            v["recommendations"] = json!([{"direction": "upward", "raised_by": [], "addressees": ["Quận ủy"], "text": "sớm ban hành hướng dẫn"}]);
        })
    };
    let days = [
        Some("2021-03-23"),
        None,
        Some("2021-03-23"),
        Some("2021-03-10"),
        Some("2021-04-01"),
        None,
        Some("2021-03-10"),
    ];
    let mut ward = Vec::new();
    for day in days {
        let mission = on_ward(day, "Hàng Bạc");
        let id = missions::insert(&t.db, &mission, &Actor::cli(chrono::Utc::now())).await.expect("inserts");
        let on = day.map(|d| d.parse::<chrono::NaiveDate>().expect("a date"));
        ward.push(LinkEnd {
            id: ledger::ids_of_mission(&t.db, id).await.expect("reads")[0],
            mission_id: id,
            on,
            units: vec![],
        });
    }
    let elsewhere = on_ward(Some("2020-01-06"), "Cửa Nam");
    missions::insert(&t.db, &elsewhere, &Actor::cli(chrono::Utc::now())).await.expect("inserts");

    for this in &ward {
        // Act
        let item = ledger::item(&t.db, this.id).await.expect("reads");
        let offered = links::candidates(&t.db, &item, this.on, Visibility::All, None).await.expect("candidates");

        // Assert
        let mut earlier: Vec<i64> = offered.items.iter().map(|o| o.mission_id).collect();
        let mut later: Vec<i64> = offered.missions.iter().map(|m| m.0).collect();
        earlier.sort_unstable();
        later.sort_unstable();
        let expected_earlier: Vec<i64> = ward.iter().filter(|o| o.is_before(this)).map(|o| o.mission_id).collect();
        let expected_later: Vec<i64> = ward.iter().filter(|o| this.is_before(o)).map(|o| o.mission_id).collect();
        assert_eq!(earlier, expected_earlier, "items offered as repeated from, for mission {}", this.mission_id);
        assert_eq!(later, expected_later, "missions offered as re-supervising, for mission {}", this.mission_id);
    }
    t.cleanup().await.expect("test database dropped");
}

/// The page cache's rule (migration 19): every table but those whose writes no page shows raises
/// `data_version` when written, and a committed write raises it (once per transaction on PostgreSQL).
#[tokio::test]
async fn every_table_but_four_raises_the_data_version_when_written() {
    let test_db = fresh_db().await;
    let db = &test_db.db;
    let backend = db.get_database_backend();
    let (tables_sql, triggers_sql) = if backend == DatabaseBackend::Postgres {
        (
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()",
            "SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname LIKE '%\\_data\\_version'",
        )
    } else {
        (
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
             AND sql NOT LIKE 'CREATE VIRTUAL%' AND name NOT LIKE 'search\\_fts\\_%' ESCAPE '\\'",
            "SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%\\_data\\_version\\_%' ESCAPE '\\'",
        )
    };
    let names = |sql: &'static str| async move {
        db.query_all_raw(Statement::from_string(backend, sql))
            .await
            .expect("the catalogue")
            .iter()
            .map(|r| r.try_get_by_index::<String>(0).expect("a name"))
            .collect::<HashSet<String>>()
    };
    let tables = names(tables_sql).await;
    let with_trigger = names(triggers_sql).await;
    // Sessions are touched as people read, attempts and leases are bookkeeping, view counts are flushed every
    // few seconds: no signed-in page shows them. The migrations' own table and the number itself neither.
    let exempt: HashSet<&str> =
        ["auth_sessions", "login_attempts", "job_leases", "report_views", "seaql_migrations", "data_version"].into();
    let missing: Vec<&String> =
        tables.iter().filter(|t| !exempt.contains(t.as_str()) && !with_trigger.contains(*t)).collect();
    assert!(missing.is_empty(), "tables whose writes do not raise data_version: {missing:?}");
    assert!(tables.len() > 30, "the catalogue was read: {tables:?}");

    let version = || async {
        db.query_one_raw(Statement::from_string(backend, "SELECT version FROM data_version WHERE id = 1"))
            .await
            .expect("read")
            .expect("one row")
            .try_get_by_index::<i64>(0)
            .expect("a number")
    };
    let before = version().await;
    missions::insert(db, &seed(), &Actor::system(chrono::Utc::now())).await.expect("inserted");
    let after = version().await;
    assert!(after > before, "a committed insert raised the number ({before} → {after})");
    if test_db.is_postgres() {
        assert_eq!(after, before + 1, "once per transaction on PostgreSQL");
    }
    test_db.cleanup().await.expect("cleanup");
}

async fn journal_mode(db: &DatabaseConnection) -> String {
    let row = db.query_one_raw(Statement::from_string(DatabaseBackend::Sqlite, "PRAGMA journal_mode")).await.unwrap();
    row.unwrap().try_get_by_index::<String>(0).unwrap()
}

#[tokio::test]
async fn a_bulk_load_goes_through_a_rollback_journal_and_leaves_the_file_in_wal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("t.db");
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let db = giamsat_store::connect(&url, 2).await.expect("connects");
    giamsat_store::migrate(&db).await.expect("migrates");
    db.close().await.expect("closes");
    let bulk = giamsat_store::db::connect_bulk(&url).await.expect("the only connection");
    assert_eq!(journal_mode(&bulk).await, "delete");
    let seeded = giamsat_store::synthetic::seed(&bulk, 40, 3, chrono::Utc::now(), |_| {}).await.expect("seeds");
    assert_eq!(seeded.missions, 40);
    assert_eq!(journal_mode(&bulk).await, "wal", "set again at the end");
    bulk.close().await.expect("closes");
    giamsat_store::db::check_backup(&path.display().to_string()).await.expect("a sound database");
    let db = giamsat_store::connect(&url, 2).await.expect("the app's settings hold");
    assert_eq!(mission_rows::Entity::find().count(&db).await.unwrap(), 40);
}
