//! The three outputs of the formal report, checked the way a reader would: the PDF's extracted text and its
//! pages as PNG (poppler-utils), the DOCX's XML, and the HTML as golden files.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test: a panic is a failed test"
)]

use std::path::{Path, PathBuf};
use std::process::Command;

use giamsat_domain::docnum::DocumentNumber;
use giamsat_domain::formal::{self, FormalReport, FormalSettings};
use giamsat_domain::interchange;
use giamsat_domain::mission::Mission;
use giamsat_render::{Fonts, RenderError};
use serde_json::{Value, json};

const SEED_JSON: &str = include_str!("../../../tests/fixtures/seed-mission.json");
const DEBIAN_FONT_DIR: &str = "/usr/share/fonts/truetype/liberation2";

fn mission(edit: impl FnOnce(&mut Value)) -> Mission {
    let mut value: Value = serde_json::from_str(SEED_JSON).expect("the seed is JSON");
    edit(&mut value);
    interchange::parse(value.to_string().as_bytes()).unwrap_or_else(|e| panic!("variant refused: {e}"))
}

fn seed_report() -> FormalReport {
    let mission = mission(|_| {});
    let settings = FormalSettings {
        number: Some(DocumentNumber::parse("12-BC/QU").expect("valid number")),
        date: chrono_date(2021, 3, 26),
        authority: "T/M BAN THƯỜNG VỤ".to_owned(),
        signer_title: "PHÓ BÍ THƯ".to_owned(),
        ..FormalSettings::for_mission(&mission)
    };
    formal::build(&mission, &settings)
}

fn chrono_date(y: i32, m: u32, d: u32) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::from_ymd_opt(y, m, d)
}

fn council_report() -> FormalReport {
    let mission = mission(|v| {
        v["owner"] = json!({ "name": "Hội đồng nhân dân quận Hai Bà Trưng", "short_name": "HĐND quận",
                             "parent": null, "place": "Hai Bà Trưng" });
        v["system"] = json!("council");
        v["decision"]["number"] = json!("10/QĐ-HĐND");
        v["supervising_body"] = json!("Thường trực HĐND quận");
    });
    let settings = FormalSettings {
        number: Some(DocumentNumber::parse("15/BC-HĐND").expect("valid number")),
        authority: "TM. THƯỜNG TRỰC HĐND".to_owned(),
        signer_title: "PHÓ CHỦ TỊCH".to_owned(),
        ..FormalSettings::for_mission(&mission)
    };
    formal::build(&mission, &settings)
}

/// A report whose texts try to break out into Typst markup, HTML and XML.
fn hostile_report() -> FormalReport {
    let mission = mission(|v| {
        v["subject"] = json!("công tác \"#set page(fill: red)\" \\ ] ) } <script>alert(1)</script> & $x$ *đậm* @ref");
    });
    formal::build(&mission, &FormalSettings::for_mission(&mission))
}

fn fonts() -> Fonts {
    Fonts::load(Path::new(DEBIAN_FONT_DIR)).unwrap_or_else(|e| panic!("{e} (apt-get install -y fonts-liberation2)"))
}

fn artefacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/test-artefacts");
    std::fs::create_dir_all(&dir).expect("artefact directory");
    dir
}

/// Runs a tool of poppler-utils, failing with the package to install when it is missing.
fn run(tool: &str, args: &[&str]) -> String {
    let output = Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {tool} ({e}): apt-get install -y poppler-utils"));
    assert!(output.status.success(), "{tool} failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

fn pdf_text(name: &str, bytes: &[u8]) -> String {
    let path = artefacts().join(format!("{name}.pdf"));
    std::fs::write(&path, bytes).expect("write the PDF");
    let path = path.to_str().expect("UTF-8 path");
    run("pdftoppm", &["-png", "-r", "60", path, &path.replace(".pdf", "-page")]);
    run("pdftotext", &["-layout", path, "-"])
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn seed_pdf_has_the_party_header_the_number_the_sections_and_intact_diacritics() {
    let bytes = giamsat_render::pdf(&seed_report(), &fonts()).expect("PDF");
    assert!(bytes.starts_with(b"%PDF"));
    let text = collapse(&pdf_text("formal-seed", &bytes));
    for expected in [
        "ĐẢNG BỘ THÀNH PHỐ HÀ NỘI",
        "QUẬN ỦY HOÀN KIẾM",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Số 12-BC/QU",
        "Hoàn Kiếm, ngày 26 tháng 3 năm 2021",
        "BÁO CÁO",
        "I. KẾT QUẢ GIÁM SÁT",
        "II. ĐÁNH GIÁ",
        "III. KIẾN NGHỊ, ĐỀ XUẤT",
        "Nơi nhận:",
        "T/M BAN THƯỜNG VỤ",
        "PHÓ BÍ THƯ",
        "Nguyễn Thị Phương Chung",
        "tuyên truyền cổ động trực quan",
    ] {
        assert!(text.contains(expected), "{expected:?} missing from the PDF text:\n{text}");
    }
    let pages = std::fs::read_dir(artefacts())
        .expect("artefacts")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with("formal-seed-page"))
        .count();
    assert!(pages >= 2, "the seed report fills more than one page, got {pages} PNG pages");
}

#[test]
fn pdf_embeds_liberation_serif() {
    let bytes = giamsat_render::pdf(&seed_report(), &fonts()).expect("PDF");
    let path = artefacts().join("formal-fonts.pdf");
    std::fs::write(&path, &bytes).expect("write the PDF");
    let fonts = run("pdffonts", &[path.to_str().expect("UTF-8 path")]);
    assert!(fonts.contains("LiberationSerif"), "{fonts}");
    for line in fonts.lines().skip(2) {
        assert!(line.contains(" yes "), "a font is not embedded: {line}");
    }
}

#[test]
fn council_pdf_has_the_state_header() {
    let bytes = giamsat_render::pdf(&council_report(), &fonts()).expect("PDF");
    let text = collapse(&pdf_text("formal-council", &bytes));
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 15/BC-HĐND",
        "TM. THƯỜNG TRỰC HĐND",
        "- Lưu: VT.",
    ] {
        assert!(text.contains(expected), "{expected:?} missing from the PDF text:\n{text}");
    }
}

#[test]
fn user_text_cannot_inject_typst_markup() {
    let bytes = giamsat_render::pdf(&hostile_report(), &fonts()).expect("hostile text still typesets");
    let text = collapse(&pdf_text("formal-hostile", &bytes));
    assert!(text.contains("\"#set page(fill: red)\""), "{text}");
    assert!(text.contains("$x$ *đậm* @ref"), "{text}");
}

#[test]
fn a_font_directory_without_liberation_serif_is_a_clear_error() {
    let empty = tempdir();
    let error = Fonts::load(&empty).expect_err("no fonts there");
    assert!(matches!(error, RenderError::FontMissing { .. }));
    assert!(error.to_string().contains("fonts-liberation2"), "{error}");
    let missing = Fonts::load(&empty.join("nowhere")).expect_err("no directory");
    assert!(matches!(missing, RenderError::FontDir { .. }), "{missing}");
}

fn tempdir() -> PathBuf {
    let dir = artefacts().join("empty-font-dir");
    std::fs::create_dir_all(&dir).expect("empty dir");
    dir
}

fn docx_part(bytes: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a DOCX is a zip archive");
    let mut file = archive.by_name(name).unwrap_or_else(|_| panic!("{name} missing"));
    let mut out = String::new();
    std::io::Read::read_to_string(&mut file, &mut out).expect("UTF-8 XML");
    out
}

#[test]
fn seed_docx_has_word_styles_margins_and_every_header_block() {
    let bytes = giamsat_render::docx(&seed_report(), chrono::NaiveDate::from_ymd_opt(2021, 4, 1).expect("a date"))
        .expect("DOCX");
    assert!(bytes.starts_with(b"PK"));
    std::fs::write(artefacts().join("formal-seed.docx"), &bytes).expect("write the DOCX");
    let document = docx_part(&bytes, "word/document.xml");
    for expected in [
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "QUẬN ỦY HOÀN KIẾM",
        "Số 12-BC/QU",
        "Hoàn Kiếm, ngày\u{a0}26\u{a0}tháng\u{a0}3\u{a0}năm\u{a0}2021",
        "I. KẾT QUẢ GIÁM SÁT",
        "T/M BAN THƯỜNG VỤ",
        "<w:pStyle w:val=\"Heading1\" />",
        "<w:pStyle w:val=\"Heading2\" />",
        "<w:tbl>",
        "w:left=\"1701\"",
        "w:right=\"850\"",
        "<w:pgSz w:w=\"11906\" w:h=\"16838\"",
    ] {
        assert!(document.contains(expected), "{expected:?} missing from word/document.xml");
    }
    let styles = docx_part(&bytes, "word/styles.xml");
    for expected in
        ["w:name w:val=\"Heading 1\"", "w:name w:val=\"Normal\"", "Times New Roman", "<w:sz w:val=\"28\" />"]
    {
        assert!(styles.contains(expected), "{expected:?} missing from word/styles.xml");
    }
}

#[test]
fn docx_properties_carry_the_organisation_and_the_reports_date() {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 4).expect("a date");
    let core = docx_part(&giamsat_render::docx(&seed_report(), today).expect("DOCX"), "docProps/core.xml");
    assert!(core.contains("<dc:creator>Quận ủy Hoàn Kiếm</dc:creator>"), "{core}");
    assert!(core.contains(">2021-03-26T00:00:00Z</dcterms:created>"), "the report's own date: {core}");
    assert!(!core.contains("unknown") && !core.contains("1970"), "{core}");
    let undated = FormalReport { date: None, ..seed_report() };
    let core = docx_part(&giamsat_render::docx(&undated, today).expect("DOCX"), "docProps/core.xml");
    assert!(core.contains(">2026-12-04T00:00:00Z</dcterms:created>"), "an undated report is dated today: {core}");
    let hostile = FormalReport { author: "A & <B>".to_owned(), ..seed_report() };
    let core = docx_part(&giamsat_render::docx(&hostile, today).expect("DOCX"), "docProps/core.xml");
    assert!(core.contains("<dc:creator>A &amp; &lt;B&gt;</dc:creator>"), "{core}");
}

#[test]
fn the_signature_block_keeps_the_last_paragraph_with_it() {
    let document = docx_part(
        &giamsat_render::docx(&seed_report(), chrono::NaiveDate::from_ymd_opt(2021, 4, 1).expect("a date"))
            .expect("DOCX"),
        "word/document.xml",
    );
    let closing = document.rfind("<w:tbl>").expect("the closing table");
    let before = &document[..closing];
    let last_paragraph = before.rfind("<w:p>").or_else(|| before.rfind("<w:p ")).expect("a paragraph before it");
    assert!(before[..last_paragraph].rfind("<w:keepNext").is_some(), "the body's last paragraph keeps with the next");
    assert!(document[closing..].contains("<w:cantSplit"), "the closing row never splits");
    let source = giamsat_render::typst_source(&seed_report());
    let block = source.rfind("#block(breakable: false)[").expect("an unbreakable closing block");
    let last = seed_report().sections.last().and_then(|s| s.parts.last()).and_then(|p| p.paragraphs.last()).cloned();
    let start: String = last.expect("a last paragraph").chars().take(12).collect();
    assert!(source[block..].contains(&start), "the last paragraph is inside the closing block");
}

#[test]
fn docx_escapes_user_text() {
    let bytes = giamsat_render::docx(&hostile_report(), chrono::NaiveDate::from_ymd_opt(2021, 4, 1).expect("a date"))
        .expect("DOCX");
    let document = docx_part(&bytes, "word/document.xml");
    assert!(document.contains("&lt;script&gt;"), "the subject was not escaped");
    assert!(!document.contains("<script>"));
}

#[test]
fn html_seed() {
    insta::assert_snapshot!(giamsat_render::html(&seed_report()));
}

#[test]
fn html_council() {
    insta::assert_snapshot!(giamsat_render::html(&council_report()));
}

#[test]
fn html_escapes_user_text() {
    let html = giamsat_render::html(&hostile_report());
    assert!(html.contains("&#60;script&#62;alert(1)&#60;/script&#62;"), "{html}");
    assert!(!html.contains("<script>"));
}
