/* The demo district's enterprise resumption (DOMAIN.md §11): the 38
 * industrial enterprises above designated size of the seed bulletin (7
 * ready-mix concrete firms idle for the season since December, 25 resumed
 * by 2020-02-15 through applications filed at least 2 days ahead and
 * approved, the others pending, returned, rejected or not yet applying) and
 * 20 smaller enterprises; every application answers the seven musts and
 * lists employees taken from the population registry (persons with their
 * graded arrivals, so who must still isolate on the planned day is what the
 * API computes; no person or arrival is added, so the population figures
 * stay as they are); the resumed enterprises' staff at work; a week of
 * operating inspections (2020-02-09 to 02-15) with findings, some fixed,
 * some overdue; and the demo enterprise account tied to an enterprise above
 * designated size that has not applied yet. The rows are those the API's writes leave.
 * Before it returns, the resumption figures of 2020-02-15 are recomputed
 * from the records (enterprises_resumption_as_of) and must be the
 * bulletin's: 38 / 25 / 7, rate 0.806. Deterministic for a seed. */
#include "demo.h"

#include <stdlib.h>
#include <string.h>

#include "../base/clock.h"
#include "../feature/enterprises.h"

#define ABOVE 38
#define SEASONAL 7
#define RESUMED 25
#define SMALL 20
#define DEMO_DAY "2020-02-15"
#define POOL 4000
#define MAX_UNITS 32

static uint64_t rnd(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

static int below(uint64_t *s, int n)
{
	return (int)(rnd(s) % (uint64_t)n);
}

/* An employee candidate from the registry, with an arrival or without. */
struct cand {
	int64_t person, arrival;
	char name[48], doc_type[20], doc_number[40], phone[16];
	char origin_code[8], origin_name[64], arrival_date[DAY_LEN], grade[16], handling[16];
};

struct de {
	struct dbc *c;
	uint64_t rng;
	FILE *progress;
	struct err_info *ei;
	int64_t now, district, reviewer;
	int64_t units[MAX_UNITS];
	int nunits;
	struct cand *arrived, *stayed;
	int narrived, nstayed, next_arrived, next_stayed;
	char musts[16][40];
	int nmusts;
	char prohibitions[16][40];
	int nprohibitions;
	int observation_days;
	int64_t applications, employees, flagged, inspections, findings, overdue;
	int64_t portal_ent, portal_unit;
};

static int fail(struct de *d, int rc, const char *what)
{
	return err_set(d->ei, rc < 0 ? rc : ERR_DB, "", "demo enterprises: %s: %s", what,
		       db_errmsg(d->c));
}

static void day_plus(const char *day, int n, char out[DAY_LEN])
{
	if (day_add(day, n, out))
		snprintf(out, DAY_LEN, "%s", day);
}

/* An instant on a local day at hh:mm. */
static int64_t at(const char *day, int hh, int mm)
{
	return day_start(day) + hh * 3600 + mm * 60;
}

static const char *const cores[] = {
	"金凤", "阅海", "亲水", "良田", "丰登", "兴源", "贺兰山", "黄河", "塞上", "西夏",
	"凤凰", "宁安", "星光", "瑞丰", "恒信", "华泰", "明珠", "新华", "正源", "宝湖",
};

static const struct {
	const char *code, *word;
} sectors[] = {
	{"manufacturing", "机械制造"},	 {"chemicals", "化工"},
	{"food_processing", "食品"},	 {"building_materials", "新型建材"},
	{"electronics", "电子科技"},	 {"pharmaceuticals", "药业"},
	{"textiles", "纺织"},
};

static const struct {
	const char *code, *word;
} small_sectors[] = {
	{"catering", "餐饮管理"},
	{"retail", "商贸"},
	{"logistics", "物流"},
	{"construction", "建筑工程"},
};

static const char *const evidence[] = {
	"已成立疫情防控领导小组，总经理任组长，防控方案已印发",
	"全体员工健康信息逐人登记，建立一人一档",
	"厂区大门设测温点，进出人员逐一测温登记",
	"生产车间、办公区、宿舍每日消毒两次并记录",
	"储备口罩、消毒液、测温枪，可满足两周使用",
	"设置临时隔离观察室一间，配备必要物资",
	"食堂分餐、错峰就餐，取消集中用餐",
};

static const char *const finding_notes[] = {
	"发现员工在食堂聚集就餐", "外来送货人员未登记进入厂区", "宿舍每间住 8 人，超员",
	"一名员工体温 37.4 ℃ 仍在岗", "仍使用指纹考勤机打卡", "车间内部分员工未戴口罩",
	"两名返岗员工未如实报告行程", "当日消毒记录缺失",
};

static const char *const reject_reasons[] = {
	"防控方案不具体，员工健康登记不全，请完善后重新申请",
	"未设置隔离观察室，防护物资储备不足",
};

static const char *const return_reasons[] = {
	"请补充返岗员工行程信息及隔离室照片",
	"请补充消毒记录和防护物资采购凭证",
};

/* A unified social credit code: a company (9, 1) of Jinfeng (640106), an
 * organization code MA76 + 4 characters, both check characters. */
static void credit_code(struct de *d, int n, char out[19])
{
	static const char chars[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	char first8[16];
	snprintf(first8, sizeof first8, "MA76%c%c%02u", chars[below(&d->rng, 31)],
		 chars[10 + below(&d->rng, 21)], (unsigned)n % 100u);
	snprintf(out, 19, "91640106%.8s%c", first8, enterprises_org_check_char(first8));
	out[17] = enterprises_credit_check_char(out);
	out[18] = 0;
}

static int load_pools(struct de *d)
{
	d->arrived = calloc(POOL, sizeof *d->arrived);
	d->stayed = calloc(POOL, sizeof *d->stayed);
	if (!d->arrived || !d->stayed)
		return err_set(d->ei, ERR_NOMEM, "", "out of memory");
	struct dbq *q = db_query(
		d->c,
		"SELECT p.id, p.name, p.doc_type, p.doc_number, p.phone, a.id, a.origin_code,"
		" a.origin_name, a.arrival_date, a.grade, a.handling FROM arrivals a"
		" JOIN persons p ON p.id = a.person_id WHERE a.arrival_date >= '2020-01-28'"
		" AND a.arrival_date <= '2020-02-12' AND p.birth_date > '1960-01-01'"
		" AND p.birth_date < '2000-01-01' ORDER BY a.id LIMIT $1",
		"i", (int64_t)POOL);
	if (!q)
		return fail(d, ERR_DB, "arrivals");
	int rc;
	while ((rc = db_step(q)) == 1 && d->narrived < POOL) {
		struct cand *x = &d->arrived[d->narrived++];
		x->person = db_int(q, 0);
		snprintf(x->name, sizeof x->name, "%s", db_text(q, 1));
		snprintf(x->doc_type, sizeof x->doc_type, "%s", db_text(q, 2));
		snprintf(x->doc_number, sizeof x->doc_number, "%s", db_text(q, 3));
		snprintf(x->phone, sizeof x->phone, "%s", db_text(q, 4) ? db_text(q, 4) : "");
		x->arrival = db_int(q, 5);
		snprintf(x->origin_code, sizeof x->origin_code, "%s", db_text(q, 6));
		snprintf(x->origin_name, sizeof x->origin_name, "%s",
			 db_text(q, 7) ? db_text(q, 7) : "");
		snprintf(x->arrival_date, sizeof x->arrival_date, "%s", db_text(q, 8));
		snprintf(x->grade, sizeof x->grade, "%s", db_text(q, 9));
		snprintf(x->handling, sizeof x->handling, "%s", db_text(q, 10));
	}
	db_done(q);
	if (rc < 0)
		return fail(d, rc, "arrivals");
	q = db_query(d->c,
		     "SELECT p.id, p.name, p.doc_type, p.doc_number, p.phone FROM persons p"
		     " WHERE p.id > $1 AND p.birth_date > '1960-01-01' AND p.birth_date <"
		     " '2000-01-01' AND NOT EXISTS (SELECT 1 FROM arrivals a WHERE a.person_id ="
		     " p.id) ORDER BY p.id LIMIT $2",
		     "ii", (int64_t)(1000 + below(&d->rng, 100000)), (int64_t)POOL);
	if (!q)
		return fail(d, ERR_DB, "persons");
	while ((rc = db_step(q)) == 1 && d->nstayed < POOL) {
		struct cand *x = &d->stayed[d->nstayed++];
		x->person = db_int(q, 0);
		snprintf(x->name, sizeof x->name, "%s", db_text(q, 1));
		snprintf(x->doc_type, sizeof x->doc_type, "%s", db_text(q, 2));
		snprintf(x->doc_number, sizeof x->doc_number, "%s", db_text(q, 3));
		snprintf(x->phone, sizeof x->phone, "%s", db_text(q, 4) ? db_text(q, 4) : "");
	}
	db_done(q);
	if (rc < 0)
		return fail(d, rc, "persons");
	d->next_arrived = d->narrived ? below(&d->rng, d->narrived) : 0;
	d->next_stayed = d->nstayed ? below(&d->rng, d->nstayed) : 0;
	return 0;
}

static int load_lists(struct de *d)
{
	struct dbq *q = db_query(d->c,
				 "SELECT kind, code FROM enterprise_checklist_items WHERE active = 1"
				 " ORDER BY kind, position, id",
				 "");
	if (!q)
		return fail(d, ERR_DB, "checklists");
	int rc;
	while ((rc = db_step(q)) == 1) {
		int must = strcmp(db_text(q, 0), "must") == 0;
		if (must && d->nmusts < 16)
			snprintf(d->musts[d->nmusts++], 40, "%s", db_text(q, 1));
		else if (!must && d->nprohibitions < 16)
			snprintf(d->prohibitions[d->nprohibitions++], 40, "%s", db_text(q, 1));
	}
	db_done(q);
	if (rc < 0)
		return fail(d, rc, "checklists");
	q = db_query(d->c,
		     "SELECT id FROM units WHERE parent_id = $1 AND (kind = 'town' OR kind ="
		     " 'subdistrict') ORDER BY id",
		     "i", d->district);
	if (!q)
		return fail(d, ERR_DB, "units");
	while ((rc = db_step(q)) == 1 && d->nunits < MAX_UNITS)
		d->units[d->nunits++] = db_int(q, 0);
	db_done(q);
	if (rc < 0)
		return fail(d, rc, "units");
	if (!d->nunits)
		d->units[d->nunits++] = d->district;
	int64_t v = 0;
	db_one_int(d->c, &v, "SELECT id FROM users WHERE username = 'commander'", "");
	d->reviewer = v;
	d->observation_days = 14;
	return 0;
}

/* Fates of an enterprise's application. */
enum fate { F_RESUMED, F_PENDING, F_RETURNED, F_REJECTED, F_NONE, F_SEASONAL };

static int add_employees(struct de *d, int64_t app, int64_t ent, int64_t unit,
			 const char *planned, int n)
{
	for (int i = 0; i < n; i++) {
		int arrived = d->narrived && (below(&d->rng, 100) < 55 || !d->nstayed);
		struct cand *x = arrived ? &d->arrived[d->next_arrived++ % d->narrived]
					 : &d->stayed[d->next_stayed++ % d->nstayed];
		char until[DAY_LEN] = "";
		if (arrived && strcmp(x->handling, "monitor") != 0)
			day_plus(x->arrival_date, d->observation_days, until);
		int64_t r = db_run(
			d->c,
			"INSERT INTO enterprise_employees(application_id, enterprise_id, unit_id,"
			" person_id, arrival_id, name, doc_type, doc_number, phone, origin_code,"
			" origin_name, arrival_date, grade, handling, isolate_until, created_at)"
			" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"
			" ON CONFLICT (application_id, doc_type, doc_number) DO NOTHING",
			"iiiiItttttttttti", app, ent, unit, x->person, arrived ? x->arrival : 0,
			x->name, x->doc_type, x->doc_number, x->phone[0] ? x->phone : NULL,
			arrived ? x->origin_code : NULL,
			arrived && x->origin_name[0] ? x->origin_name : NULL,
			arrived ? x->arrival_date : NULL, arrived ? x->grade : NULL,
			arrived ? x->handling : NULL, until[0] ? until : NULL, d->now);
		if (r < 0)
			return fail(d, (int)r, "enterprise_employees");
		d->employees += r;
		if (r && until[0] && strcmp(until, planned) > 0)
			d->flagged++;
	}
	return 0;
}

/* One application as the portal files it and the department decides it. */
static int add_application(struct de *d, int64_t ent, int64_t unit, enum fate fate,
			   int64_t headcount, int above, char resumed_day[DAY_LEN])
{
	char filed[DAY_LEN], planned[DAY_LEN], reviewed[DAY_LEN];
	const char *status = "approved", *reason = NULL;
	int lead = 2 + below(&d->rng, 3); /* never less than the 2-day rule */
	switch (fate) {
	case F_RESUMED:
		day_plus("2020-02-03", below(&d->rng, 8), filed);
		break;
	case F_PENDING:
		day_plus("2020-02-13", below(&d->rng, 3), filed);
		status = "pending";
		break;
	case F_RETURNED:
		day_plus("2020-02-10", below(&d->rng, 3), filed);
		status = "returned";
		reason = return_reasons[below(&d->rng, 2)];
		break;
	default:
		day_plus("2020-02-05", below(&d->rng, 5), filed);
		status = "rejected";
		reason = reject_reasons[below(&d->rng, 2)];
		break;
	}
	day_plus(filed, lead, planned);
	day_plus(filed, 1, reviewed);
	if (day_diff(filed, planned) < 2)
		return err_set(d->ei, ERR_INTERNAL, "", "demo enterprises: a start %s under 2 days"
			       " after filing %s", planned, filed);
	int pending = strcmp(status, "pending") == 0;
	int64_t filed_at = at(filed, 8 + below(&d->rng, 9), below(&d->rng, 60));
	int64_t app = 0;
	int rc = db_one_int(
		d->c, &app,
		"INSERT INTO enterprise_applications(enterprise_id, unit_id, filed_at, filed_day,"
		" planned_start_day, plan, status, reason, filed_by, reviewed_by, reviewed_at,"
		" created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, $9, $10, $3,"
		" $11) RETURNING id",
		"iiitttttIIi", ent, unit, filed_at, filed, planned,
		"一、成立疫情防控工作领导小组，明确责任人\n二、员工分批返岗，外地返回人员按规定隔离观察\n"
		"三、每日两次测温，场所每日消毒\n四、发现发热人员立即隔离并报告",
		status, reason, pending ? 0 : d->reviewer,
		pending ? 0 : at(reviewed, 10, below(&d->rng, 60)),
		pending ? filed_at : at(reviewed, 10, 30));
	if (rc != 1)
		return fail(d, rc, "enterprise_applications");
	d->applications++;
	for (int i = 0; i < d->nmusts; i++) {
		int64_t r = db_run(d->c,
				   "INSERT INTO enterprise_checklist_answers(application_id, item_code,"
				   " item_text, evidence) SELECT $1, code, text_zh, $2 FROM"
				   " enterprise_checklist_items WHERE kind = 'must' AND code = $3",
				   "itt", app, evidence[i % 7], d->musts[i]);
		if (r < 0)
			return fail(d, (int)r, "enterprise_checklist_answers");
	}
	int n = above ? 4 + below(&d->rng, 9) : 2 + below(&d->rng, 4);
	if ((rc = add_employees(d, app, ent, unit, planned, n)))
		return rc;
	resumed_day[0] = 0;
	if (fate != F_RESUMED)
		return 0;
	day_plus(planned, below(&d->rng, 2), resumed_day);
	if (strcmp(resumed_day, DEMO_DAY) > 0)
		snprintf(resumed_day, DAY_LEN, "%s", DEMO_DAY);
	int64_t first = headcount * (55 + below(&d->rng, 26)) / 100;
	int64_t r = db_run(d->c,
			   "INSERT INTO enterprise_resumptions(enterprise_id, unit_id, application_id,"
			   " day, staff_at_work, created_by, created_at) VALUES ($1, $2, $3, $4, $5,"
			   " NULL, $6)",
			   "iiitii", ent, unit, app, resumed_day, first, at(resumed_day, 18, 0));
	if (r < 0)
		return fail(d, (int)r, "enterprise_resumptions");
	char again[DAY_LEN];
	day_plus(resumed_day, 2, again);
	if (strcmp(again, DEMO_DAY) <= 0) {
		int64_t more = headcount * (75 + below(&d->rng, 21)) / 100;
		if (more < first)
			more = first;
		r = db_run(d->c,
			   "INSERT INTO enterprise_resumptions(enterprise_id, unit_id, application_id,"
			   " day, staff_at_work, created_by, created_at) VALUES ($1, $2, $3, $4, $5,"
			   " NULL, $6)",
			   "iiitii", ent, unit, app, again, more, at(again, 18, 0));
		if (r < 0)
			return fail(d, (int)r, "enterprise_resumptions");
	}
	return 0;
}

struct operating {
	int64_t id, unit;
	char since[DAY_LEN];
};

/* A week of inspections of the enterprises operating on each day. */
static int add_inspections(struct de *d, const struct operating *op, int nop)
{
	for (int k = 0; k < 7; k++) {
		char day[DAY_LEN];
		day_plus("2020-02-09", k, day);
		int want = 3 + below(&d->rng, 3);
		for (int t = 0, done = 0; t < 40 && done < want && nop; t++) {
			const struct operating *e = &op[below(&d->rng, nop)];
			if (strcmp(e->since, day) > 0)
				continue;
			done++;
			char who[32];
			snprintf(who, sizeof who, "督查第%s组",
				 (const char *[]){"一", "二", "三", "四", "五", "六", "七"}[below(&d->rng, 7)]);
			int64_t insp = 0;
			int rc = db_one_int(d->c, &insp,
					    "INSERT INTO enterprise_inspections(enterprise_id, unit_id, day,"
					    " inspector, note, created_by, created_at) VALUES ($1, $2, $3,"
					    " $4, $5, NULL, $6) RETURNING id",
					    "iittti", e->id, e->unit, day, who,
					    "对照“八个严禁”逐项检查", at(day, 15, 0));
			if (rc != 1)
				return fail(d, rc, "enterprise_inspections");
			d->inspections++;
			int nf = below(&d->rng, 100) < 45 ? 1 + below(&d->rng, 2) : 0;
			for (int f = 0; f < nf; f++) {
				int item = below(&d->rng, d->nprohibitions);
				char deadline[DAY_LEN], fixed[DAY_LEN] = "";
				day_plus(day, 1 + below(&d->rng, 3), deadline);
				if (strcmp(deadline, DEMO_DAY) <= 0 && below(&d->rng, 100) < 65)
					snprintf(fixed, sizeof fixed, "%s", deadline);
				else if (strcmp(deadline, DEMO_DAY) < 0)
					d->overdue++;
				int64_t r = db_run(
					d->c,
					"INSERT INTO enterprise_findings(inspection_id, enterprise_id, unit_id,"
					" item_code, item_text, note, deadline, fixed_day, follow_up,"
					" created_at, updated_at) SELECT $1, $2, $3, code, text_zh, $4, $5,"
					" $6, $7, $8, $8 FROM enterprise_checklist_items WHERE kind ="
					" 'prohibition' AND code = $9",
					"iiittttit", insp, e->id, e->unit, finding_notes[item % 8], deadline,
					fixed[0] ? fixed : NULL, fixed[0] ? "已整改，复查合格" : NULL,
					at(day, 16, 0), d->prohibitions[item]);
				if (r < 0)
					return fail(d, (int)r, "enterprise_findings");
				d->findings += r;
			}
		}
	}
	return 0;
}

static int build(struct de *d)
{
	int rc = load_lists(d);
	if (!rc)
		rc = load_pools(d);
	if (rc)
		return rc;
	struct operating op[ABOVE + SMALL];
	int nop = 0;
	int n = 0;
	for (int i = 0; i < ABOVE + SMALL; i++) {
		int above = i < ABOVE;
		enum fate fate;
		const char *sector, *word;
		int64_t headcount;
		if (above) {
			int j = i - SEASONAL;
			fate = i < SEASONAL	      ? F_SEASONAL
			       : j < RESUMED	      ? F_RESUMED
			       : j < RESUMED + 3      ? F_PENDING
			       : j == RESUMED + 3     ? F_RETURNED
			       : j == RESUMED + 4     ? F_REJECTED
						      : F_NONE;
			sector = i < SEASONAL ? "ready_mix_concrete" : sectors[j % 7].code;
			word = i < SEASONAL ? "商品混凝土" : sectors[j % 7].word;
			headcount = 80 + below(&d->rng, 420);
		} else {
			int j = i - ABOVE;
			fate = j < 10 ? F_RESUMED : j < 14 ? F_PENDING : j < 17 ? F_REJECTED
						       : j < 19 ? F_RETURNED : F_NONE;
			sector = small_sectors[j % 4].code;
			word = small_sectors[j % 4].word;
			headcount = 5 + below(&d->rng, 50);
		}
		char name[160], code[19];
		snprintf(name, sizeof name, "%s%s%s有限公司", i % 3 ? "宁夏" : "银川",
			 cores[i % 20], word);
		if (i >= 20 && i < 40)
			snprintf(name, sizeof name, "%s%s%s%s有限公司", i % 3 ? "宁夏" : "银川",
				 cores[i % 20], i % 2 ? "鑫" : "盛", word);
		else if (i >= 40)
			snprintf(name, sizeof name, "银川市金凤区%s%s有限公司", cores[i % 20], word);
		credit_code(d, i, code);
		int64_t unit = d->units[below(&d->rng, d->nunits)];
		int64_t ent = 0;
		rc = db_one_int(d->c, &ent,
				"INSERT INTO enterprises(unit_id, name, credit_code, sector, above_scale,"
				" seasonal_idle_since, address, contact_name, contact_phone, headcount,"
				" created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,"
				" $11, $11) RETURNING id",
				"itttitttt" "ii", unit, name, code, sector, (int64_t)above,
				fate == F_SEASONAL ? "2019-12-01" : NULL, "金凤区工业园区",
				"联络员", NULL, headcount, at("2020-01-20", 9, 0));
		if (rc != 1)
			return fail(d, rc, "enterprises");
		n++;
		/* The demo enterprise account: one that has not applied yet, so
		 * the portal's first step is the application. */
		if (fate == F_NONE && above && !d->portal_ent) {
			d->portal_ent = ent;
			d->portal_unit = unit;
		}
		if (fate == F_SEASONAL || fate == F_NONE)
			continue;
		char resumed[DAY_LEN];
		if ((rc = add_application(d, ent, unit, fate, headcount, above, resumed)))
			return rc;
		if (resumed[0]) {
			op[nop].id = ent;
			op[nop].unit = unit;
			snprintf(op[nop].since, DAY_LEN, "%s", resumed);
			nop++;
		}
	}
	if ((rc = add_inspections(d, op, nop)))
		return rc;
	/* The demo enterprise account is tied to its enterprise. */
	if (d->portal_ent) {
		int64_t r = db_run(d->c,
				   "UPDATE users SET enterprise_id = $1, scope_unit_id = $2 WHERE"
				   " username = 'enterprise' AND role = 'enterprise'",
				   "ii", d->portal_ent, d->portal_unit);
		if (r < 0)
			return fail(d, (int)r, "users");
	}
	/* The bulletin's figures, recomputed from the records. */
	struct resumption x;
	if ((rc = enterprises_resumption_as_of(d->c, d->district, DEMO_DAY, &x)))
		return fail(d, rc, "resumption");
	if (x.above_scale != ABOVE || x.resumed != RESUMED || x.seasonal != SEASONAL ||
	    x.rate != 0.806)
		return err_set(d->ei, ERR_INTERNAL, "",
			       "demo enterprises: %lld above size, %lld resumed, %lld seasonal, rate"
			       " %.3f; the bulletin says 38, 25, 7, 0.806",
			       (long long)x.above_scale, (long long)x.resumed, (long long)x.seasonal,
			       x.rate);
	if (d->progress)
		fprintf(d->progress,
			"enterprises: %d (%lld above designated size: %lld resumed, %lld idle for"
			" the season, rate %.1f %% on %s), %lld applications, %lld employees (%lld"
			" still isolating on their planned day), %lld inspections, %lld findings"
			" (%lld overdue)\n",
			n, (long long)x.above_scale, (long long)x.resumed, (long long)x.seasonal,
			x.rate * 100, DEMO_DAY, (long long)d->applications, (long long)d->employees,
			(long long)d->flagged, (long long)d->inspections, (long long)d->findings,
			(long long)d->overdue);
	return 0;
}

int demo_enterprises(struct dbc *c, uint64_t seed, int64_t district, FILE *progress,
		     struct err_info *ei)
{
	struct de *d = calloc(1, sizeof *d);
	if (!d)
		return err_set(ei, ERR_NOMEM, "", "out of memory");
	d->c = c;
	d->rng = seed;
	d->progress = progress;
	d->ei = ei;
	d->now = clock_now();
	d->district = district;
	int rc = build(d);
	free(d->arrived);
	free(d->stayed);
	free(d);
	return rc;
}
