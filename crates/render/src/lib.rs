//! The formal report of a mission ([`giamsat_domain::formal::FormalReport`]) in three outputs: print-ready HTML,
//! PDF typeset by Typst (as a library, with fonts loaded from files and embedded) and DOCX with real Word styles.
//!
//! Every text of the report is user data: HTML escapes it (askama), Typst receives it only as string literals
//! (never as markup), and DOCX writes it as XML text.

mod docx;
mod html;
mod pdf;

pub use docx::docx;
pub use html::html;
pub use pdf::{FONT_FAMILY, Fonts, pdf, source as typst_source};

/// The place-and-date line with its date held together ("Hoàn Kiếm, ngày 26 tháng 3 năm 2021": no break after
/// the comma's place part, so the year never wraps onto a line of its own).
pub(crate) fn unbroken_date(place_date: &str) -> String {
    match place_date.rsplit_once(", ") {
        Some((place, date)) => format!("{place}, {}", date.replace(' ', "\u{a0}")),
        None => place_date.replace(' ', "\u{a0}"),
    }
}

/// Why a report could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The font directory holds no Liberation Serif (Debian package `fonts-liberation2`).
    #[error("no {FONT_FAMILY} font in {dir}: install the Debian package fonts-liberation2 or set GIAMSAT_FONT_DIR")]
    FontMissing { dir: String },
    /// The font directory could not be read.
    #[error("cannot read the font directory {dir}: {source}")]
    FontDir { dir: String, source: std::io::Error },
    /// Typst refused the generated document (a bug of this crate, since user text never becomes markup).
    #[error("typesetting failed: {0}")]
    Typst(String),
    /// docx-rs could not write the archive.
    #[error("writing the DOCX failed: {0}")]
    Docx(String),
}
