/* The demo's supplies and funds (DOMAIN.md §9): the district's protective
 * stock raised by 2020-02-15 through purchases against the district's
 * allocation and through directed donations, then issued to the front
 * line by approved requests (epidemic points and the isolation hotel
 * first, then checkpoints, the medical teams and communities), a few
 * requests left open in the queue, a restock of the town's store from the
 * district's on the evening of the 15th, and the funds: 4,550,000 yuan
 * allocated and 12,334,100 yuan donated by declared value. Everything is
 * written through the features' own functions (supplies.h, funds.h) as
 * the API writes it, and the bulletin's figures are recomputed from the
 * records before the step returns. */
#include <stdio.h>
#include <string.h>

#include "../base/clock.h"
#include "../feature/funds.h"
#include "../feature/supplies.h"
#include "demo.h"

#define N_ITEMS 13

/* The seed's items and the quantities raised by 2020-02-15 (alcohol in
 * grams), with what the district paid a unit when it bought them. */
static const struct {
	const char *name, *unit, *spec;
	int64_t raised, price_fen, low;
} items[N_ITEMS] = {
	{"医用防护服", "套", "GB 19082-2009", 2050, 8550, 200},
	{"医用防护口罩（N95/N90/KF94）", "只", "GB 19083-2010", 41000, 650, 3000},
	{"一次性使用医用口罩", "只", "YY/T 0969-2013", 120000, 120, 10000},
	{"一次性手套（薄膜/橡胶）", "双", "", 32000, 90, 2000},
	{"水银体温计", "支", "", 4060, 1200, 300},
	{"红外测温枪", "把", "", 600, 38000, 50},
	{"护目镜", "副", "", 3780, 2500, 300},
	{"医用酒精", "g", "75%", 4150000, 2, 200000},
	{"免洗洗手液", "瓶", "500 ml", 528, 2500, 50},
	{"免洗洗手液", "桶", "5 L", 15, 18000, 2},
	{"便携式消毒喷雾器", "台", "", 5651, 3500, 300},
	{"防护帽", "顶", "", 12000, 50, 1000},
	{"鞋套", "双", "", 8000, 40, 800},
};

enum { SUIT, N95, MASK, GLOVE, THERMO, GUN, GOGGLE, ALCOHOL, GEL, GEL5L, SPRAYER, CAP, SHOE };

/* Donations: directed goods (their value declared by the donor) and money
 * into the donations fund; 2,506,100 + 9,828,000 = 12,334,100 yuan. */
#define TO_TOWN (-1) /* directed to the first town (its store receives the goods) */
static const struct {
	const char *donor, *donor_kind, *contact, *kind, *day;
	int64_t value_yuan;
	const char *directed_kind; /* NULL: directed to a unit */
	int directed_unit;         /* TO_TOWN or 0 */
	const char *purpose, *description;
	struct {
		int item;
		int64_t qty;
	} goods[4];
} gifts[] = {
	{"宁夏某药业集团有限公司", "org", "0951-5012345", "goods", "2020-01-27", 1650000,
	 "medical_team", 0, "定向支援一线医疗队", "医用防护服 850 套、N95 口罩 10,000 只、护目镜 1,780 副",
	 {{SUIT, 850}, {N95, 10000}, {GOGGLE, 1780}, {-1, 0}}},
	{"银川市某商会", "org", "0951-6023456", "goods", "2020-01-29", 380000, "checkpoint", 0,
	 "定向用于交通卡点", "一次性医用口罩 50,000 只、红外测温枪 200 把、一次性手套 12,000 双",
	 {{MASK, 50000}, {GUN, 200}, {GLOVE, 12000}, {-1, 0}}},
	{"金凤区某爱心企业", "org", "0951-7034567", "goods", "2020-02-02", 420000, NULL, TO_TOWN,
	 "定向捐赠本镇防控一线", "医用酒精 1,150 kg、免洗洗手液 228 瓶、消毒喷雾器 1,651 台",
	 {{ALCOHOL, 1150000}, {GEL, 228}, {SPRAYER, 1651}, {-1, 0}}},
	{"乡贤张先生", "person", "139****2020", "goods", "2020-01-26", 56100, "epidemic_point", 0,
	 "定向用于疫点封控", "防护帽 4,000 顶、鞋套 3,000 双、水银体温计 1,060 支",
	 {{CAP, 4000}, {SHOE, 3000}, {THERMO, 1060}, {-1, 0}}},
	{"宁夏某能源集团有限公司", "org", "0951-8045678", "money", "2020-01-30", 5000000,
	 "epidemic_point", 0, "疫情防控一线", NULL, {{-1, 0}}},
	{"金凤区工商联会员企业", "org", "0951-5056789", "money", "2020-02-03", 3000000, "checkpoint", 0,
	 "疫情防控一线", NULL, {{-1, 0}}},
	{"银川市某房地产开发有限公司", "org", "0951-6067890", "money", "2020-02-08", 1800000,
	 "medical_team", 0, "疫情防控一线", NULL, {{-1, 0}}},
	{"爱心人士王女士", "person", "138****0215", "money", "2020-02-12", 28000, "community", 0,
	 "疫情防控一线", NULL, {{-1, 0}}},
};
#define N_GIFTS ((int)(sizeof gifts / sizeof gifts[0]))

static const struct {
	const char *day;
	int64_t yuan;
} allocations[] = {{"2020-01-24", 2000000}, {"2020-01-28", 1500000}, {"2020-02-05", 1050000}};

struct ctx {
	struct dbc *c;
	int64_t district, town, store, town_store, alloc_fund, gift_fund;
	int64_t item[N_ITEMS];
	int64_t gift[8];
	FILE *progress;
	struct err_info *ei;
};

static int64_t at(const char *day, int hour)
{
	char s[32];
	int64_t t = 0;
	snprintf(s, sizeof s, "%sT%02d:00", day, hour);
	clock_parse_local(s, &t);
	return t;
}

static int fail(struct ctx *x, int rc, const char *what)
{
	if (!x->ei->message[0])
		err_set(x->ei, rc, "", "demo supplies: %s: %s", what, db_errmsg(x->c));
	return rc;
}

static int setup(struct ctx *x)
{
	int64_t now = at("2020-01-24", 9);
	int rc = db_one_int(x->c, &x->town,
			    "SELECT id FROM units WHERE parent_id = $1 AND kind = 'town' ORDER BY id"
			    " LIMIT 1",
			    "i", x->district);
	if (rc != 1)
		return fail(x, rc < 0 ? rc : ERR_DB, "no town");
	for (int i = 0; i < N_ITEMS; i++)
		if ((rc = supplies_item_add(x->c, x->district, items[i].name, items[i].unit,
					    items[i].spec, items[i].low, now, &x->item[i], x->ei)))
			return fail(x, rc, "items");
	char name[160];
	if ((rc = supplies_warehouse_add(x->c, x->district, "金凤区防控物资储备库", now, &x->store,
					 x->ei)))
		return fail(x, rc, "store");
	struct dbq *q = db_query(x->c, "SELECT name FROM units WHERE id = $1", "i", x->town);
	snprintf(name, sizeof name, "%s物资分库", q && db_step(q) == 1 ? db_text(q, 0) : "镇");
	db_done(q);
	if ((rc = supplies_warehouse_add(x->c, x->town, name, now, &x->town_store, x->ei)))
		return fail(x, rc, "town store");
	if ((rc = funds_add(x->c, x->district, "区财政疫情防控专项资金", now, &x->alloc_fund, x->ei)) ||
	    (rc = funds_add(x->c, x->district, "社会捐赠资金", now, &x->gift_fund, x->ei)))
		return fail(x, rc, "funds");
	for (size_t i = 0; i < sizeof allocations / sizeof allocations[0]; i++)
		if ((rc = funds_post(x->c, x->alloc_fund, "allocation", allocations[i].yuan * 100, 0,
				     0, "区财政拨付疫情防控专项资金", at(allocations[i].day, 10), 0,
				     NULL, NULL, x->ei)))
			return fail(x, rc, "allocations");
	return 0;
}

static int receive(struct ctx *x, int64_t store, int item, int64_t qty, const char *source,
		   int64_t donation, const char *day, int hour)
{
	struct receipt r = {
		.warehouse_id = store, .item_id = x->item[item], .quantity = qty, .source = source,
		.donation_id = donation, .at = at(day, hour),
	};
	if (strcmp(source, "purchase") == 0) {
		r.fund_id = x->alloc_fund;
		r.unit_price_fen = items[item].price_fen;
		r.supplier = item == ALCOHOL || item == GEL || item == GEL5L ? "宁夏某消毒用品公司"
										   : "宁夏某医疗器械有限公司";
	}
	int rc = supplies_receive(x->c, x->district, &r, NULL, x->ei);
	return rc ? fail(x, rc, "receipt") : 0;
}

static int donations(struct ctx *x)
{
	for (int g = 0; g < N_GIFTS; g++) {
		int money = strcmp(gifts[g].kind, "money") == 0;
		struct donation d = {
			.unit_id = x->district, .donor_name = gifts[g].donor,
			.donor_kind = gifts[g].donor_kind, .contact = gifts[g].contact,
			.kind = gifts[g].kind, .value_fen = gifts[g].value_yuan * 100,
			.description = gifts[g].description, .directed = 1,
			.directed_kind = gifts[g].directed_kind,
			.directed_unit_id = gifts[g].directed_unit == TO_TOWN ? x->town : 0,
			.purpose = gifts[g].purpose, .fund_id = money ? x->gift_fund : 0,
			.received_at = at(gifts[g].day, 11),
		};
		int rc = donations_add(x->c, x->district, &d, &x->gift[g], x->ei);
		if (rc)
			return fail(x, rc, "donation");
		/* Goods arrive the day after they are pledged, into the store
		 * of the unit they were directed to. */
		char next[DAY_LEN];
		day_add(gifts[g].day, 1, next);
		int64_t store = gifts[g].directed_unit == TO_TOWN ? x->town_store : x->store;
		for (int k = 0; !money && k < 4 && gifts[g].goods[k].item >= 0; k++)
			if ((rc = receive(x, store, gifts[g].goods[k].item, gifts[g].goods[k].qty,
					  "donation", x->gift[g], next, 9)))
				return rc;
	}
	return 0;
}

/* What the district bought: the rest of each item's raised quantity, in
 * two lots (the first on the day the money came, the rest a week on). */
static int purchases(struct ctx *x)
{
	int64_t donated[N_ITEMS] = {0};
	for (int g = 0; g < N_GIFTS; g++)
		for (int k = 0; k < 4 && gifts[g].goods[k].item >= 0 && gifts[g].goods[k].qty; k++)
			donated[gifts[g].goods[k].item] += gifts[g].goods[k].qty;
	for (int i = 0; i < N_ITEMS; i++) {
		int64_t rest = items[i].raised - donated[i];
		int64_t first = rest * 3 / 5;
		int rc = receive(x, x->store, i, first, "purchase", 0, "2020-01-25", 15);
		if (!rc && rest - first > 0)
			rc = receive(x, x->store, i, rest - first, "purchase", 0, "2020-02-01", 15);
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- requests from the front line ---- */

struct ask {
	int item;
	int64_t qty;
};

static int request(struct ctx *x, int64_t unit, const char *kind, const char *requester,
		   const struct ask *asks, int n, const char *day, int hour, int64_t store,
		   int approve_pct)
{
	struct supply_line lines[8];
	for (int i = 0; i < n; i++)
		lines[i] = (struct supply_line){.item_id = x->item[asks[i].item], .quantity = asks[i].qty};
	int64_t id = 0;
	int rc = requests_create(x->c, unit, kind, requester, NULL, lines, (size_t)n, at(day, hour),
				 0, NULL, &id, x->ei);
	if (rc)
		return fail(x, rc, "request");
	if (!approve_pct)
		return 0;
	for (int i = 0; i < n; i++)
		lines[i].quantity = lines[i].quantity * approve_pct / 100;
	rc = requests_approve(x->c, x->district, id, store, lines, (size_t)n, at(day, hour + 2), 0,
			      x->ei);
	return rc ? fail(x, rc, "approve") : 0;
}

static int front_line(struct ctx *x)
{
	static const struct ask point[] = {{SUIT, 60}, {N95, 600}, {CAP, 400}, {SHOE, 300},
					   {THERMO, 100}, {ALCOHOL, 20000}};
	static const struct ask hotel[] = {{SUIT, 80}, {N95, 800}, {THERMO, 200}, {GEL, 20},
					   {GLOVE, 1000}, {GEL5L, 2}};
	static const struct ask checkpoint[] = {{MASK, 4000}, {GLOVE, 1000}, {GUN, 20},
						{ALCOHOL, 40000}};
	static const struct ask team[] = {{SUIT, 300}, {N95, 3000}, {GOGGLE, 400}, {MASK, 2000}};
	static const struct ask community[] = {{MASK, 1500}, {ALCOHOL, 15000}, {GEL, 10},
					       {SPRAYER, 60}, {THERMO, 40}};
	int rc = 0;
	/* Seven epidemic points, in compounds of the district. */
	struct dbq *q = db_query(x->c,
				 "SELECT id, name FROM units WHERE kind = 'compound' ORDER BY id"
				 " LIMIT 7",
				 "");
	int64_t comp[7];
	char cname[7][128];
	int nc = 0;
	while (q && nc < 7 && db_step(q) == 1) {
		comp[nc] = db_int(q, 0);
		snprintf(cname[nc], sizeof cname[nc], "%s疫点", db_text(q, 1));
		nc++;
	}
	db_done(q);
	static const char *const point_days[] = {"2020-01-28", "2020-01-30", "2020-02-01",
						 "2020-02-03", "2020-02-05", "2020-02-07",
						 "2020-02-09"};
	for (int i = 0; !rc && i < nc; i++)
		rc = request(x, comp[i], "epidemic_point", cname[i], point, 6, point_days[i], 9,
			     x->store, 100);
	for (int i = 0; !rc && i < 3; i++)
		rc = request(x, x->district, "isolation_site", "金凤区集中隔离观察点（某酒店）", hotel,
			     6, i == 0 ? "2020-01-27" : i == 1 ? "2020-02-03" : "2020-02-10", 10,
			     x->store, 100);
	/* The checkpoints ask every few days. */
	q = db_query(x->c, "SELECT unit_id, name FROM checkpoints ORDER BY id", "");
	int64_t cu[8];
	char cpn[8][128];
	int ncp = 0;
	while (q && ncp < 8 && db_step(q) == 1) {
		cu[ncp] = db_int(q, 0);
		snprintf(cpn[ncp], sizeof cpn[ncp], "%s", db_text(q, 1));
		ncp++;
	}
	db_done(q);
	static const char *const cp_days[] = {"2020-01-31", "2020-02-06", "2020-02-12"};
	for (int d = 0; !rc && d < 3; d++)
		for (int i = 0; !rc && i < ncp; i++)
			rc = request(x, cu[i], "checkpoint", cpn[i], checkpoint, 4, cp_days[d], 8,
				     x->store, 100);
	static const char *const teams[] = {"区人民医院发热门诊医疗队", "区疾控中心流调队",
					    "社区卫生服务中心巡诊队"};
	for (int i = 0; !rc && i < 3; i++)
		rc = request(x, x->district, "medical_team", teams[i], team, 4,
			     i == 0 ? "2020-01-28" : i == 1 ? "2020-02-04" : "2020-02-08", 14,
			     x->store, i == 2 ? 50 : 100);
	/* Communities: the first town's from its own store (its donated
	 * goods are directed there), the rest from the district's. */
	q = db_query(x->c,
		     "SELECT u.id, u.name, CASE WHEN t.ancestor_id IS NULL THEN 0 ELSE 1 END"
		     " FROM units u LEFT JOIN unit_tree t ON t.unit_id = u.id AND t.ancestor_id = $1"
		     " WHERE u.kind = 'community' ORDER BY u.id LIMIT 24",
		     "i", x->town);
	int64_t cm[24];
	int in_town[24];
	char cmn[24][128];
	int ncm = 0;
	while (q && ncm < 24 && db_step(q) == 1) {
		cm[ncm] = db_int(q, 0);
		snprintf(cmn[ncm], sizeof cmn[ncm], "%s", db_text(q, 1));
		in_town[ncm] = (int)db_int(q, 2);
		ncm++;
	}
	db_done(q);
	static const struct ask town_community[] = {{ALCOHOL, 30000}, {GEL, 8}, {SPRAYER, 50}};
	for (int i = 0; !rc && i < ncm; i++) {
		char day[DAY_LEN];
		day_add("2020-02-03", i % 12, day);
		rc = in_town[i] ? request(x, cm[i], "community", cmn[i], town_community, 3, day, 15,
					  x->town_store, 100)
				: request(x, cm[i], "community", cmn[i], community, 5, day, 15,
					  x->store, 100);
	}
	/* Still in the queue on 2020-02-15: the front line first. */
	if (!rc && ncm > 1)
		rc = request(x, cm[1], "community", cmn[1], community, 5, "2020-02-14", 9, 0, 0);
	if (!rc && ncp > 0)
		rc = request(x, cu[0], "checkpoint", cpn[0], checkpoint, 4, "2020-02-15", 8, 0, 0);
	if (!rc && nc > 6)
		rc = request(x, comp[6], "epidemic_point", cname[6], point, 6, "2020-02-15", 10, 0,
			     0);
	if (!rc)
		rc = request(x, x->district, "medical_team", teams[0], team, 4, "2020-02-14", 16, 0,
			     0);
	return rc;
}

/* The evening of the 15th: the district store sends the town's store
 * what its checkpoints and communities will draw the next days (general
 * stock; the district's totals stay what they were). */
static int restock_town(struct ctx *x)
{
	static const struct ask moves[] = {{MASK, 6000}, {GLOVE, 2000}, {ALCOHOL, 100000}};
	for (size_t i = 0; i < sizeof moves / sizeof moves[0]; i++) {
		struct stock_transfer t = {
			.from = x->store, .to = x->town_store, .item_id = x->item[moves[i].item],
			.quantity = moves[i].qty, .at = at("2020-02-15", 17),
			.reason = "补充镇物资分库，供卡口和社区次日领用",
		};
		int64_t ids[SUPPLIES_TRANSFER_MAX_IDS];
		size_t n = 0;
		int rc = supplies_transfer(x->c, x->district, &t, ids, &n, x->ei);
		if (rc)
			return fail(x, rc, "transfer");
	}
	return 0;
}

/* The bulletin's figures, recomputed from the records just written. */
static int verify(struct ctx *x)
{
	int64_t alloc = 0, donated = 0;
	int rc = funds_totals_as_of(x->c, x->district, "2020-02-15", &alloc, &donated);
	if (rc)
		return fail(x, rc, "funds totals");
	if (alloc != INT64_C(455000000) || donated != INT64_C(1233410000))
		return err_set(x->ei, ERR_INTERNAL, "",
			       "demo supplies: funds %lld / %lld fen, the bulletin says 455000000 /"
			       " 1233410000",
			       (long long)alloc, (long long)donated);
	json_t *raised = supplies_raised_as_of(x->c, x->district, "2020-02-15");
	if (!raised)
		return fail(x, ERR_DB, "raised");
	rc = json_array_size(raised) == N_ITEMS ? 0 : ERR_INTERNAL;
	for (int i = 0; !rc && i < N_ITEMS; i++) {
		json_t *row = json_array_get(raised, (size_t)i);
		if (json_integer_value(json_object_get(row, "quantity")) != items[i].raised)
			rc = ERR_INTERNAL;
	}
	json_decref(raised);
	if (rc)
		return err_set(x->ei, rc, "", "demo supplies: the raised quantities differ from the"
					      " bulletin's");
	int64_t entries = 0;
	if (supplies_check(x->c, x->district, &entries) != 0)
		return err_set(x->ei, ERR_INTERNAL, "", "demo supplies: summaries differ from the ledger");
	if (x->progress)
		fprintf(x->progress,
			"supplies: %lld ledger entries; allocated 4,550,000 yuan, donations 12,334,100"
			" yuan; raised as the bulletin says\n",
			(long long)entries);
	return 0;
}

int demo_supplies(struct dbc *c, int64_t district, FILE *progress, struct err_info *ei)
{
	struct ctx x = {.c = c, .district = district, .progress = progress, .ei = ei};
	int rc = setup(&x);
	if (!rc)
		rc = donations(&x);
	if (!rc)
		rc = purchases(&x);
	if (!rc)
		rc = front_line(&x);
	if (!rc)
		rc = restock_town(&x);
	/* After the bulletin's day: more suits bought, which the figures
	 * as of 2020-02-15 must not count. */
	if (!rc)
		rc = receive(&x, x.store, SUIT, 500, "purchase", 0, "2020-02-20", 10);
	if (!rc)
		rc = verify(&x);
	return rc;
}
