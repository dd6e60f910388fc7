//! DOCX with real Word styles (Normal, Heading 1, Heading 2, Title, Subtitle) in Times New Roman, the header
//! blocks as a borderless two-column table, A4 and the report's margins.

use chrono::NaiveDate;
use docx_rs::{
    AlignmentType, Docx, LineSpacing, PageMargin, Paragraph, Run, RunFonts, SpecialIndentType, Style, StyleType, Table,
    TableCell, TableRow, WidthType,
};
use giamsat_domain::formal::{FormalReport, HeaderLine, Layout};

use crate::RenderError;

/// Word measures sizes in half-points and lengths in twentieths of a point.
const fn half_points(pt: usize) -> usize {
    pt * 2
}

fn twips_of_mm(mm: u16) -> i32 {
    (f64::from(mm) * 1440.0 / 25.4).round() as i32
}

const A4_WIDTH_TWIPS: u32 = 11906;
const A4_HEIGHT_TWIPS: u32 = 16838;
const FONT: &str = "Times New Roman";

fn styles(docx: Docx) -> Docx {
    let fonts = || RunFonts::new().ascii(FONT).hi_ansi(FONT).cs(FONT).east_asia(FONT);
    docx.default_fonts(fonts())
        .default_size(half_points(14))
        .add_style(
            Style::new("Normal", StyleType::Paragraph)
                .name("Normal")
                .fonts(fonts())
                .size(half_points(14))
                .align(AlignmentType::Both)
                .line_spacing(LineSpacing::new().after(120)),
        )
        .add_style(
            Style::new("Heading1", StyleType::Paragraph)
                .name("Heading 1")
                .based_on("Normal")
                .next("Normal")
                .fonts(fonts())
                .size(half_points(14))
                .bold()
                .outline_lvl(0)
                .line_spacing(LineSpacing::new().before(240).after(120)),
        )
        .add_style(
            Style::new("Heading2", StyleType::Paragraph)
                .name("Heading 2")
                .based_on("Normal")
                .next("Normal")
                .fonts(fonts())
                .size(half_points(14))
                .bold()
                .outline_lvl(1)
                .line_spacing(LineSpacing::new().before(120).after(60)),
        )
        .add_style(
            Style::new("Title", StyleType::Paragraph)
                .name("Title")
                .based_on("Normal")
                .fonts(fonts())
                .size(half_points(16))
                .bold()
                .align(AlignmentType::Center),
        )
        .add_style(
            Style::new("Subtitle", StyleType::Paragraph)
                .name("Subtitle")
                .based_on("Normal")
                .fonts(fonts())
                .size(half_points(14))
                .bold()
                .align(AlignmentType::Center),
        )
}

fn centred(run: Run) -> Paragraph {
    Paragraph::new().add_run(run).align(AlignmentType::Center).line_spacing(LineSpacing::new().after(0))
}

fn header_paragraphs(lines: &[HeaderLine], pt: usize) -> Vec<Paragraph> {
    lines
        .iter()
        .map(|l| {
            let run = Run::new().add_text(&l.text).size(half_points(pt));
            centred(if l.bold { run.bold() } else { run })
        })
        .collect()
}

fn cell(paragraphs: Vec<Paragraph>, width: usize) -> TableCell {
    paragraphs.into_iter().fold(TableCell::new().width(width, WidthType::Dxa), TableCell::add_paragraph)
}

/// Two columns without borders, as the official header and closing blocks are laid out.
fn two_columns(left: Vec<Paragraph>, right: Vec<Paragraph>, text_width: usize, left_share: usize) -> Table {
    let left_width = text_width * left_share / 100;
    Table::without_borders(vec![TableRow::new(vec![cell(left, left_width), cell(right, text_width - left_width)])])
        .set_grid(vec![left_width, text_width - left_width])
        .width(text_width, WidthType::Dxa)
}

/// The package's core properties: the issuing organisation as author, the report's date (else `today`) as
/// creation and modification date. docx-rs writes "unknown" and 1970 and has no setter for the author.
fn core_properties(report: &FormalReport, today: NaiveDate) -> Vec<u8> {
    let escape = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
    let when = format!("{}T00:00:00Z", giamsat_domain::date::iso(Some(report.date.unwrap_or(today))));
    let author = escape(&report.author);
    let title = escape(&report.title());
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<cp:coreProperties \
         xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
         <dc:title>{title}</dc:title><dc:creator>{author}</dc:creator><cp:lastModifiedBy>{author}</cp:lastModifiedBy>\
         <dc:language>vi-VN</dc:language><cp:revision>1</cp:revision>\
         <dcterms:created xsi:type=\"dcterms:W3CDTF\">{when}</dcterms:created>\
         <dcterms:modified xsi:type=\"dcterms:W3CDTF\">{when}</dcterms:modified></cp:coreProperties>"
    )
    .into_bytes()
}

/// The report as a DOCX file; `today` dates a report that has no date of its own.
///
/// # Errors
/// [`RenderError::Docx`] if the archive cannot be written.
pub fn docx(report: &FormalReport, today: NaiveDate) -> Result<Vec<u8>, RenderError> {
    let m = report.margins;
    let text_width = usize::try_from(
        i64::from(A4_WIDTH_TWIPS) - i64::from(twips_of_mm(m.left_mm)) - i64::from(twips_of_mm(m.right_mm)),
    )
    .unwrap_or(9000);
    let (national_pt, issuer_pt) = match report.layout {
        Layout::Party => (15, 14),
        Layout::State => (12, 13),
    };
    let left_share = if report.layout == Layout::Party { 45 } else { 40 };
    let mut left = header_paragraphs(&report.issuer_lines, issuer_pt);
    left.push(centred(Run::new().add_text(report.issuer_mark.as_deref().unwrap_or("———"))));
    left.push(centred(Run::new().add_text(&report.number)));
    let mut right = header_paragraphs(&report.national_lines, national_pt);
    let rule =
        if report.layout == Layout::Party { "————————————" } else { "——————" };
    right.push(centred(Run::new().add_text(rule)));
    right.push(centred(Run::new().add_text(crate::unbroken_date(&report.place_date)).italic()));

    let mut doc = styles(Docx::new())
        .page_size(A4_WIDTH_TWIPS, A4_HEIGHT_TWIPS)
        .page_margin(
            PageMargin::new()
                .top(twips_of_mm(m.top_mm))
                .bottom(twips_of_mm(m.bottom_mm))
                .left(twips_of_mm(m.left_mm))
                .right(twips_of_mm(m.right_mm)),
        )
        .add_table(two_columns(left, right, text_width, left_share))
        .add_paragraph(Paragraph::new().style("Title").add_run(Run::new().add_text(&report.doc_type)))
        .add_paragraph(Paragraph::new().style("Subtitle").add_run(Run::new().add_text(&report.summary)))
        .add_paragraph(centred(Run::new().add_text("-----")));
    let body = |text: &str| {
        Paragraph::new().style("Normal").add_run(Run::new().add_text(text)).indent(
            None,
            Some(SpecialIndentType::FirstLine(567)),
            None,
            None,
        )
    };
    for p in &report.opening {
        doc = doc.add_paragraph(body(p));
    }
    let mut body_paragraphs: Vec<Paragraph> = Vec::new();
    for section in &report.sections {
        body_paragraphs.push(Paragraph::new().style("Heading1").add_run(Run::new().add_text(&section.heading)));
        for part in &section.parts {
            if let Some(heading) = &part.heading {
                body_paragraphs.push(Paragraph::new().style("Heading2").add_run(Run::new().add_text(heading)));
            }
            for p in &part.paragraphs {
                body_paragraphs.push(body(p));
            }
        }
    }
    // The last paragraph stays with the closing block, so the signature never stands alone on a page.
    if let Some(last) = body_paragraphs.pop() {
        body_paragraphs.push(last.keep_next(true).keep_lines(true));
    }
    for p in body_paragraphs {
        doc = doc.add_paragraph(p);
    }
    let left_par = |run: Run| Paragraph::new().add_run(run).line_spacing(LineSpacing::new().after(0));
    let mut recipients =
        vec![left_par(Run::new().add_text(&report.recipients_heading).bold().italic().size(half_points(12)))];
    recipients.extend(report.recipients.iter().map(|r| left_par(Run::new().add_text(r).size(half_points(11)))));
    let signature = vec![
        centred(Run::new().add_text(&report.signature.authority).bold()),
        centred(Run::new().add_text(&report.signature.title).bold()),
        centred(Run::new()),
        centred(Run::new()),
        centred(Run::new()),
        centred(Run::new().add_text(&report.signature.name).bold()),
    ];
    let left_width = text_width / 2;
    let closing = Table::without_borders(vec![
        TableRow::new(vec![cell(recipients, left_width), cell(signature, text_width - left_width)]).cant_split(),
    ])
    .set_grid(vec![left_width, text_width - left_width])
    .width(text_width, WidthType::Dxa);
    doc = doc.add_paragraph(Paragraph::new().keep_next(true)).add_table(closing);
    let mut xml = doc.build();
    xml.doc_props.core = core_properties(report, today);
    let mut out = std::io::Cursor::new(Vec::new());
    xml.pack(&mut out).map_err(|e| RenderError::Docx(e.to_string()))?;
    Ok(out.into_inner())
}
