/* The demo's daily work (DOMAIN.md §1, §3, §10, §12; issue 13): every
 * reporting unit's daily report for each day from 2020-01-24 to 2020-02-15
 * (figures prefilled from the district's records by reports_prefill, the
 * same function the report form uses; most on time, a few late, zero
 * reports where the records show nothing, a few missing), two key units
 * reporting from 2020-01-28, an evening dispatch meeting each day with the
 * eight working groups' progress and problems opened and closed (a few
 * still open and overdue on 2020-02-15), the 9 numbered notices of §3 with
 * the venues they closed, the 7 inspection groups and 1 general support
 * group with their members, daily inspections and findings (a few
 * rectifications overdue), and volunteers posted to compounds and gates
 * with their shifts. Rows are those the API writes; the figures the
 * bulletin reads (notices, groups, reporting) are counted back from them
 * before the step returns. Deterministic from the seed. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/clock.h"
#include "../feature/daily.h"
#include "../http/settings.h"
#include "demo.h"

#define FIRST_DAY "2020-01-24"
#define LAST_DAY "2020-02-15"
#define NDAYS 23
#define MAX_UNITS 16
#define VOLUNTEERS 240

static uint64_t rnext(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

static int rbelow(uint64_t *s, int n)
{
	return (int)(rnext(s) % (uint64_t)n);
}

struct dd {
	struct dbc *c;
	uint64_t rng;
	struct err_info *ei;
	int64_t district, now;
	int64_t units[MAX_UNITS];
	int nunits;
	int64_t groups[8];
	int ngroups;
	int64_t orgs[44];
	int norgs;
	int64_t notices[9];
	int filed, late, zero, missing; /* reports over the whole period */
};

static int fail(struct dd *d, int rc, const char *what)
{
	return err_set(d->ei, rc < 0 ? rc : ERR_DB, "", "%s: %s", what, db_errmsg(d->c));
}

static int insert_id(struct dd *d, struct dbq *q, int64_t *id, const char *what)
{
	int rc = daily_insert(q, id);
	return rc ? fail(d, rc, what) : 0;
}

static void day_of(int i, char out[DAY_LEN])
{
	day_add(FIRST_DAY, i, out);
}

/* Instant at h:m of day. */
static int64_t at(const char *day, int h, int m)
{
	return day_start(day) + h * 3600 + m * 60;
}

/* Loads ids of a query's first column into out (at most max). */
static int load_ids(struct dd *d, const char *sql, int64_t *out, int max, int *n)
{
	struct dbq *q = db_query(d->c, sql, "");
	if (!q)
		return fail(d, ERR_DB, "ids");
	*n = 0;
	int rc;
	while ((rc = db_step(q)) == 1 && *n < max)
		out[(*n)++] = db_int(q, 0);
	db_done(q);
	return rc < 0 ? fail(d, rc, "ids") : 0;
}

/* ---- daily and zero reports ---- */

static int demo_reports(struct dd *d)
{
	static const char ru_sql[] =
		"INSERT INTO report_units(unit_id, key_unit, since_day, created_at) VALUES ($1, $2, $3, $4)";
	static const char ins_sql[] =
		"INSERT INTO daily_reports(unit_id, day, version, zero, figures, text, filed_at,"
		" first_at, late, filed_by) VALUES ($1, $2, 1, $3, $4, $5, $6, $6, $7, NULL)";
	int rc = load_ids(d,
			  "SELECT id FROM units WHERE kind = 'town' OR kind = 'subdistrict' ORDER BY id",
			  d->units, MAX_UNITS - 2, &d->nunits);
	if (rc)
		return rc;
	for (int i = 0; i < d->nunits; i++)
		if (db_run(d->c, ru_sql, "iiti", d->units[i], (int64_t)0, FIRST_DAY, d->now) < 0)
			return fail(d, ERR_DB, "report_units");
	/* two key units: the communities of the first two epidemic-prone
	 * compounds, from the day the command named them */
	int64_t keys[2];
	int nk = 0;
	if ((rc = load_ids(d, "SELECT id FROM units WHERE kind = 'community' ORDER BY id LIMIT 2",
			   keys, 2, &nk)))
		return rc;
	int nexp = d->nunits;
	for (int i = 0; i < nk; i++) {
		if (db_run(d->c, ru_sql, "iiti", keys[i], (int64_t)1, "2020-01-28", d->now) < 0)
			return fail(d, ERR_DB, "report_units");
		d->units[nexp++] = keys[i];
	}
	int64_t deadline = settings_int(d->c, "report_deadline_minutes");
	int filed = 0, late = 0, zero = 0, missing = 0;
	for (int di = 0; di < NDAYS; di++) {
		char day[DAY_LEN];
		day_of(di, day);
		for (int u = 0; u < nexp; u++) {
			if (u >= d->nunits && strcmp(day, "2020-01-28") < 0)
				continue;
			int roll = rbelow(&d->rng, 1000);
			/* a few missing: about 1 in 70 unit-days, and one town on the
			 * bulletin's day, so the command has someone to chase */
			if ((roll < 14 && di != NDAYS - 1) || (di == NDAYS - 1 && u == 1)) {
				missing++;
				continue;
			}
			int64_t v[REPORT_NFIGURES];
			int known[REPORT_NFIGURES];
			if ((rc = reports_prefill(d->c, d->units[u], day, v, known)))
				return fail(d, rc, "prefill");
			int any = 0;
			for (int k = 0; k < REPORT_NFIGURES; k++)
				any |= v[k] > 0;
			json_t *f = json_object();
			for (int k = 0; k < REPORT_NFIGURES; k++)
				json_object_set_new(f, reports_figure_keys[k], json_integer(v[k]));
			char *ftext = json_dumps(f, JSON_COMPACT | JSON_SORT_KEYS);
			json_decref(f);
			if (!ftext)
				return err_set(d->ei, ERR_NOMEM, "", "out of memory");
			int is_late = roll >= 14 && roll < 80;
			int64_t t = is_late ? at(day, 16, 5 + rbelow(&d->rng, 170))
					    : at(day, 13, rbelow(&d->rng, 179));
			is_late = !reports_on_time(day, t, deadline);
			const char *text = any ? "按要求完成当日摸排、登记和转送，情况已核实。" : NULL;
			int64_t n = db_run(d->c, ins_sql, "itittii", d->units[u], day, (int64_t)!any,
					   ftext, text, t, (int64_t)is_late);
			free(ftext);
			if (n < 0)
				return fail(d, (int)n, "daily_reports");
			filed++;
			late += is_late;
			zero += !any;
		}
	}
	struct daily_reporting rep;
	if ((rc = daily_reporting_as_of(d->c, d->district, LAST_DAY, &rep)))
		return fail(d, rc, "reporting");
	if (rep.expected != nexp || rep.filed != nexp - 1)
		return err_set(d->ei, ERR_INTERNAL, "",
			       "demo reporting on %s: %" PRId64 " expected, %" PRId64 " filed",
			       LAST_DAY, rep.expected, rep.filed);
	d->nunits = nexp;
	d->filed = filed;
	d->late = late;
	d->zero = zero;
	d->missing = missing;
	return 0;
}

/* ---- notices and venues ---- */

static const struct {
	const char *day;
	const char *title;
	const char *body;
} notice_texts[9] = {
	{"2020-01-25", "关于对外地来金车辆实行登记检查的通告",
	 "一、即日起，在辖区主要道路出入口设立检查点，对所有外地来金车辆逐车登记、逐人测温。\n"
	 "二、来自疫情严重地区的车辆和人员，由所在社区接收并落实居家或集中医学观察。"},
	{"2020-01-26", "关于查找新型冠状病毒感染的肺炎病例密切接触者的通告",
	 "请与确诊病例乘坐同一交通工具、同一场所活动的人员主动向所在社区或疾控机构报告，居家观察14天。"},
	{"2020-01-27", "关于暂停营业性场所经营活动的通告",
	 "辖区内网吧、歌舞厅、影剧院等营业性场所及大型商场暂停营业，恢复时间另行通知。"},
	{"2020-01-28", "关于关闭酒店式公寓的通告",
	 "辖区内酒店式公寓、日租房一律暂停接待，已入住人员由属地社区登记核查。"},
	{"2020-01-29", "关于物业服务企业履行疫情防控责任的通告",
	 "各物业服务企业须落实小区出入口管控、公共区域消毒、住户信息登记等责任，无物业小区由包抓干部负责。"},
	{"2020-01-31", "关于暂停宗教活动场所开放的通告",
	 "辖区内宗教活动场所暂停开放，暂停一切集体宗教活动。"},
	{"2020-02-02", "关于关闭活禽交易市场的通告",
	 "辖区内活禽交易市场及农贸市场活禽交易区一律关闭，严禁活禽宰杀和销售。"},
	{"2020-02-04", "关于取消聚餐聚会等群体性活动的通告",
	 "疫情防控期间，取消各类聚餐、婚宴、庙会等群体性活动，红事缓办、白事简办。"},
	{"2020-02-06", "关于实行小区封闭式管理的通告",
	 "辖区所有小区实行封闭式管理，只保留一个出入口，凭出入证进出，外来人员和车辆一律不得进入。"},
};

static const struct {
	const char *kind;
	int count;
	int notice; /* the notice (0-based) that closed them */
	const char *names[12];
} venue_sets[] = {
	{"mall", 2, 2, {"新华百货阅海店", "万达广场金凤店"}},
	{"internet_cafe", 9, 2,
	 {"网鱼网咖宝湖店", "星空网吧", "极速网吧", "天翼网吧", "蓝海网咖", "风云网吧", "金凤网吧",
	  "零度网咖", "联众网吧"}},
	{"serviced_apartment", 6, 3,
	 {"悦海酒店式公寓", "亲水公寓", "万寿公寓", "阅海湾公寓", "宝湖假日公寓", "正丰公寓"}},
	{"religious", 4, 5, {"金凤清真寺", "良田清真寺", "丰登清真寺", "满春基督教堂"}},
	{"poultry", 2, 6, {"黄河东路活禽市场", "良田活禽交易点"}},
	{"market", 3, 6, {"北京中路农贸市场活禽区", "丰登农贸市场活禽区", "金凤农贸市场活禽区"}},
};

static int demo_notices(struct dd *d, int *nvenues)
{
	static const char n_sql[] =
		"INSERT INTO notices(unit_id, number, title, body, day, status, published_at,"
		" created_at) VALUES ($1, $2, $3, $4, $5, 'published', $6, $6) RETURNING id";
	static const char v_sql[] =
		"INSERT INTO venues(unit_id, name, kind, closed_day, notice_id, created_at)"
		" VALUES ($1, $2, $3, $4, $5, $6)";
	int rc;
	for (int i = 0; i < 9; i++)
		if ((rc = insert_id(d,
				    db_query(d->c, n_sql, "iitttI", d->district, (int64_t)(i + 1),
					     notice_texts[i].title, notice_texts[i].body,
					     notice_texts[i].day, at(notice_texts[i].day, 18, 0)),
				    &d->notices[i], "notices")))
			return rc;
	/* a draft, never on the public page nor in the count */
	int64_t draft;
	if ((rc = insert_id(d,
			    db_query(d->c,
				     "INSERT INTO notices(unit_id, title, body, status, created_at)"
				     " VALUES ($1, $2, $3, 'draft', $4) RETURNING id",
				     "itti", d->district, "关于有序恢复生产生活秩序的通告（草稿）",
				     "待指挥部审定。", at(LAST_DAY, 17, 0)),
			    &draft, "notices")))
		return rc;
	int64_t comms[200];
	int nc = 0;
	if ((rc = load_ids(d, "SELECT id FROM units WHERE kind = 'community' OR kind = 'village'"
			      " ORDER BY id", comms, 200, &nc)))
		return rc;
	if (!nc)
		return err_set(d->ei, ERR_INTERNAL, "", "demo: no communities for venues");
	*nvenues = 0;
	for (size_t s = 0; s < sizeof venue_sets / sizeof venue_sets[0]; s++)
		for (int k = 0; k < venue_sets[s].count; k++) {
			const char *day = notice_texts[venue_sets[s].notice].day;
			char closed[DAY_LEN];
			day_add(day, 1, closed);
			int64_t n = db_run(d->c, v_sql, "itttii", comms[rbelow(&d->rng, nc)],
					   venue_sets[s].names[k], venue_sets[s].kind, closed,
					   d->notices[venue_sets[s].notice], d->now);
			if (n < 0)
				return fail(d, (int)n, "venues");
			(*nvenues)++;
		}
	int64_t count = 0;
	if ((rc = notices_count_as_of(d->c, d->district, LAST_DAY, &count)))
		return fail(d, rc, "notices count");
	if (count != 9)
		return err_set(d->ei, ERR_INTERNAL, "", "demo notices: %" PRId64 ", not 9", count);
	return 0;
}

/* ---- the evening dispatch ---- */

static const char *const progress_texts[] = {
	"发布防控信息，开展入户宣传，回应群众关切。",
	"各检查点24小时值守，逐车检查、逐人测温。",
	"发热门诊运转正常，密切接触者全部落实医学观察。",
	"防护物资按一线优先原则调拨，库存可保障三天。",
	"农贸市场、超市保供稳价，未发现哄抬物价。",
	"第二轮精准摸排推进中，空置房逐户核查。",
	"集中隔离点运转平稳，4包1责任全部落实。",
	"复工企业按七个必须逐一核查。",
};

static const char *const problem_texts[] = {
	"部分无物业小区夜间值守力量不足", "个别检查点测温枪故障", "集中隔离点生活物资配送不及时",
	"部分居民对封闭管理有抵触情绪", "口罩调拨缺口较大",       "外地返金人员信息推送滞后",
	"个别小区出入登记不规范",       "消毒液库存偏低",         "部分社区排查数据与大数据比对有差异",
	"企业复工申请审核积压",
};

static int demo_dispatch(struct dd *d, int *nmeet, int *nprob)
{
	static const char m_sql[] =
		"INSERT INTO dispatch_meetings(unit_id, day, chair, notes, created_at)"
		" VALUES ($1, $2, $3, $4, $5) RETURNING id";
	static const char r_sql[] =
		"INSERT INTO dispatch_reports(meeting_id, group_id, progress, created_at)"
		" VALUES ($1, $2, $3, $4)";
	static const char p_sql[] =
		"INSERT INTO dispatch_problems(unit_id, meeting_id, raised_day, group_id, title,"
		" owner_org_id, due_day, status, resolution, closed_day, closed_at, created_at)"
		" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";
	int rc = load_ids(d, "SELECT id FROM working_groups ORDER BY sort, id", d->groups, 8,
			  &d->ngroups);
	if (!rc)
		rc = load_ids(d, "SELECT id FROM resp_orgs ORDER BY id", d->orgs, 44, &d->norgs);
	if (rc)
		return rc;
	if (!d->ngroups || !d->norgs)
		return err_set(d->ei, ERR_INTERNAL, "", "demo dispatch: no groups or orgs");
	*nmeet = *nprob = 0;
	for (int di = 0; di < NDAYS; di++) {
		char day[DAY_LEN];
		day_of(di, day);
		int64_t mid;
		int64_t t = at(day, 20, 0);
		if ((rc = insert_id(d,
				    db_query(d->c, m_sql, "itttI", d->district, day, "区委书记",
					     "各工作组按分工抓好落实，明日继续调度。", t),
				    &mid, "dispatch_meetings")))
			return rc;
		(*nmeet)++;
		for (int g = 0; g < d->ngroups; g++)
			if (db_run(d->c, r_sql, "iiti", mid, d->groups[g],
				   progress_texts[g % 8], t) < 0)
				return fail(d, ERR_DB, "dispatch_reports");
		int np = 1 + rbelow(&d->rng, 3);
		for (int k = 0; k < np; k++) {
			char due[DAY_LEN], closed[DAY_LEN];
			day_add(day, 1 + rbelow(&d->rng, 3), due);
			/* most close in 0..4 days; those still open on the last
			 * days stay open, a few past their due day */
			int after = rbelow(&d->rng, 5);
			day_add(day, after, closed);
			int open = strcmp(closed, LAST_DAY) > 0 || rbelow(&d->rng, 100) < 4;
			int g = rbelow(&d->rng, d->ngroups);
			int64_t n = db_run(
				d->c, p_sql, "iititittttIi", d->district, mid, day, d->groups[g],
				problem_texts[rbelow(&d->rng, 10)], d->orgs[rbelow(&d->rng, d->norgs)], due,
				open ? "open" : "closed", open ? NULL : "已协调解决，按期办结。",
				open ? NULL : closed, open ? (int64_t)0 : at(closed, 21, 0), t);
			if (n < 0)
				return fail(d, (int)n, "dispatch_problems");
			(*nprob)++;
		}
	}
	return 0;
}

/* ---- supervision ---- */

static int demo_supervision(struct dd *d, int *ninsp, int *nfind)
{
	static const char g_sql[] =
		"INSERT INTO supervision_groups(unit_id, name, kind, since_day, created_at)"
		" VALUES ($1, $2, $3, $4, $5) RETURNING id";
	static const char m_sql[] =
		"INSERT INTO supervision_members(group_id, name, title, is_lead, created_at)"
		" VALUES ($1, $2, $3, $4, $5)";
	static const char i_sql[] =
		"INSERT INTO supervision_inspections(group_id, unit_id, day, target, target_group_id,"
		" summary, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
	static const char f_sql[] =
		"INSERT INTO supervision_findings(inspection_id, unit_id, text, deadline_day, owner,"
		" status, resolution, rectified_day, created_at)"
		" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
	static const char *const cn[] = {"一", "二", "三", "四", "五", "六", "七"};
	static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "马", "赵", "周", "吴"};
	static const char *const titles[] = {"区纪委监委", "区委组织部", "区委督查室", "区政府办"};
	static const char *const findings[] = {
		"小区出入口登记信息不全", "检查点值守人员未按要求签到", "隔离人员体温记录有缺项",
		"防护物资台账不清", "网格员入户走访记录不实", "公共区域消毒记录缺失",
	};
	int64_t groups[8];
	int rc;
	for (int g = 0; g < 8; g++) {
		char name[32];
		if (g < 7)
			snprintf(name, sizeof name, "第%s督查组", cn[g]);
		else
			snprintf(name, sizeof name, "综合保障组");
		if ((rc = insert_id(d,
				    db_query(d->c, g_sql, "itttI", d->district, name,
					     g < 7 ? "inspection" : "support", "2020-01-28",
					     at("2020-01-28", 9, 0)),
				    &groups[g], "supervision_groups")))
			return rc;
		int nm = 3 + rbelow(&d->rng, 3);
		for (int m = 0; m < nm; m++) {
			char person[32];
			snprintf(person, sizeof person, "%s%s", surnames[rbelow(&d->rng, 10)],
				 m == 0 ? "组长" : "督查员");
			if (db_run(d->c, m_sql, "ittii", groups[g], person, titles[rbelow(&d->rng, 4)],
				   (int64_t)(m == 0), d->now) < 0)
				return fail(d, ERR_DB, "supervision_members");
		}
	}
	int64_t ins = 0, sup = 0;
	if ((rc = supervision_groups_as_of(d->c, d->district, LAST_DAY, &ins, &sup)))
		return fail(d, rc, "groups count");
	if (ins != 7 || sup != 1)
		return err_set(d->ei, ERR_INTERNAL, "", "demo supervision groups: %" PRId64 " + %" PRId64,
			       ins, sup);
	/* from 2020-01-29 each inspection group inspects a town or a working
	 * group each day */
	*ninsp = *nfind = 0;
	for (int di = 5; di < NDAYS; di++) {
		char day[DAY_LEN];
		day_of(di, day);
		for (int g = 0; g < 7; g++) {
			int on_group = rbelow(&d->rng, 4) == 0;
			int64_t unit = on_group ? d->district : d->units[rbelow(&d->rng, d->nunits)];
			int64_t id;
			if ((rc = insert_id(d,
					    db_query(d->c, i_sql, "iittIti", groups[g], unit, day,
						     on_group ? "group" : "unit",
						     on_group ? d->groups[rbelow(&d->rng, d->ngroups)]
							      : (int64_t)0,
						     "实地督查防控措施落实情况。", at(day, 15, 0)),
					    &id, "supervision_inspections")))
				return rc;
			(*ninsp)++;
			if (rbelow(&d->rng, 100) >= 35)
				continue;
			char deadline[DAY_LEN], fixed[DAY_LEN];
			day_add(day, 2 + rbelow(&d->rng, 3), deadline);
			day_add(day, 1 + rbelow(&d->rng, 5), fixed);
			int open = strcmp(fixed, LAST_DAY) > 0 || rbelow(&d->rng, 100) < 8;
			int64_t n = db_run(d->c, f_sql, "iitttttti", id, unit,
					   findings[rbelow(&d->rng, 6)], deadline, "属地负责人",
					   open ? "open" : "rectified", open ? NULL : "已立行立改。",
					   open ? NULL : fixed, at(day, 16, 0));
			if (n < 0)
				return fail(d, (int)n, "supervision_findings");
			(*nfind)++;
		}
	}
	return 0;
}

/* ---- volunteers ---- */

static int demo_volunteers(struct dd *d, int *nvol, int *nshift)
{
	static const char v_sql[] =
		"INSERT INTO volunteers(unit_id, name, phone, skills, party_member, created_at)"
		" VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
	static const char p_sql[] =
		"INSERT INTO volunteer_posts(volunteer_id, kind, unit_id, label, from_day, created_at)"
		" VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
	static const char s_sql[] =
		"INSERT INTO volunteer_shifts(volunteer_id, unit_id, post_id, start_at, end_at,"
		" created_at) VALUES ($1, $2, $3, $4, $5, $6)";
	static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "马", "赵",
					       "周", "吴", "徐", "孙", "胡", "朱", "高", "林"};
	static const char *const given[] = {"建国", "丽", "强", "芳", "伟", "娜", "军", "静",
					    "磊", "燕", "涛", "敏", "勇", "霞", "超", "慧"};
	static const char *const skills[] = {"医护", "驾驶", "心理疏导", "宣传", "后勤", NULL};
	int64_t compounds[400];
	int ncomp = 0;
	int rc = load_ids(d,
			  "SELECT id FROM units WHERE kind = 'compound' AND property_company IS NULL"
			  " ORDER BY id LIMIT 400",
			  compounds, 400, &ncomp);
	if (rc)
		return rc;
	if (!ncomp)
		return 0;
	*nvol = *nshift = 0;
	for (int i = 0; i < VOLUNTEERS; i++) {
		int64_t comp = compounds[rbelow(&d->rng, ncomp)];
		int64_t parent = 0;
		if ((rc = db_one_int(d->c, &parent, "SELECT parent_id FROM units WHERE id = $1", "i",
				     comp)) != 1)
			return fail(d, rc, "units");
		char name[32], phone[16];
		snprintf(name, sizeof name, "%s%s", surnames[rbelow(&d->rng, 16)],
			 given[rbelow(&d->rng, 16)]);
		snprintf(phone, sizeof phone, "1%d%09d", 3 + rbelow(&d->rng, 7), 100000000 + i * 3691);
		int64_t vid, pid;
		const char *sk = skills[rbelow(&d->rng, 6)];
		if ((rc = insert_id(d,
				    db_query(d->c, v_sql, "ittti" "i", parent, name, phone, sk,
					     (int64_t)(rbelow(&d->rng, 100) < 45), d->now),
				    &vid, "volunteers")))
			return rc;
		(*nvol)++;
		int gate = rbelow(&d->rng, 2);
		char from[DAY_LEN];
		day_of(rbelow(&d->rng, 10), from);
		if ((rc = insert_id(d,
				    db_query(d->c, p_sql, "itittI", vid, gate ? "gate" : "compound",
					     comp, gate ? "小区门岗" : "小区值守", from, d->now),
				    &pid, "volunteer_posts")))
			return rc;
		/* a 4-hour shift every second or third day from the post's day */
		for (int di = day_diff(FIRST_DAY, from); di < NDAYS; di += 2 + rbelow(&d->rng, 2)) {
			char day[DAY_LEN];
			day_of(di, day);
			int64_t start = at(day, 8 + 4 * rbelow(&d->rng, 3), 0);
			if (db_run(d->c, s_sql, "iiiiii", vid, comp, pid, start, start + 4 * 3600,
				   start + 4 * 3600) < 0)
				return fail(d, ERR_DB, "volunteer_shifts");
			(*nshift)++;
		}
	}
	return 0;
}

int demo_daily(struct dbc *c, uint64_t seed, int64_t district, FILE *progress,
	       struct err_info *ei)
{
	struct dd *d = calloc(1, sizeof *d);
	if (!d)
		return err_set(ei, ERR_NOMEM, "", "out of memory");
	d->c = c;
	d->rng = seed;
	d->ei = ei;
	d->district = district;
	d->now = clock_now();
	int nvenues = 0, nmeet = 0, nprob = 0, ninsp = 0, nfind = 0, nvol = 0, nshift = 0;
	int rc = demo_reports(d);
	if (!rc)
		rc = demo_notices(d, &nvenues);
	if (!rc)
		rc = demo_dispatch(d, &nmeet, &nprob);
	if (!rc)
		rc = demo_supervision(d, &ninsp, &nfind);
	if (!rc)
		rc = demo_volunteers(d, &nvol, &nshift);
	if (!rc && progress) {
		struct daily_reporting rep;
		daily_reporting_as_of(c, district, LAST_DAY, &rep);
		fprintf(progress,
			"daily work: reports %s..%s from %d reporting units (%d filed, %d late,"
			" %d zero, %d missing; on %s: %" PRId64
			" expected, %" PRId64 " filed, %" PRId64 " on time); 9 notices, %d venues"
			" closed; %d dispatch meetings, %d problems; 7 inspection groups + 1 support"
			" group, %d inspections, %d findings; %d volunteers, %d shifts\n",
			FIRST_DAY, LAST_DAY, d->nunits, d->filed, d->late, d->zero, d->missing, LAST_DAY, rep.expected, rep.filed, rep.on_time,
			nvenues, nmeet, nprob, ninsp, nfind, nvol, nshift);
	}
	free(d);
	return rc;
}
