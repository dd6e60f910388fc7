//! End-to-end tests: the real app on a real, freshly migrated database (SQLite, or PostgreSQL when
//! `GIAMSAT_TEST_DATABASE_URL` is set), spoken to over HTTP, and the real `giamsat` binary.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test: a panic is a failed test"
)]

mod api;
mod auth;
mod authz;
mod bad_input;
mod cli;
mod clock;
mod concurrency;
mod disk_full;
mod formal;
mod forms;
mod instances;
mod ledger;
mod limits;
mod mywork;
mod naming;
mod page_cache;
mod pages;
mod perf;
mod pg_backup;
mod record;
mod reminders;
mod report_kinds;
mod reports;
mod saved;
mod support;
