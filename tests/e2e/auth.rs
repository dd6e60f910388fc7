//! Accounts, sessions and CSRF, through the real forms.

use giamsat_domain::policy::{Capacity, Role};
use giamsat_store::accounts::{self, LinkPurpose};
use giamsat_store::entities::{audit_events, auth_sessions, users};
use giamsat_store::sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use giamsat_web::pages::admin::password_link;

use crate::support::{PASSWORD, TestUser, cookie_client, csrf_of, spawn_app};

fn set_cookies(response: &reqwest::Response) -> Vec<String> {
    response.headers().get_all("set-cookie").iter().map(|v| v.to_str().expect("ascii").to_owned()).collect()
}

fn session_cookie(response: &reqwest::Response) -> Option<String> {
    set_cookies(response).into_iter().find(|c| c.starts_with("giamsat=") && !c.starts_with("giamsat=;"))
}

#[tokio::test]
async fn anonymous_visitors_are_sent_to_the_login_page() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    for path in ["/", "/missions", &format!("/missions/{id}"), &format!("/missions/{id}/export"), "/admin/users"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 303, "{path}");
        let location = response.headers()["location"].to_str().expect("ascii");
        assert!(location.starts_with("/login?next="), "{path} → {location}");
    }
    app.cleanup().await;
}

#[tokio::test]
async fn login_sets_a_new_httponly_lax_session_cookie_and_the_old_one_dies() {
    let app = spawn_app().await;
    let (_, email) = app.account(Role::Viewer, None).await;
    let (first, client) = app.login(&email, PASSWORD).await;
    assert_eq!(first.status(), 303);
    let cookie = session_cookie(&first).expect("a session cookie");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"), "{cookie}");
    assert!(!cookie.contains("Domain"), "{cookie}");
    let old_value = cookie.split(';').next().expect("name=value").to_owned();

    // Logging in again from the same browser rotates the id and ends the previous session.
    let page = client.get(app.url("/login")).send().await.expect("reaches");
    assert_eq!(page.status(), 303, "a logged-in user is sent on");
    let account = client.get(app.url("/account")).send().await.expect("reaches").text().await.expect("body");
    let token = csrf_of(&account).expect("the session's token");
    let second = client
        .post(app.url("/login"))
        .form(&[("email", email.as_str()), ("password", PASSWORD), ("_csrf", token.as_str())])
        .send()
        .await
        .expect("reaches");
    assert_eq!(second.status(), 303);
    let new_value = session_cookie(&second).expect("a new cookie").split(';').next().expect("pair").to_owned();
    assert_ne!(new_value, old_value, "the session id changes at login");
    let replay = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
        .get(app.url("/account"))
        .header("cookie", old_value)
        .send()
        .await
        .expect("reaches");
    assert_eq!(replay.status(), 303, "the old cookie is dead");
    app.cleanup().await;
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_account_get_the_same_answer() {
    let app = spawn_app().await;
    let (_, email) = app.account(Role::Viewer, None).await;
    let (wrong, _) = app.login(&email, "không phải mật khẩu này").await;
    let (unknown, _) = app.login("ai-do@khong-co.vn", PASSWORD).await;
    assert_eq!(wrong.status(), 401);
    assert_eq!(unknown.status(), 401);
    let (a, b) = (wrong.text().await.expect("body"), unknown.text().await.expect("body"));
    assert!(a.contains("Email hoặc mật khẩu không đúng."));
    assert!(b.contains("Email hoặc mật khẩu không đúng."));
    app.cleanup().await;
}

#[tokio::test]
async fn logout_deletes_the_session() {
    let app = spawn_app().await;
    let user = app.user(Role::Viewer, None, None).await;
    assert_eq!(user.get("/account").await.status(), 200);
    assert_eq!(user.post("/logout", &[]).await.status(), 303);
    assert_eq!(user.get("/account").await.status(), 303, "logged out");
    let sessions = auth_sessions::Entity::find()
        .filter(auth_sessions::Column::UserId.eq(user.id))
        .count(&app.test_db.db)
        .await
        .expect("counts");
    assert_eq!(sessions, 0);
    app.cleanup().await;
}

#[tokio::test]
async fn sessions_end_after_30_idle_minutes_and_after_12_hours_whatever_the_activity() {
    let app = spawn_app().await;
    let idle = app.user(Role::Viewer, None, None).await;
    app.advance_minutes(29);
    assert_eq!(idle.get("/account").await.status(), 200, "29 minutes idle is fine");
    app.advance_minutes(31);
    assert_eq!(idle.get("/account").await.status(), 303, "31 minutes idle ends it");

    let busy = app.user(Role::Viewer, None, None).await;
    for _ in 0..(12 * 60 / 20) {
        app.advance_minutes(20);
        if busy.get("/account").await.status() != 200 {
            break;
        }
    }
    app.advance_minutes(20);
    assert_eq!(busy.get("/account").await.status(), 303, "12 hours is the absolute limit");
    app.cleanup().await;
}

fn retry_after(response: &reqwest::Response) -> i64 {
    response.headers()["retry-after"].to_str().expect("ascii").parse().expect("seconds")
}

/// Issue 14: an office behind one public address signs in all at once; successes never count.
#[tokio::test]
async fn fifty_successful_logins_from_one_address_within_a_minute_all_succeed() {
    let app = spawn_app().await;
    let (_, email) = app.account(Role::Viewer, None).await;
    let (_, colleague) = app.account(Role::Viewer, None).await;
    for n in 0..50 {
        let who = if n % 2 == 0 { &email } else { &colleague };
        let (response, _) = app.login(who, PASSWORD).await;
        assert_eq!(response.status(), 303, "login {n} of {who}");
    }
    app.cleanup().await;
}

/// Issue 14: wrong passwords slow the account down (1 s, 2 s, 4 s … at most a minute), they do not lock it; the
/// waiting attempts compute no hash and do not make the wait longer.
#[tokio::test]
async fn wrong_passwords_make_an_account_wait_longer_each_time_up_to_a_minute() {
    let app = spawn_app().await;
    let (_, email) = app.account(Role::Viewer, None).await;
    let mut waits = Vec::new();
    for _ in 0..10 {
        let (wrong, _) = app.login(&email, "sai mật khẩu lần nữa").await;
        assert_eq!(wrong.status(), 401);
        let (again, _) = app.login(&email, "sai mật khẩu lần nữa").await;
        if again.status() == 401 {
            waits.push(0);
            continue;
        }
        assert_eq!(again.status(), 429);
        let wait = retry_after(&again);
        let page = again.text().await.expect("body");
        let words = if wait < 60 { format!("chờ {wait} giây") } else { "chờ 1 phút".to_owned() };
        assert!(page.contains("Đăng nhập sai quá nhiều lần với email này") && page.contains(&words), "{page}");
        assert!(page.contains("name=\"email\"") && page.contains(&email), "the address is kept");
        waits.push(wait);
        app.advance_seconds(wait);
    }
    // The first probe was the second failure; from the third on each failure waits, doubling, capped.
    assert_eq!(waits, [0, 1, 2, 4, 8, 16, 32, 60, 60, 60]);
    app.cleanup().await;
}

/// Issue 14: an attacker's ten tries do not lock the rightful user out: the right password after the (short,
/// capped) delay gets in, and ends the delay.
#[tokio::test]
async fn ten_wrong_passwords_do_not_stop_the_right_one_once_the_delay_has_passed() {
    let app = spawn_app().await;
    let (_, email) = app.account(Role::Viewer, None).await;
    for _ in 0..10 {
        let (wrong, _) = app.login(&email, "sai mật khẩu lần nữa").await;
        if wrong.status() == 429 {
            app.advance_seconds(retry_after(&wrong));
            let (wrong, _) = app.login(&email, "sai mật khẩu lần nữa").await;
            assert_eq!(wrong.status(), 401);
        } else {
            assert_eq!(wrong.status(), 401);
        }
    }
    let (waiting, _) = app.login(&email, PASSWORD).await;
    assert_eq!(waiting.status(), 429, "even the right password waits for the delay");
    let wait = retry_after(&waiting);
    assert!((1..=60).contains(&wait), "{wait}");
    app.advance_seconds(wait);
    let (after, _) = app.login(&email, PASSWORD).await;
    assert_eq!(after.status(), 303, "the rightful user gets in after at most a minute");
    let (next, _) = app.login(&email, PASSWORD).await;
    assert_eq!(next.status(), 303, "a success ends the delay");
    app.cleanup().await;
}

/// Password spraying: one address trying one password on many accounts is still stopped, and a success of its
/// own in between does not wipe out its failures.
#[tokio::test]
async fn failures_from_one_address_across_many_accounts_are_still_throttled() {
    let app = spawn_app().await;
    let (_, own) = app.account(Role::Viewer, None).await;
    for n in 0..30 {
        let (wrong, _) = app.login(&format!("nguoi-{n}@phuong.vn"), "Mùa thu Hà Nội 2025").await;
        assert_eq!(wrong.status(), 401, "attempt {n}");
        if n == 15 {
            let (ok, _) = app.login(&own, PASSWORD).await;
            assert_eq!(ok.status(), 303);
        }
    }
    let (throttled, _) = app.login(&own, PASSWORD).await;
    assert_eq!(throttled.status(), 429, "the address waits, whatever the account");
    let wait = retry_after(&throttled);
    assert!((1..=5 * 60).contains(&wait), "{wait}");
    assert!(throttled.text().await.expect("body").contains("Đăng nhập sai quá nhiều lần từ địa chỉ mạng này"));
    app.advance_seconds(wait);
    let (after, _) = app.login(&own, PASSWORD).await;
    assert_eq!(after.status(), 303, "the address's window passes");
    app.cleanup().await;
}

#[tokio::test]
async fn passwords_are_stored_as_argon2id_at_owasp_parameters() {
    let app = spawn_app().await;
    app.account(Role::Viewer, None).await;
    for user in users::Entity::find().all(&app.test_db.db).await.expect("users") {
        let hash = user.password_hash.expect("a hash");
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
    }
    app.cleanup().await;
}

#[tokio::test]
async fn the_first_administrator_is_created_through_a_one_time_link() {
    let app = spawn_app().await;
    assert_eq!(accounts::count(&app.test_db.db).await.expect("counts"), 0, "no default accounts");
    let (admin_admin, _) = app.login("admin", "admin").await;
    assert_eq!(admin_admin.status(), 401);
    let link = password_link(&app.state, None, LinkPurpose::Setup).await.expect("link");
    let path = link.strip_prefix(&app.base).expect("a link to this app").to_owned();
    let client = cookie_client();
    let form = client.get(app.url(&path)).send().await.expect("reaches").text().await.expect("body");
    let csrf = csrf_of(&form).expect("token");
    let short = client
        .post(app.url(&path))
        .form(&[
            ("email", "chanh.vp@quanuy.vn"),
            ("name", "Chánh Văn phòng"),
            ("password", "ngắn"),
            ("confirm", "ngắn"),
            ("_csrf", &csrf),
        ])
        .send()
        .await
        .expect("reaches");
    assert_eq!(short.status(), 422);
    let body = short.text().await.expect("body");
    assert!(body.contains("ít nhất 12 ký tự") && body.contains("chanh.vp@quanuy.vn"), "message shown, input kept");
    let created = client
        .post(app.url(&path))
        .form(&[
            ("email", "Chanh.VP@quanuy.vn"),
            ("name", "Chánh Văn phòng"),
            ("password", PASSWORD),
            ("confirm", PASSWORD),
            ("_csrf", &csrf),
        ])
        .send()
        .await
        .expect("reaches");
    assert_eq!(created.status(), 303);
    let (login, _) = app.login("chanh.vp@quanuy.vn", PASSWORD).await;
    assert_eq!(login.status(), 303);
    assert_eq!(app.get(&path).await.status(), 404, "the link works once");
    app.cleanup().await;
}

#[tokio::test]
async fn changing_the_password_ends_every_other_session() {
    let app = spawn_app().await;
    let user = app.user(Role::Viewer, None, None).await;
    let (_, other) = app.login(&user.email, PASSWORD).await;
    assert_eq!(other.get(app.url("/account")).send().await.expect("reaches").status(), 200);
    let new_password = "một mật khẩu mới hoàn toàn";
    let changed = user
        .post("/account/password", &[("current", PASSWORD), ("new", new_password), ("confirm", new_password)])
        .await;
    assert_eq!(changed.status(), 303);
    assert_eq!(user.get("/account").await.status(), 200, "this session continues under a new id");
    assert_eq!(other.get(app.url("/account")).send().await.expect("reaches").status(), 303, "the other one ended");
    let (login, _) = app.login(&user.email, new_password).await;
    assert_eq!(login.status(), 303);
    app.cleanup().await;
}

#[tokio::test]
async fn state_changing_requests_need_the_sessions_token_and_the_same_origin() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let staff = app.user(Role::Staff, Some(app.owner_of(id).await), None).await;
    let other = app.user(Role::Viewer, None, None).await;
    let path = format!("/missions/{id}/transition");
    let url = staff.url(&path);
    let form = [("to", "cancelled"), ("version", "1")];
    let attempts = [
        staff.client.post(&url).form(&form).send().await.expect("reaches"),
        staff
            .client
            .post(&url)
            .form(&[("to", "cancelled"), ("version", "1"), ("_csrf", other.csrf.as_str())])
            .send()
            .await
            .expect("reaches"),
        staff
            .client
            .post(&url)
            .header("origin", "https://evil.example")
            .form(&[("to", "cancelled"), ("version", "1"), ("_csrf", staff.csrf.as_str())])
            .send()
            .await
            .expect("reaches"),
        staff
            .client
            .post(&url)
            .header("sec-fetch-site", "cross-site")
            .form(&[("to", "cancelled"), ("version", "1"), ("_csrf", staff.csrf.as_str())])
            .send()
            .await
            .expect("reaches"),
    ];
    for (i, response) in attempts.into_iter().enumerate() {
        assert_eq!(response.status(), 403, "attempt {i}");
    }
    let audit_before = audit_events::Entity::find().count(&app.test_db.db).await.expect("counts");
    let stored = giamsat_store::missions::load(&app.test_db.db, id).await.expect("loads");
    assert_eq!(stored.version, 1, "nothing changed");
    let ok =
        staff.post(&path, &[("to", "cancelled"), ("version", "1"), ("reason", "trùng lịch"), ("confirm", "yes")]).await;
    assert_eq!(ok.status(), 303);
    // The step and its reason.
    assert_eq!(audit_events::Entity::find().count(&app.test_db.db).await.expect("counts"), audit_before + 2);
    app.cleanup().await;
}

#[tokio::test]
async fn api_tokens_authenticate_until_revoked() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let leader = app.user(Role::TeamLeader, Some(app.owner_of(id).await), Some((id, Capacity::Leader))).await;
    let page = leader.post("/account/tokens", &[("name", "máy chủ báo cáo")]).await.text().await.expect("body");
    let token =
        page.split("<code>").nth(1).and_then(|s| s.split("</code>").next()).expect("token shown once").to_owned();
    assert!(token.starts_with("gs_"));
    let bearer = |path: String| app.client.get(app.url(&path)).bearer_auth(&token).send();
    assert_eq!(bearer(format!("/api/v1/missions/{id}/export")).await.expect("reaches").status(), 200);
    let listed = accounts::api_tokens_of(&app.test_db.db, leader.id).await.expect("tokens");
    assert_eq!(leader.post(&format!("/account/tokens/{}/revoke", listed[0].id), &[]).await.status(), 303);
    assert_eq!(bearer(format!("/api/v1/missions/{id}/export")).await.expect("reaches").status(), 401);
    let unknown = app.client.get(app.url("/api/v1/missions")).bearer_auth("gs_nope").send().await.expect("reaches");
    assert_eq!(unknown.status(), 401);
    app.cleanup().await;
}

#[tokio::test]
async fn administrators_add_accounts_that_set_their_own_password() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let org = app.owner_of(id).await;
    let admin = app.user(Role::Admin, None, None).await;
    let org_text = org.to_string();
    let page = admin
        .post(
            "/admin/users",
            &[
                ("email", "thu.ky@quanuy.vn"),
                ("name", "Thư ký"),
                ("role", "writer"),
                ("organisation_id", org_text.as_str()),
            ],
        )
        .await
        .text()
        .await
        .expect("body");
    let link = page.split("<code>").nth(1).and_then(|s| s.split("</code>").next()).expect("link shown").to_owned();
    let path = link.strip_prefix(&app.base).expect("local link").to_owned();
    let client = cookie_client();
    let form = client.get(app.url(&path)).send().await.expect("reaches").text().await.expect("body");
    let csrf = csrf_of(&form).expect("token");
    let set = client
        .post(app.url(&path))
        .form(&[("password", PASSWORD), ("confirm", PASSWORD), ("_csrf", csrf.as_str())])
        .send()
        .await
        .expect("reaches");
    assert_eq!(set.status(), 303);
    let (login, writer) = app.login("thu.ky@quanuy.vn", PASSWORD).await;
    assert_eq!(login.status(), 303);
    let mission = writer.get(app.url(&format!("/missions/{id}"))).send().await.expect("reaches");
    assert_eq!(mission.status(), 200, "a writer reads their organisation's missions");
    let audit = admin.get("/admin/audit").await.text().await.expect("body");
    assert!(audit.contains("user.create"));
    let csv = admin.get("/admin/audit.csv").await.bytes().await.expect("body");
    assert!(csv.starts_with("\u{feff}id,at,actor".as_bytes()), "CSV with a BOM for Excel");
    assert_eq!(writer.get(app.url("/admin/users")).send().await.expect("reaches").status(), 403);
    app.cleanup().await;
}

/// An organisation id that names no organisation (a stale page, a forged form) is refused next to the field, as
/// a missing choice is; it once reached the database as a foreign-key failure and answered 500.
#[tokio::test]
async fn an_unknown_organisation_is_refused_as_no_choice_and_changes_nothing() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let org = app.owner_of(id).await;
    let admin = app.user(Role::Admin, None, None).await;
    let viewer = app.user(Role::Viewer, Some(org), None).await;
    for unknown in ["-1", "0", "99999999", "9223372036854775807"] {
        let changed = admin
            .post(&format!("/admin/users/{}/role", viewer.id), &[("role", "staff"), ("organisation_id", unknown)])
            .await;
        assert_eq!(changed.status(), 422, "role change to organisation {unknown}");
        assert!(changed.text().await.expect("body").contains("Cần chọn cơ quan, đơn vị của tài khoản."));

        let created = admin
            .post(
                "/admin/users",
                &[("email", "moi@quanuy.vn"), ("name", "Người mới"), ("role", "writer"), ("organisation_id", unknown)],
            )
            .await;
        assert_eq!(created.status(), 422, "new account in organisation {unknown}");
        let page = created.text().await.expect("body");
        assert!(page.contains("Cần chọn cơ quan, đơn vị của tài khoản."), "the reason is shown");
        assert!(page.contains("moi@quanuy.vn") && page.contains("Người mới"), "the input is kept");

        let mission = admin
            .post(
                "/missions",
                &[
                    ("organisation_id", unknown),
                    ("system", "party"),
                    ("form", "thematic"),
                    ("decision_number", "12-QĐ/QU"),
                    ("decision_date", "2023-09-07"),
                    ("supervising_body", "Ban Thường vụ Quận ủy"),
                    ("team_name", "Đoàn giám sát số 2"),
                    ("subject", "việc thực hiện Chỉ thị 05"),
                ],
            )
            .await;
        assert_eq!(mission.status(), 422, "mission of organisation {unknown}");
        let page = mission.text().await.expect("body");
        assert!(page.contains("Cần chọn cơ quan chủ quản của cuộc giám sát."), "the reason is shown");
        assert!(page.contains("việc thực hiện Chỉ thị 05"), "the input is kept");
    }
    let unchanged = giamsat_store::accounts::by_id(&app.test_db.db, viewer.id).await.expect("reads").expect("exists");
    assert_eq!((unchanged.role, unchanged.organisation_id), (Role::Viewer, Some(org)), "the account is as it was");
    assert_eq!(viewer.get(&format!("/missions/{id}")).await.status(), 200, "and its session lives on");
    app.cleanup().await;
}

#[tokio::test]
async fn a_privilege_change_ends_the_accounts_sessions_and_takes_effect_at_once() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let org = app.owner_of(id).await;
    let admin = app.user(Role::Admin, None, None).await;
    let viewer = app.user(Role::Viewer, Some(org), None).await;
    assert_eq!(viewer.get(&format!("/missions/{id}")).await.status(), 200);
    let org_text = org.to_string();
    let changed = admin
        .post(&format!("/admin/users/{}/role", viewer.id), &[("role", "staff"), ("organisation_id", org_text.as_str())])
        .await;
    assert_eq!(changed.status(), 303);
    assert_eq!(viewer.get(&format!("/missions/{id}")).await.status(), 303, "the old session is gone");
    let (login, staff) = app.login(&viewer.email, PASSWORD).await;
    assert_eq!(login.status(), 303);
    let page =
        staff.get(app.url(&format!("/missions/{id}"))).send().await.expect("reaches").text().await.expect("body");
    assert!(page.contains("Sửa thông tin"), "the new role's powers, in a new session");
    let audit = admin.get("/admin/audit").await.text().await.expect("body");
    assert!(audit.contains("user.role"));

    // Removing a leader's assignment denies them on their very next request.
    let leader = app.user(Role::TeamLeader, Some(org), Some((id, Capacity::Leader))).await;
    assert_eq!(leader.get(&format!("/missions/{id}")).await.status(), 200);
    use giamsat_store::entities::mission_assignments;
    mission_assignments::Entity::delete_many()
        .filter(mission_assignments::Column::UserId.eq(leader.id))
        .exec(&app.test_db.db)
        .await
        .expect("assignment removed");
    assert_eq!(leader.get(&format!("/missions/{id}")).await.status(), 404);
    app.cleanup().await;
}

/// Issue 15.8: an address that is markup, not an e-mail address, is refused with the reason, never echoed as
/// markup, and no account is created.
#[tokio::test]
async fn an_email_address_that_is_markup_is_refused_with_the_reason() {
    let app = spawn_app().await;
    let admin = app.user(Role::Admin, None, None).await;
    let before = giamsat_store::accounts::count(&app.test_db.db).await.expect("counts");
    for email in ["\"><script>@x.test", "a b@x.test", "<a>@x.test"] {
        let response = admin
            .post("/admin/users", &[("email", email), ("name", "Thư ký"), ("role", "admin"), ("organisation_id", "")])
            .await;
        assert_eq!(response.status(), 422, "{email}");
        let page = response.text().await.expect("body");
        assert!(
            page.contains("<p id=\"email-error\" class=\"field-error\">Email không hợp lệ."),
            "{email}: the form says why, next to the field"
        );
        assert!(!page.contains("<script>@"), "{email}: never echoed as markup");
    }
    assert_eq!(giamsat_store::accounts::count(&app.test_db.db).await.expect("counts"), before);
    app.cleanup().await;
}

async fn new_token(user: &TestUser) -> String {
    let page = user.post("/account/tokens", &[("name", "kịch bản")]).await.text().await.expect("body");
    page.split("<code>").nth(1).and_then(|s| s.split("</code>").next()).expect("token shown once").to_owned()
}

/// Issue 15.2: a token is a credential of the account: it ends when the password is changed or reset by an
/// administrator, and when the account is disabled (sessions too, at once); enabling the account again does not
/// bring old tokens back.
#[tokio::test]
async fn api_tokens_end_with_a_password_change_an_admin_reset_and_a_disabled_account() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let org = app.owner_of(id).await;
    let admin = app.user(Role::Admin, None, None).await;
    let staff = app.user(Role::Staff, Some(org), None).await;
    let works = |token: String| {
        let request = app.client.get(app.url("/api/v1/missions")).bearer_auth(token).send();
        async move { request.await.expect("reaches").status() == 200 }
    };

    let token = new_token(&staff).await;
    assert!(works(token.clone()).await);
    let new_password = "một mật khẩu mới hẳn 2026";
    let changed = staff
        .post("/account/password", &[("current", PASSWORD), ("new", new_password), ("confirm", new_password)])
        .await;
    assert_eq!(changed.status(), 303);
    assert!(!works(token).await, "a password change ends the tokens");

    let (_, client) = app.login(&staff.email, new_password).await;
    let account = client.get(app.url("/account")).send().await.expect("reaches").text().await.expect("body");
    let staff = TestUser::from_client(&app, staff.id, &staff.email, client, csrf_of(&account).expect("token"));
    let token = new_token(&staff).await;
    assert!(works(token.clone()).await);
    assert_eq!(admin.post(&format!("/admin/users/{}/reset", staff.id), &[]).await.status(), 200);
    assert!(!works(token).await, "an administrator's reset ends the tokens");
    assert_eq!(staff.get("/account").await.status(), 303, "and the sessions");

    let staff = app.user(Role::Staff, Some(org), None).await;
    let token = new_token(&staff).await;
    assert_eq!(admin.post(&format!("/admin/users/{}/disable", staff.id), &[]).await.status(), 303);
    assert!(!works(token.clone()).await, "disabling ends the tokens");
    assert_eq!(staff.get("/account").await.status(), 303, "and the sessions");
    assert_eq!(app.login(&staff.email, PASSWORD).await.0.status(), 401, "no login while disabled");
    assert!(admin.get("/admin/users").await.text().await.expect("body").contains("Đã khoá"));
    assert_eq!(admin.post(&format!("/admin/users/{}/enable", staff.id), &[]).await.status(), 303);
    assert_eq!(app.login(&staff.email, PASSWORD).await.0.status(), 303, "enabled again");
    assert!(!works(token).await, "old tokens stay revoked");
    let own = admin.post(&format!("/admin/users/{}/disable", admin.id), &[]).await;
    assert_eq!(own.status(), 422, "an administrator does not lock themselves out");
    app.cleanup().await;
}

/// Issue 15.2: a token is accepted on `/api/v1` only: on the pages it would act without a CSRF token (it minted
/// new tokens).
#[tokio::test]
async fn an_api_token_is_refused_outside_the_api() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let staff = app.user(Role::Staff, Some(app.owner_of(id).await), None).await;
    let token = new_token(&staff).await;
    let before = accounts::api_tokens_of(&app.test_db.db, staff.id).await.expect("tokens").len();
    let mint = app
        .client
        .post(app.url("/account/tokens"))
        .bearer_auth(&token)
        .form(&[("name", "mã thứ hai")])
        .send()
        .await
        .expect("reaches");
    assert_eq!(mint.status(), 401);
    assert_eq!(accounts::api_tokens_of(&app.test_db.db, staff.id).await.expect("tokens").len(), before);
    for path in ["/account".to_owned(), "/".to_owned(), format!("/missions/{id}"), format!("/missions/{id}/export")] {
        let response = app.client.get(app.url(&path)).bearer_auth(&token).send().await.expect("reaches");
        assert_eq!(response.status(), 401, "GET {path}");
    }
    let api = app.client.get(app.url(&format!("/api/v1/missions/{id}"))).bearer_auth(&token).send().await;
    assert_eq!(api.expect("reaches").status(), 200);
    app.cleanup().await;
}

/// Issue 15.2: an administrator sees any account's tokens (never the secret) and revokes one.
#[tokio::test]
async fn administrators_list_and_revoke_any_accounts_api_tokens() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let admin = app.user(Role::Admin, None, None).await;
    let staff = app.user(Role::Staff, Some(app.owner_of(id).await), None).await;
    let token = new_token(&staff).await;
    let page = admin.get(&format!("/admin/users/{}/tokens", staff.id)).await.text().await.expect("body");
    assert!(page.contains("kịch bản") && page.contains("Đang dùng"), "listed");
    assert!(!page.contains(&token), "the secret is never shown again");
    let listed = accounts::api_tokens_of(&app.test_db.db, staff.id).await.expect("tokens");
    let revoke = format!("/admin/users/{}/tokens/{}/revoke", staff.id, listed[0].id);
    assert_eq!(admin.post(&revoke, &[]).await.status(), 303);
    let refused = app.client.get(app.url("/api/v1/missions")).bearer_auth(&token).send().await.expect("reaches");
    assert_eq!(refused.status(), 401);
    let page = admin.get(&format!("/admin/users/{}/tokens", staff.id)).await.text().await.expect("body");
    assert!(page.contains("Đã thu hồi"));
    assert_eq!(admin.post(&revoke, &[]).await.status(), 404, "revoked once");
    app.cleanup().await;
}

/// The `<select>` named `name` with id `id` in `page`, up to its end.
fn select<'a>(page: &'a str, id: &str) -> &'a str {
    let start = page.find(&format!("<select id=\"{id}\"")).expect("the select is on the page");
    let end = page[start..].find("</select>").expect("it ends") + start;
    &page[start..end]
}

/// Issue 14.2: the role has no default on either form (never administrator by mistake); no choice is refused
/// next to the field, the rest of the input kept and nothing changed.
#[tokio::test]
async fn the_role_fields_have_no_default_and_no_choice_is_refused_next_to_the_field() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let org = app.owner_of(id).await;
    let org_text = org.to_string();
    let admin = app.user(Role::Admin, None, None).await;
    let viewer = app.user(Role::Viewer, Some(org), None).await;

    let page = admin.get("/admin/users").await.text().await.expect("body");
    for id in ["role".to_owned(), format!("role-{}", viewer.id), format!("role-{}", admin.id)] {
        let field = select(&page, &id);
        assert!(field.contains("<option value=\"\">— Chọn vai trò —</option>"), "{id}: a blank first choice");
        assert!(!field.contains("selected"), "{id}: no role chosen in advance: {field}");
        assert!(field.contains(" required"), "{id}");
    }

    for role in [None, Some("")] {
        let mut fields =
            vec![("email", "moi@quanuy.vn"), ("name", "Người mới"), ("organisation_id", org_text.as_str())];
        fields.extend(role.map(|r| ("role", r)));
        let created = admin.post("/admin/users", &fields).await;
        assert_eq!(created.status(), 422, "role {role:?}");
        let page = created.text().await.expect("body");
        assert!(page.contains("<p id=\"role-error\" class=\"field-error\">Cần chọn vai trò.</p>"), "{page}");
        assert!(select(&page, "role").contains("aria-describedby=\"role-error\""));
        assert!(page.contains("value=\"moi@quanuy.vn\"") && page.contains("value=\"Người mới\""), "input kept");
        let organisation = format!("<option value=\"{org}\" selected>");
        assert!(select(&page, "organisation").contains(&organisation), "the organisation chosen is kept");
        assert!(!page.contains("class=\"success\""), "a refusal does not look like a success");

        let mut fields = vec![("organisation_id", org_text.as_str())];
        fields.extend(role.map(|r| ("role", r)));
        let changed = admin.post(&format!("/admin/users/{}/role", viewer.id), &fields).await;
        assert_eq!(changed.status(), 422, "role change {role:?}");
        let page = changed.text().await.expect("body");
        let error = format!("<span id=\"role-{}-error\" class=\"field-error\">Cần chọn vai trò.</span>", viewer.id);
        assert!(page.contains(&error), "{page}");
        assert!(select(&page, &format!("org-{}", viewer.id)).contains(&organisation), "input kept");
    }
    // A choice kept on a refused change: the role stays chosen when the organisation is what is missing.
    let changed = admin.post(&format!("/admin/users/{}/role", viewer.id), &[("role", "staff")]).await;
    assert_eq!(changed.status(), 422);
    let page = changed.text().await.expect("body");
    assert!(select(&page, &format!("role-{}", viewer.id)).contains("<option value=\"staff\" selected>"));
    assert!(page.contains(&format!("id=\"org-{}-error\"", viewer.id)));

    assert_eq!(accounts::count(&app.test_db.db).await.expect("counts"), 2, "no account created");
    let unchanged = accounts::by_id(&app.test_db.db, viewer.id).await.expect("reads").expect("exists");
    assert_eq!((unchanged.role, unchanged.organisation_id), (Role::Viewer, Some(org)));
    assert_eq!(viewer.get(&format!("/missions/{id}")).await.status(), 200, "its session lives on");
    app.cleanup().await;
}

/// Issue 14.2: every confirmation on the admin and account pages looks like a success (its own class, announced
/// politely), not like the refusals.
#[tokio::test]
async fn changes_on_the_admin_and_account_pages_are_confirmed_in_the_success_style() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let org = app.owner_of(id).await;
    let org_text = org.to_string();
    let admin = app.user(Role::Admin, None, None).await;
    let viewer = app.user(Role::Viewer, Some(org), None).await;
    let success = |page: &str, words: &str| {
        let at = page.find(words).unwrap_or_else(|| panic!("{words:?} on the page"));
        let opening = &page[page[..at].rfind('<').expect("in an element")..at];
        assert!(opening.starts_with("<p class=\"success\" role=\"status\">"), "{words:?} in {opening:?}");
    };
    let followed = async |user: &crate::support::TestUser, response: reqwest::Response| {
        assert_eq!(response.status(), 303);
        let location = response.headers()["location"].to_str().expect("ascii").to_owned();
        user.get(&location).await.text().await.expect("body")
    };

    let created = admin
        .post(
            "/admin/users",
            &[("email", "moi@quanuy.vn"), ("name", "Người mới"), ("role", "writer"), ("organisation_id", &org_text)],
        )
        .await;
    success(&created.text().await.expect("body"), "Đã tạo đường dẫn.");
    let reset = admin.post(&format!("/admin/users/{}/reset", viewer.id), &[]).await;
    success(&reset.text().await.expect("body"), "Đã tạo đường dẫn.");
    let changed = admin
        .post(&format!("/admin/users/{}/role", viewer.id), &[("role", "staff"), ("organisation_id", &org_text)])
        .await;
    success(&followed(&admin, changed).await, "Đã đổi vai trò.");
    let disabled = admin.post(&format!("/admin/users/{}/disable", viewer.id), &[]).await;
    success(&followed(&admin, disabled).await, "Đã khoá tài khoản.");
    let enabled = admin.post(&format!("/admin/users/{}/enable", viewer.id), &[]).await;
    success(&followed(&admin, enabled).await, "Đã mở khoá tài khoản.");
    assert!(!admin.get("/admin/users?done=x").await.text().await.expect("body").contains("class=\"success\""));

    let user = app.user(Role::Viewer, Some(org), None).await;
    let token = user.post("/account/tokens", &[("name", "kịch bản")]).await.text().await.expect("body");
    success(&token, "Đã tạo mã mới");
    let listed = accounts::api_tokens_of(&app.test_db.db, user.id).await.expect("reads");
    let revoked = user.post(&format!("/account/tokens/{}/revoke", listed[0].id), &[]).await;
    success(&followed(&user, revoked).await, "Đã thu hồi mã truy cập.");
    let calendar = user.post("/account/calendar", &[]).await.text().await.expect("body");
    success(&calendar, "Đã tạo địa chỉ lịch.");
    let revoked = user.post("/account/calendar/revoke", &[]).await;
    success(&followed(&user, revoked).await, "Đã thu hồi địa chỉ lịch");
    let new_password = "một câu mật khẩu mới đủ dài";
    let changed = user
        .post("/account/password", &[("current", PASSWORD), ("new", new_password), ("confirm", new_password)])
        .await;
    assert_eq!(changed.headers()["location"], "/account?done=password");
    let (_, again) = app.login(&user.email, new_password).await;
    let page = again.get(app.url("/account?done=password")).send().await.expect("reaches").text().await.expect("body");
    success(&page, "Đã đổi mật khẩu.");
    let wrong = user.post("/account/password", &[("current", "sai"), ("new", "x"), ("confirm", "x")]).await;
    assert!(!wrong.text().await.expect("body").contains("class=\"success\""));

    let css = app.get("/static/app.css").await.text().await.expect("body");
    assert!(css.contains(".success {") && css.contains("border-left: 4px solid var(--ok)"), "its own look");
    app.cleanup().await;
}
