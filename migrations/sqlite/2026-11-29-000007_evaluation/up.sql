-- The expert pool, recorded draws (replayable from their seed), expert scores, the
-- committee's result with candidate publicity, award and contract.

CREATE TABLE experts (
    id                   TEXT PRIMARY KEY,
    name                 TEXT NOT NULL,
    -- comma-separated specialty codes
    specialties          TEXT NOT NULL,
    employer_id          TEXT REFERENCES participants (id),
    active               INTEGER NOT NULL CHECK (active IN (0, 1)),
    restricted_until     DATE,
    restriction_decision TEXT,
    created_at           TIMESTAMP NOT NULL
);

-- Relations and interests an expert declared (管理办法 §27, procurement.recusal).
CREATE TABLE expert_relations (
    expert_id      TEXT NOT NULL REFERENCES experts (id),
    participant_id TEXT NOT NULL REFERENCES participants (id),
    relation       TEXT NOT NULL,
    PRIMARY KEY (expert_id, participant_id)
);

CREATE TABLE expert_draws (
    id          TEXT PRIMARY KEY,
    section_id  TEXT NOT NULL REFERENCES sections (id),
    specialty   TEXT NOT NULL,
    size        INTEGER NOT NULL CHECK (size >= 1),
    -- JSON: seed, candidates, selected, recusals (each with its own seed)
    record      TEXT NOT NULL,
    drawn_at    TIMESTAMP NOT NULL,
    drawn_by    TEXT NOT NULL
);

CREATE INDEX expert_draws_section ON expert_draws (section_id);

CREATE TABLE expert_scores (
    section_id   TEXT NOT NULL REFERENCES sections (id),
    expert_id    TEXT NOT NULL REFERENCES experts (id),
    -- JSON: bidder id → score
    scores       TEXT NOT NULL,
    submitted_at TIMESTAMP NOT NULL,
    PRIMARY KEY (section_id, expert_id)
);

CREATE TABLE section_results (
    section_id         TEXT PRIMARY KEY REFERENCES sections (id),
    -- JSON: ranking and candidates
    report             TEXT NOT NULL,
    publicity_start    TIMESTAMP NOT NULL,
    publicity_end      TIMESTAMP NOT NULL,
    winner_id          TEXT REFERENCES participants (id),
    awarded_at         TIMESTAMP,
    contract_amount    BIGINT,
    contract_sha256    TEXT,
    contract_signed_at TIMESTAMP,
    contract_late      INTEGER
);
