//! The formal report (báo cáo / thông báo kết quả giám sát) in the official layout: a Party document per Hướng
//! dẫn 36-HD/VPTW or a State / People's Council document per Nghị định 30/2020/NĐ-CP (domain brief §4.1, §4.2).
//!
//! [`build`] turns a mission and its [`FormalSettings`] into a [`FormalReport`]: every line of the document as
//! text, in order, with the layout that decides how renderers set it. It is built from the same data as the news
//! article (and reuses its sentences), so the two cannot tell different facts. It never fails: what is missing
//! is left blank for the clerk (number, date) or said plainly ("Chưa có nội dung.").

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::article;
use crate::codes::{FindingKind, SessionModality, SupervisionSystem, TargetKind};
use crate::date;
use crate::docnum::{DocSystem, DocumentNumber, TypeCode};
use crate::messages::formal as w;
use crate::messages::labels;
use crate::mission::{Mission, Who};
use crate::text::capitalize_first;

/// More supervised units than this are counted rather than listed in the trích yếu and the Nơi nhận.
const MAX_LISTED_TARGETS: usize = 5;

/// Page margins in millimetres.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Margins {
    pub top_mm: u16,
    pub bottom_mm: u16,
    pub left_mm: u16,
    pub right_mm: u16,
}

impl Margins {
    /// The fixed margins of the Hướng dẫn 36 summary, inside the range Nghị định 30 allows (top/bottom 20–25,
    /// left 30–35, right 15–20).
    pub const OFFICIAL: Margins = Margins { top_mm: 20, bottom_mm: 20, left_mm: 30, right_mm: 15 };
    /// Smallest and largest margin a setting may take.
    pub const MIN_MM: u16 = 5;
    pub const MAX_MM: u16 = 60;
}

impl Default for Margins {
    fn default() -> Self {
        Margins::OFFICIAL
    }
}

/// Which official layout a report takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Layout {
    /// Hướng dẫn 36-HD/VPTW: "ĐẢNG CỘNG SẢN VIỆT NAM", the asterisk, "Số 12-BC/QU", "T/M".
    Party,
    /// Nghị định 30/2020/NĐ-CP: Quốc hiệu and Tiêu ngữ, "Số: 15/BC-HĐND", "TM.".
    State,
}

impl Layout {
    /// Party missions take the Party layout; People's Council and Fatherland Front missions the State one.
    #[must_use]
    pub const fn of(system: SupervisionSystem) -> Layout {
        match system {
            SupervisionSystem::Party => Layout::Party,
            SupervisionSystem::Council | SupervisionSystem::Front => Layout::State,
        }
    }
}

/// What a formal report needs beyond the mission: the organisation's settings with the report's own overrides
/// (number, date, signatory) merged over them. [`FormalSettings::for_mission`] gives the defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormalSettings {
    /// "12-BC/QU", "15/BC-HĐND"; `None` leaves the number blank for the clerk.
    pub number: Option<DocumentNumber>,
    /// The issuing body's code for a blank number ("QU" in "Số      -BC/QU").
    pub issuer_code: Option<String>,
    /// The kind of document: báo cáo (BC) or thông báo (TB) kết quả giám sát.
    pub type_code: TypeCode,
    /// The date of the place-and-date line; `None` leaves day and month blank.
    pub date: Option<NaiveDate>,
    /// The place of the place-and-date line ("Hoàn Kiếm").
    pub place: String,
    /// "T/M BAN THƯỜNG VỤ", "TM. THƯỜNG TRỰC HĐND".
    pub authority: String,
    /// "PHÓ BÍ THƯ", "PHÓ CHỦ TỊCH".
    pub signer_title: String,
    pub signer_name: String,
    /// Nơi nhận, one recipient a line, without the leading "-" and the final punctuation; the archive line last.
    pub recipients: Vec<String>,
    pub margins: Margins,
}

impl FormalSettings {
    /// The defaults a mission implies: its place, the team's leader signing for the team, the supervised units
    /// and the archive as recipients, the official margins, no number and no date.
    #[must_use]
    pub fn for_mission(mission: &Mission) -> FormalSettings {
        let layout = Layout::of(mission.system);
        let group = mission.team.is_working_group();
        let authority = match (layout, group) {
            (Layout::Party, false) => w::PARTY_FOR_TEAM,
            (Layout::Party, true) => w::PARTY_FOR_GROUP,
            (Layout::State, false) => w::STATE_FOR_TEAM,
            (Layout::State, true) => w::STATE_FOR_GROUP,
        };
        let signer_name = match mission.leader().map(|m| &m.who) {
            Some(Who::Person { name, .. }) => name.trim().to_owned(),
            _ => String::new(),
        };
        let mut recipients = supervised_recipients(mission, layout);
        recipients.push(match layout {
            Layout::Party => format!("{} {}", w::PARTY_ARCHIVE, mission.owner.short_name.trim()),
            Layout::State => w::STATE_ARCHIVE.to_owned(),
        });
        let decision_system = match layout {
            Layout::Party => DocSystem::Party,
            Layout::State => DocSystem::State,
        };
        FormalSettings {
            number: None,
            issuer_code: mission
                .decision
                .number
                .as_ref()
                .filter(|n| n.system() == decision_system)
                .map(|n| n.issuer().to_owned()),
            type_code: TypeCode::BaoCao,
            date: None,
            place: mission.owner.place.trim().to_owned(),
            authority: authority.to_owned(),
            signer_title: (if group { w::GROUP_LEADER } else { w::TEAM_LEADER }).to_owned(),
            signer_name,
            recipients,
            margins: Margins::OFFICIAL,
        }
    }
}

impl FormalSettings {
    /// The settings of a report: the mission's defaults, then its organisation's settings, then the report's own.
    #[must_use]
    pub fn resolve(mission: &Mission, organisation: &Overrides, report: &Overrides) -> FormalSettings {
        FormalSettings::for_mission(mission).with(organisation).with(report)
    }

    /// These settings with `overrides` set over them.
    #[must_use]
    pub fn with(mut self, overrides: &Overrides) -> FormalSettings {
        if let Some(kind) = overrides.type_code {
            self.type_code = kind;
        }
        if let Some(number) = &overrides.number {
            if let Some(kind) = number.type_code() {
                self.type_code = kind;
            }
            self.number = Some(number.clone());
        }
        if let Some(date) = overrides.date {
            self.date = Some(date);
        }
        for (field, value) in [
            (&mut self.place, &overrides.place),
            (&mut self.authority, &overrides.authority),
            (&mut self.signer_title, &overrides.signer_title),
            (&mut self.signer_name, &overrides.signer_name),
        ] {
            if let Some(value) = value {
                value.clone_into(field);
            }
        }
        if !overrides.standing_recipients.is_empty() {
            self.recipients.splice(0..0, overrides.standing_recipients.iter().cloned());
        }
        if let Some(recipients) = &overrides.recipients {
            self.recipients.clone_from(recipients);
        }
        let m = &mut self.margins;
        for (side, value) in [
            (&mut m.top_mm, overrides.margin_top_mm),
            (&mut m.bottom_mm, overrides.margin_bottom_mm),
            (&mut m.left_mm, overrides.margin_left_mm),
            (&mut m.right_mm, overrides.margin_right_mm),
        ] {
            if let Some(value) = value {
                *side = value;
            }
        }
        self
    }
}

/// What an organisation sets for all its formal reports, or a report for itself, over the defaults its mission
/// implies ([`FormalSettings::for_mission`]); `None` inherits. The number and the date belong to one report.
/// An organisation's standing recipients ("Thường trực Thành ủy (để báo cáo)") come before the supervised
/// units; a report's own recipients replace the whole list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Overrides {
    pub number: Option<DocumentNumber>,
    /// Báo cáo (BC) or thông báo (TB) kết quả giám sát.
    pub type_code: Option<TypeCode>,
    pub date: Option<NaiveDate>,
    pub place: Option<String>,
    pub authority: Option<String>,
    pub signer_title: Option<String>,
    pub signer_name: Option<String>,
    pub standing_recipients: Vec<String>,
    pub recipients: Option<Vec<String>>,
    pub margin_top_mm: Option<u16>,
    pub margin_bottom_mm: Option<u16>,
    pub margin_left_mm: Option<u16>,
    pub margin_right_mm: Option<u16>,
}

/// The part of [`Overrides`] a problem belongs to (a form field).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingsField {
    Number,
    TypeCode,
    Recipients,
    StandingRecipients,
    MarginTop,
    MarginBottom,
    MarginLeft,
    MarginRight,
}

/// Why settings are refused (wording in `messages::formal`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    /// The report is a báo cáo or a thông báo; this is another kind of document.
    NotAReport,
    /// The number says one kind of document and the kind chosen is the other.
    NumberKindDiffers { number: TypeCode, chosen: TypeCode },
    /// A Party report takes a Party number ("12-BC/QU"), the others a State number ("15/BC-HĐND").
    NumberOfOtherLayout(Layout),
    /// Outside [`Margins::MIN_MM`]..=[`Margins::MAX_MM`].
    MarginOutOfRange,
    /// More lines than [`Overrides::MAX_RECIPIENTS`].
    TooManyRecipients,
}

impl Overrides {
    /// The most recipients a Nơi nhận lists.
    pub const MAX_RECIPIENTS: usize = 30;

    /// Every problem of these settings, by field. `layout` is the report's, when they belong to one report.
    #[must_use]
    pub fn check(&self, layout: Option<Layout>) -> Vec<(SettingsField, SettingsError)> {
        let mut problems = Vec::new();
        let is_report = |k: TypeCode| matches!(k, TypeCode::BaoCao | TypeCode::ThongBao);
        if self.type_code.is_some_and(|k| !is_report(k)) {
            problems.push((SettingsField::TypeCode, SettingsError::NotAReport));
        }
        if let Some(number) = &self.number {
            match (number.type_code(), self.type_code) {
                (Some(kind), _) if !is_report(kind) => {
                    problems.push((SettingsField::Number, SettingsError::NotAReport));
                }
                (None, _) => problems.push((SettingsField::Number, SettingsError::NotAReport)),
                (Some(kind), Some(chosen)) if kind != chosen && is_report(chosen) => {
                    problems.push((SettingsField::Number, SettingsError::NumberKindDiffers { number: kind, chosen }));
                }
                _ => {}
            }
            let system = match layout {
                Some(Layout::Party) => Some(DocSystem::Party),
                Some(Layout::State) => Some(DocSystem::State),
                None => None,
            };
            if let (Some(layout), Some(system)) = (layout, system)
                && number.system() != system
            {
                problems.push((SettingsField::Number, SettingsError::NumberOfOtherLayout(layout)));
            }
        }
        for (field, list) in [
            (SettingsField::Recipients, self.recipients.as_deref().unwrap_or_default()),
            (SettingsField::StandingRecipients, self.standing_recipients.as_slice()),
        ] {
            if list.len() > Overrides::MAX_RECIPIENTS {
                problems.push((field, SettingsError::TooManyRecipients));
            }
        }
        for (field, value) in [
            (SettingsField::MarginTop, self.margin_top_mm),
            (SettingsField::MarginBottom, self.margin_bottom_mm),
            (SettingsField::MarginLeft, self.margin_left_mm),
            (SettingsField::MarginRight, self.margin_right_mm),
        ] {
            if value.is_some_and(|v| !(Margins::MIN_MM..=Margins::MAX_MM).contains(&v)) {
                problems.push((field, SettingsError::MarginOutOfRange));
            }
        }
        problems
    }
}

/// One recipient a line, as people type a Nơi nhận: the leading "-" and the closing "," ";" "." are the
/// layout's, so they are taken off; blank lines are dropped.
#[must_use]
pub fn recipient_list(text: &str) -> Vec<String> {
    text.lines()
        .map(|line| {
            line.trim().trim_start_matches(['-', '–', '+', '•']).trim().trim_end_matches([',', ';', '.']).trim()
        })
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect()
}

/// "Đảng ủy các phường: Đồng Xuân, Hàng Bạc, Tràng Tiền"; "UBND 150 xã được giám sát"; else one line per unit
/// ("Đảng ủy phường Bạch Mai", "Sở Y tế").
fn supervised_recipients(mission: &Mission, layout: Layout) -> Vec<String> {
    let targets = &mission.targets;
    let Some(first) = targets.first() else {
        return Vec::new();
    };
    let body = match layout {
        Layout::Party => w::PARTY_COMMITTEE_OF,
        Layout::State => w::PEOPLES_COMMITTEE_OF,
    };
    let territorial = |k: TargetKind| matches!(k, TargetKind::Ward | TargetKind::Commune | TargetKind::SpecialZone);
    if targets.len() > MAX_LISTED_TARGETS {
        return vec![match labels::kind_word(first.kind) {
            Some(word) if targets.iter().all(|t| t.kind == first.kind) => {
                format!("{body} {} {word} {}", targets.len(), w::SUPERVISED_SUFFIX)
            }
            _ => format!("{} {} {}", capitalize_first(w::THE), article::all_units(targets), w::SUPERVISED_SUFFIX),
        }];
    }
    if targets.len() > 1 && territorial(first.kind) && targets.iter().all(|t| t.kind == first.kind) {
        let word = labels::kind_word(first.kind).unwrap_or_default();
        let names: Vec<String> =
            targets.iter().map(|t| article::single_name(t).trim_start_matches(word).trim().to_owned()).collect();
        return vec![format!("{body} {} {word}: {}", w::THE, names.join(", "))];
    }
    targets
        .iter()
        .map(|t| {
            let name = article::single_name(t);
            if territorial(t.kind) { format!("{body} {name}") } else { capitalize_first(&name) }
        })
        .collect()
}

/// A header line and whether it is set in bold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeaderLine {
    pub text: String,
    pub bold: bool,
}

/// A numbered or unnumbered part of a section: its heading ("1. Ưu điểm") and its paragraphs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Part {
    pub heading: Option<String>,
    pub paragraphs: Vec<String>,
}

/// A section of the body ("I. KẾT QUẢ GIÁM SÁT").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    pub heading: String,
    pub parts: Vec<Part>,
}

/// The signature block: "T/M BAN THƯỜNG VỤ" / "PHÓ BÍ THƯ" / name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Signature {
    pub authority: String,
    pub title: String,
    pub name: String,
}

/// A formal report, line by line, ready for a renderer. Text is plain (never markup): renderers escape it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FormalReport {
    pub layout: Layout,
    pub margins: Margins,
    /// Top left: the superior body (plain) and the issuing body (bold), in capitals.
    pub issuer_lines: Vec<HeaderLine>,
    /// Under the issuing body: the asterisk of a Party document; `None` for a State one, which draws a rule.
    pub issuer_mark: Option<String>,
    /// "Số 12-BC/QU", "Số: 15/BC-HĐND".
    pub number: String,
    /// Top right: "ĐẢNG CỘNG SẢN VIỆT NAM", or the Quốc hiệu and the Tiêu ngữ; a rule follows the last line.
    pub national_lines: Vec<HeaderLine>,
    /// "Hoàn Kiếm, ngày 26 tháng 3 năm 2021", set in italics.
    pub place_date: String,
    /// "BÁO CÁO".
    pub doc_type: String,
    /// The trích yếu: "kết quả giám sát … tại 3 phường: …".
    pub summary: String,
    pub opening: Vec<String>,
    pub sections: Vec<Section>,
    pub recipients_heading: String,
    /// The Nơi nhận lines, punctuated: "- Đảng ủy các phường: …,", "- Lưu Văn phòng Quận ủy.".
    pub recipients: Vec<String>,
    pub signature: Signature,
}

impl FormalReport {
    /// The document's title for a window or file: "BÁO CÁO kết quả giám sát …".
    #[must_use]
    pub fn title(&self) -> String {
        format!("{} {}", self.doc_type, self.summary)
    }

    /// A file name without diacritics or spaces: "bao-cao-12-bc-qu", "bao-cao-ket-qua-giam-sat" without number.
    #[must_use]
    pub fn file_stem(&self, number: Option<&DocumentNumber>) -> String {
        let base = match number {
            Some(n) => format!("{} {}", self.doc_type, n.canonical()),
            None => format!("{} {}", self.doc_type, w::RESULT_OF_SUPERVISION),
        };
        let folded = crate::text::fold(&base);
        let mut out = String::new();
        for c in folded.chars() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            } else if !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
        }
        out.trim_end_matches('-').to_owned()
    }
}

/// Builds the formal report of `mission` with `settings`. Never fails, never panics.
#[must_use]
pub fn build(mission: &Mission, settings: &FormalSettings) -> FormalReport {
    let layout = Layout::of(mission.system);
    FormalReport {
        layout,
        margins: settings.margins,
        issuer_lines: issuer_lines(mission),
        issuer_mark: (layout == Layout::Party).then(|| "*".to_owned()),
        number: number_line(layout, settings),
        national_lines: match layout {
            Layout::Party => vec![HeaderLine { text: w::PARTY_TITLE.to_owned(), bold: true }],
            Layout::State => vec![
                HeaderLine { text: w::STATE_MOTTO_NATION.to_owned(), bold: true },
                HeaderLine { text: w::STATE_MOTTO.to_owned(), bold: true },
            ],
        },
        place_date: place_date(mission, settings),
        doc_type: settings.type_code.name_vi().to_uppercase(),
        summary: summary(mission),
        opening: opening(mission),
        sections: vec![results_section(mission), assessment_section(mission, layout), recommendations_section(mission)],
        recipients_heading: w::RECIPIENTS_HEADING.to_owned(),
        recipients: recipient_lines(layout, &settings.recipients),
        signature: Signature {
            authority: settings.authority.trim().to_uppercase(),
            title: settings.signer_title.trim().to_uppercase(),
            name: settings.signer_name.trim().to_owned(),
        },
    }
}

fn issuer_lines(mission: &Mission) -> Vec<HeaderLine> {
    let owner = &mission.owner;
    let mut lines: Vec<HeaderLine> = owner
        .parent
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| HeaderLine { text: p.to_uppercase(), bold: false })
        .into_iter()
        .collect();
    lines.push(HeaderLine { text: owner.name.trim().to_uppercase(), bold: true });
    lines
}

fn number_line(layout: Layout, settings: &FormalSettings) -> String {
    let code = settings.type_code.as_str();
    let issuer = settings.issuer_code.as_deref().map(str::trim).filter(|s| !s.is_empty());
    match (layout, &settings.number, issuer) {
        (Layout::Party, Some(n), _) => format!("{} {}", w::PARTY_NUMBER_WORD, n.canonical()),
        (Layout::State, Some(n), _) => format!("{} {}", w::STATE_NUMBER_WORD, n.canonical()),
        (Layout::Party, None, Some(issuer)) => format!("{} {}-{code}/{issuer}", w::PARTY_NUMBER_WORD, w::NUMBER_BLANK),
        (Layout::State, None, Some(issuer)) => format!("{} {}/{code}-{issuer}", w::STATE_NUMBER_WORD, w::NUMBER_BLANK),
        (Layout::Party, None, None) => format!("{} {}", w::PARTY_NUMBER_WORD, w::NUMBER_BLANK),
        (Layout::State, None, None) => format!("{} {}", w::STATE_NUMBER_WORD, w::NUMBER_BLANK),
    }
}

/// "Hoàn Kiếm, ngày 26 tháng 3 năm 2021"; without a date, day and month blank and the year of the fieldwork
/// (or of the decision) when known.
fn place_date(mission: &Mission, settings: &FormalSettings) -> String {
    let when = match settings.date {
        Some(day) => date::format_long(day),
        None => {
            let year = mission.fieldwork.to().or(mission.fieldwork.from()).or(mission.decision.issued_on);
            match year {
                Some(day) => format!("{} {}", w::DATE_BLANK_DAY, day.year()),
                None => format!("{}      ", w::DATE_BLANK_DAY),
            }
        }
    };
    match settings.place.trim() {
        "" => when,
        place => format!("{place}, {when}"),
    }
}

/// "kết quả giám sát công tác … tại 3 phường: Đồng Xuân, Hàng Bạc và Tràng Tiền".
fn summary(mission: &Mission) -> String {
    let subject = article::clause(&mission.subject);
    let targets = article::targets_phrase(&mission.targets, mission.targets.len() <= MAX_LISTED_TARGETS);
    [w::RESULT_OF_SUPERVISION, subject, targets.as_deref().unwrap_or("")]
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The lead of the article (citation, dates, team, subject, targets), the team's composition, then the turn to
/// the results.
fn opening(mission: &Mission) -> Vec<String> {
    let mut paragraphs = vec![article::lead(mission)];
    paragraphs.extend(article::composition(mission));
    paragraphs.push(w::RESULTS_AS_FOLLOWS.to_owned());
    paragraphs.retain(|p| !p.trim().is_empty());
    paragraphs
}

/// I: the working sessions, one a line; without sessions, where the team supervised.
fn results_section(mission: &Mission) -> Section {
    let mut paragraphs: Vec<String> = mission
        .sessions
        .iter()
        .filter_map(|s| {
            let target = mission.targets.get(s.target)?;
            let verb = match s.modality {
                Some(SessionModality::Direct) => w::WORKED_DIRECTLY_WITH,
                Some(SessionModality::Reports) => w::REVIEWED_REPORT_OF,
                None => w::WORKED_WITH,
            };
            let action = format!("{verb} {}", article::single_name(target));
            let line = match s.date {
                Some(day) => format!("{} {}, {action}", w::ON_DAY, date::format_short(day)),
                None => capitalize_first(&action),
            };
            let line = match s.minutes.as_deref().map(article::clause).filter(|m| !m.is_empty()) {
                Some(minutes) => format!("{line}: {minutes}"),
                None => line,
            };
            Some(format!("- {}", article::end_sentence(&line)))
        })
        .collect();
    if paragraphs.is_empty() {
        let team = article::team_name(mission);
        let targets = article::targets_phrase(&mission.targets, mission.targets.len() <= MAX_LISTED_TARGETS);
        paragraphs.push(match targets {
            Some(targets) => article::end_sentence(&format!("{team} {} {targets}", w::SUPERVISED)),
            None => w::NOTHING_YET.to_owned(),
        });
    }
    Section { heading: w::SECTION_RESULTS.to_owned(), parts: vec![Part { heading: None, paragraphs }] }
}

/// II: strengths, shortcomings and causes, one finding a line; "Không có." for a kind recorded as none.
fn assessment_section(mission: &Mission, layout: Layout) -> Section {
    let (strengths, shortcomings) = match layout {
        Layout::Party => (w::PARTY_STRENGTHS, w::PARTY_SHORTCOMINGS),
        Layout::State => (w::STATE_STRENGTHS, w::STATE_SHORTCOMINGS),
    };
    let part = |kind: FindingKind, heading: &str| {
        let mut paragraphs: Vec<String> = mission
            .findings
            .iter()
            .filter(|f| f.kind == kind)
            .map(|f| article::finding_clause(mission, f))
            .filter(|c| !c.is_empty())
            .map(|c| format!("- {}", article::end_sentence(&capitalize_first(&c))))
            .collect();
        if paragraphs.is_empty() {
            let none = mission.findings_none_recorded.contains(&kind);
            paragraphs.push((if none { w::NONE_RECORDED } else { w::NOTHING_YET }).to_owned());
        }
        Part { heading: Some(heading.to_owned()), paragraphs }
    };
    Section {
        heading: w::SECTION_ASSESSMENT.to_owned(),
        parts: vec![
            part(FindingKind::Strength, strengths),
            part(FindingKind::Shortcoming, shortcomings),
            part(FindingKind::Cause, w::CAUSES),
        ],
    }
}

/// III: every recommendation, upward and downward, grouped by its addressees in order of first appearance.
fn recommendations_section(mission: &Mission) -> Section {
    let items = mission.recommendations.iter().map(|r| (r.addressees.clone(), article::clause(&r.text)));
    let groups = article::group_by(items.filter(|(_, t)| !t.is_empty()));
    let mut parts: Vec<Part> = Vec::new();
    if let Some(preamble) = mission.conclusion_preamble.as_deref().map(article::clause).filter(|p| !p.is_empty())
        && !groups.is_empty()
    {
        let intro = format!("{preamble}, {} {}", article::team_name(mission), w::RECOMMENDS);
        parts.push(Part { heading: None, paragraphs: vec![capitalize_first(&intro)] });
    }
    for (i, (addressees, texts)) in groups.into_iter().enumerate() {
        let to = match article::join_addressees(&addressees) {
            joined if joined.is_empty() => w::ADDRESSEE_UNNAMED.to_owned(),
            joined => format!("{} {joined}", w::FOR_ADDRESSEE),
        };
        let paragraphs = texts.iter().map(|t| format!("- {}", article::end_sentence(&capitalize_first(t)))).collect();
        parts.push(Part { heading: Some(format!("{}. {to}", i + 1)), paragraphs });
    }
    if parts.is_empty() {
        parts.push(Part { heading: None, paragraphs: vec![w::NOTHING_YET.to_owned()] });
    }
    Section { heading: w::SECTION_RECOMMENDATIONS.to_owned(), parts }
}

/// "- A," … "- Lưu …." for a Party document; "- A;" … "- Lưu: VT." for a State one.
fn recipient_lines(layout: Layout, recipients: &[String]) -> Vec<String> {
    let items: Vec<&str> = recipients.iter().map(|r| article::clause(r.trim_start_matches(['-', ' ']))).collect();
    let items: Vec<&str> = items.into_iter().filter(|r| !r.is_empty()).collect();
    let between = match layout {
        Layout::Party => ',',
        Layout::State => ';',
    };
    let last = items.len().saturating_sub(1);
    items
        .iter()
        .enumerate()
        .map(|(i, r)| if i == last { format!("- {r}.") } else { format!("- {r}{between}") })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::interchange;

    const SEED_JSON: &str = include_str!("../../../tests/fixtures/seed-mission.json");

    fn seed_value() -> Value {
        serde_json::from_str(SEED_JSON).expect("the seed is JSON")
    }

    fn mission_of(value: &Value) -> Mission {
        interchange::parse(value.to_string().as_bytes()).unwrap_or_else(|e| panic!("variant refused: {e}"))
    }

    fn seed() -> Mission {
        mission_of(&seed_value())
    }

    fn pretty(report: &FormalReport) -> String {
        serde_json::to_string_pretty(report).expect("a report serialises")
    }

    /// The settings of the domain brief's example: "Số 12-BC/QU", 26/3/2021, signed for the Ban Thường vụ.
    fn seed_settings(mission: &Mission) -> FormalSettings {
        FormalSettings {
            number: Some(DocumentNumber::parse("12-BC/QU").expect("valid number")),
            date: NaiveDate::from_ymd_opt(2021, 3, 26),
            authority: "T/M BAN THƯỜNG VỤ".to_owned(),
            signer_title: "PHÓ BÍ THƯ".to_owned(),
            signer_name: "Nguyễn Thị Phương Chung".to_owned(),
            recipients: vec![
                "Thường trực Thành ủy (để báo cáo)".to_owned(),
                "Đảng ủy các phường: Đồng Xuân, Hàng Bạc, Tràng Tiền".to_owned(),
                "Lưu Văn phòng Quận ủy".to_owned(),
            ],
            ..FormalSettings::for_mission(mission)
        }
    }

    fn council() -> Value {
        let mut v = seed_value();
        v["owner"] = json!({ "name": "Hội đồng nhân dân quận Hai Bà Trưng", "short_name": "HĐND quận",
                             "parent": null, "place": "Hai Bà Trưng" });
        v["system"] = json!("council");
        v["decision"] = json!({ "number": "10/QĐ-HĐND", "issued_on": "2023-10-02", "issuer": "Thường trực HĐND quận",
                                "summary": "thành lập Đoàn giám sát việc giải quyết kiến nghị cử tri" });
        v["supervising_body"] = json!("Thường trực HĐND quận");
        v["team"] = json!({ "name": null, "ordinal": null });
        v["subject"] = json!("việc giải quyết kiến nghị của cử tri");
        v["fieldwork"] = json!({ "from": "2023-10-16", "to": "2023-10-20" });
        v["members"] = json!([{ "name": "Trần Văn Bình", "role": "leader", "position": "Phó Chủ tịch HĐND quận" }]);
        v["targets"] = json!([{ "kind": "agency", "name": "UBND quận Hai Bà Trưng" },
                              { "kind": "ward", "name": "Bạch Mai" }]);
        v["sessions"] = json!([{ "target": "Bạch Mai", "date": "2023-10-16", "modality": "direct", "photos": [] }]);
        v["findings"] = json!([
            { "kind": "shortcoming", "targets": ["Bạch Mai"], "text": "một số kiến nghị còn chậm được trả lời" }]);
        v["findings_none_recorded"] = json!(["cause"]);
        v["conclusion_preamble"] = Value::Null;
        v["recommendations"] = json!([{ "direction": "downward", "issuer": null,
            "addressees": ["UBND quận"], "text": "chỉ đạo trả lời dứt điểm các kiến nghị tồn đọng" }]);
        v
    }

    #[test]
    fn seed_report_has_the_party_header_blocks() {
        let mission = seed();
        let report = build(&mission, &seed_settings(&mission));
        assert_eq!(report.layout, Layout::Party);
        assert_eq!(report.issuer_lines[0].text, "ĐẢNG BỘ THÀNH PHỐ HÀ NỘI");
        assert_eq!(report.issuer_lines[1], HeaderLine { text: "QUẬN ỦY HOÀN KIẾM".to_owned(), bold: true });
        assert_eq!(report.issuer_mark.as_deref(), Some("*"));
        assert_eq!(report.number, "Số 12-BC/QU");
        assert_eq!(report.national_lines[0].text, "ĐẢNG CỘNG SẢN VIỆT NAM");
        assert_eq!(report.place_date, "Hoàn Kiếm, ngày 26 tháng 3 năm 2021");
        assert_eq!(report.doc_type, "BÁO CÁO");
        assert!(report.summary.starts_with("kết quả giám sát công tác lãnh đạo, chỉ đạo việc chuẩn bị"));
        assert!(report.summary.ends_with("tại 3 phường: Đồng Xuân, Hàng Bạc và Tràng Tiền"), "{}", report.summary);
        assert_eq!(report.signature.authority, "T/M BAN THƯỜNG VỤ");
        assert_eq!(report.recipients.last().map(String::as_str), Some("- Lưu Văn phòng Quận ủy."));
        assert_eq!(report.recipients[0], "- Thường trực Thành ủy (để báo cáo),");
    }

    #[test]
    fn seed_opening_is_the_article_lead_and_every_recommendation_appears_once() {
        let mission = seed();
        let report = build(&mission, &seed_settings(&mission));
        assert_eq!(report.opening[0], crate::article::compose(&mission).lead);
        let body: Vec<&String> = report.sections.iter().flat_map(|s| &s.parts).flat_map(|p| &p.paragraphs).collect();
        for rec in &mission.recommendations {
            let hits = body.iter().filter(|p| p.to_lowercase().contains(&rec.text.to_lowercase())).count();
            assert_eq!(hits, 1, "{}", rec.text);
        }
        let headings: Vec<&str> = report.sections[2].parts.iter().filter_map(|p| p.heading.as_deref()).collect();
        assert_eq!(
            headings,
            ["1. Đối với Quận ủy, Ủy ban Bầu cử quận", "2. Đối với Đảng ủy, Ban Chỉ đạo bầu cử các phường"]
        );
    }

    #[test]
    fn default_settings_sign_for_the_team_and_leave_number_and_date_blank() {
        let mission = seed();
        let settings = FormalSettings::for_mission(&mission);
        assert_eq!(settings.signer_name, "Nguyễn Thị Phương Chung");
        assert_eq!(settings.issuer_code.as_deref(), Some("QU"));
        let report = build(&mission, &settings);
        assert_eq!(report.number, "Số      -BC/QU");
        assert_eq!(report.place_date, "Hoàn Kiếm, ngày      tháng      năm 2021");
        assert_eq!(report.signature.authority, "T/M ĐOÀN GIÁM SÁT");
        assert_eq!(report.signature.title, "TRƯỞNG ĐOÀN");
        assert_eq!(
            report.recipients,
            ["- Đảng ủy các phường: Đồng Xuân, Hàng Bạc, Tràng Tiền,", "- Lưu Văn phòng Quận ủy."]
        );
    }

    #[test]
    fn organisation_then_report_settings_override_the_mission_defaults() {
        let mission = seed();
        let organisation = Overrides {
            authority: Some("T/M Ban Thường vụ".to_owned()),
            signer_title: Some("Phó Bí thư".to_owned()),
            signer_name: Some("Nguyễn Văn A".to_owned()),
            standing_recipients: vec!["Thường trực Thành ủy (để báo cáo)".to_owned()],
            margin_left_mm: Some(35),
            ..Overrides::default()
        };
        let settings = FormalSettings::resolve(&mission, &organisation, &Overrides::default());
        assert_eq!(settings.signer_name, "Nguyễn Văn A");
        assert_eq!(settings.margins, Margins { left_mm: 35, ..Margins::OFFICIAL });
        let report = build(&mission, &settings);
        assert_eq!(report.signature.authority, "T/M BAN THƯỜNG VỤ");
        assert_eq!(
            report.recipients,
            [
                "- Thường trực Thành ủy (để báo cáo),",
                "- Đảng ủy các phường: Đồng Xuân, Hàng Bạc, Tràng Tiền,",
                "- Lưu Văn phòng Quận ủy."
            ]
        );
        let own = Overrides {
            number: Some(DocumentNumber::parse("7-TB/QU").expect("valid number")),
            date: NaiveDate::from_ymd_opt(2021, 4, 2),
            signer_name: Some("Trần Thị B".to_owned()),
            recipients: Some(vec!["Đảng ủy phường Hàng Bạc".to_owned(), "Lưu Văn phòng Quận ủy".to_owned()]),
            ..Overrides::default()
        };
        let settings = FormalSettings::resolve(&mission, &organisation, &own);
        assert_eq!(settings.type_code, TypeCode::ThongBao, "the number's kind wins");
        let report = build(&mission, &settings);
        assert_eq!(report.number, "Số 7-TB/QU");
        assert_eq!(report.doc_type, "THÔNG BÁO");
        assert_eq!(report.place_date, "Hoàn Kiếm, ngày 02 tháng 4 năm 2021");
        assert_eq!(report.signature.name, "Trần Thị B");
        assert_eq!(report.signature.title, "PHÓ BÍ THƯ", "what the report leaves alone is inherited");
        assert_eq!(report.recipients, ["- Đảng ủy phường Hàng Bạc,", "- Lưu Văn phòng Quận ủy."]);
    }

    #[test]
    fn settings_are_checked_field_by_field() {
        let party = |n: &str| Overrides {
            number: Some(DocumentNumber::parse(n).expect("valid number")),
            ..Overrides::default()
        };
        assert!(party("12-BC/QU").check(Some(Layout::Party)).is_empty());
        assert_eq!(
            party("15/BC-HĐND").check(Some(Layout::Party)),
            [(SettingsField::Number, SettingsError::NumberOfOtherLayout(Layout::Party))]
        );
        assert_eq!(party("109-QĐ/QU").check(None), [(SettingsField::Number, SettingsError::NotAReport)]);
        assert_eq!(party("628/HĐND-VHXH").check(None), [(SettingsField::Number, SettingsError::NotAReport)]);
        let differs = Overrides { type_code: Some(TypeCode::ThongBao), ..party("12-BC/QU") };
        assert_eq!(
            differs.check(Some(Layout::Party)),
            [(
                SettingsField::Number,
                SettingsError::NumberKindDiffers { number: TypeCode::BaoCao, chosen: TypeCode::ThongBao }
            )]
        );
        let wrong = Overrides {
            type_code: Some(TypeCode::QuyetDinh),
            margin_top_mm: Some(4),
            margin_right_mm: Some(61),
            margin_left_mm: Some(Margins::MAX_MM),
            recipients: Some(vec!["x".to_owned(); Overrides::MAX_RECIPIENTS + 1]),
            ..Overrides::default()
        };
        let fields: Vec<SettingsField> = wrong.check(Some(Layout::State)).into_iter().map(|(f, _)| f).collect();
        assert_eq!(
            fields,
            [SettingsField::TypeCode, SettingsField::Recipients, SettingsField::MarginTop, SettingsField::MarginRight]
        );
        for (_, problem) in wrong.check(None) {
            assert!(!problem.to_string().is_empty());
        }
    }

    #[test]
    fn overrides_round_trip_through_json_and_refuse_unknown_fields() {
        let overrides = Overrides {
            number: Some(DocumentNumber::parse("15/BC-HĐND").expect("valid number")),
            date: NaiveDate::from_ymd_opt(2024, 12, 31),
            recipients: Some(vec!["Sở Y tế".to_owned()]),
            margin_top_mm: Some(25),
            ..Overrides::default()
        };
        let json = serde_json::to_string(&overrides).expect("serialises");
        assert_eq!(serde_json::from_str::<Overrides>(&json).expect("parses"), overrides);
        assert_eq!(serde_json::from_str::<Overrides>("{}").expect("parses"), Overrides::default());
        assert!(serde_json::from_str::<Overrides>(r#"{"signer":"x"}"#).is_err());
        assert!(serde_json::from_str::<Overrides>(r#"{"number":"12-XX/QU"}"#).is_err());
    }

    #[test]
    fn recipients_are_read_one_a_line_without_the_layouts_punctuation() {
        assert_eq!(
            recipient_list("- Thường trực Thành ủy (để báo cáo),\n\n  – Sở Y tế;\n- Lưu: VT.\n"),
            ["Thường trực Thành ủy (để báo cáo)", "Sở Y tế", "Lưu: VT"]
        );
        assert!(recipient_list(" \n-\n").is_empty());
    }

    #[test]
    fn council_report_takes_the_state_layout() {
        let mission = mission_of(&council());
        let mut settings = FormalSettings::for_mission(&mission);
        settings.number = Some(DocumentNumber::parse("15/BC-HĐND").expect("valid number"));
        settings.authority = "TM. Thường trực HĐND".to_owned();
        let report = build(&mission, &settings);
        assert_eq!(report.layout, Layout::State);
        assert_eq!(report.number, "Số: 15/BC-HĐND");
        assert_eq!(report.issuer_mark, None);
        assert_eq!(report.national_lines[1].text, "Độc lập - Tự do - Hạnh phúc");
        assert_eq!(report.signature.authority, "TM. THƯỜNG TRỰC HĐND");
        assert_eq!(report.recipients.last().map(String::as_str), Some("- Lưu: VT."));
        assert!(report.recipients[0].ends_with(';'), "{:?}", report.recipients);
        assert_eq!(report.sections[1].parts[2].paragraphs, ["Không có."]);
    }

    #[test]
    fn file_stem_is_ascii() {
        let mission = seed();
        let settings = seed_settings(&mission);
        let report = build(&mission, &settings);
        assert_eq!(report.file_stem(settings.number.as_ref()), "bao-cao-12-bc-qu");
        assert_eq!(report.file_stem(None), "bao-cao-ket-qua-giam-sat");
    }

    #[test]
    fn golden_seed() {
        let mission = seed();
        insta::assert_snapshot!(pretty(&build(&mission, &seed_settings(&mission))));
    }

    #[test]
    fn golden_council() {
        let mission = mission_of(&council());
        insta::assert_snapshot!(pretty(&build(&mission, &FormalSettings::for_mission(&mission))));
    }

    #[test]
    fn golden_no_findings() {
        let mut v = seed_value();
        v["findings"] = json!([]);
        v["recommendations"] = json!([]);
        v["conclusion_preamble"] = Value::Null;
        let mission = mission_of(&v);
        insta::assert_snapshot!(pretty(&build(&mission, &FormalSettings::for_mission(&mission))));
    }

    #[test]
    fn golden_no_decision_date() {
        let mut v = seed_value();
        v["decision"]["issued_on"] = Value::Null;
        v["fieldwork"] = json!({ "from": null, "to": null });
        let mission = mission_of(&v);
        insta::assert_snapshot!(pretty(&build(&mission, &FormalSettings::for_mission(&mission))));
    }

    #[test]
    fn golden_many_targets() {
        let mut v = seed_value();
        let names: Vec<Value> = (1..=150).map(|i| json!({ "kind": "commune", "name": format!("Xã số {i}") })).collect();
        v["targets"] = Value::Array(names);
        v["sessions"] = json!([]);
        let mission = mission_of(&v);
        let report = build(&mission, &FormalSettings::for_mission(&mission));
        assert!(report.summary.ends_with("tại 150 xã"), "{}", report.summary);
        assert_eq!(report.recipients[0], "- Đảng ủy 150 xã được giám sát,");
        insta::assert_snapshot!(pretty(&report));
    }
}
