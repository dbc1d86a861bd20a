-- Other documents are kept as typed (issue 10, rule 8): persons.doc_number
-- stays the normalised match key (upper case, full-width folded, no spaces:
-- what every lookup and the UNIQUE constraint use), and doc_typed holds the
-- number as it was first typed, NULL when it is the same as the key (always
-- for resident IDs). A vehicle arriving with a 鄂 (Hubei) plate and no
-- stated origin is flagged for follow-up (vehicle_checks.follow_up).
ALTER TABLE persons ADD COLUMN doc_typed TEXT;
ALTER TABLE vehicle_checks ADD COLUMN follow_up TEXT;
