//! Vietnamese wording of the editorial workflow: states, parts of an article, refusals.

use std::fmt;

use crate::report::{Part, ReportError, ReportState};

use super::labels;

/// A workflow step asked of an article nobody has drafted yet.
pub const NO_DRAFT: &str = "Chưa có bản nháp bài viết.";

/// The label of a report's state.
#[must_use]
pub const fn state(state: ReportState) -> &'static str {
    match state {
        ReportState::Draft => "Bản nháp",
        ReportState::AwaitingApproval => "Chờ duyệt",
        ReportState::Approved => "Đã duyệt, chờ đăng",
        ReportState::Published => "Đã đăng",
    }
}

/// The subject and plain-text body of the e-mail telling `name` that the article of `mission` (its name, see
/// `naming::mission_name`) waits for approval at `url`; `writer` asked for it.
#[must_use]
pub fn approval_email(name: &str, mission: &str, writer: &str, url: &str) -> (String, String) {
    let subject = format!("Bài viết chờ duyệt: {mission}");
    let body = format!(
        "Kính gửi {name},\n\n{writer} đã gửi bài viết về cuộc giám sát «{mission}» để duyệt.\n\
         Xem và duyệt bài viết tại:\n  {url}\n\nThư này do hệ thống gửi tự động.\n"
    );
    (subject, body)
}

/// The name of a part of an article, as the list of changes shows it.
#[must_use]
pub fn part(part: &Part) -> String {
    match part {
        Part::Title => "Tiêu đề".to_owned(),
        Part::Lead => "Đoạn mở đầu (sapo)".to_owned(),
        Part::Paragraph(i) => format!("Đoạn {}", i + 1),
        Part::Body => "Thân bài".to_owned(),
        Part::Caption(i) => format!("Chú thích ảnh {}", i + 1),
        Part::Byline => "Tác giả".to_owned(),
        Part::Source => "Nguồn".to_owned(),
        Part::Category => "Chuyên mục".to_owned(),
    }
}

/// The field a refusal belongs to, for the form (the `field` of [`ReportError::Text`], or the title's).
#[must_use]
pub fn field(error: &ReportError) -> &'static str {
    match error {
        ReportError::Text { field, .. } => field,
        ReportError::TitleMissing => "title",
        ReportError::CommentMissing => "comment",
        ReportError::CorrectionNoteMissing | ReportError::NothingToCorrect => "corrects",
        _ => "",
    }
}

impl fmt::Display for ReportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReportError::NotFrom { state: from, event } => {
                let what = match *event {
                    "request" => "gửi duyệt",
                    "withdraw" => "rút lại yêu cầu duyệt",
                    "approve" => "duyệt",
                    "send_back" => "trả lại",
                    _ => "đăng",
                };
                write!(f, "Không thể {what} khi bài đang ở trạng thái “{}”.", state(*from))
            }
            ReportError::LockedForApproval => {
                f.write_str("Bài đang chờ duyệt nên không sửa được. Hãy rút lại yêu cầu duyệt trước khi sửa.")
            }
            ReportError::CommentMissing => f.write_str("Hãy ghi lý do trả lại để người viết biết cần sửa gì."),
            ReportError::CorrectionNoteMissing => {
                f.write_str("Bài đã đăng trước đó: hãy ghi rõ bản đính chính này sửa nội dung gì.")
            }
            ReportError::NothingToCorrect => f.write_str("Bài chưa đăng lần nào nên không có gì để đính chính."),
            ReportError::MissionNotConcluded(s) => write!(
                f,
                "Cuộc giám sát đang ở trạng thái “{}”: chỉ duyệt và đăng bài khi đã có kết luận.",
                labels::mission_state(*s)
            ),
            ReportError::TitleMissing => f.write_str("Bài viết cần có tiêu đề."),
            ReportError::Text { error, .. } => error.fmt(f),
        }
    }
}
