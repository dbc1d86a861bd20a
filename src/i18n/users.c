/* Chinese for the messages of src/feature/users.c (accounts, roles and
 * devices); see base/err.h. */
#include "catalogs.h"

static const struct err_msg msgs[] = {
	{"this unit is outside your own area (scope)", "此单位不在您本人的管辖范围内"},
	{"must be a role name, not null", "必须是角色名称，不能为空"},
	{"no such role \"%s\"", "角色“%s”不存在"},
	{"no such role", "角色不存在"},
	{"must be 3 to 32 characters: lower-case letters a-z, digits, '_', '.' or '-'",
	 "必须是 3 到 32 个字符：小写字母 a-z、数字、'_'、'.' 或 '-'"},
	{"the username %s is taken", "用户名 %s 已被使用"},
	{"this user is outside your area (scope)", "此用户不在您的管辖范围内"},
	{"you cannot disable your own account", "不能停用自己的账户"},
	{"%s \"%s\": a device may carry only one of %s", "%s“%s”：设备只能使用以下角色之一：%s"},
	{"no such device", "设备不存在"},
	{"this device is outside your area (scope)", "此设备不在您的管辖范围内"},
	{"this device token is already revoked", "此设备令牌已被吊销"},
	{"only an enterprise account belongs to an enterprise", "只有企业账户才隶属于企业"},
	{"an enterprise account needs its enterprise", "企业账户须指定所属企业"},
	{"this enterprise is outside your area (scope)", "该企业不在您的管辖范围内"},
};
ERR_CATALOG(users_zh, "src/feature/users.c", msgs);
