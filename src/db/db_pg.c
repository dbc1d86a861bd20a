/* placeholder until the PostgreSQL backend lands */
#include "db_internal.h"
int db_pg_open(const char *url, int pool, struct db **out, struct err_info *ei)
{
	(void)url; (void)pool; (void)out;
	return err_set(ei, ERR_INVALID, "db", "this build has no PostgreSQL backend");
}
