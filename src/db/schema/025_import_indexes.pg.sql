-- Fewer index entries per imported row (issue 16); see 025_import_indexes.sql,
-- whose statements come first here. A person's household is looked up only
-- by equality, so its index holds only persons with a household; an
-- arrival's person is found through the (person_id, arrival_date,
-- origin_code) key, so the index on person_id alone goes.
DROP INDEX persons_household;
CREATE INDEX persons_household ON persons(household_id) WHERE household_id IS NOT NULL;
DROP INDEX arrivals_person;
-- PostgreSQL only: the persons' keys and the household address compare by
-- their bytes (COLLATE "C"), the order the database's required C.UTF-8
-- collation gives them already (docs/operations.md), so no answer changes;
-- but PostgreSQL compares "C" with memcmp where C.UTF-8 goes through
-- strcoll, and every index entry an import or the demo makes is placed by
-- such comparisons (13 % of the server's CPU for the persons' indexes of an
-- import, bench/import.sh). A name prefix range on persons_name is then
-- right under any database collation.
ALTER TABLE persons ALTER COLUMN doc_type TYPE TEXT COLLATE "C",
  ALTER COLUMN doc_number TYPE TEXT COLLATE "C",
  ALTER COLUMN doc_last4 TYPE TEXT COLLATE "C",
  ALTER COLUMN name TYPE TEXT COLLATE "C",
  ALTER COLUMN phone TYPE TEXT COLLATE "C";
ALTER TABLE households ALTER COLUMN address TYPE TEXT COLLATE "C";
