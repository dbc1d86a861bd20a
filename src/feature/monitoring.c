/* Health monitoring of isolated persons (DOMAIN.md §8, Rules: medical
 * observation, fever, pass colour): twice-daily checks in a morning and an
 * evening window with a day summary per order, alerts for a fever or a
 * symptom that a medic acknowledges and closes, the missed-check and
 * release-due lists, the personal self-report link that reaches one
 * order's form and nothing else, the monitoring figures for a unit, and
 * the facts the pass colour reads. */
#include "isolation.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/buf.h"
#include "../http/scope.h"
#include "../http/settings.h"
#include "gates.h"
#include "passes.h"

static int add_check(struct req *r);
static int list_checks(struct req *r);
static int missed_checks(struct req *r);
static int release_due(struct req *r);
static int list_alerts(struct req *r);
static int ack_alert(struct req *r);
static int close_alert(struct req *r);
static int issue_link(struct req *r);
static int revoke_link(struct req *r);
static int self_get(struct req *r);
static int self_post(struct req *r);
static int notice(struct req *r);

static const struct route routes[] = {
	{"POST", "/api/v1/isolations/{id}/checks", add_check, P_HEALTH_CHECK, 4096, 0,
	 "record a health check: temperature, symptoms; a fever or symptom raises an alert"},
	{"GET", "/api/v1/isolations/{id}/checks", list_checks, P_ISOLATION_READ, 0, 0,
	 "an order's checks, newest first, for the temperature chart; export"},
	{"GET", "/api/v1/isolations/missed-checks", missed_checks, P_ISOLATION_READ, 0, 0,
	 "orders whose morning or evening check of a day was missed; export"},
	{"GET", "/api/v1/isolations/release-due", release_due, P_ISOLATION_READ, 0, 0,
	 "orders whose end has come with no fever or symptom in the last days; export"},
	{"GET", "/api/v1/alerts", list_alerts, P_ISOLATION_READ, 0, 0,
	 "health alerts in scope by status, kind, day; export"},
	{"POST", "/api/v1/alerts/{id}/acknowledge", ack_alert, P_ALERTS_CLOSE, 1024, 0,
	 "a medic takes an alert"},
	{"POST", "/api/v1/alerts/{id}/close", close_alert, P_ALERTS_CLOSE, 4096, 0,
	 "close an alert with its outcome (transferred_120 also transfers the order)"},
	{"POST", "/api/v1/isolations/{id}/self-report-link", issue_link, P_ISOLATION_WRITE, 1024, 0,
	 "a personal self-report link for the order (replaces an earlier one)"},
	{"DELETE", "/api/v1/isolations/{id}/self-report-link", revoke_link, P_ISOLATION_WRITE, 0, 0,
	 "revoke the order's self-report link"},
	{"GET", "/api/v1/self-report", self_get, PERM_PUBLIC, 0, 0,
	 "the self-report page's data, for the holder of the link's token only"},
	{"POST", "/api/v1/self-report", self_post, PERM_PUBLIC, 4096, 0,
	 "the isolated person reports temperature and symptoms or asks for a service"},
	{"GET", "/api/v1/isolations/{id}/notice", notice, P_ISOLATION_READ, 0, 0,
	 "the printable isolation notice (A4, Chinese), with the self-report QR when issued"},
};
ROUTE_TABLE(monitoring_routes, routes);

/* ---------- pure rules ---------- */

const char *const monitor_symptoms[MONITOR_SYMPTOMS] = {
	"fever", "cough", "fatigue", "shortness_of_breath", "sore_throat", "diarrhoea",
	"loss_of_smell_taste", "other"};

int monitor_symptom_valid(const char *s)
{
	for (int i = 0; s && i < MONITOR_SYMPTOMS; i++)
		if (!strcmp(s, monitor_symptoms[i]))
			return 1;
	return 0;
}

int monitor_is_fever(int temp, int fever_at)
{
	return temp >= fever_at;
}

void monitor_windows(struct dbc *c, struct check_windows *w)
{
	w->morning_from = (int)settings_int(c, "check_morning_from");
	w->morning_until = (int)settings_int(c, "check_morning_until");
	w->evening_from = (int)settings_int(c, "check_evening_from");
	w->evening_until = (int)settings_int(c, "check_evening_until");
}

const char *monitor_slot(int hour, const struct check_windows *w)
{
	if (hour >= w->morning_from && hour < w->morning_until)
		return "morning";
	if (hour >= w->evening_from && hour < w->evening_until)
		return "evening";
	return "other";
}

int monitor_missed(int hour, int morning, int evening, int since_hour,
		   const struct check_windows *w)
{
	int m = 0;
	if (hour >= w->morning_until && !morning && since_hour < w->morning_until)
		m |= 1;
	if (hour >= w->evening_until && !evening && since_hour < w->evening_until)
		m |= 2;
	return m;
}

int monitor_release_due(const char *today, const char *planned_end, const char *last_bad_day,
			int quiet_days)
{
	if (strcmp(today, planned_end) < 0)
		return 0;
	if (!last_bad_day)
		return 1;
	char from[DAY_LEN];
	if (day_add(today, -(quiet_days - 1), from))
		return 0;
	return strcmp(last_bad_day, from) < 0;
}

/* ---------- helpers ---------- */

static int fever_at(struct dbc *c)
{
	int64_t v = settings_int(c, "fever_threshold_tenths");
	return v > 0 ? (int)v : 373;
}

/* The local hour of an instant. */
static int local_hour(int64_t t)
{
	char day[DAY_LEN];
	clock_day(t, day);
	return (int)((t - day_start(day)) / 3600);
}

/* Reads "temperature" (°C, 34.0..43.0) into tenths and "symptoms" (a list
 * of listed symptoms) into a comma-separated string in the arena. */
static int read_check(struct req *r, int *temp, const char **symptoms, int required)
{
	json_t *tv = json_object_get(r->json, "temperature");
	*temp = 0;
	*symptoms = "";
	if (!tv || json_is_null(tv)) {
		if (required)
			return err_set(&r->err, ERR_INVALID, "temperature", "is required");
	} else {
		if (!json_is_number(tv))
			return err_set(&r->err, ERR_INVALID, "temperature",
				       "must be a number of degrees Celsius");
		double d = json_number_value(tv);
		if (!(d >= 34.0 && d <= 43.0))
			return err_set(&r->err, ERR_INVALID, "temperature",
				       "must be between 34.0 and 43.0 °C: measure again");
		*temp = (int)(d * 10.0 + (d >= 0 ? 0.5 : -0.5));
	}
	json_t *sv = json_object_get(r->json, "symptoms");
	if (!sv || json_is_null(sv))
		return 0;
	if (!json_is_array(sv) || json_array_size(sv) > MONITOR_SYMPTOMS)
		return err_set(&r->err, ERR_INVALID, "symptoms",
			       "must be a list of fever, cough, fatigue, shortness_of_breath,"
			       " sore_throat, diarrhoea, loss_of_smell_taste, other");
	char buf[256] = "";
	size_t i;
	json_t *v;
	json_array_foreach(sv, i, v)
	{
		const char *s = json_string_value(v);
		if (!monitor_symptom_valid(s))
			return err_set(&r->err, ERR_INVALID, "symptoms",
				       "must be a list of fever, cough, fatigue, shortness_of_breath,"
				       " sore_throat, diarrhoea, loss_of_smell_taste, other");
		char pat[40];
		snprintf(pat, sizeof pat, ",%s,", s);
		char wrapped[260];
		snprintf(wrapped, sizeof wrapped, ",%s,", buf);
		if (strstr(wrapped, pat))
			continue; /* listed twice: once */
		size_t n = strlen(buf);
		snprintf(buf + n, sizeof buf - n, "%s%s", n ? "," : "", s);
	}
	*symptoms = arena_strdup(&r->arena, buf);
	return *symptoms ? 0 : ERR_NOMEM;
}

/* ---------- checks and alerts ---------- */

static int raise_alert(struct dbc *c, int64_t iso, int64_t person, int64_t unit, int64_t check,
		       const char *kind, int temp, const char *symptoms, int64_t at, int64_t *id)
{
	*id = 0;
	int rc = db_one_int(c, NULL,
			    "SELECT 1 FROM health_alerts WHERE isolation_id = $1 AND kind = $2"
			    " AND status <> 'closed'",
			    "it", iso, kind);
	if (rc != 0)
		return rc < 0 ? rc : 0; /* one open alert of a kind is enough */
	struct dbq *q = db_query(c,
				 "INSERT INTO health_alerts(isolation_id, person_id, unit_id, check_id,"
				 " kind, temperature, symptoms, status, raised_at)"
				 " VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8) RETURNING id",
				 "iiiititi", iso, person, unit, check, kind, (int64_t)temp,
				 symptoms && *symptoms ? symptoms : NULL, at);
	if (!q)
		return ERR_DB;
	rc = db_step(q);
	if (rc == 1)
		*id = db_int(q, 0);
	db_done(q);
	return rc == 1 ? 0 : rc < 0 ? rc : ERR_DB;
}

int monitor_check_add(struct dbc *c, const struct check_in *in, struct check_out *out,
		      struct err_info *ei)
{
	memset(out, 0, sizeof *out);
	int64_t now = in->at ? in->at : clock_now();
	if (in->temp < 340 || in->temp > 430)
		return err_set(ei, ERR_INVALID, "temperature",
			       "must be between 34.0 and 43.0 °C: measure again");
	struct dbq *q = db_query(c, "SELECT status, person_id, unit_id FROM isolations WHERE id = $1",
				 "i", in->isolation_id);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	char status[16] = "";
	int64_t person = 0, unit = 0;
	if (rc == 1) {
		snprintf(status, sizeof status, "%s", db_text(q, 0));
		person = db_int(q, 1);
		unit = db_int(q, 2);
	}
	db_done(q);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(ei, ERR_NOT_FOUND, "", "no such isolation order");
	if (in->client_id) {
		/* A retry: the first check, stored once. */
		rc = db_one_int(c, &out->id,
				"SELECT id FROM health_checks WHERE isolation_id = $1 AND client_id = $2",
				"it", in->isolation_id, in->client_id);
		if (rc < 0)
			return rc;
		if (rc == 1) {
			out->replay = 1;
			db_one_int(c, &out->alert_id,
				   "SELECT id FROM health_alerts WHERE check_id = $1", "i", out->id);
			return 0;
		}
	}
	if (strcmp(status, "active") != 0)
		return err_set(ei, ERR_CONFLICT, "", "the order is %s, not active", status);
	char day[DAY_LEN];
	clock_day(now, day);
	struct check_windows w;
	monitor_windows(c, &w);
	const char *slot = monitor_slot(local_hour(now), &w);
	const char *sy = in->symptoms ? in->symptoms : "";
	q = db_query(c,
		     "INSERT INTO health_checks(isolation_id, person_id, at, day, slot, temperature,"
		     " symptoms, by_kind, by_user, client_id, created_at)"
		     " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
		     " ON CONFLICT (isolation_id, client_id) DO NOTHING RETURNING id",
		     "iiittittIti", in->isolation_id, person, now, day, slot, (int64_t)in->temp, sy,
		     in->by_kind, in->by_user, in->client_id, clock_now());
	if (!q)
		return ERR_DB;
	rc = db_step(q);
	if (rc == 1)
		out->id = db_int(q, 0);
	db_done(q);
	if (rc < 0)
		return rc;
	if (rc == 0) { /* a concurrent retry stored it first */
		out->replay = 1;
		return db_one_int(c, &out->id,
				  "SELECT id FROM health_checks WHERE isolation_id = $1 AND client_id = $2",
				  "it", in->isolation_id, in->client_id) < 0
			       ? ERR_DB
			       : 0;
	}
	int fever = monitor_is_fever(in->temp, fever_at(c));
	int symptomatic = *sy != 0;
	/* The day's summary; the slot it marks done is counted once, by the
	 * check that marks it (monitor_count_check). */
	if (db_run(c,
		   "INSERT INTO check_days(isolation_id, day, morning, evening, checks, max_temp,"
		   " symptomatic) VALUES ($1, $2, 0, 0, 1, $3, $4)"
		   " ON CONFLICT (isolation_id, day) DO UPDATE SET"
		   " checks = check_days.checks + 1,"
		   " max_temp = CASE WHEN $3 > check_days.max_temp THEN $3 ELSE check_days.max_temp END,"
		   " symptomatic = CASE WHEN $4 = 1 THEN 1 ELSE check_days.symptomatic END",
		   "itii", in->isolation_id, day, (int64_t)in->temp,
		   (int64_t)(symptomatic || fever)) < 0)
		return ERR_DB;
	if (strcmp(slot, "other") != 0 &&
	    (rc = monitor_count_check(c, in->isolation_id, unit, day, slot)))
		return rc;
	rc = 0;
	if (fever)
		rc = raise_alert(c, in->isolation_id, person, unit, out->id, "fever", in->temp, sy, now,
				 &out->alert_id);
	else if (symptomatic)
		rc = raise_alert(c, in->isolation_id, person, unit, out->id, "symptom", in->temp, sy,
				 now, &out->alert_id);
	return rc;
}

static json_t *check_json(struct dbc *c, int64_t id, int64_t alert)
{
	struct dbq *q = db_query(c,
				 "SELECT id, isolation_id, at, day, slot, temperature, symptoms, by_kind"
				 " FROM health_checks WHERE id = $1",
				 "i", id);
	if (!q)
		return NULL;
	json_t *o = NULL;
	if (db_step(q) == 1) {
		json_t *syms = json_array();
		char buf[256];
		snprintf(buf, sizeof buf, "%s", db_text(q, 6));
		for (char *save = NULL, *t = strtok_r(buf, ",", &save); t;
		     t = strtok_r(NULL, ",", &save))
			json_array_append_new(syms, json_string(t));
		o = json_pack("{s:I,s:I,s:I,s:s,s:s,s:f,s:o,s:s,s:o}", "id",
			      (json_int_t)db_int(q, 0), "isolation_id", (json_int_t)db_int(q, 1), "at",
			      (json_int_t)db_int(q, 2), "day", db_text(q, 3), "slot", db_text(q, 4),
			      "temperature", db_int(q, 5) / 10.0, "symptoms", syms, "by_kind",
			      db_text(q, 7), "alert_id", alert ? json_integer(alert) : json_null());
	}
	db_done(q);
	return o;
}

static int add_check(struct req *r)
{
	int64_t id = 0;
	int temp = 0;
	const char *symptoms = "", *client = NULL;
	int rc = req_param_id(r, "id", &id);
	if (!rc)
		rc = req_json(r);
	if (!rc)
		rc = read_check(r, &temp, &symptoms, 1);
	if (!rc)
		rc = jx_str(r, r->json, "client_id", 0, 64, &client, NULL);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if ((rc = isolation_load(r, c, id, 1, NULL, NULL, NULL)))
		return rc;
	struct check_in in = {.isolation_id = id,
			      .temp = temp,
			      .symptoms = symptoms,
			      .by_kind = strcmp(r->who.role, "medic") ? "carer" : "medic",
			      .by_user = r->who.user_id,
			      .client_id = client && *client ? client : NULL};
	struct check_out out;
	if ((rc = monitor_check_add(c, &in, &out, &r->err)))
		return rc;
	if (out.replay)
		r->no_audit = 1;
	req_audit_record(r, "health_check", out.id);
	json_t *o = check_json(c, out.id, out.alert_id);
	if (!o)
		return ERR_DB;
	json_object_set_new(o, "replayed", json_boolean(out.replay));
	return resp_json(r, 201, o);
}

static json_t *check_row(struct dbq *q)
{
	json_t *syms = json_array();
	char buf[256];
	snprintf(buf, sizeof buf, "%s", db_text(q, 6));
	for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
		json_array_append_new(syms, json_string(t));
	return json_pack("{s:I,s:I,s:I,s:s,s:s,s:f,s:o,s:s,s:s,s:o}", "id", (json_int_t)db_int(q, 0),
			 "isolation_id", (json_int_t)db_int(q, 1), "at", (json_int_t)db_int(q, 2),
			 "day", db_text(q, 3), "slot", db_text(q, 4), "temperature",
			 db_int(q, 5) / 10.0, "symptoms", syms, "symptoms_text", db_text(q, 6),
			 "by_kind", db_text(q, 7), "by_name", jx_text_or_null(db_text(q, 8)));
}

static const struct list_col check_export[] = {
	{"id", "编号"},       {"day", "日期"},         {"slot", "时段"},
	{"temperature", "体温"}, {"symptoms_text", "症状"}, {"by_kind", "记录方"},
	{"by_name", "记录人"}, {0, 0},
};

static int list_checks(struct req *r)
{
	int64_t id = 0;
	struct page pg;
	int rc = req_param_id(r, "id", &id);
	if (!rc)
		rc = req_page(r, &pg);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if ((rc = isolation_load(r, c, id, 0, NULL, NULL, NULL)))
		return rc;
	/* Newest first: the cursor is the last id of the page before. */
	struct dbq *q = db_query(
		c,
		"SELECT hc.id, hc.isolation_id, hc.at, hc.day, hc.slot, hc.temperature, hc.symptoms,"
		" hc.by_kind, us.name FROM health_checks hc LEFT JOIN users us ON us.id = hc.by_user"
		" WHERE hc.isolation_id = $1 AND ($2 = 0 OR hc.id < $2) ORDER BY hc.id DESC LIMIT $3",
		"iii", id, pg.after, pg.limit + 1);
	return resp_query_list(r, &pg, q, check_row, check_export, "health-checks");
}

/* ---------- missed checks and releases due ---------- */

void monitor_owed_on(struct dbc *c, const char *day, struct owed *o)
{
	struct check_windows w;
	monitor_windows(c, &w);
	snprintf(o->day, sizeof o->day, "%s", day);
	int64_t start = day_start(day);
	o->m_end = start + (int64_t)w.morning_until * 3600;
	o->e_end = start + (int64_t)w.evening_until * 3600;
	int64_t now = clock_now();
	o->m_due = now >= o->m_end;
	o->e_due = now >= o->e_end;
}

static json_t *missed_row(struct dbq *q)
{
	json_t *slots = json_array();
	if (db_int(q, 8))
		json_array_append_new(slots, json_string("morning"));
	if (db_int(q, 9))
		json_array_append_new(slots, json_string("evening"));
	return json_pack("{s:I,s:I,s:s,s:I,s:s,s:s,s:o,s:o,s:o,s:s,s:s}", "id",
			 (json_int_t)db_int(q, 0), "person_id", (json_int_t)db_int(q, 1),
			 "person_name", db_text(q, 2), "unit_id", (json_int_t)db_int(q, 3),
			 "unit_name", db_text(q, 4), "kind", db_text(q, 5), "site_name",
			 jx_text_or_null(db_text(q, 6)), "room_number", jx_text_or_null(db_text(q, 7)),
			 "missed", slots, "missed_text",
			 db_int(q, 8) && db_int(q, 9) ? "morning,evening"
			 : db_int(q, 8)               ? "morning"
						      : "evening",
			 "day", db_text(q, 10));
}

static const struct list_col missed_export[] = {
	{"id", "隔离单"},     {"person_name", "姓名"}, {"unit_name", "所在单位"}, {"kind", "隔离方式"},
	{"site_name", "隔离点"}, {"room_number", "房间"}, {"missed_text", "漏测"},  {"day", "日期"},
	{0, 0},
};

/* The carer filter: ?carer=me is the caller, ?carer_id= another user. */
static int carer_filter(struct req *r, int64_t *carer)
{
	*carer = 0;
	const char *v = req_query(r, "carer");
	if (v && !strcmp(v, "me")) {
		*carer = r->who.user_id;
		return 0;
	}
	return req_query_int(r, "carer_id", 1, INT64_MAX, 0, carer);
}

static int day_param(struct req *r, char day[DAY_LEN])
{
	const char *d = req_query(r, "day");
	if (d && *d) {
		if (day_valid(d))
			return err_set(&r->err, ERR_INVALID, "day", "must be a date YYYY-MM-DD");
		snprintf(day, DAY_LEN, "%s", d);
	} else {
		clock_day(clock_now(), day);
	}
	return 0;
}

static int missed_checks(struct req *r)
{
	static const char sql[] =
		DB_PLAN_EACH "SELECT i.id, i.person_id, p.name, i.unit_id, u.name, i.kind, s.name, rm.number,"
		" CASE WHEN $4 = 1 AND i.created_at < $5 AND COALESCE(cd.morning, 0) = 0 THEN 1 ELSE 0 END,"
		" CASE WHEN $6 = 1 AND i.created_at < $7 AND COALESCE(cd.evening, 0) = 0 THEN 1 ELSE 0 END,"
		" $3"
		" FROM isolations i LEFT JOIN check_days cd ON cd.isolation_id = i.id AND cd.day = $3"
		" JOIN persons p ON p.id = i.person_id JOIN units u ON u.id = i.unit_id"
		" LEFT JOIN isolation_sites s ON s.id = i.site_id"
		" LEFT JOIN isolation_rooms rm ON rm.id = i.room_id"
		" WHERE ($4 = 1 OR $6 = 1) AND " SCOPE_SQL("i.unit_id", "1") " AND i.start_day <= $3"
		" AND (i.end_day IS NULL OR i.end_day > $3)"
		" AND (($4 = 1 AND i.created_at < $5 AND COALESCE(cd.morning, 0) = 0)"
		"   OR ($6 = 1 AND i.created_at < $7 AND COALESCE(cd.evening, 0) = 0))"
		" AND ($8 = 0 OR i.unit_id IN (SELECT unit_id FROM unit_tree WHERE ancestor_id = $8))"
		" AND ($9 = 0 OR i.id IN (SELECT isolation_id FROM isolation_carers WHERE user_id = $9))"
		" AND i.id > $2 ORDER BY i.id LIMIT $10";
	struct page pg;
	int64_t unit = 0, carer = 0;
	char day[DAY_LEN];
	int rc = req_page(r, &pg);
	if (!rc)
		rc = day_param(r, day);
	if (!rc)
		rc = req_query_int(r, "unit_id", 1, INT64_MAX, 0, &unit);
	if (!rc)
		rc = carer_filter(r, &carer);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if (unit && (rc = scope_check(r, unit, 0, "unit")))
		return rc;
	/* Before a window of the day has closed nothing is owed: the first
	 * term says so once, not for each of the orders. */
	struct owed o;
	monitor_owed_on(c, day, &o);
	struct dbq *q = db_query(c, sql, "iitiiiiiii", r->who.scope_unit_id, pg.after, day, o.m_due,
				 o.m_end, o.e_due, o.e_end, unit, carer, pg.limit + 1);
	return resp_query_list(r, &pg, q, missed_row, missed_export, "missed-checks");
}

static json_t *due_row(struct dbq *q)
{
	return json_pack("{s:I,s:I,s:s,s:I,s:s,s:s,s:s,s:s,s:o,s:o}", "id", (json_int_t)db_int(q, 0),
			 "person_id", (json_int_t)db_int(q, 1), "person_name", db_text(q, 2),
			 "unit_id", (json_int_t)db_int(q, 3), "unit_name", db_text(q, 4), "kind",
			 db_text(q, 5), "reason", db_text(q, 6), "planned_end_day", db_text(q, 7),
			 "site_name", jx_text_or_null(db_text(q, 8)), "room_number",
			 jx_text_or_null(db_text(q, 9)));
}

static const struct list_col due_export[] = {
	{"id", "隔离单"},   {"person_name", "姓名"},        {"unit_name", "所在单位"},
	{"kind", "隔离方式"}, {"planned_end_day", "计划解除日期"}, {"site_name", "隔离点"},
	{"room_number", "房间"}, {0, 0},
};

/* Active orders in scope $1 whose end ($3 today) has come with no fever or
 * symptom on or after $4 (today - quiet days + 1). */
#define DUE_WHERE                                                                          \
	" WHERE " SCOPE_SQL("i.unit_id", "1") " AND i.status = 'active'"                      \
	" AND i.planned_end_day <= $3 AND NOT EXISTS (SELECT 1 FROM check_days cd"             \
	"   WHERE cd.isolation_id = i.id AND cd.day >= $4 AND cd.symptomatic = 1)"             \
	" AND NOT EXISTS (SELECT 1 FROM health_alerts ha WHERE ha.isolation_id = i.id"          \
	"   AND ha.status <> 'closed')"

static int release_due(struct req *r)
{
	static const char sql[] =
		"SELECT i.id, i.person_id, p.name, i.unit_id, u.name, i.kind, i.reason,"
		" i.planned_end_day, s.name, rm.number FROM isolations i"
		" JOIN persons p ON p.id = i.person_id JOIN units u ON u.id = i.unit_id"
		" LEFT JOIN isolation_sites s ON s.id = i.site_id"
		" LEFT JOIN isolation_rooms rm ON rm.id = i.room_id" DUE_WHERE
		" AND ($5 = 0 OR i.id IN (SELECT isolation_id FROM isolation_carers WHERE user_id = $5))"
		" AND i.id > $2 ORDER BY i.id LIMIT $6";
	struct page pg;
	int64_t carer = 0;
	int rc = req_page(r, &pg);
	if (!rc)
		rc = carer_filter(r, &carer);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	char today[DAY_LEN], from[DAY_LEN];
	clock_day(clock_now(), today);
	day_add(today, -((int)settings_int(c, "release_quiet_days") - 1), from);
	struct dbq *q = db_query(c, sql, "iittii", r->who.scope_unit_id, pg.after, today, from,
				 carer, pg.limit + 1);
	return resp_query_list(r, &pg, q, due_row, due_export, "release-due");
}

/* ---------- alerts ---------- */

#define ALERT_COLS                                                                           \
	"SELECT a.id, a.isolation_id, a.person_id, p.name, a.unit_id, u.name, a.kind,"          \
	" a.temperature, a.symptoms, a.status, a.raised_at, a.ack_at, ua.name, a.closed_at,"    \
	" uc.name, a.outcome, a.note, i.kind, s.name, rm.number FROM health_alerts a"           \
	" JOIN persons p ON p.id = a.person_id JOIN units u ON u.id = a.unit_id"                \
	" JOIN isolations i ON i.id = a.isolation_id"                                           \
	" LEFT JOIN isolation_sites s ON s.id = i.site_id"                                      \
	" LEFT JOIN isolation_rooms rm ON rm.id = i.room_id"                                    \
	" LEFT JOIN users ua ON ua.id = a.ack_by LEFT JOIN users uc ON uc.id = a.closed_by"

static json_t *alert_row(struct dbq *q)
{
	return json_pack(
		"{s:I,s:I,s:I,s:s,s:I,s:s,s:s,s:o,s:o,s:s,s:I,s:o,s:o,s:o,s:o,s:o,s:o,s:s,s:o,s:o}",
		"id", (json_int_t)db_int(q, 0), "isolation_id", (json_int_t)db_int(q, 1), "person_id",
		(json_int_t)db_int(q, 2), "person_name", db_text(q, 3), "unit_id",
		(json_int_t)db_int(q, 4), "unit_name", db_text(q, 5), "kind", db_text(q, 6),
		"temperature", db_null(q, 7) ? json_null() : json_real(db_int(q, 7) / 10.0),
		"symptoms", jx_text_or_null(db_text(q, 8)), "status", db_text(q, 9), "raised_at",
		(json_int_t)db_int(q, 10), "ack_at", jx_col_int(q, 11), "ack_by_name",
		jx_text_or_null(db_text(q, 12)), "closed_at", jx_col_int(q, 13), "closed_by_name",
		jx_text_or_null(db_text(q, 14)), "outcome", jx_text_or_null(db_text(q, 15)), "note",
		jx_text_or_null(db_text(q, 16)), "order_kind", db_text(q, 17), "site_name",
		jx_text_or_null(db_text(q, 18)), "room_number", jx_text_or_null(db_text(q, 19)));
}

static const struct list_col alert_export[] = {
	{"id", "编号"},          {"person_name", "姓名"},   {"unit_name", "所在单位"},
	{"kind", "类型"},        {"temperature", "体温"},   {"symptoms", "症状"},
	{"status", "状态"},      {"raised_at", "发生时间"}, {"closed_at", "关闭时间"},
	{"outcome", "处置结果"}, {"closed_by_name", "处置人"}, {0, 0},
};

static int list_alerts(struct req *r)
{
	/* status=open lists the alerts not yet closed (acknowledged or not). */
	static const char sql[] =
		ALERT_COLS " WHERE " SCOPE_SQL("a.unit_id", "1") " AND a.id > $2"
		" AND ($3 = '' OR ($3 = 'open' AND a.status <> 'closed') OR a.status = $3)"
		" AND ($4 = '' OR a.kind = $4)"
		" AND ($5 = 0 OR (a.raised_at >= $5 AND a.raised_at < $6))"
		" AND ($7 = 0 OR a.isolation_id = $7)"
		" ORDER BY a.id LIMIT $8";
	struct page pg;
	int64_t iso = 0;
	int rc = req_page(r, &pg);
	if (!rc)
		rc = req_query_int(r, "isolation_id", 1, INT64_MAX, 0, &iso);
	if (rc)
		return rc;
	const char *status = req_query(r, "status"), *kind = req_query(r, "kind"),
		   *day = req_query(r, "day");
	if (status && *status && strcmp(status, "open") && strcmp(status, "acknowledged") &&
	    strcmp(status, "closed"))
		return err_set(&r->err, ERR_INVALID, "status", "must be open, acknowledged or closed");
	if (kind && *kind && strcmp(kind, "fever") && strcmp(kind, "symptom"))
		return err_set(&r->err, ERR_INVALID, "kind", "must be fever or symptom");
	if (day && *day && day_valid(day))
		return err_set(&r->err, ERR_INVALID, "day", "must be a date YYYY-MM-DD");
	int64_t from = day && *day ? day_start(day) : 0;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	struct dbq *q = db_query(c, sql, "iittiiii", r->who.scope_unit_id, pg.after,
				 status ? status : "", kind ? kind : "", from, from + 86400, iso,
				 pg.limit + 1);
	return resp_query_list(r, &pg, q, alert_row, alert_export, "alerts");
}

/* An alert's unit and status, with the caller's scope checked for a write. */
static int alert_for_write(struct req *r, struct dbc *c, int64_t id, char status[16])
{
	struct dbq *q = db_query(c, "SELECT unit_id, status FROM health_alerts WHERE id = $1", "i",
				 id);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	int64_t unit = 0;
	if (rc == 1) {
		unit = db_int(q, 0);
		snprintf(status, 16, "%s", db_text(q, 1));
	}
	db_done(q);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_NOT_FOUND, "", "no such alert");
	return scope_check(r, unit, 1, "alert");
}

static int respond_alert(struct req *r, struct dbc *c, int64_t id)
{
	int rc;
	json_t *o = query_row(db_query(c, ALERT_COLS " WHERE a.id = $1", "i", id), alert_row, &rc);
	if (!o)
		return rc < 0 ? rc : err_set(&r->err, ERR_NOT_FOUND, "", "no such alert");
	return resp_json(r, 200, o);
}

static int ack_alert(struct req *r)
{
	int64_t id = 0;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	char status[16];
	if ((rc = alert_for_write(r, c, id, status)))
		return rc;
	if (!strcmp(status, "closed"))
		return err_set(&r->err, ERR_CONFLICT, "", "the alert is already closed");
	if (!strcmp(status, "open") &&
	    db_run(c,
		   "UPDATE health_alerts SET status = 'acknowledged', ack_at = $2, ack_by = $3"
		   " WHERE id = $1 AND status = 'open'",
		   "iii", id, clock_now(), r->who.user_id) < 0)
		return ERR_DB;
	req_audit_record(r, "health_alert", id);
	return respond_alert(r, c, id);
}

int monitor_alert_close(struct dbc *c, int64_t alert_id, const char *outcome, const char *note,
			int64_t by_user, int64_t scope_unit_id, int64_t at, struct err_info *ei)
{
	int64_t now = at ? at : clock_now();
	if (!outcome || (strcmp(outcome, "transferred_120") && strcmp(outcome, "normal") &&
			 strcmp(outcome, "other")))
		return err_set(ei, ERR_INVALID, "outcome", "must be transferred_120, normal or other");
	if (!strcmp(outcome, "other") && (!note || !*note))
		return err_set(ei, ERR_INVALID, "note", "is required when the outcome is other");
	struct dbq *q = db_query(c, "SELECT status, isolation_id FROM health_alerts WHERE id = $1",
				 "i", alert_id);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	char status[16] = "";
	int64_t iso = 0;
	if (rc == 1) {
		snprintf(status, sizeof status, "%s", db_text(q, 0));
		iso = db_int(q, 1);
	}
	db_done(q);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(ei, ERR_NOT_FOUND, "", "no such alert");
	if (!strcmp(status, "closed"))
		return err_set(ei, ERR_CONFLICT, "", "the alert is already closed");
	if (db_run(c,
		   "UPDATE health_alerts SET status = 'closed', closed_at = $2, closed_by = $3,"
		   " outcome = $4, note = $5, ack_at = COALESCE(ack_at, $2),"
		   " ack_by = COALESCE(ack_by, $3) WHERE id = $1",
		   "iiItt", alert_id, now, by_user, outcome, note && *note ? note : NULL) < 0)
		return ERR_DB;
	if (!strcmp(outcome, "transferred_120")) {
		/* 120 took the person to a designated hospital: the order moves
		 * there (unless it already is a hospital order). */
		char kind[16] = "", ostatus[16] = "";
		q = db_query(c, "SELECT kind, status FROM isolations WHERE id = $1", "i", iso);
		if (q && db_step(q) == 1) {
			snprintf(kind, sizeof kind, "%s", db_text(q, 0));
			snprintf(ostatus, sizeof ostatus, "%s", db_text(q, 1));
		}
		db_done(q);
		if (!q)
			return ERR_DB;
		if (!strcmp(ostatus, "active") && strcmp(kind, "hospital")) {
			int64_t nid = 0;
			char why[64];
			snprintf(why, sizeof why, "alert %lld: transferred by 120", (long long)alert_id);
			if ((rc = isolation_transfer(c, iso, 0, why, by_user, scope_unit_id, now, &nid,
						     ei)))
				return rc;
		}
	}
	return 0;
}

static int close_alert(struct req *r)
{
	int64_t id = 0;
	const char *outcome = NULL, *note = NULL;
	int rc = req_param_id(r, "id", &id);
	if (!rc)
		rc = req_json(r);
	if (!rc)
		rc = jx_str(r, r->json, "outcome", 1, 20, &outcome, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "note", 0, 200, &note, NULL);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	char status[16];
	if ((rc = alert_for_write(r, c, id, status)))
		return rc;
	if ((rc = monitor_alert_close(c, id, outcome, note, r->who.user_id, r->who.scope_unit_id, 0,
				      &r->err)))
		return rc;
	req_audit_record(r, "health_alert", id);
	return respond_alert(r, c, id);
}

/* ---------- the self-report link ---------- */

/* A token is "<order id>.<32 url-safe base64 characters>" (24 random
 * bytes). The secret part is kept on the order (the database is the
 * keystore, as for pass keys) so the notice can show its QR again; a new
 * link replaces it and revocation clears it. It expires at the end of the
 * order's planned end day and with the order. */
#define B64 sodium_base64_VARIANT_URLSAFE_NO_PADDING

int monitor_link_issue(struct dbc *c, int64_t id, int64_t by_user, int64_t at,
		       char token[SELF_TOKEN_MAX], int64_t *expires_at, struct err_info *ei)
{
	int64_t now = at ? at : clock_now();
	char status[16] = "", end[DAY_LEN] = "";
	struct dbq *q = db_query(c, "SELECT status, planned_end_day FROM isolations WHERE id = $1",
				 "i", id);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	if (rc == 1) {
		snprintf(status, sizeof status, "%s", db_text(q, 0));
		snprintf(end, sizeof end, "%s", db_text(q, 1));
	}
	db_done(q);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(ei, ERR_NOT_FOUND, "", "no such isolation order");
	if (strcmp(status, "active") != 0)
		return err_set(ei, ERR_CONFLICT, "", "the order is %s, not active", status);
	unsigned char raw[24];
	randombytes_buf(raw, sizeof raw);
	char secret[40];
	sodium_bin2base64(secret, sizeof secret, raw, sizeof raw, B64);
	*expires_at = day_start(end) + 86400;
	if (db_run(c,
		   "UPDATE isolations SET link_hash = $2, link_expires_at = $3, updated_at = $4"
		   " WHERE id = $1",
		   "itii", id, secret, *expires_at, now) < 0)
		return ERR_DB;
	snprintf(token, SELF_TOKEN_MAX, "%lld.%s", (long long)id, secret);
	return isolation_event(c, id, now, by_user, "link_issued", NULL, NULL);
}

static int issue_link(struct req *r)
{
	int64_t id = 0, exp = 0;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if ((rc = isolation_load(r, c, id, 1, NULL, NULL, NULL)))
		return rc;
	char token[SELF_TOKEN_MAX];
	if ((rc = monitor_link_issue(c, id, r->who.user_id, 0, token, &exp, &r->err)))
		return rc;
	req_audit_record(r, "isolation", id);
	r->audit_detail = "self-report link issued";
	return resp_json(r, 201,
			 json_pack("{s:s,s:I,s:s}", "url",
				   arena_printf(&r->arena, "/self-report.html#%s", token),
				   "expires_at", (json_int_t)exp, "token", token));
}

static int revoke_link(struct req *r)
{
	int64_t id = 0;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if ((rc = isolation_load(r, c, id, 1, NULL, NULL, NULL)))
		return rc;
	if (db_run(c, "UPDATE isolations SET link_hash = NULL WHERE id = $1", "i", id) < 0 ||
	    isolation_event(c, id, clock_now(), r->who.user_id, "link_revoked", NULL, NULL))
		return ERR_DB;
	req_audit_record(r, "isolation", id);
	r->status = 204;
	return 0;
}

/* The order a self-report token opens, or 401 saying why not: a token
 * that is not one of ours, revoked, expired, or for an order no longer
 * active. */
static int self_order(struct req *r, struct dbc *c, int64_t *id)
{
	const char *t = req_header(r, "X-Self-Report-Token");
	if (!t || !*t)
		return err_set(&r->err, ERR_AUTH, "token", "this self-report link is not valid");
	char *end = NULL;
	long long n = strtoll(t, &end, 10);
	if (n <= 0 || !end || *end != '.' || strlen(end + 1) != 32)
		return err_set(&r->err, ERR_AUTH, "token", "this self-report link is not valid");
	struct dbq *q = db_query(c,
				 "SELECT link_hash, link_expires_at, status FROM isolations WHERE id = $1",
				 "i", (int64_t)n);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	int ok = 0, revoked = 0, expired = 0, closed = 0;
	if (rc == 1) {
		const char *secret = db_text(q, 0);
		if (secret && strlen(secret) == 32 && sodium_memcmp(secret, end + 1, 32) == 0)
			ok = 1;
		else if (!secret && !db_null(q, 1))
			revoked = 1;
		expired = !db_null(q, 1) && clock_now() >= db_int(q, 1);
		closed = strcmp(db_text(q, 2), "active") != 0;
	}
	db_done(q);
	if (rc < 0)
		return rc;
	if (closed && (ok || revoked))
		return err_set(&r->err, ERR_AUTH, "token",
			       "this isolation has ended: the link no longer works");
	if (revoked)
		return err_set(&r->err, ERR_AUTH, "token", "this self-report link was revoked");
	if (!ok)
		return err_set(&r->err, ERR_AUTH, "token", "this self-report link is not valid");
	if (expired)
		return err_set(&r->err, ERR_AUTH, "token", "this self-report link has expired");
	*id = n;
	return 0;
}

static int self_get(struct req *r)
{
	r->no_audit = 1;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	int64_t id = 0;
	int rc = self_order(r, c, &id);
	if (rc)
		return rc;
	char today[DAY_LEN];
	clock_day(clock_now(), today);
	struct dbq *q = db_query(
		c,
		"SELECT p.name, i.kind, i.start_day, i.planned_end_day, s.name, rm.number,"
		" COALESCE(cd.morning, 0), COALESCE(cd.evening, 0), i.link_expires_at"
		" FROM isolations i JOIN persons p ON p.id = i.person_id"
		" LEFT JOIN isolation_sites s ON s.id = i.site_id"
		" LEFT JOIN isolation_rooms rm ON rm.id = i.room_id"
		" LEFT JOIN check_days cd ON cd.isolation_id = i.id AND cd.day = $2 WHERE i.id = $1",
		"it", id, today);
	if (!q)
		return ERR_DB;
	json_t *o = NULL;
	if (db_step(q) == 1) {
		char masked[200];
		gates_mask_name(db_text(q, 0), masked, sizeof masked);
		o = json_pack("{s:s,s:s,s:s,s:s,s:o,s:o,s:s,s:b,s:b,s:I}", "name", masked, "kind",
			      db_text(q, 1), "start_day", db_text(q, 2), "planned_end_day",
			      db_text(q, 3), "site_name", jx_text_or_null(db_text(q, 4)),
			      "room_number", jx_text_or_null(db_text(q, 5)), "today", today,
			      "morning_done", (int)db_int(q, 6), "evening_done", (int)db_int(q, 7),
			      "expires_at", (json_int_t)db_int(q, 8));
	}
	db_done(q);
	if (!o)
		return ERR_DB;
	json_t *carers = json_array(), *reqs = json_array();
	q = db_query(c,
		     "SELECT ic.role, us.name, us.phone FROM isolation_carers ic"
		     " JOIN users us ON us.id = ic.user_id WHERE ic.isolation_id = $1",
		     "i", id);
	while (q && db_step(q) == 1)
		json_array_append_new(carers, json_pack("{s:s,s:s,s:o}", "role", db_text(q, 0), "name",
						       db_text(q, 1), "phone",
						       jx_text_or_null(db_text(q, 2))));
	db_done(q);
	q = db_query(c,
		     "SELECT kind, status, created_at FROM service_requests WHERE isolation_id = $1"
		     " AND status <> 'done' ORDER BY id",
		     "i", id);
	while (q && db_step(q) == 1)
		json_array_append_new(reqs, json_pack("{s:s,s:s,s:I}", "kind", db_text(q, 0), "status",
						     db_text(q, 1), "created_at",
						     (json_int_t)db_int(q, 2)));
	db_done(q);
	json_object_set_new(o, "carers", carers);
	json_object_set_new(o, "open_requests", reqs);
	return resp_json(r, 200, o);
}

static int self_post(struct req *r)
{
	int temp = 0;
	const char *symptoms = "", *client = NULL, *service = NULL, *note = NULL;
	int rc = req_json(r);
	if (!rc)
		rc = read_check(r, &temp, &symptoms, 0);
	if (!rc)
		rc = jx_str(r, r->json, "client_id", 0, 64, &client, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "service", 0, 20, &service, NULL);
	if (!rc && service && *service && !carers_kind_valid(service))
		rc = err_set(&r->err, ERR_INVALID, "service",
			     "must be health, psychological, shopping or meals");
	if (!rc)
		rc = jx_str(r, r->json, "note", 0, 200, &note, NULL);
	if (!rc && !temp && (!service || !*service))
		rc = err_set(&r->err, ERR_INVALID, "temperature", "is required");
	if (!rc && !temp && *symptoms)
		rc = err_set(&r->err, ERR_INVALID, "temperature",
			     "is required with symptoms");
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	int64_t id = 0;
	if ((rc = self_order(r, c, &id)))
		return rc;
	json_t *o = json_object();
	if (temp) {
		struct check_in in = {.isolation_id = id,
				      .temp = temp,
				      .symptoms = symptoms,
				      .by_kind = "self",
				      .client_id = client && *client ? client : NULL};
		struct check_out out;
		if ((rc = monitor_check_add(c, &in, &out, &r->err))) {
			json_decref(o);
			return rc;
		}
		json_t *ck = check_json(c, out.id, out.alert_id);
		json_object_set_new(o, "check", ck ? ck : json_null());
	}
	if (service && *service) {
		char cid[80];
		snprintf(cid, sizeof cid, "%s", client ? client : "");
		struct request_in in = {.isolation_id = id,
					.kind = service,
					.note = note,
					.by_self = 1,
					.client_id = client && *client ? cid : NULL};
		int64_t rid = 0;
		if ((rc = carers_request_add(c, &in, &rid, &r->err))) {
			json_decref(o);
			return rc;
		}
		json_object_set_new(o, "request_id", json_integer(rid));
	}
	req_audit_record(r, "isolation", id);
	r->audit_detail = "self-report";
	return resp_json(r, 201, o);
}

/* ---------- the colour's facts ---------- */

int isolation_colour_facts(struct dbc *c, int64_t person_id, const char *today,
			   struct isolation_facts *f)
{
	memset(f, 0, sizeof *f);
	struct dbq *q = db_query(
		c,
		"SELECT i.id, i.reason, i.kind, i.created_at,"
		" (SELECT morning + 2 * evening FROM check_days WHERE isolation_id = i.id AND day = $2),"
		" EXISTS (SELECT 1 FROM health_alerts WHERE person_id = $1 AND kind = 'fever'"
		"   AND status <> 'closed')"
		" FROM isolations i WHERE i.person_id = $1 AND i.status = 'active'",
		"it", person_id, today);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	int64_t created = 0;
	int done = 0;
	if (rc == 1) {
		snprintf(f->reason, sizeof f->reason, "%s", db_text(q, 1));
		snprintf(f->kind, sizeof f->kind, "%s", db_text(q, 2));
		created = db_int(q, 3);
		done = db_null(q, 4) ? 0 : (int)db_int(q, 4);
		f->fever_alert = db_int(q, 5) != 0;
	}
	db_done(q);
	if (rc < 0)
		return rc;
	if (rc == 0) {
		/* No active order: an open fever alert of a closed one still counts. */
		rc = db_one_int(c, NULL,
				"SELECT 1 FROM health_alerts WHERE person_id = $1 AND kind = 'fever'"
				" AND status <> 'closed'",
				"i", person_id);
		f->fever_alert = rc == 1;
		return rc < 0 ? rc : 0;
	}
	/* Missed: today's windows that have closed by now (a past day: all). */
	struct check_windows w;
	monitor_windows(c, &w);
	int64_t now = clock_now();
	char now_day[DAY_LEN];
	clock_day(now, now_day);
	int cmp = strcmp(today, now_day);
	if (cmp > 0)
		return 0;
	int hour = cmp < 0 ? 24 : local_hour(now);
	int64_t start = day_start(today);
	int since = created < start ? -1 : (int)((created - start) / 3600);
	f->missed = monitor_missed(hour, done & 1, done & 2, since, &w) != 0;
	return 0;
}

/* ---------- the printable notice ---------- */

static void html_esc(struct buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '&': buf_puts(b, "&amp;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		default: buf_append(b, s, 1);
		}
	}
}

static int notice(struct req *r)
{
	int64_t id = 0;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if ((rc = isolation_load(r, c, id, 0, NULL, NULL, NULL)))
		return rc;
	struct dbq *q = db_query(
		c,
		"SELECT p.name, i.kind, i.last_exposure_day, i.start_day, i.planned_end_day, s.name,"
		" rm.number, u.name, i.link_hash, i.status, s.address FROM isolations i"
		" JOIN persons p ON p.id = i.person_id JOIN units u ON u.id = i.unit_id"
		" LEFT JOIN isolation_sites s ON s.id = i.site_id"
		" LEFT JOIN isolation_rooms rm ON rm.id = i.room_id WHERE i.id = $1",
		"i", id);
	if (!q)
		return ERR_DB;
	struct buf b = {0};
	if (db_step(q) != 1) {
		db_done(q);
		return ERR_DB;
	}
	const char *kind = db_text(q, 1);
	const char *kind_zh = !strcmp(kind, "centralized") ? "集中隔离医学观察"
			      : !strcmp(kind, "home")      ? "居家隔离医学观察"
							   : "定点医院隔离治疗观察";
	buf_puts(&b, "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
		     "<title>隔离医学观察告知书</title><style>@page{size:A4;margin:18mm}"
		     "body{font-family:'Noto Sans CJK SC','Noto Serif CJK SC',serif;font-size:12pt;"
		     "line-height:1.7;max-width:180mm;margin:auto}h1{text-align:center;font-size:20pt}"
		     "table{border-collapse:collapse;width:100%}td,th{border:1px solid #000;"
		     "padding:4px 8px;text-align:left}.qr{float:right;text-align:center;"
		     "font-size:9pt;margin-left:12px}.sign{margin-top:24px}</style></head><body>");
	buf_puts(&b, "<h1>隔离医学观察告知书</h1>");
	const char *secret = db_text(q, 8);
	if (secret && !strcmp(db_text(q, 9), "active")) {
		char url[160];
		const char *host = req_header(r, "Host");
		snprintf(url, sizeof url, "http://%s/self-report.html#%lld.%s", host ? host : "",
			 (long long)id, secret);
		char *svg = passes_qr_svg(url, 3);
		if (svg) {
			buf_puts(&b, "<div class=\"qr\">");
			buf_puts(&b, svg);
			buf_puts(&b, "<br>扫码每日自主上报体温</div>");
			free(svg);
		}
	}
	buf_puts(&b, "<p><b>");
	html_esc(&b, db_text(q, 0));
	buf_puts(&b, "</b>：</p><p>根据疫情防控有关规定，您需接受");
	buf_puts(&b, kind_zh);
	buf_puts(&b, "。</p><table><tr><th>隔离地点</th><td>");
	if (db_text(q, 5)) {
		html_esc(&b, db_text(q, 5));
		if (db_text(q, 6)) {
			buf_puts(&b, " ");
			html_esc(&b, db_text(q, 6));
			buf_puts(&b, " 房间");
		}
		if (db_text(q, 10)) {
			buf_puts(&b, "（");
			html_esc(&b, db_text(q, 10));
			buf_puts(&b, "）");
		}
	} else {
		buf_puts(&b, "居住地（");
		html_esc(&b, db_text(q, 7));
		buf_puts(&b, "）");
	}
	buf_printf(&b,
		   "</td></tr><tr><th>末次暴露日期</th><td>%s</td></tr>"
		   "<tr><th>隔离开始日期</th><td>%s</td></tr>"
		   "<tr><th>计划解除日期</th><td>%s</td></tr></table>",
		   db_text(q, 2), db_text(q, 3), db_text(q, 4));
	db_done(q);
	buf_puts(&b, "<h2>须知</h2><ol><li>观察期内不外出、不接待访客，与同住人员保持距离，单独居住、"
		     "单独用餐。</li><li>每日早晚各测量一次腋下体温，如实上报；体温≥37.3℃或出现咳嗽、"
		     "乏力、气促、咽痛、腹泻、嗅（味）觉减退等症状，立即报告，由120转运至定点医院，"
		     "不得自行就医。</li><li>生活物资、心理疏导、健康监测、送餐等需求，请联系下列包保"
		     "人员。</li><li>观察期满且无发热及症状，经评估后解除隔离，出入证恢复绿色。</li>"
		     "</ol><h2>“4包1”包保人员</h2><table><tr><th>职责</th><th>姓名</th><th>电话</th>"
		     "</tr>");
	static const char *const roles_zh[ISOLATION_CARERS] = {"领导干部", "党员", "医务人员",
							       "社区干部"};
	for (int i = 0; i < ISOLATION_CARERS; i++) {
		q = db_query(c,
			     "SELECT us.name, us.phone FROM isolation_carers ic"
			     " JOIN users us ON us.id = ic.user_id"
			     " WHERE ic.isolation_id = $1 AND ic.role = $2",
			     "it", id, isolation_carer_roles[i]);
		buf_printf(&b, "<tr><td>%s</td><td>", roles_zh[i]);
		if (q && db_step(q) == 1) {
			html_esc(&b, db_text(q, 0));
			buf_puts(&b, "</td><td>");
			html_esc(&b, db_text(q, 1) ? db_text(q, 1) : "");
		} else {
			buf_puts(&b, "（待安排）</td><td>");
		}
		db_done(q);
		buf_puts(&b, "</td></tr>");
	}
	char today[DAY_LEN];
	clock_day(clock_now(), today);
	buf_printf(&b,
		   "</table><p class=\"sign\">被告知人签字：__________　　告知人签字：__________"
		   "　　%s</p></body></html>",
		   today);
	if (b.oom) {
		buf_free(&b);
		return ERR_NOMEM;
	}
	size_t len = 0;
	char *body = buf_take(&b, &len);
	return resp_raw(r, 200, "text/html; charset=utf-8", body, len);
}

/* ---------- the person card ---------- */

json_t *isolation_person_card(struct dbc *c, int64_t person_id)
{
	json_t *orders = json_array();
	json_t *active = json_null();
	struct dbq *q = db_query(
		c,
		"SELECT i.id, i.kind, i.reason, i.status, i.last_exposure_day, i.start_day,"
		" i.planned_end_day, i.end_day, s.name, rm.number, i.outcome FROM isolations i"
		" LEFT JOIN isolation_sites s ON s.id = i.site_id"
		" LEFT JOIN isolation_rooms rm ON rm.id = i.room_id"
		" WHERE i.person_id = $1 ORDER BY i.id DESC LIMIT 50",
		"i", person_id);
	while (q && db_step(q) == 1) {
		json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o}", "id",
				      (json_int_t)db_int(q, 0), "kind", db_text(q, 1), "reason",
				      db_text(q, 2), "status", db_text(q, 3), "last_exposure_day",
				      db_text(q, 4), "start_day", db_text(q, 5), "planned_end_day",
				      db_text(q, 6), "end_day", jx_text_or_null(db_text(q, 7)),
				      "site_name", jx_text_or_null(db_text(q, 8)), "room_number",
				      jx_text_or_null(db_text(q, 9)), "outcome",
				      jx_text_or_null(db_text(q, 10)));
		if (!strcmp(db_text(q, 3), "active") && json_is_null(active))
			active = json_incref(o);
		json_array_append_new(orders, o);
	}
	db_done(q);
	char today[DAY_LEN], why[128];
	clock_day(clock_now(), today);
	struct colour_facts f;
	const char *colour = "green";
	if (passes_facts(c, person_id, today, (int)settings_int(c, "observation_days"), &f) == 0)
		colour = passes_colour(&f, why, sizeof why);
	else
		snprintf(why, sizeof why, "unknown");
	int64_t open_alerts = 0;
	db_one_int(c, &open_alerts,
		   "SELECT COUNT(*) FROM health_alerts WHERE person_id = $1 AND status <> 'closed'",
		   "i", person_id);
	return json_pack("{s:o,s:o,s:s,s:s,s:I}", "active", active, "orders", orders, "colour",
			 colour, "colour_reason", why, "open_alerts", (json_int_t)open_alerts);
}
