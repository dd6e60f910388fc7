//! What the command line (`giamsat …`) and its configuration say, in the operator's language.

use std::fmt::Display;

/// `giamsat --help`'s description.
pub const ABOUT: &str = "Quản lý hoạt động giám sát của cấp ủy, HĐND";

#[must_use]
pub fn cannot_open_database(e: impl Display) -> String {
    format!("không mở được cơ sở dữ liệu: {e}")
}

#[must_use]
pub fn cannot_migrate(e: impl Display) -> String {
    format!("không cập nhật được lược đồ cơ sở dữ liệu: {e}")
}

#[must_use]
pub fn cannot_read_file(e: impl Display) -> String {
    format!("không đọc được tệp: {e}")
}

#[must_use]
pub fn cannot_write_file(e: impl Display) -> String {
    format!("giamsat: không ghi được tệp {e}")
}

#[must_use]
pub fn no_such_mission(id: i64) -> String {
    format!("không có cuộc giám sát #{id}")
}

#[must_use]
pub fn no_such_role(role: &str, choices: &str) -> String {
    format!("vai trò không hợp lệ «{role}» (dùng một trong: {choices})")
}

#[must_use]
pub fn no_such_organisation(org: &str) -> String {
    format!("không có cơ quan «{org}»")
}

pub const ORGANISATION_REQUIRED: &str = "cần --org cho vai trò này";

#[must_use]
pub fn invalid_email(email: &str) -> String {
    format!("email không hợp lệ «{email}»")
}

#[must_use]
pub fn email_taken(email: &str) -> String {
    format!("email «{email}» đã có tài khoản")
}

#[must_use]
pub fn no_article_format(format: &str) -> String {
    format!("tin bài (article) không có định dạng «{format}» (dùng: html, md, txt)")
}

#[must_use]
pub fn no_formal_format(format: &str) -> String {
    format!("báo cáo chính thức (formal) không có định dạng «{format}» (dùng: html, pdf, docx)")
}

#[must_use]
pub fn no_such_kind(kind: &str) -> String {
    format!("loại «{kind}» không có (dùng: article, formal)")
}

#[must_use]
pub fn no_such_published(id: i64, number: impl Display) -> String {
    format!("cuộc giám sát {id} không có bản đã đăng số {number}")
}

#[must_use]
pub fn published_unreadable(number: impl Display, e: impl Display) -> String {
    format!("bản đã đăng số {number} không đọc lại được: {e}")
}

pub const BACKUP_POSTGRES: &str = "sao lưu PostgreSQL bằng pg_dump (xem README, mục Vận hành)";
pub const RESTORE_POSTGRES: &str = "khôi phục PostgreSQL bằng pg_restore (xem README, mục Vận hành)";

#[must_use]
pub fn file_exists(file: impl Display) -> String {
    format!("tệp {file} đã tồn tại; chọn tên khác")
}

#[must_use]
pub fn backup_failed(e: impl Display) -> String {
    format!("không sao lưu được: {e}")
}

#[must_use]
pub fn not_a_backup(file: impl Display, e: impl Display) -> String {
    format!("{file}: không phải bản sao lưu hợp lệ: {e}")
}

#[must_use]
pub fn copy_failed(e: impl Display) -> String {
    format!("không chép được: {e}")
}

#[must_use]
pub fn replace_failed(e: impl Display) -> String {
    format!("không thay được cơ sở dữ liệu: {e}")
}

#[must_use]
pub fn restored(target: impl Display, file: impl Display) -> String {
    format!("đã khôi phục {target} từ {file}")
}

#[must_use]
pub fn cannot_listen(addr: impl Display, e: impl Display) -> String {
    format!("không nghe được trên {addr}: {e}")
}

#[must_use]
pub fn server_failed(e: impl Display) -> String {
    format!("máy chủ dừng do lỗi: {e}")
}

#[must_use]
pub fn not_an_ip(variable: &str, value: &str) -> String {
    format!("{variable}: «{value}» không phải địa chỉ IP")
}

#[must_use]
pub fn invalid_address(value: &str) -> String {
    format!("địa chỉ không hợp lệ «{value}» (cần dạng 127.0.0.1:3000)")
}

#[must_use]
pub fn invalid_smtp_url(url: &str) -> String {
    format!("GIAMSAT_SMTP_URL không hợp lệ «{url}» (dạng smtp://máy:cổng)")
}

#[must_use]
pub fn invalid_smtp_from(from: &str, e: impl Display) -> String {
    format!("GIAMSAT_SMTP_FROM không hợp lệ «{from}»: {e}")
}
