/* Door-to-door screening (走访摸排, DOMAIN.md §7): a round over a scope unit;
 * 一托三 teams (one police officer leading a legal cadre, a community cadre
 * and a grid worker) per community or village, given compounds; visits to
 * households that create or update the persons found (through
 * people_upsert) with their arrivals; the re-check queue of empty homes; and
 * live coverage per unit. Coverage is never aggregated from visits: each
 * visit adjusts round_households (the household's state in the round),
 * round_persons (persons found, once) and the round_coverage counters of
 * the household's unit and every unit above it, so coverage by town,
 * community and compound is a handful of primary-key reads against
 * unit_households (the denominator, kept by the registry's writes).
 *
 * A round belongs to its unit and is visible to everyone whose scope lies
 * inside that unit or contains it (a grid worker records visits in the
 * district's round); its totals are those of the round's unit, or of the
 * caller's scope unit when the round is wider than the caller's scope. */
#include "screening.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/clock.h"
#include "../http/scope.h"
#include "areas.h"

static int list_rounds(struct req *r);
static int create_round(struct req *r);
static int get_round(struct req *r);
static int list_teams(struct req *r);
static int create_team(struct req *r);
static int create_visit(struct req *r);
static int list_visits(struct req *r);
static int get_coverage(struct req *r);
static int list_rechecks(struct req *r);
static int confirm_empty(struct req *r);

static const struct route routes[] = {
	{"GET", "/api/v1/rounds", list_rounds, P_SCREENING_READ, 0, 0,
	 "screening rounds visible in scope, with their totals"},
	{"POST", "/api/v1/rounds", create_round, P_SCREENING_WRITE, 0, 0,
	 "start a screening round over a unit"},
	{"GET", "/api/v1/rounds/{id}", get_round, P_SCREENING_READ, 0, 0,
	 "one round with its totals"},
	{"GET", "/api/v1/rounds/{id}/teams", list_teams, P_SCREENING_READ, 0, 0,
	 "the round's 一托三 teams"},
	{"POST", "/api/v1/rounds/{id}/teams", create_team, P_SCREENING_WRITE, 0, 0,
	 "form a 一托三 team and give it compounds"},
	{"POST", "/api/v1/visits", create_visit, P_SCREENING_WRITE, 0, ROUTE_IDEMPOTENT,
	 "record a visit to a household with the persons found (retry-safe by client_id)"},
	{"GET", "/api/v1/visits", list_visits, P_SCREENING_READ, 0, 0, "visits in scope"},
	{"GET", "/api/v1/rounds/{id}/coverage", get_coverage, P_SCREENING_READ, 0, 0,
	 "coverage of a unit and its direct children in a round"},
	{"GET", "/api/v1/rounds/{id}/rechecks", list_rechecks, P_SCREENING_READ, 0, 0,
	 "empty homes waiting for a re-check"},
	{"POST", "/api/v1/households/{id}/confirm-empty", confirm_empty, P_SCREENING_WRITE, 0,
	 ROUTE_IDEMPOTENT, "a re-check found nobody: the home leaves the queue"},
};
ROUTE_TABLE(screening_routes, routes);

/* A round or team owned by the unit in `col` is visible when that unit is
 * the caller's scope unit, one of its ancestors, or lies inside the scope.
 * Bind the caller's scope unit at $n. */
#define VISIBLE_SQL(col, n)                                                       \
	"(" col " IN (SELECT ancestor_id FROM unit_tree WHERE unit_id = $" n ") OR " \
	SCOPE_SQL(col, n) ")"

#define MAX_PERSONS 100 /* persons found on one visit */

/* ---------- pure rules ---------- */

static int in_list(const char *s, const char *const *list, size_t n)
{
	if (!s)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return 1;
	return 0;
}
#define IN(s, ...) in_list((s), (const char *const[]){__VA_ARGS__}, \
			   sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *))

int screening_method_valid(const char *m) { return IN(m, "door", "phone", "app"); }

int screening_result_valid(const char *r)
{
	return IN(r, "visited", "empty", "refused", "moved");
}

int screening_round_kind_ok(const char *k)
{
	return IN(k, "district", "town", "subdistrict", "village", "community");
}

int screening_team_kind_ok(const char *k) { return IN(k, "community", "village"); }

int screening_result_has_persons(const char *r) { return IN(r, "visited", "refused"); }

const char *screening_household_status(const char *result)
{
	if (IN(result, "visited", "refused"))
		return "occupied";
	if (IN(result, "empty", "moved"))
		return "empty";
	return NULL;
}

int screening_transition(const struct round_hh *prev, const char *result, int64_t at,
			 int empty_confirmed, struct visit_effect *out)
{
	memset(out, 0, sizeof *out);
	if (!screening_result_valid(result))
		return -1;
	int queued = strcmp(result, "empty") == 0 && !empty_confirmed;
	int found = strcmp(result, "visited") == 0;
	if (!prev || !prev->known) {
		out->households_visited = found;
		out->newest = 1;
		out->pending_empty = queued;
		out->empties_pending = queued;
		return 0;
	}
	int was = prev->pending_empty ? 1 : 0;
	out->households_visited = found && !prev->visited;
	if (at < prev->last_at) {
		/* A late arrival of an older visit: counted, but the household's
		 * latest result stays what it is. */
		out->pending_empty = was;
		return 0;
	}
	out->newest = 1;
	out->pending_empty = queued;
	out->empties_pending = queued - was;
	return 0;
}

double screening_rate(int64_t visited, int64_t households)
{
	if (households <= 0 || visited <= 0)
		return 0.0;
	/* Basis points rounded half up, so the rate prints as 0.9823. */
	int64_t bp = (visited * 20000 / households + 1) / 2;
	return (double)bp / 10000.0;
}

/* ---------- helpers ---------- */

/* Runs an INSERT ... RETURNING id; 0 with *id, or an error. */
static int insert_returning(struct dbq *q, int64_t *id)
{
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	if (rc == 1)
		*id = db_int(q, 0);
	db_done(q);
	return rc == 1 ? 0 : rc < 0 ? rc : ERR_DB;
}

/* Rewrites ei's field as "<prefix>.<field>" (or "<prefix>" when none):
 * "persons[1].doc_number". Returns rc. */
static int prefix_field(struct err_info *ei, const char *prefix, int rc)
{
	char f[192];
	const char *inner = ei->field;
	if (strcmp(inner, "origin") == 0)
		inner = "origin_code"; /* people_add_arrival's name for it */
	if (*inner)
		snprintf(f, sizeof f, "%s.%s", prefix, inner);
	else
		snprintf(f, sizeof f, "%s", prefix);
	size_t n = strlen(f);
	if (n >= sizeof ei->field)
		n = sizeof ei->field - 1;
	memcpy(ei->field, f, n);
	ei->field[n] = 0;
	return rc;
}

/* The round's unit when the caller can see the round (its unit lies in the
 * caller's scope or above it): 1 found, 0 not, <0 error. */
static int round_unit(struct req *r, struct dbc *c, int64_t round_id, int64_t *unit)
{
	static const char sql[] =
		"SELECT unit_id FROM screening_rounds WHERE id = $1 AND " VISIBLE_SQL("unit_id", "2");
	return db_one_int(c, unit, sql, "ii", round_id, r->who.scope_unit_id);
}

/* The unit whose totals a caller sees for a round over round_unit: that
 * unit when it lies in the caller's scope, else the caller's scope unit
 * (inside the round's unit). */
static int totals_unit(struct req *r, struct dbc *c, int64_t round_unit_id, int64_t *out)
{
	int rc = scope_contains(c, r->who.scope_unit_id, round_unit_id);
	if (rc < 0)
		return rc;
	*out = rc ? round_unit_id : r->who.scope_unit_id;
	return 0;
}

/* Adds deltas to the round's counters of unit_id and every unit above it.
 * Rows are touched in id order so concurrent writers on PostgreSQL take
 * their locks in one order. */
static int coverage_add(struct dbc *c, int64_t round_id, int64_t unit_id, int64_t households,
			int64_t persons, int64_t empties)
{
	static const char sql[] =
		"INSERT INTO round_coverage(round_id, unit_id, households_visited, persons,"
		" empties_pending)"
		" SELECT $1, ancestor_id, $3, $4, $5 FROM unit_tree WHERE unit_id = $2"
		" ORDER BY ancestor_id"
		" ON CONFLICT (round_id, unit_id) DO UPDATE SET"
		" households_visited = round_coverage.households_visited + excluded.households_visited,"
		" persons = round_coverage.persons + excluded.persons,"
		" empties_pending = round_coverage.empties_pending + excluded.empties_pending";
	if (!households && !persons && !empties)
		return 0;
	int64_t n = db_run(c, sql, "iiiii", round_id, unit_id, households, persons, empties);
	return n < 0 ? (int)n : 0;
}

/* Adds households and persons to the round's day counters (round_days) of
 * the local day of instant at, for unit_id and every unit above it: the
 * bulletin's figures as of a day are these summed up to it. Rows in id
 * order, as coverage_add. */
static int round_days_add(struct dbc *c, int64_t round_id, int64_t unit_id, int64_t at,
			  int64_t households, int64_t persons)
{
	static const char sql[] =
		"INSERT INTO round_days(round_id, unit_id, day, households, persons)"
		" SELECT $1, ancestor_id, $3, $4, $5 FROM unit_tree WHERE unit_id = $2"
		" ORDER BY ancestor_id"
		" ON CONFLICT (round_id, unit_id, day) DO UPDATE SET"
		" households = round_days.households + excluded.households,"
		" persons = round_days.persons + excluded.persons";
	if (!households && !persons)
		return 0;
	char day[DAY_LEN];
	clock_day(at, day);
	int64_t n = db_run(c, sql, "iitii", round_id, unit_id, day, households, persons);
	return n < 0 ? (int)n : 0;
}

/* A first finding moved from instant was (0: none) to instant now (0:
 * none): one less on was's day, one more on now's, when the days differ. */
static int round_days_move(struct dbc *c, int64_t round_id, int64_t unit_id, int64_t was,
			   int64_t now, int household)
{
	char a[DAY_LEN] = "", b[DAY_LEN] = "";
	if (was)
		clock_day(was, a);
	if (now)
		clock_day(now, b);
	if (!strcmp(a, b))
		return 0;
	int rc = 0;
	if (was)
		rc = round_days_add(c, round_id, unit_id, was, household ? -1 : 0, household ? 0 : -1);
	if (!rc && now)
		rc = round_days_add(c, round_id, unit_id, now, household ? 1 : 0, household ? 0 : 1);
	return rc;
}

int screening_days_unmerge(struct dbc *c, int64_t person_id, int64_t survivor_id)
{
	/* The rounds that found both records keep the survivor's row: the
	 * other's first finding leaves the day counters where it was. */
	static const char sql[] =
		"SELECT rp.round_id, rp.unit_id, rp.found_at FROM round_persons rp"
		" WHERE rp.person_id = $1 AND rp.found_at IS NOT NULL AND EXISTS (SELECT 1"
		" FROM round_persons r2 WHERE r2.round_id = rp.round_id AND r2.person_id = $2)"
		" ORDER BY rp.round_id";
	struct dbq *q = db_query(c, sql, "ii", person_id, survivor_id);
	if (!q)
		return ERR_DB;
	int64_t(*row)[3] = NULL;
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = db_step(q)) == 1) {
		if (n == cap) {
			void *grown = realloc(row, (cap = cap ? 2 * cap : 8) * sizeof *row);
			if (!grown) {
				rc = ERR_NOMEM;
				break;
			}
			row = grown;
		}
		row[n][0] = db_int(q, 0);
		row[n][1] = db_int(q, 1);
		row[n][2] = db_int(q, 2);
		n++;
	}
	db_done(q);
	for (size_t i = 0; rc >= 0 && i < n; i++)
		rc = round_days_add(c, row[i][0], row[i][1], row[i][2], 0, -1);
	free(row);
	return rc < 0 ? rc : 0;
}

int screening_days_rebuild(struct dbc *c)
{
	/* The local day of an instant in SQL, once over every row: SQLite's
	 * 'localtime' is the process's zone (clock_set_tz sets TZ), as
	 * clock_day's; PostgreSQL takes the zone by name. */
#define ROUND_DAYS_FILL(DAY_H, DAY_P)                                                        \
	"INSERT INTO round_days(round_id, unit_id, day, households, persons)"                \
	" SELECT x.round_id, t.ancestor_id, x.day, SUM(x.h), SUM(x.p) FROM ("                \
	"  SELECT round_id, unit_id, " DAY_H " AS day, COUNT(*) AS h, 0 AS p"                  \
	"  FROM round_households WHERE visited_at IS NOT NULL GROUP BY 1, 2, 3"                 \
	"  UNION ALL SELECT round_id, unit_id, " DAY_P ", 0, COUNT(*)"                          \
	"  FROM round_persons WHERE found_at IS NOT NULL GROUP BY 1, 2, 3"                     \
	" ) x JOIN unit_tree t ON t.unit_id = x.unit_id GROUP BY x.round_id, t.ancestor_id, x.day"
	static const char sqlite_sql[] =
		ROUND_DAYS_FILL("date(visited_at, 'unixepoch', 'localtime')",
				"date(found_at, 'unixepoch', 'localtime')");
	static const char pg_sql[] =
		ROUND_DAYS_FILL("to_char(to_timestamp(visited_at) AT TIME ZONE $1, 'YYYY-MM-DD')",
				"to_char(to_timestamp(found_at) AT TIME ZONE $1, 'YYYY-MM-DD')");
#undef ROUND_DAYS_FILL
	if (db_run(c, "DELETE FROM round_days", "") < 0)
		return ERR_DB;
	int64_t n = strcmp(db_backend(c), "postgresql") == 0
			    ? db_run(c, pg_sql, "t", clock_tz())
			    : db_run(c, sqlite_sql, "");
	return n < 0 ? (int)n : 0;
}

/* ---------- rounds ---------- */

/* The round's columns followed by its totals for the unit computed per row
 * (tu). Bind the caller's scope unit at $1. */
#define ROUND_SELECT                                                                   \
	"SELECT x.id, x.name, x.unit_id, u.name, x.start_date, x.end_date, x.created_at,"  \
	" x.tu, COALESCE(rc.households_visited, 0), COALESCE(uh.households, 0),"          \
	" COALESCE(rc.persons, 0), COALESCE(rc.empties_pending, 0),"                      \
	" (SELECT COUNT(*) FROM screening_teams t WHERE t.round_id = x.id)"                \
	" FROM (SELECT r.id, r.name, r.unit_id, r.start_date, r.end_date, r.created_at,"   \
	" CASE WHEN r.unit_id IN (SELECT unit_id FROM unit_tree WHERE ancestor_id = $1)"   \
	" THEN r.unit_id ELSE $1 END AS tu FROM screening_rounds r"
#define ROUND_JOIN                                                                     \
	") x JOIN units u ON u.id = x.unit_id"                                           \
	" LEFT JOIN round_coverage rc ON rc.round_id = x.id AND rc.unit_id = x.tu"        \
	" LEFT JOIN unit_households uh ON uh.unit_id = x.tu"

static json_t *round_row(struct dbq *q)
{
	int64_t visited = db_int(q, 8), households = db_int(q, 9);
	return json_pack("{s:I,s:s,s:I,s:s,s:s,s:o,s:I,s:I,s:I,s:I,s:f,s:I,s:I,s:I}", "id",
			 (json_int_t)db_int(q, 0), "name", db_text(q, 1), "unit_id",
			 (json_int_t)db_int(q, 2), "unit_name", db_text(q, 3), "start_date",
			 db_text(q, 4), "end_date", jx_text_or_null(db_text(q, 5)), "created_at",
			 (json_int_t)db_int(q, 6), "totals_unit_id", (json_int_t)db_int(q, 7),
			 "households_visited", (json_int_t)visited, "households",
			 (json_int_t)households, "rate", screening_rate(visited, households),
			 "persons", (json_int_t)db_int(q, 10), "empties_pending",
			 (json_int_t)db_int(q, 11), "teams", (json_int_t)db_int(q, 12));
}

static int respond_round(struct req *r, struct dbc *c, int64_t id, int status)
{
	static const char sql[] = ROUND_SELECT " WHERE r.id = $2" ROUND_JOIN;
	int rc;
	json_t *o = query_row(db_query(c, sql, "ii", r->who.scope_unit_id, id), round_row, &rc);
	if (!o)
		return rc < 0 ? rc : err_set(&r->err, ERR_NOT_FOUND, "", "no such round");
	return resp_json(r, status, o);
}

static const struct list_col round_export[] = {
	{"id", "编号"},
	{"name", "轮次"},
	{"unit_name", "范围"},
	{"start_date", "开始日期"},
	{"end_date", "结束日期"},
	{"households", "户数"},
	{"households_visited", "已走访户数"},
	{"rate", "覆盖率"},
	{"persons", "摸排人数"},
	{"empties_pending", "待复查空户"},
	{"teams", "工作组数"},
	{0, 0},
};

static int list_rounds(struct req *r)
{
	static const char sql[] =
		ROUND_SELECT " WHERE " VISIBLE_SQL("r.unit_id", "1") " AND r.id > $2"
		" ORDER BY r.id LIMIT $3" ROUND_JOIN " ORDER BY x.id";
	struct page pg;
	int rc = req_page(r, &pg);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	struct dbq *q = db_query(c, sql, "iii", r->who.scope_unit_id, pg.after, pg.limit + 1);
	return resp_query_list(r, &pg, q, round_row, round_export, "rounds");
}

static int get_round(struct req *r)
{
	int64_t id = 0, unit = 0;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	rc = round_unit(r, c, id, &unit);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_NOT_FOUND, "", "no such round");
	return respond_round(r, c, id, 200);
}

/* Reads a unit's kind into kind[32]: 1 found, 0 not, <0 error. */
static int unit_kind(struct dbc *c, int64_t id, char kind[32])
{
	struct dbq *q = db_query(c, "SELECT kind FROM units WHERE id = $1", "i", id);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	if (rc == 1)
		snprintf(kind, 32, "%s", db_text(q, 0));
	db_done(q);
	return rc;
}

static int create_round(struct req *r)
{
	static const char dup_sql[] =
		"SELECT id FROM screening_rounds WHERE unit_id = $1 AND name = $2";
	static const char sql[] =
		"INSERT INTO screening_rounds(unit_id, name, start_date, end_date, created_at)"
		" VALUES ($1, $2, $3, $4, $5) RETURNING id";
	const char *name = NULL, *start = NULL, *end = NULL;
	int64_t unit = r->who.scope_unit_id;
	int rc = req_json(r);
	if (!rc)
		rc = jx_str(r, r->json, "name", 1, 64, &name, NULL);
	if (!rc)
		rc = jx_id(r, r->json, "unit_id", 0, 0, &unit, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "start_date", 1, 10, &start, NULL);
	if (!rc && day_valid(start))
		rc = err_set(&r->err, ERR_INVALID, "start_date", "must be a date YYYY-MM-DD");
	if (!rc)
		rc = jx_str(r, r->json, "end_date", 0, 10, &end, NULL);
	if (!rc && end && *end && day_valid(end))
		rc = err_set(&r->err, ERR_INVALID, "end_date", "must be a date YYYY-MM-DD");
	if (!rc && end && *end && strcmp(end, start) < 0)
		rc = err_set(&r->err, ERR_INVALID, "end_date", "is before start_date %s", start);
	if (rc)
		return rc;
	if (end && !*end)
		end = NULL;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	char kind[32];
	rc = unit_kind(c, unit, kind);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_INVALID, "unit_id", "no such unit");
	if ((rc = scope_check(r, unit, 1, "unit")))
		return rc;
	if (!screening_round_kind_ok(kind))
		return err_set(&r->err, ERR_INVALID, "unit_id",
			       "a round covers a district, town, sub-district, village or community, not a %s",
			       kind);
	int64_t other = 0;
	rc = db_one_int(c, &other, dup_sql, "it", unit, name);
	if (rc < 0)
		return rc;
	if (rc == 1)
		return err_set(&r->err, ERR_CONFLICT, "name",
			       "this unit already has a round named %s (round %lld)", name,
			       (long long)other);
	int64_t id = 0;
	if ((rc = insert_returning(db_query(c, sql, "ittti", unit, name, start, end,
					    clock_now()),
				   &id)))
		return rc;
	req_audit_record(r, "round", id);
	return respond_round(r, c, id, 201);
}

/* ---------- teams ---------- */

#define TEAM_COLS                                                                     \
	"SELECT t.id, t.round_id, t.unit_id, u.name, t.name, t.police_name, t.legal_name,"  \
	" t.cadre_name, t.grid_name, t.grid_user_id, t.created_at,"                        \
	" (SELECT COUNT(*) FROM team_compounds tc WHERE tc.team_id = t.id)"                \
	" FROM screening_teams t JOIN units u ON u.id = t.unit_id"

static json_t *team_row(struct dbq *q)
{
	return json_pack("{s:I,s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:I,s:I}", "id",
			 (json_int_t)db_int(q, 0), "round_id", (json_int_t)db_int(q, 1),
			 "unit_id", (json_int_t)db_int(q, 2), "unit_name", db_text(q, 3), "name",
			 db_text(q, 4), "police_name", db_text(q, 5), "legal_name", db_text(q, 6),
			 "cadre_name", db_text(q, 7), "grid_name", db_text(q, 8), "grid_user_id",
			 jx_col_int(q, 9), "created_at", (json_int_t)db_int(q, 10), "compounds",
			 (json_int_t)db_int(q, 11));
}

/* Adds "compound_ids" and "compound_names" (for exports) to a team. */
static int team_add_compounds(struct dbc *c, json_t *team)
{
	static const char sql[] =
		"SELECT u.id, u.name FROM team_compounds tc JOIN units u ON u.id = tc.unit_id"
		" WHERE tc.team_id = $1 ORDER BY u.id";
	int64_t id = json_integer_value(json_object_get(team, "id"));
	struct dbq *q = db_query(c, sql, "i", id);
	if (!q)
		return ERR_DB;
	json_t *ids = json_array();
	char names[1024];
	size_t len = 0;
	names[0] = 0;
	int rc;
	while ((rc = db_step(q)) == 1) {
		json_array_append_new(ids, json_integer(db_int(q, 0)));
		int w = snprintf(names + len, sizeof names - len, "%s%s", len ? "、" : "",
				 db_text(q, 1));
		if (w > 0 && (size_t)w < sizeof names - len)
			len += (size_t)w;
		else
			names[len] = 0;
	}
	db_done(q);
	json_object_set_new(team, "compound_ids", ids);
	json_object_set_new(team, "compound_names", json_string(names));
	return rc < 0 ? rc : 0;
}

static const struct list_col team_export[] = {
	{"id", "编号"},
	{"unit_name", "社区/村"},
	{"name", "工作组"},
	{"police_name", "民警"},
	{"legal_name", "政法干部"},
	{"cadre_name", "社区干部"},
	{"grid_name", "网格员"},
	{"compound_names", "负责小区"},
	{0, 0},
};

/* A list within one round (path {id}): sql takes $1 the round, $2 the
 * caller's scope unit, $3 the ?unit_id= filter (0: none), $4 the cursor and
 * $5 the limit+1. The query, or NULL with *rc the answer (no such round is
 * 404). *cp (when given) gets the connection. */
static struct dbq *round_list_query(struct req *r, const char *sql, struct page *pg,
				    struct dbc **cp, int *rc)
{
	int64_t round = 0, unit = 0, ru = 0;
	*rc = req_param_id(r, "id", &round);
	if (!*rc)
		*rc = req_page(r, pg);
	if (!*rc)
		*rc = req_query_int(r, "unit_id", 1, INT64_MAX, 0, &unit);
	if (*rc)
		return NULL;
	struct dbc *c = req_db(r);
	if (!c) {
		*rc = ERR_DB;
		return NULL;
	}
	if ((*rc = round_unit(r, c, round, &ru)) <= 0) {
		if (!*rc)
			*rc = err_set(&r->err, ERR_NOT_FOUND, "", "no such round");
		return NULL;
	}
	if (cp)
		*cp = c;
	struct dbq *q = db_query(c, sql, "iiiii", round, r->who.scope_unit_id, unit, pg->after,
				 pg->limit + 1);
	*rc = q ? 0 : ERR_DB;
	return q;
}

static int list_teams(struct req *r)
{
	static const char sql[] =
		TEAM_COLS " WHERE t.round_id = $1 AND " VISIBLE_SQL("t.unit_id", "2")
		" AND ($3 = 0 OR t.unit_id = $3) AND t.id > $4 ORDER BY t.id LIMIT $5";
	struct page pg;
	struct dbc *c = NULL;
	int rc;
	struct dbq *q = round_list_query(r, sql, &pg, &c, &rc);
	if (!q)
		return rc;
	json_t *items = json_array();
	int64_t next = 0;
	rc = list_collect(q, &pg, items, team_row, &next);
	for (size_t i = 0; !rc && i < json_array_size(items); i++)
		rc = team_add_compounds(c, json_array_get(items, i));
	if (rc) {
		json_decref(items);
		return rc;
	}
	return resp_list(r, &pg, items, next, team_export, "teams");
}

static int create_team(struct req *r)
{
	static const char compound_sql[] =
		"SELECT u.kind, (SELECT COUNT(*) FROM unit_tree t WHERE t.ancestor_id = $2"
		" AND t.unit_id = u.id) FROM units u WHERE u.id = $1";
	static const char user_sql[] = "SELECT scope_unit_id FROM users WHERE id = $1";
	static const char sql[] =
		"INSERT INTO screening_teams(round_id, unit_id, name, police_name, legal_name,"
		" cadre_name, grid_name, grid_user_id, created_at)"
		" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
	static const char tc_sql[] =
		"INSERT INTO team_compounds(team_id, unit_id) VALUES ($1, $2)"
		" ON CONFLICT (team_id, unit_id) DO NOTHING";
	int64_t round = 0, unit = 0, grid_user = 0, ru = 0;
	const char *name = NULL, *police = NULL, *legal = NULL, *cadre = NULL, *grid = NULL;
	int rc = req_param_id(r, "id", &round);
	if (!rc)
		rc = req_json(r);
	if (!rc)
		rc = jx_id(r, r->json, "unit_id", 1, 0, &unit, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "name", 0, 64, &name, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "police_name", 1, 32, &police, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "legal_name", 1, 32, &legal, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "cadre_name", 1, 32, &cadre, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "grid_name", 1, 32, &grid, NULL);
	if (!rc)
		rc = jx_id(r, r->json, "grid_user_id", 0, 1, &grid_user, NULL);
	if (rc)
		return rc;
	json_t *cids = json_object_get(r->json, "compound_ids");
	if (!cids || json_is_null(cids))
		return err_set(&r->err, ERR_INVALID, "compound_ids", "is required");
	if (!json_is_array(cids) || json_array_size(cids) < 1 || json_array_size(cids) > 200)
		return err_set(&r->err, ERR_INVALID, "compound_ids",
			       "must be a list of 1 to 200 compound ids");
	char field[48];
	for (size_t i = 0; i < json_array_size(cids); i++) {
		json_t *v = json_array_get(cids, i);
		if (!json_is_integer(v) || json_integer_value(v) <= 0) {
			snprintf(field, sizeof field, "compound_ids[%zu]", i);
			return err_set(&r->err, ERR_INVALID, field,
				       "must be a positive whole number (an id)");
		}
	}
	if (!name || !*name)
		name = arena_printf(&r->arena, "%s组", police);
	if (!name)
		return ERR_NOMEM;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if ((rc = round_unit(r, c, round, &ru)) < 0)
		return rc;
	if (rc == 0) {
		/* A write outside the scope is 403, as for every record (scope.h). */
		rc = db_one_int(c, NULL, "SELECT 1 FROM screening_rounds WHERE id = $1", "i", round);
		return rc < 0	? rc
		       : rc == 1 ? err_set(&r->err, ERR_FORBIDDEN, "", "this round is outside your area (scope)")
				 : err_set(&r->err, ERR_NOT_FOUND, "", "no such round");
	}
	char kind[32];
	if ((rc = unit_kind(c, unit, kind)) < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_INVALID, "unit_id", "no such unit");
	if ((rc = scope_check(r, unit, 1, "unit")))
		return rc;
	if (!screening_team_kind_ok(kind))
		return err_set(&r->err, ERR_INVALID, "unit_id",
			       "a 一托三 team belongs to a community or village, not a %s", kind);
	if ((rc = scope_contains(c, ru, unit)) < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_RULE, "unit_id", "this unit is outside the round's area");
	for (size_t i = 0; i < json_array_size(cids); i++) {
		int64_t cid = json_integer_value(json_array_get(cids, i));
		snprintf(field, sizeof field, "compound_ids[%zu]", i);
		struct dbq *q = db_query(c, compound_sql, "ii", cid, unit);
		if (!q)
			return ERR_DB;
		rc = db_step(q);
		int is_compound = rc == 1 && strcmp(db_text(q, 0), "compound") == 0;
		int under = rc == 1 && db_int(q, 1) > 0;
		db_done(q);
		if (rc < 0)
			return rc;
		if (rc == 0)
			return err_set(&r->err, ERR_INVALID, field, "no such compound (unit %lld)",
				       (long long)cid);
		if (!is_compound)
			return err_set(&r->err, ERR_INVALID, field, "unit %lld is not a compound",
				       (long long)cid);
		if (!under)
			return err_set(&r->err, ERR_RULE, field,
				       "compound %lld is not under the team's %s", (long long)cid,
				       kind);
	}
	if (grid_user) {
		int64_t uscope = 0;
		if ((rc = db_one_int(c, &uscope, user_sql, "i", grid_user)) < 0)
			return rc;
		if (rc == 0)
			return err_set(&r->err, ERR_INVALID, "grid_user_id", "no such user");
		if ((rc = scope_contains(c, unit, uscope)) < 0)
			return rc;
		if (rc == 0)
			return err_set(&r->err, ERR_RULE, "grid_user_id",
				       "the grid worker's area (scope) is not inside the team's %s",
				       kind);
	}
	int64_t id = 0;
	rc = insert_returning(db_query(c, sql, "iitttttIi", round, unit, name, police, legal,
				       cadre, grid, grid_user, clock_now()),
			      &id);
	if (rc)
		return rc;
	for (size_t i = 0; i < json_array_size(cids); i++) {
		int64_t n = db_run(c, tc_sql, "ii", id,
				   (int64_t)json_integer_value(json_array_get(cids, i)));
		if (n < 0)
			return (int)n;
	}
	req_audit_record(r, "team", id);
	json_t *team = query_row(db_query(c, TEAM_COLS " WHERE t.id = $1", "i", id), team_row, &rc);
	if (!team)
		return rc < 0 ? rc : ERR_DB;
	if ((rc = team_add_compounds(c, team))) {
		json_decref(team);
		return rc;
	}
	return resp_json(r, 201, team);
}

/* ---------- visits: storing ---------- */

int screening_visit_store(struct dbc *c, struct visit_in *v, int64_t now, int64_t *id,
			  struct err_info *ei)
{
	static const char ins_sql[] =
		"INSERT INTO visits(round_id, household_id, unit_id, team_id, at, method, result,"
		" persons_found, note, client_id, created_by, created_at)"
		" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id";
	static const char vp_sql[] =
		"INSERT INTO visit_persons(visit_id, person_id) VALUES ($1, $2)"
		" ON CONFLICT (visit_id, person_id) DO NOTHING";
	static const char rp_sql[] =
		"INSERT INTO round_persons(round_id, person_id, unit_id, found_at)"
		" VALUES ($1, $2, $3, $4) ON CONFLICT (round_id, person_id) DO NOTHING";
	/* A visit sent late by an offline queue may be the round's first to
	 * find the person: the bulletin counts them from then. The row is
	 * locked and read first (a no-op update: on PostgreSQL it waits for a
	 * concurrent writer and reads what it committed) so the finding moves
	 * from the day it was counted on. */
	static const char rp_lock_sql[] =
		"UPDATE round_persons SET unit_id = unit_id WHERE round_id = $1 AND person_id = $2"
		" RETURNING unit_id, COALESCE(found_at, 0)";
	static const char rp_found_sql[] =
		"UPDATE round_persons SET found_at = $3 WHERE round_id = $1 AND person_id = $2";
	/* The upsert takes the row's lock first, so two visits to one household
	 * at once count it once; the RETURNING row holds the state before this
	 * visit (visits = 1: it was not reached before), visited_at too: an
	 * earlier finding is set below, moving it between day counters. */
	static const char rh_sql[] =
		"INSERT INTO round_households(round_id, household_id, unit_id, visits, last_result,"
		" last_at, pending_empty, visited_at) VALUES ($1, $2, $3, 1, $4, $5, $6, $7)"
		" ON CONFLICT (round_id, household_id) DO UPDATE SET"
		" visits = round_households.visits + 1"
		" RETURNING visits, last_at, pending_empty, COALESCE(visited_at, 0), unit_id";
	static const char rh_visited_sql[] =
		"UPDATE round_households SET visited_at = $3 WHERE round_id = $1 AND household_id = $2";
	static const char rh_update_sql[] =
		"UPDATE round_households SET last_result = $3, last_at = $4, pending_empty = $5"
		" WHERE round_id = $1 AND household_id = $2";
	static const char found_sql[] =
		"SELECT 1 FROM visits WHERE round_id = $1 AND household_id = $2"
		" AND result = 'visited' AND id <> $3 LIMIT 1";
	static const char hh_sql[] =
		"UPDATE households SET status = $2,"
		" empty_confirmed = CASE WHEN $3 = 1 THEN 0 ELSE empty_confirmed END,"
		" updated_at = $4 WHERE id = $1";

	int rc = insert_returning(db_query(c, ins_sql, "iiiIitti" "ttIi", v->round_id,
					   v->household_id, v->unit_id, v->team_id, v->at,
					   v->method, v->result, (int64_t)v->npersons, v->note,
					   v->client_id, v->created_by, now),
				  id);
	if (rc)
		return rc;

	struct visit_effect eff;
	if (screening_transition(NULL, v->result, v->at, v->empty_confirmed, &eff))
		return err_set(ei, ERR_INVALID, "result", "unknown result");
	/* visited_at: when the round first found someone there (the bulletin's
	 * households as of a day) */
	int64_t visited_at = strcmp(v->result, "visited") == 0 ? v->at : 0;
	struct dbq *q = db_query(c, rh_sql, "iiitiiI", v->round_id, v->household_id, v->unit_id,
				 v->result, v->at, (int64_t)eff.pending_empty, visited_at);
	if (!q)
		return ERR_DB;
	rc = db_step(q);
	struct round_hh prev = {0, 0, 0, 0};
	int64_t was_visited = 0, rh_unit = v->unit_id;
	if (rc == 1 && db_int(q, 0) > 1) {
		prev.known = 1;
		prev.last_at = db_int(q, 1);
		prev.pending_empty = (int)db_int(q, 2);
		was_visited = db_int(q, 3);
		rh_unit = db_int(q, 4);
	}
	db_done(q);
	if (rc != 1)
		return rc < 0 ? rc : ERR_DB;
	/* The day counters: a household first found now, or found earlier
	 * than was known (a late visit), counts from this visit's day. */
	if (visited_at && (!was_visited || visited_at < was_visited)) {
		if (prev.known && db_run(c, rh_visited_sql, "iii", v->round_id, v->household_id,
					 visited_at) < 0)
			return ERR_DB;
		if ((rc = round_days_move(c, v->round_id, rh_unit, was_visited, visited_at, 1)))
			return rc;
	}
	if (prev.known) {
		/* Read after the row lock above: a concurrent visit to the same
		 * household has committed by now and is seen here. */
		if (strcmp(v->result, "visited") == 0) {
			rc = db_one_int(c, NULL, found_sql, "iii", v->round_id, v->household_id, *id);
			if (rc < 0)
				return rc;
			prev.visited = rc == 1;
		}
		screening_transition(&prev, v->result, v->at, v->empty_confirmed, &eff);
		if (eff.newest &&
		    db_run(c, rh_update_sql, "iitii", v->round_id, v->household_id, v->result, v->at,
			   (int64_t)eff.pending_empty) < 0)
			return ERR_DB;
	}
	/* The persons found, after the household's lock so that concurrent visits
	 * to one household take their locks in one order. */
	int64_t new_persons = 0;
	for (size_t i = 0; i < v->npersons; i++) {
		struct visit_person *vp = &v->persons[i];
		char prefix[32];
		snprintf(prefix, sizeof prefix, "persons[%zu]", i);
		vp->p.unit_id = v->unit_id;
		vp->p.household_id = v->household_id;
		vp->p.located = 1;
		vp->p.source = "visit";
		vp->p.source_id = *id;
		vp->p.scope_unit_id = v->scope_unit_id;
		memset(&vp->seen, 0, sizeof vp->seen);
		vp->seen = (struct person_seen){.seen_by = v->created_by,
						.device_id = v->device_id,
						.seen_unit_id = v->unit_id,
						.at = v->at,
						.origin_code = vp->origin_code,
						.arrival_date = vp->arrival_date,
						.mode = vp->mode};
		vp->p.seen = &vp->seen;
		if ((rc = people_upsert(c, &vp->p, now, &vp->person_id, &vp->created, ei)))
			return prefix_field(ei, prefix, rc);
		if (vp->seen.held) {
			/* Someone else's resident: kept on the visit as a
			 * discrepancy for their unit, not linked or counted here. */
			vp->person_id = 0;
			continue;
		}
		if (vp->origin_code && vp->arrival_date &&
		    (rc = people_add_arrival(c, vp->person_id, v->unit_id, vp->origin_code,
					     vp->arrival_date, vp->mode, "visit", *id, now,
					     &vp->arrival_id, ei)))
			return prefix_field(ei, prefix, rc);
		int64_t n = db_run(c, vp_sql, "ii", *id, vp->person_id);
		if (n < 0)
			return (int)n;
		n = db_run(c, rp_sql, "iiii", v->round_id, vp->person_id, v->unit_id, v->at);
		if (n < 0)
			return (int)n;
		if (n == 1 && (rc = round_days_add(c, v->round_id, v->unit_id, v->at, 0, 1)))
			return rc;
		if (n == 0) {
			int64_t rp_unit = 0, was_found = 0;
			q = db_query(c, rp_lock_sql, "ii", v->round_id, vp->person_id);
			if (!q)
				return ERR_DB;
			rc = db_step(q);
			if (rc == 1) {
				rp_unit = db_int(q, 0);
				was_found = db_int(q, 1);
			}
			db_done(q);
			if (rc != 1)
				return rc < 0 ? rc : ERR_DB;
			if (!was_found || v->at < was_found) {
				if (db_run(c, rp_found_sql, "iii", v->round_id, vp->person_id, v->at) < 0)
					return ERR_DB;
				if ((rc = round_days_move(c, v->round_id, rp_unit, was_found, v->at, 0)))
					return rc;
			}
		}
		new_persons += n;
	}
	if ((rc = coverage_add(c, v->round_id, v->unit_id, eff.households_visited, new_persons,
			       eff.empties_pending)))
		return rc;
	if (eff.newest) {
		int found = screening_result_has_persons(v->result);
		if (db_run(c, hh_sql, "itii", v->household_id, screening_household_status(v->result),
			   (int64_t)found, now) < 0)
			return ERR_DB;
	}
	return 0;
}

/* ---------- visits: the API ---------- */

#define VISIT_COLS                                                                      \
	"SELECT v.id, v.round_id, v.household_id, h.address, v.unit_id, u.name, v.team_id,"  \
	" t.name, v.at, v.method, v.result, v.persons_found, v.note, v.created_by,"          \
	" v.created_at FROM visits v JOIN households h ON h.id = v.household_id"             \
	" JOIN units u ON u.id = v.unit_id LEFT JOIN screening_teams t ON t.id = v.team_id"

static json_t *visit_row(struct dbq *q)
{
	return json_pack("{s:I,s:I,s:I,s:s,s:I,s:s,s:o,s:o,s:I,s:s,s:s,s:I,s:o,s:o,s:I}", "id",
			 (json_int_t)db_int(q, 0), "round_id", (json_int_t)db_int(q, 1),
			 "household_id", (json_int_t)db_int(q, 2), "household_address",
			 db_text(q, 3), "unit_id", (json_int_t)db_int(q, 4), "unit_name",
			 db_text(q, 5), "team_id", jx_col_int(q, 6), "team_name",
			 jx_text_or_null(db_text(q, 7)), "at", (json_int_t)db_int(q, 8), "method",
			 db_text(q, 9), "result", db_text(q, 10), "persons_found",
			 (json_int_t)db_int(q, 11), "note", jx_text_or_null(db_text(q, 12)),
			 "created_by", jx_col_int(q, 13), "created_at", (json_int_t)db_int(q, 14));
}

/* One person of a visit: masked numbers, whether this visit registered them,
 * and the grade of their latest arrival (what the worker must act on). */
static json_t *visit_person_row(struct dbq *q)
{
	char doc[64], phone[24];
	people_mask_doc(db_text(q, 2), db_text(q, 3), doc, sizeof doc);
	const char *ph = db_text(q, 4);
	if (ph)
		people_mask_phone(ph, phone, sizeof phone);
	return json_pack("{s:I,s:s,s:s,s:s,s:o,s:b,s:o,s:o,s:o,s:o}", "id",
			 (json_int_t)db_int(q, 0), "name", db_text(q, 1), "doc_type",
			 db_text(q, 2), "doc_number", doc, "phone",
			 ph ? json_string(phone) : json_null(), "created", (int)db_int(q, 5),
			 "origin_code", jx_text_or_null(db_text(q, 6)), "arrival_date",
			 jx_text_or_null(db_text(q, 7)), "grade", jx_text_or_null(db_text(q, 8)),
			 "handling", jx_text_or_null(db_text(q, 9)));
}

/* A discrepancy of a visit: what was typed; the registered person only
 * when they are the visitor's to see (not out_of_scope). */
static const char held_sql[] =
	"SELECT d.id, d.kind, d.status, d.seen_name, p.doc_type, p.doc_number,"
	" CASE WHEN d.kind = 'out_of_scope' THEN NULL ELSE d.person_id END,"
	" CASE WHEN d.kind = 'out_of_scope' THEN NULL ELSE p.name END"
	" FROM person_discrepancies d JOIN persons p ON p.id = d.person_id"
	" WHERE d.source = 'visit' AND d.source_id = $1 ORDER BY d.id";

static json_t *held_row(struct dbq *q)
{
	char doc[64];
	people_mask_doc(db_text(q, 4), db_text(q, 5), doc, sizeof doc);
	return json_pack("{s:I,s:s,s:s,s:o,s:s,s:o,s:o}", "id", (json_int_t)db_int(q, 0), "kind",
			 db_text(q, 1), "status", db_text(q, 2), "seen_name",
			 jx_text_or_null(db_text(q, 3)), "doc_number", doc, "person_id",
			 jx_col_int(q, 6), "registered_name", jx_text_or_null(db_text(q, 7)));
}

/* The whole VISIT with its persons; NULL with *err on failure. */
static json_t *load_visit(struct dbc *c, int64_t id, int *err)
{
	static const char persons_sql[] =
		"SELECT p.id, p.name, p.doc_type, p.doc_number, p.phone,"
		" CASE WHEN p.source = 'visit' AND p.source_id = $1 THEN 1 ELSE 0 END,"
		" a.origin_code, a.arrival_date, a.grade, a.handling"
		" FROM visit_persons vp JOIN persons p ON p.id = vp.person_id"
		" LEFT JOIN arrivals a ON a.id = (SELECT a2.id FROM arrivals a2"
		" WHERE a2.person_id = p.id ORDER BY a2.arrival_date DESC, a2.id DESC LIMIT 1)"
		" WHERE vp.visit_id = $1 ORDER BY p.id";
	*err = 0;
	int rc;
	json_t *v = query_row(db_query(c, VISIT_COLS " WHERE v.id = $1", "i", id), visit_row, &rc);
	if (!v) {
		*err = rc < 0 ? rc : ERR_NOT_FOUND;
		return NULL;
	}
	json_t *persons = json_array();
	struct dbq *q = db_query(c, persons_sql, "i", id);
	if (!q) {
		json_decref(persons);
		json_decref(v);
		*err = ERR_DB;
		return NULL;
	}
	while ((rc = db_step(q)) == 1)
		json_array_append_new(persons, visit_person_row(q));
	db_done(q);
	json_object_set_new(v, "persons", persons);
	if (rc < 0) {
		json_decref(v);
		*err = rc;
		return NULL;
	}
	/* What the visit saw that was not applied: someone registered outside
	 * the visitor's scope (named only as the visitor typed them), another
	 * name or household than the registry's. */
	json_t *held = json_array();
	q = db_query(c, held_sql, "i", id);
	if (!q) {
		json_decref(held);
		json_decref(v);
		*err = ERR_DB;
		return NULL;
	}
	while ((rc = db_step(q)) == 1)
		json_array_append_new(held, held_row(q));
	db_done(q);
	json_object_set_new(v, "discrepancies", held);
	if (rc < 0) {
		json_decref(v);
		*err = rc;
		return NULL;
	}
	return v;
}

/* Reads persons[] of a visit body into v (arena memory), validating each
 * with people_validate; errors name persons[i].field. */
static int read_persons(struct req *r, json_t *arr, const char *today, struct visit_in *v)
{
	size_t n = json_array_size(arr);
	v->npersons = n;
	v->persons = n ? arena_alloc(&r->arena, n * sizeof *v->persons) : NULL;
	const char **nums = n ? arena_alloc(&r->arena, n * sizeof *nums) : NULL;
	if (n && (!v->persons || !nums))
		return ERR_NOMEM;
	for (size_t i = 0; i < n; i++) {
		struct visit_person *vp = &v->persons[i];
		char prefix[32];
		snprintf(prefix, sizeof prefix, "persons[%zu]", i);
		json_t *o = json_array_get(arr, i);
		if (!json_is_object(o))
			return err_set(&r->err, ERR_INVALID, prefix, "must be an object");
		const char *dt = NULL;
		int rc = jx_str(r, o, "doc_type", 0, 32, &dt, NULL);
		if (!rc)
			rc = jx_str(r, o, "doc_number", 1, 40, &vp->p.doc_number, NULL);
		if (!rc)
			rc = jx_str(r, o, "name", 1, 64, &vp->p.name, NULL);
		if (!rc)
			rc = jx_str(r, o, "phone", 0, 32, &vp->p.phone, NULL);
		if (!rc)
			rc = jx_str(r, o, "sex", 0, 1, &vp->p.sex, NULL);
		if (!rc)
			rc = jx_str(r, o, "birth_date", 0, 10, &vp->p.birth_date, NULL);
		if (!rc)
			rc = jx_str(r, o, "origin_code", 0, 64, &vp->origin_code, NULL);
		if (!rc)
			rc = jx_str(r, o, "arrival_date", 0, 10, &vp->arrival_date, NULL);
		if (!rc)
			rc = jx_str(r, o, "mode", 0, 8, &vp->mode, NULL);
		if (rc)
			return prefix_field(&r->err, prefix, rc);
		vp->p.doc_type = dt && *dt ? dt : "resident_id";
		if (vp->p.phone && !*vp->p.phone)
			vp->p.phone = NULL;
		if (vp->p.sex && !*vp->p.sex)
			vp->p.sex = NULL;
		if (vp->p.birth_date && !*vp->p.birth_date)
			vp->p.birth_date = NULL;
		if (vp->origin_code && !*vp->origin_code)
			vp->origin_code = NULL;
		if (vp->arrival_date && !*vp->arrival_date)
			vp->arrival_date = NULL;
		if (vp->mode && !*vp->mode)
			vp->mode = NULL;
		if ((rc = people_validate(&vp->p, today, &r->err)))
			return prefix_field(&r->err, prefix, rc);
		if (vp->origin_code && !vp->arrival_date) {
			err_set(&r->err, ERR_INVALID, "arrival_date", "is required with origin_code");
			return prefix_field(&r->err, prefix, ERR_INVALID);
		}
		if (vp->arrival_date && !vp->origin_code) {
			err_set(&r->err, ERR_INVALID, "origin_code", "is required with arrival_date");
			return prefix_field(&r->err, prefix, ERR_INVALID);
		}
		if (vp->arrival_date && (day_valid(vp->arrival_date) ||
					 strcmp(vp->arrival_date, today) > 0)) {
			err_set(&r->err, ERR_INVALID, "arrival_date",
				"must be a date YYYY-MM-DD, not in the future");
			return prefix_field(&r->err, prefix, ERR_INVALID);
		}
		if (vp->mode && !IN(vp->mode, "car", "train", "plane", "other")) {
			err_set(&r->err, ERR_INVALID, "mode", "must be car, train, plane or other");
			return prefix_field(&r->err, prefix, ERR_INVALID);
		}
		/* The same document twice on one visit is a typing slip. */
		char num[48];
		if ((rc = people_doc_number(vp->p.doc_type, vp->p.doc_number, today, num, sizeof num,
					    NULL, "doc_number", &r->err)))
			return prefix_field(&r->err, prefix, rc);
		nums[i] = arena_printf(&r->arena, "%s:%s", vp->p.doc_type, num);
		if (!nums[i])
			return ERR_NOMEM;
		for (size_t j = 0; j < i; j++)
			if (strcmp(nums[j], nums[i]) == 0) {
				err_set(&r->err, ERR_INVALID, "doc_number",
					"is the same document as persons[%zu]", j);
				return prefix_field(&r->err, prefix, ERR_INVALID);
			}
	}
	return 0;
}

static int create_visit(struct req *r)
{
	static const char hh_sql[] = "SELECT unit_id, empty_confirmed FROM households WHERE id = $1";
	static const char team_sql[] = "SELECT round_id FROM screening_teams WHERE id = $1";
	static const char team_compound_sql[] =
		"SELECT 1 FROM team_compounds tc JOIN unit_tree t ON t.ancestor_id = tc.unit_id"
		" WHERE tc.team_id = $1 AND t.unit_id = $2";
	static const char client_sql[] = "SELECT id, created_by FROM visits WHERE client_id = $1";
	struct visit_in v;
	memset(&v, 0, sizeof v);
	int64_t now = clock_now();
	char today[DAY_LEN];
	clock_day(now, today);
	int has_at = 0;
	const char *client = NULL;
	int rc = req_json(r);
	if (!rc)
		rc = jx_id(r, r->json, "round_id", 1, 0, &v.round_id, NULL);
	if (!rc)
		rc = jx_id(r, r->json, "household_id", 1, 0, &v.household_id, NULL);
	if (!rc)
		rc = jx_id(r, r->json, "team_id", 0, 1, &v.team_id, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "method", 1, 16, &v.method, NULL);
	if (!rc && !screening_method_valid(v.method))
		rc = err_set(&r->err, ERR_INVALID, "method", "must be door, phone or app");
	if (!rc)
		rc = jx_str(r, r->json, "result", 1, 16, &v.result, NULL);
	if (!rc && !screening_result_valid(v.result))
		rc = err_set(&r->err, ERR_INVALID, "result",
			     "must be visited, empty, refused or moved");
	if (!rc)
		rc = jx_str(r, r->json, "note", 0, 500, &v.note, NULL);
	/* A phone's clock may run a little ahead; an hour is allowed. */
	if (!rc)
		rc = jx_int(r, r->json, "at", 0, 946684800, now + 3600, &v.at, &has_at);
	if (!rc)
		rc = jx_str(r, r->json, "client_id", 0, 128, &client, NULL);
	if (rc)
		return rc;
	if (!has_at)
		v.at = now;
	if (v.note && !*v.note)
		v.note = NULL;
	json_t *arr = json_object_get(r->json, "persons");
	if (arr && !json_is_null(arr)) {
		if (!json_is_array(arr))
			return err_set(&r->err, ERR_INVALID, "persons", "must be a list");
		if (json_array_size(arr) > MAX_PERSONS)
			return err_set(&r->err, ERR_INVALID, "persons",
				       "at most %d persons on one visit", MAX_PERSONS);
		if ((rc = read_persons(r, arr, today, &v)))
			return rc;
	}
	if (v.npersons && !screening_result_has_persons(v.result))
		return err_set(&r->err, ERR_RULE, "persons",
			       "a visit with result %s registers nobody at the household", v.result);
	v.client_id = r->client_id;
	v.created_by = r->who.user_id;
	v.device_id = r->who.device_id;
	v.scope_unit_id = r->who.scope_unit_id;

	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	/* Reads before any write (PostgreSQL aborts a transaction on error). */
	for (size_t i = 0; i < v.npersons; i++) {
		if (!v.persons[i].origin_code)
			continue;
		char code[7], oname[64];
		if ((rc = areas_resolve(c, v.persons[i].origin_code, code, oname)) < 0)
			return rc;
		if (rc == 0) {
			char field[48];
			snprintf(field, sizeof field, "persons[%zu].origin_code", i);
			return err_set(&r->err, ERR_INVALID, field,
				       "\"%s\" is not a known place (a GB/T 2260 code or name)",
				       v.persons[i].origin_code);
		}
	}
	int64_t ru = 0;
	if ((rc = round_unit(r, c, v.round_id, &ru)) < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_INVALID, "round_id", "no such round");
	struct dbq *q = db_query(c, hh_sql, "i", v.household_id);
	if (!q)
		return ERR_DB;
	rc = db_step(q);
	if (rc == 1) {
		v.unit_id = db_int(q, 0);
		v.empty_confirmed = (int)db_int(q, 1);
	}
	db_done(q);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_INVALID, "household_id", "no such household");
	req_audit_record(r, "household", v.household_id);
	if ((rc = scope_check(r, v.unit_id, 1, "household")))
		return rc;
	if ((rc = scope_contains(c, ru, v.unit_id)) < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_RULE, "household_id",
			       "this household is outside the round's area");
	if (v.team_id) {
		int64_t tr = 0;
		if ((rc = db_one_int(c, &tr, team_sql, "i", v.team_id)) < 0)
			return rc;
		if (rc == 0 || tr != v.round_id)
			return err_set(&r->err, ERR_INVALID, "team_id", "no such team in this round");
		if ((rc = db_one_int(c, NULL, team_compound_sql, "ii", v.team_id, v.unit_id)) < 0)
			return rc;
		if (rc == 0)
			return err_set(&r->err, ERR_RULE, "household_id",
				       "this household is not in a compound of the team");
	}
	if (v.client_id) {
		/* The stored first answer normally replays before this handler
		 * runs; if it was purged, the visit itself still says it exists. */
		q = db_query(c, client_sql, "t", v.client_id);
		if (!q)
			return ERR_DB;
		rc = db_step(q);
		int64_t existing = rc == 1 ? db_int(q, 0) : 0;
		int64_t by = rc == 1 && !db_null(q, 1) ? db_int(q, 1) : 0;
		db_done(q);
		if (rc < 0)
			return rc;
		if (existing) {
			if (by != r->who.user_id)
				return err_set(&r->err, ERR_CONFLICT, "client_id",
					       "this client id was already used by someone else");
			json_t *out = load_visit(c, existing, &rc);
			if (!out)
				return rc;
			r->no_audit = 1;
			return resp_json(r, 200, out);
		}
	}
	int64_t id = 0;
	if ((rc = screening_visit_store(c, &v, now, &id, &r->err)))
		return rc;
	req_audit_record(r, "visit", id);
	json_t *out = load_visit(c, id, &rc);
	if (!out)
		return rc;
	return resp_json(r, 201, out);
}

static const struct list_col visit_export[] = {
	{"id", "编号"},
	{"round_id", "轮次"},
	{"unit_name", "小区"},
	{"household_address", "住户地址"},
	{"team_name", "工作组"},
	{"at", "走访时间"},
	{"method", "方式"},
	{"result", "结果"},
	{"persons_found", "登记人数"},
	{"note", "备注"},
	{0, 0},
};

/* The list's parameters, the same in every plan: $1 scope, $2 cursor, $3
 * round, $4 household, $5 unit (subtree), $6 limit. */
#define IN_TREE(col, n) col " IN (SELECT unit_id FROM unit_tree WHERE ancestor_id = $" n ")"
#define VISIT_TAIL " AND v.id > $2 ORDER BY v.id LIMIT $6"

static int list_visits(struct req *r)
{
	/* Plans chosen by the filters, so that a page stays a short index walk
	 * at a district's scale (a quarter of a million visits a round). A
	 * leading "+" keeps SQLite's planner (and PostgreSQL's) off the unit
	 * index where walking ids is the cheaper way. */
	/* one household's visits (its card) */
	static const char household_sql[] =
		VISIT_COLS " WHERE v.household_id = $4 AND " IN_TREE("+v.unit_id", "1")
		" AND ($3 = 0 OR v.round_id = $3) AND ($5 = 0 OR " IN_TREE("+v.unit_id", "5") ")"
		VISIT_TAIL;
	/* a wide area (district, town, sub-district): walk ids, in one round or all */
	static const char wide_round_sql[] =
		VISIT_COLS " WHERE v.round_id = $3 AND " IN_TREE("+v.unit_id", "1")
		" AND $4 = 0 AND ($5 = 0 OR " IN_TREE("+v.unit_id", "5") ")" VISIT_TAIL;
	static const char wide_sql[] =
		VISIT_COLS " WHERE " IN_TREE("+v.unit_id", "1") " AND $3 = 0 AND $4 = 0"
		" AND ($5 = 0 OR " IN_TREE("+v.unit_id", "5") ")" VISIT_TAIL;
	/* a community or compound ($5 = the area): its visits by the unit index */
	static const char narrow_sql[] =
		VISIT_COLS " WHERE " IN_TREE("v.unit_id", "5") " AND " IN_TREE("+v.unit_id", "1")
		" AND ($3 = 0 OR v.round_id = $3) AND $4 = 0" VISIT_TAIL;
	struct page pg;
	int64_t round = 0, hh = 0, unit = 0;
	int rc = req_page(r, &pg);
	if (!rc)
		rc = req_query_int(r, "round_id", 1, INT64_MAX, 0, &round);
	if (!rc)
		rc = req_query_int(r, "household_id", 1, INT64_MAX, 0, &hh);
	if (!rc)
		rc = req_query_int(r, "unit_id", 1, INT64_MAX, 0, &unit);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	const char *sql = household_sql;
	if (!hh) {
		char kind[32];
		int64_t area = unit ? unit : r->who.scope_unit_id;
		if ((rc = unit_kind(c, area, kind)) < 0)
			return rc;
		if (rc == 1 && IN(kind, "district", "town", "subdistrict")) {
			sql = round ? wide_round_sql : wide_sql;
		} else {
			sql = narrow_sql;
			unit = area;
		}
	}
	struct dbq *q = db_query(c, sql, "iiiiii", r->who.scope_unit_id, pg.after, round, hh, unit,
				 pg.limit + 1);
	return resp_query_list(r, &pg, q, visit_row, visit_export, "visits");
}

/* ---------- coverage ---------- */

#define COVERAGE_COLS                                                                 \
	"SELECT u.id, u.name, u.kind, COALESCE(uh.households, 0),"                       \
	" COALESCE(rc.households_visited, 0), COALESCE(rc.persons, 0),"                  \
	" COALESCE(rc.empties_pending, 0), COALESCE(uh.persons, 0) FROM units u"          \
	" LEFT JOIN unit_households uh ON uh.unit_id = u.id"                             \
	" LEFT JOIN round_coverage rc ON rc.round_id = $1 AND rc.unit_id = u.id"

static json_t *coverage_row(struct dbq *q)
{
	int64_t households = db_int(q, 3), visited = db_int(q, 4);
	return json_pack("{s:I,s:s,s:s,s:I,s:I,s:f,s:I,s:I,s:I}", "unit_id",
			 (json_int_t)db_int(q, 0), "unit_name", db_text(q, 1), "kind",
			 db_text(q, 2), "households", (json_int_t)households, "households_visited",
			 (json_int_t)visited, "rate", screening_rate(visited, households), "persons",
			 (json_int_t)db_int(q, 5), "empties_pending", (json_int_t)db_int(q, 6),
			 "persons_registered", (json_int_t)db_int(q, 7));
}

static const struct list_col coverage_export[] = {
	{"unit_name", "单位"},
	{"kind", "类型"},
	{"households", "户数"},
	{"households_visited", "已走访户数"},
	{"rate", "覆盖率"},
	{"persons", "摸排人数"},
	{"empties_pending", "待复查空户"},
	{"persons_registered", "登记人口"},
	{0, 0},
};

static int get_coverage(struct req *r)
{
	static const char self_sql[] = COVERAGE_COLS " WHERE u.id = $2";
	/* A building holding no household is left out: a compound's
	 * households are usually registered at the compound, and its
	 * buildings' rows said 0 households beside the compound's 182. */
	static const char children_sql[] =
		COVERAGE_COLS " WHERE u.parent_id = $2 AND (u.kind <> 'building'"
		" OR COALESCE(uh.households, 0) > 0) ORDER BY u.id";
	int64_t round = 0, unit = 0, ru = 0;
	struct page pg;
	int rc = req_param_id(r, "id", &round);
	if (!rc)
		rc = req_page(r, &pg);
	if (!rc)
		rc = req_query_int(r, "unit_id", 1, INT64_MAX, 0, &unit);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if ((rc = round_unit(r, c, round, &ru)) <= 0)
		return rc < 0 ? rc : err_set(&r->err, ERR_NOT_FOUND, "", "no such round");
	if (!unit) {
		if ((rc = totals_unit(r, c, ru, &unit)))
			return rc;
	} else if ((rc = scope_check(r, unit, 0, "unit"))) {
		return rc;
	}
	json_t *self = query_row(db_query(c, self_sql, "ii", round, unit), coverage_row, &rc);
	if (!self)
		return rc < 0 ? rc : err_set(&r->err, ERR_NOT_FOUND, "", "no such unit");
	json_t *items = json_array();
	struct dbq *q = db_query(c, children_sql, "ii", round, unit);
	if (!q) {
		json_decref(self);
		json_decref(items);
		return ERR_DB;
	}
	while ((rc = db_step(q)) == 1)
		json_array_append_new(items, coverage_row(q));
	db_done(q);
	if (rc < 0) {
		json_decref(self);
		json_decref(items);
		return rc;
	}
	if (pg.export) {
		/* The file: the unit's own row first, then its children. */
		json_array_insert_new(items, 0, self);
		return resp_list(r, &pg, items, 0, coverage_export, "coverage");
	}
	return resp_json(r, 200,
			 json_pack("{s:I,s:o,s:o}", "round_id", (json_int_t)round, "unit", self,
				   "items", items));
}

/* ---------- the re-check queue ---------- */

static json_t *recheck_row(struct dbq *q)
{
	return json_pack("{s:I,s:I,s:I,s:s,s:s,s:I,s:I,s:s,s:I}", "id", (json_int_t)db_int(q, 0),
			 "household_id", (json_int_t)db_int(q, 0), "unit_id",
			 (json_int_t)db_int(q, 1), "unit_name", db_text(q, 2), "address",
			 db_text(q, 3), "members", (json_int_t)db_int(q, 4), "visits",
			 (json_int_t)db_int(q, 5), "last_result", db_text(q, 6), "last_at",
			 (json_int_t)db_int(q, 7));
}

static const struct list_col recheck_export[] = {
	{"household_id", "住户编号"}, {"unit_name", "小区"},   {"address", "地址"},
	{"visits", "走访次数"},       {"last_at", "最近走访"}, {0, 0},
};

static int list_rechecks(struct req *r)
{
	static const char sql[] =
		"SELECT rh.household_id, rh.unit_id, u.name, h.address, h.members, rh.visits,"
		" rh.last_result, rh.last_at FROM round_households rh"
		" JOIN households h ON h.id = rh.household_id JOIN units u ON u.id = rh.unit_id"
		" WHERE rh.round_id = $1 AND rh.pending_empty = 1 AND " SCOPE_SQL("rh.unit_id", "2")
		" AND ($3 = 0 OR rh.unit_id IN (SELECT unit_id FROM unit_tree WHERE ancestor_id = $3))"
		" AND rh.household_id > $4 ORDER BY rh.household_id LIMIT $5";
	struct page pg;
	int rc;
	struct dbq *q = round_list_query(r, sql, &pg, NULL, &rc);
	return q ? resp_query_list(r, &pg, q, recheck_row, recheck_export, "rechecks") : rc;
}

static int confirm_empty(struct req *r)
{
	static const char hh_sql[] = "SELECT unit_id FROM households WHERE id = $1";
	static const char state_sql[] =
		"SELECT last_result FROM round_households WHERE round_id = $1 AND household_id = $2";
	static const char clear_sql[] =
		"UPDATE round_households SET pending_empty = 0"
		" WHERE round_id = $1 AND household_id = $2 AND pending_empty = 1";
	static const char mark_sql[] =
		"UPDATE households SET status = 'empty', empty_confirmed = 1, updated_at = $2"
		" WHERE id = $1";
	static const char out_sql[] =
		"SELECT h.id, h.unit_id, u.name, h.address, h.status, h.members, h.empty_confirmed,"
		" rh.pending_empty FROM households h JOIN units u ON u.id = h.unit_id"
		" LEFT JOIN round_households rh ON rh.household_id = h.id AND rh.round_id = $2"
		" WHERE h.id = $1";
	int64_t hh = 0, round = 0, unit = 0, ru = 0;
	int rc = req_param_id(r, "id", &hh);
	if (!rc) {
		req_audit_record(r, "household", hh);
		rc = req_json(r);
	}
	if (!rc)
		rc = jx_id(r, r->json, "round_id", 1, 0, &round, NULL);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if ((rc = db_one_int(c, &unit, hh_sql, "i", hh)) < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_NOT_FOUND, "", "no such household");
	if ((rc = scope_check(r, unit, 1, "household")))
		return rc;
	if ((rc = round_unit(r, c, round, &ru)) < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_INVALID, "round_id", "no such round");
	struct dbq *q = db_query(c, state_sql, "ii", round, hh);
	if (!q)
		return ERR_DB;
	rc = db_step(q);
	int was_empty = rc == 1 && strcmp(db_text(q, 0), "empty") == 0;
	db_done(q);
	if (rc < 0)
		return rc;
	if (!was_empty)
		return err_set(&r->err, ERR_RULE, "round_id",
			       "this household's latest visit in the round did not find it empty");
	int64_t now = clock_now();
	int64_t n = db_run(c, clear_sql, "ii", round, hh);
	if (n < 0)
		return (int)n;
	if (n > 0 && (rc = coverage_add(c, round, unit, 0, 0, -1)))
		return rc;
	if ((n = db_run(c, mark_sql, "ii", hh, now)) < 0)
		return (int)n;
	q = db_query(c, out_sql, "ii", hh, round);
	if (!q)
		return ERR_DB;
	rc = db_step(q);
	json_t *out = NULL;
	if (rc == 1)
		out = json_pack("{s:I,s:I,s:s,s:s,s:s,s:I,s:b,s:I,s:b}", "id",
				(json_int_t)db_int(q, 0), "unit_id", (json_int_t)db_int(q, 1),
				"unit_name", db_text(q, 2), "address", db_text(q, 3), "status",
				db_text(q, 4), "members", (json_int_t)db_int(q, 5), "empty_confirmed",
				(int)db_int(q, 6), "round_id", (json_int_t)round, "pending_empty",
				(int)db_int(q, 7));
	db_done(q);
	if (!out)
		return rc < 0 ? rc : ERR_DB;
	return resp_json(r, 200, out);
}
