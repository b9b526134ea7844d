-- The last event of every audit chain, kept by the database in the transaction of each
-- append. An append locks its chain's row here and reads the tail from it in one
-- statement (an upsert, which in READ COMMITTED waits for a concurrent append to the same
-- chain and then returns that append's tail), where before it took an advisory lock and
-- read the tail from audit_events in two. audit_events stays the record: this table is
-- derived from it (backfilled here, followed by a trigger), and the chain verification
-- and backup manifests read audit_events alone.
CREATE TABLE audit_chain_heads (
    chain      TEXT PRIMARY KEY,
    position   BIGINT NOT NULL CHECK (position >= 0),
    event_hash TEXT NOT NULL
);

INSERT INTO audit_chain_heads (chain, position, event_hash)
SELECT DISTINCT ON (chain) chain, position, event_hash FROM audit_events ORDER BY chain, position DESC;

-- Any insert into audit_events moves its chain's head forward, never back.
CREATE FUNCTION audit_chain_heads_follow() RETURNS trigger AS $$
BEGIN
    INSERT INTO audit_chain_heads (chain, position, event_hash) VALUES (NEW.chain, NEW.position, NEW.event_hash)
    ON CONFLICT (chain) DO UPDATE SET position = EXCLUDED.position, event_hash = EXCLUDED.event_hash
        WHERE audit_chain_heads.position < EXCLUDED.position;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_events_follow_head AFTER INSERT ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_chain_heads_follow();
