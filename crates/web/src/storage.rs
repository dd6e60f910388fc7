//! Files (session photos) are stored outside the database, under random names in one directory that several
//! instances can share. Uploads are checked by their content, never by their name, and stored re-encoded from
//! their pixels alone: no metadata (EXIF GPS position, camera, time; XMP, IPTC, comments) is ever stored, shown
//! to the team or published on the portal.

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
    } else if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP".as_slice()) {
        Some("image/webp")
    } else {
        None
    }
}

/// Largest side of a stored image, in pixels: a phone's photo has 4 000 to 8 000; more is a decompression bomb.
const MAX_SIDE: u32 = 12_000;

/// Memory the decoder may take for one image (a 12 000 × 12 000 photo needs about 430 MiB; 8 000 × 6 000, 144).
const MAX_DECODE_BYTES: u64 = 512 * 1024 * 1024;

/// The image re-encoded, in its own format, from its pixels alone: nothing of the file but the picture is kept.
/// The EXIF orientation is applied to the pixels first, so that a phone's photo still stands upright. JPEG at
/// quality 90 (one generation of loss, invisible at that level); PNG and WebP losslessly.
///
/// # Errors
/// [`StorageError::NotAnImage`] if the bytes do not decode within the limits.
fn without_metadata(bytes: &[u8], content_type: &str) -> Result<Vec<u8>, StorageError> {
    use image::{DynamicImage, ImageDecoder, ImageReader};

    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    let mut reader = ImageReader::new(std::io::Cursor::new(bytes)).with_guessed_format()?;
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|_| StorageError::NotAnImage)?;
    let orientation = decoder.orientation().map_err(|_| StorageError::NotAnImage)?;
    let mut picture = DynamicImage::from_decoder(decoder).map_err(|_| StorageError::NotAnImage)?;
    picture.apply_orientation(orientation);
    let mut out = std::io::Cursor::new(Vec::new());
    let written = match content_type {
        "image/jpeg" => DynamicImage::ImageRgb8(picture.to_rgb8())
            .write_with_encoder(image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)),
        "image/png" => picture.write_with_encoder(image::codecs::png::PngEncoder::new(&mut out)),
        _ => DynamicImage::ImageRgba8(picture.to_rgba8())
            .write_with_encoder(image::codecs::webp::WebPEncoder::new_lossless(&mut out)),
    };
    written.map_err(|_| StorageError::NotAnImage)?;
    Ok(out.into_inner())
}

/// Why a file was not stored.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// Not JPEG, PNG or WebP by its first bytes, or one that does not decode (broken, or over the size limits).
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

    /// Stores an image without its metadata (see [`without_metadata`]) and returns its key and content type.
    ///
    /// # Errors
    /// [`StorageError`] if it is not an accepted image, too large, or cannot be written.
    pub async fn put_image(&self, bytes: &[u8]) -> Result<(String, &'static str), StorageError> {
        if bytes.len() > MAX_PHOTO_BYTES {
            return Err(StorageError::TooLarge);
        }
        let content_type = image_type(bytes).ok_or(StorageError::NotAnImage)?;
        // Decoding and encoding a photo takes a core for up to a second: not on the async workers.
        let original = bytes.to_vec();
        let bytes = tokio::task::spawn_blocking(move || without_metadata(&original, content_type))
            .await
            .map_err(|e| StorageError::Io(std::io::Error::other(e)))??;
        let extension = content_type.rsplit('/').next().unwrap_or("bin");
        let key = format!("{}.{extension}", crate::auth::random_token());
        tokio::fs::create_dir_all(&self.root).await?;
        let path = self.path(&key).ok_or(StorageError::NotAnImage)?;
        let tmp = path.with_extension("part");
        tokio::fs::write(&tmp, &bytes).await?;
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
    use image::GenericImageView;

    #[tokio::test]
    async fn images_are_recognised_by_content_and_stored_under_random_names() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = FileStore::new(dir.path());
        let mut jpeg = std::io::Cursor::new(Vec::new());
        image::RgbImage::from_pixel(4, 3, image::Rgb([200, 30, 30]))
            .write_to(&mut jpeg, image::ImageFormat::Jpeg)
            .expect("encodes");
        let (key, content_type) = store.put_image(jpeg.get_ref()).await.expect("stored");
        assert_eq!(content_type, "image/jpeg");
        assert!(key.ends_with(".jpeg") && key.len() > 60);
        let (stored, _) = store.get(&key).await.expect("read back");
        assert_eq!(image::load_from_memory(&stored).expect("decodes").dimensions(), (4, 3));
        let fake = [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F'];
        assert!(matches!(store.put_image(&fake).await, Err(StorageError::NotAnImage)), "a header is not a photo");
        assert!(matches!(store.put_image(b"<html><script>x</script>").await, Err(StorageError::NotAnImage)));
        assert!(matches!(store.put_image(b"%PDF-1.4").await, Err(StorageError::NotAnImage)));
        assert!(store.get("../../etc/passwd").await.is_none());
    }
}
