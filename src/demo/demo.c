/* The demo district builder (`cordon demo`): Jinfeng District (金凤区, 640106)
 * with its 6 sub-districts and 2 towns, about 100 communities and villages,
 * about 1,000 compounds (a third without a property company), the command
 * structure of DOMAIN.md §1 (8 working groups, 36 county-level leaders, 44
 * responsible units and their assignments) and one account per role. Every
 * choice comes from one PRNG seeded by the caller, so a seed always builds
 * the same district. The build is a sequence of steps over a shared context
 * (struct demo), all in one write transaction; a later feature adds its
 * records as another step after the ones it depends on. */
#include "demo.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "../base/clock.h"
#include "../http/auth.h"
#include "../feature/areas.h"
#include "../feature/fevers.h"
#include "demo_names.h"
#include "../feature/units.h"

#define DEMO_DISTRICT_CODE "640106"
#define DEMO_DISTRICT_NAME "金凤区"
#define DEMO_MAX_COMMS 200
#define DEMO_MAX_COMPOUNDS 2400
#define DEMO_BUILDING_COMPOUNDS 10 /* the first compounds get buildings */
#define DEMO_BUILDINGS_EACH 6
#define NAME_MAX_BYTES 96

/* ---- scale (`cordon demo --scale N`) ---- */

static int scale_n = 1;

void demo_set_scale(int n)
{
	scale_n = n < 1 ? 1 : n > 100 ? 100 : n;
}

int demo_scale(void)
{
	return scale_n;
}

/* ---- deterministic random numbers (splitmix64) ---- */

static uint64_t rng_next(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

/* Uniform in [0, n); n > 0. The modulo bias is far below anything visible. */
static int rng_below(uint64_t *s, int n)
{
	return (int)(rng_next(s) % (uint64_t)n);
}

/* 1 with probability pct / 100. */
static int rng_pct(uint64_t *s, int pct)
{
	return rng_below(s, 100) < pct;
}

static void rng_shuffle(uint64_t *s, int *a, int n)
{
	for (int i = n - 1; i > 0; i--) {
		int j = rng_below(s, i + 1);
		int t = a[i];
		a[i] = a[j];
		a[j] = t;
	}
}

#define PICK(s, arr) ((arr)[rng_below((s), DN_COUNT(arr))])

/* ---- a set of names (open addressing; owner frees with nameset_free) ---- */

struct nameset {
	char (*slot)[NAME_MAX_BYTES];
	size_t cap; /* a power of two */
	size_t n;
};

static int nameset_init(struct nameset *ns, size_t cap)
{
	ns->slot = calloc(cap, sizeof *ns->slot);
	ns->cap = cap;
	ns->n = 0;
	return ns->slot ? 0 : ERR_NOMEM;
}

static void nameset_free(struct nameset *ns)
{
	free(ns->slot);
	ns->slot = NULL;
}

static size_t nameset_find(const struct nameset *ns, const char *s)
{
	uint64_t h = UINT64_C(1469598103934665603);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		h = (h ^ *p) * UINT64_C(1099511628211);
	size_t i = (size_t)h & (ns->cap - 1);
	while (ns->slot[i][0] && strcmp(ns->slot[i], s) != 0)
		i = (i + 1) & (ns->cap - 1);
	return i;
}

static int nameset_has(const struct nameset *ns, const char *s)
{
	return ns->slot[nameset_find(ns, s)][0] != 0;
}

/* Adds s; 1 if added, 0 if it was there (or the set is full or s too long). */
static int nameset_add(struct nameset *ns, const char *s)
{
	if (!*s || strlen(s) >= NAME_MAX_BYTES || ns->n * 2 >= ns->cap)
		return 0;
	size_t i = nameset_find(ns, s);
	if (ns->slot[i][0])
		return 0;
	memcpy(ns->slot[i], s, strlen(s) + 1);
	ns->n++;
	return 1;
}

/* ---- the build context ---- */

struct demo_unit {
	int64_t id;
	int parent;	 /* index into the parent level's array */
	int has_company; /* compounds: 0 for 无物业小区 */
	char code[32];
	char name[NAME_MAX_BYTES];
};

struct demo {
	struct dbc *c;
	uint64_t rng;
	int64_t now;
	int64_t set_up; /* when the command was formed: its records date from then */
	FILE *progress;
	struct err_info *ei;
	struct nameset unit_names;   /* community, village and compound names */
	struct nameset people_names; /* leaders' and accounts' names */

	int64_t district;
	struct demo_unit towns[DN_COUNT(dn_towns)];
	struct demo_unit *comms; /* communities and villages; parent: towns[] */
	int ncomms, nvillages;
	struct demo_unit *compounds; /* parent: comms[] */
	int ncompounds, nno_company, nbuildings;
	char companies[40][NAME_MAX_BYTES];

	int64_t groups[DN_COUNT(dn_groups)];
	int64_t leaders[DN_COUNT(dn_leader_titles)];
	char leader_name[DN_COUNT(dn_leader_titles)][32];
	char leader_phone[DN_COUNT(dn_leader_titles)][16];
	int64_t orgs[DN_COUNT(dn_resp_orgs)];
	int nassign;
	int naccounts;
	/* PostgreSQL: the units go by COPY with ids drawn from their sequence
	 * in blocks, unit_tree after them in one statement (1,228 units cost
	 * 3,700 round trips, 11 s at load 7, inserted one by one). */
	struct db_copy *cp_units;
	int64_t uid[512];
	int nuid, uid_next;
	int64_t first_uid;
};

static int fail(struct demo *d, int rc, const char *what)
{
	return err_set(d->ei, rc < 0 ? rc : ERR_DB, "", "%s: %s", what, db_errmsg(d->c));
}

/* Writes n with thousands separators ("1,169"). */
static const char *fmt_count(int64_t n, char buf[32])
{
	char raw[24];
	int len = snprintf(raw, sizeof raw, "%" PRId64, n < 0 ? -n : n);
	char *o = buf;
	if (n < 0)
		*o++ = '-';
	for (int i = 0; i < len; i++) {
		*o++ = raw[i];
		if ((len - 1 - i) % 3 == 0 && i != len - 1)
			*o++ = ',';
	}
	*o = 0;
	return buf;
}

/* A plausible Chinese name, unique among the demo's people. */
static void person_name(struct demo *d, char out[32])
{
	for (int tries = 0;; tries++) {
		const char *g1 = PICK(&d->rng, dn_given_chars);
		int two = rng_pct(&d->rng, 65);
		snprintf(out, 32, "%s%s%s", PICK(&d->rng, dn_surnames), g1,
			 two ? PICK(&d->rng, dn_given_chars) : "");
		if (nameset_add(&d->people_names, out) || tries > 200)
			return;
	}
}

/* A mobile number matching ^1[3-9][0-9]{9}$. */
static void phone_number(struct demo *d, char out[16])
{
	static const char *const pre[] = {"139", "138", "137", "136", "135", "150", "151",
					  "152", "158", "159", "180", "181", "186", "187",
					  "188", "189", "133", "153", "177", "199"};
	snprintf(out, 16, "%s%08d", PICK(&d->rng, pre), rng_below(&d->rng, 100000000));
}

/* ---- step 1: units ---- */

/* A child's code: the parent's and three digits (statistical-style). */
static void child_code(char out[32], const char *parent, int n)
{
	snprintf(out, 32, "%.24s%03d", parent, n % 1000);
}

static int add_unit(struct demo *d, int64_t parent, const char *kind, const char *code,
		    const char *name, const char *company, int64_t *id)
{
	if (!d->cp_units) {
		int rc = units_insert(d->c, parent, kind, code, name, company, id);
		return rc ? fail(d, rc, "units") : 0;
	}
	/* units_insert's row, unit_tree made by units_flush */
	if (d->uid_next == d->nuid) {
		struct dbq *q = db_query(d->c,
					 "SELECT nextval(pg_get_serial_sequence('units', 'id'))"
					 " FROM generate_series(1, $1)",
					 "i", (int64_t)DN_COUNT(d->uid));
		int rc = q ? 0 : ERR_DB;
		d->nuid = d->uid_next = 0;
		while (!rc && (rc = db_step(q)) == 1 && d->nuid < DN_COUNT(d->uid)) {
			d->uid[d->nuid++] = db_int(q, 0);
			rc = 0;
		}
		db_done(q);
		if (rc < 0 || !d->nuid)
			return fail(d, rc < 0 ? rc : ERR_DB, "unit ids");
	}
	*id = d->uid[d->uid_next++];
	if (!d->first_uid)
		d->first_uid = *id;
	struct db_copy *b = d->cp_units;
	db_copy_int(b, *id);
	db_copy_id(b, parent);
	db_copy_text(b, kind);
	db_copy_text(b, code);
	db_copy_text(b, name);
	db_copy_text(b, company);
	db_copy_int(b, d->now);
	db_copy_int(b, d->now);
	db_copy_row_end(b);
	return 0;
}

/* Sends the units made by COPY and their unit_tree rows: each unit itself
 * at depth 0 and every unit above it, as units_insert writes them. */
static int units_flush(struct demo *d)
{
	if (!d->cp_units || !d->first_uid)
		return 0;
	int rc = db_copy_send(d->c, d->cp_units);
	if (rc)
		return fail(d, rc, "units");
	int64_t n = db_run(d->c,
			   "INSERT INTO unit_tree(ancestor_id, unit_id, depth)"
			   " WITH RECURSIVE t(ancestor_id, unit_id, depth) AS ("
			   " SELECT id, id, 0 FROM units WHERE id >= $1"
			   " UNION ALL SELECT u.parent_id, t.unit_id, t.depth + 1 FROM t"
			   " JOIN units u ON u.id = t.ancestor_id WHERE u.parent_id IS NOT NULL)"
			   " SELECT ancestor_id, unit_id, depth FROM t ORDER BY unit_id, depth",
			   "i", d->first_uid);
	return n < 0 ? fail(d, (int)n, "unit_tree") : 0;
}

/* 1 when the last character of a ends the way b starts ("凤凰城" + "城"). */
static int stutters(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t n = 3; /* one CJK character in UTF-8 */
	return la >= n && lb >= n && memcmp(a + la - n, b, n) == 0;
}

/* A compound's base name not yet used in the district. village: the stem of
 * a village for rural names, or NULL. */
static void compound_base(struct demo *d, const char *village, char out[NAME_MAX_BYTES])
{
	static const char *const rural[] = {"新村", "安置小区", "移民新村", "家园", "花园"};
	for (int tries = 0; tries < 200; tries++) {
		if (village && rng_pct(&d->rng, 35))
			snprintf(out, NAME_MAX_BYTES, "%s%s", village, PICK(&d->rng, rural));
		else if (rng_pct(&d->rng, 8))
			snprintf(out, NAME_MAX_BYTES, "%s", PICK(&d->rng, dn_compound_whole));
		else {
			const char *p = PICK(&d->rng, dn_compound_prefixes);
			const char *s = PICK(&d->rng, dn_compound_suffixes);
			if (stutters(p, s))
				continue;
			snprintf(out, NAME_MAX_BYTES, "%s%s", p, s);
		}
		if (!nameset_has(&d->unit_names, out))
			return;
	}
	/* practically unreachable: the lists allow thousands of names */
	snprintf(out, NAME_MAX_BYTES, "%s%d号院", PICK(&d->rng, dn_compound_prefixes),
		 d->ncompounds + 1);
}

static int add_compound(struct demo *d, int comm, const char *name, const char *company)
{
	if (d->ncompounds >= DEMO_MAX_COMPOUNDS)
		return err_set(d->ei, ERR_INTERNAL, "", "too many compounds");
	struct demo_unit *p = &d->comms[comm];
	struct demo_unit *u = &d->compounds[d->ncompounds];
	int seq = 0;
	for (int i = d->ncompounds - 1; i >= 0 && d->compounds[i].parent == comm; i--)
		seq++;
	child_code(u->code, p->code, seq + 1);
	snprintf(u->name, sizeof u->name, "%s", name);
	u->parent = comm;
	u->has_company = company != NULL;
	nameset_add(&d->unit_names, name);
	int rc = add_unit(d, p->id, "compound", u->code, u->name, company, &u->id);
	if (rc)
		return rc;
	d->ncompounds++;
	d->nno_company += company == NULL;
	return 0;
}

/* The compounds of one community or village: a target count, some of them
 * phases of one development (阅海万家A区, B区 ...) sharing a company. */
static int demo_compounds_of(struct demo *d, int comm, const char *village_stem)
{
	int village = village_stem != NULL;
	int target = village ? 3 + rng_below(&d->rng, 4) : 8 + rng_below(&d->rng, 6);
	int made = 0;
	while (made < target) {
		char base[NAME_MAX_BYTES], name[NAME_MAX_BYTES];
		compound_base(d, village_stem, base);
		int left = target - made;
		int phases = 1;
		if (left >= 2 && rng_pct(&d->rng, 12))
			phases = left >= 3 && rng_pct(&d->rng, 40) ? 3 : 2;
		/* "..小区" and "..西区" take 一期/二期, not a second 区 */
		size_t bl = strlen(base);
		int ends_qu = bl >= 3 && strcmp(base + bl - 3, "区") == 0;
		int set_i = rng_below(&d->rng, DN_COUNT(dn_phase_sets));
		const char *const *set = dn_phase_sets[ends_qu ? 1 : set_i];
		const char *company = rng_pct(&d->rng, village ? 70 : 30)
					      ? NULL
					      : d->companies[rng_below(&d->rng, DN_COUNT(d->companies))];
		if (phases > 1) {
			int clash = 0;
			for (int k = 0; k < phases; k++) {
				snprintf(name, sizeof name, "%s%s", base, set[k]);
				clash |= nameset_has(&d->unit_names, name);
			}
			if (clash)
				phases = 1;
		}
		for (int k = 0; k < phases; k++) {
			if (phases > 1)
				snprintf(name, sizeof name, "%s%s", base, set[k]);
			else
				snprintf(name, sizeof name, "%s", base);
			int rc = add_compound(d, comm, name, company);
			if (rc)
				return rc;
		}
		made += phases;
	}
	return 0;
}

static void make_companies(struct demo *d)
{
	struct nameset seen;
	int have_set = nameset_init(&seen, 256) == 0;
	for (int i = 0; i < DN_COUNT(d->companies); i++) {
		for (int tries = 0; tries < 50; tries++) {
			snprintf(d->companies[i], sizeof d->companies[i], "%s%s%s",
				 PICK(&d->rng, dn_company_regions), PICK(&d->rng, dn_company_words),
				 PICK(&d->rng, dn_company_kinds));
			if (!have_set || nameset_add(&seen, d->companies[i]))
				break;
		}
	}
	if (have_set)
		nameset_free(&seen);
}

/* The district, its sub-districts and towns, their communities (sub-
 * districts) and villages (towns), the compounds, and a few buildings. */
static int demo_units(struct demo *d)
{
	int rc = add_unit(d, 0, "district", DEMO_DISTRICT_CODE, DEMO_DISTRICT_NAME, NULL,
			  &d->district);
	if (rc)
		return rc;
	make_companies(d);

	int comm_order[DN_COUNT(dn_community_stems)];
	for (int i = 0; i < DN_COUNT(comm_order); i++)
		comm_order[i] = i;
	rng_shuffle(&d->rng, comm_order, DN_COUNT(comm_order));
	/* villages: the towns' namesakes first, then the rest shuffled */
	int vil_order[DN_COUNT(dn_village_stems)];
	for (int i = 0; i < DN_COUNT(vil_order); i++)
		vil_order[i] = i;
	rng_shuffle(&d->rng, vil_order + 2, DN_COUNT(vil_order) - 2);
	int next_comm = 0, next_vil = 2, ntown = 0;

	for (int t = 0; t < DN_COUNT(dn_towns); t++) {
		struct demo_unit *tw = &d->towns[t];
		child_code(tw->code, DEMO_DISTRICT_CODE, t + 1);
		snprintf(tw->name, sizeof tw->name, "%s", dn_towns[t].name);
		if ((rc = add_unit(d, d->district, dn_towns[t].kind, tw->code, tw->name, NULL,
				   &tw->id)))
			return rc;
		int is_town = strcmp(dn_towns[t].kind, "town") == 0;
		int n = is_town ? 7 + rng_below(&d->rng, 3) : 13 + rng_below(&d->rng, 4);
		for (int k = 0; k < n; k++) {
			if (d->ncomms >= DEMO_MAX_COMMS || next_vil >= DN_COUNT(vil_order) ||
			    next_comm >= DN_COUNT(comm_order))
				return err_set(d->ei, ERR_INTERNAL, "", "demo name lists too short");
			const char *stem;
			if (is_town)
				stem = dn_village_stems[k == 0 ? ntown : vil_order[next_vil++]];
			else
				stem = dn_community_stems[comm_order[next_comm++]];
			struct demo_unit *u = &d->comms[d->ncomms];
			u->parent = t;
			child_code(u->code, tw->code, is_town ? 200 + k + 1 : k + 1);
			snprintf(u->name, sizeof u->name, "%s%s", stem, is_town ? "村" : "社区");
			nameset_add(&d->unit_names, u->name);
			if ((rc = add_unit(d, tw->id, is_town ? "village" : "community", u->code,
					   u->name, NULL, &u->id)))
				return rc;
			int idx = d->ncomms++;
			d->nvillages += is_town;
			if ((rc = demo_compounds_of(d, idx, is_town ? stem : NULL)))
				return rc;
		}
		ntown += is_town;
	}

	for (int i = 0; i < DEMO_BUILDING_COMPOUNDS && i < d->ncompounds; i++) {
		for (int b = 1; b <= DEMO_BUILDINGS_EACH; b++) {
			char code[32], name[32];
			int64_t id;
			child_code(code, d->compounds[i].code, b);
			snprintf(name, sizeof name, "%d号楼", b);
			if ((rc = add_unit(d, d->compounds[i].id, "building", code, name, NULL, &id)))
				return rc;
			d->nbuildings++;
		}
	}

	if (d->progress) {
		char a[32], b[32], c[32];
		int nsub = 0;
		for (int t = 0; t < DN_COUNT(dn_towns); t++)
			nsub += strcmp(dn_towns[t].kind, "subdistrict") == 0;
		fprintf(d->progress,
			"units: %s (1 district, %d sub-districts, %d towns, %d communities, "
			"%d villages, %s compounds of which %s without a property company, "
			"%d buildings)\n",
			fmt_count(1 + DN_COUNT(dn_towns) + d->ncomms + d->ncompounds + d->nbuildings, a),
			nsub, DN_COUNT(dn_towns) - nsub, d->ncomms - d->nvillages, d->nvillages,
			fmt_count(d->ncompounds, b), fmt_count(d->nno_company, c), d->nbuildings);
	}
	return 0;
}

/* ---- step 2: the command structure (DOMAIN.md §1) ---- */

static int insert_id(struct demo *d, struct dbq *q, int64_t *id, const char *what)
{
	if (!q)
		return fail(d, ERR_DB, what);
	int rc = db_step(q);
	if (rc == 1)
		*id = db_int(q, 0);
	db_done(q);
	return rc == 1 ? 0 : fail(d, rc, what);
}

static int assign(struct demo *d, int64_t unit, int64_t leader, int64_t org)
{
	static const char sql[] = "INSERT INTO assignments(unit_id, leader_id, org_id, note, created_at)"
				  " VALUES ($1, $2, $3, $4, $5)";
	int64_t n = db_run(d->c, sql, "IIIni", unit, leader, org, d->set_up);
	if (n < 0)
		return fail(d, (int)n, "assignments");
	d->nassign++;
	return 0;
}

/* Leaders assigned to towns and communities: each town or sub-district gets
 * one or two, every other leader one or two communities or villages; the
 * responsible units share the communities and villages between them, each
 * taking 2-3 neighbouring ones, so every community and village has one. */
static int demo_assignments(struct demo *d)
{
	int nl = DN_COUNT(dn_leader_titles), no = DN_COUNT(dn_resp_orgs), rc;
	int lorder[DN_COUNT(dn_leader_titles)];
	for (int i = 0; i < nl; i++)
		lorder[i] = i;
	rng_shuffle(&d->rng, lorder, nl);
	int k = 0;
	for (int t = 0; t < DN_COUNT(dn_towns); t++) {
		int n = 1 + rng_pct(&d->rng, 50);
		for (int j = 0; j < n && k < nl; j++)
			if ((rc = assign(d, d->towns[t].id, d->leaders[lorder[k++]], 0)))
				return rc;
	}
	int *corder = malloc(sizeof *corder * (size_t)d->ncomms);
	if (!corder)
		return err_set(d->ei, ERR_NOMEM, "", "out of memory");
	for (int i = 0; i < d->ncomms; i++)
		corder[i] = i;
	rng_shuffle(&d->rng, corder, d->ncomms);
	int cp = 0;
	rc = 0;
	for (; k < nl && !rc; k++) {
		int n = 1 + rng_pct(&d->rng, 35);
		for (int j = 0; j < n && j < d->ncomms && !rc; j++)
			rc = assign(d, d->comms[corder[cp++ % d->ncomms]].id, d->leaders[lorder[k]], 0);
	}
	free(corder);
	if (rc)
		return rc;

	int oorder[DN_COUNT(dn_resp_orgs)];
	for (int i = 0; i < no; i++)
		oorder[i] = i;
	rng_shuffle(&d->rng, oorder, no);
	/* contiguous runs of communities (they are in town order) */
	int c = 0;
	for (int i = 0; i < no; i++) {
		int share = d->ncomms / no + (i < d->ncomms % no);
		int64_t org = d->orgs[oorder[i]];
		for (int j = 0; j < share; j++)
			if ((rc = assign(d, d->comms[c++].id, 0, org)))
				return rc;
		if (share < 2 && d->ncomms >= 2) { /* fewer communities than 2 per unit */
			int extra = rng_below(&d->rng, d->ncomms);
			if (share == 1 && d->comms[extra].id == d->comms[c - 1].id)
				extra = (extra + 1) % d->ncomms;
			if ((rc = assign(d, d->comms[extra].id, 0, org)))
				return rc;
		}
	}
	return 0;
}

static int demo_command(struct demo *d)
{
	static const char sql_group[] =
		"INSERT INTO working_groups(unit_id, code, name, duties, sort, created_at)"
		" VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
	static const char sql_leader[] =
		"INSERT INTO leaders(unit_id, name, title, phone, group_id, created_at)"
		" VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
	static const char sql_head[] = "UPDATE working_groups SET leader_id = $1 WHERE id = $2";
	static const char sql_org[] = "INSERT INTO resp_orgs(unit_id, name, created_at)"
				      " VALUES ($1, $2, $3) RETURNING id";
	int rc;
	for (int g = 0; g < DN_COUNT(dn_groups); g++) {
		char code[16];
		snprintf(code, sizeof code, "G%d", g + 1);
		if ((rc = insert_id(d,
				    db_query(d->c, sql_group, "itttii", d->district, code,
					     dn_groups[g].name, dn_groups[g].duties, (int64_t)(g + 1),
					     d->set_up),
				    &d->groups[g], "working_groups")))
			return rc;
	}
	for (int i = 0; i < DN_COUNT(d->leaders); i++) {
		person_name(d, d->leader_name[i]);
		phone_number(d, d->leader_phone[i]);
		int g = dn_leader_group[i];
		if ((rc = insert_id(d,
				    db_query(d->c, sql_leader, "itttIi", d->district, d->leader_name[i],
					     dn_leader_titles[i], d->leader_phone[i],
					     g >= 0 ? d->groups[g] : (int64_t)0, d->set_up),
				    &d->leaders[i], "leaders")))
			return rc;
	}
	for (int g = 0; g < DN_COUNT(dn_groups); g++) {
		int h = dn_groups[g].head;
		if (dn_leader_group[h] != g)
			return err_set(d->ei, ERR_INTERNAL, "", "group %d's head is not a member", g + 1);
		int64_t n = db_run(d->c, sql_head, "ii", d->leaders[h], d->groups[g]);
		if (n != 1)
			return fail(d, (int)n, "working_groups");
	}
	for (int i = 0; i < DN_COUNT(d->orgs); i++)
		if ((rc = insert_id(d, db_query(d->c, sql_org, "iti", d->district, dn_resp_orgs[i], d->set_up),
				    &d->orgs[i], "resp_orgs")))
			return rc;
	if ((rc = demo_assignments(d)))
		return rc;
	if (d->progress)
		fprintf(d->progress,
			"command: %d groups, %d leaders, %d responsible units, %d assignments\n",
			DN_COUNT(dn_groups), DN_COUNT(d->leaders), DN_COUNT(d->orgs), d->nassign);
	return 0;
}

/* ---- step 3: one account per role ---- */

static int demo_accounts(struct demo *d)
{
	static const char sql[] =
		"INSERT INTO users(username, name, role, scope_unit_id, phone, pw_hash,"
		" created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)";
	char hash[AUTH_HASH_LEN];
	if (auth_hash_password(DEMO_PASSWORD, hash))
		return err_set(d->ei, ERR_NOMEM, "", "cannot hash the demo password");
	for (int i = 0; i < DN_COUNT(dn_accounts); i++) {
		char name[32], phone[16];
		const char *n = dn_accounts[i].name;
		const char *ph = phone;
		if (!n) {
			person_name(d, name);
			phone_number(d, phone);
		} else if (strcmp(n, "@commander") == 0) {
			snprintf(name, sizeof name, "%s", d->leader_name[0]);
			snprintf(phone, sizeof phone, "%s", d->leader_phone[0]);
		} else if (strcmp(n, "@group_lead") == 0) {
			int h = dn_groups[5].head; /* 摸排筛查组 */
			snprintf(name, sizeof name, "%s", d->leader_name[h]);
			snprintf(phone, sizeof phone, "%s", d->leader_phone[h]);
		} else {
			snprintf(name, sizeof name, "%s", n);
			ph = NULL;
		}
		int64_t scope = d->district;
		if (dn_accounts[i].scope == 1)
			scope = d->towns[0].id;
		else if (dn_accounts[i].scope == 2 && d->ncompounds > 0)
			scope = d->compounds[0].id; /* first compound of the first community */
		int64_t r = db_run(d->c, sql, "tttitti", dn_accounts[i].username, name,
				   dn_accounts[i].username, scope, ph, hash, d->now);
		if (r < 0)
			return fail(d, (int)r, "users");
		d->naccounts++;
	}
	if (d->progress)
		fprintf(d->progress, "accounts: %d, one per role (password %s)\n", d->naccounts,
			DEMO_PASSWORD);
	return 0;
}

/* ---- step: fever follow-up (DOMAIN.md Rules: fever) ---- */

/* Every fever a checkpoint or gate recorded is followed up by the medic
 * the next day and closed through fevers_close: most were ruled out at the
 * fever clinic the referral sent them to, the others re-measured normal at
 * rest. A fever less than a day old stays open, as it would in the field. */
static int demo_fever_followup(struct demo *d)
{
	int64_t medic = 0;
	int rc = db_one_int(d->c, &medic, "SELECT id FROM users WHERE username = 'medic'", "");
	if (rc < 0)
		return fail(d, rc, "users");
	int64_t *ids = NULL;
	int64_t *ats = NULL;
	size_t n = 0, cap = 0;
	struct dbq *q = db_query(d->c, "SELECT id, at FROM fevers WHERE cleared_at IS NULL"
				       " ORDER BY id", "");
	if (!q)
		return fail(d, ERR_DB, "fevers");
	while ((rc = db_step(q)) == 1) {
		if (n == cap) {
			cap = cap ? 2 * cap : 256;
			int64_t *a = realloc(ids, cap * sizeof *a), *b = a ? realloc(ats, cap * sizeof *b) : NULL;
			if (a)
				ids = a;
			if (!a || !b) {
				db_done(q);
				free(ids);
				free(ats);
				return err_set(d->ei, ERR_NOMEM, "", "out of memory");
			}
			ats = b;
		}
		ids[n] = db_int(q, 0);
		ats[n++] = db_int(q, 1);
	}
	db_done(q);
	size_t closed = 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		int64_t at = ats[i] + 20 * 3600 + (int64_t)(rng_next(&d->rng) % (6 * 3600));
		if (at > d->now)
			continue;
		int remeasure = rng_next(&d->rng) % 4 == 0;
		int r = fevers_close(d->c, ids[i], remeasure ? "remeasured_normal" : "ruled_out",
				     remeasure ? 362 + (int)(rng_next(&d->rng) % 8) : 0,
				     remeasure ? "静息复测体温正常" : "发热门诊排查：非新冠肺炎",
				     medic, at);
		if (r < 0)
			rc = fail(d, r, "fevers");
		else
			closed += (size_t)r;
	}
	free(ids);
	free(ats);
	if (!rc && d->progress)
		fprintf(d->progress, "fevers: %zu followed up and closed by the medic, %zu open\n",
			closed, n - closed);
	return rc;
}

/* ---- step last: mark the file as the current demo ---- */

static int demo_mark(struct demo *d)
{
	char v[16];
	snprintf(v, sizeof v, "%d", DEMO_VERSION);
	int64_t n = db_run(d->c,
			   "INSERT INTO settings(key, value, updated_at) VALUES ('demo_version', $1, $2)"
			   " ON CONFLICT (key) DO UPDATE SET value = excluded.value,"
			   " updated_at = excluded.updated_at",
			   "ti", v, d->now);
	if (n < 0)
		return fail(d, (int)n, "settings");
	snprintf(v, sizeof v, "%d", scale_n);
	n = db_run(d->c,
		   "INSERT INTO settings(key, value, updated_at) VALUES ('demo_scale', $1, $2)"
		   " ON CONFLICT (key) DO UPDATE SET value = excluded.value,"
		   " updated_at = excluded.updated_at",
		   "ti", v, d->now);
	return n < 0 ? fail(d, (int)n, "settings") : 0;
}

int demo_build(struct db *db, uint32_t seed, FILE *progress, struct err_info *ei)
{
	struct demo *d = calloc(1, sizeof *d);
	if (!d)
		return err_set(ei, ERR_NOMEM, "", "out of memory");
	d->rng = seed;
	d->now = clock_now();
	/* The command headquarters was formed on the evening of 2020-01-24 (the
	 * region's first-level response began the next day): the bulletin of
	 * any day after counts its groups, leaders and assignments. */
	d->set_up = day_start("2020-01-24") + 20 * 3600;
	d->progress = progress;
	d->ei = ei;
	int rc = 0;
	d->comms = calloc(DEMO_MAX_COMMS, sizeof *d->comms);
	d->compounds = calloc(DEMO_MAX_COMPOUNDS, sizeof *d->compounds);
	if (!d->comms || !d->compounds || nameset_init(&d->unit_names, 8192) ||
	    nameset_init(&d->people_names, 1024))
		rc = err_set(ei, ERR_NOMEM, "", "out of memory");
	if (!rc) {
		d->c = db_acquire(db, DB_WRITE);
		if (!d->c)
			rc = err_set(ei, ERR_DB, "", "cannot open the database for writing");
	}
	if (!rc) {
		/* SQLite: the build goes into a file of its own (renamed into
		 * place after) on a connection closed after it, so a page cache
		 * that holds the population's indexes is the build's alone. */
		if (strcmp(db_backend(d->c), "sqlite") == 0 &&
		    (rc = db_exec(d->c, "PRAGMA cache_size = -524288; PRAGMA threads = 2")))
			rc = fail(d, rc, "cache_size");
		if (!rc && (rc = db_begin(d->c)))
			rc = fail(d, rc, "begin");
		if (!rc && (rc = areas_load_divisions(d->c)))
			rc = fail(d, rc, "divisions");
		if (!rc && strcmp(db_backend(d->c), "postgresql") == 0 &&
		    !(d->cp_units = db_copy_new("units(id, parent_id, kind, code, name,"
						" property_company, created_at, updated_at)")))
			rc = err_set(ei, ERR_NOMEM, "", "out of memory");
		if (!rc)
			rc = demo_units(d);
		if (!rc)
			rc = units_flush(d);
		if (!rc)
			rc = demo_command(d);
		if (!rc)
			rc = demo_accounts(d);
		if (!rc)
			rc = demo_people(d->c, rng_next(&d->rng), progress, ei);
		if (!rc)
			rc = demo_checkpoints(d->c, rng_next(&d->rng), d->district, progress, ei);
		/* The daily work runs last (its seed taken here, so the other
		 * parts draw as before): its reports are prefilled from the
		 * records, isolation orders and releases among them. */
		uint64_t daily_seed = d->rng ^ UINT64_C(0xD41137);
		if (!rc)
			rc = demo_supplies(d->c, d->district, progress, ei);
		if (!rc)
			rc = demo_fever_followup(d);
		if (!rc)
			rc = demo_enterprises(d->c, rng_next(&d->rng), d->district, progress, ei);
		if (!rc)
			rc = demo_isolation(d->c, rng_next(&d->rng), d->district, progress, ei);
		if (!rc)
			rc = demo_cases(d->c, progress, ei);
		if (!rc)
			rc = demo_daily(d->c, daily_seed, d->district, progress, ei);
		if (!rc)
			rc = demo_mark(d);
		if (!rc && (rc = db_commit(d->c)))
			rc = fail(d, rc, "commit");
		if (rc && db_in_tx(d->c))
			db_rollback(d->c);
		db_release(db, d->c);
	}
	db_copy_free(d->cp_units);
	nameset_free(&d->unit_names);
	nameset_free(&d->people_names);
	free(d->comms);
	free(d->compounds);
	free(d);
	return rc;
}

int demo_refresh(struct db *db, FILE *progress, struct err_info *ei)
{
	struct dbc *c = db_acquire(db, DB_WRITE);
	if (!c)
		return err_set(ei, ERR_DB, "", "cannot open the database for writing");
	int rc = db_begin(c);
	if (!rc)
		rc = demo_today_passes(c, clock_now(), progress, ei);
	if (!rc)
		rc = db_commit(c);
	if (rc && db_in_tx(c))
		db_rollback(c);
	if (rc && !ei->message[0])
		err_set(ei, rc, "", "%s", db_errmsg(c));
	db_release(db, c);
	return rc;
}

/* ---- the accounts table ---- */

/* Terminal columns of UTF-8 text: CJK (3- and 4-byte sequences) take two. */
static int text_width(const char *s)
{
	int w = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p & 0xC0) == 0x80)
			continue;
		w += *p >= 0xE0 ? 2 : 1;
	}
	return w;
}

static void put_cell(FILE *out, const char *s, int width)
{
	fputs(s, out);
	for (int w = text_width(s); w < width; w++)
		fputc(' ', out);
}

static const char *role_label(const char *role)
{
	for (int i = 0; i < DN_COUNT(dn_accounts); i++)
		if (strcmp(dn_accounts[i].username, role) == 0)
			return dn_accounts[i].label;
	return "";
}

/* The scope as a path below the district ("满城北街街道 / 金水社区 / 万寿西区"),
 * or the district's name when the scope is the district. */
static void scope_path(struct dbc *c, int64_t unit, char *out, size_t len)
{
	struct dbq *q = db_query(c,
				 "SELECT a.name FROM unit_tree t JOIN units a ON a.id = t.ancestor_id"
				 " WHERE t.unit_id = $1 AND a.parent_id IS NOT NULL ORDER BY t.depth DESC",
				 "i", unit);
	size_t n = 0;
	out[0] = 0;
	while (q && db_step(q) == 1 && n < len) {
		int w = snprintf(out + n, len - n, "%s%s", n ? " / " : "", db_text(q, 0));
		n += w > 0 ? (size_t)w : 0;
	}
	db_done(q);
}

void demo_print_accounts(struct db *db, FILE *out)
{
	struct dbc *c = db_acquire(db, DB_READ);
	if (!c) {
		fprintf(out, "(cannot read the demo accounts)\n");
		return;
	}
	struct dbq *q = db_query(c,
				 "SELECT u.username, u.role, u.name, s.name, s.id FROM users u"
				 " JOIN units s ON s.id = u.scope_unit_id ORDER BY u.id",
				 "");
	fprintf(out, "demo accounts:\n  ");
	put_cell(out, "username", 18);
	put_cell(out, "role", 30);
	put_cell(out, "name", 12);
	fputs("scope\n", out);
	while (q && db_step(q) == 1) {
		const char *role = db_text(q, 1);
		char r[96], path[512];
		snprintf(r, sizeof r, "%s %s", role, role_label(role));
		scope_path(c, db_int(q, 4), path, sizeof path);
		fputs("  ", out);
		put_cell(out, db_text(q, 0), 18);
		put_cell(out, r, 30);
		put_cell(out, db_text(q, 2), 12);
		fprintf(out, "%s\n", path[0] ? path : db_text(q, 3));
	}
	db_done(q);
	db_release(db, c);
	fprintf(out, "password for every demo account: %s\n", DEMO_PASSWORD);
}
