//! Security tests over every route of `giamsat_web::router::ROUTES`: who may do what (ASVS 4.1–4.2), IDOR
//! (4.2.1), the canary of an unpublished finding, CSRF on every state-changing route (test plan X1) and GETs
//! that change nothing (X2).
//!
//! The expectations are written out here from the rules of `giamsat_domain::policy` (its module doc and
//! `on_mission`) and of `workflow`, not computed by calling them: a change of policy has to change `policy.rs` here.

mod canary;
mod csrf;
mod idor;
mod matrix;
mod policy;
mod redirects;
mod safe_gets;
mod snapshot;
mod world;

pub(crate) use world::{Caller, Payload, Setting, prepare, stored_photo, version_of};
