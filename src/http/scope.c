/* The scope check; see scope.h. */
#include "scope.h"

int scope_contains(struct dbc *c, int64_t ancestor_id, int64_t unit_id)
{
	if (ancestor_id == unit_id)
		return 1;
	int rc = db_one_int(c, NULL,
			    "SELECT 1 FROM unit_tree WHERE ancestor_id = $1 AND unit_id = $2", "ii",
			    ancestor_id, unit_id);
	return rc;
}

int scope_check(struct req *r, int64_t unit_id, int write, const char *what)
{
	if (!r->authed)
		return err_set(&r->err, ERR_AUTH, "", "sign in first");
	struct dbc *c = write ? req_db(r) : req_reader(r);
	if (!c)
		return ERR_DB;
	int rc = scope_contains(c, r->who.scope_unit_id, unit_id);
	if (rc < 0)
		return rc;
	if (rc == 1)
		return 0;
	if (write)
		return err_set(&r->err, ERR_FORBIDDEN, "", "this %s is outside your area (scope)",
			       what);
	return err_set(&r->err, ERR_NOT_FOUND, "", "no such %s", what);
}
