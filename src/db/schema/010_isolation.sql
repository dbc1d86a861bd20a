-- Isolation and health monitoring (DOMAIN.md §8, issue 11): designated
-- quarantine hotels and hospitals with rooms, isolation orders with the
-- history of every change, their 4包1 carers, twice-daily health checks
-- (one summary row per order and day, so the missed-check list is one
-- indexed read), alerts a medic closes, and service requests.

CREATE TABLE isolation_sites (
  id @ID@,
  unit_id BIGINT NOT NULL REFERENCES units(id),   -- the unit that runs it; serves that unit's subtree
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind = 'hotel' OR kind = 'hospital'),
  address TEXT,
  phone TEXT,
  rooms INTEGER NOT NULL DEFAULT 0,               -- kept by writes
  beds INTEGER NOT NULL DEFAULT 0,
  occupied INTEGER NOT NULL DEFAULT 0,            -- persons placed now
  created_at BIGINT NOT NULL,
  UNIQUE (unit_id, name)
);

CREATE TABLE isolation_rooms (
  id @ID@,
  site_id BIGINT NOT NULL REFERENCES isolation_sites(id),
  number TEXT NOT NULL,
  floor INTEGER NOT NULL,
  beds INTEGER NOT NULL,
  occupied INTEGER NOT NULL DEFAULT 0,            -- persons placed now (never above beds)
  created_at BIGINT NOT NULL,
  UNIQUE (site_id, number),
  CHECK (occupied >= 0 AND occupied <= beds)
);

CREATE TABLE isolations (
  id @ID@,
  person_id BIGINT NOT NULL REFERENCES persons(id),
  unit_id BIGINT NOT NULL REFERENCES units(id),   -- the person's unit when ordered: scope
  kind TEXT NOT NULL CHECK (kind = 'centralized' OR kind = 'home' OR kind = 'hospital'),
  reason TEXT NOT NULL CHECK (reason = 'arrival' OR reason = 'close_contact' OR reason = 'general_contact' OR reason = 'fever' OR reason = 'case' OR reason = 'other'),
  status TEXT NOT NULL CHECK (status = 'active' OR status = 'released' OR status = 'transferred' OR status = 'ended'),
  last_exposure_day TEXT NOT NULL,                -- YYYY-MM-DD, local
  start_day TEXT NOT NULL,
  planned_end_day TEXT NOT NULL,                  -- last exposure + observation days
  end_day TEXT,                                   -- when it was closed
  site_id BIGINT REFERENCES isolation_sites(id),
  room_id BIGINT REFERENCES isolation_rooms(id),
  advised_kind TEXT NOT NULL,                     -- what placement advice proposed
  override_reason TEXT,                           -- why another kind was chosen
  note TEXT,
  outcome TEXT,                                   -- release or transfer outcome
  arrival_id BIGINT REFERENCES arrivals(id),
  source TEXT NOT NULL,                           -- manual, contact, demo ...
  source_id BIGINT,
  link_hash TEXT,                                 -- self-report link (hash of its token); NULL: none or revoked
  link_expires_at BIGINT,
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  ended_at BIGINT
);
-- One active order per person, also under races.
CREATE UNIQUE INDEX isolations_active_person ON isolations(person_id) WHERE status = 'active';
CREATE INDEX isolations_unit ON isolations(unit_id, status, id);
CREATE INDEX isolations_status ON isolations(status, planned_end_day);
CREATE INDEX isolations_room ON isolations(room_id);

-- Every change of an order: who, when, what and why.
CREATE TABLE isolation_events (
  id @ID@,
  isolation_id BIGINT NOT NULL REFERENCES isolations(id),
  at BIGINT NOT NULL,
  user_id BIGINT REFERENCES users(id),
  action TEXT NOT NULL,                           -- created extended released transferred ended carers link_issued link_revoked
  detail TEXT,
  reason TEXT
);
CREATE INDEX isolation_events_order ON isolation_events(isolation_id, id);

-- 4包1: four carers for every order, one a role; a missing role is a gap.
CREATE TABLE isolation_carers (
  isolation_id BIGINT NOT NULL REFERENCES isolations(id),
  role TEXT NOT NULL CHECK (role = 'leader' OR role = 'party_member' OR role = 'medic' OR role = 'cadre'),
  user_id BIGINT NOT NULL REFERENCES users(id),
  PRIMARY KEY (isolation_id, role)
);
CREATE INDEX isolation_carers_user ON isolation_carers(user_id, isolation_id);

CREATE TABLE health_checks (
  id @ID@,
  isolation_id BIGINT NOT NULL REFERENCES isolations(id),
  person_id BIGINT NOT NULL REFERENCES persons(id),
  at BIGINT NOT NULL,
  day TEXT NOT NULL,                              -- local day of `at`
  slot TEXT NOT NULL CHECK (slot = 'morning' OR slot = 'evening' OR slot = 'other'),
  temperature INTEGER NOT NULL,                   -- tenths of a degree
  symptoms TEXT NOT NULL,                         -- comma-separated codes, '' for none
  by_kind TEXT NOT NULL CHECK (by_kind = 'carer' OR by_kind = 'medic' OR by_kind = 'self'),
  by_user BIGINT REFERENCES users(id),
  client_id TEXT,
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX health_checks_client ON health_checks(isolation_id, client_id);
CREATE INDEX health_checks_order ON health_checks(isolation_id, at);

-- Per order and local day: which of the two due checks were done, the
-- day's highest temperature and whether a symptom was reported.
CREATE TABLE check_days (
  isolation_id BIGINT NOT NULL REFERENCES isolations(id),
  day TEXT NOT NULL,
  morning INTEGER NOT NULL DEFAULT 0,
  evening INTEGER NOT NULL DEFAULT 0,
  checks INTEGER NOT NULL DEFAULT 0,
  max_temp INTEGER NOT NULL DEFAULT 0,
  symptomatic INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (isolation_id, day)
);

CREATE TABLE health_alerts (
  id @ID@,
  isolation_id BIGINT NOT NULL REFERENCES isolations(id),
  person_id BIGINT NOT NULL REFERENCES persons(id),
  unit_id BIGINT NOT NULL REFERENCES units(id),
  check_id BIGINT REFERENCES health_checks(id),
  kind TEXT NOT NULL CHECK (kind = 'fever' OR kind = 'symptom'),
  temperature INTEGER,
  symptoms TEXT,
  status TEXT NOT NULL CHECK (status = 'open' OR status = 'acknowledged' OR status = 'closed'),
  raised_at BIGINT NOT NULL,
  ack_at BIGINT,
  ack_by BIGINT REFERENCES users(id),
  closed_at BIGINT,
  closed_by BIGINT REFERENCES users(id),
  outcome TEXT CHECK (outcome IS NULL OR outcome = 'transferred_120' OR outcome = 'normal' OR outcome = 'other'),
  note TEXT
);
CREATE INDEX health_alerts_unit ON health_alerts(unit_id, status, id);
CREATE INDEX health_alerts_person ON health_alerts(person_id, status);
CREATE INDEX health_alerts_order ON health_alerts(isolation_id);

CREATE TABLE service_requests (
  id @ID@,
  isolation_id BIGINT NOT NULL REFERENCES isolations(id),
  person_id BIGINT NOT NULL REFERENCES persons(id),
  unit_id BIGINT NOT NULL REFERENCES units(id),
  kind TEXT NOT NULL CHECK (kind = 'health' OR kind = 'psychological' OR kind = 'shopping' OR kind = 'meals'),
  note TEXT,
  status TEXT NOT NULL CHECK (status = 'open' OR status = 'assigned' OR status = 'done'),
  by_self INTEGER NOT NULL DEFAULT 0,
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  due_at BIGINT NOT NULL,
  assigned_to BIGINT REFERENCES users(id),
  assigned_at BIGINT,
  done_at BIGINT,
  done_by BIGINT REFERENCES users(id),
  client_id TEXT
);
CREATE UNIQUE INDEX service_requests_client ON service_requests(isolation_id, client_id);
CREATE INDEX service_requests_unit ON service_requests(unit_id, status, id);
CREATE INDEX service_requests_order ON service_requests(isolation_id, status);
