//! The editorial workflow of a mission's news article: the writer's page (draft, edit, regenerate with the
//! changes shown, ask for approval), the leader's approval or sending back, and publication of immutable
//! versions. The rules are `giamsat_domain::report`; who may do what is `policy` (`WriteReport`,
//! `ApproveReport`).

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use chrono::{DateTime, FixedOffset, Utc};
use giamsat_domain::messages::report as wording;
use giamsat_domain::mission::Mission;
use giamsat_domain::policy::{Action, MissionScope, can};
use giamsat_domain::report::{ArticleContent, Change, MAX_LINE, ReportEvent, ReportState, merge};
use giamsat_store::StoreError;
use giamsat_store::missions;
use giamsat_store::reports::{self, StoredReport, Write};

use crate::auth::guard::{Authenticated, authorize};
use crate::auth::session::CurrentUser;
use crate::error::AppError;
use crate::forms::{Checked, FormData};
use crate::pages::account::actor;
use crate::pages::{Chrome, page};
use crate::state::AppState;

/// A moment as people in Vietnam read it.
#[must_use]
pub fn vietnam_time(at: DateTime<Utc>) -> DateTime<FixedOffset> {
    at.with_timezone(&giamsat_domain::date::vn_offset())
}

struct PhotoRow {
    index: usize,
    caption: String,
    included: bool,
    url: Option<String>,
}

struct ChangeRow {
    part: String,
    before: String,
    after: String,
    kept_edit: bool,
}

struct VersionRow {
    number: i32,
    published: String,
    corrects: Option<String>,
    hash: String,
    url: Option<String>,
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    chrome: Chrome,
    csrf: String,
    mission_id: i64,
    exists: bool,
    state: &'static str,
    state_code: &'static str,
    version: i32,
    comment: Option<String>,
    form: Checked,
    photos: Vec<PhotoRow>,
    changes: Option<Vec<ChangeRow>>,
    versions: Vec<VersionRow>,
    slug: Option<String>,
    refusal: Option<String>,
    conflict: bool,
    may_write: bool,
    may_approve: bool,
    may_export: bool,
    needs_correction_note: bool,
}

impl ReportPage {
    fn is(&self, state: &str) -> bool {
        self.state_code == state
    }
}

/// Fills the form with `content`: the body is its paragraphs separated by blank lines.
fn form_of(content: &ArticleContent) -> Checked {
    let mut form = Checked::default();
    form.set("title", content.title.clone());
    form.set("lead", content.lead.clone());
    form.set("body", content.paragraphs.join("\n\n"));
    form.set("byline", content.byline.clone().unwrap_or_default());
    form.set("source", content.source.clone().unwrap_or_default());
    form.set("category", content.category.clone().unwrap_or_default());
    form.set_all("caption", content.photos.iter().map(|p| p.caption.clone()).collect());
    form.set_all(
        "included",
        content.photos.iter().enumerate().filter(|(_, p)| p.included).map(|(i, _)| i.to_string()).collect(),
    );
    form
}

struct Context<'a> {
    current: &'a CurrentUser,
    mission_id: i64,
    scope: &'a MissionScope,
    report: Option<&'a StoredReport>,
    versions: Vec<reports::VersionSummary>,
}

fn build(ctx: &Context<'_>, content: &ArticleContent, form: Checked) -> ReportPage {
    let subject = ctx.current.subject();
    let state = ctx.report.map_or(ReportState::Draft, |r| r.state);
    let captions: Vec<String> =
        (0..content.photos.len()).map(|i| form.all("caption").get(i).cloned().unwrap_or_default()).collect();
    let photos = content
        .photos
        .iter()
        .enumerate()
        .map(|(index, p)| PhotoRow {
            index,
            caption: captions.get(index).cloned().unwrap_or_default(),
            included: form.has("included", &index.to_string()),
            url: p.file.as_ref().map(|f| format!("/missions/{}/photos/{f}", ctx.mission_id)),
        })
        .collect();
    let slug = ctx.report.and_then(|r| r.slug.clone());
    ReportPage {
        chrome: Chrome::of(ctx.current),
        csrf: ctx.current.csrf.clone().unwrap_or_default(),
        mission_id: ctx.mission_id,
        exists: ctx.report.is_some(),
        state: wording::state(state),
        state_code: state.code(),
        version: ctx.report.map_or(0, |r| r.version),
        comment: ctx.report.and_then(|r| r.comment.clone()),
        form,
        photos,
        changes: None,
        versions: ctx
            .versions
            .iter()
            .map(|v| VersionRow {
                number: v.number,
                published: vietnam_time(v.published_at).format("%d/%m/%Y %H:%M").to_string(),
                corrects: v.corrects.clone(),
                hash: v.content_hash.chars().take(12).collect(),
                url: slug.as_ref().map(|s| format!("/tin-tuc/{s}/ban/{}", v.number)),
            })
            .collect(),
        slug,
        refusal: None,
        conflict: false,
        may_write: can(Some(&subject), Action::WriteReport, Some(ctx.scope)),
        may_approve: can(Some(&subject), Action::ApproveReport, Some(ctx.scope)),
        may_export: can(Some(&subject), Action::Export, Some(ctx.scope)),
        needs_correction_note: ctx.report.is_some_and(|r| r.published_versions > 0),
    }
}

async fn context_parts(
    state: &AppState,
    mission_id: i64,
) -> Result<(Option<StoredReport>, Vec<reports::VersionSummary>), AppError> {
    let report = reports::find(&state.db, mission_id).await?;
    let versions = match &report {
        Some(r) if r.published_versions > 0 => reports::versions(&state.db, r.id).await?,
        _ => Vec::new(),
    };
    Ok((report, versions))
}

async fn mission_of(state: &AppState, mission_id: i64) -> Result<Mission, AppError> {
    Ok(missions::load(&state.db, mission_id).await?.mission)
}

/// GET /missions/{id}/report: the working copy, or what the data would give if nobody started one.
pub async fn show(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let scope = authorize(&state, &current, id, Action::View).await?;
    let (report, versions) = context_parts(&state, id).await?;
    let content = match &report {
        Some(r) => r.draft.clone(),
        None => ArticleContent::generate(&mission_of(&state, id).await?),
    };
    let ctx = Context { current: &current, mission_id: id, scope: &scope, report: report.as_ref(), versions };
    page(&build(&ctx, &content, form_of(&content)), StatusCode::OK)
}

/// Reads the edited content from the form, over the stored photos (their files never come from the form).
fn read_content(form: &mut Checked, data: &FormData, photos_of: &ArticleContent) -> Result<ArticleContent, ()> {
    let captions = data.all("caption");
    let included = data.all("included");
    if captions.len() != photos_of.photos.len() {
        let _ = form.fail("caption", giamsat_domain::messages::pages::PHOTOS_CHANGED);
        return Err(());
    }
    let photos = photos_of
        .photos
        .iter()
        .zip(captions)
        .enumerate()
        .map(|(i, (p, caption))| giamsat_domain::report::DraftPhoto {
            file: p.file.clone(),
            caption: caption.to_owned(),
            included: included.contains(&i.to_string().as_str()),
        })
        .collect();
    let opt = |name: &str| Some(data.get(name).to_owned());
    let content = ArticleContent {
        title: data.get("title").to_owned(),
        lead: data.get("lead").to_owned(),
        paragraphs: data.get("body").replace("\r\n", "\n").split("\n\n").map(str::to_owned).collect(),
        photos,
        byline: opt("byline"),
        source: opt("source"),
        category: opt("category"),
    };
    content.cleaned().map_err(|errors| {
        for error in &errors {
            let field = match wording::field(error) {
                "paragraphs" => "body",
                "captions" => "caption",
                other => other,
            };
            let _ = form.fail(field, error.to_string());
        }
    })
}

/// POST /missions/{id}/report: saves the writer's edits.
pub async fn save(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    headers: HeaderMap,
    Path(id): Path<i64>,
    data: FormData,
) -> Result<Response, AppError> {
    let scope = authorize(&state, &current, id, Action::WriteReport).await?;
    let version: i32 = data.get("version").parse().unwrap_or(-1);
    let (report, versions) = context_parts(&state, id).await?;
    let stored_content = match &report {
        Some(r) => r.draft.clone(),
        None => ArticleContent::generate(&mission_of(&state, id).await?),
    };
    let mut form = Checked::from(&data);
    let ctx = Context { current: &current, mission_id: id, scope: &scope, report: report.as_ref(), versions };
    let Ok(content) = read_content(&mut form, &data, &stored_content) else {
        let mut again = build(&ctx, &stored_content, form);
        again.version = version;
        return page(&again, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let base = report.as_ref().map_or_else(|| stored_content.clone(), |r| r.base.clone());
    let write = Write::save(base, content);
    match reports::write(
        &state.db,
        id,
        version,
        write,
        &actor(&current.user, &headers, state.clock.now()),
        Some(current.user.id),
    )
    .await
    {
        Ok(_) => Ok(crate::pages::saved(&format!("/missions/{id}/report"), "")),
        Err(e) => refused(&ctx, &stored_content, form, version, e),
    }
}

/// Shows the form again, input kept, for a refusal the writer can act on; anything else is an error page.
fn refused(
    ctx: &Context<'_>,
    content: &ArticleContent,
    form: Checked,
    version: i32,
    error: StoreError,
) -> Result<Response, AppError> {
    let mut again = build(ctx, content, form);
    match error {
        StoreError::Conflict { .. } => {
            again.conflict = true;
            page(&again, StatusCode::CONFLICT)
        }
        StoreError::Report(e) => {
            again.version = version;
            again.refusal = Some(e.to_string());
            page(&again, StatusCode::UNPROCESSABLE_ENTITY)
        }
        e => Err(e.into()),
    }
}

/// POST /missions/{id}/report/regenerate: composes the article from the data again and merges it with the
/// working copy (edits kept); shows what changed. The first regeneration creates the draft.
pub async fn regenerate(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    headers: HeaderMap,
    Path(id): Path<i64>,
    data: FormData,
) -> Result<Response, AppError> {
    let scope = authorize(&state, &current, id, Action::WriteReport).await?;
    let version: i32 = data.get("version").parse().unwrap_or(-1);
    let fresh = ArticleContent::generate(&mission_of(&state, id).await?);
    let (report, versions) = context_parts(&state, id).await?;
    let (write, changes) = match &report {
        None => (Write::save(fresh.clone(), fresh.clone()), Vec::new()),
        Some(r) => {
            let merged = merge(&r.base, &r.draft, &fresh);
            (Write::save(fresh.clone(), merged.content), merged.changes)
        }
    };
    let who = actor(&current.user, &headers, state.clock.now());
    match reports::write(&state.db, id, version, write, &who, Some(current.user.id)).await {
        Ok(saved) => {
            let ctx = Context { current: &current, mission_id: id, scope: &scope, report: Some(&saved), versions };
            let mut shown = build(&ctx, &saved.draft, form_of(&saved.draft));
            shown.changes = Some(changes.iter().map(change_row).collect());
            page(&shown, StatusCode::OK)
        }
        Err(e) => {
            let content = report.as_ref().map_or_else(|| fresh.clone(), |r| r.draft.clone());
            let ctx = Context { current: &current, mission_id: id, scope: &scope, report: report.as_ref(), versions };
            refused(&ctx, &content, form_of(&content), version, e)
        }
    }
}

fn change_row(change: &Change) -> ChangeRow {
    ChangeRow {
        part: wording::part(&change.part),
        before: change.before.clone(),
        after: change.after.clone(),
        kept_edit: change.kept_edit,
    }
}

/// A workflow step: who may take it, and the event the form describes.
async fn take_step(
    state: &AppState,
    current: &CurrentUser,
    headers: &HeaderMap,
    id: i64,
    data: &FormData,
    action: Action,
    event: ReportEvent,
) -> Result<Response, AppError> {
    let scope = authorize(state, current, id, action).await?;
    let version: i32 = data.get("version").parse().unwrap_or(-1);
    let who = actor(&current.user, headers, state.clock.now());
    match reports::write(&state.db, id, version, Write::Step(event), &who, Some(current.user.id)).await {
        Ok(saved) => {
            if let Some(slug) = saved.slug.as_deref() {
                state.portal.published(slug);
            }
            if saved.state == ReportState::AwaitingApproval {
                // After the commit and off the request: a slow or failing relay neither delays nor undoes the step.
                let (state, writer) = (state.clone(), current.user.display_name.clone());
                tokio::spawn(async move {
                    if let Err(e) = crate::reminders::notify_approvers(&state, id, &writer).await {
                        tracing::warn!(mission = id, error = %e, "approval request not e-mailed");
                    }
                });
            }
            Ok(crate::pages::saved(&format!("/missions/{id}/report"), ""))
        }
        Err(StoreError::NotFound) => Err(AppError::Unprocessable(wording::NO_DRAFT.to_owned())),
        Err(e) => {
            let (report, versions) = context_parts(state, id).await?;
            let Some(stored) = report.as_ref() else {
                return Err(e.into());
            };
            let mut form = form_of(&stored.draft);
            for name in ["comment", "corrects"] {
                form.set(name, data.get(name).to_owned());
            }
            let ctx = Context { current, mission_id: id, scope: &scope, report: report.as_ref(), versions };
            refused(&ctx, &stored.draft, form, version, e)
        }
    }
}

/// POST /missions/{id}/report/request: the writer asks for approval.
pub async fn request(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    headers: HeaderMap,
    Path(id): Path<i64>,
    data: FormData,
) -> Result<Response, AppError> {
    take_step(&state, &current, &headers, id, &data, Action::WriteReport, ReportEvent::RequestApproval).await
}

/// POST /missions/{id}/report/withdraw: the writer takes the request back.
pub async fn withdraw(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    headers: HeaderMap,
    Path(id): Path<i64>,
    data: FormData,
) -> Result<Response, AppError> {
    take_step(&state, &current, &headers, id, &data, Action::WriteReport, ReportEvent::Withdraw).await
}

/// POST /missions/{id}/report/approve: the mission's leader (or an administrator) approves.
pub async fn approve(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    headers: HeaderMap,
    Path(id): Path<i64>,
    data: FormData,
) -> Result<Response, AppError> {
    take_step(&state, &current, &headers, id, &data, Action::ApproveReport, ReportEvent::Approve).await
}

/// POST /missions/{id}/report/send-back: the approver refuses, with a comment.
pub async fn send_back(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    headers: HeaderMap,
    Path(id): Path<i64>,
    data: FormData,
) -> Result<Response, AppError> {
    let comment = giamsat_domain::text::clean_optional(data.get("comment"), MAX_LINE * 4)
        .map_err(|e| AppError::Unprocessable(e.to_string()))?
        .unwrap_or_default();
    take_step(&state, &current, &headers, id, &data, Action::ApproveReport, ReportEvent::SendBack { comment }).await
}

/// POST /missions/{id}/report/publish: freezes an approved article as a new immutable version.
pub async fn publish(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    headers: HeaderMap,
    Path(id): Path<i64>,
    data: FormData,
) -> Result<Response, AppError> {
    let corrects = giamsat_domain::text::clean_optional(data.get("corrects"), MAX_LINE)
        .map_err(|e| AppError::Unprocessable(e.to_string()))?;
    take_step(&state, &current, &headers, id, &data, Action::WriteReport, ReportEvent::Publish { corrects }).await
}
