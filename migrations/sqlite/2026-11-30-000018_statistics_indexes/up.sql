-- Statistics select projects by registration month, and read each opening's bid count
-- instead of counting bids.
CREATE INDEX projects_registered ON projects (registered_at);
ALTER TABLE openings ADD COLUMN bid_count BIGINT NOT NULL DEFAULT 0;
UPDATE openings SET bid_count = (
    SELECT COUNT(*) FROM bids WHERE bids.section_id = openings.section_id AND bids.status = 'submitted'
);
