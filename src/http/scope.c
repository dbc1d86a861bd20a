/* The scope check; see scope.h. */
#include "scope.h"

#include <stdio.h>

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
	/* The record's name is translated too: "此人员不在…", not "此person…". */
	const char *noun = err_fmt(what, "zh");
	if (write) {
		rc = err_set(&r->err, ERR_FORBIDDEN, "", "this %s is outside your area (scope)",
			     what);
		if (r->err.message_zh[0])
			snprintf(r->err.message_zh, sizeof r->err.message_zh,
				 err_fmt("this %s is outside your area (scope)", "zh"), noun);
	} else {
		rc = err_set(&r->err, ERR_NOT_FOUND, "", "no such %s", what);
		if (r->err.message_zh[0])
			snprintf(r->err.message_zh, sizeof r->err.message_zh,
				 err_fmt("no such %s", "zh"), noun);
	}
	return rc;
}

int scope_district_wide(struct req *r)
{
	struct dbc *c = req_db(r);
	if (!c)
		return ERR_DB;
	int rc = db_one_int(c, NULL, "SELECT 1 FROM units WHERE id = $1 AND parent_id IS NULL", "i",
			    r->who.scope_unit_id);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return err_set(&r->err, ERR_FORBIDDEN, "",
			       "this applies to the whole district: it needs an account whose area"
			       " (scope) is the district");
	return 0;
}
