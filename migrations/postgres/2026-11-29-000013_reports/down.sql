DROP TABLE wrongdoing_reports;
