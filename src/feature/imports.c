/* Imports of big-data lists (DOMAIN.md §7): a travel or telecom list of
 * persons as CSV — UTF-8 with or without BOM, or GB18030 as Excel on
 * Chinese Windows writes it — whose header row names the fields in Chinese
 * or English. Every row is validated; good rows go through people_upsert
 * (matched by document, so a re-import updates and never duplicates) with
 * their arrival graded by people_add_arrival; bad rows are reported by line
 * number and reason and kept, with the row as it was, in the batch's
 * rejects_csv. A row meets a registered person as a field write does
 * (people_upsert with person_in.seen): someone registered outside the
 * importer's scope is not changed (held), and in scope another name, or
 * another compound or household for a located person, is not applied; what
 * the row said goes to the person's unit as a discrepancy to confirm.
 * The whole import runs in the caller's one transaction.
 * Lookups that would repeat per row — compounds in scope, households,
 * origin names — are cached in memory for the length of one import.
 *
 * On PostgreSQL, where every statement is a round trip, rows are taken a
 * window at a time: the window's documents and households are looked up in
 * two statements, and a row whose document nobody holds and no earlier row
 * of the list named (most of a list) is written as people_upsert and
 * people_add_arrival_graded would write it, into COPY buffers sent once per
 * window (households, persons, facts, arrivals, in that order, with ids
 * drawn from their sequences in blocks). Every other row — an update, a
 * document twice — is stored one by one through the same functions as on
 * SQLite, after what is buffered has been sent, so it sees every earlier
 * row. A person or household that another transaction registers meanwhile
 * fails the COPY, and so the import (409), where the one-by-one path would
 * have updated it. Validation, rejects, discrepancies and the records
 * stored are the same either way (tests/api/import_paths.test.mjs);
 * CORDON_IMPORT_ROWWISE=1 turns the
 * windows off, a diagnostic for that comparison.
 *
 * On SQLite a list long against the registry is stored with four of the
 * persons indexes dropped and made again at the end (defer_indexes). */
#include "imports.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../base/arena.h"
#include "../base/buf.h"
#include "../base/csvx.h"
#include "../http/scope.h"
#include "areas.h"
#include "discrepancies.h"

static int import_persons(struct req *r);
static int list_batches(struct req *r);
static int batch_rejects(struct req *r);

static const struct route routes[] = {
	{"POST", "/api/v1/imports/persons", import_persons, P_IMPORT, 128u << 20, 0,
	 "import a list of persons from CSV (?source=NAME)"},
	{"GET", "/api/v1/imports", list_batches, P_IMPORT, 0, 0,
	 "import batches in scope, newest first"},
	{"GET", "/api/v1/imports/{id}/rejects.csv", batch_rejects, P_IMPORT, 0, 0,
	 "the rejected lines of a batch with their reasons"},
};
ROUTE_TABLE(imports_routes, routes);

#define PROGRESS_EVERY 50000
#define HEADER_SEARCH_ROWS 10 /* title rows above the header are skipped */
#define IMPORT_CACHE_KIB "393216" /* SQLite page cache during an import: 384 MiB */
#define WINDOW_ROWS 5000 /* PostgreSQL: rows looked up and sent together */
#define REBUILD_MIN_ROWS 50000 /* SQLite: a list this long may build indexes after */
#define ID_BLOCK 4096    /* PostgreSQL: ids drawn from a sequence at once */

/* ---------- pure: header ---------- */

static const char *const col_api[IMP_NCOLS] = {
	"name",   "doc_type",     "doc_number", "phone",   "sex",     "birth_date",
	"origin", "arrival_date", "mode",       "address", "compound",
};

/* Accepted header texts per field; English ones compared ignoring case. */
static const char *const col_alias[IMP_NCOLS][10] = {
	[IMP_NAME] = {"name", "姓名", "名字"},
	[IMP_DOC_TYPE] = {"doc_type", "证件类型", "证件种类"},
	[IMP_DOC_NUMBER] = {"doc_number", "id_number", "身份证号", "身份证号码", "证件号码",
			    "证件号", "公民身份号码", "身份证"},
	[IMP_PHONE] = {"phone", "mobile", "手机", "手机号", "手机号码", "电话", "联系电话",
		       "联系方式"},
	[IMP_SEX] = {"sex", "gender", "性别"},
	[IMP_BIRTH_DATE] = {"birth_date", "出生日期", "出生年月日"},
	[IMP_ORIGIN] = {"origin", "来源地", "出发地", "来自", "来源地区"},
	[IMP_ARRIVAL_DATE] = {"arrival_date", "抵达日期", "到达日期", "抵银日期", "返回日期"},
	[IMP_MODE] = {"mode", "交通方式", "交通工具", "出行方式"},
	[IMP_ADDRESS] = {"address", "地址", "住址", "现住址", "详细地址", "居住地址"},
	[IMP_COMPOUND] = {"compound", "小区", "小区名称", "小区代码", "所在小区"},
};

const char *imports_col_name(enum imp_col k)
{
	return k < IMP_NCOLS ? col_api[k] : "";
}

const char *imports_expected_columns(void)
{
	return "no recognisable header: it needs 身份证号/id_number and may have 姓名/name,"
	       " 证件类型/doc_type, 手机/phone, 性别/sex, 出生日期/birth_date, 来源地/origin,"
	       " 抵达日期/arrival_date, 交通方式/mode, 地址/address, 小区/compound";
}

/* Compares a header cell with an alias: ASCII case ignored, spaces and a
 * stray BOM around it skipped. */
static int header_eq(const char *cell, const char *alias)
{
	if (strncmp(cell, "\xEF\xBB\xBF", 3) == 0)
		cell += 3;
	while (*cell == ' ' || *cell == '\t')
		cell++;
	size_t n = strlen(cell);
	while (n && (cell[n - 1] == ' ' || cell[n - 1] == '\t'))
		n--;
	if (strlen(alias) != n)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char a = cell[i], b = alias[i];
		if (a >= 'A' && a <= 'Z')
			a = (char)(a - 'A' + 'a');
		if (a != b)
			return 0;
	}
	return 1;
}

int imports_header_field(const char *text)
{
	if (!text)
		return -1;
	for (int k = 0; k < IMP_NCOLS; k++)
		for (int a = 0; a < 10 && col_alias[k][a]; a++)
			if (header_eq(text, col_alias[k][a]))
				return k;
	return -1;
}

int imports_map_header(char *const *fields, size_t n, int col[IMP_NCOLS])
{
	int found = 0;
	for (int k = 0; k < IMP_NCOLS; k++)
		col[k] = -1;
	for (size_t i = 0; i < n; i++) {
		int k = imports_header_field(fields[i]);
		if (k >= 0 && col[k] < 0) {
			col[k] = (int)i;
			found++;
		}
	}
	return found;
}

/* ---------- pure: cells ---------- */

/* Reads 1..maxd digits at *p; -1 if none. */
static int digits(const char **p, int maxd)
{
	int v = 0, n = 0;
	while (n < maxd && **p >= '0' && **p <= '9') {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	return n ? v : -1;
}

int imports_date(const char *in, char out[DAY_LEN])
{
	if (!in)
		return -1;
	const char *p = in;
	int y, m, d;
	size_t len = strlen(in);
	if (len == 8 && strspn(in, "0123456789") == 8) {
		y = (in[0] - '0') * 1000 + (in[1] - '0') * 100 + (in[2] - '0') * 10 + (in[3] - '0');
		m = (in[4] - '0') * 10 + (in[5] - '0');
		d = (in[6] - '0') * 10 + (in[7] - '0');
	} else {
		y = digits(&p, 4);
		if (y < 0 || p - in != 4)
			return -1;
		const char *seps[] = {"-", "/", ".", "年"};
		const char *seps2[] = {"-", "/", ".", "月"};
		int s = -1;
		for (int i = 0; i < 4; i++)
			if (strncmp(p, seps[i], strlen(seps[i])) == 0) {
				s = i;
				p += strlen(seps[i]);
				break;
			}
		if (s < 0 || (m = digits(&p, 2)) < 0)
			return -1;
		if (strncmp(p, seps2[s], strlen(seps2[s])) != 0)
			return -1;
		p += strlen(seps2[s]);
		if ((d = digits(&p, 2)) < 0)
			return -1;
		if (s == 3 && strncmp(p, "日", strlen("日")) == 0)
			p += strlen("日");
		if (*p)
			return -1;
	}
	if (m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	if (y < 1000 || y > 9999)
		return -1;
	char tmp[40];
	snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, d);
	if (day_valid(tmp))
		return -1;
	memcpy(out, tmp, DAY_LEN);
	return 0;
}

static int word_in(const char *s, const char *const *words)
{
	for (; *words; words++)
		if (header_eq(s, *words))
			return 1;
	return 0;
}

const char *imports_doc_type(const char *in)
{
	static const char *const rid[] = {"resident_id", "居民身份证", "身份证", "二代身份证",
					  "id_card", NULL};
	static const char *const pass[] = {"passport", "护照", NULL};
	static const char *const hkm[] = {"hk_macao_permit", "港澳通行证", "港澳居民来往内地通行证",
					  "回乡证", NULL};
	static const char *const tw[] = {"taiwan_permit", "台胞证", "台湾居民来往大陆通行证", NULL};
	static const char *const oth[] = {"other", "其他", "其它", NULL};
	if (!in || !*in || word_in(in, rid))
		return "resident_id";
	if (word_in(in, pass))
		return "passport";
	if (word_in(in, hkm))
		return "hk_macao_permit";
	if (word_in(in, tw))
		return "taiwan_permit";
	if (word_in(in, oth))
		return "other";
	return NULL;
}

const char *imports_sex(const char *in)
{
	static const char *const m[] = {"m", "male", "男", NULL};
	static const char *const f[] = {"f", "female", "女", NULL};
	if (!in)
		return NULL;
	if (word_in(in, m))
		return "M";
	if (word_in(in, f))
		return "F";
	return NULL;
}

const char *imports_mode(const char *in)
{
	static const char *const car[] = {"car", "汽车", "自驾", "驾车", "私家车", "客车",
					  "大巴", "长途汽车", "公路", NULL};
	static const char *const train[] = {"train", "火车", "高铁", "动车", "铁路", NULL};
	static const char *const plane[] = {"plane", "飞机", "航班", "民航", NULL};
	static const char *const other[] = {"other", "其他", "其它", NULL};
	if (!in || !*in || word_in(in, other))
		return "other";
	if (word_in(in, car))
		return "car";
	if (word_in(in, train))
		return "train";
	if (word_in(in, plane))
		return "plane";
	return NULL;
}

static const char *cell(char *const *f, size_t n, int idx)
{
	if (idx < 0 || (size_t)idx >= n || !f[idx][0])
		return NULL;
	return f[idx];
}

/* 1..max characters of UTF-8 text without control characters. */
static int text_ok(const char *s, size_t max)
{
	size_t n = 0;
	for (; *s; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7F)
			return 0;
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	}
	return n >= 1 && n <= max;
}

int imports_parse_row(const int col[IMP_NCOLS], char *const *f, size_t n, const char *today,
		      struct import_row *out, struct err_info *ei)
{
	memset(out, 0, sizeof *out);
	int any = 0;
	for (size_t i = 0; i < n && !any; i++)
		any = f[i][0] != 0;
	if (!any)
		return 1;
	struct person_in *p = &out->p;
	const char *dt = cell(f, n, col[IMP_DOC_TYPE]);
	p->doc_type = imports_doc_type(dt);
	if (!p->doc_type)
		return err_set(ei, ERR_INVALID, "doc_type",
			       "\"%s\" is not a document type (居民身份证, 护照, 港澳通行证, 台胞证, 其他)",
			       dt);
	p->doc_number = cell(f, n, col[IMP_DOC_NUMBER]);
	if (!p->doc_number)
		return err_set(ei, ERR_INVALID, "doc_number", "is missing");
	p->name = cell(f, n, col[IMP_NAME]);
	p->phone = cell(f, n, col[IMP_PHONE]);
	const char *sx = cell(f, n, col[IMP_SEX]);
	if (sx && !(p->sex = imports_sex(sx)))
		return err_set(ei, ERR_INVALID, "sex", "\"%s\" must be 男 or 女 (M or F)", sx);
	const char *bd = cell(f, n, col[IMP_BIRTH_DATE]);
	if (bd) {
		if (imports_date(bd, out->birth))
			return err_set(ei, ERR_INVALID, "birth_date", "\"%s\" is not a date", bd);
		p->birth_date = out->birth;
	}
	int rc = people_validate_into(p, today, &out->norm, ei);
	if (rc)
		return rc;
	const char *origin = cell(f, n, col[IMP_ORIGIN]);
	const char *ad = cell(f, n, col[IMP_ARRIVAL_DATE]);
	if (origin && !ad)
		return err_set(ei, ERR_INVALID, "arrival_date", "is missing (the row gives an origin)");
	if (ad && !origin)
		return err_set(ei, ERR_INVALID, "origin", "is missing (the row gives an arrival date)");
	if (ad) {
		if (imports_date(ad, out->arrival))
			return err_set(ei, ERR_INVALID, "arrival_date", "\"%s\" is not a date", ad);
		if (today && strcmp(out->arrival, today) > 0)
			return err_set(ei, ERR_INVALID, "arrival_date", "%s is in the future",
				       out->arrival);
		if (!text_ok(origin, 64))
			return err_set(ei, ERR_INVALID, "origin", "must be 1 to 64 characters");
		out->origin = origin;
		out->arrival_date = out->arrival;
		const char *md = cell(f, n, col[IMP_MODE]);
		out->mode = imports_mode(md);
		if (!out->mode)
			return err_set(ei, ERR_INVALID, "mode",
				       "\"%s\" is not a mode of travel (汽车, 火车, 飞机, 其他 or car,"
				       " train, plane, other)",
				       md);
	}
	const char *addr = cell(f, n, col[IMP_ADDRESS]);
	if (addr && strlen(addr) >= sizeof out->addr)
		return err_set(ei, ERR_INVALID, "address", "must be at most 128 characters");
	if (addr) {
		/* A line break inside a quoted address is a space; runs of
		 * spaces are one, so one home is one household. */
		size_t k = 0;
		for (const char *q = addr; *q && k + 1 < sizeof out->addr; q++) {
			int ws = *q == '\r' || *q == '\n' || *q == '\t' || *q == ' ';
			if (ws && (k == 0 || out->addr[k - 1] == ' '))
				continue;
			out->addr[k++] = ws ? ' ' : *q;
		}
		while (k && out->addr[k - 1] == ' ')
			k--;
		out->addr[k] = 0;
		out->address = k ? out->addr : NULL;
	}
	if (out->address && !text_ok(out->address, 128))
		return err_set(ei, ERR_INVALID, "address", "must be at most 128 characters");
	out->compound = cell(f, n, col[IMP_COMPOUND]);
	if (out->compound && !text_ok(out->compound, 64))
		return err_set(ei, ERR_INVALID, "compound", "must be at most 64 characters");
	return 0;
}

/* ---------- caches: string keys to values, for one import ---------- */

struct hent {
	const char *key; /* NULL: empty slot */
	uint64_t h;
	int64_t v;
	const char *s1, *s2; /* cached texts (origin code and name) */
	struct person_found *pf; /* imp.docs: the person as the window's look-up found them */
};

struct hmap {
	struct hent *e;
	size_t cap, n;
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static struct hent *hmap_find(struct hmap *m, const char *key)
{
	if (!m->cap)
		return NULL;
	uint64_t h = hash_str(key);
	for (size_t i = h & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		struct hent *e = &m->e[i];
		if (!e->key)
			return NULL;
		if (e->h == h && strcmp(e->key, key) == 0)
			return e;
	}
}

/* Inserts key (copied into arena a) and returns its entry, or NULL when out
 * of memory. An existing key's entry is returned as it is. */
static struct hent *hmap_put(struct hmap *m, struct arena *a, const char *key)
{
	if ((m->n + 1) * 2 > m->cap) {
		size_t ncap = m->cap ? m->cap * 2 : 256;
		struct hent *ne = calloc(ncap, sizeof *ne);
		if (!ne)
			return NULL;
		for (size_t i = 0; i < m->cap; i++) {
			if (!m->e[i].key)
				continue;
			size_t j = m->e[i].h & (ncap - 1);
			while (ne[j].key)
				j = (j + 1) & (ncap - 1);
			ne[j] = m->e[i];
		}
		free(m->e);
		m->e = ne;
		m->cap = ncap;
	}
	uint64_t h = hash_str(key);
	size_t i = h & (m->cap - 1);
	while (m->e[i].key) {
		if (m->e[i].h == h && strcmp(m->e[i].key, key) == 0)
			return &m->e[i];
		i = (i + 1) & (m->cap - 1);
	}
	char *k = arena_strdup(a, key);
	if (!k)
		return NULL;
	m->e[i] = (struct hent){.key = k, .h = h};
	m->n++;
	return &m->e[i];
}

static void hmap_free(struct hmap *m)
{
	free(m->e);
	memset(m, 0, sizeof *m);
}

/* ---------- the import ---------- */

/* A data row held in a PostgreSQL window: its fields copied, parsed in place
 * (import_row points into itself). */
struct win_row {
	int line;
	size_t n;
	char **f;
	int rc; /* imports_parse_row's */
	struct import_row row;
};

/* Ids drawn from a table's sequence ahead of COPY. */
struct id_pool {
	const char *table;
	int64_t *v;
	size_t n, next;
};

struct imp {
	struct dbc *c;
	const struct imports_opts *o;
	struct imports_result *res;
	struct err_info *ei;
	struct arena a;
	int col[IMP_NCOLS];
	char *hdr[IMP_NCOLS]; /* the header texts as written, for reasons */
	int have_header;
	int rows_seen; /* before the header */
	const char *enc;
	int64_t now;
	char today[DAY_LEN];
	struct buf rejects_csv;
	size_t max_rejects;
	int fatal;              /* a storage error: stop */
	struct hmap compounds;  /* code or name -> unit id (-1: a name used twice) */
	struct hmap households; /* "unit\x1faddress" -> household id */
	struct hmap origins;    /* text -> code, name (v 0: not a place) */
	struct hmap grades;     /* "code|day" -> grade, handling, rule id */
	struct people_tally *tally; /* unit and household counts, written at the end */
	int64_t next_progress;
	int scope_is_root; /* the district: no person is outside it */
	/* PostgreSQL's windows (bulk != 0); see the top of the file. */
	int bulk;
	struct win_row *win;
	size_t win_n;
	struct arena wa;  /* the window's fields */
	struct hmap docs; /* "type\x1fnumber": held before the import or met in it */
	struct db_copy *cp_households, *cp_persons, *cp_facts, *cp_arrivals;
	struct id_pool persons_ids, households_ids;
	/* The arrivals of rows stored one by one, sent in one statement at the
	 * window's end, or before a row that may read or move them: one whose
	 * person is among pend_persons, or not known before it is stored. */
	struct people_arrivals *pend;
	struct hmap pend_persons; /* person id -> (in wa) */
	/* SQLite: the persons indexes dropped for the import, made again at
	 * its end (see defer_indexes). */
	char *rebuild[4];
	int nrebuild;
};

/* Records a bad row: the count, the answer's list, the csv of rejects. */
static void reject(struct imp *x, int line, char *const *f, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static void reject(struct imp *x, int line, char *const *f, size_t n, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	x->res->rejected++;
	if (json_array_size(x->res->rejects) < x->max_rejects)
		json_array_append_new(x->res->rejects,
				      json_pack("{s:i,s:s}", "line", line, "reason", msg));
	buf_printf(&x->rejects_csv, "%d,", line);
	csvx_cell(&x->rejects_csv, msg);
	for (size_t i = 0; i < n; i++) {
		buf_puts(&x->rejects_csv, ",");
		csvx_cell(&x->rejects_csv, f[i]);
	}
	buf_puts(&x->rejects_csv, "\r\n");
}

/* The reason for a field's error, naming the column as the file does. */
static void reject_field(struct imp *x, int line, char *const *f, size_t n,
			 const struct err_info *ei)
{
	const char *col = ei->field;
	for (int k = 0; k < IMP_NCOLS; k++)
		if (strcmp(col_api[k], ei->field) == 0 && x->hdr[k]) {
			col = x->hdr[k];
			break;
		}
	reject(x, line, f, n, "%s: %s", col[0] ? col : "row", ei->message);
}

/* Loads the compounds and buildings in scope, by code and by name. */
static int load_compounds(struct imp *x)
{
	struct dbq *q = db_query(x->c,
				 "SELECT u.id, u.code, u.name FROM units u WHERE u.kind IN"
				 " ('compound', 'building') AND " SCOPE_SQL("u.id", "1"),
				 "i", x->o->scope_unit_id);
	if (!q)
		return ERR_DB;
	int rc;
	while ((rc = db_step(q)) == 1) {
		int64_t id = db_int(q, 0);
		struct hent *e = hmap_put(&x->compounds, &x->a, db_text(q, 1));
		if (!e) {
			rc = ERR_NOMEM;
			break;
		}
		e->v = id; /* codes are unique */
		char key[300];
		snprintf(key, sizeof key, "\x1e%s", db_text(q, 2)); /* names apart from codes */
		if (!(e = hmap_put(&x->compounds, &x->a, key))) {
			rc = ERR_NOMEM;
			break;
		}
		e->v = e->v ? -1 : id;
	}
	db_done(q);
	return rc < 0 ? rc : 0;
}

/* The compound a cell names: by code, then by name. 0 not found, -1 a name
 * several compounds share. */
static int64_t find_compound(struct imp *x, const char *text)
{
	struct hent *e = hmap_find(&x->compounds, text);
	if (e)
		return e->v;
	char key[300];
	snprintf(key, sizeof key, "\x1e%s", text);
	e = hmap_find(&x->compounds, key);
	return e ? e->v : 0;
}

/* Resolves an origin text once per import: 1 found (code, name set), 0 not
 * a known place, <0 error. */
static int resolve_origin(struct imp *x, const char *text, const char **code, const char **name)
{
	struct hent *e = hmap_find(&x->origins, text);
	if (!e) {
		char c[7], nm[64];
		int rc = areas_resolve(x->c, text, c, nm);
		if (rc < 0)
			return rc;
		if (!(e = hmap_put(&x->origins, &x->a, text)))
			return ERR_NOMEM;
		e->v = rc == 1;
		if (rc == 1 && (!(e->s1 = arena_strdup(&x->a, c)) || !(e->s2 = arena_strdup(&x->a, nm))))
			return ERR_NOMEM;
	}
	*code = e->s1;
	*name = e->s2;
	return (int)e->v;
}

/* The grade of an arrival from origin code on day, once per import. */
static int grade_of(struct imp *x, const char *code, const char *name, const char *day,
		    struct arrival_grade *g)
{
	char key[40];
	snprintf(key, sizeof key, "%s|%s", code, day);
	struct hent *e = hmap_find(&x->grades, key);
	if (!e) {
		char grade[16];
		const char *handling;
		int64_t rule = 0;
		int rc = areas_grade_of(x->c, code, day, grade, &handling, &rule);
		if (rc)
			return rc;
		if (!(e = hmap_put(&x->grades, &x->a, key)) || !(e->s1 = arena_strdup(&x->a, grade)))
			return ERR_NOMEM;
		e->s2 = handling; /* static */
		e->v = rule;
	}
	*g = (struct arrival_grade){.code = code, .name = name, .grade = e->s1, .handling = e->s2,
				    .rule_id = e->v};
	return 0;
}

/* The household at address in compound unit, created when new: 0 with *id.
 * A new one is made occupied at once: the person it is made for is stored
 * next (precheck_person has ruled out a refusal), and one member makes a
 * household occupied (household_members). key: "unit\x1faddress". */
static int household_of(struct imp *x, int64_t unit, const char *address, const char *key,
			int64_t *id, int *fresh)
{
	*fresh = 0;
	struct hent *e = hmap_find(&x->households, key);
	if (e) {
		*id = e->v;
		return 0;
	}
	int64_t hh = 0;
	int rc = PEOPLE_INSERT_ID(x->c, &hh,
				  "INSERT INTO households(unit_id, address, status, members,"
				  " created_at, updated_at) VALUES ($1, $2, 'occupied', 0, $3, $3)"
				  " ON CONFLICT (unit_id, address) DO NOTHING",
				  "iti", unit, address, x->now);
	if (rc < 0)
		return rc;
	if (rc == 1) {
		*fresh = 1;
		if ((rc = people_tally_add(x->tally, unit, 1, 0)))
			return rc;
	} else {
		/* There already. */
		rc = db_one_int(x->c, &hh,
				"SELECT id FROM households WHERE unit_id = $1 AND address = $2", "it",
				unit, address);
		if (rc != 1)
			return rc < 0 ? rc : ERR_DB;
	}
	if (!(e = hmap_put(&x->households, &x->a, key)))
		return ERR_NOMEM;
	e->v = hh;
	*id = hh;
	return 0;
}

/* Before a new household is made for a row: would people_upsert refuse the
 * person (a new one without a name)? Then the row is rejected before
 * anything is written. 0 fine, 1 rejected, <0 error. */
static int precheck_person(struct imp *x, const struct import_row *row, int line, char *const *f,
			   size_t n)
{
	struct err_info ei = {0};
	struct person_found pf;
	int rc = people_find(x->c, row->p.doc_type, row->norm.doc_number, x->o->scope_unit_id, &pf);
	if (rc < 0)
		return rc;
	if (rc == 0 && !row->p.name) {
		err_set(&ei, ERR_INVALID, "name", "is required for a new person");
		reject_field(x, line, f, n, &ei);
		return 1;
	}
	return 0;
}

/* A row whose person was not changed, or not wholly: listed with what it
 * became, by line (the person is not named: they may be another unit's). */
static int to_confirm(struct imp *x, int line, const struct person_seen *seen)
{
	x->res->discrepancies++;
	if (seen->held)
		x->res->held++;
	if (json_array_size(x->res->to_confirm) < x->max_rejects &&
	    json_array_append_new(x->res->to_confirm,
				  json_pack("{s:i,s:s,s:I,s:b}", "line", line, "kind", seen->kind,
					    "discrepancy_id", (json_int_t)seen->discrepancy_id,
					    "held", seen->held)))
		return ERR_NOMEM;
	return 0;
}

static int create_batch(struct imp *x)
{
	struct dbq *q = db_query(x->c,
				 "INSERT INTO import_batches(unit_id, kind, source, filename, encoding,"
				 " created, updated, rejected, created_by, created_at)"
				 " VALUES ($1, 'persons', $2, $3, $4, 0, 0, 0, $5, $6) RETURNING id",
				 "ittt" "Ii", x->o->scope_unit_id, x->o->source, x->o->filename, x->enc,
				 x->o->user_id, x->now);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	if (rc == 1)
		x->res->batch_id = db_int(q, 0);
	db_done(q);
	return rc == 1 ? 0 : (rc < 0 ? rc : ERR_DB);
}

static int header_row(struct imp *x, char *const *f, size_t n)
{
	int col[IMP_NCOLS];
	imports_map_header(f, n, col);
	if (col[IMP_DOC_NUMBER] < 0) {
		if (++x->rows_seen >= HEADER_SEARCH_ROWS) {
			err_set(x->ei, ERR_INVALID, "body", "%s", imports_expected_columns());
			return 1;
		}
		return 0; /* a title row above the header */
	}
	memcpy(x->col, col, sizeof col);
	for (int k = 0; k < IMP_NCOLS; k++)
		if (col[k] >= 0 && !(x->hdr[k] = arena_strdup(&x->a, f[col[k]])))
			return x->fatal = ERR_NOMEM, 1;
	x->have_header = 1;
	buf_puts(&x->rejects_csv, "\xEF\xBB\xBFline,reason");
	for (size_t i = 0; i < n; i++) {
		buf_puts(&x->rejects_csv, ",");
		csvx_cell(&x->rejects_csv, f[i]);
	}
	buf_puts(&x->rejects_csv, "\r\n");
	int64_t root = 0;
	int rc = db_one_int(x->c, &root,
			    "SELECT COUNT(*) FROM units WHERE id = $1 AND parent_id IS NULL", "i",
			    x->o->scope_unit_id);
	x->scope_is_root = rc == 1 && root == 1;
	rc = rc < 0 ? rc : load_compounds(x);
	if (!rc)
		rc = create_batch(x);
	if (rc)
		return x->fatal = rc, 1;
	return 0;
}

static int store_new(struct imp *x, int line, char *const *f, size_t n, struct import_row *row,
		     int64_t unit, int located, const char *ocode, const char *oname);
static int copy_flush(struct imp *x);

/* The key of a row's document in imp.docs (80 bytes). */
static void doc_key(char *out, const struct import_row *row)
{
	snprintf(out, 80, "%s\x1f%s", row->p.doc_type, row->norm.doc_number);
}

/* Sends the pending arrivals (see struct imp). 0 or <0. */
static int pend_flush(struct imp *x)
{
	hmap_free(&x->pend_persons);
	return people_arrivals_send(x->c, x->pend, x->tally, "import", x->res->batch_id, x->now);
}

static void person_key(char out[24], int64_t id)
{
	snprintf(out, 24, "%lld", (long long)id);
}

/* One data row, parsed by the caller (rc: imports_parse_row's; row and ei
 * its results); returns non-zero to stop (x->fatal set). */
static int data_row_parsed(struct imp *x, int line, char *const *f, size_t n,
			   struct import_row *row, int rc, struct err_info *ei)
{
	if (rc == 1)
		return 0;
	x->res->rows++;
	if (x->o->progress && x->res->rows >= x->next_progress) {
		x->o->progress(x->o->progress_arg, x->res->rows);
		x->next_progress += PROGRESS_EVERY;
	}
	if (rc) {
		reject_field(x, line, f, n, ei);
		return 0;
	}
	/* Place: a compound in scope, else the importer's scope, not located. */
	int64_t unit = x->o->scope_unit_id, hh = 0;
	int located = 0, fresh_hh = 0;
	const struct person_found *found = NULL;
	if (row->compound) {
		int64_t u = find_compound(x, row->compound);
		if (u == 0)
			return reject(x, line, f, n, "%s: compound \"%s\" not found in your area",
				      x->hdr[IMP_COMPOUND], row->compound),
			       0;
		if (u < 0)
			return reject(x, line, f, n,
				      "%s: several compounds are named \"%s\"; give its code",
				      x->hdr[IMP_COMPOUND], row->compound),
			       0;
		unit = u;
		located = 1;
	}
	const char *ocode = NULL, *oname = NULL;
	if (row->origin) {
		rc = resolve_origin(x, row->origin, &ocode, &oname);
		if (rc < 0)
			return x->fatal = rc, 1;
		if (rc == 0)
			return reject(x, line, f, n,
				      "%s: \"%s\" is not a known place (a GB/T 2260 code or name)",
				      x->hdr[IMP_ORIGIN], row->origin),
			       0;
	}
	if (x->bulk) {
		/* A document nobody held before and no earlier row named: COPY.
		 * Anything else sees every earlier row: what is buffered goes
		 * first. */
		char dk[80];
		doc_key(dk, row);
		struct hent *e = hmap_find(&x->docs, dk);
		if (!e) {
			if (!hmap_put(&x->docs, &x->a, dk))
				return x->fatal = ERR_NOMEM, 1;
			return store_new(x, line, f, n, row, unit, located, ocode, oname);
		}
		/* The first row to meet someone registered uses what the look-up
		 * read; this row may change them, so later ones read again. */
		found = e->pf;
		e->pf = NULL;
		if ((rc = copy_flush(x)))
			return x->fatal = rc, 1;
		char pk[24];
		if (found)
			person_key(pk, found->id);
		if ((!found || hmap_find(&x->pend_persons, pk)) && (rc = pend_flush(x)))
			return x->fatal = rc, 1;
	}
	if (row->address && located) {
		char key[600];
		snprintf(key, sizeof key, "%lld\x1f%s", (long long)unit, row->address);
		if ((!row->p.name || !x->scope_is_root) && !hmap_find(&x->households, key)) {
			rc = precheck_person(x, row, line, f, n);
			if (rc)
				return rc < 0 ? (x->fatal = rc, 1) : 0;
		}
		if ((rc = household_of(x, unit, row->address, key, &hh, &fresh_hh)))
			return x->fatal = rc, 1;
	}
	row->p.unit_id = unit;
	row->p.household_id = hh;
	row->p.located = located;
	row->p.source = "import";
	row->p.source_id = x->res->batch_id;
	row->p.scope_unit_id = x->o->scope_unit_id;
	row->p.tally = x->tally;
	row->p.norm = &row->norm;
	row->p.found = found;
	/* What the list says, as a field write's sighting: seen by the
	 * importer, where the row places the person, now. */
	struct person_seen seen = {.seen_by = x->o->user_id,
				   .seen_unit_id = unit,
				   .at = x->now,
				   .origin_code = ocode,
				   .arrival_date = ocode ? row->arrival_date : NULL,
				   .mode = ocode ? row->mode : NULL};
	row->p.seen = &seen;
	int64_t pid = 0;
	int created = 0;
	rc = people_upsert(x->c, &row->p, x->now, &pid, &created, ei);
	if (rc == ERR_INVALID || rc == ERR_FORBIDDEN) {
		/* Refused before anything was written. */
		reject_field(x, line, f, n, ei);
		return 0;
	}
	if (rc)
		return x->fatal = rc, 1;
	if (seen.kind && (rc = to_confirm(x, line, &seen)))
		return x->fatal = rc, 1;
	if (seen.kind && fresh_hh) {
		/* The household made for this row, where the person did not
		 * go (they are another unit's, or registered elsewhere): an
		 * address known, nobody living there on record yet; the
		 * discrepancy points at it. */
		int64_t now_hh = 0;
		if (!seen.held &&
		    db_one_int(x->c, &now_hh, "SELECT household_id FROM persons WHERE id = $1", "i",
			       pid) < 0)
			return x->fatal = ERR_DB, 1;
		if (now_hh != hh &&
		    db_run(x->c,
			   "UPDATE households SET status = 'unknown' WHERE id = $1 AND members = 0",
			   "i", hh) < 0)
			return x->fatal = ERR_DB, 1;
	}
	if (seen.held)
		return 0; /* nothing of theirs is written here */
	if (created)
		x->res->created++;
	else
		x->res->updated++;
	if (row->address && !located &&
	    db_run(x->c,
		   "INSERT INTO person_facts(person_id, field, value, source, source_id, at)"
		   " VALUES ($1, 'address', $2, 'import', $3, $4)",
		   "itii", pid, row->address, x->res->batch_id, x->now) < 0)
		return x->fatal = ERR_DB, 1;
	if (ocode) {
		struct arrival_grade g;
		int64_t aid;
		rc = grade_of(x, ocode, oname, row->arrival_date, &g);
		if (!rc && x->bulk) {
			char pk[24];
			person_key(pk, pid);
			rc = people_arrivals_add(x->pend, pid, unit, &g, row->arrival_date, row->mode, ei);
			if (!rc && !hmap_put(&x->pend_persons, &x->wa, pk))
				rc = ERR_NOMEM;
		} else if (!rc) {
			rc = people_add_arrival_tallied(x->c, x->tally, pid, unit, &g,
							row->arrival_date, row->mode, "import",
							x->res->batch_id, x->now, &aid, ei);
		}
		if (rc)
			return x->fatal = rc < 0 ? rc : ERR_DB, 1;
	}
	return 0;
}

/* One data row, parsed here. */
static int data_row(struct imp *x, int line, char *const *f, size_t n)
{
	struct import_row row;
	struct err_info ei = {0};
	int rc = imports_parse_row(x->col, f, n, x->today, &row, &ei);
	return data_row_parsed(x, line, f, n, &row, rc, &ei);
}

/* ---------- PostgreSQL: windows, COPY ---------- */

/* The next id of pool p's table, drawing a block from its sequence when
 * the pool is empty. 0 with *id, or <0. */
static int take_id(struct imp *x, struct id_pool *p, int64_t *id)
{
	if (p->next == p->n) {
		if (!p->v && !(p->v = malloc(ID_BLOCK * sizeof *p->v)))
			return ERR_NOMEM;
		p->n = p->next = 0;
		struct dbq *q = db_query(x->c,
					 "SELECT nextval(q.s) FROM (SELECT CAST(pg_get_serial_sequence($1,"
					 " 'id') AS regclass) AS s) AS q, generate_series(1, $2)",
					 "ti", p->table, (int64_t)ID_BLOCK);
		if (!q)
			return ERR_DB;
		int rc;
		while ((rc = db_step(q)) == 1 && p->n < ID_BLOCK)
			p->v[p->n++] = db_int(q, 0);
		db_done(q);
		if (rc < 0)
			return rc;
		if (!p->n)
			return ERR_DB;
	}
	*id = p->v[p->next++];
	return 0;
}

/* Sends what the COPY buffers hold, parents before the rows that refer to
 * them. */
static int copy_flush(struct imp *x)
{
	struct db_copy *order[] = {x->cp_households, x->cp_persons, x->cp_facts, x->cp_arrivals};
	for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
		int rc = db_copy_send(x->c, order[i]);
		if (rc)
			return rc;
	}
	return 0;
}

/* Stores a row whose document nobody holds and no earlier row named, as
 * the one-by-one path would (household_of, people_upsert creating,
 * the unlocated address fact, people_add_arrival_graded), into the COPY
 * buffers. Returns non-zero to stop (x->fatal set). */
static int store_new(struct imp *x, int line, char *const *f, size_t n, struct import_row *row,
		     int64_t unit, int located, const char *ocode, const char *oname)
{
	struct err_info ei = {0};
	int rc;
	if (!row->p.name || !*row->p.name) {
		/* precheck_person's refusal, or people_upsert's, before any write */
		err_set(&ei, ERR_INVALID, "name", "is required for a new person");
		reject_field(x, line, f, n, &ei);
		return 0;
	}
	int64_t hh = 0, pid = 0;
	if (row->address && located) {
		char key[600];
		snprintf(key, sizeof key, "%lld\x1f%s", (long long)unit, row->address);
		struct hent *e = hmap_find(&x->households, key);
		if (e) {
			hh = e->v;
		} else {
			/* Not there when the window was looked up, nor made since. */
			if ((rc = take_id(x, &x->households_ids, &hh)))
				return x->fatal = rc, 1;
			db_copy_int(x->cp_households, hh);
			db_copy_int(x->cp_households, unit);
			db_copy_text(x->cp_households, row->address);
			db_copy_text(x->cp_households, "occupied");
			db_copy_int(x->cp_households, 0);
			db_copy_int(x->cp_households, x->now);
			db_copy_int(x->cp_households, x->now);
			db_copy_row_end(x->cp_households);
			if ((rc = people_tally_add(x->tally, unit, 1, 0)))
				return x->fatal = rc, 1;
			if (!(e = hmap_put(&x->households, &x->a, key)))
				return x->fatal = ERR_NOMEM, 1;
			e->v = hh;
		}
	}
	row->p.unit_id = unit;
	row->p.household_id = hh;
	row->p.located = located;
	row->p.source = "import";
	row->p.source_id = x->res->batch_id;
	row->p.scope_unit_id = x->o->scope_unit_id;
	row->p.tally = x->tally;
	row->p.norm = &row->norm;
	if ((rc = take_id(x, &x->persons_ids, &pid)) ||
	    (rc = people_copy_new(x->cp_persons, &row->p, pid, x->now)))
		return x->fatal = rc, 1;
	x->res->created++;
	if (row->address && !located) {
		db_copy_int(x->cp_facts, pid);
		db_copy_text(x->cp_facts, "address");
		db_copy_text(x->cp_facts, row->address);
		db_copy_text(x->cp_facts, "import");
		db_copy_id(x->cp_facts, x->res->batch_id);
		db_copy_int(x->cp_facts, x->now);
		db_copy_row_end(x->cp_facts);
	}
	if (ocode) {
		struct arrival_grade g;
		rc = grade_of(x, ocode, oname, row->arrival_date, &g);
		if (!rc)
			rc = people_copy_arrival(x->cp_arrivals, x->tally, pid, unit, &g, row->arrival_date,
						 row->mode, "import", x->res->batch_id, x->now, &ei);
		if (rc)
			return x->fatal = rc < 0 ? rc : ERR_DB, 1;
	}
	return 0;
}

/* Looks up the window's documents (found: imp.docs) and the households its
 * rows name (found: imp.households) in one statement each. */
static int window_lookup(struct imp *x)
{
	struct buf types = {0}, nums = {0}, units = {0}, addrs = {0};
	size_t nd = 0, nh = 0;
	for (size_t i = 0; i < x->win_n; i++) {
		struct win_row *w = &x->win[i];
		if (w->rc)
			continue;
		char dk[80];
		doc_key(dk, &w->row);
		if (!hmap_find(&x->docs, dk)) {
			/* Normalised numbers and the fixed types hold no line break. */
			buf_printf(&types, "%s%s", nd ? "\n" : "", w->row.p.doc_type);
			buf_printf(&nums, "%s%s", nd ? "\n" : "", w->row.norm.doc_number);
			nd++;
		}
		int64_t u = w->row.address && w->row.compound ? find_compound(x, w->row.compound) : 0;
		if (u > 0) {
			char key[600];
			snprintf(key, sizeof key, "%lld\x1f%s", (long long)u, w->row.address);
			if (!hmap_find(&x->households, key)) {
				/* An address is one line: parsing made line breaks spaces. */
				buf_printf(&units, "%s%lld", nh ? "\n" : "", (long long)u);
				buf_printf(&addrs, "%s%s", nh ? "\n" : "", w->row.address);
				nh++;
			}
		}
	}
	int rc = types.oom || nums.oom || units.oom || addrs.oom ? ERR_NOMEM : 0;
	struct dbq *q;
	if (!rc && nd) {
		/* One probe of the unique index per key: LIMIT keeps the
		 * lateral subquery from being made a join, which the planner,
		 * seeing the keys' count, would answer by hashing every person.
		 * Each found as people_find tells it (the record a merge kept,
		 * in_scope), for the row that meets them first. */
		q = db_query(x->c,
			     "SELECT k.t, k.n, s.id, s.name, s.phone, s.unit_id, s.household_id,"
			     " s.located, s.facts_implied, CASE WHEN $3 = 0 OR s.unit_id = $3 OR EXISTS"
			     " (SELECT 1 FROM unit_tree WHERE ancestor_id = $3 AND unit_id = s.unit_id)"
			     " THEN 1 ELSE 0 END FROM unnest(string_to_array($1, chr(10)),"
			     " string_to_array($2, chr(10))) AS k(t, n) CROSS JOIN LATERAL"
			     " (SELECT s.* FROM persons p JOIN persons s ON s.id = COALESCE(p.merged_into,"
			     " p.id) WHERE p.doc_type = k.t AND p.doc_number = k.n LIMIT 1) AS s",
			     "tti", buf_str(&types), buf_str(&nums), x->o->scope_unit_id);
		rc = q ? 0 : ERR_DB;
		while (!rc && (rc = db_step(q)) == 1) {
			char dk[80];
			snprintf(dk, sizeof dk, "%s\x1f%s", db_text(q, 0), db_text(q, 1));
			struct hent *e = hmap_put(&x->docs, &x->a, dk);
			struct person_found *pf = e ? arena_alloc(&x->a, sizeof *pf) : NULL;
			if (!pf) {
				rc = ERR_NOMEM;
				break;
			}
			pf->id = db_int(q, 2);
			snprintf(pf->name, sizeof pf->name, "%s", db_text(q, 3));
			snprintf(pf->phone, sizeof pf->phone, "%s", db_null(q, 4) ? "" : db_text(q, 4));
			pf->unit_id = db_int(q, 5);
			pf->household_id = db_null(q, 6) ? 0 : db_int(q, 6);
			pf->located = (int)db_int(q, 7);
			pf->implied = (int)db_int(q, 8);
			pf->in_scope = (int)db_int(q, 9);
			e->pf = pf;
			rc = 0;
		}
		db_done(q);
	}
	if (!rc && nh) {
		q = db_query(x->c,
			     "SELECT h.id, h.unit_id, h.address FROM unnest(CAST(string_to_array($1,"
			     " chr(10)) AS bigint[]), string_to_array($2, chr(10))) AS k(u, a)"
			     " CROSS JOIN LATERAL (SELECT id, unit_id, address FROM households"
			     " WHERE unit_id = k.u AND address = k.a LIMIT 1) AS h",
			     "tt", buf_str(&units), buf_str(&addrs));
		rc = q ? 0 : ERR_DB;
		while (!rc && (rc = db_step(q)) == 1) {
			char key[600];
			snprintf(key, sizeof key, "%lld\x1f%s", (long long)db_int(q, 1), db_text(q, 2));
			struct hent *e = hmap_put(&x->households, &x->a, key);
			if (e)
				e->v = db_int(q, 0);
			rc = e ? 0 : ERR_NOMEM;
		}
		db_done(q);
	}
	buf_free(&types);
	buf_free(&nums);
	buf_free(&units);
	buf_free(&addrs);
	return rc < 0 ? rc : 0;
}

/* Runs the rows of a full (or the last) window in order, then sends what
 * they buffered. Returns non-zero to stop (x->fatal set). */
static int window_run(struct imp *x)
{
	struct err_info ei = {0};
	for (size_t i = 0; i < x->win_n; i++) {
		struct win_row *w = &x->win[i];
		w->rc = imports_parse_row(x->col, w->f, w->n, x->today, &w->row, &ei);
	}
	int rc = window_lookup(x);
	if (rc)
		return x->fatal = rc, 1;
	for (size_t i = 0; i < x->win_n; i++) {
		struct win_row *w = &x->win[i];
		if (w->rc && w->rc != 1) /* the reason again: ei was not kept per row */
			imports_parse_row(x->col, w->f, w->n, x->today, &w->row, &ei);
		if (data_row_parsed(x, w->line, w->f, w->n, &w->row, w->rc, &ei))
			return 1;
	}
	if ((rc = copy_flush(x)) || (rc = pend_flush(x)))
		return x->fatal = rc, 1;
	x->win_n = 0;
	arena_free(&x->wa);
	return 0;
}

/* A data row into the window (its fields copied: the parser's are gone after
 * the call); a full window runs. */
static int window_add(struct imp *x, int line, char *const *f, size_t n)
{
	struct win_row *w = &x->win[x->win_n];
	w->line = line;
	w->n = n;
	if (!(w->f = arena_alloc(&x->wa, (n ? n : 1) * sizeof *w->f)))
		return x->fatal = ERR_NOMEM, 1;
	for (size_t i = 0; i < n; i++)
		if (!(w->f[i] = arena_strdup(&x->wa, f[i])))
			return x->fatal = ERR_NOMEM, 1;
	if (++x->win_n == WINDOW_ROWS)
		return window_run(x);
	return 0;
}

static int on_row(void *ctx, int line, char **f, size_t n)
{
	struct imp *x = ctx;
	if (!x->have_header)
		return header_row(x, f, n);
	if (x->bulk)
		return window_add(x, line, f, n);
	return data_row(x, line, f, n);
}

/* Sets up PostgreSQL's windows (x->bulk); 0 or ERR_NOMEM. */
static int bulk_open(struct imp *x)
{
	const char *rowwise = getenv("CORDON_IMPORT_ROWWISE");
	if (strcmp(db_backend(x->c), "postgresql") != 0 || (rowwise && strcmp(rowwise, "1") == 0))
		return 0;
	x->win = malloc(WINDOW_ROWS * sizeof *x->win);
	x->cp_households = db_copy_new("households(id, unit_id, address, status, members,"
				       " created_at, updated_at)");
	x->cp_persons = db_copy_new(PEOPLE_COPY_COLS);
	x->cp_facts = db_copy_new("person_facts(person_id, field, value, source, source_id, at)");
	x->cp_arrivals = db_copy_new(PEOPLE_COPY_ARRIVAL_COLS);
	x->pend = people_arrivals_new();
	x->persons_ids.table = "persons";
	x->households_ids.table = "households";
	x->bulk = 1;
	return x->win && x->cp_households && x->cp_persons && x->cp_facts && x->cp_arrivals &&
			       x->pend
		       ? 0
		       : ERR_NOMEM;
}

static void bulk_close(struct imp *x)
{
	free(x->win);
	arena_free(&x->wa);
	hmap_free(&x->docs);
	db_copy_free(x->cp_households);
	db_copy_free(x->cp_persons);
	db_copy_free(x->cp_facts);
	db_copy_free(x->cp_arrivals);
	people_arrivals_free(x->pend);
	hmap_free(&x->pend_persons);
	free(x->persons_ids.v);
	free(x->households_ids.v);
}

/* ---------- SQLite: indexes built after a long list ---------- */

/* The persons indexes no statement of the import reads (it finds persons by
 * document and by id): name, phone, last four, household. */
static const char *const deferred_indexes[] = {"persons_name", "persons_phone", "persons_last4",
						"persons_household"};

/* A list long against the registry (at least REBUILD_MIN_ROWS lines and as
 * many as the persons on record) is stored with the deferred indexes
 * dropped and then made again from the rows, sorted, in the same
 * transaction: an entry put into each of four b-trees at a random place per
 * row costs more than sorting them all once (620,623 rows into a fresh
 * database: 9.5 -> 6.4 s CPU, bench/import.sh), while for a short list
 * the rebuild would cost more than the entries. A failed import rolls the
 * drop back with everything else. CORDON_IMPORT_REBUILD_ROWS=N lowers the
 * length, a diagnostic for tests/api/import_paths.test.mjs. 0 or <0. */
static int defer_indexes(struct imp *x, const char *data, size_t len)
{
	const char *env = getenv("CORDON_IMPORT_REBUILD_ROWS");
	size_t min_rows = env && atoi(env) > 0 ? (size_t)atoi(env) : REBUILD_MIN_ROWS;
	size_t lines = 0;
	for (const char *p = data, *end = data + len; p < end && (p = memchr(p, '\n', (size_t)(end - p)));
	     p++)
		lines++;
	if (lines < min_rows)
		return 0;
	int64_t top = 0; /* the persons on record, about: the highest id, one probe */
	if (db_one_int(x->c, &top, "SELECT COALESCE(MAX(id), 0) FROM persons", "") < 0)
		return ERR_DB;
	if ((int64_t)lines < top)
		return 0;
	for (size_t i = 0; i < sizeof deferred_indexes / sizeof deferred_indexes[0]; i++) {
		struct dbq *q = db_query(x->c,
					 "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = $1"
					 " AND tbl_name = 'persons' AND sql IS NOT NULL",
					 "t", deferred_indexes[i]);
		if (!q)
			return ERR_DB;
		int rc = db_step(q);
		char *sql = rc == 1 ? strdup(db_text(q, 0)) : NULL;
		db_done(q);
		if (rc < 0)
			return rc;
		if (rc == 0)
			continue; /* not in this schema */
		if (!sql)
			return ERR_NOMEM;
		x->rebuild[x->nrebuild++] = sql;
		char drop[64];
		snprintf(drop, sizeof drop, "DROP INDEX %s", deferred_indexes[i]);
		if (db_exec(x->c, drop))
			return ERR_DB;
	}
	return 0;
}

/* Makes the dropped indexes again (all == 0: frees what is kept only). */
static int rebuild_indexes(struct imp *x, int all)
{
	int rc = 0;
	for (int i = 0; i < x->nrebuild; i++) {
		if (all && !rc && db_exec(x->c, x->rebuild[i]))
			rc = ERR_DB;
		free(x->rebuild[i]);
	}
	x->nrebuild = 0;
	return rc;
}

/* 1 when the bytes cannot be CSV text: NUL bytes (a spreadsheet or an
 * archive, not its CSV export). */
static int binary(const char *data, size_t len)
{
	return memchr(data, 0, len) != NULL;
}

int imports_persons_csv(struct dbc *c, const struct imports_opts *o, const char *data,
			size_t len, struct imports_result *res, struct err_info *ei)
{
	memset(res, 0, sizeof *res);
	if (!o->source || !text_ok(o->source, 64))
		return err_set(ei, ERR_INVALID, "source", "must be 1 to 64 characters");
	if (!len)
		return err_set(ei, ERR_INVALID, "body", "the file is empty");
	if (binary(data, len))
		return err_set(ei, ERR_INVALID, "body",
			       "is not CSV text (it holds NUL bytes; save the sheet as CSV)");
	struct imp x = {.c = c, .o = o, .res = res, .ei = ei, .enc = "utf-8"};
	x.max_rejects = o->max_rejects ? o->max_rejects : 10000;
	x.now = clock_now();
	clock_day(x.now, x.today);
	x.next_progress = PROGRESS_EVERY;
	res->rejects = json_array();
	res->to_confirm = json_array();
	x.tally = people_tally_new();
	if (!res->rejects || !res->to_confirm || !x.tally) {
		json_decref(res->rejects);
		json_decref(res->to_confirm);
		people_tally_free(x.tally);
		return err_set(ei, ERR_NOMEM, "", "out of memory");
	}
	/* SQLite: a page cache large enough for the indexes a big list touches
	 * at random places (document, name, phone) and for what the import
	 * writes beside the persons (households, arrivals, the persons it
	 * updates), for this import only. A cache too small for the pages one
	 * transaction changes makes SQLite spill them to the WAL before the
	 * commit and write them again at it: 620,623 rows (bench/import.sh)
	 * change about 300 MiB of pages. */
	int64_t old_cache = 0;
	int sqlite = strcmp(db_backend(c), "sqlite") == 0;
	if (sqlite && (db_one_int(c, &old_cache, "PRAGMA cache_size", "") != 1 ||
		       db_exec(c, "PRAGMA cache_size = -" IMPORT_CACHE_KIB)))
		old_cache = 0;
	char msg[200];
	int rc = bulk_open(&x);
	if (!rc && sqlite && !x.bulk)
		rc = defer_indexes(&x, data, len);
	if (rc) {
		x.fatal = rc;
	} else {
		rc = csvx_parse(data, len, on_row, &x, &x.enc, msg, sizeof msg);
		/* The last window; csvx_parse's own failures leave it unrun (the
		 * import fails as a whole). */
		if (!rc && x.bulk && x.win_n)
			window_run(&x);
		if (!rc && x.bulk && !x.fatal && (rc = copy_flush(&x)))
			x.fatal = rc;
	}
	res->encoding = x.enc;
	if (x.fatal)
		rc = err_set(ei, x.fatal, "", "storage failed during the import");
	else if (rc == 1)
		rc = ERR_INVALID; /* ei filled by header_row */
	else if (rc)
		rc = err_set(ei, ERR_INVALID, "body", "%s", msg);
	else if (!x.have_header)
		rc = err_set(ei, ERR_INVALID, "body", "%s", imports_expected_columns());
	if (!rc && x.rejects_csv.oom)
		rc = err_set(ei, ERR_NOMEM, "", "out of memory");
	if (rebuild_indexes(&x, !rc) && !rc)
		rc = err_set(ei, ERR_DB, "", "storage failed during the import");
	if (!rc && (rc = x.bulk ? people_tally_flush_bulk(c, x.tally) : people_tally_flush(c, x.tally)))
		err_set(ei, rc, "", "storage failed during the import");
	if (!rc) {
		int64_t n = db_run(c,
				   "UPDATE import_batches SET created = $2, updated = $3, rejected = $4,"
				   " rejects_csv = $5 WHERE id = $1",
				   "iiiit", res->batch_id, res->created, res->updated, res->rejected,
				   res->rejected ? buf_str(&x.rejects_csv) : NULL);
		if (n < 0)
			rc = err_set(ei, (int)n, "", "storage failed during the import");
	}
	if (sqlite && old_cache) {
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA cache_size = %lld", (long long)old_cache);
		db_exec(c, sql);
	}
	buf_free(&x.rejects_csv);
	hmap_free(&x.compounds);
	hmap_free(&x.households);
	hmap_free(&x.origins);
	hmap_free(&x.grades);
	bulk_close(&x);
	people_tally_free(x.tally);
	arena_free(&x.a);
	if (rc) {
		json_decref(res->rejects);
		json_decref(res->to_confirm);
		res->rejects = res->to_confirm = NULL;
	}
	return rc;
}

/* ---------- handlers ---------- */

static int content_type_ok(const char *ct)
{
	static const char *const ok[] = {"text/csv", "text/plain", "application/csv",
					 "application/vnd.ms-excel"};
	if (!ct)
		return 0;
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		size_t n = strlen(ok[i]);
		if (strncasecmp(ct, ok[i], n) == 0 && (ct[n] == 0 || ct[n] == ';' || ct[n] == ' '))
			return 1;
	}
	return 0;
}

static int import_persons(struct req *r)
{
	if (!content_type_ok(req_header(r, "Content-Type")))
		return err_set(&r->err, ERR_INVALID, "Content-Type", "must be text/csv");
	const char *source = req_query(r, "source");
	const char *filename = req_query(r, "filename");
	if (!source || !*source)
		source = "upload";
	if (!text_ok(source, 64))
		return err_set(&r->err, ERR_INVALID, "source", "must be 1 to 64 characters");
	if (filename && (!*filename || !text_ok(filename, 128)))
		return err_set(&r->err, ERR_INVALID, "filename", "must be 1 to 128 characters");
	if (!r->body_len)
		return err_set(&r->err, ERR_INVALID, "body", "the file is empty");
	if (binary(r->body, r->body_len))
		return err_set(&r->err, ERR_INVALID, "body",
			       "is not CSV text (it holds NUL bytes; save the sheet as CSV)");
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	struct imports_opts o = {.scope_unit_id = r->who.scope_unit_id,
				 .user_id = r->who.user_id,
				 .source = source,
				 .filename = filename};
	struct imports_result res;
	int rc = imports_persons_csv(c, &o, r->body, r->body_len, &res, &r->err);
	if (rc)
		return rc;
	req_audit_record(r, "import_batch", res.batch_id);
	r->audit_detail = arena_printf(
		&r->arena,
		"persons from %s: created %lld, updated %lld, rejected %lld, to confirm %lld"
		" (held %lld)",
		source, (long long)res.created, (long long)res.updated, (long long)res.rejected,
		(long long)res.discrepancies, (long long)res.held);
	return resp_json(r, 200,
			 json_pack("{s:I,s:s,s:s,s:I,s:I,s:I,s:I,s:o,s:I,s:I,s:o}", "batch_id",
				   (json_int_t)res.batch_id, "source", source, "encoding",
				   res.encoding, "rows", (json_int_t)res.rows, "created",
				   (json_int_t)res.created, "updated", (json_int_t)res.updated,
				   "rejected", (json_int_t)res.rejected, "rejects", res.rejects,
				   "held", (json_int_t)res.held, "discrepancies",
				   (json_int_t)res.discrepancies, "to_confirm", res.to_confirm));
}

static json_t *batch_row(struct dbq *q)
{
	return json_pack("{s:I,s:I,s:s,s:s,s:s,s:o,s:s,s:I,s:I,s:I,s:o,s:o,s:I}", "id",
			 (json_int_t)db_int(q, 0), "unit_id", (json_int_t)db_int(q, 1), "unit_name",
			 db_text(q, 2), "kind", db_text(q, 3), "source", db_text(q, 4), "filename",
			 jx_text_or_null(db_text(q, 5)), "encoding", db_text(q, 6), "created",
			 (json_int_t)db_int(q, 7), "updated", (json_int_t)db_int(q, 8), "rejected",
			 (json_int_t)db_int(q, 9), "created_by", jx_col_int(q, 10),
			 "created_by_name", jx_text_or_null(db_text(q, 11)), "created_at",
			 (json_int_t)db_int(q, 12));
}

static const struct list_col batch_export[] = {
	{"id", "批次"},          {"unit_name", "单位"},      {"source", "来源"},
	{"filename", "文件名"},  {"encoding", "编码"},       {"created", "新增"},
	{"updated", "更新"},     {"rejected", "退回"},       {"created_by_name", "导入人"},
	{"created_at", "导入时间"}, {0, 0},
};

static int list_batches(struct req *r)
{
	struct page pg;
	int rc = req_page(r, &pg);
	if (rc)
		return rc;
	const char *kind = req_query(r, "kind");
	if (kind && *kind && strcmp(kind, "persons") != 0)
		return err_set(&r->err, ERR_INVALID, "kind", "must be persons");
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	static const char sql[] =
		"SELECT b.id, b.unit_id, u.name, b.kind, b.source, b.filename, b.encoding,"
		" b.created, b.updated, b.rejected, b.created_by, us.name, b.created_at"
		" FROM import_batches b JOIN units u ON u.id = b.unit_id"
		" LEFT JOIN users us ON us.id = b.created_by"
		" WHERE " SCOPE_SQL("b.unit_id", "1") " AND ($2 = 0 OR b.id < $2)"
		" ORDER BY b.id DESC LIMIT $3";
	struct dbq *q = db_query(c, sql, "iii", r->who.scope_unit_id, pg.after, pg.limit + 1);
	return resp_query_list(r, &pg, q, batch_row, batch_export, "imports");
}

static int batch_rejects(struct req *r)
{
	int64_t id;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	struct dbq *q = db_query(c, "SELECT unit_id, rejects_csv FROM import_batches WHERE id = $1",
				 "i", id);
	if (!q)
		return ERR_DB;
	rc = db_step(q);
	if (rc != 1) {
		db_done(q);
		return rc < 0 ? rc : err_set(&r->err, ERR_NOT_FOUND, "id", "no such import");
	}
	int64_t unit = db_int(q, 0);
	const char *t = db_text(q, 1);
	char *data = strdup(t ? t : "\xEF\xBB\xBFline,reason\r\n");
	db_done(q);
	if (!data)
		return err_set(&r->err, ERR_NOMEM, "", "out of memory");
	if ((rc = scope_check(r, unit, 0, "import"))) {
		free(data);
		return rc;
	}
	r->filename = arena_printf(&r->arena, "import-%lld-rejects.csv", (long long)id);
	return resp_raw(r, 200, "text/csv; charset=utf-8", data, strlen(data));
}
