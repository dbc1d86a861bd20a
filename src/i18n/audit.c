/* Chinese for the messages of src/feature/audit.c (the audit log's
 * filters); see base/err.h. */
#include "catalogs.h"

static const struct err_msg msgs[] = {
	{"must be one of write, read, login, logout, denied",
	 "必须是 write、read、login、logout、denied 之一"},
	{"must not be before since", "不能早于起始时间"},
};
ERR_CATALOG(audit_zh, "src/feature/audit.c", msgs);
