//! 2. IDOR: another organisation's mission answers exactly like a missing one.

use giamsat_domain::policy::{Capacity, Role};
use giamsat_domain::workflow::MissionState;
use giamsat_store::entities::missions;
use giamsat_store::sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use giamsat_web::auth::random_token;
use giamsat_web::router::ROUTES;

use crate::support::{SEED, spawn_app};

use super::policy::*;
use super::snapshot::*;
use super::world::*;

/// A response reduced to what a client can compare: status, headers but the request id and date, and the body
/// with the request id (`Mã yêu cầu: <code>…</code>`) blanked.
#[derive(Debug, PartialEq, Eq)]
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

async fn answer(response: reqwest::Response) -> Answer {
    let status = response.status().as_u16();
    let request_id =
        response.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let mut headers: Vec<(String, String)> = response
        .headers()
        .iter()
        .filter(|(name, _)| !matches!(name.as_str(), "x-request-id" | "date"))
        .map(|(name, value)| (name.to_string(), String::from_utf8_lossy(value.as_bytes()).into_owned()))
        .collect();
    headers.sort();
    let mut body = response.text().await.expect("body");
    if !request_id.is_empty() {
        body = body.replace(&request_id, "REQUEST-ID");
    }
    Answer { status, headers, body }
}

#[tokio::test]
async fn another_organisations_mission_answers_exactly_like_a_missing_one_and_stays_unchanged() {
    let app = spawn_app().await;
    let photo_a = stored_photo(&app).await;
    let photo_b = stored_photo(&app).await;
    let with_photo = |json: &str, key: &str| {
        let mut v: serde_json::Value = serde_json::from_str(json).expect("JSON");
        v["sessions"][0]["photos"][0]["file"] = key.into();
        v.to_string()
    };
    let a = app.insert_json(&with_photo(SEED, &photo_a)).await;
    let b = app.insert_json(&with_photo(&seed_of_another_org(), &photo_b)).await;
    let (org_a, org_b) = (app.owner_of(a).await, app.owner_of(b).await);
    assert_ne!(org_a, org_b, "two organisations");
    let leader_a = app.user(Role::TeamLeader, Some(org_a), Some((a, Capacity::Leader))).await;
    let leader_b = app.user(Role::TeamLeader, Some(org_b), Some((b, Capacity::Leader))).await;
    let staff_a = app.user(Role::Staff, Some(org_a), None).await;
    let token_of_b = live_token(&app, leader_b.id).await;
    // Controls: each side reaches its own mission and photo, so the refusals below are not vacuous.
    assert_eq!(leader_b.get(&format!("/missions/{b}")).await.status(), 200);
    assert_eq!(leader_b.get(&format!("/missions/{b}/photos/{photo_b}")).await.status(), 200);
    assert_eq!(leader_a.get(&format!("/missions/{a}/photos/{photo_a}")).await.status(), 200);
    assert_eq!(staff_a.get(&format!("/missions/{a}")).await.status(), 200);
    let missing = a.max(b) + 1000;
    let missing_token = token_of_b + 1000;
    let attackers = [("leader A", Caller::of(leader_a)), ("staff A", Caller::of(staff_a))];
    // Every mission route, with the payload B's own staff would send (B's version): built first, as some need
    // rows of their own (an assignment to remove), then sent once to B and once to no mission.
    let mut requests = Vec::new();
    for (name, attacker) in &attackers {
        let account = attacker.user_id.expect("an account");
        for (method, pattern) in ROUTES.iter().filter(|(_, p)| p.contains("/missions/{id}")) {
            let kinds: &[&str] = if pattern.contains("{kind}") { &KINDS } else { &["findings"] };
            let steps: &[MissionState] =
                if pattern.ends_with("/transition") { MissionState::ALL } else { &[MissionState::Cancelled] };
            for kind in kinds {
                for to in steps {
                    let at = Setting { mission: b, photo: &photo_b, kind, account, organisation: org_b, to: *to };
                    let (theirs, payload) = prepare(&app, method, pattern, &at).await;
                    let nothing = theirs.replacen(&format!("/missions/{b}"), &format!("/missions/{missing}"), 1);
                    let what = format!("{name}: {} {theirs} ({kind}, {})", method.to_uppercase(), to.code());
                    requests.push((attacker, *method, theirs, nothing, payload, what));
                }
            }
        }
    }
    let before = snapshot(&app, false).await;
    for (attacker, method, theirs_path, nothing_path, payload, what) in &requests {
        let theirs = answer(attacker.send(&app, method, theirs_path, payload, Csrf::Own, &[]).await).await;
        let nothing = answer(attacker.send(&app, method, nothing_path, payload, Csrf::Own, &[]).await).await;
        assert!(!(200..400).contains(&theirs.status), "{what}: {}", theirs.status);
        assert_eq!(theirs, nothing, "{what}: B answers unlike a missing mission");
    }
    assert!(requests.len() >= 2 * 20, "every mission route was tried ({})", requests.len());

    for (name, attacker) in &attackers {
        // B's photo through a mission A sees: photos belong to their mission.
        if *name == "leader A" {
            let through_a = answer(
                attacker
                    .send(&app, "get", &format!("/missions/{a}/photos/{photo_b}"), &Payload::default(), Csrf::Own, &[])
                    .await,
            )
            .await;
            let unknown = answer(
                attacker
                    .send(
                        &app,
                        "get",
                        &format!("/missions/{a}/photos/{}.png", random_token()),
                        &Payload::default(),
                        Csrf::Own,
                        &[],
                    )
                    .await,
            )
            .await;
            assert_eq!(through_a.status, 404, "{name}: B's photo through A");
            assert_eq!(through_a, unknown, "{name}: B's photo through A answers unlike an unknown photo");
        }
        // Another account's API token is not one's own to revoke.
        let revoke = |id: i64| format!("/account/tokens/{id}/revoke");
        let theirs =
            answer(attacker.send(&app, "post", &revoke(token_of_b), &Payload::default(), Csrf::Own, &[]).await).await;
        let nothing =
            answer(attacker.send(&app, "post", &revoke(missing_token), &Payload::default(), Csrf::Own, &[]).await)
                .await;
        assert_eq!(theirs.status, 404, "{name}: revoking B's token");
        assert_eq!(theirs, nothing, "{name}: B's token answers unlike a missing one");
    }
    assert_eq!(snapshot(&app, false).await, before, "nothing changed: versions, audit trail, tokens");
    app.cleanup().await;
}

#[tokio::test]
async fn staff_cannot_import_a_mission_into_another_organisation_of_the_same_name() {
    let app = spawn_app().await;
    let own = app.insert_seed().await;
    let org = app.owner_of(own).await;
    // The same name under another parent body is another organisation (names are not unique).
    let twin_file = seed_with(|v| v["owner"]["parent"] = "Đảng bộ tỉnh Hà Nam".into());
    let twin_org = app.owner_of(app.insert_json(&twin_file).await).await;
    assert_ne!(org, twin_org, "two organisations of the same name");
    let staff = Caller::of(app.user(Role::Staff, Some(org), None).await);
    let owned_by = |organisation: i64| {
        missions::Entity::find().filter(missions::Column::OwnerOrgId.eq(organisation)).count(&app.test_db.db)
    };
    let before = owned_by(twin_org).await.expect("counts");
    let upload = Payload { file: Some(twin_file.clone().into_bytes()), ..Payload::default() };
    let document = Payload { json: Some(twin_file.into_bytes()), ..Payload::default() };
    for (path, payload) in [("/import", upload), ("/api/v1/missions", document)] {
        let status = staff.send(&app, "post", path, &payload, Csrf::Own, &[]).await.status();
        assert_eq!(
            owned_by(twin_org).await.expect("counts"),
            before,
            "POST {path}: staff of organisation {org} created a mission of organisation {twin_org} ({status})"
        );
    }
    app.cleanup().await;
}
