//! Progress charts drawn on the server as SVG (no JavaScript): one horizontal bar per row, split into settled,
//! open and overdue items, with the counts written out so the chart reads without colour too.

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

const ROW: u32 = 28;
const LABEL: u32 = 260;
const WIDTH: u32 = 420;

/// The chart titled `title` (also its accessible name).
#[must_use]
pub fn bars(title: &str, rows: &[Bar]) -> String {
    let height = ROW * u32::try_from(rows.len()).unwrap_or(u32::MAX / ROW - 1).saturating_add(1);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"{t}\" viewBox=\"0 0 {w} {height}\" \
         width=\"{w}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\"><title>{t}</title>",
        t = escape(title),
        w = LABEL + WIDTH + 120,
    );
    let most = rows.iter().map(|r| r.settled + r.open + r.overdue).max().unwrap_or(0).max(1);
    for (i, row) in rows.iter().enumerate() {
        let y = ROW * u32::try_from(i).unwrap_or(0) + 6;
        svg.push_str(&format!("<text x=\"0\" y=\"{}\">{}</text>", y + 13, escape(&row.label)));
        let mut x = LABEL;
        for (count, colour) in [(row.settled, "#2e7d32"), (row.open, "#1565c0"), (row.overdue, "#c62828")] {
            let w = count * WIDTH / most;
            if w > 0 {
                svg.push_str(&format!("<rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"18\" fill=\"{colour}\"/>"));
            }
            x += w;
        }
        svg.push_str(&format!(
            "<text x=\"{}\" y=\"{}\">{}/{}/{}</text>",
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
}
