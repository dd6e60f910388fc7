//! The words of a mission's name (`crate::naming`).

/// Between the team and its decision: an em dash with spaces, as the committees write it.
pub const SEPARATOR: &str = " — ";
/// A mission that names neither its team nor its supervising body.
pub const UNNAMED_TEAM: &str = "Đoàn giám sát";
