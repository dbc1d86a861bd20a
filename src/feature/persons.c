/* The population registry's routes (DOMAIN.md §7): households, persons
 * (search by name, document, phone or address; create, change, reveal),
 * merging two records of one person, and arrivals with their grades. The
 * rules and people_upsert they write through are in people.c. */
#include "people.h"
#include "people_internal.h"
#include "discrepancies.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/buf.h"
#include "../base/clock.h"
#include "../base/text.h"
#include "../http/scope.h"
#include "areas.h"
#include "isolation.h"
#include "screening.h"

static int list_households(struct req *r);
static int create_household(struct req *r);
static int get_household(struct req *r);
static int patch_household(struct req *r);
static int list_persons(struct req *r);
static int create_person(struct req *r);
static int get_person(struct req *r);
static int patch_person(struct req *r);
static int merge_person(struct req *r);

static const struct route routes[] = {
	{"GET", "/api/v1/households", list_households, P_PEOPLE_READ, 0, 0,
	 "households in scope: by compound, status, address"},
	{"POST", "/api/v1/households", create_household, P_PEOPLE_WRITE, 0, ROUTE_IDEMPOTENT,
	 "register a household in a compound or building"},
	{"GET", "/api/v1/households/{id}", get_household, P_PEOPLE_READ, 0, 0,
	 "one household with its persons and visits"},
	{"PATCH", "/api/v1/households/{id}", patch_household, P_PEOPLE_WRITE, 0, 0,
	 "change a household's status or address"},
	{"GET", "/api/v1/persons", list_persons, P_PEOPLE_READ, 0, 0,
	 "persons in scope by name, ID number, its last 4, phone; numbers masked"},
	{"POST", "/api/v1/persons", create_person, P_PEOPLE_WRITE, 0, ROUTE_IDEMPOTENT,
	 "register a person (409 naming the record that holds the document)"},
	{"GET", "/api/v1/persons/{id}", get_person, P_PEOPLE_READ, 0, 0,
	 "a person's card: arrivals, visits, facts; ?reveal=1 whole numbers (audited)"},
	{"PATCH", "/api/v1/persons/{id}", patch_person, P_PEOPLE_WRITE, 0, 0,
	 "change a person's name, phone, household or place"},
	{"POST", "/api/v1/persons/{id}/merge", merge_person, P_PEOPLE_WRITE, 0, 0,
	 "fold a second record of the same person into this one"},};
ROUTE_TABLE(people_routes, routes);

/* ---------- searching ---------- */

int people_search_kind(const char *q, char *out, size_t cap)
{
	char s[80];
	size_t n = 0;
	while (*q == ' ' || *q == '\t')
		q++;
	snprintf(s, sizeof s, "%s", q);
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = 0;
	struct resident_id rid;
	char ph[12];
	if (people_resident_id(s, NULL, &rid, "q", NULL) == 0) {
		snprintf(out, cap, "%s", rid.number);
		return PEOPLE_SEARCH_RESIDENT_ID;
	}
	if (people_phone(s, ph, "q", NULL) == 0) {
		snprintf(out, cap, "%s", ph);
		return PEOPLE_SEARCH_PHONE;
	}
	int digit = 0, docchars = n >= 3;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (ch >= '0' && ch <= '9')
			digit = 1;
		else if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || ch == '-' ||
			   ch == '(' || ch == ')'))
			docchars = 0;
	}
	int last4 = n == 4;
	for (size_t i = 0; last4 && i < 4; i++)
		last4 = (s[i] >= '0' && s[i] <= '9') || ((s[i] == 'x' || s[i] == 'X') && i == 3);
	if (last4 || (docchars && digit && n <= 32)) {
		size_t k = 0;
		for (size_t i = 0; i < n && k + 1 < cap; i++)
			out[k++] = s[i] >= 'a' && s[i] <= 'z' ? (char)(s[i] - 'a' + 'A') : s[i];
		out[k] = 0;
		return last4 ? PEOPLE_SEARCH_LAST4 : PEOPLE_SEARCH_DOC;
	}
	/* A document number as people type it ("e 1234 5678", full-width
	 * digits): its match key, as the record was stored under. A name has
	 * no digit. */
	int anydigit = 0;
	for (size_t i = 0; i < n; i++)
		anydigit |= (s[i] >= '0' && s[i] <= '9') ||
			    ((unsigned char)s[i] == 0xEF && (unsigned char)s[i + 1] == 0xBC &&
			     (unsigned char)s[i + 2] >= 0x90 && (unsigned char)s[i + 2] <= 0x99);
	char k[40];
	if (anydigit && cap >= sizeof k &&
	    people_doc_number("other", s, NULL, k, sizeof k, NULL, "q", NULL) == 0) {
		snprintf(out, cap, "%s", k);
		return PEOPLE_SEARCH_DOC;
	}
	snprintf(out, cap, "%s", s);
	return PEOPLE_SEARCH_NAME;
}

int people_name_plan(int64_t many, double in_scope, double all, int64_t page, int filtered,
		     double entry, const char *forced)
{
	if (forced && *forced) {
		if (strcmp(forced, "index") == 0 && !filtered)
			return NAME_BY_INDEX;
		if (strcmp(forced, "rows") == 0)
			return NAME_ROWS;
		if (strcmp(forced, "walk") == 0)
			return NAME_WALK;
		if (strcmp(forced, "scope") == 0)
			return NAME_SCOPE;
	}
	/* Costs in rows walked, as measured on the demo district: an index
	 * entry, checked against the scope and sorted, costs `entry`; a
	 * walk reads a page over the share of persons in scope and matching;
	 * the scope's persons are as many as it holds. Without the counts
	 * (a new district) a walk or a scope read cannot be judged. */
	double cover = entry * (double)many, walk = INFINITY;
	if (all > 0 && in_scope > 0 && many > 0)
		walk = (double)page * all * all / ((double)many * in_scope);
	if (!filtered && cover <= walk && (cover <= in_scope || in_scope <= 0))
		return NAME_BY_INDEX;
	if (many < 2000)
		return NAME_ROWS;
	if (all > 0 && in_scope > 0)
		return walk < in_scope ? NAME_WALK : NAME_SCOPE;
	return NAME_WALK;
}

double people_name_entry_cost(const char *backend)
{
	return strcmp(backend, "postgresql") == 0 ? 10.0 : 3.0;
}

int64_t people_name_count_cap(double in_scope, double all, int64_t page, int filtered,
			      double entry, const char *forced)
{
	if (forced && *forced && strcmp(forced, "auto") != 0)
		return NAME_COUNT_CAP;
	/* The counts at which people_name_plan's choice turns: the index alone
	 * while entry many <= walk (many^2 <= page all^2 / (entry in_scope))
	 * and entry many <= in_scope; rows below 2000; a walk once walk < in_scope
	 * (many > page all^2 / in_scope^2). Past the largest, nothing changes. */
	double turn = 2000, b = 0, t = 0;
	if (all > 0 && in_scope > 0) {
		b = fmin(sqrt((double)page * all * all / (entry * in_scope)), in_scope / entry);
		t = (double)page * all * all / (in_scope * in_scope);
	} else if (in_scope > 0) {
		b = in_scope / entry;
	}
	if (filtered)
		b = 0; /* never the index alone */
	turn = fmax(turn, fmax(b, t));
	if (!(turn < (double)NAME_COUNT_CAP - 2))
		return NAME_COUNT_CAP;
	return (int64_t)ceil(turn) + 2;
}

/* ---------- routes: shared pieces ---------- */

/* A LIKE pattern "%text%" (lower-cased ASCII, wildcards escaped with \) in
 * the request's arena. */
static const char *contains_pattern(struct req *r, const char *text)
{
	struct buf b = {0};
	buf_puts(&b, "%");
	for (const char *p = text; *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			buf_puts(&b, "\\");
		char ch = *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p;
		buf_append(&b, &ch, 1);
	}
	buf_puts(&b, "%");
	const char *s = buf_str(&b);
	char *out = s ? arena_strdup(&r->arena, s) : NULL;
	buf_free(&b);
	return out;
}

/* The kind of a unit into kind[16]: 1 found, 0 not, <0 error. */
static int unit_kind(struct dbc *c, int64_t id, char kind[16])
{
	struct dbq *q = db_query(c, "SELECT kind FROM units WHERE id = $1", "i", id);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	if (rc == 1)
		snprintf(kind, 16, "%s", db_text(q, 0));
	db_done(q);
	return rc;
}

/* Households and located persons live in compounds (or their buildings). */
static int place_kind(const char *kind)
{
	return strcmp(kind, "compound") == 0 || strcmp(kind, "building") == 0;
}

/* Checks a unit named by the input field `field` for a write: 400 when it
 * does not exist, 403 outside scope. *located gets whether it is a real
 * place (compound or building). */
static int unit_for_write(struct req *r, struct dbc *c, int64_t unit, const char *field,
			  int *located)
{
	char kind[16];
	int rc = unit_kind(c, unit, kind);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_INVALID, field, "no such unit");
	rc = scope_contains(c, r->who.scope_unit_id, unit);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_FORBIDDEN, field, "the unit is outside your area (scope)");
	*located = place_kind(kind);
	return 0;
}

static const char *const hh_statuses[] = {"occupied", "empty", "unknown"};

static int hh_status_valid(const char *s)
{
	for (size_t i = 0; i < 3; i++)
		if (strcmp(s, hh_statuses[i]) == 0)
			return 1;
	return 0;
}

#define HH_COLS                                                                         \
	"SELECT h.id, h.unit_id, u.name, h.address, h.status, h.members, h.empty_confirmed," \
	" h.created_at, h.updated_at FROM households h JOIN units u ON u.id = h.unit_id"

static json_t *household_row(struct dbq *q)
{
	return json_pack("{s:I,s:I,s:s,s:s,s:s,s:I,s:b,s:I,s:I}", "id", (json_int_t)db_int(q, 0),
			 "unit_id", (json_int_t)db_int(q, 1), "unit_name", db_text(q, 2), "address",
			 db_text(q, 3), "status", db_text(q, 4), "members", (json_int_t)db_int(q, 5),
			 "empty_confirmed", db_int(q, 6) != 0, "created_at", (json_int_t)db_int(q, 7),
			 "updated_at", (json_int_t)db_int(q, 8));
}

/* One household as JSON, or NULL with *err (0 when absent). */
static json_t *load_household(struct dbc *c, int64_t id, int *err)
{
	int rc;
	json_t *o = query_row(db_query(c, HH_COLS " WHERE h.id = $1", "i", id), household_row, &rc);
	*err = rc < 0 ? rc : 0;
	return o;
}

#define PERSON_COLS                                                                   \
	"SELECT p.id, p.doc_type, p.doc_number, p.name, p.sex, p.birth_date, p.phone,"  \
	" p.unit_id, u.name, p.household_id, h.address, p.located, p.source,"           \
	" p.created_at, p.updated_at, p.merged_into, p.doc_typed FROM persons p"         \
	" JOIN units u ON u.id = p.unit_id LEFT JOIN households h ON h.id = p.household_id"

/* A person as JSON: numbers whole, or masked as in lists. */
static json_t *person_json(struct dbq *q, int whole)
{
	const char *type = db_text(q, 1), *num = db_text(q, 2), *phone = db_text(q, 6);
	char mdoc[64] = "", mphone[24] = "";
	if (!whole) {
		people_mask_doc(type, num, mdoc, sizeof mdoc);
		if (phone)
			people_mask_phone(phone, mphone, sizeof mphone);
	}
	json_t *o = json_pack(
		"{s:I,s:s,s:s,s:s,s:o,s:o,s:o,s:I,s:s,s:o,s:o,s:b,s:s,s:I,s:I}", "id",
		(json_int_t)db_int(q, 0), "doc_type", type, "doc_number", whole ? num : mdoc, "name",
		db_text(q, 3), "sex", jx_text_or_null(db_text(q, 4)), "birth_date",
		jx_text_or_null(db_text(q, 5)), "phone",
		jx_text_or_null(phone ? (whole ? phone : mphone) : NULL), "unit_id",
		(json_int_t)db_int(q, 7), "unit_name", db_text(q, 8), "household_id",
		jx_col_int(q, 9), "household_address", jx_text_or_null(db_text(q, 10)), "located",
		db_int(q, 11) != 0, "source", db_text(q, 12), "created_at", (json_int_t)db_int(q, 13),
		"updated_at", (json_int_t)db_int(q, 14));
	if (o && !db_null(q, 15))
		json_object_set_new(o, "merged_into", json_integer(db_int(q, 15)));
	/* The number as typed (an other document) beside its key; whole only
	 * where the number is whole. */
	if (o && whole && db_text(q, 16))
		json_object_set_new(o, "doc_typed", json_string(db_text(q, 16)));
	return o;
}

static json_t *person_row(struct dbq *q)
{
	return person_json(q, 0);
}

/* One person as JSON, or NULL with *err (0 when absent). */
static json_t *load_person(struct dbc *c, int64_t id, int whole, int *err)
{
	struct dbq *q = db_query(c, PERSON_COLS " WHERE p.id = $1", "i", id);
	*err = 0;
	if (!q) {
		*err = ERR_DB;
		return NULL;
	}
	int rc = db_step(q);
	json_t *o = rc == 1 ? person_json(q, whole) : NULL;
	if (rc < 0)
		*err = rc;
	db_done(q);
	return o;
}


json_t *people_arrival_row(struct dbq *q)
{
	return json_pack("{s:I,s:I,s:I,s:s,s:o,s:s,s:s,s:s,s:s,s:o,s:s,s:s,s:s,s:I}", "id",
			 (json_int_t)db_int(q, 0), "person_id", (json_int_t)db_int(q, 1),
			 "unit_id", (json_int_t)db_int(q, 2), "origin_code", db_text(q, 3),
			 "origin_name", jx_text_or_null(db_text(q, 4)), "arrival_date",
			 db_text(q, 5), "mode", db_text(q, 6), "grade", db_text(q, 7), "handling",
			 db_text(q, 8), "risk_area_id", jx_col_int(q, 9), "unit_name",
			 db_text(q, 10), "person_name", db_text(q, 11), "source", db_text(q, 12),
			 "created_at", (json_int_t)db_int(q, 13));
}

#define VISIT_COLS                                                                      \
	"SELECT v.id, v.round_id, sr.name, v.household_id, h.address, v.unit_id, v.team_id," \
	" t.name, v.at, v.method, v.result, v.persons_found, v.note, us.name"              \
	" FROM visits v JOIN screening_rounds sr ON sr.id = v.round_id"                    \
	" JOIN households h ON h.id = v.household_id"                                      \
	" LEFT JOIN screening_teams t ON t.id = v.team_id"                                 \
	" LEFT JOIN users us ON us.id = v.created_by"

static json_t *visit_row(struct dbq *q)
{
	return json_pack("{s:I,s:I,s:s,s:I,s:s,s:I,s:o,s:o,s:I,s:s,s:s,s:I,s:o,s:o}", "id",
			 (json_int_t)db_int(q, 0), "round_id", (json_int_t)db_int(q, 1),
			 "round_name", db_text(q, 2), "household_id", (json_int_t)db_int(q, 3),
			 "household_address", db_text(q, 4), "unit_id", (json_int_t)db_int(q, 5),
			 "team_id", jx_col_int(q, 6), "team_name", jx_text_or_null(db_text(q, 7)),
			 "at", (json_int_t)db_int(q, 8), "method", db_text(q, 9), "result",
			 db_text(q, 10), "persons_found", (json_int_t)db_int(q, 11), "note",
			 jx_text_or_null(db_text(q, 12)), "created_by_name",
			 jx_text_or_null(db_text(q, 13)));
}

/* Appends row(q) for every row of q (consumed) to a new array in o[key]. */
static int attach_rows(json_t *o, const char *key, struct dbq *q, json_t *(*row)(struct dbq *))
{
	if (!q)
		return ERR_DB;
	json_t *a = json_array();
	int rc;
	while ((rc = db_step(q)) == 1)
		json_array_append_new(a, row(q));
	db_done(q);
	json_object_set_new(o, key, a);
	return rc < 0 ? rc : 0;
}

/* Where a list looks: the caller's scope, or the unit_id filter when it
 * lies inside it. 0 with *where set; 1 when the filter is outside scope
 * (the list is empty); <0 error. */
int people_list_where(struct req *r, struct dbc *c, int64_t unit, int64_t *where)
{
	*where = r->who.scope_unit_id;
	if (!unit || unit == *where)
		return 0;
	int rc = scope_contains(c, *where, unit);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return 1;
	*where = unit;
	return 0;
}

/* The subtree condition on `col` for the unit bound at $1. For a subtree
 * holding a large share of all persons (the district, a big town) the
 * list is walked in id order and each row checked ("+col" keeps SQLite
 * from driving the query through the unit index, which would read the
 * whole subtree and sort it before the first page); for a small one the
 * unit index finds its few rows. Both forms are plain SQL on PostgreSQL. */
const char *people_subtree_sql(struct dbc *c, int64_t where, const char *narrow,
			       const char *wide)
{
	int64_t big = 0;
	int rc = db_one_int(c, &big,
			    "SELECT CASE WHEN 4 * COALESCE((SELECT persons FROM unit_households"
			    " WHERE unit_id = $1), 0) >= COALESCE((SELECT MAX(persons)"
			    " FROM unit_households), 0) AND COALESCE((SELECT MAX(persons)"
			    " FROM unit_households), 0) > 2000 THEN 1 ELSE 0 END",
			    "i", where);
	return rc == 1 && big ? wide : narrow;
}

int people_empty_list(struct req *r, const struct page *pg, const struct list_col *cols,
		      const char *filename)
{
	return resp_list(r, pg, json_array(), 0, cols, filename);
}

/* ---------- routes: households ---------- */

static const struct list_col household_export[] = {
	{"id", "编号"},      {"unit_id", "小区编号"}, {"unit_name", "小区"},
	{"address", "地址"}, {"status", "状态"},     {"members", "人数"},
	{"empty_confirmed", "确认空置"}, {0, 0},
};

static int list_households(struct req *r)
{
	struct page pg;
	int64_t unit = 0;
	const char *pat = "";
	int rc = req_page(r, &pg);
	if (!rc)
		rc = req_query_int(r, "unit_id", 1, INT64_MAX, 0, &unit);
	if (!rc)
		rc = req_query_like(r, "q", &pat);
	if (rc)
		return rc;
	const char *status = req_query(r, "status");
	if (status && *status && !hh_status_valid(status))
		return err_set(&r->err, ERR_INVALID, "status", "must be occupied, empty or unknown");
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	int64_t where = 0;
	if ((rc = people_list_where(r, c, unit, &where)))
		return rc < 0 ? rc : people_empty_list(r, &pg, household_export, "households");
	struct buf b = {0};
	buf_puts(&b, HH_COLS " WHERE ");
	buf_puts(&b, people_subtree_sql(c, where, SCOPE_SQL("h.unit_id", "1"), "+" SCOPE_SQL("h.unit_id", "1")));
	buf_puts(&b, " AND h.id > $2");
	if (status && *status)
		buf_puts(&b, " AND h.status = $3");
	/* An address is found as typed or in its other form (3-2-301 and
	 * 3号楼2单元301): the alternative holds only letters, digits and
	 * Chinese, nothing LIKE would read as a wildcard. */
	char alt[96], altpat[112] = "";
	const char *q_text = req_query(r, "q");
	if (*pat && q_text && people_address_alt(q_text, alt, sizeof alt)) {
		size_t k = 0;
		altpat[k++] = '%';
		for (const char *p = alt; *p && k + 2 < sizeof altpat; p++)
			altpat[k++] = *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p;
		altpat[k++] = '%';
		altpat[k] = 0;
	}
	if (*pat)
		buf_puts(&b, altpat[0] ? " AND (lower(h.address) LIKE $4 ESCAPE '\\'"
					 " OR lower(h.address) LIKE $6 ESCAPE '\\')"
				       : " AND lower(h.address) LIKE $4 ESCAPE '\\'");
	buf_puts(&b, " ORDER BY h.id LIMIT $5");
	const char *sql = buf_str(&b);
	struct dbq *q = sql ? db_query(c, sql, "iitti" "t", where, pg.after, status ? status : "",
				       pat, pg.limit + 1, altpat)
			    : NULL;
	buf_free(&b);
	return resp_query_list(r, &pg, q, household_row, household_export, "households");
}

/* A run of ASCII letters and digits at *p (at most 15) into part. */
static int address_part(const char **p, char part[16])
{
	size_t n = 0;
	while (((**p >= '0' && **p <= '9') || (**p >= 'A' && **p <= 'Z') || (**p >= 'a' && **p <= 'z')) &&
	       n < 15)
		part[n++] = *(*p)++;
	part[n] = 0;
	return n > 0;
}

static int skip_word(const char **p, const char *w)
{
	size_t n = strlen(w);
	if (strncmp(*p, w, n) != 0)
		return 0;
	*p += n;
	return 1;
}

int people_address_alt(const char *q, char *out, size_t cap)
{
	char a[16], b[16], c[16] = "";
	const char *p = q;
	while (*p == ' ')
		p++;
	if (!cap)
		return 0;
	out[0] = 0;
	/* "3-2-301", "3-2": dashes (ASCII, full-width or a long one). */
	const char *dashes[] = {"-", "－", "—"};
	const char *s = p;
	if (address_part(&s, a)) {
		int d = 0;
		for (size_t i = 0; i < 3 && !d; i++)
			d = skip_word(&s, dashes[i]);
		if (d && address_part(&s, b)) {
			int third = 0;
			for (size_t i = 0; i < 3 && !third; i++)
				third = skip_word(&s, dashes[i]);
			if (third && !address_part(&s, c))
				return 0;
			while (*s == ' ')
				s++;
			if (*s)
				return 0;
			int n = snprintf(out, cap, "%s号楼%s单元%s", a, b, c);
			return n > 0 && (size_t)n < cap;
		}
	}
	/* "3号楼2单元301(室)" */
	s = p;
	if (address_part(&s, a) && (skip_word(&s, "号楼") || skip_word(&s, "栋") || skip_word(&s, "幢")) &&
	    address_part(&s, b) && skip_word(&s, "单元")) {
		address_part(&s, c);
		skip_word(&s, "室");
		while (*s == ' ')
			s++;
		if (*s)
			return 0;
		int n = c[0] ? snprintf(out, cap, "%s-%s-%s", a, b, c) : snprintf(out, cap, "%s-%s-", a, b);
		return n > 0 && (size_t)n < cap;
	}
	return 0;
}

static int address_taken(struct req *r, struct dbc *c, int64_t unit, const char *address,
			 int64_t self)
{
	int64_t other = 0;
	int rc = db_one_int(c, &other,
			    "SELECT id FROM households WHERE unit_id = $1 AND address = $2 AND id <> $3",
			    "iti", unit, address, self);
	if (rc < 0)
		return rc;
	if (rc == 1)
		return err_set(&r->err, ERR_CONFLICT, "address",
			       "%s is already registered in this compound (household %lld)", address,
			       (long long)other);
	return 0;
}

static int create_household(struct req *r)
{
	int64_t unit = 0;
	const char *address = NULL, *status = NULL;
	int rc = req_json(r);
	if (!rc)
		rc = jx_id(r, r->json, "unit_id", 1, 0, &unit, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "address", 1, 128, &address, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "status", 0, 16, &status, NULL);
	if (!rc && status && !hh_status_valid(status))
		rc = err_set(&r->err, ERR_INVALID, "status", "must be occupied, empty or unknown");
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	int located = 0;
	if ((rc = unit_for_write(r, c, unit, "unit_id", &located)))
		return rc;
	if (!located)
		return err_set(&r->err, ERR_RULE, "unit_id",
			       "a household belongs to a compound or a building");
	if ((rc = address_taken(r, c, unit, address, 0)))
		return rc;
	int64_t now = clock_now(), id = 0;
	struct dbq *q = db_query(c,
				 "INSERT INTO households(unit_id, address, status, created_at, updated_at)"
				 " VALUES ($1, $2, $3, $4, $4) RETURNING id",
				 "itti", unit, address, status ? status : "unknown", now);
	if (!q)
		return ERR_DB;
	rc = db_step(q);
	if (rc == 1)
		id = db_int(q, 0);
	db_done(q);
	if (rc == ERR_CONFLICT)
		return err_set(&r->err, ERR_CONFLICT, "address",
			       "%s is already registered in this compound", address);
	if (rc != 1)
		return rc < 0 ? rc : ERR_DB;
	if ((rc = people_count_unit(c, unit, 1, 0)))
		return rc;
	req_audit_record(r, "household", id);
	json_t *o = load_household(c, id, &rc);
	return o ? resp_json(r, 201, o) : (rc ? rc : ERR_DB);
}

static int get_household(struct req *r)
{
	int64_t id = 0;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	json_t *o = load_household(c, id, &rc);
	if (!o)
		return rc ? rc : err_set(&r->err, ERR_NOT_FOUND, "", "no such household");
	int64_t unit = json_integer_value(json_object_get(o, "unit_id"));
	if ((rc = scope_check(r, unit, 0, "household")) ||
	    (rc = attach_rows(o, "persons",
			      db_query(c,
				       PERSON_COLS " WHERE p.household_id = $1"
						   " AND p.merged_into IS NULL ORDER BY p.id LIMIT 500",
				       "i", id),
			      person_row)) ||
	    (rc = attach_rows(o, "visits",
			      db_query(c,
				       VISIT_COLS " WHERE v.household_id = $1"
						  " ORDER BY v.at DESC, v.id DESC LIMIT 200",
				       "i", id),
			      visit_row))) {
		json_decref(o);
		return rc;
	}
	return resp_json(r, 200, o);
}

static int patch_household(struct req *r)
{
	int64_t id = 0;
	const char *address = NULL, *status = NULL;
	int has_addr = 0, has_status = 0;
	int rc = req_param_id(r, "id", &id);
	if (!rc)
		rc = req_json(r);
	if (!rc)
		rc = jx_str(r, r->json, "address", 0, 128, &address, &has_addr);
	if (!rc && has_addr && (!address || !*address))
		rc = err_set(&r->err, ERR_INVALID, "address", "must not be empty");
	if (!rc)
		rc = jx_str(r, r->json, "status", 0, 16, &status, &has_status);
	if (!rc && has_status && (!status || !hh_status_valid(status)))
		rc = err_set(&r->err, ERR_INVALID, "status", "must be occupied, empty or unknown");
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	int64_t unit = 0;
	rc = db_one_int(c, &unit, "SELECT unit_id FROM households WHERE id = $1", "i", id);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_NOT_FOUND, "", "no such household");
	if ((rc = scope_check(r, unit, 1, "household")))
		return rc;
	if (has_addr && (rc = address_taken(r, c, unit, address, id)))
		return rc;
	int64_t n = db_run(c,
			   "UPDATE households SET address = COALESCE($2, address),"
			   " status = COALESCE($3, status), updated_at = $4 WHERE id = $1",
			   "itti", id, has_addr ? address : NULL, has_status ? status : NULL,
			   clock_now());
	if (n == ERR_CONFLICT)
		return err_set(&r->err, ERR_CONFLICT, "address",
			       "%s is already registered in this compound", address);
	if (n < 0)
		return (int)n;
	req_audit_record(r, "household", id);
	json_t *o = load_household(c, id, &rc);
	return o ? resp_json(r, 200, o) : (rc ? rc : ERR_DB);
}

/* ---------- routes: persons ---------- */

static const struct list_col person_export[] = {
	{"id", "编号"},          {"name", "姓名"},          {"doc_type", "证件类型"},
	{"doc_number", "证件号码"}, {"sex", "性别"},           {"birth_date", "出生日期"},
	{"phone", "手机"},        {"unit_name", "所在单位"},  {"household_address", "住址"},
	{"located", "已落位"},     {"source", "来源"},         {0, 0},
};

static int list_persons(struct req *r)
{
	struct page pg;
	int64_t unit = 0, household = 0, located = -1;
	int rc = req_page(r, &pg);
	if (!rc)
		rc = req_query_int(r, "unit_id", 1, INT64_MAX, 0, &unit);
	if (!rc)
		rc = req_query_int(r, "household_id", 1, INT64_MAX, 0, &household);
	if (!rc)
		rc = req_query_int(r, "located", 0, 1, -1, &located);
	if (rc)
		return rc;
	const char *text = req_query(r, "q");
	if (text && strlen(text) > 64)
		return err_set(&r->err, ERR_INVALID, "q", "must be at most 64 characters");
	char key[80] = "";
	int kind = text && *text ? people_search_kind(text, key, sizeof key) : -1;
	const char *arg = key, *upper = NULL, *order = " ORDER BY p.id LIMIT $6";
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	int64_t where = 0;
	if ((rc = people_list_where(r, c, unit, &where)))
		return rc < 0 ? rc : people_empty_list(r, &pg, person_export, "persons");
	/* Each kind of search has its own index: the document (unique), its
	 * last four characters, the phone, the name. */
	const char *narrow = SCOPE_SQL("p.unit_id", "1"), *wide = "+" SCOPE_SQL("p.unit_id", "1");
	const char *scope = NULL, *filter = "";
	int by_index = 0;
	int64_t merged = 0;
	switch (kind) {
	case PEOPLE_SEARCH_RESIDENT_ID:
		filter = " AND p.doc_type = 'resident_id' AND p.doc_number = $3";
		break;
	case PEOPLE_SEARCH_DOC:
		filter = " AND p.doc_type IN ('resident_id', 'passport', 'hk_macao_permit',"
			 " 'taiwan_permit', 'other') AND p.doc_number = $3";
		break;
	case PEOPLE_SEARCH_LAST4:
		filter = " AND p.doc_last4 = $3";
		break;
	case PEOPLE_SEARCH_PHONE:
		filter = " AND p.phone = $3";
		break;
	case PEOPLE_SEARCH_NAME:
		if (!key[0])
			break;
		if (strpbrk(key, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")) {
			/* Latin names (passport holders): contains, any case. */
			arg = contains_pattern(r, key);
			filter = " AND lower(p.name) LIKE $3 ESCAPE '\\'";
			break;
		}
		/* Chinese names start with the surname and are looked up that
		 * way: a prefix is a range on persons_name, where "contains"
		 * would read the whole district. Which way is quick depends on
		 * how many names start so and on the scope, which a prepared
		 * plan cannot know: the counts choose (people_name_plan).
		 * Counting up to NAME_COUNT_CAP on the name index (enough to
		 * tell) costs about half a millisecond. */
		upper = arena_printf(&r->arena, "%s\xF4\x8F\xBF\xBF", key);
		double in_scope = 0, all = 0;
		struct dbq *sq = db_query(c,
					  "SELECT COALESCE((SELECT persons FROM unit_households"
					  " WHERE unit_id = $1), 0),"
					  " COALESCE((SELECT MAX(persons) FROM unit_households), 0),"
					  " (SELECT COUNT(*) FROM persons WHERE merged_into IS NOT NULL"
					  " AND name >= $2 AND name < $3)",
					  "itt", where, key, upper);
		if (!sq)
			return ERR_DB;
		if ((rc = db_step(sq)) == 1) {
			in_scope = (double)db_int(sq, 0);
			all = (double)db_int(sq, 1);
			merged = db_int(sq, 2);
		}
		db_done(sq);
		if (rc < 0)
			return rc;
		/* Counted only as far as the choice needs (a commander's common
		 * surname: 3,251 entries, not 20,000). */
		const char *forced = getenv("CORDON_NAME_SEARCH");
		double entry = people_name_entry_cost(db_backend(c));
		int64_t many = 0;
		rc = db_one_int(c, &many,
				"SELECT COUNT(*) FROM (SELECT 1 FROM persons"
				" WHERE name >= $1 AND name < $2 LIMIT $3) t",
				"tti", key, upper,
				people_name_count_cap(in_scope, all, pg.limit + 1,
						      household || located >= 0, entry, forced));
		if (rc < 0)
			return rc;
		if (many == 0)
			return people_empty_list(r, &pg, person_export, "persons");
		int plan = people_name_plan(many, in_scope, all, pg.limit + 1,
					    household || located >= 0, entry, forced);
		switch (plan) {
		case NAME_BY_INDEX: by_index = 1; break;
		case NAME_ROWS:
			scope = wide;
			filter = " AND p.name >= $3 AND p.name < $7";
			order = " ORDER BY +p.id LIMIT $6";
			break;
		default:
			/* The name as an expression, which no index serves (SQLite's
			 * unary + is not defined on text in PostgreSQL). A walk keeps
			 * SQLite off the unit index too; a scope read uses it. */
			filter = " AND (p.name || '') >= $3 AND (p.name || '') < $7";
			scope = plan == NAME_WALK ? wide : narrow;
		}
		break;
	default: break;
	}
	struct buf b = {0};
	if (by_index) {
		/* The page's ids from the name index alone, in scope, in id order;
		 * merged records are dropped after, so as many more are asked. */
		buf_puts(&b, PERSON_COLS " WHERE p.merged_into IS NULL AND p.id IN (SELECT id"
				 " FROM persons WHERE name >= $3 AND name < $7 AND +"
				 SCOPE_SQL("unit_id", "1") " AND +id > $2 ORDER BY id LIMIT $8)"
				 " ORDER BY p.id LIMIT $6");
	} else {
		if (!scope)
			scope = people_subtree_sql(c, where, narrow, wide);
		buf_puts(&b, PERSON_COLS " WHERE p.merged_into IS NULL AND ");
		buf_puts(&b, scope);
		buf_puts(&b, " AND p.id > $2");
		buf_puts(&b, filter);
		if (household)
			buf_puts(&b, " AND p.household_id = $4");
		if (located >= 0)
			buf_puts(&b, " AND p.located = $5");
		buf_puts(&b, order);
	}
	const char *sql = buf_str(&b);
	struct dbq *q = sql ? db_query(c, sql, "iitiiiti", where, pg.after, arg ? arg : "",
				       household, located, pg.limit + 1, upper ? upper : "",
				       pg.limit + 1 + merged)
			    : NULL;
	buf_free(&b);
	return resp_query_list(r, &pg, q, person_row, person_export, "persons");
}

/* The record holding a document, followed to the one it was merged into:
 * 1 found (*id, *unit), 0 not, <0 error. */
static int find_document(struct dbc *c, const char *type, const char *number, int64_t *id,
			 int64_t *unit)
{
	struct dbq *q = db_query(c,
				 "SELECT COALESCE(s.id, p.id), COALESCE(s.unit_id, p.unit_id)"
				 " FROM persons p LEFT JOIN persons s ON s.id = p.merged_into"
				 " WHERE p.doc_type = $1 AND p.doc_number = $2",
				 "tt", type, number);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	if (rc == 1) {
		*id = db_int(q, 0);
		*unit = db_int(q, 1);
	}
	db_done(q);
	return rc;
}

/* 409 for a document already registered: names the record (existing_id)
 * when the caller may see it. The body is set here; the caller returns 0
 * and the router rolls the transaction back (status >= 400). */
static int document_conflict(struct req *r, struct dbc *c, int64_t existing, int64_t unit)
{
	int rc = scope_contains(c, r->who.scope_unit_id, unit);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_CONFLICT, "doc_number",
			       "this document is already registered (outside your area)");
	err_set(&r->err, ERR_CONFLICT, "doc_number",
		"this document is already registered: person %lld", (long long)existing);
	return resp_json(r, 409,
			 json_pack("{s:{s:s,s:s,s:s,s:I}}", "error", "code", "conflict", "field",
				   "doc_number", "message", r->err.message, "existing_id",
				   (json_int_t)existing));
}

/* Reads the person fields shared by create and change. */
struct person_fields {
	const char *doc_type, *doc_number, *name, *phone, *sex, *birth_date;
	int64_t unit_id, household_id;
	int has_name, has_phone, has_sex, has_birth, has_unit, has_household;
};

static int read_person_fields(struct req *r, struct person_fields *f, int create)
{
	int rc = 0;
	if (create) {
		rc = jx_str(r, r->json, "doc_type", 0, 20, &f->doc_type, NULL);
		if (!rc && f->doc_type && !people_doc_type_valid(f->doc_type))
			rc = err_set(&r->err, ERR_INVALID, "doc_type",
				     "must be resident_id, passport, hk_macao_permit, taiwan_permit"
				     " or other");
		if (!rc)
			rc = jx_str(r, r->json, "doc_number", 1, 40, &f->doc_number, NULL);
	}
	if (!rc)
		rc = jx_str(r, r->json, "name", create, 64, &f->name, &f->has_name);
	if (!rc && f->has_name && (!f->name || !*f->name))
		rc = err_set(&r->err, ERR_INVALID, "name", "must not be empty");
	if (!rc)
		rc = jx_str(r, r->json, "phone", 0, 32, &f->phone, &f->has_phone);
	if (!rc)
		rc = jx_str(r, r->json, "sex", 0, 1, &f->sex, &f->has_sex);
	if (!rc)
		rc = jx_str(r, r->json, "birth_date", 0, 10, &f->birth_date, &f->has_birth);
	if (!rc)
		rc = jx_id(r, r->json, "unit_id", 0, 0, &f->unit_id, &f->has_unit);
	if (!rc)
		rc = jx_id(r, r->json, "household_id", 0, 1, &f->household_id, &f->has_household);
	if (rc)
		return rc;
	if (f->phone && !*f->phone)
		f->phone = NULL;
	if (f->sex && !*f->sex)
		f->sex = NULL;
	if (f->birth_date && !*f->birth_date)
		f->birth_date = NULL;
	return 0;
}

/* Resolves where a person is placed from unit_id and household_id: the
 * household's compound when a household is given (unit_id, if given too,
 * must be that compound). 400 / 403 naming the field. */
static int place_for_write(struct req *r, struct dbc *c, struct person_fields *f, int *located)
{
	int rc;
	if (f->household_id) {
		int64_t hunit = 0;
		rc = db_one_int(c, &hunit, "SELECT unit_id FROM households WHERE id = $1", "i",
				f->household_id);
		if (rc < 0)
			return rc;
		if (rc == 0)
			return err_set(&r->err, ERR_INVALID, "household_id", "no such household");
		if ((rc = scope_contains(c, r->who.scope_unit_id, hunit)) < 0)
			return rc;
		if (rc == 0)
			return err_set(&r->err, ERR_FORBIDDEN, "household_id",
				       "the household is outside your area (scope)");
		if (f->unit_id && f->unit_id != hunit)
			return err_set(&r->err, ERR_INVALID, "unit_id",
				       "the household %lld is in unit %lld, not %lld",
				       (long long)f->household_id, (long long)hunit,
				       (long long)f->unit_id);
		f->unit_id = hunit;
		*located = 1;
		return 0;
	}
	if (!f->unit_id)
		return 0;
	return unit_for_write(r, c, f->unit_id, "unit_id", located);
}

static int create_person(struct req *r)
{
	struct person_fields f = {0};
	int rc = req_json(r);
	if (!rc)
		rc = read_person_fields(r, &f, 1);
	if (rc)
		return rc;
	if (!f.unit_id && !f.household_id)
		return err_set(&r->err, ERR_INVALID, "unit_id", "is required (or a household_id)");
	char today[DAY_LEN];
	clock_day(clock_now(), today);
	struct person_in in = {
		.doc_type = f.doc_type ? f.doc_type : "resident_id",
		.doc_number = f.doc_number,
		.name = f.name,
		.phone = f.phone,
		.sex = f.sex,
		.birth_date = f.birth_date,
		.source = "manual",
	};
	/* The key and the typed form both go to people_upsert (in.norm). */
	struct person_norm norm;
	if ((rc = people_validate_into(&in, today, &norm, &r->err)))
		return rc;
	in.norm = &norm;
	const char *num = norm.doc_number;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	int located = 0;
	if ((rc = place_for_write(r, c, &f, &located)))
		return rc;
	int64_t existing = 0, eunit = 0;
	rc = find_document(c, in.doc_type, num, &existing, &eunit);
	if (rc < 0)
		return rc;
	if (rc == 1)
		return document_conflict(r, c, existing, eunit);
	in.unit_id = f.unit_id;
	in.household_id = f.household_id;
	in.located = located;
	int64_t id = 0;
	int created = 0;
	rc = people_upsert(c, &in, clock_now(), &id, &created, &r->err);
	if (rc == ERR_CONFLICT)
		return err_set(&r->err, ERR_CONFLICT, "doc_number",
			       "this document was registered at the same moment");
	if (rc)
		return rc;
	req_audit_record(r, "person", id);
	/* The creator typed the numbers: they get them back whole. */
	json_t *o = load_person(c, id, 1, &rc);
	return o ? resp_json(r, 201, o) : (rc ? rc : ERR_DB);
}

static json_t *fact_row_masked(struct dbq *q)
{
	const char *field = db_text(q, 0), *value = db_text(q, 1);
	char m[24];
	if (value && strcmp(field, "phone") == 0) {
		people_mask_phone(value, m, sizeof m);
		value = m;
	}
	return json_pack("{s:s,s:o,s:s,s:o,s:I}", "field", field, "value", jx_text_or_null(value),
			 "source", db_text(q, 2), "source_id", jx_col_int(q, 3), "at",
			 (json_int_t)db_int(q, 4));
}

static json_t *fact_row_whole(struct dbq *q)
{
	return json_pack("{s:s,s:o,s:s,s:o,s:I}", "field", db_text(q, 0), "value",
			 jx_text_or_null(db_text(q, 1)), "source", db_text(q, 2), "source_id",
			 jx_col_int(q, 3), "at", (json_int_t)db_int(q, 4));
}

/* A person's facts, newest first: the rows, and while the person row
 * implies them the facts it was created with (settle_facts), oldest of all,
 * in the order they were once written (name, phone, household). */
#define FACTS_SQL                                                                          \
	"SELECT field, value, source, source_id, at, id FROM person_facts WHERE person_id = $1" \
	" UNION ALL SELECT 'name', name, source, source_id, created_at, -3 FROM persons"       \
	" WHERE id = $1 AND facts_implied = 1"                                                 \
	" UNION ALL SELECT 'phone', phone, source, source_id, created_at, -2 FROM persons"     \
	" WHERE id = $1 AND facts_implied = 1 AND phone IS NOT NULL"                           \
	" UNION ALL SELECT 'household_id', CAST(household_id AS TEXT), source, source_id,"     \
	" created_at, -1 FROM persons WHERE id = $1 AND facts_implied = 1"                     \
	" AND household_id IS NOT NULL ORDER BY 5 DESC, 6 DESC LIMIT 500"

static int get_person(struct req *r)
{
	int64_t id = 0, reveal = 0;
	int rc = req_param_id(r, "id", &id);
	if (!rc)
		rc = req_query_int(r, "reveal", 0, 1, 0, &reveal);
	if (rc)
		return rc;
	/* Whole numbers only for a role allowed to see them, and each such read
	 * is audited; others get the masks, as without reveal. */
	int whole = reveal && req_can(r, P_ID_REVEAL);
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	json_t *o = load_person(c, id, whole, &rc);
	if (!o)
		return rc ? rc : err_set(&r->err, ERR_NOT_FOUND, "", "no such person");
	int64_t unit = json_integer_value(json_object_get(o, "unit_id"));
	if ((rc = scope_check(r, unit, 0, "person")) ||
	    (rc = attach_rows(o, "arrivals",
			      db_query(c, ARRIVAL_COLS " WHERE a.person_id = $1"
					  " ORDER BY a.arrival_date DESC, a.id DESC", "i", id),
			      people_arrival_row)) ||
	    (rc = attach_rows(o, "visits",
			      db_query(c,
				       VISIT_COLS " JOIN visit_persons vp ON vp.visit_id = v.id"
						  " WHERE vp.person_id = $1"
						  " ORDER BY v.at DESC, v.id DESC LIMIT 200",
				       "i", id),
			      visit_row)) ||
	    (rc = attach_rows(o, "facts",
			      db_query(c, FACTS_SQL, "i", id),
			      whole ? fact_row_whole : fact_row_masked))) {
		json_decref(o);
		return rc;
	}
	/* The active isolation order and the colour it implies (isolation.h). */
	json_object_set_new(o, "isolation", isolation_person_card(c, id));
	if (whole) {
		int phone = json_is_string(json_object_get(o, "phone"));
		req_audit_read(r, "person", id, phone ? "doc_number,phone" : "doc_number");
	}
	return resp_json(r, 200, o);
}


/* 1 found, 0 not, <0 error. */
static int person_now(struct dbc *c, int64_t id, struct person_now *p)
{
	struct dbq *q = db_query(c,
				 "SELECT unit_id, household_id, merged_into, located, doc_type, doc_number,"
				 " name, phone, sex, birth_date FROM persons WHERE id = $1",
				 "i", id);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	if (rc == 1) {
		memset(p, 0, sizeof *p);
		p->id = id;
		p->unit_id = db_int(q, 0);
		p->household_id = db_null(q, 1) ? 0 : db_int(q, 1);
		p->merged_into = db_null(q, 2) ? 0 : db_int(q, 2);
		p->located = (int)db_int(q, 3);
		snprintf(p->doc_type, sizeof p->doc_type, "%s", db_text(q, 4));
		snprintf(p->doc_number, sizeof p->doc_number, "%s", db_text(q, 5));
		snprintf(p->name, sizeof p->name, "%s", db_text(q, 6));
		snprintf(p->phone, sizeof p->phone, "%s", db_null(q, 7) ? "" : db_text(q, 7));
		snprintf(p->sex, sizeof p->sex, "%s", db_null(q, 8) ? "" : db_text(q, 8));
		snprintf(p->birth_date, sizeof p->birth_date, "%s",
			 db_null(q, 9) ? "" : db_text(q, 9));
	}
	db_done(q);
	return rc;
}

/* Loads a person for a write: 404 when absent, 403 outside scope, 422 when
 * it was merged into another record (changes go to that one). */
int people_for_write(struct req *r, struct dbc *c, int64_t id, struct person_now *p)
{
	int rc = person_now(c, id, p);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_NOT_FOUND, "", "no such person");
	if ((rc = scope_check(r, p->unit_id, 1, "person")))
		return rc;
	if (p->merged_into)
		return err_set(&r->err, ERR_RULE, "", "this record was merged into person %lld",
			       (long long)p->merged_into);
	return 0;
}

static int manual_fact(struct dbc *c, int64_t person, const char *field, const char *value,
		       int64_t now)
{
	struct person_in src = {.source = "manual"};
	return people_fact(c, person, field, value, &src, now);
}

static int id_fact(struct dbc *c, int64_t person, const char *field, int64_t v, int64_t now)
{
	char s[24];
	snprintf(s, sizeof s, "%lld", (long long)v);
	return manual_fact(c, person, field, v ? s : NULL, now);
}

/* Moves a person (and the arrivals counted with them) to another unit. */
static int move_person(struct dbc *c, const struct person_now *p, int64_t unit, int located)
{
	if (db_run(c, "UPDATE persons SET unit_id = $2, located = $3 WHERE id = $1", "iii", p->id,
		   unit, (int64_t)located) < 0)
		return ERR_DB;
	if (unit == p->unit_id)
		return 0;
	if (people_count_arrivals_of(c, p->id, -1) ||
	    db_run(c, "UPDATE arrivals SET unit_id = $2 WHERE person_id = $1", "ii", p->id, unit) < 0 ||
	    people_count_arrivals_of(c, p->id, 1))
		return ERR_DB;
	int rc = people_count_unit(c, p->unit_id, 0, -1);
	return rc ? rc : people_count_unit(c, unit, 0, 1);
}

static int patch_person(struct req *r)
{
	int64_t id = 0;
	struct person_fields f = {0};
	int rc = req_param_id(r, "id", &id);
	if (!rc)
		rc = req_json(r);
	if (!rc)
		rc = read_person_fields(r, &f, 0);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	struct person_now p;
	if ((rc = people_for_write(r, c, id, &p)))
		return rc;
	/* The whole input against the document: a resident ID says the sex
	 * and birth date. */
	char today[DAY_LEN];
	clock_day(clock_now(), today);
	struct person_in in = {
		.doc_type = p.doc_type,
		.doc_number = p.doc_number,
		.name = f.name,
		.phone = f.phone,
		.sex = f.sex,
		.birth_date = f.birth_date,
	};
	if ((rc = people_validate(&in, today, &r->err)))
		return rc;
	char phone[12] = "";
	if (f.phone && (rc = people_phone(f.phone, phone, "phone", &r->err)))
		return rc;
	int located = p.located;
	int64_t unit = p.unit_id, household = p.household_id;
	if (f.household_id) {
		/* Joining a household places them in its compound. */
		struct person_fields g = {.household_id = f.household_id,
					  .unit_id = f.has_unit ? f.unit_id : 0};
		if ((rc = place_for_write(r, c, &g, &located)))
			return rc;
		unit = g.unit_id;
		household = g.household_id;
	} else {
		if (f.has_household)
			household = 0; /* null: leaves the household */
		if (f.has_unit) {
			if ((rc = unit_for_write(r, c, f.unit_id, "unit_id", &located)))
				return rc;
			unit = f.unit_id;
		}
		if (household && unit != p.unit_id) {
			/* Moved elsewhere: the old household is not theirs any
			 * more unless it is in the new place. */
			int64_t hunit = 0;
			if (db_one_int(c, &hunit, "SELECT unit_id FROM households WHERE id = $1",
				       "i", household) < 0)
				return ERR_DB;
			if (hunit != unit)
				household = 0;
		}
	}

	int64_t now = clock_now();
	int is_rid = strcmp(p.doc_type, "resident_id") == 0;
	if ((rc = people_settle_facts(c, id)))
		return rc;
	if (f.has_name && strcmp(f.name, p.name) != 0 &&
	    (db_run(c, "UPDATE persons SET name = $2 WHERE id = $1", "it", id, f.name) < 0 ||
	     manual_fact(c, id, "name", f.name, now)))
		return ERR_DB;
	if (f.has_phone && strcmp(phone, p.phone) != 0 &&
	    (db_run(c, "UPDATE persons SET phone = $2 WHERE id = $1", "it", id,
		    phone[0] ? phone : NULL) < 0 ||
	     manual_fact(c, id, "phone", phone[0] ? phone : NULL, now)))
		return ERR_DB;
	/* A resident ID's sex and birth date come from the number (a typed
	 * value that agrees changes nothing); other documents take them. */
	if (!is_rid && f.has_sex && strcmp(f.sex ? f.sex : "", p.sex) != 0 &&
	    (db_run(c, "UPDATE persons SET sex = $2 WHERE id = $1", "it", id, f.sex) < 0 ||
	     manual_fact(c, id, "sex", f.sex, now)))
		return ERR_DB;
	if (!is_rid && f.has_birth && strcmp(f.birth_date ? f.birth_date : "", p.birth_date) != 0 &&
	    (db_run(c, "UPDATE persons SET birth_date = $2 WHERE id = $1", "it", id,
		    f.birth_date) < 0 ||
	     manual_fact(c, id, "birth_date", f.birth_date, now)))
		return ERR_DB;
	if (household != p.household_id) {
		if (db_run(c, "UPDATE persons SET household_id = $2 WHERE id = $1", "iI", id,
			   household) < 0 ||
		    people_household_members(c, p.household_id, -1) || people_household_members(c, household, 1) ||
		    id_fact(c, id, "household_id", household, now))
			return ERR_DB;
	}
	if (unit != p.unit_id || located != p.located) {
		if ((rc = move_person(c, &p, unit, located)))
			return rc;
		if (unit != p.unit_id && id_fact(c, id, "unit_id", unit, now))
			return ERR_DB;
	}
	if (db_run(c, "UPDATE persons SET updated_at = $2 WHERE id = $1", "ii", id, now) < 0)
		return ERR_DB;
	req_audit_record(r, "person", id);
	json_t *o = load_person(c, id, 0, &rc);
	return o ? resp_json(r, 200, o) : (rc ? rc : ERR_DB);
}

/* ---------- merging two records of one person ---------- */

static int merge_person(struct req *r)
{
	int64_t id = 0, other_id = 0;
	int rc = req_param_id(r, "id", &id);
	if (!rc)
		rc = req_json(r);
	if (!rc)
		rc = jx_id(r, r->json, "other_id", 1, 0, &other_id, NULL);
	if (!rc && other_id == id)
		rc = err_set(&r->err, ERR_INVALID, "other_id", "is this same record");
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	struct person_now s, o;
	if ((rc = people_for_write(r, c, id, &s)))
		return rc;
	rc = person_now(c, other_id, &o);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_INVALID, "other_id", "no such person");
	if ((rc = scope_contains(c, r->who.scope_unit_id, o.unit_id)) < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_FORBIDDEN, "other_id",
			       "the other record is outside your area (scope)");
	if (o.merged_into)
		return err_set(&r->err, ERR_RULE, "other_id",
			       "that record was already merged into person %lld",
			       (long long)o.merged_into);
	int64_t now = clock_now();
	/* Both records' facts are about to change hands or values. */
	if ((rc = people_settle_facts(c, s.id)) || (rc = people_settle_facts(c, o.id)))
		return rc;

	/* The place: the survivor takes the other's household when it has
	 * none, and the other's place when its own is only a guess. The other
	 * record stops being counted anywhere. */
	int take_place = (!s.household_id && o.household_id) || (!s.located && o.located);
	if (db_run(c, "UPDATE persons SET merged_into = $2, household_id = NULL, updated_at = $3"
		      " WHERE id = $1", "iii", o.id, s.id, now) < 0 ||
	    db_run(c, "UPDATE persons SET merged_into = $2 WHERE merged_into = $1", "ii", o.id,
		   s.id) < 0 ||
	    people_household_members(c, o.household_id, -1) || people_count_unit(c, o.unit_id, 0, -1))
		return ERR_DB;
	if (take_place) {
		if (o.household_id && o.household_id != s.household_id) {
			if (db_run(c, "UPDATE persons SET household_id = $2 WHERE id = $1", "ii", s.id,
				   o.household_id) < 0 ||
			    people_household_members(c, s.household_id, -1) ||
			    people_household_members(c, o.household_id, 1) ||
			    id_fact(c, s.id, "household_id", o.household_id, now))
				return ERR_DB;
		}
		if ((rc = move_person(c, &s, o.unit_id, o.located)))
			return rc;
		if (o.unit_id != s.unit_id && id_fact(c, s.id, "unit_id", o.unit_id, now))
			return ERR_DB;
		s.unit_id = o.unit_id;
	}
	/* What the survivor lacks, the other may know. */
	if (!s.phone[0] && o.phone[0] &&
	    db_run(c, "UPDATE persons SET phone = $2 WHERE id = $1", "it", s.id, o.phone) < 0)
		return ERR_DB;
	if (!s.sex[0] && o.sex[0] &&
	    db_run(c, "UPDATE persons SET sex = $2 WHERE id = $1", "it", s.id, o.sex) < 0)
		return ERR_DB;
	if (!s.birth_date[0] && o.birth_date[0] &&
	    db_run(c, "UPDATE persons SET birth_date = $2 WHERE id = $1", "it", s.id,
		   o.birth_date) < 0)
		return ERR_DB;

	/* Arrivals: one both records hold (same day, same origin) is kept
	 * once; the rest move, counted where the survivor is. */
	static const char del_arrivals[] =
		"DELETE FROM arrivals WHERE person_id = $1 AND EXISTS (SELECT 1 FROM arrivals b"
		" WHERE b.person_id = $2 AND b.arrival_date = arrivals.arrival_date"
		" AND b.origin_code = arrivals.origin_code)";
	/* Visits: the same for a visit that found both. */
	static const char del_visits[] =
		"DELETE FROM visit_persons WHERE person_id = $1 AND visit_id IN"
		" (SELECT visit_id FROM visit_persons WHERE person_id = $2)";
	/* A round that counted both counts one person less, at every unit
	 * above where the other was counted. */
	static const char uncount_round[] =
		"UPDATE round_coverage SET persons = persons - 1 WHERE EXISTS (SELECT 1"
		" FROM round_persons rp JOIN unit_tree t ON t.unit_id = rp.unit_id"
		" WHERE rp.person_id = $1 AND rp.round_id = round_coverage.round_id"
		" AND t.ancestor_id = round_coverage.unit_id AND EXISTS (SELECT 1 FROM round_persons"
		" r2 WHERE r2.round_id = rp.round_id AND r2.person_id = $2))";
	static const char del_round[] =
		"DELETE FROM round_persons WHERE person_id = $1 AND round_id IN"
		" (SELECT round_id FROM round_persons WHERE person_id = $2)";
	/* Both records' arrivals leave the counts and the survivor's, now
	 * holding the other's that moved, come back. */
	if (people_count_arrivals_of(c, o.id, -1) || people_count_arrivals_of(c, s.id, -1) ||
	    db_run(c, del_arrivals, "ii", o.id, s.id) < 0 ||
	    db_run(c, "UPDATE arrivals SET person_id = $2, unit_id = $3 WHERE person_id = $1",
		   "iii", o.id, s.id, s.unit_id) < 0 ||
	    people_count_arrivals_of(c, s.id, 1) ||
	    db_run(c, del_visits, "ii", o.id, s.id) < 0 ||
	    db_run(c, "UPDATE visit_persons SET person_id = $2 WHERE person_id = $1", "ii", o.id,
		   s.id) < 0 ||
	    db_run(c, uncount_round, "ii", o.id, s.id) < 0 ||
	    screening_days_unmerge(c, o.id, s.id) ||
	    db_run(c, del_round, "ii", o.id, s.id) < 0 ||
	    db_run(c, "UPDATE round_persons SET person_id = $2 WHERE person_id = $1", "ii", o.id,
		   s.id) < 0 ||
	    db_run(c, "UPDATE person_facts SET person_id = $2 WHERE person_id = $1", "ii", o.id,
		   s.id) < 0 ||
	    id_fact(c, s.id, "merged", o.id, now) ||
	    db_run(c, "UPDATE persons SET updated_at = $2 WHERE id = $1", "ii", s.id, now) < 0)
		return ERR_DB;
	req_audit_record(r, "person", s.id);
	r->audit_detail = arena_printf(&r->arena, "merged person %lld into %lld",
				       (long long)o.id, (long long)s.id);
	json_t *out = load_person(c, s.id, 0, &rc);
	return out ? resp_json(r, 200, out) : (rc ? rc : ERR_DB);
}
