DROP TABLE credit_reads;
DROP TABLE credit_policies;
DROP TABLE repair_applications;
DROP TABLE conduct_reports;
DROP TABLE restrictions;
DROP TABLE credit_records;
DROP TABLE commitments;
DROP TABLE commitment_texts;
