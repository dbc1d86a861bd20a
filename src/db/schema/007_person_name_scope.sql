-- A search by name is answered from the name index alone: its entries
-- (name, unit_id, and the row id) say whether a person matches, lies in the
-- caller's scope and comes in the page, without reading the person's row,
-- so a surname matching tens of thousands costs milliseconds (people.c,
-- list_persons). Merged records also stay in that index; the few there are
-- have an index of their own, so a page can ask for that many more ids.
DROP INDEX persons_name;
CREATE INDEX persons_name ON persons(name, unit_id);
CREATE INDEX persons_merged_name ON persons(name) WHERE merged_into IS NOT NULL;
