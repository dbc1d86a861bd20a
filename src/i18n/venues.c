/* Chinese for the messages of src/feature/venues.c (venue closures); see
 * base/err.h. */
#include "catalogs.h"

static const struct err_msg msgs[] = {
	{"must be mall, religious, internet_cafe, serviced_apartment, market, poultry or other",
	 "必须是 mall、religious、internet_cafe、serviced_apartment、market、poultry 或 other"},
	{"must be open, closed or reopened", "必须是 open、closed 或 reopened"},
	{"a venue named %s exists in this unit", "该单位已有名为 %s 的场所"},
	{"no such venue", "场所不存在"},
	{"this venue was closed on %s already", "该场所已于 %s 关停"},
	{"no such published notice", "已发布的公告中没有此公告"},
	{"this venue is not closed", "该场所未处于关停状态"},
	{"must be after the closing day %s", "必须晚于关停日期 %s"},
};
ERR_CATALOG(venues_zh, "src/feature/venues.c", msgs);
