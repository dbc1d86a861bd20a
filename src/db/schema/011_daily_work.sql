-- The command's daily work (issue 13, DOMAIN.md §1, §3, §10, §12): daily and
-- zero reports, the evening dispatch and its problems, public notices, venue
-- closures, supervision (督查) and volunteers. Days are local 'YYYY-MM-DD'
-- text (they compare as text); instants are Unix seconds.

-- Reporting units beyond the implied ones: every town and sub-district owes a
-- report from the day it was created; a row here marks a key unit (key = 1)
-- or moves a unit's first day (since_day), and until_day ends the duty.
CREATE TABLE report_units (
  unit_id BIGINT PRIMARY KEY REFERENCES units(id),
  key_unit INTEGER NOT NULL DEFAULT 0,
  since_day TEXT,
  until_day TEXT,
  created_at BIGINT NOT NULL
);

-- One row per filing. The current report of a unit and day is the one not
-- replaced; older ones stay as its history. first_at is when the unit first
-- filed for that day (timeliness counts the first filing).
CREATE TABLE daily_reports (
  id @ID@,
  unit_id BIGINT NOT NULL REFERENCES units(id),
  day TEXT NOT NULL,
  version INTEGER NOT NULL,
  zero INTEGER NOT NULL DEFAULT 0,
  figures TEXT,
  text TEXT,
  filed_at BIGINT NOT NULL,
  first_at BIGINT NOT NULL,
  late INTEGER NOT NULL,
  filed_by BIGINT REFERENCES users(id),
  replaced_at BIGINT,
  UNIQUE (unit_id, day, version)
);
CREATE UNIQUE INDEX daily_reports_current ON daily_reports(unit_id, day) WHERE replaced_at IS NULL;
CREATE INDEX daily_reports_day ON daily_reports(day, unit_id);

-- A report's figures are prefilled from screening visits of the day: found by time.
CREATE INDEX visits_at ON visits(at);

-- The evening dispatch meeting (日调度): one per unit and day.
CREATE TABLE dispatch_meetings (
  id @ID@,
  unit_id BIGINT NOT NULL REFERENCES units(id),
  day TEXT NOT NULL,
  chair TEXT,
  notes TEXT,
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  UNIQUE (unit_id, day)
);

-- A working group's progress reported at a meeting.
CREATE TABLE dispatch_reports (
  id @ID@,
  meeting_id BIGINT NOT NULL REFERENCES dispatch_meetings(id),
  group_id BIGINT NOT NULL REFERENCES working_groups(id),
  progress TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (meeting_id, group_id)
);

-- A problem raised at a meeting; it stays on every later meeting's agenda
-- until closed. Owner: a user or a responsible unit.
CREATE TABLE dispatch_problems (
  id @ID@,
  unit_id BIGINT NOT NULL REFERENCES units(id),
  meeting_id BIGINT NOT NULL REFERENCES dispatch_meetings(id),
  raised_day TEXT NOT NULL,
  group_id BIGINT REFERENCES working_groups(id),
  title TEXT NOT NULL,
  owner_user_id BIGINT REFERENCES users(id),
  owner_org_id BIGINT REFERENCES resp_orgs(id),
  due_day TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status = 'open' OR status = 'closed'),
  resolution TEXT,
  closed_day TEXT,
  closed_at BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX dispatch_problems_unit ON dispatch_problems(unit_id, status);
CREATE INDEX dispatch_problems_meeting ON dispatch_problems(meeting_id);

-- Public notices (公告): drafts have no number; publishing gives the next
-- number of the issuing unit (第N号).
CREATE TABLE notices (
  id @ID@,
  unit_id BIGINT NOT NULL REFERENCES units(id),
  number INTEGER,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  day TEXT,
  status TEXT NOT NULL CHECK (status = 'draft' OR status = 'published'),
  published_at BIGINT,
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  UNIQUE (unit_id, number)
);

-- Venues and their closure: closed from closed_day, open again from reopened_day.
CREATE TABLE venues (
  id @ID@,
  unit_id BIGINT NOT NULL REFERENCES units(id),
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind = 'mall' OR kind = 'religious' OR kind = 'internet_cafe' OR kind = 'serviced_apartment' OR kind = 'market' OR kind = 'poultry' OR kind = 'other'),
  address TEXT,
  closed_day TEXT,
  reopened_day TEXT,
  notice_id BIGINT REFERENCES notices(id),
  created_at BIGINT NOT NULL,
  UNIQUE (unit_id, name)
);
CREATE INDEX venues_closed ON venues(closed_day);

-- Supervision (督查): inspection groups and the general support group.
CREATE TABLE supervision_groups (
  id @ID@,
  unit_id BIGINT NOT NULL REFERENCES units(id),
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind = 'inspection' OR kind = 'support'),
  since_day TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (unit_id, name)
);

CREATE TABLE supervision_members (
  id @ID@,
  group_id BIGINT NOT NULL REFERENCES supervision_groups(id),
  name TEXT NOT NULL,
  title TEXT,
  is_lead INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);
CREATE INDEX supervision_members_group ON supervision_members(group_id);

-- An inspection targets a working group, a leader's assignment or a unit;
-- unit_id is the unit inspected (the assignment's unit, or the command's
-- unit for a working group), which scopes it.
CREATE TABLE supervision_inspections (
  id @ID@,
  group_id BIGINT NOT NULL REFERENCES supervision_groups(id),
  unit_id BIGINT NOT NULL REFERENCES units(id),
  day TEXT NOT NULL,
  target TEXT NOT NULL CHECK (target = 'group' OR target = 'assignment' OR target = 'unit'),
  target_group_id BIGINT REFERENCES working_groups(id),
  target_assignment_id BIGINT REFERENCES assignments(id),
  summary TEXT,
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL
);
CREATE INDEX supervision_inspections_day ON supervision_inspections(day);

CREATE TABLE supervision_findings (
  id @ID@,
  inspection_id BIGINT NOT NULL REFERENCES supervision_inspections(id),
  unit_id BIGINT NOT NULL REFERENCES units(id),
  text TEXT NOT NULL,
  deadline_day TEXT NOT NULL,
  owner TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status = 'open' OR status = 'rectified'),
  resolution TEXT,
  rectified_day TEXT,
  created_at BIGINT NOT NULL
);
CREATE INDEX supervision_findings_inspection ON supervision_findings(inspection_id);
CREATE INDEX supervision_findings_open ON supervision_findings(status, deadline_day);

-- Volunteers (志愿者), where they serve and the shifts they served.
CREATE TABLE volunteers (
  id @ID@,
  unit_id BIGINT NOT NULL REFERENCES units(id),
  name TEXT NOT NULL,
  phone TEXT NOT NULL,
  skills TEXT,
  party_member INTEGER NOT NULL DEFAULT 0,
  user_id BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  UNIQUE (unit_id, phone)
);
CREATE INDEX volunteers_unit ON volunteers(unit_id);

CREATE TABLE volunteer_posts (
  id @ID@,
  volunteer_id BIGINT NOT NULL REFERENCES volunteers(id),
  kind TEXT NOT NULL CHECK (kind = 'compound' OR kind = 'gate' OR kind = 'epidemic_point' OR kind = 'service'),
  unit_id BIGINT NOT NULL REFERENCES units(id),
  label TEXT,
  from_day TEXT NOT NULL,
  to_day TEXT,
  created_at BIGINT NOT NULL
);
CREATE INDEX volunteer_posts_volunteer ON volunteer_posts(volunteer_id);

CREATE TABLE volunteer_shifts (
  id @ID@,
  volunteer_id BIGINT NOT NULL REFERENCES volunteers(id),
  unit_id BIGINT NOT NULL REFERENCES units(id),
  post_id BIGINT REFERENCES volunteer_posts(id),
  start_at BIGINT NOT NULL,
  end_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  CHECK (end_at > start_at)
);
CREATE INDEX volunteer_shifts_volunteer ON volunteer_shifts(volunteer_id, start_at);
CREATE INDEX volunteer_shifts_unit ON volunteer_shifts(unit_id);
