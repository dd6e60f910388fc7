//! The editorial workflow of a mission's news article: a writer drafts and edits it, asks for approval, the
//! mission's leader (or an administrator) approves it or sends it back, and publishing freezes an immutable
//! version. A correction is a new version that says what it corrects; earlier versions stay as they were.
//!
//! ```text
//! draft ──request──▶ awaiting_approval ──approve──▶ approved ──publish──▶ published
//!   ▲                   │   │                          │                    │
//!   └──── send back ────┘   └── withdraw ─▶ draft       └── edit ─▶ draft    └── edit ─▶ draft (a correction)
//! ```
//!
//! Regenerating after the mission's data changed is a three-way merge ([`merge`]): a part the writer did not
//! touch follows the data; a part the writer edited stays as edited, and the change in the data is reported
//! beside it, so an edit is never overwritten silently.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::article::{Article, compose};
use crate::codes::coded_enum;
use crate::mission::Mission;
use crate::text::{self, TextError};
use crate::workflow::MissionState;

coded_enum! {
    /// Where a report's working copy stands.
    pub enum ReportState {
        Draft => "draft",
        AwaitingApproval => "awaiting_approval",
        Approved => "approved",
        /// The working copy is the latest published version, unchanged since.
        Published => "published",
    }
}

/// What someone does to a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportEvent {
    /// Save edited content, or regenerated content.
    Edit,
    RequestApproval,
    /// The writer takes the request back to change something.
    Withdraw,
    Approve,
    /// The approver refuses, saying why.
    SendBack {
        comment: String,
    },
    /// Freeze a version. `corrects` says what a correction corrects; the first version has none.
    Publish {
        corrects: Option<String>,
    },
}

/// Why a step is refused (its wording is in `messages::report`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    /// The step does not start from this state.
    NotFrom { state: ReportState, event: &'static str },
    /// A request for approval is being looked at: withdraw it first.
    LockedForApproval,
    /// Sending back needs a comment.
    CommentMissing,
    /// A correction must say what it corrects.
    CorrectionNoteMissing,
    /// The first version corrects nothing.
    NothingToCorrect,
    /// Only a concluded mission (or one in follow-up, or closed) is published.
    MissionNotConcluded(MissionState),
    /// The title is empty.
    TitleMissing,
    /// A field's text is refused.
    Text { field: &'static str, error: TextError },
}

/// Whether a mission in `state` may have its report approved and published: its findings are settled.
#[must_use]
pub fn publishable(state: MissionState) -> bool {
    matches!(state, MissionState::Concluded | MissionState::FollowUp | MissionState::Closed)
}

/// The state after `event`, given the current state, how many versions are already published and the
/// mission's state.
///
/// # Errors
/// [`ReportError`] when the step is not possible from here.
pub fn step(
    state: ReportState,
    event: &ReportEvent,
    published_versions: u32,
    mission: MissionState,
) -> Result<ReportState, ReportError> {
    use ReportState as S;
    let not_from = |event: &'static str| Err(ReportError::NotFrom { state, event });
    match (event, state) {
        (ReportEvent::Edit, S::AwaitingApproval) => Err(ReportError::LockedForApproval),
        (ReportEvent::Edit, _) => Ok(S::Draft),
        (ReportEvent::RequestApproval, S::Draft) => Ok(S::AwaitingApproval),
        (ReportEvent::RequestApproval, _) => not_from("request"),
        (ReportEvent::Withdraw, S::AwaitingApproval) => Ok(S::Draft),
        (ReportEvent::Withdraw, _) => not_from("withdraw"),
        (ReportEvent::Approve, S::AwaitingApproval) if !publishable(mission) => {
            Err(ReportError::MissionNotConcluded(mission))
        }
        (ReportEvent::Approve, S::AwaitingApproval) => Ok(S::Approved),
        (ReportEvent::Approve, _) => not_from("approve"),
        (ReportEvent::SendBack { comment }, S::AwaitingApproval) if comment.trim().is_empty() => {
            Err(ReportError::CommentMissing)
        }
        (ReportEvent::SendBack { .. }, S::AwaitingApproval) => Ok(S::Draft),
        (ReportEvent::SendBack { .. }, _) => not_from("send_back"),
        (ReportEvent::Publish { corrects }, S::Approved) => {
            let has_note = corrects.as_deref().is_some_and(|c| !c.trim().is_empty());
            if !publishable(mission) {
                Err(ReportError::MissionNotConcluded(mission))
            } else if published_versions > 0 && !has_note {
                Err(ReportError::CorrectionNoteMissing)
            } else if published_versions == 0 && has_note {
                Err(ReportError::NothingToCorrect)
            } else {
                Ok(S::Published)
            }
        }
        (ReportEvent::Publish { .. }, _) => not_from("publish"),
    }
}

/// A photo of the mission as the article uses it: which stored file, its caption, and whether it is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftPhoto {
    pub file: Option<String>,
    pub caption: String,
    pub included: bool,
}

/// The content of a news article as a writer edits it, and as a published version freezes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleContent {
    pub title: String,
    pub lead: String,
    pub paragraphs: Vec<String>,
    pub photos: Vec<DraftPhoto>,
    pub byline: Option<String>,
    pub source: Option<String>,
    pub category: Option<String>,
}

/// The longest title, lead and paragraph a writer may save.
pub const MAX_TITLE: usize = 500;
pub const MAX_PARAGRAPH: usize = 20_000;
pub const MAX_LINE: usize = 500;

impl ArticleContent {
    /// The article the mission's data gives today, with every photo that has a caption or a file.
    #[must_use]
    pub fn generate(mission: &Mission) -> ArticleContent {
        let article = compose(mission);
        let photos = mission
            .sessions
            .iter()
            .flat_map(|s| s.photos.iter())
            .filter(|p| !p.caption.trim().is_empty() || p.file.is_some())
            .map(|p| DraftPhoto { file: p.file.clone(), caption: p.caption.trim().to_owned(), included: true })
            .collect();
        ArticleContent {
            title: article.title,
            lead: article.lead,
            paragraphs: article.paragraphs,
            photos,
            byline: article.byline,
            source: article.source,
            category: mission.publication.as_ref().and_then(|p| p.category.clone()),
        }
    }

    /// The content as an [`Article`] (for the text and Markdown forms): the included photos' captions.
    #[must_use]
    pub fn to_article(&self) -> Article {
        Article {
            title: self.title.clone(),
            lead: self.lead.clone(),
            paragraphs: self.paragraphs.clone(),
            captions: self
                .photos
                .iter()
                .filter(|p| p.included && !p.caption.is_empty())
                .map(|p| p.caption.clone())
                .collect(),
            byline: self.byline.clone(),
            source: self.source.clone(),
        }
    }

    /// Checks and normalises edited content (NFC, no control characters, lengths); empty paragraphs are
    /// dropped.
    ///
    /// # Errors
    /// Every refused field, with its name.
    pub fn cleaned(self) -> Result<ArticleContent, Vec<ReportError>> {
        let mut errors = Vec::new();
        let mut required = |field: &'static str, value: &str, max: usize| match text::clean(value, max) {
            Ok(v) => v,
            Err(TextError::Empty) if field == "title" => {
                errors.push(ReportError::TitleMissing);
                String::new()
            }
            Err(TextError::Empty) => String::new(),
            Err(error) => {
                errors.push(ReportError::Text { field, error });
                String::new()
            }
        };
        let title = required("title", &self.title, MAX_TITLE);
        let lead = required("lead", &self.lead, MAX_PARAGRAPH);
        let paragraphs: Vec<String> = self
            .paragraphs
            .iter()
            .map(|p| required("paragraphs", p, MAX_PARAGRAPH))
            .filter(|p| !p.is_empty())
            .collect();
        let photos = self
            .photos
            .iter()
            .map(|p| DraftPhoto { caption: required("captions", &p.caption, MAX_PARAGRAPH), ..p.clone() })
            .collect();
        let mut optional = |field: &'static str, value: Option<&String>| {
            value.and_then(|v| match text::clean_optional(v, MAX_LINE) {
                Ok(v) => v,
                Err(error) => {
                    errors.push(ReportError::Text { field, error });
                    None
                }
            })
        };
        let byline = optional("byline", self.byline.as_ref());
        let source = optional("source", self.source.as_ref());
        let category = optional("category", self.category.as_ref());
        if errors.is_empty() {
            Ok(ArticleContent { title, lead, paragraphs, photos, byline, source, category })
        } else {
            Err(errors)
        }
    }

    /// The canonical bytes of this content (what a published version stores and hashes).
    #[must_use]
    pub fn canonical_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// The SHA-256 of a published version's stored bytes, in lower-case hex: its identity, and its ETag.
#[must_use]
pub fn content_hash(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part.as_bytes());
    }
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// A readable URL slug of a title: no diacritics (`đ` → `d`), lower case, words joined by `-`, at most about
/// 80 characters cut at a word; `bai-viet` when nothing is left.
#[must_use]
pub fn slug(title: &str) -> String {
    let folded = text::fold(title);
    let mut out = String::new();
    for word in folded.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()) {
        if out.len() + word.len() + 1 > 80 && !out.is_empty() {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(word);
    }
    if out.is_empty() { "bai-viet".to_owned() } else { out }
}

/// Which part of the article a change concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    Title,
    Lead,
    Paragraph(usize),
    /// The body as a whole, when the number of paragraphs changed on both sides.
    Body,
    Caption(usize),
    Byline,
    Source,
    Category,
}

/// One change that regenerating found in the data: the part, the text before and after, and whether the
/// writer's edit of that part was kept (then `after` is shown beside it, not applied).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub part: Part,
    pub before: String,
    pub after: String,
    pub kept_edit: bool,
}

/// The result of regenerating: the merged content and what changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merge {
    pub content: ArticleContent,
    pub changes: Vec<Change>,
}

/// Three-way merge of regenerated content: `base` is what was generated last time, `edited` the working copy,
/// `fresh` what the data gives now. Parts the writer left as generated follow the data; edited parts stay.
#[must_use]
pub fn merge(base: &ArticleContent, edited: &ArticleContent, fresh: &ArticleContent) -> Merge {
    let mut changes = Vec::new();
    let mut pick = |part: Part, base: &str, edited: &str, fresh: &str| -> String {
        if base == fresh {
            return edited.to_owned();
        }
        let kept_edit = edited != base && edited != fresh;
        changes.push(Change { part, before: base.to_owned(), after: fresh.to_owned(), kept_edit });
        if kept_edit { edited.to_owned() } else { fresh.to_owned() }
    };
    let title = pick(Part::Title, &base.title, &edited.title, &fresh.title);
    let lead = pick(Part::Lead, &base.lead, &edited.lead, &fresh.lead);
    let paragraphs =
        if base.paragraphs.len() == fresh.paragraphs.len() && base.paragraphs.len() == edited.paragraphs.len() {
            base.paragraphs
                .iter()
                .zip(&edited.paragraphs)
                .zip(&fresh.paragraphs)
                .enumerate()
                .map(|(i, ((b, e), f))| pick(Part::Paragraph(i), b, e, f))
                .collect()
        } else {
            let joined = |c: &ArticleContent| c.paragraphs.join("\n\n");
            let body = pick(Part::Body, &joined(base), &joined(edited), &joined(fresh));
            body.split("\n\n").filter(|p| !p.trim().is_empty()).map(str::to_owned).collect()
        };
    let photos = if base.photos.len() == fresh.photos.len() && base.photos.len() == edited.photos.len() {
        base.photos
            .iter()
            .zip(&edited.photos)
            .zip(&fresh.photos)
            .enumerate()
            .map(|(i, ((b, e), f))| DraftPhoto {
                file: f.file.clone(),
                caption: pick(Part::Caption(i), &b.caption, &e.caption, &f.caption),
                included: e.included,
            })
            .collect()
    } else {
        // Photos were added or removed in the data: the data's list, with the writer's caption and choice for
        // every file that is still there.
        fresh
            .photos
            .iter()
            .map(|p| {
                let mine = edited.photos.iter().find(|e| e.file.is_some() && e.file == p.file);
                mine.map_or_else(|| p.clone(), |e| DraftPhoto { file: p.file.clone(), ..e.clone() })
            })
            .collect()
    };
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let non_empty = |s: String| if s.is_empty() { None } else { Some(s) };
    let byline = non_empty(pick(Part::Byline, &opt(&base.byline), &opt(&edited.byline), &opt(&fresh.byline)));
    let source = non_empty(pick(Part::Source, &opt(&base.source), &opt(&edited.source), &opt(&fresh.source)));
    let category = non_empty(pick(Part::Category, &opt(&base.category), &opt(&edited.category), &opt(&fresh.category)));
    Merge { content: ArticleContent { title, lead, paragraphs, photos, byline, source, category }, changes }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL_EVENTS: [&str; 6] = ["edit", "request", "withdraw", "approve", "send_back", "publish"];

    fn event(name: &str) -> ReportEvent {
        match name {
            "edit" => ReportEvent::Edit,
            "request" => ReportEvent::RequestApproval,
            "withdraw" => ReportEvent::Withdraw,
            "approve" => ReportEvent::Approve,
            "send_back" => ReportEvent::SendBack { comment: "Sửa lại đoạn mở đầu".to_owned() },
            _ => ReportEvent::Publish { corrects: None },
        }
    }

    /// Every (state, event) pair with a concluded mission and nothing published yet.
    #[test]
    fn every_transition() {
        use ReportState as S;
        let expected = |state: S, name: &str| -> Option<S> {
            match (state, name) {
                (S::AwaitingApproval, "edit") => None,
                (_, "edit") => Some(S::Draft),
                (S::Draft, "request") => Some(S::AwaitingApproval),
                (S::AwaitingApproval, "withdraw" | "send_back") => Some(S::Draft),
                (S::AwaitingApproval, "approve") => Some(S::Approved),
                (S::Approved, "publish") => Some(S::Published),
                _ => None,
            }
        };
        for &state in S::ALL {
            for name in ALL_EVENTS {
                let got = step(state, &event(name), 0, MissionState::Concluded).ok();
                assert_eq!(got, expected(state, name), "{state:?} + {name}");
            }
        }
    }

    #[test]
    fn editing_while_awaiting_approval_is_refused() {
        assert_eq!(
            step(ReportState::AwaitingApproval, &ReportEvent::Edit, 0, MissionState::Concluded),
            Err(ReportError::LockedForApproval)
        );
    }

    #[test]
    fn sending_back_needs_a_comment() {
        let blank = ReportEvent::SendBack { comment: "  ".to_owned() };
        assert_eq!(
            step(ReportState::AwaitingApproval, &blank, 0, MissionState::Concluded),
            Err(ReportError::CommentMissing)
        );
    }

    #[test]
    fn only_a_concluded_mission_is_approved_or_published() {
        for mission in [MissionState::InProgress, MissionState::Drafting, MissionState::Cancelled] {
            assert_eq!(
                step(ReportState::AwaitingApproval, &ReportEvent::Approve, 0, mission),
                Err(ReportError::MissionNotConcluded(mission))
            );
            assert_eq!(
                step(ReportState::Approved, &ReportEvent::Publish { corrects: None }, 0, mission),
                Err(ReportError::MissionNotConcluded(mission))
            );
        }
        for mission in [MissionState::Concluded, MissionState::FollowUp, MissionState::Closed] {
            assert!(publishable(mission));
        }
    }

    #[test]
    fn a_correction_says_what_it_corrects_and_a_first_version_corrects_nothing() {
        let plain = ReportEvent::Publish { corrects: None };
        let noted = ReportEvent::Publish { corrects: Some("Sửa tên đồng chí Phó trưởng đoàn".to_owned()) };
        let concluded = MissionState::Concluded;
        assert_eq!(step(ReportState::Approved, &plain, 1, concluded), Err(ReportError::CorrectionNoteMissing));
        assert_eq!(step(ReportState::Approved, &noted, 1, concluded), Ok(ReportState::Published));
        assert_eq!(step(ReportState::Approved, &noted, 0, concluded), Err(ReportError::NothingToCorrect));
        assert_eq!(step(ReportState::Approved, &plain, 0, concluded), Ok(ReportState::Published));
    }

    fn content(title: &str, paragraphs: &[&str]) -> ArticleContent {
        ArticleContent {
            title: title.to_owned(),
            lead: "Mở đầu".to_owned(),
            paragraphs: paragraphs.iter().map(|p| (*p).to_owned()).collect(),
            photos: vec![DraftPhoto { file: Some("a.png".to_owned()), caption: "Ảnh 1".to_owned(), included: true }],
            byline: Some("Tin: Minh Anh".to_owned()),
            source: None,
            category: None,
        }
    }

    #[test]
    fn regenerating_follows_the_data_where_the_writer_did_not_edit() {
        let base = content("Tiêu đề", &["Đoạn 1", "Đoạn 2"]);
        let fresh = content("Tiêu đề mới", &["Đoạn 1", "Đoạn 2 mới"]);
        let merged = merge(&base, &base, &fresh);
        assert_eq!(merged.content, fresh);
        assert_eq!(merged.changes.len(), 2);
        assert!(merged.changes.iter().all(|c| !c.kept_edit));
    }

    #[test]
    fn regenerating_never_overwrites_an_edit_silently() {
        let base = content("Tiêu đề", &["Đoạn 1", "Đoạn 2"]);
        let mut edited = base.clone();
        edited.paragraphs[1] = "Đoạn 2 do người viết sửa".to_owned();
        let fresh = content("Tiêu đề", &["Đoạn 1", "Đoạn 2 theo dữ liệu mới"]);
        let merged = merge(&base, &edited, &fresh);
        assert_eq!(merged.content.paragraphs[1], "Đoạn 2 do người viết sửa");
        assert_eq!(
            merged.changes,
            vec![Change {
                part: Part::Paragraph(1),
                before: "Đoạn 2".to_owned(),
                after: "Đoạn 2 theo dữ liệu mới".to_owned(),
                kept_edit: true,
            }]
        );
    }

    #[test]
    fn an_edit_the_data_did_not_touch_stays_without_a_change() {
        let base = content("Tiêu đề", &["Đoạn 1"]);
        let mut edited = base.clone();
        edited.title = "Tiêu đề hay hơn".to_owned();
        edited.photos[0].included = false;
        let merged = merge(&base, &edited, &base);
        assert_eq!(merged.content, edited);
        assert!(merged.changes.is_empty());
    }

    #[test]
    fn a_body_of_another_length_is_merged_whole() {
        let base = content("T", &["A", "B"]);
        let mut edited = base.clone();
        edited.paragraphs.push("C của người viết".to_owned());
        let fresh = content("T", &["A", "B", "D của dữ liệu"]);
        let merged = merge(&base, &edited, &fresh);
        assert_eq!(merged.content.paragraphs, edited.paragraphs);
        assert!(matches!(merged.changes.as_slice(), [Change { part: Part::Body, kept_edit: true, .. }]));
    }

    #[test]
    fn slugs_have_no_diacritics() {
        assert_eq!(
            slug("Đoàn Giám sát số 5 giám sát công tác lãnh đạo bầu cử tại các phường"),
            "doan-giam-sat-so-5-giam-sat-cong-tac-lanh-dao-bau-cu-tai-cac-phuong"
        );
        assert_eq!(slug("???"), "bai-viet");
        assert!(slug(&"Đường dài ".repeat(40)).len() <= 80);
    }

    #[test]
    fn cleaning_refuses_control_characters_and_an_empty_title() {
        let mut c = content(" ", &["ok", "   "]);
        c.lead = "bad\u{0}".to_owned();
        let errors = c.cleaned().expect_err("refused");
        assert!(errors.contains(&ReportError::TitleMissing));
        assert!(errors.iter().any(|e| matches!(e, ReportError::Text { field: "lead", .. })));
        let ok = content("Tiêu đề", &["Đoạn", "  "]).cleaned().expect("accepted");
        assert_eq!(ok.paragraphs, vec!["Đoạn".to_owned()]);
    }

    #[test]
    fn the_hash_covers_every_part_and_their_boundaries() {
        assert_ne!(content_hash(&["ab", "c"]), content_hash(&["a", "bc"]));
        assert_eq!(content_hash(&["x"]).len(), 64);
    }

    #[test]
    fn generated_content_keeps_every_photo_and_the_article_lists_included_captions() {
        let mut c = content("T", &["A"]);
        c.photos.push(DraftPhoto { file: None, caption: "Ảnh 2".to_owned(), included: false });
        assert_eq!(c.to_article().captions, vec!["Ảnh 1".to_owned()]);
    }
}
