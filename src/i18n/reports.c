/* Chinese for the messages of src/feature/reports.c (daily and zero
 * reports, reporting units); see base/err.h. */
#include "catalogs.h"

static const struct err_msg msgs[] = {
	{"must not be before since_day", "不能早于起报日"},
	{"a key reporting unit is a town, sub-district, village or community, not a %s",
	 "重点报告单位须是乡镇、街道、村或社区，不能是 %s"},
	{"must not be before from", "不能早于开始日期"},
	{"a period is at most a year", "时间段最长一年"},
	{"must be unit or day", "须为 unit（按单位）或 day（按日）"},
	{"no such report", "报告不存在"},
	{"must be an object of the day's figures", "必须是当日各项数字组成的对象"},
	{"is not a figure of the daily report", "不是日报告的数字项"},
	{"must be a whole number from 0 to 10000000", "必须是 0 到 10000000 的整数"},
	{"a zero report has no figures above zero", "零报告的各项数字都应为零"},
	{"give the day's figures or text, or file a zero report", "请填写当日数字或情况说明，或报送零报告"},
	{"the day %s has not come yet", "%s 尚未到来"},
	{"this unit does not file daily reports (towns, sub-districts and key units do)",
	 "该单位无须报送日报告（乡镇、街道和重点单位报送）"},
	{"this unit did not owe a report on %s", "该单位 %s 无须报送"},
	{"another report for this unit and day was filed at the same moment; try again",
	 "同一单位同一天的另一份报告刚刚报送，请重试"},
	{"report", "报告"},
};
ERR_CATALOG(reports_zh, "src/feature/reports.c", msgs);
