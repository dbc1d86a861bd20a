/* The population registry (DOMAIN.md §7 and Formats): households and
 * persons, the document and phone rules, masking, and people_upsert — the
 * one way the API, imports, screening visits and checkpoints create or
 * update a person, recording where each fact came from. Routes for
 * households and persons follow the rules. */
#include "people.h"
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

static int list_households(struct req *r);
static int create_household(struct req *r);
static int get_household(struct req *r);
static int patch_household(struct req *r);
static int list_persons(struct req *r);
static int create_person(struct req *r);
static int get_person(struct req *r);
static int patch_person(struct req *r);
static int merge_person(struct req *r);
static int add_arrival(struct req *r);
static int list_arrivals(struct req *r);
static int arrivals_by_grade(struct req *r);

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
	 "fold a second record of the same person into this one"},
	{"POST", "/api/v1/persons/{id}/arrivals", add_arrival, P_PEOPLE_WRITE, 0, ROUTE_IDEMPOTENT,
	 "record an arrival, graded on its date"},
	{"GET", "/api/v1/arrivals", list_arrivals, P_PEOPLE_READ, 0, 0,
	 "arrivals in scope by grade, handling, unit, dates"},
	{"GET", "/api/v1/arrivals/by-grade", arrivals_by_grade, P_PEOPLE_READ, 0, 0,
	 "arrivals per grade for a unit's direct children and in total"},
};
ROUTE_TABLE(people_routes, routes);

/* ---------- pure rules: documents and phones ---------- */

static const int id_weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
static const char id_checks[11] = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};

char people_id_check_char(const char *first17)
{
	int sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (first17[i] - '0') * id_weights[i];
	return id_checks[sum % 11];
}

static int province_plausible(const char *s)
{
	static const char *const p[] = {"11", "12", "13", "14", "15", "21", "22", "23", "31",
					"32", "33", "34", "35", "36", "37", "41", "42", "43",
					"44", "45", "46", "50", "51", "52", "53", "54", "61",
					"62", "63", "64", "65", "71", "81", "82"};
	for (size_t i = 0; i < sizeof p / sizeof p[0]; i++)
		if (s[0] == p[i][0] && s[1] == p[i][1])
			return 1;
	return 0;
}

int people_resident_id(const char *in, const char *today, struct resident_id *out,
		       const char *field, struct err_info *ei)
{
	/* Full-width digits and Ｘ (what a Chinese input method types) are
	 * the same number. */
	char w[160];
	if (text_fold_width(in, w, sizeof w))
		return err_set(ei, ERR_INVALID, field, "must be 18 characters (or 15 digits)");
	char s[32];
	size_t n = 0;
	for (const char *p = w; *p; p++) {
		if (*p == ' ' || *p == '\t')
			continue;
		if (n + 1 >= sizeof s)
			return err_set(ei, ERR_INVALID, field, "must be 18 characters (or 15 digits)");
		s[n++] = *p;
	}
	s[n] = 0;
	if (n != 18 && n != 15)
		return err_set(ei, ERR_INVALID, field,
			       "must be 18 characters (or an old 15-digit number), not %zu", n);
	for (size_t i = 0; i < n; i++) {
		int last = i == 17;
		if (!(s[i] >= '0' && s[i] <= '9') && !(last && (s[i] == 'X' || s[i] == 'x')))
			return last ? err_set(ei, ERR_INVALID, field,
					      "the last character must be a digit or X")
				    : err_set(ei, ERR_INVALID, field,
					      "must be digits (the last may be X)");
	}
	char id[19];
	if (n == 15) {
		/* Old numbers: YYMMDD birth, no check character; all were 19xx. */
		memcpy(id, s, 6);
		id[6] = '1';
		id[7] = '9';
		memcpy(id + 8, s + 6, 9);
		id[17] = people_id_check_char(id);
		id[18] = 0;
	} else {
		memcpy(id, s, 18);
		id[18] = 0;
		if (id[17] == 'x')
			id[17] = 'X';
	}
	if (!province_plausible(id))
		return err_set(ei, ERR_INVALID, field,
			       "the first two digits (%.2s) are not a province code", id);
	/* YYYY-MM-DD from digits 7-14 (copied: this runs twice per row of an
	 * imported list, where snprintf showed in profiles). */
	char birth[DAY_LEN] = {id[6], id[7], id[8], id[9], '-', id[10], id[11], '-', id[12], id[13], 0};
	if (day_valid(birth) || strcmp(birth, "1890-01-01") < 0)
		return err_set(ei, ERR_INVALID, field, "the birth date %.8s is not a real date",
			       id + 6);
	if (today && strcmp(birth, today) > 0)
		return err_set(ei, ERR_INVALID, field, "the birth date %s is in the future", birth);
	if (n == 18) {
		char want = people_id_check_char(id);
		if (want != id[17])
			return err_set(ei, ERR_INVALID, field, "check character should be %c, not %c",
				       want, id[17]);
	}
	memcpy(out->number, id, sizeof id);
	memcpy(out->birth_date, birth, DAY_LEN);
	out->sex = (id[16] - '0') % 2 ? 'M' : 'F';
	out->upgraded = n == 15;
	return 0;
}

int people_phone(const char *in, char out[12], const char *field, struct err_info *ei)
{
	char w[96];
	if (text_fold_width(in, w, sizeof w))
		return err_set(ei, ERR_INVALID, field, "is too long for a mobile number");
	char s[24];
	size_t n = 0;
	for (const char *p = w; *p; p++) {
		if (*p == ' ' || *p == '-' || *p == '\t')
			continue;
		if (n + 1 >= sizeof s)
			return err_set(ei, ERR_INVALID, field, "is too long for a mobile number");
		s[n++] = *p;
	}
	s[n] = 0;
	const char *d = s;
	if (strncmp(d, "+86", 3) == 0)
		d += 3;
	else if (n == 13 && strncmp(d, "86", 2) == 0)
		d += 2;
	size_t len = strlen(d);
	int ok = len == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9';
	for (size_t i = 0; ok && i < len; i++)
		ok = d[i] >= '0' && d[i] <= '9';
	if (!ok)
		return err_set(ei, ERR_INVALID, field,
			       "must be an 11-digit mobile number starting 13-19 (optionally +86)");
	memcpy(out, d, 12);
	return 0;
}

void people_mask_doc(const char *doc_type, const char *number, char *out, size_t cap)
{
	size_t n = strlen(number);
	if (strcmp(doc_type, "resident_id") == 0 && n == 18) {
		snprintf(out, cap, "%.6s********%.4s", number, number + 14);
		return;
	}
	/* Other documents: the first two and last two characters. */
	if (n <= 4) {
		snprintf(out, cap, "****");
		return;
	}
	snprintf(out, cap, "%.2s", number);
	size_t k = 2;
	for (size_t i = 2; i + 2 < n && k + 1 < cap; i++)
		out[k++] = '*';
	snprintf(out + k, cap - k, "%s", number + n - 2);
}

void people_mask_phone(const char *phone, char *out, size_t cap)
{
	size_t n = strlen(phone);
	if (n == 11)
		snprintf(out, cap, "%.3s****%.4s", phone, phone + 7);
	else
		snprintf(out, cap, "****");
}

int people_doc_type_valid(const char *t)
{
	static const char *const types[] = {"resident_id", "passport", "hk_macao_permit",
					    "taiwan_permit", "other"};
	if (!t)
		return 0;
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		if (strcmp(types[i], t) == 0)
			return 1;
	return 0;
}

int people_doc_number(const char *doc_type, const char *in, const char *today, char *out,
		      size_t cap, struct resident_id *rid, const char *field,
		      struct err_info *ei)
{
	if (!people_doc_type_valid(doc_type))
		return err_set(ei, ERR_INVALID, "doc_type",
			       "must be resident_id, passport, hk_macao_permit, taiwan_permit or other");
	if (strcmp(doc_type, "resident_id") == 0) {
		struct resident_id r;
		int rc = people_resident_id(in, today, &r, field, ei);
		if (rc)
			return rc;
		size_t k = strlen(r.number);
		if (cap && k >= cap)
			k = cap - 1;
		if (cap) {
			memcpy(out, r.number, k);
			out[k] = 0;
		}
		if (rid)
			*rid = r;
		return 0;
	}
	/* Other documents are matched upper-cased, full-width forms folded,
	 * spaces removed. */
	char w[160];
	if (text_fold_width(in, w, sizeof w))
		return err_set(ei, ERR_INVALID, field, "must be at most 32 characters");
	size_t n = 0;
	for (const char *p = w; *p; p++) {
		char ch = *p;
		if (ch == ' ' || ch == '\t')
			continue;
		if (ch >= 'a' && ch <= 'z')
			ch = (char)(ch - 'a' + 'A');
		if (!((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '('
		      || ch == ')'))
			return err_set(ei, ERR_INVALID, field,
				       "may hold only letters, digits, '-' and brackets");
		if (n + 1 >= cap || n >= 32)
			return err_set(ei, ERR_INVALID, field, "must be at most 32 characters");
		out[n++] = ch;
	}
	out[n] = 0;
	if (n < 3)
		return err_set(ei, ERR_INVALID, field, "must be at least 3 characters");
	return 0;
}

void people_doc_typed(const char *doc_type, const char *in, const char *key, char *out,
		      size_t cap)
{
	if (!cap)
		return;
	out[0] = 0;
	if (!doc_type || !in || !strcmp(doc_type, "resident_id"))
		return;
	while (*in == ' ' || *in == '\t')
		in++;
	size_t n = strlen(in);
	while (n && (in[n - 1] == ' ' || in[n - 1] == '\t'))
		n--;
	if (n >= cap || (key && strlen(key) == n && !strncmp(in, key, n)))
		return;
	memcpy(out, in, n);
	out[n] = 0;
}

/* ---------- writing a person ---------- */

static int utf8_len_ok(const char *s, size_t max)
{
	size_t n = 0;
	for (; *s; s++) {
		if ((unsigned char)*s < 0x20)
			return 0;
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	}
	return n >= 1 && n <= max;
}

int people_validate(const struct person_in *in, const char *today, struct err_info *ei)
{
	return people_validate_into(in, today, NULL, ei);
}

int people_validate_into(const struct person_in *in, const char *today, struct person_norm *out,
			 struct err_info *ei)
{
	const char *type = in->doc_type ? in->doc_type : "resident_id";
	if (!in->doc_number || !*in->doc_number)
		return err_set(ei, ERR_INVALID, "doc_number", "is required");
	struct person_norm own;
	struct person_norm *nm = out ? out : &own;
	memset(nm, 0, sizeof *nm);
	struct resident_id rid;
	int is_rid = strcmp(type, "resident_id") == 0;
	int rc = people_doc_number(type, in->doc_number, today, nm->doc_number,
				   sizeof nm->doc_number, &rid, "doc_number", ei);
	if (rc)
		return rc;
	if (is_rid)
		nm->rid = rid;
	people_doc_typed(type, in->doc_number, nm->doc_number, nm->doc_typed, sizeof nm->doc_typed);
	if (in->name && !utf8_len_ok(in->name, 64))
		return err_set(ei, ERR_INVALID, "name", "must be 1 to 64 characters");
	if (in->phone && *in->phone && (rc = people_phone(in->phone, nm->phone, "phone", ei)))
		return rc;
	if (in->sex && strcmp(in->sex, "M") != 0 && strcmp(in->sex, "F") != 0)
		return err_set(ei, ERR_INVALID, "sex", "must be M or F");
	if (in->birth_date) {
		if (day_valid(in->birth_date))
			return err_set(ei, ERR_INVALID, "birth_date", "must be a date YYYY-MM-DD");
		if (today && strcmp(in->birth_date, today) > 0)
			return err_set(ei, ERR_INVALID, "birth_date", "is in the future");
	}
	if (is_rid && in->birth_date && strcmp(in->birth_date, rid.birth_date) != 0)
		return err_set(ei, ERR_INVALID, "birth_date",
			       "%s disagrees with the ID number, which says %s", in->birth_date,
			       rid.birth_date);
	if (is_rid && in->sex && in->sex[0] != rid.sex)
		return err_set(ei, ERR_INVALID, "sex", "%s disagrees with the ID number, which says %c",
			       in->sex, rid.sex);
	return 0;
}

int people_count_unit(struct dbc *c, int64_t unit_id, int64_t households, int64_t persons)
{
	if (!households && !persons)
		return 0;
	int64_t n = db_run(c,
			   "INSERT INTO unit_households(unit_id, households, persons)"
			   " SELECT ancestor_id, $2, $3 FROM unit_tree WHERE unit_id = $1"
			   " ON CONFLICT (unit_id) DO UPDATE SET"
			   " households = unit_households.households + excluded.households,"
			   " persons = unit_households.persons + excluded.persons",
			   "iii", unit_id, households, persons);
	return n < 0 ? (int)n : 0;
}

/* The arrivals matching COND (on a) added to the counts of their units and
 * every unit above, by day and GRADE, SIGN (a bound parameter) times each;
 * rows in key order so concurrent writers on PostgreSQL lock in one order. */
#define ARRIVAL_COUNT_SQL(grade, sign, cond)                                              \
	"INSERT INTO arrival_counts(unit_id, arrival_date, grade, n)"                     \
	" SELECT t.ancestor_id, a.arrival_date, " grade ", " sign " * COUNT(*)"          \
	" FROM arrivals a JOIN unit_tree t ON t.unit_id = a.unit_id WHERE " cond          \
	" GROUP BY t.ancestor_id, a.arrival_date, " grade                                 \
	" ORDER BY t.ancestor_id, a.arrival_date, " grade                                 \
	" ON CONFLICT (unit_id, arrival_date, grade) DO UPDATE SET"                       \
	" n = arrival_counts.n + excluded.n"

/* One new arrival counted at its unit and every unit above. */
static int count_arrival(struct dbc *c, int64_t unit_id, const char *day, const char *grade)
{
	int64_t n = db_run(c,
			   "INSERT INTO arrival_counts(unit_id, arrival_date, grade, n)"
			   " SELECT ancestor_id, $2, $3, 1 FROM unit_tree WHERE unit_id = $1"
			   " ORDER BY ancestor_id ON CONFLICT (unit_id, arrival_date, grade)"
			   " DO UPDATE SET n = arrival_counts.n + 1",
			   "itt", unit_id, day, grade);
	return n < 0 ? (int)n : 0;
}

int people_count_arrivals_of(struct dbc *c, int64_t person_id, int sign)
{
	int64_t n = db_run(c, ARRIVAL_COUNT_SQL("a.grade", "$2", "a.person_id = $1"), "ii",
			   person_id, (int64_t)sign);
	return n < 0 ? (int)n : 0;
}

int people_arrival_counts_rebuild(struct dbc *c)
{
	int64_t n = db_run(c, "DELETE FROM arrival_counts", "");
	if (n >= 0)
		n = db_run(c,
			   "INSERT INTO arrival_counts(unit_id, arrival_date, grade, n)"
			   " SELECT t.ancestor_id, a.arrival_date, a.grade, COUNT(*) FROM arrivals a"
			   " JOIN unit_tree t ON t.unit_id = a.unit_id"
			   " GROUP BY t.ancestor_id, a.arrival_date, a.grade",
			   "");
	return n < 0 ? (int)n : 0;
}

static int fact(struct dbc *c, int64_t person, const char *field, const char *value,
		const struct person_in *in, int64_t now)
{
	int64_t n = db_run(c,
			   "INSERT INTO person_facts(person_id, field, value, source, source_id, at)"
			   " VALUES ($1, $2, $3, $4, $5, $6)",
			   "ittt" "Ii", person, field, value, in->source ? in->source : "manual",
			   in->source_id, now);
	return n < 0 ? (int)n : 0;
}

/* Writes out the facts a person was created with while they are implied by
 * the person's row (facts_implied, 006_implied_facts.sql), before a change to
 * the name, phone or household, or a merge, makes the row stop telling them.
 * The rows carry the creation's source, batch and time. */
static int settle_facts(struct dbc *c, int64_t person)
{
	int64_t n = db_run(c, "UPDATE persons SET facts_implied = 0 WHERE id = $1 AND facts_implied = 1",
			   "i", person);
	if (n <= 0)
		return (int)n;
	n = db_run(c,
		   "INSERT INTO person_facts(person_id, field, value, source, source_id, at)"
		   " SELECT id, 'name', name, source, source_id, created_at FROM persons WHERE id = $1"
		   " UNION ALL SELECT id, 'phone', phone, source, source_id, created_at FROM persons"
		   " WHERE id = $1 AND phone IS NOT NULL"
		   " UNION ALL SELECT id, 'household_id', CAST(household_id AS TEXT), source, source_id,"
		   " created_at FROM persons WHERE id = $1 AND household_id IS NOT NULL",
		   "i", person);
	return n < 0 ? (int)n : 0;
}

static int household_members(struct dbc *c, int64_t household, int64_t delta)
{
	if (!household || !delta)
		return 0;
	int64_t n = db_run(c, "UPDATE households SET members = members + $2,"
			      " status = CASE WHEN members + $2 > 0 THEN 'occupied' ELSE status END"
			      " WHERE id = $1",
			   "ii", household, delta);
	return n < 0 ? (int)n : 0;
}

int people_insert_id_sqlite(struct dbc *c, int64_t changed, int64_t *id)
{
	if (changed <= 0)
		return (int)changed;
	*id = db_last_insert_id(c);
	return *id > 0 ? 1 : ERR_DB;
}

const char *people_sql_returning(char *buf, const char *sql)
{
	snprintf(buf, 4096, "%s RETURNING id", sql);
	return buf;
}

int people_insert_id_step(struct dbq *q, int64_t *id)
{
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	if (rc == 1)
		*id = db_int(q, 0);
	db_done(q);
	return rc;
}

/* ---------- deferred counters for bulk writes ---------- */

struct tally_ent {
	int64_t key; /* a unit or household id; 0: empty slot */
	int64_t a, b; /* units: households, persons; households: members */
	int inc, dec; /* households: a member came, a member left */
};

struct tally_map {
	struct tally_ent *e;
	size_t cap, n;
};

/* An arrival written in bulk, to be counted (arrival_counts) at the flush. */
struct tally_arrival {
	int64_t unit;
	char day[DAY_LEN], grade[16];
};

struct people_tally {
	struct tally_map units, households;
	struct tally_arrival *arr;
	size_t narr, carr;
};

struct people_tally *people_tally_new(void)
{
	return calloc(1, sizeof(struct people_tally));
}

void people_tally_free(struct people_tally *t)
{
	if (!t)
		return;
	free(t->units.e);
	free(t->households.e);
	free(t->arr);
	free(t);
}

static int tally_arrival(struct people_tally *t, int64_t unit, const char *day, const char *grade)
{
	if (t->narr == t->carr) {
		size_t n = t->carr ? t->carr * 2 : 256;
		struct tally_arrival *a = realloc(t->arr, n * sizeof *a);
		if (!a)
			return ERR_NOMEM;
		t->arr = a;
		t->carr = n;
	}
	struct tally_arrival *a = &t->arr[t->narr++];
	a->unit = unit;
	snprintf(a->day, sizeof a->day, "%s", day);
	snprintf(a->grade, sizeof a->grade, "%s", grade);
	return 0;
}

static struct tally_ent *tally_get(struct tally_map *m, int64_t key)
{
	if ((m->n + 1) * 2 > m->cap) {
		size_t ncap = m->cap ? m->cap * 2 : 1024;
		struct tally_ent *ne = calloc(ncap, sizeof *ne);
		if (!ne)
			return NULL;
		for (size_t i = 0; i < m->cap; i++) {
			if (!m->e[i].key)
				continue;
			size_t j = (size_t)((uint64_t)m->e[i].key * 0x9E3779B97F4A7C15ull) & (ncap - 1);
			while (ne[j].key)
				j = (j + 1) & (ncap - 1);
			ne[j] = m->e[i];
		}
		free(m->e);
		m->e = ne;
		m->cap = ncap;
	}
	size_t i = (size_t)((uint64_t)key * 0x9E3779B97F4A7C15ull) & (m->cap - 1);
	while (m->e[i].key && m->e[i].key != key)
		i = (i + 1) & (m->cap - 1);
	if (!m->e[i].key) {
		m->e[i].key = key;
		m->n++;
	}
	return &m->e[i];
}

int people_tally_add(struct people_tally *t, int64_t unit_id, int64_t households,
		     int64_t persons)
{
	if (!households && !persons)
		return 0;
	struct tally_ent *e = tally_get(&t->units, unit_id);
	if (!e)
		return ERR_NOMEM;
	e->a += households;
	e->b += persons;
	return 0;
}

int people_tally_flush(struct dbc *c, struct people_tally *t)
{
	int rc = 0;
	for (size_t i = 0; i < t->units.cap && !rc; i++) {
		struct tally_ent *e = &t->units.e[i];
		if (e->key)
			rc = people_count_unit(c, e->key, e->a, e->b);
	}
	/* The status a household would have after its changes one by one: a
	 * member coming makes it occupied; one leaving keeps it occupied when
	 * others remain. */
	for (size_t i = 0; i < t->households.cap && !rc; i++) {
		struct tally_ent *e = &t->households.e[i];
		if (!e->key)
			continue;
		/* Most keep their status (occupied already): leaving status out
		 * of the SET spares SQLite its CHECK on it. */
		int64_t n = db_run(c,
				   "UPDATE households SET members = members + $2 WHERE id = $1"
				   " AND (status = 'occupied' OR NOT ($3 = 1 OR ($4 = 1 AND members > 1)))",
				   "iiii", e->key, e->a, (int64_t)e->inc, (int64_t)e->dec);
		if (n == 0)
			n = db_run(c,
				   "UPDATE households SET members = members + $2, status = 'occupied'"
				   " WHERE id = $1",
				   "ii", e->key, e->a);
		rc = n < 0 ? (int)n : 0;
	}
	for (size_t i = 0; i < t->narr && !rc; i++)
		rc = count_arrival(c, t->arr[i].unit, t->arr[i].day, t->arr[i].grade);
	free(t->units.e);
	free(t->households.e);
	free(t->arr);
	memset(t, 0, sizeof *t);
	return rc;
}

/* The tally's entries of map m from *i on, as comma-separated columns
 * (at most TALLY_CHUNK entries); *i moves past them. */
#define TALLY_CHUNK 10000
static size_t tally_columns(const struct tally_map *m, size_t *i, struct buf cols[4], int units)
{
	size_t k = 0;
	for (int j = 0; j < 4; j++)
		cols[j].len = 0;
	for (; *i < m->cap && k < TALLY_CHUNK; (*i)++) {
		const struct tally_ent *e = &m->e[*i];
		if (!e->key || (units && !e->a && !e->b))
			continue;
		const char *sep = k++ ? "," : "";
		buf_printf(&cols[0], "%s%lld", sep, (long long)e->key);
		buf_printf(&cols[1], "%s%lld", sep, (long long)e->a);
		buf_printf(&cols[2], "%s%lld", sep, units ? (long long)e->b : (long long)e->inc);
		buf_printf(&cols[3], "%s%d", sep, e->dec);
	}
	return k;
}

int people_tally_flush_bulk(struct dbc *c, struct people_tally *t)
{
	if (strcmp(db_backend(c), "postgresql") != 0)
		return people_tally_flush(c, t);
	/* people_tally_flush's statements, each over every entry at once:
	 * deltas add up, and a household's status rule reads the members it
	 * had before, as there. */
	struct buf cols[4] = {{0}};
	int rc = 0;
	for (size_t i = 0; !rc && i < t->units.cap;) {
		if (!tally_columns(&t->units, &i, cols, 1))
			continue;
		rc = cols[0].oom || cols[1].oom || cols[2].oom ? ERR_NOMEM : 0;
		int64_t n = rc ? 0 : db_run(c,
			"INSERT INTO unit_households(unit_id, households, persons)"
			" SELECT t.ancestor_id, SUM(k.h), SUM(k.p) FROM unnest("
			"CAST(string_to_array($1, ',') AS bigint[]),"
			" CAST(string_to_array($2, ',') AS bigint[]),"
			" CAST(string_to_array($3, ',') AS bigint[])) AS k(u, h, p)"
			" JOIN unit_tree t ON t.unit_id = k.u GROUP BY t.ancestor_id"
			" ON CONFLICT (unit_id) DO UPDATE SET"
			" households = unit_households.households + excluded.households,"
			" persons = unit_households.persons + excluded.persons",
			"ttt", buf_str(&cols[0]), buf_str(&cols[1]), buf_str(&cols[2]));
		if (n < 0)
			rc = (int)n;
	}
	for (size_t i = 0; !rc && i < t->households.cap;) {
		if (!tally_columns(&t->households, &i, cols, 0))
			continue;
		rc = cols[0].oom || cols[1].oom || cols[2].oom || cols[3].oom ? ERR_NOMEM : 0;
		int64_t n = rc ? 0 : db_run(c,
			"UPDATE households h SET members = h.members + k.d, status = CASE"
			" WHEN h.status = 'occupied' OR NOT (k.inc = 1 OR (k.dec = 1 AND h.members > 1))"
			" THEN h.status ELSE 'occupied' END FROM unnest("
			"CAST(string_to_array($1, ',') AS bigint[]),"
			" CAST(string_to_array($2, ',') AS bigint[]),"
			" CAST(string_to_array($3, ',') AS int[]),"
			" CAST(string_to_array($4, ',') AS int[])) AS k(id, d, inc, dec)"
			" WHERE h.id = k.id",
			"tttt", buf_str(&cols[0]), buf_str(&cols[1]), buf_str(&cols[2]),
			buf_str(&cols[3]));
		if (n < 0)
			rc = (int)n;
	}
	/* The arrivals sent by COPY, counted at their units and every unit
	 * above, TALLY_CHUNK at a time. */
	for (size_t i = 0; !rc && i < t->narr;) {
		for (int j = 0; j < 3; j++)
			cols[j].len = 0;
		for (size_t k = 0; i < t->narr && k < TALLY_CHUNK; i++, k++) {
			const char *sep = k ? "," : "";
			buf_printf(&cols[0], "%s%lld", sep, (long long)t->arr[i].unit);
			buf_printf(&cols[1], "%s%s", sep, t->arr[i].day);
			buf_printf(&cols[2], "%s%s", sep, t->arr[i].grade);
		}
		rc = cols[0].oom || cols[1].oom || cols[2].oom ? ERR_NOMEM : 0;
		int64_t n = rc ? 0 : db_run(c,
			"INSERT INTO arrival_counts(unit_id, arrival_date, grade, n)"
			" SELECT t.ancestor_id, k.d, k.g, COUNT(*) FROM unnest("
			"CAST(string_to_array($1, ',') AS bigint[]), string_to_array($2, ','),"
			" string_to_array($3, ',')) AS k(u, d, g)"
			" JOIN unit_tree t ON t.unit_id = k.u GROUP BY t.ancestor_id, k.d, k.g"
			" ORDER BY t.ancestor_id, k.d, k.g ON CONFLICT (unit_id, arrival_date, grade)"
			" DO UPDATE SET n = arrival_counts.n + excluded.n",
			"ttt", buf_str(&cols[0]), buf_str(&cols[1]), buf_str(&cols[2]));
		if (n < 0)
			rc = (int)n;
	}
	for (int j = 0; j < 4; j++)
		buf_free(&cols[j]);
	free(t->units.e);
	free(t->households.e);
	free(t->arr);
	memset(t, 0, sizeof *t);
	return rc;
}

/* people_count_unit, or its deferral into the tally. */
static int count_unit(struct dbc *c, struct people_tally *t, int64_t unit_id, int64_t households,
		      int64_t persons)
{
	return t ? people_tally_add(t, unit_id, households, persons)
		 : people_count_unit(c, unit_id, households, persons);
}

/* household_members, or its deferral into the tally. */
static int members(struct dbc *c, struct people_tally *t, int64_t household, int64_t delta)
{
	if (!t || !household || !delta)
		return household_members(c, household, delta);
	struct tally_ent *e = tally_get(&t->households, household);
	if (!e)
		return ERR_NOMEM;
	e->a += delta;
	if (delta > 0)
		e->inc = 1;
	else
		e->dec = 1;
	return 0;
}

static int people_apply(struct dbc *c, const struct person_in *in, const struct person_norm *nm,
			int64_t pid, const struct person_found *f, int64_t now);

int people_find(struct dbc *c, const char *doc_type, const char *num, int64_t scope_unit_id,
		struct person_found *out)
{
	/* The record, or the one it was merged into: writes go to the
	 * surviving record and compare with what it holds (the folded
	 * record's own values are stale). */
	struct dbq *q = db_query(c,
				 "SELECT s.id, s.name, s.phone, s.unit_id, s.household_id, s.located,"
				 " s.facts_implied FROM persons p JOIN persons s"
				 " ON s.id = COALESCE(p.merged_into, p.id)"
				 " WHERE p.doc_type = $1 AND p.doc_number = $2",
				 "tt", doc_type, num);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	if (rc == 1) {
		memset(out, 0, sizeof *out);
		out->id = db_int(q, 0);
		snprintf(out->name, sizeof out->name, "%s", db_text(q, 1));
		snprintf(out->phone, sizeof out->phone, "%s", db_null(q, 2) ? "" : db_text(q, 2));
		out->unit_id = db_int(q, 3);
		out->household_id = db_null(q, 4) ? 0 : db_int(q, 4);
		out->located = (int)db_int(q, 5);
		out->implied = (int)db_int(q, 6);
		out->in_scope = 1;
	}
	db_done(q);
	if (rc != 1 || !scope_unit_id)
		return rc;
	int in = scope_contains(c, scope_unit_id, out->unit_id);
	if (in < 0)
		return in;
	out->in_scope = in;
	return 1;
}

/* The columns of a new person's row that are worked out from what the
 * caller gave: one derivation for people_upsert and people_copy_new. */
struct new_person {
	const char *last4, *sex, *birth, *phone, *source, *doc_typed;
};

static void new_person_of(const struct person_in *in, const struct person_norm *nm,
			  struct new_person *np)
{
	int is_rid = !in->doc_type || strcmp(in->doc_type, "resident_id") == 0;
	size_t nl = strlen(nm->doc_number);
	np->last4 = nl > 4 ? nm->doc_number + nl - 4 : nm->doc_number;
	np->sex = is_rid ? (nm->rid.sex == 'M' ? "M" : "F") : in->sex;
	np->birth = is_rid ? nm->rid.birth_date : in->birth_date;
	np->phone = nm->phone[0] ? nm->phone : NULL;
	np->source = in->source ? in->source : "manual";
	np->doc_typed = nm->doc_typed[0] ? nm->doc_typed : NULL;
}

/* The counts a new person changes. The facts their source gave (name,
 * phone, household) are implied by the row until one of them changes. */
static int new_person_counted(struct dbc *c, const struct person_in *in)
{
	int rc = members(c, in->tally, in->household_id, 1);
	return rc ? rc : count_unit(c, in->tally, in->unit_id, 0, 1);
}

int people_copy_new(struct db_copy *cp, const struct person_in *in, int64_t id, int64_t now)
{
	struct new_person np;
	new_person_of(in, in->norm, &np);
	db_copy_int(cp, id);
	db_copy_int(cp, in->unit_id);
	db_copy_id(cp, in->household_id);
	db_copy_int(cp, in->located ? 1 : 0);
	db_copy_text(cp, in->doc_type ? in->doc_type : "resident_id");
	db_copy_text(cp, in->norm->doc_number);
	db_copy_text(cp, np.last4);
	db_copy_text(cp, in->name);
	db_copy_text(cp, np.sex);
	db_copy_text(cp, np.birth);
	db_copy_text(cp, np.phone);
	db_copy_text(cp, np.source);
	db_copy_id(cp, in->source_id);
	db_copy_int(cp, now);
	db_copy_int(cp, now);
	db_copy_int(cp, 1);
	db_copy_text(cp, np.doc_typed);
	db_copy_row_end(cp);
	return new_person_counted(NULL, in);
}

int people_upsert(struct dbc *c, const struct person_in *in, int64_t now, int64_t *id,
		  int *created, struct err_info *ei)
{
	const char *type = in->doc_type ? in->doc_type : "resident_id";
	int rc;
	/* The number and phone as stored: the caller's people_validate_into
	 * result, else worked out here. */
	struct person_norm own;
	const struct person_norm *nm = in->norm;
	if (!nm) {
		memset(&own, 0, sizeof own);
		if ((rc = people_doc_number(type, in->doc_number, NULL, own.doc_number,
					    sizeof own.doc_number, &own.rid, "doc_number", ei)))
			return rc;
		people_doc_typed(type, in->doc_number, own.doc_number, own.doc_typed,
				 sizeof own.doc_typed);
		if (in->phone && *in->phone && (rc = people_phone(in->phone, own.phone, "phone", ei)))
			return rc;
		nm = &own;
	}
	const char *num = nm->doc_number;
	struct new_person np;
	new_person_of(in, nm, &np);

	/* A new person (most of an imported list): inserted straight away; a
	 * document already registered makes the insert do nothing and is read
	 * and updated below. A person the caller has just found is neither. */
	struct person_found f;
	if (in->found) {
		f = *in->found;
		goto found;
	}
	if (in->name && *in->name && in->unit_id) {
		rc = PEOPLE_INSERT_ID(
			c, id,
			"INSERT INTO persons(unit_id, household_id, located, doc_type, doc_number,"
			" doc_last4, name, sex, birth_date, phone, source, source_id, created_at,"
			" updated_at, facts_implied, doc_typed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8,"
			" $9, $10, $11, $12, $13, $13, 1, $14) ON CONFLICT (doc_type, doc_number)"
			" DO NOTHING",
			"iIitttttttt" "Iit", in->unit_id, in->household_id,
			(int64_t)(in->located ? 1 : 0), type, num, np.last4, in->name, np.sex, np.birth,
			np.phone, np.source, in->source_id, now, np.doc_typed);
		if (rc < 0)
			return rc;
		if (rc == 1) {
			*created = 1;
			return new_person_counted(c, in);
		}
		/* The document exists: update it below. */
	}
	if ((rc = people_find(c, type, num, in->scope_unit_id, &f)) < 0)
		return rc;
	if (rc == 0) {
		if (!in->name || !*in->name)
			return err_set(ei, ERR_INVALID, "name", "is required for a new person");
		if (!in->unit_id)
			return err_set(ei, ERR_INVALID, "unit_id", "is required for a new person");
		return ERR_CONFLICT; /* the insert above met a record that is gone */
	}
found:;
	int64_t pid = f.id;
	const char *oname = f.name;
	int64_t ounit = f.unit_id, ohh = f.household_id;
	int olocated = f.located;
	struct person_seen *seen = in->seen;
	if (!f.in_scope && !seen)
		return err_set(ei, ERR_FORBIDDEN, "doc_number",
			       "belongs to a person registered outside your area (scope)");
	*id = pid;
	*created = 0;
	if (seen) {
		/* A field write changes nobody outside its scope, and in scope
		 * neither renames nor moves a located person silently: what was
		 * seen goes to the person's unit to confirm. */
		seen->held = !f.in_scope;
		seen->discrepancy_id = 0;
		seen->kind = NULL;
		int other_name = in->name && *in->name && strcmp(in->name, oname) != 0;
		int other_place = !seen->trip && olocated &&
				  ((in->unit_id && in->located && in->unit_id != ounit) ||
				   (in->household_id && ohh && in->household_id != ohh));
		const char *kind = seen->held ? "out_of_scope"
				   : other_name ? "name"
				   : other_place ? "household"
						 : NULL;
		if (kind) {
			if ((rc = discrepancy_record(c, &f, in, seen, kind, &seen->discrepancy_id)))
				return rc;
			seen->kind = kind;
		}
		if (seen->held)
			return 0;
		/* Applied: what contradicts nothing registered. */
		struct person_in keep = *in;
		if (other_name)
			keep.name = NULL;
		if (other_place || (seen->trip && olocated)) {
			keep.unit_id = 0;
			keep.household_id = 0;
		}
		keep.seen = NULL;
		return people_apply(c, &keep, nm, pid, &f, now);
	}
	return people_apply(c, in, nm, pid, &f, now);
}

/* Writes what `in` says about person pid, whose record holds *f: each
 * changed field a fact of in's source; counts kept right. */
static int people_apply(struct dbc *c, const struct person_in *in, const struct person_norm *nm,
			int64_t pid, const struct person_found *f, int64_t now)
{
	const char *type = in->doc_type ? in->doc_type : "resident_id";
	int is_rid = strcmp(type, "resident_id") == 0;
	const char *phone = nm->phone[0] ? nm->phone : NULL;
	const char *oname = f->name, *ophone = f->phone;
	int64_t ounit = f->unit_id, ohh = f->household_id;
	int olocated = f->located, implied = f->implied;
	int rc;
	int changed = 0;
	if (implied && ((in->name && *in->name && strcmp(in->name, oname) != 0) ||
			(phone && strcmp(phone, ophone) != 0) ||
			(in->household_id && in->household_id != ohh)) &&
	    (rc = settle_facts(c, pid)))
		return rc;
	if (in->name && *in->name && strcmp(in->name, oname) != 0) {
		if (db_run(c, "UPDATE persons SET name = $2 WHERE id = $1", "it", pid, in->name) < 0 ||
		    fact(c, pid, "name", in->name, in, now))
			return ERR_DB;
		changed = 1;
	}
	if (phone && strcmp(phone, ophone) != 0) {
		if (db_run(c, "UPDATE persons SET phone = $2 WHERE id = $1", "it", pid, phone) < 0 ||
		    fact(c, pid, "phone", phone, in, now))
			return ERR_DB;
		changed = 1;
	}
	/* A place: a located one (a visit, a compound column) replaces a guess;
	 * an unlocated one (a telecom list) never moves someone already found. */
	if (in->unit_id && in->unit_id != ounit && (in->located || !olocated)) {
		/* Their arrivals are counted where they are. */
		if (db_run(c, "UPDATE persons SET unit_id = $2, located = $3 WHERE id = $1", "iii",
			   pid, in->unit_id, (int64_t)(in->located ? 1 : 0)) < 0 ||
		    people_count_arrivals_of(c, pid, -1) ||
		    db_run(c, "UPDATE arrivals SET unit_id = $2 WHERE person_id = $1", "ii", pid,
			   in->unit_id) < 0 ||
		    people_count_arrivals_of(c, pid, 1) ||
		    count_unit(c, in->tally, ounit, 0, -1) || count_unit(c, in->tally, in->unit_id, 0, 1))
			return ERR_DB;
		char u[24];
		snprintf(u, sizeof u, "%lld", (long long)in->unit_id);
		if (fact(c, pid, "unit_id", u, in, now))
			return ERR_DB;
		changed = 1;
	} else if (in->unit_id == ounit && in->located && !olocated) {
		if (db_run(c, "UPDATE persons SET located = 1 WHERE id = $1", "i", pid) < 0)
			return ERR_DB;
		changed = 1;
	}
	if (in->household_id && in->household_id != ohh) {
		if (db_run(c, "UPDATE persons SET household_id = $2 WHERE id = $1", "ii", pid,
			   in->household_id) < 0 ||
		    members(c, in->tally, ohh, -1) || members(c, in->tally, in->household_id, 1))
			return ERR_DB;
		char h[24];
		snprintf(h, sizeof h, "%lld", (long long)in->household_id);
		if (fact(c, pid, "household_id", h, in, now))
			return ERR_DB;
		changed = 1;
	}
	if (!is_rid && in->sex &&
	    db_run(c, "UPDATE persons SET sex = $2 WHERE id = $1 AND sex IS NULL", "it", pid,
		   in->sex) < 0)
		return ERR_DB;
	if (!is_rid && in->birth_date &&
	    db_run(c, "UPDATE persons SET birth_date = $2 WHERE id = $1 AND birth_date IS NULL",
		   "it", pid, in->birth_date) < 0)
		return ERR_DB;
	if (changed &&
	    db_run(c, "UPDATE persons SET updated_at = $2 WHERE id = $1", "ii", pid, now) < 0)
		return ERR_DB;
	return 0;
}

static int arrival_check(const char *arrival_date, const char **mode, struct err_info *ei)
{
	if (day_valid(arrival_date))
		return err_set(ei, ERR_INVALID, "arrival_date", "must be a date YYYY-MM-DD");
	if (!*mode)
		*mode = "other";
	if (strcmp(*mode, "car") && strcmp(*mode, "train") && strcmp(*mode, "plane") &&
	    strcmp(*mode, "other"))
		return err_set(ei, ERR_INVALID, "mode", "must be car, train, plane or other");
	return 0;
}

int people_add_arrival_graded(struct dbc *c, int64_t person_id, int64_t unit_id,
			      const struct arrival_grade *g, const char *arrival_date,
			      const char *mode, const char *source, int64_t source_id, int64_t now,
			      int64_t *id, struct err_info *ei)
{
	int rc = arrival_check(arrival_date, &mode, ei);
	if (rc)
		return rc;
	/* A duplicate (person, day, origin) inserts nothing and is read. */
	rc = PEOPLE_INSERT_ID(c, id,
			      "INSERT INTO arrivals(person_id, unit_id, origin_code, origin_name,"
			      " arrival_date, mode, grade, handling, risk_area_id, source, source_id,"
			      " created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
			      " ON CONFLICT (person_id, arrival_date, origin_code) DO NOTHING",
			      "iittttttIt" "Ii", person_id, unit_id, g->code, g->name, arrival_date,
			      mode, g->grade, g->handling, g->rule_id, source ? source : "manual",
			      source_id, now);
	if (rc < 0)
		return rc;
	if (rc == 1)
		return count_arrival(c, unit_id, arrival_date, g->grade);
	rc = db_one_int(c, id,
			"SELECT id FROM arrivals WHERE person_id = $1 AND arrival_date = $2"
			" AND origin_code = $3",
			"itt", person_id, arrival_date, g->code);
	return rc == 1 ? 0 : (rc < 0 ? rc : ERR_DB);
}

int people_copy_arrival(struct db_copy *cp, struct people_tally *t, int64_t person_id,
			int64_t unit_id, const struct arrival_grade *g, const char *arrival_date,
			const char *mode, const char *source, int64_t source_id, int64_t now,
			struct err_info *ei)
{
	int rc = arrival_check(arrival_date, &mode, ei);
	if (!rc)
		rc = tally_arrival(t, unit_id, arrival_date, g->grade);
	if (rc)
		return rc;
	db_copy_int(cp, person_id);
	db_copy_int(cp, unit_id);
	db_copy_text(cp, g->code);
	db_copy_text(cp, g->name);
	db_copy_text(cp, arrival_date);
	db_copy_text(cp, mode);
	db_copy_text(cp, g->grade);
	db_copy_text(cp, g->handling);
	db_copy_id(cp, g->rule_id);
	db_copy_text(cp, source ? source : "manual");
	db_copy_id(cp, source_id);
	db_copy_int(cp, now);
	db_copy_row_end(cp);
	return 0;
}

int people_add_arrival(struct dbc *c, int64_t person_id, int64_t unit_id, const char *origin,
		       const char *arrival_date, const char *mode, const char *source,
		       int64_t source_id, int64_t now, int64_t *id, struct err_info *ei)
{
	char code[7], name[64];
	int rc = areas_resolve(c, origin, code, name);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(ei, ERR_INVALID, "origin", "\"%s\" is not a known place (a GB/T 2260 code or name)",
			       origin);
	if ((rc = arrival_check(arrival_date, &mode, ei)))
		return rc;
	char grade[16];
	struct arrival_grade g = {.code = code, .name = name, .grade = grade};
	if ((rc = areas_grade_of(c, code, arrival_date, grade, &g.handling, &g.rule_id)))
		return rc;
	return people_add_arrival_graded(c, person_id, unit_id, &g, arrival_date, mode, source,
					 source_id, now, id, ei);
}



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

#define ARRIVAL_COLS                                                                    \
	"SELECT a.id, a.person_id, a.unit_id, a.origin_code, a.origin_name, a.arrival_date," \
	" a.mode, a.grade, a.handling, a.risk_area_id, u.name, p.name, a.source,"          \
	" a.created_at FROM arrivals a JOIN units u ON u.id = a.unit_id"                    \
	" JOIN persons p ON p.id = a.person_id"

static json_t *arrival_row(struct dbq *q)
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
static int list_where(struct req *r, struct dbc *c, int64_t unit, int64_t *where)
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
static const char *subtree_sql(struct dbc *c, int64_t where, const char *narrow,
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

static int empty_list(struct req *r, const struct page *pg, const struct list_col *cols,
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
	if ((rc = list_where(r, c, unit, &where)))
		return rc < 0 ? rc : empty_list(r, &pg, household_export, "households");
	struct buf b = {0};
	buf_puts(&b, HH_COLS " WHERE ");
	buf_puts(&b, subtree_sql(c, where, SCOPE_SQL("h.unit_id", "1"), "+" SCOPE_SQL("h.unit_id", "1")));
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
	if ((rc = list_where(r, c, unit, &where)))
		return rc < 0 ? rc : empty_list(r, &pg, person_export, "persons");
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
			return empty_list(r, &pg, person_export, "persons");
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
			scope = subtree_sql(c, where, narrow, wide);
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
			      arrival_row)) ||
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

/* What a change needs to know of a person. */
struct person_now {
	int64_t id, unit_id, household_id, merged_into;
	int located;
	char doc_type[20], doc_number[40], name[200], phone[16], sex[2], birth_date[DAY_LEN];
};

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
static int person_for_write(struct req *r, struct dbc *c, int64_t id, struct person_now *p)
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
	return fact(c, person, field, value, &src, now);
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
	if ((rc = person_for_write(r, c, id, &p)))
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
	if ((rc = settle_facts(c, id)))
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
		    household_members(c, p.household_id, -1) || household_members(c, household, 1) ||
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
	if ((rc = person_for_write(r, c, id, &s)))
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
	if ((rc = settle_facts(c, s.id)) || (rc = settle_facts(c, o.id)))
		return rc;

	/* The place: the survivor takes the other's household when it has
	 * none, and the other's place when its own is only a guess. The other
	 * record stops being counted anywhere. */
	int take_place = (!s.household_id && o.household_id) || (!s.located && o.located);
	if (db_run(c, "UPDATE persons SET merged_into = $2, household_id = NULL, updated_at = $3"
		      " WHERE id = $1", "iii", o.id, s.id, now) < 0 ||
	    db_run(c, "UPDATE persons SET merged_into = $2 WHERE merged_into = $1", "ii", o.id,
		   s.id) < 0 ||
	    household_members(c, o.household_id, -1) || people_count_unit(c, o.unit_id, 0, -1))
		return ERR_DB;
	if (take_place) {
		if (o.household_id && o.household_id != s.household_id) {
			if (db_run(c, "UPDATE persons SET household_id = $2 WHERE id = $1", "ii", s.id,
				   o.household_id) < 0 ||
			    household_members(c, s.household_id, -1) ||
			    household_members(c, o.household_id, 1) ||
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

/* ---------- arrivals ---------- */

static int add_arrival(struct req *r)
{
	int64_t id = 0;
	const char *origin = NULL, *day = NULL, *mode = NULL;
	int rc = req_param_id(r, "id", &id);
	if (!rc)
		rc = req_json(r);
	if (!rc)
		rc = jx_str(r, r->json, "origin_code", 1, 64, &origin, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "arrival_date", 1, 10, &day, NULL);
	if (!rc && day_valid(day))
		rc = err_set(&r->err, ERR_INVALID, "arrival_date", "must be a date YYYY-MM-DD");
	char today[DAY_LEN];
	clock_day(clock_now(), today);
	if (!rc && strcmp(day, today) > 0)
		rc = err_set(&r->err, ERR_INVALID, "arrival_date", "is in the future");
	if (!rc)
		rc = jx_str(r, r->json, "mode", 0, 8, &mode, NULL);
	if (!rc && mode && strcmp(mode, "car") && strcmp(mode, "train") && strcmp(mode, "plane") &&
	    strcmp(mode, "other"))
		rc = err_set(&r->err, ERR_INVALID, "mode", "must be car, train, plane or other");
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	char code[7], name[64];
	rc = areas_resolve(c, origin, code, name);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_INVALID, "origin_code",
			       "\"%s\" is not a known place (a GB/T 2260 code or name)", origin);
	struct person_now p;
	if ((rc = person_for_write(r, c, id, &p)))
		return rc;
	int64_t aid = 0;
	rc = db_one_int(c, &aid,
			"SELECT id FROM arrivals WHERE person_id = $1 AND arrival_date = $2"
			" AND origin_code = $3",
			"itt", id, day, code);
	if (rc < 0)
		return rc;
	int fresh = rc == 0;
	if (fresh && (rc = people_add_arrival(c, id, p.unit_id, code, day, mode, "manual", 0,
					      clock_now(), &aid, &r->err)))
		return rc;
	req_audit_record(r, "arrival", aid);
	struct dbq *q = db_query(c, ARRIVAL_COLS " WHERE a.id = $1", "i", aid);
	json_t *o = query_row(q, arrival_row, &rc);
	/* The same arrival again is the one recorded: 200, nothing added. */
	return o ? resp_json(r, fresh ? 201 : 200, o) : (rc < 0 ? rc : ERR_DB);
}

static const struct list_col arrival_export[] = {
	{"id", "编号"},          {"person_name", "姓名"},     {"origin_code", "来源地代码"},
	{"origin_name", "来源地"}, {"arrival_date", "抵达日期"}, {"mode", "交通方式"},
	{"grade", "等级"},        {"handling", "处置方式"},    {"unit_name", "所在单位"},
	{0, 0},
};

static int list_arrivals(struct req *r)
{
	struct page pg;
	int64_t unit = 0, person = 0;
	int rc = req_page(r, &pg);
	if (!rc)
		rc = req_query_int(r, "unit_id", 1, INT64_MAX, 0, &unit);
	if (!rc)
		rc = req_query_int(r, "person_id", 1, INT64_MAX, 0, &person);
	if (rc)
		return rc;
	const char *grade = req_query(r, "grade"), *handling = req_query(r, "handling");
	const char *since = req_query(r, "since"), *until = req_query(r, "until");
	if (grade && *grade && !areas_grade_valid(grade))
		return err_set(&r->err, ERR_INVALID, "grade",
			       "must be severe, heavy, other_province, local, high, medium or low");
	if (handling && *handling && strcmp(handling, "centralized") &&
	    strcmp(handling, "home") && strcmp(handling, "monitor"))
		return err_set(&r->err, ERR_INVALID, "handling", "must be centralized, home or monitor");
	if (since && *since && day_valid(since))
		return err_set(&r->err, ERR_INVALID, "since", "must be a date YYYY-MM-DD");
	if (until && *until && day_valid(until))
		return err_set(&r->err, ERR_INVALID, "until", "must be a date YYYY-MM-DD");
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	int64_t where = 0;
	if ((rc = list_where(r, c, unit, &where)))
		return rc < 0 ? rc : empty_list(r, &pg, arrival_export, "arrivals");
	/* The page's ids are found first, from the unit index alone (it
	 * holds the id), and only those 50 rows are read and joined to their
	 * person and unit, not every arrival of the scope before the sort. */
	struct buf b = {0};
	buf_puts(&b, ARRIVAL_COLS " WHERE a.id IN (SELECT a.id FROM arrivals a WHERE ");
	/* One person's arrivals are found through the person. */
	buf_puts(&b, person ? "+" SCOPE_SQL("a.unit_id", "1")
			    : subtree_sql(c, where, SCOPE_SQL("a.unit_id", "1"),
					  "+" SCOPE_SQL("a.unit_id", "1")));
	buf_puts(&b, " AND a.id > $2");
	if (grade && *grade)
		buf_puts(&b, " AND a.grade = $3");
	if (handling && *handling)
		buf_puts(&b, " AND a.handling = $4");
	if (since && *since)
		buf_puts(&b, " AND a.arrival_date >= $5");
	if (until && *until)
		buf_puts(&b, " AND a.arrival_date <= $6");
	if (person)
		buf_puts(&b, " AND a.person_id = $7");
	buf_puts(&b, " ORDER BY a.id LIMIT $8) ORDER BY a.id");
	const char *sql = buf_str(&b);
	struct dbq *q = sql ? db_query(c, sql, "iittttii", where, pg.after, grade ? grade : "",
				       handling ? handling : "", since ? since : "",
				       until ? until : "", person, pg.limit + 1)
			    : NULL;
	buf_free(&b);
	return resp_query_list(r, &pg, q, arrival_row, arrival_export, "arrivals");
}

static const char *const grade_keys[] = {"severe", "heavy", "other_province", "local",
					 "high",   "medium", "low"};
#define NGRADES (sizeof grade_keys / sizeof grade_keys[0])

static json_t *grade_row(int64_t unit, const char *name, const char *kind, int total)
{
	json_t *o = json_pack("{s:I,s:s,s:s,s:b}", "unit_id", (json_int_t)unit, "unit_name", name,
			      "kind", kind, "is_total", total);
	for (size_t i = 0; o && i < NGRADES; i++)
		json_object_set_new(o, grade_keys[i], json_integer(0));
	if (o) {
		json_object_set_new(o, "total", json_integer(0));
		json_object_set_new(o, "centralized", json_integer(0));
		json_object_set_new(o, "home", json_integer(0));
		json_object_set_new(o, "monitor", json_integer(0));
	}
	return o;
}

static void grade_add(json_t *row, const char *grade, int64_t n)
{
	if (!row)
		return;
	const char *keys[3] = {grade, "total", areas_handling(grade)};
	for (int i = 0; i < 3; i++) {
		json_t *v = json_object_get(row, keys[i]);
		if (v)
			json_integer_set(v, json_integer_value(v) + n);
	}
}

static const struct list_col by_grade_export[] = {
	{"unit_name", "单位"},       {"severe", "疫情严重地区"}, {"heavy", "疫情较重地区"},
	{"other_province", "其他省份"}, {"local", "本省"},        {"high", "高风险"},
	{"medium", "中风险"},         {"low", "低风险"},         {"total", "合计"},
	{"centralized", "集中隔离"},   {"home", "居家隔离"},      {"monitor", "健康监测"},
	{0, 0},
};

static const struct list_col by_day_export[] = {
	{"day", "日期"},             {"severe", "疫情严重地区"}, {"heavy", "疫情较重地区"},
	{"other_province", "其他省份"}, {"local", "本省"},        {"high", "高风险"},
	{"medium", "中风险"},         {"low", "低风险"},         {"total", "合计"},
	{"centralized", "集中隔离"},   {"home", "居家隔离"},      {"monitor", "健康监测"},
	{0, 0},
};

/* ?by=day: the unit's subtree's arrivals per arrival day and grade (the
 * chart of arrivals by grade per day), days in order, only days with
 * arrivals; at most 366 days. Read from the unit's arrival_counts. */
static int arrivals_by_day(struct req *r, struct dbc *c, const struct page *pg, int64_t unit,
			   const char *since, const char *until)
{
	struct dbq *q = db_query(c,
				 "SELECT arrival_date, grade, n FROM arrival_counts WHERE unit_id = $1"
				 " AND n > 0 AND ($2 = '' OR arrival_date >= $2)"
				 " AND ($3 = '' OR arrival_date <= $3) ORDER BY arrival_date",
				 "itt", unit, since, until);
	if (!q)
		return ERR_DB;
	json_t *items = json_array(), *row = NULL;
	char day[DAY_LEN] = "";
	int rc;
	while ((rc = db_step(q)) == 1) {
		const char *d = db_text(q, 0);
		if (!d)
			continue;
		if (!row || strcmp(d, day) != 0) {
			if (json_array_size(items) >= 366)
				break;
			snprintf(day, sizeof day, "%s", d);
			row = grade_row(unit, "", "", 0);
			if (!row) {
				rc = ERR_NOMEM;
				break;
			}
			json_object_del(row, "unit_name");
			json_object_del(row, "kind");
			json_object_del(row, "is_total");
			json_object_set_new(row, "day", json_string(day));
			json_array_append_new(items, row);
		}
		grade_add(row, db_text(q, 1), db_int(q, 2));
	}
	db_done(q);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	return resp_list(r, pg, items, 0, by_day_export, "arrivals-by-day");
}

static int arrivals_by_grade(struct req *r)
{
	struct page pg;
	int64_t unit = 0;
	int rc = req_page(r, &pg);
	if (!rc)
		rc = req_query_int(r, "unit_id", 1, INT64_MAX, r->who.scope_unit_id, &unit);
	if (rc)
		return rc;
	const char *since = req_query(r, "since"), *until = req_query(r, "until");
	if (since && *since && day_valid(since))
		return err_set(&r->err, ERR_INVALID, "since", "must be a date YYYY-MM-DD");
	if (until && *until && day_valid(until))
		return err_set(&r->err, ERR_INVALID, "until", "must be a date YYYY-MM-DD");
	if (!since)
		since = "";
	if (!until)
		until = "";
	const char *by = req_query(r, "by");
	if (by && *by && strcmp(by, "unit") != 0 && strcmp(by, "day") != 0)
		return err_set(&r->err, ERR_INVALID, "by", "must be unit or day");
	if ((rc = scope_check(r, unit, 0, "unit")))
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if (by && strcmp(by, "day") == 0)
		return arrivals_by_day(r, c, &pg, unit, since, until);
	json_t *total = NULL, *items = json_array(), *byid = json_object();
	int bad = 0;
	struct dbq *q = db_query(c, "SELECT id, name, kind FROM units WHERE id = $1", "i", unit);
	if (!q || (rc = db_step(q)) < 0)
		bad = q ? rc : ERR_DB;
	else if (rc == 1)
		total = grade_row(unit, db_text(q, 1), db_text(q, 2), 1);
	db_done(q);
	q = bad ? NULL
		: db_query(c, "SELECT id, name, kind FROM units WHERE parent_id = $1 ORDER BY id",
			   "i", unit);
	while (q && (rc = db_step(q)) == 1) {
		json_t *row = grade_row(db_int(q, 0), db_text(q, 1), db_text(q, 2), 0);
		char key[24];
		snprintf(key, sizeof key, "%lld", (long long)db_int(q, 0));
		json_object_set(byid, key, row);
		json_array_append_new(items, row);
	}
	if (!bad && (!q || rc < 0))
		bad = q ? rc : ERR_DB;
	db_done(q);
	/* The counts kept per unit (every unit above an arrival's unit counts
	 * it), day and grade: the unit's own rows give the total, each direct
	 * child's rows its line. */
	q = bad ? NULL
		: db_query(c,
			   "SELECT c.unit_id, c.grade, SUM(c.n) FROM arrival_counts c"
			   " WHERE (c.unit_id = $1 OR c.unit_id IN"
			   " (SELECT id FROM units WHERE parent_id = $1))"
			   " AND ($2 = '' OR c.arrival_date >= $2)"
			   " AND ($3 = '' OR c.arrival_date <= $3) GROUP BY c.unit_id, c.grade",
			   "itt", unit, since, until);
	while (q && (rc = db_step(q)) == 1) {
		char key[24];
		snprintf(key, sizeof key, "%lld", (long long)db_int(q, 0));
		grade_add(db_int(q, 0) == unit ? total : json_object_get(byid, key), db_text(q, 1),
			  db_int(q, 2));
	}
	if (!bad && (!q || rc < 0))
		bad = q ? rc : ERR_DB;
	db_done(q);
	json_decref(byid);
	if (bad || !total) {
		json_decref(items);
		json_decref(total);
		return bad ? bad : ERR_NOMEM;
	}
	json_array_append_new(items, total);
	return resp_list(r, &pg, items, 0, by_grade_export, "arrivals-by-grade");
}
