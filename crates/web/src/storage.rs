//! Files (session photos) are stored outside the database, under random names in one directory that several
//! instances can share. Uploads are checked by their content, never by their name.

use std::path::PathBuf;

/// Largest photo accepted.
pub const MAX_PHOTO_BYTES: usize = 10 * 1024 * 1024;

/// The image types accepted, recognised by their first bytes.
#[must_use]
pub fn image_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.len() > 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

/// Why a file was not stored.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("not an image we accept")]
    NotAnImage,
    #[error("too large")]
    TooLarge,
    #[error("storage: {0}")]
    Io(#[from] std::io::Error),
}

/// A local directory of files.
#[derive(Debug, Clone)]
pub struct FileStore {
    root: PathBuf,
}

impl FileStore {
    #[must_use]
    pub fn new(root: impl Into<PathBuf>) -> FileStore {
        FileStore { root: root.into() }
    }

    /// Whether `key` is one this store makes: 64 hex digits and an image extension. Anything else never reaches
    /// the file system.
    #[must_use]
    pub fn is_key(key: &str) -> bool {
        key.split_once('.').is_some_and(|(name, extension)| {
            name.len() == 64
                && name.chars().all(|c| c.is_ascii_hexdigit())
                && matches!(extension, "jpeg" | "png" | "webp")
        })
    }

    fn path(&self, key: &str) -> Option<PathBuf> {
        Self::is_key(key).then(|| self.root.join(key))
    }

    /// Stores an image and returns its key and content type.
    ///
    /// # Errors
    /// [`StorageError`] if it is not an accepted image, too large, or cannot be written.
    pub async fn put_image(&self, bytes: &[u8]) -> Result<(String, &'static str), StorageError> {
        if bytes.len() > MAX_PHOTO_BYTES {
            return Err(StorageError::TooLarge);
        }
        let content_type = image_type(bytes).ok_or(StorageError::NotAnImage)?;
        let extension = content_type.rsplit('/').next().unwrap_or("bin");
        let key = format!("{}.{extension}", crate::auth::random_token());
        tokio::fs::create_dir_all(&self.root).await?;
        let path = self.path(&key).ok_or(StorageError::NotAnImage)?;
        let tmp = path.with_extension("part");
        tokio::fs::write(&tmp, bytes).await?;
        tokio::fs::rename(&tmp, &path).await?;
        Ok((key, content_type))
    }

    /// The bytes and content type of a stored image.
    ///
    /// # Errors
    /// `None` when the key is malformed or the file is missing.
    pub async fn get(&self, key: &str) -> Option<(Vec<u8>, &'static str)> {
        let bytes = tokio::fs::read(self.path(key)?).await.ok()?;
        let content_type = image_type(&bytes)?;
        Some((bytes, content_type))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn images_are_recognised_by_content_and_stored_under_random_names() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = FileStore::new(dir.path());
        let jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F'];
        let (key, content_type) = store.put_image(&jpeg).await.expect("stored");
        assert_eq!(content_type, "image/jpeg");
        assert!(key.ends_with(".jpeg") && key.len() > 60);
        assert_eq!(store.get(&key).await.map(|(b, _)| b), Some(jpeg.to_vec()));
        assert!(matches!(store.put_image(b"<html><script>x</script>").await, Err(StorageError::NotAnImage)));
        assert!(matches!(store.put_image(b"%PDF-1.4").await, Err(StorageError::NotAnImage)));
        assert!(store.get("../../etc/passwd").await.is_none());
    }
}
