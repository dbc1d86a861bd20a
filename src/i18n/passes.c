/* Chinese for the messages of src/feature/passes.c (residents' passes);
 * see base/err.h. Colour reasons are not here: they are worded where the
 * colour is decided. */
#include "catalogs.h"

static const struct err_msg msgs[] = {
	{"this is not a Cordon pass", "这不是 Cordon 签发的通行证"},
	{"no such pass", "通行证不存在"},
	{"no such person", "人员不存在"},
	{"the person is outside your area (scope)", "该人员不在您的管辖范围内"},
	{"this record was merged into another; issue the pass to that one",
	 "此记录已合并到另一条记录，请为该记录签发通行证"},
	{"the person is not located in a compound: place them in their compound first",
	 "该人员尚未登记到小区，请先将其登记到所住小区"},
	{"the person's compound is outside your area (scope)", "该人员所在小区不在您的管辖范围内"},
	{"must be active, expired or revoked", "必须是 active、expired 或 revoked"},
	/* the key file that seals the signing keys (cordon serve, demo, backup) */
	{"cannot read %s", "无法读取 %s"},
	{"%s is readable by others: chmod 600 it (it signs passes)", "%s 可被他人读取：请执行 chmod 600（它用于签发通行证）"},
	{"%s is not a cordon key file", "%s 不是 cordon 密钥文件"},
	{"the path is too long", "路径过长"},
	{"cannot create %s: %s", "无法创建 %s：%s"},
	{"cannot read %s: %s", "无法读取 %s：%s"},
};
ERR_CATALOG(passes_zh, "src/feature/passes.c", msgs);
