/* The unit hierarchy (district > town or sub-district > village or
 * community > compound > building): routes, the kind rule, and the insert
 * that keeps the closure table (unit_tree) whole, shared by the API, the CSV
 * import and the demo builder. */
#ifndef CORDON_UNITS_H
#define CORDON_UNITS_H

#include <stdint.h>

#include "../db/db.h"
#include "../http/http.h"

extern const struct route_table units_routes;

/* 1 if a unit of kind `child` may sit under one of kind `parent` (parent
 * NULL: only a district may be a root). */
int units_kind_fits(const char *parent, const char *child);
/* 1 if kind is one of the known kinds. */
int units_kind_valid(const char *kind);
/* 1 if code is 1..32 of [A-Za-z0-9-]. */
int units_code_valid(const char *code);

/* Inserts a unit and its closure rows on connection c (the caller holds the
 * transaction). parent_id 0 for a root. Returns 0 with *id set, ERR_CONFLICT
 * when the code exists, or another error. Does not check kinds or scope. */
int units_insert(struct dbc *c, int64_t parent_id, const char *kind, const char *code,
		 const char *name, const char *property_company, int64_t *id);

/* Imports units from CSV text (see docs/api.md) within scope_unit_id.
 * Fills created/updated/rejected and appends {"line","reason"} objects to
 * rejects. Returns 0, or ERR_INVALID (ei filled) when the header is not
 * recognisable. The caller holds the transaction. */
int units_import_csv(struct dbc *c, int64_t scope_unit_id, const char *data, size_t len,
		     int64_t *created, int64_t *updated, int64_t *rejected, json_t *rejects,
		     struct err_info *ei);

#endif
