DELETE FROM departments;
