//! The checks each fuzz target runs on one input, shared by the libFuzzer targets and the stable replay test.
//! A check panics when a property fails; the parsers themselves must never panic.

use giamsat_domain::date::{Term, format_numeric, parse_date};
use giamsat_domain::docnum::DocumentNumber;
use giamsat_domain::interchange;

/// A parsed document number reads back the same from its canonical form.
pub fn docnum(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(number) = DocumentNumber::parse(text) {
        let canonical = number.canonical();
        let again = DocumentNumber::parse(&canonical)
            .unwrap_or_else(|e| panic!("{text:?} → {canonical:?} no longer parses: {e:?}"));
        assert_eq!(again.canonical(), canonical, "{text:?}");
    }
}

/// A parsed date reads back the same from its numeric form; terms never panic.
pub fn date(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(day) = parse_date(text) {
        assert_eq!(parse_date(&format_numeric(day)), Ok(day), "{text:?}");
    }
    let _ = Term::parse(text);
}

/// An accepted file exports to bytes that import to the same mission and export to the same bytes.
pub fn interchange(data: &[u8]) {
    if let Ok(mission) = interchange::parse(data) {
        let exported = interchange::to_json(&mission);
        let again = interchange::parse(exported.as_bytes())
            .unwrap_or_else(|e| panic!("an exported mission is refused on import: {e}"));
        assert_eq!(interchange::to_json(&again), exported);
    }
}
