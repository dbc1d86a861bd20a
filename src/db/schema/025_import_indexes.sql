-- Fewer index entries per imported row (issue 16). A person's household is
-- looked up only by equality (a household's members), which implies it is
-- not NULL, so the index holds only persons with a household: a telecom or
-- travel list without addresses adds no entry there. An arrival's person
-- is found through the (person_id, arrival_date, origin_code) key, whose
-- first column is the person: the index on person_id alone repeated it.
DROP INDEX persons_household;
CREATE INDEX persons_household ON persons(household_id) WHERE household_id IS NOT NULL;
DROP INDEX arrivals_person;
