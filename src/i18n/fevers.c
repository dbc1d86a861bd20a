/* Chinese for the messages of src/feature/fevers.c (following up and
 * closing fevers); see base/err.h. */
#include "catalogs.h"

static const struct err_msg msgs[] = {
	{"must be remeasured_normal or ruled_out", "必须是 remeasured_normal（复测正常）或 ruled_out（已排除）"},
	{"is required: the temperature re-measured at rest", "必填：静息状态下复测的体温"},
	{"%.1f °C is still a fever (%.1f or more): the fever stays open",
	 "%.1f °C 仍为发热（%.1f 及以上），发热记录不能解除"},
	{"must be open or closed", "必须是 open 或 closed"},
	{"no such fever", "发热记录不存在"},
	{"must be a body temperature in °C, e.g. 36.5", "必须是摄氏体温，如 36.5"},
	{"this fever was closed on %s by %s", "此发热记录已于 %s 由 %s 解除"},
	{"this fever was closed meanwhile", "此发热记录已被他人解除"},
};
ERR_CATALOG(fevers_zh, "src/feature/fevers.c", msgs);
