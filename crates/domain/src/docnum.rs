//! Vietnamese document numbers (số và ký hiệu văn bản).
//!
//! Two systems write them differently (domain brief §4.1, §4.2):
//! Party documents (Hướng dẫn 36-HD/VPTW) as `109-QĐ/QU`, State documents
//! (Nghị định 30/2020/NĐ-CP) as `45/QĐ-HĐND`, `24/2016/NQ-HĐND`, or for a
//! công văn `628/HĐND-VHXH`. A number is kept as written and parsed into
//! its parts; only a code typed without the letter Đ (`QD`, `HDND`) is
//! written with it.

use serde::{Deserialize, Serialize};

use crate::date::{excerpt, is_dash, normalise_input};

/// Earliest year accepted in a normative State number (`24/2016/NQ-HĐND`).
const MIN_YEAR: i32 = 1945;
/// Latest year accepted in a normative State number.
const MAX_YEAR: i32 = 2200;
/// Sequences restart every term or year; six digits is far beyond any office.
const MAX_SEQUENCE_DIGITS: usize = 6;
/// Longest issuer or drafting-unit code accepted (`UBKTTU` is 6).
const MAX_CODE_CHARS: usize = 15;

/// The document-type code (ký hiệu loại văn bản) of Party and State numbers.
///
/// Codes are case-sensitive as written: `QĐi` (Party quy định) is not `QĐ`
/// (quyết định), `CTr` (chương trình) is not `CT` (chỉ thị). Some kinds have
/// two codes because the sources disagree (`QC`/`QCh`, `DA`/`DAn`) or the
/// systems differ (`QĐi` Party, `QyĐ` State); both are kept as written.
/// Serialised as its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum TypeCode {
    /// `NQ` nghị quyết.
    NghiQuyet,
    /// `QĐ` quyết định.
    QuyetDinh,
    /// `QĐi` quy định, Party form.
    QuyDinh,
    /// `CT` chỉ thị.
    ChiThi,
    /// `KL` kết luận (Party only; the State issues conclusions as `TB`).
    KetLuan,
    /// `QC` quy chế.
    QuyChe,
    /// `QCh` quy chế, the variant one summary of Nghị định 30 gives.
    QuyCheQch,
    /// `QyĐ` quy định, State form.
    QuyDinhQyd,
    /// `TT` thông tri (Party). In a ministry's State number the same code
    /// means thông tư.
    ThongTri,
    /// `HD` hướng dẫn.
    HuongDan,
    /// `TB` thông báo.
    ThongBao,
    /// `BC` báo cáo.
    BaoCao,
    /// `KH` kế hoạch.
    KeHoach,
    /// `CTr` chương trình.
    ChuongTrinh,
    /// `ĐA` đề án.
    DeAn,
    /// `DA` dự án.
    DuAn,
    /// `DAn` dự án, the variant one summary of Nghị định 30 gives.
    DuAnDan,
    /// `PA` phương án.
    PhuongAn,
    /// `TTr` tờ trình.
    ToTrinh,
    /// `CV` công văn (Party; State công văn carry no type code).
    CongVan,
    /// `BB` biên bản.
    BienBan,
    /// `BS` bản sao.
    BanSao,
    /// `GM` giấy mời.
    GiayMoi,
    /// `GGT` giấy giới thiệu.
    GiayGioiThieu,
    /// `TC` thông cáo.
    ThongCao,
    /// `HĐ` hợp đồng.
    HopDong,
    /// `CĐ` công điện.
    CongDien,
    /// `GUQ` giấy ủy quyền.
    GiayUyQuyen,
    /// `GNP` giấy nghỉ phép.
    GiayNghiPhep,
    /// `PG` phiếu gửi.
    PhieuGui,
    /// `PC` phiếu chuyển.
    PhieuChuyen,
    /// `PB` phiếu báo.
    PhieuBao,
}

impl TypeCode {
    /// Every type code, in the order of the declaration.
    pub const ALL: [TypeCode; 32] = [
        TypeCode::NghiQuyet,
        TypeCode::QuyetDinh,
        TypeCode::QuyDinh,
        TypeCode::ChiThi,
        TypeCode::KetLuan,
        TypeCode::QuyChe,
        TypeCode::QuyCheQch,
        TypeCode::QuyDinhQyd,
        TypeCode::ThongTri,
        TypeCode::HuongDan,
        TypeCode::ThongBao,
        TypeCode::BaoCao,
        TypeCode::KeHoach,
        TypeCode::ChuongTrinh,
        TypeCode::DeAn,
        TypeCode::DuAn,
        TypeCode::DuAnDan,
        TypeCode::PhuongAn,
        TypeCode::ToTrinh,
        TypeCode::CongVan,
        TypeCode::BienBan,
        TypeCode::BanSao,
        TypeCode::GiayMoi,
        TypeCode::GiayGioiThieu,
        TypeCode::ThongCao,
        TypeCode::HopDong,
        TypeCode::CongDien,
        TypeCode::GiayUyQuyen,
        TypeCode::GiayNghiPhep,
        TypeCode::PhieuGui,
        TypeCode::PhieuChuyen,
        TypeCode::PhieuBao,
    ];

    /// The code as written in a number (`QĐ`, `QĐi`, `CTr`), in NFC.
    pub fn as_str(self) -> &'static str {
        match self {
            TypeCode::NghiQuyet => "NQ",
            TypeCode::QuyetDinh => "QĐ",
            TypeCode::QuyDinh => "QĐi",
            TypeCode::ChiThi => "CT",
            TypeCode::KetLuan => "KL",
            TypeCode::QuyChe => "QC",
            TypeCode::QuyCheQch => "QCh",
            TypeCode::QuyDinhQyd => "QyĐ",
            TypeCode::ThongTri => "TT",
            TypeCode::HuongDan => "HD",
            TypeCode::ThongBao => "TB",
            TypeCode::BaoCao => "BC",
            TypeCode::KeHoach => "KH",
            TypeCode::ChuongTrinh => "CTr",
            TypeCode::DeAn => "ĐA",
            TypeCode::DuAn => "DA",
            TypeCode::DuAnDan => "DAn",
            TypeCode::PhuongAn => "PA",
            TypeCode::ToTrinh => "TTr",
            TypeCode::CongVan => "CV",
            TypeCode::BienBan => "BB",
            TypeCode::BanSao => "BS",
            TypeCode::GiayMoi => "GM",
            TypeCode::GiayGioiThieu => "GGT",
            TypeCode::ThongCao => "TC",
            TypeCode::HopDong => "HĐ",
            TypeCode::CongDien => "CĐ",
            TypeCode::GiayUyQuyen => "GUQ",
            TypeCode::GiayNghiPhep => "GNP",
            TypeCode::PhieuGui => "PG",
            TypeCode::PhieuChuyen => "PC",
            TypeCode::PhieuBao => "PB",
        }
    }

    /// The kind of document in lower-case Vietnamese (`quyết định`), as it
    /// appears in running text ("theo quyết định số …").
    pub fn name_vi(self) -> &'static str {
        match self {
            TypeCode::NghiQuyet => "nghị quyết",
            TypeCode::QuyetDinh => "quyết định",
            TypeCode::QuyDinh | TypeCode::QuyDinhQyd => "quy định",
            TypeCode::ChiThi => "chỉ thị",
            TypeCode::KetLuan => "kết luận",
            TypeCode::QuyChe | TypeCode::QuyCheQch => "quy chế",
            TypeCode::ThongTri => "thông tri",
            TypeCode::HuongDan => "hướng dẫn",
            TypeCode::ThongBao => "thông báo",
            TypeCode::BaoCao => "báo cáo",
            TypeCode::KeHoach => "kế hoạch",
            TypeCode::ChuongTrinh => "chương trình",
            TypeCode::DeAn => "đề án",
            TypeCode::DuAn | TypeCode::DuAnDan => "dự án",
            TypeCode::PhuongAn => "phương án",
            TypeCode::ToTrinh => "tờ trình",
            TypeCode::CongVan => "công văn",
            TypeCode::BienBan => "biên bản",
            TypeCode::BanSao => "bản sao",
            TypeCode::GiayMoi => "giấy mời",
            TypeCode::GiayGioiThieu => "giấy giới thiệu",
            TypeCode::ThongCao => "thông cáo",
            TypeCode::HopDong => "hợp đồng",
            TypeCode::CongDien => "công điện",
            TypeCode::GiayUyQuyen => "giấy ủy quyền",
            TypeCode::GiayNghiPhep => "giấy nghỉ phép",
            TypeCode::PhieuGui => "phiếu gửi",
            TypeCode::PhieuChuyen => "phiếu chuyển",
            TypeCode::PhieuBao => "phiếu báo",
        }
    }

    /// The type whose code is exactly `code` (case-sensitive, NFC), if any.
    pub fn from_code(code: &str) -> Option<TypeCode> {
        TypeCode::ALL.into_iter().find(|t| t.as_str() == code)
    }
}

/// Prints the code as written (`QĐi`).
impl std::fmt::Display for TypeCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl TryFrom<String> for TypeCode {
    type Error = DocNumberError;

    fn try_from(code: String) -> Result<Self, Self::Error> {
        TypeCode::from_code(&code).ok_or_else(|| DocNumberError::UnknownTypeCode { code: excerpt(&code) })
    }
}

impl From<TypeCode> for String {
    fn from(code: TypeCode) -> Self {
        code.as_str().to_owned()
    }
}

/// Which numbering convention a document follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DocSystem {
    /// Party bodies (Hướng dẫn 36-HD/VPTW): `109-QĐ/QU`, numbered per type
    /// for the whole term of the committee.
    Party,
    /// State bodies such as HĐND and UBND (Nghị định 30/2020/NĐ-CP):
    /// `45/QĐ-HĐND`, numbering restarting every 1 January.
    State,
}

/// A parsed document number (số và ký hiệu), kept as written.
///
/// A number is **not** a unique identifier: every district committee has a
/// `109-QĐ/QU`. Identify a document by issuing organisation, type, number and
/// date or term; this type only guarantees the number is well formed.
///
/// Invariants: `sequence` is 1–999999 and `sequence_text` is its digits as
/// written (`06` stays `06`); `issuer` and `drafting_unit` are 1–15 upper-case
/// letters (A–Z, Đ) and digits starting with a letter. A Party number has a
/// type code, no year and no drafting unit. A State number has a year only
/// together with a type code; without a type code it is a công văn. Built
/// only by [`DocumentNumber::parse`]; serialised as its raw text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DocumentNumber {
    raw: String,
    system: DocSystem,
    sequence: u32,
    sequence_text: String,
    year: Option<i32>,
    type_code: Option<TypeCode>,
    issuer: String,
    drafting_unit: Option<String>,
}

/// Why a document number was refused. Vietnamese text: `messages::docnum`.
///
/// Text fields hold the offending part shortened to about 40 characters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocNumberError {
    /// Nothing but white space (or only the word `Số`) was given.
    Empty,
    /// The number before the first separator is missing (`QĐ/QU`).
    MissingSequence,
    /// The number is not 1–6 digits or is zero (`abc`, `0`, `1234567`).
    BadSequence {
        /// The offending part.
        text: String,
    },
    /// A separator is missing: no `/` at all (`109`), or two parts are
    /// separated by a space only (`109 QĐ/QU`).
    MissingSeparator,
    /// The type code is not one of [`TypeCode`] (`XX`); empty when left out
    /// (`109-/QU`).
    UnknownTypeCode {
        /// The offending code.
        code: String,
    },
    /// The issuing body's code is missing (`109-QĐ/`).
    MissingIssuer,
    /// An issuer or drafting-unit code has characters other than upper-case
    /// letters and digits, starts with a digit, or is too long.
    BadIssuer {
        /// The offending code.
        text: String,
    },
    /// The year of a normative State number is not a four-digit year 1945–2200.
    BadYear {
        /// The offending part.
        text: String,
    },
    /// Something follows a complete number (`109-QĐ/QU extra`).
    TrailingText {
        /// The text left over.
        text: String,
    },
}

impl DocumentNumber {
    /// Parses a Party or State document number.
    ///
    /// Accepts `109-QĐ/QU`, `02-QĐi/TU`, `45/QĐ-HĐND`, `24/2016/NQ-HĐND`,
    /// `628/HĐND-VHXH`, optionally preceded by `Số`, `Số:` or `số`, with
    /// spaces around separators (`109 - QĐ/QU`) and any common dash. The
    /// input is NFC-normalised and trimmed first. The separator after the
    /// number decides the system: `-` Party, `/` State.
    ///
    /// # Errors
    /// [`DocNumberError::Empty`] for blank input, [`DocNumberError::MissingSeparator`]
    /// when there is no `/`, then, part by part from the left, the first of
    /// [`DocNumberError::MissingSequence`], [`DocNumberError::BadSequence`],
    /// [`DocNumberError::BadYear`], [`DocNumberError::UnknownTypeCode`],
    /// [`DocNumberError::MissingSeparator`] (parts separated by a space only),
    /// [`DocNumberError::MissingIssuer`], [`DocNumberError::BadIssuer`] and
    /// [`DocNumberError::TrailingText`] that applies. A State number whose
    /// code is not a known type reads as a công văn (`45/XX-HĐND` has issuer
    /// `XX`), since nothing else distinguishes the two.
    pub fn parse(s: &str) -> Result<DocumentNumber, DocNumberError> {
        let text = normalise_input(s);
        let restored = restore_letters(strip_number_word(&text));
        let raw = restored.as_str();
        if raw.is_empty() {
            return Err(DocNumberError::Empty);
        }
        if !raw.contains('/') {
            return Err(DocNumberError::MissingSeparator);
        }
        let mut cursor = Cursor::new(raw);
        let sequence_text = cursor.word().ok_or(DocNumberError::MissingSequence)?;
        // A type code in first place means the number itself was left out.
        if TypeCode::from_code(sequence_text).is_some() {
            return Err(DocNumberError::MissingSequence);
        }
        let sequence = parse_sequence(sequence_text)?;
        let parts = match cursor.separator() {
            Some(Separator::Dash) => party_parts(&mut cursor)?,
            Some(Separator::Slash) => state_parts(&mut cursor)?,
            None => return Err(DocNumberError::MissingSeparator),
        };
        cursor.finish()?;
        Ok(DocumentNumber {
            raw: raw.to_owned(),
            system: parts.system,
            sequence,
            sequence_text: sequence_text.to_owned(),
            year: parts.year,
            type_code: parts.type_code,
            issuer: parts.issuer.to_owned(),
            drafting_unit: parts.drafting_unit.map(str::to_owned),
        })
    }

    /// The number as written, NFC-normalised and trimmed, without `Số:`,
    /// with the letter Đ restored in codes typed without it (`QD` → `QĐ`).
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// True when `input`, the text this number was parsed from, was
    /// corrected rather than only trimmed or normalised: a code typed
    /// without Đ (`15-QD/HU` read as `15-QĐ/HU`). Forms use it to tell the
    /// clerk the number shown back is not the one typed.
    pub fn corrects(&self, input: &str) -> bool {
        strip_number_word(&normalise_input(input)) != self.raw
    }

    /// The numbering convention, decided by the separator after the number.
    pub fn system(&self) -> DocSystem {
        self.system
    }

    /// The sequence number, 1–999999.
    pub fn sequence(&self) -> u32 {
        self.sequence
    }

    /// The sequence number as written, leading zeros kept (`06`).
    pub fn sequence_text(&self) -> &str {
        &self.sequence_text
    }

    /// The year of a normative State number (`2016` in `24/2016/NQ-HĐND`).
    pub fn year(&self) -> Option<i32> {
        self.year
    }

    /// The type code; `None` only for a State công văn.
    pub fn type_code(&self) -> Option<TypeCode> {
        self.type_code
    }

    /// The issuing body's code (`QU`, `HĐND`, `BDVHU`).
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The drafting unit of a State number (`VHXH` in `628/HĐND-VHXH`).
    pub fn drafting_unit(&self) -> Option<&str> {
        self.drafting_unit.as_deref()
    }

    /// True for a công văn: a Party `CV` or a State number without type code.
    pub fn is_cong_van(&self) -> bool {
        matches!(self.type_code, None | Some(TypeCode::CongVan))
    }

    /// The number in standard spacing with ASCII hyphens and no `Số`:
    /// `109-QĐ/QU`, `24/2016/NQ-HĐND`, `628/HĐND-VHXH`. The sequence keeps
    /// its leading zeros. [`DocumentNumber::parse`] reads it back to the same
    /// parts. Never fails.
    pub fn canonical(&self) -> String {
        let mut out = self.sequence_text.clone();
        match self.system {
            DocSystem::Party => {
                out.push('-');
                if let Some(code) = self.type_code {
                    out.push_str(code.as_str());
                }
                out.push('/');
                out.push_str(&self.issuer);
            }
            DocSystem::State => {
                out.push('/');
                if let Some(year) = self.year {
                    out.push_str(&year.to_string());
                    out.push('/');
                }
                if let Some(code) = self.type_code {
                    out.push_str(code.as_str());
                    out.push('-');
                }
                out.push_str(&self.issuer);
            }
        }
        if let Some(unit) = &self.drafting_unit {
            out.push('-');
            out.push_str(unit);
        }
        out
    }
}

/// Prints the number as written ([`DocumentNumber::raw`]).
impl std::fmt::Display for DocumentNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.raw)
    }
}

impl TryFrom<String> for DocumentNumber {
    type Error = DocNumberError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        DocumentNumber::parse(&text)
    }
}

impl From<DocumentNumber> for String {
    fn from(number: DocumentNumber) -> Self {
        number.raw
    }
}

/// Codes commonly typed without the letter Đ (a keyboard without Vietnamese
/// input), and how they are written. Only codes whose unaccented form is no
/// valid code of its own: `HD` (hướng dẫn) and `DA` (dự án) are real codes,
/// so `HĐ` and `ĐA` typed as `HD`, `DA` cannot be told apart and stay as
/// typed.
const UNACCENTED_CODES: [(&str, &str); 8] = [
    ("QD", "QĐ"),
    ("QDi", "QĐi"),
    ("QyD", "QyĐ"),
    ("CD", "CĐ"),
    ("HDND", "HĐND"),
    ("DU", "ĐU"),
    ("BCD", "BCĐ"),
    ("DDBQH", "ĐĐBQH"),
];

/// Restores Đ in the words of `text` (runs between separators and spaces)
/// that are an unaccented code of [`UNACCENTED_CODES`], so `15-QD/HU` and
/// `45/QD-HDND` read as `15-QĐ/HU` and `45/QĐ-HĐND` wherever a number is
/// parsed (forms, API, import). Everything else is kept as written.
fn restore_letters(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let restored = UNACCENTED_CODES.iter().find(|(typed, _)| *typed == word.as_str()).map(|(_, code)| *code);
        out.push_str(restored.unwrap_or(word));
        word.clear();
    };
    for c in text.chars() {
        if c == '/' || is_dash(c) || c.is_whitespace() {
            flush(&mut word, &mut out);
            out.push(c);
        } else {
            word.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// Removes a leading `Số`, `Số:` or `số` (any case), with its spacing.
fn strip_number_word(text: &str) -> &str {
    let mut chars = text.chars();
    let word: String = chars.by_ref().take(2).collect();
    if word.to_lowercase() != "số" {
        return text;
    }
    let rest = chars.as_str().trim_start();
    rest.strip_prefix(':').unwrap_or(rest).trim_start()
}

fn parse_sequence(text: &str) -> Result<u32, DocNumberError> {
    let digits_only = text.len() <= MAX_SEQUENCE_DIGITS && text.bytes().all(|b| b.is_ascii_digit());
    text.parse::<u32>()
        .ok()
        .filter(|&n| digits_only && n > 0)
        .ok_or_else(|| DocNumberError::BadSequence { text: excerpt(text) })
}

fn parse_year(text: &str) -> Result<i32, DocNumberError> {
    let four_digits = text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit());
    text.parse::<i32>()
        .ok()
        .filter(|year| four_digits && (MIN_YEAR..=MAX_YEAR).contains(year))
        .ok_or_else(|| DocNumberError::BadYear { text: excerpt(text) })
}

/// Checks an issuer or drafting-unit code: 1–15 of A–Z, Đ and digits,
/// starting with a letter. Lower case and dots are refused because they
/// mean the text is something else (a word, an abbreviation with stops).
fn check_code(text: &str) -> Result<&str, DocNumberError> {
    let is_letter = |c: char| c.is_ascii_uppercase() || c == 'Đ';
    let mut chars = text.chars();
    let valid = chars.next().is_some_and(is_letter)
        && chars.all(|c| is_letter(c) || c.is_ascii_digit())
        && text.chars().count() <= MAX_CODE_CHARS;
    if valid { Ok(text) } else { Err(DocNumberError::BadIssuer { text: excerpt(text) }) }
}

/// The parts after the sequence number, borrowed from the raw text.
struct Parts<'a> {
    system: DocSystem,
    year: Option<i32>,
    type_code: Option<TypeCode>,
    issuer: &'a str,
    drafting_unit: Option<&'a str>,
}

/// `<TYPE>/<ISSUER>`, after `<seq>-`.
fn party_parts<'a>(cursor: &mut Cursor<'a>) -> Result<Parts<'a>, DocNumberError> {
    let type_code = expect_type_code(cursor)?;
    if cursor.separator() != Some(Separator::Slash) {
        return Err(DocNumberError::MissingSeparator);
    }
    let issuer = check_code(cursor.word().ok_or(DocNumberError::MissingIssuer)?)?;
    Ok(Parts { system: DocSystem::Party, year: None, type_code: Some(type_code), issuer, drafting_unit: None })
}

/// `[<YEAR>/]<TYPE>-<ISSUER>[-<UNIT>]` or `<ISSUER>[-<UNIT>]`, after `<seq>/`.
fn state_parts<'a>(cursor: &mut Cursor<'a>) -> Result<Parts<'a>, DocNumberError> {
    let (year, type_code) = if cursor.peek_is(1, Separator::Slash) {
        let year = parse_year(cursor.word().ok_or(DocNumberError::MissingIssuer)?)?;
        cursor.separator();
        (Some(year), Some(expect_type_code(cursor)?))
    } else if let Some(code) = cursor.peek_word().and_then(TypeCode::from_code) {
        cursor.word();
        (None, Some(code))
    } else {
        // No type code: a công văn, `<ISSUER>-<UNIT>`.
        (None, None)
    };
    if type_code.is_some() {
        match cursor.separator() {
            Some(Separator::Dash) => {}
            None if cursor.at_end() => return Err(DocNumberError::MissingIssuer),
            _ => return Err(DocNumberError::MissingSeparator),
        }
    }
    let issuer = check_code(cursor.word().ok_or(DocNumberError::MissingIssuer)?)?;
    // A dash not followed by a code is left for `finish` to report.
    let drafting_unit = if cursor.peek_is(0, Separator::Dash) && cursor.peek_is_word(1) {
        cursor.separator();
        cursor.word().map(check_code).transpose()?
    } else {
        None
    };
    Ok(Parts { system: DocSystem::State, year, type_code, issuer, drafting_unit })
}

/// Consumes the next word as a type code; an absent word is an empty code.
fn expect_type_code(cursor: &mut Cursor<'_>) -> Result<TypeCode, DocNumberError> {
    let code = cursor.word().unwrap_or_default();
    TypeCode::from_code(code).ok_or_else(|| DocNumberError::UnknownTypeCode { code: excerpt(code) })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Separator {
    Slash,
    Dash,
}

#[derive(Debug, Clone, Copy)]
enum TokenKind<'a> {
    Word(&'a str),
    Separator(Separator),
}

/// A token and its byte offset in the raw text, so leftovers can be quoted
/// exactly as written.
#[derive(Debug, Clone, Copy)]
struct Token<'a> {
    at: usize,
    kind: TokenKind<'a>,
}

/// Reads a number as words (runs of anything but spaces and separators)
/// and separators; spaces only end words, which is what makes
/// `109 - QĐ/QU` equal to `109-QĐ/QU`.
struct Cursor<'a> {
    raw: &'a str,
    tokens: Vec<Token<'a>>,
    next: usize,
}

impl<'a> Cursor<'a> {
    fn new(raw: &'a str) -> Self {
        let mut tokens = Vec::new();
        let mut word_start = None;
        for (at, c) in raw.char_indices() {
            let separator = match c {
                '/' => Some(Separator::Slash),
                c if is_dash(c) => Some(Separator::Dash),
                _ => None,
            };
            let ends_word = separator.is_some() || c.is_whitespace();
            match (ends_word, word_start) {
                (true, Some(start)) => {
                    tokens.push(word_token(raw, start, at));
                    word_start = None;
                }
                (false, None) => word_start = Some(at),
                _ => {}
            }
            if let Some(separator) = separator {
                tokens.push(Token { at, kind: TokenKind::Separator(separator) });
            }
        }
        if let Some(start) = word_start {
            tokens.push(word_token(raw, start, raw.len()));
        }
        Cursor { raw, tokens, next: 0 }
    }

    fn peek(&self, ahead: usize) -> Option<TokenKind<'a>> {
        self.tokens.get(self.next + ahead).map(|token| token.kind)
    }

    fn peek_is(&self, ahead: usize, separator: Separator) -> bool {
        matches!(self.peek(ahead), Some(TokenKind::Separator(s)) if s == separator)
    }

    fn peek_is_word(&self, ahead: usize) -> bool {
        matches!(self.peek(ahead), Some(TokenKind::Word(_)))
    }

    fn peek_word(&self) -> Option<&'a str> {
        match self.peek(0) {
            Some(TokenKind::Word(word)) => Some(word),
            _ => None,
        }
    }

    /// Consumes the next token if it is a word.
    fn word(&mut self) -> Option<&'a str> {
        let word = self.peek_word()?;
        self.next += 1;
        Some(word)
    }

    /// Consumes the next token if it is a separator.
    fn separator(&mut self) -> Option<Separator> {
        match self.peek(0) {
            Some(TokenKind::Separator(separator)) => {
                self.next += 1;
                Some(separator)
            }
            _ => None,
        }
    }

    fn at_end(&self) -> bool {
        self.next >= self.tokens.len()
    }

    /// Refuses whatever is left, quoting it from the raw text.
    fn finish(&self) -> Result<(), DocNumberError> {
        match self.tokens.get(self.next) {
            Some(token) => {
                Err(DocNumberError::TrailingText { text: excerpt(self.raw.get(token.at..).unwrap_or_default()) })
            }
            None => Ok(()),
        }
    }
}

fn word_token(raw: &str, start: usize, end: usize) -> Token<'_> {
    Token { at: start, kind: TokenKind::Word(raw.get(start..end).unwrap_or_default()) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    type Expected<'a> = (DocSystem, u32, &'a str, Option<i32>, Option<TypeCode>, &'a str, Option<&'a str>);

    fn parts(number: &DocumentNumber) -> Expected<'_> {
        (
            number.system(),
            number.sequence(),
            number.sequence_text(),
            number.year(),
            number.type_code(),
            number.issuer(),
            number.drafting_unit(),
        )
    }

    #[test]
    fn real_numbers_are_split_into_their_parts() {
        use DocSystem::{Party, State};
        use TypeCode::*;
        for (input, expected) in [
            ("109-QĐ/QU", (Party, 109, "109", None, Some(QuyetDinh), "QU", None)),
            ("06-QĐ/BDVHU", (Party, 6, "06", None, Some(QuyetDinh), "BDVHU", None)),
            ("1189-CV/HU", (Party, 1189, "1189", None, Some(CongVan), "HU", None)),
            ("12-BC/QU", (Party, 12, "12", None, Some(BaoCao), "QU", None)),
            ("127-QĐ/TW", (Party, 127, "127", None, Some(QuyetDinh), "TW", None)),
            ("24-BS/UBKTTU", (Party, 24, "24", None, Some(BanSao), "UBKTTU", None)),
            ("02-QĐi/TU", (Party, 2, "02", None, Some(QuyDinh), "TU", None)),
            ("36-HD/VPTW", (Party, 36, "36", None, Some(HuongDan), "VPTW", None)),
            ("45/QĐ-HĐND", (State, 45, "45", None, Some(QuyetDinh), "HĐND", None)),
            ("60/BC-HĐND", (State, 60, "60", None, Some(BaoCao), "HĐND", None)),
            ("20/TB-HĐND", (State, 20, "20", None, Some(ThongBao), "HĐND", None)),
            ("09/QĐ-UBND", (State, 9, "09", None, Some(QuyetDinh), "UBND", None)),
            ("182/CTr-HĐND", (State, 182, "182", None, Some(ChuongTrinh), "HĐND", None)),
            ("04/KH-HĐND", (State, 4, "04", None, Some(KeHoach), "HĐND", None)),
            ("24/2016/NQ-HĐND", (State, 24, "24", Some(2016), Some(NghiQuyet), "HĐND", None)),
            ("10/2023/QĐ-UBND", (State, 10, "10", Some(2023), Some(QuyetDinh), "UBND", None)),
            ("628/HĐND-VHXH", (State, 628, "628", None, None, "HĐND", Some("VHXH"))),
            ("1093/HĐND-VP", (State, 1093, "1093", None, None, "HĐND", Some("VP"))),
            ("15/KH-UBND-VP", (State, 15, "15", None, Some(KeHoach), "UBND", Some("VP"))),
            ("7/HĐND", (State, 7, "7", None, None, "HĐND", None)),
        ] {
            let number = DocumentNumber::parse(input).unwrap();
            assert_eq!(parts(&number), expected, "{input}");
            assert_eq!(number.raw(), input);
            assert_eq!(number.to_string(), input);
            assert_eq!(number.canonical(), input);
        }
    }

    #[test]
    fn prefixes_spacing_dashes_and_nfd_are_tolerated() {
        for (input, raw, canonical) in [
            ("Số 12-BC/QU", "12-BC/QU", "12-BC/QU"),
            ("Số: 10/QĐ-HĐND", "10/QĐ-HĐND", "10/QĐ-HĐND"),
            ("số:45/QĐ-HĐND", "45/QĐ-HĐND", "45/QĐ-HĐND"),
            ("SỐ : 24/2016/NQ-HĐND", "24/2016/NQ-HĐND", "24/2016/NQ-HĐND"),
            ("  109 - QĐ/QU ", "109 - QĐ/QU", "109-QĐ/QU"),
            ("109 – QĐ / QU", "109 – QĐ / QU", "109-QĐ/QU"),
            ("628 / HĐND – VHXH", "628 / HĐND – VHXH", "628/HĐND-VHXH"),
            ("So\u{302}\u{301} 109-QĐ/QU", "109-QĐ/QU", "109-QĐ/QU"),
        ] {
            let number = DocumentNumber::parse(input).unwrap();
            assert_eq!((number.raw(), number.canonical().as_str()), (raw, canonical), "{input}");
        }
    }

    #[test]
    fn malformed_numbers_are_refused_with_the_reason() {
        use DocNumberError::*;
        for (input, expected) in [
            ("", Empty),
            ("  ", Empty),
            ("Số:", Empty),
            ("109", MissingSeparator),
            ("109-QĐ", MissingSeparator),
            ("109 QĐ/QU", MissingSeparator),
            ("109-QĐ-QU/X", MissingSeparator),
            ("45/QĐ HĐND", MissingSeparator),
            ("QĐ/QU", MissingSequence),
            ("/QĐ-HĐND", MissingSequence),
            ("abc/QĐ-HĐND", BadSequence { text: "abc".into() }),
            ("0-QĐ/QU", BadSequence { text: "0".into() }),
            ("000/QĐ-HĐND", BadSequence { text: "000".into() }),
            ("1234567-QĐ/QU", BadSequence { text: "1234567".into() }),
            ("12a-QĐ/QU", BadSequence { text: "12a".into() }),
            ("109-XX/QU", UnknownTypeCode { code: "XX".into() }),
            ("109-qđ/QU", UnknownTypeCode { code: "qđ".into() }),
            ("109-/QU", UnknownTypeCode { code: "".into() }),
            ("24/2016/XX-HĐND", UnknownTypeCode { code: "XX".into() }),
            // Government decrees (nghị định) are outside the two catalogues.
            ("30/2020/NĐ-CP", UnknownTypeCode { code: "NĐ".into() }),
            ("109-QĐ/", MissingIssuer),
            ("45/", MissingIssuer),
            ("45/QĐ", MissingIssuer),
            ("45/QĐ-", MissingIssuer),
            ("109-QĐ/Qu", BadIssuer { text: "Qu".into() }),
            ("109-QĐ/Q.U", BadIssuer { text: "Q.U".into() }),
            ("109-QĐ/2U", BadIssuer { text: "2U".into() }),
            ("109-QĐ/ABCDEFGHIJKLMNOP", BadIssuer { text: "ABCDEFGHIJKLMNOP".into() }),
            ("628/HĐND-vhxh", BadIssuer { text: "vhxh".into() }),
            ("109-QĐ/QU,", BadIssuer { text: "QU,".into() }),
            ("24/16/NQ-HĐND", BadYear { text: "16".into() }),
            ("24/1800/NQ-HĐND", BadYear { text: "1800".into() }),
            ("45/QĐ/HĐND", BadYear { text: "QĐ".into() }),
            ("109-QĐ/QU extra", TrailingText { text: "extra".into() }),
            ("109-QĐ/QU-VP", TrailingText { text: "-VP".into() }),
            ("45/QĐ-HĐND-", TrailingText { text: "-".into() }),
            ("45/QĐ-HĐND-VP-X", TrailingText { text: "-X".into() }),
            ("45/QĐ-HĐND ngày 09/3/2021", TrailingText { text: "ngày 09/3/2021".into() }),
        ] {
            assert_eq!(DocumentNumber::parse(input), Err(expected), "{input}");
        }
    }

    #[test]
    fn codes_typed_without_the_letter_d_stroke_are_corrected() {
        for (input, raw) in [
            ("15-QD/HU", "15-QĐ/HU"),
            ("45/QD-HDND", "45/QĐ-HĐND"),
            ("Số: 02-QDi/TU", "02-QĐi/TU"),
            ("24/2016/NQ-HDND", "24/2016/NQ-HĐND"),
            ("628/HDND-VHXH", "628/HĐND-VHXH"),
            ("12-KH/BCD", "12-KH/BCĐ"),
            ("3-NQ/DU", "3-NQ/ĐU"),
        ] {
            let number = DocumentNumber::parse(input).unwrap();
            assert_eq!(number.raw(), raw, "{input}");
            assert_eq!(number, DocumentNumber::parse(raw).unwrap(), "{input}");
            assert!(number.corrects(input), "{input}");
        }
        // `HD` (hướng dẫn) and `DA` (dự án) are codes of their own: kept.
        assert_eq!(DocumentNumber::parse("36-HD/VPTW").unwrap().type_code(), Some(TypeCode::HuongDan));
        assert_eq!(DocumentNumber::parse("5/DA-UBND").unwrap().type_code(), Some(TypeCode::DuAn));
        // Trimming, NFC and the word `Số` are no correction.
        for input in ["  109-QĐ/QU ", "Số: 45/QĐ-HĐND", "36-HD/VPTW"] {
            assert!(!DocumentNumber::parse(input).unwrap().corrects(input), "{input}");
        }
    }

    #[test]
    fn cong_van_are_recognised_in_both_systems() {
        for (input, expected) in [
            ("1189-CV/HU", true),
            ("628/HĐND-VHXH", true),
            ("12/CV-UBND", true),
            ("109-QĐ/QU", false),
            ("45/QĐ-HĐND", false),
        ] {
            assert_eq!(DocumentNumber::parse(input).unwrap().is_cong_van(), expected, "{input}");
        }
    }

    #[test]
    fn type_codes_round_trip_and_are_case_sensitive() {
        for code in TypeCode::ALL {
            assert_eq!(TypeCode::from_code(code.as_str()), Some(code));
            assert!(!code.name_vi().is_empty());
        }
        for (code, expected) in [
            ("QĐ", Some(TypeCode::QuyetDinh)),
            ("QĐi", Some(TypeCode::QuyDinh)),
            ("QĐI", None),
            ("CTr", Some(TypeCode::ChuongTrinh)),
            ("CTR", None),
            ("ĐA", Some(TypeCode::DeAn)),
            ("DA", Some(TypeCode::DuAn)),
            ("HĐ", Some(TypeCode::HopDong)),
            ("HD", Some(TypeCode::HuongDan)),
        ] {
            assert_eq!(TypeCode::from_code(code), expected, "{code}");
        }
    }

    #[test]
    fn type_codes_name_their_kind_of_document() {
        for (code, expected) in [
            (TypeCode::QuyetDinh, "quyết định"),
            (TypeCode::QuyDinh, "quy định"),
            (TypeCode::QuyDinhQyd, "quy định"),
            (TypeCode::NghiQuyet, "nghị quyết"),
            (TypeCode::KeHoach, "kế hoạch"),
            (TypeCode::BaoCao, "báo cáo"),
            (TypeCode::ThongBao, "thông báo"),
            (TypeCode::KetLuan, "kết luận"),
            (TypeCode::ChuongTrinh, "chương trình"),
            (TypeCode::CongVan, "công văn"),
        ] {
            assert_eq!(code.name_vi(), expected);
        }
    }

    #[test]
    fn numbers_serialise_as_written_and_deserialise_only_when_valid() {
        let number = DocumentNumber::parse("Số 109 - QĐ/QU").unwrap();
        let json = serde_json::to_string(&number).unwrap();
        assert_eq!(json, r#""109 - QĐ/QU""#);
        assert_eq!(serde_json::from_str::<DocumentNumber>(&json).unwrap(), number);
        assert!(serde_json::from_str::<DocumentNumber>(r#""109-XX/QU""#).is_err());
        assert_eq!(serde_json::to_string(&TypeCode::QuyDinh).unwrap(), r#""QĐi""#);
        assert!(serde_json::from_str::<TypeCode>(r#""QĐI""#).is_err());
    }

    #[test]
    fn huge_and_hostile_input_is_refused_with_a_short_quote() {
        let huge = format!("109-QĐ/QU {}", "x".repeat(1_000_000));
        let Err(DocNumberError::TrailingText { text }) = DocumentNumber::parse(&huge) else {
            panic!("expected TrailingText");
        };
        assert!(text.chars().count() <= 41);
        let Err(DocNumberError::BadIssuer { text }) = DocumentNumber::parse("109-QĐ/Q\u{202E}U\0") else {
            panic!("expected BadIssuer");
        };
        assert_eq!(text, "Q\u{FFFD}U\u{FFFD}");
    }

    /// A valid code that parsing keeps as written (no unaccented code it
    /// would correct).
    fn code() -> impl Strategy<Value = String> {
        "[A-ZĐ][A-ZĐ0-9]{0,14}"
            .prop_filter("parsing would restore Đ", |c| UNACCENTED_CODES.iter().all(|(typed, _)| typed != c))
    }

    fn type_code() -> impl Strategy<Value = TypeCode> {
        proptest::sample::select(TypeCode::ALL.to_vec())
    }

    fn sequence_text() -> impl Strategy<Value = String> {
        "[0-9]{1,6}".prop_filter("sequence must not be zero", |s| s.bytes().any(|b| b != b'0'))
    }

    /// Valid parts for either system, held to the type's invariants.
    fn document_number() -> impl Strategy<Value = DocumentNumber> {
        let party = (sequence_text(), type_code(), code())
            .prop_map(|(seq, type_code, issuer)| (DocSystem::Party, seq, None, Some(type_code), issuer, None));
        let typed_state = (
            sequence_text(),
            proptest::option::of(MIN_YEAR..=MAX_YEAR),
            type_code(),
            code(),
            proptest::option::of(code()),
        )
            .prop_map(|(seq, year, type_code, issuer, unit)| {
                (DocSystem::State, seq, year, Some(type_code), issuer, unit)
            });
        // A công văn issuer that spells a type code would read as that type.
        let cong_van = (
            sequence_text(),
            code().prop_filter("issuer must not be a type code", |c| TypeCode::from_code(c).is_none()),
            proptest::option::of(code()),
        )
            .prop_map(|(seq, issuer, unit)| (DocSystem::State, seq, None, None, issuer, unit));
        prop_oneof![party, typed_state, cong_van].prop_map(
            |(system, sequence_text, year, type_code, issuer, drafting_unit)| DocumentNumber {
                raw: String::new(),
                system,
                sequence: sequence_text.parse().unwrap(),
                sequence_text,
                year,
                type_code,
                issuer,
                drafting_unit,
            },
        )
    }

    proptest! {
        #[test]
        fn canonical_text_parses_back_to_the_same_parts(number in document_number()) {
            let text = number.canonical();
            let parsed = DocumentNumber::parse(&text).unwrap();
            prop_assert_eq!(parts(&parsed), parts(&number));
            prop_assert_eq!(parsed.raw(), text.as_str());
            let spaced = format!("Số: {}", text.replace('/', " / ").replace('-', " – "));
            let reparsed = DocumentNumber::parse(&spaced).unwrap();
            prop_assert_eq!(parts(&reparsed), parts(&number));
        }

        #[test]
        fn parsing_arbitrary_text_never_panics(s in any::<String>()) {
            let _ = DocumentNumber::parse(&s);
        }

        #[test]
        fn parsing_number_like_noise_never_panics(
            chars in proptest::collection::vec(
                prop_oneof![
                    Just('\0'), Just('\u{202E}'), Just('/'), Just('-'), Just('–'), Just(' '),
                    Just('Đ'), Just(':'), Just('.'), Just('i'), Just('ố'), Just('\u{301}'),
                    proptest::char::range('A', 'Z'), proptest::char::range('0', '9'),
                ],
                0..64,
            )
        ) {
            let s: String = chars.into_iter().collect();
            let _ = DocumentNumber::parse(&s);
        }
    }
}
