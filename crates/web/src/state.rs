//! What every handler shares. Nothing here is the only copy of per-user state: sessions and files live outside
//! the process, and the page cache keeps a page only while the shared database's `data_version` says it is
//! current, so several instances can serve one PostgreSQL.

use std::sync::Arc;

use giamsat_store::Db;

use crate::auth::passwords::Passwords;
use crate::auth::session::{Clock, SessionSettings};
use crate::fonts::FontSource;
use crate::page_cache::PageCache;
use crate::portal_cache::PortalCache;
use crate::storage::FileStore;
use crate::views::ViewCounter;

/// Shared state of the router (cheap to clone).
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub passwords: Passwords,
    pub sessions: Arc<SessionSettings>,
    pub clock: Clock,
    /// The address people reach the app at, for links printed or shown (one-time links).
    pub public_url: Arc<str>,
    /// Uploaded photos.
    pub files: FileStore,
    /// Article views counted since the last batch write.
    pub views: ViewCounter,
    /// The portal's recent reads and rendered immutable pages.
    pub portal: PortalCache,
    /// Signed-in pages as rendered, while the data they show is unchanged.
    pub pages: PageCache,
    /// Reverse proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Arc<[std::net::IpAddr]>,
    /// The fonts of the formal report's PDF, loaded once.
    pub fonts: Arc<FontSource>,
    /// How reminders are sent, if e-mail is configured.
    pub mailer: Option<Arc<crate::reminders::Mailer>>,
}

impl AppState {
    /// State with the system clock and default session settings.
    #[must_use]
    pub fn new(db: Db, public_url: &str, secure_cookies: bool, files_dir: &std::path::Path) -> AppState {
        AppState {
            db,
            passwords: Passwords::new(),
            sessions: Arc::new(SessionSettings { secure: secure_cookies, ..SessionSettings::default() }),
            clock: Clock::system(),
            public_url: public_url.trim_end_matches('/').into(),
            files: FileStore::new(files_dir),
            views: ViewCounter::default(),
            portal: PortalCache::default(),
            pages: PageCache::default(),
            trusted_proxies: Arc::from(Vec::new()),
            fonts: FontSource::new(crate::config::DEFAULT_FONT_DIR),
            mailer: None,
        }
    }

    /// The same state with `bytes` of page cache (`GIAMSAT_PAGE_CACHE_MB`; 0 keeps no page).
    #[must_use]
    pub fn with_page_cache(mut self, bytes: usize) -> AppState {
        self.pages = PageCache::new(bytes);
        self
    }

    /// The same state with the PDF fonts read from `dir` (`GIAMSAT_FONT_DIR`).
    #[must_use]
    pub fn with_font_dir(mut self, dir: &std::path::Path) -> AppState {
        self.fonts = FontSource::new(dir);
        self
    }
}
