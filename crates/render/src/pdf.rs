//! PDF through Typst used as a library. The report becomes a Typst source in which every user text is a string
//! literal, so no record can inject markup; fonts come from files and are embedded by Typst.

use std::fmt::Write as _;
use std::path::Path;

use giamsat_domain::formal::{FormalReport, HeaderLine, Layout};
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, Source};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

use crate::RenderError;

/// The font family the PDF is set in: metric-compatible with Times New Roman, with every Vietnamese glyph.
/// Typst ignores system aliases, so it is named as itself.
pub const FONT_FAMILY: &str = "Liberation Serif";

/// The fonts and the Typst standard library, loaded once and shared by every render.
pub struct Fonts {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

impl std::fmt::Debug for Fonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fonts").field("faces", &self.fonts.len()).finish()
    }
}

impl Fonts {
    /// Loads every `LiberationSerif-*.ttf` of `dir`.
    ///
    /// # Errors
    /// [`RenderError::FontDir`] when the directory cannot be read, [`RenderError::FontMissing`] when it holds no
    /// Liberation Serif face.
    pub fn load(dir: &Path) -> Result<Fonts, RenderError> {
        let shown = dir.display().to_string();
        let entries = std::fs::read_dir(dir).map_err(|source| RenderError::FontDir { dir: shown.clone(), source })?;
        let mut fonts = Vec::new();
        for entry in entries {
            let path = entry.map_err(|source| RenderError::FontDir { dir: shown.clone(), source })?.path();
            let is_face = path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("LiberationSerif-") && n.ends_with(".ttf"));
            if !is_face {
                continue;
            }
            let data = std::fs::read(&path).map_err(|source| RenderError::FontDir { dir: shown.clone(), source })?;
            fonts.extend(Font::iter(Bytes::new(data)));
        }
        if !fonts.iter().any(|f| f.info().family == FONT_FAMILY) {
            return Err(RenderError::FontMissing { dir: shown });
        }
        // Regular first, so that the order of the directory listing cannot change which face Typst picks.
        fonts.sort_by_key(|f| (f.info().variant.weight.to_number(), f.info().variant.style as u8));
        Ok(Fonts {
            library: LazyHash::new(Library::default()),
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
        })
    }
}

/// A world of one source file and the loaded fonts; no file access, no clock (the output is reproducible).
struct ReportWorld<'a> {
    fonts: &'a Fonts,
    source: Source,
}

impl World for ReportWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.fonts.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.fonts.book
    }

    fn main(&self) -> FileId {
        self.source.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.source.id() { Ok(self.source.clone()) } else { Err(FileError::AccessDenied) }
    }

    fn file(&self, _id: FileId) -> FileResult<Bytes> {
        Err(FileError::AccessDenied)
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

/// The report as an A4 PDF with its fonts embedded.
///
/// # Errors
/// [`RenderError::Typst`] if Typst refuses the generated source or cannot write the PDF.
pub fn pdf(report: &FormalReport, fonts: &Fonts) -> Result<Vec<u8>, RenderError> {
    let world = ReportWorld { fonts, source: Source::detached(source(report)) };
    let document: PagedDocument = typst::compile(&world).output.map_err(|errors| {
        RenderError::Typst(errors.iter().map(|e| e.message.to_string()).collect::<Vec<_>>().join("; "))
    })?;
    typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default()).map_err(|errors| {
        RenderError::Typst(errors.iter().map(|e| e.message.to_string()).collect::<Vec<_>>().join("; "))
    })
}

/// A Typst string literal: the only way user text enters the source.
fn lit(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn header_lines(lines: &[HeaderLine], size: &str) -> String {
    lines
        .iter()
        .map(|l| {
            let weight = if l.bold { "bold" } else { "regular" };
            format!("text(size: {size}, weight: \"{weight}\", {})", lit(&l.text))
        })
        .collect::<Vec<_>>()
        .join("; linebreak(); ")
}

/// The Typst source of the report, which [`pdf`] typesets: sizes and styles per Hướng dẫn 36 / Nghị định 30
/// (domain brief §4).
#[must_use]
pub fn source(report: &FormalReport) -> String {
    let m = report.margins;
    let (national_size, issuer_size) = match report.layout {
        Layout::Party => ("15pt", "14pt"),
        Layout::State => ("12pt", "13pt"),
    };
    let columns = match report.layout {
        Layout::Party => "(45%, 55%)",
        Layout::State => "(40%, 60%)",
    };
    let mut s = String::new();
    let _ = write!(
        s,
        "#set document(title: {title})\n\
         #set page(paper: \"a4\", margin: (top: {t}mm, bottom: {b}mm, left: {l}mm, right: {r}mm), \
         header: context {{ let n = counter(page).get().first(); if n > 1 {{ align(center, text(size: 13pt, str(n))) }} }})\n\
         #set text(font: {font}, size: 14pt, lang: \"vi\")\n\
         #set par(justify: true, leading: 0.6em, spacing: 0.75em)\n\
         #show heading: set text(size: 14pt, weight: \"bold\")\n\
         #show heading: set block(above: 1em, below: 0.6em)\n",
        title = lit(&report.title()),
        t = m.top_mm,
        b = m.bottom_mm,
        l = m.left_mm,
        r = m.right_mm,
        font = lit(FONT_FAMILY),
    );
    let mark = match &report.issuer_mark {
        Some(mark) => format!("linebreak(); {}", lit(mark)),
        None => "v(-0.3em); line(length: 30%, stroke: 0.5pt); v(-0.3em)".to_owned(),
    };
    let _ = writeln!(
        s,
        "#grid(columns: {columns}, align: center + top,\n  \
         block(width: 100%, {{ set par(justify: false, spacing: 0.5em); {issuer}; {mark}; linebreak(); text(size: 14pt, {number}) }}),\n  \
         block(width: 100%, {{ set par(justify: false, spacing: 0.5em); {national}; v(-0.4em); line(length: {rule}, stroke: 0.5pt); v(0.2em); emph(text(size: 14pt, {date})) }}))",
        issuer = header_lines(&report.issuer_lines, issuer_size),
        number = lit(&report.number),
        national = header_lines(&report.national_lines, national_size),
        rule = if report.layout == Layout::Party { "100%" } else { "60%" },
        date = lit(&crate::unbroken_date(&report.place_date)),
    );
    let _ = writeln!(
        s,
        "#v(1em)\n#align(center, {{ set par(justify: false); text(size: 16pt, weight: \"bold\", {}); linebreak(); \
         text(weight: \"bold\", {}); linebreak(); \"-----\" }})\n#v(0.5em)",
        lit(&report.doc_type),
        lit(&report.summary),
    );
    let paragraph = |s: &mut String, text: &str| {
        let _ = writeln!(s, "#par(first-line-indent: (amount: 1cm, all: true), {})", lit(text));
    };
    for p in &report.opening {
        paragraph(&mut s, p);
    }
    let mut body: Vec<String> = Vec::new();
    for section in &report.sections {
        body.push(format!("#heading(level: 1, {})", lit(&section.heading)));
        for part in &section.parts {
            if let Some(heading) = &part.heading {
                body.push(format!("#heading(level: 2, {})", lit(heading)));
            }
            for p in &part.paragraphs {
                body.push(format!("#par(first-line-indent: (amount: 1cm, all: true), {})", lit(p)));
            }
        }
    }
    // The last paragraph goes into the closing block, so the signature never stands alone on a page.
    let last = body.pop().unwrap_or_default();
    for line in body {
        let _ = writeln!(s, "{line}");
    }
    let recipients = report.recipients.iter().map(|r| lit(r)).collect::<Vec<_>>().join("; linebreak(); ");
    let _ = writeln!(
        s,
        "#block(breakable: false)[\n{last}\n#v(1em)\n#grid(columns: (50%, 50%), align: (left + top, center + top),\n  \
         {{ set par(justify: false, spacing: 0.4em); text(size: 12pt, weight: \"bold\", style: \"italic\", {rh}); linebreak(); text(size: 11pt, {{ {recipients} }}) }},\n  \
         {{ set par(justify: false, spacing: 0.4em); text(weight: \"bold\", {authority}); linebreak(); text(weight: \"bold\", {title}); v(5em); text(weight: \"bold\", {name}) }})\n]",
        rh = lit(&report.recipients_heading),
        authority = lit(&report.signature.authority),
        title = lit(&report.signature.title),
        name = lit(&report.signature.name),
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_escape_quotes_backslashes_and_controls() {
        assert_eq!(lit(r#"a "b" \c"#), r#""a \"b\" \\c""#);
        assert_eq!(lit("x\ny"), r#""x\u{a}y""#);
        assert_eq!(lit("#set text(red) *đậm* $x$"), "\"#set text(red) *đậm* $x$\"");
    }
}
