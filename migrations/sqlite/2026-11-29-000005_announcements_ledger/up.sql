-- Tender announcements with their per-section terms, and the bid-bond ledger: accounts,
-- append-only transfers, one resolution per pending transfer, and the bonds behind them.

CREATE TABLE announcements (
    id            TEXT PRIMARY KEY,
    project_id    TEXT NOT NULL REFERENCES projects (id),
    -- tender (招标公告) or correction (更正公告).
    kind          TEXT NOT NULL CHECK (kind IN ('tender', 'correction')),
    supersedes    TEXT REFERENCES announcements (id),
    published_at  TIMESTAMP NOT NULL,
    documents_issued_at TIMESTAMP NOT NULL,
    bid_deadline  TIMESTAMP NOT NULL,
    opening_at    TIMESTAMP NOT NULL,
    opening_place TEXT NOT NULL,
    body          TEXT NOT NULL,
    content_hash  TEXT NOT NULL,
    published_by  TEXT NOT NULL
);

CREATE INDEX announcements_project ON announcements (project_id, published_at);

-- The terms of each section in force: the latest announcement that names it.
CREATE TABLE section_terms (
    section_id      TEXT PRIMARY KEY REFERENCES sections (id),
    announcement_id TEXT NOT NULL REFERENCES announcements (id),
    bond_amount     BIGINT NOT NULL CHECK (bond_amount >= 0),
    bid_deadline    TIMESTAMP NOT NULL
);

CREATE TABLE ledger_accounts (
    id              TEXT PRIMARY KEY,
    kind            TEXT NOT NULL,
    owner           TEXT,
    section_id      TEXT,
    debits_must_not_exceed_credits INTEGER NOT NULL CHECK (debits_must_not_exceed_credits IN (0, 1)),
    credits_must_not_exceed_debits INTEGER NOT NULL CHECK (credits_must_not_exceed_debits IN (0, 1)),
    debits_posted   BIGINT NOT NULL DEFAULT 0 CHECK (debits_posted >= 0),
    credits_posted  BIGINT NOT NULL DEFAULT 0 CHECK (credits_posted >= 0),
    debits_pending  BIGINT NOT NULL DEFAULT 0 CHECK (debits_pending >= 0),
    credits_pending BIGINT NOT NULL DEFAULT 0 CHECK (credits_pending >= 0),
    created_at      TIMESTAMP NOT NULL,
    -- A flagged account never goes negative, pending amounts included.
    CHECK (debits_must_not_exceed_credits = 0 OR debits_posted + debits_pending <= credits_posted),
    CHECK (credits_must_not_exceed_debits = 0 OR credits_posted + credits_pending <= debits_posted)
);

CREATE INDEX ledger_accounts_section ON ledger_accounts (section_id);

CREATE TABLE ledger_transfers (
    seq               INTEGER PRIMARY KEY AUTOINCREMENT,
    id                TEXT NOT NULL UNIQUE,
    debit_account_id  TEXT NOT NULL REFERENCES ledger_accounts (id),
    credit_account_id TEXT NOT NULL REFERENCES ledger_accounts (id),
    amount            BIGINT NOT NULL CHECK (amount > 0),
    kind              TEXT NOT NULL,
    pending           INTEGER NOT NULL,
    post_pending      INTEGER NOT NULL,
    void_pending      INTEGER NOT NULL,
    pending_id        TEXT REFERENCES ledger_transfers (id),
    reason            TEXT,
    rule_id           TEXT,
    created_at        TIMESTAMP NOT NULL,
    CHECK (debit_account_id <> credit_account_id)
);

-- A pending transfer resolves once: the primary key refuses a second post or void.
CREATE TABLE ledger_resolutions (
    pending_id  TEXT PRIMARY KEY REFERENCES ledger_transfers (id),
    resolved_by TEXT NOT NULL UNIQUE REFERENCES ledger_transfers (id),
    status      TEXT NOT NULL CHECK (status IN ('posted', 'voided')),
    amount      BIGINT NOT NULL CHECK (amount >= 0)
);

CREATE TRIGGER ledger_transfers_no_update BEFORE UPDATE ON ledger_transfers
BEGIN
    SELECT RAISE(ABORT, 'ledger transfers are append-only');
END;
CREATE TRIGGER ledger_transfers_no_delete BEFORE DELETE ON ledger_transfers
BEGIN
    SELECT RAISE(ABORT, 'ledger transfers are append-only');
END;
CREATE TRIGGER ledger_resolutions_no_update BEFORE UPDATE ON ledger_resolutions
BEGIN
    SELECT RAISE(ABORT, 'ledger transfers are append-only');
END;
CREATE TRIGGER ledger_resolutions_no_delete BEFORE DELETE ON ledger_resolutions
BEGIN
    SELECT RAISE(ABORT, 'ledger transfers are append-only');
END;

CREATE TABLE bonds (
    id               TEXT PRIMARY KEY,
    section_id       TEXT NOT NULL REFERENCES sections (id),
    bidder_id        TEXT NOT NULL REFERENCES participants (id),
    account_id       TEXT NOT NULL UNIQUE REFERENCES ledger_accounts (id),
    form             TEXT NOT NULL CHECK (form IN ('transfer', 'cheque', 'draft', 'guarantee')),
    amount           BIGINT NOT NULL CHECK (amount > 0),
    payer_account    TEXT,
    guarantee        TEXT,
    deposited_at     TIMESTAMP NOT NULL,
    status           TEXT NOT NULL,
    refund_trigger   TEXT,
    refund_trigger_at TIMESTAMP,
    refund_rule      TEXT,
    refund_deadline  TIMESTAMP,
    outcome          TEXT CHECK (outcome IS NULL OR outcome IN ('refunded', 'forfeited')),
    settled_at       TIMESTAMP,
    UNIQUE (section_id, bidder_id)
);

CREATE INDEX bonds_deadline ON bonds (status, refund_deadline);
