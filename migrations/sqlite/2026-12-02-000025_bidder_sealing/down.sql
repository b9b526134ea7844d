DROP TABLE bid_envelopes;
DROP TABLE bidder_sealed_sections;
DROP TABLE sealing_keys;
