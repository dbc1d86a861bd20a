/* The unit hierarchy of a district (DOMAIN.md §1 and the Access convention):
 * district > town or sub-district > village or community > compound >
 * building. Every record of every feature belongs to one of these units;
 * scope is a subtree. The closure table unit_tree makes "is X under Y" and
 * "everything under Y" one indexed lookup. */
#include "units.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/buf.h"
#include "../base/clock.h"
#include "../base/csvx.h"
#include "../http/scope.h"

static int list_units(struct req *r);
static int get_unit(struct req *r);
static int create_unit(struct req *r);
static int patch_unit(struct req *r);
static int import_units(struct req *r);

static const struct route routes[] = {
	{"GET", "/api/v1/units", list_units, P_UNITS_READ, 0, 0,
	 "units in scope: children of a parent, by kind, by name or code"},
	{"GET", "/api/v1/units/{id}", get_unit, P_UNITS_READ, 0, 0,
	 "one unit with its ancestors and assignments"},
	{"POST", "/api/v1/units", create_unit, P_UNITS_WRITE, 0, ROUTE_IDEMPOTENT,
	 "create a unit (a retry with the same Idempotency-Key returns the first answer)"},
	{"PATCH", "/api/v1/units/{id}", patch_unit, P_UNITS_WRITE, 0, 0,
	 "rename, recode or move a unit"},
	{"POST", "/api/v1/imports/units", import_units, P_UNITS_WRITE, 64u << 20, 0,
	 "import units from CSV"},
};
ROUTE_TABLE(units_routes, routes);

/* ---------- pure rules ---------- */

static const char *const kinds[] = {"district",  "town",     "subdistrict", "village",
				    "community", "compound", "building"};

int units_kind_valid(const char *kind)
{
	if (!kind)
		return 0;
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(kinds[i], kind) == 0)
			return 1;
	return 0;
}

/* The level of a kind in the hierarchy: 0 district ... 4 building. */
static int level(const char *kind)
{
	static const int lv[] = {0, 1, 1, 2, 2, 3, 4};
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(kinds[i], kind) == 0)
			return lv[i];
	return -1;
}

int units_kind_fits(const char *parent, const char *child)
{
	if (!units_kind_valid(child))
		return 0;
	if (!parent)
		return strcmp(child, "district") == 0;
	if (!units_kind_valid(parent))
		return 0;
	return level(child) == level(parent) + 1;
}

int units_code_valid(const char *code)
{
	size_t n = strlen(code);
	if (n < 1 || n > 32)
		return 0;
	for (const char *p = code; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= 'a' && *p <= 'z') || *p == '-'))
			return 0;
	return 1;
}

/* Chinese names of kinds, accepted in imports. */
static const char *kind_from_text(const char *s)
{
	static const char *const zh[][2] = {
		{"区", "district"},  {"区县", "district"}, {"镇", "town"},
		{"乡", "town"},      {"街道", "subdistrict"}, {"村", "village"},
		{"社区", "community"}, {"小区", "compound"}, {"楼栋", "building"},
		{"楼", "building"},
	};
	if (units_kind_valid(s))
		return s;
	for (size_t i = 0; i < sizeof zh / sizeof zh[0]; i++)
		if (strcmp(zh[i][0], s) == 0)
			return zh[i][1];
	return NULL;
}

/* ---------- storage ---------- */

int units_insert(struct dbc *c, int64_t parent_id, const char *kind, const char *code,
		 const char *name, const char *property_company, int64_t *id)
{
	int64_t now = clock_now();
	struct dbq *q = db_query(c,
				 "INSERT INTO units(parent_id, kind, code, name, property_company,"
				 " created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)"
				 " RETURNING id",
				 "Itttti", parent_id, kind, code, name, property_company, now);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	if (rc == 1)
		*id = db_int(q, 0);
	db_done(q);
	if (rc != 1)
		return rc < 0 ? rc : ERR_DB;
	if (db_run(c, "INSERT INTO unit_tree(ancestor_id, unit_id, depth) VALUES ($1, $1, 0)", "i",
		   *id) < 0)
		return ERR_DB;
	if (parent_id &&
	    db_run(c,
		   "INSERT INTO unit_tree(ancestor_id, unit_id, depth)"
		   " SELECT ancestor_id, $1, depth + 1 FROM unit_tree WHERE unit_id = $2",
		   "ii", *id, parent_id) < 0)
		return ERR_DB;
	return 0;
}

static json_t *unit_row(struct dbq *q)
{
	return json_pack("{s:I,s:o,s:s,s:s,s:s,s:o,s:I}", "id", (json_int_t)db_int(q, 0),
			 "parent_id",
			 db_null(q, 1) ? json_null() : json_integer(db_int(q, 1)), "kind",
			 db_text(q, 2), "code", db_text(q, 3), "name", db_text(q, 4),
			 "property_company", jx_text_or_null(db_text(q, 5)), "children",
			 (json_int_t)db_int(q, 6));
}

/* Loads one unit as JSON (NULL when absent). */
static json_t *load_unit(struct dbc *c, int64_t id, int *err)
{
	static const char sql[] =
		"SELECT u.id, u.parent_id, u.kind, u.code, u.name, u.property_company,"
		" (SELECT COUNT(*) FROM units c WHERE c.parent_id = u.id) FROM units u"
		" WHERE u.id = $1";
	int rc;
	json_t *u = query_row(db_query(c, sql, "i", id), unit_row, &rc);
	*err = rc < 0 ? rc : 0;
	return u;
}

/* ---------- handlers ---------- */

static const struct list_col unit_export[] = {
	{"id", "编号"},     {"parent_id", "上级编号"}, {"kind", "类型"},
	{"code", "代码"},   {"name", "名称"},         {"property_company", "物业公司"},
	{"children", "下级数"}, {0, 0},
};

static int list_units(struct req *r)
{
	struct page pg;
	int rc = req_page(r, &pg);
	int64_t parent = 0;
	if (!rc)
		rc = req_query_int(r, "parent", 1, INT64_MAX, 0, &parent);
	if (rc)
		return rc;
	const char *kind = req_query(r, "kind");
	if (kind && *kind && !units_kind_valid(kind))
		return err_set(&r->err, ERR_INVALID, "kind", "unknown kind \"%s\"", kind);
	const char *pat;
	if ((rc = req_query_like(r, "q", &pat)))
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	static const char sql[] =
		"SELECT u.id, u.parent_id, u.kind, u.code, u.name, u.property_company,"
		" (SELECT COUNT(*) FROM units c WHERE c.parent_id = u.id) FROM units u"
		" WHERE " SCOPE_SQL("u.id", "1") " AND u.id > $2"
		" AND ($3 = 0 OR u.parent_id = $3) AND ($4 = '' OR u.kind = $4)"
		" AND ($5 = '' OR lower(u.name) LIKE $5 ESCAPE '\\' OR lower(u.code) LIKE $5 ESCAPE '\\')"
		" ORDER BY u.id LIMIT $6";
	struct dbq *dq = db_query(c, sql, "iiitti", r->who.scope_unit_id, pg.after, parent,
				  kind ? kind : "", pat, pg.limit + 1);
	return resp_query_list(r, &pg, dq, unit_row, unit_export, "units");
}

static int get_unit(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (!rc)
		rc = scope_check(r, id, 0, "unit");
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	json_t *u = load_unit(c, id, &rc);
	if (!u)
		return rc ? rc : err_set(&r->err, ERR_NOT_FOUND, "", "no such unit");
	json_t *anc = json_array();
	struct dbq *q = db_query(c,
				 "SELECT u.id, u.name, u.kind FROM unit_tree t JOIN units u"
				 " ON u.id = t.ancestor_id WHERE t.unit_id = $1 AND t.depth > 0"
				 " ORDER BY t.depth DESC",
				 "i", id);
	while (q && db_step(q) == 1)
		json_array_append_new(anc, json_pack("{s:I,s:s,s:s}", "id",
						     (json_int_t)db_int(q, 0), "name",
						     db_text(q, 1), "kind", db_text(q, 2)));
	db_done(q);
	/* Its own assignments and, marked inherited, those of the units above
	 * it: every unit shows who answers for it. */
	json_t *as = json_array();
	q = db_query(c,
		     "SELECT a.id, a.unit_id, un.name, un.kind, a.leader_id, l.name, l.title,"
		     " a.org_id, o.name, a.note, t.depth FROM unit_tree t"
		     " JOIN assignments a ON a.unit_id = t.ancestor_id"
		     " JOIN units un ON un.id = a.unit_id"
		     " LEFT JOIN leaders l ON l.id = a.leader_id"
		     " LEFT JOIN resp_orgs o ON o.id = a.org_id"
		     " WHERE t.unit_id = $1 ORDER BY t.depth, a.id",
		     "i", id);
	while (q && db_step(q) == 1)
		json_array_append_new(
			as, json_pack("{s:I,s:I,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:b}", "id",
				      (json_int_t)db_int(q, 0), "unit_id", (json_int_t)db_int(q, 1),
				      "unit_name", db_text(q, 2), "unit_kind", db_text(q, 3),
				      "leader_id", jx_col_int(q, 4), "leader_name",
				      jx_text_or_null(db_text(q, 5)), "leader_title",
				      jx_text_or_null(db_text(q, 6)), "org_id", jx_col_int(q, 7),
				      "org_name", jx_text_or_null(db_text(q, 8)), "note",
				      jx_text_or_null(db_text(q, 9)), "inherited", db_int(q, 10) > 0));
	db_done(q);
	json_object_set_new(u, "ancestors", anc);
	json_object_set_new(u, "assignments", as);
	return resp_json(r, 200, u);
}

/* Names the unit holding a code when the caller may see it. */
static int code_conflict(struct req *r, struct dbc *c, const char *code)
{
	struct dbq *q = db_query(c, "SELECT id, name FROM units WHERE code = $1", "t", code);
	int64_t id = 0;
	char name[160] = "";
	if (q && db_step(q) == 1) {
		id = db_int(q, 0);
		snprintf(name, sizeof name, "%s", db_text(q, 1));
	}
	db_done(q);
	if (id && scope_contains(c, r->who.scope_unit_id, id) == 1)
		return err_set(&r->err, ERR_CONFLICT, "code",
			       "code %s is already used by %s (id %lld)", code, name,
			       (long long)id);
	return err_set(&r->err, ERR_CONFLICT, "code", "code %s is already used", code);
}

static int parent_kind(struct dbc *c, int64_t parent, char out[16])
{
	struct dbq *q = db_query(c, "SELECT kind FROM units WHERE id = $1", "i", parent);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	if (rc == 1)
		snprintf(out, 16, "%s", db_text(q, 0));
	db_done(q);
	return rc;
}

static int create_unit(struct req *r)
{
	int64_t parent = 0;
	const char *kind = NULL, *code = NULL, *name = NULL, *prop = NULL;
	int rc = req_json(r);
	if (!rc)
		rc = jx_id(r, r->json, "parent_id", 0, 1, &parent, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "kind", 1, 16, &kind, NULL);
	if (!rc && !units_kind_valid(kind))
		rc = err_set(&r->err, ERR_INVALID, "kind",
			     "must be one of district, town, subdistrict, village, community,"
			     " compound, building");
	if (!rc)
		rc = jx_str(r, r->json, "code", 1, 32, &code, NULL);
	if (!rc && !units_code_valid(code))
		rc = err_set(&r->err, ERR_INVALID, "code",
			     "must be 1 to 32 letters, digits or '-'");
	if (!rc)
		rc = jx_str(r, r->json, "name", 1, 64, &name, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "property_company", 0, 128, &prop, NULL);
	if (rc)
		return rc;
	if (prop && !*prop)
		prop = NULL;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if (!parent) {
		int64_t n = 0;
		if (db_one_int(c, &n, "SELECT COUNT(*) FROM units", "") < 0)
			return ERR_DB;
		if (!req_can(r, P_USERS_ADMIN))
			return err_set(&r->err, ERR_FORBIDDEN, "parent_id",
				       "only an admin may create the district");
		if (n > 0)
			return err_set(&r->err, ERR_RULE, "parent_id",
				       "the district exists; a new unit needs a parent_id");
		if (strcmp(kind, "district") != 0)
			return err_set(&r->err, ERR_RULE, "kind",
				       "the first unit must be the district");
	} else {
		char pk[16];
		rc = parent_kind(c, parent, pk);
		if (rc < 0)
			return rc;
		if (rc == 0 || scope_contains(c, r->who.scope_unit_id, parent) != 1) {
			if (rc == 0)
				return err_set(&r->err, ERR_INVALID, "parent_id", "no such unit");
			return err_set(&r->err, ERR_FORBIDDEN, "parent_id",
				       "the parent unit is outside your area (scope)");
		}
		if (!units_kind_fits(pk, kind))
			return err_set(&r->err, ERR_RULE, "kind",
				       "a %s cannot be placed under a %s", kind, pk);
	}
	/* Look first: after a failed statement a PostgreSQL transaction can
	 * run nothing more, so the insert's own conflict is only the race. */
	if (db_one_int(c, NULL, "SELECT 1 FROM units WHERE code = $1", "t", code) == 1)
		return code_conflict(r, c, code);
	int64_t id = 0;
	rc = units_insert(c, parent, kind, code, name, prop, &id);
	if (rc == ERR_CONFLICT)
		return err_set(&r->err, ERR_CONFLICT, "code", "code %s is already used", code);
	if (rc)
		return rc;
	json_t *u = load_unit(c, id, &rc);
	req_audit_record(r, "unit", id);
	return u ? resp_json(r, 201, u) : (rc ? rc : ERR_DB);
}

/* The counters kept per unit and every unit above it (arrival_counts of
 * people.c, unit_households of the registry, round_coverage and round_days
 * of screening):
 * unit id's rows hold its whole subtree's, so a moved subtree's figures are
 * those rows, added sign times to every unit above it, in key order (the
 * lock order the writers use on PostgreSQL). */
static const char *const subtree_counts[] = {
	"INSERT INTO arrival_counts(unit_id, arrival_date, grade, n)"
	" SELECT t.ancestor_id, x.arrival_date, x.grade, $2 * x.n"
	" FROM arrival_counts x JOIN unit_tree t ON t.unit_id = x.unit_id"
	" WHERE x.unit_id = $1 AND t.depth > 0"
	" ORDER BY t.ancestor_id, x.arrival_date, x.grade"
	" ON CONFLICT (unit_id, arrival_date, grade) DO UPDATE SET"
	" n = arrival_counts.n + excluded.n",
	"INSERT INTO unit_households(unit_id, households, persons)"
	" SELECT t.ancestor_id, $2 * x.households, $2 * x.persons"
	" FROM unit_households x JOIN unit_tree t ON t.unit_id = x.unit_id"
	" WHERE x.unit_id = $1 AND t.depth > 0 ORDER BY t.ancestor_id"
	" ON CONFLICT (unit_id) DO UPDATE SET"
	" households = unit_households.households + excluded.households,"
	" persons = unit_households.persons + excluded.persons",
	"INSERT INTO round_coverage(round_id, unit_id, households_visited, persons,"
	" empties_pending)"
	" SELECT x.round_id, t.ancestor_id, $2 * x.households_visited, $2 * x.persons,"
	" $2 * x.empties_pending"
	" FROM round_coverage x JOIN unit_tree t ON t.unit_id = x.unit_id"
	" WHERE x.unit_id = $1 AND t.depth > 0 ORDER BY x.round_id, t.ancestor_id"
	" ON CONFLICT (round_id, unit_id) DO UPDATE SET"
	" households_visited = round_coverage.households_visited"
	" + excluded.households_visited,"
	" persons = round_coverage.persons + excluded.persons,"
	" empties_pending = round_coverage.empties_pending + excluded.empties_pending",
	"INSERT INTO round_days(round_id, unit_id, day, households, persons)"
	" SELECT x.round_id, t.ancestor_id, x.day, $2 * x.households, $2 * x.persons"
	" FROM round_days x JOIN unit_tree t ON t.unit_id = x.unit_id"
	" WHERE x.unit_id = $1 AND t.depth > 0 ORDER BY x.round_id, t.ancestor_id, x.day"
	" ON CONFLICT (round_id, unit_id, day) DO UPDATE SET"
	" households = round_days.households + excluded.households,"
	" persons = round_days.persons + excluded.persons",
};

static int move_counts(struct dbc *c, int64_t id, int64_t sign)
{
	for (size_t i = 0; i < sizeof subtree_counts / sizeof *subtree_counts; i++)
		if (db_run(c, subtree_counts[i], "ii", id, sign) < 0)
			return ERR_DB;
	return 0;
}

/* Moves a subtree under a new parent: drops the links from the subtree to
 * its old ancestors and links it to the new parent's ancestors. The
 * subtree's counters leave the old ancestors' and join the new ones'. */
static int move_subtree(struct dbc *c, int64_t id, int64_t new_parent)
{
	if (move_counts(c, id, -1))
		return ERR_DB;
	if (db_run(c,
		   "DELETE FROM unit_tree WHERE unit_id IN"
		   " (SELECT unit_id FROM unit_tree WHERE ancestor_id = $1)"
		   " AND ancestor_id NOT IN (SELECT unit_id FROM unit_tree WHERE ancestor_id = $1)",
		   "i", id) < 0)
		return ERR_DB;
	if (db_run(c,
		   "INSERT INTO unit_tree(ancestor_id, unit_id, depth)"
		   " SELECT a.ancestor_id, d.unit_id, a.depth + d.depth + 1"
		   " FROM unit_tree a, unit_tree d WHERE a.unit_id = $1 AND d.ancestor_id = $2",
		   "ii", new_parent, id) < 0)
		return ERR_DB;
	if (db_run(c, "UPDATE units SET parent_id = $1 WHERE id = $2", "ii", new_parent, id) < 0 ||
	    move_counts(c, id, 1))
		return ERR_DB;
	return 0;
}

static int patch_unit(struct req *r)
{
	int64_t id, parent = 0;
	int rc = req_param_id(r, "id", &id);
	const char *code = NULL, *name = NULL, *prop = NULL;
	int has_parent = 0, has_code = 0, has_name = 0, has_prop = 0;
	if (!rc)
		rc = req_json(r);
	if (!rc)
		rc = jx_id(r, r->json, "parent_id", 0, 0, &parent, &has_parent);
	if (!rc)
		rc = jx_str(r, r->json, "code", 0, 32, &code, &has_code);
	if (!rc && has_code && (!code || !units_code_valid(code)))
		rc = err_set(&r->err, ERR_INVALID, "code",
			     "must be 1 to 32 letters, digits or '-'");
	if (!rc)
		rc = jx_str(r, r->json, "name", 0, 64, &name, &has_name);
	if (!rc && has_name && (!name || !*name))
		rc = err_set(&r->err, ERR_INVALID, "name", "must not be empty");
	if (!rc)
		rc = jx_str(r, r->json, "property_company", 0, 128, &prop, &has_prop);
	if (rc)
		return rc;
	/* A unit outside scope: 404 if the caller cannot even see it. */
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	json_t *u = load_unit(c, id, &rc);
	if (!u)
		return rc ? rc : err_set(&r->err, ERR_NOT_FOUND, "", "no such unit");
	const char *kind = json_string_value(json_object_get(u, "kind"));
	char kbuf[16];
	snprintf(kbuf, sizeof kbuf, "%s", kind);
	json_decref(u);
	if ((rc = scope_check(r, id, 1, "unit")))
		return rc;
	if (has_parent) {
		char pk[16];
		rc = parent_kind(c, parent, pk);
		if (rc < 0)
			return rc;
		if (rc == 0)
			return err_set(&r->err, ERR_INVALID, "parent_id", "no such unit");
		if (scope_contains(c, r->who.scope_unit_id, parent) != 1)
			return err_set(&r->err, ERR_FORBIDDEN, "parent_id",
				       "the new parent is outside your area (scope)");
		if (scope_contains(c, id, parent) == 1)
			return err_set(&r->err, ERR_RULE, "parent_id",
				       "a unit cannot move under itself");
		if (!units_kind_fits(pk, kbuf))
			return err_set(&r->err, ERR_RULE, "parent_id",
				       "a %s cannot be placed under a %s", kbuf, pk);
		if ((rc = move_subtree(c, id, parent)))
			return rc;
	}
	if (has_code && db_one_int(c, NULL, "SELECT 1 FROM units WHERE code = $1 AND id <> $2",
				   "ti", code, id) == 1)
		return code_conflict(r, c, code);
	int64_t n = db_run(c,
			   "UPDATE units SET name = CASE WHEN $2 = 1 THEN $3 ELSE name END,"
			   " code = CASE WHEN $4 = 1 THEN $5 ELSE code END,"
			   " property_company = CASE WHEN $6 = 1 THEN $7 ELSE property_company END,"
			   " updated_at = $8 WHERE id = $1",
			   "iitititi", id, (int64_t)has_name, name,
			   (int64_t)has_code, code, (int64_t)has_prop,
			   prop && *prop ? prop : NULL, clock_now());
	if (n == ERR_CONFLICT)
		return err_set(&r->err, ERR_CONFLICT, "code", "code %s is already used", code);
	if (n < 0)
		return (int)n;
	req_audit_record(r, "unit", id);
	u = load_unit(c, id, &rc);
	return u ? resp_json(r, 200, u) : ERR_DB;
}

/* ---------- CSV import ---------- */

enum { COL_PARENT, COL_KIND, COL_CODE, COL_NAME, COL_PROP, NCOLS };
static const char *const col_names[NCOLS][3] = {
	{"parent_code", "上级代码", "上级单位代码"},
	{"kind", "类型", "单位类型"},
	{"code", "代码", "单位代码"},
	{"name", "名称", "单位名称"},
	{"property_company", "物业公司", "物业"},
};

struct import_ctx {
	struct dbc *c;
	int64_t scope;
	int col[NCOLS]; /* index in the row, -1 absent */
	int have_header;
	int64_t created, updated, rejected;
	json_t *rejects;
	struct err_info *ei;
	int fatal;
};

static void reject(struct import_ctx *x, int line, const char *fmt, const char *a,
		   const char *b)
{
	char msg[256];
	snprintf(msg, sizeof msg, fmt, a ? a : "", b ? b : "");
	x->rejected++;
	if (json_array_size(x->rejects) < 10000)
		json_array_append_new(x->rejects, json_pack("{s:i,s:s}", "line", line, "reason", msg));
}

static int header_row(struct import_ctx *x, char **f, size_t n)
{
	for (int k = 0; k < NCOLS; k++)
		x->col[k] = -1;
	for (size_t i = 0; i < n; i++) {
		char *h = f[i];
		for (char *p = h; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		for (int k = 0; k < NCOLS; k++)
			for (int a = 0; a < 3; a++)
				if (strcmp(h, col_names[k][a]) == 0)
					x->col[k] = (int)i;
	}
	if (x->col[COL_KIND] < 0 || x->col[COL_CODE] < 0 || x->col[COL_NAME] < 0 ||
	    x->col[COL_PARENT] < 0)
		return err_set(x->ei, ERR_INVALID, "body",
			       "no recognisable header row: expected the columns parent_code, "
			       "kind, code, name and optionally property_company (or 上级代码, "
			       "类型, 代码, 名称, 物业公司)");
	x->have_header = 1;
	return 0;
}

static const char *field(char **f, size_t n, int idx)
{
	return idx >= 0 && (size_t)idx < n ? f[idx] : "";
}

static int import_row(void *ctx, int line, char **f, size_t n)
{
	struct import_ctx *x = ctx;
	if (!x->have_header)
		return header_row(x, f, n) ? 1 : 0;
	const char *pcode = field(f, n, x->col[COL_PARENT]);
	const char *kind = kind_from_text(field(f, n, x->col[COL_KIND]));
	const char *code = field(f, n, x->col[COL_CODE]);
	const char *name = field(f, n, x->col[COL_NAME]);
	const char *prop = field(f, n, x->col[COL_PROP]);
	if (!kind)
		return reject(x, line, "kind \"%s\" is not a unit kind", field(f, n, x->col[COL_KIND]),
			      NULL),
		       0;
	if (!units_code_valid(code))
		return reject(x, line, "code \"%s\" must be 1 to 32 letters, digits or '-'", code,
			      NULL),
		       0;
	if (!*name || strlen(name) > 192 || !csvx_utf8_valid(name, strlen(name)))
		return reject(x, line, "name is missing or too long", NULL, NULL), 0;
	/* An existing code is updated (name and property company). */
	struct dbq *q = db_query(x->c, "SELECT id, kind FROM units WHERE code = $1", "t", code);
	if (!q) {
		x->fatal = ERR_DB;
		return 1;
	}
	int64_t existing = 0;
	char ekind[16] = "";
	if (db_step(q) == 1) {
		existing = db_int(q, 0);
		snprintf(ekind, sizeof ekind, "%s", db_text(q, 1));
	}
	db_done(q);
	if (existing) {
		if (scope_contains(x->c, x->scope, existing) != 1)
			return reject(x, line, "code %s belongs to a unit outside your area", code,
				      NULL),
			       0;
		if (strcmp(ekind, kind) != 0)
			return reject(x, line, "code %s exists as a %s", code, ekind), 0;
		if (db_run(x->c,
			   "UPDATE units SET name = $1, property_company = $2, updated_at = $3"
			   " WHERE id = $4",
			   "ttii", name, *prop ? prop : NULL, clock_now(), existing) < 0) {
			x->fatal = ERR_DB;
			return 1;
		}
		x->updated++;
		return 0;
	}
	if (!*pcode)
		return reject(x, line, "parent_code is required", NULL, NULL), 0;
	q = db_query(x->c, "SELECT id, kind FROM units WHERE code = $1", "t", pcode);
	if (!q) {
		x->fatal = ERR_DB;
		return 1;
	}
	int64_t parent = 0;
	char pkind[16] = "";
	if (db_step(q) == 1) {
		parent = db_int(q, 0);
		snprintf(pkind, sizeof pkind, "%s", db_text(q, 1));
	}
	db_done(q);
	if (!parent)
		return reject(x, line, "parent_code %s is not a known unit", pcode, NULL), 0;
	if (scope_contains(x->c, x->scope, parent) != 1)
		return reject(x, line, "parent %s is outside your area", pcode, NULL), 0;
	if (!units_kind_fits(pkind, kind))
		return reject(x, line, "a %s cannot be placed under a %s", kind, pkind), 0;
	int64_t id;
	int rc = units_insert(x->c, parent, kind, code, name, *prop ? prop : NULL, &id);
	if (rc) {
		x->fatal = rc;
		return 1;
	}
	x->created++;
	return 0;
}

int units_import_csv(struct dbc *c, int64_t scope_unit_id, const char *data, size_t len,
		     int64_t *created, int64_t *updated, int64_t *rejected, json_t *rejects,
		     struct err_info *ei)
{
	struct import_ctx x = {.c = c, .scope = scope_unit_id, .rejects = rejects, .ei = ei};
	const char *enc;
	char msg[200];
	int rc = csvx_parse(data, len, import_row, &x, &enc, msg, sizeof msg);
	if (x.fatal)
		return err_set(ei, x.fatal, "", "storage failed during the import");
	if (rc == 1 && !x.have_header)
		return ERR_INVALID; /* ei filled by header_row */
	if (rc)
		return err_set(ei, ERR_INVALID, "body", "%s", msg);
	if (!x.have_header)
		return err_set(ei, ERR_INVALID, "body", "the file is empty");
	*created = x.created;
	*updated = x.updated;
	*rejected = x.rejected;
	return 0;
}

static int import_units(struct req *r)
{
	const char *ct = req_header(r, "Content-Type");
	if (!ct || strncmp(ct, "text/csv", 8) != 0)
		return err_set(&r->err, ERR_INVALID, "Content-Type", "must be text/csv");
	if (!r->body_len)
		return err_set(&r->err, ERR_INVALID, "body", "the file is empty");
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	json_t *rejects = json_array();
	int64_t cr = 0, up = 0, rj = 0;
	int rc = units_import_csv(c, r->who.scope_unit_id, r->body, r->body_len, &cr, &up, &rj,
				  rejects, &r->err);
	if (rc) {
		json_decref(rejects);
		return rc;
	}
	req_audit_record(r, "unit_import", 0);
	r->audit_detail = arena_printf(&r->arena, "created %lld, updated %lld, rejected %lld",
				       (long long)cr, (long long)up, (long long)rj);
	return resp_json(r, 200,
			 json_pack("{s:I,s:I,s:I,s:o}", "created", (json_int_t)cr, "updated",
				   (json_int_t)up, "rejected", (json_int_t)rj, "rejects", rejects));
}
