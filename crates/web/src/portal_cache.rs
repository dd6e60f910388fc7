//! What the public portal reads most, kept in memory for a few seconds: the latest version of each article and
//! its rendered page (at its view count), the category list, the rendered list pages and the Atom feed; and
//! the rendered pages of published versions, which never change and so are kept until the cache is full.
//! Rendered bodies are kept gzipped too ([`Precompressed`]). Publishing through this instance forgets the article at
//! once; another instance sees it after `ttl` and [`REFRESH_GRACE`] at most — every entry is a copy of the
//! database, never the only one, so the app stays stateless.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use giamsat_store::reports::PublishedVersion;

use crate::precompressed::Precompressed;

/// Entries per map before it is emptied (a portal has far fewer live articles; this bounds memory).
const CAPACITY: usize = 4096;

/// How long the request that finds an entry expired has to put a fresh one, while the requests that follow are
/// served the expired copy: an expiry under load costs one rendering, not one per request in flight (32 at once
/// in the benchmark). If that request fails, the next one after the grace tries.
pub const REFRESH_GRACE: Duration = Duration::from_secs(1);

/// Whether a copy stamped `at` is older than `ttl`; if so it is stamped again to look fresh for
/// [`REFRESH_GRACE`] more, so that only this caller reads the fresh value and the others keep the copy meanwhile.
pub fn claim_expired(at: &mut Instant, ttl: Duration) -> bool {
    if at.elapsed() < ttl {
        return false;
    }
    if let Some(claimed) = Instant::now().checked_sub(ttl.saturating_sub(REFRESH_GRACE)) {
        *at = claimed;
    }
    true
}

struct Expiring<K, V> {
    entries: Mutex<HashMap<K, (Instant, V)>>,
}

impl<K: Eq + Hash, V: Clone> Expiring<K, V> {
    fn new() -> Self {
        Expiring { entries: Mutex::new(HashMap::new()) }
    }

    /// The entry if it is younger than `ttl` (`None`: it never expires). The first caller to find it expired
    /// gets `None` and is to put a fresh one; until then, for [`REFRESH_GRACE`], the others get the expired copy.
    fn get(&self, key: &K, ttl: Option<Duration>) -> Option<V> {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        let (at, value) = entries.get_mut(key)?;
        if ttl.is_some_and(|ttl| claim_expired(at, ttl)) { None } else { Some(value.clone()) }
    }

    fn put(&self, key: K, value: V) {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if entries.len() >= CAPACITY {
            entries.clear();
        }
        entries.insert(key, (Instant::now(), value));
    }

    fn forget(&self, key: &K) {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner).remove(key);
    }

    fn clear(&self) {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner).clear();
    }
}

/// The portal's cache (cheap to clone).
#[derive(Clone)]
pub struct PortalCache {
    inner: Arc<Inner>,
}

struct Inner {
    ttl: Duration,
    latest: Expiring<String, Arc<PublishedVersion>>,
    /// The latest version's rendered page, by slug, with its ETag (which names the view count it shows).
    articles: Expiring<String, Arc<(String, Precompressed)>>,
    categories: Expiring<(), Arc<Vec<(String, String)>>>,
    /// Rendered pages of published versions, by (slug, number): immutable.
    pages: Expiring<(String, i32), Arc<(String, Precompressed)>>,
    /// Rendered list pages, by (category slug, cursor).
    lists: Expiring<(Option<String>, Option<String>), Arc<Precompressed>>,
    /// The Atom feed and its ETag.
    feed: Expiring<(), Arc<(String, Precompressed)>>,
}

impl PortalCache {
    #[must_use]
    pub fn new(ttl: Duration) -> PortalCache {
        PortalCache {
            inner: Arc::new(Inner {
                ttl,
                latest: Expiring::new(),
                articles: Expiring::new(),
                categories: Expiring::new(),
                pages: Expiring::new(),
                lists: Expiring::new(),
                feed: Expiring::new(),
            }),
        }
    }

    #[must_use]
    pub fn latest(&self, slug: &str) -> Option<Arc<PublishedVersion>> {
        self.inner.latest.get(&slug.to_owned(), Some(self.inner.ttl))
    }

    pub fn put_latest(&self, slug: &str, version: Arc<PublishedVersion>) {
        self.inner.latest.put(slug.to_owned(), version);
    }

    /// The latest version's rendered page, if it was rendered under `etag`.
    #[must_use]
    pub fn article(&self, slug: &str, etag: &str) -> Option<Arc<(String, Precompressed)>> {
        self.inner.articles.get(&slug.to_owned(), Some(self.inner.ttl)).filter(|kept| kept.0 == etag)
    }

    pub fn put_article(&self, slug: &str, etag: String, page: Precompressed) -> Arc<(String, Precompressed)> {
        let kept = Arc::new((etag, page));
        self.inner.articles.put(slug.to_owned(), kept.clone());
        kept
    }

    #[must_use]
    pub fn categories(&self) -> Option<Arc<Vec<(String, String)>>> {
        self.inner.categories.get(&(), Some(self.inner.ttl))
    }

    pub fn put_categories(&self, categories: Arc<Vec<(String, String)>>) {
        self.inner.categories.put((), categories);
    }

    /// The rendered page of a published version and its ETag.
    #[must_use]
    pub fn page(&self, slug: &str, number: i32) -> Option<Arc<(String, Precompressed)>> {
        self.inner.pages.get(&(slug.to_owned(), number), None)
    }

    pub fn put_page(&self, slug: &str, number: i32, etag: String, html: String) -> Arc<(String, Precompressed)> {
        let kept = Arc::new((etag, Precompressed::new(html)));
        self.inner.pages.put((slug.to_owned(), number), kept.clone());
        kept
    }

    /// The rendered list page of a category (`None`: every article) from a cursor.
    #[must_use]
    pub fn list(&self, category: Option<&str>, cursor: Option<&str>) -> Option<Arc<Precompressed>> {
        self.inner.lists.get(&(category.map(str::to_owned), cursor.map(str::to_owned)), Some(self.inner.ttl))
    }

    pub fn put_list(&self, category: Option<&str>, cursor: Option<&str>, html: String) -> Arc<Precompressed> {
        let kept = Arc::new(Precompressed::new(html));
        self.inner.lists.put((category.map(str::to_owned), cursor.map(str::to_owned)), kept.clone());
        kept
    }

    /// The Atom feed's ETag and body.
    #[must_use]
    pub fn feed(&self) -> Option<Arc<(String, Precompressed)>> {
        self.inner.feed.get(&(), Some(self.inner.ttl))
    }

    pub fn put_feed(&self, etag: String, body: String) -> Arc<(String, Precompressed)> {
        let kept = Arc::new((etag, Precompressed::new(body)));
        self.inner.feed.put((), kept.clone());
        kept
    }

    /// Forgets what a new publication changes: the article's latest version, the categories (which every
    /// article page shows), the list pages and the feed.
    pub fn published(&self, slug: &str) {
        self.inner.latest.forget(&slug.to_owned());
        self.inner.articles.clear();
        self.inner.categories.clear();
        self.inner.lists.clear();
        self.inner.feed.clear();
    }
}

impl Default for PortalCache {
    fn default() -> Self {
        PortalCache::new(Duration::from_secs(5))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire_and_publication_forgets_the_article() {
        let cache = PortalCache::new(Duration::from_millis(30));
        cache.put_categories(Arc::new(Vec::new()));
        std::thread::sleep(Duration::from_millis(40));
        assert!(cache.categories().is_none(), "expired");
        cache.put_categories(Arc::new(vec![("a".to_owned(), "A".to_owned())]));
        cache.put_list(Some("a"), None, "<ul>".to_owned());
        cache.put_feed("\"f\"".to_owned(), "<feed>".to_owned());
        cache.put_article("khac", "\"a-1\"".to_owned(), Precompressed::new("<html>".to_owned()));
        assert!(cache.list(Some("a"), None).is_some() && cache.list(None, None).is_none());
        assert!(
            cache.article("khac", "\"a-1\"").is_some() && cache.article("khac", "\"a-2\"").is_none(),
            "one more view"
        );
        cache.published("bai-viet");
        assert!(cache.categories().is_none(), "a publication may add a category");
        assert!(cache.list(Some("a"), None).is_none() && cache.feed().is_none(), "and changes lists and the feed");
        assert!(cache.article("khac", "\"a-1\"").is_none(), "and every article's list of categories");
        cache.put_page("bai-viet", 1, "\"x\"".to_owned(), "<html>".to_owned());
        std::thread::sleep(Duration::from_millis(40));
        assert!(cache.page("bai-viet", 1).is_some(), "versions never expire");
    }

    #[test]
    fn one_request_refreshes_an_expired_entry_while_the_others_get_the_expired_copy() {
        let ttl = REFRESH_GRACE * 3;
        let cache = Expiring::new();
        let long_ago = Instant::now().checked_sub(ttl * 2).expect("a clock that has run for seconds");
        cache.entries.lock().expect("unlocked").insert("feed", (long_ago, 1));
        assert_eq!(cache.get(&"feed", Some(ttl)), None, "the first request after the expiry renders");
        assert_eq!(cache.get(&"feed", Some(ttl)), Some(1), "the next ones meanwhile get the expired copy");
        assert_eq!(cache.get(&"feed", Some(ttl)), Some(1));
        cache.put("feed", 2);
        assert_eq!(cache.get(&"feed", Some(ttl)), Some(2), "then the fresh one");
        let claimed_long_ago = Instant::now().checked_sub(ttl - REFRESH_GRACE / 2).expect("a clock");
        cache.entries.lock().expect("unlocked").insert("feed", (claimed_long_ago, 2));
        assert_eq!(cache.get(&"feed", Some(ttl)), Some(2), "within the grace");
        std::thread::sleep(REFRESH_GRACE / 2 + Duration::from_millis(20));
        assert_eq!(cache.get(&"feed", Some(ttl)), None, "a refresh that never came is tried again after the grace");
    }
}
