//! Field-by-field differences between an audit row's `before` and `after`, so administrators read what changed
//! instead of two JSON blobs.
//!
//! Both sides are parsed as JSON and walked together: nested objects give dotted paths (`header.team_name`),
//! arrays give their 1-based position in brackets (`members[2].name`, as a reader counts). Unchanged fields are
//! left out. A side that is not JSON (a state code, a comment) is compared as text, under an empty path.

use serde_json::Value;

/// What happened to one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldChange {
    Changed { old: String, new: String },
    Added(String),
    Removed(String),
}

/// One changed field: its path (empty for a whole value that is not an object or array) and the change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffLine {
    pub path: String,
    pub change: FieldChange,
}

/// The changed fields from `before` to `after`, each value cut to `max_chars` characters (ending with "…").
///
/// `None` on a side means the row has no value there (a creation, a removal): every field of the other side is
/// then added or removed.
#[must_use]
pub fn diff(before: Option<&str>, after: Option<&str>, max_chars: usize) -> Vec<DiffLine> {
    fn parse(s: Option<&str>) -> Option<Result<Value, &str>> {
        s.map(|s| serde_json::from_str::<Value>(s).map_err(|_| s))
    }
    let mut out = Vec::new();
    match (parse(before), parse(after)) {
        (Some(Ok(a)), Some(Ok(b))) => walk(String::new(), Some(&a), Some(&b), max_chars, &mut out),
        (Some(Ok(a)), None) => walk(String::new(), Some(&a), None, max_chars, &mut out),
        (None, Some(Ok(b))) => walk(String::new(), None, Some(&b), max_chars, &mut out),
        (None, None) => {}
        // One side is not JSON: compare the texts as they are.
        (a, b) => {
            let text = |side: Option<Result<Value, &str>>| {
                side.map(|r| match r {
                    Ok(v) => leaf(&v),
                    Err(s) => s.trim().to_owned(),
                })
            };
            if let Some(change) = leaf_change(text(a), text(b), max_chars) {
                out.push(DiffLine { path: String::new(), change });
            }
        }
    }
    out
}

/// Cuts `text` to at most `max_chars` characters, the last being "…" when anything was left out.
#[must_use]
pub fn cut(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max_chars.saturating_sub(1)).collect();
    out.push('…');
    out
}

fn walk(path: String, a: Option<&Value>, b: Option<&Value>, max_chars: usize, out: &mut Vec<DiffLine>) {
    match (a, b) {
        (Some(Value::Object(x)), Some(Value::Object(y))) => {
            // The fields in the order the document has them (by key if serde_json does not keep it), the new
            // ones last.
            for key in x.keys().chain(y.keys().filter(|k| !x.contains_key(*k))) {
                walk(join(&path, key), x.get(key), y.get(key), max_chars, out);
            }
        }
        (Some(Value::Array(x)), Some(Value::Array(y))) => {
            for i in 0..x.len().max(y.len()) {
                walk(index(&path, i), x.get(i), y.get(i), max_chars, out);
            }
        }
        (Some(x), Some(y)) if x == y => {}
        (Some(x), Some(y)) if is_container(x) || is_container(y) => {
            // A field that changed shape (a list became text …): all of the old one went, all of the new came.
            walk(path.clone(), Some(x), None, max_chars, out);
            walk(path, None, Some(y), max_chars, out);
        }
        (Some(x), None) if is_container(x) && !is_empty_container(x) => each_child(&path, x, true, max_chars, out),
        (None, Some(y)) if is_container(y) && !is_empty_container(y) => each_child(&path, y, false, max_chars, out),
        (x, y) => {
            if let Some(change) = leaf_change(x.map(leaf), y.map(leaf), max_chars) {
                out.push(DiffLine { path, change });
            }
        }
    }
}

fn each_child(path: &str, value: &Value, removed: bool, max_chars: usize, out: &mut Vec<DiffLine>) {
    let mut visit = |p: String, v: &Value| {
        if removed { walk(p, Some(v), None, max_chars, out) } else { walk(p, None, Some(v), max_chars, out) }
    };
    match value {
        Value::Object(map) => map.iter().for_each(|(k, v)| visit(join(path, k), v)),
        Value::Array(items) => items.iter().enumerate().for_each(|(i, v)| visit(index(path, i), v)),
        _ => {}
    }
}

fn leaf_change(old: Option<String>, new: Option<String>, max_chars: usize) -> Option<FieldChange> {
    // A value emptied is a value removed, one set where there was none is added; an empty value appearing or
    // going is no news.
    let old = old.filter(|v| !v.is_empty());
    let new = new.filter(|v| !v.is_empty());
    match (old, new) {
        (Some(old), Some(new)) if old == new => None,
        (Some(old), Some(new)) => Some(FieldChange::Changed { old: cut(&old, max_chars), new: cut(&new, max_chars) }),
        (Some(old), None) => Some(FieldChange::Removed(cut(&old, max_chars))),
        (None, Some(new)) => Some(FieldChange::Added(cut(&new, max_chars))),
        (None, None) => None,
    }
}

const fn is_container(v: &Value) -> bool {
    matches!(v, Value::Object(_) | Value::Array(_))
}

fn is_empty_container(v: &Value) -> bool {
    match v {
        Value::Object(m) => m.is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

/// A value as a reader sees it: text without its quotes, `null` and empty lists and objects as nothing.
fn leaf(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(a) if a.is_empty() => String::new(),
        Value::Object(m) if m.is_empty() => String::new(),
        other => other.to_string(),
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() { key.to_owned() } else { format!("{path}.{key}") }
}

fn index(path: &str, i: usize) -> String {
    format!("{path}[{}]", i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn changed(path: &str, old: &str, new: &str) -> DiffLine {
        DiffLine { path: path.to_owned(), change: FieldChange::Changed { old: old.to_owned(), new: new.to_owned() } }
    }

    #[test]
    fn only_changed_fields_with_nested_paths() {
        let before = r#"{"title":"Cũ","header":{"team":"A","year":2024},"same":1}"#;
        let after = r#"{"title":"Mới","header":{"team":"B","year":2024},"same":1}"#;
        assert_eq!(
            diff(Some(before), Some(after), 80),
            vec![changed("title", "Cũ", "Mới"), changed("header.team", "A", "B")]
        );
    }

    #[test]
    fn arrays_by_position_counted_from_one() {
        let before = r#"{"members":[{"name":"An","position":"x"},{"name":"Bình"}]}"#;
        let after = r#"{"members":[{"name":"An","position":"y"},{"name":"Bình"},{"name":"Chi","position":null}]}"#;
        assert_eq!(
            diff(Some(before), Some(after), 80),
            vec![
                changed("members[1].position", "x", "y"),
                DiffLine { path: "members[3].name".to_owned(), change: FieldChange::Added("Chi".to_owned()) },
            ]
        );
    }

    #[test]
    fn added_and_removed_fields() {
        let before = r#"{"a":"1","gone":{"deep":"x"}}"#;
        let after = r#"{"a":"1","new":true}"#;
        assert_eq!(
            diff(Some(before), Some(after), 80),
            vec![
                DiffLine { path: "gone.deep".to_owned(), change: FieldChange::Removed("x".to_owned()) },
                DiffLine { path: "new".to_owned(), change: FieldChange::Added("true".to_owned()) },
            ]
        );
    }

    #[test]
    fn one_side_missing_lists_every_field() {
        assert_eq!(
            diff(None, Some(r#"{"hash":"ab","number":1}"#), 80),
            vec![
                DiffLine { path: "hash".to_owned(), change: FieldChange::Added("ab".to_owned()) },
                DiffLine { path: "number".to_owned(), change: FieldChange::Added("1".to_owned()) },
            ]
        );
        assert_eq!(
            diff(Some(r#"["a"]"#), None, 80),
            vec![DiffLine { path: "[1]".to_owned(), change: FieldChange::Removed("a".to_owned()) }]
        );
        assert!(diff(None, None, 80).is_empty());
    }

    #[test]
    fn text_that_is_not_json_is_compared_as_text() {
        assert_eq!(diff(Some("draft"), Some("awaiting_approval"), 80), vec![changed("", "draft", "awaiting_approval")]);
        assert_eq!(
            diff(None, Some("Sửa lại đoạn 2 {"), 80),
            vec![DiffLine { path: String::new(), change: FieldChange::Added("Sửa lại đoạn 2 {".to_owned()) }]
        );
        assert_eq!(diff(Some("\"x\""), Some("not json"), 80), vec![changed("", "x", "not json")]);
        assert!(diff(Some("same"), Some("same"), 80).is_empty());
    }

    #[test]
    fn a_field_that_changes_shape() {
        assert_eq!(
            diff(Some(r#"{"a":["x"]}"#), Some(r#"{"a":"y"}"#), 80),
            vec![
                DiffLine { path: "a[1]".to_owned(), change: FieldChange::Removed("x".to_owned()) },
                DiffLine { path: "a".to_owned(), change: FieldChange::Added("y".to_owned()) },
            ]
        );
    }

    #[test]
    fn empty_values_appearing_are_not_news_and_nothing_shows_braces() {
        assert!(diff(Some(r#"{"a":"x"}"#), Some(r#"{"a":"x","b":null,"c":[],"d":{}}"#), 80).is_empty());
        assert_eq!(
            diff(Some(r#"{"a":null,"b":"y"}"#), Some(r#"{"a":"x","b":""}"#), 80),
            vec![
                DiffLine { path: "a".to_owned(), change: FieldChange::Added("x".to_owned()) },
                DiffLine { path: "b".to_owned(), change: FieldChange::Removed("y".to_owned()) },
            ]
        );
    }

    #[test]
    fn long_values_are_cut() {
        let long = "ă".repeat(100);
        let lines = diff(Some(r#"{"a":"b"}"#), Some(&format!(r#"{{"a":"{long}"}}"#)), 10);
        assert_eq!(lines, vec![changed("a", "b", &format!("{}…", "ă".repeat(9)))]);
        assert_eq!(cut("abc", 3), "abc");
        assert_eq!(cut("abcd", 3), "ab…");
    }
}
