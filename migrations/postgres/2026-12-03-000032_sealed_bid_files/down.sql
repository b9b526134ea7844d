DROP INDEX documents_section;
ALTER TABLE documents DROP COLUMN section_id;
DELETE FROM documents WHERE kind = 'sealed_bid_file';
ALTER TABLE documents DROP CONSTRAINT documents_kind_check;
ALTER TABLE documents ADD CONSTRAINT documents_kind_check CHECK (kind IN ('approval_document', 'registration_material', 'tender_document', 'tender_correction', 'bid_file', 'evaluation_report', 'contract', 'evidence', 'appraisal', 'recording'));
