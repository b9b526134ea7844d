DROP VIEW participant_standing;
