/* The daily bulletin (疫情防控工作日报): GET /api/v1/bulletin?day= gathers
 * every figure of DOMAIN.md's seed bulletin from the records as they stood
 * at the end of that local day, for the caller's scope (a town officer gets
 * the town's bulletin), and answers it as JSON, a printable Chinese page or
 * an xlsx workbook; `cordon report bulletin` writes the same from the
 * command line. Nothing here keeps a total: each section counts its
 * feature's own records (created, found, screened ... before the day's
 * end), or, where those grow with the population (visits, checks), the
 * day counters their writes keep in the same transaction, which the API
 * test compares with the records; so a record changed through the API
 * changes the figure, and any past day can be asked again. The layout
 * (JSON keys, the table, the page) is a pure layer over struct bulletin,
 * unit-tested without a database. */
#include "bulletin.h"

#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "../http/scope.h"
#include "cases.h"
#include "daily.h"
#include "enterprises.h"
#include "funds.h"
#include "supplies.h"

static int get_bulletin(struct req *r);

static const struct route routes[] = {
	{"GET", "/api/v1/bulletin", get_bulletin, P_UNITS_READ, 0, 0,
	 "the day's bulletin for the caller's scope (?day=, ?format=json|html|xlsx)"},
};
ROUTE_TABLE(bulletin_routes, routes);

/* ---------- pure rules ---------- */

int bulletin_day(const char *day, int64_t *end, struct err_info *ei)
{
	char next[DAY_LEN];
	if (!day || day_valid(day) || day_add(day, 1, next))
		return err_set(ei, ERR_INVALID, "day", "must be a date YYYY-MM-DD");
	*end = day_start(next);
	if (*end == INT64_MIN)
		return err_set(ei, ERR_INVALID, "day", "must be a date YYYY-MM-DD");
	return 0;
}

double bulletin_resumption_rate(int64_t above_scale, int64_t resumed, int64_t seasonal)
{
	int64_t base = above_scale - seasonal;
	if (base <= 0 || resumed <= 0)
		return 0;
	return round((double)resumed * 1000.0 / (double)base) / 1000.0;
}

int64_t bulletin_days_without(const char *day, const char *last, const char *since)
{
	if (!day || day_valid(day))
		return -1;
	const char *from = last && *last ? last : since;
	if (!from || !*from || day_valid(from))
		return 0;
	int32_t d = day_diff(from, day);
	if (d == INT32_MIN)
		return -1;
	/* counting from the first day of records includes that day itself */
	if (!(last && *last))
		d++;
	return d < 0 ? 0 : d;
}

json_t *bulletin_json(const struct bulletin *b)
{
	json_t *rounds = json_array(), *supplies = json_array();
	if (!rounds || !supplies) {
		json_decref(rounds);
		json_decref(supplies);
		return NULL;
	}
	for (size_t i = 0; i < b->nrounds; i++) {
		const struct bulletin_round *x = &b->screening[i];
		json_array_append_new(rounds, json_pack("{s:I,s:I,s:s,s:I,s:I}", "round",
							(json_int_t)x->round, "round_id",
							(json_int_t)x->round_id, "name", x->name,
							"households", (json_int_t)x->households,
							"persons", (json_int_t)x->persons));
	}
	for (size_t i = 0; i < b->nsupplies; i++) {
		const struct bulletin_supply *s = &b->supplies[i];
		json_array_append_new(supplies, json_pack("{s:s,s:s,s:I}", "item", s->item, "unit",
							  s->unit, "quantity",
							  (json_int_t)s->quantity));
	}
	json_t *stock = json_array();
	for (size_t i = 0; stock && i < b->nstock; i++) {
		const struct bulletin_supply *s = &b->stock[i];
		json_array_append_new(stock, json_pack("{s:s,s:s,s:I}", "item", s->item, "unit",
						       s->unit, "quantity", (json_int_t)s->quantity));
	}
	double rate = bulletin_resumption_rate(b->enterprises.above_scale, b->enterprises.resumed,
					       b->enterprises.seasonal);
	return json_pack(
		"{s:s,s:s,"
		"s:{s:I,s:I,s:I,s:I,s:I,s:I},"
		"s:{s:I,s:I},"
		"s:{s:I,s:I,s:I},"
		"s:{s:I,s:I,s:I,s:I,s:I,s:I},"
		"s:I,s:o,"
		"s:{s:I,s:I,s:I},"
		"s:{s:I,s:I},"
		"s:o,s:o,"
		"s:{s:I,s:I,s:I,s:f},"
		"s:{s:I,s:I},"
		"s:{s:I,s:I,s:I}}",
		"day", b->day, "scope_name", b->scope_name,
		"cases", "confirmed_total", (json_int_t)b->cases.confirmed_total, "cured_total",
		(json_int_t)b->cases.cured_total, "deaths_total", (json_int_t)b->cases.deaths_total,
		"critical_now", (json_int_t)b->cases.critical_now, "medical_workers_infected",
		(json_int_t)b->cases.medical_workers_infected, "days_without_new_confirmed",
		(json_int_t)b->cases.days_without_new_confirmed,
		"epidemic_points", "total", (json_int_t)b->epidemic_points.total, "lifted",
		(json_int_t)b->epidemic_points.lifted,
		"command", "working_groups", (json_int_t)b->command.working_groups, "leaders",
		(json_int_t)b->command.leaders, "responsible_units",
		(json_int_t)b->command.responsible_units,
		"checkpoints", "road", (json_int_t)b->checkpoints.road, "rail",
		(json_int_t)b->checkpoints.rail, "road_vehicles",
		(json_int_t)b->checkpoints.road_vehicles, "road_person_trips",
		(json_int_t)b->checkpoints.road_person_trips, "rail_trains",
		(json_int_t)b->checkpoints.rail_trains, "rail_person_trips",
		(json_int_t)b->checkpoints.rail_person_trips,
		"notices", (json_int_t)b->notices, "screening", rounds,
		"isolation", "centralized_active", (json_int_t)b->isolation.centralized_active,
		"home_active", (json_int_t)b->isolation.home_active, "released_total",
		(json_int_t)b->isolation.released_total,
		"funds", "allocated_fen", (json_int_t)b->funds.allocated_fen, "donations_fen",
		(json_int_t)b->funds.donations_fen,
		"supplies", supplies, "supplies_on_hand", stock,
		"enterprises", "above_scale", (json_int_t)b->enterprises.above_scale, "resumed",
		(json_int_t)b->enterprises.resumed, "seasonal", (json_int_t)b->enterprises.seasonal,
		"resumption_rate", rate,
		"supervision", "inspection_groups", (json_int_t)b->supervision.inspection_groups,
		"support_groups", (json_int_t)b->supervision.support_groups,
		"reporting", "expected", (json_int_t)b->reporting.expected, "filed",
		(json_int_t)b->reporting.filed, "on_time", (json_int_t)b->reporting.on_time);
}

/* 1234567 -> "1,234,567". */
static void fmt_int(int64_t n, char *out, size_t cap)
{
	char d[32];
	snprintf(d, sizeof d, "%" PRId64, n < 0 ? -n : n);
	size_t len = strlen(d), o = 0;
	if (n < 0 && o + 1 < cap)
		out[o++] = '-';
	for (size_t i = 0; i < len && o + 1 < cap; i++) {
		if (i && (len - i) % 3 == 0 && o + 1 < cap)
			out[o++] = ',';
		if (o + 1 < cap)
			out[o++] = d[i];
	}
	out[o] = 0;
}

/* Fen as yuan: "4,550,000", or with the fen when there are any
 * ("12,334,100.50"). */
static void fmt_yuan(int64_t fen, char *out, size_t cap)
{
	char y[32];
	fmt_int(fen / 100, y, sizeof y);
	int64_t f = (fen < 0 ? -fen : fen) % 100;
	if (f)
		snprintf(out, cap, "%s.%02d", y, (int)f);
	else
		snprintf(out, cap, "%s", y);
}

static void fmt_rate(double rate, char *out, size_t cap)
{
	snprintf(out, cap, "%.1f%%", rate * 100.0);
}

static const char *const round_words[] = {"第一轮", "第二轮", "第三轮", "第四轮",
					  "第五轮", "第六轮", "第七轮", "第八轮"};

static const char *round_word(int64_t n)
{
	return n >= 1 && n <= 8 ? round_words[n - 1] : "第N轮";
}

struct lines {
	struct bulletin_line *out;
	size_t cap, n;
	const char *section;
};

static struct bulletin_line *line(struct lines *l, const char *path, int64_t v)
{
	if (l->n >= l->cap)
		return NULL;
	struct bulletin_line *x = &l->out[l->n++];
	memset(x, 0, sizeof *x);
	x->section = l->section;
	snprintf(x->path, sizeof x->path, "%s", path);
	x->n = v;
	fmt_int(v, x->value, sizeof x->value);
	return x;
}

#define LINE(l, path, label_, v)                                             \
	do {                                                                 \
		struct bulletin_line *x_ = line((l), (path), (v));           \
		if (x_)                                                      \
			snprintf(x_->label, sizeof x_->label, "%s", (label_)); \
	} while (0)

size_t bulletin_lines(const struct bulletin *b, struct bulletin_line *out, size_t cap)
{
	struct lines l = {out, cap, 0, NULL};
	l.section = "病例";
	LINE(&l, "cases.confirmed_total", "累计确诊病例（例）", b->cases.confirmed_total);
	LINE(&l, "cases.cured_total", "累计治愈出院（例）", b->cases.cured_total);
	LINE(&l, "cases.deaths_total", "累计死亡（例）", b->cases.deaths_total);
	LINE(&l, "cases.critical_now", "现有危重症（例）", b->cases.critical_now);
	LINE(&l, "cases.medical_workers_infected", "医务人员感染（例）",
	     b->cases.medical_workers_infected);
	LINE(&l, "cases.days_without_new_confirmed", "连续无新增确诊（天）",
	     b->cases.days_without_new_confirmed);
	l.section = "疫点";
	LINE(&l, "epidemic_points.total", "疫点总数（个）", b->epidemic_points.total);
	LINE(&l, "epidemic_points.lifted", "已解除疫点（个）", b->epidemic_points.lifted);
	l.section = "指挥体系";
	LINE(&l, "command.working_groups", "专项工作组（个）", b->command.working_groups);
	LINE(&l, "command.leaders", "包抓县级领导（名）", b->command.leaders);
	LINE(&l, "command.responsible_units", "包抓责任单位（个）",
	     b->command.responsible_units);
	l.section = "卡点";
	LINE(&l, "checkpoints.road", "公路卡点（个）", b->checkpoints.road);
	LINE(&l, "checkpoints.rail", "铁路卡点（个）", b->checkpoints.rail);
	LINE(&l, "checkpoints.road_vehicles", "公路检查车辆（辆）",
	     b->checkpoints.road_vehicles);
	LINE(&l, "checkpoints.road_person_trips", "公路检测人员（人次）",
	     b->checkpoints.road_person_trips);
	LINE(&l, "checkpoints.rail_trains", "铁路检查列车（列）", b->checkpoints.rail_trains);
	LINE(&l, "checkpoints.rail_person_trips", "铁路检测旅客（人次）",
	     b->checkpoints.rail_person_trips);
	l.section = "公告";
	LINE(&l, "notices", "发布公告（份）", b->notices);
	l.section = "走访摸排";
	for (size_t i = 0; i < b->nrounds; i++) {
		const struct bulletin_round *x = &b->screening[i];
		char path[48], label[64];
		snprintf(path, sizeof path, "screening[%zu].households", i);
		snprintf(label, sizeof label, "%s摸排户数（户）", round_word(x->round));
		LINE(&l, path, label, x->households);
		snprintf(path, sizeof path, "screening[%zu].persons", i);
		snprintf(label, sizeof label, "%s摸排人数（人）", round_word(x->round));
		LINE(&l, path, label, x->persons);
	}
	l.section = "隔离";
	LINE(&l, "isolation.centralized_active", "集中隔离（在观，人）",
	     b->isolation.centralized_active);
	LINE(&l, "isolation.home_active", "居家隔离（在观，人）", b->isolation.home_active);
	LINE(&l, "isolation.released_total", "累计解除隔离（人）",
	     b->isolation.released_total);
	l.section = "资金";
	struct bulletin_line *x = line(&l, "funds.allocated_fen", b->funds.allocated_fen);
	if (x) {
		snprintf(x->label, sizeof x->label, "下拨资金（元）");
		fmt_yuan(b->funds.allocated_fen, x->value, sizeof x->value);
	}
	x = line(&l, "funds.donations_fen", b->funds.donations_fen);
	if (x) {
		snprintf(x->label, sizeof x->label, "定向捐赠（元）");
		fmt_yuan(b->funds.donations_fen, x->value, sizeof x->value);
	}
	l.section = "物资储备";
	for (size_t i = 0; i < b->nsupplies; i++) {
		const struct bulletin_supply *s = &b->supplies[i];
		char path[48], label[64];
		snprintf(path, sizeof path, "supplies[%zu].quantity", i);
		snprintf(label, sizeof label, "%.40s（%.16s）", s->item, s->unit);
		LINE(&l, path, label, s->quantity);
	}
	l.section = "复工复产";
	LINE(&l, "enterprises.above_scale", "规模以上工业企业（家）",
	     b->enterprises.above_scale);
	LINE(&l, "enterprises.resumed", "已复工（家）", b->enterprises.resumed);
	LINE(&l, "enterprises.seasonal", "季节性停产（家）", b->enterprises.seasonal);
	double rate = bulletin_resumption_rate(b->enterprises.above_scale, b->enterprises.resumed,
					       b->enterprises.seasonal);
	x = line(&l, "enterprises.resumption_rate", (int64_t)llround(rate * 1000));
	if (x) {
		snprintf(x->label, sizeof x->label, "复工率");
		fmt_rate(rate, x->value, sizeof x->value);
	}
	l.section = "督查";
	LINE(&l, "supervision.inspection_groups", "督查组（个）",
	     b->supervision.inspection_groups);
	LINE(&l, "supervision.support_groups", "综合保障组（个）", b->supervision.support_groups);
	l.section = "日报告";
	LINE(&l, "reporting.expected", "应报单位（个）", b->reporting.expected);
	LINE(&l, "reporting.filed", "已报（个）", b->reporting.filed);
	LINE(&l, "reporting.on_time", "按时报告（个）", b->reporting.on_time);
	return l.n;
}

static void html_text(struct buf *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': buf_puts(out, "&lt;"); break;
		case '>': buf_puts(out, "&gt;"); break;
		case '&': buf_puts(out, "&amp;"); break;
		case '"': buf_puts(out, "&quot;"); break;
		default: buf_append(out, s, 1);
		}
	}
}

/* "4,550,000" fen as 万元 for a sentence: 455 万元, 1,233.41 万元. */
static void fmt_wan(int64_t fen, char *out, size_t cap)
{
	int64_t wan100 = fen / 10000; /* hundredths of 万元 */
	char w[24];
	fmt_int(wan100 / 100, w, sizeof w);
	unsigned f = (unsigned)((wan100 < 0 ? -wan100 : wan100) % 100);
	if (f % 10 == 0 && f)
		snprintf(out, cap, "%s.%u", w, f / 10);
	else if (f)
		snprintf(out, cap, "%s.%02u", w, f);
	else
		snprintf(out, cap, "%s", w);
}

int bulletin_html(const struct bulletin *b, struct buf *out)
{
	char y[5] = {0}, m[3] = {0}, d[3] = {0};
	memcpy(y, b->day, 4);
	memcpy(m, b->day + 5, 2);
	memcpy(d, b->day + 8, 2);
	int mi = atoi(m), di = atoi(d);
	char n[16][32];
	buf_puts(out, "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
		      "<title>");
	html_text(out, b->scope_name);
	buf_printf(out, "疫情防控工作日报 %s</title>\n", b->day);
	buf_puts(out,
		 "<style>@page{size:A4;margin:18mm 16mm}"
		 "body{font-family:'Noto Serif CJK SC','Songti SC',SimSun,serif;font-size:12pt;"
		 "line-height:1.7;color:#000;max-width:180mm;margin:0 auto}"
		 "h1{font-size:20pt;text-align:center;color:#c00;letter-spacing:.2em;margin:.3em 0}"
		 ".sub{text-align:center;border-bottom:2px solid #c00;padding-bottom:.4em}"
		 "p{text-indent:2em;margin:.35em 0}"
		 "table{border-collapse:collapse;width:100%;margin-top:.8em;font-size:9.5pt;"
		 "line-height:1.35}th,td{border:1px solid #000;padding:1px 4px}"
		 "td.n{text-align:right;white-space:nowrap}"
		 "th{background:#eee}.foot{margin-top:1em;text-align:right}</style>\n"
		 "</head><body>\n<h1>");
	html_text(out, b->scope_name);
	buf_puts(out, "疫情防控工作日报</h1>\n");
	buf_printf(out, "<div class=\"sub\">%s年%d月%d日（截至当日24时）</div>\n", y, mi, di);

	/* the figures in sentences, as a district's daily report words them */
	fmt_int(b->cases.confirmed_total, n[0], 32);
	fmt_int(b->cases.cured_total, n[1], 32);
	fmt_int(b->cases.critical_now, n[2], 32);
	fmt_int(b->cases.deaths_total, n[3], 32);
	fmt_int(b->cases.medical_workers_infected, n[4], 32);
	buf_printf(out,
		   "<p>一、疫情情况。截至%d月%d日24时，累计报告确诊病例%s例，治愈出院%s例，"
		   "现有危重症%s例，死亡%s例，医务人员感染%s例，已连续%" PRId64
		   "天无新增确诊病例。共有疫点%" PRId64 "个，已解除%" PRId64 "个。</p>\n",
		   mi, di, n[0], n[1], n[2], n[3], n[4], b->cases.days_without_new_confirmed,
		   b->epidemic_points.total, b->epidemic_points.lifted);
	buf_printf(out,
		   "<p>二、指挥体系。指挥部设专项工作组%" PRId64 "个，%" PRId64
		   "名县级领导、%" PRId64 "个责任单位包抓乡镇（街道）和村（社区）；%" PRId64
		   "个督查组、%" PRId64 "个综合保障组每日督查。已发布公告%" PRId64 "份。</p>\n",
		   b->command.working_groups, b->command.leaders, b->command.responsible_units,
		   b->supervision.inspection_groups, b->supervision.support_groups, b->notices);
	fmt_int(b->checkpoints.road_vehicles, n[5], 32);
	fmt_int(b->checkpoints.road_person_trips, n[6], 32);
	fmt_int(b->checkpoints.rail_trains, n[7], 32);
	fmt_int(b->checkpoints.rail_person_trips, n[8], 32);
	buf_printf(out,
		   "<p>三、卡点管控。设立卡点%" PRId64 "个（公路%" PRId64 "个、铁路%" PRId64
		   "个），凡车必检、凡人必测。公路卡点累计检查车辆%s辆、%s人次；火车站累计检查列车"
		   "%s列、旅客%s人次。</p>\n",
		   b->checkpoints.road + b->checkpoints.rail, b->checkpoints.road,
		   b->checkpoints.rail, n[5], n[6], n[7], n[8]);
	buf_puts(out, "<p>四、走访摸排。");
	if (!b->nrounds)
		buf_puts(out, "尚未开展走访摸排。");
	for (size_t i = 0; i < b->nrounds; i++) {
		fmt_int(b->screening[i].households, n[9], 32);
		fmt_int(b->screening[i].persons, n[10], 32);
		buf_printf(out, "%s摸排%s户、%s人%s", round_word(b->screening[i].round), n[9],
			   n[10], i + 1 < b->nrounds ? "；" : "。");
	}
	buf_puts(out, "</p>\n");
	fmt_int(b->isolation.centralized_active, n[11], 32);
	fmt_int(b->isolation.home_active, n[12], 32);
	fmt_int(b->isolation.released_total, n[13], 32);
	buf_printf(out, "<p>五、隔离管控。现集中隔离%s人，居家隔离%s人，累计解除隔离%s人。</p>\n",
		   n[11], n[12], n[13]);
	fmt_wan(b->funds.allocated_fen, n[14], 32);
	fmt_wan(b->funds.donations_fen, n[15], 32);
	buf_printf(out, "<p>六、物资保障。累计下拨资金%s万元，接受定向捐赠%s万元，全部用于一线防控。",
		   n[14], n[15]);
	for (size_t i = 0; i < b->nsupplies; i++) {
		char q[32];
		fmt_int(b->supplies[i].quantity, q, sizeof q);
		buf_puts(out, i ? "、" : "现有储备：");
		html_text(out, b->supplies[i].item);
		buf_printf(out, "%s", q);
		html_text(out, b->supplies[i].unit);
		if (i + 1 == b->nsupplies)
			buf_puts(out, "。");
	}
	buf_puts(out, "</p>\n");
	char rate[16];
	fmt_rate(bulletin_resumption_rate(b->enterprises.above_scale, b->enterprises.resumed,
					  b->enterprises.seasonal),
		 rate, sizeof rate);
	buf_printf(out,
		   "<p>七、复工复产。规模以上工业企业%" PRId64 "家，已复工%" PRId64 "家，%" PRId64
		   "家季节性停产企业不计入基数，复工率%s。</p>\n",
		   b->enterprises.above_scale, b->enterprises.resumed, b->enterprises.seasonal, rate);
	buf_printf(out,
		   "<p>八、日报告。应报单位%" PRId64 "个，已报%" PRId64 "个，按时报告%" PRId64
		   "个。</p>\n",
		   b->reporting.expected, b->reporting.filed, b->reporting.on_time);

	struct bulletin_line lines[BULLETIN_MAX_LINES];
	size_t nl = bulletin_lines(b, lines, BULLETIN_MAX_LINES);
	/* two figures a row, so the table and the sentences fit one A4 page */
	size_t half = (nl + 1) / 2;
	buf_puts(out, "<table><thead><tr><th>类别</th><th>项目</th><th>数值</th>"
		      "<th>类别</th><th>项目</th><th>数值</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < half; i++) {
		buf_puts(out, "<tr>");
		for (size_t k = i; k < nl; k += half) {
			buf_puts(out, "<td>");
			html_text(out, lines[k].section);
			buf_puts(out, "</td><td>");
			html_text(out, lines[k].label);
			buf_puts(out, "</td><td class=\"n\">");
			html_text(out, lines[k].value);
			buf_puts(out, "</td>");
			if (k + half >= nl && k < half && nl % 2)
				buf_puts(out, "<td></td><td></td><td></td>");
		}
		buf_puts(out, "</tr>\n");
	}
	buf_puts(out, "</tbody></table>\n<div class=\"foot\">");
	html_text(out, b->scope_name);
	buf_printf(out, "新冠肺炎疫情防控指挥部<br>%s年%d月%d日</div>\n</body></html>\n", y, mi, di);
	return 0;
}

int bulletin_xlsx(const struct bulletin *b, const char *path)
{
	lxw_workbook *wb = workbook_new(path);
	if (!wb)
		return ERR_INTERNAL;
	lxw_worksheet *ws = workbook_add_worksheet(wb, "日报");
	lxw_format *head = workbook_add_format(wb);
	format_set_bold(head);
	lxw_format *title = workbook_add_format(wb);
	format_set_bold(title);
	format_set_font_size(title, 14);
	lxw_format *money = workbook_add_format(wb);
	format_set_num_format(money, "#,##0.00");
	lxw_format *count = workbook_add_format(wb);
	format_set_num_format(count, "#,##0");
	lxw_format *pct = workbook_add_format(wb);
	format_set_num_format(pct, "0.0%");
	worksheet_set_column(ws, 0, 0, 12, NULL);
	worksheet_set_column(ws, 1, 1, 30, NULL);
	worksheet_set_column(ws, 2, 2, 18, NULL);
	worksheet_set_column(ws, 3, 3, 36, NULL);
	char t[160];
	snprintf(t, sizeof t, "%s疫情防控工作日报", b->scope_name);
	worksheet_write_string(ws, 0, 0, t, title);
	snprintf(t, sizeof t, "截至 %s 24时", b->day);
	worksheet_write_string(ws, 1, 0, t, NULL);
	worksheet_write_string(ws, 3, 0, "类别", head);
	worksheet_write_string(ws, 3, 1, "项目", head);
	worksheet_write_string(ws, 3, 2, "数值", head);
	worksheet_write_string(ws, 3, 3, "字段", head);
	struct bulletin_line lines[BULLETIN_MAX_LINES];
	size_t nl = bulletin_lines(b, lines, BULLETIN_MAX_LINES);
	for (size_t i = 0; i < nl; i++) {
		lxw_row_t row = (lxw_row_t)(i + 4);
		worksheet_write_string(ws, row, 0, lines[i].section, NULL);
		worksheet_write_string(ws, row, 1, lines[i].label, NULL);
		if (strncmp(lines[i].path, "funds.", 6) == 0)
			worksheet_write_number(ws, row, 2, (double)lines[i].n / 100.0, money);
		else if (strcmp(lines[i].path, "enterprises.resumption_rate") == 0)
			worksheet_write_number(ws, row, 2, (double)lines[i].n / 1000.0, pct);
		else
			worksheet_write_number(ws, row, 2, (double)lines[i].n, count);
		worksheet_write_string(ws, row, 3, lines[i].path, NULL);
	}
	return workbook_close(wb) == LXW_NO_ERROR ? 0 : ERR_INTERNAL;
}

/* ---------- from the records ---------- */

/* Visible to a scope: the unit is the scope, inside it, or above it (a
 * district's working groups are a town's too). Binds the scope at $1. */
#define ABOVE_OR_IN(col)                                                          \
	"(" col " IN (SELECT ancestor_id FROM unit_tree WHERE unit_id = $1) OR " \
	SCOPE_SQL(col, "1") ")"

static int fail_db(struct dbc *c, struct err_info *ei, int rc, const char *what)
{
	if (!ei->message[0])
		err_set(ei, rc < 0 ? rc : ERR_DB, "", "bulletin: %s: %s", what, db_errmsg(c));
	return rc < 0 ? rc : ERR_DB;
}

/* Reads one row of n integers. */
static int ints(struct dbc *c, struct dbq *q, int64_t *out, int n, struct err_info *ei,
		const char *what)
{
	if (!q)
		return fail_db(c, ei, ERR_DB, what);
	int rc = db_step(q);
	if (rc == 1)
		for (int i = 0; i < n; i++)
			out[i] = db_int(q, i);
	db_done(q);
	return rc == 1 ? 0 : fail_db(c, ei, rc, what);
}

/* The command structure (DOMAIN.md §1): the working groups the scope works
 * under, and the leaders and responsible units that belong to it or are
 * assigned (包抓) to a unit inside it, created before the day's end. */
static int sec_command(struct dbc *c, int64_t scope, int64_t end, struct bulletin *b,
		       struct err_info *ei)
{
	static const char sql[] =
		"SELECT"
		" (SELECT COUNT(*) FROM working_groups g WHERE g.created_at < $2 AND "
		ABOVE_OR_IN("g.unit_id") "),"
		" (SELECT COUNT(*) FROM leaders l WHERE l.created_at < $2 AND (" SCOPE_SQL("l.unit_id", "1")
		" OR l.id IN (SELECT a.leader_id FROM assignments a WHERE a.created_at < $2 AND "
		SCOPE_SQL("a.unit_id", "1") "))),"
		" (SELECT COUNT(*) FROM resp_orgs o WHERE o.created_at < $2 AND (" SCOPE_SQL("o.unit_id", "1")
		" OR o.id IN (SELECT a.org_id FROM assignments a WHERE a.created_at < $2 AND "
		SCOPE_SQL("a.unit_id", "1") ")))";
	int64_t v[3];
	int rc = ints(c, db_query(c, sql, "ii", scope, end), v, 3, ei, "command");
	if (rc)
		return rc;
	b->command.working_groups = v[0];
	b->command.leaders = v[1];
	b->command.responsible_units = v[2];
	return 0;
}

/* Checkpoints (DOMAIN.md §2) reporting to a unit in scope, and what they
 * screened before the day's end: vehicles and their occupants on the
 * roads, trains and their passengers at the station. Reading every check
 * (1.3 million at ten times the population) grows with the logs, so the
 * figures are the checkpoints' day counters (checkpoint_days: written with
 * each check in its transaction; a checkpoint's kind never changes, so its
 * person trips are occupants on a road and passengers at a station). A
 * vehicle's day is the local day of its check (`at`), so its counters up
 * to the day are its figures. A train is kept on the day it arrived but
 * counted here by the time of its check, so the trains are all their
 * counters less the checks made after the day's end: a seek per station
 * into a log that does not grow with the population. The test compares
 * them with the checks counted directly. */
static int sec_checkpoints(struct dbc *c, int64_t scope, const char *day, int64_t end,
			   struct bulletin *b, struct err_info *ei)
{
	static const char sql[] =
		"SELECT"
		" (SELECT COUNT(*) FROM checkpoints c WHERE c.kind = 'road' AND c.created_at < $2 AND "
		SCOPE_SQL("c.unit_id", "1") "),"
		" (SELECT COUNT(*) FROM checkpoints c WHERE c.kind = 'rail' AND c.created_at < $2 AND "
		SCOPE_SQL("c.unit_id", "1") "),"
		" d.v, d.rp, d.t - t.n, d.tp - t.s"
		" FROM (SELECT"
		"  COALESCE(SUM(CASE WHEN c.kind = 'road' AND d.day <= $3 THEN d.vehicles ELSE 0 END), 0) AS v,"
		"  COALESCE(SUM(CASE WHEN c.kind = 'road' AND d.day <= $3 THEN d.person_trips ELSE 0 END), 0) AS rp,"
		"  COALESCE(SUM(d.trains), 0) AS t,"
		"  COALESCE(SUM(CASE WHEN c.kind = 'rail' THEN d.person_trips ELSE 0 END), 0) AS tp"
		"  FROM checkpoint_days d JOIN checkpoints c ON c.id = d.checkpoint_id WHERE "
		SCOPE_SQL("c.unit_id", "1") ") d,"
		" (SELECT COUNT(*) AS n, COALESCE(SUM(t.persons), 0) AS s FROM train_checks t"
		"  WHERE t.at >= $2 AND t.checkpoint_id IN (SELECT c.id FROM checkpoints c WHERE "
		SCOPE_SQL("c.unit_id", "1") ")) t";
	int64_t v[6];
	int rc = ints(c, db_query(c, sql, "iit", scope, end, day), v, 6, ei, "checkpoints");
	if (rc)
		return rc;
	b->checkpoints.road = v[0];
	b->checkpoints.rail = v[1];
	b->checkpoints.road_vehicles = v[2];
	b->checkpoints.road_person_trips = v[3];
	b->checkpoints.rail_trains = v[4];
	b->checkpoints.rail_person_trips = v[5];
	return 0;
}

/* Door-to-door screening (DOMAIN.md §7): the rounds over the scope (or
 * over a unit above it) started by the day, numbered by start day; for
 * each, the households in scope that a visit of the round found someone
 * at, and the persons found, before the day's end (visited_at and
 * found_at: the time of the first such visit, 016_bulletin.sql).
 * Counting those rows reads every one of them (17 million index entries
 * at ten times the population: seconds), so the figures are the round's
 * day counters for the scope summed up to the day (round_days, kept by
 * the same writes that set visited_at and found_at, by merges and by
 * units moved): a few dozen rows by key for any day. The test compares
 * them with the rows counted directly, day by day. */
static int sec_screening(struct dbc *c, int64_t scope, const char *day, struct bulletin *b,
			 struct err_info *ei)
{
	static const char rounds_sql[] =
		"SELECT r.id, r.name FROM screening_rounds r WHERE r.start_date <= $2 AND "
		ABOVE_OR_IN("r.unit_id") " ORDER BY r.start_date, r.id LIMIT 8";
	static const char counts_sql[] =
		"SELECT COALESCE(SUM(households), 0), COALESCE(SUM(persons), 0) FROM round_days"
		" WHERE round_id = $2 AND unit_id = $1 AND day <= $3";
	struct dbq *q = db_query(c, rounds_sql, "it", scope, day);
	if (!q)
		return fail_db(c, ei, ERR_DB, "rounds");
	int rc;
	b->nrounds = 0;
	while ((rc = db_step(q)) == 1 && b->nrounds < BULLETIN_MAX_ROUNDS) {
		struct bulletin_round *x = &b->screening[b->nrounds++];
		x->round = (int64_t)b->nrounds;
		x->round_id = db_int(q, 0);
		snprintf(x->name, sizeof x->name, "%s", db_text(q, 1));
	}
	db_done(q);
	if (rc < 0)
		return fail_db(c, ei, rc, "rounds");
	for (size_t i = 0; i < b->nrounds; i++) {
		int64_t v[2];
		if ((rc = ints(c, db_query(c, counts_sql, "iit", scope, b->screening[i].round_id, day),
			       v, 2, ei, "screening")))
			return rc;
		b->screening[i].households = v[0];
		b->screening[i].persons = v[1];
	}
	return 0;
}

/* Cases and epidemic points (DOMAIN.md §5, §6; issue 12): cases.h
 * computes both from the case histories and the points' records. */
static int sec_cases(struct dbc *c, int64_t scope, const char *day, struct bulletin *b,
		     struct err_info *ei)
{
	struct case_figures f;
	int rc = cases_figures_as_of(c, scope, day, &f);
	if (rc)
		return fail_db(c, ei, rc, "cases");
	b->cases.confirmed_total = f.confirmed_total;
	b->cases.cured_total = f.cured_total;
	b->cases.deaths_total = f.deaths_total;
	b->cases.critical_now = f.critical_now;
	b->cases.medical_workers_infected = f.medical_workers_infected;
	b->cases.days_without_new_confirmed = f.days_without_new_confirmed;
	struct epi_figures e;
	if ((rc = epipoints_figures_as_of(c, scope, day, &e)))
		return fail_db(c, ei, rc, "epidemic points");
	b->epidemic_points.total = e.total;
	b->epidemic_points.lifted = e.lifted;
	return 0;
}

/* Isolation (DOMAIN.md §8; issue 11): orders of persons in scope under way
 * at the end of the day (started by it, not closed by it), by kind, and
 * those released by then. isolation.h has no figures of its own yet, so
 * they are counted here from its orders. */
static int sec_isolation(struct dbc *c, int64_t scope, const char *day, struct bulletin *b,
			 struct err_info *ei)
{
	static const char sql[] =
		"SELECT"
		" COALESCE(SUM(CASE WHEN i.kind = 'centralized' AND i.start_day <= $2"
		"  AND (i.end_day IS NULL OR i.end_day > $2) THEN 1 ELSE 0 END), 0),"
		" COALESCE(SUM(CASE WHEN i.kind = 'home' AND i.start_day <= $2"
		"  AND (i.end_day IS NULL OR i.end_day > $2) THEN 1 ELSE 0 END), 0),"
		" COALESCE(SUM(CASE WHEN i.status = 'released' AND i.end_day <= $2 THEN 1 ELSE 0 END), 0)"
		" FROM isolations i WHERE i.start_day <= $2 AND " SCOPE_SQL("i.unit_id", "1");
	int64_t v[3];
	int rc = ints(c, db_query(c, sql, "it", scope, day), v, 3, ei, "isolation");
	if (rc)
		return rc;
	b->isolation.centralized_active = v[0];
	b->isolation.home_active = v[1];
	b->isolation.released_total = v[2];
	return 0;
}

/* Notices, supervision and daily reporting (DOMAIN.md §1, §3, §10; issue
 * 13): daily.h counts each from its records. */
static int sec_notices_reporting(struct dbc *c, int64_t scope, const char *day,
				 struct bulletin *b, struct err_info *ei)
{
	int rc = notices_count_as_of(c, scope, day, &b->notices);
	if (rc)
		return fail_db(c, ei, rc, "notices");
	if ((rc = supervision_groups_as_of(c, scope, day, &b->supervision.inspection_groups,
					   &b->supervision.support_groups)))
		return fail_db(c, ei, rc, "supervision");
	struct daily_reporting d;
	if ((rc = daily_reporting_as_of(c, scope, day, &d)))
		return fail_db(c, ei, rc, "reporting");
	b->reporting.expected = d.expected;
	b->reporting.filed = d.filed;
	b->reporting.on_time = d.on_time;
	return 0;
}

/* Items as [{"item","unit","quantity"}] into out (at most cap). */
static size_t supply_items(json_t *items, struct bulletin_supply *out, size_t cap)
{
	size_t n = 0, i;
	json_t *it;
	json_array_foreach(items, i, it)
	{
		if (n >= cap)
			break;
		const char *item = json_string_value(json_object_get(it, "item"));
		const char *unit = json_string_value(json_object_get(it, "unit"));
		snprintf(out[n].item, sizeof out[n].item, "%s", item ? item : "");
		snprintf(out[n].unit, sizeof out[n].unit, "%s", unit ? unit : "");
		out[n].quantity = json_integer_value(json_object_get(it, "quantity"));
		n++;
	}
	return n;
}

/* Funds and supplies (DOMAIN.md §9; issue 14): money allocated and donated,
 * the stock raised (received) by the day, as the district reported it,
 * and beside it the stock on hand. */
static int sec_supplies(struct dbc *c, int64_t scope, const char *day, struct bulletin *b,
			struct err_info *ei)
{
	int rc = funds_totals_as_of(c, scope, day, &b->funds.allocated_fen, &b->funds.donations_fen);
	if (rc)
		return fail_db(c, ei, rc, "funds");
	json_t *raised = supplies_raised_as_of(c, scope, day);
	if (!raised)
		return fail_db(c, ei, ERR_DB, "supplies");
	b->nsupplies = supply_items(raised, b->supplies, BULLETIN_MAX_SUPPLIES);
	json_decref(raised);
	json_t *stock = supplies_stock_as_of(c, scope, day);
	if (!stock)
		return fail_db(c, ei, ERR_DB, "stock");
	b->nstock = supply_items(stock, b->stock, BULLETIN_MAX_SUPPLIES);
	json_decref(stock);
	return 0;
}

/* Enterprise resumption (DOMAIN.md §11; issue 15). */
static int sec_enterprises(struct dbc *c, int64_t scope, const char *day, struct bulletin *b,
			   struct err_info *ei)
{
	struct resumption r;
	int rc = enterprises_resumption_as_of(c, scope, day, &r);
	if (rc)
		return fail_db(c, ei, rc, "enterprises");
	b->enterprises.above_scale = r.above_scale;
	b->enterprises.resumed = r.resumed;
	b->enterprises.seasonal = r.seasonal;
	return 0;
}

int bulletin_compute(struct dbc *c, int64_t scope, const char *day, struct bulletin *b,
		     struct err_info *ei)
{
	int64_t end;
	int rc = bulletin_day(day, &end, ei);
	if (rc)
		return rc;
	memset(b, 0, sizeof *b);
	snprintf(b->day, sizeof b->day, "%s", day);
	struct dbq *q = db_query(c, "SELECT name FROM units WHERE id = $1", "i", scope);
	if (!q)
		return fail_db(c, ei, ERR_DB, "scope");
	rc = db_step(q);
	if (rc == 1)
		snprintf(b->scope_name, sizeof b->scope_name, "%s", db_text(q, 0));
	db_done(q);
	if (rc != 1)
		return rc < 0 ? fail_db(c, ei, rc, "scope")
			      : err_set(ei, ERR_NOT_FOUND, "scope", "no such unit");
	if ((rc = sec_cases(c, scope, day, b, ei)) || (rc = sec_command(c, scope, end, b, ei)) ||
	    (rc = sec_checkpoints(c, scope, day, end, b, ei)) ||
	    (rc = sec_notices_reporting(c, scope, day, b, ei)) ||
	    (rc = sec_screening(c, scope, day, b, ei)) ||
	    (rc = sec_isolation(c, scope, day, b, ei)) || (rc = sec_supplies(c, scope, day, b, ei)) ||
	    (rc = sec_enterprises(c, scope, day, b, ei)))
		return rc;
	return 0;
}

/* ---------- the route ---------- */

/* The last bulletins computed, each under the database's commit generation
 * read before computing it (db_generation): asked again with nothing
 * committed since, the same records give the same figures, so they are
 * answered from here; any commit anywhere and they are counted again. The
 * commander's dashboard asks for two days on every open; counting afresh
 * at ten times the population takes about 10 ms of CPU for any day. */
#define BCACHE_SLOTS 16
static struct bcache {
	int64_t scope;
	char day[DAY_LEN];
	char gen[256];
	uint64_t used; /* 0: empty */
	struct bulletin b;
} bcache[BCACHE_SLOTS];
static pthread_mutex_t bcache_mu = PTHREAD_MUTEX_INITIALIZER;
static uint64_t bcache_clock;

static int bulletin_cached(struct dbc *c, int64_t scope, const char *day, struct bulletin *b,
			   struct err_info *ei)
{
	char gen[256];
	if (db_generation(c, gen, sizeof gen))
		return bulletin_compute(c, scope, day, b, ei);
	pthread_mutex_lock(&bcache_mu);
	for (int i = 0; i < BCACHE_SLOTS; i++) {
		struct bcache *e = &bcache[i];
		if (e->used && e->scope == scope && !strcmp(e->day, day) && !strcmp(e->gen, gen)) {
			*b = e->b;
			e->used = ++bcache_clock;
			pthread_mutex_unlock(&bcache_mu);
			return 0;
		}
	}
	pthread_mutex_unlock(&bcache_mu);
	int rc = bulletin_compute(c, scope, day, b, ei);
	if (rc)
		return rc;
	pthread_mutex_lock(&bcache_mu);
	struct bcache *e = &bcache[0];
	for (int i = 1; i < BCACHE_SLOTS && e->used; i++)
		if (bcache[i].used < e->used)
			e = &bcache[i];
	e->scope = scope;
	snprintf(e->day, sizeof e->day, "%s", day);
	snprintf(e->gen, sizeof e->gen, "%s", gen);
	e->b = *b;
	e->used = ++bcache_clock;
	pthread_mutex_unlock(&bcache_mu);
	return 0;
}

static int get_bulletin(struct req *r)
{
	const char *day = req_query(r, "day");
	char today[DAY_LEN];
	if (!day || !*day) {
		clock_day(clock_now(), today);
		day = today;
	}
	int64_t end;
	int rc = bulletin_day(day, &end, &r->err);
	if (rc)
		return rc;
	const char *fmt = req_query(r, "format");
	if (fmt && *fmt && strcmp(fmt, "json") && strcmp(fmt, "html") && strcmp(fmt, "xlsx"))
		return err_set(&r->err, ERR_INVALID, "format", "must be json, html or xlsx");
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	struct bulletin *b = arena_alloc(&r->arena, sizeof *b);
	if (!b)
		return ERR_NOMEM;
	if ((rc = bulletin_cached(c, r->who.scope_unit_id, day, b, &r->err)))
		return rc;
	if (fmt && strcmp(fmt, "html") == 0) {
		struct buf out = {0};
		bulletin_html(b, &out);
		size_t len;
		char *data = buf_take(&out, &len);
		if (!data)
			return ERR_NOMEM;
		return resp_raw(r, 200, "text/html; charset=utf-8", data, len);
	}
	if (fmt && strcmp(fmt, "xlsx") == 0) {
		char path[] = "/tmp/cordon-bulletin-XXXXXX";
		int fd = mkstemp(path);
		if (fd < 0)
			return err_set(&r->err, ERR_INTERNAL, "", "cannot create a temporary file");
		close(fd);
		if (bulletin_xlsx(b, path)) {
			unlink(path);
			return err_set(&r->err, ERR_INTERNAL, "", "cannot write the workbook");
		}
		FILE *f = fopen(path, "rb");
		unlink(path);
		if (!f)
			return err_set(&r->err, ERR_INTERNAL, "", "cannot read the workbook");
		struct buf out = {0};
		char chunk[65536];
		size_t n;
		while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
			buf_append(&out, chunk, n);
		fclose(f);
		size_t len;
		char *data = buf_take(&out, &len);
		if (!data)
			return ERR_NOMEM;
		r->filename = arena_printf(&r->arena, "bulletin-%s.xlsx", day);
		return resp_raw(r, 200,
				"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
				data, len);
	}
	json_t *out = bulletin_json(b);
	if (!out)
		return ERR_NOMEM;
	/* A demo district (`cordon demo` marks its database) has its records
	 * in early 2020: the dashboard opens at the demo day and says so. */
	int64_t demo = 0;
	if (db_one_int(c, &demo, "SELECT COUNT(*) FROM settings WHERE key = 'demo_version'", "") ==
		    1 &&
	    demo > 0)
		json_object_set_new(out, "demo_day", json_string(BULLETIN_DEMO_DAY));
	return resp_json(r, 200, out);
}
