//! The mission aggregate: one supervision team (Đoàn giám sát) with its decision, members, targets, sessions,
//! findings and recommendations.
//!
//! A [`Mission`] can only be built from [`MissionParts`] through [`Mission::new`], which checks every invariant
//! that spans the aggregate. To edit, take the parts out ([`Mission::into_parts`]), change them, and build
//! again: an edit that breaks an invariant is refused as a whole, so nothing is saved half-way.

use std::ops::Deref;

use chrono::{DateTime, FixedOffset, NaiveDate};

use crate::codes::{
    Direction, FindingKind, MemberRole, SessionModality, SupervisionForm, SupervisionSystem, TargetKind,
};
use crate::date::Period;
use crate::docnum::DocumentNumber;
use crate::recommendation::FollowUp;
use crate::workflow::MissionState;

/// The organisation that owns the record (its texts call it by `short_name`: "Quận ủy").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    pub name: String,
    pub short_name: String,
    /// The directly superior body, first line of the Party header ("Đảng bộ Thành phố Hà Nội").
    pub parent: Option<String>,
    /// The place name of the date line ("Hoàn Kiếm, ngày …").
    pub place: String,
}

/// The document that set the team up: usually a quyết định, sometimes a công văn. Any part may be unknown.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Decision {
    pub number: Option<DocumentNumber>,
    pub issued_on: Option<NaiveDate>,
    /// The issuer as the texts name it ("Quận ủy"); may differ from the supervising body.
    pub issuer: Option<String>,
    /// The trích yếu after "về việc", stored as a clause.
    pub summary: Option<String>,
}

/// The team's name as written ("Đoàn Giám sát số 5", "Tổ công tác số 3") and its number, when it has one.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Team {
    pub name: Option<String>,
    pub ordinal: Option<u32>,
}

impl Team {
    /// A working group ("Tổ công tác", "Tổ giám sát") words its leader "Tổ trưởng" rather than "Trưởng đoàn".
    #[must_use]
    pub fn is_working_group(&self) -> bool {
        self.name.as_deref().is_some_and(|n| crate::text::fold(n).starts_with("to "))
    }
}

/// Who holds a membership: a named person with the position text held at the time, or an unnamed group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Who {
    Person {
        name: String,
        /// Verbatim, as held on the mission date ("Ủy viên Ban Thường vụ Quận ủy, Phó chủ tịch …").
        position: Option<String>,
    },
    /// "các đồng chí thành viên là đại diện lãnh đạo một số phòng, ban quận".
    Group { description: String },
}

/// One line of the team list. Members keep protocol order as written and are never re-sorted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub role: MemberRole,
    pub who: Who,
}

/// A supervised unit or organisation, named without its kind word ("Hàng Bạc", not "phường Hàng Bạc").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub kind: TargetKind,
    pub name: String,
}

/// A photo of a session. `file` is the storage key of the image, when one was uploaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Photo {
    pub caption: String,
    pub file: Option<String>,
}

/// A working session (buổi làm việc) at one target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// Index into [`MissionParts::targets`]; checked by [`Mission::new`].
    pub target: usize,
    pub date: Option<NaiveDate>,
    /// `None` when the record does not say (the seed's sessions are known only from photo captions).
    pub modality: Option<SessionModality>,
    pub minutes: Option<String>,
    pub photos: Vec<Photo>,
}

/// A finding. `targets` are indices into the targets; empty means it concerns all of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub kind: FindingKind,
    pub targets: Vec<usize>,
    pub text: String,
}

/// Who raised a recommendation: supervised units upward, the supervising side downward.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Kiến nghị of the targets at these indices (empty = all targets).
    Upward { raised_by: Vec<usize> },
    /// Đề nghị / kết luận of the supervising side.
    Downward { issuer: Option<String> },
}

/// A recommendation in either direction, with its follow-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recommendation {
    pub origin: Origin,
    /// As written, in order ("Quận ủy", "Ủy ban Bầu cử quận").
    pub addressees: Vec<String>,
    pub text: String,
    pub follow_up: FollowUp,
}

impl Recommendation {
    #[must_use]
    pub fn direction(&self) -> Direction {
        match self.origin {
            Origin::Upward { .. } => Direction::Upward,
            Origin::Downward { .. } => Direction::Downward,
        }
    }
}

/// Where the mission's news article was (or will be) published.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Publication {
    pub category: Option<String>,
    pub published_at: Option<DateTime<FixedOffset>>,
    pub byline: Option<String>,
    pub source: Option<String>,
}

/// Everything a mission holds, as plain data. Build a [`Mission`] from it to have the invariants checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissionParts {
    pub owner: Owner,
    pub system: SupervisionSystem,
    pub form: SupervisionForm,
    /// The programme or plan carried out ("Chương trình kiểm tra, giám sát năm 2023 của Tỉnh ủy").
    pub basis: Option<String>,
    pub decision: Decision,
    pub supervising_body: String,
    pub team: Team,
    /// What is supervised, as a clause that can follow "giám sát".
    pub subject: String,
    /// The window of the visits.
    pub fieldwork: Period,
    /// The period under review ("đến hết tháng 9 năm 2017"), kept apart from the fieldwork.
    pub reference_period: Period,
    pub members: Vec<Member>,
    pub targets: Vec<Target>,
    pub sessions: Vec<Session>,
    pub findings: Vec<Finding>,
    /// Kinds of finding explicitly recorded as "none" (không có) — different from "not entered yet".
    pub findings_none_recorded: Vec<FindingKind>,
    pub recommendations: Vec<Recommendation>,
    pub conclusion_preamble: Option<String>,
    pub publication: Option<Publication>,
    pub state: MissionState,
}

/// Where in a mission a problem is, in the vocabulary of the interchange format ("targets[2].name").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldPath(pub String);

impl std::fmt::Display for FieldPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// One broken invariant of a mission.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MissionProblem {
    /// Two targets share a name, so references by name would be ambiguous.
    DuplicateTarget { name: String },
    /// A session, finding or recommendation points at a target that does not exist.
    UnknownTarget { index: usize },
    /// A finding or recommendation names the same target twice.
    RepeatedTarget { index: usize },
    /// More than one leader: a team has exactly one Trưởng đoàn.
    SeveralLeaders { count: usize },
    /// The mission is under way but has no leader.
    NoLeaderUnderWay,
    /// A kind is marked "none recorded" and yet has findings.
    NoneRecordedButEntered { kind: FindingKind },
    /// A recommendation names an empty addressee.
    EmptyAddressee,
}

/// The problems that stop a [`Mission`] from being built, each with where it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct InvalidMission {
    pub problems: Vec<(FieldPath, MissionProblem)>,
}

/// A mission whose invariants hold. Read it through `Deref<Target = MissionParts>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mission(MissionParts);

impl Deref for Mission {
    type Target = MissionParts;
    fn deref(&self) -> &MissionParts {
        &self.0
    }
}

impl Mission {
    /// Checks every invariant that spans the aggregate.
    ///
    /// # Errors
    /// [`InvalidMission`] listing every problem found (not just the first), each with its field path.
    pub fn new(mut parts: MissionParts) -> Result<Mission, InvalidMission> {
        parts.findings_none_recorded.sort();
        parts.findings_none_recorded.dedup();
        let problems = problems_of(&parts);
        if problems.is_empty() { Ok(Mission(parts)) } else { Err(InvalidMission { problems }) }
    }

    /// Gives the parts back for editing; build a new `Mission` from them afterwards.
    #[must_use]
    pub fn into_parts(self) -> MissionParts {
        self.0
    }

    /// The leader (Trưởng đoàn / Tổ trưởng), if the team has one.
    #[must_use]
    pub fn leader(&self) -> Option<&Member> {
        self.members.iter().find(|m| m.role == MemberRole::Leader)
    }

    /// The sessions held at the target at `index`, in recorded order.
    pub fn sessions_at(&self, index: usize) -> impl Iterator<Item = &Session> {
        self.sessions.iter().filter(move |s| s.target == index)
    }

    /// Every session with its index, by date; undated sessions come last, and sessions of the same date (or
    /// both undated) keep the order they were recorded in, since the record gives no better one.
    pub fn sessions_by_date(&self) -> Vec<(usize, &Session)> {
        let mut sessions: Vec<_> = self.sessions.iter().enumerate().collect();
        // A stable sort: equal keys keep their recorded order.
        sessions.sort_by_key(|(_, s)| (s.date.is_none(), s.date));
        sessions
    }

    /// True when `session` is dated outside the fieldwork period (thời gian tiến hành). It is kept, since the
    /// record may be right and the period wrong, but flagged; the step to drafting is refused until one of them
    /// is corrected (see [`crate::workflow::Missing::SessionOutsideFieldwork`]).
    #[must_use]
    pub fn is_outside_fieldwork(&self, session: &Session) -> bool {
        session.date.is_some_and(|d| !self.fieldwork.contains(d))
    }

    /// Moves the workflow to `to` if the transition is allowed and its preconditions hold.
    ///
    /// # Errors
    /// [`crate::workflow::WorkflowError`] naming the refused transition or everything that is missing.
    pub fn transition(&mut self, to: MissionState) -> Result<(), crate::workflow::WorkflowError> {
        crate::workflow::check_transition(&self.0, to)?;
        self.0.state = to;
        Ok(())
    }
}

/// The mission's own fields, as the mission form edits them (the owner does not change).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub system: SupervisionSystem,
    pub form: SupervisionForm,
    pub basis: Option<String>,
    pub decision: Decision,
    pub supervising_body: String,
    pub team: Team,
    pub subject: String,
    pub fieldwork: Period,
    pub reference_period: Period,
    pub conclusion_preamble: Option<String>,
}

/// The kinds of item a mission lists, for edits and their errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    Member,
    Target,
    Session,
    Finding,
    Recommendation,
}

/// One change to a mission, as one form submits it. Indices are positions in the current lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    Header(Box<Header>),
    /// The whole team list, in its new protocol order.
    Members(Vec<Member>),
    AddTarget(Target),
    UpdateTarget(usize, Target),
    RemoveTarget(usize),
    AddSession(Session),
    UpdateSession(usize, Session),
    RemoveSession(usize),
    /// Photos added to the session at this index, after those it has: an addition, never a conflict.
    AddPhotos(usize, Vec<Photo>),
    AddFinding(Finding),
    UpdateFinding(usize, Finding),
    RemoveFinding(usize),
    FindingsNoneRecorded(Vec<FindingKind>),
    AddRecommendation(Recommendation),
    UpdateRecommendation(usize, Recommendation),
    RemoveRecommendation(usize),
}

impl Edit {
    /// A stable name of the edit, for the audit trail.
    #[must_use]
    pub const fn action(&self) -> &'static str {
        match self {
            Edit::Header(_) => "mission.edit",
            Edit::Members(_) => "mission.members",
            Edit::AddTarget(_) => "target.add",
            Edit::UpdateTarget(..) => "target.update",
            Edit::RemoveTarget(_) => "target.remove",
            Edit::AddSession(_) => "session.add",
            Edit::UpdateSession(..) => "session.update",
            Edit::RemoveSession(_) => "session.remove",
            Edit::AddPhotos(..) => "photo.add",
            Edit::AddFinding(_) => "finding.add",
            Edit::UpdateFinding(..) => "finding.update",
            Edit::RemoveFinding(_) => "finding.remove",
            Edit::FindingsNoneRecorded(_) => "finding.none_recorded",
            Edit::AddRecommendation(_) => "recommendation.add",
            Edit::UpdateRecommendation(..) => "recommendation.update",
            Edit::RemoveRecommendation(_) => "recommendation.remove",
        }
    }

    /// True for an edit that only adds (an item, or photos to a session): it applies to the mission as it is
    /// now, whatever others changed meanwhile, since it overwrites nothing.
    #[must_use]
    pub const fn is_addition(&self) -> bool {
        matches!(
            self,
            Edit::AddTarget(_)
                | Edit::AddSession(_)
                | Edit::AddPhotos(..)
                | Edit::AddFinding(_)
                | Edit::AddRecommendation(_)
        )
    }

    /// The existing item this edit changes, removes or adds to, with its index.
    #[must_use]
    pub const fn item(&self) -> Option<(ItemKind, usize)> {
        match self {
            Edit::UpdateTarget(i, _) | Edit::RemoveTarget(i) => Some((ItemKind::Target, *i)),
            Edit::UpdateSession(i, _) | Edit::RemoveSession(i) | Edit::AddPhotos(i, _) => Some((ItemKind::Session, *i)),
            Edit::UpdateFinding(i, _) | Edit::RemoveFinding(i) => Some((ItemKind::Finding, *i)),
            Edit::UpdateRecommendation(i, _) | Edit::RemoveRecommendation(i) => Some((ItemKind::Recommendation, *i)),
            _ => None,
        }
    }

    /// The same edit aimed at the item now at `index` (where the item moved after an earlier one was removed).
    #[must_use]
    pub fn at(self, index: usize) -> Edit {
        match self {
            Edit::UpdateTarget(_, t) => Edit::UpdateTarget(index, t),
            Edit::RemoveTarget(_) => Edit::RemoveTarget(index),
            Edit::UpdateSession(_, s) => Edit::UpdateSession(index, s),
            Edit::RemoveSession(_) => Edit::RemoveSession(index),
            Edit::AddPhotos(_, p) => Edit::AddPhotos(index, p),
            Edit::UpdateFinding(_, f) => Edit::UpdateFinding(index, f),
            Edit::RemoveFinding(_) => Edit::RemoveFinding(index),
            Edit::UpdateRecommendation(_, r) => Edit::UpdateRecommendation(index, r),
            Edit::RemoveRecommendation(_) => Edit::RemoveRecommendation(index),
            other => other,
        }
    }
}

/// A fingerprint: the SHA-256 of a value's debug form (stable within one build, which is all a form needs).
fn fingerprint_of(value: &impl std::fmt::Debug) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(format!("{value:?}").as_bytes()).iter().take(12).map(|b| format!("{b:02x}")).collect()
}

impl Mission {
    /// A fingerprint of the item at `index` as it is now: a form carries it, so a save finds out whether that
    /// item (and only it) changed since the form was built.
    #[must_use]
    pub fn fingerprint(&self, kind: ItemKind, index: usize) -> Option<String> {
        match kind {
            ItemKind::Member => self.members.get(index).map(fingerprint_of),
            ItemKind::Target => self.targets.get(index).map(fingerprint_of),
            ItemKind::Session => self.sessions.get(index).map(fingerprint_of),
            ItemKind::Finding => self.findings.get(index).map(fingerprint_of),
            ItemKind::Recommendation => self.recommendations.get(index).map(fingerprint_of),
        }
    }

    /// What identifies a session while photos are added to it by others: its unit and date, not its photos.
    #[must_use]
    pub fn session_anchor(&self, index: usize) -> Option<String> {
        self.sessions.get(index).map(|s| self.anchor_of(s))
    }

    /// [`Mission::session_anchor`] of a session as a form describes it.
    #[must_use]
    pub fn anchor_of(&self, session: &Session) -> String {
        fingerprint_of(&(self.targets.get(session.target), session.date))
    }

    /// Whether `session`, as a form sends it back, is the session that form was built from (`print`, its
    /// [`Mission::fingerprint`]): the user changed none of its fields, captions or photos.
    #[must_use]
    pub fn unchanged(session: &Session, print: &str) -> bool {
        fingerprint_of(session) == print
    }

    /// The fingerprint of the list of targets a form offered: their count and content. Target references of a
    /// form stay valid as long as these targets are still the first ones (targets added since come after them).
    #[must_use]
    pub fn targets_seen(&self) -> String {
        format!("{}:{}", self.targets.len(), fingerprint_of(&self.targets))
    }

    /// True when the targets a form saw (see [`Mission::targets_seen`]) are still the first targets, in order.
    #[must_use]
    pub fn targets_still(&self, seen: &str) -> bool {
        let Some((count, print)) = seen.split_once(':') else {
            return false;
        };
        count.parse::<usize>().ok().and_then(|n| self.targets.get(..n)).is_some_and(|t| fingerprint_of(&t) == print)
    }

    /// Where the item last seen at `index` with `print` (by `key`: [`Mission::fingerprint`] or
    /// [`Mission::session_anchor`]) is now: at `index` if unchanged there, else the nearest unchanged one before
    /// it (earlier items removed), else after it. `None` if it changed or was removed.
    #[must_use]
    pub fn locate(
        &self,
        kind: ItemKind,
        index: usize,
        print: &str,
        key: impl Fn(&Mission, usize) -> Option<String>,
    ) -> Option<usize> {
        let count = match kind {
            ItemKind::Member => self.members.len(),
            ItemKind::Target => self.targets.len(),
            ItemKind::Session => self.sessions.len(),
            ItemKind::Finding => self.findings.len(),
            ItemKind::Recommendation => self.recommendations.len(),
        };
        let matches = |i: &usize| key(self, *i).as_deref() == Some(print);
        let before = (0..=index.min(count.saturating_sub(1))).rev();
        before.chain(index.saturating_add(1)..count).find(matches)
    }
}

/// Why an edit was refused. Nothing is changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// The item is not (or no longer) there.
    NoSuchItem { kind: ItemKind, index: usize },
    /// A target still referenced by sessions, findings or recommendations cannot be removed.
    TargetInUse { name: String },
    /// The edited mission would break an invariant.
    Invalid(InvalidMission),
}

fn replace_at<T>(list: &mut [T], index: usize, item: T, kind: ItemKind) -> Result<(), EditError> {
    let slot = list.get_mut(index).ok_or(EditError::NoSuchItem { kind, index })?;
    *slot = item;
    Ok(())
}

fn remove_at<T>(list: &mut Vec<T>, index: usize, kind: ItemKind) -> Result<(), EditError> {
    if index >= list.len() {
        return Err(EditError::NoSuchItem { kind, index });
    }
    list.remove(index);
    Ok(())
}

impl Mission {
    /// Applies one edit and checks the whole mission again.
    ///
    /// # Errors
    /// [`EditError`]: a missing item, a target still in use, or a broken invariant (with its field path).
    pub fn apply(self, edit: Edit) -> Result<Mission, EditError> {
        let mut parts = self.0;
        match edit {
            Edit::Header(header) => {
                let Header {
                    system,
                    form,
                    basis,
                    decision,
                    supervising_body,
                    team,
                    subject,
                    fieldwork,
                    reference_period,
                    conclusion_preamble,
                } = *header;
                parts.system = system;
                parts.form = form;
                parts.basis = basis;
                parts.decision = decision;
                parts.supervising_body = supervising_body;
                parts.team = team;
                parts.subject = subject;
                parts.fieldwork = fieldwork;
                parts.reference_period = reference_period;
                parts.conclusion_preamble = conclusion_preamble;
            }
            Edit::Members(members) => parts.members = members,
            Edit::AddTarget(target) => parts.targets.push(target),
            Edit::UpdateTarget(i, target) => replace_at(&mut parts.targets, i, target, ItemKind::Target)?,
            Edit::RemoveTarget(i) => {
                let target = parts.targets.get(i).ok_or(EditError::NoSuchItem { kind: ItemKind::Target, index: i })?;
                let used = parts.sessions.iter().any(|s| s.target == i)
                    || parts.findings.iter().any(|f| f.targets.contains(&i))
                    || parts
                        .recommendations
                        .iter()
                        .any(|r| matches!(&r.origin, Origin::Upward { raised_by } if raised_by.contains(&i)));
                if used {
                    return Err(EditError::TargetInUse { name: target.name.clone() });
                }
                parts.targets.remove(i);
                let shift = |t: &mut usize| {
                    if *t > i {
                        *t -= 1;
                    }
                };
                parts.sessions.iter_mut().for_each(|s| shift(&mut s.target));
                parts.findings.iter_mut().for_each(|f| f.targets.iter_mut().for_each(shift));
                for rec in &mut parts.recommendations {
                    if let Origin::Upward { raised_by } = &mut rec.origin {
                        raised_by.iter_mut().for_each(shift);
                    }
                }
            }
            Edit::AddSession(session) => parts.sessions.push(session),
            Edit::UpdateSession(i, session) => replace_at(&mut parts.sessions, i, session, ItemKind::Session)?,
            Edit::RemoveSession(i) => remove_at(&mut parts.sessions, i, ItemKind::Session)?,
            Edit::AddPhotos(i, photos) => parts
                .sessions
                .get_mut(i)
                .ok_or(EditError::NoSuchItem { kind: ItemKind::Session, index: i })?
                .photos
                .extend(photos),
            Edit::AddFinding(finding) => parts.findings.push(finding),
            Edit::UpdateFinding(i, finding) => replace_at(&mut parts.findings, i, finding, ItemKind::Finding)?,
            Edit::RemoveFinding(i) => remove_at(&mut parts.findings, i, ItemKind::Finding)?,
            Edit::FindingsNoneRecorded(kinds) => parts.findings_none_recorded = kinds,
            Edit::AddRecommendation(rec) => parts.recommendations.push(rec),
            Edit::UpdateRecommendation(i, rec) => {
                replace_at(&mut parts.recommendations, i, rec, ItemKind::Recommendation)?;
            }
            Edit::RemoveRecommendation(i) => remove_at(&mut parts.recommendations, i, ItemKind::Recommendation)?,
        }
        Mission::new(parts).map_err(EditError::Invalid)
    }
}

/// The indices that appear more than once in `refs`, each once, in order of their second appearance.
fn repeated(refs: &[usize]) -> Vec<usize> {
    let mut out = Vec::new();
    for (i, t) in refs.iter().enumerate() {
        if refs.get(..i).is_some_and(|before| before.contains(t)) && !out.contains(t) {
            out.push(*t);
        }
    }
    out
}

fn problems_of(parts: &MissionParts) -> Vec<(FieldPath, MissionProblem)> {
    let mut problems = Vec::new();
    let mut push = |path: String, problem| problems.push((FieldPath(path), problem));

    for (i, target) in parts.targets.iter().enumerate() {
        if parts.targets.iter().take(i).any(|t| t.name == target.name) {
            push(format!("targets[{i}].name"), MissionProblem::DuplicateTarget { name: target.name.clone() });
        }
    }
    let n_targets = parts.targets.len();
    for (i, session) in parts.sessions.iter().enumerate() {
        if session.target >= n_targets {
            push(format!("sessions[{i}].target"), MissionProblem::UnknownTarget { index: session.target });
        }
    }
    for (i, finding) in parts.findings.iter().enumerate() {
        for &t in finding.targets.iter().filter(|&&t| t >= n_targets) {
            push(format!("findings[{i}].targets"), MissionProblem::UnknownTarget { index: t });
        }
        for t in repeated(&finding.targets) {
            push(format!("findings[{i}].targets"), MissionProblem::RepeatedTarget { index: t });
        }
    }
    for (i, rec) in parts.recommendations.iter().enumerate() {
        if let Origin::Upward { raised_by } = &rec.origin {
            for &t in raised_by.iter().filter(|&&t| t >= n_targets) {
                push(format!("recommendations[{i}].raised_by"), MissionProblem::UnknownTarget { index: t });
            }
            for t in repeated(raised_by) {
                push(format!("recommendations[{i}].raised_by"), MissionProblem::RepeatedTarget { index: t });
            }
        }
        if rec.addressees.iter().any(String::is_empty) {
            push(format!("recommendations[{i}].addressees"), MissionProblem::EmptyAddressee);
        }
    }

    let leaders = parts.members.iter().filter(|m| m.role == MemberRole::Leader).count();
    if leaders > 1 {
        push("members".to_owned(), MissionProblem::SeveralLeaders { count: leaders });
    } else if leaders == 0 && parts.state.is_under_way() {
        push("members".to_owned(), MissionProblem::NoLeaderUnderWay);
    }

    for &kind in &parts.findings_none_recorded {
        if parts.findings.iter().any(|f| f.kind == kind) {
            push("findings_none_recorded".to_owned(), MissionProblem::NoneRecordedButEntered { kind });
        }
    }
    problems
}

#[cfg(test)]
pub(crate) mod fixtures {
    //! Small missions for the tests of this crate.
    use super::*;

    pub fn target(kind: TargetKind, name: &str) -> Target {
        Target { kind, name: name.to_owned() }
    }

    pub fn person(role: MemberRole, name: &str) -> Member {
        Member {
            role, who: Who::Person { name: name.to_owned(), position: Some("Ủy viên Ban Thường vụ".to_owned()) }
        }
    }

    pub fn session(target: usize, date: Option<NaiveDate>) -> Session {
        Session { target, date, modality: Some(SessionModality::Direct), minutes: None, photos: Vec::new() }
    }

    pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
    }

    /// A planned mission with nothing but its owner, subject and system.
    pub fn bare() -> MissionParts {
        MissionParts {
            owner: Owner {
                name: "Quận ủy Hoàn Kiếm".to_owned(),
                short_name: "Quận ủy".to_owned(),
                parent: Some("Đảng bộ Thành phố Hà Nội".to_owned()),
                place: "Hoàn Kiếm".to_owned(),
            },
            system: SupervisionSystem::Party,
            form: SupervisionForm::Thematic,
            basis: None,
            decision: Decision::default(),
            supervising_body: "Ban Thường vụ Quận ủy".to_owned(),
            team: Team { name: Some("Đoàn Giám sát số 5".to_owned()), ordinal: Some(5) },
            subject: "công tác chuẩn bị bầu cử".to_owned(),
            fieldwork: Period::default(),
            reference_period: Period::default(),
            members: Vec::new(),
            targets: Vec::new(),
            sessions: Vec::new(),
            findings: Vec::new(),
            findings_none_recorded: Vec::new(),
            recommendations: Vec::new(),
            conclusion_preamble: None,
            publication: None,
            state: MissionState::Planned,
        }
    }

    /// A mission whose data satisfies every precondition up to `concluded`, still in `planned`.
    pub fn complete() -> MissionParts {
        let mut parts = bare();
        parts.decision = Decision {
            number: Some(crate::docnum::DocumentNumber::parse("109-QĐ/QU").expect("valid number")),
            issued_on: Some(date(2021, 3, 9)),
            issuer: Some("Quận ủy".to_owned()),
            summary: Some("thành lập các đoàn giám sát".to_owned()),
        };
        parts.fieldwork = Period::new(Some(date(2021, 3, 23)), Some(date(2021, 3, 26))).expect("valid period");
        parts.members = vec![
            person(MemberRole::Leader, "Nguyễn Thị Phương Chung"),
            person(MemberRole::DeputyLeader, "Nguyễn Quốc Hoàn"),
        ];
        parts.targets = vec![target(TargetKind::Ward, "Đồng Xuân"), target(TargetKind::Ward, "Hàng Bạc")];
        parts.sessions = vec![session(0, Some(date(2021, 3, 23))), session(1, Some(date(2021, 3, 24)))];
        parts.findings =
            vec![Finding {
                kind: FindingKind::Strength, targets: vec![], text: "triển khai nghiêm túc".to_owned()
            }];
        parts.findings_none_recorded = vec![FindingKind::Shortcoming, FindingKind::Cause];
        parts
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::*;
    use super::*;

    fn problems(parts: MissionParts) -> Vec<MissionProblem> {
        Mission::new(parts).expect_err("should be refused").problems.into_iter().map(|(_, p)| p).collect()
    }

    #[test]
    fn sessions_are_listed_by_date_undated_last_and_equals_in_recorded_order() {
        let mut parts = complete();
        parts.sessions = vec![
            session(0, None),
            session(1, Some(date(2021, 3, 25))),
            session(0, Some(date(2021, 3, 23))),
            session(1, None),
            session(0, Some(date(2021, 3, 25))),
        ];
        let mission = Mission::new(parts).expect("valid");
        let order: Vec<usize> = mission.sessions_by_date().into_iter().map(|(i, _)| i).collect();
        assert_eq!(order, vec![2, 1, 4, 0, 3]);
    }

    #[test]
    fn a_session_dated_outside_the_fieldwork_is_flagged_an_undated_one_is_not() {
        let mut parts = complete();
        parts.sessions = vec![
            session(0, Some(date(2021, 3, 23))),
            session(0, Some(date(2021, 3, 26))),
            session(1, Some(date(2021, 3, 22))),
            session(1, Some(date(2021, 3, 27))),
            session(1, None),
        ];
        let mission = Mission::new(parts).expect("valid");
        let flagged: Vec<bool> = mission.sessions.iter().map(|s| mission.is_outside_fieldwork(s)).collect();
        assert_eq!(flagged, vec![false, false, true, true, false]);
    }

    fn finding(text: &str) -> Finding {
        Finding { kind: FindingKind::Strength, targets: Vec::new(), text: text.to_owned() }
    }

    #[test]
    fn an_unchanged_item_is_found_where_it_moved_a_changed_or_removed_one_is_not() {
        let mut parts = complete();
        parts.findings = vec![finding("một"), finding("hai"), finding("ba")];
        let mission = Mission::new(parts).expect("valid");
        let print = mission.fingerprint(ItemKind::Finding, 2).expect("third finding");
        let key = |m: &Mission, i| m.fingerprint(ItemKind::Finding, i);
        assert_eq!(mission.locate(ItemKind::Finding, 2, &print, key), Some(2));

        let moved = mission.clone().apply(Edit::RemoveFinding(0)).expect("removed");
        assert_eq!(moved.locate(ItemKind::Finding, 2, &print, key), Some(1));

        let changed = mission.clone().apply(Edit::UpdateFinding(2, finding("ba, đã sửa"))).expect("updated");
        assert_eq!(changed.locate(ItemKind::Finding, 2, &print, key), None);

        let removed = mission.apply(Edit::RemoveFinding(2)).expect("removed");
        assert_eq!(removed.locate(ItemKind::Finding, 2, &print, key), None);
    }

    #[test]
    fn a_session_keeps_its_anchor_when_photos_are_added_and_photos_are_appended() {
        let mut parts = complete();
        parts.sessions = vec![session(0, Some(date(2021, 3, 23)))];
        let mission = Mission::new(parts).expect("valid");
        let anchor = mission.session_anchor(0).expect("session");
        let photo = |c: &str| Photo { caption: c.to_owned(), file: None };
        let edit = Edit::AddPhotos(0, vec![photo("a"), photo("b")]);
        assert!(edit.is_addition());
        let once = mission.apply(edit).expect("added");
        let twice = once.clone().apply(Edit::AddPhotos(0, vec![photo("c")])).expect("added again");
        assert_eq!(twice.session_anchor(0), Some(anchor));
        let captions: Vec<&str> = twice.sessions.iter().flat_map(|s| &s.photos).map(|p| p.caption.as_str()).collect();
        assert_eq!(captions, ["a", "b", "c"]);
        assert_ne!(once.fingerprint(ItemKind::Session, 0), twice.fingerprint(ItemKind::Session, 0));
    }

    #[test]
    fn targets_seen_by_a_form_still_hold_when_targets_were_added_not_when_one_was_removed() {
        let mission = Mission::new(complete()).expect("valid");
        let seen = mission.targets_seen();
        let added = mission.clone().apply(Edit::AddTarget(target(TargetKind::Ward, "Mới"))).expect("added");
        assert!(added.targets_still(&seen));
        let last = mission.targets.len() - 1;
        let mut parts = mission.into_parts();
        parts.sessions.retain(|s| s.target != last);
        parts.findings.clear();
        parts.recommendations.clear();
        let removed = Mission::new(parts).expect("valid").apply(Edit::RemoveTarget(last)).expect("removed");
        assert!(!removed.targets_still(&seen));
        assert!(!removed.targets_still("garbage"));
    }

    #[test]
    fn a_complete_mission_is_valid() {
        assert!(Mission::new(complete()).is_ok());
    }

    #[test]
    fn duplicate_target_names_are_refused_with_their_path() {
        let mut parts = complete();
        parts.targets.push(target(TargetKind::Ward, "Hàng Bạc"));
        let err = Mission::new(parts).expect_err("duplicate");
        assert_eq!(err.problems[0].0, FieldPath("targets[2].name".to_owned()));
        assert_eq!(err.problems[0].1, MissionProblem::DuplicateTarget { name: "Hàng Bạc".to_owned() });
    }

    #[test]
    fn a_target_named_twice_and_an_index_at_the_end_of_the_range_are_refused() {
        let mut parts = complete();
        parts.findings[0].targets = vec![0, 1, 0, usize::MAX];
        assert_eq!(
            problems(parts),
            vec![MissionProblem::UnknownTarget { index: usize::MAX }, MissionProblem::RepeatedTarget { index: 0 }]
        );
        let message = MissionProblem::UnknownTarget { index: usize::MAX }.to_string();
        assert!(!message.contains("thứ 0"), "{message}");
    }

    #[test]
    fn references_to_missing_targets_are_refused() {
        let mut parts = complete();
        parts.sessions.push(session(7, None));
        parts.findings[0].targets = vec![9];
        parts.recommendations.push(Recommendation {
            origin: Origin::Upward { raised_by: vec![5] },
            addressees: vec!["Quận ủy".to_owned()],
            text: "sớm ban hành hướng dẫn".to_owned(),
            follow_up: FollowUp::default(),
        });
        assert_eq!(
            problems(parts),
            vec![
                MissionProblem::UnknownTarget { index: 7 },
                MissionProblem::UnknownTarget { index: 9 },
                MissionProblem::UnknownTarget { index: 5 }
            ]
        );
    }

    #[test]
    fn two_leaders_are_never_valid() {
        let mut parts = bare();
        parts.members = vec![person(MemberRole::Leader, "A"), person(MemberRole::Leader, "B")];
        assert_eq!(problems(parts), vec![MissionProblem::SeveralLeaders { count: 2 }]);
    }

    #[test]
    fn a_planned_mission_may_have_no_leader_but_one_under_way_may_not() {
        assert!(Mission::new(bare()).is_ok());
        let mut parts = complete();
        parts.members.remove(0);
        parts.state = MissionState::InProgress;
        assert_eq!(problems(parts), vec![MissionProblem::NoLeaderUnderWay]);
    }

    #[test]
    fn none_recorded_conflicts_with_entered_findings() {
        let mut parts = complete();
        parts.findings_none_recorded.push(FindingKind::Strength);
        assert_eq!(problems(parts), vec![MissionProblem::NoneRecordedButEntered { kind: FindingKind::Strength }]);
    }

    #[test]
    fn an_empty_addressee_is_refused() {
        let mut parts = complete();
        parts.recommendations.push(Recommendation {
            origin: Origin::Downward { issuer: None },
            addressees: vec![String::new()],
            text: "rà soát".to_owned(),
            follow_up: FollowUp::default(),
        });
        assert_eq!(problems(parts), vec![MissionProblem::EmptyAddressee]);
    }

    #[test]
    fn removing_a_target_in_use_is_refused_and_others_shift_their_references() {
        let mission = Mission::new(complete()).expect("valid");
        assert_eq!(
            mission.clone().apply(Edit::RemoveTarget(0)),
            Err(EditError::TargetInUse { name: "Đồng Xuân".to_owned() })
        );
        let mut parts = complete();
        parts.targets.insert(0, target(TargetKind::Ward, "Lý Thái Tổ"));
        parts.sessions.iter_mut().for_each(|s| s.target += 1);
        let edited = Mission::new(parts).expect("valid").apply(Edit::RemoveTarget(0)).expect("unused target removed");
        assert_eq!(edited.targets[0].name, "Đồng Xuân");
        assert_eq!(edited.sessions.iter().map(|s| s.target).collect::<Vec<_>>(), vec![0, 1]);
    }

    #[test]
    fn edits_of_missing_items_and_invalid_results_are_refused() {
        let mission = Mission::new(complete()).expect("valid");
        assert_eq!(
            mission.clone().apply(Edit::RemoveFinding(9)),
            Err(EditError::NoSuchItem { kind: ItemKind::Finding, index: 9 })
        );
        let duplicate = mission.clone().apply(Edit::AddTarget(target(TargetKind::Ward, "Hàng Bạc")));
        assert!(matches!(duplicate, Err(EditError::Invalid(_))));
        let leaders = vec![person(MemberRole::Leader, "A"), person(MemberRole::Leader, "B")];
        assert!(matches!(mission.clone().apply(Edit::Members(leaders)), Err(EditError::Invalid(_))));
        let added = mission.apply(Edit::AddFinding(Finding {
            kind: FindingKind::Cause,
            targets: vec![1],
            text: "x".to_owned(),
        }));
        assert!(matches!(added, Err(EditError::Invalid(_))), "cause is recorded as none");
    }

    #[test]
    fn working_groups_are_recognised_by_their_name() {
        assert!(Team { name: Some("Tổ công tác số 3".to_owned()), ordinal: Some(3) }.is_working_group());
        assert!(!Team { name: Some("Đoàn Giám sát số 5".to_owned()), ordinal: Some(5) }.is_working_group());
        assert!(!Team::default().is_working_group());
    }
}
