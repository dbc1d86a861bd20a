-- Per screening round, unit (the unit of the household or person and every
-- unit above it) and local day: the households a visit of the round first
-- found someone at that day (round_households.visited_at) and the persons
-- first found that day (round_persons.found_at). Kept by the same writes
-- as those columns, in their transaction (screening_visit_store, merges,
-- units moved), so the bulletin's screening figures for any day are a sum
-- of a few dozen rows by key, not a count of the rows found after the day
-- (issue 17). Filled here from the rows already stored; the day is the
-- district's (the process's --tz: SQLite's 'localtime', as clock_day).
CREATE TABLE round_days (
  round_id BIGINT NOT NULL REFERENCES screening_rounds(id),
  unit_id BIGINT NOT NULL REFERENCES units(id),
  day TEXT NOT NULL,
  households INTEGER NOT NULL DEFAULT 0,
  persons INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (round_id, unit_id, day)
);
INSERT INTO round_days(round_id, unit_id, day, households, persons)
  SELECT x.round_id, t.ancestor_id, x.day, SUM(x.h), SUM(x.p) FROM (
    SELECT round_id, unit_id, date(visited_at, 'unixepoch', 'localtime') AS day,
      COUNT(*) AS h, 0 AS p FROM round_households WHERE visited_at IS NOT NULL
      GROUP BY round_id, unit_id, date(visited_at, 'unixepoch', 'localtime')
    UNION ALL
    SELECT round_id, unit_id, date(found_at, 'unixepoch', 'localtime'), 0, COUNT(*)
      FROM round_persons WHERE found_at IS NOT NULL
      GROUP BY round_id, unit_id, date(found_at, 'unixepoch', 'localtime')) x
  JOIN unit_tree t ON t.unit_id = x.unit_id
  GROUP BY x.round_id, t.ancestor_id, x.day;
