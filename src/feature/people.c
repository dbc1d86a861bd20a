/* The population registry (DOMAIN.md §7 and Formats): households and
 * persons, the document and phone rules, masking, and people_upsert — the
 * one way the API, imports, screening visits and checkpoints create or
 * update a person, recording where each fact came from. Routes for
 * households and persons follow the rules. */
#include "people.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/clock.h"
#include "areas.h"

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
	char s[32];
	size_t n = 0;
	for (const char *p = in; *p; p++) {
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
			return err_set(ei, ERR_INVALID, field,
				       last ? "the last character must be a digit or X"
					    : "must be digits (the last may be X)");
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
	char birth[DAY_LEN];
	snprintf(birth, sizeof birth, "%.4s-%.2s-%.2s", id + 6, id + 10, id + 12);
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
	char s[24];
	size_t n = 0;
	for (const char *p = in; *p; p++) {
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
		snprintf(out, cap, "%s", r.number);
		if (rid)
			*rid = r;
		return 0;
	}
	/* Other documents are kept as typed, upper-cased, spaces removed. */
	size_t n = 0;
	for (const char *p = in; *p; p++) {
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
	const char *type = in->doc_type ? in->doc_type : "resident_id";
	if (!in->doc_number || !*in->doc_number)
		return err_set(ei, ERR_INVALID, "doc_number", "is required");
	char num[40];
	struct resident_id rid;
	int is_rid = strcmp(type, "resident_id") == 0;
	int rc = people_doc_number(type, in->doc_number, today, num, sizeof num, &rid,
				   "doc_number", ei);
	if (rc)
		return rc;
	if (in->name && !utf8_len_ok(in->name, 64))
		return err_set(ei, ERR_INVALID, "name", "must be 1 to 64 characters");
	char ph[12];
	if (in->phone && *in->phone && (rc = people_phone(in->phone, ph, "phone", ei)))
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

int people_upsert(struct dbc *c, const struct person_in *in, int64_t now, int64_t *id,
		  int *created, struct err_info *ei)
{
	const char *type = in->doc_type ? in->doc_type : "resident_id";
	char num[40];
	struct resident_id rid;
	int is_rid = strcmp(type, "resident_id") == 0;
	int rc = people_doc_number(type, in->doc_number, NULL, num, sizeof num, &rid,
				   "doc_number", ei);
	if (rc)
		return rc;
	char ph[12] = "";
	if (in->phone && *in->phone && (rc = people_phone(in->phone, ph, "phone", ei)))
		return rc;
	const char *phone = ph[0] ? ph : NULL;
	const char *sex = is_rid ? (rid.sex == 'M' ? "M" : "F") : in->sex;
	const char *birth = is_rid ? rid.birth_date : in->birth_date;
	size_t nl = strlen(num);
	const char *last4 = nl > 4 ? num + nl - 4 : num;

	/* Follow a merged record to the one it was folded into. */
	struct dbq *q = db_query(c,
				 "SELECT id, name, phone, unit_id, household_id, located, sex,"
				 " birth_date, merged_into FROM persons WHERE doc_type = $1 AND doc_number = $2",
				 "tt", type, num);
	if (!q)
		return ERR_DB;
	rc = db_step(q);
	if (rc < 0) {
		db_done(q);
		return rc;
	}
	if (rc == 0) {
		db_done(q);
		if (!in->name || !*in->name)
			return err_set(ei, ERR_INVALID, "name", "is required for a new person");
		if (!in->unit_id)
			return err_set(ei, ERR_INVALID, "unit_id", "is required for a new person");
		struct dbq *ins = db_query(
			c,
			"INSERT INTO persons(unit_id, household_id, located, doc_type, doc_number,"
			" doc_last4, name, sex, birth_date, phone, source, source_id, created_at,"
			" updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)"
			" RETURNING id",
			"iIitttttttt" "Ii", in->unit_id, in->household_id, (int64_t)(in->located ? 1 : 0),
			type, num, last4, in->name, sex, birth, phone,
			in->source ? in->source : "manual", in->source_id, now);
		if (!ins)
			return ERR_DB;
		rc = db_step(ins);
		if (rc == 1)
			*id = db_int(ins, 0);
		db_done(ins);
		if (rc != 1)
			return rc < 0 ? rc : ERR_DB;
		*created = 1;
		if ((rc = household_members(c, in->household_id, 1)) ||
		    (rc = people_count_unit(c, in->unit_id, 0, 1)))
			return rc;
		/* The facts a source gave, for "where did we learn this". */
		if ((rc = fact(c, *id, "name", in->name, in, now)))
			return rc;
		if (phone && (rc = fact(c, *id, "phone", phone, in, now)))
			return rc;
		if (in->household_id) {
			char h[24];
			snprintf(h, sizeof h, "%lld", (long long)in->household_id);
			if ((rc = fact(c, *id, "household_id", h, in, now)))
				return rc;
		}
		return 0;
	}
	int64_t pid = db_int(q, 0);
	int64_t merged = db_null(q, 8) ? 0 : db_int(q, 8);
	char oname[200], ophone[16];
	snprintf(oname, sizeof oname, "%s", db_text(q, 1));
	snprintf(ophone, sizeof ophone, "%s", db_null(q, 2) ? "" : db_text(q, 2));
	int64_t ounit = db_int(q, 3);
	int64_t ohh = db_null(q, 4) ? 0 : db_int(q, 4);
	int olocated = (int)db_int(q, 5);
	db_done(q);
	if (merged) {
		/* Writes go to the surviving record. */
		pid = merged;
	}
	*id = pid;
	*created = 0;
	int changed = 0;
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
		if (db_run(c, "UPDATE persons SET unit_id = $2, located = $3 WHERE id = $1", "iii",
			   pid, in->unit_id, (int64_t)(in->located ? 1 : 0)) < 0 ||
		    people_count_unit(c, ounit, 0, -1) || people_count_unit(c, in->unit_id, 0, 1))
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
		    household_members(c, ohh, -1) || household_members(c, in->household_id, 1))
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
	if (day_valid(arrival_date))
		return err_set(ei, ERR_INVALID, "arrival_date", "must be a date YYYY-MM-DD");
	if (!mode)
		mode = "other";
	if (strcmp(mode, "car") && strcmp(mode, "train") && strcmp(mode, "plane") &&
	    strcmp(mode, "other"))
		return err_set(ei, ERR_INVALID, "mode", "must be car, train, plane or other");
	int64_t existing = 0;
	rc = db_one_int(c, &existing,
			"SELECT id FROM arrivals WHERE person_id = $1 AND arrival_date = $2"
			" AND origin_code = $3",
			"itt", person_id, arrival_date, code);
	if (rc < 0)
		return rc;
	if (rc == 1) {
		*id = existing;
		return 0;
	}
	char grade[16];
	const char *handling;
	int64_t rule = 0;
	if ((rc = areas_grade_of(c, code, arrival_date, grade, &handling, &rule)))
		return rc;
	struct dbq *q = db_query(c,
				 "INSERT INTO arrivals(person_id, unit_id, origin_code, origin_name,"
				 " arrival_date, mode, grade, handling, risk_area_id, source, source_id,"
				 " created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
				 " RETURNING id",
				 "iittttttIt" "Ii", person_id, unit_id, code, name, arrival_date, mode,
				 grade, handling, rule, source ? source : "manual", source_id, now);
	if (!q)
		return ERR_DB;
	rc = db_step(q);
	if (rc == 1)
		*id = db_int(q, 0);
	db_done(q);
	return rc == 1 ? 0 : (rc < 0 ? rc : ERR_DB);
}


/* placeholder routes: replaced by the real ones */
static int todo(struct req *r) { return err_set(&r->err, ERR_NOT_FOUND, "", "not yet"); }
static const struct route routes[] = {{"GET", "/api/v1/_people", todo, P_UNITS_READ, 0, 0, ""}};
ROUTE_TABLE(people_routes, routes);
