//! End-to-end tests: the real app on a real, freshly migrated database (SQLite, or PostgreSQL when
//! `GIAMSAT_TEST_DATABASE_URL` is set), spoken to over HTTP, and the real `giamsat` binary.

mod api;
mod auth;
mod authz;
mod cli;
mod forms;
mod pages;
mod perf;
mod reports;
mod support;
