//! Sealing at rest by the platform (DESIGN.md, Sealed bids): AES-256-GCM with a random key
//! per section, which is itself stored only encrypted ("wrapped") under the platform's
//! master key. A database dump before opening reveals neither prices nor documents. Every
//! sealed value is bound to what it belongs to (associated data), so a ciphertext moved to
//! another bid or section does not open. Unlike an envelope, this is the platform's own
//! seal: it opens with the platform's keys.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use rand::RngCore;

const NONCE_LEN: usize = 12;

/// Why a value sealed at rest does not seal or open: always a fault of the platform (its
/// keys or its stored values), never of the one who asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AtRestFault {
    #[error("bad sealing key")]
    BadKey,
    #[error("sealing failed")]
    SealFailed,
    #[error("sealed value is not base64")]
    NotBase64,
    #[error("sealed value too short")]
    TooShort,
    #[error("sealed value for {0} does not open")]
    DoesNotOpen(String),
    #[error("unwrapped key has the wrong length")]
    WrongKeyLength,
    #[error("no bid master key configured")]
    NoMasterKey,
    #[error("no key to open with")]
    NoKey,
    #[error("{0}")]
    Receipt(String),
}

fn engine() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

/// Encrypts `plaintext` under `key`, bound to `context`; returns base64(nonce ‖ ciphertext).
pub fn seal(key: &[u8; 32], plaintext: &[u8], context: &str) -> Result<String, AtRestFault> {
    let cipher = Aes256Gcm::new_from_slice(key).map_err(|_| AtRestFault::BadKey)?;
    let mut nonce = [0_u8; NONCE_LEN];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let ciphertext = cipher
        .encrypt(Nonce::from_slice(&nonce), Payload { msg: plaintext, aad: context.as_bytes() })
        .map_err(|_| AtRestFault::SealFailed)?;
    let mut out = nonce.to_vec();
    out.extend(ciphertext);
    Ok(engine().encode(out))
}

/// Decrypts what `seal` produced for the same key and context.
pub fn open(key: &[u8; 32], sealed: &str, context: &str) -> Result<Vec<u8>, AtRestFault> {
    let bytes = engine().decode(sealed).map_err(|_| AtRestFault::NotBase64)?;
    if bytes.len() <= NONCE_LEN {
        return Err(AtRestFault::TooShort);
    }
    let (nonce, ciphertext) = bytes.split_at(NONCE_LEN);
    let cipher = Aes256Gcm::new_from_slice(key).map_err(|_| AtRestFault::BadKey)?;
    cipher
        .decrypt(Nonce::from_slice(nonce), Payload { msg: ciphertext, aad: context.as_bytes() })
        .map_err(|_| AtRestFault::DoesNotOpen(context.to_owned()))
}

/// The bidder's receipt of a sealed content: HMAC-SHA256 keyed by a random salt of the bid
/// (sealed with the content and shown only to its bidder) over the content's canonical JSON.
/// Without the salt nobody can test a guessed price against the receipt, and two identical
/// bids have different receipts.
pub fn receipt(salt: &[u8; 32], content: &[u8]) -> Result<String, AtRestFault> {
    use hmac::{Hmac, Mac};
    let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(salt).map_err(|e| AtRestFault::Receipt(e.to_string()))?;
    mac.update(content);
    Ok(hex::encode(mac.finalize().into_bytes()))
}

/// A fresh random data key.
pub fn new_key() -> [u8; 32] {
    let mut key = [0_u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut key);
    key
}

/// A section's key wrapped under a master key, bound to the section.
pub fn wrap(master: &[u8; 32], key: &[u8; 32], section_id: &str) -> Result<String, AtRestFault> {
    seal(master, key, &format!("section-key:{section_id}"))
}

/// Unwraps with the first of `masters` that opens it: the current master key first, then
/// those being rotated away from. Answers which one did (0 for the current).
pub fn unwrap_with_any(
    masters: &[&[u8; 32]],
    wrapped: &str,
    section_id: &str,
) -> Result<([u8; 32], usize), AtRestFault> {
    let mut last = AtRestFault::NoMasterKey;
    for (index, master) in masters.iter().enumerate() {
        match unwrap(master, wrapped, section_id) {
            Ok(key) => return Ok((key, index)),
            Err(error) => last = error,
        }
    }
    Err(last)
}

/// Opens with the first of `keys` that opens it; answers which one did.
pub fn open_with_any(keys: &[&[u8; 32]], sealed: &str, context: &str) -> Result<(Vec<u8>, usize), AtRestFault> {
    let mut last = AtRestFault::NoKey;
    for (index, key) in keys.iter().enumerate() {
        match open(key, sealed, context) {
            Ok(plain) => return Ok((plain, index)),
            Err(error) => last = error,
        }
    }
    Err(last)
}

/// A section's key unwrapped with a master key.
pub fn unwrap(master: &[u8; 32], wrapped: &str, section_id: &str) -> Result<[u8; 32], AtRestFault> {
    let bytes = open(master, wrapped, &format!("section-key:{section_id}"))?;
    bytes.try_into().map_err(|_| AtRestFault::WrongKeyLength)
}

#[cfg(test)]
mod tests {
    use sha2::Digest;

    use super::*;

    #[test]
    fn receipts_are_keyed_by_the_salt() {
        let content = br#"{"price":"100.00"}"#;
        let (salt, other_salt) = (new_key(), new_key());
        let first = receipt(&salt, content).unwrap();
        assert_eq!(first, receipt(&salt, content).unwrap());
        assert_ne!(first, receipt(&other_salt, content).unwrap(), "identical bids share no receipt");
        let plain_hash = hex::encode(sha2::Sha256::digest(content));
        assert_ne!(first, plain_hash, "the plain hash confirms a guessed price");
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
        assert_eq!(
            open(&key, &sealed, "bid:2"),
            Err(AtRestFault::DoesNotOpen("bid:2".into())),
            "moved to another bid it does not open"
        );
        let again = seal(&key, b"price 9876543.21", "bid:1").unwrap();
        assert_ne!(sealed, again, "a fresh nonce every time");
    }

    #[test]
    fn a_rotated_master_key_still_opens_and_says_which_did() {
        let (old, current, key) = (new_key(), new_key(), new_key());
        let wrapped = wrap(&old, &key, "s1").unwrap();
        assert_eq!(unwrap_with_any(&[&current, &old], &wrapped, "s1").unwrap(), (key, 1));
        assert_eq!(unwrap_with_any(&[], &wrapped, "s1"), Err(AtRestFault::NoMasterKey));
        let sealed = seal(&current, b"answer", "idem:1").unwrap();
        assert_eq!(open_with_any(&[&current, &old], &sealed, "idem:1").unwrap(), (b"answer".to_vec(), 0));
        assert_eq!(open_with_any(&[], &sealed, "idem:1"), Err(AtRestFault::NoKey));
        assert_eq!(open(&key, "no base64!", "x"), Err(AtRestFault::NotBase64));
        assert_eq!(open(&key, "AAAA", "x"), Err(AtRestFault::TooShort));
    }
}
