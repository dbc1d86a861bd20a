/* Chinese for the messages of src/feature/imports.c (person imports from
 * CSV); see base/err.h. Reject reasons written into the rejects file are
 * not here: they are worded where the row is rejected. */
#include "catalogs.h"

static const struct err_msg msgs[] = {
	{"\"%s\" is not a document type (居民身份证, 护照, 港澳通行证, 台胞证, 其他)",
	 "“%s”不是证件类型（居民身份证、护照、港澳通行证、台胞证、其他）"},
	{"is missing", "缺失"},
	{"\"%s\" must be 男 or 女 (M or F)", "“%s”必须是 男 或 女（M 或 F）"},
	{"\"%s\" is not a date", "“%s”不是日期"},
	{"is missing (the row gives an origin)", "缺失（该行填写了来源地）"},
	{"is missing (the row gives an arrival date)", "缺失（该行填写了抵达日期）"},
	{"%s is in the future", "%s 晚于今天"},
	{"must be 1 to 64 characters", "必须是 1 到 64 个字符"},
	{"\"%s\" is not a mode of travel (汽车, 火车, 飞机, 其他 or car, train, plane, other)",
	 "“%s”不是出行方式（汽车、火车、飞机、其他 或 car、train、plane、other）"},
	{"is required for a new person", "新登记人员必填"},
	{"belongs to a person registered outside your area (scope)", "属于在您管辖范围外登记的人员"},
	{"the file is empty", "文件为空"},
	{"is not CSV text (it holds NUL bytes; save the sheet as CSV)",
	 "不是 CSV 文本（含 NUL 字节，请将表格另存为 CSV）"},
	{"storage failed during the import", "导入时保存失败"},
	{"must be text/csv", "必须是 text/csv"},
	{"must be 1 to 128 characters", "必须是 1 到 128 个字符"},
	{"must be persons", "必须是 persons"},
	{"no such import", "导入批次不存在"},
};
ERR_CATALOG(imports_zh, "src/feature/imports.c", msgs);
