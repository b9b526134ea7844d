-- Bid files within sealed bids: a bidder hands in its bid files sealed under the bid's
-- content key (kind sealed_bid_file) for one section; when it decrypts the bid at the
-- opening, the files as it wrote them are stored (kind bid_file). The section says whose
-- bidding the file belongs to, so that it stays out of every list and archive while the
-- section's bidders are secret (招标投标法 §22).
ALTER TABLE documents DROP CONSTRAINT documents_kind_check;
ALTER TABLE documents ADD CONSTRAINT documents_kind_check CHECK (kind IN ('approval_document', 'registration_material', 'tender_document', 'tender_correction', 'bid_file', 'sealed_bid_file', 'evaluation_report', 'contract', 'evidence', 'appraisal', 'recording'));
ALTER TABLE documents ADD COLUMN section_id TEXT REFERENCES sections (id);
CREATE INDEX documents_section ON documents (section_id, uploader_org, sha256);
