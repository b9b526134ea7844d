DROP TABLE document_downloads;
DROP TABLE documents;
