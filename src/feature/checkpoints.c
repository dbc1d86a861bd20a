/* Checkpoints (卡点, DOMAIN.md §2); see checkpoints.h. The plate rules come
 * first, then the other pure rules (rosters, cover, duty, dispositions),
 * then the routes: checkpoints, rosters and shifts, duty sign-in and
 * sign-out, the checkpoint's page (who is on duty, missing sign-outs, gaps
 * in cover). Road and rail screening, their lists, recent plates and the
 * counts the bulletin reports are in checkpoint_screening.c; the helpers
 * both use are declared in checkpoints_internal.h. */
#include "checkpoints.h"
#include "checkpoints_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../base/text.h"
#include "../db/batch.h"
#include "../http/scope.h"
#include "../http/settings.h"
#include "areas.h"
#include "people.h"
#include "units.h"

static int list_checkpoints(struct req *r);
static int create_checkpoint(struct req *r);
static int get_checkpoint(struct req *r);
static int patch_checkpoint(struct req *r);
static int post_roster(struct req *r);
static int list_shifts(struct req *r);
static int sign_in(struct req *r);
static int list_duty(struct req *r);
static int sign_out(struct req *r);

static const struct route routes[] = {
	{"GET", "/api/v1/checkpoints", list_checkpoints, P_CHECKPOINTS_READ, 0, 0,
	 "checkpoints in scope"},
	{"POST", "/api/v1/checkpoints", create_checkpoint, P_CHECKPOINTS_ADMIN, 0,
	 ROUTE_IDEMPOTENT, "set up a road or rail checkpoint reporting to a unit"},
	{"GET", "/api/v1/checkpoints/{id}", get_checkpoint, P_CHECKPOINTS_READ, 0, 0,
	 "a checkpoint with who is on duty, missing sign-outs, gaps in cover, today's counts"},
	{"PATCH", "/api/v1/checkpoints/{id}", patch_checkpoint, P_CHECKPOINTS_ADMIN, 0, 0,
	 "rename, recode, move or relocate a checkpoint"},
	{"POST", "/api/v1/checkpoints/{id}/roster", post_roster, P_CHECKPOINTS_ADMIN, 0, 0,
	 "lay out 四班三运转 shifts over a period"},
	{"GET", "/api/v1/checkpoints/{id}/shifts", list_shifts, P_CHECKPOINTS_READ, 0, 0,
	 "a checkpoint's shifts over days"},
	{"POST", "/api/v1/checkpoints/{id}/duty", sign_in, P_CHECKPOINTS_WRITE, 0, ROUTE_IDEMPOTENT,
	 "sign in for duty (retry-safe by client_id)"},
	{"GET", "/api/v1/checkpoints/{id}/duty", list_duty, P_CHECKPOINTS_READ, 0, 0,
	 "the sign-in register, newest first"},
	{"POST", "/api/v1/duty/{id}/sign-out", sign_out, P_CHECKPOINTS_WRITE, 0, ROUTE_IDEMPOTENT,
	 "sign out from duty"},};
ROUTE_TABLE(checkpoints_routes, routes);

/* The province characters of GA 36-2018 with their province. */
static const struct {
	const char *ch, *name, *code;
} provinces[] = {
	{"京", "北京市", "110000"}, {"津", "天津市", "120000"}, {"冀", "河北省", "130000"},
	{"晋", "山西省", "140000"}, {"蒙", "内蒙古自治区", "150000"}, {"辽", "辽宁省", "210000"},
	{"吉", "吉林省", "220000"}, {"黑", "黑龙江省", "230000"}, {"沪", "上海市", "310000"},
	{"苏", "江苏省", "320000"}, {"浙", "浙江省", "330000"}, {"皖", "安徽省", "340000"},
	{"闽", "福建省", "350000"}, {"赣", "江西省", "360000"}, {"鲁", "山东省", "370000"},
	{"豫", "河南省", "410000"}, {"鄂", "湖北省", "420000"}, {"湘", "湖南省", "430000"},
	{"粤", "广东省", "440000"}, {"桂", "广西壮族自治区", "450000"}, {"琼", "海南省", "460000"},
	{"渝", "重庆市", "500000"}, {"川", "四川省", "510000"}, {"贵", "贵州省", "520000"},
	{"云", "云南省", "530000"}, {"藏", "西藏自治区", "540000"}, {"陕", "陕西省", "610000"},
	{"甘", "甘肃省", "620000"}, {"青", "青海省", "630000"}, {"宁", "宁夏回族自治区", "640000"},
	{"新", "新疆维吾尔自治区", "650000"},
};

static int letter(char c)
{
	return c >= 'A' && c <= 'Z' && c != 'I' && c != 'O';
}

static int digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The special last characters of GA 36 plates: trailers, driving-school
 * cars, police, consular cars, and cross-border cars of Hong Kong and
 * Macao. */
static const char *const plate_suffix[] = {"挂", "学", "警", "领", "使", "港", "澳"};

int checkpoints_plate(const char *in, struct plate *out, const char *field, struct err_info *ei)
{
	/* Normalise: full-width letters and digits (an input method's) to
	 * ASCII; drop spaces, dots and middle dots; upper-case letters. */
	char w[96];
	if (text_fold_width(in, w, sizeof w))
		return err_set(ei, ERR_INVALID, field, "is too long for a plate");
	char s[64];
	size_t n = 0;
	for (const char *p = w; *p;) {
		if (*p == ' ' || *p == '.' || *p == '-' || *p == '\t') {
			p++;
			continue;
		}
		if (strncmp(p, "·", strlen("·")) == 0) {
			p += strlen("·");
			continue;
		}
		if (n + 1 >= sizeof s)
			return err_set(ei, ERR_INVALID, field, "is too long for a plate");
		char c = *p++;
		s[n++] = c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
	}
	s[n] = 0;
	size_t i;
	const char *rest = NULL;
	for (i = 0; i < sizeof provinces / sizeof provinces[0]; i++) {
		size_t l = strlen(provinces[i].ch);
		if (strncmp(s, provinces[i].ch, l) == 0) {
			rest = s + l;
			break;
		}
	}
	if (!rest)
		return err_set(ei, ERR_INVALID, field,
			       "must start with a province character such as 宁 or 京");
	/* Counted in characters: a plate is 7 (8 new-energy), whatever its
	 * bytes. A special last character (挂 学 警 领 使 港 澳) follows
	 * four letters or digits. */
	size_t rl = strlen(rest), rc = text_chars(rest);
	int special = 0;
	if (rc == 6) {
		for (size_t k = 0; k < sizeof plate_suffix / sizeof plate_suffix[0]; k++) {
			size_t l = strlen(plate_suffix[k]);
			if (rl == 5 + l && strcmp(rest + 5, plate_suffix[k]) == 0)
				special = 1;
		}
	}
	if (rc != 6 && rc != 7)
		return err_set(ei, ERR_INVALID, field,
			       "must have 7 characters (8 for a new-energy plate), not %zu", rc + 1);
	if (!special && rl != rc)
		return err_set(ei, ERR_INVALID, field,
			       "after the letter come 5 letters or digits, or 4 and one of"
			       " 挂 学 警 领 使 港 澳");
	if (!letter(rest[0]))
		return err_set(ei, ERR_INVALID, field,
			       "the second character must be a letter (not I or O)");
	int ne = 0;
	if (special || rl == 6) {
		for (size_t k = 1; k < (special ? 5u : 6u); k++)
			if (!letter(rest[k]) && !digit(rest[k]))
				return rest[k] == 'I' || rest[k] == 'O'
					       ? err_set(ei, ERR_INVALID, field,
							 "I and O are not used on plates")
					       : err_set(ei, ERR_INVALID, field,
							 "after the letter come 5 letters or digits");
	} else if (rest[1] == 'D' || rest[1] == 'F') {
		/* Small new-energy car: D/F, a letter or digit, then 4 digits. */
		if (!letter(rest[2]) && !digit(rest[2]))
			return err_set(ei, ERR_INVALID, field,
				       "a new-energy plate has a letter or digit after D/F");
		for (size_t k = 3; k < 7; k++)
			if (!digit(rest[k]))
				return err_set(ei, ERR_INVALID, field,
					       "a small new-energy plate ends in 4 digits");
		ne = 1;
	} else if (rest[6] == 'D' || rest[6] == 'F') {
		/* Large new-energy vehicle: 5 digits, then D/F. */
		for (size_t k = 1; k < 6; k++)
			if (!digit(rest[k]))
				return err_set(ei, ERR_INVALID, field,
					       "a large new-energy plate has 5 digits before D/F");
		ne = 2;
	} else {
		return err_set(ei, ERR_INVALID, field,
			       "an 8-character plate is new-energy: D or F third or last");
	}
	snprintf(out->number, sizeof out->number, "%s", s);
	snprintf(out->province, sizeof out->province, "%s", provinces[i].name);
	snprintf(out->province_code, sizeof out->province_code, "%s", provinces[i].code);
	out->new_energy = ne;
	return 0;
}

/* ---------- shifts, cover and duty ---------- */

int checkpoints_roster(const char *from, int days, int nteams, int shift_hours, int first_team,
		       struct roster_shift *out, size_t cap)
{
	if (!from || day_valid(from) || days < 1 || nteams < 1 ||
	    nteams > CHECKPOINTS_MAX_TEAMS || shift_hours < 1 || shift_hours > 24 ||
	    24 % shift_hours || first_team < 0 || first_team >= nteams)
		return -1;
	int per_day = 24 / shift_hours;
	if ((size_t)days * (size_t)per_day > cap)
		return -1;
	int n = 0;
	for (int d = 0; d < days; d++) {
		char day[DAY_LEN], next[DAY_LEN];
		if (day_add(from, d, day) || day_add(from, d + 1, next))
			return -1;
		int64_t start = day_start(day), end = day_start(next);
		for (int k = 0; k < per_day; k++, n++) {
			struct roster_shift *s = &out[n];
			memcpy(s->day, day, DAY_LEN);
			s->slot = k;
			s->team = (first_team + n) % nteams;
			s->starts_at = start + (int64_t)k * shift_hours * 3600;
			/* The day's last shift ends at the next midnight (a day
			 * of 23 or 25 hours where clocks change). */
			s->ends_at = k == per_day - 1 ? end : s->starts_at + (int64_t)shift_hours * 3600;
		}
	}
	return n;
}

int checkpoints_gaps(const struct span *spans, size_t n, int64_t from, int64_t to,
		     struct span *out, size_t cap)
{
	size_t k = 0;
	int64_t cur = from;
	for (size_t i = 0; i < n && cur < to; i++) {
		if (spans[i].to <= cur)
			continue;
		if (spans[i].from > cur) {
			if (k == cap)
				return -1;
			out[k].from = cur;
			out[k].to = spans[i].from < to ? spans[i].from : to;
			k++;
		}
		if (spans[i].to > cur)
			cur = spans[i].to;
	}
	if (cur < to) {
		if (k == cap)
			return -1;
		out[k].from = cur;
		out[k].to = to;
		k++;
	}
	return (int)k;
}

int checkpoints_duty_shift(const struct span *shifts, size_t n, int64_t t)
{
	int early = -1, covering = -1;
	for (size_t i = 0; i < n; i++) {
		if (shifts[i].from > t && shifts[i].from <= t + 3600 &&
		    (early < 0 || shifts[i].from < shifts[early].from))
			early = (int)i;
		if (shifts[i].from <= t && t < shifts[i].to &&
		    (covering < 0 || shifts[i].from > shifts[covering].from))
			covering = (int)i;
	}
	return early >= 0 ? early : covering;
}

int64_t checkpoints_duty_due(int64_t signed_in_at, int64_t shift_ends_at)
{
	return shift_ends_at > 0 ? shift_ends_at : signed_in_at + 12 * 3600;
}

/* ---------- screening ---------- */

int checkpoints_temperature(double celsius, int *tenths)
{
	if (!isfinite(celsius) || celsius < 30.0 || celsius > 45.0)
		return -1;
	*tenths = (int)lround(celsius * 10.0);
	return 0;
}

int checkpoints_grade_registers(const char *grade)
{
	static const char *const g[] = {"severe", "heavy", "other_province", "high", "medium"};
	if (!grade)
		return 0;
	for (size_t i = 0; i < sizeof g / sizeof g[0]; i++)
		if (strcmp(g[i], grade) == 0)
			return 1;
	return 0;
}

const char *checkpoints_follow_up(const char *direction, const char *plate_province_code,
				  int origin_stated)
{
	if (origin_stated || !direction || strcmp(direction, "in") != 0 || !plate_province_code)
		return NULL;
	return strcmp(plate_province_code, "420000") == 0 ? "hubei_plate_no_origin" : NULL;
}

enum disposition checkpoints_disposition(int tenths, int threshold, const char *grade,
					 int has_document, int has_contact)
{
	if (tenths >= threshold)
		return DISP_REFERRAL;
	if (checkpoints_grade_registers(grade))
		return has_document || has_contact ? DISP_REGISTERED : DISP_HOLD;
	return DISP_PASS;
}

const char *checkpoints_disposition_name(enum disposition d)
{
	return d == DISP_REFERRAL     ? "referral"
	       : d == DISP_REGISTERED ? "registered"
	       : d == DISP_HOLD       ? "held"
				      : "pass";
}

int checkpoints_train_no(const char *in, char out[16])
{
	char s[16];
	size_t n = 0;
	for (const char *p = in; *p; p++) {
		if (*p == ' ' || *p == '\t')
			continue;
		if (n + 1 >= sizeof s)
			return -1;
		s[n++] = *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p;
	}
	s[n] = 0;
	size_t i = 0;
	if (n && strchr("GDCZTKYLS", s[0]) && s[0])
		i = 1;
	size_t digits = n - i;
	if (digits < 1 || digits > 5)
		return -1;
	for (size_t k = i; k < n; k++)
		if (!digit(s[k]))
			return -1;
	memcpy(out, s, n + 1);
	return 0;
}

/* ---------- helpers (checkpoints_internal.h) ---------- */

#define VIEW_DAYS 7 /* the checkpoint page looks this far ahead for gaps */


/* Local "YYYY-MM-DD HH:MM" of t: what the checkpoint pages show. */
json_t *cp_time_text(int64_t t)
{
	char s[TIME_LEN];
	clock_time(t, s);
	s[16] = 0; /* to the minute */
	return json_string(s);
}

/* Rewrites ei's field as "<prefix>.<field>" (or "<prefix>" when none).
 * Returns rc. */
int cp_prefix_field(struct err_info *ei, const char *prefix, int rc)
{
	char f[192];
	if (*ei->field)
		snprintf(f, sizeof f, "%s.%s", prefix, ei->field);
	else
		snprintf(f, sizeof f, "%s", prefix);
	size_t n = strlen(f);
	if (n >= sizeof ei->field)
		n = sizeof ei->field - 1;
	memcpy(ei->field, f, n);
	ei->field[n] = 0;
	return rc;
}


/* Loads checkpoint id on c and checks it against the caller's scope: a
 * missing one, or (reads) one outside scope, is 404; a write outside scope
 * is 403. Uses c, never the request's write connection, so batched routes
 * may call it on the read connection. */
int cp_load(struct req *r, struct dbc *c, int64_t id, int write, struct cp *out)
{
	struct dbq *q = db_query(c, "SELECT unit_id, kind, name FROM checkpoints WHERE id = $1", "i",
				 id);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	if (rc == 1) {
		out->id = id;
		out->unit_id = db_int(q, 0);
		snprintf(out->kind, sizeof out->kind, "%s", db_text(q, 1));
		snprintf(out->name, sizeof out->name, "%s", db_text(q, 2));
	}
	db_done(q);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_NOT_FOUND, "", "no such checkpoint");
	if ((rc = scope_contains(c, r->who.scope_unit_id, out->unit_id)) < 0)
		return rc;
	if (rc == 1)
		return 0;
	if (write)
		return err_set(&r->err, ERR_FORBIDDEN, "", "this checkpoint is outside your area (scope)");
	return err_set(&r->err, ERR_NOT_FOUND, "", "no such checkpoint");
}

/* Reads the checkpoint of path parameter {id} for a read. */
int cp_param(struct req *r, struct dbc *c, int write, struct cp *out)
{
	int64_t id = 0;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return err_set(&r->err, ERR_NOT_FOUND, "", "no such checkpoint");
	return cp_load(r, c, id, write, out);
}

/* A unit's kind and name: 1 found, 0 not, <0 error. */
int cp_unit_info(struct dbc *c, int64_t id, char kind[32], char *name, size_t cap)
{
	struct dbq *q = db_query(c, "SELECT kind, name FROM units WHERE id = $1", "i", id);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	if (rc == 1) {
		snprintf(kind, 32, "%s", db_text(q, 0));
		if (name)
			snprintf(name, cap, "%s", db_text(q, 1));
	}
	db_done(q);
	return rc;
}

/* Reads ?key=YYYY-MM-DD into out (def when absent; def may be NULL: "").
 * 0 or ERR_INVALID naming key. */
int cp_query_day(struct req *r, const char *key, const char *def, char out[DAY_LEN])
{
	const char *v = req_query(r, key);
	if (!v || !*v) {
		snprintf(out, DAY_LEN, "%s", def ? def : "");
		return 0;
	}
	if (day_valid(v))
		return err_set(&r->err, ERR_INVALID, key, "must be a date YYYY-MM-DD");
	snprintf(out, DAY_LEN, "%s", v);
	return 0;
}

/* ---------- checkpoints ---------- */

#define CP_COLS                                                                           \
	"SELECT c.id, c.code, c.name, c.kind, c.unit_id, u.name, c.location, c.created_at"  \
	" FROM checkpoints c JOIN units u ON u.id = c.unit_id"

static json_t *cp_row(struct dbq *q)
{
	return json_pack("{s:I,s:s,s:s,s:s,s:I,s:s,s:o,s:I}", "id", (json_int_t)db_int(q, 0),
			 "code", db_text(q, 1), "name", db_text(q, 2), "kind", db_text(q, 3),
			 "unit_id", (json_int_t)db_int(q, 4), "unit_name", db_text(q, 5),
			 "location", jx_text_or_null(db_text(q, 6)), "created_at",
			 (json_int_t)db_int(q, 7));
}

/* The CHECKPOINT of id; NULL with *err on failure. */
static json_t *cp_json(struct dbc *c, int64_t id, int *err)
{
	int rc;
	json_t *o = query_row(db_query(c, CP_COLS " WHERE c.id = $1", "i", id), cp_row, &rc);
	*err = o ? 0 : rc < 0 ? rc : ERR_NOT_FOUND;
	return o;
}

static const struct list_col cp_export[] = {
	{"id", "编号"},       {"code", "代码"},     {"name", "卡点"},
	{"kind", "类型"},     {"unit_name", "所属单位"}, {"location", "位置"},
	{0, 0},
};

static int list_checkpoints(struct req *r)
{
	static const char sql[] =
		CP_COLS " WHERE " SCOPE_SQL("c.unit_id", "1") " AND ($2 = '' OR c.kind = $2)"
		" AND c.id > $3 ORDER BY c.id LIMIT $4";
	struct page pg;
	int rc = req_page(r, &pg);
	if (rc)
		return rc;
	const char *kind = req_query(r, "kind");
	if (kind && *kind && strcmp(kind, "road") && strcmp(kind, "rail"))
		return err_set(&r->err, ERR_INVALID, "kind", "must be road or rail");
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	struct dbq *q = db_query(c, sql, "itii", r->who.scope_unit_id, kind ? kind : "", pg.after,
				 pg.limit + 1);
	return resp_query_list(r, &pg, q, cp_row, cp_export, "checkpoints");
}

/* Checks code, name, kind, location of a create or patch body; required
 * fields only on create. */
static int cp_fields(struct req *r, int create, const char **code, const char **name,
		     const char **kind, const char **location, int64_t *unit, int *has_loc)
{
	int rc = jx_str(r, r->json, "code", create, 32, code, NULL);
	if (!rc && *code && !units_code_valid(*code))
		rc = err_set(&r->err, ERR_INVALID, "code",
			     "must be 1 to 32 letters, digits or '-' (e.g. KD-S103)");
	if (!rc)
		rc = jx_str(r, r->json, "name", create, 64, name, NULL);
	if (!rc && create)
		rc = jx_str(r, r->json, "kind", 1, 8, kind, NULL);
	if (!rc && create && strcmp(*kind, "road") && strcmp(*kind, "rail"))
		rc = err_set(&r->err, ERR_INVALID, "kind", "must be road or rail");
	if (!rc && !create && json_object_get(r->json, "kind"))
		rc = err_set(&r->err, ERR_INVALID, "kind",
			     "cannot change: its records are road or rail screenings");
	if (!rc)
		rc = jx_str(r, r->json, "location", 0, 200, location, has_loc);
	if (!rc)
		rc = jx_id(r, r->json, "unit_id", create, 0, unit, NULL);
	if (!rc && *name && !**name)
		rc = err_set(&r->err, ERR_INVALID, "name", "must not be empty");
	return rc;
}

/* The unit a checkpoint reports to must exist (400) and lie in scope (403). */
static int cp_unit_ok(struct req *r, struct dbc *c, int64_t unit)
{
	char kind[32];
	int rc = cp_unit_info(c, unit, kind, NULL, 0);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_INVALID, "unit_id", "no such unit");
	return scope_check(r, unit, 1, "unit");
}

static int code_taken(struct req *r, struct dbc *c, const char *code, int64_t self)
{
	int64_t other = 0;
	int rc = db_one_int(c, &other, "SELECT id FROM checkpoints WHERE code = $1", "t", code);
	if (rc < 0)
		return rc;
	if (rc == 1 && other != self)
		return err_set(&r->err, ERR_CONFLICT, "code", "checkpoint %lld already has code %s",
			       (long long)other, code);
	return 0;
}

static int create_checkpoint(struct req *r)
{
	const char *code = NULL, *name = NULL, *kind = NULL, *location = NULL;
	int64_t unit = 0;
	int rc = req_json(r);
	if (!rc)
		rc = cp_fields(r, 1, &code, &name, &kind, &location, &unit, NULL);
	if (rc)
		return rc;
	if (location && !*location)
		location = NULL;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if ((rc = cp_unit_ok(r, c, unit)) || (rc = code_taken(r, c, code, 0)))
		return rc;
	int64_t id = 0;
	rc = db_one_int(c, &id,
			"INSERT INTO checkpoints(unit_id, code, name, kind, location, created_at)"
			" VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
			"itttti", unit, code, name, kind, location, clock_now());
	if (rc != 1)
		return rc < 0 ? rc : ERR_DB;
	req_audit_record(r, "checkpoint", id);
	json_t *o = cp_json(c, id, &rc);
	return o ? resp_json(r, 201, o) : rc;
}

static int patch_checkpoint(struct req *r)
{
	const char *code = NULL, *name = NULL, *kind = NULL, *location = NULL;
	int64_t unit = 0;
	int has_loc = 0;
	struct cp cp;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	int rc = cp_param(r, c, 1, &cp);
	if (rc)
		return rc;
	req_audit_record(r, "checkpoint", cp.id);
	if ((rc = req_json(r)) ||
	    (rc = cp_fields(r, 0, &code, &name, &kind, &location, &unit, &has_loc)))
		return rc;
	if (unit && (rc = cp_unit_ok(r, c, unit)))
		return rc;
	if (code && (rc = code_taken(r, c, code, cp.id)))
		return rc;
	if (code && db_run(c, "UPDATE checkpoints SET code = $2 WHERE id = $1", "it", cp.id, code) < 0)
		return ERR_DB;
	if (name && db_run(c, "UPDATE checkpoints SET name = $2 WHERE id = $1", "it", cp.id, name) < 0)
		return ERR_DB;
	if (unit && db_run(c, "UPDATE checkpoints SET unit_id = $2 WHERE id = $1", "ii", cp.id, unit) < 0)
		return ERR_DB;
	if (has_loc && db_run(c, "UPDATE checkpoints SET location = $2 WHERE id = $1", "it", cp.id,
			      location && *location ? location : NULL) < 0)
		return ERR_DB;
	json_t *o = cp_json(c, cp.id, &rc);
	return o ? resp_json(r, 200, o) : rc;
}

/* ---------- rosters and shifts ---------- */

#define MAX_ROSTER_DAYS 92

static json_t *shift_json(int64_t id, int64_t cp, const char *team, int64_t starts, int64_t ends,
			  int64_t signed_in)
{
	char day[DAY_LEN];
	clock_day(starts, day);
	json_t *o = json_pack("{s:I,s:I,s:s,s:s,s:I,s:I,s:o,s:o}", "id", (json_int_t)id,
			      "checkpoint_id", (json_int_t)cp, "team", team, "day", day, "starts_at",
			      (json_int_t)starts, "ends_at", (json_int_t)ends, "from",
			      cp_time_text(starts), "to", cp_time_text(ends));
	if (o && signed_in >= 0)
		json_object_set_new(o, "signed_in", json_integer(signed_in));
	return o;
}

static json_t *shift_row(struct dbq *q)
{
	return shift_json(db_int(q, 0), db_int(q, 1), db_text(q, 2), db_int(q, 3), db_int(q, 4),
			  db_int(q, 5));
}

static int post_roster(struct req *r)
{
	static const char existing_sql[] =
		"SELECT id, team, starts_at, ends_at FROM shifts WHERE checkpoint_id = $1"
		" AND starts_at < $3 AND ends_at > $2 ORDER BY starts_at";
	static const char ins_sql[] =
		"INSERT INTO shifts(checkpoint_id, team, starts_at, ends_at, created_at)"
		" VALUES ($1, $2, $3, $4, $5) ON CONFLICT (checkpoint_id, starts_at) DO NOTHING";
	static const char prev_sql[] =
		"SELECT team FROM shifts WHERE checkpoint_id = $1 AND starts_at < $2"
		" ORDER BY starts_at DESC LIMIT 1";
	const char *from = NULL;
	int64_t days = 0, hours = 8;
	const char *teams[CHECKPOINTS_MAX_TEAMS] = {"A", "B", "C", "D"};
	int nteams = 4;
	int rc = req_json(r);
	if (!rc)
		rc = jx_str(r, r->json, "from", 1, 10, &from, NULL);
	if (!rc && day_valid(from))
		rc = err_set(&r->err, ERR_INVALID, "from", "must be a date YYYY-MM-DD");
	if (!rc)
		rc = jx_int(r, r->json, "days", 1, 1, MAX_ROSTER_DAYS, &days, NULL);
	if (!rc)
		rc = jx_int(r, r->json, "shift_hours", 0, 1, 24, &hours, NULL);
	if (!rc && 24 % hours)
		rc = err_set(&r->err, ERR_INVALID, "shift_hours",
			     "must divide the day: 4, 6, 8, 12 or 24 (四班三运转: 8)");
	if (!rc && hours < 4)
		rc = err_set(&r->err, ERR_INVALID, "shift_hours", "must be at least 4");
	if (rc)
		return rc;
	json_t *tj = json_object_get(r->json, "teams");
	if (tj && !json_is_null(tj)) {
		if (!json_is_array(tj) || json_array_size(tj) < 1 ||
		    json_array_size(tj) > CHECKPOINTS_MAX_TEAMS)
			return err_set(&r->err, ERR_INVALID, "teams",
				       "must be a list of 1 to %d team names", CHECKPOINTS_MAX_TEAMS);
		nteams = (int)json_array_size(tj);
		json_t *holder = json_object();
		for (int i = 0; i < nteams; i++) {
			char f[24];
			snprintf(f, sizeof f, "teams[%d]", i);
			json_object_set(holder, f, json_array_get(tj, i));
			rc = jx_str(r, holder, f, 1, 16, &teams[i], NULL);
			for (int k = 0; !rc && k < i; k++)
				if (strcmp(teams[k], teams[i]) == 0)
					rc = err_set(&r->err, ERR_INVALID, f, "team %s is listed twice",
						     teams[i]);
			if (rc)
				break;
		}
		json_decref(holder);
		if (rc)
			return rc;
	}
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	struct cp cp;
	if ((rc = cp_param(r, c, 1, &cp)))
		return rc;
	req_audit_record(r, "checkpoint", cp.id);
	/* An extension continues the cycle: the first shift goes to the team
	 * after the one on the last shift laid out before it. */
	int first_team = 0;
	struct dbq *pq = db_query(c, prev_sql, "ii", cp.id, day_start(from));
	if (!pq)
		return ERR_DB;
	if ((rc = db_step(pq)) == 1) {
		const char *prev = db_text(pq, 0);
		for (int k = 0; prev && k < nteams; k++)
			if (strcmp(teams[k], prev) == 0)
				first_team = (k + 1) % nteams;
	}
	db_done(pq);
	if (rc < 0)
		return rc;
	size_t cap = (size_t)days * (size_t)(24 / hours);
	struct roster_shift *sh = arena_alloc(&r->arena, cap * sizeof *sh);
	if (!sh)
		return ERR_NOMEM;
	int n = checkpoints_roster(from, (int)days, nteams, (int)hours, first_team, sh, cap);
	if (n <= 0)
		return err_set(&r->err, ERR_INVALID, "from", "cannot lay out shifts from %s", from);

	/* Existing shifts in the range: an identical one is kept, any other
	 * overlap refuses the whole roster. */
	char *keep = arena_alloc(&r->arena, (size_t)n);
	if (!keep)
		return ERR_NOMEM;
	memset(keep, 0, (size_t)n);
	struct dbq *q = db_query(c, existing_sql, "iii", cp.id, sh[0].starts_at,
				 sh[n - 1].ends_at);
	if (!q)
		return ERR_DB;
	int kept = 0, i = 0;
	while ((rc = db_step(q)) == 1) {
		int64_t s = db_int(q, 2), e = db_int(q, 3);
		while (i < n && sh[i].ends_at <= s)
			i++;
		for (int k = i; k < n && sh[k].starts_at < e; k++) {
			if (sh[k].starts_at == s && sh[k].ends_at == e) {
				keep[k] = 1;
				kept++;
				continue;
			}
			char a[TIME_LEN], b[TIME_LEN];
			clock_time(s, a);
			clock_time(e, b);
			a[16] = b[16] = 0; /* to the minute */
			rc = err_set(&r->err, ERR_CONFLICT, "from",
				     "overlaps shift %lld (team %s, %s to %s) laid out before",
				     (long long)db_int(q, 0), db_text(q, 1), a, b);
			break;
		}
		if (rc < 0 || rc == ERR_CONFLICT)
			break;
	}
	db_done(q);
	if (rc < 0)
		return rc;
	int64_t now = clock_now();
	json_t *items = json_array();
	for (int k = 0; k < n; k++) {
		if (keep[k])
			continue;
		int64_t id = 0;
		rc = PEOPLE_INSERT_ID(c, &id, ins_sql, "itiii", cp.id, teams[sh[k].team],
				      sh[k].starts_at, sh[k].ends_at, now);
		if (rc < 0) {
			json_decref(items);
			return rc;
		}
		if (rc == 0) { /* laid out at the same moment by another request */
			kept++;
			continue;
		}
		json_array_append_new(items, shift_json(id, cp.id, teams[sh[k].team], sh[k].starts_at,
							sh[k].ends_at, -1));
	}
	int created = (int)json_array_size(items);
	return resp_json(r, created ? 201 : 200,
			 json_pack("{s:o,s:i,s:i}", "items", items, "created", created, "kept", kept));
}

static const struct list_col shift_export[] = {
	{"id", "编号"}, {"day", "日期"}, {"team", "班组"}, {"from", "开始"}, {"to", "结束"},
	{"signed_in", "签到人数"}, {0, 0},
};

static int list_shifts(struct req *r)
{
	static const char sql[] =
		"SELECT s.id, s.checkpoint_id, s.team, s.starts_at, s.ends_at,"
		" (SELECT COUNT(*) FROM duty d WHERE d.shift_id = s.id) FROM shifts s"
		" WHERE s.checkpoint_id = $1 AND s.starts_at >= $2 AND s.starts_at < $3"
		" ORDER BY s.starts_at";
	struct page pg;
	char today[DAY_LEN], from[DAY_LEN], to[DAY_LEN], end[DAY_LEN], def_to[DAY_LEN];
	clock_day(clock_now(), today);
	day_add(today, VIEW_DAYS - 1, def_to);
	int rc = req_page(r, &pg);
	if (!rc)
		rc = cp_query_day(r, "from", today, from);
	if (!rc)
		rc = cp_query_day(r, "to", NULL, to);
	if (rc)
		return rc;
	if (!*to)
		day_add(from, VIEW_DAYS - 1, to);
	if (day_diff(from, to) < 0)
		return err_set(&r->err, ERR_INVALID, "to", "is before from");
	if (day_diff(from, to) > MAX_ROSTER_DAYS)
		return err_set(&r->err, ERR_INVALID, "to", "at most %d days at once", MAX_ROSTER_DAYS);
	day_add(to, 1, end);
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	struct cp cp;
	if ((rc = cp_param(r, c, 0, &cp)))
		return rc;
	struct dbq *q = db_query(c, sql, "iii", cp.id, day_start(from), day_start(end));
	if (!q)
		return ERR_DB;
	json_t *items = json_array();
	while ((rc = db_step(q)) == 1)
		json_array_append_new(items, shift_row(q));
	db_done(q);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	/* A bounded range, one page. */
	return resp_list(r, &pg, items, 0, shift_export, "shifts");
}

/* ---------- duty: sign-in and sign-out ---------- */

#define DUTY_COLS                                                                          \
	"SELECT d.id, d.checkpoint_id, d.shift_id, s.team, s.starts_at, s.ends_at,"          \
	" d.person_name, d.agency, d.user_id, d.signed_in_at, d.signed_out_at FROM duty d"    \
	" LEFT JOIN shifts s ON s.id = d.shift_id"

static int agency_valid(const char *a)
{
	return a && (!strcmp(a, "law_enforcement") || !strcmp(a, "police") ||
		     !strcmp(a, "health") || !strcmp(a, "other"));
}

/* on_duty, missing_sign_out or signed_out at `now`. */
static const char *duty_status(int64_t in, int64_t shift_end, int signed_out, int64_t now)
{
	if (signed_out)
		return "signed_out";
	return checkpoints_duty_due(in, shift_end) <= now ? "missing_sign_out" : "on_duty";
}

static json_t *duty_row(struct dbq *q)
{
	int64_t in = db_int(q, 9), shift_end = db_null(q, 5) ? 0 : db_int(q, 5);
	int out = !db_null(q, 10);
	json_t *o = json_pack(
		"{s:I,s:I,s:o,s:o,s:o,s:o,s:s,s:s,s:o,s:I,s:o,s:I,s:s,s:o,s:o}", "id",
		(json_int_t)db_int(q, 0), "checkpoint_id", (json_int_t)db_int(q, 1), "shift_id",
		jx_col_int(q, 2), "team", jx_text_or_null(db_text(q, 3)), "shift_starts_at",
		jx_col_int(q, 4), "shift_ends_at", jx_col_int(q, 5), "person_name", db_text(q, 6),
		"agency", db_text(q, 7), "user_id", jx_col_int(q, 8), "signed_in_at",
		(json_int_t)in, "signed_out_at", jx_col_int(q, 10), "due_at",
		(json_int_t)checkpoints_duty_due(in, shift_end), "status",
		duty_status(in, shift_end, out, clock_now()), "signed_in", cp_time_text(in),
		"signed_out", out ? cp_time_text(db_int(q, 10)) : json_null());
	return o;
}

/* The DUTY of id; NULL with *err on failure. */
static json_t *duty_json(struct dbc *c, int64_t id, int *err)
{
	int rc;
	json_t *o = query_row(db_query(c, DUTY_COLS " WHERE d.id = $1", "i", id), duty_row, &rc);
	*err = o ? 0 : rc < 0 ? rc : ERR_NOT_FOUND;
	return o;
}

static int sign_in(struct req *r)
{
	static const char shifts_sql[] =
		"SELECT id, starts_at, ends_at FROM shifts WHERE checkpoint_id = $1"
		" AND starts_at <= $2 AND ends_at > $3 ORDER BY starts_at LIMIT 16";
	static const char open_sql[] =
		"SELECT d.id, d.signed_in_at, s.ends_at FROM duty d LEFT JOIN shifts s ON s.id = d.shift_id"
		" WHERE d.checkpoint_id = $1 AND d.person_name = $2 AND d.agency = $3"
		" AND d.signed_out_at IS NULL AND d.signed_in_at >= $4";
	static const char ins_sql[] =
		"INSERT INTO duty(checkpoint_id, shift_id, person_name, agency, user_id, signed_in_at,"
		" client_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
	const char *name = NULL, *agency = NULL;
	int64_t now = clock_now(), at = now;
	int rc = req_json(r);
	if (!rc)
		rc = jx_str(r, r->json, "person_name", 1, 32, &name, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "agency", 1, 16, &agency, NULL);
	if (!rc && !agency_valid(agency))
		rc = err_set(&r->err, ERR_INVALID, "agency",
			     "must be law_enforcement, police, health or other");
	/* A sign-in queued offline carries the time it was made. */
	if (!rc)
		rc = jx_int(r, r->json, "at", 0, now - OFFLINE_SECONDS, now + AHEAD_SECONDS, &at, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "client_id", 0, 128, NULL, NULL);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	struct cp cp;
	if ((rc = cp_param(r, c, 1, &cp)))
		return rc;
	req_audit_record(r, "checkpoint", cp.id);
	if (r->client_id) {
		/* The router replays a stored answer; if that was purged the
		 * duty row still knows its client id. */
		int64_t existing = 0;
		rc = db_one_int(c, &existing, "SELECT id FROM duty WHERE client_id = $1", "t",
				r->client_id);
		if (rc < 0)
			return rc;
		if (rc == 1) {
			json_t *o = duty_json(c, existing, &rc);
			r->no_audit = 1;
			return o ? resp_json(r, 200, o) : rc;
		}
	}
	/* Still on duty here (signed in, not out, shift not over): a second
	 * sign-in is a slip. */
	struct dbq *q = db_query(c, open_sql, "itti", cp.id, name, agency, now - OFFLINE_SECONDS);
	if (!q)
		return ERR_DB;
	int64_t open_id = 0;
	while ((rc = db_step(q)) == 1)
		if (checkpoints_duty_due(db_int(q, 1), db_null(q, 2) ? 0 : db_int(q, 2)) > at)
			open_id = db_int(q, 0);
	db_done(q);
	if (rc < 0)
		return rc;
	if (open_id)
		return err_set(&r->err, ERR_CONFLICT, "person_name",
			       "%s is already signed in here (duty %lld): sign out first", name,
			       (long long)open_id);
	/* The shift the sign-in belongs to. */
	struct span sp[16];
	int64_t ids[16];
	size_t n = 0;
	q = db_query(c, shifts_sql, "iii", cp.id, at + 3600, at);
	if (!q)
		return ERR_DB;
	while ((rc = db_step(q)) == 1 && n < 16) {
		ids[n] = db_int(q, 0);
		sp[n].from = db_int(q, 1);
		sp[n].to = db_int(q, 2);
		n++;
	}
	db_done(q);
	if (rc < 0)
		return rc;
	int k = checkpoints_duty_shift(sp, n, at);
	int64_t id = 0;
	rc = db_one_int(c, &id, ins_sql, "iIttIiti", cp.id, k >= 0 ? ids[k] : 0, name, agency,
			r->who.user_id, at, r->client_id, now);
	if (rc != 1)
		return rc < 0 ? rc : ERR_DB;
	req_audit_record(r, "duty", id);
	json_t *o = duty_json(c, id, &rc);
	return o ? resp_json(r, 201, o) : rc;
}

static int sign_out(struct req *r)
{
	int64_t id = 0, cpid = 0, in = 0, now = clock_now(), at = now;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return err_set(&r->err, ERR_NOT_FOUND, "", "no such duty");
	if (r->body_len) {
		if ((rc = req_json(r)) ||
		    (rc = jx_int(r, r->json, "at", 0, now - OFFLINE_SECONDS, now + AHEAD_SECONDS, &at,
				 NULL)))
			return rc;
	}
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	struct dbq *q = db_query(c,
				 "SELECT checkpoint_id, signed_in_at, signed_out_at FROM duty WHERE id = $1",
				 "i", id);
	if (!q)
		return ERR_DB;
	rc = db_step(q);
	int out = 0;
	if (rc == 1) {
		cpid = db_int(q, 0);
		in = db_int(q, 1);
		out = !db_null(q, 2);
	}
	db_done(q);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_NOT_FOUND, "", "no such duty");
	struct cp cp;
	req_audit_record(r, "duty", id);
	if ((rc = cp_load(r, c, cpid, 1, &cp)))
		return rc;
	if (!out) {
		if (at < in)
			return err_set(&r->err, ERR_INVALID, "at", "is before the sign-in");
		if (db_run(c, "UPDATE duty SET signed_out_at = $2 WHERE id = $1 AND signed_out_at IS NULL",
			   "ii", id, at) < 0)
			return ERR_DB;
	} else {
		r->no_audit = 1; /* signed out already: nothing changes */
	}
	json_t *o = duty_json(c, id, &rc);
	return o ? resp_json(r, 200, o) : rc;
}

static const struct list_col duty_export[] = {
	{"id", "编号"},          {"person_name", "姓名"}, {"agency", "单位类别"},
	{"team", "班组"},        {"signed_in", "签到时间"}, {"signed_out", "签退时间"},
	{"status", "状态"},      {0, 0},
};

static int list_duty(struct req *r)
{
	static const char sql[] =
		DUTY_COLS " WHERE d.checkpoint_id = $1 AND d.signed_in_at >= $2 AND d.signed_in_at < $3"
		" AND ($4 = 0 OR d.signed_out_at IS NULL) AND ($5 = 0 OR d.id < $5)"
		" ORDER BY d.id DESC LIMIT $6";
	struct page pg;
	char day[DAY_LEN], next[DAY_LEN];
	int64_t open = 0;
	int rc = req_page(r, &pg);
	if (!rc)
		rc = cp_query_day(r, "day", NULL, day);
	if (!rc)
		rc = req_query_int(r, "open", 0, 1, 0, &open);
	if (rc)
		return rc;
	int64_t lo = 0, hi = INT64_MAX;
	if (*day) {
		day_add(day, 1, next);
		lo = day_start(day);
		hi = day_start(next);
	}
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	struct cp cp;
	if ((rc = cp_param(r, c, 0, &cp)))
		return rc;
	struct dbq *q = db_query(c, sql, "iiiiii", cp.id, lo, hi, open, pg.after, pg.limit + 1);
	return resp_query_list(r, &pg, q, duty_row, duty_export, "duty");
}

/* ---------- the checkpoint's page ---------- */

/* A day's counters of a checkpoint (zeros when nothing was screened). */
static json_t *day_counts(struct dbc *c, int64_t cp, const char *day, int *err)
{
	struct dbq *q = db_query(c,
				 "SELECT vehicles, person_trips, trains, fevers, referrals, registered"
				 " FROM checkpoint_days WHERE checkpoint_id = $1 AND day = $2",
				 "it", cp, day);
	*err = 0;
	if (!q) {
		*err = ERR_DB;
		return NULL;
	}
	int64_t v[6] = {0};
	int rc = db_step(q);
	if (rc == 1)
		for (int i = 0; i < 6; i++)
			v[i] = db_int(q, i);
	db_done(q);
	if (rc < 0) {
		*err = rc;
		return NULL;
	}
	return json_pack("{s:s,s:I,s:I,s:I,s:I,s:I,s:I}", "day", day, "vehicles", (json_int_t)v[0],
			 "person_trips", (json_int_t)v[1], "trains", (json_int_t)v[2], "fevers",
			 (json_int_t)v[3], "referrals", (json_int_t)v[4], "registered",
			 (json_int_t)v[5]);
}

static int get_checkpoint(struct req *r)
{
	static const char shifts_sql[] =
		"SELECT id, team, starts_at, ends_at FROM shifts WHERE checkpoint_id = $1"
		" AND ends_at > $2 AND starts_at < $3 ORDER BY starts_at LIMIT 1000";
	static const char open_sql[] =
		DUTY_COLS " WHERE d.checkpoint_id = $1 AND d.signed_out_at IS NULL"
		" AND d.signed_in_at >= $2 ORDER BY d.signed_in_at, d.id LIMIT 500";
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	struct cp cp;
	int rc = cp_param(r, c, 0, &cp);
	if (rc)
		return rc;
	json_t *o = cp_json(c, cp.id, &rc);
	if (!o)
		return rc;
	int64_t now = clock_now(), until = now + VIEW_DAYS * 86400;

	/* The shift now and the gaps in cover over the coming days. */
	struct span *sp = arena_alloc(&r->arena, 1000 * sizeof *sp);
	struct span *gaps = arena_alloc(&r->arena, 1001 * sizeof *gaps);
	if (!sp || !gaps) {
		json_decref(o);
		return ERR_NOMEM;
	}
	size_t n = 0;
	json_t *current = json_null();
	struct dbq *q = db_query(c, shifts_sql, "iii", cp.id, now, until);
	if (!q) {
		json_decref(o);
		return ERR_DB;
	}
	while ((rc = db_step(q)) == 1 && n < 1000) {
		sp[n].from = db_int(q, 2);
		sp[n].to = db_int(q, 3);
		if (sp[n].from <= now && now < sp[n].to && json_is_null(current))
			current = shift_json(db_int(q, 0), cp.id, db_text(q, 1), sp[n].from, sp[n].to,
					     -1);
		n++;
	}
	db_done(q);
	json_object_set_new(o, "current_shift", current);
	if (rc < 0) {
		json_decref(o);
		return rc;
	}
	int ng = checkpoints_gaps(sp, n, now, until, gaps, 1001);
	json_t *gj = json_array();
	for (int i = 0; i < ng; i++)
		json_array_append_new(gj, json_pack("{s:I,s:I,s:o,s:o}", "from",
						    (json_int_t)gaps[i].from, "to",
						    (json_int_t)gaps[i].to, "from_text",
						    cp_time_text(gaps[i].from), "to_text",
						    cp_time_text(gaps[i].to)));
	json_object_set_new(o, "gaps", gj);

	/* Who is on duty, and who never signed out after their shift. */
	json_t *on = json_array(), *missing = json_array();
	json_object_set_new(o, "on_duty", on);
	json_object_set_new(o, "missing_sign_outs", missing);
	q = db_query(c, open_sql, "ii", cp.id, now - OFFLINE_SECONDS);
	if (!q) {
		json_decref(o);
		return ERR_DB;
	}
	while ((rc = db_step(q)) == 1) {
		json_t *d = duty_row(q);
		const char *st = json_string_value(json_object_get(d, "status"));
		json_array_append_new(st && !strcmp(st, "on_duty") ? on : missing, d);
	}
	db_done(q);
	if (rc < 0) {
		json_decref(o);
		return rc;
	}
	char today[DAY_LEN];
	clock_day(now, today);
	json_t *counts = day_counts(c, cp.id, today, &rc);
	if (!counts) {
		json_decref(o);
		return rc;
	}
	json_object_set_new(o, "today", counts);
	return resp_json(r, 200, o);
}
