//! Golden files for every kind of mission: each `giamsat.mission/1` file under `tests/fixtures/kinds/` (and the
//! seed) gives its news article as text (`NAME.article.txt`) and its formal report as text with the default
//! settings (`NAME.formal.txt`), in the layout its system takes. Each golden file was read sentence by sentence
//! as an editor would; a change of wording shows here as a diff. `GIAMSAT_BLESS=1` rewrites them.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test: a panic is a failed test"
)]

use std::fs;
use std::path::{Path, PathBuf};

use giamsat_domain::article::compose;
use giamsat_domain::formal::{FormalSettings, Layout, build};
use giamsat_domain::interchange;
use giamsat_domain::proof::{self, Kind};

fn fixtures() -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    let mut files: Vec<(String, PathBuf)> = vec![("01-seed".to_owned(), root.join("seed-mission.json"))];
    let mut kinds: Vec<PathBuf> = fs::read_dir(root.join("kinds"))
        .expect("tests/fixtures/kinds exists")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    kinds.sort();
    for path in kinds {
        let stem = path.file_stem().and_then(|s| s.to_str()).expect("a UTF-8 name").to_owned();
        files.push((stem, path));
    }
    files
}

fn golden(name: &str, ext: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../tests/fixtures/kinds/{name}.{ext}"))
}

#[test]
fn every_kind_of_mission_matches_its_golden_article_and_formal_report() {
    let bless = std::env::var_os("GIAMSAT_BLESS").is_some();
    let mut failures = Vec::new();
    let files = fixtures();
    assert!(files.len() >= 12, "at least twelve kinds of mission, found {}", files.len());
    for (name, path) in files {
        let bytes = fs::read(&path).expect("fixture readable");
        let mission = interchange::parse(&bytes).unwrap_or_else(|e| panic!("{name} refused: {e}"));
        let article = compose(&mission).to_text();
        let formal = build(&mission, &FormalSettings::for_mission(&mission)).to_text();
        for (ext, text) in [("article.txt", &article), ("formal.txt", &formal)] {
            let file = golden(&name, ext);
            if bless {
                fs::write(&file, text).expect("golden file writable");
                continue;
            }
            let expected = fs::read_to_string(&file).unwrap_or_default();
            if &expected != text {
                failures.push(format!("{}: differs\n--- expected\n{expected}\n--- generated\n{text}", file.display()));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn no_kind_of_mission_gives_a_text_an_editor_would_strike_out() {
    let mut failures = Vec::new();
    for (name, path) in fixtures() {
        let mission = interchange::parse(&fs::read(&path).expect("fixture readable")).expect("fixture parses");
        let article = compose(&mission);
        let report = build(&mission, &FormalSettings::for_mission(&mission));
        let report_kind = match report.layout {
            Layout::Party => Kind::PartyReport,
            Layout::State => Kind::StateReport,
        };
        for (output, text, kind) in [
            ("article.txt", article.to_text(), Kind::Article),
            ("article.md", article.to_markdown(), Kind::Article),
            ("formal.txt", report.to_text(), report_kind),
        ] {
            for problem in proof::problems(&text, kind) {
                failures.push(format!("{name} {output}: {problem}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_seed_lead_is_still_the_published_lead() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    let mission = interchange::parse(&fs::read(root.join("seed-mission.json")).expect("seed")).expect("seed parses");
    let published = fs::read_to_string(root.join("seed-article.txt")).expect("seed article");
    let lead = compose(&mission).lead;
    let normalise = |s: &str| s.replace(['–', '—'], "-").split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(normalise(&published).contains(&normalise(&lead)), "{lead}");
}
