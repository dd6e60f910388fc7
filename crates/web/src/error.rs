//! The one error policy of the web layer. Handlers return [`AppError`]; its `IntoResponse` sets the status and
//! attaches an [`ErrorPage`]; the `render_errors` middleware (router.rs) turns every error response — these and
//! axum's own 404/405 — into the error page with the request id. Internals are logged, never shown.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use giamsat_store::StoreError;

/// An error a handler can return. Each variant's doc says the status it answers with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 404: no such record, or one the user may not know about (answered alike).
    #[error("not found")]
    NotFound,
    /// 409: someone else changed the record meanwhile.
    #[error("conflict")]
    Conflict,
    /// 422: a request the domain refused, with the Vietnamese reason.
    #[error("unprocessable: {0}")]
    Unprocessable(String),
    /// 503: the database is unreachable; the client may retry.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// 500: anything else; the cause is logged with the request id.
    #[error("internal: {0}")]
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict { .. } => AppError::Conflict,
            StoreError::Workflow(e) => AppError::Unprocessable(e.to_string()),
            StoreError::Invalid(e) => AppError::Unprocessable(e.to_string()),
            e if e.is_unavailable() => AppError::Unavailable(e.to_string()),
            e => AppError::Internal(e.to_string()),
        }
    }
}

/// What the error page shows: a status and a safe Vietnamese sentence.
#[derive(Debug, Clone)]
pub struct ErrorPage {
    pub message: String,
}

/// The message shown for a status when the handler gave none.
#[must_use]
pub fn default_message(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "Yêu cầu không hợp lệ.",
        403 => "Bạn không có quyền thực hiện thao tác này.",
        404 => "Không tìm thấy trang hoặc dữ liệu yêu cầu.",
        405 => "Phương thức không được hỗ trợ cho địa chỉ này.",
        409 => "Dữ liệu đã được người khác thay đổi trong lúc bạn sửa. Hãy tải lại trang để xem bản mới nhất.",
        413 => "Dữ liệu gửi lên quá lớn.",
        422 => "Dữ liệu chưa hợp lệ.",
        429 => "Bạn thao tác quá nhanh. Vui lòng thử lại sau ít phút.",
        503 => "Hệ thống tạm thời không truy cập được cơ sở dữ liệu. Vui lòng thử lại sau ít phút.",
        _ => "Đã có lỗi xảy ra. Vui lòng thử lại hoặc báo cho quản trị viên kèm mã yêu cầu.",
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = match &self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Conflict => StatusCode::CONFLICT,
            AppError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        let message = match &self {
            AppError::Unprocessable(reason) => reason.clone(),
            AppError::Unavailable(cause) | AppError::Internal(cause) => {
                tracing::error!(%status, cause, "request failed");
                default_message(status).to_owned()
            }
            AppError::NotFound | AppError::Conflict => default_message(status).to_owned(),
        };
        let mut response = status.into_response();
        response.extensions_mut().insert(ErrorPage { message });
        response
    }
}
