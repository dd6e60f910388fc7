//! The giamsat application: configuration, the command line, the HTTP router and its pages.
//!
//! `build_router(state)` is a pure function: tests call it directly on a fresh database.

pub mod auth;
pub mod cli;
pub mod config;
pub mod csrf;
pub mod demo;
pub mod error;
pub mod fonts;
pub mod forms;
pub mod input;
pub mod page_cache;
pub mod pages;
pub mod portal_cache;
pub mod precompressed;
pub mod reminders;
pub mod router;
pub mod state;
pub mod storage;
pub mod views;

pub use router::build_router;
pub use state::AppState;

/// The seed mission, imported as demo data into an empty database.
pub const DEMO_MISSION: &str = include_str!("../../../tests/fixtures/seed-mission.json");
