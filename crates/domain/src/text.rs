//! Text hygiene and Vietnamese text helpers: normalisation of user input,
//! validation, search folding, dictionary collation and small phrasing
//! helpers.
//!
//! Everything here is pure and total: no function panics on any `&str`.

use std::cmp::Ordering;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Maximum length, in characters, of a one-line field (a name, a title).
pub const SHORT_TEXT_MAX: usize = 500;

/// Maximum length, in characters, of a free-text field (a finding, a report
/// section).
pub const LONG_TEXT_MAX: usize = 20_000;

/// Characters that render as nothing. They survive copy-paste from Word and
/// web pages and make two visually identical names compare unequal, so they
/// are removed rather than refused.
const INVISIBLE: [char; 6] = ['\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}', '\u{00AD}'];

fn is_invisible(c: char) -> bool {
    INVISIBLE.contains(&c)
}

/// Canonical form of user-entered text.
///
/// Invariant of the result: NFC; line breaks are `\n` only; none of the
/// invisible characters U+200B, U+200C, U+200D, U+2060, U+FEFF, U+00AD;
/// no leading or trailing Unicode whitespace (NBSP included).
/// `normalize(normalize(s)) == normalize(s)`. Never fails.
pub fn normalize(s: &str) -> String {
    // Stored text was normalised when it was entered: it is checked, not rebuilt (search ranks hundreds of
    // texts per request).
    if !s.chars().any(|c| c == '\r' || is_invisible(c)) && is_nfc_quick(s.chars()) == IsNormalized::Yes {
        return s.trim().to_owned();
    }
    let mut unified = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                unified.push('\n');
            }
            // Removed before NFC so that a mark separated from its base by
            // an invisible character still composes with it.
            c if is_invisible(c) => {}
            c => unified.push(c),
        }
    }
    let composed: String = unified.nfc().collect();
    composed.trim().to_owned()
}

/// Why a piece of user text was refused by [`clean`] or [`clean_optional`].
///
/// The Vietnamese message shown to users is the `Display` implementation in
/// `crate::messages::text`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    /// Nothing is left once the text is normalised.
    Empty,
    /// The normalised text has `actual` characters, more than `max`.
    TooLong {
        /// The limit that applied.
        max: usize,
        /// The character count of the normalised text.
        actual: usize,
    },
    /// A C0 control other than tab and line feed, DEL, or a C1 control.
    ControlCharacter {
        /// The offending code point.
        code_point: u32,
    },
    /// A bidirectional override or isolate (U+202A–U+202E, U+2066–U+2069),
    /// which can make displayed text read differently from what is stored.
    BidiControl {
        /// The offending code point.
        code_point: u32,
    },
    /// U+FFFD: the text went through a lossy decoder and is already damaged.
    ReplacementCharacter,
    /// A Unicode noncharacter (U+FDD0–U+FDEF or U+xxFFFE/U+xxFFFF).
    Noncharacter {
        /// The offending code point.
        code_point: u32,
    },
}

fn refusal(c: char) -> Option<TextError> {
    let code_point = u32::from(c);
    match c {
        '\t' | '\n' => None,
        '\u{0}'..='\u{1F}' | '\u{7F}'..='\u{9F}' => Some(TextError::ControlCharacter { code_point }),
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => Some(TextError::BidiControl { code_point }),
        '\u{FFFD}' => Some(TextError::ReplacementCharacter),
        _ if is_noncharacter(code_point) => Some(TextError::Noncharacter { code_point }),
        _ => None,
    }
}

fn is_noncharacter(code_point: u32) -> bool {
    (0xFDD0..=0xFDEF).contains(&code_point) || code_point & 0xFFFE == 0xFFFE
}

fn validate(normalized: String, max_chars: usize) -> Result<String, TextError> {
    if normalized.is_empty() {
        return Err(TextError::Empty);
    }
    if let Some(error) = normalized.chars().find_map(refusal) {
        return Err(error);
    }
    let actual = normalized.chars().count();
    if actual > max_chars {
        return Err(TextError::TooLong { max: max_chars, actual });
    }
    Ok(normalized)
}

/// Validates a required text field and returns its [`normalize`]d form.
///
/// On success the result is NFC, non-empty, at most `max_chars` characters,
/// and contains no control character other than `\t` and `\n`, no bidi
/// override or isolate, no U+FFFD and no noncharacter.
///
/// # Errors
/// [`TextError::Empty`] if nothing is left after normalisation; the first
/// refused character as [`TextError::ControlCharacter`],
/// [`TextError::BidiControl`], [`TextError::ReplacementCharacter`] or
/// [`TextError::Noncharacter`]; otherwise [`TextError::TooLong`] if the
/// normalised text has more than `max_chars` characters.
pub fn clean(s: &str, max_chars: usize) -> Result<String, TextError> {
    validate(normalize(s), max_chars)
}

/// A query-string value or path segment as handlers may use it: every character [`clean`] would refuse
/// (controls but tab and line feed, bidi controls, U+FFFD, noncharacters) removed. A filter is not a stored text,
/// so it is cleaned rather than refused; PostgreSQL refuses NUL in any text parameter, so nothing with one may
/// reach a query. Never fails.
#[must_use]
pub fn scrub(s: &str) -> String {
    s.chars().filter(|&c| refusal(c).is_none()).collect()
}

/// The longest e-mail address an account may have (RFC 5321's path limit).
pub const EMAIL_MAX: usize = 254;

/// An account's e-mail address as it is stored and compared: [`normalize`]d and lower-case, at most
/// [`EMAIL_MAX`] bytes, one `@` between a local part and a domain. The local part is a dot-atom (RFC 5322:
/// letters, digits and ``!#$%&'*+/=?^_`{|}~-``, dots only between them), the domain dot-separated labels of
/// letters, digits and inner hyphens; letters may be Vietnamese (RFC 6531). Quoted local parts and address
/// literals are refused: nobody here needs them, and their `"`, `<`, `>` would make an address markup. `None` for
/// anything else.
#[must_use]
pub fn email(s: &str) -> Option<String> {
    let email = normalize(s).to_lowercase();
    let (local, domain) = email.split_once('@')?;
    let atom = |c: char| c.is_alphanumeric() || "!#$%&'*+/=?^_`{|}~-".contains(c);
    let dot_atom = |part: &str| !part.is_empty() && part.split('.').all(|a| !a.is_empty() && a.chars().all(atom));
    let label = |l: &str| {
        !l.is_empty() && !l.starts_with('-') && !l.ends_with('-') && l.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    let plausible = email.len() <= EMAIL_MAX
        && dot_atom(local)
        && domain.split('.').all(label)
        && !email.chars().any(|c| refusal(c).is_some());
    plausible.then_some(email)
}

/// Validates an optional text field: blank input (empty after
/// [`normalize`]) is `Ok(None)`, anything else is checked exactly as by
/// [`clean`].
///
/// # Errors
/// Those of [`clean`], except that [`TextError::Empty`] is never returned.
pub fn clean_optional(s: &str, max_chars: usize) -> Result<Option<String>, TextError> {
    let normalized = normalize(s);
    if normalized.is_empty() { Ok(None) } else { validate(normalized, max_chars).map(Some) }
}

/// Appends the search-folded form of one character, before whitespace is
/// collapsed. Shared with `crate::search` so that highlighting maps folded
/// text back to the original exactly as [`fold`] folds it.
pub(crate) fn push_folded(c: char, out: &mut String) {
    // Folding runs over every text indexed for search and every search's candidates; nearly all of it is
    // ASCII or a precomposed Vietnamese letter, whose folds are known without decomposing anything.
    if c.is_ascii() {
        match c.to_ascii_lowercase() {
            d if d.is_ascii_alphanumeric() || d == '-' || d == '/' => out.push(d),
            '&' => out.push_str(" va "),
            _ => out.push(' '),
        }
    } else if let Some(folded) = latin_fold(c) {
        out.push(folded);
    } else {
        push_folded_by_decomposition(c, out);
    }
}

/// First code point after the Latin blocks (Latin-1 Supplement to Latin Extended Additional, where every
/// Vietnamese letter lies) whose folds [`latin_fold`] keeps.
const LATIN_END: u32 = 0x1F00;

/// The fold of a character of the Latin blocks when it is one character, from a table built once by
/// [`push_folded_by_decomposition`] itself; `None` for any other character.
fn latin_fold(c: char) -> Option<char> {
    static TABLE: std::sync::OnceLock<Vec<char>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        (0x80..LATIN_END)
            .map(|code| {
                let mut folded = String::new();
                if let Some(c) = char::from_u32(code) {
                    push_folded_by_decomposition(c, &mut folded);
                }
                let mut chars = folded.chars();
                // NUL marks a character whose fold is not one character: it takes the slow path.
                match (chars.next(), chars.next()) {
                    (Some(one), None) => one,
                    _ => '\0',
                }
            })
            .collect()
    });
    let folded = *table.get(usize::try_from(u32::from(c).checked_sub(0x80)?).ok()?)?;
    (folded != '\0').then_some(folded)
}

/// [`push_folded`] by the rules themselves: lower case, compatibility decomposition, marks dropped.
fn push_folded_by_decomposition(c: char, out: &mut String) {
    if is_invisible(c) {
        return;
    }
    for lower in c.to_lowercase() {
        // Compatibility decomposition also folds full-width letters,
        // ligatures and styled letters that people paste from PDFs.
        for decomposed in std::iter::once(lower).nfkd() {
            for d in decomposed.to_lowercase() {
                match d {
                    _ if is_combining_mark(d) => {}
                    // U+0111 has no decomposition, so NFKD leaves it alone.
                    'đ' => out.push('d'),
                    '-' | '\u{2010}'..='\u{2014}' | '\u{2212}' => out.push('-'),
                    '&' => out.push_str(" va "),
                    '/' => out.push('/'),
                    // A few symbols are uppercase yet have no lowercase
                    // mapping; they cannot be part of a folded word.
                    _ if d.is_alphanumeric() && !d.is_uppercase() => out.push(d),
                    _ => out.push(' '),
                }
            }
        }
    }
}

/// Search folding: the form in which text and queries are compared
/// regardless of case, diacritics and punctuation.
///
/// Lower case; compatibility-decomposed (NFKD, a superset of NFD that also
/// folds full-width letters and ligatures); all combining marks dropped;
/// `đ`/`Đ` → `d`; dashes (- ‐ ‑ ‒ – — −) → `-`; `&` → ` va `; the invisible
/// characters removed by [`normalize`] dropped; every other character that is
/// not alphanumeric, `-` or `/` becomes a space; whitespace collapsed to
/// single spaces and trimmed.
///
/// Invariant: idempotent; the result has no uppercase letters, no combining
/// marks, and only `' '` as whitespace. Never fails.
pub fn fold(s: &str) -> String {
    let mut raw = String::with_capacity(s.len());
    for c in s.chars() {
        push_folded(c, &mut raw);
    }
    let mut out = String::with_capacity(raw.len());
    for word in raw.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Separates the primary, secondary and tertiary parts of a collation key.
/// It must be lower than every byte used inside any part, so that a key
/// whose part is a prefix of another's sorts first.
const LEVEL_SEPARATOR: char = '!';
/// Primary weight of any whitespace character.
const PRIMARY_SPACE: char = '#';
/// Primary prefix of punctuation, symbols, controls and stray marks,
/// followed by six hex digits of the code point.
const PRIMARY_SYMBOL: char = '$';
/// Primary prefix of a run of ASCII digits, followed by the two-digit
/// length of the run without leading zeros and the digits themselves.
const PRIMARY_NUMBER: char = '0';
/// Primary prefix of a letter outside the Vietnamese/Latin alphabet,
/// followed by six hex digits of its lowercase code point.
const PRIMARY_OTHER_LETTER: char = '{';
/// Ends the secondary weights of one word; lower than every mark weight.
const SECONDARY_WORD_END: char = '0';
/// Secondary prefix of a combining mark that is not a Vietnamese tone,
/// followed by six hex digits of the code point.
const SECONDARY_OTHER_MARK: char = '6';
/// Longest digit run encoded as one number, so that its length fits in two
/// decimal digits; longer runs are split into several numbers.
const MAX_NUMBER_DIGITS: usize = 99;

const DECIMAL: &[u8; 10] = b"0123456789";

fn push_two_digits(out: &mut String, n: usize) {
    out.push(digit(n / 10 % 10));
    out.push(digit(n % 10));
}

/// The decimal digit `n` (0–9; larger values give '9').
fn digit(n: usize) -> char {
    char::from(DECIMAL.get(n).copied().unwrap_or(b'9'))
}

fn push_hex6(out: &mut String, c: char) {
    let code_point = u32::from(c);
    for shift in (0..6).rev() {
        let nibble = (code_point >> (shift * 4)) & 0xF;
        out.push(char::from_digit(nibble, 16).unwrap_or('0'));
    }
}

fn single_lowercase(c: char) -> char {
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

fn single_uppercase(c: char) -> char {
    let mut upper = c.to_uppercase();
    match (upper.next(), upper.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

/// The Vietnamese letter a vowel modifier turns `letter` into, as its rank
/// after the plain letter (a < ă < â, o < ô < ơ, e < ê, u < ư).
fn vowel_modifier(letter: char, mark: char) -> Option<u8> {
    match (letter, mark) {
        ('a', '\u{0306}') | ('e' | 'o', '\u{0302}') | ('u', '\u{031B}') => Some(1),
        ('a', '\u{0302}') | ('o', '\u{031B}') => Some(2),
        _ => None,
    }
}

#[derive(Default)]
struct CollationKey {
    primary: String,
    secondary: String,
    tertiary: String,
    in_word: bool,
}

impl CollationKey {
    /// Secondary weights are grouped per word so that a word's tone is
    /// compared with the tone of the word at the same place, wherever the
    /// mark sits inside it ("hoà" and "hòa" carry the same tone).
    fn end_word(&mut self) {
        if self.in_word {
            self.secondary.push(SECONDARY_WORD_END);
            self.in_word = false;
        }
    }

    fn push_space(&mut self, c: char) {
        self.end_word();
        self.primary.push(PRIMARY_SPACE);
        push_hex6(&mut self.tertiary, c);
    }

    fn push_symbol(&mut self, c: char) {
        self.end_word();
        self.primary.push(PRIMARY_SYMBOL);
        push_hex6(&mut self.primary, c);
    }

    /// Numbers compare by value ("Phường 2" < "Phường 10"); leading zeros
    /// only break ties, at the tertiary level.
    fn push_number(&mut self, digits: &[char]) {
        self.end_word();
        for chunk in digits.chunks(MAX_NUMBER_DIGITS) {
            let zeros = chunk.iter().take_while(|&&d| d == '0').count().min(chunk.len().saturating_sub(1));
            let significant = chunk.get(zeros..).unwrap_or_default();
            self.primary.push(PRIMARY_NUMBER);
            push_two_digits(&mut self.primary, significant.len());
            self.primary.extend(significant);
            push_two_digits(&mut self.tertiary, zeros);
        }
    }

    fn push_mark(&mut self, mark: char) {
        match mark {
            '\u{0300}' => self.secondary.push('1'), // huyền
            '\u{0309}' => self.secondary.push('2'), // hỏi
            '\u{0303}' => self.secondary.push('3'), // ngã
            '\u{0301}' => self.secondary.push('4'), // sắc
            '\u{0323}' => self.secondary.push('5'), // nặng
            _ => {
                self.secondary.push(SECONDARY_OTHER_MARK);
                push_hex6(&mut self.secondary, mark);
            }
        }
    }

    fn push_letter(&mut self, base: char, marks: &[char]) {
        self.in_word = true;
        let lower = single_lowercase(base);
        let mut secondary_marks = 0_usize;
        let latin = match lower {
            'a'..='z' => Some((lower, 0)),
            'đ' => Some(('d', 1)),
            _ => None,
        };
        match latin {
            Some((letter, mut modifier)) => {
                for &mark in marks {
                    if modifier == 0
                        && let Some(rank) = vowel_modifier(letter, mark)
                    {
                        modifier = rank;
                    } else {
                        self.push_mark(mark);
                        secondary_marks += 1;
                    }
                }
                self.primary.push(letter);
                self.primary.push(char::from(b'0' + modifier));
            }
            None => {
                self.primary.push(PRIMARY_OTHER_LETTER);
                push_hex6(&mut self.primary, lower);
                for &mark in marks {
                    self.push_mark(mark);
                    secondary_marks += 1;
                }
            }
        }
        self.tertiary.push(if lower == base { '0' } else { '1' });
        // Where the marks sit inside the word ("hoà" vs "hòa") is the last
        // tie-breaker, so distinct spellings still get distinct keys.
        self.tertiary.push(digit(secondary_marks.min(9)));
    }

    fn finish(mut self) -> String {
        self.end_word();
        let mut key = self.primary;
        key.push(LEVEL_SEPARATOR);
        key.push_str(&self.secondary);
        key.push(LEVEL_SEPARATOR);
        key.push_str(&self.tertiary);
        key
    }
}

/// Vietnamese dictionary collation key: comparing two keys bytewise (as
/// `String::cmp`, SQLite `BINARY` or PostgreSQL `COLLATE "C"` do) orders the
/// source strings as a Vietnamese directory does.
///
/// The key is ASCII-only: primary ‖ `!` ‖ secondary ‖ `!` ‖ tertiary, each
/// level compared only when the previous levels are equal for the whole
/// string.
/// - Primary, case-insensitive: whitespace < punctuation and symbols (by
///   code point) < numbers (by numeric value: "2" < "10") < letters
///   a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y z <
///   other letters (by code point). A shorter string sorts before its
///   extensions, and a space before any letter ("An Bình" < "Anh").
/// - Secondary, word by word: tone unmarked < huyền < hỏi < ngã < sắc <
///   nặng, then other diacritics (by code point).
/// - Tertiary: lower case before upper case, then fewer leading zeros, then
///   the kind of whitespace and where in a word a tone mark sits.
///
/// Invariant: canonically equivalent strings (NFC and NFD) have equal keys.
/// Never fails.
pub fn collation_key(s: &str) -> String {
    let chars: Vec<char> = s.nfd().collect();
    let mut key = CollationKey::default();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let rest = chars.get(i + 1..).unwrap_or_default();
        if c.is_whitespace() {
            key.push_space(c);
            i += 1;
        } else if c.is_ascii_digit() {
            let len = 1 + rest.iter().take_while(|d| d.is_ascii_digit()).count();
            key.push_number(chars.get(i..i + len).unwrap_or_default());
            i += len;
        } else if c.is_alphanumeric() && !is_combining_mark(c) {
            let marks = rest.iter().take_while(|&&m| is_combining_mark(m)).count();
            key.push_letter(c, rest.get(..marks).unwrap_or_default());
            i += 1 + marks;
        } else {
            key.push_symbol(c);
            i += 1;
        }
    }
    key.finish()
}

/// Vietnamese dictionary order: `collation_key(a).cmp(&collation_key(b))`.
///
/// Invariant: a total preorder (canonically equivalent strings compare
/// `Equal`), antisymmetric: `cmp_vi(a, b) == cmp_vi(b, a).reverse()`.
pub fn cmp_vi(a: &str, b: &str) -> Ordering {
    collation_key(a).cmp(&collation_key(b))
}

/// Collation key for a person's full name written family name first.
///
/// Vietnamese directories sort by the given name (the last word), then the
/// family name and the middle names in order, so the key is
/// [`collation_key`] of "given family middle…": "Nguyễn Thị Phương Chung"
/// files under "Chung". Whitespace runs count as one space. Never fails.
pub fn person_sort_key(full_name: &str) -> String {
    let words: Vec<&str> = full_name.split_whitespace().collect();
    let mut reordered = Vec::with_capacity(words.len());
    if let Some((given, others)) = words.split_last() {
        reordered.push(*given);
        reordered.extend_from_slice(others);
    }
    collation_key(&reordered.join(" "))
}

/// Joins items as a Vietnamese enumeration: "", "A", "A và B",
/// "A, B và C". Items are used verbatim. Never fails.
pub fn join_vi<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [only] => only.as_ref().to_owned(),
        [init @ .., last] => {
            let head: Vec<&str> = init.iter().map(AsRef::as_ref).collect();
            format!("{} và {}", head.join(", "), last.as_ref())
        }
    }
}

/// The tone marks of Vietnamese, as combining characters: huyền, sắc, ngã, hỏi, nặng.
const TONE_MARKS: [char; 5] = ['\u{0300}', '\u{0301}', '\u{0303}', '\u{0309}', '\u{0323}'];

/// One tone placement for "oa", "oe" and "uy" ending a syllable: the mark on the first vowel ("hoà" → "hòa",
/// "Huyện uỷ" → "Huyện ủy", "UỶ" → "ỦY"), as the seed and most documents write it, so that one block of a
/// document never mixes the two styles (domain brief §5.3). "quý" keeps its mark: its "u" belongs to "qu".
/// The result is NFC. Never fails.
#[must_use]
pub fn modern_tones(s: &str) -> String {
    let decomposed: Vec<char> = s.nfd().collect();
    // Letters with their marks: (base, marks).
    let mut letters: Vec<(char, Vec<char>)> = Vec::with_capacity(decomposed.len());
    for c in decomposed {
        match letters.last_mut() {
            Some((_, marks)) if is_combining_mark(c) => marks.push(c),
            _ => letters.push((c, Vec::new())),
        }
    }
    let n = letters.len();
    let mut i = 0;
    while i + 1 < n {
        let ends_word = letters.get(i + 2).is_none_or(|(c, _)| !c.is_alphanumeric());
        let (first, second) = match (letters.get(i), letters.get(i + 1)) {
            (Some((a, _)), Some((b, _))) => {
                (a.to_lowercase().next().unwrap_or(*a), b.to_lowercase().next().unwrap_or(*b))
            }
            _ => break,
        };
        let after_q = i > 0 && letters.get(i - 1).is_some_and(|(c, _)| matches!(c, 'q' | 'Q'));
        let pair = matches!((first, second), ('o', 'a') | ('o', 'e') | ('u', 'y')) && !(first == 'u' && after_q);
        let first_bare = letters.get(i).is_some_and(|(_, marks)| marks.is_empty());
        if ends_word && pair && first_bare {
            let tone = letters.get(i + 1).and_then(|(_, marks)| marks.iter().position(|m| TONE_MARKS.contains(m)));
            if let Some(position) = tone {
                let mark = letters.get_mut(i + 1).map(|(_, marks)| marks.remove(position));
                if let (Some(mark), Some((_, marks))) = (mark, letters.get_mut(i)) {
                    marks.push(mark);
                }
            }
        }
        i += 1;
    }
    let mut out = String::with_capacity(s.len());
    for (base, marks) in letters {
        out.push(base);
        out.extend(marks);
    }
    out.nfc().collect()
}

/// Characters that may precede the first word of a sentence.
fn is_leading_decoration(c: char) -> bool {
    c.is_whitespace() || matches!(c, '"' | '\'' | '“' | '”' | '‘' | '’' | '«' | '»' | '„' | '‹' | '›' | '(' | '[')
}

/// Rewrites the first character after leading whitespace, quotes and
/// opening brackets, if `change` gives a replacement for it. The result is
/// NFC, so a base letter and its marks are handled as one letter.
fn change_first_letter(s: &str, change: impl Fn(char, Option<char>) -> char) -> String {
    let composed = nfc(s);
    let mut chars = composed.char_indices().skip_while(|&(_, c)| is_leading_decoration(c));
    let Some((index, first)) = chars.next() else {
        return composed;
    };
    let next = chars.next().map(|(_, c)| c);
    let replacement = change(first, next);
    if replacement == first {
        return composed;
    }
    let (head, tail) = composed.split_at(index);
    let mut out = String::with_capacity(composed.len() + 4);
    out.push_str(head);
    out.push(replacement);
    out.extend(tail.chars().skip(1));
    nfc(&out)
}

/// `s` in NFC. Text that passes the quick check is copied as it is: composing it again gave the same text and
/// cost the synthetic load a sixth of its own CPU (each finding and recommendation goes through
/// [`capitalize_first`]).
fn nfc(s: &str) -> String {
    if is_nfc_quick(s.chars()) == IsNormalized::Yes { s.to_owned() } else { s.nfc().collect() }
}

/// Upper-cases the first letter of `s` ("ủy ban" → "Ủy ban", "đảng ủy" →
/// "Đảng ủy"), skipping leading whitespace, quotes and opening brackets and
/// leaving everything else unchanged.
///
/// Invariant: the result is NFC even for NFD input. A letter whose upper case
/// is more than one character (ß) is left as is. Never fails.
pub fn capitalize_first(s: &str) -> String {
    change_first_letter(s, |first, _| single_uppercase(first))
}

/// Lower-cases the first letter of `s`, the inverse of
/// [`capitalize_first`], for text stored as a clause ("Ủy ban" → "ủy ban").
///
/// Invariant: the result is NFC. An acronym (first letter followed by another
/// upper-case letter, as in "HĐND", "UBND") is left as is, and so is a letter
/// whose lower case is more than one character. Never fails.
pub fn lowercase_first(s: &str) -> String {
    change_first_letter(
        s,
        |first, next| {
            if next.is_some_and(char::is_uppercase) { first } else { single_lowercase(first) }
        },
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn scrub_removes_what_clean_refuses_and_keeps_the_rest() {
        use super::scrub;
        assert_eq!(scrub("a\0b\u{1b}c\u{202E}d\u{FFFD}e"), "abcde");
        assert_eq!(scrub("Hàng Bạc\tx\ny"), "Hàng Bạc\tx\ny");
    }

    #[test]
    fn an_email_is_lower_case_nfc_and_free_of_hidden_characters() {
        assert_eq!(email("  Thu.Ky@QuanUy.VN "), Some("thu.ky@quanuy.vn".to_owned()));
        assert_eq!(email("ngu\u{301}yen@hn.vn"), Some("ngúyen@hn.vn".to_owned()), "composed, as stored");
        assert_eq!(email("a\u{200B}b@hn.vn"), Some("ab@hn.vn".to_owned()), "invisible characters dropped");
        assert_eq!(email("o'neil+tk@phuong-hang-bac.hn.vn"), Some("o'neil+tk@phuong-hang-bac.hn.vn".to_owned()));
        assert_eq!(email("admin@localhost"), Some("admin@localhost".to_owned()));
        for refused in [
            "",
            "@",
            "a@",
            "@hn.vn",
            "no-at-sign",
            "a@b@c",
            "a b@hn.vn",
            "a@hn\u{FFFD}.vn",
            "a\u{202E}@hn.vn",
            "a\u{7}@hn.vn",
            "a\u{FDD0}@hn.vn",
            "\"><script>@x.test",
            "<a>@x.test",
            "a@x.test>",
            "\"a b\"@x.test",
            "a..b@x.test",
            ".a@x.test",
            "a@[127.0.0.1]",
            "a@-x.test",
            "a@x..test",
            "a;b@x.test",
        ] {
            assert_eq!(email(refused), None, "{refused:?}");
        }
        let long = format!("{}@hn.vn", "a".repeat(EMAIL_MAX));
        assert_eq!(email(&long), None, "over {EMAIL_MAX} bytes");
    }

    use super::*;
    use proptest::prelude::*;
    use unicode_normalization::is_nfc;

    fn nfd(s: &str) -> String {
        s.nfd().collect()
    }

    /// Arbitrary characters mixed with the ones this module treats
    /// specially, so that the interesting cases are not left to chance.
    fn tricky_string() -> impl Strategy<Value = String> {
        let special = prop::sample::select(vec![
            '\r',
            '\n',
            '\t',
            ' ',
            '\u{A0}',
            '\u{200B}',
            '\u{200D}',
            '\u{FEFF}',
            '\u{AD}',
            '\u{0}',
            '\u{1B}',
            '\u{7F}',
            '\u{85}',
            '\u{202E}',
            '\u{2067}',
            '\u{FFFD}',
            '\u{FDD0}',
            '\u{FFFF}',
            '\u{1FFFE}',
            'a',
            'A',
            'đ',
            'Đ',
            'ư',
            'Ơ',
            'ệ',
            'ạ',
            'Ủ',
            '\u{0300}',
            '\u{0301}',
            '\u{0302}',
            '\u{0303}',
            '\u{0306}',
            '\u{0309}',
            '\u{031B}',
            '\u{0323}',
            '&',
            '-',
            '–',
            '—',
            '/',
            '.',
            '1',
            '0',
            'İ',
            'ß',
            'Σ',
            'ﬁ',
            'Ａ',
            '²',
        ]);
        prop::collection::vec(prop_oneof![any::<char>(), special], 0..24).prop_map(|chars| chars.into_iter().collect())
    }

    #[test]
    fn normalize_composes_unifies_line_breaks_and_trims() {
        let cases = [
            ("  Hàng Bạc \u{A0}", "Hàng Bạc"),
            ("Ha\u{0300}ng", "Hàng"),
            ("a\r\nb\rc\n", "a\nb\nc"),
            ("Đồng\u{200B} Xuân\u{FEFF}", "Đồng Xuân"),
            ("mo\u{AD}bile", "mobile"),
            ("a\u{200D}\u{0301}", "á"),
            ("\u{2060}\t x \t", "x"),
            ("", ""),
        ];
        for (input, expected) in cases {
            assert_eq!(normalize(input), expected, "input {input:?}");
        }
    }

    #[test]
    fn clean_accepts_ordinary_vietnamese_text() {
        assert_eq!(clean(" Đoàn giám sát\tsố 1\r\n", SHORT_TEXT_MAX), Ok("Đoàn giám sát\tsố 1".to_owned()));
    }

    #[test]
    fn clean_refuses_each_dangerous_character() {
        let cases = [
            ("a\u{0}b", TextError::ControlCharacter { code_point: 0 }),
            ("a\u{1B}[31m", TextError::ControlCharacter { code_point: 0x1B }),
            ("a\u{7F}", TextError::ControlCharacter { code_point: 0x7F }),
            ("a\u{85}b", TextError::ControlCharacter { code_point: 0x85 }),
            ("a\u{C}b", TextError::ControlCharacter { code_point: 0xC }),
            ("abc\u{202E}fdp.exe", TextError::BidiControl { code_point: 0x202E }),
            ("a\u{202A}b", TextError::BidiControl { code_point: 0x202A }),
            ("a\u{2066}b", TextError::BidiControl { code_point: 0x2066 }),
            ("a\u{2069}b", TextError::BidiControl { code_point: 0x2069 }),
            ("Nguy\u{FFFD}n", TextError::ReplacementCharacter),
            ("a\u{FDD0}", TextError::Noncharacter { code_point: 0xFDD0 }),
            ("a\u{FDEF}", TextError::Noncharacter { code_point: 0xFDEF }),
            ("a\u{FFFE}", TextError::Noncharacter { code_point: 0xFFFE }),
            ("a\u{10FFFF}", TextError::Noncharacter { code_point: 0x10FFFF }),
        ];
        for (input, expected) in cases {
            assert_eq!(clean(input, SHORT_TEXT_MAX), Err(expected), "input {input:?}");
        }
    }

    #[test]
    fn clean_refuses_blank_text_as_empty() {
        for input in ["", "   ", "\u{200B}\u{A0}\r\n", "\u{FEFF}"] {
            assert_eq!(clean(input, 10), Err(TextError::Empty), "input {input:?}");
        }
    }

    #[test]
    fn clean_counts_characters_after_composition() {
        let decomposed = nfd("Hàng Bạc");
        assert_eq!(clean(&decomposed, 8), Ok("Hàng Bạc".to_owned()));
        assert_eq!(clean("Hàng Bạc!", 8), Err(TextError::TooLong { max: 8, actual: 9 }));
    }

    #[test]
    fn clean_optional_treats_blank_as_absent() {
        assert_eq!(clean_optional(" \u{200B} ", 5), Ok(None));
        assert_eq!(clean_optional(" Ủy ban ", 10), Ok(Some("Ủy ban".to_owned())));
        assert_eq!(clean_optional("a\u{0}", 10), Err(TextError::ControlCharacter { code_point: 0 }));
        assert_eq!(clean_optional("abc", 2), Err(TextError::TooLong { max: 2, actual: 3 }));
    }

    #[test]
    fn the_fast_fold_of_ascii_and_latin_letters_is_the_fold_by_decomposition() {
        for c in (0..LATIN_END + 0x100).filter_map(char::from_u32) {
            let (mut fast, mut slow) = (String::new(), String::new());
            push_folded(c, &mut fast);
            push_folded_by_decomposition(c, &mut slow);
            assert_eq!(fast, slow, "U+{:04X}", u32::from(c));
        }
    }

    #[test]
    fn fold_removes_case_diacritics_and_punctuation() {
        let cases = [
            ("Hàng Bạc", "hang bac"),
            ("Đồng Xuân", "dong xuan"),
            ("2021 – 2026", "2021 - 2026"),
            ("KT-XH", "kt-xh"),
            ("kinh tế—xã hội", "kinh te-xa hoi"),
            ("TP.HCM", "tp hcm"),
            ("Số 12/NQ-TU", "so 12/nq-tu"),
            ("Văn hóa & Thể thao", "van hoa va the thao"),
            ("  Ủy   ban\n\tnhân dân  ", "uy ban nhan dan"),
            ("ƯỚC MƠ", "uoc mo"),
            ("Hà\u{200B}Nội", "hanoi"),
            ("ＵＢＮＤ", "ubnd"),
            ("\"Quận 1\"", "quan 1"),
            ("", ""),
        ];
        for (input, expected) in cases {
            assert_eq!(fold(input), expected, "input {input:?}");
            assert_eq!(fold(&nfd(input)), expected, "NFD of {input:?}");
        }
    }

    #[test]
    fn plain_sort_misplaces_vietnamese_but_cmp_vi_does_not() {
        let mut plain = vec!["Xuân", "Đồng Xuân", "Z", "Ủy"];
        plain.sort();
        assert_eq!(plain, ["Xuân", "Z", "Đồng Xuân", "Ủy"]);

        let mut vietnamese = plain.clone();
        vietnamese.sort_by(|a, b| cmp_vi(a, b));
        assert_eq!(vietnamese, ["Đồng Xuân", "Ủy", "Xuân", "Z"]);
    }

    #[test]
    fn cmp_vi_follows_the_vietnamese_alphabet_and_tones() {
        let chains: &[&[&str]] = &[
            &["Dung", "Đông", "Em"],
            &["A", "Ă", "Â", "B"],
            &["ca", "cà", "cả", "cã", "cá", "cạ"],
            &["Ô", "Ơ", "P"],
            &["U", "Ư", "V"],
            &["e", "ê", "f", "g"],
            &["i", "j", "k"],
            &["v", "w", "x", "y", "z"],
            &["An", "An Bình", "Anh"],
            &["an", "An", "ăn"],
            &["9", "a"],
            &["Phường 2", "Phường 10", "Phường 11"],
            &["1", "01", "2"],
            &["hoa", "hoà", "hòa", "hoá", "hóa", "hoạ"],
            &["", " ", "-", "0", "a", "α"],
            &["ca Bà", "cá Ba"],
            &["cha", "chà", "Chà", "chả"],
        ];
        for chain in chains {
            for pair in chain.windows(2) {
                assert_eq!(cmp_vi(pair[0], pair[1]), Ordering::Less, "{:?} should sort before {:?}", pair[0], pair[1]);
            }
        }
    }

    #[test]
    fn tone_placement_does_not_change_the_tone_rank() {
        // Old-style "hoá" and new-style "hóa" are both sắc, so both sort
        // after the huyền "hòa" whatever letter carries the mark.
        assert_eq!(cmp_vi("hòa", "hoá"), Ordering::Less);
        assert_eq!(cmp_vi("hoà", "hóa"), Ordering::Less);
        assert_ne!(cmp_vi("hòa", "hoà"), Ordering::Equal);
    }

    #[test]
    fn collation_keys_are_ascii_and_equal_for_nfd_and_nfc() {
        for s in ["Nguyễn Thị Phương Chung", "Ủy ban", "Đảng ủy", "ẶẰẲ", "x\u{0308}"] {
            let key = collation_key(s);
            assert!(key.is_ascii(), "{key:?}");
            assert_eq!(collation_key(&nfd(s)), key);
            assert_eq!(cmp_vi(&nfd(s), s), Ordering::Equal);
        }
    }

    #[test]
    fn collation_distinguishes_case_and_leading_zeros_only_at_the_last_level() {
        assert_eq!(cmp_vi("hà nội", "Hà Nội"), Ordering::Less);
        assert_eq!(cmp_vi("Hà Nội", "ha noi"), Ordering::Greater);
        assert_eq!(cmp_vi("007", "7"), Ordering::Greater);
        assert_eq!(cmp_vi("007", "8"), Ordering::Less);
    }

    #[test]
    fn person_sort_key_files_people_under_their_given_name() {
        let mut directory = vec![
            "Nguyễn Thị Phương Chung",
            "Trần Văn An",
            "Lê Bình",
            "Phạm Thị Ánh",
            "Nguyễn Văn An",
            "Đỗ Chung",
            "Hoa",
        ];
        directory.sort_by_key(|name| person_sort_key(name));
        assert_eq!(
            directory,
            ["Nguyễn Văn An", "Trần Văn An", "Phạm Thị Ánh", "Lê Bình", "Đỗ Chung", "Nguyễn Thị Phương Chung", "Hoa",]
        );
        assert_eq!(person_sort_key("  Nguyễn   Thị Phương Chung "), collation_key("Chung Nguyễn Thị Phương"));
        assert_eq!(person_sort_key(""), collation_key(""));
    }

    #[test]
    fn modern_tones_put_the_mark_on_the_first_vowel_of_oa_oe_uy() {
        assert_eq!(modern_tones("Huyện uỷ Thạch Thất"), "Huyện ủy Thạch Thất");
        assert_eq!(modern_tones("BAN DÂN VẬN HUYỆN UỶ"), "BAN DÂN VẬN HUYỆN ỦY");
        assert_eq!(modern_tones("hoà, khoẻ, thuỷ lợi"), "hòa, khỏe, thủy lợi");
        assert_eq!(modern_tones(&nfd("Thuỷ")), "Thủy");
        assert_eq!(modern_tones("quý, hoàng, khuya, quận ủy, toàn"), "quý, hoàng, khuya, quận ủy, toàn");
        assert_eq!(modern_tones(""), "");
    }

    #[test]
    fn join_vi_uses_commas_and_va() {
        let none: [&str; 0] = [];
        assert_eq!(join_vi(&none), "");
        assert_eq!(join_vi(&["Đồng Xuân"]), "Đồng Xuân");
        assert_eq!(join_vi(&["Đồng Xuân", "Hàng Bạc"]), "Đồng Xuân và Hàng Bạc");
        assert_eq!(
            join_vi(&["Đồng Xuân".to_owned(), "Hàng Bạc".to_owned(), "Tràng Tiền".to_owned()]),
            "Đồng Xuân, Hàng Bạc và Tràng Tiền"
        );
    }

    #[test]
    fn capitalize_first_handles_vietnamese_letters() {
        let cases = [
            ("ủy ban", "Ủy ban"),
            ("đảng ủy", "Đảng ủy"),
            ("  “ủy ban”", "  “Ủy ban”"),
            ("(ước tính)", "(Ước tính)"),
            ("Ủy ban", "Ủy ban"),
            ("3 ủy viên", "3 ủy viên"),
            ("ßa", "ßa"),
            ("", ""),
            ("  ", "  "),
        ];
        for (input, expected) in cases {
            assert_eq!(capitalize_first(input), expected, "input {input:?}");
        }
        assert_eq!(capitalize_first(&nfd("ủy ban")), "Ủy ban");
        assert_eq!(capitalize_first(&nfd("ệ")), "Ệ");
    }

    #[test]
    fn lowercase_first_inverts_capitalization_but_keeps_acronyms() {
        let cases = [
            ("Ủy ban nhân dân", "ủy ban nhân dân"),
            ("Đảng ủy", "đảng ủy"),
            ("HĐND tỉnh", "HĐND tỉnh"),
            ("UBND phường", "UBND phường"),
            ("“Ước tính”", "“ước tính”"),
            ("A", "a"),
            ("", ""),
        ];
        for (input, expected) in cases {
            assert_eq!(lowercase_first(input), expected, "input {input:?}");
        }
        assert_eq!(lowercase_first(&nfd("Ệ")), "ệ");
    }

    proptest! {
        #[test]
        fn normalize_is_idempotent(s in tricky_string()) {
            let once = normalize(&s);
            prop_assert_eq!(normalize(&once), once);
        }

        #[test]
        fn normalize_is_idempotent_on_any_string(s in any::<String>()) {
            let once = normalize(&s);
            prop_assert_eq!(normalize(&once), once);
        }

        #[test]
        fn clean_output_is_nfc_and_free_of_refused_characters(
            s in tricky_string(),
            max in 0_usize..30,
        ) {
            if let Ok(cleaned) = clean(&s, max) {
                prop_assert!(is_nfc(&cleaned));
                prop_assert!(!cleaned.is_empty());
                prop_assert!(cleaned.chars().count() <= max);
                prop_assert!(cleaned.chars().all(|c| refusal(c).is_none()));
                prop_assert_eq!(normalize(&cleaned), cleaned);
            }
        }

        #[test]
        fn clean_never_panics_on_any_string(s in any::<String>()) {
            let _ = clean(&s, SHORT_TEXT_MAX);
            let _ = clean_optional(&s, 3);
        }

        #[test]
        fn fold_is_idempotent_and_has_no_uppercase_or_marks(s in tricky_string()) {
            let folded = fold(&s);
            prop_assert_eq!(fold(&folded), folded.clone());
            prop_assert!(!folded.chars().any(|c| c.is_uppercase() || is_combining_mark(c)));
            prop_assert!(!folded.starts_with(' ') && !folded.ends_with(' '));
            prop_assert!(!folded.contains("  "));
        }

        #[test]
        fn fold_is_idempotent_on_any_string(s in any::<String>()) {
            let folded = fold(&s);
            prop_assert_eq!(fold(&folded), folded.clone());
            prop_assert!(!folded.chars().any(|c| c.is_uppercase() || is_combining_mark(c)));
        }

        #[test]
        fn fold_ignores_canonical_decomposition(s in tricky_string()) {
            prop_assert_eq!(fold(&nfd(&s)), fold(&nfc(&s)));
        }

        #[test]
        fn cmp_vi_is_a_total_order_consistent_with_keys(
            a in tricky_string(),
            b in tricky_string(),
            c in tricky_string(),
        ) {
            let (ka, kb, kc) = (collation_key(&a), collation_key(&b), collation_key(&c));
            prop_assert!(ka.is_ascii());
            prop_assert_eq!(cmp_vi(&a, &b), ka.cmp(&kb));
            prop_assert_eq!(cmp_vi(&b, &c), kb.cmp(&kc));
            prop_assert_eq!(cmp_vi(&a, &b), cmp_vi(&b, &a).reverse());
            prop_assert_eq!(cmp_vi(&a, &a), Ordering::Equal);
            if cmp_vi(&a, &b) != Ordering::Greater && cmp_vi(&b, &c) != Ordering::Greater {
                prop_assert_ne!(cmp_vi(&a, &c), Ordering::Greater);
            }
            prop_assert_eq!(collation_key(&nfd(&a)), collation_key(&nfc(&a)));
        }

        #[test]
        fn appending_a_word_sorts_a_string_later(a in tricky_string(), b in tricky_string()) {
            let longer = format!("{a} {b}");
            prop_assert_eq!(cmp_vi(&a, &longer), Ordering::Less);
        }

        #[test]
        fn capitalization_helpers_return_nfc(s in tricky_string()) {
            prop_assert!(is_nfc(&capitalize_first(&s)));
            prop_assert!(is_nfc(&lowercase_first(&s)));
        }
    }
}
