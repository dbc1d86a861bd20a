-- The bulletin (issue 17) counts each screening round's households and
-- persons as of the end of any day from the records: the time of the
-- round's first visit that found someone at a household (visited_at) and
-- the time of the round's first visit that found a person (found_at). The
-- visit writes set them with the rows (screening_visit_store); rows made
-- before this migration get them from their visits.
ALTER TABLE round_households ADD COLUMN visited_at BIGINT;
ALTER TABLE round_persons ADD COLUMN found_at BIGINT;
UPDATE round_households SET visited_at = (SELECT MIN(v.at) FROM visits v
  WHERE v.round_id = round_households.round_id AND v.household_id = round_households.household_id
  AND v.result = 'visited');
UPDATE round_persons SET found_at = (SELECT MIN(v.at) FROM visit_persons vp
  JOIN visits v ON v.id = vp.visit_id
  WHERE vp.person_id = round_persons.person_id AND v.round_id = round_persons.round_id);
CREATE INDEX round_households_visited ON round_households(round_id, unit_id, visited_at);
CREATE INDEX round_persons_found ON round_persons(round_id, unit_id, found_at);
