-- The facts a person was created with (name, phone, household) are implied
-- by the person's own row instead of written as person_facts rows: an import
-- of half a million persons would otherwise write three rows for each.
-- While facts_implied is 1 the row still holds exactly what its creator gave
-- (source, source_id, created_at say who and when); the first change to the
-- name, phone or household writes those facts out as rows and clears it, so
-- the card shows the same history either way (people.c).
ALTER TABLE persons ADD COLUMN facts_implied INTEGER NOT NULL DEFAULT 0;
