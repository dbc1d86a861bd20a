/* Supplies (物资保障, DOMAIN.md §9): the item catalog, warehouses and the
 * stock ledger. Every movement of stock — a receipt (purchase or
 * donation), an issue to the front line (requests.c), an adjustment with a
 * reason, a write-off — is a row of stock_ledger that is never edited or
 * deleted; a correction is a new row naming the one it corrects. On hand
 * per (warehouse, item) and per lot (the directed donation goods came from;
 * 0 for general stock) are summaries written in the same transaction and
 * compared with the ledger by GET /stock/check. Items are kept by a unit and
 * seen by everyone above or below it; warehouses, and the ledger rows of a
 * warehouse, follow the ordinary scope rule of the warehouse's unit. */
#include "supplies.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../base/clock.h"
#include "../http/scope.h"
#include "funds.h"

static int list_items(struct req *r);
static int create_item(struct req *r);
static int patch_item(struct req *r);
static int list_warehouses(struct req *r);
static int create_warehouse(struct req *r);
static int post_receipt(struct req *r);
static int post_adjustment(struct req *r);
static int get_stock(struct req *r);
static int get_ledger(struct req *r);
static int get_check(struct req *r);

static const struct route routes[] = {
	{"GET", "/api/v1/items", list_items, PERM_SIGNED_IN, 0, 0,
	 "the item catalog (supplies.read or supplies.request: requesters pick from it)"},
	{"POST", "/api/v1/items", create_item, P_SUPPLIES_WRITE, 0, 0, "add an item"},
	{"PATCH", "/api/v1/items/{id}", patch_item, P_SUPPLIES_WRITE, 0, 0,
	 "change an item's specification or low-stock threshold"},
	{"GET", "/api/v1/warehouses", list_warehouses, P_SUPPLIES_READ, 0, 0, "warehouses in scope"},
	{"POST", "/api/v1/warehouses", create_warehouse, P_SUPPLIES_WRITE, 0, 0, "add a warehouse"},
	{"POST", "/api/v1/stock/receipts", post_receipt, P_SUPPLIES_WRITE, 0, ROUTE_IDEMPOTENT,
	 "receive purchased or donated goods (retry-safe by client_id)"},
	{"POST", "/api/v1/stock/adjustments", post_adjustment, P_SUPPLIES_WRITE, 0,
	 ROUTE_IDEMPOTENT, "an adjustment with a reason, a correction or a write-off"},
	{"GET", "/api/v1/stock", get_stock, P_SUPPLIES_READ, 0, 0,
	 "on hand per item and warehouse, low-stock alerts"},
	{"GET", "/api/v1/stock/ledger", get_ledger, P_SUPPLIES_READ, 0, 0,
	 "the ledger with running balances"},
	{"GET", "/api/v1/stock/check", get_check, P_SUPPLIES_READ, 0, 0,
	 "proves the on-hand summaries equal to the ledger"},
};
ROUTE_TABLE(supplies_routes, routes);

/* An item kept by the unit in `col` is visible when that unit is the
 * caller's scope unit, an ancestor of it, or inside the scope ($n). */
#define VISIBLE_SQL(col, n)                                                       \
	"(" col " IN (SELECT ancestor_id FROM unit_tree WHERE unit_id = $" n ") OR " \
	SCOPE_SQL(col, n) ")"

/* ---------- pure rules ---------- */

int supplies_priority(const char *kind)
{
	static const struct {
		const char *kind;
		int prio;
	} t[] = {{"epidemic_point", 1}, {"isolation_site", 1}, {"checkpoint", 2},
		 {"medical_team", 3},   {"community", 4}};
	if (!kind)
		return 0;
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (strcmp(t[i].kind, kind) == 0)
			return t[i].prio;
	return 0;
}

int supplies_balance_apply(int64_t balance, int64_t delta, int64_t *out)
{
	int64_t v;
	if (__builtin_add_overflow(balance, delta, &v) || v < 0)
		return -1;
	*out = v;
	return 0;
}

int supplies_fen_mul(int64_t quantity, int64_t unit_price_fen, int64_t *out)
{
	int64_t v;
	if (quantity < 0 || unit_price_fen < 0 || __builtin_mul_overflow(quantity, unit_price_fen, &v))
		return -1;
	*out = v;
	return 0;
}

char *supplies_fen_text(int64_t fen, char *out, size_t n)
{
	if (!n)
		return out;
	uint64_t a = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
	char digits[32], grouped[48];
	int len = snprintf(digits, sizeof digits, "%" PRIu64, a / 100);
	size_t g = 0;
	for (int i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			grouped[g++] = ',';
		grouped[g++] = digits[i];
	}
	grouped[g] = 0;
	snprintf(out, n, "%s%s.%02u", fen < 0 ? "-" : "", grouped, (unsigned)(a % 100));
	return out;
}

int supplies_direction_allows(const char *dir_kind, int in_dir_unit, const char *req_kind)
{
	if (in_dir_unit == 0)
		return 0;
	if (dir_kind && *dir_kind && (!req_kind || strcmp(dir_kind, req_kind) != 0))
		return 0;
	return 1;
}

int64_t supplies_plan(const struct supplies_lot *lots, size_t n, int64_t want, int64_t *take)
{
	int64_t avail = 0;
	for (size_t i = 0; i < n; i++) {
		take[i] = 0;
		if (lots[i].allowed && lots[i].quantity > 0 &&
		    __builtin_add_overflow(avail, lots[i].quantity, &avail))
			avail = INT64_MAX;
	}
	if (avail < want)
		return avail;
	int64_t left = want;
	for (size_t i = 0; i < n && left > 0; i++) {
		if (!lots[i].allowed || lots[i].quantity <= 0)
			continue;
		take[i] = lots[i].quantity < left ? lots[i].quantity : left;
		left -= take[i];
	}
	return avail;
}

/* ---------- lookups ---------- */

int supplies_warehouse(struct dbc *c, int64_t scope_unit, int64_t id, const char *field,
		       int64_t *unit_id, struct err_info *ei)
{
	int64_t u = 0;
	int rc = db_one_int(c, &u,
			    "SELECT unit_id FROM warehouses WHERE id = $1 AND " SCOPE_SQL("unit_id", "2"),
			    "ii", id, scope_unit);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(ei, ERR_INVALID, field, "no such warehouse");
	if (unit_id)
		*unit_id = u;
	return 0;
}

int supplies_item_check(struct dbc *c, int64_t scope_unit, int64_t id, const char *field,
			struct err_info *ei)
{
	int rc = db_one_int(c, NULL,
			    "SELECT 1 FROM items WHERE id = $1 AND " VISIBLE_SQL("unit_id", "2"), "ii",
			    id, scope_unit);
	if (rc < 0)
		return rc;
	return rc ? 0 : err_set(ei, ERR_INVALID, field, "no such item");
}

/* ---------- the ledger ---------- */

int supplies_lock(struct dbc *c, int64_t warehouse_id, int64_t item_id, int64_t *on_hand)
{
	/* An upsert that changes nothing: on PostgreSQL it takes the row's
	 * lock (waiting for a movement in flight, then reading its result). */
	static const char sql[] =
		"INSERT INTO stock_on_hand(warehouse_id, item_id, quantity) VALUES ($1, $2, 0)"
		" ON CONFLICT (warehouse_id, item_id) DO UPDATE SET quantity = stock_on_hand.quantity"
		" RETURNING quantity";
	int rc = db_one_int(c, on_hand, sql, "ii", warehouse_id, item_id);
	return rc == 1 ? 0 : rc < 0 ? rc : ERR_DB;
}

int supplies_move(struct dbc *c, const struct stock_move *m, int64_t *id, int64_t *balance,
		  struct err_info *ei)
{
	static const char ins_sql[] =
		"INSERT INTO stock_ledger(warehouse_id, item_id, lot_id, unit_id, kind, quantity,"
		" balance, at, user_id, source, supplier, donation_id, fund_id, unit_price_fen,"
		" amount_fen, request_id, to_unit_id, peer_warehouse_id, reason, corrects_id,"
		" client_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,"
		" $13, $14, $15, $16, $17, $18, $19, $20, $21, $22) RETURNING id";
	int64_t on = 0, lot = 0, after = 0, lot_after = 0, unit = 0;
	int rc = db_one_int(c, &unit, "SELECT unit_id FROM warehouses WHERE id = $1", "i",
			    m->warehouse_id);
	if (rc <= 0)
		return rc < 0 ? rc : err_set(ei, ERR_INVALID, "warehouse_id", "no such warehouse");
	if ((rc = supplies_lock(c, m->warehouse_id, m->item_id, &on)))
		return rc;
	rc = db_one_int(c, &lot,
			"SELECT quantity FROM stock_lots WHERE warehouse_id = $1 AND item_id = $2"
			" AND lot_id = $3",
			"iii", m->warehouse_id, m->item_id, m->lot_id);
	if (rc < 0)
		return rc;
	if (supplies_balance_apply(on, m->quantity, &after))
		return err_set(ei, ERR_RULE, "quantity", "not enough in stock: available %lld",
			       (long long)on);
	if (supplies_balance_apply(lot, m->quantity, &lot_after))
		return err_set(ei, ERR_RULE, "quantity",
			       "not enough in stock of this donation: available %lld",
			       (long long)lot);
	int64_t n = db_run(c,
			   "UPDATE stock_on_hand SET quantity = $3 WHERE warehouse_id = $1 AND"
			   " item_id = $2",
			   "iii", m->warehouse_id, m->item_id, after);
	if (n < 0)
		return (int)n;
	n = db_run(c,
		   "INSERT INTO stock_lots(warehouse_id, item_id, lot_id, quantity)"
		   " VALUES ($1, $2, $3, $4) ON CONFLICT (warehouse_id, item_id, lot_id)"
		   " DO UPDATE SET quantity = excluded.quantity",
		   "iiii", m->warehouse_id, m->item_id, m->lot_id, lot_after);
	if (n < 0)
		return (int)n;
	int64_t lid = 0;
	rc = db_one_int(c, &lid, ins_sql, "iiiitiiiIttIIIIIIItIti", m->warehouse_id, m->item_id,
			m->lot_id, unit, m->kind, m->quantity, after, m->at, m->user_id, m->source,
			m->supplier, m->donation_id, m->fund_id, m->unit_price_fen, m->amount_fen,
			m->request_id, m->to_unit_id, m->peer_warehouse_id, m->reason,
			m->corrects_id, m->client_id, clock_now());
	if (rc == ERR_CONFLICT)
		return err_set(ei, ERR_CONFLICT, "client_id",
			       "this client id was already used for another write");
	if (rc != 1)
		return rc < 0 ? rc : ERR_DB;
	if (id)
		*id = lid;
	if (balance)
		*balance = after;
	return 0;
}

/* ---------- items ---------- */

#define ITEM_COLS "SELECT i.id, i.name, i.unit, i.spec, i.low_stock, i.unit_id FROM items i"

static json_t *item_row(struct dbq *q)
{
	return json_pack("{s:I,s:s,s:s,s:s,s:I,s:I}", "id", (json_int_t)db_int(q, 0), "name",
			 db_text(q, 1), "unit", db_text(q, 2), "spec", db_text(q, 3), "low_stock",
			 (json_int_t)db_int(q, 4), "unit_id", (json_int_t)db_int(q, 5));
}

static const struct list_col item_export[] = {
	{"id", "编号"}, {"name", "物资名称"}, {"unit", "计量单位"}, {"spec", "规格"},
	{"low_stock", "低库存预警线"}, {0, 0},
};

static int list_items(struct req *r)
{
	if (!req_can(r, P_SUPPLIES_READ) && !req_can(r, P_SUPPLIES_REQUEST))
		return err_set(&r->err, ERR_FORBIDDEN, "", "you may not see the item catalog");
	static const char sql[] =
		ITEM_COLS " WHERE " VISIBLE_SQL("i.unit_id", "1") " AND i.id > $2"
		" AND ($3 = '' OR lower(i.name) LIKE $3 ESCAPE '\\' OR lower(i.spec) LIKE $3 ESCAPE '\\')"
		" ORDER BY i.id LIMIT $4";
	return resp_search_list(r, sql, item_row, item_export, "items");
}

int supplies_item_add(struct dbc *c, int64_t unit_id, const char *name, const char *unit,
		      const char *spec, int64_t low_stock, int64_t now, int64_t *id,
		      struct err_info *ei)
{
	int rc = db_one_int(c, id,
			    "INSERT INTO items(unit_id, name, unit, spec, low_stock, created_at)"
			    " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
			    "itttii", unit_id, name, unit, spec ? spec : "", low_stock, now);
	if (rc == ERR_CONFLICT)
		return err_set(ei, ERR_CONFLICT, "name",
			       "an item \"%s\" with this specification already exists", name);
	return rc == 1 ? 0 : rc < 0 ? rc : ERR_DB;
}

static int respond_item(struct req *r, struct dbc *c, int64_t id, int status)
{
	int rc;
	json_t *o = query_row(db_query(c, ITEM_COLS " WHERE i.id = $1", "i", id), item_row, &rc);
	if (!o)
		return rc < 0 ? rc : ERR_DB;
	return resp_json(r, status, o);
}

static int create_item(struct req *r)
{
	const char *name = NULL, *unit = NULL, *spec = "";
	int64_t low = 0;
	int rc = req_json(r);
	if (!rc)
		rc = jx_str(r, r->json, "name", 1, 64, &name, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "unit", 1, 8, &unit, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "spec", 0, 64, &spec, NULL);
	if (!rc)
		rc = jx_int(r, r->json, "low_stock", 0, 0, INT32_MAX, &low, NULL);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	int64_t id = 0;
	if ((rc = supplies_item_add(c, r->who.scope_unit_id, name, unit, spec ? spec : "", low,
				    clock_now(), &id, &r->err)))
		return rc;
	req_audit_record(r, "item", id);
	return respond_item(r, c, id, 201);
}

static int patch_item(struct req *r)
{
	int64_t id = 0, low = 0;
	const char *spec = NULL;
	int has_low = 0, has_spec = 0;
	int rc = req_param_id(r, "id", &id);
	if (!rc) {
		req_audit_record(r, "item", id);
		rc = req_json(r);
	}
	if (!rc)
		rc = jx_int(r, r->json, "low_stock", 0, 0, INT32_MAX, &low, &has_low);
	if (!rc)
		rc = jx_str(r, r->json, "spec", 0, 64, &spec, &has_spec);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	int64_t unit = 0;
	rc = db_one_int(c, &unit,
			"SELECT unit_id FROM items WHERE id = $1 AND " VISIBLE_SQL("unit_id", "2"),
			"ii", id, r->who.scope_unit_id);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_NOT_FOUND, "", "no such item");
	if ((rc = scope_check(r, unit, 1, "item")))
		return rc;
	int64_t n = db_run(c,
			   "UPDATE items SET low_stock = CASE WHEN $2 = 1 THEN $3 ELSE low_stock END,"
			   " spec = CASE WHEN $4 = 1 THEN $5 ELSE spec END WHERE id = $1",
			   "iiiit", id, (int64_t)has_low, low, (int64_t)has_spec, spec ? spec : "");
	if (n == ERR_CONFLICT)
		return err_set(&r->err, ERR_CONFLICT, "spec",
			       "an item with this name and specification already exists");
	if (n < 0)
		return (int)n;
	return respond_item(r, c, id, 200);
}

/* ---------- warehouses ---------- */

#define WH_COLS                                                                    \
	"SELECT w.id, w.name, w.unit_id, u.name,"                                 \
	" (SELECT COUNT(*) FROM stock_on_hand s WHERE s.warehouse_id = w.id AND s.quantity > 0)" \
	" FROM warehouses w JOIN units u ON u.id = w.unit_id"

static json_t *wh_row(struct dbq *q)
{
	return json_pack("{s:I,s:s,s:I,s:s,s:I}", "id", (json_int_t)db_int(q, 0), "name",
			 db_text(q, 1), "unit_id", (json_int_t)db_int(q, 2), "unit_name",
			 db_text(q, 3), "items_in_stock", (json_int_t)db_int(q, 4));
}

static const struct list_col wh_export[] = {
	{"id", "编号"}, {"name", "仓库"}, {"unit_id", "单位编号"}, {"unit_name", "所属单位"},
	{"items_in_stock", "有库存品种数"}, {0, 0},
};

static int list_warehouses(struct req *r)
{
	static const char sql[] =
		WH_COLS " WHERE " SCOPE_SQL("w.unit_id", "1") " AND w.id > $2"
		" AND ($3 = '' OR lower(w.name) LIKE $3 ESCAPE '\\') ORDER BY w.id LIMIT $4";
	return resp_search_list(r, sql, wh_row, wh_export, "warehouses");
}

int supplies_warehouse_add(struct dbc *c, int64_t unit_id, const char *name, int64_t now,
			   int64_t *id, struct err_info *ei)
{
	int rc = db_one_int(c, id,
			    "INSERT INTO warehouses(unit_id, name, created_at) VALUES ($1, $2, $3)"
			    " RETURNING id",
			    "iti", unit_id, name, now);
	if (rc == ERR_CONFLICT)
		return err_set(ei, ERR_CONFLICT, "name", "the unit already has a warehouse \"%s\"",
			       name);
	return rc == 1 ? 0 : rc < 0 ? rc : ERR_DB;
}

static int create_warehouse(struct req *r)
{
	const char *name = NULL;
	int64_t unit = 0;
	int rc = req_json(r);
	if (!rc)
		rc = jx_id(r, r->json, "unit_id", 1, 0, &unit, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "name", 1, 64, &name, NULL);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	rc = db_one_int(c, NULL, "SELECT 1 FROM units WHERE id = $1", "i", unit);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_INVALID, "unit_id", "no such unit");
	if ((rc = scope_check(r, unit, 1, "unit")))
		return rc;
	int64_t id = 0;
	if ((rc = supplies_warehouse_add(c, unit, name, clock_now(), &id, &r->err)))
		return rc;
	req_audit_record(r, "warehouse", id);
	json_t *o = query_row(db_query(c, WH_COLS " WHERE w.id = $1", "i", id), wh_row, &rc);
	return o ? resp_json(r, 201, o) : rc < 0 ? rc : ERR_DB;
}

/* ---------- receipts and adjustments ---------- */

#define LEDGER_COLS                                                                     \
	"SELECT l.id, l.at, l.warehouse_id, w.name, l.item_id, i.name, i.unit, l.kind,"   \
	" l.quantity, l.balance, l.lot_id, l.source, l.supplier, l.donation_id,"          \
	" d.donor_name, l.fund_id, l.unit_price_fen, l.amount_fen, l.request_id,"         \
	" l.to_unit_id, u.name, l.reason, l.corrects_id, l.peer_warehouse_id, pw.name"    \
	" FROM stock_ledger l JOIN warehouses w ON w.id = l.warehouse_id"                 \
	" JOIN items i ON i.id = l.item_id LEFT JOIN donations d ON d.id = l.donation_id" \
	" LEFT JOIN units u ON u.id = l.to_unit_id"                                       \
	" LEFT JOIN warehouses pw ON pw.id = l.peer_warehouse_id"

static json_t *ledger_row(struct dbq *q)
{
	return json_pack("{s:I,s:I,s:I,s:s,s:I,s:s,s:s,s:s,s:I,s:I,s:I,s:o,s:o,s:o,s:o,s:o,s:o,"
			 "s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}",
			 "id", (json_int_t)db_int(q, 0), "at", (json_int_t)db_int(q, 1),
			 "warehouse_id", (json_int_t)db_int(q, 2), "warehouse", db_text(q, 3),
			 "item_id", (json_int_t)db_int(q, 4), "item", db_text(q, 5), "unit",
			 db_text(q, 6), "kind", db_text(q, 7), "quantity",
			 (json_int_t)db_int(q, 8), "balance", (json_int_t)db_int(q, 9), "lot_id",
			 (json_int_t)db_int(q, 10), "source", jx_text_or_null(db_text(q, 11)),
			 "supplier", jx_text_or_null(db_text(q, 12)), "donation_id",
			 jx_col_int(q, 13), "donor", jx_text_or_null(db_text(q, 14)), "fund_id",
			 jx_col_int(q, 15), "unit_price_fen", jx_col_int(q, 16), "amount_fen",
			 jx_col_int(q, 17), "request_id", jx_col_int(q, 18), "to_unit_id",
			 jx_col_int(q, 19), "to_unit", jx_text_or_null(db_text(q, 20)), "reason",
			 jx_text_or_null(db_text(q, 21)), "corrects_id", jx_col_int(q, 22),
			 "peer_warehouse_id", jx_col_int(q, 23), "peer_warehouse",
			 jx_text_or_null(db_text(q, 24)));
}

json_t *supplies_entry(struct dbc *c, int64_t id, int *rc)
{
	return query_row(db_query(c, LEDGER_COLS " WHERE l.id = $1", "i", id), ledger_row, rc);
}

static int respond_entry(struct req *r, struct dbc *c, int64_t id, int status)
{
	int rc;
	json_t *o = supplies_entry(c, id, &rc);
	if (!o)
		return rc < 0 ? rc : ERR_DB;
	return resp_json(r, status, o);
}

int supplies_receive(struct dbc *c, int64_t scope_unit, const struct receipt *in,
		     int64_t *ledger_id, struct err_info *ei)
{
	int rc = supplies_warehouse(c, scope_unit, in->warehouse_id, "warehouse_id", NULL, ei);
	if (!rc)
		rc = supplies_item_check(c, scope_unit, in->item_id, "item_id", ei);
	if (rc)
		return rc;
	if (in->quantity <= 0)
		return err_set(ei, ERR_INVALID, "quantity", "must be a positive whole number");
	struct stock_move m = {
		.warehouse_id = in->warehouse_id, .item_id = in->item_id, .kind = "receipt",
		.quantity = in->quantity, .at = in->at, .user_id = in->user_id,
		.source = in->source, .supplier = in->supplier, .client_id = in->client_id,
	};
	int purchase = strcmp(in->source, "purchase") == 0;
	if (purchase) {
		if (in->donation_id) {
			/* Bought with donated money: the goods are a lot of that
			 * donation and go only where its donor directed it. */
			struct donation_info d;
			if (!in->fund_id)
				return err_set(ei, ERR_INVALID, "fund_id",
					       "is required for a purchase paid from donated money");
			if ((rc = donations_get(c, scope_unit, in->donation_id, "donation_id", &d, ei)))
				return rc;
			if (strcmp(d.kind, "money") != 0)
				return err_set(ei, ERR_RULE, "donation_id",
					       "a purchase is paid from money: donation %lld is goods",
					       (long long)in->donation_id);
			m.donation_id = in->donation_id;
			m.lot_id = d.directed ? in->donation_id : 0;
		}
		if (in->fund_id) {
			if (!in->unit_price_fen)
				return err_set(ei, ERR_INVALID, "unit_price_fen",
					       "is required for a purchase against a fund");
			if ((rc = funds_check(c, scope_unit, in->fund_id, "fund_id", ei)))
				return rc;
		}
		if (in->unit_price_fen &&
		    supplies_fen_mul(in->quantity, in->unit_price_fen, &m.amount_fen))
			return err_set(ei, ERR_INVALID, "unit_price_fen", "the total is too large");
		m.fund_id = in->fund_id;
		m.unit_price_fen = in->unit_price_fen;
	} else {
		if (!in->donation_id)
			return err_set(ei, ERR_INVALID, "donation_id",
				       "is required for donated goods");
		if (in->fund_id)
			return err_set(ei, ERR_INVALID, "fund_id", "donated goods are paid by no fund");
		struct donation_info d;
		if ((rc = donations_get(c, scope_unit, in->donation_id, "donation_id", &d, ei)))
			return rc;
		if (strcmp(d.kind, "goods") != 0)
			return err_set(ei, ERR_RULE, "donation_id",
				       "donation %lld is money, not goods", (long long)in->donation_id);
		m.donation_id = in->donation_id;
		m.lot_id = d.directed ? in->donation_id : 0;
		m.unit_price_fen = in->unit_price_fen;
	}
	int64_t id = 0;
	if ((rc = supplies_move(c, &m, &id, NULL, ei)))
		return rc;
	if (purchase && in->fund_id &&
	    (rc = funds_post(c, in->fund_id, "spend", -m.amount_fen, in->donation_id, id,
			     "purchase", in->at, in->user_id, NULL, NULL, ei)))
		return rc;
	if (ledger_id)
		*ledger_id = id;
	return 0;
}

static int post_receipt(struct req *r)
{
	struct receipt in = {.source = NULL, .at = clock_now(), .user_id = r->who.user_id};
	int rc = req_json(r);
	if (!rc)
		rc = jx_id(r, r->json, "warehouse_id", 1, 0, &in.warehouse_id, NULL);
	if (!rc)
		rc = jx_id(r, r->json, "item_id", 1, 0, &in.item_id, NULL);
	if (!rc)
		rc = jx_int(r, r->json, "quantity", 1, 1, INT32_MAX, &in.quantity, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "source", 1, 16, &in.source, NULL);
	if (!rc && strcmp(in.source, "purchase") != 0 && strcmp(in.source, "donation") != 0)
		rc = err_set(&r->err, ERR_INVALID, "source", "must be purchase or donation");
	if (!rc)
		rc = jx_id(r, r->json, "donation_id", 0, 1, &in.donation_id, NULL);
	if (!rc)
		rc = jx_id(r, r->json, "fund_id", 0, 1, &in.fund_id, NULL);
	if (!rc)
		rc = jx_int(r, r->json, "unit_price_fen", 0, 1, INT32_MAX, &in.unit_price_fen, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "supplier", 0, 64, &in.supplier, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "client_id", 0, 128, NULL, NULL);
	if (rc)
		return rc;
	if (in.supplier && !*in.supplier)
		in.supplier = NULL;
	in.client_id = r->client_id;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	int64_t id = 0;
	if ((rc = supplies_receive(c, r->who.scope_unit_id, &in, &id, &r->err)))
		return rc;
	req_audit_record(r, "stock_entry", id);
	return respond_entry(r, c, id, 201);
}

/* POST /stock/adjustments {"warehouse_id","item_id","quantity" (signed, not
 * 0),"reason","kind":"adjustment"|"write_off","corrects_id"?,
 * "donation_id"?}: a correction names the entry it corrects and stays in
 * that entry's warehouse, item and lot; a write-off takes stock out. */
static int post_adjustment(struct req *r)
{
	struct stock_move m = {.kind = "adjustment", .at = clock_now(), .user_id = r->who.user_id};
	const char *kind = "adjustment";
	int64_t donation = 0;
	int rc = req_json(r);
	if (!rc)
		rc = jx_str(r, r->json, "kind", 0, 16, &kind, NULL);
	if (!rc && (!kind || (strcmp(kind, "adjustment") != 0 && strcmp(kind, "write_off") != 0)))
		rc = err_set(&r->err, ERR_INVALID, "kind", "must be adjustment or write_off");
	if (!rc)
		rc = jx_id(r, r->json, "warehouse_id", 1, 0, &m.warehouse_id, NULL);
	if (!rc)
		rc = jx_id(r, r->json, "item_id", 1, 0, &m.item_id, NULL);
	if (!rc)
		rc = jx_int(r, r->json, "quantity", 1, -INT32_MAX, INT32_MAX, &m.quantity, NULL);
	if (!rc && m.quantity == 0)
		rc = err_set(&r->err, ERR_INVALID, "quantity", "must not be 0");
	if (!rc && strcmp(kind, "write_off") == 0 && m.quantity > 0)
		rc = err_set(&r->err, ERR_INVALID, "quantity",
			     "a write-off takes stock out: give a negative quantity");
	if (!rc)
		rc = jx_str(r, r->json, "reason", 1, 200, &m.reason, NULL);
	if (!rc)
		rc = jx_id(r, r->json, "corrects_id", 0, 1, &m.corrects_id, NULL);
	if (!rc)
		rc = jx_id(r, r->json, "donation_id", 0, 1, &donation, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "client_id", 0, 128, NULL, NULL);
	if (rc)
		return rc;
	m.kind = kind;
	m.client_id = r->client_id;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if ((rc = supplies_warehouse(c, r->who.scope_unit_id, m.warehouse_id, "warehouse_id", NULL,
				     &r->err)) ||
	    (rc = supplies_item_check(c, r->who.scope_unit_id, m.item_id, "item_id", &r->err)))
		return rc;
	if (m.corrects_id) {
		struct dbq *q = db_query(c,
					 "SELECT warehouse_id, item_id, lot_id, donation_id FROM"
					 " stock_ledger WHERE id = $1",
					 "i", m.corrects_id);
		if (!q)
			return ERR_DB;
		rc = db_step(q);
		int same = rc == 1 && db_int(q, 0) == m.warehouse_id && db_int(q, 1) == m.item_id;
		if (rc == 1) {
			m.lot_id = db_int(q, 2);
			m.donation_id = db_null(q, 3) ? 0 : db_int(q, 3);
		}
		db_done(q);
		if (rc < 0)
			return rc;
		if (!same)
			return err_set(&r->err, ERR_INVALID, "corrects_id",
				       "no entry of this item in this warehouse");
	} else if (donation) {
		struct donation_info d;
		if ((rc = donations_get(c, r->who.scope_unit_id, donation, "donation_id", &d,
					&r->err)))
			return rc;
		m.donation_id = donation;
		m.lot_id = d.directed ? donation : 0;
	}
	int64_t id = 0;
	if ((rc = supplies_move(c, &m, &id, NULL, &r->err)))
		return rc;
	req_audit_record(r, "stock_entry", id);
	return respond_entry(r, c, id, 201);
}

/* ---------- views ---------- */

static json_t *stock_row(struct dbq *q)
{
	/* A warehouse that never held the item has nothing running low. */
	int64_t qty = db_int(q, 6), low = db_int(q, 8), held = db_int(q, 9);
	return json_pack("{s:I,s:s,s:I,s:s,s:s,s:s,s:I,s:I,s:I,s:b}", "warehouse_id",
			 (json_int_t)db_int(q, 0), "warehouse", db_text(q, 1), "item_id",
			 (json_int_t)db_int(q, 2), "item", db_text(q, 3), "unit", db_text(q, 4),
			 "spec", db_text(q, 5), "quantity", (json_int_t)qty, "directed",
			 (json_int_t)db_int(q, 7), "low_stock", (json_int_t)low, "low",
			 held && low > 0 && qty <= low);
}

static const struct list_col stock_export[] = {
	{"warehouse", "仓库"},  {"item_id", "物资编号"}, {"item", "物资名称"},
	{"spec", "规格"},       {"unit", "计量单位"},    {"quantity", "库存"},
	{"directed", "其中定向捐赠"}, {"low_stock", "预警线"}, {"low", "低库存"},
	{0, 0},
};

static int get_stock(struct req *r)
{
	/* Every visible item in every warehouse in scope, with 0 where none
	 * was ever received: a keeper sees what is missing too. */
	static const char sql[] =
		"SELECT w.id, w.name, i.id, i.name, i.unit, i.spec, COALESCE(s.quantity, 0),"
		" COALESCE((SELECT SUM(l.quantity) FROM stock_lots l WHERE l.warehouse_id = w.id"
		" AND l.item_id = i.id AND l.lot_id <> 0), 0), i.low_stock,"
		" CASE WHEN s.warehouse_id IS NULL THEN 0 ELSE 1 END"
		" FROM warehouses w CROSS JOIN items i"
		" LEFT JOIN stock_on_hand s ON s.warehouse_id = w.id AND s.item_id = i.id"
		" WHERE " SCOPE_SQL("w.unit_id", "1") " AND ($2 = 0 OR w.id = $2)"
		" AND " VISIBLE_SQL("i.unit_id", "1") " AND ($3 = 0 OR i.id = $3)"
		" ORDER BY i.id, w.id";
	struct page pg;
	int64_t wh = 0, item = 0;
	int rc = req_page(r, &pg);
	if (!rc)
		rc = req_query_int(r, "warehouse_id", 0, INT64_MAX, 0, &wh);
	if (!rc)
		rc = req_query_int(r, "item_id", 0, INT64_MAX, 0, &item);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if (wh && (rc = supplies_warehouse(c, r->who.scope_unit_id, wh, "warehouse_id", NULL,
					   &r->err)))
		return rc;
	struct dbq *q = db_query(c, sql, "iii", r->who.scope_unit_id, wh, item);
	if (!q)
		return ERR_DB;
	json_t *items = json_array();
	while ((rc = db_step(q)) == 1)
		json_array_append_new(items, stock_row(q));
	db_done(q);
	if (rc < 0) {
		json_decref(items);
		return rc;
	}
	return resp_list(r, &pg, items, 0, stock_export, "stock");
}

static const struct list_col ledger_export[] = {
	{"id", "流水号"},          {"at", "时间"},          {"warehouse", "仓库"},
	{"item", "物资"},          {"unit", "计量单位"},    {"kind", "类型"},
	{"quantity", "数量"},      {"balance", "结存"},     {"source", "来源"},
	{"supplier", "供应商"},    {"donor", "捐赠方"},     {"unit_price_fen", "单价（分）"},
	{"amount_fen", "金额（分）"}, {"request_id", "申领单号"}, {"to_unit", "领用单位"},
	{"reason", "原因"},        {"corrects_id", "更正流水号"}, {"peer_warehouse", "调拨对方仓库"},
	{0, 0},
};

static int get_ledger(struct req *r)
{
	/* With an item the ledger is read along (item, warehouse, id). */
	static const char by_item_sql[] =
		LEDGER_COLS " WHERE l.item_id = $3 AND ($4 = 0 OR l.warehouse_id = $4)"
		" AND l.id > $2 AND " SCOPE_SQL("l.unit_id", "1") " AND ($5 = '' OR l.kind = $5)"
		" ORDER BY l.id LIMIT $6";
	static const char all_sql[] =
		LEDGER_COLS " WHERE ($3 = 0) AND ($4 = 0 OR l.warehouse_id = $4)"
		" AND l.id > $2 AND " SCOPE_SQL("l.unit_id", "1") " AND ($5 = '' OR l.kind = $5)"
		" ORDER BY l.id LIMIT $6";
	struct page pg;
	int64_t wh = 0, item = 0;
	const char *kind = req_query(r, "kind");
	int rc = req_page(r, &pg);
	if (!rc)
		rc = req_query_int(r, "warehouse_id", 0, INT64_MAX, 0, &wh);
	if (!rc)
		rc = req_query_int(r, "item_id", 0, INT64_MAX, 0, &item);
	if (!rc && kind && *kind && strcmp(kind, "receipt") != 0 && strcmp(kind, "issue") != 0 &&
	    strcmp(kind, "transfer") != 0 && strcmp(kind, "adjustment") != 0 &&
	    strcmp(kind, "write_off") != 0)
		rc = err_set(&r->err, ERR_INVALID, "kind",
			     "must be receipt, issue, transfer, adjustment or write_off");
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if (wh && (rc = supplies_warehouse(c, r->who.scope_unit_id, wh, "warehouse_id", NULL,
					   &r->err)))
		return rc;
	struct dbq *q = db_query(c, item ? by_item_sql : all_sql, "iiiiti", r->who.scope_unit_id,
				 pg.after, item, wh, kind ? kind : "", pg.limit + 1);
	return resp_query_list(r, &pg, q, ledger_row, ledger_export, "stock-ledger");
}

int64_t supplies_check(struct dbc *c, int64_t scope_unit, int64_t *entries)
{
	/* Rows where the ledger's sum and the summary differ, either way
	 * round (a summary with no ledger rows, ledger rows with no summary). */
	static const char on_hand_sql[] =
		"SELECT COUNT(*) FROM (SELECT s.warehouse_id, s.item_id, s.quantity AS q,"
		" COALESCE((SELECT SUM(l.quantity) FROM stock_ledger l WHERE l.warehouse_id ="
		" s.warehouse_id AND l.item_id = s.item_id), 0) AS lq FROM stock_on_hand s"
		" JOIN warehouses w ON w.id = s.warehouse_id WHERE " SCOPE_SQL("w.unit_id", "1")
		") x WHERE x.q <> x.lq";
	static const char lots_sql[] =
		"SELECT COUNT(*) FROM (SELECT s.quantity AS q,"
		" COALESCE((SELECT SUM(l.quantity) FROM stock_ledger l WHERE l.warehouse_id ="
		" s.warehouse_id AND l.item_id = s.item_id AND l.lot_id = s.lot_id), 0) AS lq"
		" FROM stock_lots s JOIN warehouses w ON w.id = s.warehouse_id WHERE "
		SCOPE_SQL("w.unit_id", "1") ") x WHERE x.q <> x.lq";
	static const char missing_sql[] =
		"SELECT COUNT(*) FROM (SELECT DISTINCT l.warehouse_id, l.item_id, l.lot_id"
		" FROM stock_ledger l WHERE " SCOPE_SQL("l.unit_id", "1") " AND NOT EXISTS"
		" (SELECT 1 FROM stock_lots s WHERE s.warehouse_id = l.warehouse_id AND"
		" s.item_id = l.item_id AND s.lot_id = l.lot_id)) x";
	static const char count_sql[] =
		"SELECT COUNT(*) FROM stock_ledger l WHERE " SCOPE_SQL("l.unit_id", "1");
	int64_t a = 0, b = 0, m = 0, n = 0;
	int rc = db_one_int(c, &a, on_hand_sql, "i", scope_unit);
	if (rc >= 0)
		rc = db_one_int(c, &b, lots_sql, "i", scope_unit);
	if (rc >= 0)
		rc = db_one_int(c, &m, missing_sql, "i", scope_unit);
	if (rc >= 0)
		rc = db_one_int(c, &n, count_sql, "i", scope_unit);
	if (rc < 0)
		return rc;
	if (entries)
		*entries = n;
	return a + b + m;
}

static int get_check(struct req *r)
{
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	int64_t entries = 0;
	int64_t bad = supplies_check(c, r->who.scope_unit_id, &entries);
	if (bad < 0)
		return (int)bad;
	return resp_json(r, 200,
			 json_pack("{s:b,s:I,s:I}", "ok", bad == 0, "entries", (json_int_t)entries,
				   "mismatches", (json_int_t)bad));
}

/* ---------- as of a day, for the bulletin ---------- */

static json_t *item_sums(struct dbc *c, const char *sql, int64_t scope_unit, const char *day)
{
	char next[DAY_LEN];
	if (day_valid(day) || day_add(day, 1, next))
		return NULL;
	struct dbq *q = db_query(c, sql, "ii", scope_unit, day_start(next));
	if (!q)
		return NULL;
	json_t *out = json_array();
	int rc;
	while ((rc = db_step(q)) == 1)
		json_array_append_new(out, json_pack("{s:I,s:s,s:s,s:I}", "item_id",
						     (json_int_t)db_int(q, 0), "item",
						     db_text(q, 1), "unit", db_text(q, 2),
						     "quantity", (json_int_t)db_int(q, 3)));
	db_done(q);
	if (rc < 0) {
		json_decref(out);
		return NULL;
	}
	return out;
}

json_t *supplies_raised_as_of(struct dbc *c, int64_t scope_unit, const char *day)
{
	static const char sql[] =
		"SELECT i.id, i.name, i.unit, SUM(l.quantity) FROM stock_ledger l"
		" JOIN items i ON i.id = l.item_id"
		" LEFT JOIN stock_ledger o ON o.id = l.corrects_id"
		" WHERE " SCOPE_SQL("l.unit_id", "1") " AND l.at < $2"
		" AND (l.kind = 'receipt' OR o.kind = 'receipt')"
		" GROUP BY i.id, i.name, i.unit ORDER BY i.id";
	return item_sums(c, sql, scope_unit, day);
}

json_t *supplies_stock_as_of(struct dbc *c, int64_t scope_unit, const char *day)
{
	static const char sql[] =
		"SELECT i.id, i.name, i.unit, SUM(l.quantity) FROM stock_ledger l"
		" JOIN items i ON i.id = l.item_id"
		" WHERE " SCOPE_SQL("l.unit_id", "1") " AND l.at < $2"
		" GROUP BY i.id, i.name, i.unit ORDER BY i.id";
	return item_sums(c, sql, scope_unit, day);
}
