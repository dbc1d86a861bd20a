/* Chinese for the messages of src/feature/command.c (working groups,
 * leaders, responsible units and their assignments); see base/err.h. */
#include "catalogs.h"

static const struct err_msg msgs[] = {
	{"this %s belongs to a unit above your area (scope)", "此 %s 属于您管辖范围以上的单位"},
	{"no such leader", "包抓领导不存在"},
	{"no such working group", "专项工作组不存在"},
	{"must be 1 to 32 letters, digits, '-' or '_'", "必须是 1 到 32 个字母、数字、'-' 或 '_'"},
	{"code %s is already used by another working group", "编码 %s 已被其他专项工作组使用"},
	{"must be an 11-digit mobile number such as 13812345678 (+86 and spaces allowed)",
	 "必须是 11 位手机号，如 13812345678（可带 +86 和空格）"},
	{"a responsible unit named %s exists already", "名为 %s 的责任单位已存在"},
	{"give a leader_id or an org_id (one of them)", "请指定包抓领导或责任单位（二选一）"},
	{"give a leader_id or an org_id, not both", "包抓领导和责任单位只能指定其一"},
	{"this unit is outside your area (scope)", "此单位不在您的管辖范围内"},
	{"leaders and responsible units are assigned to towns, sub-districts, villages and "
	 "communities, not to a %s",
	 "包抓领导和责任单位只能分配到乡镇、街道、村和社区，不能分配到 %s"},
	{"no such responsible unit", "责任单位不存在"},
	{"this %s is already assigned to this unit", "此 %s 已分配到该单位"},
	{"no such assignment", "包抓关系不存在"},
	{"this assignment is outside your area (scope)", "此包抓任务不在您的管辖范围内"},
};
ERR_CATALOG(command_zh, "src/feature/command.c", msgs);
