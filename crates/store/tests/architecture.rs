//! Checks of the code's shape that `cargo` does not make: no module of the store imports, through others, itself
//! (each module can be read and changed from its leaves up), and the time of every change comes from the
//! caller's clock (the web's `state.clock`), so a test with a fixed clock fixes every timestamp.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test: a panic is a failed test"
)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, sorted.
fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// The source without comments, string and character literals (kept as `""`), so a doc link or a message
/// naming `crate::x` is no import.
fn code_of(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if c == 'r'
            && (next == Some('"') || next == Some('#'))
            && !chars[..i].last().is_some_and(|p| p.is_alphanumeric() || *p == '_')
        {
            // A raw string: r"…", r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                if j >= chars.len() {
                    break;
                }
                if chars[j] == '"' && (0..hashes).all(|h| chars.get(j + 1 + h) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            out.push_str("\"\"");
            i = j;
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' && next == Some('\\') {
            i += 2;
            while i < chars.len() && chars[i] != '\'' {
                i += 1;
            }
            i += 1;
            out.push_str("' '");
        } else if c == '\'' && next.is_some() && chars.get(i + 2) == Some(&'\'') {
            out.push_str("' '");
            i += 3;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// `code` without its `#[cfg(test)]` items (the `mod tests { … }` blocks and single test-only items).
fn without_tests(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        // The item ends at its block's closing brace, or at `;` for an item without a block.
        let (mut depth, mut end) = (0usize, after.len());
        for (i, c) in after.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i + 1;
                        break;
                    }
                }
                ';' if depth == 0 => {
                    end = i + 1;
                    break;
                }
                _ => {}
            }
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// The module path of a source file under `src`: `ledger.rs` → `ledger`, `synthetic/mod.rs` → `synthetic`,
/// `entities/users.rs` → `entities::users`; `lib.rs` → `` (the crate root).
fn module_of(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = relative.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
        parts.pop();
    }
    parts.join("::")
}

/// The paths named after `crate::` in `code`, groups expanded: `crate::{a, b::{c, d}}` → `a`, `b::c`, `b::d`.
fn crate_paths(code: &str) -> Vec<String> {
    fn tree(text: &str, prefix: &str, out: &mut Vec<String>) -> usize {
        // Reads one use tree at the start of `text`; returns the bytes it took.
        let mut path = prefix.to_owned();
        let mut i = 0;
        let bytes = text.as_bytes();
        loop {
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < bytes.len() && bytes[i] == b'{' {
                i += 1;
                loop {
                    while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b',') {
                        i += 1;
                    }
                    if i >= bytes.len() || bytes[i] == b'}' {
                        return i + 1;
                    }
                    i += tree(&text[i..], &path, out);
                }
            }
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            if start == i {
                out.push(path);
                return i;
            }
            if !path.is_empty() {
                path.push_str("::");
            }
            path.push_str(&text[start..i]);
            if text[i..].starts_with("::") {
                i += 2;
            } else {
                out.push(path);
                return i;
            }
        }
    }
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let before_ok = !rest[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '$');
        rest = &rest[at + "crate::".len()..];
        if before_ok {
            let taken = tree(rest, "", &mut out);
            rest = &rest[taken.min(rest.len())..];
        }
    }
    out
}

/// The store's modules and, for each, the modules its code (tests included) names.
fn store_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = sources(&src);
    let modules: BTreeSet<String> = files.iter().map(|f| module_of(&src, f)).collect();
    let mut graph = BTreeMap::new();
    for file in &files {
        let from = module_of(&src, file);
        if from.is_empty() {
            // The crate root declares every module; its own items (`Db`, `StoreError`, `migrate`) are
            // re-exports or entry points no module builds on.
            continue;
        }
        let code = code_of(&std::fs::read_to_string(file).unwrap());
        let mut to = BTreeSet::new();
        for path in crate_paths(&code) {
            // The deepest module the path names (`ledger::Filter` → `ledger`, `entities::users::Model` →
            // `entities::users`); a path into the root only names a re-export, skipped as the root is.
            let segments: Vec<&str> = path.split("::").collect();
            let target = (1..=segments.len())
                .rev()
                .map(|n| segments[..n].join("::"))
                .find(|candidate| modules.contains(candidate));
            if let Some(target) = target.filter(|t| *t != from && !from.starts_with(&format!("{t}::"))) {
                // A submodule importing its parent's sibling through the parent is an edge to the parent, and a
                // parent reaching its own submodules is structure, not a cycle.
                if !target.starts_with(&format!("{from}::")) {
                    to.insert(target);
                }
            }
        }
        graph.insert(from, to);
    }
    graph
}

/// A cycle in `graph`, as the modules along it (first repeated at the end), if there is one.
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        marks: &mut BTreeMap<String, Mark>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match marks.get(node) {
            Some(Mark::Done) => return None,
            Some(Mark::Open) => {
                let start = path.iter().position(|p| p == node).unwrap();
                let mut found = path[start..].to_vec();
                found.push(node.to_owned());
                return Some(found);
            }
            None => {}
        }
        marks.insert(node.to_owned(), Mark::Open);
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(found) = visit(next, graph, marks, path) {
                return Some(found);
            }
        }
        path.pop();
        marks.insert(node.to_owned(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    graph.keys().find_map(|node| visit(node, graph, &mut marks, &mut Vec::new()))
}

#[test]
fn the_parser_reads_groups_and_skips_comments_and_strings() {
    let code = code_of(
        "use crate::{Db, ledger::{self, Filter}, names};\n// crate::dashboard\nlet s = \"crate::links\";\n\
         crate::units::on(x); let c = '\"'; crate::db::begin_write(&db); /* crate::search */",
    );
    let paths = crate_paths(&code);
    assert_eq!(paths, ["Db", "ledger::self", "ledger::Filter", "names", "units::on", "db::begin_write"]);
    let mut graph = BTreeMap::new();
    graph.insert("a".to_owned(), BTreeSet::from(["b".to_owned()]));
    graph.insert("b".to_owned(), BTreeSet::from(["c".to_owned()]));
    graph.insert("c".to_owned(), BTreeSet::from(["a".to_owned()]));
    assert_eq!(cycle(&graph), Some(vec!["a".into(), "b".into(), "c".into(), "a".into()]));
    graph.insert("c".to_owned(), BTreeSet::new());
    assert_eq!(cycle(&graph), None);
    assert_eq!(without_tests("a\n#[cfg(test)]\nmod tests { fn f() { g(); } }\nb"), "a\n\nb");
}

#[test]
fn no_module_of_the_store_reaches_itself_through_its_imports() {
    let graph = store_graph();
    assert!(graph.contains_key("ledger") && graph["ledger"].contains("entities::recommendations"), "{graph:?}");
    if let Some(found) = cycle(&graph) {
        panic!("module cycle in crates/store: {}", found.join(" → "));
    }
}

/// The files allowed to read the system clock: the web's `Clock::system` and the command line, which reads it
/// once per command for what it writes.
const SYSTEM_CLOCK: [&str; 2] = ["web/src/auth/session.rs", "web/src/cli.rs"];

#[test]
fn only_the_clock_and_the_command_line_read_the_system_time() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf();
    let mut offenders = Vec::new();
    for dir in ["store/src", "web/src"] {
        for file in sources(&crates.join(dir)) {
            let name = file.strip_prefix(&crates).unwrap().to_string_lossy().replace('\\', "/");
            if SYSTEM_CLOCK.contains(&name.as_str()) {
                continue;
            }
            let code = without_tests(&code_of(&std::fs::read_to_string(&file).unwrap()));
            for reading in ["Utc::now", "Local::now", "SystemTime::now"] {
                if code.contains(reading) {
                    offenders.push(format!("{name}: {reading}"));
                }
            }
        }
    }
    assert!(offenders.is_empty(), "the time must come from the caller's clock (state.clock): {offenders:?}");
}
