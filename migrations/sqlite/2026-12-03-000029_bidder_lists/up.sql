-- A bidder's own lists of its bids and bonds across sections, newest first (GET /bids,
-- GET /bonds): the keyset runs on (submitted_at, id) and (deposited_at, id) within a bidder.
CREATE INDEX bids_bidder_submitted ON bids (bidder_id, submitted_at, id);
CREATE INDEX bonds_bidder_deposited ON bonds (bidder_id, deposited_at, id);
