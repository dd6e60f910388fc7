//! The giamsat domain: supervision missions (Đoàn giám sát) of Party committees and People's Councils.
//!
//! This crate is pure: it knows nothing of HTTP, templates, databases or the async runtime, and does no I/O.
//! Input is parsed once into the types here (`DocumentNumber`, `Period`, `Mission` …) so that invalid states
//! cannot be built; every user-facing Vietnamese sentence lives in [`messages`].

pub mod article;
pub mod audit_diff;
pub mod calendar;
pub mod chart;
pub mod codes;
pub mod csv;
pub mod date;
pub mod docnum;
pub mod formal;
pub mod interchange;
pub mod messages;
pub mod mission;
pub mod naming;
pub mod org;
pub mod policy;
pub mod proof;
pub mod recommendation;
pub mod report;
pub mod search;
pub mod text;
pub mod workflow;
