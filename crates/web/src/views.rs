//! Counting article views at no cost to the reader: a view is counted in memory, at most once per visitor,
//! article and day, and the counts are added to the database in one batch every few seconds by a background
//! task (and once more at shutdown). A crash loses at most one batch of counts — views are statistics, not
//! acknowledged writes. Each instance counts its own visitors; the database adds them up.
//!
//! The count a page shows is the stored count, read at most once per [`STORED_FRESH_FOR`] per article, plus this
//! instance's unsaved views: reading it on every request was half the cost of the public article page; when it
//! expires, one request reads it while the others show the count they had. Other instances' views appear within
//! that time, as they appear only after their own flush anyway.

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, Utc};
use giamsat_store::{Db, StoreError, reports};

use crate::portal_cache::claim_expired;

#[derive(Default)]
struct Pending {
    day: Option<NaiveDate>,
    /// Visitors already counted today, as hashes of (address, user agent, article).
    seen: HashSet<u64>,
    counts: HashMap<i64, i64>,
    /// Stored counts as last read (or written by this instance), and when they were read.
    stored: HashMap<i64, (i64, Instant)>,
}

/// How long a stored count read from the database is shown before it is read again.
pub const STORED_FRESH_FOR: Duration = Duration::from_secs(5);

/// The shared counter (cheap to clone).
#[derive(Clone, Default)]
pub struct ViewCounter {
    pending: Arc<Mutex<Pending>>,
}

impl ViewCounter {
    /// Counts a view of `report_id` by the visitor `visitor` (address and user agent), unless already counted
    /// today (`now` is the state's clock). Never touches the database.
    pub fn count(&self, report_id: i64, visitor: &str, now: DateTime<Utc>) {
        let today = giamsat_domain::date::vietnam_day(now);
        let mut hasher = DefaultHasher::new();
        (visitor, report_id).hash(&mut hasher);
        let key = hasher.finish();
        let mut pending = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
        if pending.day != Some(today) {
            pending.day = Some(today);
            pending.seen.clear();
            pending.stored.retain(|_, (_, at)| at.elapsed() < STORED_FRESH_FOR);
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

    /// The count to show for `report_id`: stored views (read again when older than [`STORED_FRESH_FOR`]) and
    /// those counted here since the last flush.
    ///
    /// # Errors
    /// [`StoreError`] from the database.
    pub async fn shown(&self, db: &Db, report_id: i64) -> Result<i64, StoreError> {
        let fresh = {
            let mut pending = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
            // One request reads an expired count again; those that come meanwhile show the one they had.
            pending.stored.get_mut(&report_id).and_then(|(n, at)| (!claim_expired(at, STORED_FRESH_FOR)).then_some(*n))
        };
        let stored = match fresh {
            Some(n) => n,
            None => {
                let n = reports::views(db, report_id).await?;
                let mut pending = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
                pending.stored.insert(report_id, (n, Instant::now()));
                n
            }
        };
        Ok(stored + self.unsaved(report_id))
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
        let started = Instant::now();
        let written = reports::add_views(db, &batch).await;
        let mut pending = self.pending.lock().unwrap_or_else(PoisonError::into_inner);
        for (id, n) in batch {
            if written.is_ok() {
                // Now stored, so the shown count must not dip. A count read during the write may already hold
                // them: it is read again instead.
                match pending.stored.get_mut(&id) {
                    Some((stored, at)) if *at < started => *stored += n,
                    Some(_) => {
                        pending.stored.remove(&id);
                    }
                    None => {}
                }
            } else {
                *pending.counts.entry(id).or_insert(0) += n;
            }
        }
        written
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
            counter.count(1, "203.0.113.9|Firefox", Utc::now());
        }
        counter.count(1, "198.51.100.4|Chrome", Utc::now());
        counter.count(2, "203.0.113.9|Firefox", Utc::now());
        assert_eq!(counter.unsaved(1), 2);
        assert_eq!(counter.unsaved(2), 1);
    }
}
