//! The CSV the ledger exports and imports (RFC 4180: comma-separated, fields in double quotes with `""` for a
//! quote, CRLF or LF line ends), with the byte-order mark Excel writes and reads, and the formula neutralisation
//! of exports undone on the way back in.

/// A CSV that does not parse: a quoted field never closed, from this line (1-based) on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct UnclosedQuote {
    pub line: usize,
}

/// The records of `text`, each with the line it starts on (1-based); blank lines are skipped.
///
/// # Errors
/// [`UnclosedQuote`] when a quoted field runs to the end of the text.
pub fn parse(text: &str) -> Result<Vec<(usize, Vec<String>)>, UnclosedQuote> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let (mut line, mut start) = (1, 1);
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => {
                if c == '\n' {
                    line += 1;
                }
                field.push(c);
            }
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                if record.iter().any(|f| !f.is_empty()) {
                    records.push((start, std::mem::take(&mut record)));
                }
                record.clear();
                line += 1;
                start = line;
            }
            (false, c) => field.push(c),
        }
    }
    if quoted {
        return Err(UnclosedQuote { line: start });
    }
    record.push(field);
    if record.iter().any(|f| !f.is_empty()) {
        records.push((start, record));
    }
    Ok(records)
}

/// A cell as exported: a leading `'` where a spreadsheet would read a formula.
#[must_use]
pub fn neutralise(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{value}") } else { value.to_owned() }
}

/// A cell as imported: the `'` [`neutralise`] added is taken off again.
#[must_use]
pub fn restore(value: &str) -> &str {
    match value.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => value,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_fields_keep_commas_quotes_and_line_breaks() {
        let text = "\u{feff}\"Mã\",\"Nội dung\"\r\n\"1\",\"a, \"\"b\"\"\nc\"\r\n\r\n2,plain\n";
        let records = parse(text).expect("parses");
        assert_eq!(
            records,
            vec![
                (1, vec!["Mã".to_owned(), "Nội dung".to_owned()]),
                (2, vec!["1".to_owned(), "a, \"b\"\nc".to_owned()]),
                (5, vec!["2".to_owned(), "plain".to_owned()]),
            ]
        );
        assert_eq!(parse("a,\"b\nc"), Err(UnclosedQuote { line: 1 }));
    }

    #[test]
    fn neutralised_cells_come_back_as_they_were() {
        for value in ["=1+1", "-2", "@x", "+84", "Hàng Bạc", "'quoted", ""] {
            assert_eq!(restore(&neutralise(value)), value);
        }
        assert_eq!(neutralise("=SUM(A1)"), "'=SUM(A1)");
    }
}
