/* Chinese for the messages of src/feature/dispatch.c (日调度: meetings,
 * progress, problems); see base/err.h. */
#include "catalogs.h"

static const struct err_msg msgs[] = {
	{"no such meeting", "调度会议不存在"},
	{"the meeting of %s is held already", "%s 的调度会议已召开"},
	{"give an owner: owner_user_id or owner_org_id", "请指定责任人或责任单位"},
	{"give owner_user_id or owner_org_id, not both", "责任人和责任单位只能指定其一"},
	{"a problem is not due before the meeting (%s)", "办结期限不能早于会议日期（%s）"},
	{"must be open or closed", "必须是 open 或 closed"},
	{"no such problem", "问题不存在"},
	{"a problem is not closed before it was raised (%s)", "办结日期不能早于提出日期（%s）"},
	{"this problem is closed already", "此问题已办结"},
};
ERR_CATALOG(dispatch_zh, "src/feature/dispatch.c", msgs);
