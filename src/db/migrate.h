/* Numbered migrations, embedded in the binary from src/db/schema/NNN_name.sql
 * and applied in order inside one transaction each; applied ones are recorded
 * in schema_migrations. */
#ifndef CORDON_MIGRATE_H
#define CORDON_MIGRATE_H

#include "db.h"

/* Applies every migration newer than the database's; 0 or an error. */
int migrate_run(struct dbc *c, struct err_info *ei);
/* The newest migration this binary carries. */
int migrate_latest(void);
/* Rewrites backend-neutral markers in a migration for a backend; the caller
 * frees the result. "@ID@" becomes the backend's auto-increment primary key. */
char *migrate_render(const char *sql, const char *backend);

#endif
