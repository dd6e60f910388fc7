//! Sentences of the security checks that code chooses: accounts, the files an import names.

pub const CANNOT_DISABLE_SELF: &str =
    "Không thể tự khoá tài khoản đang dùng; hãy nhờ một quản trị viên khác nếu cần khoá tài khoản này.";

/// After the field path of a photo `file` in an imported mission.
pub const FILE_NOT_READABLE: &str = "tệp ảnh không có trong kho hoặc bạn không có quyền xem; hãy bỏ trường «file» \
     và tải ảnh lên ở biểu mẫu buổi làm việc";

/// After the field path of a photo `file` that is no key of the file store (`giamsat import`).
pub const FILE_NOT_A_KEY: &str =
    "không phải tên một tệp trong kho ảnh (64 chữ số thập lục phân và đuôi .jpeg, .png hoặc .webp)";
