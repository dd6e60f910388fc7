//! Sentences the web pages choose in code: error pages, refusals of forms and the API, fallbacks of lists.
//! Page text that does not depend on code stays in the templates.

/// The message of an error page for a status when the handler gave none.
#[must_use]
pub const fn status(code: u16) -> &'static str {
    match code {
        400 => "Yêu cầu không hợp lệ: dữ liệu gửi lên bị hỏng hoặc không đọc được. Chưa có gì được lưu.",
        401 => "Bạn cần đăng nhập để tiếp tục.",
        403 => {
            "Bạn không có quyền thực hiện thao tác này, hoặc phiên làm việc đã hết hạn. Hãy tải lại trang và thử lại."
        }
        404 => "Không tìm thấy trang hoặc dữ liệu yêu cầu.",
        405 => "Phương thức không được hỗ trợ cho địa chỉ này.",
        409 => "Dữ liệu đã được người khác thay đổi trong lúc bạn sửa. Hãy tải lại trang để xem bản mới nhất.",
        413 => "Dữ liệu gửi lên quá lớn.",
        422 => "Dữ liệu chưa hợp lệ.",
        429 => "Bạn thao tác quá nhanh. Vui lòng thử lại sau ít phút.",
        507 => {
            "Máy chủ đã hết chỗ lưu dữ liệu nên thay đổi này chưa được lưu; dữ liệu đã lưu trước đó vẫn còn nguyên. \
                 Vui lòng báo cho quản trị viên kèm mã yêu cầu."
        }
        503 => "Hệ thống tạm thời không truy cập được cơ sở dữ liệu. Vui lòng thử lại sau ít phút.",
        _ => "Đã có lỗi xảy ra. Vui lòng thử lại hoặc báo cho quản trị viên kèm mã yêu cầu.",
    }
}

/// A value that must be unique is taken: "trùng email".
#[must_use]
pub fn duplicate(field: &str) -> String {
    format!("trùng {field}")
}

/// A value of a closed vocabulary that is not one of its choices.
pub const NOT_IN_LIST: &str = "Vui lòng chọn một giá trị trong danh sách.";

/// A whole number out of its range, or not a number.
#[must_use]
pub fn whole_number(from: u32, to: u32) -> String {
    format!("Cần một số nguyên từ {from} đến {to}.")
}

/// The conflict banner when the whole mission changed, not one item.
pub const MISSION_CHANGED: &str = "Cuộc giám sát đã được người khác cập nhật.";
/// The conflict banner when the item edited is gone.
pub const ITEM_DELETED: &str = "Mục này đã bị người khác xóa.";
/// A target reference that is not one of the form's choices.
pub const TARGET_NOT_IN_LIST: &str = "Đơn vị được chọn không có trong danh sách.";
/// An uploaded photo of another format.
pub const PHOTO_NOT_AN_IMAGE: &str = "Tệp ảnh phải là JPEG, PNG hoặc WebP.";
/// An uploaded photo over the size limit.
pub const PHOTO_TOO_LARGE: &str = "Ảnh lớn quá 10 MB.";
/// An uploaded photo that could not be written.
pub const PHOTO_NOT_STORED: &str = "Không lưu được ảnh; vui lòng thử lại.";

/// A period not yet set.
pub const PERIOD_UNSET: &str = "chưa xác định";
/// The dashboard's month: "tháng 3/2021".
#[must_use]
pub fn month(month: u32, year: i32) -> String {
    format!("tháng {month}/{year}")
}

/// A decision as the mission page cites it: "Số 109-QĐ/QU, ngày 09/3/2021 của Quận ủy về việc thành lập …".
#[must_use]
pub fn decision_line(
    number: Option<&str>,
    issued_on: Option<chrono::NaiveDate>,
    issuer: Option<&str>,
    summary: Option<&str>,
) -> String {
    let mut line = number.map_or_else(|| "Chưa có số".to_owned(), |n| format!("Số {n}"));
    if let Some(on) = issued_on {
        line.push_str(&format!(", ngày {}", crate::date::format_short(on)));
    }
    if let Some(issuer) = issuer {
        line.push_str(&format!(" của {issuer}"));
    }
    if let Some(summary) = summary {
        line.push_str(&format!(" về việc {summary}"));
    }
    line
}

/// A decision among the choices of the mission form: "109-QĐ/QU, ngày 09/3/2021 – thành lập …" (the summary cut
/// at 80 characters).
#[must_use]
pub fn decision_choice(number: Option<&str>, issued_on: Option<chrono::NaiveDate>, summary: Option<&str>) -> String {
    let mut label = number.map_or_else(|| "(chưa có số)".to_owned(), str::to_owned);
    if let Some(on) = issued_on {
        label.push_str(&format!(", ngày {}", crate::date::format_short(on)));
    }
    if let Some(summary) = summary {
        let short: String = summary.chars().take(80).collect();
        label.push_str(&format!(" – {short}"));
    }
    label
}

/// A finding or recommendation about every supervised unit.
pub const ALL_UNITS: &str = "Tất cả đơn vị";
/// A session whose modality the record does not give.
pub const MODALITY_UNKNOWN: &str = "Chưa rõ hình thức";
/// A recommendation's due date on the mission page: "hạn 30/4/2021".
#[must_use]
pub fn due(on: chrono::NaiveDate) -> String {
    format!("hạn {}", crate::date::format_short(on))
}

/// A workflow state code that names no state.
pub const NO_SUCH_STATE: &str = "trạng thái không hợp lệ";
/// The assignment form sent without a capacity.
pub const CAPACITY_REQUIRED: &str = "Vui lòng chọn vai trò trong đoàn.";
/// The assignment form sent without an account.
pub const ACCOUNT_REQUIRED: &str = "Vui lòng chọn tài khoản.";
/// An account that may not be assigned to a team.
pub const NOT_ASSIGNABLE: &str = "Chỉ phân công được tài khoản trưởng đoàn hoặc thành viên đoàn.";

/// The API's answer to an interchange file it refuses.
pub const API_MISSION_REFUSED: &str = "Tài liệu giamsat.mission/1 không hợp lệ; chưa có gì được lưu.";
/// The API's answer to a finding it refuses.
pub const API_FINDING_REFUSED: &str = "Kết quả giám sát chưa hợp lệ; chưa có gì được lưu.";
/// The API's description in its OpenAPI document.
pub const API_DESCRIPTION: &str = "Cuộc giám sát: danh sách, chi tiết, tạo mới từ tệp giamsat.mission/1, xuất tệp. \
                                   Sổ theo dõi kiến nghị: danh sách, chi tiết và lịch sử, đổi trạng thái, báo cáo \
                                   tiến độ, đổi hạn.";
/// The portal's heading when no category is chosen.
pub const PORTAL_NEWS: &str = "Tin tức";
/// The photo list of a report changed while the writer edited it.
pub const PHOTOS_CHANGED: &str = "Danh sách ảnh đã thay đổi trong lúc bạn sửa. Hãy tải lại trang.";

/// The mission form sent without an owner organisation.
pub const OWNER_REQUIRED: &str = "Cần chọn cơ quan chủ quản của cuộc giám sát.";
/// An uploaded interchange file of another organisation's mission.
#[must_use]
pub fn not_your_organisation(owner: &str) -> String {
    format!("owner.name: tệp thuộc «{owner}», không phải cơ quan của bạn")
}
/// The name an uploaded file goes by when the browser sent none.
pub const UNNAMED_FILE: &str = "tệp";
/// An upload form sent without a file.
pub const NO_FILE: &str = "Chưa chọn tệp.";
/// A member row with neither a name nor a group description.
pub const MEMBER_NAME_REQUIRED: &str = "Cần họ tên, hoặc mô tả nhóm thành viên không nêu tên.";
/// A member row without a role.
pub const ROLE_REQUIRED: &str = "Vui lòng chọn vai trò.";
