/* Chinese for the messages of src/feature/people.c (persons, households,
 * ID numbers, mobile numbers, travel and risk history); see base/err.h. */
#include "catalogs.h"

static const struct err_msg msgs[] = {
	/* ID numbers */
	{"must be 18 characters (or 15 digits)", "必须是 18 位（或 15 位数字）"},
	{"must be 18 characters (or an old 15-digit number), not %zu",
	 "必须是 18 位（或旧式 15 位号码），而不是 %zu 位"},
	{"the last character must be a digit or X", "最后一位必须是数字或 X"},
	{"must be digits (the last may be X)", "必须是数字（最后一位可以是 X）"},
	{"the first two digits (%.2s) are not a province code", "前两位（%.2s）不是省份代码"},
	{"the birth date %.8s is not a real date", "出生日期 %.8s 不是有效日期"},
	{"the birth date %s is in the future", "出生日期 %s 晚于今天"},
	{"check character should be %c, not %c", "校验位应为 %c，而不是 %c"},
	/* mobile numbers, documents */
	{"is too long for a mobile number", "超出手机号长度"},
	{"must be an 11-digit mobile number starting 13-19 (optionally +86)",
	 "必须是以 13 至 19 开头的 11 位手机号（可带 +86）"},
	{"may hold only letters, digits, '-' and brackets", "只能包含字母、数字、'-' 和括号"},
	{"must be unit or day", "须为 unit（按单位）或 day（按日）"},
	{"must be at most 32 characters", "不能超过 32 个字符"},
	{"must be at least 3 characters", "至少需要 3 个字符"},
	/* persons */
	{"must be M or F", "必须是 M 或 F"},
	{"is in the future", "晚于今天"},
	{"%s disagrees with the ID number, which says %s", "%s 与身份证号不符，身份证号显示为 %s"},
	{"%s disagrees with the ID number, which says %c", "%s 与身份证号不符，身份证号显示为 %c"},
	{"must be car, train, plane or other", "必须是 car、train、plane 或 other"},
	/* households */
	{"must be occupied, empty or unknown", "必须是 occupied、empty 或 unknown"},
	{"%s is already registered in this compound (household %lld)", "%s 已在本小区登记（住户 %lld）"},
	{"a household belongs to a compound or a building", "住户只能属于小区或楼栋"},
	{"%s is already registered in this compound", "%s 已在本小区登记"},
	{"no such household", "住户不存在"},
	/* registration, merging */
	{"this document is already registered (outside your area)", "此证件已登记（在您的管辖范围外）"},
	{"this document is already registered: person %lld", "此证件已登记：人员 %lld"},
	{"the household is outside your area (scope)", "该住户不在您的管辖范围内"},
	{"the household %lld is in unit %lld, not %lld", "住户 %lld 属于单位 %lld，而不是 %lld"},
	{"is required (or a household_id)", "为必填项（或指定住户）"},
	{"this document was registered at the same moment", "此证件已在同一时刻被登记"},
	{"this record was merged into person %lld", "此记录已合并到人员 %lld"},
	{"is this same record", "与本记录是同一条"},
	{"the other record is outside your area (scope)", "另一条记录不在您的管辖范围内"},
	{"that record was already merged into person %lld", "该记录已合并到人员 %lld"},
	/* risk history */
	{"must be centralized, home or monitor", "必须是 centralized、home 或 monitor"},
};
ERR_CATALOG(people_zh, "src/feature/people.c", msgs);
