//! iCalendar (RFC 5545) feeds: all-day events for working sessions and due dates, written so calendar apps
//! (Google, Outlook, Apple) read Vietnamese text intact: CRLF line ends, text escaped, lines folded at 75 octets
//! without splitting a UTF-8 character.

use chrono::{DateTime, NaiveDate, Utc};

/// One all-day event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarEvent {
    /// Stable across feeds, so an app updates the event instead of adding a copy ("rec-12@giamsat").
    pub uid: String,
    pub date: NaiveDate,
    pub summary: String,
    pub description: String,
    /// A link to the page of the item.
    pub url: Option<String>,
}

fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace("\r\n", "\\n")
        .replace(['\n', '\r'], "\\n")
}

/// Folds a content line: at most 75 octets per physical line, continuation lines start with a space.
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

/// The feed `name` with `events`, stamped `now`.
#[must_use]
pub fn ics(name: &str, events: &[CalendarEvent], now: DateTime<Utc>) -> String {
    let mut out = String::new();
    let stamp = now.format("%Y%m%dT%H%M%SZ").to_string();
    for line in ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//giamsat//lich//VI", "CALSCALE:GREGORIAN"] {
        fold(line, &mut out);
    }
    fold(&format!("X-WR-CALNAME:{}", escape(name)), &mut out);
    fold("X-WR-TIMEZONE:Asia/Ho_Chi_Minh", &mut out);
    for event in events {
        fold("BEGIN:VEVENT", &mut out);
        fold(&format!("UID:{}", escape(&event.uid)), &mut out);
        fold(&format!("DTSTAMP:{stamp}"), &mut out);
        fold(&format!("DTSTART;VALUE=DATE:{}", event.date.format("%Y%m%d")), &mut out);
        if let Some(next) = event.date.succ_opt() {
            fold(&format!("DTEND;VALUE=DATE:{}", next.format("%Y%m%d")), &mut out);
        }
        fold(&format!("SUMMARY:{}", escape(&event.summary)), &mut out);
        if !event.description.is_empty() {
            fold(&format!("DESCRIPTION:{}", escape(&event.description)), &mut out);
        }
        if let Some(url) = &event.url {
            fold(&format!("URL:{url}"), &mut out);
        }
        fold("END:VEVENT", &mut out);
    }
    fold("END:VCALENDAR", &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_folded_at_75_octets_without_splitting_characters_and_text_is_escaped() {
        let event = CalendarEvent {
            uid: "rec-1@giamsat".to_owned(),
            date: NaiveDate::from_ymd_opt(2021, 4, 30).expect("valid"),
            summary: "Hạn: rà soát, bảo đảm chu đáo các điều kiện về kinh phí; cơ sở vật chất, kỹ thuật phục vụ bầu cử"
                .to_owned(),
            description: "dòng 1\ndòng 2".to_owned(),
            url: None,
        };
        let feed = ics("Lịch giám sát", &[event], DateTime::from_timestamp(0, 0).expect("epoch"));
        assert!(feed.ends_with("END:VCALENDAR\r\n"));
        for line in feed.split("\r\n") {
            assert!(line.len() <= 75, "{line:?} is {} octets", line.len());
        }
        let unfolded = feed.replace("\r\n ", "");
        assert!(unfolded.contains("SUMMARY:Hạn: rà soát\\, bảo đảm chu đáo các điều kiện về kinh phí\\; cơ sở"));
        assert!(unfolded.contains("DESCRIPTION:dòng 1\\ndòng 2"));
        assert!(unfolded.contains("DTSTART;VALUE=DATE:20210430\r\nDTEND;VALUE=DATE:20210501"));
    }
}
