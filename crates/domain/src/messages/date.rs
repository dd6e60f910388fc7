//! Vietnamese messages for the errors of [`crate::date`].
//!
//! Kept apart from the types so that all user-facing Vietnamese text lives
//! in one catalogue. Each message names what was typed and shows the form
//! expected, so an office clerk can correct the entry without help.

use std::fmt;

use chrono::NaiveDate;

use crate::date::{DateError, PeriodError, TermError, format_short};

/// E.g. `ngày 31/2/2021 không có thật: tháng 2 năm 2021 chỉ có 28 ngày`.
impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateError::Empty => f.write_str("chưa nhập ngày"),
            DateError::Unrecognised { input } => write!(
                f,
                "không hiểu ngày \"{input}\": hãy viết theo dạng 09/3/2021 \
                 hoặc ngày 09 tháng 3 năm 2021"
            ),
            DateError::InvalidDate { day, month, year } => {
                write!(f, "ngày {day}/{month}/{year} không có thật: ")?;
                if !(1..=12).contains(month) {
                    f.write_str("tháng phải từ 1 đến 12")
                } else if *day == 0 {
                    f.write_str("ngày phải từ 1 trở lên")
                } else if let Some(days) = days_in_month(*year, *month) {
                    write!(f, "tháng {month} năm {year} chỉ có {days} ngày")
                } else {
                    f.write_str("hãy kiểm tra lại ngày, tháng, năm")
                }
            }
            DateError::YearOutOfRange { year } => {
                write!(f, "năm {year} không hợp lệ: năm phải ghi đủ 4 chữ số, từ 1900 đến 2200")
            }
        }
    }
}

/// Days in `month` of `year`, or `None` outside chrono's calendar.
fn days_in_month(year: i32, month: u32) -> Option<u32> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    // Counting to the first of the next month lets chrono apply the leap
    // year rules (1900 and 2100 are not leap years, 2000 is).
    let next = first.checked_add_months(chrono::Months::new(1))?;
    u32::try_from(next.signed_duration_since(first).num_days()).ok()
}

/// E.g. `ngày kết thúc (23/3/2021) trước ngày bắt đầu (26/3/2021)`.
impl fmt::Display for PeriodError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PeriodError::EndBeforeStart { from, to } => {
                write!(f, "ngày kết thúc ({}) trước ngày bắt đầu ({})", format_short(*to), format_short(*from))
            }
        }
    }
}

/// E.g. `năm "20216" trong nhiệm kỳ không hợp lệ: …`.
impl fmt::Display for TermError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TermError::Empty => f.write_str("chưa nhập nhiệm kỳ"),
            TermError::Unrecognised { input } => write!(
                f,
                "không hiểu nhiệm kỳ \"{input}\": hãy viết năm bắt đầu và năm \
                 kết thúc, ví dụ 2021 – 2026"
            ),
            TermError::MalformedYear { text } => write!(
                f,
                "năm \"{text}\" trong nhiệm kỳ không hợp lệ: năm phải có đúng \
                 4 chữ số, ví dụ 2021 – 2026"
            ),
            TermError::YearOutOfRange { year } => {
                write!(f, "năm bắt đầu nhiệm kỳ ({year}) không hợp lệ: phải từ 1945 đến 2200")
            }
            TermError::EndNotAfterStart { start, end } => write!(
                f,
                "nhiệm kỳ {start} – {end} không hợp lệ: năm kết thúc ({end}) \
                 phải sau năm bắt đầu ({start})"
            ),
            TermError::TooLong { start, end } => write!(
                f,
                "nhiệm kỳ {start} – {end} dài {} năm, quá 10 năm: hãy kiểm tra lại năm",
                i64::from(*end) - i64::from(*start)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn date_errors_read_as_plain_vietnamese() {
        for (error, expected) in [
            (DateError::Empty, "chưa nhập ngày"),
            (
                DateError::Unrecognised { input: "hôm qua".into() },
                "không hiểu ngày \"hôm qua\": hãy viết theo dạng 09/3/2021 hoặc ngày 09 tháng 3 năm 2021",
            ),
            (
                DateError::InvalidDate { day: 31, month: 2, year: 2021 },
                "ngày 31/2/2021 không có thật: tháng 2 năm 2021 chỉ có 28 ngày",
            ),
            (
                DateError::InvalidDate { day: 30, month: 2, year: 2024 },
                "ngày 30/2/2024 không có thật: tháng 2 năm 2024 chỉ có 29 ngày",
            ),
            (
                DateError::InvalidDate { day: 31, month: 4, year: 2021 },
                "ngày 31/4/2021 không có thật: tháng 4 năm 2021 chỉ có 30 ngày",
            ),
            (
                DateError::InvalidDate { day: 9, month: 13, year: 2021 },
                "ngày 9/13/2021 không có thật: tháng phải từ 1 đến 12",
            ),
            (
                DateError::InvalidDate { day: 0, month: 3, year: 2021 },
                "ngày 0/3/2021 không có thật: ngày phải từ 1 trở lên",
            ),
            (DateError::YearOutOfRange { year: 21 }, "năm 21 không hợp lệ: năm phải ghi đủ 4 chữ số, từ 1900 đến 2200"),
        ] {
            assert_eq!(error.to_string(), expected);
        }
    }

    #[test]
    fn a_reversed_period_names_both_dates() {
        let error = PeriodError::EndBeforeStart { from: ymd(2021, 3, 26), to: ymd(2021, 3, 23) };
        assert_eq!(error.to_string(), "ngày kết thúc (23/3/2021) trước ngày bắt đầu (26/3/2021)");
    }

    #[test]
    fn term_errors_read_as_plain_vietnamese() {
        for (error, expected) in [
            (TermError::Empty, "chưa nhập nhiệm kỳ"),
            (
                TermError::Unrecognised { input: "khóa XV".into() },
                "không hiểu nhiệm kỳ \"khóa XV\": hãy viết năm bắt đầu và năm kết thúc, ví dụ 2021 – 2026",
            ),
            (
                TermError::MalformedYear { text: "20216".into() },
                "năm \"20216\" trong nhiệm kỳ không hợp lệ: năm phải có đúng 4 chữ số, ví dụ 2021 – 2026",
            ),
            (
                TermError::YearOutOfRange { year: 1930 },
                "năm bắt đầu nhiệm kỳ (1930) không hợp lệ: phải từ 1945 đến 2200",
            ),
            (
                TermError::EndNotAfterStart { start: 2026, end: 2021 },
                "nhiệm kỳ 2026 – 2021 không hợp lệ: năm kết thúc (2021) phải sau năm bắt đầu (2026)",
            ),
            (
                TermError::TooLong { start: 1990, end: 2020 },
                "nhiệm kỳ 1990 – 2020 dài 30 năm, quá 10 năm: hãy kiểm tra lại năm",
            ),
        ] {
            assert_eq!(error.to_string(), expected);
        }
    }
}
