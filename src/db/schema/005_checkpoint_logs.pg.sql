-- The hot logs of checkpoints and gates (issue 5) on PostgreSQL:
-- range-partitioned by month on `at` (partition.c keeps the months ahead);
-- the same columns as 005_checkpoint_logs.sql.

-- The hot logs, range-partitioned by month on `at`. No foreign keys into them (a partitioned table's key
-- includes its month); ids are checked by the code that writes them.
CREATE SEQUENCE vehicle_checks_id_seq AS BIGINT;
CREATE TABLE vehicle_checks (
  id BIGINT NOT NULL DEFAULT nextval('vehicle_checks_id_seq'),
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
  device_id BIGINT,
  PRIMARY KEY (id, at)
) PARTITION BY RANGE (at);
CREATE INDEX vehicle_checks_cp ON vehicle_checks(checkpoint_id, at);
CREATE INDEX vehicle_checks_plate ON vehicle_checks(plate, at);

CREATE SEQUENCE train_checks_id_seq AS BIGINT;
CREATE TABLE train_checks (
  id BIGINT NOT NULL DEFAULT nextval('train_checks_id_seq'),
  checkpoint_id BIGINT NOT NULL,
  at BIGINT NOT NULL,
  day TEXT NOT NULL,
  train_no TEXT NOT NULL,
  arrival_at BIGINT NOT NULL,
  persons INTEGER NOT NULL,
  flagged INTEGER NOT NULL,
  created_by BIGINT,
  device_id BIGINT,
  PRIMARY KEY (id, at)
) PARTITION BY RANGE (at);
CREATE INDEX train_checks_cp ON train_checks(checkpoint_id, at);

CREATE SEQUENCE occupant_checks_id_seq AS BIGINT;
CREATE TABLE occupant_checks (
  id BIGINT NOT NULL DEFAULT nextval('occupant_checks_id_seq'),
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
  arrival_id BIGINT,
  PRIMARY KEY (id, at)
) PARTITION BY RANGE (at);
CREATE INDEX occupant_checks_vehicle ON occupant_checks(vehicle_check_id);
CREATE INDEX occupant_checks_person ON occupant_checks(person_id, at);

CREATE SEQUENCE gate_scans_id_seq AS BIGINT;
CREATE TABLE gate_scans (
  id BIGINT NOT NULL DEFAULT nextval('gate_scans_id_seq'),
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
  device_id BIGINT,
  PRIMARY KEY (id, at)
) PARTITION BY RANGE (at);
CREATE INDEX gate_scans_gate ON gate_scans(gate_id, at);
CREATE INDEX gate_scans_person ON gate_scans(person_id, at);
