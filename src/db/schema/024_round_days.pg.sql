-- round_days on PostgreSQL: see 024_round_days.sql. The local day of an
-- instant is taken in the district's zone (@TZ@: the process's --tz), as
-- clock_day takes it; the connection itself works in UTC.
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
    SELECT round_id, unit_id,
      to_char(to_timestamp(visited_at) AT TIME ZONE '@TZ@', 'YYYY-MM-DD') AS day,
      COUNT(*) AS h, 0 AS p FROM round_households WHERE visited_at IS NOT NULL
      GROUP BY 1, 2, 3
    UNION ALL
    SELECT round_id, unit_id,
      to_char(to_timestamp(found_at) AT TIME ZONE '@TZ@', 'YYYY-MM-DD'), 0, COUNT(*)
      FROM round_persons WHERE found_at IS NOT NULL
      GROUP BY 1, 2, 3) x
  JOIN unit_tree t ON t.unit_id = x.unit_id
  GROUP BY x.round_id, t.ancestor_id, x.day;
