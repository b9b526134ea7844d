-- What the credit gate decides a participant's trading act on: its restrictions and its
-- commitments, one row each. A bid reads it joined to its section's facts, so that the
-- gate costs no statement of its own; the participant's filter reaches each arm's index
-- (restrictions_participant, commitments_participant). A row is a restriction when it
-- has a kind, a commitment when it has a text version.
CREATE VIEW participant_standing AS
SELECT id, participant_id,
       kind, starts_on, ends_on, decision, decided_by, rule_id, recorded_at,
       NULL::integer AS text_version, NULL::date AS signed_on, NULL::timestamp AS signed_at,
       NULL::text AS signed_by, NULL::date AS revoked_on
FROM restrictions
UNION ALL
SELECT id, participant_id,
       NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       text_version, signed_on, signed_at, signed_by, revoked_on
FROM commitments;
