-- Bid files within sealed bids: a bidder hands in its bid files sealed under the bid's
-- content key (kind sealed_bid_file) for one section; when it decrypts the bid at the
-- opening, the files as it wrote them are stored (kind bid_file). The section says whose
-- bidding the file belongs to, so that it stays out of every list and archive while the
-- section's bidders are secret (招标投标法 §22). SQLite changes a CHECK constraint only by
-- rebuilding the table; no other table refers to this one.
CREATE TABLE documents_rebuilt (
    id TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
    size_bytes BIGINT NOT NULL CHECK (size_bytes >= 0),
    kind TEXT NOT NULL CHECK (kind IN ('approval_document', 'registration_material', 'tender_document', 'tender_correction', 'bid_file', 'sealed_bid_file', 'evaluation_report', 'contract', 'evidence', 'appraisal', 'recording')),
    title TEXT NOT NULL,
    media_type TEXT NOT NULL,
    project_id TEXT REFERENCES projects (id),
    uploaded_by TEXT NOT NULL,
    uploader_role TEXT NOT NULL,
    uploader_org TEXT,
    uploaded_at TIMESTAMP NOT NULL,
    section_id TEXT REFERENCES sections (id)
);
INSERT INTO documents_rebuilt (id, sha256, size_bytes, kind, title, media_type, project_id, uploaded_by, uploader_role, uploader_org, uploaded_at)
    SELECT id, sha256, size_bytes, kind, title, media_type, project_id, uploaded_by, uploader_role, uploader_org, uploaded_at FROM documents;
DROP TABLE documents;
ALTER TABLE documents_rebuilt RENAME TO documents;
CREATE INDEX documents_sha256 ON documents (sha256);
CREATE INDEX documents_project ON documents (project_id, uploaded_at, id);
CREATE INDEX documents_section ON documents (section_id, uploader_org, sha256);
