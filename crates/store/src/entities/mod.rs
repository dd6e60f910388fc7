//! sea-orm entities, one per table, kept apart from hand-written code: rows only, no invariants.
//! Rows are turned into domain types (and checked on the way) in `crate::mapping`.

pub mod admin_units;
pub mod api_tokens;
pub mod audit_events;
pub mod auth_sessions;
pub mod calendar_feeds;
pub mod decisions;
pub mod finding_targets;
pub mod findings;
pub mod job_leases;
pub mod login_attempts;
pub mod mission_assignments;
pub mod mission_members;
pub mod missions;
pub mod one_time_tokens;
pub mod organisation_formal_settings;
pub mod organisations;
pub mod people;
pub mod photos;
pub mod position_assignments;
pub mod recommendation_addressees;
pub mod recommendation_events;
pub mod recommendation_evidence;
pub mod recommendation_links;
pub mod recommendation_raised_by;
pub mod recommendations;
pub mod report_formal_settings;
pub mod report_photos;
pub mod report_versions;
pub mod report_views;
pub mod reports;
pub mod search_documents;
pub mod sessions;
pub mod targets;
pub mod unit_lineage;
pub mod users;
