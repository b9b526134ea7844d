DROP INDEX projects_registered;
