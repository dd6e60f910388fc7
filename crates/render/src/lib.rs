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
pub use pdf::{FONT_FAMILY, Fonts, pdf};

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
