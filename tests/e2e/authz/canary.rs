//! 3. The canary: an unpublished finding never reaches those who may not view its mission.

use giamsat_domain::policy::{Capacity, Role};
use giamsat_store::accounts::{self};
use giamsat_store::audit::Actor;
use giamsat_web::auth::{hash_token, random_token};
use giamsat_web::router::ROUTES;

use crate::support::spawn_app;

use super::policy::*;
use super::world::*;

#[tokio::test]
async fn an_unpublished_finding_reaches_nobody_who_may_not_view_its_mission() {
    let app = spawn_app().await;
    let token = |prefix: &str| format!("{prefix}-{}", random_token().get(..24).unwrap_or_default());
    // The canary proper is in the first finding; two more sit where the dashboard looks (a session this month
    // at a target of its own, a recommendation due in two days). `needle`, in all three, is what the search and
    // filter probes below ask for: echoed back, it reveals nothing. (The team: the test after this one.)
    let (canary, target_canary, recommendation_canary) = (token("CANARY"), token("CANARYTARGET"), token("CANARYREC"));
    let needle = format!("kim{}", random_token().get(..16).unwrap_or_default());
    let canaries = [canary.as_str(), target_canary.as_str(), recommendation_canary.as_str()];
    let today = chrono::Utc::now().date_naive();
    let photo = stored_photo(&app).await;
    let id = app
        .insert_json(&seed_with(|v| {
            v["findings"][0]["text"] =
                format!("công tác chuẩn bị {canary} {needle} đã được các phường triển khai").into();
            let target = format!("{target_canary} {needle}");
            v["targets"].as_array_mut().expect("targets").push(serde_json::json!({"kind": "ward", "name": target}));
            v["sessions"]
                .as_array_mut()
                .expect("sessions")
                .push(serde_json::json!({"target": target, "date": today.to_string(), "photos": []}));
            v["recommendations"][0]["text"] = format!("sớm ban hành {recommendation_canary} {needle}").into();
            v["recommendations"][0]["due_on"] = (today + chrono::Duration::days(2)).to_string().into();
            v["sessions"][0]["photos"][0]["file"] = photo.clone().into();
        }))
        .await;
    let org = app.owner_of(id).await;
    let led_elsewhere = app.insert_seed().await;
    let other_org = app.owner_of(app.insert_json(&seed_of_another_org()).await).await;
    let missing = id.max(led_elsewhere) + 1000;

    // Those who may view it see the canary on the mission page: the test below cannot pass vacuously.
    let insiders = [
        ("admin", app.user(Role::Admin, None, None).await),
        ("staff", app.user(Role::Staff, Some(org), None).await),
        ("viewer", app.user(Role::Viewer, Some(org), None).await),
        ("writer", app.user(Role::Writer, Some(org), None).await),
        ("leader", app.user(Role::TeamLeader, Some(org), Some((id, Capacity::Leader))).await),
        ("member", app.user(Role::TeamMember, Some(org), Some((id, Capacity::Member))).await),
    ];
    for (name, user) in &insiders {
        let page = user.get(&format!("/missions/{id}")).await.text().await.expect("body");
        for canary in canaries {
            assert!(page.contains(canary), "{name} may view the mission and sees {canary}");
        }
        let found = user.get(&format!("/search?q={needle}")).await.text().await.expect("body");
        assert!(found.contains(&canary), "control: the search finds the finding for {name}");
    }

    let leader_elsewhere = app.user(Role::TeamLeader, Some(org), Some((led_elsewhere, Capacity::Leader))).await;
    let api_token = format!("gs_{}", random_token());
    accounts::create_api_token(
        &app.test_db.db,
        leader_elsewhere.id,
        "máy chủ",
        &hash_token(&api_token),
        "gs_",
        &Actor::system(chrono::Utc::now()),
    )
    .await
    .expect("token stored");
    let bearer = format!("Bearer {api_token}");
    let outsiders = [
        ("anonymous", Caller::anonymous(&app).await, None),
        ("staff of another organisation", Caller::of(app.user(Role::Staff, Some(other_org), None).await), None),
        ("viewer of another organisation", Caller::of(app.user(Role::Viewer, Some(other_org), None).await), None),
        ("leader of another mission", Caller::of(leader_elsewhere), None),
        ("leader of another mission, by API token", Caller::anonymous(&app).await, Some(bearer.as_str())),
    ];

    let mut requests: Vec<(&str, String)> = vec![
        ("get", format!("/missions?before={missing}")),
        ("get", "/login?next=%2Fmissions".to_owned()),
        ("get", format!("/admin/audit?mission={id}")),
        ("get", format!("/admin/audit.csv?mission={id}")),
    ];
    for (method, pattern) in ROUTES.iter().filter(|(m, _)| *m == "get") {
        for mission in [id, missing] {
            for kind in KINDS {
                let path = fill(pattern, &Params { id: mission, key: &photo, kind });
                if !requests.iter().any(|(_, p)| *p == path) {
                    requests.push((method, path));
                }
            }
        }
    }
    // The same pages searched and filtered for the needle.
    let query = format!("q={needle}&target={needle}&body={needle}&year={}", today.format("%Y"));
    for (method, path) in requests.clone() {
        let joined = if path.contains('?') { format!("{path}&{query}") } else { format!("{path}?{query}") };
        requests.push((method, joined));
    }
    for mission in [id, missing] {
        requests.push(("post", format!("/missions/{mission}/transition")));
        requests.push(("post", format!("/missions/{mission}/items/findings/0")));
    }
    let payload = form(&[("to", "drafting"), ("version", "1"), ("kind", "strength"), ("text", "x")]);
    let mut sent = 0;
    for (name, caller, bearer) in &outsiders {
        let headers: Vec<(&str, &str)> = bearer.iter().map(|b| ("authorization", *b)).collect();
        for (method, path) in &requests {
            let response = caller.send(&app, method, path, &payload, Csrf::Own, &headers).await;
            let status = response.status();
            let answered: Vec<(String, String)> = response
                .headers()
                .iter()
                .map(|(h, v)| (h.to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
                .collect();
            let body = response.bytes().await.expect("body");
            let body = String::from_utf8_lossy(&body);
            for canary in canaries {
                for (header, value) in &answered {
                    assert!(!value.contains(canary), "{name}: {method} {path} leaks {canary} in header {header}");
                }
                assert!(!body.contains(canary), "{name}: {method} {path} ({status}) leaks {canary}");
            }
            sent += 1;
        }
    }
    assert!(sent > 200, "{sent} requests");
    // The log lines of all those requests name missions and accounts, never a text.
    let logs = crate::support::logs();
    assert!(logs.contains("access denied: mission not visible"), "control: the refusals above are logged");
    for canary in canaries {
        assert!(!logs.contains(canary), "a log line carries {canary}");
    }
    app.cleanup().await;
}

#[tokio::test]
async fn the_team_of_a_mission_reaches_nobody_who_may_not_view_it() {
    let app = spawn_app().await;
    let canary = format!("CANARYMEMBER-{}", random_token().get(..24).unwrap_or_default());
    let needle = format!("kim{}", random_token().get(..16).unwrap_or_default());
    let id = app
        .insert_json(&seed_with(|v| {
            v["members"].as_array_mut().expect("members").push(serde_json::json!({
                "name": format!("Trần Văn {needle}"),
                "role": "member",
                "position": format!("{canary} {needle}"),
            }));
        }))
        .await;
    let org = app.owner_of(id).await;
    let other_org = app.owner_of(app.insert_json(&seed_of_another_org()).await).await;
    let staff = app.user(Role::Staff, Some(org), None).await;
    let page = staff.get(&format!("/missions/{id}")).await.text().await.expect("body");
    assert!(page.contains(&canary), "the owning organisation's staff see the team");
    let found = staff.get(&format!("/search?q={needle}")).await.text().await.expect("body");
    assert!(found.contains(&canary), "control: the search finds the member for those who may view the mission");
    let outsiders = [
        ("staff of another organisation", app.user(Role::Staff, Some(other_org), None).await),
        ("viewer of another organisation", app.user(Role::Viewer, Some(other_org), None).await),
        ("leader of no mission", app.user(Role::TeamLeader, Some(org), None).await),
    ];
    let mut leaks = Vec::new();
    let mut paths = Vec::new();
    for (_, pattern) in ROUTES.iter().filter(|(m, p)| *m == "get" && !p.contains('{')) {
        paths.push((*pattern).to_owned());
        paths.push(format!("{pattern}?q={needle}&target={needle}&body={needle}"));
    }
    for (name, user) in &outsiders {
        for path in &paths {
            let body = user.get(path).await.text().await.expect("body");
            if body.contains(&canary) {
                leaks.push(format!("{name}: GET {path}"));
            }
        }
    }
    assert!(leaks.is_empty(), "the team of mission {id} leaks:\n{}", leaks.join("\n"));
    app.cleanup().await;
}
