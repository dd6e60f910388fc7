//! Password hashing with Argon2id at OWASP's minimum parameters (m = 19 MiB, t = 2, p = 1: the crate's
//! defaults), on the blocking pool, at most two at a time: a burst of logins queues instead of taking
//! 19 MiB per request on a 2-core machine.

use std::sync::Arc;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use tokio::sync::Semaphore;

/// Concurrent hashes allowed.
const CONCURRENT_HASHES: usize = 2;

/// The hasher shared by every request.
#[derive(Clone)]
pub struct Passwords {
    permits: Arc<Semaphore>,
    /// A real hash, verified against when the account does not exist, so that an unknown email costs as much
    /// time as a wrong password and does not reveal which accounts exist.
    decoy: Arc<str>,
}

/// Why a password was not accepted for an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordProblem {
    TooShort,
    TooLong,
    SameAsEmail,
    Common,
}

/// Minimum and maximum length, in characters (ASVS 2.1.1, 2.1.2).
pub const MIN_LEN: usize = 12;
pub const MAX_LEN: usize = 128;

const COMMON: &[&str] = &[
    "123456789012",
    "1234567890123",
    "password1234",
    "matkhau12345",
    "matkhau123456",
    "qwertyuiop12",
    "111111111111",
    "000000000000",
    "abc123456789",
    "admin1234567",
    "123456123456",
    "iloveyou1234",
];

/// Checks a new password against the policy: 12–128 characters, not the email, not a well-known one.
/// Any character is allowed (paste and passphrases welcome).
///
/// # Errors
/// The first [`PasswordProblem`] found.
pub fn check_policy(password: &str, email: &str) -> Result<(), PasswordProblem> {
    let length = password.chars().count();
    if length < MIN_LEN {
        return Err(PasswordProblem::TooShort);
    }
    if length > MAX_LEN {
        return Err(PasswordProblem::TooLong);
    }
    let lowered = password.to_lowercase();
    if lowered == email.to_lowercase() {
        return Err(PasswordProblem::SameAsEmail);
    }
    if COMMON.contains(&lowered.as_str()) {
        return Err(PasswordProblem::Common);
    }
    Ok(())
}

impl Passwords {
    /// A hasher with its decoy hash computed once.
    ///
    /// # Panics
    /// If Argon2 cannot hash at all (no randomness), when the app cannot run safely.
    #[must_use]
    pub fn new() -> Passwords {
        #[expect(
            clippy::expect_used,
            reason = "Argon2 fails only without randomness, when no password can be kept safe"
        )]
        let decoy = hash_now(&crate::auth::random_token()).expect("argon2 hashes");
        Passwords { permits: Arc::new(Semaphore::new(CONCURRENT_HASHES)), decoy: decoy.into() }
    }

    /// Hashes a password (PHC string, `$argon2id$v=19$m=19456,t=2,p=1$…`).
    ///
    /// # Errors
    /// A message if hashing failed.
    pub async fn hash(&self, password: &str) -> Result<String, String> {
        let _permit = self.permits.acquire().await.map_err(|e| e.to_string())?;
        let password = password.to_owned();
        tokio::task::spawn_blocking(move || hash_now(&password)).await.map_err(|e| e.to_string())?
    }

    /// Whether `password` matches `stored`; with no stored hash (unknown account, or no password set yet),
    /// the decoy is checked instead and the answer is always false.
    pub async fn verify(&self, password: &str, stored: Option<&str>) -> bool {
        let Ok(_permit) = self.permits.acquire().await else {
            return false;
        };
        let (hash, real) = match stored {
            Some(hash) => (hash.to_owned(), true),
            None => (self.decoy.to_string(), false),
        };
        let password = password.to_owned();
        let matched = tokio::task::spawn_blocking(move || {
            PasswordHash::new(&hash)
                .is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
        })
        .await
        .unwrap_or(false);
        matched && real
    }
}

impl Default for Passwords {
    fn default() -> Self {
        Self::new()
    }
}

fn hash_now(password: &str) -> Result<String, String> {
    Argon2::default().hash_password(password.as_bytes()).map(|h| h.to_string()).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_at_owasp_parameters_and_verify() {
        let passwords = Passwords::new();
        let hash = passwords.hash("một mật khẩu dài đủ").await.expect("hashes");
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(passwords.verify("một mật khẩu dài đủ", Some(&hash)).await);
        assert!(!passwords.verify("sai mật khẩu rồi", Some(&hash)).await);
        assert!(!passwords.verify("một mật khẩu dài đủ", None).await, "no account never matches");
        assert!(!passwords.verify("x", Some("not a phc string")).await);
    }

    #[test]
    fn the_policy_takes_12_to_128_characters_and_refuses_the_obvious() {
        assert_eq!(check_policy("ngắn quá", "a@b.vn"), Err(PasswordProblem::TooShort));
        assert_eq!(check_policy("mười hai ký", "a@b.vn"), Err(PasswordProblem::TooShort));
        assert_eq!(check_policy("mười hai ký!", "a@b.vn"), Ok(()));
        assert_eq!(check_policy(&"x".repeat(128), "a@b.vn"), Ok(()));
        assert_eq!(check_policy(&"x".repeat(129), "a@b.vn"), Err(PasswordProblem::TooLong));
        assert_eq!(check_policy("MatKhau12345", "a@b.vn"), Err(PasswordProblem::Common));
        assert_eq!(check_policy("canbo@quanuy.vn", "canbo@quanuy.vn"), Err(PasswordProblem::SameAsEmail));
    }
}
