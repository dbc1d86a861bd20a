/* Chinese for the messages of src/feature/enterprise_apps.c (applications
 * to resume, employees, review, the day resumed); see base/err.h. */
#include "catalogs.h"

static const struct err_msg msgs[] = {
	{"must be pending, approved, rejected or returned", "须为 pending、approved、rejected 或 returned"},
	{"no such application", "申请不存在"},
	{"application", "复工申请"},
	{"apply at least %d days before the planned start: the earliest start for an application filed today is %s",
	 "须在计划复工日前至少 %d 天申请：今天申请最早可于 %s 复工"},
	{"must be a list of {\"item\",\"evidence\"}", "须为 {\"item\",\"evidence\"} 的列表"},
	{"item %zu must be an object {\"item\",\"evidence\"}", "第 %zu 项须为 {\"item\",\"evidence\"} 对象"},
	{"no such item \"%s\" in the seven musts", "“七个必须”中没有“%s”这一项"},
	{"the item %s is answered twice", "%s 一项重复填写"},
	{"the item %s (%s) needs its evidence", "%s（%s）一项须填写落实情况"},
	{"is required with an origin", "填写来源地时必填"},
	{"is required with an arrival date", "填写到达日期时必填"},
	{"must not be in the future", "不能晚于今天"},
	{"this employee is already on the application", "该员工已在申请名单中"},
	{"the application is %s: it can no longer change", "申请状态为 %s，不能再修改"},
	{"must be a list of at most 2,000 employees (import a CSV for more)",
	 "最多 2,000 名员工（更多请导入 CSV）"},
	{"this enterprise already has application %lld (%s)", "该企业已有复工申请 %lld（%s）"},
	{"employee %zu must be an object", "第 %zu 名员工须为对象"},
	{"must be approve, reject or return", "须为 approve、reject 或 return"},
	{"is required to reject or return an application", "不予通过或退回补充时须填写理由"},
	{"the application is %s, not pending: it was already decided or returned",
	 "申请状态为 %s，不是待审核：已审核或已退回"},
	{"the first row must name the columns: name, doc_number (and doc_type, phone, origin, arrival_date)",
	 "第一行须为列名：name、doc_number（以及 doc_type、phone、origin、arrival_date）"},
	{"cannot read the file: %s", "无法读取文件：%s"},
	{"the enterprise has no approved application to resume work", "该企业没有已批准的复工申请"},
	{"the application approved a start on %s at the earliest", "批准的复工日最早为 %s"},
	{"must be at most the headcount, %lld", "不能超过职工人数 %lld"},
};
ERR_CATALOG(enterprise_apps_zh, "src/feature/enterprise_apps.c", msgs);
