-- Enterprise resumption (DOMAIN.md §11, issue 15): enterprises and their
-- portal accounts, applications to resume with the seven-musts checklist and
-- the employee list (graded arrivals), the review, the day an enterprise
-- actually resumed and its staff at work, and operating inspections against
-- the eight prohibitions with findings and follow-up. The resumption rate of
-- any day is computed from these rows (enterprises_resumption_as_of).

CREATE TABLE enterprises (
  id @ID@,
  unit_id BIGINT NOT NULL REFERENCES units(id),  -- the town, sub-district or community it is in
  name TEXT NOT NULL,
  credit_code TEXT NOT NULL UNIQUE,              -- 统一社会信用代码, GB 32100-2015
  sector TEXT NOT NULL,                          -- e.g. manufacturing, ready_mix_concrete
  above_scale INTEGER NOT NULL DEFAULT 0,        -- industrial above designated size (规模以上)
  seasonal_idle_since TEXT,                      -- YYYY-MM-DD: idle for the season from then on
  address TEXT,
  contact_name TEXT,
  contact_phone TEXT,
  headcount INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX enterprises_unit ON enterprises(unit_id, id);

-- An account of role 'enterprise' sees only this enterprise.
ALTER TABLE users ADD COLUMN enterprise_id BIGINT REFERENCES enterprises(id);

-- The seven musts (before opening) and the eight prohibitions (while open):
-- a setting with its default below, edited by an admin.
CREATE TABLE enterprise_checklist_items (
  id @ID@,
  kind TEXT NOT NULL CHECK (kind = 'must' OR kind = 'prohibition'),
  code TEXT NOT NULL,
  text_zh TEXT NOT NULL,
  text_en TEXT NOT NULL,
  position INTEGER NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  updated_at BIGINT NOT NULL,
  UNIQUE (kind, code)
);
INSERT INTO enterprise_checklist_items(kind, code, text_zh, text_en, position, updated_at) VALUES
  ('must', 'responsible_plan', '有防控责任人和防控方案', 'a responsible person and a prevention plan', 1, 0),
  ('must', 'staff_registration', '员工健康登记到人', 'every employee''s health registered', 2, 0),
  ('must', 'gate_temperature', '出入口测温登记', 'temperature checks and registration at the gate', 3, 0),
  ('must', 'disinfection', '场所定时消毒', 'the site disinfected on a schedule', 4, 0),
  ('must', 'protective_supplies', '储备口罩、消毒液等防护物资', 'protective supplies stocked (masks, disinfectant)', 5, 0),
  ('must', 'isolation_room', '设置临时隔离观察室', 'a room to isolate anyone with symptoms', 6, 0),
  ('must', 'staggered_meals', '分餐错峰就餐', 'meals served apart and staggered', 7, 0),
  ('prohibition', 'gatherings', '严禁聚集性活动', 'no gatherings', 1, 0),
  ('prohibition', 'outsiders', '严禁外来人员未经登记进入', 'no unregistered outsiders', 2, 0),
  ('prohibition', 'crowded_dorms', '严禁宿舍超员居住', 'no overcrowded dormitories', 3, 0),
  ('prohibition', 'fever_work', '严禁发热人员上岗', 'no work with a fever', 4, 0),
  ('prohibition', 'fingerprint', '严禁指纹打卡', 'no fingerprint clock-in', 5, 0),
  ('prohibition', 'unmasked', '严禁公共区域不戴口罩作业', 'no unmasked work in shared spaces', 6, 0),
  ('prohibition', 'concealed_arrivals', '严禁瞒报返岗人员行程', 'no concealed arrivals', 7, 0),
  ('prohibition', 'skipped_disinfection', '严禁漏做消毒', 'no skipped disinfection', 8, 0);

CREATE TABLE enterprise_applications (
  id @ID@,
  enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
  unit_id BIGINT NOT NULL REFERENCES units(id),  -- the enterprise's, for the scope check
  filed_at BIGINT NOT NULL,
  filed_day TEXT NOT NULL,                       -- local day of filed_at (the 2-day rule's start)
  planned_start_day TEXT NOT NULL,
  plan TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status = 'pending' OR status = 'approved' OR status = 'rejected' OR status = 'returned'),
  reason TEXT,                                   -- the reviewer's, for reject and return
  filed_by BIGINT REFERENCES users(id),
  reviewed_by BIGINT REFERENCES users(id),
  reviewed_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX enterprise_applications_ent ON enterprise_applications(enterprise_id, id);
CREATE INDEX enterprise_applications_unit ON enterprise_applications(unit_id, id);

-- The seven musts as answered, with the item's wording at filing.
CREATE TABLE enterprise_checklist_answers (
  application_id BIGINT NOT NULL REFERENCES enterprise_applications(id),
  item_code TEXT NOT NULL,
  item_text TEXT NOT NULL,
  evidence TEXT NOT NULL,
  PRIMARY KEY (application_id, item_code)
);

-- Employees returning to work: persons, each arrival graded as the
-- population rules grade it; isolate_until is the day observation ends
-- (NULL: none needed).
CREATE TABLE enterprise_employees (
  id @ID@,
  application_id BIGINT NOT NULL REFERENCES enterprise_applications(id),
  enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
  unit_id BIGINT NOT NULL REFERENCES units(id),
  person_id BIGINT REFERENCES persons(id),
  arrival_id BIGINT REFERENCES arrivals(id),
  name TEXT NOT NULL,
  doc_type TEXT NOT NULL,
  doc_number TEXT NOT NULL,
  phone TEXT,
  origin_code TEXT,
  origin_name TEXT,
  arrival_date TEXT,
  grade TEXT,
  handling TEXT,
  isolate_until TEXT,
  created_at BIGINT NOT NULL,
  UNIQUE (application_id, doc_type, doc_number)
);
CREATE INDEX enterprise_employees_app ON enterprise_employees(application_id, id);

-- The day an approved enterprise resumed, and later counts of staff at work.
CREATE TABLE enterprise_resumptions (
  id @ID@,
  enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
  unit_id BIGINT NOT NULL REFERENCES units(id),
  application_id BIGINT NOT NULL REFERENCES enterprise_applications(id),
  day TEXT NOT NULL,
  staff_at_work INTEGER NOT NULL,
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  UNIQUE (enterprise_id, day)
);
CREATE INDEX enterprise_resumptions_unit ON enterprise_resumptions(unit_id, day);

CREATE TABLE enterprise_inspections (
  id @ID@,
  enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
  unit_id BIGINT NOT NULL REFERENCES units(id),
  day TEXT NOT NULL,
  inspector TEXT NOT NULL,
  note TEXT,
  created_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL
);
CREATE INDEX enterprise_inspections_ent ON enterprise_inspections(enterprise_id, id);
CREATE INDEX enterprise_inspections_unit ON enterprise_inspections(unit_id, id);

-- A breach of one prohibition found on an inspection, its deadline and
-- follow-up; open and past its deadline it is overdue.
CREATE TABLE enterprise_findings (
  id @ID@,
  inspection_id BIGINT NOT NULL REFERENCES enterprise_inspections(id),
  enterprise_id BIGINT NOT NULL REFERENCES enterprises(id),
  unit_id BIGINT NOT NULL REFERENCES units(id),
  item_code TEXT NOT NULL,
  item_text TEXT NOT NULL,
  note TEXT NOT NULL,
  deadline TEXT NOT NULL,
  fixed_day TEXT,
  follow_up TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX enterprise_findings_unit ON enterprise_findings(unit_id, id);
CREATE INDEX enterprise_findings_inspection ON enterprise_findings(inspection_id);
