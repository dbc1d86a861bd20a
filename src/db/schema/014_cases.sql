-- Cases, trajectories and close contacts, epidemic points (DOMAIN.md §5, §6;
-- issue 12). A case is a person with a dated status history; its figures for
-- any day are computed from that history (cases.c). Its trajectory is a list
-- of stays, typed or taken from the gate and checkpoint logs; contact
-- candidates are found in those logs and decided by an officer (contacts.c).
-- An epidemic point is a place where a case stayed, worked through the
-- 9-step procedure until it is lifted (epipoints.c).

CREATE TABLE cases (
  id @ID@,
  person_id BIGINT NOT NULL UNIQUE REFERENCES persons(id),
  unit_id BIGINT NOT NULL REFERENCES units(id),   -- the person's unit when reported (scope)
  status TEXT NOT NULL CHECK (status = 'suspected' OR status = 'confirmed' OR status = 'asymptomatic' OR status = 'excluded' OR status = 'cured' OR status = 'died'),
  onset_day TEXT,                                 -- YYYY-MM-DD, local
  report_day TEXT NOT NULL,
  confirmed_day TEXT,                             -- the day it was first confirmed
  severity TEXT CHECK (severity = 'mild' OR severity = 'severe' OR severity = 'critical'),
  medical_worker INTEGER NOT NULL DEFAULT 0,
  hospital TEXT,
  found_by TEXT,                                  -- checkpoint, screening, fever_clinic, contact_tracing, self, other
  isolated_at BIGINT,                             -- when the case was isolated: the end of its contacts' window
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX cases_unit ON cases(unit_id, id);

-- Every status (and severity) a case had, dated and by whom; the first row
-- is the status it was reported with.
CREATE TABLE case_events (
  id @ID@,
  case_id BIGINT NOT NULL REFERENCES cases(id),
  status TEXT NOT NULL,
  severity TEXT,
  day TEXT NOT NULL,
  note TEXT,
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL
);
CREATE INDEX case_events_case ON case_events(case_id, id);

-- A case's trajectory: where it stayed, from when to when, and how it is
-- known. A stay taken from a log names the log row (source_id), once.
CREATE TABLE case_stays (
  id @ID@,
  case_id BIGINT NOT NULL REFERENCES cases(id),
  place_kind TEXT NOT NULL CHECK (place_kind = 'unit' OR place_kind = 'gate' OR place_kind = 'checkpoint' OR place_kind = 'train' OR place_kind = 'vehicle' OR place_kind = 'venue' OR place_kind = 'address'),
  place_unit_id BIGINT REFERENCES units(id),      -- a compound or building (or a gate's compound)
  gate_id BIGINT,
  checkpoint_id BIGINT,
  vehicle_check_id BIGINT,
  train_check_id BIGINT,
  place TEXT NOT NULL,                            -- what the place is, in words
  from_at BIGINT NOT NULL,
  to_at BIGINT NOT NULL,
  source TEXT NOT NULL CHECK (source = 'interview' OR source = 'bigdata' OR source = 'gate_log' OR source = 'checkpoint_log'),
  source_id BIGINT,
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  UNIQUE (case_id, source, source_id)
);
CREATE INDEX case_stays_case ON case_stays(case_id, from_at);

-- An officer's decision on a candidate: one per case and person.
CREATE TABLE contacts (
  id @ID@,
  case_id BIGINT NOT NULL REFERENCES cases(id),
  person_id BIGINT NOT NULL REFERENCES persons(id),
  unit_id BIGINT NOT NULL REFERENCES units(id),   -- the contact's unit (scope)
  decision TEXT NOT NULL CHECK (decision = 'close' OR decision = 'general' OR decision = 'none'),
  last_exposure_day TEXT,
  observation_end_day TEXT,                       -- last exposure + observation days; NULL for none
  reasons TEXT,                                   -- the candidate's reasons when decided (JSON)
  isolation_id BIGINT,                            -- the isolation order a close contact got
  decided_by BIGINT REFERENCES users(id),
  decided_at BIGINT NOT NULL,
  UNIQUE (case_id, person_id)
);
CREATE INDEX contacts_person ON contacts(person_id, decision);
-- Candidates found in the same train screened at the station.
CREATE INDEX occupant_checks_train ON occupant_checks(train_check_id);
-- A screened person who passed is kept by document, without a person id:
-- a case's own screenings are found by its document too.
CREATE INDEX occupant_checks_doc ON occupant_checks(doc_number);

-- The epidemic point procedure (9步走): a setting, one row a step, copied
-- into each point when it is opened.
CREATE TABLE epipoint_procedure (
  pos INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  name_en TEXT NOT NULL
);
INSERT INTO epipoint_procedure(pos, name, name_en) VALUES
  (1, '封控疫点', 'Seal the point'),
  (2, '告知居民', 'Notify the residents'),
  (3, '排查并隔离密切接触者', 'List and isolate the contacts'),
  (4, '居民医学观察', 'Medical observation of the residents'),
  (5, '限制人员进出', 'Restrict entry and exit'),
  (6, '终末消毒', 'Terminal disinfection'),
  (7, '每日健康监测', 'Daily health monitoring'),
  (8, '生活物资保障', 'Daily-life supply'),
  (9, '解封评估', 'Assessment for lifting');

CREATE TABLE epidemic_points (
  id @ID@,
  unit_id BIGINT NOT NULL REFERENCES units(id),   -- the place: a building, compound or hotel
  name TEXT NOT NULL,
  opened_day TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status = 'open' OR status = 'lifted'),
  lifted_day TEXT,
  lifted_by BIGINT REFERENCES users(id),
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL
);
CREATE INDEX epidemic_points_unit ON epidemic_points(unit_id, status);

CREATE TABLE epipoint_cases (
  point_id BIGINT NOT NULL REFERENCES epidemic_points(id),
  case_id BIGINT NOT NULL REFERENCES cases(id),
  PRIMARY KEY (point_id, case_id)
);
CREATE INDEX epipoint_cases_case ON epipoint_cases(case_id);

CREATE TABLE epipoint_steps (
  point_id BIGINT NOT NULL REFERENCES epidemic_points(id),
  pos INTEGER NOT NULL,
  name TEXT NOT NULL,
  name_en TEXT NOT NULL,
  done_at BIGINT,
  done_by BIGINT REFERENCES users(id),
  note TEXT,
  PRIMARY KEY (point_id, pos)
);

-- Three work groups a point (incident handling, health monitoring,
-- daily-life support) and their members, each in one of four teams.
CREATE TABLE epipoint_members (
  id @ID@,
  point_id BIGINT NOT NULL REFERENCES epidemic_points(id),
  work_group TEXT NOT NULL CHECK (work_group = 'incident' OR work_group = 'health' OR work_group = 'supply'),
  name TEXT NOT NULL,
  person_id BIGINT REFERENCES persons(id),        -- lets the staff through the sealed gate
  phone TEXT,
  team INTEGER NOT NULL,                          -- 0..3: A B C D
  created_at BIGINT NOT NULL
);
CREATE INDEX epipoint_members_point ON epipoint_members(point_id, work_group);
CREATE INDEX epipoint_members_person ON epipoint_members(person_id);

-- The point's duty roster (四班三运转, checkpoints_roster).
CREATE TABLE epipoint_shifts (
  point_id BIGINT NOT NULL REFERENCES epidemic_points(id),
  team INTEGER NOT NULL,
  starts_at BIGINT NOT NULL,
  ends_at BIGINT NOT NULL,
  PRIMARY KEY (point_id, starts_at)
);
