-- Stored documents (一项一档, 细则 §18; 以数据电文形式, 管理办法 §18).
--
-- The bytes live in the document store, addressed by their SHA-256; a row here is one
-- document as the life cycle knows it: which kind, whose project, who handed it in, when.
-- The same bytes may be several documents (the same file handed in for two projects).
CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
    size_bytes BIGINT NOT NULL CHECK (size_bytes >= 0),
    kind TEXT NOT NULL CHECK (kind IN ('approval_document', 'registration_material', 'tender_document', 'tender_correction', 'bid_file', 'evaluation_report', 'contract', 'evidence', 'appraisal', 'recording')),
    title TEXT NOT NULL,
    media_type TEXT NOT NULL,
    project_id TEXT REFERENCES projects (id),
    -- Who handed it in: the actor (role:subject@org), its role and its organisation.
    uploaded_by TEXT NOT NULL,
    uploader_role TEXT NOT NULL,
    uploader_org TEXT,
    uploaded_at TIMESTAMP NOT NULL
);
CREATE INDEX documents_sha256 ON documents (sha256);
CREATE INDEX documents_project ON documents (project_id, uploaded_at, id);

-- Every download of the documents an announcement issues to bidders (招标文件 and its
-- corrections): who obtained them is secret until the opening (招标投标法 §22), so these
-- rows are shown only after it.
CREATE TABLE document_downloads (
    id TEXT PRIMARY KEY,
    announcement_id TEXT NOT NULL REFERENCES announcements (id),
    project_id TEXT NOT NULL REFERENCES projects (id),
    sha256 TEXT NOT NULL,
    downloaded_by TEXT NOT NULL,
    downloader_role TEXT NOT NULL,
    downloader_org TEXT,
    downloaded_at TIMESTAMP NOT NULL
);
CREATE INDEX document_downloads_announcement ON document_downloads (announcement_id, downloaded_at, id);
