-- Listings (挂牌) and auctions (拍卖 / 网络竞价) of land use rights, mining rights and
-- state-owned property. The terms are fixed at announcement; the progress row is the one
-- row every quote updates (with its version), so the database orders concurrent quotes.

CREATE TABLE listings (
    id                 TEXT PRIMARY KEY,
    project_id         TEXT NOT NULL REFERENCES projects (id),
    section_id         TEXT NOT NULL UNIQUE REFERENCES sections (id),
    announcement_id    TEXT NOT NULL REFERENCES announcements (id),
    starting_price     BIGINT NOT NULL CHECK (starting_price > 0),
    increment          BIGINT NOT NULL CHECK (increment > 0),
    -- Secret until the listing ends.
    reserve_price      BIGINT CHECK (reserve_price IS NULL OR reserve_price > 0),
    -- The appraisal of state-owned property (property.relisting_floor).
    appraisal          BIGINT CHECK (appraisal IS NULL OR appraisal > 0),
    deposit            BIGINT NOT NULL CHECK (deposit > 0),
    listing_start      TIMESTAMP NOT NULL,
    listing_end        TIMESTAMP NOT NULL,
    extension_seconds  INTEGER NOT NULL CHECK (extension_seconds > 0),
    -- JSON {title, number, sha256} of the approval to list below 90% of the appraisal.
    floor_approval     TEXT,
    place              TEXT NOT NULL,
    -- A relisting after a failed listing (流拍后重新挂牌) is a new round on a new section
    -- of the same project; each failed listing is relisted at most once.
    relisting_of       TEXT UNIQUE REFERENCES listings (id),
    created_at         TIMESTAMP NOT NULL,
    CHECK (listing_start < listing_end)
);

CREATE TABLE listing_progress (
    listing_id     TEXT PRIMARY KEY REFERENCES listings (id),
    phase          TEXT NOT NULL CHECK (phase IN ('announced', 'listing', 'auction', 'sold', 'failed')),
    current_price  BIGINT,
    leader_id      TEXT REFERENCES participants (id),
    auction_end    TIMESTAMP,
    quotes         INTEGER NOT NULL CHECK (quotes >= 0),
    concluded_at   TIMESTAMP,
    -- After a sale: confirmed (成交确认书 signed) or refused by the winner.
    confirmation   TEXT CHECK (confirmation IS NULL OR confirmation IN ('confirmed', 'refused')),
    confirmed_at   TIMESTAMP,
    version        INTEGER NOT NULL
);

-- Anonymous bidder numbers (竞买号牌), given at a bidder's first quote.
CREATE TABLE listing_bidders (
    listing_id     TEXT NOT NULL REFERENCES listings (id),
    bidder_id      TEXT NOT NULL REFERENCES participants (id),
    bidder_number  INTEGER NOT NULL,
    joined_at      TIMESTAMP NOT NULL,
    PRIMARY KEY (listing_id, bidder_id),
    UNIQUE (listing_id, bidder_number)
);

-- Every accepted quote, in the order the database accepted them; no two share a price.
CREATE TABLE listing_quotes (
    listing_id     TEXT NOT NULL REFERENCES listings (id),
    sequence       INTEGER NOT NULL,
    bidder_id      TEXT NOT NULL REFERENCES participants (id),
    bidder_number  INTEGER NOT NULL,
    price          BIGINT NOT NULL CHECK (price > 0),
    phase          TEXT NOT NULL CHECK (phase IN ('listing', 'auction')),
    placed_at      TIMESTAMP NOT NULL,
    PRIMARY KEY (listing_id, sequence),
    UNIQUE (listing_id, price)
);

-- A winner's deposit counts toward the price (land.deposit.refund).
ALTER TABLE bonds DROP CONSTRAINT bonds_outcome_check;
ALTER TABLE bonds ADD CONSTRAINT bonds_outcome_check
    CHECK (outcome IS NULL OR outcome IN ('refunded', 'forfeited', 'applied_to_price'));
