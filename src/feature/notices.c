/* Public notices (公告, DOMAIN.md §3): the command drafts a notice, then
 * publishes it; publishing gives it the issuing unit's next number (第N号)
 * and its date. Published notices are on a public page without sign-in
 * (GET /public/notices, plain HTML the district can link to), newest first;
 * a draft is never shown there, and in the API only to those who write
 * notices. A notice is kept by the unit of its author's scope and is visible
 * to everyone under or above that unit. The bulletin counts the published
 * notices (notices_count_as_of). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/buf.h"
#include "../http/scope.h"
#include "daily.h"

static int list_notices(struct req *r);
static int get_notice(struct req *r);
static int create_notice(struct req *r);
static int patch_notice(struct req *r);
static int publish_notice(struct req *r);
static int public_notices(struct req *r);

static const struct route routes[] = {
	{"GET", "/api/v1/notices", list_notices, P_UNITS_READ, 0, 0,
	 "notices: published ones, and drafts for those who write them"},
	{"GET", "/api/v1/notices/{id}", get_notice, P_UNITS_READ, 0, 0,
	 "one notice with the venues it closed"},
	{"POST", "/api/v1/notices", create_notice, P_NOTICES_WRITE, 64 * 1024, ROUTE_IDEMPOTENT,
	 "draft a notice"},
	{"PATCH", "/api/v1/notices/{id}", patch_notice, P_NOTICES_WRITE, 64 * 1024, 0,
	 "change a draft"},
	{"POST", "/api/v1/notices/{id}/publish", publish_notice, P_NOTICES_WRITE, 0, 0,
	 "publish a draft: it gets the next number"},
	{"GET", "/public/notices", public_notices, PERM_PUBLIC, 0, 0,
	 "the published notices as a plain page, no sign-in"},
};
ROUTE_TABLE(notices_routes, routes);

int notices_count_as_of(struct dbc *c, int64_t scope_unit, const char *day, int64_t *out)
{
	static const char sql[] = "SELECT COUNT(*) FROM notices WHERE status = 'published'"
				  " AND day <= $2 AND " DAILY_VISIBLE_SQL("unit_id", "1");
	*out = 0;
	int rc = db_one_int(c, out, sql, "it", scope_unit, day);
	return rc < 0 ? rc : 0;
}

#define NOTICE_COLS                                                                    \
	"SELECT n.id, n.unit_id, u.name, n.number, n.title, n.body, n.day, n.status,"  \
	" n.published_at, n.created_at, (SELECT COUNT(*) FROM venues v WHERE v.notice_id = n.id)" \
	" FROM notices n JOIN units u ON u.id = n.unit_id"

static json_t *notice_row(struct dbq *q)
{
	return json_pack("{s:I,s:I,s:s,s:o,s:s,s:s,s:o,s:s,s:o,s:I,s:I}", "id",
			 (json_int_t)db_int(q, 0), "unit_id", (json_int_t)db_int(q, 1), "unit_name",
			 db_text(q, 2), "number", jx_col_int(q, 3), "title", db_text(q, 4), "body",
			 db_text(q, 5), "day", jx_text_or_null(db_text(q, 6)), "status",
			 db_text(q, 7), "published_at", jx_col_int(q, 8), "created_at",
			 (json_int_t)db_int(q, 9), "venues", (json_int_t)db_int(q, 10));
}

static const struct list_col notice_export[] = {
	{"id", "编号"},       {"number", "公告号"},   {"title", "标题"},
	{"day", "发布日期"},   {"status", "状态"},     {"unit_name", "发布单位"},
	{"venues", "关停场所数"}, {"body", "正文"},     {0, 0},
};

static int list_notices(struct req *r)
{
	static const char sql[] =
		NOTICE_COLS " WHERE " DAILY_VISIBLE_SQL("n.unit_id", "1") " AND n.id > $2"
		" AND ($3 = '' OR n.status = $3) AND ($4 = 1 OR n.status = 'published')"
		" AND ($5 = '' OR lower(n.title) LIKE $5 ESCAPE '\\' OR lower(n.body) LIKE $5 ESCAPE '\\')"
		" ORDER BY n.id LIMIT $6";
	struct page pg;
	const char *pat = "", *status = req_query(r, "status");
	int rc = req_page(r, &pg);
	if (!rc && status && *status && strcmp(status, "published") && strcmp(status, "draft"))
		rc = err_set(&r->err, ERR_INVALID, "status", "must be published or draft");
	if (!rc)
		rc = req_query_like(r, "q", &pat);
	if (rc)
		return rc;
	int64_t drafts = req_can(r, P_NOTICES_WRITE);
	struct dbq *q = db_query(req_db(r), sql, "iititi", r->who.scope_unit_id, pg.after,
				 status ? status : "", drafts, pat, pg.limit + 1);
	return resp_query_list(r, &pg, q, notice_row, notice_export, "notices");
}

/* Loads a notice visible to the caller (drafts only for writers): the
 * record, or NULL with 404. */
static json_t *load_notice(struct req *r, struct dbc *c, int64_t id, int *rc)
{
	static const char sql[] = NOTICE_COLS " WHERE n.id = $1 AND "
				  DAILY_VISIBLE_SQL("n.unit_id", "2")
				  " AND ($3 = 1 OR n.status = 'published')";
	json_t *n = query_row(db_query(c, sql, "iii", id, r->who.scope_unit_id,
				       (int64_t)req_can(r, P_NOTICES_WRITE)),
			      notice_row, rc);
	if (!n && *rc == 0)
		*rc = err_set(&r->err, ERR_NOT_FOUND, "", "no such notice");
	return n;
}

static int get_notice(struct req *r)
{
	int64_t id = 0;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	json_t *n = load_notice(r, c, id, &rc);
	if (!n)
		return rc;
	json_t *venues = json_array();
	struct dbq *q = db_query(c,
				 "SELECT id, name, kind, closed_day, reopened_day FROM venues"
				 " WHERE notice_id = $1 AND " SCOPE_SQL("unit_id", "2") " ORDER BY id",
				 "ii", id, r->who.scope_unit_id);
	while (q && db_step(q) == 1)
		json_array_append_new(venues,
				      json_pack("{s:I,s:s,s:s,s:o,s:o}", "id",
						(json_int_t)db_int(q, 0), "name", db_text(q, 1),
						"kind", db_text(q, 2), "closed_day",
						jx_text_or_null(db_text(q, 3)), "reopened_day",
						jx_text_or_null(db_text(q, 4))));
	db_done(q);
	json_object_set_new(n, "closed_venues", venues);
	return resp_json(r, 200, n);
}

static int create_notice(struct req *r)
{
	static const char sql[] =
		"INSERT INTO notices(unit_id, title, body, status, created_by, created_at)"
		" VALUES ($1, $2, $3, 'draft', $4, $5) RETURNING id";
	const char *title = NULL, *body = NULL;
	int rc = req_json(r);
	if (!rc)
		rc = jx_str(r, r->json, "title", 1, 200, &title, NULL);
	if (!rc)
		rc = daily_json_text(r, "body", 1, 20000, &body, NULL);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	int64_t id = 0;
	rc = daily_insert(db_query(c, sql, "ittIi", r->who.scope_unit_id, title, body,
				   r->who.user_id, clock_now()),
			  &id);
	if (rc)
		return rc;
	req_audit_record(r, "notice", id);
	json_t *n = load_notice(r, c, id, &rc);
	return n ? resp_json(r, 201, n) : rc;
}

/* The notice's unit and status for a change: 404 when the caller cannot
 * see it, 403 when it is kept above the caller's scope. */
static int notice_for_write(struct req *r, struct dbc *c, int64_t id, char status[16])
{
	json_t *n = load_notice(r, c, id, &(int){0});
	if (!n)
		return err_set(&r->err, ERR_NOT_FOUND, "", "no such notice");
	int64_t unit = json_integer_value(json_object_get(n, "unit_id"));
	snprintf(status, 16, "%s", json_string_value(json_object_get(n, "status")));
	json_decref(n);
	int rc = scope_contains(c, r->who.scope_unit_id, unit);
	if (rc < 0)
		return rc;
	if (!rc)
		return err_set(&r->err, ERR_FORBIDDEN, "",
			       "this notice belongs to a unit above your area (scope)");
	return 0;
}

static int patch_notice(struct req *r)
{
	static const char sql[] =
		"UPDATE notices SET title = CASE WHEN $2 = 1 THEN $3 ELSE title END,"
		" body = CASE WHEN $4 = 1 THEN $5 ELSE body END WHERE id = $1";
	int64_t id = 0;
	const char *title = NULL, *body = NULL;
	int has_title = 0, has_body = 0;
	char status[16];
	int rc = req_param_id(r, "id", &id);
	if (!rc) {
		req_audit_record(r, "notice", id);
		rc = req_json(r);
	}
	if (!rc)
		rc = jx_str(r, r->json, "title", 0, 200, &title, &has_title);
	if (!rc && has_title && (!title || !*title))
		rc = err_set(&r->err, ERR_INVALID, "title", "must not be empty");
	if (!rc)
		rc = daily_json_text(r, "body", 0, 20000, &body, &has_body);
	if (!rc && has_body && !body)
		rc = err_set(&r->err, ERR_INVALID, "body", "must not be empty");
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if ((rc = notice_for_write(r, c, id, status)))
		return rc;
	if (strcmp(status, "draft") != 0)
		return err_set(&r->err, ERR_RULE, "", "a published notice is not changed");
	int64_t n = db_run(c, sql, "iitit", id, (int64_t)has_title, title, (int64_t)has_body, body);
	if (n < 0)
		return (int)n;
	json_t *o = load_notice(r, c, id, &rc);
	return o ? resp_json(r, 200, o) : rc;
}

static int publish_notice(struct req *r)
{
	static const char sql[] =
		"UPDATE notices SET status = 'published', day = $2, published_at = $3,"
		" number = (SELECT COALESCE(MAX(m.number), 0) + 1 FROM notices m"
		" WHERE m.unit_id = notices.unit_id) WHERE id = $1 AND status = 'draft'";
	int64_t id = 0;
	char day[DAY_LEN], status[16];
	int rc = req_param_id(r, "id", &id);
	if (!rc) {
		req_audit_record(r, "notice", id);
		if (r->body_len)
			rc = req_json(r);
	}
	if (!rc && r->json)
		rc = daily_json_day(r, "day", 0, day);
	else
		day[0] = 0;
	if (rc)
		return rc;
	if ((rc = daily_day_up_to_today(r, day)))
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if ((rc = notice_for_write(r, c, id, status)))
		return rc;
	if (strcmp(status, "draft") != 0)
		return err_set(&r->err, ERR_CONFLICT, "", "this notice is published already");
	int64_t n = db_run(c, sql, "iti", id, day, clock_now());
	if (n == ERR_CONFLICT)
		return err_set(&r->err, ERR_CONFLICT, "",
			       "another notice took this number at the same moment; try again");
	if (n < 0)
		return (int)n;
	r->audit_detail = "published";
	json_t *o = load_notice(r, c, id, &rc);
	return o ? resp_json(r, 200, o) : rc;
}

/* ---------- the public page ---------- */

static int public_notices(struct req *r)
{
	static const char sql[] =
		"SELECT n.number, n.title, n.body, n.day, u.name FROM notices n"
		" JOIN units u ON u.id = n.unit_id WHERE n.status = 'published'"
		" ORDER BY n.day DESC, n.published_at DESC, n.id DESC LIMIT 500";
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	struct dbq *q = db_query(c, sql, "");
	if (!q)
		return ERR_DB;
	struct buf b = {0};
	buf_puts(&b, "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
		     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
		     "<title>疫情防控公告</title><style>"
		     "body{font-family:system-ui,'Noto Sans CJK SC',sans-serif;max-width:46rem;"
		     "margin:0 auto;padding:1rem;line-height:1.7;color:#1a1a1a}"
		     "h1{font-size:1.5rem;border-bottom:3px solid #b71c1c;padding-bottom:.4rem}"
		     "article{border-bottom:1px solid #ddd;padding:.8rem 0}"
		     "h2{font-size:1.15rem;margin:.2rem 0}.meta{color:#555;font-size:.9rem}"
		     "p{white-space:pre-wrap;margin:.4rem 0}</style></head><body>"
		     "<h1>疫情防控公告 · Epidemic prevention notices</h1>\n");
	int rc, n = 0;
	while ((rc = db_step(q)) == 1) {
		n++;
		buf_puts(&b, "<article><h2>");
		if (!db_null(q, 0))
			buf_printf(&b, "第%lld号 ", (long long)db_int(q, 0));
		daily_html_escape(&b, db_text(q, 1));
		buf_puts(&b, "</h2><div class=\"meta\">");
		daily_html_escape(&b, db_text(q, 4));
		buf_puts(&b, " · ");
		daily_html_escape(&b, db_text(q, 3));
		buf_puts(&b, "</div><p>");
		daily_html_escape(&b, db_text(q, 2));
		buf_puts(&b, "</p></article>\n");
	}
	db_done(q);
	if (rc < 0) {
		buf_free(&b);
		return rc;
	}
	if (!n)
		buf_puts(&b, "<p class=\"empty\">暂无公告 · No notices yet.</p>\n");
	buf_puts(&b, "</body></html>\n");
	size_t len;
	char *data = buf_take(&b, &len);
	if (!data)
		return ERR_NOMEM;
	r->no_audit = 1;
	return resp_raw(r, 200, "text/html; charset=utf-8", data, len);
}
