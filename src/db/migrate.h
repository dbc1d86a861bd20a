/* Numbered migrations, embedded in the binary from src/db/schema/NNN_name.sql
 * and applied in order inside one transaction each; applied ones are recorded
 * in schema_migrations. A version may have per-backend variants
 * NNN_name.pg.sql and NNN_name.sqlite.sql, which replace the shared
 * NNN_name.sql on their backend (a version with only another backend's
 * variant is recorded as applied with nothing run). */
#ifndef CORDON_MIGRATE_H
#define CORDON_MIGRATE_H

#include <stddef.h>

#include "../base/embed.h"
#include "db.h"

/* Applies every migration the database has not had (on PostgreSQL under an
 * advisory lock, so servers starting together apply each once), then makes
 * sure this month's log partitions and the next ones exist; 0 or an error. */
int migrate_run(struct dbc *c, struct err_info *ei);
/* The newest migration this binary carries. */
int migrate_latest(void);
/* How many versions it carries (numbers may have gaps: each feature built
 * in parallel has its own; a missing number is skipped, and one that
 * arrives after a higher one is applied when it does). */
int migrate_versions(void);
/* The newest version among files. */
int migrate_latest_of(const struct embedded_file *files, size_t n);
/* 0 when files are a consistent set: every name starts with its number and
 * the files of one version are one migration (NNN_name.sql and its
 * variants); else ERR_INTERNAL naming the clash. */
int migrate_check(const struct embedded_file *files, size_t n, struct err_info *ei);
/* The file to run for version on backend ("sqlite", "postgresql"): its
 * variant if there is one, else the shared file, else NULL. *exists is 1
 * when any file carries that version. */
const struct embedded_file *migrate_pick(const struct embedded_file *files, size_t n, int version,
					 const char *backend, int *exists);
/* Rewrites backend-neutral markers in a migration for a backend; the caller
 * frees the result. "@ID@" becomes the backend's auto-increment primary key,
 * "@TZ@" the district's zone name (clock_tz()), for a migration that takes
 * local days of instants on PostgreSQL. */
char *migrate_render(const char *sql, const char *backend);

#endif
