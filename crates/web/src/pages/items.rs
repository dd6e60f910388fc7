//! The items a mission lists — targets, sessions (with photos), findings, recommendations — added, edited and
//! removed one form at a time. An addition applies to the mission as it is now, whatever others added
//! meanwhile. An edit or removal carries the item as the form showed it (its fingerprint): it applies to that
//! item wherever it now is, and only if that item changed meanwhile does the form come back — with the user's
//! input, the item as now saved, and who changed what since the form was built.

use askama::Template;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use giamsat_domain::codes::{Direction, FindingKind, SessionModality, TargetKind};
use giamsat_domain::messages::{labels, pages as msg};
use giamsat_domain::mission::{
    Edit, EditError, Finding, ItemKind, Mission, Origin, Photo, Recommendation, Session, Target,
};
use giamsat_domain::org::UnitKind;
use giamsat_domain::policy::Action;
use giamsat_domain::recommendation::FollowUp;
use giamsat_domain::text::{LONG_TEXT_MAX, SHORT_TEXT_MAX};
use giamsat_store::StoreError;
use giamsat_store::edits::Basis;
use giamsat_store::missions::{self, StoredMission};
use giamsat_store::{audit, edits, orgs, units};

use crate::auth::guard::{Authenticated, authorize};
use crate::auth::session::CurrentUser;
use crate::error::AppError;
use crate::forms::{Checked, FormData};
use crate::pages::account::actor;
use crate::pages::{Chrome, page};
use crate::state::AppState;
use crate::storage::StorageError;

/// The kinds of item with forms here, as their URL segment says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Targets,
    Sessions,
    Findings,
    Recommendations,
}

impl Kind {
    fn parse(segment: &str) -> Result<Kind, AppError> {
        match segment {
            "targets" => Ok(Kind::Targets),
            "sessions" => Ok(Kind::Sessions),
            "findings" => Ok(Kind::Findings),
            "recommendations" => Ok(Kind::Recommendations),
            _ => Err(AppError::NotFound),
        }
    }

    const fn code(self) -> &'static str {
        match self {
            Kind::Targets => "targets",
            Kind::Sessions => "sessions",
            Kind::Findings => "findings",
            Kind::Recommendations => "recommendations",
        }
    }

    /// Targets shape the mission itself (staff); the rest is fieldwork (the team too).
    const fn action(self) -> Action {
        match self {
            Kind::Targets => Action::Edit,
            Kind::Sessions | Kind::Findings | Kind::Recommendations => Action::RecordFieldwork,
        }
    }

    const fn item_kind(self) -> ItemKind {
        match self {
            Kind::Targets => ItemKind::Target,
            Kind::Sessions => ItemKind::Session,
            Kind::Findings => ItemKind::Finding,
            Kind::Recommendations => ItemKind::Recommendation,
        }
    }

    fn count(self, mission: &Mission) -> usize {
        match self {
            Kind::Targets => mission.targets.len(),
            Kind::Sessions => mission.sessions.len(),
            Kind::Findings => mission.findings.len(),
            Kind::Recommendations => mission.recommendations.len(),
        }
    }
}

pub struct Choice {
    pub value: String,
    pub label: String,
}

fn choices<T: Copy>(all: &[T], code: fn(T) -> &'static str, label: fn(T) -> &'static str) -> Vec<Choice> {
    all.iter().map(|v| Choice { value: code(*v).to_owned(), label: label(*v).to_owned() }).collect()
}

pub struct PhotoRow {
    pub index: usize,
    pub caption_field: String,
    pub remove_field: String,
    pub url: Option<String>,
}

#[derive(Template)]
#[template(path = "item_form.html")]
struct ItemPage {
    chrome: Chrome,
    csrf: String,
    mission_id: i64,
    mission_title: String,
    version: i32,
    /// What the save checks the form against (see `edits::Basis`): the item as shown, the targets offered,
    /// and when the form was built (the conflict page lists the changes made since).
    fingerprint: String,
    targets_seen: String,
    since: String,
    kind: &'static str,
    index: Option<usize>,
    form: Checked,
    /// The item as currently saved, when someone else changed it meanwhile.
    conflict: Option<String>,
    /// Who changed what since the form was built, when the save was a conflict.
    changes: Vec<String>,
    /// A problem of the whole item (not of one field).
    problem: Option<String>,
    targets: Vec<Choice>,
    target_kinds: Vec<Choice>,
    finding_kinds: Vec<Choice>,
    modalities: Vec<Choice>,
    photos: Vec<PhotoRow>,
    /// For targets: units valid on the mission date and organisations to pick from.
    picks: Vec<Choice>,
}

impl ItemPage {
    fn new(
        current: &CurrentUser,
        stored: &StoredMission,
        kind: Kind,
        index: Option<usize>,
        form: Checked,
        now: DateTime<Utc>,
    ) -> ItemPage {
        let mission = &stored.mission;
        let photos = match (kind, index.and_then(|i| mission.sessions.get(i))) {
            (Kind::Sessions, Some(session)) => session
                .photos
                .iter()
                .enumerate()
                .map(|(i, p)| PhotoRow {
                    index: i,
                    caption_field: format!("caption_{i}"),
                    remove_field: format!("remove_{i}"),
                    url: p.file.as_ref().map(|f| format!("/missions/{}/photos/{f}", stored.id)),
                })
                .collect(),
            _ => Vec::new(),
        };
        ItemPage {
            chrome: Chrome::of(current),
            csrf: current.csrf.clone().unwrap_or_default(),
            mission_id: stored.id,
            mission_title: giamsat_domain::naming::name_of(mission),
            version: stored.version,
            fingerprint: index.and_then(|i| mission.fingerprint(kind.item_kind(), i)).unwrap_or_default(),
            targets_seen: mission.targets_seen(),
            since: now.to_rfc3339(),
            kind: kind.code(),
            index,
            form,
            conflict: None,
            changes: Vec::new(),
            problem: None,
            targets: mission
                .targets
                .iter()
                .enumerate()
                .map(|(i, t)| Choice { value: i.to_string(), label: labels::target_with_kind(t.kind, &t.name) })
                .collect(),
            target_kinds: choices(TargetKind::ALL, TargetKind::code, labels::target_kind),
            finding_kinds: choices(FindingKind::ALL, FindingKind::code, labels::finding_kind),
            modalities: choices(SessionModality::ALL, SessionModality::code, labels::modality),
            photos,
            picks: Vec::new(),
        }
    }

    /// Fills the target pickers: units valid on the mission date (wards, communes, special zones) and
    /// organisations.
    async fn with_picks(mut self, state: &AppState, mission: &Mission) -> Result<ItemPage, AppError> {
        if self.kind != Kind::Targets.code() {
            return Ok(self);
        }
        let day = mission.fieldwork.from().or(mission.decision.issued_on);
        let (units, _) = units::all(&state.db).await?;
        self.picks = units
            .into_iter()
            .filter(|u| unit_target_kind(u.kind).is_some() && day.is_none_or(|d| u.valid.contains(d)))
            .map(|u| Choice {
                value: format!("unit:{}", u.id),
                label: unit_target_kind(u.kind)
                    .map_or_else(|| u.name.clone(), |k| labels::target_with_kind(k, &u.name)),
            })
            .chain(
                orgs::list(&state.db)
                    .await?
                    .into_iter()
                    .map(|o| Choice { value: format!("org:{}", o.id), label: o.name }),
            )
            .collect();
        Ok(self)
    }

    fn render(&self, status: StatusCode) -> Result<Response, AppError> {
        crate::pages::page(self, status)
    }

    /// Keeps what the user's form was built from, so a page shown again for a correction still detects a
    /// change made meanwhile.
    fn built_from(mut self, data: &FormData) -> ItemPage {
        self.version = data.get("version").parse().unwrap_or(-1);
        for (field, value) in [
            (&mut self.fingerprint, "fingerprint"),
            (&mut self.targets_seen, "targets_seen"),
            (&mut self.since, "since"),
        ] {
            if !data.get(value).is_empty() {
                data.get(value).clone_into(field);
            }
        }
        self
    }
}

/// What a submitted item form was built from. A form without a fingerprint (an older page, a script) is held
/// to the whole mission's version when it edits an existing item.
fn basis_of(data: &FormData, index: Option<usize>) -> Basis {
    let given = |name| Some(data.get(name).to_owned()).filter(|v| !v.is_empty());
    match (index, given("fingerprint")) {
        (Some(_), None) => Basis::Version(data.get("version").parse().unwrap_or(-1)),
        (_, item) => Basis::Item { targets: given("targets_seen"), item },
    }
}

/// Who changed mission `id` since `since` (a form's build time), each as "Name: what they did".
pub(crate) async fn changes_since(state: &AppState, id: i64, since: &str) -> Result<Vec<String>, AppError> {
    let Ok(since) = chrono::DateTime::parse_from_rfc3339(since) else {
        return Ok(Vec::new());
    };
    let changes = audit::mission_changes_since(&state.db, id, since.with_timezone(&chrono::Utc)).await?;
    Ok(changes
        .into_iter()
        .map(|c| {
            format!("{}: {}", c.actor_name.as_deref().unwrap_or(labels::SOMEONE), labels::mission_change(&c.action))
        })
        .collect())
}

/// The target kind of an administrative unit a mission can supervise.
const fn unit_target_kind(kind: UnitKind) -> Option<TargetKind> {
    match kind {
        UnitKind::Ward => Some(TargetKind::Ward),
        UnitKind::Commune | UnitKind::Township => Some(TargetKind::Commune),
        UnitKind::SpecialZone => Some(TargetKind::SpecialZone),
        _ => None,
    }
}

/// A picked unit or organisation ("unit:12", "org:3") as the target's kind and name.
async fn picked(state: &AppState, pick: &str) -> Result<Option<(TargetKind, String)>, AppError> {
    let Some((what, id)) = pick.split_once(':') else {
        return Ok(None);
    };
    let Ok(id) = id.parse::<i64>() else {
        return Ok(None);
    };
    Ok(match what {
        "unit" => {
            let (units, _) = units::all(&state.db).await?;
            units.into_iter().find(|u| u.id == id).and_then(|u| unit_target_kind(u.kind).map(|k| (k, u.name)))
        }
        "org" => orgs::list(&state.db).await?.into_iter().find(|o| o.id == id).map(|o| {
            let kind = if o.kind.starts_with("party") { TargetKind::PartyOrg } else { TargetKind::Agency };
            (kind, o.name)
        }),
        _ => None,
    })
}

/// The form values of a stored item, to edit it.
fn values_of(mission: &Mission, kind: Kind, index: usize) -> Option<Checked> {
    let mut form = Checked::default();
    match kind {
        Kind::Targets => {
            let t = mission.targets.get(index)?;
            form.set("kind", t.kind.code());
            form.set("name", t.name.clone());
        }
        Kind::Sessions => {
            let s = mission.sessions.get(index)?;
            form.set("target", s.target.to_string());
            form.set("date", giamsat_domain::date::iso(s.date));
            form.set("modality", s.modality.map(|m| m.code()).unwrap_or_default());
            form.set("minutes", s.minutes.clone().unwrap_or_default());
            for (i, p) in s.photos.iter().enumerate() {
                form.set(&format!("caption_{i}"), p.caption.clone());
            }
        }
        Kind::Findings => {
            let f = mission.findings.get(index)?;
            form.set("kind", f.kind.code());
            form.set_all("targets", f.targets.iter().map(ToString::to_string).collect());
            form.set("text", f.text.clone());
        }
        Kind::Recommendations => {
            let r = mission.recommendations.get(index)?;
            form.set("direction", r.direction().code());
            match &r.origin {
                Origin::Upward { raised_by } => {
                    form.set_all("raised_by", raised_by.iter().map(ToString::to_string).collect())
                }
                Origin::Downward { issuer } => form.set("issuer", issuer.clone().unwrap_or_default()),
            }
            form.set("addressees", r.addressees.join("\n"));
            form.set("text", r.text.clone());
            form.set("owner", r.follow_up.owner.clone().unwrap_or_default());
            form.set("due_on", giamsat_domain::date::iso(r.follow_up.due_on));
            if r.follow_up.priority {
                form.set("priority", "1");
            }
        }
    }
    Some(form)
}

/// A one-line description of a stored item, for the conflict banner.
fn describe(mission: &Mission, kind: Kind, index: Option<usize>) -> String {
    let Some(i) = index else {
        return msg::MISSION_CHANGED.to_owned();
    };
    let target =
        |t: usize| mission.targets.get(t).map(|t| labels::target_with_kind(t.kind, &t.name)).unwrap_or_default();
    match kind {
        Kind::Targets => mission.targets.get(i).map(|t| labels::target_with_kind(t.kind, &t.name)),
        Kind::Sessions => mission.sessions.get(i).map(|s| {
            let date = s.date.map_or_else(|| labels::UNDATED.to_owned(), giamsat_domain::date::format_short);
            format!("{} – {date}", target(s.target))
        }),
        Kind::Findings => mission.findings.get(i).map(|f| format!("{}: {}", labels::finding_kind(f.kind), f.text)),
        Kind::Recommendations => mission.recommendations.get(i).map(|r| r.text.clone()),
    }
    .unwrap_or_else(|| msg::ITEM_DELETED.to_owned())
}

fn target_indices(form: &mut Checked, field: &str, values: &[String], count: usize) -> Option<Vec<usize>> {
    let mut out = Vec::new();
    for v in values {
        match v.parse::<usize>() {
            Ok(i) if i < count => out.push(i),
            _ => {
                let _ = form.fail(field, msg::TARGET_NOT_IN_LIST);
                return None;
            }
        }
    }
    Some(out)
}

/// Reads the submitted form into the item it describes, or records the field errors.
fn item_of(
    form: &mut Checked,
    data: &FormData,
    kind: Kind,
    mission: &Mission,
    existing: Option<&Session>,
) -> Option<ItemValue> {
    let targets = mission.targets.len();
    match kind {
        Kind::Targets => {
            let kind = form.code("kind", TargetKind::from_code);
            let name = form.text("name", SHORT_TEXT_MAX);
            Some(ItemValue::Target(Target { kind: kind?, name: name? }))
        }
        Kind::Findings => {
            let kind = form.code("kind", FindingKind::from_code);
            let scope: Vec<String> = data.all("targets").into_iter().map(str::to_owned).collect();
            let scope = target_indices(form, "targets", &scope, targets);
            let text = form.text("text", LONG_TEXT_MAX);
            Some(ItemValue::Finding(Finding { kind: kind?, targets: scope?, text: text? }))
        }
        Kind::Recommendations => {
            let direction = form.code("direction", Direction::from_code);
            let raised: Vec<String> = data.all("raised_by").into_iter().map(str::to_owned).collect();
            let raised = target_indices(form, "raised_by", &raised, targets);
            let issuer = form.opt_text_checked("issuer", SHORT_TEXT_MAX);
            let addressees = form.addressees("addressees");
            let text = form.text("text", LONG_TEXT_MAX);
            let owner = form.opt_text_checked("owner", SHORT_TEXT_MAX);
            let due_on = form.date("due_on");
            let origin = match direction? {
                Direction::Upward => Origin::Upward { raised_by: raised? },
                Direction::Downward => Origin::Downward { issuer: issuer.ok()? },
            };
            Some(ItemValue::Recommendation(Recommendation {
                origin,
                addressees,
                text: text?,
                follow_up: FollowUp {
                    owner: owner.ok()?,
                    due_on: due_on.ok()?,
                    priority: !form.value("priority").is_empty(),
                    ..FollowUp::default()
                },
            }))
        }
        Kind::Sessions => {
            let chosen = [form.value("target").to_owned()];
            let target = target_indices(form, "target", &chosen, targets);
            let date = form.date("date");
            let modality = match form.value("modality") {
                "" => Ok(None),
                code => SessionModality::from_code(code).map(Some).ok_or(()),
            };
            if modality.is_err() {
                let _ = form.fail("modality", msg::NOT_IN_LIST);
            }
            let minutes = form.opt_text_checked("minutes", LONG_TEXT_MAX);
            let mut photos = Vec::new();
            for (i, photo) in existing.map(|s| s.photos.as_slice()).unwrap_or_default().iter().enumerate() {
                if !form.value(&format!("remove_{i}")).is_empty() {
                    continue;
                }
                let field = format!("caption_{i}");
                // A photo a colleague added after the form was shown has no caption field: it keeps its caption.
                let caption = if data.all(&field).is_empty() {
                    photo.caption.clone()
                } else {
                    form.text(&field, LONG_TEXT_MAX).unwrap_or_default()
                };
                photos.push(Photo { caption, file: photo.file.clone() });
            }
            Some(ItemValue::Session(Session {
                target: *target?.first()?,
                date: date.ok()?,
                modality: modality.ok()?,
                minutes: minutes.ok()?,
                photos,
            }))
        }
    }
}

enum ItemValue {
    Target(Target),
    Session(Session),
    Finding(Finding),
    Recommendation(Recommendation),
}

fn edit_for(value: ItemValue, index: Option<usize>) -> Edit {
    match (value, index) {
        (ItemValue::Target(t), None) => Edit::AddTarget(t),
        (ItemValue::Target(t), Some(i)) => Edit::UpdateTarget(i, t),
        (ItemValue::Session(s), None) => Edit::AddSession(s),
        (ItemValue::Session(s), Some(i)) => Edit::UpdateSession(i, s),
        (ItemValue::Finding(f), None) => Edit::AddFinding(f),
        (ItemValue::Finding(f), Some(i)) => Edit::UpdateFinding(i, f),
        (ItemValue::Recommendation(r), None) => Edit::AddRecommendation(r),
        (ItemValue::Recommendation(r), Some(i)) => Edit::UpdateRecommendation(i, r),
    }
}

/// A submitted item form: its fields, and a new photo (bytes) if one was attached.
pub(crate) struct Submission {
    pub(crate) data: FormData,
    pub(crate) photo: Option<Vec<u8>>,
}

pub(crate) async fn read_submission(state: &AppState, request: Request) -> Result<Submission, AppError> {
    let is_multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !is_multipart {
        return Ok(Submission { data: FormData::from_request(request, state).await?, photo: None });
    }
    let mut multipart = Multipart::from_request(request, state).await?;
    let mut pairs = Vec::new();
    let mut photo = None;
    while let Some(field) = multipart.next_field().await? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "photo" {
            let bytes = field.bytes().await?;
            if !bytes.is_empty() {
                photo = Some(bytes.to_vec());
            }
        } else {
            let value = field.text().await.unwrap_or_else(|_| "\u{fffd}".to_owned());
            pairs.push((name, value));
        }
    }
    Ok(Submission { data: FormData(pairs), photo })
}

fn index_of(raw: &str) -> Result<usize, AppError> {
    raw.parse().map_err(|_| AppError::NotFound)
}

/// GET /missions/{id}/items/{kind}/new
pub async fn new_form(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    Path((id, kind)): Path<(i64, String)>,
) -> Result<Response, AppError> {
    let kind = Kind::parse(&kind)?;
    authorize(&state, &current, id, kind.action()).await?;
    let stored = missions::load(&state.db, id).await?;
    let mut form = Checked::default();
    if kind == Kind::Recommendations {
        form.set("direction", Direction::Downward.code());
        form.set("issuer", stored.mission.supervising_body.clone());
    }
    ItemPage::new(&current, &stored, kind, None, form, state.clock.now())
        .with_picks(&state, &stored.mission)
        .await?
        .render(StatusCode::OK)
}

/// GET /missions/{id}/items/{kind}/{index}
pub async fn edit_form(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    Path((id, kind, index)): Path<(i64, String, String)>,
) -> Result<Response, AppError> {
    let kind = Kind::parse(&kind)?;
    let index = index_of(&index)?;
    authorize(&state, &current, id, kind.action()).await?;
    let stored = missions::load(&state.db, id).await?;
    let form = values_of(&stored.mission, kind, index).ok_or(AppError::NotFound)?;
    ItemPage::new(&current, &stored, kind, Some(index), form, state.clock.now())
        .with_picks(&state, &stored.mission)
        .await?
        .render(StatusCode::OK)
}

/// POST /missions/{id}/items/{kind}
pub async fn create(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    headers: HeaderMap,
    Path((id, kind)): Path<(i64, String)>,
    request: Request,
) -> Result<Response, AppError> {
    let kind = Kind::parse(&kind)?;
    save(state, current, headers, id, kind, None, request).await
}

/// POST /missions/{id}/items/{kind}/{index}
pub async fn update(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    headers: HeaderMap,
    Path((id, kind, index)): Path<(i64, String, String)>,
    request: Request,
) -> Result<Response, AppError> {
    let kind = Kind::parse(&kind)?;
    let index = index_of(&index)?;
    save(state, current, headers, id, kind, Some(index), request).await
}

async fn save(
    state: AppState,
    current: CurrentUser,
    headers: HeaderMap,
    id: i64,
    kind: Kind,
    index: Option<usize>,
    request: Request,
) -> Result<Response, AppError> {
    authorize(&state, &current, id, kind.action()).await?;
    let submission = read_submission(&state, request).await?;
    let stored = missions::load(&state.db, id).await?;
    if index.is_some_and(|i| i >= kind.count(&stored.mission)) {
        return Err(AppError::NotFound);
    }
    let data = &submission.data;
    let mut form = Checked::from(data);
    if kind == Kind::Targets
        && let Some((target_kind, name)) = picked(&state, data.get("pick")).await?
    {
        form.set("kind", target_kind.code());
        form.set("name", name);
    }
    let existing = index.and_then(|i| stored.mission.sessions.get(i)).filter(|_| kind == Kind::Sessions);
    let item = item_of(&mut form, data, kind, &stored.mission, existing);
    let item = match (item, form.has_errors()) {
        (Some(item), false) => item,
        _ => {
            let page = ItemPage::new(&current, &stored, kind, index, form, state.clock.now())
                .with_picks(&state, &stored.mission)
                .await?;
            return page.built_from(data).render(StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    // An existing recommendation's follow-up changes only in the ledger, which logs every change of it.
    let item = match (item, index.and_then(|i| stored.mission.recommendations.get(i))) {
        (ItemValue::Recommendation(mut rec), Some(saved)) if kind == Kind::Recommendations => {
            rec.follow_up = saved.follow_up.clone();
            ItemValue::Recommendation(rec)
        }
        (item, _) => item,
    };
    let (edit, basis) = match (item, submission.photo) {
        (ItemValue::Session(mut session), Some(bytes)) => match state.files.put_image(&bytes).await {
            Ok((key, _)) => {
                let caption = form.value("new_caption").trim().to_owned();
                let caption = giamsat_domain::text::clean(&caption, LONG_TEXT_MAX).unwrap_or_default();
                let photo = Photo { caption, file: Some(key) };
                // A photo added to a session whose fields the user left as shown is an addition: a colleague's
                // photo added meanwhile does not block it, as on the recording page.
                match (index, as_shown(data, &session)) {
                    (Some(i), Some(shown)) if Mission::unchanged(&shown, data.get("fingerprint")) => {
                        let anchor = stored.mission.anchor_of(&shown);
                        (Edit::AddPhotos(i, vec![photo]), Basis::Item { targets: None, item: Some(anchor) })
                    }
                    _ => {
                        session.photos.push(photo);
                        (edit_for(ItemValue::Session(session), index), basis_of(data, index))
                    }
                }
            }
            Err(e) => {
                let _ = form.fail("photo", photo_problem(&e));
                let page = ItemPage::new(&current, &stored, kind, index, form, state.clock.now());
                return page.built_from(data).render(StatusCode::UNPROCESSABLE_ENTITY);
            }
        },
        (item, _) => (edit_for(item, index), basis_of(data, index)),
    };
    match edits::apply(&state.db, id, &basis, edit, &actor(&current.user, &headers, state.clock.now())).await {
        Ok(_) => Ok(crate::pages::saved(&format!("/missions/{id}"), kind.code())),
        Err(StoreError::Conflict { .. }) => {
            // The form comes back against the item as it is now, so saving again applies the user's input.
            let now = missions::load(&state.db, id).await?;
            let mut page = ItemPage::new(&current, &now, kind, index, form, state.clock.now());
            page.conflict = Some(describe(&now.mission, kind, index));
            page.changes = changes_since(&state, id, data.get("since")).await?;
            page.render(StatusCode::CONFLICT)
        }
        Err(StoreError::Edit(e)) => {
            let page = ItemPage::new(&current, &stored, kind, index, form, state.clock.now())
                .with_picks(&state, &stored.mission)
                .await?;
            let mut page = page.built_from(data);
            page.problem = Some(edit_problem(&e));
            page.render(StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => Err(e.into()),
    }
}

/// A session sent back by its edit form, as that form showed it: the photos it had a caption field for (one a
/// colleague added since had none), or `None` when the user removed a photo.
fn as_shown(data: &FormData, session: &Session) -> Option<Session> {
    if data.0.iter().any(|(name, value)| name.starts_with("remove_") && !value.is_empty()) {
        return None;
    }
    let shown = (0..session.photos.len()).take_while(|k| !data.all(&format!("caption_{k}")).is_empty()).count();
    let mut session = session.clone();
    session.photos.truncate(shown);
    Some(session)
}

/// The sentence of a refused edit, for the banner of the form shown again.
pub(crate) fn edit_problem(e: &EditError) -> String {
    match e {
        EditError::Invalid(invalid) => {
            invalid.problems.iter().map(|(_, p)| p.to_string()).collect::<Vec<_>>().join("; ")
        }
        other => other.to_string(),
    }
}

/// Why an uploaded photo was not kept, beside its field.
pub(crate) fn photo_problem(e: &StorageError) -> &'static str {
    match e {
        StorageError::NotAnImage => msg::PHOTO_NOT_AN_IMAGE,
        StorageError::TooLarge => msg::PHOTO_TOO_LARGE,
        StorageError::Io(_) => msg::PHOTO_NOT_STORED,
    }
}

/// The value of `confirm` that the confirmation page posts to delete an item.
const CONFIRMED: &str = "yes";

#[derive(Template)]
#[template(path = "confirm_delete.html")]
struct ConfirmDeletePage {
    chrome: Chrome,
    csrf: String,
    mission_id: i64,
    mission_title: String,
    version: i32,
    /// The item as the user's form showed it (see `edits::Basis`).
    fingerprint: String,
    kind: &'static str,
    index: usize,
    /// The item, described as on the conflict banner.
    item: String,
    confirm: &'static str,
    /// When the form the deletion started from was built (the conflict notice lists the changes since).
    since: String,
    /// The deletion was refused because someone changed or removed the item meanwhile: the page says so and
    /// who changed what, and offers no deletion (the item at this place may now be another one).
    conflicted: bool,
    changes: Vec<String>,
}

/// POST /missions/{id}/items/{kind}/{index}/delete: without `confirm`, the page asking to confirm; with it, the
/// deletion.
pub async fn delete(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    headers: HeaderMap,
    Path((id, kind, index)): Path<(i64, String, String)>,
    form: FormData,
) -> Result<Response, AppError> {
    let kind = Kind::parse(&kind)?;
    let index = index_of(&index)?;
    authorize(&state, &current, id, kind.action()).await?;
    let version: i32 = form.get("version").parse().unwrap_or(-1);
    // A deletion is never undone by a second click: the first post only asks (a page that works without
    // scripts, which the CSP forbids inline), and only the confirming post carries `confirm`.
    if form.get("confirm") != CONFIRMED {
        let stored = missions::load(&state.db, id).await?;
        if index >= kind.count(&stored.mission) {
            return Err(AppError::NotFound);
        }
        let confirm = ConfirmDeletePage {
            chrome: Chrome::of(&current),
            csrf: current.csrf.clone().unwrap_or_default(),
            mission_id: id,
            mission_title: giamsat_domain::naming::name_of(&stored.mission),
            // The version the user's form was built from, so a change made meanwhile still gets the conflict page.
            version: if version < 0 { stored.version } else { version },
            fingerprint: match form.get("fingerprint") {
                "" => stored.mission.fingerprint(kind.item_kind(), index).unwrap_or_default(),
                given => given.to_owned(),
            },
            kind: kind.code(),
            index,
            item: describe(&stored.mission, kind, Some(index)),
            confirm: CONFIRMED,
            since: match form.get("since") {
                "" => state.clock.now().to_rfc3339(),
                given => given.to_owned(),
            },
            conflicted: false,
            changes: Vec::new(),
        };
        return page(&confirm, StatusCode::OK);
    }
    let edit = match kind {
        Kind::Targets => Edit::RemoveTarget(index),
        Kind::Sessions => Edit::RemoveSession(index),
        Kind::Findings => Edit::RemoveFinding(index),
        Kind::Recommendations => Edit::RemoveRecommendation(index),
    };
    match edits::apply(
        &state.db,
        id,
        &basis_of(&form, Some(index)),
        edit,
        &actor(&current.user, &headers, state.clock.now()),
    )
    .await
    {
        Ok(_) => Ok(crate::pages::saved(&format!("/missions/{id}"), kind.code())),
        // Changed or removed meanwhile: nothing deleted, and the page says who changed what, never a bare
        // error page.
        Err(StoreError::Conflict { .. }) => {
            let now = missions::load(&state.db, id).await?;
            let confirm = ConfirmDeletePage {
                chrome: Chrome::of(&current),
                csrf: current.csrf.clone().unwrap_or_default(),
                mission_id: id,
                mission_title: giamsat_domain::naming::name_of(&now.mission),
                version: now.version,
                fingerprint: String::new(),
                kind: kind.code(),
                index,
                item: String::new(),
                confirm: CONFIRMED,
                since: String::new(),
                conflicted: true,
                changes: changes_since(&state, id, form.get("since")).await?,
            };
            page(&confirm, StatusCode::CONFLICT)
        }
        Err(e) => Err(e.into()),
    }
}

/// POST /missions/{id}/findings/none: which kinds of finding are recorded as "none".
pub async fn none_recorded(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: FormData,
) -> Result<Response, AppError> {
    authorize(&state, &current, id, Action::RecordFieldwork).await?;
    let version: i32 = form.get("version").parse().unwrap_or(-1);
    let kinds = form.all("none").into_iter().filter_map(FindingKind::from_code).collect();
    edits::edit(
        &state.db,
        id,
        version,
        Edit::FindingsNoneRecorded(kinds),
        &actor(&current.user, &headers, state.clock.now()),
    )
    .await?;
    Ok(crate::pages::saved(&format!("/missions/{id}"), "findings"))
}

/// GET /missions/{id}/photos/{key}: a photo of one of the mission's sessions.
pub async fn photo(
    State(state): State<AppState>,
    Authenticated(current): Authenticated,
    Path((id, key)): Path<(i64, String)>,
) -> Result<Response, AppError> {
    authorize(&state, &current, id, Action::View).await?;
    let stored = missions::load(&state.db, id).await?;
    let belongs =
        stored.mission.sessions.iter().flat_map(|s| &s.photos).any(|p| p.file.as_deref() == Some(key.as_str()));
    if !belongs {
        return Err(AppError::NotFound);
    }
    let (bytes, content_type) = state.files.get(&key).await.ok_or(AppError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            // Like every page of a mission: not kept in a shared browser's cache after logout.
            (header::CACHE_CONTROL, "no-store"),
            (header::CONTENT_DISPOSITION, "inline"),
        ],
        bytes,
    )
        .into_response())
}
