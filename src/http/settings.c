/* Settings; see settings.h. Later features add their rules' settings
 * (fever threshold, observation days, report deadline ...) to `defs`. */
#include "settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/clock.h"
#include "scope.h"

static const struct setting_def defs[] = {
	{"session_idle_minutes", 240, 5, 7 * 24 * 60,
	 "A signed-in session ends after this many minutes without a request."},
	{"session_max_hours", 24, 1, 30 * 24,
	 "A signed-in session ends this many hours after sign-in, whatever its use."},
	{"login_max_failures", 5, 3, 100,
	 "Failed sign-ins of one username from one address before that pair is slowed."},
	{"login_max_failures_address", 30, 5, 1000,
	 "Usernames failing from one address before that address is slowed (spraying)."},
	{"fever_threshold_tenths", 373, 360, 400,
	 "A fever is at or above this armpit temperature in tenths of °C (some units used 372)."},
	{"pass_days", 30, 1, 365, "Days a new compound pass is valid."},
	{"observation_days", 14, 1, 30, "Days of medical observation after an arrival from a graded area."},
	{"contact_window_minutes", 30, 1, 240,
	 "People scanned at the same gate this many minutes before or after a case are contact candidates."},
	{"contact_days_before_onset", 2, 0, 14,
	 "A case's contacts are looked for from this many days before its onset (5th edition of the national plan: 2)."},
	{"epipoint_quiet_days", 14, 1, 60,
	 "An epidemic point may be lifted after this many days with no new case linked to it."},
	{"report_deadline_minutes", 960, 0, 24 * 60 - 1,
	 "Daily reports are due this many minutes after local midnight (960: 16:00); later ones are late."},
	{"check_morning_from", 6, 0, 12, "Isolation: the morning health check is due from this hour (local)."},
	{"check_morning_until", 12, 1, 14, "Isolation: the morning check is missed when not done by this hour."},
	{"check_evening_from", 17, 12, 23, "Isolation: the evening health check is due from this hour (local)."},
	{"check_evening_until", 22, 13, 24, "Isolation: the evening check is missed when not done by this hour."},
	{"release_quiet_days", 3, 1, 14,
	 "Isolation: an order is due for release at its end with no fever or symptom in this many days."},
	{"service_due_hours_health", 2, 1, 72, "Hours before an open health service request is overdue."},
	{"service_due_hours_psychological", 24, 1, 168,
	 "Hours before an open psychological support request is overdue."},
	{"service_due_hours_shopping", 12, 1, 168, "Hours before an open shopping request is overdue."},
	{"service_due_hours_meals", 3, 1, 48, "Hours before an open meal delivery request is overdue."},
	{"resumption_lead_days", 2, 0, 30,
	 "An enterprise applies to resume at least this many days before its planned start."},
};
#define NDEFS (sizeof defs / sizeof defs[0])

static const struct setting_def *def_of(const char *key)
{
	for (size_t i = 0; i < NDEFS; i++)
		if (strcmp(defs[i].key, key) == 0)
			return &defs[i];
	return NULL;
}

int64_t settings_int(struct dbc *c, const char *key)
{
	const struct setting_def *d = def_of(key);
	if (!d)
		return 0;
	struct dbq *q = db_query(c, "SELECT value FROM settings WHERE key = $1", "t", key);
	int64_t v = d->def;
	if (q && db_step(q) == 1) {
		char *end;
		long long x = strtoll(db_text(q, 0), &end, 10);
		if (!*end && x >= d->min && x <= d->max)
			v = x;
	}
	db_done(q);
	return v;
}

static int list(struct req *r)
{
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	json_t *items = json_array();
	for (size_t i = 0; i < NDEFS; i++)
		json_array_append_new(items,
				      json_pack("{s:s,s:I,s:I,s:I,s:I,s:s}", "key", defs[i].key,
						"value", (json_int_t)settings_int(c, defs[i].key),
						"default", (json_int_t)defs[i].def, "min",
						(json_int_t)defs[i].min, "max",
						(json_int_t)defs[i].max, "description",
						defs[i].description));
	return resp_json(r, 200, json_pack("{s:o}", "items", items));
}

static int patch(struct req *r)
{
	/* The rules hold for the whole district: not changed from below it. */
	int rc = scope_district_wide(r);
	if (!rc)
		rc = req_json(r);
	if (rc)
		return rc;
	const char *key;
	json_t *v;
	/* Validate everything before writing anything. */
	json_object_foreach(r->json, key, v)
	{
		const struct setting_def *d = def_of(key);
		if (!d)
			return err_set(&r->err, ERR_INVALID, key, "is not a setting");
		int64_t x;
		if ((rc = jx_int(r, r->json, key, 1, d->min, d->max, &x, NULL)))
			return rc;
	}
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	json_t *changed = json_object();
	json_object_foreach(r->json, key, v)
	{
		char val[32];
		snprintf(val, sizeof val, "%lld", (long long)json_integer_value(v));
		int64_t n = db_run(c,
				   "INSERT INTO settings(key, value, updated_at, updated_by)"
				   " VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO UPDATE SET"
				   " value = excluded.value, updated_at = excluded.updated_at,"
				   " updated_by = excluded.updated_by",
				   "ttiI", key, val, clock_now(), r->who.user_id);
		if (n < 0) {
			json_decref(changed);
			return (int)n;
		}
		json_object_set(changed, key, v);
	}
	char *detail = json_dumps(changed, JX_DUMP_FLAGS);
	json_decref(changed);
	r->audit_detail = detail ? arena_strdup(&r->arena, detail) : NULL;
	free(detail);
	req_audit_record(r, "settings", 0);
	return list(r);
}

static const struct route routes[] = {
	{"GET", "/api/v1/settings", list, P_SETTINGS_ADMIN, 0, 0, "rule settings and defaults"},
	{"PATCH", "/api/v1/settings", patch, P_SETTINGS_ADMIN, 0, 0, "change rule settings"},
};
ROUTE_TABLE(settings_routes, routes);
