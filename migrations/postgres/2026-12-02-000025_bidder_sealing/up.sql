-- Bids sealed by the bidder (电子招标投标办法 §24, §30, §31).

-- The public keys a bidder seals with: an encryption key its content keys are wrapped to
-- and a key its envelopes' signatures verify with. The latest registered is the one in use.
CREATE TABLE sealing_keys (
    id TEXT PRIMARY KEY,
    participant_id TEXT NOT NULL REFERENCES participants (id),
    suite TEXT NOT NULL CHECK (suite IN ('hpke-x25519-sha256-aes256gcm+ed25519', 'sm2-sm3-sm4gcm+sm2')),
    encryption_key TEXT NOT NULL,
    verifying_key TEXT NOT NULL,
    registered_at TIMESTAMP NOT NULL,
    registered_by TEXT NOT NULL
);
CREATE INDEX sealing_keys_participant ON sealing_keys (participant_id, registered_at);

-- A section whose bids the bidders seal, and its decryption window at the opening.
CREATE TABLE bidder_sealed_sections (
    section_id TEXT PRIMARY KEY REFERENCES sections (id),
    window_minutes INTEGER NOT NULL CHECK (window_minutes > 0),
    window_opened_at TIMESTAMP,
    window_closes_at TIMESTAMP
);

-- The envelope of a bid sealed by its bidder, and what became of it at the opening.
CREATE TABLE bid_envelopes (
    bid_id TEXT PRIMARY KEY REFERENCES bids (id),
    key_id TEXT NOT NULL REFERENCES sealing_keys (id),
    envelope TEXT NOT NULL,
    outcome TEXT CHECK (outcome IN ('decrypted', 'revoked', 'withdrawn')),
    decided_at TIMESTAMP,
    note TEXT
);
