-- What a field write saw about a person it may not change (issue 9 §1, issue
-- 10 "Data integrity"): a visit, a checkpoint screening or a gate scan that
-- meets a registered document either outside the caller's scope, or with a
-- name, household or compound other than the registered ones. The person is
-- left as they are; what was seen, by whom, where and when is kept here for
-- the officers of the person's own unit (unit_id) to confirm (applied then,
-- each change a fact with the original source) or dismiss.
CREATE TABLE person_discrepancies (
  id @ID@,
  person_id BIGINT NOT NULL REFERENCES persons(id),
  unit_id BIGINT NOT NULL REFERENCES units(id),   -- the person's unit when seen: who resolves it
  kind TEXT NOT NULL CHECK (kind = 'out_of_scope' OR kind = 'name' OR kind = 'household' OR kind = 'fever'),
  source TEXT NOT NULL,                           -- visit, checkpoint, gate
  source_id BIGINT,                               -- the visit, vehicle/train check or gate scan
  seen_unit_id BIGINT REFERENCES units(id),       -- where: the household's compound, the checkpoint's or gate's unit
  seen_household_id BIGINT REFERENCES households(id),
  seen_name TEXT,                                 -- what the field typed
  seen_phone TEXT,
  temperature INTEGER,                            -- tenths of a degree, when a reading was taken
  fever INTEGER NOT NULL DEFAULT 0,               -- the reading was a fever
  origin_code TEXT,                               -- an arrival seen with it
  arrival_date TEXT,
  mode TEXT,
  seen_by BIGINT,                                 -- the user (NULL: a device)
  device_id BIGINT,
  at BIGINT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status = 'open' OR status = 'confirmed' OR status = 'dismissed'),
  resolved_by BIGINT,
  resolved_at BIGINT,
  note TEXT
);
CREATE INDEX person_discrepancies_unit ON person_discrepancies(unit_id, status, id);
CREATE INDEX person_discrepancies_person ON person_discrepancies(person_id);
CREATE INDEX person_discrepancies_source ON person_discrepancies(source, source_id);

-- Idempotency keys (issue 9 §2) bind to the whole request, not only the
-- route's pattern: a key used to revoke pass 26491 replayed pass 26491's
-- answer for a revocation of pass 26492, which then stayed active. A key now
-- names one (method, path) — a retry of another path is another request —
-- and keeps a hash of the body: the same key with another body is refused
-- (422), as common practice for idempotency keys has it. Answers kept
-- before this change are dropped: a retry across an upgrade is run again,
-- where the record's own uniqueness (a code, a client_id column) still holds.
DROP TABLE idempotency;
CREATE TABLE idempotency (
  client_id TEXT NOT NULL,
  method TEXT NOT NULL,
  path TEXT NOT NULL,                 -- the whole path, e.g. /api/v1/passes/26491/revoke
  route TEXT NOT NULL,                -- its route pattern, for reading the table
  actor TEXT NOT NULL,                -- who sent it: a stranger's reuse is a conflict
  body_hash TEXT NOT NULL,            -- BLAKE2b-128 of the body, hex
  status INTEGER NOT NULL,
  body TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (client_id, method, path)
);
