/* Chinese for the messages of src/feature/units.c (the unit tree and its
 * CSV import); see base/err.h. */
#include "catalogs.h"

static const struct err_msg msgs[] = {
	{"unknown kind \"%s\"", "未知的单位类型“%s”"},
	{"code %s is already used by %s (id %lld)", "编码 %s 已被 %s 使用（编号 %lld）"},
	{"code %s is already used", "编码 %s 已被使用"},
	{"must be one of district, town, subdistrict, village, community, compound, building",
	 "必须是 district、town、subdistrict、village、community、compound、building 之一"},
	{"must be 1 to 32 letters, digits or '-'", "必须是 1 到 32 个字母、数字或 '-'"},
	{"only an admin may create the district", "只有管理员可以创建区"},
	{"the district exists; a new unit needs a parent_id", "区已存在，新单位须指定上级单位"},
	{"the first unit must be the district", "第一个单位必须是区"},
	{"the parent unit is outside your area (scope)", "上级单位不在您的管辖范围内"},
	{"a %s cannot be placed under a %s", "%s 不能设在 %s 之下"},
	{"the new parent is outside your area (scope)", "新的上级单位不在您的管辖范围内"},
	{"a unit cannot move under itself", "单位不能移到自身之下"},
	{"no recognisable header row: expected the columns parent_code, kind, code, name and "
	 "optionally property_company (or 上级代码, 类型, 代码, 名称, 物业公司)",
	 "无法识别表头行：应有 parent_code、kind、code、name 列，可选 property_company 列"
	 "（或 上级代码、类型、代码、名称、物业公司）"},
};
ERR_CATALOG(units_zh, "src/feature/units.c", msgs);
