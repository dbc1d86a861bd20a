/* Scratch SQLite databases for unit tests: a per-process path under /tmp,
 * and removing one with its WAL and shared-memory files. */
#ifndef CORDON_UNIT_DB_H
#define CORDON_UNIT_DB_H

#include <stdio.h>
#include <unistd.h>

static inline void unit_db_remove(const char *path)
{
	char side[256];
	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
}

/* "/tmp/cordon-NAME-PID.db", removed first if an earlier run left it. */
static inline void unit_db_path(char *out, size_t cap, const char *name)
{
	snprintf(out, cap, "/tmp/cordon-%s-%d.db", name, (int)getpid());
	unit_db_remove(out);
}

#endif
