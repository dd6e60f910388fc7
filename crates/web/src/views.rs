//! Counting article views at no cost to the reader: a view is counted in memory, at most once per visitor,
//! article and day, and the counts are added to the database in one batch every few seconds by a background
//! task (and once more at shutdown). A crash loses at most one batch of counts — views are statistics, not
//! acknowledged writes. Each instance counts its own visitors; the database adds them up.

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use chrono::{NaiveDate, Utc};
use giamsat_store::{Db, StoreError, reports};

#[derive(Default)]
struct Pending {
    day: Option<NaiveDate>,
    /// Visitors already counted today, as hashes of (address, user agent, article).
    seen: HashSet<u64>,
    counts: HashMap<i64, i64>,
}

/// The shared counter (cheap to clone).
#[derive(Clone, Default)]
pub struct ViewCounter {
    pending: Arc<Mutex<Pending>>,
}

impl ViewCounter {
    /// Counts a view of `report_id` by the visitor `visitor` (address and user agent), unless already counted
    /// today. Never touches the database.
    pub fn count(&self, report_id: i64, visitor: &str) {
        let today = Utc::now().with_timezone(&giamsat_domain::date::vn_offset()).date_naive();
        let mut hasher = DefaultHasher::new();
        (visitor, report_id).hash(&mut hasher);
        let key = hasher.finish();
        let mut pending = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
        if pending.day != Some(today) {
            pending.day = Some(today);
            pending.seen.clear();
        }
        if pending.seen.insert(key) {
            *pending.counts.entry(report_id).or_insert(0) += 1;
        }
    }

    /// Views counted here and not yet written, for `report_id` (so a reader sees their own view at once).
    #[must_use]
    pub fn unsaved(&self, report_id: i64) -> i64 {
        self.pending.lock().unwrap_or_else(PoisonError::into_inner).counts.get(&report_id).copied().unwrap_or(0)
    }

    /// Writes the counts gathered so far in one transaction; on failure they are kept for the next flush.
    ///
    /// # Errors
    /// [`StoreError`] from the database.
    pub async fn flush(&self, db: &Db) -> Result<(), StoreError> {
        let batch: Vec<(i64, i64)> = {
            let mut pending = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
            pending.counts.drain().collect()
        };
        if let Err(e) = reports::add_views(db, &batch).await {
            let mut pending = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
            for (id, n) in batch {
                *pending.counts.entry(id).or_insert(0) += n;
            }
            return Err(e);
        }
        Ok(())
    }

    /// Flushes every `period` until the process ends.
    pub fn spawn_flusher(&self, db: Db, period: Duration) -> tokio::task::JoinHandle<()> {
        let counter = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(period);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                if let Err(e) = counter.flush(&db).await {
                    tracing::warn!(error = %e, "view counts not saved yet");
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_visitor_reloading_counts_once() {
        let counter = ViewCounter::default();
        for _ in 0..5 {
            counter.count(1, "203.0.113.9|Firefox");
        }
        counter.count(1, "198.51.100.4|Chrome");
        counter.count(2, "203.0.113.9|Firefox");
        assert_eq!(counter.unsaved(1), 2);
        assert_eq!(counter.unsaved(2), 1);
    }
}
