//! Proofreading of generated texts: the mistakes an editor would strike out of an article or a formal report
//! before publishing it. Every output of every kind of mission is checked with [`problems`] in the tests (the
//! article as text, Markdown and HTML; the formal report as text, HTML, PDF and DOCX text), so a wording rule
//! that breaks for one kind of mission fails there, not in a newsroom.

use crate::article::word_count;
use crate::messages::article::{CONJUNCTIONS, HEADLINE_MAX_WORDS, REDUPLICATIONS};

/// What a text is, for the rules that apply to one kind only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A news article; its first line is the headline.
    Article,
    /// A formal report in the Party layout (Hướng dẫn 36).
    PartyReport,
    /// A formal report in the State layout (Nghị định 30): no comma before "ngày" in a citation.
    StateReport,
    /// Any other page (a web page's text, whose first line is the site's, not a headline).
    Page,
}

/// Codes of the interchange format and the database that must never reach a reader.
const CODE_WORDS: &[&str] = &[
    "null",
    "none",
    "some",
    "agency",
    "upward",
    "downward",
    "party_org",
    "special_zone",
    "deputy_leader",
    "team_leader",
    "team_member",
    "in_progress",
    "follow_up",
    "thematic",
    "shortcoming",
    "strength",
    "unknown",
    "council",
    "ward",
    "commune",
    "subset",
    "class",
];

/// Every problem of `text`, each as a short description with the offending words.
#[must_use]
pub fn problems(text: &str, kind: Kind) -> Vec<String> {
    let mut found = Vec::new();
    doubled_words(text, &mut found);
    for token in text.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '(')) {
        let lower = token.trim_end_matches('(').to_lowercase();
        if token.is_ascii() && CODE_WORDS.contains(&lower.as_str()) && token.chars().all(|c| !c.is_uppercase()) {
            found.push(format!("a code word: «{token}»"));
        }
        if token.starts_with("Some(") || token == "None" {
            found.push(format!("a program value: «{token}»"));
        }
    }
    if iso_date(text) {
        found.push("an ISO date".to_owned());
    }
    if text.contains("Chưa có nội dung") {
        found.push("«Chưa có nội dung» instead of saying what is missing".to_owned());
    }
    if let Some(first) = text.trim_start().chars().next()
        && first.is_lowercase()
    {
        found.push("the text starts with a lower-case letter".to_owned());
    }
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    for (i, line) in lines.iter().enumerate() {
        if matches!(*line, "Số" | "Số:") {
            found.push("a number line without its number".to_owned());
        }
        if *line == "TRƯỞNG ĐOÀN" || *line == "TỔ TRƯỞNG" {
            let next = lines.iter().skip(i + 1).find(|l| !l.is_empty());
            // A name is written in mixed case ("Nguyễn Văn A"); a heading or the end of the text is no name.
            if next.is_none_or(|n| !n.chars().any(char::is_lowercase)) {
                found.push(format!("«{line}» with no name under it"));
            }
        }
        let upper = line.chars().any(char::is_alphabetic) && !line.chars().any(char::is_lowercase);
        if upper && (line.contains("TP.") || line.contains("TPHCM") || line.split_whitespace().any(|w| w == "TP")) {
            found.push(format!("an abbreviated place in a header: «{line}»"));
        }
    }
    if text.contains("ỦY") && text.contains("UỶ") {
        found.push("«ỦY» and «UỶ» in one document".to_owned());
    }
    match kind {
        Kind::Article => {
            let headline = lines.iter().find(|l| !l.is_empty()).copied().unwrap_or_default();
            let headline = headline.trim_start_matches('#').trim();
            if word_count(headline) > HEADLINE_MAX_WORDS {
                found.push(format!("a headline of {} words", word_count(headline)));
            }
        }
        Kind::StateReport => {
            if comma_before_dated_citation(text) {
                found.push("a comma before «ngày» in a State citation".to_owned());
            }
        }
        Kind::PartyReport | Kind::Page => {}
    }
    found
}

/// The same word twice in a row ("giám sát giám sát", "Các các"), or the same two words twice in a row, with
/// nothing but spaces between them.
fn doubled_words(text: &str, found: &mut Vec<String>) {
    for line in text.lines() {
        let tokens: Vec<&str> = line.split_whitespace().collect();
        let word = |t: &str| {
            let bare = t.trim_start_matches(|c: char| !c.is_alphanumeric());
            // Only the first letter's case is ignored ("Các các"): "HOÀN KIẾM Hoàn Kiếm" is two columns of a
            // header read side by side, not a doubling.
            (bare.len() == t.len() && bare.chars().all(char::is_alphanumeric) && bare.chars().any(char::is_alphabetic))
                .then(|| crate::text::lowercase_first(bare))
        };
        // A token followed by punctuation ends a run: "các, các" is a list, not a doubling.
        let clean = word;
        for pair in tokens.windows(2) {
            if let [a, b] = pair
                && let (Some(x), Some(y)) = (clean(a), word(b.trim_end_matches(|c: char| !c.is_alphanumeric())))
                && x == y
                && !proper_after_common(a, b)
                && !REDUPLICATIONS.contains(&x.as_str())
            {
                found.push(format!("a doubled word: «{a} {b}»"));
            }
        }
        // The same two words again with at most two words between: "kết quả giám sát kết quả …".
        let words: Vec<Option<String>> =
            tokens.iter().map(|t| word(t.trim_end_matches(|c: char| !c.is_alphanumeric()))).collect();
        let ends_clean: Vec<bool> = tokens.iter().map(|t| word(t).is_some()).collect();
        for i in 0..words.len() {
            for j in i + 2..=i + 4 {
                let pair = |k: usize| match (words.get(k), words.get(k + 1)) {
                    (Some(Some(a)), Some(Some(b))) if ends_clean.get(k) == Some(&true) => Some((a, b)),
                    _ => None,
                };
                // "chưa được thực hiện hoặc thực hiện chưa dứt điểm" repeats on purpose across a conjunction.
                let between_clean = (i + 1..j).all(|k| ends_clean.get(k) == Some(&true))
                    && !(i + 2..j)
                        .any(|k| words.get(k).and_then(Option::as_deref).is_some_and(|w| CONJUNCTIONS.contains(&w)));
                let name_after = match (tokens.get(i), tokens.get(j)) {
                    (Some(a), Some(b)) => proper_after_common(a, b),
                    _ => false,
                };
                if let (Some(x), Some(y)) = (pair(i), pair(j))
                    && x == y
                    && between_clean
                    && !name_after
                {
                    found.push(format!("a doubled phrase: «{} {}» twice", x.0, x.1));
                }
            }
        }
    }
}

/// "giao ban Ban Chỉ đạo": a common word, then a name that starts with it.
fn proper_after_common(a: &str, b: &str) -> bool {
    a.chars().next().is_some_and(char::is_lowercase) && b.chars().next().is_some_and(char::is_uppercase)
}

fn iso_date(text: &str) -> bool {
    text.as_bytes().windows(10).any(|w| {
        w.get(..4).is_some_and(|y| y.iter().all(u8::is_ascii_digit))
            && w.get(4) == Some(&b'-')
            && w.get(5..7).is_some_and(|m| m.iter().all(u8::is_ascii_digit))
            && w.get(7) == Some(&b'-')
            && w.get(8..).is_some_and(|d| d.iter().all(u8::is_ascii_digit))
    })
}

/// ", ngày 30/10/2023": a citation's date (a place-and-date line reads ", ngày 26 tháng 3 …").
fn comma_before_dated_citation(text: &str) -> bool {
    text.match_indices(", ngày ").any(|(i, m)| {
        let rest = text.get(i + m.len()..).unwrap_or_default();
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        digits > 0 && rest.chars().nth(digits) == Some('/')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_rule_finds_its_mistake_and_only_it() {
        assert!(problems("Đoàn giám sát giám sát việc X.", Kind::Article).iter().any(|p| p.contains("doubled")));
        assert!(problems("- Các các tổ chức đảng,", Kind::PartyReport).iter().any(|p| p.contains("doubled")));
        assert!(problems("Kết quả giám sát kết quả giám sát.", Kind::PartyReport).iter().any(|p| p.contains("phrase")));
        assert!(problems("Các phường, các xã.", Kind::Article).is_empty(), "a list is not a doubling");
        assert!(problems("Số\nX", Kind::PartyReport).iter().any(|p| p.contains("number line")));
        assert!(problems("Số 12-BC/QU", Kind::PartyReport).is_empty());
        assert!(problems("T/M ĐOÀN GIÁM SÁT\nTRƯỞNG ĐOÀN\n", Kind::PartyReport).iter().any(|p| p.contains("no name")));
        assert!(problems("T/M ĐOÀN GIÁM SÁT\nTRƯỞNG ĐOÀN\nNguyễn Văn A\n", Kind::PartyReport).is_empty());
        assert!(
            problems("Quyết định số 10/QĐ-HĐND, ngày 30/10/2023", Kind::StateReport)
                .iter()
                .any(|p| p.contains("comma"))
        );
        assert!(problems("Quyết định số 10/QĐ-HĐND ngày 30/10/2023", Kind::StateReport).is_empty());
        assert!(problems("Tây Ninh, ngày 26 tháng 3 năm 2024", Kind::StateReport).is_empty());
        assert!(problems("Tây Ninh, ngày 2024-03-26", Kind::StateReport).iter().any(|p| p.contains("ISO")));
        assert!(problems("Kind agency here", Kind::Article).iter().any(|p| p.contains("code word")));
        assert!(problems("HUYỆN ỦY X\nBAN DÂN VẬN HUYỆN UỶ X", Kind::PartyReport).iter().any(|p| p.contains("ỦY")));
        assert!(problems("ỦY BAN NHÂN DÂN TP. HÀ NỘI", Kind::StateReport).iter().any(|p| p.contains("abbreviated")));
        assert!(problems("chưa viết hoa", Kind::Article).iter().any(|p| p.contains("lower-case")));
        let long = format!("Tiêu đề {}", "rất ".repeat(40));
        assert!(problems(&long, Kind::Article).iter().any(|p| p.contains("headline")));
        assert!(problems("Chưa có nội dung.", Kind::PartyReport).iter().any(|p| p.contains("Chưa có")));
    }
}
