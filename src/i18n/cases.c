/* Chinese for the messages of src/feature/cases.c (cases and their
 * transitions); see base/err.h. */
#include "catalogs.h"

static const struct err_msg msgs[] = {
	{"is after today (%s)", "晚于今天（%s）"},
	{"no such person", "人员不存在"},
	{"no such case", "病例不存在"},
	{"case", "病例"},
	{"is before the case's last change (%s)", "早于该病例最近一次变更（%s）"},
	{"the case is already %s", "该病例已是 %s 状态"},
	{"a case cannot go from %s to %s", "病例不能从 %s 变为 %s"},
	{"must be a local time YYYY-MM-DDTHH:MM", "必须是本地时间 YYYY-MM-DDTHH:MM"},
	{"must be suspected, confirmed, asymptomatic, excluded, cured or died",
	 "必须是 suspected、confirmed、asymptomatic、excluded、cured 或 died"},
	{"a case is reported as suspected, confirmed or asymptomatic, not %s",
	 "病例只能以疑似、确诊或无症状报告，不能是 %s"},
	{"is after the report day", "晚于报告日期"},
	{"must be mild, severe or critical", "必须是 mild、severe 或 critical"},
	{"must be checkpoint, screening, fever_clinic, contact_tracing, self or other",
	 "必须是 checkpoint、screening、fever_clinic、contact_tracing、self 或 other"},
	{"this person is already case %lld", "此人已是病例 %lld"},
	{"this person is already a case", "此人已是病例"},
	{"must be on or before `to` and at most %d days before it", "必须不晚于 `to`，且最多早 %d 天"},
};
ERR_CATALOG(cases_zh, "src/feature/cases.c", msgs);
