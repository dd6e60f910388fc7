//! Helpers of the row builders that several modules share.

/// The `position` column of the `i`-th child row (protocol order).
pub(crate) fn position(i: usize) -> i32 {
    i32::try_from(i).unwrap_or(i32::MAX)
}
