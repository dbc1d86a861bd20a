/* Chinese for the messages of src/feature/gates.c (compound gates and
 * their passages); see base/err.h. Gate decision reasons are not here:
 * they are worded where the decision is made. */
#include "catalogs.h"

static const struct err_msg msgs[] = {
	{"the unit is outside your area (scope)", "该单位不在您的管辖范围内"},
	{"a gate belongs to a compound, not a %s", "门岗只能设在小区，不能设在 %s"},
	{"the compound already has a gate \"%s\"", "该小区已有门岗“%s”"},
	{"no such gate", "门岗不存在"},
	{"this client id was already used for another write", "此客户端编号已用于另一次提交"},
	{"this gate is outside your area (scope)", "此门岗不在您的管辖范围内"},
	{"must be \"in\" or \"out\"", "必须是 \"in\" 或 \"out\""},
	{"must be resident, courier, delivery or visitor", "必须是 resident、courier、delivery 或 visitor"},
	{"unknown document type", "未知的证件类型"},
	{"give the pass token or a document number, not both", "通行证和证件号码只能提供其一"},
	{"scan the pass or type the document number", "请扫描通行证或输入证件号码"},
	{"must be a number in °C, e.g. 36.5", "必须是摄氏度数值，如 36.5"},
	{"%.1f °C is not a body temperature: measure again", "%.1f °C 不是有效体温，请重新测量"},
	{"is required for everyone going in (凡进必测)", "所有进入人员都须测量（凡进必测）"},
	{"must be allow or deny", "必须是 allow 或 deny"},
	{"not a cursor of this list", "不是此列表的分页游标"},
};
ERR_CATALOG(gates_zh, "src/feature/gates.c", msgs);
