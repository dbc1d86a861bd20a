-- The hot logs of checkpoints and gates (issue 5): vehicle, train and
-- occupant checks and gate scans. 005_checkpoint_logs.pg.sql is the same on
-- PostgreSQL, range-partitioned by month on `at` (partition.c keeps the
-- months ahead).

-- The hot logs. No foreign keys into them (a partitioned table's key
-- includes its month); ids are checked by the code that writes them.
CREATE TABLE vehicle_checks (
  id @ID@,
  checkpoint_id BIGINT NOT NULL,
  at BIGINT NOT NULL,
  day TEXT NOT NULL,
  plate TEXT NOT NULL,
  plate_province TEXT NOT NULL,
  direction TEXT NOT NULL CHECK (direction = 'in' OR direction = 'out'),
  origin_code TEXT,
  destination TEXT,
  destination_unit_id BIGINT,
  occupants INTEGER NOT NULL,
  fevers INTEGER NOT NULL,
  registered INTEGER NOT NULL,
  created_by BIGINT,
  device_id BIGINT
);
CREATE INDEX vehicle_checks_cp ON vehicle_checks(checkpoint_id, at);
CREATE INDEX vehicle_checks_plate ON vehicle_checks(plate, at);

CREATE TABLE train_checks (
  id @ID@,
  checkpoint_id BIGINT NOT NULL,
  at BIGINT NOT NULL,
  day TEXT NOT NULL,
  train_no TEXT NOT NULL,
  arrival_at BIGINT NOT NULL,
  persons INTEGER NOT NULL,
  flagged INTEGER NOT NULL,
  created_by BIGINT,
  device_id BIGINT
);
CREATE INDEX train_checks_cp ON train_checks(checkpoint_id, at);

CREATE TABLE occupant_checks (
  id @ID@,
  checkpoint_id BIGINT NOT NULL,
  vehicle_check_id BIGINT,
  train_check_id BIGINT,
  at BIGINT NOT NULL,
  name TEXT,
  doc_type TEXT,
  doc_number TEXT,
  phone TEXT,
  person_id BIGINT,
  temperature INTEGER,
  disposition TEXT NOT NULL CHECK (disposition = 'pass' OR disposition = 'referral' OR disposition = 'registered'),
  origin_code TEXT,
  destination_unit_id BIGINT,
  arrival_id BIGINT
);
CREATE INDEX occupant_checks_vehicle ON occupant_checks(vehicle_check_id);
CREATE INDEX occupant_checks_person ON occupant_checks(person_id, at);

CREATE TABLE gate_scans (
  id @ID@,
  gate_id BIGINT NOT NULL,
  unit_id BIGINT NOT NULL,
  at BIGINT NOT NULL,
  day TEXT NOT NULL,
  direction TEXT NOT NULL CHECK (direction = 'in' OR direction = 'out'),
  person_id BIGINT,
  pass_id BIGINT,
  kind TEXT NOT NULL,             -- resident, courier, delivery, visitor
  temperature INTEGER,
  decision TEXT NOT NULL CHECK (decision = 'allow' OR decision = 'deny'),
  reason TEXT NOT NULL,
  reason_code TEXT,               -- forged, expired, revoked, not_resident, courier, red, fever, ok ...
  colour TEXT,
  created_by BIGINT,
  device_id BIGINT
);
CREATE INDEX gate_scans_gate ON gate_scans(gate_id, at);
CREATE INDEX gate_scans_person ON gate_scans(person_id, at);
