//! Bids sealed by the bidder (电子招标投标办法 §24, §30, §31): the envelope a bidder's own
//! tool fills offline, so that nobody — the platform's operator included — can read a bid
//! before the opening. This crate owns the envelope format and its two cipher suites, and
//! nothing of the server: other systems link it to seal, and the platform to verify and
//! open.
//!
//! An envelope holds the bid's content (its JSON) encrypted under a fresh content key; the
//! content key wrapped to the bidder's own registered encryption key (so the bidder's tool
//! can recover it from the envelope at the opening); a commitment to the content key (so the
//! bidder cannot reveal another key — with AES-GCM or SM4-GCM another key could open the
//! same ciphertext to another text); and the bidder's signature over all of it. The suites:
//!
//! - `hpke-x25519-sha256-aes256gcm+ed25519`: the content key wrapped with HPKE (RFC 9180,
//!   base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM); content in
//!   AES-256-GCM; commitment SHA-256; signature Ed25519.
//! - `sm2-sm3-sm4gcm+sm2`: the content key wrapped with SM2 public-key encryption (GM/T
//!   0003.4, C1C3C2); content in SM4-GCM; commitment SM3; signature SM2 (GM/T 0003.2, the
//!   default distinguishing identifier `1234567812345678`), the suite of Chinese CA
//!   certificates.
//!
//! A bid's documents travel beside its envelope as sealed bid files (module `file`): each
//! sealed under a key derived from the same content key, its sealed form's SHA-256 listed
//! in the envelope's `files` (and so signed), its own SHA-256 named by the content; they
//! open with the key the bidder reveals, and not before.
//!
//! The platform's own seal at rest, under its keys (module `at_rest`), seals what it holds
//! before the opening: the bids it seals itself and their receipts, and stored answers.
//!
//! Only library primitives are used; this crate only composes them.

pub mod at_rest;
mod file;
pub use file::{seal_file, sealed_size, FileOpener, FileSealer, SealedFile, FILE_FORMAT, HEADER, SEGMENT};

use aes_gcm::aead::consts::U12;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use base64::Engine;
use rand::RngCore;
use serde::{Deserialize, Serialize};

/// The envelope format this crate writes and reads.
pub const FORMAT: &str = "ggzy-bid-envelope-v1";
/// The format of a bidder's key file.
pub const KEY_FORMAT: &str = "ggzy-bid-key-v1";
/// The distinguishing identifier of SM2 signatures (GM/T 0009 default).
pub const SM2_DISTID: &str = "1234567812345678";
const NONCE_LEN: usize = 12;
const COMMITMENT_DOMAIN: &[u8] = b"ggzy-bid-commitment-v1";
const HPKE_INFO: &[u8] = b"ggzy-bid-content-key-v1";
/// The most sealed files one envelope may carry.
pub const MAX_FILES: usize = 100;

/// A cipher suite, named in every envelope and key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Suite {
    #[serde(rename = "hpke-x25519-sha256-aes256gcm+ed25519")]
    Hpke,
    #[serde(rename = "sm2-sm3-sm4gcm+sm2")]
    Sm,
}

impl Suite {
    pub const ALL: [Suite; 2] = [Suite::Hpke, Suite::Sm];

    pub fn name(self) -> &'static str {
        match self {
            Suite::Hpke => "hpke-x25519-sha256-aes256gcm+ed25519",
            Suite::Sm => "sm2-sm3-sm4gcm+sm2",
        }
    }

    pub fn parse(name: &str) -> Option<Suite> {
        Suite::ALL.into_iter().find(|s| s.name() == name)
    }

    /// Bytes of the content key: AES-256 or SM4-128.
    pub fn content_key_len(self) -> usize {
        match self {
            Suite::Hpke => 32,
            Suite::Sm => 16,
        }
    }

    fn commit(self, content_key: &[u8]) -> String {
        use sha2::Digest;
        match self {
            Suite::Hpke => {
                let mut hash = sha2::Sha256::new();
                hash.update(COMMITMENT_DOMAIN);
                hash.update(content_key);
                hex::encode(hash.finalize())
            }
            Suite::Sm => {
                let mut hash = sm3::Sm3::new();
                hash.update(COMMITMENT_DOMAIN);
                hash.update(content_key);
                hex::encode(hash.finalize())
            }
        }
    }
}

/// What is wrong with an envelope, a key or a reveal. Each is its own refusal.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    #[error("not a {FORMAT} envelope: {0}")]
    Malformed(String),
    #[error("unknown suite `{0}`")]
    UnknownSuite(String),
    #[error("the envelope's suite is not the suite of the key it names")]
    SuiteMismatch,
    #[error("the envelope is for another section or bidder")]
    WrongAddress,
    #[error("the signature does not verify with the bidder's key")]
    BadSignature,
    #[error("the key does not match the envelope's commitment")]
    CommitmentMismatch,
    #[error("the content does not decrypt with this key")]
    DoesNotDecrypt,
    #[error("the content key cannot be unwrapped with this private key")]
    CannotUnwrap,
    #[error("bad key: {0}")]
    BadKey(String),
    #[error("the cipher failed: {0}")]
    Cipher(String),
}

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

fn decode(field: &str, text: &str) -> Result<Vec<u8>, SealError> {
    b64().decode(text).map_err(|_| SealError::Malformed(format!("`{field}` is not base64")))
}

/// A bidder's public keys, registered at the platform: an encryption key the content key is
/// wrapped to and a key its signatures verify with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicKeys {
    pub suite: Suite,
    /// X25519 (32 bytes) or SM2 SEC1 uncompressed (65 bytes), base64.
    pub encryption_key: String,
    /// Ed25519 (32 bytes) or SM2 SEC1 uncompressed (65 bytes), base64.
    pub verifying_key: String,
}

impl PublicKeys {
    /// Checks that both keys are keys of the suite.
    pub fn validate(&self) -> Result<(), SealError> {
        let encryption = decode("encryption_key", &self.encryption_key)?;
        let verifying = decode("verifying_key", &self.verifying_key)?;
        match self.suite {
            Suite::Hpke => {
                <hpke::kem::X25519HkdfSha256 as hpke::Kem>::PublicKey::from_bytes(&encryption)
                    .map_err(|_| SealError::BadKey("encryption_key is not an X25519 public key".into()))?;
                ed25519_verifying_key(&verifying)?;
            }
            Suite::Sm => {
                sm2::pke::EncryptingKey::from_sec1_bytes(&encryption)
                    .map_err(|_| SealError::BadKey("encryption_key is not an SM2 public key".into()))?;
                sm2::dsa::VerifyingKey::from_sec1_bytes(SM2_DISTID, &verifying)
                    .map_err(|_| SealError::BadKey("verifying_key is not an SM2 public key".into()))?;
            }
        }
        Ok(())
    }
}

use hpke::{Deserializable, Serializable};

fn ed25519_verifying_key(bytes: &[u8]) -> Result<ed25519_dalek::VerifyingKey, SealError> {
    let bytes: [u8; 32] =
        bytes.try_into().map_err(|_| SealError::BadKey("verifying_key is not an Ed25519 public key".into()))?;
    ed25519_dalek::VerifyingKey::from_bytes(&bytes)
        .map_err(|_| SealError::BadKey("verifying_key is not an Ed25519 public key".into()))
}

/// A bidder's private keys: its key file, kept by the bidder alone.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretKeys {
    /// `ggzy-bid-key-v1`.
    pub format: String,
    pub suite: Suite,
    /// 32 bytes, base64.
    pub decryption_key: String,
    /// 32 bytes, base64.
    pub signing_key: String,
}

impl std::fmt::Debug for SecretKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretKeys").field("suite", &self.suite).finish_non_exhaustive()
    }
}

fn secret_32(field: &str, text: &str) -> Result<[u8; 32], SealError> {
    decode(field, text)?.try_into().map_err(|_| SealError::BadKey(format!("{field} must be 32 bytes")))
}

impl SecretKeys {
    /// Fresh keys of a suite, from the operating system's random source.
    pub fn generate(suite: Suite) -> Result<SecretKeys, SealError> {
        let (decryption_key, signing_key) = match suite {
            Suite::Hpke => {
                let mut ikm = [0_u8; 32];
                rand::rngs::OsRng.fill_bytes(&mut ikm);
                let (private, _) = <hpke::kem::X25519HkdfSha256 as hpke::Kem>::derive_keypair(&ikm);
                let mut signing = [0_u8; 32];
                rand::rngs::OsRng.fill_bytes(&mut signing);
                (private.to_bytes().to_vec(), signing.to_vec())
            }
            Suite::Sm => {
                use sm2::elliptic_curve::Generate;
                let decryption = sm2::SecretKey::generate();
                let signing = sm2::SecretKey::generate();
                (decryption.to_bytes().to_vec(), signing.to_bytes().to_vec())
            }
        };
        Ok(SecretKeys {
            format: KEY_FORMAT.into(),
            suite,
            decryption_key: b64().encode(decryption_key),
            signing_key: b64().encode(signing_key),
        })
    }

    /// The public half, to register at the platform.
    pub fn public(&self) -> Result<PublicKeys, SealError> {
        let decryption = secret_32("decryption_key", &self.decryption_key)?;
        let signing = secret_32("signing_key", &self.signing_key)?;
        let (encryption_key, verifying_key) = match self.suite {
            Suite::Hpke => {
                let private = <hpke::kem::X25519HkdfSha256 as hpke::Kem>::PrivateKey::from_bytes(&decryption)
                    .map_err(|_| SealError::BadKey("decryption_key".into()))?;
                let public = <hpke::kem::X25519HkdfSha256 as hpke::Kem>::sk_to_pk(&private);
                let signing = ed25519_dalek::SigningKey::from_bytes(&signing);
                (public.to_bytes().to_vec(), signing.verifying_key().to_bytes().to_vec())
            }
            Suite::Sm => {
                let decryption = sm2::SecretKey::from_slice(&decryption)
                    .map_err(|_| SealError::BadKey("decryption_key is not an SM2 key".into()))?;
                let signing = sm2::dsa::SigningKey::from_slice(SM2_DISTID, &signing)
                    .map_err(|_| SealError::BadKey("signing_key is not an SM2 key".into()))?;
                (decryption.public_key().to_sec1_bytes().to_vec(), signing.verifying_key().to_sec1_bytes().to_vec())
            }
        };
        Ok(PublicKeys {
            suite: self.suite,
            encryption_key: b64().encode(encryption_key),
            verifying_key: b64().encode(verifying_key),
        })
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SealError> {
        let signing = secret_32("signing_key", &self.signing_key)?;
        match self.suite {
            Suite::Hpke => {
                use ed25519_dalek::Signer;
                Ok(ed25519_dalek::SigningKey::from_bytes(&signing).sign(message).to_bytes().to_vec())
            }
            Suite::Sm => {
                use sm2::dsa::signature::Signer;
                let key = sm2::dsa::SigningKey::from_slice(SM2_DISTID, &signing)
                    .map_err(|_| SealError::BadKey("signing_key is not an SM2 key".into()))?;
                let signature: sm2::dsa::Signature = key.sign(message);
                Ok(signature.to_bytes().to_vec())
            }
        }
    }
}

/// A sealed bid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    /// `ggzy-bid-envelope-v1`.
    pub format: String,
    /// The suite's name.
    pub suite: String,
    /// The section and bidder the bid is for: bound into the encryption and the signature,
    /// so an envelope cannot be moved to another section or passed off by another bidder.
    pub section_id: String,
    pub bidder_id: String,
    /// The content key wrapped to the bidder's encryption key (HPKE: the encapsulated key
    /// followed by the sealed key; SM2: the C1C3C2 ciphertext), base64.
    pub wrapped_key: String,
    /// 12 bytes, base64.
    pub nonce: String,
    /// The content, AEAD-encrypted under the content key, base64.
    pub ciphertext: String,
    /// Hex hash (SHA-256 or SM3) of `ggzy-bid-commitment-v1` followed by the content key.
    pub commitment: String,
    /// The SHA-256 (hex) of each sealed bid file the bid carries (`ggzy-bid-file-v1`, sealed
    /// under this envelope's content key), handed in before the envelope; signed with the
    /// rest. Absent when the bid carries no file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<String>,
    /// The bidder's signature over `signing_bytes`, base64.
    pub signature: String,
}

/// The part of an envelope the signature covers, in a fixed field order.
#[derive(Serialize)]
struct Signed<'a> {
    format: &'a str,
    suite: &'a str,
    section_id: &'a str,
    bidder_id: &'a str,
    wrapped_key: &'a str,
    nonce: &'a str,
    ciphertext: &'a str,
    commitment: &'a str,
    // Left out when empty, so that an envelope without files signs as it always did.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    files: &'a [String],
}

fn aad(section_id: &str, bidder_id: &str) -> Vec<u8> {
    format!("{FORMAT}\n{section_id}\n{bidder_id}").into_bytes()
}

fn content_cipher_seal(suite: Suite, key: &[u8], nonce: &[u8], plain: &[u8], aad: &[u8]) -> Result<Vec<u8>, SealError> {
    let payload = Payload { msg: plain, aad };
    let nonce = aes_gcm::Nonce::from_slice(nonce);
    match suite {
        Suite::Hpke => aes_gcm::Aes256Gcm::new_from_slice(key)
            .map_err(|_| SealError::Cipher("content key length".into()))?
            .encrypt(nonce, payload),
        Suite::Sm => aes_gcm::AesGcm::<sm4::Sm4, U12>::new_from_slice(key)
            .map_err(|_| SealError::Cipher("content key length".into()))?
            .encrypt(nonce, payload),
    }
    .map_err(|_| SealError::Cipher("encryption failed".into()))
}

fn content_cipher_open(
    suite: Suite,
    key: &[u8],
    nonce: &[u8],
    sealed: &[u8],
    aad: &[u8],
) -> Result<Vec<u8>, SealError> {
    let payload = Payload { msg: sealed, aad };
    let nonce = aes_gcm::Nonce::from_slice(nonce);
    match suite {
        Suite::Hpke => {
            aes_gcm::Aes256Gcm::new_from_slice(key).map_err(|_| SealError::DoesNotDecrypt)?.decrypt(nonce, payload)
        }
        Suite::Sm => aes_gcm::AesGcm::<sm4::Sm4, U12>::new_from_slice(key)
            .map_err(|_| SealError::DoesNotDecrypt)?
            .decrypt(nonce, payload),
    }
    .map_err(|_| SealError::DoesNotDecrypt)
}

/// Seals `content` (the bid's JSON) for a section, as the bidder holding `keys`; returns
/// the envelope and the content key (which the bidder reveals at the opening; it can also
/// be recovered from the envelope with `recover_content_key`).
pub fn seal(
    keys: &SecretKeys,
    section_id: &str,
    bidder_id: &str,
    content: &[u8],
) -> Result<(Envelope, Vec<u8>), SealError> {
    let content_key = new_content_key(keys.suite);
    let envelope = seal_with_key(keys, section_id, bidder_id, content, &content_key, Vec::new())?;
    Ok((envelope, content_key))
}

/// A fresh content key of a suite: the bidder's tool makes one per bid, seals the bid's
/// files under it (`FileSealer`), then the content (`seal_with_key`).
pub fn new_content_key(suite: Suite) -> Vec<u8> {
    let mut content_key = vec![0_u8; suite.content_key_len()];
    rand::rngs::OsRng.fill_bytes(&mut content_key);
    content_key
}

/// Seals `content` under a content key made by `new_content_key`, listing the sealed bid
/// files (their sealed SHA-256) sealed under the same key.
pub fn seal_with_key(
    keys: &SecretKeys,
    section_id: &str,
    bidder_id: &str,
    content: &[u8],
    content_key: &[u8],
    files: Vec<String>,
) -> Result<Envelope, SealError> {
    let suite = keys.suite;
    if content_key.len() != suite.content_key_len() {
        return Err(SealError::BadKey(format!("the content key must be {} bytes", suite.content_key_len())));
    }
    check_files(&files)?;
    let public = keys.public()?;
    let mut nonce = [0_u8; NONCE_LEN];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    let aad = aad(section_id, bidder_id);
    let ciphertext = content_cipher_seal(suite, content_key, &nonce, content, &aad)?;
    let encryption_key = decode("encryption_key", &public.encryption_key)?;
    let wrapped_key = match suite {
        Suite::Hpke => {
            let recipient = <hpke::kem::X25519HkdfSha256 as hpke::Kem>::PublicKey::from_bytes(&encryption_key)
                .map_err(|_| SealError::BadKey("encryption_key".into()))?;
            let (encapped, sealed) =
                hpke::single_shot_seal::<hpke::aead::AesGcm256, hpke::kdf::HkdfSha256, hpke::kem::X25519HkdfSha256, _>(
                    &hpke::OpModeS::Base,
                    &recipient,
                    HPKE_INFO,
                    content_key,
                    &aad,
                    &mut rand::rngs::OsRng,
                )
                .map_err(|e| SealError::Cipher(format!("HPKE: {e}")))?;
            let mut wrapped = encapped.to_bytes().to_vec();
            wrapped.extend(sealed);
            wrapped
        }
        Suite::Sm => {
            let recipient = sm2::pke::EncryptingKey::from_sec1_bytes(&encryption_key)
                .map_err(|_| SealError::BadKey("encryption_key".into()))?;
            recipient
                .encrypt(&mut sm2::elliptic_curve::common::getrandom::SysRng, content_key)
                .map_err(|_| SealError::Cipher("SM2 encryption failed".into()))?
        }
    };
    let mut envelope = Envelope {
        format: FORMAT.into(),
        suite: suite.name().into(),
        section_id: section_id.into(),
        bidder_id: bidder_id.into(),
        wrapped_key: b64().encode(wrapped_key),
        nonce: b64().encode(nonce),
        ciphertext: b64().encode(ciphertext),
        commitment: suite.commit(content_key),
        files,
        signature: String::new(),
    };
    envelope.signature = b64().encode(keys.sign(&envelope.signing_bytes()?)?);
    Ok(envelope)
}

/// The files of an envelope: SHA-256 hex each, none twice, at most `MAX_FILES`.
fn check_files(files: &[String]) -> Result<(), SealError> {
    if files.len() > MAX_FILES {
        return Err(SealError::Malformed(format!("`files` lists more than {MAX_FILES} files")));
    }
    for (index, file) in files.iter().enumerate() {
        if file.len() != 64 || !file.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return Err(SealError::Malformed(format!("`files[{index}]` must be 64 lowercase hex digits")));
        }
        if files[..index].contains(file) {
            return Err(SealError::Malformed(format!("`files[{index}]` is listed twice")));
        }
    }
    Ok(())
}

impl Envelope {
    /// What the signature covers: the format line and every other field as JSON, in order.
    pub fn signing_bytes(&self) -> Result<Vec<u8>, SealError> {
        let signed = Signed {
            format: &self.format,
            suite: &self.suite,
            section_id: &self.section_id,
            bidder_id: &self.bidder_id,
            wrapped_key: &self.wrapped_key,
            nonce: &self.nonce,
            ciphertext: &self.ciphertext,
            commitment: &self.commitment,
            files: &self.files,
        };
        let mut bytes = format!("{FORMAT}\n").into_bytes();
        bytes.extend(serde_json::to_vec(&signed).map_err(|e| SealError::Malformed(e.to_string()))?);
        Ok(bytes)
    }

    /// The receipt of the envelope: SHA-256 (hex) of what the bidder signed and its
    /// signature. The envelope is ciphertext under a random key: the receipt confirms
    /// nothing about the price.
    pub fn receipt(&self) -> Result<String, SealError> {
        use sha2::Digest;
        let mut bytes = self.signing_bytes()?;
        bytes.extend(self.signature.as_bytes());
        Ok(hex::encode(sha2::Sha256::digest(&bytes)))
    }

    pub fn suite(&self) -> Result<Suite, SealError> {
        Suite::parse(&self.suite).ok_or_else(|| SealError::UnknownSuite(self.suite.clone()))
    }

    /// Everything the platform checks on submission, without any key of its own: the
    /// format, the address, the suite against the bidder's registered key, the shape of
    /// every field, and the bidder's signature.
    pub fn verify(&self, section_id: &str, bidder_id: &str, key: &PublicKeys) -> Result<(), SealError> {
        if self.format != FORMAT {
            return Err(SealError::Malformed(format!("format must be {FORMAT}")));
        }
        let suite = self.suite()?;
        if suite != key.suite {
            return Err(SealError::SuiteMismatch);
        }
        if self.section_id != section_id || self.bidder_id != bidder_id {
            return Err(SealError::WrongAddress);
        }
        if decode("nonce", &self.nonce)?.len() != NONCE_LEN {
            return Err(SealError::Malformed("`nonce` must be 12 bytes".into()));
        }
        if decode("ciphertext", &self.ciphertext)?.len() < 16 {
            return Err(SealError::Malformed("`ciphertext` is shorter than its tag".into()));
        }
        let wrapped = decode("wrapped_key", &self.wrapped_key)?;
        let least = match suite {
            Suite::Hpke => 32 + 32 + 16,
            Suite::Sm => 65 + 32 + 16,
        };
        if wrapped.len() != least {
            return Err(SealError::Malformed(format!("`wrapped_key` must be {least} bytes")));
        }
        if self.commitment.len() != 64 || !self.commitment.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return Err(SealError::Malformed("`commitment` must be 64 lowercase hex digits".into()));
        }
        check_files(&self.files)?;
        let signature = decode("signature", &self.signature)?;
        let message = self.signing_bytes()?;
        let verifying = decode("verifying_key", &key.verifying_key)?;
        let verified = match suite {
            Suite::Hpke => {
                use ed25519_dalek::Verifier;
                let signature =
                    ed25519_dalek::Signature::from_slice(&signature).map_err(|_| SealError::BadSignature)?;
                ed25519_verifying_key(&verifying)?.verify(&message, &signature).is_ok()
            }
            Suite::Sm => {
                use sm2::dsa::signature::Verifier;
                let signature = sm2::dsa::Signature::from_slice(&signature).map_err(|_| SealError::BadSignature)?;
                sm2::dsa::VerifyingKey::from_sec1_bytes(SM2_DISTID, &verifying)
                    .map_err(|_| SealError::BadKey("verifying_key".into()))?
                    .verify(&message, &signature)
                    .is_ok()
            }
        };
        if verified {
            Ok(())
        } else {
            Err(SealError::BadSignature)
        }
    }

    /// Opens the content with the content key the bidder reveals: the key must match the
    /// commitment, and the content must decrypt under it (for this section and bidder).
    pub fn open(&self, content_key: &[u8]) -> Result<Vec<u8>, SealError> {
        let suite = self.suite()?;
        if content_key.len() != suite.content_key_len() || suite.commit(content_key) != self.commitment {
            return Err(SealError::CommitmentMismatch);
        }
        let nonce = decode("nonce", &self.nonce)?;
        if nonce.len() != NONCE_LEN {
            return Err(SealError::Malformed("`nonce` must be 12 bytes".into()));
        }
        let ciphertext = decode("ciphertext", &self.ciphertext)?;
        content_cipher_open(suite, content_key, &nonce, &ciphertext, &aad(&self.section_id, &self.bidder_id))
    }
}

/// The bidder's tool recovers the content key from its envelope with its private key, to
/// reveal it at the opening.
pub fn recover_content_key(keys: &SecretKeys, envelope: &Envelope) -> Result<Vec<u8>, SealError> {
    let suite = envelope.suite()?;
    if suite != keys.suite {
        return Err(SealError::SuiteMismatch);
    }
    let wrapped = decode("wrapped_key", &envelope.wrapped_key)?;
    let decryption = secret_32("decryption_key", &keys.decryption_key)?;
    let aad = aad(&envelope.section_id, &envelope.bidder_id);
    let key = match suite {
        Suite::Hpke => {
            if wrapped.len() < 32 {
                return Err(SealError::CannotUnwrap);
            }
            let (encapped, sealed) = wrapped.split_at(32);
            let private = <hpke::kem::X25519HkdfSha256 as hpke::Kem>::PrivateKey::from_bytes(&decryption)
                .map_err(|_| SealError::BadKey("decryption_key".into()))?;
            let encapped = <hpke::kem::X25519HkdfSha256 as hpke::Kem>::EncappedKey::from_bytes(encapped)
                .map_err(|_| SealError::CannotUnwrap)?;
            hpke::single_shot_open::<hpke::aead::AesGcm256, hpke::kdf::HkdfSha256, hpke::kem::X25519HkdfSha256>(
                &hpke::OpModeR::Base,
                &private,
                &encapped,
                HPKE_INFO,
                sealed,
                &aad,
            )
            .map_err(|_| SealError::CannotUnwrap)?
        }
        Suite::Sm => {
            let secret = sm2::SecretKey::from_slice(&decryption)
                .map_err(|_| SealError::BadKey("decryption_key is not an SM2 key".into()))?;
            sm2::pke::DecryptingKey::new(secret).decrypt(&wrapped).map_err(|_| SealError::CannotUnwrap)?
        }
    };
    if suite.commit(&key) != envelope.commitment {
        return Err(SealError::CommitmentMismatch);
    }
    Ok(key)
}

/// Base64 of a content key, as it is revealed.
pub fn encode_key(key: &[u8]) -> String {
    b64().encode(key)
}

/// A revealed content key from its base64.
pub fn decode_key(text: &str) -> Result<Vec<u8>, SealError> {
    decode("content_key", text)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONTENT: &[u8] = br#"{"price":"8765432.19"}"#;

    #[test]
    fn every_suite_seals_verifies_recovers_and_opens() {
        for suite in Suite::ALL {
            let keys = SecretKeys::generate(suite).unwrap();
            let public = keys.public().unwrap();
            public.validate().unwrap();
            let (envelope, content_key) = seal(&keys, "s1", "b1", CONTENT).unwrap();
            envelope.verify("s1", "b1", &public).unwrap();
            assert_eq!(recover_content_key(&keys, &envelope).unwrap(), content_key, "{suite:?}");
            assert_eq!(envelope.open(&content_key).unwrap(), CONTENT, "{suite:?}");
            assert!(!envelope.ciphertext.contains("8765432"), "the price is not in clear");
        }
    }

    #[test]
    fn a_receipt_covers_what_was_signed_and_the_signature() {
        use sha2::Digest;
        let keys = SecretKeys::generate(Suite::ALL[0]).unwrap();
        let (envelope, _) = seal(&keys, "s1", "b1", CONTENT).unwrap();
        let mut signed = envelope.signing_bytes().unwrap();
        signed.extend(envelope.signature.as_bytes());
        let receipt = envelope.receipt().unwrap();
        assert_eq!(receipt, hex::encode(sha2::Sha256::digest(&signed)));
        let mut resigned = envelope.clone();
        resigned.signature.push('x');
        assert_ne!(resigned.receipt().unwrap(), receipt, "the signature is part of it");
        let (again, _) = seal(&keys, "s1", "b1", CONTENT).unwrap();
        assert_ne!(again.receipt().unwrap(), receipt, "a fresh content key, another receipt");
    }

    #[test]
    fn tampering_is_refused_each_with_its_own_error() {
        for suite in Suite::ALL {
            let keys = SecretKeys::generate(suite).unwrap();
            let public = keys.public().unwrap();
            let (envelope, content_key) = seal(&keys, "s1", "b1", CONTENT).unwrap();
            // A changed byte of the ciphertext: the signature no longer verifies.
            let mut changed = envelope.clone();
            let mut bytes = b64().decode(&changed.ciphertext).unwrap();
            bytes[0] ^= 1;
            changed.ciphertext = b64().encode(bytes);
            assert_eq!(changed.verify("s1", "b1", &public), Err(SealError::BadSignature));
            // Another bidder's key.
            let other = SecretKeys::generate(suite).unwrap().public().unwrap();
            assert_eq!(envelope.verify("s1", "b1", &other), Err(SealError::BadSignature));
            // Moved to another section.
            assert_eq!(envelope.verify("s2", "b1", &public), Err(SealError::WrongAddress));
            // A wrong key at the opening.
            let mut wrong = content_key.clone();
            wrong[0] ^= 1;
            assert_eq!(envelope.open(&wrong), Err(SealError::CommitmentMismatch));
            // A key that matches the commitment but not the ciphertext (a sealed text swapped).
            let (second, _) = seal(&keys, "s1", "b1", br#"{"price":"1.00"}"#).unwrap();
            let mut swapped = envelope.clone();
            swapped.ciphertext = second.ciphertext.clone();
            swapped.nonce = second.nonce.clone();
            assert_eq!(swapped.open(&content_key), Err(SealError::DoesNotDecrypt));
        }
        let hpke = SecretKeys::generate(Suite::Hpke).unwrap();
        let sm = SecretKeys::generate(Suite::Sm).unwrap().public().unwrap();
        let (envelope, _) = seal(&hpke, "s1", "b1", CONTENT).unwrap();
        assert_eq!(envelope.verify("s1", "b1", &sm), Err(SealError::SuiteMismatch));
    }

    #[test]
    fn an_envelope_signs_its_files_and_their_seal_opens_with_its_key() {
        for suite in Suite::ALL {
            let keys = SecretKeys::generate(suite).unwrap();
            let public = keys.public().unwrap();
            let content_key = new_content_key(suite);
            let mut sealed = Vec::new();
            let file = seal_file(suite, &content_key, "s1", "b1", &b"bid file bytes"[..], &mut sealed).unwrap();
            let envelope =
                seal_with_key(&keys, "s1", "b1", CONTENT, &content_key, vec![file.sealed_sha256.clone()]).unwrap();
            envelope.verify("s1", "b1", &public).unwrap();
            let key = recover_content_key(&keys, &envelope).unwrap();
            let mut opener = FileOpener::new(suite, &key, "s1", "b1").unwrap();
            let mut plain = opener.update(&sealed).unwrap();
            plain.extend(opener.finish().unwrap());
            assert_eq!(plain, b"bid file bytes");
            // A file dropped from, or added to, the list: the signature no longer verifies.
            let mut dropped = envelope.clone();
            dropped.files.clear();
            assert_eq!(dropped.verify("s1", "b1", &public), Err(SealError::BadSignature));
            let mut added = envelope.clone();
            added.files.push("ab".repeat(32));
            assert_eq!(added.verify("s1", "b1", &public), Err(SealError::BadSignature));
            // A malformed or repeated entry is refused as such, before the signature.
            let mut malformed = envelope.clone();
            malformed.files = vec!["AB".repeat(32)];
            assert!(matches!(malformed.verify("s1", "b1", &public), Err(SealError::Malformed(_))));
            let twice = vec![file.sealed_sha256.clone(), file.sealed_sha256.clone()];
            assert!(matches!(
                seal_with_key(&keys, "s1", "b1", CONTENT, &content_key, twice),
                Err(SealError::Malformed(_))
            ));
        }
    }

    /// Envelopes sealed once and committed (`tests/vectors.json`): each still verifies,
    /// recovers and opens to its content, so the format cannot drift unnoticed.
    #[test]
    fn committed_test_vectors_open() {
        #[derive(Deserialize)]
        struct Vector {
            keys: SecretKeys,
            public: PublicKeys,
            envelope: Envelope,
            content_key: String,
            content: String,
        }
        let vectors: Vec<Vector> = serde_json::from_str(include_str!("../tests/vectors.json")).unwrap();
        let suites: Vec<Suite> = vectors.iter().map(|v| v.keys.suite).collect();
        assert!(Suite::ALL.iter().all(|s| suites.contains(s)), "a vector for every suite");
        for vector in vectors {
            assert_eq!(vector.keys.public().unwrap(), vector.public);
            vector.envelope.verify(&vector.envelope.section_id, &vector.envelope.bidder_id, &vector.public).unwrap();
            let key = recover_content_key(&vector.keys, &vector.envelope).unwrap();
            assert_eq!(encode_key(&key), vector.content_key);
            assert_eq!(vector.envelope.open(&key).unwrap(), vector.content.as_bytes());
        }
    }
}
