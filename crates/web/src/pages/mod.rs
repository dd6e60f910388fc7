//! Handlers by resource, and the view structs they fill: pre-formatted values, so templates only loop and
//! branch.

pub mod assets;
pub mod health;
pub mod missions;
