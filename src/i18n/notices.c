/* Chinese for the messages of src/feature/notices.c (public notices); see
 * base/err.h. */
#include "catalogs.h"

static const struct err_msg msgs[] = {
	{"must be published or draft", "必须是 published 或 draft"},
	{"no such notice", "公告不存在"},
	{"this notice belongs to a unit above your area (scope)", "此公告属于您管辖范围以上的单位"},
	{"a published notice is not changed", "已发布的公告不能修改"},
	{"this notice is published already", "此公告已发布"},
	{"another notice took this number at the same moment; try again", "另一公告刚刚占用了此编号，请重试"},
	{"the day %s has not come yet", "%s 尚未到来"},
};
ERR_CATALOG(notices_zh, "src/feature/notices.c", msgs);
