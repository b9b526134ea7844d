DROP TABLE listing_quotes;
DROP TABLE listing_bidders;
DROP TABLE listing_progress;
DROP TABLE listings;
