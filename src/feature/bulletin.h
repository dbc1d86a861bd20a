/* The daily bulletin (疫情防控工作日报, DOMAIN.md "The seed bulletin"): every
 * figure the district reports, recomputed from records as of the end of a
 * local day for a caller's scope, and written as JSON, a printable Chinese
 * page (HTML) or an xlsx workbook. The figures come from each feature's own
 * records; this file only gathers them (bulletin_compute) and lays them out
 * (the pure functions below, unit-tested on fixtures). */
#ifndef CORDON_BULLETIN_H
#define CORDON_BULLETIN_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "../base/buf.h"
#include "../base/clock.h"
#include "../base/err.h"
#include "../db/db.h"
#include "../http/http.h"

extern const struct route_table bulletin_routes;

#define BULLETIN_MAX_ROUNDS 8
/* The day of DOMAIN.md's seed bulletin, which the demo district reproduces. */
#define BULLETIN_DEMO_DAY "2020-02-15"
#define BULLETIN_MAX_SUPPLIES 32

struct bulletin_round {
	int64_t round;   /* 1, 2 ...: the order of the rounds by start day */
	int64_t round_id;
	char name[96];
	int64_t households, persons;
};

struct bulletin_supply {
	char item[96];
	char unit[32];
	int64_t quantity;
};

/* One day's figures for one scope. Every count is as of the end of `day`. */
struct bulletin {
	char day[DAY_LEN];
	char scope_name[96]; /* the scope unit's name, for the printed title */
	struct {
		int64_t confirmed_total, cured_total, deaths_total, critical_now,
			medical_workers_infected;
		int64_t days_without_new_confirmed;
	} cases;
	struct {
		int64_t total, lifted;
	} epidemic_points;
	struct {
		int64_t working_groups, leaders, responsible_units;
	} command;
	struct {
		int64_t road, rail, road_vehicles, road_person_trips, rail_trains,
			rail_person_trips;
	} checkpoints;
	int64_t notices;
	size_t nrounds;
	struct bulletin_round screening[BULLETIN_MAX_ROUNDS];
	struct {
		int64_t centralized_active, home_active, released_total;
	} isolation;
	struct {
		int64_t allocated_fen, donations_fen;
	} funds;
	size_t nsupplies; /* the stock raised (received) by the day, as reported */
	struct bulletin_supply supplies[BULLETIN_MAX_SUPPLIES];
	size_t nstock; /* on hand at the day's end ("supplies_on_hand") */
	struct bulletin_supply stock[BULLETIN_MAX_SUPPLIES];
	struct {
		int64_t above_scale, resumed, seasonal;
	} enterprises;
	struct {
		int64_t inspection_groups, support_groups;
	} supervision;
	struct {
		int64_t expected, filed, on_time;
	} reporting;
};

/* ---- pure rules and layout ---- */

/* Validates a bulletin day "YYYY-MM-DD" (a real date) and gives the instant
 * its figures are taken at: the local midnight that ends it (*end, so a
 * record counts when its time is < *end). 0, or ERR_INVALID naming `day`. */
int bulletin_day(const char *day, int64_t *end, struct err_info *ei);
/* Resumption rate = resumed / (above_scale - seasonal), rounded to 3
 * decimals (25 / (38 - 7) = 0.806); 0 when nothing is in scope. */
double bulletin_resumption_rate(int64_t above_scale, int64_t resumed, int64_t seasonal);
/* Consecutive days without a new confirmed case as of `day`: the days
 * after the last confirmation day up to and including `day` (last
 * 2020-02-01, day 2020-02-15: 14); 0 when the last case was confirmed on
 * `day`. With no case confirmed yet (last NULL or "") it counts from
 * `since` (the first day records are kept; "" or NULL: 0). -1 for an
 * invalid day. */
int64_t bulletin_days_without(const char *day, const char *last, const char *since);
/* The bulletin as the API answers it: exactly the keys of issue 17
 * (day, cases, epidemic_points, command, checkpoints, notices, screening,
 * isolation, funds, supplies, enterprises, supervision, reporting), with
 * enterprises.resumption_rate computed. A new reference; NULL when out of
 * memory. */
json_t *bulletin_json(const struct bulletin *b);

/* One line of the bulletin's table: the section and figure in Chinese,
 * its value as printed (thousands separated, yuan for money) and its
 * JSON path ("checkpoints.road_vehicles", "screening[1].persons"). */
struct bulletin_line {
	const char *section;
	char label[64];
	char value[48];
	char path[48];
	int64_t n; /* the number itself (fen for money) */
};
/* The table rows of b into out (at most cap). Returns how many. */
size_t bulletin_lines(const struct bulletin *b, struct bulletin_line *out, size_t cap);
#define BULLETIN_MAX_LINES (48 + BULLETIN_MAX_ROUNDS * 2 + BULLETIN_MAX_SUPPLIES)
/* Appends the one-page printable bulletin in Chinese (title, day, the
 * figures in sentences and in a table) as a whole HTML document. */
int bulletin_html(const struct bulletin *b, struct buf *out);
/* Writes the bulletin as an xlsx workbook at path (one sheet, the table
 * with numbers as numbers). 0 or ERR_INTERNAL. */
int bulletin_xlsx(const struct bulletin *b, const char *path);

/* ---- from the records ---- */

/* Computes every figure of `day` (already validated) for the subtree of
 * scope_unit on c, each section by its feature's records as of the end of
 * the day. 0, or an error with ei filled. */
int bulletin_compute(struct dbc *c, int64_t scope_unit, const char *day, struct bulletin *b,
		     struct err_info *ei);

#endif
