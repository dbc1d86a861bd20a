/* The command structure of the district's epidemic command (指挥部, DOMAIN.md
 * §1): working groups with their duties and leads, the leaders (包抓领导),
 * the responsible units (包抓单位) and who is assigned to which town,
 * sub-district, village or community. Groups, leaders and responsible units
 * belong to the unit that created them (normally the district); they are
 * visible to everyone whose scope lies under that unit or contains it, and
 * changed only by those whose scope contains it. Assignments belong to the
 * unit they are on and follow the ordinary scope rule. */
#include "command.h"

#include <stdio.h>
#include <string.h>

#include "../base/buf.h"
#include "../base/clock.h"
#include "../http/scope.h"

static int get_command(struct req *r);
static int list_groups(struct req *r);
static int create_group(struct req *r);
static int patch_group(struct req *r);
static int list_leaders(struct req *r);
static int create_leader(struct req *r);
static int patch_leader(struct req *r);
static int list_orgs(struct req *r);
static int create_org(struct req *r);
static int list_assignments(struct req *r);
static int create_assignment(struct req *r);
static int delete_assignment(struct req *r);

static const struct route routes[] = {
	{"GET", "/api/v1/command", get_command, P_UNITS_READ, 0, 0,
	 "counts of the command structure in scope"},
	{"GET", "/api/v1/groups", list_groups, P_UNITS_READ, 0, 0, "working groups"},
	{"POST", "/api/v1/groups", create_group, P_COMMAND_WRITE, 0, 0, "create a working group"},
	{"PATCH", "/api/v1/groups/{id}", patch_group, P_COMMAND_WRITE, 0, 0,
	 "rename a working group, change its duties or lead"},
	{"GET", "/api/v1/leaders", list_leaders, P_UNITS_READ, 0, 0,
	 "leaders, phones masked unless revealed"},
	{"POST", "/api/v1/leaders", create_leader, P_COMMAND_WRITE, 0, 0, "add a leader"},
	{"PATCH", "/api/v1/leaders/{id}", patch_leader, P_COMMAND_WRITE, 0, 0, "change a leader"},
	{"GET", "/api/v1/orgs", list_orgs, P_UNITS_READ, 0, 0, "responsible units"},
	{"POST", "/api/v1/orgs", create_org, P_COMMAND_WRITE, 0, 0, "add a responsible unit"},
	{"GET", "/api/v1/assignments", list_assignments, P_UNITS_READ, 0, 0,
	 "who is assigned to which unit"},
	{"POST", "/api/v1/assignments", create_assignment, P_COMMAND_WRITE, 0, 0,
	 "assign a leader or responsible unit to a unit"},
	{"DELETE", "/api/v1/assignments/{id}", delete_assignment, P_COMMAND_WRITE, 0, 0,
	 "remove an assignment"},
};
ROUTE_TABLE(command_routes, routes);

/* A group, leader or responsible unit owned by the unit in `col` is visible
 * when that unit is the caller's scope unit, one of its ancestors, or lies
 * inside the scope. Bind the caller's scope unit at $n. */
#define VISIBLE_SQL(col, n)                                                       \
	"(" col " IN (SELECT ancestor_id FROM unit_tree WHERE unit_id = $" n ") OR " \
	SCOPE_SQL(col, n) ")"

/* ---------- pure rules ---------- */

int command_phone_normalize(const char *in, char out[12])
{
	char buf[64];
	size_t n = 0;
	out[0] = 0;
	if (!in)
		return 0;
	for (const char *p = in; *p; p++) {
		if (*p == ' ' || *p == '-')
			continue;
		if (n + 1 >= sizeof buf)
			return 0;
		buf[n++] = *p;
	}
	buf[n] = 0;
	const char *s = buf;
	if (strncmp(s, "+86", 3) == 0)
		s += 3;
	if (strlen(s) != 11 || s[0] != '1' || s[1] < '3' || s[1] > '9')
		return 0;
	for (int i = 2; i < 11; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	memcpy(out, s, 12);
	return 1;
}

char *command_mask_phone(const char *phone, char *out, size_t n)
{
	if (!n)
		return out;
	size_t len = phone ? strlen(phone) : 0;
	if (!phone)
		snprintf(out, n, "%s", "");
	else if (len <= 7)
		snprintf(out, n, "%s", "****");
	else
		snprintf(out, n, "%.3s****%s", phone, phone + len - 4);
	return out;
}

int command_code_valid(const char *code)
{
	size_t n = code ? strlen(code) : 0;
	if (n < 1 || n > 32)
		return 0;
	for (const char *p = code; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= 'a' && *p <= 'z') || *p == '-' || *p == '_'))
			return 0;
	return 1;
}

int command_assignable_kind(const char *kind)
{
	static const char *const ok[] = {"town", "subdistrict", "village", "community"};
	if (!kind)
		return 0;
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (strcmp(ok[i], kind) == 0)
			return 1;
	return 0;
}

/* ---------- helpers ---------- */
/* 1 when a record of `table` with this id exists and is visible to the
 * caller, 0 when not, <0 on error. */
static int visible(struct req *r, struct dbc *c, const char *sql, int64_t id)
{
	return db_one_int(c, NULL, sql, "ii", id, r->who.scope_unit_id);
}

static const char leader_visible_sql[] =
	"SELECT 1 FROM leaders WHERE id = $1 AND " VISIBLE_SQL("unit_id", "2");
static const char group_visible_sql[] =
	"SELECT 1 FROM working_groups WHERE id = $1 AND " VISIBLE_SQL("unit_id", "2");
static const char org_visible_sql[] =
	"SELECT 1 FROM resp_orgs WHERE id = $1 AND " VISIBLE_SQL("unit_id", "2");

/* Finds the owner unit of a group/leader for a change: 404 when there is
 * none, 403 when it is outside the caller's scope — seen from above or not
 * seen at all: a write outside the scope is 403, as for every record
 * (scope.h, docs/api.md). exists_sql: the record by id ($1) alone. */
static int owner_for_write(struct req *r, struct dbc *c, const char *sql, const char *exists_sql,
			   int64_t id, const char *what)
{
	int64_t unit = 0;
	int rc = db_one_int(c, &unit, sql, "ii", id, r->who.scope_unit_id);
	if (rc < 0)
		return rc;
	if (rc == 0 && (rc = db_one_int(c, NULL, exists_sql, "i", id)) == 1)
		return err_set(&r->err, ERR_FORBIDDEN, "", "this %s is outside your area (scope)",
			       what);
	if (rc == 0)
		return err_set(&r->err, ERR_NOT_FOUND, "", "no such %s", what);
	if (rc < 0)
		return rc;
	rc = scope_contains(c, r->who.scope_unit_id, unit);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_FORBIDDEN, "",
			       "this %s belongs to a unit above your area (scope)", what);
	return 0;
}

/* Runs an INSERT ... RETURNING id; returns 0 with *id, or an error
 * (ERR_CONFLICT for a duplicate). */
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

/* ---------- GET /api/v1/command ---------- */

static int get_command(struct req *r)
{
	static const char sql[] =
		"SELECT"
		" (SELECT COUNT(*) FROM working_groups g WHERE " VISIBLE_SQL("g.unit_id", "1") "),"
		" (SELECT COUNT(*) FROM leaders l WHERE " VISIBLE_SQL("l.unit_id", "1") "),"
		" (SELECT COUNT(*) FROM resp_orgs o WHERE " VISIBLE_SQL("o.unit_id", "1") "),"
		" (SELECT COUNT(DISTINCT a.leader_id) FROM assignments a WHERE "
		SCOPE_SQL("a.unit_id", "1") "),"
		" (SELECT COUNT(DISTINCT a.org_id) FROM assignments a WHERE "
		SCOPE_SQL("a.unit_id", "1") "),"
		" (SELECT COUNT(DISTINCT a.unit_id) FROM assignments a WHERE "
		SCOPE_SQL("a.unit_id", "1") ")";
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	struct dbq *q = db_query(c, sql, "i", r->who.scope_unit_id);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	json_t *out = NULL;
	if (rc == 1)
		out = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I}", "groups", (json_int_t)db_int(q, 0),
				"leaders", (json_int_t)db_int(q, 1), "orgs",
				(json_int_t)db_int(q, 2), "leaders_assigned",
				(json_int_t)db_int(q, 3), "orgs_assigned", (json_int_t)db_int(q, 4),
				"units_with_assignments", (json_int_t)db_int(q, 5));
	db_done(q);
	if (rc != 1)
		return rc < 0 ? rc : ERR_DB;
	return resp_json(r, 200, out);
}

/* ---------- working groups ---------- */

#define GROUP_COLS                                                                \
	"SELECT g.id, g.code, g.name, g.duties, g.leader_id, l.name,"             \
	" (SELECT COUNT(*) FROM leaders m WHERE m.group_id = g.id)"               \
	" FROM working_groups g LEFT JOIN leaders l ON l.id = g.leader_id"

static json_t *group_row(struct dbq *q)
{
	return json_pack("{s:I,s:s,s:s,s:o,s:o,s:o,s:I}", "id", (json_int_t)db_int(q, 0), "code",
			 db_text(q, 1), "name", db_text(q, 2), "duties",
			 jx_text_or_null(db_text(q, 3)), "leader_id", jx_col_int(q, 4),
			 "leader_name", jx_text_or_null(db_text(q, 5)), "members",
			 (json_int_t)db_int(q, 6));
}

static int respond_group(struct req *r, struct dbc *c, int64_t id, int status)
{
	int rc;
	json_t *g = query_row(db_query(c, GROUP_COLS " WHERE g.id = $1", "i", id), group_row, &rc);
	if (!g)
		return rc < 0 ? rc : ERR_DB;
	return resp_json(r, status, g);
}

static const struct list_col group_export[] = {
	{"id", "编号"},          {"code", "代码"},         {"name", "工作组"},
	{"duties", "职责"},      {"leader_id", "组长编号"}, {"leader_name", "组长"},
	{"members", "成员数"},   {0, 0},
};

static int list_groups(struct req *r)
{
	static const char sql[] =
		GROUP_COLS " WHERE " VISIBLE_SQL("g.unit_id", "1") " AND g.id > $2"
		" AND ($3 = '' OR lower(g.name) LIKE $3 ESCAPE '\\'"
		" OR lower(g.code) LIKE $3 ESCAPE '\\')"
		" ORDER BY g.id LIMIT $4";
	return resp_search_list(r, sql, group_row, group_export, "groups");
}

/* Checks an optional leader id given as `field`: 400 unless it names a
 * leader the caller can see. */
static int check_leader(struct req *r, struct dbc *c, int64_t id, const char *field)
{
	if (!id)
		return 0;
	int rc = visible(r, c, leader_visible_sql, id);
	if (rc < 0)
		return rc;
	return rc ? 0 : err_set(&r->err, ERR_INVALID, field, "no such leader");
}

static int check_group(struct req *r, struct dbc *c, int64_t id, const char *field)
{
	if (!id)
		return 0;
	int rc = visible(r, c, group_visible_sql, id);
	if (rc < 0)
		return rc;
	return rc ? 0 : err_set(&r->err, ERR_INVALID, field, "no such working group");
}

static int create_group(struct req *r)
{
	static const char sql[] =
		"INSERT INTO working_groups(unit_id, code, name, duties, leader_id, created_at)"
		" VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
	const char *code = NULL, *name = NULL, *duties = NULL;
	int64_t leader = 0;
	int rc = req_json(r);
	if (!rc)
		rc = jx_str(r, r->json, "code", 1, 32, &code, NULL);
	if (!rc && !command_code_valid(code))
		rc = err_set(&r->err, ERR_INVALID, "code",
			     "must be 1 to 32 letters, digits, '-' or '_'");
	if (!rc)
		rc = jx_str(r, r->json, "name", 1, 64, &name, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "duties", 0, 1000, &duties, NULL);
	if (!rc)
		rc = jx_id(r, r->json, "leader_id", 0, 1, &leader, NULL);
	if (rc)
		return rc;
	if (duties && !*duties)
		duties = NULL;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if ((rc = check_leader(r, c, leader, "leader_id")))
		return rc;
	int64_t id = 0;
	rc = insert_returning(db_query(c, sql, "itttIi", r->who.scope_unit_id, code, name, duties,
				       leader, clock_now()),
			      &id);
	if (rc == ERR_CONFLICT)
		return err_set(&r->err, ERR_CONFLICT, "code",
			       "code %s is already used by another working group", code);
	if (rc)
		return rc;
	req_audit_record(r, "group", id);
	return respond_group(r, c, id, 201);
}

static int patch_group(struct req *r)
{
	static const char owner_sql[] =
		"SELECT unit_id FROM working_groups WHERE id = $1 AND "
		VISIBLE_SQL("unit_id", "2");
	static const char sql[] =
		"UPDATE working_groups SET name = CASE WHEN $2 = 1 THEN $3 ELSE name END,"
		" duties = CASE WHEN $4 = 1 THEN $5 ELSE duties END,"
		" leader_id = CASE WHEN $6 = 1 THEN $7 ELSE leader_id END WHERE id = $1";
	int64_t id = 0, leader = 0;
	const char *name = NULL, *duties = NULL;
	int has_name = 0, has_duties = 0, has_leader = 0;
	int rc = req_param_id(r, "id", &id);
	if (!rc) {
		req_audit_record(r, "group", id);
		rc = req_json(r);
	}
	if (!rc)
		rc = jx_str(r, r->json, "name", 0, 64, &name, &has_name);
	if (!rc && has_name && (!name || !*name))
		rc = err_set(&r->err, ERR_INVALID, "name", "must not be empty");
	if (!rc)
		rc = jx_str(r, r->json, "duties", 0, 1000, &duties, &has_duties);
	if (!rc)
		rc = jx_id(r, r->json, "leader_id", 0, 1, &leader, &has_leader);
	if (rc)
		return rc;
	if (duties && !*duties)
		duties = NULL;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if ((rc = owner_for_write(r, c, owner_sql, "SELECT 1 FROM working_groups WHERE id = $1", id,
				   "working group")))
		return rc;
	if ((rc = check_leader(r, c, leader, "leader_id")))
		return rc;
	int64_t n = db_run(c, sql, "iititiI", id, (int64_t)has_name, name, (int64_t)has_duties,
			   duties, (int64_t)has_leader, leader);
	if (n < 0)
		return (int)n;
	req_audit_record(r, "group", id);
	return respond_group(r, c, id, 200);
}

/* ---------- leaders ---------- */

/* The columns of a leader; bind the caller's scope unit at $1 (for the count
 * of assignments in scope). */
#define LEADER_COLS                                                                   \
	"SELECT l.id, l.name, l.title, l.phone, l.group_id, g.name,"                  \
	" (SELECT COUNT(*) FROM assignments a WHERE a.leader_id = l.id AND "          \
	SCOPE_SQL("a.unit_id", "1") ")"                                               \
	" FROM leaders l LEFT JOIN working_groups g ON g.id = l.group_id"

/* One leader as JSON; the phone masked unless whole. */
static json_t *leader_json(struct dbq *q, int whole)
{
	char masked[32];
	const char *phone = db_text(q, 3);
	json_t *ph = !phone ? json_null()
			    : json_string(whole ? phone
						: command_mask_phone(phone, masked, sizeof masked));
	return json_pack("{s:I,s:s,s:s,s:o,s:o,s:o,s:I}", "id", (json_int_t)db_int(q, 0), "name",
			 db_text(q, 1), "title", db_text(q, 2), "phone", ph, "group_id",
			 jx_col_int(q, 4), "group_name", jx_text_or_null(db_text(q, 5)),
			 "assignments", (json_int_t)db_int(q, 6));
}

static int respond_leader(struct req *r, struct dbc *c, int64_t id, int status)
{
	struct dbq *q = db_query(c, LEADER_COLS " WHERE l.id = $2", "ii", r->who.scope_unit_id,
				 id);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	json_t *l = rc == 1 ? leader_json(q, 0) : NULL;
	db_done(q);
	if (!l)
		return rc < 0 ? rc : ERR_DB;
	return resp_json(r, status, l);
}

static const struct list_col leader_export[] = {
	{"id", "编号"},           {"name", "姓名"},          {"title", "职务"},
	{"phone", "电话"},        {"group_id", "工作组编号"}, {"group_name", "工作组"},
	{"assignments", "包抓数"}, {0, 0},
};

static int list_leaders(struct req *r)
{
	static const char sql[] =
		LEADER_COLS " WHERE " VISIBLE_SQL("l.unit_id", "1") " AND l.id > $2"
		" AND ($3 = 0 OR l.group_id = $3)"
		" AND ($4 = '' OR lower(l.name) LIKE $4 ESCAPE '\\'"
		" OR lower(l.title) LIKE $4 ESCAPE '\\')"
		" ORDER BY l.id LIMIT $5";
	struct page pg;
	int64_t group = 0, reveal = 0;
	const char *pat = "";
	int rc = req_page(r, &pg);
	if (!rc)
		rc = req_query_int(r, "group_id", 1, INT64_MAX, 0, &group);
	if (!rc)
		rc = req_query_int(r, "reveal", 0, 1, 0, &reveal);
	if (!rc)
		rc = req_query_like(r, "q", &pat);
	if (rc)
		return rc;
	/* Whole phones only for a role that may see them; every one shown is
	 * audited. Others get the mask, as without reveal. */
	int whole = reveal && req_can(r, P_ID_REVEAL);
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	struct dbq *q = db_query(c, sql, "iiiti", r->who.scope_unit_id, pg.after, group, pat,
				 pg.limit + 1);
	if (!q)
		return ERR_DB;
	json_t *items = json_array();
	int64_t n = 0, last = 0, next = 0;
	while ((rc = db_step(q)) == 1) {
		if (n++ == pg.limit) {
			next = last;
			break;
		}
		last = db_int(q, 0);
		json_t *it = leader_json(q, whole);
		if (!it || json_array_append_new(items, it)) {
			rc = ERR_NOMEM;
			break;
		}
		if (whole && !db_null(q, 3))
			req_audit_read(r, "leader", last, "phone");
	}
	db_done(q);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	return resp_list(r, &pg, items, next, leader_export, "leaders");
}

/* Reads the optional "phone" field: absent leaves *has 0; null or "" clears
 * it (*out NULL); otherwise it must be a mobile number. */
static int phone_field(struct req *r, const char **out, int *has)
{
	const char *raw = NULL;
	int rc = jx_str(r, r->json, "phone", 0, 32, &raw, has);
	if (rc)
		return rc;
	*out = NULL;
	if (!raw || !*raw)
		return 0;
	char *norm = arena_alloc(&r->arena, 12);
	if (!norm)
		return err_set(&r->err, ERR_NOMEM, "phone", "out of memory");
	if (!command_phone_normalize(raw, norm))
		return err_set(&r->err, ERR_INVALID, "phone",
			       "must be an 11-digit mobile number such as 13812345678"
			       " (+86 and spaces allowed)");
	*out = norm;
	return 0;
}

static int create_leader(struct req *r)
{
	static const char sql[] =
		"INSERT INTO leaders(unit_id, name, title, phone, group_id, created_at)"
		" VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
	const char *name = NULL, *title = NULL, *phone = NULL;
	int64_t group = 0;
	int rc = req_json(r);
	if (!rc)
		rc = jx_str(r, r->json, "name", 1, 64, &name, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "title", 1, 64, &title, NULL);
	if (!rc)
		rc = phone_field(r, &phone, NULL);
	if (!rc)
		rc = jx_id(r, r->json, "group_id", 0, 1, &group, NULL);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if ((rc = check_group(r, c, group, "group_id")))
		return rc;
	int64_t id = 0;
	rc = insert_returning(db_query(c, sql, "itttIi", r->who.scope_unit_id, name, title, phone,
				       group, clock_now()),
			      &id);
	if (rc)
		return rc;
	req_audit_record(r, "leader", id);
	return respond_leader(r, c, id, 201);
}

static int patch_leader(struct req *r)
{
	static const char owner_sql[] =
		"SELECT unit_id FROM leaders WHERE id = $1 AND " VISIBLE_SQL("unit_id", "2");
	static const char sql[] =
		"UPDATE leaders SET name = CASE WHEN $2 = 1 THEN $3 ELSE name END,"
		" title = CASE WHEN $4 = 1 THEN $5 ELSE title END,"
		" phone = CASE WHEN $6 = 1 THEN $7 ELSE phone END,"
		" group_id = CASE WHEN $8 = 1 THEN $9 ELSE group_id END WHERE id = $1";
	int64_t id = 0, group = 0;
	const char *name = NULL, *title = NULL, *phone = NULL;
	int has_name = 0, has_title = 0, has_phone = 0, has_group = 0;
	int rc = req_param_id(r, "id", &id);
	if (!rc) {
		req_audit_record(r, "leader", id);
		rc = req_json(r);
	}
	if (!rc)
		rc = jx_str(r, r->json, "name", 0, 64, &name, &has_name);
	if (!rc && has_name && (!name || !*name))
		rc = err_set(&r->err, ERR_INVALID, "name", "must not be empty");
	if (!rc)
		rc = jx_str(r, r->json, "title", 0, 64, &title, &has_title);
	if (!rc && has_title && (!title || !*title))
		rc = err_set(&r->err, ERR_INVALID, "title", "must not be empty");
	if (!rc)
		rc = phone_field(r, &phone, &has_phone);
	if (!rc)
		rc = jx_id(r, r->json, "group_id", 0, 1, &group, &has_group);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if ((rc = owner_for_write(r, c, owner_sql, "SELECT 1 FROM leaders WHERE id = $1", id,
				   "leader")))
		return rc;
	if ((rc = check_group(r, c, group, "group_id")))
		return rc;
	int64_t n = db_run(c, sql, "iitititiI", id, (int64_t)has_name, name, (int64_t)has_title,
			   title, (int64_t)has_phone, phone, (int64_t)has_group, group);
	if (n < 0)
		return (int)n;
	req_audit_record(r, "leader", id);
	if (has_phone)
		r->audit_detail = phone ? "phone changed" : "phone removed";
	return respond_leader(r, c, id, 200);
}

/* ---------- responsible units ---------- */

#define ORG_COLS                                                                     \
	"SELECT o.id, o.name, (SELECT COUNT(*) FROM assignments a WHERE a.org_id = o.id" \
	" AND " SCOPE_SQL("a.unit_id", "1") ") FROM resp_orgs o"

static json_t *org_row(struct dbq *q)
{
	return json_pack("{s:I,s:s,s:I}", "id", (json_int_t)db_int(q, 0), "name", db_text(q, 1),
			 "assignments", (json_int_t)db_int(q, 2));
}

static const struct list_col org_export[] = {
	{"id", "编号"}, {"name", "包抓单位"}, {"assignments", "包抓数"}, {0, 0},
};

static int list_orgs(struct req *r)
{
	static const char sql[] =
		ORG_COLS " WHERE " VISIBLE_SQL("o.unit_id", "1") " AND o.id > $2"
		" AND ($3 = '' OR lower(o.name) LIKE $3 ESCAPE '\\') ORDER BY o.id LIMIT $4";
	return resp_search_list(r, sql, org_row, org_export, "orgs");
}

static int create_org(struct req *r)
{
	static const char sql[] = "INSERT INTO resp_orgs(unit_id, name, created_at)"
				  " VALUES ($1, $2, $3) RETURNING id";
	const char *name = NULL;
	int rc = req_json(r);
	if (!rc)
		rc = jx_str(r, r->json, "name", 1, 128, &name, NULL);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	int64_t id = 0;
	rc = insert_returning(db_query(c, sql, "iti", r->who.scope_unit_id, name, clock_now()),
			      &id);
	if (rc == ERR_CONFLICT)
		return err_set(&r->err, ERR_CONFLICT, "name",
			       "a responsible unit named %s exists already", name);
	if (rc)
		return rc;
	req_audit_record(r, "org", id);
	struct dbq *q = db_query(c, ORG_COLS " WHERE o.id = $2", "ii", r->who.scope_unit_id, id);
	json_t *o = query_row(q, org_row, &rc);
	if (!o)
		return rc < 0 ? rc : ERR_DB;
	return resp_json(r, 201, o);
}

/* ---------- assignments ---------- */

#define ASSIGNMENT_COLS                                                                \
	"SELECT a.id, a.unit_id, u.name, u.kind, a.leader_id, l.name, l.title, a.org_id," \
	" o.name, a.note FROM assignments a JOIN units u ON u.id = a.unit_id"            \
	" LEFT JOIN leaders l ON l.id = a.leader_id"                                     \
	" LEFT JOIN resp_orgs o ON o.id = a.org_id"

static json_t *assignment_row(struct dbq *q)
{
	return json_pack("{s:I,s:I,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o}", "id",
			 (json_int_t)db_int(q, 0), "unit_id", (json_int_t)db_int(q, 1),
			 "unit_name", db_text(q, 2), "unit_kind", db_text(q, 3), "leader_id",
			 jx_col_int(q, 4), "leader_name", jx_text_or_null(db_text(q, 5)),
			 "leader_title", jx_text_or_null(db_text(q, 6)), "org_id",
			 jx_col_int(q, 7), "org_name", jx_text_or_null(db_text(q, 8)), "note",
			 jx_text_or_null(db_text(q, 9)));
}

static const struct list_col assignment_export[] = {
	{"id", "编号"},           {"unit_id", "单位编号"},   {"unit_name", "包抓对象"},
	{"unit_kind", "类型"},     {"leader_id", "领导编号"}, {"leader_name", "包抓领导"},
	{"leader_title", "职务"},  {"org_id", "包抓单位编号"},   {"org_name", "包抓单位"},
	{"note", "备注"},          {0, 0},
};

static int list_assignments(struct req *r)
{
	static const char sql[] =
		ASSIGNMENT_COLS " WHERE " SCOPE_SQL("a.unit_id", "1") " AND a.id > $2"
		" AND ($3 = 0 OR a.unit_id = $3) AND ($4 = 0 OR a.leader_id = $4)"
		" AND ($5 = 0 OR a.org_id = $5) ORDER BY a.id LIMIT $6";
	struct page pg;
	int64_t unit = 0, leader = 0, org = 0;
	int rc = req_page(r, &pg);
	if (!rc)
		rc = req_query_int(r, "unit_id", 1, INT64_MAX, 0, &unit);
	if (!rc)
		rc = req_query_int(r, "leader_id", 1, INT64_MAX, 0, &leader);
	if (!rc)
		rc = req_query_int(r, "org_id", 1, INT64_MAX, 0, &org);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	struct dbq *q = db_query(c, sql, "iiiiii", r->who.scope_unit_id, pg.after, unit, leader,
				 org, pg.limit + 1);
	return resp_query_list(r, &pg, q, assignment_row, assignment_export, "assignments");
}

static int create_assignment(struct req *r)
{
	static const char sql[] =
		"INSERT INTO assignments(unit_id, leader_id, org_id, note, created_at)"
		" VALUES ($1, $2, $3, $4, $5) RETURNING id";
	int64_t unit = 0, leader = 0, org = 0;
	const char *note = NULL;
	int rc = req_json(r);
	if (!rc)
		rc = jx_id(r, r->json, "unit_id", 1, 0, &unit, NULL);
	if (!rc)
		rc = jx_id(r, r->json, "leader_id", 0, 1, &leader, NULL);
	if (!rc)
		rc = jx_id(r, r->json, "org_id", 0, 1, &org, NULL);
	if (!rc && !leader && !org)
		rc = err_set(&r->err, ERR_INVALID, "leader_id",
			     "give a leader_id or an org_id (one of them)");
	if (!rc && leader && org)
		rc = err_set(&r->err, ERR_INVALID, "org_id",
			     "give a leader_id or an org_id, not both");
	if (!rc)
		rc = jx_str(r, r->json, "note", 0, 200, &note, NULL);
	if (rc)
		return rc;
	if (note && !*note)
		note = NULL;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	char kind[16] = "";
	struct dbq *q = db_query(c, "SELECT kind FROM units WHERE id = $1", "i", unit);
	if (!q)
		return ERR_DB;
	rc = db_step(q);
	if (rc == 1)
		snprintf(kind, sizeof kind, "%s", db_text(q, 0));
	db_done(q);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_INVALID, "unit_id", "no such unit");
	if ((rc = scope_contains(c, r->who.scope_unit_id, unit)) != 1)
		return rc < 0 ? rc
			      : err_set(&r->err, ERR_FORBIDDEN, "unit_id",
					"this unit is outside your area (scope)");
	if (!command_assignable_kind(kind))
		return err_set(&r->err, ERR_RULE, "unit_id",
			       "leaders and responsible units are assigned to towns, sub-districts,"
			       " villages and communities, not to a %s",
			       kind);
	if ((rc = check_leader(r, c, leader, "leader_id")))
		return rc;
	if (org) {
		rc = visible(r, c, org_visible_sql, org);
		if (rc < 0)
			return rc;
		if (rc == 0)
			return err_set(&r->err, ERR_INVALID, "org_id", "no such responsible unit");
	}
	int64_t id = 0;
	rc = insert_returning(db_query(c, sql, "iIIti", unit, leader, org, note, clock_now()), &id);
	if (rc == ERR_CONFLICT)
		return err_set(&r->err, ERR_CONFLICT, leader ? "leader_id" : "org_id",
			       "this %s is already assigned to this unit",
			       leader ? "leader" : "responsible unit");
	if (rc)
		return rc;
	req_audit_record(r, "assignment", id);
	q = db_query(c, ASSIGNMENT_COLS " WHERE a.id = $1", "i", id);
	json_t *a = query_row(q, assignment_row, &rc);
	if (!a)
		return rc < 0 ? rc : ERR_DB;
	return resp_json(r, 201, a);
}

static int delete_assignment(struct req *r)
{
	int64_t id = 0, unit = 0;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	req_audit_record(r, "assignment", id);
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	rc = db_one_int(c, &unit, "SELECT unit_id FROM assignments WHERE id = $1", "i", id);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_NOT_FOUND, "", "no such assignment");
	/* A write outside the scope is 403, as for every record (scope.h). */
	if ((rc = scope_contains(c, r->who.scope_unit_id, unit)) != 1)
		return rc < 0 ? rc : err_set(&r->err, ERR_FORBIDDEN, "",
					     "this assignment is outside your area (scope)");
	int64_t n = db_run(c, "DELETE FROM assignments WHERE id = $1", "i", id);
	if (n < 0)
		return (int)n;
	req_audit_record(r, "assignment", id);
	r->status = 204;
	return 0;
}
