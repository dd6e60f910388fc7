//! Missions, requests and callers: what the matrix and the other checks send, as whom, and how an answer reads.

use std::sync::Arc;

use giamsat_domain::policy::{Capacity, Role};
use giamsat_domain::report::{ArticleContent, ReportEvent, ReportState};
use giamsat_domain::workflow::MissionState;
use giamsat_store::accounts::{self, NewUser};
use giamsat_store::audit::Actor;
use giamsat_store::entities::missions;
use giamsat_store::formal_settings::{self, Scope};
use giamsat_store::reports::{self, StoredReport, Write};
use giamsat_store::sea_orm::EntityTrait;
use giamsat_web::auth::{hash_token, random_token};

use crate::support::{PASSWORD, SEED, TestApp, TestUser, cookie_client, csrf_of, spawn_app};

use super::policy::*;

/// The seed mission with `edit` applied to its JSON.
pub(super) fn seed_with(edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut value: serde_json::Value = serde_json::from_str(SEED).expect("the seed is JSON");
    edit(&mut value);
    serde_json::to_string_pretty(&value).expect("JSON serialises")
}

/// The seed owned by another organisation.
pub(super) fn seed_of_another_org() -> String {
    seed_with(|v| {
        v["owner"]["name"] = "Quận ủy Ba Đình".into();
        v["owner"]["place"] = "Ba Đình".into();
    })
}

pub(crate) async fn stored_photo(app: &TestApp) -> String {
    app.state.files.put_image(&crate::support::png()).await.expect("photo stored").0
}

/// The values of a route's path parameters.
pub(super) struct Params<'a> {
    pub(super) id: i64,
    /// A stored photo of the mission.
    pub(super) key: &'a str,
    pub(super) kind: &'a str,
}

/// `pattern` with its parameters filled: an unknown one-time `{token}`, item `{index}` 0.
pub(super) fn fill(pattern: &str, params: &Params<'_>) -> String {
    let mut path = pattern
        .replace("{id}", &params.id.to_string())
        .replace("{key}", params.key)
        .replace("{kind}", params.kind)
        .replace("{index}", "0")
        .replace("{token}", &random_token());
    // A parameter this file does not know (a route the matrix has no entry for yet): any value.
    while let (Some(start), Some(end)) = (path.find('{'), path.find('}')) {
        if end < start {
            break;
        }
        path.replace_range(start..=end, "1");
    }
    path
}

/// What a state-changing request sends: urlencoded fields, or a multipart form when it uploads a file.
#[derive(Debug, Clone, Default)]
pub(crate) struct Payload {
    pub(crate) fields: Vec<(String, String)>,
    /// Sent as the multipart part `file` (the import form's).
    pub(crate) file: Option<Vec<u8>>,
    /// Sent as the whole body, `application/json`, with the token in `X-CSRF-Token` (the API's).
    pub(crate) json: Option<Vec<u8>>,
}

pub(super) fn pairs(fields: &[(&str, &str)]) -> Vec<(String, String)> {
    fields.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

pub(super) fn form(fields: &[(&str, &str)]) -> Payload {
    Payload { fields: pairs(fields), ..Payload::default() }
}

pub(super) fn text_of(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Number(n) => n.to_string(),
        _ => String::new(),
    }
}

/// The mission form filled with the seed's own fields.
pub(super) fn header_fields() -> Vec<(String, String)> {
    let seed: serde_json::Value = serde_json::from_str(SEED).expect("the seed is JSON");
    [
        ("system", &seed["system"]),
        ("form", &seed["form"]),
        ("decision_number", &seed["decision"]["number"]),
        ("decision_date", &seed["decision"]["issued_on"]),
        ("decision_issuer", &seed["decision"]["issuer"]),
        ("decision_summary", &seed["decision"]["summary"]),
        ("supervising_body", &seed["supervising_body"]),
        ("team_name", &seed["team"]["name"]),
        ("team_ordinal", &seed["team"]["ordinal"]),
        ("subject", &seed["subject"]),
        ("fieldwork_from", &seed["fieldwork"]["from"]),
        ("fieldwork_to", &seed["fieldwork"]["to"]),
        ("conclusion_preamble", &seed["conclusion_preamble"]),
    ]
    .iter()
    .map(|(name, value)| ((*name).to_owned(), text_of(value)))
    .collect()
}

/// The team form filled with the seed's team, saved.
pub(super) fn members_fields() -> Vec<(String, String)> {
    let seed: serde_json::Value = serde_json::from_str(SEED).expect("the seed is JSON");
    let mut fields = Vec::new();
    for member in seed["members"].as_array().expect("members") {
        for name in ["role", "name", "position", "description"] {
            fields.push((name.to_owned(), text_of(&member[name])));
        }
    }
    fields.push(("action".to_owned(), "save".to_owned()));
    fields
}

pub(super) fn unique_email(prefix: &str) -> String {
    format!("{prefix}-{}@test.giamsat", random_token().get(..12).unwrap_or("x"))
}

/// A live API token of `user_id`; returns its id.
pub(super) async fn live_token(app: &TestApp, user_id: i64) -> i64 {
    let token = random_token();
    accounts::create_api_token(
        &app.test_db.db,
        user_id,
        "thử",
        &hash_token(&token),
        "gs_thu",
        &Actor::system(chrono::Utc::now()),
    )
    .await
    .expect("token stored")
}

/// An account nobody uses (the target of a password reset); returns its id.
pub(super) async fn bystander(app: &TestApp, organisation_id: i64) -> i64 {
    bystander_as(app, organisation_id, Role::Viewer).await
}

pub(super) async fn bystander_as(app: &TestApp, organisation_id: i64, role: Role) -> i64 {
    let new = NewUser {
        email: unique_email("nguoi-ngoai"),
        display_name: "Người ngoài cuộc".to_owned(),
        role,
        organisation_id: Some(organisation_id),
        password_hash: None,
    };
    accounts::create(&app.test_db.db, &new, &Actor::system(chrono::Utc::now())).await.expect("account stored")
}

pub(crate) async fn version_of(app: &TestApp, mission_id: i64) -> Option<i32> {
    missions::Entity::find_by_id(mission_id).one(&app.test_db.db).await.expect("reads").map(|m| m.version)
}

/// Where a request is made.
pub(crate) struct Setting<'a> {
    /// The mission `{id}` names, and its stored photo.
    pub(crate) mission: i64,
    pub(crate) photo: &'a str,
    /// The item kind `{kind}` names.
    pub(crate) kind: &'a str,
    /// The account whose API token is revoked (the caller's own).
    pub(crate) account: i64,
    /// The organisation new accounts and missions belong to.
    pub(crate) organisation: i64,
    /// The workflow step asked for.
    pub(crate) to: MissionState,
}

/// The path and plausible, valid payload of a request: the mission's current version; a real token of the
/// caller's own to revoke; a real bystander to reset or re-role; an unknown one-time token; O's seed to import.
pub(crate) async fn prepare(app: &TestApp, method: &str, pattern: &str, at: &Setting<'_>) -> (String, Payload) {
    let mut path = fill(pattern, &Params { id: at.mission, key: at.photo, kind: at.kind });
    let version = version_of(app, at.mission).await.unwrap_or(1).to_string();
    let with_version = |mut fields: Vec<(String, String)>| {
        fields.push(("version".to_owned(), version.clone()));
        Payload { fields, ..Payload::default() }
    };
    let payload = match (method, pattern) {
        (_, "/login") => {
            form(&[("email", &unique_email("khong-co")), ("password", "không phải mật khẩu nào"), ("next", "/")])
        }
        (_, "/setup/{token}") => form(&[
            ("email", &unique_email("thiet-lap")),
            ("name", "Người thiết lập"),
            ("password", PASSWORD),
            ("confirm", PASSWORD),
        ]),
        (_, "/account/password") => form(&[("current", PASSWORD), ("new", PASSWORD), ("confirm", PASSWORD)]),
        (_, "/account/tokens") => form(&[("name", "máy chủ báo cáo")]),
        (_, "/account/tokens/{id}/revoke") => {
            path = pattern.replace("{id}", &live_token(app, at.account).await.to_string());
            Payload::default()
        }
        (_, "/admin/users") => form(&[
            ("email", &unique_email("moi")),
            ("name", "Cán bộ mới"),
            ("role", "viewer"),
            ("organisation_id", &at.organisation.to_string()),
        ]),
        (_, "/admin/users/{id}/reset") => {
            path = pattern.replace("{id}", &bystander(app, at.organisation).await.to_string());
            Payload::default()
        }
        (_, "/admin/users/{id}/role") => {
            path = pattern.replace("{id}", &bystander(app, at.organisation).await.to_string());
            form(&[("role", "writer"), ("organisation_id", &at.organisation.to_string())])
        }
        (_, "/admin/users/{id}/disable" | "/admin/users/{id}/enable" | "/admin/users/{id}/tokens") => {
            path = pattern.replace("{id}", &bystander(app, at.organisation).await.to_string());
            Payload::default()
        }
        (_, "/admin/users/{id}/tokens/{token_id}/revoke") => {
            let owner = bystander(app, at.organisation).await;
            path = pattern
                .replace("{id}", &owner.to_string())
                .replace("{token_id}", &live_token(app, owner).await.to_string());
            Payload::default()
        }
        ("post", "/missions") => {
            let mut fields = header_fields();
            fields.push(("organisation_id".to_owned(), at.organisation.to_string()));
            Payload { fields, ..Payload::default() }
        }
        ("post", "/import") => Payload { file: Some(SEED.as_bytes().to_vec()), ..Payload::default() },
        ("post", "/api/v1/missions") => Payload { json: Some(SEED.as_bytes().to_vec()), ..Payload::default() },
        ("post", "/api/v1/missions/{id}/findings") => {
            let finding = serde_json::json!({"version": version.parse::<i32>().unwrap_or(1), "kind": "strength",
                "targets": [0], "text": "các phường đã chuẩn bị chu đáo, đúng tiến độ"});
            Payload { json: Some(finding.to_string().into_bytes()), ..Payload::default() }
        }
        (_, "/missions/{id}/edit") => with_version(header_fields()),
        (_, "/missions/{id}/members") => with_version(members_fields()),
        (_, "/missions/{id}/items/{kind}" | "/missions/{id}/items/{kind}/{index}") => {
            with_version(pairs(&[("kind", "strength"), ("text", "các phường đã chuẩn bị chu đáo, đúng tiến độ")]))
        }
        (_, "/missions/{id}/assignments") => {
            let member = bystander_as(app, at.organisation, Role::TeamMember).await.to_string();
            form(&[("user_id", &member), ("capacity", "member")])
        }
        (_, "/missions/{id}/assignments/{user_id}/delete") => {
            // A team member of this mission, but none of the subjects the matrix relies on.
            let member = bystander_as(app, at.organisation, Role::TeamMember).await;
            if version_of(app, at.mission).await.is_some() {
                accounts::assign(
                    &app.test_db.db,
                    at.mission,
                    member,
                    Capacity::Member,
                    &Actor::system(chrono::Utc::now()),
                )
                .await
                .expect("assigned");
            }
            path = pattern.replace("{id}", &at.mission.to_string()).replace("{user_id}", &member.to_string());
            with_version(Vec::new())
        }
        (_, "/missions/{id}/findings/none") => with_version(pairs(&[("none", "shortcoming"), ("none", "cause")])),
        (_, "/missions/{id}/record/{index}/findings") => {
            form(&[("kind", "strength"), ("finding_text", "các phường đã chuẩn bị chu đáo, đúng tiến độ")])
        }
        (_, "/missions/{id}/record/{index}/recommendations") => {
            form(&[("direction", "downward"), ("addressees", "Đảng ủy phường"), ("rec_text", "tiếp tục rà soát")])
        }
        (_, "/decisions/{id}/edit") => {
            let decision = match giamsat_store::missions::load(&app.test_db.db, at.mission).await {
                Ok(stored) => stored.decision_id.unwrap_or(i64::MAX),
                Err(_) => i64::MAX,
            };
            path = pattern.replace("{id}", &decision.to_string());
            let version = match giamsat_store::missions::decision(&app.test_db.db, decision).await {
                Ok(stored) => stored.version.to_string(),
                Err(_) => "1".to_owned(),
            };
            form(&[
                ("number", "109-QĐ/QU"),
                ("issued_on", "2021-03-09"),
                ("issuer", "Quận ủy"),
                ("summary", "thành lập các đoàn giám sát của Ban Thường vụ Quận ủy"),
                ("version", &version),
            ])
        }
        // A cancellation is sent as its form sends it: with a reason and the confirmation ticked.
        (_, "/missions/{id}/transition") if at.to == MissionState::Cancelled => {
            with_version(pairs(&[("to", at.to.code()), ("reason", "đơn vị sáp nhập"), ("confirm", "yes")]))
        }
        (_, "/missions/{id}/transition") => with_version(pairs(&[("to", at.to.code())])),
        (_, "/missions/{id}/formal/settings") => {
            let stored = formal_settings::load(&app.test_db.db, Scope::Report { mission_id: at.mission }).await;
            let version = stored.map(|s| s.version).unwrap_or_default().to_string();
            form(&[("number", "12-BC/QU"), ("signer_name", "Nguyễn Văn An"), ("version", &version)])
        }
        (_, "/organisations/{id}/formal-settings") => {
            path = pattern.replace("{id}", &at.organisation.to_string());
            let stored = formal_settings::load(&app.test_db.db, Scope::Organisation(at.organisation)).await;
            let version = stored.map(|s| s.version).unwrap_or_default().to_string();
            form(&[("authority", "T/M Ban Thường vụ"), ("margin_left", "30"), ("version", &version)])
        }
        (_, "/missions/{id}/report" | "/missions/{id}/report/regenerate") => {
            report_fields(&ensure_report(app, at.mission, ReportState::Draft).await)
        }
        (_, "/missions/{id}/report/request") => {
            report_version(&ensure_report(app, at.mission, ReportState::Draft).await)
        }
        (_, "/missions/{id}/report/withdraw" | "/missions/{id}/report/approve") => {
            report_version(&ensure_report(app, at.mission, ReportState::AwaitingApproval).await)
        }
        (_, "/missions/{id}/report/send-back") => {
            let mut payload = report_version(&ensure_report(app, at.mission, ReportState::AwaitingApproval).await);
            payload.fields.push(("comment".to_owned(), "Đề nghị viết lại đoạn mở đầu".to_owned()));
            payload
        }
        (_, "/missions/{id}/report/publish") => {
            let report = ensure_report(app, at.mission, ReportState::Approved).await;
            let mut payload = report_version(&report);
            if report.as_ref().is_some_and(|r| r.published_versions > 0) {
                payload.fields.push(("corrects".to_owned(), "Sửa chức vụ của đồng chí Phó trưởng đoàn".to_owned()));
            }
            payload
        }
        (_, "/tin-tuc/{slug}" | "/tin-tuc/{slug}/ban/{number}" | "/tin-tuc/chuyen-muc/{category}") => {
            let report = reports::find(&app.test_db.db, at.mission).await.ok().flatten();
            let slug = report.as_ref().and_then(|r| r.slug.clone()).unwrap_or_else(|| "chua-dang-bai-nay".to_owned());
            let category = report
                .filter(|r| r.slug.is_some())
                .and_then(|r| r.draft.category.as_deref().map(giamsat_domain::report::slug))
                .unwrap_or_else(|| "chua-co-chuyen-muc".to_owned());
            path = pattern.replace("{slug}", &slug).replace("{number}", "1").replace("{category}", &category);
            Payload::default()
        }
        (_, "/anh/{key}") => {
            // The mission's published photo; otherwise a stored photo that no published article shows.
            let published = reports::published_of_mission(&app.test_db.db, at.mission, None).await.ok().flatten();
            let key = match published.and_then(|v| v.content.photos.into_iter().find(|p| p.included)?.file) {
                Some(key) => key,
                None => app.state.files.put_image(&crate::support::png()).await.expect("photo stored").0,
            };
            path = pattern.replace("{key}", &key);
            Payload::default()
        }
        (_, "/ledger/units/{id}") => {
            path = pattern.replace("{id}", &any_unit(app).await.to_string());
            Payload::default()
        }
        (_, "/ledger/addressees/{id}") => {
            path = pattern.replace("{id}", &at.organisation.to_string());
            Payload::default()
        }
        (_, pattern) if pattern.starts_with("/api/v1/recommendations/{id}") => {
            // The page's request, sent as JSON: numbers and booleans typed.
            let (rec, fields) = ledger_request(app, pattern.trim_start_matches("/api/v1"), at).await;
            path = pattern.replace("{id}", &rec.to_string());
            let body: serde_json::Map<String, serde_json::Value> = fields
                .into_iter()
                .map(|(k, v)| {
                    let value = match k.as_str() {
                        "version" => v.parse::<i64>().map_or_else(|_| v.clone().into(), Into::into),
                        "confirmed" => true.into(),
                        _ => v.into(),
                    };
                    (k, value)
                })
                .collect();
            Payload { json: Some(serde_json::Value::Object(body).to_string().into_bytes()), ..Payload::default() }
        }
        (_, pattern) if pattern.starts_with("/recommendations/{id}") => {
            let (rec, fields) = ledger_request(app, pattern, at).await;
            path = path.replacen(&format!("/recommendations/{}", at.mission), &format!("/recommendations/{rec}"), 1);
            Payload { fields, ..Payload::default() }
        }
        _ => with_version(Vec::new()),
    };
    (path, payload)
}

/// Drives the article of `mission` to `want` as far as the editorial workflow allows (approval needs a
/// concluded mission), as the system, whatever state earlier cells left it in.
pub(super) async fn ensure_report(app: &TestApp, mission: i64, want: ReportState) -> Option<StoredReport> {
    let db = &app.test_db.db;
    let system = Actor::system(chrono::Utc::now());
    for _ in 0..6 {
        let current = reports::find(db, mission).await.ok()?;
        let write = match (&current, want) {
            (Some(r), want) if r.state == want => return current,
            (None, _) => {
                let content = ArticleContent::generate(&giamsat_store::missions::load(db, mission).await.ok()?.mission);
                Write::save(content.clone(), content)
            }
            (Some(r), ReportState::Draft) if r.state == ReportState::AwaitingApproval => {
                Write::Step(ReportEvent::Withdraw)
            }
            (Some(r), ReportState::Draft) => Write::save(r.base.clone(), r.draft.clone()),
            (Some(r), _) if r.state == ReportState::Draft => Write::Step(ReportEvent::RequestApproval),
            (Some(r), ReportState::Approved) if r.state == ReportState::AwaitingApproval => {
                Write::Step(ReportEvent::Approve)
            }
            (Some(r), _) if r.state == ReportState::AwaitingApproval => return current,
            (Some(r), _) => Write::save(r.base.clone(), r.draft.clone()),
        };
        let version = current.as_ref().map_or(0, |r| r.version);
        if reports::write(db, mission, version, write, &system, None).await.is_err() {
            return reports::find(db, mission).await.ok()?;
        }
    }
    reports::find(db, mission).await.ok()?
}

pub(super) fn report_version(report: &Option<StoredReport>) -> Payload {
    form(&[("version", &report.as_ref().map_or(0, |r| r.version).to_string())])
}

/// The editor's form with the working copy as it is.
pub(super) fn report_fields(report: &Option<StoredReport>) -> Payload {
    let mut payload = report_version(report);
    if let Some(r) = report {
        let d = &r.draft;
        for (name, value) in [
            ("title", d.title.clone()),
            ("lead", d.lead.clone()),
            ("body", d.paragraphs.join("\n\n")),
            ("byline", d.byline.clone().unwrap_or_default()),
            ("source", d.source.clone().unwrap_or_default()),
            ("category", d.category.clone().unwrap_or_default()),
        ] {
            payload.fields.push((name.to_owned(), value));
        }
        for (i, photo) in d.photos.iter().enumerate() {
            payload.fields.push(("caption".to_owned(), photo.caption.clone()));
            if photo.included {
                payload.fields.push(("included".to_owned(), i.to_string()));
            }
        }
    }
    payload
}

/// Publishes the article of `mission` as the system (the matrix's "published" state).
pub(super) async fn publish_article(app: &TestApp, mission: i64) {
    let report = ensure_report(app, mission, ReportState::Approved).await.expect("an approved article");
    let write = Write::Step(ReportEvent::Publish { corrects: None });
    reports::write(&app.test_db.db, mission, report.version, write, &Actor::system(chrono::Utc::now()), None)
        .await
        .expect("published");
}

/// The matrix mission's first recommendation and a valid payload for a ledger route: the next status (with the
/// supervisor's confirmation, in case it is "implemented"), a progress note, a due date one day later than the
/// current one with approver and reason, the seed's own addressees. The evidence route gets a stored file of the
/// recommendation first.
pub(super) async fn ledger_request(app: &TestApp, pattern: &str, at: &Setting<'_>) -> (i64, Vec<(String, String)>) {
    use giamsat_store::ledger;
    let db = &app.test_db.db;
    let Some(rec) = ledger::ids_of_mission(db, at.mission).await.expect("reads").first().copied() else {
        return (i64::MAX, pairs(&[("version", "1")]));
    };
    let item = ledger::item(db, rec).await.expect("reads");
    if pattern.ends_with("/evidence/{key}") && !ledger::has_evidence(db, rec, at.photo).await.expect("reads") {
        let evidence = vec![ledger::Evidence { file: at.photo.to_owned(), caption: "biên bản".to_owned() }];
        let change = ledger::Write::Progress { note: "đã họp triển khai".to_owned(), evidence };
        ledger::write(db, rec, item.version, change, &Actor::system(chrono::Utc::now()))
            .await
            .expect("evidence stored");
    }
    let version = ledger::item(db, rec).await.expect("reads").version.to_string();
    let next = item.follow_up.status.next_states().first().map_or("in_progress", |s| s.code());
    let due = item
        .follow_up
        .due_on
        .map_or_else(|| "2021-04-30".to_owned(), |d| (d + chrono::Duration::days(1)).format("%Y-%m-%d").to_string());
    let fields = match pattern {
        "/recommendations/{id}/status" => {
            pairs(&[("to", next), ("note", "đơn vị đã báo cáo"), ("confirmed", "1"), ("version", &version)])
        }
        "/recommendations/{id}/progress" => pairs(&[("note", "đã ban hành hướng dẫn"), ("version", &version)]),
        "/recommendations/{id}/due" => pairs(&[
            ("due_on", &due),
            ("approved_by", "Thường trực Quận ủy"),
            ("reason", "chờ hướng dẫn của Thành phố"),
            ("version", &version),
        ]),
        "/recommendations/{id}/link" => {
            pairs(&[("link", "resupervised_by"), ("mission", &at.mission.to_string()), ("version", &version)])
        }
        "/recommendations/{id}/assign" => pairs(&[
            ("owner", "Văn phòng Quận ủy"),
            ("addressees", &item.addressees.iter().map(|a| a.name.clone()).collect::<Vec<_>>().join("\n")),
            ("priority", "1"),
            ("version", &version),
        ]),
        _ => Vec::new(),
    };
    (rec, fields)
}

/// An administrative unit (one is stored the first time).
pub(super) async fn any_unit(app: &TestApp) -> i64 {
    use giamsat_store::entities::admin_units;
    use giamsat_store::sea_orm::EntityTrait;
    if let Some(unit) = admin_units::Entity::find().one(&app.test_db.db).await.expect("reads") {
        return unit.id;
    }
    let (kind, valid) = (giamsat_domain::org::UnitKind::Ward, giamsat_domain::org::Validity::default());
    giamsat_store::units::create(&app.test_db.db, "Hàng Bạc", kind, None, valid).await.expect("stored")
}

/// A forged request: what it is, the token it carries, the headers it adds.
pub(super) type Forgery<'a> = (&'a str, Csrf<'a>, &'a [(&'a str, &'a str)]);

/// Which token a state-changing request carries.
#[derive(Clone, Copy)]
pub(crate) enum Csrf<'a> {
    Own,
    Omitted,
    This(&'a str),
}

/// One browser: its cookies, the token its forms carry and the account behind it (none when anonymous; the
/// token is then the login form's pre-session one).
#[derive(Clone)]
pub(crate) struct Caller {
    pub(crate) user_id: Option<i64>,
    pub(crate) client: reqwest::Client,
    pub(crate) csrf: String,
}

impl Caller {
    /// A visitor who has opened the login form (and holds its pre-session token).
    pub(crate) async fn anonymous(app: &TestApp) -> Caller {
        let client = cookie_client();
        let page = client.get(app.url("/login")).send().await.expect("reaches").text().await.expect("body");
        Caller { user_id: None, client, csrf: csrf_of(&page).expect("the login form has a token") }
    }

    pub(crate) fn of(user: TestUser) -> Caller {
        Caller { user_id: Some(user.id), client: user.client, csrf: user.csrf }
    }

    /// A new session of account `user_id`, made directly in the database (no login, no throttling).
    pub(crate) async fn new_session(app: &TestApp, user_id: i64) -> Caller {
        let token = random_token();
        let csrf = random_token();
        accounts::create_session(&app.test_db.db, &hash_token(&token), user_id, &csrf, app.state.clock.now())
            .await
            .expect("session stored");
        let jar = reqwest::cookie::Jar::default();
        let url: reqwest::Url = app.base.parse().expect("base URL");
        jar.add_cookie_str(&format!("{}={token}; Path=/", app.state.sessions.cookie_name()), &url);
        let client = reqwest::Client::builder()
            .cookie_provider(Arc::new(jar))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        Caller { user_id: Some(user_id), client, csrf }
    }

    /// Sends `method path`; anything but GET carries `payload` with the token `csrf` says, and `headers`.
    pub(crate) async fn send(
        &self,
        app: &TestApp,
        method: &str,
        path: &str,
        payload: &Payload,
        csrf: Csrf<'_>,
        headers: &[(&str, &str)],
    ) -> reqwest::Response {
        let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).expect("an HTTP method");
        let mut request = self.client.request(method.clone(), app.url(path));
        if method != reqwest::Method::GET {
            let token = match csrf {
                Csrf::Own => Some(self.csrf.clone()),
                Csrf::This(token) => Some(token.to_owned()),
                Csrf::Omitted => None,
            };
            let mut fields: Vec<(String, String)> = token.iter().map(|t| ("_csrf".to_owned(), t.clone())).collect();
            fields.extend(payload.fields.iter().cloned());
            request = match (&payload.json, &payload.file) {
                (Some(json), _) => {
                    let request = request.header("content-type", "application/json").body(json.clone());
                    match token {
                        Some(token) => request.header("x-csrf-token", token),
                        None => request,
                    }
                }
                (None, None) => request.form(&fields),
                (None, Some(bytes)) => {
                    let mut multipart = reqwest::multipart::Form::new();
                    for (name, value) in fields {
                        multipart = multipart.text(name, value);
                    }
                    let part = reqwest::multipart::Part::bytes(bytes.clone())
                        .file_name("cuoc-giam-sat.json")
                        .mime_str("application/json")
                        .expect("a MIME type");
                    request.multipart(multipart.part("file", part))
                }
            };
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.send().await.expect("request reaches the app")
    }
}

pub(super) fn outcome_of(response: &reqwest::Response) -> Result<Outcome, String> {
    let location = response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default();
    match response.status().as_u16() {
        200..=299 => Ok(Outcome::Ok),
        303 if location.starts_with("/login?next=") => Ok(Outcome::LoginRedirect),
        303 => Ok(Outcome::Ok),
        401 => Ok(Outcome::Unauthorized),
        403 => Ok(Outcome::Forbidden),
        404 => Ok(Outcome::NotFound),
        422 => Ok(Outcome::Unprocessable),
        other => Err(format!("status {other} (location {location:?})")),
    }
}

pub(super) fn describe(result: &Result<Outcome, String>) -> String {
    match result {
        Ok(outcome) => format!("{outcome:?}"),
        Err(other) => other.clone(),
    }
}

/// One cell: a route asked by one subject, with the mission in one state.
pub(super) struct Cell<'a> {
    pub(super) method: &'a str,
    pub(super) pattern: &'a str,
    pub(super) who: Who,
    pub(super) state: State,
    pub(super) to: MissionState,
    pub(super) kind: &'a str,
}

/// One app with the callers of every `Who`, created once and reused by every cell.
pub(super) struct World {
    pub(super) app: TestApp,
    pub(super) callers: Vec<Caller>,
    pub(super) org: i64,
    pub(super) admin_id: i64,
    pub(super) photo: String,
}

impl World {
    pub(super) async fn new() -> World {
        let app = spawn_app().await;
        let led_elsewhere = app.insert_seed().await;
        let org = app.owner_of(led_elsewhere).await;
        let other_org = app.owner_of(app.insert_json(&seed_of_another_org()).await).await;
        assert_ne!(org, other_org);
        let mut callers = Vec::new();
        for who in EVERYONE {
            let (role, organisation) = match who {
                Who::Anonymous => {
                    callers.push(Caller::anonymous(&app).await);
                    continue;
                }
                Who::Viewer => (Role::Viewer, Some(org)),
                Who::StaffOwnOrg => (Role::Staff, Some(org)),
                Who::StaffOtherOrg => (Role::Staff, Some(other_org)),
                Who::LeaderOfThisMission => (Role::TeamLeader, Some(other_org)),
                Who::LeaderOfOtherMission => (Role::TeamLeader, Some(org)),
                Who::MemberOfThisMission => (Role::TeamMember, Some(org)),
                Who::Writer => (Role::Writer, Some(org)),
                Who::Admin => (Role::Admin, None),
            };
            let assignment = (who == Who::LeaderOfOtherMission).then_some((led_elsewhere, Capacity::Leader));
            callers.push(Caller::of(app.user(role, organisation, assignment).await));
        }
        let admin_id = callers[index_of(Who::Admin)].user_id.expect("an account");
        let photo = stored_photo(&app).await;
        World { app, callers, org, admin_id, photo }
    }

    pub(super) fn caller(&self, who: Who) -> &Caller {
        &self.callers[index_of(who)]
    }

    /// A new mission in `state`, with this mission's leader and member assigned.
    pub(super) async fn mission_in(&self, state: State) -> i64 {
        let id = self.app.insert_json(&state.json(&self.photo)).await;
        for (who, capacity) in
            [(Who::LeaderOfThisMission, Capacity::Leader), (Who::MemberOfThisMission, Capacity::Member)]
        {
            let user = self.caller(who).user_id.expect("an account");
            accounts::assign(&self.app.test_db.db, id, user, capacity, &Actor::system(chrono::Utc::now()))
                .await
                .expect("assigned");
        }
        if state == State::Published {
            publish_article(&self.app, id).await;
        }
        id
    }

    /// Sends the cell's request. Requests that end sessions (logout, a password change) go through a second
    /// session of the same account; a mission the request changed is replaced by a fresh one in the same state.
    pub(super) async fn run(&mut self, cell: &Cell<'_>, mission: &mut i64) -> Result<Outcome, String> {
        let caller = self.caller(cell.who).clone();
        let setting = Setting {
            mission: *mission,
            photo: &self.photo,
            kind: cell.kind,
            account: caller.user_id.unwrap_or(self.admin_id),
            organisation: self.org,
            to: cell.to,
        };
        let (path, payload) = prepare(&self.app, cell.method, cell.pattern, &setting).await;
        let via = match caller.user_id {
            Some(user) if matches!(cell.pattern, "/logout" | "/account/password") => {
                Caller::new_session(&self.app, user).await
            }
            _ => caller,
        };
        let version = version_of(&self.app, *mission).await;
        let response = via.send(&self.app, cell.method, &path, &payload, Csrf::Own, &[]).await;
        let outcome = outcome_of(&response);
        if cell.pattern == "/account/password"
            && let Some(user) = via.user_id
        {
            // A changed password ends every session of the account: give the caller a new one.
            self.callers[index_of(cell.who)] = Caller::new_session(&self.app, user).await;
        }
        if version_of(&self.app, *mission).await != version {
            *mission = self.mission_in(cell.state).await;
        }
        outcome
    }
}

pub(super) fn index_of(who: Who) -> usize {
    EVERYONE.iter().position(|w| *w == who).expect("every Who is listed")
}

pub(super) fn failure(cell: &Cell<'_>, detail: &str, want: Outcome, got: &Result<Outcome, String>) -> String {
    format!(
        "{} {}{detail} × {:?} × {:?}: expected {want:?}, got {}",
        cell.method.to_uppercase(),
        cell.pattern,
        cell.who,
        cell.state,
        describe(got)
    )
}
