//! The news article of a mission, as a district portal publishes it (domain brief §5.5): a title, a lead
//! ("Thực hiện Quyết định số … ; từ ngày … , Đoàn … do đồng chí … làm Trưởng Đoàn đã tổ chức giám sát … tại …"),
//! then the team's composition, the findings, the units' recommendations upward, the supervising side's requests
//! downward, the photo captions, the byline and the source unit.
//!
//! [`compose`] never fails: every part of a record may be missing, and a missing part leaves out its phrase
//! (and its comma or semicolon) rather than printing a placeholder. The wording follows what the record says
//! happened ([`Stage`]): a mission only planned "sẽ tổ chức giám sát", one under way lists the units it has
//! worked with so far, one done "đã tổ chức giám sát". Only units are counted ("tại 3 phường"); a class of
//! bodies or an unspecified subset is listed without a number, and units supervised only through their reports
//! are said to be. Text items are stored as clauses (first letter lower case, no final full stop, see
//! `shared/seed/README.md`); this module capitalises the first letter where a clause starts a sentence and adds
//! the full stop, never a second one. Wording in `messages/article.rs`.

use crate::codes::{FindingKind, MemberRole, SessionModality, TargetKind};
use crate::date;
use crate::docnum::{DocSystem, TypeCode};
use crate::messages::article as w;
use crate::messages::labels;
use crate::mission::{Decision, Finding, Mission, Origin, Target, Who};
use crate::text::{capitalize_first, fold, join_vi, lowercase_first};
use crate::workflow::MissionState;

/// A composed news article. `paragraphs` are the body after the lead; `captions` are the photo captions as
/// stored; `source` is the unit that wrote the article, without its parentheses.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Article {
    pub title: String,
    pub lead: String,
    pub paragraphs: Vec<String>,
    pub captions: Vec<String>,
    pub byline: Option<String>,
    pub source: Option<String>,
}

impl Article {
    /// Plain text: title, lead, body, captions, byline and "(source)", one blank line between blocks, a final
    /// newline. Never fails.
    #[must_use]
    pub fn to_text(&self) -> String {
        let mut blocks: Vec<String> = vec![self.title.clone(), self.lead.clone()];
        blocks.extend(self.paragraphs.iter().cloned());
        blocks.extend(self.captions.iter().cloned());
        blocks.extend(self.byline.clone());
        blocks.extend(self.source.as_deref().map(|s| format!("({s})")));
        finish_blocks(blocks)
    }

    /// Markdown: the title as a heading, the lead in bold, captions in italics; text is escaped so that
    /// nothing in a record turns into markup. Never fails.
    #[must_use]
    pub fn to_markdown(&self) -> String {
        let mut blocks: Vec<String> = vec![format!("# {}", md_escape(&self.title))];
        if !self.lead.is_empty() {
            blocks.push(format!("**{}**", md_escape(&self.lead)));
        }
        blocks.extend(self.paragraphs.iter().map(|p| md_escape(p)));
        blocks.extend(self.captions.iter().map(|c| format!("*{}*", md_escape(c))));
        blocks.extend(self.byline.as_deref().map(md_escape));
        blocks.extend(self.source.as_deref().map(|s| format!("({})", md_escape(s))));
        finish_blocks(blocks)
    }
}

fn finish_blocks(blocks: Vec<String>) -> String {
    let mut out = blocks.into_iter().filter(|b| !b.trim().is_empty()).collect::<Vec<_>>().join("\n\n");
    out.push('\n');
    out
}

/// Escapes the characters that Markdown would read as markup, and a block start that would read as a list.
fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if matches!(c, '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#' | '|') {
            out.push('\\');
        }
        out.push(c);
    }
    if out.starts_with(['-', '+']) {
        return format!("\\{out}");
    }
    // "1. …" would open an ordered list: escape its full stop ("1\. …"), a digit cannot be escaped.
    match out.find(|c: char| !c.is_ascii_digit()) {
        Some(i) if i > 0 && out[i..].starts_with(['.', ')']) => format!("{}\\{}", &out[..i], &out[i..]),
        _ => out,
    }
}

/// Composes the news article of `mission`. Never panics; never prints a placeholder for missing data.
#[must_use]
pub fn compose(mission: &Mission) -> Article {
    let mut paragraphs: Vec<String> = Vec::new();
    paragraphs.extend(progress(mission));
    paragraphs.extend(composition(mission));
    paragraphs.extend(findings_paragraphs(mission));
    paragraphs.extend(upward_paragraph(mission));
    paragraphs.extend(downward_paragraphs(mission));
    let publication = mission.publication.as_ref();
    let non_empty = |s: Option<&String>| s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    Article {
        title: title(mission),
        lead: lead(mission),
        paragraphs,
        captions: mission
            .sessions
            .iter()
            .flat_map(|s| s.photos.iter())
            .map(|p| p.caption.trim().to_owned())
            .filter(|c| !c.is_empty())
            .collect(),
        byline: non_empty(publication.and_then(|p| p.byline.as_ref())),
        source: non_empty(publication.and_then(|p| p.source.as_ref()))
            .map(|s| s.trim_start_matches('(').trim_end_matches(')').trim().to_owned())
            .filter(|s| !s.is_empty()),
    }
}

// ---------------------------------------------------------------------------------------------------------------
// What happened
// ---------------------------------------------------------------------------------------------------------------

/// How far a mission has got, as its texts must tell it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Nothing done yet (planned, decided or notified, no session): "sẽ tổ chức giám sát".
    Planned,
    /// Sessions held, nothing found yet: "tiến hành giám sát", and the units worked with so far.
    UnderWay,
    /// Findings or recommendations recorded, or the report drafted: "đã tổ chức giám sát".
    Done,
}

impl Stage {
    /// The stage the record shows: its workflow state, and what it holds (a record imported without a state
    /// may sit in an early state with its findings entered).
    #[must_use]
    pub fn of(mission: &Mission) -> Stage {
        let found = !mission.findings.is_empty() || !mission.recommendations.is_empty();
        match mission.state {
            MissionState::Drafting | MissionState::Concluded | MissionState::FollowUp | MissionState::Closed => {
                Stage::Done
            }
            _ if found => Stage::Done,
            MissionState::InProgress => Stage::UnderWay,
            _ if mission.sessions.is_empty() => Stage::Planned,
            _ => Stage::UnderWay,
        }
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Sentences and clauses
// ---------------------------------------------------------------------------------------------------------------

/// True when `s` already ends a sentence ("…", "...", ".", "!", "?").
fn ends_sentence(s: &str) -> bool {
    s.ends_with(['.', '…', '!', '?'])
}

/// `s` trimmed, with a full stop unless it already ends a sentence.
pub(crate) fn end_sentence(s: &str) -> String {
    let s = s.trim_end();
    if s.is_empty() || ends_sentence(s) { s.to_owned() } else { format!("{s}.") }
}

/// A clause for use inside a sentence: trimmed, without a final full stop, comma or semicolon (an ellipsis is
/// kept, it is part of the text).
pub(crate) fn clause(s: &str) -> &str {
    let s = s.trim();
    let s = s.strip_suffix([',', ';']).unwrap_or(s);
    if s.ends_with("...") { s } else { s.strip_suffix('.').unwrap_or(s).trim_end() }
}

/// A clause quoted inside a sentence, after a verb and its addressee: the clerk's capital is lowered
/// ("Đề nghị …" → "đề nghị …") unless the clause opens with a name ("Ủy ban nhân dân tỉnh …", "Chỉ thị …").
pub(crate) fn inner_clause(s: &str) -> String {
    let c = clause(s);
    if opens_with_name(c) { c.to_owned() } else { lowercase_first(c) }
}

/// True when `s` starts with a name of a body or a document ([`w::NAME_STARTS`]).
fn opens_with_name(s: &str) -> bool {
    let mut words = s.split_whitespace().map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase());
    let Some(first) = words.next() else {
        return false;
    };
    let second = words.next().unwrap_or_default();
    w::NAME_STARTS.iter().any(|(start, seconds)| *start == first && (seconds.is_empty() || seconds.contains(&&*second)))
}

/// Sentences from clauses, the first after `intro` ("Qua giám sát cho thấy, a. B. C."); each starts with a
/// capital letter and ends with exactly one full stop.
fn sentences<S: AsRef<str>>(intro: &str, items: &[S]) -> String {
    let mut out: Vec<String> = Vec::new();
    for item in items.iter().map(|i| i.as_ref().trim()).filter(|i| !i.is_empty()) {
        let sentence = if out.is_empty() && !intro.is_empty() {
            format!("{intro} {}", inner_clause(item))
        } else {
            item.to_owned()
        };
        out.push(end_sentence(&capitalize_first(&sentence)));
    }
    out.join(" ")
}

/// Joins `parts` with a space, skipping empty ones.
fn words(parts: &[&str]) -> String {
    parts.iter().map(|p| p.trim()).filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" ")
}

/// The words of `s` as a reader counts them: runs between spaces that hold a letter or a digit (a dash is none).
#[must_use]
pub fn word_count(s: &str) -> usize {
    s.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).count()
}

/// True when the folded `s` ends with the folded `tail` as whole words.
fn ends_with_words(s: &str, tail: &str) -> bool {
    let (s, tail) = (fold(s), fold(tail));
    s == tail || s.ends_with(&format!(" {tail}"))
}

/// True when the folded `s` contains the folded `part` as whole words.
fn contains_words(s: &str, part: &str) -> bool {
    let part = fold(part);
    !part.is_empty() && format!(" {} ", fold(s)).contains(&format!(" {part} "))
}

// ---------------------------------------------------------------------------------------------------------------
// The lead
// ---------------------------------------------------------------------------------------------------------------

/// The launching document: "Quyết định số 109-QĐ/QU, ngày 09/3/2021 của Quận ủy về việc …" (a State document
/// takes no comma before "ngày": "Quyết định số 10/QĐ-HĐND ngày 30/10/2023"), "Công văn số 628/HĐND-VHXH …",
/// "quyết định của Quận ủy về việc …"; `None` when nothing is known of it. A trích yếu that only forms this
/// mission's team to supervise its subject is cut before the subject, which the lead says once.
fn document_citation(mission: &Mission) -> Option<String> {
    let decision: &Decision = &mission.decision;
    let issuer = decision.issuer.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let summary = decision.summary.as_deref().map(strip_about).filter(|s| !s.is_empty());
    if decision.number.is_none() && decision.issued_on.is_none() && issuer.is_none() && summary.is_none() {
        return None;
    }
    let mut out = match &decision.number {
        Some(number) => {
            let kind = if number.is_cong_van() {
                w::CONG_VAN_WORD
            } else {
                number.type_code().map_or(w::DECISION_WORD, TypeCode::name_vi)
            };
            let mut s = format!("{} {} {}", capitalize_first(kind), w::NUMBER_WORD, number.canonical());
            if let Some(day) = decision.issued_on {
                let comma = if number.system() == DocSystem::State { "" } else { "," };
                s.push_str(&format!("{comma} {} {}", w::ON_DAY, date::format_short(day)));
            }
            s
        }
        None => match decision.issued_on {
            Some(day) => format!("{} {} {}", w::DECISION_WORD, w::ON_DAY, date::format_short(day)),
            None => w::DECISION_WORD.to_owned(),
        },
    };
    if let Some(issuer) = issuer {
        out.push_str(&format!(" {} {issuer}", w::OF));
    }
    if let Some(summary) = summary.map(|s| without_subject(s, &mission.subject)).filter(|s| !s.is_empty()) {
        out.push_str(&format!(" {} {summary}", w::ABOUT));
    }
    Some(out)
}

/// The trích yếu as a clause, without a "về việc" / "V/v" the clerk may have typed.
fn strip_about(summary: &str) -> &str {
    let s = clause(summary);
    let lower = s.to_lowercase();
    w::ABOUT_PREFIXES.iter().find(|p| lower.starts_with(*p)).and_then(|p| s.get(p.len()..)).map_or(s, str::trim_start)
}

/// "thành lập Đoàn giám sát việc X" with subject "việc X" → "thành lập Đoàn giám sát": a trích yếu that forms one
/// team and then names (nearly word for word) the subject is cut after the team. A decision forming several
/// teams ("các đoàn giám sát …") is the decision's own summary, and is cited whole.
fn without_subject<'a>(summary: &'a str, subject: &str) -> &'a str {
    let subject_words: Vec<String> = fold(clause(subject)).split_whitespace().map(str::to_owned).collect();
    if subject_words.len() < 3 {
        return summary;
    }
    // Byte offsets of the summary's word starts, and the folded words, side by side.
    let starts: Vec<usize> = summary
        .char_indices()
        .filter(|&(i, c)| !c.is_whitespace() && (i == 0 || summary[..i].ends_with(char::is_whitespace)))
        .map(|(i, _)| i)
        .collect();
    let folded: Vec<String> = starts
        .iter()
        .enumerate()
        .map(|(n, &start)| fold(summary[start..starts.get(n + 1).copied().unwrap_or(summary.len())].trim()))
        .collect();
    // "giám sát việc X" with subject "việc X" says nothing the lead does not: the document is cited without it.
    if folded.get(..2).is_some_and(|first| first.iter().eq(w::SUPERVISION_FOLDED.split(' '))) {
        let tail: Vec<&String> = folded.iter().skip(2).collect();
        let shared = tail.iter().filter(|w| subject_words.contains(w)).count();
        if !tail.is_empty() && shared * 10 >= tail.len() * 7 && shared * 10 >= subject_words.len() * 7 {
            return "";
        }
    }
    for team in w::TEAM_WORDS_FOLDED {
        let team_words: Vec<&str> = team.split_whitespace().collect();
        let Some(at) = (0..folded.len()).find(|&i| {
            folded.get(i..i + team_words.len()).is_some_and(|run| run.iter().zip(&team_words).all(|(a, b)| a == b))
        }) else {
            continue;
        };
        if at > 0 && folded.get(at - 1).is_some_and(|w| w == w::PLURAL_FOLDED) {
            return summary;
        }
        let end_of_team = at + team_words.len();
        let tail: Vec<&String> = folded.iter().skip(end_of_team).collect();
        let shared = tail.iter().filter(|w| subject_words.contains(w)).count();
        let similar = !tail.is_empty() && shared * 10 >= tail.len() * 7 && shared * 10 >= subject_words.len() * 7;
        return match starts.get(end_of_team) {
            Some(&cut) if similar => summary[..cut].trim_end().trim_end_matches([',', ';']),
            _ => summary,
        };
    }
    summary
}

/// "Thực hiện <basis> và <document>", either part optional; `None` when neither is known.
fn citation(mission: &Mission) -> Option<String> {
    let basis = mission.basis.as_deref().map(clause).filter(|s| !s.is_empty());
    let document = document_citation(mission);
    let cited = match (basis, document) {
        (None, None) => return None,
        (Some(basis), None) => basis.to_owned(),
        (None, Some(document)) => document,
        (Some(basis), Some(document)) => format!("{basis} {} {document}", w::AND),
    };
    Some(format!("{} {cited}", w::CARRYING_OUT))
}

/// The team's name as written, if the record names one.
fn named_team(mission: &Mission) -> Option<&str> {
    mission.team.name.as_deref().map(str::trim).filter(|n| !n.is_empty())
}

/// Who supervised, as the texts name it: the team as written, else the supervising body itself (a council's
/// board supervises as a board), else the owner. Never an invented "Đoàn giám sát".
pub(crate) fn actor(mission: &Mission) -> String {
    match named_team(mission) {
        Some(name) => name.to_owned(),
        None => body(mission).to_owned(),
    }
}

/// The supervising body, else the owner.
pub(crate) fn body(mission: &Mission) -> &str {
    match mission.supervising_body.trim() {
        "" => mission.owner.name.trim(),
        body => body,
    }
}

/// The actor with its supervising body where the reader could not tell who stands behind a team: "Tổ công tác
/// số 2 của Ban Thường vụ Thành ủy" when the team is a working group, or when no numbered decision names the
/// issuer ("Tổ 1 giám sát …" would mean nothing).
fn actor_in_full(mission: &Mission) -> String {
    let actor = actor(mission);
    let body = mission.supervising_body.trim();
    let Some(team) = named_team(mission) else {
        return actor;
    };
    let anonymous = mission.team.is_working_group()
        || mission.decision.number.is_none()
        || mission.decision.issuer.as_deref().is_none_or(|i| i.trim().is_empty());
    if body.is_empty() || !anonymous || contains_words(team, body) { actor } else { format!("{team} {} {body}", w::OF) }
}

/// "Nguyễn Quốc Hoàn – Ủy viên Ban Thường vụ Quận ủy, Trưởng ban Dân vận Quận ủy", or the name alone.
fn name_and_position(name: &str, position: Option<&str>) -> String {
    match position.map(clause).filter(|p| !p.is_empty()) {
        Some(position) => format!("{} {} {position}", name.trim(), w::POSITION_DASH),
        None => name.trim().to_owned(),
    }
}

/// The named leader, if any.
pub(crate) fn leader_name(mission: &Mission) -> Option<(&str, Option<&str>)> {
    match &mission.leader()?.who {
        Who::Person { name, position } if !name.trim().is_empty() => Some((name.trim(), position.as_deref())),
        _ => None,
    }
}

/// "do đồng chí <name> – <position> làm Trưởng Đoàn" ("làm Tổ trưởng" in a working group); `None` without a
/// named leader.
fn leader_clause(mission: &Mission) -> Option<String> {
    let (name, position) = leader_name(mission)?;
    let title = if mission.team.is_working_group() { labels::role(MemberRole::Leader, true) } else { w::LEADER_TITLE };
    Some(format!("{} {} {} {title}", w::LED_BY_COMRADE, name_and_position(name, position), w::AS))
}

/// The lead paragraph.
pub(crate) fn lead(mission: &Mission) -> String {
    let stage = Stage::of(mission);
    let team = actor_in_full(mission);
    let leader = leader_clause(mission);
    let subject = clause(&mission.subject);
    let verb = match stage {
        Stage::Planned => w::WILL_SUPERVISE,
        Stage::UnderWay => w::CARRYING_OUT_SUPERVISION,
        Stage::Done => w::CARRIED_OUT_SUPERVISION,
    };
    let targets = lead_targets(mission);
    let action = words(&[&team, leader.as_deref().unwrap_or(""), verb, subject, targets.as_deref().unwrap_or("")]);
    let sentence = match (citation(mission), mission.fieldwork.describe()) {
        (Some(cited), Some(when)) => format!("{cited}; {when}, {action}"),
        (Some(cited), None) => format!("{cited}, {action}"),
        (None, Some(when)) => format!("{}, {action}", capitalize_first(&when)),
        (None, None) => capitalize_first(&action),
    };
    end_sentence(&sentence)
}

/// The title: "<team> giám sát <subject> tại 3 phường", at most [`w::HEADLINE_MAX_WORDS`] words: a long subject
/// is cut at a natural break, then the targets and the supervising body are left to the lead.
fn title(mission: &Mission) -> String {
    let stage = Stage::of(mission);
    let subject = clause(&mission.subject);
    let full = actor_in_full(mission);
    let short = actor(mission);
    let targets = targets_phrase(&mission.targets, false);
    let verb_after = |team: &str| match stage {
        Stage::Planned => w::WILL_SUPERVISE_SHORT,
        _ if ends_with_words(team, w::SUPERVISION_FOLDED) => w::SUPERVISES_AFTER_TEAM_WORD,
        _ => w::SUPERVISES,
    };
    let compose_with = |team: &str, targets: Option<&str>, subject: &str| {
        capitalize_first(clause(&words(&[team, verb_after(team), subject, targets.unwrap_or("")])))
    };
    // The whole subject with as much of the rest as fits; else the subject cut to fit beside the team.
    let whole = [(&full, targets.as_deref()), (&full, None), (&short, targets.as_deref()), (&short, None)];
    if let Some(title) = whole
        .iter()
        .map(|(team, targets)| compose_with(team, *targets, subject))
        .find(|t| word_count(t) <= w::HEADLINE_MAX_WORDS)
    {
        return title;
    }
    let budget = w::HEADLINE_MAX_WORDS.saturating_sub(word_count(&full) + word_count(verb_after(&full)));
    compose_with(&full, None, &shorten(subject, budget))
}

/// `subject` in at most `budget` words: cut at the latest natural break ([`w::SUBJECT_BREAKS`]) that fits,
/// else at the budget, without a dangling "của", "và" … at the end.
fn shorten(subject: &str, budget: usize) -> String {
    if word_count(subject) <= budget {
        return subject.to_owned();
    }
    let best = w::SUBJECT_BREAKS
        .iter()
        .flat_map(|b| subject.match_indices(b).map(|(i, _)| i))
        .filter(|&i| word_count(&subject[..i]) <= budget && word_count(&subject[..i]) >= 3)
        .max();
    let mut cut: Vec<&str> = match best {
        Some(i) => subject[..i].split_whitespace().collect(),
        None => subject.split_whitespace().take(budget).collect(),
    };
    while cut.len() > 1
        && cut.last().is_some_and(|last| {
            w::DANGLING_WORDS.contains(&last.to_lowercase().as_str()) || !last.chars().any(char::is_alphanumeric)
        })
    {
        cut.pop();
    }
    clause(&cut.join(" ")).to_owned()
}

// ---------------------------------------------------------------------------------------------------------------
// Targets
// ---------------------------------------------------------------------------------------------------------------

/// The target's name without a kind word the record may have repeated ("Phường Hàng Bạc" of kind ward →
/// "Hàng Bạc"), so that "phường phường" can never be written.
fn bare_name(target: &Target) -> &str {
    let name = target.name.trim();
    let Some(word) = labels::kind_word(target.kind) else {
        return name;
    };
    let stripped = name
        .get(..word.len())
        .filter(|head| head.to_lowercase() == word)
        .and_then(|_| name.get(word.len()..))
        .filter(|rest| rest.starts_with(' '))
        .map(str::trim);
    match stripped {
        Some(rest) if !rest.is_empty() => rest,
        _ => name,
    }
}

/// One target named on its own: "phường Hàng Bạc", "Sở Y tế", "Đảng ủy xã Bình Yên", "huyện Bến Cầu", "đơn vị
/// Tân Lập", "UBND một số xã, phường".
pub(crate) fn single_name(target: &Target) -> String {
    match target.kind {
        TargetKind::District | TargetKind::Province | TargetKind::Class | TargetKind::Subset => {
            target.name.trim().to_owned()
        }
        kind => labels::target_with_kind(kind, bare_name(target)),
    }
}

/// The counting noun shared by all `targets` ("phường", "tổ chức đảng", "địa phương"), `UNITS` when their
/// kinds differ or are unknown.
fn counting_noun(targets: &[&Target]) -> &'static str {
    let Some(first) = targets.first() else {
        return w::UNITS;
    };
    if targets.iter().any(|t| t.kind != first.kind) {
        return w::UNITS;
    }
    match first.kind {
        TargetKind::Ward | TargetKind::Commune | TargetKind::SpecialZone => {
            labels::kind_word(first.kind).unwrap_or(w::UNITS)
        }
        TargetKind::PartyOrg => w::PARTY_ORGS,
        TargetKind::District | TargetKind::Province => w::LOCALITIES,
        TargetKind::Agency | TargetKind::Unknown | TargetKind::Class | TargetKind::Subset => w::UNITS,
    }
}

/// The names of `targets` for a list after their counting noun: bare names when the noun is their kind word
/// ("Đồng Xuân, Hàng Bạc"), else each with its own kind word where it has one ("phường A, xã B, Sở Y tế").
fn list_items(targets: &[&Target]) -> Vec<String> {
    let uniform_kind_word =
        counting_noun(targets) != w::UNITS && targets.first().is_some_and(|t| labels::kind_word(t.kind).is_some());
    targets
        .iter()
        .map(|t| {
            let bare = bare_name(t);
            match labels::kind_word(t.kind) {
                // A numbered ward keeps its word even in a list: "phường 1", never a bare "1".
                Some(word) if !uniform_kind_word || bare.starts_with(|c: char| c.is_ascii_digit()) => {
                    format!("{word} {bare}")
                }
                Some(_) => bare.to_owned(),
                None if t.kind == TargetKind::Unknown => bare.to_owned(),
                None if matches!(t.kind, TargetKind::PartyOrg | TargetKind::Agency) => capitalize_first(bare),
                None => t.name.trim().to_owned(),
            }
        })
        .collect()
}

/// "tại 3 phường: Đồng Xuân, Hàng Bạc và Tràng Tiền" (or "tại 3 phường" without the list), "tại phường Hàng
/// Bạc", "tại 9 đơn vị: …"; with a class or a subset among them, no number: "tại UBND các quận, huyện và Sở Y
/// tế"; `None` without targets.
pub(crate) fn targets_phrase(targets: &[Target], with_list: bool) -> Option<String> {
    let refs: Vec<&Target> = targets.iter().collect();
    targets_phrase_of(&refs, with_list).map(|phrase| format!("{} {phrase}", w::AT))
}

/// [`targets_phrase`] without its "tại".
fn targets_phrase_of(refs: &[&Target], with_list: bool) -> Option<String> {
    match refs {
        [] => None,
        [only] => Some(single_name(only)),
        many if many.iter().any(|t| !t.kind.is_one_unit()) => {
            Some(join_names(&many.iter().map(|t| single_name(t)).collect::<Vec<_>>()))
        }
        many => {
            let counted = format!("{} {}", many.len(), counting_noun(many));
            if with_list { Some(format!("{counted}: {}", join_vi(&list_items(many)))) } else { Some(counted) }
        }
    }
}

/// Names in a list: "A, B và C"; "A; B và C" when a name holds its own commas ("UBND các quận, huyện, thị xã"),
/// so that the reader can tell where one ends.
fn join_names(names: &[String]) -> String {
    match names {
        [init @ .., last] if names.len() > 2 && names.iter().any(|n| n.contains(',')) => {
            format!("{} {} {last}", init.join("; "), w::AND)
        }
        _ => join_vi(names),
    }
}

/// The targets supervised only through their written reports: every session held with them was a review of
/// reports.
pub(crate) fn through_reports_only(mission: &Mission) -> Vec<usize> {
    (0..mission.targets.len())
        .filter(|&i| {
            let mut sessions = mission.sessions_at(i).peekable();
            sessions.peek().is_some() && sessions.all(|s| s.modality == Some(SessionModality::Reports))
        })
        .collect()
}

/// The lead's targets: "tại 3 phường: …"; with units supervised only through reports, those apart: "tại 2 xã: A
/// và B; đồng thời giám sát qua báo cáo của xã C".
fn lead_targets(mission: &Mission) -> Option<String> {
    let reported = through_reports_only(mission);
    if reported.is_empty() {
        return targets_phrase(&mission.targets, true);
    }
    let visited: Vec<&Target> =
        mission.targets.iter().enumerate().filter(|(i, _)| !reported.contains(i)).map(|(_, t)| t).collect();
    let by_reports = units_phrase(&targets_at(mission, &reported));
    Some(match targets_phrase_of(&visited, true) {
        Some(visited) => format!("{} {visited}; {} {by_reports}", w::AT, w::ALSO_THROUGH_REPORTS_OF),
        None => format!("{} {by_reports}", w::THROUGH_REPORTS_OF),
    })
}

/// Some targets named in running text: "phường Hàng Bạc", "các phường Đồng Xuân và Hàng Bạc",
/// "phường Hàng Bạc và xã Tân Lập".
pub(crate) fn units_phrase(targets: &[&Target]) -> String {
    match targets {
        [] => String::new(),
        [only] => single_name(only),
        many if many.iter().any(|t| !t.kind.is_one_unit()) => {
            join_names(&many.iter().map(|t| single_name(t)).collect::<Vec<_>>())
        }
        many => {
            let noun = counting_noun(many);
            let items = join_vi(&list_items(many));
            if noun != w::UNITS && many.first().is_some_and(|t| labels::kind_word(t.kind).is_some()) {
                format!("{} {noun} {items}", w::PLURAL)
            } else {
                items
            }
        }
    }
}

/// All targets as the subject of a sentence: "các phường", "các đơn vị", or the only one by name.
pub(crate) fn all_units(targets: &[Target]) -> String {
    let refs: Vec<&Target> = targets.iter().collect();
    match refs.as_slice() {
        [only] => single_name(only),
        many => format!("{} {}", w::PLURAL, counting_noun(many)),
    }
}

/// The targets at `indices` (those that exist), in the order of the target list.
pub(crate) fn targets_at<'a>(mission: &'a Mission, indices: &[usize]) -> Vec<&'a Target> {
    mission.targets.iter().enumerate().filter(|(i, _)| indices.contains(i)).map(|(_, t)| t).collect()
}

// ---------------------------------------------------------------------------------------------------------------
// The body
// ---------------------------------------------------------------------------------------------------------------

/// Under way: "Đến nay, Đoàn Giám sát số 5 đã làm việc với các phường Hàng Bạc và Tràng Tiền."
fn progress(mission: &Mission) -> Option<String> {
    if Stage::of(mission) != Stage::UnderWay {
        return None;
    }
    let worked: Vec<usize> = (0..mission.targets.len()).filter(|&i| mission.sessions_at(i).next().is_some()).collect();
    let units = units_phrase(&targets_at(mission, &worked));
    (!units.is_empty())
        .then(|| end_sentence(&format!("{} {} {} {units}", w::SO_FAR, actor(mission), w::HAS_WORKED_WITH)))
}

/// "Cùng tham dự <team> có các đồng chí: A – …, Phó trưởng đoàn và <group>." (a body supervising without a
/// team name: "Cùng tham gia giám sát có …"). `None` when the team has no other member than its leader.
pub(crate) fn composition(mission: &Mission) -> Option<String> {
    let working_group = mission.team.is_working_group();
    let named_leader = leader_clause(mission).is_some();
    let others: Vec<(MemberRole, &Who)> = mission
        .members
        .iter()
        .filter(|m| !(named_leader && m.role == MemberRole::Leader))
        .filter(|m| match &m.who {
            Who::Person { name, .. } => !name.trim().is_empty(),
            Who::Group { description } => !clause(description).is_empty(),
        })
        .map(|m| (m.role, &m.who))
        .collect();
    let first_is_person = matches!(others.first(), Some((_, Who::Person { .. })));
    let items: Vec<String> = others
        .iter()
        .map(|&(role, who)| match who {
            Who::Person { name, position } => {
                let mut item = name_and_position(name, position.as_deref());
                if matches!(role, MemberRole::DeputyLeader | MemberRole::Secretary | MemberRole::Assistant) {
                    // The role follows the positions ("…, Phó trưởng đoàn"), or the name when there are none.
                    let separator =
                        if item.contains(w::POSITION_DASH) { ",".to_owned() } else { format!(" {}", w::POSITION_DASH) };
                    item = format!("{item}{separator} {}", labels::role(role, working_group));
                }
                if first_is_person { item } else { format!("{} {item}", w::COMRADE) }
            }
            Who::Group { description } => clause(description).to_owned(),
        })
        .collect();
    if items.is_empty() {
        return None;
    }
    let intro = match (first_is_person, items.len()) {
        (true, 1) => w::HAS_COMRADE,
        (true, _) => w::HAS_COMRADES,
        (false, _) => w::HAS,
    };
    let opening = match (named_team(mission), named_leader) {
        (Some(team), true) => format!("{} {team}", w::ALSO_ATTENDING),
        (Some(team), false) => format!("{} {team}", w::TAKING_PART),
        (None, true) => w::ALSO_TAKING_PART_IN_SUPERVISION.to_owned(),
        (None, false) => w::TAKING_PART_IN_SUPERVISION.to_owned(),
    };
    let list = join_members(&items);
    Some(end_sentence(&format!("{opening} {intro} {list}")))
}

/// "A, B và C"; with "; " between items when there are three or more and one has positions (its own dash or
/// commas), so that a name is never read as one more position.
fn join_members(items: &[String]) -> String {
    if items.len() > 2 && items.iter().any(|i| i.contains(',') || i.contains(w::POSITION_DASH)) {
        match items {
            [init @ .., last] => format!("{} {} {last}", init.join("; "), w::AND),
            [] => String::new(),
        }
    } else {
        join_vi(items)
    }
}

/// A finding as a clause, with the targets it concerns when not all: "tại phường Hàng Bạc, …".
pub(crate) fn finding_clause(mission: &Mission, finding: &Finding) -> String {
    let text = clause(&finding.text);
    let targets = targets_at(mission, &finding.targets);
    if targets.is_empty() || targets.len() == mission.targets.len() {
        text.to_owned()
    } else {
        format!("{} {}, {}", w::AT, units_phrase(&targets), inner_clause(text))
    }
}

/// "Qua giám sát cho thấy, …" for the strengths, then the shortcomings and the causes; nothing when no finding
/// has been entered.
fn findings_paragraphs(mission: &Mission) -> Vec<String> {
    let of_kind = |kind: FindingKind| -> Vec<String> {
        mission.findings.iter().filter(|f| f.kind == kind).map(|f| finding_clause(mission, f)).collect()
    };
    let strengths = of_kind(FindingKind::Strength);
    let shortcomings = of_kind(FindingKind::Shortcoming);
    let causes = of_kind(FindingKind::Cause);
    let mut paragraphs = Vec::new();
    if !strengths.is_empty() {
        paragraphs.push(sentences(w::FINDINGS_INTRO, &strengths));
    }
    if !shortcomings.is_empty() {
        let intro = if strengths.is_empty() { w::FINDINGS_INTRO } else { w::SHORTCOMINGS_AFTER_STRENGTHS };
        paragraphs.push(sentences(intro, &shortcomings));
    }
    if !causes.is_empty() {
        let intro = if strengths.is_empty() && shortcomings.is_empty() { w::FINDINGS_INTRO } else { w::CAUSES_INTRO };
        paragraphs.push(sentences(intro, &causes));
    }
    paragraphs.retain(|p| !p.is_empty());
    paragraphs
}

/// Addressees as one phrase, a shared trailing part written once: ["Đảng ủy các phường", "Ban Chỉ đạo bầu cử
/// các phường"] → "Đảng ủy, Ban Chỉ đạo bầu cử các phường"; ["Quận ủy", "Ủy ban Bầu cử quận"] → "Quận ủy, Ủy ban
/// Bầu cử quận". Each addressee is a name, so it starts with a capital.
pub(crate) fn join_addressees(addressees: &[String]) -> String {
    let owned: Vec<String> = addressees.iter().map(|a| capitalize_first(clause(a))).collect();
    let items: Vec<&str> = owned.iter().map(String::as_str).filter(|a| !a.is_empty()).collect();
    if items.len() < 2 {
        return items.join(", ");
    }
    let split: Vec<Vec<&str>> = items.iter().map(|a| a.split_whitespace().collect()).collect();
    let shortest = split.iter().map(Vec::len).min().unwrap_or(0);
    // The longest run of trailing words shared by all, leaving each at least one word of its own.
    let mut shared = 0;
    while shared + 1 < shortest
        && split
            .iter()
            .all(|words| word_from_end(words, shared) == split.first().and_then(|f| word_from_end(f, shared)))
    {
        shared += 1;
    }
    // Shrink it to a part that starts with "các" or a kind of locality.
    while shared > 0 {
        let first = split.first().map(Vec::as_slice).unwrap_or_default();
        let tail = first.get(first.len().saturating_sub(shared)..).unwrap_or_default().join(" ");
        let lower = format!("{} ", tail.to_lowercase());
        if w::SHARED_TAIL_STARTS.iter().any(|start| lower.starts_with(start)) {
            let heads: Vec<String> = split
                .iter()
                .map(|words| words.get(..words.len().saturating_sub(shared)).unwrap_or_default().join(" "))
                .collect();
            return format!("{} {tail}", heads.join(", "));
        }
        shared -= 1;
    }
    items.join(", ")
}

/// The `n`th word from the end (0 = the last).
fn word_from_end<'a>(words: &[&'a str], n: usize) -> Option<&'a str> {
    words.len().checked_sub(1 + n).and_then(|i| words.get(i).copied())
}

/// Groups items by a key in order of first appearance.
pub(crate) fn group_by<K: PartialEq, V>(items: impl IntoIterator<Item = (K, V)>) -> Vec<(K, Vec<V>)> {
    let mut groups: Vec<(K, Vec<V>)> = Vec::new();
    for (key, value) in items {
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, values)) => values.push(value),
            None => groups.push((key, vec![value])),
        }
    }
    groups
}

/// The upward recommendations grouped by the units that raised them (empty = all), in order of first appearance.
pub(crate) fn upward_by_units(mission: &Mission) -> Vec<(Vec<usize>, Vec<&crate::mission::Recommendation>)> {
    let upward = mission.recommendations.iter().filter_map(|r| match &r.origin {
        Origin::Upward { raised_by } => {
            let mut raised_by = raised_by.clone();
            raised_by.sort_unstable();
            raised_by.dedup();
            if raised_by.len() == mission.targets.len() {
                raised_by.clear();
            }
            Some((raised_by, r))
        }
        Origin::Downward { .. } => None,
    });
    group_by(upward)
}

/// The units that raised a group of upward recommendations, as the subject of a sentence ("các phường",
/// "phường Hàng Bạc").
pub(crate) fn raisers(mission: &Mission, raised_by: &[usize]) -> String {
    if raised_by.is_empty() { all_units(&mission.targets) } else { units_phrase(&targets_at(mission, raised_by)) }
}

/// "Tại các buổi giám sát, các phường đã kiến nghị Quận ủy, Ủy ban Bầu cử quận a; b; kiến nghị UBND quận c."
/// One sentence per set of units that raised them; within it, one part per set of addressees.
fn upward_paragraph(mission: &Mission) -> Option<String> {
    let plural = mission.targets.len() > 1 || mission.sessions.len() > 1;
    let mut out: Vec<String> = Vec::new();
    for (raised_by, recs) in upward_by_units(mission) {
        let texts = recs.iter().map(|r| (r.addressees.clone(), inner_clause(&r.text))).filter(|(_, t)| !t.is_empty());
        let parts: Vec<String> = group_by(texts)
            .into_iter()
            .map(|(addressees, texts)| words(&[&join_addressees(&addressees), &texts.join("; ")]))
            .collect();
        if parts.is_empty() {
            continue;
        }
        let sentence = format!(
            "{} {} {}",
            raisers(mission, &raised_by),
            w::HAVE_RECOMMENDED,
            parts.join(&format!("; {} ", w::RECOMMENDED))
        );
        let sentence = if out.is_empty() {
            format!("{} {sentence}", if plural { w::AT_THE_SESSIONS } else { w::AT_THE_SESSION })
        } else {
            sentence
        };
        out.push(end_sentence(&capitalize_first(&sentence)));
    }
    (!out.is_empty()).then(|| out.join(" "))
}

/// "<Preamble>, Ban Thường vụ Quận ủy đề nghị Đảng ủy, Ban Chỉ đạo bầu cử các phường a. B. C." One paragraph per
/// issuer and set of addressees; the preamble opens the first.
fn downward_paragraphs(mission: &Mission) -> Vec<String> {
    let fallback_issuer = body(mission).to_owned();
    let downward = mission.recommendations.iter().filter_map(|r| match &r.origin {
        Origin::Downward { issuer } => {
            let issuer = issuer.as_deref().map(str::trim).filter(|s| !s.is_empty()).unwrap_or(&fallback_issuer);
            Some(((issuer.to_owned(), r.addressees.clone()), clause(&r.text)))
        }
        Origin::Upward { .. } => None,
    });
    let preamble = mission.conclusion_preamble.as_deref().map(clause).filter(|p| !p.is_empty());
    let mut seen_issuers: Vec<String> = Vec::new();
    let mut paragraphs = Vec::new();
    for ((issuer, addressees), texts) in group_by(downward.filter(|(_, t)| !t.is_empty())) {
        let verb = if seen_issuers.contains(&issuer) { w::ALSO_REQUESTS } else { w::REQUESTS };
        let head = words(&[&issuer, verb, &join_addressees(&addressees)]);
        let intro = match preamble {
            Some(preamble) if paragraphs.is_empty() => format!("{preamble}, {head}"),
            _ => head,
        };
        paragraphs.push(sentences(&intro, &texts));
        seen_issuers.push(issuer);
    }
    paragraphs
}

#[cfg(test)]
mod tests;
