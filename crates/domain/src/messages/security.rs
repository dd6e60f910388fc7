//! Sentences of the security checks that code chooses: accounts, the files an import names.

pub const CANNOT_DISABLE_SELF: &str =
    "Không thể tự khoá tài khoản đang dùng; hãy nhờ một quản trị viên khác nếu cần khoá tài khoản này.";

/// After the field path of a photo `file` in an imported mission.
pub const FILE_NOT_READABLE: &str = "tệp ảnh không có trong kho hoặc bạn không có quyền xem; hãy bỏ trường «file» \
     và tải ảnh lên ở biểu mẫu buổi làm việc";

/// After the field path of a photo `file` that is no key of the file store (`giamsat import`).
pub const FILE_NOT_A_KEY: &str =
    "không phải tên một tệp trong kho ảnh (64 chữ số thập lục phân và đuôi .jpeg, .png hoặc .webp)";

/// "4 giây", "3 phút": how long to wait, rounded up to whole minutes from a minute on.
fn wait(seconds: u64) -> String {
    if seconds < 60 { format!("{seconds} giây") } else { format!("{} phút", seconds.div_ceil(60)) }
}

/// The login form's answer while an account waits after wrong passwords (the same for an unknown address).
#[must_use]
pub fn login_account_wait(seconds: u64) -> String {
    format!("Đăng nhập sai quá nhiều lần với email này. Vì an toàn, vui lòng chờ {} rồi thử lại.", wait(seconds))
}

/// The login form's answer while a network address is throttled after many wrong passwords.
#[must_use]
pub fn login_address_wait(seconds: u64) -> String {
    format!("Đăng nhập sai quá nhiều lần từ địa chỉ mạng này. Vì an toàn, vui lòng chờ {} rồi thử lại.", wait(seconds))
}
