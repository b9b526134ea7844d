DROP TRIGGER audit_events_follow_head;
DROP TABLE audit_chain_heads;
