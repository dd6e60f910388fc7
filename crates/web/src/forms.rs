//! Reading HTML forms into domain values, with an error per field in Vietnamese and the user's input kept for
//! the form shown again. Bodies are read as raw pairs so repeated fields (checkboxes, list rows) keep their
//! order; invalid UTF-8 arrives as U+FFFD, which `text::clean` refuses with a clear message.

use std::collections::{BTreeMap, BTreeSet};

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use chrono::NaiveDate;
use giamsat_domain::date::parse_date;
use giamsat_domain::text;

use crate::error::AppError;

/// The fields of a submitted form, in order.
#[derive(Debug, Clone, Default)]
pub struct FormData(pub Vec<(String, String)>);

impl<S: Send + Sync> FromRequest<S> for FormData {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, AppError> {
        let bytes = Bytes::from_request(request, state).await.map_err(|_| AppError::PayloadTooLarge)?;
        Ok(FormData::parse(&bytes))
    }
}

impl FormData {
    #[must_use]
    pub fn parse(bytes: &[u8]) -> FormData {
        FormData(form_urlencoded::parse(bytes).into_owned().collect())
    }

    /// The first value of `name` (duplicates after it are ignored), or "".
    #[must_use]
    pub fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }

    /// Every value of `name`, in order.
    #[must_use]
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect()
    }
}

/// A field was refused; its message is recorded in the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refused;

/// The form's values as typed, for showing the form again; and the errors found, by field.
#[derive(Debug, Clone, Default)]
pub struct Checked {
    values: BTreeMap<String, Vec<String>>,
    errors: BTreeMap<String, String>,
    /// Fields whose value was corrected while parsing (a decision number typed without Đ), so the form says so.
    corrected: BTreeSet<String>,
}

impl Checked {
    /// Starts from the submitted data (or from values built from a stored item).
    #[must_use]
    pub fn from(data: &FormData) -> Checked {
        let mut values: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (k, v) in &data.0 {
            values.entry(k.clone()).or_default().push(v.clone());
        }
        Checked { values, errors: BTreeMap::new(), corrected: BTreeSet::new() }
    }

    /// Sets a value to show.
    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        self.values.insert(name.to_owned(), vec![value.into()]);
    }

    /// Shows `value`, the corrected reading of what was typed in `name`, with a note that it was corrected.
    pub fn correct(&mut self, name: &str, value: impl Into<String>) {
        self.set(name, value);
        self.corrected.insert(name.to_owned());
    }

    /// Whether the value of `name` was corrected while parsing.
    #[must_use]
    pub fn corrected(&self, name: &str) -> bool {
        self.corrected.contains(name)
    }

    /// Sets several values of a repeated field.
    pub fn set_all(&mut self, name: &str, values: Vec<String>) {
        self.values.insert(name.to_owned(), values);
    }

    /// The value to show in `name`.
    #[must_use]
    pub fn value(&self, name: &str) -> &str {
        self.values.get(name).and_then(|v| v.first()).map_or("", String::as_str)
    }

    /// Every value of a repeated field, in order.
    #[must_use]
    pub fn all(&self, name: &str) -> Vec<String> {
        self.values.get(name).cloned().unwrap_or_default()
    }

    /// Whether `name` holds `value` (for selected options and checked boxes).
    #[must_use]
    pub fn has(&self, name: &str, value: &str) -> bool {
        self.values.get(name).is_some_and(|v| v.iter().any(|x| x == value))
    }

    /// The error of `name`, if any.
    #[must_use]
    pub fn error(&self, name: &str) -> Option<&str> {
        self.errors.get(name).map(String::as_str)
    }

    #[must_use]
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// Every error, for the summary at the top of a form.
    pub fn errors(&self) -> impl Iterator<Item = (&str, &str)> {
        self.errors.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Records the error of `name` (the first one stays) and returns [`Refused`].
    pub fn fail(&mut self, name: &str, message: impl Into<String>) -> Refused {
        self.errors.entry(name.to_owned()).or_insert_with(|| message.into());
        Refused
    }

    /// Required text of at most `max` characters, NFC.
    pub fn text(&mut self, name: &str, max: usize) -> Option<String> {
        match text::clean(self.value(name), max) {
            Ok(v) => Some(v),
            Err(e) => {
                let _ = self.fail(name, e.to_string());
                None
            }
        }
    }

    /// Optional text: empty gives `None`.
    pub fn opt_text(&mut self, name: &str, max: usize) -> Option<String> {
        match text::clean_optional(self.value(name), max) {
            Ok(v) => v,
            Err(e) => {
                let _ = self.fail(name, e.to_string());
                None
            }
        }
    }

    /// Optional text that reports whether it was valid (`Err` when refused).
    pub fn opt_text_checked(&mut self, name: &str, max: usize) -> Result<Option<String>, Refused> {
        text::clean_optional(self.value(name), max).map_err(|e| self.fail(name, e.to_string()))
    }

    /// The bodies a recommendation is addressed to, one per line (blank lines skipped), each cleaned, and at
    /// least one (`recommendation::check_addressees`, the ledger's rule).
    pub fn addressees(&mut self, name: &str) -> Vec<String> {
        let lines: Vec<String> =
            self.value(name).lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
        let mut addressees = Vec::new();
        for line in lines {
            match text::clean(&line, text::SHORT_TEXT_MAX) {
                Ok(a) => addressees.push(a),
                Err(e) => {
                    let _ = self.fail(name, e.to_string());
                }
            }
        }
        if let Err(e) = giamsat_domain::recommendation::check_addressees(&addressees) {
            for problem in e.problems {
                let _ = self.fail(name, problem.to_string());
            }
        }
        addressees
    }

    /// An optional date, as a date input sends it (2021-03-09) or as people type it (09/3/2021).
    pub fn date(&mut self, name: &str) -> Result<Option<NaiveDate>, Refused> {
        let raw = self.value(name).trim().to_owned();
        if raw.is_empty() {
            return Ok(None);
        }
        parse_date(&raw).map(Some).map_err(|e| self.fail(name, e.to_string()))
    }

    /// A value of a closed vocabulary.
    pub fn code<T>(&mut self, name: &str, parse: fn(&str) -> Option<T>) -> Option<T> {
        let value = self.value(name).to_owned();
        let parsed = parse(&value);
        if parsed.is_none() {
            let _ = self.fail(name, giamsat_domain::messages::pages::NOT_IN_LIST);
        }
        parsed
    }

    /// An optional whole number in `range`.
    pub fn number(&mut self, name: &str, range: std::ops::RangeInclusive<u32>) -> Result<Option<u32>, Refused> {
        let raw = self.value(name).trim().to_owned();
        if raw.is_empty() {
            return Ok(None);
        }
        match raw.parse::<u32>() {
            Ok(n) if range.contains(&n) => Ok(Some(n)),
            _ => Err(self.fail(name, giamsat_domain::messages::pages::whole_number(*range.start(), *range.end()))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_fields_keep_their_order_and_the_first_value_wins() {
        let data = FormData::parse(b"t=2&text=a%20b&t=0&text=second");
        assert_eq!(data.get("text"), "a b");
        assert_eq!(data.all("t"), vec!["2", "0"]);
    }

    #[test]
    fn field_errors_are_vietnamese_and_input_is_kept() {
        let mut form = Checked::from(&FormData::parse(b"text=&when=31/2/2021&n=abc&bad=%FF"));
        assert_eq!(form.text("text", 10), None);
        assert!(form.error("text").is_some());
        assert!(form.date("when").is_err());
        assert_eq!(form.value("when"), "31/2/2021");
        assert!(form.number("n", 1..=9).is_err());
        assert!(form.text("bad", 10).is_none(), "invalid UTF-8 is refused");
        assert!(form.has_errors());
        let mut ok = Checked::from(&FormData::parse(b"when=2021-03-09&other=09/3/2021"));
        assert_eq!(ok.date("when"), Ok(NaiveDate::from_ymd_opt(2021, 3, 9)));
        assert_eq!(ok.date("other"), Ok(NaiveDate::from_ymd_opt(2021, 3, 9)));
    }
}
