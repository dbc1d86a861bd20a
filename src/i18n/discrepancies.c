/* Chinese for the messages of src/feature/discrepancies.c (what field
 * workers saw about persons that was not applied); see base/err.h. */
#include "catalogs.h"

static const struct err_msg msgs[] = {
	{"must be open, confirmed, dismissed or all", "必须是 open、confirmed、dismissed 或 all"},
	{"no such discrepancy", "该待核实记录不存在"},
	{"this discrepancy was already %s", "该待核实记录已处理（%s）"},
	{"this discrepancy was resolved meanwhile", "该待核实记录已被他人处理"},
	{"discrepancy", "待核实记录"},
};
ERR_CATALOG(discrepancies_zh, "src/feature/discrepancies.c", msgs);
