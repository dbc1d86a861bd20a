-- Foundation: the unit hierarchy, users, sessions, device tokens, audit log,
-- settings, idempotency records and the command structure (DOMAIN.md §1).
-- Portable SQL: @ID@ becomes the backend's auto-increment primary key;
-- times are BIGINT Unix seconds; booleans are INTEGER 0/1. Value lists are
-- checked as `x = 'a' OR x = 'b'`, not `x IN (...)`: SQLite 3.40 builds a
-- temporary index for an IN list of three or more values on every insert.

CREATE TABLE units (
  id @ID@,
  parent_id BIGINT REFERENCES units(id),
  kind TEXT NOT NULL CHECK (kind = 'district' OR kind = 'town' OR kind = 'subdistrict' OR kind = 'village' OR kind = 'community' OR kind = 'compound' OR kind = 'building'),
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  -- property management company; NULL for compounds without one (无物业小区)
  property_company TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX units_parent ON units(parent_id);
CREATE INDEX units_name ON units(name);

-- Closure table: one row per (ancestor, descendant) including the unit
-- itself at depth 0. Scope checks and subtree lists are one indexed lookup.
CREATE TABLE unit_tree (
  ancestor_id BIGINT NOT NULL REFERENCES units(id),
  unit_id BIGINT NOT NULL REFERENCES units(id),
  depth INTEGER NOT NULL,
  PRIMARY KEY (ancestor_id, unit_id)
);
CREATE INDEX unit_tree_unit ON unit_tree(unit_id, depth);

CREATE TABLE users (
  id @ID@,
  username TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  role TEXT NOT NULL,
  scope_unit_id BIGINT NOT NULL REFERENCES units(id),
  phone TEXT,
  pw_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  lang TEXT NOT NULL DEFAULT 'zh-CN',
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX users_scope ON users(scope_unit_id);

CREATE TABLE sessions (
  id @ID@,
  token_hash TEXT NOT NULL UNIQUE,
  user_id BIGINT NOT NULL REFERENCES users(id),
  csrf_token TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_seen BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  ip TEXT,
  user_agent TEXT
);
CREATE INDEX sessions_user ON sessions(user_id);

-- Failed sign-ins per key ('u:<username>' or 'a:<address>') for throttling.
CREATE TABLE login_failures (
  key TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  first_at BIGINT NOT NULL,
  locked_until BIGINT NOT NULL
);

CREATE TABLE device_tokens (
  id @ID@,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  token_hint TEXT NOT NULL,
  role TEXT NOT NULL,
  scope_unit_id BIGINT NOT NULL REFERENCES units(id),
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  last_used_at BIGINT,
  revoked_at BIGINT
);

CREATE TABLE audit_log (
  id @ID@,
  at BIGINT NOT NULL,
  user_id BIGINT,
  device_id BIGINT,
  actor TEXT NOT NULL,
  method TEXT NOT NULL,
  route TEXT NOT NULL,
  path TEXT NOT NULL,
  status INTEGER NOT NULL,
  record_type TEXT,
  record_id BIGINT,
  action TEXT NOT NULL,
  detail TEXT,
  ip TEXT
);
CREATE INDEX audit_at ON audit_log(at);
CREATE INDEX audit_user ON audit_log(user_id, at);
CREATE INDEX audit_record ON audit_log(record_type, record_id);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  updated_by BIGINT
);

-- The first answer to a retried write, keyed by client id and route.
CREATE TABLE idempotency (
  client_id TEXT NOT NULL,
  route TEXT NOT NULL,
  actor TEXT NOT NULL,
  status INTEGER NOT NULL,
  body TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (client_id, route)
);

-- Command structure (指挥部): working groups, leaders, responsible units,
-- and who is assigned (包抓) to which town or community.
CREATE TABLE working_groups (
  id @ID@,
  unit_id BIGINT NOT NULL REFERENCES units(id),
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  duties TEXT,
  leader_id BIGINT,
  sort INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);

CREATE TABLE leaders (
  id @ID@,
  unit_id BIGINT NOT NULL REFERENCES units(id),
  name TEXT NOT NULL,
  title TEXT NOT NULL,
  phone TEXT,
  group_id BIGINT REFERENCES working_groups(id),
  created_at BIGINT NOT NULL
);
CREATE INDEX leaders_group ON leaders(group_id);

CREATE TABLE resp_orgs (
  id @ID@,
  unit_id BIGINT NOT NULL REFERENCES units(id),
  name TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL
);

CREATE TABLE assignments (
  id @ID@,
  unit_id BIGINT NOT NULL REFERENCES units(id),
  leader_id BIGINT REFERENCES leaders(id),
  org_id BIGINT REFERENCES resp_orgs(id),
  note TEXT,
  created_at BIGINT NOT NULL,
  CHECK ((leader_id IS NULL) <> (org_id IS NULL))
);
CREATE INDEX assignments_unit ON assignments(unit_id);
CREATE UNIQUE INDEX assignments_leader ON assignments(unit_id, leader_id);
CREATE UNIQUE INDEX assignments_org ON assignments(unit_id, org_id);
