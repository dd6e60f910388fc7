//! Vietnamese wording of the errors of `crate::text`.

use std::fmt;

use crate::text::TextError;

/// User-facing Vietnamese message; it names the offending code point so that
/// support staff can find an invisible character the user cannot see.
impl fmt::Display for TextError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("Không được để trống."),
            Self::TooLong { max, actual } => {
                write!(f, "Quá dài: {actual} ký tự, tối đa {max} ký tự.")
            }
            Self::ControlCharacter { code_point } => write!(
                f,
                "Có ký tự điều khiển không được phép (U+{code_point:04X}). \
                 Vui lòng gõ lại hoặc dán dưới dạng văn bản thuần."
            ),
            Self::BidiControl { code_point } => write!(
                f,
                "Có ký tự đảo chiều văn bản không được phép (U+{code_point:04X}). \
                 Vui lòng gõ lại phần văn bản này."
            ),
            Self::ReplacementCharacter => f.write_str(
                "Có ký tự lỗi mã hóa (U+FFFD): văn bản có thể đã bị hỏng khi sao chép \
                 hoặc chuyển đổi. Vui lòng kiểm tra và gõ lại.",
            ),
            Self::Noncharacter { code_point } => {
                write!(f, "Có ký tự không hợp lệ (U+{code_point:04X}). Vui lòng gõ lại phần văn bản này.")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_error_has_a_vietnamese_message_with_its_details() {
        let cases = [
            (TextError::Empty, "Không được để trống."),
            (TextError::TooLong { max: 500, actual: 612 }, "Quá dài: 612 ký tự, tối đa 500 ký tự."),
            (TextError::ControlCharacter { code_point: 0x1B }, "U+001B"),
            (TextError::BidiControl { code_point: 0x202E }, "U+202E"),
            (TextError::ReplacementCharacter, "U+FFFD"),
            (TextError::Noncharacter { code_point: 0x10FFFF }, "U+10FFFF"),
        ];
        for (error, expected) in cases {
            let message = error.to_string();
            assert!(message.contains(expected), "{message:?} lacks {expected:?}");
        }
    }

    #[test]
    fn text_errors_are_standard_errors() {
        let error: Box<dyn std::error::Error> = Box::new(TextError::Empty);
        assert_eq!(error.to_string(), "Không được để trống.");
    }
}
