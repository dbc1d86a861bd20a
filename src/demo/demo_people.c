/* The demo district's population and its two screening rounds (`cordon
 * demo`, DOMAIN.md §7): 244,540 households and 620,623 persons with valid
 * resident IDs spread over the demo compounds, the risk areas the command
 * listed in early 2020, arrivals graded by where and when they came from,
 * 一托三 teams per community, and the visits of round 1 (every household and
 * every person) and round 2 (239,549 households, 550,019 persons). The rows
 * are the ones the API's writes would have left (people_upsert,
 * people_add_arrival, the visit route), written in bulk: explicit ids, one
 * cached prepared INSERT per row on SQLite, COPY on PostgreSQL (db_copy,
 * as imports do: 39 s for these rows at load 14, where JSON batches
 * unpacked by json_populate_recordset took 82 s at load 11), with the
 * tables' secondary indexes (and, on PostgreSQL, foreign keys) made again
 * after the load. Households are written once, as their newest visit leaves
 * them (round 2 is planned before round 1 is written). person_facts (name,
 * phone, household of each person, source 'visit'), unit_households,
 * round_households, round_persons (with the first visit's time, which the
 * bulletin counts by) and round_coverage are then derived from
 * the records with INSERT ... SELECT (over unit_tree for the counters), and
 * the round totals are checked two ways — from round_coverage and by
 * COUNT(DISTINCT) over the visits — before the demo may commit. Left out on
 * purpose: visits carry no client_id (the API's idempotency key is
 * optional), created_by only on the demo grid worker's team, and no audit
 * rows for these writes. Deterministic for a seed. */
#include "demo.h"

#include <inttypes.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "../base/buf.h"
#include "../base/clock.h"
#include "../feature/areas.h"
#include "../feature/people.h"
#include "../feature/screening.h"

/* The bulletin's figures (DOMAIN.md, seed bulletin). */
#define R1_HOUSEHOLDS 244540
#define R1_PERSONS 620623
#define R2_HOUSEHOLDS 239549
#define R2_PERSONS 550019
#define R2_EMPTY_PENDING 1736 /* round 2: empty, waiting for the re-check */
#define R2_REFUSED 187        /* round 2: refused, not yet visited again */
#define R1_TEAMS 300
#define R2_TEAMS 456 /* 912 police and legal officers, two per team */
#define PG_BATCH 20000 /* rows a COPY buffer holds before all are sent */
#define NCOUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---- random numbers (splitmix64, as in demo.c) ---- */

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

static int between(uint64_t *s, int lo, int hi) /* inclusive */
{
	return lo + below(s, hi - lo + 1);
}

/* 1 with probability per_mille / 1000. */
static int chance(uint64_t *s, int per_mille)
{
	return below(s, 1000) < per_mille;
}

static double unit_real(uint64_t *s)
{
	return (double)(rnd(s) >> 11) / 9007199254740992.0;
}

/* An index into weights[0..n) drawn with those weights. */
static int weighted(uint64_t *s, const int *w, int n, int total)
{
	int r = below(s, total);
	for (int i = 0; i < n; i++) {
		if (r < w[i])
			return i;
		r -= w[i];
	}
	return n - 1;
}

/* ---- names ---- */

/* Surnames with weights per ten thousand, as in Yinchuan: the national
 * order, with the Hui surnames (马, 丁, 纳, 海, 拜, 锁, 虎 ...) more common. */
static const struct {
	const char *s;
	int w;
} surnames[] = {
	{"王", 750}, {"李", 700}, {"张", 650}, {"刘", 550}, {"马", 500}, {"杨", 400}, {"陈", 300},
	{"赵", 250}, {"田", 180}, {"周", 150}, {"孙", 140}, {"郭", 140}, {"高", 150}, {"吴", 120},
	{"徐", 120}, {"胡", 120}, {"黄", 120}, {"丁", 120}, {"朱", 100}, {"何", 90},  {"韩", 90},
	{"罗", 80},  {"宋", 80},  {"冯", 80},  {"董", 80},  {"魏", 80},  {"白", 80},  {"郑", 70},
	{"梁", 70},  {"许", 70},  {"曹", 70},  {"于", 70},  {"杜", 70},  {"苏", 70},  {"任", 70},
	{"闫", 70},  {"林", 60},  {"谢", 60},  {"唐", 60},  {"袁", 60},  {"吕", 60},  {"贾", 60},
	{"邓", 50},  {"彭", 50},  {"肖", 50},  {"程", 50},  {"姜", 50},  {"崔", 50},  {"范", 50},
	{"石", 50},  {"付", 50},  {"孟", 50},  {"秦", 50},  {"薛", 50},  {"段", 50},  {"雷", 50},
	{"侯", 50},  {"史", 50},  {"贺", 50},  {"郝", 50},  {"武", 50},  {"潘", 40},  {"蒋", 40},
	{"蔡", 40},  {"余", 40},  {"姚", 40},  {"卢", 40},  {"汪", 40},  {"金", 40},  {"纳", 40},
	{"海", 40},  {"常", 40},  {"牛", 40},  {"沈", 30},  {"叶", 30},  {"钟", 30},  {"谭", 30},
	{"陆", 30},  {"夏", 30},  {"方", 30},  {"毛", 30},  {"虎", 30},  {"安", 30},  {"乔", 30},
	{"尚", 30},  {"康", 30},  {"岳", 30},  {"万", 30},  {"曾", 30},  {"邹", 20},  {"顾", 20},
	{"拜", 20},  {"锁", 20},  {"沙", 20},  {"哈", 20},  {"蒲", 20},  {"景", 20},  {"穆", 20},
	{"聂", 20},  {"齐", 20},  {"祁", 20},  {"撒", 10},  {"黑", 10},  {"冶", 10},  {"妥", 10},
	{"保", 10},  {"火", 10},
};

/* Given names by sex and the decade people were born in. */
static const char *const given_m[4][40] = {
	{"建国", "国强", "志刚", "国华", "振华", "德明", "福生", "保国", "建华", "文明",
	 "学军", "忠",   "富贵", "树林", "永福", "玉林", "长海", "金山", "俊",   "明",
	 "进财", "宝山", "占林", "有福", "万福", "满仓", "建设", "胜利", "红旗", "卫东",
	 "援朝", "振国", "建平", "国庆", "世杰", "德胜", "生荣", "占山", "正义", "玉祥"},
	{"伟",   "强",   "军",   "勇",   "斌",   "刚",   "涛",   "明",   "辉",   "建军",
	 "海军", "卫国", "志强", "建平", "红军", "永强", "新华", "建新", "小军", "文斌",
	 "晓东", "立新", "东",   "峰",   "宏伟", "国栋", "建伟", "宁",   "海",   "亮",
	 "华",   "鹏",   "林",   "平",   "彦军", "学斌", "建宁", "志军", "永红", "彦斌"},
	{"磊",   "鹏",   "超",   "杰",   "浩",   "亮",   "健",   "强",   "伟",   "军",
	 "涛",   "斌",   "鑫",   "龙",   "波",   "峰",   "晨",   "帅",   "飞",   "宇",
	 "凯",   "博",   "旭",   "阳",   "瑞",   "俊杰", "志鹏", "晓东", "海涛", "文博",
	 "家豪", "俊",   "小龙", "晓峰", "文杰", "宁宁", "彦龙", "永杰", "刚",   "明"},
	{"浩然", "宇轩", "子轩", "浩宇", "博文", "梓豪", "宇航", "俊熙", "子豪", "皓轩",
	 "一鸣", "天佑", "明轩", "锦程", "嘉懿", "思远", "文轩", "睿",   "诚",   "宇",
	 "浩",   "泽宇", "子墨", "梓睿", "奕辰", "昊天", "俊杰", "博",   "煜",   "晨阳",
	 "家乐", "一诺", "铭轩", "子航", "宇泽", "皓然", "梓轩", "沐阳", "天翊", "嘉豪"},
};
static const char *const given_f[4][40] = {
	{"秀英", "桂英", "玉兰", "秀兰", "凤英", "桂兰", "淑珍", "玉珍", "秀珍", "玉梅",
	 "素芳", "翠兰", "桂芳", "玉英", "兰英", "秀芝", "凤兰", "秀云", "桂珍", "淑英",
	 "菊花", "春花", "秀梅", "改琴", "彩霞", "金花", "粉兰", "玉芳", "梅",   "兰",
	 "秀琴", "凤琴", "玉琴", "月英", "桂香", "玉香", "改莲", "秀花", "存花", "秀芳"},
	{"丽",   "芳",   "红",   "燕",   "霞",   "敏",   "静",   "娟",   "玲",   "萍",
	 "艳",   "梅",   "丽华", "红梅", "晓燕", "海燕", "丽娟", "秀琴", "春梅", "建华",
	 "红霞", "淑琴", "彩虹", "莉",   "琴",   "慧",   "宁",   "玉霞", "晓红", "美玲",
	 "雪梅", "丽萍", "晓梅", "彦萍", "红艳", "桂琴", "利萍", "亚琴", "小燕", "丽娜"},
	{"婷",   "静",   "丽",   "娟",   "敏",   "燕",   "芳",   "丹",   "洁",   "倩",
	 "莉",   "雪",   "琳",   "佳",   "蕾",   "楠",   "颖",   "慧",   "媛",   "璐",
	 "晶",   "玲",   "婷婷", "丽娜", "晓丽", "雪梅", "佳佳", "欢欢", "亚楠", "小燕",
	 "文静", "晓静", "美丽", "晓娟", "一丹", "瑞雪", "彦婷", "婧",   "娜",   "艳"},
	{"欣怡", "子涵", "梓涵", "诗涵", "雨涵", "一诺", "梓萱", "语嫣", "可馨", "思彤",
	 "佳怡", "紫涵", "雨萱", "欣妍", "梦瑶", "若汐", "心怡", "语桐", "佳琪", "思琪",
	 "雅琪", "悦",   "欣",   "琪",   "雨桐", "子萱", "芷若", "梦琪", "诗琪", "安琪",
	 "佳欣", "艺涵", "沐晴", "梓琪", "诗雨", "若曦", "可欣", "一涵", "欣悦", "雨欣"},
};
/* Characters for two-character given names outside the lists above. */
static const char *const chars_m[] = {"建", "国", "志", "明", "伟", "军", "强", "海", "文", "东",
				      "学", "永", "德", "俊", "杰", "鹏", "宏", "峰", "涛", "斌",
				      "辉", "刚", "勇", "磊", "亮", "超", "飞", "宇", "浩", "博",
				      "鑫", "晨", "阳", "瑞", "龙", "兴", "成", "林", "平", "华",
				      "宁", "福", "荣", "生", "利", "彦", "金", "银", "忠", "天"};
static const char *const chars_f[] = {"秀", "丽", "芳", "红", "燕", "霞", "敏", "静", "娟", "玲",
				      "萍", "艳", "梅", "兰", "英", "琴", "慧", "婷", "雪", "琳",
				      "佳", "欣", "怡", "涵", "萱", "悦", "倩", "洁", "颖", "丹",
				      "莉", "娜", "晶", "璐", "蕾", "楠", "婧", "瑶", "琪", "桐",
				      "月", "玉", "凤", "桂", "珍", "淑", "春", "彩", "晓", "文"};

/* ---- places people come from ---- */

enum origin_cat { O_WUHAN, O_HUBEI, O_HEAVY, O_OTHER, O_LOCAL, O_NCAT };

static const struct {
	const char *code;
	int cat, w;
} origins[] = {
	{"420102", O_WUHAN, 3}, {"420103", O_WUHAN, 3}, {"420104", O_WUHAN, 2},
	{"420105", O_WUHAN, 2}, {"420106", O_WUHAN, 4}, {"420111", O_WUHAN, 3},
	{"420115", O_WUHAN, 1}, {"420502", O_HUBEI, 2}, {"420602", O_HUBEI, 2},
	{"421002", O_HUBEI, 2}, {"420902", O_HUBEI, 2}, {"421102", O_HUBEI, 2},
	{"420802", O_HUBEI, 1}, {"420302", O_HUBEI, 1}, {"330102", O_HEAVY, 2},
	{"330106", O_HEAVY, 2}, {"330302", O_HEAVY, 3}, {"330110", O_HEAVY, 1},
	{"440106", O_HEAVY, 3}, {"440304", O_HEAVY, 3}, {"440305", O_HEAVY, 2},
	{"441900", O_HEAVY, 2}, {"410105", O_HEAVY, 3}, {"410102", O_HEAVY, 2},
	{"411302", O_HEAVY, 2}, {"411502", O_HEAVY, 2}, {"430102", O_HEAVY, 2},
	{"430104", O_HEAVY, 1}, {"430602", O_HEAVY, 1}, {"610102", O_OTHER, 4},
	{"610113", O_OTHER, 4}, {"620102", O_OTHER, 6}, {"620104", O_OTHER, 2},
	{"620402", O_OTHER, 3}, {"620502", O_OTHER, 2}, {"620602", O_OTHER, 2},
	{"620802", O_OTHER, 3}, {"621102", O_OTHER, 3}, {"150102", O_OTHER, 2},
	{"150602", O_OTHER, 3}, {"110105", O_OTHER, 4}, {"110108", O_OTHER, 3},
	{"310115", O_OTHER, 3}, {"510104", O_OTHER, 2}, {"500103", O_OTHER, 2},
	{"650102", O_OTHER, 3}, {"630104", O_OTHER, 2}, {"370102", O_OTHER, 2},
	{"130102", O_OTHER, 2}, {"140105", O_OTHER, 2}, {"320106", O_OTHER, 2},
	{"320506", O_OTHER, 1}, {"640302", O_LOCAL, 4}, {"640402", O_LOCAL, 4},
	{"640502", O_LOCAL, 3}, {"640202", O_LOCAL, 3}, {"640181", O_LOCAL, 2},
	{"640381", O_LOCAL, 2}, {"640422", O_LOCAL, 3}, {"640424", O_LOCAL, 2},
};
#define NORIGINS NCOUNT(origins)

/* Households with an arrival, per 244,540, by where they came from; and the
 * arrival days (offsets from 2020-01-01) for each. */
static const int arr_households[O_NCAT] = {95, 55, 700, 6000, 1800};
static const int arr_days[O_NCAT][2] = {{20, 26}, {20, 27}, {21, 34}, {17, 34}, {19, 34}};

/* Address codes of residents' IDs other than 640106: elsewhere in Ningxia,
 * and the neighbouring provinces people moved from long ago. */
static const char *const codes_ningxia[] = {"640104", "640105", "640121", "640122", "640181",
					    "640202", "640302", "640381", "640402", "640422",
					    "640424", "640502"};
static const char *const codes_moved[] = {"620102", "620402", "621102", "620802", "610102",
					  "150602", "150102", "410102", "130102", "370102",
					  "620602", "642221"};

/* Risk areas as the command listed them (grades DOMAIN.md §7). Hubei's
 * listing covers the outbreak from its start (December 2019), not from
 * Wuhan's closure on 2020-01-23: someone who left Wuhan on 2020-01-22 is
 * an arrival from the worst-hit area. */
static const struct {
	const char *code, *grade, *from, *to, *note;
} risk_list[] = {
	{"420000", "severe", "2019-12-01", NULL, "疫情最严重地区，自2019年12月疫情开始起"},
	{"420100", "severe", "2019-12-01", NULL, "疫情开始地；1月23日10时起离汉通道关闭"},
	{"330000", "heavy", "2020-01-28", "2020-02-20", "疫情较重地区"},
	{"440000", "heavy", "2020-01-28", "2020-02-20", "疫情较重地区"},
	{"410000", "heavy", "2020-01-28", "2020-02-20", "疫情较重地区"},
	{"430000", "heavy", "2020-01-28", "2020-02-20", "疫情较重地区"},
};

/* ---- the build context ---- */

struct comm {
	int64_t id;
	char name[96];
	int village;
	int first, n; /* its compounds: cpds[first .. first+n) */
	int households;
	int nteams[2];
};

struct cpd {
	int64_t id;
	int comm;
	int households;
	int first_hh; /* index of its first household */
	int rural;    /* addresses 3组12号 rather than 3号楼2单元501 */
	int64_t team[2];
	int64_t team_user[2]; /* the team's grid worker account, or 0 */
	int day0[2], span[2];
};

/* One household, kept for round 2. */
struct hh {
	int64_t id;
	int64_t first_person;
	uint64_t seed2; /* round 2's visits: one stream per household from it */
	char timing[256]; /* its members have consecutive ids */
	int cpd;
	uint8_t size;
	uint8_t r2;  /* enum r2_state */
	uint8_t away; /* members not found in round 2 */
};

enum r2_state { R2_REACHED, R2_NOT_VISITED, R2_EMPTY, R2_REFUSED_ONLY };

/* Rows go to PostgreSQL by COPY, each row's fields in the order of cols;
 * on SQLite straight in. */
struct sink {
	const char *table, *cols;
	struct db_copy *cp;
	int rows;
	int64_t total;
};

struct grade_cache {
	char grade[16];
	const char *handling;
	int64_t rule;
	int have;
};

#define GRADE_DAYS 64

struct dp {
	struct dbc *c;
	int scale;
	int pg;
	uint64_t rng;
	FILE *progress;
	struct err_info *ei;
	double t0;
	int64_t day0_2020; /* local midnight 2020-01-01 */

	int64_t district;
	struct comm *comms;
	int ncomms;
	struct cpd *cpds;
	int ncpds;
	int64_t grid_user, grid_cpd;
	char grid_user_name[64];
	int64_t round[2];
	int nteams[2];

	char origin_name[NORIGINS][64];
	struct grade_cache grades[NORIGINS][GRADE_DAYS];
	int64_t arr_by_grade[8];

	/* the population figures at the demo's scale (`cordon demo --scale N`):
	 * N times the bulletin's */
	int r1h, r1p, r2h, r2p, r2_empty, r2_refused;
	uint8_t *sizes; /* household sizes, r1h of them */
	struct hh *hhs;
	int nhh;
	uint64_t *ids; /* set of the 17-digit ID prefixes (+1), open addressing */
	size_t idcap;

	int64_t next_hh, next_person, next_visit, next_arrival;
	int64_t first_person;
	uint64_t seed2; /* round 2's visits: one stream per household from it */
	char timing[256];
	int64_t nvisits[2], nvp[2], nphones;
	struct sink s_hh, s_person, s_visit, s_vp, s_arr;
};

static int dfail(struct dp *p, int rc, const char *what)
{
	return err_set(p->ei, rc < 0 ? rc : ERR_DB, "", "%s: %s", what, db_errmsg(p->c));
}

static void fmt_n(int64_t n, char buf[32])
{
	char raw[24];
	int len = snprintf(raw, sizeof raw, "%" PRId64, n);
	char *o = buf;
	for (int i = 0; i < len; i++) {
		*o++ = raw[i];
		if ((len - 1 - i) % 3 == 0 && i != len - 1 && raw[i] != '-')
			*o++ = ',';
	}
	*o = 0;
}

/* Progress lines go out at once, also into a file or a pipe. */
#define SAY(out, ...)                                  \
	do {                                           \
		if (out) {                             \
			fprintf(out, __VA_ARGS__);     \
			fflush(out);                   \
		}                                      \
	} while (0)

static double elapsed(struct dp *p)
{
	return (clock_ms() - p->t0) / 1000.0;
}

/* Day offset from 2020-01-01 to "YYYY-MM-DD". */
static void day_of(int off, char out[DAY_LEN])
{
	day_add("2020-01-01", off, out);
}

static int64_t at_of(struct dp *p, int day, int minute)
{
	return p->day0_2020 + (int64_t)day * 86400 + (int64_t)minute * 60;
}

/* ---- sinks ---- */

static int sink_open(struct dp *p, struct sink *k)
{
	char target[400];
	snprintf(target, sizeof target, "%s(%s)", k->table, k->cols);
	k->cp = db_copy_new(target);
	return k->cp ? 0 : err_set(p->ei, ERR_NOMEM, "", "out of memory");
}

static int sink_flush(struct dp *p, struct sink *k)
{
	if (!k->rows)
		return 0;
	int rc = db_copy_send(p->c, k->cp);
	k->rows = 0;
	return rc ? dfail(p, rc, k->table) : 0;
}

/* Parents before children: PostgreSQL checks the foreign keys left. */
static int flush_all(struct dp *p)
{
	int rc;
	if ((rc = sink_flush(p, &p->s_hh)) || (rc = sink_flush(p, &p->s_person)) ||
	    (rc = sink_flush(p, &p->s_visit)) || (rc = sink_flush(p, &p->s_vp)) ||
	    (rc = sink_flush(p, &p->s_arr)))
		return rc;
	return 0;
}

static int row_end(struct dp *p, struct sink *k)
{
	db_copy_row_end(k->cp);
	k->rows++;
	k->total++;
	return k->rows >= PG_BATCH ? flush_all(p) : 0;
}

static int ran(struct dp *p, int64_t n, const char *what)
{
	return n == 1 ? 0 : dfail(p, n < 0 ? (int)n : ERR_DB, what);
}

/* ---- rows ---- */

static int put_household(struct dp *p, int64_t id, int64_t unit, const char *address, int members,
			 const char *status, int64_t created, int64_t updated)
{
	if (!p->pg)
		return ran(p,
			   db_run(p->c,
				  "INSERT INTO households(id, unit_id, address, status, members,"
				  " empty_confirmed, created_at, updated_at)"
				  " VALUES ($1, $2, $3, $4, $5, 0, $6, $7)",
				  "iittiii", id, unit, address, status, (int64_t)members, created, updated),
			   "households");
	struct db_copy *b = p->s_hh.cp;
	db_copy_int(b, id);
	db_copy_int(b, unit);
	db_copy_text(b, address);
	db_copy_text(b, status);
	db_copy_int(b, members);
	db_copy_int(b, 0);
	db_copy_int(b, created);
	db_copy_int(b, updated);
	return row_end(p, &p->s_hh);
}

struct prow {
	int64_t id, unit, household, visit, at;
	const char *number, *name, *sex, *birth, *phone;
};

static int put_person(struct dp *p, const struct prow *r)
{
	const char *last4 = r->number + strlen(r->number) - 4;
	if (!p->pg)
		return ran(p,
			   db_run(p->c,
				  "INSERT INTO persons(id, unit_id, household_id, located, doc_type,"
				  " doc_number, doc_last4, name, sex, birth_date, phone, source, source_id,"
				  " created_at, updated_at) VALUES ($1, $2, $3, 1, 'resident_id', $4, $5,"
				  " $6, $7, $8, $9, 'visit', $10, $11, $11)",
				  "iiittttttii", r->id, r->unit, r->household, r->number, last4, r->name,
				  r->sex, r->birth, r->phone, r->visit, r->at),
			   "persons");
	struct db_copy *b = p->s_person.cp;
	db_copy_int(b, r->id);
	db_copy_int(b, r->unit);
	db_copy_int(b, r->household);
	db_copy_int(b, 1);
	db_copy_text(b, "resident_id");
	db_copy_text(b, r->number);
	db_copy_text(b, last4);
	db_copy_text(b, r->name);
	db_copy_text(b, r->sex);
	db_copy_text(b, r->birth);
	db_copy_text(b, r->phone);
	db_copy_text(b, "visit");
	db_copy_int(b, r->visit);
	db_copy_int(b, r->at);
	db_copy_int(b, r->at);
	return row_end(p, &p->s_person);
}

struct vrow {
	int64_t id, round, household, unit, team, at, user;
	const char *method, *result, *note;
	int found;
};

static int put_visit(struct dp *p, const struct vrow *r, int rix)
{
	p->nvisits[rix]++;
	if (!p->pg)
		return ran(p,
			   db_run(p->c,
				  "INSERT INTO visits(id, round_id, household_id, unit_id, team_id, at,"
				  " method, result, persons_found, note, client_id, created_by, created_at)"
				  " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULL, $11, $6)",
				  "iiiiIittitI", r->id, r->round, r->household, r->unit, r->team, r->at,
				  r->method, r->result, (int64_t)r->found, r->note, r->user),
			   "visits");
	struct db_copy *b = p->s_visit.cp;
	db_copy_int(b, r->id);
	db_copy_int(b, r->round);
	db_copy_int(b, r->household);
	db_copy_int(b, r->unit);
	db_copy_id(b, r->team);
	db_copy_int(b, r->at);
	db_copy_text(b, r->method);
	db_copy_text(b, r->result);
	db_copy_int(b, r->found);
	db_copy_text(b, r->note);
	db_copy_id(b, r->user);
	db_copy_int(b, r->at);
	return row_end(p, &p->s_visit);
}

/* The persons a visit found: n members of a household, whose ids run on
 * from first (on SQLite one statement per visit, not per person). */
static int put_vps(struct dp *p, int64_t visit, int64_t first, int n, int rix)
{
	p->nvp[rix] += n;
	if (!p->pg) {
		int64_t k = db_run(p->c,
				   "INSERT INTO visit_persons(visit_id, person_id) SELECT $1, id FROM persons"
				   " WHERE id >= $2 AND id < $3 ORDER BY id",
				   "iii", visit, first, first + n);
		return k == n ? 0 : dfail(p, k < 0 ? (int)k : ERR_DB, "visit_persons");
	}
	for (int i = 0; i < n; i++) {
		db_copy_int(p->s_vp.cp, visit);
		db_copy_int(p->s_vp.cp, first + i);
		int rc = row_end(p, &p->s_vp);
		if (rc)
			return rc;
	}
	return 0;
}

static const char *const grade_names[] = {"severe", "heavy",  "other_province", "local",
					  "high",   "medium", "low"};

static int put_arrival(struct dp *p, int64_t person, int64_t unit, int origin, int day,
		       const char *mode, int64_t visit, int64_t at)
{
	if (day < 0 || day >= GRADE_DAYS)
		return err_set(p->ei, ERR_INTERNAL, "", "arrival day out of range");
	struct grade_cache *g = &p->grades[origin][day];
	char date[DAY_LEN];
	day_of(day, date);
	if (!g->have) {
		/* Graded once per origin and day, the way the API grades one. */
		int rc = areas_grade_of(p->c, origins[origin].code, date, g->grade, &g->handling,
					&g->rule);
		if (rc)
			return dfail(p, rc, "grading an arrival");
		g->have = 1;
	}
	for (int i = 0; i < NCOUNT(grade_names); i++)
		if (strcmp(grade_names[i], g->grade) == 0)
			p->arr_by_grade[i]++;
	int64_t id = p->next_arrival++;
	if (!p->pg)
		return ran(p,
			   db_run(p->c,
				  "INSERT INTO arrivals(id, person_id, unit_id, origin_code, origin_name,"
				  " arrival_date, mode, grade, handling, risk_area_id, source, source_id,"
				  " created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'visit',"
				  " $11, $12)",
				  "iiitttttt" "Iii", id, person, unit, origins[origin].code,
				  p->origin_name[origin], date, mode, g->grade, g->handling, g->rule, visit,
				  at),
			   "arrivals");
	struct db_copy *b = p->s_arr.cp;
	db_copy_int(b, id);
	db_copy_int(b, person);
	db_copy_int(b, unit);
	db_copy_text(b, origins[origin].code);
	db_copy_text(b, p->origin_name[origin]);
	db_copy_text(b, date);
	db_copy_text(b, mode);
	db_copy_text(b, g->grade);
	db_copy_text(b, g->handling);
	db_copy_id(b, g->rule);
	db_copy_text(b, "visit");
	db_copy_int(b, visit);
	db_copy_int(b, at);
	return row_end(p, &p->s_arr);
}

/* ---- people ---- */

static const char *pick_surname(struct dp *p)
{
	static int total;
	if (!total)
		for (int i = 0; i < NCOUNT(surnames); i++)
			total += surnames[i].w;
	int r = below(&p->rng, total);
	for (int i = 0; i < NCOUNT(surnames); i++) {
		if (r < surnames[i].w)
			return surnames[i].s;
		r -= surnames[i].w;
	}
	return surnames[0].s;
}

static void make_name(struct dp *p, const char *surname, int male, int birth_year, char out[32])
{
	int era = birth_year < 1960 ? 0 : birth_year < 1980 ? 1 : birth_year < 1995 ? 2 : 3;
	if (chance(&p->rng, 600)) {
		const char *g = male ? given_m[era][below(&p->rng, 40)] : given_f[era][below(&p->rng, 40)];
		snprintf(out, 32, "%s%s", surname, g);
	} else if (male) {
		snprintf(out, 32, "%s%s%s", surname, chars_m[below(&p->rng, NCOUNT(chars_m))],
			 chars_m[below(&p->rng, NCOUNT(chars_m))]);
	} else {
		snprintf(out, 32, "%s%s%s", surname, chars_f[below(&p->rng, NCOUNT(chars_f))],
			 chars_f[below(&p->rng, NCOUNT(chars_f))]);
	}
}

static void make_phone(struct dp *p, char out[12])
{
	static const char *const pre[] = {"139", "138", "137", "136", "135", "150", "151", "152",
					  "158", "159", "182", "183", "187", "188", "130", "131",
					  "132", "155", "156", "185", "186", "166", "133", "153",
					  "180", "181", "189", "177", "199", "173", "191", "198"};
	snprintf(out, 12, "%s%08d", pre[below(&p->rng, NCOUNT(pre))], below(&p->rng, 100000000));
}

static int id_seen(struct dp *p, uint64_t key)
{
	size_t i = (size_t)((key * UINT64_C(0x9E3779B97F4A7C15)) >> 20) & (p->idcap - 1);
	while (p->ids[i]) {
		if (p->ids[i] == key)
			return 1;
		i = (i + 1) & (p->idcap - 1);
	}
	p->ids[i] = key;
	return 0;
}

/* A resident ID for someone born on birth (YYYY-MM-DD) registered at code,
 * unique in the demo, checked by the same rules the API applies. */
static int make_id(struct dp *p, const char *code, const char *birth, int male, char out[19])
{
	for (int tries = 0; tries < 1000; tries++) {
		int seq = 2 * between(&p->rng, 0, 498) + (male ? 1 : 2); /* 001..998 */
		char first[18];
		snprintf(first, sizeof first, "%.6s%.4s%.2s%.2s%03d", code, birth, birth + 5, birth + 8,
			 seq);
		uint64_t key = strtoull(first, NULL, 10) + 1;
		if (id_seen(p, key))
			continue;
		memcpy(out, first, 17);
		out[17] = people_id_check_char(first);
		out[18] = 0;
		struct resident_id rid;
		struct err_info ei = {0};
		if (people_resident_id(out, NULL, &rid, "doc_number", &ei) ||
		    strcmp(rid.birth_date, birth) != 0 || rid.sex != (male ? 'M' : 'F'))
			return err_set(p->ei, ERR_INTERNAL, "", "generated ID %s is invalid: %s", out,
				       ei.message);
		return 0;
	}
	return err_set(p->ei, ERR_INTERNAL, "", "no free ID number for %s %s", code, birth);
}

/* A member of a household as generated. */
struct member {
	int male, age;
	char surname[8];
};

/* The members of a household of n: a couple with children, a grandparent
 * or two, adult children with their own children, or someone alone. */
static int compose(struct dp *p, int n, struct member *m)
{
	const char *family = pick_surname(p);
	if (n == 1) {
		m[0].male = chance(&p->rng, 520);
		m[0].age = chance(&p->rng, 400) ? between(&p->rng, 62, 90) : between(&p->rng, 19, 45);
		snprintf(m[0].surname, sizeof m[0].surname, "%s", family);
		return 1;
	}
	int head = chance(&p->rng, 250) ? between(&p->rng, 55, 78) : between(&p->rng, 24, 54);
	int k = 0;
	m[k].male = chance(&p->rng, 880);
	m[k].age = head;
	snprintf(m[k].surname, sizeof m[k].surname, "%s", family);
	k++;
	int couple = n > 2 || chance(&p->rng, 850);
	if (couple) {
		m[k].male = !m[0].male;
		m[k].age = head + between(&p->rng, -4, 4) + (m[0].male ? -2 : 2);
		if (m[k].age < 20)
			m[k].age = 20;
		snprintf(m[k].surname, sizeof m[k].surname, "%s", pick_surname(p));
		k++;
	}
	const char *child_surname = m[0].male ? family : (couple ? m[1].surname : family);
	if (head >= 55) {
		/* an adult child, maybe with a spouse, then grandchildren */
		while (k < n) {
			int a = head - between(&p->rng, 24, 32);
			m[k].male = chance(&p->rng, 500);
			m[k].age = a < 1 ? 1 : a;
			snprintf(m[k].surname, sizeof m[k].surname, "%s", child_surname);
			k++;
			if (k < n && n - k >= 2) {
				m[k].male = !m[k - 1].male;
				m[k].age = m[k - 1].age + between(&p->rng, -3, 3);
				snprintf(m[k].surname, sizeof m[k].surname, "%s", pick_surname(p));
				k++;
			}
			while (k < n && chance(&p->rng, 800)) {
				int g = m[k - 1].age - between(&p->rng, 22, 32);
				m[k].male = chance(&p->rng, 515);
				m[k].age = g < 0 ? between(&p->rng, 0, 6) : g;
				snprintf(m[k].surname, sizeof m[k].surname, "%s", child_surname);
				k++;
			}
		}
		return k;
	}
	/* children, and for bigger households a grandparent or two */
	int grand = n >= 4 && chance(&p->rng, 450) ? (n >= 5 && chance(&p->rng, 500) ? 2 : 1) : 0;
	int kids = n - k - grand;
	for (int i = 0; i < kids; i++) {
		/* born when the head was 22 to 38 */
		int a = head - between(&p->rng, 22, 38);
		m[k].male = chance(&p->rng, 515);
		m[k].age = a >= 0 ? a : between(&p->rng, 0, head > 22 ? head - 22 : 0);
		snprintf(m[k].surname, sizeof m[k].surname, "%s", child_surname);
		k++;
	}
	for (int i = 0; i < grand; i++) {
		m[k].male = i == 0 ? chance(&p->rng, 400) : !m[k - 1].male;
		m[k].age = head + between(&p->rng, 24, 32);
		if (m[k].age > 96)
			m[k].age = 96;
		snprintf(m[k].surname, sizeof m[k].surname, "%s",
			 i == 0 || !m[k].male ? pick_surname(p) : family);
		k++;
	}
	return k;
}

/* ---- setup: areas, units, rounds, teams ---- */

static int risk_areas(struct dp *p)
{
	for (int i = 0; i < NCOUNT(risk_list); i++) {
		char code[7], name[64];
		int rc = areas_resolve(p->c, risk_list[i].code, code, name);
		if (rc != 1)
			return rc < 0 ? dfail(p, rc, "divisions")
				      : err_set(p->ei, ERR_INTERNAL, "", "no division %s", risk_list[i].code);
		/* Listed when the command first met (Hubei's listing reaches
		 * back to the outbreak's start). */
		const char *listed = strcmp(risk_list[i].from, "2020-01-23") < 0 ? "2020-01-23"
										 : risk_list[i].from;
		int64_t at = day_start(listed) + 9 * 3600;
		int64_t n = db_run(p->c,
				   "INSERT INTO risk_areas(unit_id, code, name, grade, valid_from, valid_to,"
				   " note, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
				   "ittttttI", p->district, code, name, risk_list[i].grade,
				   risk_list[i].from, risk_list[i].to, risk_list[i].note, at);
		if (n != 1)
			return dfail(p, (int)n, "risk_areas");
	}
	for (int i = 0; i < NORIGINS; i++) {
		char code[7];
		int rc = areas_resolve(p->c, origins[i].code, code, p->origin_name[i]);
		if (rc != 1)
			return rc < 0 ? dfail(p, rc, "divisions")
				      : err_set(p->ei, ERR_INTERNAL, "", "no division %s", origins[i].code);
	}
	return 0;
}

static int load_units(struct dp *p)
{
	int64_t n = 0;
	if (db_one_int(p->c, &n, "SELECT COUNT(*) FROM units", "") != 1)
		return dfail(p, ERR_DB, "units");
	p->comms = calloc((size_t)n, sizeof *p->comms);
	p->cpds = calloc((size_t)n, sizeof *p->cpds);
	if (!p->comms || !p->cpds)
		return err_set(p->ei, ERR_NOMEM, "", "out of memory");
	/* Communities and villages in id order, each followed by its compounds. */
	struct dbq *q = db_query(p->c,
				 "SELECT u.id, u.kind, u.name, u.parent_id FROM units u"
				 " WHERE u.kind IN ('district', 'community', 'village', 'compound')"
				 " ORDER BY CASE WHEN u.kind = 'compound' THEN u.parent_id ELSE u.id END,"
				 " CASE WHEN u.kind = 'compound' THEN 1 ELSE 0 END, u.id",
				 "");
	if (!q)
		return dfail(p, ERR_DB, "units");
	int rc;
	while ((rc = db_step(q)) == 1) {
		const char *kind = db_text(q, 1);
		if (strcmp(kind, "district") == 0) {
			p->district = db_int(q, 0);
		} else if (strcmp(kind, "compound") == 0) {
			int64_t parent = db_int(q, 3);
			if (!p->ncomms || p->comms[p->ncomms - 1].id != parent)
				continue; /* not under a community: left out */
			struct cpd *u = &p->cpds[p->ncpds];
			u->id = db_int(q, 0);
			u->comm = p->ncomms - 1;
			p->comms[p->ncomms - 1].n++;
			p->ncpds++;
		} else {
			struct comm *m = &p->comms[p->ncomms++];
			m->id = db_int(q, 0);
			snprintf(m->name, sizeof m->name, "%s", db_text(q, 2));
			m->village = strcmp(kind, "village") == 0;
			m->first = p->ncpds;
		}
	}
	db_done(q);
	if (rc < 0)
		return dfail(p, rc, "units");
	if (!p->district || !p->ncpds)
		return err_set(p->ei, ERR_INTERNAL, "", "the demo has no district or no compounds");
	q = db_query(p->c, "SELECT id, name, scope_unit_id FROM users WHERE username = 'grid_worker'",
		     "");
	if (q && db_step(q) == 1) {
		p->grid_user = db_int(q, 0);
		snprintf(p->grid_user_name, sizeof p->grid_user_name, "%s", db_text(q, 1));
		p->grid_cpd = db_int(q, 2);
	}
	db_done(q);
	return 0;
}

/* Households per compound, proportional to a size drawn for each (villages'
 * compounds smaller), summing to R1_HOUSEHOLDS; then each household's size,
 * summing to R1_PERSONS. */
static int plan_sizes(struct dp *p)
{
	double *w = malloc(sizeof *w * (size_t)p->ncpds), total = 0;
	if (!w)
		return err_set(p->ei, ERR_NOMEM, "", "out of memory");
	for (int i = 0; i < p->ncpds; i++) {
		double g = 0;
		for (int k = 0; k < 6; k++)
			g += unit_real(&p->rng);
		g = (g - 3.0) / 0.7071; /* about N(0, 1) */
		int village = p->comms[p->cpds[i].comm].village;
		w[i] = exp((village ? 4.6 : 5.35) + (village ? 0.45 : 0.6) * g);
		if (w[i] < 25)
			w[i] = 25;
		total += w[i];
		p->cpds[i].rural = village && chance(&p->rng, 550);
	}
	int given = 0;
	double *rem = malloc(sizeof *rem * (size_t)p->ncpds);
	if (!rem) {
		free(w);
		return err_set(p->ei, ERR_NOMEM, "", "out of memory");
	}
	for (int i = 0; i < p->ncpds; i++) {
		double share = w[i] * p->r1h / total;
		p->cpds[i].households = (int)share;
		rem[i] = share - (int)share;
		given += p->cpds[i].households;
	}
	while (given < p->r1h) { /* largest remainders */
		int best = 0;
		for (int i = 1; i < p->ncpds; i++)
			if (rem[i] > rem[best])
				best = i;
		p->cpds[best].households++;
		rem[best] = -1;
		given++;
	}
	free(w);
	free(rem);

	p->sizes = malloc((size_t)p->r1h);
	p->hhs = calloc((size_t)p->r1h, sizeof *p->hhs);
	if (!p->sizes || !p->hhs)
		return err_set(p->ei, ERR_NOMEM, "", "out of memory");
	static const int urban[] = {220, 330, 280, 110, 45, 15};   /* 1..6 persons, per mille */
	static const int village[] = {150, 260, 260, 170, 110, 50};
	int64_t persons = 0;
	int h = 0;
	for (int i = 0; i < p->ncpds; i++) {
		const int *dist = p->comms[p->cpds[i].comm].village ? village : urban;
		p->cpds[i].first_hh = h;
		for (int j = 0; j < p->cpds[i].households; j++, h++) {
			p->sizes[h] = (uint8_t)(1 + weighted(&p->rng, dist, 6, 1000));
			persons += p->sizes[h];
		}
	}
	while (persons != p->r1p) {
		int k = below(&p->rng, p->r1h);
		if (persons < p->r1p && p->sizes[k] < 7) {
			p->sizes[k]++;
			persons++;
		} else if (persons > p->r1p && p->sizes[k] > 1) {
			p->sizes[k]--;
			persons--;
		}
	}
	for (int i = 0; i < p->ncpds; i++)
		p->comms[p->cpds[i].comm].households += p->cpds[i].households;
	return 0;
}

static int add_round(struct dp *p, const char *name, const char *from, const char *to,
		     int64_t *id)
{
	struct dbq *q = db_query(p->c,
				 "INSERT INTO screening_rounds(unit_id, name, start_date, end_date, created_at)"
				 " VALUES ($1, $2, $3, $4, $5) RETURNING id",
				 "itttI", p->district, name, from, to, day_start(from) - 15 * 3600);
	int rc = q ? db_step(q) : ERR_DB;
	if (rc == 1)
		*id = db_int(q, 0);
	db_done(q);
	return rc == 1 ? 0 : dfail(p, rc, "screening_rounds");
}

static void adult_name(struct dp *p, int male_per_mille, char out[32])
{
	int male = chance(&p->rng, male_per_mille);
	make_name(p, pick_surname(p), male, between(&p->rng, 1965, 1995), out);
}

/* Teams per community in proportion to its households (at least one, at
 * most one per compound), each given a share of the compounds by size. */
static int make_teams(struct dp *p, int rix, int total)
{
	for (int i = 0; i < p->ncomms; i++)
		p->comms[i].nteams[rix] = p->comms[i].n > 0;
	int given = 0;
	for (int i = 0; i < p->ncomms; i++)
		given += p->comms[i].nteams[rix];
	while (given < total) {
		int best = -1;
		double bw = 0;
		for (int i = 0; i < p->ncomms; i++) {
			struct comm *m = &p->comms[i];
			if (m->nteams[rix] >= m->n)
				continue;
			double load = (double)m->households / m->nteams[rix];
			if (best < 0 || load > bw) {
				best = i;
				bw = load;
			}
		}
		if (best < 0)
			break;
		p->comms[best].nteams[rix]++;
		given++;
	}
	p->nteams[rix] = given;

	static const char sql_team[] =
		"INSERT INTO screening_teams(round_id, unit_id, name, police_name, legal_name,"
		" cadre_name, grid_name, grid_user_id, created_at)"
		" VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
	int64_t created = day_start(rix == 0 ? "2020-01-25" : "2020-02-05") + 10 * 3600;
	int64_t team_ids[64];
	int64_t load[64];
	for (int i = 0; i < p->ncomms; i++) {
		struct comm *m = &p->comms[i];
		int nt = m->nteams[rix] > 64 ? 64 : m->nteams[rix];
		if (!nt)
			continue;
		/* the grid worker's compound: that team carries the account */
		int grid_team = -1;
		/* compounds, biggest first, to the least loaded team */
		int order[256];
		int no = m->n > 256 ? 256 : m->n;
		for (int k = 0; k < no; k++)
			order[k] = m->first + k;
		for (int a = 1; a < no; a++)
			for (int b = a; b > 0 && p->cpds[order[b]].households >
						     p->cpds[order[b - 1]].households;
			     b--) {
				int t = order[b];
				order[b] = order[b - 1];
				order[b - 1] = t;
			}
		int team_of[256];
		for (int t = 0; t < nt; t++)
			load[t] = 0;
		for (int k = 0; k < no; k++) {
			int t = 0;
			for (int u = 1; u < nt; u++)
				if (load[u] < load[t])
					t = u;
			load[t] += p->cpds[order[k]].households;
			team_of[k] = t;
			if (p->cpds[order[k]].id == p->grid_cpd)
				grid_team = t;
		}
		for (int t = 0; t < nt; t++) {
			char name[160], police[32], legal[32], cadre[32], grid[64];
			if (rix == 0)
				snprintf(name, sizeof name, "%s第%d走访组", m->name, t + 1);
			else
				snprintf(name, sizeof name, "%s一托三第%d组", m->name, t + 1);
			adult_name(p, 850, police);
			adult_name(p, 600, legal);
			adult_name(p, 400, cadre);
			adult_name(p, 350, grid);
			int64_t user = t == grid_team ? p->grid_user : 0;
			if (user)
				snprintf(grid, sizeof grid, "%s", p->grid_user_name);
			struct dbq *q = db_query(p->c, sql_team, "iittttt" "Ii", p->round[rix], m->id,
						 name, police, legal, cadre, grid, user, created);
			int rc = q ? db_step(q) : ERR_DB;
			if (rc == 1)
				team_ids[t] = db_int(q, 0);
			db_done(q);
			if (rc != 1)
				return dfail(p, rc, "screening_teams");
		}
		for (int k = 0; k < no; k++) {
			struct cpd *u = &p->cpds[order[k]];
			u->team[rix] = team_ids[team_of[k]];
			u->team_user[rix] = team_of[k] == grid_team ? p->grid_user : 0;
			int64_t n = db_run(p->c, "INSERT INTO team_compounds(team_id, unit_id) VALUES ($1, $2)",
					   "ii", u->team[rix], u->id);
			if (n != 1)
				return dfail(p, (int)n, "team_compounds");
		}
	}
	return 0;
}

/* ---- addresses ---- */

struct addr_gen {
	int rural;
	int floors, units, rooms; /* per floor per entrance */
	int b, u, f, r;           /* the next flat */
};

static void addr_init(struct dp *p, struct addr_gen *a, const struct cpd *u)
{
	memset(a, 0, sizeof *a);
	a->rural = u->rural;
	static const int floors[] = {6, 6, 6, 7, 11, 11, 18, 18, 26, 33};
	a->floors = floors[below(&p->rng, NCOUNT(floors))];
	a->units = a->floors <= 7 ? between(&p->rng, 2, 4) : between(&p->rng, 1, 2);
	a->rooms = a->floors <= 7 ? 2 : between(&p->rng, 2, 4);
	a->b = 1;
	a->u = 1;
	a->f = 1;
	a->r = 1;
}

static void addr_next(struct dp *p, struct addr_gen *a, char out[64])
{
	if (a->rural) {
		/* 村民小组 and house number; some numbers have nobody registered */
		a->r += chance(&p->rng, 120) ? 2 : 1;
		if (a->r > 60) {
			a->r = 1;
			a->b++;
		}
		snprintf(out, 64, "%d组%d号", a->b, a->r);
		return;
	}
	for (;;) {
		/* advance first, so unregistered flats leave gaps */
		int b = a->b, u = a->u, f = a->f, r = a->r;
		if (++a->r > a->rooms) {
			a->r = 1;
			if (++a->f > a->floors) {
				a->f = 1;
				if (++a->u > a->units) {
					a->u = 1;
					a->b++;
				}
			}
		}
		if (chance(&p->rng, 90))
			continue; /* vacant or not registered */
		snprintf(out, 64, "%d号楼%d单元%d%02d", b, u, f, r);
		return;
	}
}

/* ---- round 1: households, persons, visits, arrivals ---- */

/* How round 1 reached a household: mostly at the door. */
static const char *pick_method(struct dp *p)
{
	int r = below(&p->rng, 1000);
	return r < 880 ? "door" : r < 920 ? "phone" : "app";
}

static const char *pick_mode(struct dp *p)
{
	int r = below(&p->rng, 100);
	return r < 40 ? "car" : r < 75 ? "train" : r < 95 ? "plane" : "other";
}

static int pick_origin(struct dp *p, int cat)
{
	int total = 0;
	for (int i = 0; i < NORIGINS; i++)
		if (origins[i].cat == cat)
			total += origins[i].w;
	int r = below(&p->rng, total);
	for (int i = 0; i < NORIGINS; i++) {
		if (origins[i].cat != cat)
			continue;
		if (r < origins[i].w)
			return i;
		r -= origins[i].w;
	}
	return 0;
}

/* The ID address code of a resident who did not come from elsewhere. */
static const char *home_code(struct dp *p, int birth_year)
{
	int r = below(&p->rng, 1000);
	if (birth_year >= 2003)
		return r < 930 ? "640106" : codes_ningxia[below(&p->rng, NCOUNT(codes_ningxia))];
	if (r < 640)
		return "640106";
	if (r < 880)
		return codes_ningxia[below(&p->rng, NCOUNT(codes_ningxia))];
	return codes_moved[below(&p->rng, NCOUNT(codes_moved))];
}

static int phone_odds(int age)
{
	return age < 14 ? 0 : age < 18 ? 450 : age <= 65 ? 960 : age <= 75 ? 700 : age <= 85 ? 350 : 150;
}

/* The day of the k-th of n households in a compound's round schedule. */
static int visit_day(const struct cpd *u, int rix, int k, int n)
{
	return u->day0[rix] + (int)((int64_t)k * u->span[rix] / (n ? n : 1));
}

static int r2_visits(struct dp *p, int h, int j, struct vrow v[2]);

static int round1(struct dp *p)
{
	const int r1_first = 25, r1_last = 35; /* 2020-01-26 .. 2020-02-05 */
	int64_t registered = at_of(p, 24, 9 * 60);
	int cat_odds[O_NCAT], cat_total = 0;
	for (int c = 0; c < O_NCAT; c++) {
		cat_odds[c] = arr_households[c];
		cat_total += arr_households[c];
	}
	struct member m[8];
	int h = 0;
	for (int ci = 0; ci < p->ncpds; ci++) {
		struct cpd *u = &p->cpds[ci];
		u->day0[0] = between(&p->rng, r1_first, r1_last - 3);
		u->span[0] = 1 + u->households / 180;
		if (u->day0[0] + u->span[0] > r1_last + 1)
			u->span[0] = r1_last + 1 - u->day0[0];
		struct addr_gen ag;
		addr_init(p, &ag, u);
		for (int j = 0; j < u->households; j++, h++) {
			int n = p->sizes[h];
			struct hh *rec = &p->hhs[h];
			rec->id = p->next_hh++;
			char addr[64];
			addr_next(p, &ag, addr);

			/* the visits: straight in, or empty / refused first */
			int day = visit_day(u, 0, j, u->households);
			int minute = between(&p->rng, 8 * 60 + 30, 19 * 60);
			int r = below(&p->rng, 1000);
			const char *first = r < 25 ? "empty" : r < 29 ? "refused" : NULL;
			int64_t first_at = at_of(p, day, minute);
			if (first) {
				int again = day + between(&p->rng, 1, 3);
				if (again > r1_last)
					again = r1_last;
				if (again == day)
					minute = minute + 90 > 22 * 60 ? 22 * 60 : minute + 90;
				else
					minute = between(&p->rng, 8 * 60 + 30, 20 * 60);
				day = again;
			}
			/* The household as the visits leave it: its newest visit (in
			 * round 2 when it had one) sets its status and time. */
			struct vrow later[2];
			int nlater = r2_visits(p, h, j, later);
			int64_t last_at = nlater ? later[nlater - 1].at : at_of(p, day, minute);
			int empty = nlater && strcmp(later[nlater - 1].result, "empty") == 0;
			int rc = put_household(p, rec->id, u->id, addr, n, empty ? "empty" : "occupied",
					       registered, last_at);
			if (rc)
				return rc;
			struct vrow v = {.round = p->round[0], .household = rec->id, .unit = u->id,
					 .team = u->team[0], .user = u->team_user[0]};
			if (first) {
				v.id = p->next_visit++;
				v.at = first_at;
				v.method = "door";
				v.result = first;
				v.note = first[0] == 'e' ? "敲门无人应答，已张贴告知书，待复查"
							 : "住户拒绝开门配合登记，已报社区和民警";
				v.found = 0;
				if ((rc = put_visit(p, &v, 0)))
					return rc;
			}
			/* arrivals: does this household have someone from elsewhere? */
			int cat = -1, origin = -1, all = 0, foreign = 0;
			/* per household as at scale 1: arrivals grow with the population */
			if (below(&p->rng, R1_HOUSEHOLDS) < cat_total) {
				cat = weighted(&p->rng, cat_odds, O_NCAT, cat_total);
				origin = pick_origin(p, cat);
				all = n == 1 || chance(&p->rng, 600);
				foreign = cat != O_LOCAL ? chance(&p->rng, 650) : chance(&p->rng, 800);
			}
			v.id = p->next_visit++;
			v.at = at_of(p, day, minute);
			v.method = first ? "door" : pick_method(p);
			if (strcmp(v.method, "app") == 0) {
				v.team = 0; /* a resident's self-entry */
				v.user = 0;
			}
			v.result = "visited";
			v.note = first ? (first[0] == 'e' ? "复查：住户已返回，完成登记"
							 : "民警陪同复访，已完成登记")
				       : cat >= 0 ? (cat <= O_HEAVY ? "有重点地区来银人员，已登记并上报"
								  : "有外地返银人员，已登记并告知健康监测要求")
						  : NULL;
			v.found = n;
			if ((rc = put_visit(p, &v, 0)))
				return rc;

			int nm = compose(p, n, m);
			rec->first_person = p->next_person;
			int arr_day = -1;
			if (cat >= 0) {
				int lo = arr_days[cat][0], hi = arr_days[cat][1];
				if (hi > day)
					hi = day;
				if (lo > hi)
					lo = hi - 3;
				arr_day = between(&p->rng, lo, hi);
			}
			const char *mode = pick_mode(p);
			int first_arr = all ? 0 : below(&p->rng, nm);
			for (int k = 0; k < nm; k++) {
				struct member *x = &m[k];
				int birth_day = 19 /* 2020-01-20 */ - x->age * 365 - x->age / 4 -
						below(&p->rng, 365);
				char birth[DAY_LEN];
				day_of(birth_day, birth);
				int year = atoi(birth);
				int arrives = cat >= 0 && (all || k == first_arr);
				const char *code = arrives && foreign ? origins[origin].code
									 : home_code(p, year);
				char number[19], name[32], phone[12];
				if ((rc = make_id(p, code, birth, x->male, number)))
					return rc;
				make_name(p, x->surname, x->male, year, name);
				int has_phone = chance(&p->rng, phone_odds(x->age));
				if (has_phone) {
					make_phone(p, phone);
					p->nphones++;
				}
				struct prow pr = {.id = p->next_person++, .unit = u->id, .household = rec->id,
						  .visit = v.id, .at = v.at, .number = number, .name = name,
						  .sex = x->male ? "M" : "F", .birth = birth,
						  .phone = has_phone ? phone : NULL};
				if ((rc = put_person(p, &pr)))
					return rc;
				if (arrives &&
				    (rc = put_arrival(p, pr.id, u->id, origin, arr_day, mode, v.id, v.at)))
					return rc;
			}
			if (nm != n)
				return err_set(p->ei, ERR_INTERNAL, "", "household of %d composed as %d", n, nm);
			if ((rc = put_vps(p, v.id, rec->first_person, n, 0)))
				return rc;
		}
		if (p->progress && h / 50000 != (h - u->households) / 50000) {
			char a[32], b[32];
			fmt_n(h, a);
			fmt_n(p->next_person - p->first_person, b);
			fprintf(p->progress, "  round 1: %s households, %s persons (%.1f s)\n", a, b,
				elapsed(p));
			fflush(p->progress);
		}
	}
	p->nhh = h;
	return flush_all(p);
}

/* ---- round 2 ---- */

/* Which households round 2 has not reached yet (the tail of compounds the
 * teams had not finished, empties waiting for a re-check, a few refusals),
 * and which members of the others were away, so that the round reaches
 * exactly R2_HOUSEHOLDS households and R2_PERSONS persons. */
static int plan_round2(struct dp *p)
{
	const int first_day = 36, last_day = 45; /* 2020-02-06 .. 2020-02-15 */
	for (int ci = 0; ci < p->ncpds; ci++) {
		struct cpd *u = &p->cpds[ci];
		u->day0[1] = between(&p->rng, first_day, last_day - 2);
		u->span[1] = 1 + u->households / 200;
		if (u->day0[1] + u->span[1] > last_day + 1)
			u->span[1] = last_day + 1 - u->day0[1];
		for (int j = 0; j < u->households; j++) {
			p->hhs[u->first_hh + j].cpd = ci;
			p->hhs[u->first_hh + j].size = p->sizes[u->first_hh + j];
		}
	}
	p->nhh = p->r1h;
	p->seed2 = rnd(&p->rng);
	int unreached = p->r1h - p->r2h;
	int not_visited = unreached - p->r2_empty - p->r2_refused;
	int *order = malloc(sizeof *order * (size_t)p->ncpds);
	if (!order)
		return err_set(p->ei, ERR_NOMEM, "", "out of memory");
	for (int i = 0; i < p->ncpds; i++)
		order[i] = i;
	for (int i = p->ncpds - 1; i > 0; i--) {
		int j = below(&p->rng, i + 1);
		int t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	for (int i = 0; i < p->ncpds && not_visited > 0; i++) {
		struct cpd *u = &p->cpds[order[i]];
		int take = u->households * between(&p->rng, 25, 70) / 100;
		if (take > not_visited)
			take = not_visited;
		for (int k = u->households - take; k < u->households; k++)
			p->hhs[u->first_hh + k].r2 = R2_NOT_VISITED;
		not_visited -= take;
	}
	free(order);
	for (int left = p->r2_empty + p->r2_refused; left > 0;) {
		struct hh *x = &p->hhs[below(&p->rng, p->nhh)];
		if (x->r2 != R2_REACHED)
			continue;
		x->r2 = left > p->r2_refused ? R2_EMPTY : R2_REFUSED_ONLY;
		left--;
	}
	int64_t reachable = 0;
	for (int i = 0; i < p->nhh; i++)
		if (p->hhs[i].r2 == R2_REACHED)
			reachable += p->hhs[i].size;
	int64_t away = reachable - p->r2p;
	if (away < 0)
		return err_set(p->ei, ERR_INTERNAL, "", "round 2 cannot reach %d persons", p->r2p);
	while (away > 0) {
		struct hh *x = &p->hhs[below(&p->rng, p->nhh)];
		if (x->r2 != R2_REACHED || x->away + 1 >= x->size)
			continue;
		x->away++;
		away--;
	}
	return 0;
}

/* The round-2 visits of household h (the j-th of its compound): none, one
 * (found, or empty / refused and not yet visited again) or two (empty or
 * refused, then found at a re-check). Drawn from the household's own
 * random stream, so round 1 can write the household as round 2 leaves it
 * and round 2 draw the same visits again. Ids are not set. */
static int r2_visits(struct dp *p, int h, int j, struct vrow v[2])
{
	const int last_day = 45; /* 2020-02-15 */
	const struct hh *x = &p->hhs[h];
	const struct cpd *u = &p->cpds[x->cpd];
	if (x->r2 == R2_NOT_VISITED)
		return 0;
	uint64_t rng = p->seed2 ^ ((uint64_t)(h + 1) * UINT64_C(0xD1B54A32D192ED03));
	int day = visit_day(u, 1, j, u->households);
	int minute = between(&rng, 8 * 60 + 30, 19 * 60 + 30);
	int r = below(&rng, 1000);
	const char *first = x->r2 == R2_EMPTY	       ? "empty"
			    : x->r2 == R2_REFUSED_ONLY ? "refused"
			    : r < 20		       ? "empty"
			    : r < 23		       ? "refused"
						       : NULL;
	int n = 0;
	struct vrow base = {.round = p->round[1], .household = x->id, .unit = u->id,
			    .team = u->team[1], .user = u->team_user[1]};
	if (first) {
		v[n] = base;
		v[n].at = at_of(p, day, minute);
		v[n].method = "door";
		v[n].result = first;
		v[n].note = first[0] == 'e' ? "二次走访无人应答，已电话联系，待复查"
					    : "住户拒绝配合精准摸排，已报社区民警";
		v[n].found = 0;
		n++;
		if (x->r2 != R2_REACHED)
			return n;
		int again = day + between(&rng, 1, 2);
		if (again > last_day)
			again = last_day;
		if (again == day)
			minute = minute + 120 > 22 * 60 ? 22 * 60 : minute + 120;
		else
			minute = between(&rng, 8 * 60 + 30, 20 * 60);
		day = again;
	}
	v[n] = base;
	v[n].at = at_of(p, day, minute);
	int m = below(&rng, 1000);
	v[n].method = first ? "door" : m < 550 ? "door" : m < 700 ? "phone" : "app";
	if (strcmp(v[n].method, "app") == 0) {
		v[n].team = 0; /* a resident's self-entry */
		v[n].user = 0;
	}
	v[n].result = "visited";
	v[n].found = x->size - x->away;
	v[n].note = first ? (first[0] == 'e' ? "复查：住户已返回，完成核实" : "民警陪同复访，已完成核实")
		    : x->away ? "部分家庭成员外出未归，已电话核实"
			      : NULL;
	return n + 1;
}

static int round2(struct dp *p)
{
	int h = 0;
	for (int ci = 0; ci < p->ncpds; ci++) {
		struct cpd *u = &p->cpds[ci];
		for (int j = 0; j < u->households; j++, h++) {
			struct hh *x = &p->hhs[h];
			struct vrow v[2];
			int n = r2_visits(p, h, j, v);
			for (int k = 0; k < n; k++) {
				v[k].household = x->id;
				v[k].id = p->next_visit++;
				int rc = put_visit(p, &v[k], 1);
				/* who was away: the last members (never the first) */
				if (!rc && v[k].found)
					rc = put_vps(p, v[k].id, x->first_person, v[k].found, 1);
				if (rc)
					return rc;
			}
		}
	}
	return flush_all(p);
}

/* ---- secondary indexes, built after the load ---- */

/* The tables the population fills. Their secondary indexes (not those
 * behind a primary key or UNIQUE constraint) are dropped before the load and
 * built again after it from the definitions the catalog held, which is
 * several times faster than keeping them up to date row by row (persons:
 * 7.7 s with its indexes, 3.0 s loaded bare and indexed after). */
static const char *const bulk_tables[] = {"households",	 "persons",	     "person_facts",
					  "arrivals",	 "visits",	     "visit_persons",
					  "round_households", "round_persons", "round_coverage",
					  "unit_households"};

/* An index (or, on PostgreSQL, a foreign key: table set) to make again. */
struct saved_index {
	char name[64];
	const char *table;
	char *sql;
};

static int plain_ident(const char *s)
{
	if (!*s || strlen(s) >= 64)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return 1;
}

static int indexes_drop(struct dp *p, struct saved_index *out, int cap, int *n)
{
	*n = 0;
	for (int t = 0; t < NCOUNT(bulk_tables); t++) {
		struct dbq *q =
			p->pg ? db_query(p->c,
					 "SELECT i.indexname, i.indexdef FROM pg_indexes i"
					 " WHERE i.schemaname = current_schema() AND i.tablename = $1"
					 " AND NOT EXISTS (SELECT 1 FROM pg_constraint c"
					 " WHERE c.conname = i.indexname) ORDER BY i.indexname",
					 "t", bulk_tables[t])
			      : db_query(p->c,
					 "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
					 " AND tbl_name = $1 AND sql IS NOT NULL ORDER BY name",
					 "t", bulk_tables[t]);
		if (!q)
			return dfail(p, ERR_DB, "reading indexes");
		int rc;
		while ((rc = db_step(q)) == 1 && *n < cap) {
			const char *name = db_text(q, 0);
			if (!plain_ident(name))
				continue; /* left in place */
			snprintf(out[*n].name, sizeof out[*n].name, "%s", name);
			out[*n].table = bulk_tables[t];
			out[*n].sql = strdup(db_text(q, 1));
			if (!out[*n].sql) {
				db_done(q);
				return err_set(p->ei, ERR_NOMEM, "", "out of memory");
			}
			(*n)++;
		}
		db_done(q);
		if (rc < 0)
			return dfail(p, rc, "reading indexes");
	}
	for (int i = 0; i < *n; i++) {
		char sql[96];
		snprintf(sql, sizeof sql, "DROP INDEX %.63s", out[i].name);
		if (db_exec(p->c, sql))
			return dfail(p, ERR_DB, sql);
	}
	/* PostgreSQL checks each foreign key of each row with a locking query
	 * (round_persons alone: 52 s); re-adding the constraint after checks
	 * them all in one join. SQLite's checks are cheap and stay. */
	for (int t = 0; p->pg && t < NCOUNT(bulk_tables); t++) {
		struct dbq *q = db_query(p->c,
					 "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
					 " WHERE contype = 'f' AND conrelid = CAST($1 AS regclass)"
					 " ORDER BY conname",
					 "t", bulk_tables[t]);
		if (!q)
			return dfail(p, ERR_DB, "reading foreign keys");
		int rc;
		int first = *n;
		while ((rc = db_step(q)) == 1 && *n < cap) {
			const char *name = db_text(q, 0);
			if (!plain_ident(name))
				continue;
			struct buf b = {0};
			buf_printf(&b, "ALTER TABLE %s ADD CONSTRAINT %s %s", bulk_tables[t], name,
				   db_text(q, 1));
			snprintf(out[*n].name, sizeof out[*n].name, "%s", name);
			out[*n].table = bulk_tables[t];
			out[*n].sql = buf_take(&b, NULL);
			if (!out[*n].sql) {
				db_done(q);
				return err_set(p->ei, ERR_NOMEM, "", "out of memory");
			}
			(*n)++;
		}
		db_done(q);
		if (rc < 0)
			return dfail(p, rc, "reading foreign keys");
		for (int i = first; i < *n; i++) {
			char sql[160];
			snprintf(sql, sizeof sql, "ALTER TABLE %s DROP CONSTRAINT %.63s", bulk_tables[t],
				 out[i].name);
			if (db_exec(p->c, sql))
				return dfail(p, ERR_DB, sql);
		}
	}
	return 0;
}

/* The tables derive() fills from the others. */
static int derived_table(const char *t)
{
	return strncmp(t, "round_", 6) == 0 || strcmp(t, "unit_households") == 0 ||
	       strcmp(t, "person_facts") == 0;
}

/* Builds the saved indexes (and foreign keys) of the loaded tables
 * (derived 0), which derive() reads through, or of the derived ones
 * (derived 1), after them. */
static int indexes_build(struct dp *p, struct saved_index *ix, int n, int derived)
{
	int built = 0;
	for (int i = 0; i < n; i++) {
		if (!ix[i].sql || derived_table(ix[i].table) != derived)
			continue;
		if (db_exec(p->c, ix[i].sql))
			return dfail(p, ERR_DB, ix[i].name);
		free(ix[i].sql);
		ix[i].sql = NULL;
		built++;
	}
	SAY(p->progress, "  %d indexes%s built (%.1f s)\n", built,
			p->pg ? " and foreign keys" : "", elapsed(p));
	return 0;
}

/* ---- counters from the records ----
 * What screening_visit_store and people_upsert keep row by row, computed
 * once over everything: households reached in a round are those with a
 * visit that found someone; persons are counted once per round; empties
 * pending are households whose newest visit in the round found nobody. */

/* Runs one derivation and notes "what 1.2 s" in p->timing. */
static int run_sql(struct dp *p, const char *sql, const char *what)
{
	double t0 = clock_ms();
	int64_t n = db_run(p->c, sql, "");
	if (n < 0)
		return dfail(p, (int)n, what);
	size_t len = strlen(p->timing);
	snprintf(p->timing + len, sizeof p->timing - len, "%s%s %.1f s", len ? ", " : "", what,
		 (clock_ms() - t0) / 1000.0);
	return 0;
}

static int derive(struct dp *p)
{
	int rc;
	/* Facts: what the visit told the registry (people_upsert's facts). */
	if ((rc = run_sql(p,
			  "INSERT INTO person_facts(person_id, field, value, source, source_id, at)"
			  " SELECT id, 'name', name, source, source_id, created_at FROM persons"
			  " WHERE source = 'visit' ORDER BY id",
			  "person_facts")) ||
	    (rc = run_sql(p,
			  "INSERT INTO person_facts(person_id, field, value, source, source_id, at)"
			  " SELECT id, 'phone', phone, source, source_id, created_at FROM persons"
			  " WHERE source = 'visit' AND phone IS NOT NULL ORDER BY id",
			  "person_facts")) ||
	    (rc = run_sql(p,
			  "INSERT INTO person_facts(person_id, field, value, source, source_id, at)"
			  " SELECT id, 'household_id', CAST(household_id AS TEXT), source, source_id,"
			  " created_at FROM persons WHERE source = 'visit' AND household_id IS NOT NULL"
			  " ORDER BY id",
			  "person_facts")))
		return rc;
	SAY(p->progress, "  person facts written (%.1f s)\n", elapsed(p));
	p->timing[0] = 0;
	/* Households and persons per unit and every unit above it. */
	if ((rc = run_sql(p,
			  "INSERT INTO unit_households(unit_id, households, persons)"
			  " SELECT t.ancestor_id, SUM(x.h), SUM(x.n) FROM ("
			  "  SELECT unit_id, COUNT(*) AS h, 0 AS n FROM households GROUP BY unit_id"
			  "  UNION ALL"
			  "  SELECT unit_id, 0, COUNT(*) FROM persons WHERE merged_into IS NULL"
			  "  GROUP BY unit_id) x"
			  " JOIN unit_tree t ON t.unit_id = x.unit_id GROUP BY t.ancestor_id",
			  "unit_households")))
		return rc;
	/* Arrivals per unit (and every unit above), day and grade. */
	double t0 = clock_ms();
	if ((rc = people_arrival_counts_rebuild(p->c)))
		return dfail(p, rc, "arrival_counts");
	size_t len = strlen(p->timing);
	snprintf(p->timing + len, sizeof p->timing - len, ", arrival_counts %.1f s",
		 (clock_ms() - t0) / 1000.0);
	/* Each household's state in each round (screening_visit_store): its
	 * visits, the latest one's result and time, and whether it waits for a
	 * re-check (latest result empty, not confirmed empty). A household's
	 * visits in a round have distinct times. */
	if ((rc = run_sql(p,
			  "INSERT INTO round_households(round_id, household_id, unit_id, visits,"
			  " last_result, last_at, pending_empty, visited_at)"
			  " SELECT g.round_id, g.household_id, v.unit_id, g.n, v.result, v.at,"
			  " CASE WHEN v.result = 'empty' AND h.empty_confirmed = 0 THEN 1 ELSE 0 END,"
			  " g.visited_at"
			  " FROM (SELECT round_id, household_id, COUNT(*) AS n, MAX(at) AS last_at,"
			  "  MIN(CASE WHEN result = 'visited' THEN at END) AS visited_at"
			  "  FROM visits GROUP BY round_id, household_id) g"
			  " JOIN visits v ON v.round_id = g.round_id AND v.household_id = g.household_id"
			  " AND v.at = g.last_at JOIN households h ON h.id = g.household_id",
			  "round_households")))
		return rc;
	/* each person once per round, found by the round's first visit to them */
	if ((rc = run_sql(p,
			  "INSERT INTO round_persons(round_id, person_id, unit_id, found_at)"
			  " SELECT v.round_id, vp.person_id, MIN(p.unit_id), MIN(v.at)"
			  " FROM visit_persons vp"
			  " JOIN visits v ON v.id = vp.visit_id JOIN persons p ON p.id = vp.person_id"
			  " GROUP BY v.round_id, vp.person_id",
			  "round_persons")))
		return rc;
	if ((rc = run_sql(p,
			  "INSERT INTO round_coverage(round_id, unit_id, households_visited, persons,"
			  " empties_pending)"
			  " SELECT x.round_id, t.ancestor_id, SUM(x.hv), SUM(x.n), SUM(x.ep) FROM ("
			  "  SELECT round_id, unit_id, COUNT(DISTINCT household_id) AS hv, 0 AS n,"
			  "  0 AS ep FROM visits WHERE result = 'visited' GROUP BY round_id, unit_id"
			  "  UNION ALL"
			  "  SELECT round_id, unit_id, 0, 0, SUM(pending_empty) FROM round_households"
			  "  GROUP BY round_id, unit_id"
			  "  UNION ALL"
			  "  SELECT round_id, unit_id, 0, COUNT(*), 0 FROM round_persons"
			  "  GROUP BY round_id, unit_id) x"
			  " JOIN unit_tree t ON t.unit_id = x.unit_id GROUP BY x.round_id, t.ancestor_id",
			  "round_coverage")))
		return rc;
	if ((rc = screening_days_rebuild(p->c)))
		return dfail(p, rc, "round_days");
	SAY(p->progress, "  counters derived from the records: %s (%.1f s)\n", p->timing, elapsed(p));
	if (p->pg) {
		/* explicit ids: move the identity sequences past them */
		static const char *const tables[] = {"households", "persons", "visits", "arrivals"};
		for (int i = 0; i < NCOUNT(tables); i++) {
			char sql[256];
			snprintf(sql, sizeof sql,
				 "SELECT setval(pg_get_serial_sequence('%s', 'id'),"
				 " COALESCE((SELECT MAX(id) FROM %s), 0) + 1, false)",
				 tables[i], tables[i]);
			if (db_one_int(p->c, NULL, sql, "") < 0)
				return dfail(p, ERR_DB, tables[i]);
		}
	}
	return 0;
}

/* The bulletin's round figures, read from round_coverage for the district
 * and recomputed from the visits; any difference fails the demo. */
static int verify(struct dp *p)
{
	const int64_t want[2][2] = {{p->r1h, p->r1p}, {p->r2h, p->r2p}};
	for (int r = 0; r < 2; r++) {
		int64_t cov_h = -1, cov_p = -1, cov_e = -1, vis_h = -1, vis_p = -1;
		struct dbq *q = db_query(p->c,
					 "SELECT households_visited, persons, empties_pending FROM round_coverage"
					 " WHERE round_id = $1 AND unit_id = $2",
					 "ii", p->round[r], p->district);
		if (q && db_step(q) == 1) {
			cov_h = db_int(q, 0);
			cov_p = db_int(q, 1);
			cov_e = db_int(q, 2);
		}
		db_done(q);
		if (db_one_int(p->c, &vis_h,
			       "SELECT COUNT(DISTINCT household_id) FROM visits"
			       " WHERE round_id = $1 AND result = 'visited'",
			       "i", p->round[r]) != 1 ||
		    db_one_int(p->c, &vis_p,
			       "SELECT COUNT(DISTINCT vp.person_id) FROM visit_persons vp"
			       " JOIN visits v ON v.id = vp.visit_id WHERE v.round_id = $1",
			       "i", p->round[r]) != 1)
			return dfail(p, ERR_DB, "counting visits");
		char a[32], b[32], c[32], d[32], e[32];
		fmt_n(cov_h, a);
		fmt_n(cov_p, b);
		fmt_n(vis_h, c);
		fmt_n(vis_p, d);
		fmt_n(cov_e, e);
		if (p->progress)
			fprintf(p->progress,
				"  round %d: coverage %s households / %s persons (%s empties pending);"
				" from the visits %s / %s\n",
				r + 1, a, b, e, c, d);
		if (cov_h != want[r][0] || cov_p != want[r][1] || vis_h != want[r][0] ||
		    vis_p != want[r][1])
			return err_set(p->ei, ERR_INTERNAL, "",
				       "round %d reached %s households / %s persons (visits: %s / %s);"
				       " the bulletin says %" PRId64 " / %" PRId64,
				       r + 1, a, b, c, d, want[r][0], want[r][1]);
	}
	int64_t uh = -1, up = -1;
	struct dbq *q = db_query(p->c, "SELECT households, persons FROM unit_households WHERE unit_id = $1",
				 "i", p->district);
	if (q && db_step(q) == 1) {
		uh = db_int(q, 0);
		up = db_int(q, 1);
	}
	db_done(q);
	if (uh != p->r1h || up != p->r1p)
		return err_set(p->ei, ERR_INTERNAL, "",
			       "the district registers %" PRId64 " households / %" PRId64 " persons",
			       uh, up);
	return 0;
}

int demo_people(struct dbc *c, uint64_t seed, FILE *progress, struct err_info *ei)
{
	struct dp *p = calloc(1, sizeof *p);
	if (!p)
		return err_set(ei, ERR_NOMEM, "", "out of memory");
	p->c = c;
	p->pg = strcmp(db_backend(c), "sqlite") != 0;
	p->rng = seed;
	p->progress = progress;
	p->ei = ei;
	p->t0 = clock_ms();
	p->day0_2020 = day_start("2020-01-01");
	p->s_hh = (struct sink){.table = "households",
				.cols = "id, unit_id, address, status, members, empty_confirmed,"
					" created_at, updated_at"};
	p->s_person = (struct sink){.table = "persons",
				    .cols = "id, unit_id, household_id, located, doc_type, doc_number,"
					    " doc_last4, name, sex, birth_date, phone, source, source_id,"
					    " created_at, updated_at"};
	p->s_visit = (struct sink){.table = "visits",
				   .cols = "id, round_id, household_id, unit_id, team_id, at, method,"
					   " result, persons_found, note, created_by, created_at"};
	p->s_vp = (struct sink){.table = "visit_persons", .cols = "visit_id, person_id"};
	p->s_arr = (struct sink){.table = "arrivals",
				 .cols = "id, person_id, unit_id, origin_code, origin_name, arrival_date,"
					 " mode, grade, handling, risk_area_id, source, source_id,"
					 " created_at"};
	p->scale = demo_scale();
	p->r1h = R1_HOUSEHOLDS * p->scale;
	p->r1p = R1_PERSONS * p->scale;
	p->r2h = R2_HOUSEHOLDS * p->scale;
	p->r2p = R2_PERSONS * p->scale;
	p->r2_empty = R2_EMPTY_PENDING * p->scale;
	p->r2_refused = R2_REFUSED * p->scale;
	/* the set of ID prefixes stays under half full */
	p->idcap = (size_t)1 << 21;
	while (p->idcap < (size_t)p->r1p * 3)
		p->idcap <<= 1;
	p->ids = calloc(p->idcap, sizeof *p->ids);
	int rc = p->ids ? 0 : err_set(ei, ERR_NOMEM, "", "out of memory");
	struct sink *sinks[] = {&p->s_hh, &p->s_person, &p->s_visit, &p->s_vp, &p->s_arr};
	for (int i = 0; !rc && p->pg && i < NCOUNT(sinks); i++)
		rc = sink_open(p, sinks[i]);
	static const struct {
		const char *table;
		size_t off;
	} seqs[] = {{"households", offsetof(struct dp, next_hh)},
		    {"persons", offsetof(struct dp, next_person)},
		    {"visits", offsetof(struct dp, next_visit)},
		    {"arrivals", offsetof(struct dp, next_arrival)}};
	for (int i = 0; !rc && i < NCOUNT(seqs); i++) {
		char sql[96];
		int64_t *next = (int64_t *)((char *)p + seqs[i].off);
		snprintf(sql, sizeof sql, "SELECT COALESCE(MAX(id), 0) + 1 FROM %s", seqs[i].table);
		if (db_one_int(c, next, sql, "") != 1)
			rc = dfail(p, ERR_DB, seqs[i].table);
	}
	p->first_person = p->next_person;
	if (!rc)
		rc = load_units(p);
	if (!rc)
		rc = risk_areas(p);
	if (!rc)
		rc = plan_sizes(p);
	if (!rc)
		rc = add_round(p, "第一轮走访摸排", "2020-01-26", "2020-02-05", &p->round[0]);
	if (!rc)
		rc = add_round(p, "第二轮精准摸排", "2020-02-06", "2020-02-15", &p->round[1]);
	if (!rc)
		rc = make_teams(p, 0, R1_TEAMS);
	if (!rc)
		rc = make_teams(p, 1, R2_TEAMS);
	if (!rc && progress) {
		fprintf(progress,
			"population: %d risk areas; rounds 1 and 2 with %d and %d 一托三 teams over %d"
			" compounds\n",
			NCOUNT(risk_list), p->nteams[0], p->nteams[1], p->ncpds);
		fflush(progress);
	}
	/* PostgreSQL: room to sort and hash the derivations and index builds
	 * in memory, for this transaction only */
	if (!rc && p->pg &&
	    db_exec(c, "SET LOCAL work_mem = '256MB'; SET LOCAL maintenance_work_mem = '512MB'"))
		rc = dfail(p, ERR_DB, "settings");
	struct saved_index ix[96];
	int nix = 0;
	memset(ix, 0, sizeof ix);
	if (!rc)
		rc = indexes_drop(p, ix, NCOUNT(ix), &nix);
	if (!rc)
		rc = plan_round2(p);
	if (!rc)
		rc = round1(p);
	if (!rc)
		rc = round2(p);
	if (!rc && progress) {
		char a[32], b[32], c1[32], d[32], e[32], f[32], g[32];
		fmt_n(p->nhh, a);
		fmt_n(p->next_person - p->first_person, b);
		fmt_n(p->nvisits[0], c1);
		fmt_n(p->nvisits[1], d);
		fmt_n(p->nvp[0] + p->nvp[1], e);
		fmt_n(p->nphones, f);
		int64_t arr = 0;
		for (int i = 0; i < 7; i++)
			arr += p->arr_by_grade[i];
		fmt_n(arr, g);
		fprintf(progress,
			"  written: %s households, %s persons (%s with phones), %s + %s visits,"
			" %s persons found (%.1f s)\n",
			a, b, f, c1, d, e, elapsed(p));
		fprintf(progress,
			"  arrivals: %s (severe %" PRId64 ", heavy %" PRId64 ", other province %" PRId64
			", local %" PRId64 ")\n",
			g, p->arr_by_grade[0], p->arr_by_grade[1], p->arr_by_grade[2],
			p->arr_by_grade[3]);
		fflush(progress);
	}
	if (!rc)
		rc = indexes_build(p, ix, nix, 0);
	/* PostgreSQL plans by statistics, which tables filled in this
	 * transaction do not have until it commits (autovacuum does not see
	 * them): without, the derivations and every later step's queries were
	 * planned for empty tables (a daily report's prefill read every visit,
	 * 230 times). ANALYZE samples what this transaction wrote; only these
	 * tables: a whole ANALYZE here (arrivals, the logs and the empty
	 * tables of later steps among them) made the gate scans' look-ups
	 * 6 -> 95 s. */
	if (!rc && p->pg && db_exec(c, "ANALYZE households, persons, visits, visit_persons"))
		rc = dfail(p, ERR_DB, "analyze");
	if (!rc)
		rc = derive(p);
	if (!rc)
		rc = indexes_build(p, ix, nix, 1);
	for (int i = 0; i < nix; i++)
		free(ix[i].sql);
	if (!rc)
		rc = verify(p);
	if (!rc)
		SAY(progress, "population and screening: done in %.1f s\n", elapsed(p));
	db_copy_free(p->s_hh.cp);
	db_copy_free(p->s_person.cp);
	db_copy_free(p->s_visit.cp);
	db_copy_free(p->s_vp.cp);
	db_copy_free(p->s_arr.cp);
	free(p->ids);
	free(p->sizes);
	free(p->hhs);
	free(p->comms);
	free(p->cpds);
	free(p);
	return rc;
}
