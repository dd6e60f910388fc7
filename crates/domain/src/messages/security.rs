//! Sentences of the security checks that code chooses: accounts, the files an import names.

pub const CANNOT_DISABLE_SELF: &str =
    "Không thể tự khoá tài khoản đang dùng; hãy nhờ một quản trị viên khác nếu cần khoá tài khoản này.";

/// After the field path of a photo `file` in an imported mission.
pub const FILE_NOT_READABLE: &str = "tệp ảnh không có trong kho hoặc bạn không có quyền xem; hãy bỏ trường «file» \
     và tải ảnh lên ở biểu mẫu buổi làm việc";
