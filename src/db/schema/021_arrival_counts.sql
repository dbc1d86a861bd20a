-- Arrivals per unit, arrival day and grade, for every unit above the
-- arrival's unit (and the unit itself), kept by the arrival writes in the
-- same transaction (issue 16): the arrivals-by-grade page of the whole
-- district is then a few dozen rows read by key, not every arrival of the
-- district grouped. The same pattern as round_coverage and
-- unit_households. Filled here from the arrivals already stored.
CREATE TABLE arrival_counts (
  unit_id BIGINT NOT NULL REFERENCES units(id),
  arrival_date TEXT NOT NULL,
  grade TEXT NOT NULL,
  n INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (unit_id, arrival_date, grade)
);
INSERT INTO arrival_counts(unit_id, arrival_date, grade, n)
  SELECT t.ancestor_id, a.arrival_date, a.grade, COUNT(*) FROM arrivals a
  JOIN unit_tree t ON t.unit_id = a.unit_id
  GROUP BY t.ancestor_id, a.arrival_date, a.grade;
