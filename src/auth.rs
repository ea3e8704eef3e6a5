//! Passwords, tokens and their hashes, and the identity cache. Reading who is calling from a
//! request is `http::identify`.

mod identity_cache;
pub use identity_cache::IdentityCache;

use app::domain::auth::API_KEY_PREFIX;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::RngCore;

pub fn hash_password(password: &str) -> Result<String, argon2::password_hash::Error> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt)?;
    Ok(Argon2::default().hash_password(password.as_bytes(), &salt)?.to_string())
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// A hash to check against when the username does not exist, so that a wrong username takes
/// as long as a wrong password and reveals nothing.
pub fn dummy_password_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password("not a real password").unwrap_or_default())
}

fn random_hex(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buffer);
    buffer.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// A session or device token: 256 random bits.
pub fn new_session_token() -> String {
    random_hex(32)
}

/// A customer's order token: 128 random bits, short enough for a URL.
pub fn new_order_token() -> String {
    random_hex(16)
}

/// An API key: the prefix, then 256 random bits.
pub fn new_api_key() -> String {
    format!("{API_KEY_PREFIX}{}", random_hex(32))
}

/// Only this hash of a token is stored.
pub fn token_hash(token: &str) -> String {
    crate::digest::sha256_hex(token.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_themselves() {
        let hash = hash_password("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2"));
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("correct horse batterY", &hash));
        assert!(!verify_password("anything", "not a hash"));
    }

    #[test]
    fn tokens_are_long_random_and_stored_hashed() {
        let (a, b) = (new_session_token(), new_session_token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(new_order_token().len(), 32);
        assert!(new_api_key().starts_with("pzk_") && new_api_key().len() == 68);
        assert_eq!(token_hash(&a), token_hash(&a));
        assert_ne!(token_hash(&a), a);
    }
}
