//! The formal report (báo cáo / thông báo kết quả giám sát) in the official layout: a Party document per Hướng
//! dẫn 36-HD/VPTW or a State / People's Council document per Nghị định 30/2020/NĐ-CP (domain brief §4.1, §4.2).
//!
//! [`build`] turns a mission and its [`FormalSettings`] into a [`FormalReport`]: every line of the document as
//! text, in order, with the layout that decides how renderers set it. It is built from the same data as the news
//! article (and reuses its sentences), so the two cannot tell different facts. It never fails: what is missing
//! is left blank for the clerk (number, date) or said plainly ("Chưa có đánh giá về nguyên nhân.").

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::article::{self, Stage};
use crate::codes::{FindingKind, SessionModality, SupervisionSystem, TargetKind};
use crate::date;
use crate::docnum::{DocSystem, DocumentNumber, TypeCode};
use crate::messages::formal as w;
use crate::messages::labels;
use crate::mission::{Mission, Origin};
use crate::text::{capitalize_first, fold};

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
    /// The defaults a mission implies: its place; whoever supervised signing (the team's leader for a named
    /// team, the head of the supervising body for a body that supervised as itself, never an unnamed "TRƯỞNG
    /// ĐOÀN"); as recipients the body the report goes to ("để báo cáo"), the supervised units and the archive;
    /// the official margins, no number and no date.
    #[must_use]
    pub fn for_mission(mission: &Mission) -> FormalSettings {
        let layout = Layout::of(mission.system);
        let (authority, signer_title, signer_name) = signatory(mission, layout);
        let mut recipients: Vec<String> = reporting_to(mission).into_iter().collect();
        recipients.extend(supervised_recipients(mission, layout));
        recipients.push(archive(mission, layout));
        let decision_system = match layout {
            Layout::Party => DocSystem::Party,
            Layout::State => DocSystem::State,
        };
        let issuer_code = mission
            .decision
            .number
            .as_ref()
            .filter(|n| n.system() == decision_system)
            .map(|n| n.issuer().to_owned())
            .or_else(|| match mission.system {
                SupervisionSystem::Party => party_code(mission),
                SupervisionSystem::Council => Some(w::COUNCIL_CODE.to_owned()),
                SupervisionSystem::Front => Some(w::FRONT_CODE.to_owned()),
            });
        FormalSettings {
            number: None,
            issuer_code,
            type_code: TypeCode::BaoCao,
            date: None,
            place: mission.owner.place.trim().to_owned(),
            authority,
            signer_title,
            signer_name,
            recipients,
            margins: Margins::OFFICIAL,
        }
    }
}

/// The signature block's authority, title and name. A named team signs for the team, its leader as "TRƯỞNG ĐOÀN"
/// ("TỔ TRƯỞNG"), with no title when no leader is known; a body that supervised as itself signs for the body
/// ("TM. BAN VĂN HÓA - XÃ HỘI"), with the title the leader's position gives ("TRƯỞNG BAN", "PHÓ CHỦ TỊCH"),
/// else the head's title and no name.
fn signatory(mission: &Mission, layout: Layout) -> (String, String, String) {
    let leader = article::leader_name(mission);
    let leader_name = leader.map(|(name, _)| name.to_owned()).unwrap_or_default();
    if mission.team.name.as_deref().is_some_and(|n| !n.trim().is_empty()) {
        let group = mission.team.is_working_group();
        let authority = match (layout, group) {
            (Layout::Party, false) => w::PARTY_FOR_TEAM,
            (Layout::Party, true) => w::PARTY_FOR_GROUP,
            (Layout::State, false) => w::STATE_FOR_TEAM,
            (Layout::State, true) => w::STATE_FOR_GROUP,
        };
        let title = match (&leader, group) {
            (None, _) => "",
            (Some(_), false) => w::TEAM_LEADER,
            (Some(_), true) => w::GROUP_LEADER,
        };
        return (authority.to_owned(), title.to_owned(), leader_name);
    }
    let body = article::body(mission);
    let prefix = match layout {
        Layout::Party => w::PARTY_FOR,
        Layout::State => w::STATE_FOR,
    };
    let authority = format!("{prefix} {}", header_case(&short_body(body)));
    let folded = fold(body);
    let titles = w::SIGNING_TITLES
        .iter()
        .find(|(start, _)| folded == *start || folded.starts_with(&format!("{start} ")))
        .map(|(_, titles)| *titles)
        .unwrap_or_default();
    let position = leader.and_then(|(_, p)| p).map(fold).unwrap_or_default();
    let held = titles.iter().find(|(words, _)| format!(" {position} ").contains(&format!(" {words} ")));
    match (held, titles.last()) {
        (Some((_, title)), _) => (authority, (*title).to_owned(), leader_name),
        (None, Some((_, head))) => (authority, (*head).to_owned(), String::new()),
        (None, None) => (authority, String::new(), leader_name),
    }
}

/// A body's name without the body it belongs to: "Ban Văn hóa - Xã hội HĐND tỉnh" → "Ban Văn hóa - Xã hội",
/// "Ban Dân vận Huyện ủy" → "Ban Dân vận"; "Thường trực HĐND tỉnh" keeps its parent's kind: "Thường trực HĐND".
fn short_body(body: &str) -> String {
    let words: Vec<&str> = body.split_whitespace().collect();
    let folded: Vec<String> = words.iter().map(|w| fold(w)).collect();
    for at in 1..words.len() {
        for marker in w::PARENT_MARKERS_FOLDED {
            let marker_words: Vec<&str> = marker.split_whitespace().collect();
            let hit = folded
                .get(at..at + marker_words.len())
                .is_some_and(|run| run.iter().zip(&marker_words).all(|(a, b)| a == b));
            if !hit {
                continue;
            }
            let head = folded.get(..at).map(|h| h.join(" ")).unwrap_or_default();
            let end = if head == w::STANDING_FOLDED { at + marker_words.len() } else { at };
            return words.get(..end).map(|k| k.join(" ")).unwrap_or_default();
        }
    }
    body.to_owned()
}

/// Upper case with one tone placement: "Huyện uỷ" → "HUYỆN ỦY".
fn header_case(s: &str) -> String {
    crate::text::modern_tones(&s.trim().to_uppercase())
}

/// The body the report is sent to "để báo cáo": the body whose team it is, or, for a body reporting on its own
/// supervision, the body that ordered it (the launching document's issuer) or its superior.
fn reporting_to(mission: &Mission) -> Option<String> {
    let body = article::body(mission);
    let team_named = mission.team.name.as_deref().is_some_and(|n| !n.trim().is_empty());
    let to = if team_named {
        Some(body.to_owned())
    } else {
        let issuer = mission.decision.issuer.as_deref().map(str::trim).filter(|i| !i.is_empty());
        match issuer {
            Some(issuer) if fold(issuer) != fold(body) => Some(issuer.to_owned()),
            _ => mission
                .owner
                .parent
                .as_deref()
                .map(str::trim)
                .filter(|p| !p.is_empty() && !fold(p).starts_with(w::PARTY_ORGANISATION_FOLDED))
                .map(str::to_owned),
        }
    };
    to.filter(|t| !t.is_empty()).map(|t| format!("{} {}", capitalize_first(&t), w::FOR_REPORTING))
}

/// "Lưu Văn phòng Quận ủy" for a committee, "Lưu Ban Dân vận" for a body without an office of its own, "Lưu: VT"
/// for a State document.
fn archive(mission: &Mission, layout: Layout) -> String {
    if layout == Layout::State {
        return w::STATE_ARCHIVE.to_owned();
    }
    let short = mission.owner.short_name.trim();
    let folded = fold(short);
    let committee = folded.ends_with(w::COMMITTEE_FOLDED)
        && !w::NOT_A_COMMITTEE_FOLDED.iter().any(|start| folded.starts_with(start));
    if committee || short.is_empty() {
        format!("{} {short}", w::PARTY_ARCHIVE).trim().to_owned()
    } else {
        format!("{} {short}", w::PARTY_ARCHIVE_OWN)
    }
}

/// The Party code of the owner, for a number without a decision to take it from: the initials of its name
/// without the place ("Quận ủy Hoàn Kiếm" → "QU", "Ban Dân vận Huyện ủy Thạch Thất" → "BDVHU", "Đảng ủy phường X"
/// → "ĐU").
fn party_code(mission: &Mission) -> Option<String> {
    let owner = &mission.owner;
    let place = fold(owner.place.trim());
    let mut name = fold(owner.name.trim());
    if !place.is_empty() && name.ends_with(&format!(" {place}")) {
        name.truncate(name.len() - place.len() - 1);
    }
    let mut words: Vec<&str> = name.split_whitespace().collect();
    if let Some(cut) = w::LOCALITY_WORDS_FOLDED
        .iter()
        .filter_map(|kind| {
            let kind_words: Vec<&str> = kind.split_whitespace().collect();
            (1..words.len()).find(|&i| words.get(i..i + kind_words.len()) == Some(kind_words.as_slice()))
        })
        .min()
    {
        words.truncate(cut);
    }
    let original: Vec<char> = owner.name.split_whitespace().filter_map(|w| w.chars().next()).collect();
    let code: String = words
        .iter()
        .enumerate()
        .filter_map(|(i, w)| {
            let first = w.chars().next()?;
            // "Đ" folds to "d": the original letter tells them apart.
            let letter = if original.get(i).is_some_and(|c| matches!(c, 'Đ' | 'đ')) { 'Đ' } else { first };
            Some(letter.to_uppercase().collect::<String>())
        })
        .collect();
    (!code.is_empty()).then_some(code)
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
/// ("Đảng ủy phường Bạch Mai", "UBND huyện Bến Cầu", "Sở Y tế", "UBND các quận, huyện, thị xã"), each a name
/// with its capital.
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
    let one_kind = targets.iter().all(|t| t.kind == first.kind);
    if targets.len() > MAX_LISTED_TARGETS {
        return vec![match labels::kind_word(first.kind) {
            Some(word) if one_kind => format!("{body} {} {word} {}", targets.len(), w::SUPERVISED_SUFFIX),
            _ => format!("{} {}", capitalize_first(&article::all_units(targets)), w::SUPERVISED_SUFFIX),
        }];
    }
    if targets.len() > 1 && territorial(first.kind) && one_kind {
        let word = labels::kind_word(first.kind).unwrap_or_default();
        let names: Vec<String> =
            targets.iter().map(|t| article::single_name(t).trim_start_matches(word).trim().to_owned()).collect();
        return vec![format!("{body} {} {word}: {}", w::THE, names.join(", "))];
    }
    targets
        .iter()
        .map(|t| {
            let name = article::single_name(t);
            let seat = territorial(t.kind) || (layout == Layout::State && t.kind == TargetKind::District);
            if seat { format!("{body} {name}") } else { capitalize_first(&name) }
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
    /// Who issues it (the owner, as named): the author a DOCX file's properties carry.
    pub author: String,
    /// The report's date, when given: the date a DOCX file's properties carry.
    pub date: Option<NaiveDate>,
}

impl FormalReport {
    /// The document's title for a window or file: "BÁO CÁO kết quả giám sát …".
    #[must_use]
    pub fn title(&self) -> String {
        format!("{} {}", self.doc_type, self.summary)
    }

    /// The document as plain text, block by block in reading order: the header (left block, then right block),
    /// the document type and trích yếu, the body, the Nơi nhận, the signature. What PDF and DOCX readers extract
    /// and what golden files compare.
    #[must_use]
    pub fn to_text(&self) -> String {
        let mut out: Vec<String> = Vec::new();
        out.extend(self.issuer_lines.iter().map(|l| l.text.clone()));
        out.extend(self.issuer_mark.clone());
        out.push(self.number.clone());
        out.extend(self.national_lines.iter().map(|l| l.text.clone()));
        out.push(self.place_date.clone());
        out.push(String::new());
        out.push(self.doc_type.clone());
        out.push(self.summary.clone());
        out.push(String::new());
        out.extend(self.opening.iter().cloned());
        for section in &self.sections {
            out.push(section.heading.clone());
            for part in &section.parts {
                out.extend(part.heading.clone());
                out.extend(part.paragraphs.iter().cloned());
            }
        }
        out.push(String::new());
        out.push(self.recipients_heading.clone());
        out.extend(self.recipients.iter().cloned());
        out.push(String::new());
        out.extend(
            [&self.signature.authority, &self.signature.title, &self.signature.name]
                .into_iter()
                .filter(|l| !l.is_empty())
                .cloned(),
        );
        let mut text = out.join("\n");
        text.push('\n');
        text
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
        author: mission.owner.name.trim().to_owned(),
        date: settings.date,
    }
}

/// The superior body (plain) and the issuing body (bold), in capitals with abbreviations written in full, one
/// tone placement, and the issuing body without the superior it repeats ("HUYỆN ỦY THẠCH THẤT" over "BAN DÂN
/// VẬN", not "BAN DÂN VẬN HUYỆN UỶ THẠCH THẤT").
fn issuer_lines(mission: &Mission) -> Vec<HeaderLine> {
    let owner = &mission.owner;
    let parent = owner.parent.as_deref().map(str::trim).filter(|p| !p.is_empty());
    let mut name = owner.name.trim();
    if let Some(parent) = parent {
        name = without_trailing(name, parent);
    }
    let mut lines: Vec<HeaderLine> =
        parent.map(|p| HeaderLine { text: header_case(&in_full(p)), bold: false }).into_iter().collect();
    lines.push(HeaderLine { text: header_case(&in_full(name)), bold: true });
    lines
}

/// `name` without a trailing `parent` (compared folded, abbreviations expanded), when something is left.
fn without_trailing<'a>(name: &'a str, parent: &str) -> &'a str {
    let expand = |word: &str| -> Vec<String> {
        let folded = fold(word);
        match w::FOLDED_EXPANSIONS.iter().find(|(short, _)| *short == folded) {
            Some((_, long)) => long.split_whitespace().map(str::to_owned).collect(),
            None => folded.split_whitespace().map(str::to_owned).collect(),
        }
    };
    let parent_words: Vec<String> = parent.split_whitespace().flat_map(expand).collect();
    let starts: Vec<usize> = name
        .char_indices()
        .filter(|&(i, c)| !c.is_whitespace() && (i == 0 || name[..i].ends_with(char::is_whitespace)))
        .map(|(i, _)| i)
        .collect();
    for &start in starts.iter().skip(1) {
        let tail: Vec<String> = name[start..].split_whitespace().flat_map(expand).collect();
        if tail == parent_words {
            return name[..start].trim_end().trim_end_matches([',', '-', '–']).trim_end();
        }
    }
    name
}

/// Abbreviations of a header written in full: "HĐND tỉnh" → "Hội đồng nhân dân tỉnh", "TP." → "Thành phố".
fn in_full(s: &str) -> String {
    s.split_whitespace()
        .map(|word| {
            let bare = word.trim_end_matches([',', ';']);
            match w::HEADER_ABBREVIATIONS.iter().find(|(short, _)| *short == bare) {
                Some((_, long)) => format!("{long}{}", &word[bare.len()..]),
                None => match w::HEADER_ABBREVIATIONS
                    .iter()
                    .find(|(short, _)| short.ends_with('.') && bare.starts_with(short))
                {
                    Some((short, long)) => format!("{long} {}", &word[short.len()..]),
                    None => word.to_owned(),
                },
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// "Số 12-BC/QU"; a number not yet given keeps its kind and issuer for the clerk ("Số      -BC/QU"), never a bare
/// "Số".
fn number_line(layout: Layout, settings: &FormalSettings) -> String {
    let code = settings.type_code.as_str();
    let issuer = settings.issuer_code.as_deref().map(str::trim).filter(|s| !s.is_empty());
    match (layout, &settings.number, issuer) {
        (Layout::Party, Some(n), _) => format!("{} {}", w::PARTY_NUMBER_WORD, n.canonical()),
        (Layout::State, Some(n), _) => format!("{} {}", w::STATE_NUMBER_WORD, n.canonical()),
        (Layout::Party, None, Some(issuer)) => format!("{} {}-{code}/{issuer}", w::PARTY_NUMBER_WORD, w::NUMBER_BLANK),
        (Layout::State, None, Some(issuer)) => format!("{} {}/{code}-{issuer}", w::STATE_NUMBER_WORD, w::NUMBER_BLANK),
        (Layout::Party, None, None) => format!("{} {}-{code}", w::PARTY_NUMBER_WORD, w::NUMBER_BLANK),
        (Layout::State, None, None) => format!("{} {}/{code}", w::STATE_NUMBER_WORD, w::NUMBER_BLANK),
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

/// "kết quả giám sát công tác … tại 3 phường: Đồng Xuân, Hàng Bạc và Tràng Tiền"; a subject that is itself a
/// result ("kết quả thực hiện …") follows as "việc thực hiện …".
fn summary(mission: &Mission) -> String {
    let subject = article::clause(&mission.subject);
    let folded = fold(subject);
    let subject = match folded.strip_prefix(w::RESULT_FOLDED).filter(|rest| rest.starts_with(' ')) {
        Some(_) => {
            let rest: Vec<&str> =
                subject.split_whitespace().skip(w::RESULT_FOLDED.split_whitespace().count()).collect();
            format!("{} {}", w::MATTER, rest.join(" "))
        }
        None => subject.to_owned(),
    };
    let targets = article::targets_phrase(&mission.targets, mission.targets.len() <= MAX_LISTED_TARGETS);
    [w::RESULT_OF_SUPERVISION, subject.as_str(), targets.as_deref().unwrap_or("")]
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The lead of the article (citation, dates, team, subject, targets), the team's composition, then the turn to
/// the results once there are any.
fn opening(mission: &Mission) -> Vec<String> {
    let mut paragraphs = vec![article::lead(mission)];
    paragraphs.extend(article::composition(mission));
    if Stage::of(mission) != Stage::Planned {
        paragraphs.push(w::RESULTS_AS_FOLLOWS.to_owned());
    }
    paragraphs.retain(|p| !p.trim().is_empty());
    paragraphs
}

/// I: every target named in the opening, in its order: its sessions, one a line, in date order; a target
/// without a session is said to have been worked with (done), not yet (under way) or to be (planned).
fn results_section(mission: &Mission) -> Section {
    let stage = Stage::of(mission);
    let mut paragraphs: Vec<String> = Vec::new();
    for (index, target) in mission.targets.iter().enumerate() {
        let name = article::single_name(target);
        let mut sessions: Vec<&crate::mission::Session> = mission.sessions_at(index).collect();
        sessions.sort_by_key(|s| s.date);
        if sessions.is_empty() {
            paragraphs.push(match stage {
                Stage::Done => format!("- {} {name}.", w::WORKED_WITH_LINE),
                Stage::UnderWay => format!("- {}: {}.", capitalize_first(&name), w::NOT_YET_WORKED),
                Stage::Planned => format!("- {} {name}.", w::WILL_WORK_WITH),
            });
            continue;
        }
        for s in sessions {
            let verb = match s.modality {
                Some(SessionModality::Direct) => w::WORKED_DIRECTLY_WITH,
                Some(SessionModality::Reports) => w::REVIEWED_REPORT_OF,
                None => w::WORKED_WITH,
            };
            let action = format!("{verb} {name}");
            let line = match s.date {
                Some(day) => format!("{} {}, {action}", w::ON_DAY, date::format_short(day)),
                None => capitalize_first(&action),
            };
            let line = match s.minutes.as_deref().map(article::clause).filter(|m| !m.is_empty()) {
                Some(minutes) => format!("{line}: {}", article::inner_clause(minutes)),
                None => line,
            };
            paragraphs.push(format!("- {}", article::end_sentence(&line)));
        }
    }
    if paragraphs.is_empty() {
        paragraphs.push(w::NO_SESSIONS.to_owned());
    }
    Section { heading: w::SECTION_RESULTS.to_owned(), parts: vec![Part { heading: None, paragraphs }] }
}

/// II: strengths, shortcomings and causes, one finding a line; "Không có." for a kind recorded as none, and
/// what is not yet assessed said so.
fn assessment_section(mission: &Mission, layout: Layout) -> Section {
    if Stage::of(mission) == Stage::Planned && mission.findings.is_empty() {
        return Section {
            heading: w::SECTION_ASSESSMENT.to_owned(),
            parts: vec![Part { heading: None, paragraphs: vec![w::NOT_SUPERVISED_YET.to_owned()] }],
        };
    }
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
            paragraphs.push(if mission.findings_none_recorded.contains(&kind) {
                w::NONE_RECORDED.to_owned()
            } else {
                // "1. Ưu điểm" → "Chưa có đánh giá về ưu điểm."
                let what = heading.split_once(". ").map_or(heading, |(_, what)| what);
                format!("{} {}.", w::NOT_ASSESSED, what.to_lowercase())
            });
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

/// III: the units' own recommendations, as theirs ("1. Kiến nghị của các phường", then "Kiến nghị Quận ủy, …:"
/// and its items), then the supervising side's requests ("2. Đề nghị của Ban Thường vụ Quận ủy", the preamble,
/// "Đối với …:" and its items), grouped by addressees in order of first appearance.
fn recommendations_section(mission: &Mission) -> Section {
    let mut parts: Vec<Part> = Vec::new();
    let items = |paragraphs: &mut Vec<String>, texts: &[&str]| {
        paragraphs.extend(texts.iter().map(|t| format!("- {}", article::end_sentence(&capitalize_first(t)))));
    };
    for (raised_by, recs) in article::upward_by_units(mission) {
        let texts =
            recs.iter().map(|r| (r.addressees.clone(), article::clause(&r.text))).filter(|(_, t)| !t.is_empty());
        let mut paragraphs = Vec::new();
        for (addressees, texts) in article::group_by(texts) {
            let to = article::join_addressees(&addressees);
            if !to.is_empty() {
                paragraphs.push(format!("{} {to}:", w::RECOMMEND_TO));
            }
            items(&mut paragraphs, &texts);
        }
        if !paragraphs.is_empty() {
            let heading =
                format!("{}. {} {}", parts.len() + 1, w::RECOMMENDATIONS_OF, article::raisers(mission, &raised_by));
            parts.push(Part { heading: Some(heading), paragraphs });
        }
    }
    let fallback_issuer = article::body(mission).to_owned();
    let downward = mission.recommendations.iter().filter_map(|r| match &r.origin {
        Origin::Downward { issuer } => {
            let issuer = issuer.as_deref().map(str::trim).filter(|s| !s.is_empty()).unwrap_or(&fallback_issuer);
            Some((issuer.to_owned(), r))
        }
        Origin::Upward { .. } => None,
    });
    let preamble = mission.conclusion_preamble.as_deref().map(article::clause).filter(|p| !p.is_empty());
    for (issuer, recs) in article::group_by(downward) {
        let texts =
            recs.iter().map(|r| (r.addressees.clone(), article::clause(&r.text))).filter(|(_, t)| !t.is_empty());
        let mut paragraphs = Vec::new();
        if let Some(preamble) =
            preamble.filter(|_| parts.iter().all(|p| !p.heading.as_deref().is_some_and(|h| h.contains(w::REQUESTS_OF))))
        {
            paragraphs.push(capitalize_first(&format!("{preamble}, {issuer} {}", w::REQUESTS)));
        }
        for (addressees, texts) in article::group_by(texts) {
            let to = article::join_addressees(&addressees);
            if !to.is_empty() {
                paragraphs.push(format!("{} {to}:", w::FOR_ADDRESSEE));
            }
            items(&mut paragraphs, &texts);
        }
        if paragraphs.iter().any(|p| p.starts_with("- ")) {
            let heading = format!("{}. {} {issuer}", parts.len() + 1, w::REQUESTS_OF);
            parts.push(Part { heading: Some(heading), paragraphs });
        }
    }
    if parts.is_empty() {
        let none = if Stage::of(mission) == Stage::Done { w::NO_RECOMMENDATIONS } else { w::NO_RECOMMENDATIONS_YET };
        parts.push(Part { heading: None, paragraphs: vec![none.to_owned()] });
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
            ["1. Kiến nghị của các phường", "2. Đề nghị của Ban Thường vụ Quận ủy"],
            "the units' own recommendations stay theirs"
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
            [
                "- Ban Thường vụ Quận ủy (để báo cáo),",
                "- Đảng ủy các phường: Đồng Xuân, Hàng Bạc, Tràng Tiền,",
                "- Lưu Văn phòng Quận ủy."
            ],
            "the team reports to the body whose team it is"
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
                "- Ban Thường vụ Quận ủy (để báo cáo),",
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
        assert_eq!(report.recipients[1], "- Đảng ủy 150 xã được giám sát,");
        insta::assert_snapshot!(pretty(&report));
    }
}
