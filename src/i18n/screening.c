/* Chinese for the messages of src/feature/screening.c (摸排 rounds,
 * 一托三 teams and household visits); see base/err.h. */
#include "catalogs.h"

static const struct err_msg msgs[] = {
	/* rounds */
	{"no such round", "摸排轮次不存在"},
	{"is before start_date %s", "早于开始日期 %s"},
	{"a round covers a district, town, sub-district, village or community, not a %s",
	 "摸排轮次的范围应为区、乡镇、街道、村或社区，不能是 %s"},
	{"this unit already has a round named %s (round %lld)", "该单位已有名为 %s 的摸排轮次（轮次 %lld）"},
	/* teams */
	{"must be a list of 1 to 200 compound ids", "必须是 1 到 200 个小区编号的列表"},
	{"a 一托三 team belongs to a community or village, not a %s", "一托三小组只能属于社区或村，不能属于 %s"},
	{"this unit is outside the round's area", "该单位不在本轮摸排范围内"},
	{"no such compound (unit %lld)", "小区不存在（单位 %lld）"},
	{"unit %lld is not a compound", "单位 %lld 不是小区"},
	{"compound %lld is not under the team's %s", "小区 %lld 不在该小组所属的 %s 之下"},
	{"no such user", "用户不存在"},
	{"the grid worker's area (scope) is not inside the team's %s",
	 "网格员的管辖范围不在该小组所属的 %s 之内"},
	/* visits */
	{"unknown result", "未知的走访结果"},
	{"is required with origin_code", "填写来源地时为必填项"},
	{"is required with arrival_date", "填写抵达日期时为必填项"},
	{"is the same document as persons[%zu]", "与 persons[%zu] 的证件相同"},
	{"must be door, phone or app", "必须是 door、phone 或 app"},
	{"must be visited, empty, refused or moved", "必须是 visited、empty、refused 或 moved"},
	{"must be a list", "必须是列表"},
	{"at most %d persons on one visit", "一次走访最多登记 %d 人"},
	{"a visit with result %s registers nobody at the household", "走访结果为 %s 时不能登记住户人员"},
	{"this household is outside the round's area", "该住户不在本轮摸排范围内"},
	{"no such team in this round", "本轮摸排中没有此小组"},
	{"this household is not in a compound of the team", "该住户不在此小组负责的小区内"},
	{"this household's latest visit in the round did not find it empty",
	 "该住户本轮最近一次走访的结果不是空置"},
	{"this round is outside your area (scope)", "此摸排轮次不在您的管辖范围内"},
};
ERR_CATALOG(screening_zh, "src/feature/screening.c", msgs);
