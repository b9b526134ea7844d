//! Sealing of bid contents (DESIGN.md, Sealed bids): AES-256-GCM with a random key per
//! section, which is itself stored only encrypted ("wrapped") under the platform's master
//! key. A database dump before opening reveals neither prices nor documents. Every sealed
//! value is bound to what it belongs to (associated data), so a ciphertext moved to another
//! bid or section does not open.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use rand::RngCore;

use crate::ServiceError;

const NONCE_LEN: usize = 12;

fn engine() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

/// Encrypts `plaintext` under `key`, bound to `context`; returns base64(nonce ‖ ciphertext).
pub(crate) fn seal(key: &[u8; 32], plaintext: &[u8], context: &str) -> Result<String, ServiceError> {
    let cipher = Aes256Gcm::new_from_slice(key).map_err(|_| ServiceError::Internal("bad sealing key".into()))?;
    let mut nonce = [0_u8; NONCE_LEN];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let ciphertext = cipher
        .encrypt(Nonce::from_slice(&nonce), Payload { msg: plaintext, aad: context.as_bytes() })
        .map_err(|_| ServiceError::Internal("sealing failed".into()))?;
    let mut out = nonce.to_vec();
    out.extend(ciphertext);
    Ok(engine().encode(out))
}

/// Decrypts what `seal` produced for the same key and context.
pub(crate) fn open(key: &[u8; 32], sealed: &str, context: &str) -> Result<Vec<u8>, ServiceError> {
    let bytes = engine().decode(sealed).map_err(|_| ServiceError::Internal("sealed value is not base64".into()))?;
    if bytes.len() <= NONCE_LEN {
        return Err(ServiceError::Internal("sealed value too short".into()));
    }
    let (nonce, ciphertext) = bytes.split_at(NONCE_LEN);
    let cipher = Aes256Gcm::new_from_slice(key).map_err(|_| ServiceError::Internal("bad sealing key".into()))?;
    cipher
        .decrypt(Nonce::from_slice(nonce), Payload { msg: ciphertext, aad: context.as_bytes() })
        .map_err(|_| ServiceError::Internal(format!("sealed value for {context} does not open")))
}

/// The bidder's receipt of a sealed content: HMAC-SHA256 keyed by a random salt of the bid
/// (sealed with the content and shown only to its bidder) over the content's canonical JSON.
/// Without the salt nobody can test a guessed price against the receipt, and two identical
/// bids have different receipts.
pub(crate) fn receipt(salt: &[u8; 32], content: &[u8]) -> Result<String, ServiceError> {
    use hmac::{Hmac, Mac};
    let mut mac =
        <Hmac<sha2::Sha256> as Mac>::new_from_slice(salt).map_err(|e| ServiceError::Internal(e.to_string()))?;
    mac.update(content);
    Ok(hex::encode(mac.finalize().into_bytes()))
}

/// A fresh random data key.
pub(crate) fn new_key() -> [u8; 32] {
    let mut key = [0_u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut key);
    key
}

pub(crate) fn wrap(master: &[u8; 32], key: &[u8; 32], section_id: &str) -> Result<String, ServiceError> {
    seal(master, key, &format!("section-key:{section_id}"))
}

/// Unwraps with the first of `masters` that opens it: the current master key first, then
/// those being rotated away from. Answers which one did (0 for the current).
pub(crate) fn unwrap_with_any(
    masters: &[&[u8; 32]],
    wrapped: &str,
    section_id: &str,
) -> Result<([u8; 32], usize), ServiceError> {
    let mut last = ServiceError::Internal("no bid master key configured".into());
    for (index, master) in masters.iter().enumerate() {
        match unwrap(master, wrapped, section_id) {
            Ok(key) => return Ok((key, index)),
            Err(error) => last = error,
        }
    }
    Err(last)
}

/// Opens with the first of `keys` that opens it; answers which one did.
pub(crate) fn open_with_any(keys: &[&[u8; 32]], sealed: &str, context: &str) -> Result<(Vec<u8>, usize), ServiceError> {
    let mut last = ServiceError::Internal("no key to open with".into());
    for (index, key) in keys.iter().enumerate() {
        match open(key, sealed, context) {
            Ok(plain) => return Ok((plain, index)),
            Err(error) => last = error,
        }
    }
    Err(last)
}

pub(crate) fn unwrap(master: &[u8; 32], wrapped: &str, section_id: &str) -> Result<[u8; 32], ServiceError> {
    let bytes = open(master, wrapped, &format!("section-key:{section_id}"))?;
    bytes.try_into().map_err(|_| ServiceError::Internal("unwrapped key has the wrong length".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receipts_are_keyed_by_the_salt() {
        let content = br#"{"price":"100.00"}"#;
        let (salt, other_salt) = (new_key(), new_key());
        let first = receipt(&salt, content).unwrap();
        assert_eq!(first, receipt(&salt, content).unwrap());
        assert_ne!(first, receipt(&other_salt, content).unwrap(), "identical bids share no receipt");
        assert_ne!(first, crate::bids::sha256_hex(content), "the plain hash confirms a guessed price");
        assert_ne!(first, receipt(&salt, br#"{"price":"100.01"}"#).unwrap());
        assert_eq!(first.len(), 64);
    }

    #[test]
    fn sealed_values_open_only_with_their_key_and_context() {
        let master = new_key();
        let key = new_key();
        let wrapped = wrap(&master, &key, "s1").unwrap();
        assert_eq!(unwrap(&master, &wrapped, "s1").unwrap(), key);
        assert!(unwrap(&master, &wrapped, "s2").is_err(), "a key wrapped for one section opens for no other");
        assert!(unwrap(&new_key(), &wrapped, "s1").is_err());

        let sealed = seal(&key, b"price 9876543.21", "bid:1").unwrap();
        assert!(!sealed.contains("9876543"));
        assert_eq!(open(&key, &sealed, "bid:1").unwrap(), b"price 9876543.21");
        assert!(open(&key, &sealed, "bid:2").is_err(), "moved to another bid it does not open");
        let again = seal(&key, b"price 9876543.21", "bid:1").unwrap();
        assert_ne!(sealed, again, "a fresh nonce every time");
    }
}
