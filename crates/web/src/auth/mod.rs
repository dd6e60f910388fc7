//! Authentication: who is asking. Sessions (cookie → database row), API tokens (bearer → database row) and
//! password hashing. Authorisation — what they may do — is `giamsat_domain::policy`, reached through
//! [`guard`].

pub mod guard;
pub mod passwords;
pub mod session;

use sha2::{Digest, Sha256};

/// A fresh secret: 32 bytes from the operating system's generator, hex-encoded.
///
/// # Panics
/// Never in practice: only if the operating system has no random source, when nothing secure can be done.
#[must_use]
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    #[expect(clippy::expect_used, reason = "without the OS's random source no secret can be made; stop, never guess")]
    getrandom::fill(&mut bytes).expect("the operating system provides randomness");
    hex(&bytes)
}

/// The SHA-256 of a token, hex-encoded: what the database stores instead of the token.
#[must_use]
pub fn hash_token(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

/// Compares two secrets in time independent of where they differ.
#[must_use]
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_hashed_one_way() {
        let (a, b) = (random_token(), random_token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(hash_token("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert!(constant_time_eq(&a, &a.clone()));
        assert!(!constant_time_eq(&a, &b));
        assert!(!constant_time_eq("a", "ab"));
    }
}
