/* Funds and donations (物资保障, DOMAIN.md §9). A fund's money is a ledger
 * (fund_entries: allocations, money donations, spending, each with the
 * balance after it, never edited) and a balance kept beside it in the
 * same transaction; spending more than a fund holds is refused with the
 * balance. Donations record the donor, goods or money, the declared value
 * in fen and the direction (定向) a donor gave: goods of a directed
 * donation are a lot of their own in stock (supplies.c) and go only where
 * they were directed (requests.c). Each donor gets a printable
 * acknowledgement in Chinese. Funds and donations belong to a unit and are
 * seen from its subtree and from above it. */
#include "funds.h"

#include <stdio.h>
#include <string.h>

#include "../base/buf.h"
#include "../base/clock.h"
#include "../http/scope.h"
#include "supplies.h"

static int list_funds(struct req *r);
static int create_fund(struct req *r);
static int list_entries(struct req *r);
static int post_entry(struct req *r);
static int list_donations(struct req *r);
static int create_donation(struct req *r);
static int get_acknowledgement(struct req *r);

static const struct route routes[] = {
	{"GET", "/api/v1/funds", list_funds, P_SUPPLIES_READ, 0, 0,
	 "funds with allocations, donations, spending and balance in fen"},
	{"POST", "/api/v1/funds", create_fund, P_FUNDS_WRITE, 0, 0, "open a fund"},
	{"GET", "/api/v1/funds/{id}/entries", list_entries, P_SUPPLIES_READ, 0, 0,
	 "a fund's ledger with running balance"},
	{"POST", "/api/v1/funds/{id}/entries", post_entry, P_FUNDS_WRITE, 0, ROUTE_IDEMPOTENT,
	 "allocate money to a fund or spend from it (retry-safe by client_id)"},
	{"GET", "/api/v1/donations", list_donations, P_SUPPLIES_READ, 0, 0,
	 "donations with what has been received of them"},
	{"POST", "/api/v1/donations", create_donation, P_SUPPLIES_WRITE, 0, ROUTE_IDEMPOTENT,
	 "record a donation of goods or money (money needs funds.write)"},
	{"GET", "/api/v1/donations/{id}/acknowledgement", get_acknowledgement, P_SUPPLIES_READ, 0,
	 0, "the donor's acknowledgement, an HTML page to print"},
};
ROUTE_TABLE(funds_routes, routes);

#define VISIBLE_SQL(col, n)                                                       \
	"(" col " IN (SELECT ancestor_id FROM unit_tree WHERE unit_id = $" n ") OR " \
	SCOPE_SQL(col, n) ")"

/* ---------- funds ---------- */

int funds_add(struct dbc *c, int64_t unit_id, const char *name, int64_t now, int64_t *id,
	      struct err_info *ei)
{
	int rc = db_one_int(c, id,
			    "INSERT INTO funds(unit_id, name, balance_fen, created_at)"
			    " VALUES ($1, $2, 0, $3) RETURNING id",
			    "iti", unit_id, name, now);
	if (rc == ERR_CONFLICT)
		return err_set(ei, ERR_CONFLICT, "name", "the unit already has a fund \"%s\"", name);
	return rc == 1 ? 0 : rc < 0 ? rc : ERR_DB;
}

int funds_check(struct dbc *c, int64_t scope_unit, int64_t fund_id, const char *field,
		struct err_info *ei)
{
	int rc = db_one_int(c, NULL,
			    "SELECT 1 FROM funds WHERE id = $1 AND " VISIBLE_SQL("unit_id", "2"), "ii",
			    fund_id, scope_unit);
	if (rc < 0)
		return rc;
	return rc ? 0 : err_set(ei, ERR_INVALID, field, "no such fund");
}

int64_t funds_spendable(int64_t balance, int64_t directed_total, int64_t donation_left,
			int named_directed)
{
	int64_t v = named_directed ? donation_left : balance - directed_total;
	if (v > balance)
		v = balance;
	return v < 0 ? 0 : v;
}

/* Before a spend: the fund's row locked (so on PostgreSQL two spends of
 * one fund are serialised and the second sees what the first left), then
 * the money this spend may draw — a named directed donation's remainder,
 * or the money no donor directed. ERR_RULE naming amount_fen when the
 * spend is more, or donation_id when it names what is not money given to
 * this fund. */
static int spend_check(struct dbc *c, int64_t fund_id, int64_t amount_fen, int64_t donation_id,
		       struct err_info *ei)
{
	int64_t bal = 0, directed_total = 0, left = 0, directed = 0;
	char a[40], b[40], d[40];
	int rc = db_one_int(c, &bal,
			    "UPDATE funds SET balance_fen = balance_fen WHERE id = $1 RETURNING balance_fen",
			    "i", fund_id);
	if (rc <= 0)
		return rc < 0 ? rc : err_set(ei, ERR_INVALID, "fund_id", "no such fund");
	rc = db_one_int(c, &directed_total,
			"SELECT COALESCE(SUM(e.amount_fen), 0) FROM fund_entries e JOIN donations d"
			" ON d.id = e.donation_id WHERE e.fund_id = $1 AND d.directed = 1",
			"i", fund_id);
	if (rc < 0)
		return rc;
	if (donation_id) {
		rc = db_one_int(c, &directed,
				"SELECT directed FROM donations WHERE id = $1 AND fund_id = $2"
				" AND kind = 'money'",
				"ii", donation_id, fund_id);
		if (rc < 0)
			return rc;
		if (rc == 0)
			return err_set(ei, ERR_RULE, "donation_id",
				       "donation %lld is not money given to this fund",
				       (long long)donation_id);
		if (directed &&
		    (rc = db_one_int(c, &left,
				     "SELECT COALESCE(SUM(amount_fen), 0) FROM fund_entries WHERE"
				     " fund_id = $1 AND donation_id = $2",
				     "ii", fund_id, donation_id)) < 0)
			return rc;
	}
	int64_t room = funds_spendable(bal, directed_total, left, directed != 0);
	if (-amount_fen <= room)
		return 0;
	supplies_fen_text(-amount_fen, a, sizeof a);
	supplies_fen_text(room, b, sizeof b);
	if (directed)
		return err_set(ei, ERR_RULE, "amount_fen",
			       "spending %s yuan is more than is left of donation %lld: %s yuan", a,
			       (long long)donation_id, b);
	if (!directed_total || bal <= room)
		return err_set(ei, ERR_RULE, "amount_fen",
			       "spending %s yuan is more than the fund holds: balance %s yuan", a, b);
	supplies_fen_text(bal - room, d, sizeof d);
	return err_set(ei, ERR_RULE, "amount_fen",
		       "spending %s yuan is more than the fund's undirected money: %s yuan (%s yuan"
		       " more was directed by donors and is spent only as they directed, naming"
		       " the donation)",
		       a, b, d);
}

int funds_post(struct dbc *c, int64_t fund_id, const char *kind, int64_t amount_fen,
	       int64_t donation_id, int64_t ledger_id, const char *purpose, int64_t at,
	       int64_t user_id, int64_t *entry_id, int64_t *balance_fen, struct err_info *ei)
{
	/* The balance check is inside the UPDATE too: on PostgreSQL a
	 * concurrent spend waits for the row and re-checks against the new
	 * balance. */
	int64_t bal = 0, id = 0;
	int rc;
	if (amount_fen < 0 && (rc = spend_check(c, fund_id, amount_fen, donation_id, ei)))
		return rc;
	rc = db_one_int(c, &bal,
			    "UPDATE funds SET balance_fen = balance_fen + $2 WHERE id = $1"
			    " AND balance_fen + $2 >= 0 RETURNING balance_fen",
			    "ii", fund_id, amount_fen);
	if (rc < 0)
		return rc;
	if (rc == 0) {
		int64_t have = 0;
		char a[40], b[40];
		if ((rc = db_one_int(c, &have, "SELECT balance_fen FROM funds WHERE id = $1", "i",
				     fund_id)) < 0)
			return rc;
		if (rc == 0)
			return err_set(ei, ERR_INVALID, "fund_id", "no such fund");
		return err_set(ei, ERR_RULE, "amount_fen",
			       "spending %s yuan is more than the fund holds: balance %s yuan",
			       supplies_fen_text(-amount_fen, a, sizeof a),
			       supplies_fen_text(have, b, sizeof b));
	}
	rc = db_one_int(c, &id,
			"INSERT INTO fund_entries(fund_id, kind, amount_fen, balance_fen, donation_id,"
			" ledger_id, purpose, at, user_id, created_at)"
			" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
			"itiiIItiIi", fund_id, kind, amount_fen, bal, donation_id, ledger_id, purpose,
			at, user_id, clock_now());
	if (rc != 1)
		return rc < 0 ? rc : ERR_DB;
	if (entry_id)
		*entry_id = id;
	if (balance_fen)
		*balance_fen = bal;
	return 0;
}

int funds_totals_as_of(struct dbc *c, int64_t scope_unit, const char *day,
		       int64_t *allocated_fen, int64_t *donations_fen)
{
	char next[DAY_LEN];
	if (!day || day_valid(day) || day_add(day, 1, next))
		return ERR_INVALID;
	int64_t end = day_start(next);
	int rc = db_one_int(c, allocated_fen,
			    "SELECT COALESCE(SUM(e.amount_fen), 0) FROM fund_entries e"
			    " JOIN funds f ON f.id = e.fund_id WHERE e.kind = 'allocation'"
			    " AND e.at < $2 AND " SCOPE_SQL("f.unit_id", "1"),
			    "ii", scope_unit, end);
	if (rc >= 0)
		rc = db_one_int(c, donations_fen,
				"SELECT COALESCE(SUM(d.value_fen), 0) FROM donations d"
				" WHERE d.received_at < $2 AND " SCOPE_SQL("d.unit_id", "1"),
				"ii", scope_unit, end);
	return rc < 0 ? rc : 0;
}

#define FUND_COLS                                                                       \
	"SELECT f.id, f.name, f.unit_id, u.name, f.balance_fen,"                          \
	" COALESCE((SELECT SUM(e.amount_fen) FROM fund_entries e WHERE e.fund_id = f.id"  \
	" AND e.kind = 'allocation'), 0),"                                                \
	" COALESCE((SELECT SUM(e.amount_fen) FROM fund_entries e WHERE e.fund_id = f.id"  \
	" AND e.kind = 'donation'), 0),"                                                  \
	" COALESCE((SELECT -SUM(e.amount_fen) FROM fund_entries e WHERE e.fund_id = f.id" \
	" AND e.kind = 'spend'), 0)"                                                      \
	" FROM funds f JOIN units u ON u.id = f.unit_id"

static json_t *fund_row(struct dbq *q)
{
	return json_pack("{s:I,s:s,s:I,s:s,s:I,s:I,s:I,s:I}", "id", (json_int_t)db_int(q, 0),
			 "name", db_text(q, 1), "unit_id", (json_int_t)db_int(q, 2), "unit_name",
			 db_text(q, 3), "balance_fen", (json_int_t)db_int(q, 4), "allocated_fen",
			 (json_int_t)db_int(q, 5), "donations_fen", (json_int_t)db_int(q, 6),
			 "spent_fen", (json_int_t)db_int(q, 7));
}

static const struct list_col fund_export[] = {
	{"id", "编号"}, {"name", "资金名称"}, {"unit_name", "所属单位"},
	{"allocated_fen", "拨付（分）"}, {"donations_fen", "捐赠（分）"}, {"spent_fen", "支出（分）"},
	{"balance_fen", "余额（分）"}, {0, 0},
};

static int list_funds(struct req *r)
{
	static const char sql[] =
		FUND_COLS " WHERE " VISIBLE_SQL("f.unit_id", "1") " AND f.id > $2"
		" AND ($3 = '' OR lower(f.name) LIKE $3 ESCAPE '\\') ORDER BY f.id LIMIT $4";
	return resp_search_list(r, sql, fund_row, fund_export, "funds");
}

static int create_fund(struct req *r)
{
	const char *name = NULL;
	int64_t unit = r->who.scope_unit_id;
	int rc = req_json(r);
	if (!rc)
		rc = jx_str(r, r->json, "name", 1, 64, &name, NULL);
	if (!rc)
		rc = jx_id(r, r->json, "unit_id", 0, 0, &unit, NULL);
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
	if ((rc = funds_add(c, unit, name, clock_now(), &id, &r->err)))
		return rc;
	req_audit_record(r, "fund", id);
	json_t *o = query_row(db_query(c, FUND_COLS " WHERE f.id = $1", "i", id), fund_row, &rc);
	return o ? resp_json(r, 201, o) : rc < 0 ? rc : ERR_DB;
}

#define ENTRY_COLS                                                                    \
	"SELECT e.id, e.at, e.kind, e.amount_fen, e.balance_fen, e.donation_id,"        \
	" d.donor_name, e.ledger_id, e.purpose FROM fund_entries e"                     \
	" LEFT JOIN donations d ON d.id = e.donation_id"

static json_t *entry_row(struct dbq *q)
{
	return json_pack("{s:I,s:I,s:s,s:I,s:I,s:o,s:o,s:o,s:o}", "id", (json_int_t)db_int(q, 0),
			 "at", (json_int_t)db_int(q, 1), "kind", db_text(q, 2), "amount_fen",
			 (json_int_t)db_int(q, 3), "balance_fen", (json_int_t)db_int(q, 4),
			 "donation_id", jx_col_int(q, 5), "donor", jx_text_or_null(db_text(q, 6)),
			 "ledger_id", jx_col_int(q, 7), "purpose", jx_text_or_null(db_text(q, 8)));
}

static const struct list_col entry_export[] = {
	{"id", "编号"}, {"at", "时间"}, {"kind", "类型"}, {"amount_fen", "金额（分）"},
	{"balance_fen", "余额（分）"}, {"donor", "捐赠方"}, {"ledger_id", "入库流水号"},
	{"purpose", "用途"}, {0, 0},
};

/* The fund of the path, visible to the caller: 0 or ERR_NOT_FOUND. */
static int fund_param(struct req *r, struct dbc *c, int64_t *id, int64_t *unit)
{
	int rc = req_param_id(r, "id", id);
	if (rc)
		return err_set(&r->err, ERR_NOT_FOUND, "", "no such fund");
	rc = db_one_int(c, unit,
			"SELECT unit_id FROM funds WHERE id = $1 AND " VISIBLE_SQL("unit_id", "2"),
			"ii", *id, r->who.scope_unit_id);
	if (rc < 0)
		return rc;
	return rc ? 0 : err_set(&r->err, ERR_NOT_FOUND, "", "no such fund");
}

static int list_entries(struct req *r)
{
	struct page pg;
	int64_t id = 0, unit = 0;
	int rc = req_page(r, &pg);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if ((rc = fund_param(r, c, &id, &unit)))
		return rc;
	struct dbq *q = db_query(c, ENTRY_COLS " WHERE e.fund_id = $1 AND e.id > $2 ORDER BY e.id"
				    " LIMIT $3",
				 "iii", id, pg.after, pg.limit + 1);
	return resp_query_list(r, &pg, q, entry_row, entry_export, "fund-entries");
}

/* The words for a donation's direction, "<unit> / <kind>", into out. */
static void direction_text(struct dbc *c, const struct donation_info *d, char *out, size_t n)
{
	char unit[256] = "";
	struct dbq *q;
	if (d->directed_unit_id &&
	    (q = db_query(c, "SELECT name FROM units WHERE id = $1", "i", d->directed_unit_id))) {
		if (db_step(q) == 1)
			snprintf(unit, sizeof unit, "%s", db_text(q, 0));
		db_done(q);
	}
	snprintf(out, n, "%s%s%s", unit, unit[0] && d->directed_kind[0] ? " / " : "",
		 d->directed_kind);
}

int funds_direction_check(struct dbc *c, int64_t scope_unit, int64_t donation_id,
			  int64_t unit_id, const char *for_kind, struct err_info *ei)
{
	struct donation_info d;
	char dir[320];
	int rc = donations_get(c, scope_unit, donation_id, "donation_id", &d, ei);
	if (rc || !d.directed)
		return rc;
	direction_text(c, &d, dir, sizeof dir);
	if (d.directed_unit_id) {
		if (!unit_id)
			return err_set(ei, ERR_RULE, "unit_id",
				       "donation %lld from %s is directed to %s: name the unit it is"
				       " spent on",
				       (long long)donation_id, d.donor_name, dir);
		if ((rc = scope_contains(c, d.directed_unit_id, unit_id)) < 0)
			return rc;
		if (rc == 0)
			return err_set(ei, ERR_RULE, "unit_id",
				       "donation %lld from %s is directed to %s: it may not be spent"
				       " on another unit",
				       (long long)donation_id, d.donor_name, dir);
	}
	if (d.directed_kind[0]) {
		if (!for_kind || !*for_kind)
			return err_set(ei, ERR_RULE, "for_kind",
				       "donation %lld from %s is directed to %s: name what it is spent"
				       " on",
				       (long long)donation_id, d.donor_name, dir);
		if (!supplies_direction_allows(d.directed_kind, -1, for_kind))
			return err_set(ei, ERR_RULE, "for_kind",
				       "donation %lld from %s is directed to %s: it may not be spent"
				       " on a %s",
				       (long long)donation_id, d.donor_name, dir, for_kind);
	}
	return 0;
}

/* POST /funds/{id}/entries {"kind":"allocation"|"spend","amount_fen",
 * "purpose","donation_id"?,"unit_id"?,"for_kind"?}: a spend of directed
 * money names its donation and what it is spent on (the unit, the kind of
 * front-line user), which must be what the donor directed it to. */
static int post_entry(struct req *r)
{
	const char *kind = NULL, *purpose = NULL, *for_kind = NULL;
	int64_t amount = 0, id = 0, unit = 0, donation = 0, for_unit = 0;
	int rc = req_json(r);
	if (!rc)
		rc = jx_str(r, r->json, "kind", 1, 16, &kind, NULL);
	if (!rc && strcmp(kind, "allocation") != 0 && strcmp(kind, "spend") != 0)
		rc = err_set(&r->err, ERR_INVALID, "kind", "must be allocation or spend");
	if (!rc)
		rc = jx_int(r, r->json, "amount_fen", 1, 1, INT64_C(100000000000000), &amount, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "purpose", 1, 200, &purpose, NULL);
	if (!rc)
		rc = jx_id(r, r->json, "donation_id", 0, 1, &donation, NULL);
	if (!rc)
		rc = jx_id(r, r->json, "unit_id", 0, 1, &for_unit, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "for_kind", 0, 32, &for_kind, NULL);
	if (!rc && for_kind && !*for_kind)
		for_kind = NULL;
	if (!rc && for_kind && !supplies_priority(for_kind))
		rc = err_set(&r->err, ERR_INVALID, "for_kind",
			     "must be epidemic_point, isolation_site, checkpoint, medical_team"
			     " or community");
	if (!rc && strcmp(kind, "spend") != 0 && (donation || for_unit || for_kind))
		rc = err_set(&r->err, ERR_INVALID, donation ? "donation_id" : for_unit ? "unit_id" : "for_kind",
			     "only a spend names a donation or what it is spent on");
	if (!rc)
		rc = jx_str(r, r->json, "client_id", 0, 128, NULL, NULL);
	if (rc)
		return rc;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	if ((rc = fund_param(r, c, &id, &unit)))
		return rc;
	if ((rc = scope_check(r, unit, 1, "fund")))
		return rc;
	if (for_unit) {
		if ((rc = scope_contains(c, r->who.scope_unit_id, for_unit)) < 0)
			return rc;
		if (rc == 0)
			return err_set(&r->err, ERR_INVALID, "unit_id", "no such unit");
	}
	if (donation && (rc = funds_direction_check(c, r->who.scope_unit_id, donation, for_unit,
						    for_kind, &r->err)))
		return rc;
	int64_t eid = 0;
	if ((rc = funds_post(c, id, kind, strcmp(kind, "spend") == 0 ? -amount : amount, donation,
			     0, purpose, clock_now(), r->who.user_id, &eid, NULL, &r->err)))
		return rc;
	req_audit_record(r, "fund", id);
	if (donation || for_unit || for_kind)
		r->audit_detail = arena_printf(&r->arena, "spent on unit %lld, %s, from donation %lld",
					       (long long)for_unit, for_kind ? for_kind : "-",
					       (long long)donation);
	json_t *o = query_row(db_query(c, ENTRY_COLS " WHERE e.id = $1", "i", eid), entry_row, &rc);
	return o ? resp_json(r, 201, o) : rc < 0 ? rc : ERR_DB;
}

/* ---------- donations ---------- */

int donations_get(struct dbc *c, int64_t scope_unit, int64_t id, const char *field,
		  struct donation_info *out, struct err_info *ei)
{
	struct dbq *q = db_query(c,
				 "SELECT kind, directed, unit_id, directed_unit_id, directed_kind,"
				 " donor_name FROM donations WHERE id = $1 AND "
				 VISIBLE_SQL("unit_id", "2"),
				 "ii", id, scope_unit);
	if (!q)
		return ERR_DB;
	int rc = db_step(q);
	if (rc == 1) {
		memset(out, 0, sizeof *out);
		snprintf(out->kind, sizeof out->kind, "%s", db_text(q, 0));
		out->directed = (int)db_int(q, 1);
		out->unit_id = db_int(q, 2);
		out->directed_unit_id = db_null(q, 3) ? 0 : db_int(q, 3);
		snprintf(out->directed_kind, sizeof out->directed_kind, "%s",
			 db_null(q, 4) ? "" : db_text(q, 4));
		snprintf(out->donor_name, sizeof out->donor_name, "%s", db_text(q, 5));
	}
	db_done(q);
	if (rc < 0)
		return rc;
	return rc ? 0 : err_set(ei, ERR_INVALID, field, "no such donation");
}

int donations_add(struct dbc *c, int64_t scope_unit, const struct donation *d, int64_t *id,
		  struct err_info *ei)
{
	static const char sql[] =
		"INSERT INTO donations(unit_id, donor_name, donor_kind, contact, kind, value_fen,"
		" description, directed, directed_unit_id, directed_kind, purpose, fund_id,"
		" received_at, created_by, client_id, created_at) VALUES ($1, $2, $3, $4, $5, $6,"
		" $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id";
	int money = strcmp(d->kind, "money") == 0;
	int rc = scope_contains(c, scope_unit, d->unit_id);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(ei, ERR_INVALID, "unit_id", "no such unit");
	if (money && !d->fund_id)
		return err_set(ei, ERR_INVALID, "fund_id", "is required for money");
	if (!money && d->fund_id)
		return err_set(ei, ERR_INVALID, "fund_id", "goods go into stock, not a fund");
	if (money && d->value_fen <= 0)
		return err_set(ei, ERR_INVALID, "value_fen", "must be more than 0 for money");
	if (d->fund_id && (rc = funds_check(c, scope_unit, d->fund_id, "fund_id", ei)))
		return rc;
	if (d->directed && !d->directed_unit_id && !(d->directed_kind && *d->directed_kind))
		return err_set(ei, ERR_INVALID, "directed_kind",
			       "a directed donation names the unit or the kind of user it is for");
	if (!d->directed && (d->directed_unit_id || (d->directed_kind && *d->directed_kind)))
		return err_set(ei, ERR_INVALID, "directed",
			       "must be true when a direction is given");
	if (d->directed_kind && *d->directed_kind && !supplies_priority(d->directed_kind))
		return err_set(ei, ERR_INVALID, "directed_kind",
			       "must be epidemic_point, isolation_site, checkpoint, medical_team"
			       " or community");
	if (d->directed_unit_id) {
		rc = db_one_int(c, NULL, "SELECT 1 FROM units WHERE id = $1", "i",
				d->directed_unit_id);
		if (rc < 0)
			return rc;
		if (rc == 0)
			return err_set(ei, ERR_INVALID, "directed_unit_id", "no such unit");
	}
	rc = db_one_int(c, id, sql, "ittttitiIttIiIti", d->unit_id, d->donor_name, d->donor_kind,
			d->contact, d->kind, d->value_fen, d->description, (int64_t)d->directed,
			d->directed_unit_id,
			d->directed_kind && *d->directed_kind ? d->directed_kind : NULL, d->purpose,
			d->fund_id, d->received_at, d->user_id, d->client_id, clock_now());
	if (rc == ERR_CONFLICT)
		return err_set(ei, ERR_CONFLICT, "client_id",
			       "this client id was already used for another write");
	if (rc != 1)
		return rc < 0 ? rc : ERR_DB;
	if (money && (rc = funds_post(c, d->fund_id, "donation", d->value_fen, *id, 0,
				      d->purpose ? d->purpose : "donation", d->received_at,
				      d->user_id, NULL, NULL, ei)))
		return rc;
	return 0;
}

#define DONATION_COLS                                                                     \
	"SELECT d.id, d.received_at, d.donor_name, d.donor_kind, d.contact, d.kind,"        \
	" d.value_fen, d.description, d.directed, d.directed_unit_id, du.name,"             \
	" d.directed_kind, d.purpose, d.fund_id, f.name, d.unit_id, u.name,"                \
	" (SELECT COUNT(*) FROM stock_ledger l WHERE l.donation_id = d.id AND l.kind = 'receipt')," \
	" (SELECT COALESCE(SUM(l.quantity), 0) FROM stock_ledger l WHERE l.donation_id = d.id" \
	" AND l.kind = 'receipt'),"                                                       \
	" (SELECT COALESCE(SUM(e.amount_fen), 0) FROM fund_entries e WHERE e.donation_id = d.id)" \
	" FROM donations d JOIN units u ON u.id = d.unit_id"                                \
	" LEFT JOIN units du ON du.id = d.directed_unit_id LEFT JOIN funds f ON f.id = d.fund_id"

static json_t *donation_row(struct dbq *q)
{
	/* left_fen: of money, what is not yet spent (directed money is spent
	 * only by naming the donation). */
	return json_pack("{s:I,s:I,s:s,s:s,s:o,s:s,s:I,s:o,s:b,s:o,s:o,s:o,s:o,s:o,s:o,s:I,s:s,"
			 "s:I,s:I,s:I}",
			 "id", (json_int_t)db_int(q, 0), "received_at", (json_int_t)db_int(q, 1),
			 "donor_name", db_text(q, 2), "donor_kind", db_text(q, 3), "contact",
			 jx_text_or_null(db_text(q, 4)), "kind", db_text(q, 5), "value_fen",
			 (json_int_t)db_int(q, 6), "description", jx_text_or_null(db_text(q, 7)),
			 "directed", (int)db_int(q, 8), "directed_unit_id", jx_col_int(q, 9),
			 "directed_unit", jx_text_or_null(db_text(q, 10)), "directed_kind",
			 jx_text_or_null(db_text(q, 11)), "purpose",
			 jx_text_or_null(db_text(q, 12)), "fund_id", jx_col_int(q, 13), "fund",
			 jx_text_or_null(db_text(q, 14)), "unit_id", (json_int_t)db_int(q, 15),
			 "unit_name", db_text(q, 16), "receipts", (json_int_t)db_int(q, 17),
			 "received_quantity", (json_int_t)db_int(q, 18), "left_fen",
			 (json_int_t)db_int(q, 19));
}

static const struct list_col donation_export[] = {
	{"id", "编号"},          {"received_at", "接收时间"}, {"donor_name", "捐赠方"},
	{"donor_kind", "类型"},  {"contact", "联系方式"},     {"kind", "捐赠形式"},
	{"value_fen", "价值（分）"}, {"description", "捐赠内容"}, {"directed", "定向"},
	{"directed_unit", "定向单位"}, {"directed_kind", "定向用途"}, {"purpose", "说明"},
	{"fund", "入账资金"},    {"receipts", "入库次数"},    {"received_quantity", "入库数量"},
	{"left_fen", "资金余额（分）"}, {0, 0},
};

static int list_donations(struct req *r)
{
	static const char sql[] =
		DONATION_COLS " WHERE " VISIBLE_SQL("d.unit_id", "1") " AND d.id > $2"
		" AND ($3 = '' OR lower(d.donor_name) LIKE $3 ESCAPE '\\') ORDER BY d.id LIMIT $4";
	return resp_search_list(r, sql, donation_row, donation_export, "donations");
}

static int create_donation(struct req *r)
{
	struct donation d = {.unit_id = r->who.scope_unit_id, .received_at = clock_now(),
			     .user_id = r->who.user_id};
	int directed = 0;
	int64_t now = clock_now();
	int rc = req_json(r);
	if (!rc)
		rc = jx_str(r, r->json, "donor_name", 1, 64, &d.donor_name, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "donor_kind", 1, 8, &d.donor_kind, NULL);
	if (!rc && strcmp(d.donor_kind, "person") != 0 && strcmp(d.donor_kind, "org") != 0)
		rc = err_set(&r->err, ERR_INVALID, "donor_kind", "must be person or org");
	if (!rc)
		rc = jx_str(r, r->json, "contact", 0, 64, &d.contact, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "kind", 1, 8, &d.kind, NULL);
	if (!rc && strcmp(d.kind, "goods") != 0 && strcmp(d.kind, "money") != 0)
		rc = err_set(&r->err, ERR_INVALID, "kind", "must be goods or money");
	if (!rc)
		rc = jx_int(r, r->json, "value_fen", 1, 0, INT64_C(100000000000000), &d.value_fen,
			    NULL);
	if (!rc)
		rc = jx_str(r, r->json, "description", 0, 500, &d.description, NULL);
	if (!rc)
		rc = jx_bool(r, r->json, "directed", 0, &directed, NULL);
	if (!rc)
		rc = jx_id(r, r->json, "directed_unit_id", 0, 1, &d.directed_unit_id, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "directed_kind", 0, 32, &d.directed_kind, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "purpose", 0, 200, &d.purpose, NULL);
	if (!rc)
		rc = jx_id(r, r->json, "fund_id", 0, 1, &d.fund_id, NULL);
	if (!rc)
		rc = jx_id(r, r->json, "unit_id", 0, 0, &d.unit_id, NULL);
	/* A gift written down late carries the time it arrived. */
	if (!rc)
		rc = jx_int(r, r->json, "received_at", 0, now - 366 * 86400, now + 3600,
			    &d.received_at, NULL);
	if (!rc)
		rc = jx_str(r, r->json, "client_id", 0, 128, NULL, NULL);
	if (rc)
		return rc;
	if (strcmp(d.kind, "money") == 0 && !req_can(r, P_FUNDS_WRITE))
		return err_set(&r->err, ERR_FORBIDDEN, "kind",
			       "recording money needs the right to keep funds (funds.write)");
	if (d.contact && !*d.contact)
		d.contact = NULL;
	if (d.description && !*d.description)
		d.description = NULL;
	if (d.purpose && !*d.purpose)
		d.purpose = NULL;
	d.directed = directed;
	d.client_id = r->client_id;
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	int64_t id = 0;
	if ((rc = donations_add(c, r->who.scope_unit_id, &d, &id, &r->err)))
		return rc;
	req_audit_record(r, "donation", id);
	json_t *o = query_row(db_query(c, DONATION_COLS " WHERE d.id = $1", "i", id), donation_row,
			      &rc);
	return o ? resp_json(r, 201, o) : rc < 0 ? rc : ERR_DB;
}

/* ---------- the acknowledgement (捐赠接收确认函) ---------- */

static void html_text(struct buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '&': buf_puts(b, "&amp;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		default: buf_append(b, s, 1);
		}
	}
}

static const char *kind_zh(const char *k)
{
	static const char *const t[][2] = {
		{"epidemic_point", "疫点"},   {"isolation_site", "隔离点"}, {"checkpoint", "卡点"},
		{"medical_team", "医疗队"},   {"community", "社区"},
	};
	for (size_t i = 0; k && i < sizeof t / sizeof t[0]; i++)
		if (strcmp(t[i][0], k) == 0)
			return t[i][1];
	return k ? k : "";
}

static int get_acknowledgement(struct req *r)
{
	static const char lines_sql[] =
		"SELECT i.name, i.unit, SUM(l.quantity) FROM stock_ledger l JOIN items i"
		" ON i.id = l.item_id WHERE l.donation_id = $1 AND (l.kind = 'receipt' OR"
		" l.corrects_id IS NOT NULL) GROUP BY i.id, i.name, i.unit ORDER BY i.id";
	int64_t id = 0;
	if (req_param_id(r, "id", &id))
		return err_set(&r->err, ERR_NOT_FOUND, "", "no such donation");
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	int rc;
	json_t *d = query_row(db_query(c, DONATION_COLS " WHERE d.id = $1 AND "
						 VISIBLE_SQL("d.unit_id", "2"),
				       "ii", id, r->who.scope_unit_id),
			      donation_row, &rc);
	if (!d)
		return rc < 0 ? rc : err_set(&r->err, ERR_NOT_FOUND, "", "no such donation");
	struct buf b = {0};
	char day[DAY_LEN], today[DAY_LEN], fen[48];
	clock_day(json_integer_value(json_object_get(d, "received_at")), day);
	clock_day(clock_now(), today);
	const char *donor = json_string_value(json_object_get(d, "donor_name"));
	const char *unit = json_string_value(json_object_get(d, "unit_name"));
	buf_puts(&b, "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
		     "<title>捐赠接收确认函</title><style>body{font-family:serif;max-width:40em;"
		     "margin:3em auto;line-height:1.8}h1{text-align:center;letter-spacing:.3em}"
		     "table{border-collapse:collapse;width:100%}td,th{border:1px solid #000;"
		     "padding:.3em .6em}td.n{text-align:right}.sign{text-align:right;margin-top:3em}"
		     "@media print{button{display:none}}</style></head><body>"
		     "<button onclick=\"print()\">打印</button><h1>捐赠接收确认函</h1><p>");
	html_text(&b, donor);
	buf_puts(&b, "：</p><p>您于 ");
	buf_puts(&b, day);
	buf_puts(&b, " 向");
	html_text(&b, unit);
	buf_puts(&b, strcmp(json_string_value(json_object_get(d, "kind")), "money") == 0
			     ? "捐赠资金人民币 "
			     : "捐赠物资，申报价值人民币 ");
	buf_puts(&b, supplies_fen_text(json_integer_value(json_object_get(d, "value_fen")), fen,
				       sizeof fen));
	buf_puts(&b, " 元");
	if (json_is_true(json_object_get(d, "directed"))) {
		buf_puts(&b, "，定向用于");
		json_t *du = json_object_get(d, "directed_unit");
		json_t *dk = json_object_get(d, "directed_kind");
		if (json_is_string(du))
			html_text(&b, json_string_value(du));
		if (json_is_string(dk))
			buf_puts(&b, kind_zh(json_string_value(dk)));
		json_t *p = json_object_get(d, "purpose");
		if (json_is_string(p)) {
			buf_puts(&b, "（");
			html_text(&b, json_string_value(p));
			buf_puts(&b, "）");
		}
	}
	buf_puts(&b, "。所捐款物已如数接收，将全部用于疫情防控一线。</p>");
	json_t *desc = json_object_get(d, "description");
	if (json_is_string(desc)) {
		buf_puts(&b, "<p>捐赠内容：");
		html_text(&b, json_string_value(desc));
		buf_puts(&b, "</p>");
	}
	/* The goods received, for a goods donation only: goods bought with
	 * donated money are purchases, not what the donor gave. */
	struct dbq *q = strcmp(json_string_value(json_object_get(d, "kind")), "goods") == 0
				? db_query(c, lines_sql, "i", id)
				: NULL;
	int n = 0;
	while (q && (rc = db_step(q)) == 1) {
		if (!n++)
			buf_puts(&b, "<table><tr><th>物资</th><th>数量</th><th>单位</th></tr>");
		buf_puts(&b, "<tr><td>");
		html_text(&b, db_text(q, 0));
		buf_printf(&b, "</td><td class=\"n\">%lld</td><td>", (long long)db_int(q, 2));
		html_text(&b, db_text(q, 1));
		buf_puts(&b, "</td></tr>");
	}
	db_done(q);
	if (n)
		buf_puts(&b, "</table>");
	buf_puts(&b, "<p>衷心感谢您对疫情防控工作的关心和支持！</p><p class=\"sign\">");
	html_text(&b, unit);
	buf_puts(&b, "疫情防控指挥部<br>");
	buf_puts(&b, today);
	buf_printf(&b, "</p><p>编号：JZ-%06lld</p></body></html>", (long long)id);
	json_decref(d);
	size_t len;
	char *html = buf_take(&b, &len);
	if (!html)
		return err_set(&r->err, ERR_NOMEM, "", "out of memory");
	return resp_raw(r, 200, "text/html; charset=utf-8", html, len);
}
