//! Every kind of mission under `tests/fixtures/kinds/` (and the seed), stored and served by the real app: each
//! survives the database unchanged, and every output a writer or a reader gets (the article preview, the
//! formal report's print page, PDF and DOCX) passes the proofreading an editor would do (`domain::proof`).

use std::path::{Path, PathBuf};

use giamsat_domain::formal::Layout;
use giamsat_domain::interchange;
use giamsat_domain::policy::Role;
use giamsat_domain::proof::{self, Kind};
use giamsat_store::audit::Actor;
use giamsat_store::missions;

use crate::support::spawn_app;

fn fixtures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("kinds"))
        .expect("tests/fixtures/kinds")
        .map(|e| e.expect("an entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files.insert(0, root.join("seed-mission.json"));
    files
}

/// The text of an HTML page: tags dropped, block ends as line breaks, entities decoded.
fn html_text(html: &str) -> String {
    let body = html.split_once("<body").and_then(|(_, b)| b.split_once('>')).map_or(html, |(_, b)| b);
    let mut out = String::new();
    let mut rest = body;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else { break };
        let tag = &rest[open + 1..open + close];
        if ["/p", "/h1", "/h2", "/h3", "br", "/div", "/li", "/header", "/footer", "/figcaption"]
            .iter()
            .any(|t| tag.starts_with(t))
        {
            out.push('\n');
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    let decoded = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&");
    decoded.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("\n")
}

/// The paragraphs of a DOCX, one a line.
fn docx_text(bytes: &[u8]) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip archive");
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("word/document.xml").expect("document.xml"), &mut xml)
        .expect("UTF-8");
    let mut out = String::new();
    for paragraph in xml.split("</w:p>") {
        for run in paragraph.split("<w:t").skip(1) {
            let text = run.split_once('>').map_or("", |(_, t)| t.split("</w:t>").next().unwrap_or_default());
            out.push_str(&text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&"));
        }
        out.push('\n');
    }
    out.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("\n")
}

fn pdf_text(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, bytes).expect("PDF written");
    // In layout mode, so that a line set with wide blanks ("Số      -BC/QU") stays one line.
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", path.to_str().expect("UTF-8 path"), "-"])
        .output()
        .expect("pdftotext (poppler-utils) runs");
    String::from_utf8(out.stdout).expect("UTF-8 text")
}

#[tokio::test]
async fn every_kind_of_mission_survives_the_database_and_every_output_passes_proofreading() {
    let app = spawn_app().await;
    let mut failures: Vec<String> = Vec::new();
    for path in fixtures() {
        let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
        let mission = interchange::parse(&std::fs::read(&path).expect("fixture")).expect("fixture parses");
        let id = missions::insert(&app.test_db.db, &mission, &Actor::system(chrono::Utc::now())).await.expect("stored");
        let stored = missions::load(&app.test_db.db, id).await.expect("loaded").mission;
        if interchange::to_json(&stored) != interchange::to_json(&mission) {
            failures.push(format!("{name}: changed by the database"));
        }
        let staff = app.user(Role::Staff, Some(app.owner_of(id).await), None).await;
        let layout = if mission.system == giamsat_domain::codes::SupervisionSystem::Party {
            Layout::Party
        } else {
            Layout::State
        };
        let report_kind = if layout == Layout::Party { Kind::PartyReport } else { Kind::StateReport };
        let article = staff.get(&format!("/missions/{id}/article")).await;
        assert_eq!(article.status(), 200, "{name}: article preview");
        let formal = staff.get(&format!("/missions/{id}/formal")).await;
        assert_eq!(formal.status(), 200, "{name}: formal print page");
        let pdf = staff.get(&format!("/missions/{id}/formal.pdf")).await;
        assert_eq!(pdf.status(), 200, "{name}: formal PDF");
        let docx = staff.get(&format!("/missions/{id}/formal.docx")).await;
        assert_eq!(docx.status(), 200, "{name}: formal DOCX");
        let outputs = [
            ("article.html", html_text(&article.text().await.expect("body")), Kind::Page),
            ("formal.html", html_text(&formal.text().await.expect("body")), report_kind),
            ("formal.pdf", pdf_text(&pdf.bytes().await.expect("body")), report_kind),
            ("formal.docx", docx_text(&docx.bytes().await.expect("body")), report_kind),
        ];
        for (output, text, kind) in outputs {
            assert!(text.len() > 200, "{name} {output}: too little text:\n{text}");
            for problem in proof::problems(&text, kind) {
                failures.push(format!("{name} {output}: {problem}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    app.cleanup().await;
}
