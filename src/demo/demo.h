/* The demo district (`cordon demo`): Jinfeng District of Yinchuan (640106)
 * with its sub-districts and towns, communities and villages, compounds, the
 * command structure, one account per role, and the whole population with its
 * two screening rounds (DOMAIN.md §7). Deterministic: the same seed
 * builds the same district. Later features add their records here until the
 * demo reproduces the whole bulletin of DOMAIN.md from records. */
#ifndef CORDON_DEMO_H
#define CORDON_DEMO_H

#include <stdint.h>
#include <stdio.h>

#include "../db/db.h"

#define DEMO_PASSWORD "demo2020"
#define DEMO_VERSION 13 /* bump when the demo's content changes */

/* The population and the logs that grow with it (households, persons,
 * visits, arrivals, checkpoint checks, gate scans) are built `n` times as
 * large (`cordon demo --scale N`, 1..100; default 1, the bulletin's
 * figures); the figures that do not scale (units, the command, checkpoints,
 * cases, points, enterprises) stay. Set before demo_build. */
void demo_set_scale(int n);
int demo_scale(void);
/* Fills an empty, migrated database. Progress lines go to `progress` (may be
 * NULL). Returns 0 or an error with ei filled. */
int demo_build(struct db *db, uint32_t seed, FILE *progress, struct err_info *ei);
/* The step after the accounts (demo_people.c): the population, risk areas,
 * arrivals and the two screening rounds with their visits, inside the
 * caller's transaction on c; the round totals are checked against the
 * bulletin before it returns 0 (otherwise an error with ei filled). */
int demo_people(struct dbc *c, uint64_t seed, FILE *progress, struct err_info *ei);
/* The step after the population (demo_checkpoints.c): the five checkpoints
 * of DOMAIN.md §2 reporting to district, a month of shifts with sign-ins,
 * road and rail screening (among the screened, most of the registry's
 * arrivals from graded areas by car or train, registered there) and the
 * day counts (checked against the bulletin and the rows), a gate per
 * compound, passes for the adults of 50 compounds
 * and three days of gate scans, inside the caller's transaction on c; then
 * demo_today_passes. Returns 0 or an error with ei filled. */
int demo_checkpoints(struct dbc *c, uint64_t seed, int64_t district, FILE *progress,
		     struct err_info *ei);
/* The step after the checkpoints (demo_supplies.c): items, the district
 * store and a town store, the allocation and donations funds, directed
 * donations and purchases raising the seed's stock by 2020-02-15, the
 * front line's requests approved from it (a few left in the queue); the
 * funds and raised quantities as of 2020-02-15 are checked against the
 * bulletin before it returns 0 (otherwise an error with ei filled). */
int demo_supplies(struct dbc *c, int64_t district, FILE *progress, struct err_info *ei);
/* The step after the supplies (demo_enterprises.c): enterprises and
 * their resumption (DOMAIN.md §11), applications with employees from the
 * registry, the days resumed and a week of inspections, checked against
 * the bulletin (38 above designated size, 25 resumed, 7 idle for the
 * season, rate 0.806 on 2020-02-15), and the demo enterprise account tied
 * to an enterprise that has not applied yet; in the caller's transaction on c. */
int demo_enterprises(struct dbc *c, uint64_t seed, int64_t district, FILE *progress,
		     struct err_info *ei);
/* The step after the checkpoints (demo_daily.c): the daily work of issue
 * 13 from 2020-01-24 to 2020-02-15 — daily and zero reports prefilled from
 * the records, the evening dispatch and its problems, the 9 notices and
 * the venues they closed, the 7 inspection groups and 1 support group
 * with inspections and findings, volunteers and their shifts — in the
 * caller's transaction on c; the bulletin's counts are checked before it
 * returns 0 (otherwise an error with ei filled). */
int demo_daily(struct dbc *c, uint64_t seed, int64_t district, FILE *progress,
	       struct err_info *ei);
/* The step after the checkpoints (demo_isolation.c): designated hotels and
 * hospitals with rooms, the isolation orders the graded arrivals imply with
 * their checks, alerts, transfers, releases, carers and service requests,
 * January to 2020-02-15, through isolation.h's functions, in the caller's
 * transaction on c. 0 or an error with ei filled. */
int demo_isolation(struct dbc *c, uint64_t seed, int64_t district, FILE *progress,
		   struct err_info *ei);
/* The case history (demo_cases.c): 8 confirmed cases with their
 * trajectories, contacts (isolated and released) and 7 epidemic points, all
 * lifted by 2020-02-15, written through the features' functions in the
 * caller's transaction on c and checked against the bulletin. 0 or an
 * error with ei filled. */
int demo_cases(struct dbc *c, FILE *progress, struct err_info *ei);
/* Passes valid for 30 days from `now` for the adults of the demo grid
 * worker's compound, issued as POST /api/v1/passes issues them, in the
 * caller's transaction on c; nothing when a pass there is still valid for
 * a week (or the database has no demo grid worker in a compound). 0 or an
 * error with ei filled. */
int demo_today_passes(struct dbc *c, int64_t now, FILE *progress, struct err_info *ei);
/* For a demo database reused by `cordon demo`: demo_today_passes in a
 * transaction of its own, so a demo built weeks ago still has passes valid
 * today. 0 or an error with ei filled. */
int demo_refresh(struct db *db, FILE *progress, struct err_info *ei);
/* Prints the demo accounts (username, role, scope) and the password. */
void demo_print_accounts(struct db *db, FILE *out);

#endif
