/* Chinese for the messages of src/feature/enterprise_inspections.c
 * (operating inspections and findings); see base/err.h. */
#include "catalogs.h"

static const struct err_msg msgs[] = {
	{"must be a list of at most 50 findings", "最多 50 个问题"},
	{"finding %zu must be an object", "第 %zu 个问题须为对象"},
	{"must be a date YYYY-MM-DD on or after the inspection day", "须为检查日当天或之后的日期 YYYY-MM-DD"},
	{"no such item \"%s\" in the eight prohibitions", "“八个严禁”中没有“%s”这一项"},
	{"the enterprise had not resumed work by %s: only operating enterprises are inspected",
	 "该企业在 %s 前尚未复工：只检查已复工的企业"},
	{"must be open, fixed or overdue", "须为 open、fixed 或 overdue"},
	{"no such finding", "问题不存在"},
};
ERR_CATALOG(enterprise_inspections_zh, "src/feature/enterprise_inspections.c", msgs);
