/* The demo's case history (DOMAIN.md §5, §6; issue 12), written through the
 * features' own functions (cases_create, cases_transition,
 * contacts_add_stay, contacts_decide — which isolates each close contact —
 * isolation_close, epipoints_open/…/epipoints_lift): 8 confirmed cases
 * reported 2020-01-23..02-01 (the last so that 2020-02-15 is the 14th day
 * without a new one), 6 cured from 2020-02-08, none critical, no death, no
 * medical worker; each case's household members decided close contacts,
 * isolated and released when their 14 days end; two later cases first
 * general contacts of earlier ones (the chains of the contact network);
 * 7 epidemic points opened on
 * the cases' compounds, their 9 steps done, three work groups on a roster,
 * and each lifted through the lifting rule itself (first 2020-02-07, all by
 * 2020-02-15). The figures are then read back and checked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/clock.h"
#include "../feature/cases.h"
#include "../feature/isolation.h"
#include "demo.h"

#define NCASES 8
#define NPOINTS 7

static const char *const report_day[NCASES] = {"2020-01-23", "2020-01-24", "2020-01-25",
					       "2020-01-26", "2020-01-27", "2020-01-29",
					       "2020-01-31", "2020-02-01"};
static const char *const cured_day[NCASES] = {"2020-02-08", "2020-02-09", "2020-02-10",
					      "2020-02-11", "2020-02-12", "2020-02-14", NULL, NULL};
static const char *const lift_day[NPOINTS] = {"2020-02-07", "2020-02-08", "2020-02-09",
					      "2020-02-10", "2020-02-11", "2020-02-13",
					      "2020-02-15"};
/* Transmission chains: the case reported later (index) was first named in
 * an earlier case's interview, met the day before that case was isolated,
 * and decided a general contact; it fell ill days later, so the contact
 * network shows contacts who became cases. -1: none. (A close contact
 * would add an isolation order, and the bulletin's isolation figures are
 * fixed.) */
static const int chain_to[NCASES] = {5, -1, -1, 7, -1, -1, -1, -1};
static const char *const place_suffix[NPOINTS] = {"公寓楼", "", "", "", "", "", "宾馆"};
static const char *const groups[3] = {"incident", "health", "supply"};
static const char *const group_zh[3] = {"处置组", "监测组", "保障组"};

static int64_t at_day(const char *day, int hour)
{
	return day_start(day) + (int64_t)hour * 3600;
}

static int dfail(struct err_info *ei, struct dbc *c, int rc, const char *what)
{
	if (!ei->message[0])
		err_set(ei, rc, "", "demo cases: %s: %s", what, db_errmsg(c));
	return rc;
}

int demo_cases(struct dbc *c, FILE *progress, struct err_info *ei)
{
	int64_t officer = 0, district = 0;
	int rc = db_one_int(c, &officer, "SELECT id FROM users WHERE username = 'officer'", "");
	if (rc < 0)
		return dfail(ei, c, rc, "users");
	if ((rc = db_one_int(c, &district, "SELECT id FROM units WHERE parent_id IS NULL", "")) != 1)
		return dfail(ei, c, rc < 0 ? rc : ERR_DB, "district");
	/* Eight persons of households of three or more, in compounds spread
	 * over the district. Once the checkpoints' logs begin (2020-01-24) a
	 * case is, where the logs allow, a resident screened at the railway
	 * station in the days before it was reported, off a train with others
	 * the registry knows: its trajectory then takes the screening from the
	 * checkpoint log, and fellow passengers not under observation already
	 * become general contacts. (In the demo's logs a road vehicle carries
	 * one household.) Nobody of the household is under isolation already;
	 * the demo's gate scans begin on 2020-02-13, after every case's window,
	 * so no case has gate stays. */
	int64_t person[NCASES], unit[NCASES], household[NCASES], kase[NCASES];
	int64_t screened[NCASES] = {0}, train[NCASES] = {0};
	char uname[NCASES][128];
	int64_t last = 0;
	for (int i = 0; i < NCASES; i++) {
		char from[DAY_LEN], to[DAY_LEN];
		day_add(report_day[i], -5, from);
		day_add(report_day[i], -1, to);
		struct dbq *q = db_query(
			c,
			"SELECT p.id, p.unit_id, p.household_id, u.name, o.id, o.train_check_id"
			" FROM occupant_checks o JOIN persons p ON p.id = o.person_id"
			" JOIN households h ON h.id = p.household_id JOIN units u ON u.id = p.unit_id"
			" WHERE o.at >= $2 AND o.at < $3 AND o.train_check_id IS NOT NULL"
			" AND p.unit_id > $1 AND h.members >= 3 AND u.kind = 'compound'"
			" AND p.merged_into IS NULL AND NOT EXISTS (SELECT 1 FROM isolations i"
			" JOIN persons m ON m.id = i.person_id WHERE m.household_id = p.household_id)"
			" AND EXISTS (SELECT 1 FROM occupant_checks x JOIN persons m"
			" ON m.id = x.person_id WHERE x.train_check_id = o.train_check_id"
			" AND x.id <> o.id AND m.household_id <> p.household_id"
			" AND NOT EXISTS (SELECT 1 FROM isolations i WHERE i.person_id = m.id)"
			" AND NOT EXISTS (SELECT 1 FROM cases k WHERE k.person_id = m.id))"
			" ORDER BY p.unit_id, o.at, o.id LIMIT 1",
			"iii", last + 37, day_start(from), day_start(to) + 86400);
		if (!q)
			return dfail(ei, c, ERR_DB, "screened persons");
		if ((rc = db_step(q)) == 1) {
			person[i] = db_int(q, 0);
			unit[i] = db_int(q, 1);
			household[i] = db_int(q, 2);
			snprintf(uname[i], sizeof uname[i], "%s", db_text(q, 3));
			screened[i] = db_int(q, 4);
			train[i] = db_int(q, 5);
		}
		db_done(q);
		if (rc < 0)
			return dfail(ei, c, rc, "screened persons");
		if (rc == 1) {
			last = unit[i];
			continue;
		}
		q = db_query(c,
			     "SELECT p.id, p.unit_id, p.household_id, u.name FROM persons p"
			     " JOIN households h ON h.id = p.household_id"
			     " JOIN units u ON u.id = p.unit_id"
			     " WHERE p.unit_id > $1 AND h.members >= 3 AND u.kind = 'compound'"
			     " AND p.merged_into IS NULL ORDER BY p.unit_id, p.id LIMIT 1",
			     "i", last + 37);
		if (!q)
			return dfail(ei, c, ERR_DB, "persons");
		if ((rc = db_step(q)) == 1) {
			person[i] = db_int(q, 0);
			unit[i] = db_int(q, 1);
			household[i] = db_int(q, 2);
			snprintf(uname[i], sizeof uname[i], "%s", db_text(q, 3));
		}
		db_done(q);
		if (rc != 1)
			return dfail(ei, c, rc < 0 ? rc : ERR_DB, "no person for a case");
		last = unit[i];
	}
	int ncontacts = 0, nreleased = 0, ngeneral = 0, nlogged = 0, nchains = 0;
	for (int i = 0; i < NCASES; i++) {
		char onset[DAY_LEN], exposure[DAY_LEN];
		day_add(report_day[i], -3, onset);
		day_add(report_day[i], -1, exposure);
		int64_t reported = at_day(report_day[i], 10);
		struct case_in in = {.person_id = person[i],
				     .unit_id = unit[i],
				     .status = "confirmed",
				     .onset_day = onset,
				     .report_day = report_day[i],
				     .severity = "mild",
				     .hospital = "宁夏回族自治区第四人民医院",
				     .found_by = i < 2 ? "fever_clinic" : "contact_tracing",
				     .isolated_at = at_day(report_day[i], 14)};
		if ((rc = cases_create(c, &in, officer, reported, &kase[i])))
			return dfail(ei, c, rc, "case");
		if (cured_day[i] && (rc = cases_transition(c, kase[i], "cured", NULL, cured_day[i],
							   "治愈出院", officer,
							   at_day(cured_day[i], 11), ei)))
			return dfail(ei, c, rc, "cure");
		/* The trajectory: home, from the interview. */
		int64_t stay;
		char from_day[DAY_LEN];
		day_add(onset, -2, from_day);
		if ((rc = contacts_add_stay(c, kase[i], "unit", unit[i], 0, uname[i],
					    day_start(from_day), in.isolated_at, "interview", officer,
					    reported, &stay)))
			return dfail(ei, c, rc, "stay");
		/* The checkpoint screening, taken from the log as the officer
		 * takes a proposed stay. */
		if (screened[i]) {
			rc = contacts_take_log(c, kase[i], "checkpoint_log", screened[i], officer,
					       reported, &stay);
			if (rc)
				return dfail(ei, c, rc < 0 ? rc : ERR_INTERNAL, "checkpoint stay");
			nlogged++;
		}
		/* The household: close contacts, isolated, released after 14
		 * days; then up to 4 fellow passengers of the train not under
		 * observation already: general contacts, told and observed at
		 * home (no order). */
		struct dbq *q = db_query(
			c,
			"SELECT p.id, p.unit_id, '', 0, '' FROM persons p WHERE p.household_id = $1"
			" AND p.id <> $2 AND p.merged_into IS NULL"
			" UNION ALL SELECT * FROM (SELECT p.id, p.unit_id,"
			" cp.name || ' ' || t.train_no, o.at, '' FROM occupant_checks o"
			" JOIN persons p ON p.id = o.person_id"
			" JOIN train_checks t ON t.id = o.train_check_id"
			" JOIN checkpoints cp ON cp.id = o.checkpoint_id"
			" WHERE o.train_check_id = $3 AND p.id <> $2 AND p.household_id <> $1"
			" AND NOT EXISTS (SELECT 1 FROM isolations i WHERE i.person_id = p.id)"
			" AND NOT EXISTS (SELECT 1 FROM cases k WHERE k.person_id = p.id)"
			" ORDER BY o.at, p.id LIMIT 4) x ORDER BY 4, 1",
			"iii", household[i], person[i], train[i]);
		if (!q)
			return dfail(ei, c, ERR_DB, "contacts");
		int64_t who[16], wunit[16], wat[16];
		char wplace[16][160], wday[16][DAY_LEN];
		int n = 0;
		while (n < 16 && (rc = db_step(q)) == 1) {
			who[n] = db_int(q, 0);
			wunit[n] = db_int(q, 1);
			snprintf(wplace[n], sizeof wplace[n], "%s", db_text(q, 2));
			wat[n] = db_int(q, 3);
			if (wat[n])
				clock_day(wat[n], wday[n]);
			n++;
		}
		db_done(q);
		if (rc < 0)
			return dfail(ei, c, rc, "contacts");
		for (int k = 0; k < n; k++) {
			int64_t cid, order = 0;
			/* The reasons as the candidate list gives them. */
			json_t *why = wat[k] ? json_pack("[{s:s,s:s,s:I,s:I}]", "kind", "train",
							 "place", wplace[k], "from", (json_int_t)wat[k],
							 "to", (json_int_t)wat[k])
					     : json_pack("[{s:s}]", "kind", "household");
			char *reasons = why ? json_dumps(why, JSON_COMPACT) : NULL;
			json_decref(why);
			const char *last_day = wat[k] ? wday[k] : exposure;
			const char *decision = wat[k] ? "general" : "close";
			rc = contacts_decide(c, kase[i], who[k], wunit[k], decision, last_day, reasons,
					     officer, at_day(report_day[i], 16), &cid, &order, ei);
			free(reasons);
			if (rc)
				return dfail(ei, c, rc, "contact");
			if (wat[k]) {
				ngeneral++;
				continue;
			}
			ncontacts++;
			char end[DAY_LEN];
			contacts_observation_end("close", last_day, 14, end);
			if (order) {
				rc = isolation_close(c, order, "released", "completed",
						     "14 days of observation without symptoms",
						     officer, at_day(end, 9), ei);
				if (rc == ERR_CONFLICT) { /* closed already (another step) */
					err_clear(ei);
					rc = 0;
				}
				if (rc)
					return dfail(ei, c, rc, "release");
				nreleased++;
			}
		}
		if (chain_to[i] > 0) {
			int j = chain_to[i];
			int64_t cid, order = 0;
			rc = contacts_decide(c, kase[i], person[j], unit[j], "general", exposure, "[]",
					     officer, at_day(report_day[i], 17), &cid, &order, ei);
			if (rc == ERR_CONFLICT) { /* a fellow passenger already: a chain too */
				err_clear(ei);
				rc = 0;
			}
			if (rc)
				return dfail(ei, c, rc, "chain contact");
		}
	}
	/* The chains, as the network view finds them: contacts who are cases. */
	{
		int64_t n = 0;
		if ((rc = db_one_int(c, &n,
				     "SELECT COUNT(*) FROM contacts d JOIN cases k ON k.person_id = d.person_id"
				     " WHERE d.decision <> 'none'",
				     "")) != 1)
			return dfail(ei, c, rc < 0 ? rc : ERR_DB, "chains");
		nchains = (int)n;
		if (nchains < 2)
			return err_set(ei, ERR_INTERNAL, "", "demo cases: %d contacts became cases, 2 expected",
				       nchains);
	}
	/* The 7 epidemic points: the last takes the last two cases. */
	for (int i = 0; i < NPOINTS; i++) {
		char name[160];
		snprintf(name, sizeof name, "%s%s", uname[i], place_suffix[i]);
		int64_t ids[2] = {kase[i], kase[NCASES - 1]};
		size_t nids = i == NPOINTS - 1 ? 2 : 1;
		int64_t id = 0;
		if ((rc = epipoints_open(c, unit[i], name, ids, nids, report_day[i], officer,
					 at_day(report_day[i], 12), &id)))
			return dfail(ei, c, rc, "epidemic point");
		int span = day_diff(report_day[i], lift_day[i]);
		for (int s = 1; s <= 9; s++) {
			char d[DAY_LEN];
			int off = s <= 5 ? 0 : span - (10 - s);
			day_add(report_day[i], off < 0 ? 0 : off, d);
			if ((rc = epipoints_step_done(c, id, s, NULL, officer, at_day(d, 12 + s))) < 0)
				return dfail(ei, c, rc, "step");
		}
		for (int g = 0; g < 3; g++)
			for (int t = 0; t < 4; t++) {
				char who[64];
				int64_t mid;
				snprintf(who, sizeof who, "%s%c班队员", group_zh[g], 'A' + t);
				if ((rc = epipoints_add_member(c, id, groups[g], who, 0, NULL, t,
							       at_day(report_day[i], 12), &mid)))
					return dfail(ei, c, rc, "member");
			}
		if ((rc = epipoints_roster(c, id, report_day[i], span)) < 0)
			return dfail(ei, c, rc, "roster");
		json_t *bl = NULL;
		rc = epipoints_lift(c, id, lift_day[i], officer, &bl, ei);
		json_decref(bl);
		if (rc)
			return dfail(ei, c, rc, "lift");
	}
	/* The check: the bulletin's figures as of 2020-02-15 from the records. */
	struct case_figures f;
	struct epi_figures e;
	if ((rc = cases_figures_as_of(c, district, "2020-02-15", &f)) ||
	    (rc = epipoints_figures_as_of(c, district, "2020-02-15", &e)))
		return dfail(ei, c, rc, "figures");
	if (f.confirmed_total != 8 || f.cured_total != 6 || f.deaths_total || f.critical_now ||
	    f.medical_workers_infected || f.days_without_new_confirmed != 14 || e.total != 7 ||
	    e.lifted != 7 || strcmp(e.first_lifted_day, "2020-02-07") != 0)
		return err_set(ei, ERR_INTERNAL, "",
			       "demo cases: figures as of 2020-02-15 are %lld/%lld/%lld/%lld/%lld,"
			       " %lld days, points %lld/%lld first lifted %s",
			       (long long)f.confirmed_total, (long long)f.cured_total,
			       (long long)f.deaths_total, (long long)f.critical_now,
			       (long long)f.medical_workers_infected,
			       (long long)f.days_without_new_confirmed, (long long)e.lifted,
			       (long long)e.total, e.first_lifted_day);
	if (progress)
		fprintf(progress,
			"cases: %lld confirmed, %lld cured (first 2020-02-08), %lld days without a new"
			" one on 2020-02-15; %d screened off a train (their stays from the"
			" checkpoint log); %d close contacts isolated (%d released), %d fellow"
			" passengers general contacts, %d contacts who became cases; epidemic"
			" points %lld/%lld lifted (first %s)\n",
			(long long)f.confirmed_total, (long long)f.cured_total,
			(long long)f.days_without_new_confirmed, nlogged, ncontacts, nreleased,
			ngeneral, nchains,
			(long long)e.lifted, (long long)e.total, e.first_lifted_day);
	return 0;
}
