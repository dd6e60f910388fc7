//! 4. CSRF on every state-changing route (X1).

use giamsat_domain::policy::Role;
use giamsat_domain::workflow::MissionState;
use giamsat_store::accounts::{self};
use giamsat_web::router::ROUTES;

use crate::support::{PASSWORD, spawn_app};

use super::policy::*;
use super::snapshot::*;
use super::world::*;

#[tokio::test]
async fn every_state_changing_route_refuses_forged_requests_and_changes_nothing() {
    let app = spawn_app().await;
    let photo = stored_photo(&app).await;
    let mission = app.insert_json(&State::InProgress.json(&photo)).await;
    let org = app.owner_of(mission).await;
    let admin_id = app.user(Role::Admin, None, None).await.id;
    let staff = Caller::of(app.user(Role::Staff, Some(org), None).await);

    let mut routes = 0;
    for (method, pattern) in ROUTES.iter().filter(|(m, p)| *m != "get" && !matches!(*p, "/login" | "/setup/{token}")) {
        // A session of its own for each route, so that the control request (which may log out, or end every
        // session with a new password) leaves the others alone; a mission of its own, so that an earlier route's
        // control (a cancellation) does not close the follow-up a later one changes.
        let mission = app.insert_json(&State::InProgress.json(&photo)).await;
        let me = Caller::new_session(&app, admin_id).await;
        let other_session = Caller::new_session(&app, admin_id).await;
        let at = Setting {
            mission,
            photo: &photo,
            kind: MATRIX_KIND,
            account: admin_id,
            organisation: org,
            to: MissionState::Cancelled,
        };
        let (path, payload) = prepare(&app, method, pattern, &at).await;
        let attempts: [Forgery<'_>; 5] = [
            ("no token", Csrf::Omitted, &[]),
            ("another session's token (same account)", Csrf::This(&other_session.csrf), &[]),
            ("another account's token", Csrf::This(&staff.csrf), &[]),
            ("a foreign Origin", Csrf::Own, &[("origin", "https://evil.example")]),
            ("a cross-site fetch", Csrf::Own, &[("sec-fetch-site", "cross-site")]),
        ];
        for (what, csrf, headers) in attempts {
            let before = snapshot(&app, true).await;
            let response = me.send(&app, method, &path, &payload, csrf, headers).await;
            assert_eq!(response.status(), 403, "{method} {pattern} with {what}");
            assert_eq!(snapshot(&app, true).await, before, "{method} {pattern} with {what} changed something");
        }
        // Control: the same request with the session's own token gets past the check.
        let control = me.send(&app, method, &path, &payload, Csrf::Own, &[]).await;
        assert_ne!(control.status(), 403, "{method} {pattern}: the control request was refused");
        routes += 1;
    }
    assert!(routes >= 7, "{routes} routes");

    // The login form: its token is the pre-session cookie's (double submit). Right credentials, so that a
    // request getting through would log in.
    let visitor = Caller::anonymous(&app).await;
    let other_visitor = Caller::anonymous(&app).await;
    let email = accounts::by_id(&app.test_db.db, admin_id).await.expect("reads").expect("exists").email;
    let login = form(&[("email", &email), ("password", PASSWORD), ("next", "/")]);
    let attempts: [Forgery<'_>; 4] = [
        ("no token", Csrf::Omitted, &[]),
        ("another browser's token", Csrf::This(&other_visitor.csrf), &[]),
        ("a foreign Origin", Csrf::Own, &[("origin", "https://evil.example")]),
        ("a cross-site fetch", Csrf::Own, &[("sec-fetch-site", "cross-site")]),
    ];
    for (what, csrf, headers) in attempts {
        let before = snapshot(&app, true).await;
        let response = visitor.send(&app, "post", "/login", &login, csrf, headers).await;
        assert_eq!(response.status(), 403, "POST /login with {what}");
        assert_eq!(snapshot(&app, true).await, before, "POST /login with {what} changed something");
    }
    let control = visitor.send(&app, "post", "/login", &login, Csrf::Own, &[]).await;
    assert_eq!(control.status(), 303, "the control login succeeds");
    app.cleanup().await;
}
