//! Vietnamese dates, periods and terms of office.
//!
//! Administrative documents write dates in two styles (domain brief §5.1):
//! the formal header `ngày 09 tháng 3 năm 2021` and the body form
//! `09/3/2021`. Both pad the day always and the month only for January and
//! February; news portals pad everything (`23/04/2021`). This module renders
//! all of them, parses what clerks actually type, and keeps periods and
//! terms of office valid by construction.

use chrono::{Datelike, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

/// Offset of Vietnam time (UTC+07:00) in seconds.
///
/// `Asia/Ho_Chi_Minh` has observed no daylight saving time since 1975, so a
/// fixed offset is exact for every date the application handles.
pub const VN_OFFSET_SECONDS: i32 = 7 * 3600;

// Evaluated by the compiler: an out-of-range constant fails the build, so
// the `panic!` can never run in the application.
const VN_OFFSET: FixedOffset = match FixedOffset::east_opt(VN_OFFSET_SECONDS) {
    Some(offset) => offset,
    None => panic!("VN_OFFSET_SECONDS is outside chrono's offset range"),
};

/// The fixed +07:00 offset of Vietnam time; see [`VN_OFFSET_SECONDS`].
///
/// Never fails.
pub fn vn_offset() -> FixedOffset {
    VN_OFFSET
}

/// The day an instant falls on in Vietnam: "today" for due dates, reminders and reports, whatever the server's
/// own time zone. Never fails.
#[must_use]
pub fn vietnam_day(at: chrono::DateTime<chrono::Utc>) -> NaiveDate {
    at.with_timezone(&VN_OFFSET).date_naive()
}

/// A date as forms, files and the API carry it: ISO 8601 (`2021-03-09`); nothing for no date. Never fails.
#[must_use]
pub fn iso(date: Option<NaiveDate>) -> String {
    date.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()
}

/// Earliest year [`parse_date`] accepts.
const MIN_YEAR: i32 = 1900;
/// Latest year [`parse_date`] accepts.
const MAX_YEAR: i32 = 2200;
/// The August Revolution: no term of office of these bodies starts earlier.
const MIN_TERM_START: i32 = 1945;
/// Longest span, in years, accepted as a term of office or a "giai đoạn".
const MAX_TERM_YEARS: i32 = 10;
/// Number of characters of user input kept in an error message.
const EXCERPT_CHARS: usize = 40;

/// The month as administrative documents write it: only January and
/// February take a leading zero (`02`), March to December do not (`3`).
fn admin_month(month: u32) -> String {
    if month <= 2 { format!("{month:02}") } else { month.to_string() }
}

/// Body form of administrative documents: `09/3/2021`, `05/01/2021`.
///
/// The day always has two digits, the month is padded only for January and
/// February, the year has four digits. Never fails.
pub fn format_short(d: NaiveDate) -> String {
    format!("{:02}/{}/{:04}", d.day(), admin_month(d.month()), d.year())
}

/// The week `d` falls in, Monday to Sunday (both included), as weeks are counted in Vietnam. Never fails.
#[must_use]
pub fn week_of(d: NaiveDate) -> (NaiveDate, NaiveDate) {
    let monday = d - chrono::Duration::days(i64::from(d.weekday().num_days_from_monday()));
    (monday, monday + chrono::Duration::days(6))
}

/// Formal header form: `ngày 09 tháng 3 năm 2021`, `ngày 05 tháng 02 năm 2018`.
///
/// Same padding rule as [`format_short`]. The place name that precedes it
/// in a header (`Hoàn Kiếm, `) is the caller's business. Never fails.
pub fn format_long(d: NaiveDate) -> String {
    format!("ngày {:02} tháng {} năm {:04}", d.day(), admin_month(d.month()), d.year())
}

/// Day and month without the year: `29/3`, `02/4`, `05/01`.
///
/// Same padding rule as [`format_short`]. Never fails.
pub fn format_day_month(d: NaiveDate) -> String {
    format!("{:02}/{}", d.day(), admin_month(d.month()))
}

/// Portal form with every part padded: `23/04/2021`.
///
/// Never fails.
pub fn format_numeric(d: NaiveDate) -> String {
    format!("{:02}/{:02}/{:04}", d.day(), d.month(), d.year())
}

/// A date range written the administrative way, naming the shared month and
/// year only once: `ngày 23/3/2021`, `từ ngày 23 đến ngày 26/3/2021`,
/// `từ ngày 29/3 đến ngày 02/4/2021`, `từ ngày 28/12/2020 đến ngày 05/01/2021`.
///
/// Expects `from <= to`; a reversed pair is formatted as given (use
/// [`Period`] to rule it out). Never fails.
pub fn format_range(from: NaiveDate, to: NaiveDate) -> String {
    if from == to {
        format!("ngày {}", format_short(to))
    } else if from.year() != to.year() {
        format!("từ ngày {} đến ngày {}", format_short(from), format_short(to))
    } else if from.month() != to.month() {
        format!("từ ngày {} đến ngày {}", format_day_month(from), format_short(to))
    } else {
        format!("từ ngày {:02} đến ngày {}", from.day(), format_short(to))
    }
}

/// A period of days, either end possibly open (unknown or unbounded).
///
/// Invariant: when both ends are known, `from <= to`. [`Period::new`] is
/// the only constructor (deserialisation goes through it too); the default
/// is the period with both ends open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(try_from = "PeriodFields")]
pub struct Period {
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
}

/// Unchecked wire form of [`Period`], validated by `Period::new`.
#[derive(Deserialize)]
struct PeriodFields {
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
}

impl TryFrom<PeriodFields> for Period {
    type Error = PeriodError;

    fn try_from(fields: PeriodFields) -> Result<Self, Self::Error> {
        Period::new(fields.from, fields.to)
    }
}

/// Why a [`Period`] could not be built. Vietnamese text: `messages::date`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    /// The end date is earlier than the start date.
    EndBeforeStart {
        /// The start date as given.
        from: NaiveDate,
        /// The end date as given.
        to: NaiveDate,
    },
}

impl Period {
    /// A period from `from` to `to`, both inclusive; `None` leaves that end open.
    ///
    /// # Errors
    /// [`PeriodError::EndBeforeStart`] when both ends are given and `to < from`.
    pub fn new(from: Option<NaiveDate>, to: Option<NaiveDate>) -> Result<Period, PeriodError> {
        match (from, to) {
            (Some(from), Some(to)) if to < from => Err(PeriodError::EndBeforeStart { from, to }),
            _ => Ok(Period { from, to }),
        }
    }

    /// The first day, if known. Never later than [`Period::to`].
    pub fn from(&self) -> Option<NaiveDate> {
        self.from
    }

    /// The last day, if known. Never earlier than [`Period::from`].
    pub fn to(&self) -> Option<NaiveDate> {
        self.to
    }

    /// True when neither end is known.
    pub fn is_empty(&self) -> bool {
        self.from.is_none() && self.to.is_none()
    }

    /// The period in words: [`format_range`] when both ends are known,
    /// `từ ngày 23/3/2021` or `đến ngày 26/3/2021` when one is, `None` when
    /// neither is. Never fails.
    pub fn describe(&self) -> Option<String> {
        match (self.from, self.to) {
            (Some(from), Some(to)) => Some(format_range(from, to)),
            (Some(from), None) => Some(format!("từ ngày {}", format_short(from))),
            (None, Some(to)) => Some(format!("đến ngày {}", format_short(to))),
            (None, None) => None,
        }
    }

    /// True when `d` falls within the period, both ends inclusive; an open
    /// end does not bound it.
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.from.is_none_or(|from| from <= d) && self.to.is_none_or(|to| d <= to)
    }
}

/// Why [`parse_date`] refused its input. Vietnamese text: `messages::date`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Nothing but white space was given.
    Empty,
    /// The text is not in any accepted date form.
    Unrecognised {
        /// The input, shortened to about 40 characters.
        input: String,
    },
    /// The form is right but no such day exists (31/2/2021, 29/2/2023).
    InvalidDate {
        /// The day as written.
        day: u32,
        /// The month as written.
        month: u32,
        /// The year as written.
        year: i32,
    },
    /// The year lies outside 1900–2200, usually a two-digit or mistyped year.
    YearOutOfRange {
        /// The year as written.
        year: i32,
    },
}

/// The three digit groups of a date, still as text.
struct DateParts<'a> {
    day: &'a str,
    month: &'a str,
    year: &'a str,
}

/// Parses a date as clerks and articles write it.
///
/// Accepts `09/3/2021`, `9/3/2021`, `09-3-2021`, `09.3.2021`, ISO
/// `2021-03-09`, each with or without a leading `ngày` in any case, and the
/// long form `ngày 09 tháng 3 năm 2021` (also without `ngày`). The input is
/// normalised to NFC and trimmed first. The result lies in 1900–2200.
///
/// # Errors
/// [`DateError::Empty`] for blank input, [`DateError::Unrecognised`] for
/// any other form, [`DateError::YearOutOfRange`] for a year outside
/// 1900–2200 (two-digit years included), [`DateError::InvalidDate`] for a
/// day that does not exist.
pub fn parse_date(s: &str) -> Result<NaiveDate, DateError> {
    let text = normalise_input(s);
    if text.is_empty() {
        return Err(DateError::Empty);
    }
    let lower = text.to_lowercase();
    let body = lower.strip_prefix("ngày").unwrap_or(&lower).trim();
    let unrecognised = || DateError::Unrecognised { input: excerpt(&text) };
    let parts = long_parts(body).or_else(|| numeric_parts(body)).ok_or_else(unrecognised)?;
    // Longer groups cannot be a day or month, and a year of more than six
    // digits is noise rather than a typo worth reporting as a year.
    let (Some(day), Some(month), Some(year)) =
        (digits_value::<u32>(parts.day, 2), digits_value::<u32>(parts.month, 2), digits_value::<i32>(parts.year, 6))
    else {
        return Err(unrecognised());
    };
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        return Err(DateError::YearOutOfRange { year });
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or(DateError::InvalidDate { day, month, year })
}

/// `09 tháng 3 năm 2021` (the leading `ngày` already removed, lower case).
fn long_parts(body: &str) -> Option<DateParts<'_>> {
    let mut words = body.split_whitespace();
    let day = words.next()?;
    if words.next()? != "tháng" {
        return None;
    }
    let month = words.next()?;
    if words.next()? != "năm" {
        return None;
    }
    let year = words.next()?;
    words.next().is_none().then_some(DateParts { day, month, year })
}

/// `09/3/2021`, `09-3-2021`, `09.3.2021` or, year first, `2021-03-09`. The
/// separator must be the same twice, so `23 - 26/3/2021` is not a date.
fn numeric_parts(body: &str) -> Option<DateParts<'_>> {
    let separator = body.chars().find(|c| !c.is_ascii_digit() && !c.is_whitespace())?;
    if !matches!(separator, '/' | '-' | '.') {
        return None;
    }
    let mut groups = body.split(separator).map(str::trim);
    let (first, month, last) = (groups.next()?, groups.next()?, groups.next()?);
    if groups.next().is_some() {
        return None;
    }
    // A four-digit first group can only be a year: ISO order.
    if first.len() == 4 {
        Some(DateParts { day: last, month, year: first })
    } else {
        Some(DateParts { day: first, month, year: last })
    }
}

/// The value of 1 to `max_len` ASCII digits, or `None` for anything else.
fn digits_value<T: std::str::FromStr>(text: &str, max_len: usize) -> Option<T> {
    let valid = !text.is_empty() && text.len() <= max_len && text.bytes().all(|b| b.is_ascii_digit());
    if valid { text.parse().ok() } else { None }
}

/// A term of office or multi-year stage, written `2021 – 2026`.
///
/// Invariant: `1945 <= start <= 2200` and `start < end <= start + 10`, so
/// both years have four digits. Built only by [`Term::new`] or [`Term::parse`];
/// serialised as its display text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Term {
    start: i32,
    end: i32,
}

/// Why a term of office was refused. Vietnamese text: `messages::date`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TermError {
    /// Nothing but white space was given.
    Empty,
    /// The text is not two year groups joined by a dash.
    Unrecognised {
        /// The input, shortened to about 40 characters.
        input: String,
    },
    /// A year group does not have exactly four digits (`20216`).
    MalformedYear {
        /// The offending group, shortened to about 40 characters.
        text: String,
    },
    /// The first year lies outside 1945–2200.
    YearOutOfRange {
        /// The first year as written.
        year: i32,
    },
    /// The last year is not after the first (`2026 – 2021`).
    EndNotAfterStart {
        /// The first year as written.
        start: i32,
        /// The last year as written.
        end: i32,
    },
    /// The span is longer than ten years, usually a mistyped year.
    TooLong {
        /// The first year as written.
        start: i32,
        /// The last year as written.
        end: i32,
    },
}

impl Term {
    /// The term from year `start` to year `end`.
    ///
    /// # Errors
    /// [`TermError::YearOutOfRange`] when `start` is outside 1945–2200,
    /// [`TermError::EndNotAfterStart`] when `end <= start`,
    /// [`TermError::TooLong`] when `end - start > 10`.
    pub fn new(start: i32, end: i32) -> Result<Term, TermError> {
        if !(MIN_TERM_START..=MAX_YEAR).contains(&start) {
            Err(TermError::YearOutOfRange { year: start })
        } else if end <= start {
            Err(TermError::EndNotAfterStart { start, end })
        } else if end - start > MAX_TERM_YEARS {
            Err(TermError::TooLong { start, end })
        } else {
            Ok(Term { start, end })
        }
    }

    /// Parses `2021 – 2026`, `2021-2026`, `2021 - 2026`, `2021—2026`: two
    /// four-digit years joined by a hyphen, en dash, em dash or minus sign,
    /// spaces optional. A leading `nhiệm kỳ` is ignored. NFC-normalised and
    /// trimmed first.
    ///
    /// # Errors
    /// [`TermError::Empty`] for blank input, [`TermError::Unrecognised`]
    /// when the text is not two digit groups around a dash,
    /// [`TermError::MalformedYear`] when a group is not four digits (the
    /// published typo `2021 – 20216`), then the errors of [`Term::new`].
    pub fn parse(s: &str) -> Result<Term, TermError> {
        let text = normalise_input(s);
        if text.is_empty() {
            return Err(TermError::Empty);
        }
        let lower = text.to_lowercase();
        let body = ["nhiệm kỳ", "nhiệm kì"].iter().find_map(|prefix| lower.strip_prefix(prefix)).unwrap_or(&lower);
        let groups = body
            .split_once(is_dash)
            .map(|(start, end)| (start.trim(), end.trim()))
            .filter(|(start, end)| is_digit_group(start) && is_digit_group(end));
        match groups {
            Some((start, end)) => Term::from_year_texts(start, end),
            None => Err(TermError::Unrecognised { input: excerpt(&text) }),
        }
    }

    /// Builds a term from two groups already known to be ASCII digits.
    fn from_year_texts(start: &str, end: &str) -> Result<Term, TermError> {
        let year = |text: &str| {
            digits_value::<i32>(text, 4)
                .filter(|_| text.len() == 4)
                .ok_or_else(|| TermError::MalformedYear { text: excerpt(text) })
        };
        Term::new(year(start)?, year(end)?)
    }

    /// The first year of the term.
    pub fn start(&self) -> i32 {
        self.start
    }

    /// The last year of the term, after [`Term::start`] by 1 to 10 years.
    pub fn end(&self) -> i32 {
        self.end
    }
}

/// `2021 – 2026`: an en dash between spaces, as in published titles.
impl std::fmt::Display for Term {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} – {}", self.start, self.end)
    }
}

impl TryFrom<String> for Term {
    type Error = TermError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        Term::parse(&text)
    }
}

impl From<Term> for String {
    fn from(term: Term) -> Self {
        term.to_string()
    }
}

/// Checks every year span in free text that looks like a term of office.
///
/// A span is `<digits><spaces?><dash><spaces?><digits>` whose first group is
/// a four-digit year 1945–2200 and which is either preceded within four words
/// by `nhiệm kỳ` or `giai đoạn` (any case) or has a second group of four or
/// more digits. Everything else (`kinh tế - xã hội năm 2021`, `phòng 2021-3`)
/// is left alone. The text is NFC-normalised first.
///
/// # Errors
/// The [`TermError`] of the first such span that is not a valid [`Term`],
/// e.g. [`TermError::MalformedYear`] for `nhiệm kỳ 2021 – 20216`.
pub fn check_terms(text: &str) -> Result<(), TermError> {
    let text: String = text.nfc().collect();
    let mut pos = 0;
    // Positions only ever land after ASCII digits or at `find` results, so
    // `get` always succeeds; it is used so a slip could never panic.
    while let Some(start) =
        text.get(pos..).and_then(|rest| rest.find(|c: char| c.is_ascii_digit())).map(|offset| pos + offset)
    {
        let (first, after_first) = split_digits(text.get(start..).unwrap_or_default());
        pos = start + first.len();
        let Some(second) = dash_then_digits(after_first) else {
            continue;
        };
        let starts_with_year =
            first.len() == 4 && digits_value::<i32>(first, 4).is_some_and(|y| (MIN_TERM_START..=MAX_YEAR).contains(&y));
        if starts_with_year && (second.len() >= 4 || follows_term_word(text.get(..start).unwrap_or_default())) {
            Term::from_year_texts(first, second)?;
        }
    }
    Ok(())
}

/// True when one of the words introducing a term ends `before`, give or take
/// a few words (`nhiệm kỳ 2021`, `giai đoạn từ năm 2021`).
fn follows_term_word(before: &str) -> bool {
    let mut words: Vec<&str> = before.split_whitespace().rev().take(4).collect();
    words.reverse();
    let tail = words.join(" ").to_lowercase();
    ["nhiệm kỳ", "nhiệm kì", "giai đoạn"].iter().any(|word| tail.contains(word))
}

/// The digit group after optional spaces, a dash and optional spaces.
fn dash_then_digits(text: &str) -> Option<&str> {
    let rest = text.trim_start();
    let mut chars = rest.chars();
    chars.next().filter(|&c| is_dash(c))?;
    let (digits, _) = split_digits(chars.as_str().trim_start());
    (!digits.is_empty()).then_some(digits)
}

/// Splits off the leading run of ASCII digits.
fn split_digits(text: &str) -> (&str, &str) {
    let len = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    text.split_at(len)
}

fn is_digit_group(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// Hyphen-minus and the dashes that word processors substitute for it.
/// Shared with `docnum`, whose separators get the same substitutions.
pub(crate) fn is_dash(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}')
}

/// User input in NFC (pasted text is often NFD), trimmed. Shared with
/// `docnum` so both modules read input the same way.
pub(crate) fn normalise_input(s: &str) -> String {
    s.nfc().collect::<String>().trim().to_owned()
}

/// At most 40 characters of user input for an error message, with control
/// and bidirectional-override characters replaced so a hostile input cannot
/// garble or reorder the message. Shared with `docnum`.
pub(crate) fn excerpt(s: &str) -> String {
    let mut out: String =
        s.chars().take(EXCERPT_CHARS).map(|c| if is_unsafe_in_message(c) { '\u{FFFD}' } else { c }).collect();
    if s.chars().nth(EXCERPT_CHARS).is_some() {
        out.push('…');
    }
    out
}

fn is_unsafe_in_message(c: char) -> bool {
    c.is_control() || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_week_runs_from_monday_to_sunday() {
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        // Friday 4 December 2026: Monday 30 November to Sunday 6 December.
        assert_eq!(week_of(day(12, 4)), (day(11, 30), day(12, 6)));
        assert_eq!(week_of(day(11, 30)), (day(11, 30), day(12, 6)));
        assert_eq!(week_of(day(12, 6)), (day(11, 30), day(12, 6)));
        assert_eq!(week_of(day(12, 7)).0, day(12, 7));
    }

    #[test]
    fn the_day_in_vietnam_turns_at_midnight_plus_seven_and_iso_dates_have_padded_fields() {
        use chrono::TimeZone;
        let at = |h, m| chrono::Utc.with_ymd_and_hms(2026, 12, 4, h, m, 0).unwrap();
        assert_eq!(vietnam_day(at(16, 59)), NaiveDate::from_ymd_opt(2026, 12, 4).unwrap());
        assert_eq!(vietnam_day(at(17, 0)), NaiveDate::from_ymd_opt(2026, 12, 5).unwrap(), "midnight in Hà Nội");
        assert_eq!(iso(NaiveDate::from_ymd_opt(2021, 3, 9)), "2021-03-09");
        assert_eq!(iso(None), "");
    }

    use super::*;
    use proptest::prelude::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn short_form_pads_the_day_always_and_the_month_only_in_january_and_february() {
        for (date, expected) in [
            (ymd(2021, 3, 9), "09/3/2021"),
            (ymd(2021, 1, 5), "05/01/2021"),
            (ymd(2021, 2, 15), "15/02/2021"),
            (ymd(2021, 12, 26), "26/12/2021"),
            (ymd(2020, 10, 1), "01/10/2020"),
        ] {
            assert_eq!(format_short(date), expected);
        }
    }

    #[test]
    fn long_form_follows_the_header_style() {
        for (date, expected) in [
            (ymd(2021, 3, 9), "ngày 09 tháng 3 năm 2021"),
            (ymd(2018, 2, 5), "ngày 05 tháng 02 năm 2018"),
            (ymd(2020, 12, 20), "ngày 20 tháng 12 năm 2020"),
            (ymd(2021, 3, 26), "ngày 26 tháng 3 năm 2021"),
        ] {
            assert_eq!(format_long(date), expected);
        }
    }

    #[test]
    fn day_month_form_drops_the_year() {
        for (date, expected) in [(ymd(2021, 3, 29), "29/3"), (ymd(2021, 4, 2), "02/4"), (ymd(2021, 1, 5), "05/01")] {
            assert_eq!(format_day_month(date), expected);
        }
    }

    #[test]
    fn numeric_form_pads_everything() {
        for (date, expected) in
            [(ymd(2021, 4, 23), "23/04/2021"), (ymd(2021, 3, 9), "09/03/2021"), (ymd(2020, 12, 1), "01/12/2020")]
        {
            assert_eq!(format_numeric(date), expected);
        }
    }

    #[test]
    fn ranges_name_the_shared_month_and_year_once() {
        for (from, to, expected) in [
            (ymd(2021, 3, 23), ymd(2021, 3, 23), "ngày 23/3/2021"),
            (ymd(2021, 3, 23), ymd(2021, 3, 26), "từ ngày 23 đến ngày 26/3/2021"),
            (ymd(2021, 3, 29), ymd(2021, 4, 2), "từ ngày 29/3 đến ngày 02/4/2021"),
            (ymd(2020, 12, 28), ymd(2021, 1, 5), "từ ngày 28/12/2020 đến ngày 05/01/2021"),
            (ymd(2021, 3, 1), ymd(2021, 3, 9), "từ ngày 01 đến ngày 09/3/2021"),
        ] {
            assert_eq!(format_range(from, to), expected);
        }
    }

    #[test]
    fn a_reversed_range_is_formatted_as_given() {
        assert_eq!(format_range(ymd(2021, 3, 26), ymd(2021, 3, 23)), "từ ngày 26 đến ngày 23/3/2021");
    }

    #[test]
    fn a_period_refuses_an_end_before_its_start() {
        let (from, to) = (ymd(2021, 3, 26), ymd(2021, 3, 23));
        assert_eq!(Period::new(Some(from), Some(to)), Err(PeriodError::EndBeforeStart { from, to }));
    }

    #[test]
    fn a_period_describes_itself_by_its_known_ends() {
        let (a, b) = (Some(ymd(2021, 3, 23)), Some(ymd(2021, 3, 26)));
        for (from, to, expected) in [
            (a, b, Some("từ ngày 23 đến ngày 26/3/2021")),
            (a, a, Some("ngày 23/3/2021")),
            (a, None, Some("từ ngày 23/3/2021")),
            (None, b, Some("đến ngày 26/3/2021")),
            (None, None, None),
        ] {
            let period = Period::new(from, to).unwrap();
            assert_eq!(period.describe().as_deref(), expected);
            assert_eq!((period.from(), period.to()), (from, to));
            assert_eq!(period.is_empty(), from.is_none() && to.is_none());
        }
    }

    #[test]
    fn a_period_contains_its_ends_and_is_unbounded_where_open() {
        let (a, b) = (ymd(2021, 3, 23), ymd(2021, 3, 26));
        for (from, to, day, expected) in [
            (Some(a), Some(b), a, true),
            (Some(a), Some(b), b, true),
            (Some(a), Some(b), ymd(2021, 3, 22), false),
            (Some(a), Some(b), ymd(2021, 3, 27), false),
            (Some(a), None, ymd(2100, 1, 1), true),
            (Some(a), None, ymd(2021, 3, 22), false),
            (None, Some(b), ymd(1900, 1, 1), true),
            (None, Some(b), ymd(2021, 3, 27), false),
            (None, None, ymd(2021, 3, 27), true),
        ] {
            assert_eq!(Period::new(from, to).unwrap().contains(day), expected);
        }
    }

    #[test]
    fn the_default_period_is_open_at_both_ends() {
        assert!(Period::default().is_empty());
        assert_eq!(Period::default().describe(), None);
    }

    #[test]
    fn a_period_deserialises_only_when_valid() {
        let good: Period = serde_json::from_str(r#"{"from":"2021-03-23","to":"2021-03-26"}"#).unwrap();
        assert_eq!(good.to(), Some(ymd(2021, 3, 26)));
        let json = serde_json::to_string(&good).unwrap();
        assert_eq!(serde_json::from_str::<Period>(&json).unwrap(), good);
        assert!(serde_json::from_str::<Period>(r#"{"from":"2021-03-26","to":"2021-03-23"}"#).is_err());
    }

    #[test]
    fn dates_are_parsed_in_every_written_form() {
        let expected = ymd(2021, 3, 9);
        for input in [
            "09/3/2021",
            "9/3/2021",
            "09/03/2021",
            "09-3-2021",
            "09.3.2021",
            "2021-03-09",
            "ngày 09/3/2021",
            "Ngày 9-3-2021",
            "NGÀY 09.3.2021",
            "ngày 09 tháng 3 năm 2021",
            "Ngày 9 tháng 03 năm 2021",
            "09 tháng 3 năm 2021",
            "  ngày  09  tháng 3 năm 2021 ",
            "09 / 3 / 2021",
            "nga\u{300}y 09 tha\u{301}ng 3 na\u{306}m 2021",
        ] {
            assert_eq!(parse_date(input), Ok(expected), "{input}");
        }
    }

    #[test]
    fn bad_dates_are_refused_with_the_reason() {
        for (input, expected) in [
            ("", DateError::Empty),
            ("   ", DateError::Empty),
            ("31/2/2021", DateError::InvalidDate { day: 31, month: 2, year: 2021 }),
            ("29/2/2023", DateError::InvalidDate { day: 29, month: 2, year: 2023 }),
            ("0/3/2021", DateError::InvalidDate { day: 0, month: 3, year: 2021 }),
            ("09/13/2021", DateError::InvalidDate { day: 9, month: 13, year: 2021 }),
            ("09/3/21", DateError::YearOutOfRange { year: 21 }),
            ("09/3/1899", DateError::YearOutOfRange { year: 1899 }),
            ("09/3/20216", DateError::YearOutOfRange { year: 20216 }),
            ("hôm qua", DateError::Unrecognised { input: "hôm qua".into() }),
            ("09/3-2021", DateError::Unrecognised { input: "09/3-2021".into() }),
            ("23.9", DateError::Unrecognised { input: "23.9".into() }),
            ("109/3/2021", DateError::Unrecognised { input: "109/3/2021".into() }),
            ("09 tháng 3 2021", DateError::Unrecognised { input: "09 tháng 3 2021".into() }),
            ("ngày 09/3/2021 x", DateError::Unrecognised { input: "ngày 09/3/2021 x".into() }),
        ] {
            assert_eq!(parse_date(input), Err(expected), "{input}");
        }
    }

    #[test]
    fn leap_days_are_accepted_only_in_leap_years() {
        for (input, ok) in [("29/02/2024", true), ("29/02/2000", true), ("29/02/2100", false)] {
            assert_eq!(parse_date(input).is_ok(), ok, "{input}");
        }
    }

    #[test]
    fn long_unrecognised_input_is_shortened_and_defused_in_the_error() {
        let Err(DateError::Unrecognised { input }) = parse_date(&format!("\u{202E}{}", "x".repeat(100))) else {
            panic!("expected Unrecognised");
        };
        assert_eq!(input.chars().count(), EXCERPT_CHARS + 1);
        assert!(input.starts_with('\u{FFFD}') && input.ends_with('…'));
    }

    #[test]
    fn terms_are_parsed_with_any_dash() {
        for (input, start, end) in [
            ("2021 – 2026", 2021, 2026),
            ("2021-2026", 2021, 2026),
            ("2021 - 2026", 2021, 2026),
            ("2021—2026", 2021, 2026),
            ("2026–2031", 2026, 2031),
            ("nhiệm kỳ 2011 - 2016", 2011, 2016),
            ("1946 - 1956", 1946, 1956),
            ("2025 − 2026", 2025, 2026),
        ] {
            let term = Term::parse(input).unwrap();
            assert_eq!((term.start(), term.end()), (start, end), "{input}");
        }
    }

    #[test]
    fn bad_terms_are_refused_with_the_reason() {
        for (input, expected) in [
            ("", TermError::Empty),
            ("2021 – 20216", TermError::MalformedYear { text: "20216".into() }),
            ("21 – 2026", TermError::MalformedYear { text: "21".into() }),
            ("2026 – 2021", TermError::EndNotAfterStart { start: 2026, end: 2021 }),
            ("2021 – 2021", TermError::EndNotAfterStart { start: 2021, end: 2021 }),
            ("1990 – 2020", TermError::TooLong { start: 1990, end: 2020 }),
            ("1930 – 1935", TermError::YearOutOfRange { year: 1930 }),
            ("2021", TermError::Unrecognised { input: "2021".into() }),
            ("2021 đến 2026", TermError::Unrecognised { input: "2021 đến 2026".into() }),
            ("2021 – 2026 – 2031", TermError::Unrecognised { input: "2021 – 2026 – 2031".into() }),
            ("khóa XV", TermError::Unrecognised { input: "khóa XV".into() }),
        ] {
            assert_eq!(Term::parse(input), Err(expected), "{input}");
        }
    }

    #[test]
    fn a_term_displays_with_a_spaced_en_dash_and_serialises_as_text() {
        let term = Term::parse("2021-2026").unwrap();
        assert_eq!(term.to_string(), "2021 – 2026");
        assert_eq!(serde_json::to_string(&term).unwrap(), r#""2021 – 2026""#);
        assert_eq!(serde_json::from_str::<Term>(r#""2021-2026""#).unwrap(), term);
        assert!(serde_json::from_str::<Term>(r#""2021 – 20216""#).is_err());
    }

    #[test]
    fn terms_in_free_text_are_checked_only_where_they_look_like_terms() {
        for (text, expected) in [
            (
                "Giám sát công tác bầu cử nhiệm kỳ 2021 – 20216 tại 3 phường",
                Err(TermError::MalformedYear { text: "20216".into() }),
            ),
            ("Đại biểu HĐND quận nhiệm kỳ 2021 – 2026", Ok(())),
            ("kinh tế - xã hội năm 2021", Ok(())),
            ("phòng 2021-3", Ok(())),
            ("NHIỆM KỲ 2021 - 26", Err(TermError::MalformedYear { text: "26".into() })),
            ("giai đoạn từ năm 2026 – 2021", Err(TermError::EndNotAfterStart { start: 2026, end: 2021 })),
            ("khóa XVIII, nhiệm kỳ 2011 - 2016 và 2016 - 2021", Ok(())),
            ("kế hoạch 2020-2050", Err(TermError::TooLong { start: 2020, end: 2050 })),
            ("từ ngày 24/10 - 26/10/2018", Ok(())),
            ("Quyết định số 2021-QĐ/TU", Ok(())),
            ("số 1189-1190", Ok(())),
            ("nhiệm kỳ 2021 –2026, 2026– 2031", Ok(())),
            ("", Ok(())),
            ("nhie\u{302}\u{323}m ky\u{300} 2021 - 3", Err(TermError::MalformedYear { text: "3".into() })),
        ] {
            assert_eq!(check_terms(text), expected, "{text}");
        }
    }

    #[test]
    fn vietnam_time_is_seven_hours_ahead_of_utc() {
        assert_eq!(vn_offset().local_minus_utc(), 7 * 3600);
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        let first = ymd(MIN_YEAR, 1, 1).num_days_from_ce();
        let last = ymd(MAX_YEAR, 12, 31).num_days_from_ce();
        (first..=last).prop_map(|n| NaiveDate::from_num_days_from_ce_opt(n).unwrap())
    }

    proptest! {
        #[test]
        fn every_written_form_parses_back(d in any_date()) {
            prop_assert_eq!(parse_date(&format_short(d)), Ok(d));
            prop_assert_eq!(parse_date(&format_long(d)), Ok(d));
            prop_assert_eq!(parse_date(&format_numeric(d)), Ok(d));
            prop_assert_eq!(parse_date(&d.format("%Y-%m-%d").to_string()), Ok(d));
        }

        #[test]
        fn parsing_never_panics(s in any::<String>()) {
            let _ = parse_date(&s);
            let _ = Term::parse(&s);
            let _ = check_terms(&s);
        }

        #[test]
        fn a_range_names_the_end_year_exactly_once(a in any_date(), b in any_date()) {
            let (from, to) = if a <= b { (a, b) } else { (b, a) };
            let text = format_range(from, to);
            prop_assert_eq!(text.matches(&to.year().to_string()).count(), 1, "{}", text);
        }

        #[test]
        fn a_term_round_trips_through_its_display(start in MIN_TERM_START..=MAX_YEAR, len in 1..=MAX_TERM_YEARS) {
            let term = Term::new(start, start + len).unwrap();
            prop_assert_eq!(Term::parse(&term.to_string()), Ok(term));
            prop_assert_eq!(check_terms(&format!("nhiệm kỳ {term}")), Ok(()));
        }
    }
}
