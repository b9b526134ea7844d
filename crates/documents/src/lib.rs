//! The document store: every file the platform keeps (tender documents, bid files,
//! reports, contracts, evidence, recordings), addressed by the SHA-256 of its bytes and
//! written once.
//!
//! This crate owns the bytes, nothing about who may read them: the service decides that.
//! One interface, [`DocumentStore`], over two backends:
//!
//! - the file system under the data directory (the embedded default): a received file is
//!   spooled beside the store and renamed into place once its hash is known, so storing
//!   it copies nothing;
//! - S3-compatible object storage (MinIO, Aliyun OSS, AWS S3) through the `object_store`
//!   crate: a spooled file is uploaded in 5 MiB parts, two at a time.
//!
//! Files are verified on write (the hash the uploader declared must be the hash of the
//! bytes received, or nothing is stored) and on read (a stored file is hashed in full
//! before its first byte is served, and again while it streams: a changed byte is an
//! error, never content). Both directions stream: no whole file is held in memory.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use bytes::Bytes;
use futures_util::stream::BoxStream;
use futures_util::StreamExt;
use object_store::ObjectStore;
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Bytes read or written at a time on the file system.
const CHUNK: usize = 64 * 1024;
/// Part size of S3 multipart uploads (S3's smallest part but the last).
const S3_PART: usize = 5 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("no stored file has sha256 {0}")]
    NotFound(String),
    /// The bytes do not hash to their address: changed at rest, or (on write) not the
    /// declared file.
    #[error("the bytes hash to {found}, not {expected}")]
    HashMismatch { expected: String, found: String },
    #[error("the file is larger than {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("the received file has {received} bytes, {declared} were declared")]
    SizeMismatch { declared: u64, received: u64 },
    /// A resumable upload already receiving a chunk (or completing).
    #[error("the upload is receiving another chunk")]
    Busy,
    /// A resumable upload continued at another offset than the bytes it holds.
    #[error("the upload holds {held} bytes")]
    OffsetMismatch { held: u64 },
    #[error("document store: {0}")]
    Io(String),
}

impl From<std::io::Error> for StoreError {
    fn from(error: std::io::Error) -> Self {
        StoreError::Io(error.to_string())
    }
}

impl From<object_store::Error> for StoreError {
    fn from(error: object_store::Error) -> Self {
        StoreError::Io(error.to_string())
    }
}

/// Whether a text is a SHA-256 as the platform writes it: 64 lowercase hex digits.
pub fn is_sha256(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Where documents are kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreConfig {
    /// A directory (the embedded default: `<data dir>/documents`).
    FileSystem { root: PathBuf },
    /// A bucket of an S3-compatible service.
    S3 {
        bucket: String,
        /// Key prefix inside the bucket (may be empty).
        prefix: String,
        /// `http(s)://host:port` of MinIO, OSS or another S3-compatible service; AWS when
        /// absent.
        endpoint: Option<String>,
        region: String,
        access_key_id: Option<String>,
        secret_access_key: Option<String>,
    },
}

impl StoreConfig {
    /// Reads `GGZY_DOCUMENT_STORE` (`file:///path`, `s3://bucket/prefix`, or unset for the
    /// data directory's `documents/`). An unknown scheme is an error naming it.
    pub fn parse(url: Option<&str>, data_dir: &Path, s3: S3Settings) -> Result<StoreConfig, String> {
        let Some(url) = url.map(str::trim).filter(|u| !u.is_empty()) else {
            return Ok(StoreConfig::FileSystem { root: data_dir.join("documents") });
        };
        if let Some(path) = url.strip_prefix("file://") {
            if path.is_empty() {
                return Err("GGZY_DOCUMENT_STORE file:// needs a path".into());
            }
            return Ok(StoreConfig::FileSystem { root: PathBuf::from(path) });
        }
        if let Some(rest) = url.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            if bucket.is_empty() {
                return Err("GGZY_DOCUMENT_STORE s3:// needs a bucket: s3://bucket/prefix".into());
            }
            return Ok(StoreConfig::S3 {
                bucket: bucket.to_owned(),
                prefix: prefix.trim_matches('/').to_owned(),
                endpoint: s3.endpoint,
                region: s3.region.unwrap_or_else(|| "us-east-1".into()),
                access_key_id: s3.access_key_id,
                secret_access_key: s3.secret_access_key,
            });
        }
        Err(format!("GGZY_DOCUMENT_STORE must be file:///path or s3://bucket/prefix, not {url}"))
    }
}

/// The S3 settings beside `GGZY_DOCUMENT_STORE`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct S3Settings {
    pub endpoint: Option<String>,
    pub region: Option<String>,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
}

#[derive(Debug, Clone)]
enum Backend {
    FileSystem { root: PathBuf },
    Object { store: Arc<dyn ObjectStore>, prefix: String },
}

/// The one interface to stored documents.
#[derive(Debug, Clone)]
pub struct DocumentStore {
    backend: Backend,
    /// Where received files wait until their hash is known.
    spool: PathBuf,
    /// Upload sessions now receiving a chunk or completing: one request at a time each.
    busy_sessions: Arc<std::sync::Mutex<std::collections::HashSet<String>>>,
}

/// Holds an upload session for one request; released when dropped.
#[derive(Debug)]
pub struct SessionLock {
    busy: Arc<std::sync::Mutex<std::collections::HashSet<String>>>,
    id: String,
}

impl Drop for SessionLock {
    fn drop(&mut self) {
        if let Ok(mut busy) = self.busy.lock() {
            busy.remove(&self.id);
        }
    }
}

/// A file received in full and hashed, waiting in the spool to be stored.
#[derive(Debug)]
pub struct Received {
    path: PathBuf,
    pub sha256: String,
    pub size: u64,
    /// A session's file stays when it could not be stored, so that the upload can complete
    /// again; a plain upload's is removed.
    keep: bool,
}

impl Drop for Received {
    fn drop(&mut self) {
        // Stored files were moved away; anything left is a refused or abandoned upload.
        if !self.keep {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// A file being received: written to the spool and hashed as its chunks arrive.
#[derive(Debug)]
pub struct Receiving {
    file: tokio::fs::File,
    path: PathBuf,
    hasher: Sha256,
    size: u64,
    limit: u64,
}

impl Receiving {
    /// Appends a chunk; refuses the file once it grows past its limit.
    pub async fn write(&mut self, chunk: &[u8]) -> Result<(), StoreError> {
        self.size += chunk.len() as u64;
        if self.size > self.limit {
            return Err(StoreError::TooLarge { limit: self.limit });
        }
        self.hasher.update(chunk);
        self.file.write_all(chunk).await?;
        Ok(())
    }

    /// The bytes held so far, synced to disk (a session's chunk).
    pub async fn flush(mut self) -> Result<u64, StoreError> {
        self.file.flush().await?;
        self.file.sync_all().await?;
        Ok(self.size)
    }

    /// The whole file, hashed and synced to disk.
    pub async fn finish(mut self) -> Result<Received, StoreError> {
        self.file.flush().await?;
        self.file.sync_all().await?;
        let sha256 = hex::encode(self.hasher.finalize_reset());
        let path = std::mem::take(&mut self.path);
        Ok(Received { path, sha256, size: self.size, keep: false })
    }
}

impl Drop for Receiving {
    fn drop(&mut self) {
        if !self.path.as_os_str().is_empty() {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

impl DocumentStore {
    /// Opens the store: creates the directories of the file-system backend, or builds the
    /// S3 client. `spool` is a local directory for files being received (for the
    /// file-system backend it must be on the same file system as the store: the default
    /// is inside it).
    pub fn open(config: &StoreConfig, spool: Option<PathBuf>) -> Result<DocumentStore, StoreError> {
        match config {
            StoreConfig::FileSystem { root } => {
                let spool = spool.unwrap_or_else(|| root.join(".incoming"));
                std::fs::create_dir_all(root.join("sha256"))?;
                std::fs::create_dir_all(&spool)?;
                Ok(DocumentStore {
                    backend: Backend::FileSystem { root: root.clone() },
                    spool,
                    busy_sessions: Arc::default(),
                })
            }
            StoreConfig::S3 { bucket, prefix, endpoint, region, access_key_id, secret_access_key } => {
                let mut builder = object_store::aws::AmazonS3Builder::new()
                    .with_bucket_name(bucket)
                    .with_region(region)
                    .with_virtual_hosted_style_request(false);
                if let Some(endpoint) = endpoint {
                    builder = builder.with_endpoint(endpoint).with_allow_http(endpoint.starts_with("http://"));
                }
                if let Some(key) = access_key_id {
                    builder = builder.with_access_key_id(key);
                }
                if let Some(secret) = secret_access_key {
                    builder = builder.with_secret_access_key(secret);
                }
                let store: Arc<dyn ObjectStore> = Arc::new(builder.build()?);
                let spool = spool.unwrap_or_else(|| std::env::temp_dir().join("ggzy-incoming"));
                std::fs::create_dir_all(&spool)?;
                Ok(DocumentStore {
                    backend: Backend::Object { store, prefix: prefix.clone() },
                    spool,
                    busy_sessions: Arc::default(),
                })
            }
        }
    }

    /// Removes what no request can still be using: files of plain uploads untouched for
    /// longer than `upload_age` (an upload that takes longer is refused anyway; another
    /// instance sharing the directory may have uploads in flight) and resumable sessions
    /// untouched for longer than `session_age`. Answers how many files went.
    pub fn sweep_spool(&self, upload_age: std::time::Duration, session_age: std::time::Duration) -> usize {
        let mut removed = 0;
        let older = |path: &Path, limit: std::time::Duration| {
            std::fs::metadata(path)
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > limit)
        };
        let old = |path: &Path| older(path, session_age);
        if let Ok(entries) = std::fs::read_dir(&self.spool) {
            for path in entries.flatten().map(|e| e.path()) {
                if path.extension().is_some_and(|x| x == "part")
                    && older(&path, upload_age)
                    && std::fs::remove_file(&path).is_ok()
                {
                    removed += 1;
                }
            }
        }
        if let Ok(entries) = std::fs::read_dir(self.spool.join("sessions")) {
            for part in entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "part")) {
                let meta = part.with_extension("json");
                // A session is as old as its last chunk.
                if old(&part) && old(&meta) {
                    removed += usize::from(std::fs::remove_file(&part).is_ok());
                    removed += usize::from(std::fs::remove_file(&meta).is_ok());
                }
            }
        }
        removed
    }

    /// What the store is, for logs and `/readyz`: `file:<root>` or `s3:<prefix>`.
    pub fn describe(&self) -> String {
        match &self.backend {
            Backend::FileSystem { root } => format!("file:{}", root.display()),
            Backend::Object { prefix, .. } => format!("s3:{prefix}"),
        }
    }

    fn file_path(root: &Path, sha256: &str) -> PathBuf {
        root.join("sha256").join(&sha256[..2]).join(sha256)
    }

    fn object_path(prefix: &str, sha256: &str) -> object_store::path::Path {
        let key = format!("sha256/{}/{sha256}", &sha256[..2]);
        if prefix.is_empty() {
            object_store::path::Path::from(key)
        } else {
            object_store::path::Path::from(format!("{prefix}/{key}"))
        }
    }

    /// Starts receiving a file of at most `limit` bytes.
    pub async fn receive(&self, limit: u64) -> Result<Receiving, StoreError> {
        let path = self.spool.join(format!("{}.part", uuid::Uuid::new_v4()));
        let file = tokio::fs::File::create(&path).await?;
        Ok(Receiving { file, path, hasher: Sha256::new(), size: 0, limit })
    }

    /// Stores a received file under its hash, when that is the hash declared for it (and
    /// its size the declared size, when one was). Storing what is stored already changes
    /// nothing.
    pub async fn store(&self, received: Received, declared: &str, size: Option<u64>) -> Result<(), StoreError> {
        if received.sha256 != declared {
            return Err(StoreError::HashMismatch { expected: declared.to_owned(), found: received.sha256.clone() });
        }
        if let Some(declared) = size.filter(|s| *s != received.size) {
            return Err(StoreError::SizeMismatch { declared, received: received.size });
        }
        match &self.backend {
            Backend::FileSystem { root } => {
                let target = Self::file_path(root, declared);
                if tokio::fs::try_exists(&target).await? {
                    return Ok(());
                }
                if let Some(parent) = target.parent() {
                    tokio::fs::create_dir_all(parent).await?;
                }
                tokio::fs::rename(&received.path, &target).await?;
                // The file's new name must survive a crash like its bytes.
                if let Some(parent) = target.parent() {
                    tokio::fs::File::open(parent).await?.sync_all().await?;
                }
                Ok(())
            }
            Backend::Object { store, prefix } => {
                let location = Self::object_path(prefix, declared);
                match store.head(&location).await {
                    Ok(_) => return Ok(()),
                    Err(object_store::Error::NotFound { .. }) => {}
                    Err(other) => return Err(other.into()),
                }
                let mut writer = object_store::buffered::BufWriter::with_capacity(Arc::clone(store), location, S3_PART)
                    .with_max_concurrency(2);
                // Exactly the bytes that were hashed, however the file may have grown since.
                let mut file = tokio::fs::File::open(&received.path).await?.take(received.size);
                let mut buffer = vec![0u8; CHUNK];
                loop {
                    let read = file.read(&mut buffer).await?;
                    if read == 0 {
                        break;
                    }
                    if let Err(error) = writer.write_all(&buffer[..read]).await {
                        let _ = writer.abort().await;
                        return Err(error.into());
                    }
                }
                if let Err(error) = writer.shutdown().await {
                    let _ = writer.abort().await;
                    return Err(error.into());
                }
                Ok(())
            }
        }
    }

    /// The files of a resumable upload session: its bytes so far and what it is (opaque
    /// to the store). `None` for an id that is not a canonical UUID.
    fn session_paths(&self, id: &str) -> Option<(PathBuf, PathBuf)> {
        let canonical = id.len() == 36
            && id.bytes().enumerate().all(|(i, b)| {
                if [8, 13, 18, 23].contains(&i) {
                    b == b'-'
                } else {
                    b.is_ascii_digit() || (b'a'..=b'f').contains(&b)
                }
            });
        canonical.then(|| {
            let dir = self.spool.join("sessions");
            (dir.join(format!("{id}.part")), dir.join(format!("{id}.json")))
        })
    }

    /// Takes a session for one request: `Busy` while another request holds it.
    pub fn lock_session(&self, id: &str) -> Result<SessionLock, StoreError> {
        let mut busy = self.busy_sessions.lock().map_err(|_| StoreError::Io("session locks poisoned".into()))?;
        if !busy.insert(id.to_owned()) {
            return Err(StoreError::Busy);
        }
        Ok(SessionLock { busy: Arc::clone(&self.busy_sessions), id: id.to_owned() })
    }

    /// Closes a session whose file was stored (or refused for good): its files go.
    pub async fn close_session(&self, id: &str) {
        if let Some((part, meta)) = self.session_paths(id) {
            let _ = tokio::fs::remove_file(&part).await;
            let _ = tokio::fs::remove_file(&meta).await;
        }
    }

    /// Opens a resumable upload session under `id` with its description.
    pub async fn begin_session(&self, id: &str, description: &[u8]) -> Result<(), StoreError> {
        let (part, meta) = self.session_paths(id).ok_or_else(|| StoreError::NotFound(id.to_owned()))?;
        tokio::fs::create_dir_all(self.spool.join("sessions")).await?;
        tokio::fs::File::create(&part).await?.sync_all().await?;
        tokio::fs::write(&meta, description).await?;
        Ok(())
    }

    /// The descriptions of every open session on this instance's spool.
    pub async fn session_descriptions(&self) -> Vec<Vec<u8>> {
        let mut descriptions = Vec::new();
        let Ok(mut entries) = tokio::fs::read_dir(self.spool.join("sessions")).await else { return descriptions };
        while let Ok(Some(entry)) = entries.next_entry().await {
            let path = entry.path();
            if path.extension().is_some_and(|x| x == "json") {
                if let Ok(bytes) = tokio::fs::read(&path).await {
                    descriptions.push(bytes);
                }
            }
        }
        descriptions
    }

    /// A session's description and the bytes it holds so far.
    pub async fn session(&self, id: &str) -> Result<(Vec<u8>, u64), StoreError> {
        let (part, meta) = self.session_paths(id).ok_or_else(|| StoreError::NotFound(id.to_owned()))?;
        let description = match tokio::fs::read(&meta).await {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(StoreError::NotFound(id.to_owned())),
            Err(e) => return Err(e.into()),
        };
        let offset = tokio::fs::metadata(&part).await.map_err(|_| StoreError::NotFound(id.to_owned()))?.len();
        Ok((description, offset))
    }

    /// Continues a session at `offset`, which must be the bytes it holds; at most `size`
    /// bytes in all. Answers the writer of the next bytes.
    pub async fn continue_session(&self, id: &str, offset: u64, size: u64) -> Result<Receiving, StoreError> {
        let (part, _) = self.session_paths(id).ok_or_else(|| StoreError::NotFound(id.to_owned()))?;
        let held = tokio::fs::metadata(&part).await.map_err(|_| StoreError::NotFound(id.to_owned()))?.len();
        if held != offset {
            return Err(StoreError::OffsetMismatch { held });
        }
        let file = tokio::fs::OpenOptions::new().append(true).open(&part).await?;
        // The hash is taken over the whole file when the session completes.
        Ok(Receiving { file, path: PathBuf::new(), hasher: Sha256::new(), size: offset, limit: size })
    }

    /// The complete file of a session, hashed, ready to be stored. The session stays until
    /// [`DocumentStore::close_session`], so that a completion that failed can be retried.
    pub async fn finish_session(&self, id: &str) -> Result<Received, StoreError> {
        let (part, meta) = self.session_paths(id).ok_or_else(|| StoreError::NotFound(id.to_owned()))?;
        let mut file = tokio::fs::File::open(&part).await.map_err(|_| StoreError::NotFound(id.to_owned()))?;
        let mut hasher = Sha256::new();
        let mut size = 0u64;
        let mut buffer = vec![0u8; CHUNK];
        loop {
            let read = file.read(&mut buffer).await?;
            if read == 0 {
                break;
            }
            size += read as u64;
            hasher.update(&buffer[..read]);
        }
        let _ = meta;
        Ok(Received { path: part, sha256: hex::encode(hasher.finalize()), size, keep: true })
    }

    /// Whether a file with this hash is stored.
    pub async fn contains(&self, sha256: &str) -> Result<bool, StoreError> {
        if !is_sha256(sha256) {
            return Ok(false);
        }
        match &self.backend {
            Backend::FileSystem { root } => Ok(tokio::fs::try_exists(Self::file_path(root, sha256)).await?),
            Backend::Object { store, prefix } => match store.head(&Self::object_path(prefix, sha256)).await {
                Ok(_) => Ok(true),
                Err(object_store::Error::NotFound { .. }) => Ok(false),
                Err(other) => Err(other.into()),
            },
        }
    }

    async fn raw_stream(&self, sha256: &str) -> Result<BoxStream<'static, Result<Bytes, StoreError>>, StoreError> {
        if !is_sha256(sha256) {
            return Err(StoreError::NotFound(sha256.to_owned()));
        }
        match &self.backend {
            Backend::FileSystem { root } => {
                let file = match tokio::fs::File::open(Self::file_path(root, sha256)).await {
                    Ok(file) => file,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                        return Err(StoreError::NotFound(sha256.to_owned()))
                    }
                    Err(e) => return Err(e.into()),
                };
                let stream = futures_util::stream::try_unfold(file, |mut file| async move {
                    let mut buffer = vec![0u8; CHUNK];
                    let read = file.read(&mut buffer).await?;
                    if read == 0 {
                        return Ok(None);
                    }
                    buffer.truncate(read);
                    Ok(Some((Bytes::from(buffer), file)))
                });
                Ok(stream.boxed())
            }
            Backend::Object { store, prefix } => match store.get(&Self::object_path(prefix, sha256)).await {
                Ok(result) => Ok(result.into_stream().map(|chunk| chunk.map_err(StoreError::from)).boxed()),
                Err(object_store::Error::NotFound { .. }) => Err(StoreError::NotFound(sha256.to_owned())),
                Err(other) => Err(other.into()),
            },
        }
    }

    /// Reads a stored file in full and checks its hash; answers its size.
    pub async fn verify(&self, sha256: &str) -> Result<u64, StoreError> {
        let mut stream = self.raw_stream(sha256).await?;
        let mut hasher = Sha256::new();
        let mut size = 0u64;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk?;
            size += chunk.len() as u64;
            hasher.update(&chunk);
        }
        let found = hex::encode(hasher.finalize());
        if found != sha256 {
            tracing::error!(expected = sha256, found = %found, "a stored document does not match its hash");
            return Err(StoreError::HashMismatch { expected: sha256.to_owned(), found });
        }
        Ok(size)
    }

    /// A stored file to serve: verified in full first (a changed byte is refused before
    /// anything is sent), then streamed and hashed again as it goes, the stream ending in
    /// an error if the bytes changed meanwhile. Answers the size and the stream.
    pub async fn open_verified(
        &self,
        sha256: &str,
    ) -> Result<(u64, BoxStream<'static, Result<Bytes, StoreError>>), StoreError> {
        let size = self.verify(sha256).await?;
        let raw = self.raw_stream(sha256).await?;
        // One chunk is held back until the next arrives, and the last until the whole file
        // hashed right: a file changed since it was verified ends in an error before its
        // last bytes, so the client never has all of it.
        struct Checking {
            raw: BoxStream<'static, Result<Bytes, StoreError>>,
            hasher: Sha256,
            expected: String,
            pending: Option<Bytes>,
            done: bool,
        }
        let start = Checking { raw, hasher: Sha256::new(), expected: sha256.to_owned(), pending: None, done: false };
        let checked = futures_util::stream::unfold(start, |mut state| async move {
            if state.done {
                return None;
            }
            loop {
                match state.raw.next().await {
                    Some(Ok(chunk)) => {
                        state.hasher.update(&chunk);
                        if let Some(previous) = state.pending.replace(chunk) {
                            return Some((Ok(previous), state));
                        }
                    }
                    Some(Err(error)) => {
                        state.done = true;
                        return Some((Err(error), state));
                    }
                    None => {
                        state.done = true;
                        let found = hex::encode(state.hasher.finalize_reset());
                        if found != state.expected {
                            let error = StoreError::HashMismatch { expected: state.expected.clone(), found };
                            return Some((Err(error), state));
                        }
                        return state.pending.take().map(|last| (Ok(last), state));
                    }
                }
            }
        });
        Ok((size, checked.boxed()))
    }

    /// Copies a stored file, verified, into a local file (to put it into a zip).
    pub async fn copy_to(&self, sha256: &str, target: &Path) -> Result<u64, StoreError> {
        let (_, mut stream) = self.open_verified(sha256).await?;
        let mut file = tokio::fs::File::create(target).await?;
        let mut size = 0u64;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk?;
            size += chunk.len() as u64;
            file.write_all(&chunk).await?;
        }
        file.flush().await?;
        Ok(size)
    }

    /// A directory for temporary files of this store (archives being built).
    pub fn spool_dir(&self) -> &Path {
        &self.spool
    }

    /// The file of a stored document on the file-system backend (for tests that damage a
    /// stored byte on purpose, and for operators); None on object storage.
    pub fn local_path(&self, sha256: &str) -> Option<PathBuf> {
        match &self.backend {
            Backend::FileSystem { root } if is_sha256(sha256) => Some(Self::file_path(root, sha256)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sha(bytes: &[u8]) -> String {
        hex::encode(Sha256::digest(bytes))
    }

    async fn put(store: &DocumentStore, bytes: &[u8], declared: &str) -> Result<(), StoreError> {
        let mut receiving = store.receive(1024).await?;
        for chunk in bytes.chunks(7) {
            receiving.write(chunk).await?;
        }
        let received = receiving.finish().await?;
        store.store(received, declared, Some(bytes.len() as u64)).await
    }

    async fn read_all(store: &DocumentStore, sha256: &str) -> Result<Vec<u8>, StoreError> {
        let (_, mut stream) = store.open_verified(sha256).await?;
        let mut out = Vec::new();
        while let Some(chunk) = stream.next().await {
            out.extend_from_slice(&chunk?);
        }
        Ok(out)
    }

    fn temp_store() -> (DocumentStore, PathBuf) {
        let root = std::env::temp_dir().join(format!("ggzy-documents-test-{}", uuid::Uuid::new_v4()));
        let store = DocumentStore::open(&StoreConfig::FileSystem { root: root.clone() }, None).unwrap();
        (store, root)
    }

    #[tokio::test]
    async fn a_file_is_stored_under_its_hash_and_read_back() {
        let (store, root) = temp_store();
        let bytes = "招标文件 第一册".as_bytes();
        put(&store, bytes, &sha(bytes)).await.unwrap();
        assert!(store.contains(&sha(bytes)).await.unwrap());
        assert_eq!(read_all(&store, &sha(bytes)).await.unwrap(), bytes);
        // Stored twice: nothing changes.
        put(&store, bytes, &sha(bytes)).await.unwrap();
        assert_eq!(std::fs::read_dir(root.join(".incoming")).unwrap().count(), 0, "the spool is left empty");
        let _ = std::fs::remove_dir_all(root);
    }

    #[tokio::test]
    async fn a_file_that_is_not_the_declared_one_is_not_stored() {
        let (store, root) = temp_store();
        let declared = sha(b"what was announced");
        let error = put(&store, b"something else", &declared).await.unwrap_err();
        assert!(matches!(error, StoreError::HashMismatch { .. }), "{error}");
        assert!(!store.contains(&declared).await.unwrap());
        assert!(!store.contains(&sha(b"something else")).await.unwrap());
        assert_eq!(std::fs::read_dir(root.join(".incoming")).unwrap().count(), 0);
        let _ = std::fs::remove_dir_all(root);
    }

    #[tokio::test]
    async fn a_file_over_its_limit_is_refused_while_it_arrives() {
        let (store, root) = temp_store();
        let mut receiving = store.receive(10).await.unwrap();
        receiving.write(b"0123456789").await.unwrap();
        assert!(matches!(receiving.write(b"x").await, Err(StoreError::TooLarge { limit: 10 })));
        drop(receiving);
        assert_eq!(std::fs::read_dir(root.join(".incoming")).unwrap().count(), 0);
        let _ = std::fs::remove_dir_all(root);
    }

    #[tokio::test]
    async fn a_changed_stored_byte_is_found_before_anything_is_served() {
        let (store, root) = temp_store();
        let bytes = b"evaluation report, final";
        put(&store, bytes, &sha(bytes)).await.unwrap();
        let path = store.local_path(&sha(bytes)).unwrap();
        let mut damaged = std::fs::read(&path).unwrap();
        damaged[3] ^= 1;
        std::fs::write(&path, damaged).unwrap();
        assert!(matches!(store.open_verified(&sha(bytes)).await, Err(StoreError::HashMismatch { .. })));
        assert!(matches!(store.verify(&sha(bytes)).await, Err(StoreError::HashMismatch { .. })));
        let _ = std::fs::remove_dir_all(root);
    }

    #[tokio::test]
    async fn an_unknown_or_malformed_hash_is_not_found() {
        let (store, root) = temp_store();
        assert!(matches!(store.open_verified(&sha(b"never")).await, Err(StoreError::NotFound(_))));
        assert!(matches!(store.open_verified("../../etc/passwd").await, Err(StoreError::NotFound(_))));
        assert!(!store.contains("../x").await.unwrap());
        let _ = std::fs::remove_dir_all(root);
    }

    #[tokio::test]
    async fn a_session_takes_one_request_at_a_time_and_completes_from_its_bytes() {
        let (store, root) = temp_store();
        let id = "01a199c5-3280-74c7-b5af-33f09aeac1f3";
        store.begin_session(id, b"{}").await.unwrap();
        let lock = store.lock_session(id).unwrap();
        assert!(matches!(store.lock_session(id), Err(StoreError::Busy)));
        let mut first = store.continue_session(id, 0, 10).await.unwrap();
        first.write(b"01234").await.unwrap();
        assert_eq!(first.flush().await.unwrap(), 5);
        assert!(matches!(store.continue_session(id, 0, 10).await, Err(StoreError::OffsetMismatch { held: 5 })));
        let mut second = store.continue_session(id, 5, 10).await.unwrap();
        second.write(b"56789").await.unwrap();
        assert!(matches!(second.write(b"x").await, Err(StoreError::TooLarge { limit: 10 })));
        drop(second);
        drop(lock);
        assert!(store.lock_session(id).is_ok(), "released when dropped");
        let received = store.finish_session(id).await.unwrap();
        // The byte over the limit was refused, not written.
        assert_eq!((received.sha256.clone(), received.size), (sha(b"0123456789"), 10));
        // Refused (not the declared file): the session's bytes stay until it is closed.
        let refused = store.store(received, &sha(b"another file"), Some(10)).await;
        assert!(matches!(refused, Err(StoreError::HashMismatch { .. })));
        assert!(store.session(id).await.is_ok());
        store.close_session(id).await;
        assert!(matches!(store.session(id).await, Err(StoreError::NotFound(_))));
        assert!(matches!(store.begin_session("../../etc", b"{}").await, Err(StoreError::NotFound(_))));
        let _ = std::fs::remove_dir_all(root);
    }

    #[tokio::test]
    async fn the_spool_is_swept_of_dead_uploads_and_old_sessions() {
        let (store, root) = temp_store();
        std::fs::write(root.join(".incoming/dead.part"), b"half a file").unwrap();
        let id = "01a199c5-3280-74c7-b5af-33f09aeac1f3";
        store.begin_session(id, b"{}").await.unwrap();
        // Nothing is old yet.
        assert_eq!(store.sweep_spool(std::time::Duration::from_secs(3600), std::time::Duration::from_secs(3600)), 0);
        std::thread::sleep(std::time::Duration::from_millis(20));
        // A live session stays; the dead plain upload goes.
        assert_eq!(store.sweep_spool(std::time::Duration::from_millis(10), std::time::Duration::from_secs(3600)), 1);
        assert!(store.session(id).await.is_ok());
        assert!(!root.join(".incoming/dead.part").exists());
        // Older than the age allowed: the session goes too.
        assert_eq!(store.sweep_spool(std::time::Duration::from_millis(10), std::time::Duration::from_millis(10)), 2);
        assert!(matches!(store.session(id).await, Err(StoreError::NotFound(_))));
        let _ = std::fs::remove_dir_all(root);
    }

    #[test]
    fn the_store_is_chosen_from_its_url() {
        let data = Path::new("/srv/ggzy");
        assert_eq!(
            StoreConfig::parse(None, data, S3Settings::default()).unwrap(),
            StoreConfig::FileSystem { root: data.join("documents") }
        );
        assert_eq!(
            StoreConfig::parse(Some("file:///mnt/docs"), data, S3Settings::default()).unwrap(),
            StoreConfig::FileSystem { root: PathBuf::from("/mnt/docs") }
        );
        let s3 = StoreConfig::parse(
            Some("s3://ggzy-documents/miyun/"),
            data,
            S3Settings { endpoint: Some("http://minio:9000".into()), ..S3Settings::default() },
        )
        .unwrap();
        assert_eq!(
            s3,
            StoreConfig::S3 {
                bucket: "ggzy-documents".into(),
                prefix: "miyun".into(),
                endpoint: Some("http://minio:9000".into()),
                region: "us-east-1".into(),
                access_key_id: None,
                secret_access_key: None,
            }
        );
        assert!(StoreConfig::parse(Some("ftp://x"), data, S3Settings::default()).unwrap_err().contains("ftp://x"));
        assert!(StoreConfig::parse(Some("s3://"), data, S3Settings::default()).is_err());
    }
}
