/* Chinese for the messages of src/feature/supervision.c (督查: groups,
 * inspections, findings); see base/err.h. */
#include "catalogs.h"

static const struct err_msg msgs[] = {
	{"no such inspection group", "督查组不存在"},
	{"must be inspection or support", "必须是 inspection 或 support"},
	{"a group named %s exists already", "名为 %s 的督查组已存在"},
	{"this group belongs to a unit above your area (scope)", "此督查组属于您管辖范围以上的单位"},
	{"must be a list of objects", "必须是对象列表"},
	{"a rectification deadline is not before the inspection (%s)", "整改期限不能早于督查日期（%s）"},
	{"must be group, assignment or unit", "必须是 group、assignment 或 unit"},
	{"must be open or rectified", "必须是 open 或 rectified"},
	{"no such inspection", "督查记录不存在"},
	{"no such finding", "督查问题不存在"},
	{"this finding is rectified already", "此问题已整改"},
};
ERR_CATALOG(supervision_zh, "src/feature/supervision.c", msgs);
