-- Checkpoints and closed compounds (DOMAIN.md §2, §4; issue 5): road and
-- rail checkpoints, shifts and duty, passes and their signing keys, gates,
-- fevers and daily temperature marks, and the day counts. The hot logs
-- (vehicle, train and occupant checks, gate scans) are in 005, which has a
-- PostgreSQL variant that partitions them by month.

CREATE TABLE checkpoints (
  id @ID@,
  unit_id BIGINT NOT NULL REFERENCES units(id),   -- the unit it reports to
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind = 'road' OR kind = 'rail'),
  location TEXT,
  created_at BIGINT NOT NULL
);

-- 24-hour cover: shifts laid out by the roster (four teams over three
-- shifts, 四班三运转) and every person on duty signing in and out.
CREATE TABLE shifts (
  id @ID@,
  checkpoint_id BIGINT NOT NULL REFERENCES checkpoints(id),
  team TEXT NOT NULL,
  starts_at BIGINT NOT NULL,
  ends_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (checkpoint_id, starts_at)
);

CREATE TABLE duty (
  id @ID@,
  checkpoint_id BIGINT NOT NULL REFERENCES checkpoints(id),
  shift_id BIGINT REFERENCES shifts(id),
  person_name TEXT NOT NULL,
  agency TEXT NOT NULL CHECK (agency = 'law_enforcement' OR agency = 'police' OR agency = 'health' OR agency = 'other'),
  user_id BIGINT REFERENCES users(id),
  signed_in_at BIGINT NOT NULL,
  signed_out_at BIGINT,
  client_id TEXT UNIQUE,
  created_at BIGINT NOT NULL
);
CREATE INDEX duty_checkpoint ON duty(checkpoint_id, signed_in_at);

-- Client-made ids of field writes (screenings, scans) kept apart from the
-- partitioned logs, whose unique keys must include the month.
CREATE TABLE field_writes (
  client_id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  record_id BIGINT NOT NULL,
  at BIGINT NOT NULL,
  answer TEXT NOT NULL
);

CREATE TABLE pass_keys (
  kid TEXT PRIMARY KEY,
  public_key TEXT NOT NULL,       -- base64
  secret_key TEXT NOT NULL,       -- base64; the database is the keystore (see docs)
  created_at BIGINT NOT NULL,
  retired_at BIGINT               -- no new passes; still verifies until its passes expire
);

CREATE TABLE passes (
  id @ID@,
  person_id BIGINT NOT NULL REFERENCES persons(id),
  unit_id BIGINT NOT NULL REFERENCES units(id),   -- the compound
  kid TEXT NOT NULL REFERENCES pass_keys(kid),
  issued_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT,
  revoked_reason TEXT,
  created_by BIGINT REFERENCES users(id)
);
CREATE INDEX passes_person ON passes(person_id);
CREATE INDEX passes_unit ON passes(unit_id);

CREATE TABLE gates (
  id @ID@,
  unit_id BIGINT NOT NULL REFERENCES units(id),   -- the compound
  name TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (unit_id, name)
);

-- Fevers recorded at checkpoints and gates: a fever makes the person red
-- until it is cleared (by a medic, a later feature).
CREATE TABLE fevers (
  id @ID@,
  person_id BIGINT NOT NULL REFERENCES persons(id),
  at BIGINT NOT NULL,
  temperature INTEGER NOT NULL,   -- tenths of a degree
  source TEXT NOT NULL,           -- checkpoint, gate
  source_id BIGINT,
  cleared_at BIGINT,
  cleared_by BIGINT
);
CREATE INDEX fevers_person ON fevers(person_id, cleared_at);

-- "Temperature normal today" (每日测温正常): the first normal reading of a
-- local day.
CREATE TABLE temperature_marks (
  person_id BIGINT NOT NULL REFERENCES persons(id),
  day TEXT NOT NULL,
  at BIGINT NOT NULL,
  temperature INTEGER NOT NULL,
  gate_id BIGINT,
  PRIMARY KEY (person_id, day)
);

-- Per checkpoint and local day: the bulletin's figures, kept by the writes.
CREATE TABLE checkpoint_days (
  checkpoint_id BIGINT NOT NULL REFERENCES checkpoints(id),
  day TEXT NOT NULL,
  vehicles INTEGER NOT NULL DEFAULT 0,
  person_trips INTEGER NOT NULL DEFAULT 0,
  trains INTEGER NOT NULL DEFAULT 0,
  fevers INTEGER NOT NULL DEFAULT 0,
  referrals INTEGER NOT NULL DEFAULT 0,
  registered INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (checkpoint_id, day)
);
