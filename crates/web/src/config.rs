//! Configuration, read once from the environment. Every variable, with its default, is listed here and in the
//! README.

use std::net::SocketAddr;

/// `DATABASE_URL`: `sqlite://…` or `postgres://…`. Default: a SQLite file under `./data/`.
pub const DATABASE_URL: &str = "DATABASE_URL";
/// `GIAMSAT_ADDR`: where `serve` listens. Default `127.0.0.1:3000`.
pub const ADDR: &str = "GIAMSAT_ADDR";
/// `GIAMSAT_DEMO`: `0`/`false` stops the seed mission being imported into an empty database. Default on.
pub const DEMO: &str = "GIAMSAT_DEMO";
/// `GIAMSAT_DB_POOL`: connections in the pool. Default 8 (2 cores: more only queue).
pub const DB_POOL: &str = "GIAMSAT_DB_POOL";
/// `GIAMSAT_LOG_FORMAT`: `json` for one JSON object per line; anything else is human-readable. Default text.
pub const LOG_FORMAT: &str = "GIAMSAT_LOG_FORMAT";

/// `GIAMSAT_PUBLIC_URL`: the address people reach the app at, used in one-time links. Default
/// `http://<GIAMSAT_ADDR>`.
pub const PUBLIC_URL: &str = "GIAMSAT_PUBLIC_URL";
/// `GIAMSAT_SECURE_COOKIES`: `1`/`true` behind HTTPS — cookies become `Secure` with the `__Host-` prefix.
/// Default off, so that plain-HTTP localhost works.
pub const SECURE_COOKIES: &str = "GIAMSAT_SECURE_COOKIES";

/// `GIAMSAT_FILES_DIR`: where uploaded photos are stored (share it between instances). Default `data/files`.
pub const FILES_DIR: &str = "GIAMSAT_FILES_DIR";

/// `GIAMSAT_TRUSTED_PROXIES`: comma-separated addresses of the reverse proxies in front of the app. A request
/// from one of them is attributed to the last `X-Forwarded-For` address that is not a trusted proxy (login
/// throttling per address, view counting). Default none: the peer address counts, and `X-Forwarded-For` is
/// ignored, since anyone can send it.
pub const TRUSTED_PROXIES: &str = "GIAMSAT_TRUSTED_PROXIES";
/// `GIAMSAT_FONT_DIR`: the directory of the PDF fonts (Liberation Serif). Default [`DEFAULT_FONT_DIR`].
pub const FONT_DIR: &str = "GIAMSAT_FONT_DIR";
/// Where Debian's `fonts-liberation2` puts Liberation Serif.
pub const DEFAULT_FONT_DIR: &str = "/usr/share/fonts/truetype/liberation2";

/// `GIAMSAT_REMINDER_INTERVAL`: seconds between two rounds of reminders (items due within 7 days and overdue).
/// Default 86400 (daily); `0` turns the job off.
pub const REMINDER_INTERVAL: &str = "GIAMSAT_REMINDER_INTERVAL";
/// `GIAMSAT_SMTP_URL`: the SMTP relay reminders are sent through, e.g. `smtp://127.0.0.1:25` (plain SMTP: the
/// local MTA does TLS). Default none: no e-mail is sent.
pub const SMTP_URL: &str = "GIAMSAT_SMTP_URL";
/// `GIAMSAT_SMTP_FROM`: the sender of reminders. Default `giamsat@localhost`.
pub const SMTP_FROM: &str = "GIAMSAT_SMTP_FROM";

/// `GIAMSAT_PAGE_CACHE_MB`: memory for signed-in pages kept as rendered while their data is unchanged
/// (`page_cache`); 0 renders every page. Default 32.
pub const PAGE_CACHE_MB: &str = "GIAMSAT_PAGE_CACHE_MB";

/// The default listening address.
pub const DEFAULT_ADDR: &str = "127.0.0.1:3000";

/// The settings of one process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub database_url: String,
    pub pool_size: u32,
    pub demo: bool,
    pub json_logs: bool,
    pub public_url: Option<String>,
    pub secure_cookies: bool,
    pub files_dir: std::path::PathBuf,
    /// As written; parsed by [`parse_proxies`] when the server starts.
    pub trusted_proxies: Option<String>,
    pub font_dir: std::path::PathBuf,
    /// Seconds between reminder rounds; 0 when off.
    pub reminder_interval: u64,
    pub smtp_url: Option<String>,
    pub smtp_from: String,
    /// Bytes of [`crate::page_cache::PageCache`].
    pub page_cache_bytes: usize,
}

impl Config {
    /// Reads the environment; `database_url` overrides `DATABASE_URL` (the CLI's `--database-url`).
    #[must_use]
    pub fn from_env(database_url: Option<String>) -> Config {
        let var = |name| std::env::var(name).ok().filter(|v: &String| !v.trim().is_empty());
        Config {
            database_url: database_url
                .or_else(|| var(DATABASE_URL))
                .unwrap_or_else(|| giamsat_store::db::DEFAULT_URL.to_owned()),
            pool_size: var(DB_POOL).and_then(|v| v.parse().ok()).filter(|n| *n > 0).unwrap_or(8),
            demo: var(DEMO).is_none_or(|v| !matches!(v.to_ascii_lowercase().as_str(), "0" | "false" | "no" | "off")),
            json_logs: var(LOG_FORMAT).is_some_and(|v| v.eq_ignore_ascii_case("json")),
            public_url: var(PUBLIC_URL),
            files_dir: var(FILES_DIR).unwrap_or_else(|| "data/files".to_owned()).into(),
            trusted_proxies: var(TRUSTED_PROXIES),
            font_dir: var(FONT_DIR).unwrap_or_else(|| DEFAULT_FONT_DIR.to_owned()).into(),
            reminder_interval: var(REMINDER_INTERVAL).and_then(|v| v.trim().parse().ok()).unwrap_or(86_400),
            smtp_url: var(SMTP_URL),
            smtp_from: var(SMTP_FROM).unwrap_or_else(|| "giamsat@localhost".to_owned()),
            page_cache_bytes: var(PAGE_CACHE_MB)
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(crate::page_cache::DEFAULT_MB)
                << 20,
            secure_cookies: var(SECURE_COOKIES)
                .is_some_and(|v| matches!(v.to_ascii_lowercase().as_str(), "1" | "true" | "yes" | "on")),
        }
    }
}

/// Parses the trusted proxies' addresses.
///
/// # Errors
/// A message naming the entry that is not an IP address.
pub fn parse_proxies(value: Option<&str>) -> Result<Vec<std::net::IpAddr>, String> {
    value
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(|v| v.parse().map_err(|_| giamsat_domain::messages::cli::not_an_ip(TRUSTED_PROXIES, v)))
        .collect()
}

/// Parses a listening address, with a message naming the variable.
///
/// # Errors
/// A message when `value` is not `host:port`.
pub fn parse_addr(value: &str) -> Result<SocketAddr, String> {
    value.parse().map_err(|_| giamsat_domain::messages::cli::invalid_address(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trusted_proxies_are_ip_addresses() {
        assert_eq!(parse_proxies(None), Ok(Vec::new()));
        assert_eq!(parse_proxies(Some("10.0.0.1, ::1")).map(|v| v.len()), Ok(2));
        assert!(parse_proxies(Some("10.0.0.1,proxy.local")).is_err_and(|e| e.contains("proxy.local")));
    }
}
