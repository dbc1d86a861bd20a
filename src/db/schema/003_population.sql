-- Population and door-to-door screening (DOMAIN.md §7, issue 4): households,
-- persons and the source of what is known about them, administrative
-- divisions and risk areas, arrivals graded by origin, import batches of
-- big-data lists, screening rounds with 一托三 teams, visits, and coverage
-- counters kept per unit so live coverage is one indexed read.

-- GB/T 2260 divisions (province, prefecture, county) shipped as data.
CREATE TABLE divisions (
  code TEXT PRIMARY KEY,          -- 6 digits: 640000 province, 640100 prefecture, 640106 county
  name TEXT NOT NULL,
  level INTEGER NOT NULL CHECK (level = 1 OR level = 2 OR level = 3),
  parent_code TEXT
);

-- Areas the command grades; the list is data the command edits.
CREATE TABLE risk_areas (
  id @ID@,
  unit_id BIGINT NOT NULL REFERENCES units(id),  -- the command that keeps the list
  code TEXT NOT NULL,                             -- a division code at any level
  name TEXT NOT NULL,
  grade TEXT NOT NULL CHECK (grade = 'severe' OR grade = 'heavy' OR grade = 'other_province' OR grade = 'local' OR grade = 'high' OR grade = 'medium' OR grade = 'low'),
  valid_from TEXT NOT NULL,                       -- YYYY-MM-DD
  valid_to TEXT,                                  -- inclusive; NULL while it applies
  note TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX risk_areas_code ON risk_areas(code);

CREATE TABLE households (
  id @ID@,
  unit_id BIGINT NOT NULL REFERENCES units(id),   -- the compound (or building)
  address TEXT NOT NULL,                          -- building / entrance / room, as written
  status TEXT NOT NULL DEFAULT 'unknown' CHECK (status = 'occupied' OR status = 'empty' OR status = 'unknown'),
  members INTEGER NOT NULL DEFAULT 0,             -- persons registered in it (kept by writes)
  empty_confirmed INTEGER NOT NULL DEFAULT 0,     -- a re-check confirmed nobody lives here
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (unit_id, address)
);

CREATE TABLE import_batches (
  id @ID@,
  unit_id BIGINT NOT NULL REFERENCES units(id),   -- the importer's scope
  kind TEXT NOT NULL,                             -- 'persons'
  source TEXT NOT NULL,                           -- e.g. 'telecom', 'travel', a file name
  filename TEXT,
  encoding TEXT NOT NULL,
  created INTEGER NOT NULL,
  updated INTEGER NOT NULL,
  rejected INTEGER NOT NULL,
  rejects_csv TEXT,                               -- line,reason rows for download
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL
);

CREATE TABLE persons (
  id @ID@,
  unit_id BIGINT NOT NULL REFERENCES units(id),   -- where the person is now (compound), or the
                                                  -- importer's scope unit while not located
  household_id BIGINT REFERENCES households(id),
  located INTEGER NOT NULL DEFAULT 1,
  doc_type TEXT NOT NULL CHECK (doc_type = 'resident_id' OR doc_type = 'passport' OR doc_type = 'hk_macao_permit' OR doc_type = 'taiwan_permit' OR doc_type = 'other'),
  doc_number TEXT NOT NULL,
  doc_last4 TEXT NOT NULL,                        -- search by the last four characters
  name TEXT NOT NULL,
  sex TEXT CHECK (sex = 'M' OR sex = 'F'),
  birth_date TEXT,
  phone TEXT,
  source TEXT NOT NULL,                           -- manual, import, visit, checkpoint
  source_id BIGINT,                               -- the batch, visit ... that created it
  merged_into BIGINT REFERENCES persons(id),      -- set when merged into another record
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (doc_type, doc_number)
);
CREATE INDEX persons_unit ON persons(unit_id, id);
CREATE INDEX persons_household ON persons(household_id);
CREATE INDEX persons_name ON persons(name);
CREATE INDEX persons_phone ON persons(phone);
CREATE INDEX persons_last4 ON persons(doc_last4);

-- Where each fact about a person came from (the source of each field).
CREATE TABLE person_facts (
  id @ID@,
  person_id BIGINT NOT NULL REFERENCES persons(id),
  field TEXT NOT NULL,
  value TEXT,
  source TEXT NOT NULL,                           -- manual, import, visit, checkpoint
  source_id BIGINT,
  at BIGINT NOT NULL
);
CREATE INDEX person_facts_person ON person_facts(person_id, id);

CREATE TABLE arrivals (
  id @ID@,
  person_id BIGINT NOT NULL REFERENCES persons(id),
  unit_id BIGINT NOT NULL REFERENCES units(id),
  origin_code TEXT NOT NULL,
  origin_name TEXT,
  arrival_date TEXT NOT NULL,
  mode TEXT NOT NULL CHECK (mode = 'car' OR mode = 'train' OR mode = 'plane' OR mode = 'other'),
  grade TEXT NOT NULL,                            -- from the most specific risk area on that day
  handling TEXT NOT NULL CHECK (handling = 'centralized' OR handling = 'home' OR handling = 'monitor'),
  risk_area_id BIGINT REFERENCES risk_areas(id),
  source TEXT NOT NULL,
  source_id BIGINT,
  created_at BIGINT NOT NULL,
  UNIQUE (person_id, arrival_date, origin_code)
);
CREATE INDEX arrivals_unit ON arrivals(unit_id, grade);
CREATE INDEX arrivals_person ON arrivals(person_id);

CREATE TABLE screening_rounds (
  id @ID@,
  unit_id BIGINT NOT NULL REFERENCES units(id),   -- the round's scope
  name TEXT NOT NULL,
  start_date TEXT NOT NULL,
  end_date TEXT,
  created_at BIGINT NOT NULL
);

-- 一托三: one police officer leading one legal cadre, one community cadre and
-- one grid worker; a team belongs to a community and is given compounds.
CREATE TABLE screening_teams (
  id @ID@,
  round_id BIGINT NOT NULL REFERENCES screening_rounds(id),
  unit_id BIGINT NOT NULL REFERENCES units(id),   -- the community or village
  name TEXT NOT NULL,
  police_name TEXT NOT NULL,
  legal_name TEXT NOT NULL,
  cadre_name TEXT NOT NULL,
  grid_name TEXT NOT NULL,
  grid_user_id BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL
);
CREATE INDEX screening_teams_round ON screening_teams(round_id, unit_id);

CREATE TABLE team_compounds (
  team_id BIGINT NOT NULL REFERENCES screening_teams(id),
  unit_id BIGINT NOT NULL REFERENCES units(id),
  PRIMARY KEY (team_id, unit_id)
);

CREATE TABLE visits (
  id @ID@,
  round_id BIGINT NOT NULL REFERENCES screening_rounds(id),
  household_id BIGINT NOT NULL REFERENCES households(id),
  unit_id BIGINT NOT NULL REFERENCES units(id),   -- the household's compound
  team_id BIGINT REFERENCES screening_teams(id),
  at BIGINT NOT NULL,
  method TEXT NOT NULL CHECK (method = 'door' OR method = 'phone' OR method = 'app'),
  result TEXT NOT NULL CHECK (result = 'visited' OR result = 'empty' OR result = 'refused' OR result = 'moved'),
  persons_found INTEGER NOT NULL DEFAULT 0,
  note TEXT,
  client_id TEXT UNIQUE,
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL
);
CREATE INDEX visits_household ON visits(household_id, round_id);  -- a household's visits
CREATE INDEX visits_round ON visits(round_id, id);                 -- a round's visits, paged
CREATE INDEX visits_unit ON visits(unit_id, round_id);

CREATE TABLE visit_persons (
  visit_id BIGINT NOT NULL REFERENCES visits(id),
  person_id BIGINT NOT NULL REFERENCES persons(id),
  PRIMARY KEY (visit_id, person_id)
);
CREATE INDEX visit_persons_person ON visit_persons(person_id);  -- a person's visits, merges

-- Per round and unit (every ancestor of the visited compound): households
-- reached, persons registered, empty homes waiting for a re-check. Kept by
-- the visit writes, so coverage by town, community and compound is a read.
CREATE TABLE round_coverage (
  round_id BIGINT NOT NULL REFERENCES screening_rounds(id),
  unit_id BIGINT NOT NULL REFERENCES units(id),
  households_visited INTEGER NOT NULL DEFAULT 0,
  persons INTEGER NOT NULL DEFAULT 0,
  empties_pending INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (round_id, unit_id)
);

-- Households per unit (every ancestor), kept by household writes: the
-- denominator of coverage.
CREATE TABLE unit_households (
  unit_id BIGINT PRIMARY KEY REFERENCES units(id),
  households INTEGER NOT NULL DEFAULT 0,
  persons INTEGER NOT NULL DEFAULT 0
);

-- A household's state in a round: reached or not, its latest result, and
-- whether it waits in the re-check queue (empty and not yet confirmed).
CREATE TABLE round_households (
  round_id BIGINT NOT NULL REFERENCES screening_rounds(id),
  household_id BIGINT NOT NULL REFERENCES households(id),
  unit_id BIGINT NOT NULL REFERENCES units(id),
  visits INTEGER NOT NULL,
  last_result TEXT NOT NULL,
  last_at BIGINT NOT NULL,
  pending_empty INTEGER NOT NULL,
  PRIMARY KEY (round_id, household_id)
);
CREATE INDEX round_households_pending ON round_households(round_id, pending_empty, unit_id);

-- Persons found in a round, each counted once.
CREATE TABLE round_persons (
  round_id BIGINT NOT NULL REFERENCES screening_rounds(id),
  person_id BIGINT NOT NULL REFERENCES persons(id),
  unit_id BIGINT NOT NULL REFERENCES units(id),
  PRIMARY KEY (round_id, person_id)
);
