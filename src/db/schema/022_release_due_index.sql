-- Releases due at 50,000 orders (issue 11): the orders held back by a
-- fever or symptom in the quiet days are found from the few symptomatic
-- check_days rows of those days, not by looking up every order's days.
CREATE INDEX check_days_symptomatic ON check_days(day, isolation_id) WHERE symptomatic = 1;
