/* Chinese for the messages of src/feature/contacts.c (trajectories and
 * contact decisions); see base/err.h. */
#include "catalogs.h"

static const struct err_msg msgs[] = {
	{"this log row is already stay %lld", "此记录已是轨迹 %lld"},
	{"no log row of this case's person with this id", "该病例本人没有此编号的记录"},
	{"must be interview, bigdata, gate_log or checkpoint_log",
	 "必须是 interview、bigdata、gate_log 或 checkpoint_log"},
	{"must be unit, checkpoint, train, vehicle, venue or address",
	 "必须是 unit、checkpoint、train、vehicle、venue 或 address"},
	{"is before `from`", "早于 `from`"},
	{"is required for a stay in a unit", "在单位的停留须填写此项"},
	{"is required for a stay at a checkpoint", "在卡点的停留须填写此项"},
	{"no such unit", "单位不存在"},
	{"no such checkpoint", "卡点不存在"},
	{"this candidate has been decided already", "此候选人已判定"},
	{"must be close, general or none", "必须是 close、general 或 none"},
	{"is required for a close or general contact", "密切接触者或一般接触者须填写此项"},
	{"is the case's own person", "是病例本人"},
};
ERR_CATALOG(contacts_zh, "src/feature/contacts.c", msgs);
