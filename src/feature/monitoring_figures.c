/* The monitoring page's figures for a unit (issue 11, DOMAIN.md §8):
 * active orders by kind and site, hotel occupancy, today's fevers and open
 * alerts, missed checks, releases due, open and overdue requests, carers
 * missing; each the count of a list behind it (monitoring.c, isolation.c,
 * carers.c). At 50,000 active orders they are read from counts kept by the
 * writes in their own transactions, so they are right after every commit:
 * isolation_counts (orders per unit, kind and planned end day, with carer
 * gaps; isolation.c) and check_day_counts (checks done per unit and day;
 * here, called by the check and close writes); 023_isolation_counts.sql. */
#include "isolation.h"

#include <string.h>

#include "../http/scope.h"
#include "../http/settings.h"

static int summary(struct req *r);

static const struct route routes[] = {
	{"GET", "/api/v1/isolation-summary", summary, P_ISOLATION_READ, 0, 0,
	 "the monitoring figures for a unit: orders, occupancy, fevers, alerts, missed checks ..."},
};
ROUTE_TABLE(monitoring_figures_routes, routes);

/* ---------- the counts the writes keep ---------- */

/* 1 when check_days' flag x is set (any non-zero), else 0. */
#define CD_DONE(x) "CASE WHEN " x " <> 0 THEN 1 ELSE 0 END"

/* check_day_counts per unit and day counts the orders not closed by that
 * day (end_day NULL or after it) whose morning, evening or both checks of
 * the day were done. A slot is marked done on check_days by one UPDATE
 * guarded by its being 0, so of racing checks only one counts it (the
 * row lock on PostgreSQL). */
int monitor_count_check(struct dbc *c, int64_t iso, int64_t unit, const char *day,
			const char *slot)
{
	int m = !strcmp(slot, "morning");
	int64_t n = db_run(c,
			   m ? "UPDATE check_days SET morning = 1 WHERE isolation_id = $1 AND day = $2"
			       " AND morning = 0"
			     : "UPDATE check_days SET evening = 1 WHERE isolation_id = $1 AND day = $2"
			       " AND evening = 0",
			   "it", iso, day);
	if (n <= 0)
		return n < 0 ? (int)n : 0;
	n = db_run(c,
		   "INSERT INTO check_day_counts(unit_id, day, morning, evening, both_done)"
		   " SELECT $3, $2, $4, 1 - $4, CASE WHEN morning <> 0 AND evening <> 0 THEN 1 ELSE 0 END"
		   " FROM check_days WHERE isolation_id = $1 AND day = $2"
		   " ON CONFLICT (unit_id, day) DO UPDATE SET"
		   " morning = check_day_counts.morning + excluded.morning,"
		   " evening = check_day_counts.evening + excluded.evening,"
		   " both_done = check_day_counts.both_done + excluded.both_done",
		   "itii", iso, day, unit, (int64_t)m);
	return n < 0 ? (int)n : 0;
}

int monitor_uncount_days(struct dbc *c, int64_t iso, const char *from)
{
	int64_t n = db_run(
		c,
		"INSERT INTO check_day_counts(unit_id, day, morning, evening, both_done)"
		" SELECT i.unit_id, cd.day, -" CD_DONE("cd.morning") ", -" CD_DONE("cd.evening") ","
		" -" CD_DONE("cd.morning <> 0 AND cd.evening") " FROM check_days cd"
		" JOIN isolations i ON i.id = cd.isolation_id WHERE cd.isolation_id = $1"
		" AND cd.day >= $2 ORDER BY cd.day"
		" ON CONFLICT (unit_id, day) DO UPDATE SET"
		" morning = check_day_counts.morning + excluded.morning,"
		" evening = check_day_counts.evening + excluded.evening,"
		" both_done = check_day_counts.both_done + excluded.both_done",
		"it", iso, from);
	return n < 0 ? (int)n : 0;
}

/* ---------- the figures ---------- */

/* Missed checks today, as the missed-check list (monitoring.c) has them:
 * the active orders in scope owing a check whose window has closed, whose
 * check_days row of the day does not show it done. Orders made before
 * today (a) owe every closed window: their count less those whose day
 * shows them all done, from check_day_counts. The few made today or later
 * (b, found by isolations_created) are looked at one by one, as the list
 * does, and their own done checks taken from the counts. */
static int missed_count(struct dbc *c, int64_t unit, const char *today, int64_t total,
			int64_t *missed)
{
	struct owed ow;
	monitor_owed_on(c, today, &ow);
	*missed = 0;
	if (!ow.m_due && !ow.e_due)
		return 0;
	int64_t start = day_start(today);
	/* b: how many, how many missed, and their done checks as counted. */
	struct dbq *q = db_query(
		c,
		"SELECT COUNT(*), COALESCE(SUM(CASE WHEN i.start_day <= $3 AND"
		"  (($4 = 1 AND i.created_at < $5 AND COALESCE(cd.morning, 0) = 0)"
		"   OR ($6 = 1 AND i.created_at < $7 AND COALESCE(cd.evening, 0) = 0))"
		"  THEN 1 ELSE 0 END), 0),"
		" COALESCE(SUM(" CD_DONE("cd.morning") "), 0), COALESCE(SUM(" CD_DONE("cd.evening") "), 0),"
		" COALESCE(SUM(" CD_DONE("cd.morning <> 0 AND cd.evening") "), 0)"
		" FROM isolations i LEFT JOIN check_days cd ON cd.isolation_id = i.id AND cd.day = $3"
		" WHERE i.created_at >= $2 AND i.status = 'active' AND " SCOPE_SQL("i.unit_id", "1"),
		"iitiiii", unit, start, today, ow.m_due, ow.m_end, ow.e_due, ow.e_end);
	int64_t b[5] = {0};
	int rc = q ? db_step(q) : ERR_DB;
	for (int i = 0; rc == 1 && i < 5; i++)
		b[i] = db_int(q, i);
	db_done(q);
	if (rc < 0)
		return rc;
	/* a: every closed window owed; done when all of them are. */
	int col = ow.m_due && ow.e_due ? 2 : ow.m_due ? 0 : 1;
	int64_t done = 0;
	static const char *const sql[3] = {
		"SELECT COALESCE(SUM(morning), 0) FROM check_day_counts WHERE day = $2 AND "
		SCOPE_SQL("unit_id", "1"),
		"SELECT COALESCE(SUM(evening), 0) FROM check_day_counts WHERE day = $2 AND "
		SCOPE_SQL("unit_id", "1"),
		"SELECT COALESCE(SUM(both_done), 0) FROM check_day_counts WHERE day = $2 AND "
		SCOPE_SQL("unit_id", "1"),
	};
	if ((rc = db_one_int(c, &done, sql[col], "it", unit, today)) < 0)
		return rc;
	*missed = (total - b[0]) - (done - b[2 + col]) + b[1];
	return 0;
}

/* Releases due today, as the release-due list (monitoring.c) has them:
 * the active orders in scope whose planned end has come (`ended`, from
 * isolation_counts), less those held by a fever or symptom in the quiet
 * days or an open alert, found from the few symptomatic check_days rows
 * and open alerts (022_release_due_index.sql), not two look-ups per order. */
static int held_count(struct dbc *c, int64_t unit, const char *today, const char *from,
		      int64_t ended, int64_t *due)
{
	static const char sql[] =
		"SELECT COUNT(*) FROM isolations i WHERE i.id IN ("
		" SELECT cd.isolation_id FROM check_days cd WHERE cd.symptomatic = 1 AND cd.day >= $3"
		" UNION SELECT ha.isolation_id FROM health_alerts ha WHERE ha.status <> 'closed'"
		"  AND ha.isolation_id IS NOT NULL)"
		" AND i.status = 'active' AND i.planned_end_day <= $2 AND " SCOPE_SQL("i.unit_id", "1");
	int64_t held = 0;
	int rc = db_one_int(c, &held, sql, "itt", unit, today, from);
	if (rc < 0)
		return rc;
	*due = ended - held;
	return 0;
}


static int count(struct dbc *c, int64_t *out, const char *sql, const char *types, int64_t a,
		 int64_t b, const char *t1, const char *t2)
{
	int rc;
	if (!strcmp(types, "ii"))
		rc = db_one_int(c, out, sql, types, a, b);
	else if (!strcmp(types, "iit"))
		rc = db_one_int(c, out, sql, types, a, b, t1);
	else
		rc = db_one_int(c, out, sql, types, a, b, t1, t2);
	return rc < 0 ? rc : 0;
}

static int summary(struct req *r)
{
	int64_t unit = 0;
	int rc = req_query_int(r, "unit_id", 1, INT64_MAX, 0, &unit);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if (!unit)
		unit = r->who.scope_unit_id;
	else if ((rc = scope_check(r, unit, 0, "unit")))
		return rc;
	char today[DAY_LEN], from[DAY_LEN];
	int64_t now = clock_now();
	clock_day(now, today);
	day_add(today, -((int)settings_int(c, "release_quiet_days") - 1), from);
	json_t *o = json_pack("{s:I,s:s}", "unit_id", (json_int_t)unit, "day", today);
	/* Active orders by kind, how many lack one of the four carers and how
	 * many have come to their planned end, from the counts kept by the
	 * order writes (023_isolation_counts.sql). */
	json_t *kinds = json_object();
	int64_t total = 0, gaps = 0, ended = 0;
	struct dbq *q = db_query(c,
				 "SELECT kind, SUM(n), SUM(gaps),"
				 " SUM(CASE WHEN planned_end_day <= $2 THEN n ELSE 0 END)"
				 " FROM isolation_counts WHERE " SCOPE_SQL("unit_id", "1")
				 " GROUP BY kind",
				 "it", unit, today);
	while (q && (rc = db_step(q)) == 1) {
		json_object_set_new(kinds, db_text(q, 0), json_integer(db_int(q, 1)));
		total += db_int(q, 1);
		gaps += db_int(q, 2);
		ended += db_int(q, 3);
	}
	db_done(q);
	if (!q || rc < 0) {
		json_decref(kinds);
		json_decref(o);
		return q ? rc : ERR_DB;
	}
	for (int i = 0; i < 3; i++) {
		const char *k = i == 0 ? "centralized" : i == 1 ? "home" : "hospital";
		if (!json_object_get(kinds, k))
			json_object_set_new(kinds, k, json_integer(0));
	}
	json_object_set_new(kinds, "total", json_integer(total));
	json_object_set_new(o, "active", kinds);
	/* Active orders by site, and the occupancy of the sites serving it. */
	json_t *sites = json_array();
	q = db_query(c,
		     "SELECT s.id, s.name, s.kind, s.rooms, s.beds, s.occupied,"
		     " (SELECT COUNT(*) FROM isolation_rooms rm WHERE rm.site_id = s.id"
		     "   AND rm.occupied = 0)"
		     " FROM isolation_sites s WHERE (" SCOPE_SQL("s.unit_id", "1")
		     " OR s.unit_id IN (SELECT ancestor_id FROM unit_tree WHERE unit_id = $1))"
		     " ORDER BY s.kind DESC, s.name",
		     "i", unit);
	int64_t beds = 0, used = 0, rooms = 0, free_rooms = 0;
	while (q && (rc = db_step(q)) == 1) {
		json_array_append_new(
			sites, json_pack("{s:I,s:s,s:s,s:I,s:I,s:I,s:I,s:I}", "id",
					 (json_int_t)db_int(q, 0), "name", db_text(q, 1), "kind",
					 db_text(q, 2), "rooms", (json_int_t)db_int(q, 3), "beds",
					 (json_int_t)db_int(q, 4), "occupied", (json_int_t)db_int(q, 5),
					 "free", (json_int_t)(db_int(q, 4) - db_int(q, 5)),
					 "rooms_free", (json_int_t)db_int(q, 6)));
		if (!strcmp(db_text(q, 2), "hotel")) {
			beds += db_int(q, 4);
			used += db_int(q, 5);
			rooms += db_int(q, 3);
			free_rooms += db_int(q, 6);
		}
	}
	db_done(q);
	json_object_set_new(o, "sites", sites);
	json_object_set_new(o, "occupancy",
			    json_pack("{s:I,s:I,s:I,s:I,s:I,s:I}", "rooms", (json_int_t)rooms,
				      "rooms_used", (json_int_t)(rooms - free_rooms), "rooms_free",
				      (json_int_t)free_rooms, "beds", (json_int_t)beds, "beds_used",
				      (json_int_t)used, "beds_free", (json_int_t)(beds - used)));
	/* Today's fevers, open alerts, missed checks, releases due, requests,
	 * carers missing. */
	int64_t fevers = 0, open_alerts = 0, open_fever = 0, missed = 0, due = 0, req_open = 0,
		req_over = 0;
	int64_t start = day_start(today);
	if ((rc = count(c, &fevers,
			"SELECT COUNT(*) FROM health_alerts a WHERE " SCOPE_SQL("a.unit_id", "1")
			" AND a.kind = 'fever' AND a.raised_at >= $2 AND a.raised_at < $2 + 86400",
			"ii", unit, start, NULL, NULL)) ||
	    (rc = count(c, &open_alerts,
			"SELECT COUNT(*) FROM health_alerts a WHERE " SCOPE_SQL("a.unit_id", "1")
			" AND a.status <> 'closed' AND $2 = $2",
			"ii", unit, 0, NULL, NULL)) ||
	    (rc = count(c, &open_fever,
			"SELECT COUNT(*) FROM health_alerts a WHERE " SCOPE_SQL("a.unit_id", "1")
			" AND a.status <> 'closed' AND a.kind = 'fever' AND $2 = $2",
			"ii", unit, 0, NULL, NULL)) ||
	    (rc = held_count(c, unit, today, from, ended, &due)) ||
	    (rc = count(c, &req_open,
			"SELECT COUNT(*) FROM service_requests sr WHERE " SCOPE_SQL("sr.unit_id", "1")
			" AND sr.status <> 'done' AND $2 = $2",
			"ii", unit, 0, NULL, NULL)) ||
	    (rc = count(c, &req_over,
			"SELECT COUNT(*) FROM service_requests sr WHERE " SCOPE_SQL("sr.unit_id", "1")
			" AND sr.status <> 'done' AND sr.due_at < $2",
			"ii", unit, now, NULL, NULL)) ||
	    (rc = missed_count(c, unit, today, total, &missed))) {
		json_decref(o);
		return rc;
	}
	json_object_set_new(o, "fevers_today", json_integer(fevers));
	json_object_set_new(o, "open_alerts", json_integer(open_alerts));
	json_object_set_new(o, "open_fever_alerts", json_integer(open_fever));
	json_object_set_new(o, "missed_checks", json_integer(missed));
	json_object_set_new(o, "releases_due", json_integer(due));
	json_object_set_new(o, "requests_open", json_integer(req_open));
	json_object_set_new(o, "requests_overdue", json_integer(req_over));
	json_object_set_new(o, "carers_missing", json_integer(gaps));
	return resp_json(r, 200, o);
}
