//! The message catalogue: every Vietnamese word the domain shows a user, and the `Display` of every domain
//! error. Templates hold page text; this holds the text that code has to choose.

pub mod article;
pub mod cli;
mod date;
mod docnum;
pub mod formal;
pub mod labels;
pub mod ledger;
pub mod naming;
pub mod pages;
pub mod report;
pub mod security;
mod text;

use std::fmt;

use crate::interchange::{FieldProblem, ImportError, ShapeDetail};
use crate::mission::{EditError, InvalidMission, ItemKind, MissionProblem};
use crate::org::HierarchyError;
use crate::recommendation::{InvalidChange, LedgerError, LinkError};
use crate::workflow::{Missing, WorkflowError};

impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Missing::DecisionNumber => f.write_str("chưa có số quyết định"),
            Missing::DecisionDate => f.write_str("chưa có ngày ban hành quyết định"),
            Missing::Targets => f.write_str("chưa có đơn vị được giám sát"),
            Missing::Leader => f.write_str("chưa có trưởng đoàn"),
            Missing::SeveralLeaders { count } => write!(f, "đoàn có {count} trưởng đoàn, chỉ được có một"),
            Missing::FieldworkStart => f.write_str("chưa có ngày bắt đầu giám sát"),
            Missing::FieldworkEnd => f.write_str("chưa có ngày kết thúc giám sát"),
            Missing::AnySession => f.write_str("chưa có buổi làm việc nào"),
            Missing::SessionAt { kind, name } => {
                write!(f, "{} chưa có buổi làm việc", labels::target_with_kind(*kind, name))
            }
            Missing::SessionOutsideFieldwork { kind, name, date } => write!(
                f,
                "buổi làm việc tại {} ngày {} nằm ngoài thời gian giám sát",
                labels::target_with_kind(*kind, name),
                crate::date::format_short(*date)
            ),
            Missing::Findings { kind } => {
                write!(f, "chưa nhập {} (hoặc ghi nhận là không có)", labels::finding_kind(*kind).to_lowercase())
            }
            Missing::Recommendations => f.write_str("chưa có kiến nghị, đề nghị nào để theo dõi"),
            Missing::OpenRecommendations { count } => {
                write!(f, "còn {count} kiến nghị, đề nghị chưa thực hiện xong")
            }
        }
    }
}

impl fmt::Display for crate::workflow::CancelReasonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Missing => f.write_str("Vui lòng ghi lý do hủy cuộc giám sát."),
            Self::Text(e) => e.fmt(f),
        }
    }
}

impl fmt::Display for WorkflowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WorkflowError::NotAllowed { from, to } => write!(
                f,
                "không thể chuyển từ «{}» sang «{}»",
                labels::mission_state(*from),
                labels::mission_state(*to)
            ),
            WorkflowError::Preconditions { to, missing } => {
                write!(f, "chưa thể chuyển sang «{}»: ", labels::mission_state(*to))?;
                join(f, missing, "; ")
            }
        }
    }
}

impl fmt::Display for MissionProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MissionProblem::DuplicateTarget { name } => write!(f, "trùng tên đơn vị được giám sát «{name}»"),
            // An index from outside (the API) may be the largest integer: it is shown, never wrapped to 0.
            MissionProblem::UnknownTarget { index } => match index.checked_add(1) {
                Some(ordinal) => write!(f, "tham chiếu tới đơn vị thứ {ordinal} không có trong danh sách"),
                None => f.write_str("tham chiếu tới một đơn vị không có trong danh sách"),
            },
            MissionProblem::RepeatedTarget { index } => match index.checked_add(1) {
                Some(ordinal) => write!(f, "đơn vị thứ {ordinal} được nêu hai lần"),
                None => f.write_str("một đơn vị được nêu hai lần"),
            },
            MissionProblem::SeveralLeaders { count } => write!(f, "đoàn có {count} trưởng đoàn, chỉ được có một"),
            MissionProblem::NoLeaderUnderWay => f.write_str("đoàn đã tiến hành giám sát phải có trưởng đoàn"),
            MissionProblem::NoneRecordedButEntered { kind } => write!(
                f,
                "đã ghi nhận không có {0} nhưng vẫn có {0} được nhập",
                labels::finding_kind(*kind).to_lowercase()
            ),
            MissionProblem::EmptyAddressee => f.write_str("nơi nhận kiến nghị không được để trống"),
        }
    }
}

impl fmt::Display for InvalidMission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (path, problem)) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{path}: {problem}")?;
        }
        Ok(())
    }
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditError::NoSuchItem { kind, .. } => {
                let what = match kind {
                    ItemKind::Member => "thành viên",
                    ItemKind::Target => "đơn vị",
                    ItemKind::Session => "buổi làm việc",
                    ItemKind::Finding => "nội dung kết quả",
                    ItemKind::Recommendation => "kiến nghị",
                };
                write!(f, "{what} này không còn (có thể đã bị người khác xóa); hãy tải lại trang")
            }
            EditError::TargetInUse { name } => write!(
                f,
                "không thể xóa đơn vị «{name}» vì còn buổi làm việc, kết quả hoặc kiến nghị gắn với đơn vị này"
            ),
            EditError::Invalid(e) => e.fmt(f),
        }
    }
}

impl fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldProblem::Text(e) => e.fmt(f),
            FieldProblem::Date { value } => {
                write!(f, "ngày không hợp lệ «{value}» (cần dạng YYYY-MM-DD, ví dụ 2021-03-09)")
            }
            FieldProblem::DateTime { value } => {
                write!(f, "thời điểm không hợp lệ «{value}» (cần dạng RFC 3339, ví dụ 2021-04-23T08:08:00+07:00)")
            }
            FieldProblem::DocumentNumber(e) => e.fmt(f),
            FieldProblem::UnknownCode { value, allowed } => {
                write!(f, "giá trị không hợp lệ «{value}» (dùng một trong: {allowed})")
            }
            FieldProblem::UnknownTarget { name } => {
                write!(f, "đơn vị «{name}» không có trong danh sách đơn vị được giám sát (targets)")
            }
            FieldProblem::Period(e) => e.fmt(f),
            FieldProblem::NobodyNamed => f.write_str("thành viên cần có họ tên hoặc mô tả nhóm (description)"),
            FieldProblem::Mission(p) => p.fmt(f),
            FieldProblem::Ledger(p) => p.fmt(f),
        }
    }
}

impl fmt::Display for ShapeDetail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShapeDetail::UnknownField { field } => write!(f, "trường không được phép «{field}»"),
            ShapeDetail::MissingField { field } => write!(f, "thiếu trường bắt buộc «{field}»"),
            ShapeDetail::UnknownVariant { value } => write!(f, "giá trị không hợp lệ «{value}»"),
            ShapeDetail::WrongType { found, expected } => {
                write!(f, "sai kiểu dữ liệu: nhận {found}, cần {expected}")
            }
            ShapeDetail::Other { message } => write!(f, "dữ liệu không đúng cấu trúc ({message})"),
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::TooLarge { bytes } => {
                write!(f, "tệp quá lớn ({bytes} byte; tối đa {} byte)", crate::interchange::MAX_FILE_BYTES)
            }
            ImportError::Syntax { line, column } => {
                write!(f, "không phải JSON hợp lệ (lỗi cú pháp ở dòng {line}, cột {column})")
            }
            ImportError::Shape { path, detail } if path.is_empty() || path == "." => detail.fmt(f),
            ImportError::Shape { path, detail } => write!(f, "{path}: {detail}"),
            ImportError::WrongFormat { found } => {
                write!(f, "format: định dạng «{found}» không được hỗ trợ (cần «{}»)", crate::interchange::FORMAT)
            }
            ImportError::Fields(problems) => {
                for (i, (path, problem)) in problems.iter().enumerate() {
                    if i > 0 {
                        f.write_str("\n")?;
                    }
                    write!(f, "{path}: {problem}")?;
                }
                Ok(())
            }
        }
    }
}

impl fmt::Display for LedgerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LedgerError::NotAllowed { from, to } => write!(
                f,
                "Không thể chuyển trạng thái từ «{}» sang «{}».",
                labels::rec_status(*from),
                labels::rec_status(*to)
            ),
            LedgerError::NoteRequired => f.write_str(ledger::NOTE_REQUIRED),
            LedgerError::ProgressRequired => f.write_str(ledger::PROGRESS_REQUIRED),
            LedgerError::ConfirmationRequired => f.write_str(ledger::CONFIRMATION_REQUIRED),
            LedgerError::ApproverRequired => f.write_str(ledger::APPROVER_REQUIRED),
            LedgerError::ReasonRequired => f.write_str(ledger::REASON_REQUIRED),
            LedgerError::SameDueDate => f.write_str("Hạn mới trùng với hạn hiện tại."),
            LedgerError::Settled => f.write_str("Kiến nghị đã kết thúc theo dõi, không đổi hạn được nữa."),
            LedgerError::AddresseeRequired => f.write_str(ledger::ADDRESSEE_REQUIRED),
        }
    }
}

impl fmt::Display for InvalidChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LinkError::Itself => "một kiến nghị không thể lặp lại chính nó",
            LinkError::SameMission => {
                "kiến nghị được chọn thuộc cùng cuộc giám sát; hãy chọn kiến nghị của một cuộc giám sát trước"
            }
            LinkError::NotEarlier => "kiến nghị được chọn thuộc một cuộc giám sát sau cuộc giám sát này",
            LinkError::OtherUnit => "kiến nghị được chọn thuộc một đơn vị được giám sát khác",
            LinkError::AlreadyLinked => "liên kết này đã được ghi",
            LinkError::Cycle => "kiến nghị được chọn đã được ghi là lặp lại kiến nghị này (liên kết sẽ tạo thành vòng)",
            LinkError::OwnMission => "đây là chính cuộc giám sát đã đưa ra kiến nghị",
            LinkError::MissionNotLater => "cuộc giám sát lại phải diễn ra sau cuộc giám sát đã đưa ra kiến nghị",
        })
    }
}

impl fmt::Display for crate::csv::UnclosedQuote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "dấu ngoặc kép mở từ dòng {} không được đóng", self.line)
    }
}

impl fmt::Display for HierarchyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HierarchyError::Cycle { .. } => f.write_str("quan hệ cấp trên tạo thành vòng lặp"),
            HierarchyError::UnknownParent { .. } => f.write_str("không tìm thấy cơ quan, đơn vị cấp trên"),
        }
    }
}

fn join<T: fmt::Display>(f: &mut fmt::Formatter<'_>, items: &[T], separator: &str) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(separator)?;
        }
        item.fmt(f)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::codes::{FindingKind, TargetKind};
    use crate::workflow::{Missing, MissionState, WorkflowError};

    #[test]
    fn a_refused_transition_names_what_is_missing_in_vietnamese() {
        let err = WorkflowError::Preconditions {
            to: MissionState::Drafting,
            missing: vec![
                Missing::Leader,
                Missing::SessionAt { kind: TargetKind::Ward, name: "Hàng Bạc".to_owned() },
                Missing::Findings { kind: FindingKind::Shortcoming },
            ],
        };
        assert_eq!(
            err.to_string(),
            "chưa thể chuyển sang «Đang dự thảo báo cáo»: chưa có trưởng đoàn; phường Hàng Bạc chưa có buổi làm việc; \
             chưa nhập hạn chế (hoặc ghi nhận là không có)"
        );
    }

    #[test]
    fn targets_of_unknown_kind_are_called_units() {
        let missing = Missing::SessionAt { kind: TargetKind::Unknown, name: "Tân Lập".to_owned() };
        assert_eq!(missing.to_string(), "đơn vị Tân Lập chưa có buổi làm việc");
    }
}
