/* The demo's checkpoints and closed compounds (DOMAIN.md §2 and §4, issue
 * 5): the five checkpoints (four on roads, one at the railway station)
 * reporting to the district, a month of 四班三运转 shifts with sign-ins and
 * sign-outs, road and rail screening reaching the seed bulletin's figures
 * by 2020-02-15, among them the registry's arrivals from graded areas who
 * came by car or train, registered at the checkpoint on their arrival day
 * and handed to their community (the registry then says so, as the live
 * path leaves it), the day counts computed from those rows, then a gate for
 * every compound, signed passes for the adults of 50 compounds and three
 * days of gate scans with their fevers and "temperature normal today"
 * marks. The rows are the ones the API writes (checkpoints.c, passes.c,
 * gates.c); the decisions at the gates come from the same functions the
 * scan route uses. Deterministic from the seed the caller passes. Last,
 * passes valid from the real day of the build for one compound, so the
 * gate page can be tried today (demo_today_passes). */
#include <inttypes.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "../base/clock.h"
#include "../http/settings.h"
#include "../feature/checkpoints.h"
#include "demo.h"
#include "demo_names.h"
#include "../feature/gates.h"
#include "../feature/passes.h"
#include "../feature/people.h"

#define ROAD_FIRST_DAY "2020-01-24"
#define ROAD_DAYS 23 /* through 2020-02-15, the bulletin's day */
#define ROSTER_DAYS 31 /* 2020-01-24 .. 2020-02-23 */
/* Road vehicles and rail passengers grow with `cordon demo --scale N`;
 * the checkpoints, their trains and the roster do not. */
#define ROAD_VEHICLES 131400
#define RAIL_TRAINS 612
#define RAIL_PERSONS 86900
#define PASS_COMPOUNDS 50
#define PASS_DAY "2020-02-10"
#define PASS_DAYS 30
#define SCAN_FIRST_DAY "2020-02-13"
#define SCAN_DAYS 3
#define TODAY_PASS_DAYS 30 /* the passes valid from the day the demo is built */
#define MAX_OCC 5
/* Of the arrivals from graded areas, in % of households: those by car who
 * came through one of the district's four road checkpoints (the rest by
 * roads the neighbouring districts guard), and those by train who left at
 * the district's station. */
#define ROAD_SHARE 60
#define RAIL_SHARE 85
#define SCREENED_BEFORE 3600 /* a registration precedes the visit that finds them by 1 h */

/* ---- deterministic random numbers (splitmix64, as demo.c) ---- */

static uint64_t rnext(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

static int rbelow(uint64_t *s, int n)
{
	return (int)(rnext(s) % (uint64_t)n);
}

#define RPICK(s, arr) ((arr)[rbelow((s), DN_COUNT(arr))])

struct dc {
	struct dbc *c;
	/* PostgreSQL: vehicle and occupant checks go by COPY (a round trip
	 * for each of 375,000 rows was most of the checkpoints' time), the
	 * vehicles' ids drawn from their sequence in blocks. */
	struct db_copy *cp_veh, *cp_occ, *cp_scan; /* gate scans too: nothing reads them here */
	int64_t vid[4096];
	int nvid, vid_next;
	uint64_t rng;
	FILE *progress;
	struct err_info *ei;
	double t0;
	int64_t district, staff_user, admin_user, grid_user;
	int64_t cp[5];
	int64_t pmin, pmax;    /* person ids, for the people with a fever */
	int64_t *pass_units;   /* the compounds whose residents get passes */
	int64_t *pass_gates;   /* their gates */
	int npass_units;
	int64_t fever_at;
	int obs_days;
	int64_t fevers, referrals;
	/* The arrivals to register, in parties; drawn from a stream of their
	 * own so the screening's draws (and the bulletin's totals) stay the
	 * seed's. */
	uint64_t rng2;
	struct reg *regs;
	struct party *parties;
	int nregs, nparties;
	int64_t reg_road, reg_rail, cand_road, cand_rail;
};

static int dfail(struct dc *d, int rc, const char *what)
{
	return err_set(d->ei, rc < 0 ? rc : ERR_DB, "", "%s: %s", what, db_errmsg(d->c));
}

static double secs(struct dc *d)
{
	return (clock_ms() - d->t0) / 1000.0;
}

static int64_t at_day(const char *first, int day, int64_t second)
{
	char s[DAY_LEN];
	day_add(first, day, s);
	return day_start(s) + second;
}

static void gen_name(struct dc *d, char out[32])
{
	const char *g1 = RPICK(&d->rng, dn_given_chars);
	const char *g2 = rbelow(&d->rng, 100) < 70 ? RPICK(&d->rng, dn_given_chars) : "";
	snprintf(out, 32, "%s%s%s", RPICK(&d->rng, dn_surnames), g1, g2);
}

static void gen_phone(struct dc *d, char out[16])
{
	static const char *const pre[] = {"138", "139", "135", "137", "150", "151", "152",
					  "158", "159", "182", "187", "188", "130", "131",
					  "132", "155", "156", "186", "133", "153", "180",
					  "181", "189", "177", "199", "166"};
	snprintf(out, 16, "%s%08d", RPICK(&d->rng, pre), rbelow(&d->rng, 100000000));
}

/* An armpit temperature in tenths, 36.0 .. 37.2 and mostly near 36.6. */
static int normal_temp(uint64_t *s)
{
	return 360 + rbelow(s, 5) + rbelow(s, 5) + rbelow(s, 5);
}

/* n with thousands separators ("131,402"). */
static const char *fmtc(int64_t n, char buf[32])
{
	char raw[24];
	int len = snprintf(raw, sizeof raw, "%" PRId64, n < 0 ? -n : n), k = 0;
	if (n < 0)
		buf[k++] = '-';
	for (int i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			buf[k++] = ',';
		buf[k++] = raw[i];
	}
	buf[k] = 0;
	return buf;
}

static int64_t user_id(struct dc *d, const char *username)
{
	int64_t id = 0;
	db_one_int(d->c, &id, "SELECT id FROM users WHERE username = $1", "t", username);
	return id;
}

static int is_pass_unit(struct dc *d, int64_t unit)
{
	for (int i = 0; i < d->npass_units; i++)
		if (d->pass_units[i] == unit)
			return 1;
	return 0;
}

/* ---- the checkpoints ---- */

static const struct {
	const char *code, *name, *kind, *location;
	int weight; /* share of the road traffic */
} cps[5] = {
	{"KD01", "S103永宁高速与南绕城交汇处卡点", "road",
	 "S103省道 银川南绕城高速与永宁高速交汇处（良田镇）", 13},
	{"KD02", "S101北绕城交汇处卡点", "road", "S101省道 银川北绕城高速交汇处（丰登镇）", 11},
	{"KD03", "贺兰山西路西绕城交汇处卡点", "road",
	 "贺兰山西路与银川西绕城高速交汇处（丰登镇西）", 9},
	{"KD04", "G109良田镇黄河东路卡点", "road", "G109国道 良田镇与永宁县交界处", 7},
	{"HC01", "银川火车站卡点", "rail", "金凤区上海西路 银川火车站出站口", 0},
};

static int demo_cp_points(struct dc *d)
{
	int64_t created = at_day("2020-01-23", 0, 16 * 3600);
	for (int i = 0; i < 5; i++) {
		int rc = db_one_int(d->c, &d->cp[i],
				    "INSERT INTO checkpoints(unit_id, code, name, kind, location, created_at)"
				    " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
				    "itttti", d->district, cps[i].code, cps[i].name, cps[i].kind,
				    cps[i].location, created);
		if (rc != 1)
			return dfail(d, rc, "checkpoints");
	}
	return 0;
}

/* ---- shifts and duty ---- */

static int demo_cp_shifts(struct dc *d)
{
	static const char *const teams[4] = {"A", "B", "C", "D"};
	static const char *const agencies[3] = {"law_enforcement", "police", "health"};
	struct roster_shift rs[ROSTER_DAYS * 3];
	int64_t created = at_day("2020-01-23", 0, 17 * 3600);
	int nshifts = 0, nduty = 0, nopen = 0;
	for (int k = 0; k < 5; k++) {
		char names[4][3][32];
		for (int t = 0; t < 4; t++)
			for (int a = 0; a < 3; a++)
				gen_name(d, names[t][a]);
		int n = checkpoints_roster(ROAD_FIRST_DAY, ROSTER_DAYS, 4, 8, 0, rs, DN_COUNT(rs));
		if (n < 0)
			return err_set(d->ei, ERR_INTERNAL, "", "roster");
		for (int s = 0; s < n; s++) {
			int64_t sid = 0;
			int rc = PEOPLE_INSERT_ID(d->c, &sid,
						  "INSERT INTO shifts(checkpoint_id, team, starts_at, ends_at,"
						  " created_at) VALUES ($1, $2, $3, $4, $5)",
						  "itiii", d->cp[k], teams[rs[s].team], rs[s].starts_at,
						  rs[s].ends_at, created);
			if (rc != 1)
				return dfail(d, rc, "shifts");
			nshifts++;
			/* health and police always; law enforcement on most shifts */
			for (int a = 0; a < 3; a++) {
				if (a == 0 && rbelow(&d->rng, 100) < 15)
					continue;
				int64_t in = rs[s].starts_at - 60 * (5 + rbelow(&d->rng, 35));
				int64_t out = rs[s].ends_at + 60 * rbelow(&d->rng, 25);
				int open = rbelow(&d->rng, 200) == 0; /* forgot to sign out */
				int64_t r = db_run(d->c,
						   "INSERT INTO duty(checkpoint_id, shift_id, person_name, agency,"
						   " signed_in_at, signed_out_at, created_at)"
						   " VALUES ($1, $2, $3, $4, $5, $6, $7)",
						   "iittiIi", d->cp[k], sid, names[rs[s].team][a], agencies[a],
						   in, open ? (int64_t)0 : out, in);
				if (r != 1)
					return dfail(d, (int)r, "duty");
				nduty++;
				nopen += open;
			}
		}
	}
	if (d->progress)
		fprintf(d->progress,
			"checkpoints: 5 (4 road, 1 rail), %d shifts 2020-01-24..2020-02-23 (四班三运转),"
			" %d sign-ins of which %d without sign-out\n",
			nshifts, nduty, nopen);
	return 0;
}

/* ---- people with a fever: someone of the registry, referred ---- */

struct occ {
	char name[32], phone[16], doc_type[24], doc[32];
	int64_t person, unit;
	int temp;
};

static int fever_person(struct dc *d, struct occ *o)
{
	for (int tries = 0; tries < 1000; tries++) {
		int64_t id = d->pmin + (int64_t)(rnext(&d->rng) % (uint64_t)(d->pmax - d->pmin + 1));
		struct dbq *q = db_query(d->c,
					 "SELECT name, doc_type, doc_number, phone, unit_id FROM persons"
					 " WHERE id = $1 AND merged_into IS NULL AND located = 1",
					 "i", id);
		if (!q)
			return dfail(d, ERR_DB, "persons");
		int rc = db_step(q);
		if (rc == 1 && !is_pass_unit(d, db_int(q, 4))) {
			snprintf(o->name, sizeof o->name, "%s", db_text(q, 0));
			snprintf(o->doc_type, sizeof o->doc_type, "%s", db_text(q, 1));
			snprintf(o->doc, sizeof o->doc, "%s", db_text(q, 2));
			snprintf(o->phone, sizeof o->phone, "%s", db_null(q, 3) ? "" : db_text(q, 3));
			o->unit = db_int(q, 4);
			o->person = id;
			db_done(q);
			return 0;
		}
		db_done(q);
		if (rc < 0)
			return dfail(d, rc, "persons");
	}
	return err_set(d->ei, ERR_INTERNAL, "", "no person found for a fever");
}

/* ---- arrivals from graded areas, registered at a checkpoint ---- */

/* One arrival of the registry (made by a round 1 visit) that a checkpoint
 * registers instead, on its arrival day. */
struct reg {
	int64_t arrival, person, unit, community, visit, visit_at;
	char origin[8], name[32], doc_type[24], doc[32], phone[16];
};

/* Those of one household who came on one day from one place by one mode:
 * one car (at most MAX_OCC of them) or one train. */
struct party {
	int first, n;     /* regs[first .. first + n) */
	int day;          /* offset from ROAD_FIRST_DAY */
	int train;        /* by train, else by car */
	int64_t deadline; /* screened by then, before the visit that found them */
	int slot;         /* rail: the index of the day's train */
	int state;        /* PARTY_* */
};

enum { PARTY_WAITING, PARTY_SCREENED, PARTY_ELSEWHERE };

/* Reads the arrivals by car or train from a grade that registers
 * (checkpoints_grade_registers) on the checkpoints' days, groups them in
 * parties, and picks the share screened here (ROAD_SHARE, RAIL_SHARE). */
static int demo_cp_arrivals(struct dc *d)
{
	char last[DAY_LEN];
	day_add(ROAD_FIRST_DAY, ROAD_DAYS - 1, last);
	struct dbq *q = db_query(
		d->c,
		"SELECT a.id, a.person_id, p.unit_id, u.parent_id, a.source_id, v.at, a.origin_code,"
		" p.name, p.doc_type, p.doc_number, p.phone, a.arrival_date, a.mode, a.grade,"
		" p.household_id FROM arrivals a JOIN persons p ON p.id = a.person_id"
		" JOIN units u ON u.id = p.unit_id JOIN visits v ON v.id = a.source_id"
		" WHERE a.source = 'visit' AND a.arrival_date >= $1 AND a.arrival_date <= $2"
		" AND (a.mode = 'car' OR a.mode = 'train')"
		" ORDER BY a.arrival_date, a.mode, p.household_id, a.origin_code, a.id",
		"tt", ROAD_FIRST_DAY, last);
	if (!q)
		return dfail(d, ERR_DB, "arrivals");
	int cap = 1024, rc;
	int64_t hh = -1;
	char key[64] = "";
	d->regs = malloc(sizeof *d->regs * (size_t)cap);
	d->parties = malloc(sizeof *d->parties * (size_t)cap);
	if (!d->regs || !d->parties) {
		db_done(q);
		return err_set(d->ei, ERR_NOMEM, "", "out of memory");
	}
	while ((rc = db_step(q)) == 1) {
		if (!checkpoints_grade_registers(db_text(q, 13)))
			continue;
		if (d->nregs == cap) {
			struct reg *a = realloc(d->regs, sizeof *a * (size_t)cap * 2);
			struct party *b = a ? realloc(d->parties, sizeof *b * (size_t)cap * 2) : NULL;
			if (a)
				d->regs = a;
			if (b)
				d->parties = b;
			if (!a || !b) {
				rc = ERR_NOMEM;
				break;
			}
			cap *= 2;
		}
		struct reg *g = &d->regs[d->nregs];
		g->arrival = db_int(q, 0);
		g->person = db_int(q, 1);
		g->unit = db_int(q, 2);
		g->community = db_int(q, 3);
		g->visit = db_int(q, 4);
		g->visit_at = db_int(q, 5);
		snprintf(g->origin, sizeof g->origin, "%s", db_text(q, 6));
		snprintf(g->name, sizeof g->name, "%s", db_text(q, 7));
		snprintf(g->doc_type, sizeof g->doc_type, "%s", db_text(q, 8));
		snprintf(g->doc, sizeof g->doc, "%s", db_text(q, 9));
		snprintf(g->phone, sizeof g->phone, "%s", db_null(q, 10) ? "" : db_text(q, 10));
		const char *date = db_text(q, 11);
		int train = strcmp(db_text(q, 12), "train") == 0;
		char k[64];
		snprintf(k, sizeof k, "%s %d %s", date, train, g->origin);
		struct party *pt = d->nparties ? &d->parties[d->nparties - 1] : NULL;
		if (!pt || db_int(q, 14) != hh || strcmp(k, key) != 0 || (!train && pt->n == MAX_OCC)) {
			pt = &d->parties[d->nparties++];
			*pt = (struct party){.first = d->nregs, .train = train, .slot = -1,
					     .deadline = g->visit_at - SCREENED_BEFORE};
			pt->day = (int)((day_start(date) - day_start(ROAD_FIRST_DAY) + 43200) / 86400);
			hh = db_int(q, 14);
			memcpy(key, k, sizeof key);
		}
		pt->n++;
		d->nregs++;
	}
	db_done(q);
	if (rc < 0)
		return rc == ERR_NOMEM ? err_set(d->ei, rc, "", "out of memory")
				       : dfail(d, rc, "arrivals");
	for (int i = 0; i < d->nparties; i++) {
		struct party *pt = &d->parties[i];
		*(pt->train ? &d->cand_rail : &d->cand_road) += pt->n;
		if (rbelow(&d->rng2, 100) >= (pt->train ? RAIL_SHARE : ROAD_SHARE))
			pt->state = PARTY_ELSEWHERE;
	}
	return 0;
}

/* Sends the buffered vehicle and occupant checks (PostgreSQL). */
static int checks_flush(struct dc *d)
{
	int rc = 0;
	if (d->cp_veh && (rc = db_copy_send(d->c, d->cp_veh)))
		return dfail(d, rc, "vehicle_checks");
	if (d->cp_occ && (rc = db_copy_send(d->c, d->cp_occ)))
		return dfail(d, rc, "occupant_checks");
	return 0;
}

static int occ_row_end(struct dc *d)
{
	db_copy_row_end(d->cp_occ);
	return db_copy_rows(d->cp_occ) >= 20000 ? checks_flush(d) : 0;
}

/* A vehicle check as checkpoints.c stores it; *vid its id. */
static int put_vehicle(struct dc *d, int64_t *vid, int64_t cp, int64_t at, const char *day,
		       const struct plate *pl, const char *dir, const char *origin, int64_t dest_unit,
		       int nocc, int fevers, int registered)
{
	if (!d->cp_veh) {
		int s = PEOPLE_INSERT_ID(
			d->c, vid,
			"INSERT INTO vehicle_checks(checkpoint_id, at, day, plate,"
			" plate_province, direction, origin_code, destination,"
			" destination_unit_id, occupants, fevers, registered, created_by,"
			" device_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,"
			" $12, $13, $14)",
			"iitttttt" "IiiiII", cp, at, day, pl->number, pl->province, dir, origin, NULL,
			dest_unit, (int64_t)nocc, (int64_t)fevers, (int64_t)registered, d->staff_user,
			(int64_t)0);
		return s == 1 ? 0 : dfail(d, s, "vehicle_checks");
	}
	if (d->vid_next == d->nvid) {
		struct dbq *q = db_query(d->c,
					 "SELECT nextval('vehicle_checks_id_seq') FROM generate_series(1, $1)",
					 "i", (int64_t)(sizeof d->vid / sizeof d->vid[0]));
		int rc = q ? 0 : ERR_DB;
		d->nvid = d->vid_next = 0;
		while (!rc && (rc = db_step(q)) == 1 &&
		       d->nvid < (int)(sizeof d->vid / sizeof d->vid[0])) {
			d->vid[d->nvid++] = db_int(q, 0);
			rc = 0;
		}
		db_done(q);
		if (rc < 0 || !d->nvid)
			return dfail(d, rc < 0 ? rc : ERR_DB, "vehicle_checks ids");
	}
	*vid = d->vid[d->vid_next++];
	struct db_copy *b = d->cp_veh;
	db_copy_int(b, *vid);
	db_copy_int(b, cp);
	db_copy_int(b, at);
	db_copy_text(b, day);
	db_copy_text(b, pl->number);
	db_copy_text(b, pl->province);
	db_copy_text(b, dir);
	db_copy_text(b, origin);
	db_copy_text(b, NULL);
	db_copy_id(b, dest_unit);
	db_copy_int(b, nocc);
	db_copy_int(b, fevers);
	db_copy_int(b, registered);
	db_copy_id(b, d->staff_user);
	db_copy_id(b, 0);
	db_copy_row_end(b);
	return 0;
}

/* The occupant row, as checkpoints.c stores it, with a fever's row and
 * referral, or a registration (g; the registry follows in
 * demo_cp_registry). */
static int put_occupant(struct dc *d, int k, int64_t vehicle, int64_t train, int64_t at,
			const struct occ *o, const struct reg *g)
{
	int fever = o->temp >= d->fever_at;
	if (fever) {
		int64_t r = db_run(d->c,
				   "INSERT INTO fevers(person_id, at, temperature, source, source_id)"
				   " VALUES ($1, $2, $3, 'checkpoint', $4)",
				   "iiii", o->person, at, (int64_t)o->temp, d->cp[k]);
		if (r != 1)
			return dfail(d, (int)r, "fevers");
		d->fevers++;
		d->referrals++;
	}
	const char *disp = fever ? "referral" : g ? "registered" : "pass";
	int64_t dest = fever ? o->unit : g ? g->community : (int64_t)0;
	if (d->cp_occ) {
		struct db_copy *b = d->cp_occ;
		db_copy_int(b, d->cp[k]);
		db_copy_id(b, vehicle);
		db_copy_id(b, train);
		db_copy_int(b, at);
		db_copy_text(b, o->name);
		db_copy_text(b, o->doc[0] ? o->doc_type : NULL);
		db_copy_text(b, o->doc[0] ? o->doc : NULL);
		db_copy_text(b, o->phone[0] ? o->phone : NULL);
		db_copy_id(b, o->person);
		db_copy_int(b, o->temp);
		db_copy_text(b, disp);
		db_copy_text(b, g ? g->origin : NULL);
		db_copy_id(b, dest);
		db_copy_id(b, g ? g->arrival : 0);
		return occ_row_end(d);
	}
	int64_t n = db_run(
		d->c,
		"INSERT INTO occupant_checks(checkpoint_id, vehicle_check_id, train_check_id, at, name,"
		" doc_type, doc_number, phone, person_id, temperature, disposition, origin_code,"
		" destination_unit_id, arrival_id)"
		" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
		"iIIitttt" "IittII", d->cp[k], vehicle, train, at, o->name,
		o->doc[0] ? o->doc_type : NULL, o->doc[0] ? o->doc : NULL,
		o->phone[0] ? o->phone : NULL, o->person, (int64_t)o->temp, disp,
		g ? g->origin : NULL, dest, g ? g->arrival : (int64_t)0);
	return n == 1 ? 0 : dfail(d, (int)n, "occupant_checks");
}

/* The occupant a registered arrival is at the checkpoint. */
static void reg_occ(const struct reg *g, int temp, struct occ *o)
{
	memset(o, 0, sizeof *o);
	snprintf(o->name, sizeof o->name, "%s", g->name);
	snprintf(o->doc_type, sizeof o->doc_type, "%s", g->doc_type);
	snprintf(o->doc, sizeof o->doc, "%s", g->doc);
	snprintf(o->phone, sizeof o->phone, "%s", g->phone);
	o->person = g->person;
	o->unit = g->community;
	o->temp = temp;
}

/* ---- road screening ---- */

static int make_plate(struct dc *d, struct plate *p)
{
	static const char *const other[] = {"陕", "甘", "蒙", "青", "京", "豫", "川",
					    "鄂", "新", "晋", "冀", "鲁", "黑", "辽"};
	static const char letters[] = "ABCDEFGHJKLMNPQRSTUVWXYZ";
	static const char nx[] = "AAAAAAAAAAAABBCCCDDEE"; /* 银川 most, then 石嘴山 吴忠 固原 中卫 */
	for (int tries = 0; tries < 100; tries++) {
		char s[32];
		int out_of_province = rbelow(&d->rng, 100) < 4;
		const char *prov = out_of_province ? RPICK(&d->rng, other) : "宁";
		char city = out_of_province ? letters[rbelow(&d->rng, 8)]
					    : nx[rbelow(&d->rng, (int)sizeof nx - 1)];
		int ne = rbelow(&d->rng, 100) < 2;
		if (ne) {
			char df = rbelow(&d->rng, 2) ? 'D' : 'F';
			if (rbelow(&d->rng, 5)) /* small: D/F third */
				snprintf(s, sizeof s, "%s%c%c%05d", prov, city, df,
					 rbelow(&d->rng, 100000));
			else
				snprintf(s, sizeof s, "%s%c%05d%c", prov, city, rbelow(&d->rng, 100000),
					 df);
		} else {
			char tail[6];
			int nletters = 0;
			for (int i = 0; i < 5; i++) {
				if (nletters < 2 && rbelow(&d->rng, 100) < 18) {
					tail[i] = letters[rbelow(&d->rng, (int)sizeof letters - 1)];
					nletters++;
				} else {
					tail[i] = (char)('0' + rbelow(&d->rng, 10));
				}
			}
			tail[5] = 0;
			snprintf(s, sizeof s, "%s%c%s", prov, city, tail);
		}
		struct err_info ei = {0};
		if (checkpoints_plate(s, p, "plate", &ei) == 0)
			return 0;
	}
	return err_set(d->ei, ERR_INTERNAL, "", "no valid plate generated");
}

struct veh {
	int64_t at;
	int cp;
};

static int cmp_veh(const void *a, const void *b)
{
	const struct veh *x = a, *y = b;
	return x->at < y->at ? -1 : x->at > y->at;
}

/* A party of the day and when it must be screened by. */
struct due {
	int64_t deadline;
	int party;
};

static int cmp_due(const void *a, const void *b)
{
	const struct due *x = a, *y = b;
	if (x->deadline != y->deadline)
		return x->deadline < y->deadline ? -1 : 1;
	return (x->party > y->party) - (x->party < y->party);
}

/* The waiting parties of a day by one mode, soonest deadline first. */
static int day_parties(struct dc *d, int day, int train, struct due *due)
{
	int np = 0;
	for (int k = 0; k < d->nparties; k++) {
		const struct party *pt = &d->parties[k];
		if (pt->day == day && pt->train == train && pt->state == PARTY_WAITING)
			due[np++] = (struct due){pt->deadline, k};
	}
	qsort(due, (size_t)np, sizeof *due, cmp_due);
	return np;
}

/* A second of the day, more by day than by night. */
static int64_t day_second(struct dc *d)
{
	static const int w[24] = {2, 1, 1, 1, 1, 2, 4, 7, 9, 9, 8, 8, 7, 7, 8, 8, 9, 9, 8, 6, 5, 4, 3, 2};
	int r = rbelow(&d->rng, 129), h = 0; /* 129 = sum of w */
	while (r >= w[h])
		r -= w[h++];
	return (int64_t)h * 3600 + rbelow(&d->rng, 3600);
}

static int demo_cp_road(struct dc *d)
{
	/* Day weights: quiet over the festival (除夕 is 2020-01-24), the
	 * return wave at the end of the extended holiday (to 2020-02-09),
	 * weekends busier. */
	double wd[ROAD_DAYS], sum = 0;
	for (int i = 0; i < ROAD_DAYS; i++) {
		double w = i < 3 ? 0.6 : i < 9 ? 0.9 : i < 17 ? 1.35 : 1.0;
		int dow = (4 + i) % 7; /* 2020-01-24 was a Friday; Monday 0 */
		if (dow >= 5)
			w *= 1.2;
		wd[i] = w;
		for (int k = 0; k < 4; k++)
			sum += w * cps[k].weight;
	}
	struct veh *v = malloc(sizeof *v * 12000);
	struct plate *regular = malloc(sizeof *regular * 3000);
	struct due *due = malloc(sizeof *due * (size_t)(d->nparties + 1));
	if (!v || !regular || !due) {
		free(v);
		free(regular);
		free(due);
		return err_set(d->ei, ERR_NOMEM, "", "out of memory");
	}
	for (int i = 0; i < 3000; i++)
		if (make_plate(d, &regular[i])) {
			free(v);
			free(regular);
			free(due);
			return ERR_INTERNAL;
		}
	int rc = 0;
	int64_t nveh = 0, ntrips = 0, nout = 0;
	for (int i = 0; i < ROAD_DAYS && !rc; i++) {
		int n = 0;
		for (int k = 0; k < 4; k++) {
			double want = (double)ROAD_VEHICLES * demo_scale() * wd[i] * cps[k].weight / sum;
			int m = (int)(want * (0.97 + 0.06 * rbelow(&d->rng, 1001) / 1000.0) + 0.5);
			for (int j = 0; j < m && n < 12000; j++, n++) {
				v[n].at = at_day(ROAD_FIRST_DAY, i, day_second(d));
				v[n].cp = k;
			}
		}
		qsort(v, (size_t)n, sizeof *v, cmp_veh);
		int np = day_parties(d, i, 0, due), head = 0, left = np;
		for (int j = 0; j < n && !rc; j++) {
			struct plate pl;
			if (rbelow(&d->rng, 100) < 25)
				pl = regular[rbelow(&d->rng, 3000)];
			else if ((rc = make_plate(d, &pl)))
				break;
			const char *dir = rbelow(&d->rng, 100) < (i < 9 ? 45 : 60) ? "in" : "out";
			int r = rbelow(&d->rng, 100);
			int nocc = r < 48 ? 1 : r < 78 ? 2 : r < 91 ? 3 : r < 97 ? 4 : 5;
			struct occ o[MAX_OCC];
			int fevers = 0;
			memset(o, 0, sizeof o);
			for (int q = 0; q < nocc && !rc; q++) {
				if (rbelow(&d->rng, 6000) == 0) {
					rc = fever_person(d, &o[q]);
					o[q].temp = (int)d->fever_at + rbelow(&d->rng, 14);
					fevers++;
				} else {
					gen_name(d, o[q].name);
					if (q == 0)
						gen_phone(d, o[q].phone);
					o[q].temp = normal_temp(&d->rng);
				}
			}
			if (rc)
				break;
			/* A party that arrived today takes the places of the
			 * occupants of an inbound car of its size, so the totals
			 * stay the seed's; tried often enough to place most of
			 * the day's parties before their deadlines pass. */
			while (head < np && (d->parties[due[head].party].state != PARTY_WAITING ||
					     due[head].deadline <= v[j].at)) {
				if (d->parties[due[head].party].state == PARTY_WAITING) {
					d->parties[due[head].party].state = PARTY_ELSEWHERE;
					left--;
				}
				head++;
			}
			struct party *pt = NULL;
			if (dir[0] == 'i' && !fevers && left > 0 && rbelow(&d->rng2, n - j) < 4 * left)
				for (int k = head; k < np && !pt; k++)
					if (d->parties[due[k].party].state == PARTY_WAITING &&
					    d->parties[due[k].party].n == nocc)
						pt = &d->parties[due[k].party];
			const struct reg *g = pt ? &d->regs[pt->first] : NULL;
			if (pt) {
				pt->state = PARTY_SCREENED;
				left--;
				for (int q = 0; q < nocc; q++)
					reg_occ(&g[q], o[q].temp, &o[q]);
				d->reg_road += nocc;
			}
			char day[DAY_LEN];
			clock_day(v[j].at, day);
			int local = strcmp(pl.province_code, "640000") == 0;
			const char *origin = g ? g->origin : !local && dir[0] == 'i' ? pl.province_code : NULL;
			int64_t vid = 0;
			if ((rc = put_vehicle(d, &vid, d->cp[v[j].cp], v[j].at, day, &pl, dir, origin,
					      g ? g->community : (int64_t)0, nocc, fevers,
					      g ? nocc : 0)))
				break;
			for (int q = 0; q < nocc && !rc; q++)
				rc = put_occupant(d, v[j].cp, vid, 0, v[j].at, &o[q], g ? &g[q] : NULL);
			nveh++;
			ntrips += nocc;
			nout += !local;
		}
	}
	free(v);
	free(regular);
	free(due);
	if (!rc)
		rc = checks_flush(d);
	if (!rc && d->progress) {
		char a[32], b[32];
		fprintf(d->progress,
			"road screening: %s vehicles (%.1f %% from other provinces), %s person trips,"
			" %" PRId64 " fevers referred, %" PRId64 " arrivals from graded areas registered"
			" (of %" PRId64 " by car) (%.1f s)\n",
			fmtc(nveh, a), nveh ? 100.0 * (double)nout / (double)nveh : 0.0,
			fmtc(ntrips, b), d->fevers, d->reg_road, d->cand_road, secs(d));
	}
	return rc;
}

/* ---- rail screening ---- */

static int demo_cp_rail(struct dc *d)
{
	static const char *const trains[] = {
		"K1579", "K915", "K1087", "K43", "Z275", "T275", "K1517", "K886", "K1179", "K2057",
		"K1090", "K360", "D2711", "K7901", "T197", "K1306", "K1278", "K178", "Z106", "K1588",
		"K7903", "K1509", "K916", "K1580", "K44", "K1088", "Z276", "T276", "D2713", "K1518"};
	int ntr = DN_COUNT(trains);
	int order[DN_COUNT(trains)];
	int raw[RAIL_TRAINS], per_day[ROAD_DAYS], total = 0;
	int64_t rawsum = 0;
	for (int i = 0; i < ROAD_DAYS; i++) {
		per_day[i] = RAIL_TRAINS / ROAD_DAYS +
			     ((i + 1) * (RAIL_TRAINS % ROAD_DAYS) / ROAD_DAYS -
			      i * (RAIL_TRAINS % ROAD_DAYS) / ROAD_DAYS);
		total += per_day[i];
	}
	for (int t = 0; t < total; t++) {
		raw[t] = 60 + rbelow(&d->rng, 170);
		rawsum += raw[t];
	}
	int t = 0, flagged_total = 0;
	int64_t persons_total = 0, fevers0 = d->fevers;
	for (int i = 0; i < ROAD_DAYS; i++) {
		for (int j = 0; j < ntr; j++)
			order[j] = j;
		for (int j = ntr - 1; j > 0; j--) {
			int x = rbelow(&d->rng, j + 1), tmp = order[j];
			order[j] = order[x];
			order[x] = tmp;
		}
		/* arrivals spread over the day, in order */
		int64_t base = at_day(ROAD_FIRST_DAY, i, 0);
		/* The day's parties by train, each on one of the trains
		 * screened (at the latest base + (j + 1) * 86400 / per_day +
		 * 2100) before its deadline. */
		for (int k = 0; k < d->nparties; k++) {
			struct party *pt = &d->parties[k];
			if (!pt->train || pt->day != i || pt->state != PARTY_WAITING)
				continue;
			int last = -1;
			while (last + 1 < per_day[i] &&
			       base + (int64_t)(last + 2) * 86400 / per_day[i] + 2100 <= pt->deadline)
				last++;
			if (last < 0)
				pt->state = PARTY_ELSEWHERE;
			else
				pt->slot = rbelow(&d->rng2, last + 1);
		}
		for (int j = 0; j < per_day[i]; j++, t++) {
			int64_t arrival = base + (int64_t)j * 86400 / per_day[i] + 300 +
					  rbelow(&d->rng, 86400 / per_day[i] - 600);
			int64_t at = arrival + 600 + rbelow(&d->rng, 1800);
			int64_t persons = (int64_t)raw[t] * RAIL_PERSONS * demo_scale() / rawsum;
			char no[16], day[DAY_LEN];
			if (checkpoints_train_no(trains[order[j]], no))
				return err_set(d->ei, ERR_INTERNAL, "", "train number %s", trains[order[j]]);
			clock_day(arrival, day);
			/* the flagged: re-measured and let through, or a fever */
			struct occ o[3];
			int nf = rbelow(&d->rng, 100) < 40 ? 1 + rbelow(&d->rng, 3) : 0;
			memset(o, 0, sizeof o);
			for (int q = 0; q < nf; q++) {
				if (q == 0 && rbelow(&d->rng, 25) == 0) {
					int rc = fever_person(d, &o[q]);
					if (rc)
						return rc;
					o[q].temp = (int)d->fever_at + rbelow(&d->rng, 12);
				} else {
					gen_name(d, o[q].name);
					gen_phone(d, o[q].phone);
					o[q].temp = 370 + rbelow(&d->rng, 3);
				}
			}
			/* and the registered: flagged as well, among the persons */
			int nreg = 0;
			for (int k = 0; k < d->nparties; k++) {
				struct party *pt = &d->parties[k];
				if (pt->train && pt->day == i && pt->slot == j &&
				    pt->state == PARTY_WAITING)
					nreg += pt->n;
			}
			int64_t tid = 0;
			int s = PEOPLE_INSERT_ID(d->c, &tid,
						 "INSERT INTO train_checks(checkpoint_id, at, day, train_no,"
						 " arrival_at, persons, flagged, created_by, device_id)"
						 " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
						 "iittiiiII", d->cp[4], at, day, no, arrival, persons,
						 (int64_t)(nf + nreg), d->staff_user, (int64_t)0);
			if (s != 1)
				return dfail(d, s, "train_checks");
			for (int q = 0; q < nf; q++) {
				int rc = put_occupant(d, 4, 0, tid, at, &o[q], NULL);
				if (rc)
					return rc;
			}
			for (int k = 0; nreg && k < d->nparties; k++) {
				struct party *pt = &d->parties[k];
				if (!pt->train || pt->day != i || pt->slot != j ||
				    pt->state != PARTY_WAITING)
					continue;
				pt->state = PARTY_SCREENED;
				for (int q = 0; q < pt->n; q++) {
					const struct reg *g = &d->regs[pt->first + q];
					struct occ ro;
					reg_occ(g, normal_temp(&d->rng2), &ro);
					int rc = put_occupant(d, 4, 0, tid, at, &ro, g);
					if (rc)
						return rc;
				}
			}
			d->reg_rail += nreg;
			persons_total += persons;
			flagged_total += nf + nreg;
		}
	}
	if (d->progress) {
		char a[32];
		fprintf(d->progress,
			"rail screening: %d trains, %s person trips, %d flagged of which %" PRId64
			" fevers referred and %" PRId64 " arrivals from graded areas registered"
			" (of %" PRId64 " by train) (%.1f s)\n",
			total, fmtc(persons_total, a), flagged_total, d->fevers - fevers0,
			d->reg_rail, d->cand_rail, secs(d));
	}
	return 0;
}

/* ---- the registry after the registrations ---- */

/* What the live path leaves in the registry when a checkpoint registers
 * someone (checkpoints.c store_person) whom a visit finds at home later:
 * the person and the arrival made by the checkpoint (the visit's arrival of
 * the same day and origin is that one; "source" on the person card), the
 * name and phone learnt there, then the visit's household and its move from
 * the community to the compound. One statement per table over the
 * registered rows (UPDATE ... FROM: a subquery per row over the monthly
 * partitions made PostgreSQL JIT-compile each statement for 12 s). */
static int demo_cp_registry(struct dc *d)
{
#define REG_ROWS(key)                                                                   \
	" FROM (SELECT " key ", COALESCE(vehicle_check_id, train_check_id) AS check_id, at"  \
	" FROM occupant_checks WHERE disposition = 'registered') o"
	static const char *const sql[] = {
		/* the visit's move, read while the person is still the visit's */
		"INSERT INTO person_facts(person_id, field, value, source, source_id, at)"
		" SELECT p.id, 'unit_id', CAST(p.unit_id AS TEXT), p.source, p.source_id,"
		" p.created_at FROM occupant_checks o JOIN persons p ON p.id = o.person_id"
		" WHERE o.disposition = 'registered' ORDER BY p.id",
		"UPDATE person_facts SET source = 'checkpoint', source_id = o.check_id, at = o.at"
		REG_ROWS("person_id") " WHERE person_facts.person_id = o.person_id"
		" AND (person_facts.field = 'name' OR person_facts.field = 'phone')",
		"UPDATE persons SET source = 'checkpoint', source_id = o.check_id, created_at = o.at"
		REG_ROWS("person_id") " WHERE persons.id = o.person_id",
		"UPDATE arrivals SET source = 'checkpoint', source_id = o.check_id, created_at = o.at"
		REG_ROWS("arrival_id") " WHERE arrivals.id = o.arrival_id",
	};
#undef REG_ROWS
	for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++) {
		int64_t n = db_run(d->c, sql[i], "");
		if (n < 0)
			return dfail(d, (int)n, "registering arrivals");
	}
	return 0;
}

/* ---- the day counts, from the rows ---- */

/* The registered counted four ways must agree: the occupant rows, the
 * vehicles' and the days' counters, and the arrivals the checkpoints made
 * (each linked from its row, of the same person); and each vehicle's and
 * train's counters must match its rows. */
static int demo_cp_check_registered(struct dc *d)
{
	static const char *const sql[] = {
		/* 0, 1: the registered rows on the road and at the station */
		"SELECT COUNT(*) FROM occupant_checks WHERE disposition = 'registered'"
		" AND vehicle_check_id IS NOT NULL",
		"SELECT COUNT(*) FROM occupant_checks WHERE disposition = 'registered'"
		" AND train_check_id IS NOT NULL",
		/* 2, 3: the days' counters */
		"SELECT COALESCE(SUM(d.registered), 0) FROM checkpoint_days d"
		" JOIN checkpoints c ON c.id = d.checkpoint_id WHERE c.kind = 'road'",
		"SELECT COALESCE(SUM(d.registered), 0) FROM checkpoint_days d"
		" JOIN checkpoints c ON c.id = d.checkpoint_id WHERE c.kind = 'rail'",
		/* 4: the vehicles' counters */
		"SELECT COALESCE(SUM(registered), 0) FROM vehicle_checks",
		/* 5: rows whose arrival is the checkpoint's, of their person */
		"SELECT COUNT(*) FROM occupant_checks o JOIN arrivals a ON a.id = o.arrival_id"
		" WHERE o.disposition = 'registered' AND a.person_id = o.person_id"
		" AND a.source = 'checkpoint'"
		" AND a.source_id = COALESCE(o.vehicle_check_id, o.train_check_id)",
		/* 6: the arrivals the checkpoints made */
		"SELECT COUNT(*) FROM arrivals WHERE source = 'checkpoint'",
		/* 7: vehicles whose counter is not their registered rows (the sum
		 * above covers those counting none) */
		"SELECT COUNT(*) FROM (SELECT vehicle_check_id, COUNT(*) AS n FROM occupant_checks"
		" WHERE disposition = 'registered' AND vehicle_check_id IS NOT NULL"
		" GROUP BY vehicle_check_id) o LEFT JOIN vehicle_checks v ON v.id = o.vehicle_check_id"
		" WHERE v.registered IS NULL OR v.registered <> o.n",
		/* 8: trains whose flagged are not their rows */
		"SELECT COUNT(*) FROM train_checks t LEFT JOIN (SELECT train_check_id, COUNT(*) AS n"
		" FROM occupant_checks WHERE train_check_id IS NOT NULL GROUP BY train_check_id) o"
		" ON o.train_check_id = t.id WHERE t.flagged <> COALESCE(o.n, 0)",
	};
	int64_t v[9];
	for (int i = 0; i < 9; i++)
		if (db_one_int(d->c, &v[i], sql[i], "") != 1)
			return dfail(d, ERR_DB, "checking the registered");
	if (d->progress)
		fprintf(d->progress,
			"check: registered at the checkpoints road %" PRId64 " / rail %" PRId64
			" occupant rows, day counts %" PRId64 " / %" PRId64 ", vehicle counts %" PRId64
			", arrivals made there %" PRId64 " (%" PRId64 " linked) (%.1f s)\n",
			v[0], v[1], v[2], v[3], v[4], v[6], v[5], secs(d));
	if (v[0] != d->reg_road || v[1] != d->reg_rail || v[2] != v[0] || v[3] != v[1] ||
	    v[4] != v[0] || v[5] != v[0] + v[1] || v[6] != v[5] || v[7] || v[8] || !v[0] || !v[1])
		return err_set(d->ei, ERR_INTERNAL, "",
			       "registered counts disagree: rows %" PRId64 " + %" PRId64 " (placed %" PRId64
			       " + %" PRId64 "), days %" PRId64 " + %" PRId64 ", vehicles %" PRId64
			       ", arrivals %" PRId64 " (%" PRId64 " linked), %" PRId64
			       " vehicles and %" PRId64 " trains miscounted",
			       v[0], v[1], d->reg_road, d->reg_rail, v[2], v[3], v[4], v[6], v[5], v[7],
			       v[8]);
	return 0;
}

static int demo_cp_days(struct dc *d)
{
	int64_t n = db_run(d->c,
			   "INSERT INTO checkpoint_days(checkpoint_id, day, vehicles, person_trips,"
			   " trains, fevers, referrals, registered)"
			   " SELECT checkpoint_id, day, COUNT(*), SUM(occupants), 0, SUM(fevers),"
			   " SUM(fevers), SUM(registered) FROM vehicle_checks"
			   " GROUP BY checkpoint_id, day",
			   "");
	if (n < 0)
		return dfail(d, (int)n, "checkpoint_days (road)");
	n = db_run(d->c,
		   "INSERT INTO checkpoint_days(checkpoint_id, day, vehicles, person_trips,"
		   " trains, fevers, referrals, registered)"
		   " SELECT t.checkpoint_id, t.day, 0, SUM(t.persons), COUNT(*),"
		   " SUM(COALESCE(f.n, 0)), SUM(COALESCE(f.n, 0)), SUM(COALESCE(f.g, 0))"
		   " FROM train_checks t LEFT JOIN (SELECT train_check_id,"
		   " SUM(CASE WHEN disposition = 'referral' THEN 1 ELSE 0 END) AS n,"
		   " SUM(CASE WHEN disposition = 'registered' THEN 1 ELSE 0 END) AS g"
		   " FROM occupant_checks WHERE train_check_id IS NOT NULL"
		   " GROUP BY train_check_id) f ON f.train_check_id = t.id"
		   " GROUP BY t.checkpoint_id, t.day",
		   "");
	if (n < 0)
		return dfail(d, (int)n, "checkpoint_days (rail)");
	/* The check: the bulletin's figures as of 2020-02-15. */
	int64_t v[4] = {0};
	struct dbq *q = db_query(d->c,
				 "SELECT COALESCE(SUM(CASE WHEN c.kind = 'road' THEN d.vehicles END), 0),"
				 " COALESCE(SUM(CASE WHEN c.kind = 'road' THEN d.person_trips END), 0),"
				 " COALESCE(SUM(CASE WHEN c.kind = 'rail' THEN d.trains END), 0),"
				 " COALESCE(SUM(CASE WHEN c.kind = 'rail' THEN d.person_trips END), 0)"
				 " FROM checkpoint_days d JOIN checkpoints c ON c.id = d.checkpoint_id"
				 " WHERE d.day <= '2020-02-15'",
				 "");
	int rc = q ? db_step(q) : ERR_DB;
	if (rc == 1)
		for (int i = 0; i < 4; i++)
			v[i] = db_int(q, i);
	db_done(q);
	if (rc != 1)
		return dfail(d, rc, "checkpoint_days");
	char a[32], b[32], c[32];
	if (d->progress)
		fprintf(d->progress,
			"check: checkpoint counts to 2020-02-15 road %s vehicles / %s person trips"
			" (bulletin 130,000+ / 240,000+), rail %" PRId64 " trains / %s person trips"
			" (600+ / 86,000+)\n",
			fmtc(v[0], a), fmtc(v[1], b), v[2],
			fmtc(v[3], c));
	if (v[0] < 130000 || v[1] < 240000 || v[2] < 600 || v[3] < 86000)
		return err_set(d->ei, ERR_INTERNAL, "",
			       "checkpoint counts below the bulletin: road %" PRId64 " / %" PRId64
			       ", rail %" PRId64 " / %" PRId64,
			       v[0], v[1], v[2], v[3]);
	return demo_cp_check_registered(d);
}

/* ---- gates, passes and scans ---- */

struct resident {
	int64_t person, pass;
	int unit; /* index into the pass compounds */
	int recent; /* arrived within the observation before the scan days */
};

static int64_t *read_ids(struct dc *d, const char *sql, const char *types, int64_t arg, int *n)
{
	int cap = 1024;
	int64_t *a = malloc(sizeof *a * (size_t)cap);
	*n = 0;
	struct dbq *q = a ? (types[0] ? db_query(d->c, sql, types, arg) : db_query(d->c, sql, ""))
			  : NULL;
	if (!q) {
		free(a);
		return NULL;
	}
	int rc;
	while ((rc = db_step(q)) == 1) {
		if (*n == cap) {
			int64_t *b = realloc(a, sizeof *a * (size_t)(cap *= 2));
			if (!b) {
				rc = ERR_NOMEM;
				break;
			}
			a = b;
		}
		a[(*n)++] = db_int(q, 0);
	}
	db_done(q);
	if (rc < 0) {
		free(a);
		return NULL;
	}
	return a;
}

/* A signing key made as passes.c makes one (kid "k" + day + 6 hex), from
 * the demo's seed so the same seed signs the same tokens. */
static int demo_pass_key(struct dc *d, int64_t now, char kid[17])
{
	unsigned char seed[crypto_sign_SEEDBYTES], pk[32], sk[64];
	for (size_t i = 0; i < sizeof seed; i++)
		seed[i] = (unsigned char)rnext(&d->rng);
	if (sodium_init() < 0)
		return err_set(d->ei, ERR_INTERNAL, "", "libsodium cannot start");
	crypto_sign_seed_keypair(pk, sk, seed);
	char day[DAY_LEN];
	clock_day(now, day);
	uint64_t r = rnext(&d->rng);
	snprintf(kid, 17, "k%.4s%.2s%.2s%02x%02x%02x", day, day + 5, day + 8, (unsigned)(r & 0xff),
		 (unsigned)((r >> 8) & 0xff), (unsigned)((r >> 16) & 0xff));
	char pk64[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_ORIGINAL)];
	char sk64[256]; /* sealed with the key file, as passes.c stores keys */
	sodium_bin2base64(pk64, sizeof pk64, pk, 32, sodium_base64_VARIANT_ORIGINAL);
	if (passes_seal_secret(sk, sk64, sizeof sk64))
		return dfail(d, ERR_INTERNAL, "pass_keys");
	int64_t n = db_run(d->c,
			   "INSERT INTO pass_keys(kid, public_key, secret_key, created_at)"
			   " VALUES ($1, $2, $3, $4)",
			   "ttti", kid, pk64, sk64, now);
	sodium_memzero(sk64, sizeof sk64);
	sodium_memzero(sk, sizeof sk);
	sodium_memzero(seed, sizeof seed);
	return n == 1 ? 0 : dfail(d, (int)n, "pass_keys");
}

struct scan_out {
	int64_t scans, allowed, marks, fevers;
	int64_t denied_yellow, denied_red, denied_courier, denied_fever;
};

static int put_scan(struct dc *d, int64_t gate, int64_t unit, int64_t at, const char *direction,
		    const struct resident *res, const char *kind, int temp, struct scan_out *so)
{
	char day[DAY_LEN], why[160] = "";
	clock_day(at, day);
	struct gate_facts f = {.ident = res ? GATE_ID_OK : GATE_ID_NONE,
			       .resident = res != NULL,
			       .kind = kind,
			       .out = strcmp(direction, "out") == 0,
			       .has_temp = 1,
			       .temp = temp,
			       .fever_at = d->fever_at};
	struct colour_facts cf = {0};
	int mark = 0;
	if (res) {
		int rc = passes_facts(d->c, res->person, day, d->obs_days, &cf);
		if (rc)
			return dfail(d, rc, "passes_facts");
		f.colour = passes_colour(&cf, why, sizeof why);
		f.colour_reason = why;
		if (temp < d->fever_at)
			mark = cf.travel_obs ? cf.temp_missed : 1; /* 1: unless marked today */
	}
	struct gate_decision dec;
	gates_decide(&f, &dec);
	const char *colour = f.colour;
	if (res && dec.fever)
		colour = "red";
	int64_t sid = 0;
	int s = 1;
	if (d->cp_scan) {
		struct db_copy *b = d->cp_scan;
		db_copy_int(b, gate);
		db_copy_int(b, unit);
		db_copy_int(b, at);
		db_copy_text(b, day);
		db_copy_text(b, direction);
		db_copy_id(b, res ? res->person : 0);
		db_copy_id(b, res ? res->pass : 0);
		db_copy_text(b, kind);
		db_copy_id(b, temp);
		db_copy_text(b, dec.allow ? "allow" : "deny");
		db_copy_text(b, dec.reason);
		db_copy_text(b, dec.code);
		db_copy_text(b, colour);
		db_copy_id(b, d->grid_user);
		db_copy_id(b, 0);
		db_copy_row_end(b);
		int rc = db_copy_rows(b) >= 20000 ? db_copy_send(d->c, b) : 0;
		if (rc)
			return dfail(d, rc, "gate_scans");
	} else {
		s = PEOPLE_INSERT_ID(
			d->c, &sid,
			"INSERT INTO gate_scans(gate_id, unit_id, at, day, direction, person_id,"
			" pass_id, kind, temperature, decision, reason, reason_code, colour, created_by,"
			" device_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,"
			" $14, $15)",
			"iiittIItIttttII", gate, unit, at, day, direction,
			res ? res->person : (int64_t)0, res ? res->pass : (int64_t)0, kind,
			(int64_t)temp, dec.allow ? "allow" : "deny", dec.reason, dec.code, colour,
			d->grid_user, (int64_t)0);
	}
	if (s != 1)
		return dfail(d, s, "gate_scans");
	so->scans++;
	so->allowed += dec.allow;
	if (!dec.allow) {
		if (strcmp(dec.code, "yellow") == 0)
			so->denied_yellow++;
		else if (strcmp(dec.code, "red") == 0)
			so->denied_red++;
		else if (strcmp(dec.code, "fever") == 0)
			so->denied_fever++;
		else
			so->denied_courier++;
	}
	if (res && dec.fever) {
		int64_t n = db_run(d->c,
				   "INSERT INTO fevers(person_id, at, temperature, source, source_id)"
				   " VALUES ($1, $2, $3, 'gate', $4)",
				   "iiii", res->person, at, (int64_t)temp, gate);
		if (n != 1)
			return dfail(d, (int)n, "fevers");
		so->fevers++;
	}
	if (mark) {
		int64_t n = db_run(d->c,
				   "INSERT INTO temperature_marks(person_id, day, at, temperature, gate_id)"
				   " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (person_id, day) DO NOTHING",
				   "itiii", res->person, day, at, (int64_t)temp, gate);
		if (n < 0)
			return dfail(d, (int)n, "temperature_marks");
		so->marks += n;
	}
	return 0;
}

/* The compounds whose adults get passes: up to 5 with a recent arrival
 * (someone yellow at the gate), then others at random, all with residents.
 * Chosen before the screening, whose fevers go to people elsewhere (a
 * fever recorded later would colour an earlier scan). */
static int demo_cp_pick(struct dc *d)
{
	int nrecent = 0, nlived = 0, rc = 0;
	int64_t *recent = read_ids(d,
				   "SELECT DISTINCT a.unit_id FROM arrivals a JOIN units u ON u.id = a.unit_id"
				   " WHERE u.kind = 'compound' AND a.arrival_date >= '2020-02-01'"
				   " AND a.arrival_date <= '2020-02-12' ORDER BY a.unit_id",
				   "", 0, &nrecent);
	int64_t *lived = read_ids(d,
				  "SELECT DISTINCT p.unit_id FROM persons p JOIN units u ON u.id = p.unit_id"
				  " WHERE u.kind = 'compound' AND p.located = 1 ORDER BY p.unit_id",
				  "", 0, &nlived);
	d->pass_units = malloc(sizeof *d->pass_units * PASS_COMPOUNDS);
	d->pass_gates = calloc(PASS_COMPOUNDS, sizeof *d->pass_gates);
	if (!recent || !lived || !d->pass_units || !d->pass_gates)
		rc = dfail(d, ERR_DB, "compounds");
	for (int tries = 0; !rc && nrecent && d->npass_units < 5 && tries < 50; tries++) {
		int64_t u = recent[rbelow(&d->rng, nrecent)];
		if (!is_pass_unit(d, u))
			d->pass_units[d->npass_units++] = u;
	}
	for (int tries = 0; !rc && nlived && d->npass_units < PASS_COMPOUNDS && tries < 100000;
	     tries++) {
		int64_t u = lived[rbelow(&d->rng, nlived)];
		if (!is_pass_unit(d, u))
			d->pass_units[d->npass_units++] = u;
	}
	free(recent);
	free(lived);
	return rc;
}

static int demo_cp_gates(struct dc *d)
{
	static const char *const names[] = {"东门", "东门", "南门", "南门", "南门", "西门", "北门"};
	int n = 0;
	int64_t *units = read_ids(d, "SELECT id FROM units WHERE kind = 'compound' ORDER BY id", "",
				  0, &n);
	if (!units)
		return dfail(d, ERR_DB, "units");
	int64_t created = at_day("2020-02-09", 0, 9 * 3600);
	for (int i = 0; i < n; i++) {
		int64_t g = 0;
		int rc = PEOPLE_INSERT_ID(d->c, &g,
					  "INSERT INTO gates(unit_id, name, created_at) VALUES ($1, $2, $3)",
					  "iti", units[i], RPICK(&d->rng, names), created);
		if (rc != 1) {
			free(units);
			return dfail(d, rc, "gates");
		}
		for (int k = 0; k < d->npass_units; k++)
			if (d->pass_units[k] == units[i])
				d->pass_gates[k] = g;
	}
	free(units);
	if (d->progress)
		fprintf(d->progress, "gates: %d, one per compound\n", n);
	return 0;
}

static int demo_cp_passes(struct dc *d)
{
	char kid[17], end[DAY_LEN];
	int rc = demo_pass_key(d, at_day("2020-02-09", 0, 10 * 3600), kid);
	if (rc)
		return rc;
	char last[DAY_LEN];
	day_add(PASS_DAY, PASS_DAYS + 1, end); /* as passes_issue: through the day before */
	day_add(PASS_DAY, PASS_DAYS, last);
	int64_t expires = day_start(end);
	int cap = 65536, n = 0;
	struct resident *res = malloc(sizeof *res * (size_t)cap);
	int *first = malloc(sizeof *first * (size_t)(d->npass_units + 1));
	if (!res || !first) {
		free(res);
		free(first);
		return err_set(d->ei, ERR_NOMEM, "", "out of memory");
	}
	/* ---- the passes: every adult of the pass compounds ---- */
	for (int k = 0; k < d->npass_units && !rc; k++) {
		first[k] = n;
		struct dbq *q = db_query(
			d->c,
			"SELECT p.id, CASE WHEN EXISTS (SELECT 1 FROM arrivals a WHERE a.person_id = p.id"
			" AND a.arrival_date >= '2020-01-30') THEN 1 ELSE 0 END FROM persons p"
			" WHERE p.unit_id = $1 AND p.located = 1 AND p.merged_into IS NULL"
			" AND p.birth_date <= '2002-02-10' ORDER BY p.id",
			"i", d->pass_units[k]);
		if (!q) {
			rc = dfail(d, ERR_DB, "persons");
			break;
		}
		int s;
		while ((s = db_step(q)) == 1) {
			if (n == cap) {
				struct resident *b = realloc(res, sizeof *res * (size_t)(cap *= 2));
				if (!b) {
					s = ERR_NOMEM;
					break;
				}
				res = b;
			}
			res[n].person = db_int(q, 0);
			res[n].recent = (int)db_int(q, 1);
			res[n].unit = k;
			n++;
		}
		db_done(q);
		if (s < 0) {
			rc = dfail(d, s, "persons");
			break;
		}
		for (int i = first[k]; i < n && !rc; i++) {
			int64_t issued = at_day(PASS_DAY, 0, 8 * 3600 + rbelow(&d->rng, 10 * 3600));
			int r = PEOPLE_INSERT_ID(d->c, &res[i].pass,
						 "INSERT INTO passes(person_id, unit_id, kid, issued_at, expires_at,"
						 " created_by) VALUES ($1, $2, $3, $4, $5, $6)",
						 "iitiiI", res[i].person, d->pass_units[k], kid, issued, expires,
						 d->admin_user);
			if (r != 1)
				rc = dfail(d, r, "passes");
		}
	}
	first[d->npass_units] = n;
	if (!rc && d->progress)
		fprintf(d->progress, "passes: %d for the adults of %d compounds, key %s, valid %s..%s\n",
			n, d->npass_units, kid, PASS_DAY, last);
	/* ---- the scans, 2020-02-13..15 ---- */
	struct scan_out so = {0};
	static const char *const kinds[] = {"courier", "courier", "courier", "courier", "courier",
					    "delivery", "delivery", "delivery", "delivery", "visitor"};
	for (int day = 0; day < SCAN_DAYS && !rc; day++) {
		for (int k = 0; k < d->npass_units && !rc; k++) {
			int64_t gate = d->pass_gates[k], unit = d->pass_units[k];
			for (int i = first[k]; i < first[k + 1] && !rc; i++) {
				if (rbelow(&d->rng, 100) >= (res[i].recent ? 70 : 25))
					continue;
				int64_t t1 = at_day(SCAN_FIRST_DAY, day, 7 * 3600 + rbelow(&d->rng, 6 * 3600));
				int64_t t2 = t1 + 1800 + rbelow(&d->rng, 5 * 3600);
				int temp = rbelow(&d->rng, 4000) == 0 ? (int)d->fever_at + rbelow(&d->rng, 10)
								      : normal_temp(&d->rng);
				int64_t allowed = so.allowed;
				rc = put_scan(d, gate, unit, t1, "out", &res[i], "resident", temp, &so);
				if (!rc && so.allowed > allowed)
					rc = put_scan(d, gate, unit, t2, "in", &res[i], "resident",
						      normal_temp(&d->rng), &so);
			}
			int m = 1 + rbelow(&d->rng, 3);
			for (int j = 0; j < m && !rc; j++)
				rc = put_scan(d, gate, unit,
					      at_day(SCAN_FIRST_DAY, day, 9 * 3600 + rbelow(&d->rng, 11 * 3600)),
					      "in", NULL, RPICK(&d->rng, kinds), normal_temp(&d->rng), &so);
		}
	}
	free(res);
	free(first);
	if (!rc && d->progress)
		fprintf(d->progress,
			"gate scans %s..: %" PRId64 " (%" PRId64 " allowed; denied: %" PRId64
			" yellow, %" PRId64 " red, %" PRId64 " fever, %" PRId64
			" couriers, riders and visitors), %" PRId64 " temperature marks (%.1f s)\n",
			SCAN_FIRST_DAY, so.scans, so.allowed, so.denied_yellow, so.denied_red,
			so.denied_fever, so.denied_courier, so.marks, secs(d));
	return rc;
}

/* ---- passes valid today ---- */

/* The 2020 passes all expired on 2020-03-11; these let the gate page be
 * tried on the real clock. The compound is the demo grid worker's (the
 * first compound of the first community), whose gate that account scans
 * at. No random numbers are drawn, so the 2020 records and figures stay
 * the seed's; only these passes depend on the day the demo is built. */
int demo_today_passes(struct dbc *c, int64_t now, FILE *progress, struct err_info *ei)
{
	int64_t unit = 0, admin = 0, valid = 0;
	char name[128] = "";
	struct dbq *q = db_query(c,
				 "SELECT u.id, u.name FROM users s JOIN units u ON u.id = s.scope_unit_id"
				 " WHERE s.username = 'grid_worker' AND u.kind = 'compound'",
				 "");
	int rc = q ? db_step(q) : ERR_DB;
	if (rc == 1) {
		unit = db_int(q, 0);
		snprintf(name, sizeof name, "%s", db_text(q, 1));
	}
	db_done(q);
	if (rc < 0)
		return err_set(ei, rc, "", "demo passes: %s", db_errmsg(c));
	if (rc == 0)
		return 0; /* not the demo's accounts: nothing to do */
	db_one_int(c, &admin, "SELECT id FROM users WHERE username = 'admin'", "");
	/* Already done: a pass there still good for a week. */
	rc = db_one_int(c, &valid,
			"SELECT COUNT(*) FROM passes WHERE unit_id = $1 AND revoked_at IS NULL"
			" AND expires_at > $2",
			"ii", unit, now + 7 * 86400);
	if (rc != 1)
		return err_set(ei, rc < 0 ? rc : ERR_DB, "", "demo passes: %s", db_errmsg(c));
	if (valid)
		return 0;
	/* The adults (18 today) located in the compound or its buildings. */
	char today[DAY_LEN], born[DAY_LEN], last[DAY_LEN];
	clock_day(now, today);
	memcpy(born, today, DAY_LEN);
	for (int k = 3, y = atoi(today) - 18; k >= 0; k--, y /= 10)
		born[k] = (char)('0' + y % 10);
	q = db_query(c,
		     "SELECT p.id FROM persons p JOIN units u ON u.id = p.unit_id"
		     " WHERE (u.id = $1 OR (u.parent_id = $1 AND u.kind = 'building'))"
		     " AND p.located = 1 AND p.merged_into IS NULL AND p.birth_date <= $2"
		     " ORDER BY p.id",
		     "it", unit, born);
	if (!q)
		return err_set(ei, ERR_DB, "", "demo passes: %s", db_errmsg(c));
	int64_t *ids = NULL;
	int n = 0, cap = 0;
	while ((rc = db_step(q)) == 1) {
		if (n == cap) {
			int64_t *b = realloc(ids, sizeof *ids * (size_t)(cap = cap ? cap * 2 : 512));
			if (!b) {
				rc = ERR_NOMEM;
				break;
			}
			ids = b;
		}
		ids[n++] = db_int(q, 0);
	}
	db_done(q);
	if (rc < 0) {
		free(ids);
		return err_set(ei, rc, "", "demo passes: %s", db_errmsg(c));
	}
	/* Through the route's own code path, so the tokens verify at the gate. */
	int64_t id = 0, expires = 0;
	char token[PASS_TOKEN_MAX + 1];
	for (int i = 0; i < n && !rc; i++)
		if ((rc = passes_issue(c, ids[i], unit, TODAY_PASS_DAYS, admin, now, &id, token,
				       &expires)))
			err_set(ei, rc, "", "demo passes: %s", db_errmsg(c));
	free(ids);
	if (!rc && n && progress) {
		clock_day(expires - 1, last);
		fprintf(progress,
			"passes valid today: %d for the adults of %s (unit %" PRId64
			", the grid worker's compound), valid %s..%s\n",
			n, name, unit, today, last);
	}
	return rc;
}

int demo_checkpoints(struct dbc *c, uint64_t seed, int64_t district, FILE *progress,
		     struct err_info *ei)
{
	struct dc d = {.c = c, .rng = seed, .progress = progress, .ei = ei, .district = district,
		       .rng2 = seed ^ UINT64_C(0x5245474953544552)};
	d.t0 = clock_ms();
	d.staff_user = user_id(&d, "checkpoint_staff");
	d.admin_user = user_id(&d, "admin");
	d.grid_user = user_id(&d, "grid_worker");
	d.fever_at = settings_int(c, "fever_threshold_tenths");
	if (d.fever_at <= 0)
		d.fever_at = 373;
	d.obs_days = (int)settings_int(c, "observation_days");
	if (d.obs_days <= 0)
		d.obs_days = 14;
	int rc = 0;
	if (strcmp(db_backend(c), "postgresql") == 0 &&
	    (!(d.cp_veh = db_copy_new("vehicle_checks(id, checkpoint_id, at, day, plate,"
				       " plate_province, direction, origin_code, destination,"
				       " destination_unit_id, occupants, fevers, registered, created_by,"
				       " device_id)")) ||
	     !(d.cp_occ = db_copy_new("occupant_checks(checkpoint_id, vehicle_check_id,"
				       " train_check_id, at, name, doc_type, doc_number, phone, person_id,"
				       " temperature, disposition, origin_code, destination_unit_id,"
				       " arrival_id)")) ||
	     !(d.cp_scan = db_copy_new("gate_scans(gate_id, unit_id, at, day, direction, person_id,"
					" pass_id, kind, temperature, decision, reason, reason_code, colour,"
					" created_by, device_id)"))))
		rc = err_set(ei, ERR_NOMEM, "", "out of memory");
	if (!rc && (db_one_int(c, &d.pmin, "SELECT MIN(id) FROM persons", "") != 1 ||
	    db_one_int(c, &d.pmax, "SELECT MAX(id) FROM persons", "") != 1 || d.pmax < d.pmin ||
	    d.pmin <= 0))
		rc = err_set(ei, ERR_INTERNAL, "", "the checkpoints need the population first");
	if (!rc)
		rc = demo_cp_points(&d);
	if (!rc)
		rc = demo_cp_shifts(&d);
	if (!rc)
		rc = demo_cp_pick(&d);
	if (!rc)
		rc = demo_cp_arrivals(&d);
	if (!rc)
		rc = demo_cp_road(&d);
	if (!rc)
		rc = demo_cp_rail(&d);
	if (!rc)
		rc = checks_flush(&d);
	if (!rc)
		rc = demo_cp_registry(&d);
	if (!rc)
		rc = demo_cp_days(&d);
	if (!rc)
		rc = demo_cp_gates(&d);
	if (!rc)
		rc = demo_cp_passes(&d);
	if (!rc && d.cp_scan && (rc = db_copy_send(c, d.cp_scan)))
		rc = dfail(&d, rc, "gate_scans");
	if (!rc)
		rc = demo_today_passes(c, clock_now(), progress, ei);
	db_copy_free(d.cp_veh);
	db_copy_free(d.cp_occ);
	db_copy_free(d.cp_scan);
	free(d.pass_units);
	free(d.pass_gates);
	free(d.regs);
	free(d.parties);
	return rc;
}
