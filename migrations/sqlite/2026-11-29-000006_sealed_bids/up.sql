-- Sealed bids: each section has its own data key, stored only wrapped by the platform's
-- master key; bid contents are stored only encrypted with it (AES-256-GCM). Before the
-- deadline nothing here is readable by anyone but the bidder through its own bid.

CREATE TABLE section_keys (
    section_id  TEXT PRIMARY KEY REFERENCES sections (id),
    wrapped_key TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL
);

CREATE TABLE bids (
    id               TEXT PRIMARY KEY,
    section_id       TEXT NOT NULL REFERENCES sections (id),
    bidder_id        TEXT NOT NULL REFERENCES participants (id),
    -- nonce and ciphertext, base64.
    sealed           TEXT NOT NULL,
    -- sha256 of the plaintext: the bidder's receipt.
    receipt_hash     TEXT NOT NULL,
    commitment_hash  TEXT,
    revealed_nonce   TEXT,
    status           TEXT NOT NULL CHECK (status IN ('submitted', 'withdrawn')),
    submitted_at     TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL,
    version          BIGINT NOT NULL,
    UNIQUE (section_id, bidder_id)
);

CREATE TABLE openings (
    section_id     TEXT PRIMARY KEY REFERENCES sections (id),
    opened_at      TIMESTAMP NOT NULL,
    opened_by      TEXT NOT NULL,
    witness_id     TEXT NOT NULL REFERENCES staff (id),
    outcome        TEXT NOT NULL CHECK (outcome IN ('opened', 'failed')),
    -- the published opening record (JSON).
    record         TEXT NOT NULL
);
