-- The last event of every audit chain, kept by the database in the transaction of each
-- append, so that an append reads its chain's tail from one small row (on PostgreSQL the
-- same row is its lock). audit_events stays the record: this table is derived from it
-- (backfilled here, followed by a trigger), and the chain verification and backup
-- manifests read audit_events alone.
CREATE TABLE audit_chain_heads (
    chain      TEXT PRIMARY KEY,
    position   BIGINT NOT NULL CHECK (position >= 0),
    event_hash TEXT NOT NULL
);

INSERT INTO audit_chain_heads (chain, position, event_hash)
SELECT a.chain, a.position, a.event_hash FROM audit_events a
JOIN (SELECT chain, MAX(position) AS last FROM audit_events GROUP BY chain) m
  ON a.chain = m.chain AND a.position = m.last;

-- Any insert into audit_events moves its chain's head forward, never back.
CREATE TRIGGER audit_events_follow_head AFTER INSERT ON audit_events
BEGIN
    INSERT INTO audit_chain_heads (chain, position, event_hash) VALUES (NEW.chain, NEW.position, NEW.event_hash)
    ON CONFLICT (chain) DO UPDATE SET position = excluded.position, event_hash = excluded.event_hash
        WHERE audit_chain_heads.position < excluded.position;
END;
