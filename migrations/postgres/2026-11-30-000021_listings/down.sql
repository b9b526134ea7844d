ALTER TABLE bonds DROP CONSTRAINT bonds_outcome_check;
ALTER TABLE bonds ADD CONSTRAINT bonds_outcome_check CHECK (outcome IS NULL OR outcome IN ('refunded', 'forfeited'));
DROP TABLE listing_quotes;
DROP TABLE listing_bidders;
DROP TABLE listing_progress;
DROP TABLE listings;
