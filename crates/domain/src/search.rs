//! Diacritic-insensitive search helpers: query expansion with Vietnamese
//! administrative abbreviations, highlighting of matches in the original
//! text, and a ranking signal for exact-diacritic matches.
//!
//! Everything works on [`fold`]ed text, so "hdnd", "HĐND" and "Hội đồng nhân
//! dân" can all find each other. No function here panics on any input.

use std::ops::Range;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

use crate::text::{fold, normalize, push_folded};

/// Equivalent phrases, in folded form. The first phrase of a row is the full
/// form, the second the usual abbreviation; further phrases are other
/// spellings met in documents. Rows with longer phrases come first only for
/// readability: matching always prefers the longest phrase.
const EQUIVALENTS: &[&[&str]] = &[
    &["hoi dong nhan dan", "hdnd"],
    &["uy ban nhan dan", "ubnd"],
    &["mat tran to quoc viet nam", "mttqvn", "mttq viet nam"],
    &["mat tran to quoc", "mttq"],
    &["ban thuong vu", "btv"],
    &["uy ban kiem tra", "ubkt"],
    &["dai bieu quoc hoi", "dbqh"],
    &["kinh te - xa hoi", "kt-xh", "kinh te-xa hoi", "kinh te xa hoi"],
    &["van hoa - xa hoi", "vh-xh", "van hoa-xa hoi", "van hoa xa hoi"],
    &["thanh pho ho chi minh", "tphcm", "tp hcm", "tp ho chi minh"],
    &["thanh pho", "tp"],
    &["quan", "q"],
    &["phuong", "p"],
];

/// Upper bound on the number of variants of one query, so that a query full
/// of abbreviations cannot turn into an exponential number of searches.
const MAX_VARIANTS: usize = 16;

/// Upper bound on the combinations tried while filling [`MAX_VARIANTS`].
const MAX_COMBINATION_STEPS: usize = 256;

/// Upper bound on the distinct words highlighted for one query.
const MAX_HIGHLIGHT_TERMS: usize = 10;

/// Shortest query word that is highlighted; single letters would light up
/// half of any text.
const MIN_HIGHLIGHT_TERM_CHARS: usize = 2;

/// A piece of a parsed query: either a word kept as typed or a phrase from
/// [`EQUIVALENTS`] that may be swapped for its equivalents.
enum Piece<'q> {
    Word(&'q str),
    Phrase { row: usize },
}

/// Splits folded words into pieces, matching the longest phrase of
/// [`EQUIVALENTS`] at each position on whole words only.
fn parse<'q>(words: &[&'q str]) -> Vec<Piece<'q>> {
    let mut phrases: Vec<(usize, Vec<&str>)> = EQUIVALENTS
        .iter()
        .enumerate()
        .flat_map(|(row, forms)| forms.iter().map(move |phrase| (row, phrase.split(' ').collect())))
        .collect();
    phrases.sort_by_key(|(_, phrase_words)| std::cmp::Reverse(phrase_words.len()));

    let mut pieces = Vec::new();
    let mut i = 0;
    while let Some(&word) = words.get(i) {
        let rest = words.get(i..).unwrap_or_default();
        match phrases.iter().find(|(_, phrase_words)| rest.starts_with(phrase_words)) {
            Some((row, phrase_words)) => {
                pieces.push(Piece::Phrase { row: *row });
                i += phrase_words.len();
            }
            None => {
                pieces.push(Piece::Word(word));
                i += 1;
            }
        }
    }
    pieces
}

/// Writes the query back with its `n`-th phrase replaced by form `form(n)`
/// of the phrase's row.
fn render(pieces: &[Piece<'_>], form: impl Fn(usize) -> usize) -> String {
    let mut out = String::new();
    let mut phrase_index = 0;
    for piece in pieces {
        if !out.is_empty() {
            out.push(' ');
        }
        match piece {
            Piece::Word(word) => out.push_str(word),
            Piece::Phrase { row } => {
                let row_forms = EQUIVALENTS.get(*row).copied().unwrap_or_default();
                let chosen = row_forms.get(form(phrase_index)).copied();
                out.push_str(chosen.unwrap_or_default());
                phrase_index += 1;
            }
        }
    }
    out
}

/// The folded query followed by folded variants in which Vietnamese
/// administrative abbreviations are expanded or contracted (HĐND ⇄ Hội đồng
/// nhân dân, UBND, MTTQ(VN), BTV, UBKT, ĐBQH, KT-XH, VH-XH, TP.HCM, TP., Q.,
/// P.).
///
/// Invariant: `result[0] == fold(query)` unless the folded query is empty,
/// in which case the result is empty; no duplicates; at most
/// [`MAX_VARIANTS`] entries; abbreviations are recognised only as whole
/// folded words ("tp" is not expanded inside "tpx"). After the original come
/// the all-expanded and all-abbreviated forms, then mixed combinations.
/// Never fails.
pub fn query_variants(query: &str) -> Vec<String> {
    let folded = fold(query);
    if folded.is_empty() {
        return Vec::new();
    }
    let words: Vec<&str> = folded.split(' ').collect();
    let pieces = parse(&words);
    let radices: Vec<usize> = pieces
        .iter()
        .filter_map(|piece| match piece {
            Piece::Word(_) => None,
            Piece::Phrase { row, .. } => Some(EQUIVALENTS.get(*row).map_or(1, |row| row.len())),
        })
        .collect();

    let mut variants = vec![folded.clone()];
    push_unique(&mut variants, render(&pieces, |_| 0));
    push_unique(&mut variants, render(&pieces, |_| 1));

    // Odometer over every combination of forms, stopped early: with many
    // abbreviations only the first combinations are ever used.
    let mut choice = vec![0_usize; radices.len()];
    for _ in 0..MAX_COMBINATION_STEPS {
        if variants.len() >= MAX_VARIANTS {
            break;
        }
        push_unique(&mut variants, render(&pieces, |n| choice.get(n).copied().unwrap_or(0)));
        let mut position = choice.len();
        loop {
            let Some(p) = position.checked_sub(1) else {
                return variants;
            };
            position = p;
            let (Some(digit), Some(&radix)) = (choice.get_mut(p), radices.get(p)) else {
                return variants;
            };
            *digit += 1;
            if *digit < radix {
                break;
            }
            *digit = 0;
        }
    }
    variants
}

fn push_unique(variants: &mut Vec<String>, variant: String) {
    if variants.len() < MAX_VARIANTS && !variants.contains(&variant) {
        variants.push(variant);
    }
}

/// A run of the original text, marked when it matches the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// Verbatim text, diacritics and case as in the original.
    pub text: String,
    /// Whether this run matched a query word.
    pub matched: bool,
}

/// The folded words to highlight: words of the query variants, original
/// query first, split at `-` and `/` like the text is.
fn highlight_terms(query: &str) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    for variant in query_variants(query) {
        for term in variant.split(|c: char| !c.is_alphanumeric()) {
            if term.chars().count() >= MIN_HIGHLIGHT_TERM_CHARS && !terms.iter().any(|known| known == term) {
                terms.push(term.to_owned());
                if terms.len() == MAX_HIGHLIGHT_TERMS {
                    return terms;
                }
            }
        }
    }
    terms
}

/// Splits `text` into segments, marking every diacritic- and
/// case-insensitive match of a word of any [`query_variants`] variant.
///
/// Text is tokenised on folded words (runs of letters and digits; spaces,
/// punctuation, `-` and `/` separate words). A query word of at least two
/// characters matches a text word that starts with it (a word typed as an
/// abbreviation, [`whole_words`], only the same word); the matched prefix
/// is marked, extended to whole characters with their combining marks, and
/// the longest matching query word wins. At most ten query words are used.
/// Adjacent matched words are separate segments: the space between them is
/// an unmatched segment ("Hàng", " ", "Bạc").
///
/// Invariant: concatenating the segment texts gives back `text` exactly;
/// no segment is empty and neighbouring segments differ in `matched`; an
/// empty `text` gives no segments. Never fails.
pub fn highlight(text: &str, query: &str) -> Vec<Segment> {
    Highlighter::new(query).segments(text)
}

/// [`highlight`] with the query's words found once, for the many texts of one results page (finding them
/// expands the query's abbreviations: most of the cost of highlighting a short text).
#[derive(Debug, Clone)]
pub struct Highlighter {
    terms: Vec<String>,
    whole: Vec<String>,
}

impl Highlighter {
    #[must_use]
    pub fn new(query: &str) -> Self {
        Highlighter { terms: highlight_terms(query), whole: whole_words(query) }
    }

    /// `text` as [`highlight`] splits it for this query. Never fails.
    #[must_use]
    pub fn segments(&self, text: &str) -> Vec<Segment> {
        let Highlighter { terms, whole } = self;
        // A unit is a character with its following combining marks, so that a
        // match never separates a letter from its diacritics in NFD text.
        let mut units: Vec<Range<usize>> = Vec::new();
        let mut folded: Vec<(char, usize)> = Vec::new();
        let mut buffer = String::new();
        let mut chars = text.char_indices().peekable();
        while let Some((start, c)) = chars.next() {
            let mut end = start + c.len_utf8();
            while let Some(&(mark_start, mark)) = chars.peek() {
                if !is_combining_mark(mark) {
                    break;
                }
                end = mark_start + mark.len_utf8();
                chars.next();
            }
            buffer.clear();
            push_folded(c, &mut buffer);
            let unit = units.len();
            units.push(start..end);
            folded.extend(buffer.chars().map(|f| (f, unit)));
        }

        let mut matched = vec![false; units.len()];
        let mut word = String::new();
        let mut i = 0;
        while i < folded.len() {
            let word_len = folded.get(i..).unwrap_or_default().iter().take_while(|(f, _)| f.is_alphanumeric()).count();
            if word_len == 0 {
                i += 1;
                continue;
            }
            let word_chars = folded.get(i..i + word_len).unwrap_or_default();
            word.clear();
            word.extend(word_chars.iter().map(|(f, _)| f));
            let longest = terms
                .iter()
                .filter(|term| if whole.contains(term) { word == **term } else { word.starts_with(term.as_str()) })
                .map(|term| term.chars().count())
                .max();
            if let Some(len) = longest {
                for (_, unit) in word_chars.iter().take(len) {
                    if let Some(flag) = matched.get_mut(*unit) {
                        *flag = true;
                    }
                }
            }
            i += word_len;
        }

        let mut segments: Vec<Segment> = Vec::new();
        for (range, is_match) in units.into_iter().zip(matched) {
            let piece = text.get(range).unwrap_or_default();
            match segments.last_mut() {
                Some(last) if last.matched == is_match => last.text.push_str(piece),
                _ => segments.push(Segment { text: piece.to_owned(), matched: is_match }),
            }
        }
        segments
    }
}

/// Lower case, NFC, whitespace runs as one space: the form in which
/// [`exactness`] compares with diacritics.
fn exact_form(s: &str) -> String {
    let lower: String = normalize(s).chars().flat_map(char::to_lowercase).collect();
    let mut out = String::with_capacity(lower.len());
    let composed: String;
    let words = if is_nfc_quick(lower.chars()) == IsNormalized::Yes {
        lower.split_whitespace()
    } else {
        composed = lower.nfc().collect();
        composed.split_whitespace()
    };
    for word in words {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The folded form the search engines index: [`fold`], with `-` and `/` as word separators too, so "KT-XH"
/// and "45-CT/TW" split into words the same way on every engine.
#[must_use]
pub fn index_form(text: &str) -> String {
    fold(text).replace(['-', '/'], " ")
}

/// Longest word typed in capitals that is read as an abbreviation ("HĐND", "MTTQVN"); a longer word in
/// capitals is a word written in capitals.
const MAX_ABBREVIATION_CHARS: usize = 6;

/// The folded forms of the query's words typed as abbreviations: two to [`MAX_ABBREVIATION_CHARS`] letters or
/// digits, at least one letter, none in lower case ("QU", "HĐND", "QĐ"; `-` and `/` separate words). Such a
/// word matches only a whole word: "QU" finds "109-QĐ/QU", not "quận". Never fails.
#[must_use]
pub fn whole_words(query: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for word in normalize(query).split(|c: char| !c.is_alphanumeric()) {
        let count = word.chars().count();
        if (2..=MAX_ABBREVIATION_CHARS).contains(&count)
            && word.chars().any(char::is_alphabetic)
            && !word.chars().any(char::is_lowercase)
        {
            let folded = fold(word);
            if !folded.is_empty() && !words.contains(&folded) {
                words.push(folded);
            }
        }
    }
    words
}

/// Whether `needle` occurs in `haystack` with no letter or digit right before or after it.
fn contains_whole(haystack: &str, needle: &str) -> bool {
    !needle.is_empty()
        && haystack.match_indices(needle).any(|(at, _)| {
            let before = haystack.get(..at).and_then(|h| h.chars().next_back());
            let after = haystack.get(at + needle.len()..).and_then(|h| h.chars().next());
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        })
}

/// Ranking signal for a search hit, from best to worst:
/// - 4: the text holds the query with its diacritics (lower-cased NFC, whitespace runs as one space) as whole
///   words ("QU" in "109-QĐ/QU");
/// - 3: with its diacritics, but inside longer words ("qu" in "quận");
/// - 2: only when both are folded ("hang bac" in "Hàng Bạc");
/// - 1: every query word, but not together (the words were found in different fields of one mission);
/// - 0: none of these (matched through an abbreviation's other form), and for a blank query.
///
/// Never fails.
#[must_use]
pub fn exactness(text: &str, query: &str) -> u8 {
    Exactness::new(query).of(text, &index_form(text))
}

/// [`exactness`] with the query's forms computed once, for ranking many texts.
#[derive(Debug, Clone)]
pub struct Exactness {
    exact: String,
    indexed: String,
    /// The query's folded words, each with whether it must match a whole word ([`whole_words`]).
    words: Vec<(String, bool)>,
}

impl Exactness {
    #[must_use]
    pub fn new(query: &str) -> Self {
        let indexed = index_form(query);
        let whole = whole_words(query);
        let words = indexed
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| (w.to_owned(), whole.iter().any(|x| x == w)))
            .collect();
        Self { exact: exact_form(query), indexed, words }
    }

    /// The ranking signal of `text`, whose [`index_form`] (stored beside it in the index, with any further
    /// words indexed for the same row) is `indexed`. A text whose indexed form lacks the query's cannot hold it
    /// with diacritics either: most candidates are set aside on that, without composing their exact form.
    #[must_use]
    pub fn of(&self, text: &str, indexed: &str) -> u8 {
        if self.exact.is_empty() {
            return 0;
        }
        if self.indexed.is_empty() || indexed.contains(&self.indexed) {
            let text = exact_form(text);
            return if contains_whole(&text, &self.exact) {
                4
            } else if text.contains(&self.exact) {
                3
            } else {
                u8::from(!self.indexed.is_empty()) * 2
            };
        }
        let found = |(word, whole): &(String, bool)| {
            indexed.split(|c: char| !c.is_alphanumeric()).any(|w| if *whole { w == word } else { w.starts_with(word) })
        };
        u8::from(self.words.len() > 1 && self.words.iter().all(found))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn nfd(s: &str) -> String {
        s.nfd().collect()
    }

    /// Renders segments as text with matches in brackets, for readable
    /// expectations.
    fn marked(segments: &[Segment]) -> String {
        segments.iter().map(|s| if s.matched { format!("[{}]", s.text) } else { s.text.clone() }).collect()
    }

    #[test]
    fn the_abbreviation_table_is_written_in_folded_form() {
        for row in EQUIVALENTS {
            assert!(row.len() >= 2, "{row:?}");
            for phrase in *row {
                assert_eq!(fold(phrase), *phrase);
            }
        }
    }

    #[test]
    fn query_variants_expand_and_contract_abbreviations() {
        let cases: &[(&str, &[&str])] = &[
            ("hdnd quan", &["hdnd quan", "hoi dong nhan dan quan", "hdnd q", "hoi dong nhan dan q"]),
            ("Ban Thường vụ", &["ban thuong vu", "btv"]),
            ("UBND", &["ubnd", "uy ban nhan dan"]),
            ("Ủy ban nhân dân", &["uy ban nhan dan", "ubnd"]),
            ("Ủy ban Kiểm tra", &["uy ban kiem tra", "ubkt"]),
            ("ĐBQH", &["dbqh", "dai bieu quoc hoi"]),
            ("MTTQ", &["mttq", "mat tran to quoc"]),
            ("MTTQVN", &["mttqvn", "mat tran to quoc viet nam", "mttq viet nam"]),
            ("KT-XH", &["kt-xh", "kinh te - xa hoi", "kinh te-xa hoi", "kinh te xa hoi"]),
            ("văn hóa – xã hội", &["van hoa - xa hoi", "vh-xh", "van hoa-xa hoi", "van hoa xa hoi"]),
            ("TP.HCM", &["tp hcm", "thanh pho ho chi minh", "tphcm", "tp ho chi minh"]),
            ("P. Hàng Bạc", &["p hang bac", "phuong hang bac"]),
            ("Q. 1", &["q 1", "quan 1"]),
            ("tp Vinh", &["tp vinh", "thanh pho vinh"]),
            ("tpx", &["tpx"]),
            ("hdndx", &["hdndx"]),
            ("", &[]),
            ("  ...  ", &[]),
        ];
        for (query, expected) in cases {
            assert_eq!(query_variants(query), *expected, "query {query:?}");
        }
    }

    #[test]
    fn query_variants_combine_several_abbreviations() {
        let variants = query_variants("UBND TP.HCM");
        assert_eq!(variants[0], "ubnd tp hcm");
        assert!(variants.contains(&"uy ban nhan dan thanh pho ho chi minh".to_owned()));
        assert!(variants.contains(&"ubnd tphcm".to_owned()));
        assert!(variants.contains(&"uy ban nhan dan tp hcm".to_owned()));
        assert_eq!(variants.len(), 8);
    }

    #[test]
    fn query_variants_stay_bounded_for_queries_full_of_abbreviations() {
        let query = "HĐND UBND MTTQ BTV UBKT ĐBQH KT-XH VH-XH TPHCM TP Q P ".repeat(20);
        let variants = query_variants(&query);
        assert_eq!(variants.len(), MAX_VARIANTS);
        assert_eq!(variants[0], fold(&query));
        assert!(variants[1].starts_with("hoi dong nhan dan uy ban nhan dan mat tran to quoc"));
    }

    #[test]
    fn highlight_marks_words_whatever_their_diacritics() {
        let segments = highlight("Phường Hàng Bạc, quận Hoàn Kiếm", "hang bac");
        let expected = [("Phường ", false), ("Hàng", true), (" ", false), ("Bạc", true), (", quận Hoàn Kiếm", false)];
        let actual: Vec<(&str, bool)> = segments.iter().map(|s| (s.text.as_str(), s.matched)).collect();
        assert_eq!(actual, expected);
    }

    #[test]
    fn highlight_cases() {
        let cases = [
            ("Phường Hàng Bạc", "Hàng", "Phường [Hàng] Bạc"),
            ("Đồng Xuân và Hàng Đào", "dong dao", "[Đồng] Xuân và Hàng [Đào]"),
            ("Hội đồng nhân dân quận", "HĐND", "[Hội] [đồng] [nhân] [dân] quận"),
            ("HĐND quận Ba Đình", "hội đồng nhân dân", "[HĐND] quận Ba Đình"),
            ("Quanh quận", "qua", "[Qua]nh [quậ]n"),
            ("Quận ủy, 109-QĐ/QU", "QU", "Quận ủy, 109-QĐ/[QU]"),
            ("Quận ủy, 109-QĐ/QU", "qu", "[Qu]ận ủy, 109-QĐ/[QU]"),
            ("Kế hoạch 2021-2026", "2026", "Kế hoạch 2021-[2026]"),
            ("Phát triển KT-XH", "kinh tế - xã hội", "Phát triển [KT]-[XH]"),
            ("Ăn ở", "a o", "Ăn ở"),
            ("ﬁnance", "fin", "[ﬁn]ance"),
            ("Hàng Bạc", "", "Hàng Bạc"),
            ("", "hang", ""),
        ];
        for (text, query, expected) in cases {
            let segments = highlight(text, query);
            assert_eq!(marked(&segments), expected, "text {text:?} query {query:?}");
        }
    }

    #[test]
    fn highlight_keeps_combining_marks_with_their_letter_in_nfd_text() {
        let text = nfd("Hàng Bạc");
        let segments = highlight(&text, "ha bac");
        assert_eq!(segments.len(), 3);
        assert_eq!(segments[0].text, nfd("Hà"));
        assert!(segments[0].matched);
        assert_eq!(segments[1].text, "ng ");
        assert_eq!(segments[2].text, nfd("Bạc"));
        assert!(segments[2].matched);
    }

    #[test]
    fn exactness_ranks_exact_diacritics_first() {
        let cases = [
            ("Phường Hàng Bạc", "hàng bạc", 4),
            ("Phường Hàng Bạc", "HÀNG  BẠC", 4),
            ("Phường Hàng Bạc", &nfd("hàng bạc"), 4),
            ("Phường Hàng Bạc", "hàng bạ", 3),
            ("Phường Hàng Bạc", "hang bac", 2),
            ("Phường Hàng Bạc", "hàng bác", 2),
            ("Phường Hàng Bạc", "phường bạc", 1),
            ("Phường Hàng Bạc", "phường xuân", 0),
            ("Phường Hàng Bạc", "đồng xuân", 0),
            ("Phường Hàng Bạc", "", 0),
            ("Phường Hàng Bạc", "  ", 0),
            ("Quyết định 109-QĐ/QU", "QU", 4),
            ("Quận ủy Hoàn Kiếm", "QU", 3),
            ("Quận ủy Hoàn Kiếm; 109-QĐ/QU", "QU kiếm", 1),
            ("Quận ủy Hoàn Kiếm", "QU kiếm", 0),
        ];
        for (text, query, expected) in cases {
            assert_eq!(exactness(text, query), expected, "text {text:?} query {query:?}");
        }
    }

    #[test]
    fn words_typed_in_capitals_are_abbreviations_matched_whole() {
        assert_eq!(whole_words("QU"), ["qu"]);
        assert_eq!(whole_words("109-QĐ/QU tài chính"), ["qd", "qu"]);
        assert_eq!(whole_words("HĐND quận Hoàn Kiếm"), ["hdnd"]);
        assert!(whole_words("Qu quận 2021 Q HOANKIEM").is_empty(), "mixed case, digits, one letter, a long word");
        assert_eq!(whole_words(&nfd("HĐND")), ["hdnd"], "whatever the normal form");
    }

    fn text_strategy() -> impl Strategy<Value = String> {
        let special = prop::sample::select(vec![
            'a', 'H', 'à', 'ạ', 'đ', 'Đ', ' ', '-', '/', '&', '.', 'ﬁ', '½', 'İ', '\u{0300}', '\u{0323}', '\u{200B}',
            'n', 'g', 'b', 'c', 'h', 'd', 'p', 'q', 't',
        ]);
        prop::collection::vec(prop_oneof![any::<char>(), special], 0..30).prop_map(|chars| chars.into_iter().collect())
    }

    proptest! {
        #[test]
        fn highlight_segments_reassemble_the_text(text in text_strategy(), query in text_strategy()) {
            let segments = highlight(&text, &query);
            let joined: String = segments.iter().map(|s| s.text.as_str()).collect();
            prop_assert_eq!(joined, text);
            prop_assert!(segments.iter().all(|s| !s.text.is_empty()));
            prop_assert!(segments.windows(2).all(|w| w[0].matched != w[1].matched));
        }

        #[test]
        fn highlight_never_panics_on_any_strings(text in any::<String>(), query in any::<String>()) {
            let joined: String = highlight(&text, &query).into_iter().map(|s| s.text).collect();
            prop_assert_eq!(joined, text);
        }

        #[test]
        fn query_variants_are_bounded_unique_and_start_with_the_folded_query(
            query in text_strategy(),
        ) {
            let variants = query_variants(&query);
            prop_assert!(variants.len() <= MAX_VARIANTS);
            let folded = fold(&query);
            prop_assert_eq!(variants.first().cloned().unwrap_or_default(), folded.clone());
            prop_assert_eq!(variants.is_empty(), folded.is_empty());
            for (i, v) in variants.iter().enumerate() {
                prop_assert!(!variants[..i].contains(v));
                prop_assert_eq!(&fold(v), v);
            }
        }

        #[test]
        fn exactness_of_a_text_against_itself_is_four_unless_blank(text in text_strategy()) {
            let expected = if exact_form(&text).is_empty() { 0 } else { 4 };
            prop_assert_eq!(exactness(&text, &text), expected);
        }
    }
}
