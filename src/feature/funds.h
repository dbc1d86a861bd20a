/* Funds and donations (物资保障, DOMAIN.md §9): funds with a ledger of their
 * own in integer fen (allocations, money donations, spending; the balance
 * is derived and never goes below zero), and donors' gifts of goods or
 * money, directed (定向) or not, each with a printable acknowledgement. */
#ifndef CORDON_FUNDS_H
#define CORDON_FUNDS_H

#include <stdint.h>

#include "../http/http.h"

extern const struct route_table funds_routes;

/* Creates a fund owned by unit_id; ERR_CONFLICT for a duplicate name. */
int funds_add(struct dbc *c, int64_t unit_id, const char *name, int64_t now, int64_t *id,
	      struct err_info *ei);
/* A fund visible from scope_unit (owned by it, an ancestor or a unit
 * inside it): 0, or ERR_INVALID naming field. */
int funds_check(struct dbc *c, int64_t scope_unit, int64_t fund_id, const char *field,
		struct err_info *ei);
/* The money a spend may draw from a fund holding balance (fen), of which
 * directed_total is what donors directed (定向) and is not yet spent: the
 * remainder donation_left of the directed donation it names
 * (named_directed != 0), else the money no donor directed. Never below 0
 * nor above balance. Pure. */
int64_t funds_spendable(int64_t balance, int64_t directed_total, int64_t donation_left,
			int named_directed);
/* Posts an entry to a fund in the caller's transaction: kind "allocation"
 * or "donation" (amount > 0) or "spend" (amount < 0; a refund is a spend
 * entry with amount > 0 that reverses part of an earlier one). A spend
 * draws only from what funds_spendable allows: from the directed money
 * donation donation_id names, or else from the money no donor directed;
 * spending more is ERR_RULE naming the money available (field
 * "amount_fen"), naming a donation that is not money of this fund is
 * ERR_RULE (field "donation_id"). Where directed money may go is the
 * caller's to check (funds_direction_check, or the purchase's lot).
 * 0 with *entry_id and *balance_fen after it (either may be NULL). */
int funds_post(struct dbc *c, int64_t fund_id, const char *kind, int64_t amount_fen,
	       int64_t donation_id, int64_t ledger_id, const char *purpose, int64_t at,
	       int64_t user_id, int64_t *entry_id, int64_t *balance_fen, struct err_info *ei);

/* For the bulletin (issue 17): money allocated to funds within scope_unit's
 * subtree by the end of local day `day`, and donations (goods and money,
 * by declared value) received by units in it by then, in fen. 0 or an
 * error (ERR_INVALID for a bad day). */
int funds_totals_as_of(struct dbc *c, int64_t scope_unit, const char *day,
		       int64_t *allocated_fen, int64_t *donations_fen);

struct donation {
	int64_t unit_id;        /* the receiving unit */
	const char *donor_name, *donor_kind, *contact; /* kind "person" or "org" */
	const char *kind;       /* "goods" or "money" */
	int64_t value_fen;      /* declared value, or the amount of money */
	const char *description;
	int directed;
	int64_t directed_unit_id; /* 0: any unit */
	const char *directed_kind; /* a requester kind (supplies_priority > 0) or NULL */
	const char *purpose;
	int64_t fund_id;        /* money: the fund it goes into */
	int64_t received_at, user_id;
	const char *client_id;
};
/* Records a donation as the API does for a user of scope_unit: a money
 * donation is also posted to its fund. 0 with *id, or an error. */
int donations_add(struct dbc *c, int64_t scope_unit, const struct donation *d, int64_t *id,
		  struct err_info *ei);

struct donation_info {
	char kind[8];
	int directed;
	int64_t unit_id;
	int64_t directed_unit_id; /* 0: none */
	char directed_kind[32];   /* "" when none */
	char donor_name[192];
};
/* May money of directed donation donation_id (visible from scope_unit) be
 * spent on unit_id (0: none named) for a front-line user of kind for_kind
 * (NULL: none named)? 0 when it may or the donation is not directed;
 * ERR_INVALID naming donation_id when it is not visible; ERR_RULE naming
 * unit_id or for_kind, with the direction, when not. */
int funds_direction_check(struct dbc *c, int64_t scope_unit, int64_t donation_id,
			  int64_t unit_id, const char *for_kind, struct err_info *ei);
/* A donation visible from scope_unit (its unit in scope or an ancestor):
 * 0 with *out, or ERR_INVALID naming field. */
int donations_get(struct dbc *c, int64_t scope_unit, int64_t id, const char *field,
		  struct donation_info *out, struct err_info *ei);

#endif
