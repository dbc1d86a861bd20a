/* Stock moved and purchases corrected (物资调拨与采购更正, DOMAIN.md §9),
 * both as new ledger entries, never edits. A transfer moves an item from
 * one warehouse to another in one transaction: an entry out of the one and
 * an entry into the other for each lot moved (a directed donation's goods
 * stay its lot wherever they go, so its direction follows them), never
 * below zero, both warehouses in the caller's scope. A purchase correction
 * names the receipt it corrects: goods sent back or never delivered leave
 * stock by an adjustment naming the receipt, and money the supplier pays
 * back returns to the fund by a reversing entry naming that adjustment (to
 * the donation's own money when the purchase was paid from a directed
 * donation); never more than was received or paid. */
#include <stdio.h>
#include <string.h>

#include "../base/clock.h"
#include "../http/scope.h"
#include "funds.h"
#include "supplies.h"

#define MAX_LOTS SUPPLIES_MAX_LOTS

static int post_transfer(struct req *r);
static int post_correction(struct req *r);

static const struct route routes[] = {
	{"POST", "/api/v1/stock/transfers", post_transfer, P_SUPPLIES_WRITE, 0, ROUTE_IDEMPOTENT,
	 "move stock from one warehouse to another (retry-safe by client_id)"},
	{"POST", "/api/v1/stock/receipts/{id}/corrections", post_correction, P_SUPPLIES_WRITE, 0,
	 ROUTE_IDEMPOTENT, "correct a receipt: goods returned, money refunded to its fund"},
};
ROUTE_TABLE(supplies_moves_routes, routes);

/* ---------- pure rules ---------- */

int supplies_correction_room(int64_t received, int64_t corrected, int64_t paid, int64_t refunded,
			     int64_t *can_return, int64_t *can_refund)
{
	int64_t q, m;
	if (__builtin_add_overflow(received, corrected, &q) ||
	    __builtin_sub_overflow(paid, refunded, &m))
		return -1;
	*can_return = q < 0 ? 0 : q;
	*can_refund = m < 0 ? 0 : m;
	return 0;
}

/* ---------- transfers ---------- */

int supplies_transfer(struct dbc *c, int64_t scope_unit, const struct stock_transfer *t,
		      int64_t *ids, size_t *n_ids, struct err_info *ei)
{
	static const char lots_sql[] =
		"SELECT lot_id, quantity FROM stock_lots WHERE warehouse_id = $1 AND item_id = $2"
		" AND quantity > 0 ORDER BY CASE WHEN lot_id = 0 THEN 0 ELSE 1 END, lot_id";
	int64_t on = 0, named_lot = 0;
	int rc;
	if (t->donation_id) {
		struct donation_info d;
		if ((rc = donations_get(c, scope_unit, t->donation_id, "donation_id", &d, ei)))
			return rc;
		named_lot = d.directed ? t->donation_id : 0;
	}
	/* Both sides locked in warehouse order, so two transfers crossing
	 * between the same warehouses cannot deadlock on PostgreSQL. */
	int64_t lo = t->from < t->to ? t->from : t->to, hi = t->from < t->to ? t->to : t->from;
	if ((rc = supplies_lock(c, lo, t->item_id, &on)) || (rc = supplies_lock(c, hi, t->item_id, &on)))
		return rc;
	struct supplies_lot lots[MAX_LOTS];
	int64_t take[MAX_LOTS];
	size_t n = 0;
	struct dbq *q = db_query(c, lots_sql, "ii", t->from, t->item_id);
	if (!q)
		return ERR_DB;
	while (n < MAX_LOTS && (rc = db_step(q)) == 1) {
		lots[n].lot_id = db_int(q, 0);
		lots[n].quantity = db_int(q, 1);
		lots[n].allowed = !t->donation_id || lots[n].lot_id == named_lot;
		n++;
	}
	db_done(q);
	if (rc < 0)
		return rc;
	int64_t avail = supplies_plan(lots, n, t->quantity, take);
	if (avail < t->quantity)
		return err_set(ei, ERR_RULE, "quantity", "not enough in stock: available %lld",
			       (long long)avail);
	*n_ids = 0;
	for (size_t i = 0; i < n; i++) {
		if (!take[i])
			continue;
		struct stock_move out = {
			.warehouse_id = t->from, .item_id = t->item_id, .lot_id = lots[i].lot_id,
			.kind = "transfer", .quantity = -take[i], .at = t->at, .user_id = t->user_id,
			.donation_id = lots[i].lot_id, .peer_warehouse_id = t->to, .reason = t->reason,
			.client_id = *n_ids ? NULL : t->client_id,
		};
		struct stock_move in = out;
		in.warehouse_id = t->to;
		in.quantity = take[i];
		in.peer_warehouse_id = t->from;
		in.client_id = NULL;
		if ((rc = supplies_move(c, &out, &ids[*n_ids], NULL, ei)) ||
		    (rc = supplies_move(c, &in, &ids[*n_ids + 1], NULL, ei)))
			return rc;
		*n_ids += 2;
	}
	return 0;
}

/* POST /stock/transfers {"from_warehouse_id","to_warehouse_id","item_id",
 * "quantity","donation_id"?,"reason"?,"client_id"?} -> 201 {"quantity",
 * "entries":[out, in, ...]}. */
static int post_transfer(struct req *r)
{
	struct stock_transfer t = {.at = clock_now(), .user_id = r->who.user_id};
	int rc = req_json(r);
	if (!rc)
		rc = jx_id(r, r->json, "from_warehouse_id", 1, 0, &t.from, NULL);
	if (!rc)
		rc = jx_id(r, r->json, "to_warehouse_id", 1, 0, &t.to, NULL);
	if (!rc && t.from == t.to)
		rc = err_set(&r->err, ERR_INVALID, "to_warehouse_id",
			     "must be another warehouse than the one stock leaves");
	if (!rc)
		rc = jx_id(r, r->json, "item_id", 1, 0, &t.item_id, NULL);
	if (!rc)
		rc = jx_int(r, r->json, "quantity", 1, 1, INT32_MAX, &t.quantity, NULL);
	if (!rc)
		rc = jx_id(r, r->json, "donation_id", 0, 1, &t.donation_id, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "reason", 0, 200, &t.reason, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "client_id", 0, 128, NULL, NULL);
	if (rc)
		return rc;
	if (t.reason && !*t.reason)
		t.reason = NULL;
	t.client_id = r->client_id;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	int64_t scope = r->who.scope_unit_id;
	if ((rc = supplies_warehouse(c, scope, t.from, "from_warehouse_id", NULL, &r->err)) ||
	    (rc = supplies_warehouse(c, scope, t.to, "to_warehouse_id", NULL, &r->err)) ||
	    (rc = supplies_item_check(c, scope, t.item_id, "item_id", &r->err)))
		return rc;
	int64_t ids[2 * MAX_LOTS];
	size_t n = 0;
	if ((rc = supplies_transfer(c, scope, &t, ids, &n, &r->err)))
		return rc;
	req_audit_record(r, "stock_entry", ids[0]);
	r->audit_detail = arena_printf(&r->arena, "transfer of %lld from warehouse %lld to %lld",
				       (long long)t.quantity, (long long)t.from, (long long)t.to);
	json_t *entries = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *e = supplies_entry(c, ids[i], &rc);
		if (!e) {
			json_decref(entries);
			return rc < 0 ? rc : ERR_DB;
		}
		json_array_append_new(entries, e);
	}
	return resp_json(r, 201, json_pack("{s:I,s:o}", "quantity", (json_int_t)t.quantity,
					   "entries", entries));
}

/* ---------- purchase corrections ---------- */

struct receipt_row {
	int64_t warehouse_id, item_id, lot_id, unit_id, quantity, donation_id, fund_id,
		unit_price_fen, amount_fen;
	char source[16];
};

static int receipt_get(struct dbc *c, int64_t scope_unit, int64_t id, struct receipt_row *o)
{
	struct dbq *q = db_query(c,
				 "SELECT warehouse_id, item_id, lot_id, unit_id, quantity, donation_id,"
				 " fund_id, unit_price_fen, amount_fen, source FROM stock_ledger"
				 " WHERE id = $1 AND kind = 'receipt' AND " SCOPE_SQL("unit_id", "2"),
				 "ii", id, scope_unit);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	if (rc == 1) {
		o->warehouse_id = db_int(q, 0);
		o->item_id = db_int(q, 1);
		o->lot_id = db_int(q, 2);
		o->unit_id = db_int(q, 3);
		o->quantity = db_int(q, 4);
		o->donation_id = db_null(q, 5) ? 0 : db_int(q, 5);
		o->fund_id = db_null(q, 6) ? 0 : db_int(q, 6);
		o->unit_price_fen = db_null(q, 7) ? 0 : db_int(q, 7);
		o->amount_fen = db_null(q, 8) ? 0 : db_int(q, 8);
		snprintf(o->source, sizeof o->source, "%s", db_null(q, 9) ? "" : db_text(q, 9));
	}
	db_done(q);
	return rc;
}

/* POST /stock/receipts/{id}/corrections {"returned"?,"refund_fen"?,
 * "reason","client_id"?}: `returned` units leave stock (sent back, never
 * delivered, counted short) by an adjustment naming the receipt;
 * `refund_fen` (by default returned × the unit price) goes back to the
 * fund that paid. -> 201 {"entry", "fund_entry"|null}. */
static int post_correction(struct req *r)
{
	int64_t id = 0, returned = 0, refund = 0;
	int has_refund = 0;
	const char *reason = NULL;
	int rc = req_param_id(r, "id", &id);
	if (rc)
		return err_set(&r->err, ERR_NOT_FOUND, "", "no such receipt");
	req_audit_record(r, "stock_entry", id);
	if (!(rc = req_json(r)))
		rc = jx_int(r, r->json, "returned", 0, 0, INT32_MAX, &returned, NULL);
	if (!rc)
		rc = jx_int(r, r->json, "refund_fen", 0, 0, INT64_C(100000000000000), &refund,
			    &has_refund);
	if (!rc)
		rc = jx_str(r, r->json, "reason", 1, 200, &reason, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "client_id", 0, 128, NULL, NULL);
	if (!rc && !returned && !refund)
		rc = err_set(&r->err, ERR_INVALID, "returned",
			     "give the units returned or the money refunded");
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	struct receipt_row rec;
	if ((rc = receipt_get(c, r->who.scope_unit_id, id, &rec)) < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_NOT_FOUND, "", "no such receipt");
	if ((rc = scope_check(r, rec.unit_id, 1, "receipt")))
		return rc;
	if (!has_refund && rec.unit_price_fen && supplies_fen_mul(returned, rec.unit_price_fen, &refund))
		return err_set(&r->err, ERR_INVALID, "returned", "the refund is too large");
	if (refund && !rec.fund_id)
		return err_set(&r->err, ERR_RULE, "refund_fen",
			       "receipt %lld was paid from no fund: there is nothing to refund",
			       (long long)id);
	/* The receipt's stock locked first: two corrections of one receipt
	 * are serialised and the second sees what the first returned. */
	int64_t on = 0, corrected = 0, refunded = 0, can_return = 0, can_refund = 0;
	if ((rc = supplies_lock(c, rec.warehouse_id, rec.item_id, &on)))
		return rc;
	rc = db_one_int(c, &corrected,
			"SELECT COALESCE(SUM(quantity), 0) FROM stock_ledger WHERE corrects_id = $1",
			"i", id);
	if (rc >= 0)
		rc = db_one_int(c, &refunded,
				"SELECT COALESCE(SUM(-amount_fen), 0) FROM stock_ledger WHERE"
				" corrects_id = $1 AND amount_fen IS NOT NULL",
				"i", id);
	if (rc < 0)
		return rc;
	if (supplies_correction_room(rec.quantity, corrected, rec.amount_fen, refunded, &can_return,
				     &can_refund))
		return ERR_INTERNAL;
	if (returned > can_return)
		return err_set(&r->err, ERR_RULE, "returned",
			       "at most %lld of receipt %lld can still be returned",
			       (long long)can_return, (long long)id);
	if (refund > can_refund) {
		char a[40];
		return err_set(&r->err, ERR_RULE, "refund_fen",
			       "at most %s yuan of receipt %lld can still be refunded",
			       supplies_fen_text(can_refund, a, sizeof a), (long long)id);
	}
	struct stock_move m = {
		.warehouse_id = rec.warehouse_id, .item_id = rec.item_id, .lot_id = rec.lot_id,
		.kind = "adjustment", .quantity = -returned, .at = clock_now(),
		.user_id = r->who.user_id, .donation_id = rec.donation_id, .fund_id = rec.fund_id,
		.unit_price_fen = rec.unit_price_fen, .amount_fen = rec.fund_id ? -refund : 0,
		.reason = reason, .corrects_id = id, .client_id = r->client_id,
	};
	int64_t eid = 0, fid = 0;
	if ((rc = supplies_move(c, &m, &eid, NULL, &r->err))) {
		if (rc == ERR_RULE && strcmp(r->err.field, "quantity") == 0)
			snprintf(r->err.field, sizeof r->err.field, "returned");
		return rc;
	}
	/* The reversing entry: a spend of the opposite sign, to the money
	 * it came from (a directed donation's remainder grows again). */
	if (refund && (rc = funds_post(c, rec.fund_id, "spend", refund,
				       strcmp(rec.source, "purchase") == 0 ? rec.donation_id : 0,
				       eid, reason, m.at, r->who.user_id, &fid, NULL, &r->err)))
		return rc;
	r->audit_detail = arena_printf(&r->arena, "corrected: %lld returned, %lld fen refunded",
				       (long long)returned, (long long)refund);
	json_t *e = supplies_entry(c, eid, &rc);
	if (!e)
		return rc < 0 ? rc : ERR_DB;
	return resp_json(r, 201, json_pack("{s:o,s:o}", "entry", e, "fund_entry",
					   fid ? json_integer(fid) : json_null()));
}
