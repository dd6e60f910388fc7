//! Redirects after login stay on this site (ASVS 5.1.5).

use giamsat_domain::policy::Role;

use crate::support::{PASSWORD, cookie_client, csrf_of, spawn_app};

/// Where a browser goes for `Location: location`: it strips ASCII tabs and newlines first (WHATWG URL parser).
fn leaves_the_site(location: &str) -> bool {
    let seen: String = location.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    !seen.starts_with('/') || seen.starts_with("//") || seen.starts_with("/\\")
}

#[tokio::test]
async fn the_login_redirect_never_leaves_the_site() {
    let app = spawn_app().await;
    let user = app.user(Role::Viewer, None, None).await;
    let payloads = [
        "/\t/evil.example",
        "/\n/evil.example",
        "/\r/evil.example",
        "//evil.example",
        "/\\evil.example",
        "https://evil.example",
    ];
    let mut problems = Vec::new();
    for next in payloads {
        let encoded: String = form_urlencoded::byte_serialize(next.as_bytes()).collect();
        // A signed-in user opening the login form is sent on to `next`.
        let response = user.get(&format!("/login?next={encoded}")).await;
        let location = response.headers().get("location").map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        match (response.status().as_u16(), location) {
            (303, Some(location)) if !leaves_the_site(&location) => {}
            (status, location) => problems.push(format!("GET /login?next={encoded}: {status} → {location:?}")),
        }
        // And so is one who has just logged in.
        let (_, email) = app.account(Role::Viewer, None).await;
        let client = cookie_client();
        let page = client.get(app.url("/login")).send().await.expect("reaches").text().await.expect("body");
        let csrf = csrf_of(&page).expect("token");
        let response = client
            .post(app.url("/login"))
            .form(&[("email", email.as_str()), ("password", PASSWORD), ("next", next), ("_csrf", csrf.as_str())])
            .send()
            .await
            .expect("reaches");
        let location = response.headers().get("location").map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
        match (response.status().as_u16(), location) {
            (303, Some(location)) if !leaves_the_site(&location) => {}
            (status, location) => problems.push(format!("POST /login next={next:?}: {status} → {location:?}")),
        }
    }
    assert!(problems.is_empty(), "redirects off the site or failures:\n{}", problems.join("\n"));
    app.cleanup().await;
}
