/* The demo's isolation (DOMAIN.md §8, issue 11): three designated hotels
 * and two designated hospitals of the district with rooms; the orders the
 * registry's graded arrivals imply (every arrival from the worst-hit and
 * heavily hit areas, centralized while a hotel bed is free and at home with
 * the reason when none is; a sample of arrivals from other provinces at
 * home), day by day from 2020-01-20 to 2020-02-15, each written through
 * isolation.h's functions as the API writes them (but the checks of an
 * order's day with no fever or symptom, ~99 % of them: those are written
 * set-based at the day's end with the same rows and counters, a call
 * each was 45 s of the PostgreSQL build): twice-daily checks with a
 * realistic share missed, a few fevers whose alerts the demo medic closes
 * (some transferred by 120), releases on the planned end day, the 4包1
 * carers from the demo's accounts (a few gaps), and service requests. On
 * 2020-02-15 alerts, requests and releases due are left open, so every
 * monitoring view has content as of that day. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/clock.h"
#include "../feature/isolation.h"
#include "../http/settings.h"
#include "demo.h"

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

#define LAST_DAY "2020-02-15"
#define FIRST_DAY "2020-01-20"
#define OTHER_EVERY 16 /* one arrival from another province in this many is ordered home */

struct arrival {
	int64_t person;
	char day[DAY_LEN];
	int centralized;
};

struct live {
	int64_t id;
	int64_t created; /* the order's created_at, read once (a round trip a day on PostgreSQL) */
	char end[DAY_LEN];
	int alert_open;  /* an alert raised today, closed in the evening */
	int64_t alert;
	int symptom_day; /* day number of the last fever or symptom, -1 none */
};

struct di {
	struct dbc *c;
	uint64_t rng;
	struct err_info *ei;
	int64_t district, user[ISOLATION_CARERS], medic, grid;
	struct arrival *arr;
	size_t narr;
	struct live *live;
	size_t nlive, cap;
	int orders, checks, missed, fevers, transfers, releases, requests, overridden;
	int fever_at;
	struct check_windows w;
	struct db_copy *cp; /* PostgreSQL: the staged checks by COPY */
	int64_t staged;     /* checks staged since the last flush (their order) */
};

static int fail(struct di *d, int rc, const char *what)
{
	if (d->ei->message[0])
		return rc < 0 ? rc : ERR_DB;
	return err_set(d->ei, rc < 0 ? rc : ERR_DB, "", "isolation demo: %s: %s", what,
		       db_errmsg(d->c));
}

static int64_t user_id(struct dbc *c, const char *name)
{
	int64_t id = 0;
	db_one_int(c, &id, "SELECT id FROM users WHERE username = $1", "t", name);
	return id;
}

static int sites(struct di *d)
{
	static const struct {
		const char *name, *kind, *address;
		int floors, per_floor, beds;
	} s[] = {
		{"金凤区集中隔离点（银川悦海宾馆）", "hotel", "金凤区北京中路", 4, 30, 1},
		{"金凤区集中隔离点（宁夏国际饭店）", "hotel", "金凤区正源北街", 4, 30, 1},
		{"金凤区集中隔离点（阅海湾商务酒店）", "hotel", "金凤区亲水大街", 3, 30, 1},
		{"宁夏回族自治区第四人民医院", "hospital", "金凤区黄河东路", 2, 10, 2},
		{"银川市第一人民医院", "hospital", "兴庆区利群西街", 1, 10, 2},
	};
	for (size_t i = 0; i < sizeof s / sizeof s[0]; i++) {
		int64_t site = 0;
		struct dbq *q = db_query(d->c,
					 "INSERT INTO isolation_sites(unit_id, name, kind, address, created_at)"
					 " VALUES ($1, $2, $3, $4, $5) RETURNING id",
					 "itttii", d->district, s[i].name, s[i].kind, s[i].address,
					 day_start(FIRST_DAY));
		if (!q || db_step(q) != 1) {
			db_done(q);
			return fail(d, ERR_DB, "sites");
		}
		site = db_int(q, 0);
		db_done(q);
		int rooms = 0, beds = 0;
		for (int f = 1; f <= s[i].floors; f++)
			for (int n = 1; n <= s[i].per_floor; n++) {
				char num[32];
				snprintf(num, sizeof num, "%d%02d", f + 1, n);
				if (db_run(d->c,
					   "INSERT INTO isolation_rooms(site_id, number, floor, beds, created_at)"
					   " VALUES ($1, $2, $3, $4, $5)",
					   "itiii", site, num, (int64_t)(f + 1), (int64_t)s[i].beds,
					   day_start(FIRST_DAY)) < 0)
					return fail(d, ERR_DB, "rooms");
				rooms++;
				beds += s[i].beds;
			}
		if (db_run(d->c, "UPDATE isolation_sites SET rooms = $2, beds = $3 WHERE id = $1", "iii",
			   site, (int64_t)rooms, (int64_t)beds) < 0)
			return fail(d, ERR_DB, "site counts");
	}
	return 0;
}

static int load_arrivals(struct di *d)
{
	struct dbq *q = db_query(d->c,
				 "SELECT person_id, arrival_date, grade FROM arrivals"
				 " WHERE grade IN ('severe', 'heavy', 'other_province')"
				 " AND arrival_date >= $1 AND arrival_date <= $2"
				 " ORDER BY arrival_date, id",
				 "tt", FIRST_DAY, LAST_DAY);
	if (!q)
		return fail(d, ERR_DB, "arrivals");
	size_t cap = 0, other = 0;
	int rc;
	while ((rc = db_step(q)) == 1) {
		int central = strcmp(db_text(q, 2), "other_province") != 0;
		if (!central && other++ % OTHER_EVERY)
			continue;
		if (d->narr == cap) {
			cap = cap ? cap * 2 : 1024;
			struct arrival *n = realloc(d->arr, cap * sizeof *n);
			if (!n) {
				db_done(q);
				return err_set(d->ei, ERR_NOMEM, "", "out of memory");
			}
			d->arr = n;
		}
		struct arrival *a = &d->arr[d->narr++];
		a->person = db_int(q, 0);
		snprintf(a->day, sizeof a->day, "%s", db_text(q, 1));
		a->centralized = central;
	}
	db_done(q);
	return rc < 0 ? fail(d, rc, "arrivals") : 0;
}

static int add_live(struct di *d, int64_t id, const char *end, int64_t created)
{
	if (d->nlive == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 512;
		struct live *n = realloc(d->live, d->cap * sizeof *n);
		if (!n)
			return err_set(d->ei, ERR_NOMEM, "", "out of memory");
		d->live = n;
	}
	struct live *l = &d->live[d->nlive++];
	memset(l, 0, sizeof *l);
	l->id = id;
	l->created = created;
	snprintf(l->end, sizeof l->end, "%s", end);
	l->symptom_day = -1;
	return 0;
}

static int64_t free_room(struct di *d)
{
	int64_t room = 0;
	db_one_int(d->c, &room,
		   "SELECT rm.id FROM isolation_rooms rm JOIN isolation_sites s ON s.id = rm.site_id"
		   " WHERE s.kind = 'hotel' AND rm.occupied < rm.beds ORDER BY rm.id LIMIT 1",
		   "");
	return room;
}

/* Orders for the arrivals of day (made that afternoon). */
static int order_arrivals(struct di *d, const char *day, size_t *next)
{
	int64_t at = day_start(day) + 15 * 3600;
	for (; *next < d->narr && strcmp(d->arr[*next].day, day) <= 0; (*next)++) {
		struct arrival *a = &d->arr[*next];
		struct isolation_new in = {.person_id = a->person,
					   .reason = "arrival",
					   .source = "demo",
					   .by_user = d->user[0],
					   .at = at};
		for (int i = 0; i < ISOLATION_CARERS; i++)
			in.carers[i] = d->user[i];
		if (rbelow(&d->rng, 100) < 4)
			in.carers[1] = 0; /* a party member not yet named */
		if (a->centralized) {
			in.room_id = free_room(d);
			if (in.room_id) {
				in.kind = "centralized";
			} else {
				in.kind = "home";
				in.override_reason = "定点酒店已满，居家隔离";
				d->overridden++;
			}
		} else {
			in.kind = "home";
		}
		int64_t id = 0;
		struct err_info ei = {0};
		int rc = isolation_order_create(d->c, &in, &id, &ei);
		if (rc == ERR_CONFLICT || rc == ERR_RULE || rc == ERR_INVALID)
			continue; /* already under an order, or the observation is over */
		if (rc)
			return fail(d, rc, ei.message);
		char end[DAY_LEN];
		struct dbq *q = db_query(d->c,
					 "SELECT planned_end_day, created_at FROM isolations WHERE id = $1",
					 "i", id);
		if (!q || db_step(q) != 1) {
			db_done(q);
			return fail(d, ERR_DB, "order");
		}
		snprintf(end, sizeof end, "%s", db_text(q, 0));
		int64_t created = db_int(q, 1);
		db_done(q);
		if ((rc = add_live(d, id, end, created)))
			return rc;
		d->orders++;
	}
	return 0;
}

/* The staging table of the normal checks (temporary: the build's
 * connection only), written to health_checks, check_days and
 * check_day_counts at the end of each day by checks_flush. */
static int stage_open(struct di *d)
{
	if (db_run(d->c,
		   "CREATE TEMP TABLE demo_checks(seq BIGINT, isolation_id BIGINT, at BIGINT,"
		   " day TEXT, slot TEXT, temperature INTEGER, by_kind TEXT, by_user BIGINT,"
		   " client_id TEXT, created_at BIGINT)",
		   "") < 0)
		return fail(d, ERR_DB, "staging");
	if (strcmp(db_backend(d->c), "postgresql") == 0 &&
	    !(d->cp = db_copy_new("demo_checks(seq, isolation_id, at, day, slot, temperature,"
				  " by_kind, by_user, client_id, created_at)")))
		return err_set(d->ei, ERR_NOMEM, "", "out of memory");
	return 0;
}

/* A normal check (no fever, no symptom) of an active order, with the day
 * and slot monitor_check_add would give it. */
static int stage_check(struct di *d, const struct check_in *in)
{
	char day[DAY_LEN];
	clock_day(in->at, day);
	const char *slot = monitor_slot((int)((in->at - day_start(day)) / 3600), &d->w);
	int64_t seq = ++d->staged, now = clock_now();
	if (d->cp) {
		db_copy_int(d->cp, seq);
		db_copy_int(d->cp, in->isolation_id);
		db_copy_int(d->cp, in->at);
		db_copy_text(d->cp, day);
		db_copy_text(d->cp, slot);
		db_copy_int(d->cp, in->temp);
		db_copy_text(d->cp, in->by_kind);
		db_copy_id(d->cp, in->by_user);
		db_copy_text(d->cp, in->client_id);
		db_copy_int(d->cp, now);
		db_copy_row_end(d->cp);
		return 0;
	}
	if (db_run(d->c, "INSERT INTO demo_checks VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
		   "iiittitIti", seq, in->isolation_id, in->at, day, slot, (int64_t)in->temp,
		   in->by_kind, in->by_user, in->client_id, now) < 0)
		return fail(d, ERR_DB, "staged check");
	return 0;
}

#define STAGED_SLOTS                                                                           \
	"SELECT isolation_id, day, MAX(CASE WHEN slot = 'morning' THEN 1 ELSE 0 END) AS m,"       \
	" MAX(CASE WHEN slot = 'evening' THEN 1 ELSE 0 END) AS e, COUNT(*) AS n,"                \
	" MAX(temperature) AS t FROM demo_checks GROUP BY isolation_id, day"

/* The staged checks into health_checks (in the order made), each order's
 * day into check_days and the slots done into check_day_counts, as
 * monitor_check_add and monitor_count_check keep them: a staged order's
 * day has no other check (a day with any abnormal check is not staged). */
static int checks_flush(struct di *d)
{
	int rc;
	if (d->cp && (rc = db_copy_send(d->c, d->cp)))
		return fail(d, rc, "staged checks");
	if (db_run(d->c,
		   "INSERT INTO health_checks(isolation_id, person_id, at, day, slot, temperature,"
		   " symptoms, by_kind, by_user, client_id, created_at)"
		   " SELECT s.isolation_id, i.person_id, s.at, s.day, s.slot, s.temperature, '',"
		   " s.by_kind, s.by_user, s.client_id, s.created_at FROM demo_checks s"
		   " JOIN isolations i ON i.id = s.isolation_id ORDER BY s.seq",
		   "") < 0 ||
	    db_run(d->c,
		   "INSERT INTO check_days(isolation_id, day, morning, evening, checks, max_temp,"
		   " symptomatic) SELECT isolation_id, day, m, e, n, t, 0 FROM (" STAGED_SLOTS ") g",
		   "") < 0 ||
	    db_run(d->c,
		   "INSERT INTO check_day_counts(unit_id, day, morning, evening, both_done)"
		   " SELECT i.unit_id, g.day, SUM(g.m), SUM(g.e), SUM(g.m * g.e)"
		   " FROM (" STAGED_SLOTS ") g JOIN isolations i ON i.id = g.isolation_id"
		   " GROUP BY i.unit_id, g.day HAVING SUM(g.m) + SUM(g.e) > 0"
		   " ON CONFLICT (unit_id, day) DO UPDATE SET"
		   " morning = check_day_counts.morning + excluded.morning,"
		   " evening = check_day_counts.evening + excluded.evening,"
		   " both_done = check_day_counts.both_done + excluded.both_done",
		   "") < 0 ||
	    db_run(d->c, "DELETE FROM demo_checks", "") < 0)
		return fail(d, ERR_DB, "staged checks");
	return 0;
}

static const char *const symptom_pool[] = {"cough", "fatigue", "sore_throat", "diarrhoea"};
static const char *const services[] = {"meals", "shopping", "psychological", "health"};

/* One order's day: its checks, a fever now and then, a service request. */
static int order_day(struct di *d, struct live *l, const char *day, int dn, int last)
{
	int64_t start = day_start(day);
	int64_t slots[2] = {start + 7 * 3600 + 60 * rbelow(&d->rng, 240),
			    start + 18 * 3600 + 60 * rbelow(&d->rng, 200)};
	int64_t created = l->created;
	/* The day's checks, drawn first (the draws in the order they always
	 * were). A day whose checks are all normal raises nothing and reads
	 * nothing back: its checks are staged and written set-based with the
	 * day's others (checks_flush); a day with a fever or a symptom goes
	 * through monitor_check_add, which raises the alert. */
	struct check_in in[2];
	char cid[2][40];
	int n = 0, abnormal = 0;
	for (int s = 0; s < 2; s++) {
		if (slots[s] < created)
			continue;
		if (last && s == 1)
			break; /* the evening of 2020-02-15 has not come in the demo */
		if (rbelow(&d->rng, 100) < (s ? 6 : 4)) {
			d->missed++;
			continue;
		}
		int temp = 360 + rbelow(&d->rng, 12);
		const char *sym = "";
		/* About three fevers and four symptoms in a thousand checks; more
		 * on the last day, so its alerts are there to be seen. */
		int roll = rbelow(&d->rng, last ? 100 : 1000);
		if (roll < 3)
			temp = 373 + rbelow(&d->rng, 15);
		else if (roll < 7)
			sym = symptom_pool[rbelow(&d->rng, 4)];
		snprintf(cid[n], sizeof cid[n], "demo-%lld-%d-%d", (long long)l->id, dn, s);
		in[n] = (struct check_in){.isolation_id = l->id,
					  .temp = temp,
					  .symptoms = sym,
					  .by_kind = rbelow(&d->rng, 3) ? "self" : "carer",
					  .client_id = cid[n],
					  .at = slots[s]};
		if (!strcmp(in[n].by_kind, "carer"))
			in[n].by_user = d->grid;
		abnormal |= *sym || monitor_is_fever(temp, d->fever_at);
		n++;
	}
	for (int k = 0; k < n; k++) {
		if (!abnormal) {
			int rc = stage_check(d, &in[k]);
			if (rc)
				return rc;
			d->checks++;
			continue;
		}
		struct check_out out;
		struct err_info ei = {0};
		int rc = monitor_check_add(d->c, &in[k], &out, &ei);
		if (rc)
			return fail(d, rc, ei.message);
		d->checks++;
		if (out.alert_id) {
			l->alert = out.alert_id;
			l->alert_open = 1;
			l->symptom_day = dn;
			d->fevers += in[k].temp >= 373;
		}
	}
	/* The medic closes the day's alert that evening; on the last day it
	 * stays open. A fever goes to hospital by 120 one time in three. */
	if (l->alert_open && !last) {
		int fever = db_one_int(d->c, NULL,
				   "SELECT 1 FROM health_alerts WHERE id = $1 AND kind = 'fever'", "i",
				   l->alert) == 1;
		const char *outcome = fever && rbelow(&d->rng, 3) == 0 ? "transferred_120" : "normal";
		struct err_info ei = {0};
		int rc = monitor_alert_close(d->c, l->alert, outcome, NULL, d->medic, 0,
					     start + 20 * 3600 + 60 * rbelow(&d->rng, 90), &ei);
		if (rc)
			return fail(d, rc, ei.message);
		l->alert_open = 0;
		int64_t nid = 0;
		if (!strcmp(outcome, "transferred_120"))
			db_one_int(d->c, &nid,
				   "SELECT id FROM isolations WHERE source = 'transfer' AND source_id = $1",
				   "i", l->id);
		if (nid) { /* not when it already was a hospital order */
			d->transfers++;
			char end[DAY_LEN] = "";
			int64_t ncreated = 0;
			struct dbq *q = db_query(d->c,
						 "SELECT planned_end_day, created_at FROM isolations"
						 " WHERE id = $1",
						 "i", nid);
			if (q && db_step(q) == 1) {
				snprintf(end, sizeof end, "%s", db_text(q, 0));
				ncreated = db_int(q, 1);
			}
			db_done(q);
			l->id = nid;
			l->created = ncreated;
			snprintf(l->end, sizeof l->end, "%s", end);
		}
	}
	/* A service request now and then: done within hours, except those of
	 * the last day. */
	if (rbelow(&d->rng, 100) < 5) {
		struct request_in rq = {.isolation_id = l->id,
					.kind = services[rbelow(&d->rng, 4)],
					.by_self = rbelow(&d->rng, 2),
					.at = start + 10 * 3600 + 60 * rbelow(&d->rng, 300)};
		rq.by_user = rq.by_self ? 0 : d->grid;
		int64_t rid = 0;
		struct err_info ei = {0};
		int rc = carers_request_add(d->c, &rq, &rid, &ei);
		if (rc)
			return fail(d, rc, ei.message);
		d->requests++;
		if (!last) {
			int64_t done = rq.at + 1800 + 60 * rbelow(&d->rng, 180);
			if (db_run(d->c,
				   "UPDATE service_requests SET status = 'done', assigned_to = $2,"
				   " assigned_at = $3, done_at = $4, done_by = $2 WHERE id = $1",
				   "iiii", rid, d->grid, rq.at + 600, done) < 0)
				return fail(d, ERR_DB, "request done");
		}
	}
	return 0;
}

int demo_isolation(struct dbc *c, uint64_t seed, int64_t district, FILE *progress,
		   struct err_info *ei)
{
	struct di d = {.c = c, .rng = seed, .ei = ei, .district = district};
	static const char *const carer_users[ISOLATION_CARERS] = {"group_lead", "officer", "medic",
								 "grid_worker"};
	for (int i = 0; i < ISOLATION_CARERS; i++)
		d.user[i] = user_id(c, carer_users[i]);
	d.medic = d.user[2];
	d.grid = d.user[3];
	d.fever_at = (int)settings_int(c, "fever_threshold_tenths");
	if (d.fever_at <= 0)
		d.fever_at = 373;
	monitor_windows(c, &d.w);
	double t0 = clock_ms();
	int rc = stage_open(&d);
	if (!rc)
		rc = sites(&d);
	if (!rc)
		rc = load_arrivals(&d);
	size_t next = 0;
	char day[DAY_LEN];
	snprintf(day, sizeof day, "%s", FIRST_DAY);
	for (int dn = 0; !rc && strcmp(day, LAST_DAY) <= 0; dn++) {
		int last = !strcmp(day, LAST_DAY);
		/* Releases on the planned end day (none on the last day: those are
		 * the releases due), when no alert is open and nothing was found in
		 * the last three days. */
		for (size_t i = 0; !rc && i < d.nlive;) {
			struct live *l = &d.live[i];
			if (!last && strcmp(l->end, day) <= 0 && !l->alert_open &&
			    (l->symptom_day < 0 || dn - l->symptom_day >= 3)) {
				struct err_info e2 = {0};
				rc = isolation_close(c, l->id, "released", "completed", NULL, d.user[1],
						     day_start(day) + 16 * 3600, &e2);
				if (rc) {
					rc = fail(&d, rc, e2.message);
					break;
				}
				d.releases++;
				d.live[i] = d.live[--d.nlive];
				continue;
			}
			i++;
		}
		if (!rc)
			rc = order_arrivals(&d, day, &next);
		for (size_t i = 0; !rc && i < d.nlive; i++)
			rc = order_day(&d, &d.live[i], day, dn, last);
		if (!rc)
			rc = checks_flush(&d);
		char nextday[DAY_LEN];
		day_add(day, 1, nextday);
		memcpy(day, nextday, DAY_LEN);
	}
	if (!rc && progress)
		fprintf(progress,
			"isolation: %d orders (%d at home for want of a hotel bed), %d checks (%d missed),"
			" %d fevers, %d transfers by 120, %d releases, %d service requests, %zu active on"
			" %s (%.1f s)\n",
			d.orders, d.overridden, d.checks, d.missed, d.fevers, d.transfers, d.releases,
			d.requests, d.nlive, LAST_DAY, (clock_ms() - t0) / 1000.0);
	if (!rc && db_run(c, "DROP TABLE demo_checks", "") < 0)
		rc = fail(&d, ERR_DB, "staging");
	db_copy_free(d.cp);
	free(d.arr);
	free(d.live);
	return rc;
}
