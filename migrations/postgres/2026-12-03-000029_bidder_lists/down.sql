DROP INDEX bonds_bidder_deposited;
DROP INDEX bids_bidder_submitted;
