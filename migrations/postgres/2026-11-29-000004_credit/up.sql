-- Credit records of market participants: commitments, good and bad records, restrictions,
-- conduct reports from the centre, repair applications, the credit policy versions and the
-- log of reads of records past their publication.

CREATE TABLE commitment_texts (
    version        INTEGER PRIMARY KEY CHECK (version >= 1),
    body           TEXT NOT NULL,
    effective_from DATE NOT NULL,
    published_at   TIMESTAMP NOT NULL
);

CREATE TABLE commitments (
    id             TEXT PRIMARY KEY,
    participant_id TEXT NOT NULL REFERENCES participants (id),
    text_version   INTEGER NOT NULL REFERENCES commitment_texts (version),
    signed_on      DATE NOT NULL,
    signed_at      TIMESTAMP NOT NULL,
    signed_by      TEXT NOT NULL,
    revoked_on     DATE
);

CREATE INDEX commitments_participant ON commitments (participant_id, signed_on);

CREATE TABLE credit_records (
    id                 TEXT PRIMARY KEY,
    participant_id     TEXT NOT NULL REFERENCES participants (id),
    kind               TEXT NOT NULL,
    severity           TEXT,
    source             TEXT NOT NULL,
    decision           TEXT NOT NULL,
    decided_on         DATE NOT NULL,
    publication_months INTEGER,
    repaired_on        DATE,
    origin             TEXT NOT NULL,
    -- Idempotency of imports, e.g. court:<credit code>:<case number>.
    external_key       TEXT UNIQUE,
    recorded_by        TEXT NOT NULL,
    recorded_at        TIMESTAMP NOT NULL
);

CREATE INDEX credit_records_participant ON credit_records (participant_id, decided_on);
CREATE INDEX credit_records_decided ON credit_records (decided_on, id);

CREATE TABLE restrictions (
    id             TEXT PRIMARY KEY,
    participant_id TEXT NOT NULL REFERENCES participants (id),
    kind           TEXT NOT NULL,
    starts_on      DATE NOT NULL,
    ends_on        DATE NOT NULL,
    decision       TEXT NOT NULL,
    decided_by     TEXT NOT NULL,
    rule_id        TEXT NOT NULL,
    recorded_at    TIMESTAMP NOT NULL,
    CHECK (ends_on >= starts_on)
);

CREATE INDEX restrictions_participant ON restrictions (participant_id, ends_on);

CREATE TABLE conduct_reports (
    id             TEXT PRIMARY KEY,
    participant_id TEXT NOT NULL REFERENCES participants (id),
    project_id     TEXT REFERENCES projects (id),
    description    TEXT NOT NULL,
    reported_by    TEXT NOT NULL,
    reported_at    TIMESTAMP NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'dismissed')),
    decided_by     TEXT,
    decided_at     TIMESTAMP,
    record_id      TEXT REFERENCES credit_records (id)
);

CREATE TABLE repair_applications (
    id                       TEXT PRIMARY KEY,
    record_id                TEXT NOT NULL REFERENCES credit_records (id),
    participant_id           TEXT NOT NULL REFERENCES participants (id),
    obligations_proof_sha256 TEXT NOT NULL,
    commitment_id            TEXT NOT NULL REFERENCES commitments (id),
    applied_at               TIMESTAMP NOT NULL,
    status                   TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    decided_by               TEXT,
    decided_at               TIMESTAMP,
    reason                   TEXT
);

CREATE TABLE credit_policies (
    version        INTEGER PRIMARY KEY CHECK (version >= 1),
    effective_from DATE NOT NULL UNIQUE,
    body           TEXT NOT NULL,
    published_at   TIMESTAMP NOT NULL,
    published_by   TEXT NOT NULL
);

-- Reads of credit records outside their publication period are logged (disclosure).
CREATE TABLE credit_reads (
    seq            BIGSERIAL PRIMARY KEY,
    reader         TEXT NOT NULL,
    participant_id TEXT NOT NULL,
    purpose        TEXT NOT NULL,
    read_at        TIMESTAMP NOT NULL
);

INSERT INTO commitment_texts (version, body, effective_from, published_at) VALUES (1,
'本单位郑重承诺：一、所提交的登记、投标及其他交易材料真实、合法、有效，不弄虚作假；二、不串通投标、不以他人名义投标、不以行贿等不正当手段谋取中标或成交；三、遵守公共资源交易法律法规和平台规则，服从行政监督部门的监督管理；四、依法履行合同义务，不无故放弃中标或拒签合同；五、不捏造事实、伪造材料进行恶意投诉。如有违反，自愿接受相关部门依法作出的处理，并同意将违约失信行为记入信用记录并予以公开。',
'2019-08-21', '2026-11-29 00:00:00');
