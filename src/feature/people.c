/* The population registry's rules (DOMAIN.md §7 and Formats): the document
 * and phone rules, masking, and people_upsert — the one way the API,
 * imports, screening visits and checkpoints create or update a person,
 * recording where each fact came from — with the counters bulk writes
 * defer. The routes (households, persons, merging, arrivals) are in
 * persons.c; what they share with this file is in people_internal.h. */
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

/* k new arrivals counted at their unit and every unit above. */
static int count_arrival(struct dbc *c, int64_t unit_id, const char *day, const char *grade,
			 int64_t k)
{
	int64_t n = db_run(c,
			   "INSERT INTO arrival_counts(unit_id, arrival_date, grade, n)"
			   " SELECT ancestor_id, $2, $3, $4 FROM unit_tree WHERE unit_id = $1"
			   " ORDER BY ancestor_id ON CONFLICT (unit_id, arrival_date, grade)"
			   " DO UPDATE SET n = arrival_counts.n + excluded.n",
			   "itti", unit_id, day, grade, k);
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

int people_fact(struct dbc *c, int64_t person, const char *field, const char *value,
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
int people_settle_facts(struct dbc *c, int64_t person)
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

int people_household_members(struct dbc *c, int64_t household, int64_t delta)
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

static int tally_arrival_cmp(const void *pa, const void *pb)
{
	const struct tally_arrival *a = pa, *b = pb;
	if (a->unit != b->unit)
		return a->unit < b->unit ? -1 : 1;
	int d = strcmp(a->day, b->day);
	return d ? d : strcmp(a->grade, b->grade);
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
	/* One statement per unit, day and grade, not per arrival. */
	if (t->narr)
		qsort(t->arr, t->narr, sizeof *t->arr, tally_arrival_cmp);
	for (size_t i = 0, j; i < t->narr && !rc; i = j) {
		for (j = i + 1; j < t->narr && !tally_arrival_cmp(&t->arr[i], &t->arr[j]); j++)
			;
		rc = count_arrival(c, t->arr[i].unit, t->arr[i].day, t->arr[i].grade,
				   (int64_t)(j - i));
	}
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
int people_tally_members(struct dbc *c, struct people_tally *t, int64_t household, int64_t delta)
{
	if (!t || !household || !delta)
		return people_household_members(c, household, delta);
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
	int rc = people_tally_members(c, in->tally, in->household_id, 1);
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
	    (rc = people_settle_facts(c, pid)))
		return rc;
	if (in->name && *in->name && strcmp(in->name, oname) != 0) {
		if (db_run(c, "UPDATE persons SET name = $2 WHERE id = $1", "it", pid, in->name) < 0 ||
		    people_fact(c, pid, "name", in->name, in, now))
			return ERR_DB;
		changed = 1;
	}
	if (phone && strcmp(phone, ophone) != 0) {
		if (db_run(c, "UPDATE persons SET phone = $2 WHERE id = $1", "it", pid, phone) < 0 ||
		    people_fact(c, pid, "phone", phone, in, now))
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
		if (people_fact(c, pid, "unit_id", u, in, now))
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
		    people_tally_members(c, in->tally, ohh, -1) || people_tally_members(c, in->tally, in->household_id, 1))
			return ERR_DB;
		char h[24];
		snprintf(h, sizeof h, "%lld", (long long)in->household_id);
		if (people_fact(c, pid, "household_id", h, in, now))
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
	return people_add_arrival_tallied(c, NULL, person_id, unit_id, g, arrival_date, mode, source,
					  source_id, now, id, ei);
}

int people_add_arrival_tallied(struct dbc *c, struct people_tally *t, int64_t person_id,
			       int64_t unit_id, const struct arrival_grade *g,
			       const char *arrival_date, const char *mode, const char *source,
			       int64_t source_id, int64_t now, int64_t *id, struct err_info *ei)
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
		return t ? tally_arrival(t, unit_id, arrival_date, g->grade)
			 : count_arrival(c, unit_id, arrival_date, g->grade, 1);
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

/* ---------- arrivals in one statement (PostgreSQL) ---------- */

enum { PA_PERSON, PA_UNIT, PA_CODE, PA_NAME, PA_DATE, PA_MODE, PA_GRADE, PA_HANDLING, PA_RULE, PA_N };

struct people_arrivals {
	struct buf col[PA_N]; /* each a column, values a line each; "\x01": NULL */
	size_t n;
};

struct people_arrivals *people_arrivals_new(void)
{
	return calloc(1, sizeof(struct people_arrivals));
}

void people_arrivals_free(struct people_arrivals *a)
{
	if (!a)
		return;
	for (int i = 0; i < PA_N; i++)
		buf_free(&a->col[i]);
	free(a);
}

static int pa_text(struct people_arrivals *a, int k, const char *v)
{
	if (v && strpbrk(v, "\n\x01"))
		return ERR_INTERNAL; /* codes, days and names from the divisions: never */
	buf_printf(&a->col[k], "%s%s", a->n ? "\n" : "", v ? v : "\x01");
	return 0;
}

int people_arrivals_add(struct people_arrivals *a, int64_t person_id, int64_t unit_id,
			const struct arrival_grade *g, const char *arrival_date, const char *mode,
			struct err_info *ei)
{
	int rc = arrival_check(arrival_date, &mode, ei);
	if (rc)
		return rc;
	const char *sep = a->n ? "\n" : "";
	buf_printf(&a->col[PA_PERSON], "%s%lld", sep, (long long)person_id);
	buf_printf(&a->col[PA_UNIT], "%s%lld", sep, (long long)unit_id);
	buf_printf(&a->col[PA_RULE], "%s%lld", sep, (long long)g->rule_id);
	if ((rc = pa_text(a, PA_CODE, g->code)) || (rc = pa_text(a, PA_NAME, g->name)) ||
	    (rc = pa_text(a, PA_DATE, arrival_date)) || (rc = pa_text(a, PA_MODE, mode)) ||
	    (rc = pa_text(a, PA_GRADE, g->grade)) || (rc = pa_text(a, PA_HANDLING, g->handling)))
		return rc;
	a->n++;
	return 0;
}

int people_arrivals_send(struct dbc *c, struct people_arrivals *a, struct people_tally *t,
			 const char *source, int64_t source_id, int64_t now)
{
	if (!a->n)
		return 0;
	int rc = 0;
	for (int i = 0; i < PA_N; i++)
		if (a->col[i].oom)
			rc = ERR_NOMEM;
	/* In the order added (WITH ORDINALITY), so ids run as one by one; a
	 * second arrival of the same key in the set does nothing, as it would
	 * after the first. */
	struct dbq *q = rc ? NULL
		: db_query(c,
			   "INSERT INTO arrivals(person_id, unit_id, origin_code, origin_name,"
			   " arrival_date, mode, grade, handling, risk_area_id, source, source_id,"
			   " created_at) SELECT k.p, k.u, k.c, k.n, k.d, k.m, k.g, k.h, NULLIF(k.r, 0),"
			   " $10, $11, $12 FROM unnest(CAST(string_to_array($1, chr(10)) AS bigint[]),"
			   " CAST(string_to_array($2, chr(10)) AS bigint[]),"
			   " string_to_array($3, chr(10), chr(1)), string_to_array($4, chr(10), chr(1)),"
			   " string_to_array($5, chr(10), chr(1)), string_to_array($6, chr(10), chr(1)),"
			   " string_to_array($7, chr(10), chr(1)), string_to_array($8, chr(10), chr(1)),"
			   " CAST(string_to_array($9, chr(10)) AS bigint[]))"
			   " WITH ORDINALITY AS k(p, u, c, n, d, m, g, h, r, i) ORDER BY k.i"
			   " ON CONFLICT (person_id, arrival_date, origin_code) DO NOTHING"
			   " RETURNING unit_id, arrival_date, grade",
			   "ttttttttt" "tIi", buf_str(&a->col[PA_PERSON]), buf_str(&a->col[PA_UNIT]),
			   buf_str(&a->col[PA_CODE]), buf_str(&a->col[PA_NAME]),
			   buf_str(&a->col[PA_DATE]), buf_str(&a->col[PA_MODE]),
			   buf_str(&a->col[PA_GRADE]), buf_str(&a->col[PA_HANDLING]),
			   buf_str(&a->col[PA_RULE]), source ? source : "manual", source_id, now);
	if (!rc && !q)
		rc = ERR_DB;
	while (!rc && (rc = db_step(q)) == 1)
		rc = tally_arrival(t, db_int(q, 0), db_text(q, 1), db_text(q, 2));
	db_done(q);
	for (int i = 0; i < PA_N; i++)
		a->col[i].len = 0;
	a->n = 0;
	return rc < 0 ? rc : 0;
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
