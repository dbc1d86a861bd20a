/* Supervision (督查, DOMAIN.md §10): inspection groups and the general
 * support group, with their members; an inspection by a group on a day
 * targets a working group, a leader's or responsible unit's assignment, or
 * a unit, and records findings, each with a rectification deadline, an
 * owner and a status until rectified; open findings past their deadline
 * are listed for the command. Groups are kept by the command's unit and
 * visible under and above it; inspections and findings belong to the unit
 * inspected and follow the ordinary scope rule. Routes live under
 * /api/v1/supervision/ (enterprise inspections are another feature's). */
#include <stdio.h>
#include <string.h>

#include "../http/scope.h"
#include "daily.h"

static int summary(struct req *r);
static int list_groups(struct req *r);
static int get_group(struct req *r);
static int create_group(struct req *r);
static int add_member(struct req *r);
static int list_inspections(struct req *r);
static int create_inspection(struct req *r);
static int list_findings(struct req *r);
static int create_finding(struct req *r);
static int rectify_finding(struct req *r);

static const struct route routes[] = {
	{"GET", "/api/v1/supervision", summary, P_REPORTS_READ, 0, 0,
	 "groups, inspections of a day, open and overdue findings"},
	{"GET", "/api/v1/supervision/groups", list_groups, P_REPORTS_READ, 0, 0,
	 "inspection groups and the support group"},
	{"GET", "/api/v1/supervision/groups/{id}", get_group, P_REPORTS_READ, 0, 0,
	 "one group with its members"},
	{"POST", "/api/v1/supervision/groups", create_group, P_SUPERVISION_WRITE, 0,
	 ROUTE_IDEMPOTENT, "form a group"},
	{"POST", "/api/v1/supervision/groups/{id}/members", add_member, P_SUPERVISION_WRITE, 0, 0,
	 "add a member to a group"},
	{"GET", "/api/v1/supervision/inspections", list_inspections, P_REPORTS_READ, 0, 0,
	 "inspections"},
	{"POST", "/api/v1/supervision/inspections", create_inspection, P_SUPERVISION_WRITE,
	 64 * 1024, ROUTE_IDEMPOTENT, "record an inspection and its findings"},
	{"GET", "/api/v1/supervision/findings", list_findings, P_REPORTS_READ, 0, 0,
	 "findings; ?overdue=1 for rectifications past their deadline"},
	{"POST", "/api/v1/supervision/findings", create_finding, P_SUPERVISION_WRITE, 0, 0,
	 "add a finding to an inspection"},
	{"POST", "/api/v1/supervision/findings/{id}/rectify", rectify_finding,
	 P_SUPERVISION_WRITE, 0, 0, "record a finding's rectification"},
};
ROUTE_TABLE(supervision_routes, routes);

int supervision_groups_as_of(struct dbc *c, int64_t scope_unit, const char *day,
			     int64_t *inspection, int64_t *support)
{
	static const char sql[] =
		"SELECT COALESCE(SUM(CASE WHEN kind = 'inspection' THEN 1 ELSE 0 END), 0),"
		" COALESCE(SUM(CASE WHEN kind = 'support' THEN 1 ELSE 0 END), 0)"
		" FROM supervision_groups WHERE since_day <= $2 AND "
		DAILY_VISIBLE_SQL("unit_id", "1");
	*inspection = *support = 0;
	struct dbq *q = db_query(c, sql, "it", scope_unit, day);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	if (rc == 1) {
		*inspection = db_int(q, 0);
		*support = db_int(q, 1);
	}
	db_done(q);
	return rc == 1 ? 0 : rc < 0 ? rc : ERR_DB;
}

/* ---------- summary ---------- */

static int summary(struct req *r)
{
	static const char sql[] =
		"SELECT (SELECT COUNT(*) FROM supervision_inspections i WHERE i.day = $2 AND "
		SCOPE_SQL("i.unit_id", "1") "),"
		" (SELECT COUNT(*) FROM supervision_findings f WHERE f.status = 'open' AND "
		SCOPE_SQL("f.unit_id", "1") "),"
		" (SELECT COUNT(*) FROM supervision_findings f WHERE f.status = 'open'"
		" AND f.deadline_day < $2 AND " SCOPE_SQL("f.unit_id", "1") "),"
		" (SELECT COUNT(*) FROM supervision_findings f WHERE f.status = 'rectified' AND "
		SCOPE_SQL("f.unit_id", "1") ")";
	char today[DAY_LEN], day[DAY_LEN];
	daily_today(today);
	int rc = daily_query_day(r, "day", today, day);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	int64_t ins = 0, sup = 0;
	if ((rc = supervision_groups_as_of(c, r->who.scope_unit_id, day, &ins, &sup)))
		return rc;
	struct dbq *q = db_query(c, sql, "it", r->who.scope_unit_id, day);
	if (!q)
		return ERR_DB;
	json_t *out = NULL;
	if ((rc = db_step(q)) == 1)
		out = json_pack("{s:s,s:I,s:I,s:I,s:I,s:I,s:I}", "day", day, "inspection_groups",
				(json_int_t)ins, "support_groups", (json_int_t)sup, "inspections",
				(json_int_t)db_int(q, 0), "findings_open", (json_int_t)db_int(q, 1),
				"findings_overdue", (json_int_t)db_int(q, 2), "findings_rectified",
				(json_int_t)db_int(q, 3));
	db_done(q);
	if (!out)
		return rc < 0 ? rc : ERR_DB;
	return resp_json(r, 200, out);
}

/* ---------- groups ---------- */

#define GROUP_COLS                                                                        \
	"SELECT g.id, g.name, g.kind, g.since_day,"                                       \
	" (SELECT COUNT(*) FROM supervision_members m WHERE m.group_id = g.id),"          \
	" (SELECT MIN(m.name) FROM supervision_members m WHERE m.group_id = g.id AND m.is_lead = 1)," \
	" (SELECT COUNT(*) FROM supervision_inspections i WHERE i.group_id = g.id)"       \
	" FROM supervision_groups g"

static json_t *group_row(struct dbq *q)
{
	return json_pack("{s:I,s:s,s:s,s:s,s:I,s:o,s:I}", "id", (json_int_t)db_int(q, 0), "name",
			 db_text(q, 1), "kind", db_text(q, 2), "since_day", db_text(q, 3),
			 "members", (json_int_t)db_int(q, 4), "lead",
			 jx_text_or_null(db_text(q, 5)), "inspections", (json_int_t)db_int(q, 6));
}

static const struct list_col group_export[] = {
	{"id", "编号"},   {"name", "督查组"}, {"kind", "类型"},    {"lead", "组长"},
	{"members", "成员数"}, {"since_day", "成立日期"}, {"inspections", "督查次数"}, {0, 0},
};

static int list_groups(struct req *r)
{
	static const char sql[] =
		GROUP_COLS " WHERE " DAILY_VISIBLE_SQL("g.unit_id", "1") " AND g.id > $2"
		" AND ($3 = '' OR lower(g.name) LIKE $3 ESCAPE '\\') ORDER BY g.id LIMIT $4";
	return resp_search_list(r, sql, group_row, group_export, "supervision-groups");
}

static const char group_visible_sql[] =
	"SELECT unit_id FROM supervision_groups WHERE id = $1 AND "
	DAILY_VISIBLE_SQL("unit_id", "2");

static int get_group(struct req *r)
{
	int64_t id = 0;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	rc = db_one_int(c, NULL, group_visible_sql, "ii", id, r->who.scope_unit_id);
	if (rc <= 0)
		return rc < 0 ? rc : err_set(&r->err, ERR_NOT_FOUND, "", "no such inspection group");
	json_t *g = query_row(db_query(c, GROUP_COLS " WHERE g.id = $1", "i", id), group_row, &rc);
	if (!g)
		return rc < 0 ? rc : ERR_DB;
	json_t *members = json_array();
	struct dbq *q = db_query(c, "SELECT id, name, title, is_lead FROM supervision_members"
				    " WHERE group_id = $1 ORDER BY is_lead DESC, id", "i", id);
	while (q && db_step(q) == 1)
		json_array_append_new(members, json_pack("{s:I,s:s,s:o,s:b}", "id",
							 (json_int_t)db_int(q, 0), "name",
							 db_text(q, 1), "title",
							 jx_text_or_null(db_text(q, 2)), "is_lead",
							 (int)db_int(q, 3)));
	db_done(q);
	json_object_set_new(g, "member_list", members);
	return resp_json(r, 200, g);
}

static int insert_member(struct req *r, struct dbc *c, int64_t group, json_t *m, const char *f)
{
	static const char sql[] = "INSERT INTO supervision_members(group_id, name, title, is_lead,"
				  " created_at) VALUES ($1, $2, $3, $4, $5)";
	json_t *saved = r->json;
	r->json = m;
	const char *name = NULL, *title = NULL;
	int lead = 0;
	int rc = json_is_object(m) ? 0 : err_set(&r->err, ERR_INVALID, f, "must be an object");
	if (!rc)
		rc = jx_str(r, m, "name", 1, 64, &name, NULL);
	if (!rc)
		rc = jx_str(r, m, "title", 0, 64, &title, NULL);
	if (!rc)
		rc = jx_bool(r, m, "is_lead", 0, &lead, NULL);
	r->json = saved;
	if (rc)
		return rc;
	int64_t n = db_run(c, sql, "ittii", group, name, title && *title ? title : NULL,
			   (int64_t)lead, clock_now());
	return n < 0 ? (int)n : 0;
}

static int create_group(struct req *r)
{
	static const char sql[] =
		"INSERT INTO supervision_groups(unit_id, name, kind, since_day, created_at)"
		" VALUES ($1, $2, $3, $4, $5) RETURNING id";
	const char *name = NULL, *kind = NULL;
	char since[DAY_LEN], today[DAY_LEN];
	daily_today(today);
	int rc = req_json(r);
	if (!rc)
		rc = jx_str(r, r->json, "name", 1, 64, &name, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "kind", 1, 16, &kind, NULL);
	if (!rc && strcmp(kind, "inspection") && strcmp(kind, "support"))
		rc = err_set(&r->err, ERR_INVALID, "kind", "must be inspection or support");
	if (!rc)
		rc = daily_json_day(r, "since_day", 0, since);
	json_t *members = json_object_get(r->json, "members");
	if (!rc && members && !json_is_array(members))
		rc = err_set(&r->err, ERR_INVALID, "members", "must be a list");
	if (rc)
		return rc;
	if (!since[0])
		snprintf(since, sizeof since, "%s", today);
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	int64_t id = 0;
	rc = daily_insert(db_query(c, sql, "ittti", r->who.scope_unit_id, name, kind, since,
				   clock_now()),
			  &id);
	if (rc == ERR_CONFLICT)
		return err_set(&r->err, ERR_CONFLICT, "name", "a group named %s exists already", name);
	if (rc)
		return rc;
	size_t i;
	json_t *m;
	json_array_foreach(members, i, m)
	{
		if ((rc = insert_member(r, c, id, m, "members")))
			return rc;
	}
	req_audit_record(r, "supervision_group", id);
	json_t *g = query_row(db_query(c, GROUP_COLS " WHERE g.id = $1", "i", id), group_row, &rc);
	return g ? resp_json(r, 201, g) : rc < 0 ? rc : ERR_DB;
}

static int add_member(struct req *r)
{
	int64_t id = 0, unit = 0;
	int rc = req_param_id(r, "id", &id);
	if (!rc) {
		req_audit_record(r, "supervision_group", id);
		rc = req_json(r);
	}
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	rc = db_one_int(c, &unit, group_visible_sql, "ii", id, r->who.scope_unit_id);
	if (rc <= 0)
		return rc < 0 ? rc : err_set(&r->err, ERR_NOT_FOUND, "", "no such inspection group");
	if ((rc = scope_contains(c, r->who.scope_unit_id, unit)) != 1)
		return rc < 0 ? rc
			      : err_set(&r->err, ERR_FORBIDDEN, "",
					"this group belongs to a unit above your area (scope)");
	if ((rc = insert_member(r, c, id, r->json, "")))
		return rc;
	return get_group(r);
}

/* ---------- inspections ---------- */

#define INSPECTION_COLS                                                                   \
	"SELECT i.id, i.group_id, g.name, i.unit_id, u.name, i.day, i.target,"           \
	" i.target_group_id, w.name, i.target_assignment_id, COALESCE(l.name, o.name),"  \
	" i.summary, (SELECT COUNT(*) FROM supervision_findings f WHERE f.inspection_id = i.id)," \
	" (SELECT COUNT(*) FROM supervision_findings f WHERE f.inspection_id = i.id"      \
	" AND f.status = 'open')"                                                         \
	" FROM supervision_inspections i JOIN supervision_groups g ON g.id = i.group_id" \
	" JOIN units u ON u.id = i.unit_id"                                               \
	" LEFT JOIN working_groups w ON w.id = i.target_group_id"                         \
	" LEFT JOIN assignments a ON a.id = i.target_assignment_id"                       \
	" LEFT JOIN leaders l ON l.id = a.leader_id LEFT JOIN resp_orgs o ON o.id = a.org_id"

static json_t *inspection_row(struct dbq *q)
{
	return json_pack("{s:I,s:I,s:s,s:I,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:I,s:I}", "id",
			 (json_int_t)db_int(q, 0), "group_id", (json_int_t)db_int(q, 1),
			 "group_name", db_text(q, 2), "unit_id", (json_int_t)db_int(q, 3),
			 "unit_name", db_text(q, 4), "day", db_text(q, 5), "target", db_text(q, 6),
			 "target_group_id", jx_col_int(q, 7), "target_group_name",
			 jx_text_or_null(db_text(q, 8)), "target_assignment_id", jx_col_int(q, 9),
			 "assignee", jx_text_or_null(db_text(q, 10)), "summary",
			 jx_text_or_null(db_text(q, 11)), "findings", (json_int_t)db_int(q, 12),
			 "findings_open", (json_int_t)db_int(q, 13));
}

static const struct list_col inspection_export[] = {
	{"id", "编号"},           {"day", "日期"},         {"group_name", "督查组"},
	{"target", "对象类型"},    {"unit_name", "督查单位"}, {"target_group_name", "工作组"},
	{"assignee", "包抓人/单位"}, {"summary", "督查情况"}, {"findings", "问题数"},
	{"findings_open", "未整改"}, {0, 0},
};

static int list_inspections(struct req *r)
{
	static const char sql[] =
		INSPECTION_COLS " WHERE " SCOPE_SQL("i.unit_id", "1")
		" AND ($3 = '' OR i.day >= $3) AND ($4 = '' OR i.day <= $4)"
		" AND ($5 = 0 OR i.group_id = $5)" PAGE_ID_SQL("i.id", "2", "7") " LIMIT $6";
	struct page pg;
	char day[DAY_LEN], from[DAY_LEN], to[DAY_LEN];
	int64_t group = 0;
	int rc = req_page(r, &pg);
	if (!rc)
		rc = daily_query_day(r, "day", NULL, day);
	if (!rc)
		rc = daily_query_day(r, "from", day, from);
	if (!rc)
		rc = daily_query_day(r, "to", day, to);
	if (!rc)
		rc = req_query_int(r, "group_id", 1, INT64_MAX, 0, &group);
	if (rc)
		return rc;
	struct dbq *q = db_query(req_db(r), sql, "iittiii", r->who.scope_unit_id, pg.after, from,
				 to, group, pg.limit + 1, (int64_t)pg.desc);
	return resp_query_list(r, &pg, q, inspection_row, inspection_export,
			       "supervision-inspections");
}

/* Validates and stores one finding from object f (the body, or an item of
 * an inspection's "findings"); *id is the new finding's. */
static int insert_finding(struct req *r, struct dbc *c, int64_t inspection, int64_t unit,
			  const char *inspection_day, json_t *f, int64_t *id)
{
	static const char sql[] =
		"INSERT INTO supervision_findings(inspection_id, unit_id, text, deadline_day, owner,"
		" status, created_at) VALUES ($1, $2, $3, $4, $5, 'open', $6) RETURNING id";
	json_t *saved = r->json;
	r->json = f;
	const char *text = NULL, *owner = NULL;
	char deadline[DAY_LEN];
	int rc = json_is_object(f) ? 0
				   : err_set(&r->err, ERR_INVALID, "findings", "must be a list of objects");
	if (!rc)
		rc = daily_json_text(r, "text", 1, 2000, &text, NULL);
	if (!rc)
		rc = daily_json_day(r, "deadline_day", 1, deadline);
	if (!rc)
		rc = jx_str(r, f, "owner", 1, 100, &owner, NULL);
	r->json = saved;
	if (rc)
		return rc;
	if (strcmp(deadline, inspection_day) < 0)
		return err_set(&r->err, ERR_RULE, "deadline_day",
			       "a rectification deadline is not before the inspection (%s)",
			       inspection_day);
	return daily_insert(db_query(c, sql, "iittti", inspection, unit, text, deadline, owner,
				     clock_now()),
			    id);
}

static int create_inspection(struct req *r)
{
	static const char sql[] =
		"INSERT INTO supervision_inspections(group_id, unit_id, day, target, target_group_id,"
		" target_assignment_id, summary, created_by, created_at)"
		" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
	int64_t group = 0, tgroup = 0, tassign = 0, unit = 0;
	const char *target = NULL, *text = NULL;
	char day[DAY_LEN];
	int rc = req_json(r);
	if (!rc)
		rc = jx_id(r, r->json, "group_id", 1, 0, &group, NULL);
	if (!rc)
		rc = daily_json_day(r, "day", 0, day);
	if (!rc)
		rc = jx_str(r, r->json, "target", 1, 16, &target, NULL);
	if (!rc && strcmp(target, "group") && strcmp(target, "assignment") && strcmp(target, "unit"))
		rc = err_set(&r->err, ERR_INVALID, "target", "must be group, assignment or unit");
	if (!rc && !strcmp(target, "group"))
		rc = jx_id(r, r->json, "target_group_id", 1, 0, &tgroup, NULL);
	if (!rc && !strcmp(target, "assignment"))
		rc = jx_id(r, r->json, "target_assignment_id", 1, 0, &tassign, NULL);
	if (!rc && !strcmp(target, "unit"))
		rc = jx_id(r, r->json, "unit_id", 1, 0, &unit, NULL);
	if (!rc)
		rc = daily_json_text(r, "summary", 0, 4000, &text, NULL);
	json_t *findings = json_object_get(r->json, "findings");
	if (!rc && findings && !json_is_array(findings))
		rc = err_set(&r->err, ERR_INVALID, "findings", "must be a list of objects");
	if (rc)
		return rc;
	if ((rc = daily_day_up_to_today(r, day)))
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	rc = db_one_int(c, NULL, group_visible_sql, "ii", group, r->who.scope_unit_id);
	if (rc <= 0)
		return rc < 0 ? rc : err_set(&r->err, ERR_INVALID, "group_id", "no such inspection group");
	if (tgroup) {
		/* a working group is inspected at the unit that keeps it */
		rc = db_one_int(c, &unit,
				"SELECT unit_id FROM working_groups WHERE id = $1 AND "
				DAILY_VISIBLE_SQL("unit_id", "2"),
				"ii", tgroup, r->who.scope_unit_id);
		if (rc <= 0)
			return rc < 0 ? rc
				      : err_set(&r->err, ERR_INVALID, "target_group_id",
						"no such working group");
	} else if (tassign) {
		rc = db_one_int(c, &unit, "SELECT unit_id FROM assignments WHERE id = $1", "i",
				tassign);
		if (rc < 0)
			return rc;
		if (rc == 0 || scope_contains(c, r->who.scope_unit_id, unit) != 1)
			return err_set(&r->err, ERR_INVALID, "target_assignment_id",
				       "no such assignment");
	}
	if ((rc = daily_unit_for_write(r, c, unit, tgroup || tassign ? "target" : "unit_id", NULL)))
		return rc;
	int64_t id = 0;
	rc = daily_insert(db_query(c, sql, "iittIItIi", group, unit, day, target, tgroup, tassign,
				   text, r->who.user_id, clock_now()),
			  &id);
	if (rc)
		return rc;
	size_t i;
	json_t *f;
	json_array_foreach(findings, i, f)
	{
		int64_t fid = 0;
		if ((rc = insert_finding(r, c, id, unit, day, f, &fid)))
			return rc;
	}
	req_audit_record(r, "supervision_inspection", id);
	json_t *o = query_row(db_query(c, INSPECTION_COLS " WHERE i.id = $1", "i", id),
			      inspection_row, &rc);
	return o ? resp_json(r, 201, o) : rc < 0 ? rc : ERR_DB;
}

/* ---------- findings ---------- */

#define FINDING_COLS                                                                      \
	"SELECT f.id, f.inspection_id, i.day, g.name, f.unit_id, u.name, f.text,"        \
	" f.deadline_day, f.owner, f.status, f.resolution, f.rectified_day"              \
	" FROM supervision_findings f JOIN supervision_inspections i ON i.id = f.inspection_id" \
	" JOIN supervision_groups g ON g.id = i.group_id JOIN units u ON u.id = f.unit_id"

static _Thread_local char finding_day[DAY_LEN];

static json_t *finding_row(struct dbq *q)
{
	const char *deadline = db_text(q, 7), *status = db_text(q, 9);
	int overdue = strcmp(status, "open") == 0 && strcmp(deadline, finding_day) < 0;
	return json_pack("{s:I,s:I,s:s,s:s,s:I,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:b}", "id",
			 (json_int_t)db_int(q, 0), "inspection_id", (json_int_t)db_int(q, 1),
			 "inspection_day", db_text(q, 2), "group_name", db_text(q, 3), "unit_id",
			 (json_int_t)db_int(q, 4), "unit_name", db_text(q, 5), "text", db_text(q, 6),
			 "deadline_day", deadline, "owner", db_text(q, 8), "status", status,
			 "resolution", jx_text_or_null(db_text(q, 10)), "rectified_day",
			 jx_text_or_null(db_text(q, 11)), "overdue", overdue);
}

static const struct list_col finding_export[] = {
	{"id", "编号"},              {"inspection_day", "督查日期"}, {"group_name", "督查组"},
	{"unit_name", "单位"},        {"text", "问题"},           {"owner", "责任人"},
	{"deadline_day", "整改期限"}, {"status", "状态"},         {"overdue", "逾期"},
	{"rectified_day", "整改日期"}, {"resolution", "整改情况"},  {0, 0},
};

static int list_findings(struct req *r)
{
	static const char sql[] =
		FINDING_COLS " WHERE " SCOPE_SQL("f.unit_id", "1") " AND f.id > $2"
		" AND ($3 = '' OR f.status = $3)"
		" AND ($4 = 0 OR (f.status = 'open' AND f.deadline_day < $5))"
		" AND ($6 = 0 OR f.inspection_id = $6) ORDER BY f.id LIMIT $7";
	struct page pg;
	const char *status = req_query(r, "status");
	int64_t overdue = 0, inspection = 0;
	char today[DAY_LEN];
	int rc = req_page(r, &pg);
	if (!rc && status && *status && strcmp(status, "open") && strcmp(status, "rectified"))
		rc = err_set(&r->err, ERR_INVALID, "status", "must be open or rectified");
	if (!rc)
		rc = req_query_int(r, "overdue", 0, 1, 0, &overdue);
	if (!rc)
		rc = req_query_int(r, "inspection_id", 1, INT64_MAX, 0, &inspection);
	if (!rc)
		rc = daily_query_day(r, "day", NULL, today);
	if (rc)
		return rc;
	if (!today[0])
		daily_today(today);
	snprintf(finding_day, sizeof finding_day, "%s", today);
	struct dbq *q = db_query(req_db(r), sql, "iititii", r->who.scope_unit_id, pg.after,
				 status ? status : "", overdue, today, inspection, pg.limit + 1);
	return resp_query_list(r, &pg, q, finding_row, finding_export, "supervision-findings");
}

static int respond_finding(struct req *r, struct dbc *c, int64_t id, int status)
{
	int rc;
	daily_today(finding_day);
	json_t *f = query_row(db_query(c, FINDING_COLS " WHERE f.id = $1", "i", id), finding_row,
			      &rc);
	return f ? resp_json(r, status, f) : rc < 0 ? rc : ERR_DB;
}

static int create_finding(struct req *r)
{
	int64_t inspection = 0, unit = 0, id = 0;
	char day[DAY_LEN] = "";
	int rc = req_json(r);
	if (!rc)
		rc = jx_id(r, r->json, "inspection_id", 1, 0, &inspection, NULL);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	struct dbq *q = db_query(c, "SELECT unit_id, day FROM supervision_inspections WHERE id = $1",
				 "i", inspection);
	if (!q)
		return ERR_DB;
	if ((rc = db_step(q)) == 1) {
		unit = db_int(q, 0);
		snprintf(day, sizeof day, "%s", db_text(q, 1));
	}
	db_done(q);
	if (rc < 0)
		return rc;
	if (rc == 0 || scope_contains(c, r->who.scope_unit_id, unit) != 1)
		return err_set(&r->err, ERR_INVALID, "inspection_id", "no such inspection");
	if ((rc = insert_finding(r, c, inspection, unit, day, r->json, &id)))
		return rc;
	req_audit_record(r, "supervision_finding", id);
	return respond_finding(r, c, id, 201);
}

static int rectify_finding(struct req *r)
{
	int64_t id = 0, unit = 0;
	const char *resolution = NULL;
	char day[DAY_LEN];
	int rc = req_param_id(r, "id", &id);
	if (!rc) {
		req_audit_record(r, "supervision_finding", id);
		rc = req_json(r);
	}
	if (!rc)
		rc = daily_json_text(r, "resolution", 1, 2000, &resolution, NULL);
	if (!rc)
		rc = daily_json_day(r, "day", 0, day);
	if (rc)
		return rc;
	if ((rc = daily_day_up_to_today(r, day)))
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	rc = db_one_int(c, &unit, "SELECT unit_id FROM supervision_findings WHERE id = $1", "i", id);
	if (rc < 0)
		return rc;
	if (rc == 0 || (rc = scope_contains(c, r->who.scope_unit_id, unit)) != 1)
		return rc < 0 ? rc : err_set(&r->err, ERR_NOT_FOUND, "", "no such finding");
	int64_t n = db_run(c,
			   "UPDATE supervision_findings SET status = 'rectified', resolution = $2,"
			   " rectified_day = $3 WHERE id = $1 AND status = 'open'",
			   "itt", id, resolution, day);
	if (n < 0)
		return (int)n;
	if (n == 0)
		return err_set(&r->err, ERR_CONFLICT, "", "this finding is rectified already");
	r->audit_detail = "rectified";
	return respond_finding(r, c, id, 200);
}
