/* Chinese for the messages of src/feature/areas.c (risk areas); see
 * base/err.h. Formats shared with later files (the date format, risk
 * grades) are translated here once. */
#include "catalogs.h"

static const struct err_msg msgs[] = {
	{"must be a date YYYY-MM-DD", "必须是 YYYY-MM-DD 格式的日期"},
	{"must be severe, heavy, other_province, local, high, medium or low",
	 "必须是 severe、heavy、other_province、local、high、medium 或 low"},
	{"%s is already listed from %s (risk area %lld); change that one",
	 "%s 已有自 %s 起的记录（风险地区 %lld），请修改该条"},
	{"must be a 6-digit GB/T 2260 code (province 420000, prefecture 420100, county 420102)",
	 "必须是 6 位 GB/T 2260 行政区划代码（省 420000、地市 420100、区县 420102）"},
	{"must not be before valid_from (%s)", "不能早于起始日期（%s）"},
	{"%s is not a GB/T 2260 division code", "%s 不是 GB/T 2260 行政区划代码"},
	{"no such risk area", "风险地区不存在"},
	{"must not be null", "不能为空"},
	{"valid_to (%s) must not be before valid_from (%s)", "截止日期（%s）不能早于起始日期（%s）"},
};
ERR_CATALOG(areas_zh, "src/feature/areas.c", msgs);
