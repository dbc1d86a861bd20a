/* Chinese for the messages of src/feature/enterprises.c (enterprises, the
 * checklists, the resumption rate); see base/err.h. */
#include "catalogs.h"

static const struct err_msg msgs[] = {
	{"must be 18 characters (统一社会信用代码), not %zu", "统一社会信用代码须为 18 位，不是 %zu 位"},
	{"character %zu is not allowed: digits and capital letters without I, O, S, V or Z",
	 "第 %zu 位字符不允许：只能是数字和大写字母（不含 I、O、S、V、Z）"},
	{"character 1 must be a registration authority (1-9, A, N or Y)",
	 "第 1 位须为登记管理部门代码（1-9、A、N 或 Y）"},
	{"characters 3 to 8 must be a 6-digit division code", "第 3 至 8 位须为 6 位行政区划码"},
	{"the organization code's check character (character 17) should be %c, not %c",
	 "组织机构代码校验位（第 17 位）应为 %c，不是 %c"},
	{"no such enterprise", "企业不存在"},
	{"enterprise", "企业"},
	{"must be 1 to 32 lower-case letters, digits or '_'", "须为 1 至 32 个小写字母、数字或“_”"},
	{"an enterprise with credit code %s is already registered", "统一社会信用代码为 %s 的企业已登记"},
	{"no such checklist", "清单不存在"},
	{"must be a list of 1 to 30 items", "须为 1 至 30 项的列表"},
	{"item %zu must be an object", "第 %zu 项须为对象"},
	{"item %zu: a code is 1 to 32 lower-case letters, digits or '_'",
	 "第 %zu 项：代码须为 1 至 32 个小写字母、数字或“_”"},
	{"item %zu repeats the code %s", "第 %zu 项的代码 %s 重复"},
	{"must not be in the future (today is %s)", "不能晚于今天（今天是 %s）"},
	{"you may not change enterprises", "您无权修改企业信息"},
	{"an enterprise account changes only its address, contact and headcount",
	 "企业账号只能修改本企业的地址、联系人和职工人数"},
};
ERR_CATALOG(enterprises_zh, "src/feature/enterprises.c", msgs);
