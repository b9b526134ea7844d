ALTER TABLE idempotency_keys DROP COLUMN applied_object;
ALTER TABLE idempotency_keys DROP COLUMN claim;
