DROP TABLE bonds;
DROP TABLE ledger_resolutions;
DROP TABLE ledger_transfers;
DROP TABLE ledger_accounts;
DROP TABLE section_terms;
DROP TABLE announcements;

