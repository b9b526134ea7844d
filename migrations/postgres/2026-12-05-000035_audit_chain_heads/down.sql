DROP TRIGGER audit_events_follow_head ON audit_events;
DROP FUNCTION audit_chain_heads_follow();
DROP TABLE audit_chain_heads;
