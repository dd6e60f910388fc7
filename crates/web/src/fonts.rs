//! The PDF fonts: loaded from the configured directory on first use and kept for the life of the process, so a
//! request never reads font files. A missing font answers every PDF request with a clear error, never a panic,
//! and does not stop the rest of the app.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use giamsat_render::Fonts;

use crate::error::AppError;

/// Where the fonts come from, and the fonts once loaded (or why they could not be).
#[derive(Debug)]
pub struct FontSource {
    dir: PathBuf,
    loaded: OnceLock<Result<Fonts, String>>,
}

impl FontSource {
    #[must_use]
    pub fn new(dir: impl Into<PathBuf>) -> Arc<FontSource> {
        Arc::new(FontSource { dir: dir.into(), loaded: OnceLock::new() })
    }

    /// The fonts, loading them the first time. Blocking: call it off the async runtime's threads.
    ///
    /// # Errors
    /// [`AppError::Internal`] naming the directory and the package to install.
    pub fn get(&self) -> Result<&Fonts, AppError> {
        self.loaded
            .get_or_init(|| Fonts::load(&self.dir).map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|e| AppError::Internal(e.clone()))
    }
}
