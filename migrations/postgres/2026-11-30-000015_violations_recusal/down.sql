DROP TABLE project_officials;
DROP TABLE person_relations;
DROP TABLE violation_case_departments;
DROP TABLE violation_cases;
