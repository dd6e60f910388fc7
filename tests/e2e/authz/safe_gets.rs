//! 5. GET never changes state (X2).

use giamsat_domain::policy::Role;
use giamsat_store::accounts::LinkPurpose;
use giamsat_web::pages::admin::password_link;
use giamsat_web::router::ROUTES;

use crate::support::spawn_app;

use super::policy::*;
use super::snapshot::*;
use super::world::*;

#[tokio::test]
async fn no_get_request_changes_anything() {
    let app = spawn_app().await;
    let photo = stored_photo(&app).await;
    let mission = app.insert_json(&State::InProgress.json(&photo)).await;
    let org = app.owner_of(mission).await;
    let missing = mission + 1000;
    let bystander = bystander(&app, org).await;
    let link = password_link(&app.state, Some(bystander), LinkPurpose::Password).await.expect("link");
    let link_token = link.rsplit('/').next().expect("a token").to_owned();
    let callers = [
        ("anonymous", Caller::anonymous(&app).await),
        ("staff", Caller::of(app.user(Role::Staff, Some(org), None).await)),
        ("admin", Caller::of(app.user(Role::Admin, None, None).await)),
    ];
    live_token(&app, callers[2].1.user_id.expect("an account")).await;

    let mut paths = vec![
        format!("/missions?before={missing}"),
        "/login?next=%2Fmissions".to_owned(),
        format!("/admin/audit?mission={mission}&actor=system"),
        format!("/admin/audit.csv?mission={mission}"),
        "/account?changed=1".to_owned(),
    ];
    for (_, pattern) in ROUTES.iter().filter(|(m, _)| *m == "get") {
        for id in [mission, missing] {
            for kind in KINDS {
                let path = fill(pattern, &Params { id, key: &photo, kind });
                if !paths.contains(&path) {
                    paths.push(path);
                }
            }
        }
        if pattern.contains("{token}") {
            // A real one-time link: looking at its form must not use it up.
            paths.push(pattern.replace("{token}", &link_token));
        }
    }
    for (name, caller) in &callers {
        for path in &paths {
            let before = snapshot(&app, false).await;
            let response = caller.send(&app, "get", path, &Payload::default(), Csrf::Own, &[]).await;
            assert!(response.status().as_u16() < 500, "{name}: GET {path}: {}", response.status());
            assert_eq!(snapshot(&app, false).await, before, "{name}: GET {path} changed the database");
        }
    }
    assert_eq!(app.get(&format!("/setup/{link_token}")).await.status(), 200, "the link is still unused");
    app.cleanup().await;
}
