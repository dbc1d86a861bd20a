/* The evening dispatch (日调度, DOMAIN.md §1): a meeting each evening of a
 * command (the unit of its scope); each working group reports its progress
 * and raises problems; each problem has an owner (a user or a responsible
 * unit), a due day and a status until it is closed with its resolution.
 * Open problems carry over to every later meeting by rule, not by copying
 * (dispatch_on_agenda), and are flagged overdue after their due day
 * (dispatch_overdue). A meeting's record prints on one A4 page
 * (GET .../print, plain HTML with print styles). */
#include <stdio.h>
#include <string.h>

#include "../base/buf.h"
#include "../http/scope.h"
#include "daily.h"

static int list_meetings(struct req *r);
static int get_meeting(struct req *r);
static int create_meeting(struct req *r);
static int set_progress(struct req *r);
static int raise_problem(struct req *r);
static int list_problems(struct req *r);
static int close_problem(struct req *r);
static int print_meeting(struct req *r);

static const struct route routes[] = {
	{"GET", "/api/v1/dispatch/meetings", list_meetings, P_REPORTS_READ, 0, 0,
	 "evening dispatch meetings"},
	{"GET", "/api/v1/dispatch/meetings/{id}", get_meeting, P_REPORTS_READ, 0, 0,
	 "a meeting: the groups' progress and its agenda of problems"},
	{"GET", "/api/v1/dispatch/meetings/{id}/print", print_meeting, P_REPORTS_READ, 0, 0,
	 "a meeting's record on one A4 page"},
	{"POST", "/api/v1/dispatch/meetings", create_meeting, P_DISPATCH_WRITE, 16 * 1024,
	 ROUTE_IDEMPOTENT, "hold the evening's meeting"},
	{"POST", "/api/v1/dispatch/meetings/{id}/progress", set_progress, P_DISPATCH_WRITE,
	 16 * 1024, 0, "a working group's progress at a meeting"},
	{"POST", "/api/v1/dispatch/meetings/{id}/problems", raise_problem, P_DISPATCH_WRITE,
	 16 * 1024, ROUTE_IDEMPOTENT, "raise a problem at a meeting"},
	{"GET", "/api/v1/dispatch/problems", list_problems, P_REPORTS_READ, 0, 0,
	 "problems; ?status=open, ?overdue=1"},
	{"POST", "/api/v1/dispatch/problems/{id}/close", close_problem, P_DISPATCH_WRITE,
	 16 * 1024, 0, "close a problem with its resolution"},
};
ROUTE_TABLE(dispatch_routes, routes);

int dispatch_on_agenda(const char *raised_day, const char *closed_day, const char *day)
{
	if (strcmp(raised_day, day) > 0)
		return 0;
	return !closed_day || !*closed_day || strcmp(closed_day, day) >= 0;
}

int dispatch_overdue(const char *due_day, const char *closed_day, const char *day)
{
	if (strcmp(due_day, day) >= 0)
		return 0;
	return !closed_day || !*closed_day || strcmp(closed_day, day) > 0;
}

/* ---------- meetings ---------- */

#define MEETING_COLS                                                                       \
	"SELECT m.id, m.unit_id, u.name, m.day, m.chair, m.notes, m.created_at,"           \
	" (SELECT COUNT(*) FROM dispatch_reports d WHERE d.meeting_id = m.id),"            \
	" (SELECT COUNT(*) FROM dispatch_problems p WHERE p.meeting_id = m.id),"           \
	" (SELECT COUNT(*) FROM dispatch_problems p WHERE p.unit_id = m.unit_id"           \
	" AND p.raised_day <= m.day AND (p.closed_day IS NULL OR p.closed_day >= m.day)),"  \
	" (SELECT COUNT(*) FROM dispatch_problems p WHERE p.unit_id = m.unit_id"           \
	" AND p.closed_day = m.day)"                                                       \
	" FROM dispatch_meetings m JOIN units u ON u.id = m.unit_id"

static json_t *meeting_row(struct dbq *q)
{
	return json_pack("{s:I,s:I,s:s,s:s,s:o,s:o,s:I,s:I,s:I,s:I,s:I}", "id",
			 (json_int_t)db_int(q, 0), "unit_id", (json_int_t)db_int(q, 1), "unit_name",
			 db_text(q, 2), "day", db_text(q, 3), "chair",
			 jx_text_or_null(db_text(q, 4)), "notes", jx_text_or_null(db_text(q, 5)),
			 "created_at", (json_int_t)db_int(q, 6), "progress_reports",
			 (json_int_t)db_int(q, 7), "problems_raised", (json_int_t)db_int(q, 8),
			 "agenda", (json_int_t)db_int(q, 9), "problems_closed",
			 (json_int_t)db_int(q, 10));
}

static const struct list_col meeting_export[] = {
	{"id", "编号"},   {"day", "日期"},     {"unit_name", "指挥部"}, {"chair", "主持"},
	{"progress_reports", "工作组汇报"}, {"problems_raised", "新提问题"},
	{"agenda", "议定问题"}, {"problems_closed", "当日办结"}, {"notes", "纪要"}, {0, 0},
};

static int list_meetings(struct req *r)
{
	static const char sql[] =
		MEETING_COLS " WHERE " SCOPE_SQL("m.unit_id", "1")
		" AND ($3 = '' OR m.day >= $3) AND ($4 = '' OR m.day <= $4)"
		PAGE_ID_SQL("m.id", "2", "6") " LIMIT $5";
	struct page pg;
	char from[DAY_LEN], to[DAY_LEN];
	int rc = req_page(r, &pg);
	if (!rc)
		rc = daily_query_day(r, "from", NULL, from);
	if (!rc)
		rc = daily_query_day(r, "to", NULL, to);
	if (rc)
		return rc;
	struct dbq *q = db_query(req_db(r), sql, "iittii", r->who.scope_unit_id, pg.after, from, to,
				 pg.limit + 1, (int64_t)pg.desc);
	return resp_query_list(r, &pg, q, meeting_row, meeting_export, "dispatch-meetings");
}

/* A meeting of the caller's command or one inside it: its unit and day;
 * 404 otherwise (a meeting kept above the scope is not revealed, for
 * reads and writes alike). */
static int meeting_unit(struct req *r, struct dbc *c, int64_t id, int64_t *unit,
			char day[DAY_LEN])
{
	struct dbq *q = db_query(c, "SELECT unit_id, day FROM dispatch_meetings WHERE id = $1", "i",
				 id);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	if (rc == 1) {
		*unit = db_int(q, 0);
		snprintf(day, DAY_LEN, "%s", db_text(q, 1));
	}
	db_done(q);
	if (rc < 0)
		return rc;
	if (rc == 1 && (rc = scope_contains(c, r->who.scope_unit_id, *unit)) < 0)
		return rc;
	return rc == 1 ? 0 : err_set(&r->err, ERR_NOT_FOUND, "", "no such meeting");
}

#define PROBLEM_COLS                                                                      \
	"SELECT p.id, p.unit_id, p.meeting_id, p.raised_day, p.group_id, g.name, p.title,"  \
	" p.owner_user_id, s.name, p.owner_org_id, o.name, p.due_day, p.status,"           \
	" p.resolution, p.closed_day FROM dispatch_problems p"                              \
	" LEFT JOIN working_groups g ON g.id = p.group_id"                                  \
	" LEFT JOIN users s ON s.id = p.owner_user_id"                                      \
	" LEFT JOIN resp_orgs o ON o.id = p.owner_org_id"

/* The day overdue and carry-over are judged on; set before rows are built. */
static _Thread_local char judge_day[DAY_LEN];

static json_t *problem_row(struct dbq *q)
{
	const char *raised = db_text(q, 3), *due = db_text(q, 11), *closed = db_text(q, 14);
	const char *owner = db_text(q, 8) ? db_text(q, 8) : db_text(q, 10);
	return json_pack("{s:I,s:I,s:I,s:s,s:o,s:o,s:s,s:o,s:o,s:o,s:s,s:s,s:o,s:o,s:b,s:b}",
			 "id", (json_int_t)db_int(q, 0), "unit_id", (json_int_t)db_int(q, 1),
			 "meeting_id", (json_int_t)db_int(q, 2), "raised_day", raised, "group_id",
			 jx_col_int(q, 4), "group_name", jx_text_or_null(db_text(q, 5)), "title",
			 db_text(q, 6), "owner_user_id", jx_col_int(q, 7), "owner_org_id",
			 jx_col_int(q, 9), "owner", jx_text_or_null(owner), "due_day", due, "status",
			 db_text(q, 12), "resolution", jx_text_or_null(db_text(q, 13)), "closed_day",
			 jx_text_or_null(closed), "overdue", dispatch_overdue(due, closed, judge_day),
			 "carried_over", strcmp(raised, judge_day) < 0);
}

/* The meeting with its progress reports and agenda, as JSON. */
static json_t *meeting_full(struct dbc *c, int64_t id, int *rc)
{
	json_t *m = query_row(db_query(c, MEETING_COLS " WHERE m.id = $1", "i", id), meeting_row, rc);
	if (!m)
		return NULL;
	const char *day = json_string_value(json_object_get(m, "day"));
	int64_t unit = json_integer_value(json_object_get(m, "unit_id"));
	json_t *progress = json_array();
	struct dbq *q = db_query(c,
				 "SELECT d.group_id, g.name, d.progress FROM dispatch_reports d"
				 " JOIN working_groups g ON g.id = d.group_id WHERE d.meeting_id = $1"
				 " ORDER BY g.sort, g.id",
				 "i", id);
	while (q && db_step(q) == 1)
		json_array_append_new(progress, json_pack("{s:I,s:s,s:s}", "group_id",
							  (json_int_t)db_int(q, 0), "group_name",
							  db_text(q, 1), "progress", db_text(q, 2)));
	db_done(q);
	snprintf(judge_day, sizeof judge_day, "%s", day);
	json_t *agenda = json_array();
	q = db_query(c, PROBLEM_COLS " WHERE p.unit_id = $1 AND p.raised_day <= $2"
				     " AND (p.closed_day IS NULL OR p.closed_day >= $2) AND p.id > $3"
				     " ORDER BY p.id LIMIT $4",
		     "itii", unit, day, (int64_t)0, (int64_t)1001);
	struct page pg = {.limit = 1000};
	int64_t next = 0;
	int r2 = list_collect(q, &pg, agenda, problem_row, &next);
	if (r2 < 0) {
		json_decref(m);
		json_decref(progress);
		json_decref(agenda);
		*rc = r2;
		return NULL;
	}
	json_object_set_new(m, "progress", progress);
	json_object_set_new(m, "problems", agenda);
	return m;
}

static int get_meeting(struct req *r)
{
	int64_t id = 0, unit = 0;
	char day[DAY_LEN];
	int rc = req_param_id(r, "id", &id);
	if (!rc)
		rc = meeting_unit(r, req_db(r), id, &unit, day);
	if (rc)
		return rc;
	json_t *m = meeting_full(req_db(r), id, &rc);
	return m ? resp_json(r, 200, m) : rc < 0 ? rc : ERR_DB;
}

static int create_meeting(struct req *r)
{
	static const char sql[] =
		"INSERT INTO dispatch_meetings(unit_id, day, chair, notes, created_by, created_at)"
		" VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
	char day[DAY_LEN];
	const char *chair = NULL, *notes = NULL;
	int rc = req_json(r);
	if (!rc)
		rc = daily_json_day(r, "day", 0, day);
	if (!rc)
		rc = jx_str(r, r->json, "chair", 0, 64, &chair, NULL);
	if (!rc)
		rc = daily_json_text(r, "notes", 0, 4000, &notes, NULL);
	if (rc)
		return rc;
	if ((rc = daily_day_up_to_today(r, day)))
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	int64_t id = 0;
	rc = daily_insert(db_query(c, sql, "itttIi", r->who.scope_unit_id,
				   day, chair && *chair ? chair : NULL, notes, r->who.user_id,
				   clock_now()),
			  &id);
	if (rc == ERR_CONFLICT)
		return err_set(&r->err, ERR_CONFLICT, "day", "the meeting of %s is held already", day);
	if (rc)
		return rc;
	req_audit_record(r, "dispatch_meeting", id);
	json_t *m = meeting_full(c, id, &rc);
	return m ? resp_json(r, 201, m) : rc < 0 ? rc : ERR_DB;
}

static int set_progress(struct req *r)
{
	static const char sql[] =
		"INSERT INTO dispatch_reports(meeting_id, group_id, progress, created_at)"
		" VALUES ($1, $2, $3, $4) ON CONFLICT (meeting_id, group_id)"
		" DO UPDATE SET progress = excluded.progress";
	int64_t id = 0, unit = 0, group = 0;
	const char *progress = NULL;
	char day[DAY_LEN];
	int rc = req_param_id(r, "id", &id);
	if (!rc) {
		req_audit_record(r, "dispatch_meeting", id);
		rc = req_json(r);
	}
	if (!rc)
		rc = jx_id(r, r->json, "group_id", 1, 0, &group, NULL);
	if (!rc)
		rc = daily_json_text(r, "progress", 1, 4000, &progress, NULL);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if ((rc = meeting_unit(r, c, id, &unit, day)))
		return rc;
	rc = db_one_int(c, NULL, "SELECT 1 FROM working_groups WHERE id = $1 AND "
				 DAILY_VISIBLE_SQL("unit_id", "2"), "ii", group, r->who.scope_unit_id);
	if (rc <= 0)
		return rc < 0 ? rc : err_set(&r->err, ERR_INVALID, "group_id", "no such working group");
	int64_t n = db_run(c, sql, "iiti", id, group, progress, clock_now());
	if (n < 0)
		return (int)n;
	json_t *m = meeting_full(c, id, &rc);
	return m ? resp_json(r, 200, m) : rc < 0 ? rc : ERR_DB;
}

static int raise_problem(struct req *r)
{
	static const char sql[] =
		"INSERT INTO dispatch_problems(unit_id, meeting_id, raised_day, group_id, title,"
		" owner_user_id, owner_org_id, due_day, status, created_at)"
		" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9) RETURNING id";
	int64_t id = 0, unit = 0, group = 0, user = 0, org = 0;
	const char *title = NULL;
	char day[DAY_LEN], due[DAY_LEN];
	int rc = req_param_id(r, "id", &id);
	if (!rc)
		rc = req_json(r);
	if (!rc)
		rc = daily_json_text(r, "title", 1, 500, &title, NULL);
	if (!rc)
		rc = jx_id(r, r->json, "group_id", 0, 1, &group, NULL);
	if (!rc)
		rc = jx_id(r, r->json, "owner_user_id", 0, 1, &user, NULL);
	if (!rc)
		rc = jx_id(r, r->json, "owner_org_id", 0, 1, &org, NULL);
	if (!rc && !user && !org)
		rc = err_set(&r->err, ERR_INVALID, "owner_user_id",
			     "give an owner: owner_user_id or owner_org_id");
	if (!rc && user && org)
		rc = err_set(&r->err, ERR_INVALID, "owner_org_id",
			     "give owner_user_id or owner_org_id, not both");
	if (!rc)
		rc = daily_json_day(r, "due_day", 1, due);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if ((rc = meeting_unit(r, c, id, &unit, day)))
		return rc;
	if (strcmp(due, day) < 0)
		return err_set(&r->err, ERR_RULE, "due_day", "a problem is not due before the meeting (%s)",
			       day);
	if (group) {
		rc = db_one_int(c, NULL, "SELECT 1 FROM working_groups WHERE id = $1 AND "
					 DAILY_VISIBLE_SQL("unit_id", "2"), "ii", group,
				r->who.scope_unit_id);
		if (rc <= 0)
			return rc < 0 ? rc
				      : err_set(&r->err, ERR_INVALID, "group_id", "no such working group");
	}
	if (user) {
		/* the owner is a user of this command or inside it */
		rc = db_one_int(c, NULL, "SELECT 1 FROM users WHERE id = $1 AND "
					 SCOPE_SQL("scope_unit_id", "2"), "ii", user, unit);
		if (rc <= 0)
			return rc < 0 ? rc : err_set(&r->err, ERR_INVALID, "owner_user_id", "no such user");
	}
	if (org) {
		rc = db_one_int(c, NULL, "SELECT 1 FROM resp_orgs WHERE id = $1 AND "
					 DAILY_VISIBLE_SQL("unit_id", "2"), "ii", org,
				r->who.scope_unit_id);
		if (rc <= 0)
			return rc < 0 ? rc
				      : err_set(&r->err, ERR_INVALID, "owner_org_id",
						"no such responsible unit");
	}
	int64_t pid = 0;
	rc = daily_insert(db_query(c, sql, "iitItIIti", unit, id, day, group, title, user, org, due,
				   clock_now()),
			  &pid);
	if (rc)
		return rc;
	req_audit_record(r, "dispatch_problem", pid);
	snprintf(judge_day, sizeof judge_day, "%s", day);
	json_t *p = query_row(db_query(c, PROBLEM_COLS " WHERE p.id = $1", "i", pid), problem_row,
			      &rc);
	return p ? resp_json(r, 201, p) : rc < 0 ? rc : ERR_DB;
}

static const struct list_col problem_export[] = {
	{"id", "编号"},         {"raised_day", "提出日期"}, {"group_name", "工作组"},
	{"title", "问题"},       {"owner", "责任人/单位"},  {"due_day", "办结期限"},
	{"status", "状态"},      {"overdue", "逾期"},       {"closed_day", "办结日期"},
	{"resolution", "办理结果"}, {0, 0},
};

static int list_problems(struct req *r)
{
	static const char sql[] =
		PROBLEM_COLS " WHERE " SCOPE_SQL("p.unit_id", "1") " AND p.id > $2"
		" AND ($3 = '' OR p.status = $3)"
		" AND ($4 = 0 OR (p.status = 'open' AND p.due_day < $5))"
		" AND ($6 = 0 OR p.group_id = $6) ORDER BY p.id LIMIT $7";
	struct page pg;
	const char *status = req_query(r, "status");
	int64_t overdue = 0, group = 0;
	char today[DAY_LEN];
	daily_today(today);
	int rc = req_page(r, &pg);
	if (!rc && status && *status && strcmp(status, "open") && strcmp(status, "closed"))
		rc = err_set(&r->err, ERR_INVALID, "status", "must be open or closed");
	if (!rc)
		rc = req_query_int(r, "overdue", 0, 1, 0, &overdue);
	if (!rc)
		rc = req_query_int(r, "group_id", 1, INT64_MAX, 0, &group);
	if (rc)
		return rc;
	snprintf(judge_day, sizeof judge_day, "%s", today);
	struct dbq *q = db_query(req_db(r), sql, "iititii", r->who.scope_unit_id, pg.after,
				 status ? status : "", overdue, today, group, pg.limit + 1);
	return resp_query_list(r, &pg, q, problem_row, problem_export, "dispatch-problems");
}

static int close_problem(struct req *r)
{
	int64_t id = 0, unit = 0;
	const char *resolution = NULL;
	char day[DAY_LEN], today[DAY_LEN], raised[DAY_LEN] = "";
	daily_today(today);
	int rc = req_param_id(r, "id", &id);
	if (!rc) {
		req_audit_record(r, "dispatch_problem", id);
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
	struct dbq *q = db_query(c, "SELECT unit_id, raised_day FROM dispatch_problems WHERE id = $1",
				 "i", id);
	if (!q)
		return ERR_DB;
	if ((rc = db_step(q)) == 1) {
		unit = db_int(q, 0);
		snprintf(raised, sizeof raised, "%s", db_text(q, 1));
	}
	db_done(q);
	if (rc < 0)
		return rc;
	if (rc == 0 || (rc = scope_contains(c, r->who.scope_unit_id, unit)) != 1)
		return rc < 0 ? rc : err_set(&r->err, ERR_NOT_FOUND, "", "no such problem");
	if (strcmp(day, raised) < 0)
		return err_set(&r->err, ERR_RULE, "day", "a problem is not closed before it was raised (%s)",
			       raised);
	int64_t n = db_run(c,
			   "UPDATE dispatch_problems SET status = 'closed', resolution = $2,"
			   " closed_day = $3, closed_at = $4 WHERE id = $1 AND status = 'open'",
			   "itti", id, resolution, day, clock_now());
	if (n < 0)
		return (int)n;
	if (n == 0)
		return err_set(&r->err, ERR_CONFLICT, "", "this problem is closed already");
	r->audit_detail = "closed";
	snprintf(judge_day, sizeof judge_day, "%s", today);
	json_t *p = query_row(db_query(c, PROBLEM_COLS " WHERE p.id = $1", "i", id), problem_row, &rc);
	return p ? resp_json(r, 200, p) : rc < 0 ? rc : ERR_DB;
}

/* ---------- the A4 record ---------- */

static int print_meeting(struct req *r)
{
	int64_t id = 0, unit = 0;
	char day[DAY_LEN];
	int rc = req_param_id(r, "id", &id);
	if (!rc)
		rc = meeting_unit(r, req_db(r), id, &unit, day);
	if (rc)
		return rc;
	json_t *m = meeting_full(req_db(r), id, &rc);
	if (!m)
		return rc < 0 ? rc : ERR_DB;
	struct buf b = {0};
	buf_puts(&b, "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
		     "<title>日调度会议纪要</title><style>"
		     "@page{size:A4;margin:15mm}"
		     "body{font-family:'Noto Serif CJK SC','Noto Sans CJK SC',serif;font-size:10.5pt;"
		     "line-height:1.45;max-width:180mm;margin:0 auto;color:#000}"
		     "h1{font-size:16pt;text-align:center;margin:0 0 2mm}"
		     ".meta{text-align:center;margin-bottom:3mm}"
		     "h2{font-size:11.5pt;margin:3mm 0 1mm;border-bottom:1px solid #000}"
		     "table{width:100%;border-collapse:collapse;font-size:9.5pt}"
		     "td,th{border:1px solid #000;padding:1mm 1.5mm;vertical-align:top;text-align:left}"
		     "p{margin:1mm 0;white-space:pre-wrap}.od{font-weight:bold}</style></head><body>");
	buf_puts(&b, "<h1>");
	daily_html_escape(&b, json_string_value(json_object_get(m, "unit_name")));
	buf_puts(&b, "疫情防控日调度会议纪要</h1><div class=\"meta\">");
	daily_html_escape(&b, day);
	json_t *chair = json_object_get(m, "chair");
	if (json_is_string(chair)) {
		buf_puts(&b, " · 主持：");
		daily_html_escape(&b, json_string_value(chair));
	}
	buf_puts(&b, "</div><h2>一、各工作组进展</h2>");
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(m, "progress"), i, it)
	{
		buf_puts(&b, "<p><b>");
		daily_html_escape(&b, json_string_value(json_object_get(it, "group_name")));
		buf_puts(&b, "：</b>");
		daily_html_escape(&b, json_string_value(json_object_get(it, "progress")));
		buf_puts(&b, "</p>");
	}
	buf_puts(&b, "<h2>二、问题及交办</h2><table><tr><th>#</th><th>问题</th><th>工作组</th>"
		     "<th>责任人/单位</th><th>提出</th><th>期限</th><th>状态</th></tr>");
	json_array_foreach(json_object_get(m, "problems"), i, it)
	{
		int od = json_is_true(json_object_get(it, "overdue"));
		buf_printf(&b, "<tr%s><td>%zu</td><td>", od ? " class=\"od\"" : "", i + 1);
		daily_html_escape(&b, json_string_value(json_object_get(it, "title")));
		buf_puts(&b, "</td><td>");
		daily_html_escape(&b, json_string_value(json_object_get(it, "group_name")));
		buf_puts(&b, "</td><td>");
		daily_html_escape(&b, json_string_value(json_object_get(it, "owner")));
		buf_puts(&b, "</td><td>");
		daily_html_escape(&b, json_string_value(json_object_get(it, "raised_day")));
		buf_puts(&b, "</td><td>");
		daily_html_escape(&b, json_string_value(json_object_get(it, "due_day")));
		buf_puts(&b, "</td><td>");
		const char *st = json_string_value(json_object_get(it, "status"));
		const char *closed = json_string_value(json_object_get(it, "closed_day"));
		buf_puts(&b, closed && strcmp(closed, day) == 0 ? "当日办结"
			     : od                                  ? "逾期"
			     : json_is_true(json_object_get(it, "carried_over")) ? "结转"
			     : strcmp(st, "open") == 0             ? "新交办"
								   : "办结");
		buf_puts(&b, "</td></tr>");
	}
	buf_puts(&b, "</table>");
	json_t *notes = json_object_get(m, "notes");
	if (json_is_string(notes)) {
		buf_puts(&b, "<h2>三、会议议定</h2><p>");
		daily_html_escape(&b, json_string_value(notes));
		buf_puts(&b, "</p>");
	}
	buf_puts(&b, "</body></html>\n");
	json_decref(m);
	size_t len;
	char *data = buf_take(&b, &len);
	if (!data)
		return ERR_NOMEM;
	return resp_raw(r, 200, "text/html; charset=utf-8", data, len);
}
