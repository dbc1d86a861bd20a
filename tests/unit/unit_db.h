/* Scratch SQLite databases for unit tests: a per-process path under /tmp,
 * removed (with its WAL and shared-memory files) by db_sqlite_remove. */
#ifndef CORDON_UNIT_DB_H
#define CORDON_UNIT_DB_H

#include <stdio.h>
#include <unistd.h>

#include "db/db.h"

#define unit_db_remove db_sqlite_remove

/* "/tmp/cordon-NAME-PID.db", removed first if an earlier run left it. */
static inline void unit_db_path(char *out, size_t cap, const char *name)
{
	snprintf(out, cap, "/tmp/cordon-%s-%d.db", name, (int)getpid());
	db_sqlite_remove(out);
}

#endif
