/* Enterprises (DOMAIN.md §11): the register of the district's enterprises
 * with their unified social credit codes, the seven-musts and
 * eight-prohibitions checklists (a setting with a default, edited by an
 * admin), and the resumption rate of any day computed from the records
 * (resumed / (above designated size - idle for the season)), by unit and by
 * sector. An account of role 'enterprise' is limited to its own enterprise
 * on top of the ordinary scope check: any other id is 404 to it.
 * Applications are in enterprise_apps.c, inspections in
 * enterprise_inspections.c. */
#include "enterprises.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../base/buf.h"
#include "../http/scope.h"
#include "people.h"

static int list_enterprises(struct req *r);
static int create_enterprise(struct req *r);
static int get_enterprise(struct req *r);
static int patch_enterprise(struct req *r);
static int get_resumption(struct req *r);
static int get_checklists(struct req *r);
static int put_checklist(struct req *r);

static const struct route routes[] = {
	{"GET", "/api/v1/enterprises", list_enterprises, P_ENTERPRISES_READ, 0, 0,
	 "enterprises in scope (an enterprise account: its own)"},
	{"POST", "/api/v1/enterprises", create_enterprise, P_ENTERPRISES_WRITE, 0, 0,
	 "register an enterprise"},
	{"GET", "/api/v1/enterprises/resumption", get_resumption, P_ENTERPRISES_READ, 0, 0,
	 "the resumption rate of a day, by unit and by sector"},
	{"GET", "/api/v1/enterprises/checklists", get_checklists, P_ENTERPRISES_READ, 0, 0,
	 "the seven musts and the eight prohibitions"},
	{"PUT", "/api/v1/enterprises/checklists/{kind}", put_checklist, P_SETTINGS_ADMIN, 0, 0,
	 "replace the items of a checklist"},
	{"GET", "/api/v1/enterprises/{id}", get_enterprise, P_ENTERPRISES_READ, 0, 0,
	 "one enterprise with its latest application and resumption"},
	/* READ at the gate: the department changes any field (WRITE, checked in
	 * the handler), an enterprise account its own address, contact and
	 * headcount (APPLY). */
	{"PATCH", "/api/v1/enterprises/{id}", patch_enterprise, P_ENTERPRISES_READ, 0, 0,
	 "change an enterprise (sector, size, idle season, headcount, contact); an enterprise"
	 " account: its own address, contact and headcount"},
};
ROUTE_TABLE(enterprises_routes, routes);

/* ---------- pure rules ---------- */

/* GB 32100-2015's character set: digits and capitals without I O S V Z. */
static const char credit_chars[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static int credit_value(char ch)
{
	const char *p = ch ? strchr(credit_chars, ch) : NULL;
	return p ? (int)(p - credit_chars) : -1;
}

char enterprises_credit_check_char(const char *first17)
{
	int sum = 0, w = 1;
	for (int i = 0; i < 17; i++) {
		int v = credit_value(first17[i]);
		if (v < 0)
			return 0;
		sum += v * w;
		w = w * 3 % 31;
	}
	return credit_chars[(31 - sum % 31) % 31];
}

/* Capitals count from A = 10 (GB 11714). */
char enterprises_org_check_char(const char *first8)
{
	static const int w[8] = {3, 7, 9, 10, 5, 8, 4, 2};
	int sum = 0;
	for (int i = 0; i < 8; i++) {
		char ch = first8[i];
		int v = ch >= '0' && ch <= '9' ? ch - '0' : ch - 'A' + 10;
		sum += v * w[i];
	}
	int c = 11 - sum % 11;
	return c == 10 ? 'X' : c == 11 ? '0' : (char)('0' + c);
}

int enterprises_credit_code(const char *in, char out[19], const char *field,
			    struct err_info *ei)
{
	size_t n = in ? strlen(in) : 0;
	if (n != 18)
		return err_set(ei, ERR_INVALID, field,
			       "must be 18 characters (统一社会信用代码), not %zu", n);
	for (size_t i = 0; i < 18; i++) {
		char ch = in[i];
		if (ch >= 'a' && ch <= 'z')
			ch = (char)(ch - 'a' + 'A');
		if (credit_value(ch) < 0)
			return err_set(ei, ERR_INVALID, field,
				       "character %zu is not allowed: digits and capital letters"
				       " without I, O, S, V or Z",
				       i + 1);
		out[i] = ch;
	}
	out[18] = 0;
	if (!strchr("123456789ANY", out[0]))
		return err_set(ei, ERR_INVALID, field,
			       "character 1 must be a registration authority (1-9, A, N or Y)");
	for (int i = 2; i < 8; i++)
		if (out[i] < '0' || out[i] > '9')
			return err_set(ei, ERR_INVALID, field,
				       "characters 3 to 8 must be a 6-digit division code");
	char oc = enterprises_org_check_char(out + 8);
	if (out[16] != oc)
		return err_set(ei, ERR_INVALID, field,
			       "the organization code's check character (character 17) should"
			       " be %c, not %c",
			       oc, out[16]);
	char cc = enterprises_credit_check_char(out);
	if (out[17] != cc)
		return err_set(ei, ERR_INVALID, field, "check character should be %c, not %c", cc,
			       out[17]);
	return 0;
}

void enterprises_earliest_start(int64_t filed_at, int lead_days, char out[DAY_LEN])
{
	char day[DAY_LEN];
	clock_day(filed_at, day);
	if (day_add(day, lead_days, out))
		snprintf(out, DAY_LEN, "%s", day);
}

static double round3(double x)
{
	return floor(x * 1000.0 + 0.5) / 1000.0;
}

double enterprises_rate(int64_t resumed, int64_t in_scope, int64_t seasonal)
{
	int64_t base = in_scope - seasonal;
	if (base <= 0)
		return -1;
	return round3((double)resumed / (double)base);
}

double enterprises_staff_rate(int64_t at_work, int64_t headcount)
{
	if (headcount <= 0)
		return -1;
	return round3((double)at_work / (double)headcount);
}

int enterprises_sector_valid(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 1 || n > 32)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return 1;
}

/* ---------- shared helpers ---------- */

void enterprises_today(char out[DAY_LEN])
{
	clock_day(clock_now(), out);
}

static int utf8_chars(const char *s)
{
	int n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

int enterprises_text(struct req *r, json_t *o, const char *key, int required, size_t maxlen,
		     const char **out)
{
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v)) {
		*out = NULL;
		return required ? err_set(&r->err, ERR_INVALID, key, "is required") : 0;
	}
	if (!json_is_string(v))
		return err_set(&r->err, ERR_INVALID, key, "must be a string");
	const char *s = json_string_value(v);
	if (strlen(s) != json_string_length(v))
		return err_set(&r->err, ERR_INVALID, key, "must not contain NUL characters");
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	char *c = arena_strndup(&r->arena, s, n);
	if (!c)
		return ERR_NOMEM;
	if (required && !*c)
		return err_set(&r->err, ERR_INVALID, key, "must not be empty");
	if (maxlen && (size_t)utf8_chars(c) > maxlen)
		return err_set(&r->err, ERR_INVALID, key, "must be at most %zu characters", maxlen);
	for (const unsigned char *p = (const unsigned char *)c; *p; p++)
		if (*p < 0x20 && *p != '\n' && *p != '\r' && *p != '\t')
			return err_set(&r->err, ERR_INVALID, key,
				       "must not contain control characters");
	*out = *c ? c : NULL;
	return 0;
}

void enterprises_field_in(struct req *r, const char *list, size_t i)
{
	char f[sizeof r->err.field + 64];
	snprintf(f, sizeof f, "%s[%zu].%s", list, i, r->err.field);
	snprintf(r->err.field, sizeof r->err.field, "%.*s", (int)sizeof r->err.field - 1, f);
}

int64_t enterprises_principal(struct req *r)
{
	if (strcmp(r->who.role, "enterprise") != 0)
		return 0;
	struct dbc *c = req_reader(r);
	int64_t ent = 0;
	if (!c || !r->who.user_id ||
	    db_one_int(c, &ent, "SELECT enterprise_id FROM users WHERE id = $1", "i",
		       r->who.user_id) != 1 ||
	    ent <= 0)
		return -1;
	return ent;
}

int enterprises_check(struct req *r, struct dbc *c, int64_t id, int write, int64_t *unit_id)
{
	int64_t unit = 0;
	int rc = db_one_int(c, &unit, "SELECT unit_id FROM enterprises WHERE id = $1", "i", id);
	if (rc < 0)
		return rc;
	int64_t own = enterprises_principal(r);
	if (rc == 0 || (own && own != id))
		return err_set(&r->err, ERR_NOT_FOUND, "", "no such enterprise");
	if ((rc = scope_check(r, unit, write, "enterprise")))
		return rc;
	if (unit_id)
		*unit_id = unit;
	return 0;
}

int enterprises_checklist(struct req *r, struct dbc *c, const char *kind,
			  struct checklist_item **items, size_t *n)
{
	int64_t count = 0;
	int rc = db_one_int(c, &count,
			    "SELECT COUNT(*) FROM enterprise_checklist_items WHERE kind = $1 AND"
			    " active = 1",
			    "t", kind);
	if (rc < 0)
		return rc;
	*n = 0;
	*items = arena_alloc(&r->arena, sizeof **items * (size_t)(count + 1));
	if (!*items)
		return ERR_NOMEM;
	struct dbq *q = db_query(c,
				 "SELECT code, text_zh, text_en FROM enterprise_checklist_items"
				 " WHERE kind = $1 AND active = 1 ORDER BY position, id",
				 "t", kind);
	if (!q)
		return ERR_DB;
	while ((rc = db_step(q)) == 1 && *n < (size_t)count) {
		struct checklist_item *it = &(*items)[(*n)++];
		it->code = arena_strdup(&r->arena, db_text(q, 0));
		it->text_zh = arena_strdup(&r->arena, db_text(q, 1));
		it->text_en = arena_strdup(&r->arena, db_text(q, 2));
		if (!it->code || !it->text_zh || !it->text_en)
			rc = ERR_NOMEM;
	}
	db_done(q);
	return rc < 0 ? rc : 0;
}

const char *enterprises_item_text(struct req *r, const struct checklist_item *it)
{
	return strcmp(req_lang(r), "en") == 0 ? it->text_en : it->text_zh;
}

/* ---------- enterprises ---------- */

#define ENT_COLS                                                                          \
	"SELECT e.id, e.unit_id, u.name, e.name, e.credit_code, e.sector, e.above_scale,"  \
	" e.seasonal_idle_since, e.address, e.contact_name, e.contact_phone, e.headcount,"  \
	" (SELECT a.status FROM enterprise_applications a WHERE a.enterprise_id = e.id"     \
	"  ORDER BY a.id DESC LIMIT 1),"                                                    \
	" (SELECT a.id FROM enterprise_applications a WHERE a.enterprise_id = e.id"         \
	"  ORDER BY a.id DESC LIMIT 1),"                                                    \
	" (SELECT MIN(s.day) FROM enterprise_resumptions s WHERE s.enterprise_id = e.id),"  \
	" (SELECT s.staff_at_work FROM enterprise_resumptions s WHERE"                      \
	"  s.enterprise_id = e.id ORDER BY s.day DESC LIMIT 1),"                            \
	" e.created_at FROM enterprises e JOIN units u ON u.id = e.unit_id"

static json_t *ent_json(struct dbq *q, int whole_phone)
{
	const char *phone = db_text(q, 10);
	char masked[32] = "";
	if (phone && !whole_phone)
		people_mask_phone(phone, masked, sizeof masked);
	const char *status = db_text(q, 12);
	json_t *o = json_pack(
		"{s:I,s:I,s:s,s:s,s:s,s:s,s:b,s:o,s:o,s:o,s:o,s:I,s:s,s:o,s:o,s:o,s:I}", "id",
		(json_int_t)db_int(q, 0), "unit_id", (json_int_t)db_int(q, 1), "unit_name",
		db_text(q, 2), "name", db_text(q, 3), "credit_code", db_text(q, 4), "sector",
		db_text(q, 5), "above_scale", db_int(q, 6) != 0, "seasonal_idle_since",
		jx_text_or_null(db_text(q, 7)), "address", jx_text_or_null(db_text(q, 8)),
		"contact_name", jx_text_or_null(db_text(q, 9)), "contact_phone",
		jx_text_or_null(phone ? (whole_phone ? phone : masked) : NULL), "headcount",
		(json_int_t)db_int(q, 11), "status", status ? status : "none", "application_id",
		jx_col_int(q, 13), "resumed_day", jx_text_or_null(db_text(q, 14)),
		"staff_at_work", jx_col_int(q, 15), "created_at", (json_int_t)db_int(q, 16));
	return o;
}

static json_t *ent_row(struct dbq *q)
{
	return ent_json(q, 0);
}

static json_t *ent_row_whole(struct dbq *q)
{
	return ent_json(q, 1);
}

static const struct list_col ent_export[] = {
	{"id", "编号"},
	{"name", "企业名称"},
	{"credit_code", "统一社会信用代码"},
	{"unit_name", "所属单位"},
	{"sector", "行业"},
	{"above_scale", "规模以上工业"},
	{"seasonal_idle_since", "季节性停产起始日"},
	{"headcount", "职工人数"},
	{"status", "申请状态"},
	{"resumed_day", "复工日期"},
	{"staff_at_work", "在岗人数"},
	{"contact_name", "联系人"},
	{"contact_phone", "联系电话"},
	{"address", "地址"},
	{0, 0},
};

static int list_enterprises(struct req *r)
{
	static const char sql[] =
		ENT_COLS " WHERE " SCOPE_SQL("e.unit_id", "1") " AND e.id > $2"
		" AND ($3 = '' OR lower(e.name) LIKE $3 ESCAPE '\\'"
		" OR lower(e.credit_code) LIKE $3 ESCAPE '\\')"
		" AND ($4 = '' OR e.sector = $4) AND ($5 < 0 OR e.above_scale = $5)"
		" AND ($6 = 0 OR e.id = $6)"
		" ORDER BY e.id LIMIT $7";
	struct page pg;
	const char *pat = "";
	int64_t above = -1;
	int rc = req_page(r, &pg);
	if (!rc)
		rc = req_query_like(r, "q", &pat);
	if (!rc)
		rc = req_query_int(r, "above_scale", 0, 1, -1, &above);
	if (rc)
		return rc;
	const char *sector = req_query(r, "sector");
	if (sector && *sector && !enterprises_sector_valid(sector))
		return err_set(&r->err, ERR_INVALID, "sector",
			       "must be 1 to 32 lower-case letters, digits or '_'");
	int64_t own = enterprises_principal(r);
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	struct dbq *q = db_query(c, sql, "iittiii", r->who.scope_unit_id, pg.after, pat,
				 sector ? sector : "", above, own, pg.limit + 1);
	return resp_query_list(r, &pg, q, ent_row, ent_export, "enterprises");
}

static int respond_enterprise(struct req *r, struct dbc *c, int64_t id, int status)
{
	int rc;
	int whole = req_can(r, P_ID_REVEAL) || enterprises_principal(r) == id;
	json_t *e = query_row(db_query(c, ENT_COLS " WHERE e.id = $1", "i", id),
			      whole ? ent_row_whole : ent_row, &rc);
	if (!e)
		return rc < 0 ? rc : err_set(&r->err, ERR_NOT_FOUND, "", "no such enterprise");
	if (whole && json_is_string(json_object_get(e, "contact_phone")) &&
	    !enterprises_principal(r))
		req_audit_read(r, "enterprise", id, "contact_phone");
	return resp_json(r, status, e);
}

static int get_enterprise(struct req *r)
{
	int64_t id = 0;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if ((rc = enterprises_check(r, c, id, 0, NULL)))
		return rc;
	return respond_enterprise(r, c, id, 200);
}

/* Reads the optional fields shared by create and patch; has[] says which
 * were given: 0 sector, 1 above_scale, 2 seasonal_idle_since, 3 headcount,
 * 4 address, 5 contact_name, 6 contact_phone, 7 name. */
struct ent_in {
	const char *name, *sector, *idle, *address, *contact, *phone;
	int above;
	int64_t headcount;
	int has[8];
	char phone_norm[12];
};

static int ent_fields(struct req *r, struct ent_in *in, int create)
{
	int rc = jx_str(r, r->json, "name", create, 128, &in->name, &in->has[7]);
	if (!rc && in->has[7] && (!in->name || !*in->name))
		rc = err_set(&r->err, ERR_INVALID, "name", "must not be empty");
	if (!rc)
		rc = jx_str(r, r->json, "sector", create, 32, &in->sector, &in->has[0]);
	if (!rc && in->has[0] && !enterprises_sector_valid(in->sector))
		rc = err_set(&r->err, ERR_INVALID, "sector",
			     "must be 1 to 32 lower-case letters, digits or '_'");
	if (!rc)
		rc = jx_bool(r, r->json, "above_scale", 0, &in->above, &in->has[1]);
	if (!rc)
		rc = jx_str(r, r->json, "seasonal_idle_since", 0, 10, &in->idle, &in->has[2]);
	if (!rc && in->idle && *in->idle && day_valid(in->idle))
		rc = err_set(&r->err, ERR_INVALID, "seasonal_idle_since",
			     "must be a date YYYY-MM-DD");
	if (!rc && in->idle && !*in->idle)
		in->idle = NULL;
	if (!rc)
		rc = jx_int(r, r->json, "headcount", create, 0, 1000000, &in->headcount,
			    &in->has[3]);
	if (!rc)
		rc = jx_str(r, r->json, "address", 0, 200, &in->address, &in->has[4]);
	if (!rc)
		rc = jx_str(r, r->json, "contact_name", 0, 64, &in->contact, &in->has[5]);
	if (!rc)
		rc = jx_str(r, r->json, "contact_phone", 0, 32, &in->phone, &in->has[6]);
	if (!rc && in->phone && *in->phone) {
		rc = people_phone(in->phone, in->phone_norm, "contact_phone", &r->err);
		in->phone = in->phone_norm;
	} else if (in->phone && !*in->phone) {
		in->phone = NULL;
	}
	if (!rc && in->address && !*in->address)
		in->address = NULL;
	if (!rc && in->contact && !*in->contact)
		in->contact = NULL;
	return rc;
}

/* A unit an enterprise may be in: exists (400) and in the caller's scope (403). */
static int check_unit(struct req *r, struct dbc *c, int64_t unit)
{
	int rc = db_one_int(c, NULL, "SELECT 1 FROM units WHERE id = $1", "i", unit);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_INVALID, "unit_id", "no such unit");
	rc = scope_contains(c, r->who.scope_unit_id, unit);
	if (rc < 0)
		return rc;
	return rc ? 0 : err_set(&r->err, ERR_FORBIDDEN, "unit_id",
				"the unit is outside your area (scope)");
}

static int create_enterprise(struct req *r)
{
	static const char sql[] =
		"INSERT INTO enterprises(unit_id, name, credit_code, sector, above_scale,"
		" seasonal_idle_since, address, contact_name, contact_phone, headcount,"
		" created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,"
		" $11) RETURNING id";
	struct ent_in in = {0};
	int64_t unit = 0;
	const char *code_in = NULL;
	char code[19];
	int rc = req_json(r);
	if (!rc)
		rc = jx_id(r, r->json, "unit_id", 1, 0, &unit, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "credit_code", 1, 32, &code_in, NULL);
	if (!rc)
		rc = enterprises_credit_code(code_in, code, "credit_code", &r->err);
	if (!rc)
		rc = ent_fields(r, &in, 1);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if ((rc = check_unit(r, c, unit)))
		return rc;
	/* A duplicate code is named only when the caller may see it; otherwise
	 * the conflict still says the code is registered, which any register
	 * of credit codes says too. */
	int64_t id = 0;
	struct dbq *q = db_query(c, sql, "itttittttii", unit, in.name, code, in.sector,
				 (int64_t)in.above, in.idle, in.address, in.contact, in.phone,
				 in.headcount, clock_now());
	if (!q)
		return ERR_DB;
	rc = db_step(q);
	if (rc == 1)
		id = db_int(q, 0);
	db_done(q);
	if (rc == ERR_CONFLICT)
		return err_set(&r->err, ERR_CONFLICT, "credit_code",
			       "an enterprise with credit code %s is already registered", code);
	if (rc != 1)
		return rc < 0 ? rc : ERR_DB;
	req_audit_record(r, "enterprise", id);
	return respond_enterprise(r, c, id, 201);
}

static int patch_enterprise(struct req *r)
{
	static const char sql[] =
		"UPDATE enterprises SET sector = CASE WHEN $2 = 1 THEN $3 ELSE sector END,"
		" above_scale = CASE WHEN $4 = 1 THEN $5 ELSE above_scale END,"
		" seasonal_idle_since = CASE WHEN $6 = 1 THEN $7 ELSE seasonal_idle_since END,"
		" headcount = CASE WHEN $8 = 1 THEN $9 ELSE headcount END,"
		" address = CASE WHEN $10 = 1 THEN $11 ELSE address END,"
		" contact_name = CASE WHEN $12 = 1 THEN $13 ELSE contact_name END,"
		" contact_phone = CASE WHEN $14 = 1 THEN $15 ELSE contact_phone END,"
		" name = CASE WHEN $16 = 1 THEN $17 ELSE name END,"
		" updated_at = $18 WHERE id = $1";
	struct ent_in in = {0};
	int64_t id = 0;
	int rc = req_param_id(r, "id", &id);
	if (!rc) {
		req_audit_record(r, "enterprise", id);
		rc = req_json(r);
	}
	if (!rc)
		rc = ent_fields(r, &in, 0);
	if (rc)
		return rc;
	/* An enterprise keeps its own contact details and headcount; what the
	 * rate counts it by (name, sector, size, idle season) is the
	 * department's to say. */
	int64_t own = enterprises_principal(r);
	static const char *const dept_only[] = {"sector", "above_scale", "seasonal_idle_since"};
	if (own) {
		if (!req_can(r, P_ENTERPRISES_APPLY))
			return err_set(&r->err, ERR_FORBIDDEN, "", "you may not change enterprises");
		for (int i = 0; i < 3; i++)
			if (in.has[i])
				return err_set(&r->err, ERR_FORBIDDEN, dept_only[i],
					       "an enterprise account changes only its address, contact"
					       " and headcount");
		if (in.has[7])
			return err_set(&r->err, ERR_FORBIDDEN, "name",
				       "an enterprise account changes only its address, contact"
				       " and headcount");
	} else if (!req_can(r, P_ENTERPRISES_WRITE)) {
		return err_set(&r->err, ERR_FORBIDDEN, "", "you may not change enterprises");
	}
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if ((rc = enterprises_check(r, c, id, 1, NULL)))
		return rc;
	int64_t n = db_run(c, sql, "iitiiitiiititititi", id, (int64_t)in.has[0], in.sector,
			   (int64_t)in.has[1], (int64_t)in.above, (int64_t)in.has[2], in.idle,
			   (int64_t)in.has[3], in.headcount, (int64_t)in.has[4], in.address,
			   (int64_t)in.has[5], in.contact, (int64_t)in.has[6], in.phone,
			   (int64_t)in.has[7], in.name, clock_now());
	if (n < 0)
		return (int)n;
	return respond_enterprise(r, c, id, 200);
}

/* ---------- the resumption rate ---------- */

/* Each enterprise above designated size in scope with its first resumed
 * day and latest staff count on or before $2, and the child of the scope
 * unit it lies under ($1 itself when it is in the scope unit). */
static const char resumption_sql[] =
	"SELECT e.id, e.sector, e.headcount, e.seasonal_idle_since,"
	" (SELECT MIN(s.day) FROM enterprise_resumptions s WHERE s.enterprise_id = e.id"
	"  AND s.day <= $2),"
	" (SELECT s.staff_at_work FROM enterprise_resumptions s WHERE s.enterprise_id = e.id"
	"  AND s.day <= $2 ORDER BY s.day DESC LIMIT 1),"
	" COALESCE((SELECT t.ancestor_id FROM unit_tree t JOIN units k ON k.id = t.ancestor_id"
	"  WHERE t.unit_id = e.unit_id AND k.parent_id = $1), $1)"
	" FROM enterprises e WHERE e.above_scale = 1 AND " SCOPE_SQL("e.unit_id", "1")
	" ORDER BY e.id";

/* One row's share of the figures. */
struct res_row {
	int idle, resumed;
	int64_t headcount, staff;
};

static void res_add(struct resumption *o, const struct res_row *x)
{
	o->above_scale++;
	o->seasonal += x->idle;
	o->resumed += x->resumed;
	if (x->resumed) {
		o->headcount += x->headcount;
		o->staff_at_work += x->staff;
	}
}

static void res_finish(struct resumption *o)
{
	o->rate = enterprises_rate(o->resumed, o->above_scale, o->seasonal);
	o->staff_rate = enterprises_staff_rate(o->staff_at_work, o->headcount);
}

static void res_row_of(struct dbq *q, const char *day, struct res_row *x)
{
	const char *idle = db_text(q, 3);
	x->resumed = !db_null(q, 4);
	/* Idle for the season from its day on, until it resumes. */
	x->idle = !x->resumed && idle && strcmp(idle, day) <= 0;
	x->headcount = db_int(q, 2);
	x->staff = db_null(q, 5) ? 0 : db_int(q, 5);
}

int enterprises_resumption_as_of(struct dbc *c, int64_t scope_unit_id, const char *day,
				 struct resumption *out)
{
	memset(out, 0, sizeof *out);
	if (!day || day_valid(day))
		return ERR_INVALID;
	struct dbq *q = db_query(c, resumption_sql, "it", scope_unit_id, day);
	if (!q)
		return ERR_DB;
	int rc;
	while ((rc = db_step(q)) == 1) {
		struct res_row x;
		res_row_of(q, day, &x);
		res_add(out, &x);
	}
	db_done(q);
	res_finish(out);
	return rc < 0 ? rc : 0;
}

static json_t *rate_or_null(double x)
{
	return x < 0 ? json_null() : json_real(x);
}

static json_t *res_json(const struct resumption *o)
{
	return json_pack("{s:I,s:I,s:I,s:o,s:I,s:I,s:o}", "above_scale",
			 (json_int_t)o->above_scale, "resumed", (json_int_t)o->resumed,
			 "seasonal", (json_int_t)o->seasonal, "resumption_rate",
			 rate_or_null(o->rate), "headcount", (json_int_t)o->headcount,
			 "staff_at_work", (json_int_t)o->staff_at_work, "staff_return_rate",
			 rate_or_null(o->staff_rate));
}

#define RES_MAX_GROUPS 256

struct res_group {
	char key[64];
	int64_t unit_id;
	struct resumption r;
};

static struct res_group *group_of(struct res_group *g, size_t *n, const char *key,
				  int64_t unit_id)
{
	for (size_t i = 0; i < *n; i++)
		if (unit_id ? g[i].unit_id == unit_id : strcmp(g[i].key, key) == 0)
			return &g[i];
	if (*n >= RES_MAX_GROUPS)
		return NULL;
	struct res_group *x = &g[(*n)++];
	memset(x, 0, sizeof *x);
	snprintf(x->key, sizeof x->key, "%s", key ? key : "");
	x->unit_id = unit_id;
	return x;
}

static const struct list_col res_export[] = {
	{"unit_name", "单位"},      {"sector", "行业"},
	{"above_scale", "规上工业企业"}, {"seasonal", "季节性停产"},
	{"resumed", "已复工"},      {"resumption_rate", "复工率"},
	{"headcount", "复工企业职工数"}, {"staff_at_work", "在岗人数"},
	{"staff_return_rate", "返岗率"}, {0, 0},
};

static int get_resumption(struct req *r)
{
	char day[DAY_LEN];
	const char *d = req_query(r, "day");
	if (d && *d) {
		if (day_valid(d))
			return err_set(&r->err, ERR_INVALID, "day", "must be a date YYYY-MM-DD");
		snprintf(day, sizeof day, "%s", d);
	} else {
		enterprises_today(day);
	}
	struct page pg;
	int rc = req_page(r, &pg);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	struct res_group *units = arena_alloc(&r->arena, sizeof *units * RES_MAX_GROUPS);
	struct res_group *sectors = arena_alloc(&r->arena, sizeof *sectors * RES_MAX_GROUPS);
	if (!units || !sectors)
		return ERR_NOMEM;
	size_t nu = 0, ns = 0;
	struct resumption all = {0};
	struct dbq *q = db_query(c, resumption_sql, "it", r->who.scope_unit_id, day);
	if (!q)
		return ERR_DB;
	while ((rc = db_step(q)) == 1) {
		struct res_row x;
		res_row_of(q, day, &x);
		res_add(&all, &x);
		struct res_group *g = group_of(units, &nu, NULL, db_int(q, 6));
		if (g)
			res_add(&g->r, &x);
		g = group_of(sectors, &ns, db_text(q, 1), 0);
		if (g)
			res_add(&g->r, &x);
	}
	db_done(q);
	if (rc < 0)
		return rc;
	res_finish(&all);
	json_t *by_unit = json_array(), *by_sector = json_array();
	for (size_t i = 0; i < nu; i++) {
		res_finish(&units[i].r);
		json_t *o = res_json(&units[i].r);
		char *name = NULL;
		struct dbq *nq = db_query(c, "SELECT name FROM units WHERE id = $1", "i",
					  units[i].unit_id);
		if (nq && db_step(nq) == 1)
			name = arena_strdup(&r->arena, db_text(nq, 0));
		db_done(nq);
		json_object_set_new(o, "unit_id", json_integer(units[i].unit_id));
		json_object_set_new(o, "unit_name", jx_text_or_null(name));
		json_array_append_new(by_unit, o);
	}
	for (size_t i = 0; i < ns; i++) {
		res_finish(&sectors[i].r);
		json_t *o = res_json(&sectors[i].r);
		json_object_set_new(o, "sector", json_string(sectors[i].key));
		json_array_append_new(by_sector, o);
	}
	if (pg.export) {
		/* The export is the table: one row a unit, then one a sector. */
		json_t *items = json_array();
		size_t i;
		json_t *v;
		json_array_foreach(by_unit, i, v) json_array_append(items, v);
		json_array_foreach(by_sector, i, v) json_array_append(items, v);
		json_t *tot = res_json(&all);
		json_object_set_new(tot, "unit_name", json_string("合计"));
		json_array_append_new(items, tot);
		json_decref(by_unit);
		json_decref(by_sector);
		return resp_list(r, &pg, items, 0, res_export, "resumption");
	}
	json_t *out = res_json(&all);
	json_object_set_new(out, "day", json_string(day));
	json_object_set_new(out, "by_unit", by_unit);
	json_object_set_new(out, "by_sector", by_sector);
	return resp_json(r, 200, out);
}

/* ---------- checklists ---------- */

static json_t *checklist_json(struct req *r, struct dbc *c, const char *kind, int *rc)
{
	struct checklist_item *items;
	size_t n;
	*rc = enterprises_checklist(r, c, kind, &items, &n);
	if (*rc)
		return NULL;
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s,s:s,s:s,s:s}", "code", items[i].code,
						   "text", enterprises_item_text(r, &items[i]),
						   "text_zh", items[i].text_zh, "text_en",
						   items[i].text_en));
	return a;
}

static int get_checklists(struct req *r)
{
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	int rc;
	json_t *musts = checklist_json(r, c, "must", &rc);
	if (!musts)
		return rc ? rc : ERR_DB;
	json_t *pro = checklist_json(r, c, "prohibition", &rc);
	if (!pro) {
		json_decref(musts);
		return rc ? rc : ERR_DB;
	}
	return resp_json(r, 200, json_pack("{s:o,s:o}", "musts", musts, "prohibitions", pro));
}

/* PUT /api/v1/enterprises/checklists/{kind} {"items":[{"code","text_zh","text_en"}]}:
 * the list becomes exactly these items in this order; items left out stay
 * stored (answers and findings name them) but inactive. */
static int put_checklist(struct req *r)
{
	const char *k = req_param(r, "kind");
	const char *kind = strcmp(k, "musts") == 0	  ? "must"
			   : strcmp(k, "prohibitions") == 0 ? "prohibition"
							    : NULL;
	if (!kind)
		return err_set(&r->err, ERR_NOT_FOUND, "", "no such checklist");
	int rc = req_json(r);
	if (rc)
		return rc;
	json_t *items = json_object_get(r->json, "items");
	if (!json_is_array(items) || json_array_size(items) == 0 || json_array_size(items) > 30)
		return err_set(&r->err, ERR_INVALID, "items", "must be a list of 1 to 30 items");
	size_t n = json_array_size(items);
	const char **code = arena_alloc(&r->arena, sizeof *code * n * 3);
	if (!code)
		return ERR_NOMEM;
	const char **zh = code + n, **en = code + 2 * n;
	for (size_t i = 0; i < n; i++) {
		json_t *it = json_array_get(items, i);
		if (!json_is_object(it))
			return err_set(&r->err, ERR_INVALID, "items", "item %zu must be an object",
				       i + 1);
		if ((rc = jx_str(r, it, "code", 1, 32, &code[i], NULL)) ||
		    (rc = jx_str(r, it, "text_zh", 1, 100, &zh[i], NULL)) ||
		    (rc = jx_str(r, it, "text_en", 1, 200, &en[i], NULL))) {
			enterprises_field_in(r, "items", i);
			return rc;
		}
		if (!enterprises_sector_valid(code[i]))
			return err_set(&r->err, ERR_INVALID, "items",
				       "item %zu: a code is 1 to 32 lower-case letters, digits or"
				       " '_'",
				       i + 1);
		for (size_t j = 0; j < i; j++)
			if (strcmp(code[i], code[j]) == 0)
				return err_set(&r->err, ERR_INVALID, "items",
					       "item %zu repeats the code %s", i + 1, code[i]);
	}
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	int64_t now = clock_now();
	if (db_run(c, "UPDATE enterprise_checklist_items SET active = 0, updated_at = $2"
		      " WHERE kind = $1",
		   "ti", kind, now) < 0)
		return ERR_DB;
	for (size_t i = 0; i < n; i++) {
		int64_t x = db_run(c,
				   "INSERT INTO enterprise_checklist_items(kind, code, text_zh,"
				   " text_en, position, active, updated_at) VALUES ($1, $2, $3, $4,"
				   " $5, 1, $6) ON CONFLICT (kind, code) DO UPDATE SET"
				   " text_zh = excluded.text_zh, text_en = excluded.text_en,"
				   " position = excluded.position, active = 1,"
				   " updated_at = excluded.updated_at",
				   "ttttii", kind, code[i], zh[i], en[i], (int64_t)(i + 1), now);
		if (x < 0)
			return (int)x;
	}
	r->audit_detail = arena_printf(&r->arena, "checklist %s: %zu items", kind, n);
	return get_checklists(r);
}
