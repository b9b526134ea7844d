DROP TABLE archive_reads;
