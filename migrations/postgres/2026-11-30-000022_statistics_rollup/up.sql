-- Monthly roll-ups of the public statistics, kept by triggers in the transactions that
-- write projects, sections, openings and results, so that a query over all time reads a
-- few thousand rows instead of joining every project. A bucket is the Beijing month of a
-- project's registration, its category, subtype and regulator ('' while none). Bonds
-- count once their section is opened (nothing about a sealed tender shows); only the
-- overdue count is read live, since time alone makes a bond overdue.
CREATE TABLE statistics_rollup (
    month              TEXT NOT NULL,
    category           TEXT NOT NULL,
    subtype            TEXT NOT NULL,
    regulator_id       TEXT NOT NULL,
    projects           BIGINT NOT NULL DEFAULT 0,
    sections           BIGINT NOT NULL DEFAULT 0,
    budget             BIGINT NOT NULL DEFAULT 0,
    opened_sections    BIGINT NOT NULL DEFAULT 0,
    failed_sections    BIGINT NOT NULL DEFAULT 0,
    bids               BIGINT NOT NULL DEFAULT 0,
    sections_with_bids BIGINT NOT NULL DEFAULT 0,
    awarded_sections   BIGINT NOT NULL DEFAULT 0,
    contract_amount    BIGINT NOT NULL DEFAULT 0,
    contracted_budget  BIGINT NOT NULL DEFAULT 0,
    bonds_held         BIGINT NOT NULL DEFAULT 0,
    bonds_refunded     BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (month, category, subtype, regulator_id)
);

-- Adds deltas to the bucket of a project as it is now (or as `old` describes it).
CREATE FUNCTION statistics_add(
    b_month TEXT, b_category TEXT, b_subtype TEXT, b_regulator TEXT,
    d_projects BIGINT, d_sections BIGINT, d_budget BIGINT, d_opened BIGINT, d_failed BIGINT,
    d_bids BIGINT, d_with_bids BIGINT, d_awarded BIGINT, d_contract BIGINT, d_contracted BIGINT,
    d_held BIGINT, d_refunded BIGINT
) RETURNS void LANGUAGE sql AS $$
    INSERT INTO statistics_rollup AS r (month, category, subtype, regulator_id, projects, sections, budget,
        opened_sections, failed_sections, bids, sections_with_bids, awarded_sections, contract_amount, contracted_budget,
        bonds_held, bonds_refunded)
    VALUES (b_month, b_category, b_subtype, b_regulator, d_projects, d_sections, d_budget, d_opened, d_failed,
        d_bids, d_with_bids, d_awarded, d_contract, d_contracted, d_held, d_refunded)
    ON CONFLICT (month, category, subtype, regulator_id) DO UPDATE SET
        projects = r.projects + EXCLUDED.projects,
        sections = r.sections + EXCLUDED.sections,
        budget = r.budget + EXCLUDED.budget,
        opened_sections = r.opened_sections + EXCLUDED.opened_sections,
        failed_sections = r.failed_sections + EXCLUDED.failed_sections,
        bids = r.bids + EXCLUDED.bids,
        sections_with_bids = r.sections_with_bids + EXCLUDED.sections_with_bids,
        awarded_sections = r.awarded_sections + EXCLUDED.awarded_sections,
        contract_amount = r.contract_amount + EXCLUDED.contract_amount,
        contracted_budget = r.contracted_budget + EXCLUDED.contracted_budget,
        bonds_held = r.bonds_held + EXCLUDED.bonds_held,
        bonds_refunded = r.bonds_refunded + EXCLUDED.bonds_refunded
$$;

-- The bond amounts of a section that count: held (no outcome yet) and refunded.
CREATE FUNCTION statistics_bonds_held(section TEXT) RETURNS BIGINT LANGUAGE sql STABLE AS $$
    SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM bonds WHERE section_id = section AND outcome IS NULL
$$;
CREATE FUNCTION statistics_bonds_refunded(section TEXT) RETURNS BIGINT LANGUAGE sql STABLE AS $$
    SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM bonds WHERE section_id = section AND outcome = 'refunded'
$$;

CREATE FUNCTION statistics_month(registered TIMESTAMP) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
    SELECT to_char(registered + interval '8 hours', 'YYYY-MM')
$$;

-- Adds `sign` times everything a project contributes (its sections, openings, results).
CREATE FUNCTION statistics_project(p projects, sign BIGINT) RETURNS void LANGUAGE sql AS $$
    SELECT statistics_add(statistics_month(p.registered_at), p.category, p.subtype, COALESCE(p.regulator_id, ''),
        sign * CAST(COALESCE(SUM(CASE WHEN s.position = 1 THEN 1 ELSE 0 END), 0) AS BIGINT),
        sign * COUNT(s.id),
        sign * CAST(COALESCE(SUM(s.estimated_amount), 0) AS BIGINT),
        sign * COUNT(o.section_id),
        sign * CAST(COALESCE(SUM(CASE WHEN o.outcome = 'failed' THEN 1 ELSE 0 END), 0) AS BIGINT),
        sign * CAST(COALESCE(SUM(CASE WHEN o.outcome = 'opened' THEN o.bid_count ELSE 0 END), 0) AS BIGINT),
        sign * CAST(COALESCE(SUM(CASE WHEN o.outcome = 'opened' THEN 1 ELSE 0 END), 0) AS BIGINT),
        sign * CAST(COALESCE(SUM(CASE WHEN r.winner_id IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT),
        sign * CAST(COALESCE(SUM(COALESCE(r.contract_amount, 0)), 0) AS BIGINT),
        sign * CAST(COALESCE(SUM(CASE WHEN r.contract_amount IS NOT NULL THEN s.estimated_amount ELSE 0 END), 0) AS BIGINT),
        sign * CAST(COALESCE(SUM(CASE WHEN o.section_id IS NOT NULL THEN statistics_bonds_held(s.id) ELSE 0 END), 0) AS BIGINT),
        sign * CAST(COALESCE(SUM(CASE WHEN o.section_id IS NOT NULL THEN statistics_bonds_refunded(s.id) ELSE 0 END), 0) AS BIGINT))
    FROM sections s
    LEFT JOIN openings o ON o.section_id = s.id
    LEFT JOIN section_results r ON r.section_id = s.id
    WHERE s.project_id = p.id
$$;

CREATE FUNCTION statistics_on_section() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM statistics_add(statistics_month(p.registered_at), p.category, p.subtype, COALESCE(p.regulator_id, ''),
        CASE WHEN NEW.position = 1 THEN 1 ELSE 0 END, 1, NEW.estimated_amount, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    FROM projects p WHERE p.id = NEW.project_id;
    RETURN NULL;
END $$;
CREATE TRIGGER statistics_section AFTER INSERT ON sections FOR EACH ROW EXECUTE FUNCTION statistics_on_section();

CREATE FUNCTION statistics_on_opening() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    before_opened BIGINT := 0; before_failed BIGINT := 0; before_bids BIGINT := 0; before_with BIGINT := 0;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        before_opened := 1;
        before_failed := CASE WHEN OLD.outcome = 'failed' THEN 1 ELSE 0 END;
        before_bids := CASE WHEN OLD.outcome = 'opened' THEN OLD.bid_count ELSE 0 END;
        before_with := CASE WHEN OLD.outcome = 'opened' THEN 1 ELSE 0 END;
    END IF;
    PERFORM statistics_add(statistics_month(p.registered_at), p.category, p.subtype, COALESCE(p.regulator_id, ''),
        0, 0, 0, 1 - before_opened,
        CASE WHEN NEW.outcome = 'failed' THEN 1 ELSE 0 END - before_failed,
        CASE WHEN NEW.outcome = 'opened' THEN NEW.bid_count ELSE 0 END - before_bids,
        CASE WHEN NEW.outcome = 'opened' THEN 1 ELSE 0 END - before_with, 0, 0, 0,
        -- At the opening the section's bonds start to count.
        CASE WHEN TG_OP = 'INSERT' THEN statistics_bonds_held(NEW.section_id) ELSE 0 END,
        CASE WHEN TG_OP = 'INSERT' THEN statistics_bonds_refunded(NEW.section_id) ELSE 0 END)
    FROM sections s JOIN projects p ON p.id = s.project_id WHERE s.id = NEW.section_id;
    RETURN NULL;
END $$;
CREATE TRIGGER statistics_opening AFTER INSERT OR UPDATE ON openings FOR EACH ROW EXECUTE FUNCTION statistics_on_opening();

CREATE FUNCTION statistics_on_result() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    before_awarded BIGINT := 0; before_contract BIGINT := 0; before_contracted BIGINT := 0;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        before_awarded := CASE WHEN OLD.winner_id IS NOT NULL THEN 1 ELSE 0 END;
        before_contract := COALESCE(OLD.contract_amount, 0);
        before_contracted := CASE WHEN OLD.contract_amount IS NOT NULL THEN 1 ELSE 0 END;
    END IF;
    PERFORM statistics_add(statistics_month(p.registered_at), p.category, p.subtype, COALESCE(p.regulator_id, ''),
        0, 0, 0, 0, 0, 0, 0,
        CASE WHEN NEW.winner_id IS NOT NULL THEN 1 ELSE 0 END - before_awarded,
        COALESCE(NEW.contract_amount, 0) - before_contract,
        (CASE WHEN NEW.contract_amount IS NOT NULL THEN 1 ELSE 0 END - before_contracted) * s.estimated_amount, 0, 0)
    FROM sections s JOIN projects p ON p.id = s.project_id WHERE s.id = NEW.section_id;
    RETURN NULL;
END $$;
CREATE TRIGGER statistics_result AFTER INSERT OR UPDATE ON section_results FOR EACH ROW EXECUTE FUNCTION statistics_on_result();

-- A bond of an opened section counts as held until its outcome, then as refunded if it was.
CREATE FUNCTION statistics_on_bond() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    before_held BIGINT := 0; before_refunded BIGINT := 0;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        before_held := CASE WHEN OLD.outcome IS NULL THEN OLD.amount ELSE 0 END;
        before_refunded := CASE WHEN OLD.outcome = 'refunded' THEN OLD.amount ELSE 0 END;
    END IF;
    PERFORM statistics_add(statistics_month(p.registered_at), p.category, p.subtype, COALESCE(p.regulator_id, ''),
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        CASE WHEN NEW.outcome IS NULL THEN NEW.amount ELSE 0 END - before_held,
        CASE WHEN NEW.outcome = 'refunded' THEN NEW.amount ELSE 0 END - before_refunded)
    FROM sections s JOIN projects p ON p.id = s.project_id JOIN openings o ON o.section_id = s.id
    WHERE s.id = NEW.section_id;
    RETURN NULL;
END $$;
CREATE TRIGGER statistics_bond AFTER INSERT OR UPDATE ON bonds FOR EACH ROW EXECUTE FUNCTION statistics_on_bond();

-- A project whose bucket changes (the regulator assigned) moves everything it counted.
CREATE FUNCTION statistics_on_project() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (OLD.regulator_id IS DISTINCT FROM NEW.regulator_id) OR OLD.category <> NEW.category
        OR OLD.subtype <> NEW.subtype OR OLD.registered_at <> NEW.registered_at THEN
        PERFORM statistics_project(OLD, -1);
        PERFORM statistics_project(NEW, 1);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER statistics_project AFTER UPDATE ON projects FOR EACH ROW EXECUTE FUNCTION statistics_on_project();

-- What is there already, in one pass.
INSERT INTO statistics_rollup (month, category, subtype, regulator_id, projects, sections, budget,
    opened_sections, failed_sections, bids, sections_with_bids, awarded_sections, contract_amount, contracted_budget,
    bonds_held, bonds_refunded)
SELECT statistics_month(p.registered_at), p.category, p.subtype, COALESCE(p.regulator_id, ''),
    SUM(CASE WHEN s.position = 1 THEN 1 ELSE 0 END),
    COUNT(s.id),
    SUM(s.estimated_amount),
    COUNT(o.section_id),
    SUM(CASE WHEN o.outcome = 'failed' THEN 1 ELSE 0 END),
    SUM(CASE WHEN o.outcome = 'opened' THEN o.bid_count ELSE 0 END),
    SUM(CASE WHEN o.outcome = 'opened' THEN 1 ELSE 0 END),
    SUM(CASE WHEN r.winner_id IS NOT NULL THEN 1 ELSE 0 END),
    SUM(COALESCE(r.contract_amount, 0)),
    SUM(CASE WHEN r.contract_amount IS NOT NULL THEN s.estimated_amount ELSE 0 END),
    SUM(CASE WHEN o.section_id IS NOT NULL THEN COALESCE(b.held, 0) ELSE 0 END),
    SUM(CASE WHEN o.section_id IS NOT NULL THEN COALESCE(b.refunded, 0) ELSE 0 END)
FROM projects p
JOIN sections s ON s.project_id = p.id
LEFT JOIN openings o ON o.section_id = s.id
LEFT JOIN section_results r ON r.section_id = s.id
LEFT JOIN (SELECT section_id,
        SUM(CASE WHEN outcome IS NULL THEN amount ELSE 0 END) AS held,
        SUM(CASE WHEN outcome = 'refunded' THEN amount ELSE 0 END) AS refunded
    FROM bonds GROUP BY section_id) b ON b.section_id = s.id
GROUP BY 1, 2, 3, 4;

-- The overdue count is read live: bonds without an outcome past their refund deadline.
CREATE INDEX bonds_open_deadline ON bonds (refund_deadline) WHERE outcome IS NULL;
