/* Chinese for the messages of src/feature/volunteers.c (志愿者: registration,
 * posts, shifts, accounts); see base/err.h. */
#include "catalogs.h"

static const struct err_msg msgs[] = {
	{"no such volunteer", "志愿者不存在"},
	{"a volunteer with this phone is registered in this unit already", "该单位已登记使用此手机号的志愿者"},
	{"must be compound, gate, epidemic_point or service", "必须是 compound、gate、epidemic_point 或 service"},
	{"must not be before from_day", "不能早于开始日期"},
	{"a compound or gate post is at a compound, not a %s", "小区或门岗岗位须设在小区，不能设在 %s"},
	{"must be after start_at", "必须晚于开始时间"},
	{"a shift is at most 24 hours", "一次服务最长 24 小时"},
	{"a shift is recorded once served", "服务结束后才能登记"},
	{"no such post", "岗位不存在"},
	{"this volunteer has a shift at that time already", "该志愿者在此时间已有服务记录"},
	{"must be 8 to 128 characters", "必须是 8 到 128 个字符"},
	{"this volunteer is a user already", "该志愿者已有账号"},
	{"username %s is taken", "用户名 %s 已被使用"},
	{"must be unit or volunteer", "必须是 unit 或 volunteer"},
};
ERR_CATALOG(volunteers_zh, "src/feature/volunteers.c", msgs);
