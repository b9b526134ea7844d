-- Statistics select projects by registration month.
CREATE INDEX projects_registered ON projects (registered_at);
