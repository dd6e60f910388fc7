//! Print-ready HTML: A4 with the report's margins in `@page`, the two-column header blocks, Times-like serif.

use askama::Template;
use giamsat_domain::formal::{FormalReport, Layout, Margins};

#[derive(Template)]
#[template(path = "formal_report.html")]
struct Page<'a> {
    report: &'a FormalReport,
    m: Margins,
    party: bool,
}

/// The report as a standalone, print-ready HTML page. Text is escaped by askama.
#[must_use]
pub fn html(report: &FormalReport) -> String {
    let page = Page { report, m: report.margins, party: report.layout == Layout::Party };
    // Rendering into a String can only fail if a Display impl fails, and the page displays only strings.
    page.render().unwrap_or_default()
}
