//! Vietnamese messages for the errors of [`crate::docnum`].
//!
//! Kept apart from the types so that all user-facing Vietnamese text lives
//! in one catalogue. Each message quotes the faulty part and shows a
//! well-formed number of each system, so a clerk can see what to fix.

use std::fmt;

use crate::docnum::DocNumberError;

/// Both forms, shown wherever the shape of the whole number is in question.
const EXAMPLES: &str = "ví dụ 109-QĐ/QU hoặc 45/QĐ-HĐND";

/// E.g. `không nhận ra ký hiệu loại văn bản "XX" …`.
impl fmt::Display for DocNumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DocNumberError::Empty => f.write_str("chưa nhập số và ký hiệu văn bản"),
            DocNumberError::MissingSequence => write!(f, "thiếu số thứ tự ở đầu số và ký hiệu văn bản ({EXAMPLES})"),
            DocNumberError::BadSequence { text } => {
                write!(f, "số thứ tự \"{text}\" không hợp lệ: phải là số từ 1 đến 999999")
            }
            DocNumberError::MissingSeparator => {
                write!(f, "số và ký hiệu văn bản thiếu dấu \"/\" hoặc \"-\" giữa các phần ({EXAMPLES})")
            }
            DocNumberError::UnknownTypeCode { code } if code.is_empty() => {
                write!(f, "thiếu ký hiệu loại văn bản như QĐ, BC, KH ({EXAMPLES})")
            }
            DocNumberError::UnknownTypeCode { code } => write!(
                f,
                "không nhận ra ký hiệu loại văn bản \"{code}\": hãy dùng ký hiệu như \
                 NQ, QĐ, QĐi, BC, KH, TB, CTr và viết đúng chữ hoa, chữ thường"
            ),
            DocNumberError::MissingIssuer => {
                write!(f, "thiếu ký hiệu cơ quan ban hành ({EXAMPLES})")
            }
            DocNumberError::BadIssuer { text } => write!(
                f,
                "ký hiệu cơ quan, đơn vị \"{text}\" không hợp lệ: chỉ gồm chữ in hoa \
                 (A–Z, Đ) và chữ số, bắt đầu bằng chữ, không quá 15 ký tự"
            ),
            DocNumberError::BadYear { text } => write!(
                f,
                "năm ban hành \"{text}\" không hợp lệ: phải là năm đủ 4 chữ số, \
                 ví dụ 24/2016/NQ-HĐND"
            ),
            DocNumberError::TrailingText { text } => {
                write!(f, "có phần thừa \"{text}\" sau số và ký hiệu văn bản")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_number_errors_read_as_plain_vietnamese() {
        for (error, expected) in [
            (DocNumberError::Empty, "chưa nhập số và ký hiệu văn bản"),
            (
                DocNumberError::MissingSequence,
                "thiếu số thứ tự ở đầu số và ký hiệu văn bản (ví dụ 109-QĐ/QU hoặc 45/QĐ-HĐND)",
            ),
            (
                DocNumberError::BadSequence { text: "abc".into() },
                "số thứ tự \"abc\" không hợp lệ: phải là số từ 1 đến 999999",
            ),
            (
                DocNumberError::MissingSeparator,
                "số và ký hiệu văn bản thiếu dấu \"/\" hoặc \"-\" giữa các phần (ví dụ 109-QĐ/QU hoặc 45/QĐ-HĐND)",
            ),
            (
                DocNumberError::UnknownTypeCode { code: String::new() },
                "thiếu ký hiệu loại văn bản như QĐ, BC, KH (ví dụ 109-QĐ/QU hoặc 45/QĐ-HĐND)",
            ),
            (
                DocNumberError::UnknownTypeCode { code: "XX".into() },
                "không nhận ra ký hiệu loại văn bản \"XX\": hãy dùng ký hiệu như NQ, QĐ, QĐi, BC, KH, TB, CTr và viết đúng chữ hoa, chữ thường",
            ),
            (DocNumberError::MissingIssuer, "thiếu ký hiệu cơ quan ban hành (ví dụ 109-QĐ/QU hoặc 45/QĐ-HĐND)"),
            (
                DocNumberError::BadIssuer { text: "Q.U".into() },
                "ký hiệu cơ quan, đơn vị \"Q.U\" không hợp lệ: chỉ gồm chữ in hoa (A–Z, Đ) và chữ số, bắt đầu bằng chữ, không quá 15 ký tự",
            ),
            (
                DocNumberError::BadYear { text: "16".into() },
                "năm ban hành \"16\" không hợp lệ: phải là năm đủ 4 chữ số, ví dụ 24/2016/NQ-HĐND",
            ),
            (DocNumberError::TrailingText { text: "extra".into() }, "có phần thừa \"extra\" sau số và ký hiệu văn bản"),
        ] {
            assert_eq!(error.to_string(), expected);
        }
    }
}
