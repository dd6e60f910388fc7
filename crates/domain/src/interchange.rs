//! The interchange format `giamsat.mission/1` (spec: `shared/seed/README.md`): one JSON object per mission.
//!
//! [`parse`] is the single entry for files from the CLI, the web upload and the API: it refuses unknown fields,
//! wrong types and bad values with the field's path, and returns a [`Mission`] whose invariants hold.
//! [`to_json`] writes the canonical form (two-space indent, keys in spec order, final newline), so that
//! export → import → export gives identical bytes. Fields this project added (`reference_period`, session
//! `modality` and `minutes`, photo `file`, `findings_none_recorded`, the follow-up of recommendations and
//! `state`) are optional and omitted when they carry nothing, so the seed file exports as itself.

use chrono::{DateTime, FixedOffset, NaiveDate, SecondsFormat};
use serde::{Deserialize, Serialize};

use crate::codes::{FindingKind, MemberRole, SessionModality, SupervisionForm, SupervisionSystem, TargetKind};
use crate::date::{Period, PeriodError};
use crate::docnum::{DocNumberError, DocumentNumber};
use crate::mission::{
    Decision, Finding, InvalidMission, Member, Mission, MissionParts, Origin, Owner, Photo, Publication,
    Recommendation, Session, Target, Team, Who,
};
use crate::recommendation::{FollowUp, RecStatus};
use crate::text::{self, LONG_TEXT_MAX, SHORT_TEXT_MAX, TextError};
use crate::workflow::{MissionState, infer_state};

/// The value of the `format` field this module reads and writes.
pub const FORMAT: &str = "giamsat.mission/1";

/// Largest file accepted, so a hostile upload cannot make the parser allocate without bound.
pub const MAX_FILE_BYTES: usize = 8 * 1024 * 1024;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct MissionFile {
    format: String,
    owner: OwnerDto,
    system: String,
    form: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    basis: Option<String>,
    decision: DecisionDto,
    supervising_body: String,
    team: TeamDto,
    subject: String,
    fieldwork: PeriodDto,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reference_period: Option<PeriodDto>,
    members: Vec<MemberDto>,
    targets: Vec<TargetDto>,
    sessions: Vec<SessionDto>,
    findings: Vec<FindingDto>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    findings_none_recorded: Vec<String>,
    recommendations: Vec<RecommendationDto>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    conclusion_preamble: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    publication: Option<PublicationDto>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    state: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct OwnerDto {
    name: String,
    short_name: String,
    parent: Option<String>,
    place: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct DecisionDto {
    number: Option<String>,
    issued_on: Option<String>,
    issuer: Option<String>,
    summary: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TeamDto {
    name: Option<String>,
    ordinal: Option<u32>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PeriodDto {
    from: Option<String>,
    to: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct MemberDto {
    name: Option<String>,
    role: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    position: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct TargetDto {
    kind: String,
    name: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SessionDto {
    target: String,
    date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    modality: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    minutes: Option<String>,
    #[serde(default)]
    photos: Vec<PhotoDto>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PhotoDto {
    caption: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    file: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FindingDto {
    kind: String,
    #[serde(default)]
    targets: Vec<String>,
    text: String,
}

/// Follow-up fields shared by both directions; all omitted while they hold their defaults.
struct FollowUpDto {
    status: Option<String>,
    owner: Option<String>,
    due_on: Option<String>,
    priority: bool,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "direction", rename_all = "snake_case", deny_unknown_fields)]
enum RecommendationDto {
    Upward {
        #[serde(default)]
        raised_by: Vec<String>,
        addressees: Vec<String>,
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        status: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        owner: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        due_on: Option<String>,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        priority: bool,
    },
    Downward {
        issuer: Option<String>,
        addressees: Vec<String>,
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        status: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        owner: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        due_on: Option<String>,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        priority: bool,
    },
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct PublicationDto {
    category: Option<String>,
    published_at: Option<String>,
    byline: Option<String>,
    source: Option<String>,
}

/// What is wrong with one field of an interchange file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldProblem {
    Text(TextError),
    /// Not an ISO date (`YYYY-MM-DD`) or not a real day.
    Date {
        value: String,
    },
    DateTime {
        value: String,
    },
    DocumentNumber(DocNumberError),
    /// A code outside its vocabulary; `allowed` lists the valid codes.
    UnknownCode {
        value: String,
        allowed: String,
    },
    /// A session, finding or recommendation names a target the file does not list.
    UnknownTarget {
        name: String,
    },
    Period(PeriodError),
    /// A member has neither a name nor a description.
    NobodyNamed,
    Mission(crate::mission::MissionProblem),
    /// A follow-up rule: a recommendation is addressed to at least one body.
    Ledger(crate::recommendation::LedgerError),
}

/// Why a file was refused. Nothing of a refused file is stored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    TooLarge {
        bytes: usize,
    },
    /// Not JSON at all (or cut short).
    Syntax {
        line: usize,
        column: usize,
    },
    /// JSON, but not of the format's shape: unknown or missing field, wrong type.
    Shape {
        path: String,
        detail: ShapeDetail,
    },
    /// `format` is not `giamsat.mission/1`.
    WrongFormat {
        found: String,
    },
    /// Values that do not hold, each with its path.
    Fields(Vec<(String, FieldProblem)>),
}

/// A structural problem, classified from serde's English message so the catalogue can word it in Vietnamese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShapeDetail {
    UnknownField { field: String },
    MissingField { field: String },
    UnknownVariant { value: String },
    WrongType { found: String, expected: String },
    Other { message: String },
}

impl ShapeDetail {
    fn classify(message: &str) -> ShapeDetail {
        let quoted = |s: &str| s.split('`').nth(1).unwrap_or_default().to_owned();
        let message = message.split(" at line ").next().unwrap_or(message);
        if message.starts_with("unknown field") {
            ShapeDetail::UnknownField { field: quoted(message) }
        } else if message.starts_with("missing field") {
            ShapeDetail::MissingField { field: quoted(message) }
        } else if message.starts_with("unknown variant") {
            ShapeDetail::UnknownVariant { value: quoted(message) }
        } else if let Some(rest) = message.strip_prefix("invalid type: ") {
            let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
            ShapeDetail::WrongType { found: found.to_owned(), expected: expected.to_owned() }
        } else {
            ShapeDetail::Other { message: message.chars().take(200).collect() }
        }
    }
}

/// Parses one interchange file into a valid mission.
///
/// # Errors
/// [`ImportError`] naming the field and what is wrong with it; all value problems are reported together.
pub fn parse(bytes: &[u8]) -> Result<Mission, ImportError> {
    let file: MissionFile = parse_json(bytes)?;
    if file.format != FORMAT {
        return Err(ImportError::WrongFormat { found: file.format.chars().take(60).collect() });
    }
    let mut reader = Reader::default();
    let parts = reader.mission(file);
    match parts {
        Some(parts) if reader.problems.is_empty() => Mission::new(parts).map_err(|InvalidMission { problems }| {
            ImportError::Fields(problems.into_iter().map(|(path, p)| (path.0, FieldProblem::Mission(p))).collect())
        }),
        _ => Err(ImportError::Fields(reader.problems)),
    }
}

/// Reads one JSON value of shape `T` (an API request body) with the same Vietnamese diagnostics as a file:
/// syntax errors by line and column, unknown or missing fields and wrong types by path.
///
/// # Errors
/// [`ImportError::TooLarge`], [`ImportError::Syntax`] or [`ImportError::Shape`].
pub fn parse_json<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, ImportError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ImportError::TooLarge { bytes: bytes.len() });
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
        let path = err.path().to_string();
        json_error(&err.into_inner(), path)
    })?;
    deserializer.end().map_err(|e| json_error(&e, String::new()))?;
    Ok(value)
}

fn json_error(err: &serde_json::Error, path: String) -> ImportError {
    match err.classify() {
        serde_json::error::Category::Data => {
            ImportError::Shape { path, detail: ShapeDetail::classify(&err.to_string()) }
        }
        _ => ImportError::Syntax { line: err.line(), column: err.column() },
    }
}

/// Collects every value problem of a file instead of stopping at the first.
#[derive(Default)]
struct Reader {
    problems: Vec<(String, FieldProblem)>,
}

impl Reader {
    fn fail<T>(&mut self, path: impl Into<String>, problem: FieldProblem) -> Option<T> {
        self.problems.push((path.into(), problem));
        None
    }

    fn text(&mut self, path: &str, value: &str, max: usize) -> Option<String> {
        match text::clean(value, max) {
            Ok(v) => Some(v),
            Err(e) => self.fail(path, FieldProblem::Text(e)),
        }
    }

    fn opt_text(&mut self, path: &str, value: Option<&str>, max: usize) -> Option<Option<String>> {
        match value {
            None => Some(None),
            Some(v) => match text::clean_optional(v, max) {
                Ok(v) => Some(v),
                Err(e) => self.fail(path, FieldProblem::Text(e)),
            },
        }
    }

    fn date(&mut self, path: &str, value: Option<&str>) -> Option<Option<NaiveDate>> {
        match value {
            None => Some(None),
            Some(v) => match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
                Ok(d) if v.len() == 10 => Some(Some(d)),
                _ => self.fail(path, FieldProblem::Date { value: v.chars().take(40).collect() }),
            },
        }
    }

    fn period(&mut self, path: &str, dto: &PeriodDto) -> Option<Period> {
        let from = self.date(&format!("{path}.from"), dto.from.as_deref());
        let to = self.date(&format!("{path}.to"), dto.to.as_deref());
        let (from, to) = (from?, to?);
        match Period::new(from, to) {
            Ok(p) => Some(p),
            Err(e) => self.fail(format!("{path}.to"), FieldProblem::Period(e)),
        }
    }

    fn code<T>(&mut self, path: &str, value: &str, parse: fn(&str) -> Option<T>, allowed: fn() -> String) -> Option<T> {
        parse(value).or_else(|| {
            self.fail(path, FieldProblem::UnknownCode { value: value.chars().take(40).collect(), allowed: allowed() })
        })
    }

    fn target_ref(&mut self, path: &str, name: &str, targets: &[Target]) -> Option<usize> {
        let name = text::normalize(name);
        targets
            .iter()
            .position(|t| t.name == name)
            .or_else(|| self.fail(path, FieldProblem::UnknownTarget { name: name.chars().take(80).collect() }))
    }

    fn mission(&mut self, f: MissionFile) -> Option<MissionParts> {
        let owner = Owner {
            name: self.text("owner.name", &f.owner.name, SHORT_TEXT_MAX).unwrap_or_default(),
            short_name: self.text("owner.short_name", &f.owner.short_name, SHORT_TEXT_MAX).unwrap_or_default(),
            parent: self.opt_text("owner.parent", f.owner.parent.as_deref(), SHORT_TEXT_MAX).flatten(),
            place: self.text("owner.place", &f.owner.place, SHORT_TEXT_MAX).unwrap_or_default(),
        };
        let system = self.code("system", &f.system, SupervisionSystem::from_code, SupervisionSystem::codes_list);
        let form = self.code("form", &f.form, SupervisionForm::from_code, SupervisionForm::codes_list);
        let basis = self.opt_text("basis", f.basis.as_deref(), LONG_TEXT_MAX).flatten();
        let number = match f.decision.number.as_deref().map(text::normalize) {
            None => None,
            Some(n) if n.is_empty() => None,
            Some(n) => match DocumentNumber::parse(&n) {
                Ok(number) => Some(number),
                Err(e) => self.fail("decision.number", FieldProblem::DocumentNumber(e)),
            },
        };
        let decision = Decision {
            number,
            issued_on: self.date("decision.issued_on", f.decision.issued_on.as_deref()).flatten(),
            issuer: self.opt_text("decision.issuer", f.decision.issuer.as_deref(), SHORT_TEXT_MAX).flatten(),
            summary: self.opt_text("decision.summary", f.decision.summary.as_deref(), LONG_TEXT_MAX).flatten(),
        };
        let supervising_body = self.text("supervising_body", &f.supervising_body, SHORT_TEXT_MAX).unwrap_or_default();
        let team = Team {
            name: self.opt_text("team.name", f.team.name.as_deref(), SHORT_TEXT_MAX).flatten(),
            ordinal: f.team.ordinal,
        };
        let subject = self.text("subject", &f.subject, LONG_TEXT_MAX).unwrap_or_default();
        let fieldwork = self.period("fieldwork", &f.fieldwork).unwrap_or_default();
        let reference_period = match &f.reference_period {
            Some(p) => self.period("reference_period", p).unwrap_or_default(),
            None => Period::default(),
        };

        let members = f.members.iter().enumerate().filter_map(|(i, m)| self.member(i, m)).collect();
        let targets: Vec<Target> = f
            .targets
            .iter()
            .enumerate()
            .filter_map(|(i, t)| {
                let kind =
                    self.code(&format!("targets[{i}].kind"), &t.kind, TargetKind::from_code, TargetKind::codes_list);
                let name = self.text(&format!("targets[{i}].name"), &t.name, SHORT_TEXT_MAX);
                Some(Target { kind: kind?, name: name? })
            })
            .collect();
        let sessions = f.sessions.iter().enumerate().filter_map(|(i, s)| self.session(i, s, &targets)).collect();
        let findings = f.findings.iter().enumerate().filter_map(|(i, x)| self.finding(i, x, &targets)).collect();
        let findings_none_recorded = f
            .findings_none_recorded
            .iter()
            .enumerate()
            .filter_map(|(i, k)| {
                self.code(&format!("findings_none_recorded[{i}]"), k, FindingKind::from_code, FindingKind::codes_list)
            })
            .collect();
        let recommendations =
            f.recommendations.iter().enumerate().filter_map(|(i, r)| self.recommendation(i, r, &targets)).collect();
        let conclusion_preamble =
            self.opt_text("conclusion_preamble", f.conclusion_preamble.as_deref(), LONG_TEXT_MAX).flatten();
        let publication = f.publication.as_ref().map(|p| self.publication(p));
        let state =
            f.state.as_deref().map(|s| self.code("state", s, MissionState::from_code, MissionState::codes_list));

        let mut parts = MissionParts {
            owner,
            system: system?,
            form: form?,
            basis,
            decision,
            supervising_body,
            team,
            subject,
            fieldwork,
            reference_period,
            members,
            targets,
            sessions,
            findings,
            findings_none_recorded,
            recommendations,
            conclusion_preamble,
            publication,
            state: MissionState::Planned,
        };
        parts.state = match state {
            Some(explicit) => explicit?,
            None => infer_state(&parts),
        };
        Some(parts)
    }

    fn member(&mut self, i: usize, m: &MemberDto) -> Option<Member> {
        let role = self.code(&format!("members[{i}].role"), &m.role, MemberRole::from_code, MemberRole::codes_list);
        let name = self.opt_text(&format!("members[{i}].name"), m.name.as_deref(), SHORT_TEXT_MAX)?;
        let position = self.opt_text(&format!("members[{i}].position"), m.position.as_deref(), SHORT_TEXT_MAX)?;
        let description =
            self.opt_text(&format!("members[{i}].description"), m.description.as_deref(), SHORT_TEXT_MAX)?;
        let who = match (name, description) {
            (Some(name), _) => Who::Person { name, position },
            (None, Some(description)) => Who::Group { description },
            (None, None) => return self.fail(format!("members[{i}].name"), FieldProblem::NobodyNamed),
        };
        Some(Member { role: role?, who })
    }

    fn session(&mut self, i: usize, s: &SessionDto, targets: &[Target]) -> Option<Session> {
        let target = self.target_ref(&format!("sessions[{i}].target"), &s.target, targets);
        let date = self.date(&format!("sessions[{i}].date"), s.date.as_deref());
        let modality = match s.modality.as_deref() {
            None => Some(None),
            Some(m) => self
                .code(&format!("sessions[{i}].modality"), m, SessionModality::from_code, SessionModality::codes_list)
                .map(Some),
        };
        let minutes = self.opt_text(&format!("sessions[{i}].minutes"), s.minutes.as_deref(), LONG_TEXT_MAX);
        let photos = s
            .photos
            .iter()
            .enumerate()
            .filter_map(|(j, p)| {
                let caption = self.text(&format!("sessions[{i}].photos[{j}].caption"), &p.caption, LONG_TEXT_MAX);
                let file = self.opt_text(&format!("sessions[{i}].photos[{j}].file"), p.file.as_deref(), SHORT_TEXT_MAX);
                Some(Photo { caption: caption?, file: file? })
            })
            .collect();
        Some(Session { target: target?, date: date?, modality: modality?, minutes: minutes?, photos })
    }

    fn finding(&mut self, i: usize, f: &FindingDto, targets: &[Target]) -> Option<Finding> {
        let kind = self.code(&format!("findings[{i}].kind"), &f.kind, FindingKind::from_code, FindingKind::codes_list);
        let refs: Vec<Option<usize>> =
            f.targets.iter().map(|t| self.target_ref(&format!("findings[{i}].targets"), t, targets)).collect();
        let text = self.text(&format!("findings[{i}].text"), &f.text, LONG_TEXT_MAX);
        Some(Finding { kind: kind?, targets: refs.into_iter().collect::<Option<_>>()?, text: text? })
    }

    fn recommendation(&mut self, i: usize, r: &RecommendationDto, targets: &[Target]) -> Option<Recommendation> {
        let (origin, addressees, text, follow_up) = match r {
            RecommendationDto::Upward { raised_by, addressees, text, status, owner, due_on, priority } => {
                let refs: Vec<Option<usize>> = raised_by
                    .iter()
                    .map(|t| self.target_ref(&format!("recommendations[{i}].raised_by"), t, targets))
                    .collect();
                let origin = refs.into_iter().collect::<Option<_>>().map(|raised_by| Origin::Upward { raised_by });
                (origin, addressees, text, (status, owner, due_on, *priority))
            }
            RecommendationDto::Downward { issuer, addressees, text, status, owner, due_on, priority } => {
                let issuer = self.opt_text(&format!("recommendations[{i}].issuer"), issuer.as_deref(), SHORT_TEXT_MAX);
                (issuer.map(|issuer| Origin::Downward { issuer }), addressees, text, (status, owner, due_on, *priority))
            }
        };
        if let Err(e) = crate::recommendation::check_addressees(addressees) {
            for problem in e.problems {
                self.problems.push((format!("recommendations[{i}].addressees"), FieldProblem::Ledger(problem)));
            }
        }
        let addressees: Vec<Option<String>> = addressees
            .iter()
            .enumerate()
            .map(|(j, a)| self.text(&format!("recommendations[{i}].addressees[{j}]"), a, SHORT_TEXT_MAX))
            .collect();
        let text = self.text(&format!("recommendations[{i}].text"), text, LONG_TEXT_MAX);
        let (status, owner, due_on, priority) = follow_up;
        let status = match status.as_deref() {
            None => Some(RecStatus::Issued),
            Some(s) => {
                self.code(&format!("recommendations[{i}].status"), s, RecStatus::from_code, RecStatus::codes_list)
            }
        };
        let owner = self.opt_text(&format!("recommendations[{i}].owner"), owner.as_deref(), SHORT_TEXT_MAX);
        let due_on = self.date(&format!("recommendations[{i}].due_on"), due_on.as_deref());
        Some(Recommendation {
            origin: origin?,
            addressees: addressees.into_iter().collect::<Option<_>>()?,
            text: text?,
            follow_up: FollowUp { status: status?, owner: owner?, due_on: due_on?, priority },
        })
    }

    fn publication(&mut self, p: &PublicationDto) -> Publication {
        let published_at = p.published_at.as_deref().and_then(|v| match DateTime::parse_from_rfc3339(v) {
            Ok(at) => Some(at),
            Err(_) => {
                self.fail("publication.published_at", FieldProblem::DateTime { value: v.chars().take(40).collect() })
            }
        });
        Publication {
            category: self.opt_text("publication.category", p.category.as_deref(), SHORT_TEXT_MAX).flatten(),
            published_at,
            byline: self.opt_text("publication.byline", p.byline.as_deref(), SHORT_TEXT_MAX).flatten(),
            source: self.opt_text("publication.source", p.source.as_deref(), SHORT_TEXT_MAX).flatten(),
        }
    }
}

fn iso(date: Option<NaiveDate>) -> Option<String> {
    date.is_some().then(|| crate::date::iso(date))
}

fn rfc3339(at: &DateTime<FixedOffset>) -> String {
    at.to_rfc3339_opts(SecondsFormat::AutoSi, false)
}

/// Writes a mission in the canonical interchange form.
#[must_use]
pub fn to_json(mission: &Mission) -> String {
    let m: &MissionParts = mission;
    let target_name = |i: &usize| m.targets.get(*i).map(|t| t.name.clone()).unwrap_or_default();
    let period = |p: &Period| PeriodDto { from: iso(p.from()), to: iso(p.to()) };
    let follow = |f: &FollowUp| FollowUpDto {
        status: (f.status != RecStatus::Issued).then(|| f.status.code().to_owned()),
        owner: f.owner.clone(),
        due_on: iso(f.due_on),
        priority: f.priority,
    };
    let mut inferred = m.clone();
    inferred.state = MissionState::Planned;
    let file = MissionFile {
        format: FORMAT.to_owned(),
        owner: OwnerDto {
            name: m.owner.name.clone(),
            short_name: m.owner.short_name.clone(),
            parent: m.owner.parent.clone(),
            place: m.owner.place.clone(),
        },
        system: m.system.code().to_owned(),
        form: m.form.code().to_owned(),
        basis: m.basis.clone(),
        decision: DecisionDto {
            number: m.decision.number.as_ref().map(|n| n.raw().to_owned()),
            issued_on: iso(m.decision.issued_on),
            issuer: m.decision.issuer.clone(),
            summary: m.decision.summary.clone(),
        },
        supervising_body: m.supervising_body.clone(),
        team: TeamDto { name: m.team.name.clone(), ordinal: m.team.ordinal },
        subject: m.subject.clone(),
        fieldwork: period(&m.fieldwork),
        reference_period: (!m.reference_period.is_empty()).then(|| period(&m.reference_period)),
        members: m
            .members
            .iter()
            .map(|member| match &member.who {
                Who::Person { name, position } => MemberDto {
                    name: Some(name.clone()),
                    role: member.role.code().to_owned(),
                    position: position.clone(),
                    description: None,
                },
                Who::Group { description } => MemberDto {
                    name: None,
                    role: member.role.code().to_owned(),
                    position: None,
                    description: Some(description.clone()),
                },
            })
            .collect(),
        targets: m.targets.iter().map(|t| TargetDto { kind: t.kind.code().to_owned(), name: t.name.clone() }).collect(),
        sessions: m
            .sessions
            .iter()
            .map(|s| SessionDto {
                target: target_name(&s.target),
                date: iso(s.date),
                modality: s.modality.map(|x| x.code().to_owned()),
                minutes: s.minutes.clone(),
                photos: s
                    .photos
                    .iter()
                    .map(|p| PhotoDto { caption: p.caption.clone(), file: p.file.clone() })
                    .collect(),
            })
            .collect(),
        findings: m
            .findings
            .iter()
            .map(|f| FindingDto {
                kind: f.kind.code().to_owned(),
                targets: f.targets.iter().map(target_name).collect(),
                text: f.text.clone(),
            })
            .collect(),
        findings_none_recorded: m.findings_none_recorded.iter().map(|k| k.code().to_owned()).collect(),
        recommendations: m
            .recommendations
            .iter()
            .map(|r| {
                let FollowUpDto { status, owner, due_on, priority } = follow(&r.follow_up);
                let addressees = r.addressees.clone();
                let text = r.text.clone();
                match &r.origin {
                    Origin::Upward { raised_by } => RecommendationDto::Upward {
                        raised_by: raised_by.iter().map(target_name).collect(),
                        addressees,
                        text,
                        status,
                        owner,
                        due_on,
                        priority,
                    },
                    Origin::Downward { issuer } => RecommendationDto::Downward {
                        issuer: issuer.clone(),
                        addressees,
                        text,
                        status,
                        owner,
                        due_on,
                        priority,
                    },
                }
            })
            .collect(),
        conclusion_preamble: m.conclusion_preamble.clone(),
        publication: m.publication.as_ref().map(|p| PublicationDto {
            category: p.category.clone(),
            published_at: p.published_at.as_ref().map(rfc3339),
            byline: p.byline.clone(),
            source: p.source.clone(),
        }),
        state: (m.state != infer_state(&inferred)).then(|| m.state.code().to_owned()),
    };
    let mut out = serde_json::to_string_pretty(&file).unwrap_or_else(|_| unreachable!("plain structs serialise"));
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::{Direction, TargetKind};
    use crate::mission::MissionProblem;

    const SEED: &str = include_str!("../../../tests/fixtures/seed-mission.json");

    fn seed_value() -> serde_json::Value {
        serde_json::from_str(SEED).expect("seed is JSON")
    }

    fn with(edit: impl FnOnce(&mut serde_json::Value)) -> Vec<u8> {
        let mut value = seed_value();
        edit(&mut value);
        serde_json::to_vec(&value).expect("serialises")
    }

    fn field_errors(bytes: &[u8]) -> Vec<(String, FieldProblem)> {
        match parse(bytes) {
            Err(ImportError::Fields(problems)) => problems,
            other => panic!("expected field problems, got {other:?}"),
        }
    }

    #[test]
    fn the_seed_parses_into_the_mission_it_describes() {
        let mission = parse(SEED.as_bytes()).expect("seed is valid");
        assert_eq!(mission.targets.len(), 3);
        assert_eq!(mission.targets[1].kind, TargetKind::Ward);
        assert_eq!(mission.members.len(), 3);
        assert!(matches!(mission.members[2].who, Who::Group { .. }));
        assert_eq!(mission.findings.len(), 7);
        let upward = mission.recommendations.iter().filter(|r| r.direction() == Direction::Upward).count();
        assert_eq!((upward, mission.recommendations.len() - upward), (3, 11));
        assert_eq!(mission.decision.number.as_ref().map(DocumentNumber::raw), Some("109-QĐ/QU"));
        // Đồng Xuân has no recorded session, so the imported mission stops at "in progress".
        assert_eq!(mission.state, MissionState::InProgress);
    }

    #[test]
    fn the_seed_exports_as_itself() {
        let exported = to_json(&parse(SEED.as_bytes()).expect("valid"));
        let value: serde_json::Value = serde_json::from_str(&exported).expect("export is JSON");
        assert_eq!(value, seed_value());
        assert_eq!(exported, SEED, "even byte for byte");
    }

    #[test]
    fn export_import_export_is_byte_identical_for_every_added_field() {
        let bytes = with(|v| {
            v["reference_period"] = serde_json::json!({"from": "2020-01-01", "to": null});
            v["sessions"][0]["modality"] = "direct".into();
            v["sessions"][0]["minutes"] = "Biên bản làm việc".into();
            v["findings_none_recorded"] = serde_json::json!(["shortcoming"]);
            v["recommendations"][0]["status"] = "in_progress".into();
            v["recommendations"][0]["due_on"] = "2021-05-01".into();
            v["recommendations"][0]["owner"] = "Văn phòng Quận ủy".into();
            v["recommendations"][0]["priority"] = true.into();
            v["state"] = "cancelled".into();
        });
        let first = to_json(&parse(&bytes).expect("valid"));
        let second = to_json(&parse(first.as_bytes()).expect("own export parses"));
        assert_eq!(first, second);
        assert!(first.contains("\"state\": \"cancelled\""));
        assert!(first.contains("\"findings_none_recorded\": [\n    \"shortcoming\"\n  ]"));
    }

    #[test]
    fn a_mission_without_decision_date_leader_or_findings_is_taken_as_it_is() {
        let bytes = with(|v| {
            v["decision"]["issued_on"] = serde_json::Value::Null;
            v["decision"]["number"] = serde_json::Value::Null;
            v["members"] = serde_json::json!([{"name": null, "role": "member", "description": "đại diện các ban"}]);
            v["findings"] = serde_json::json!([]);
            v["targets"][0]["kind"] = "unknown".into();
        });
        let mission = parse(&bytes).expect("incomplete records are accepted");
        assert_eq!(mission.state, MissionState::Planned);
        assert_eq!(to_json(&parse(to_json(&mission).as_bytes()).expect("round trip")), to_json(&mission));
    }

    #[test]
    fn large_missions_round_trip() {
        let bytes = with(|v| {
            let targets: Vec<_> =
                (1..=150).map(|i| serde_json::json!({"kind": "commune", "name": format!("Xã số {i}")})).collect();
            v["targets"] = targets.into();
            v["sessions"] = serde_json::json!([]);
            let recs: Vec<_> = (1..=40)
                .map(|i| {
                    serde_json::json!({"direction": "downward", "issuer": "Thường trực HĐND tỉnh",
                        "addressees": ["UBND tỉnh", "Sở Tài chính", format!("UBND xã số {i}")], "text": format!("kiến nghị số {i}")})
                })
                .collect();
            v["recommendations"] = recs.into();
        });
        let mission = parse(&bytes).expect("valid");
        assert_eq!((mission.targets.len(), mission.recommendations.len()), (150, 40));
        let exported = to_json(&mission);
        assert_eq!(to_json(&parse(exported.as_bytes()).expect("valid")), exported);
    }

    #[test]
    fn text_is_stored_in_nfc() {
        let nfd = "Nguye\u{302}\u{303}n Thi\u{323} Phu\u{31b}o\u{31b}\u{301}ng";
        let bytes = with(|v| v["members"][0]["name"] = nfd.into());
        let mission = parse(&bytes).expect("valid");
        match &mission.members[0].who {
            Who::Person { name, .. } => assert_eq!(name, "Nguyễn Thị Phướng"),
            Who::Group { .. } => panic!("a person"),
        }
    }

    #[test]
    fn malformed_json_names_line_and_column() {
        assert_eq!(parse(b"{\n  \"format\": ").unwrap_err(), ImportError::Syntax { line: 2, column: 12 });
        let trailing = format!("{SEED} trailing");
        assert!(matches!(parse(trailing.as_bytes()), Err(ImportError::Syntax { .. })));
    }

    #[test]
    fn a_wrong_format_is_refused() {
        let bytes = with(|v| v["format"] = "giamsat.mission/2".into());
        assert_eq!(parse(&bytes).unwrap_err(), ImportError::WrongFormat { found: "giamsat.mission/2".to_owned() });
    }

    #[test]
    fn unknown_and_missing_fields_are_named_with_their_path() {
        let bytes = with(|v| v["members"][1]["nickname"] = "x".into());
        let err = parse(&bytes).unwrap_err();
        assert_eq!(
            err,
            ImportError::Shape {
                path: "members[1].nickname".to_owned(),
                detail: ShapeDetail::UnknownField { field: "nickname".to_owned() }
            }
        );
        assert_eq!(err.to_string(), "members[1].nickname: trường không được phép «nickname»");
        let bytes = with(|v| {
            v.as_object_mut().expect("object").remove("subject");
        });
        assert!(parse(&bytes).unwrap_err().to_string().contains("thiếu trường bắt buộc «subject»"));
        let bytes = with(|v| v["team"]["ordinal"] = "năm".into());
        assert!(
            matches!(parse(&bytes).unwrap_err(), ImportError::Shape { path, detail: ShapeDetail::WrongType { .. } } if path == "team.ordinal")
        );
    }

    #[test]
    fn unknown_codes_name_the_field_and_the_allowed_values() {
        let bytes = with(|v| {
            v["members"][0]["role"] = "chief".into();
            v["targets"][2]["kind"] = "hamlet".into();
        });
        let problems = field_errors(&bytes);
        assert_eq!(problems[0].0, "members[0].role");
        assert_eq!(
            problems[0].1.to_string(),
            "giá trị không hợp lệ «chief» (dùng một trong: leader, deputy_leader, member, secretary, assistant)"
        );
        assert_eq!(problems[1].0, "targets[2].kind");
    }

    #[test]
    fn an_unparseable_decision_number_is_refused() {
        let bytes = with(|v| v["decision"]["number"] = "QĐ 109 QU".into());
        let problems = field_errors(&bytes);
        assert_eq!(problems[0].0, "decision.number");
        assert!(matches!(problems[0].1, FieldProblem::DocumentNumber(_)));
    }

    #[test]
    fn an_end_date_before_the_start_is_refused() {
        let bytes = with(|v| v["fieldwork"]["to"] = "2021-03-20".into());
        let problems = field_errors(&bytes);
        assert_eq!(problems[0].0, "fieldwork.to");
        assert!(matches!(problems[0].1, FieldProblem::Period(_)));
    }

    #[test]
    fn invalid_dates_and_dangling_target_names_are_refused_together() {
        let bytes = with(|v| {
            v["decision"]["issued_on"] = "2021-02-30".into();
            v["sessions"][0]["target"] = "Phúc Tân".into();
        });
        let paths: Vec<String> = field_errors(&bytes).into_iter().map(|(p, _)| p).collect();
        assert_eq!(paths, vec!["decision.issued_on", "sessions[0].target"]);
    }

    #[test]
    fn control_characters_and_bidi_overrides_are_refused() {
        let bytes = with(|v| {
            v["subject"] = "giám sát\u{0}".into();
            v["findings"][0]["text"] = "\u{202e}abc".into();
        });
        let paths: Vec<String> = field_errors(&bytes).into_iter().map(|(p, _)| p).collect();
        assert_eq!(paths, vec!["subject", "findings[0].text"]);
    }

    #[test]
    fn cross_field_invariants_are_reported_with_paths() {
        let bytes = with(|v| {
            v["targets"].as_array_mut().expect("array").push(serde_json::json!({"kind": "ward", "name": "Đồng Xuân"}));
        });
        let problems = field_errors(&bytes);
        assert_eq!(problems[0].0, "targets[3].name");
        assert_eq!(
            problems[0].1,
            FieldProblem::Mission(MissionProblem::DuplicateTarget { name: "Đồng Xuân".to_owned() })
        );
    }

    #[test]
    fn a_recommendation_without_an_addressee_is_refused() {
        let bytes = with(|v| v["recommendations"][1]["addressees"] = serde_json::json!([]));
        assert_eq!(
            field_errors(&bytes),
            vec![(
                "recommendations[1].addressees".to_owned(),
                FieldProblem::Ledger(crate::recommendation::LedgerError::AddresseeRequired)
            )]
        );
    }

    #[test]
    fn an_explicit_state_must_fit_the_data() {
        let bytes = with(|v| {
            v["state"] = "drafting".into();
            v["members"] = serde_json::json!([]);
        });
        assert_eq!(field_errors(&bytes)[0].1, FieldProblem::Mission(MissionProblem::NoLeaderUnderWay));
    }

    #[test]
    fn oversized_files_are_refused_before_parsing() {
        let big = vec![b' '; MAX_FILE_BYTES + 1];
        assert_eq!(parse(&big).unwrap_err(), ImportError::TooLarge { bytes: MAX_FILE_BYTES + 1 });
    }

    proptest::proptest! {
        #[test]
        fn parse_never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
            let _ = parse(&bytes);
        }

        #[test]
        fn parse_never_panics_on_arbitrary_text_in_any_field(text in "\\PC{0,60}", field in 0usize..6) {
            let bytes = with(|v| match field {
                0 => v["subject"] = text.clone().into(),
                1 => v["decision"]["number"] = text.clone().into(),
                2 => v["decision"]["issued_on"] = text.clone().into(),
                3 => v["targets"][0]["name"] = text.clone().into(),
                4 => v["members"][0]["role"] = text.clone().into(),
                _ => v["recommendations"][0]["text"] = text.clone().into(),
            });
            if let Ok(mission) = parse(&bytes) {
                let exported = to_json(&mission);
                proptest::prop_assert_eq!(to_json(&parse(exported.as_bytes()).expect("own export parses")), exported);
            }
        }
    }
}
