/* Chinese for the messages of src/feature/bulletin.c (the daily bulletin);
 * see base/err.h. */
#include "catalogs.h"

static const struct err_msg msgs[] = {
	{"must be a date YYYY-MM-DD", "必须是 YYYY-MM-DD 格式的日期"},
	{"must be json, html or xlsx", "必须是 json、html 或 xlsx"},
	{"no such unit", "单位不存在"},
	{"bulletin: %s: %s", "日报：%s：%s"},
};
ERR_CATALOG(bulletin_zh, "src/feature/bulletin.c", msgs);
