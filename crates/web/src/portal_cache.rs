//! What the public portal reads most, kept in memory for a few seconds: the latest version of each article,
//! the category list, the rendered list pages and the Atom feed; and the rendered pages of published versions,
//! which never
//! change and so are kept until the cache is full. Publishing through this instance forgets the article at
//! once; another instance sees it after `ttl` at most — every entry is a copy of the database, never the only
//! one, so the app stays stateless.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use giamsat_store::reports::PublishedVersion;

/// Entries per map before it is emptied (a portal has far fewer live articles; this bounds memory).
const CAPACITY: usize = 4096;

struct Expiring<K, V> {
    entries: Mutex<HashMap<K, (Instant, V)>>,
}

impl<K: Eq + Hash, V: Clone> Expiring<K, V> {
    fn new() -> Self {
        Expiring { entries: Mutex::new(HashMap::new()) }
    }

    fn get(&self, key: &K, ttl: Option<Duration>) -> Option<V> {
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        let (at, value) = entries.get(key)?;
        ttl.is_none_or(|ttl| at.elapsed() < ttl).then(|| value.clone())
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
    categories: Expiring<(), Arc<Vec<(String, String)>>>,
    /// Rendered pages of published versions, by (slug, number): immutable.
    pages: Expiring<(String, i32), Arc<(String, String)>>,
    /// Rendered list pages, by (category slug, cursor).
    lists: Expiring<(Option<String>, Option<String>), Arc<String>>,
    /// The Atom feed and its ETag.
    feed: Expiring<(), Arc<(String, String)>>,
}

impl PortalCache {
    #[must_use]
    pub fn new(ttl: Duration) -> PortalCache {
        PortalCache {
            inner: Arc::new(Inner {
                ttl,
                latest: Expiring::new(),
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

    #[must_use]
    pub fn categories(&self) -> Option<Arc<Vec<(String, String)>>> {
        self.inner.categories.get(&(), Some(self.inner.ttl))
    }

    pub fn put_categories(&self, categories: Arc<Vec<(String, String)>>) {
        self.inner.categories.put((), categories);
    }

    /// The rendered page of a published version and its ETag.
    #[must_use]
    pub fn page(&self, slug: &str, number: i32) -> Option<Arc<(String, String)>> {
        self.inner.pages.get(&(slug.to_owned(), number), None)
    }

    pub fn put_page(&self, slug: &str, number: i32, etag: String, html: String) {
        self.inner.pages.put((slug.to_owned(), number), Arc::new((etag, html)));
    }

    /// The rendered list page of a category (`None`: every article) from a cursor.
    #[must_use]
    pub fn list(&self, category: Option<&str>, cursor: Option<&str>) -> Option<Arc<String>> {
        self.inner.lists.get(&(category.map(str::to_owned), cursor.map(str::to_owned)), Some(self.inner.ttl))
    }

    pub fn put_list(&self, category: Option<&str>, cursor: Option<&str>, html: Arc<String>) {
        self.inner.lists.put((category.map(str::to_owned), cursor.map(str::to_owned)), html);
    }

    /// The Atom feed's ETag and body.
    #[must_use]
    pub fn feed(&self) -> Option<Arc<(String, String)>> {
        self.inner.feed.get(&(), Some(self.inner.ttl))
    }

    pub fn put_feed(&self, feed: Arc<(String, String)>) {
        self.inner.feed.put((), feed);
    }

    /// Forgets what a new publication changes: the article's latest version, the categories, the list pages
    /// and the feed.
    pub fn published(&self, slug: &str) {
        self.inner.latest.forget(&slug.to_owned());
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
        cache.put_list(Some("a"), None, Arc::new("<ul>".to_owned()));
        cache.put_feed(Arc::new(("\"f\"".to_owned(), "<feed>".to_owned())));
        assert!(cache.list(Some("a"), None).is_some() && cache.list(None, None).is_none());
        cache.published("bai-viet");
        assert!(cache.categories().is_none(), "a publication may add a category");
        assert!(cache.list(Some("a"), None).is_none() && cache.feed().is_none(), "and changes lists and the feed");
        cache.put_page("bai-viet", 1, "\"x\"".to_owned(), "<html>".to_owned());
        std::thread::sleep(Duration::from_millis(40));
        assert!(cache.page("bai-viet", 1).is_some(), "versions never expire");
    }
}
