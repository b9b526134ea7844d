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

CREATE TRIGGER statistics_section AFTER INSERT ON sections
BEGIN
    INSERT INTO statistics_rollup (month, category, subtype, regulator_id, projects, sections, budget, opened_sections, failed_sections, bids, sections_with_bids, awarded_sections, contract_amount, contracted_budget, bonds_held, bonds_refunded)
    SELECT strftime('%Y-%m', p.registered_at, '+8 hours'), p.category, p.subtype, COALESCE(p.regulator_id, ''),
        CASE WHEN NEW.position = 1 THEN 1 ELSE 0 END, 1, NEW.estimated_amount, 0, 0, 0, 0, 0, 0, 0, 0, 0
    FROM projects p WHERE p.id = NEW.project_id
    ON CONFLICT (month, category, subtype, regulator_id) DO UPDATE SET
        projects = projects + excluded.projects,
        sections = sections + excluded.sections,
        budget = budget + excluded.budget,
        opened_sections = opened_sections + excluded.opened_sections,
        failed_sections = failed_sections + excluded.failed_sections,
        bids = bids + excluded.bids,
        sections_with_bids = sections_with_bids + excluded.sections_with_bids,
        awarded_sections = awarded_sections + excluded.awarded_sections,
        contract_amount = contract_amount + excluded.contract_amount,
        contracted_budget = contracted_budget + excluded.contracted_budget,
        bonds_held = bonds_held + excluded.bonds_held,
        bonds_refunded = bonds_refunded + excluded.bonds_refunded;
END;

CREATE TRIGGER statistics_opening AFTER INSERT ON openings
BEGIN
    INSERT INTO statistics_rollup (month, category, subtype, regulator_id, projects, sections, budget, opened_sections, failed_sections, bids, sections_with_bids, awarded_sections, contract_amount, contracted_budget, bonds_held, bonds_refunded)
    SELECT strftime('%Y-%m', p.registered_at, '+8 hours'), p.category, p.subtype, COALESCE(p.regulator_id, ''),
        0, 0, 0, 1,
        CASE WHEN NEW.outcome = 'failed' THEN 1 ELSE 0 END,
        CASE WHEN NEW.outcome = 'opened' THEN NEW.bid_count ELSE 0 END,
        CASE WHEN NEW.outcome = 'opened' THEN 1 ELSE 0 END, 0, 0, 0,
        -- At the opening the section's bonds start to count.
        (SELECT COALESCE(SUM(amount), 0) FROM bonds WHERE section_id = NEW.section_id AND outcome IS NULL),
        (SELECT COALESCE(SUM(amount), 0) FROM bonds WHERE section_id = NEW.section_id AND outcome = 'refunded')
    FROM sections s JOIN projects p ON p.id = s.project_id WHERE s.id = NEW.section_id
    ON CONFLICT (month, category, subtype, regulator_id) DO UPDATE SET
        projects = projects + excluded.projects,
        sections = sections + excluded.sections,
        budget = budget + excluded.budget,
        opened_sections = opened_sections + excluded.opened_sections,
        failed_sections = failed_sections + excluded.failed_sections,
        bids = bids + excluded.bids,
        sections_with_bids = sections_with_bids + excluded.sections_with_bids,
        awarded_sections = awarded_sections + excluded.awarded_sections,
        contract_amount = contract_amount + excluded.contract_amount,
        contracted_budget = contracted_budget + excluded.contracted_budget,
        bonds_held = bonds_held + excluded.bonds_held,
        bonds_refunded = bonds_refunded + excluded.bonds_refunded;
END;

CREATE TRIGGER statistics_opening_change AFTER UPDATE ON openings
BEGIN
    INSERT INTO statistics_rollup (month, category, subtype, regulator_id, projects, sections, budget, opened_sections, failed_sections, bids, sections_with_bids, awarded_sections, contract_amount, contracted_budget, bonds_held, bonds_refunded)
    SELECT strftime('%Y-%m', p.registered_at, '+8 hours'), p.category, p.subtype, COALESCE(p.regulator_id, ''),
        0, 0, 0, 0,
        (CASE WHEN NEW.outcome = 'failed' THEN 1 ELSE 0 END) - (CASE WHEN OLD.outcome = 'failed' THEN 1 ELSE 0 END),
        (CASE WHEN NEW.outcome = 'opened' THEN NEW.bid_count ELSE 0 END)
            - (CASE WHEN OLD.outcome = 'opened' THEN OLD.bid_count ELSE 0 END),
        (CASE WHEN NEW.outcome = 'opened' THEN 1 ELSE 0 END) - (CASE WHEN OLD.outcome = 'opened' THEN 1 ELSE 0 END),
        0, 0, 0, 0, 0
    FROM sections s JOIN projects p ON p.id = s.project_id WHERE s.id = NEW.section_id
    ON CONFLICT (month, category, subtype, regulator_id) DO UPDATE SET
        projects = projects + excluded.projects,
        sections = sections + excluded.sections,
        budget = budget + excluded.budget,
        opened_sections = opened_sections + excluded.opened_sections,
        failed_sections = failed_sections + excluded.failed_sections,
        bids = bids + excluded.bids,
        sections_with_bids = sections_with_bids + excluded.sections_with_bids,
        awarded_sections = awarded_sections + excluded.awarded_sections,
        contract_amount = contract_amount + excluded.contract_amount,
        contracted_budget = contracted_budget + excluded.contracted_budget,
        bonds_held = bonds_held + excluded.bonds_held,
        bonds_refunded = bonds_refunded + excluded.bonds_refunded;
END;

CREATE TRIGGER statistics_result AFTER INSERT ON section_results
BEGIN
    INSERT INTO statistics_rollup (month, category, subtype, regulator_id, projects, sections, budget, opened_sections, failed_sections, bids, sections_with_bids, awarded_sections, contract_amount, contracted_budget, bonds_held, bonds_refunded)
    SELECT strftime('%Y-%m', p.registered_at, '+8 hours'), p.category, p.subtype, COALESCE(p.regulator_id, ''),
        0, 0, 0, 0, 0, 0, 0,
        CASE WHEN NEW.winner_id IS NOT NULL THEN 1 ELSE 0 END,
        COALESCE(NEW.contract_amount, 0),
        CASE WHEN NEW.contract_amount IS NOT NULL THEN s.estimated_amount ELSE 0 END, 0, 0
    FROM sections s JOIN projects p ON p.id = s.project_id WHERE s.id = NEW.section_id
    ON CONFLICT (month, category, subtype, regulator_id) DO UPDATE SET
        projects = projects + excluded.projects,
        sections = sections + excluded.sections,
        budget = budget + excluded.budget,
        opened_sections = opened_sections + excluded.opened_sections,
        failed_sections = failed_sections + excluded.failed_sections,
        bids = bids + excluded.bids,
        sections_with_bids = sections_with_bids + excluded.sections_with_bids,
        awarded_sections = awarded_sections + excluded.awarded_sections,
        contract_amount = contract_amount + excluded.contract_amount,
        contracted_budget = contracted_budget + excluded.contracted_budget,
        bonds_held = bonds_held + excluded.bonds_held,
        bonds_refunded = bonds_refunded + excluded.bonds_refunded;
END;

CREATE TRIGGER statistics_result_change AFTER UPDATE ON section_results
BEGIN
    INSERT INTO statistics_rollup (month, category, subtype, regulator_id, projects, sections, budget, opened_sections, failed_sections, bids, sections_with_bids, awarded_sections, contract_amount, contracted_budget, bonds_held, bonds_refunded)
    SELECT strftime('%Y-%m', p.registered_at, '+8 hours'), p.category, p.subtype, COALESCE(p.regulator_id, ''),
        0, 0, 0, 0, 0, 0, 0,
        (CASE WHEN NEW.winner_id IS NOT NULL THEN 1 ELSE 0 END) - (CASE WHEN OLD.winner_id IS NOT NULL THEN 1 ELSE 0 END),
        COALESCE(NEW.contract_amount, 0) - COALESCE(OLD.contract_amount, 0),
        ((CASE WHEN NEW.contract_amount IS NOT NULL THEN 1 ELSE 0 END)
            - (CASE WHEN OLD.contract_amount IS NOT NULL THEN 1 ELSE 0 END)) * s.estimated_amount, 0, 0
    FROM sections s JOIN projects p ON p.id = s.project_id WHERE s.id = NEW.section_id
    ON CONFLICT (month, category, subtype, regulator_id) DO UPDATE SET
        projects = projects + excluded.projects,
        sections = sections + excluded.sections,
        budget = budget + excluded.budget,
        opened_sections = opened_sections + excluded.opened_sections,
        failed_sections = failed_sections + excluded.failed_sections,
        bids = bids + excluded.bids,
        sections_with_bids = sections_with_bids + excluded.sections_with_bids,
        awarded_sections = awarded_sections + excluded.awarded_sections,
        contract_amount = contract_amount + excluded.contract_amount,
        contracted_budget = contracted_budget + excluded.contracted_budget,
        bonds_held = bonds_held + excluded.bonds_held,
        bonds_refunded = bonds_refunded + excluded.bonds_refunded;
END;

-- A bond of an opened section counts as held until its outcome, then as refunded if it was.
CREATE TRIGGER statistics_bond AFTER INSERT ON bonds
BEGIN
    INSERT INTO statistics_rollup (month, category, subtype, regulator_id, projects, sections, budget, opened_sections, failed_sections, bids, sections_with_bids, awarded_sections, contract_amount, contracted_budget, bonds_held, bonds_refunded)
    SELECT strftime('%Y-%m', p.registered_at, '+8 hours'), p.category, p.subtype, COALESCE(p.regulator_id, ''),
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        CASE WHEN NEW.outcome IS NULL THEN NEW.amount ELSE 0 END,
        CASE WHEN NEW.outcome = 'refunded' THEN NEW.amount ELSE 0 END
    FROM sections s JOIN projects p ON p.id = s.project_id JOIN openings o ON o.section_id = s.id
    WHERE s.id = NEW.section_id
    ON CONFLICT (month, category, subtype, regulator_id) DO UPDATE SET
        projects = projects + excluded.projects,
        sections = sections + excluded.sections,
        budget = budget + excluded.budget,
        opened_sections = opened_sections + excluded.opened_sections,
        failed_sections = failed_sections + excluded.failed_sections,
        bids = bids + excluded.bids,
        sections_with_bids = sections_with_bids + excluded.sections_with_bids,
        awarded_sections = awarded_sections + excluded.awarded_sections,
        contract_amount = contract_amount + excluded.contract_amount,
        contracted_budget = contracted_budget + excluded.contracted_budget,
        bonds_held = bonds_held + excluded.bonds_held,
        bonds_refunded = bonds_refunded + excluded.bonds_refunded;
END;

CREATE TRIGGER statistics_bond_change AFTER UPDATE ON bonds
BEGIN
    INSERT INTO statistics_rollup (month, category, subtype, regulator_id, projects, sections, budget, opened_sections, failed_sections, bids, sections_with_bids, awarded_sections, contract_amount, contracted_budget, bonds_held, bonds_refunded)
    SELECT strftime('%Y-%m', p.registered_at, '+8 hours'), p.category, p.subtype, COALESCE(p.regulator_id, ''),
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        (CASE WHEN NEW.outcome IS NULL THEN NEW.amount ELSE 0 END) - (CASE WHEN OLD.outcome IS NULL THEN OLD.amount ELSE 0 END),
        (CASE WHEN NEW.outcome = 'refunded' THEN NEW.amount ELSE 0 END)
            - (CASE WHEN OLD.outcome = 'refunded' THEN OLD.amount ELSE 0 END)
    FROM sections s JOIN projects p ON p.id = s.project_id JOIN openings o ON o.section_id = s.id
    WHERE s.id = NEW.section_id
    ON CONFLICT (month, category, subtype, regulator_id) DO UPDATE SET
        projects = projects + excluded.projects,
        sections = sections + excluded.sections,
        budget = budget + excluded.budget,
        opened_sections = opened_sections + excluded.opened_sections,
        failed_sections = failed_sections + excluded.failed_sections,
        bids = bids + excluded.bids,
        sections_with_bids = sections_with_bids + excluded.sections_with_bids,
        awarded_sections = awarded_sections + excluded.awarded_sections,
        contract_amount = contract_amount + excluded.contract_amount,
        contracted_budget = contracted_budget + excluded.contracted_budget,
        bonds_held = bonds_held + excluded.bonds_held,
        bonds_refunded = bonds_refunded + excluded.bonds_refunded;
END;

-- A project whose bucket changes (the regulator assigned) moves everything it counted.
CREATE TRIGGER statistics_project AFTER UPDATE OF regulator_id, category, subtype, registered_at ON projects
WHEN OLD.regulator_id IS NOT NEW.regulator_id OR OLD.category <> NEW.category
    OR OLD.subtype <> NEW.subtype OR OLD.registered_at <> NEW.registered_at
BEGIN
    INSERT INTO statistics_rollup (month, category, subtype, regulator_id, projects, sections, budget, opened_sections, failed_sections, bids, sections_with_bids, awarded_sections, contract_amount, contracted_budget, bonds_held, bonds_refunded)
    SELECT strftime('%Y-%m', OLD.registered_at, '+8 hours'), OLD.category, OLD.subtype, COALESCE(OLD.regulator_id, ''),
        -1 * COALESCE(SUM(CASE WHEN s.position = 1 THEN 1 ELSE 0 END), 0),
        -1 * COUNT(s.id),
        -1 * COALESCE(SUM(s.estimated_amount), 0),
        -1 * COUNT(o.section_id),
        -1 * COALESCE(SUM(CASE WHEN o.outcome = 'failed' THEN 1 ELSE 0 END), 0),
        -1 * COALESCE(SUM(CASE WHEN o.outcome = 'opened' THEN o.bid_count ELSE 0 END), 0),
        -1 * COALESCE(SUM(CASE WHEN o.outcome = 'opened' THEN 1 ELSE 0 END), 0),
        -1 * COALESCE(SUM(CASE WHEN r.winner_id IS NOT NULL THEN 1 ELSE 0 END), 0),
        -1 * COALESCE(SUM(COALESCE(r.contract_amount, 0)), 0),
        -1 * COALESCE(SUM(CASE WHEN r.contract_amount IS NOT NULL THEN s.estimated_amount ELSE 0 END), 0),
        -1 * COALESCE(SUM(CASE WHEN o.section_id IS NOT NULL THEN (SELECT COALESCE(SUM(amount), 0) FROM bonds WHERE section_id = s.id AND outcome IS NULL) ELSE 0 END), 0),
        -1 * COALESCE(SUM(CASE WHEN o.section_id IS NOT NULL THEN (SELECT COALESCE(SUM(amount), 0) FROM bonds WHERE section_id = s.id AND outcome = 'refunded') ELSE 0 END), 0)
    FROM sections s
    LEFT JOIN openings o ON o.section_id = s.id
    LEFT JOIN section_results r ON r.section_id = s.id
    WHERE s.project_id = OLD.id
    ON CONFLICT (month, category, subtype, regulator_id) DO UPDATE SET
        projects = projects + excluded.projects,
        sections = sections + excluded.sections,
        budget = budget + excluded.budget,
        opened_sections = opened_sections + excluded.opened_sections,
        failed_sections = failed_sections + excluded.failed_sections,
        bids = bids + excluded.bids,
        sections_with_bids = sections_with_bids + excluded.sections_with_bids,
        awarded_sections = awarded_sections + excluded.awarded_sections,
        contract_amount = contract_amount + excluded.contract_amount,
        contracted_budget = contracted_budget + excluded.contracted_budget,
        bonds_held = bonds_held + excluded.bonds_held,
        bonds_refunded = bonds_refunded + excluded.bonds_refunded;
    INSERT INTO statistics_rollup (month, category, subtype, regulator_id, projects, sections, budget, opened_sections, failed_sections, bids, sections_with_bids, awarded_sections, contract_amount, contracted_budget, bonds_held, bonds_refunded)
    SELECT strftime('%Y-%m', NEW.registered_at, '+8 hours'), NEW.category, NEW.subtype, COALESCE(NEW.regulator_id, ''),
        1 * COALESCE(SUM(CASE WHEN s.position = 1 THEN 1 ELSE 0 END), 0),
        1 * COUNT(s.id),
        1 * COALESCE(SUM(s.estimated_amount), 0),
        1 * COUNT(o.section_id),
        1 * COALESCE(SUM(CASE WHEN o.outcome = 'failed' THEN 1 ELSE 0 END), 0),
        1 * COALESCE(SUM(CASE WHEN o.outcome = 'opened' THEN o.bid_count ELSE 0 END), 0),
        1 * COALESCE(SUM(CASE WHEN o.outcome = 'opened' THEN 1 ELSE 0 END), 0),
        1 * COALESCE(SUM(CASE WHEN r.winner_id IS NOT NULL THEN 1 ELSE 0 END), 0),
        1 * COALESCE(SUM(COALESCE(r.contract_amount, 0)), 0),
        1 * COALESCE(SUM(CASE WHEN r.contract_amount IS NOT NULL THEN s.estimated_amount ELSE 0 END), 0),
        1 * COALESCE(SUM(CASE WHEN o.section_id IS NOT NULL THEN (SELECT COALESCE(SUM(amount), 0) FROM bonds WHERE section_id = s.id AND outcome IS NULL) ELSE 0 END), 0),
        1 * COALESCE(SUM(CASE WHEN o.section_id IS NOT NULL THEN (SELECT COALESCE(SUM(amount), 0) FROM bonds WHERE section_id = s.id AND outcome = 'refunded') ELSE 0 END), 0)
    FROM sections s
    LEFT JOIN openings o ON o.section_id = s.id
    LEFT JOIN section_results r ON r.section_id = s.id
    WHERE s.project_id = NEW.id
    ON CONFLICT (month, category, subtype, regulator_id) DO UPDATE SET
        projects = projects + excluded.projects,
        sections = sections + excluded.sections,
        budget = budget + excluded.budget,
        opened_sections = opened_sections + excluded.opened_sections,
        failed_sections = failed_sections + excluded.failed_sections,
        bids = bids + excluded.bids,
        sections_with_bids = sections_with_bids + excluded.sections_with_bids,
        awarded_sections = awarded_sections + excluded.awarded_sections,
        contract_amount = contract_amount + excluded.contract_amount,
        contracted_budget = contracted_budget + excluded.contracted_budget,
        bonds_held = bonds_held + excluded.bonds_held,
        bonds_refunded = bonds_refunded + excluded.bonds_refunded;
END;

-- What is there already.
INSERT INTO statistics_rollup (month, category, subtype, regulator_id, projects, sections, budget, opened_sections, failed_sections, bids, sections_with_bids, awarded_sections, contract_amount, contracted_budget, bonds_held, bonds_refunded)
SELECT strftime('%Y-%m', p.registered_at, '+8 hours'), p.category, p.subtype, COALESCE(p.regulator_id, ''),
    COALESCE(SUM(CASE WHEN s.position = 1 THEN 1 ELSE 0 END), 0),
    COUNT(s.id),
    COALESCE(SUM(s.estimated_amount), 0),
    COUNT(o.section_id),
    COALESCE(SUM(CASE WHEN o.outcome = 'failed' THEN 1 ELSE 0 END), 0),
    COALESCE(SUM(CASE WHEN o.outcome = 'opened' THEN o.bid_count ELSE 0 END), 0),
    COALESCE(SUM(CASE WHEN o.outcome = 'opened' THEN 1 ELSE 0 END), 0),
    COALESCE(SUM(CASE WHEN r.winner_id IS NOT NULL THEN 1 ELSE 0 END), 0),
    COALESCE(SUM(COALESCE(r.contract_amount, 0)), 0),
    COALESCE(SUM(CASE WHEN r.contract_amount IS NOT NULL THEN s.estimated_amount ELSE 0 END), 0),
    COALESCE(SUM(CASE WHEN o.section_id IS NOT NULL THEN (SELECT COALESCE(SUM(amount), 0) FROM bonds WHERE section_id = s.id AND outcome IS NULL) ELSE 0 END), 0),
    COALESCE(SUM(CASE WHEN o.section_id IS NOT NULL THEN (SELECT COALESCE(SUM(amount), 0) FROM bonds WHERE section_id = s.id AND outcome = 'refunded') ELSE 0 END), 0)
FROM projects p
JOIN sections s ON s.project_id = p.id
LEFT JOIN openings o ON o.section_id = s.id
LEFT JOIN section_results r ON r.section_id = s.id
GROUP BY 1, 2, 3, 4;

-- The overdue count is read live: bonds without an outcome past their refund deadline.
CREATE INDEX bonds_open_deadline ON bonds (refund_deadline) WHERE outcome IS NULL;
