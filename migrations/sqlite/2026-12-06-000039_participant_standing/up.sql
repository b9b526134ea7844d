-- What the credit gate decides a participant's trading act on: its restrictions and its
-- commitments, one row each (see the PostgreSQL migration of the same name). A row is a
-- restriction when it has a kind, a commitment when it has a text version.
CREATE VIEW participant_standing AS
SELECT id, participant_id,
       kind, starts_on, ends_on, decision, decided_by, rule_id, recorded_at,
       NULL AS text_version, NULL AS signed_on, NULL AS signed_at,
       NULL AS signed_by, NULL AS revoked_on
FROM restrictions
UNION ALL
SELECT id, participant_id,
       NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       text_version, signed_on, signed_at, signed_by, revoked_on
FROM commitments;
