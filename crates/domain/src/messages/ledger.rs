//! Sentences of the recommendation ledger that code chooses (field errors, history lines).

use chrono::NaiveDate;

use crate::date::format_short;

pub const NOTE_REQUIRED: &str = "Vui lòng ghi rõ nội dung (mỗi thay đổi cần có ghi chú).";
pub const PROGRESS_REQUIRED: &str = "Vui lòng ghi rõ đã làm được những gì.";
pub const STATUS_NOT_OFFERED: &str = "Bạn không thể chuyển sang trạng thái này.";
pub const CONFIRMATION_REQUIRED: &str =
    "Muốn ghi nhận «Đã thực hiện», bên giám sát cần đánh dấu xác nhận báo cáo của đơn vị.";
pub const APPROVER_REQUIRED: &str = "Đổi hạn đã định cần ghi người phê duyệt.";
pub const REASON_REQUIRED: &str = "Đổi hạn đã định cần ghi lý do.";
pub const ADDRESSEE_REQUIRED: &str = "Cần ít nhất một nơi nhận (mỗi dòng một cơ quan, đơn vị).";
pub const EVIDENCE_NOT_AN_IMAGE: &str = "Tệp minh chứng phải là ảnh JPEG, PNG hoặc WebP (ảnh chụp, bản quét).";
pub const EVIDENCE_TOO_LARGE: &str = "Tệp minh chứng lớn quá 10 MB.";
pub const EVIDENCE_NOT_STORED: &str = "Không lưu được tệp minh chứng; vui lòng thử lại.";
pub const NOT_IN_LIST: &str = "Vui lòng chọn một giá trị trong danh sách.";
pub const NOT_A_NUMBER: &str = "Vui lòng nhập một số.";

/// The worksheet of the ledger's XLSX export (Excel allows at most 31 characters).
pub const EXPORT_SHEET: &str = "Sổ theo dõi kiến nghị";

/// The name of an exported file, without its extension ("sổ theo dõi kiến nghị" in ASCII).
pub const EXPORT_FILE: &str = "so-theo-doi-kien-nghi";

/// The header row of the ledger's spreadsheet exports (CSV and XLSX), in column order.
pub const EXPORT_HEADER: [&str; 11] = [
    "Mã",
    "Cuộc giám sát",
    "Chiều",
    "Nội dung",
    "Nơi nhận",
    "Người, đơn vị theo dõi",
    "Hạn",
    "Hạn ban đầu",
    "Trạng thái",
    "Ưu tiên",
    "Cập nhật tiến độ",
];

/// The header of files exported before December 2026, which carried the item's version as a second column;
/// the import still reads them (the version is ignored: a progress update is an addition).
pub const EXPORT_HEADER_WITH_VERSION: [&str; 12] = [
    "Mã",
    "Phiên bản",
    "Cuộc giám sát",
    "Chiều",
    "Nội dung",
    "Nơi nhận",
    "Người, đơn vị theo dõi",
    "Hạn",
    "Hạn ban đầu",
    "Trạng thái",
    "Ưu tiên",
    "Cập nhật tiến độ",
];

/// The name of an account's calendar feed.
#[must_use]
pub fn calendar_name(user: &str) -> String {
    format!("Lịch giám sát – {user}")
}

/// A due date in the calendar: "Hạn: Tăng cường công tác tuyên truyền… (Đoàn Giám sát số 5 — 109-QĐ/QU, 2021)".
#[must_use]
pub fn calendar_due(text: &str, mission: &str) -> String {
    format!("Hạn: {} ({mission})", crate::text::capitalize_first(text))
}

/// A working session in the calendar: "Làm việc tại phường Hàng Bạc (Đoàn Giám sát số 5 — 109-QĐ/QU, 2021)".
#[must_use]
pub fn calendar_session(target: &str, mission: &str) -> String {
    format!("Làm việc tại {target} ({mission})")
}

/// A refused line of an imported file: "Dòng 4, cột «Mã»: không có kiến nghị này".
#[must_use]
pub fn import_problem(line: usize, column: Option<&str>, problem: &str) -> String {
    match column {
        Some(column) => format!("Dòng {line}, cột «{column}»: {problem}"),
        None => format!("Dòng {line}: {problem}"),
    }
}

pub const CHART_BY_MISSION: &str = "Tiến độ thực hiện kiến nghị theo cuộc giám sát";
pub const CHART_BY_UNIT: &str = "Tiến độ thực hiện kiến nghị theo đơn vị được giám sát";
/// The chart's legend, in the order of its bars' parts: settled, open (not overdue), overdue.
pub const CHART_LEGEND: [&str; 3] = ["Đã giải quyết", "Đang theo dõi, chưa quá hạn", "Quá hạn"];
/// What the figures after each bar are.
pub const CHART_FIGURES: &str = "Số bên phải mỗi thanh: đã giải quyết / đang theo dõi / quá hạn";

/// The API's answer to a refused request (422), above its `field: message` list.
pub const API_REFUSED: &str = "Yêu cầu chưa hợp lệ; chưa có gì được lưu.";

pub const IMPORT_NO_FILE: &str = "Chưa chọn tệp CSV.";
pub const IMPORT_NOT_UTF8: &str = "tệp không phải văn bản UTF-8 (hãy lưu từ Excel dạng «CSV UTF-8»)";
pub const IMPORT_HEADER: &str = "dòng tiêu đề không đúng mẫu của tệp xuất từ sổ theo dõi";
pub const IMPORT_COLUMNS: &str = "số cột không đúng mẫu của tệp xuất";
pub const IMPORT_NOT_AN_ID: &str = "không phải mã kiến nghị";
pub const IMPORT_UNKNOWN: &str = "không có kiến nghị này, hoặc bạn không được báo cáo tiến độ cho kiến nghị này";
pub const IMPORT_STALE: &str = "kiến nghị vừa được người khác cập nhật trong lúc nhập; hãy nhập lại tệp";
pub const IMPORT_NOTHING: &str = "Tệp không có dòng nào ghi cập nhật tiến độ.";

/// A file with more data rows than one import takes; nothing of it is read further.
#[must_use]
pub fn import_too_many_rows(rows: usize, max: usize) -> String {
    format!(
        "Tệp có {rows} dòng dữ liệu; mỗi lần chỉ nhập được tối đa {max} dòng. Hãy lọc sổ theo dõi (theo cuộc giám \
         sát, nơi nhận…), xuất và nhập từng phần. Chưa có gì được lưu."
    )
}

/// "lùi hạn 2 lần", or nothing when the date never moved back.
#[must_use]
pub fn deferred(times: usize) -> String {
    if times == 0 { String::new() } else { format!("lùi hạn {times} lần") }
}

/// The history line of a status change: "Chuyển trạng thái: Đã ban hành → Đang thực hiện".
#[must_use]
pub fn status_change(from: crate::recommendation::RecStatus, to: crate::recommendation::RecStatus) -> String {
    format!("Chuyển trạng thái: {} → {}", super::labels::rec_status(from), super::labels::rec_status(to))
}

/// The history line of a progress report.
pub const PROGRESS_EVENT: &str = "Báo cáo tiến độ";
/// The history line of an assignment (owner, addressees, priority).
pub const ASSIGNMENT_EVENT: &str = "Phân công theo dõi, nơi nhận, mức ưu tiên";

/// A due date as a history line shows it.
#[must_use]
pub fn due(date: Option<NaiveDate>) -> String {
    date.map_or_else(|| "không hạn".to_owned(), format_short)
}

/// The line of a due-date change: "Đổi hạn từ 30/4/2021 sang 15/5/2021 (phê duyệt: Thường trực Quận ủy)".
#[must_use]
pub fn due_change(from: Option<NaiveDate>, to: Option<NaiveDate>, approved_by: Option<&str>) -> String {
    let head = match from {
        None => format!("Đặt hạn {}", due(to)),
        Some(_) => format!("Đổi hạn từ {} sang {}", due(from), due(to)),
    };
    match approved_by {
        Some(who) => format!("{head} (phê duyệt: {who})"),
        None => head,
    }
}

/// One line of a reminder e-mail: a recommendation's text, its due date and its page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderLine {
    pub text: String,
    /// The mission's name ([`crate::naming::mission_name`]).
    pub mission: String,
    pub due_on: NaiveDate,
    pub url: String,
}

/// The subject and plain-text body of the reminder sent to `name`: overdue items first, then those due soon.
#[must_use]
pub fn reminder_email(name: &str, overdue: &[ReminderLine], soon: &[ReminderLine]) -> (String, String) {
    let subject = format!("Nhắc việc: {} kiến nghị quá hạn, {} sắp đến hạn", overdue.len(), soon.len());
    let mut body = format!("Kính gửi {name},\n\n");
    let mut section = |title: &str, lines: &[ReminderLine]| {
        if lines.is_empty() {
            return;
        }
        body.push_str(title);
        body.push('\n');
        for line in lines {
            body.push_str(&format!(
                "- {} (hạn {})\n  {}\n  {}\n",
                line.text,
                format_short(line.due_on),
                line.mission,
                line.url
            ));
        }
        body.push('\n');
    };
    section("Quá hạn:", overdue);
    section("Đến hạn trong 7 ngày tới:", soon);
    body.push_str("Thư này do hệ thống theo dõi kiến nghị gửi tự động.\n");
    (subject, body)
}

/// The history line of a recorded link.
#[must_use]
pub fn link_event(kind: crate::recommendation::LinkKind, other: i64) -> String {
    match kind {
        crate::recommendation::LinkKind::Repeats => format!("Ghi liên kết: lặp lại kiến nghị số {other}"),
        crate::recommendation::LinkKind::ResupervisedBy => {
            format!("Ghi liên kết: được kiểm tra lại bởi cuộc giám sát số {other}")
        }
    }
}

/// What the mission page says of an item with links.
#[must_use]
pub const fn link_mark(kind: crate::recommendation::LinkKind) -> &'static str {
    match kind {
        crate::recommendation::LinkKind::Repeats => "lặp lại kiến nghị của cuộc giám sát trước",
        crate::recommendation::LinkKind::ResupervisedBy => "đã được giám sát lại",
    }
}

pub const REPEATS_FROM: &str = "Lặp lại từ";
pub const REPEATED_IN: &str = "Được nhắc lại ở";
pub const RESUPERVISED_BY: &str = "Được kiểm tra lại bởi";
pub const LINK_ITEM_UNKNOWN: &str = "Không có kiến nghị này, hoặc bạn không được xem kiến nghị này.";
pub const LINK_MISSION_UNKNOWN: &str = "Không có cuộc giám sát này, hoặc bạn không được xem cuộc giám sát này.";
pub const LINK_KIND_UNKNOWN: &str = "Vui lòng chọn loại liên kết.";

/// The heading sentence of a unit's or an addressee's page: "Phường Hàng Bạc: 5 kiến nghị, đề nghị đang theo
/// dõi từ 3 cuộc giám sát, 2 lặp lại kiến nghị trước."
#[must_use]
pub fn summary(name: &str, open: i64, missions: i64, repeated: i64) -> String {
    if open == 0 {
        return format!("{name}: không có kiến nghị, đề nghị nào đang theo dõi.");
    }
    let from =
        if missions == 1 { "một cuộc giám sát".to_owned() } else { format!("{missions} cuộc giám sát") };
    let head = if open == 1 {
        format!("{name}: một kiến nghị, đề nghị đang theo dõi, từ {from}")
    } else {
        format!("{name}: {open} kiến nghị, đề nghị đang theo dõi từ {from}")
    };
    match repeated {
        0 => format!("{head}."),
        r if r == open && open == 1 => format!("{head}, lặp lại kiến nghị trước."),
        r if r == open => format!("{head}, tất cả đều lặp lại kiến nghị trước."),
        r => format!("{head}, {r} lặp lại kiến nghị trước."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_changes_read_as_vietnamese() {
        let d = |m, day| NaiveDate::from_ymd_opt(2021, m, day);
        assert_eq!(due_change(None, d(4, 30), None), "Đặt hạn 30/4/2021");
        assert_eq!(
            due_change(d(4, 30), d(5, 15), Some("Thường trực Quận ủy")),
            "Đổi hạn từ 30/4/2021 sang 15/5/2021 (phê duyệt: Thường trực Quận ủy)"
        );
        assert_eq!(deferred(0), "");
        assert_eq!(deferred(2), "lùi hạn 2 lần");
    }

    #[test]
    fn the_summary_reads_right_for_none_one_and_many() {
        assert_eq!(
            summary("Phường Hàng Bạc", 0, 0, 0),
            "Phường Hàng Bạc: không có kiến nghị, đề nghị nào đang theo dõi."
        );
        assert_eq!(
            summary("Phường Hàng Bạc", 1, 1, 0),
            "Phường Hàng Bạc: một kiến nghị, đề nghị đang theo dõi, từ một cuộc giám sát."
        );
        assert_eq!(
            summary("Phường Hàng Bạc", 1, 1, 1),
            "Phường Hàng Bạc: một kiến nghị, đề nghị đang theo dõi, từ một cuộc giám sát, lặp lại kiến nghị trước."
        );
        assert_eq!(
            summary("Phường Hàng Bạc", 5, 3, 2),
            "Phường Hàng Bạc: 5 kiến nghị, đề nghị đang theo dõi từ 3 cuộc giám sát, 2 lặp lại kiến nghị trước."
        );
        assert_eq!(
            summary("Phường Hàng Bạc", 2, 1, 2),
            "Phường Hàng Bạc: 2 kiến nghị, đề nghị đang theo dõi từ một cuộc giám sát, tất cả đều lặp lại kiến nghị trước."
        );
    }
}
