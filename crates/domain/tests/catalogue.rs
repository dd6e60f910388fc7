//! Vietnamese text is data: a string literal with a Vietnamese letter may appear only in the message catalogue
//! (`crates/domain/src/messages/`), the templates, the synthetic and demo data, the domain's rules of
//! Vietnamese writing, and tests. This walks the workspace's Rust sources and fails on any other, naming each
//! with its file and line, so a sentence added to a handler is moved to the catalogue before it lands.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test: a panic is a failed test"
)]

use std::path::{Path, PathBuf};

/// Where Vietnamese literals belong, relative to the workspace root, each with why.
const PERMITTED: &[(&str, &str)] = &[
    ("crates/domain/src/messages/", "the message catalogue"),
    ("crates/store/src/synthetic/", "the synthetic vocabulary and the demo's reference data"),
    ("crates/web/src/demo.rs", "the demo data `giamsat serve --demo` loads"),
    ("crates/domain/src/docnum.rs", "the document codes the parser reads (QĐ, HĐND …)"),
    ("crates/domain/src/date.rs", "the administrative date forms the parser reads and writes"),
    ("crates/domain/src/text.rs", "Vietnamese collation and list joining"),
    ("crates/domain/src/proof.rs", "the phrases the proofreader looks for"),
];

/// Directories and files never scanned: tests, benches, fuzzing and build output.
fn skipped(relative: &str) -> bool {
    relative.starts_with("target/")
        || relative.starts_with("tests/")
        || relative.starts_with("fuzz/")
        || relative.starts_with("bench/")
        || relative.contains("/tests/")
        || relative.contains("/benches/")
        || relative.ends_with("/tests.rs")
        || relative.contains("/snapshots/")
}

fn is_vietnamese(c: char) -> bool {
    // Latin letters with Vietnamese diacritics (Latin-1 Supplement, Latin Extended-A/B and Additional).
    matches!(c, 'À'..='ỹ') && c.is_alphabetic() && !matches!(c, '×' | '÷')
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("reads the directory") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            if !path.ends_with("target") && !path.ends_with(".git") && !path.ends_with("node_modules") {
                rust_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The string literals of `source` outside comments and before its `#[cfg(test)]` module, with their lines.
fn literals(source: &str) -> Vec<(usize, String)> {
    let code = source.split("#[cfg(test)]").next().unwrap_or_default();
    let mut found = Vec::new();
    let mut chars = code.chars().peekable();
    let mut line = 1;
    while let Some(c) = chars.next() {
        match c {
            '\n' => line += 1,
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        line += 1;
                        break;
                    }
                }
            }
            '\'' => {
                // A char literal ('"', '\'') or a lifetime: skip a quoted character so its quote is not read
                // as the start of a string.
                let mut ahead = chars.clone();
                match (ahead.next(), ahead.next(), ahead.next()) {
                    (Some('\\'), Some(_), Some('\'')) => {
                        chars.nth(2);
                    }
                    (Some(_), Some('\''), _) => {
                        chars.nth(1);
                    }
                    _ => {}
                }
            }
            '"' => {
                let start = line;
                let mut text = String::new();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            if let Some(escaped) = chars.next() {
                                if escaped == '\n' {
                                    line += 1;
                                }
                                text.push(escaped);
                            }
                        }
                        '"' => break,
                        '\n' => {
                            line += 1;
                            text.push(c);
                        }
                        _ => text.push(c),
                    }
                }
                found.push((start, text));
            }
            _ => {}
        }
    }
    found
}

#[test]
fn vietnamese_literals_live_only_in_the_catalogue_templates_data_and_tests() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("the workspace root");
    let mut files = Vec::new();
    rust_files(&root.join("crates"), &mut files);
    rust_files(&root.join("migrations"), &mut files);
    rust_files(&root.join("tools"), &mut files);
    assert!(files.len() > 50, "the sources were found: {}", files.len());
    let mut misplaced = Vec::new();
    for file in files {
        let relative = file.strip_prefix(&root).expect("inside the root").to_string_lossy().replace('\\', "/");
        if skipped(&relative) || PERMITTED.iter().any(|(place, _)| relative.starts_with(place)) {
            continue;
        }
        let source = std::fs::read_to_string(&file).expect("reads the source");
        for (line, text) in literals(&source) {
            if text.chars().any(is_vietnamese) {
                misplaced.push(format!("{relative}:{line}: \"{}\"", text.chars().take(70).collect::<String>()));
            }
        }
    }
    assert!(
        misplaced.is_empty(),
        "{} Vietnamese literals outside the catalogue (crates/domain/src/messages/), templates and data; move them:\n{}",
        misplaced.len(),
        misplaced.join("\n")
    );
}

#[test]
fn the_scanner_finds_literals_and_skips_comments_chars_and_tests() {
    let source = "let a = \"Đã lưu\"; // \"bình luận\"\nlet q = '\"'; let b = \"x\\\"y\";\n/// \"tài liệu\"\n\
                  #[cfg(test)]\nmod tests { \"kiểm thử\" }";
    let found = literals(source);
    assert_eq!(found, [(1, "Đã lưu".to_owned()), (2, "x\"y".to_owned())]);
    assert!(is_vietnamese('đ') && is_vietnamese('Ư') && is_vietnamese('ỹ') && is_vietnamese('é'));
    assert!(!is_vietnamese('a') && !is_vietnamese('—') && !is_vietnamese('×') && !is_vietnamese('«'));
}
