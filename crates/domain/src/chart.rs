//! Progress charts drawn on the server as SVG (no JavaScript): one horizontal bar per row, split into settled,
//! open and overdue items, with the counts written out so the chart reads without colour too, and a legend
//! that says which colour is which. Long labels (a mission's full name, an organisation's) wrap onto two lines
//! at word boundaries and end with "…" beyond that; the full label is each row's `<title>`, shown on hover and
//! read by screen readers.

use crate::messages::ledger as wording;

/// One bar: its label and how many items are settled, open (not overdue) and overdue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    pub label: String,
    pub settled: u32,
    pub open: u32,
    pub overdue: u32,
}

impl Bar {
    /// Counts one item where it stands.
    pub fn count(&mut self, standing: crate::recommendation::Standing) {
        use crate::recommendation::Standing;
        match standing {
            Standing::Settled => self.settled += 1,
            Standing::Open => self.open += 1,
            Standing::Overdue => self.overdue += 1,
        }
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

const ROW: u32 = 40;
const LABEL: u32 = 260;
const WIDTH: u32 = 420;
/// The legend's height above the bars.
const LEGEND: u32 = 44;
/// The characters of a label line that fit in [`LABEL`] pixels at 12 px (Vietnamese letters average ~6 px).
const LINE_CHARS: usize = 40;
/// Settled, open, overdue: green, blue, red (contrast ≥ 4.5:1 on white).
const COLOURS: [&str; 3] = ["#2e7d32", "#1565c0", "#c62828"];

/// `label` in at most two lines of [`LINE_CHARS`] characters, broken between words; what does not fit ends the
/// second line with "…". A word longer than a line is cut.
fn label_lines(label: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut cut = false;
    for word in label.split_whitespace() {
        cut |= word.chars().count() > LINE_CHARS;
        let word: String = word.chars().take(LINE_CHARS).collect();
        if current.is_empty() || current.chars().count() + 1 + word.chars().count() <= LINE_CHARS {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(&word);
        } else if lines.is_empty() {
            lines.push(std::mem::replace(&mut current, word));
        } else {
            cut = true;
            break;
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    if let (true, Some(last)) = (cut, lines.last_mut()) {
        let kept: String = last.chars().take(LINE_CHARS - 1).collect();
        *last = format!("{}…", kept.trim_end());
    }
    lines
}

/// The chart titled `title` (also its accessible name).
#[must_use]
pub fn bars(title: &str, rows: &[Bar]) -> String {
    let count = u32::try_from(rows.len()).unwrap_or(u32::MAX / ROW - 2);
    let height = LEGEND + ROW * count.saturating_add(1);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"{t}\" viewBox=\"0 0 {w} {height}\" \
         width=\"{w}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\"><title>{t}</title>",
        t = escape(title),
        w = LABEL + WIDTH + 120,
    );
    svg.push_str("<g class=\"legend\">");
    let mut x = 0;
    for (name, colour) in wording::CHART_LEGEND.iter().zip(COLOURS) {
        svg.push_str(&format!(
            "<rect x=\"{x}\" y=\"2\" width=\"12\" height=\"12\" fill=\"{colour}\"/><text x=\"{}\" y=\"12\">{}</text>",
            x + 16,
            escape(name)
        ));
        x += 16 + 7 * u32::try_from(name.chars().count()).unwrap_or(0) + 16;
    }
    svg.push_str(&format!("<text x=\"0\" y=\"32\" fill=\"#555\">{}</text></g>", escape(wording::CHART_FIGURES)));
    let most = rows.iter().map(|r| r.settled + r.open + r.overdue).max().unwrap_or(0).max(1);
    for (i, row) in rows.iter().enumerate() {
        let y = LEGEND + ROW * u32::try_from(i).unwrap_or(0) + 6;
        svg.push_str(&format!("<g><title>{}</title><text x=\"0\" y=\"{}\">", escape(&row.label), y + 11));
        for (n, line) in label_lines(&row.label).iter().enumerate() {
            let dy = if n == 0 { 0 } else { 14 };
            svg.push_str(&format!("<tspan x=\"0\" dy=\"{dy}\">{}</tspan>", escape(line)));
        }
        svg.push_str("</text>");
        let mut x = LABEL;
        for (count, colour) in [row.settled, row.open, row.overdue].into_iter().zip(COLOURS) {
            let w = count * WIDTH / most;
            if w > 0 {
                svg.push_str(&format!("<rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"18\" fill=\"{colour}\"/>"));
            }
            x += w;
        }
        svg.push_str(&format!(
            "<text x=\"{}\" y=\"{}\">{}/{}/{}</text></g>",
            x + 6,
            y + 13,
            row.settled,
            row.open,
            row.overdue
        ));
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_proportional_and_labels_escaped() {
        let rows = [
            Bar { label: "Đoàn <5>".to_owned(), settled: 2, open: 1, overdue: 1 },
            Bar { label: "Phường Hàng Bạc".to_owned(), settled: 0, open: 2, overdue: 0 },
        ];
        let svg = bars("Tiến độ", &rows);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("Đoàn &lt;5&gt;") && !svg.contains("<5>"));
        assert!(svg.contains("width=\"210\" height=\"18\" fill=\"#2e7d32\""), "2 of 4 is half the width: {svg}");
        assert!(svg.contains(">2/1/1<") && svg.contains(">0/2/0<"));
        assert!(bars("Trống", &[]).contains("<title>Trống</title>"));
    }

    #[test]
    fn the_legend_names_each_colour_and_the_figures() {
        let svg = bars("Tiến độ", &[]);
        for (name, colour) in wording::CHART_LEGEND.iter().zip(COLOURS) {
            let at = svg.find(&format!("fill=\"{colour}\"/><text")).expect("a swatch");
            assert!(svg[at..].starts_with(&format!("fill=\"{colour}\"/><text x=")), "{svg}");
            assert!(svg[at..].split("</text>").next().unwrap().ends_with(name), "{name} beside {colour}: {svg}");
        }
        assert!(svg.contains(wording::CHART_FIGURES));
    }

    #[test]
    fn long_labels_wrap_at_words_and_keep_the_full_name_in_a_title() {
        let name = "Đoàn giám sát của Ban Thường trực Ủy ban MTTQ Việt Nam quận Hoàn Kiếm — 109-QĐ/QU, 2021";
        let lines = label_lines(name);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines.iter().all(|l| l.chars().count() <= LINE_CHARS), "{lines:?}");
        assert_eq!(lines[0], "Đoàn giám sát của Ban Thường trực Ủy ban");
        assert!(lines[1].ends_with('…') && lines[1].starts_with("MTTQ Việt Nam quận"), "{lines:?}");
        let svg = bars("Tiến độ", &[Bar { label: name.to_owned(), settled: 1, open: 0, overdue: 0 }]);
        assert!(svg.contains(&format!("<g><title>{name}</title>")), "the full name on hover: {svg}");
        assert_eq!(label_lines("Phường Hàng Bạc"), ["Phường Hàng Bạc"], "a short label is kept whole");
        assert_eq!(
            label_lines("Đoàn Giám sát số 5 — 109-QĐ/QU, 2021"),
            ["Đoàn Giám sát số 5 — 109-QĐ/QU, 2021"],
            "a name that fits is not cut"
        );
        let fits_in_two = "Ban Pháp chế HĐND tỉnh Tây Ninh — 45/QĐ-HĐND, 2023";
        assert_eq!(label_lines(fits_in_two).concat().chars().count() + 1, fits_in_two.chars().count(), "not cut");
        assert_eq!(label_lines(&"x".repeat(100))[0].chars().count(), LINE_CHARS, "one long word is cut");
    }
}
