/* The bulletin's pure layer: the day a bulletin is for and the instant its
 * figures are taken at, the resumption rate, the days without a new
 * confirmed case, the JSON keys of issue 17, the table's lines and the
 * printable page — on fixtures, including a day before any record. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "feature/bulletin.h"

static void day_bounds(void **state)
{
	(void)state;
	clock_set_tz("Asia/Shanghai");
	struct err_info ei = {0};
	int64_t end = 0;
	assert_int_equal(bulletin_day("2020-02-15", &end, &ei), 0);
	/* 2020-02-16 00:00 in Beijing is 2020-02-15 16:00 UTC */
	assert_int_equal(end, 1581782400);
	const char *bad[] = {"2020-02-30", "yesterday", "", "2020-2-15", "2020-02-15x", "2019-13-01"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		memset(&ei, 0, sizeof ei);
		assert_int_equal(bulletin_day(bad[i], &end, &ei), ERR_INVALID);
		assert_string_equal(ei.field, "day");
	}
	memset(&ei, 0, sizeof ei);
	assert_int_equal(bulletin_day(NULL, &end, &ei), ERR_INVALID);
	/* the last day of a leap February ends on 1 March */
	assert_int_equal(bulletin_day("2020-02-29", &end, &ei), 0);
	assert_int_equal(end, 1582992000);
}

static void resumption_rate(void **state)
{
	(void)state;
	/* DOMAIN.md §11: 25 / (38 - 7) = 80.6 % */
	assert_true(bulletin_resumption_rate(38, 25, 7) == 0.806);
	assert_true(bulletin_resumption_rate(38, 38, 7) > 1.2);
	assert_true(bulletin_resumption_rate(0, 0, 0) == 0);
	assert_true(bulletin_resumption_rate(7, 3, 7) == 0); /* nothing in scope */
	assert_true(bulletin_resumption_rate(3, 1, 0) == 0.333);
	assert_true(bulletin_resumption_rate(3, 2, 0) == 0.667);
}

static void days_without(void **state)
{
	(void)state;
	/* last confirmed on 1 February: 2..15 February is 14 days */
	assert_int_equal(bulletin_days_without("2020-02-15", "2020-02-01", NULL), 14);
	assert_int_equal(bulletin_days_without("2020-02-15", "2020-02-15", NULL), 0);
	/* across the month's end */
	assert_int_equal(bulletin_days_without("2020-03-01", "2020-02-28", NULL), 2);
	/* no case yet: counted from the first day records are kept, that day included */
	assert_int_equal(bulletin_days_without("2020-01-24", NULL, "2020-01-24"), 1);
	assert_int_equal(bulletin_days_without("2020-01-30", "", "2020-01-24"), 7);
	/* a day before any record */
	assert_int_equal(bulletin_days_without("2020-01-01", NULL, NULL), 0);
	assert_int_equal(bulletin_days_without("2020-01-01", NULL, "2020-01-24"), 0);
	assert_int_equal(bulletin_days_without("nope", "2020-02-01", NULL), -1);
}

static void fixture(struct bulletin *b)
{
	memset(b, 0, sizeof *b);
	snprintf(b->day, sizeof b->day, "2020-02-15");
	snprintf(b->scope_name, sizeof b->scope_name, "金凤区");
	b->cases.confirmed_total = 8;
	b->cases.cured_total = 6;
	b->cases.days_without_new_confirmed = 14;
	b->epidemic_points.total = 7;
	b->epidemic_points.lifted = 7;
	b->command.working_groups = 8;
	b->command.leaders = 36;
	b->command.responsible_units = 44;
	b->checkpoints.road = 4;
	b->checkpoints.rail = 1;
	b->checkpoints.road_vehicles = 131248;
	b->checkpoints.road_person_trips = 244063;
	b->checkpoints.rail_trains = 612;
	b->checkpoints.rail_person_trips = 86805;
	b->notices = 9;
	b->nrounds = 2;
	b->screening[0] = (struct bulletin_round){1, 11, "第一轮走访摸排", 244540, 620623};
	b->screening[1] = (struct bulletin_round){2, 12, "第二轮精准摸排", 239549, 550019};
	b->funds.allocated_fen = 455000000;
	b->funds.donations_fen = 1233410000;
	b->nsupplies = 1;
	snprintf(b->supplies[0].item, sizeof b->supplies[0].item, "N95口罩<A&B>");
	snprintf(b->supplies[0].unit, sizeof b->supplies[0].unit, "只");
	b->supplies[0].quantity = 41000;
	b->enterprises.above_scale = 38;
	b->enterprises.resumed = 25;
	b->enterprises.seasonal = 7;
	b->supervision.inspection_groups = 7;
	b->supervision.support_groups = 1;
}

static void json_keys(void **state)
{
	(void)state;
	struct bulletin b;
	fixture(&b);
	json_t *j = bulletin_json(&b);
	assert_non_null(j);
	static const char *const keys[] = {"day",	    "cases",	   "epidemic_points",
					   "command",	    "checkpoints", "notices",
					   "screening",	    "isolation",   "funds",
					   "supplies",	    "enterprises", "supervision",
					   "reporting"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		assert_non_null(json_object_get(j, keys[i]));
	assert_string_equal(json_string_value(json_object_get(j, "day")), "2020-02-15");
	json_t *cases = json_object_get(j, "cases");
	static const char *const ck[] = {"confirmed_total", "cured_total", "deaths_total",
					 "critical_now", "medical_workers_infected",
					 "days_without_new_confirmed"};
	for (size_t i = 0; i < 6; i++)
		assert_true(json_is_integer(json_object_get(cases, ck[i])));
	assert_int_equal(json_integer_value(json_object_get(cases, "days_without_new_confirmed")), 14);
	json_t *cp = json_object_get(j, "checkpoints");
	assert_int_equal(json_integer_value(json_object_get(cp, "road_vehicles")), 131248);
	assert_int_equal(json_integer_value(json_object_get(cp, "rail")), 1);
	json_t *sc = json_object_get(j, "screening");
	assert_int_equal(json_array_size(sc), 2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(sc, 1), "round")), 2);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(sc, 1), "persons")), 550019);
	json_t *en = json_object_get(j, "enterprises");
	assert_true(json_real_value(json_object_get(en, "resumption_rate")) == 0.806);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "funds"), "donations_fen")),
			 1233410000);
	json_t *s0 = json_array_get(json_object_get(j, "supplies"), 0);
	assert_string_equal(json_string_value(json_object_get(s0, "unit")), "只");
	assert_int_equal(json_integer_value(json_object_get(s0, "quantity")), 41000);
	json_t *rep = json_object_get(j, "reporting");
	assert_non_null(json_object_get(rep, "on_time"));
	json_decref(j);

	/* a day before any record: every key there, every figure zero */
	struct bulletin empty;
	memset(&empty, 0, sizeof empty);
	snprintf(empty.day, sizeof empty.day, "2019-12-01");
	j = bulletin_json(&empty);
	assert_non_null(j);
	assert_int_equal(json_array_size(json_object_get(j, "screening")), 0);
	assert_int_equal(json_array_size(json_object_get(j, "supplies")), 0);
	assert_true(json_real_value(json_object_get(json_object_get(j, "enterprises"),
						    "resumption_rate")) == 0);
	json_decref(j);
}

static const struct bulletin_line *find(const struct bulletin_line *l, size_t n, const char *path)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(l[i].path, path) == 0)
			return &l[i];
	return NULL;
}

static void table_lines(void **state)
{
	(void)state;
	struct bulletin b;
	fixture(&b);
	struct bulletin_line l[BULLETIN_MAX_LINES];
	size_t n = bulletin_lines(&b, l, BULLETIN_MAX_LINES);
	assert_true(n > 30);
	const struct bulletin_line *x = find(l, n, "checkpoints.road_vehicles");
	assert_non_null(x);
	assert_string_equal(x->value, "131,248");
	assert_int_equal(x->n, 131248);
	x = find(l, n, "funds.donations_fen");
	assert_string_equal(x->value, "12,334,100");
	x = find(l, n, "screening[1].persons");
	assert_string_equal(x->value, "550,019");
	assert_non_null(strstr(x->label, "第二轮"));
	x = find(l, n, "enterprises.resumption_rate");
	assert_string_equal(x->value, "80.6%");
	x = find(l, n, "supplies[0].quantity");
	assert_string_equal(x->value, "41,000");
	/* a short buffer gets the first lines only */
	assert_int_equal(bulletin_lines(&b, l, 3), 3);
	/* money with fen */
	b.funds.allocated_fen = 12345;
	n = bulletin_lines(&b, l, BULLETIN_MAX_LINES);
	assert_string_equal(find(l, n, "funds.allocated_fen")->value, "123.45");
}

static void printable_page(void **state)
{
	(void)state;
	struct bulletin b;
	fixture(&b);
	struct buf out = {0};
	assert_int_equal(bulletin_html(&b, &out), 0);
	const char *h = buf_str(&out);
	assert_non_null(strstr(h, "<title>金凤区疫情防控工作日报 2020-02-15</title>"));
	assert_non_null(strstr(h, "2020年2月15日"));
	assert_non_null(strstr(h, "累计报告确诊病例8例，治愈出院6例"));
	assert_non_null(strstr(h, "已连续14天无新增确诊病例"));
	assert_non_null(strstr(h, "设立卡点5个（公路4个、铁路1个）"));
	assert_non_null(strstr(h, "累计检查车辆131,248辆"));
	assert_non_null(strstr(h, "第二轮摸排239,549户、550,019人"));
	assert_non_null(strstr(h, "下拨资金455万元，接受定向捐赠1,233.41万元"));
	assert_non_null(strstr(h, "复工率80.6%"));
	/* text from records is escaped */
	assert_non_null(strstr(h, "N95口罩&lt;A&amp;B&gt;"));
	assert_null(strstr(h, "<A&B>"));
	assert_non_null(strstr(h, "<table>"));
	buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(day_bounds),	 cmocka_unit_test(resumption_rate),
		cmocka_unit_test(days_without),	 cmocka_unit_test(json_keys),
		cmocka_unit_test(table_lines),	 cmocka_unit_test(printable_page),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
