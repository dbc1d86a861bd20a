-- The monitoring page's figures at 50,000 active orders (issue 11): the
-- active orders per unit, kind and planned end day, with how many of them
-- lack one of the four carers, kept by the order and carer writes in the
-- same transaction (isolation.c, tally). The figures of a unit's subtree
-- are then a few rows per unit summed, not every order read with a carers
-- look-up each (45 ms at 50,000). Keyed by the order's own unit, so moving
-- a unit moves nothing. Rows that reach zero are deleted. Filled here from
-- the orders already stored.
CREATE TABLE isolation_counts (
  unit_id BIGINT NOT NULL REFERENCES units(id),
  kind TEXT NOT NULL,
  planned_end_day TEXT NOT NULL,
  n INTEGER NOT NULL,                             -- active orders
  gaps INTEGER NOT NULL,                          -- of them, with fewer than four carers
  PRIMARY KEY (unit_id, kind, planned_end_day)
);
INSERT INTO isolation_counts(unit_id, kind, planned_end_day, n, gaps)
  SELECT i.unit_id, i.kind, i.planned_end_day, COUNT(*),
    SUM(CASE WHEN (SELECT COUNT(*) FROM isolation_carers ic WHERE ic.isolation_id = i.id) < 4
        THEN 1 ELSE 0 END)
  FROM isolations i WHERE i.status = 'active'
  GROUP BY i.unit_id, i.kind, i.planned_end_day;
-- The active orders that owed no check yet today are those made after the
-- last window that has closed: found by when they were made (a few today),
-- not by reading every order.
CREATE INDEX isolations_created ON isolations(created_at);

-- The missed-check figure likewise: per unit and day, the orders not
-- closed by that day (end_day NULL or after it) whose morning, evening or
-- both checks of the day were done, kept by the check write when it first
-- marks a slot done and by the closing write (monitoring_figures.c). The
-- day's missed checks are then the orders owing them less these counts,
-- not every order joined to its day (hundreds of ms once a day's checks
-- are in).
CREATE TABLE check_day_counts (
  unit_id BIGINT NOT NULL REFERENCES units(id),
  day TEXT NOT NULL,
  morning INTEGER NOT NULL,
  evening INTEGER NOT NULL,
  both_done INTEGER NOT NULL,
  PRIMARY KEY (unit_id, day)
);
INSERT INTO check_day_counts(unit_id, day, morning, evening, both_done)
  SELECT i.unit_id, cd.day, SUM(CASE WHEN cd.morning <> 0 THEN 1 ELSE 0 END),
    SUM(CASE WHEN cd.evening <> 0 THEN 1 ELSE 0 END),
    SUM(CASE WHEN cd.morning <> 0 AND cd.evening <> 0 THEN 1 ELSE 0 END)
  FROM check_days cd JOIN isolations i ON i.id = cd.isolation_id
  WHERE i.end_day IS NULL OR i.end_day > cd.day
  GROUP BY i.unit_id, cd.day;
