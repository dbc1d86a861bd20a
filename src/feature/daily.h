/* The command's daily work (DOMAIN.md §1, §3, §10, §12; issue 13): daily and
 * zero reports with reporting rate and timeliness (reports.c), the evening
 * dispatch and its problems (dispatch.c), public notices (notices.c), venue
 * closures (venues.c), supervision (supervision.c) and volunteers
 * (volunteers.c). This header holds their route tables, the pure rules they
 * apply (unit-tested), the figures the bulletin reads from records, and the
 * small input helpers they share (daily_util.c). */
#ifndef CORDON_DAILY_H
#define CORDON_DAILY_H

#include <stddef.h>
#include <stdint.h>

#include "../base/clock.h"
#include "../http/http.h"

extern const struct route_table reports_routes;
extern const struct route_table dispatch_routes;
extern const struct route_table notices_routes;
extern const struct route_table venues_routes;
extern const struct route_table supervision_routes;
extern const struct route_table volunteers_routes;

/* ---------- daily and zero reporting (reports.c) ---------- */

/* The day's figures a report carries, in this order. */
#define REPORT_NFIGURES 10
extern const char *const reports_figure_keys[REPORT_NFIGURES];

/* 1 when a report for `day` filed at instant `at` is on time: at or before
 * the deadline, deadline_min minutes after the local midnight that starts
 * day (960: 16:00 local). 0 when late (or day is not a valid day). */
int reports_on_time(const char *day, int64_t at, int64_t deadline_min);

/* A reporting unit: expected from day `from` to day `until` inclusive
 * (until "" when the duty has no end). */
struct rep_unit {
	int64_t id;
	char from[DAY_LEN];
	char until[DAY_LEN];
};
/* A filed report (the current one of its unit and day). */
struct rep_filing {
	int64_t unit_id;
	char day[DAY_LEN];
	int on_time;
};
struct rep_tally {
	int64_t expected; /* unit-days a report was owed */
	int64_t filed;    /* of those, unit-days with a report */
	int64_t on_time;  /* of those, reports filed by the deadline */
};
/* Completeness and timeliness over the days from..to (inclusive) as DHIS2
 * computes them: expected counts each unit on each day of the period it was
 * a reporting unit (a unit created midway only from its first day); a
 * filing counts only on a day its unit was expected. units must be sorted
 * by id. Adds into *out (the caller zeroes it). */
void reports_tally(const struct rep_unit *units, size_t nunits, const struct rep_filing *f,
		   size_t nf, const char *from, const char *to, struct rep_tally *out);
/* The figures Cordon knows for a unit's subtree on a day (screening
 * visits, arrivals by grade, isolation orders begun and released, fevers,
 * checkpoint traffic), into v[] in the order of reports_figure_keys;
 * known[i] says which come from records (all of them now). 0 or an error. */
int reports_prefill(struct dbc *c, int64_t unit, const char *day, int64_t v[REPORT_NFIGURES],
		    int known[REPORT_NFIGURES]);
/* Per mille of part in whole, rounded (0 when whole is 0): 957 = 95.7 %. */
int64_t reports_permille(int64_t part, int64_t whole);

/* Bulletin: reports expected, filed and filed on time for one day over the
 * reporting units in scope_unit's subtree (towns, sub-districts and key
 * units), from records. 0 or a negative enum err. */
struct daily_reporting {
	int64_t expected, filed, on_time;
};
int daily_reporting_as_of(struct dbc *c, int64_t scope_unit, const char *day,
			  struct daily_reporting *out);

/* ---------- dispatch (dispatch.c) ---------- */

/* 1 when a problem raised on raised_day and closed on closed_day (NULL or
 * "" while open) is on the agenda of the meeting of `day`: raised that day,
 * or raised before and still open that morning (it carries over). */
int dispatch_on_agenda(const char *raised_day, const char *closed_day, const char *day);
/* 1 when a problem due on due_day is overdue on `day`: still open at the
 * end of day and due before it. */
int dispatch_overdue(const char *due_day, const char *closed_day, const char *day);

/* ---------- notices (notices.c) ---------- */

/* Bulletin: notices published (dated) on or before day by the units of
 * scope_unit's subtree and above it (the district's notices count for every
 * town). 0 or a negative enum err. */
int notices_count_as_of(struct dbc *c, int64_t scope_unit, const char *day, int64_t *out);

/* ---------- venues (venues.c) ---------- */

/* The status of a venue on day: "closed" when closed_day <= day and not
 * reopened by then, "reopened" when reopened_day <= day, else "open". */
const char *venues_status(const char *closed_day, const char *reopened_day, const char *day);
/* 1 when kind is a venue kind (mall, religious, internet_cafe,
 * serviced_apartment, market, poultry, other). */
int venues_kind_valid(const char *kind);

/* ---------- supervision (supervision.c) ---------- */

/* Bulletin: inspection groups and support groups formed on or before day,
 * kept by scope_unit's subtree or above it. 0 or a negative enum err. */
int supervision_groups_as_of(struct dbc *c, int64_t scope_unit, const char *day,
			     int64_t *inspection, int64_t *support);

/* ---------- volunteers (volunteers.c) ---------- */

/* Whole minutes served in a shift from start to end (0 when end <= start). */
int64_t volunteers_minutes(int64_t start, int64_t end);

/* ---------- shared input helpers (daily_util.c) ---------- */

/* A record kept by the unit in `col` (the command's notices, inspection
 * groups) is visible when that unit is the caller's scope unit, one of its
 * ancestors, or lies inside the scope. Bind the caller's scope unit at $n. */
#define DAILY_VISIBLE_SQL(col, n)                                                 \
	"(" col " IN (SELECT ancestor_id FROM unit_tree WHERE unit_id = $" n ") OR " \
	col " IN (SELECT unit_id FROM unit_tree WHERE ancestor_id = $" n "))"

/* Appends s to b with &, <, >, " and ' escaped for HTML. */
struct buf;
void daily_html_escape(struct buf *b, const char *s);

/* A day field of the JSON body: "YYYY-MM-DD". Absent leaves *out "" (400
 * when required). */
int daily_json_day(struct req *r, const char *key, int required, char out[DAY_LEN]);
/* A day in the query string, def (may be NULL: "") when absent. */
int daily_query_day(struct req *r, const char *key, const char *def, char out[DAY_LEN]);
/* Free text that may hold line breaks (jx_str refuses them): a string of at
 * most maxlen characters, no NUL or other control characters but tab and
 * line breaks. "" becomes NULL unless required. */
int daily_json_text(struct req *r, const char *key, int required, size_t maxlen,
		    const char **out, int *present);
/* The day of an action that may be dated back (a day field read with
 * daily_json_day): "" becomes today; a day after today is 422 naming `day`. */
int daily_day_up_to_today(struct req *r, char day[DAY_LEN]);
/* Today, the local day of clock_now(). */
void daily_today(char out[DAY_LEN]);
/* Runs an INSERT ... RETURNING id: 0 with *id, ERR_CONFLICT for a duplicate,
 * or another error. Consumes q (NULL: ERR_DB). */
int daily_insert(struct dbq *q, int64_t *id);
/* Checks that unit_id names a unit (400 on `field` when not) inside the
 * caller's scope (403 when not); fills kind (16 bytes) when not NULL. */
int daily_unit_for_write(struct req *r, struct dbc *c, int64_t unit_id, const char *field,
			 char *kind);

#endif
