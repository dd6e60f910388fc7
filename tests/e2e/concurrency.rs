//! Several people working on one mission at once (issue 14): additions never conflict, an edit conflicts only
//! with another edit of the same item, and the conflict page names who changed what and keeps the input.

use giamsat_domain::policy::{Capacity, Role};
use giamsat_store::missions;

use crate::support::{TestApp, TestUser, spawn_app};

/// The hidden fields of the first form of the page at `path` (version, fingerprint, targets, build time), as
/// the browser would send them back.
pub async fn hidden_fields(user: &TestUser, path: &str) -> Vec<(String, String)> {
    let page = user.get(path).await.text().await.expect("form page");
    let form = page.split("<form method=\"post\"").find(|f| f.contains("name=\"version\"")).expect("an item form");
    let form = form.split("</form>").next().expect("form body");
    form.split("<input type=\"hidden\" name=\"")
        .skip(1)
        .filter_map(|rest| {
            let (name, rest) = rest.split_once('"')?;
            let value = rest.split_once("value=\"")?.1.split('"').next()?;
            (name != "_csrf").then(|| (name.to_owned(), value.replace("&#43;", "+").replace("&#x2B;", "+")))
        })
        .collect()
}

/// Posts a form to `action`: its hidden fields and what the user typed.
async fn submit(
    user: &TestUser,
    hidden: &[(String, String)],
    action: String,
    fields: Vec<(&str, &str)>,
) -> reqwest::Response {
    let mut all: Vec<(&str, &str)> = hidden.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    all.extend(fields);
    user.post(&action, &all).await
}

async fn team(app: &TestApp, id: i64) -> (TestUser, TestUser) {
    let org = app.owner_of(id).await;
    let leader = app.user(Role::TeamLeader, Some(org), Some((id, Capacity::Leader))).await;
    let member = app.user(Role::TeamMember, Some(org), Some((id, Capacity::Member))).await;
    (leader, member)
}

fn saved(response: &reqwest::Response) -> bool {
    response.status() == 303
        && response.headers().get("location").and_then(|v| v.to_str().ok()).is_some_and(|l| l.contains("done=saved"))
}

#[tokio::test]
async fn two_members_adding_findings_recommendations_and_sessions_at_once_both_succeed_round_after_round() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let (leader, member) = team(&app, id).await;
    let before = missions::load(&app.test_db.db, id).await.expect("loads").mission;
    let rounds = 5;
    for round in 0..rounds {
        // Both open their forms first, then save at the same moment: each form was built from the same version.
        let findings = format!("/missions/{id}/items/findings/new");
        let recs = format!("/missions/{id}/items/recommendations/new");
        let sessions = format!("/missions/{id}/items/sessions/new");
        let (fa, fb, ra, sa, sb) = tokio::join!(
            hidden_fields(&leader, &findings),
            hidden_fields(&member, &findings),
            hidden_fields(&leader, &recs),
            hidden_fields(&leader, &sessions),
            hidden_fields(&member, &sessions),
        );
        let action = |kind: &str| format!("/missions/{id}/items/{kind}");
        let (text_a, text_b, rec_text) = (
            format!("ưu điểm vòng {round} của trưởng đoàn"),
            format!("hạn chế vòng {round} của thành viên"),
            format!("đề nghị vòng {round}"),
        );
        let (a, b, r) = tokio::join!(
            submit(&leader, &fa, action("findings"), vec![("kind", "strength"), ("targets", "0"), ("text", &text_a)]),
            submit(
                &member,
                &fb,
                action("findings"),
                vec![("kind", "shortcoming"), ("targets", "1"), ("text", &text_b)]
            ),
            submit(
                &leader,
                &ra,
                action("recommendations"),
                vec![
                    ("direction", "downward"),
                    ("issuer", "Đoàn giám sát"),
                    ("addressees", "Đảng ủy phường"),
                    ("text", &rec_text)
                ]
            ),
        );
        assert!(saved(&a) && saved(&b) && saved(&r), "round {round}: {} {} {}", a.status(), b.status(), r.status());
        let day = format!("2021-03-{:02}", 23 + round % 3);
        let (a, b) = tokio::join!(
            submit(&leader, &sa, action("sessions"), vec![("target", "0"), ("date", &day), ("modality", "direct")]),
            submit(&member, &sb, action("sessions"), vec![("target", "1"), ("date", &day), ("modality", "direct")]),
        );
        assert!(saved(&a) && saved(&b), "round {round}: sessions {} {}", a.status(), b.status());
    }
    let after = missions::load(&app.test_db.db, id).await.expect("loads").mission;
    assert_eq!(after.findings.len(), before.findings.len() + 2 * rounds);
    assert_eq!(after.recommendations.len(), before.recommendations.len() + rounds);
    assert_eq!(after.sessions.len(), before.sessions.len() + 2 * rounds);
    for round in 0..rounds {
        assert!(after.findings.iter().any(|f| f.text == format!("ưu điểm vòng {round} của trưởng đoàn")));
        assert!(after.findings.iter().any(|f| f.text == format!("hạn chế vòng {round} của thành viên")));
    }
    app.cleanup().await;
}

#[tokio::test]
async fn of_two_edits_of_one_item_the_second_gets_the_conflict_page_naming_the_first_editor_with_its_input_kept() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let (leader, member) = team(&app, id).await;
    let path = format!("/missions/{id}/items/findings/0");
    let (first, second) = tokio::join!(hidden_fields(&leader, &path), hidden_fields(&member, &path));
    let saved_first =
        submit(&leader, &first, path.clone(), vec![("kind", "strength"), ("text", "bản của trưởng đoàn")]).await;
    assert!(saved(&saved_first), "{}", saved_first.status());
    let stale =
        submit(&member, &second, path.clone(), vec![("kind", "strength"), ("text", "bản của thành viên")]).await;
    assert_eq!(stale.status(), 409);
    let body = stale.text().await.expect("body");
    assert!(body.contains("Người dùng team_leader: sửa một kết quả giám sát"), "who changed what: {body}");
    assert!(body.contains("bản của thành viên"), "the user's input is kept");
    assert!(body.contains("bản của trưởng đoàn"), "the saved item is shown");
    let stored = missions::load(&app.test_db.db, id).await.expect("loads");
    assert_eq!(stored.mission.findings[0].text, "bản của trưởng đoàn", "nothing overwritten");

    // Saving the page shown again applies the input over the item as it is now.
    let fingerprint =
        body.split("name=\"fingerprint\" value=\"").nth(1).and_then(|s| s.split('"').next()).expect("fingerprint");
    let reapplied =
        member.post(&path, &[("fingerprint", fingerprint), ("kind", "strength"), ("text", "bản của thành viên")]).await;
    assert!(saved(&reapplied), "{}", reapplied.status());
    let stored = missions::load(&app.test_db.db, id).await.expect("loads");
    assert_eq!(stored.mission.findings[0].text, "bản của thành viên");
    app.cleanup().await;
}

#[tokio::test]
async fn an_edit_of_one_item_succeeds_while_another_is_added_or_an_earlier_one_removed() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let (leader, member) = team(&app, id).await;
    let before = missions::load(&app.test_db.db, id).await.expect("loads").mission;
    assert!(before.findings.len() >= 2, "the seed has findings to edit");
    let second_text = before.findings[1].text.clone();

    // The leader opens finding 1; the member adds a finding, then removes finding 0.
    let edit_path = format!("/missions/{id}/items/findings/1");
    let form = hidden_fields(&leader, &edit_path).await;
    let added = member
        .post(&format!("/missions/{id}/items/findings"), &[("kind", "strength"), ("text", "thêm trong lúc sửa")])
        .await;
    assert!(saved(&added));
    let removal = hidden_fields(&member, &format!("/missions/{id}/items/findings/0")).await;
    let mut fields: Vec<(&str, &str)> = removal.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    fields.push(("confirm", "yes"));
    let removed = member.post(&format!("/missions/{id}/items/findings/0/delete"), &fields).await;
    assert!(saved(&removed), "{}", removed.status());

    let edited =
        submit(&leader, &form, edit_path.clone(), vec![("kind", "strength"), ("text", "sửa sau khi mục trước bị xóa")])
            .await;
    assert!(saved(&edited), "{}", edited.status());
    let after = missions::load(&app.test_db.db, id).await.expect("loads").mission;
    assert_eq!(after.findings[0].text, "sửa sau khi mục trước bị xóa", "the item was found where it moved");
    assert!(after.findings.iter().all(|f| f.text != second_text));
    assert_eq!(after.findings.last().map(|f| f.text.as_str()), Some("thêm trong lúc sửa"));
    assert_eq!(after.findings.len(), before.findings.len());
    app.cleanup().await;
}

/// Posts the edit form of session 0 as its page showed it, with `changes` over the shown values and a new photo.
async fn add_photo_on_the_edit_form(
    user: &TestUser,
    id: i64,
    hidden: &[(String, String)],
    shown: &giamsat_domain::mission::Session,
    changes: &[(&str, &str)],
    caption: &str,
) -> reqwest::Response {
    let mut form = reqwest::multipart::Form::new().text("_csrf", user.csrf.clone());
    for (name, value) in hidden {
        form = form.text(name.clone(), value.clone());
    }
    let mut fields: Vec<(String, String)> = vec![
        ("target".to_owned(), shown.target.to_string()),
        ("date".to_owned(), shown.date.map(|d| d.to_string()).unwrap_or_default()),
        ("modality".to_owned(), shown.modality.map(|m| m.code().to_owned()).unwrap_or_default()),
        ("minutes".to_owned(), shown.minutes.clone().unwrap_or_default()),
        ("new_caption".to_owned(), caption.to_owned()),
    ];
    fields.extend(shown.photos.iter().enumerate().map(|(k, p)| (format!("caption_{k}"), p.caption.clone())));
    for (name, value) in changes {
        fields.retain(|(n, _)| n != name);
        fields.push(((*name).to_owned(), (*value).to_owned()));
    }
    for (name, value) in fields {
        form = form.text(name, value);
    }
    form = form.part("photo", reqwest::multipart::Part::bytes(crate::support::jpeg()).file_name("anh.jpg"));
    user.client
        .post(user.url(&format!("/missions/{id}/items/sessions/0")))
        .multipart(form)
        .send()
        .await
        .expect("reaches")
}

/// Two members each add a photo to one session from its edit form opened at the same time: both photos are
/// kept with their captions. Changing the session's date on a stale form is still an edit, so it conflicts.
#[tokio::test]
async fn photos_added_from_two_stale_session_forms_are_both_kept_but_a_changed_date_conflicts() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let (leader, member) = team(&app, id).await;
    let path = format!("/missions/{id}/items/sessions/0");
    let shown = missions::load(&app.test_db.db, id).await.expect("loads").mission.sessions[0].clone();
    let (first, second) = tokio::join!(hidden_fields(&leader, &path), hidden_fields(&member, &path));
    let third = hidden_fields(&member, &path).await;

    let by_leader = add_photo_on_the_edit_form(&leader, id, &first, &shown, &[], "Ảnh của trưởng đoàn").await;
    assert!(saved(&by_leader), "{}", by_leader.status());
    let by_member = add_photo_on_the_edit_form(&member, id, &second, &shown, &[], "Ảnh của thành viên").await;
    assert!(saved(&by_member), "an addition on a stale form is saved: {}", by_member.status());
    let photos = missions::load(&app.test_db.db, id).await.expect("loads").mission.sessions[0].photos.clone();
    let captions: Vec<&str> = photos.iter().map(|p| p.caption.as_str()).collect();
    assert_eq!(captions.len(), shown.photos.len() + 2, "{captions:?}");
    assert!(captions.ends_with(&["Ảnh của trưởng đoàn", "Ảnh của thành viên"]), "{captions:?}");
    assert_eq!(captions[0], shown.photos[0].caption, "the earlier caption untouched");

    let dated =
        add_photo_on_the_edit_form(&member, id, &third, &shown, &[("date", "2021-03-24")], "Ảnh kèm đổi ngày").await;
    assert_eq!(dated.status(), 409, "an edit of the session on a stale form conflicts");
    let after = missions::load(&app.test_db.db, id).await.expect("loads").mission.sessions[0].clone();
    assert_eq!(after.photos.len(), shown.photos.len() + 2, "nothing half-applied");
    assert_eq!(after.date, shown.date);
    app.cleanup().await;
}

/// A deletion confirmed after a colleague changed the item is refused with a page that says so and names who
/// changed what, never a bare error; nothing is deleted, and the item opened again can be deleted.
#[tokio::test]
async fn deleting_an_item_a_colleague_changed_meanwhile_shows_who_changed_it_and_deletes_nothing() {
    let app = spawn_app().await;
    let id = app.insert_seed().await;
    let (leader, member) = team(&app, id).await;
    let path = format!("/missions/{id}/items/findings/0");
    let stale = hidden_fields(&leader, &path).await;
    let edited = submit(
        &member,
        &hidden_fields(&member, &path).await,
        path.clone(),
        vec![("kind", "strength"), ("text", "bản sửa của thành viên")],
    )
    .await;
    assert!(saved(&edited), "{}", edited.status());

    let asked = submit(&leader, &stale, format!("{path}/delete"), vec![]).await;
    assert_eq!(asked.status(), 200, "the confirmation page");
    let confirm_page = asked.text().await.expect("body");
    let confirmed = submit(&leader, &stale, format!("{path}/delete"), vec![("confirm", "yes")]).await;
    assert!(confirm_page.contains("name=\"since\""), "the confirmation carries when the form was built");
    assert_eq!(confirmed.status(), 409);
    let body = confirmed.text().await.expect("body");
    assert!(body.contains("người khác đã sửa hoặc xóa mục này, nên chưa có gì bị xóa"), "{body}");
    assert!(body.contains("Người dùng team_member: sửa một kết quả giám sát"), "who changed what: {body}");
    assert!(!body.contains("value=\"yes\""), "no deletion offered for an item that may now be another");
    let stored = missions::load(&app.test_db.db, id).await.expect("loads");
    assert_eq!(stored.mission.findings[0].text, "bản sửa của thành viên", "nothing deleted");

    let fresh = hidden_fields(&leader, &path).await;
    let deleted = submit(&leader, &fresh, format!("{path}/delete"), vec![("confirm", "yes")]).await;
    assert!(saved(&deleted), "{}", deleted.status());
    let stored = missions::load(&app.test_db.db, id).await.expect("loads");
    assert!(stored.mission.findings.iter().all(|f| f.text != "bản sửa của thành viên"));
    app.cleanup().await;
}
