/* Supplies (物资保障, DOMAIN.md §9): items, warehouses and the stock ledger
 * (supplies.c), and the front line's supply requests with their approval
 * (requests.c). Stock is never a number code overwrites: every movement is
 * a ledger row, and on hand per (warehouse, item, lot) is a summary kept in
 * the same transaction and proved equal to the ledger by supplies_check.
 * A lot is the directed donation goods came from (0: general stock); goods
 * of a directed lot go only where the donor directed them. */
#ifndef CORDON_SUPPLIES_H
#define CORDON_SUPPLIES_H

#include <stddef.h>
#include <stdint.h>

#include "../http/http.h"

extern const struct route_table supplies_routes;
extern const struct route_table requests_routes;

/* ---------- pure rules (unit-tested) ---------- */

/* The queue priority of a requester's kind, front line first: 1 for
 * epidemic_point and isolation_site, 2 checkpoint, 3 medical_team,
 * 4 community; 0 for anything else (not a requester kind). */
int supplies_priority(const char *kind);
/* The balance after applying delta to balance: 0 with *out, or -1 when it
 * would be below zero or overflow (the movement is refused). */
int supplies_balance_apply(int64_t balance, int64_t delta, int64_t *out);
/* quantity × unit price in fen: 0 with *out, or -1 on a negative factor or
 * overflow. */
int supplies_fen_mul(int64_t quantity, int64_t unit_price_fen, int64_t *out);
/* Fen as yuan with two decimals and thousands separators ("12,334,100.00",
 * "-0.05") into out (size n); returns out. */
char *supplies_fen_text(int64_t fen, char *out, size_t n);
/* May goods directed to (dir_kind, dir_unit) go to a requester of kind
 * req_kind? dir_kind NULL or "" means any kind; in_dir_unit is 1 when the
 * requester's unit lies in the directed unit's subtree, 0 when not, -1
 * when the direction names no unit. 1 allowed, 0 refused. */
int supplies_direction_allows(const char *dir_kind, int in_dir_unit, const char *req_kind);

struct supplies_lot {
	int64_t lot_id;   /* 0: general stock */
	int64_t quantity; /* on hand in the lot */
	int allowed;      /* may this issue draw from it */
};
/* Plans an issue of `want` from lots (in the order to draw from): fills
 * take[i] for each lot and returns the quantity available to this issue
 * (the sum of allowed lots); when that is less than want, take is all 0
 * and nothing may be issued. */
int64_t supplies_plan(const struct supplies_lot *lots, size_t n, int64_t want, int64_t *take);

/* What a receipt's corrections may still take back: the units received
 * plus the (signed) sum of the corrections already naming it, and the fen
 * paid less what was refunded; each never below 0. 0, or -1 on overflow. */
int supplies_correction_room(int64_t received, int64_t corrected, int64_t paid, int64_t refunded,
			     int64_t *can_return, int64_t *can_refund);

/* ---------- the ledger, for requests.c, funds.c and the demo ---------- */

struct stock_move {
	int64_t warehouse_id, item_id, lot_id;
	const char *kind;  /* receipt, issue, transfer, adjustment, write_off */
	int64_t quantity;  /* signed change */
	int64_t at;        /* when it happened (Unix seconds) */
	int64_t user_id;   /* 0: none (the demo) */
	const char *source, *supplier, *reason, *client_id; /* NULL when none */
	int64_t donation_id, fund_id, unit_price_fen, amount_fen, request_id, to_unit_id,
		peer_warehouse_id, corrects_id; /* 0 when none */
};
/* Writes one ledger row and updates the summaries in the caller's
 * transaction. (warehouse, item) is locked first (its summary row), so on
 * PostgreSQL two movements of one item are serialised and the row's
 * running balance follows the ledger's order. A movement that would take
 * the item or its lot below zero is ERR_RULE (field "quantity", naming the
 * quantity available). Returns 0 with *id and *balance (on hand of the
 * warehouse and item after it; either may be NULL). */
int supplies_move(struct dbc *c, const struct stock_move *m, int64_t *id, int64_t *balance,
		  struct err_info *ei);
/* A transfer between two stores (the route's body, checked). */
struct stock_transfer {
	int64_t from, to, item_id, quantity, donation_id, at, user_id;
	const char *reason, *client_id;
};
/* The most lots one movement touches. */
#define SUPPLIES_MAX_LOTS 64
#define SUPPLIES_TRANSFER_MAX_IDS (2 * SUPPLIES_MAX_LOTS)
/* Moves t->quantity of the item: general stock first, then directed lots
 * oldest first (or only the lot of the donation named); both stores'
 * rows locked in warehouse order. Writes each entry's id to ids (2 a lot:
 * out, then in; room for SUPPLIES_TRANSFER_MAX_IDS). ERR_RULE naming
 * quantity (with what is available) when there is not enough. */
int supplies_transfer(struct dbc *c, int64_t scope_unit, const struct stock_transfer *t,
		      int64_t *ids, size_t *n_ids, struct err_info *ei);
/* Locks the summary row of (warehouse, item) for this transaction and
 * reads its on hand (0 when it has none). 0 or an error. */
int supplies_lock(struct dbc *c, int64_t warehouse_id, int64_t item_id, int64_t *on_hand);

/* A warehouse: its unit and name; 0, ERR_NOT_FOUND ("no such warehouse",
 * field given) when absent or outside scope_unit's subtree. */
int supplies_warehouse(struct dbc *c, int64_t scope_unit, int64_t id, const char *field,
		       int64_t *unit_id, struct err_info *ei);
/* An item visible from scope_unit (kept by an ancestor of it or inside
 * it); 0 or ERR_INVALID naming field. */
int supplies_item_check(struct dbc *c, int64_t scope_unit, int64_t id, const char *field,
			struct err_info *ei);

/* Creates an item or a warehouse owned by unit_id; ERR_CONFLICT on a
 * duplicate name. */
int supplies_item_add(struct dbc *c, int64_t unit_id, const char *name, const char *unit,
		      const char *spec, int64_t low_stock, int64_t now, int64_t *id,
		      struct err_info *ei);
int supplies_warehouse_add(struct dbc *c, int64_t unit_id, const char *name, int64_t now,
			   int64_t *id, struct err_info *ei);

struct receipt {
	int64_t warehouse_id, item_id, quantity;
	const char *source;   /* "purchase" or "donation" */
	int64_t donation_id;  /* donation: the goods donation; purchase: the money
			       * donation paying (0: none; needs fund_id) */
	int64_t fund_id;      /* purchase: the fund paying (0: none) */
	int64_t unit_price_fen;
	const char *supplier;
	int64_t at, user_id;
	const char *client_id;
};
/* Receives goods as the API does for a user whose scope is scope_unit:
 * checks the warehouse, item, donation (goods, visible; directed goods go
 * to its lot) and fund (a purchase against a fund spends quantity × unit
 * price from it, 422 with the balance when it holds less; a purchase paid
 * from a directed money donation spends that donation's money and its
 * goods go to the donation's lot, so they are issued only as it was
 * directed), then writes the receipt. 0 with *ledger_id, or an error with
 * ei filled. */
int supplies_receive(struct dbc *c, int64_t scope_unit, const struct receipt *rc,
		     int64_t *ledger_id, struct err_info *ei);

/* One ledger entry as the API shows it (NULL with *rc on error or when
 * absent). */
json_t *supplies_entry(struct dbc *c, int64_t id, int *rc);

/* Transfers and purchase corrections (supplies_moves.c). */
extern const struct route_table supplies_moves_routes;

/* For the bulletin (issue 17): the quantities raised by the end of local
 * day `day` in warehouses within scope_unit's subtree — receipts, and the
 * corrections of receipts — as [{"item_id","item","unit","quantity"}] by
 * item id; and the stock on hand at the end of that day (every movement)
 * in the same shape. NULL on error. */
json_t *supplies_raised_as_of(struct dbc *c, int64_t scope_unit, const char *day);
json_t *supplies_stock_as_of(struct dbc *c, int64_t scope_unit, const char *day);

/* Compares the summaries with the ledger for warehouses within scope_unit:
 * returns the number of (warehouse, item[, lot]) rows that differ (0: they
 * agree), or <0 on error; *entries is the number of ledger rows checked. */
int64_t supplies_check(struct dbc *c, int64_t scope_unit, int64_t *entries);

/* `cordon report supplies` (supplies_report.c): per item raised, issued,
 * adjusted and on hand, and per fund allocated, donated, spent and the
 * balance, at the end of local day `day`, for warehouses and funds within
 * scope_unit; an .xlsx workbook at out, or CSV (csv != 0) to out or stdout
 * (out NULL). 0 or an error with ei filled. */
int supplies_report(struct dbc *c, int64_t scope_unit, const char *day, int csv,
		    const char *out, struct err_info *ei);

/* ---------- requests (requests.c) ---------- */

struct supply_line {
	int64_t item_id, quantity;
	int64_t donation_id; /* approvals: draw from this directed lot only (0: any allowed) */
};
/* Files a request of unit_id as a requester of kind (supplies_priority > 0)
 * named requester. Items must be distinct. 0 with *id, or an error. */
int requests_create(struct dbc *c, int64_t unit_id, const char *kind, const char *requester,
		    const char *note, const struct supply_line *lines, size_t n, int64_t at,
		    int64_t user_id, const char *client_id, int64_t *id, struct err_info *ei);
/* Approves lines of request id from warehouse_id (scope as for a user of
 * scope_unit): issues each line's quantity (at most what is still to be
 * issued) from the lots the request may draw from, directed lots first.
 * ERR_RULE naming the quantity available when stock is short, or the
 * direction when a named directed lot may not go to this requester;
 * fields are "lines[i].quantity" and "lines[i].donation_id". Sorts lines.
 * 0, or an error with ei filled. */
int requests_approve(struct dbc *c, int64_t scope_unit, int64_t id, int64_t warehouse_id,
		     struct supply_line *lines, size_t n, int64_t at, int64_t user_id,
		     struct err_info *ei);

#endif
