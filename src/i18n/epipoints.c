/* Chinese for the messages of src/feature/epipoints.c (epidemic points);
 * see base/err.h. */
#include "catalogs.h"

static const struct err_msg msgs[] = {
	{"no such epidemic point", "疫点不存在"},
	{"epidemic point", "疫点"},
	{"the point cannot be lifted on %s: %d blocker(s) remain", "疫点不能在 %s 解除：尚有 %d 项未满足"},
	{"the point is lifted already", "该疫点已解除"},
	{"must be a list of 1 to 100 case ids", "必须是 1 至 100 个病例编号"},
	{"must be case ids", "必须是病例编号"},
	{"no such case: %lld", "病例不存在：%lld"},
	{"this place is already open epidemic point %lld", "此地已是未解除的疫点 %lld"},
	{"must be open or lifted", "必须是 open 或 lifted"},
	{"no such step", "步骤不存在"},
	{"this step is done already", "此步骤已完成"},
	{"must be incident, health or supply", "必须是 incident、health 或 supply"},
	{"must be a list of 1 to 20 steps", "必须是 1 至 20 个步骤"},
	{"step %zu must be an object", "第 %zu 步格式不对"},
	{"step %zu needs a Chinese and an English name (up to 100 and 200 characters)",
	 "第 %zu 步需要中文和英文名称（分别不超过 100 和 200 个字符）"},
};
ERR_CATALOG(epipoints_zh, "src/feature/epipoints.c", msgs);
