-- A fever is followed up by a medic, who closes it (fevers.c): re-measured
-- normal at rest, or the referral's outcome ruled out infection. The pass
-- colour follows the open fevers; a closed one keeps who closed it
-- (cleared_by, cleared_at, from 004), how, and the reading taken.
ALTER TABLE fevers ADD COLUMN outcome TEXT;
ALTER TABLE fevers ADD COLUMN closing_temperature INTEGER;
ALTER TABLE fevers ADD COLUMN note TEXT;
CREATE INDEX fevers_at ON fevers(at);
