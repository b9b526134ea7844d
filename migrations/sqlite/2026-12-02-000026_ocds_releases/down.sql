DROP TABLE ocds_releases;
DROP TABLE ocds_release_counter;
