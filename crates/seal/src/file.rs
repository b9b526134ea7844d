//! Bid files sealed under their bid's content key (`ggzy-bid-file-v1`), so that a bid's
//! documents stay as closed as its price: the platform stores the sealed bytes, and they open
//! only with the key the bidder reveals at the opening, the key its envelope commits to.
//!
//! The format is a header and a sequence of segments, each sealed on its own (the STREAM
//! construction of Hoang, Reyhanitabar, Rogaway and Vizár), so that files of any size are
//! sealed and opened in bounded memory and no segment can be dropped, reordered or
//! appended unnoticed:
//!
//! - header, 24 bytes: `ggzy-bid-file-v1`, one suite byte (1: the HPKE suite's AES-256-GCM,
//!   2: the SM suite's SM4-GCM), a random 7-byte nonce prefix;
//! - segments of 65,536 plaintext bytes, each followed by its 16-byte tag; the last segment
//!   is shorter than a full one (empty when the file is a whole number of segments);
//! - segment `i`'s nonce: the prefix, `i` as 4 big-endian bytes, and 1 for the last segment
//!   or 0 for any other; associated data: the header, the section id, `\n`, the bidder id;
//! - the key: the first key-length bytes of the suite's hash (SHA-256 or SM3) of
//!   `ggzy-bid-file-key-v1` followed by the content key — never the content key itself.

use aes_gcm::aead::consts::U12;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use rand::RngCore;
use sha2::Digest;

use crate::{SealError, Suite};

/// The first bytes of every sealed bid file.
pub const FILE_FORMAT: &[u8; 16] = b"ggzy-bid-file-v1";
/// Plaintext bytes per segment.
pub const SEGMENT: usize = 64 * 1024;
const TAG: usize = 16;
const PREFIX: usize = 7;
/// Bytes of the header.
pub const HEADER: usize = FILE_FORMAT.len() + 1 + PREFIX;
const FILE_KEY_DOMAIN: &[u8] = b"ggzy-bid-file-key-v1";

/// How large a file of `plain` bytes is once sealed.
pub fn sealed_size(plain: u64) -> u64 {
    let segments = plain / SEGMENT as u64 + 1;
    HEADER as u64 + plain + segments * TAG as u64
}

fn suite_byte(suite: Suite) -> u8 {
    match suite {
        Suite::Hpke => 1,
        Suite::Sm => 2,
    }
}

enum Cipher {
    Aes(Box<aes_gcm::Aes256Gcm>),
    Sm(Box<aes_gcm::AesGcm<sm4::Sm4, U12>>),
}

impl Cipher {
    fn new(suite: Suite, content_key: &[u8]) -> Result<Cipher, SealError> {
        if content_key.len() != suite.content_key_len() {
            return Err(SealError::BadKey(format!("the content key must be {} bytes", suite.content_key_len())));
        }
        let key = match suite {
            Suite::Hpke => {
                let mut hash = sha2::Sha256::new();
                hash.update(FILE_KEY_DOMAIN);
                hash.update(content_key);
                hash.finalize().to_vec()
            }
            Suite::Sm => {
                let mut hash = sm3::Sm3::new();
                hash.update(FILE_KEY_DOMAIN);
                hash.update(content_key);
                hash.finalize().to_vec()
            }
        };
        let key = &key[..suite.content_key_len()];
        let length = || SealError::Cipher("file key length".into());
        Ok(match suite {
            Suite::Hpke => Cipher::Aes(Box::new(aes_gcm::Aes256Gcm::new_from_slice(key).map_err(|_| length())?)),
            Suite::Sm => {
                Cipher::Sm(Box::new(aes_gcm::AesGcm::<sm4::Sm4, U12>::new_from_slice(key).map_err(|_| length())?))
            }
        })
    }

    fn seal(&self, nonce: &[u8; 12], msg: &[u8], aad: &[u8]) -> Result<Vec<u8>, SealError> {
        let nonce = aes_gcm::Nonce::from_slice(nonce);
        let payload = Payload { msg, aad };
        match self {
            Cipher::Aes(cipher) => cipher.encrypt(nonce, payload),
            Cipher::Sm(cipher) => cipher.encrypt(nonce, payload),
        }
        .map_err(|_| SealError::Cipher("encryption failed".into()))
    }

    fn open(&self, nonce: &[u8; 12], msg: &[u8], aad: &[u8]) -> Result<Vec<u8>, SealError> {
        let nonce = aes_gcm::Nonce::from_slice(nonce);
        let payload = Payload { msg, aad };
        match self {
            Cipher::Aes(cipher) => cipher.decrypt(nonce, payload),
            Cipher::Sm(cipher) => cipher.decrypt(nonce, payload),
        }
        .map_err(|_| SealError::DoesNotDecrypt)
    }
}

/// Where the segments stand: the key, the associated data and the next segment's number.
struct Segments {
    cipher: Cipher,
    prefix: [u8; PREFIX],
    aad: Vec<u8>,
    next: u32,
}

impl Segments {
    fn new(
        suite: Suite,
        content_key: &[u8],
        header: &[u8],
        section_id: &str,
        bidder_id: &str,
    ) -> Result<Self, SealError> {
        let mut prefix = [0_u8; PREFIX];
        prefix.copy_from_slice(&header[FILE_FORMAT.len() + 1..HEADER]);
        let mut aad = header.to_vec();
        aad.extend(section_id.as_bytes());
        aad.push(b'\n');
        aad.extend(bidder_id.as_bytes());
        Ok(Segments { cipher: Cipher::new(suite, content_key)?, prefix, aad, next: 0 })
    }

    fn nonce(&mut self, last: bool) -> Result<[u8; 12], SealError> {
        let mut nonce = [0_u8; 12];
        nonce[..PREFIX].copy_from_slice(&self.prefix);
        nonce[PREFIX..PREFIX + 4].copy_from_slice(&self.next.to_be_bytes());
        nonce[11] = u8::from(last);
        self.next =
            self.next.checked_add(1).ok_or_else(|| SealError::Cipher("the file has too many segments".into()))?;
        Ok(nonce)
    }
}

/// What sealing a file found: the file's own hash and size, and its sealed form's — the
/// bid's content names the first, the envelope (and the upload) the second.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedFile {
    /// SHA-256 (hex) of the file as the bidder wrote it.
    pub sha256: String,
    pub size: u64,
    /// SHA-256 (hex) of the sealed bytes, the address the platform stores them under.
    pub sealed_sha256: String,
    pub sealed_size: u64,
}

/// Seals a file as it is read: each call takes the next bytes of the file and gives back
/// the sealed bytes ready so far.
pub struct FileSealer {
    segments: Segments,
    header: Option<Vec<u8>>,
    pending: Vec<u8>,
    plain: sha2::Sha256,
    plain_size: u64,
    sealed: sha2::Sha256,
    sealed_size: u64,
}

impl std::fmt::Debug for FileSealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileSealer").field("plain_size", &self.plain_size).finish_non_exhaustive()
    }
}

impl FileSealer {
    /// A sealer for a file of the bid `content_key` seals, in `section_id` by `bidder_id`.
    pub fn new(suite: Suite, content_key: &[u8], section_id: &str, bidder_id: &str) -> Result<FileSealer, SealError> {
        let mut header = FILE_FORMAT.to_vec();
        header.push(suite_byte(suite));
        let mut prefix = [0_u8; PREFIX];
        rand::rngs::OsRng.fill_bytes(&mut prefix);
        header.extend(prefix);
        Ok(FileSealer {
            segments: Segments::new(suite, content_key, &header, section_id, bidder_id)?,
            header: Some(header),
            pending: Vec::with_capacity(SEGMENT),
            plain: sha2::Sha256::new(),
            plain_size: 0,
            sealed: sha2::Sha256::new(),
            sealed_size: 0,
        })
    }

    fn emit(&mut self, out: &mut Vec<u8>, bytes: &[u8]) {
        self.sealed.update(bytes);
        self.sealed_size += bytes.len() as u64;
        out.extend_from_slice(bytes);
    }

    /// The next bytes of the file; returns the sealed bytes that are ready.
    pub fn update(&mut self, mut plain: &[u8]) -> Result<Vec<u8>, SealError> {
        self.plain.update(plain);
        self.plain_size += plain.len() as u64;
        let mut out = Vec::new();
        if let Some(header) = self.header.take() {
            self.emit(&mut out, &header);
        }
        while !plain.is_empty() {
            let take = (SEGMENT - self.pending.len()).min(plain.len());
            self.pending.extend_from_slice(&plain[..take]);
            plain = &plain[take..];
            // A full segment is sealed only once more bytes follow: the last segment is
            // always shorter than a full one.
            if self.pending.len() == SEGMENT && !plain.is_empty() {
                self.seal_pending(&mut out, false)?;
            }
        }
        Ok(out)
    }

    fn seal_pending(&mut self, out: &mut Vec<u8>, last: bool) -> Result<(), SealError> {
        let nonce = self.segments.nonce(last)?;
        let sealed = self.segments.cipher.seal(&nonce, &self.pending, &self.segments.aad)?;
        self.pending.clear();
        self.emit(out, &sealed);
        Ok(())
    }

    /// The end of the file: the last sealed bytes, and what sealing found.
    pub fn finish(mut self) -> Result<(Vec<u8>, SealedFile), SealError> {
        let mut out = Vec::new();
        if let Some(header) = self.header.take() {
            self.emit(&mut out, &header);
        }
        if self.pending.len() == SEGMENT {
            self.seal_pending(&mut out, false)?;
        }
        self.seal_pending(&mut out, true)?;
        let file = SealedFile {
            sha256: hex::encode(self.plain.finalize_reset()),
            size: self.plain_size,
            sealed_sha256: hex::encode(self.sealed.finalize_reset()),
            sealed_size: self.sealed_size,
        };
        Ok((out, file))
    }
}

/// Opens a sealed file as it is read, with the content key the bidder revealed (checked
/// against its envelope's commitment before): each call takes the next sealed bytes and
/// gives back the file's bytes whose segment has been authenticated.
pub struct FileOpener {
    suite: Suite,
    content_key: Vec<u8>,
    section_id: String,
    bidder_id: String,
    segments: Option<Segments>,
    pending: Vec<u8>,
}

impl std::fmt::Debug for FileOpener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileOpener")
            .field("suite", &self.suite)
            .field("section_id", &self.section_id)
            .finish_non_exhaustive()
    }
}

impl FileOpener {
    pub fn new(suite: Suite, content_key: &[u8], section_id: &str, bidder_id: &str) -> Result<FileOpener, SealError> {
        // The key's length is checked now rather than at the header.
        Cipher::new(suite, content_key)?;
        Ok(FileOpener {
            suite,
            content_key: content_key.to_vec(),
            section_id: section_id.into(),
            bidder_id: bidder_id.into(),
            segments: None,
            pending: Vec::new(),
        })
    }

    /// The next sealed bytes; returns the opened bytes that are ready.
    pub fn update(&mut self, sealed: &[u8]) -> Result<Vec<u8>, SealError> {
        self.pending.extend_from_slice(sealed);
        let mut out = Vec::new();
        if self.segments.is_none() {
            if self.pending.len() < HEADER {
                return Ok(out);
            }
            let header: Vec<u8> = self.pending.drain(..HEADER).collect();
            if &header[..FILE_FORMAT.len()] != FILE_FORMAT {
                return Err(SealError::Malformed("not a ggzy-bid-file-v1 file".into()));
            }
            if header[FILE_FORMAT.len()] != suite_byte(self.suite) {
                return Err(SealError::SuiteMismatch);
            }
            self.segments =
                Some(Segments::new(self.suite, &self.content_key, &header, &self.section_id, &self.bidder_id)?);
        }
        let Some(segments) = self.segments.as_mut() else { return Ok(out) };
        // A full sealed segment is never the last one, so it opens as soon as it is here.
        while self.pending.len() >= SEGMENT + TAG {
            let nonce = segments.nonce(false)?;
            let segment: Vec<u8> = self.pending.drain(..SEGMENT + TAG).collect();
            out.extend(segments.cipher.open(&nonce, &segment, &segments.aad)?);
        }
        Ok(out)
    }

    /// The end of the sealed bytes: the file's last bytes, once the last segment opens.
    pub fn finish(mut self) -> Result<Vec<u8>, SealError> {
        let Some(mut segments) = self.segments.take() else {
            return Err(SealError::Malformed("the file ends inside its header".into()));
        };
        if self.pending.len() < TAG {
            return Err(SealError::Malformed("the file ends without its last segment".into()));
        }
        let nonce = segments.nonce(true)?;
        segments.cipher.open(&nonce, &self.pending, &segments.aad)
    }
}

/// Seals everything `reader` gives into `writer`.
pub fn seal_file(
    suite: Suite,
    content_key: &[u8],
    section_id: &str,
    bidder_id: &str,
    mut reader: impl std::io::Read,
    mut writer: impl std::io::Write,
) -> Result<SealedFile, SealError> {
    let io = |e: std::io::Error| SealError::Cipher(format!("I/O: {e}"));
    let mut sealer = FileSealer::new(suite, content_key, section_id, bidder_id)?;
    let mut buffer = vec![0_u8; SEGMENT];
    loop {
        let read = reader.read(&mut buffer).map_err(io)?;
        if read == 0 {
            break;
        }
        writer.write_all(&sealer.update(&buffer[..read])?).map_err(io)?;
    }
    let (last, file) = sealer.finish()?;
    writer.write_all(&last).map_err(io)?;
    writer.flush().map_err(io)?;
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(suite: Suite) -> Vec<u8> {
        vec![7_u8; suite.content_key_len()]
    }

    fn seal_all(suite: Suite, plain: &[u8], chunk: usize) -> (Vec<u8>, SealedFile) {
        let mut sealer = FileSealer::new(suite, &key(suite), "s1", "b1").unwrap();
        let mut out = Vec::new();
        for part in plain.chunks(chunk.max(1)) {
            out.extend(sealer.update(part).unwrap());
        }
        let (last, file) = sealer.finish().unwrap();
        out.extend(last);
        (out, file)
    }

    fn open_all(suite: Suite, sealed: &[u8], chunk: usize, section: &str) -> Result<Vec<u8>, SealError> {
        let mut opener = FileOpener::new(suite, &key(suite), section, "b1")?;
        let mut out = Vec::new();
        for part in sealed.chunks(chunk.max(1)) {
            out.extend(opener.update(part)?);
        }
        out.extend(opener.finish()?);
        Ok(out)
    }

    #[test]
    fn files_of_every_size_round_trip_in_any_chunking() {
        for suite in Suite::ALL {
            for size in [0, 1, SEGMENT - 1, SEGMENT, SEGMENT + 1, 3 * SEGMENT, 3 * SEGMENT + 17] {
                let plain: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
                for chunk in [1000, SEGMENT, 7 * SEGMENT] {
                    let (sealed, file) = seal_all(suite, &plain, chunk);
                    assert_eq!(sealed.len() as u64, sealed_size(size as u64), "{suite:?} {size}");
                    assert_eq!(file.size, size as u64);
                    assert_eq!(file.sealed_size, sealed.len() as u64);
                    assert_eq!(file.sha256, hex::encode(sha2::Sha256::digest(&plain)));
                    assert_eq!(file.sealed_sha256, hex::encode(sha2::Sha256::digest(&sealed)));
                    assert_eq!(open_all(suite, &sealed, 4096, "s1").unwrap(), plain, "{suite:?} {size} {chunk}");
                }
            }
        }
    }

    #[test]
    fn the_file_is_not_in_clear_and_every_change_is_refused() {
        for suite in Suite::ALL {
            let plain = b"price 8765432.19 ".repeat(10_000);
            let (sealed, _) = seal_all(suite, &plain, SEGMENT);
            assert!(!sealed.windows(16).any(|w| w == b"price 8765432.19"), "in clear");
            // Another section's file.
            assert_eq!(open_all(suite, &sealed, SEGMENT, "s2"), Err(SealError::DoesNotDecrypt));
            // A changed byte in a segment.
            let mut changed = sealed.clone();
            changed[HEADER + 10] ^= 1;
            assert_eq!(open_all(suite, &changed, SEGMENT, "s1"), Err(SealError::DoesNotDecrypt));
            // Truncated at a segment boundary: no last segment; inside one: it is not the last.
            let truncated = &sealed[..HEADER + 2 * (SEGMENT + TAG)];
            assert!(matches!(open_all(suite, truncated, SEGMENT, "s1"), Err(SealError::Malformed(_))));
            let truncated = &sealed[..HEADER + 2 * (SEGMENT + TAG) + 100];
            assert_eq!(open_all(suite, truncated, SEGMENT, "s1"), Err(SealError::DoesNotDecrypt));
            // Two segments swapped.
            let mut swapped = sealed.clone();
            let (a, b) = (HEADER, HEADER + SEGMENT + TAG);
            let first = sealed[a..b].to_vec();
            swapped[a..b].copy_from_slice(&sealed[b..b + SEGMENT + TAG]);
            swapped[b..b + SEGMENT + TAG].copy_from_slice(&first);
            assert_eq!(open_all(suite, &swapped, SEGMENT, "s1"), Err(SealError::DoesNotDecrypt));
            // Another key.
            let mut opener = FileOpener::new(suite, &vec![8_u8; suite.content_key_len()], "s1", "b1").unwrap();
            assert_eq!(opener.update(&sealed).map(|_| ()), Err(SealError::DoesNotDecrypt));
            // Not a sealed file at all, and a file of the other suite.
            assert!(matches!(open_all(suite, b"%PDF-1.7 plain", 100, "s1"), Err(SealError::Malformed(_))));
            let other = if suite == Suite::Hpke { Suite::Sm } else { Suite::Hpke };
            let mut opener = FileOpener::new(other, &key(other), "s1", "b1").unwrap();
            assert_eq!(opener.update(&sealed).map(|_| ()), Err(SealError::SuiteMismatch));
        }
    }

    #[test]
    fn the_file_key_is_not_the_content_key() {
        // A file sealed with the content key itself as its key does not open.
        let suite = Suite::Hpke;
        let plain = b"bid file";
        let (sealed, _) = seal_all(suite, plain, 100);
        let header = &sealed[..HEADER];
        let mut aad = header.to_vec();
        aad.extend(b"s1\nb1");
        let direct = Cipher::Aes(Box::new(aes_gcm::Aes256Gcm::new_from_slice(&key(suite)).unwrap()));
        let mut nonce = [0_u8; 12];
        nonce[..PREFIX].copy_from_slice(&header[FILE_FORMAT.len() + 1..]);
        nonce[11] = 1;
        assert!(direct.open(&nonce, &sealed[HEADER..], &aad).is_err());
    }
}
