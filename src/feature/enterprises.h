/* Enterprise resumption (DOMAIN.md §11 and Rules: resumption rate): the
 * enterprises of the district and their portal accounts, applications to
 * resume (the 2-day rule, the seven-musts checklist, employees graded on
 * return), the review, the day each resumed, operating inspections against
 * the eight prohibitions, and the resumption rate of any day. The routes
 * are in three files by sub-mechanism: enterprises.c (enterprises, the
 * checklists, the rate), enterprise_apps.c (applications, employees,
 * review, resumption) and enterprise_inspections.c (inspections and
 * findings). */
#ifndef CORDON_ENTERPRISES_H
#define CORDON_ENTERPRISES_H

#include <stddef.h>
#include <stdint.h>

#include "../base/clock.h"
#include "../db/db.h"
#include "../http/http.h"

extern const struct route_table enterprises_routes;
extern const struct route_table enterprise_apps_routes;
extern const struct route_table enterprise_inspections_routes;

/* ---- pure rules ---- */

/* Validates a unified social credit code (统一社会信用代码, GB 32100-2015):
 * 18 characters of 0-9 and A-Y without I, O, S, V, Z (lower case is
 * upper-cased into out[19]); a known registration authority (1-9, A, N, Y);
 * a 6-digit division code in characters 3-8; the organization code's check
 * character (GB 11714, character 17); the code's own check character
 * (character 18, weights 3^i mod 31). 0, or ERR_INVALID naming `field` and
 * the rule that failed. */
int enterprises_credit_code(const char *in, char out[19], const char *field,
			    struct err_info *ei);
/* The GB 32100 check character of the first 17 characters, or 0 when one
 * of them is not in the code's character set. */
char enterprises_credit_check_char(const char *first17);
/* GB 11714's check character of an organization code's first 8 characters
 * (digits and capitals; characters 9 to 17 of a credit code). */
char enterprises_org_check_char(const char *first8);
/* The earliest planned start allowed for an application filed at instant
 * filed_at: the local day of filed_at plus lead_days, into out. */
void enterprises_earliest_start(int64_t filed_at, int lead_days, char out[DAY_LEN]);
/* Resumption rate = resumed / (in_scope - seasonal), rounded to 3 decimals
 * (0.806); -1 when the base is empty. */
double enterprises_rate(int64_t resumed, int64_t in_scope, int64_t seasonal);
/* Staff return rate = at_work / headcount, rounded to 3 decimals; -1 when
 * headcount is 0. */
double enterprises_staff_rate(int64_t at_work, int64_t headcount);
/* 1 if a sector name is 1..32 lower-case letters, digits or '_'. */
int enterprises_sector_valid(const char *s);

/* ---- what other features read ---- */

/* The resumption figures of a day for the industrial enterprises above
 * designated size in a unit's subtree, from records: above_scale (all of
 * them), seasonal (idle for the season on that day), resumed (resumed on
 * or before it and not idle), rate (enterprises_rate, -1 without a base),
 * headcount and staff_at_work (the resumed ones' latest count on or before
 * the day) and staff_rate. */
struct resumption {
	int64_t above_scale, resumed, seasonal;
	double rate;
	int64_t headcount, staff_at_work;
	double staff_rate;
};
/* Fills *out for day (YYYY-MM-DD) and the subtree of unit scope_unit_id.
 * 0, or a negative enum err (ERR_INVALID for a bad day). */
int enterprises_resumption_as_of(struct dbc *c, int64_t scope_unit_id, const char *day,
				 struct resumption *out);

/* ---- shared by the three route files ---- */

/* The enterprise an account of role 'enterprise' is limited to (-1 when it
 * has none: it sees nothing), or 0 for every other principal. */
int64_t enterprises_principal(struct req *r);
/* Checks that enterprise id is readable (write 0) or writable (write 1) by
 * the request: in scope, and the caller's own for an enterprise account.
 * 0 with *unit_id (may be NULL) set, or ERR_NOT_FOUND "no such enterprise"
 * (reads, and any other enterprise for an enterprise account) /
 * ERR_FORBIDDEN (writes out of scope). */
int enterprises_check(struct req *r, struct dbc *c, int64_t id, int write, int64_t *unit_id);
/* The active items of a checklist kind ("must" or "prohibition") in order:
 * codes and texts in the request's arena; *n items. 0 or an error. */
struct checklist_item {
	const char *code, *text_zh, *text_en;
};
int enterprises_checklist(struct req *r, struct dbc *c, const char *kind,
			  struct checklist_item **items, size_t *n);
/* The text of an item for the request's language. */
const char *enterprises_item_text(struct req *r, const struct checklist_item *it);
/* A free-text field (a plan, evidence, a note): as jx_str, but line breaks
 * and tabs are kept; other control characters are refused. */
int enterprises_text(struct req *r, json_t *o, const char *key, int required, size_t maxlen,
		     const char **out);
/* Prefixes r->err.field with "<list>[i]." (checklist[2].evidence). */
void enterprises_field_in(struct req *r, const char *list, size_t i);
/* The day today is, locally. */
void enterprises_today(char out[DAY_LEN]);

#endif
