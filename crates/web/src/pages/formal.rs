//! The formal report (báo cáo kết quả giám sát) of a mission in the official layout: print-ready HTML, PDF and
//! DOCX, of the latest data or of a published version (`?version=N`, its frozen mission and settings). It is an
//! internal document: every route needs `Action::Export` on the mission, none is public.
//!
//! Its settings: an organisation's for all its reports (`can_manage`: its staff and administrators) and one
//! report's own (`Action::WriteReport`). An empty field inherits; each page shows what it would inherit.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use giamsat_domain::docnum::DocumentNumber;
use giamsat_domain::docnum::TypeCode;
use giamsat_domain::formal::{
    self, FormalReport, FormalSettings, Layout, Margins, Overrides, SettingsField, recipient_list,
};
use giamsat_domain::messages;
use giamsat_domain::policy::Action;
use giamsat_store::formal_settings::{self, Scope};
use giamsat_store::{StoreError, missions, orgs, reports};
use serde::Deserialize;

use crate::auth::guard::{Authenticated, authorize};
use crate::auth::session::CurrentUser;
use crate::error::AppError;
use crate::forms::{Checked, FormData, Refused};
use crate::pages::account::actor;
use crate::pages::{Chrome, page};
use crate::state::AppState;

/// The print page styles itself inline (its margins are settings), so it carries its own policy: inline style,
/// and nothing else — no script, no frame, no form.
const PRINT_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; \
                         form-action 'none'; frame-ancestors 'none'";

/// `?version=N`: the formal report of published version N (its frozen mission and settings).
#[derive(Debug, Deserialize)]
pub struct VersionQuery {
    version: Option<String>,
}

impl VersionQuery {
    /// The version asked for; one that cannot be a version number is not found.
    fn number(&self) -> Result<Option<i32>, AppError> {
        match self.version.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(raw) => raw.parse::<i32>().ok().filter(|n| *n > 0).map(Some).ok_or(AppError::NotFound),
        }
    }
}

async fn report_of(
    state: &AppState,
    current: &CurrentUser,
    id: i64,
    query: &VersionQuery,
) -> Result<(FormalReport, Option<DocumentNumber>), AppError> {
    authorize(state, current, id, Action::Export).await?;
    let (mission, settings) = reports::formal_source(&state.db, id, query.number()?).await?;
    Ok((formal::build(&mission, &settings), settings.number))
}

fn attachment(content_type: &'static str, name: String, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
                    .unwrap_or_else(|_| HeaderValue::from_static("attachment")),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// ASCII file name of a mission's report: "giamsat-12-bao-cao-12-bc-qu.pdf", "giamsat-12-bao-cao-ket-qua-giam-sat.pdf".
fn file_name(id: i64, (report, number): &(FormalReport, Option<DocumentNumber>), extension: &str) -> String {
    format!("giamsat-{id}-{}.{extension}", report.file_stem(number.as_ref()))
}

/// GET /missions/{id}/formal: the report as a print-ready page.
pub async fn html(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    Path(id): Path<i64>,
    Query(query): Query<VersionQuery>,
) -> Result<Response, AppError> {
    let (report, _) = report_of(&state, &current, id, &query).await?;
    Ok(([(header::CONTENT_SECURITY_POLICY, PRINT_CSP)], Html(giamsat_render::html(&report))).into_response())
}

/// GET /missions/{id}/formal.pdf: typeset off the async threads (Typst is CPU-bound).
pub async fn pdf(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    Path(id): Path<i64>,
    Query(query): Query<VersionQuery>,
) -> Result<Response, AppError> {
    let report = report_of(&state, &current, id, &query).await?;
    let fonts = state.fonts.clone();
    let name = file_name(id, &report, "pdf");
    let bytes = tokio::task::spawn_blocking(move || {
        giamsat_render::pdf(&report.0, fonts.get()?).map_err(|e| AppError::Internal(e.to_string()))
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))??;
    Ok(attachment("application/pdf", name, bytes))
}

/// GET /missions/{id}/formal.docx.
pub async fn docx(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    Path(id): Path<i64>,
    Query(query): Query<VersionQuery>,
) -> Result<Response, AppError> {
    let report = report_of(&state, &current, id, &query).await?;
    let today = giamsat_domain::date::vietnam_day(state.clock.now());
    let bytes = giamsat_render::docx(&report.0, today).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(attachment(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        file_name(id, &report, "docx"),
        bytes,
    ))
}

/// The text fields of both levels, with their longest value.
const TEXT_FIELDS: [(&str, usize); 4] =
    [("place", 100), ("authority", 100), ("signer_title", 100), ("signer_name", 100)];
const MARGINS: [&str; 4] = ["margin_top", "margin_bottom", "margin_left", "margin_right"];
/// The longest Nơi nhận a form takes, in characters.
const MAX_RECIPIENTS_TEXT: usize = 6000;

fn field_of(field: SettingsField) -> &'static str {
    match field {
        SettingsField::Number => "number",
        SettingsField::TypeCode => "type_code",
        SettingsField::Recipients => "recipients",
        SettingsField::StandingRecipients => "standing_recipients",
        SettingsField::MarginTop => "margin_top",
        SettingsField::MarginBottom => "margin_bottom",
        SettingsField::MarginLeft => "margin_left",
        SettingsField::MarginRight => "margin_right",
    }
}

fn values_of(o: &Overrides) -> Checked {
    let mut form = Checked::default();
    form.set("number", o.number.as_ref().map(|n| n.raw().to_owned()).unwrap_or_default());
    form.set("type_code", o.type_code.map(|t| t.as_str().to_owned()).unwrap_or_default());
    form.set("date", giamsat_domain::date::iso(o.date));
    for (name, value) in [
        ("place", &o.place),
        ("authority", &o.authority),
        ("signer_title", &o.signer_title),
        ("signer_name", &o.signer_name),
    ] {
        form.set(name, value.clone().unwrap_or_default());
    }
    form.set("recipients", o.recipients.as_ref().map(|r| r.join("\n")).unwrap_or_default());
    form.set("standing_recipients", o.standing_recipients.join("\n"));
    for (name, value) in MARGINS.into_iter().zip(margins_of(o)) {
        form.set(name, value.map(|v| v.to_string()).unwrap_or_default());
    }
    form
}

const fn margins_of(o: &Overrides) -> [Option<u16>; 4] {
    [o.margin_top_mm, o.margin_bottom_mm, o.margin_left_mm, o.margin_right_mm]
}

/// Reads the form of `scope`: an empty field inherits. Every problem is recorded next to its field.
fn read(form: &mut Checked, scope: Scope, layout: Option<Layout>) -> Option<Overrides> {
    let mut o = Overrides::default();
    let mut ok = true;
    if matches!(scope, Scope::Report { .. }) {
        match form.opt_text_checked("number", 60) {
            Ok(Some(raw)) => match DocumentNumber::parse(&raw) {
                Ok(number) => o.number = Some(number),
                Err(e) => {
                    let _ = form.fail("number", e.to_string());
                    ok = false;
                }
            },
            Ok(None) => {}
            Err(Refused) => ok = false,
        }
        match form.date("date") {
            Ok(date) => o.date = date,
            Err(Refused) => ok = false,
        }
        match form.opt_text_checked("recipients", MAX_RECIPIENTS_TEXT) {
            Ok(text) => o.recipients = text.map(|t| recipient_list(&t)).filter(|r| !r.is_empty()),
            Err(Refused) => ok = false,
        }
    } else {
        match form.opt_text_checked("standing_recipients", MAX_RECIPIENTS_TEXT) {
            Ok(text) => o.standing_recipients = text.map(|t| recipient_list(&t)).unwrap_or_default(),
            Err(Refused) => ok = false,
        }
    }
    match form.value("type_code") {
        "" => {}
        code => match TypeCode::from_code(code).filter(|t| matches!(t, TypeCode::BaoCao | TypeCode::ThongBao)) {
            Some(kind) => o.type_code = Some(kind),
            None => {
                let _ = form.fail("type_code", messages::formal::CHOOSE_KIND);
                ok = false;
            }
        },
    }
    let [place, authority, signer_title, signer_name] =
        TEXT_FIELDS.map(|(name, max)| match form.opt_text_checked(name, max) {
            Ok(value) => value,
            Err(Refused) => {
                ok = false;
                None
            }
        });
    (o.place, o.authority, o.signer_title, o.signer_name) = (place, authority, signer_title, signer_name);
    let range = u32::from(Margins::MIN_MM)..=u32::from(Margins::MAX_MM);
    let [top, bottom, left, right] = MARGINS.map(|name| match form.number(name, range.clone()) {
        Ok(value) => value.and_then(|v| u16::try_from(v).ok()),
        Err(Refused) => {
            ok = false;
            None
        }
    });
    (o.margin_top_mm, o.margin_bottom_mm, o.margin_left_mm, o.margin_right_mm) = (top, bottom, left, right);
    for (field, problem) in o.check(layout) {
        let _ = form.fail(field_of(field), problem.to_string());
        ok = false;
    }
    ok.then_some(o)
}

#[derive(Template)]
#[template(path = "formal_settings.html")]
struct SettingsPage {
    chrome: Chrome,
    csrf: String,
    is_report: bool,
    /// Where the form posts and where "back" leads.
    action: String,
    back: String,
    /// "Đoàn giám sát số 5 …" or the organisation's name.
    heading: String,
    /// What an empty field gives, by field (placeholders).
    inherited: Vec<(&'static str, String)>,
    /// The organisation's settings page, if the user may change them.
    organisation_link: Option<String>,
    version: i32,
    form: Checked,
    conflict: bool,
}

impl SettingsPage {
    fn inherited(&self, field: &str) -> &str {
        self.inherited.iter().find(|(name, _)| *name == field).map_or("", |(_, value)| value.as_str())
    }
}

/// What each field of a report's form gives when left empty: the mission's defaults under the organisation's
/// settings.
fn inherited_of(settings: &FormalSettings) -> Vec<(&'static str, String)> {
    let m = settings.margins;
    vec![
        ("number", settings.number.as_ref().map(|n| n.raw().to_owned()).unwrap_or_default()),
        ("type_code", settings.type_code.name_vi().to_owned()),
        ("place", settings.place.clone()),
        ("authority", settings.authority.clone()),
        ("signer_title", settings.signer_title.clone()),
        ("signer_name", settings.signer_name.clone()),
        ("recipients", settings.recipients.join("\n")),
        ("margin_top", m.top_mm.to_string()),
        ("margin_bottom", m.bottom_mm.to_string()),
        ("margin_left", m.left_mm.to_string()),
        ("margin_right", m.right_mm.to_string()),
    ]
}

struct ReportContext {
    heading: String,
    inherited: Vec<(&'static str, String)>,
    organisation_link: Option<String>,
    layout: Layout,
    stored: formal_settings::Stored,
}

async fn report_context(state: &AppState, current: &CurrentUser, id: i64) -> Result<ReportContext, AppError> {
    authorize(state, current, id, Action::WriteReport).await?;
    let mission = missions::load(&state.db, id).await?;
    let organisation = formal_settings::load(&state.db, Scope::Organisation(mission.owner_org_id)).await?;
    let stored = formal_settings::load(&state.db, Scope::Report { mission_id: id }).await?;
    let defaults = FormalSettings::resolve(&mission.mission, &organisation.overrides, &Overrides::default());
    Ok(ReportContext {
        heading: giamsat_domain::naming::name_of(&mission.mission),
        inherited: inherited_of(&defaults),
        organisation_link: crate::auth::guard::may_manage(current, mission.owner_org_id)
            .then(|| format!("/organisations/{}/formal-settings", mission.owner_org_id)),
        layout: Layout::of(mission.mission.system),
        stored,
    })
}

fn report_page(current: &CurrentUser, id: i64, ctx: ReportContext, form: Checked) -> SettingsPage {
    SettingsPage {
        chrome: Chrome::of(current),
        csrf: current.csrf.clone().unwrap_or_default(),
        is_report: true,
        action: format!("/missions/{id}/formal/settings"),
        back: format!("/missions/{id}/report"),
        heading: ctx.heading,
        inherited: ctx.inherited,
        organisation_link: ctx.organisation_link,
        version: ctx.stored.version,
        form,
        conflict: false,
    }
}

/// GET /missions/{id}/formal/settings: the report's own number, date, signatory, recipients and margins.
pub async fn report_settings(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let ctx = report_context(&state, &current, id).await?;
    let form = values_of(&ctx.stored.overrides);
    page(&report_page(&current, id, ctx, form), StatusCode::OK)
}

/// POST /missions/{id}/formal/settings
pub async fn save_report_settings(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    headers: HeaderMap,
    Path(id): Path<i64>,
    data: FormData,
) -> Result<Response, AppError> {
    let ctx = report_context(&state, &current, id).await?;
    let layout = ctx.layout;
    let shown = report_page(&current, id, ctx, Checked::default());
    save_form(&state, &current, &headers, Scope::Report { mission_id: id }, Some(layout), &data, shown).await
}

/// Reads and saves a settings form of `scope`; shows it again, input kept, with its errors (422) or after
/// someone else saved first (409).
async fn save_form(
    state: &AppState,
    current: &CurrentUser,
    headers: &HeaderMap,
    scope: Scope,
    layout: Option<Layout>,
    data: &FormData,
    mut shown: SettingsPage,
) -> Result<Response, AppError> {
    shown.form = Checked::from(data);
    shown.version = data.get("version").parse().unwrap_or(-1);
    let Some(overrides) = read(&mut shown.form, scope, layout) else {
        return page(&shown, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let who = actor(&current.user, headers, state.clock.now());
    match formal_settings::save(&state.db, scope, shown.version, &overrides, &who, Some(current.user.id)).await {
        Ok(_) => Ok(crate::pages::saved(&shown.action, "")),
        Err(StoreError::Conflict { .. }) => {
            shown.conflict = true;
            page(&shown, StatusCode::CONFLICT)
        }
        Err(e) => Err(e.into()),
    }
}

/// The organisation's name, if `current` may manage it; otherwise it answers as if it did not exist.
async fn managed_organisation(state: &AppState, current: &CurrentUser, id: i64) -> Result<String, AppError> {
    crate::auth::guard::manage(current, id)?;
    Ok(orgs::owner_of(&state.db, id).await?.name)
}

fn organisation_page(current: &CurrentUser, id: i64, name: String, version: i32, form: Checked) -> SettingsPage {
    let official = Margins::OFFICIAL;
    SettingsPage {
        chrome: Chrome::of(current),
        csrf: current.csrf.clone().unwrap_or_default(),
        is_report: false,
        action: format!("/organisations/{id}/formal-settings"),
        back: "/directory".to_owned(),
        heading: name,
        inherited: vec![
            ("margin_top", official.top_mm.to_string()),
            ("margin_bottom", official.bottom_mm.to_string()),
            ("margin_left", official.left_mm.to_string()),
            ("margin_right", official.right_mm.to_string()),
        ],
        organisation_link: None,
        version,
        form,
        conflict: false,
    }
}

/// GET /organisations/{id}/formal-settings: what every report of the organisation is set with by default.
pub async fn organisation_settings(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let name = managed_organisation(&state, &current, id).await?;
    let stored = formal_settings::load(&state.db, Scope::Organisation(id)).await?;
    page(&organisation_page(&current, id, name, stored.version, values_of(&stored.overrides)), StatusCode::OK)
}

/// POST /organisations/{id}/formal-settings
pub async fn save_organisation_settings(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    headers: HeaderMap,
    Path(id): Path<i64>,
    data: FormData,
) -> Result<Response, AppError> {
    let name = managed_organisation(&state, &current, id).await?;
    let shown = organisation_page(&current, id, name, 0, Checked::default());
    save_form(&state, &current, &headers, Scope::Organisation(id), None, &data, shown).await
}
